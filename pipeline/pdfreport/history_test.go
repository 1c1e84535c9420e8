package pdfreport

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"canbo/pipeline/schema"
	"canbo/pipeline/summary"
)

// withHistory gives the fixture a previous period (08/2023) and a three-month trend
// (07–09/2023) of its overall targets, as report.Run fills them from the history:
//
//	dai_hoc      118/150 = 78,67% → 80,67% (+2,00), met in both (80%)
//	sdh_btv      33/50 = 66,00% → 70,00% (+4,00): newly met (70%)
//	nu           54/150 = 36,00% → 32,00% (-4,00): no longer met (35%)
//	thac_si_bch  nobody in either period: nothing to compare, not drawn
//	Phú Tâm      did not report last time: new
func withHistory(tb testing.TB, cfg *schema.Config) *summary.Summary {
	tb.Helper()
	s := fixture(tb, cfg)
	ts := s.Targets
	tc := func(t summary.Target, prevCount, prevPop int, prevMet bool) summary.TargetChange {
		out := summary.TargetChange{ID: t.ID, Title: t.Title, Unit: t.Unit, Share: t.Share, Count: t.Count,
			Population: t.Population, Shortfall: t.Shortfall, Met: t.Met,
			PreviousShare: summary.Share(prevCount, prevPop), PreviousCount: prevCount, PreviousPopulation: prevPop, PreviousMet: prevMet}
		if prevPop > 0 && t.Population > 0 {
			out.ShareChangePP = math.Round((out.Share-out.PreviousShare)*10000) / 100
		}
		switch {
		case t.Met && !prevMet:
			out.MetChange = summary.NowMet
		case !t.Met && prevMet:
			out.MetChange = summary.NoLongerMet
		}
		return out
	}
	s.Previous = &summary.Changes{
		Period: "2023-08", AsOf: "2023-08-31",
		Total: summary.UnitChange{Headcount: 150, PreviousHeadcount: 146, HeadcountChange: 4},
		Targets: []summary.TargetChange{
			tc(ts[0], 118, 150, true),
			tc(ts[1], 33, 50, false),
			tc(ts[2], 54, 150, true),
			tc(ts[3], 0, 0, false),
			{ID: ts[4].ID, Title: ts[4].Title, Unit: ts[4].Unit, Status: summary.ChangeNew, Share: ts[4].Share,
				Count: ts[4].Count, Population: ts[4].Population},
			{ID: "nu", Title: "Tỉ lệ cán bộ nữ", Unit: "UBND xã Đã Nhập", Status: summary.ChangeGone, PreviousShare: 0.4, PreviousPopulation: 10},
		},
	}
	point := func(period string, count, pop int, threshold float64) summary.Point {
		sh := summary.Share(count, pop)
		return summary.Point{Period: period, Share: sh, Count: count, Population: pop, Threshold: threshold, Met: pop > 0 && sh >= threshold}
	}
	ts[0].Trend = []summary.Point{point("2023-07", 112, 148, 0.8), point("2023-08", 118, 150, 0.8), point("2023-09", 121, 150, 0.8)}
	ts[1].Trend = []summary.Point{point("2023-07", 30, 50, 0.7), point("2023-08", 33, 50, 0.7), point("2023-09", 35, 50, 0.7)}
	ts[2].Trend = []summary.Point{point("2023-07", 55, 148, 0.35), point("2023-08", 54, 150, 0.35), point("2023-09", 48, 150, 0.35)}
	return s
}

