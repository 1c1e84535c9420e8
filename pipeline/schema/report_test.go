package schema_test

import (
	"errors"
	"strings"
	"testing"

	"canbo/config"
	"canbo/pipeline/schema"
)

// TestReportGroupsAndRecommendations: report.yaml's group names and recommendations
// are checked by `canbo config check`: a group without a name, two folders under one
// name, a placeholder the report cannot fill (with the closest one) and an empty
// sentence are each a problem; the shipped ones load.
func TestReportGroupsAndRecommendations(t *testing.T) {
	cfg, err := schema.Load(config.FS, "config")
	if err != nil {
		t.Fatal(err)
	}
	if got := cfg.Report.GroupName("kon-tum/dai-hoc"); got == "" || strings.Contains(got, "/") {
		t.Errorf("the shipped kon-tum/dai-hoc is shown as %q", got)
	}
	if len(cfg.Report.Document.Recommendations) == 0 {
		t.Error("the shipped report.yaml has no recommendations")
	}

	base, err := config.FS.ReadFile(schema.FileReport)
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Replace(string(base), "\ngroups:\n", "\ngroups:\n  trong:\n  ban-a: Huyện Châu Thành\n  ban-b: huyện châu thành\n  kon-tum\\dai-hoc: Lớp ĐH\n", 1)
	text = strings.Replace(text, "  recommendations:\n", "  recommendations:\n    - Cử {con_thieux} người đi học.\n    - \"\"\n", 1)
	_, err = schema.Load(withFile(t, schema.FileReport, text), "config")
	var ps schema.Problems
	if !errors.As(err, &ps) {
		t.Fatalf("want problems, got %v", err)
	}
	all := err.Error()
	for _, want := range []string{
		`groups: thư mục "trong" chưa có tên hiển thị`,
		`groups: thư mục "ban-a" và "ban-b" cùng tên hiển thị`,
		`groups: "kon-tum/dai-hoc" và "kon-tum\\dai-hoc" là cùng một thư mục`,
		`document.recommendations, câu 1: chỗ {con_thieux} không có số liệu để điền (có phải {con_thieu}?)`,
		`document.recommendations, câu 2: câu trống`,
	} {
		if !strings.Contains(all, want) {
			t.Errorf("problems lack %q:\n%s", want, all)
		}
	}
}

// TestGroupName: a folder written with backslashes or a trailing slash, as a
// Windows clerk may, still names its group.
func TestGroupName(t *testing.T) {
	r := schema.Report{Groups: map[string]string{`kon-tum\dai-hoc\`: " Lớp đại học ", "cho-don": "Huyện Chợ Đồn"}}
	for group, want := range map[string]string{"kon-tum/dai-hoc": "Lớp đại học", "cho-don": "Huyện Chợ Đồn", "khac": ""} {
		if got := r.GroupName(group); got != want {
			t.Errorf("GroupName(%q) = %q, want %q", group, got, want)
		}
	}
}

// TestAppendicesChosen: document.appendices names the appendices among the known
// ones; a misspelt one is a problem with the closest name; without the key every
// appendix is wanted.
func TestAppendicesChosen(t *testing.T) {
	var d schema.Document
	if !d.WantsAppendix("problems") {
		t.Error("without document.appendices, the problems appendix is not wanted")
	}
	d.Appendices = []string{"structure"}
	if d.WantsAppendix("problems") || !d.WantsAppendix("structure") {
		t.Error("document.appendices: [structure] does not choose the structure appendix alone")
	}
	base, err := config.FS.ReadFile(schema.FileReport)
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Replace(string(base), "\ndocument:\n", "\ndocument:\n  appendices: [structure, traning]\n", 1)
	_, err = schema.Load(withFile(t, schema.FileReport, text), "config")
	if err == nil || !strings.Contains(err.Error(), `document.appendices: không có phụ lục "traning" (có phải "training"?)`) {
		t.Errorf("a misspelt appendix: %v", err)
	}
}

// TestTraineeBreakdowns: trainee_breakdowns names roster dimensions; a training
// register's own field (always unknown for a trainee) or an undeclared one is a
// problem config check reports, with the closest name.
func TestTraineeBreakdowns(t *testing.T) {
	cfg, err := schema.Load(config.FS, "config")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(strings.Join(cfg.Report.TraineeBreakdowns, " "), "dan_toc_thieu_so") {
		t.Errorf("the shipped trainee_breakdowns %v lack dan_toc_thieu_so", cfg.Report.TraineeBreakdowns)
	}
	base, err := config.FS.ReadFile(schema.FileReport)
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Replace(string(base), "\ntrainee_breakdowns: [", "\ntrainee_breakdowns: [kinh_phi, dan_toc_thieu_sô, ", 1)
	_, err = schema.Load(withFile(t, schema.FileReport, text), "config")
	if err == nil {
		t.Fatal("no problem reported")
	}
	for _, want := range []string{`trainee_breakdowns: trường "kinh_phi" không có trong danh sách cán bộ`,
		`trainee_breakdowns: trường "dan_toc_thieu_sô" chưa khai báo trong schema.yaml (có phải "dan_toc_thieu_so"?)`} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("problems lack %q:\n%v", want, err)
		}
	}
}
