package workbook

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"canbo/pipeline/issue"
)

func openXLSStream(t testing.TB, stream []byte, lim Limits) (*Book, error) {
	t.Helper()
	data := oleWith("Workbook", stream)
	return OpenReaderAt(context.Background(), bytes.NewReader(data), int64(len(data)), "test.xls", lim)
}

// readBook reads every sheet, returning the rows per sheet and the first error.
func readBook(b *Book) ([][]Row, error) {
	ctx := context.Background()
	var out [][]Row
	for _, s := range b.Sheets() {
		rows, err := b.Rows(ctx, s.Index)
		if err != nil {
			return out, err
		}
		var rs []Row
		for rows.Next() {
			rs = append(rs, rows.Row())
		}
		out = append(out, rs)
		if err := rows.Err(); err != nil {
			return out, err
		}
	}
	return out, nil
}

// TestXLSFeatures checks features.xls (LibreOffice's conversion of features.xlsx)
// against known values, independently of the .xlsx reader.
func TestXLSFeatures(t *testing.T) {
	ctx := context.Background()
	b, err := Open(ctx, filepath.Join("testdata", "xls", "features.xls"), Limits{})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if b.Format() != "xls" || b.Codepage() != 1200 || b.Date1904() {
		t.Errorf("format %q, codepage %d, 1904 %v", b.Format(), b.Codepage(), b.Date1904())
	}
	want := []SheetInfo{{0, "Dữ liệu", false}, {1, "DanhMuc", true}, {2, "Tmp", true}, {3, "Trống", false}}
	if got := b.Sheets(); !slices.Equal(got, want) {
		t.Fatalf("sheets %v", got)
	}
	rows, r := readSheet(t, b, 0)
	if r.Err() != nil {
		t.Fatal(r.Err())
	}
	byNum := map[int]Row{}
	for _, row := range rows {
		byNum[row.Num] = row
	}
	cell := func(ref string) Cell {
		c, n, _ := parseRef([]byte(ref))
		return byNum[n].Cell(c)
	}
	for _, c := range []struct {
		ref        string
		kind       Kind
		text, font string
	}{
		{"A1", Text, "Họ và tên", "Times New Roman"},
		{"B1", Text, "Hïng Hµ Néi", ".VnTime"}, // the font of the first rich-text run
		{"C1", Text, "Nguyeãn Vaên", "VNI-Times"},
		{"D1", Text, "§¹i häc", ".VnTime"},
		{"E1", Text, "HÅ NéI", ".VnTimeH"},
		{"F1", Number, "12.5", "Times New Roman"},
		{"G1", Bool, "TRUE", ""},
		{"H1", ErrorValue, "#N/A", ""},
		{"J1", Bool, "FALSE", ""},
		{"B3", Text, "abc", ""},
		{"D3", ErrorValue, "#DIV/0!", ""},
		{"E3", Text, "", ""},
		{"G3", Text, "Đảng viên x", ""},
		{"H3", Number, "0.30000000000000004", ""},
		{"I2", Number, "-3.25", ""},
		{"H2", Number, "6077361940", ""},
		{"N2", Number, "123456789012345", ""},
		{"K2", Number, "1E-12", ""},
		{"C10", Text, "👍 Tốt 𝔸", ""},
		{"D10", Text, "tab\tand\nnewline", ""},
	} {
		got := cell(c.ref)
		if got.Kind != c.kind || got.Text != c.text || c.font != "" && got.Font != c.font {
			t.Errorf("%s = %v %q font %q; want %v %q font %q", c.ref, got.Kind, got.Text, got.Font, c.kind, c.text, c.font)
		}
	}
	for _, ref := range []string{"B3", "E3", "G3", "H3", "A3", "F3"} {
		if c := cell(ref); !c.Formula || c.NoCache {
			t.Errorf("%s: formula %v nocache %v", ref, c.Formula, c.NoCache)
		}
	}
	for ref, want := range map[string]time.Time{
		"A2": date(1980, 5, 17), "B2": date(1980, 5, 17), "F3": date(1980, 5, 18),
		"C2": time.Date(2020, 1, 1, 18, 0, 0, 0, time.UTC), "F2": date(2023, 9, 30),
		"L2": date(1900, 2, 28), "M2": date(1900, 3, 1),
		"D2": time.Date(1899, 12, 31, 12, 0, 0, 0, time.UTC), // built-in h:mm (LibreOffice writes it as a custom code)
	} {
		if c := cell(ref); c.Kind != Date || !c.Time.Equal(want) {
			t.Errorf("%s = %v %v (%q); want date %v", ref, c.Kind, c.Time, c.NumFmt, want)
		}
	}
	if c := cell("G2"); c.Kind != Number || c.Num != 0.8067 {
		t.Errorf("G2 = %+v", c)
	}
	if !byNum[2].Hidden || !byNum[8].Hidden || byNum[1].Hidden {
		t.Errorf("hidden rows: 1 %v, 2 %v, 8 %v", byNum[1].Hidden, byNum[2].Hidden, byNum[8].Hidden)
	}
	if a, b := cell("A10").Text, cell("B10").Text; a != strings.Repeat("Nguyen Van An, xa Nghia Ta; ", 330) ||
		b != strings.Repeat("Nguyễn Văn Ấn, xã Nghĩa Tá; ", 200) {
		t.Errorf("long strings: %d and %d bytes", len(a), len(b))
	}
	for i := 0; i < 700; i++ {
		want := []string{"Nguoi so %d - Dang vien", "Người số %d – Đảng viên", "Cán bộ %d, Chuyên viên chính"}[i%3]
		if got := cell(fmt.Sprintf("B%d", 20+i)).Text; got != fmt.Sprintf(want, i) {
			t.Fatalf("B%d = %q", 20+i, got)
		}
	}
	// Merged copies: A5:C5 across, A6:A8 down.
	for _, ref := range []string{"B5", "C5", "A7", "A8"} {
		if c := cell(ref); !c.Merged || c.Text == "" {
			t.Errorf("%s = %+v, want a merged copy", ref, c)
		}
	}
	wantMerges := []Range{{5, 1, 5, 3}, {6, 1, 8, 1}, {10, 5, 12, 7}}
	if got := r.Merges(); !slices.Equal(got, wantMerges) {
		t.Errorf("merges %v", got)
	}
}