// TestHistoryTables: with a previous period, the targets tables gain the change
// column after the share, never wrapped, and a note naming the previous period.
func TestHistoryTables(t *testing.T) {
	cfg, _ := load(t)
	d := blankDoc(t)
	d.s = withHistory(t, cfg)
	tables := d.targetTables()
	if len(tables) != 2 {
		t.Fatalf("%d tables", len(tables))
	}
	overall, byUnit := tables[0], tables[1]
	if len(overall.Cols) != 10 || overall.Cols[5].Title != "So với kỳ trước (điểm %)" {
		t.Fatalf("columns %v, want the change after the share", titles(overall.Cols))
	}
	var changes []string
	for _, r := range overall.Rows {
		changes = append(changes, r.Cells[5])
	}
	if want := []string{"+2,00", "+4,00", "-4,00", "-"}; !slices.Equal(changes, want) {
		t.Errorf("changes %q, want %q", changes, want)
	}
	if r := byUnit.Rows[len(byUnit.Rows)-1]; r.Cells[5] != "-" {
		t.Errorf("a unit new since the previous period: change %q, want -", r.Cells[5])
	}
	if overall.Note != "" || !strings.Contains(byUnit.Note, "Kỳ trước là kỳ báo cáo 08/2023") {
		t.Errorf("notes %q and %q, want the previous period under the last table", overall.Note, byUnit.Note)
	}
	sum := 0.0
	for _, w := range overall.Widths {
		sum += w
	}
	if sum > d.width()+0.01 {
		t.Errorf("the columns add up to %.1f mm, the page has %.1f", sum, d.width())
	}
	for _, tb := range tables {
		perColumn, _ := cellLines(d, tb)
		for c, col := range tb.Cols {
			if col.Fit && col.Most == 0 && perColumn[c] > 1 {
				t.Errorf("column %q wraps (%d lines): numbers and dates must not", col.Title, perColumn[c])
			}
		}
	}
	// The title column keeps room for a title in a few lines.
	if overall.Widths[1] < 35 {
		t.Errorf("the title column is %.1f mm", overall.Widths[1])
	}
}

func titles(cols []column) []string {
	var out []string
	for _, c := range cols {
		out = append(out, c.Title)
	}
	return out
}

// TestTrendLines: the chart's lines are the overall targets with a share, numbered as
// in the targets table, over the periods oldest first; no trend, no chart.
func TestTrendLines(t *testing.T) {
	cfg, _ := load(t)
	d := blankDoc(t)
	d.s = withHistory(t, cfg)
	lines, periods := d.trendLines()
	if !slices.Equal(periods, []string{"2023-07", "2023-08", "2023-09"}) {
		t.Errorf("periods %q", periods)
	}
	var numbers []int
	for _, l := range lines {
		numbers = append(numbers, l.N)
	}
	if !slices.Equal(numbers, []int{1, 2, 3}) {
		t.Errorf("lines numbered %v, want 1 2 3 (the fourth target has nobody)", numbers)
	}
	d.s = fixture(t, cfg)
	d.s.Targets[0].Trend = []summary.Point{{Period: "2023-09", Share: 0.8067, Population: 150, Threshold: 0.8}}
	if lines, _ := d.trendLines(); lines != nil {
		t.Error("a chart of one period")
	}
}

// TestHistoryPDF: the report of a month with a history says the change of each
// target, names the previous period and draws the trend chart after the bar chart;
// the fixture without a history says none of it.
func TestHistoryPDF(t *testing.T) {
	cfg, txt := load(t)
	s := withHistory(t, cfg)
	d, err := render(context.Background(), s, cfg, txt, issued)
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for k := range d.used {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	if missing := txt.Missing(keys...); len(missing) > 0 {
		t.Errorf("labels used but not defined: %v", missing)
	}
	for _, k := range []string{"pdf_share_change", "pdf_change_note", "pdf_trend_title", "pdf_trend_threshold"} {
		if !d.used[k] {
			t.Errorf("label %s not drawn", k)
		}
	}
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext (poppler-utils) is not installed")
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "bao-cao.pdf")
	if err := Write(context.Background(), path, s, cfg, txt, issued); err != nil {
		t.Fatal(err)
	}
	text := pdftotextLayout(t, path)
	flat := strings.Join(strings.Fields(text), " ")
	for _, want := range []string{"So với", "Kỳ trước là kỳ báo cáo 08/2023", "Xu hướng thực hiện chỉ tiêu",
		"+2,00", "+4,00", "-4,00", "07/2023", "08/2023", "Mức chỉ tiêu đề ra",
		"1. Cán bộ, công chức cấp xã có trình độ đại học trở lên"} {
		if !strings.Contains(flat, want) {
			t.Errorf("the PDF's text lacks %q", want)
		}
	}
	bar, trend := strings.Index(text, "Tỉ lệ thực hiện các chỉ tiêu"), strings.Index(text, "Xu hướng thực hiện chỉ tiêu")
	closing := strings.Index(text, "Trên đây là báo cáo")
	if bar < 0 || !(bar < trend && trend < closing) {
		t.Errorf("the trend chart is at %d, the bar chart at %d, the closing sentence at %d", trend, bar, closing)
	}
	checkMargins(t, path)

	// Without a previous period and trends: as before.
	plain := filepath.Join(dir, "plain.pdf")
	if err := Write(context.Background(), plain, fixture(t, cfg), cfg, txt, issued); err != nil {
		t.Fatal(err)
	}
	text = strings.Join(strings.Fields(pdftotextLayout(t, plain)), " ")
	for _, no := range []string{"So với", "Kỳ trước", "kỳ trước", "Xu hướng", "điểm %", "07/2023", "08/2023", "+2,00", "-4,00"} {
		if strings.Contains(text, no) {
			t.Errorf("the report without a history says %q", no)
		}
	}
}

