package pdfreport

import (
	"math"
	"sort"
	"strings"

	"canbo/pipeline/document"
)

// Every table of the report is drawn here. A table is columns, an optional upper
// header row of spans (a dimension over its codes), and rows of text. Columns are
// sized from what they hold:
//
//	fit     numbers, dates, short labels: as wide as the widest cell (and the widest
//	        word of the title), so a number or a date never wraps
//	width   a fixed width
//	(else)  text: shares what the others leave; a column whose widest cell needs
//	        less than its share gets just that, and the rest goes to the others
//
// Cells wrap; a row is as tall as its tallest cell; the header (shaded) is drawn again
// at the top of every page the table runs onto, and a row never splits across pages.
// A row marked keep stays on the page of the row after it (a group's heading or
// subtotal with its first unit, the last unit with the totals), and a short table
// moves whole to a new page rather than split.

const (
	cellPadX   = document.CellPadX // mm, left and right inside a cell
	cellPadY   = 0.9               // mm, above and below the text
	tableSize  = 11.0
	tableLine  = 0.2 // border width, mm
	captionGap = 2.0
	noteGap    = 1.2
	fitSlack   = document.FitSlack // mm added to a fitted column, so rounding never wraps its widest cell

	keepTogether = 40 // rows: a table this short is not split when a page can hold it
	// startRows: a long table starts on a page only where its header has this many
	// rows under it; a header with one row at the foot of a page reads as a stray.
	startRows = 3
)

// The model's tables (pipeline/document), by their short names here.
type (
	table  = document.Table
	column = document.Column
	span   = document.Span
	row    = document.Row
	shade  = document.Shade
)

const (
	plain      = document.Plain
	shadeHead  = document.ShadeHead
	shadeGroup = document.ShadeGroup
	shadeTotal = document.ShadeTotal
)

// header is a table's header laid out for one width.
type header struct {
	h1, h      float64    // height of the span row (0 without spans), of the whole header
	colLines   [][]string // wrapped column titles
	spanLines  [][]string
	underSpan  []bool // column i is under a span
	spanX      []float64
	spanWidths []float64
}

// laidTable is a table measured for the current page: widths, header, caption,
// note, and its rows wrapped on demand.
type laidTable struct {
	t               *table
	size, lh        float64 // body
	headSize, hlh   float64 // header
	padY            float64
	widths          []float64
	hd              header
	caption, note   []string
	captionH, noteH float64
	capSize, capIn  float64 // the caption's font size and first-line indent
	page            float64 // the height of a page's text area
	contRoom        float64 // kept free under the header for a continued group's line
	rows            []laidRow
}

type laidRow struct {
	lines [][]string
	h     float64
	done  bool
}

// measure lays out t for the current page's width.
func (d *doc) measure(t *table) *laidTable {
	lt := &laidTable{t: t, size: t.Size, headSize: t.HeadSize, padY: t.PadY}
	if lt.size == 0 {
		lt.size = tableSize
	}
	if lt.headSize == 0 {
		lt.headSize = lt.size
	}
	if lt.padY == 0 {
		lt.padY = cellPadY
	}
	lt.lh, lt.hlh = lineHeight(lt.size), lineHeight(lt.headSize)
	lt.widths = t.Widths
	if len(lt.widths) != len(t.Cols) {
		lt.widths = d.columnWidths(t, d.width())
	}
	d.font("B", lt.headSize)
	lt.hd = d.layoutHeader(t, lt.widths, lt.hlh, lt.padY)
	if t.Caption != "" {
		lt.capSize = lt.size + 1
		if t.Heading {
			lt.capSize, lt.capIn = bodySize, paraIndent
		}
		d.font("B", lt.capSize)
		lt.caption = d.wrap(t.Caption, d.width()-lt.capIn, d.width())
		lt.captionH = float64(len(lt.caption))*lineHeight(lt.capSize) + captionGap
	}
	if t.Note != "" {
		d.font("I", lt.size)
		lt.note = d.wrap(t.Note, d.width(), d.width())
		lt.noteH = noteGap + float64(len(lt.note))*lt.lh
	}
	_, top, _, _ := d.pdf.GetMargins()
	lt.page = d.bottom() - top
	lt.rows = make([]laidRow, len(t.Rows))
	for _, r := range t.Rows {
		if r.Opens != "" {
			lt.contRoom = 2*lt.lh + 2*lt.padY
			break
		}
	}
	return lt
}

