package main

// The training register (sổ theo dõi đào tạo, bồi dưỡng), 01/2021 – 09/2023: 877 attendances.

import (
	"fmt"
	"math/rand/v2"
	"time"
)

func d(y, m, dd int) time.Time { return time.Date(y, time.Month(m), dd, 0, 0, 0, 0, time.UTC) }

const (
	fTT  = "Tập trung"
	fKTT = "Không tập trung"
	fTTu = "Trực tuyến"
)

const (
	csTinh     = "Trường Chính trị tỉnh Bắc Kạn"
	csHuyen    = "Trung tâm Chính trị huyện Chợ Đồn"
	csHVCT     = "Học viện Chính trị khu vực I"
	csLuat     = "Trường Đại học Luật Hà Nội"
	csNongLam  = "Trường Đại học Nông Lâm - ĐH Thái Nguyên"
	csSNV      = "Sở Nội vụ tỉnh Bắc Kạn"
	csHVHC     = "Học viện Hành chính Quốc gia"
	csSTP      = "Sở Tư pháp tỉnh Bắc Kạn"
	csSTC      = "Sở Tài chính tỉnh Bắc Kạn"
	csTNMT     = "Phòng Tài nguyên và Môi trường huyện Chợ Đồn"
	csBCHQSH   = "Ban CHQS huyện Chợ Đồn"
	csBCHQST   = "Bộ CHQS tỉnh Bắc Kạn"
	csNNTH     = "Trung tâm Ngoại ngữ - Tin học, ĐH Thái Nguyên"
	csGDNN     = "Trung tâm GDNN-GDTX huyện Chợ Đồn"
	csHDNDHuy  = "Thường trực HĐND huyện Chợ Đồn"
	csHDNDTinh = "Thường trực HĐND tỉnh Bắc Kạn"
)

type sess struct {
	from, to time.Time
	form     string
	self     bool
	prov     string
}

func mkCourse(name string, k Kind, target int, repeat bool, elig func(*Person) bool, ss ...sess) *Course {
	c := &Course{Name: name, Kind: k, Target: target, AllowRepeat: repeat, Eligible: elig}
	for _, s := range ss {
		c.Sessions = append(c.Sessions, &Session{Course: c, From: s.from, To: s.to, Form: s.form, SelfPaid: s.self, Provider: s.prov})
	}
	return c
}

func isPos(ps ...string) func(*Person) bool {
	return func(p *Person) bool {
		for _, x := range ps {
			if p.Position == x {
				return true
			}
		}
		return false
	}
}

var chuChot = isPos(pBiThu, pPBT, pCTHDND, pPCTHDND, pCTUB, pPCTUB)

