package mail

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"canbo/pipeline/history"
	"canbo/pipeline/schema"

	"go.yaml.in/yaml/v3"
)

const day = 24 * time.Hour

// TestKeepSentFrom: mail.keep_sent_days not written keeps sent mail 400 days (last
// year's reports can still be re-read); 0 keeps it for ever; a negative count is a
// mistake config check shows at its key.
func TestKeepSentFrom(t *testing.T) {
	days := func(n int) *int { return &n }
	for _, tc := range []struct {
		days *int
		want time.Duration
	}{{nil, 400 * day}, {days(0), 0}, {days(30), 30 * day}} {
		if got := KeepSentFrom(schema.Mail{KeepSentDays: tc.days}); got != tc.want {
			t.Errorf("KeepSentFrom(%v) = %s, want %s", tc.days, got, tc.want)
		}
	}
	m := schema.Mail{Host: "mail.soctrang.gov.vn", From: "a@b.vn", To: []string{"c@b.vn"}, KeepSentDays: days(-1)}
	var ke *schema.KeyError
	if err := CheckConfig(m); !errors.As(err, &ke) || ke.Key != "mail.keep_sent_days" || !strings.Contains(err.Error(), "không được âm") {
		t.Errorf("keep_sent_days -1: %v", err)
	}
	m.KeepSentDays = days(0)
	if err := CheckConfig(m); err != nil {
		t.Errorf("keep_sent_days 0: %v", err)
	}
}

// TestKeepSentDaysTooBig: a count of days past what a time.Duration holds (213,504
// days once wrapped to about 25 minutes, deleting every sent body at the next
// pruning) saturates instead, and config check refuses anything over 100 years at
// the value's line and column.
func TestKeepSentDaysTooBig(t *testing.T) {
	for _, n := range []int{106751, 106752, 213504, math.MaxInt} {
		if got := KeepSentFrom(schema.Mail{KeepSentDays: &n}); got < 100*365*day {
			t.Errorf("KeepSentFrom(%d days) = %s, want at least 100 years", n, got)
		}
	}
	text := "inbox: /in\nmail:\n  host: mail.soctrang.gov.vn\n  from: a@b.vn\n  to: [c@b.vn]\n  keep_sent_days: %d\n"
	var sv schema.Serve
	if err := yaml.Unmarshal([]byte(fmt.Sprintf(text, MaxKeepSentDays)), &sv); err != nil {
		t.Fatal(err)
	}
	if err := CheckConfig(sv.Mail); err != nil {
		t.Errorf("keep_sent_days %d: %v", MaxKeepSentDays, err)
	}
	if err := yaml.Unmarshal([]byte(fmt.Sprintf(text, 213504)), &sv); err != nil {
		t.Fatal(err)
	}
	ps := sv.Problems(CheckConfig(sv.Mail))
	if len(ps) != 1 || ps[0].Pos.Line != 6 || ps[0].Pos.Col != 19 || !strings.Contains(ps[0].Msg, "quá lớn") {
		t.Errorf("keep_sent_days 213504: %+v, want one problem at 6:19 saying quá lớn", ps)
	}
}

