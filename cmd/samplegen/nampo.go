package main

// Nậm Pồ (samples/nam-po/): the district's staff and its training register of
// 2021–08/2022, reproducing Báo Điện Biên Phủ, 05/09/2022 ("Nậm Pồ chú trọng đào tạo,
// bồi dưỡng cán bộ người dân tộc thiểu số"): "56 lượt CBCCVC là người DTTS bồi dưỡng
// về lý luận chính trị, 89 lượt bồi dưỡng quản lý nhà nước, 538 CBCCVC bồi dưỡng theo
// vị trí việc làm, 876 lượt bồi dưỡng kiến thức, kỹ năng chuyên ngành; 198 người bồi
// dưỡng theo hạng chức danh nghề nghiệp".
//
// All five figures are of ethnic-minority staff; three are attendances (lượt), two
// are people (người). The register has no ethnicity: a run finds it in the roster,
// by the CCCD number, else by name and birth date, else (no birth date written) by
// name in the same unit. Kinh staff trained too, some people attended twice, and a
// few trainees are in no roster (retired, moved away): they must not change the
// figures. "Kiến thức, kỹ năng chuyên ngành" is written as chuyên môn, nghiệp vụ in the
// register (the article counts it apart from vị trí việc làm).
//
// Files:
//
//	N1  Danh sách CBCC các xã (08.2022).xlsx: the 15 communes, a "Đơn vị" column, one header row,
//	    real date cells, "Nam"/"Nữ" in a Giới tính column, ethnic groups written several ways
//	N2  Phòng Nội vụ - CCVC khối huyện.xlsx: district offices and schools, birth dates under
//	    "Ngày tháng năm sinh" › Nam | Nữ (text), "Đơn vị công tác", CCCD as text or, for a few,
//	    as numbers that lost their leading zero
//	N3  Sổ theo dõi bồi dưỡng CBCCVC 2021-2022.xlsx: the register; names in capitals now and then,
//	    CCCD left out on many rows (and mistyped on some), birth dates as text or dates, a few
//	    rows without a birth date, kinds abbreviated (LLCT, QLNN, VTVL, CMNV, CDNN)

import (
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"
)

// npAsOf is the date the Nậm Pồ rosters state: the article's report came out on
// 05/09/2022.
var npAsOf = time.Date(2022, 8, 31, 0, 0, 0, 0, time.UTC)

// npKinds are the register's kinds as the configuration codes them, in article order.
var npKinds = []string{"ly_luan_chinh_tri", "quan_ly_nha_nuoc", "vi_tri_viec_lam", "chuyen_mon_nghiep_vu", "chuc_danh_nghe_nghiep"}

// npPlan is, per kind, the ethnic-minority attendances and distinct people (the
// article gives the attendances of three kinds and the people of two; the sample
// chooses the others), then the Kinh attendances and the attendances of trainees in
// no roster.
var npPlan = map[string]struct{ DTTSLuot, DTTSNguoi, KinhLuot, Outside int }{
	"ly_luan_chinh_tri":     {56, 52, 9, 2},
	"quan_ly_nha_nuoc":      {89, 85, 12, 2},
	"vi_tri_viec_lam":       {571, 538, 60, 3},
	"chuyen_mon_nghiep_vu":  {876, 512, 95, 4},
	"chuc_danh_nghe_nghiep": {203, 198, 30, 3},
}

// NamPoArticle is what the article states, as summary.json keys: kind → (lượt or
// người) of ethnic-minority staff.
var npArticle = []struct {
	Kind   string
	People bool
	N      int
}{{"ly_luan_chinh_tri", false, 56}, {"quan_ly_nha_nuoc", false, 89}, {"vi_tri_viec_lam", true, 538},
	{"chuyen_mon_nghiep_vu", false, 876}, {"chuc_danh_nghe_nghiep", true, 198}}

