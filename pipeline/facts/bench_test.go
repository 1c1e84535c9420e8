package facts_test

import (
	"context"
	"os"
	"syscall"
	"testing"
	"time"

	"canbo/config"
	"canbo/pipeline/facts"
	"canbo/pipeline/ingest"
	"canbo/pipeline/issue"
	"canbo/pipeline/normalize"
	"canbo/pipeline/rules"
	"canbo/pipeline/schema"
	"canbo/templates"
)

// BenchmarkBuildCached counts a batch whose every file's part is kept: what a re-run
// spends in facts (loading the parts, merging them, the list of people below a
// standard). It needs a folder of rosters, CANBO_BENCH_IN (e.g. one canbo-bench made:
// /tmp/bench1m-data/1m), and skips without one.
func BenchmarkBuildCached(b *testing.B) {
	in := os.Getenv("CANBO_BENCH_IN")
	if in == "" {
		b.Skip("CANBO_BENCH_IN not set")
	}
	cfg, err := schema.Load(config.FS, "config")
	if err != nil {
		b.Fatal(err)
	}
	cat, err := issue.LoadCatalog(templates.FS)
	if err != nil {
		b.Fatal(err)
	}
	set, err := rules.Compile(cfg)
	if err != nil {
		b.Fatal(err)
	}
	cache, err := ingest.OpenCache(b.TempDir(), cfg, ingest.Options{})
	if err != nil {
		b.Fatal(err)
	}
	at := time.Date(2023, 9, 30, 0, 0, 0, 0, time.UTC)
	r := ingest.NewReader(normalize.New(cfg), ingest.Options{Now: func() time.Time { return at }, Spool: true, Cache: cache})
	batch, err := r.ReadAll(context.Background(), []string{in}, cat)
	if err != nil {
		b.Fatal(err)
	}
	defer batch.Close()
	opt := facts.Options{Period: facts.Period{Month: "2023-09", AsOf: at}, Now: at, Rules: set, Cache: cache}
	if _, err := facts.Build(context.Background(), cfg, batch, opt); err != nil { // keeps the parts
		b.Fatal(err)
	}
	b.ReportAllocs()
	cpu0 := cpuTime()
	for b.Loop() {
		if _, err := facts.Build(context.Background(), cfg, batch, opt); err != nil {
			b.Fatal(err)
		}
	}
	// The machine is shared: CPU time (the collector's included) moves less than
	// wall time when others run.
	b.ReportMetric(float64(cpuTime()-cpu0)/float64(b.N), "cpu-ns/op")
}

// cpuTime is the process's user and system time so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
