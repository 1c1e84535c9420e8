package history

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// The mail outbox's tables (migration 2). Package mail keeps the rules — one message
// per key, what replaces what, retries, the claim's liveness — and this file only
// stores: rows in, rows out, inside a transaction the caller's function runs in. So
// data flows one way, mail → history, and history needs nothing of mail (SMTP,
// messages, templates); and the SQL stays beside the migration that made its tables.

// OutboxMessage is one row of outbox_messages: a message, its identity and where its
// delivery stands. Package mail's Entry documents each field.
type OutboxMessage struct {
	ID, Key, Kind, Period, Unit string
	MessageID, Subject, From    string
	Recipients                  []string
	Size                        int64
	State                       string // queued, sending, sent or held
	Attempts                    int
	LastError                   string
	LastAttempt, NextAttempt    time.Time
	Created, SendingSince       time.Time
	Uncertain                   bool
	SentAt                      time.Time
	Response                    string
	Resend                      int
	Replaces                    []string
	BodyPruned                  time.Time // when its bytes were deleted (PruneBodies); zero while it has them
}

// OutboxClaim is the row saying who delivers: the Outbox (Owner, a token of its own)
// of which process (PID on Host), until when unless renewed.
type OutboxClaim struct {
	Owner     string // "" when nobody delivers
	Host      string
	PID       int
	TakenAt   time.Time
	ExpiresAt time.Time
}

// OutboxTx is a transaction on the outbox's tables, given to the function of
// OutboxWrite or OutboxRead; it is valid only while that function runs.
type OutboxTx struct {
	ctx context.Context
	tx  *sql.Tx
}

// OutboxWrite runs fn in one write transaction, committed if fn returns nil. The
// write lock is taken at BEGIN (IMMEDIATE), so what fn reads stays true until the
// commit: two processes cannot both find a message due and both claim it.
func (db *DB) OutboxWrite(ctx context.Context, fn func(*OutboxTx) error) error {
	return db.outboxTx(ctx, nil, fn)
}

// OutboxRead runs fn in a deferred transaction, for reading: one consistent view,
// and no write lock, so it never waits for a writer nor holds one up (WAL). The
// driver does not forbid writes in it; fn must not write.
func (db *DB) OutboxRead(ctx context.Context, fn func(*OutboxTx) error) error {
	return db.outboxTx(ctx, &sql.TxOptions{ReadOnly: true}, fn)
}

func (db *DB) outboxTx(ctx context.Context, opts *sql.TxOptions, fn func(*OutboxTx) error) error {
	tx, err := db.sql.BeginTx(ctx, opts)
	if err != nil {
		return fmt.Errorf("lịch sử: hộp thư đi: %w", err)
	}
	defer rollback(tx)
	if err := fn(&OutboxTx{ctx: ctx, tx: tx}); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("lịch sử: hộp thư đi: %w", err)
	}
	return nil
}

const outboxColumns = `id, key, kind, period, unit, message_id, subject, sender, recipients, size, state, attempts,
	last_error, last_attempt, next_attempt, created_at, sending_since, uncertain, sent_at, response, resend, replaces, body_pruned_at`

// Message is the message with this id; false if there is none.
func (t *OutboxTx) Message(id string) (OutboxMessage, bool, error) {
	ms, err := t.messages(`WHERE id = ?`, id)
	if err != nil || len(ms) == 0 {
		return OutboxMessage{}, false, err
	}
	return ms[0], true, nil
}

// WithKey lists the messages of a key (kind/period[/unit[/ref]]), oldest first.
func (t *OutboxTx) WithKey(key string) ([]OutboxMessage, error) {
	return t.messages(`WHERE key = ? ORDER BY created_at, id`, key)
}

// Unsent lists the messages not yet sent, oldest first.
func (t *OutboxTx) Unsent() ([]OutboxMessage, error) {
	return t.messages(`WHERE state <> 'sent' ORDER BY created_at, id`)
}

// All lists every message, oldest first.
func (t *OutboxTx) All() ([]OutboxMessage, error) {
	return t.messages(`ORDER BY created_at, id`)
}

