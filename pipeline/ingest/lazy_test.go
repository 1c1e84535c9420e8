package ingest_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"canbo/pipeline/ingest"
	"canbo/pipeline/internal/sheettest"
	"canbo/pipeline/normalize"
)

// records is every record of the batch as text, file by file, as Scan gives them.
func records(t *testing.T, b *ingest.Batch) []string {
	t.Helper()
	var out []string
	for _, f := range b.Files {
		err := f.Scan(func(r *normalize.Record) error {
			out = append(out, fmt.Sprintf("%s %s›%s:%d %q %v", r.Dataset, r.File, r.Sheet, r.Row, r.NotCounted, r.Values))
			return nil
		})
		if err != nil {
			t.Fatalf("%s: %v", f.Name, err)
		}
	}
	return out
}

// TestCachedRecordsReadWhenAsked: a re-run served from the cache, whose prints were
// kept too, does not read the records of its files at all (here: records files
// overwritten with garbage are neither noticed nor repaired by reading the batch).
// When a stage then asks for them (Scan), damaged records are read again from the
// workbook, the same as without a cache, and the cache is repaired. A workbook changed
// since it was hashed is an error, never other records. A batch read into memory
// (no spool) treats a damaged records file as a miss.
func TestCachedRecordsReadWhenAsked(t *testing.T) {
	dir, cacheDir := t.TempDir(), t.TempDir()
	cfg, cat := sheettest.Config(t), sheettest.Catalog(t)
	sheettest.Write(t, dir, "a.xlsx", rosterSheet("DS", []any{1, "Lý Văn Quân", "19/11/1984", "Nam", "Đại học", "006084123456"},
		[]any{2, "Hà Thị Nga", "05/05/1988", "Nữ", "Đại học", ""}))
	sheettest.Write(t, dir, "b.xlsx", rosterSheet("DS", []any{1, "Đỗ Minh Tâm", "01/02/1990", "Nam", "Cao đẳng", ""}))
	cache, err := ingest.OpenCache(cacheDir, cfg, ingest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	read := func(c *ingest.Cache, spool bool) *ingest.Batch {
		t.Helper()
		b, err := ingest.NewReader(normalize.New(cfg), ingest.Options{Spool: spool, SpoolDir: t.TempDir(), Cache: c}).
			ReadAll(context.Background(), []string{dir}, cat)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { b.Close() })
		return b
	}
	want := records(t, read(nil, true))
	read(cache, true) // fills the cache
	kept, _ := filepath.Glob(filepath.Join(cacheDir, "*.rec"))
	if len(kept) != 2 {
		t.Fatalf("records files %v, want one per file", kept)
	}
	good := map[string][]byte{}
	garbage := []byte("not a segment")
	damage := func() {
		for _, p := range kept {
			data, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(data, garbage) {
				good[p] = data
			}
			if err := os.WriteFile(p, garbage, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	damage()
	before := cache.Stats()
	b := read(cache, true)
	if st := cache.Stats(); st.Hits-before.Hits != 2 || st.PrintHits-before.PrintHits != 2 {
		t.Fatalf("stats %+v then %+v: want both files and their prints from the cache", before, st)
	}
	for _, p := range kept {
		if data, _ := os.ReadFile(p); !bytes.Equal(data, garbage) {
			t.Fatalf("%s was read (and repaired) although no stage asked for its records", filepath.Base(p))
		}
	}
	if got := records(t, b); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("records read again from the workbooks:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	for _, p := range kept {
		if data, _ := os.ReadFile(p); !bytes.Equal(data, good[p]) {
			t.Errorf("%s not repaired after its records were read again", filepath.Base(p))
		}
	}

	// A batch read into memory reads the records with the entry: damaged, a miss.
	damage()
	before = cache.Stats()
	if got := records(t, read(cache, false)); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("in memory, damaged records:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if st := cache.Stats(); st.Misses-before.Misses != 2 {
		t.Errorf("in memory, damaged records: %+v then %+v, want 2 misses", before, st)
	}

	// The records are damaged and the workbook changed after the batch was read.
	b = read(cache, true)
	damage()
	sheettest.Write(t, dir, "b.xlsx", rosterSheet("DS", []any{1, "Đỗ Minh Tâm", "01/02/1991", "Nam", "Cao đẳng", ""}))
	var last *ingest.File
	for _, f := range b.Files {
		if f.Name == "b.xlsx" {
			last = f
		}
	}
	err = last.Scan(func(*normalize.Record) error { return nil })
	if err == nil || !strings.Contains(err.Error(), "thay đổi") {
		t.Errorf("records of a changed workbook: %v, want an error saying it changed", err)
	}
}
