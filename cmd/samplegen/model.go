package main

// The data model: 20 Chợ Đồn commune units, 388 persons and 877 training attendances.
// Everything is drawn from one fixed-seed PCG so the output never changes between runs.

import (
	"fmt"
	"math/rand/v2"
	"sort"
	"strings"
	"time"

	"golang.org/x/text/unicode/norm"
)

// Published figures (Báo Bắc Kạn, 29/11/2023, "Chuẩn hóa đội ngũ cán bộ cơ sở ở Chợ Đồn").
const (
	wantPersons = 388
	wantUnits   = 20
)

// Reference date of every roster.
var refDate = time.Date(2023, 9, 30, 0, 0, 0, 0, time.UTC)

// Training window of the register.
var (
	trainFrom = time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC)
	trainTo   = time.Date(2023, 9, 30, 0, 0, 0, 0, time.UTC)
)

type Edu int

const (
	EduThS Edu = iota
	EduDH
	EduCD
	EduTC
)

var eduNames = []string{"Thạc sĩ", "Đại học", "Cao đẳng", "Trung cấp"}

func (e Edu) String() string { return eduNames[e] }

type LLCT int

const (
	LLCTCC LLCT = iota
	LLCTTC
	LLCTSC
	LLCTNone
)

var llctNames = []string{"Cao cấp", "Trung cấp", "Sơ cấp", "Chưa qua đào tạo"}

func (l LLCT) String() string { return llctNames[l] }

type QLNN int

const (
	QLNNCVC QLNN = iota
	QLNNCV
	QLNNNone
)

var qlnnNames = []string{"Chuyên viên chính", "Chuyên viên", "Chưa qua bồi dưỡng"}

func (q QLNN) String() string { return qlnnNames[q] }

// Required totals.
var (
	wantEdu  = [4]int{3, 313, 21, 51}
	wantLLCT = [4]int{8, 261, 79, 40}
	wantQLNN = [3]int{2, 204, 182}
	// Nghĩa Tá: 19 persons, ThS 0, ĐH 15, CĐ 1, TC 3.
	wantNTEdu = [4]int{0, 15, 1, 3}
)

// Training kinds in the order of the article.
type Kind int

const (
	KLLCT Kind = iota
	KCMNV
	KQLNN
	KVTVL
	KLDQL
	KQPAN
	KTHNN
	KHDND
)

var kindNames = []string{
	"lý luận chính trị", "chuyên môn nghiệp vụ", "quản lý nhà nước", "vị trí việc làm",
	"lãnh đạo quản lý", "quốc phòng - an ninh", "tin học - ngoại ngữ - tiếng dân tộc", "đại biểu HĐND",
}

func (k Kind) String() string { return kindNames[k] }

var wantKinds = [8]int{139, 98, 64, 49, 25, 83, 44, 375}

const wantAttendances = 877

// Positions.
const (
	pBiThu   = "Bí thư Đảng ủy"
	pPBT     = "Phó Bí thư Đảng ủy"
	pCTHDND  = "Chủ tịch HĐND"
	pPCTHDND = "Phó Chủ tịch HĐND"
	pCTUB    = "Chủ tịch UBND"
	pPCTUB   = "Phó Chủ tịch UBND"
	pMTTQ    = "Chủ tịch UBMTTQ"
	pDoan    = "Bí thư Đoàn TN"
	pLHPN    = "Chủ tịch Hội LHPN"
	pHND     = "Chủ tịch Hội Nông dân"
	pCCB     = "Chủ tịch Hội CCB"
	pCHT     = "Chỉ huy trưởng Quân sự"
	pVP      = "Văn phòng - thống kê"
	pDC      = "Địa chính - xây dựng"
	pTC      = "Tài chính - kế toán"
	pTP      = "Tư pháp - hộ tịch"
	pVH      = "Văn hóa - xã hội"
)

var canBoPositions = []string{pBiThu, pPBT, pCTHDND, pPCTHDND, pCTUB, pPCTUB, pMTTQ, pDoan, pLHPN, pHND, pCCB}
var congChucPositions = []string{pCHT, pVP, pDC, pTC, pTP, pVH, pVP, pTP, pVH, pDC, pTC}

