package serve

// Helpers of the end-to-end tests: one office's canbo serve on temporary folders,
// with the real configuration, real sample workbooks, a real SMTP server on loopback
// and fake clocks.

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/tls"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"io/fs"
	"log/slog"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	netmail "net/mail"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"
	"github.com/xuri/excelize/v2"

	"canbo/pipeline/history"
	"canbo/pipeline/inbox"
	"canbo/pipeline/internal/sheettest"
	"canbo/pipeline/mail"
	"canbo/pipeline/report"
	"canbo/pipeline/reporttext"
	"canbo/pipeline/rules"
	"canbo/pipeline/schema"
	"canbo/pipeline/summary"
	"canbo/pipeline/textfold"
	"canbo/templates"
)

var vn = func() *time.Location {
	l, err := time.LoadLocation("Asia/Ho_Chi_Minh")
	if err != nil {
		panic(err)
	}
	return l
}()

const (
	samples    = "../../samples"
	stableFor  = 10 * time.Second
	rescan     = time.Minute
	retryAfter = 5 * time.Minute

	smtpUser = "baocao@snv.soctrang.gov.vn"
	smtpPass = "mật khẩu thử 123"
	unitMail = "ubndmauloi@chodon.backan.gov.vn"
	unitName = "UBND xã Mẫu Lỗi"
	leader   = "giamdoc@snv.soctrang.gov.vn"
	clerk    = "vanthu@snv.soctrang.gov.vn"

	// waitLimit only ends a test that hangs; nothing is asserted on time.
	waitLimit = 3 * time.Minute
)

// Moments of the scenario, in Việt Nam time.
var (
	inboxStart = time.Date(2023, 9, 30, 6, 0, 0, 0, vn)  // units drop their files on the last day of September
	beforeRun  = time.Date(2023, 9, 30, 20, 0, 0, 0, vn) // canbo serve is running the evening before the 1st
	runTime    = time.Date(2023, 10, 1, 7, 0, 0, 0, vn)  // the schedule: 07:00 on the 1st → September's report
)

// office is canbo serve in one office: its folders, configuration, SMTP server and
// clocks. A Service is opened on it with start and closed with stop; several
// Services may be opened one after the other on the same folders (a restart).
type office struct {
	t                                      *testing.T
	root                                   string
	inbox, archive, quarantine, out, state string
	cfg                                    *schema.Config
	tools                                  report.Tools
	tm                                     *mail.Templates
	smtp                                   *smtpServer
	dialer                                 mail.Dialer

	// The schedule's clock is made anew for each Service at schedAt (gocron's
	// timers of a stopped Service stay registered on the clock it had). The inbox and
	// mail clocks go on across restarts; tests advance them.
	schedAt    time.Time
	schedClock *clockwork.FakeClock
	inClock    *clockwork.FakeClock
	mailClock  *clockwork.FakeClock
	logs       *logBuffer

	svc    *Service
	cancel context.CancelFunc
	done   chan error
}

