package ingest_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"canbo/pipeline/ingest"
	"canbo/pipeline/internal/sheettest"
	"canbo/pipeline/issue"
	"canbo/pipeline/normalize"
)

func reader(t testing.TB) (*ingest.Reader, *issue.Catalog) {
	t.Helper()
	cfg, cat := sheettest.Config(t), sheettest.Catalog(t)
	now := func() time.Time { return time.Date(2023, 10, 1, 0, 0, 0, 0, time.UTC) }
	return ingest.NewReader(normalize.New(cfg), ingest.Options{Now: now}), cat
}

func roster(rows ...[]any) sheettest.Sheet {
	head := [][]any{{"STT", "Họ và tên", "Ngày sinh", "Giới tính", "Trình độ chuyên môn", "Số CCCD"}}
	return sheettest.Sheet{Name: "DS", Rows: append(head, rows...)}
}

// TestBadFiles: every kind of unusable file gets its own reason and the run goes on.
func TestBadFiles(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, data []byte) {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	sheettest.Write(t, dir, "UBND xã Tốt.xlsx", roster([]any{1, "Nguyễn Văn A", "01/02/1980", "Nam", "Đại học", "006080001234"}))
	write("hong.xlsx", []byte("this is not a zip at all"))
	write("rong.xlsx", nil)
	write("~$UBND xã Tốt.xlsx", []byte{0, 1, 2})
	write("ghi-chu.txt", []byte("xin chào"))
	write("web.xls", []byte("<html><body><table><tr><td>Họ và tên</td></tr></table></body></html>"))
	write("cu.xls", append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 1024)...))
	f := excelize.NewFile()
	f.SetCellValue("Sheet1", "A1", "Họ và tên")
	if err := f.SaveAs(filepath.Join(dir, "mat-khau.xlsx"), excelize.Options{Password: "123"}); err != nil {
		t.Fatal(err)
	}
	sheettest.Write(t, dir, "khong-bang.xlsx", sheettest.Sheet{Name: "Ghi chú", Rows: [][]any{{"Báo cáo tháng 9"}, {"Không có danh sách"}}})

	r, cat := reader(t)
	b, err := r.ReadAll(context.Background(), []string{dir}, cat)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]struct {
		status string
		code   issue.Code
	}{
		"UBND xã Tốt.xlsx":   {ingest.Accepted, ""},
		"hong.xlsx":          {ingest.Rejected, issue.NotWorkbook},
		"rong.xlsx":          {ingest.Rejected, issue.EmptyWorkbook},
		"~$UBND xã Tốt.xlsx": {ingest.Ignored, issue.NotWorkbook},
		"ghi-chu.txt":        {ingest.Ignored, issue.NotWorkbook},
		"web.xls":            {ingest.Rejected, issue.LegacyFormat},
		"cu.xls":             {ingest.Rejected, ""}, // a broken compound file: legacy or corrupt, but rejected
		"mat-khau.xlsx":      {ingest.Rejected, issue.Encrypted},
		"khong-bang.xlsx":    {ingest.Rejected, issue.NoTable},
	}
	if len(b.Files) != len(want) {
		t.Errorf("%d files, want %d", len(b.Files), len(want))
	}
	for _, f := range b.Files {
		w, ok := want[f.Name]
		if !ok {
			t.Errorf("unexpected file %s", f.Name)
			continue
		}
		if f.Status != w.status || (w.code != "" && f.Reason != w.code) {
			t.Errorf("%s: %s/%s, want %s/%s", f.Name, f.Status, f.Reason, w.status, w.code)
		}
		if f.Status != ingest.Accepted && (len(f.Issues) == 0 || f.Issues[0].Message == "") {
			t.Errorf("%s: no reason given", f.Name)
		}
	}
}

// TestNeverDropsPerson: a roster with bad values keeps every person, and each problem
// points at its cell.
func TestNeverDropsPerson(t *testing.T) {
	dir := t.TempDir()
	sheettest.Write(t, dir, "UBND xã Mẫu.xlsx", roster(
		[]any{1, "Nguyễn Văn A", "31/02/1980", "Nam", "Bằng A", "12345"},
		[]any{2, "Trần Thị B", "05/03/1985", "Nữ", "Thạc sỹ", "006085001234"},
		nil,
		[]any{3, nil, "05/03/1990", "Nữ", "Đại học", ""},
		[]any{4, "Trần Thị B", "05/03/1985", "Nữ", "ThS", "006085001234"},
		[]any{5, "Lê Văn C", sheettest.Formula("DATE(1980,1,1)"), "Nam", "ĐH", ""},
	))
	r, cat := reader(t)
	b, err := r.ReadAll(context.Background(), []string{dir}, cat)
	if err != nil {
		t.Fatal(err)
	}
	f := b.Files[0]
	if f.Status != ingest.Accepted || len(f.Records) != 5 {
		t.Fatalf("status %s with %d records, want accepted with 5", f.Status, len(f.Records))
	}
	got := map[string]issue.Code{}
	for _, is := range f.Issues {
		got[is.Cell()] = is.Code
	}
	for cell, code := range map[string]issue.Code{"C2": issue.BadDate, "E2": issue.UnknownValue, "F2": issue.BadID,
		"B5": issue.RequiredValue, "F6": issue.DupPerson, "C7": issue.FormulaNoVal} {
		if got[cell] != code {
			t.Errorf("cell %s: %q, want %s (all: %v)", cell, got[cell], code, got)
		}
	}
	if f.Sheets[0].Unit != "UBND xã Mẫu" || f.Sheets[0].UnitSource != "file" {
		t.Errorf("unit %q from %s", f.Sheets[0].Unit, f.Sheets[0].UnitSource)
	}
}
