package mail

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"time"

	"canbo/pipeline/history"
)

// The delivery claim: one row of the history database (outbox_claim) saying which
// Outbox, of which process on which machine, is delivering. A pass takes it in the
// write transaction in which it reads what is due, renews it while it works and in
// the transaction that records each "sending", and gives it up at its end. It
// replaces the lock file of the outbox folder, with the same meaning for ErrBusy.
//
// A lock file goes with its process; a row does not, so a claim is also given up by
// its holder dying: it is free once its process is gone (same machine, the process
// no longer exists) or, for a holder this machine cannot check, once it has not been
// renewed for claimTTL. The claim's times are the machine's real time, not the
// Outbox's Clock: they are about processes, not about the schedule of retries (a
// test's fake clock moving hours must not free another process's claim).

// claimTTL is how long a claim lasts unless renewed; a pass renews it every
// claimTTL/3.
const claimTTL = time.Minute

type claimant struct {
	owner string // a token of this Outbox
	host  string
	pid   int
}

func newClaimant() (claimant, error) {
	var b [12]byte
	if _, err := rand.Read(b[:]); err != nil {
		return claimant{}, fmt.Errorf("hộp thư đi: %w", err)
	}
	host, _ := os.Hostname()
	return claimant{owner: hex.EncodeToString(b[:]), host: host, pid: os.Getpid()}, nil
}

func (o *Outbox) claimExpiry() time.Time { return time.Now().Add(claimTTL) }

// live says whether c's holder may still be delivering.
func (o *Outbox) live(c history.OutboxClaim) bool {
	switch {
	case c.Owner == "" || !time.Now().Before(c.ExpiresAt):
		return false
	case c.Owner == o.me.owner:
		return o.passing.Load()
	case c.Host == o.me.host && c.PID != o.me.pid:
		return processAlive(c.PID)
	}
	return true
}

// claimLive says whether a pass (of any process, this Outbox's included) holds the
// claim now.
func (o *Outbox) claimLive(tx *history.OutboxTx) (bool, error) {
	c, err := tx.Claim()
	if err != nil {
		return false, err
	}
	return o.live(c), nil
}

// takeClaim makes this Outbox the one delivering, or returns ErrBusy.
func (o *Outbox) takeClaim(tx *history.OutboxTx) error {
	c, err := tx.Claim()
	if err != nil {
		return err
	}
	if c.Owner != o.me.owner && o.live(c) {
		return ErrBusy
	}
	if c.Owner != "" && c.Owner != o.me.owner {
		o.log().Warn("nhận quyền gửi thư của một tiến trình canbo đã dừng", "host", c.Host, "pid", c.PID, "since", c.TakenAt)
	}
	now := time.Now()
	return tx.SetClaim(history.OutboxClaim{Owner: o.me.owner, Host: o.me.host, PID: o.me.pid, TakenAt: now, ExpiresAt: now.Add(claimTTL)})
}

// keepClaim renews the claim every claimTTL/3 until the returned function is called:
// one message on a slow link may take longer than claimTTL.
func (o *Outbox) keepClaim() (stop func()) {
	done := make(chan struct{})
	ended := make(chan struct{})
	go func() {
		defer close(ended)
		t := time.NewTicker(claimTTL / 3)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				err := o.write(context.Background(), func(tx *history.OutboxTx) error {
					_, err := tx.RenewClaim(o.me.owner, o.claimExpiry())
					return err
				})
				if err != nil {
					o.log().Warn("không gia hạn được quyền gửi thư", "err", err)
				}
			}
		}
	}()
	return func() {
		close(done)
		<-ended
	}
}

// releaseClaim gives the claim up at the end of a pass. If that fails, the claim
// lapses by itself (claimTTL, or at once for a process found gone).
func (o *Outbox) releaseClaim() {
	err := o.write(context.Background(), func(tx *history.OutboxTx) error { return tx.ReleaseClaim(o.me.owner) })
	if err != nil {
		o.log().Warn("không trả được quyền gửi thư", "err", err)
	}
}
