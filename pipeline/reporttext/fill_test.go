package reporttext

import (
	"maps"
	"testing"

	"canbo/pipeline/internal/sheettest"
	"canbo/templates"
)

// TestFill: placeholders replaced in one pass, unknown ones and stray braces kept.
func TestFill(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"{ten}: {so_nguoi} người", "Chuẩn A: 3 người"},
		{"không có chỗ", "không có chỗ"},
		{"{lạ} {ten}", "{lạ} Chuẩn A"},
		{"{ten}{ten} {", "Chuẩn AChuẩn A {"},
		{"{ {ten}", "{ Chuẩn A"},
	} {
		if got := Fill(tc.in, "{ten}", "Chuẩn A", "{so_nguoi}", "3"); got != tc.want {
			t.Errorf("Fill(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestSourceFields: a dimension derived from a column (nhóm tuổi from tuổi from ngày
// sinh) is reported by a file with that column, and only by the fields on its chain.
func TestSourceFields(t *testing.T) {
	cfg := sheettest.Config(t)
	got := sourceFields(cfg, "nhom_tuoi")
	want := map[string]bool{"nhom_tuoi": true, "tuoi": true, "ngay_sinh": true}
	if !maps.Equal(got, want) {
		t.Errorf("sourceFields(nhom_tuoi) = %v, want %v", got, want)
	}
	if got := sourceFields(cfg, "quan_ly_nha_nuoc"); !maps.Equal(got, map[string]bool{"quan_ly_nha_nuoc": true}) {
		t.Errorf("sourceFields(quan_ly_nha_nuoc) = %v", got)
	}
}

// TestIssueKind: the shipped templates name every issue code; a code with no name
// is shown as itself.
func TestIssueKind(t *testing.T) {
	txt, err := Load(templates.FS)
	if err != nil {
		t.Fatal(err)
	}
	if got := txt.IssueKind("unknown-value"); got != "giá trị không có trong danh mục" {
		t.Errorf("IssueKind(unknown-value) = %q", got)
	}
	if got := txt.IssueKind("made-up"); got != "made-up" {
		t.Errorf("IssueKind(made-up) = %q", got)
	}
}
