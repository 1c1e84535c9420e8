package mail

import (
	"context"
	"crypto/tls"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"canbo/pipeline/history"
	"canbo/pipeline/schema"
)

const passwordEnv = "CANBO_TEST_SMTP_PASSWORD"

// fakeClock is a settable clock: backoff is tested without waiting.
type fakeClock struct {
	mu      sync.Mutex
	t       time.Time
	waiters []fakeWaiter
}

type fakeWaiter struct {
	at time.Time
	ch chan time.Time
}

func newClock() *fakeClock {
	return &fakeClock{t: time.Date(2023, 10, 1, 7, 0, 0, 0, time.FixedZone("ICT", 7*3600))}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) After(d time.Duration) <-chan time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	ch := make(chan time.Time, 1)
	if d <= 0 {
		ch <- c.t
		return ch
	}
	c.waiters = append(c.waiters, fakeWaiter{c.t.Add(d), ch})
	return ch
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
	kept := c.waiters[:0]
	for _, w := range c.waiters {
		if !w.at.After(c.t) {
			w.ch <- c.t
			continue
		}
		kept = append(kept, w)
	}
	c.waiters = kept
}

// mailConfig is serve.yaml's mail section for the test server.
func (s *testServer) mailConfig() schema.Mail {
	m := schema.Mail{Host: "127.0.0.1", Port: s.port(), Security: SecurityStartTLS,
		From: "Sở Nội vụ <baocao@snv.soctrang.gov.vn>", To: []string{"Giám đốc Sở <giamdoc@snv.soctrang.gov.vn>"}}
	switch {
	case s.implicitTLS:
		m.Security = SecurityTLS
	case s.noTLS:
		m.Security = SecurityNone
	}
	if s.user != "" {
		m.Username, m.PasswordEnv = s.user, passwordEnv
	}
	return m
}

