package report

import (
	"context"
	"fmt"
	"strings"
	"time"

	"canbo/pipeline/facts"
	"canbo/pipeline/ingest"
	"canbo/pipeline/normalize"
)

// Previous is the previous period's files, to compare this period's rosters with
// person by person (summary.json roster_changes): `canbo run --truoc DIR`, or the
// archive's previous month under `canbo serve`.
type Previous struct {
	Inputs []string // files and folders, read as Options.Inputs are
	// Period is their month, YYYY-MM; "" = the files' as-of month when it is before
	// the report's, else the month before the report's.
	Period string
	// Sources are the archived files' names and groups, as Options.Sources.
	Sources map[string]Source
}

// readPrevious reads the previous period's files through the same reader (a file
// the cache holds is not read again) and keeps their rosters in the compact form
// the comparison needs. The batch's records stay spooled on disk, not in memory,
// for the names of the people listed: the caller closes it once counting is done.
func readPrevious(ctx context.Context, t Tools, prev *Previous, cache *ingest.Cache, p facts.Period, now func() time.Time) (*facts.PreviousRoster, *ingest.Batch, error) {
	names, groups := map[string]string{}, map[string]string{}
	for path, src := range prev.Sources {
		if src.Name != "" {
			names[path] = src.Name
		}
		groups[path] = src.Group
	}
	period := prev.Period
	var cutoff time.Time
	if period != "" {
		if pp, err := facts.PeriodOf(period, time.Time{}, now()); err == nil {
			cutoff = pp.AsOf
		}
	}
	batch, err := ingest.NewReader(normalize.New(t.Config), ingest.Options{Now: now, Cutoff: cutoff, Names: names, Groups: groups,
		Folders: t.Config.GroupFolders(), Spool: true, Cache: cache}).ReadAll(ctx, prev.Inputs, t.Catalog)
	if err != nil {
		return nil, nil, fmt.Errorf("đọc danh sách kỳ trước %s: %w", strings.Join(prev.Inputs, ", "), err)
	}
	r, err := previousRoster(ctx, t, prev, batch, p)
	if err != nil {
		batch.Close()
		return nil, nil, err
	}
	return r, batch, nil
}

// previousRoster is the rosters of the previous period's batch, of the month
// prev.Period, else of the files' as-of month when before p, else the month before p.
func previousRoster(ctx context.Context, t Tools, prev *Previous, batch *ingest.Batch, p facts.Period) (*facts.PreviousRoster, error) {
	period := prev.Period
	if period == "" {
		period = previousMonth(p.Month)
		if a := batch.AsOf(); !a.IsZero() {
			if a.Format("2006-01") >= p.Month {
				// The same files again, or this month's: comparing would say "no change"
				// (or nonsense) with the look of a real comparison.
				return nil, fmt.Errorf("các tệp kỳ trước (%s) có số liệu tính đến %s, không trước kỳ báo cáo %s: hãy chọn thư mục tệp của kỳ trước",
					strings.Join(prev.Inputs, ", "), a.Format("02/01/2006"), p.Month[5:]+"/"+p.Month[:4])
			}
			period = a.Format("2006-01")
		}
	}
	if period >= p.Month {
		return nil, fmt.Errorf("kỳ trước %s không trước kỳ báo cáo %s", period, p.Month)
	}
	r, err := facts.ReadRoster(ctx, t.Config, batch, period)
	if err != nil {
		return nil, err
	}
	if r.Len() == 0 {
		return nil, fmt.Errorf("%s không có danh sách cán bộ nào đọc được để so với kỳ này (chạy canbo check trên thư mục đó để xem từng tệp)",
			strings.Join(prev.Inputs, ", "))
	}
	return r, nil
}

// previousMonth is the month before YYYY-MM.
func previousMonth(month string) string {
	m, err := time.Parse("2006-01", month)
	if err != nil {
		return ""
	}
	return m.AddDate(0, -1, 0).Format("2006-01")
}
