package xlsxreport

import (
	"canbo/pipeline/reporttext"
	"canbo/pipeline/summary"
)

// The comparison with the previous period (summary.Previous) and the targets'
// trends (Target.Trend) are shown only when the summary has them: a first month's
// workbook is the same as before there was a history.

// previous is the change since the previous period, or nil when there is none.
func (b *book) previous() *summary.Changes {
	if c := b.s.Previous; c != nil && c.Period != "" {
		return c
	}
	return nil
}

// targetChanges pairs every target of the summary (by index) with its change since
// the previous period, matched on target and unit; nil where there is none (no
// previous period, or the target was not compared). A target gone since is no row.
func (b *book) targetChanges() []*summary.TargetChange {
	c := b.previous()
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
	out := make([]*summary.TargetChange, len(b.s.Targets))
	for i, t := range b.s.Targets {
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

// signedInt shows a change of a count with its sign: +8, -3, 0.
func signedInt(n int) string {
	if n > 0 {
		return "+" + reporttext.Int(n)
	}
	return reporttext.Int(n)
}

// hasTrend reports whether some overall target has a trend (two periods or more).
func (b *book) hasTrend() bool {
	for _, t := range b.s.Targets {
		if t.Unit == "" && len(t.Trend) >= 2 {
			return true
		}
	}
	return false
}
