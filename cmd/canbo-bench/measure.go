package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/xuri/excelize/v2"

	"canbo/config"
	"canbo/pipeline/feedback"
	"canbo/pipeline/ingest"
	"canbo/pipeline/issue"
	"canbo/pipeline/normalize"
	"canbo/pipeline/report"
	"canbo/pipeline/reporttext"
	"canbo/pipeline/rules"
	"canbo/pipeline/schema"
	"canbo/pipeline/summary"
	"canbo/templates"
)

// stats is what one measured step produced and cost. A child process prints it as
// JSON for the scenario table.
type stats struct {
	Stage                              string // "read", "run", "floor" or "feedback"
	Files, Accepted, Rejected, Ignored int
	Rows                               int // records counted (read, run), rows iterated (floor), problems marked (feedback)
	Cells                              int `json:",omitempty"` // cells iterated (floor)
	Errors, Warnings                   int
	Wall                               time.Duration
	CPU                                time.Duration // user+system CPU time of the step (0 where not measured)
	PeakRSS                            uint64        // bytes; see RSSSource
	RSSSource                          string        // how PeakRSS was obtained
	HeapPeak                           uint64        // largest Go heap seen (bytes in heap objects, sampled)
	GoTotalPeak                        uint64        // largest memory mapped by the Go runtime (sampled)
	Retained                           uint64        // live heap after a GC with the result still held: what the batch itself costs
	// OtherCPU is the CPU time the rest of the machine used while the step ran, -1
	// when unknown; the parent fills it in.
	OtherCPU time.Duration `json:"-"`
	// Err is the message the step ended with when it did not succeed (report.Run's
	// error, for a run): for a hostile input it is the result to show.
	Err string `json:",omitempty"`
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
// summary.json) into out, or into a temporary folder when out is "". The run's counts
// come from its summary, as summary.json has them. A run that ends with an error is
// measured all the same: the error is in Err, and returned.
func measure(ctx context.Context, inputDir, stage, out string) (stats, error) {
	st := stats{Stage: stage}
	var held any
	err := timed(&st, false, func() error {
		switch stage {
		case "read":
			b, err := readAll(ctx, inputDir)
			if b != nil {
				st.fromBatch(b)
			}
			held = b
			return err
		case "run":
			res, err := runReport(ctx, inputDir, out)
			if res != nil && res.Summary != nil {
				st.fromSummary(res.Summary)
			}
			held = res
			return err
		}
		return fmt.Errorf("bước đo không rõ (unknown stage) %q", stage)
	})
	runtime.GC()
	live := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	metrics.Read(live)
	if live[0].Value.Kind() == metrics.KindUint64 {
		st.Retained = live[0].Value.Uint64()
	}
	runtime.KeepAlive(held)
	return st, err
}

// timed runs step and records its wall and CPU time, its peak RSS and the Go heap's
// high-water mark into st. With fresh, the peak RSS starts over from the process's
// current RSS where the OS allows it (Linux), so that it belongs to step alone and
// not to what the process did before.
func timed(st *stats, fresh bool, step func() error) error {
	if fresh {
		runtime.GC()
		debug.FreeOSMemory()
		if !resetPeakRSS() {
			st.RSSSource = "không đặt lại được RSS đỉnh, gồm cả bước chuẩn bị (could not reset the peak: includes the preparation); "
		}
	}
	stopSampling := sampleMemory(st)
	cpu0, start := cpuTime(), time.Now()
	err := step()
	st.Wall = time.Since(start)
	if c := cpuTime(); c > 0 {
		st.CPU = c - cpu0
	}
	stopSampling()
	var src string
	st.PeakRSS, src = peakRSS()
	st.RSSSource += src
	if err != nil {
		st.Err = err.Error()
	}
	return err
}

// file counts one file of a status (ingest.Accepted, Rejected, or another: ignored).
func (s *stats) file(status string) {
	s.Files++
	switch status {
	case ingest.Accepted:
		s.Accepted++
	case ingest.Rejected:
		s.Rejected++
	default:
		s.Ignored++
	}
}

// fromBatch counts a read batch's files, records and problems.
func (s *stats) fromBatch(b *ingest.Batch) {
	for _, f := range b.Files {
		s.file(f.Status)
		s.Rows += len(f.Records)
	}
	c := b.Counts()
	s.Errors, s.Warnings = c.Errors, c.Warnings
}

// fromSummary counts a report's files, people and problems, as summary.json has them.
func (s *stats) fromSummary(sum *summary.Summary) {
	for _, f := range sum.Files {
		s.file(f.Status)
		s.Rows += f.Rows
	}
	s.Errors, s.Warnings = sum.Issues.Errors, sum.Issues.Warnings
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

// readAll reads inputDir the way `canbo check` does.
func readAll(ctx context.Context, inputDir string) (*ingest.Batch, error) {
	cfg, err := schema.Load(config.FS, "config")
	if err != nil {
		return nil, err
	}
	cat, err := issue.LoadCatalog(templates.FS)
	if err != nil {
		return nil, err
	}
	return ingest.NewReader(normalize.New(cfg), ingest.Options{}).ReadAll(ctx, []string{inputDir}, cat)
}

// runReport is `canbo run --in inputDir --out out` with the built-in configuration;
// out "" is a temporary folder, removed afterwards.
func runReport(ctx context.Context, inputDir, out string) (*report.Result, error) {
	tools, err := builtinTools()
	if err != nil {
		return nil, err
	}
	if out == "" {
		tmp, err := os.MkdirTemp("", "canbo-bench-out-")
		if err != nil {
			return nil, err
		}
		defer os.RemoveAll(tmp)
		out = tmp
	}
	return report.Run(ctx, tools, report.Options{Inputs: []string{inputDir}, Out: out})
}

// builtinTools is what a report is made with from the configuration and texts built
// into the program.
func builtinTools() (report.Tools, error) {
	cfg, err := schema.Load(config.FS, "config")
	if err != nil {
		return report.Tools{}, err
	}
	cat, err := issue.LoadCatalog(templates.FS)
	if err != nil {
		return report.Tools{}, err
	}
	set, err := rules.Compile(cfg)
	if err != nil {
		return report.Tools{}, err
	}
	txt, err := reporttext.Load(templates.FS)
	if err != nil {
		return report.Tools{}, err
	}
	return report.Tools{Config: cfg, Rules: set, Catalog: cat, Text: txt}, nil
}

// workbooks lists the .xlsx and .xlsm files under dir (sub-folders included), sorted.
func workbooks(dir string) ([]string, error) {
	var paths []string
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		switch strings.ToLower(filepath.Ext(p)) {
		case ".xlsx", ".xlsm":
			if !d.IsDir() && !strings.HasPrefix(d.Name(), "~$") {
				paths = append(paths, p)
			}
		}
		return nil
	})
	sort.Strings(paths)
	return paths, err
}