// TestXLSDate1904 checks that LibreOffice kept the 1904 system of the Tân Lập sample
// (the comparison with the .xlsx checks the dates themselves).
func TestXLSDate1904(t *testing.T) {
	b, err := Open(context.Background(), filepath.Join("testdata", "xls", "tan-lap.xls"), Limits{})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if !b.Date1904() {
		t.Error("tan-lap.xls: Date1904 false")
	}
}

// craftedBook is a BIFF8 workbook written by the test writer, with every record kind
// the reader decodes.
func craftedBook() xlsBookSpec {
	sst := sstRecords([]sstEntry{
		{text: "Họ và tên"},
		{text: "Hïng", runs: []int{5}}, // FONT index 5 is the fifth FONT record
		{text: "Plain"},
		{text: ""},
		{text: "ext", ext: []byte{1, 2, 3, 4, 5, 6}},
	}, 8224)
	s1 := cat(
		rowRec(0, false), rowRec(1, true), rowRec(2, false), rowRec(4, false),
		labelSST(0, 0, 1, 0), labelSST(0, 1, 0, 1), labelSST(0, 2, 2, 2), labelSST(0, 3, 0, 3), labelSST(0, 4, 0, 4),
		numberRec(1, 0, 3, 29358), rkRec(1, 1, 0, 0x0000000A|2<<0), // RK: integer 2 (10>>2), fInt
		mulRK(1, 2, 0, uint32(5)<<2|2, uint32(1234)<<2|3, 0x3FF00000), // 5, 12.34, 1.0
		boolErrRec(1, 5, 0, 1, false), boolErrRec(1, 6, 0, 0x2A, true),
		labelRec(1, 7, 0, "nhãn"),
		formulaRec(2, 0, 0, fNum(42)),
		formulaRec(2, 1, 0, fSpecial(0, 0)), rec(rtShrFmla, make([]byte, 10)), stringRec("kết quả"),
		formulaRec(2, 2, 0, fSpecial(1, 1)),
		formulaRec(2, 3, 0, fSpecial(2, 0x07)),
		formulaRec(2, 4, 0, fSpecial(3, 0)),
		formulaRec(2, 5, 0, fSpecial(0, 0)), // string result, but no STRING record follows
		formulaRec(2, 6, 3, fNum(29359)),
		blankRec(3, 0, 0), mulBlank(3, 1, 0, 3),
		labelSST(4, 0, 0, 2), labelSST(4, 2, 0, 0),
		// An embedded chart: a nested substream whose records are not cells.
		bof(biff8Version, 0x20), numberRec(9, 9, 0, 1), eofRec,
		mergedCells(Range{5, 1, 6, 2}, Range{1, 4, 1, 4}),
	)
	return xlsBookSpec{
		fonts:   []string{"Times New Roman", "Arial", "Arial", "Arial", ".VnTime", "VNI-Times"},
		formats: map[int]string{164: "dd/mm/yyyy", 165: "0.00"},
		xfs:     [][2]int{{0, 0}, {6, 0}, {5, 165}, {0, 164}},
		sst:     sst,
		sheets: []xlsSheetSpec{
			{name: "DS", records: s1},
			{name: "Ẩn", state: 1, records: labelSST(0, 0, 0, 0)},
			{name: "Rất ẩn", state: 2},
			{name: "Biểu đồ", kind: 2},
		},
	}
}

