package sheettest

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// LibreOffice returns the path of LibreOffice's soffice, a reader of workbooks
// independent of excelize; where it is not installed the test is skipped (CI installs
// it), saying that what would have been opened in it was not (what).
func LibreOffice(t testing.TB, what string) string {
	t.Helper()
	for _, name := range []string{"soffice", "libreoffice"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Skipf("LibreOffice (soffice) is not installed: %s was not opened in it", what)
	return ""
}

// Convert has soffice convert the workbook at path to format (a filter: "xlsx",
// "csv:…") into the folder out, with its profile under dir.
func Convert(t testing.TB, soffice, dir, path, format, out string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, soffice, "--headless", "--norestore",
		"-env:UserInstallation=file://"+filepath.Join(dir, "lo-profile"),
		"--convert-to", format, "--outdir", out, path)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("soffice: %v\n%s", err, b)
	}
}

// SheetsAsCSV has soffice convert the workbook at path to CSV, one file per sheet
// (under dir), and returns the CSV of a sheet by its name.
func SheetsAsCSV(t testing.TB, soffice, dir, path string) func(sheet string) string {
	t.Helper()
	out := filepath.Join(dir, "csv")
	// Filter options: comma, double quote, UTF-8, from row 1, ..., and -1: one CSV
	// file per sheet, named after it.
	Convert(t, soffice, dir, path, `csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1`, out)
	base := strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
	return func(sheet string) string {
		t.Helper()
		b, err := os.ReadFile(filepath.Join(out, base+"-"+sheet+".csv"))
		if err != nil {
			entries, _ := os.ReadDir(out)
			t.Fatalf("%v (LibreOffice wrote %v)", err, entries)
		}
		return string(b)
	}
}
