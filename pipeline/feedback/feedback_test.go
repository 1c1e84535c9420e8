package feedback

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"canbo/pipeline/issue"
)

const (
	dataSheet  = "DS"
	otherSheet = "Danh sách CB"
	dateFmt    = "dd/mm/yyyy"
)

// buildSource writes the test roster: sheet DS with a bordered, date-formatted C5, a
// text E12, a clerk's own comment on D7, a merged A20:B21, a print area; a sheet with
// spaces and Vietnamese letters; and a chart sheet. extra may add more before saving.
func buildSource(t testing.TB, dir string, extra func(f *excelize.File)) string {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	must(t, f.SetSheetName("Sheet1", dataSheet))
	if _, err := f.NewSheet(otherSheet); err != nil {
		t.Fatal(err)
	}
	custom := dateFmt
	dateStyle, err := f.NewStyle(&excelize.Style{
		CustomNumFmt: &custom,
		Border: []excelize.Border{
			{Type: "left", Style: 1}, {Type: "right", Style: 1},
			{Type: "top", Style: 1}, {Type: "bottom", Style: 2, Color: "FF0000"},
		},
		Font:      &excelize.Font{Family: ".VnTime", Size: 13, Bold: true},
		Alignment: &excelize.Alignment{Horizontal: "center"},
	})
	must(t, err)
	must(t, f.SetSheetRow(dataSheet, "A4", &[]any{"STT", "Họ và tên", "Ngày sinh", "Giới tính", "Chức vụ"}))
	for r := 5; r <= 30; r++ {
		must(t, f.SetSheetRow(dataSheet, fmt.Sprintf("A%d", r), &[]any{
			r - 4, fmt.Sprintf("Nguyễn Văn %d", r), time.Date(1980, 1, r, 0, 0, 0, 0, time.UTC), "Nam", fmt.Sprintf("Chức vụ %d", r),
		}))
		must(t, f.SetCellStyle(dataSheet, fmt.Sprintf("C%d", r), fmt.Sprintf("C%d", r), dateStyle))
	}
	must(t, f.SetCellStr(dataSheet, "E12", "Phó chủ tịch UBND"))
	must(t, f.AddComment(dataSheet, excelize.Comment{Cell: "D7", Author: "Văn thư", Text: "Đã kiểm tra"}))
	must(t, f.MergeCell(dataSheet, "A20", "B21"))
	must(t, f.SetDefinedName(&excelize.DefinedName{Name: "_xlnm.Print_Area", RefersTo: "DS!$A$4:$E$30", Scope: dataSheet}))
	must(t, f.SetSheetRow(otherSheet, "A1", &[]any{"Mã", "Tên"}))
	must(t, f.SetSheetRow(otherSheet, "A2", &[]any{"001", "Xã An Bình"}))
	must(t, f.SetSheetRow(otherSheet, "A3", &[]any{"002", "Xã Bình Minh"}))
	must(t, f.AddChartSheet("Biểu đồ", &excelize.Chart{Type: excelize.Col, Series: []excelize.ChartSeries{
		{Name: "DS!$A$4", Categories: "DS!$B$5:$B$8", Values: "DS!$A$5:$A$8"},
	}}))
	f.SetActiveSheet(0)
	if extra != nil {
		extra(f)
	}
	path := filepath.Join(dir, "xa-an-binh.xlsx")
	must(t, f.SaveAs(path))
	// excelize writes a colourless border as <color rgb="FF">; Excel writes none.
	// Make the source look like Excel's so the automatic-colour path is exercised.
	rewritePart(t, path, "xl/styles.xml", func(b []byte) []byte {
		return bytes.ReplaceAll(b, []byte(`<color rgb="FF"></color>`), nil)
	})
	return path
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// rewritePart replaces one part of a zip package.
func rewritePart(t testing.TB, path, part string, edit func([]byte) []byte) {
	t.Helper()
	zr, err := zip.OpenReader(path)
	must(t, err)
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, zf := range zr.File {
		rc, err := zf.Open()
		must(t, err)
		data, err := io.ReadAll(rc)
		must(t, err)
		rc.Close()
		if zf.Name == part {
			data = edit(data)
		}
		w, err := zw.Create(zf.Name)
		must(t, err)
		_, err = w.Write(data)
		must(t, err)
	}
	must(t, zr.Close())
	must(t, zw.Close())
	must(t, os.WriteFile(path, buf.Bytes(), 0o644))
}

func fileHash(t testing.TB, path string) [32]byte {
	t.Helper()
	b, err := os.ReadFile(path)
	must(t, err)
	return sha256.Sum256(b)
}

func open(t testing.TB, path string) *excelize.File {
	t.Helper()
	f, err := excelize.OpenFile(path)
	must(t, err)
	t.Cleanup(func() { f.Close() })
	return f
}

func iss(code issue.Code, sheet string, row, col int, msg string) issue.Issue {
	is := issue.New(code, "xa-an-binh.xlsx", sheet, row, col)
	is.Message = msg
	return is
}

// comments returns a sheet's comments by cell, each as its plain text.
func comments(t testing.TB, f *excelize.File, sheet string) map[string][]string {
	t.Helper()
	list, err := f.GetComments(sheet)
	must(t, err)
	out := map[string][]string{}
	for _, c := range list {
		text := c.Text
		for _, r := range c.Paragraph {
			text += r.Text
		}
		out[c.Cell] = append(out[c.Cell], text)
	}
	return out
}

func cellStyle(t testing.TB, f *excelize.File, sheet, cell string) *excelize.Style {
	t.Helper()
	id, err := f.GetCellStyle(sheet, cell)
	must(t, err)
	st, err := f.GetStyle(id)
	must(t, err)
	return st
}

func fillColour(st *excelize.Style) string {
	if st.Fill.Type != "pattern" || st.Fill.Pattern != 1 || len(st.Fill.Color) == 0 {
		return ""
	}
	return strings.ToUpper(st.Fill.Color[0])
}

// wellFormed parses every XML part of the package with encoding/xml: a second
// reader, independent of excelize, must accept the file.
func wellFormed(t testing.TB, path string) map[string][]byte {
	t.Helper()
	zr, err := zip.OpenReader(path)
	must(t, err)
	defer zr.Close()
	parts := map[string][]byte{}
	for _, zf := range zr.File {
		rc, err := zf.Open()
		must(t, err)
		data, err := io.ReadAll(rc)
		rc.Close()
		must(t, err)
		parts[zf.Name] = data
		switch strings.ToLower(filepath.Ext(zf.Name)) {
		case ".xml", ".vml", ".rels":
		default:
			continue
		}
		d := xml.NewDecoder(bytes.NewReader(data))
		d.Strict = true
		for {
			_, err := d.Token()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Errorf("%s is not well-formed XML: %v", zf.Name, err)
				break
			}
		}
	}
	return parts
}