// TestHistoryNoTrend: a previous period without trends has the change column but
// no trend chart.
func TestHistoryNoTrend(t *testing.T) {
	cfg, txt := load(t)
	s := withHistory(t, cfg)
	for i := range s.Targets {
		s.Targets[i].Trend = nil
	}
	d, err := render(context.Background(), s, cfg, txt, issued)
	if err != nil {
		t.Fatal(err)
	}
	if d.used["pdf_trend_title"] || !d.used["pdf_share_change"] {
		t.Errorf("trend chart %v, change column %v; want the column only", d.used["pdf_trend_title"], d.used["pdf_share_change"])
	}
	var a, b bytes.Buffer
	if err := WriteTo(context.Background(), &a, withHistory(t, cfg), cfg, txt, issued); err != nil {
		t.Fatal(err)
	}
	if err := WriteTo(context.Background(), &b, withHistory(t, cfg), cfg, txt, issued); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Error("two renders of the same history differ")
	}
}

// TestManyTrends: twelve targets over twelve months: every period labelled, every
// target in the legend, nothing outside the margins.
func TestManyTrends(t *testing.T) {
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext (poppler-utils) is not installed")
	}
	cfg, txt := load(t)
	s := manyTrends(t, cfg)
	path := filepath.Join(t.TempDir(), "bao-cao.pdf")
	if err := Write(context.Background(), path, s, cfg, txt, issued); err != nil {
		t.Fatal(err)
	}
	text := pdftotextLayout(t, path)
	chart := text[strings.Index(text, "Xu hướng thực hiện chỉ tiêu"):]
	for m := 1; m <= 12; m++ {
		if !strings.Contains(chart, fmt.Sprintf("%02d/2022", m)) {
			t.Errorf("period %02d/2022 not labelled", m)
		}
	}
	for i := 1; i <= 12; i++ {
		if !strings.Contains(chart, fmt.Sprintf("%d. Chỉ tiêu thứ %d:", i, i)) {
			t.Errorf("the legend lacks target %d", i)
		}
	}
	checkMargins(t, path)
}

// manyTrends is the fixture with twelve overall targets over twelve months, one of
// them with a month nobody it applies to.
func manyTrends(tb testing.TB, cfg *schema.Config) *summary.Summary {
	s := withHistory(tb, cfg)
	s.Targets = nil
	for i := range 12 {
		tg := summary.Target{ID: fmt.Sprint("t", i), RuleSet: "r", Population: 40, Count: 10 + 2*i, Threshold: float64(i%5+4) / 10,
			Title:    fmt.Sprintf("Chỉ tiêu thứ %d: cán bộ, công chức cấp xã có trình độ chuyên môn đại học trở lên và đã qua bồi dưỡng quản lý nhà nước", i+1),
			Deadline: "2025-12-31"}
		tg.Share = summary.Share(tg.Count, tg.Population)
		tg.Met = tg.Share >= tg.Threshold
		for m := range 12 {
			count, pop := 4+2*i+m, 40
			if m == 5 && i == 2 {
				pop = 0 // a gap
			}
			tg.Trend = append(tg.Trend, summary.Point{Period: fmt.Sprintf("2022-%02d", m+1), Share: summary.Share(count, pop),
				Population: pop, Count: count, Threshold: tg.Threshold})
		}
		s.Targets = append(s.Targets, tg)
	}
	return s
}
