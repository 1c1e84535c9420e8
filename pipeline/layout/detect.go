package layout

import (
	"regexp"
	"sort"
	"strings"
	"time"

	"canbo/pipeline/normalize"
	"canbo/pipeline/schema"
	"canbo/pipeline/textfold"
	"canbo/pipeline/workbook"
)

// Table is what Detect found in a sheet.
type Table struct {
	Dataset      *schema.Dataset
	HeaderRows   []int // sheet row numbers of the header block
	NumberingRow int   // the column-number row dropped after the header, 0 if none
	Columns      []normalize.Column
	Unmapped     []Unmapped         // header cells that name no field of the dataset
	Duplicates   []normalize.Column // extra columns for a field already mapped (ignored)
	Missing      []*schema.Field    // required fields with no column
	Unit         string             // from the title block, "" if none
	UnitCell     [2]int             // row, column of that title cell
	AsOf         time.Time          // "(Tính đến ngày 30/09/2023)", zero if none
	LastHeader   int                // last header (or numbering) row; data starts below it

	headerTexts []string // keys of the header's last row, to spot a repeated header
	nameCol     int
	sttCol      int
	unitCol     int
	valueCols   map[int]bool
	detector    *Detector
}

// Unmapped is a header cell the table does not use.
type Unmapped struct {
	Col    int
	Header string
}

// Detect looks for a table in the first rows of a sheet (as many as the configuration's
// header_search_rows). It returns nil when no block of rows is a header of a known
// dataset.
func (d *Detector) Detect(rows []workbook.Row) *Table {
	maxRows := d.cfg.Layout.MaxHeaderRows
	var best *candidate
	for i := range rows {
		if !hasText(rows[i]) {
			continue
		}
		for k := 1; k <= maxRows && i+k <= len(rows); k++ {
			last := rows[i+k-1]
			if k > 1 && (dataLike(last) || d.numberingRow(last)) {
				break
			}
			if k > 1 && rows[i+k-1].Num != rows[i+k-2].Num+1 {
				break // a header block has no gaps
			}
			if cutsMerge(rows, i, i+k) {
				continue
			}
			c := d.evaluate(rows, i, i+k)
			if c.score == 0 {
				continue
			}
			// More is better; on a tie the smaller block, so a title row above the
			// header is not absorbed into it.
			if best == nil || c.score > best.score || (c.score == best.score && c.to-c.from < best.to-best.from) {
				cc := c
				best = &cc
			}
		}
	}
	if best == nil {
		return nil
	}
	t := d.table(rows, best)
	if t == nil {
		return nil
	}
	d.titleBlock(rows[:best.from], t)
	return t
}

// table turns the winning candidate into a Table for the dataset it identifies.
func (d *Detector) table(rows []workbook.Row, c *candidate) *Table {
	mapped := map[string]bool{}
	for _, m := range c.cols {
		for _, f := range m.fields() {
			mapped[f.Code] = true
		}
	}
	var ds *schema.Dataset
	for _, cand := range d.cfg.Schema.Datasets {
		if identifies(cand, mapped) {
			ds = cand
			break
		}
	}
	if ds == nil {
		return nil
	}
	inDS := map[string]bool{}
	for _, f := range ds.Fields {
		inDS[f] = true
	}
	t := &Table{Dataset: ds, valueCols: map[int]bool{}, detector: d}
	for r := c.from; r < c.to; r++ {
		t.HeaderRows = append(t.HeaderRows, rows[r].Num)
	}
	t.LastHeader = rows[c.to-1].Num
	if c.to < len(rows) && d.numberingRow(rows[c.to]) {
		t.NumberingRow = rows[c.to].Num
		t.LastHeader = t.NumberingRow
	}
	cols := make([]int, 0, len(c.paths))
	for col := range c.paths {
		cols = append(cols, col)
	}
	sort.Ints(cols)
	taken := map[string]bool{} // field code, with the mark code for mark columns
	for _, col := range cols {
		m, ok := c.cols[col]
		header := headerLabel(rows[c.from:c.to], col)
		if !ok || !d.fitsDataset(m, inDS) {
			t.Unmapped = append(t.Unmapped, Unmapped{Col: col, Header: header})
			continue
		}
		nc := normalize.Column{Col: col, Header: header, Field: m.field, Mark: m.mark}
		key := columnKey(m)
		if taken[key] {
			t.Duplicates = append(t.Duplicates, nc) // the first column of a field wins
			continue
		}
		taken[key] = true
		t.Columns = append(t.Columns, nc)
		if m.field != nil || m.mark != nil {
			t.valueCols[col] = true
		}
		if m.field != nil {
			switch m.field.Code {
			case "ho_ten":
				if t.nameCol == 0 {
					t.nameCol = col
				}
			case "stt":
				t.sttCol = col
			case "don_vi":
				t.unitCol = col
			}
		}
	}
	for _, code := range ds.Required {
		if !mappedIn(t.Columns, code) {
			t.Missing = append(t.Missing, d.cfg.Field(code))
		}
	}
	last := rows[c.to-1]
	for _, cell := range last.Cells {
		t.headerTexts = append(t.headerTexts, d.headerKey(cellText(cell)))
	}
	return t
}

func columnKey(m match) string {
	k := ""
	if m.field != nil {
		k = m.field.Code
	}
	if m.mark != nil {
		k += "/" + m.mark.Field.Code + "=" + m.mark.Code
	}
	return k
}

func (d *Detector) fitsDataset(m match, in map[string]bool) bool {
	for _, f := range m.fields() {
		if !in[f.Code] {
			return false
		}
	}
	return true
}

