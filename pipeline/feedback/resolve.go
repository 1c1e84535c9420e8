package feedback

import (
	"fmt"
	"path/filepath"
	"sort"
	"strings"

	"github.com/xuri/excelize/v2"

	"canbo/pipeline/issue"
)

// This file holds what both ways of writing the feedback share: which sheet an issue
// points into, the order of the listing, and which cell gets which mark. Neither
// depends on how the workbook is read or written.

// entry is one issue with its sheet resolved against the workbook.
type entry struct {
	is     issue.Issue
	sheet  string // the workbook's spelling of the sheet; "" when file-level or unknown
	order  int    // sort key: -1 file-level, sheet position, or len(sheets) for unknown sheets
	cell   bool   // points at one cell of an existing worksheet: the cell gets marked
	linked bool   // the listing links to it (a cell, a row or a column of a worksheet)
}

// sheetSet is the workbook's sheets in tab order, as issues are matched against them.
type sheetSet struct {
	names    []string          // workbook order, all sheet kinds
	position map[string]int    // name → position in names
	folded   map[string]string // lower-cased name → name
	// isWorksheet reports whether a sheet has cells (chart, dialog and macro sheets
	// have none); it is asked only about sheets an issue points into.
	isWorksheet func(name string) bool
}

func newSheetSet(names []string, isWorksheet func(string) bool) *sheetSet {
	s := &sheetSet{names: names, position: map[string]int{}, folded: map[string]string{}, isWorksheet: isWorksheet}
	for i, name := range names {
		s.position[name] = i
		if _, dup := s.folded[strings.ToLower(name)]; !dup {
			s.folded[strings.ToLower(name)] = name
		}
	}
	return s
}

// lookup returns the workbook's spelling of a sheet. Excel compares sheet names
// without regard to case, so an issue may spell one differently.
func (s *sheetSet) lookup(name string) (string, bool) {
	if _, ok := s.position[name]; ok {
		return name, true
	}
	n, ok := s.folded[strings.ToLower(name)]
	return n, ok
}

// resolve pairs every issue with its sheet and orders them as the clerk reads the
// workbook: file-level problems first, then sheet by sheet in tab order, row by row,
// errors before warnings on the same cell. The caller's slice is not reordered.
func (s *sheetSet) resolve(issues []issue.Issue) []entry {
	out := make([]entry, len(issues))
	for i, is := range issues {
		e := entry{is: is, order: -1}
		if is.Sheet != "" {
			e.order = len(s.names)
			if name, ok := s.lookup(is.Sheet); ok {
				e.sheet, e.order = name, s.position[name]
				inRange := is.Row <= excelize.TotalRows && is.Col <= excelize.MaxColumns
				if inRange && (is.Row > 0 || is.Col > 0) && s.isWorksheet(name) {
					e.linked = true
					e.cell = is.Row > 0 && is.Col > 0
				}
			}
		}
		out[i] = e
	}
	sort.SliceStable(out, func(i, j int) bool {
		x, y := &out[i], &out[j]
		if x.order != y.order {
			return x.order < y.order
		}
		if x.is.Sheet != y.is.Sheet {
			return x.is.Sheet < y.is.Sheet
		}
		if x.is.Row != y.is.Row {
			return x.is.Row < y.is.Row
		}
		if x.is.Col != y.is.Col {
			return x.is.Col < y.is.Col
		}
		return rank(x.is.Severity) < rank(y.is.Severity)
	})
	return out
}

// cellAt is a cell of one sheet, 1-based.
type cellAt struct{ row, col int }

// rect is a merged range, 1-based and inclusive.
type rect struct{ top, left, bottom, right int }

// parseRange reads "A1:C3" or "B2" into a rect, corners in either order.
func parseRange(ref string) (rect, bool) {
	a, b, found := strings.Cut(ref, ":")
	left, top, err := excelize.CellNameToCoordinates(a)
	if err != nil {
		return rect{}, false
	}
	right, bottom := left, top
	if found {
		if right, bottom, err = excelize.CellNameToCoordinates(b); err != nil {
			return rect{}, false
		}
	}
	return rect{min(top, bottom), min(left, right), max(top, bottom), max(left, right)}, true
}

// mergeMap moves the cells issues point at to the top-left cell of the merged range
// that covers them, the only cell of a range Excel shows. It is fed the sheet's
// ranges one by one, in file order (the first range covering a cell wins, as a
// damaged file may overlap them), and indexes only the cells issues point at, so
// each range costs a binary search: a sheet with 200,000 merged ranges is read in
// one pass, with no step quadratic in the number of ranges.
type mergeMap struct {
	rows  []int         // rows holding cells, ascending
	cols  map[int][]int // row → columns of cells in it, ascending
	moved map[cellAt]cellAt
}

