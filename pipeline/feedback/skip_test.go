package feedback

import (
	"bytes"
	"context"
	"encoding/xml"
	"fmt"
	"io"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"testing/iotest"

	"canbo/pipeline/issue"
	"canbo/templates"
)

// Markup the skips (lexer.skipTo, lexer.skipElement) must not pass over as if it were
// cells: a '<' inside a comment, a processing instruction or a CDATA section does not
// open a tag, and an element named like a row may sit in a row's extension list.
const (
	fakeMerge   = `<!-- </sheetData><mergeCells count="1"><mergeCell ref="A1:C1"/></mergeCells> -->`
	rowComment  = `<!-- </row><row r="999"> -->`
	rowPI       = `<?canbo </row>?>`
	rowCDATA    = `<![CDATA[</row><row r="31">]]>`
	rowExt      = `<extLst><ext uri="{7E9C5D1A-0000-4000-8000-000000000001}"><row xmlns="urn:canbo-test"><c/></row></ext></extLst>`
	tailComment = `<!-- </sheetData> -->`
	trickyRows  = 2000
)

// trickySheet is a worksheet of trickyRows rows (about 150 KB, so a streamed read
// crosses several buffers) with the markup above: a fake merge of the header in a
// comment inside sheetData, a comment (row 10), a processing instruction (row 20), a
// CDATA text (row 30) and a nested row element (row 40) inside rows, and after the
// real merge B50:C50 a comment holding a fake end of sheetData.
func trickySheet() []byte {
	var b bytes.Buffer
	b.WriteString(xmlDecl + `<worksheet xmlns="` + nsMain + `" xmlns:r="` + nsRel + `">`)
	b.WriteString(`<sheetViews><sheetView tabSelected="1" workbookViewId="0"/></sheetViews><sheetData>`)
	b.WriteString(`<row r="1"><c r="A1" t="inlineStr"><is><t>Họ và tên</t></is></c><c r="B1" t="inlineStr"><is><t>Số</t></is></c><c r="C1" t="inlineStr"><is><t>Ngày sinh</t></is></c></row>`)
	b.WriteString(fakeMerge)
	for r := 2; r <= trickyRows; r++ {
		fmt.Fprintf(&b, `<row r="%d" spans="1:3"><c r="A%d" t="inlineStr"><is><t>`, r, r)
		if r == 30 {
			b.WriteString(rowCDATA)
		} else {
			fmt.Fprintf(&b, "Người %d", r)
		}
		fmt.Fprintf(&b, `</t></is></c><c r="B%d"><v>%d</v></c>`, r, r)
		switch r {
		case 10:
			b.WriteString(rowComment)
		case 20:
			b.WriteString(rowPI)
		}
		fmt.Fprintf(&b, `<c r="C%d" t="inlineStr"><is><t>01/01/1980</t></is></c>`, r)
		if r == 40 {
			b.WriteString(rowExt)
		}
		b.WriteString(`</row>`)
	}
	b.WriteString(`</sheetData><mergeCells count="1"><mergeCell ref="B50:C50"/></mergeCells>`)
	b.WriteString(`<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>`)
	b.WriteString(tailComment + `</worksheet>`)
	return b.Bytes()
}

// sheetRows parses a worksheet with encoding/xml, a reader independent of the
// patcher's lexer, and returns the numbers of sheetData's rows in document order.
func sheetRows(t *testing.T, data []byte) []int {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(data))
	var rows []int
	var path []string
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return rows
		}
		must(t, err)
		switch tok := tok.(type) {
		case xml.StartElement:
			if tok.Name.Local == "row" && strings.Join(path, "/") == "worksheet/sheetData" {
				for _, a := range tok.Attr {
					if a.Name.Local == "r" {
						n, err := strconv.Atoi(a.Value)
						must(t, err)
						rows = append(rows, n)
					}
				}
			}
			path = append(path, tok.Name.Local)
		case xml.EndElement:
			path = path[:len(path)-1]
		}
	}
}

