// Package aggregate counts a batch of read workbooks into a summary.Summary: the
// headcount and breakdowns per unit, per group and overall, training attendances, the
// targets and standards evaluated, and the files and problems listed. It is where
// records become figures; the writers (summary.json, Excel, PDF) only present them.
package aggregate

import (
	"sort"
	"time"

	"canbo/pipeline/ingest"
	"canbo/pipeline/normalize"
	"canbo/pipeline/schema"
	"canbo/pipeline/summary"
	"canbo/pipeline/textfold"
	"canbo/pipeline/validate"
)

// Dataset codes of the default schema that the report treats specially.
const (
	Roster   = "roster"
	Training = "training"
)

// Period is the month reported and the date figures are taken at.
type Period struct {
	Month string    // YYYY-MM
	AsOf  time.Time // ages are computed at this date
}

// Vietnam is the default office time zone (schema.DefaultTimeZone), for callers
// that have no serve.yaml to ask.
func Vietnam() *time.Location {
	if loc, err := time.LoadLocation("Asia/Ho_Chi_Minh"); err == nil {
		return loc
	}
	return time.FixedZone("ICT", 7*3600)
}

// PeriodOf picks the report period. An explicit month wins; its as-of date is the
// inputs' newest "tính đến ngày" date when that falls in the month, else the month's
// last day. Without one, the month of the inputs' as-of date is used, else the
// current month with today as the as-of date. now is taken in its own location: the
// caller gives it in the office's time zone (report.Options.Location).
func PeriodOf(month string, inputsAsOf, now time.Time) (Period, error) {
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	if month == "" {
		if !inputsAsOf.IsZero() {
			return Period{inputsAsOf.Format("2006-01"), inputsAsOf}, nil
		}
		return Period{today.Format("2006-01"), today}, nil
	}
	m, err := time.Parse("2006-01", month)
	if err != nil {
		return Period{}, err
	}
	if !inputsAsOf.IsZero() && inputsAsOf.Format("2006-01") == month {
		return Period{month, inputsAsOf}, nil
	}
	last := m.AddDate(0, 1, -1)
	if last.After(today) && m.Format("2006-01") == today.Format("2006-01") {
		last = today
	}
	return Period{month, last}, nil
}

// Options are what Build needs besides the batch.
type Options struct {
	Period Period
	Now    time.Time // generated_at
	Rules  Evaluator // targets and standards; nil for none
}

// Build counts the batch. It computes every record's derived fields at the period's
// as-of date first, so ages are the same for every unit whatever date each file
// stated.
//
// The summary is complete even when a rule failed on some record (that record then
// does not count); the first such failure is returned so the run can report it.
func Build(cfg *schema.Config, b *ingest.Batch, opt Options) (*summary.Summary, error) {
	s := &summary.Summary{
		SchemaVersion: summary.SchemaVersion,
		Period:        opt.Period.Month,
		AsOf:          opt.Period.AsOf.Format("2006-01-02"),
		GeneratedAt:   opt.Now.Format(time.RFC3339), // in the office's zone, as the caller gives it
		Targets:       []summary.Target{},
		Standards:     []summary.Standard{},
		BelowStandard: []summary.Person{},
	}
	people := b.Records(Roster)
	for _, r := range people {
		normalize.Derive(cfg, r, opt.Period.AsOf)
	}
	s.Files, s.Issues, s.Problems = files(b)
	dims := dimensions(cfg, cfg.Report.Breakdowns)
	units := Units(people)
	for _, u := range units {
		s.Units = append(s.Units, count(cfg, u.Unit, u.Group, u.Records, dims))
	}
	if groups := groupNames(units); len(groups) > 1 || (len(groups) == 1 && groups[0] != "") {
		for _, g := range groups {
			var recs []*normalize.Record
			for _, u := range units {
				if u.Group == g {
					recs = append(recs, u.Records...)
				}
			}
			s.Groups = append(s.Groups, count(cfg, "", g, recs, dims))
		}
	}
	s.Total = count(cfg, "", "", people, dims)
	s.Training = training(cfg, b.Records(Training))
	var err error
	if opt.Rules != nil {
		err = opt.Rules.Evaluate(s, units, people, opt.Period.AsOf)
	}
	return s, err
}

// UnitRecords is one unit's people within one group.
type UnitRecords struct {
	Unit, Group string
	Records     []*normalize.Record
}

// Evaluator evaluates targets and standards into the summary (package rules). It is
// an interface only so that aggregate does not depend on the expression engine.
type Evaluator interface {
	Evaluate(s *summary.Summary, units []*UnitRecords, all []*normalize.Record, asOf time.Time) error
}

// Units splits records by group and unit, merging spellings of one unit's name
// ("UBND xã Nghĩa Tá", "Ủy ban nhân dân xã Nghĩa Tá"); the first spelling seen names
// it. Units are sorted by group, then by name without diacritics.
func Units(recs []*normalize.Record) []*UnitRecords {
	byKey := map[string]*UnitRecords{}
	var out []*UnitRecords
	for _, r := range recs {
		k := r.Group + "\x00" + validate.UnitKey(r.Unit)
		u := byKey[k]
		if u == nil {
			u = &UnitRecords{Unit: r.Unit, Group: r.Group}
			byKey[k] = u
			out = append(out, u)
		}
		u.Records = append(u.Records, r)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Group != out[j].Group {
			return out[i].Group < out[j].Group
		}
		return textfold.Key(out[i].Unit) < textfold.Key(out[j].Unit)
	})
	return out
}

func groupNames(units []*UnitRecords) []string {
	var out []string
	for _, u := range units {
		if len(out) == 0 || out[len(out)-1] != u.Group {
			out = append(out, u.Group)
		}
	}
	return out
}

// dimensions resolves the dimension codes the report counts.
func dimensions(cfg *schema.Config, codes []string) []*schema.Field {
	var out []*schema.Field
	for _, c := range codes {
		if f := cfg.Field(c); f != nil {
			out = append(out, f)
		}
	}
	return out
}

// count tallies records along every dimension. Every code of a dimension appears,
// with 0 when nobody has it, so tables have stable columns; every person counts
// under exactly one code, chua_xac_dinh when unknown.
func count(cfg *schema.Config, name, group string, recs []*normalize.Record, dims []*schema.Field) summary.Unit {
	u := summary.Unit{Unit: name, Group: group, Headcount: len(recs), Breakdowns: map[string]map[string]int{}}
	for _, f := range dims {
		u.Breakdowns[f.Code] = tally(cfg, f, recs)
	}
	return u
}

// tally counts records by their code of one dimension; every code is present.
func tally(cfg *schema.Config, f *schema.Field, recs []*normalize.Record) map[string]int {
	m := map[string]int{}
	for _, c := range cfg.Codes(f) {
		m[c.Code] = 0
	}
	for _, r := range recs {
		m[r.Code(f)]++
	}
	return m
}
