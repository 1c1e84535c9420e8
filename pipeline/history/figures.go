package history

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"canbo/pipeline/summary"
)

// Pseudo-dimensions: names a field code (which starts with a letter) cannot take.
const (
	dimHeadcount = "_headcount" // unit_figures: the unit's headcount, code ''
	dimTotal     = "_total"     // training_figures: attendances, code ''
)

// storeFigures writes a summary's figures for run id. It runs inside FinishRun's
// transaction. People (below_standard) and cell-level problems are not stored.
func (db *DB) storeFigures(ctx context.Context, tx *sql.Tx, id RunID, period string, s *summary.Summary) error {
	run := int64(id)

	ins, err := tx.PrepareContext(ctx, `INSERT INTO files (run_id, seq, file, path, group_name, sha256, status, dataset, unit,
		sheet, header_rows, rows, errors, warnings, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return err
	}
	for i, f := range s.Files {
		if _, err := ins.ExecContext(ctx, run, i, f.File, f.Path, f.Group, f.SHA256, f.Status, f.Dataset, f.Unit,
			f.Sheet, joinInts(f.HeaderRows), f.Rows, f.Errors, f.Warnings, f.Reason); err != nil {
			ins.Close()
			return fmt.Errorf("tệp %s: %w", f.File, err)
		}
	}
	ins.Close()
	db.step("files")

	ins, err = tx.PrepareContext(ctx, `INSERT INTO unit_figures (run_id, period, scope, seq, group_name, unit, dimension, code, count)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return err
	}
	unit := func(scope string, seq int, u summary.Unit) error {
		put := func(dim, code string, n int) error {
			_, err := ins.ExecContext(ctx, run, period, scope, seq, u.Group, u.Unit, dim, code, n)
			return err
		}
		if err := put(dimHeadcount, "", u.Headcount); err != nil {
			return err
		}
		for _, dim := range sortedKeys(u.Breakdowns) {
			codes := u.Breakdowns[dim]
			if len(codes) == 0 {
				if err := put(dim, "", 0); err != nil {
					return err
				}
			}
			for _, code := range sortedKeys(codes) {
				if err := put(dim, code, codes[code]); err != nil {
					return err
				}
			}
		}
		return nil
	}
	err = unit("total", 0, s.Total)
	for i := 0; err == nil && i < len(s.Units); i++ {
		err = unit("unit", i, s.Units[i])
	}
	for i := 0; err == nil && i < len(s.Groups); i++ {
		err = unit("group", i, s.Groups[i])
	}
	ins.Close()
	if err != nil {
		return fmt.Errorf("cơ cấu đơn vị: %w", err)
	}
	db.step("unit_figures")

	ins, err = tx.PrepareContext(ctx, `INSERT INTO training_figures (run_id, period, scope, seq, unit, dimension, code, count)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return err
	}
	training := func(scope string, seq int, unit string, total int, byType, byFunding map[string]int) error {
		if _, err := ins.ExecContext(ctx, run, period, scope, seq, unit, dimTotal, "", total); err != nil {
			return err
		}
		for _, d := range []struct {
			dim   string
			codes map[string]int
		}{{"by_type", byType}, {"by_funding", byFunding}} {
			for _, code := range sortedKeys(d.codes) {
				if _, err := ins.ExecContext(ctx, run, period, scope, seq, unit, d.dim, code, d.codes[code]); err != nil {
					return err
				}
			}
		}
		return nil
	}
	t := s.Training
	err = training("total", 0, "", t.Total, t.ByType, t.ByFunding)
	for i := 0; err == nil && i < len(t.Units); i++ {
		u := t.Units[i]
		err = training("unit", i, u.Unit, u.Total, u.ByType, u.ByFunding)
	}
	ins.Close()
	if err != nil {
		return fmt.Errorf("đào tạo: %w", err)
	}
	db.step("training_figures")

	ins, err = tx.PrepareContext(ctx, `INSERT INTO target_results (run_id, seq, period, target_id, title, rule_set, unit,
		population, count, share, threshold, met, shortfall, deadline) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return err
	}
	for i, r := range s.Targets {
		if _, err := ins.ExecContext(ctx, run, i, period, r.ID, r.Title, r.RuleSet, r.Unit,
			r.Population, r.Count, r.Share, r.Threshold, r.Met, r.Shortfall, r.Deadline); err != nil {
			ins.Close()
			return fmt.Errorf("chỉ tiêu %s: %w", r.ID, err)
		}
	}
	ins.Close()
	db.step("target_results")

	ins, err = tx.PrepareContext(ctx, `INSERT INTO standard_results (run_id, seq, period, standard_id, title, unit, population, compliant)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return err
	}
	gap, err := tx.PrepareContext(ctx, `INSERT INTO standard_gaps (run_id, seq, field, count) VALUES (?, ?, ?, ?)`)
	if err != nil {
		ins.Close()
		return err
	}
	err = func() error {
		for i, r := range s.Standards {
			if _, err := ins.ExecContext(ctx, run, i, period, r.ID, r.Title, r.Unit, r.Population, r.Compliant); err != nil {
				return fmt.Errorf("tiêu chuẩn %s: %w", r.ID, err)
			}
			for _, f := range sortedKeys(r.Gaps) {
				if _, err := gap.ExecContext(ctx, run, i, f, r.Gaps[f]); err != nil {
					return fmt.Errorf("tiêu chuẩn %s: %w", r.ID, err)
				}
			}
		}
		return nil
	}()
	ins.Close()
	gap.Close()
	if err != nil {
		return err
	}
	db.step("standard_results")

	for _, code := range sortedKeys(s.Issues.ByCode) {
		if _, err := tx.ExecContext(ctx, `INSERT INTO issue_counts (run_id, code, count) VALUES (?, ?, ?)`,
			run, code, s.Issues.ByCode[code]); err != nil {
			return fmt.Errorf("mã lỗi %s: %w", code, err)
		}
	}
	db.step("issue_counts")
	return nil
}

// Figures reads back what run id recorded, as a summary: period, dates, files,
// units, groups, total, training, targets, standards and issue counts. The
// below-standard list and the problems are not kept, so they come back empty.
// It returns nil if there is no such run.
func (db *DB) Figures(ctx context.Context, id RunID) (*summary.Summary, error) {
	tx, err := db.sql.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, fmt.Errorf("lịch sử: đọc số liệu lần chạy %d: %w", id, err)
	}
	defer rollback(tx)
	s, err := loadFigures(ctx, tx, id)
	if err != nil {
		return nil, fmt.Errorf("lịch sử: đọc số liệu lần chạy %d: %w", id, err)
	}
	return s, nil
}

// Previous returns the figures of the period before period: those of the latest
// successful run of the most recent earlier period that has one (the month before,
// or further back if that month was never run successfully). It returns nil when
// there is none. Compare the result with the current summary using Compare.
func (db *DB) Previous(ctx context.Context, period string) (*summary.Summary, error) {
	if err := checkPeriod(period); err != nil {
		return nil, fmt.Errorf("lịch sử: %w", err)
	}
	tx, err := db.sql.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, fmt.Errorf("lịch sử: đọc kỳ trước %s: %w", period, err)
	}
	defer rollback(tx)
	var id int64
	err = tx.QueryRowContext(ctx, `SELECT id FROM runs WHERE status = 'ok' AND period <> '' AND period < ?
		ORDER BY period DESC, id DESC LIMIT 1`, period).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("lịch sử: đọc kỳ trước %s: %w", period, err)
	}
	s, err := loadFigures(ctx, tx, RunID(id))
	if err != nil {
		return nil, fmt.Errorf("lịch sử: đọc kỳ trước %s: %w", period, err)
	}
	return s, nil
}

func loadFigures(ctx context.Context, tx *sql.Tx, id RunID) (*summary.Summary, error) {
	run := int64(id)
	s := &summary.Summary{
		Files: []summary.File{}, Units: []summary.Unit{}, Targets: []summary.Target{},
		Standards: []summary.Standard{}, BelowStandard: []summary.Person{},
		Training: summary.Training{ByType: map[string]int{}, ByFunding: map[string]int{}, Units: []summary.TrainingUnit{}},
		Issues:   summary.Issues{ByCode: map[string]int{}},
	}
	err := tx.QueryRowContext(ctx, `SELECT period, as_of, generated_at, schema_version, issue_errors, issue_warnings
		FROM runs WHERE id = ?`, run).Scan(&s.Period, &s.AsOf, &s.GeneratedAt, &s.SchemaVersion, &s.Issues.Errors, &s.Issues.Warnings)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}

	err = each(ctx, tx, `SELECT file, path, group_name, sha256, status, dataset, unit, sheet, header_rows, rows, errors, warnings, reason
		FROM files WHERE run_id = ? ORDER BY seq`, []any{run}, func(rows *sql.Rows) error {
		var f summary.File
		var hdr string
		if err := rows.Scan(&f.File, &f.Path, &f.Group, &f.SHA256, &f.Status, &f.Dataset, &f.Unit, &f.Sheet, &hdr,
			&f.Rows, &f.Errors, &f.Warnings, &f.Reason); err != nil {
			return err
		}
		var err error
		f.HeaderRows, err = splitInts(hdr)
		s.Files = append(s.Files, f)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("tệp: %w", err)
	}

	var groups []summary.Unit
	err = each(ctx, tx, `SELECT scope, seq, group_name, unit, dimension, code, count FROM unit_figures
		WHERE run_id = ? ORDER BY scope, seq, dimension, code`, []any{run}, func(rows *sql.Rows) error {
		var scope, group, unit, dim, code string
		var seq, n int
		if err := rows.Scan(&scope, &seq, &group, &unit, &dim, &code, &n); err != nil {
			return err
		}
		var list *[]summary.Unit
		var u *summary.Unit
		switch scope {
		case "total":
			u = &s.Total
		case "unit":
			list = &s.Units
		case "group":
			list = &groups
		}
		if list != nil {
			if seq < 0 || seq > 1<<20 {
				return fmt.Errorf("unit_figures: seq %d", seq)
			}
			for len(*list) <= seq {
				*list = append(*list, summary.Unit{})
			}
			u = &(*list)[seq]
		}
		if u.Breakdowns == nil {
			u.Unit, u.Group, u.Breakdowns = unit, group, map[string]map[string]int{}
		}
		switch {
		case dim == dimHeadcount:
			u.Headcount = n
		case u.Breakdowns[dim] == nil:
			u.Breakdowns[dim] = map[string]int{}
			fallthrough
		default:
			if code != "" {
				u.Breakdowns[dim][code] = n
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("cơ cấu đơn vị: %w", err)
	}
	s.Groups = groups
	if s.Total.Breakdowns == nil {
		s.Total.Breakdowns = map[string]map[string]int{}
	}

	err = each(ctx, tx, `SELECT scope, seq, unit, dimension, code, count FROM training_figures
		WHERE run_id = ? ORDER BY scope, seq, dimension, code`, []any{run}, func(rows *sql.Rows) error {
		var scope, unit, dim, code string
		var seq, n int
		if err := rows.Scan(&scope, &seq, &unit, &dim, &code, &n); err != nil {
			return err
		}
		total, byType, byFunding := &s.Training.Total, s.Training.ByType, s.Training.ByFunding
		if scope == "unit" {
			if seq < 0 || seq > 1<<20 {
				return fmt.Errorf("training_figures: seq %d", seq)
			}
			us := &s.Training.Units
			for len(*us) <= seq {
				*us = append(*us, summary.TrainingUnit{ByType: map[string]int{}, ByFunding: map[string]int{}})
			}
			u := &(*us)[seq]
			u.Unit = unit
			total, byType, byFunding = &u.Total, u.ByType, u.ByFunding
		}
		switch dim {
		case dimTotal:
			*total = n
		case "by_type":
			byType[code] = n
		case "by_funding":
			byFunding[code] = n
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("đào tạo: %w", err)
	}

	err = each(ctx, tx, `SELECT target_id, title, rule_set, unit, population, count, share, threshold, met, shortfall, deadline
		FROM target_results WHERE run_id = ? ORDER BY seq`, []any{run}, func(rows *sql.Rows) error {
		var t summary.Target
		if err := rows.Scan(&t.ID, &t.Title, &t.RuleSet, &t.Unit, &t.Population, &t.Count, &t.Share, &t.Threshold,
			&t.Met, &t.Shortfall, &t.Deadline); err != nil {
			return err
		}
		s.Targets = append(s.Targets, t)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("chỉ tiêu: %w", err)
	}

	err = each(ctx, tx, `SELECT standard_id, title, unit, population, compliant FROM standard_results
		WHERE run_id = ? ORDER BY seq`, []any{run}, func(rows *sql.Rows) error {
		r := summary.Standard{Gaps: map[string]int{}}
		if err := rows.Scan(&r.ID, &r.Title, &r.Unit, &r.Population, &r.Compliant); err != nil {
			return err
		}
		s.Standards = append(s.Standards, r)
		return nil
	})
	if err == nil {
		err = each(ctx, tx, `SELECT seq, field, count FROM standard_gaps WHERE run_id = ?`, []any{run}, func(rows *sql.Rows) error {
			var seq, n int
			var field string
			if err := rows.Scan(&seq, &field, &n); err != nil {
				return err
			}
			if seq < 0 || seq >= len(s.Standards) {
				return fmt.Errorf("standard_gaps: seq %d không có trong standard_results", seq)
			}
			s.Standards[seq].Gaps[field] = n
			return nil
		})
	}
	if err != nil {
		return nil, fmt.Errorf("tiêu chuẩn: %w", err)
	}

	err = each(ctx, tx, `SELECT code, count FROM issue_counts WHERE run_id = ?`, []any{run}, func(rows *sql.Rows) error {
		var code string
		var n int
		if err := rows.Scan(&code, &n); err != nil {
			return err
		}
		s.Issues.ByCode[code] = n
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("mã lỗi: %w", err)
	}
	return s, nil
}

// each runs a query and calls fn for every row.
func each(ctx context.Context, tx *sql.Tx, query string, args []any, fn func(*sql.Rows) error) error {
	rows, err := tx.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func joinInts(xs []int) string {
	parts := make([]string, len(xs))
	for i, x := range xs {
		parts[i] = strconv.Itoa(x)
	}
	return strings.Join(parts, ",")
}

func splitInts(s string) ([]int, error) {
	out := []int{}
	if s == "" {
		return out, nil
	}
	for _, p := range strings.Split(s, ",") {
		n, err := strconv.Atoi(p)
		if err != nil {
			return nil, fmt.Errorf("header_rows %q: %w", s, err)
		}
		out = append(out, n)
	}
	return out, nil
}
