package ingest_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"
	"time"

	"canbo/pipeline/ingest"
	"canbo/pipeline/internal/sheettest"
	"canbo/pipeline/issue"
	"canbo/pipeline/normalize"
)

// TestSpooledBatchIsTheSame: a batch read with its records spooled to disk, by many
// workers, gives back through Scan exactly the records, the issues and the counts of
// the batch kept in memory and read by one worker: the same person in two files is
// reported in the later file however the reading interleaves, and a count made from
// the spool is the count made from memory.
func TestSpooledBatchIsTheSame(t *testing.T) {
	dir := t.TempDir()
	cfg, cat := sheettest.Config(t), sheettest.Catalog(t)
	for i := range 12 {
		rows := [][]any{{fmt.Sprintf("UBND XÃ SỐ %d", i)}, {"(Tính đến ngày 30/09/2023)"}, {},
			{"STT", "Họ và tên", "Ngày sinh", "Giới tính", "Trình độ chuyên môn"}}
		for j := range 30 {
			// Every file repeats three people of the file before it.
			k := i*27 + j
			rows = append(rows, []any{j + 1, personName(k), fmt.Sprintf("%02d/01/1980", 1+k%28), "Nam", "ĐH"})
		}
		sheettest.Write(t, dir, fmt.Sprintf("f%02d.xlsx", i), sheettest.Sheet{Name: "DS", Rows: rows})
	}
	now := func() time.Time { return time.Date(2023, 10, 1, 0, 0, 0, 0, time.UTC) }
	read := func(opt ingest.Options) *ingest.Batch {
		opt.Now = now
		b, err := ingest.NewReader(normalize.New(cfg), opt).ReadAll(context.Background(), []string{dir}, cat)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { b.Close() })
		return b
	}
	mem := read(ingest.Options{Workers: 1})
	spooled := read(ingest.Options{Workers: 4, Spool: true, SpoolDir: t.TempDir()})
	repeats := 0
	for i, f := range mem.Files {
		g := spooled.Files[i]
		if g.Path != f.Path || g.Name != f.Name {
			t.Fatalf("file %d: %s, want %s", i, g.Path, f.Path)
		}
		if g.Records != nil {
			t.Errorf("%s: records kept in memory although spooled", g.Name)
		}
		var got []normalize.Record
		if err := g.Scan(func(r *normalize.Record) error {
			c := *r
			c.Values = append([]normalize.Value(nil), r.Values...)
			got = append(got, c)
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, f.Records) {
			t.Errorf("%s: spooled records differ from those in memory", f.Name)
		}
		if !reflect.DeepEqual(g.Issues, f.Issues) {
			t.Errorf("%s: issues %v, want %v", f.Name, g.Issues, f.Issues)
		}
		if !reflect.DeepEqual(g.Tally(), f.Tally()) {
			t.Errorf("%s: tally %+v, want %+v", f.Name, g.Tally(), f.Tally())
		}
		for _, is := range f.Issues {
			if is.Code == issue.DupPerson {
				repeats++
				if i == 0 {
					t.Errorf("the first file has a repeat: %v", is)
				}
			}
		}
	}
	if repeats != 11*3 {
		t.Errorf("%d repeats reported, want 33 (three in each file after the first)", repeats)
	}
}

// personName is the k-th of 432 distinct Vietnamese names.
func personName(k int) string {
	sur := []string{"Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ"}
	mid := []string{"Văn", "Thị", "Đức", "Minh"}
	given := []string{"An", "Bình", "Chi", "Dũng", "Giang", "Hà", "Hải", "Khoa", "Lan", "Long", "Mai", "Nam", "Nga", "Phúc", "Quân", "Sơn", "Tâm", "Thảo"}
	return sur[k%6] + " " + mid[k/6%4] + " " + given[k/24%18]
}