func courses() []*Course {
	any := func(*Person) bool { return true }
	return []*Course{
		// lý luận chính trị: 139
		mkCourse("Trung cấp lý luận chính trị - hành chính", KLLCT, 40, false, func(p *Person) bool { return p.LLCT == LLCTTC },
			sess{d(2021, 3, 15), d(2021, 12, 10), fTT, false, csTinh}, sess{d(2022, 3, 7), d(2022, 11, 25), fTT, false, csTinh},
			sess{d(2023, 2, 20), d(2023, 9, 22), fTT, false, csTinh}),
		mkCourse("Trung cấp LLCT", KLLCT, 25, false, func(p *Person) bool { return p.LLCT == LLCTTC },
			sess{d(2021, 6, 1), d(2022, 5, 27), fKTT, false, csHuyen}, sess{d(2022, 7, 4), d(2023, 6, 30), fKTT, false, csHuyen}),
		mkCourse("Sơ cấp lý luận chính trị", KLLCT, 38, false, func(p *Person) bool { return p.LLCT == LLCTSC || p.LLCT == LLCTTC },
			sess{d(2021, 4, 5), d(2021, 5, 14), fTT, false, csHuyen}, sess{d(2022, 4, 11), d(2022, 5, 20), fTT, false, csHuyen},
			sess{d(2023, 3, 13), d(2023, 4, 21), fTT, false, csHuyen}),
		mkCourse("Cao cấp lý luận chính trị", KLLCT, 4, false, func(p *Person) bool { return p.LLCT == LLCTCC },
			sess{d(2021, 9, 6), d(2023, 7, 28), fKTT, false, csHVCT}),
		mkCourse("Bồi dưỡng lý luận chính trị cho đảng viên mới", KLLCT, 32, false, func(p *Person) bool { return p.Party && p.Birth.Year() >= 1985 },
			sess{d(2021, 7, 12), d(2021, 7, 16), fTT, false, csHuyen}, sess{d(2022, 6, 13), d(2022, 6, 17), fTT, false, csHuyen},
			sess{d(2023, 5, 15), d(2023, 5, 19), fTT, false, csHuyen}),
		// chuyên môn nghiệp vụ: 98
		mkCourse("Đại học Luật (vừa làm vừa học)", KCMNV, 12, false, func(p *Person) bool { return p.Edu == EduDH && (p.Position == pTP || p.CanBo) },
			sess{d(2021, 1, 9), d(2023, 6, 24), fKTT, true, csLuat}, sess{d(2021, 3, 6), d(2023, 8, 26), fKTT, true, csLuat}),
		mkCourse("Bồi dưỡng nghiệp vụ tư pháp - hộ tịch", KCMNV, 28, true, isPos(pTP),
			sess{d(2021, 8, 23), d(2021, 8, 25), fTTu, false, csSTP}, sess{d(2022, 5, 10), d(2022, 5, 12), fTT, false, csSTP},
			sess{d(2023, 6, 6), d(2023, 6, 8), fTT, false, csSTP}),
		mkCourse("Bồi dưỡng nghiệp vụ kế toán ngân sách xã", KCMNV, 22, true, isPos(pTC),
			sess{d(2021, 11, 15), d(2021, 11, 19), fTT, false, csSTC}, sess{d(2022, 10, 17), d(2022, 10, 21), fTT, false, csSTC},
			sess{d(2023, 8, 14), d(2023, 8, 18), fTT, false, csSTC}),
		mkCourse("Tập huấn nghiệp vụ địa chính", KCMNV, 26, true, isPos(pDC),
			sess{d(2021, 6, 21), d(2021, 6, 23), fTT, false, csTNMT}, sess{d(2022, 8, 8), d(2022, 8, 10), fTT, false, csTNMT},
			sess{d(2023, 7, 18), d(2023, 7, 20), fTT, false, csTNMT}),
		mkCourse("Đại học Kinh tế nông nghiệp", KCMNV, 10, false, func(p *Person) bool { return p.Edu == EduDH && isPos(pDC, pPCTUB, pHND, pCTUB)(p) },
			sess{d(2021, 3, 20), d(2023, 9, 9), fKTT, true, csNongLam}),
		// quản lý nhà nước: 64
		mkCourse("Bồi dưỡng QLNN ngạch chuyên viên", KQLNN, 34, false, func(p *Person) bool { return p.QLNN == QLNNCV },
			sess{d(2021, 10, 4), d(2021, 12, 3), fKTT, false, csSNV}, sess{d(2022, 9, 5), d(2022, 11, 4), fKTT, false, csSNV}),
		mkCourse("Bồi dưỡng kiến thức quản lý nhà nước chương trình chuyên viên chính", KQLNN, 2, false, func(p *Person) bool { return p.QLNN == QLNNCVC },
			sess{d(2022, 6, 6), d(2022, 8, 26), fTT, false, csHVHC}),
		mkCourse("Quản lý nhà nước ngạch chuyên viên", KQLNN, 28, false, func(p *Person) bool { return p.QLNN == QLNNCV },
			sess{d(2022, 3, 14), d(2022, 5, 13), fKTT, false, csTinh}, sess{d(2023, 4, 3), d(2023, 6, 2), fKTT, false, csTinh}),
		// vị trí việc làm: 49
		mkCourse("Bồi dưỡng kiến thức, kỹ năng chuyên ngành theo vị trí việc làm", KVTVL, 33, false, func(p *Person) bool { return !p.CanBo },
			sess{d(2021, 12, 6), d(2021, 12, 10), fTT, false, csSNV}, sess{d(2022, 11, 14), d(2022, 11, 18), fTT, false, csSNV},
			sess{d(2023, 9, 11), d(2023, 9, 15), fTT, false, csSNV}),
		mkCourse("Bồi dưỡng theo vị trí việc làm công chức Văn phòng - thống kê", KVTVL, 16, false, isPos(pVP),
			sess{d(2022, 7, 18), d(2022, 7, 22), fTT, false, csSNV}, sess{d(2023, 5, 22), d(2023, 5, 26), fTT, false, csSNV}),
		// lãnh đạo quản lý: 25
		mkCourse("Bồi dưỡng kỹ năng lãnh đạo, quản lý cấp xã", KLDQL, 19, false, chuChot,
			sess{d(2022, 4, 18), d(2022, 4, 29), fTT, false, csTinh}, sess{d(2023, 4, 17), d(2023, 4, 28), fTT, false, csTinh}),
		mkCourse("Bồi dưỡng lãnh đạo quản lý cấp phòng", KLDQL, 6, false, isPos(pBiThu, pCTUB, pPBT),
			sess{d(2022, 10, 10), d(2022, 10, 21), fTT, false, csTinh}),
		// quốc phòng - an ninh: 83
		mkCourse("Bồi dưỡng kiến thức QP-AN đối tượng 4", KQPAN, 70, false, any,
			sess{d(2021, 10, 18), d(2021, 10, 22), fTT, false, csBCHQSH}, sess{d(2022, 6, 20), d(2022, 6, 24), fTT, false, csBCHQSH},
			sess{d(2023, 6, 19), d(2023, 6, 23), fTT, false, csBCHQSH}),
		mkCourse("Bồi dưỡng kiến thức quốc phòng và an ninh đối tượng 3", KQPAN, 13, false, isPos(pBiThu, pCTUB, pCTHDND, pPBT),
			sess{d(2022, 8, 15), d(2022, 8, 26), fTT, false, csBCHQST}, sess{d(2023, 8, 7), d(2023, 8, 18), fTT, false, csBCHQST}),
		// tin học - ngoại ngữ - tiếng dân tộc: 44
		mkCourse("Tiếng Tày", KTHNN, 10, false, func(p *Person) bool { return p.Ethnic != "Tày" },
			sess{d(2022, 3, 1), d(2022, 5, 31), fKTT, false, csTinh}),
		mkCourse("Tiếng Anh trình độ B1", KTHNN, 8, false, func(p *Person) bool { return p.Birth.Year() >= 1985 && p.Edu == EduDH },
			sess{d(2021, 9, 11), d(2021, 12, 18), fKTT, true, csNNTH}),
		mkCourse("Tin học ứng dụng cơ bản", KTHNN, 12, false, any,
			sess{d(2021, 5, 10), d(2021, 6, 11), fTT, false, csGDNN}),
		mkCourse("Tiếng dân tộc Mông", KTHNN, 6, false, func(p *Person) bool { return p.Ethnic != "Mông" },
			sess{d(2023, 3, 6), d(2023, 5, 26), fKTT, false, csTinh}),
		mkCourse("Chứng chỉ ứng dụng CNTT cơ bản", KTHNN, 8, false, func(p *Person) bool { return !p.CanBo },
			sess{d(2022, 9, 12), d(2022, 10, 14), fTT, true, csGDNN}),
		// đại biểu HĐND: 375 (every deputy once in 2021, some again in 2022-2023)
		mkCourse("Bồi dưỡng kỹ năng hoạt động cho đại biểu Hội đồng nhân dân nhiệm kỳ 2021-2026", KHDND, -1, false, func(p *Person) bool { return p.HDND },
			sess{d(2021, 7, 26), d(2021, 7, 28), fTTu, false, csHDNDTinh}, sess{d(2021, 8, 9), d(2021, 8, 11), fTT, false, csHDNDHuy},
			sess{d(2021, 9, 13), d(2021, 9, 15), fTT, false, csHDNDHuy}),
		mkCourse("Bồi dưỡng nâng cao năng lực đại biểu HĐND cấp xã", KHDND, -2, true, func(p *Person) bool { return p.HDND },
			sess{d(2022, 5, 23), d(2022, 5, 25), fTT, false, csHDNDHuy}, sess{d(2022, 9, 19), d(2022, 9, 21), fTT, false, csHDNDHuy},
			sess{d(2023, 5, 8), d(2023, 5, 10), fTT, false, csHDNDHuy}, sess{d(2023, 8, 28), d(2023, 8, 30), fTT, false, csHDNDHuy}),
	}
}

