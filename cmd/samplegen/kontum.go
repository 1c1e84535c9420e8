package main

// samples/kon-tum: the four classes of "Đào tạo, bồi dưỡng cán bộ ở Kon Tum" (Tạp chí Xây
// dựng Đảng, interview with the head of the provincial Organisation Board):
//
//	"phối hợp mở 3 lớp đào tạo trình độ chuyên môn bậc đại học cho 218 học viên (chuyên ngành
//	Kinh tế phát triển 100 học viên, chuyên ngành Luật 65 học viên, chuyên ngành Nông học 53
//	học viên; trong đó, nữ chiếm 27,98%, DTTS chiếm 72,94%, dưới 35 tuổi chiếm 77,06%) và 1 lớp
//	trung cấp Luật cho 62 học viên là cán bộ đương chức và dự nguồn các chức danh lãnh đạo chủ
//	chốt cấp xã (trong đó, nữ chiếm 40,32%, DTTS chiếm 62,9%, dưới 35 tuổi chiếm 91,94%)."
//
// The percentages fix the counts: 61/218, 159/218, 168/218 and 25/62, 39/62, 57/62 are the
// only integers that round to them. The report groups by folder, so the three university
// classes live in kon-tum/dai-hoc/ and the trung cấp class in kon-tum/trung-cap-luat/.
// Ages are taken at the samples' common as-of date, 30/09/2023 (refDate).

import (
	"fmt"
	"math/rand/v2"
	"time"

	"golang.org/x/text/unicode/norm"
)

const (
	ktFolderDH = "dai-hoc"
	ktFolderTC = "trung-cap-luat"
)

// ktPerson is one learner.
type ktPerson struct {
	Name      string
	Birth     time.Time
	Female    bool
	Ethnic    string // canonical: "Xơ Đăng", "Ba Na", …, "Kinh"
	District  *ktDistrict
	Commune   string
	Position  ktPos
	Party     bool
	Edu       string // current professional level as the clerk writes it: "Trung cấp", "12/12"
	LLCT      string // "Sơ cấp", "Trung cấp", "Chưa"
	Culture   string // trình độ văn hóa (trung cấp class only): "12/12", "9/12"
	Incumbent bool   // trung cấp class: đương chức (true) or dự nguồn
	CCCD      string
	Code      string // mã học viên
	Phone     string
	Note      string
}

// Under35 is the article's "dưới 35 tuổi", at the as-of date.
func (p *ktPerson) Under35() bool { return age(p.Birth, refDate) < 35 }

// DTTS is "dân tộc thiểu số": every group but Kinh.
func (p *ktPerson) DTTS() bool { return p.Ethnic != "Kinh" }

func age(birth, at time.Time) int {
	a := at.Year() - birth.Year()
	if at.Month() < birth.Month() || (at.Month() == birth.Month() && at.Day() < birth.Day()) {
		a--
	}
	return a
}

// ktClass is one class list, written to one workbook.
type ktClass struct {
	Folder, File, Sheet string
	Major               string
	Layout              string // KA … KD, see kontum_write.go
	Size, Female, DTTS  int
	Under35             int
	Seed                uint64
	Persons             []*ktPerson
}

// The per-class split is ours; the folder totals are the article's (checked by checkKonTum).
var ktClasses = []*ktClass{
	{Folder: ktFolderDH, File: "Lớp Kinh tế phát triển.xlsx", Sheet: "DS học viên", Major: "Kinh tế phát triển", Layout: "KA",
		Size: 100, Female: 30, DTTS: 70, Under35: 76, Seed: 201},
	{Folder: ktFolderDH, File: "DS lop Luat - Phan hieu DHDN.xlsx", Sheet: "Lop Luat", Major: "Luật", Layout: "KB",
		Size: 65, Female: 19, DTTS: 47, Under35: 51, Seed: 202},
	{Folder: ktFolderDH, File: "Nông học K1 - danh sách học viên.xlsx", Sheet: "Sheet1", Major: "Nông học", Layout: "KC",
		Size: 53, Female: 12, DTTS: 42, Under35: 41, Seed: 203},
	{Folder: ktFolderTC, File: "Danh sách lớp Trung cấp Luật.xlsx", Sheet: "Danh sách", Major: "Luật", Layout: "KD",
		Size: 62, Female: 25, DTTS: 39, Under35: 57, Seed: 204},
}

