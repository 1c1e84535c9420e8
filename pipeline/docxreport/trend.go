package docxreport

import (
	"image/color"
	"math"

	"golang.org/x/image/font"
	"golang.org/x/image/font/opentype"

	"canbo/pipeline/document"
	"canbo/pipeline/reporttext"
	"canbo/pipeline/summary"
)

// The trend chart as a picture, as pdfreport/trendchart.go draws it: the share of
// every overall target over the periods on a 0–100% scale, one line per target with
// a marker at each period, its threshold dashed in the same colour, the periods along
// the bottom and a legend numbered as the targets table. The lines differ in marker
// shape too (circle, square, triangle, diamond; filled, then hollow), so the chart
// reads on a black-and-white printer.

const (
	trendPlotH  = 72.0
	trendScaleW = 12.0
	trendRight  = 3.0
	trendAxisH  = 6.0
	trendKeyW   = 13.0
	trendMarkR  = 1.1
	trendLineW  = 0.6
	trendDashW  = 0.35
)

var trendColours = []color.RGBA{{31, 90, 180, 255}, {200, 30, 30, 255}, {30, 140, 60, 255}, {120, 60, 160, 255},
	{230, 120, 0, 255}, {110, 75, 50, 255}, {200, 60, 150, 255}, {0, 150, 170, 255}}

// trend writes the trend chart's title and picture.
func (w *writer) trend(tr *document.Trend) {
	width := document.TextWidth(w.landscape)
	data, h, err := drawTrend(tr, width)
	if err != nil {
		w.err = err
		return
	}
	w.picture(tr.Title, tr.Title, data, width, h)
}

// line draws a segment th mm thick from (x0, y0) to (x1, y1), dashed when dash
// (mm on, mm off) is given, by stamping discs along it.
func (c *canvas) line(x0, y0, x1, y1, th float64, col color.Color, dash []float64) {
	l := math.Hypot(x1-x0, y1-y0)
	step := 0.5 / pxPerMM
	for s := 0.0; s <= l; s += step {
		if len(dash) == 2 && math.Mod(s, dash[0]+dash[1]) > dash[0] {
			continue
		}
		t := 0.0
		if l > 0 {
			t = s / l
		}
		c.disc(x0+(x1-x0)*t, y0+(y1-y0)*t, th/2, col)
	}
}

// disc fills a circle of radius r mm.
func (c *canvas) disc(cx, cy, r float64, col color.Color) {
	c.shape(cx, cy, r, col, func(dx, dy float64) bool { return dx*dx+dy*dy <= r*r })
}

// shape fills the pixels around (cx, cy), within r mm, for which in is true of their
// centre's offset.
func (c *canvas) shape(cx, cy, r float64, col color.Color, in func(dx, dy float64) bool) {
	for py := px(cy - r - 0.2); py <= px(cy+r+0.2); py++ {
		for pxx := px(cx - r - 0.2); pxx <= px(cx+r+0.2); pxx++ {
			dx, dy := (float64(pxx)+0.5)/pxPerMM-cx, (float64(py)+0.5)/pxPerMM-cy
			if in(dx, dy) {
				c.img.Set(pxx, py, col)
			}
		}
	}
}

// marker draws the k-th line's marker: a circle, a square, a triangle or a diamond,
// filled for the first four lines and hollow (white inside) for the next four.
func (c *canvas) marker(k int, x, y float64, col color.Color) {
	r := trendMarkR
	inside := func(scale float64) func(dx, dy float64) bool {
		rr := r * scale
		switch k % 4 {
		case 0:
			return func(dx, dy float64) bool { return dx*dx+dy*dy <= rr*rr }
		case 1:
			return func(dx, dy float64) bool { return math.Abs(dx) <= 0.9*rr && math.Abs(dy) <= 0.9*rr }
		case 2:
			return func(dx, dy float64) bool { // apex up
				return dy >= -1.2*rr && dy <= 0.85*rr && math.Abs(dx) <= 1.15*rr*(dy+1.2*rr)/(2.05*rr)
			}
		default:
			return func(dx, dy float64) bool { return math.Abs(dx)+math.Abs(dy) <= 1.3*rr }
		}
	}
	c.shape(x, y, 1.4*r, col, inside(1))
	if (k/4)%2 == 1 {
		c.shape(x, y, 1.4*r, color.White, inside(0.55))
	}
}