type Unit struct {
	Idx     int
	Short   string // "Nghĩa Tá"
	Town    bool   // thị trấn
	Size    int
	Persons []*Person
}

func (u *Unit) Kind() string {
	if u.Town {
		return "thị trấn"
	}
	return "xã"
}

// Display is the unit name as used in file names and "Đơn vị" cells: "UBND xã Nghĩa Tá".
func (u *Unit) Display() string { return "UBND " + u.Kind() + " " + u.Short }

// KindShort is "xã Nghĩa Tá" / "thị trấn Bằng Lũng".
func (u *Unit) KindShort() string { return u.Kind() + " " + u.Short }

func upper(s string) string { return strings.ToUpper(s) }

type Person struct {
	ID        int
	Unit      *Unit
	Name      string // NFC, single spaces
	Birth     time.Time
	YearOnly  bool // written as the year only (L4 files); never in the training register
	Female    bool
	Ethnic    string // canonical: Tày, Kinh, Dao, Nùng, Mông, Hoa, Sán Chay
	Position  string
	CanBo     bool
	Edu       Edu
	Major     string
	LLCT      LLCT
	QLNN      QLNN
	Party     bool
	PartyDate time.Time
	CCCD      string
	HDND      bool // đại biểu HĐND xã
	Note      string
	Atts      []*Attendance
}

func (p *Person) Age(at time.Time) int {
	a := at.Year() - p.Birth.Year()
	if at.Month() < p.Birth.Month() || (at.Month() == p.Birth.Month() && at.Day() < p.Birth.Day()) {
		a--
	}
	return a
}

type Session struct {
	Course   *Course
	From, To time.Time
	Form     string // Tập trung / Không tập trung / Trực tuyến
	SelfPaid bool
	Provider string
}

type Course struct {
	Name        string
	Kind        Kind
	Target      int
	AllowRepeat bool // the same person may attend another session of this course
	Sessions    []*Session
	Eligible    func(p *Person) bool
}

type Attendance struct {
	Person  *Person
	Session *Session
}

type Model struct {
	Units   []*Unit
	Persons []*Person
	Courses []*Course
	Atts    []*Attendance
}

func (m *Model) unit(short string) *Unit {
	for _, u := range m.Units {
		if u.Short == short {
			return u
		}
	}
	panic("no unit " + short)
}

func (u *Unit) first(pos string) *Person {
	for _, p := range u.Persons {
		if p.Position == pos {
			return p
		}
	}
	panic("no " + pos + " in " + u.Short)
}

var unitDefs = []struct {
	short string
	town  bool
	size  int
}{
	{"Nghĩa Tá", false, 19}, {"Bằng Phúc", false, 20}, {"Bằng Lãng", false, 19}, {"Bản Thi", false, 19},
	{"Bình Trung", false, 20}, {"Đại Sảo", false, 19}, {"Đồng Lạc", false, 19}, {"Lương Bằng", false, 20},
	{"Nam Cường", false, 19}, {"Ngọc Phái", false, 18}, {"Phương Viên", false, 19}, {"Quảng Bạch", false, 19},
	{"Tân Lập", false, 19}, {"Xuân Lạc", false, 21}, {"Yên Mỹ", false, 19}, {"Yên Phong", false, 20},
	{"Yên Thịnh", false, 19}, {"Yên Thượng", false, 20}, {"Đồng Thắng", false, 18}, {"Bằng Lũng", true, 22},
}

// ---------------------------------------------------------------- names

type weighted struct {
	v string
	w int
}

func pickW(r *rand.Rand, ws []weighted) string {
	t := 0
	for _, x := range ws {
		t += x.w
	}
	n := r.IntN(t)
	for _, x := range ws {
		if n < x.w {
			return x.v
		}
		n -= x.w
	}
	panic("unreachable")
}

func pick[T any](r *rand.Rand, xs []T) T { return xs[r.IntN(len(xs))] }

