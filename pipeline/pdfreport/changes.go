package pdfreport

import "canbo/pipeline/summary"

// The comparison with the previous period (summary.Previous) and the targets' trends
// (Target.Trend) are drawn only when the summary has them: a first month's report is
// the same as before there was a history.

// previous is the change since the previous period, or nil when there is none.
func (d *doc) previous() *summary.Changes {
	if c := d.s.Previous; c != nil && c.Period != "" {
		return c
	}
	return nil
}

// targetChanges pairs every target of the summary (by index) with its change since
// the previous period, matched on target and unit; nil where there is none. A target
// gone since has no row to go with.
func (d *doc) targetChanges() []*summary.TargetChange {
	c := d.previous()
	if c == nil {
		return nil
	}
	key := func(id, unit string) string { return id + "\x00" + unit }
	queue := map[string][]*summary.TargetChange{}
	for i := range c.Targets {
		tc := &c.Targets[i]
		if tc.Status == summary.ChangeGone {
			continue
		}
		k := key(tc.ID, tc.Unit)
		queue[k] = append(queue[k], tc)
	}
	out := make([]*summary.TargetChange, len(d.s.Targets))
	for i, t := range d.s.Targets {
		k := key(t.ID, t.Unit)
		if q := queue[k]; len(q) > 0 {
			out[i], queue[k] = q[0], q[1:]
		}
	}
	return out
}

// comparable reports whether a target's share can be compared with the previous
// period's: it was there, and both periods have people it applies to.
func comparable(tc *summary.TargetChange) bool {
	return tc != nil && tc.Status == "" && tc.Population > 0 && tc.PreviousPopulation > 0
}
