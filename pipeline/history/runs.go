package history

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"canbo/pipeline/summary"
)

// RunID identifies a run. IDs only grow: a later run has a larger ID.
type RunID int64

// What started a run.
const (
	TriggerManual   = "manual"   // canbo run, or a run asked for by hand
	TriggerSchedule = "schedule" // the monthly schedule, on time
	TriggerCatchUp  = "catch-up" // the schedule's run for a period it missed (the machine was off)
)

// A run's status.
const (
	StatusRunning = "running" // started, not finished (or the process died: see AbandonRunning)
	StatusOK      = "ok"      // the report was written and the figures recorded
	StatusFailed  = "failed"  // see Run.Error
)

// Run is one run as `canbo status` shows it.
type Run struct {
	ID          RunID     `json:"id"`
	Period      string    `json:"period"` // YYYY-MM; "" while a run started without one has not finished
	Trigger     string    `json:"trigger"`
	Status      string    `json:"status"`
	StartedAt   time.Time `json:"started_at"`
	FinishedAt  time.Time `json:"finished_at"` // zero while running
	AsOf        string    `json:"as_of"`       // the summary's as-of date
	GeneratedAt string    `json:"generated_at"`
	OutDir      string    `json:"out_dir"` // OUT/YYYY-MM
	Error       string    `json:"error"`   // why it failed
	Headcount   int       `json:"headcount"`
	Files       int       `json:"files"`    // inputs listed
	Accepted    int       `json:"accepted"` // of them, used
	Targets     int       `json:"targets"`  // target results
	TargetsMet  int       `json:"targets_met"`
	Errors      int       `json:"errors"` // data problems
	Warnings    int       `json:"warnings"`
}

// Record runs make (a report for period, started by trigger) between StartRun and
// FinishRun, so that every run is in the history with its figures or its cause of
// failure, whatever make returns. make returns the summary and the report folder when
// it got that far, even with an error. Record returns make's error, else FinishRun's.
// FinishRun is called even when ctx is cancelled: a stopped run is recorded as failed.
func (db *DB) Record(ctx context.Context, period, trigger string, make func() (*summary.Summary, string, error)) error {
	id, err := db.StartRun(ctx, period, trigger)
	if err != nil {
		return err
	}
	s, dir, runErr := make()
	if ferr := db.FinishRun(context.WithoutCancel(ctx), id, s, dir, runErr); ferr != nil && runErr == nil {
		return ferr
	}
	return runErr
}

// StartRun records that a run for period (YYYY-MM, or "" when the period is only
// known from the inputs) has started, and returns its ID for FinishRun.
func (db *DB) StartRun(ctx context.Context, period, trigger string) (RunID, error) {
	if period != "" {
		if err := checkPeriod(period); err != nil {
			return 0, fmt.Errorf("lịch sử: %w", err)
		}
	}
	switch trigger {
	case TriggerManual, TriggerSchedule, TriggerCatchUp:
	default:
		return 0, fmt.Errorf("lịch sử: cách khởi động %q không hợp lệ (manual, schedule, catch-up)", trigger)
	}
	res, err := db.sql.ExecContext(ctx, `INSERT INTO runs (period, trigger, status, started_at) VALUES (?, ?, 'running', ?)`,
		period, trigger, formatTime(db.now()))
	if err != nil {
		return 0, fmt.Errorf("lịch sử: ghi lần chạy: %w", err)
	}
	id, err := res.LastInsertId()
	if err != nil {
		return 0, fmt.Errorf("lịch sử: ghi lần chạy: %w", err)
	}
	return RunID(id), nil
}

// ErrNotRunning is returned by FinishRun for a run that is unknown or already
// finished.
var ErrNotRunning = errors.New("lần chạy không tồn tại hoặc đã kết thúc")