// Published figures per folder: persons, and the shares as printed (the article drops the
// trailing zero of 62,90%).
var ktPublished = map[string]struct {
	Persons               int
	Female, DTTS, Under35 string
	FemaleN, DTTSN, U35N  int
	Majors                map[string]int
}{
	ktFolderDH: {218, "27,98", "72,94", "77,06", 61, 159, 168, map[string]int{"Kinh tế phát triển": 100, "Luật": 65, "Nông học": 53}},
	ktFolderTC: {62, "40,32", "62,9", "91,94", 25, 39, 57, map[string]int{"Luật": 62}},
}

// Minority groups per folder. Kon Tum's DTTS are mostly Xơ Đăng and Ba Na, then Gia Rai and
// Giẻ Triêng; Hrê, Brâu and Rơ Măm are small local groups; Mường, Tày, Thái and Nùng came
// with migration from the north.
var ktEthnicQuota = map[string][]weighted{
	ktFolderDH: {{"Xơ Đăng", 66}, {"Ba Na", 40}, {"Gia Rai", 19}, {"Giẻ Triêng", 17}, {"Hrê", 6}, {"Mường", 3},
		{"Brâu", 2}, {"Rơ Măm", 2}, {"Tày", 2}, {"Thái", 1}, {"Nùng", 1}},
	ktFolderTC: {{"Xơ Đăng", 17}, {"Ba Na", 10}, {"Giẻ Triêng", 5}, {"Gia Rai", 4}, {"Hrê", 2}, {"Brâu", 1}},
}

// ---------------------------------------------------------------- places

type ktDistrict struct {
	Name     string // "Đăk Hà"
	Kind     string // "huyện" or "thành phố"
	Communes []string
}

// Commune names are unique across districts here, so "Xã Hiếu" alone names one place.
var ktDistricts = []*ktDistrict{
	{"Đăk Hà", "huyện", []string{"Đăk Mar", "Đăk Hring", "Đăk La", "Hà Mòn", "Ngọk Wang", "Ngọk Réo", "Đăk Pxi", "Đăk Ui"}},
	{"Đăk Tô", "huyện", []string{"Đăk Rơ Nga", "Đăk Trăm", "Văn Lem", "Ngọk Tụ", "Kon Đào", "Tân Cảnh", "Pô Kô", "Diên Bình"}},
	{"Ngọc Hồi", "huyện", []string{"Bờ Y", "Đăk Xú", "Đăk Nông", "Đăk Ang", "Đăk Dục", "Sa Loong"}},
	{"Đăk Glei", "huyện", []string{"Đăk Choong", "Đăk Man", "Đăk Nhoong", "Mường Hoong", "Ngọc Linh", "Xốp", "Đăk Kroong", "Đăk Môn"}},
	{"Sa Thầy", "huyện", []string{"Rờ Kơi", "Mô Rai", "Ya Xiêr", "Sa Sơn", "Sa Nghĩa", "Sa Bình", "Hơ Moong", "Ya Ly"}},
	{"Kon Rẫy", "huyện", []string{"Đăk Ruồng", "Đăk Tờ Re", "Đăk Pne", "Đăk Kôi", "Đăk Tơ Lung"}},
	{"Kon Plông", "huyện", []string{"Hiếu", "Măng Cành", "Pờ Ê", "Ngọk Tem", "Đăk Tăng", "Măng Bút", "Đăk Ring", "Đăk Nên"}},
	{"Tu Mơ Rông", "huyện", []string{"Đăk Sao", "Đăk Tờ Kan", "Măng Ri", "Ngọk Lây", "Văn Xuôi", "Đăk Rơ Ông", "Ngọk Yêu", "Tê Xăng", "Đăk Na"}},
	{"Ia H'Drai", "huyện", []string{"Ia Đal", "Ia Dom", "Ia Tơi"}},
	{"Kon Tum", "thành phố", []string{"Đăk Cấm", "Ia Chim", "Vinh Quang", "Ngọk Bay", "Đăk Blà", "Kroong", "Chư Hreng", "Đăk Rơ Wa"}},
}

func districtByName(name string) *ktDistrict {
	for _, d := range ktDistricts {
		if d.Name == name {
			return d
		}
	}
	panic("no district " + name)
}