func rawRows(t testing.TB, f *excelize.File, sheet string) [][]string {
	t.Helper()
	rows, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
	must(t, err)
	return rows
}

func TestWrite(t *testing.T) {
	dir := t.TempDir()
	src := buildSource(t, dir, nil)
	before := fileHash(t, src)
	srcFile := open(t, src)
	srcRows := rawRows(t, srcFile, dataSheet)
	srcOther := rawRows(t, srcFile, otherSheet)

	fileLevel := issue.New(issue.Duplicated, "xa-an-binh.xlsx", "", 0, 0)
	fileLevel.Message = "Tệp này đã được gửi trước đó."
	warn := iss(issue.YearOnly, dataSheet, 12, 5, "Chỉ ghi năm, đã đọc là 01/01.")
	issues := []issue.Issue{
		iss(issue.BadDate, dataSheet, 5, 3, "Ngày sinh \"31/02/1980\" không có thật."),
		iss(issue.UnknownValue, dataSheet, 12, 5, "Chức vụ \"Phó chủ tịch UBND\" không có trong danh mục."),
		warn,
		iss(issue.RequiredValue, otherSheet, 3, 2, "Thiếu tên đơn vị."),
		iss(issue.BadID, "Trang đã xoá", 7, 4, "Số CCCD phải có 12 chữ số."),
		iss(issue.UnknownValue, dataSheet, 7, 4, "Giới tính không hợp lệ."),
		iss(issue.RequiredValue, dataSheet, 21, 2, "Thiếu họ tên (ô gộp)."),
		iss(issue.MissingColumn, dataSheet, 0, 6, "Thiếu cột Quê quán."),
		iss(issue.TotalMismatch, dataSheet, 31, 0, "Dòng tổng không khớp."),
		iss(issue.BadDate, "Biểu đồ", 2, 2, "Ô trên trang biểu đồ."),
		fileLevel,
	}
	issues[4].Raw = "12345\x0b<&>"
	issues[1].Raw = "=HYPERLINK(\"http://x\")"
	keep := append([]issue.Issue(nil), issues...)

	dst := filepath.Join(dir, "out", "phan-hoi.xlsx")
	if err := Write(context.Background(), src, dst, issues, DefaultLabels()); err != nil {
		t.Fatal(err)
	}
	for i := range issues {
		if issues[i].Code != keep[i].Code || issues[i].Row != keep[i].Row {
			t.Fatal("Write reordered the caller's slice")
		}
	}

	if fileHash(t, src) != before {
		t.Fatal("source file changed")
	}
	parts := wellFormed(t, dst)
	if bytes.Contains(parts["xl/styles.xml"], []byte(`rgb="FF"`)) {
		t.Error(`styles.xml has a colourless rgb="FF" colour`)
	}
	for name, data := range parts {
		if strings.HasPrefix(name, "xl/drawings/vmlDrawing") && bytes.Contains(data, []byte("<&>")) {
			t.Errorf("%s has unescaped text", name)
		}
	}

	f := open(t, dst)
	lab := DefaultLabels()
	list := f.GetSheetList()
	if list[0] != lab.SheetName {
		t.Fatalf("first sheet = %q, want %q (all: %v)", list[0], lab.SheetName, list)
	}
	if got := f.GetSheetName(f.GetActiveSheetIndex()); got != lab.SheetName {
		t.Errorf("active sheet = %q", got)
	}

	t.Run("values unchanged", func(t *testing.T) {
		if got := rawRows(t, f, dataSheet); fmt.Sprint(got) != fmt.Sprint(srcRows) {
			t.Errorf("DS values changed:\n got %q\nwant %q", got, srcRows)
		}
		if got := rawRows(t, f, otherSheet); fmt.Sprint(got) != fmt.Sprint(srcOther) {
			t.Errorf("%s values changed", otherSheet)
		}
		v, err := f.GetCellValue(dataSheet, "C5")
		must(t, err)
		if v != "05/01/1980" {
			t.Errorf("C5 shows %q, want 05/01/1980", v)
		}
	})

	t.Run("C5 keeps its style", func(t *testing.T) {
		st := cellStyle(t, f, dataSheet, "C5")
		if st.CustomNumFmt == nil || *st.CustomNumFmt != dateFmt {
			t.Errorf("C5 number format = %v, want %q", st.CustomNumFmt, dateFmt)
		}
		sides := map[string]excelize.Border{}
		for _, b := range st.Border {
			sides[b.Type] = b
		}
		for _, side := range []string{"left", "right", "top"} {
			if sides[side].Style != 1 {
				t.Errorf("C5 %s border = %+v, want thin", side, sides[side])
			}
		}
		if b := sides["bottom"]; b.Style != 2 || !strings.EqualFold(b.Color, "FF0000") {
			t.Errorf("C5 bottom border = %+v, want medium red", b)
		}
		if st.Font == nil || st.Font.Family != ".VnTime" || !st.Font.Bold || st.Font.Size != 13 {
			t.Errorf("C5 font = %+v", st.Font)
		}
		if st.Alignment == nil || st.Alignment.Horizontal != "center" {
			t.Errorf("C5 alignment = %+v", st.Alignment)
		}
		if got := fillColour(st); got != errorFill {
			t.Errorf("C5 fill = %q, want %q", got, errorFill)
		}
		// C6 has the same style and no issue: untouched.
		if got := fillColour(cellStyle(t, f, dataSheet, "C6")); got != "" {
			t.Errorf("C6 fill = %q, want none", got)
		}
	})

	t.Run("comments", func(t *testing.T) {
		cm := comments(t, f, dataSheet)
		if len(cm["E12"]) != 1 {
			t.Fatalf("E12 has %d comments, want 1", len(cm["E12"]))
		}
		text := cm["E12"][0]
		for _, want := range []string{"không có trong danh mục", "Chỉ ghi năm", "canbo:"} {
			if !strings.Contains(text, want) {
				t.Errorf("E12 comment %q lacks %q", text, want)
			}
		}
		if strings.Count(text, "\n") < 2 {
			t.Errorf("E12 comment %q: want one message per line", text)
		}
		// An error and a warning on one cell: the error colour wins.
		if got := fillColour(cellStyle(t, f, dataSheet, "E12")); got != errorFill {
			t.Errorf("E12 fill = %q, want %q", got, errorFill)
		}
		// The clerk's own note is kept under ours.
		if d7 := cm["D7"]; len(d7) != 1 || !strings.Contains(d7[0], "Giới tính không hợp lệ") || !strings.Contains(d7[0], "Đã kiểm tra") {
			t.Errorf("D7 comments = %q", d7)
		}
		// B21 is inside the merged A20:B21: the mark goes on A20.
		if a20 := cm["A20"]; len(a20) != 1 || !strings.Contains(a20[0], "ô gộp") {
			t.Errorf("A20 comments = %q", a20)
		}
		if _, ok := cm["B21"]; ok {
			t.Error("B21, hidden by the merge, got a comment")
		}
		if got := fillColour(cellStyle(t, f, dataSheet, "A20")); got != errorFill {
			t.Errorf("A20 fill = %q", got)
		}
		if oc := comments(t, f, otherSheet); len(oc["B3"]) != 1 {
			t.Errorf("%s!B3 comments = %q", otherSheet, oc["B3"])
		}
		if got := fillColour(cellStyle(t, f, otherSheet, "B3")); got != errorFill {
			t.Errorf("%s!B3 fill = %q", otherSheet, got)
		}
		// Column- and row-only issues are listed, not marked.
		if len(cm) != 4 {
			t.Errorf("DS comments on %d cells, want 4: %v", len(cm), cm)
		}
	})

	t.Run("warning colour", func(t *testing.T) {
		// A warning alone on a cell gets the warning fill (checked on a fresh run).
		dst2 := filepath.Join(dir, "warn.xlsx")
		must(t, Write(context.Background(), src, dst2, []issue.Issue{warn}, DefaultLabels()))
		g := open(t, dst2)
		if got := fillColour(cellStyle(t, g, dataSheet, "E12")); got != warningFill {
			t.Errorf("E12 fill = %q, want %q", got, warningFill)
		}
	})

	t.Run("problems sheet", func(t *testing.T) {
		rows, err := f.GetRows(lab.SheetName)
		must(t, err)
		if !strings.Contains(rows[0][0], "xa-an-binh.xlsx") || strings.Contains(rows[0][0], "{file}") {
			t.Errorf("title = %q", rows[0][0])
		}
		if rows[1][0] != lab.Intro {
			t.Errorf("intro = %q", rows[1][0])
		}
		if fmt.Sprint(rows[2]) != fmt.Sprint(lab.Columns) {
			t.Errorf("header = %q", rows[2])
		}
		body := rows[headerRow:]
		if len(body) != len(issues) {
			t.Fatalf("%d listed rows, want %d", len(body), len(issues))
		}
		type want struct{ sheet, cell, sev, code string }
		wants := []want{
			{"", "", lab.Warning, string(issue.Duplicated)},
			{dataSheet, "F", lab.Error, string(issue.MissingColumn)},
			{dataSheet, "C5", lab.Error, string(issue.BadDate)},
			{dataSheet, "D7", lab.Error, string(issue.UnknownValue)},
			{dataSheet, "E12", lab.Error, string(issue.UnknownValue)},
			{dataSheet, "E12", lab.Warning, string(issue.YearOnly)},
			{dataSheet, "B21", lab.Error, string(issue.RequiredValue)},
			{dataSheet, "31", lab.Warning, string(issue.TotalMismatch)},
			{otherSheet, "B3", lab.Error, string(issue.RequiredValue)},
			{"Biểu đồ", "B2", lab.Error, string(issue.BadDate)},
			{"Trang đã xoá", "D7", lab.Error, string(issue.BadID)},
		}
		for i, w := range wants {
			r := append(body[i], make([]string, numColumns)...)
			if r[0] != fmt.Sprint(i+1) || r[1] != w.sheet || r[2] != w.cell || r[3] != w.sev || r[4] != w.code {
				t.Errorf("row %d = %q, want %+v", i+1, r[:5], w)
			}
			if r[7] == "" {
				t.Errorf("row %d has no message", i+1)
			}
		}
		links := map[string]string{
			"C5": "'DS'!F:F", "C6": "'DS'!C5", "C8": "'DS'!E12", "C10": "'DS'!B21",
			"C11": "'DS'!31:31", "C12": "'Danh sách CB'!B3",
		}
		for cell, target := range links {
			ok, got, err := f.GetCellHyperLink(lab.SheetName, cell)
			must(t, err)
			if !ok || got != target {
				t.Errorf("link in %s = %v %q, want %q", cell, ok, got, target)
			}
		}
		for _, cell := range []string{"C4", "C13", "C14"} { // file-level, chart sheet, missing sheet
			if ok, got, _ := f.GetCellHyperLink(lab.SheetName, cell); ok {
				t.Errorf("%s links to %q, want no link", cell, got)
			}
		}
		raw, _ := f.GetCellValue(lab.SheetName, "G14")
		if !strings.HasPrefix(raw, "12345") || !strings.HasSuffix(raw, "<&>") {
			t.Errorf("raw value = %q", raw)
		}
		if formula, _ := f.GetCellFormula(lab.SheetName, "G8"); formula != "" {
			t.Errorf("raw value became a formula: %q", formula)
		}
		if got := fillColour(cellStyle(t, f, lab.SheetName, "D5")); got != errorFill {
			t.Errorf("severity D5 fill = %q", got)
		}
		if got := fillColour(cellStyle(t, f, lab.SheetName, "D4")); got != warningFill {
			t.Errorf("severity D4 fill = %q", got)
		}
		if st := cellStyle(t, f, lab.SheetName, "H5"); st.Alignment == nil || !st.Alignment.WrapText {
			t.Error("message column does not wrap")
		}
		panes, err := f.GetPanes(lab.SheetName)
		must(t, err)
		if !panes.Freeze || panes.YSplit != headerRow || panes.TopLeftCell != "A4" {
			t.Errorf("panes = %+v", panes)
		}
		if w, _ := f.GetColWidth(lab.SheetName, "H"); w < 50 {
			t.Errorf("message column width = %v", w)
		}
		if dim, _ := f.GetSheetDimension(lab.SheetName); dim != "A1:H14" {
			t.Errorf("dimension = %q, want A1:H14", dim)
		}
		var filter bool
		for _, dn := range f.GetDefinedName() {
			if dn.Name == "_xlnm._FilterDatabase" && dn.Scope == lab.SheetName {
				filter = strings.HasSuffix(dn.RefersTo, "$A$3:$H$14")
				if !filter {
					t.Errorf("filter range = %q", dn.RefersTo)
				}
			}
		}
		if !filter {
			t.Error("no autofilter on the problems sheet")
		}
	})

	t.Run("print area stays on its sheet", func(t *testing.T) {
		var found bool
		for _, dn := range f.GetDefinedName() {
			if dn.Name == "_xlnm.Print_Area" {
				found = true
				if dn.Scope != dataSheet {
					t.Errorf("print area scope = %q, want %q", dn.Scope, dataSheet)
				}
			}
		}
		if !found {
			t.Error("print area lost")
		}
	})
}

