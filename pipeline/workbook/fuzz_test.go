package workbook

import (
	"bytes"
	"context"
	"errors"
	"testing"
)

// fuzzLimits keep each fuzz execution small; the point is behaviour, not scale.
var fuzzLimits = Limits{
	MaxPartSize: 1 << 20, MaxUnzipped: 4 << 20, MaxSharedStrings: 10_000,
	MaxRows: 2_000, MaxColumns: 64, MaxMerges: 500,
}

// FuzzOpen feeds arbitrary bytes through OpenReaderAt and reads every row of every
// sheet. It must never panic (a recovered panic counts as a failure here), every
// error must be an *Error, and rows must respect the ordering and limits.
//
// Run it with a bounded minimization, e.g.
//
//	go test -run x -fuzz FuzzOpen -fuzztime 60s -fuzzminimizetime 100x ./pipeline/workbook/
//
// The seeds are zips of a few kilobytes and Go's minimizer tries every byte range of
// every new interesting input (quadratic), so with the default 60 s minimization time
// a short run spends nearly all its time minimizing the first find.
func FuzzOpen(f *testing.F) {
	sst := sstOf("<t>Họ và tên</t>", `<r><rPr><rFont val=".VnTime"/></rPr><t>Hïng</t></r><rPh><t>x</t></rPh>`)
	styles := stylesOf(map[int]string{164: "dd/mm/yyyy"}, []int{0, 164, 14}, []string{"Calibri", "Times New Roman", "Arial"})
	sheet := ws(`<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s" s="1"><v>1</v></c></row>`+
		`<row r="2" hidden="1"><c r="A2" s="1"><v>29358</v></c><c r="B2"><f>A2+1</f></c><c r="C2" t="inlineStr"><is><t>x</t></is></c>`+
		`<c r="D2" t="b"><v>1</v></c><c r="E2" t="e"><v>#N/A</v></c><c r="F2" t="str"><f>"a"</f><v>a</v></c></row>`+
		`<row><c><v>1.5</v></c><c r="XFD3"><v>1</v></c></row>`,
		`<mergeCells count="2"><mergeCell ref="A1:A2"/><mergeCell ref="C3:D5"/></mergeCells>`)
	f.Add(pkg{sheets: []string{sheet, ws("", "")}, sst: sst, styles: styles, stored: true}.bytes(f))
	f.Add(pkg{sheets: []string{sheet}, sst: sst, styles: styles, date1904: "1", strict: true, stored: true}.bytes(f))
	f.Add(pkg{sheets: []string{sheet}, sst: sst}.bytes(f))
	f.Add(smallExcelize(f))
	f.Add(oleFile("Workbook"))
	f.Add([]byte("<html><table><tr><td>1</td></tr></table></html>"))
	f.Fuzz(func(t *testing.T, data []byte) {
		ctx := context.Background()
		b, err := OpenReaderAt(ctx, bytes.NewReader(data), int64(len(data)), "fuzz.xlsx", fuzzLimits)
		if err != nil {
			checkFuzzErr(t, err)
			return
		}
		defer b.Close()
		for _, s := range b.Sheets() {
			rows, err := b.Rows(ctx, s.Index)
			if err != nil {
				checkFuzzErr(t, err)
				continue
			}
			last := 0
			for rows.Next() {
				row := rows.Row()
				if row.Num <= last || row.Num > fuzzLimits.MaxRows {
					t.Fatalf("row %d after %d", row.Num, last)
				}
				last = row.Num
				prev := 0
				for _, c := range row.Cells {
					if c.Col <= prev || c.Col > fuzzLimits.MaxColumns {
						t.Fatalf("row %d: column %d after %d", row.Num, c.Col, prev)
					}
					prev = c.Col
				}
			}
			if err := rows.Err(); err != nil {
				checkFuzzErr(t, err)
			}
			rows.Close()
		}
	})
}

func checkFuzzErr(t *testing.T, err error) {
	t.Helper()
	if _, ok := err.(*Error); !ok {
		t.Fatalf("error %v is %T, not *Error", err, err)
	}
	var pe *panicError
	if errors.As(err, &pe) {
		t.Fatalf("panic inside the reader: %v\n%s", err, pe.stack)
	}
}
