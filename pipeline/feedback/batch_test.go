package feedback

import (
	"bytes"
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"testing"

	"canbo/pipeline/ingest"
	"canbo/pipeline/internal/sheettest"
	"canbo/pipeline/normalize"
)

// TestName: the feedback workbook keeps the input's name, as .xlsx unless it
// has macros, and a name made unique with its folder stays one file in phan-hoi.
func TestName(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"DS.xlsx", "DS.xlsx"},
		{"Danh sach.xls", "Danh sach.xlsx"},
		{"Mau.xlsm", "Mau.xlsm"},
		{"Mau.XLSM", "Mau.XLSM"},
		{"g1/DT.xlsx", "g1 - DT.xlsx"},
		{"xa A/nam 2026/DT.xls", "xa A - nam 2026 - DT.xlsx"},
	} {
		if got := Name(c.in); got != c.want {
			t.Errorf("Name(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// TestWriteAllReusesUnchanged: with a cache, the feedback workbook of a file whose
// content and problems are unchanged is the one made before (same bytes, not made
// again); when its problems change, a new one is made.
func TestWriteAllReusesUnchanged(t *testing.T) {
	cfg, cat := sheettest.Config(t), sheettest.Catalog(t)
	b, err := ingest.NewReader(normalize.New(cfg), ingest.Options{}).ReadAll(context.Background(), []string{"../../samples/loi-mau"}, cat)
	if err != nil {
		t.Fatal(err)
	}
	var f *ingest.File
	for _, x := range b.Files {
		if x.Status == ingest.Accepted && len(x.Issues) > 1 {
			f = x
			break
		}
	}
	if f == nil {
		t.Fatal("no sample with problems in samples/loi-mau")
	}
	cacheDir := t.TempDir()
	cache, err := ingest.OpenCache(cacheDir, cfg, ingest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.DiscardHandler)
	write := func() []byte {
		dir := t.TempDir()
		out := WriteAll(context.Background(), log, []*ingest.File{f}, dir, nil, cache)
		data, err := os.ReadFile(out[f.Path])
		if err != nil {
			t.Fatal(err)
		}
		return data
	}
	first := write()
	kept, _ := filepath.Glob(filepath.Join(cacheDir, "*.xlsx"))
	if len(kept) != 1 {
		t.Fatalf("%d feedback workbooks kept, want 1", len(kept))
	}
	// Spoil the kept copy: if it is reused, the spoiled bytes come back.
	if err := os.WriteFile(kept[0], append(first, "reused"...), 0o644); err != nil {
		t.Fatal(err)
	}
	if again := write(); !bytes.Equal(again, append(first, "reused"...)) {
		t.Errorf("the unchanged file's feedback was made again instead of reused")
	}
	f.Issues = f.Issues[1:]
	if changed := write(); bytes.HasSuffix(changed, []byte("reused")) {
		t.Errorf("the feedback of a file whose problems changed was reused")
	}
}
