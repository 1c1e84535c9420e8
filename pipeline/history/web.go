package history

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
)

// The web page's state (package web): the units' personal links, the office's
// sessions, failed logins and the files units sent through the page. It lives in
// the history database, with its own migrations (component "web"), so that canbo
// serve keeps one crash-safe store with transactions. Secrets are never stored:
// links and sessions are kept as the SHA-256 of their token, which a token of 256
// random bits makes as good as the token for lookup and useless to a thief of the
// database.

const webComponent = "web"

var webMigrations = []migration{
	{1, "web links, sessions, login failures, uploads", []string{
		// A unit's personal link. Renewing revokes the unit's live links and adds one.
		`CREATE TABLE web_links (
			id           INTEGER PRIMARY KEY AUTOINCREMENT,
			unit         TEXT    NOT NULL,
			token_sha256 TEXT    NOT NULL UNIQUE,
			created_at   TEXT    NOT NULL,
			revoked_at   TEXT    NOT NULL DEFAULT ''
		)`,
		`CREATE INDEX web_links_unit ON web_links (unit, revoked_at)`,
		// An office user's session; csrf is the token its forms must carry.
		`CREATE TABLE web_sessions (
			id_sha256  TEXT PRIMARY KEY,
			user       TEXT NOT NULL,
			csrf       TEXT NOT NULL,
			created_at TEXT NOT NULL,
			expires_at TEXT NOT NULL
		)`,
		// Failed logins, by user name and by address, for rate limiting.
		`CREATE TABLE web_login_failures (
			key TEXT NOT NULL,
			at  TEXT NOT NULL
		)`,
		`CREATE INDEX web_login_failures_key ON web_login_failures (key, at)`,
		// A file a unit sent through its link, and what the page showed of it.
		`CREATE TABLE web_uploads (
			id       INTEGER PRIMARY KEY AUTOINCREMENT,
			link_id  INTEGER NOT NULL REFERENCES web_links (id),
			unit     TEXT    NOT NULL,
			at       TEXT    NOT NULL,
			sha256   TEXT    NOT NULL,
			name     TEXT    NOT NULL,
			status   TEXT    NOT NULL,
			period   TEXT    NOT NULL DEFAULT '',
			archived TEXT    NOT NULL DEFAULT '',
			feedback TEXT    NOT NULL DEFAULT '',
			message  TEXT    NOT NULL DEFAULT '',
			detail   TEXT    NOT NULL DEFAULT ''
		)`,
		`CREATE INDEX web_uploads_unit ON web_uploads (unit, at)`,
	}},
	{2, "web reminders", []string{
		// A reminder an office user sent a unit that had not sent its file.
		`CREATE TABLE web_reminders (
			id         INTEGER PRIMARY KEY AUTOINCREMENT,
			unit       TEXT NOT NULL,
			period     TEXT NOT NULL,
			at         TEXT NOT NULL,
			user       TEXT NOT NULL,
			address    TEXT NOT NULL,
			message_id TEXT NOT NULL
		)`,
		`CREATE INDEX web_reminders_period ON web_reminders (period, unit, at)`,
	}},
}

// OpenWeb brings the web page's tables up to date. Only the web page needs them, so
// Open leaves them alone and a database that never served a page has none.
func (db *DB) OpenWeb(ctx context.Context) error {
	if err := migrate(ctx, db.sql, webComponent, webMigrations); err != nil {
		return fmt.Errorf("lịch sử: %s: %w", db.path, err)
	}
	return nil
}

// Link is a unit's personal link, by the SHA-256 of its token.
type Link struct {
	ID        int64
	Unit      string
	TokenHash string
	CreatedAt time.Time
	RevokedAt time.Time // zero while the link works
}

// ErrNoLink is returned for a token that is no link, or a revoked one.
var ErrNoLink = errors.New("liên kết không tồn tại hoặc đã bị thu hồi")