func TestWriteFewStyles(t *testing.T) {
	dir := t.TempDir()
	src := buildSource(t, dir, nil)
	var issues []issue.Issue
	for r := 5; r <= 30; r++ {
		issues = append(issues, iss(issue.BadDate, dataSheet, r, 3, "Ngày sai."))
		w := iss(issue.YearOnly, dataSheet, r, 2, "Chỉ có năm.")
		issues = append(issues, w)
	}
	dst := filepath.Join(dir, "fb.xlsx")
	must(t, Write(context.Background(), src, dst, issues, DefaultLabels()))
	f := open(t, dst)
	ids := map[int]bool{}
	for r := 5; r <= 30; r++ {
		for _, c := range []string{"B", "C"} {
			if c == "B" && (r == 20 || r == 21) {
				continue // inside the merged A20:B21: marked on A20
			}
			id, err := f.GetCellStyle(dataSheet, fmt.Sprintf("%s%d", c, r))
			must(t, err)
			ids[id] = true
		}
	}
	if len(ids) != 2 {
		t.Errorf("52 marked cells use %d styles, want 2 (one per base style and severity)", len(ids))
	}
}

func TestSheetNameTaken(t *testing.T) {
	dir := t.TempDir()
	src := buildSource(t, dir, func(f *excelize.File) {
		_, err := f.NewSheet("lỗi cần sửa") // differs only in case: Excel treats it as taken
		must(t, err)
		must(t, f.SetCellStr("lỗi cần sửa", "A1", "của xã"))
	})
	dst := filepath.Join(dir, "fb.xlsx")
	must(t, Write(context.Background(), src, dst, []issue.Issue{iss(issue.BadDate, dataSheet, 5, 3, "x")}, DefaultLabels()))
	f := open(t, dst)
	if got := f.GetSheetList()[0]; got != "Lỗi cần sửa (2)" {
		t.Errorf("problems sheet = %q, want %q", got, "Lỗi cần sửa (2)")
	}
	if v, _ := f.GetCellValue("lỗi cần sửa", "A1"); v != "của xã" {
		t.Errorf("clerk's sheet overwritten: A1 = %q", v)
	}
}