var npCommunes = []string{"Si Pa Phìn", "Phìn Hồ", "Chà Nưa", "Chà Cang", "Nà Khoa", "Nà Hỳ", "Nà Bủng", "Vàng Đán",
	"Nậm Chua", "Nậm Khăn", "Chà Tở", "Nậm Tin", "Pa Tần", "Nậm Nhừ", "Na Cô Sa"}

var npOffices = []string{"Văn phòng HĐND và UBND huyện", "Phòng Nội vụ", "Phòng Tài chính - Kế hoạch", "Phòng Giáo dục và Đào tạo",
	"Phòng Nông nghiệp và Phát triển nông thôn", "Phòng Tài nguyên và Môi trường", "Phòng Lao động - Thương binh và Xã hội",
	"Phòng Văn hóa và Thông tin", "Phòng Kinh tế và Hạ tầng", "Phòng Tư pháp", "Phòng Dân tộc", "Thanh tra huyện"}

var npSchools = []string{"Trường PTDTBT THCS Nà Bủng", "Trường PTDTBT Tiểu học Nà Khoa", "Trường Mầm non Chà Cang",
	"Trường PTDTBT THCS Si Pa Phìn", "Trường Tiểu học Nậm Chua", "Trường Mầm non Vàng Đán", "Trường PTDTBT Tiểu học Phìn Hồ",
	"Trung tâm Y tế huyện Nậm Pồ"}

var npCommunePos = []string{"Bí thư Đảng ủy", "Phó Bí thư Đảng ủy", "Chủ tịch HĐND", "Phó Chủ tịch HĐND", "Chủ tịch UBND",
	"Phó Chủ tịch UBND", "Chủ tịch UBMTTQ", "Bí thư Đoàn TN", "Chủ tịch Hội LHPN", "Chủ tịch Hội Nông dân", "Chủ tịch Hội CCB",
	"Chỉ huy trưởng Quân sự", "Văn phòng - Thống kê", "Văn phòng - Thống kê", "Địa chính - Xây dựng", "Địa chính - Nông nghiệp",
	"Tài chính - Kế toán", "Tư pháp - Hộ tịch", "Tư pháp - Hộ tịch", "Văn hóa - Xã hội", "Văn hóa - Xã hội", "Công an xã"}

var npOfficePos = []string{"Trưởng phòng", "Phó Trưởng phòng", "Chuyên viên", "Chuyên viên", "Chuyên viên", "Cán sự"}
var npSchoolPos = []string{"Hiệu trưởng", "Phó Hiệu trưởng", "Giáo viên", "Giáo viên", "Giáo viên", "Giáo viên", "Nhân viên"}

// Ethnic groups of Nậm Pồ's staff and the ways the files write them (all aliases in
// config/vocabularies.yaml).
var npEthnicW = []weighted{{"Mông", 40}, {"Thái", 33}, {"Kinh", 15}, {"Khơ Mú", 7}, {"Dao", 3}, {"Hoa", 2}}
var npEthSpell = map[string][]string{"Mông": {"Mông", "Mông", "H'Mông"}, "Thái": {"Thái"}, "Kinh": {"Kinh"},
	"Khơ Mú": {"Khơ Mú", "Khơ-mú", "Khmu"}, "Dao": {"Dao"}, "Hoa": {"Hoa"}}

var npFamily = map[string][]string{
	"Mông":   {"Giàng", "Vàng", "Lầu", "Sùng", "Thào", "Mùa", "Lý", "Hạng", "Vừ", "Lò"},
	"Thái":   {"Lò", "Quàng", "Lường", "Cà", "Tòng", "Lò", "Vì", "Điêu", "Lê", "Lèo"},
	"Kinh":   {"Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Đỗ", "Vũ", "Bùi", "Đặng", "Ngô"},
	"Khơ Mú": {"Lò", "Quàng", "Cút", "Vi", "Lường"},
	"Dao":    {"Triệu", "Phùng", "Lý", "Đặng", "Chảo"},
	"Hoa":    {"Lồ", "Tráng", "Chang"},
}
var npMiddleM = map[string][]string{"Mông": {"A", "Seo", "Chứ", "Sình", "Páo"}, "Thái": {"Văn"}, "Kinh": {"Văn", "Đức", "Minh", "Quang", "Hữu"},
	"Khơ Mú": {"Văn"}, "Dao": {"Văn", "Ton"}, "Hoa": {"Văn", "Seo"}}
