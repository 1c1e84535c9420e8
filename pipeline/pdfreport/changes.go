package pdfreport

// The comparison with the previous period (summary.Previous) and the targets' trends
// (Target.Trend) are drawn only when the summary has them: a first month's report is
// the same as before there was a history. summary.Summary.Changes and TargetChanges
// give them.