var familyAll = []weighted{
	{"Nông", 14}, {"Hoàng", 14}, {"Ma", 10}, {"Triệu", 7}, {"Bàn", 4}, {"Lý", 5}, {"Hà", 8},
	{"Lường", 3}, {"Đặng", 5}, {"Lục", 4}, {"Nguyễn", 12}, {"Dương", 5}, {"Phùng", 4},
}
var familyByEthnic = map[string][]weighted{
	"Dao":      {{"Bàn", 5}, {"Triệu", 5}, {"Đặng", 4}, {"Lý", 3}},
	"Mông":     {{"Lý", 4}, {"Hoàng", 2}, {"Ma", 2}},
	"Kinh":     {{"Nguyễn", 8}, {"Dương", 3}, {"Hà", 3}, {"Phùng", 2}, {"Đặng", 2}, {"Hoàng", 2}},
	"Hoa":      {{"Lý", 3}, {"Hoàng", 2}, {"Phùng", 2}},
	"Sán Chay": {{"Lục", 3}, {"Triệu", 2}, {"Hà", 2}},
}
var middleMale = []weighted{{"Văn", 20}, {"Đức", 3}, {"Hữu", 2}, {"Minh", 2}, {"Quang", 2}, {"Xuân", 2}, {"Ngọc", 1}, {"Đình", 2}}
var middleFemale = []weighted{{"Thị", 20}, {"Thị Thu", 3}, {"Thị Hồng", 2}, {"Thị Thanh", 2}, {"Thị Kim", 2}, {"Thị Minh", 1}, {"Thu", 1}, {"Hồng", 1}, {"Bích", 1}}
var givenMale = []string{
	"Tuấn", "Dũng", "Hùng", "Cường", "Thắng", "Hải", "Long", "Nam", "Quân", "Sơn", "Tùng", "Hiếu", "Huy",
	"Khánh", "Lâm", "Phong", "Thành", "Trung", "Tú", "Việt", "Bình", "Chiến", "Đông", "Hưng", "Kiên", "Lợi",
	"Mạnh", "Nghĩa", "Tâm", "Toàn", "Vinh", "Duy", "Hoan", "Thiện", "Định", "Quyết", "Luận", "Sáng", "Đạt", "Kỳ",
}
var givenFemale = []string{
	"Hoa", "Hương", "Lan", "Mai", "Nga", "Ngọc", "Nhung", "Oanh", "Phương", "Thảo", "Thủy", "Trang", "Tuyết",
	"Vân", "Yến", "Hạnh", "Hằng", "Hiền", "Huyền", "Liên", "Linh", "Loan", "Lụa", "Nguyệt", "Quyên", "Thơm",
	"Xuân", "Duyên", "Dung", "Giang", "Hà", "Len", "Mến", "Ngân", "Quỳnh", "Sen", "Thêu", "Chuyên",
}

var ethnicW = []weighted{{"Tày", 62}, {"Kinh", 13}, {"Dao", 9}, {"Nùng", 8}, {"Mông", 4}, {"Hoa", 2}, {"Sán Chay", 2}}

// Probability (per mille) of a woman in each position.
var femaleP = map[string]int{
	pBiThu: 150, pPBT: 250, pCTHDND: 200, pPCTHDND: 350, pCTUB: 150, pPCTUB: 300, pMTTQ: 400, pDoan: 450,
	pLHPN: 1000, pHND: 200, pCCB: 0, pCHT: 0, pVP: 650, pDC: 250, pTC: 700, pTP: 550, pVH: 600,
}

// Birth-year range per position.
var birthRange = map[string][2]int{
	pBiThu: {1966, 1980}, pPBT: {1968, 1984}, pCTHDND: {1966, 1982}, pPCTHDND: {1970, 1988}, pCTUB: {1968, 1984},
	pPCTUB: {1975, 1990}, pMTTQ: {1965, 1980}, pDoan: {1990, 1998}, pLHPN: {1975, 1992}, pHND: {1965, 1980},
	pCCB: {1963, 1970}, pCHT: {1978, 1993}, pVP: {1980, 1998}, pDC: {1980, 1996}, pTC: {1982, 1998},
	pTP: {1981, 1998}, pVH: {1980, 1998},
}

