package schema_test

import (
	"errors"
	"strings"
	"testing"

	"canbo/pipeline/schema"
)

// TestPinProblems: every mistake in layouts.yaml is reported at its line and column,
// with a suggestion where one helps.
func TestPinProblems(t *testing.T) {
	text := `pins:
  - file: "Chi cục Hải quan*.xlsx"
    dataset: roster
    header_rows: [6]
    columns: {C: ho_ten, D: chuc_vuu, J: "-", "3": ho_ten}
    skip_rows: ["8", "11-12", "x"]
    values: {gioi_tinh: {"1": nam, "2": nux}}
  - sheet: DS
    dataset: danh_sach
    header_rows: [7, 9]
    colums: {A: stt}
`
	_, err := schema.Load(withFile(t, schema.FileLayouts, text), "config")
	var ps schema.Problems
	if !errors.As(err, &ps) {
		t.Fatalf("err = %v, want problems", err)
	}
	got := ps.Error()
	for _, want := range []string{
		`config/layouts.yaml:2:5: cột D: trường "chuc_vuu" chưa khai báo trong schema.yaml (có phải "chuc_vu"?)`,
		`config/layouts.yaml:2:5: cột "3" không hợp lệ`,
		`config/layouts.yaml:2:5: skip_rows: "x" không phải dòng hay khoảng dòng`,
		`config/layouts.yaml:2:5: values: gioi_tinh "2" → "nux": mã "nux" không có trong bộ giá trị "gioi_tinh"`,
		`config/layouts.yaml:8:5: bố cục cố định cần "file"`,
		`config/layouts.yaml:8:5: "dataset" = "danh_sach" không có`,
		`config/layouts.yaml:8:5: "header_rows" phải là các số dòng liền nhau`,
		`config/layouts.yaml:11:5: khóa "colums" không dùng được trong pins (có phải "columns"?)`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("missing %q in:\n%s", want, got)
		}
	}
}

func TestPinMatches(t *testing.T) {
	cfg, err := schema.Load(withFile(t, schema.FileLayouts, `pins:
  - file: "Chi cục Hải quan*.xlsx"
    skip_rows: ["8", "11-12"]
    left_rows: ["30"]
`), "config")
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]bool{
		"Chi cục Hải quan khu vực XI.xlsx": true,
		"CHI CUC HAI QUAN KV XI.xlsx":      true,
		"Cục Hải quan.xlsx":                false,
		"Chi cục Hải quan.xls":             false,
	} {
		if got := cfg.PinFor(name) != nil; got != want {
			t.Errorf("PinFor(%q) = %v, want %v", name, got, want)
		}
	}
	p := cfg.PinFor("Chi cục Hải quan khu vực XI.xlsx")
	for row, want := range map[int]bool{7: false, 8: true, 11: true, 12: true, 13: false} {
		if p.Skip(row) != want {
			t.Errorf("Skip(%d) = %v", row, !want)
		}
	}
	if !p.Left(30) || p.Left(31) {
		t.Error("left_rows not read")
	}
}
