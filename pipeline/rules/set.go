package rules

import (
	"time"

	"canbo/pipeline/schema"
	"canbo/pipeline/summary"
)

// Set is the compiled targets and standards of one configuration. It is immutable
// and safe for concurrent use.
type Set struct {
	ruleSets  []*RuleSet
	standards []*Standard
	// counters are the distinct count expressions of forms.yaml, and formIndex
	// each form's counted columns' counter, by form code and column id.
	counters  []*Expr
	formIndex map[string]map[string]int
}

// RuleSet is a compiled rule set of targets.yaml.
type RuleSet struct {
	Code, Title, Basis string
	Period
	Targets []*Target
	Pos     schema.Pos
}

// Period is when a rule set or standard is in force: YYYY-MM-DD, both inclusive;
// an empty end is open.
type Period struct {
	From, Until string
}

// In reports whether the period covers the calendar day of t (in t's location).
func (p Period) In(t time.Time) bool {
	day := t.Format(time.DateOnly)
	return (p.From == "" || p.From <= day) && (p.Until == "" || day <= p.Until)
}

// overlaps reports whether two periods share a day.
func (p Period) overlaps(q Period) bool {
	lo := func(s string) string {
		if s == "" {
			return "0000-00-00"
		}
		return s
	}
	hi := func(s string) string {
		if s == "" {
			return "9999-99-99"
		}
		return s
	}
	return lo(p.From) <= hi(q.Until) && lo(q.From) <= hi(p.Until)
}

// Target is one compiled chỉ tiêu.
type Target struct {
	ID, Title string
	RuleSet   *RuleSet
	// Population selects the people the share is taken of; nil means everyone in the
	// roster. Counted selects, among them, those who count towards the target.
	Population, Counted *Expr
	Threshold           summary.Ratio
	Deadline            string // YYYY-MM-DD or ""
	Scope               string // schema.ScopeOverall, ScopeUnit or ScopeBoth; never ""
	Pos                 schema.Pos
}

// Overall reports whether the target is evaluated over all units together.
func (t *Target) Overall() bool { return t.Scope != schema.ScopeUnit }

// PerUnit reports whether the target is evaluated for each unit separately.
func (t *Target) PerUnit() bool { return t.Scope != schema.ScopeOverall }

// Standard is one compiled tiêu chuẩn chức danh.
type Standard struct {
	ID, Title, Basis string
	Period
	AppliesTo *Expr // nil: everyone in the roster
	Requires  []*Require
	Pos       schema.Pos

	name, birth, position *schema.Field // identify a person below the standard
}

// Require is one minimum level of an ordinal field.
type Require struct {
	Field    *schema.Field
	AtLeast  string // the minimum code
	NeedText string // its label: "Đại học"
	// Label names the requirement in the report: the YAML label, or
	// "Trình độ chuyên môn từ đại học trở lên".
	Label string
	rank  int
	vocab *schema.Vocabulary
}

// RuleSets returns every rule set, in file order, whatever its period.
func (s *Set) RuleSets() []*RuleSet { return s.ruleSets }

// Targets returns the targets of the rule sets in force at asOf (the period's as-of
// date), in file order.
func (s *Set) Targets(asOf time.Time) []*Target {
	var out []*Target
	for _, rs := range s.ruleSets {
		if rs.In(asOf) {
			out = append(out, rs.Targets...)
		}
	}
	return out
}

// Standards returns the standards in force at asOf, in file order.
func (s *Set) Standards(asOf time.Time) []*Standard {
	var out []*Standard
	for _, st := range s.standards {
		if st.In(asOf) {
			out = append(out, st)
		}
	}
	return out
}

// AllStandards returns every standard, whatever its period.
func (s *Set) AllStandards() []*Standard { return s.standards }