var npMiddleF = map[string][]string{"Mông": {"Thị", "Thị", "Thị Mai"}, "Thái": {"Thị"}, "Kinh": {"Thị", "Thị Thu", "Thị Hồng", "Thu"},
	"Khơ Mú": {"Thị"}, "Dao": {"Thị", "Mùi"}, "Hoa": {"Thị"}}
var npGivenM = []string{"Pó", "Dình", "Chua", "Sử", "Thái", "Phong", "Hùng", "Tiến", "Lả", "Xuân", "Dũng", "Thắng", "Mỷ", "Cường",
	"Sinh", "Tuấn", "Nam", "Hải", "Thành", "Sơn", "Việt", "Khánh", "Tú", "Long", "Quyết", "Chinh", "Hòa", "Bình", "Trọng", "Vàng"}
var npGivenF = []string{"Dợ", "Mai", "Xuân", "Hoa", "Lan", "Dung", "Huyền", "Thủy", "Hằng", "Nga", "Chi", "Thảo", "Phương", "Hương",
	"Lả", "Hiên", "Yến", "Minh", "Ngọc", "Trang", "Tâm", "Sua", "Pàng", "Mỷ", "Cở"}

// npPerson is one member of staff.
type npPerson struct {
	Name, Unit, Position, Ethnic, CCCD string
	Female                             bool
	Birth                              time.Time
	Edu, LLCT, QLNN                    string
	School                             bool // a viên chức of a school (trained in chức danh nghề nghiệp)
}

// DTTS reports whether the person belongs to an ethnic minority.
func (p *npPerson) DTTS() bool { return p.Ethnic != "Kinh" }

// npTraining is one row of the register.
type npTraining struct {
	P       *npPerson // the trainee; nil fields below say what the row leaves out
	Outside bool      // in no roster
	Kind    string
	Course  string
	From    time.Time
	NoID    bool // the row gives no CCCD
	BadID   bool // the row's CCCD is mistyped (the name and birth date still match)
	NoBirth bool // no birth date: matched by name in the unit
}

// npSet is the whole Nậm Pồ sample.
type npSet struct {
	Communes, District []*npPerson
	Outside            []*npPerson // trainees no roster lists
	Register           []*npTraining
}

func buildNamPo(used map[string]bool) *npSet {
	r := rand.New(rand.NewPCG(20220905, 15))
	s := &npSet{}
	cccd := map[string]bool{}
	newPerson := func(unit, pos string, school bool) *npPerson {
		p := &npPerson{Unit: unit, Position: pos, School: school}
		p.Female = r.IntN(100) < 38
		if school && pos == "Giáo viên" {
			p.Female = r.IntN(100) < 65
		}
		p.Ethnic = pickW(r, npEthnicW)
		p.identify(r, 24, 58, npAsOf, used, cccd)
		p.Edu = pickW(r, []weighted{{"Đại học", 62}, {"Cao đẳng", 14}, {"Trung cấp", 20}, {"Thạc sĩ", 4}})
		p.LLCT = pickW(r, []weighted{{"Sơ cấp", 45}, {"Trung cấp", 35}, {"", 20}})
		p.QLNN = pickW(r, []weighted{{"Chuyên viên", 45}, {"Cán sự", 10}, {"", 45}})
		return p
	}
	for _, c := range npCommunes {
		for _, pos := range npCommunePos {
			s.Communes = append(s.Communes, newPerson("UBND xã "+c, pos, false))
		}
	}
	for _, o := range npOffices {
		for _, pos := range npOfficePos {
			s.District = append(s.District, newPerson(o, pos, false))
		}
	}
	for _, sc := range npSchools {
		for i := 0; i < 44; i++ {
			pos := npSchoolPos[min(i, len(npSchoolPos)-1)]
			if i >= len(npSchoolPos) {
				pos = pick(r, npSchoolPos[2:])
			}
			if strings.HasPrefix(sc, "Trung tâm Y tế") {
				pos = pick(r, []string{"Bác sĩ", "Y sĩ", "Điều dưỡng", "Hộ sinh"})
			}
			s.District = append(s.District, newPerson(sc, pos, true))
		}
	}
	for i := 0; i < 8; i++ {
		p := newPerson(pick(r, append(append([]string{}, npOffices...), npSchools...)), "", false)
		s.Outside = append(s.Outside, p)
	}
	s.plan(r)
	checkNamPo(s)
	return s
}