// FinishRun records how run id ended, in one transaction: with runErr nil it is
// marked ok and the summary's figures become the period's figures; with runErr set
// it is marked failed with the error's text, and the figures (if s is not nil) are
// kept for inspection only. outDir is the period's report folder.
//
// If the transaction cannot be committed (the context is cancelled, the disk is
// full, the database is closed), nothing of it is stored; FinishRun then tries, on
// a short context of its own, to mark the run failed, and returns the error. A run
// is never left marked ok with part of its figures.
func (db *DB) FinishRun(ctx context.Context, id RunID, s *summary.Summary, outDir string, runErr error) error {
	err := db.finish(ctx, id, s, outDir, runErr)
	if err == nil || errors.Is(err, ErrNotRunning) {
		return err
	}
	if cerr := ctx.Err(); cerr != nil && !errors.Is(err, cerr) {
		// database/sql may roll back first and report only "transaction done".
		err = fmt.Errorf("%w (%w)", err, cerr)
	}
	// Best effort: say so in the run, so that status does not show it as running.
	mctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	var runMsg string
	if runErr != nil {
		runMsg = runErr.Error()
	}
	msg := joinErrors(runMsg, "ghi kết quả vào lịch sử thất bại: "+err.Error())
	_, _ = db.sql.ExecContext(mctx, `UPDATE runs SET status = 'failed', finished_at = ?, out_dir = ?, error = ? WHERE id = ? AND status = 'running'`,
		formatTime(db.now()), outDir, msg, int64(id))
	return err
}

func (db *DB) finish(ctx context.Context, id RunID, s *summary.Summary, outDir string, runErr error) error {
	tx, err := db.sql.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("lịch sử: ghi kết quả lần chạy %d: %w", id, err)
	}
	defer rollback(tx)
	var period string
	switch err := tx.QueryRowContext(ctx, `SELECT period FROM runs WHERE id = ? AND status = 'running'`, int64(id)).Scan(&period); {
	case errors.Is(err, sql.ErrNoRows):
		return fmt.Errorf("lịch sử: lần chạy %d: %w", id, ErrNotRunning)
	case err != nil:
		return fmt.Errorf("lịch sử: ghi kết quả lần chạy %d: %w", id, err)
	}
	status, msg := StatusOK, ""
	if runErr != nil {
		status, msg = StatusFailed, runErr.Error()
	}
	if s == nil && runErr == nil {
		status, msg = StatusFailed, "không có kết quả (summary)"
	}
	var asOf, generated string
	var schemaVersion, errs, warns int
	if s != nil {
		if s.Period != "" {
			if err := checkPeriod(s.Period); err != nil {
				return fmt.Errorf("lịch sử: lần chạy %d: %w", id, err)
			}
			if period != "" && s.Period != period {
				return fmt.Errorf("lịch sử: lần chạy %d được bắt đầu cho kỳ %s nhưng kết quả là của kỳ %s", id, period, s.Period)
			}
			period = s.Period
		}
		asOf, generated, schemaVersion = s.AsOf, s.GeneratedAt, s.SchemaVersion
		errs, warns = s.Issues.Errors, s.Issues.Warnings
	}
	if status == StatusOK && period == "" {
		status, msg = StatusFailed, "kết quả không ghi kỳ báo cáo"
	}
	if _, err := tx.ExecContext(ctx, `UPDATE runs SET period = ?, status = ?, finished_at = ?, as_of = ?, generated_at = ?,
		schema_version = ?, out_dir = ?, error = ?, issue_errors = ?, issue_warnings = ? WHERE id = ?`,
		period, status, formatTime(db.now()), asOf, generated, schemaVersion, outDir, msg, errs, warns, int64(id)); err != nil {
		return fmt.Errorf("lịch sử: ghi kết quả lần chạy %d: %w", id, err)
	}
	db.step("runs")
	if s != nil {
		if err := db.storeFigures(ctx, tx, id, period, s); err != nil {
			return fmt.Errorf("lịch sử: ghi số liệu lần chạy %d: %w", id, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("lịch sử: ghi kết quả lần chạy %d: %w", id, err)
	}
	return nil
}

// step calls the test hook, if any.
func (db *DB) step(table string) {
	if db.hook != nil {
		db.hook(table)
	}
}

// AbandonRunning marks every run still "running" as failed, for a process that
// starts after a crash: those runs will never finish. Call it only when no other
// process can be running a report on the same database (canbo serve at start, not
// canbo run). It returns how many runs it marked.
func (db *DB) AbandonRunning(ctx context.Context, reason string) (int, error) {
	if reason == "" {
		reason = "bị gián đoạn: chương trình dừng trước khi lần chạy kết thúc"
	}
	res, err := db.sql.ExecContext(ctx, `UPDATE runs SET status = 'failed', finished_at = ?, error = ? WHERE status = 'running'`,
		formatTime(db.now()), reason)
	if err != nil {
		return 0, fmt.Errorf("lịch sử: đánh dấu lần chạy dở: %w", err)
	}
	n, err := res.RowsAffected()
	return int(n), err
}

// runColumns reads a Run with its counts; joined to runs r.
const runColumns = `r.id, r.period, r.trigger, r.status, r.started_at, r.finished_at, r.as_of, r.generated_at,
	r.out_dir, r.error, r.issue_errors, r.issue_warnings,
	COALESCE((SELECT count FROM unit_figures f WHERE f.run_id = r.id AND f.scope = 'total' AND f.dimension = '_headcount'), 0),
	(SELECT COUNT(*) FROM files f WHERE f.run_id = r.id),
	(SELECT COUNT(*) FROM files f WHERE f.run_id = r.id AND f.status = 'accepted'),
	(SELECT COUNT(*) FROM target_results t WHERE t.run_id = r.id),
	(SELECT COUNT(*) FROM target_results t WHERE t.run_id = r.id AND t.met = 1)`

func scanRun(sc interface{ Scan(...any) error }) (Run, error) {
	var r Run
	var started, finished string
	err := sc.Scan(&r.ID, &r.Period, &r.Trigger, &r.Status, &started, &finished, &r.AsOf, &r.GeneratedAt,
		&r.OutDir, &r.Error, &r.Errors, &r.Warnings, &r.Headcount, &r.Files, &r.Accepted, &r.Targets, &r.TargetsMet)
	if err != nil {
		return r, err
	}
	if r.StartedAt, err = parseTime(started); err != nil {
		return r, err
	}
	r.FinishedAt, err = parseTime(finished)
	return r, err
}

// Run returns run id, or nil if there is none.
func (db *DB) Run(ctx context.Context, id RunID) (*Run, error) {
	r, err := scanRun(db.sql.QueryRowContext(ctx, `SELECT `+runColumns+` FROM runs r WHERE r.id = ?`, int64(id)))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("lịch sử: đọc lần chạy %d: %w", id, err)
	}
	return &r, nil
}