// drawTrend draws the chart w mm wide and returns the PNG and its height, mm.
func drawTrend(tr *document.Trend, w float64) ([]byte, float64, error) {
	c := &canvas{faces: map[string]font.Face{}, fonts: map[string]*opentype.Font{}}
	regular, err := c.face("", chartSize)
	if err != nil {
		return nil, 0, err
	}
	small, err := c.face("", chartSmall)
	if err != nil {
		return nil, 0, err
	}
	lh := lineHeight(chartSize)
	textW := w - trendKeyW
	legend := make([][]string, len(tr.Lines)+1)
	legendH := 0.0
	for i, l := range tr.Lines {
		legend[i] = wrap(regular, reporttext.Int(l.N)+". "+l.Title, textW-1)
	}
	legend[len(tr.Lines)] = wrap(regular, tr.Note, textW-1)
	for _, ls := range legend {
		legendH += float64(len(ls))*lh + 1
	}
	const top = 3.0
	h := top + trendPlotH + trendAxisH + 2 + legendH + 1
	c.blank(w, h)

	plotX, plotW := trendScaleW, w-trendScaleW-trendRight
	plotTop, plotBottom := top, top+trendPlotH
	yAt := func(share float64) float64 { return plotBottom - trendPlotH*clamp01(share) }
	slot := plotW / float64(len(tr.Periods))
	xAt := func(i int) float64 { return plotX + slot*(float64(i)+0.5) }

	for tick := 20; tick <= 100; tick += 20 {
		c.rect(plotX, yAt(float64(tick)/100)-0.05, plotW, 0.1, colourGrid)
	}
	c.rect(plotX-0.15, plotTop, 0.3, trendPlotH, color.Black)
	c.rect(plotX, plotBottom-0.15, plotW, 0.3, color.Black)
	for tick := 0; tick <= 100; tick += 20 {
		y := yAt(float64(tick) / 100)
		c.rect(plotX-1, y-0.15, 1, 0.3, color.Black)
		c.text(small, reporttext.PercentShort(float64(tick)/100), 0, y-2, trendScaleW-1.8, 4, "R")
	}
	labels := make([]string, len(tr.Periods))
	widest := 0.0
	for i, per := range tr.Periods {
		labels[i] = reporttext.Period(per)
		widest = max(widest, width(small, labels[i]))
	}
	step := 1
	for float64(step)*slot < widest+1.5 && step < len(tr.Periods) {
		step++
	}
	for i := range tr.Periods {
		x := xAt(i)
		c.rect(x-0.15, plotBottom, 0.3, 1, color.Black)
		if (len(tr.Periods)-1-i)%step == 0 {
			c.text(small, labels[i], x-slot*float64(step)/2, plotBottom+1.2, slot*float64(step), 4, "C")
		}
	}

	// Thresholds (dashed) first, then the shares over them, broken where a period
	// has no result.
	polyline := func(l document.TrendLine, th float64, col color.Color, dash []float64, at func(summary.Point) (float64, bool)) {
		px, py, have := 0.0, 0.0, false
		for i, per := range tr.Periods {
			pt, ok := l.Points[per]
			var y float64
			if ok {
				y, ok = at(pt)
			}
			if !ok {
				have = false
				continue
			}
			if have {
				c.line(px, py, xAt(i), y, th, col, dash)
			}
			px, py, have = xAt(i), y, true
		}
	}
	for k, l := range tr.Lines {
		polyline(l, trendDashW, trendColours[k%len(trendColours)], []float64{2.2, 1.4},
			func(pt summary.Point) (float64, bool) { return yAt(pt.Threshold), true })
	}
	for k, l := range tr.Lines {
		col := trendColours[k%len(trendColours)]
		polyline(l, trendLineW, col, nil, func(pt summary.Point) (float64, bool) { return yAt(pt.Share), pt.Population > 0 })
		for i, per := range tr.Periods {
			if pt, ok := l.Points[per]; ok && pt.Population > 0 {
				c.marker(k, xAt(i), yAt(pt.Share), col)
			}
		}
	}

	y := plotBottom + trendAxisH + 2
	for i, ls := range legend {
		mid := y + lh/2
		if i < len(tr.Lines) {
			col := trendColours[i%len(trendColours)]
			c.line(1, mid, trendKeyW-3, mid, trendLineW, col, nil)
			c.marker(i, (trendKeyW-2)/2, mid, col)
		} else {
			c.line(1, mid, trendKeyW-3, mid, trendDashW, color.RGBA{90, 90, 90, 255}, []float64{2.2, 1.4})
		}
		for j, line := range ls {
			c.text(regular, line, trendKeyW, y+float64(j)*lh, textW, lh, "L")
		}
		y += float64(len(ls))*lh + 1
	}
	data, err := c.png()
	return data, h, err
}