// Where each group mostly lives, so the Đơn vị column is plausible for the person.
var ktHome = map[string][]string{
	"Xơ Đăng":    {"Tu Mơ Rông", "Đăk Tô", "Đăk Glei", "Kon Plông", "Đăk Hà", "Kon Rẫy"},
	"Ba Na":      {"Kon Rẫy", "Kon Tum", "Đăk Hà", "Sa Thầy"},
	"Gia Rai":    {"Sa Thầy", "Ia H'Drai", "Kon Tum"},
	"Giẻ Triêng": {"Đăk Glei", "Ngọc Hồi"},
	"Hrê":        {"Kon Plông", "Kon Rẫy"},
	"Brâu":       {"Ngọc Hồi"},
	"Rơ Măm":     {"Sa Thầy"},
}

// Full district name: "huyện Đăk Hà", "thành phố Kon Tum".
func (d *ktDistrict) Full() string { return d.Kind + " " + d.Name }

// ---------------------------------------------------------------- positions

// ktPos is a position and the kind of body it sits in, which decides the Đơn vị text.
type ktPos struct {
	Title string
	Body  string // "ubnd" (xã), "dangu" (Đảng ủy xã), "huyen" (UBND huyện), "huyenuy", "tram"
	Sex   int    // 0 either, 1 men only, 2 women only
}

var ktPositions = map[string][]ktPos{
	"KA": {{"Phó Chủ tịch UBND xã", "ubnd", 0}, {"Công chức Tài chính - Kế toán", "ubnd", 0}, {"Công chức Văn phòng - Thống kê", "ubnd", 0},
		{"Công chức Địa chính - Xây dựng", "ubnd", 0}, {"Phó Bí thư Đảng ủy xã", "dangu", 0}, {"Bí thư Đoàn xã", "dangu", 0},
		{"Chủ tịch Hội Nông dân xã", "dangu", 1}, {"Chuyên viên Phòng Tài chính - Kế hoạch", "huyen", 0},
		{"Chuyên viên Văn phòng HĐND và UBND", "huyen", 0}, {"Chủ tịch Hội LHPN xã", "dangu", 2}, {"Phó Chủ tịch HĐND xã", "ubnd", 0}},
	"KB": {{"Công chức Tư pháp - Hộ tịch", "ubnd", 0}, {"Công chức Tư pháp - Hộ tịch", "ubnd", 0}, {"Phó Chủ tịch HĐND xã", "ubnd", 0},
		{"Chủ tịch UBMTTQ xã", "dangu", 0}, {"Chuyên viên Phòng Tư pháp", "huyen", 0}, {"Chuyên viên Ban Tổ chức", "huyenuy", 0},
		{"Cán bộ Ủy ban Kiểm tra", "huyenuy", 0}, {"Phó Chủ tịch UBND xã", "ubnd", 0}, {"Chủ tịch Hội LHPN xã", "dangu", 2},
		{"Trưởng Công an xã", "ubnd", 1}},
	"KC": {{"Công chức Địa chính - Nông nghiệp", "ubnd", 0}, {"Công chức Địa chính - Nông nghiệp", "ubnd", 0}, {"Phó Chủ tịch UBND xã", "ubnd", 0},
		{"Chủ tịch Hội Nông dân xã", "dangu", 0}, {"Cán bộ Trạm Khuyến nông", "tram", 0}, {"Chuyên viên Phòng Nông nghiệp và PTNT", "huyen", 0},
		{"Khuyến nông viên xã", "ubnd", 0}},
}

// Trung cấp class: đương chức (incumbent) and dự nguồn (successor) key commune titles.
var ktIncumbent = []ktPos{{"Bí thư Đảng ủy xã", "dangu", 0}, {"Phó Bí thư Đảng ủy xã", "dangu", 0}, {"Chủ tịch UBND xã", "ubnd", 0},
	{"Phó Chủ tịch UBND xã", "ubnd", 0}, {"Chủ tịch HĐND xã", "ubnd", 0}, {"Phó Chủ tịch HĐND xã", "ubnd", 0}, {"Chủ tịch UBMTTQ xã", "dangu", 0}}
var ktSuccessor = []ktPos{{"Bí thư Đoàn xã", "dangu", 0}, {"Chủ tịch Hội LHPN xã", "dangu", 2}, {"Công chức Văn phòng - Thống kê", "ubnd", 0},
	{"Công chức Tư pháp - Hộ tịch", "ubnd", 0}, {"Phó Bí thư Đoàn xã", "dangu", 0}, {"Công chức Địa chính - Nông nghiệp", "ubnd", 0}}