// The rows a mark does not touch are copied without being read tag by tag, and the
// scan for merged ranges passes over the rows: neither may be fooled by markup that
// only looks like a row's or sheetData's end. The sheet is patched twice, held in
// memory and streamed (as a sheet over heldSheetLimit is); both must give the same
// sheet, read back by excelize with every mark, comment and listed problem.
func TestPatchSkipsUnmarkedRows(t *testing.T) {
	dir := t.TempDir()
	src := rawSheetBook(t, dir, "kho.xlsx", trickySheet())
	issues := []issue.Issue{
		iss(issue.RequiredValue, "Sheet1", 1, 3, "Tiêu đề cột C."),         // the fake merge must not move it to A1
		iss(issue.BadNumber, "Sheet1", 11, 2, "Sau dòng có chú thích."),    // after the comment
		iss(issue.BadDate, "Sheet1", 20, 3, "Dòng có chỉ thị xử lý."),      // the row with the PI itself
		iss(issue.BadNumber, "Sheet1", 21, 2, "Sau dòng có chỉ thị."),      // after the PI
		iss(issue.BadNumber, "Sheet1", 31, 2, "Sau dòng có CDATA."),        // after the CDATA
		iss(issue.BadNumber, "Sheet1", 41, 2, "Sau dòng có phần mở rộng."), // after the nested row
		iss(issue.BadDate, "Sheet1", 50, 3, "Ô gộp B50:C50."),              // marked on B50
		iss(issue.RequiredValue, "Sheet1", 60, 4, "Ô chưa có trong dòng."), // a cell the row lacks
		iss(issue.RequiredValue, "Sheet1", trickyRows+50, 2, "Dòng chưa có trong tệp."),
	}
	issues[3].Severity = issue.Warning
	marked := map[string]string{
		"C1": errorFill, "B11": errorFill, "C20": errorFill, "B21": warningFill, "B31": errorFill,
		"B41": errorFill, "B50": errorFill, "D60": errorFill, "B" + itoa(trickyRows+50): errorFill,
	}
	notMarked := []string{"A1", "B10", "B20", "B30", "B40", "C50", "C60", "B1999"}

	var sheets [][]byte
	for _, limit := range []uint64{heldSheetLimit, 0} {
		t.Run(fmt.Sprintf("held up to %d", limit), func(t *testing.T) {
			sc := newScratch()
			sc.holdLimit = limit
			dst := filepath.Join(t.TempDir(), "phan-hoi.xlsx")
			must(t, patchWorkbook(context.Background(), src, dst, issues, DefaultLabels(), sc))
			if sc.held != (limit > 0) {
				t.Fatalf("held = %v with limit %d", sc.held, limit)
			}
			wellFormed(t, dst)
			sheet := zipPart(t, dst, "xl/worksheets/sheet1.xml")
			sheets = append(sheets, sheet)
			for _, markup := range []string{fakeMerge, rowComment, rowPI, rowCDATA, rowExt, tailComment} {
				if !bytes.Contains(sheet, []byte(markup)) {
					t.Errorf("%s lost", markup)
				}
			}
			rows := sheetRows(t, sheet)
			if len(rows) != trickyRows+1 {
				t.Errorf("%d rows, want %d", len(rows), trickyRows+1)
			}
			for i := 1; i < len(rows); i++ {
				if rows[i] <= rows[i-1] {
					t.Fatalf("row %d after row %d", rows[i], rows[i-1])
				}
			}

			f := open(t, dst)
			for cell, want := range marked {
				if got := fillColour(cellStyle(t, f, "Sheet1", cell)); got != want {
					t.Errorf("%s fill = %q, want %q", cell, got, want)
				}
			}
			for _, cell := range notMarked {
				if got := fillColour(cellStyle(t, f, "Sheet1", cell)); got != "" {
					t.Errorf("%s, not marked, has fill %q", cell, got)
				}
			}
			if v, _ := f.GetCellValue("Sheet1", "A30"); v != `</row><row r="31">` {
				t.Errorf("A30 = %q", v)
			}
			cm := comments(t, f, "Sheet1")
			if len(cm) != len(marked) {
				t.Errorf("%d comments, want %d: %v", len(cm), len(marked), cm)
			}
			for i, is := range issues {
				cell := is.Cell()
				if i == 6 {
					cell = "B50"
				}
				if got := strings.Join(cm[cell], "\n"); !strings.Contains(got, is.Message) {
					t.Errorf("comment on %s = %q, want it to say %q", cell, got, is.Message)
				}
			}
			lab := DefaultLabels()
			if got := f.GetSheetList()[0]; got != lab.SheetName {
				t.Fatalf("first sheet %q, want %q", got, lab.SheetName)
			}
			listed, err := f.GetRows(lab.SheetName)
			must(t, err)
			if got := len(listed) - headerRow; got != len(issues) {
				t.Errorf("%d problems listed, want %d", got, len(issues))
			}
		})
	}
	if len(sheets) == 2 && !bytes.Equal(sheets[0], sheets[1]) {
		t.Error("the sheet held in memory and the sheet streamed were patched differently")
	}
}

