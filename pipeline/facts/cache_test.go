package facts_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/gob"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"canbo/pipeline/facts"
	"canbo/pipeline/ingest"
	"canbo/pipeline/internal/sheettest"
	"canbo/pipeline/normalize"
	"canbo/pipeline/rules"
	"canbo/pipeline/summary"
)

// counted reads dir and counts it at asOf, with the cache in cacheDir ("" = none)
// and the built-in targets and standards unless noRules.
func counted(t *testing.T, dir, cacheDir string, at time.Time, noRules bool) *summary.Summary {
	t.Helper()
	cfg, cat := sheettest.Config(t), sheettest.Catalog(t)
	var set *rules.Set
	if !noRules {
		var err error
		if set, err = rules.Compile(cfg); err != nil {
			t.Fatal(err)
		}
	}
	var cache *ingest.Cache
	if cacheDir != "" {
		var err error
		if cache, err = ingest.OpenCache(cacheDir, cfg, ingest.Options{}); err != nil {
			t.Fatal(err)
		}
	}
	r := ingest.NewReader(normalize.New(cfg), ingest.Options{Now: func() time.Time { return at }, Spool: true, Cache: cache})
	b, err := r.ReadAll(context.Background(), []string{dir}, cat)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	s, err := facts.Build(context.Background(), cfg, b, facts.Options{Period: facts.Period{Month: at.Format("2006-01"), AsOf: at},
		Now: at, Rules: set, Cache: cache})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// sameCounts fails unless the cached run's summary is the uncached one's.
func sameCounts(t *testing.T, dir, cacheDir string, at time.Time, noRules bool) *summary.Summary {
	t.Helper()
	got := counted(t, dir, cacheDir, at, noRules)
	want := counted(t, dir, "", at, noRules)
	g, _ := json.Marshal(got)
	w, _ := json.Marshal(want)
	if !bytes.Equal(g, w) {
		t.Errorf("with the cache:\n%s\nwithout:\n%s", g, w)
	}
	return got
}

func person(n int, name, birth, level string) []any {
	return []any{n, name, birth, "Nam", "Kinh", level}
}

// partFiles lists the kept parts.
func partFiles(t *testing.T, cacheDir string) []string {
	t.Helper()
	parts, err := filepath.Glob(filepath.Join(cacheDir, "*.facts"))
	if err != nil {
		t.Fatal(err)
	}
	return parts
}

// storedPart mirrors facts' stored part, for tests that alter one.
type storedPart struct {
	Units, Training []storedTally
	Strings         []byte // each text's length (uvarint), then its bytes
	People          []byte // uvarints
}

// texts is how many texts sp stores.
func (sp *storedPart) texts() int {
	n := 0
	for data := sp.Strings; len(data) > 0; n++ {
		l, k := binary.Uvarint(data)
		data = data[k+int(l):]
	}
	return n
}

type storedTally struct {
	Key, Name, Group string
	Headcount        int
	Breakdowns       []map[string]int
	Counts           *rules.Counts
	Below            []int
}

// rewritePart decodes a kept part, changes it and stores it again, checksum and all.
func rewritePart(t *testing.T, path string, change func(*storedPart)) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	head := data[:bytes.IndexByte(data, '\n')+1]
	var sp storedPart
	if err := gob.NewDecoder(bytes.NewReader(data[len(head)+sha256.Size:])).Decode(&sp); err != nil {
		t.Fatal(err)
	}
	change(&sp)
	var payload bytes.Buffer
	if err := gob.NewEncoder(&payload).Encode(&sp); err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(payload.Bytes())
	out := append(append(append([]byte{}, head...), sum[:]...), payload.Bytes()...)
	if err := os.WriteFile(path, out, 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestPartCacheUsed: a file counted before is not counted again: its kept part is
// what the report adds (here altered, to tell it from a recount), and the counts are
// those of a run without the cache when the parts are as kept.
func TestPartCacheUsed(t *testing.T) {
	dir, cacheDir := t.TempDir(), t.TempDir()
	sheettest.Write(t, dir, "a.xlsx", roster("UBND XÃ AN BÌNH", person(1, "Nguyễn Văn A", "01/01/1980", "Trung cấp"),
		person(2, "Lò Văn B", "02/02/1985", "Đại học")))
	sheettest.Write(t, dir, "b.xlsx", roster("UBND XÃ BÌNH MINH", person(1, "Hoàng Văn C", "03/03/1990", "Cao đẳng")))
	sameCounts(t, dir, cacheDir, asOf, false) // kept
	if n := len(partFiles(t, cacheDir)); n != 2 {
		t.Fatalf("%d parts kept, want 2", n)
	}
	s := sameCounts(t, dir, cacheDir, asOf, false) // used
	if len(s.BelowStandard) != 2 {
		t.Fatalf("below the standard: %+v", s.BelowStandard)
	}
	// The form columns (config/forms.yaml) come back from the kept parts too: the
	// summaries compared above hold them.
	for _, u := range s.Units {
		if u.Form != "bm02" || u.FormCounts["tong_so"] != u.Headcount {
			t.Errorf("%s: form %q, counts %v", u.Unit, u.Form, u.FormCounts)
		}
	}
	for _, p := range partFiles(t, cacheDir) {
		rewritePart(t, p, func(sp *storedPart) { sp.Units[0].Headcount += 1000 })
	}
	if got := counted(t, dir, cacheDir, asOf, false).Total.Headcount; got != 2003 {
		t.Errorf("headcount %d, want 2003 from the altered parts: the kept parts were not used", got)
	}
}

// TestPartCacheRepeats: a person listed in an earlier file is counted there only;
// when that file changes so that it no longer lists them, the later file, unchanged,
// must count them: its kept part (which set them aside) is not used.
func TestPartCacheRepeats(t *testing.T) {
	dir, cacheDir := t.TempDir(), t.TempDir()
	sheettest.Write(t, dir, "a.xlsx", roster("UBND XÃ AN BÌNH", person(1, "Nguyễn Văn A", "01/01/1980", "Trung cấp")))
	sheettest.Write(t, dir, "b.xlsx", roster("UBND XÃ BÌNH MINH", person(1, "Hoàng Văn C", "03/03/1990", "Cao đẳng"),
		person(2, "Nguyễn Văn A", "01/01/1980", "Trung cấp")))
	if s := sameCounts(t, dir, cacheDir, asOf, false); s.Total.Headcount != 2 {
		t.Fatalf("headcount %d, want 2 (A once)", s.Total.Headcount)
	}
	sheettest.Write(t, dir, "a.xlsx", roster("UBND XÃ AN BÌNH", person(1, "Trần Văn D", "04/04/1975", "Đại học")))
	if s := sameCounts(t, dir, cacheDir, asOf, false); s.Total.Headcount != 3 {
		t.Errorf("headcount %d, want 3 (A now counted in b.xlsx)", s.Total.Headcount)
	}
}

// TestPartCacheKey: a part is used only for the same as-of date (ages), the same
// place in the batch (group, path), and the same plan; otherwise the file is counted
// again and the counts are a fresh run's.
func TestPartCacheKey(t *testing.T) {
	dir, cacheDir := t.TempDir(), t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, "huyen-a"), 0o755); err != nil {
		t.Fatal(err)
	}
	rows := roster("UBND XÃ AN BÌNH", person(1, "Nguyễn Văn A", "01/10/1988", "Trung cấp"), // 35 on 1 October 2023
		person(2, "Lò Văn B", "02/02/1985", "Đại học"))
	sheettest.Write(t, filepath.Join(dir, "huyen-a"), "a.xlsx", rows)
	sameCounts(t, dir, cacheDir, asOf, false)
	later := asOf.AddDate(0, 1, 0)
	if s := sameCounts(t, dir, cacheDir, later, false); s.AsOf != "2023-10-30" {
		t.Errorf("as of %s", s.AsOf)
	}
	// The same file in another group.
	if err := os.Mkdir(filepath.Join(dir, "huyen-b"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(filepath.Join(dir, "huyen-a", "a.xlsx"), filepath.Join(dir, "huyen-b", "a.xlsx")); err != nil {
		t.Fatal(err)
	}
	if s := sameCounts(t, dir, cacheDir, asOf, false); len(s.Units) != 1 || s.Units[0].Group != "huyen-b" {
		t.Errorf("units %+v, want the unit in huyen-b", s.Units)
	}
	// Another plan: no targets or standards.
	if s := sameCounts(t, dir, cacheDir, asOf, true); len(s.BelowStandard) != 0 {
		t.Errorf("below the standard with no standards: %+v", s.BelowStandard)
	}
	sameCounts(t, dir, cacheDir, asOf, false)
}

// TestPartCacheDamaged: a kept part that is damaged, or does not fit the plan, is a
// miss: the file is counted again.
func TestPartCacheDamaged(t *testing.T) {
	dir, cacheDir := t.TempDir(), t.TempDir()
	sheettest.Write(t, dir, "a.xlsx", roster("UBND XÃ AN BÌNH", person(1, "Nguyễn Văn A", "01/01/1980", "Trung cấp"),
		person(2, "Lò Văn B", "02/02/1985", "Đại học")))
	sameCounts(t, dir, cacheDir, asOf, false)
	parts := partFiles(t, cacheDir)
	if len(parts) != 1 {
		t.Fatalf("%d parts kept", len(parts))
	}
	if s := counted(t, dir, cacheDir, asOf, false); len(s.BelowStandard) == 0 {
		t.Fatal("no one below a standard: the test needs some")
	}
	data, err := os.ReadFile(parts[0])
	if err != nil {
		t.Fatal(err)
	}
	for _, damage := range []func([]byte) []byte{
		func(b []byte) []byte { b[len(b)-3] ^= 0x40; return b },                          // a flipped bit
		func(b []byte) []byte { return b[:len(b)/2] },                                    // cut short
		func(b []byte) []byte { return []byte(strings.Replace(string(b), "1", "9", 1)) }, // another version
	} {
		if err := os.WriteFile(parts[0], damage(bytes.Clone(data)), 0o644); err != nil {
			t.Fatal(err)
		}
		sameCounts(t, dir, cacheDir, asOf, false)
	}
	for _, change := range []func(*storedPart){
		func(sp *storedPart) {
			sp.Units[0].Counts.Standards = append(sp.Units[0].Counts.Standards, rules.StandardCount{})
		},
		func(sp *storedPart) { sp.Units[0].Breakdowns = sp.Units[0].Breakdowns[1:] },
		func(sp *storedPart) { sp.Units = append(sp.Units, sp.Units[0]) }, // a unit twice
		func(sp *storedPart) { // a text not stored
			_, k := binary.Uvarint(sp.People)
			sp.People = append(binary.AppendUvarint(nil, uint64(sp.texts())), sp.People[k:]...)
		},
		func(sp *storedPart) { sp.People = sp.People[:len(sp.People)-1] },    // a person cut short
		func(sp *storedPart) { sp.People = append(sp.People, 0) },            // more than the tallies hold
		func(sp *storedPart) { sp.Strings = sp.Strings[:len(sp.Strings)-1] }, // a text cut short
		func(sp *storedPart) { sp.Units[0].Below = sp.Units[0].Below[1:] },   // fewer standards
	} {
		if err := os.WriteFile(parts[0], data, 0o644); err != nil {
			t.Fatal(err)
		}
		rewritePart(t, parts[0], change)
		sameCounts(t, dir, cacheDir, asOf, false)
	}
}
