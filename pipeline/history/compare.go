package history

import (
	"math"

	"canbo/pipeline/summary"
	"canbo/pipeline/textfold"
	"canbo/pipeline/units"
)

// The change types live in package summary, where summary.json and the writers
// use them; these aliases keep this package's API readable.
type (
	Changes      = summary.Changes
	UnitChange   = summary.UnitChange
	TargetChange = summary.TargetChange
)

// Whether an entry is in both periods, and how a target's status changed.
const (
	ChangeNew   = summary.ChangeNew
	ChangeGone  = summary.ChangeGone
	NowMet      = summary.NowMet
	NoLongerMet = summary.NoLongerMet
)

// Compare returns the changes from prev to cur. With prev nil (no earlier period
// recorded) it returns the zero Changes, whose Period is "": the report then says
// nothing about changes.
//
// Units are matched by group and by which unit they are under reg, the units
// registry of the report being made (unitIDs): a registered unit whatever name each
// period showed it by (an alias, a variant, its name before a rename), any other unit
// by its folded name and obvious variants; nil reg means no registry. A period that
// listed one unit under two names (recorded before its spellings were merged) counts
// as the one unit. Targets are matched by id and their unit the same way. Entries
// come in cur's order, then those only in prev in prev's order.
func Compare(prev, cur *summary.Summary, reg *units.Registry) Changes {
	if prev == nil {
		return Changes{}
	}
	if cur == nil {
		cur = &summary.Summary{}
	}
	ids := newUnitIDs(reg, []*summary.Summary{prev, cur})
	unitKey := func(u summary.Unit) string { return ids.unit(u.Group, u.Unit) }
	return Changes{
		Period:  prev.Period,
		AsOf:    prev.AsOf,
		Total:   unitChange(&prev.Total, &cur.Total),
		Units:   compareUnits(prev.Units, cur.Units, unitKey),
		Groups:  compareUnits(prev.Groups, cur.Groups, groupKey),
		Targets: compareTargets(prev.Targets, ids.targetKeys(prev), cur.Targets, ids.targetKeys(cur)),
	}
}

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

// match pairs the items of prev and cur with equal keys (unique within each). It
// returns, for each item of cur, the index of its partner in prev or -1, and which
// items of prev were paired.
func match(prevKeys, curKeys []string) (partner []int, paired []bool) {
	at := make(map[string]int, len(prevKeys))
	for i, k := range prevKeys {
		at[k] = i
	}
	partner = make([]int, len(curKeys))
	paired = make([]bool, len(prevKeys))
	for i, k := range curKeys {
		partner[i] = -1
		if j, ok := at[k]; ok {
			partner[i] = j
			paired[j] = true
		}
	}
	return partner, paired
}

func compareUnits(prev, cur []summary.Unit, key func(summary.Unit) string) []UnitChange {
	prev, prevKeys := sumUnits(prev, key)
	cur, curKeys := sumUnits(cur, key)
	partner, paired := match(prevKeys, curKeys)
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

func compareTargets(prev []summary.Target, prevKeys []string, cur []summary.Target, curKeys []string) []TargetChange {
	prev, prevKeys = sumTargets(prev, prevKeys)
	cur, curKeys = sumTargets(cur, curKeys)
	partner, paired := match(prevKeys, curKeys)
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