func TestXLSCrafted(t *testing.T) {
	b, err := openXLSStream(t, craftedBook().stream(), Limits{})
	if err != nil {
		t.Fatal(err)
	}
	want := []SheetInfo{{0, "DS", false}, {1, "Ẩn", true}, {2, "Rất ẩn", true}}
	if got := b.Sheets(); !slices.Equal(got, want) {
		t.Fatalf("sheets %v", got)
	}
	rows, r := readSheet(t, b, 0)
	if r.Err() != nil {
		t.Fatal(r.Err())
	}
	var got []string
	for _, row := range rows {
		for _, c := range row.Cells {
			s := fmt.Sprintf("%s%d %v %q", issue.ColumnName(c.Col), row.Num, c.Kind, c.Text)
			if c.Font != "" {
				s += " font=" + c.Font
			}
			if c.Formula {
				s += " formula"
			}
			if c.NoCache {
				s += " nocache"
			}
			if c.Merged {
				s += " merged"
			}
			if c.Kind == Date {
				s += " " + c.Time.Format("2006-01-02")
			}
			if row.Hidden {
				s += " hidden"
			}
			got = append(got, s)
		}
	}
	wantCells := []string{
		`A1 1 "Họ và tên" font=VNI-Times`, // XF 1 → FONT index 6 → sixth record
		`B1 1 "Hïng" font=.VnTime`,        // rich-text run → FONT index 5 → fifth record
		`C1 1 "Plain" font=.VnTime`,
		`E1 1 "ext" font=Times New Roman`,
		`A2 3 "29358" font=Times New Roman 1980-05-17 hidden`,
		`B2 2 "2" font=Times New Roman hidden`,
		`C2 2 "5" font=Times New Roman hidden`,
		`D2 2 "12.34" font=Times New Roman hidden`,
		`E2 2 "1" font=Times New Roman hidden`,
		`F2 4 "TRUE" font=Times New Roman hidden`,
		`G2 5 "#N/A" font=Times New Roman hidden`,
		`H2 1 "nhãn" font=Times New Roman hidden`,
		`A3 2 "42" font=Times New Roman formula`,
		`B3 1 "kết quả" font=Times New Roman formula`,
		`C3 4 "TRUE" font=Times New Roman formula`,
		`D3 5 "#DIV/0!" font=Times New Roman formula`,
		`E3 1 "" font=Times New Roman formula`,
		`F3 0 "" font=Times New Roman formula nocache`,
		`G3 3 "29359" font=Times New Roman formula 1980-05-18`,
		`A5 1 "Plain" font=Times New Roman`,
		`B5 1 "Plain" font=Times New Roman merged`, // A5:B6; row 6 does not exist
		`C5 1 "Họ và tên" font=Times New Roman`,
	}
	if !slices.Equal(got, wantCells) {
		t.Errorf("cells:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(wantCells, "\n"))
	}
	if c := rows[0].Cell(3); c.NumFmt != "0.00" {
		t.Errorf("C1 format %q", c.NumFmt)
	}
	if rows, _ := readSheet(t, b, 1); len(rows) != 1 || rows[0].Cell(1).Text != "Họ và tên" {
		t.Errorf("hidden sheet: %v", rows)
	}
	if rows, _ := readSheet(t, b, 2); len(rows) != 0 {
		t.Errorf("empty sheet: %v", rows)
	}
	// The 1904 system shifts dates by 1462 days.
	spec := craftedBook()
	spec.date1904 = true
	b, err = openXLSStream(t, spec.stream(), Limits{})
	if err != nil {
		t.Fatal(err)
	}
	rows, _ = readSheet(t, b, 0)
	if c := rows[1].Cell(1); !b.Date1904() || c.Kind != Date || !c.Time.Equal(date(1984, 5, 18)) {
		t.Errorf("1904: %v %v", c.Kind, c.Time)
	}
}

// TestXLSRK covers the four RK encodings.
func TestXLSRK(t *testing.T) {
	for rk, want := range map[uint32]float64{
		0x3FF00000:             1,
		0x3FF00001:             0.01,
		uint32(123)<<2 | 2:     123,
		uint32(12345)<<2 | 3:   123.45,
		uint32(1<<32-8) | 2:    -2,        // negative integer
		0x405EC000:             123,       // 123.0 as a truncated double
		uint32(0xC0590000):     -100,      // -100.0 as a double
		uint32(1<<29-1)<<2 | 2: 1<<29 - 1, // largest 30-bit integer
	} {
		if got := rkValue(rk); got != want {
			t.Errorf("rk %#x = %v, want %v", rk, got, want)
		}
	}
	tenth := 0.1
	for f, want := range map[float64]string{0: "0", 12.5: "12.5", -3: "-3", 6077361940: "6077361940", 1e-12: "1E-12",
		1e21: "1E+21", tenth + 0.2: "0.30000000000000004", 1e15: "1000000000000000", 123456789012.25: "123456789012.25"} {
		if got := formatNumber(f); got != want {
			t.Errorf("formatNumber(%v) = %q, want %q", f, got, want)
		}
	}
}

// TestXLSSSTContinue writes the same strings with every record size from tiny to
// Excel's 8,224 bytes, so that headers, compressed and UTF-16 characters, surrogate
// pairs, runs and phonetic data all land on CONTINUE boundaries somewhere, and checks
// every string and run font comes back.
func TestXLSSSTContinue(t *testing.T) {
	entries := []sstEntry{
		{text: "Nguyễn Văn An"}, {text: "abcdefghijklmnopqrstuvwxyz"}, {text: ""}, {text: "x"},
		{text: "Hïng Hµ Néi", runs: []int{5, 0, 1}}, {text: "đ"}, {text: "𝔸👍𝔹"},
		{text: strings.Repeat("ab", 40) + "Ấ" + strings.Repeat("cd", 40)}, // compressed part, then UTF-16
		{text: "phonetic", ext: bytes.Repeat([]byte{7}, 30), runs: []int{0}},
		{text: "latin but forced", force: true},
		{text: strings.Repeat("Trần Thị Bình; ", 30)},
	}
	fonts := []string{"F0", "F1", "F2", "F3", "F5", "F6"}
	for limit := 12; limit <= 8224; limit += max(1, limit/6) {
		spec := xlsBookSpec{fonts: fonts, sst: sstRecords(entries, limit), sheets: []xlsSheetSpec{{name: "S"}}}
		var recs []byte
		for i := range entries {
			recs = append(recs, labelSST(i, 0, 0, i)...)
		}
		spec.sheets[0].records = recs
		b, err := openXLSStream(t, spec.stream(), Limits{})
		if err != nil {
			t.Fatalf("limit %d: %v", limit, err)
		}
		if len(b.xls.sst) != len(entries) {
			t.Fatalf("limit %d: %d strings", limit, len(b.xls.sst))
		}
		for i, e := range entries {
			if b.xls.sst[i] != e.text {
				t.Fatalf("limit %d: string %d = %q, want %q", limit, i, b.xls.sst[i], e.text)
			}
			wantFont := ""
			if len(e.runs) > 0 {
				wantFont = (&globals{fonts: fonts}).font(e.runs[0])
			}
			if b.xls.sstFonts[i] != wantFont {
				t.Fatalf("limit %d: string %d font %q, want %q", limit, i, b.xls.sstFonts[i], wantFont)
			}
		}
	}
}

// TestXLSContinuedString covers a formula's STRING record continued in CONTINUE
// records, with the encoding switching at the boundary.
func TestXLSContinuedString(t *testing.T) {
	text := strings.Repeat("a", 10) + strings.Repeat("ư", 10)
	body := cat(u16(20), []byte{0}, []byte(strings.Repeat("a", 10)))
	var cont []byte
	for _, r := range strings.Repeat("ư", 10) {
		cont = append(cont, u16(int(r))...)
	}
	recs := cat(formulaRec(0, 0, 0, fSpecial(0, 0)), rec(rtString, body), rec(rtContinue, []byte{1}, cont[:6]),
		rec(rtContinue, []byte{1}, cont[6:]))
	b, err := openXLSStream(t, xlsBookSpec{sheets: []xlsSheetSpec{{name: "S", records: recs}}}.stream(), Limits{})
	if err != nil {
		t.Fatal(err)
	}
	rows, r := readSheet(t, b, 0)
	if r.Err() != nil || len(rows) != 1 || rows[0].Cell(1).Text != text {
		t.Fatalf("rows %v, err %v", rows, r.Err())
	}
}

// TestXLSOutOfOrder: cells written column by column (as some old tools do) still come
// out row by row, in order, each row sorted by column.
func TestXLSOutOfOrder(t *testing.T) {
	var recs []byte
	for col := 0; col < 3; col++ {
		for row := 0; row < 4; row++ {
			recs = append(recs, rkRec(row, col, 0, uint32(row*10+col)<<2|2)...)
		}
	}
	b, err := openXLSStream(t, xlsBookSpec{sheets: []xlsSheetSpec{{name: "S", records: recs}}}.stream(), Limits{})
	if err != nil {
		t.Fatal(err)
	}
	rows, r := readSheet(t, b, 0)
	if r.Err() != nil || len(rows) != 4 {
		t.Fatalf("%d rows, err %v", len(rows), r.Err())
	}
	for i, row := range rows {
		if row.Num != i+1 || len(row.Cells) != 3 {
			t.Fatalf("row %d: %+v", i, row)
		}
		for j, c := range row.Cells {
			if c.Col != j+1 || c.Num != float64(i*10+j) {
				t.Fatalf("row %d cell %d: %+v", i, j, c)
			}
		}
	}
}

// TestXLSHostile: damaged, encrypted and old files are refused with a clear code at
// Open, or fail the sheet with one, and never panic.
func TestXLSHostile(t *testing.T) {
	good := craftedBook()
	withSheets := func(sh ...xlsSheetSpec) []byte { s := good; s.sheets = sh; return s.stream() }
	pos := func(n int) *int { return &n }
	stream := good.stream()
	cases := []struct {
		name     string
		stream   []byte
		open     issue.Code // at Open
		rows     issue.Code // at Rows or Next of some sheet
		format   string
		lim      Limits
		noOLEPad bool
	}{
		{name: "encrypted (FILEPASS)", stream: func() []byte { s := good; s.filePass = true; return s.stream() }(), open: issue.Encrypted},
		{name: "BIFF5 BOF", stream: func() []byte { s := good; s.version = 0x0500; return s.stream() }(), open: issue.LegacyFormat, format: "xls5"},
		{name: "BIFF4 BOF", stream: cat(rec(rtBOF4, u16(0), u16(0x10), u16(0)), eofRec), open: issue.LegacyFormat, format: "xls5"},
		{name: "not a BOF", stream: cat(rec(rtNumber, make([]byte, 14)), eofRec), open: issue.Corrupt},
		{name: "short BOF", stream: rec(rtBOF, u16(0x600)), open: issue.Corrupt},
		{name: "worksheet first", stream: cat(bof(biff8Version, bofWorksheet), eofRec), open: issue.Corrupt},
		{name: "globals without EOF", stream: stream[:60], open: issue.Corrupt},
		{name: "record past the end", stream: cat(bof(biff8Version, bofGlobals), u16(rtCodePage), u16(500), u16(1200)), open: issue.Corrupt},
		{name: "no worksheet", stream: withSheets(), open: issue.EmptyWorkbook},
		{name: "only a chart", stream: withSheets(xlsSheetSpec{name: "C", kind: 2}), open: issue.EmptyWorkbook},
		{name: "sheet offset past the end", stream: withSheets(xlsSheetSpec{name: "S", pos: pos(1 << 30)}), rows: issue.Corrupt},
		{name: "sheet offset into the globals", stream: withSheets(xlsSheetSpec{name: "S", pos: pos(0)}), rows: issue.Corrupt},
		{name: "sheet offset mid-record", stream: withSheets(xlsSheetSpec{name: "S", pos: pos(7)}), rows: issue.Corrupt},
		{name: "two sheets, one substream", stream: func() []byte {
			s := good
			s.sheets = []xlsSheetSpec{{name: "A", records: labelSST(0, 0, 0, 0)}, {name: "B"}}
			out := s.stream()
			// Point B at A's substream.
			a := bytes.Index(out, []byte("\x85\x00"))
			b := a + 4 + int(le16(out[a+2:]))
			copy(out[b+4:b+8], out[a+4:a+8])
			return out
		}(), rows: issue.Corrupt},
		{name: "sheet without EOF", stream: withSheets(xlsSheetSpec{name: "S", records: labelSST(0, 0, 0, 0), noEOF: true}), rows: issue.Corrupt},
		{name: "sheet cut mid-record", stream: func() []byte {
			s := withSheets(xlsSheetSpec{name: "S", records: cat(labelSST(0, 0, 0, 0), labelSST(1, 0, 0, 0))})
			return s[:len(s)-10]
		}(), rows: issue.Corrupt},
		{name: "shared string out of range", stream: withSheets(xlsSheetSpec{name: "S", records: labelSST(0, 0, 0, 99)}), rows: issue.Corrupt},
		{name: "short cell records", stream: withSheets(xlsSheetSpec{name: "S", records: cat(
			rec(rtLabelSST, cellHdr(0, 0, 0)), rec(rtNumber, cellHdr(0, 1, 0)), rec(rtRK, cellHdr(0, 2, 0)),
			rec(rtBoolErr, cellHdr(0, 3, 0)), rec(rtFormula, cellHdr(0, 4, 0)))}), rows: issue.Corrupt},
		{name: "short MULRK and MERGEDCELLS", stream: withSheets(xlsSheetSpec{name: "S", records: cat(
			rec(rtMulRK, u16(0), u16(0), u16(0), u16(0)), rec(rtMergedCells, u16(65535), u16(0)), rec(rtMergedCells, u16(3)), rec(rtRow, u16(1)))})},
		{name: "SST declares 4 billion strings", stream: func() []byte {
			s := good
			s.sst = rec(rtSST, u32(1<<32-1), u32(1<<32-1), xlString("a"))
			s.sheets = []xlsSheetSpec{{name: "S", records: labelSST(0, 0, 0, 0)}}
			return s.stream()
		}()},
		{name: "SST string longer than its records", stream: func() []byte {
			s := good
			s.sst = rec(rtSST, u32(1), u32(1), u16(65535), []byte{1}, []byte("ab"))
			return s.stream()
		}(), open: issue.Corrupt},
		{name: "SST phonetic block of 4 GB", stream: func() []byte {
			s := good
			s.sst = rec(rtSST, u32(1), u32(1), u16(1), []byte{0x04}, u32(1<<32-1), []byte("a"))
			return s.stream()
		}(), open: issue.Corrupt},
		{name: "SST 65535 runs", stream: func() []byte {
			s := good
			s.sst = rec(rtSST, u32(1), u32(1), u16(1), []byte{0x08}, u16(65535), []byte("a"), u16(0), u16(0))
			return s.stream()
		}(), open: issue.Corrupt},
		{name: "short SST", stream: func() []byte { s := good; s.sst = rec(rtSST, u32(1)); return s.stream() }(), open: issue.Corrupt},
		// A FORMAT record cut short (as in POI's 61045_govdocs1_626534.xls) loses
		// only its number format; the workbook reads.
		{name: "short FORMAT string", stream: func() []byte {
			s := good
			s.extra = rec(rtFormat, u16(170), u16(200), []byte{0})
			return s.stream()
		}()},
		{name: "short XF", stream: func() []byte { s := good; s.extra = rec(rtXF, u16(0)); return s.stream() }(), open: issue.Corrupt},
		{name: "short BOUNDSHEET", stream: func() []byte { s := good; s.extra = rec(rtBoundSheet, u16(0)); return s.stream() }(), open: issue.Corrupt},
		{name: "unterminated nested BOFs", stream: withSheets(xlsSheetSpec{name: "S", records: bytes.Repeat(bof(biff8Version, 0x20), 1000)}), rows: issue.Corrupt},
		{name: "shared strings over the limit", stream: stream, lim: Limits{MaxSharedStrings: 2}, open: issue.TooLarge},
		{name: "stream over MaxPartSize", stream: stream, lim: Limits{MaxPartSize: 1000}, open: issue.TooLarge},
		{name: "trailing garbage", stream: func() []byte { s := good; s.trailer = []byte{1, 2, 3, 0xFF, 0xFF}; return s.stream() }()},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			b, err := openXLSStream(t, c.stream, c.lim)
			if got := codeOf(t, err); got != c.open {
				t.Fatalf("open: %v, want %q", err, c.open)
			}
			if err != nil {
				var we *Error
				errors.As(err, &we)
				if c.format != "" && we.Args["format"] != c.format {
					t.Errorf("format %q, want %q", we.Args["format"], c.format)
				}
				return
			}
			_, err = readBook(b)
			if got := codeOf(t, err); got != c.rows {
				t.Fatalf("rows: %v, want %q", err, c.rows)
			}
		})
	}
}

