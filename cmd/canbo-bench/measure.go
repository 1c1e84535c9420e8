package main

import (
	"context"
	"os"
	"runtime"
	"runtime/metrics"
	"sync"
	"time"

	"canbo/config"
	"canbo/pipeline/ingest"
	"canbo/pipeline/issue"
	"canbo/pipeline/normalize"
	"canbo/pipeline/report"
	"canbo/pipeline/reporttext"
	"canbo/pipeline/rules"
	"canbo/pipeline/schema"
	"canbo/templates"
)

// stats is what one measured run produced and cost.
type stats struct {
	Stage                              string // "read" or "run"
	Files, Accepted, Rejected, Ignored int
	Rows                               int // records read (persons and training attendances)
	Errors, Warnings                   int
	Wall                               time.Duration
	CPU                                time.Duration // user+system CPU time of the step (0 where not measured)
	PeakRSS                            uint64        // bytes; see RSSSource
	RSSSource                          string        // how PeakRSS was obtained
	HeapPeak                           uint64        // largest Go heap seen (bytes in heap objects, sampled)
	GoTotalPeak                        uint64        // largest memory mapped by the Go runtime (sampled)
	Retained                           uint64        // live heap after a GC with the result still held: what the batch itself costs
}

// RowsPerSec is the throughput of the measured step.
func (s stats) RowsPerSec() float64 {
	if s.Wall <= 0 {
		return 0
	}
	return float64(s.Rows) / s.Wall.Seconds()
}

// measure is the one step whose time and memory are reported: with stage "read",
// everything canbo does to read inputDir, from loading the built-in configuration to
// the batch with every message rendered; with stage "run", the whole `canbo run`
// (report.Run: read, count, evaluate the rules, write feedback, Excel, PDF and
// summary.json into a temporary folder).
func measure(ctx context.Context, inputDir, stage string) (stats, error) {
	var st stats
	stopSampling := sampleMemory(&st)
	cpu0, start := cpuTime(), time.Now()

	st.Stage = stage
	b, err := pipeline(ctx, inputDir, stage)
	st.Wall = time.Since(start)
	if c := cpuTime(); c > 0 {
		st.CPU = c - cpu0
	}
	stopSampling()
	if err != nil {
		return st, err
	}
	for _, f := range b.Files {
		st.Files++
		switch f.Status {
		case ingest.Accepted:
			st.Accepted++
		case ingest.Rejected:
			st.Rejected++
		default:
			st.Ignored++
		}
		st.Rows += len(f.Records)
	}
	c := b.Counts()
	st.Errors, st.Warnings = c.Errors, c.Warnings
	st.PeakRSS, st.RSSSource = peakRSS()
	runtime.GC()
	live := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	metrics.Read(live)
	if live[0].Value.Kind() == metrics.KindUint64 {
		st.Retained = live[0].Value.Uint64()
	}
	runtime.KeepAlive(b)
	return st, nil
}

// sampleMemory records the Go heap's high-water mark into st every few milliseconds
// until the returned function is called. runtime/metrics does not stop the world, so
// sampling costs the measured step almost nothing.
func sampleMemory(st *stats) (stop func()) {
	samples := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}, {Name: "/memory/classes/total:bytes"}}
	read := func() {
		metrics.Read(samples)
		if v := samples[0].Value; v.Kind() == metrics.KindUint64 && v.Uint64() > st.HeapPeak {
			st.HeapPeak = v.Uint64()
		}
		if v := samples[1].Value; v.Kind() == metrics.KindUint64 && v.Uint64() > st.GoTotalPeak {
			st.GoTotalPeak = v.Uint64()
		}
	}
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(5 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				read()
			}
		}
	}()
	var once sync.Once
	return func() {
		once.Do(func() {
			close(done)
			wg.Wait()
			read()
		})
	}
}

// pipeline runs the measured stage and returns the batch read.
func pipeline(ctx context.Context, inputDir, stage string) (*ingest.Batch, error) {
	cfg, err := schema.Load(config.FS, "config")
	if err != nil {
		return nil, err
	}
	cat, err := issue.LoadCatalog(templates.FS)
	if err != nil {
		return nil, err
	}
	if stage == "read" {
		return ingest.NewReader(normalize.New(cfg), ingest.Options{}).ReadAll(ctx, []string{inputDir}, cat)
	}
	set, err := rules.Compile(cfg)
	if err != nil {
		return nil, err
	}
	txt, err := reporttext.Load(templates.FS)
	if err != nil {
		return nil, err
	}
	out, err := os.MkdirTemp("", "canbo-bench-out-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(out)
	res, err := report.Run(ctx, report.Tools{Config: cfg, Rules: set, Catalog: cat, Text: txt},
		report.Options{Inputs: []string{inputDir}, Out: out})
	if err != nil {
		return nil, err
	}
	return res.Batch, nil
}