// RenewLink revokes unit's live links and adds one with tokenHash, in one
// transaction: at no moment does the unit have two links, or none after a crash
// half-way.
func (db *DB) RenewLink(ctx context.Context, unit, tokenHash string) (Link, error) {
	if strings.TrimSpace(unit) == "" || tokenHash == "" {
		return Link{}, errors.New("lịch sử: liên kết cần tên đơn vị và mã")
	}
	now := db.now()
	tx, err := db.sql.BeginTx(ctx, nil)
	if err != nil {
		return Link{}, fmt.Errorf("lịch sử: tạo liên kết cho %s: %w", unit, err)
	}
	defer rollback(tx)
	if _, err := tx.ExecContext(ctx, `UPDATE web_links SET revoked_at = ? WHERE unit = ? AND revoked_at = ''`, formatTime(now), unit); err != nil {
		return Link{}, fmt.Errorf("lịch sử: thu hồi liên kết cũ của %s: %w", unit, err)
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO web_links (unit, token_sha256, created_at) VALUES (?, ?, ?)`, unit, tokenHash, formatTime(now))
	if err != nil {
		return Link{}, fmt.Errorf("lịch sử: tạo liên kết cho %s: %w", unit, err)
	}
	id, err := res.LastInsertId()
	if err != nil {
		return Link{}, fmt.Errorf("lịch sử: tạo liên kết cho %s: %w", unit, err)
	}
	if err := tx.Commit(); err != nil {
		return Link{}, fmt.Errorf("lịch sử: tạo liên kết cho %s: %w", unit, err)
	}
	return Link{ID: id, Unit: unit, TokenHash: tokenHash, CreatedAt: now}, nil
}

// RevokeLinks revokes every live link of unit and says how many there were.
func (db *DB) RevokeLinks(ctx context.Context, unit string) (int, error) {
	res, err := db.sql.ExecContext(ctx, `UPDATE web_links SET revoked_at = ? WHERE unit = ? AND revoked_at = ''`, formatTime(db.now()), unit)
	if err != nil {
		return 0, fmt.Errorf("lịch sử: thu hồi liên kết của %s: %w", unit, err)
	}
	n, err := res.RowsAffected()
	return int(n), err
}

// LinkByToken finds the live link whose token hashes to tokenHash, or ErrNoLink.
func (db *DB) LinkByToken(ctx context.Context, tokenHash string) (Link, error) {
	ls, err := db.links(ctx, `WHERE token_sha256 = ? AND revoked_at = ''`, tokenHash)
	if err != nil {
		return Link{}, err
	}
	if len(ls) == 0 {
		return Link{}, ErrNoLink
	}
	return ls[0], nil
}

// Links lists every link, live and revoked, oldest first.
func (db *DB) Links(ctx context.Context) ([]Link, error) {
	return db.links(ctx, `ORDER BY id`)
}

func (db *DB) links(ctx context.Context, where string, args ...any) ([]Link, error) {
	rows, err := db.sql.QueryContext(ctx, `SELECT id, unit, token_sha256, created_at, revoked_at FROM web_links `+where, args...)
	if err != nil {
		return nil, fmt.Errorf("lịch sử: đọc liên kết: %w", err)
	}
	defer rows.Close()
	var out []Link
	for rows.Next() {
		var l Link
		var created, revoked string
		if err := rows.Scan(&l.ID, &l.Unit, &l.TokenHash, &created, &revoked); err != nil {
			return nil, fmt.Errorf("lịch sử: đọc liên kết: %w", err)
		}
		if l.CreatedAt, err = parseTime(created); err != nil {
			return nil, err
		}
		if l.RevokedAt, err = parseTime(revoked); err != nil {
			return nil, err
		}
		out = append(out, l)
	}
	return out, rows.Err()
}

// Session is an office user's login, by the SHA-256 of its cookie.
type Session struct {
	IDHash    string
	User      string
	CSRF      string
	CreatedAt time.Time
	ExpiresAt time.Time
}

// ErrNoSession is returned for a cookie that is no live session.
var ErrNoSession = errors.New("phiên đăng nhập không tồn tại hoặc đã hết hạn")

// CreateSession stores a new session, dropping the expired ones on the way.
func (db *DB) CreateSession(ctx context.Context, s Session) error {
	if s.CreatedAt.IsZero() {
		s.CreatedAt = db.now()
	}
	tx, err := db.sql.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("lịch sử: tạo phiên đăng nhập: %w", err)
	}
	defer rollback(tx)
	if _, err := tx.ExecContext(ctx, `DELETE FROM web_sessions WHERE expires_at < ?`, formatTime(db.now())); err != nil {
		return fmt.Errorf("lịch sử: xóa phiên hết hạn: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO web_sessions (id_sha256, user, csrf, created_at, expires_at) VALUES (?, ?, ?, ?, ?)`,
		s.IDHash, s.User, s.CSRF, formatTime(s.CreatedAt), formatTime(s.ExpiresAt)); err != nil {
		return fmt.Errorf("lịch sử: tạo phiên đăng nhập: %w", err)
	}
	return tx.Commit()
}

