package schema

import "testing"

// TestSpanReportSpan: the months a scheduled span report covers, worked out at each
// run from the month the run reports: a year's report each January, a term's report
// before and after the term ends, "since 2015", and a term not begun.
func TestSpanReportSpan(t *testing.T) {
	tests := []struct {
		rep              SpanReport
		period, from, to string
		ok               bool
	}{
		{SpanReport{From: "year", To: "previous"}, "2025-12", "2025-01", "2025-12", true},
		{SpanReport{From: "year"}, "2026-03", "2026-01", "2026-03", true},
		{SpanReport{From: "2020-10", To: "2025-09"}, "2023-06", "2020-10", "2023-06", true}, // the term so far
		{SpanReport{From: "2020-10", To: "2025-09"}, "2025-12", "2020-10", "2025-09", true}, // the term, once ended
		{SpanReport{From: "2015-01", To: "current"}, "2023-09", "2015-01", "2023-09", true},
		{SpanReport{From: "2026-01", To: "2030-12"}, "2025-12", "2026-01", "2025-12", false}, // not begun
	}
	for _, tc := range tests {
		from, to, ok := tc.rep.Span(tc.period)
		if from != tc.from || to != tc.to || ok != tc.ok {
			t.Errorf("%+v at %s: %s–%s %v, want %s–%s %v", tc.rep, tc.period, from, to, ok, tc.from, tc.to, tc.ok)
		}
	}
	if (SpanReport{To: "current"}).RunsFor() != "current" || (SpanReport{To: "2025-09"}).RunsFor() != "previous" {
		t.Error("RunsFor: a report runs for the current month only when its to says so")
	}
}
