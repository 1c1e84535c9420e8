package pdfreport

import (
	"math"
)

// Every table of the report is drawn here. A table is columns (fixed widths, or a
// share of what the fixed ones leave), an optional upper header row of spans (a
// dimension over its codes), and rows of text. Cells wrap; a row is as tall as its
// tallest cell; the header is drawn again at the top of every page the table runs
// onto, and a row never splits across pages.

const (
	cellPadX   = 1.2 // mm, left and right inside a cell
	cellPadY   = 0.9 // mm, above and below the text
	tableSize  = 11.0
	tableLine  = 0.2 // border width, mm
	captionGap = 2.0

	keepTogether = 40 // rows: a table this short is not split when a page can hold it
)

// column is one column of a table.
type column struct {
	title string
	width float64 // mm; 0 = a share of the width the fixed columns leave
	flex  float64 // that share's weight (default 1)
	align string  // body cells: "L", "C" or "R" (numbers)
}

// span is an upper header cell over the columns first … first+n-1.
type span struct {
	title    string
	first, n int
}

// row is one body row.
type row struct {
	cells  []string
	style  string // font style of the row: "" or "B" (totals), "I" (shares)
	whole  bool   // one cell across the table (a group heading); cells[0] is its text
	center bool   // whole rows: centre the text
}

// table is a table ready to draw.
type table struct {
	caption string // bold, centred above the table; kept with the header
	cols    []column
	spans   []span
	rows    []row
	size    float64 // font size, pt; tableSize when 0
}

// header is a table's header laid out for one width.
type header struct {
	h1, h      float64    // height of the span row (0 without spans), of the whole header
	colLines   [][]string // wrapped column titles
	spanLines  [][]string
	underSpan  []bool // column i is under a span
	spanX      []float64
	spanWidths []float64
}

// drawTable draws t from the current position, on pages of the current orientation.
func (d *doc) drawTable(t *table) {
	if d.failed() {
		return
	}
	size := t.size
	if size == 0 {
		size = tableSize
	}
	lh := lineHeight(size)
	widths := columnWidths(t.cols, d.width())
	d.pdf.SetLineWidth(tableLine)

	d.font("B", size)
	hd := d.layoutHeader(t, widths, lh)
	var caption []string
	if t.caption != "" {
		d.font("B", size+1)
		caption = d.wrap(t.caption, d.width(), d.width())
	}
	captionH := float64(len(caption)) * lineHeight(size+1)
	if captionH > 0 {
		captionH += captionGap
	}
	first := 0.0
	if len(t.rows) > 0 {
		_, first = d.layoutRow(t, widths, t.rows[0], size, lh)
	}
	_, top, _, _ := d.pdf.GetMargins()
	page := d.bottom() - top
	need := captionH + hd.h + first
	if len(t.rows) <= keepTogether {
		// A short table that would split but fits on a page of its own starts one.
		whole := captionH + hd.h
		for _, r := range t.rows {
			_, h := d.layoutRow(t, widths, r, size, lh)
			whole += h
		}
		if whole <= page {
			need = whole
		}
	}
	d.ensure(need)
	if len(caption) > 0 {
		d.font("B", size+1)
		d.lines(caption, lineHeight(size+1), 0, false)
		d.pdf.SetY(d.pdf.GetY() + captionGap)
		d.pdf.SetX(d.left())
	}
	d.drawHeader(t, widths, hd, size, lh)
	for i, r := range t.rows {
		if i%256 == 255 && d.failed() {
			return
		}
		lines, h := d.layoutRow(t, widths, r, size, lh)
		// A row taller than a page (a cell of a thousand words) keeps the lines that fit.
		if most := page - hd.h; h > most {
			lines, h = clip(lines, most, lh)
		}
		if h > d.room() {
			d.newPage(d.orient)
			d.drawHeader(t, widths, hd, size, lh)
		}
		d.drawRow(t, widths, r, lines, h, size, lh)
	}
	d.pdf.SetXY(d.left(), d.pdf.GetY()+3)
}

// columnWidths gives fixed columns their width and shares the rest among the others.
// Fixed columns wider than the page are scaled down together.
func columnWidths(cols []column, total float64) []float64 {
	out := make([]float64, len(cols))
	fixed, flex := 0.0, 0.0
	for _, c := range cols {
		if c.width > 0 {
			fixed += c.width
		} else {
			flex += flexOf(c)
		}
	}
	scale := 1.0
	if fixed > total || (flex == 0 && fixed > 0) {
		scale = total / fixed
	}
	left := math.Max(total-fixed*scale, 0)
	for i, c := range cols {
		if c.width > 0 {
			out[i] = c.width * scale
		} else {
			out[i] = left * flexOf(c) / flex
		}
	}
	return out
}

