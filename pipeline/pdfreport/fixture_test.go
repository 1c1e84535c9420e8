package pdfreport

import (
	"fmt"
	"sync"
	"testing"

	"golang.org/x/text/unicode/norm"

	"canbo/config"
	"canbo/pipeline/reporttext"
	"canbo/pipeline/schema"
	"canbo/pipeline/summary"
	"canbo/templates"
)

var (
	loadOnce sync.Once
	testCfg  *schema.Config
	testTxt  *reporttext.Text
	loadErr  error
)

// load reads the default configuration and report words once for all tests.
func load(tb testing.TB) (*schema.Config, *reporttext.Text) {
	tb.Helper()
	loadOnce.Do(func() {
		if testCfg, loadErr = schema.Load(config.FS, "config"); loadErr != nil {
			return
		}
		// The fixtures' groups are named as their folders are: the report shows
		// report.yaml's name of a group, never the folder.
		if testCfg.Report.Groups == nil {
			testCfg.Report.Groups = map[string]string{}
		}
		for _, g := range []string{"Huyện Châu Thành", "Huyện Mỹ Tú", "Nhóm Alpha", "Nhóm Beta", "Nhóm Gamma"} {
			testCfg.Report.Groups[g] = g
		}
		testTxt, loadErr = reporttext.Load(templates.FS)
	})
	if loadErr != nil {
		tb.Fatal(loadErr)
	}
	return testCfg, testTxt
}

// nfdName is stored decomposed, as Unikey's "Unicode tổ hợp" types it: the report must
// print (and pdftotext extract) the composed form.
var nfdName = norm.NFD.String("Lâm Thị Ánh Tuyết")

