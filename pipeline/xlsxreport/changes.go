package xlsxreport

import "canbo/pipeline/reporttext"

// The comparison with the previous period (summary.Previous) and the targets'
// trends (Target.Trend) are shown only when the summary has them: a first month's
// workbook is the same as before there was a history. summary.Summary.Changes and
// TargetChanges give them.

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
