package rules_test

import (
	"math/rand/v2"
	"strconv"
	"testing"

	"canbo/pipeline/internal/sheettest"
	"canbo/pipeline/normalize"
	"canbo/pipeline/rules"
)

// records makes n roster records with a spread of levels, some unknown.
func records(b testing.TB, n int) []*normalize.Record {
	cfg := sheettest.Config(b)
	rng := rand.New(rand.NewPCG(1, 2))
	dien := []string{"bch_tinh", "btv_quan_ly", "bch_huyen", "cap_phong", ""}
	levels := []string{"trung_cap", "cao_dang", "dai_hoc", "dai_hoc", "dai_hoc", "thac_si", "tien_si", ""}
	recs := make([]*normalize.Record, n)
	for i := range recs {
		v := map[string]string{"gioi_tinh": "nu", "tuoi": strconv.Itoa(25 + rng.IntN(35)), "dang_vien": "true"}
		for code, from := range map[string][]string{"dien_quan_ly": dien, "trinh_do_chuyen_mon": levels, "dang_dao_tao": levels[4:]} {
			if s := from[rng.IntN(len(from))]; s != "" {
				v[code] = s
			}
		}
		recs[i] = person(b, cfg, v)
	}
	return recs
}

// BenchmarkEvaluate evaluates the default configuration over 100,000 persons: the
// four Đề án 02 targets (8 expressions) and the commune standard given an applies_to,
// about 10 expressions per person. ns/expr is per person and expression.
func BenchmarkEvaluate(b *testing.B) {
	cfg := sheettest.Config(b)
	cfg.Standards.Standards[0].AppliesTo = `tuoi >= 18 and (dang_vien or gioi_tinh == "nu")`
	set, err := rules.Compile(cfg)
	if err != nil {
		b.Fatal(err)
	}
	recs := records(b, 100_000)
	asOf := day("2023-09-30")
	targets, standards := set.Targets(asOf), set.Standards(asOf)
	perExpr := func(b *testing.B, exprs int) {
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(recs)*exprs), "ns/expr")
	}
	b.Run("targets", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := rules.EvaluateTargets(targets, recs, ""); err != nil {
				b.Fatal(err)
			}
		}
		perExpr(b, 2*len(targets))
	})
	b.Run("standards", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			for _, s := range standards {
				if _, _, err := rules.EvaluateStandard(s, recs, ""); err != nil {
					b.Fatal(err)
				}
			}
		}
		perExpr(b, len(standards))
	})
}
