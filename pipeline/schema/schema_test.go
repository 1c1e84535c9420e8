package schema_test

import (
	"errors"
	"strings"
	"testing"
	"testing/fstest"

	"canbo/config"
	"canbo/pipeline/schema"
)

func TestDefaultConfigLoads(t *testing.T) {
	cfg, err := schema.Load(config.FS, "config")
	if err != nil {
		t.Fatal(err)
	}
	// The contract's default codes must exist with their types.
	for code, typ := range map[string]string{"don_vi": "text", "ho_ten": "text", "so_dinh_danh": "id", "ngay_sinh": "date",
		"gioi_tinh": "enum", "dan_toc": "enum", "chuc_vu": "text", "dien_quan_ly": "enum", "trinh_do_chuyen_mon": "ordinal",
		"dang_dao_tao": "ordinal", "ly_luan_chinh_tri": "ordinal", "quan_ly_nha_nuoc": "ordinal", "dang_vien": "bool",
		"loai_dao_tao": "enum", "kinh_phi": "enum"} {
		f := cfg.Field(code)
		if f == nil || f.Type != typ {
			t.Errorf("field %s: %+v, want type %s", code, f, typ)
		}
	}
	order := []string{"chua_qua_dao_tao", "so_cap", "trung_cap", "cao_dang", "dai_hoc", "thac_si", "tien_si"}
	v := cfg.VocabOf(cfg.Field("trinh_do_chuyen_mon"))
	for i, c := range order {
		if r, ok := v.Rank(c); !ok || r != i {
			t.Errorf("trinh_do rank of %s = %d, %v; want %d", c, r, ok, i)
		}
	}
	if n := len(cfg.Vocab["dan_toc"].Values); n != 55 {
		t.Errorf("dan_toc has %d values, want the 54 groups plus người nước ngoài", n)
	}
}

// withFile returns the default configuration with one file replaced.
func withFile(t *testing.T, name, text string) fstest.MapFS {
	t.Helper()
	m := fstest.MapFS{}
	for _, f := range schema.Files {
		b, err := config.FS.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		m[f] = &fstest.MapFile{Data: b}
	}
	m[name] = &fstest.MapFile{Data: []byte(text)}
	return m
}

func TestConfigProblems(t *testing.T) {
	base, _ := config.FS.ReadFile(schema.FileTraining)
	tests := []struct {
		name, file, text string
		want             []string // each must appear, in order, in the problem list
	}{
		{"unknown key with suggestion", schema.FileTraining,
			strings.Replace(string(base), "otherwise: khac", "otherwse: khac", 1),
			[]string{`config/training.yaml:11:1: khóa "otherwse" không dùng được (có phải "otherwise"?)`}},
		{"syntax error", schema.FileLayout, "header_search_rows: 40\n  bad: [\n",
			[]string{"config/layout.yaml:2:"}},
		{"wrong type", schema.FileLayout, "header_search_rows: nhiều\n",
			[]string{"config/layout.yaml:1:", "cần một số nguyên"}},
		{"unknown rule code", schema.FileTraining,
			"field: loai_dao_tao\nfrom: khoa_hoc\notherwise: khac\nrules:\n  - code: boi_duong_xyz\n    words: [abc]\n",
			[]string{"config/training.yaml:5:5", `loại "boi_duong_xyz" không có trong bộ giá trị "loai_dao_tao"`}},
		{"from_name field without a vocabulary, skip not a spelling", schema.FileTraining,
			string(base) + "  - field: khoa_hoc\n  - field: cap_do_dao_tao\n    skip: [xyz]\n",
			[]string{`trường "khoa_hoc" cần một bộ giá trị để tìm trong tên lớp`,
				`"skip": "xyz" không phải cách viết nào của bộ giá trị "cap_do_dao_tao"`}},
		// "Hình thức" names hinh_thuc (training) and hinh_thuc_dieu_dong (movements); one
		// header for two fields of the roster is ambiguous.
		{"a header for two fields of one dataset", schema.FileSchema,
			strings.Replace(string(mustRead(t, schema.FileSchema)), "headers: [tôn giáo]", "headers: [tôn giáo, dân tộc]", 1),
			[]string{`tiêu đề cột "dân tộc" khai báo cho cả "dan_toc" và "ton_giao" (cùng một loại bảng)`}},
		// A period column's end must be another date field.
		{"a period ending in a text field", schema.FileSchema,
			strings.Replace(string(mustRead(t, schema.FileSchema)), "to: den_ngay", "to: khoa_hoc", 1),
			[]string{`"period" của trường "tu_ngay": "to" = "khoa_hoc" phải là một trường ngày tháng khác`}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := schema.Load(withFile(t, tc.file, tc.text), "config")
			var ps schema.Problems
			if !errors.As(err, &ps) {
				t.Fatalf("err = %v, want Problems", err)
			}
			got := ps.Error()
			for _, w := range tc.want {
				if !strings.Contains(got, w) {
					t.Errorf("problems:\n%s\nwant to contain %q", got, w)
				}
			}
		})
	}
}

func TestConfigReportsEveryProblem(t *testing.T) {
	fs := withFile(t, schema.FileLayout, "header_search_rows: 40\nfooter_wrods: [a]\ntotal_wrods: [b]\n")
	fs["extra.yaml"] = &fstest.MapFile{Data: []byte("a: 1\n")}
	_, err := schema.Load(fs, "config")
	var ps schema.Problems
	if !errors.As(err, &ps) || len(ps) != 3 {
		t.Fatalf("want 3 problems (two keys, one file), got %v", err)
	}
}

func mustRead(t *testing.T, name string) []byte {
	t.Helper()
	b, err := config.FS.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