// measureFloor reads every cell of every sheet of the workbooks under dir with
// excelize's streaming Rows iterator and nothing else: no layout, no values, no
// messages. It is the floor a reader built on excelize cannot go below. Files are
// read by GOMAXPROCS workers, as canbo reads them.
func measureFloor(ctx context.Context, dir string) (stats, error) {
	st := stats{Stage: "floor"}
	paths, err := workbooks(dir)
	if err != nil {
		return st, err
	}
	err = timed(&st, false, func() error {
		type count struct{ rows, cells int }
		counts := make([]count, len(paths))
		errs := make([]error, len(paths))
		next := make(chan int)
		var wg sync.WaitGroup
		for w := 0; w < min(runtime.GOMAXPROCS(0), len(paths)); w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range next {
					counts[i].rows, counts[i].cells, errs[i] = excelizeCells(paths[i])
				}
			}()
		}
		for i := range paths {
			if ctx.Err() != nil {
				break
			}
			next <- i
		}
		close(next)
		wg.Wait()
		for i, c := range counts {
			st.Files++
			st.Rows += c.rows
			st.Cells += c.cells
			if errs[i] != nil {
				return fmt.Errorf("%s: %w", filepath.Base(paths[i]), errs[i])
			}
		}
		return ctx.Err()
	})
	return st, err
}

// excelizeCells iterates every row of every sheet of one workbook and counts the
// non-empty cells.
func excelizeCells(path string) (rows, cells int, err error) {
	f, err := excelize.OpenFile(path)
	if err != nil {
		return 0, 0, err
	}
	defer f.Close()
	for _, sheet := range f.GetSheetList() {
		it, err := f.Rows(sheet)
		if err != nil {
			return rows, cells, err
		}
		for it.Next() {
			cols, err := it.Columns()
			if err != nil {
				it.Close()
				return rows, cells, err
			}
			rows++
			for _, c := range cols {
				if c != "" {
					cells++
				}
			}
		}
		if err := it.Close(); err != nil {
			return rows, cells, err
		}
	}
	return rows, cells, nil
}

// measureFeedback writes the feedback workbook of every file under dir that has
// problems, with the problems canbo finds reading it. Only the writing is measured:
// the reading is done first, and the peak RSS starts over after it (Linux).
func measureFeedback(ctx context.Context, dir string) (stats, error) {
	st := stats{Stage: "feedback"}
	b, err := readAll(ctx, dir)
	if err != nil {
		return st, err
	}
	out, err := os.MkdirTemp("", "canbo-bench-feedback-")
	if err != nil {
		return st, err
	}
	defer os.RemoveAll(out)
	type job struct {
		src    string
		issues []issue.Issue
	}
	var jobs []job
	for _, f := range b.Files {
		if f.Status == ingest.Accepted && len(f.Issues) > 0 {
			jobs = append(jobs, job{f.Path, f.Issues})
			st.Files++
			st.Rows += len(f.Issues)
			for _, is := range f.Issues {
				if is.Severity == issue.Error {
					st.Errors++
				} else {
					st.Warnings++
				}
			}
		}
	}
	if len(jobs) == 0 {
		return st, errors.New("không có tệp nào có vấn đề để ghi phản hồi (no file with problems to write feedback for)")
	}
	b = nil
	err = timed(&st, true, func() error {
		for i, j := range jobs {
			dst := filepath.Join(out, fmt.Sprintf("%03d-%s", i, filepath.Base(j.src)))
			if err := feedback.Write(ctx, j.src, dst, j.issues, feedback.DefaultLabels()); err != nil {
				return err
			}
		}
		return nil
	})
	return st, err
}
