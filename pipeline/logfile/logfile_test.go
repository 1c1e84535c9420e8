package logfile

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestRotate: a log written far past its size keeps at most keep old files, each no
// larger than the size, the newest lines in the current file, and no line split.
func TestRotate(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "canbo.log")
	l, err := Open(path, 1000, 3)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 500; i++ {
		if _, err := fmt.Fprintf(l, "dòng %04d: đã nhận tệp\n", i); err != nil {
			t.Fatal(err)
		}
	}
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	entries, _ := os.ReadDir(dir)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if strings.Join(names, " ") != "canbo.log canbo.log.1 canbo.log.2 canbo.log.3" {
		t.Fatalf("files %v, want the log and three old ones", names)
	}
	prev := -1
	for _, n := range []string{"canbo.log.3", "canbo.log.2", "canbo.log.1", "canbo.log"} {
		data, err := os.ReadFile(filepath.Join(dir, n))
		if err != nil {
			t.Fatal(err)
		}
		if len(data) > 1000 || len(data) == 0 {
			t.Errorf("%s holds %d bytes, want 1..1000", n, len(data))
		}
		for _, line := range bytes.Split(bytes.TrimSuffix(data, []byte("\n")), []byte("\n")) {
			var i int
			if _, err := fmt.Sscanf(string(line), "dòng %04d: đã nhận tệp", &i); err != nil {
				t.Fatalf("%s: a split or damaged line %q", n, line)
			}
			if i != prev+1 && prev != -1 {
				t.Errorf("%s: line %d follows %d", n, i, prev)
			}
			prev = i
		}
	}
	if prev != 499 {
		t.Errorf("the newest line is %d, want 499", prev)
	}
}

// TestAppendAcrossStarts: a restart appends to the log, counting what it holds.
func TestAppendAcrossStarts(t *testing.T) {
	path := filepath.Join(t.TempDir(), "canbo.log")
	if err := os.WriteFile(path, bytes.Repeat([]byte("x"), 900), 0o644); err != nil {
		t.Fatal(err)
	}
	l, err := Open(path, 1000, 2)
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprintln(l, strings.Repeat("y", 200))
	l.Close()
	if data, _ := os.ReadFile(path + ".1"); len(data) != 900 {
		t.Errorf("the old content went to .1 with %d bytes, want 900", len(data))
	}
	if data, _ := os.ReadFile(path); len(data) != 201 {
		t.Errorf("the new file holds %d bytes, want 201", len(data))
	}
}
