package reporttext_test

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"

	"canbo/pipeline/document/doctest"
	"canbo/pipeline/internal/sheettest"
	"canbo/pipeline/reporttext"
	"canbo/pipeline/schema"
	"canbo/pipeline/summary"
	"canbo/templates"
)

func loadText(t *testing.T) *reporttext.Text {
	t.Helper()
	txt, err := reporttext.Load(templates.FS)
	if err != nil {
		t.Fatal(err)
	}
	return txt
}

// unit makes a unit (or group) of n people with the given counts of one dimension.
func unit(name, group string, n int, dim string, counts map[string]int) summary.Unit {
	return summary.Unit{Unit: name, Group: group, Headcount: n, Breakdowns: map[string]map[string]int{dim: counts}}
}

// TestGroupNames: a group is shown by report.yaml's name; without one by its
// units (one, two, or the largest and how many others), by "Các đơn vị khác" at the
// top of the input folder: never by its folder.
func TestGroupNames(t *testing.T) {
	txt := loadText(t)
	cfg := sheettest.Config(t)
	cfg.Report.Groups = map[string]string{"chau-thanh": "Huyện Châu Thành"}
	s := &summary.Summary{
		Units: []summary.Unit{
			{Unit: "UBND xã A", Group: "mot", Headcount: 3},
			{Unit: "UBND xã B", Group: "hai", Headcount: 3}, {Unit: "UBND xã C", Group: "hai", Headcount: 4},
			{Unit: "UBND xã D", Group: "ba", Headcount: 3}, {Unit: "UBND xã E", Group: "ba", Headcount: 9}, {Unit: "UBND xã F", Group: "ba", Headcount: 1},
		},
		Groups: []summary.Unit{{Group: "chau-thanh"}, {Group: "mot"}, {Group: "hai"}, {Group: "ba"}, {Group: "rong"}},
	}
	for group, want := range map[string]string{
		"chau-thanh": "Huyện Châu Thành",
		"mot":        "UBND xã A",
		"hai":        "UBND xã B và UBND xã C",
		"ba":         "UBND xã E và 2 đơn vị khác",
		"rong":       "Nhóm 5",
		"":           "Các đơn vị khác",
	} {
		if got := txt.GroupName(s, cfg, group); got != want {
			t.Errorf("GroupName(%q) = %q, want %q", group, got, want)
		}
	}
	if got := reporttext.UnnamedGroups(s, cfg); !slices.Equal(got, []string{"mot", "hai", "ba", "rong"}) {
		t.Errorf("UnnamedGroups = %q", got)
	}
}

// TestSamplesSaysNoFolder: the samples' sentences name no input folder, with the
// shipped group names and without any.
func TestSamplesSaysNoFolder(t *testing.T) {
	cfg, txt := doctest.Load(t)
	s := doctest.Samples(t)
	for _, groups := range []map[string]string{cfg.Report.Groups, nil} {
		cfg.Report.Groups = groups
		paras, err := txt.Narrative(s, cfg)
		if err != nil {
			t.Fatal(err)
		}
		all := strings.Join(paras, "\n")
		for _, g := range s.Groups {
			for _, name := range append(strings.Split(g.Group, "/"), g.Group) {
				if strings.Contains(all, name) {
					t.Errorf("with groups %v the narrative names the folder %q:\n%s", groups, name, all)
				}
			}
		}
	}
}

