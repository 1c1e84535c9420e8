package xlsxreport

import (
	"bytes"
	"context"
	"fmt"
	"testing"

	"github.com/xuri/excelize/v2"

	"canbo/pipeline/internal/sheettest"
	"canbo/pipeline/reporttext"
	"canbo/pipeline/summary"
	"canbo/templates"
)

// TestFastBodyMerges: a generated body's merged ranges (the note that ends a list
// cut at Excel's row limit spans the row) are the sheet's, at the rows StreamWriter
// puts them, before those of the rows after the body.
func TestFastBodyMerges(t *testing.T) {
	cfg := sheettest.Config(t)
	txt, err := reporttext.Load(templates.FS)
	if err != nil {
		t.Fatal(err)
	}
	merges := func(streamed bool) []string {
		b := &book{f: excelize.NewFile(), s: &summary.Summary{}, cfg: cfg, txt: txt, used: map[string]bool{}, streamBodies: streamed}
		spec := func() sheetSpec {
			return sheetSpec{key: "xlsx_sheet_problems", stream: true, cols: []colSpec{{5, 8}, {10, 20}, {10, 20}},
				head: b.headerRow("a", "b", "c"),
				body: func(put func([]cell) error) error {
					for i := range 50 {
						if err := put([]cell{b.c(i+1, kCenter, ePlain), b.c("x", kText, ePlain), b.c("y", kText, ePlain)}); err != nil {
							return err
						}
					}
					return put(b.moreRow(3, 7))
				},
				total: func(put func([]cell) error) error { return put(b.spanRow(3, "tổng", b.st.note)) },
			}
		}
		var buf bytes.Buffer
		err := b.render(context.Background(), &buf, func(ctx context.Context) error {
			if err := b.f.SetDefaultFont(fontName); err != nil {
				return err
			}
			if err := b.newStyles(); err != nil {
				return err
			}
			return b.addSheet(ctx, spec())
		})
		if err != nil {
			t.Fatal(err)
		}
		if streamed == (len(b.bodies) > 0) {
			t.Fatalf("streamed %v: %d bodies generated", streamed, len(b.bodies))
		}
		f, err := excelize.OpenReader(&buf)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		mc, err := f.GetMergeCells(f.GetSheetName(0))
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, m := range mc {
			out = append(out, m.GetStartAxis()+":"+m.GetEndAxis()+" "+m.GetCellValue())
		}
		return out
	}
	got, want := merges(false), merges(true)
	if fmt.Sprint(got) != fmt.Sprint(want) || len(want) != 2 {
		t.Errorf("merged ranges %q, want %q", got, want)
	}
}
