package history

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// A migration moves the schema from version-1 to version. Migrations are appended,
// never edited once released: a database remembers which ones it has had.
type migration struct {
	version int
	name    string
	stmts   []string
}

// component names this package's rows in schema_migrations, so that another part
// of canbo (the web page, web.go) can keep its own tables, with its own versions, in
// the same file.
const component = "history"

// migrateSchema is the bookkeeping table itself; it never changes shape.
const migrateSchema = `CREATE TABLE IF NOT EXISTS schema_migrations (
	component  TEXT    NOT NULL,
	version    INTEGER NOT NULL,
	name       TEXT    NOT NULL,
	applied_at TEXT    NOT NULL,
	PRIMARY KEY (component, version)
)`

var migrations = []migration{
	{1, "runs, files, figures, targets, standards, received", []string{
		// One row per run, manual or scheduled. status is running until FinishRun.
		`CREATE TABLE runs (
			id             INTEGER PRIMARY KEY AUTOINCREMENT,
			period         TEXT    NOT NULL CHECK (period = '' OR period GLOB '[0-9][0-9][0-9][0-9]-[01][0-9]'),
			trigger        TEXT    NOT NULL CHECK (trigger IN ('manual', 'schedule', 'catch-up')),
			status         TEXT    NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'ok', 'failed')),
			started_at     TEXT    NOT NULL,
			finished_at    TEXT    NOT NULL DEFAULT '',
			as_of          TEXT    NOT NULL DEFAULT '',
			generated_at   TEXT    NOT NULL DEFAULT '',
			schema_version INTEGER NOT NULL DEFAULT 0,
			out_dir        TEXT    NOT NULL DEFAULT '',
			error          TEXT    NOT NULL DEFAULT '',
			issue_errors   INTEGER NOT NULL DEFAULT 0,
			issue_warnings INTEGER NOT NULL DEFAULT 0
		)`,
		`CREATE INDEX runs_period ON runs (period, status, id)`,
		// The inputs a run read, in summary order (seq).
		`CREATE TABLE files (
			run_id      INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
			seq         INTEGER NOT NULL,
			file        TEXT    NOT NULL,
			path        TEXT    NOT NULL DEFAULT '',
			group_name  TEXT    NOT NULL DEFAULT '',
			sha256      TEXT    NOT NULL DEFAULT '',
			status      TEXT    NOT NULL,
			dataset     TEXT    NOT NULL DEFAULT '',
			unit        TEXT    NOT NULL DEFAULT '',
			sheet       TEXT    NOT NULL DEFAULT '',
			header_rows TEXT    NOT NULL DEFAULT '',
			rows        INTEGER NOT NULL DEFAULT 0,
			errors      INTEGER NOT NULL DEFAULT 0,
			warnings    INTEGER NOT NULL DEFAULT 0,
			reason      TEXT    NOT NULL DEFAULT '',
			PRIMARY KEY (run_id, seq)
		)`,
		`CREATE INDEX files_sha256 ON files (sha256)`,
		// Headcount and breakdowns of each unit, group and the total. The headcount is
		// the pseudo-dimension '_headcount' with code ''; a dimension without any code
		// is kept as one row with code '' and count 0.
		`CREATE TABLE unit_figures (
			run_id     INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
			period     TEXT    NOT NULL,
			scope      TEXT    NOT NULL CHECK (scope IN ('unit', 'group', 'total')),
			seq        INTEGER NOT NULL,
			group_name TEXT    NOT NULL DEFAULT '',
			unit       TEXT    NOT NULL DEFAULT '',
			dimension  TEXT    NOT NULL,
			code       TEXT    NOT NULL DEFAULT '',
			count      INTEGER NOT NULL,
			PRIMARY KEY (run_id, scope, seq, dimension, code)
		)`,
		// Training attendances (lượt người), overall and per unit: '_total', then
		// 'by_type' and 'by_funding' codes.
		`CREATE TABLE training_figures (
			run_id    INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
			period    TEXT    NOT NULL,
			scope     TEXT    NOT NULL CHECK (scope IN ('unit', 'total')),
			seq       INTEGER NOT NULL,
			unit      TEXT    NOT NULL DEFAULT '',
			dimension TEXT    NOT NULL CHECK (dimension IN ('_total', 'by_type', 'by_funding')),
			code      TEXT    NOT NULL DEFAULT '',
			count     INTEGER NOT NULL,
			PRIMARY KEY (run_id, scope, seq, dimension, code)
		)`,
		`CREATE TABLE target_results (
			run_id     INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
			seq        INTEGER NOT NULL,
			period     TEXT    NOT NULL,
			target_id  TEXT    NOT NULL,
			title      TEXT    NOT NULL DEFAULT '',
			rule_set   TEXT    NOT NULL DEFAULT '',
			unit       TEXT    NOT NULL DEFAULT '',
			population INTEGER NOT NULL,
			count      INTEGER NOT NULL,
			share      REAL    NOT NULL,
			threshold  REAL    NOT NULL,
			met        INTEGER NOT NULL CHECK (met IN (0, 1)),
			shortfall  INTEGER NOT NULL,
			deadline   TEXT    NOT NULL DEFAULT '',
			PRIMARY KEY (run_id, seq)
		)`,
		`CREATE INDEX target_results_target ON target_results (target_id, run_id)`,
		`CREATE TABLE standard_results (
			run_id      INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
			seq         INTEGER NOT NULL,
			period      TEXT    NOT NULL,
			standard_id TEXT    NOT NULL,
			title       TEXT    NOT NULL DEFAULT '',
			unit        TEXT    NOT NULL DEFAULT '',
			population  INTEGER NOT NULL,
			compliant   INTEGER NOT NULL,
			PRIMARY KEY (run_id, seq)
		)`,
		`CREATE TABLE standard_gaps (
			run_id INTEGER NOT NULL,
			seq    INTEGER NOT NULL,
			field  TEXT    NOT NULL,
			count  INTEGER NOT NULL,
			PRIMARY KEY (run_id, seq, field),
			FOREIGN KEY (run_id, seq) REFERENCES standard_results (run_id, seq) ON DELETE CASCADE
		)`,
		`CREATE TABLE issue_counts (
			run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
			code   TEXT    NOT NULL,
			count  INTEGER NOT NULL,
			PRIMARY KEY (run_id, code)
		)`,
		// What the inbox received: one row per event, never updated.
		`CREATE TABLE received (
			id            INTEGER PRIMARY KEY AUTOINCREMENT,
			received_at   TEXT    NOT NULL,
			sha256        TEXT    NOT NULL,
			original_name TEXT    NOT NULL,
			unit          TEXT    NOT NULL DEFAULT '',
			period        TEXT    NOT NULL DEFAULT '',
			status        TEXT    NOT NULL CHECK (status IN ('accepted', 'rejected', 'duplicate', 'superseded', 'superseded-older')),
			archived_path TEXT    NOT NULL DEFAULT '',
			reason        TEXT    NOT NULL DEFAULT ''
		)`,
		`CREATE INDEX received_at ON received (received_at, id)`,
		`CREATE INDEX received_sha256 ON received (sha256)`,
	}},
	// The mail outbox (package mail) moved here from the folder STATE/outbox/, so that a
	// message and its state change in one transaction (outbox.go). It is a migration of
	// the history, not a component of its own: a canbo older than this refuses the
	// database ("made by a newer canbo") instead of going back to an outbox folder that
	// no longer holds what is still to send.
	{2, "outbox: messages, bodies, delivery claim", []string{
		// One row per queued message. One message per key is the outbox's rule, not a
		// constraint: a deliberate resend adds a second sent message of its key.
		`CREATE TABLE outbox_messages (
			id            TEXT    PRIMARY KEY,
			key           TEXT    NOT NULL,
			kind          TEXT    NOT NULL,
			period        TEXT    NOT NULL DEFAULT '',
			unit          TEXT    NOT NULL DEFAULT '',
			message_id    TEXT    NOT NULL,
			subject       TEXT    NOT NULL DEFAULT '',
			sender        TEXT    NOT NULL DEFAULT '',
			recipients    TEXT    NOT NULL DEFAULT '[]',
			size          INTEGER NOT NULL DEFAULT 0,
			state         TEXT    NOT NULL CHECK (state IN ('queued', 'sending', 'sent', 'held')),
			attempts      INTEGER NOT NULL DEFAULT 0,
			last_error    TEXT    NOT NULL DEFAULT '',
			last_attempt  TEXT    NOT NULL DEFAULT '',
			next_attempt  TEXT    NOT NULL DEFAULT '',
			created_at    TEXT    NOT NULL,
			sending_since TEXT    NOT NULL DEFAULT '',
			uncertain     INTEGER NOT NULL DEFAULT 0 CHECK (uncertain IN (0, 1)),
			sent_at       TEXT    NOT NULL DEFAULT '',
			response      TEXT    NOT NULL DEFAULT '',
			resend        INTEGER NOT NULL DEFAULT 0,
			replaces      TEXT    NOT NULL DEFAULT '[]'
		)`,
		`CREATE INDEX outbox_messages_key ON outbox_messages (key)`,
		`CREATE INDEX outbox_messages_state ON outbox_messages (state, created_at)`,
		// The message as the server gets it (.eml bytes). Apart from its row so that
		// listing the outbox does not read the attachments; a sent message imported
		// from an outbox folder whose .eml had been deleted has none.
		`CREATE TABLE outbox_bodies (
			id  TEXT PRIMARY KEY REFERENCES outbox_messages (id) ON DELETE CASCADE,
			eml BLOB NOT NULL
		)`,
		// Who is delivering: one row, taken for a delivery pass. owner is '' when
		// nobody is.
		`CREATE TABLE outbox_claim (
			id         INTEGER PRIMARY KEY CHECK (id = 1),
			owner      TEXT    NOT NULL,
			host       TEXT    NOT NULL DEFAULT '',
			pid        INTEGER NOT NULL DEFAULT 0,
			taken_at   TEXT    NOT NULL DEFAULT '',
			expires_at TEXT    NOT NULL DEFAULT ''
		)`,
	}},
	// Sent messages' bytes are deleted after serve.yaml's mail.keep_sent_days (package
	// mail, Outbox.Prune): the row stays, as the record that the period was sent, and
	// says when its body went, so that status and send can say so instead of failing.
	{3, "outbox: body_pruned_at", []string{
		`ALTER TABLE outbox_messages ADD COLUMN body_pruned_at TEXT NOT NULL DEFAULT ''`,
	}},
}