// TestNotReported: a dimension that every person of a group lacks, with no data
// problem about it, is said to be missing from the group's files, not "chưa xác
// định 100%"; the same with a bad value written (a problem of its cell) stays
// "chưa xác định"; without groups, a dimension no file reports has no sentence of
// its own.
func TestNotReported(t *testing.T) {
	txt := loadText(t)
	cfg := sheettest.Config(t)
	cfg.Report.Groups = map[string]string{"a": "Huyện A", "b": "Lớp B"}
	const dim = "quan_ly_nha_nuoc"
	s := &summary.Summary{Period: "2023-09", AsOf: "2023-09-30",
		Units:  []summary.Unit{unit("UBND xã A", "a", 10, dim, map[string]int{"chuyen_vien": 10}), unit("Trường B", "b", 5, dim, map[string]int{schema.Unknown: 5})},
		Groups: []summary.Unit{unit("", "a", 10, dim, map[string]int{"chuyen_vien": 10}), unit("", "b", 5, dim, map[string]int{schema.Unknown: 5})},
		Total:  unit("", "", 15, dim, map[string]int{"chuyen_vien": 10, schema.Unknown: 5}),
		Files:  []summary.File{{File: "a.xlsx", Group: "a", Status: "accepted"}, {File: "b.xlsx", Group: "b", Status: "accepted"}},
	}
	all := narrative(t, txt, s, cfg)
	for _, want := range []string{
		"Các tệp của Lớp B (5 người) không có số liệu về quản lý nhà nước; số người này được tính ở mục “chưa xác định”.",
		"Lớp B: 5 người (33,33%).",
		"Huyện A: 10 người (66,67%); quản lý nhà nước: chuyên viên 10 (100,00%).",
	} {
		if !strings.Contains(all, want) {
			t.Errorf("lacks %q:\n%s", want, all)
		}
	}
	if strings.Contains(all, "chưa xác định 5 (100,00%)") {
		t.Errorf("says chưa xác định 100%% for a column the files lack:\n%s", all)
	}

	// A bad value: the column is there, the value is to fix.
	s.Problems = []summary.Problem{{Code: "unknown-value", File: "b.xlsx", Field: cfg.Field(dim).Label}}
	all = narrative(t, txt, s, cfg)
	if strings.Contains(all, "không có số liệu") || !strings.Contains(all, "chưa xác định 5 (100,00%)") {
		t.Errorf("a bad value read as a missing column:\n%s", all)
	}

	// No groups, and no file has the column.
	s.Problems, s.Groups = nil, nil
	s.Total = unit("", "", 15, dim, map[string]int{schema.Unknown: 15})
	all = narrative(t, txt, s, cfg)
	if !strings.Contains(all, "Các tệp nhận được không có số liệu về quản lý nhà nước.") || strings.Contains(all, "Về quản lý nhà nước") {
		t.Errorf("no file has the column:\n%s", all)
	}
}

// TestNotReportedByColumns: where the files say which columns they have, the columns
// decide. A column every value of which was bad stays "chưa xác định" even when
// its problems were not listed (a flood is listed in part), and a file without the
// column is said to lack it even when other problems are listed.
func TestNotReportedByColumns(t *testing.T) {
	txt := loadText(t)
	cfg := sheettest.Config(t)
	cfg.Report.Groups = map[string]string{"a": "Huyện A", "b": "Lớp B"}
	for _, tc := range []struct {
		dim      string
		columnsB []string
		lacks    bool
	}{
		{"quan_ly_nha_nuoc", []string{"ho_ten", "quan_ly_nha_nuoc"}, false},
		{"quan_ly_nha_nuoc", []string{"ho_ten", "ngay_sinh"}, true},
	} {
		dim := tc.dim
		known := map[string]int{"chuyen_vien": 10}
		s := &summary.Summary{Period: "2023-09", AsOf: "2023-09-30",
			Units:  []summary.Unit{unit("UBND xã A", "a", 10, dim, known), unit("Trường B", "b", 5, dim, map[string]int{schema.Unknown: 5})},
			Groups: []summary.Unit{unit("", "a", 10, dim, known), unit("", "b", 5, dim, map[string]int{schema.Unknown: 5})},
			Total:  unit("", "", 15, dim, map[string]int{"chuyen_vien": 10, schema.Unknown: 5}),
			Files: []summary.File{
				{File: "a.xlsx", Group: "a", Status: "accepted", Columns: []string{"ho_ten", "ngay_sinh", "quan_ly_nha_nuoc"}},
				{File: "b.xlsx", Group: "b", Status: "accepted", Columns: tc.columnsB}},
			// A problem about another field only: the flood of b's bad values on
			// dim was not listed.
			Problems: []summary.Problem{{Code: "unknown-value", File: "b.xlsx", Field: cfg.Field("gioi_tinh").Label}},
		}
		all := narrative(t, txt, s, cfg)
		said := strings.Contains(all, "Các tệp của Lớp B (5 người) không có số liệu về "+strings.ToLower(cfg.Field(dim).Label))
		if said != tc.lacks {
			t.Errorf("%s with b's columns %v: says b lacks it = %v, want %v:\n%s", dim, tc.columnsB, said, tc.lacks, all)
		}
	}
}

