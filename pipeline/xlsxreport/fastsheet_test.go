package xlsxreport_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"slices"
	"testing"

	"github.com/xuri/excelize/v2"

	"canbo/pipeline/summary"
	"canbo/pipeline/xlsxreport"
)

// longLists is the fixture with a below-standard list and a problem list long enough
// to take several deflate chunks, holding the texts whose escaping is easy to get
// wrong: markup characters, quotes, spaces at the ends, line breaks, tabs, control
// characters, invalid UTF-8, empty values, dates and missing dates.
func longLists(t testing.TB, n int, extra ...summary.Person) *summary.Summary {
	s, _, _ := fixture(t)
	c := *s
	odd := []string{"Lê <Văn> & \"Tư\" 'Út'", " Nguyễn Lan ", "Trần\nBình", "Tab\there", "ctl\x01\x1f", "bad \xff utf8",
		"", "Đặng Thị Hồng Nhung", "\u00a0nbsp", "emoji 😀", "a>b&c", "\r\n"}
	c.BelowStandard = make([]summary.Person, 0, n+len(extra))
	for i := range n {
		birth := fmt.Sprintf("19%02d-%02d-%02d", 50+i%50, 1+i%12, 1+i%28)
		if i%7 == 0 {
			birth = ""
		}
		row := 8 + i%900
		if i%11 == 0 {
			row = 0
		}
		c.BelowStandard = append(c.BelowStandard, summary.Person{Standard: "cong_chuc_xa", Unit: fmt.Sprintf("UBND xã %d", i%40),
			Name: odd[i%len(odd)] + fmt.Sprint(i), BirthDate: birth, Position: odd[(i+3)%len(odd)],
			File: fmt.Sprintf("Đơn vị %d.xlsx", i%300), Sheet: "DS", Row: row,
			Missing: s.BelowStandard[i%2].Missing})
	}
	c.BelowStandard = append(c.BelowStandard, extra...)
	c.Problems = slices.Clone(s.Problems)
	for i := range n / 2 {
		c.Problems = append(c.Problems, summary.Problem{Code: "unknown-value", Severity: []string{"error", "warning"}[i%2],
			File: fmt.Sprintf("Đơn vị %d.xlsx", i%300), Sheet: "DS", Cell: fmt.Sprintf("H%d", 8+i),
			Field: "trinh_do_chuyen_mon", Raw: odd[i%len(odd)], Message: "Không nhận ra “" + odd[(i+5)%len(odd)] + "”."})
	}
	return &c
}

// TestFastBodiesSameAsStreamWriter writes the same report with the sheet bodies
// generated into the package and through excelize's StreamWriter, and reads both
// back with excelize: every sheet must have the same cells (values as shown and as
// stored, types, styles), merged ranges, row heights and column widths. A text is a
// text whether shared (the generated bodies) or inline (StreamWriter); the generated
// list must refer to the shared string table, up to its bound (then inline).
func TestFastBodiesSameAsStreamWriter(t *testing.T) {
	_, cfg, txt := fixture(t)
	for _, tc := range []struct {
		name      string
		s         *summary.Summary
		fast      bool // the below-standard list is generated
		sheet     string
		maxShared int  // texts the bodies may share, 0 for the default
		inline    bool // some of the list's texts are inline
	}{
		{"long lists", longLists(t, 6000), true, "Chưa đạt chuẩn", 0, false},
		// Past the bound, texts not shared yet are written inline.
		{"shared table full", longLists(t, 3000), true, "Chưa đạt chuẩn", 500, true},
		// excelize re-escapes "_xHHHH_": that sheet keeps the StreamWriter.
		{"escaped text", longLists(t, 50, summary.Person{Standard: "cong_chuc_xa", Unit: "UBND xã A", Name: "_x0041_"}), false, "Chưa đạt chuẩn", 0, true},
		// A date before 1901: the same.
		{"old date", longLists(t, 50, summary.Person{Standard: "cong_chuc_xa", Unit: "UBND xã A", Name: "Cụ", BirthDate: "1899-05-01"}), false, "Chưa đạt chuẩn", 0, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var fast, streamed bytes.Buffer
			gen, err := xlsxreport.RenderBodiesShared(context.Background(), &fast, tc.s, cfg, txt, false, tc.maxShared)
			if err != nil {
				t.Fatal(err)
			}
			shared, inline := textCells(t, fast.Bytes(), tc.sheet, 5) // the list, below its title and header
			if shared == 0 && tc.fast || inline > 0 != tc.inline {
				t.Errorf("%s: %d shared texts and %d inline, want shared and inline: %v", tc.sheet, shared, inline, tc.inline)
			}
			if _, err := xlsxreport.RenderBodies(context.Background(), &streamed, tc.s, cfg, txt, true); err != nil {
				t.Fatal(err)
			}
			if got := slices.Contains(gen, tc.sheet); got != tc.fast {
				t.Fatalf("sheet %q generated: %v, want %v (generated: %q)", tc.sheet, got, tc.fast, gen)
			}
			if !slices.Contains(gen, "Lỗi dữ liệu") {
				t.Errorf("the problem list was not generated (generated: %q)", gen)
			}
			sameWorkbook(t, &fast, &streamed)
		})
	}
}

