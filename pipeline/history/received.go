package history

import (
	"context"
	"fmt"
	"time"
)

// What became of a file the inbox took.
const (
	ReceivedAccepted   = "accepted"   // archived, will be read by the period's run
	ReceivedRejected   = "rejected"   // quarantined, with a text file saying why
	ReceivedDuplicate  = "duplicate"  // the same content (sha256) was received before
	ReceivedSuperseded = "superseded" // an archived file that a newer one from the same unit and period replaced
	// ReceivedSupersededOlder: archived, but already older than the unit's current file
	// for the period (an earlier "tính đến ngày"), so never used. The same word as
	// inbox.SupersededOlder.
	ReceivedSupersededOlder = "superseded-older"
)

// Received is one inbox event: a file taken from the inbox and what became of it.
// Events are only added, never changed: a file accepted on the 3rd and superseded
// on the 5th has two events. This is a log for `canbo status`; the archive's
// sidecars stay the authority on what was taken (package inbox).
type Received struct {
	ID       int64     `json:"id"`
	At       time.Time `json:"received_at"` // zero: now
	SHA256   string    `json:"sha256"`
	Name     string    `json:"original_name"` // the file's name as dropped in the inbox
	Unit     string    `json:"unit"`          // the unit it is from, "" if unknown
	Period   string    `json:"period"`        // YYYY-MM it reports, "" if unknown
	Status   string    `json:"status"`        // accepted | rejected | duplicate | superseded | superseded-older
	Archived string    `json:"archived_path"` // where the file is now: archive or quarantine
	Reason   string    `json:"reason"`        // why rejected; which file it duplicates or was superseded by
}

// RecordReceived adds an inbox event. It is safe to call from several goroutines
// at once.
func (db *DB) RecordReceived(ctx context.Context, r Received) error {
	switch r.Status {
	case ReceivedAccepted, ReceivedRejected, ReceivedDuplicate, ReceivedSuperseded, ReceivedSupersededOlder:
	default:
		return fmt.Errorf("lịch sử: trạng thái tệp nhận %q không hợp lệ (accepted, rejected, duplicate, superseded, superseded-older)", r.Status)
	}
	if r.Name == "" {
		return fmt.Errorf("lịch sử: tệp nhận không có tên")
	}
	if r.Period != "" {
		if err := checkPeriod(r.Period); err != nil {
			return fmt.Errorf("lịch sử: tệp %s: %w", r.Name, err)
		}
	}
	if r.At.IsZero() {
		r.At = db.now()
	}
	_, err := db.sql.ExecContext(ctx, `INSERT INTO received (received_at, sha256, original_name, unit, period, status, archived_path, reason)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, formatTime(r.At), r.SHA256, r.Name, r.Unit, r.Period, r.Status, r.Archived, r.Reason)
	if err != nil {
		return fmt.Errorf("lịch sử: ghi tệp nhận %s: %w", r.Name, err)
	}
	return nil
}

// Received lists the inbox events at or after since, oldest first (all of them
// for a zero since).
func (db *DB) Received(ctx context.Context, since time.Time) ([]Received, error) {
	return db.received(ctx, `WHERE received_at >= ? ORDER BY received_at, id`, formatTime(since))
}

// ReceivedSHA256 lists the events for files with this content, oldest first: how
// the inbox recognises a file dropped twice.
func (db *DB) ReceivedSHA256(ctx context.Context, sha256 string) ([]Received, error) {
	return db.received(ctx, `WHERE sha256 = ? ORDER BY received_at, id`, sha256)
}

func (db *DB) received(ctx context.Context, where string, args ...any) ([]Received, error) {
	rows, err := db.sql.QueryContext(ctx, `SELECT id, received_at, sha256, original_name, unit, period, status, archived_path, reason
		FROM received `+where, args...)
	if err != nil {
		return nil, fmt.Errorf("lịch sử: đọc tệp đã nhận: %w", err)
	}
	defer rows.Close()
	var out []Received
	for rows.Next() {
		var r Received
		var at string
		if err := rows.Scan(&r.ID, &at, &r.SHA256, &r.Name, &r.Unit, &r.Period, &r.Status, &r.Archived, &r.Reason); err != nil {
			return nil, fmt.Errorf("lịch sử: đọc tệp đã nhận: %w", err)
		}
		if r.At, err = parseTime(at); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("lịch sử: đọc tệp đã nhận: %w", err)
	}
	return out, nil
}