// newOffice sets up an office. adjust may change serve.yaml before anything opens.
func newOffice(t *testing.T, adjust ...func(*schema.Serve)) *office {
	t.Helper()
	root := t.TempDir()
	o := &office{t: t, root: root,
		inbox:      filepath.Join(root, "nop-bao-cao"),
		archive:    filepath.Join(root, "luu-tru"),
		quarantine: filepath.Join(root, "cach-ly"),
		out:        filepath.Join(root, "bao-cao"),
		state:      filepath.Join(root, "state"),
		schedAt:    beforeRun,
		logs:       &logBuffer{},
	}
	o.smtp = startSMTP(t, smtpUser, smtpPass)
	// The password as Notepad saves it: a byte order mark and a line end.
	pw := filepath.Join(root, "mat-khau-thu.txt")
	if err := os.WriteFile(pw, []byte("\ufeff"+smtpPass+"\r\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg := sheettest.Config(t)
	cfg.Serve = schema.Serve{
		Inbox: o.inbox, Archive: o.archive, Quarantine: o.quarantine, Out: o.out, State: o.state,
		StableFor: stableFor, Rescan: rescan,
		Schedule: "0 7 1 * *", TimeZone: "Asia/Ho_Chi_Minh", Period: "previous",
		Mail: schema.Mail{
			Host: o.smtp.host(), Port: o.smtp.port(), Security: "starttls",
			Username: smtpUser, PasswordFile: pw,
			From:     "Sở Nội vụ <baocao@snv.soctrang.gov.vn>",
			To:       []string{"Giám đốc Sở <" + leader + ">"},
			Cc:       []string{clerk},
			Attempts: 8, RetryAfter: retryAfter, RetryMax: time.Hour,
			Feedback: true,
		},
		Units: []schema.UnitContact{{Unit: unitName, Email: unitMail}},
	}
	for _, a := range adjust {
		a(&cfg.Serve)
	}
	// What `canbo config check` checks of serve.yaml.
	if err := Check(cfg.Serve); err != nil {
		t.Fatal(err)
	}
	if err := mail.CheckConfig(cfg.Serve.Mail); err != nil {
		t.Fatal(err)
	}
	o.cfg = cfg
	o.tools, o.tm = loadTools(t, cfg)
	// The dialer serve.yaml gives, trusting the test server's certificate.
	d, err := mail.NewDialer(cfg.Serve.Mail, mail.WithTLSConfig(&tls.Config{RootCAs: o.smtp.roots}))
	if err != nil {
		t.Fatal(err)
	}
	o.dialer = d
	o.inClock = clockwork.NewFakeClockAt(inboxStart)
	o.mailClock = clockwork.NewFakeClockAt(inboxStart)
	t.Cleanup(func() {
		if o.svc != nil {
			o.stop()
		}
		if t.Failed() || os.Getenv("CANBO_TEST_LOG") != "" {
			t.Logf("nhật ký canbo serve:\n%s", o.logs)
		}
	})
	return o
}

// loadTools loads what canbo serve is given besides serve.yaml, as `canbo serve`
// does: the rules, the messages, the report texts and the mail templates.
func loadTools(t *testing.T, cfg *schema.Config) (report.Tools, *mail.Templates) {
	t.Helper()
	set, err := rules.Compile(cfg)
	if err != nil {
		t.Fatal(err)
	}
	txt, err := reporttext.Load(templates.FS)
	if err != nil {
		t.Fatal(err)
	}
	tm, err := mail.LoadTemplates(templates.FS)
	if err != nil {
		t.Fatal(err)
	}
	return report.Tools{Config: cfg, Rules: set, Catalog: sheettest.Catalog(t), Text: txt}, tm
}

// open opens a Service on the office without running it.
func (o *office) open() *Service {
	o.t.Helper()
	o.schedClock = clockwork.NewFakeClockAt(o.schedAt)
	log := slog.New(slog.NewTextHandler(o.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	svc, err := Open(o.cfg, o.tools, o.tm, Options{Log: log, ScheduleClock: o.schedClock, InboxClock: o.inClock,
		MailClock: o.mailClock, Now: o.schedClock.Now, Dialer: o.dialer})
	if err != nil {
		o.t.Fatal(err)
	}
	return svc
}

// start opens a Service (or runs the one given) and runs it in the background.
func (o *office) start(svc ...*Service) {
	o.t.Helper()
	if o.svc != nil {
		o.t.Fatal("a Service is already running")
	}
	if len(svc) > 0 {
		o.svc = svc[0]
	} else {
		o.svc = o.open()
	}
	ctx, cancel := context.WithCancel(context.Background())
	o.cancel, o.done = cancel, make(chan error, 1)
	s := o.svc
	go func() { o.done <- s.Run(ctx) }()
}

// stop cancels the Service's context, as SIGTERM does, waits for Run to return and
// closes it.
func (o *office) stop() {
	o.t.Helper()
	o.cancel()
	select {
	case err := <-o.done:
		if err != nil {
			o.t.Errorf("Run: %v", err)
		}
	case <-time.After(waitLimit):
		o.t.Fatal("Run did not return after its context was cancelled")
	}
	if err := o.svc.Close(); err != nil {
		o.t.Errorf("Close: %v", err)
	}
	o.svc = nil
}

// waitFor polls cond, calling tick (to advance a fake clock) between looks. Ticks
// come every 50 ms: the inbox's clock then moves 200 s a second, and a file without
// an as-of date (which counts in the month it is received) stays in September for
// more than five minutes of waiting.
func (o *office) waitFor(what string, cond func() bool, tick func()) {
	o.t.Helper()
	deadline := time.Now().Add(waitLimit)
	pause := 20 * time.Millisecond
	if tick != nil {
		pause = 50 * time.Millisecond
	}
	for !cond() {
		if time.Now().After(deadline) {
			o.t.Fatalf("gave up waiting for %s", what)
		}
		if tick != nil {
			tick()
		}
		time.Sleep(pause)
	}
}

// tickInbox lets the inbox's stability wait pass.
func (o *office) tickInbox() { o.inClock.Advance(stableFor) }

// tickMail lets a minute of the outbox's clock pass.
func (o *office) tickMail() { o.mailClock.Advance(time.Minute) }

// fire waits for the schedule to be armed, then moves its clock to t.
func (o *office) fire(t time.Time) {
	o.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), waitLimit)
	defer cancel()
	if err := o.schedClock.BlockUntilContext(ctx, 1); err != nil {
		o.t.Fatal("the schedule was never armed")
	}
	o.schedClock.Advance(t.Sub(o.schedClock.Now()))
}

// drop writes a file into the inbox (rel is "/"-separated) and returns its sha256.
func (o *office) drop(rel string, data []byte) string {
	o.t.Helper()
	p := filepath.Join(o.inbox, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		o.t.Fatal(err)
	}
	if err := os.WriteFile(p, data, 0o644); err != nil {
		o.t.Fatal(err)
	}
	return sum(data)
}

// dropSample copies a sample workbook into the inbox.
func (o *office) dropSample(rel, sample string) string {
	o.t.Helper()
	return o.drop(rel, readSample(o.t, sample))
}

func readSample(t *testing.T, sample string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(samples, filepath.FromSlash(sample)))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func sum(data []byte) string {
	s := sha256.Sum256(data)
	return hex.EncodeToString(s[:])
}

// history runs f on the history: the running Service's, or opened for the purpose
// while none runs.
func (o *office) history(f func(db *history.DB)) {
	o.t.Helper()
	if o.svc != nil {
		f(o.svc.db)
		return
	}
	db, err := history.Open(filepath.Join(o.state, history.FileName))
	if err != nil {
		o.t.Fatal(err)
	}
	defer db.Close()
	f(db)
}

// received is the history's log of what the inbox took.
func (o *office) received() []history.Received {
	o.t.Helper()
	var out []history.Received
	o.history(func(db *history.DB) {
		r, err := db.Received(context.Background(), time.Time{})
		if err != nil {
			o.t.Fatal(err)
		}
		out = r
	})
	return out
}

// receivedAs is the received events of the file named name (as dropped).
func (o *office) receivedAs(name string) []history.Received {
	var out []history.Received
	for _, r := range o.received() {
		if textfold.Clean(r.Name) == textfold.Clean(name) {
			out = append(out, r)
		}
	}
	return out
}

// waitTaken ticks the inbox clock until each named file (base names) has been
// taken and recorded.
func (o *office) waitTaken(names ...string) {
	o.t.Helper()
	o.waitFor("files taken: "+strings.Join(names, ", "), func() bool {
		for _, n := range names {
			if len(o.receivedAs(n)) == 0 {
				return false
			}
		}
		return true
	}, o.tickInbox)
}

// runs lists the history's runs of a period, oldest first.
func (o *office) runs(period string) []history.Run {
	o.t.Helper()
	var out []history.Run
	o.history(func(db *history.DB) {
		all, err := db.Runs(context.Background(), 0)
		if err != nil {
			o.t.Fatal(err)
		}
		for i := len(all) - 1; i >= 0; i-- {
			if all[i].Period == period {
				out = append(out, all[i])
			}
		}
	})
	return out
}

// outbox lists the outbox's messages.
func (o *office) outbox() []mail.Entry {
	o.t.Helper()
	var es []mail.Entry
	o.mailbox(func(ob *mail.Outbox) {
		var err error
		if es, err = ob.Status(); err != nil {
			o.t.Fatal(err)
		}
	})
	return es
}

// queuedEML is a pending message's bytes in the outbox; it fails the test if the
// message is sent or has none.
func (o *office) queuedEML(id string) []byte {
	o.t.Helper()
	var raw []byte
	o.mailbox(func(ob *mail.Outbox) {
		es, err := ob.Status()
		if err != nil {
			o.t.Fatal(err)
		}
		for _, e := range es {
			if e.ID == id && e.State == mail.StateSent {
				o.t.Fatalf("%s is sent, not pending", id)
			}
		}
		if raw, err = ob.EML(id); err != nil || raw == nil {
			o.t.Fatalf("%s is not in the outbox (%v)", id, err)
		}
	})
	return raw
}

// mailbox opens the outbox in the history database, as `canbo status` does.
func (o *office) mailbox(f func(*mail.Outbox)) {
	o.t.Helper()
	o.history(func(db *history.DB) {
		ob, err := mail.OpenOutbox(db, o.state)
		if err != nil {
			o.t.Fatal(err)
		}
		ob.Log = slog.New(slog.NewTextHandler(io.Discard, nil))
		f(ob)
	})
}

// mails are the messages the SMTP server accepted, parsed; kind is "report",
// "feedback" or "" for all.
func (o *office) mails(kind string) []parsedMail {
	o.t.Helper()
	var out []parsedMail
	for _, d := range o.smtp.messages() {
		m := parseMail(o.t, d)
		if kind == "" || m.Kind == kind {
			out = append(out, m)
		}
	}
	return out
}

// waitMails waits until the server has n messages of a kind; tick advances the mail clock.
func (o *office) waitMails(kind string, n int) []parsedMail {
	o.t.Helper()
	o.waitFor(kind+" mail at the server", func() bool { return len(o.mails(kind)) >= n }, o.tickMail)
	return o.mails(kind)
}

// settle lets the outbox's clock run for a while (hours of it), so that anything
// that would still be sent is sent: a test then checks nothing more arrived.
func (o *office) settle() {
	for i := 0; i < 5; i++ {
		o.mailClock.Advance(2 * time.Hour)
		time.Sleep(100 * time.Millisecond)
	}
}

// summary reads OUT/period/summary.json.
func (o *office) summary(period string) *summary.Summary {
	o.t.Helper()
	data, err := os.ReadFile(filepath.Join(o.out, period, "summary.json"))
	if err != nil {
		o.t.Fatal(err)
	}
	var s summary.Summary
	if err := json.Unmarshal(data, &s); err != nil {
		o.t.Fatal(err)
	}
	return &s
}

// stored lists the sha256 of every file in the archive (by its sidecar) and the
// quarantine (by its note), with how many copies each has.
func (o *office) stored() (archived, quarantined map[string]int) {
	o.t.Helper()
	archived, quarantined = map[string]int{}, map[string]int{}
	_ = filepath.WalkDir(o.archive, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, inbox.SidecarExt) || strings.HasPrefix(d.Name(), ".") {
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			o.t.Fatal(err)
		}
		var sc inbox.Sidecar
		if err := json.Unmarshal(data, &sc); err != nil {
			o.t.Fatal(err)
		}
		archived[sc.SHA256]++
		return nil
	})
	entries, _ := os.ReadDir(o.quarantine)
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), inbox.NoteExt) {
			continue
		}
		data, err := os.ReadFile(filepath.Join(o.quarantine, e.Name()))
		if err != nil {
			o.t.Fatal(err)
		}
		for _, line := range strings.Split(string(data), "\n") {
			if v, ok := strings.CutPrefix(strings.TrimSpace(line), "sha256: "); ok {
				quarantined[v]++
			}
		}
	}
	return archived, quarantined
}

