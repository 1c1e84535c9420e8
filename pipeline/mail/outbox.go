package mail

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"mime"
	"net/mail"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"canbo/pipeline/internal/filelock"
	"canbo/pipeline/outfile"
	"canbo/pipeline/schema"
)

// States of a queued message, as its status file records them.
const (
	StateQueued  = "queued"  // waiting for its next attempt
	StateSending = "sending" // recorded just before DATA; found at start-up it means the process died mid-send
	StateSent    = "sent"    // the server accepted it (250 after DATA)
	StateHeld    = "held"    // this process gave up (attempts used, or a permanent error); retried at the next start or by Resend
)

// Folders of the outbox under STATE/outbox/.
const (
	FolderPending = "pending"
	FolderSent    = "sent"
)

// ErrBusy means another canbo process (or another Outbox on the same folder) is
// delivering right now; what was queued will go out with its pass.
var ErrBusy = errors.New("hộp thư đi đang được một tiến trình canbo khác sử dụng (canbo serve đang chạy?)")

// Entry is one message's status file (<id>.json beside <id>.eml).
type Entry struct {
	ID           string    `json:"id"`
	Key          string    `json:"key"` // kind/period[/unit[/ref]]: one message per key, see Outbox.Enqueue
	Kind         string    `json:"kind"`
	Period       string    `json:"period"`
	Unit         string    `json:"unit,omitempty"`
	MessageID    string    `json:"message_id"`
	Subject      string    `json:"subject"`
	From         string    `json:"from"`       // envelope sender
	Recipients   []string  `json:"recipients"` // envelope recipients: To and Cc
	Size         int64     `json:"size"`       // bytes of the .eml
	State        string    `json:"state"`
	Attempts     int       `json:"attempts"` // over all process starts
	LastError    string    `json:"last_error,omitempty"`
	LastAttempt  time.Time `json:"last_attempt,omitzero"`
	NextAttempt  time.Time `json:"next_attempt,omitzero"`
	Created      time.Time `json:"created"`
	SendingSince time.Time `json:"sending_since,omitzero"`
	// Uncertain: an earlier attempt may have been delivered (the process died
	// during DATA, or the server's reply never came). The message is sent again
	// with the same Message-ID.
	Uncertain bool      `json:"uncertain,omitempty"`
	SentAt    time.Time `json:"sent_at,omitzero"`
	Response  string    `json:"response,omitempty"` // the server's reply to the data: "250 2.0.0 Ok: queued as …"
	Resend    int       `json:"resend,omitempty"`   // queued by Resend (canbo send) after this many messages of its key were sent
	Replaces  []string  `json:"replaces,omitempty"` // pending messages of the same key this one replaced

	Folder string `json:"-"` // FolderPending or FolderSent
	EML    string `json:"-"` // path of the .eml
}

// RetryPolicy says how often delivery is tried.
type RetryPolicy struct {
	Attempts int           // tries per process start; then the message is held until the next start or a Resend
	After    time.Duration // wait after the first failure, doubled after each further one
	Max      time.Duration // longest wait
}

// PolicyFrom reads serve.yaml's mail.attempts, retry_after and retry_max, with the
// defaults 8, 1 minute and 1 hour.
func PolicyFrom(m schema.Mail) RetryPolicy {
	p := RetryPolicy{Attempts: m.Attempts, After: m.RetryAfter, Max: m.RetryMax}
	if p.Attempts <= 0 {
		p.Attempts = 8
	}
	if p.After <= 0 {
		p.After = time.Minute
	}
	if p.Max <= 0 {
		p.Max = time.Hour
	}
	if p.Max < p.After {
		p.Max = p.After
	}
	return p
}

// wait is the pause after the n-th failed try of this process (n >= 1).
func (p RetryPolicy) wait(n int) time.Duration {
	d := p.After
	for i := 1; i < n && d < p.Max; i++ {
		d *= 2
	}
	return min(d, p.Max)
}

// Clock is the time source of an Outbox; tests inject a fake one.
type Clock interface {
	Now() time.Time
	After(d time.Duration) <-chan time.Time
}

type realClock struct{}

