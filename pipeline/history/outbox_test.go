package history

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestOutboxStore: what package mail relies on from the outbox's tables. Insert is
// once per id (a second import of a folder changes nothing); Update needs the
// message; Delete takes its bytes with it; only the owner renews or releases the
// claim.
func TestOutboxStore(t *testing.T) {
	ctx := context.Background()
	db, err := Open(filepath.Join(t.TempDir(), FileName))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	at := time.Date(2023, 10, 1, 0, 0, 0, 0, time.UTC)
	m := OutboxMessage{ID: "report-2023-09-1", Key: "report/2023-09", Kind: "report", Period: "2023-09", MessageID: "<a@b>",
		Recipients: []string{"x@y"}, State: "queued", Created: at, NextAttempt: at}
	write := func(fn func(*OutboxTx) error) {
		t.Helper()
		if err := db.OutboxWrite(ctx, fn); err != nil {
			t.Fatal(err)
		}
	}
	write(func(tx *OutboxTx) error {
		if ok, err := tx.Insert(m, []byte("first")); err != nil || !ok {
			t.Errorf("Insert = %v, %v", ok, err)
		}
		again := m
		again.State = "sent"
		if ok, err := tx.Insert(again, []byte("second")); err != nil || ok {
			t.Errorf("second Insert = %v, %v", ok, err)
		}
		got, ok, err := tx.Message(m.ID)
		if body, _ := tx.Body(m.ID); err != nil || !ok || got.State != "queued" || string(body) != "first" ||
			len(got.Recipients) != 1 || !got.Created.Equal(at) || got.Replaces == nil {
			t.Errorf("after two inserts: %+v %q %v", got, body, err)
		}
		if err := tx.Update(OutboxMessage{ID: "none", State: "sent"}); err == nil {
			t.Error("Update of a missing message succeeded")
		}
		if err := tx.Delete(m.ID); err != nil {
			return err
		}
		if body, err := tx.Body(m.ID); err != nil || body != nil {
			t.Errorf("bytes left after Delete: %q %v", body, err)
		}
		if err := tx.SetClaim(OutboxClaim{Owner: "a", PID: 7, ExpiresAt: at}); err != nil {
			return err
		}
		if ok, err := tx.RenewClaim("b", at.Add(time.Hour)); err != nil || ok {
			t.Errorf("a stranger renewed the claim: %v %v", ok, err)
		}
		if err := tx.ReleaseClaim("b"); err != nil {
			return err
		}
		if c, err := tx.Claim(); err != nil || c.Owner != "a" || !c.ExpiresAt.Equal(at) {
			t.Errorf("claim after a stranger's release %+v %v", c, err)
		}
		if ok, err := tx.RenewClaim("a", at.Add(time.Hour)); err != nil || !ok {
			t.Errorf("the owner could not renew: %v %v", ok, err)
		}
		if err := tx.ReleaseClaim("a"); err != nil {
			return err
		}
		if c, err := tx.Claim(); err != nil || c.Owner != "" {
			t.Errorf("claim after release %+v %v", c, err)
		}
		return nil
	})
}

// TestOutboxPruneBodies: a database made before migration 3, with a sent report in
// it, opens with body_pruned_at empty. PruneBodies deletes the bytes of messages sent
// before the cut-off only — not one sent after, not one never sent — marks their rows,
// and keeps everything else of them. The space freed goes to SQLite's free list and
// the next messages of the same size are written into it: the file does not grow.
func TestOutboxPruneBodies(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), FileName)
	old, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	if err := migrate(ctx, old, component, migrations[:2]); err != nil {
		t.Fatal(err)
	}
	sent := time.Date(2023, 10, 1, 7, 0, 0, 0, time.UTC)
	if _, err := old.Exec(`INSERT INTO outbox_messages (id, key, kind, message_id, state, created_at, sent_at, response)
		VALUES ('report-2023-09-1', 'report/2023-09', 'report', '<a@b>', 'sent', ?, ?, '250 ok')`, formatTime(sent), formatTime(sent)); err != nil {
		t.Fatal(err)
	}
	if _, err := old.Exec(`INSERT INTO outbox_bodies (id, eml) VALUES ('report-2023-09-1', ?)`, []byte("September")); err != nil {
		t.Fatal(err)
	}
	old.Close()

	db, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	const size = 256 << 10
	body := make([]byte, size)
	for i := range body {
		body[i] = byte(i * 7)
	}
	insert := func(tx *OutboxTx, n int, id string, at time.Time, state string) {
		t.Helper()
		for i := range n {
			m := OutboxMessage{ID: fmt.Sprintf("%s-%d", id, i), Key: "feedback/" + id, Kind: "feedback", MessageID: "<x>", State: state,
				Created: at, SentAt: at}
			if state != "sent" {
				m.SentAt = time.Time{}
			}
			if ok, err := tx.Insert(m, body); err != nil || !ok {
				t.Fatalf("Insert %s: %v %v", m.ID, ok, err)
			}
		}
	}
	pragma := func(name string) int64 {
		var n int64
		if err := db.sql.QueryRow(`PRAGMA ` + name).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	write := func(fn func(*OutboxTx) error) {
		t.Helper()
		if err := db.OutboxWrite(ctx, fn); err != nil {
			t.Fatal(err)
		}
	}
	write(func(tx *OutboxTx) error {
		insert(tx, 40, "old", sent.Add(24*time.Hour), "sent")
		insert(tx, 1, "new", sent.Add(60*24*time.Hour), "sent")
		insert(tx, 1, "queued", sent, "queued")
		return nil
	})
	pages := pragma("page_count")
	now := sent.Add(90 * 24 * time.Hour)
	write(func(tx *OutboxTx) error {
		m, ok, err := tx.Message("report-2023-09-1")
		if err != nil || !ok || !m.BodyPruned.IsZero() || m.Response != "250 ok" {
			t.Errorf("the message of before migration 3: %+v %v", m, err)
		}
		n, freed, err := tx.PruneBodies(sent.Add(30*24*time.Hour), now)
		if err != nil || n != 41 || freed != 40*size+int64(len("September")) {
			t.Errorf("PruneBodies = %d, %d, %v; want 41 messages, %d bytes", n, freed, err, 40*size+len("September"))
		}
		all, err := tx.All()
		for _, m := range all {
			body, berr := tx.Body(m.ID)
			gone := strings.HasPrefix(m.ID, "old-") || m.ID == "report-2023-09-1"
			if berr != nil || (body == nil) != gone || m.BodyPruned.Equal(now) != gone || m.State == "" || m.MessageID == "" {
				t.Errorf("%s: %d bytes, pruned %v, %v", m.ID, len(body), m.BodyPruned, berr)
			}
		}
		return err
	})
	pageSize, free := pragma("page_size"), pragma("freelist_count")
	t.Logf("%d pages of %d bytes, %d free after pruning %d KiB", pages, pageSize, free, 40*size>>10)
	if free*pageSize < 40*size*95/100 {
		t.Errorf("%d free pages of %d bytes after deleting %d bytes", free, pageSize, 40*size)
	}
	write(func(tx *OutboxTx) error {
		insert(tx, 40, "next", now, "queued")
		return nil
	})
	if after := pragma("page_count"); after > pages+pages/50 {
		t.Errorf("the file grew from %d to %d pages for messages the size of those pruned", pages, after)
	}
}
