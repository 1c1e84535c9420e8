package feedback

import (
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"canbo/pipeline/internal/sheettest"
	"canbo/pipeline/issue"
)

// TestOpensInLibreOffice converts a patched workbook to CSV with LibreOffice, a reader
// independent of excelize, and checks a value of the problems sheet and of the
// clerk's sheet. It is skipped where LibreOffice is not installed (CI installs it).
func TestOpensInLibreOffice(t *testing.T) {
	soffice := sheettest.LibreOffice(t, "the patched workbook")
	dir := t.TempDir()
	src := buildSource(t, dir, nil)
	dst := patched(t, src, []issue.Issue{
		iss(issue.BadDate, dataSheet, 5, 3, "Ngày sinh không có thật."),
		iss(issue.UnknownValue, dataSheet, 7, 4, "Giới tính không hợp lệ."),
		iss(issue.RequiredValue, dataSheet, 21, 2, "Thiếu họ tên (ô gộp)."),
		iss(issue.RequiredValue, dataSheet, 40, 9, "Ô chưa có trong tệp."),
	})
	read := sheettest.SheetsAsCSV(t, soffice, dir, dst)
	list := read(DefaultLabels().SheetName)
	for _, want := range []string{"STT", "Ngày sinh không có thật.", "Ô chưa có trong tệp.", "C5"} {
		if !strings.Contains(list, want) {
			t.Errorf("problems sheet as CSV lacks %q:\n%s", want, list)
		}
	}
	data := read(dataSheet)
	for _, want := range []string{"Nguyễn Văn 5", "Phó chủ tịch UBND"} {
		if !strings.Contains(data, want) {
			t.Errorf("%s as CSV lacks %q:\n%s", dataSheet, want, data)
		}
	}

	// Saved again by LibreOffice, the workbook still has the marks and comments: it
	// read the patched styles, comments and drawings.
	again := filepath.Join(dir, "again")
	sheettest.Convert(t, soffice, dir, dst, "xlsx", again)
	f := open(t, filepath.Join(again, filepath.Base(dst)))
	if got := f.GetSheetList()[0]; got != DefaultLabels().SheetName {
		t.Errorf("LibreOffice's first sheet = %q", got)
	}
	cm := comments(t, f, dataSheet)
	for cell, want := range map[string]string{"C5": "Ngày sinh không có thật.", "D7": "Đã kiểm tra", "A20": "ô gộp", "I40": "chưa có"} {
		if len(cm[cell]) != 1 || !strings.Contains(cm[cell][0], want) {
			t.Errorf("after LibreOffice, %s comments = %q, want %q", cell, cm[cell], want)
		}
	}
	for _, cell := range []string{"C5", "D7", "A20", "I40"} {
		if got := rawFill(t, filepath.Join(again, filepath.Base(dst)), "xl/worksheets/sheet2.xml", cell); got != errorFill {
			t.Errorf("after LibreOffice, %s fill = %q, want %q", cell, got, errorFill)
		}
	}
}

// rawFill is the fgColor of a cell's fill, read from the XML: excelize's GetStyle
// does not report the fills LibreOffice writes (no applyFill attribute).
func rawFill(t testing.TB, path, sheetPart, cell string) string {
	t.Helper()
	m := regexp.MustCompile(`<c r="` + cell + `"[^>]*? s="(\d+)"`).FindSubmatch(zipPart(t, path, sheetPart))
	if m == nil {
		return ""
	}
	xf, _ := strconv.Atoi(string(m[1]))
	styles := zipPart(t, path, "xl/styles.xml")
	xfs := regexp.MustCompile(`(?s)<cellXfs.*?</cellXfs>`).Find(styles)
	list := regexp.MustCompile(`<xf [^>]*?fillId="(\d+)"`).FindAllSubmatch(xfs, -1)
	if xf >= len(list) {
		return ""
	}
	fill, _ := strconv.Atoi(string(list[xf][1]))
	fills := regexp.MustCompile(`(?s)<fill>.*?</fill>`).FindAll(regexp.MustCompile(`(?s)<fills.*?</fills>`).Find(styles), -1)
	if fill >= len(fills) {
		return ""
	}
	if c := regexp.MustCompile(`fgColor rgb="FF([0-9A-F]{6})"`).FindSubmatch(fills[fill]); c != nil {
		return string(c[1])
	}
	return ""
}
