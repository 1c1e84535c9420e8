package mail

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"canbo/pipeline/history"
	"canbo/pipeline/reporttext"
	"canbo/pipeline/schema"
)

// States of a queued message.
const (
	StateQueued  = "queued"  // waiting for its next attempt
	StateSending = "sending" // recorded just before DATA; found at start-up it means the process died mid-send
	StateSent    = "sent"    // the server accepted it (250 after DATA)
	StateHeld    = "held"    // this process gave up (attempts used, or a permanent error); retried at the next start or by Resend
)

// Where a message stands, in the names of the folders of the outbox before it moved
// into the history database (Entry.Folder): callers ask "is it sent?" by them.
const (
	FolderPending = "pending"
	FolderSent    = "sent"
)

// ErrBusy means another canbo process (or another Outbox on the same database) is
// delivering right now; what was queued will go out with its pass.
var ErrBusy = errors.New("hộp thư đi đang được một tiến trình canbo khác sử dụng (canbo serve đang chạy?)")

// Entry is one message of the outbox and where its delivery stands. The JSON names
// are those of the status files (<id>.json) of the outbox folder it replaces, which
// the import reads.
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
	Size         int64     `json:"size"`       // bytes of the message
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
	// BodyPruned: when its bytes were deleted, mail.keep_sent_days after it was sent
	// (Outbox.Prune); zero while the outbox has them.
	BodyPruned time.Time `json:"body_pruned,omitzero"`

	Folder string `json:"-"` // FolderSent once sent, else FolderPending
}

func entryOf(r history.OutboxMessage) *Entry {
	e := &Entry{ID: r.ID, Key: r.Key, Kind: r.Kind, Period: r.Period, Unit: r.Unit, MessageID: r.MessageID, Subject: r.Subject,
		From: r.From, Recipients: r.Recipients, Size: r.Size, State: r.State, Attempts: r.Attempts, LastError: r.LastError,
		LastAttempt: r.LastAttempt, NextAttempt: r.NextAttempt, Created: r.Created, SendingSince: r.SendingSince,
		Uncertain: r.Uncertain, SentAt: r.SentAt, Response: r.Response, Resend: r.Resend, Replaces: r.Replaces,
		BodyPruned: r.BodyPruned}
	e.setFolder()
	return e
}

func (e *Entry) row() history.OutboxMessage {
	return history.OutboxMessage{ID: e.ID, Key: e.Key, Kind: e.Kind, Period: e.Period, Unit: e.Unit, MessageID: e.MessageID,
		Subject: e.Subject, From: e.From, Recipients: e.Recipients, Size: e.Size, State: e.State, Attempts: e.Attempts,
		LastError: e.LastError, LastAttempt: e.LastAttempt, NextAttempt: e.NextAttempt, Created: e.Created,
		SendingSince: e.SendingSince, Uncertain: e.Uncertain, SentAt: e.SentAt, Response: e.Response, Resend: e.Resend,
		Replaces: e.Replaces, BodyPruned: e.BodyPruned}
}