// inInbox lists the files left in the inbox, "/"-separated, with their sha256.
func (o *office) inInbox() map[string]string {
	o.t.Helper()
	out := map[string]string{}
	_ = filepath.WalkDir(o.inbox, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return nil
		}
		rel, _ := filepath.Rel(o.inbox, p)
		out[filepath.ToSlash(rel)] = sum(data)
		return nil
	})
	return out
}

// logBuffer collects the Service's log for a failing test.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *logBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func (b *logBuffer) contains(s string) bool { return strings.Contains(b.String(), s) }

// parsedMail is a received message taken apart as a mail program would.
type parsedMail struct {
	Header      netmail.Header
	Envelope    []string // RCPT TO
	TLS         bool
	User        string
	Kind        string // X-Canbo-Kind
	Subject     string // decoded
	Body        string // decoded text/plain
	Attachments map[string][]byte
}

func parseMail(t *testing.T, d delivery) parsedMail {
	t.Helper()
	msg, err := netmail.ReadMessage(bytes.NewReader(d.Data))
	if err != nil {
		t.Fatal(err)
	}
	var dec mime.WordDecoder
	subject, err := dec.DecodeHeader(msg.Header.Get("Subject"))
	if err != nil {
		t.Fatalf("subject %q: %v", msg.Header.Get("Subject"), err)
	}
	m := parsedMail{Header: msg.Header, Envelope: d.To, TLS: d.TLS, User: d.User, Kind: msg.Header.Get("X-Canbo-Kind"),
		Subject: subject, Attachments: map[string][]byte{}}
	walkPart(t, &m, msg.Header, msg.Body)
	return m
}

