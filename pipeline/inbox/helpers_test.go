package inbox

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"canbo/pipeline/internal/sheettest"
)

// fakeClock is a clock that moves only when the test says so.
type fakeClock struct {
	mu      sync.Mutex
	now     time.Time
	waiters []fakeWaiter
}

type fakeWaiter struct {
	at time.Time
	ch chan time.Time
}

func newClock() *fakeClock {
	return &fakeClock{now: time.Date(2023, 10, 5, 10, 10, 10, 0, vn)}
}

var vn = time.FixedZone("ICT", 7*3600)

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) After(d time.Duration) <-chan time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	ch := make(chan time.Time, 1)
	if d <= 0 {
		ch <- c.now
		return ch
	}
	c.waiters = append(c.waiters, fakeWaiter{c.now.Add(d), ch})
	return ch
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
	kept := c.waiters[:0]
	for _, w := range c.waiters {
		if !w.at.After(c.now) {
			w.ch <- c.now
		} else {
			kept = append(kept, w)
		}
	}
	c.waiters = kept
}

// folders is one office's set of folders in a temporary directory. The archive and
// the quarantine are inside the inbox, as offices often set them up, to show that they
// are never taken from.
type folders struct {
	root, inbox, archive, quarantine, out string
}

func newFolders(t *testing.T) folders {
	t.Helper()
	root := t.TempDir()
	f := folders{root: root, inbox: filepath.Join(root, "Nộp báo cáo"), out: filepath.Join(root, "out")}
	f.archive = filepath.Join(f.inbox, "Lưu trữ")
	f.quarantine = filepath.Join(f.inbox, "Cách ly")
	for _, d := range []string{f.inbox, f.archive, f.quarantine} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	return f
}

func (f folders) options(t *testing.T, clock Clock) Options {
	return Options{
		Inbox: f.inbox, Archive: f.archive, Quarantine: f.quarantine, Out: f.out,
		StableFor: 30 * time.Second, Rescan: time.Minute,
		Config: sheettest.Config(t), Catalog: sheettest.Catalog(t),
		Clock: clock, Log: testLog(t),
	}
}

func testLog(t *testing.T) *slog.Logger {
	return slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

type testWriter struct{ t *testing.T }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Helper()
	w.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}

// roster is a unit's list as units send it: the unit and the as-of date in the title
// block, then the table.
func roster(unit, asOf string, people ...[]any) sheettest.Sheet {
	rows := [][]any{{unit}, {"DANH SÁCH TRÍCH NGANG CÁN BỘ, CÔNG CHỨC"}}
	if asOf != "" {
		rows = append(rows, []any{"(Tính đến ngày " + asOf + ")"})
	}
	rows = append(rows, []any{"STT", "Họ và tên", "Ngày sinh", "Giới tính", "Trình độ chuyên môn", "Số CCCD"})
	for i, p := range people {
		rows = append(rows, append([]any{i + 1}, p...))
	}
	return sheettest.Sheet{Name: "DS", Rows: rows}
}

var (
	personA = []any{"Nguyễn Văn An", "01/02/1980", "Nam", "Đại học", "006080001234"}
	personB = []any{"Trần Thị Bình", "05/03/1985", "Nữ", "Thạc sĩ", "006185001234"}
	personC = []any{"Lê Văn Cường", "07/07/1990", "Nam", "Cao đẳng", "006090004321"}
	personX = []any{"Hoàng Văn Xuân", "31/02/1980", "Nam", "Bằng A", "12345"} // bad date, level, ID
)

// write saves a workbook into the inbox (dir relative to it) and returns its path.
func write(t *testing.T, f folders, dir, name string, sheets ...sheettest.Sheet) string {
	t.Helper()
	d := filepath.Join(f.inbox, dir)
	if err := os.MkdirAll(d, 0o755); err != nil {
		t.Fatal(err)
	}
	return sheettest.Write(t, d, name, sheets...)
}

func sum(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	h := sha256.Sum256(data)
	return hex.EncodeToString(h[:])
}

func candidate(t *testing.T, f folders, path string) Candidate {
	t.Helper()
	c, err := NewCandidate(f.inbox, path)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// tree lists the files under dir, relative and "/"-separated, sorted.
func tree(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			rel, _ := filepath.Rel(dir, p)
			out = append(out, filepath.ToSlash(rel))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(out)
	return out
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

func copyFile(t *testing.T, src, dst string) {
	t.Helper()
	in, err := os.Open(src)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	var b bytes.Buffer
	if _, err := io.Copy(&b, in); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dst, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}
