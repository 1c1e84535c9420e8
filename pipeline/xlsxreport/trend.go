package xlsxreport

import (
	"fmt"
	"sort"

	"github.com/xuri/excelize/v2"

	"canbo/pipeline/reporttext"
	"canbo/pipeline/summary"
)

// The trend sheet, added only when some overall target has a trend (summary
// Target.Trend, two periods or more): one row per overall target, numbered as on the
// targets sheet, and one column per period with the share reached (blank where the
// period has no result or nobody the target applies to); under it the same table of
// the thresholds in force in each period; under both, a line chart of every overall
// target's share over the periods, with its threshold as a dashed line of the same
// colour.

// trendColours are the lines' colours, one per target in turn, and trendMarkers
// their markers, so that the lines differ in grey too.
var (
	trendColours = []string{"4472C4", "ED7D31", "70AD47", "7030A0", "C00000", "00B0F0", "806000", "FF66CC"}
	trendMarkers = []string{"circle", "square", "triangle", "diamond", "x", "star", "plus", "dash"}
)

// trendRow is one overall target on the trend sheet.
type trendRow struct {
	t      summary.Target
	points map[string]summary.Point // period → result
	drawn  bool                     // some period has a share: the chart draws it
}

// trendData is the overall targets and the periods of their trends, oldest first.
func (b *book) trendData() ([]trendRow, []string) {
	seen := map[string]bool{}
	var periods []string
	addPeriod := func(p string) {
		if p != "" && !seen[p] {
			seen[p] = true
			periods = append(periods, p)
		}
	}
	var rows []trendRow
	for _, t := range b.s.Targets {
		if t.Unit != "" {
			continue
		}
		r := trendRow{t: t, points: map[string]summary.Point{}}
		pts := t.Trend
		if len(pts) == 0 { // no history of this target: this period alone
			pts = []summary.Point{{Period: b.s.Period, Share: t.Share, Count: t.Count, Population: t.Population,
				Threshold: t.Threshold, Met: t.Met}}
		}
		for _, p := range pts {
			if p.Period == "" {
				continue
			}
			r.points[p.Period] = p
			r.drawn = r.drawn || p.Population > 0
			addPeriod(p.Period)
		}
		rows = append(rows, r)
	}
	sort.Strings(periods) // YYYY-MM
	return rows, periods
}

// trend is the trend sheet.
func (b *book) trend() sheetSpec {
	rows, periods := b.trendData()
	cols := []colSpec{
		{5, 6},   // STT
		{30, 60}, // target
	}
	heads := b.labels("xlsx_stt", "target")
	for _, p := range periods {
		cols = append(cols, colSpec{9, 11})
		heads = append(heads, reporttext.Period(p))
	}
	n := len(cols)
	values := func(r trendRow, threshold bool) []cell {
		out := make([]cell, 0, len(periods))
		for _, p := range periods {
			pt, ok := r.points[p]
			var v any
			switch {
			case ok && threshold:
				v = pt.Threshold
			case ok && pt.Population > 0:
				v = pt.Share
			}
			out = append(out, b.c(v, kShare, ePlain))
		}
		return out
	}
	body := func(put func([]cell) error) error {
		for i, r := range rows {
			row := append([]cell{b.c(i+1, kCenter, ePlain), b.c(r.t.Title, kWrap, ePlain)}, values(r, false)...)
			if err := put(row); err != nil {
				return err
			}
		}
		return nil
	}
	// The thresholds, as a second table under the first (outside its filter): the
	// chart's dashed lines are drawn from them.
	thresholds := func(put func([]cell) error) error {
		if err := put(nil); err != nil {
			return err
		}
		if err := put(b.spanRow(n, b.label("xlsx_trend_thresholds"), b.st.heading)); err != nil {
			return err
		}
		head := make([]cell, len(heads))
		for i, h := range heads {
			head[i] = cell{v: val(h), style: b.st.head}
		}
		if err := put(head); err != nil {
			return err
		}
		for i, r := range rows {
			name := b.fill("xlsx_trend_threshold_row", "n", reporttext.Int(i+1))
			row := append([]cell{b.c(i+1, kCenter, ePlain), b.c(name, kWrap, ePlain)}, values(r, true)...)
			if err := put(row); err != nil {
				return err
			}
		}
		return nil
	}
	return sheetSpec{
		key:        "xlsx_sheet_trend",
		cols:       cols,
		top:        b.titleRows(n, "xlsx_trend_title", b.label("xlsx_trend_note")),
		head:       b.headerRow(heads...),
		body:       body,
		total:      thresholds,
		freezeCols: 2,
		setup: func(f *excelize.File, name string, first, last int) error {
			if last < first {
				return nil
			}
			// The thresholds' rows: after a blank row, the heading and the header.
			return b.trendChart(f, name, rows, len(periods), first-1, first, last+4)
		},
	}
}

// trendChart draws the line chart below both tables: head is the header row (the
// periods, the categories), first the first target's row and thr its threshold row.
func (b *book) trendChart(f *excelize.File, name string, rows []trendRow, nPeriods, head, first, thr int) error {
	q := quoteSheet(name)
	from, _ := excelize.ColumnNumberToName(3)
	to, _ := excelize.ColumnNumberToName(2 + nPeriods)
	rowRef := func(r int) string { return fmt.Sprintf("%s!$%s$%d:$%s$%d", q, from, r, to, r) }
	categories := rowRef(head)
	var series []excelize.ChartSeries
	drawn := 0
	for i, r := range rows {
		if !r.drawn {
			continue
		}
		colour := []string{trendColours[drawn%len(trendColours)]}
		fill := excelize.Fill{Type: "pattern", Pattern: 1, Color: colour}
		series = append(series,
			excelize.ChartSeries{
				Name: fmt.Sprintf("%s!$B$%d", q, first+i), Categories: categories, Values: rowRef(first + i),
				Line:   excelize.LineOptions{Width: 2.25, Fill: fill},
				Fill:   fill,
				Marker: excelize.ChartMarker{Symbol: trendMarkers[drawn%len(trendMarkers)], Size: 7, Fill: fill},
			},
			excelize.ChartSeries{
				Name: fmt.Sprintf("%s!$B$%d", q, thr+i), Categories: categories, Values: rowRef(thr + i),
				Line:   excelize.LineOptions{Width: 1.25, Dash: excelize.LineDashDash, Fill: fill},
				Fill:   fill,
				Marker: excelize.ChartMarker{Symbol: "none"},
			})
		drawn++
	}
	if len(series) == 0 {
		return nil
	}
	zero, one := 0.0, 1.0
	height := uint(380 + 22*len(series))
	return f.AddChart(name, fmt.Sprintf("B%d", thr+len(rows)+2), &excelize.Chart{
		Type:      excelize.Line,
		Series:    series,
		Title:     excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: b.label("xlsx_trend_chart_title")}}},
		Legend:    excelize.ChartLegend{Position: "bottom"},
		YAxis:     excelize.ChartAxis{Minimum: &zero, Maximum: &one, MajorGridLines: true, NumFmt: excelize.ChartNumFmt{CustomNumFmt: "0%"}},
		Dimension: excelize.ChartDimension{Width: 900, Height: min(height, 1200)},
	})
}