// skipCopy copies src token by token, passing over every row it can with
// skipElement, and returns the copy and the rows passed over.
func skipCopy(t *testing.T, l *lexer) (string, []string) {
	t.Helper()
	var out bytes.Buffer
	var skipped []string
	for {
		k, err := l.next()
		must(t, err)
		if k == tokEOF {
			return out.String(), skipped
		}
		out.Write(l.raw)
		if k == tokStart && !l.selfClosing && l.isLocal("row") {
			r, _ := attrValue(l.raw, "r")
			if rest, ok := l.skipElement(l.name); ok {
				out.Write(rest)
				skipped = append(skipped, r)
			}
		}
	}
}

// skipScan lists the start tags a scan meets when it passes over sheetData's content
// with skipTo, as scanSheet does.
func skipScan(t *testing.T, l *lexer) []string {
	t.Helper()
	var seen []string
	var inData []byte
	for {
		if inData != nil {
			done, err := l.skipTo(inData)
			must(t, err)
			if !done {
				continue
			}
		}
		k, err := l.next()
		must(t, err)
		switch k {
		case tokEOF:
			return seen
		case tokStart:
			seen = append(seen, string(l.name))
			if l.isLocal("sheetData") && !l.selfClosing {
				inData = append([]byte(nil), l.name...)
			}
		case tokEnd:
			inData = nil
		}
	}
}

// The skips give back exactly the input, whatever the reads' sizes, and pass over
// neither a row holding other markup nor a fake end of sheetData.
func TestLexerSkips(t *testing.T) {
	src := string(trickySheet())
	readers := map[string]func() *lexer{
		"in memory":   func() *lexer { return newByteLexer([]byte(src)) },
		"streamed":    func() *lexer { return newLexer(strings.NewReader(src)) },
		"byte a read": func() *lexer { return newLexer(iotest.OneByteReader(strings.NewReader(src))) },
		"half reads":  func() *lexer { return newLexer(iotest.HalfReader(strings.NewReader(src))) },
	}
	for name, lex := range readers {
		t.Run(name, func(t *testing.T) {
			got, skipped := skipCopy(t, lex())
			if got != src {
				t.Fatalf("copy differs from the input (%d bytes, want %d)", len(got), len(src))
			}
			for _, r := range skipped {
				switch r {
				case "10", "20", "30", "40":
					t.Errorf("row %s, holding other markup, was passed over", r)
				}
			}
			// In memory every other row is passed over, and the row nested in row
			// 40's extension list, met token by token.
			if name == "in memory" && len(skipped) != trickyRows-4+1 {
				t.Errorf("%d rows passed over, want %d", len(skipped), trickyRows-4+1)
			}
			seen := strings.Join(skipScan(t, lex()), " ")
			if want := "worksheet sheetViews sheetView sheetData mergeCells mergeCell pageMargins"; seen != want {
				t.Errorf("scan met %q, want %q", seen, want)
			}
		})
	}
}