// SessionByID finds a live session, or ErrNoSession.
func (db *DB) SessionByID(ctx context.Context, idHash string) (Session, error) {
	var s Session
	var created, expires string
	err := db.sql.QueryRowContext(ctx, `SELECT id_sha256, user, csrf, created_at, expires_at FROM web_sessions
		WHERE id_sha256 = ? AND expires_at >= ?`, idHash, formatTime(db.now())).Scan(&s.IDHash, &s.User, &s.CSRF, &created, &expires)
	if errors.Is(err, sql.ErrNoRows) {
		return Session{}, ErrNoSession
	}
	if err != nil {
		return Session{}, fmt.Errorf("lịch sử: đọc phiên đăng nhập: %w", err)
	}
	if s.CreatedAt, err = parseTime(created); err != nil {
		return Session{}, err
	}
	if s.ExpiresAt, err = parseTime(expires); err != nil {
		return Session{}, err
	}
	return s, nil
}

// DeleteSession ends a session (logout).
func (db *DB) DeleteSession(ctx context.Context, idHash string) error {
	if _, err := db.sql.ExecContext(ctx, `DELETE FROM web_sessions WHERE id_sha256 = ?`, idHash); err != nil {
		return fmt.Errorf("lịch sử: xóa phiên đăng nhập: %w", err)
	}
	return nil
}

// LoginFailed records a failed login under each key (the user name, the address)
// and returns, for each key, how many failures it has had since since, this one
// included: one transaction, so that concurrent guesses are all counted.
func (db *DB) LoginFailed(ctx context.Context, since time.Time, keys ...string) ([]int, error) {
	tx, err := db.sql.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("lịch sử: ghi đăng nhập sai: %w", err)
	}
	defer rollback(tx)
	now := formatTime(db.now())
	if _, err := tx.ExecContext(ctx, `DELETE FROM web_login_failures WHERE at < ?`, formatTime(since)); err != nil {
		return nil, fmt.Errorf("lịch sử: ghi đăng nhập sai: %w", err)
	}
	out := make([]int, len(keys))
	for i, k := range keys {
		if _, err := tx.ExecContext(ctx, `INSERT INTO web_login_failures (key, at) VALUES (?, ?)`, k, now); err != nil {
			return nil, fmt.Errorf("lịch sử: ghi đăng nhập sai: %w", err)
		}
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM web_login_failures WHERE key = ? AND at >= ?`, k, formatTime(since)).Scan(&out[i]); err != nil {
			return nil, fmt.Errorf("lịch sử: đếm đăng nhập sai: %w", err)
		}
	}
	return out, tx.Commit()
}

// LoginFailures says how many failed logins each key has had since since.
func (db *DB) LoginFailures(ctx context.Context, since time.Time, keys ...string) ([]int, error) {
	out := make([]int, len(keys))
	for i, k := range keys {
		if err := db.sql.QueryRowContext(ctx, `SELECT COUNT(*) FROM web_login_failures WHERE key = ? AND at >= ?`, k, formatTime(since)).Scan(&out[i]); err != nil {
			return nil, fmt.Errorf("lịch sử: đếm đăng nhập sai: %w", err)
		}
	}
	return out, nil
}

// Upload is a file a unit sent through its link.
type Upload struct {
	ID       int64
	LinkID   int64
	Unit     string
	At       time.Time
	SHA256   string
	Name     string
	Status   string // the inbox's word: accepted, rejected, duplicate, superseded-older; or refused (another unit's file)
	Period   string
	Archived string
	Feedback string // the marked workbook, "" for none
	Message  string
	Detail   string // what the page showed of it (JSON, package web's)
}

// RecordUpload adds an upload and returns its id.
func (db *DB) RecordUpload(ctx context.Context, u Upload) (int64, error) {
	if u.At.IsZero() {
		u.At = db.now()
	}
	res, err := db.sql.ExecContext(ctx, `INSERT INTO web_uploads (link_id, unit, at, sha256, name, status, period, archived, feedback, message, detail)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, u.LinkID, u.Unit, formatTime(u.At), u.SHA256, u.Name, u.Status, u.Period,
		u.Archived, u.Feedback, u.Message, u.Detail)
	if err != nil {
		return 0, fmt.Errorf("lịch sử: ghi tệp gửi qua trang web %s: %w", u.Name, err)
	}
	return res.LastInsertId()
}

