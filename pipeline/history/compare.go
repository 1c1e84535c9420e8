package history

import (
	"math"

	"canbo/pipeline/summary"
	"canbo/pipeline/textfold"
	"canbo/pipeline/validate"
)

// Changes is what changed since the previous period. It is the proposed
// summary.json key "previous": Period and AsOf are the previous period's, and each
// entry carries the current value, the previous one and the change, so that a
// writer can print "380 → 388 (+8)" from the entry alone.
type Changes struct {
	Period  string         `json:"period"` // the period compared with, YYYY-MM; "" when there is none
	AsOf    string         `json:"as_of"`  // its as-of date
	Total   UnitChange     `json:"total"`
	Units   []UnitChange   `json:"units"`
	Groups  []UnitChange   `json:"groups,omitempty"`
	Targets []TargetChange `json:"targets"`
}

// Whether an entry is in both periods.
const (
	ChangeNew  = "new"  // only in the current period: a unit that did not report last time, a new target
	ChangeGone = "gone" // only in the previous period: a unit that has not reported this time
)

// What happened to a target's met status between the periods.
const (
	NowMet      = "now_met"       // not met before, met now
	NoLongerMet = "no_longer_met" // met before, not met now
)

// UnitChange is the headcount change of a unit, a group or the total.
type UnitChange struct {
	Unit              string `json:"unit,omitempty"`
	Group             string `json:"group,omitempty"`
	Status            string `json:"status,omitempty"` // "" (in both periods), new or gone
	Headcount         int    `json:"headcount"`        // now; 0 when gone
	PreviousHeadcount int    `json:"previous_headcount"`
	HeadcountChange   int    `json:"headcount_change"` // Headcount - PreviousHeadcount
}

// TargetChange is the change of one target's result for one unit ("" = overall).
type TargetChange struct {
	ID     string `json:"id"`
	Title  string `json:"title"`
	Unit   string `json:"unit"`
	Status string `json:"status,omitempty"` // "" (in both periods), new or gone

	Share         float64 `json:"share"` // fractions, as in targets[].share
	PreviousShare float64 `json:"previous_share"`
	// ShareChangePP is the change in percentage points, to 2 decimals, computed
	// from the rounded shares so that it matches what the report shows: 80,67% and
	// 79,12% give 1.55. 0 when either population is 0 (no share to compare).
	ShareChangePP float64 `json:"share_change_pp"`

	Count              int  `json:"count"`
	PreviousCount      int  `json:"previous_count"`
	Population         int  `json:"population"`
	PreviousPopulation int  `json:"previous_population"`
	Shortfall          int  `json:"shortfall"`
	PreviousShortfall  int  `json:"previous_shortfall"`
	Met                bool `json:"met"`
	PreviousMet        bool `json:"previous_met"`
	// MetChange is now_met or no_longer_met when the status flipped, else "".
	MetChange string `json:"met_change,omitempty"`
}

// Compare returns the changes from prev to cur. With prev nil (no earlier period
// recorded) it returns the zero Changes, whose Period is "": the report then says
// nothing about changes.
//
// Units are matched by group and folded unit name (validate.UnitKey), targets by
// id and folded unit name. Entries come in cur's order, then those only in prev in
// prev's order.
func Compare(prev, cur *summary.Summary) Changes {
	if prev == nil {
		return Changes{}
	}
	if cur == nil {
		cur = &summary.Summary{}
	}
	return Changes{
		Period:  prev.Period,
		AsOf:    prev.AsOf,
		Total:   unitChange(&prev.Total, &cur.Total),
		Units:   compareUnits(prev.Units, cur.Units, unitKey),
		Groups:  compareUnits(prev.Groups, cur.Groups, groupKey),
		Targets: compareTargets(prev.Targets, cur.Targets),
	}
}

func unitKey(u summary.Unit) string  { return textfold.Key(u.Group) + "\x00" + validate.UnitKey(u.Unit) }
func groupKey(u summary.Unit) string { return textfold.Key(u.Group) }

