package summary

// Changes is what changed since the previous period. It is summary.json's
// "previous": Period and AsOf are the previous period's, and each
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

// Point is one target's result in one period: a point of its trend chart.
type Point struct {
	Period     string  `json:"period"` // YYYY-MM
	Share      float64 `json:"share"`  // a fraction, as in targets[].share
	Count      int     `json:"count"`
	Population int     `json:"population"`
	Threshold  float64 `json:"threshold"` // the threshold in force then (a rule set may change it)
	Met        bool    `json:"met"`
}

// Changes returns the change since the previous period, or nil when the history
// had none: a first month's report shows no comparison.
func (s *Summary) Changes() *Changes {
	if c := s.Previous; c != nil && c.Period != "" {
		return c
	}
	return nil
}

// TargetChanges pairs every target of the summary (by index) with its change since
// the previous period, matched on target and unit; nil where there is none (no
// previous period, or the target was not compared). A target gone since has no row.
func (s *Summary) TargetChanges() []*TargetChange {
	c := s.Changes()
	if c == nil {
		return nil
	}
	key := func(id, unit string) string { return id + "\x00" + unit }
	queue := map[string][]*TargetChange{}
	for i := range c.Targets {
		tc := &c.Targets[i]
		if tc.Status == ChangeGone {
			continue
		}
		k := key(tc.ID, tc.Unit)
		queue[k] = append(queue[k], tc)
	}
	out := make([]*TargetChange, len(s.Targets))
	for i, t := range s.Targets {
		k := key(t.ID, t.Unit)
		if q := queue[k]; len(q) > 0 {
			out[i], queue[k] = q[0], q[1:]
		}
	}
	return out
}

// Comparable reports whether a target's share can be compared with the previous
// period's: it was there, and both periods have people it applies to.
func (tc *TargetChange) Comparable() bool {
	return tc != nil && tc.Status == "" && tc.Population > 0 && tc.PreviousPopulation > 0
}