// Unit is the Đơn vị công tác text: "UBND xã Đăk Hring, huyện Đăk Hà".
func (p *ktPerson) Unit() string {
	d := p.District
	switch p.Position.Body {
	case "huyen":
		return "UBND " + d.Full()
	case "huyenuy":
		if d.Kind == "thành phố" {
			return "Thành ủy " + d.Name
		}
		return "Huyện ủy " + d.Name
	case "tram":
		return "Trạm Khuyến nông " + d.Full()
	case "dangu":
		return "Đảng ủy xã " + p.Commune + ", " + d.Full()
	}
	return "UBND xã " + p.Commune + ", " + d.Full()
}

// ---------------------------------------------------------------- names

var ktKinhFamily = []weighted{{"Nguyễn", 20}, {"Trần", 8}, {"Lê", 9}, {"Phạm", 6}, {"Võ", 5}, {"Huỳnh", 4}, {"Hoàng", 3}, {"Phan", 3},
	{"Đặng", 3}, {"Bùi", 3}, {"Đỗ", 3}, {"Hồ", 3}, {"Ngô", 2}, {"Dương", 2}, {"Đinh", 2}}
var ktMigrantFamily = map[string][]weighted{
	"Mường": {{"Bùi", 3}, {"Đinh", 2}, {"Quách", 1}}, "Tày": {{"Hoàng", 2}, {"Nông", 2}, {"Lương", 1}},
	"Thái": {{"Lò", 2}, {"Lường", 1}, {"Cầm", 1}}, "Nùng": {{"Nông", 2}, {"Vi", 1}, {"Hoàng", 1}},
}
var ktMiddleM = []weighted{{"Văn", 12}, {"Đức", 3}, {"Minh", 3}, {"Quang", 2}, {"Hữu", 2}, {"Công", 2}, {"Thanh", 2}, {"Ngọc", 1}}
var ktMiddleF = []weighted{{"Thị", 14}, {"Thị Kim", 2}, {"Thị Thu", 2}, {"Thị Hồng", 2}, {"Thị Mỹ", 2}, {"Ngọc", 1}, {"Thùy", 1}}

// Given names used by the Central Highlands groups, after "A" (men) or "Y" (women).
var ktMinM = []string{"Thuấn", "Blơng", "Hmin", "Sang", "Khiên", "Tiêu", "Rin", "Phiên", "Nhất", "Dũng", "Hùng", "Kiên", "Lâm", "Quý",
	"Thương", "Hrưng", "Đức", "Bình", "Niêm", "Tuy", "Hyui", "Xuân", "Ngữ", "Vương", "Kha", "Biêu", "Hoan", "Thái", "Nghe", "Rưn"}
var ktMinF = []string{"Blin", "Hơ", "Dăm", "Nhung", "Ngọc", "Mai", "Thu", "Hiền", "Lan", "Phương", "Thủy", "Tuyết", "Ly", "Kim", "Len",
	"Mửi", "Hương", "Trinh", "Oanh", "Hà", "Đào", "Nga", "Uê", "Sương", "Khuyên", "Blưi", "Hnga", "Ngân", "Liên", "Pơn"}
var ktGiaRaiFamily = []string{"Siu", "Ksor", "Rơ Châm", "Rơ Mah", "Kpă", "Nay", "Puih", "Rơ Lan"}

func ktName(r *rand.Rand, eth string, female bool) string {
	given, middle := givenMale, ktMiddleM
	minGiven, ay := ktMinM, "A"
	if female {
		given, middle = givenFemale, ktMiddleF
		minGiven, ay = ktMinF, "Y"
	}
	var s string
	switch eth {
	case "Kinh":
		s = pickW(r, ktKinhFamily) + " " + pickW(r, middle) + " " + pick(r, given)
	case "Mường", "Tày", "Thái", "Nùng":
		s = pickW(r, ktMigrantFamily[eth]) + " " + pickW(r, middle) + " " + pick(r, given)
	case "Gia Rai":
		g := pick(r, minGiven)
		if female {
			g = "H'" + g // the Gia Rai women's name marker
		}
		s = pick(r, ktGiaRaiFamily) + " " + g
	case "Hrê":
		s = pickW(r, []weighted{{"Đinh", 5}, {"Phạm", 2}}) + " " + map[bool]string{false: "Văn", true: "Thị"}[female] + " " + pick(r, given)
	case "Brâu":
		s = "Thao " + map[bool]string{false: "Văn", true: "Thị"}[female] + " " + pick(r, minGiven)
	default: // Xơ Đăng, Ba Na, Giẻ Triêng, Rơ Măm
		if r.IntN(100) < 68 {
			s = ay + " " + pick(r, minGiven)
		} else {
			fam := pickW(r, []weighted{{"Đinh", 4}, {"Nguyễn", 2}, {"Hồ", 2}, {"Lê", 1}})
			s = fam + " " + map[bool]string{false: "Văn", true: "Thị"}[female] + " " + pick(r, given)
		}
	}
	return norm.NFC.String(s)
}

