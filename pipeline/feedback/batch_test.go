package feedback

import (
	"bytes"
	"context"
	"log/slog"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"canbo/pipeline/ingest"
	"canbo/pipeline/internal/sheettest"
	"canbo/pipeline/issue"
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
		out := WriteAll(context.Background(), log, []*ingest.File{f}, dir, nil, cache, nil)
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

// Every field of an issue is part of the feedback cache's key: changing any one
// (a field added to issue.Issue later included) gives another key, so a workbook
// made for other problems is never reused.
func TestIssuesKeyCoversEveryField(t *testing.T) {
	base := issue.Issue{Code: issue.BadDate, Severity: issue.Error, File: "a.xlsx", Sheet: "DS", Row: 5, Col: 3,
		Field: "ngay_sinh", Label: "Ngày sinh", Raw: "31/02", Args: map[string]string{"k": "v"}, Message: "Sai.", Source: "/in/a.xlsx"}
	key := issuesKey([]issue.Issue{base})
	typ := reflect.TypeOf(base)
	for i := range typ.NumField() {
		changed := base
		changed.Args = maps.Clone(base.Args)
		f := reflect.ValueOf(&changed).Elem().Field(i)
		switch f.Kind() {
		case reflect.String:
			f.SetString(f.String() + "x")
		case reflect.Int:
			f.SetInt(f.Int() + 1)
		case reflect.Map:
			changed.Args["k"] = "w"
		default:
			t.Fatalf("field %s of kind %s: teach issuesKey and this test about it", typ.Field(i).Name, f.Kind())
		}
		if issuesKey([]issue.Issue{changed}) == key {
			t.Errorf("changing %s keeps the key", typ.Field(i).Name)
		}
	}
	// Strings are delimited by their lengths; nil Args are not empty Args.
	a, b := base, base
	a.File, a.Sheet = "ab", "c"
	b.File, b.Sheet = "a", "bc"
	if issuesKey([]issue.Issue{a}) == issuesKey([]issue.Issue{b}) {
		t.Error("two issues whose strings only move a letter share a key")
	}
	a.Args, b.Args = nil, map[string]string{}
	if issuesKey([]issue.Issue{a}) == issuesKey([]issue.Issue{b}) {
		t.Error("nil and empty Args share a key")
	}
	if issuesKey([]issue.Issue{base, base}) == key {
		t.Error("a list and its first issue share a key")
	}
}