func TestUniqueSheetName(t *testing.T) {
	long := strings.Repeat("ệ", 40)
	cases := []struct {
		want  string
		taken []string
		out   string
	}{
		{"Lỗi", nil, "Lỗi"},
		{"Lỗi", []string{"LỖI", "Lỗi (2)"}, "Lỗi (3)"},
		{"a/b:c", nil, "a-b-c"},
		{"'x'", nil, "x"},
		{"", nil, DefaultLabels().SheetName},
		{long, nil, strings.Repeat("ệ", 31)},
		{long, []string{strings.Repeat("ệ", 31)}, strings.Repeat("ệ", 27) + " (2)"},
	}
	for _, c := range cases {
		if got := uniqueSheetName(c.want, c.taken); got != c.out {
			t.Errorf("uniqueSheetName(%q, %q) = %q, want %q", c.want, c.taken, got, c.out)
		}
	}
}

func TestLocation(t *testing.T) {
	cases := map[string]string{
		location("DS", 12, 5):          "'DS'!E12",
		location("Danh sách CB", 3, 2): "'Danh sách CB'!B3",
		location("O'Neil", 1, 1):       "'O''Neil'!A1",
		location("DS", 0, 28):          "'DS'!AB:AB",
		location("DS", 7, 0):           "'DS'!7:7",
	}
	for got, want := range cases {
		if got != want {
			t.Errorf("location = %q, want %q", got, want)
		}
	}
}

