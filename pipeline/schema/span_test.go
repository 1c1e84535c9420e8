package schema

import (
	"errors"
	"strings"
	"testing"

	"golang.org/x/text/unicode/norm"
)

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

// TestSpanReportNamesNFC: a name typed with combining marks (NFD, as macOS and some
// keyboards write Vietnamese) is the same name as its precomposed form: two span
// reports so named are a duplicate, and either form finds the report.
func TestSpanReportNamesNFC(t *testing.T) {
	nfc, nfd := "Báo cáo năm", norm.NFD.String("Báo cáo năm")
	if nfc == nfd {
		t.Fatal("the test name has no combining form")
	}
	seen := map[string]bool{}
	rep := SpanReport{Name: nfc, From: "year", Schedule: "0 7 5 1 *"}
	if errs := rep.Problems(0, seen); len(errs) != 0 {
		t.Fatal(errs)
	}
	errs := SpanReport{Name: nfd, From: "year", Schedule: "0 7 5 1 *"}.Problems(1, seen)
	var ke *KeyError
	if len(errs) != 1 || !errors.As(errs[0], &ke) || ke.Key != "span_reports.1.name" || !strings.Contains(ke.Msg, "hai báo cáo cùng tên") {
		t.Errorf("the same name in NFD: %v", errs)
	}
	if !rep.Named(nfd) || !(SpanReport{Name: nfd}).Named(" BÁO CÁO NĂM ") || rep.Named("") || rep.Named("Báo cáo quý") {
		t.Error("Named: the name in either form, any case, finds the report; another name or none does not")
	}
}