// continued draws, at the top of a page, the group the rows there belong to:
// "II. Huyện Châu Thành (tiếp theo)", in italics, across the table.
func (d *doc) continued(lt *laidTable, section string) {
	r := row{Whole: true, Style: "I", Cells: []string{section + " " + d.m.Continued}}
	lines, h := d.layoutRow(lt, r)
	if len(lines[0]) > 2 {
		lines[0] = lines[0][:2]
		h = 2*lt.lh + 2*lt.padY
	}
	d.drawRow(lt, r, &laidRow{lines: lines, h: h})
}

// row wraps row i (once) and returns it; a row taller than a page keeps the lines
// that fit.
func (d *doc) laidRow(lt *laidTable, i int) *laidRow {
	r := &lt.rows[i]
	if !r.done {
		r.lines, r.h = d.layoutRow(lt, lt.t.Rows[i])
		if most := lt.page - lt.hd.h - lt.contRoom; r.h > most {
			r.lines, r.h = clip(r.lines, most, lt.lh, lt.padY)
		}
		r.done = true
	}
	return r
}

// chain is the height of row i with the rows kept with it, and the note after the
// last row; at most a page (beyond that the keep cannot be honoured).
func (d *doc) chain(lt *laidTable, i int) float64 {
	h := 0.0
	for j := i; j < len(lt.rows); j++ {
		h += d.laidRow(lt, j).h
		if j == len(lt.rows)-1 {
			h += lt.noteH
		}
		if !lt.t.Rows[j].Keep || h > lt.page {
			break
		}
	}
	return h
}

// start is the height the table needs on the page it starts on: caption, header and
// the first rows kept together, or the whole of a short table that fits on a page.
func (d *doc) start(lt *laidTable) float64 {
	need := lt.captionH + lt.hd.h
	if len(lt.rows) == 0 {
		return need + lt.noteH
	}
	if len(lt.rows) <= keepTogether {
		whole := need + lt.noteH
		for i := range lt.rows {
			whole += d.laidRow(lt, i).h
		}
		if whole <= lt.page {
			return whole
		}
	}
	first := 0.0
	for i := range min(startRows, len(lt.rows)) {
		first += d.laidRow(lt, i).h
	}
	return need + min(max(d.chain(lt, 0), first), lt.page-need)
}

// tableStart is the height t needs where it starts: a heading above it keeps that
// much room under itself.
func (d *doc) tableStart(t *table) float64 { return d.start(d.measure(t)) }

// drawTable draws t from the current position, on pages of the current orientation.
func (d *doc) drawTable(t *table) {
	if d.failed() {
		return
	}
	if d.onTable != nil {
		d.onTable(t)
	}
	lt := d.measure(t)
	d.pdf.SetLineWidth(tableLine)
	d.ensure(d.start(lt))
	if len(lt.caption) > 0 {
		d.font("B", lt.capSize)
		d.lines(lt.caption, lineHeight(lt.capSize), lt.capIn, false)
		d.pdf.SetY(d.pdf.GetY() + captionGap)
		d.pdf.SetX(d.left())
	}
	d.drawHeader(lt)
	top := true   // just under a header: a page break here would leave it alone
	section := "" // the group the rows drawn are in, said again on a new page
	last := len(t.Rows) - 1
	for i, tr := range t.Rows {
		if i%256 == 255 && d.failed() {
			return
		}
		r := d.laidRow(lt, i)
		need := r.h
		if tr.Keep || i == last {
			if c := d.chain(lt, i); c <= lt.page-lt.hd.h-lt.contRoom {
				need = c
			}
		}
		if need > d.room() && !top {
			d.newPage(d.orient)
			d.drawHeader(lt)
			if section != "" && tr.Opens == "" && !tr.Closes {
				d.continued(lt, section)
			}
		}
		switch {
		case tr.Opens != "":
			section = tr.Opens
		case tr.Closes:
			section = ""
		}
		d.drawRow(lt, tr, r)
		*r = laidRow{} // drawn: let the lines go
		top = false
	}
	if len(lt.note) > 0 {
		d.pdf.SetY(d.pdf.GetY() + noteGap)
		d.font("I", lt.size)
		d.lines(lt.note, lt.lh, 0, false)
	}
	d.pdf.SetXY(d.left(), d.pdf.GetY()+3)
}