func TestRowLines(t *testing.T) {
	cases := []struct {
		field, raw, msg string
		want            int
	}{
		{"Họ tên", "", "Ngắn.", 1},
		{"", "", strings.Repeat("x", widthMessage), 1},
		{"", "", strings.Repeat("x", widthMessage+1), 2},
		{"", "", "một\nhai\nba", 3},
		{"", strings.Repeat("y", 3*widthRaw), "", 3},
	}
	for _, c := range cases {
		if got := rowLines(c.field, c.raw, c.msg); got != c.want {
			t.Errorf("rowLines(%q, %q, %q) = %d, want %d", c.field, c.raw, c.msg, got, c.want)
		}
	}
}

func TestLabelsDefaults(t *testing.T) {
	l := Labels{Columns: []string{"#"}, Intro: ""}.withDefaults()
	d := DefaultLabels()
	if l.Columns[0] != "#" || l.Columns[7] != d.Columns[7] || len(l.Columns) != numColumns {
		t.Errorf("columns = %q", l.Columns)
	}
	if l.SheetName != d.SheetName || l.Error != d.Error || l.Author != d.Author {
		t.Errorf("labels = %+v", l)
	}
	if l.Intro != "" {
		t.Error("an empty intro must stay empty")
	}
}

func TestWriteErrors(t *testing.T) {
	dir := t.TempDir()
	src := buildSource(t, dir, nil)
	before := fileHash(t, src)
	one := []issue.Issue{iss(issue.BadDate, dataSheet, 5, 3, "x")}

	t.Run("cancelled", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		dst := filepath.Join(dir, "cancelled.xlsx")
		if err := Write(ctx, src, dst, one, DefaultLabels()); !errors.Is(err, context.Canceled) {
			t.Errorf("err = %v, want context.Canceled", err)
		}
		if _, err := os.Stat(dst); !os.IsNotExist(err) {
			t.Error("dst written despite cancellation")
		}
	})
	t.Run("dst is src", func(t *testing.T) {
		if err := Write(context.Background(), src, src, one, DefaultLabels()); err == nil {
			t.Error("writing over the source was accepted")
		}
		if err := Write(context.Background(), src, filepath.Join(dir, ".", filepath.Base(src)), one, DefaultLabels()); err == nil {
			t.Error("writing over the source by another spelling was accepted")
		}
		if fileHash(t, src) != before {
			t.Error("source changed")
		}
	})
	t.Run("missing source", func(t *testing.T) {
		err := Write(context.Background(), filepath.Join(dir, "none.xlsx"), filepath.Join(dir, "o.xlsx"), one, DefaultLabels())
		if err == nil || !strings.Contains(err.Error(), "none.xlsx") {
			t.Errorf("err = %v", err)
		}
	})
	t.Run("not a workbook", func(t *testing.T) {
		bad := filepath.Join(dir, "bad.xlsx")
		must(t, os.WriteFile(bad, []byte("PK\x03\x04 not really"), 0o644))
		if err := Write(context.Background(), bad, filepath.Join(dir, "o.xlsx"), one, DefaultLabels()); err == nil {
			t.Error("garbage accepted")
		}
	})
	t.Run("previous dst kept on failure", func(t *testing.T) {
		dst := filepath.Join(dir, "keep.xlsx")
		must(t, os.WriteFile(dst, []byte("previous"), 0o644))
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		_ = Write(ctx, src, dst, one, DefaultLabels())
		if b, _ := os.ReadFile(dst); string(b) != "previous" {
			t.Error("previous dst replaced by a failed write")
		}
	})
}

