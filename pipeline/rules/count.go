package rules

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"canbo/pipeline/normalize"
	"canbo/pipeline/summary"
)

// Plan is the targets and standards in force at one as-of date, in the order of
// targets.yaml and standards.yaml: what one report evaluates.
type Plan struct {
	Targets   []*Target
	Standards []*Standard
	// Counters are the count expressions of the forms (forms.yaml), counted per unit
	// in the same pass; formIndex maps a form's columns to them.
	Counters  []*Expr
	formIndex map[string]map[string]int
}

// Plan returns the targets and standards in force at asOf.
func (s *Set) Plan(asOf time.Time) *Plan {
	return &Plan{Targets: s.Targets(asOf), Standards: s.Standards(asOf), Counters: s.counters, formIndex: s.formIndex}
}

// Counts is what a plan's targets and standards found among some people. Counts of
// two sets of people add up (Add): the counting stage keeps one per unit as files
// stream past, then sums them, so no one's record has to wait for the others.
type Counts struct {
	Targets   []TargetCount   // by Plan.Targets
	Standards []StandardCount // by Plan.Standards
	Counters  []int           // by Plan.Counters: the people each selects
}

// TargetCount is a target's tally: the people in its population, those among them who
// count towards it, and those an expression failed on.
type TargetCount struct {
	Population, Count, Failed int
}

// StandardCount is a standard's tally: the people it applies to, those meeting every
// requirement, how many fall short of each requirement (by Standard.Requires) and who
// they are, in the order they were counted.
type StandardCount struct {
	Population, Compliant int
	Gaps                  []int
	Below                 []summary.Person
}

// NewCounts returns zero counts for p.
func (p *Plan) NewCounts() *Counts {
	c := &Counts{Targets: make([]TargetCount, len(p.Targets)), Standards: make([]StandardCount, len(p.Standards)),
		Counters: make([]int, len(p.Counters))}
	for i, st := range p.Standards {
		c.Standards[i].Gaps = make([]int, len(st.Requires))
	}
	return c
}

// Add adds o's counts to c; o's people below a standard follow c's.
func (c *Counts) Add(o *Counts) {
	c.AddNumbers(o)
	for i := range o.Standards {
		c.Standards[i].Below = append(c.Standards[i].Below, o.Standards[i].Below...)
	}
}

// AddNumbers adds o's counts to c, not its people: for sums (a group, all units)
// whose lists nobody reads, which would otherwise copy every person below a standard
// once more.
func (c *Counts) AddNumbers(o *Counts) {
	for i, n := range o.Counters {
		c.Counters[i] += n
	}
	for i := range o.Targets {
		c.Targets[i].Population += o.Targets[i].Population
		c.Targets[i].Count += o.Targets[i].Count
		c.Targets[i].Failed += o.Targets[i].Failed
	}
	for i := range o.Standards {
		a, b := &c.Standards[i], &o.Standards[i]
		a.Population += b.Population
		a.Compliant += b.Compliant
		for j := range b.Gaps {
			a.Gaps[j] += b.Gaps[j]
		}
	}
}

// Failed is an expression that failed on a record: Index is the target's (Standard
// false) or the standard's index in the plan.
type Failed struct {
	Index    int
	Standard bool
	Err      *RunError
}