// TestXLSOLEDamage damages the compound file around a good Workbook stream.
func TestXLSOLEDamage(t *testing.T) {
	stream := craftedBook().stream()
	for _, c := range []struct {
		name   string
		damage func(f []byte) []byte
		want   issue.Code
	}{
		{"size beyond the file", func(f []byte) []byte {
			e := oleStreamDirEntry(f)
			putU32(f[e+120:], 1<<31)
			return f
		}, issue.Corrupt},
		{"size beyond its sectors", func(f []byte) []byte {
			e := oleStreamDirEntry(f)
			putU32(f[e+120:], uint32(len(f)-600))
			return f
		}, issue.Corrupt},
		{"chain loops on itself", func(f []byte) []byte {
			nFAT := int(le32(f[44:]))
			first := nFAT + 1
			putU32(f[512+4*first:], uint32(first)) // sector → itself
			return f
		}, issue.Corrupt},
		{"chain ends early", func(f []byte) []byte {
			nFAT := int(le32(f[44:]))
			putU32(f[512+4*(nFAT+1):], 0xFFFFFFFE)
			return f
		}, issue.Corrupt},
		{"chain points past the file", func(f []byte) []byte {
			nFAT := int(le32(f[44:]))
			putU32(f[512+4*(nFAT+1):], 0x00FFFFFF)
			return f
		}, issue.Corrupt},
		{"truncated file", func(f []byte) []byte { return f[:len(f)-700] }, issue.Corrupt},
		{"Workbook is a storage", func(f []byte) []byte {
			f[oleStreamDirEntry(f)+66] = 1
			return f
		}, issue.NotWorkbook},
		{"Book stream (Excel 5/95)", func(f []byte) []byte {
			e := oleStreamDirEntry(f)
			copy(f[e:e+64], make([]byte, 64))
			for i, c := range "Book" {
				f[e+2*i] = byte(c)
			}
			putU16(f[e+64:], 10)
			return f
		}, issue.LegacyFormat},
	} {
		t.Run(c.name, func(t *testing.T) {
			f := c.damage(oleWith("Workbook", stream))
			b, err := OpenReaderAt(context.Background(), bytes.NewReader(f), int64(len(f)), "x.xls", Limits{})
			if err == nil {
				_, err = readBook(b)
			}
			if got := codeOf(t, err); got != c.want {
				t.Fatalf("%v, want %q", err, c.want)
			}
		})
	}
}