// migrate applies, in order and each in its own transaction, the migrations of
// comp that the database has not had. It is idempotent, and safe when two
// processes open a new database at once: the write lock is taken before the
// applied versions are read.
func migrate(ctx context.Context, db *sql.DB, comp string, ms []migration) error {
	if _, err := db.ExecContext(ctx, migrateSchema); err != nil {
		return fmt.Errorf("tạo bảng schema_migrations: %w", err)
	}
	latest := 0
	for _, m := range ms {
		if m.version != latest+1 {
			return fmt.Errorf("migration %d (%s) không liền sau %d", m.version, m.name, latest) // a programming error
		}
		latest = m.version
	}
	var have int
	if err := db.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations WHERE component = ?`, comp).Scan(&have); err != nil {
		return fmt.Errorf("đọc schema_migrations: %w", err)
	}
	if have == latest {
		return nil // the usual case: nothing to do, no write lock taken
	}
	for _, m := range ms {
		if err := apply(ctx, db, comp, m, latest); err != nil {
			return err
		}
	}
	return nil
}

func apply(ctx context.Context, db *sql.DB, comp string, m migration, latest int) error {
	tx, err := db.BeginTx(ctx, nil) // BEGIN IMMEDIATE: the write lock first
	if err != nil {
		return fmt.Errorf("migration %d: %w", m.version, err)
	}
	defer rollback(tx)
	var have int
	if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations WHERE component = ?`, comp).Scan(&have); err != nil {
		return fmt.Errorf("đọc schema_migrations: %w", err)
	}
	if have > latest {
		return fmt.Errorf("cơ sở dữ liệu do một phiên bản canbo mới hơn tạo (lược đồ %s phiên bản %d, bản này chỉ biết tới %d); hãy dùng bản canbo mới hơn", comp, have, latest)
	}
	if have >= m.version {
		return nil
	}
	for _, s := range m.stmts {
		if _, err := tx.ExecContext(ctx, s); err != nil {
			return fmt.Errorf("migration %d (%s): %w", m.version, m.name, err)
		}
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (component, version, name, applied_at) VALUES (?, ?, ?, ?)`,
		comp, m.version, m.name, formatTime(time.Now())); err != nil {
		return fmt.Errorf("migration %d: %w", m.version, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("migration %d: %w", m.version, err)
	}
	return nil
}
