package schema_test

import (
	"errors"
	"strings"
	"testing"
	"testing/fstest"

	"canbo/config"
	"canbo/pipeline/schema"
)

// withForms is the default configuration (units.yaml included, for its levels) with
// forms.yaml as given.
func withForms(t *testing.T, text string) fstest.MapFS {
	t.Helper()
	m := withUnits(t, "")
	b, err := config.FS.ReadFile(schema.FileUnits)
	if err != nil {
		t.Fatal(err)
	}
	m[schema.FileUnits] = &fstest.MapFile{Data: b}
	m[schema.FileForms] = &fstest.MapFile{Data: []byte(text)}
	return m
}

// TestFormsProblems: each mistake of forms.yaml is reported at its line and column.
func TestFormsProblems(t *testing.T) {
	text := `forms:
  - code: bm01
    title: BÁO CÁO … NĂM {nam}
    units: {levels: [xa, thon]}
    columns:
      - title: Trong đó
        id: nu
        columns:
          - {title: Nữ, id: nu, count: gioi_tinh == "nu"}
          - {title: Nữ lần nữa, id: nu, count: gioi_tinh == "nu"}
          - {title: Tôn giáo}
          - {title: Ngạch, count: "true", missing: không có cột ngạch}
          - {title: Thạc sĩ, count: trinh_do_chuyen_mon == "thac_si"}
      - {title: Tuổi, id: tuoi, cuont: tuoi < 30}
  - code: bm01
    title: lặp
    columns: [{title: Tổng, id: tong, count: "true"}]
`
	_, err := schema.Load(withForms(t, text), "config")
	var ps schema.Problems
	if !errors.As(err, &ps) {
		t.Fatalf("err %v, want problems", err)
	}
	got := ps.Error()
	for _, want := range []string{
		`config/forms.yaml:4:12: units.levels: cấp "thon" không có trong levels của units.yaml`,
		`config/forms.yaml:6:9: cột "Trong đó" có cột con (columns) nên không ghi id, count hay missing`,
		`config/forms.yaml:10:13: id cột "nu" lặp lại trong biểu mẫu "bm01"`,
		`config/forms.yaml:11:13: cột "Tôn giáo" thiếu count`,
		`config/forms.yaml:12:13: cột "Ngạch" ghi cả count lẫn missing`,
		`config/forms.yaml:13:13: cột "Thạc sĩ" thiếu "id"`,
		`config/forms.yaml:14:33: khóa "cuont" không dùng được`,
		`config/forms.yaml:15:5: mã biểu mẫu "bm01" lặp lại`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("missing problem %q in\n%s", want, got)
		}
	}
	if strings.Contains(got, "thiếu \"code\"") || strings.Contains(got, `cấp "xa"`) {
		t.Errorf("a problem where there is none:\n%s", got)
	}
}

// TestFormOf: a unit the registry knows goes by its level, whatever its name; one
// it does not know by how its name begins (folded as unit names are: "Ủy ban nhân
// dân xã" and "Xã" begin as "UBND xã"); the rest to the form marked rest.
func TestFormOf(t *testing.T) {
	text := `forms:
  - code: bm01
    title: Biểu 1
    units: {levels: [tinh, so_nganh, huyen, phong], rest: true}
    columns: [{title: Tổng, id: tong, count: "true"}]
  - code: bm02
    title: Biểu 2
    units: {levels: [xa], name_prefixes: [UBND xã, Đảng ủy phường]}
    columns: [{title: Tổng, id: tong, count: "true"}]
`
	cfg, err := schema.Load(withForms(t, text), "config")
	if err != nil {
		t.Fatal(err)
	}
	for unit, want := range map[string]string{
		"UBND xã Nghĩa Tá":           "bm02", // registered at level xa
		"Ủy ban nhân dân xã Đăk Kôi": "bm02", // not registered: by name
		"Xã Bờ Y":                    "bm02",
		"Xã đội Bờ Y":                "bm02", // the prefix is whole words: "Xã" then more
		"Xãy dựng":                   "bm01",
		"Đảng ủy phường 5":           "bm02",
		"Đảng ủy xã Bờ Y":            "bm01",
		"Sở Nội vụ":                  "bm01", // registered at so_nganh
		"Trạm Khuyến nông huyện A":   "bm01", // the rest
	} {
		got := ""
		if f := cfg.FormOf(unit); f != nil {
			got = f.Code
		}
		if got != want {
			t.Errorf("FormOf(%q) = %q, want %q", unit, got, want)
		}
	}
}
