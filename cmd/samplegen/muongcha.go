package main

// Mường Chà (samples/muong-cha/): the district's staff at 30/09/2023 and its
// register of staff sent to training since 2015, reproducing Báo Điện Biên Phủ ("Đào
// tạo, bồi dưỡng cán bộ qua luân chuyển"): "từ năm 2015 đến nay, Huyện ủy, UBND huyện
// Mường Chà đã cử đi đào tạo chuyên môn hơn 100 cán bộ; 308 cán bộ đi học lý luận
// chính trị (trong đó, cao cấp 28 người, trung cấp 280 người); bồi dưỡng nghiệp vụ
// công tác chuyên môn, quản lý Nhà nước trên 600 người".
//
// All three are people (người), over 2015–2023 (canbo run --from 2015-01 --to
// 2023-09). The sample chooses 117 for "hơn 100" (đại học chuyên môn: kind chuyên
// môn, nghiệp vụ, level Đại học) and 624 for "trên 600" (the register writes bồi
// dưỡng nghiệp vụ and QLNN under QLNN). The trung cấp class is entered twice for
// some (two phases), so attendances exceed people; some QLNN trainees came back; a
// few trainees have retired or moved (in no roster); rows of 2014 lie outside the
// span and must not count.
//
// Files:
//
//	M1  Danh sách CBCCVC huyện Mường Chà (30.09.2023).xlsx: communes, offices and schools,
//	    one header row, real date cells, "Nam"/"Nữ"
//	M2  Sổ theo dõi cử cán bộ đi đào tạo, bồi dưỡng 2014-2023.xlsx: the register; a "Cấp độ"
//	    column written several ways (Cao cấp, CC, Trung cấp, TC, Trung cấp LLCT), empty for
//	    bồi dưỡng; names in capitals now and then, CCCD left out on many rows, mistyped on some
//	M3  Sổ theo dõi điều động, luân chuyển cán bộ 2017-2023.xlsx: the six movements (mcMovements)

import (
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"sort"
	"time"
)

// mcAsOf is the date the roster states: the article was written in 2023 ("từ năm 2015
// đến nay"); the sample stops at the end of September, the other samples' latest month,
// so that adding it does not move the period of a run over every sample.
var mcAsOf = time.Date(2023, 9, 30, 0, 0, 0, 0, time.UTC)

// mcFigures are the article's figures as the sample makes them: people of a kind,
// and of a level within it ("" = any level).
var mcFigures = []struct {
	Kind, Level string
	N           int
}{
	{"ly_luan_chinh_tri", "", 308}, {"ly_luan_chinh_tri", "cao_cap", 28}, {"ly_luan_chinh_tri", "trung_cap", 280},
	{"chuyen_mon_nghiep_vu", "dai_hoc", 117}, {"quan_ly_nha_nuoc", "", 624},
}

var mcCommunes = []string{"Mường Mươn", "Mường Tùng", "Ma Thì Hồ", "Sa Lông", "Huổi Lèng", "Pa Ham", "Nậm Nèn",
	"Hừa Ngài", "Huổi Mí", "Na Sang", "Sá Tổng", "Mường Anh"}

var mcOffices = []string{"Văn phòng HĐND và UBND huyện Mường Chà", "Phòng Nội vụ huyện Mường Chà", "Phòng Tài chính - Kế hoạch huyện Mường Chà",
	"Phòng Giáo dục và Đào tạo huyện Mường Chà", "Phòng Nông nghiệp và Phát triển nông thôn huyện Mường Chà",
	"Phòng Tài nguyên và Môi trường huyện Mường Chà", "Phòng Tư pháp huyện Mường Chà", "Thanh tra huyện Mường Chà"}

var mcSchools = []string{"Trường PTDTBT THCS Ma Thì Hồ", "Trường PTDTBT Tiểu học Sa Lông", "Trường Mầm non Mường Mươn",
	"Trường PTDTBT THCS Huổi Lèng", "Trường Tiểu học thị trấn Mường Chà"}

