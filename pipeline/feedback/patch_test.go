package feedback

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"canbo/pipeline/issue"
)

// zipPart returns one part of a package, inflated.
func zipPart(t testing.TB, path, part string) []byte {
	t.Helper()
	zr, err := zip.OpenReader(path)
	must(t, err)
	defer zr.Close()
	for _, zf := range zr.File {
		if zf.Name == part {
			rc, err := zf.Open()
			must(t, err)
			defer rc.Close()
			data, err := io.ReadAll(rc)
			must(t, err)
			return data
		}
	}
	t.Fatalf("%s has no part %s", path, part)
	return nil
}

// patched runs the zip patcher alone, so a test fails rather than silently passing
// through the excelize fallback.
func patched(t testing.TB, src string, issues []issue.Issue) string {
	t.Helper()
	dst := filepath.Join(t.TempDir(), "phan-hoi"+filepath.Ext(src))
	if err := patchWorkbook(context.Background(), src, dst, issues, DefaultLabels(), newScratch()); err != nil {
		t.Fatalf("patchWorkbook: %v", err)
	}
	wellFormed(t, dst)
	return dst
}

// The source of the other tests is patched, not rebuilt by the fallback.
func TestPatchHandlesSource(t *testing.T) {
	src := buildSource(t, t.TempDir(), nil)
	patched(t, src, []issue.Issue{
		iss(issue.BadDate, dataSheet, 5, 3, "Ngày sai."),
		iss(issue.RequiredValue, dataSheet, 40, 9, "Ô chưa có trong tệp."),
	})
}

var rowRE = regexp.MustCompile(`<row r="(\d+)"[^>]*?(?:/>|>.*?</row>)`)

// Cells without a mark keep their exact XML: a sheet with no mark is copied byte for
// byte, and in a marked sheet every row without a mark is unchanged.
func TestPatchKeepsUnmarkedXML(t *testing.T) {
	src := buildSource(t, t.TempDir(), nil)
	dst := patched(t, src, []issue.Issue{
		iss(issue.BadDate, dataSheet, 5, 3, "Ngày sai."),
		iss(issue.UnknownValue, dataSheet, 12, 5, "Chức vụ lạ."),
	})
	before, after := zipPart(t, src, "xl/worksheets/sheet2.xml"), zipPart(t, dst, "xl/worksheets/sheet2.xml")
	if !bytes.Equal(before, after) {
		t.Errorf("unmarked sheet changed:\n before %s\n after  %s", before, after)
	}
	rows := func(data []byte) map[string]string {
		out := map[string]string{}
		for _, m := range rowRE.FindAllSubmatch(data, -1) {
			out[string(m[1])] = string(m[0])
		}
		return out
	}
	b, a := rows(zipPart(t, src, "xl/worksheets/sheet1.xml")), rows(zipPart(t, dst, "xl/worksheets/sheet1.xml"))
	if len(b) == 0 || len(a) != len(b) {
		t.Fatalf("%d rows before, %d after", len(b), len(a))
	}
	for r, x := range b {
		if r == "5" || r == "12" {
			if x == a[r] {
				t.Errorf("marked row %s unchanged", r)
			}
			continue
		}
		if x != a[r] {
			t.Errorf("row %s changed:\n before %s\n after  %s", r, x, a[r])
		}
	}
}