func flexOf(c column) float64 {
	if c.flex > 0 {
		return c.flex
	}
	return 1
}

// layoutHeader wraps the header titles and sizes the one or two header rows:
// columns under a span sit in the lower row, the others take both rows.
func (d *doc) layoutHeader(t *table, widths []float64, lh float64) header {
	hd := header{underSpan: make([]bool, len(t.cols))}
	for _, s := range t.spans {
		x, w := 0.0, 0.0
		for i := range widths[:s.first] {
			x += widths[i]
		}
		for i := s.first; i < s.first+s.n && i < len(widths); i++ {
			w += widths[i]
			hd.underSpan[i] = true
		}
		lines := d.wrap(s.title, w-2*cellPadX, w-2*cellPadX)
		hd.spanLines = append(hd.spanLines, lines)
		hd.spanX = append(hd.spanX, x)
		hd.spanWidths = append(hd.spanWidths, w)
		hd.h1 = max(hd.h1, float64(len(lines))*lh+2*cellPadY)
	}
	lower, full := 0.0, 0.0
	for i, c := range t.cols {
		lines := d.wrap(c.title, widths[i]-2*cellPadX, widths[i]-2*cellPadX)
		hd.colLines = append(hd.colLines, lines)
		h := float64(len(lines))*lh + 2*cellPadY
		if hd.underSpan[i] {
			lower = max(lower, h)
		} else {
			full = max(full, h)
		}
	}
	hd.h = max(hd.h1+lower, full)
	return hd
}

// drawHeader draws the header at the current position, bold and centred.
func (d *doc) drawHeader(t *table, widths []float64, hd header, size, lh float64) {
	x0, y := d.left(), d.pdf.GetY()
	d.font("B", size)
	for i, s := range hd.spanLines {
		d.cell(x0+hd.spanX[i], y, hd.spanWidths[i], hd.h1, s, "C", lh)
	}
	x := x0
	for i, lines := range hd.colLines {
		if hd.underSpan[i] {
			d.cell(x, y+hd.h1, widths[i], hd.h-hd.h1, lines, "C", lh)
		} else {
			d.cell(x, y, widths[i], hd.h, lines, "C", lh)
		}
		x += widths[i]
	}
	d.pdf.SetXY(x0, y+hd.h)
}

// layoutRow wraps a row's cells and returns them with the row's height.
func (d *doc) layoutRow(t *table, widths []float64, r row, size, lh float64) ([][]string, float64) {
	d.font(r.style, size)
	if r.whole {
		total := 0.0
		for _, w := range widths {
			total += w
		}
		text := ""
		if len(r.cells) > 0 {
			text = r.cells[0]
		}
		lines := d.wrap(text, total-2*cellPadX, total-2*cellPadX)
		return [][]string{lines}, float64(len(lines))*lh + 2*cellPadY
	}
	out := make([][]string, len(widths))
	most := 1
	for i, w := range widths {
		if i < len(r.cells) && r.cells[i] != "" {
			out[i] = d.wrap(r.cells[i], w-2*cellPadX, w-2*cellPadX)
			most = max(most, len(out[i]))
		}
	}
	return out, float64(most)*lh + 2*cellPadY
}

// drawRow draws one laid-out row at the current position.
func (d *doc) drawRow(t *table, widths []float64, r row, lines [][]string, h, size, lh float64) {
	x, y := d.left(), d.pdf.GetY()
	d.font(r.style, size)
	if r.whole {
		total := 0.0
		for _, w := range widths {
			total += w
		}
		align := "L"
		if r.center {
			align = "C"
		}
		d.cell(x, y, total, h, lines[0], align, lh)
	} else {
		for i, w := range widths {
			align := t.cols[i].align
			if align == "" {
				align = "L"
			}
			d.cell(x, y, w, h, lines[i], align, lh)
			x += w
		}
	}
	d.pdf.SetXY(d.left(), y+h)
}

// cell draws a bordered cell with its lines centred vertically.
func (d *doc) cell(x, y, w, h float64, lines []string, align string, lh float64) {
	d.pdf.Rect(x, y, w, h, "D")
	ty := y + (h-float64(len(lines))*lh)/2
	for i, line := range lines {
		d.pdf.SetXY(x+cellPadX, ty+float64(i)*lh)
		d.pdf.CellFormat(w-2*cellPadX, lh, line, "", 0, align, false, 0, "")
	}
}

// clip cuts every cell to the lines that fit in height h, marking the cut with "…".
func clip(cells [][]string, h, lh float64) ([][]string, float64) {
	n := max(int((h-2*cellPadY)/lh), 1)
	for i, c := range cells {
		if len(c) > n {
			cells[i] = append(c[:n-1:n-1], c[n-1]+" …")
		}
	}
	return cells, float64(n)*lh + 2*cellPadY
}