// fixture is a month of a Sở Nội vụ in Sóc Trăng: four units in two districts (150
// people), breakdowns that add up to each headcount with some chua_xac_dinh, targets
// met and not met (among them 35 of 50 against 70%, met exactly, and 121 of 150 =
// 80,67%), training by kind and funding, people below a standard and data problems.
func fixture(tb testing.TB, cfg *schema.Config) *summary.Summary {
	tb.Helper()
	type unit struct {
		group, name string
		headcount   int
	}
	units := []unit{
		{"Huyện Châu Thành", "UBND thị trấn Châu Thành", 40},
		{"Huyện Châu Thành", "UBND xã Phú Tâm", 35},
		{"Huyện Mỹ Tú", "UBND thị trấn Huỳnh Hữu Nghĩa", 30},
		{"Huyện Mỹ Tú", "UBND xã Mỹ Hương", 45},
	}
	s := &summary.Summary{
		SchemaVersion: summary.SchemaVersion, Period: "2023-09", AsOf: "2023-09-30",
		GeneratedAt: "2023-10-01T08:00:00+07:00",
	}
	total := summary.Unit{Breakdowns: map[string]map[string]int{}}
	groups := map[string]*summary.Unit{}
	var groupOrder []string
	for i, u := range units {
		su := summary.Unit{Unit: u.name, Group: u.group, Headcount: u.headcount, Breakdowns: map[string]map[string]int{}}
		for _, dim := range cfg.Report.Breakdowns {
			f := cfg.Field(dim)
			if f == nil {
				tb.Fatalf("breakdown %s: no such field", dim)
			}
			su.Breakdowns[dim] = spread(u.headcount, cfg.Codes(f), i)
		}
		s.Units = append(s.Units, su)
		g := groups[u.group]
		if g == nil {
			g = &summary.Unit{Group: u.group, Breakdowns: map[string]map[string]int{}}
			groups[u.group] = g
			groupOrder = append(groupOrder, u.group)
		}
		add(g, su)
		add(&total, su)
	}
	for _, name := range groupOrder {
		s.Groups = append(s.Groups, *groups[name])
	}
	s.Total = total

	target := func(id, title, unit string, count, population int, threshold string) summary.Target {
		r, err := summary.ParseRatio(threshold)
		if err != nil {
			tb.Fatal(err)
		}
		return summary.Target{ID: id, Title: title, RuleSet: "de_an_02", Unit: unit, Population: population, Count: count,
			Share: summary.Share(count, population), Threshold: r.Float(), Met: r.Met(count, population),
			Shortfall: r.Shortfall(count, population), Deadline: "2025-12-31"}
	}
	s.Targets = []summary.Target{
		target("dai_hoc", "Cán bộ, công chức cấp xã có trình độ đại học trở lên", "", 121, 150, "80%"),
		target("sdh_btv", "Cán bộ diện Ban Thường vụ Tỉnh ủy quản lý có trình độ sau đại học", "", 35, 50, "70%"),
		target("nu", "Tỉ lệ cán bộ nữ", "", 48, 150, "35%"),
		target("thac_si_bch", "Ủy viên Ban Chấp hành Đảng bộ tỉnh có trình độ thạc sĩ trở lên", "", 0, 0, "50%"),
		target("llct_cap_phong", "Lãnh đạo cấp phòng có trình độ trung cấp lý luận chính trị trở lên", "UBND xã Phú Tâm", 7, 12, "80%"),
	}

	byType := map[string]int{"ly_luan_chinh_tri": 39, "chuyen_mon_nghiep_vu": 52, "quan_ly_nha_nuoc": 28, "vi_tri_viec_lam": 17,
		"lanh_dao_quan_ly": 9, "quoc_phong_an_ninh": 31, "tin_hoc_ngoai_ngu": 12, "dai_bieu_hdnd": 0, "chuc_danh_nghe_nghiep": 0,
		"sau_dai_hoc": 4, "khac": 6, schema.Unknown: 2}
	byFunding := map[string]int{"ngan_sach": 181, "tu_tuc": 17, schema.Unknown: 2}
	s.Training = summary.Training{Total: 200, ByType: byType, ByFunding: byFunding}
	for i, name := range []string{"UBND thị trấn Châu Thành", "UBND xã Phú Tâm", "UBND xã Mỹ Hương"} {
		tu := summary.TrainingUnit{Unit: name, ByType: map[string]int{}, ByFunding: map[string]int{}}
		part := func(n int) int { // halves, then thirds, then the rest
			switch i {
			case 0:
				return n / 2
			case 1:
				return n / 3
			}
			return n - n/2 - n/3
		}
		for k, n := range byType {
			tu.ByType[k] = part(n)
			tu.Total += part(n)
		}
		for k, n := range byFunding {
			tu.ByFunding[k] = part(n)
		}
		s.Training.Units = append(s.Training.Units, tu)
	}

	std := "Tiêu chuẩn công chức cấp xã (Thông tư 04/2019/TT-BNV)"
	s.Standards = []summary.Standard{
		{ID: "cong_chuc_xa", Title: std, Unit: "UBND xã Phú Tâm", Population: 20, Compliant: 17, Gaps: map[string]int{"trinh_do_chuyen_mon": 2, "ly_luan_chinh_tri": 1}},
		{ID: "cong_chuc_xa", Title: std, Unit: "UBND xã Mỹ Hương", Population: 25, Compliant: 22, Gaps: map[string]int{"trinh_do_chuyen_mon": 3}},
		{ID: "lanh_dao_phong", Title: "Tiêu chuẩn lãnh đạo cấp phòng", Unit: "UBND thị trấn Châu Thành", Population: 6, Compliant: 4, Gaps: map[string]int{"quan_ly_nha_nuoc": 2}},
	}
	edu := func(have, haveText string) summary.Missing {
		return summary.Missing{Field: "trinh_do_chuyen_mon", Label: "Trình độ chuyên môn", Have: have, HaveText: haveText, Need: "dai_hoc", NeedText: "Đại học"}
	}
	llct := summary.Missing{Field: "ly_luan_chinh_tri", Label: "Lý luận chính trị", Have: "so_cap", HaveText: "Sơ cấp", Need: "trung_cap", NeedText: "Trung cấp"}
	qlnn := summary.Missing{Field: "quan_ly_nha_nuoc", Label: "Quản lý nhà nước", Have: schema.Unknown, HaveText: "Chưa xác định", Need: "chuyen_vien", NeedText: "Chuyên viên"}
	person := func(std, unit, name, birth, position string, missing ...summary.Missing) summary.Person {
		return summary.Person{Standard: std, Unit: unit, Name: name, BirthDate: birth, Position: position,
			File: unit + ".xlsx", Sheet: "DS", Row: 9, Missing: missing}
	}
	s.BelowStandard = []summary.Person{
		person("cong_chuc_xa", "UBND xã Phú Tâm", "Trần Văn Bình", "1985-04-12", "Công chức Địa chính - Xây dựng", edu("trung_cap", "Trung cấp")),
		person("cong_chuc_xa", "UBND xã Phú Tâm", nfdName, "1990-11-02", "Công chức Văn phòng - Thống kê", edu("cao_dang", "Cao đẳng"), llct),
		person("lanh_dao_phong", "UBND thị trấn Châu Thành", "Thạch Thị Sa Rết", "1978-01-30", "Trưởng phòng", qlnn),
		person("cong_chuc_xa", "UBND xã Phú Tâm", "Lý Văn Sơn", "", "Công chức Tư pháp - Hộ tịch", llct),
		person("cong_chuc_xa", "UBND xã Mỹ Hương", "Danh Thị Hồng", "1982-07-19", "Công chức Tài chính - Kế toán", edu("trung_cap", "Trung cấp")),
		person("cong_chuc_xa", "UBND xã Mỹ Hương", "Lâm Văn Đức", "1975-03-08", "Chỉ huy trưởng Ban Chỉ huy Quân sự", edu("so_cap", "Sơ cấp")),
		person("lanh_dao_phong", "UBND thị trấn Châu Thành", "Nguyễn Hoàng Phúc", "1980-09-09", "Phó Trưởng phòng", qlnn),
		person("cong_chuc_xa", "UBND xã Mỹ Hương", "Sơn Ngọc Thành", "1988-12-24", "Công chức Văn hóa - Xã hội", edu(schema.Unknown, "Chưa xác định")),
	}

	legacy := "Tệp được lưu dạng Excel 97-2003 (.xls), canbo chưa đọc được. Hãy mở tệp bằng Excel, chọn Lưu thành › \"Excel Workbook (*.xlsx)\" rồi gửi lại tệp .xlsx."
	s.Files = []summary.File{
		{File: "UBND thị trấn Châu Thành.xlsx", Group: "Huyện Châu Thành", Status: "accepted", Dataset: "roster", Unit: "UBND thị trấn Châu Thành", Sheet: "DS", Rows: 40, Warnings: 1},
		{File: "UBND xã Phú Tâm.xlsx", Group: "Huyện Châu Thành", Status: "accepted", Dataset: "roster", Unit: "UBND xã Phú Tâm", Sheet: "DS", Rows: 35, Errors: 2, Warnings: 1},
		{File: "UBND thị trấn Huỳnh Hữu Nghĩa.xlsx", Group: "Huyện Mỹ Tú", Status: "accepted", Dataset: "roster", Unit: "UBND thị trấn Huỳnh Hữu Nghĩa", Sheet: "Sheet1", Rows: 30},
		{File: "UBND xã Mỹ Hương.xlsx", Group: "Huyện Mỹ Tú", Status: "accepted", Dataset: "roster", Unit: "UBND xã Mỹ Hương", Sheet: "DS", Rows: 45, Errors: 1, Warnings: 1},
		{File: "Đào tạo bồi dưỡng 2023.xlsx", Status: "accepted", Dataset: "training", Sheet: "Theo dõi", Rows: 200},
		{File: "UBND xã Hồ Đắc Kiện.xls", Group: "Huyện Châu Thành", Status: "rejected", Errors: 1, Reason: legacy},
		{File: "~$UBND xã Mỹ Hương.xlsx", Group: "Huyện Mỹ Tú", Status: "ignored"},
	}
	prob := func(file, sev, cell, field, raw, msg string) summary.Problem {
		return summary.Problem{Code: "unknown-value", Severity: sev, File: file, Sheet: "DS", Cell: cell, Field: field, Raw: raw, Message: msg}
	}
	s.Problems = []summary.Problem{
		prob("UBND thị trấn Châu Thành.xlsx", "warning", "F12", "Dân tộc", "Khơme Krôm", "Giá trị chưa có trong danh mục dân tộc."),
		prob("UBND xã Phú Tâm.xlsx", "error", "E9", "Ngày sinh", "31/02/1990", "Ngày không có thật."),
		prob("UBND xã Phú Tâm.xlsx", "error", "K15", "Trình độ chuyên môn", "ĐH tại chức?", "Giá trị chưa có trong danh mục."),
		prob("UBND xã Phú Tâm.xlsx", "warning", "E20", "Ngày sinh", "1965", "Chỉ có năm sinh."),
		prob("UBND xã Mỹ Hương.xlsx", "error", "G7", "Giới tính", "N", "Không rõ nam hay nữ."),
		{Code: "file-legacy-format", Severity: "error", File: "UBND xã Hồ Đắc Kiện.xls", Message: legacy},
		{Code: "sheet-limit", Severity: "warning", File: "UBND xã Mỹ Hương.xlsx", Sheet: "DS",
			Message: "Trang tính \"DS\" quá lớn nên chỉ đọc một phần (16.384 cột). Hãy xóa các cột thừa ở cuối trang tính."},
	}
	s.Issues = summary.Issues{Errors: 4, Warnings: 3, ByCode: map[string]int{"unknown-value": 5, "file-legacy-format": 1, "sheet-limit": 1}}
	return s
}