func unitChange(prev, cur *summary.Unit) UnitChange {
	var c UnitChange
	switch {
	case prev == nil:
		c = UnitChange{Unit: cur.Unit, Group: cur.Group, Status: ChangeNew, Headcount: cur.Headcount}
	case cur == nil:
		c = UnitChange{Unit: prev.Unit, Group: prev.Group, Status: ChangeGone, PreviousHeadcount: prev.Headcount}
	default:
		c = UnitChange{Unit: cur.Unit, Group: cur.Group, Headcount: cur.Headcount, PreviousHeadcount: prev.Headcount}
	}
	c.HeadcountChange = c.Headcount - c.PreviousHeadcount
	return c
}

// match pairs the items of prev and cur with equal keys, the i-th occurrence of a
// key in cur with its i-th occurrence in prev. It returns, for each item of cur,
// the index of its partner in prev or -1, and which items of prev were paired.
func match[T any](prev, cur []T, key func(T) string) (partner []int, paired []bool) {
	byKey := map[string][]int{}
	for i, p := range prev {
		k := key(p)
		byKey[k] = append(byKey[k], i)
	}
	partner = make([]int, len(cur))
	paired = make([]bool, len(prev))
	for i, c := range cur {
		k := key(c)
		partner[i] = -1
		if q := byKey[k]; len(q) > 0 {
			partner[i], byKey[k] = q[0], q[1:]
			paired[q[0]] = true
		}
	}
	return partner, paired
}

func compareUnits(prev, cur []summary.Unit, key func(summary.Unit) string) []UnitChange {
	partner, paired := match(prev, cur, key)
	out := make([]UnitChange, 0, len(cur))
	for i := range cur {
		var p *summary.Unit
		if partner[i] >= 0 {
			p = &prev[partner[i]]
		}
		out = append(out, unitChange(p, &cur[i]))
	}
	for i := range prev {
		if !paired[i] {
			out = append(out, unitChange(&prev[i], nil))
		}
	}
	return out
}

func targetMatchKey(t summary.Target) string { return t.ID + "\x00" + validate.UnitKey(t.Unit) }

func compareTargets(prev, cur []summary.Target) []TargetChange {
	partner, paired := match(prev, cur, targetMatchKey)
	out := make([]TargetChange, 0, len(cur))
	for i, c := range cur {
		tc := TargetChange{ID: c.ID, Title: c.Title, Unit: c.Unit, Status: ChangeNew,
			Share: c.Share, Count: c.Count, Population: c.Population, Shortfall: c.Shortfall, Met: c.Met}
		if partner[i] >= 0 {
			p := prev[partner[i]]
			tc.Status = ""
			tc.PreviousShare, tc.PreviousCount, tc.PreviousPopulation = p.Share, p.Count, p.Population
			tc.PreviousShortfall, tc.PreviousMet = p.Shortfall, p.Met
			if p.Population > 0 && c.Population > 0 {
				tc.ShareChangePP = percentPoints(c.Share - p.Share)
			}
			switch {
			case c.Met && !p.Met:
				tc.MetChange = NowMet
			case !c.Met && p.Met:
				tc.MetChange = NoLongerMet
			}
		}
		out = append(out, tc)
	}
	for i, p := range prev {
		if !paired[i] {
			out = append(out, TargetChange{ID: p.ID, Title: p.Title, Unit: p.Unit, Status: ChangeGone,
				PreviousShare: p.Share, PreviousCount: p.Count, PreviousPopulation: p.Population,
				PreviousShortfall: p.Shortfall, PreviousMet: p.Met})
		}
	}
	return out
}

// percentPoints turns a difference of two shares rounded to 4 decimals into
// percentage points rounded to 2: 0.8067-0.7912 → 1.55, without float noise.
func percentPoints(d float64) float64 {
	pp := math.Round(d*10000) / 100
	if pp == 0 {
		return 0 // not -0
	}
	return pp
}