func (t *OutboxTx) messages(where string, args ...any) ([]OutboxMessage, error) {
	rows, err := t.tx.QueryContext(t.ctx, `SELECT `+outboxColumns+` FROM outbox_messages `+where, args...)
	if err != nil {
		return nil, fmt.Errorf("lịch sử: đọc hộp thư đi: %w", err)
	}
	defer rows.Close()
	var out []OutboxMessage
	for rows.Next() {
		var m OutboxMessage
		var rcpt, replaces string
		var times [6]string
		if err := rows.Scan(&m.ID, &m.Key, &m.Kind, &m.Period, &m.Unit, &m.MessageID, &m.Subject, &m.From, &rcpt, &m.Size,
			&m.State, &m.Attempts, &m.LastError, &times[0], &times[1], &times[2], &times[3], &m.Uncertain, &times[4],
			&m.Response, &m.Resend, &replaces, &times[5]); err != nil {
			return nil, fmt.Errorf("lịch sử: đọc hộp thư đi: %w", err)
		}
		for i, p := range []*time.Time{&m.LastAttempt, &m.NextAttempt, &m.Created, &m.SendingSince, &m.SentAt, &m.BodyPruned} {
			if *p, err = parseTime(times[i]); err != nil {
				return nil, err
			}
		}
		if err := errors.Join(json.Unmarshal([]byte(rcpt), &m.Recipients), json.Unmarshal([]byte(replaces), &m.Replaces)); err != nil {
			return nil, fmt.Errorf("lịch sử: thư %s: %w", m.ID, err)
		}
		out = append(out, m)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("lịch sử: đọc hộp thư đi: %w", err)
	}
	return out, nil
}