func narrative(t *testing.T, txt *reporttext.Text, s *summary.Summary, cfg *schema.Config) string {
	t.Helper()
	paras, err := txt.Narrative(s, cfg)
	if err != nil {
		t.Fatal(err)
	}
	return strings.Join(paras, "\n")
}

// awkward is what a template join leaves behind: two spaces, a space before
// punctuation or inside brackets, doubled punctuation, an unfilled value.
var awkward = regexp.MustCompile(`  | [,;.:)]|\( |[,;:]\.|\.\.|[,;][,;]|<no value>|\{\{|\[[a-z_]+\]|\{[a-z_]+\}`)

// TestNoAwkwardJoins: every sentence of the samples' body, and of a period with a
// previous one, units far behind and recommendations, reads cleanly and ends with a
// full stop.
func TestNoAwkwardJoins(t *testing.T) {
	cfg, txt := doctest.Load(t)
	check := func(name string, s *summary.Summary) {
		sec, err := txt.Sections(s, cfg)
		if err != nil {
			t.Fatal(err)
		}
		for _, list := range [][]string{sec.Situation, sec.Assessment, sec.Recommendations} {
			for _, p := range list {
				if m := awkward.FindString(p); m != "" || !strings.HasSuffix(p, ".") {
					t.Errorf("%s: %q in %q", name, m, p)
				}
			}
		}
	}
	check("samples", doctest.Samples(t))
	check("assessed", assessed())
}

// assessed is a period with a previous one, targets met and missed, units far behind
// a target and a standard, and data problems.
func assessed() *summary.Summary {
	ti := func(unit string, count, pop int, share float64, met bool, short int) summary.Target {
		return summary.Target{ID: "sdh", Title: "Lãnh đạo cấp phòng có trình độ sau đại học", Unit: unit, Count: count, Population: pop,
			Share: share, Threshold: 0.3, Met: met, Shortfall: short, Deadline: "2025-12-31"}
	}
	return &summary.Summary{Period: "2023-09", AsOf: "2023-09-30",
		Units: []summary.Unit{{Unit: "Huyện ủy A", Headcount: 20}, {Unit: "Huyện ủy B", Headcount: 20}, {Unit: "Sở C", Headcount: 20}},
		Total: summary.Unit{Headcount: 60, Breakdowns: map[string]map[string]int{"gioi_tinh": {"nam": 30, "nu": 30}}},
		Targets: []summary.Target{
			ti("", 9, 60, 0.15, false, 9),
			{ID: "bch", Title: "Ủy viên BCH có trình độ sau đại học", Count: 35, Population: 50, Share: 0.7, Threshold: 0.7, Met: true},
			ti("Huyện ủy A", 1, 20, 0.05, false, 5), ti("Huyện ủy B", 2, 20, 0.1, false, 4), ti("Sở C", 6, 20, 0.3, true, 0),
		},
		Standards: []summary.Standard{
			{ID: "xa", Title: "Công chức cấp xã có trình độ đại học", Unit: "Huyện ủy A", Population: 20, Compliant: 4},
			{ID: "xa", Title: "Công chức cấp xã có trình độ đại học", Unit: "Huyện ủy B", Population: 20, Compliant: 15},
			{ID: "xa", Title: "Công chức cấp xã có trình độ đại học", Unit: "Sở C", Population: 3, Compliant: 0},
		},
		Files:  []summary.File{{Status: "accepted"}, {Status: "rejected"}},
		Issues: summary.Issues{Errors: 4, Warnings: 1},
		Previous: &summary.Changes{Period: "2023-08", Total: summary.UnitChange{Headcount: 60, PreviousHeadcount: 58, HeadcountChange: 2},
			Targets: []summary.TargetChange{{ID: "bch", Title: "Ủy viên BCH có trình độ sau đại học", ShareChangePP: 4, MetChange: summary.NowMet}}},
	}
}