// ---------------------------------------------------------------- build

// Birth dates: whoever is under 35 on 30/09/2023 was born after 30/09/1988.
var (
	born35 = time.Date(1988, 9, 30, 0, 0, 0, 0, time.UTC) // 35 on the as-of date: NOT under 35
	born34 = time.Date(1988, 10, 1, 0, 0, 0, 0, time.UTC) // 34 on the as-of date: under 35
)

// birthAged returns a date for someone aged between lo and hi (inclusive) at refDate.
func birthAged(r *rand.Rand, lo, hi int) time.Time {
	earliest := refDate.AddDate(-hi-1, 0, 1) // aged hi on the day before they turn hi+1
	latest := refDate.AddDate(-lo, 0, 0)
	days := int(latest.Sub(earliest).Hours() / 24)
	return earliest.AddDate(0, 0, r.IntN(days+1))
}

// choose returns n flags with exactly k set, in random order.
func choose(r *rand.Rand, n, k int) []bool {
	out := make([]bool, n)
	for i := 0; i < k; i++ {
		out[i] = true
	}
	r.Shuffle(n, func(i, j int) { out[i], out[j] = out[j], out[i] })
	return out
}

// quotaList expands weighted quotas into a shuffled list of exactly their sum.
func quotaList(r *rand.Rand, q []weighted) []string {
	var out []string
	for _, x := range q {
		for i := 0; i < x.w; i++ {
			out = append(out, x.v)
		}
	}
	r.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	return out
}

// buildKonTum fills ktClasses' persons. used holds "name|dd/mm/yyyy" of every person of the
// other sample sets, so that no one appears twice across samples/ (validate would call that
// a duplicate person).
func buildKonTum(used map[string]bool) []*ktClass {
	r := rand.New(rand.NewPCG(20230930, 280))
	eth := map[string][]string{}
	for _, folder := range []string{ktFolderDH, ktFolderTC} { // fixed order: r must be drawn the same way every run
		eth[folder] = quotaList(r, ktEthnicQuota[folder])
	}
	cccd := map[string]bool{}
	for _, c := range ktClasses {
		c.Persons = nil
		fem, dtts, u35 := choose(r, c.Size, c.Female), choose(r, c.Size, c.DTTS), choose(r, c.Size, c.Under35)
		boundary := map[bool]bool{} // the 30/09/1988 and 01/10/1988 births are placed once per file
		for i := 0; i < c.Size; i++ {
			p := &ktPerson{Female: fem[i], Ethnic: "Kinh"}
			if dtts[i] {
				p.Ethnic, eth[c.Folder] = eth[c.Folder][0], eth[c.Folder][1:]
			}
			if (c.Layout == "KA" || c.Layout == "KD") && !boundary[u35[i]] {
				boundary[u35[i]] = true
				p.Birth = map[bool]time.Time{true: born34, false: born35}[u35[i]]
			}
			ktPlace(r, c, p)
			fixed := p.Birth
			lo, hi := ktAges(c, u35[i])
			for {
				p.Birth = fixed
				if fixed.IsZero() {
					p.Birth = birthAged(r, lo, hi)
				}
				p.Name = ktName(r, p.Ethnic, p.Female)
				if k := p.Name + "|" + dmy(p.Birth); !used[k] {
					used[k] = true
					break
				}
			}
			ktQualify(r, c, p)
			if c.Layout == "KD" {
				for p.CCCD == "" || cccd[p.CCCD] {
					p.CCCD = makeCCCDFor(r, "062", p.Birth, p.Female)
				}
				cccd[p.CCCD] = true
			}
			p.Code = fmt.Sprintf("%s21.%03d", map[string]string{"KA": "KTPT", "KB": "LUAT", "KC": "NH", "KD": "TCL"}[c.Layout], i+1)
			p.Phone = fmt.Sprintf("0%d%08d", pick(r, []int{90, 91, 94, 97, 98, 35, 38, 39, 84}), r.IntN(100000000))
			c.Persons = append(c.Persons, p)
		}
		ktSort(c)
	}
	checkKonTum(ktClasses)
	return ktClasses
}

