package workbook

import (
	"context"
	"fmt"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"
	"time"
	"unsafe"

	"github.com/xuri/excelize/v2"

	"canbo/pipeline/issue"
)

func date(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// rosterFile writes a small personnel roster the way Excel-like tools do, covering
// styles, dates, formulas, rich text, merges and hidden rows.
func rosterFile(t *testing.T) string {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	const s = "Sheet1"
	dmy := "dd/mm/yyyy"
	hm := "hh:mm"
	dateStyle, err := f.NewStyle(&excelize.Style{NumFmt: 14, Font: &excelize.Font{Family: "Times New Roman"}})
	must(t, err)
	customDate, err := f.NewStyle(&excelize.Style{CustomNumFmt: &dmy})
	must(t, err)
	timeOnly, err := f.NewStyle(&excelize.Style{CustomNumFmt: &hm})
	must(t, err)
	vnFont, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Family: "Times New Roman"}})
	must(t, err)

	set := func(cell string, v any) { must(t, f.SetCellValue(s, cell, v)) }
	set("A1", "DANH SÁCH CÁN BỘ")
	must(t, f.MergeCell(s, "A1", "D1"))
	set("A2", "Họ và tên")
	set("B2", "Ngày sinh")
	set("C2", "Ngày vào Đảng")
	set("D2", "Giờ")
	set("E2", "Hệ số")
	must(t, f.SetCellStyle(s, "A2", "E2", vnFont))
	set("A3", "Nguyễn Văn An")
	set("B3", 29358) // 17/05/1980
	must(t, f.SetCellStyle(s, "B3", "B3", dateStyle))
	set("C3", 43831.75) // 01/01/2020 18:00
	must(t, f.SetCellStyle(s, "C3", "C3", customDate))
	set("D3", 0.5)
	must(t, f.SetCellStyle(s, "D3", "D3", timeOnly))
	set("E3", 4.98)
	set("F3", true)
	must(t, f.SetCellFormula(s, "G3", "E3*2"))
	must(t, f.SetCellRichText(s, "A4", []excelize.RichTextRun{
		{Text: "Trần ", Font: &excelize.Font{Family: ".VnTime"}},
		{Text: "Thị Bình", Font: &excelize.Font{Family: "Arial"}},
	}))
	set("B4", "không rõ")
	set("A5", "Ẩn")
	must(t, f.SetRowVisible(s, 5, false))
	// A merged block spanning rows 6–7 with a value only in its top-left cell; row 7
	// exists because C7 has a value.
	set("A6", "Phòng Tổ chức")
	must(t, f.MergeCell(s, "A6", "B7"))
	set("C7", "x")
	p := filepath.Join(t.TempDir(), "roster.xlsx")
	must(t, f.SaveAs(p))
	return p
}

