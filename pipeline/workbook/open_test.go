package workbook

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"canbo/pipeline/issue"
)

// smallExcelize writes a one-sheet workbook with excelize and returns its bytes.
func smallExcelize(t testing.TB, opts ...excelize.Options) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for cell, v := range map[string]any{"A1": "Họ và tên", "B1": "Ngày sinh", "A2": "Nguyễn Văn A", "B2": 12.5} {
		if err := f.SetCellValue("Sheet1", cell, v); err != nil {
			t.Fatal(err)
		}
	}
	p := filepath.Join(t.TempDir(), "small.xlsx")
	if err := f.SaveAs(p, opts...); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// TestOpenFormats checks that the format is recognised from content: the file name
// given to Open is deliberately misleading in several cases.
func TestOpenFormats(t *testing.T) {
	xlsx := smallExcelize(t)
	encrypted := smallExcelize(t, excelize.Options{Password: "x"})
	rels := func(target string) zpart {
		return zpart{"_rels/.rels", `<Relationships xmlns="` + nsPkg + `"><Relationship Id="rId1" Type="` + nsRel + `/officeDocument" Target="` + target + `"/></Relationships>`}
	}
	truncated := xlsx[:len(xlsx)/2]
	chartOnly := zipOf(t, false,
		rels("xl/workbook.xml"),
		zpart{"xl/workbook.xml", `<workbook xmlns="` + nsMain + `" xmlns:r="` + nsRel + `"><sheets><sheet name="Chart1" sheetId="1" r:id="rId1"/></sheets></workbook>`},
		zpart{"xl/_rels/workbook.xml.rels", `<Relationships xmlns="` + nsPkg + `"><Relationship Id="rId1" Type="` + nsRel + `/chartsheet" Target="chartsheets/sheet1.xml"/></Relationships>`},
		zpart{"xl/chartsheets/sheet1.xml", `<chartsheet xmlns="` + nsMain + `"/>`},
	)

	tests := []struct {
		name   string // file name given to Open (the extension is not trusted)
		data   []byte
		code   issue.Code
		format string
	}{
		{"real.xlsx", xlsx, "", ""},
		{"renamed.xls", xlsx, "", ""},
		{"no-extension", xlsx, "", ""},
		{"password.xlsx", encrypted, issue.Encrypted, ""},
		{"ole-encrypted.xlsx", oleFile("EncryptionInfo", "EncryptedPackage"), issue.Encrypted, ""},
		{"excel97.xls", oleWith("Workbook", xlsBookSpec{sheets: []xlsSheetSpec{{name: "DS", records: rkRec(0, 0, 0, 6)}}}.stream()), "", ""},
		{"excel97-renamed.xlsx", oleWith("Workbook", xlsBookSpec{sheets: []xlsSheetSpec{{name: "DS"}}}.stream()), "", ""},
		{"excel97-empty-stream.xls", oleFile("Workbook", "\x05SummaryInformation"), issue.Corrupt, ""},
		{"excel97-encrypted.xls", oleWith("Workbook", xlsBookSpec{filePass: true, sheets: []xlsSheetSpec{{name: "DS"}}}.stream()), issue.Encrypted, ""},
		{"excel95-in-workbook-stream.xls", oleWith("Workbook", xlsBookSpec{version: 0x0500, sheets: []xlsSheetSpec{{name: "DS"}}}.stream()), issue.LegacyFormat, "xls5"},
		{"excel95.xls", oleFile("Book"), issue.LegacyFormat, "xls5"},
		{"word97.xls", oleFile("WordDocument"), issue.NotWorkbook, ""},
		{"broken-ole.xls", oleMagic, issue.Corrupt, ""},
		{"binary.xlsx", zipOf(t, false, rels("xl/workbook.bin"), zpart{"xl/workbook.bin", "\x83\x01\x00"}), issue.LegacyFormat, "xlsb"},
		{"binary-renamed.xlsb", zipOf(t, false, rels("xl/wb.bin"), zpart{"xl/wb.bin", "\x83\x01\x00"}), issue.LegacyFormat, "xlsb"},
		{"calc.xlsx", zipOf(t, false, zpart{"mimetype", "application/vnd.oasis.opendocument.spreadsheet"}, zpart{"content.xml", "<office:document-content/>"}), issue.LegacyFormat, "ods"},
		{"writer.xlsx", zipOf(t, false, zpart{"mimetype", "application/vnd.oasis.opendocument.text"}, zpart{"content.xml", "<x/>"}), issue.NotWorkbook, ""},
		{"letter.xlsx", zipOf(t, false, rels("word/document.xml"), zpart{"word/document.xml", `<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body/></w:document>`}), issue.NotWorkbook, ""},
		{"photos.xlsx", zipOf(t, false, zpart{"a.jpg", "\xff\xd8"}), issue.NotWorkbook, ""},
		{"missing-main.xlsx", zipOf(t, false, rels("xl/workbook.xml")), issue.Corrupt, ""},
		{"web.xls", []byte("\xef\xbb\xbf<html xmlns:x=\"urn:schemas-microsoft-com:office:excel\"><body><table><tr><td>1</td></tr></table></body></html>"), issue.LegacyFormat, "html"},
		{"web16.xls", utf16le("<HTML><TABLE><TR><TD>1</TD></TR></TABLE></HTML>"), issue.LegacyFormat, "html"},
		{"single-file-web.xls", []byte("MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary=\"x\"\r\n\r\n--x\r\n"), issue.LegacyFormat, "html"},
		{"xml2003.xls", []byte(`<?xml version="1.0"?><?mso-application progid="Excel.Sheet"?><Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"><Worksheet ss:Name="S"/></Workbook>`), issue.LegacyFormat, "xml2003"},
		{"data.csv.xlsx", []byte("STT,Họ và tên\n1,Nguyễn Văn A\n"), issue.NotWorkbook, ""},
		{"noise.xlsx", []byte{0x00, 0x01, 0x02, 0xff, 'P', 'K'}, issue.NotWorkbook, ""},
		{"empty.xlsx", nil, issue.EmptyWorkbook, ""},
		{"truncated.xlsx", truncated, issue.Corrupt, ""},
		{"charts-only.xlsx", chartOnly, issue.EmptyWorkbook, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := writeFile(t, tc.name, tc.data)
			b, err := Open(context.Background(), p, Limits{})
			if got := codeOf(t, err); got != tc.code {
				t.Fatalf("code = %q, want %q (err %v)", got, tc.code, err)
			}
			if err != nil {
				var we *Error
				errors.As(err, &we)
				if we.Args["format"] != tc.format {
					t.Errorf("format = %q, want %q", we.Args["format"], tc.format)
				}
				return
			}
			defer b.Close()
			if got := len(b.Sheets()); got != 1 {
				t.Errorf("%d sheets, want 1", got)
			}
		})
	}
}

