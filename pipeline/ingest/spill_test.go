package ingest

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"

	"canbo/pipeline/internal/sheettest"
	"canbo/pipeline/issue"
	"canbo/pipeline/normalize"
)

// TestSpilledFileIsTheSame: a file whose records spill to the spool while it is read
// (here past 16 KB) gives back the records, tables and issues of the same file read
// in memory, with what choosing its tables changes in them: a second sheet repeating
// the first set aside (its records dropped), and a placeholder birth date blanked in
// 300 people. The edits are made by decoding the spilled pieces back and writing
// the records again, spilling again, to the same spool.
func TestSpilledFileIsTheSame(t *testing.T) {
	dir := t.TempDir()
	cfg, cat := sheettest.Config(t), sheettest.Catalog(t)
	surnames := []string{"Nguyễn", "Trần", "Lò", "Hoàng", "Vi"}
	given := []string{"Văn An", "Thị Bình", "Văn Cường", "Thị Dung", "Văn Đức", "Thị Hà", "Văn Hùng", "Thị Lan"}
	var people [][]any
	for i := range 2000 {
		birth := fmt.Sprintf("%02d/%02d/%d", 1+i%28, 1+i%12, 1960+i/40)
		if i%20 < 3 {
			birth = "01/01/1970" // typed to fill the column
		}
		name := surnames[i%5] + " " + given[i/5%8]
		people = append(people, []any{i + 1, name, birth, []string{"Nam", "Nữ"}[i%2], "ĐH"})
	}
	header := [][]any{{"UBND XÃ AN BÌNH"}, {}, {"STT", "Họ và tên", "Ngày sinh", "Giới tính", "Trình độ chuyên môn"}}
	sheettest.Write(t, dir, "lon.xlsx", sheettest.Sheet{Name: "DS", Rows: append(header, people...)},
		sheettest.Sheet{Name: "DS in", Rows: append(header[2:], people...)})

	read := func(spool bool, spillAt int64) (*Batch, *File) {
		r := NewReader(normalize.New(cfg), Options{Workers: 1, Spool: spool, SpoolDir: t.TempDir()})
		if spillAt > 0 {
			r.spillAt = spillAt
		}
		b, err := r.ReadAll(context.Background(), []string{dir}, cat)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { b.Close() })
		return b, b.Files[0]
	}
	_, mem := read(false, 0)
	_, spilled := read(true, 16<<10)
	if n := len(spilled.segment.pieces); n < 4 {
		t.Fatalf("the spooled file is in %d pieces, want its head and many spilled chunks", n)
	}
	if len(mem.Records) != 2000 || !reflect.DeepEqual(spilled.Tally(), mem.Tally()) {
		t.Fatalf("%d records in memory, want 2000 (the repeating sheet set aside); tally spooled %+v, in memory %+v", len(mem.Records), spilled.Tally(), mem.Tally())
	}
	blank := 0
	j := 0
	err := spilled.Scan(func(r *normalize.Record) error {
		if !reflect.DeepEqual(*r, mem.Records[j]) {
			t.Fatalf("record %d (row %d) differs spooled:\n%+v\nin memory:\n%+v", j, r.Row, *r, mem.Records[j])
		}
		if !r.Values[cfg.Field("ngay_sinh").Index].Set {
			blank++
		}
		j++
		return nil
	})
	if err != nil || j != 2000 || blank != 300 {
		t.Fatalf("scanned %d records, %d births blank, %v; want 2000 and 300", j, blank, err)
	}
	if got, want := sheetsOf(spilled), sheetsOf(mem); got != want {
		t.Errorf("tables spooled:\n%s\nin memory:\n%s", got, want)
	}
	if got, want := issue.Count(spilled.Issues), issue.Count(mem.Issues); !reflect.DeepEqual(got, want) || len(spilled.Issues) != len(mem.Issues) {
		t.Errorf("issues spooled %+v (%d), in memory %+v (%d)", got, len(spilled.Issues), want, len(mem.Issues))
	}
}

func sheetsOf(f *File) string {
	s := ""
	for _, sh := range f.Sheets {
		s += fmt.Sprintf("%s: %d rows, %d dropped, %q %q\n", sh.Name, sh.Rows, sh.Dropped, sh.NotCounted, sh.Other)
	}
	return s
}

// TestGoBuildID: on Linux, the program is named by the build ID the Go linker wrote
// (what `go tool buildid` prints), not by hashing the whole binary; elsewhere, and for
// a file that is not a Go program, there is none.
func TestGoBuildID(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("the build ID is read from ELF executables")
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	id := goBuildID(exe)
	if strings.Count(id, "/") < 1 || goBuildID("/proc/self/exe") != id {
		t.Fatalf("build ID %q of %s, %q of /proc/self/exe", id, exe, goBuildID("/proc/self/exe"))
	}
	if out, err := exec.Command("go", "tool", "buildid", exe).Output(); err == nil && strings.TrimSpace(string(out)) != id {
		t.Errorf("build ID %q, go tool buildid says %q", id, out)
	}
	if d, err := programDigest(); err != nil || d != "go-build-id:"+id {
		t.Errorf("programDigest = %q, %v", d, err)
	}
	notGo := filepath.Join(t.TempDir(), "x")
	if err := os.WriteFile(notGo, []byte("#!/bin/sh\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	if id := goBuildID(notGo); id != "" {
		t.Errorf("build ID of a shell script: %q", id)
	}
}

// TestSavedPrintsLayout: kept prints read back as they were written, and the layout
// cut short anywhere reads as nothing usable, never as other counts (the seal already
// refuses a damaged file; this is what the layout itself guarantees).
func TestSavedPrintsLayout(t *testing.T) {
	sp := savedPrints{For: "entry\x00key", Tally: Tally{Counted: map[string]int{"roster": 5000, "training": 3}, Left: 2,
		Repeats: 1, FirstUnit: "UBND xã Bình Trung"}, Prints: []byte{1, 2, 3, 4}}
	data := sp.encode()
	got, ok := decodePrints(data)
	if !ok || !reflect.DeepEqual(got, sp) {
		t.Fatalf("decodePrints(encode) = %+v, %v; want %+v", got, ok, sp)
	}
	prints := len(data) - len(sp.Prints)
	for n := range prints {
		if got, ok := decodePrints(data[:n]); ok {
			t.Errorf("cut to %d bytes: read %+v", n, got)
		}
	}
}
