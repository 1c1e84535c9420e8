package serve

import (
	"fmt"
	"log/slog"
	"time"

	"canbo/pipeline/inbox"
	"canbo/pipeline/report"
	"canbo/pipeline/schema"
	"canbo/pipeline/units"
)

// previousFromArchive is the previous month's current files in the archive, for a
// period's report to compare its rosters with (summary.json roster_changes); nil
// when the archive holds none of that month (the first month canbo serve ran), so
// the report is made without the comparison.
func previousFromArchive(sv schema.Serve, reg *units.Registry, period string, log *slog.Logger) *report.Previous {
	m, err := time.Parse("2006-01", period)
	if err != nil {
		return nil
	}
	month := m.AddDate(0, -1, 0).Format("2006-01")
	current, _, err := inbox.Current(sv.Archive, month, reg)
	if err != nil {
		log.Warn("không đọc được lưu trữ kỳ trước; báo cáo không so sánh danh sách với kỳ trước",
			"period", month, "err", fmt.Errorf("đọc lưu trữ kỳ %s: %w", month, err))
		return nil
	}
	if len(current) == 0 {
		return nil
	}
	prev := &report.Previous{Period: month, Sources: map[string]report.Source{}}
	for _, a := range current {
		prev.Inputs = append(prev.Inputs, a.Path)
		prev.Sources[a.Path] = report.Source{Name: a.OriginalName, Group: groupOf(a.InboxPath)}
	}
	return prev
}
