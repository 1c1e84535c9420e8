package history

import (
	"context"
	"path/filepath"
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