// mcTraining is one row of the register.
type mcTraining struct {
	P           *npPerson
	Kind, Level string // configuration codes; Level "" for bồi dưỡng
	Course      string
	From        time.Time
	NoID, BadID bool
	Outside     bool // in no roster
	BeforeSpan  bool // 2014: outside the article's "từ năm 2015"
	SecondPhase bool // the trung cấp class's second entry
}

type mcSet struct {
	Staff, Outside []*npPerson
	Register       []*mcTraining
}

func buildMuongCha(used map[string]bool) *mcSet {
	r := rand.New(rand.NewPCG(20231231, 4))
	s := &mcSet{}
	cccd := map[string]bool{}
	newPerson := func(unit, pos string, school bool) *npPerson {
		p := &npPerson{Unit: unit, Position: pos, School: school, Female: r.IntN(100) < 40}
		p.Ethnic = pickW(r, []weighted{{"Thái", 40}, {"Mông", 35}, {"Kinh", 20}, {"Khơ Mú", 5}})
		p.identify(r, 26, 58, mcAsOf, used, cccd)
		p.Edu = pickW(r, []weighted{{"Đại học", 65}, {"Cao đẳng", 12}, {"Trung cấp", 18}, {"Thạc sĩ", 5}})
		p.LLCT = pickW(r, []weighted{{"Sơ cấp", 40}, {"Trung cấp", 45}, {"Cao cấp", 5}, {"", 10}})
		p.QLNN = pickW(r, []weighted{{"Chuyên viên", 50}, {"Cán sự", 10}, {"", 40}})
		return p
	}
	for _, c := range mcCommunes {
		for i := 0; i < 26; i++ {
			s.Staff = append(s.Staff, newPerson("UBND xã "+c, npCommunePos[i%len(npCommunePos)], false))
		}
	}
	for _, o := range mcOffices {
		for i := 0; i < 14; i++ {
			s.Staff = append(s.Staff, newPerson(o, npOfficePos[min(i, len(npOfficePos)-1)], false))
		}
	}
	for _, sc := range mcSchools {
		for i := 0; i < 44; i++ {
			s.Staff = append(s.Staff, newPerson(sc, npSchoolPos[min(i, len(npSchoolPos)-1)], true))
		}
	}
	for i := 0; i < 30; i++ { // retired or moved away since they trained
		s.Outside = append(s.Outside, newPerson(pick(r, mcOffices), "", false))
	}
	s.plan(r)
	checkMuongCha(s)
	return s
}