func identifies(ds *schema.Dataset, mapped map[string]bool) bool {
	for _, f := range ds.IdentifyAll {
		if !mapped[f] {
			return false
		}
	}
	if len(ds.IdentifyAny) > 0 {
		any := false
		for _, f := range ds.IdentifyAny {
			any = any || mapped[f]
		}
		if !any {
			return false
		}
	}
	n := 0
	for _, f := range ds.Fields {
		if mapped[f] {
			n++
		}
	}
	return n >= ds.MinFields
}

func mappedIn(cols []normalize.Column, code string) bool {
	for _, c := range cols {
		if (c.Field != nil && c.Field.Code == code) || (c.Mark != nil && c.Mark.Field.Code == code) {
			return true
		}
	}
	return false
}

// headerLabel joins a column's header texts for display: "Trình độ › Chuyên môn".
func headerLabel(rows []workbook.Row, col int) string {
	var parts []string
	for _, r := range rows {
		t := cellText(r.Cell(col))
		if t != "" && (len(parts) == 0 || parts[len(parts)-1] != t) {
			parts = append(parts, t)
		}
	}
	return strings.Join(parts, " › ")
}

// cutsMerge reports whether the block rows[from:to] starts or ends inside a vertically
// merged header cell ("STT" merged over rows 7–8): a header block never cuts one.
func cutsMerge(rows []workbook.Row, from, to int) bool {
	continues := func(upper, lower workbook.Row) bool {
		if lower.Num != upper.Num+1 {
			return false
		}
		for _, c := range lower.Cells {
			if c.Merged && c.Kind == workbook.Text {
				if u := upper.Cell(c.Col); u.Kind == workbook.Text && u.Text == c.Text {
					return true
				}
			}
		}
		return false
	}
	if from > 0 && continues(rows[from-1], rows[from]) {
		return true
	}
	return to < len(rows) && continues(rows[to-1], rows[to])
}

func hasText(r workbook.Row) bool {
	for _, c := range r.Cells {
		if c.Kind == workbook.Text && strings.TrimSpace(c.Text) != "" {
			return true
		}
	}
	return false
}

var dateTextRE = regexp.MustCompile(`^\s*\d{1,2}\s*[/.\-]\s*\d{1,2}\s*[/.\-]\s*\d{2,4}\s*$`)

// dataLike reports whether a row looks like data rather than header: it holds a date.
func dataLike(r workbook.Row) bool {
	for _, c := range r.Cells {
		if c.Kind == workbook.Date || (c.Kind == workbook.Text && dateTextRE.MatchString(c.Text)) {
			return true
		}
	}
	return false
}

var numberingRE = regexp.MustCompile(`^\(?\s*(\d{1,3}|[a-zA-Z])\s*\)?(\s*=\s*[\d+\-*/() ]+|\s*\(\s*=[^)]*\))?$`)

// numberingRow recognises the column-number row under an official header: "(1) (2) (3)",
// "A B 1 2 3", "3=4+6+8". At least three cells, nearly all of that shape.
func (d *Detector) numberingRow(r workbook.Row) bool {
	n, ok := 0, 0
	for _, c := range r.Cells {
		t := cellText(c)
		if t == "" || c.Merged {
			continue
		}
		n++
		if (c.Kind == workbook.Number && c.Num >= 0 && c.Num < 1000 && c.Num == float64(int(c.Num))) ||
			(c.Kind == workbook.Text && numberingRE.MatchString(strings.TrimSpace(t))) {
			ok++
		}
	}
	return n >= 3 && ok*10 >= n*9
}

var (
	asOfDateRE = regexp.MustCompile(`(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})`)
	asOfWordRE = regexp.MustCompile(`(\d{1,2})\s+thang\s+(\d{1,2})\s+nam\s+(\d{4})`)
)

// titleBlock reads the unit and the as-of date from the rows above the header. The last
// unit line wins; a line that only names a part of the unit on an earlier line ("TỈNH ỦY
// SÓC TRĂNG" over "VĂN PHÒNG") is completed by it: "Văn phòng Tỉnh ủy Sóc Trăng".
func (d *Detector) titleBlock(rows []workbook.Row, t *Table) {
	parent, parentRow := "", 0 // the last unit line, as written, and its row
	for _, r := range rows {
		for _, c := range r.Cells {
			if c.Kind != workbook.Text || c.Merged {
				continue
			}
			text := textfold.Clean(c.Text)
			key := textfold.Key(text)
			if t.AsOf.IsZero() && d.words.asOf(key) {
				if at, ok := findDate(text); ok {
					t.AsOf = at
				}
			}
			if name, ok := d.words.unitLine(text, key); ok {
				t.Unit = d.words.unitName(name)
				t.UnitCell = [2]int{r.Num, c.Col}
				if parent != "" && parentRow < r.Num && d.words.dependent(name, parent) {
					t.Unit += " " + d.words.unitName(parent)
					name = name + " " + parent
				}
				parent, parentRow = name, r.Num
			}
		}
	}
}

// findDate finds "30/09/2023" or "ngày 30 tháng 9 năm 2023" inside a text.
func findDate(text string) (time.Time, bool) {
	if m := asOfDateRE.FindString(text); m != "" {
		if t, q, err := normalize.ParseDateText(m, time.Now()); err == nil && q == normalize.FullDate {
			return t, true
		}
	}
	if m := asOfWordRE.FindStringSubmatch(textfold.Key(text)); m != nil {
		if t, _, err := normalize.ParseDateText(m[1]+"/"+m[2]+"/"+m[3], time.Now()); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}
