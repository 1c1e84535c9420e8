package schema

import (
	"fmt"
	"regexp"
	"strings"

	"golang.org/x/text/unicode/norm"
)

// SpanReport is one report over a span of months that canbo serve makes on a
// schedule of its own (serve.yaml span_reports): a year's report each January, a
// resolution's term (nhiệm kỳ 2021–2025), everything "since 2015". It is the report
// `canbo run --from --to` makes, from the archive, mailed like the monthly report.
// The span is worked out at each run from the month the run reports (Period), so
// that one entry serves every year.
type SpanReport struct {
	Name string `yaml:"name"` // the report's name in the mail and the log: "Báo cáo năm"
	// From is the span's first month: YYYY-MM, or "year" for January of the year of
	// the span's last month (a year's report).
	From string `yaml:"from"`
	// To is the span's last month: "previous" (default) the month before the run,
	// "current" the month of the run, or YYYY-MM, a term's last month: until it comes,
	// the span ends at the month before the run (the term so far).
	To       string `yaml:"to"`
	Schedule string `yaml:"schedule"` // cron, as serve.yaml schedule: "0 7 5 1 *" = 07:00 on 5 January
}

// Words of span_reports' from and to besides a month.
const (
	SpanFromYear    = "year"
	SpanToPrevious  = "previous"
	SpanToCurrent   = "current"
	spanMonthLayout = "YYYY-MM"
)

var monthRe = regexp.MustCompile(`^\d{4}-(0[1-9]|1[0-2])$`)

// SpanNameKey is a span report's name as names are compared: outer spaces, case and
// Unicode form aside. Vietnamese is typed both precomposed and with combining marks
// (macOS, some Windows keyboards), so "Báo cáo năm" written either way — in
// serve.yaml or sent by the web page's form — is one name (NFC).
func SpanNameKey(name string) string {
	return strings.ToLower(norm.NFC.String(strings.TrimSpace(name)))
}

// Named reports whether the report is the one named name (SpanNameKey); an empty
// name names none.
func (r SpanReport) Named(name string) bool {
	k := SpanNameKey(name)
	return k != "" && SpanNameKey(r.Name) == k
}

// RunsFor is which month a run of the report reports, as serve.yaml period says it
// for the monthly report: "current" when To is current, else "previous".
func (r SpanReport) RunsFor() string {
	if strings.TrimSpace(r.To) == SpanToCurrent {
		return SpanToCurrent
	}
	return SpanToPrevious
}

// Span is the first and last month of the report run for month period (YYYY-MM),
// and false when the span has not begun by then (a term that starts later).
func (r SpanReport) Span(period string) (from, to string, ok bool) {
	to = period
	if t := strings.TrimSpace(r.To); monthRe.MatchString(t) && t < period {
		to = t
	}
	from = strings.TrimSpace(r.From)
	if from == SpanFromYear {
		from = to[:4] + "-01"
	}
	return from, to, from <= to
}

// Problems says what is wrong with each span report, each at its key
// ("span_reports.1.from") for `canbo config check`; the schedule is checked by the
// caller, which knows cron (package schedule). Names must be distinct: the mail and
// the log tell the reports apart by them.
func (r SpanReport) Problems(i int, seen map[string]bool) []error {
	key := func(k string) string { return fmt.Sprintf("span_reports.%d.%s", i, k) }
	var errs []error
	name := strings.TrimSpace(r.Name)
	switch {
	case name == "":
		errs = append(errs, &KeyError{Key: fmt.Sprintf("span_reports.%d", i),
			Msg: "mỗi báo cáo trong span_reports cần name (tên báo cáo, ví dụ \"Báo cáo năm\")"})
	case seen[SpanNameKey(name)]:
		errs = append(errs, &KeyError{Key: key("name"), Msg: fmt.Sprintf("span_reports: hai báo cáo cùng tên %q; đặt tên khác nhau", name)})
	}
	seen[SpanNameKey(name)] = true
	from, to := strings.TrimSpace(r.From), strings.TrimSpace(r.To)
	if from != SpanFromYear && !monthRe.MatchString(from) {
		errs = append(errs, &KeyError{Key: key("from"), Msg: fmt.Sprintf(
			"span_reports from %q: ghi tháng đầu dạng %s (ví dụ 2021-01) hoặc year (tháng 1 của năm báo cáo)", r.From, spanMonthLayout)})
	}
	switch {
	case to == "" || to == SpanToPrevious || to == SpanToCurrent:
	case !monthRe.MatchString(to):
		errs = append(errs, &KeyError{Key: key("to"), Msg: fmt.Sprintf(
			"span_reports to %q: ghi previous (tháng trước, mặc định), current (tháng đang chạy) hoặc tháng cuối dạng %s (ví dụ 2025-12)", r.To, spanMonthLayout)})
	case monthRe.MatchString(from) && to < from:
		errs = append(errs, &KeyError{Key: key("to"), Msg: fmt.Sprintf("span_reports: tháng cuối %s trước tháng đầu %s", to, from)})
	}
	if strings.TrimSpace(r.Schedule) == "" {
		errs = append(errs, &KeyError{Key: fmt.Sprintf("span_reports.%d", i),
			Msg: fmt.Sprintf("báo cáo %q trong span_reports cần schedule (lịch dạng cron, ví dụ \"0 7 5 1 *\": 7 giờ sáng ngày 5 tháng 1)", name)})
	}
	return errs
}