// Count evaluates every target and standard of p on one record, adding to c. Records
// of other datasets than the roster (training attendances) are skipped. A record an
// expression failed on does not count for that target or standard; the failures are
// appended to fails, which is returned.
func (e *Evaluator) Count(p *Plan, c *Counts, r *normalize.Record, fails []Failed) []Failed {
	if r.Dataset != Roster {
		return fails
	}
	for i, t := range p.Targets {
		in, err := e.Match(t.Population, r)
		if err == nil && in {
			c.Targets[i].Population++
			var ok bool
			ok, err = e.Match(t.Counted, r)
			if ok {
				c.Targets[i].Count++
			}
		}
		if err != nil {
			c.Targets[i].Failed++
			fails = appendFailed(fails, i, false, t.ID, err)
		}
	}
	for i, st := range p.Standards {
		in, err := e.Match(st.AppliesTo, r)
		if err != nil {
			fails = appendFailed(fails, i, true, st.ID, err)
		}
		if !in {
			continue
		}
		sc := &c.Standards[i]
		sc.Population++
		missing := CheckStandard(st, r)
		if len(missing) == 0 {
			sc.Compliant++
			continue
		}
		for j, req := range st.Requires {
			for _, m := range missing {
				if m.Field == req.Field.Code {
					sc.Gaps[j]++
				}
			}
		}
		sc.Below = append(sc.Below, st.person(r, missing))
	}
	for i, x := range p.Counters {
		// A count expression is checked like a target's at start-up; one failing on a
		// record leaves that person out of the column, as a target's does.
		var ok bool
		if x.fast != nil {
			ok = x.fast(r)
		} else {
			ok, _ = e.Match(x, r)
		}
		if ok {
			c.Counters[i]++
		}
	}
	return fails
}

func appendFailed(fails []Failed, i int, standard bool, id string, err error) []Failed {
	var re *RunError
	if errors.As(err, &re) {
		re.Target = id
		fails = append(fails, Failed{Index: i, Standard: standard, Err: re})
	}
	return fails
}

// TargetResult is target i's result for one unit ("" = all units together).
func (p *Plan) TargetResult(i int, tc TargetCount, unit string) summary.Target {
	t := p.Targets[i]
	rs := ""
	if t.RuleSet != nil {
		rs = t.RuleSet.Code
	}
	out := summary.Target{
		ID: t.ID, Title: t.Title, RuleSet: rs, Unit: unit,
		Population: tc.Population, Count: tc.Count, Share: summary.Share(tc.Count, tc.Population),
		Threshold: t.Threshold.Float(), Met: t.Threshold.Met(tc.Count, tc.Population),
		Shortfall: t.Threshold.Shortfall(tc.Count, tc.Population), Deadline: t.Deadline, Failed: tc.Failed,
	}
	if tc.Failed > 0 {
		// A count that missed some people is no result: not met, nothing short.
		out.Met, out.Shortfall = false, 0
	}
	return out
}

// StandardResult is standard i's result for one unit ("" = all units together).
func (p *Plan) StandardResult(i int, sc StandardCount, unit string) summary.Standard {
	st := p.Standards[i]
	res := summary.Standard{ID: st.ID, Title: st.Title, Unit: unit, Population: sc.Population,
		Compliant: sc.Compliant, Gaps: make(map[string]int, len(st.Requires))}
	for j, req := range st.Requires {
		res.Gaps[req.Field.Code] = sc.Gaps[j]
	}
	return res
}

// Digest identifies what the plan counts: its targets and standards, their
// expressions and requirements, in order. Counts kept from an earlier run (facts keeps
// each file's) are used again only under a plan with the same digest.
func (p *Plan) Digest() string {
	h := sha256.New()
	text := func(e *Expr) string {
		if e == nil {
			return "\x01"
		}
		return e.Text
	}
	for _, t := range p.Targets {
		fmt.Fprintf(h, "t%q%q%q%q%q\n", t.ID, t.Scope, text(t.Population), text(t.Counted), t.Deadline)
	}
	for _, st := range p.Standards {
		fmt.Fprintf(h, "s%q%q%q\n", st.ID, st.Title, text(st.AppliesTo))
		for _, r := range st.Requires {
			code := ""
			if r.Field != nil {
				code = r.Field.Code
			}
			fmt.Fprintf(h, "r%q%q%q%q\n", code, r.AtLeast, r.NeedText, r.Label)
		}
	}
	for _, x := range p.Counters {
		fmt.Fprintf(h, "c%q\n", x.Text)
	}
	return hex.EncodeToString(h.Sum(nil))
}
