package rules_test

import (
	"context"
	"testing"
	"time"

	"canbo/pipeline/ingest"
	"canbo/pipeline/internal/sheettest"
	"canbo/pipeline/normalize"
	"canbo/pipeline/rules"
)

// TestChoDonStandard checks the commune standard on the Chợ Đồn samples: of 388
// commune cadres and civil servants, 3 thạc sĩ and 313 đại học meet "đại học trở
// lên", and the 72 with cao đẳng or trung cấp (18,56% in the article) do not.
func TestChoDonStandard(t *testing.T) {
	if testing.Short() {
		t.Skip("reads 20 workbooks")
	}
	cfg := sheettest.Config(t)
	r := ingest.NewReader(normalize.New(cfg), ingest.Options{Now: func() time.Time { return time.Date(2023, 10, 1, 0, 0, 0, 0, time.UTC) }})
	b, err := r.ReadAll(context.Background(), []string{"../../samples/cho-don"}, sheettest.Catalog(t))
	if err != nil {
		t.Fatal(err)
	}
	set, err := rules.Compile(cfg)
	if err != nil {
		t.Fatal(err)
	}
	asOf := b.AsOf()
	if asOf.Format(time.DateOnly) != "2023-09-30" {
		t.Fatalf("as of %s", asOf)
	}
	std := set.Standards(asOf)
	if len(std) != 1 {
		t.Fatalf("%d standards in force", len(std))
	}
	// Every record, training attendances included: those must be skipped.
	recs := append(b.Records("roster"), b.Records("training")...)
	res, below, err := rules.EvaluateStandard(std[0], recs, "")
	if err != nil {
		t.Fatal(err)
	}
	if res.Population != 388 || res.Compliant != 316 || res.Gaps["trinh_do_chuyen_mon"] != 72 || len(below) != 72 {
		t.Errorf("cong_chuc_xa: %+v, %d below; want 388, 316 compliant, 72 gaps", res, len(below))
	}
	// The Đề án 02 targets are for Sóc Trăng's leaders; the Chợ Đồn rosters have no
	// "Diện quản lý" column, so every population is empty and nothing is met.
	out, err := rules.EvaluateTargets(set.Targets(asOf), recs, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, tg := range out {
		if tg.Population != 0 || tg.Met {
			t.Errorf("%s: %+v", tg.ID, tg)
		}
	}
}
