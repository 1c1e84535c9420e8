package history

import (
	"context"
	"fmt"
	"slices"

	"canbo/pipeline/summary"
	"canbo/pipeline/textfold"
)

// TargetPoint is one target's result in one period (a point of its trend chart, as
// summary.json writes it) with the run it comes from.
type TargetPoint struct {
	summary.Point
	Run RunID `json:"-"` // 0 for the current summary
}

// TargetTrend is one target's trend, for one unit ("" = overall), oldest first.
// Proposed for summary.json as targets[].trend (the Points).
type TargetTrend struct {
	ID     string        `json:"id"`
	Unit   string        `json:"unit"`
	Points []TargetPoint `json:"points"`
}

// Trend returns target targetID's result for unit ("" = the overall target) in the
// last n periods that have it (all of them when n <= 0), oldest first. Each period
// is its latest successful run; a period whose latest successful run did not
// evaluate the target is left out rather than taken from an older run. Units are
// matched by folded name (textfold.UnitKey).
func (db *DB) Trend(ctx context.Context, targetID, unit string, n int) ([]TargetPoint, error) {
	return db.TrendBefore(ctx, targetID, unit, "", n)
}

// TrendBefore is Trend restricted to the periods before period ("" = no limit):
// what a report for period draws before appending its own point.
func (db *DB) TrendBefore(ctx context.Context, targetID, unit, period string, n int) ([]TargetPoint, error) {
	if period != "" {
		if err := checkPeriod(period); err != nil {
			return nil, fmt.Errorf("lịch sử: %w", err)
		}
	}
	rows, err := db.targetHistory(ctx, targetID, period)
	if err != nil {
		return nil, err
	}
	return pick(rows, targetKey{targetID, textfold.UnitKey(unit), 0}, n), nil
}

// Trends returns, for every target of cur in its order, the trend over the last n
// periods (all when n <= 0) ending with cur's own result: the recorded periods
// before cur.Period, then cur. A target recorded twice for the same unit name (the
// same name in two groups) is matched in order of appearance.
func (db *DB) Trends(ctx context.Context, cur *summary.Summary, n int) ([]TargetTrend, error) {
	if cur == nil || len(cur.Targets) == 0 {
		return nil, nil
	}
	if err := checkPeriod(cur.Period); err != nil {
		return nil, fmt.Errorf("lịch sử: %w", err)
	}
	rows, err := db.targetHistory(ctx, "", cur.Period)
	if err != nil {
		return nil, err
	}
	keys := targetKeys(cur.Targets)
	out := make([]TargetTrend, len(cur.Targets))
	for i, t := range cur.Targets {
		before := n - 1
		if n <= 0 {
			before = 0
		}
		var pts []TargetPoint
		if n <= 0 || before > 0 {
			pts = pick(rows, keys[i], before)
		}
		pts = append(pts, TargetPoint{Point: summary.Point{Period: cur.Period, Share: t.Share, Count: t.Count,
			Population: t.Population, Threshold: t.Threshold, Met: t.Met}})
		out[i] = TargetTrend{ID: t.ID, Unit: t.Unit, Points: pts}
	}
	return out, nil
}

// targetKey identifies a target result across runs: the id, the folded unit name,
// and which occurrence of that pair within its run it is.
type targetKey struct {
	id, unit string
	nth      int
}

func targetKeys(ts []summary.Target) []targetKey {
	seen := map[targetKey]int{}
	out := make([]targetKey, len(ts))
	for i, t := range ts {
		k := targetKey{t.ID, textfold.UnitKey(t.Unit), 0}
		k.nth = seen[k]
		seen[k]++
		out[i] = k
	}
	return out
}

// histRow is one stored target result of a period's latest successful run.
type histRow struct {
	key   targetKey
	point TargetPoint
}

// targetHistory reads the target results of each period's latest successful run,
// newest period first, for one target ("" = all) and before a period ("" = all).
func (db *DB) targetHistory(ctx context.Context, targetID, before string) ([]histRow, error) {
	rows, err := db.sql.QueryContext(ctx, `SELECT r.id, r.period, t.target_id, t.unit, t.population, t.count, t.share, t.threshold, t.met
		FROM target_results t JOIN runs r ON r.id = t.run_id
		WHERE r.id IN (`+latestOK+`)
		  AND (?1 = '' OR r.period < ?1)
		  AND (?2 = '' OR t.target_id = ?2)
		ORDER BY r.period DESC, t.seq`, before, targetID)
	if err != nil {
		return nil, fmt.Errorf("lịch sử: đọc chỉ tiêu các kỳ: %w", err)
	}
	defer rows.Close()
	var out []histRow
	seen := map[targetKey]int{}
	lastRun := RunID(-1)
	for rows.Next() {
		var h histRow
		var unit string
		p := &h.point
		if err := rows.Scan(&p.Run, &p.Period, &h.key.id, &unit, &p.Population, &p.Count, &p.Share, &p.Threshold, &p.Met); err != nil {
			return nil, fmt.Errorf("lịch sử: đọc chỉ tiêu các kỳ: %w", err)
		}
		if p.Run != lastRun {
			clear(seen)
			lastRun = p.Run
		}
		h.key.unit = textfold.UnitKey(unit)
		h.key.nth = seen[h.key]
		seen[h.key]++
		out = append(out, h)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("lịch sử: đọc chỉ tiêu các kỳ: %w", err)
	}
	return out, nil
}

// pick takes the points of one key from rows (newest first), at most n (all when
// n <= 0), and returns them oldest first.
func pick(rows []histRow, k targetKey, n int) []TargetPoint {
	var out []TargetPoint
	for _, h := range rows {
		if h.key != k {
			continue
		}
		if n > 0 && len(out) == n {
			break
		}
		out = append(out, h.point)
	}
	slices.Reverse(out)
	return out
}