// mergedSource writes a roster of n rows whose columns A:B are merged on every row:
// n merged ranges. The sheet XML is written directly; excelize's MergeCell is
// quadratic in the number of ranges.
func mergedSource(t testing.TB, dir string, n int) string {
	t.Helper()
	var b bytes.Buffer
	b.WriteString(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n")
	b.WriteString(`<worksheet xmlns="` + nsMain + `" xmlns:r="` + nsRel + `"><sheetViews><sheetView tabSelected="1" workbookViewId="0"/></sheetViews><sheetData>`)
	for r := 1; r <= n; r++ {
		fmt.Fprintf(&b, `<row r="%d"><c r="A%d" t="inlineStr"><is><t>Người %d</t></is></c><c r="B%d"/><c r="C%d"><v>%d</v></c></row>`, r, r, r, r, r, r)
	}
	fmt.Fprintf(&b, `</sheetData><mergeCells count="%d">`, n)
	for r := 1; r <= n; r++ {
		fmt.Fprintf(&b, `<mergeCell ref="A%d:B%d"/>`, r, r)
	}
	b.WriteString(`</mergeCells><pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/></worksheet>`)
	return rawSheetBook(t, dir, "gop.xlsx", b.Bytes())
}

// rawSheetBook writes a one-sheet workbook named name whose Sheet1 part is sheet,
// for sheets excelize cannot make (or makes too slowly).
func rawSheetBook(t testing.TB, dir, name string, sheet []byte) string {
	t.Helper()
	f := excelize.NewFile()
	must(t, f.SetCellStr("Sheet1", "A1", "Họ và tên"))
	path := filepath.Join(dir, name)
	must(t, f.SaveAs(path))
	f.Close()
	rewritePart(t, path, "xl/worksheets/sheet1.xml", func([]byte) []byte { return sheet })
	return path
}

// A sheet with 50,000 merged ranges: marks inside a range go on its top-left cell.
func TestPatchManyMerges(t *testing.T) {
	const n = 50_000
	src := mergedSource(t, t.TempDir(), n)
	issues := []issue.Issue{
		iss(issue.RequiredValue, "Sheet1", 100, 2, "Thiếu tên (ô gộp)."),
		iss(issue.BadDate, "Sheet1", 49_999, 2, "Sai ở dòng gần cuối."),
		iss(issue.BadDate, "Sheet1", 30_000, 3, "Ô không gộp."),
	}
	dst := filepath.Join(t.TempDir(), "phan-hoi.xlsx")
	must(t, Write(context.Background(), src, dst, issues, DefaultLabels()))
	wellFormed(t, dst)
	sheet := zipPart(t, dst, "xl/worksheets/sheet1.xml")
	for _, ref := range []string{"A100", "A49999", "C30000"} {
		if !regexp.MustCompile(`<c r="` + ref + `"[^>]* s="\d+"`).Match(sheet) {
			t.Errorf("%s is not marked", ref)
		}
	}
	for _, ref := range []string{"B100", "B49999"} {
		if regexp.MustCompile(`<c r="` + ref + `"[^>]* s=`).Match(sheet) {
			t.Errorf("%s, hidden by its merge, is marked", ref)
		}
	}
	cm := string(zipPart(t, dst, "xl/comments1.xml"))
	for _, ref := range []string{"A100", "A49999", "C30000"} {
		if !strings.Contains(cm, `ref="`+ref+`"`) {
			t.Errorf("no comment on %s", ref)
		}
	}
	if got := strings.Count(string(sheet), "<mergeCell "); got != n {
		t.Errorf("%d merged ranges after, want %d", got, n)
	}
}

// A clerk's comment on a marked cell is merged under ours: one comment, one box.
func TestPatchExistingComment(t *testing.T) {
	src := buildSource(t, t.TempDir(), nil)
	dst := patched(t, src, []issue.Issue{iss(issue.UnknownValue, dataSheet, 7, 4, "Giới tính không hợp lệ.")})
	f := open(t, dst)
	cm := comments(t, f, dataSheet)
	d7 := cm["D7"]
	if len(d7) != 1 || !strings.HasPrefix(d7[0], "canbo:\nGiới tính không hợp lệ.") || !strings.HasSuffix(d7[0], "Đã kiểm tra") {
		t.Errorf("D7 comments = %q", d7)
	}
	vml := string(zipPart(t, dst, "xl/drawings/vmlDrawing1.vml"))
	if got := strings.Count(vml, "<x:Row>6</x:Row><x:Column>3</x:Column>"); got != 1 {
		t.Errorf("D7 has %d comment boxes, want 1", got)
	}
	if got := strings.Count(vml, `ObjectType="Note"`); got != 1 {
		t.Errorf("%d comment boxes, want 1", got)
	}
}

// Sheet-scoped names keep pointing at their sheets once the problems sheet is
// inserted before them; workbook-wide names stay workbook-wide.
func TestPatchDefinedNames(t *testing.T) {
	src := buildSource(t, t.TempDir(), func(f *excelize.File) {
		must(t, f.SetDefinedName(&excelize.DefinedName{Name: "_xlnm.Print_Titles", RefersTo: "'Danh sách CB'!$1:$1", Scope: otherSheet}))
		must(t, f.SetDefinedName(&excelize.DefinedName{Name: "DanhMuc", RefersTo: "'Danh sách CB'!$A$2:$B$3", Scope: otherSheet}))
		must(t, f.SetDefinedName(&excelize.DefinedName{Name: "DanhMuc", RefersTo: "DS!$A$5:$A$30", Scope: dataSheet}))
		must(t, f.SetDefinedName(&excelize.DefinedName{Name: "ToanBo", RefersTo: "DS!$A$4:$E$30"}))
	})
	want := map[string]string{}
	for _, dn := range open(t, src).GetDefinedName() {
		want[dn.Name+" "+dn.RefersTo] = dn.Scope
	}
	dst := patched(t, src, []issue.Issue{iss(issue.BadDate, otherSheet, 2, 1, "Mã sai.")})
	f := open(t, dst)
	got := map[string]string{}
	for _, dn := range f.GetDefinedName() {
		if dn.Name != "_xlnm._FilterDatabase" {
			got[dn.Name+" "+dn.RefersTo] = dn.Scope
		}
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("defined names:\n got %v\nwant %v", got, want)
	}
	wb := string(zipPart(t, dst, "xl/workbook.xml"))
	if !strings.Contains(wb, `<definedName name="_xlnm._FilterDatabase" localSheetId="0" hidden="1">`) {
		t.Errorf("no filter range for the problems sheet: %s", wb)
	}
	if strings.Contains(wb, "activeTab=") || strings.Contains(wb, "firstSheet=") {
		t.Errorf("workbook view still names an old tab: %s", wb)
	}
	// Only the problems sheet is selected, so typing does not go to a group.
	for _, part := range []string{"xl/worksheets/sheet1.xml", "xl/worksheets/sheet2.xml", "xl/chartsheets/sheet3.xml"} {
		if bytes.Contains(zipPart(t, dst, part), []byte("tabSelected")) {
			t.Errorf("%s is still selected", part)
		}
	}
}

// fakeVBA is an OLE signature and some bytes: enough for excelize to add it, and a
// macro project no test runs.
var fakeVBA = append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, bytes.Repeat([]byte("vba\x00\x01"), 2000)...)

