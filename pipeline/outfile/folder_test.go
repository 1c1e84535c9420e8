package outfile

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
)

func writeFile(t *testing.T, path, text string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

func names(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	_ = filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(dir, p)
			out = append(out, filepath.ToSlash(rel))
		}
		return nil
	})
	return out
}

// TestFolderPublish: the new set replaces the old one whole; a file of the old set
// that the new one does not have (stale feedback) is gone; nothing is left beside.
func TestFolderPublish(t *testing.T) {
	out := t.TempDir()
	dest := filepath.Join(out, "2023-09")
	writeFile(t, filepath.Join(dest, "summary.json"), "old")
	writeFile(t, filepath.Join(dest, "phan-hoi", "UBND xã A.xlsx"), "old feedback")

	f, err := NewFolder(dest)
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(f.Dir(), "summary.json"), "new")
	writeFile(t, filepath.Join(f.Dir(), "bao-cao-2023-09.pdf"), "new")
	if got := f.Final(filepath.Join(f.Dir(), "summary.json")); got != filepath.Join(dest, "summary.json") {
		t.Errorf("Final = %s", got)
	}
	// Until published, a reader sees the old set.
	if b, _ := os.ReadFile(filepath.Join(dest, "summary.json")); string(b) != "old" {
		t.Errorf("before Publish the destination reads %q", b)
	}
	if err := f.Publish(); err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(names(t, dest)); got != "[bao-cao-2023-09.pdf summary.json]" {
		t.Errorf("published set %s", got)
	}
	if got := fmt.Sprint(names(t, out)); got != "[2023-09/bao-cao-2023-09.pdf 2023-09/summary.json]" {
		t.Errorf("left beside: %s", got)
	}
	// The published folder opens to others like any folder (leadership reads it over
	// a share), not private as a temporary folder is made.
	st, err := os.Stat(dest)
	if err != nil {
		t.Fatal(err)
	}
	if runtime.GOOS != "windows" && st.Mode().Perm() != 0o755 {
		t.Errorf("the published folder has mode %v; want 0755", st.Mode().Perm())
	}
}

// TestFolderAbort: an aborted set changes nothing.
func TestFolderAbort(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "2023-09")
	writeFile(t, filepath.Join(dest, "summary.json"), "old")
	f, err := NewFolder(dest)
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(f.Dir(), "summary.json"), "new")
	f.Abort()
	if b, _ := os.ReadFile(filepath.Join(dest, "summary.json")); string(b) != "old" {
		t.Errorf("after Abort the destination reads %q", b)
	}
	if _, err := os.Stat(f.Dir()); !os.IsNotExist(err) {
		t.Error("the staging folder is still there")
	}
}

// TestCleanLeftovers: what killed runs left (staging and old folders, temporary files
// of Write) is removed when the next run starts; other files are kept.
func TestCleanLeftovers(t *testing.T) {
	out := t.TempDir()
	dest := filepath.Join(out, "2023-09")
	writeFile(t, filepath.Join(out, ".2023-09.partial-123", "summary.json"), "half")
	writeFile(t, filepath.Join(out, ".2023-09.old-456", "summary.json"), "old")
	writeFile(t, filepath.Join(out, ".2023-10.partial-1", "x"), "another period's, in use")
	writeFile(t, filepath.Join(dest, ".bao-cao-2023-09.xlsx.tmp-98765"), "half")
	writeFile(t, filepath.Join(dest, "phan-hoi", ".UBND xã A.xlsx.tmp-12"), "half")
	writeFile(t, filepath.Join(dest, "summary.json"), "kept")
	writeFile(t, filepath.Join(dest, ".tmp-notes"), "kept: not a temporary file of Write")
	CleanLeftovers(dest)
	got := fmt.Sprint(names(t, out))
	want := "[.2023-10.partial-1/x 2023-09/.tmp-notes 2023-09/summary.json]"
	if got != want {
		t.Errorf("after cleaning: %s\nwant %s", got, want)
	}
}

// TestCheckWritable: an output folder that is a file, or that cannot be written, is
// found before any work, with a Vietnamese hint of what to do.
func TestCheckWritable(t *testing.T) {
	dir := t.TempDir()
	if err := CheckWritable(filepath.Join(dir, "out", "2023")); err != nil {
		t.Errorf("a new folder: %v", err)
	}
	file := filepath.Join(dir, "a-file")
	writeFile(t, file, "x")
	err := CheckWritable(filepath.Join(file, "out"))
	if err == nil || !strings.Contains(err.Error(), "không phải thư mục") {
		t.Errorf("a file in the path: %v", err)
	}
}

func TestExplain(t *testing.T) {
	full := fmt.Errorf("write x: %w", syscall.ENOSPC)
	if err := Explain(full); !strings.Contains(err.Error(), "ổ đĩa đã đầy") || !errors.Is(err, syscall.ENOSPC) {
		t.Errorf("disk full: %v", err)
	}
	if err := Explain(os.ErrPermission); !strings.Contains(err.Error(), "không có quyền") {
		t.Errorf("permission: %v", err)
	}
	gone := fmt.Errorf("mkdir /mnt/share/x: %w", fs.ErrNotExist)
	if err := Explain(gone); !strings.Contains(err.Error(), "chưa kết nối") {
		t.Errorf("missing drive or share: %v", err)
	}
	other := errors.New("something else")
	if Explain(other) != other {
		t.Error("an error with nothing to explain changed")
	}
}
