package pdfreport

import (
	"codeberg.org/go-pdf/fpdf"

	"canbo/pipeline/document"
	"canbo/pipeline/reporttext"
	"canbo/pipeline/summary"
)

// The trend chart follows the bar chart when some overall target has a trend
// (Target.Trend, two periods or more): the share of every overall target over the
// periods on a 0–100% scale, one line per target with a marker at each period, and
// its threshold as a dashed line of the same colour; the periods ("09/2023") along
// the bottom and, under the chart, a legend numbered as the targets table. The lines
// differ in marker shape too, so the chart still reads on a black-and-white printer.
// A period without a result, or with nobody the target applies to, leaves a gap.
// Drawn with fpdf primitives.

const (
	trendPlotH  = 72.0 // mm: the plot's height
	trendScaleW = 12.0 // mm: the scale's labels, left of the plot
	trendRight  = 3.0  // mm right of the plot
	trendAxisH  = 6.0  // mm: the periods under the plot
	trendKeyW   = 13.0 // mm: a legend entry's key (a piece of line with its marker)
	trendMarkR  = 1.1  // mm: a marker's half size
	trendLineW  = 0.6
	trendDashW  = 0.35
)

var (
	trendColours = [][3]int{{31, 90, 180}, {200, 30, 30}, {30, 140, 60}, {120, 60, 160}, {230, 120, 0},
		{110, 75, 50}, {200, 60, 150}, {0, 150, 170}}
	trendDash = []float64{2.2, 1.4} // mm: dash, gap
)

// trendChart draws the trend chart, kept on one page with its legend when a page can
// hold both; a legend longer than that runs on to the next page.
func (d *doc) trendChart(tr *document.Trend) {
	if d.failed() {
		return
	}
	lines, periods := tr.Lines, tr.Periods
	p := d.pdf
	x0, w := d.left(), d.width()
	lh := lineHeight(chartSize)

	// The legend: each target's number and title, wrapped beside its key, then what
	// the dashed lines are.
	d.font("", chartSize)
	textW := w - trendKeyW
	legend := make([][]string, len(lines)+1)
	heights := make([]float64, len(lines)+1)
	legendH := 0.0
	for i, l := range lines {
		legend[i] = d.wrap(reporttext.Int(l.N)+". "+l.Title, textW, textW)
	}
	legend[len(lines)] = d.wrap(tr.Note, textW, textW)
	for i, ls := range legend {
		heights[i] = float64(len(ls))*lh + 1
		legendH += heights[i]
	}
	titleH := lineHeight(12) + 3
	chartH := 4 + titleH + 3 + trendPlotH + trendAxisH + 2
	_, top, _, _ := p.GetMargins()
	if chartH+legendH <= d.bottom()-top {
		d.ensure(chartH + legendH)
	} else {
		d.ensure(chartH + heights[0])
	}

	y := p.GetY() + 4
	d.font("B", 12)
	d.text(x0, y, w, lineHeight(12), tr.Title, "C")
	y += titleH + 3
	plotX, plotW := x0+trendScaleW, w-trendScaleW-trendRight
	plotTop, plotBottom := y, y+trendPlotH
	yAt := func(share float64) float64 { return plotBottom - trendPlotH*clamp01(share) }
	slot := plotW / float64(len(periods))
	xAt := func(i int) float64 { return plotX + slot*(float64(i)+0.5) }

	// Grid and scale.
	d.font("", chartSmall)
	p.SetLineWidth(0.1)
	p.SetDrawColor(colourGrid[0], colourGrid[1], colourGrid[2])
	for tick := 20; tick <= 100; tick += 20 {
		yy := yAt(float64(tick) / 100)
		p.Line(plotX, yy, plotX+plotW, yy)
	}
	p.SetDrawColor(0, 0, 0)
	p.SetLineWidth(0.3)
	p.Line(plotX, plotTop, plotX, plotBottom)
	p.Line(plotX, plotBottom, plotX+plotW, plotBottom)
	for tick := 0; tick <= 100; tick += 20 {
		yy := yAt(float64(tick) / 100)
		p.Line(plotX-1, yy, plotX, yy)
		d.text(x0, yy-2, trendScaleW-1.8, 4, reporttext.PercentShort(float64(tick)/100), "R")
	}
	// The periods: every one when they fit side by side, else every step-th, always
	// with the last (this report's).
	labels := make([]string, len(periods))
	widest := 0.0
	for i, per := range periods {
		labels[i] = reporttext.Period(per)
		widest = max(widest, p.GetStringWidth(labels[i]))
	}
	step := 1
	for float64(step)*slot < widest+1.5 && step < len(periods) {
		step++
	}
	for i := range periods {
		x := xAt(i)
		p.Line(x, plotBottom, x, plotBottom+1)
		if (len(periods)-1-i)%step == 0 {
			d.text(x-slot*float64(step)/2, plotBottom+1.2, slot*float64(step), 4, labels[i], "C")
		}
	}

	// The lines: thresholds (dashed) first, then the shares over them.
	p.SetLineCapStyle("round")
	p.SetLineJoinStyle("round")
	for k, l := range lines {
		c := trendColours[k%len(trendColours)]
		p.SetDrawColor(c[0], c[1], c[2])
		p.SetLineWidth(trendDashW)
		p.SetDashPattern(trendDash, 0)
		d.polyline(periods, xAt, func(pt summary.Point) (float64, bool) { return yAt(pt.Threshold), true }, l.Points)
		p.SetDashPattern([]float64{}, 0)
	}
	for k, l := range lines {
		c := trendColours[k%len(trendColours)]
		p.SetDrawColor(c[0], c[1], c[2])
		p.SetFillColor(c[0], c[1], c[2])
		p.SetLineWidth(trendLineW)
		valid := func(pt summary.Point) (float64, bool) { return yAt(pt.Share), pt.Population > 0 }
		d.polyline(periods, xAt, valid, l.Points)
		p.SetLineWidth(0.3)
		for i, per := range periods {
			if pt, ok := l.Points[per]; ok && pt.Population > 0 {
				d.trendMarker(k, xAt(i), yAt(pt.Share))
			}
		}
	}

	// The legend, under the periods.
	y = plotBottom + trendAxisH + 2
	d.font("", chartSize)
	for i, ls := range legend {
		if y+heights[i] > d.bottom() {
			d.newPage(d.orient)
			y = p.GetY()
		}
		mid := y + lh/2
		if i < len(lines) {
			c := trendColours[i%len(trendColours)]
			p.SetDrawColor(c[0], c[1], c[2])
			p.SetFillColor(c[0], c[1], c[2])
			p.SetLineWidth(trendLineW)
			p.Line(x0+1, mid, x0+trendKeyW-3, mid)
			p.SetLineWidth(0.3)
			d.trendMarker(i, x0+(trendKeyW-2)/2, mid)
		} else {
			p.SetDrawColor(90, 90, 90)
			p.SetLineWidth(trendDashW)
			p.SetDashPattern(trendDash, 0)
			p.Line(x0+1, mid, x0+trendKeyW-3, mid)
			p.SetDashPattern([]float64{}, 0)
		}
		for j, line := range ls {
			d.text(x0+trendKeyW, y+float64(j)*lh, textW, lh, line, "L")
		}
		y += heights[i]
	}
	p.SetLineCapStyle("butt")
	p.SetLineJoinStyle("miter")
	p.SetDrawColor(0, 0, 0)
	p.SetFillColor(255, 255, 255)
	p.SetLineWidth(0.2)
	p.SetXY(x0, y+2)
}