func utf16le(s string) []byte {
	out := []byte{0xFF, 0xFE}
	for _, c := range s {
		out = append(out, byte(c), 0)
	}
	return out
}

type failingReaderAt struct{}

func (failingReaderAt) ReadAt([]byte, int64) (int, error) { return 0, errors.New("I/O error on disk") }

// failAfter serves the first n bytes of data and then fails, like a disk that dies
// while a sheet is read.
type failAfter struct {
	data []byte
	n    int64
}

func (f *failAfter) ReadAt(p []byte, off int64) (int, error) {
	if off+int64(len(p)) > f.n {
		return 0, errors.New("EIO")
	}
	return bytes.NewReader(f.data).ReadAt(p, off)
}

func TestOpenReadFailed(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	for name, open := range map[string]func() error{
		"missing file": func() error { _, err := Open(ctx, filepath.Join(dir, "nope.xlsx"), Limits{}); return err },
		"directory":    func() error { _, err := Open(ctx, dir, Limits{}); return err },
		"failing disk": func() error {
			_, err := OpenReaderAt(ctx, failingReaderAt{}, 4096, "x.xlsx", Limits{})
			return err
		},
	} {
		if got := codeOf(t, open()); got != issue.ReadFailed {
			t.Errorf("%s: code %q, want %q", name, got, issue.ReadFailed)
		}
	}

	// A disk failing while a sheet is read is ReadFailed too, not Corrupt. The sheet
	// part is stored last and is large, so Open succeeds on the prefix.
	var data strings.Builder
	for i := 1; i <= 3000; i++ {
		data.WriteString(`<row r="` + strconv.Itoa(i) + `"><c><v>` + strconv.Itoa(i) + `</v></c></row>`)
	}
	raw := pkg{sheets: []string{ws(data.String(), "")}, stored: true}.bytes(t)
	zr, _ := zip.NewReader(bytes.NewReader(raw), int64(len(raw)))
	var sheetOff int64
	for _, f := range zr.File {
		if f.Name == "xl/worksheets/sheet1.xml" {
			sheetOff, _ = f.DataOffset()
		}
	}
	fa := &failAfter{data: raw, n: int64(len(raw))}
	b, err := OpenReaderAt(ctx, fa, int64(len(raw)), "x.xlsx", Limits{})
	if err != nil {
		t.Fatal(err)
	}
	fa.n = sheetOff + 100
	if _, err := b.Rows(ctx, 0); codeOf(t, err) != issue.ReadFailed {
		t.Errorf("Rows on a failing disk: %v, want %s", err, issue.ReadFailed)
	}
}