// identify draws p's birth date (aged lo..hi at asOf) and name, a pair no one in
// used has, and a CCCD number no one in cccd has, and notes them there.
func (p *npPerson) identify(r *rand.Rand, lo, hi int, asOf time.Time, used, cccd map[string]bool) {
	for {
		p.Birth = birthAgedAt(r, lo, hi, asOf)
		p.Name = npName(r, p.Ethnic, p.Female)
		if k := p.Name + "|" + dmy(p.Birth); !used[k] {
			used[k] = true
			break
		}
	}
	for p.CCCD == "" || cccd[p.CCCD] {
		p.CCCD = makeCCCDFor(r, "011", p.Birth, p.Female)
	}
	cccd[p.CCCD] = true
}

// npName draws a name of the group and sex.
func npName(r *rand.Rand, eth string, female bool) string {
	mid := npMiddleM[eth]
	given := npGivenM
	if female {
		mid, given = npMiddleF[eth], npGivenF
	}
	return pick(r, npFamily[eth]) + " " + pick(r, mid) + " " + pick(r, given)
}

// birthAgedAt is a birth date of someone aged lo..hi at the date at.
func birthAgedAt(r *rand.Rand, lo, hi int, at time.Time) time.Time {
	earliest := at.AddDate(-hi-1, 0, 1)
	latest := at.AddDate(-lo, 0, 0)
	days := int(latest.Sub(earliest).Hours() / 24)
	return earliest.AddDate(0, 0, r.IntN(days+1))
}

var npCourses = map[string][]string{
	"ly_luan_chinh_tri":     {"Sơ cấp lý luận chính trị", "Trung cấp lý luận chính trị - hành chính", "Bồi dưỡng lý luận chính trị cho đảng viên mới"},
	"quan_ly_nha_nuoc":      {"Bồi dưỡng QLNN ngạch chuyên viên", "Bồi dưỡng QLNN ngạch chuyên viên chính", "Kiến thức QLNN cho cán bộ cấp xã"},
	"vi_tri_viec_lam":       {"Bồi dưỡng theo vị trí việc làm công chức văn phòng - thống kê", "Bồi dưỡng theo vị trí việc làm công chức tư pháp - hộ tịch", "Bồi dưỡng theo vị trí việc làm kế toán", "Bồi dưỡng theo vị trí việc làm"},
	"chuyen_mon_nghiep_vu":  {"Bồi dưỡng kiến thức, kỹ năng chuyên ngành nông nghiệp", "Kỹ năng chuyên ngành địa chính", "Chuyên môn nghiệp vụ công tác dân tộc", "Chuyên môn nghiệp vụ giáo dục vùng cao", "Kỹ năng chuyên ngành y tế cơ sở"},
	"chuc_danh_nghe_nghiep": {"Bồi dưỡng theo tiêu chuẩn CDNN giáo viên tiểu học hạng II", "Bồi dưỡng theo tiêu chuẩn CDNN giáo viên THCS hạng II", "Bồi dưỡng CDNN giáo viên mầm non hạng III", "Bồi dưỡng CDNN viên chức y tế"},
}

