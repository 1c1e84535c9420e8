package reporttext_test

import (
	"strings"
	"testing"
	"testing/fstest"

	"canbo/pipeline/internal/sheettest"
	"canbo/pipeline/reporttext"
	"canbo/pipeline/summary"
	"canbo/templates"
)

func TestFormat(t *testing.T) {
	tests := []struct{ got, want string }{
		{reporttext.Percent(0.8067), "80,67%"},
		{reporttext.Percent(summary.Share(313, 388)), "80,67%"},
		{reporttext.Percent(0.7), "70,00%"},
		{reporttext.Percent(0), "0,00%"},
		{reporttext.PercentShort(0.7), "70%"},
		{reporttext.PercentShort(0.705), "70,5%"},
		{reporttext.Int(100000), "100.000"},
		{reporttext.Int(877), "877"},
		{reporttext.Int(-1234), "-1.234"},
		{reporttext.Decimal(1234.5, 2), "1.234,50"},
		{reporttext.Date("2023-09-30"), "30/09/2023"},
		{reporttext.Period("2023-09"), "09/2023"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("got %q, want %q", tt.got, tt.want)
		}
	}
}

// TestNarrative checks the sentences a leader reads first, on Chợ Đồn-like figures.
func TestNarrative(t *testing.T) {
	cfg := sheettest.Config(t)
	txt, err := reporttext.Load(templates.FS)
	if err != nil {
		t.Fatal(err)
	}
	s := &summary.Summary{Period: "2023-09", AsOf: "2023-09-30",
		Units: []summary.Unit{{Unit: "A"}, {Unit: "B"}},
		Total: summary.Unit{Headcount: 388, Breakdowns: map[string]map[string]int{
			"gioi_tinh":           {"nam": 300, "nu": 88},
			"trinh_do_chuyen_mon": {"thac_si": 3, "dai_hoc": 313, "cao_dang": 30, "trung_cap": 42},
		}},
		Targets: []summary.Target{
			{Title: "Sau đại học BCH tỉnh", Population: 50, Count: 35, Share: 0.7, Threshold: 0.7, Met: true},
			{Title: "Sau đại học cấp phòng", Population: 100, Count: 27, Share: 0.27, Threshold: 0.3, Shortfall: 3, Deadline: "2025-12-31"},
		},
		Files: []summary.File{{Status: "accepted"}, {Status: "rejected"}},
		Previous: &summary.Changes{Period: "2023-08", Total: summary.UnitChange{Headcount: 388, PreviousHeadcount: 380, HeadcountChange: 8},
			Targets: []summary.TargetChange{{Title: "Sau đại học BCH tỉnh", ShareChangePP: 4, MetChange: summary.NowMet}}},
	}
	paras, err := txt.Narrative(s, cfg)
	if err != nil {
		t.Fatal(err)
	}
	all := strings.Join(paras, "\n")
	for _, want := range []string{
		"Tính đến ngày 30/09/2023, tổng số cán bộ, công chức, viên chức của 2 đơn vị là 388 người, trong đó nữ 88 người (22,68%).",
		"Về trình độ chuyên môn: thạc sĩ 3 người (0,77%); đại học 313 người (80,67%); cao đẳng 30 người (7,73%); trung cấp 42 người (10,82%).",
		"Đã đạt 1/2 chỉ tiêu chung: “Sau đại học BCH tỉnh” đạt 70,00% (35/50 người), chỉ tiêu đề ra 70%.",
		"Chưa đạt 1/2 chỉ tiêu chung: “Sau đại học cấp phòng” mới đạt 27,00% (27/100 người), chỉ tiêu đề ra 30%, còn thiếu 3 người (thời hạn 31/12/2025).",
		"Đã nhận 2 tệp, dùng được 1 tệp, 1 tệp không đọc được",
		"So với kỳ 08/2023: tổng số tăng 8 người (380 → 388 người); chỉ tiêu “Sau đại học BCH tỉnh” nay đã đạt (+4,00 điểm %).",
	} {
		if !strings.Contains(all, want) {
			t.Errorf("narrative lacks %q:\n%s", want, all)
		}
	}
}

func TestLoadRejectsDuplicateLabel(t *testing.T) {
	base, err := templates.FS.ReadFile("report.yaml")
	if err != nil {
		t.Fatal(err)
	}
	fsys := fstest.MapFS{
		"report.yaml":      {Data: base},
		"report-xlsx.yaml": {Data: []byte("labels:\n  total: Cộng\n")},
	}
	if _, err := reporttext.Load(fsys); err == nil || !strings.Contains(err.Error(), `"total"`) {
		t.Errorf("want a duplicate-label error naming total, got %v", err)
	}
}

// TestNarrativeTraining: the training sentence gives each kind in lượt and người, and
// two registers sharing attendances are said right after it with both files' names.
func TestNarrativeTraining(t *testing.T) {
	cfg := sheettest.Config(t)
	txt, err := reporttext.Load(templates.FS)
	if err != nil {
		t.Fatal(err)
	}
	s := &summary.Summary{Period: "2023-09", AsOf: "2023-09-30", Units: []summary.Unit{{Unit: "A"}},
		Total: summary.Unit{Headcount: 10},
		Training: summary.Training{Total: 12, ByType: map[string]int{"ly_luan_chinh_tri": 12},
			TrainingPeople: summary.TrainingPeople{People: 9, PeopleByType: map[string]int{"ly_luan_chinh_tri": 9}},
			Overlaps:       []summary.TrainingOverlap{{Files: [2]string{"Sổ 2023.xlsx", "Sổ 2023 (cũ).xlsx"}, Shared: 5}}},
	}
	paras, err := txt.Narrative(s, cfg)
	if err != nil {
		t.Fatal(err)
	}
	all := strings.Join(strings.Fields(strings.Join(paras, "\n")), " ")
	for _, want := range []string{
		"12 lượt người (9 người), gồm lý luận chính trị 12 lượt (9 người).",
		"Lưu ý: 5 lượt đào tạo, bồi dưỡng có ở hai sổ nên đang được tính hai lần (5 lượt có ở cả “Sổ 2023.xlsx” và “Sổ 2023 (cũ).xlsx”)",
	} {
		if !strings.Contains(all, want) {
			t.Errorf("narrative lacks %q:\n%s", want, all)
		}
	}
}