func TestRowsRoster(t *testing.T) {
	b, err := Open(context.Background(), rosterFile(t), Limits{})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	rows, r := readSheet(t, b, 0)
	if err := r.Err(); err != nil {
		t.Fatal(err)
	}
	byNum := map[int]Row{}
	for _, row := range rows {
		byNum[row.Num] = row
	}
	if len(rows) != 7 {
		t.Fatalf("got %d rows, want 7: %+v", len(rows), rows)
	}

	// Title merged across A1:D1: copies in B1..D1.
	for col := 1; col <= 4; col++ {
		c := byNum[1].Cell(col)
		if c.Kind != Text || c.Text != "DANH SÁCH CÁN BỘ" || c.Merged != (col > 1) {
			t.Errorf("row 1 col %d = %+v", col, c)
		}
	}
	if got := byNum[2].Cell(1); got.Font != "Times New Roman" || got.Text != "Họ và tên" {
		t.Errorf("A2 = %+v", got)
	}

	r3 := byNum[3]
	if c := r3.Cell(1); c.Kind != Text || c.Text != "Nguyễn Văn An" {
		t.Errorf("A3 = %+v", c)
	}
	if c := r3.Cell(2); c.Kind != Date || !c.Time.Equal(date(1980, 5, 17)) || c.NumFmt != "mm-dd-yy" || c.Text != "29358" || c.Num != 29358 || c.Font != "Times New Roman" {
		t.Errorf("B3 = %+v", c)
	}
	if c := r3.Cell(3); c.Kind != Date || !c.Time.Equal(time.Date(2020, 1, 1, 18, 0, 0, 0, time.UTC)) || c.NumFmt != "dd/mm/yyyy" {
		t.Errorf("C3 = %+v", c)
	}
	if c := r3.Cell(4); c.Kind != Number || c.Num != 0.5 || c.NumFmt != "hh:mm" {
		t.Errorf("D3 (time-only format stays a number) = %+v", c)
	}
	if c := r3.Cell(5); c.Kind != Number || c.Num != 4.98 || c.Text != "4.98" || c.NumFmt != "" {
		t.Errorf("E3 = %+v", c)
	}
	if c := r3.Cell(6); c.Kind != Bool || c.Text != "TRUE" {
		t.Errorf("F3 = %+v", c)
	}
	if c := r3.Cell(7); c.Kind != Blank || !c.Formula || !c.NoCache {
		t.Errorf("G3 (formula saved without value) = %+v", c)
	}

	if c := byNum[4].Cell(1); c.Text != "Trần Thị Bình" || c.Font != ".VnTime" {
		t.Errorf("A4 (rich text) = %+v", c)
	}
	if !byNum[5].Hidden || byNum[4].Hidden {
		t.Errorf("hidden flags: row 4 %v, row 5 %v", byNum[4].Hidden, byNum[5].Hidden)
	}

	// A6:B7 merged: B6, A7, B7 are copies; C7 keeps its own value.
	for _, rc := range [][2]int{{6, 1}, {6, 2}, {7, 1}, {7, 2}} {
		c := byNum[rc[0]].Cell(rc[1])
		if c.Text != "Phòng Tổ chức" || c.Merged != (rc != [2]int{6, 1}) {
			t.Errorf("R%dC%d = %+v", rc[0], rc[1], c)
		}
	}
	if c := byNum[7].Cell(3); c.Text != "x" || c.Merged {
		t.Errorf("C7 = %+v", c)
	}

	rs, err := b.Rows(context.Background(), 0)
	if err != nil {
		t.Fatal(err)
	}
	defer rs.Close()
	want := []Range{{1, 1, 1, 4}, {6, 1, 7, 2}}
	if got := rs.Merges(); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("Merges before Next = %v, want %v", got, want)
	}
}

// sheetCase is one hand-built worksheet and what reading it must give.
type sheetCase struct {
	name  string
	p     pkg
	check func(t *testing.T, rows []Row, r *Rows)
}

func cellsOf(rows []Row) string {
	var b strings.Builder
	for _, row := range rows {
		fmt.Fprintf(&b, "%d:", row.Num)
		for _, c := range row.Cells {
			fmt.Fprintf(&b, " %s=%q", issue.ColumnName(c.Col), c.Text)
		}
		b.WriteString("\n")
	}
	return b.String()
}

