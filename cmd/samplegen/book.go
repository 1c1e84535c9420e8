package main

// Small helpers around excelize: styled cells by (col,row), text transforms (NFC/NFD),
// and saving with the formula fix-up described in fixFormulaTypes.

import (
	"archive/zip"
	"bytes"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/unicode/norm"
)

type styles struct {
	plain, left, center, bold, boldCenter, italicCenter, title, motto, header, headerWrap, cell, cellCenter, cellText, cellDate, dateOnly, group, total int
}

type book struct {
	f     *excelize.File
	tx    func(string) string // NFC (identity) or NFD for L5
	st    styles
	r     *rand.Rand
	sheet string // current sheet
	fresh bool   // "Sheet1" of the new file has not been claimed yet
	mong  int    // L4: Mông persons written so far
}

func newBook(seed uint64, font string, size float64, nfd bool) *book {
	b := &book{f: excelize.NewFile(), r: rand.New(rand.NewPCG(seed, 0x43424343))}
	b.tx = func(s string) string { return norm.NFC.String(s) }
	if nfd {
		b.tx = func(s string) string { return norm.NFD.String(s) }
	}
	must(b.f.SetDocProps(&excelize.DocProperties{
		Creator: "Văn phòng UBND", LastModifiedBy: "Văn phòng UBND",
		Created: "2023-10-02T08:00:00Z", Modified: "2023-10-02T08:00:00Z", Language: "vi-VN",
	}))
	must(b.f.SetDefaultFont(font))
	b.st = b.makeStyles(font, size)
	b.sheet = "Sheet1"
	b.fresh = true
	return b
}

func must(err error) {
	if err != nil {
		panic(err)
	}
}

func (b *book) newStyle(s *excelize.Style) int {
	id, err := b.f.NewStyle(s)
	must(err)
	return id
}

func (b *book) makeStyles(font string, size float64) styles {
	border := []excelize.Border{
		{Type: "left", Color: "000000", Style: 1}, {Type: "top", Color: "000000", Style: 1},
		{Type: "bottom", Color: "000000", Style: 1}, {Type: "right", Color: "000000", Style: 1},
	}
	fnt := func(bold, italic bool, sz float64, ul string) *excelize.Font {
		return &excelize.Font{Family: font, Size: sz, Bold: bold, Italic: italic, Underline: ul}
	}
	mid := &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true}
	lft := &excelize.Alignment{Horizontal: "left", Vertical: "center", WrapText: true}
	dmy := "dd/mm/yyyy"
	return styles{
		plain:        b.newStyle(&excelize.Style{Font: fnt(false, false, size, "")}),
		left:         b.newStyle(&excelize.Style{Font: fnt(false, false, size, ""), Alignment: &excelize.Alignment{Horizontal: "left"}}),
		center:       b.newStyle(&excelize.Style{Font: fnt(false, false, size, ""), Alignment: mid}),
		bold:         b.newStyle(&excelize.Style{Font: fnt(true, false, size, "")}),
		boldCenter:   b.newStyle(&excelize.Style{Font: fnt(true, false, size, ""), Alignment: mid}),
		italicCenter: b.newStyle(&excelize.Style{Font: fnt(false, true, size, ""), Alignment: mid}),
		title:        b.newStyle(&excelize.Style{Font: fnt(true, false, size+2, ""), Alignment: mid}),
		motto:        b.newStyle(&excelize.Style{Font: fnt(true, false, size, "single"), Alignment: mid}),
		header:       b.newStyle(&excelize.Style{Font: fnt(true, false, size, ""), Alignment: mid, Border: border}),
		headerWrap:   b.newStyle(&excelize.Style{Font: fnt(true, false, size, ""), Alignment: mid, Border: border}),
		cell:         b.newStyle(&excelize.Style{Font: fnt(false, false, size, ""), Alignment: lft, Border: border}),
		cellCenter:   b.newStyle(&excelize.Style{Font: fnt(false, false, size, ""), Alignment: mid, Border: border}),
		cellText:     b.newStyle(&excelize.Style{Font: fnt(false, false, size, ""), Alignment: mid, Border: border, NumFmt: 49}),
		cellDate:     b.newStyle(&excelize.Style{Font: fnt(false, false, size, ""), Alignment: mid, Border: border, CustomNumFmt: &dmy}),
		dateOnly:     b.newStyle(&excelize.Style{Font: fnt(false, false, size, ""), CustomNumFmt: &dmy}),
		group:        b.newStyle(&excelize.Style{Font: fnt(true, false, size, ""), Alignment: lft, Border: border}),
		total:        b.newStyle(&excelize.Style{Font: fnt(true, false, size, ""), Alignment: mid, Border: border}),
	}
}

func cn(col, row int) string {
	s, err := excelize.CoordinatesToCellName(col, row)
	must(err)
	return s
}

