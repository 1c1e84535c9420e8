package workbook

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// bookDump is what a reader returns for a whole workbook, for comparisons.
type bookDump struct {
	format   string
	date1904 bool
	sheets   []SheetInfo
	rows     [][]Row
	merges   [][]Range
	notes    [][]string
}

func dumpBook(t testing.TB, path string) bookDump {
	t.Helper()
	ctx := context.Background()
	b, err := Open(ctx, path, Limits{})
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	defer b.Close()
	var d bookDump
	d.sheets = b.Sheets()
	d.format, d.date1904 = b.Format(), b.Date1904()
	for _, s := range d.sheets {
		rows, err := b.Rows(ctx, s.Index)
		if err != nil {
			t.Fatalf("%s › %s: %v", path, s.Name, err)
		}
		var out []Row
		for rows.Next() {
			out = append(out, rows.Row())
		}
		if err := rows.Err(); err != nil {
			t.Fatalf("%s › %s: %v", path, s.Name, err)
		}
		d.rows = append(d.rows, out)
		d.merges = append(d.merges, rows.Merges())
		d.notes = append(d.notes, rows.Notes())
	}
	return d
}

// diffBooks lists the differences between what the .xlsx and the .xls readers return.
func diffBooks(a, b bookDump) []string {
	var diffs []string
	add := func(f string, args ...any) {
		if len(diffs) < 40 {
			diffs = append(diffs, fmt.Sprintf(f, args...))
		}
	}
	if !slices.Equal(a.sheets, b.sheets) {
		add("sheets %v != %v", a.sheets, b.sheets)
		return diffs
	}
	for i, s := range a.sheets {
		ma, mb := slices.Clone(a.merges[i]), slices.Clone(b.merges[i])
		if !slices.Equal(ma, mb) {
			add("%s: merges %v != %v", s.Name, ma, mb)
		}
		ra, rb := map[int]Row{}, map[int]Row{}
		var nums []int
		for _, r := range a.rows[i] {
			ra[r.Num] = r
			nums = append(nums, r.Num)
		}
		for _, r := range b.rows[i] {
			rb[r.Num] = r
			if _, ok := ra[r.Num]; !ok {
				nums = append(nums, r.Num)
			}
		}
		slices.Sort(nums)
		for _, n := range nums {
			x, y := ra[n], rb[n]
			if x.Hidden != y.Hidden {
				add("%s row %d: hidden %v != %v", s.Name, n, x.Hidden, y.Hidden)
			}
			cols := map[int]bool{}
			for _, c := range x.Cells {
				cols[c.Col] = true
			}
			for _, c := range y.Cells {
				cols[c.Col] = true
			}
			keys := make([]int, 0, len(cols))
			for c := range cols {
				keys = append(keys, c)
			}
			slices.Sort(keys)
			for _, col := range keys {
				cx, cy := x.Cell(col), y.Cell(col)
				if d := cellDiff(cx, cy); d != "" {
					add("%s!%s%d: %s", s.Name, colName(col), n, d)
				}
			}
		}
	}
	return diffs
}

func colName(c int) string {
	s := ""
	for c > 0 {
		c--
		s = string(rune('A'+c%26)) + s
		c /= 26
	}
	return s
}

// cellDiff compares two cells; the number format code is compared without regard to
// case, since LibreOffice writes "DD/MM/YYYY" for "dd/mm/yyyy".
func cellDiff(x, y Cell) string {
	var d []string
	if x.Kind != y.Kind {
		d = append(d, fmt.Sprintf("kind %v != %v", x.Kind, y.Kind))
	}
	if x.Text != y.Text && !(x.Kind == Number || x.Kind == Date) {
		d = append(d, fmt.Sprintf("text %q != %q", x.Text, y.Text))
	}
	if x.Num != y.Num {
		d = append(d, fmt.Sprintf("num %v != %v", x.Num, y.Num))
	}
	if !x.Time.Equal(y.Time) {
		d = append(d, fmt.Sprintf("time %v != %v", x.Time, y.Time))
	}
	// LibreOffice has no boolean or error constants: it writes TRUE as =TRUE() and
	// #N/A as =NA(), so those cells come back as formulas with the same value.
	constant := !x.Formula && y.Formula && (x.Kind == Bool || x.Kind == ErrorValue) && x.Kind == y.Kind && x.Text == y.Text
	if (x.Formula != y.Formula && !constant) || x.NoCache != y.NoCache || x.Merged != y.Merged {
		d = append(d, fmt.Sprintf("formula/nocache/merged %v/%v/%v != %v/%v/%v", x.Formula, x.NoCache, x.Merged, y.Formula, y.NoCache, y.Merged))
	}
	if x.Font != y.Font {
		d = append(d, fmt.Sprintf("font %q != %q", x.Font, y.Font))
	}
	// LibreOffice writes format codes its own way ("m/d/yyyy" for built-in 14,
	// "d\-mmm\-yy" for 15): the codes must agree up to case and escapes, or both
	// cells be dates.
	fold := func(s string) string { return strings.ToLower(strings.ReplaceAll(s, `\`, "")) }
	if fold(x.NumFmt) != fold(y.NumFmt) && !(x.Kind == Date && y.Kind == Date) {
		d = append(d, fmt.Sprintf("numfmt %q != %q", x.NumFmt, y.NumFmt))
	}
	return strings.Join(d, "; ")
}

// TestXLSMatchesXLSX reads each committed .xls and the .xlsx LibreOffice converted it
// from, and requires the same sheets, rows, cells (kind, text, number, date, formula
// flags, font, format), merges, hidden rows and date system.
func TestXLSMatchesXLSX(t *testing.T) {
	pairs := map[string]string{"features.xls": filepath.Join("testdata", "xls", "features.xlsx")}
	for xls, src := range xlsSamplePairs {
		pairs[xls] = filepath.Join("..", "..", "samples", src)
	}
	for xls, src := range pairs {
		t.Run(xls, func(t *testing.T) {
			a, b := dumpBook(t, src), dumpBook(t, filepath.Join("testdata", "xls", xls))
			if a.format != "xlsx" || b.format != "xls" {
				t.Errorf("formats %q, %q", a.format, b.format)
			}
			if a.date1904 != b.date1904 {
				t.Errorf("date1904: xlsx %v, xls %v", a.date1904, b.date1904)
			}
			cells := 0
			for _, rows := range b.rows {
				for _, r := range rows {
					cells += len(r.Cells)
				}
			}
			if cells == 0 {
				t.Fatal("no cells read")
			}
			for _, d := range diffBooks(a, b) {
				t.Error(d)
			}
			if t.Failed() {
				t.Logf("if %s was regenerated, rewrite the .xls files: CANBO_WRITE_XLS=1 go test ./pipeline/workbook -run TestWriteXLSFixtures", src)
			}
		})
	}
}

// TestFeaturesFixtureCurrent: the committed features.xlsx is what featuresXLSX builds
// today (compared as read, since map order varies the bytes), so features.xls was
// converted from the fixture the tests describe.
func TestFeaturesFixtureCurrent(t *testing.T) {
	fresh := writeFile(t, "features.xlsx", featuresXLSX(t))
	if d := diffBooks(dumpBook(t, fresh), dumpBook(t, filepath.Join("testdata", "xls", "features.xlsx"))); len(d) > 0 {
		t.Errorf("testdata/xls/features.xlsx is stale (%v); run CANBO_WRITE_XLS=1 go test ./pipeline/workbook -run TestWriteXLSFixtures", d)
	}
}