// columnWidths sizes the columns of t for a table total millimetres wide: fixed
// columns as given, fitted ones to their widest cell, and the flexible ones share
// the rest (see the top of this file). Fixed and fitted columns wider than the page
// are scaled down together.
func (d *doc) columnWidths(t *table, total float64) []float64 {
	size, headSize := t.Size, t.HeadSize
	if size == 0 {
		size = tableSize
	}
	if headSize == 0 {
		headSize = size
	}
	n := len(t.Cols)
	natural := make([]float64, n) // the widest cell's text
	least := make([]float64, n)   // the widest word of the title
	measured := make([]bool, n)
	cells := make([][]float64, n) // every cell's width, for the flexible columns
	for i, c := range t.Cols {
		measured[i] = c.Width == 0
		if measured[i] && !c.Fit {
			cells[i] = make([]float64, 0, len(t.Rows))
		}
	}
	d.font("B", headSize)
	for i, c := range t.Cols {
		if measured[i] {
			for _, w := range strings.Fields(clean(c.Title)) {
				least[i] = max(least[i], d.pdf.GetStringWidth(w))
			}
			if c.Fit { // a narrow column of numbers: its title in three lines at most
				least[i] = d.widthFor(c.Title, headLines, least[i])
			}
		}
	}
	// Measure style by Style: one font change per style, not per row.
	for _, style := range []string{"", "B", "I", "BI"} {
		set := false
		for _, r := range t.Rows {
			if r.Style != style || r.Whole {
				continue
			}
			if !set {
				d.font(style, size)
				set = true
			}
			for i, s := range r.Cells {
				if i < n && measured[i] && s != "" {
					if cells[i] == nil {
						s = clean(s) // measured as wrap will: a fitted cell must not wrap
					}
					w := d.widest(s)
					natural[i] = max(natural[i], w)
					if cells[i] != nil {
						cells[i] = append(cells[i], w)
					}
				}
			}
		}
	}
	pad := 2*cellPadX + fitSlack
	fit := make([]float64, n)
	for i := range fit {
		fit[i] = max(natural[i], least[i])
	}
	// The flexible columns keep at least the widest word of their title (floor).
	out, flexible, fixed, floor := document.FixedWidths(t.Cols, fit, least, pad)
	if room := total - floor; fixed > room || (len(flexible) == 0 && fixed > 0) {
		scale := math.Max(room, 0) / fixed
		if len(flexible) == 0 {
			scale = total / fixed
		}
		for i := range t.Cols {
			if t.Cols[i].Width > 0 || t.Cols[i].Fit {
				out[i] *= scale
			}
		}
		fixed *= scale
	}
	left := math.Max(total-fixed, 0)
	if len(flexible) == 0 {
		return out
	}
	// The flexible columns get the widths that keep the most rows on one line: the
	// width of their q-quantile cell, for the largest q whose widths fit side by
	// side (every cell, q = 1, when the page is wide enough). A row wraps only where
	// one of its cells is among the widest of its column.
	for _, i := range flexible {
		sort.Float64s(cells[i])
	}
	at := func(i int, q float64) float64 {
		ws := cells[i]
		if len(ws) == 0 {
			return least[i] + pad
		}
		k := min(max(int(math.Ceil(q*float64(len(ws))))-1, 0), len(ws)-1)
		return max(ws[k], least[i]) + pad
	}
	sum := func(q float64) float64 {
		w := 0.0
		for _, i := range flexible {
			w += at(i, q)
		}
		return w
	}
	const lowest = 0.5 // below this, wrapping is the rule: share by weight instead
	if q := 1.0; sum(q) <= left || sum(lowest) <= left {
		if sum(q) > left {
			lo, hi := lowest, 1.0
			for range 24 {
				if mid := (lo + hi) / 2; sum(mid) <= left {
					lo = mid
				} else {
					hi = mid
				}
			}
			q = lo
		}
		// What is left goes cell by cell: each time to the column that brings one more
		// cell onto one line for the least width.
		size := 0.0
		for _, i := range flexible {
			out[i] = at(i, q)
		}
		spare := left - sum(q)
		for spare > 0 {
			best, cost := -1, spare
			for _, i := range flexible {
				ws := cells[i]
				k := sort.SearchFloat64s(ws, out[i]-pad+1e-9) // the first cell that does not fit
				if k < len(ws) && ws[k]+pad-out[i] <= cost {
					best, cost = i, ws[k]+pad-out[i]
				}
			}
			if best < 0 {
				break
			}
			out[best] += cost
			spare -= cost
		}
		// The rest: to the columns that still wrap, in proportion to what they lack;
		// when none does, to all of them, in proportion to their widths.
		lack := 0.0
		for _, i := range flexible {
			size += out[i]
			lack += at(i, 1) - out[i]
		}
		for _, i := range flexible {
			if lack > 0 {
				out[i] += spare * (at(i, 1) - out[i]) / lack
			} else {
				out[i] += spare * out[i] / size
			}
		}
		return out
	}
	// Water-filling by weight: a column that needs less than its share gets what it
	// needs.
	need, floors := make([]float64, n), make([]float64, n)
	for _, i := range flexible {
		need[i], floors[i] = max(natural[i], least[i])+pad, least[i]+pad
	}
	document.ShareByWeight(t.Cols, flexible, need, floors, left, out)
	return out
}