// plan draws the register: distinct people per figure, the trung cấp class's second
// entries, repeat QLNN attendances, trainees in no roster, and 2014 rows.
func (s *mcSet) plan(r *rand.Rand) {
	staff := s.Staff
	perm := r.Perm(len(staff))
	pool := func(n, from int) []*npPerson { // n staff from perm[from:], outside people first when asked
		out := make([]*npPerson, n)
		for i := range out {
			out[i] = staff[perm[(from+i)%len(perm)]]
		}
		return out
	}
	add := func(t *mcTraining) { s.Register = append(s.Register, t) }
	// LLCT: 28 cao cấp and 280 trung cấp, distinct people; 4 of the trung cấp are in no roster.
	cc := pool(28, 0)
	tc := append(pool(276, 28), s.Outside[:4]...)
	for _, p := range cc {
		add(&mcTraining{P: p, Kind: "ly_luan_chinh_tri", Level: "cao_cap"})
	}
	for i, p := range tc {
		add(&mcTraining{P: p, Kind: "ly_luan_chinh_tri", Level: "trung_cap", Outside: i >= 276})
		if i%5 == 0 {
			add(&mcTraining{P: p, Kind: "ly_luan_chinh_tri", Level: "trung_cap", Outside: i >= 276, SecondPhase: true})
		}
	}
	// Đại học chuyên môn: 117 people, some of them also LLCT trainees.
	for i, p := range append(pool(113, 250), s.Outside[4:8]...) {
		add(&mcTraining{P: p, Kind: "chuyen_mon_nghiep_vu", Level: "dai_hoc", Outside: i >= 113})
	}
	// Bồi dưỡng nghiệp vụ, QLNN: 624 people, 80 attending twice or more.
	q := append(pool(604, 100), s.Outside[8:28]...)
	for i, p := range q {
		add(&mcTraining{P: p, Kind: "quan_ly_nha_nuoc", Outside: i >= 604})
	}
	for i := 0; i < 95; i++ {
		add(&mcTraining{P: q[r.IntN(604)], Kind: "quan_ly_nha_nuoc"})
	}
	// 2014: before the span, people of every figure and some who trained only then.
	for i := 0; i < 18; i++ {
		kind, level := "quan_ly_nha_nuoc", ""
		if i%3 == 0 {
			kind, level = "ly_luan_chinh_tri", "trung_cap"
		}
		add(&mcTraining{P: staff[perm[(700+i*7)%len(perm)]], Kind: kind, Level: level, BeforeSpan: true})
	}
	start := time.Date(2015, 1, 5, 0, 0, 0, 0, time.UTC)
	days := int(time.Date(2023, 9, 15, 0, 0, 0, 0, time.UTC).Sub(start).Hours() / 24)
	for _, t := range s.Register {
		switch {
		case t.BeforeSpan:
			t.From = time.Date(2014, 3, 3, 0, 0, 0, 0, time.UTC).AddDate(0, 0, r.IntN(280))
		default:
			t.From = start.AddDate(0, 0, r.IntN(days))
		}
		t.Course = mcCourse(r, t)
		switch x := r.IntN(100); {
		case x < 35:
			t.NoID = true
		case x < 38:
			t.BadID = true
		}
	}
	// A second phase starts after the first.
	first := map[*npPerson]time.Time{}
	for _, t := range s.Register {
		if t.Kind == "ly_luan_chinh_tri" && !t.SecondPhase && !t.BeforeSpan {
			first[t.P] = t.From
		}
	}
	for _, t := range s.Register {
		if t.SecondPhase {
			t.From = first[t.P].AddDate(0, 6, 0)
			if t.From.After(mcAsOf) {
				t.From = first[t.P]
			}
		}
	}
	sort.SliceStable(s.Register, func(i, j int) bool { return s.Register[i].From.Before(s.Register[j].From) })
}

func mcCourse(r *rand.Rand, t *mcTraining) string {
	switch {
	case t.Level == "cao_cap":
		return fmt.Sprintf("Cao cấp lý luận chính trị hệ không tập trung khóa %d-%d", t.From.Year(), t.From.Year()+2)
	case t.Kind == "ly_luan_chinh_tri":
		c := fmt.Sprintf("Trung cấp lý luận chính trị - hành chính khóa %d-%d", t.From.Year(), t.From.Year()+1)
		if t.SecondPhase {
			c += " (giai đoạn 2)"
		}
		return c
	case t.Kind == "chuyen_mon_nghiep_vu":
		return pick(r, []string{"Đại học Luật (vừa làm vừa học)", "Đại học Hành chính", "Đại học Sư phạm Tiểu học", "Đại học Nông lâm", "Đại học Kế toán"})
	}
	return pick(r, []string{"Bồi dưỡng kiến thức QLNN ngạch chuyên viên", "Bồi dưỡng nghiệp vụ công tác văn phòng", "Bồi dưỡng nghiệp vụ tư pháp - hộ tịch",
		"Bồi dưỡng QLNN cho công chức cấp xã", "Bồi dưỡng nghiệp vụ địa chính - xây dựng"})
}

// mcCount counts the model as the article does: people per figure, over the span.
func mcCount(s *mcSet) map[[2]string]int {
	seen := map[[2]string]map[*npPerson]bool{}
	for _, t := range s.Register {
		if t.BeforeSpan {
			continue
		}
		for _, k := range [][2]string{{t.Kind, ""}, {t.Kind, t.Level}} {
			if seen[k] == nil {
				seen[k] = map[*npPerson]bool{}
			}
			seen[k][t.P] = true
		}
	}
	out := map[[2]string]int{}
	for k, m := range seen {
		out[k] = len(m)
	}
	return out
}