// ktAges is the age range of a class's learners, under 35 or not.
func ktAges(c *ktClass, under bool) (int, int) {
	switch {
	case under && c.Folder == ktFolderTC:
		return 22, 34
	case under:
		return 21, 34
	case c.Folder == ktFolderTC:
		return 35, 46
	}
	return 35, 52
}

// ktPlace picks the person's position, district and commune.
func ktPlace(r *rand.Rand, c *ktClass, p *ktPerson) {
	list := ktPositions[c.Layout]
	if c.Layout == "KD" {
		p.Incumbent = r.IntN(100) < 52
		list = ktSuccessor
		if p.Incumbent {
			list = ktIncumbent
		}
	}
	for {
		p.Position = pick(r, list)
		if (p.Position.Sex == 1 && p.Female) || (p.Position.Sex == 2 && !p.Female) {
			continue
		}
		break
	}
	var d *ktDistrict
	if homes, ok := ktHome[p.Ethnic]; ok && r.IntN(100) < 85 {
		d = districtByName(pick(r, homes))
	} else {
		d = pick(r, ktDistricts)
	}
	p.District = d
	p.Commune = pick(r, d.Communes)
	if p.Ethnic == "Brâu" {
		p.Commune = "Bờ Y" // the Brâu live in Đăk Mế village, xã Bờ Y
	}
	if p.Ethnic == "Rơ Măm" {
		p.Commune = "Mô Rai" // làng Le, xã Mô Rai
	}
}

var ktEduByLayout = map[string][]weighted{
	"KA": {{"Trung cấp", 30}, {"Trung cấp Kế toán", 15}, {"Cao đẳng", 10}, {"12/12", 35}, {"Sơ cấp", 5}, {"Trung cấp Tài chính", 5}},
	"KB": {{"Trung cấp", 25}, {"Trung cấp Luật", 25}, {"12/12", 35}, {"Cao đẳng", 8}, {"Sơ cấp", 7}},
	"KC": {{"TC Nông lâm", 30}, {"TC", 15}, {"12/12", 35}, {"CĐ Nông lâm", 10}, {"Sơ cấp nghề", 10}},
	"KD": {{"Chưa qua đào tạo", 30}, {"Sơ cấp", 6}, {"Trung cấp Nông lâm", 8}, {"Trung cấp Kế toán", 6}, {"Trung cấp", 5}, {"Cao đẳng Sư phạm", 3}},
}

var ktLLCTByLayout = map[string][]weighted{
	"KA": {{"Sơ cấp", 40}, {"Trung cấp", 30}, {"Chưa", 30}},
	"KB": {{"Sơ cấp", 40}, {"Trung cấp", 30}, {"Chưa", 30}},
	"KC": {{"SC", 40}, {"TC", 30}, {"Chưa qua ĐT", 30}},
	"KD": {{"Sơ cấp", 50}, {"Trung cấp", 20}, {"Chưa", 30}},
}

func ktQualify(r *rand.Rand, c *ktClass, p *ktPerson) {
	p.Edu = pickW(r, ktEduByLayout[c.Layout])
	p.LLCT = pickW(r, ktLLCTByLayout[c.Layout])
	switch c.Layout {
	case "KB":
		p.Party = r.IntN(100) < 75
	case "KD":
		p.Party = p.Incumbent || r.IntN(100) < 80
		p.Culture = "12/12"
		if r.IntN(100) < 8 {
			p.Culture = "9/12"
		}
	case "KA":
		if p.DTTS() && r.IntN(100) < 10 {
			p.Note = "Cử tuyển"
		}
	}
}

// ktSort orders a class list as the school does: by district (KB, KD group by it), then
// by given name, the Vietnamese way.
func ktSort(c *ktClass) {
	key := func(p *ktPerson) string {
		g := ""
		if c.Layout == "KB" || c.Layout == "KD" {
			g = fmt.Sprintf("%02d|", districtIndex(p.District))
		}
		return g + asciiFold(lastWord(p.Name)) + "|" + asciiFold(p.Name) + "|" + p.Birth.Format("20060102")
	}
	ps := c.Persons
	for i := 1; i < len(ps); i++ {
		for j := i; j > 0 && key(ps[j]) < key(ps[j-1]); j-- {
			ps[j], ps[j-1] = ps[j-1], ps[j]
		}
	}
}

