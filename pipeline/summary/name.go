package summary

// ReportName is what a report's folder and files are named after: its period
// ("2023-09": OUT/2023-09/bao-cao-2023-09.pdf), or its span's months
// ("2015-01_2023-09": OUT/2015-01_2023-09/bao-cao-2015-01_2023-09.pdf), so that a
// span's report, mailed or copied on its own, never passes for its last month's.
func (s *Summary) ReportName() string {
	if s.Span != nil {
		return SpanName(s.Span.From, s.Span.To)
	}
	return s.Period
}

// SpanName is the name of the report over the months from to to: "2015-01_2023-09".
func SpanName(from, to string) string { return from + "_" + to }
