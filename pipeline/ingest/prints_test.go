package ingest_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"canbo/pipeline/ingest"
	"canbo/pipeline/internal/sheettest"
	"canbo/pipeline/issue"
	"canbo/pipeline/normalize"
)

// outcome is what the checks across files decide about a batch: per file its counts,
// which records are repeats, and the issues with their cells and messages.
func outcome(t *testing.T, b *ingest.Batch) []string {
	t.Helper()
	var out []string
	for _, f := range b.Files {
		tl := f.Tally()
		out = append(out, fmt.Sprintf("%s: %d counted, %d repeats", f.Name, tl.Rows(), tl.Repeats))
		for _, sh := range f.Sheets {
			out = append(out, fmt.Sprintf("  %s: %d rows, %d repeats", sh.Name, sh.Rows, sh.Repeats))
		}
		err := f.Scan(func(r *normalize.Record) error {
			if r.NotCounted != "" {
				out = append(out, fmt.Sprintf("  row %d not counted: %s", r.Row, r.NotCounted))
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		for _, is := range f.Issues {
			out = append(out, fmt.Sprintf("  %s %s›%s %s: %s", is.Code, is.File, is.Sheet, is.Cell(), is.Message))
		}
	}
	return out
}

// cachedReader opens a cache in cacheDir and returns it with a read that reads dir
// into a spooled batch with the cache it is given (nil: none) and returns what the
// checks across files decided.
func cachedReader(t *testing.T, dir, cacheDir string) (*ingest.Cache, func(*ingest.Cache) []string) {
	t.Helper()
	cfg, cat := sheettest.Config(t), sheettest.Catalog(t)
	cache, err := ingest.OpenCache(cacheDir, cfg, ingest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return cache, func(c *ingest.Cache) []string {
		b, err := ingest.NewReader(normalize.New(cfg), ingest.Options{Spool: true, SpoolDir: t.TempDir(), Cache: c}).
			ReadAll(context.Background(), []string{dir}, cat)
		if err != nil {
			t.Fatal(err)
		}
		defer b.Close()
		return outcome(t, b)
	}
}

// TestPrintsKeptWithTheCache: a re-run takes the prints of unchanged files from the
// cache instead of decoding their records, and still finds a person listed in an
// unchanged and in a changed file, whichever comes first: the outcome is the one a
// batch read without a cache gives, step by step.
func TestPrintsKeptWithTheCache(t *testing.T) {
	dir, cacheDir := t.TempDir(), t.TempDir()
	cache, read := cachedReader(t, dir, cacheDir)
	quan := []any{0, "Lý Văn Quân", "19/11/1984", "Nam", "Đại học", "006084123456"}
	nga := []any{0, "Hà Thị Nga", "05/05/1988", "Nữ", "Đại học", ""}
	ngaMan := []any{0, "Hà Thị Nga", "05/05/1988", "Nam", "Đại học", ""} // perhaps another person
	write := func(name string, rows ...[]any) {
		for i, r := range rows {
			r = append([]any(nil), r...)
			r[0] = i + 1
			rows[i] = r
		}
		rows = append(rows, []any{len(rows) + 1, "Người Thứ " + name, "01/01/1970", "Nam", "Đại học", ""})
		sheettest.Write(t, dir, name, rosterSheet("DS", rows...))
	}
	write("a.xlsx", quan)
	write("b.xlsx", nga)
	write("c.xlsx")
	steps := []struct {
		name      string
		change    func()
		printHits int64 // files whose prints the cache gave
		want      []string
	}{
		{"first run", func() {}, 0, nil},
		{"nothing changed", func() {}, 3, nil},
		{"the later file lists a person of the earlier, unchanged one", func() { write("b.xlsx", nga, quan) }, 2,
			[]string{string(issue.DupPerson) + " b.xlsx›DS F3: ", "a.xlsx › DS, dòng 2"}},
		{"the earlier file lists a person of the later, unchanged one", func() { write("a.xlsx", quan, nga) }, 2,
			[]string{string(issue.DupPerson) + " b.xlsx›DS B2: ", "a.xlsx › DS, dòng 3"}},
		{"a possible repeat in an unchanged file", func() { write("c.xlsx", ngaMan) }, 2,
			[]string{string(issue.PossibleDup) + " c.xlsx›DS B2"}},
	}
	for _, s := range steps {
		s.change()
		before := cache.Stats().PrintHits
		got, want := read(cache), read(nil)
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("%s: with the cache\n%s\nwithout\n%s", s.name, strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
		if n := cache.Stats().PrintHits - before; n != s.printHits {
			t.Errorf("%s: prints of %d files from the cache, want %d", s.name, n, s.printHits)
		}
		text := strings.Join(got, "\n")
		for _, w := range s.want {
			if !strings.Contains(text, w) {
				t.Errorf("%s: no %q in\n%s", s.name, w, text)
			}
		}
	}
}

// TestDamagedPrintsMiss: prints with a bit flipped, of another version, or kept for
// another file are not used: the file's records are decoded and the outcome is the
// same.
func TestDamagedPrintsMiss(t *testing.T) {
	dir, cacheDir := t.TempDir(), t.TempDir()
	cache, read := cachedReader(t, dir, cacheDir)
	sheettest.Write(t, dir, "a.xlsx", rosterSheet("DS", []any{1, "Lý Văn Quân", "19/11/1984", "Nam", "Đại học", "006084123456"}))
	sheettest.Write(t, dir, "b.xlsx", rosterSheet("DS", []any{1, "Lý Văn Quân", "19/11/1984", "Nam", "Đại học", "006084123456"},
		[]any{2, "Hà Thị Nga", "05/05/1988", "Nữ", "Đại học", ""}))
	want := read(nil)
	read(cache)
	kept, _ := filepath.Glob(filepath.Join(cacheDir, "*.prints"))
	if len(kept) != 2 {
		t.Fatalf("prints kept: %v, want one per file", kept)
	}
	original := map[string][]byte{}
	for _, p := range kept {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		original[p] = data
	}
	damages := []struct {
		name string
		with func(path string, data []byte) []byte
	}{
		{"a bit flipped", func(_ string, data []byte) []byte {
			data = append([]byte(nil), data...)
			data[len(data)-3] ^= 0x10
			return data
		}},
		{"another version", func(_ string, data []byte) []byte {
			return append([]byte("canbo-file-prints-0"), data[strings.IndexByte(string(data), '/'):]...)
		}},
		{"the other file's", func(path string, _ []byte) []byte {
			for p, d := range original {
				if p != path {
					return d
				}
			}
			return nil
		}},
	}
	for _, d := range damages {
		for p, data := range original {
			if err := os.WriteFile(p, d.with(p, data), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		before := cache.Stats()
		got := read(cache)
		after := cache.Stats()
		if after.PrintHits != before.PrintHits || after.Hits != before.Hits+2 {
			t.Errorf("%s: %+v then %+v, want the readings served and the prints not", d.name, before, after)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: \n%s\nwant\n%s", d.name, strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
	}
}