func newMergeMap(cells []cellAt) *mergeMap {
	m := &mergeMap{cols: map[int][]int{}, moved: map[cellAt]cellAt{}}
	for _, c := range cells {
		if _, ok := m.cols[c.row]; !ok {
			m.rows = append(m.rows, c.row)
		}
		m.cols[c.row] = append(m.cols[c.row], c.col)
	}
	sort.Ints(m.rows)
	for _, cols := range m.cols {
		sort.Ints(cols)
	}
	return m
}

// add records one merged range.
func (m *mergeMap) add(r rect) {
	if r.top == r.bottom && r.left == r.right {
		return
	}
	for i := sort.SearchInts(m.rows, r.top); i < len(m.rows) && m.rows[i] <= r.bottom; i++ {
		row := m.rows[i]
		cols := m.cols[row]
		for j := sort.SearchInts(cols, r.left); j < len(cols) && cols[j] <= r.right; j++ {
			c := cellAt{row, cols[j]}
			if _, done := m.moved[c]; !done {
				m.moved[c] = cellAt{r.top, r.left}
			}
		}
	}
}

// topLeft is where a cell's mark goes.
func (m *mergeMap) topLeft(c cellAt) cellAt {
	if m == nil {
		return c
	}
	if t, ok := m.moved[c]; ok {
		return t
	}
	return c
}

// target is one cell to mark.
type target struct {
	sheet    string
	row, col int
}

// cellMark is everything said about one cell.
type cellMark struct {
	warning bool // every issue on the cell is a warning
	msgs    []string
}

// markPlan is every mark of one Write: the cells in the order first met in the
// listing, what each says, and per sheet the rows to show (a marked cell in a hidden
// row would be a mark no one sees).
type markPlan struct {
	marks map[target]*cellMark
	order []target
	show  map[string]map[int]bool
}

// cellsBySheet lists, per sheet, the cells the entries point at.
func cellsBySheet(entries []entry) map[string][]cellAt {
	out := map[string][]cellAt{}
	for i := range entries {
		if e := &entries[i]; e.cell {
			out[e.sheet] = append(out[e.sheet], cellAt{e.is.Row, e.is.Col})
		}
	}
	return out
}

// planMarks gathers the marks: several issues on one cell share one comment, one
// message per line, and the cell takes the colour of the worst. merges may lack a
// sheet (no merged ranges there).
func planMarks(entries []entry, merges map[string]*mergeMap) markPlan {
	p := markPlan{marks: map[target]*cellMark{}, show: map[string]map[int]bool{}}
	for i := range entries {
		e := &entries[i]
		if !e.cell {
			continue
		}
		c := merges[e.sheet].topLeft(cellAt{e.is.Row, e.is.Col})
		t := target{e.sheet, c.row, c.col}
		if p.show[e.sheet] == nil {
			p.show[e.sheet] = map[int]bool{}
		}
		p.show[e.sheet][e.is.Row] = true
		p.show[e.sheet][t.row] = true
		m := p.marks[t]
		if m == nil {
			m = &cellMark{warning: true}
			p.marks[t] = m
			p.order = append(p.order, t)
		}
		m.warning = m.warning && isWarning(e.is.Severity)
		msg := message(e.is)
		dup := false
		for _, have := range m.msgs {
			if have == msg {
				dup = true
				break
			}
		}
		if !dup {
			m.msgs = append(m.msgs, msg)
		}
	}
	return p
}

// isWarning reports whether an issue only needs a second look. Anything not
// explicitly a warning, including an unset severity, is treated as an error, the
// safe side for the clerk.
func isWarning(s issue.Severity) bool { return s == issue.Warning }

// rank orders errors before warnings.
func rank(s issue.Severity) int {
	if isWarning(s) {
		return 1
	}
	return 0
}

// message is the text shown for an issue; a missing rendering falls back to the
// code so that a cell is never marked without any explanation.
func message(is issue.Issue) string {
	if m := strings.TrimSpace(is.Message); m != "" {
		return m
	}
	if is.Raw != "" {
		return fmt.Sprintf("%s: %q", is.Code, is.Raw)
	}
	return string(is.Code)
}

// titleFile is the name the clerk knows the file by: the issues carry the name as
// submitted, while src may be a staged copy.
func titleFile(issues []issue.Issue, src string) string {
	for _, is := range issues {
		if is.File != "" {
			return is.File
		}
	}
	return filepath.Base(src)
}
