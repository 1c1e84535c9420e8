package history

import (
	"context"
	"database/sql"
	"fmt"
	"slices"

	"canbo/pipeline/summary"
	"canbo/pipeline/textfold"
	"canbo/pipeline/units"
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
// evaluate the target is left out rather than taken from an older run. A period's
// result is that of the unit the name means in the period's group under reg, the
// units registry of the report being made, as Compare matches units (nil: no
// registry); the first such unit when the name is in several groups.
func (db *DB) Trend(ctx context.Context, targetID, unit string, n int, reg *units.Registry) ([]TargetPoint, error) {
	return db.TrendBefore(ctx, targetID, unit, "", n, reg)
}

// TrendBefore is Trend restricted to the periods before period ("" = no limit):
// what a report for period draws before appending its own point.
func (db *DB) TrendBefore(ctx context.Context, targetID, unit, period string, n int, reg *units.Registry) ([]TargetPoint, error) {
	if period != "" {
		if err := checkPeriod(period); err != nil {
			return nil, fmt.Errorf("lịch sử: %w", err)
		}
	}
	h, err := db.targetHistory(ctx, targetID, period, reg, func(groups []string) []units.Named {
		out := make([]units.Named, len(groups))
		for i, g := range groups {
			out[i] = units.Named{Group: g, Name: unit}
		}
		return out
	})
	if err != nil {
		return nil, err
	}
	var out []TargetPoint
	last := RunID(-1)
	for _, r := range h.rows {
		if r.point.Run == last || (n > 0 && len(out) == n) {
			continue
		}
		same := r.unit == ""
		if unit != "" {
			if r.group != nil {
				same = r.unitKey == h.ids.unit(*r.group, unit)
			} else {
				same = textfold.UnitKey(r.unit) == textfold.UnitKey(unit)
			}
		}
		if same {
			out = append(out, r.point)
			last = r.point.Run
		}
	}
	slices.Reverse(out)
	return out, nil
}

// Trends returns, for every target of cur in its order, the trend over the last n
// periods (all when n <= 0) ending with cur's own result: the recorded periods
// before cur.Period, then cur. Units are matched across periods as Compare matches
// them, under reg.
func (db *DB) Trends(ctx context.Context, cur *summary.Summary, n int, reg *units.Registry) ([]TargetTrend, error) {
	if cur == nil || len(cur.Targets) == 0 {
		return nil, nil
	}
	if err := checkPeriod(cur.Period); err != nil {
		return nil, fmt.Errorf("lịch sử: %w", err)
	}
	h, err := db.targetHistory(ctx, "", cur.Period, reg, func([]string) []units.Named {
		out := make([]units.Named, len(cur.Units))
		for i, u := range cur.Units {
			out[i] = units.Named{Group: u.Group, Name: u.Unit}
		}
		return out
	})
	if err != nil {
		return nil, err
	}
	keys := h.ids.targetKeys(cur)
	out := make([]TargetTrend, len(cur.Targets))
	for i, t := range cur.Targets {
		before := n - 1
		if n <= 0 {
			before = 0
		}
		var pts []TargetPoint
		if n <= 0 || before > 0 {
			pts = pick(h.rows, keys[i], before)
		}
		pts = append(pts, TargetPoint{Point: summary.Point{Period: cur.Period, Share: t.Share, Count: t.Count,
			Population: t.Population, Threshold: t.Threshold, Met: t.Met}})
		out[i] = TargetTrend{ID: t.ID, Unit: t.Unit, Points: pts}
	}
	return out, nil
}

// histRow is one target's result for one unit in a period's latest successful run,
// the results of one unit listed under several names added up (sumTargets).
type histRow struct {
	key     string  // unitIDs.targetKeys
	unit    string  // the unit as the run named it ("" for the overall target)
	unitKey string  // the unit's key (unitIDs.unit), when group is set
	group   *string // the group of the run's unit of that name; nil when the name is in several or none
	point   TargetPoint
}

// history is what targetHistory read: the rows, newest period first, and the units'
// keys they were matched by.
type history struct {
	rows []histRow
	ids  unitIDs
}

// targetHistory reads the target results of each period's latest successful run,
// newest period first, for one target ("" = all) and before a period ("" = all), with
// the units of those runs, and identifies the units under reg together with the names
// more returns for the groups the runs have.
func (db *DB) targetHistory(ctx context.Context, targetID, before string, reg *units.Registry, more func(groups []string) []units.Named) (*history, error) {
	fail := func(err error) (*history, error) {
		return nil, fmt.Errorf("lịch sử: đọc chỉ tiêu các kỳ: %w", err)
	}
	tx, err := db.sql.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return fail(err)
	}
	defer rollback(tx)
	type run struct {
		id RunID
		s  summary.Summary
		pt []TargetPoint
	}
	var runs []*run
	at := map[RunID]*run{}
	err = each(ctx, tx, `SELECT r.id, r.period, t.target_id, t.unit, t.population, t.count, t.share, t.threshold, t.met
		FROM target_results t JOIN runs r ON r.id = t.run_id
		WHERE r.id IN (`+latestOK+`)
		  AND (?1 = '' OR r.period < ?1)
		  AND (?2 = '' OR t.target_id = ?2)
		ORDER BY r.period DESC, t.seq`, []any{before, targetID}, func(rows *sql.Rows) error {
		var p TargetPoint
		var t summary.Target
		if err := rows.Scan(&p.Run, &p.Period, &t.ID, &t.Unit, &p.Population, &p.Count, &p.Share, &p.Threshold, &p.Met); err != nil {
			return err
		}
		r := at[p.Run]
		if r == nil {
			r = &run{id: p.Run}
			at[p.Run] = r
			runs = append(runs, r)
		}
		t.Population, t.Count, t.Share, t.Threshold, t.Met = p.Population, p.Count, p.Share, p.Threshold, p.Met
		r.s.Targets = append(r.s.Targets, t)
		r.pt = append(r.pt, p)
		return nil
	})
	if err != nil {
		return fail(err)
	}
	var groups []string
	seen := map[string]bool{}
	err = each(ctx, tx, `SELECT f.run_id, f.group_name, f.unit FROM unit_figures f JOIN runs r ON r.id = f.run_id
		WHERE r.id IN (`+latestOK+`) AND (?1 = '' OR r.period < ?1) AND f.scope = 'unit' AND f.dimension = ?2
		ORDER BY f.run_id, f.seq`, []any{before, dimHeadcount}, func(rows *sql.Rows) error {
		var id RunID
		var u summary.Unit
		if err := rows.Scan(&id, &u.Group, &u.Unit); err != nil {
			return err
		}
		if r := at[id]; r != nil {
			r.s.Units = append(r.s.Units, u)
			if !seen[u.Group] {
				seen[u.Group] = true
				groups = append(groups, u.Group)
			}
		}
		return nil
	})
	if err != nil {
		return fail(err)
	}
	all := make([]*summary.Summary, len(runs))
	for i, r := range runs {
		all[i] = &r.s
	}
	h := &history{ids: newUnitIDs(reg, all, more(groups)...)}
	for _, r := range runs {
		groupOf := map[string]*string{} // unit name → its group, nil when several
		for i := range r.s.Units {
			u := &r.s.Units[i]
			if g, ok := groupOf[u.Unit]; ok && (g == nil || *g != u.Group) {
				groupOf[u.Unit] = nil
			} else if !ok {
				groupOf[u.Unit] = &u.Group
			}
		}
		ts, keys := sumTargets(r.s.Targets, h.ids.targetKeys(&r.s))
		first := map[string]int{} // key → the index of its first result, for the period and run
		for i, k := range h.ids.targetKeys(&r.s) {
			if _, ok := first[k]; !ok {
				first[k] = i
			}
		}
		for i, t := range ts {
			p := r.pt[first[keys[i]]]
			p.Population, p.Count, p.Share, p.Met = t.Population, t.Count, t.Share, t.Met
			row := histRow{key: keys[i], unit: t.Unit, point: p}
			if g := groupOf[t.Unit]; g != nil && t.Unit != "" {
				row.group, row.unitKey = g, h.ids.unit(*g, t.Unit)
			}
			h.rows = append(h.rows, row)
		}
	}
	return h, nil
}

// pick takes the points of one key from rows (newest first), at most n (all when
// n <= 0), and returns them oldest first.
func pick(rows []histRow, key string, n int) []TargetPoint {
	var out []TargetPoint
	for _, h := range rows {
		if h.key != key {
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