// spread shares n people among codes deterministically: one person "chưa xác định"
// (when there is anyone), the rest by weights that vary with the unit.
func spread(n int, codes []schema.Code, seed int) map[string]int {
	m := map[string]int{}
	for _, c := range codes {
		m[c.Code] = 0
	}
	if n == 0 {
		return m
	}
	m[schema.Unknown] = 1
	rest := n - 1
	known := codes[:len(codes)-1] // Codes ends with chua_xac_dinh
	if len(known) == 0 {
		m[schema.Unknown] = n
		return m
	}
	weights, sum := make([]int, len(known)), 0
	for i := range known {
		weights[i] = (i*7+seed*3)%5 + 1
		sum += weights[i]
	}
	given := 0
	for i, c := range known {
		k := rest * weights[i] / sum
		m[c.Code] += k
		given += k
	}
	m[known[0].Code] += rest - given
	return m
}

func add(dst *summary.Unit, u summary.Unit) {
	dst.Headcount += u.Headcount
	for dim, counts := range u.Breakdowns {
		if dst.Breakdowns[dim] == nil {
			dst.Breakdowns[dim] = map[string]int{}
		}
		for code, n := range counts {
			dst.Breakdowns[dim][code] += n
		}
	}
}

// bigFixture is the fixture with n people below a standard, for the benchmark.
func bigFixture(tb testing.TB, cfg *schema.Config, n int) *summary.Summary {
	s := fixture(tb, cfg)
	base := s.BelowStandard
	people := make([]summary.Person, 0, n)
	for i := 0; i < n; i++ {
		p := base[i%len(base)]
		p.Name = fmt.Sprintf("%s %d", p.Name, i+1)
		people = append(people, p)
	}
	s.BelowStandard = people
	return s
}