func districtIndex(d *ktDistrict) int {
	for i, x := range ktDistricts {
		if x == d {
			return i
		}
	}
	return -1
}

func lastWord(s string) string {
	for i := len(s) - 1; i >= 0; i-- {
		if s[i] == ' ' {
			return s[i+1:]
		}
	}
	return s
}

// makeCCCDFor builds a 12-digit CCCD: province code, sex/century digit, 2-digit year, 6 digits.
func makeCCCDFor(r *rand.Rand, prov string, birth time.Time, female bool) string {
	g := 0
	if birth.Year() >= 2000 {
		g = 2
	}
	if female {
		g++
	}
	return fmt.Sprintf("%s%d%02d%06d", prov, g, birth.Year()%100, r.IntN(1000000))
}

// ---------------------------------------------------------------- check

type ktCounts struct{ Persons, Female, DTTS, Under35 int }

func countKT(ps []*ktPerson) ktCounts {
	var c ktCounts
	for _, p := range ps {
		c.Persons++
		if p.Female {
			c.Female++
		}
		if p.DTTS() {
			c.DTTS++
		}
		if p.Under35() {
			c.Under35++
		}
	}
	return c
}

// pctVN formats n/total with two decimals and a decimal comma: 27,98.
func pctVN(n, total int) string {
	s := fmt.Sprintf("%.2f", float64(n)*100/float64(total))
	return s[:len(s)-3] + "," + s[len(s)-2:]
}

// samePct compares a computed share with the article's, which may drop a trailing zero.
func samePct(got, published string) bool {
	return got == published || got == published+"0"
}

// checkKonTum panics unless the classes reproduce the article.
func checkKonTum(cs []*ktClass) {
	var errs []string
	fail := func(f string, a ...any) { errs = append(errs, fmt.Sprintf(f, a...)) }
	byFolder := map[string][]*ktPerson{}
	for _, c := range cs {
		got := countKT(c.Persons)
		if got != (ktCounts{c.Size, c.Female, c.DTTS, c.Under35}) {
			fail("%s: %+v, want %d/%d/%d/%d", c.File, got, c.Size, c.Female, c.DTTS, c.Under35)
		}
		byFolder[c.Folder] = append(byFolder[c.Folder], c.Persons...)
	}
	for folder, pub := range ktPublished {
		c := countKT(byFolder[folder])
		if c.Female != pub.FemaleN || c.DTTS != pub.DTTSN || c.Under35 != pub.U35N {
			fail("%s: %+v, want nữ %d, DTTS %d, dưới 35 %d", folder, c, pub.FemaleN, pub.DTTSN, pub.U35N)
		}
		if c.Persons != pub.Persons {
			fail("%s: %d persons, published %d", folder, c.Persons, pub.Persons)
		}
		for _, x := range []struct {
			what string
			n    int
			want string
		}{{"nữ", c.Female, pub.Female}, {"DTTS", c.DTTS, pub.DTTS}, {"dưới 35", c.Under35, pub.Under35}} {
			if !samePct(pctVN(x.n, c.Persons), x.want) {
				fail("%s %s: %d/%d = %s%%, published %s%%", folder, x.what, x.n, c.Persons, pctVN(x.n, c.Persons), x.want)
			}
		}
	}
	for _, c := range cs {
		edge := 0 // the under-35 boundary must be exercised: born 30/09/1988 (35) and 01/10/1988 (34)
		for _, p := range c.Persons {
			if a := age(p.Birth, refDate); a < 20 || a > 55 {
				fail("%s: %s aged %d", c.File, p.Name, a)
			}
			if p.Birth.Equal(born35) || p.Birth.Equal(born34) {
				edge++
			}
		}
		if (c.Layout == "KA" || c.Layout == "KD") && edge != 2 {
			fail("%s: %d persons born on 30/09/1988 or 01/10/1988, want 2", c.File, edge)
		}
	}
	if len(errs) > 0 {
		panic("Kon Tum classes do not reproduce the article:\n  " + joinLines(errs))
	}
}

func joinLines(xs []string) string {
	s := ""
	for i, x := range xs {
		if i > 0 {
			s += "\n  "
		}
		s += x
	}
	return s
}