// skipElement at the edges: what it passes over, and what it leaves to the lexer.
func TestSkipElementEdges(t *testing.T) {
	for _, c := range []struct {
		src, skipped string // skipped "" = not passed over
	}{
		{`<row r="1"></row><row r="2"/>`, `</row>`},
		{`<row r="1"><c/></row ><row r="2"/>`, `<c/></row >`},
		{`<row r="1"><rowx/><t>a!b?c w</t></row>`, `<rowx/><t>a!b?c w</t></row>`},
		{`<x:row r="1"><x:c r="A1"/></x:row>`, `<x:c r="A1"/></x:row>`},
		{`<row r="1"><row/></row>`, ""},
		{`<row r="1"><c/><row r="9"></row></row>`, ""},
		{`<row r="1"><c/><!-- x --></row>`, ""},
		{`<row r="1"><c/><?pi x?></row>`, ""},
		{`<row r="1"><c/></ro`, ""},
		{`<row r="1"><c/></row`, ""},
	} {
		l := newByteLexer([]byte(c.src))
		if k, err := l.next(); err != nil || k != tokStart {
			t.Fatalf("%s: %v %v", c.src, k, err)
		}
		before := l.pos
		got, ok := l.skipElement(l.name)
		if string(got) != c.skipped || ok != (c.skipped != "") {
			t.Errorf("%s: passed over %q (%v), want %q", c.src, got, ok, c.skipped)
		}
		if !ok && l.pos != before {
			t.Errorf("%s: moved from %d to %d though nothing was passed over", c.src, before, l.pos)
		}
	}
}

// TestSameProblemListedOnce: the same problem in several cells of a column is one
// line of the problems sheet, naming the other cells, while every cell is still
// marked and commented; another message in the same column stays a line of its own.
func TestSameProblemListedOnce(t *testing.T) {
	dir := t.TempDir()
	src := rawSheetBook(t, dir, "lap.xlsx", trickySheet())
	same := func(row int) issue.Issue {
		is := iss(issue.UnknownValue, "Sheet1", row, 2, fmt.Sprintf(`Ô B%d: "Kinhh" không phải giá trị hợp lệ của "Dân tộc".`, row))
		is.Raw = "Kinhh"
		return is
	}
	issues := []issue.Issue{same(11), same(21), iss(issue.UnknownValue, "Sheet1", 25, 2, "Ô B25: khác."), same(31)}
	dst := filepath.Join(t.TempDir(), "phan-hoi.xlsx")
	cat, err := issue.LoadCatalog(templates.FS)
	must(t, err)
	lab := DefaultLabels()
	lab.Kind = cat.Label
	must(t, patchWorkbook(context.Background(), src, dst, issues, lab, newScratch()))
	f := open(t, dst)
	cm := comments(t, f, "Sheet1")
	for _, cell := range []string{"B11", "B21", "B25", "B31"} {
		if len(cm[cell]) == 0 {
			t.Errorf("%s has no comment", cell)
		}
	}
	rows, err := f.GetRows(lab.SheetName)
	must(t, err)
	body := rows[headerRow:]
	if len(body) != 2 {
		t.Fatalf("%d lines listed, want 2 (the same problem once, the other apart): %q", len(body), body)
	}
	msg := body[0][colMessage-1]
	if want := "Cùng vấn đề này ở 2 ô khác: B21, B31 (các ô này cũng đã tô màu, có ghi chú)."; !strings.Contains(msg, want) || body[0][colCell-1] != "B11" {
		t.Errorf("first line: cell %q, message %q; want B11 and %q", body[0][colCell-1], msg, want)
	}
	if body[1][colCell-1] != "B25" {
		t.Errorf("second line names %q, want B25", body[1][colCell-1])
	}
	// The kind of problem in words, the code after it.
	if got := body[0][colCode-1]; got != "giá trị không có trong danh mục (unknown-value)" {
		t.Errorf("kind of problem %q", got)
	}
}

// TestSameTextNamesTen: the line under a grouped problem names ten other cells at
// most, then how many more.
func TestSameTextNamesTen(t *testing.T) {
	var cells []string
	for i := range 13 {
		cells = append(cells, fmt.Sprintf("G%d", i+10))
	}
	got := sameText(DefaultLabels().withDefaults(), cells)
	want := "Cùng vấn đề này ở 13 ô khác: G10, G11, G12, G13, G14, G15, G16, G17, G18, G19 và 3 ô nữa (các ô này cũng đã tô màu, có ghi chú)."
	if got != want {
		t.Errorf("got  %q\nwant %q", got, want)
	}
}