// checkMuongCha panics unless the model gives the article's figures.
func checkMuongCha(s *mcSet) {
	got := mcCount(s)
	for _, f := range mcFigures {
		if n := got[[2]string{f.Kind, f.Level}]; n != f.N {
			panic(fmt.Sprintf("muong-cha: %s %s = %d, want %d", f.Kind, f.Level, n, f.N))
		}
	}
}

const (
	mcRosterFile   = "Danh sách CBCCVC huyện Mường Chà (30.09.2023).xlsx"
	mcRegisterFile = "Sổ theo dõi cử cán bộ đi đào tạo, bồi dưỡng 2014-2023.xlsx"
)

func writeMuongCha(dir string, s *mcSet) []string {
	writeNPRoster(filepath.Join(dir, mcRosterFile), s.Staff, false, 2312, rosterHead{District: "UBND HUYỆN MƯỜNG CHÀ",
		Title: "DANH SÁCH CÁN BỘ, CÔNG CHỨC, VIÊN CHỨC HUYỆN MƯỜNG CHÀ", AsOf: "(Tính đến ngày 30/09/2023)"})
	writeMCRegister(filepath.Join(dir, mcRegisterFile), s.Register)
	writeMCMovements(filepath.Join(dir, mcMovementsFile))
	return []string{mcRosterFile, mcRegisterFile, mcMovementsFile}
}

var mcLevelSpell = map[string][]string{
	"cao_cap":   {"Cao cấp", "CC", "Cao cấp LLCT"},
	"trung_cap": {"Trung cấp", "TC", "Trung cấp LLCT", "trung cấp"},
	"dai_hoc":   {"Đại học", "ĐH"},
}

var mcKindSpell = map[string][]string{
	"ly_luan_chinh_tri":    {"LLCT", "Lý luận chính trị"},
	"chuyen_mon_nghiep_vu": {"Chuyên môn", "CMNV"},
	"quan_ly_nha_nuoc":     {"QLNN", "Quản lý nhà nước"},
}

func writeMCRegister(path string, ts []*mcTraining) {
	b := newBook(2313, "Times New Roman", 12, false)
	b.use("Sổ theo dõi")
	last := 10
	b.widths(5, 24, 12, 15, 30, 44, 12, 10, 12, 12)
	b.registerHead([2]string{"HUYỆN ỦY MƯỜNG CHÀ", "BAN TỔ CHỨC"}, "SỔ THEO DÕI CỬ CÁN BỘ ĐI ĐÀO TẠO, BỒI DƯỠNG NĂM 2014 - 2023", "", 6, last,
		"STT", "Họ và tên", "Ngày sinh", "Số CCCD", "Đơn vị công tác", "Tên lớp", "Loại hình", "Cấp độ", "Từ ngày", "Đến ngày")
	r := 7
	for i, t := range ts {
		p := t.P
		b.traineeName(r, i+1, p.Name, 10)
		b.set(3, r, p.Birth)
		b.traineeID(4, r, p.CCCD, t.NoID, t.BadID)
		b.set(5, r, p.Unit)
		b.set(6, r, t.Course)
		b.set(7, r, pick(b.r, mcKindSpell[t.Kind]))
		if t.Level != "" {
			b.set(8, r, pick(b.r, mcLevelSpell[t.Level]))
		}
		b.set(9, r, t.From)
		days := 10
		switch t.Kind {
		case "ly_luan_chinh_tri":
			days = 150
		case "chuyen_mon_nghiep_vu":
			days = 900
		}
		b.set(10, r, t.From.AddDate(0, 0, days))
		b.style(1, r, last, r, b.st.cell)
		b.style(1, r, 1, r, b.st.cellCenter)
		b.style(3, r, 3, r, b.st.cellDate)
		b.style(9, r, 10, r, b.st.cellDate)
		r++
	}
	b.save(path)
}

