package rules_test

import (
	"errors"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"canbo/config"
	"canbo/pipeline/rules"
	"canbo/pipeline/schema"
)

// withForms loads the default configuration with forms.yaml as given.
func withForms(t *testing.T, text string) (*schema.Config, error) {
	t.Helper()
	m := fstest.MapFS{}
	for _, f := range append(append([]string{}, schema.Files...), schema.OptionalFiles...) {
		b, err := config.FS.ReadFile(f)
		if err != nil {
			continue
		}
		m[f] = &fstest.MapFile{Data: b}
	}
	m[schema.FileForms] = &fstest.MapFile{Data: []byte(text)}
	return schema.Load(m, "config")
}

const twoForms = `forms:
  - code: a
    title: Biểu A
    units: {rest: true}
    columns:
      - {title: Tổng số, id: tong, count: "true"}
      - {title: Nữ, id: nu, count: gioi_tinh == "nu"}
      - {title: Nữ từ 51 đến 55, id: nu_51_55, count: gioi_tinh == "nu" and tuoi >= 51 and tuoi <= 55}
  - code: b
    title: Biểu B
    columns:
      - {title: Nữ, id: phu_nu, count: gioi_tinh == "nu"}
      - {title: Thạc sĩ, id: ths, count: trinh_do_chuyen_mon == "thac_si"}
`

// TestFormExprProblems: a mistake in a count expression is reported at its line and
// column in forms.yaml, as one in targets.yaml is.
func TestFormExprProblems(t *testing.T) {
	cfg, err := withForms(t, strings.Replace(twoForms, `trinh_do_chuyen_mon == "thac_si"`, `trinh_do_chuyen_mon == "thac_sy"`, 1))
	if err != nil {
		t.Fatal(err)
	}
	_, err = rules.Compile(cfg)
	var ps schema.Problems
	if !errors.As(err, &ps) {
		t.Fatalf("err %v, want problems", err)
	}
	want := `config/forms.yaml:13:65: "thac_sy" không phải mã của "trinh_do_chuyen_mon" (có phải "thac_si"?)`
	if len(ps) != 1 || ps[0].String() != want {
		t.Errorf("problems\n%s\nwant\n%s", ps.Error(), want)
	}
}

// TestFormCounts: the form columns are counted in Evaluator.Count beside the targets;
// columns written alike share a counter; the plan's digest (which keys the cached
// counts of each file) changes with a form's expression.
func TestFormCounts(t *testing.T) {
	cfg, err := withForms(t, twoForms)
	if err != nil {
		t.Fatal(err)
	}
	set, err := rules.Compile(cfg)
	if err != nil {
		t.Fatal(err)
	}
	asOf := time.Date(2023, 9, 30, 0, 0, 0, 0, time.UTC)
	plan := set.Plan(asOf)
	if len(plan.Counters) != 4 {
		t.Errorf("%d counters, want 4 (Nữ is written twice)", len(plan.Counters))
	}
	c := plan.NewCounts()
	e := rules.NewEvaluator()
	for _, p := range []map[string]string{
		{"gioi_tinh": "nu", "tuoi": "52", "trinh_do_chuyen_mon": "thac_si"},
		{"gioi_tinh": "nu", "tuoi": "56"},
		{"gioi_tinh": "nam", "tuoi": "53", "trinh_do_chuyen_mon": "thac_si"},
		{},
	} {
		e.Count(plan, c, person(t, cfg, p), nil)
	}
	a, b := plan.FormCounts("a", c), plan.FormCounts("b", c)
	if a["tong"] != 4 || a["nu"] != 2 || a["nu_51_55"] != 1 || b["phu_nu"] != 2 || b["ths"] != 2 {
		t.Errorf("form a %v, form b %v", a, b)
	}
	sum := plan.NewCounts()
	sum.Add(c)
	sum.Add(c)
	if got := plan.FormCounts("a", sum)["nu"]; got != 4 {
		t.Errorf("counts of two files add to %d Nữ, want 4", got)
	}

	cfg2, err := withForms(t, strings.Replace(twoForms, "tuoi <= 55", "tuoi <= 54", 1))
	if err != nil {
		t.Fatal(err)
	}
	set2, err := rules.Compile(cfg2)
	if err != nil {
		t.Fatal(err)
	}
	if set2.Plan(asOf).Digest() == plan.Digest() {
		t.Error("the plan digest did not change with a form's count expression: files would keep stale counts")
	}
}