var majorByPos = map[string][]string{
	pBiThu: {"Xây dựng Đảng và CQNN", "Luật", "Kinh tế nông nghiệp"}, pPBT: {"Luật", "Xây dựng Đảng và CQNN"},
	pCTHDND: {"Luật", "Hành chính"}, pPCTHDND: {"Luật", "Hành chính"}, pCTUB: {"Kinh tế nông nghiệp", "Quản lý kinh tế", "Luật"},
	pPCTUB: {"Kinh tế nông nghiệp", "Lâm nghiệp", "Quản lý đất đai"}, pMTTQ: {"Hành chính", "Công tác xã hội"},
	pDoan: {"Công tác xã hội", "Luật"}, pLHPN: {"Công tác xã hội", "Hành chính"}, pHND: {"Chăn nuôi thú y", "Lâm nghiệp"},
	pCCB: {"Quân sự cơ sở", "Hành chính"}, pCHT: {"Quân sự cơ sở"}, pVP: {"Quản trị văn phòng", "Hành chính"},
	pDC: {"Quản lý đất đai", "Xây dựng"}, pTC: {"Kế toán", "Tài chính ngân hàng"}, pTP: {"Luật"},
	pVH: {"Văn hóa du lịch", "Công tác xã hội"},
}

// ---------------------------------------------------------------- build

func buildModel() *Model {
	r := rand.New(rand.NewPCG(20230930, 388))
	m := &Model{}
	for i, d := range unitDefs {
		m.Units = append(m.Units, &Unit{Idx: i, Short: d.short, Town: d.town, Size: d.size})
	}
	usedKey := map[string]bool{} // name|birth
	usedName := map[string]int{} // name → count (year-only names must be unique)
	usedCCCD := map[string]bool{}
	id := 0
	for _, u := range m.Units {
		var positions []string
		positions = append(positions, canBoPositions...)
		positions = append(positions, congChucPositions[:u.Size-len(canBoPositions)]...)
		for i, pos := range positions {
			p := &Person{ID: id, Unit: u, Position: pos, CanBo: i < len(canBoPositions)}
			id++
			p.Female = r.IntN(1000) < femaleP[pos]
			p.Ethnic = pickW(r, ethnicW)
			if u.Town && r.IntN(100) < 15 {
				p.Ethnic = "Kinh"
			}
			for {
				p.Name = makeName(r, p)
				p.Birth = makeBirth(r, p)
				k := p.Name + "|" + p.Birth.Format("2006-01-02")
				if !usedKey[k] {
					usedKey[k] = true
					break
				}
			}
			usedName[p.Name]++
			p.Major = pick(r, majorByPos[pos])
			p.HDND = p.CanBo || pos == pCHT
			u.Persons = append(u.Persons, p)
			m.Persons = append(m.Persons, p)
		}
	}
	// Article: Bí thư Đảng ủy xã Nghĩa Tá is Nguyễn Văn Tuấn.
	nt := m.unit("Nghĩa Tá")
	bt := nt.first(pBiThu)
	usedName[bt.Name]--
	bt.Name, bt.Female, bt.Ethnic = "Nguyễn Văn Tuấn", false, "Tày"
	usedName[bt.Name]++

	// Year-only persons: the first Văn hóa - xã hội of each L4 unit, born "1979".
	for _, s := range []string{"Nam Cường", "Ngọc Phái", "Đại Sảo"} {
		p := m.unit(s).first(pVH)
		p.Birth = time.Date(1979, 1, 1, 0, 0, 0, 0, time.UTC)
		p.YearOnly = true
		for usedName[p.Name] > 1 {
			usedName[p.Name]--
			p.Name = makeName(r, p)
			usedName[p.Name]++
		}
	}

	assignQualifications(r, m)
	assignParty(r, m)

	for _, p := range m.Persons {
		for {
			c := makeCCCD(r, p)
			if !usedCCCD[c] {
				usedCCCD[c] = true
				p.CCCD = c
				break
			}
		}
	}
	assignNotes(r, m)
	buildTraining(r, m)
	return m
}

func makeName(r *rand.Rand, p *Person) string {
	fam := familyAll
	if f, ok := familyByEthnic[p.Ethnic]; ok && r.IntN(100) < 85 {
		fam = f
	}
	var mid, giv string
	if p.Female {
		mid, giv = pickW(r, middleFemale), pick(r, givenFemale)
	} else {
		mid, giv = pickW(r, middleMale), pick(r, givenMale)
	}
	return norm.NFC.String(pickW(r, fam) + " " + mid + " " + giv)
}