func putU32(b []byte, v uint32) { copy(b, u32(v)) }
func putU16(b []byte, v int)    { copy(b, u16(v)) }

// TestXLSTruncatedEverywhere cuts a crafted stream and a real one at every length:
// each cut opens or fails with an *Error, and reading never panics or goes wrong.
func TestXLSTruncatedEverywhere(t *testing.T) {
	real, err := os.ReadFile(filepath.Join("testdata", "xls", "nghia-ta.xls"))
	if err != nil {
		t.Fatal(err)
	}
	rb, err := OpenReaderAt(context.Background(), bytes.NewReader(real), int64(len(real)), "x.xls", Limits{})
	if err != nil {
		t.Fatal(err)
	}
	for _, stream := range [][]byte{craftedBook().stream(), rb.xls.data} {
		step := max(1, len(stream)/3000)
		for n := 0; n <= len(stream); n += step {
			b, err := openXLS(context.Background(), stream[:n], "cut", Limits{}.withDefaults())
			if err != nil {
				codeOf(t, err)
				continue
			}
			if _, err := readBook(b); err != nil {
				codeOf(t, err)
			}
		}
	}
	// Cutting the compound file itself.
	for n := 0; n < len(real); n += 97 {
		b, err := OpenReaderAt(context.Background(), bytes.NewReader(real[:n]), int64(n), "x.xls", Limits{})
		if err != nil {
			codeOf(t, err)
			continue
		}
		if _, err := readBook(b); err != nil {
			codeOf(t, err)
		}
	}
}