func TestRowsEdgeCases(t *testing.T) {
	dateStyles := stylesOf(map[int]string{164: "dd/mm/yyyy"}, []int{0, 164, 14}, []string{"Calibri", "Times New Roman", "Arial"})
	tests := []sheetCase{
		{
			name: "wrong dimension, rows and cells without r",
			p: pkg{sheets: []string{ws(
				`<row><c t="inlineStr"><is><t>a</t></is></c><c t="inlineStr"><is><t>b</t></is></c></row>`+
					`<row><c><v>1</v></c><c r="D2"><v>2</v></c><c><v>3</v></c></row>`+
					`<row r="7"><c><v>7</v></c></row><row><c><v>8</v></c></row>`, "")}},
			check: func(t *testing.T, rows []Row, _ *Rows) {
				want := "1: A=\"a\" B=\"b\"\n2: A=\"1\" D=\"2\" E=\"3\"\n7: A=\"7\"\n8: A=\"8\"\n"
				if got := cellsOf(rows); got != want {
					t.Errorf("got\n%s\nwant\n%s", got, want)
				}
			},
		},
		{
			name: "row numbered by its first cell reference",
			p:    pkg{sheets: []string{ws(`<row><c r="B5"><v>1</v></c></row><row><c r="A9"><v>2</v></c></row>`, "")}},
			check: func(t *testing.T, rows []Row, _ *Rows) {
				if got := cellsOf(rows); got != "5: B=\"1\"\n9: A=\"2\"\n" {
					t.Errorf("got %q", got)
				}
			},
		},
		{
			name: "1904 date system",
			p: pkg{date1904: "1", styles: dateStyles, sheets: []string{ws(
				`<row r="1"><c r="A1" s="1"><v>0</v></c><c r="B1" s="2"><v>27896.25</v></c></row>`, "")}},
			check: func(t *testing.T, rows []Row, _ *Rows) {
				if c := rows[0].Cell(1); c.Kind != Date || !c.Time.Equal(date(1904, 1, 1)) || c.NumFmt != "dd/mm/yyyy" || c.Font != "Times New Roman" {
					t.Errorf("A1 = %+v", c)
				}
				if c := rows[0].Cell(2); c.Kind != Date || !c.Time.Equal(time.Date(1980, 5, 17, 6, 0, 0, 0, time.UTC)) || c.Font != "Arial" {
					t.Errorf("B1 = %+v", c)
				}
			},
		},
		{
			name: "1904 flag as true",
			p:    pkg{date1904: "true", styles: dateStyles, sheets: []string{ws(`<row r="1"><c r="A1" s="1"><v>1</v></c></row>`, "")}},
			check: func(t *testing.T, rows []Row, _ *Rows) {
				if c := rows[0].Cell(1); !c.Time.Equal(date(1904, 1, 2)) {
					t.Errorf("A1 = %+v", c)
				}
			},
		},
		{
			name: "formulas with and without cached values",
			p: pkg{sst: sstOf("<t>x</t>"), sheets: []string{ws(`<row r="1">`+
				`<c r="A1"><f>1+1</f></c>`+
				`<c r="B1"><f>1+1</f><v/></c>`+
				`<c r="C1"><f>1+1</f><v>2</v></c>`+
				`<c r="D1" t="str"><f>"a"&amp;"b"</f><v>ab</v></c>`+
				`<c r="E1" t="str"><f>IF(1,"","x")</f><v></v></c>`+
				`<c r="F1"><f t="shared" si="0"/><v>3</v></c>`+
				`<c r="G1"><f t="shared" si="0"/></c>`+
				`<c r="H1" t="e"><f>1/0</f><v>#DIV/0!</v></c>`+
				`<c r="I1" t="b"><f>TRUE()</f><v>0</v></c>`+
				`</row>`, "")}},
			check: func(t *testing.T, rows []Row, _ *Rows) {
				r := rows[0]
				want := []struct {
					col     int
					kind    Kind
					text    string
					noCache bool
				}{
					{1, Blank, "", true}, {2, Blank, "", true}, {3, Number, "2", false}, {4, Text, "ab", false},
					{5, Text, "", false}, {6, Number, "3", false}, {7, Blank, "", true}, {8, ErrorValue, "#DIV/0!", false},
					{9, Bool, "FALSE", false},
				}
				if len(r.Cells) != len(want) {
					t.Fatalf("cells = %+v", r.Cells)
				}
				for _, w := range want {
					c := r.Cell(w.col)
					if !c.Formula || c.Kind != w.kind || c.Text != w.text || c.NoCache != w.noCache {
						t.Errorf("col %d = %+v, want %+v", w.col, c, w)
					}
				}
			},
		},
		{
			name: "string kinds, rich text and phonetic runs",
			p: pkg{sst: sstOf(
				`<t xml:space="preserve"> Lê  Văn </t>`,
				`<r><rPr><b/></rPr><t>Đỗ </t></r><r><rPr><rFont val=".VnTime"/></rPr><t>Hïng</t></r><rPh sb="0" eb="1"><t>ド</t></rPh><phoneticPr fontId="1"/>`,
				`<t>&lt;a&gt; &amp; &#273;&#x1EA1;</t>`,
				`<t><![CDATA[<b>&amp;</b>]]></t>`,
				`<t></t>`,
			), styles: dateStyles, sheets: []string{ws(`<row r="1">`+
				`<c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v> 2 </v></c><c r="D1" t="s"><v>3</v></c>`+
				`<c r="E1" t="s"><v>4</v></c>`+
				`<c r="F1" t="inlineStr" s="1"><is><r><rPr><rFont val="VNI-Times"/></rPr><t>Ngô</t></r><rPh><t>x</t></rPh></is></c>`+
				`<c r="G1" t="e"><v>#N/A</v></c><c r="H1" t="b"><v>1</v></c>`+
				`<c r="I1" t="d"><v>1980-05-17T00:00:00</v></c>`+
				`<c r="J1"><v>1.5E3</v></c><c r="K1"><v>abc</v></c><c r="L1" s="1"><v>-5</v></c><c r="M1" s="1"/>`+
				`</row>`, "")}},
			check: func(t *testing.T, rows []Row, _ *Rows) {
				r := rows[0]
				checks := []struct {
					col  int
					kind Kind
					text string
					font string
				}{
					{1, Text, " Lê  Văn ", "Calibri"}, {2, Text, "Đỗ Hïng", ".VnTime"}, {3, Text, "<a> & đạ", "Calibri"},
					{4, Text, "<b>&amp;</b>", "Calibri"}, {6, Text, "Ngô", "VNI-Times"}, {7, ErrorValue, "#N/A", "Calibri"},
					{8, Bool, "TRUE", "Calibri"}, {9, Date, "1980-05-17T00:00:00", "Calibri"}, {10, Number, "1.5E3", "Calibri"},
					{11, Text, "abc", "Calibri"}, {12, Number, "-5", "Times New Roman"},
				}
				for _, w := range checks {
					c := r.Cell(w.col)
					if c.Kind != w.kind || c.Text != w.text || c.Font != w.font {
						t.Errorf("col %d = %+v, want kind %d %q font %q", w.col, c, w.kind, w.text, w.font)
					}
				}
				if c := r.Cell(9); !c.Time.Equal(date(1980, 5, 17)) || c.Num != 29358 {
					t.Errorf("I1 = %+v", c)
				}
				if c := r.Cell(10); c.Num != 1500 {
					t.Errorf("J1 = %+v", c)
				}
				for _, col := range []int{5, 13} {
					if c := r.Cell(col); c.Kind != Blank || hasCol(r, col) {
						t.Errorf("col %d should be absent, got %+v", col, c)
					}
				}
			},
		},
		{
			name: "Strict OOXML with prefixes",
			p: pkg{strict: true, sst: strings.ReplaceAll(sstOf("<t>tên</t>"), nsMain, nsStrict), sheets: []string{
				xmlDecl + `<x:worksheet xmlns:x="` + nsStrict + `"><x:sheetData><x:row x:r="1"><x:c r="A1" t="s"><x:v>0</x:v></x:c><x:c r="B1"><x:v>2</x:v></x:c></x:row>` +
					`<x:row r="2"><x:c r="A2"><x:v>5</x:v></x:c></x:row></x:sheetData><x:mergeCells count="1"><x:mergeCell ref="A2:B2"/></x:mergeCells></x:worksheet>`}},
			check: func(t *testing.T, rows []Row, r *Rows) {
				want := "1: A=\"tên\" B=\"2\"\n2: A=\"5\" B=\"5\"\n"
				if got := cellsOf(rows); got != want {
					t.Errorf("got\n%s\nwant\n%s", got, want)
				}
			},
		},
		{
			name: "duplicate and unordered cells",
			p:    pkg{sheets: []string{ws(`<row r="1"><c r="C1"><v>3</v></c><c r="A1"><v>1</v></c><c r="C1"><v>33</v></c></row>`, "")}},
			check: func(t *testing.T, rows []Row, _ *Rows) {
				if got := cellsOf(rows); got != "1: A=\"1\" C=\"33\"\n" {
					t.Errorf("got %q", got)
				}
			},
		},
		{
			name: "merges fill only existing rows and never synthesize",
			p: pkg{sheets: []string{ws(`<row r="2"><c r="B2" t="inlineStr"><is><t>v</t></is></c><c r="C2"><v>9</v></c></row><row r="4"/>`+
				`<row r="5"><c r="A5"><v>1</v></c></row><row r="6"><c r="A6"><v>2</v></c></row>`,
				`<mergeCells count="3"><mergeCell ref="B2:C4"/><mergeCell ref="A1:A3"/><mergeCell ref="B6:A5"/><mergeCell ref="nonsense"/></mergeCells>`)}},
			check: func(t *testing.T, rows []Row, r *Rows) {
				// B2:C4 covers C2 (replaced by the copy) and row 4 (empty but present);
				// row 3 is absent and stays absent. A1:A3 has no top-left value. B6:A5 is
				// A5:B6 written backwards.
				want := "2: B=\"v\" C=\"v\"\n4: B=\"v\" C=\"v\"\n5: A=\"1\" B=\"1\"\n6: A=\"1\" B=\"1\"\n"
				if got := cellsOf(rows); got != want {
					t.Errorf("got\n%s\nwant\n%s", got, want)
				}
				if got := fmt.Sprint(r.Merges()); got != "[{1 1 3 1} {2 2 4 3} {5 1 6 2}]" {
					t.Errorf("merges = %s", got)
				}
			},
		},
		{
			name: "overlapping merges keep the first",
			p: pkg{sheets: []string{ws(`<row r="1"><c r="A1"><v>1</v></c><c r="B1"><v>2</v></c></row><row r="2"/>`,
				`<mergeCells><mergeCell ref="A1:B2"/><mergeCell ref="B1:C2"/></mergeCells>`)}},
			check: func(t *testing.T, rows []Row, _ *Rows) {
				if got := cellsOf(rows); got != "1: A=\"1\" B=\"1\"\n2: A=\"1\" B=\"1\"\n" {
					t.Errorf("got %q", got)
				}
			},
		},
		{
			name: "hidden rows and skipped row numbers",
			p:    pkg{sheets: []string{ws(`<row r="3" hidden="1"><c r="A3"><v>1</v></c></row><row r="10" hidden="0"><c r="A10"><v>2</v></c></row><row r="11" hidden="true"><c><v>3</v></c></row>`, "")}},
			check: func(t *testing.T, rows []Row, _ *Rows) {
				if len(rows) != 3 || !rows[0].Hidden || rows[1].Hidden || !rows[2].Hidden || rows[1].Num != 10 || rows[2].Num != 11 {
					t.Errorf("rows = %+v", rows)
				}
			},
		},
		{
			name: "comments, processing instructions and unknown elements",
			p: pkg{sheets: []string{xmlDecl + `<!-- generated --><worksheet xmlns="` + nsMain + `"><sheetPr><tabColor rgb="FF0000"/></sheetPr>` +
				`<sheetData><!-- <row r="1"><c><v>bad</v></c></row> --><row r="1" spans="1:2" x14ac:dyDescent="0.25"><c r="A1"><extLst/><v>1</v></c></row></sheetData>` +
				`<extLst><ext><x14:conditionalFormattings/></ext></extLst></worksheet>`}},
			check: func(t *testing.T, rows []Row, _ *Rows) {
				if got := cellsOf(rows); got != "1: A=\"1\"\n" {
					t.Errorf("got %q", got)
				}
			},
		},
		{
			name: "empty sheet",
			p:    pkg{sheets: []string{xmlDecl + `<worksheet xmlns="` + nsMain + `"><sheetData/></worksheet>`}},
			check: func(t *testing.T, rows []Row, r *Rows) {
				if len(rows) != 0 || r.Err() != nil {
					t.Errorf("rows %v err %v", rows, r.Err())
				}
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b := mustOpen(t, tc.p.bytes(t), Limits{})
			defer b.Close()
			rows, r := readSheet(t, b, 0)
			if err := r.Err(); err != nil {
				t.Fatalf("Err: %v", err)
			}
			tc.check(t, rows, r)
		})
	}
}