// Uploads lists unit's uploads at or after since, newest first.
func (db *DB) Uploads(ctx context.Context, unit string, since time.Time) ([]Upload, error) {
	return db.uploads(ctx, `WHERE unit = ? AND at >= ? ORDER BY at DESC, id DESC`, unit, formatTime(since))
}

// UploadByID finds one upload of unit; another unit's is not found.
func (db *DB) UploadByID(ctx context.Context, unit string, id int64) (Upload, bool, error) {
	us, err := db.uploads(ctx, `WHERE unit = ? AND id = ?`, unit, id)
	if err != nil || len(us) == 0 {
		return Upload{}, false, err
	}
	return us[0], true, nil
}

func (db *DB) uploads(ctx context.Context, where string, args ...any) ([]Upload, error) {
	rows, err := db.sql.QueryContext(ctx, `SELECT id, link_id, unit, at, sha256, name, status, period, archived, feedback, message, detail
		FROM web_uploads `+where, args...)
	if err != nil {
		return nil, fmt.Errorf("lịch sử: đọc tệp gửi qua trang web: %w", err)
	}
	defer rows.Close()
	var out []Upload
	for rows.Next() {
		var u Upload
		var at string
		if err := rows.Scan(&u.ID, &u.LinkID, &u.Unit, &at, &u.SHA256, &u.Name, &u.Status, &u.Period, &u.Archived, &u.Feedback, &u.Message, &u.Detail); err != nil {
			return nil, fmt.Errorf("lịch sử: đọc tệp gửi qua trang web: %w", err)
		}
		if u.At, err = parseTime(at); err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// Reminder is a reminder mail queued for a unit that had not sent its file.
type Reminder struct {
	Unit, Period string
	At           time.Time
	User         string // the office user who asked for it
	Address      string
	MessageID    string // the outbox's id of the message
}

// RecordReminder adds a reminder.
func (db *DB) RecordReminder(ctx context.Context, r Reminder) error {
	if r.At.IsZero() {
		r.At = db.now()
	}
	if _, err := db.sql.ExecContext(ctx, `INSERT INTO web_reminders (unit, period, at, user, address, message_id) VALUES (?, ?, ?, ?, ?, ?)`,
		r.Unit, r.Period, formatTime(r.At), r.User, r.Address, r.MessageID); err != nil {
		return fmt.Errorf("lịch sử: ghi thư nhắc %s: %w", r.Unit, err)
	}
	return nil
}

// LastReminders is the latest reminder of each unit for period, by unit.
func (db *DB) LastReminders(ctx context.Context, period string) (map[string]Reminder, error) {
	rows, err := db.sql.QueryContext(ctx, `SELECT unit, period, at, user, address, message_id FROM web_reminders
		WHERE period = ? ORDER BY at, id`, period)
	if err != nil {
		return nil, fmt.Errorf("lịch sử: đọc thư nhắc: %w", err)
	}
	defer rows.Close()
	out := map[string]Reminder{}
	for rows.Next() {
		var r Reminder
		var at string
		if err := rows.Scan(&r.Unit, &r.Period, &at, &r.User, &r.Address, &r.MessageID); err != nil {
			return nil, fmt.Errorf("lịch sử: đọc thư nhắc: %w", err)
		}
		if r.At, err = parseTime(at); err != nil {
			return nil, err
		}
		out[r.Unit] = r
	}
	return out, rows.Err()
}
