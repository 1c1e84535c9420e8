package xlsxreport

import (
	"fmt"
	"sort"

	"github.com/xuri/excelize/v2"

	"canbo/pipeline/summary"
)

// targets is the sheet of target results: overall ones first (the chart plots them),
// then each unit's, in the summary's order within each. When the summary compares
// with a previous period, three columns follow the share: the previous period's share,
// the change in percentage points, and whether the target is newly met or no longer
// met.
func (b *book) targets() sheetSpec {
	order := make([]int, len(b.s.Targets)) // indexes into s.Targets
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(i, j int) bool {
		return b.s.Targets[order[i]].Unit == "" && b.s.Targets[order[j]].Unit != ""
	})
	overall := 0
	for _, t := range b.s.Targets {
		if t.Unit == "" {
			overall++
		}
	}
	changes := b.s.TargetChanges() // nil without a previous period
	compare := changes != nil

	cols := []colSpec{
		{5, 6},   // STT
		{30, 60}, // target
		{14, 30}, // unit
		{10, 13}, // population
		{9, 12},  // count
		{9, 11},  // share
	}
	heads := []string{"xlsx_stt", "target", "unit", "population", "count", "share"}
	if compare {
		cols = append(cols, colSpec{9, 11}, colSpec{10, 12}) // previous share, change
		heads = append(heads, "xlsx_previous_share", "xlsx_share_change")
	}
	shareCol, thresholdCol := 6, len(cols)+1 // 1-based
	cols = append(cols,
		colSpec{10, 11}, // threshold
		colSpec{10, 22}, // status
	)
	heads = append(heads, "threshold", "status")
	statusCol, noteCol := len(cols), 0
	if compare {
		cols = append(cols, colSpec{12, 22}) // met change
		heads = append(heads, "xlsx_met_change")
		noteCol = len(cols)
	}
	cols = append(cols,
		colSpec{10, 12}, // shortfall
		colSpec{11, 12}, // deadline
	)
	heads = append(heads, "shortfall", "deadline")
	n := len(cols)
	letter := func(c int) string { s, _ := excelize.ColumnNumberToName(c); return s }

	body := func(put func([]cell) error) error {
		for i, ti := range order {
			t := b.s.Targets[ti]
			unit := t.Unit
			if unit == "" {
				unit = b.label("overall")
			}
			status, share := b.label("not_met"), any(t.Share)
			switch {
			case !t.Computed():
				status, share = b.label("not_computed"), nil
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
			row := []cell{
				b.c(i+1, kCenter, ePlain),
				b.c(t.Title, kWrap, ePlain),
				b.c(unit, kWrap, ePlain),
				b.c(t.Population, kCount, ePlain),
				b.c(t.Count, kCount, ePlain),
				b.c(share, kShare, ePlain),
			}
			var note any
			if compare {
				tc := changes[ti]
				var prev, change any
				if tc != nil && tc.Status == "" && tc.PreviousPopulation > 0 {
					prev = tc.PreviousShare
				}
				if tc.Comparable() {
					change = tc.ShareChangePP
				}
				switch {
				case tc == nil || tc.Status == summary.ChangeNew:
					note = b.label("xlsx_target_new")
				case tc.MetChange == summary.NowMet:
					note = b.label("xlsx_now_met")
				case tc.MetChange == summary.NoLongerMet:
					note = b.label("xlsx_no_longer_met")
				}
				row = append(row, b.c(prev, kShare, ePlain), b.c(change, kChange, ePlain))
			}
			row = append(row,
				b.c(t.Threshold, kShare, ePlain),
				b.c(status, kCenter, ePlain))
			if compare {
				row = append(row, b.c(note, kCenter, ePlain))
			}
			row = append(row,
				b.c(t.Shortfall, kCount, ePlain),
				b.c(deadline, kDate, ePlain))
			if err := put(row); err != nil {
				return err
			}
		}
		return nil
	}
	var total rowFunc
	if len(order) == 0 {
		total = func(put func([]cell) error) error {
			return put(b.spanRow(n, b.label("xlsx_no_targets"), b.st.note))
		}
	}
	return sheetSpec{
		key:   "xlsx_sheet_targets",
		cols:  cols,
		top:   b.titleRows(n, "section_targets"),
		head:  b.headerRow(b.labels(heads...)...),
		body:  body,
		total: total,
		setup: func(f *excelize.File, name string, first, last int) error {
			if last < first {
				return nil
			}
			st := letter(statusCol)
			if err := f.SetConditionalFormat(name, fmt.Sprintf("A%d:%s%d", first, letter(n), last), []excelize.ConditionalFormatOptions{
				equals(st, first, b.label("met"), b.st.good),
				equals(st, first, b.label("not_met"), b.st.bad),
				equals(st, first, b.label("no_population"), b.st.warn),
			}); err != nil {
				return err
			}
			if noteCol > 0 {
				nc := letter(noteCol)
				if err := f.SetConditionalFormat(name, fmt.Sprintf("%s%d:%s%d", nc, first, nc, last), []excelize.ConditionalFormatOptions{
					equals(nc, first, b.label("xlsx_now_met"), b.st.good),
					equals(nc, first, b.label("xlsx_no_longer_met"), b.st.bad),
				}); err != nil {
					return err
				}
			}
			if overall == 0 {
				return nil
			}
			return b.targetChart(f, name, letter(shareCol), letter(thresholdCol), first-1, first, first+overall-1, last)
		},
	}
}

// targetChart plots share (column shareCol) against threshold (column thresholdCol)
// for the overall targets (rows first..end), below the table.
func (b *book) targetChart(f *excelize.File, name, shareCol, thresholdCol string, head, first, end, last int) error {
	q := quoteSheet(name)
	ref := func(col string, from, to int) string { return fmt.Sprintf("%s!$%s$%d:$%s$%d", q, col, from, col, to) }
	zero, one := 0.0, 1.0
	height := uint(140 + 45*(end-first+1))
	return f.AddChart(name, fmt.Sprintf("B%d", last+3), &excelize.Chart{
		Type:       excelize.Bar,
		VaryColors: ptr(false),
		Series: []excelize.ChartSeries{
			{Name: fmt.Sprintf("%s!$%s$%d", q, shareCol, head), Categories: ref("B", first, end), Values: ref(shareCol, first, end),
				Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"4472C4"}}},
			{Name: fmt.Sprintf("%s!$%s$%d", q, thresholdCol, head), Categories: ref("B", first, end), Values: ref(thresholdCol, first, end),
				Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"A5A5A5"}}},
		},
		Title:     excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: b.label("xlsx_chart_title")}}},
		Legend:    excelize.ChartLegend{Position: "bottom"},
		XAxis:     excelize.ChartAxis{ReverseOrder: true},
		YAxis:     excelize.ChartAxis{Minimum: &zero, Maximum: &one, MajorGridLines: true, NumFmt: excelize.ChartNumFmt{CustomNumFmt: "0%"}},
		Dimension: excelize.ChartDimension{Width: 900, Height: min(height, 1200)},
	})
}