func (realClock) Now() time.Time                         { return time.Now() }
func (realClock) After(d time.Duration) <-chan time.Time { return time.After(d) }

// Outbox is the folder STATE/outbox/: every message is written there complete
// (pending/<id>.eml with pending/<id>.json) before any attempt to send it, and moved
// to sent/ once the server has accepted it. A restart finds everything still to send
// on disk. See the package documentation for the exactly-once rules.
//
// Make one with OpenOutbox and set the exported fields before first use (the command
// layer sets Policy from PolicyFrom(cfg.Serve.Mail) and Log). An Outbox is safe for concurrent use;
// passes are serialised, across processes too, by a lock file.
type Outbox struct {
	Dir      string        // STATE/outbox
	Policy   RetryPolicy   // default PolicyFrom(schema.Mail{})
	Clock    Clock         // default the real clock
	Log      *slog.Logger  // default slog.Default()
	LockWait time.Duration // how long Enqueue and Resend wait for a delivery pass to finish; default 2 minutes
	Poll     time.Duration // Run looks for work at least this often (other processes may queue); default 1 minute

	sem   chan struct{} // the in-process half of the lock
	wake  chan struct{} // Enqueue → Run
	mu    sync.Mutex
	tries map[string]int // attempts by this process, per message ID
}

// OpenOutbox opens (creating if needed) STATE/outbox. Opening changes nothing else:
// repairs after a crash happen under the lock, at the next Enqueue or Deliver.
func OpenOutbox(stateDir string) (*Outbox, error) {
	dir := filepath.Join(stateDir, "outbox")
	for _, d := range []string{FolderPending, FolderSent} {
		if err := os.MkdirAll(filepath.Join(dir, d), 0o755); err != nil {
			return nil, fmt.Errorf("tạo thư mục hộp thư đi: %w", err)
		}
	}
	return &Outbox{Dir: dir, Policy: PolicyFrom(schema.Mail{}), sem: make(chan struct{}, 1),
		wake: make(chan struct{}, 1), tries: map[string]int{}}, nil
}

func (o *Outbox) now() time.Time {
	if o.Clock == nil {
		return time.Now()
	}
	return o.Clock.Now()
}

func (o *Outbox) log() *slog.Logger {
	if o.Log == nil {
		return slog.Default()
	}
	return o.Log
}