// TestAssessment: the assessment has the change since the previous period, the
// targets met then missed, the units far behind a target (under half its threshold,
// furthest first) and a standard (half or more below it, of at least ten people);
// the situation has none of it.
func TestAssessment(t *testing.T) {
	cfg, txt := doctest.Load(t)
	sec, err := txt.Sections(assessed(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	situation, assessment := strings.Join(sec.Situation, "\n"), strings.Join(sec.Assessment, "\n")
	want := []string{
		"So với kỳ 08/2023: tổng số tăng 2 người (58 → 60 người); chỉ tiêu “Ủy viên BCH có trình độ sau đại học” nay đã đạt (+4,00 điểm %).",
		"Đã đạt 1/2 chỉ tiêu chung: “Ủy viên BCH có trình độ sau đại học” đạt 70,00% (35/50 người), chỉ tiêu đề ra 70%.",
		"Chưa đạt 1/2 chỉ tiêu chung: “Lãnh đạo cấp phòng có trình độ sau đại học” mới đạt 15,00% (9/60 người), chỉ tiêu đề ra 30%, còn thiếu 9 người (thời hạn 31/12/2025).",
		"Theo từng đơn vị: đạt 1/3 chỉ tiêu",
		"Còn xa chỉ tiêu “Lãnh đạo cấp phòng có trình độ sau đại học” (30%): Huyện ủy A mới đạt 5,00%, còn thiếu 5 người; Huyện ủy B mới đạt 10,00%, còn thiếu 4 người.",
		"Tiêu chuẩn “Công chức cấp xã có trình độ đại học”: 24/43 người chưa đạt (55,81%)",
		"Đơn vị có nhiều người chưa đạt tiêu chuẩn này: Huyện ủy A 16/20 người (80,00%).",
		"có 4 lỗi dữ liệu cần đơn vị sửa",
	}
	last := -1
	for _, w := range want {
		i := strings.Index(assessment, w)
		if i < 0 {
			t.Errorf("the assessment lacks %q:\n%s", w, assessment)
			continue
		}
		if i < last {
			t.Errorf("%q is out of order", w)
		}
		last = i
		if strings.Contains(situation, w) {
			t.Errorf("the situation repeats %q", w)
		}
	}
	for _, no := range []string{"Sở C mới đạt", "Sở C 3/3", "Huyện ủy B 5/20"} {
		if strings.Contains(assessment, no) {
			t.Errorf("the assessment names %q, not far behind", no)
		}
	}
}

// TestStandardAllMet: a standard nobody falls short of is said to be met by all,
// not "0/1 người chưa đạt (0,00%), cần được đào tạo" with a list that has no one.
func TestStandardAllMet(t *testing.T) {
	cfg, txt := doctest.Load(t)
	s := assessed()
	s.Standards = []summary.Standard{{ID: "xa", Title: "Công chức cấp xã có trình độ đại học", Unit: "Sở C", Population: 3, Compliant: 3}}
	sec, err := txt.Sections(s, cfg)
	if err != nil {
		t.Fatal(err)
	}
	assessment := strings.Join(sec.Assessment, "\n")
	if want := "Tiêu chuẩn “Công chức cấp xã có trình độ đại học”: 3/3 người thuộc diện áp dụng đã đạt."; !strings.Contains(assessment, want) {
		t.Errorf("the assessment lacks %q:\n%s", want, assessment)
	}
	if strings.Contains(assessment, "0/3") || strings.Contains(assessment, "danh sách kèm theo") {
		t.Errorf("a standard met by all still asks for training:\n%s", assessment)
	}
}

// TestRecommendations: report.yaml's sentences are filled from the facts; one whose
// placeholder has nothing to say is left out; one without placeholders stays.
func TestRecommendations(t *testing.T) {
	cfg, txt := doctest.Load(t)
	cfg.Report.Document.Recommendations = []string{
		"Cử thêm {con_thieu} người để đạt {chi_tieu_chua_dat} trước ngày {thoi_han}.",
		"Đề nghị {don_vi_con_xa} có kế hoạch riêng, báo cáo trong kỳ {ky_sau}.",
		"Bồi dưỡng {so_nguoi_chua_dat_chuan} người chưa đạt chuẩn; sửa {so_loi} lỗi, gửi lại {so_tep_khong_dung_duoc} tệp (kỳ {ky}).",
		"Đề nghị UBND tỉnh bố trí kinh phí đào tạo.",
	}
	s := assessed()
	sec, err := txt.Sections(s, cfg)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"Cử thêm 9 người để đạt “Lãnh đạo cấp phòng có trình độ sau đại học” trước ngày 31/12/2025.",
		"Đề nghị Huyện ủy A và Huyện ủy B có kế hoạch riêng, báo cáo trong kỳ 10/2023.",
		"Bồi dưỡng 24 người chưa đạt chuẩn; sửa 4 lỗi, gửi lại 1 tệp (kỳ 09/2023).",
		"Đề nghị UBND tỉnh bố trí kinh phí đào tạo.",
	}
	if !slices.Equal(sec.Recommendations, want) {
		t.Errorf("recommendations\n%q\nwant\n%q", sec.Recommendations, want)
	}

	// Every target met, nobody below a standard, no error: only what still applies.
	s.Targets, s.Standards, s.Issues, s.Files = s.Targets[1:2], nil, summary.Issues{}, nil
	if sec, err = txt.Sections(s, cfg); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(sec.Recommendations, want[3:]) {
		t.Errorf("with nothing missed: %q, want %q", sec.Recommendations, want[3:])
	}
}

// TestUnitsSentence: the assessment names the units that must report and sent
// nothing (ten at most, then how many more); without a units registry it says the
// units were not checked against a list; with a registry and every unit in, it says
// nothing of units.
func TestUnitsSentence(t *testing.T) {
	txt := loadText(t)
	cfg := sheettest.Config(t)
	base := func(uc summary.UnitCheck) *summary.Summary {
		return &summary.Summary{Period: "2023-09", AsOf: "2023-09-30",
			Units:     []summary.Unit{unit("UBND xã A", "", 10, "quan_ly_nha_nuoc", map[string]int{"chuyen_vien": 10})},
			Total:     unit("", "", 10, "quan_ly_nha_nuoc", map[string]int{"chuyen_vien": 10}),
			Files:     []summary.File{{File: "a.xlsx", Status: "accepted"}},
			UnitCheck: uc,
		}
	}
	var missing []summary.UnitRef
	for i := range 12 {
		missing = append(missing, summary.UnitRef{Unit: fmt.Sprintf("UBND xã Số %d", i+1)})
	}
	all := narrative(t, txt, base(summary.UnitCheck{Registry: true, NotSent: missing}), cfg)
	if !strings.Contains(all, "Còn 12 đơn vị chưa gửi số liệu, nên chưa có trong các số liệu trên: UBND xã Số 1, UBND xã Số 2,") ||
		!strings.Contains(all, "UBND xã Số 10 và 2 đơn vị khác.") || strings.Contains(all, "UBND xã Số 11") {
		t.Errorf("units not sent:\n%s", all)
	}
	all = narrative(t, txt, base(summary.UnitCheck{}), cfg)
	if !strings.Contains(all, "chưa đối chiếu với danh sách đơn vị của cơ quan") {
		t.Errorf("without a registry, the report does not say the units were not checked:\n%s", all)
	}
	all = narrative(t, txt, base(summary.UnitCheck{Registry: true}), cfg)
	if strings.Contains(all, "chưa gửi") || strings.Contains(all, "chưa đối chiếu") {
		t.Errorf("every unit in, yet a sentence on units:\n%s", all)
	}
}

// TestLearnersSentence: after the headcount, the body says how lists of other
// units' people were counted: under the schools that sent them (units with
// workplaces: their names joined the Vietnamese way, their learners, the distinct
// workplaces), or, for lists whose sender is not declared, that their workplaces
// were counted as units; a report with neither says nothing of it. A school is
// never called far behind a standard its learners do not meet.
func TestLearnersSentence(t *testing.T) {
	txt := loadText(t)
	cfg := sheettest.Config(t)
	school := func(name string, n int, places ...string) summary.Unit {
		u := unit(name, "", n, "quan_ly_nha_nuoc", map[string]int{"chuyen_vien": n})
		for _, p := range places {
			u.Workplaces = append(u.Workplaces, summary.Workplace{Unit: p, People: n / len(places)})
		}
		return u
	}
	s := &summary.Summary{Period: "2023-09", AsOf: "2023-09-30",
		Units: []summary.Unit{school("Trường Chính trị tỉnh", 4, "Xã A", "Xã B"), school("Phân hiệu Đại học", 2, "Xã B"),
			unit("UBND xã C", "", 3, "quan_ly_nha_nuoc", map[string]int{"chuyen_vien": 3})},
		Total:     unit("", "", 9, "quan_ly_nha_nuoc", map[string]int{"chuyen_vien": 9}),
		Files:     []summary.File{{File: "a.xlsx", Status: "accepted"}},
		UnitCheck: summary.UnitCheck{Registry: true},
	}
	sec, err := txt.Sections(s, cfg)
	if err != nil {
		t.Fatal(err)
	}
	want := "Học viên trong các danh sách lớp do Trường Chính trị tỉnh và Phân hiệu Đại học gửi (6 người, công tác tại 2 đơn vị) được tính vào đơn vị gửi danh sách"
	if len(sec.Situation) < 2 || !strings.HasPrefix(sec.Situation[1], want) {
		t.Errorf("situation %q\nwant the second paragraph to start %q", sec.Situation, want)
	}
	// Far behind a standard: the commune is named, the school (whose learners are
	// other units' staff, there to be trained) is not.
	s.Standards = []summary.Standard{{ID: "cc", Title: "Công chức cấp xã", Unit: "Trường Chính trị tỉnh", Population: 20},
		{ID: "cc", Title: "Công chức cấp xã", Unit: "UBND xã C", Population: 20, Compliant: 5}}
	all := narrative(t, txt, s, cfg)
	if !strings.Contains(all, "Đơn vị có nhiều người chưa đạt tiêu chuẩn này: UBND xã C 15/20 người (75,00%).") {
		t.Errorf("units far behind a standard:\n%s", all)
	}
	s.Standards = nil
	s.Units = s.Units[2:]
	s.UnitCheck.Unknown = []summary.UnknownUnit{{Unit: "Xã A", People: 2, Workplace: true}, {Unit: "Xã B", People: 2, Workplace: true},
		{Unit: "UBND xã Cc", People: 1, Suggestion: "UBND xã C"}}
	all = narrative(t, txt, s, cfg)
	if !strings.Contains(all, "2 nơi công tác không có trong danh sách đơn vị của cơ quan được tính như một đơn vị") || strings.Contains(all, "Học viên trong") {
		t.Errorf("lists counted by workplace:\n%s", all)
	}
	s.UnitCheck.Unknown = s.UnitCheck.Unknown[2:]
	if all := narrative(t, txt, s, cfg); strings.Contains(all, "nơi công tác") {
		t.Errorf("no lists of learners, yet:\n%s", all)
	}
}

// TestPartlyReported: when some files of a scope have a column and others do not,
// the body says how many people of how many files are "chưa xác định" for lack of
// it, dimensions lacked by the same files together, in report.yaml's order; files
// of a group that lacks it entirely are left to that group's sentence, and a
// training register or a file read before files[].columns is never counted in.
func TestPartlyReported(t *testing.T) {
	txt := loadText(t)
	cfg := sheettest.Config(t)
	const dim = "quan_ly_nha_nuoc"
	cols := func(extra ...string) []string {
		return append([]string{"ho_ten", "ngay_sinh", "gioi_tinh", "dan_toc", "trinh_do_chuyen_mon"}, extra...)
	}
	s := &summary.Summary{Period: "2023-09", AsOf: "2023-09-30",
		Units: []summary.Unit{unit("A", "", 10, dim, map[string]int{"chuyen_vien": 10}), unit("B", "", 7, dim, map[string]int{schema.Unknown: 7})},
		Total: unit("", "", 17, dim, map[string]int{"chuyen_vien": 10, schema.Unknown: 7}),
		Files: []summary.File{
			{File: "a.xlsx", Status: "accepted", Dataset: "roster", Rows: 10, Columns: cols(dim, "ly_luan_chinh_tri")},
			{File: "b.xlsx", Status: "accepted", Dataset: "roster", Rows: 4, Columns: cols()},
			{File: "c.xlsx", Status: "accepted", Dataset: "roster", Rows: 3, Columns: cols()},
			{File: "d.xlsx", Status: "accepted", Dataset: "training", Rows: 50, Columns: []string{"ho_ten"}},
			{File: "e.xlsx", Status: "rejected", Dataset: "roster", Rows: 0},
		},
	}
	s.Total.Breakdowns["ly_luan_chinh_tri"] = map[string]int{"trung_cap": 10, schema.Unknown: 7}
	all := narrative(t, txt, s, cfg)
	want := "Một số tệp không có cột cho các nội dung sau nên người trong các tệp đó được tính ở mục “chưa xác định”: " +
		"lý luận chính trị và quản lý nhà nước 7 người (2 tệp) (danh sách tệp và các cột của từng tệp tại báo cáo Excel)."
	if !strings.Contains(all, want) {
		t.Errorf("lacks %q:\n%s", want, all)
	}
	if awkward.MatchString(all) {
		t.Errorf("awkward join %q in:\n%s", awkward.FindString(all), all)
	}
	if got := reporttext.LacksColumns(cfg, s.Files[1]); !slices.Contains(got, dim) || slices.Contains(got, "gioi_tinh") {
		t.Errorf("LacksColumns(b) = %v: want %s, not gioi_tinh (its column is there)", got, dim)
	}
	if got := reporttext.LacksColumns(cfg, s.Files[0]); slices.Contains(got, "nhom_tuoi") || slices.Contains(got, dim) {
		t.Errorf("LacksColumns(a) = %v: nhóm tuổi comes from ngày sinh, and a has %s", got, dim)
	}
	for _, f := range s.Files[3:] {
		if got := reporttext.LacksColumns(cfg, f); got != nil {
			t.Errorf("LacksColumns(%s) = %v: a training register or a rejected file has no say", f.File, got)
		}
	}

	// Every file lacks it: the one sentence "Các tệp nhận được không có số liệu", not both.
	s.Files[0].Columns = cols("ly_luan_chinh_tri")
	s.Total = unit("", "", 17, dim, map[string]int{schema.Unknown: 17})
	s.Total.Breakdowns["ly_luan_chinh_tri"] = map[string]int{"trung_cap": 10, schema.Unknown: 7}
	all = narrative(t, txt, s, cfg)
	if !strings.Contains(all, "Các tệp nhận được không có số liệu về quản lý nhà nước.") ||
		!strings.Contains(all, "lý luận chính trị 7 người (2 tệp)") || strings.Contains(all, "quản lý nhà nước 7 người") {
		t.Errorf("a dimension no file has is said once, by the whole-period sentence:\n%s", all)
	}

	// Files read before files[].columns: nothing is guessed.
	for i := range s.Files {
		s.Files[i].Columns = nil
	}
	if all = narrative(t, txt, s, cfg); strings.Contains(all, "Một số tệp không có cột") {
		t.Errorf("guessed missing columns without files[].columns:\n%s", all)
	}
}
