package pdfreport

import (
	"strings"

	"canbo/pipeline/document"
)

// body draws the main text (the generated paragraphs, the targets with their tables
// and charts) and the closing sentence.
func (d *doc) body() {
	d.blocks(d.m.Body)
	if d.failed() {
		return
	}
	// The closing sentence goes with the signature: if both do not fit, both move.
	closing := d.m.Closing
	d.font("", bodySize)
	lines := d.wrap(closing, d.width()-paraIndent, d.width())
	d.ensure(2 + float64(len(lines))*lineHeight(bodySize) + paraAfter + d.signBlock().h)
	d.pdf.Ln(2)
	d.paragraph(closing)
}

// blocks draws the body's or an appendix's blocks from the current position. A
// heading keeps two lines of what follows with it, or the start of the table after
// it.
func (d *doc) blocks(list []document.Block) {
	d.lineUp(list)
	for i, b := range list {
		if d.failed() {
			return
		}
		switch b.Kind {
		case document.KindHeading:
			keep := 2 * lineHeight(bodySize)
			if i+1 < len(list) && list[i+1].Kind == document.KindTable {
				keep = d.tableStart(list[i+1].Table)
			}
			d.heading(b.Text, keep)
		case document.KindParagraph:
			d.paragraph(b.Text)
		case document.KindTable:
			if b.Table.Continues {
				d.pdf.Ln(2)
			}
			d.drawTable(b.Table)
		case document.KindBars:
			d.chart(b.Bars)
		case document.KindTrend:
			d.trendChart(b.Trend)
		case document.KindPageBreak:
			orient := "P"
			if b.Landscape {
				orient = "L"
			}
			d.newPage(orient)
			d.lineUp(list[i+1:])
		}
	}
}

// lineUp gives the tables of each LineUp group, up to the next page break, the same
// columns (shareWidths), for the width of the current page.
func (d *doc) lineUp(list []document.Block) {
	var order []int
	groups := map[int][]*table{}
	for _, b := range list {
		if b.Kind == document.KindPageBreak {
			break
		}
		if b.Kind == document.KindTable && b.Table.LineUp != 0 {
			if groups[b.Table.LineUp] == nil {
				order = append(order, b.Table.LineUp)
			}
			groups[b.Table.LineUp] = append(groups[b.Table.LineUp], b.Table)
		}
	}
	for _, g := range order {
		d.shareWidths(groups[g]...)
	}
}

// heading draws a section heading, bold, kept with what follows it: keep
// millimetres (two lines of text, the start of a table).
func (d *doc) heading(s string, keep float64) {
	if d.failed() {
		return
	}
	lh := lineHeight(bodySize)
	d.font("B", bodySize)
	lines := d.wrap(s, d.width()-paraIndent, d.width())
	d.ensure(float64(len(lines))*lh + paraAfter + keep)
	d.lines(lines, lh, paraIndent, false)
	d.pdf.Ln(paraAfter)
}

// paragraph draws body text: 14 pt, justified, first line indented 1 cm, 6 pt after
// (NĐ 30, Phụ lục I).
func (d *doc) paragraph(s string) {
	if d.failed() {
		return
	}
	d.font("", bodySize)
	lines := d.wrap(s, d.width()-paraIndent, d.width())
	d.lines(lines, lineHeight(bodySize), paraIndent, true)
	d.pdf.Ln(paraAfter)
}

// lines draws wrapped lines from the current position, breaking pages as needed;
// justify spreads every line but the last to the full width.
func (d *doc) lines(lines []string, lh, indent float64, justify bool) {
	x0, w := d.left(), d.width()
	for i, line := range lines {
		if lh > d.room() {
			d.newPage(d.orient)
			x0, w = d.left(), d.width()
		}
		x, lw := x0, w
		if i == 0 {
			x, lw = x0+indent, w-indent
		}
		align := "L"
		// fpdf justifies by spreading the spaces: a line without one stays left.
		if justify && i < len(lines)-1 && strings.Contains(line, " ") {
			align = "J"
		}
		y := d.pdf.GetY()
		d.pdf.SetXY(x, y)
		d.pdf.CellFormat(lw, lh, line, "", 0, align, false, 0, "")
		d.pdf.SetXY(x0, y+lh)
	}
}