func (e *Entry) setFolder() {
	e.Folder = FolderPending
	if e.State == StateSent {
		e.Folder = FolderSent
	}
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

// Outbox is canbo serve's mail outbox, kept in the history database (STATE/canbo.db,
// tables outbox_*): every message is stored complete, its bytes included, before any
// attempt to send it, and each change of its state is one transaction. A restart finds
// everything still to send there. See the package documentation for the exactly-once
// rules.
//
// Make one with OpenOutbox and set the exported fields before first use (the command
// layer sets Policy from PolicyFrom(cfg.Serve.Mail) and Log). An Outbox is safe for
// concurrent use; delivery passes are serialised, across processes too, by a claim
// in the database.
type Outbox struct {
	Policy RetryPolicy   // default PolicyFrom(schema.Mail{})
	Clock  Clock         // default the real clock
	Log    *slog.Logger  // default slog.Default()
	Poll   time.Duration // Run looks for work at least this often (other processes may queue); default 1 minute
	// KeepSent is how long a sent message's bytes are kept (KeepSentFrom(cfg.Serve.Mail));
	// 0, the default, keeps them for ever. Run prunes at its start and daily (Prune).
	KeepSent time.Duration

	db    *history.DB
	state string // STATE, where an outbox folder of an older canbo is imported from
	me    claimant

	sem      chan struct{} // one delivery pass at a time in this process
	wake     chan struct{} // Enqueue → Run
	passing  atomic.Bool   // a pass of this Outbox is under way: its claim is live
	mu       sync.Mutex
	tries    map[string]int // attempts by this process, per message ID
	imported bool           // the folder of an older canbo was looked for (under mu)
}

// OpenOutbox opens the outbox kept in db. stateDir is serve.yaml's state folder: an
// outbox folder an older canbo left there (STATE/outbox/) is imported at first use
// (see importFolder); "" means there is none. Opening changes nothing: repairs after a
// crash happen when a delivery pass claims the outbox.
func OpenOutbox(db *history.DB, stateDir string) (*Outbox, error) {
	if db == nil {
		return nil, errors.New("hộp thư đi: chưa mở cơ sở dữ liệu lịch sử")
	}
	me, err := newClaimant()
	if err != nil {
		return nil, err
	}
	return &Outbox{db: db, state: stateDir, me: me, Policy: PolicyFrom(schema.Mail{}), sem: make(chan struct{}, 1),
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

// ready imports the outbox folder of an older canbo, once per Outbox; a failed
// import is tried again at the next call, and nothing is sent or queued before it
// succeeds (a message queued now could otherwise go out beside the folder's older
// one of its key).
func (o *Outbox) ready() error {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.imported {
		return nil
	}
	if err := o.importFolder(); err != nil {
		return err
	}
	o.imported = true
	return nil
}

// write runs fn in a write transaction of the outbox. It is not cancelled with the
// caller's context: a state change once decided (above all "sent") is recorded.
func (o *Outbox) write(ctx context.Context, fn func(*history.OutboxTx) error) error {
	return o.db.OutboxWrite(context.WithoutCancel(ctx), fn)
}

// Enqueue stores m in the outbox for delivery, unless the outbox already has it:
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
// The message is stored complete when Enqueue returns, attachments included, in one
// transaction with the removal of what it replaces. Enqueue does not wait for a
// delivery pass: a pass checks, as it records "sending", that its message is still
// there to send.
func (o *Outbox) Enqueue(m *Message) (id string, dup bool, err error) {
	if err := o.ready(); err != nil {
		return "", false, err
	}
	defer o.signal()
	m.resend = 0
	id, key := m.ID(), m.Key()
	err = o.write(context.Background(), func(tx *history.OutboxTx) error {
		dup = false
		if _, ok, err := tx.Message(id); err != nil || ok {
			dup = ok
			return err
		}
		same, err := tx.WithKey(key)
		if err != nil {
			return err
		}
		var replace []*Entry
		for _, r := range same {
			e := entryOf(r)
			if e.State == StateSent || e.Uncertain || e.State == StateSending {
				o.log().Info("thư cho kỳ này đã gửi (hoặc có thể đã gửi); nội dung mới không tự gửi lại — dùng canbo send --period để gửi lại",
					"key", key, "sent", e.ID, "new", id)
				id, dup = e.ID, true
				return nil
			}
			replace = append(replace, e)
		}
		return o.insert(tx, m, 0, replace)
	})
	if err != nil {
		return "", false, err
	}
	return id, dup, nil
}

// Resend queues m to be sent even though its period was sent already: `canbo send
// --period`. If the very same message is still pending (not yet delivered), it is made
// due now and its attempts start again, rather than queued twice. Otherwise m is queued
// as a new message (new ID, new Message-ID, replacing pending messages of its key that
// never reached DATA).
func (o *Outbox) Resend(m *Message) (id string, err error) {
	if err := o.ready(); err != nil {
		return "", err
	}
	defer o.signal()
	err = o.write(context.Background(), func(tx *history.OutboxTx) error {
		same, err := tx.WithKey(m.Key())
		if err != nil {
			return err
		}
		byID := map[string]*Entry{}
		for _, r := range same {
			byID[r.ID] = entryOf(r)
		}
		for r := 0; r <= len(same); r++ {
			m.resend = r
			id = m.ID()
			e := byID[id]
			if e == nil {
				break
			}
			if e.State != StateSent {
				return o.makeDue(tx, e)
			}
		}
		var replace []*Entry
		count := 0
		for _, r := range same {
			switch e := byID[r.ID]; {
			case e.State == StateSent:
				count++
			case !e.Uncertain && e.State != StateSending:
				replace = append(replace, e)
			}
		}
		return o.insert(tx, m, count, replace)
	})
	if err != nil {
		return "", err
	}
	return id, nil
}

// makeDue makes a pending message due now, its attempts in this process starting
// again. One in "sending" is left to the pass sending it, if one is; if none is, the
// process that recorded it died mid-send and it is repaired as a pass would.
func (o *Outbox) makeDue(tx *history.OutboxTx, e *Entry) error {
	if e.State == StateSending {
		live, err := o.claimLive(tx)
		if err != nil || live {
			return err
		}
		o.diedSending(e)
	}
	e.State, e.NextAttempt = StateQueued, o.now()
	if err := tx.Update(e.row()); err != nil {
		return err
	}
	o.mu.Lock()
	delete(o.tries, e.ID)
	o.mu.Unlock()
	return nil
}

// insert renders m and stores it with its bytes, then removes the entries it replaces.
func (o *Outbox) insert(tx *history.OutboxTx, m *Message, resend int, replace []*Entry) error {
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
		NextAttempt: now, Created: now, Resend: resend}
	for _, r := range replace {
		e.Replaces = append(e.Replaces, r.ID)
	}
	if _, err := tx.Insert(e.row(), raw); err != nil {
		return err
	}
	for _, r := range replace {
		o.log().Info("thư chưa gửi được thay bằng thư mới cùng kỳ", "old", r.ID, "new", e.ID)
		if err := tx.Delete(r.ID); err != nil {
			return err
		}
	}
	return nil
}

func (o *Outbox) signal() {
	select {
	case o.wake <- struct{}{}:
	default:
	}
}

// Deliver makes one pass: every pending message that is due (its next attempt time
// has come and this process has tries left) is sent, over one connection while it
// works. It returns how many were sent and how many failed (each failure is recorded
// in the message's state with the error and the next attempt time). err is ErrBusy
// when another process is delivering, or a problem of the database.
func (o *Outbox) Deliver(ctx context.Context, d Dialer) (sent, failed int, err error) {
	sent, failed, _, err = o.deliver(ctx, d)
	return sent, failed, err
}

// errGone: the message was replaced (or its state changed) between the pass reading
// it and its DATA; it is not sent and the try does not count.
var errGone = errors.New("thư đã được thay hoặc đã đổi trạng thái")

func (o *Outbox) deliver(ctx context.Context, d Dialer) (sent, failed int, next time.Time, err error) {
	select {
	case o.sem <- struct{}{}:
	default:
		return 0, 0, time.Time{}, ErrBusy
	}
	defer func() { <-o.sem }()
	if err := o.ready(); err != nil {
		return 0, 0, time.Time{}, err
	}
	var entries []*Entry
	err = o.write(ctx, func(tx *history.OutboxTx) error {
		entries = nil
		if err := o.takeClaim(tx); err != nil {
			return err
		}
		rows, err := tx.Unsent()
		if err != nil {
			return err
		}
		for _, r := range rows {
			e := entryOf(r)
			if e.State == StateSending {
				// Nobody else holds the claim: whoever recorded this died mid-send.
				o.diedSending(e)
				if err := tx.Update(e.row()); err != nil {
					return err
				}
			}
			entries = append(entries, e)
		}
		return nil
	})
	if err != nil {
		return 0, 0, time.Time{}, err
	}
	o.passing.Store(true)
	stop := o.keepClaim()
	defer func() {
		stop()
		o.passing.Store(false)
		o.releaseClaim()
	}()

	pol := o.policy()
	now := o.now()
	var due []*Entry
	for _, e := range entries {
		if o.triesOf(e.ID) >= pol.Attempts {
			continue
		}
		if e.State == StateHeld || !e.NextAttempt.After(now) {
			due = append(due, e)
		}
	}
	gone := map[string]bool{}
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
		raw, rerr := o.body(ctx, e.ID)
		if rerr != nil || raw == nil {
			o.addTry(e.ID)
			o.failed(e, fmt.Errorf("đọc thư %s: %w", e.ID, errors.Join(rerr, errNoBody(raw))), false)
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
		var before error
		reply, serr := sess.Send(ctx, Envelope{From: e.From, To: e.Recipients}, raw, func() error {
			before = o.markSending(ctx, e)
			counted = before == nil
			return before
		})
		if serr != nil {
			if !counted && (ctx.Err() != nil || errors.Is(before, errGone) || errors.Is(before, ErrBusy)) {
				o.mu.Lock()
				o.tries[e.ID]-- // not sent, and not for a reason of its own: not a failed try
				o.mu.Unlock()
				if errors.Is(before, errGone) {
					o.log().Info("bỏ qua thư đã được thay bằng thư mới", "id", e.ID)
					gone[e.ID] = true
					continue
				}
				if errors.Is(before, ErrBusy) {
					o.log().Warn("mất quyền gửi thư (tiến trình khác đã nhận); dừng lượt gửi này", "id", e.ID)
				}
				break
			}
			o.failed(e, serr, counted)
			failed++
			_ = sess.Close()
			sess = nil
			continue
		}
		if err := o.markSent(ctx, e, reply); err != nil {
			// Delivered, but the record could not be written: the state still says
			// "sending", so the next pass sends it again (same Message-ID).
			return sent, failed, time.Time{}, err
		}
		sent++
	}
	// When to look again: the earliest next attempt still within this process's tries.
	for _, e := range entries {
		if e.State == StateSent || gone[e.ID] || o.triesOf(e.ID) >= pol.Attempts {
			continue
		}
		if next.IsZero() || e.NextAttempt.Before(next) {
			next = e.NextAttempt
		}
	}
	return sent, failed, next, nil
}

func errNoBody(raw []byte) error {
	if raw == nil {
		return errors.New("không còn nội dung thư")
	}
	return nil
}

func (o *Outbox) body(ctx context.Context, id string) (raw []byte, err error) {
	err = o.db.OutboxRead(ctx, func(tx *history.OutboxTx) error {
		raw, err = tx.Body(id)
		return err
	})
	return raw, err
}

// EML is the message with this id as the server gets (or got) it; nil if the outbox
// does not have its bytes (a sent message imported from an outbox folder whose .eml
// had been deleted). A message whose bytes were deleted after mail.keep_sent_days is
// an error wrapping ErrPruned, saying when it was sent.
func (o *Outbox) EML(id string) ([]byte, error) {
	var raw []byte
	var pruned *Entry
	err := o.db.OutboxRead(context.Background(), func(tx *history.OutboxTx) error {
		r, ok, err := tx.Message(id)
		if err != nil || !ok {
			return err
		}
		if !r.BodyPruned.IsZero() {
			pruned = entryOf(r)
			return nil
		}
		raw, err = tx.Body(id)
		return err
	})
	if err != nil {
		return nil, err
	}
	if pruned != nil {
		return nil, fmt.Errorf("thư %s (“%s”, gửi ngày %s): %w", id, pruned.Subject,
			reporttext.Date(pruned.SentAt.In(schema.DefaultLocation()).Format("2006-01-02")), ErrPruned)
	}
	return raw, nil
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

// diedSending repairs a message found in "sending" with no live pass to finish it:
// the process died mid-send, the server may have it. It is queued again now, to go
// out with the same Message-ID, marked uncertain.
func (o *Outbox) diedSending(e *Entry) {
	o.log().Warn("canbo đã dừng khi đang gửi thư này; máy chủ có thể đã nhận — gửi lại với cùng Message-ID để chương trình thư của người nhận gộp bản trùng",
		"id", e.ID, "subject", e.Subject, "since", e.SendingSince)
	e.State, e.Uncertain, e.NextAttempt = StateQueued, true, o.now()
	e.LastError = "canbo đã dừng khi đang gửi (" + e.SendingSince.Format(time.RFC3339) + "); có thể thư đã đến người nhận"
}

// markSending records, just before DATA, that the message may be about to reach the
// server, in one transaction with two checks: this Outbox still holds the claim
// (ErrBusy if not), and the message is still there and due (errGone if Enqueue
// replaced it meanwhile). Only a process dying from here to markSent leaves this
// state in the database.
func (o *Outbox) markSending(ctx context.Context, e *Entry) error {
	return o.write(ctx, func(tx *history.OutboxTx) error {
		switch held, err := tx.RenewClaim(o.me.owner, o.claimExpiry()); {
		case err != nil:
			return err
		case !held:
			return ErrBusy
		}
		r, ok, err := tx.Message(e.ID)
		if err != nil {
			return err
		}
		if !ok || (r.State != StateQueued && r.State != StateHeld) {
			return errGone
		}
		now := o.now()
		upd := *e
		upd.State, upd.SendingSince, upd.LastAttempt = StateSending, now, now
		upd.Attempts++
		if err := tx.Update(upd.row()); err != nil {
			return err
		}
		*e = upd
		return nil
	})
}

// markSent records the server's acceptance. This write is what stands between a
// delivered message and a second delivery at the next start: a moment's trouble
// (the disk, a lock held past the busy timeout) must not make it fail, so it is tried
// a few times.
func (o *Outbox) markSent(ctx context.Context, e *Entry, reply string) error {
	e.State, e.SentAt, e.Response, e.NextAttempt = StateSent, o.now(), reply, time.Time{}
	e.setFolder()
	var err error
	for i := 0; i < 5; i++ {
		if err = o.write(ctx, func(tx *history.OutboxTx) error { return tx.Update(e.row()) }); err == nil {
			break
		}
		time.Sleep(200 * time.Millisecond)
	}
	if err != nil {
		return err
	}
	o.log().Info("đã gửi thư", "id", e.ID, "subject", e.Subject, "to", strings.Join(e.Recipients, ", "), "response", reply)
	return nil
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
	if werr := o.write(context.Background(), func(tx *history.OutboxTx) error { return tx.Update(e.row()) }); werr != nil {
		o.log().Error("không ghi được trạng thái thư", "id", e.ID, "err", werr)
	}
}

// Run delivers until ctx is done: a pass now, then whenever a message falls due,
// something is queued in this process, or Poll has passed. It prunes sent mail
// (Prune) at its start and once a day. It returns nil when ctx
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
	o.prune(ctx)
	pruned := clock.Now()
	for {
		if now := clock.Now(); now.Sub(pruned) >= pruneEvery {
			o.prune(ctx)
			pruned = now
		}
		_, _, next, err := o.deliver(ctx, d)
		if err != nil && !errors.Is(err, ErrBusy) && ctx.Err() == nil {
			o.log().Error("hộp thư đi", "err", err)
		}
		wait := min(poll, max(0, pruned.Add(pruneEvery).Sub(clock.Now())))
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
// `canbo status`. It reads only: a message found in "sending" is shown so (the pass
// sending it, or the next one after a crash, settles it), and an outbox folder of an
// older canbo not yet imported is listed beside the database's messages.
func (o *Outbox) Status() ([]Entry, error) {
	var out []Entry
	seen := map[string]bool{}
	err := o.db.OutboxRead(context.Background(), func(tx *history.OutboxTx) error {
		out, seen = nil, map[string]bool{}
		rows, err := tx.All()
		for _, r := range rows {
			out = append(out, *entryOf(r))
			seen[r.ID] = true
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	old, err := o.legacyEntries()
	if err != nil {
		return nil, err
	}
	for _, e := range old {
		if !seen[e.ID] {
			out = append(out, e.Entry)
		}
	}
	sortEntries(out)
	return out, nil
}