func hasCol(r Row, col int) bool {
	for _, c := range r.Cells {
		if c.Col == col {
			return true
		}
	}
	return false
}

func TestTwoSheetsAbsoluteTargets(t *testing.T) {
	b := mustOpen(t, pkg{names: []string{"A", "B"}, sheets: []string{
		ws(`<row r="1"><c r="A1"><v>1</v></c></row>`, ""),
		ws(`<row r="1"><c r="A1"><v>2</v></c></row>`, ""),
	}}.bytes(t), Limits{})
	for i, want := range []string{"1", "2"} {
		rows, r := readSheet(t, b, i)
		if r.Err() != nil || len(rows) != 1 || rows[0].Cell(1).Text != want {
			t.Errorf("sheet %d: rows %+v err %v", i, rows, r.Err())
		}
	}
}

func TestLimitsNotes(t *testing.T) {
	var data strings.Builder
	for i := 1; i <= 20; i++ {
		fmt.Fprintf(&data, `<row r="%d"><c r="A%d"><v>%d</v></c><c r="E%d"><v>5</v></c><c r="XFD%d"><v>1</v></c></row>`, i, i, i, i, i)
	}
	merges := `<mergeCells><mergeCell ref="A1:A2"/><mergeCell ref="A3:B3"/><mergeCell ref="A5:A6"/></mergeCells>`
	b := mustOpen(t, pkg{sheets: []string{ws(data.String(), merges)}}.bytes(t), Limits{MaxRows: 10, MaxColumns: 4, MaxMerges: 2})
	rows, r := readSheet(t, b, 0)
	if r.Err() != nil {
		t.Fatal(r.Err())
	}
	if len(rows) != 10 {
		t.Errorf("%d rows, want 10", len(rows))
	}
	for _, row := range rows {
		for _, c := range row.Cells {
			if c.Col > 4 {
				t.Fatalf("row %d has column %d beyond MaxColumns", row.Num, c.Col)
			}
		}
	}
	if c := rows[5].Cell(1); rows[5].Num != 6 || c.Merged {
		t.Errorf("merge beyond MaxMerges applied: %+v", c)
	}
	want := []string{
		"merged ranges beyond 2 ignored (3 in the sheet)",
		"cells beyond column 4 dropped (first at E1)",
		"rows beyond row 10 not read (first at row 11)",
	}
	if got := r.Notes(); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("notes = %q\nwant %q", got, want)
	}
	is := r.Issues("roster.xlsx")
	if len(is) != 3 || is[1].Code != issue.SheetTooLarge || is[1].Cell() != "E1" || is[1].Sheet != "Sheet1" || is[1].Args["what"] != "columns" {
		t.Errorf("issues = %+v", is)
	}
}