// TestPrune: on a fake clock, a report sent in October and feedback sent in
// November lose their bytes only once KeepSent has passed since each was sent; a
// message still to send never does. Each pruned row stays, says when its bytes went,
// and EML says so in Vietnamese; the outbox still knows the period was sent
// (Enqueue of new figures is a duplicate), and `canbo send` (Resend) still sends a
// new message of it.
func TestPrune(t *testing.T) {
	srv, d, clock, o := pruningOutbox(t, 30*day)

	sep := periodMessage(t, "2023-09", 388)
	if _, _, err := o.Enqueue(sep); err != nil {
		t.Fatal(err)
	}
	deliver(t, o, d)
	clock.Advance(20 * day)
	oct := periodMessage(t, "2023-10", 390)
	if _, _, err := o.Enqueue(oct); err != nil {
		t.Fatal(err)
	}
	deliver(t, o, d)
	srv.stop() // November's stays queued
	nov := periodMessage(t, "2023-11", 391)
	if _, _, err := o.Enqueue(nov); err != nil {
		t.Fatal(err)
	}

	clock.Advance(10*day - time.Second) // September's sent 30 days less a second ago
	if p, err := o.Prune(context.Background()); err != nil || p.Messages != 0 {
		t.Fatalf("before its time: %+v, %v", p, err)
	}
	clock.Advance(2 * time.Second)
	p, err := o.Prune(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := sep.EML(time.Time{})
	if p.Messages != 1 || p.Bytes < int64(len(raw))-200 || p.Bytes > int64(len(raw))+200 {
		t.Errorf("pruned %+v, want September's message of about %d bytes", p, len(raw))
	}
	again, err := o.Prune(context.Background())
	if err != nil || again.Messages != 0 {
		t.Errorf("a second prune: %+v, %v", again, err)
	}
	byPeriod := map[string]Entry{}
	for _, e := range status(t, o) {
		byPeriod[e.Period] = e
	}
	e := byPeriod["2023-09"]
	if e.State != StateSent || e.Subject != sep.Subject || e.Response == "" || len(e.Recipients) == 0 || e.MessageID == "" ||
		!e.BodyPruned.Equal(clock.Now()) {
		t.Errorf("September's row after pruning: %+v", e)
	}
	if n := e.BodyNote(time.UTC); !strings.Contains(n, "nội dung thư đã xóa ngày 31/10/2023") {
		t.Errorf("note %q", n)
	}
	if _, err := o.EML(e.ID); !errors.Is(err, ErrPruned) || !strings.Contains(err.Error(), "gửi ngày 01/10/2023") {
		t.Errorf("EML of a pruned message: %v", err)
	}
	for _, p := range []string{"2023-10", "2023-11"} {
		e := byPeriod[p]
		if raw, err := o.EML(e.ID); err != nil || raw == nil || !e.BodyPruned.IsZero() || e.BodyNote(nil) != "" {
			t.Errorf("%s (%s) lost its bytes: %v", p, e.State, err)
		}
	}

	// Still known as sent, and still sent again on purpose.
	if _, dup, err := o.Enqueue(periodMessage(t, "2023-09", 400)); err != nil || !dup {
		t.Errorf("new figures for pruned September: dup %v, %v", dup, err)
	}
	srv.start()
	if _, err := o.Resend(periodMessage(t, "2023-09", 400)); err != nil {
		t.Fatal(err)
	}
	if sent, failed := deliver(t, o, d); sent != 2 || failed != 0 {
		t.Errorf("after Resend: sent %d, failed %d (September's new message and November's)", sent, failed)
	}

	// Months later everything sent is pruned; with KeepSent 0 nothing ever is.
	clock.Advance(90 * day)
	o.KeepSent = 0
	if p, err := o.Prune(context.Background()); err != nil || p.Messages != 0 {
		t.Errorf("KeepSent 0 pruned %+v, %v", p, err)
	}
	o.KeepSent = 30 * day
	if p, err := o.Prune(context.Background()); err != nil || p.Messages != 3 {
		t.Errorf("pruned %+v, %v; want October's, November's and September's resent", p, err)
	}
}

// TestRunPrunes: Run prunes at its start and then once a day on its clock.
func TestRunPrunes(t *testing.T) {
	_, d, clock, o := pruningOutbox(t, 10*day)
	for i, p := range []string{"2023-07", "2023-08"} {
		if _, _, err := o.Enqueue(periodMessage(t, p, 380+i)); err != nil {
			t.Fatal(err)
		}
		deliver(t, o, d)
		clock.Advance(5 * day)
	}
	clock.Advance(day) // July's sent 11 days ago, August's 6
	pruned := func(period string) bool {
		for _, e := range status(t, o) {
			if e.Period == period {
				return !e.BodyPruned.IsZero()
			}
		}
		t.Fatalf("no message of %s", period)
		return false
	}
	waitFor := func(what string, ok func() bool) {
		t.Helper()
		for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
			if ok() {
				return
			}
		}
		t.Fatalf("timed out waiting for %s", what)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- o.Run(ctx, d) }()
	waitFor("July's pruning at the start", func() bool { return pruned("2023-07") })
	if pruned("2023-08") {
		t.Error("August's pruned at 6 days")
	}
	// Five more days: August's is 11 days old, pruned by the day's pruning (the
	// minute's polls before it prune nothing).
	for range 5 * 24 * 60 {
		clock.Advance(time.Minute)
	}
	waitFor("August's pruning a day later", func() bool { return pruned("2023-08") })
	cancel()
	if err := <-done; err != nil {
		t.Errorf("Run = %v", err)
	}
}

// TestPruneRecordsInOneTransaction: the row's mark and the deletion of its bytes go
// together — a message is never marked pruned with its bytes still there, nor
// without them and unmarked.
func TestPruneRecordsInOneTransaction(t *testing.T) {
	_, d, clock, o := pruningOutbox(t, day)
	if _, _, err := o.Enqueue(periodMessage(t, "2023-09", 388)); err != nil {
		t.Fatal(err)
	}
	deliver(t, o, d)
	clock.Advance(2 * day)
	// A transaction that fails after PruneBodies leaves both as they were.
	boom := errors.New("boom")
	err := o.db.OutboxWrite(context.Background(), func(tx *history.OutboxTx) error {
		if n, _, err := tx.PruneBodies(clock.Now().Add(-day), clock.Now()); err != nil || n != 1 {
			t.Errorf("PruneBodies = %d, %v", n, err)
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatal(err)
	}
	e := onlyEntry(t, o)
	if raw, err := o.EML(e.ID); err != nil || raw == nil || !e.BodyPruned.IsZero() {
		t.Errorf("after a rolled-back prune: pruned %v, bytes %d, %v", e.BodyPruned, len(raw), err)
	}
}

// pruningOutbox is an outbox on a fake clock keeping sent mail keep, with a test
// SMTP server to deliver to.
func pruningOutbox(t *testing.T, keep time.Duration) (*testServer, Dialer, *fakeClock, *Outbox) {
	t.Helper()
	srv := startServer(t)
	clock := newClock()
	o := openOutbox(t, t.TempDir(), clock)
	o.KeepSent = keep
	return srv, srv.dialer(t), clock, o
}