// plan draws the register: per kind, the DTTS people (each attending once, some
// twice) and Kinh and outside attendances, then the mess of each row.
func (s *npSet) plan(r *rand.Rand) {
	var dtts, kinh, dttsSchool, kinhSchool []*npPerson
	for _, p := range append(append([]*npPerson{}, s.Communes...), s.District...) {
		switch {
		case p.DTTS() && p.School:
			dttsSchool = append(dttsSchool, p)
		case p.DTTS():
			dtts = append(dtts, p)
		case p.School:
			kinhSchool = append(kinhSchool, p)
		default:
			kinh = append(kinh, p)
		}
	}
	allDTTS := append(append([]*npPerson{}, dtts...), dttsSchool...)
	allKinh := append(append([]*npPerson{}, kinh...), kinhSchool...)
	for _, kind := range npKinds {
		pl := npPlan[kind]
		pool, kpool := allDTTS, allKinh
		if kind == "chuc_danh_nghe_nghiep" {
			pool, kpool = dttsSchool, kinhSchool // viên chức only
		}
		if len(pool) < pl.DTTSNguoi {
			panic(fmt.Sprintf("nam-po: %s needs %d DTTS people, the roster has %d", kind, pl.DTTSNguoi, len(pool)))
		}
		chosen := sample(r, pool, pl.DTTSNguoi)
		var rows []*npPerson
		rows = append(rows, chosen...)
		for len(rows) < pl.DTTSLuot { // the rest attend again (another course of the kind)
			rows = append(rows, chosen[r.IntN(len(chosen))])
		}
		for i := 0; i < pl.KinhLuot; i++ {
			rows = append(rows, kpool[r.IntN(len(kpool))])
		}
		for _, p := range rows {
			s.Register = append(s.Register, &npTraining{P: p, Kind: kind})
		}
		for i := 0; i < pl.Outside; i++ {
			s.Register = append(s.Register, &npTraining{P: s.Outside[(i*3+len(kind))%len(s.Outside)], Outside: true, Kind: kind})
		}
	}
	start := time.Date(2021, 1, 11, 0, 0, 0, 0, time.UTC)
	for _, t := range s.Register {
		t.Course = pick(r, npCourses[t.Kind])
		t.From = start.AddDate(0, 0, r.IntN(560))
		switch x := r.IntN(100); {
		case x < 30:
			t.NoID = true
		case x < 33:
			t.BadID = true
		case x < 36 && !t.Outside:
			t.NoID, t.NoBirth = true, true
		}
	}
	// The register is kept by date, as the office enters courses.
	sort.SliceStable(s.Register, func(i, j int) bool { return s.Register[i].From.Before(s.Register[j].From) })
}

// sample draws n distinct people of pool.
func sample(r *rand.Rand, pool []*npPerson, n int) []*npPerson {
	idx := r.Perm(len(pool))[:n]
	sort.Ints(idx)
	out := make([]*npPerson, n)
	for i, j := range idx {
		out[i] = pool[j]
	}
	return out
}

// npCount counts the register as the article does: per kind, DTTS attendances and
// people.
func npCount(s *npSet) map[string][2]int {
	out := map[string][2]int{}
	seen := map[string]map[*npPerson]bool{}
	for _, t := range s.Register {
		if t.Outside || !t.P.DTTS() {
			continue
		}
		c := out[t.Kind]
		c[0]++
		if seen[t.Kind] == nil {
			seen[t.Kind] = map[*npPerson]bool{}
		}
		if !seen[t.Kind][t.P] {
			seen[t.Kind][t.P] = true
			c[1]++
		}
		out[t.Kind] = c
	}
	return out
}