// Insert adds m with its bytes (eml; nil for none), unless a message with its id is
// there already: then nothing changes and Insert returns false. Importing the same
// folder twice is therefore harmless.
func (t *OutboxTx) Insert(m OutboxMessage, eml []byte) (bool, error) {
	rcpt, err := json.Marshal(nonNil(m.Recipients))
	if err != nil {
		return false, err
	}
	replaces, err := json.Marshal(nonNil(m.Replaces))
	if err != nil {
		return false, err
	}
	res, err := t.tx.ExecContext(t.ctx, `INSERT OR IGNORE INTO outbox_messages (`+outboxColumns+`)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		m.ID, m.Key, m.Kind, m.Period, m.Unit, m.MessageID, m.Subject, m.From, string(rcpt), m.Size, m.State, m.Attempts,
		m.LastError, formatTime(m.LastAttempt), formatTime(m.NextAttempt), formatTime(m.Created), formatTime(m.SendingSince),
		m.Uncertain, formatTime(m.SentAt), m.Response, m.Resend, string(replaces), formatTime(m.BodyPruned))
	if err != nil {
		return false, fmt.Errorf("lịch sử: ghi thư %s vào hộp thư đi: %w", m.ID, err)
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return false, err
	}
	if eml != nil {
		if _, err := t.tx.ExecContext(t.ctx, `INSERT INTO outbox_bodies (id, eml) VALUES (?, ?)`, m.ID, eml); err != nil {
			return false, fmt.Errorf("lịch sử: ghi thư %s vào hộp thư đi: %w", m.ID, err)
		}
	}
	return true, nil
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// Update writes what delivery changes of m (state, attempts, errors, times, the
// server's reply); its identity, recipients and bytes never change.
func (t *OutboxTx) Update(m OutboxMessage) error {
	res, err := t.tx.ExecContext(t.ctx, `UPDATE outbox_messages SET state = ?, attempts = ?, last_error = ?, last_attempt = ?,
		next_attempt = ?, sending_since = ?, uncertain = ?, sent_at = ?, response = ? WHERE id = ?`,
		m.State, m.Attempts, m.LastError, formatTime(m.LastAttempt), formatTime(m.NextAttempt), formatTime(m.SendingSince),
		m.Uncertain, formatTime(m.SentAt), m.Response, m.ID)
	if err != nil {
		return fmt.Errorf("lịch sử: ghi trạng thái thư %s: %w", m.ID, err)
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		return fmt.Errorf("lịch sử: ghi trạng thái thư %s: không có thư này (%v)", m.ID, err)
	}
	return nil
}

// Delete removes a message and its bytes.
func (t *OutboxTx) Delete(id string) error {
	if _, err := t.tx.ExecContext(t.ctx, `DELETE FROM outbox_messages WHERE id = ?`, id); err != nil {
		return fmt.Errorf("lịch sử: xóa thư %s khỏi hộp thư đi: %w", id, err)
	}
	return nil
}

// Body is a message's bytes; nil if it has none.
func (t *OutboxTx) Body(id string) ([]byte, error) {
	var eml []byte
	err := t.tx.QueryRowContext(t.ctx, `SELECT eml FROM outbox_bodies WHERE id = ?`, id).Scan(&eml)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("lịch sử: đọc thư %s: %w", id, err)
	}
	return eml, nil
}

// PruneBodies deletes the bytes of every message sent before sentBefore that still
// has them, and marks its row pruned at now; the row (subject, recipients,
// Message-ID, the server's reply) stays, as the record that its period was sent.
// It returns how many messages lost their bytes and how many bytes those were. The
// pages freed stay in the file, on SQLite's free list, and are reused by the
// messages queued after: the file stops growing rather than shrinking.
func (t *OutboxTx) PruneBodies(sentBefore, now time.Time) (n int, freed int64, err error) {
	const due = `SELECT m.id FROM outbox_messages m JOIN outbox_bodies b ON b.id = m.id
		WHERE m.state = 'sent' AND m.sent_at <> '' AND m.sent_at < ?`
	cut := formatTime(sentBefore)
	if err := t.tx.QueryRowContext(t.ctx, `SELECT COUNT(*), COALESCE(SUM(length(eml)), 0) FROM outbox_bodies WHERE id IN (`+due+`)`, cut).
		Scan(&n, &freed); err != nil {
		return 0, 0, fmt.Errorf("lịch sử: tìm thư đã gửi quá hạn lưu: %w", err)
	}
	if n == 0 {
		return 0, 0, nil
	}
	if _, err := t.tx.ExecContext(t.ctx, `UPDATE outbox_messages SET body_pruned_at = ? WHERE id IN (`+due+`)`, formatTime(now), cut); err != nil {
		return 0, 0, fmt.Errorf("lịch sử: đánh dấu thư đã xóa nội dung: %w", err)
	}
	if _, err := t.tx.ExecContext(t.ctx, `DELETE FROM outbox_bodies WHERE id IN (`+due+`)`, cut); err != nil {
		return 0, 0, fmt.Errorf("lịch sử: xóa nội dung thư đã gửi: %w", err)
	}
	return n, freed, nil
}

// Claim is who delivers (Owner "" when nobody has claimed it yet, or it was released).
func (t *OutboxTx) Claim() (OutboxClaim, error) {
	var c OutboxClaim
	var taken, expires string
	err := t.tx.QueryRowContext(t.ctx, `SELECT owner, host, pid, taken_at, expires_at FROM outbox_claim WHERE id = 1`).
		Scan(&c.Owner, &c.Host, &c.PID, &taken, &expires)
	if errors.Is(err, sql.ErrNoRows) {
		return OutboxClaim{}, nil
	}
	if err != nil {
		return OutboxClaim{}, fmt.Errorf("lịch sử: đọc quyền gửi thư: %w", err)
	}
	if c.TakenAt, err = parseTime(taken); err != nil {
		return OutboxClaim{}, err
	}
	if c.ExpiresAt, err = parseTime(expires); err != nil {
		return OutboxClaim{}, err
	}
	return c, nil
}

// SetClaim writes who delivers, whoever held it before.
func (t *OutboxTx) SetClaim(c OutboxClaim) error {
	if _, err := t.tx.ExecContext(t.ctx, `INSERT INTO outbox_claim (id, owner, host, pid, taken_at, expires_at) VALUES (1, ?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET owner = excluded.owner, host = excluded.host, pid = excluded.pid,
			taken_at = excluded.taken_at, expires_at = excluded.expires_at`,
		c.Owner, c.Host, c.PID, formatTime(c.TakenAt), formatTime(c.ExpiresAt)); err != nil {
		return fmt.Errorf("lịch sử: ghi quyền gửi thư: %w", err)
	}
	return nil
}

// RenewClaim moves the claim's expiry to until if owner still holds it, and says
// whether it does.
func (t *OutboxTx) RenewClaim(owner string, until time.Time) (bool, error) {
	res, err := t.tx.ExecContext(t.ctx, `UPDATE outbox_claim SET expires_at = ? WHERE id = 1 AND owner = ? AND owner <> ''`,
		formatTime(until), owner)
	if err != nil {
		return false, fmt.Errorf("lịch sử: gia hạn quyền gửi thư: %w", err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// ReleaseClaim gives the claim up if owner holds it.
func (t *OutboxTx) ReleaseClaim(owner string) error {
	if _, err := t.tx.ExecContext(t.ctx, `UPDATE outbox_claim SET owner = '', expires_at = '' WHERE id = 1 AND owner = ?`, owner); err != nil {
		return fmt.Errorf("lịch sử: trả quyền gửi thư: %w", err)
	}
	return nil
}