func TestOpenTooLargeFile(t *testing.T) {
	data := smallExcelize(t)
	_, err := openBytes(t, data, Limits{MaxFileSize: 1024})
	if codeOf(t, err) != issue.TooLarge {
		t.Fatalf("err = %v, want TooLarge", err)
	}
	var we *Error
	errors.As(err, &we)
	if we.Args["limit"] != "1 KB" || we.Args["what"] != "file" {
		t.Errorf("args = %v", we.Args)
	}
	if got := humanBytes(DefaultLimits.MaxFileSize); got != "200 MB" {
		t.Errorf("default limit renders as %q", got)
	}
}

func TestHumanBytes(t *testing.T) {
	for n, want := range map[int64]string{
		100: "100 bytes", 1024: "1 KB", 1536: "1.5 KB", 200 << 20: "200 MB", 1 << 30: "1 GB", 2 << 30: "2 GB", 10 << 30: "10 GB",
	} {
		if got := humanBytes(n); got != want {
			t.Errorf("humanBytes(%d) = %q, want %q", n, got, want)
		}
	}
	if got := formatCount(5_000_000); got != "5,000,000" {
		t.Errorf("formatCount = %q", got)
	}
}

func TestLimitsDefaults(t *testing.T) {
	if got := (Limits{MaxRows: 10}).withDefaults(); got.MaxRows != 10 || got.MaxColumns != 512 || got.MaxFileSize != 200<<20 {
		t.Errorf("withDefaults = %+v", got)
	}
}