func makeBirth(r *rand.Rand, p *Person) time.Time {
	br := birthRange[p.Position]
	lo, hi := br[0], br[1]
	if p.Female && lo < 1968 { // women born before 09/1967 have retired by 30/09/2023
		lo = 1968
	}
	y := lo + r.IntN(hi-lo+1)
	d := time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, r.IntN(365))
	return d
}

var otherProvince = []string{"001", "019", "004", "020", "008", "025"}

func makeCCCD(r *rand.Rand, p *Person) string {
	prov := "006"
	if r.IntN(100) < 7 {
		prov = pick(r, otherProvince)
	}
	g := 0 // 1900s: 0 male, 1 female
	if p.Female {
		g = 1
	}
	return fmt.Sprintf("%s%d%02d%06d", prov, g, p.Birth.Year()%100, r.IntN(1000000))
}

// Nghĩa Tá is fixed by hand to match the article: 19 persons, 15 ĐH (78%), and 6 of its
// 8 công chức (75%) with LLCT sơ cấp or higher.
var ntQual = []struct {
	e Edu
	l LLCT
	q QLNN
}{
	{EduDH, LLCTTC, QLNNCV}, {EduDH, LLCTTC, QLNNCV}, {EduDH, LLCTTC, QLNNCV}, {EduDH, LLCTTC, QLNNNone},
	{EduDH, LLCTTC, QLNNCV}, {EduDH, LLCTTC, QLNNCV}, {EduTC, LLCTTC, QLNNNone}, {EduDH, LLCTSC, QLNNNone},
	{EduDH, LLCTTC, QLNNCV}, {EduTC, LLCTTC, QLNNNone}, {EduTC, LLCTTC, QLNNNone},
	// công chức: CHT, VP, ĐC, TC, TP, VH, VP, TP
	{EduCD, LLCTTC, QLNNNone}, {EduDH, LLCTSC, QLNNCV}, {EduDH, LLCTSC, QLNNCV}, {EduDH, LLCTTC, QLNNCV},
	{EduDH, LLCTSC, QLNNCV}, {EduDH, LLCTSC, QLNNNone}, {EduDH, LLCTNone, QLNNNone}, {EduDH, LLCTNone, QLNNNone},
}

var posRank = map[string]float64{
	pBiThu: 3, pCTUB: 3, pPBT: 2.6, pCTHDND: 2.6, pPCTUB: 2.3, pPCTHDND: 2.0, pMTTQ: 1.2, pDoan: 1.4,
	pLHPN: 1.3, pHND: 0.8, pCCB: 0.2, pCHT: 0.4, pVP: 1.6, pDC: 1.5, pTC: 1.6, pTP: 1.7, pVH: 1.3,
}

func assignQualifications(r *rand.Rand, m *Model) {
	fixedE := map[*Person]Edu{}
	fixedL := map[*Person]LLCT{}
	fixedQ := map[*Person]QLNN{}
	nt := m.unit("Nghĩa Tá")
	for i, p := range nt.Persons {
		fixedE[p], fixedL[p], fixedQ[p] = ntQual[i].e, ntQual[i].l, ntQual[i].q
	}
	// Thạc sĩ: one per L4 unit, so the three ThS spellings all appear.
	fixedE[m.unit("Nam Cường").first(pCTUB)] = EduThS
	fixedE[m.unit("Ngọc Phái").first(pPCTUB)] = EduThS
	fixedE[m.unit("Đại Sảo").first(pBiThu)] = EduThS
	for _, p := range []*Person{m.unit("Nam Cường").first(pCTUB), m.unit("Ngọc Phái").first(pPCTUB), m.unit("Đại Sảo").first(pBiThu)} {
		p.Major = "Quản lý kinh tế"
	}
	// Cao cấp LLCT: Bí thư of eight units.
	for _, s := range []string{"Bằng Lũng", "Nam Cường", "Ngọc Phái", "Đồng Lạc", "Phương Viên", "Tân Lập", "Yên Mỹ", "Bằng Phúc"} {
		p := m.unit(s).first(pBiThu)
		fixedL[p] = LLCTCC
		if _, ok := fixedE[p]; !ok {
			fixedE[p] = EduDH
		}
	}
	// Chuyên viên chính: two Bí thư.
	fixedQ[m.unit("Bằng Lũng").first(pBiThu)] = QLNNCVC
	fixedQ[m.unit("Ngọc Phái").first(pBiThu)] = QLNNCVC

	age := func(p *Person) float64 { return float64(p.Age(refDate)) }
	rankAssign(r, m.Persons, fixedE, wantEdu[:], func(p *Person) float64 {
		return posRank[p.Position] - 0.04*(age(p)-40) + r.NormFloat64()*0.9
	}, func(p *Person, i int) { p.Edu = Edu(i) })
	rankAssign(r, m.Persons, fixedL, wantLLCT[:], func(p *Person) float64 {
		s := posRank[p.Position] + 0.05*(age(p)-35) + r.NormFloat64()*0.7
		if p.CanBo {
			s += 1.2
		}
		return s
	}, func(p *Person, i int) { p.LLCT = LLCT(i) })
	rankAssign(r, m.Persons, fixedQ, wantQLNN[:], func(p *Person) float64 {
		s := posRank[p.Position] + 0.02*(age(p)-35) + r.NormFloat64()*1.2
		if p.Edu == EduDH || p.Edu == EduThS {
			s += 0.8
		}
		return s
	}, func(p *Person, i int) { p.QLNN = QLNN(i) })
}