func (o *Outbox) policy() RetryPolicy {
	return PolicyFrom(schema.Mail{Attempts: o.Policy.Attempts, RetryAfter: o.Policy.After, RetryMax: o.Policy.Max})
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

// lock takes the outbox: first in this process, then the lock file against other
// processes. It waits up to wait (polling), then returns ErrBusy.
func (o *Outbox) lock(wait time.Duration) (unlock func(), err error) {
	deadline := time.Now().Add(wait)
	for {
		select {
		case o.sem <- struct{}{}:
			un, err := filelock.Lock(filepath.Join(o.Dir, "outbox.lock"))
			if err == nil {
				return func() { _ = un(); <-o.sem }, nil
			}
			<-o.sem
			if !errors.Is(err, filelock.ErrLocked) {
				return nil, fmt.Errorf("khóa hộp thư đi: %w", err)
			}
		default:
		}
		if !time.Now().Before(deadline) {
			return nil, ErrBusy
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func (o *Outbox) lockWait() time.Duration {
	if o.LockWait > 0 {
		return o.LockWait
	}
	return 2 * time.Minute
}

func (o *Outbox) path(folder, id, ext string) string {
	return filepath.Join(o.Dir, folder, id+ext)
}

// Enqueue writes m into the outbox for delivery, unless the outbox already has it:
//
//   - the same message (same ID: same content) pending or sent: nothing is written;
//     dup is true and id is that message's;
//   - another message with the same key (kind, period, unit) already sent, or possibly
//     sent (it reached DATA): nothing is written; dup is true and id is that message's.
//     A re-run with changed figures for a period already sent is not sent again by
//     itself; `canbo send --period` (Resend) does it on purpose;
//   - another message with the same key still pending and never tried up to DATA:
//     m replaces it (leadership gets the newest figures, once); dup is false.
//
// The .eml is complete when Enqueue returns, attachments included.
func (o *Outbox) Enqueue(m *Message) (id string, dup bool, err error) {
	unlock, err := o.lock(o.lockWait())
	if err != nil {
		return "", false, err
	}
	defer o.signal() // after unlock (deferred calls run last first), so Run's pass can take the lock
	defer unlock()
	entries, err := o.repair()
	if err != nil {
		return "", false, err
	}
	m.resend = 0
	id, key := m.ID(), m.Key()
	var replace []*Entry
	for _, e := range entries {
		if e.ID == id {
			return id, true, nil
		}
	}
	for _, e := range entries {
		if e.Key != key {
			continue
		}
		if e.Folder == FolderSent || e.Uncertain || e.State == StateSending {
			o.log().Info("thư cho kỳ này đã gửi (hoặc có thể đã gửi); nội dung mới không tự gửi lại — dùng canbo send --period để gửi lại",
				"key", key, "sent", e.ID, "new", id)
			return e.ID, true, nil
		}
		replace = append(replace, e)
	}
	if err := o.write(m, 0, replace); err != nil {
		return "", false, err
	}
	return id, false, nil
}

// Resend queues m to be sent even though its period was sent already: `canbo send
// --period`. If the very same message is still pending (not yet delivered), it is made
// due now and its attempts start again, rather than queued twice. Otherwise m is queued
// as a new message (new ID, new Message-ID, replacing pending messages of its key that
// never reached DATA).
func (o *Outbox) Resend(m *Message) (id string, err error) {
	unlock, err := o.lock(o.lockWait())
	if err != nil {
		return "", err
	}
	defer o.signal()
	defer unlock()
	entries, err := o.repair()
	if err != nil {
		return "", err
	}
	byID := map[string]*Entry{}
	for _, e := range entries {
		byID[e.ID] = e
	}
	for r := 0; r <= len(entries); r++ {
		m.resend = r
		id = m.ID()
		e := byID[id]
		if e == nil {
			break
		}
		if e.Folder == FolderPending {
			// Not delivered yet: send it now rather than a second copy.
			e.State, e.NextAttempt = StateQueued, o.now()
			if err := o.saveStatus(e); err != nil {
				return "", err
			}
			o.mu.Lock()
			delete(o.tries, id)
			o.mu.Unlock()
			return id, nil
		}
	}
	var replace []*Entry
	count := 0
	for _, e := range entries {
		if e.Key != m.Key() {
			continue
		}
		if e.Folder == FolderSent {
			count++
		} else if !e.Uncertain && e.State != StateSending {
			replace = append(replace, e)
		}
	}
	if err := o.write(m, count, replace); err != nil {
		return "", err
	}
	return id, nil
}

// write renders m into pending/ (.eml first: it is the message; the .json after it
// only describes it) and then removes the entries it replaces.
func (o *Outbox) write(m *Message, resend int, replace []*Entry) error {
	now := o.now()
	env, err := m.Envelope()
	if err != nil {
		return err
	}
	raw, err := m.EML(now)
	if err != nil {
		return err
	}
	e := &Entry{ID: m.ID(), Key: m.Key(), Kind: m.Kind, Period: m.Period, Unit: m.Unit, MessageID: "<" + m.MessageID() + ">",
		Subject: m.Subject, From: env.From, Recipients: env.To, Size: int64(len(raw)), State: StateQueued,
		NextAttempt: now, Created: now, Resend: resend, Folder: FolderPending}
	for _, r := range replace {
		e.Replaces = append(e.Replaces, r.ID)
	}
	e.EML = o.path(FolderPending, e.ID, ".eml")
	if err := outfile.WriteBytes(e.EML, raw, 0o644); err != nil {
		return fmt.Errorf("ghi thư vào hộp thư đi: %w", err)
	}
	if err := o.saveStatus(e); err != nil {
		return err
	}
	for _, r := range replace {
		o.log().Info("thư chưa gửi được thay bằng thư mới cùng kỳ", "old", r.ID, "new", e.ID)
		o.remove(r)
	}
	return nil
}

func (o *Outbox) signal() {
	select {
	case o.wake <- struct{}{}:
	default:
	}
}

// remove deletes a pending entry: status first, so that a crash in between leaves an
// .eml that repair re-describes and then drops as replaced.
func (o *Outbox) remove(e *Entry) {
	_ = os.Remove(o.path(e.Folder, e.ID, ".json"))
	_ = os.Remove(o.path(e.Folder, e.ID, ".eml"))
}

func (o *Outbox) saveStatus(e *Entry) error {
	data, err := json.MarshalIndent(e, "", "  ")
	if err != nil {
		return err
	}
	if err := outfile.WriteBytes(o.path(e.Folder, e.ID, ".json"), append(data, '\n'), 0o644); err != nil {
		return fmt.Errorf("ghi trạng thái thư %s: %w", e.ID, err)
	}
	return nil
}

// Deliver makes one pass: every pending message that is due (its next attempt time
// has come and this process has tries left) is sent, over one connection while it
// works. It returns how many were sent and how many failed (each failure is recorded
// in the message's status with the error and the next attempt time). err is ErrBusy
// when another process is delivering, or a problem of the outbox folder itself.
func (o *Outbox) Deliver(ctx context.Context, d Dialer) (sent, failed int, err error) {
	sent, failed, _, err = o.deliver(ctx, d)
	return sent, failed, err
}

func (o *Outbox) deliver(ctx context.Context, d Dialer) (sent, failed int, next time.Time, err error) {
	unlock, err := o.lock(0)
	if err != nil {
		return 0, 0, time.Time{}, err
	}
	defer unlock()
	entries, err := o.repair()
	if err != nil {
		return 0, 0, time.Time{}, err
	}
	pol := o.policy()
	now := o.now()
	var due []*Entry
	for _, e := range entries {
		if e.Folder != FolderPending || o.triesOf(e.ID) >= pol.Attempts {
			continue
		}
		if e.State == StateHeld || !e.NextAttempt.After(now) {
			due = append(due, e)
		}
	}
	var sess Session
	defer func() {
		if sess != nil {
			_ = sess.Close()
		}
	}()
	for i, e := range due {
		if ctx.Err() != nil {
			break
		}
		raw, rerr := os.ReadFile(e.EML)
		if rerr != nil {
			o.addTry(e.ID)
			o.failed(e, fmt.Errorf("đọc %s: %w", e.EML, rerr), false)
			failed++
			continue
		}
		if sess == nil {
			sess, err = d.Dial(ctx)
			if err != nil {
				sess = nil
				if ctx.Err() != nil {
					break
				}
				// Nobody can be reached: each due message has had its try.
				for _, r := range due[i:] {
					o.addTry(r.ID)
					o.failed(r, err, false)
					failed++
				}
				err = nil
				break
			}
		}
		o.addTry(e.ID)
		counted := false
		reply, serr := sess.Send(ctx, Envelope{From: e.From, To: e.Recipients}, raw, func() error {
			counted = true
			return o.markSending(e)
		})
		if serr != nil {
			if ctx.Err() != nil && !counted {
				o.mu.Lock()
				o.tries[e.ID]-- // shutting down before DATA: not a failed try
				o.mu.Unlock()
				break
			}
			o.failed(e, serr, counted)
			failed++
			_ = sess.Close()
			sess = nil
			continue
		}
		if err := o.markSent(e, reply); err != nil {
			// Delivered, but the record could not be written: the status still says
			// "sending", so the next start sends it again (same Message-ID).
			return sent, failed, time.Time{}, err
		}
		sent++
	}
	// When to look again: the earliest next attempt still within this process's tries.
	for _, e := range entries {
		if e.Folder != FolderPending || e.State == StateSent || o.triesOf(e.ID) >= pol.Attempts {
			continue
		}
		if next.IsZero() || e.NextAttempt.Before(next) {
			next = e.NextAttempt
		}
	}
	return sent, failed, next, nil
}

func (o *Outbox) triesOf(id string) int {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.tries[id]
}

func (o *Outbox) addTry(id string) int {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.tries[id]++
	return o.tries[id]
}

// markSending records, just before DATA, that the message may be about to reach the
// server. Only a process dying from here to markSent leaves this state on disk.
func (o *Outbox) markSending(e *Entry) error {
	now := o.now()
	e.State, e.SendingSince, e.LastAttempt = StateSending, now, now
	e.Attempts++
	return o.saveStatus(e)
}

// markSent records the server's acceptance, then moves the message to sent/. The
// status written in pending/ first is the commit: repair finishes an interrupted move.
func (o *Outbox) markSent(e *Entry, reply string) error {
	e.State, e.SentAt, e.Response, e.NextAttempt = StateSent, o.now(), reply, time.Time{}
	// This write is what stands between a delivered message and a second delivery
	// at the next start: a file briefly held open by a virus scanner or an indexer
	// on Windows must not make it fail, so it is tried a few times.
	var err error
	for i := 0; i < 10; i++ {
		if err = o.saveStatus(e); err == nil {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if err != nil {
		return err
	}
	if err := o.finishMove(e.ID); err != nil {
		return err
	}
	o.log().Info("đã gửi thư", "id", e.ID, "subject", e.Subject, "to", strings.Join(e.Recipients, ", "), "response", reply)
	return nil
}

// finishMove moves a sent message's .eml and then its .json from pending/ to sent/.
func (o *Outbox) finishMove(id string) error {
	for _, ext := range []string{".eml", ".json"} {
		from, to := o.path(FolderPending, id, ext), o.path(FolderSent, id, ext)
		if err := os.Rename(from, to); err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("chuyển thư %s sang sent/: %w", id, err)
		}
	}
	if err := outfile.SyncDir(filepath.Join(o.Dir, FolderSent)); err != nil {
		return err
	}
	return outfile.SyncDir(filepath.Join(o.Dir, FolderPending))
}

// failed records a failed try: the error, and when to try again (or held).
func (o *Outbox) failed(e *Entry, err error, counted bool) {
	now := o.now()
	pol := o.policy()
	if !counted {
		e.Attempts++
	}
	e.LastAttempt = now
	e.LastError = err.Error()
	var se *SendError
	permanent := errors.As(err, &se) && se.Permanent()
	if se != nil && se.Uncertain {
		e.Uncertain = true
	}
	n := o.triesOf(e.ID)
	if permanent || n >= pol.Attempts {
		e.State, e.NextAttempt = StateHeld, time.Time{}
		if permanent {
			o.mu.Lock()
			o.tries[e.ID] = pol.Attempts
			o.mu.Unlock()
		}
		o.log().Error("không gửi được thư; sẽ thử lại khi khởi động lại canbo hoặc khi chạy canbo send",
			"id", e.ID, "subject", e.Subject, "attempts", e.Attempts, "err", err)
	} else {
		e.State, e.NextAttempt = StateQueued, now.Add(pol.wait(n))
		o.log().Warn("chưa gửi được thư, sẽ thử lại", "id", e.ID, "attempts", e.Attempts, "next", e.NextAttempt, "err", err)
	}
	if werr := o.saveStatus(e); werr != nil {
		o.log().Error("không ghi được trạng thái thư", "id", e.ID, "err", werr)
	}
}

// Run delivers until ctx is done: a pass now, then whenever a message falls due,
// something is queued in this process, or Poll has passed. It returns nil when ctx
// ends; the current message, once its data has started, is finished first.
func (o *Outbox) Run(ctx context.Context, d Dialer) error {
	poll := o.Poll
	if poll <= 0 {
		poll = time.Minute
	}
	clock := o.Clock
	if clock == nil {
		clock = realClock{}
	}
	for {
		_, _, next, err := o.deliver(ctx, d)
		if err != nil && !errors.Is(err, ErrBusy) && ctx.Err() == nil {
			o.log().Error("hộp thư đi", "err", err)
		}
		wait := poll
		if !next.IsZero() {
			wait = max(0, min(wait, next.Sub(clock.Now())))
		}
		select {
		case <-ctx.Done():
			return nil
		case <-o.wake:
		case <-clock.After(wait):
		}
	}
}

// Status lists every message in the outbox, pending and sent, oldest first, for
// `canbo status`. It reads only; a message caught halfway through a move is shown
// where it is going.
func (o *Outbox) Status() ([]Entry, error) {
	entries, err := o.scan()
	if err != nil {
		return nil, err
	}
	out := make([]Entry, 0, len(entries))
	for _, e := range entries {
		if e.State == StateSent {
			e.Folder = FolderSent
		}
		out = append(out, *e)
	}
	return out, nil
}

// scan reads the status of every message without changing anything.
func (o *Outbox) scan() ([]*Entry, error) {
	var out []*Entry
	seen := map[string]bool{}
	for _, folder := range []string{FolderPending, FolderSent} {
		dir := filepath.Join(o.Dir, folder)
		names, err := os.ReadDir(dir)
		if err != nil {
			return nil, fmt.Errorf("đọc hộp thư đi: %w", err)
		}
		ids := map[string]bool{}
		for _, n := range names {
			name := n.Name()
			if strings.HasPrefix(name, ".") || n.IsDir() {
				continue
			}
			if ext := filepath.Ext(name); ext == ".eml" || ext == ".json" {
				ids[strings.TrimSuffix(name, ext)] = true
			}
		}
		sorted := make([]string, 0, len(ids))
		for id := range ids {
			sorted = append(sorted, id)
		}
		sort.Strings(sorted)
		for _, id := range sorted {
			if seen[id] {
				continue // status left in pending/ while the .eml is already in sent/: shown once
			}
			e, err := o.load(folder, id)
			if err != nil {
				o.log().Warn("bỏ qua tệp hỏng trong hộp thư đi", "id", id, "err", err)
				continue
			}
			if e == nil {
				continue
			}
			seen[id] = true
			out = append(out, e)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if !out[i].Created.Equal(out[j].Created) {
			return out[i].Created.Before(out[j].Created)
		}
		return out[i].ID < out[j].ID
	})
	return out, nil
}

// load reads one message's status; a missing status is rebuilt from the .eml's
// headers (the process died between writing the two). nil, nil: nothing to show.
func (o *Outbox) load(folder, id string) (*Entry, error) {
	eml := o.path(folder, id, ".eml")
	data, err := os.ReadFile(o.path(folder, id, ".json"))
	switch {
	case err == nil:
		var e Entry
		if err := json.Unmarshal(data, &e); err != nil {
			return nil, err
		}
		e.Folder, e.EML = folder, eml
		if !exists(eml) {
			switch {
			case folder == FolderSent:
				// Someone deleted an old .eml to save space: the status alone
				// still says the period was sent.
				e.EML = ""
			case exists(o.path(FolderSent, id, ".eml")):
				// The .eml went ahead to sent/ and the process died before the status followed.
				e.Folder, e.EML = FolderSent, o.path(FolderSent, id, ".eml")
			default:
				return nil, nil // a status whose message was being removed
			}
		}
		return &e, nil
	case errors.Is(err, os.ErrNotExist):
		return o.describe(folder, id, eml)
	default:
		return nil, err
	}
}

// describe rebuilds a status from an .eml's own headers.
func (o *Outbox) describe(folder, id, eml string) (*Entry, error) {
	f, err := os.Open(eml)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	msg, err := mail.ReadMessage(f)
	if err != nil {
		return nil, err
	}
	h := msg.Header
	var dec mime.WordDecoder
	text := func(k string) string {
		v, err := dec.DecodeHeader(h.Get(k))
		if err != nil {
			return h.Get(k)
		}
		return v
	}
	m := Message{Kind: h.Get(headerKind), Period: h.Get(headerPeriod), Unit: text(headerUnit), Ref: h.Get(headerRef)}
	e := &Entry{ID: id, Key: m.Key(), Kind: m.Kind, Period: m.Period, Unit: m.Unit, MessageID: h.Get("Message-Id"),
		Subject: text("Subject"), Size: st.Size(), State: StateQueued, Created: st.ModTime(),
		Folder: folder, EML: eml}
	if folder == FolderSent {
		e.State = StateSent
	}
	if a, err := mail.ParseAddress(h.Get("From")); err == nil {
		e.From = a.Address
	}
	for _, k := range []string{"To", "Cc"} {
		if h.Get(k) == "" {
			continue
		}
		list, err := h.AddressList(k)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", k, err)
		}
		for _, a := range list {
			e.Recipients = append(e.Recipients, a.Address)
		}
	}
	return e, nil
}

// repair brings the folder back to a consistent state after a crash, under the lock,
// and returns every entry:
//   - temporary files of interrupted writes are removed;
//   - a message whose status says sent but still sits in pending/ is moved on;
//   - a status in pending/ whose .eml is gone is dropped (or follows its .eml to sent/);
//   - an .eml without status gets one rebuilt from its headers;
//   - a message found in "sending" was cut off mid-send: it is marked uncertain and
//     queued again now, to go out with the same Message-ID;
//   - of several never-tried pending messages with one key (a crash while one replaced
//     another), the newest stays.
func (o *Outbox) repair() ([]*Entry, error) {
	for _, folder := range []string{FolderPending, FolderSent} {
		names, err := os.ReadDir(filepath.Join(o.Dir, folder))
		if err != nil {
			return nil, fmt.Errorf("đọc hộp thư đi: %w", err)
		}
		for _, n := range names {
			name := n.Name()
			switch {
			case strings.HasPrefix(name, ".") && strings.Contains(name, ".tmp-"):
				_ = os.Remove(filepath.Join(o.Dir, folder, name))
			case folder == FolderPending && filepath.Ext(name) == ".json":
				id := strings.TrimSuffix(name, ".json")
				if !exists(o.path(FolderPending, id, ".eml")) && !exists(o.path(FolderSent, id, ".eml")) {
					o.log().Warn("bỏ tệp trạng thái không còn thư đi kèm", "id", id)
					_ = os.Remove(filepath.Join(o.Dir, folder, name))
				}
			}
		}
	}
	entries, err := o.scan()
	if err != nil {
		return nil, err
	}
	now := o.now()
	var out []*Entry
	for _, e := range entries {
		if e.Folder == FolderSent {
			// A status left in pending/ beside an .eml already in sent/: finish the
			// move; an .eml in sent/ without any status: describe it there.
			if _, err := os.Stat(o.path(FolderPending, e.ID, ".json")); err == nil {
				if err := o.finishMove(e.ID); err != nil {
					return nil, err
				}
			}
			if _, err := os.Stat(o.path(FolderSent, e.ID, ".json")); errors.Is(err, os.ErrNotExist) {
				e.State = StateSent
				if err := o.saveStatus(e); err != nil {
					return nil, err
				}
			}
			out = append(out, e)
			continue
		}
		if _, err := os.Stat(o.path(FolderPending, e.ID, ".json")); errors.Is(err, os.ErrNotExist) {
			o.log().Warn("dựng lại trạng thái thư từ tệp .eml", "id", e.ID)
			if err := o.saveStatus(e); err != nil {
				return nil, err
			}
		}
		switch e.State {
		case StateSent:
			if err := o.finishMove(e.ID); err != nil {
				return nil, err
			}
			e.Folder, e.EML = FolderSent, o.path(FolderSent, e.ID, ".eml")
		case StateSending:
			o.log().Warn("canbo đã dừng khi đang gửi thư này; máy chủ có thể đã nhận — gửi lại với cùng Message-ID để chương trình thư của người nhận gộp bản trùng",
				"id", e.ID, "subject", e.Subject, "since", e.SendingSince)
			e.State, e.Uncertain, e.NextAttempt = StateQueued, true, now
			e.LastError = "canbo đã dừng khi đang gửi (" + e.SendingSince.Format(time.RFC3339) + "); có thể thư đã đến người nhận"
			if err := o.saveStatus(e); err != nil {
				return nil, err
			}
		}
		out = append(out, e)
	}
	// One never-tried pending message per key: keep the newest.
	newest := map[string]*Entry{}
	for _, e := range out {
		if e.Folder != FolderPending || e.Uncertain {
			continue
		}
		if n := newest[e.Key]; n == nil || n.Created.Before(e.Created) {
			newest[e.Key] = e
		}
	}
	kept := out[:0]
	for _, e := range out {
		if e.Folder == FolderPending && !e.Uncertain && newest[e.Key] != e {
			o.log().Info("bỏ thư chưa gửi đã có bản mới hơn", "old", e.ID, "new", newest[e.Key].ID)
			o.remove(e)
			continue
		}
		kept = append(kept, e)
	}
	return kept, nil
}
