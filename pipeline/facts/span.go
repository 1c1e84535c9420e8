package facts

import (
	"time"

	"canbo/pipeline/normalize"
	"canbo/pipeline/schema"
	"canbo/pipeline/summary"
)

// A report over a span of months (canbo run --from 2021-01 --to 2025-12: a
// resolution's term, a year, "since 2015") counts the training that took place in
// it. Registers are kept per year or per term and sent again with each period, so a
// record is placed by its own date, not by the file it came in: it counts when it
// started (từ ngày; without one, đến ngày) in the span, once however many periods'
// files are read, since each attendance is one record. Records without any date
// cannot be placed and are counted apart (OutsideSpan.Undated), as are those before
// and after it. A month's report (no span) counts every record, as it always has.

// Training date fields of the default schema.
const (
	fieldFrom = "tu_ngay"
	fieldTo   = "den_ngay"
)

// span is the first and last day of a report's span; zero from = no span.
type span struct {
	from, to   time.Time
	start, end *schema.Field
	monthFrom  string
}

// newSpan is the span from the first day of month from to the last day of month to
// (both YYYY-MM); from "" is no span.
func newSpan(cfg *schema.Config, from, to string) (span, error) {
	if from == "" {
		return span{}, nil
	}
	f, err := time.Parse("2006-01", from)
	if err != nil {
		return span{}, err
	}
	t, err := time.Parse("2006-01", to)
	if err != nil {
		return span{}, err
	}
	return span{from: f, to: t.AddDate(0, 1, -1), start: cfg.Field(fieldFrom), end: cfg.Field(fieldTo), monthFrom: from}, nil
}

// place says where training record r falls: 0 in the span (or no span), else it
// counts it in out and returns false.
func (s *span) place(r *normalize.Record, out *summary.OutsideSpan) bool {
	if s.from.IsZero() {
		return true
	}
	return s.placeAt(started(r, s.start, s.end), out)
}

// started is the date a training record is placed by: its start (từ ngày), else its
// end (đến ngày); unset when it has neither.
func started(r *normalize.Record, start, end *schema.Field) normalize.Value {
	if v := r.Value(start); v.Set {
		return v
	}
	return r.Value(end)
}

// placeAt says where a record dated v falls, as place does.
func (s *span) placeAt(v normalize.Value, out *summary.OutsideSpan) bool {
	if s.from.IsZero() {
		return true
	}
	switch {
	case !v.Set || v.Date.IsZero():
		out.Undated++
	case v.Date.Before(s.from):
		out.Before++
	case v.Date.After(s.to):
		out.After++
	default:
		return true
	}
	return false
}

func addOutside(to *summary.OutsideSpan, o summary.OutsideSpan) {
	to.Before += o.Before
	to.After += o.After
	to.Undated += o.Undated
}

// SpanDate is the date a report over a span places register record r by: a
// training record's start (từ ngày; without one, đến ngày), a movement's decision
// date; unset for a record of another dataset. The inbox keeps each archived
// register's first and last (inbox.Sidecar.Dates), so that reading a span can tell
// a register sent again from the register of another year.
func SpanDate(cfg *schema.Config, r *normalize.Record) normalize.Value {
	switch r.Dataset {
	case Training:
		return started(r, cfg.Field(fieldFrom), cfg.Field(fieldTo))
	case Movements:
		return r.Value(cfg.Field(fieldDecided))
	}
	return normalize.Value{}
}

// dates are the start dates of the training records a part counts: the first, the
// last, and how many had none. A month's report counts every record of the
// registers whatever its date (a register of 2015–2023 sent this month counts
// whole), and says so with these (summary.TrainingDates).
type dates struct {
	First, Last time.Time
	Undated     int
}

// add notes the date of a counted training record: từ ngày, else đến ngày, as the
// span places it.
func (d *dates) add(r *normalize.Record, start, end *schema.Field) {
	v := started(r, start, end)
	if !v.Set || v.Date.IsZero() {
		d.Undated++
		return
	}
	if d.First.IsZero() || v.Date.Before(d.First) {
		d.First = v.Date
	}
	if v.Date.After(d.Last) {
		d.Last = v.Date
	}
}

// merge adds another part's dates.
func (d *dates) merge(o dates) {
	d.Undated += o.Undated
	if !o.First.IsZero() && (d.First.IsZero() || o.First.Before(d.First)) {
		d.First = o.First
	}
	if o.Last.After(d.Last) {
		d.Last = o.Last
	}
}

// summary is the dates as summary.json gives them; nil when no record was counted.
func (d dates) summary(counted int) *summary.TrainingDates {
	if counted == 0 {
		return nil
	}
	out := &summary.TrainingDates{Undated: d.Undated}
	if !d.First.IsZero() {
		out.First, out.Last = d.First.Format("2006-01-02"), d.Last.Format("2006-01-02")
	}
	return out
}