// headLines is the most lines a fitted column's title wraps into.
const headLines = 3

// widthFor is the least width, from least up, at which s wraps into n lines at most
// in the current font.
func (d *doc) widthFor(s string, n int, least float64) float64 {
	most := d.pdf.GetStringWidth(oneLine(s))
	if most <= least || len(d.wrap(s, least, least)) <= n {
		return least
	}
	lo, hi := least, most
	for hi-lo > 0.1 {
		mid := (lo + hi) / 2
		if len(d.wrap(s, mid, mid)) <= n {
			hi = mid
		} else {
			lo = mid
		}
	}
	return hi
}

// widest is the width of the longest line of s in the current font.
func (d *doc) widest(s string) float64 {
	w := 0
	for s != "" {
		line, rest, _ := strings.Cut(s, "\n")
		w = max(w, d.pdf.GetStringSymbolWidth(line))
		s = rest
	}
	_, unit := d.pdf.GetFontSize()
	return float64(w) * unit / 1000
}

// shareWidths gives tables drawn one under the other the same fitted columns (the
// widest of each), the flexible ones sharing the rest, so their columns line up.
// The tables must have the same columns.
func (d *doc) shareWidths(tables ...*table) {
	var all [][]float64
	for _, t := range tables {
		all = append(all, d.columnWidths(t, d.width()))
	}
	cols := tables[0].Cols
	widest := make([]float64, len(cols))
	fixed, flex := 0.0, 0.0
	for i, c := range cols {
		if c.Width > 0 || c.Fit {
			for _, w := range all {
				widest[i] = max(widest[i], w[i])
			}
			fixed += widest[i]
		} else {
			flex += c.Weight()
		}
	}
	if flex == 0 || fixed >= d.width() {
		for _, t := range tables {
			t.Widths = nil
		}
		return
	}
	for i, c := range cols {
		if c.Width == 0 && !c.Fit {
			widest[i] = (d.width() - fixed) * c.Weight() / flex
		}
	}
	for _, t := range tables {
		t.Widths = widest
	}
}

// layoutHeader wraps the header titles and sizes the one or two header rows:
// columns under a span sit in the lower row, the others take both rows.
func (d *doc) layoutHeader(t *table, widths []float64, lh, padY float64) header {
	hd := header{underSpan: make([]bool, len(t.Cols))}
	for _, s := range t.Spans {
		x, w := 0.0, 0.0
		for i := range widths[:s.First] {
			x += widths[i]
		}
		for i := s.First; i < s.First+s.N && i < len(widths); i++ {
			w += widths[i]
			hd.underSpan[i] = true
		}
		lines := d.wrap(s.Title, w-2*cellPadX, w-2*cellPadX)
		hd.spanLines = append(hd.spanLines, lines)
		hd.spanX = append(hd.spanX, x)
		hd.spanWidths = append(hd.spanWidths, w)
		hd.h1 = max(hd.h1, float64(len(lines))*lh+2*padY)
	}
	lower, full := 0.0, 0.0
	for i, c := range t.Cols {
		lines := d.wrap(c.Title, widths[i]-2*cellPadX, widths[i]-2*cellPadX)
		hd.colLines = append(hd.colLines, lines)
		h := float64(len(lines))*lh + 2*padY
		if hd.underSpan[i] {
			lower = max(lower, h)
		} else {
			full = max(full, h)
		}
	}
	hd.h = max(hd.h1+lower, full)
	return hd
}

