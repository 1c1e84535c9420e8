package rules_test

import (
	"errors"
	"strings"
	"testing"
	"testing/fstest"

	"canbo/config"
	"canbo/pipeline/rules"
	"canbo/pipeline/schema"
)

// withFiles returns the default configuration folder with some files replaced.
func withFiles(t *testing.T, files map[string]string) fstest.MapFS {
	t.Helper()
	m := fstest.MapFS{}
	for _, f := range append(append([]string{}, schema.Files...), schema.OptionalFiles...) {
		b, err := config.FS.ReadFile(f)
		if err != nil {
			continue // an optional file the default folder does not have
		}
		m[f] = &fstest.MapFile{Data: b}
	}
	for name, text := range files {
		m[name] = &fstest.MapFile{Data: []byte(text)}
	}
	return m
}

// compileErrors loads a configuration folder and compiles its rules, returning the
// problems as printed by `canbo config check`.
func compileErrors(t *testing.T, files map[string]string) []string {
	t.Helper()
	cfg, err := schema.Load(withFiles(t, files), "config")
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	_, err = rules.Compile(cfg)
	var ps schema.Problems
	if err == nil {
		return nil
	}
	if !errors.As(err, &ps) {
		t.Fatalf("error is %T, not schema.Problems: %v", err, err)
	}
	var out []string
	for _, p := range ps {
		out = append(out, p.String())
	}
	return out
}

func TestDefaultRulesCompile(t *testing.T) {
	if got := compileErrors(t, nil); got != nil {
		t.Fatalf("default targets.yaml / standards.yaml: %s", strings.Join(got, "\n"))
	}
}

