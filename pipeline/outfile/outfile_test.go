package outfile

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"
)

// leftovers returns the names in dir other than the expected ones, so a test can
// assert that no temporary file survived.
func leftovers(t *testing.T, dir string, want ...string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	keep := map[string]bool{}
	for _, w := range want {
		keep[w] = true
	}
	var extra []string
	for _, e := range entries {
		if !keep[e.Name()] {
			extra = append(extra, e.Name())
		}
	}
	return extra
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestWriteCreatesFileAndParents(t *testing.T) {
	root := t.TempDir()
	path := filepath.Join(root, "a", "b", "out.txt")
	err := Write(path, 0o640, func(w io.Writer) error {
		_, err := io.WriteString(w, "xin chào")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := readFile(t, path); got != "xin chào" {
		t.Fatalf("content = %q", got)
	}
	if runtime.GOOS != "windows" {
		fi, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm() != 0o640 {
			t.Errorf("mode = %v, want 0640", fi.Mode().Perm())
		}
	}
	if extra := leftovers(t, filepath.Dir(path), "out.txt"); len(extra) > 0 {
		t.Errorf("left behind: %v", extra)
	}
}

func TestWriteReplacesExisting(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.txt")
	if err := WriteBytes(path, []byte("old, longer content"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := WriteBytes(path, []byte("new"), 0o644); err != nil {
		t.Fatal(err)
	}
	if got := readFile(t, path); got != "new" {
		t.Fatalf("content = %q", got)
	}
	if extra := leftovers(t, dir, "out.txt"); len(extra) > 0 {
		t.Errorf("left behind: %v", extra)
	}
}

func TestCallbackErrorKeepsOldFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.txt")
	if err := WriteBytes(path, []byte("previous"), 0o644); err != nil {
		t.Fatal(err)
	}
	boom := errors.New("encoder failed")
	err := Write(path, 0o644, func(w io.Writer) error { return boom })
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v, want wrapping %v", err, boom)
	}
	if !strings.Contains(err.Error(), path) {
		t.Errorf("error %q does not name the path", err)
	}
	if got := readFile(t, path); got != "previous" {
		t.Fatalf("content = %q, want previous", got)
	}
	if extra := leftovers(t, dir, "out.txt"); len(extra) > 0 {
		t.Errorf("left behind: %v", extra)
	}
}

// A full disk shows up as a write error part-way through; what was written so far
// must never reach the destination.
func TestDiskFullMidWayKeepsOldFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "report.xlsx")
	old := bytes.Repeat([]byte("old "), 1000)
	if err := WriteBytes(path, old, 0o644); err != nil {
		t.Fatal(err)
	}
	err := Write(path, 0o644, func(w io.Writer) error {
		// More than the internal buffer, so some bytes really reach the temp file.
		if _, err := w.Write(bytes.Repeat([]byte("new!"), 50000)); err != nil {
			return err
		}
		return fmt.Errorf("write chunk: %w", syscall.ENOSPC)
	})
	if !errors.Is(err, syscall.ENOSPC) {
		t.Fatalf("err = %v, want ENOSPC", err)
	}
	if got := readFile(t, path); got != string(old) {
		t.Fatalf("destination changed: %d bytes", len(got))
	}
	if extra := leftovers(t, dir, "report.xlsx"); len(extra) > 0 {
		t.Errorf("left behind: %v", extra)
	}
}

func TestCallbackPanicRemovesTemp(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.txt")
	func() {
		defer func() { _ = recover() }()
		_ = Write(path, 0o644, func(w io.Writer) error {
			_, _ = io.WriteString(w, "partial")
			panic("boom")
		})
	}()
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Errorf("destination exists after panic: %v", err)
	}
	if extra := leftovers(t, dir); len(extra) > 0 {
		t.Errorf("left behind: %v", extra)
	}
}

// When the final rename fails (here: the destination is a non-empty directory), the
// temporary file must still be cleaned up.
func TestRenameFailureRemovesTemp(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "taken")
	if err := os.MkdirAll(filepath.Join(path, "child"), 0o755); err != nil {
		t.Fatal(err)
	}
	err := WriteBytes(path, []byte("x"), 0o644)
	if err == nil {
		t.Fatal("expected an error renaming over a directory")
	}
	if extra := leftovers(t, dir, "taken"); len(extra) > 0 {
		t.Errorf("left behind: %v", extra)
	}
}

func TestBadArguments(t *testing.T) {
	if err := Write("", 0o644, func(io.Writer) error { return nil }); err == nil {
		t.Error("empty path accepted")
	}
	if err := Write(filepath.Join(t.TempDir(), "x"), 0o644, nil); err == nil {
		t.Error("nil callback accepted")
	}
	if err := WriteBytes(t.TempDir()+string(filepath.Separator), nil, 0o644); err == nil {
		t.Error("directory path accepted")
	}
}

func TestLongFileName(t *testing.T) {
	dir := t.TempDir()
	name := strings.Repeat("d", 240) + ".xlsx"
	if err := WriteBytes(filepath.Join(dir, name), []byte("ok"), 0o644); err != nil {
		t.Fatal(err)
	}
	if extra := leftovers(t, dir, name); len(extra) > 0 {
		t.Errorf("left behind: %v", extra)
	}
}

func TestConcurrentWritersDifferentPaths(t *testing.T) {
	dir := t.TempDir()
	const n = 32
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			path := filepath.Join(dir, fmt.Sprintf("f%02d.txt", i))
			errs <- Write(path, 0o644, func(w io.Writer) error {
				for j := range 100 {
					if _, err := fmt.Fprintf(w, "%d:%d\n", i, j); err != nil {
						return err
					}
				}
				return nil
			})
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	var want []string
	for i := range n {
		name := fmt.Sprintf("f%02d.txt", i)
		want = append(want, name)
		got := readFile(t, filepath.Join(dir, name))
		if lines := strings.Count(got, "\n"); lines != 100 || !strings.HasPrefix(got, fmt.Sprintf("%d:0\n", i)) {
			t.Errorf("%s: %d lines, starts %q", name, lines, got[:min(len(got), 10)])
		}
	}
	if extra := leftovers(t, dir, want...); len(extra) > 0 {
		t.Errorf("left behind: %v", extra)
	}
}

// Writers racing on one path: the last rename wins, and whatever a reader sees is
// one writer's complete content, never a mix.
func TestConcurrentWritersSamePath(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "same.txt")
	const n = 16
	var wg sync.WaitGroup
	stop := make(chan struct{})
	readerErr := make(chan string, 1)
	go func() {
		for {
			select {
			case <-stop:
				close(readerErr)
				return
			default:
			}
			b, err := os.ReadFile(path)
			if err != nil {
				continue // not created yet
			}
			if len(b) != 10000 || strings.Trim(string(b), string(b[:1])) != "" {
				readerErr <- fmt.Sprintf("reader saw a mixed or partial file: %d bytes", len(b))
				close(readerErr)
				<-stop
				return
			}
		}
	}()
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			data := bytes.Repeat([]byte{byte('a' + i)}, 10000)
			if err := WriteBytes(path, data, 0o644); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	close(stop)
	if msg, ok := <-readerErr; ok {
		t.Error(msg)
	}
	got := readFile(t, path)
	if len(got) != 10000 || strings.Trim(got, got[:1]) != "" {
		t.Errorf("final file is mixed: %d bytes", len(got))
	}
	if extra := leftovers(t, dir, "same.txt"); len(extra) > 0 {
		t.Errorf("left behind: %v", extra)
	}
}
