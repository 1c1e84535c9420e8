package xlsxreport_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"canbo/pipeline/xlsxreport"
)

// TestOpensInLibreOffice converts the report with a generated list (its texts in the
// shared string table after excelize's own) to CSV with LibreOffice, a reader
// independent of excelize, and checks texts of the list and of a sheet excelize wrote
// itself: a table merged wrongly shows other texts, or none. It is skipped where
// LibreOffice is not installed (CI installs it).
func TestOpensInLibreOffice(t *testing.T) {
	soffice := ""
	for _, name := range []string{"soffice", "libreoffice"} {
		if p, err := exec.LookPath(name); err == nil {
			soffice = p
			break
		}
	}
	if soffice == "" {
		t.Skip("LibreOffice (soffice) is not installed: the report was not opened in it")
	}
	_, cfg, txt := fixture(t)
	s := longLists(t, 300)
	dir := t.TempDir()
	path := filepath.Join(dir, "bao-cao.xlsx")
	if err := xlsxreport.Write(context.Background(), path, s, cfg, txt); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "csv")
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	// Filter options: comma, double quote, UTF-8, from row 1, ..., and -1: one CSV
	// file per sheet, named after it.
	cmd := exec.CommandContext(ctx, soffice, "--headless", "--norestore",
		"-env:UserInstallation=file://"+filepath.Join(dir, "lo-profile"),
		"--convert-to", `csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1`,
		"--outdir", out, path)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("soffice: %v\n%s", err, b)
	}
	read := func(sheet string) string {
		b, err := os.ReadFile(filepath.Join(out, "bao-cao-"+sheet+".csv"))
		if err != nil {
			entries, _ := os.ReadDir(out)
			t.Fatalf("%v (LibreOffice wrote %v)", err, entries)
		}
		return string(b)
	}
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