// A macro-enabled workbook keeps its macros byte for byte and its content type.
func TestPatchKeepsMacros(t *testing.T) {
	dir := t.TempDir()
	src := buildSource(t, dir, nil)
	xlsm := filepath.Join(dir, "co-macro.xlsm")
	f, err := excelize.OpenFile(src)
	must(t, err)
	must(t, f.AddVBAProject(fakeVBA))
	must(t, f.SaveAs(xlsm))
	f.Close()
	dst := patched(t, xlsm, []issue.Issue{iss(issue.BadDate, dataSheet, 5, 3, "Ngày sai.")})
	if got := zipPart(t, dst, "xl/vbaProject.bin"); !bytes.Equal(got, zipPart(t, xlsm, "xl/vbaProject.bin")) {
		t.Error("vbaProject.bin changed")
	}
	ct := string(zipPart(t, dst, "[Content_Types].xml"))
	if !strings.Contains(ct, "sheet.macroEnabled.main+xml") || !strings.Contains(ct, "vnd.ms-office.vbaProject") {
		t.Errorf("content types lost the macros: %s", ct)
	}
	// The stored entry itself is copied, not recompressed.
	raw := func(path string) []byte {
		zr, err := zip.OpenReader(path)
		must(t, err)
		defer zr.Close()
		for _, zf := range zr.File {
			if zf.Name == "xl/vbaProject.bin" {
				r, err := zf.OpenRaw()
				must(t, err)
				b, err := io.ReadAll(r)
				must(t, err)
				return b
			}
		}
		return nil
	}
	if !bytes.Equal(raw(dst), raw(xlsm)) {
		t.Error("vbaProject.bin was recompressed")
	}
}

// A workbook the patcher does not understand (here, rows out of order) still gets
// its feedback, through excelize.
func TestPatchFallsBack(t *testing.T) {
	src := buildSource(t, t.TempDir(), nil)
	rewritePart(t, src, "xl/worksheets/sheet2.xml", func(b []byte) []byte {
		rows := rowRE.FindAll(b, -1)
		if len(rows) < 2 {
			t.Fatalf("sheet2 has %d rows", len(rows))
		}
		b = bytes.Replace(b, rows[0], []byte("\x00"), 1)
		b = bytes.Replace(b, rows[1], rows[0], 1)
		return bytes.Replace(b, []byte("\x00"), rows[1], 1)
	})
	is := []issue.Issue{iss(issue.RequiredValue, otherSheet, 3, 2, "Thiếu tên.")}
	err := patchWorkbook(context.Background(), src, filepath.Join(t.TempDir(), "x.xlsx"), is, DefaultLabels(), newScratch())
	var nh *notHandled
	if !errors.As(err, &nh) {
		t.Fatalf("patchWorkbook on rows out of order: err = %v, want notHandled", err)
	}
	dst := filepath.Join(t.TempDir(), "phan-hoi.xlsx")
	must(t, Write(context.Background(), src, dst, is, DefaultLabels()))
	if got := fillColour(cellStyle(t, open(t, dst), otherSheet, "B3")); got != errorFill {
		t.Errorf("B3 fill = %q after the fallback", got)
	}
}