func TestWriteNoIssues(t *testing.T) {
	dir := t.TempDir()
	src := buildSource(t, dir, nil)
	dst := filepath.Join(dir, "fb.xlsx")
	must(t, Write(context.Background(), src, dst, nil, DefaultLabels()))
	wellFormed(t, dst)
	f := open(t, dst)
	rows, err := f.GetRows(DefaultLabels().SheetName)
	must(t, err)
	if len(rows) != headerRow {
		t.Errorf("%d rows, want title, intro and header only", len(rows))
	}
}

// A workbook saved as .xlsm keeps its macro-enabled content type when the
// feedback copy keeps the extension.
func TestWriteKeepsExtensionContentType(t *testing.T) {
	dir := t.TempDir()
	src := buildSource(t, dir, nil)
	xlsm := filepath.Join(dir, "m.xlsm")
	f, err := excelize.OpenFile(src)
	must(t, err)
	must(t, f.SaveAs(xlsm))
	f.Close()
	dst := filepath.Join(dir, "fb.xlsm")
	must(t, Write(context.Background(), xlsm, dst, nil, DefaultLabels()))
	parts := wellFormed(t, dst)
	if !bytes.Contains(parts["[Content_Types].xml"], []byte("sheet.macroEnabled.main+xml")) {
		t.Error("xlsm lost its macro-enabled content type")
	}
}