// TestCacheGivesTheSameReading: a file read from the cache is the file read from its
// workbook (records, problems, sheets as the report uses them), and the cache serves
// only the very content, name and configuration it was made with.
func TestCacheGivesTheSameReading(t *testing.T) {
	dir, cacheDir := t.TempDir(), t.TempDir()
	cfg, cat := sheettest.Config(t), sheettest.Catalog(t)
	for i := range 3 {
		rows := [][]any{{fmt.Sprintf("UBND XÃ SỐ %d", i)}, {"(Tính đến ngày 30/09/2023)"}, {},
			{"STT", "Họ và tên", "Ngày sinh", "Giới tính", "Trình độ chuyên môn"}}
		for j := range 20 {
			k := i*17 + j // three people repeated in the next file
			rows = append(rows, []any{j + 1, personName(k), fmt.Sprintf("%02d/01/1980", 1+k%28), "Nam", []string{"ĐH", "Thạc sỹ", "xyz"}[k%3]})
		}
		sheettest.Write(t, dir, fmt.Sprintf("f%d.xlsx", i), sheettest.Sheet{Name: "DS", Rows: rows})
	}
	sheettest.Write(t, dir, "hỏng.xlsx", sheettest.Sheet{Name: "DS", Rows: [][]any{{"không có bảng"}}})
	now := func() time.Time { return time.Date(2023, 10, 1, 0, 0, 0, 0, time.UTC) }
	read := func(cache *ingest.Cache) *ingest.Batch {
		b, err := ingest.NewReader(normalize.New(cfg), ingest.Options{Now: now, Cache: cache}).ReadAll(context.Background(), []string{dir}, cat)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	cache, err := ingest.OpenCache(cacheDir, cfg, ingest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	plain := read(nil)
	read(cache) // fills it
	if st := cache.Stats(); st.Hits != 0 || st.Misses != 4 || st.StoreErrors != 0 {
		t.Fatalf("first read: %+v, want 4 misses", st)
	}
	again := read(cache)
	if st := cache.Stats(); st.Hits != 4 {
		t.Fatalf("second read: %+v, want 4 hits", st)
	}
	for i, f := range plain.Files {
		g := again.Files[i]
		if !reflect.DeepEqual(g.Records, f.Records) || !reflect.DeepEqual(g.Issues, f.Issues) {
			t.Errorf("%s: the cached reading differs in its records or problems", f.Name)
		}
		if g.Status != f.Status || g.Reason != f.Reason || g.SHA256 != f.SHA256 || len(g.Sheets) != len(f.Sheets) {
			t.Errorf("%s: cached %s/%s, want %s/%s", f.Name, g.Status, g.Reason, f.Status, f.Reason)
		}
		for j := range f.Sheets {
			a, b := f.Sheets[j], g.Sheets[j]
			if a.Name != b.Name || a.Dataset != b.Dataset || a.Unit != b.Unit || !a.AsOf.Equal(b.AsOf) || a.Rows != b.Rows ||
				!reflect.DeepEqual(a.HeaderRows, b.HeaderRows) {
				t.Errorf("%s › %s: cached sheet %+v, want %+v", f.Name, a.Name, b, a)
			}
		}
	}
	// Another content, or another configuration: read again.
	sheettest.Write(t, dir, "f1.xlsx", sheettest.Sheet{Name: "DS", Rows: [][]any{{"UBND XÃ SỐ 1"}, {},
		{"STT", "Họ và tên", "Ngày sinh"}, {1, "Lò Thị Mai", "01/01/1990"}}})
	read(cache)
	if st := cache.Stats(); st.Misses != 5 || st.Hits != 7 {
		t.Errorf("after one file changed: %+v, want 1 more miss and 3 more hits", st)
	}
	other := *cfg
	other.Digest = "another configuration"
	c2, err := ingest.OpenCache(cacheDir, &other, ingest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	read(c2)
	if st := c2.Stats(); st.Hits != 0 {
		t.Errorf("another configuration was served %d cached readings", st.Hits)
	}
}

// TestRecordMemoryBounded: a file whose rows would take more memory than
// MaxRecordMemory is refused as too large, saying the limit, with nothing kept; the
// same file under a larger limit is read. In memory the bound is on the records
// (canbo check holds them all); spooled, on the segment they are encoded into as they
// are read, far smaller, so a sheet that unzips to tens of millions of rows still
// cannot take the machine down.
func TestRecordMemoryBounded(t *testing.T) {
	dir := t.TempDir()
	cfg, cat := sheettest.Config(t), sheettest.Catalog(t)
	rows := [][]any{{"UBND XÃ AN BÌNH"}, {}, {"STT", "Họ và tên", "Ngày sinh", "Giới tính", "Trình độ chuyên môn"}}
	for j := range 400 {
		rows = append(rows, []any{j + 1, personName(j), "01/01/1980", "Nam", "ĐH"})
	}
	sheettest.Write(t, dir, "lon.xlsx", sheettest.Sheet{Name: "DS", Rows: rows})
	read := func(limit int64, spool bool) *ingest.File {
		b, err := ingest.NewReader(normalize.New(cfg), ingest.Options{MaxRecordMemory: limit, Spool: spool, SpoolDir: t.TempDir()}).
			ReadAll(context.Background(), []string{dir}, cat)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { b.Close() })
		return b.Files[0]
	}
	for _, c := range []struct {
		spool bool
		limit int64 // under what 400 people take: about 1 MB as records, 60 KB encoded
	}{{false, 200 << 10}, {true, 16 << 10}} {
		f := read(c.limit, c.spool)
		if f.Status != ingest.Rejected || f.Reason != issue.TooLarge || len(f.Records) != 0 || f.Tally().Rows() != 0 {
			t.Fatalf("spool %v, over the limit: %s/%s with %d records, want rejected as file-too-large with none", c.spool, f.Status, f.Reason, len(f.Records))
		}
		if msg := f.Issues[0].Message; !strings.Contains(msg, "0 MB dữ liệu") || !strings.Contains(msg, "người trong một tệp") {
			t.Errorf("spool %v: message %q does not say the limit", c.spool, msg)
		}
		if f := read(0, c.spool); f.Status != ingest.Accepted || f.Tally().Rows() != 400 {
			t.Errorf("spool %v, under the default limit: %s with %d records, want all 400 read", c.spool, f.Status, f.Tally().Rows())
		}
	}
}

// TestCacheDamagedAndDates: an entry with any byte changed is a miss, never a
// reading (here: one letter of its status), and a file whose sheets state their own
// date is served on another day, while one read as of the run's day is read again.
func TestCacheDamagedAndDates(t *testing.T) {
	dir, cacheDir := t.TempDir(), t.TempDir()
	cfg, cat := sheettest.Config(t), sheettest.Catalog(t)
	people := func(title ...any) [][]any {
		rows := [][]any{{"UBND XÃ AN BÌNH"}}
		rows = append(rows, title)
		rows = append(rows, []any{}, []any{"STT", "Họ và tên", "Ngày sinh", "Giới tính"})
		for j := range 5 {
			rows = append(rows, []any{j + 1, personName(j), "01/01/1980", "Nam"})
		}
		return rows
	}
	sheettest.Write(t, dir, "co-ngay.xlsx", sheettest.Sheet{Name: "DS", Rows: people("(Tính đến ngày 30/09/2023)")})
	sheettest.Write(t, dir, "khong-ngay.xlsx", sheettest.Sheet{Name: "DS", Rows: people("DANH SÁCH CÁN BỘ")})
	cache, err := ingest.OpenCache(cacheDir, cfg, ingest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	read := func(day int) *ingest.Batch {
		now := func() time.Time { return time.Date(2023, 10, day, 9, 0, 0, 0, time.UTC) }
		b, err := ingest.NewReader(normalize.New(cfg), ingest.Options{Now: now, Cache: cache}).ReadAll(context.Background(), []string{dir}, cat)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	read(1)
	read(2)
	if st := cache.Stats(); st.Misses != 3 || st.Hits != 1 {
		t.Errorf("day 1 then day 2: %+v; want the dated file served, the undated one read again (3 misses, 1 hit)", st)
	}
	entries, _ := filepath.Glob(filepath.Join(cacheDir, "*.gob"))
	for _, e := range entries {
		data, err := os.ReadFile(e)
		if err != nil {
			t.Fatal(err)
		}
		i := bytes.Index(data, []byte("accepted"))
		if i < 0 {
			t.Fatalf("%s: no status in the entry", e)
		}
		data[i+7] = 'D' // "accepteD"
		if err := os.WriteFile(e, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	b := read(2)
	if st := cache.Stats(); st.Hits != 1 {
		t.Errorf("damaged entries served: %+v", st)
	}
	for _, f := range b.Files {
		if f.Status != ingest.Accepted || len(f.Records) != 5 {
			t.Errorf("%s after damaged entries: %s with %d people, want accepted with 5", f.Name, f.Status, len(f.Records))
		}
	}
}

// TestSpoolLeavesNothing: the temporary file holding everyone's records is gone once
// the batch is closed, and, where the system allows it, is never visible in its
// folder at all, so a run killed halfway leaves no personal data behind.
func TestSpoolLeavesNothing(t *testing.T) {
	dir, spoolDir := t.TempDir(), t.TempDir()
	cfg, cat := sheettest.Config(t), sheettest.Catalog(t)
	rows := [][]any{{"UBND XÃ AN BÌNH"}, {}, {"STT", "Họ và tên", "Ngày sinh"}, {1, "Lò Thị Mai", "01/01/1990"}}
	sheettest.Write(t, dir, "a.xlsx", sheettest.Sheet{Name: "DS", Rows: rows})
	b, err := ingest.NewReader(normalize.New(cfg), ingest.Options{Spool: true, SpoolDir: spoolDir}).ReadAll(context.Background(), []string{dir}, cat)
	if err != nil {
		t.Fatal(err)
	}
	left, _ := os.ReadDir(spoolDir)
	if runtime.GOOS != "windows" && len(left) > 0 {
		t.Errorf("spool visible while the batch is open: %v", left)
	}
	n := 0
	if err := b.Files[0].Scan(func(*normalize.Record) error { n++; return nil }); err != nil || n != 1 {
		t.Fatalf("scan: %d records, %v", n, err)
	}
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	if left, _ := os.ReadDir(spoolDir); len(left) > 0 {
		t.Errorf("spool left after Close: %v", left)
	}
}

// TestRecordsKeepTheirOwnValues: every record is encoded as it is read from values
// reused for the next row (normalize.Sheet.Reuse), so a value left over from the row
// before would show here: files of people some of whom leave "Giới tính" and
// "Trình độ chuyên môn" blank give back, in memory and spooled, each person's own
// name and nothing where the cells were blank, and the two batches the same values.
func TestRecordsKeepTheirOwnValues(t *testing.T) {
	dir := t.TempDir()
	cfg, cat := sheettest.Config(t), sheettest.Catalog(t)
	given := []string{"An", "Bình", "Chi", "Dũng", "Giang", "Hà"}
	name := func(k int) string { return personName(k%432) + " " + given[k/432] }
	for i := range 4 {
		// Two sheets of 200 different people, the second sheet's values after the first's.
		var sheets []sheettest.Sheet
		for s := range 2 {
			rows := [][]any{{fmt.Sprintf("UBND XÃ SỐ %d", i)}, {}, {"STT", "Họ và tên", "Ngày sinh", "Giới tính", "Trình độ chuyên môn"}}
			for j := range 200 {
				k := i*400 + s*200 + j
				var sex, edu any = []string{"Nam", "Nữ"}[k%2], []string{"ĐH", "Thạc sỹ", "Cao đẳng"}[k%3]
				if k%4 == 3 {
					sex, edu = nil, nil
				}
				rows = append(rows, []any{j + 1, name(k), fmt.Sprintf("%02d/%02d/19%d", 1+k%28, 1+k%12, 60+k%40), sex, edu})
			}
			sheets = append(sheets, sheettest.Sheet{Name: fmt.Sprintf("DS%d", s+1), Rows: rows})
		}
		sheettest.Write(t, dir, fmt.Sprintf("f%d.xlsx", i), sheets...)
	}
	read := func(opt ingest.Options) *ingest.Batch {
		b, err := ingest.NewReader(normalize.New(cfg), opt).ReadAll(context.Background(), []string{dir}, cat)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { b.Close() })
		return b
	}
	nameF, sexF, eduF := cfg.Field("ho_ten"), cfg.Field("gioi_tinh"), cfg.Field("trinh_do_chuyen_mon")
	own := func(f *ingest.File, j int, r *normalize.Record) {
		k := 400*int(f.Name[1]-'0') + j // the file's j-th person: "f2.xlsx" holds 800 to 1199
		blank := k%4 == 3
		if got := r.Values[nameF.Index].Text; got != name(k) {
			t.Errorf("%s row %d: name %q, want %q", f.Name, r.Row, got, name(k))
		}
		if r.Values[sexF.Index].Set == blank || r.Values[eduF.Index].Set == blank {
			t.Errorf("%s row %d: sex set %v, qualification set %v; want both %v", f.Name, r.Row,
				r.Values[sexF.Index].Set, r.Values[eduF.Index].Set, !blank)
		}
	}
	mem := read(ingest.Options{Workers: 1})
	spooled := read(ingest.Options{Workers: 1, Spool: true, SpoolDir: t.TempDir()})
	for i, f := range mem.Files {
		if len(f.Records) != 400 {
			t.Fatalf("%s: %d records, want 400", f.Name, len(f.Records))
		}
		for j := range f.Records {
			own(f, j, &f.Records[j])
		}
		j := 0
		err := spooled.Files[i].Scan(func(r *normalize.Record) error {
			own(f, j, r)
			if !reflect.DeepEqual(r.Values, f.Records[j].Values) {
				t.Errorf("%s row %d: spooled values differ from those read in memory", f.Name, r.Row)
			}
			j++
			return nil
		})
		if err != nil || j != 400 {
			t.Fatalf("%s: scanned %d records, %v", f.Name, j, err)
		}
	}
}