func TestCompileProblems(t *testing.T) {
	target := func(lines ...string) map[string]string {
		return map[string]string{schema.FileTargets: "rule_sets:\n" +
			"  - code: thu\n" +
			"    targets:\n" +
			"      - id: a\n" +
			"        title: A\n" +
			strings.Join(lines, "\n") + "\n"}
	}
	tests := []struct {
		name  string
		files map[string]string
		want  []string // each problem, in order: position, then a part of the message
	}{
		{"typo in a field name", target(
			`        population: dien_quan_ly == "bch_tinh"`,
			`        counted: trinh_do_chuyen_mom >= "thac_si"`,
			`        threshold: 70%`),
			[]string{`config/targets.yaml:7:18: không có trường "trinh_do_chuyen_mom" (có phải "trinh_do_chuyen_mon"?)`}},
		{"typo in a code", target(
			`        counted: trinh_do_chuyen_mon >= "thac_sy"`,
			`        threshold: 70%`),
			[]string{`config/targets.yaml:6:41: "thac_sy" không phải mã của "trinh_do_chuyen_mon" (có phải "thac_si"?)`}},
		{"a label instead of a code", target(
			`        population: dien_quan_ly == "Cấp phòng"`,
			`        counted: trinh_do_chuyen_mon >= "Đại học"`,
			`        threshold: 70%`),
			[]string{`config/targets.yaml:6:37: "Cấp phòng" không phải mã của "dien_quan_ly" (có phải "cap_phong"?)`,
				`config/targets.yaml:7:41: "Đại học" không phải mã của "trinh_do_chuyen_mon" (có phải "dai_hoc"?)`}},
		{"not true/false", target(
			`        counted: tuoi + 1`,
			`        threshold: 70%`),
			[]string{`config/targets.yaml:6:18: biểu thức phải cho kết quả đúng/sai`}},
		{"bad threshold", target(
			`        counted: dang_vien`,
			`        threshold: 7O%`),
			[]string{`config/targets.yaml:7:20: ngưỡng "7O%" không phải một tỉ lệ`}},
		{"threshold above 100%", target(
			`        counted: dang_vien`,
			`        threshold: 120%`),
			[]string{`config/targets.yaml:7:20: ngưỡng "120%" lớn hơn 100%`}},
		{"wrong types", target(
			`        counted: tuoi < "35" and trinh_do_chuyen_mon >= 5 and gioi_tinh > "nam"`,
			`        threshold: 70%`),
			[]string{
				`config/targets.yaml:6:25: trường "tuoi" là số: viết số không có ngoặc kép`,
				`config/targets.yaml:6:57: so sánh thứ bậc của "trinh_do_chuyen_mon" chỉ với một mã trong ngoặc kép`,
				`config/targets.yaml:6:73: trường "gioi_tinh" không có thứ bậc`,
			}},
		{"bool and date literals", target(
			`        counted: dang_vien == "true" or ngay_sinh < "31/12/1990"`,
			`        threshold: 70%`),
			[]string{
				`config/targets.yaml:6:31: trường "dang_vien" là có/không`,
				`config/targets.yaml:6:53: ngày "31/12/1990" không đúng dạng NĂM-THÁNG-NGÀY`,
			}},
		{"ordinal and number", target(
			`        counted: tuoi >= trinh_do_chuyen_mon`,
			`        threshold: 70%`),
			[]string{`config/targets.yaml:6:23: không so sánh thứ bậc "tuoi" với "trinh_do_chuyen_mon"`}},
		{"ordinal inside an expression", target(
			`        counted: trinh_do_chuyen_mon + "" >= "dai_hoc"`,
			`        threshold: 70%`),
			[]string{`config/targets.yaml:6:18: so sánh thứ bậc chỉ viết trực tiếp giữa trường "trinh_do_chuyen_mon" và một mã`}},
		{"let", target(
			`        counted: let t = tuoi; t < 35`,
			`        threshold: 70%`),
			[]string{`config/targets.yaml:6:22: không dùng "let"`, `config/targets.yaml:6:32: không có trường "t"`}},
		{"single equals sign", target(
			`        counted: gioi_tinh = "nu"`,
			`        threshold: 70%`),
			[]string{`config/targets.yaml:6:28: biểu thức viết chưa đúng: so sánh bằng viết là ==`}},
		{"ordering an unknown", target(
			`        counted: trinh_do_chuyen_mon >= "chua_xac_dinh"`,
			`        threshold: 70%`),
			[]string{`config/targets.yaml:6:41: "chua_xac_dinh" (chưa xác định) không có thứ bậc`}},
		{"different vocabularies", target(
			`        counted: trinh_do_chuyen_mon >= ly_luan_chinh_tri`,
			`        threshold: 70%`),
			[]string{`config/targets.yaml:6:38: không so sánh thứ bậc "trinh_do_chuyen_mon" với "ly_luan_chinh_tri"`}},
		{"missing keys, bad scope, deadline, id", target(
			`        scope: tinh`,
			`        deadline: 31/12/2025`,
			`      - id: Sdh-2`,
			`        title: B`,
			`        counted: dang_vien`,
			`        threshold: 50%`,
			`      - id: a`,
			`        title: C`,
			`        counted: dang_vien`,
			`        threshold: 50%`),
			[]string{
				`config/targets.yaml:4:9: chỉ tiêu "a" thiếu "counted"`,
				`config/targets.yaml:4:9: chỉ tiêu "a" thiếu "threshold"`,
				`config/targets.yaml:4:9: deadline = "31/12/2025" không phải ngày dạng NĂM-THÁNG-NGÀY`,
				`config/targets.yaml:4:9: scope = "tinh" không hợp lệ`,
				`config/targets.yaml:8:9: id "Sdh-2": mã chỉ được có chữ thường`,
				`config/targets.yaml:12:9: mã chỉ tiêu "a" đã dùng ở config/targets.yaml:4:9`,
			}},
		{"rule set dates", map[string]string{schema.FileTargets: "rule_sets:\n" +
			"  - code: thu\n" +
			"    effective_from: 2025-12-31\n" +
			"    effective_until: 2021-09-10\n" +
			"    targets:\n" +
			"      - {id: a, title: A, counted: dang_vien, threshold: 50%}\n" +
			"  - code: thu\n" +
			"    effective_from: 2021-02-30\n" +
			"    targets:\n" +
			"      - {id: b, title: B, counted: dang_vien, threshold: 50%}\n"},
			[]string{
				`config/targets.yaml:2:5: effective_until (2021-09-10) trước effective_from (2025-12-31)`,
				`config/targets.yaml:7:5: effective_from = "2021-02-30" không phải ngày`,
				`config/targets.yaml:7:5: mã bộ chỉ tiêu "thu" lặp lại`,
			}},
		{"standards", map[string]string{schema.FileStandards: "standards:\n" +
			"  - id: xa\n" +
			"    title: Xã\n" +
			"    applies_to: dien_quan_ly == \"cap_phong\" and chuc_vu\n" +
			"    requires:\n" +
			"      - {field: trinh_do_chuyen_mon, at_least: dai_hocc}\n" +
			"      - {field: gioi_tinh, at_least: nu}\n" +
			"      - {field: ly_luan_chinh_tr, at_least: trung_cap}\n" +
			"      - {field: quan_ly_nha_nuoc, at_least: chuyen_vien}\n" +
			"      - {field: quan_ly_nha_nuoc, at_least: can_su}\n" +
			"  - id: xa\n" +
			"    title: Xã 2\n" +
			"    requires: [{field: trinh_do_chuyen_mon}]\n"},
			[]string{
				`config/standards.yaml:4:45: không dùng được phép and giữa đúng/sai và chữ/mã`,
				`config/standards.yaml:6:9: at_least = "dai_hocc" không phải mã của "trinh_do_chuyen_mon" (có phải "dai_hoc"?)`,
				`config/standards.yaml:7:9: trường "gioi_tinh" không có thứ bậc nên không đặt mức tối thiểu được`,
				`config/standards.yaml:8:9: không có trường "ly_luan_chinh_tr" (có phải "ly_luan_chinh_tri"?)`,
				`config/standards.yaml:10:9: trường "quan_ly_nha_nuoc" đã có một yêu cầu`,
				`config/standards.yaml:11:5: mã tiêu chuẩn "xa" đã dùng ở config/standards.yaml:2:5`,
				`config/standards.yaml:13:16: yêu cầu về "trinh_do_chuyen_mon" thiếu "at_least"`,
			}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := compileErrors(t, tc.files)
			if len(got) != len(tc.want) {
				t.Fatalf("%d problems, want %d:\n%s", len(got), len(tc.want), strings.Join(got, "\n"))
			}
			for i, w := range tc.want {
				if !strings.HasPrefix(got[i], w) {
					t.Errorf("problem %d:\n got %s\nwant %s…", i, got[i], w)
				}
			}
		})
	}
}