func TestCancel(t *testing.T) {
	var data strings.Builder
	for i := 1; i <= 5000; i++ {
		fmt.Fprintf(&data, `<row r="%d"><c><v>%d</v></c></row>`, i, i)
	}
	b := mustOpen(t, pkg{sheets: []string{ws(data.String(), "")}}.bytes(t), Limits{})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	rows, err := b.Rows(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for rows.Next() {
		if n++; n == 10 {
			cancel()
		}
	}
	if rows.Err() != context.Canceled {
		t.Errorf("Err = %v, want context.Canceled", rows.Err())
	}
	if n > 1000 {
		t.Errorf("read %d rows after cancellation", n)
	}
	if _, err := b.Rows(ctx, 0); err != context.Canceled {
		t.Errorf("Rows with cancelled ctx: %v", err)
	}
	if _, err := OpenReaderAt(ctx, strings.NewReader("x"), 1, "x", Limits{}); err != context.Canceled {
		t.Errorf("Open with cancelled ctx: %v", err)
	}
}

func TestSerialToTime(t *testing.T) {
	tests := []struct {
		v     float64
		d1904 bool
		want  time.Time
		ok    bool
	}{
		{1, false, date(1900, 1, 1), true},
		{59, false, date(1900, 2, 28), true},
		{60, false, date(1900, 3, 1), true}, // Excel's 29 Feb 1900
		{61, false, date(1900, 3, 1), true},
		{0, false, date(1899, 12, 31), true},
		{29358, false, date(1980, 5, 17), true},
		{43831.5, false, time.Date(2020, 1, 1, 12, 0, 0, 0, time.UTC), true},
		{43831.9999999999, false, date(2020, 1, 2), true},
		{2958465, false, date(9999, 12, 31), true},
		{2958466, false, time.Time{}, false},
		{-1, false, time.Time{}, false},
		{0, true, date(1904, 1, 1), true},
		{27896, true, date(1980, 5, 17), true},
	}
	for _, tc := range tests {
		got, ok := serialToTime(tc.v, tc.d1904)
		if ok != tc.ok || !got.Equal(tc.want) {
			t.Errorf("serialToTime(%v, %v) = %v %v, want %v %v", tc.v, tc.d1904, got, ok, tc.want, tc.ok)
		}
	}
}

func TestIsDateCode(t *testing.T) {
	for code, want := range map[string]bool{
		"dd/mm/yyyy": true, "d-mmm-yy": true, "[$-42A]dd/mm/yyyy": true, "yyyy": true, "mmmm": true, "mmm-yy": true,
		"dd/mm/yyyy hh:mm": true, `[$-F800]dddd\,\ mmmm\ dd\,\ yyyy`: true, "DD/MM/YYYY;@": true,
		"0": false, "0.00": false, "#,##0": false, "@": false, "General": false, "h:mm": false, "hh:mm:ss": false,
		"[h]:mm:ss": false, "[mm]:ss": false, "mm:ss": false, `0" ngày"`: false, `\d0`: false, "[Red]0.00": false,
		`#,##0 "đ"`: false, "0.00E+00": false, `_(* #,##0_);_(* \(#,##0\);_(* "-"_);_(@_)`: false, `[$₫-42A]#,##0`: false,
	} {
		if got := isDateCode(code); got != want {
			t.Errorf("isDateCode(%q) = %v, want %v", code, got, want)
		}
	}
}

func TestParseRef(t *testing.T) {
	for ref, want := range map[string][3]int{
		"A1": {1, 1, 1}, "b7": {2, 7, 1}, "$XFD$1048576": {16384, 1048576, 1}, "AA": {27, 0, 1}, "12": {0, 12, 1},
		"": {0, 0, 0}, "A1B": {0, 0, 0}, "ABCD1": {0, 0, 0}, "A12345678": {0, 0, 0}, "A 1": {0, 0, 0},
	} {
		c, r, ok := parseRef([]byte(ref))
		if got := [3]int{c, r, b2i(ok)}; got != want {
			t.Errorf("parseRef(%q) = %v, want %v", ref, got, want)
		}
	}
	if rg, ok := parseRange([]byte("A1:XFD1048576")); !ok || rg != (Range{1, 1, 1048576, 16384}) {
		t.Errorf("parseRange = %v %v", rg, ok)
	}
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// TestRowsOwnCells checks that every Row's cells belong to the caller, whether the row
// met a merged range (built by the sweep) or not (the row buffer handed over): rows
// kept, changed in place and appended to (as ingest does with the first rows and
// with legacy-encoded text) must not change one another, across rows that are longer
// than the ones before, empty rows and rows under merges.
func TestRowsOwnCells(t *testing.T) {
	var sd strings.Builder
	row := func(r, n int) { // n text cells A.., then a number
		fmt.Fprintf(&sd, `<row r="%d">`, r)
		for c := 1; c <= n; c++ {
			fmt.Fprintf(&sd, `<c r="%s%d" t="inlineStr"><is><t>r%dc%d</t></is></c>`, issue.ColumnName(c), r, r, c)
		}
		fmt.Fprintf(&sd, `<c r="%s%d"><v>%d</v></c></row>`, issue.ColumnName(n+1), r, r)
	}
	row(1, 1)
	row(2, 3)
	row(3, 30) // longer than any row before: the buffer grows
	row(4, 2)
	fmt.Fprintf(&sd, `<row r="5"><c r="A5" s="0"/></row>`) // no cells: not yielded
	row(6, 4)                                              // meets B6:C7
	row(7, 1)                                              // under B6:C7
	for r := 8; r <= 40; r++ {
		row(r, 1+r%5)
	}
	data := pkg{sheets: []string{ws(sd.String(), `<mergeCells><mergeCell ref="B6:C7"/></mergeCells>`)}}.bytes(t)
	rows, err := mustOpen(t, data, Limits{}).Rows(context.Background(), 0)
	if err != nil {
		t.Fatal(err)
	}
	var kept []Row
	var want []string
	for rows.Next() {
		// What a caller may do to a row it owns.
		r := rows.Row()
		r.Cells[0].Text = "changed"
		_ = append(r.Cells, Cell{Col: 999, Kind: Text, Text: "appended"})
		want = append(want, fmt.Sprint(r))
		kept = append(kept, r)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if len(kept) != 39 {
		t.Fatalf("%d rows, want 39", len(kept))
	}
	for i, r := range kept {
		if got := fmt.Sprint(r); got != want[i] {
			t.Errorf("row %d changed after later rows were read:\ngot  %s\nwant %s", r.Num, got, want[i])
		}
	}
	if c := kept[5].Cell(3); kept[5].Num != 7 || !c.Merged || c.Text != "r6c2" {
		t.Errorf("row %d, C: %+v; want a merged copy of B6 (r6c2) on row 7", kept[5].Num, c)
	}
}

// TestCellSize keeps Cell's fields ordered so that it packs: every row's cells are
// allocated anew, so its size is most of what reading allocates.
func TestCellSize(t *testing.T) {
	if n := unsafe.Sizeof(Cell{}); n > 112 {
		t.Errorf("a Cell takes %d bytes, want at most 112: keep the small fields together", n)
	}
}

// TestWholeSheet reads sheets both ways Book.Rows has, inflated once into memory and
// streamed twice, and wants the same rows, merges and notes; it also reads a smaller
// sheet after a larger one, so that a reused buffer must be cut to the new sheet, and
// closes the book in the middle of a sheet read whole, which must fail the rows.
func TestWholeSheet(t *testing.T) {
	small := Limits{MaxMerges: 2, MaxColumns: 8}
	books := []struct {
		data []byte
		lim  Limits
	}{
		{pkg{sheets: []string{rosterSheet(300, false)}}.bytes(t), Limits{}},
		{pkg{sheets: []string{manyMerges(500)}, stored: true}.bytes(t), Limits{}}, // shorter, other merges
		{pkg{sheets: []string{rosterSheet(20, false)}}.bytes(t), Limits{}},
		{pkg{sheets: []string{rosterSheet(20, false)}}.bytes(t), small}, // merges and columns cut
	}
	read := func(data []byte, lim Limits) string {
		book := mustOpen(t, data, lim)
		defer book.Close()
		rows, r := readSheet(t, book, 0)
		if r.Err() != nil {
			t.Fatal(r.Err())
		}
		return fmt.Sprint(rows, r.Merges(), r.Notes())
	}
	defer func(v uint64) { wholeSheet = v }(wholeSheet)
	wholeSheet = 0
	var want []string
	for _, b := range books {
		want = append(want, read(b.data, b.lim))
	}
	// No GC while the books are read whole, so that each reuses the buffer of the one
	// before (a GC may empty the pool).
	defer debug.SetGCPercent(debug.SetGCPercent(-1))
	wholeSheet = 8 << 20
	for i, b := range books {
		if got := read(b.data, b.lim); got != want[i] {
			t.Errorf("book %d read whole:\n%.500s\nstreamed:\n%.500s", i, got, want[i])
		}
	}

	book := mustOpen(t, books[0].data, Limits{})
	rows, err := book.Rows(context.Background(), 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := rows.rc.(*wholePart); !ok {
		t.Fatalf("a small sheet is read from %T, not whole", rows.rc)
	}
	rows.Next()
	book.Close()
	for rows.Next() {
	}
	if codeOf(t, rows.Err()) != issue.ReadFailed {
		t.Errorf("rows of a closed book: %v, want %s", rows.Err(), issue.ReadFailed)
	}
}

// TestRowsReuse: after Reuse, rows read one at a time give the same cells as rows
// that own theirs, and a row cloned to be kept stays as it was while later rows are
// read into the lent buffer.
func TestRowsReuse(t *testing.T) {
	var sd strings.Builder
	for r := 1; r <= 30; r++ {
		fmt.Fprintf(&sd, `<row r="%d">`, r)
		for c := 1; c <= 1+r%4; c++ {
			fmt.Fprintf(&sd, `<c r="%s%d" t="inlineStr"><is><t>r%dc%d</t></is></c>`, issue.ColumnName(c), r, r, c)
		}
		sd.WriteString(`</row>`)
	}
	data := pkg{sheets: []string{ws(sd.String(), `<mergeCells><mergeCell ref="A10:B11"/></mergeCells>`)}}.bytes(t)
	read := func(reuse bool) (seen []string, kept []Row) {
		rows, err := mustOpen(t, data, Limits{}).Rows(context.Background(), 0)
		if err != nil {
			t.Fatal(err)
		}
		if reuse {
			rows.Reuse()
		}
		for rows.Next() {
			r := rows.Row()
			seen = append(seen, fmt.Sprint(r))
			kept = append(kept, r.Clone())
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		return seen, kept
	}
	ownSeen, _ := read(false)
	seen, kept := read(true)
	if strings.Join(seen, "\n") != strings.Join(ownSeen, "\n") {
		t.Fatalf("rows read with Reuse differ from rows that own their cells")
	}
	for i, r := range kept {
		if got := fmt.Sprint(r); got != ownSeen[i] {
			t.Errorf("cloned row %d changed once later rows were read: %s, want %s", r.Num, got, ownSeen[i])
		}
	}
}