// buildLarge writes a one-sheet roster with n data rows of 8 columns, bordered and
// with a date column, like a district's full list.
func buildLarge(t testing.TB, dir string, n int) string {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	custom := dateFmt
	border := []excelize.Border{{Type: "left", Style: 1}, {Type: "right", Style: 1}, {Type: "top", Style: 1}, {Type: "bottom", Style: 1}}
	plain, err := f.NewStyle(&excelize.Style{Border: border})
	must(t, err)
	date, err := f.NewStyle(&excelize.Style{Border: border, CustomNumFmt: &custom})
	must(t, err)
	sw, err := f.NewStreamWriter("Sheet1")
	must(t, err)
	must(t, sw.SetRow("A1", []any{"STT", "Họ và tên", "Ngày sinh", "Giới tính", "CCCD", "Chức vụ", "Đơn vị", "Ghi chú"}))
	for r := 2; r <= n+1; r++ {
		cell := func(v any) excelize.Cell { return excelize.Cell{StyleID: plain, Value: v} }
		must(t, sw.SetRow(fmt.Sprintf("A%d", r), []any{
			cell(r - 1), cell(fmt.Sprintf("Trần Thị %d", r)),
			excelize.Cell{StyleID: date, Value: time.Date(1970+r%40, time.Month(1+r%12), 1+r%28, 0, 0, 0, 0, time.UTC)},
			cell("Nữ"), cell(fmt.Sprintf("0%011d", r)), cell("Công chức"), cell("Xã An Bình"), cell(""),
		}))
	}
	must(t, sw.Flush())
	path := filepath.Join(dir, "large.xlsx")
	must(t, f.SaveAs(path))
	return path
}