func TestSheetsAndClose(t *testing.T) {
	f := excelize.NewFile()
	for _, name := range []string{"Danh sách", "Ẩn", "Rất ẩn"} {
		if _, err := f.NewSheet(name); err != nil {
			t.Fatal(err)
		}
	}
	f.DeleteSheet("Sheet1")
	must(t, f.SetSheetVisible("Ẩn", false))
	must(t, f.SetSheetVisible("Rất ẩn", false, true))
	must(t, f.SetCellValue("Danh sách", "A1", "x"))
	p := filepath.Join(t.TempDir(), "sheets.xlsx")
	must(t, f.SaveAs(p))

	b, err := Open(context.Background(), p, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	want := []SheetInfo{{0, "Danh sách", false}, {1, "Ẩn", true}, {2, "Rất ẩn", true}}
	got := b.Sheets()
	if len(got) != len(want) {
		t.Fatalf("sheets = %+v", got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("sheet %d = %+v, want %+v", i, got[i], want[i])
		}
	}
	if _, err := b.Rows(context.Background(), 3); err == nil {
		t.Error("Rows(3) on a 3-sheet book succeeded")
	}
	must(t, b.Close())
	must(t, b.Close())
	if _, err := b.Rows(context.Background(), 0); codeOf(t, err) != issue.ReadFailed {
		t.Errorf("Rows after Close: %v", err)
	}
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// TestEncryptedZipEntry covers a zip whose workbook part uses zip encryption (flag
// bit 0), as some archivers produce: it is reported as encrypted, not corrupt.
func TestEncryptedZipEntry(t *testing.T) {
	parts := pkg{sheets: []string{ws("", "")}}.parts()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, p := range parts {
		h := &zip.FileHeader{Name: p.name, Method: zip.Store}
		if p.name == "xl/workbook.xml" {
			h.Flags |= 0x1
		}
		w, err := zw.CreateHeader(h)
		must(t, err)
		io.WriteString(w, p.body)
	}
	must(t, zw.Close())
	if _, err := openBytes(t, buf.Bytes(), Limits{}); codeOf(t, err) != issue.Encrypted {
		t.Errorf("err = %v, want Encrypted", err)
	}
}

func TestResolveTarget(t *testing.T) {
	for _, tc := range []struct{ source, target, want string }{
		{"", "xl/workbook.xml", "xl/workbook.xml"},
		{"", "/xl/workbook.xml", "xl/workbook.xml"},
		{"xl/workbook.xml", "worksheets/sheet1.xml", "xl/worksheets/sheet1.xml"},
		{"xl/workbook.xml", "/xl/worksheets/sheet1.xml", "xl/worksheets/sheet1.xml"},
		{"xl/workbook.xml", "../xl/worksheets/sheet1.xml", "xl/worksheets/sheet1.xml"},
		{"xl/workbook.xml", "./worksheets/sheet%201.xml", "xl/worksheets/sheet 1.xml"},
		{"xl/workbook.xml", `worksheets\sheet1.xml`, "xl/worksheets/sheet1.xml"},
		{"xl/workbook.xml", "../../../etc/passwd", "etc/passwd"},
	} {
		if got := ResolveTarget(tc.source, tc.target); got != tc.want {
			t.Errorf("ResolveTarget(%q, %q) = %q, want %q", tc.source, tc.target, got, tc.want)
		}
	}
	if got := RelsPart("xl/workbook.xml"); got != "xl/_rels/workbook.xml.rels" {
		t.Errorf("RelsPart = %q", got)
	}
}

// TestBrokenSheetReferences: a sheet whose relationship is missing, or points at a
// missing part, is listed but reading it reports Corrupt; other sheets stay readable.
func TestBrokenSheetReferences(t *testing.T) {
	parts := pkg{names: []string{"ok", "gone", "norel"}, sheets: []string{ws(`<row r="1"><c><v>1</v></c></row>`, ""), ws("", ""), ws("", "")}}.parts()
	var kept []zpart
	for _, p := range parts {
		switch p.name {
		case "xl/worksheets/sheet2.xml":
			continue
		case "xl/_rels/workbook.xml.rels":
			p.body = strings.Replace(p.body, `Id="rId3"`, `Id="rIdX"`, 1)
		}
		kept = append(kept, p)
	}
	b := mustOpen(t, zipOf(t, false, kept...), Limits{})
	if n := len(b.Sheets()); n != 3 {
		t.Fatalf("%d sheets", n)
	}
	if rows, r := readSheet(t, b, 0); r.Err() != nil || len(rows) != 1 {
		t.Errorf("sheet ok: %v %v", rows, r.Err())
	}
	for _, i := range []int{1, 2} {
		if _, err := b.Rows(context.Background(), i); codeOf(t, err) != issue.Corrupt {
			t.Errorf("sheet %d: %v, want Corrupt", i, err)
		}
	}
}

// TestOldBIFF: worksheets saved by Excel 2.x, 3.0 and 4.0 (a raw BIFF stream, no
// compound file) are a legacy format to re-save, not "not an Excel workbook".
func TestOldBIFF(t *testing.T) {
	for name, head := range map[string][]byte{
		"Excel 3.0": {0x09, 0x02, 0x06, 0x00, 0x00, 0x00, 0x10, 0x00, 0x00, 0x00},
		"Excel 4.0": {0x09, 0x04, 0x06, 0x00, 0x00, 0x00, 0x10, 0x00, 0x00, 0x00},
		"Excel 2.x": {0x09, 0x00, 0x04, 0x00, 0x02, 0x00, 0x10, 0x00},
	} {
		path := filepath.Join(t.TempDir(), "old.xls")
		if err := os.WriteFile(path, append(head, make([]byte, 64)...), 0o644); err != nil {
			t.Fatal(err)
		}
		_, err := Open(context.Background(), path, Limits{})
		var we *Error
		if !errors.As(err, &we) || we.Code != issue.LegacyFormat || we.Args["format"] != "xls4" {
			t.Errorf("%s: %v, want a legacy format (xls4)", name, err)
		}
	}
}
