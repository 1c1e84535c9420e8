package workbook

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"
)

// FuzzOpenXLS feeds arbitrary bytes to the .xls reader and reads every row of every
// sheet, with the checks of FuzzOpen (no panic, only *Error, rows in order, limits
// kept). An input that starts like a compound file goes through OpenReaderAt; any
// other input is taken as a Workbook stream and given to the BIFF reader directly, so
// the fuzzer mutates records rather than mostly breaking the compound-file structure.
// Seeds are the committed LibreOffice files, their Workbook streams and crafted
// streams. Run it with a bounded minimization, e.g.
//
//	go test -run x -fuzz FuzzOpenXLS -fuzztime 2000000x -fuzzminimizetime 100x ./pipeline/workbook/
func FuzzOpenXLS(f *testing.F) {
	for _, name := range []string{"nghia-ta.xls", "tan-lap.xls", "yen-my.xls"} {
		data, err := os.ReadFile(filepath.Join("testdata", "xls", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
		b, err := OpenReaderAt(context.Background(), bytes.NewReader(data), int64(len(data)), name, Limits{})
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b.xls.data)
	}
	crafted := craftedBook()
	f.Add(crafted.stream())
	f.Add(oleWith("Workbook", crafted.stream()))
	crafted.sst = sstRecords([]sstEntry{{text: "Nguyễn Văn An"}, {text: "Hïng", runs: []int{5, 1}}, {text: "ab", ext: []byte{1, 2}}}, 14)
	f.Add(crafted.stream())
	crafted.filePass = true
	f.Add(crafted.stream())
	var ooo []byte
	for col := 0; col < 3; col++ {
		for row := 3; row >= 0; row-- {
			ooo = append(ooo, rkRec(row, col, 0, uint32(row)<<2|2)...)
		}
	}
	f.Add(xlsBookSpec{sheets: []xlsSheetSpec{{name: "S", records: ooo}}}.stream())
	f.Fuzz(func(t *testing.T, data []byte) {
		ctx := context.Background()
		var b *Book
		var err error
		if bytes.HasPrefix(data, oleMagic) {
			b, err = OpenReaderAt(ctx, bytes.NewReader(data), int64(len(data)), "fuzz.xls", fuzzLimits)
		} else {
			b, err = openXLS(ctx, data, "fuzz.xls", fuzzLimits.withDefaults())
		}
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