// LastRun returns the latest run for period, whatever its status, or nil if the
// period has never been run.
func (db *DB) LastRun(ctx context.Context, period string) (*Run, error) {
	r, err := scanRun(db.sql.QueryRowContext(ctx, `SELECT `+runColumns+` FROM runs r WHERE r.period = ? ORDER BY r.id DESC LIMIT 1`, period))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("lịch sử: đọc lần chạy kỳ %s: %w", period, err)
	}
	return &r, nil
}

// Runs returns the latest n runs, newest first (all of them when n <= 0).
func (db *DB) Runs(ctx context.Context, n int) ([]Run, error) {
	if n <= 0 {
		n = -1 // SQLite: no limit
	}
	rows, err := db.sql.QueryContext(ctx, `SELECT `+runColumns+` FROM runs r ORDER BY r.id DESC LIMIT ?`, n)
	if err != nil {
		return nil, fmt.Errorf("lịch sử: đọc các lần chạy: %w", err)
	}
	defer rows.Close()
	var out []Run
	for rows.Next() {
		r, err := scanRun(rows)
		if err != nil {
			return nil, fmt.Errorf("lịch sử: đọc các lần chạy: %w", err)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("lịch sử: đọc các lần chạy: %w", err)
	}
	return out, nil
}

// MissedRun reports whether period still lacks a successful scheduled run (on
// time or caught up). A manual run does not count: a clerk's trial run mid-month
// neither sends the report nor sees the month's last files. The scheduler calls it
// at start for the period that is due, and runs it (TriggerCatchUp) if true.
func (db *DB) MissedRun(ctx context.Context, period string) (bool, error) {
	if err := checkPeriod(period); err != nil {
		return false, fmt.Errorf("lịch sử: %w", err)
	}
	var done bool
	err := db.sql.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM runs WHERE period = ? AND status = 'ok'
		AND trigger IN ('schedule', 'catch-up'))`, period).Scan(&done)
	if err != nil {
		return false, fmt.Errorf("lịch sử: đọc lần chạy kỳ %s: %w", period, err)
	}
	return !done, nil
}

// latestOK is the SQL for the IDs of the latest successful run of each period.
const latestOK = `SELECT MAX(id) FROM runs WHERE status = 'ok' AND period <> '' GROUP BY period`

// joinErrors is a helper for messages built from several parts.
func joinErrors(parts ...string) string {
	var out []string
	for _, p := range parts {
		if p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, "; ")
}
