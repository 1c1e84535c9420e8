package mail

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"testing"
	"time"

	"canbo/pipeline/history"
)

// crashChildEnv, set, makes TestProcessDiesMidSend the child process: it delivers
// from the outbox of the STATE it names and ends the process (os.Exit: no deferred
// clean-up, the claim stays taken) once the server has accepted the message, before
// the outbox records it.
const crashChildEnv = "CANBO_MAIL_CRASH_CHILD"

type crashChild struct {
	State string
	Port  int
}

// exitDialer ends the process once a message's data has been accepted.
type exitDialer struct{ Dialer }

type exitSession struct{ Session }

func (d exitDialer) Dial(ctx context.Context) (Session, error) {
	s, err := d.Dialer.Dial(ctx)
	if err != nil {
		return nil, err
	}
	return exitSession{s}, nil
}

func (s exitSession) Send(ctx context.Context, env Envelope, raw []byte, beforeData func() error) (string, error) {
	reply, err := s.Session.Send(ctx, env, raw, beforeData)
	if err == nil {
		os.Exit(3)
	}
	return reply, err
}

// TestProcessDiesMidSend: a process delivering dies between "sending" and "sent"
// (the server has the message), leaving its claim in the database. The next process
// takes the claim at once (its holder is gone), finds the message "sending", marks it
// uncertain and sends it again with the same Message-ID; a third start sends nothing.
func TestProcessDiesMidSend(t *testing.T) {
	if env := os.Getenv(crashChildEnv); env != "" {
		var c crashChild
		if err := json.Unmarshal([]byte(env), &c); err != nil {
			t.Fatal(err)
		}
		cfg := testConfig(t).Serve.Mail
		cfg.Port, cfg.Security = c.Port, SecurityNone
		d, err := NewDialer(cfg, WithTimeout(5*time.Second))
		if err != nil {
			t.Fatal(err)
		}
		o := openOutbox(t, c.State, newClock())
		_, _, err = o.Deliver(context.Background(), exitDialer{d})
		t.Fatalf("the child did not die: %v", err)
	}
	srv := startServer(t, withoutTLS())
	state := t.TempDir()
	clock := newClock()
	m := periodMessage(t, "2023-09", 388)
	if _, _, err := openOutbox(t, state, clock).Enqueue(m); err != nil {
		t.Fatal(err)
	}
	env, _ := json.Marshal(crashChild{State: state, Port: srv.port()})
	cmd := exec.Command(os.Args[0], "-test.run=^TestProcessDiesMidSend$", "-test.count=1")
	cmd.Env = append(os.Environ(), crashChildEnv+"="+string(env))
	out, err := cmd.CombinedOutput()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 3 {
		t.Fatalf("child: %v\n%s", err, out)
	}
	if len(srv.messages()) != 1 {
		t.Fatalf("the server has %d messages, want the child's 1", len(srv.messages()))
	}
	o := openOutbox(t, state, clock)
	if e := onlyEntry(t, o); e.State != StateSending || e.Attempts != 1 {
		t.Fatalf("after the child died %+v", e)
	}
	var left history.OutboxClaim
	if err := o.db.OutboxRead(context.Background(), func(tx *history.OutboxTx) (err error) {
		left, err = tx.Claim()
		return err
	}); err != nil || left.Owner == "" || left.PID != cmd.Process.Pid {
		t.Fatalf("the dead child's claim: %+v, %v", left, err)
	}
	if sent, failed := deliver(t, o, srv.dialer(t)); sent != 1 || failed != 0 {
		t.Fatalf("after the crash: sent %d, failed %d", sent, failed)
	}
	got := srv.messages()
	e := onlyEntry(t, o)
	if len(got) != 2 || !e.Uncertain || e.State != StateSent || e.Attempts != 2 ||
		parseEML(t, got[0].Data).Header.Get("Message-Id") != e.MessageID || parseEML(t, got[1].Data).Header.Get("Message-Id") != e.MessageID {
		t.Errorf("received %d, entry %+v", len(got), e)
	}
	if sent, _ := deliver(t, openOutbox(t, state, clock), srv.dialer(t)); sent != 0 || len(srv.messages()) != 2 {
		t.Error("sent a third time")
	}
}