// polyline draws a target's line through the periods where at gives a point, broken
// where a period has none (a lone point is left to its marker).
func (d *doc) polyline(periods []string, xAt func(int) float64, at func(summary.Point) (float64, bool), points map[string]summary.Point) {
	p := d.pdf
	var piece []fpdf.PointType
	flush := func() {
		if len(piece) > 1 {
			p.MoveTo(piece[0].X, piece[0].Y)
			for _, q := range piece[1:] {
				p.LineTo(q.X, q.Y)
			}
			p.DrawPath("D")
		}
		piece = piece[:0]
	}
	for i, per := range periods {
		pt, ok := points[per]
		var y float64
		if ok {
			y, ok = at(pt)
		}
		if !ok {
			flush()
			continue
		}
		piece = append(piece, fpdf.PointType{X: xAt(i), Y: y})
	}
	flush()
}

// trendMarker draws the k-th line's marker at (x, y): a circle, a square, a triangle
// or a diamond, filled for the first four lines and hollow for the next four.
func (d *doc) trendMarker(k int, x, y float64) {
	p := d.pdf
	r := trendMarkR
	style := "F"
	if (k/4)%2 == 1 {
		p.SetFillColor(255, 255, 255)
		style = "FD"
	}
	switch k % 4 {
	case 0:
		p.Circle(x, y, r, style)
	case 1:
		p.Rect(x-0.9*r, y-0.9*r, 1.8*r, 1.8*r, style)
	case 2:
		p.Polygon([]fpdf.PointType{{X: x, Y: y - 1.2*r}, {X: x + 1.15*r, Y: y + 0.85*r}, {X: x - 1.15*r, Y: y + 0.85*r}}, style)
	default:
		p.Polygon([]fpdf.PointType{{X: x, Y: y - 1.3*r}, {X: x + 1.3*r, Y: y}, {X: x, Y: y + 1.3*r}, {X: x - 1.3*r, Y: y}}, style)
	}
}