// TestXLSHugeCountsCheap: counts read from the file do not size allocations. A small
// file declaring 4 billion shared strings, 65,535 merged ranges and cells far to the
// right must cost next to nothing. (A 4 GB phonetic block or 65,535 runs are refused
// as Corrupt, without allocating: see TestXLSHostile.)
func TestXLSHugeCountsCheap(t *testing.T) {
	s := craftedBook()
	s.sst = rec(rtSST, u32(1<<32-1), u32(1<<32-1), xlString("a"))
	s.sheets = []xlsSheetSpec{{name: "S", records: cat(labelSST(0, 0, 0, 0), rec(rtMergedCells, u16(65535), make([]byte, 16)),
		rec(rtMulRK, u16(0), u16(65000), make([]byte, 6*100), u16(0)))}}
	stream := s.stream()
	run := func() {
		b, err := openXLSStream(t, stream, Limits{})
		if err != nil {
			t.Fatal(err)
		}
		rows, err := readBook(b)
		if err != nil || len(rows[0]) != 1 {
			t.Fatalf("%v, %v", rows, err)
		}
	}
	allocs := testing.AllocsPerRun(5, run)
	var m0, m1 runtimeMem
	m0.read()
	run()
	m1.read()
	t.Logf("%d bytes, %.0f allocations", m1.total-m0.total, allocs)
	if d := m1.total - m0.total; d > 2<<20 || allocs > 1000 {
		t.Errorf("%d bytes, %.0f allocations", d, allocs)
	}
}

