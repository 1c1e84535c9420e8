// Package doctest gives the tests of the report's renderers what they share: the
// shipped configuration and words, and the samples' summary as `canbo run` makes
// it (pipeline/report's golden summary.json), whose figures are pinned there.
package doctest

import (
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"canbo/config"
	"canbo/pipeline/reporttext"
	"canbo/pipeline/schema"
	"canbo/pipeline/summary"
	"canbo/templates"
)

// Load reads the shipped configuration and the report's words.
func Load(tb testing.TB) (*schema.Config, *reporttext.Text) {
	tb.Helper()
	cfg, err := schema.Load(config.FS, "config")
	if err != nil {
		tb.Fatal(err)
	}
	txt, err := reporttext.Load(templates.FS)
	if err != nil {
		tb.Fatal(err)
	}
	return cfg, txt
}

// Samples is the summary of the samples (pipeline/report/testdata/samples-summary.json).
func Samples(tb testing.TB) *summary.Summary {
	tb.Helper()
	_, here, _, _ := runtime.Caller(0)
	data, err := os.ReadFile(filepath.Join(filepath.Dir(here), "..", "..", "report", "testdata", "samples-summary.json"))
	if err != nil {
		tb.Fatal(err)
	}
	var s summary.Summary
	if err := json.Unmarshal(data, &s); err != nil {
		tb.Fatal(err)
	}
	return &s
}