// checkFixture guards the fixture itself: every breakdown adds up to its headcount.
func TestFixtureAddsUp(t *testing.T) {
	cfg, _ := load(t)
	s := fixture(t, cfg)
	for _, u := range append(append([]summary.Unit{s.Total}, s.Groups...), s.Units...) {
		for dim, counts := range u.Breakdowns {
			sum := 0
			for _, n := range counts {
				sum += n
			}
			if sum != u.Headcount {
				t.Errorf("%s%s %s: codes add up to %d, headcount %d", u.Group, u.Unit, dim, sum, u.Headcount)
			}
			if u.Headcount > 0 && counts[schema.Unknown] == 0 {
				t.Errorf("%s%s %s: no chua_xac_dinh", u.Group, u.Unit, dim)
			}
		}
	}
	if s.Total.Headcount != 150 {
		t.Errorf("headcount %d, want 150", s.Total.Headcount)
	}
	if tg := s.Targets[1]; !tg.Met || tg.Share != 0.7 || tg.Shortfall != 0 {
		t.Errorf("35/50 at 70%% must be met exactly: %+v", tg)
	}
	if tg := s.Targets[2]; tg.Met || tg.Shortfall != 5 {
		t.Errorf("48/150 at 35%% must fall 5 short: %+v", tg)
	}
}