// rankAssign gives fixed persons their fixed level and fills the remaining quota of each
// level, best score first, with the others.
func rankAssign[L ~int](r *rand.Rand, all []*Person, fixed map[*Person]L, want []int, score func(*Person) float64, set func(*Person, int)) {
	left := append([]int(nil), want...)
	type sp struct {
		p *Person
		s float64
	}
	var rest []sp
	for _, p := range all { // all is in ID order: deterministic
		if l, ok := fixed[p]; ok {
			set(p, int(l))
			left[int(l)]--
			continue
		}
		rest = append(rest, sp{p, score(p)})
	}
	for i, n := range left {
		if n < 0 {
			panic(fmt.Sprintf("fixed assignments exceed quota for level %d", i))
		}
	}
	sort.SliceStable(rest, func(i, j int) bool {
		if rest[i].s != rest[j].s {
			return rest[i].s > rest[j].s
		}
		return rest[i].p.ID < rest[j].p.ID
	})
	k := 0
	for lvl, n := range left {
		for ; n > 0; n-- {
			set(rest[k].p, lvl)
			k++
		}
	}
	if k != len(rest) {
		panic("quota does not cover everyone")
	}
}

func assignParty(r *rand.Rand, m *Model) {
	nt := m.unit("Nghĩa Tá")
	type sp struct {
		p *Person
		s float64
	}
	var sc []sp
	for _, p := range m.Persons {
		switch p.LLCT {
		case LLCTCC, LLCTTC:
			p.Party = true
		case LLCTNone:
			p.Party = false
		case LLCTSC:
			if p.Unit == nt {
				p.Party = p.Position != pVH
				continue
			}
			s := posRank[p.Position] + r.NormFloat64()
			if p.CanBo || p.Position == pCHT {
				s += 3
			}
			sc = append(sc, sp{p, s})
		}
	}
	sort.SliceStable(sc, func(i, j int) bool {
		if sc[i].s != sc[j].s {
			return sc[i].s < sc[j].s
		}
		return sc[i].p.ID < sc[j].p.ID
	})
	for i, x := range sc {
		x.p.Party = i >= 17 // the 17 lowest are not party members
	}
	for _, p := range m.Persons {
		if !p.Party {
			continue
		}
		start := p.Birth.AddDate(20+r.IntN(9), r.IntN(12), r.IntN(28))
		limit := time.Date(2023, 6, 30, 0, 0, 0, 0, time.UTC)
		if start.After(limit) {
			start = p.Birth.AddDate(19, 0, 0).AddDate(0, r.IntN(6), r.IntN(28))
		}
		if start.After(limit) {
			start = limit.AddDate(0, -r.IntN(10), -r.IntN(20))
		}
		p.PartyDate = start
	}
}

var noteCandidates = []string{"Nghỉ thai sản", "Tuyển dụng năm 2022", "Đang học TCLLCT", "Biệt phái", "Luân chuyển từ huyện"}

