// Package sheettest writes real .xlsx files from a short Go description, for tests of
// the stages that read them. Fixtures built here are reviewable in a diff, unlike
// binary workbooks in testdata.
//
//	path := sheettest.Write(t, dir, "UBND xã A.xlsx", sheettest.Sheet{
//		Name:   "DS",
//		Rows:   [][]any{{"STT", "Họ và tên", "Ngày sinh"}, {1, "Nguyễn Văn A", sheettest.Date(1985, 3, 5)}},
//		Merges: []string{"A1:A2"},
//	})
package sheettest

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"canbo/config"
	"canbo/pipeline/issue"
	"canbo/pipeline/schema"
	"canbo/pipeline/workbook"
	"canbo/templates"
)

// Sheet describes one worksheet. Rows[0] is row 1; a nil row or nil cell is blank.
type Sheet struct {
	Name     string
	Hidden   bool
	Rows     [][]any
	Merges   []string // "A7:A8"
	StartRow int      // row number of Rows[0]; default 1
}

// DateValue is a cell holding a real Excel date (a serial with a date format).
type DateValue struct{ T time.Time }

// Date returns a date cell.
func Date(y, m, d int) DateValue {
	return DateValue{time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)}
}

// Formula is a formula cell; excelize stores no cached value, like files saved by
// programs that do not calculate.
type Formula string

// Write saves the sheets as dir/name and returns the path.
func Write(t testing.TB, dir, name string, sheets ...Sheet) string {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	dateStyle, err := f.NewStyle(&excelize.Style{CustomNumFmt: strPtr("dd/mm/yyyy")})
	if err != nil {
		t.Fatal(err)
	}
	for i, s := range sheets {
		if i == 0 {
			if err := f.SetSheetName("Sheet1", s.Name); err != nil {
				t.Fatal(err)
			}
		} else if _, err := f.NewSheet(s.Name); err != nil {
			t.Fatal(err)
		}
		start := s.StartRow
		if start == 0 {
			start = 1
		}
		for r, row := range s.Rows {
			for c, v := range row {
				if v == nil {
					continue
				}
				cell, _ := excelize.CoordinatesToCellName(c+1, start+r)
				switch v := v.(type) {
				case DateValue:
					err = f.SetCellValue(s.Name, cell, v.T)
					if err == nil {
						err = f.SetCellStyle(s.Name, cell, cell, dateStyle)
					}
				case Formula:
					err = f.SetCellFormula(s.Name, cell, string(v))
				default:
					err = f.SetCellValue(s.Name, cell, v)
				}
				if err != nil {
					t.Fatal(err)
				}
			}
		}
		for _, m := range s.Merges {
			a, b, _ := cut(m)
			if err := f.MergeCell(s.Name, a, b); err != nil {
				t.Fatal(err)
			}
		}
	}
	for _, s := range sheets {
		if s.Hidden {
			if err := f.SetSheetVisible(s.Name, false); err != nil {
				t.Fatal(err)
			}
		}
	}
	path := filepath.Join(dir, name)
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	return path
}

// Rows reads every row of one sheet back through the workbook reader.
func Rows(t testing.TB, path string, sheet int) []workbook.Row {
	t.Helper()
	b, err := workbook.Open(context.Background(), path, workbook.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	rs, err := b.Rows(context.Background(), sheet)
	if err != nil {
		t.Fatal(err)
	}
	defer rs.Close()
	var out []workbook.Row
	for rs.Next() {
		out = append(out, rs.Row())
	}
	if err := rs.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func cut(s string) (string, string, bool) {
	for i := range s {
		if s[i] == ':' {
			return s[:i], s[i+1:], true
		}
	}
	return s, s, false
}

func strPtr(s string) *string { return &s }

// Config loads the default configuration built into the binary, as every stage's tests
// read sheets with it.
func Config(t testing.TB) *schema.Config {
	t.Helper()
	cfg, err := schema.Load(config.FS, "config")
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// Catalog loads the default issue messages.
func Catalog(t testing.TB) *issue.Catalog {
	t.Helper()
	cat, err := issue.LoadCatalog(templates.FS)
	if err != nil {
		t.Fatal(err)
	}
	return cat
}