func sameWorkbook(t *testing.T, got, want *bytes.Buffer) {
	t.Helper()
	g, err := excelize.OpenReader(got)
	if err != nil {
		t.Fatalf("the generated workbook does not open: %v", err)
	}
	defer g.Close()
	w, err := excelize.OpenReader(want)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	if gl, wl := g.GetSheetList(), w.GetSheetList(); !slices.Equal(gl, wl) {
		t.Fatalf("sheets %q, want %q", gl, wl)
	}
	for _, sh := range w.GetSheetList() {
		wr, err := w.GetRows(sh, excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatal(err)
		}
		gr, err := g.GetRows(sh, excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatal(err)
		}
		if len(gr) != len(wr) {
			t.Errorf("%s: %d rows, want %d", sh, len(gr), len(wr))
			continue
		}
		diffs := 0
		for r := range wr {
			gh, _ := g.GetRowHeight(sh, r+1)
			wh, _ := w.GetRowHeight(sh, r+1)
			if gh != wh {
				t.Errorf("%s row %d: height %v, want %v", sh, r+1, gh, wh)
			}
			for c := range max(len(wr[r]), len(gr[r]), 10) {
				ref, _ := excelize.CoordinatesToCellName(c+1, r+1)
				gv, _ := g.GetCellValue(sh, ref)
				wv, _ := w.GetCellValue(sh, ref)
				graw, _ := g.GetCellValue(sh, ref, excelize.Options{RawCellValue: true})
				wraw, _ := w.GetCellValue(sh, ref, excelize.Options{RawCellValue: true})
				gt, _ := g.GetCellType(sh, ref)
				wt, _ := w.GetCellType(sh, ref)
				if gt == excelize.CellTypeInlineString {
					gt = excelize.CellTypeSharedString // a text either way
				}
				if wt == excelize.CellTypeInlineString {
					wt = excelize.CellTypeSharedString
				}
				gs, _ := g.GetCellStyle(sh, ref)
				ws, _ := w.GetCellStyle(sh, ref)
				if gv != wv || graw != wraw || gt != wt || gs != ws {
					if diffs++; diffs <= 5 {
						t.Errorf("%s!%s: %q (%q, type %v, style %d), want %q (%q, type %v, style %d)", sh, ref, gv, graw, gt, gs, wv, wraw, wt, ws)
					}
				}
			}
		}
		gm, _ := g.GetMergeCells(sh)
		wm, _ := w.GetMergeCells(sh)
		if len(gm) != len(wm) {
			t.Errorf("%s: %d merged ranges, want %d", sh, len(gm), len(wm))
		}
		for i := range min(len(gm), len(wm)) {
			if gm[i].GetStartAxis() != wm[i].GetStartAxis() || gm[i].GetEndAxis() != wm[i].GetEndAxis() {
				t.Errorf("%s: merged %s:%s, want %s:%s", sh, gm[i].GetStartAxis(), gm[i].GetEndAxis(), wm[i].GetStartAxis(), wm[i].GetEndAxis())
			}
		}
		for c := 1; c <= 12; c++ {
			col, _ := excelize.ColumnNumberToName(c)
			gw, _ := g.GetColWidth(sh, col)
			ww, _ := w.GetColWidth(sh, col)
			if gw != ww {
				t.Errorf("%s column %s: width %v, want %v", sh, col, gw, ww)
			}
		}
		gp, _ := g.GetPanes(sh)
		wp, _ := w.GetPanes(sh)
		if fmt.Sprint(gp) != fmt.Sprint(wp) {
			t.Errorf("%s: panes %v, want %v", sh, gp, wp)
		}
	}
}

// BenchmarkBelowStandardList writes a report listing 100,000 people below a standard,
// with the list's body generated into the package and through StreamWriter.
func BenchmarkBelowStandardList(b *testing.B) {
	s := longLists(b, 100000)
	s.Problems = s.Problems[:3]
	_, cfg, txt := fixture(b)
	for _, streamed := range []bool{false, true} {
		name := map[bool]string{false: "generated", true: "streamwriter"}[streamed]
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := xlsxreport.RenderBodies(context.Background(), io.Discard, s, cfg, txt, streamed); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// textCells counts the text cells of sheet in a workbook from row first on: those
// referring to the shared string table and those holding their text inline.
func textCells(t *testing.T, book []byte, sheet string, first int) (shared, inline int) {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(book))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	for r := first - 1; r < len(rows); r++ {
		for c := range rows[r] {
			ref, _ := excelize.CoordinatesToCellName(c+1, r+1)
			switch typ, _ := f.GetCellType(sheet, ref); typ {
			case excelize.CellTypeSharedString:
				shared++
			case excelize.CellTypeInlineString:
				inline++
			}
		}
	}
	return shared, inline
}
