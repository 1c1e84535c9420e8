package xlsxreport

import (
	"fmt"
	"sort"

	"github.com/xuri/excelize/v2"

	"canbo/pipeline/summary"
)

// targets is the sheet of target results: overall ones first (the chart plots them),
// then each unit's, in the summary's order within each.
func (b *book) targets() sheetSpec {
	rows := append([]summary.Target(nil), b.s.Targets...)
	sort.SliceStable(rows, func(i, j int) bool { return rows[i].Unit == "" && rows[j].Unit != "" })
	overall := 0
	for _, t := range rows {
		if t.Unit == "" {
			overall++
		}
	}
	cols := []colSpec{
		{5, 6},   // STT
		{30, 60}, // target
		{14, 30}, // unit
		{10, 13}, // population
		{9, 12},  // count
		{9, 11},  // share
		{10, 11}, // threshold
		{10, 22}, // status
		{10, 12}, // shortfall
		{11, 12}, // deadline
	}
	n := len(cols)
	body := func(put func([]cell) error) error {
		for i, t := range rows {
			unit := t.Unit
			if unit == "" {
				unit = b.label("overall")
			}
			status, share := b.label("not_met"), any(t.Share)
			switch {
			case t.Population == 0:
				status, share = b.label("no_population"), nil
			case t.Met:
				status = b.label("met")
			}
			var deadline any
			if d, ok := parseDate(t.Deadline); ok {
				deadline = d
			} else if t.Deadline != "" {
				deadline = t.Deadline
			}
			if err := put([]cell{
				b.c(i+1, kCenter, ePlain),
				b.c(t.Title, kWrap, ePlain),
				b.c(unit, kWrap, ePlain),
				b.c(t.Population, kCount, ePlain),
				b.c(t.Count, kCount, ePlain),
				b.c(share, kShare, ePlain),
				b.c(t.Threshold, kShare, ePlain),
				b.c(status, kCenter, ePlain),
				b.c(t.Shortfall, kCount, ePlain),
				b.c(deadline, kDate, ePlain),
			}); err != nil {
				return err
			}
		}
		return nil
	}
	var total rowFunc
	if len(rows) == 0 {
		total = func(put func([]cell) error) error {
			return put(b.spanRow(n, b.label("xlsx_no_targets"), b.st.note))
		}
	}
	return sheetSpec{
		key:  "xlsx_sheet_targets",
		cols: cols,
		top:  b.titleRows(n, "section_targets"),
		head: b.headerRow(b.labels("xlsx_stt", "target", "unit", "population", "count", "share",
			"threshold", "status", "shortfall", "deadline")...),
		body:  body,
		total: total,
		setup: func(f *excelize.File, name string, first, last int) error {
			if last < first {
				return nil
			}
			lastCol, _ := excelize.ColumnNumberToName(n)
			if err := f.SetConditionalFormat(name, fmt.Sprintf("A%d:%s%d", first, lastCol, last), []excelize.ConditionalFormatOptions{
				equals("H", first, b.label("met"), b.st.good),
				equals("H", first, b.label("not_met"), b.st.bad),
				equals("H", first, b.label("no_population"), b.st.warn),
			}); err != nil {
				return err
			}
			if overall == 0 {
				return nil
			}
			return b.targetChart(f, name, first-1, first, first+overall-1, last)
		},
	}
}

// targetChart plots share against threshold for the overall targets (rows first..end),
// below the table.
func (b *book) targetChart(f *excelize.File, name string, head, first, end, last int) error {
	q := quoteSheet(name)
	ref := func(col string, from, to int) string { return fmt.Sprintf("%s!$%s$%d:$%s$%d", q, col, from, col, to) }
	zero, one := 0.0, 1.0
	height := uint(140 + 45*(end-first+1))
	return f.AddChart(name, fmt.Sprintf("B%d", last+3), &excelize.Chart{
		Type:       excelize.Bar,
		VaryColors: ptr(false),
		Series: []excelize.ChartSeries{
			{Name: fmt.Sprintf("%s!$F$%d", q, head), Categories: ref("B", first, end), Values: ref("F", first, end),
				Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"4472C4"}}},
			{Name: fmt.Sprintf("%s!$G$%d", q, head), Categories: ref("B", first, end), Values: ref("G", first, end),
				Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"A5A5A5"}}},
		},
		Title:     excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: b.label("xlsx_chart_title")}}},
		Legend:    excelize.ChartLegend{Position: "bottom"},
		XAxis:     excelize.ChartAxis{ReverseOrder: true},
		YAxis:     excelize.ChartAxis{Minimum: &zero, Maximum: &one, MajorGridLines: true, NumFmt: excelize.ChartNumFmt{CustomNumFmt: "0%"}},
		Dimension: excelize.ChartDimension{Width: 900, Height: min(height, 1200)},
	})
}
