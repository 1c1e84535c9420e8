package ingest_test

import (
	"context"
	"testing"
	"time"

	"canbo/pipeline/ingest"
	"canbo/pipeline/internal/sheettest"
	"canbo/pipeline/normalize"
)

// TestKeepDatasets: a unit's workbook with its roster and a copy of its training
// register, read for the roster alone (Options.Datasets, as a report over a span
// reads it when a newer register replaced the copy). The register's table is read
// but set aside as a newer file's: none of its attendances counts, its records say
// why, its cell problems are not reported, the roster's people all count — in
// memory, spooled, and from the cache a whole reading filled. Read whole, the same
// file counts both, problems and all.
func TestKeepDatasets(t *testing.T) {
	dir := t.TempDir()
	path := sheettest.Write(t, dir, "UBND xã A.xlsx",
		roster(
			[]any{1, "Nguyễn Văn A", "01/02/1980", "Nam", "Đại học", "006080001234"},
			[]any{2, "Trần Thị B", "03/04/1985", "Nữ", "Thạc sĩ", "006185001235"},
			[]any{3, "Lò Văn C", "05/06/1990", "Nam", "Cao đẳng", "011090001236"},
		),
		sheettest.Sheet{Name: "Đào tạo", Rows: [][]any{
			{"STT", "Họ và tên", "Ngày sinh", "Tên lớp", "Loại hình", "Từ ngày", "Đến ngày"},
			{1, "Nguyễn Văn A", "01/02/1980", "Bồi dưỡng QLNN ngạch chuyên viên", "Quản lý nhà nước", "05/06/2023", "30/06/2023"},
			{2, "Trần Thị B", "03/04/1985", "Trung cấp lý luận chính trị", "Lý luận chính trị", "03/2021", "06/2021"},
			{3, "Lò Văn C", "05/06/1990", "Bồi dưỡng kiến thức QP-AN", "Quốc phòng an ninh", "45/13/2023", "12/08/2023"},
		}})
	cfg, cat := sheettest.Config(t), sheettest.Catalog(t)
	cache, err := ingest.OpenCache(t.TempDir(), cfg, ingest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	now := func() time.Time { return time.Date(2023, 10, 1, 0, 0, 0, 0, time.UTC) }
	read := func(keep []string, spool bool) *ingest.File {
		t.Helper()
		opt := ingest.Options{Now: now}
		if spool {
			opt.Spool, opt.Cache = true, cache
		}
		if keep != nil {
			opt.Datasets = map[string][]string{path: keep}
		}
		b, err := ingest.NewReader(normalize.New(cfg), opt).ReadAll(context.Background(), []string{path}, cat)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { b.Close() })
		return b.Files[0]
	}
	problems := func(f *ingest.File) int {
		n := 0
		for _, is := range f.Issues {
			if is.Sheet == "Đào tạo" {
				n++
			}
		}
		return n
	}

	// Read whole, in the cache first: the spooled readings after come from it.
	whole := read(nil, true)
	if c := whole.Tally().Counted; c["roster"] != 3 || c["training"] != 3 || problems(whole) == 0 {
		t.Fatalf("read whole: %v counted, %d problems of the register; want 3 people, 3 attendances and the bad date", c, problems(whole))
	}
	for _, how := range []struct {
		name  string
		spool bool
	}{{"in memory", false}, {"spooled, from the cache", true}, {"spooled again", true}} {
		f := read([]string{"roster"}, how.spool)
		if c := f.Tally().Counted; c["roster"] != 3 || c["training"] != 0 {
			t.Errorf("%s: %v counted, want the roster's 3 people alone", how.name, c)
		}
		if n := problems(f); n != 0 {
			t.Errorf("%s: %d problems of the register not counted: %v", how.name, n, f.Issues)
		}
		newer := 0
		err := f.Scan(func(r *normalize.Record) error {
			if r.Dataset == "training" && r.NotCounted == normalize.Newer {
				newer++
			}
			if r.Dataset == "roster" && !r.Counted() {
				t.Errorf("%s: roster row %d not counted (%s)", how.name, r.Row, r.NotCounted)
			}
			return nil
		})
		if err != nil || newer != 3 {
			t.Errorf("%s: %d attendances set aside as a newer file's, want 3 (%v)", how.name, newer, err)
		}
		for _, sh := range f.Sheets {
			if sh.Dataset == "training" && (sh.NotCounted != normalize.Newer || sh.Rows != 0 || sh.Dropped != 3) {
				t.Errorf("%s: register table %+v", how.name, sh)
			}
		}
		if f.RepeatDigest() == whole.RepeatDigest() {
			t.Errorf("%s: the counts of the file read for its roster would be taken for the whole file's", how.name)
		}
	}
	// The cache still gives the whole reading back whole.
	if again := read(nil, true); again.Tally().Counted["training"] != 3 || problems(again) != problems(whole) {
		t.Errorf("read whole after: %v counted, %d problems of the register, want as before", again.Tally().Counted, problems(again))
	}
}