// TestXLSLimits: rows, columns, merges and shared strings are bounded as for .xlsx.
func TestXLSLimits(t *testing.T) {
	var recs []byte
	for row := 0; row < 50; row++ {
		recs = append(recs, mulRK(row, 0, 0, slices.Repeat([]uint32{2<<2 | 2}, 20)...)...)
	}
	var ms []Range
	for i := 0; i < 30; i++ {
		ms = append(ms, Range{Top: 60 + 2*i, Left: 1, Bottom: 61 + 2*i, Right: 1})
	}
	recs = append(recs, mergedCells(ms...)...)
	stream := xlsBookSpec{sheets: []xlsSheetSpec{{name: "S", records: recs}}}.stream()
	b, err := openXLSStream(t, stream, Limits{MaxRows: 10, MaxColumns: 5, MaxMerges: 7})
	if err != nil {
		t.Fatal(err)
	}
	rows, r := readSheet(t, b, 0)
	if r.Err() != nil || len(rows) != 10 || len(rows[9].Cells) != 5 || len(r.Merges()) != 7 {
		t.Fatalf("%d rows, %d cells, %d merges, err %v", len(rows), len(rows[9].Cells), len(r.Merges()), r.Err())
	}
	var what []string
	for _, n := range r.NoteDetails() {
		what = append(what, n.What)
	}
	slices.Sort(what)
	if !slices.Equal(what, []string{"columns", "merges", "rows"}) {
		t.Errorf("notes %v", r.Notes())
	}
}

