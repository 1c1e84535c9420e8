package main

import (
	"context"
	"runtime"
	"runtime/metrics"
	"sync"
	"time"

	"canbo/config"
	"canbo/pipeline/ingest"
	"canbo/pipeline/issue"
	"canbo/pipeline/normalize"
	"canbo/pipeline/schema"
	"canbo/templates"
)

// stats is what one measured run produced and cost.
type stats struct {
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

// measure is the one step whose time and memory are reported: everything canbo does
// to read inputDir, from loading the built-in configuration to the batch with every
// message rendered. To measure the full `canbo run` pipeline later, replace the body
// between the clock reads and fill the same stats.
func measure(ctx context.Context, inputDir string) (stats, error) {
	var st stats
	stopSampling := sampleMemory(&st)
	cpu0, start := cpuTime(), time.Now()

	cfg, err := schema.Load(config.FS, "config")
	if err != nil {
		stopSampling()
		return st, err
	}
	cat, err := issue.LoadCatalog(templates.FS)
	if err != nil {
		stopSampling()
		return st, err
	}
	r := ingest.NewReader(normalize.New(cfg), ingest.Options{})
	b, err := r.ReadAll(ctx, []string{inputDir}, cat)

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
