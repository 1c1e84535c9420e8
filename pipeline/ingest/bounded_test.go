package ingest_test

import (
	"context"
	"fmt"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"canbo/pipeline/ingest"
	"canbo/pipeline/internal/sheettest"
	"canbo/pipeline/issue"
	"canbo/pipeline/normalize"
)

// TestBigSheetReadInBoundedMemory: one sheet of 60,000 copies of one person, each
// with an unknown qualification, as the 1 GB sheet of issue 11 is on a small scale.
// Held as Records the rows would take about 160 MB, and encoded but held whole about
// 8 MB (the segment and its table of strings, which the row numbers fill); spooled,
// the file is read within a budget of 6 MB (MaxRecordMemory) because its records
// spill to the spool as they are read, and the heap seen while it is read stays far
// below the Records' size. Every count is exact: one person counted, the other 59,999
// repeats, 60,000 unknown values and 59,999 repeats reported, while the issues listed
// stay a few thousand, the last of each kind saying how many more it stands for.
func TestBigSheetReadInBoundedMemory(t *testing.T) {
	const rows = 60_000
	dir := t.TempDir()
	writeCopies(t, filepath.Join(dir, "lon.xlsx"), rows)
	cfg, cat := sheettest.Config(t), sheettest.Catalog(t)

	runtime.GC()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	var peak atomic.Uint64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { // samples the heap while the file is read: a bound, not a timing
		defer wg.Done()
		var m runtime.MemStats
		for {
			runtime.ReadMemStats(&m)
			if m.HeapInuse > peak.Load() {
				peak.Store(m.HeapInuse)
			}
			select {
			case <-stop:
				return
			case <-time.After(5 * time.Millisecond):
			}
		}
	}()
	b, err := ingest.NewReader(normalize.New(cfg), ingest.Options{Spool: true, SpoolDir: t.TempDir(), MaxRecordMemory: 6 << 20}).
		ReadAll(context.Background(), []string{dir}, cat)
	close(stop)
	wg.Wait()
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	const recordsSize = rows * 2700 // what the rows take as Records
	grown := int64(peak.Load()) - int64(before.HeapInuse)
	t.Logf("heap grew by %d MB while reading", grown>>20)
	if grown > recordsSize/3 {
		t.Errorf("heap grew by %d MB while reading, want well under the %d MB the rows take as records", grown>>20, recordsSize>>20)
	}

	f := b.Files[0]
	if f.Status != ingest.Accepted {
		t.Fatalf("%s: %s (%s), want accepted within the budget", f.Name, f.Status, f.Reason)
	}
	if tl := f.Tally(); tl.Rows() != 1 || tl.Repeats != rows-1 {
		t.Errorf("tally: %d counted, %d repeats; want 1 and %d", tl.Rows(), tl.Repeats, rows-1)
	}
	if sh := f.Main(); sh.Rows != 1 || sh.Repeats != rows-1 {
		t.Errorf("table: %d rows, %d repeats; want 1 and %d", sh.Rows, sh.Repeats, rows-1)
	}
	n, repeats := 0, 0
	err = f.Scan(func(r *normalize.Record) error {
		n++
		if r.NotCounted == normalize.Repeat {
			repeats++
		}
		return nil
	})
	if err != nil || n != rows || repeats != rows-1 {
		t.Errorf("scan: %d records, %d repeats, %v; want %d and %d", n, repeats, err, rows, rows-1)
	}
	c := issue.Count(f.Issues)
	if c.ByCode[issue.UnknownValue] != rows || c.ByCode[issue.DupPerson] != rows-1 {
		t.Errorf("counted %d unknown values and %d repeats reported, want %d and %d", c.ByCode[issue.UnknownValue], c.ByCode[issue.DupPerson], rows, rows-1)
	}
	if len(f.Issues) > 3000 {
		t.Errorf("%d issues listed, want the first ones of each kind and a count of the rest", len(f.Issues))
	}
	more := map[issue.Code]string{}
	for _, is := range f.Issues {
		if is.More > 0 {
			more[is.Code] = is.Message
		}
	}
	for code, left := range map[issue.Code]string{issue.UnknownValue: "58.999", issue.DupPerson: "58.998"} {
		if msg := more[code]; !strings.Contains(msg, "Và còn "+left+" dòng khác") {
			t.Errorf("%s: the issue standing for the rest says %q, want how many more (%s)", code, msg, left)
		}
	}
}

// writeCopies writes a roster of rows copies of one person whose qualification is
// not in the vocabulary, with excelize's StreamWriter as a large file is made.
func writeCopies(t *testing.T, path string, rows int) {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		t.Fatal(err)
	}
	set := func(r int, vals ...any) {
		cell, _ := excelize.CoordinatesToCellName(1, r)
		if err := sw.SetRow(cell, vals); err != nil {
			t.Fatal(err)
		}
	}
	set(1, "UBND XÃ AN BÌNH")
	set(2, "STT", "Họ và tên", "Ngày sinh", "Giới tính", "Trình độ chuyên môn", "Số CCCD", "Ghi chú")
	note := strings.Repeat("Ghi chu ", 20)
	for i := range rows {
		set(3+i, i+1, "Nguyễn Văn An", "05/03/1985", "Nam", "Bằng A", "006085001234", note)
	}
	if err := sw.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := f.SaveAs(path); err != nil {
		t.Fatal(fmt.Errorf("%s: %w", path, err))
	}
}
