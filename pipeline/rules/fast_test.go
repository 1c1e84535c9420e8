package rules

import (
	"context"
	"testing"
	"time"

	"canbo/pipeline/ingest"
	"canbo/pipeline/internal/sheettest"
	"canbo/pipeline/normalize"
	"canbo/pipeline/schema"
)

// TestFastSameAsVM: every count expression of config/forms.yaml, and shapes the
// forms do not use yet (or, not, !=, a missing number), gives the same answer in
// plain Go as on expr's VM, for every person of the samples; and the forms'
// expressions do take the plain Go path.
func TestFastSameAsVM(t *testing.T) {
	if testing.Short() {
		t.Skip("reads every sample")
	}
	cfg := sheettest.Config(t)
	set, err := Compile(cfg)
	if err != nil {
		t.Fatal(err)
	}
	c := &compiler{env: newEnv(cfg)}
	exprs := append([]*Expr(nil), set.counters...)
	for _, text := range []string{
		`gioi_tinh != "nu" or not dang_vien`,
		`!(tuoi > 40) && trinh_do_chuyen_mon == "chua_xac_dinh"`,
		`tuoi == 35 || tuoi != 35`,
		`quan_ly_nha_nuoc != "chuyen_vien" and not (tuoi < 30.5)`,
		`false or dan_toc_thieu_so`,
	} {
		x := c.expr(text, schema.Pos{})
		if x == nil {
			t.Fatalf("%s: %v", text, c.problems)
		}
		x.fast = c.env.fast(text)
		exprs = append(exprs, x)
	}
	slow := 0
	for _, x := range exprs {
		if x.fast == nil {
			slow++
			t.Logf("on the VM: %s", x.Text)
		}
	}
	if slow > 1 { // quan_ly_nha_nuoc >= "chuyen_vien_chinh" orders an ordinal
		t.Errorf("%d expressions take the VM, want 1", slow)
	}
	asOf := time.Date(2023, 9, 30, 0, 0, 0, 0, time.UTC)
	r := ingest.NewReader(normalize.New(cfg), ingest.Options{Now: func() time.Time { return asOf }})
	b, err := r.ReadAll(context.Background(), []string{"../../samples"}, sheettest.Catalog(t))
	if err != nil {
		t.Fatal(err)
	}
	e := NewEvaluator()
	n := 0
	for _, rec := range b.Records(Roster) {
		normalize.Derive(cfg, rec, asOf)
		n++
		for _, x := range exprs {
			if x.fast == nil {
				continue
			}
			want, err := e.Match(x, rec)
			if err != nil {
				t.Fatal(err)
			}
			if got := x.fast(rec); got != want {
				t.Fatalf("%s on %s row %d: plain Go %v, VM %v", x.Text, rec.File, rec.Row, got, want)
			}
		}
	}
	if n < 900 { // the samples have 972 roster records
		t.Errorf("only %d people compared", n)
	}
}
