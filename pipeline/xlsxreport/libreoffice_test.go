package xlsxreport_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"canbo/pipeline/internal/sheettest"
	"canbo/pipeline/xlsxreport"
)

// TestOpensInLibreOffice converts the report with a generated list (its texts in the
// shared string table after excelize's own) to CSV with LibreOffice, a reader
// independent of excelize, and checks texts of the list and of a sheet excelize wrote
// itself: a table merged wrongly shows other texts, or none. It is skipped where
// LibreOffice is not installed (CI installs it).
func TestOpensInLibreOffice(t *testing.T) {
	soffice := sheettest.LibreOffice(t, "the report")
	_, cfg, txt := fixture(t)
	s := longLists(t, 300)
	dir := t.TempDir()
	path := filepath.Join(dir, "bao-cao.xlsx")
	if err := xlsxreport.Write(context.Background(), path, s, cfg, txt); err != nil {
		t.Fatal(err)
	}
	read := sheettest.SheetsAsCSV(t, soffice, dir, path)
	list := read("Chưa đạt chuẩn")
	p := s.BelowStandard[295] // a name quoted as it is, far down the list
	for _, want := range []string{`"Lê <Văn> & ""Tư"" 'Út'0"`, "Đặng Thị Hồng Nhung7,", p.Name + ",", p.File, "Trình độ chuyên môn"} {
		if !strings.Contains(list, want) {
			t.Errorf("the list as CSV lacks %q:\n%.2000s", want, list)
		}
	}
	if lines := strings.Count(list, "\n"); lines < len(s.BelowStandard)+4 {
		t.Errorf("the list as CSV has %d lines, want its %d people below the title and header", lines, len(s.BelowStandard))
	}
	targets := read("Chỉ tiêu")
	for _, want := range []string{"KẾT QUẢ THỰC HIỆN CHỈ TIÊU", "Chỉ tiêu"} {
		if !strings.Contains(targets, want) {
			t.Errorf("the targets sheet as CSV lacks %q:\n%.2000s", want, targets)
		}
	}
}