// A part declaring more than the limit is refused before anything is inflated.
func TestPatchRefusesHugePart(t *testing.T) {
	src := buildSource(t, t.TempDir(), nil)
	data, err := os.ReadFile(src)
	must(t, err)
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	must(t, err)
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, zf := range zr.File {
		if zf.Name != "xl/worksheets/sheet1.xml" {
			must(t, zw.Copy(zf))
			continue
		}
		// A tiny deflate stream claiming 2 GB: a zip bomb's header.
		payload := []byte{0x03, 0x00} // an empty final deflate block
		w, err := zw.CreateRaw(&zip.FileHeader{
			Name: zf.Name, Method: zip.Deflate, CRC32: crc32.ChecksumIEEE(nil),
			CompressedSize64: uint64(len(payload)), UncompressedSize64: 2 << 30,
		})
		must(t, err)
		_, err = w.Write(payload)
		must(t, err)
	}
	must(t, zw.Close())
	bomb := filepath.Join(t.TempDir(), "bom.xlsx")
	must(t, os.WriteFile(bomb, buf.Bytes(), 0o644))
	err = Write(context.Background(), bomb, filepath.Join(t.TempDir(), "o.xlsx"),
		[]issue.Issue{iss(issue.BadDate, dataSheet, 5, 3, "x")}, DefaultLabels())
	if err == nil || !strings.Contains(err.Error(), "declares") {
		t.Errorf("err = %v, want the part refused for its declared size", err)
	}
}

// BenchmarkWriteSparse writes feedback for a 5,000-row roster with 100 problems, the
// usual shape of a unit's file.
func BenchmarkWriteSparse(b *testing.B) {
	dir := b.TempDir()
	src := buildLarge(b, dir, 5000)
	var issues []issue.Issue
	for i := range 100 {
		is := iss(issue.BadDate, "Sheet1", 2+i*50, 3+i%4, fmt.Sprintf("Ô dòng %d cần sửa.", 2+i*50))
		if i%3 == 0 {
			is.Severity = issue.Warning
		}
		issues = append(issues, is)
	}
	dst := filepath.Join(dir, "fb.xlsx")
	b.ReportAllocs()
	for b.Loop() {
		if err := Write(context.Background(), src, dst, issues, DefaultLabels()); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkWriteMerges writes feedback for a sheet with 50,000 merged ranges and a
// few problems inside them.
func BenchmarkWriteMerges(b *testing.B) {
	dir := b.TempDir()
	src := mergedSource(b, dir, 50_000)
	var issues []issue.Issue
	for _, r := range []int{10, 1000, 25_000, 49_990} {
		issues = append(issues, iss(issue.RequiredValue, "Sheet1", r, 2, "Thiếu tên."))
	}
	dst := filepath.Join(dir, "fb.xlsx")
	b.ReportAllocs()
	for b.Loop() {
		if err := Write(context.Background(), src, dst, issues, DefaultLabels()); err != nil {
			b.Fatal(err)
		}
	}
}

// docProps/app.xml as Excel writes it lists the new sheet first among the worksheets;
// a layout it does not recognise is left alone.
func TestPatchApp(t *testing.T) {
	app := `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n" +
		`<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" ` +
		`xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"><Application>Microsoft Excel</Application>` +
		`<HeadingPairs><vt:vector size="4" baseType="variant"><vt:variant><vt:lpstr>Worksheets</vt:lpstr></vt:variant>` +
		`<vt:variant><vt:i4>2</vt:i4></vt:variant><vt:variant><vt:lpstr>Named Ranges</vt:lpstr></vt:variant>` +
		`<vt:variant><vt:i4>1</vt:i4></vt:variant></vt:vector></HeadingPairs>` +
		`<TitlesOfParts><vt:vector size="3" baseType="lpstr"><vt:lpstr>DS</vt:lpstr><vt:lpstr>Danh sách CB</vt:lpstr>` +
		`<vt:lpstr>DS!Print_Area</vt:lpstr></vt:vector></TitlesOfParts></Properties>`
	got := string(patchApp([]byte(app), "DS", "Lỗi & sửa"))
	for _, want := range []string{
		`<vt:i4>3</vt:i4></vt:variant><vt:variant><vt:lpstr>Named Ranges`,
		`<vt:vector size="4" baseType="lpstr"><vt:lpstr>Lỗi &amp; sửa</vt:lpstr><vt:lpstr>DS</vt:lpstr>`,
		`<vt:i4>1</vt:i4>`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("app.xml lacks %s:\n%s", want, got)
		}
	}
	if other := string(patchApp([]byte(app), "Khác", "Lỗi")); other != app {
		t.Errorf("app.xml of another layout changed:\n%s", other)
	}
}