type runtimeMem struct{ total uint64 }

func (m *runtimeMem) read() {
	var s runtime.MemStats
	runtime.ReadMemStats(&s)
	m.total = s.TotalAlloc
}

// TestXLSCancelAndClose: a cancelled context stops Open, Rows and Next; a closed book
// fails its rows with ReadFailed.
func TestXLSCancelAndClose(t *testing.T) {
	var recs []byte
	for row := 0; row < 20000; row++ {
		recs = append(recs, rkRec(row, 0, 0, uint32(row)<<2|2)...)
	}
	data := oleWith("Workbook", xlsBookSpec{sheets: []xlsSheetSpec{{name: "S", records: recs}}}.stream())
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := OpenReaderAt(ctx, bytes.NewReader(data), int64(len(data)), "x.xls", Limits{}); err != context.Canceled {
		t.Fatalf("open: %v", err)
	}
	ctx, cancel = context.WithCancel(context.Background())
	defer cancel()
	b, err := OpenReaderAt(ctx, bytes.NewReader(data), int64(len(data)), "x.xls", Limits{})
	if err != nil {
		t.Fatal(err)
	}
	rows, err := b.Rows(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for rows.Next() {
		if n++; n == 100 {
			cancel()
		}
	}
	if rows.Err() != context.Canceled || n > 200 {
		t.Fatalf("after cancel: %d rows, err %v", n, rows.Err())
	}
	if _, err := b.Rows(ctx, 0); err != context.Canceled {
		t.Fatalf("Rows after cancel: %v", err)
	}
	rows, err = b.Rows(context.Background(), 0)
	if err != nil {
		t.Fatal(err)
	}
	rows.Next()
	b.Close()
	if rows.Next() || codeOf(t, rows.Err()) != issue.ReadFailed {
		t.Fatalf("after Close: %v", rows.Err())
	}
	if _, err := b.Rows(context.Background(), 0); codeOf(t, err) != issue.ReadFailed {
		t.Fatalf("Rows after Close: %v", err)
	}
}

// TestXLSRepeatedCells: a row whose cells are stored right to left, or one cell
// stored a million times, stays cheap and keeps one cell per column (the last one).
func TestXLSRepeatedCells(t *testing.T) {
	var recs []byte
	for col := 255; col >= 0; col-- {
		recs = append(recs, rkRec(0, col, 0, uint32(col)<<2|2)...)
	}
	one := rkRec(1, 3, 0, 7<<2|2)
	recs = append(recs, bytes.Repeat(one, 200_000)...)
	recs = append(recs, rkRec(1, 3, 0, 8<<2|2)...)
	b, err := openXLSStream(t, xlsBookSpec{sheets: []xlsSheetSpec{{name: "S", records: recs}}}.stream(), Limits{MaxColumns: 300})
	if err != nil {
		t.Fatal(err)
	}
	rows, r := readSheet(t, b, 0)
	if r.Err() != nil || len(rows) != 2 || len(rows[0].Cells) != 256 || len(rows[1].Cells) != 1 {
		t.Fatalf("%d rows, err %v", len(rows), r.Err())
	}
	for i, c := range rows[0].Cells {
		if c.Col != i+1 || c.Num != float64(i) {
			t.Fatalf("cell %d: %+v", i, c)
		}
	}
	if c := rows[1].Cells[0]; c.Col != 4 || c.Num != 8 {
		t.Errorf("repeated cell: %+v", c)
	}
	if cap(r.cells) > 4*300 {
		t.Errorf("row buffer grew to %d cells", cap(r.cells))
	}
}

// TestXLSConcurrentSheets reads the sheets of one .xls book from several goroutines
// (run with -race): the stream and globals are shared read-only.
func TestXLSConcurrentSheets(t *testing.T) {
	b, err := Open(context.Background(), filepath.Join("testdata", "xls", "features.xls"), Limits{})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	want, err := readBook(b)
	if err != nil {
		t.Fatal(err)
	}
	errs := make(chan error, 8)
	for g := 0; g < 8; g++ {
		go func() {
			got, err := readBook(b)
			if err == nil && !reflect.DeepEqual(got, want) {
				err = errors.New("different rows")
			}
			errs <- err
		}()
	}
	for range 8 {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}
