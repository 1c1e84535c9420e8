package rules_test

import (
	"strconv"
	"testing"
	"time"

	"canbo/pipeline/internal/sheettest"
	"canbo/pipeline/normalize"
	"canbo/pipeline/rules"
	"canbo/pipeline/schema"
)

// person builds a roster record from field codes and values as the normaliser leaves
// them: codes for enums, ordinals and bools, "YYYY-MM-DD" for dates, decimals for
// numbers. A field not given is unset (chua_xac_dinh).
func person(t testing.TB, cfg *schema.Config, vals map[string]string) *normalize.Record {
	t.Helper()
	r := &normalize.Record{Dataset: rules.Roster, Unit: "UBND xã A", File: "a.xlsx", Sheet: "DS",
		Values: make([]normalize.Value, cfg.NumFields())}
	for code, s := range vals {
		f := cfg.Field(code)
		if f == nil {
			t.Fatalf("no field %q", code)
		}
		v := normalize.Value{Set: true, Text: s}
		switch f.Type {
		case schema.TypeNumber:
			n, err := strconv.ParseFloat(s, 64)
			if err != nil {
				t.Fatal(err)
			}
			v.Num = n
		case schema.TypeDate:
			d, err := time.Parse(time.DateOnly, s)
			if err != nil {
				t.Fatal(err)
			}
			v.Date = d
		}
		r.Values[f.Index] = v
	}
	return r
}

// withTarget returns the default configuration with targets.yaml replaced by one
// target, whose population and counted expressions are given.
func withTarget(t testing.TB, population, counted, threshold string) (*schema.Config, *rules.Target) {
	t.Helper()
	cfg := sheettest.Config(t)
	cfg.Targets = schema.Targets{RuleSets: []*schema.RuleSet{{Code: "thu", Targets: []*schema.Target{{
		ID: "thu", Title: "Thử", Population: population, Counted: counted, Threshold: threshold,
	}}}}}
	set, err := rules.Compile(cfg)
	if err != nil {
		t.Fatalf("%s / %s: %v", population, counted, err)
	}
	return cfg, set.RuleSets()[0].Targets[0]
}

func day(s string) time.Time {
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return d
}
