package ingest_test

import (
	"archive/zip"
	"bytes"
	"context"
	"io"
	"io/fs"
	"os"
	"testing"
	"testing/fstest"
	"time"

	"canbo/config"
	"canbo/pipeline/ingest"
	"canbo/pipeline/internal/sheettest"
	"canbo/pipeline/issue"
	"canbo/pipeline/normalize"
	"canbo/pipeline/schema"
)

// configWith returns the default configuration with a layouts.yaml.
func configWith(t *testing.T, layouts string) *schema.Config {
	t.Helper()
	m := fstest.MapFS{}
	entries, err := fs.ReadDir(config.FS, ".")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		b, err := config.FS.ReadFile(e.Name())
		if err != nil {
			t.Fatal(err)
		}
		m[e.Name()] = &fstest.MapFile{Data: b}
	}
	m[schema.FileLayouts] = &fstest.MapFile{Data: []byte(layouts)}
	cfg, err := schema.Load(m, "config")
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// TestPinnedLayout: a software export canbo cannot read on its own (headers it does not
// know, sex as 1/0, a note row, a leaver) is read as the office pinned it.
func TestPinnedLayout(t *testing.T) {
	sheet := sheettest.Sheet{Name: "Export", Rows: [][]any{
		{"Tên", "Chức danh", "Ngày SN", "GT", "Mã"},
		{"Lê Văn Hùng", "Chủ tịch", "05/03/1980", 1, "x1"},
		{"Đỗ Thị Mai", "Công chức", "12/12/1990", 0, "x2"},
		{"Trần Văn Tú", "Phó Chủ tịch", "01/01/1975", 1, "x3"},
		{"Số liệu xuất từ phần mềm ngày 01/10/2023", nil, nil, nil, nil},
		{"Ngô Văn Cũ", "Công chức", "02/02/1960", 1, "x4"},
	}}
	path := sheettest.Write(t, t.TempDir(), "Xuat phan mem xa Pin.xlsx", sheet)

	plain := ingest.NewReader(normalize.New(sheettest.Config(t)), ingest.Options{}).ReadFile(context.Background(), path)
	if plain.Status == ingest.Accepted && len(plain.Records) > 0 {
		t.Fatalf("the fixture must be one canbo cannot read unaided; it read %d records", len(plain.Records))
	}

	cfg := configWith(t, `pins:
  - file: "xuat phan mem xa pin*"
    sheet: Export
    dataset: roster
    header_rows: [1]
    unit: UBND xã Pin
    columns: {A: ho_ten, B: chuc_vu, C: ngay_sinh, D: gioi_tinh, E: "-"}
    skip_rows: ["5"]
    left_rows: ["6"]
    values: {gioi_tinh: {"1": nam, "0": nu}}
`)
	f := ingest.NewReader(normalize.New(cfg), ingest.Options{}).ReadFile(context.Background(), path)
	if f.Status != ingest.Accepted {
		t.Fatalf("status %s: %v", f.Status, issueCodes(f.Issues))
	}
	counted, left := 0, 0
	sex := map[string]int{}
	sexF := cfg.Field("gioi_tinh")
	for _, r := range f.Records {
		switch r.NotCounted {
		case "":
			counted++
			sex[r.Code(sexF)]++
		case normalize.Left:
			left++
		}
		if r.Unit != "UBND xã Pin" {
			t.Errorf("row %d unit %q", r.Row, r.Unit)
		}
	}
	if counted != 3 || left != 1 {
		t.Errorf("counted %d, left %d; want 3 and 1 (row 5 skipped as pinned)", counted, left)
	}
	if sex["nam"] != 2 || sex["nu"] != 1 {
		t.Errorf("sex %v, want 2 nam and 1 nu from the pinned codes", sex)
	}
	sh := f.Main()
	if sh.UnitSource != "pin" {
		t.Errorf("unit source %q, want pin", sh.UnitSource)
	}
	for _, c := range sh.Columns {
		if c.Why != "pinned" {
			t.Errorf("column %d read as %q, want pinned", c.Col, c.Why)
		}
	}
	if len(sh.Unmapped) != 1 || sh.Unmapped[0].Col != 5 || sh.Unmapped[0].Reason != "pinned" {
		t.Errorf("unmapped %+v, want E left out by the pin", sh.Unmapped)
	}
}

// TestAgesAtCutoff: a sheet that states no date of its own is read as of the period's
// cut-off, not as of today: born 15/06/2011, a person is 12 at the end of September
// 2023 (too young, an implausible-age error that says 12), whatever today is.
func TestAgesAtCutoff(t *testing.T) {
	path := sheettest.Write(t, t.TempDir(), "UBND xã A.xlsx", sheettest.Sheet{Name: "DS", Rows: [][]any{
		{"STT", "Họ và tên", "Ngày sinh", "Giới tính"},
		{1, "Nguyễn Văn An", "15/06/2011", "Nam"},
		{2, "Trần Thị Bình", "15/06/1990", "Nữ"},
	}})
	cutoff := time.Date(2023, 9, 30, 0, 0, 0, 0, time.UTC)
	later := func() time.Time { return time.Date(2026, 12, 6, 9, 0, 0, 0, time.UTC) }
	f := ingest.NewReader(normalize.New(sheettest.Config(t)), ingest.Options{Cutoff: cutoff, Now: later}).
		ReadFile(context.Background(), path)
	var ages []string
	for _, is := range f.Issues {
		if is.Code == issue.BadAge {
			ages = append(ages, is.Cell()+" "+is.Args["age"])
		}
	}
	if len(ages) != 1 || ages[0] != "C2 12" {
		t.Errorf("implausible ages %v, want C2 at 12 (the age at the cut-off, not today's 15)", ages)
	}
}

// TestDamagedSheet: a workbook whose second sheet points at a part that is not there
// is still read: its list counts, and the damaged sheet is named.
func TestDamagedSheet(t *testing.T) {
	dir := t.TempDir()
	path := sheettest.Write(t, dir, "UBND xã A.xlsx",
		sheettest.Sheet{Name: "DS", Rows: [][]any{
			{"STT", "Họ và tên", "Ngày sinh", "Giới tính"},
			{1, "Nguyễn Văn An", "05/03/1985", "Nam"},
			{2, "Trần Thị Bình", "12/12/1990", "Nữ"}}},
		sheettest.Sheet{Name: "Hỏng", Rows: [][]any{{"x"}}})
	// Drop the second sheet's part from the zip.
	src, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range src.File {
		if f.Name == "xl/worksheets/sheet2.xml" {
			continue
		}
		w, err := zw.Create(f.Name)
		if err != nil {
			t.Fatal(err)
		}
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		if _, err := io.Copy(w, rc); err != nil {
			t.Fatal(err)
		}
		rc.Close()
	}
	src.Close()
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	f := ingest.NewReader(normalize.New(sheettest.Config(t)), ingest.Options{}).ReadFile(context.Background(), path)
	if f.Status != ingest.Accepted || len(f.Records) != 2 {
		t.Fatalf("status %s, %d records (%v)", f.Status, len(f.Records), issueCodes(f.Issues))
	}
	found := false
	for _, is := range f.Issues {
		if is.Code == issue.SheetUnreadable && is.Sheet == "Hỏng" {
			found = true
		}
	}
	if !found {
		t.Errorf("the damaged sheet is not named: %v", issueCodes(f.Issues))
	}
}