// drawHeader draws the header at the current position, bold, centred and shaded.
func (d *doc) drawHeader(lt *laidTable) {
	hd, widths := lt.hd, lt.widths
	x0, y := d.left(), d.pdf.GetY()
	d.font("B", lt.headSize)
	for i, s := range hd.spanLines {
		d.cell(x0+hd.spanX[i], y, hd.spanWidths[i], hd.h1, s, "C", lt.hlh, shadeHead)
	}
	x := x0
	for i, lines := range hd.colLines {
		if hd.underSpan[i] {
			d.cell(x, y+hd.h1, widths[i], hd.h-hd.h1, lines, "C", lt.hlh, shadeHead)
		} else {
			d.cell(x, y, widths[i], hd.h, lines, "C", lt.hlh, shadeHead)
		}
		x += widths[i]
	}
	d.pdf.SetXY(x0, y+hd.h)
}

// layoutRow wraps a row's cells and returns them with the row's height.
func (d *doc) layoutRow(lt *laidTable, r row) ([][]string, float64) {
	d.font(r.Style, lt.size)
	widths := lt.widths
	if r.Whole {
		total := 0.0
		for _, w := range widths {
			total += w
		}
		text := ""
		if len(r.Cells) > 0 {
			text = r.Cells[0]
		}
		lines := d.wrap(text, total-2*cellPadX, total-2*cellPadX)
		return [][]string{lines}, float64(len(lines))*lt.lh + 2*lt.padY
	}
	out := make([][]string, len(widths))
	most := 1
	for i, w := range widths {
		if i < len(r.Cells) && r.Cells[i] != "" {
			out[i] = d.wrap(r.Cells[i], w-2*cellPadX, w-2*cellPadX)
			most = max(most, len(out[i]))
		}
	}
	return out, float64(most)*lt.lh + 2*lt.padY
}

// drawRow draws one laid-out row at the current position.
func (d *doc) drawRow(lt *laidTable, r row, l *laidRow) {
	widths := lt.widths
	x, y := d.left(), d.pdf.GetY()
	d.font(r.Style, lt.size)
	if r.Whole {
		total := 0.0
		for _, w := range widths {
			total += w
		}
		align := "L"
		if r.Center {
			align = "C"
		}
		d.cell(x, y, total, l.h, l.lines[0], align, lt.lh, r.Shade)
	} else {
		for i, w := range widths {
			align := lt.t.Cols[i].Align
			if align == "" {
				align = "L"
			}
			d.cell(x, y, w, l.h, l.lines[i], align, lt.lh, r.Shade)
			x += w
		}
	}
	d.pdf.SetXY(d.left(), y+l.h)
}

// cell draws a bordered cell, shaded or not, with its lines centred vertically.
func (d *doc) cell(x, y, w, h float64, lines []string, align string, lh float64, bg shade) {
	if bg != plain {
		g := int(bg)
		d.pdf.SetFillColor(g, g, g)
		d.pdf.Rect(x, y, w, h, "FD")
	} else {
		d.pdf.Rect(x, y, w, h, "D")
	}
	ty := y + (h-float64(len(lines))*lh)/2
	for i, line := range lines {
		d.pdf.SetXY(x+cellPadX, ty+float64(i)*lh)
		d.pdf.CellFormat(w-2*cellPadX, lh, line, "", 0, align, false, 0, "")
	}
}

// clip cuts every cell to the lines that fit in height h, marking the cut with "…".
func clip(cells [][]string, h, lh, padY float64) ([][]string, float64) {
	n := max(int((h-2*padY)/lh), 1)
	for i, c := range cells {
		if len(c) > n {
			cells[i] = append(c[:n-1:n-1], c[n-1]+" …")
		}
	}
	return cells, float64(n)*lh + 2*padY
}