func colName(col int) string {
	s, err := excelize.ColumnNumberToName(col)
	must(err)
	return s
}

// use selects (creating if needed) the sheet written to next.
func (b *book) use(name string) {
	if b.fresh {
		b.fresh = false
		if name != "Sheet1" {
			must(b.f.SetSheetName("Sheet1", name))
		}
		b.sheet = name
		return
	}
	if n, _ := b.f.GetSheetIndex(name); n < 0 {
		_, err := b.f.NewSheet(name)
		must(err)
	}
	b.sheet = name
}

// set writes v; strings go through the book's text transform.
func (b *book) set(col, row int, v any) {
	if s, ok := v.(string); ok {
		v = b.tx(s)
		if s == "" {
			return
		}
	}
	must(b.f.SetCellValue(b.sheet, cn(col, row), v))
}

// text writes a string cell even when it looks like a number (CCCD, dates as text).
func (b *book) text(col, row int, s string) {
	if s == "" {
		return
	}
	must(b.f.SetCellStr(b.sheet, cn(col, row), b.tx(s)))
}

// formula writes a formula; with cached != nil the cell also carries that cached value.
func (b *book) formula(col, row int, f string, cached any) {
	c := cn(col, row)
	if cached != nil {
		must(b.f.SetCellValue(b.sheet, c, cached))
	}
	must(b.f.SetCellFormula(b.sheet, c, f))
}

func (b *book) style(c1, r1, c2, r2, id int) {
	must(b.f.SetCellStyle(b.sheet, cn(c1, r1), cn(c2, r2), id))
}

func (b *book) merge(c1, r1, c2, r2 int) {
	must(b.f.MergeCell(b.sheet, cn(c1, r1), cn(c2, r2)))
}

// mset merges a range, writes v into its top-left cell and styles the whole range.
func (b *book) mset(c1, r1, c2, r2 int, v any, st int) {
	if c1 != c2 || r1 != r2 {
		b.merge(c1, r1, c2, r2)
	}
	b.set(c1, r1, v)
	b.style(c1, r1, c2, r2, st)
}

func (b *book) widths(ws ...float64) {
	for i, w := range ws {
		c := colName(i + 1)
		must(b.f.SetColWidth(b.sheet, c, c, w))
	}
}

func (b *book) height(row int, h float64) { must(b.f.SetRowHeight(b.sheet, row, h)) }

// save writes the workbook, then rewrites formula cells so that numeric cached values are
// typed as numbers (see fixFormulaTypes).
func (b *book) save(path string) {
	b.f.SetActiveSheet(0)
	buf, err := b.f.WriteToBuffer()
	must(err)
	out, err := fixFormulaTypes(buf.Bytes())
	must(err)
	must(os.MkdirAll(filepath.Dir(path), 0o755))
	must(os.WriteFile(path, out, 0o644))
	must(b.f.Close())
}

// excelize 2.11 SetCellFormula always marks the cell t="str" (string result). A cell that
// got SetCellValue(2) first keeps <v>2</v>, so the file holds <c t="str"><f>A9+1</f><v>2</v></c>:
// a formula whose cached result is the TEXT "2". Excel and LibreOffice read that as a string
// result. We drop t="str" where the cached value is numeric (or absent), which yields the
// form Excel itself writes: <c><f>A9+1</f><v>2</v></c>.
var reFormulaStr = regexp.MustCompile(`(<c r="[A-Z]+[0-9]+"(?: s="[0-9]+")?) t="str"(><f>[^<]*</f>(?:<v>-?[0-9]+(?:\.[0-9]+)?(?:E[-+]?[0-9]+)?</v>)?</c>)`)

func fixFormulaTypes(zipped []byte) ([]byte, error) {
	zr, err := zip.NewReader(bytes.NewReader(zipped), int64(len(zipped)))
	if err != nil {
		return nil, err
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, e := range zr.File {
		rc, err := e.Open()
		if err != nil {
			return nil, err
		}
		data, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			return nil, err
		}
		if strings.HasPrefix(e.Name, "xl/worksheets/sheet") && strings.HasSuffix(e.Name, ".xml") {
			data = reFormulaStr.ReplaceAll(data, []byte("$1$2"))
		}
		w, err := zw.CreateHeader(&zip.FileHeader{Name: e.Name, Method: zip.Deflate})
		if err != nil {
			return nil, err
		}
		if _, err := w.Write(data); err != nil {
			return nil, err
		}
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

// ---------------------------------------------------------------- value helpers

func dmy(t time.Time) string { return t.Format("02/01/2006") }

// excelSerial is the 1900-system serial of a date (valid after 1900-03-01).
func excelSerial(t time.Time) int {
	base := time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)
	return int(t.Sub(base).Hours() / 24)
}

func xmark(ok bool, mark string) string {
	if ok {
		return mark
	}
	return ""
}
