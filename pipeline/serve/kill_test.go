//go:build !windows

package serve

// canbo serve in a process of its own, killed (SIGKILL) at exact moments and started
// again: what is on disk — the archive, the history, the outbox — is all a restart
// has. The child is this test binary, run again in child mode.

import (
	"bufio"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"

	"canbo/pipeline/history"
	"canbo/pipeline/internal/sheettest"
	"canbo/pipeline/mail"
	"canbo/pipeline/schema"
)

// childEnv carries the child's settings (childConfig as JSON); set, the test binary
// runs canbo serve instead of the test.
const childEnv = "CANBO_SERVE_TEST_CHILD"

type childConfig struct {
	Serve      schema.Serve
	CA         string    // PEM file of the SMTP server's certificate
	ScheduleAt time.Time // the schedule's (fixed) clock: a missed run is caught up at start
	Pause      string    // a Service step at which the child stops and waits to be killed
}

// TestServeKilled: a child canbo serve takes two files and is stopped with SIGTERM
// (exit 0); the next, started after 07:00 on the 1st, catches September up and is
// killed right after the report is recorded, before its mail is queued; the next
// queues the mail and is killed while the server holds its reply to the message's
// data; the last sends it again with the same Message-ID (the one case SMTP leaves
// open, see package mail) and stops cleanly. No file is lost or stored twice, the
// report is made once.
func TestServeKilled(t *testing.T) {
	if os.Getenv(childEnv) != "" {
		runChild(t)
		return
	}
	if testing.Short() {
		t.Skip("starts processes")
	}
	t.Parallel()
	o := newOffice(t, noUnits, func(s *schema.Serve) {
		// Real clocks in the child: short waits.
		s.StableFor, s.Rescan = 50*time.Millisecond, 200*time.Millisecond
		s.Mail.RetryAfter, s.Mail.RetryMax = 200*time.Millisecond, time.Second
	})
	ca := filepath.Join(o.root, "smtp-ca.pem")
	if err := os.WriteFile(ca, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: o.smtp.cert.Leaf.Raw}), 0o644); err != nil {
		t.Fatal(err)
	}
	spawn := func(at time.Time, pause string) *childProc {
		return startChild(t, o, childConfig{Serve: o.cfg.Serve, CA: ca, ScheduleAt: at, Pause: pause})
	}
	a := o.dropSample("Sở Nội vụ.xlsx", "soc-trang/Sở Nội vụ.xlsx")
	b := o.dropSample("Văn phòng Tỉnh ủy.xlsx", "soc-trang/Văn phòng Tỉnh ủy.xlsx")

	// 1. The evening before: the files are taken; SIGTERM stops it cleanly.
	c := spawn(beforeRun, "")
	o.waitFor("both files archived", func() bool {
		ar, _ := o.stored()
		return ar[a] == 1 && ar[b] == 1 && len(o.inInbox()) == 0
	}, nil)
	if err := c.terminate(); err != nil {
		t.Fatalf("SIGTERM: %v\n%s", err, c.log)
	}
	if !strings.Contains(c.log.String(), "canbo serve đã dừng") {
		t.Errorf("no clean stop in the log:\n%s", c.log)
	}
	if n := len(o.received()); n != 2 {
		t.Errorf("%d files recorded, want 2", n)
	}

	// 2. 08:00 on the 1st: September is caught up; killed once it is recorded.
	c = spawn(runTime.Add(time.Hour), "reported")
	c.waitLine("PAUSED reported")
	c.kill()
	if runs := o.runs("2023-09"); len(runs) != 1 || runs[0].Status != history.StatusOK || len(o.outbox()) != 0 {
		t.Fatalf("after the kill: runs %+v, outbox %+v", runs, o.outbox())
	}

	// 3. Started again: the mail is queued and sent; killed while the server holds
	// its reply to the data (it has the message).
	release := make(chan struct{})
	o.smtp.mu.Lock()
	o.smtp.hold = func() { <-release }
	o.smtp.mu.Unlock()
	c = spawn(runTime.Add(2*time.Hour), "")
	o.waitFor("the message at the server", func() bool { return o.smtp.count() == 1 }, nil)
	c.kill()
	o.smtp.mu.Lock()
	o.smtp.hold = nil
	o.smtp.mu.Unlock()
	close(release)
	if e := o.outboxEntry("report"); e.State != mail.StateSending {
		t.Fatalf("killed during DATA, the message is %s", e.State)
	}

	// 4. Started again: the message may have arrived, so it goes again, marked
	// uncertain, with the same Message-ID; then a clean stop.
	c = spawn(runTime.Add(3*time.Hour), "")
	o.waitFor("the message sent again", func() bool { return o.smtp.count() == 2 }, nil)
	o.waitFor("the delivery recorded", func() bool { return o.outboxEntry("report").State == mail.StateSent }, nil)
	if err := c.terminate(); err != nil {
		t.Fatalf("SIGTERM: %v\n%s", err, c.log)
	}
	got := o.mails(mail.KindReport)
	e := o.outboxEntry("report")
	if len(got) != 2 || got[0].Header.Get("Message-Id") != got[1].Header.Get("Message-Id") || got[0].Header.Get("Message-Id") != e.MessageID || !e.Uncertain {
		t.Errorf("deliveries %d, Message-IDs %q / %q, outbox %+v", len(got), got[0].Header.Get("Message-Id"), got[len(got)-1].Header.Get("Message-Id"), e)
	}
	ar, q := o.stored()
	if len(ar) != 2 || ar[a] != 1 || ar[b] != 1 || len(q) != 0 || len(o.inInbox()) != 0 {
		t.Errorf("archive %v, quarantine %v, inbox %v", ar, q, o.inInbox())
	}
	if runs := o.runs("2023-09"); len(runs) != 1 || runs[0].Trigger != history.TriggerCatchUp {
		t.Errorf("runs of 2023-09: %+v", runs)
	}
}

