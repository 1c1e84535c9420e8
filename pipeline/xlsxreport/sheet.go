package xlsxreport

import (
	"context"
	"fmt"
	"math"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// cell is one value of a row with its style. A cell may span columns to its right
// (span > 1) and rows below (down > 1); the cells it covers must still be given
// (blank, with the same style) so that their borders show.
type cell struct {
	v     value
	style int
	span  int
	down  int
}

// value is a cell's content: text, a whole number, a number, a date, or nothing. It
// is held as it is, not in an interface: a national list makes millions of cells
// (twice: measured, then written), and each text boxed in an interface was an
// allocation the collector then had to take back.
type value struct {
	kind valueKind
	s    string
	n    int
	f    float64
	t    time.Time
}

type valueKind uint8

const (
	vNone valueKind = iota
	vText
	vInt
	vFloat
	vDate
)

// val is x, a string, int, float64, time.Time or nil, as a cell's value. The report's
// own code makes every cell: another type is a mistake in it.
func val(x any) value {
	switch v := x.(type) {
	case nil:
		return value{}
	case string:
		return value{kind: vText, s: v}
	case int:
		return value{kind: vInt, n: v}
	case float64:
		return value{kind: vFloat, f: v}
	case time.Time:
		return value{kind: vDate, t: v}
	}
	panic("xlsxreport: a cell holds a string, int, float64, time.Time or nothing")
}

// boxed is the value as excelize takes it.
func (v value) boxed() any {
	switch v.kind {
	case vText:
		return v.s
	case vInt:
		return v.n
	case vFloat:
		return v.f
	case vDate:
		return v.t
	}
	return nil
}

// rowFunc produces rows in order by calling put once per row. A table's body is
// produced twice, once to measure it and once to write it, so a rowFunc must be
// repeatable and must not keep the slice it passes.
type rowFunc func(put func(cells []cell) error) error

// colSpec is one column of a sheet: its width is fitted to the content within
// [min, max] characters.
type colSpec struct {
	min, max float64
}

// sheetSpec describes one worksheet: rows above the table (title, subtitle, notes),
// the table's header rows, its body and its total rows.
type sheetSpec struct {
	key    string // label key of the sheet name
	name   string // the sheet name itself, when not a label (a form's, from forms.yaml)
	stream bool   // written with excelize's StreamWriter
	cols   []colSpec
	top    rowFunc // title block; not repeated when printing
	head   rowFunc // header rows: frozen, repeated on each printed page, bottom one filtered
	body   rowFunc // the table's rows
	total  rowFunc // rows after the body, outside the autofilter (total row, notes)

	freezeCols int  // columns kept visible when scrolling right (STT, name)
	wide       bool // a matrix of counts: printed over pages across, not shrunk to one (pagesAcross)
	noFreeze   bool // the header is too far down to freeze (the overview)
	noFilter   bool // no autofilter: a form sent as it is shows no filter buttons
	// setup adds what needs the row numbers (conditional formats, a chart) before
	// any row is written. first..last are the body rows; last < first when empty.
	setup func(f *excelize.File, name string, first, last int) error
}

// Row layout found by the measuring pass.
type rowPlan struct {
	top, head, body, total int // rows in each part
	widths                 []float64
	// bodyMerges are the merged ranges of the body, and slowBody says whether a body
	// cell holds a value the fast body writer does not write (fastValue): both are
	// only looked for in a streamed sheet.
	bodyMerges []bodyMerge
	slowBody   bool
}

func (p rowPlan) headFirst() int { return p.top + 1 }
func (p rowPlan) headLast() int  { return p.top + p.head }
func (p rowPlan) bodyFirst() int { return p.headLast() + 1 }
func (p rowPlan) bodyLast() int  { return p.headLast() + p.body }

// Measurements, in Excel character widths and points.
const (
	lineHeight   = 16.0  // one line of 12 pt text
	maxRowHeight = 409.0 // Excel's limit
	charFactor   = 1.2   // 12 pt Vietnamese text is wider than the "0" of 11 pt that widths count in
	// ctxEvery is how often (in rows) a long sheet checks for cancellation.
	ctxEvery = 4096
)

// addSheet measures and writes one worksheet.
func (b *book) addSheet(ctx context.Context, sp sheetSpec) error {
	name, err := b.newSheet(sp.key, sp.name)
	if err != nil {
		return err
	}
	plan, err := b.measure(ctx, sp)
	if err != nil {
		return fmt.Errorf("trang %q: %w", name, err)
	}
	if err := b.prepare(name, sp, plan); err != nil {
		return fmt.Errorf("trang %q: %w", name, err)
	}
	w := &rowWriter{b: b, name: name, widths: plan.widths}
	if sp.stream {
		w.sw, err = b.f.NewStreamWriter(name)
		if err != nil {
			return fmt.Errorf("trang %q: %w", name, err)
		}
	}
	parts := []rowFunc{sp.top, sp.head, sp.body, sp.total}
	if sp.stream && !plan.slowBody && !b.streamBodies {
		// The body is generated into the package (fastsheet.go): the rows after it
		// are written at their row numbers, its merged ranges before theirs.
		fb, err := b.fastBody(name, sp, plan)
		if err != nil {
			return fmt.Errorf("trang %q: %w", name, err)
		}
		parts[2] = func(func([]cell) error) error {
			w.row = plan.bodyLast()
			for _, m := range plan.bodyMerges {
				from, _ := excelize.CoordinatesToCellName(m.col, fb.first+m.row-1)
				to, _ := excelize.CoordinatesToCellName(m.col+max(m.span, 1)-1, fb.first+m.row-1+max(m.down, 1)-1)
				if err := w.sw.MergeCell(from, to); err != nil {
					return err
				}
			}
			return nil
		}
	}
	n := 0
	put := func(cells []cell) error {
		if n++; n%ctxEvery == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		return w.put(cells)
	}
	for _, part := range parts {
		if part == nil {
			continue
		}
		if err := part(put); err != nil {
			return fmt.Errorf("trang %q: %w", name, err)
		}
	}
	if w.sw != nil {
		if err := w.sw.Flush(); err != nil {
			return fmt.Errorf("trang %q: %w", name, err)
		}
	}
	return ctx.Err()
}

// measure runs every part once without writing, counting rows and fitting widths.
func (b *book) measure(ctx context.Context, sp sheetSpec) (rowPlan, error) {
	widths := make([]float64, len(sp.cols))
	var plan rowPlan
	counts := []*int{&plan.top, &plan.head, &plan.body, &plan.total}
	for i, part := range []rowFunc{sp.top, sp.head, sp.body, sp.total} {
		if part == nil {
			continue
		}
		header, body := i == 1, i == 2 && sp.stream
		// A long list repeats a column's text from row to row (the unit, the
		// standard, the file): a text measured and checked just above is not again.
		last := make([]string, len(sp.cols))
		err := part(func(cells []cell) error {
			if *counts[i]++; *counts[i]%ctxEvery == 0 {
				if err := ctx.Err(); err != nil {
					return err
				}
			}
			for c, x := range cells {
				if body && (x.span > 1 || x.down > 1) {
					plan.bodyMerges = append(plan.bodyMerges, bodyMerge{row: *counts[i], col: c + 1, span: x.span, down: x.down})
				}
				if c < len(last) && x.v.kind == vText && x.v.s == last[c] && x.v.s != "" {
					continue
				}
				if body {
					plan.slowBody = plan.slowBody || !fastValue(x)
				}
				if c >= len(widths) || x.span > 1 || x.v.kind == vNone {
					continue
				}
				if c < len(last) && x.v.kind == vText {
					last[c] = x.v.s
				}
				w := b.textWidth(x, header)
				if w > widths[c] {
					widths[c] = w
				}
			}
			return nil
		})
		if err != nil {
			return plan, err
		}
	}
	for c, spec := range sp.cols {
		w := math.Ceil(widths[c]*charFactor) + 2
		widths[c] = min(max(w, spec.min), spec.max)
	}
	plan.widths = widths
	return plan, nil
}

// textWidth is the width a cell's content needs on one line. Header cells wrap, so
// only their longest word counts.
func (b *book) textWidth(x cell, header bool) float64 {
	switch v := x.v; v.kind {
	case vText:
		if header { // wrapped: the longest word, and at most about three lines
			return float64(max(longestWord(v.s), (utf8.RuneCountInString(v.s)+2)/3))
		}
		return float64(utf8.RuneCountInString(v.s))
	case vInt:
		n := 1 // digits, and a sign
		for m := v.n; m >= 10 || m <= -10; m /= 10 {
			n++
		}
		if v.n < 0 {
			n++
		}
		return float64(n + (n-1)/3)
	case vFloat:
		return 7 // 100,00%
	case vDate:
		if x.style == b.st.factDateTime {
			return 16
		}
		return 10
	}
	return 0
}

// prepare makes the sheet-level settings on the still empty sheet: column widths,
// frozen panes, autofilter, print setup, print titles and what the spec adds.
// StreamWriter keeps all of them, since it starts from the sheet as it is.
func (b *book) prepare(name string, sp sheetSpec, plan rowPlan) error {
	f := b.f
	// Right to left: excelize puts a new column's width first in the list, and
	// StreamWriter writes the list as it is, while Excel wants it in column order.
	for c := len(plan.widths) - 1; c >= 0; c-- {
		col, _ := excelize.ColumnNumberToName(c + 1)
		if err := f.SetColWidth(name, col, col, plan.widths[c]); err != nil {
			return err
		}
	}
	ncols := len(sp.cols)
	last, _ := excelize.ColumnNumberToName(ncols)
	if plan.head > 0 {
		// AutoFilter resets the sheet properties, so it comes before FitToPage.
		ref := fmt.Sprintf("A%d:%s%d", plan.headLast(), last, max(plan.bodyLast(), plan.headLast()))
		if !sp.noFilter {
			if err := f.AutoFilter(name, ref, nil); err != nil {
				return err
			}
		}
		if !sp.noFreeze {
			top, _ := excelize.CoordinatesToCellName(sp.freezeCols+1, plan.bodyFirst())
			if err := f.SetPanes(name, &excelize.Panes{
				Freeze: true, XSplit: sp.freezeCols, YSplit: plan.headLast(),
				TopLeftCell: top, ActivePane: activePane(sp.freezeCols),
			}); err != nil {
				return err
			}
			// A sheet printed over several pages across repeats its frozen
			// columns (STT, the unit's name) on each, as the header rows.
			titles := fmt.Sprintf("%s!$%d:$%d", quoteSheet(name), plan.headFirst(), plan.headLast())
			if across := sp.pagesAcross(plan.widths); across > 1 && sp.freezeCols > 0 {
				lastFrozen, _ := excelize.ColumnNumberToName(sp.freezeCols)
				titles = fmt.Sprintf("%s!$A:$%s,%s", quoteSheet(name), lastFrozen, titles)
			}
			if err := f.SetDefinedName(&excelize.DefinedName{
				Name:     "_xlnm.Print_Titles",
				RefersTo: titles,
				Scope:    name,
			}); err != nil {
				return err
			}
		}
	}
	across, zero := sp.pagesAcross(plan.widths), 0
	a4, landscape := 9, "landscape"
	if err := f.SetPageLayout(name, &excelize.PageLayoutOptions{
		Size: &a4, Orientation: &landscape, FitToWidth: &across, FitToHeight: &zero,
	}); err != nil {
		return err
	}
	yes := true
	if err := f.SetSheetProps(name, &excelize.SheetPropsOptions{FitToPage: &yes}); err != nil {
		return err
	}
	if err := f.SetPageMargins(name, &excelize.PageLayoutMarginsOptions{
		Left: ptr(0.5), Right: ptr(0.4), Top: ptr(0.6), Bottom: ptr(0.6), Header: ptr(0.3), Footer: ptr(0.3),
	}); err != nil {
		return err
	}
	if err := f.SetHeaderFooter(name, &excelize.HeaderFooterOptions{OddFooter: "&C" + b.label("xlsx_footer")}); err != nil {
		return err
	}
	if sp.setup != nil {
		return sp.setup(f, name, plan.bodyFirst(), plan.bodyLast())
	}
	return nil
}

// pageWidth is how many of Excel's character widths one A4 landscape page takes at
// the smallest scale still read without strain (about 75%): a wider sheet is
// printed over several pages across rather than shrunk to one (the structure sheet
// has some fifty columns, which one page width shrinks to an unreadable size).
const pageWidth = 190

// pagesAcross is how many pages wide the sheet prints with these column widths: one
// but for a wide matrix of counts, which is printed at a readable size over as many
// pages across as it takes.
func (sp sheetSpec) pagesAcross(widths []float64) int {
	if !sp.wide {
		return 1
	}
	var total float64
	for _, w := range widths {
		total += w
	}
	return max(1, int(math.Ceil(total/pageWidth)))
}

func activePane(freezeCols int) string {
	if freezeCols > 0 {
		return "bottomRight"
	}
	return "bottomLeft"
}

// quoteSheet quotes a sheet name for a formula: 'Lỗi dữ liệu'!A1.
func quoteSheet(name string) string {
	return "'" + strings.ReplaceAll(name, "'", "''") + "'"
}

func ptr[T any](v T) *T { return &v }

// rowWriter writes rows top to bottom, through a StreamWriter or cell by cell.
type rowWriter struct {
	b      *book
	name   string
	widths []float64
	sw     *excelize.StreamWriter
	row    int
	cells  []excelize.Cell
	vals   []any
	// wrapped remembers how many lines a text takes in a width: a long list wraps
	// the same few positions, standards and gaps on every row; lastWrap is each
	// column's last text, width and lines, which the next row mostly repeats.
	wrapped  map[wrapKey]int
	lastWrap []lastWrap
}

type lastWrap struct {
	wrapKey
	lines int
}

type wrapKey struct {
	s     string
	width float64
}

// lines is wrapLines(s, width), remembered for texts short enough to repeat.
func (w *rowWriter) lines(s string, width float64) int {
	if len(s) > 200 {
		return wrapLines(s, width)
	}
	k := wrapKey{s, width}
	n, ok := w.wrapped[k]
	if !ok {
		if w.wrapped == nil || len(w.wrapped) > 1<<16 {
			w.wrapped = map[wrapKey]int{}
		}
		n = wrapLines(s, width)
		w.wrapped[k] = n
	}
	return n
}

func (w *rowWriter) put(cells []cell) error {
	w.row++
	r := w.row
	height := w.height(cells)
	for c, x := range cells {
		if x.span > 1 || x.down > 1 {
			from, _ := excelize.CoordinatesToCellName(c+1, r)
			to, _ := excelize.CoordinatesToCellName(c+max(x.span, 1), r+max(x.down, 1)-1)
			var err error
			if w.sw != nil {
				err = w.sw.MergeCell(from, to)
			} else {
				err = w.b.f.MergeCell(w.name, from, to)
			}
			if err != nil {
				return err
			}
		}
	}
	if w.sw != nil {
		// Reused buffers: a row of pointers to cells costs no allocation per cell.
		if cap(w.cells) < len(cells) {
			w.cells = make([]excelize.Cell, len(cells))
			w.vals = make([]any, len(cells))
			for i := range w.cells {
				w.vals[i] = &w.cells[i]
			}
		}
		for i, x := range cells {
			w.cells[i] = excelize.Cell{StyleID: x.style, Value: x.v.boxed()}
		}
		ref, _ := excelize.CoordinatesToCellName(1, r)
		if height > 0 {
			return w.sw.SetRow(ref, w.vals[:len(cells)], excelize.RowOpts{Height: height})
		}
		return w.sw.SetRow(ref, w.vals[:len(cells)])
	}
	f := w.b.f
	for c, x := range cells {
		ref, _ := excelize.CoordinatesToCellName(c+1, r)
		if x.v.kind != vNone {
			if err := f.SetCellValue(w.name, ref, x.v.boxed()); err != nil {
				return err
			}
		}
		if x.style != 0 {
			if err := f.SetCellStyle(w.name, ref, ref, x.style); err != nil {
				return err
			}
		}
	}
	if height > 0 {
		return f.SetRowHeight(w.name, r, height)
	}
	return nil
}

// height is the row height that shows every wrapped cell whole, or 0 for the default
// height. Excel does not fit row heights to wrapped text when it opens a file.
func (w *rowWriter) height(cells []cell) float64 {
	lines, size := 1, lineHeight
	for c, x := range cells {
		s := x.v.s
		if x.v.kind != vText || s == "" || x.down > 1 {
			continue
		}
		if x.style == w.b.st.title {
			size = max(size, 22)
		}
		if !w.b.st.wraps[x.style] {
			continue
		}
		width := 0.0
		for i := c; i < c+max(x.span, 1) && i < len(w.widths); i++ {
			width += w.widths[i]
		}
		for len(w.lastWrap) <= c {
			w.lastWrap = append(w.lastWrap, lastWrap{})
		}
		if l := &w.lastWrap[c]; l.s != s || l.width != width-1 || l.lines == 0 {
			*l = lastWrap{wrapKey{s, width - 1}, w.lines(s, width-1)}
		}
		lines = max(lines, w.lastWrap[c].lines)
	}
	if lines == 1 && size == lineHeight {
		return 0
	}
	return min(float64(lines)*size+4, maxRowHeight)
}

// wrapLines counts the lines s takes when wrapped at word boundaries into a column
// width characters wide. It does not allocate.
func wrapLines(s string, width float64) int {
	if width < 1 {
		width = 1
	}
	lines := 0
	for para := range strings.SplitSeq(s, "\n") {
		lines++
		col := 0.0
		for word := range strings.FieldsSeq(para) {
			n := float64(utf8.RuneCountInString(word))
			switch {
			case col == 0:
				col = n
			case col+1+n <= width:
				col += 1 + n
			default:
				lines++
				col = n
			}
			for col > width { // a word longer than the line breaks anywhere
				lines++
				col -= width
			}
		}
	}
	return max(lines, 1)
}

// longestWord is the rune length of the longest word of s.
func longestWord(s string) int {
	best := 0
	for word := range strings.FieldsSeq(s) {
		best = max(best, utf8.RuneCountInString(word))
	}
	return best
}