// BenchmarkWrite5000 marks 5,000 cells (one per row, alternating columns and
// severities) on a 5,000-row sheet and lists them.
func BenchmarkWrite5000(b *testing.B) {
	const n = 5000
	dir := b.TempDir()
	src := buildLarge(b, dir, n)
	issues := make([]issue.Issue, 0, n)
	for r := 2; r <= n+1; r++ {
		code, col := issue.BadDate, 3
		if r%2 == 0 {
			code, col = issue.GuessedValue, 6
		}
		is := iss(code, "Sheet1", r, col, fmt.Sprintf("Giá trị ở dòng %d cần kiểm tra lại.", r))
		is.Raw = "x"
		issues = append(issues, is)
	}
	dst := filepath.Join(dir, "fb.xlsx")
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if err := Write(context.Background(), src, dst, issues, DefaultLabels()); err != nil {
			b.Fatal(err)
		}
	}
}

// TestHiddenRowsShown: a cell marked in a hidden row would be a mark no one sees; the
// feedback copy shows that row, and leaves the other hidden rows as they were.
func TestHiddenRowsShown(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "UBND xã A.xlsx")
	f := excelize.NewFile()
	for r, row := range [][]any{{"STT", "Họ và tên", "Ngày sinh"}, {1, "Nguyễn Văn An", "31/02/1980"}, {2, "Trần Thị Bình", "05/05/1990"}} {
		cell, _ := excelize.CoordinatesToCellName(1, r+1)
		if err := f.SetSheetRow("Sheet1", cell, &row); err != nil {
			t.Fatal(err)
		}
	}
	for _, r := range []int{2, 3} {
		if err := f.SetRowVisible("Sheet1", r, false); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.SaveAs(src); err != nil {
		t.Fatal(err)
	}
	f.Close()
	is := issue.New(issue.BadDate, "UBND xã A.xlsx", "Sheet1", 2, 3)
	is.Raw, is.Message = "31/02/1980", "Ô C2: ngày không hợp lệ"
	dst := filepath.Join(dir, "out.xlsx")
	if err := Write(context.Background(), src, dst, []issue.Issue{is}, DefaultLabels()); err != nil {
		t.Fatal(err)
	}
	out, err := excelize.OpenFile(dst)
	if err != nil {
		t.Fatal(err)
	}
	defer out.Close()
	for row, want := range map[int]bool{2: true, 3: false} {
		if got, _ := out.GetRowVisible("Sheet1", row); got != want {
			t.Errorf("row %d visible = %v, want %v", row, got, want)
		}
	}
}
