package document

import (
	"sort"

	"canbo/pipeline/reporttext"
	"canbo/pipeline/summary"
)

// bars is the bar chart of the overall targets, numbered as in the targets table;
// nil when every target is judged unit by unit.
func (b *builder) bars() *Bars {
	var out Bars
	for _, t := range b.s.Targets {
		if t.Unit != "" {
			continue
		}
		bar := Bar{Label: itoa(len(out.Items)+1) + ". " + t.Title, Share: t.Share, Threshold: t.Threshold,
			ShareText: reporttext.Percent(t.Share), ThresholdText: reporttext.PercentShort(t.Threshold), Met: t.Met,
			Empty: t.Population == 0}
		if bar.Empty {
			out.Empty = b.label("no_population")
		}
		out.Items = append(out.Items, bar)
	}
	if len(out.Items) == 0 {
		return nil
	}
	out.Title = b.label("pdf_chart_title")
	out.Legend = [3]string{b.label("pdf_legend_met"), b.label("pdf_legend_not_met"), b.label("pdf_legend_threshold")}
	return &out
}

// trend is the trend chart, when some overall target has a trend (Target.Trend, two
// periods or more): nil otherwise.
func (b *builder) trend() *Trend {
	lines, periods := TrendLines(b.s)
	if len(lines) == 0 {
		return nil
	}
	return &Trend{Title: b.label("pdf_trend_title"), Lines: lines, Periods: periods, Note: b.label("pdf_trend_threshold")}
}

// TrendLines are the overall targets the trend chart draws (those with a share in
// some period) and the periods, oldest first; none when no target has a trend. A
// target without a history of its own is drawn at this period alone.
func TrendLines(s *summary.Summary) ([]TrendLine, []string) {
	seen := map[string]bool{}
	var periods []string
	var lines []TrendLine
	trend, n := false, 0
	for _, t := range s.Targets {
		if t.Unit != "" {
			continue
		}
		n++
		trend = trend || len(t.Trend) >= 2
		pts := t.Trend
		if len(pts) == 0 { // no history of this target: this period alone
			pts = []summary.Point{{Period: s.Period, Share: t.Share, Count: t.Count, Population: t.Population,
				Threshold: t.Threshold, Met: t.Met}}
		}
		l := TrendLine{N: n, Title: t.Title, Points: map[string]summary.Point{}}
		drawn := false
		for _, p := range pts {
			if p.Period == "" {
				continue
			}
			l.Points[p.Period] = p
			drawn = drawn || p.Population > 0
			if !seen[p.Period] {
				seen[p.Period] = true
				periods = append(periods, p.Period)
			}
		}
		if drawn {
			lines = append(lines, l)
		}
	}
	if !trend || len(lines) == 0 {
		return nil, nil
	}
	sort.Strings(periods) // YYYY-MM
	return lines, periods
}
