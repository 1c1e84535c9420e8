package inbox

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"sync"
	"testing"
	"time"
)

func TestSkipFile(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		name string
		size int
		want string
	}{
		{"UBND xã Nghĩa Tá.xlsx", 10, ""},
		{"Báo cáo tháng 9.XLSX", 10, ""},
		{"mau-cu.xls", 10, ""},
		{"co-macro.xlsm", 10, ""},
		{"~$UBND xã Nghĩa Tá.xlsx", 10, skipLock},
		{"UBND xã Nghĩa Tá.xlsx.tmp", 10, skipTemp},
		{"~WRL0001.tmp", 10, skipTemp},
		{"UBND xã Nghĩa Tá.xlsx~", 10, skipTemp},
		{".~lock.UBND.xlsx#", 10, skipHide},
		{".an.xlsx", 10, skipHide},
		{"ghi-chu.txt", 10, skipOther},
		{"desktop.ini", 10, skipOther},
		{"Thumbs.db", 10, skipOther},
		{"A1B2C3D4", 10, skipOther}, // Excel's save temporary has no extension
		{"moi-tao.xlsx", 0, skipEmpty},
	} {
		p := filepath.Join(dir, tc.name)
		if err := os.WriteFile(p, make([]byte, tc.size), 0o644); err != nil {
			t.Fatal(err)
		}
		info, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if got := skipFile(tc.name, info); got != tc.want {
			t.Errorf("skipFile(%q) = %q, want %q", tc.name, got, tc.want)
		}
	}
}