type headerGetter interface{ Get(string) string }

// walkPart decodes one MIME part (recursively for multipart ones).
func walkPart(t *testing.T, m *parsedMail, h headerGetter, body io.Reader) {
	t.Helper()
	ct := h.Get("Content-Type")
	if ct == "" {
		ct = "text/plain"
	}
	mt, params, err := mime.ParseMediaType(ct)
	if err != nil {
		t.Fatalf("Content-Type %q: %v", ct, err)
	}
	if strings.HasPrefix(mt, "multipart/") {
		mr := multipart.NewReader(body, params["boundary"])
		for {
			p, err := mr.NextPart() // quoted-printable is decoded by NextPart
			if errors.Is(err, io.EOF) {
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if name := p.FileName(); name != "" {
				var r io.Reader = p
				if strings.EqualFold(p.Header.Get("Content-Transfer-Encoding"), "base64") {
					r = base64.NewDecoder(base64.StdEncoding, p)
				}
				data, err := io.ReadAll(r)
				if err != nil {
					t.Fatal(err)
				}
				m.Attachments[name] = data
				continue
			}
			walkPart(t, m, p.Header, p)
		}
	}
	var r = body
	if strings.EqualFold(h.Get("Content-Transfer-Encoding"), "quoted-printable") {
		r = quotedprintable.NewReader(body)
	}
	data, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	if mt == "text/plain" {
		m.Body += string(data)
	}
}

// attachment returns the attachment whose name ends with ext.
func (m parsedMail) attachment(t *testing.T, ext string) (string, []byte) {
	t.Helper()
	for name, data := range m.Attachments {
		if strings.HasSuffix(strings.ToLower(name), ext) {
			return name, data
		}
	}
	t.Fatalf("no %s attachment in %q (attachments: %v)", ext, m.Subject, keys(m.Attachments))
	return "", nil
}

func keys(m map[string][]byte) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

// sheetRows reads every row of every sheet of an attached workbook.
func sheetRows(t *testing.T, data []byte) map[string][][]string {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out := map[string][][]string{}
	for _, sh := range f.GetSheetList() {
		rows, err := f.GetRows(sh)
		if err != nil {
			t.Fatal(err)
		}
		out[sh] = rows
	}
	return out
}

// olderNghiaTa is the sample of xã Nghĩa Tá as the commune first sent it: the list
// as at 15/09/2023, one person fewer (18). The real sample (as at 30/09/2023, 19
// people) replaces it later in the month.
func olderNghiaTa(t *testing.T) []byte {
	t.Helper()
	f, err := excelize.OpenFile(filepath.Join(samples, "cho-don", "UBND xã Nghĩa Tá.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows("DS")
	if err != nil {
		t.Fatal(err)
	}
	for r, row := range rows {
		for c, v := range row {
			cell, _ := excelize.CoordinatesToCellName(c+1, r+1)
			switch {
			case strings.Contains(v, "30/09/2023"):
				err = f.SetCellValue("DS", cell, strings.Replace(v, "30/09/2023", "15/09/2023", 1))
			case strings.Contains(v, "19 người"):
				err = f.SetCellValue("DS", cell, strings.Replace(v, "19 người", "18 người", 1))
			}
			if err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := f.RemoveRow("DS", 31); err != nil { // person 19, Hà Thị Thu Hương
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