func verifyMuongCha(dir string, s *mcSet) []string {
	rows, err := readSheetRows(filepath.Join(dir, mcRegisterFile))
	if err != nil {
		return []string{fmt.Sprintf("muong-cha/%s: %v", mcRegisterFile, err)}
	}
	if rows-6 != len(s.Register) {
		return []string{fmt.Sprintf("muong-cha register: %d rows, want %d", rows-6, len(s.Register))}
	}
	return nil
}

// mcMovement is one row of the movements register.
type mcMovement struct {
	Name, Birth, From, To, Position, Kind, No, Date string
}

// mcMovements are Mường Chà's movements since 2017: "điều động, luân chuyển 6 cán bộ,
// trong đó luân chuyển 3 cán bộ lãnh đạo, quản lý cấp huyện xuống xã …; điều động 3 cán
// bộ lãnh đạo, quản lý từ cơ quan này sang cơ quan khác". Sùng A Măng's move of 2018
// (Thanh tra huyện → Phó Chủ tịch UBND xã Ma Thì Hồ) is an điều động in the article,
// down to a commune: by_direction tells it apart from the two between agencies. Units
// are written as clerks do ("Xã Huổi Lèng", "Thanh tra huyện Mường Chà"), forms in
// words or abbreviated.
var mcMovements = []mcMovement{
	{"Lò Văn Tiến", "12/03/1980", "Phòng Nội vụ huyện Mường Chà", "UBND xã Sa Lông", "Chủ tịch UBND xã", "Luân chuyển", "125-QĐ/HU", "15/06/2017"},
	{"Sùng A Măng", "05/05/1988", "Thanh tra huyện Mường Chà", "UBND xã Ma Thì Hồ", "Phó Chủ tịch UBND xã", "Điều động", "310-QĐ/HU", "02/04/2018"},
	{"Quàng Văn Chinh", "21/08/1982", "Văn phòng HĐND và UBND huyện Mường Chà", "Xã Huổi Lèng", "Bí thư Đảng ủy xã", "LC", "402-QĐ/HU", "11/03/2019"},
	{"Lường Thị Hằng", "09/12/1984", "Phòng Tài chính - Kế hoạch huyện Mường Chà", "Phòng Nội vụ huyện Mường Chà", "Trưởng phòng", "Điều động", "58-QĐ/UBND", "20/07/2020"},
	{"Tòng Văn Thắng", "30/04/1983", "Phòng Nông nghiệp và Phát triển nông thôn huyện Mường Chà", "UBND xã Mường Tùng", "Phó Bí thư Đảng ủy xã", "luân chuyển", "515-QĐ/HU", "16/08/2021"},
	{"Cà Văn Hùng", "20/11/1979", "Phòng Tư pháp huyện Mường Chà", "Thanh tra huyện Mường Chà", "Chánh Thanh tra huyện", "ĐĐ", "77-QĐ/UBND", "10/01/2022"},
}

const mcMovementsFile = "Sổ theo dõi điều động, luân chuyển cán bộ 2017-2023.xlsx"

// writeMCMovements writes the Ban Tổ chức's movements register.
func writeMCMovements(path string) {
	b := newBook(2314, "Times New Roman", 12, false)
	b.use("Điều động, luân chuyển")
	last := 9
	b.widths(5, 22, 12, 36, 36, 24, 16, 14, 14)
	b.registerHead([2]string{"HUYỆN ỦY MƯỜNG CHÀ", "BAN TỔ CHỨC"}, "SỔ THEO DÕI ĐIỀU ĐỘNG, LUÂN CHUYỂN CÁN BỘ TỪ NĂM 2017", "", 6, last,
		"STT", "Họ và tên", "Ngày sinh", "Đơn vị cũ", "Đơn vị mới", "Chức vụ", "Hình thức điều động, luân chuyển", "Số quyết định", "Ngày quyết định")
	for i, m := range mcMovements {
		r := 7 + i
		for j, v := range []string{m.Name, m.Birth, m.From, m.To, m.Position, m.Kind, m.No, m.Date} {
			b.text(j+2, r, v)
		}
		b.set(1, r, i+1)
		b.style(1, r, last, r, b.st.cell)
		b.style(1, r, 1, r, b.st.cellCenter)
	}
	b.save(path)
}