// TestStableSlowCopy: a file copied in slowly, chunk by chunk, is offered only once
// its size and time have not changed for StableFor, and then whole. Only the watcher's
// own look at due files sees the chunks, as on a share where no change event comes.
func TestStableSlowCopy(t *testing.T) {
	f := newFolders(t)
	clock := newClock()
	w, err := NewWatcher(f.options(t, clock))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(f.inbox, "UBND xã Chậm.xlsx")
	out, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer out.Close()
	chunk := make([]byte, 4096)
	total := 0
	for i := 0; i < 6; i++ {
		if _, err := out.Write(chunk); err != nil {
			t.Fatal(err)
		}
		total += len(chunk)
		if i == 0 {
			if err := w.Scan(); err != nil {
				t.Fatal(err)
			}
		}
		// A chunk every 20s; the watcher looks every 20s too. Every other look is
		// 40s after the size it knows was first seen, and finds it changed.
		clock.Advance(20 * time.Second)
		if due := w.Due(); len(due) != 0 {
			t.Fatalf("after chunk %d: offered %v while still being written", i+1, due)
		}
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
	// The last look saw the final size; StableFor later, with no change, it is due.
	clock.Advance(29 * time.Second)
	if due := w.Due(); len(due) != 0 {
		t.Fatalf("offered before StableFor: %v", due)
	}
	clock.Advance(time.Second)
	due := w.Due()
	if len(due) != 1 || due[0].Size != int64(total) || due[0].Rel != "UBND xã Chậm.xlsx" {
		t.Fatalf("due = %+v, want the whole file (%d bytes)", due, total)
	}
	w.Done(due[0], nil)
	if len(w.Pending()) != 0 {
		t.Errorf("still pending after success: %v", w.Pending())
	}
}

// TestScanIgnores: lock files, temporaries, hidden files and folders, files that are
// not spreadsheets, and the archive, quarantine and output folders inside the inbox are
// never offered; files in per-unit sub-folders are.
func TestScanIgnores(t *testing.T) {
	f := newFolders(t)
	clock := newClock()
	opt := f.options(t, clock)
	opt.Out = filepath.Join(f.inbox, "out")
	files := map[string]bool{
		"UBND xã A.xlsx": true,
		"Huyện Kế Sách/UBND xã An Lạc.xlsx": true,
		"~$UBND xã A.xlsx":                  false,
		"UBND xã A.xlsx.tmp":                false,
		"UBND xã A.xlsx~":                   false,
		".an.xlsx":                          false,
		"ghi-chu.txt":                       false,
		".git/x.xlsx":                       false,
		"phan-hoi/UBND xã A.xlsx":           false,
		"Lưu trữ/2023-09/UBND xã A/x.xlsx":  false,
		"Cách ly/20231005-101010-x.xlsx":    false,
		"out/2023-09/bao-cao-2023-09.xlsx":  false,
	}
	for name := range files {
		p := filepath.Join(f.inbox, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("PK..."), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	w, err := NewWatcher(opt)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Scan(); err != nil {
		t.Fatal(err)
	}
	clock.Advance(opt.StableFor)
	var got []string
	for _, c := range w.Due() {
		got = append(got, c.Rel)
	}
	sort.Strings(got)
	want := []string{"Huyện Kế Sách/UBND xã An Lạc.xlsx", "UBND xã A.xlsx"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("offered %q, want %q", got, want)
	}
	// A file that went away is forgotten.
	os.Remove(filepath.Join(f.inbox, "UBND xã A.xlsx"))
	if err := w.Scan(); err != nil {
		t.Fatal(err)
	}
	if p := w.Pending(); len(p) != 1 {
		t.Errorf("pending after removal: %v", p)
	}
}

// TestRetryBusy: a file the handler cannot take yet (Excel holds it) is offered again
// after Rescan, not dropped; a success forgets it.
func TestRetryBusy(t *testing.T) {
	f := newFolders(t)
	clock := newClock()
	opt := f.options(t, clock)
	w, err := NewWatcher(opt)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(f.inbox, "dang-mo.xlsx"), []byte("PK"), 0o644); err != nil {
		t.Fatal(err)
	}
	w.Scan()
	clock.Advance(opt.StableFor)
	due := w.Due()
	if len(due) != 1 {
		t.Fatalf("due = %v", due)
	}
	w.Done(due[0], &fs.PathError{Op: "open", Path: due[0].Path, Err: ErrBusy})
	clock.Advance(opt.Rescan - time.Second)
	if d := w.Due(); len(d) != 0 {
		t.Fatalf("offered again too soon: %v", d)
	}
	clock.Advance(time.Second)
	if d := w.Due(); len(d) != 1 {
		t.Fatalf("not offered again after Rescan: %v", d)
	}
}

func TestIsBusy(t *testing.T) {
	if !isBusy(&fs.PathError{Op: "open", Path: "x", Err: fs.ErrPermission}) {
		t.Error("permission denied is not retried")
	}
	if isBusy(&fs.PathError{Op: "open", Path: "x", Err: fs.ErrNotExist}) {
		t.Error("a missing file is retried as busy")
	}
	err := busyErr(&fs.PathError{Op: "open", Path: "x", Err: fs.ErrPermission})
	if !errors.Is(err, ErrBusy) || !errors.Is(err, fs.ErrPermission) {
		t.Errorf("busyErr = %v", err)
	}
}

// TestRunSlowCopy drives Run itself, with change events and a fake clock: a file
// copied in slowly is offered once, whole; a file the handler finds busy is offered
// again after Rescan. The clock only moves when the test moves it, so the outcome does
// not depend on how fast the machine is.
func TestRunSlowCopy(t *testing.T) {
	f := newFolders(t)
	clock := newClock()
	opt := f.options(t, clock)
	opt.StableFor, opt.Rescan = 30*time.Second, time.Minute

	var mu sync.Mutex
	offered := map[string][]int64{}
	got := make(chan Candidate, 16)
	handle := func(ctx context.Context, c Candidate) error {
		mu.Lock()
		offered[c.Rel] = append(offered[c.Rel], c.Size)
		n := len(offered[c.Rel])
		mu.Unlock()
		got <- c
		if c.Rel == "dang-mo.xlsx" && n == 1 {
			return ErrBusy
		}
		return nil
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- Watch(ctx, opt, handle) }()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Error(err)
		}
	}()

	if err := os.WriteFile(filepath.Join(f.inbox, "dang-mo.xlsx"), []byte("PK busy"), 0o644); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(f.inbox, "Huyện Kế Sách", "UBND xã Chậm.xlsx")
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	out, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	chunk := make([]byte, 8192)
	total := int64(0)
	for i := 0; i < 8; i++ {
		if _, err := out.Write(chunk); err != nil {
			t.Fatal(err)
		}
		total += int64(len(chunk))
		time.Sleep(5 * time.Millisecond) // let the watcher see it (or not: either is fine)
		clock.Advance(opt.StableFor / 3) // a chunk every 10s of watcher time
	}
	out.Close()

	// Move time on until both files have been offered (busy twice).
	deadline := time.Now().Add(20 * time.Second)
	var slow, busy int
	for (slow < 1 || busy < 2) && time.Now().Before(deadline) {
		select {
		case c := <-got:
			switch c.Rel {
			case "Huyện Kế Sách/UBND xã Chậm.xlsx":
				slow++
				if c.Size != total {
					t.Fatalf("offered after %d of %d bytes", c.Size, total)
				}
			case "dang-mo.xlsx":
				busy++
			}
		case <-time.After(10 * time.Millisecond):
			clock.Advance(5 * time.Second)
		}
	}
	if slow != 1 || busy != 2 {
		t.Fatalf("slow file offered %d times, busy file %d times; want 1 and 2 (%v)", slow, busy, offered)
	}
}