func assignNotes(r *rand.Rand, m *Model) {
	for _, p := range m.Persons {
		if r.IntN(100) >= 8 {
			continue
		}
		n := pick(r, noteCandidates)
		if n == "Nghỉ thai sản" && (!p.Female || p.Birth.Year() < 1985) {
			continue
		}
		if n == "Đang học TCLLCT" && p.LLCT != LLCTSC {
			continue
		}
		p.Note = n
	}
}

// ---------------------------------------------------------------- counting

type Counts struct {
	Persons int
	Edu     [4]int
	LLCT    [4]int
	QLNN    [3]int
	Female  int
	Party   int
}

func countPersons(ps []*Person) Counts {
	var c Counts
	for _, p := range ps {
		c.Persons++
		c.Edu[p.Edu]++
		c.LLCT[p.LLCT]++
		c.QLNN[p.QLNN]++
		if p.Female {
			c.Female++
		}
		if p.Party {
			c.Party++
		}
	}
	return c
}

// checkModel compares the model with the published figures and fails loudly.
func checkModel(m *Model) {
	var errs []string
	fail := func(f string, a ...any) { errs = append(errs, fmt.Sprintf(f, a...)) }
	if len(m.Units) != wantUnits {
		fail("units: %d, want %d", len(m.Units), wantUnits)
	}
	c := countPersons(m.Persons)
	if c.Persons != wantPersons {
		fail("persons: %d, want %d", c.Persons, wantPersons)
	}
	if c.Edu != wantEdu {
		fail("education: %v, want %v", c.Edu, wantEdu)
	}
	if c.LLCT != wantLLCT {
		fail("LLCT: %v, want %v", c.LLCT, wantLLCT)
	}
	if c.QLNN != wantQLNN {
		fail("QLNN: %v, want %v", c.QLNN, wantQLNN)
	}
	nt := countPersons(m.unit("Nghĩa Tá").Persons)
	if nt.Persons != 19 || nt.Edu != wantNTEdu {
		fail("Nghĩa Tá: %d persons, edu %v", nt.Persons, nt.Edu)
	}
	keys := map[string]bool{}
	cccd := map[string]bool{}
	for _, p := range m.Persons {
		k := p.Name + "|" + p.Birth.Format("02/01/2006")
		if keys[k] {
			fail("duplicate name+birth %s", k)
		}
		keys[k] = true
		if cccd[p.CCCD] || len(p.CCCD) != 12 {
			fail("bad/duplicate CCCD %s", p.CCCD)
		}
		cccd[p.CCCD] = true
		if y := p.Birth.Year(); y < 1963 || y > 1998 {
			fail("%s born %d", p.Name, y)
		}
		if p.Name != norm.NFC.String(p.Name) {
			fail("name not NFC: %q", p.Name)
		}
		if p.Party && (p.PartyDate.Before(p.Birth.AddDate(18, 0, 0)) || p.PartyDate.After(refDate)) {
			fail("%s party date %v", p.Name, p.PartyDate)
		}
	}
	var kinds [8]int
	seen := map[string]bool{}
	for _, a := range m.Atts {
		kinds[a.Session.Course.Kind]++
		if a.Person.YearOnly {
			fail("year-only person %s in register", a.Person.Name)
		}
		s := a.Session
		if s.From.Before(trainFrom) || s.To.After(trainTo) || s.To.Before(s.From) {
			fail("session %s %v-%v outside window", s.Course.Name, s.From, s.To)
		}
		k := fmt.Sprint(a.Person.ID, s.From)
		if seen[k] {
			fail("person %s has two attendances starting %v", a.Person.Name, s.From)
		}
		seen[k] = true
	}
	if len(m.Atts) != wantAttendances {
		fail("attendances: %d, want %d", len(m.Atts), wantAttendances)
	}
	if kinds != wantKinds {
		fail("kinds: %v, want %v", kinds, wantKinds)
	}
	var ntK [8]int
	for _, p := range m.unit("Nghĩa Tá").Persons {
		for _, a := range p.Atts {
			ntK[a.Session.Course.Kind]++
		}
	}
	if ntK[KLLCT] != 6 || ntK[KQLNN] != 2 {
		fail("Nghĩa Tá training LLCT %d (want 6), QLNN %d (want 2)", ntK[KLLCT], ntK[KQLNN])
	}
	if len(errs) > 0 {
		panic("model does not reproduce the published figures:\n  " + strings.Join(errs, "\n  "))
	}
}
