package pdfreport

import (
	"strings"
)

// body draws the main text: the generated paragraphs, the targets with their table
// and chart, and the closing sentence.
func (d *doc) body() {
	paras, err := d.txt.Narrative(d.s, d.cfg)
	if err != nil {
		d.err = err
		return
	}
	section := 0
	heading := func(key string) {
		section++
		d.heading(roman(section)+". "+d.label(key), 2*lineHeight(bodySize))
	}
	heading("section_overview")
	for _, p := range paras {
		d.paragraph(p)
	}
	if len(d.s.Targets) > 0 {
		tables := d.targetTables()
		section++
		d.heading(roman(section)+". "+d.label("section_targets"), d.tableStart(tables[0]))
		for _, t := range tables {
			d.drawTable(t)
		}
		d.chart()
		d.trendChart()
	}
	// The closing sentence goes with the signature: if both do not fit, both move.
	closing := d.label("pdf_closing")
	d.font("", bodySize)
	lines := d.wrap(closing, d.width()-paraIndent, d.width())
	d.ensure(2 + float64(len(lines))*lineHeight(bodySize) + paraAfter + d.signBlock().h)
	d.pdf.Ln(2)
	d.paragraph(closing)
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
