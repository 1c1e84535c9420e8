package pdfreport

import (
	"math"

	"canbo/pipeline/document"
	"canbo/pipeline/reporttext"
)

// The chart is horizontal bars, one per overall target: the share reached on a 0–100%
// scale, a black marker at the threshold, the share written at the right. Bars are
// dark green when the target is met and orange when not; the two differ in grey too,
// so the chart still reads on a black-and-white printer. Drawn with fpdf primitives.

const (
	chartSize   = 10.0 // pt: target titles and values
	chartSmall  = 8.0  // pt: axis and threshold labels
	chartLabelW = 58.0 // mm: the column of target titles
	chartValueW = 18.0 // mm: the column of shares
	chartGap    = 3.0  // mm between the columns and the scale
	chartRowMin = 11.0 // mm: a row's least height
	chartRowGap = 3.0  // mm: room between two rows' titles
	chartBarH   = 5.0
	markerW     = 0.6
)

var (
	colourMet    = [3]int{46, 125, 50}
	colourNotMet = [3]int{239, 140, 0}
	colourGrid   = [3]int{200, 200, 200}
)

// chart draws the overall targets' bar chart, numbered as in the targets table. It
// is kept on one page when a page can hold it; a chart of more targets than that runs
// on over pages, each with its own scale, and the legend closes it.
func (d *doc) chart(bars *document.Bars) {
	if d.failed() {
		return
	}
	targets := bars.Items
	p := d.pdf
	x0, w := d.left(), d.width()
	scaleX := x0 + chartLabelW + chartGap
	scaleW := w - chartLabelW - chartValueW - 2*chartGap
	lh := lineHeight(chartSize)

	d.font("", chartSize)
	labels := make([][]string, len(targets))
	heights := make([]float64, len(targets))
	rowsH := 0.0
	for i, t := range targets {
		labels[i] = d.wrap(t.Label, chartLabelW, chartLabelW)
		heights[i] = max(chartRowMin, float64(len(labels[i]))*lh+chartRowGap)
		rowsH += heights[i]
	}
	titleH, axisH, legendH := lineHeight(12)+3, 7.0, 8.0
	_, top, _, _ := p.GetMargins()
	if whole := 2 + titleH + rowsH + axisH + legendH; whole <= d.bottom()-top {
		d.ensure(whole)
	} else {
		first := heights[0]
		if len(targets) == 1 {
			first += legendH
		}
		d.ensure(2 + titleH + first + axisH)
	}

	y := p.GetY() + 2
	d.font("B", 12)
	d.text(x0, y, w, lineHeight(12), bars.Title, "C")
	y += titleH
	for i := 0; i < len(targets); {
		// The rows that fit on this page above the scale (and the legend, after the
		// last); at least one.
		j, h := i, 0.0
		for j < len(targets) {
			need := h + heights[j] + axisH
			if j == len(targets)-1 {
				need += legendH
			}
			if j > i && y+need > d.bottom() {
				break
			}
			h += heights[j]
			j++
		}
		d.chartScale(scaleX, scaleW, y, y+h)
		for k := i; k < j; k++ {
			d.chartRow(bars, targets[k], labels[k], x0, y, heights[k], scaleX, scaleW)
			y += heights[k]
		}
		y += axisH
		if i = j; i < len(targets) {
			d.newPage(d.orient)
			y = p.GetY()
		}
	}

	// Legend, centred under the chart: two swatches and the marker.
	d.font("", chartSize)
	items := bars.Legend[:]
	const key, space = 5.5, 6.0 // a key and its text; between items
	legendW := 2 * space
	for _, it := range items {
		legendW += key + p.GetStringWidth(oneLine(it))
	}
	x := x0 + max((w-legendW)/2, 0)
	for i, it := range items {
		switch i {
		case 0, 1:
			c := colourMet
			if i == 1 {
				c = colourNotMet
			}
			p.SetFillColor(c[0], c[1], c[2])
			p.Rect(x, y+1.2, 4, 3, "F")
		default:
			p.SetLineWidth(markerW)
			p.Line(x+2, y+0.4, x+2, y+5)
		}
		tw := p.GetStringWidth(oneLine(it))
		d.text(x+key, y, tw+1, 5.4, it, "L")
		x += key + tw + space
	}
	p.SetLineWidth(0.2)
	p.SetFillColor(255, 255, 255)
	p.SetXY(x0, y+legendH)
}

// chartScale draws the grid from top to bottom and the axis under it: 0, 20, … 100%.
func (d *doc) chartScale(scaleX, scaleW, top, bottom float64) {
	p := d.pdf
	p.SetLineWidth(0.1)
	p.SetDrawColor(colourGrid[0], colourGrid[1], colourGrid[2])
	for tick := 0; tick <= 100; tick += 20 {
		x := scaleX + scaleW*float64(tick)/100
		p.Line(x, top, x, bottom)
	}
	p.SetDrawColor(0, 0, 0)
	p.SetLineWidth(0.3)
	p.Line(scaleX, bottom, scaleX+scaleW, bottom)
	p.Line(scaleX, top, scaleX, bottom)
	d.font("", chartSmall)
	for tick := 0; tick <= 100; tick += 20 {
		x := scaleX + scaleW*float64(tick)/100
		p.Line(x, bottom, x, bottom+1)
		d.text(x-10, bottom+1, 20, 4, reporttext.PercentShort(float64(tick)/100), "C")
	}
}

// chartRow draws one target's row h high at y: its title on the left, the bar with
// the threshold's marker and value, the share on the right.
func (d *doc) chartRow(bars *document.Bars, t document.Bar, label []string, x0, y, h, scaleX, scaleW float64) {
	p := d.pdf
	lh := lineHeight(chartSize)
	d.font("", chartSize)
	ty := y + (h-float64(len(label))*lh)/2
	for j, line := range label {
		d.text(x0, ty+float64(j)*lh, chartLabelW, lh, line, "L")
	}
	mid := y + h/2
	if t.Empty {
		d.font("I", chartSize)
		d.text(scaleX+2, mid-lh/2, scaleW, lh, bars.Empty, "L")
		return
	}
	c := colourNotMet
	if t.Met {
		c = colourMet
	}
	p.SetFillColor(c[0], c[1], c[2])
	if bar := scaleW * clamp01(t.Share); bar > 0 {
		p.Rect(scaleX, mid-chartBarH/2, bar, chartBarH, "F")
	}
	// The threshold: a marker across the bar, its value above the bar, left of the
	// marker when the marker is near the right end of the scale.
	mx := scaleX + scaleW*clamp01(t.Threshold)
	p.SetLineWidth(markerW)
	p.Line(mx, mid-chartBarH/2-1.5, mx, mid+chartBarH/2+1.5)
	d.font("", chartSmall)
	value := t.ThresholdText
	vw := p.GetStringWidth(value)
	vx := mx + 0.8
	if vx+vw > scaleX+scaleW {
		vx = mx - 0.8 - vw
	}
	d.text(vx, mid-chartBarH/2-3.4, vw+0.5, 3, value, "L")
	d.font("B", chartSize)
	d.text(scaleX+scaleW+chartGap, mid-lh/2, chartValueW, lh, t.ShareText, "L")
}

func clamp01(x float64) float64 {
	if math.IsNaN(x) {
		return 0
	}
	return math.Min(math.Max(x, 0), 1)
}