// checkNamPo panics unless the model gives the article's five figures.
func checkNamPo(s *npSet) {
	got := npCount(s)
	for _, a := range npArticle {
		n := got[a.Kind][0]
		if a.People {
			n = got[a.Kind][1]
		}
		if n != a.N {
			panic(fmt.Sprintf("nam-po: %s = %d, want %d", a.Kind, n, a.N))
		}
	}
}

const (
	npCommuneFile  = "Danh sách CBCC các xã (08.2022).xlsx"
	npDistrictFile = "Phòng Nội vụ - CCVC khối huyện.xlsx"
	npRegisterFile = "Sổ theo dõi bồi dưỡng CBCCVC 2021-2022.xlsx"
)

// writeNamPo writes the three workbooks and returns their names.
func writeNamPo(dir string, s *npSet) []string {
	writeNPRoster(filepath.Join(dir, npCommuneFile), s.Communes, false, 2205, npHead)
	writeNPRoster(filepath.Join(dir, npDistrictFile), s.District, true, 2206, npHead)
	writeNPRegister(filepath.Join(dir, npRegisterFile), s.Register)
	return []string{npCommuneFile, npDistrictFile, npRegisterFile}
}

// rosterHead is the title block of a roster writeNPRoster writes: the district, the
// title of a commune (or one-table) roster and of a district one, the date it states.
type rosterHead struct {
	District, Title, DistrictTitle, AsOf string
}

var npHead = rosterHead{District: "UBND HUYỆN NẬM PỒ", Title: "DANH SÁCH CÁN BỘ, CÔNG CHỨC CẤP XÃ HUYỆN NẬM PỒ",
	DistrictTitle: "DANH SÁCH CÔNG CHỨC, VIÊN CHỨC KHỐI HUYỆN", AsOf: "(Tính đến ngày 31/08/2022)"}