func (m *Model) attend(p *Person, s *Session) {
	a := &Attendance{Person: p, Session: s}
	p.Atts = append(p.Atts, a)
	m.Atts = append(m.Atts, a)
}

func canAttend(p *Person, s *Session) bool {
	for _, a := range p.Atts {
		if a.Session == s || a.Session.From.Equal(s.From) {
			return false
		}
		if a.Session.Course == s.Course && !s.Course.AllowRepeat {
			return false
		}
		// no two overlapping full-time (tập trung) courses
		if a.Session.Form == fTT && s.Form == fTT && !a.Session.To.Before(s.From) && !s.To.Before(a.Session.From) {
			return false
		}
	}
	return true
}

func courseByName(cs []*Course, name string) *Course {
	for _, c := range cs {
		if c.Name == name {
			return c
		}
	}
	panic("no course " + name)
}

func buildTraining(r *rand.Rand, m *Model) {
	cs := courses()
	m.Courses = cs
	nt := m.unit("Nghĩa Tá")
	// Nghĩa Tá (article): 6 comrades in sơ cấp / trung cấp LLCT, 2 in QLNN ngạch chuyên viên.
	// Persons by index: 7 Bí thư Đoàn (SC), 11 CHT (TC), 12 VP (SC), 13 ĐC (SC), 14 TC (TC), 15 TP (SC).
	sc := courseByName(cs, "Sơ cấp lý luận chính trị")
	tc := courseByName(cs, "Trung cấp lý luận chính trị - hành chính")
	qv := courseByName(cs, "Bồi dưỡng QLNN ngạch chuyên viên")
	for i, x := range []struct {
		p int
		s *Session
	}{{7, sc.Sessions[0]}, {12, sc.Sessions[1]}, {13, sc.Sessions[1]}, {15, sc.Sessions[2]}, {11, tc.Sessions[0]}, {14, tc.Sessions[1]}} {
		p := nt.Persons[x.p]
		if (x.s.Course == sc && p.LLCT != LLCTSC) || (x.s.Course == tc && p.LLCT != LLCTTC) {
			panic(fmt.Sprint("Nghĩa Tá training does not fit person ", i))
		}
		m.attend(p, x.s)
		x.s.Course.Target--
	}
	for _, i := range []int{12, 15} {
		if nt.Persons[i].QLNN != QLNNCV {
			panic("Nghĩa Tá QLNN attendee is not CV")
		}
		m.attend(nt.Persons[i], qv.Sessions[i%2])
		qv.Target--
	}

	deputies := 0
	for _, p := range m.Persons {
		if p.HDND && !p.YearOnly {
			deputies++
		}
	}
	for _, c := range cs {
		switch c.Target {
		case -1:
			c.Target = deputies
		case -2:
			c.Target = wantKinds[KHDND] - deputies
		}
	}

	// Deputies first: every one of them must find a session of the 2021 course.
	order := append([]*Course{}, cs[len(cs)-2:]...)
	order = append(order, cs[:len(cs)-2]...)
	for _, c := range order {
		var pool []*Person
		for _, p := range m.Persons {
			if p.YearOnly || !c.Eligible(p) {
				continue
			}
			if p.Unit == nt && (c.Kind == KLLCT || c.Kind == KQLNN) {
				continue // Nghĩa Tá's LLCT/QLNN attendances are fixed above
			}
			pool = append(pool, p)
		}
		r.Shuffle(len(pool), func(i, j int) { pool[i], pool[j] = pool[j], pool[i] })
		got := 0
		for pass := 0; pass < 3 && got < c.Target; pass++ {
			if pass > 0 && !c.AllowRepeat {
				break
			}
			for _, p := range pool {
				if got == c.Target {
					break
				}
				order := r.Perm(len(c.Sessions))
				for _, si := range order {
					s := c.Sessions[si]
					if canAttend(p, s) {
						m.attend(p, s)
						got++
						break
					}
				}
			}
		}
		if got != c.Target {
			panic(fmt.Sprintf("course %q: placed %d of %d attendances (pool %d)", c.Name, got, c.Target, len(pool)))
		}
	}
	// New party members: admission a few months before their class.
	dvm := courseByName(cs, "Bồi dưỡng lý luận chính trị cho đảng viên mới")
	for _, a := range m.Atts {
		if a.Session.Course == dvm {
			p := a.Person
			p.PartyDate = a.Session.From.AddDate(0, -2-r.IntN(9), -r.IntN(25))
			if p.PartyDate.Before(p.Birth.AddDate(18, 0, 0)) {
				p.PartyDate = p.Birth.AddDate(18, 1, 0)
			}
		}
	}
}