func (s *testServer) dialer(t *testing.T) Dialer {
	t.Helper()
	if s.user != "" {
		t.Setenv(passwordEnv, s.pass)
	}
	d, err := NewDialer(s.mailConfig(), WithTLSConfig(&tls.Config{RootCAs: s.roots}), WithTimeout(5*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// openOutbox opens the outbox in STATE/canbo.db as a new process would: its own
// connection to the database, nothing in memory.
func openOutbox(t testing.TB, state string, clock Clock) *Outbox {
	t.Helper()
	db, err := history.Open(filepath.Join(state, history.FileName))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	o, err := OpenOutbox(db, state)
	if err != nil {
		t.Fatal(err)
	}
	o.Clock = clock
	o.Log = slog.New(slog.NewTextHandler(io.Discard, nil))
	o.Policy = RetryPolicy{Attempts: 4, After: time.Minute, Max: 3 * time.Minute}
	return o
}

func status(t *testing.T, o *Outbox) []Entry {
	t.Helper()
	es, err := o.Status()
	if err != nil {
		t.Fatal(err)
	}
	return es
}

func onlyEntry(t *testing.T, o *Outbox) Entry {
	t.Helper()
	es := status(t, o)
	if len(es) != 1 {
		t.Fatalf("%d messages in the outbox, want 1: %+v", len(es), es)
	}
	return es[0]
}

func deliver(t *testing.T, o *Outbox, d Dialer) (sent, failed int) {
	t.Helper()
	sent, failed, err := o.Deliver(context.Background(), d)
	if err != nil {
		t.Fatal(err)
	}
	return sent, failed
}

func files(t *testing.T, dir string) []string {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range ents {
		out = append(out, e.Name())
	}
	return out
}

// TestDeliverStartTLS sends the report through STARTTLS with AUTH PLAIN, receives it,
// opens it as a mail client would, and finds the outbox's record of it.
func TestDeliverStartTLS(t *testing.T) {
	srv := startServer(t, withLogin("baocao@snv.soctrang.gov.vn", "mật-khẩu 123"))
	state := t.TempDir()
	clock := newClock()
	o := openOutbox(t, state, clock)
	m, xlsx, pdf := reportMessage(t, t.TempDir())
	id, dup, err := o.Enqueue(m)
	if err != nil || dup || id != m.ID() {
		t.Fatalf("Enqueue = %q, %v, %v", id, dup, err)
	}
	if e := onlyEntry(t, o); e.State != StateQueued || e.Folder != FolderPending || e.Kind != KindReport || e.Period != "2023-09" {
		t.Errorf("queued entry %+v", e)
	}
	if sent, failed := deliver(t, o, srv.dialer(t)); sent != 1 || failed != 0 {
		t.Fatalf("sent %d, failed %d", sent, failed)
	}
	got := srv.messages()
	if len(got) != 1 {
		t.Fatalf("server received %d messages", len(got))
	}
	r := got[0]
	if !r.TLS || r.Auth != "baocao@snv.soctrang.gov.vn" || r.From != "baocao@snv.soctrang.gov.vn" ||
		strings.Join(r.To, ",") != "giamdoc@snv.soctrang.gov.vn,vanthu@snv.soctrang.gov.vn" {
		t.Errorf("envelope %+v", r)
	}
	p := parseEML(t, r.Data)
	if p.Subject != "Báo cáo đội ngũ CBCCVC tháng 09/2023 — 388 người, đạt 2/4 chỉ tiêu" {
		t.Errorf("subject %q", p.Subject)
	}
	if !strings.Contains(p.Text, "còn thiếu 15 người") || !strings.Contains(p.Text, "Tổng số: 388 người") {
		t.Errorf("body:\n%s", p.Text)
	}
	for i, path := range []string{xlsx, pdf} {
		orig, _ := os.ReadFile(path)
		if i >= len(p.Attachments) || string(p.Attachments[i].Data) != string(orig) {
			t.Errorf("attachment %d differs from %s", i, path)
		}
	}
	if p.Attachments[0].Name != "Báo cáo đội ngũ CBCCVC tháng 09-2023.xlsx" || p.Attachments[1].Name != "Báo cáo đội ngũ CBCCVC tháng 09-2023.pdf" {
		t.Errorf("names %q, %q", p.Attachments[0].Name, p.Attachments[1].Name)
	}

	e := onlyEntry(t, o)
	if e.State != StateSent || e.Folder != FolderSent || e.Attempts != 1 || !strings.HasPrefix(e.Response, "250") ||
		!e.SentAt.Equal(clock.Now()) || e.MessageID != p.Header.Get("Message-Id") {
		t.Errorf("sent entry %+v", e)
	}
	// The message kept is exactly what the server received.
	kept, err := o.EML(id)
	if err != nil || string(kept) != string(r.Data) || int64(len(kept)) != e.Size {
		t.Errorf("the stored %s (%d bytes, %v) differs from the delivered message (%d bytes)", id, len(kept), err, len(r.Data))
	}
	if _, err := os.Stat(filepath.Join(state, legacyFolder)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("an outbox folder was made: %v", err)
	}

	// Enqueuing the same report again (a re-run after a crash) sends nothing.
	m2, _, _ := reportMessage(t, t.TempDir())
	if id2, dup, err := o.Enqueue(m2); err != nil || !dup || id2 != id {
		t.Errorf("re-enqueue = %q, %v, %v", id2, dup, err)
	}
	// A new process finds nothing to send.
	o2 := openOutbox(t, state, clock)
	clock.Advance(24 * time.Hour)
	if sent, failed := deliver(t, o2, srv.dialer(t)); sent != 0 || failed != 0 || len(srv.messages()) != 1 {
		t.Errorf("after restart: sent %d, failed %d, received %d", sent, failed, len(srv.messages()))
	}
}

// TestDeliverImplicitTLS: port-465 style, the password read from a file.
func TestDeliverImplicitTLS(t *testing.T) {
	srv := startServer(t, withImplicitTLS(), withLogin("u", "mật khẩu"))
	pwFile := filepath.Join(t.TempDir(), "smtp-password.txt")
	if err := os.WriteFile(pwFile, []byte("mật khẩu\r\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg := srv.mailConfig()
	cfg.PasswordEnv, cfg.PasswordFile = "", pwFile
	d, err := NewDialer(cfg, WithTLSConfig(&tls.Config{RootCAs: srv.roots}), WithTimeout(5*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	o := openOutbox(t, t.TempDir(), newClock())
	m, _, _ := reportMessage(t, t.TempDir())
	if _, _, err := o.Enqueue(m); err != nil {
		t.Fatal(err)
	}
	if sent, _ := deliver(t, o, d); sent != 1 {
		t.Fatalf("sent %d", sent)
	}
	if got := srv.messages(); len(got) != 1 || !got[0].TLS || got[0].Auth != "u" {
		t.Errorf("received %+v", got)
	}
}

func TestDeliverNoTLSLoopback(t *testing.T) {
	srv := startServer(t, withoutTLS())
	o := openOutbox(t, t.TempDir(), newClock())
	m, _, _ := reportMessage(t, t.TempDir())
	if _, _, err := o.Enqueue(m); err != nil {
		t.Fatal(err)
	}
	if sent, _ := deliver(t, o, srv.dialer(t)); sent != 1 || len(srv.messages()) != 1 {
		t.Fatalf("sent %d, received %d", sent, len(srv.messages()))
	}
}

// TestStartTLSMandatory: with security starttls, a server that does not offer
// STARTTLS gets nothing, not even the password.
func TestStartTLSMandatory(t *testing.T) {
	srv := startServer(t, withoutTLS())
	cfg := srv.mailConfig()
	cfg.Host, cfg.Security = "localhost", SecurityStartTLS
	d, err := NewDialer(cfg, WithTimeout(5*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	o := openOutbox(t, t.TempDir(), newClock())
	m, _, _ := reportMessage(t, t.TempDir())
	if _, _, err := o.Enqueue(m); err != nil {
		t.Fatal(err)
	}
	if sent, failed := deliver(t, o, d); sent != 0 || failed != 1 {
		t.Fatalf("sent %d, failed %d", sent, failed)
	}
	e := onlyEntry(t, o)
	if !strings.Contains(e.LastError, "STARTTLS") || e.State != StateQueued || len(srv.messages()) != 0 {
		t.Errorf("entry %+v", e)
	}
}

// TestRetryServerDown: the server is down, the message waits with its attempts and
// error recorded and backs off; the server comes back, the message goes out once, and
// a restarted outbox sends nothing more.
func TestRetryServerDown(t *testing.T) {
	srv := startServer(t, withLogin("u", "p"))
	d := srv.dialer(t)
	srv.stop()
	state := t.TempDir()
	clock := newClock()
	o := openOutbox(t, state, clock)
	m, _, _ := reportMessage(t, t.TempDir())
	id, _, err := o.Enqueue(m)
	if err != nil {
		t.Fatal(err)
	}
	start := clock.Now()

	if sent, failed := deliver(t, o, d); sent != 0 || failed != 1 {
		t.Fatalf("server down: sent %d, failed %d", sent, failed)
	}
	e := onlyEntry(t, o)
	if e.State != StateQueued || e.Attempts != 1 || !e.NextAttempt.Equal(start.Add(time.Minute)) ||
		!strings.Contains(e.LastError, "không kết nối") || !strings.Contains(e.LastError, srv.addr) {
		t.Fatalf("after 1st failure %+v", e)
	}
	// Not due yet: nothing is tried.
	clock.Advance(59 * time.Second)
	if sent, failed := deliver(t, o, d); sent+failed != 0 {
		t.Fatalf("tried before its time: sent %d, failed %d", sent, failed)
	}
	clock.Advance(time.Second)
	if _, failed := deliver(t, o, d); failed != 1 {
		t.Fatal("due, but not tried")
	}
	if e := onlyEntry(t, o); e.Attempts != 2 || !e.NextAttempt.Equal(clock.Now().Add(2*time.Minute)) {
		t.Fatalf("after 2nd failure (backoff doubles) %+v", e)
	}
	clock.Advance(2 * time.Minute)
	deliver(t, o, d)
	if e := onlyEntry(t, o); e.Attempts != 3 || !e.NextAttempt.Equal(clock.Now().Add(3*time.Minute)) {
		t.Fatalf("after 3rd failure (capped at retry_max) %+v", e)
	}

	srv.start()
	clock.Advance(3 * time.Minute)
	if sent, failed := deliver(t, o, d); sent != 1 || failed != 0 {
		t.Fatalf("server back: sent %d, failed %d", sent, failed)
	}
	if n := len(srv.messages()); n != 1 {
		t.Fatalf("received %d messages, want exactly 1", n)
	}
	if e := onlyEntry(t, o); e.State != StateSent || e.Attempts != 4 || e.ID != id {
		t.Errorf("sent entry %+v", e)
	}

	o2 := openOutbox(t, state, clock)
	clock.Advance(time.Hour)
	if sent, failed := deliver(t, o2, d); sent+failed != 0 || len(srv.messages()) != 1 {
		t.Errorf("restart re-sent: sent %d, failed %d, received %d", sent, failed, len(srv.messages()))
	}
}

// TestRetryTemporaryRefusal: 451 after DATA is retried; the message arrives once.
func TestRetryTemporaryRefusal(t *testing.T) {
	srv := startServer(t)
	srv.failNext(&smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "Hệ thống bận, thử lại sau"})
	clock := newClock()
	o := openOutbox(t, t.TempDir(), clock)
	m, _, _ := reportMessage(t, t.TempDir())
	if _, _, err := o.Enqueue(m); err != nil {
		t.Fatal(err)
	}
	d := srv.dialer(t)
	if _, failed := deliver(t, o, d); failed != 1 {
		t.Fatal("451 not reported")
	}
	e := onlyEntry(t, o)
	if e.State != StateQueued || !strings.Contains(e.LastError, "451") || e.Uncertain || e.Attempts != 1 {
		t.Fatalf("after 451 %+v", e)
	}
	clock.Advance(time.Minute)
	if sent, _ := deliver(t, o, d); sent != 1 || len(srv.messages()) != 1 {
		t.Fatalf("sent %d, received %d", sent, len(srv.messages()))
	}
}

// TestPermanentRefusalHeld: a 5xx is not retried in this process; the next start (or
// an explicit resend) tries again.
func TestPermanentRefusalHeld(t *testing.T) {
	srv := startServer(t)
	srv.rejectTo["giamdoc@snv.soctrang.gov.vn"] = true
	state := t.TempDir()
	clock := newClock()
	o := openOutbox(t, state, clock)
	m, _, _ := reportMessage(t, t.TempDir())
	if _, _, err := o.Enqueue(m); err != nil {
		t.Fatal(err)
	}
	d := srv.dialer(t)
	deliver(t, o, d)
	e := onlyEntry(t, o)
	if e.State != StateHeld || !strings.Contains(e.LastError, "550") || !strings.Contains(e.LastError, "giamdoc@") || !e.NextAttempt.IsZero() {
		t.Fatalf("after 550 %+v", e)
	}
	clock.Advance(24 * time.Hour)
	if sent, failed := deliver(t, o, d); sent+failed != 0 {
		t.Fatal("held message retried in the same process")
	}
	srv.mu.Lock()
	srv.rejectTo = map[string]bool{}
	srv.mu.Unlock()
	if sent, _ := deliver(t, openOutbox(t, state, clock), d); sent != 1 || len(srv.messages()) != 1 {
		t.Fatalf("after restart: sent %d, received %d", sent, len(srv.messages()))
	}
}

// TestAttemptsPerStart: after Attempts failures the message is held until the next
// start or a Resend.
func TestAttemptsPerStart(t *testing.T) {
	srv := startServer(t)
	d := srv.dialer(t)
	srv.stop()
	state := t.TempDir()
	clock := newClock()
	o := openOutbox(t, state, clock)
	o.Policy.Attempts = 2
	m, _, _ := reportMessage(t, t.TempDir())
	if _, _, err := o.Enqueue(m); err != nil {
		t.Fatal(err)
	}
	deliver(t, o, d)
	clock.Advance(time.Minute)
	deliver(t, o, d)
	if e := onlyEntry(t, o); e.State != StateHeld || e.Attempts != 2 {
		t.Fatalf("after 2 attempts %+v", e)
	}
	clock.Advance(time.Hour)
	if sent, failed := deliver(t, o, d); sent+failed != 0 {
		t.Fatal("tried a third time in the same process")
	}
	srv.start()
	// canbo send --period: the same message, made due again, not a second copy.
	id, err := o.Resend(m)
	if err != nil || id != m.ID() {
		t.Fatalf("Resend = %q, %v", id, err)
	}
	if sent, _ := deliver(t, o, d); sent != 1 || len(srv.messages()) != 1 || len(status(t, o)) != 1 {
		t.Fatalf("after resend: sent %d, received %d", sent, len(srv.messages()))
	}
}

// TestEnqueueRules: one message per kind and period, whatever happens.
func TestEnqueueRules(t *testing.T) {
	srv := startServer(t)
	clock := newClock()
	state := t.TempDir()
	o := openOutbox(t, state, clock)
	dir := t.TempDir()
	xlsx, pdf := writeReportFiles(t, dir, 1)
	cfg, tm := testConfig(t), testTemplates(t)
	compose := func(headcount int) *Message {
		s := testSummary()
		s.Total.Headcount = headcount
		m, err := ReportMessage(s, cfg, nil, tm, xlsx, pdf)
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	first := compose(388)
	id1, dup, err := o.Enqueue(first)
	if err != nil || dup {
		t.Fatal(dup, err)
	}
	// A re-run with corrected figures before delivery replaces the pending message.
	clock.Advance(time.Second)
	second := compose(389)
	id2, dup, err := o.Enqueue(second)
	if err != nil || dup || id2 == id1 {
		t.Fatalf("replace: %q %v %v", id2, dup, err)
	}
	if e := onlyEntry(t, o); e.ID != id2 || len(e.Replaces) != 1 || e.Replaces[0] != id1 {
		t.Fatalf("after replace %+v", e)
	}
	if raw, err := o.EML(id1); err != nil || raw != nil {
		t.Errorf("the replaced message's bytes are still there (%d bytes, %v)", len(raw), err)
	}
	deliver(t, o, srv.dialer(t))
	// After delivery, changed figures are not sent by themselves…
	third := compose(390)
	id3, dup, err := o.Enqueue(third)
	if err != nil || !dup || id3 != id2 {
		t.Fatalf("after sent: %q %v %v", id3, dup, err)
	}
	deliver(t, o, srv.dialer(t))
	if n := len(srv.messages()); n != 1 {
		t.Fatalf("received %d", n)
	}
	// …only on purpose: canbo send --period.
	id4, err := o.Resend(third)
	if err != nil || id4 == id2 {
		t.Fatalf("Resend = %q, %v", id4, err)
	}
	// Twice on purpose before delivery is still one message.
	if again, err := o.Resend(third); err != nil || again != id4 {
		t.Fatalf("second Resend = %q, %v", again, err)
	}
	deliver(t, o, srv.dialer(t))
	got := srv.messages()
	if len(got) != 2 {
		t.Fatalf("received %d, want 2", len(got))
	}
	p1, p2 := parseEML(t, got[0].Data), parseEML(t, got[1].Data)
	if p1.Header.Get("Message-Id") == p2.Header.Get("Message-Id") {
		t.Error("a deliberate resend needs its own Message-ID")
	}
	if !strings.Contains(p2.Subject, "390 người") {
		t.Errorf("resent subject %q", p2.Subject)
	}
	es := status(t, o)
	if len(es) != 2 {
		t.Fatalf("status %+v", es)
	}
	for _, e := range es {
		if e.State != StateSent || (e.ID == id4) != (e.Resend == 1) {
			t.Errorf("entry %+v", e)
		}
	}
}

// crashDialer wraps a Dialer; its sessions "kill the process" (panic) at a chosen
// point, the way a power cut would, leaving the disk as it was at that instant.
type crashDialer struct {
	Dialer
	beforeData bool // die after recording "sending", before DATA
	afterReply bool // die after the server accepted, before the move to sent/
}

type crashSession struct {
	Session
	d *crashDialer
}

type crash struct{}

func (c *crashDialer) Dial(ctx context.Context) (Session, error) {
	s, err := c.Dialer.Dial(ctx)
	if err != nil {
		return nil, err
	}
	return crashSession{s, c}, nil
}

func (s crashSession) Send(ctx context.Context, env Envelope, raw []byte, beforeData func() error) (string, error) {
	reply, err := s.Session.Send(ctx, env, raw, func() error {
		if err := beforeData(); err != nil {
			return err
		}
		if s.d.beforeData {
			panic(crash{})
		}
		return nil
	})
	if err == nil && s.d.afterReply {
		panic(crash{})
	}
	return reply, err
}

func deliverAndCrash(t *testing.T, o *Outbox, d Dialer) {
	t.Helper()
	defer func() {
		if r := recover(); r == nil {
			t.Fatal("no crash")
		} else if _, ok := r.(crash); !ok {
			panic(r)
		}
	}()
	_, _, _ = o.Deliver(context.Background(), d)
}

// TestCrashAfterServerAccepted is the at-least-once window: the server took the
// message, the process died before recording it. The next start sends it again, with
// the same Message-ID, and marks it uncertain.
func TestCrashAfterServerAccepted(t *testing.T) {
	srv := startServer(t)
	state := t.TempDir()
	clock := newClock()
	o := openOutbox(t, state, clock)
	m, _, _ := reportMessage(t, t.TempDir())
	id, _, _ := o.Enqueue(m)
	deliverAndCrash(t, o, &crashDialer{Dialer: srv.dialer(t), afterReply: true})
	if len(srv.messages()) != 1 {
		t.Fatal("the server should have the message")
	}
	// What a status command shows after the crash, before any repair.
	if e := onlyEntry(t, openOutbox(t, state, clock)); e.State != StateSending || e.Folder != FolderPending {
		t.Fatalf("after crash %+v", e)
	}
	o2 := openOutbox(t, state, clock)
	if sent, _ := deliver(t, o2, srv.dialer(t)); sent != 1 {
		t.Fatal("not re-sent after the crash")
	}
	got := srv.messages()
	if len(got) != 2 {
		t.Fatalf("received %d", len(got))
	}
	if a, b := parseEML(t, got[0].Data).Header.Get("Message-Id"), parseEML(t, got[1].Data).Header.Get("Message-Id"); a != b || a != "<"+m.MessageID()+">" {
		t.Errorf("Message-IDs %q and %q must be equal", a, b)
	}
	e := onlyEntry(t, o2)
	if e.State != StateSent || !e.Uncertain || e.ID != id || e.Attempts != 2 {
		t.Errorf("entry %+v", e)
	}
	// And no third time.
	clock.Advance(time.Hour)
	if sent, _ := deliver(t, openOutbox(t, state, clock), srv.dialer(t)); sent != 0 || len(srv.messages()) != 2 {
		t.Error("sent a third time")
	}
}

// TestCrashBeforeData: "sending" was recorded, then the process died before DATA: the
// server never had it; the next start sends it, once.
func TestCrashBeforeData(t *testing.T) {
	srv := startServer(t)
	state := t.TempDir()
	clock := newClock()
	o := openOutbox(t, state, clock)
	m, _, _ := reportMessage(t, t.TempDir())
	if _, _, err := o.Enqueue(m); err != nil {
		t.Fatal(err)
	}
	deliverAndCrash(t, o, &crashDialer{Dialer: srv.dialer(t), beforeData: true})
	if len(srv.messages()) != 0 {
		t.Fatal("nothing should have reached the server")
	}
	if sent, _ := deliver(t, openOutbox(t, state, clock), srv.dialer(t)); sent != 1 || len(srv.messages()) != 1 {
		t.Fatalf("sent %d, received %d", sent, len(srv.messages()))
	}
}

// TestLostReplyUncertain: the server kept the message but the connection dropped
// before its reply: retried (same Message-ID) and marked uncertain.
func TestLostReplyUncertain(t *testing.T) {
	srv := startServer(t)
	srv.dropNext(1)
	clock := newClock()
	o := openOutbox(t, t.TempDir(), clock)
	m, _, _ := reportMessage(t, t.TempDir())
	if _, _, err := o.Enqueue(m); err != nil {
		t.Fatal(err)
	}
	d := srv.dialer(t)
	if _, failed := deliver(t, o, d); failed != 1 {
		t.Fatal("lost reply not reported")
	}
	if e := onlyEntry(t, o); !e.Uncertain || e.State != StateQueued || !strings.Contains(e.LastError, "có thể đã được nhận") {
		t.Fatalf("entry %+v", e)
	}
	clock.Advance(time.Minute)
	deliver(t, o, d)
	if e := onlyEntry(t, o); e.State != StateSent || !e.Uncertain || len(srv.messages()) != 2 {
		t.Fatalf("entry %+v, received %d", e, len(srv.messages()))
	}
}

// gateDialer wraps a real Dialer: Dial says so on dialing and waits for release, so
// that a test can act while a delivery pass is under way.
type gateDialer struct {
	Dialer
	dialing chan struct{}
	release chan struct{}
}

func newGate(d Dialer) *gateDialer {
	return &gateDialer{Dialer: d, dialing: make(chan struct{}, 1), release: make(chan struct{})}
}

func (g *gateDialer) Dial(ctx context.Context) (Session, error) {
	g.dialing <- struct{}{}
	<-g.release
	return g.Dialer.Dial(ctx)
}

type passResult struct {
	sent, failed int
	err          error
}

// deliverAsync starts o's pass through a gate and returns once it is dialling.
func deliverAsync(o *Outbox, g *gateDialer) <-chan passResult {
	done := make(chan passResult, 1)
	go func() {
		sent, failed, err := o.Deliver(context.Background(), g)
		done <- passResult{sent, failed, err}
	}()
	<-g.dialing
	return done
}

// periodMessage is the report message of a period, without attachments.
func periodMessage(t testing.TB, period string, headcount int) *Message {
	t.Helper()
	s := testSummary()
	s.Period, s.Total.Headcount = period, headcount
	m, err := ReportMessage(s, testConfig(t), nil, testTemplates(t))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestBusy: two Outboxes on one database (canbo serve and canbo send) never deliver
// at once. While one's pass is under way the other's Deliver is ErrBusy (and so is a
// second pass of the same Outbox); queuing does not wait for the pass; every message
// reaches the server once.
func TestBusy(t *testing.T) {
	srv := startServer(t)
	d := srv.dialer(t)
	state := t.TempDir()
	clock := newClock()
	o1 := openOutbox(t, state, clock)
	o2 := openOutbox(t, state, clock)
	if _, _, err := o1.Enqueue(periodMessage(t, "2023-09", 388)); err != nil {
		t.Fatal(err)
	}
	gate := newGate(d)
	done := deliverAsync(o1, gate)
	if _, _, err := o2.Deliver(context.Background(), d); !errors.Is(err, ErrBusy) {
		t.Errorf("another Outbox's Deliver = %v, want ErrBusy", err)
	}
	if _, _, err := o1.Deliver(context.Background(), d); !errors.Is(err, ErrBusy) {
		t.Errorf("a second pass of the same Outbox = %v, want ErrBusy", err)
	}
	if _, _, err := o2.Enqueue(periodMessage(t, "2023-10", 390)); err != nil {
		t.Errorf("Enqueue during another's pass: %v", err)
	}
	close(gate.release)
	if r := <-done; r.err != nil || r.sent != 1 || r.failed != 0 {
		t.Fatalf("the first pass: %+v", r)
	}
	// The claim was given up with the pass: the other delivers what it queued.
	if sent, _ := deliver(t, o2, d); sent != 1 {
		t.Fatalf("o2 sent %d after the pass", sent)
	}
	if sent, _ := deliver(t, o1, d); sent != 0 {
		t.Fatalf("o1 sent %d more", sent)
	}
	got := srv.messages()
	if len(got) != 2 || parseEML(t, got[0].Data).Header.Get("Message-Id") == parseEML(t, got[1].Data).Header.Get("Message-Id") {
		t.Fatalf("the server received %d messages", len(got))
	}
}

// TestReplacedDuringPass: a pass has read its due message; before its DATA, a re-run
// replaces it (same key, never tried). The pass finds that as it records "sending" and
// sends nothing; the next pass sends the new one: leadership gets one message, the
// newest.
func TestReplacedDuringPass(t *testing.T) {
	srv := startServer(t)
	d := srv.dialer(t)
	state := t.TempDir()
	clock := newClock()
	o1 := openOutbox(t, state, clock)
	o2 := openOutbox(t, state, clock)
	old := periodMessage(t, "2023-09", 388)
	if _, _, err := o1.Enqueue(old); err != nil {
		t.Fatal(err)
	}
	gate := newGate(d)
	done := deliverAsync(o1, gate)
	newer := periodMessage(t, "2023-09", 389)
	if _, dup, err := o2.Enqueue(newer); err != nil || dup {
		t.Fatalf("replace during the pass: %v %v", dup, err)
	}
	close(gate.release)
	if r := <-done; r.err != nil || r.sent != 0 || r.failed != 0 {
		t.Fatalf("the pass that had the old message: %+v", r)
	}
	if n := len(srv.messages()); n != 0 {
		t.Fatalf("the replaced message reached the server (%d)", n)
	}
	if sent, _ := deliver(t, o1, d); sent != 1 {
		t.Fatalf("the newer message: sent %d", sent)
	}
	got := srv.messages()
	if len(got) != 1 || !strings.Contains(parseEML(t, got[0].Data).Subject, "389 người") {
		t.Fatalf("received %d", len(got))
	}
	if e := onlyEntry(t, o1); e.ID != newer.ID() || e.Attempts != 1 || e.State != StateSent {
		t.Errorf("entry %+v", e)
	}
}

// setClaim writes the claim row as another process would have left it.
func setClaim(t *testing.T, o *Outbox, c history.OutboxClaim) {
	t.Helper()
	if err := o.db.OutboxWrite(context.Background(), func(tx *history.OutboxTx) error { return tx.SetClaim(c) }); err != nil {
		t.Fatal(err)
	}
}

// TestClaimOfAGoneProcess: a claim is free once its process is gone from this
// machine, or when it has not been renewed in time; a live process's claim, or one of
// another machine still renewed, is not.
func TestClaimOfAGoneProcess(t *testing.T) {
	srv := startServer(t)
	d := srv.dialer(t)
	o := openOutbox(t, t.TempDir(), newClock())
	host, _ := os.Hostname()
	gone := exec.Command(os.Args[0], "-test.run=^$")
	if err := gone.Run(); err != nil {
		t.Fatal(err)
	}
	later := time.Now().Add(time.Hour)
	waiting := 0
	for i, c := range []struct {
		claim history.OutboxClaim
		busy  bool
	}{
		{history.OutboxClaim{Owner: "ended", Host: host, PID: gone.Process.Pid, ExpiresAt: later}, false},
		{history.OutboxClaim{Owner: "alive", Host: host, PID: os.Getpid(), ExpiresAt: later}, true},
		{history.OutboxClaim{Owner: "elsewhere", Host: host + "-khac", PID: gone.Process.Pid, ExpiresAt: later}, true},
		{history.OutboxClaim{Owner: "lapsed", Host: host + "-khac", PID: 1, ExpiresAt: time.Now().Add(-time.Second)}, false},
		{history.OutboxClaim{}, false},
	} {
		if _, _, err := o.Enqueue(periodMessage(t, fmt.Sprintf("2023-%02d", i+1), 388)); err != nil {
			t.Fatal(err)
		}
		waiting++
		setClaim(t, o, c.claim)
		sent, _, err := o.Deliver(context.Background(), d)
		if c.busy != errors.Is(err, ErrBusy) || (!c.busy && (err != nil || sent != waiting)) {
			t.Errorf("claim %+v: sent %d of %d, %v", c.claim, sent, waiting, err)
		}
		if !c.busy {
			waiting = 0
		}
	}
	if n := len(srv.messages()); n != 5 {
		t.Errorf("received %d, want 5", n)
	}
}

// TestOutboxTables: the outbox is readable with SQL, as docs/serve.md shows: the
// state of each message and its bytes.
func TestOutboxTables(t *testing.T) {
	state := t.TempDir()
	o := openOutbox(t, state, newClock())
	m := periodMessage(t, "2023-09", 388)
	if _, _, err := o.Enqueue(m); err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("sqlite", filepath.Join(state, history.FileName))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var id, st, subject, created string
	var attempts, size int
	err = db.QueryRow(`SELECT id, state, attempts, subject, created_at, length(eml) FROM outbox_messages JOIN outbox_bodies USING (id)`).
		Scan(&id, &st, &attempts, &subject, &created, &size)
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := m.EML(newClock().Now())
	if id != m.ID() || st != StateQueued || attempts != 0 || subject != m.Subject || created != "2023-10-01T00:00:00.000000000Z" || size != len(raw) {
		t.Errorf("row %s %s %d %q %s %d", id, st, attempts, subject, created, size)
	}
}

// TestRun: the loop delivers what is queued at once, retries on the clock, and stops
// with its context.
func TestRun(t *testing.T) {
	srv := startServer(t)
	d := srv.dialer(t)
	clock := newClock()
	o := openOutbox(t, t.TempDir(), clock)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- o.Run(ctx, d) }()

	waitFor := func(what string, ok func() bool) {
		t.Helper()
		for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
			if ok() {
				return
			}
		}
		t.Fatalf("timed out waiting for %s: %+v", what, status(t, o))
	}
	m, _, _ := reportMessage(t, t.TempDir())
	if _, _, err := o.Enqueue(m); err != nil {
		t.Fatal(err)
	}
	// Wait until the outbox has recorded the server's reply, not only until the server
	// has the data: stopping it in between leaves the message uncertain and sent again.
	waitFor("the first message", func() bool {
		st := status(t, o)
		return len(srv.messages()) == 1 && len(st) == 1 && st[0].State == StateSent
	})

	srv.stop()
	s := testSummary()
	s.Period = "2023-10"
	m2, err := ReportMessage(s, testConfig(t), nil, testTemplates(t))
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := o.Enqueue(m2); err != nil {
		t.Fatal(err)
	}
	waitFor("a failed attempt", func() bool {
		for _, e := range status(t, o) {
			if e.Period == "2023-10" && e.Attempts == 1 && e.State == StateQueued {
				return true
			}
		}
		return false
	})
	srv.start()
	clock.Advance(time.Minute)
	waitFor("the retry", func() bool { return len(srv.messages()) == 2 })
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Run = %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not stop")
	}
}

func TestRetryPolicy(t *testing.T) {
	p := PolicyFrom(schema.Mail{})
	if p.Attempts != 8 || p.After != time.Minute || p.Max != time.Hour {
		t.Errorf("defaults %+v", p)
	}
	p = RetryPolicy{Attempts: 8, After: time.Minute, Max: 10 * time.Minute}
	want := []time.Duration{time.Minute, 2 * time.Minute, 4 * time.Minute, 8 * time.Minute, 10 * time.Minute, 10 * time.Minute}
	for i, w := range want {
		if got := p.wait(i + 1); got != w {
			t.Errorf("wait(%d) = %v, want %v", i+1, got, w)
		}
	}
}

// TestLostClaimStopsPass: a pass whose claim was taken over meanwhile (it lapsed, and
// another process took it) finds that as it records "sending", and sends nothing more.
func TestLostClaimStopsPass(t *testing.T) {
	srv := startServer(t)
	d := srv.dialer(t)
	o := openOutbox(t, t.TempDir(), newClock())
	if _, _, err := o.Enqueue(periodMessage(t, "2023-09", 388)); err != nil {
		t.Fatal(err)
	}
	gate := newGate(d)
	done := deliverAsync(o, gate)
	setClaim(t, o, history.OutboxClaim{Owner: "another", Host: "elsewhere", PID: 1, ExpiresAt: time.Now().Add(time.Hour)})
	close(gate.release)
	if r := <-done; r.err != nil || r.sent != 0 || r.failed != 0 {
		t.Fatalf("the pass that lost its claim: %+v", r)
	}
	if e := onlyEntry(t, o); len(srv.messages()) != 0 || e.State != StateQueued || e.Attempts != 0 {
		t.Fatalf("received %d, entry %+v", len(srv.messages()), e)
	}
}

// TestResendAfterCrash: `canbo send --period` on a message a dead process left in
// "sending" makes it due as a pass would: uncertain, same Message-ID, sent once more.
func TestResendAfterCrash(t *testing.T) {
	srv := startServer(t)
	state := t.TempDir()
	clock := newClock()
	o := openOutbox(t, state, clock)
	m := periodMessage(t, "2023-09", 388)
	if _, _, err := o.Enqueue(m); err != nil {
		t.Fatal(err)
	}
	deliverAndCrash(t, o, &crashDialer{Dialer: srv.dialer(t), afterReply: true})
	o2 := openOutbox(t, state, clock)
	if id, err := o2.Resend(m); err != nil || id != m.ID() {
		t.Fatalf("Resend = %q, %v", id, err)
	}
	if e := onlyEntry(t, o2); e.State != StateQueued || !e.Uncertain {
		t.Fatalf("after Resend %+v", e)
	}
	if sent, _ := deliver(t, o2, srv.dialer(t)); sent != 1 || len(srv.messages()) != 2 {
		t.Fatalf("sent %d, received %d", sent, len(srv.messages()))
	}
	if e := onlyEntry(t, o2); e.State != StateSent || !e.Uncertain || e.Attempts != 2 {
		t.Errorf("entry %+v", e)
	}
}