// writeNPRoster writes a roster: N1 (communes, or Mường Chà's one list) or N2
// (district, birth dates under Nam | Nữ).
func writeNPRoster(path string, ps []*npPerson, district bool, seed uint64, hd rosterHead) {
	b := newBook(seed, "Times New Roman", 12, false)
	b.use("DS")
	h := b.st.header
	last := 11
	b.mset(1, 1, 3, 1, hd.District, b.st.center)
	b.mset(1, 2, 3, 2, "PHÒNG NỘI VỤ", b.st.boldCenter)
	b.mset(6, 1, last, 1, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", b.st.boldCenter)
	b.mset(6, 2, last, 2, "Độc lập - Tự do - Hạnh phúc", b.st.motto)
	title := hd.Title
	if district {
		title = hd.DistrictTitle
	}
	b.mset(1, 4, last, 4, title, b.st.title)
	b.mset(1, 5, last, 5, hd.AsOf, b.st.italicCenter)
	r := 7
	if district {
		b.widths(5, 24, 11, 11, 9, 15, 18, 30, 12, 12, 12)
		b.mset(1, 7, 1, 8, "STT", h)
		b.mset(2, 7, 2, 8, "Họ và tên", h)
		b.mset(3, 7, 4, 7, "Ngày tháng năm sinh", h)
		b.mset(3, 8, 3, 8, "Nam", h)
		b.mset(4, 8, 4, 8, "Nữ", h)
		b.mset(5, 7, 5, 8, "Dân tộc", h)
		b.mset(6, 7, 6, 8, "Số định danh cá nhân", h)
		b.mset(7, 7, 7, 8, "Chức vụ, chức danh", h)
		b.mset(8, 7, 8, 8, "Đơn vị công tác", h)
		b.mset(9, 7, 11, 7, "Trình độ", h)
		b.mset(9, 8, 9, 8, "Chuyên môn", h)
		b.mset(10, 8, 10, 8, "Lý luận chính trị", h)
		b.mset(11, 8, 11, 8, "Quản lý nhà nước", h)
		r = 9
	} else {
		b.widths(5, 24, 12, 8, 9, 15, 22, 22, 12, 12, 12)
		for i, t := range []string{"TT", "Họ và tên", "Ngày sinh", "Giới tính", "Dân tộc", "Số CCCD", "Chức vụ", "Đơn vị", "Trình độ chuyên môn", "Lý luận chính trị", "QLNN"} {
			b.mset(i+1, 7, i+1, 7, t, h)
		}
		r = 8
	}
	lostZero := 0
	for i, p := range ps {
		b.set(1, r, i+1)
		b.set(2, r, p.Name)
		if district {
			col := 3
			if p.Female {
				col = 4
			}
			b.text(col, r, dmy(p.Birth))
		} else {
			b.set(3, r, p.Birth)
			b.set(4, r, map[bool]string{false: "Nam", true: "Nữ"}[p.Female])
		}
		b.set(5, r, pick(b.r, npEthSpell[p.Ethnic]))
		if district && strings.HasPrefix(p.CCCD, "0") && lostZero < 6 && i%37 == 5 {
			// Typed as a number: Excel dropped the leading zero (id-leading-zero).
			lostZero++
			var n int
			fmt.Sscan(strings.TrimLeft(p.CCCD, "0"), &n)
			b.set(6, r, n)
		} else {
			b.text(6, r, p.CCCD)
		}
		b.set(7, r, p.Position)
		unit := p.Unit
		if !district && strings.HasPrefix(unit, "UBND xã ") && b.r.IntN(6) == 0 {
			unit = "Xã " + strings.TrimPrefix(unit, "UBND xã ") // the commune alone, as some clerks write it
		}
		b.set(8, r, unit)
		b.set(9, r, p.Edu)
		b.set(10, r, p.LLCT)
		b.set(11, r, p.QLNN)
		b.style(1, r, last, r, b.st.cell)
		b.style(1, r, 1, r, b.st.cellCenter)
		if !district {
			b.style(3, r, 3, r, b.st.cellDate)
		}
		r++
	}
	b.save(path)
}

var npKindSpell = map[string][]string{
	"ly_luan_chinh_tri":     {"LLCT", "Lý luận chính trị"},
	"quan_ly_nha_nuoc":      {"QLNN", "Quản lý nhà nước"},
	"vi_tri_viec_lam":       {"VTVL", "Vị trí việc làm", "Theo vị trí việc làm"},
	"chuyen_mon_nghiep_vu":  {"CMNV", "Chuyên môn, nghiệp vụ", "Chuyên môn nghiệp vụ"},
	"chuc_danh_nghe_nghiep": {"CDNN", "Hạng chức danh nghề nghiệp", "Theo chức danh nghề nghiệp"},
}

// writeNPRegister writes N3, the district's training register.
func writeNPRegister(path string, ts []*npTraining) {
	b := newBook(2207, "Times New Roman", 12, false)
	b.use("Sổ theo dõi")
	last := 10
	b.widths(5, 24, 12, 15, 26, 40, 16, 12, 12, 14)
	b.registerHead([2]string{"UBND HUYỆN NẬM PỒ", "PHÒNG NỘI VỤ"}, "SỔ THEO DÕI ĐÀO TẠO, BỒI DƯỠNG CÁN BỘ, CÔNG CHỨC, VIÊN CHỨC NĂM 2021 - 2022",
		"(Thực hiện Nghị quyết 15-NQ/HU; số liệu đến ngày 31/08/2022)", 7, last,
		"STT", "Họ và tên", "Ngày sinh", "Số CCCD", "Đơn vị công tác", "Nội dung bồi dưỡng", "Loại hình", "Từ ngày", "Đến ngày", "Kinh phí")
	r := 8
	for i, t := range ts {
		p := t.P
		b.traineeName(r, i+1, p.Name, 9)
		if !t.NoBirth {
			if b.r.IntN(2) == 0 {
				b.text(3, r, dmy(p.Birth))
			} else {
				b.set(3, r, p.Birth)
				b.style(3, r, 3, r, b.st.cellDate)
			}
		}
		b.traineeID(4, r, p.CCCD, t.NoID, t.BadID)
		b.set(5, r, p.Unit)
		b.set(6, r, t.Course)
		b.set(7, r, pick(b.r, npKindSpell[t.Kind]))
		b.set(8, r, t.From)
		days := 4
		if t.Kind == "ly_luan_chinh_tri" {
			days = 45
		}
		b.set(9, r, t.From.AddDate(0, 0, days))
		b.set(10, r, pickW(b.r, []weighted{{"Ngân sách", 9}, {"NSNN", 3}, {"Tự túc", 1}}))
		b.style(1, r, last, r, b.st.cell)
		b.style(1, r, 1, r, b.st.cellCenter)
		if t.NoBirth || b.r.IntN(2) == 0 {
			b.style(3, r, 3, r, b.st.cellCenter)
		}
		b.style(8, r, 9, r, b.st.cellDate)
		r++
	}
	b.save(path)
}

// registerHead writes a register's title block: the issuing body (two lines), the
// title, a note under it ("" for none), and the column headers in row head.
func (b *book) registerHead(body [2]string, title, note string, head, last int, headers ...string) {
	b.mset(1, 1, 3, 1, body[0], b.st.center)
	b.mset(1, 2, 3, 2, body[1], b.st.boldCenter)
	b.mset(1, 4, last, 4, title, b.st.title)
	if note != "" {
		b.mset(1, 5, last, 5, note, b.st.italicCenter)
	}
	for i, t := range headers {
		b.mset(i+1, head, i+1, head, t, b.st.header)
	}
}

// traineeName writes a register row's STT and name, typed in capitals one row in
// capsOneIn, as clerks do now and then.
func (b *book) traineeName(r, stt int, name string, capsOneIn int) {
	b.set(1, r, stt)
	if b.r.IntN(capsOneIn) == 0 {
		name = strings.ToUpper(name)
	}
	b.set(2, r, name)
}

// traineeID writes a register row's ID in column col: left out, mistyped or as is.
func (b *book) traineeID(col, r int, id string, noID, badID bool) {
	switch {
	case noID:
	case badID:
		b.text(col, r, mistype(id))
	default:
		b.text(col, r, id)
	}
}

// mistype swaps two neighbouring digits of an ID, as a clerk does.
func mistype(id string) string {
	bs := []byte(id)
	i := 6
	if bs[i] == bs[i+1] {
		bs[i+1] = '0' + (bs[i+1]-'0'+1)%10
	} else {
		bs[i], bs[i+1] = bs[i+1], bs[i]
	}
	return string(bs)
}

// verifyNamPo re-reads the register and checks its rows and the article's figures by
// the model (the full check, through canbo's own reading, is samples/samples_test.go).
func verifyNamPo(dir string, s *npSet) []string {
	var errs []string
	for _, name := range []string{npCommuneFile, npDistrictFile, npRegisterFile} {
		if _, err := readSheetRows(filepath.Join(dir, name)); err != nil {
			errs = append(errs, fmt.Sprintf("nam-po/%s: %v", name, err))
		}
	}
	rows, err := readSheetRows(filepath.Join(dir, npRegisterFile))
	if err == nil && rows-7 != len(s.Register) {
		errs = append(errs, fmt.Sprintf("nam-po register: %d rows, want %d", rows-7, len(s.Register)))
	}
	return errs
}

// readSheetRows is the number of rows of a workbook's first sheet.
func readSheetRows(path string) (int, error) {
	f, err := excelize.OpenFile(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	rows, err := f.GetRows(f.GetSheetName(0))
	return len(rows), err
}