// childProc is a running child canbo serve.
type childProc struct {
	t     *testing.T
	cmd   *exec.Cmd
	lines chan string
	log   *logBuffer // its stderr: the Service's log
	done  chan error
}

func startChild(t *testing.T, o *office, cfg childConfig) *childProc {
	t.Helper()
	data, err := json.Marshal(cfg)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestServeKilled$", "-test.count=1", "-test.timeout=5m")
	cmd.Env = append(os.Environ(), childEnv+"="+string(data))
	c := &childProc{t: t, cmd: cmd, lines: make(chan string, 64), log: &logBuffer{}, done: make(chan error, 1)}
	cmd.Stderr = c.log
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			c.lines <- sc.Text()
		}
		close(c.lines)
		c.done <- cmd.Wait()
	}()
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			_ = cmd.Process.Kill()
		}
		if t.Failed() {
			t.Logf("child log:\n%s", c.log)
		}
	})
	return c
}

// waitLine waits for a line the child prints.
func (c *childProc) waitLine(want string) {
	c.t.Helper()
	timeout := time.After(waitLimit)
	for {
		select {
		case l, ok := <-c.lines:
			if !ok {
				c.t.Fatalf("the child ended before %q:\n%s", want, c.log)
			}
			if l == want {
				return
			}
		case <-timeout:
			c.t.Fatalf("the child never said %q:\n%s", want, c.log)
		}
	}
}

// kill ends the child with SIGKILL: no clean-up of any kind.
func (c *childProc) kill() {
	c.t.Helper()
	if err := c.cmd.Process.Kill(); err != nil {
		c.t.Fatal(err)
	}
	c.wait()
}

// terminate sends SIGTERM, as systemd does, and returns how the child ended.
func (c *childProc) terminate() error {
	c.t.Helper()
	if err := c.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		c.t.Fatal(err)
	}
	return c.wait()
}

func (c *childProc) wait() error {
	c.t.Helper()
	go func() {
		for range c.lines { // drain
		}
	}()
	select {
	case err := <-c.done:
		return err
	case <-time.After(waitLimit):
		c.t.Fatal("the child did not end")
		return nil
	}
}

// runChild is the child: canbo serve on the parent's folders and SMTP server, with
// real clocks except the schedule's, until SIGTERM.
func runChild(t *testing.T) {
	var cc childConfig
	if err := json.Unmarshal([]byte(os.Getenv(childEnv)), &cc); err != nil {
		t.Fatal(err)
	}
	cfg := sheettest.Config(t)
	cfg.Serve = cc.Serve
	tools, tm := loadTools(t, cfg)
	pemData, err := os.ReadFile(cc.CA)
	if err != nil {
		t.Fatal(err)
	}
	roots := x509.NewCertPool()
	if !roots.AppendCertsFromPEM(pemData) {
		t.Fatal("no certificate in " + cc.CA)
	}
	d, err := mail.NewDialer(cfg.Serve.Mail, mail.WithTLSConfig(&tls.Config{RootCAs: roots}))
	if err != nil {
		t.Fatal(err)
	}
	sched := clockwork.NewFakeClockAt(cc.ScheduleAt)
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	svc, err := Open(cfg, tools, tm, Options{Log: log, ScheduleClock: sched, Now: sched.Now, Dialer: d})
	if err != nil {
		t.Fatal(err)
	}
	svc.step = func(name string) error {
		fmt.Println("STEP " + name)
		if name == cc.Pause {
			fmt.Println("PAUSED " + name)
			select {} // until killed
		}
		return nil
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM)
	defer stop()
	err = svc.Run(ctx)
	if cerr := svc.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
}
