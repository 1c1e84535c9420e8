// Package serve is canbo's unattended mode: it takes units' files from the inbox as
// they arrive (check, archive or quarantine, feedback by mail), makes the monthly
// report on the schedule (catching up a run missed while the machine was off), and
// delivers the reports by mail, recording everything in the history. `canbo serve`
// only parses flags and calls Open and Run.
package serve

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"path"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/jonboulle/clockwork"

	"canbo/pipeline/history"
	"canbo/pipeline/inbox"
	"canbo/pipeline/mail"
	"canbo/pipeline/report"
	"canbo/pipeline/schedule"
	"canbo/pipeline/schema"
)

// Options are what Open needs besides the configuration.
type Options struct {
	Log *slog.Logger
	// Clocks, for tests; nil means the system clock.
	ScheduleClock clockwork.Clock
	InboxClock    inbox.Clock
	MailClock     mail.Clock
	Now           func() time.Time
	// Dialer replaces the SMTP dialer built from serve.yaml (tests use a loopback
	// server with its own certificate).
	Dialer mail.Dialer
}

// Service is canbo serve with everything it holds open.
type Service struct {
	cfg     *schema.Config
	tools   report.Tools
	mailTm  *mail.Templates
	opt     Options
	log     *slog.Logger
	db      *history.DB
	in      *inbox.Inbox
	outbox  *mail.Outbox
	dialer  mail.Dialer
	sched   *schedule.Scheduler
	inOpt   inbox.Options
	closers []func() error
}

// Check says what serve.yaml lacks, in Vietnamese, or nil.
func Check(s schema.Serve) error {
	var missing []string
	for _, f := range []struct{ key, val string }{{"inbox", s.Inbox}, {"archive", s.Archive},
		{"quarantine", s.Quarantine}, {"out", s.Out}, {"state", s.State}} {
		if strings.TrimSpace(f.val) == "" {
			missing = append(missing, f.key)
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("serve.yaml chưa khai báo: %s (xem docs/serve.md)", strings.Join(missing, ", "))
	}
	return nil
}

// Open opens the history, the outbox and the inbox, and prepares the schedule.
func Open(cfg *schema.Config, tools report.Tools, tm *mail.Templates, opt Options) (*Service, error) {
	sv := cfg.Serve
	if err := Check(sv); err != nil {
		return nil, err
	}
	if opt.Log == nil {
		opt.Log = slog.Default()
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	s := &Service{cfg: cfg, tools: tools, mailTm: tm, opt: opt, log: opt.Log}
	db, err := history.Open(filepath.Join(sv.State, history.FileName))
	if err != nil {
		return nil, err
	}
	s.db = db
	s.closers = append(s.closers, db.Close)
	if n, err := db.AbandonRunning(context.Background(), "canbo dừng khi đang lập báo cáo"); err == nil && n > 0 {
		s.log.Warn("lần lập báo cáo trước bị dừng giữa chừng; sẽ lập lại nếu cần", "runs", n)
	}
	s.outbox, err = mail.OpenOutbox(sv.State)
	if err != nil {
		s.Close()
		return nil, err
	}
	s.outbox.Policy = mail.PolicyFrom(sv.Mail)
	s.outbox.Log = s.log
	if opt.MailClock != nil {
		s.outbox.Clock = opt.MailClock
	}
	s.dialer = opt.Dialer
	if s.dialer == nil && sv.Mail.Host != "" {
		d, err := mail.NewDialer(sv.Mail)
		if err != nil {
			s.Close()
			return nil, err
		}
		s.dialer = d
	}
	s.inOpt = inbox.FromServe(sv)
	s.inOpt.Config, s.inOpt.Catalog, s.inOpt.Log = cfg, tools.Catalog, s.log
	if opt.InboxClock != nil {
		s.inOpt.Clock = opt.InboxClock
	}
	s.in, err = inbox.Open(s.inOpt)
	if err != nil {
		s.Close()
		return nil, err
	}
	loc, err := time.LoadLocation(orDefault(sv.TimeZone, schedule.DefaultTimeZone))
	if err != nil {
		s.Close()
		return nil, fmt.Errorf("time_zone %q: %w", sv.TimeZone, err)
	}
	s.sched, err = schedule.New(schedule.Options{Spec: sv.Schedule, Location: loc, Period: sv.Period,
		Clock: opt.ScheduleClock, Missed: db.MissedRun}, s.runPeriod)
	if err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// Close releases what Open opened.
func (s *Service) Close() error {
	var errs []error
	for i := len(s.closers) - 1; i >= 0; i-- {
		errs = append(errs, s.closers[i]())
	}
	s.closers = nil
	return errors.Join(errs...)
}

// Run serves until ctx is cancelled (SIGINT, SIGTERM, a Windows service stop): the
// inbox is watched, the schedule runs, mail goes out. On cancellation a report in
// progress is abandoned (its outputs are written atomically, the history marks the
// run failed and the next start catches it up), a message being sent is finished.
func (s *Service) Run(parent context.Context) error {
	ctx, cancel := context.WithCancel(parent)
	defer cancel()
	var wg sync.WaitGroup
	errs := make(chan error, 3)
	if s.dialer != nil {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs <- s.outbox.Run(ctx, s.dialer)
		}()
	} else {
		s.log.Warn("chưa cấu hình máy chủ thư (mail.host trong serve.yaml): báo cáo chỉ được ghi ra thư mục, không gửi thư")
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		errs <- inbox.Watch(ctx, s.inOpt, s.take)
	}()
	if err := s.sched.Start(ctx); err != nil {
		cancel()
		wg.Wait()
		return err
	}
	s.log.Info("canbo serve đã chạy", "inbox", s.cfg.Serve.Inbox, "schedule", orDefault(s.cfg.Serve.Schedule, schedule.DefaultSpec))
	<-ctx.Done()
	s.log.Info("đang dừng canbo serve")
	err := s.sched.Stop()
	wg.Wait()
	close(errs)
	for e := range errs {
		if e != nil && !errors.Is(e, context.Canceled) {
			err = errors.Join(err, e)
		}
	}
	return err
}

// RunNow makes the report for a period at once (between scheduled runs, never
// overlapping one).
func (s *Service) RunNow(ctx context.Context, period string) error {
	return s.sched.RunNow(ctx, period)
}

// take handles one stable file from the inbox.
func (s *Service) take(ctx context.Context, c inbox.Candidate) error {
	r, err := s.in.Take(ctx, c)
	if err != nil {
		return err // busy or changed: offered again later
	}
	s.log.Info(r.Message, "file", r.Name, "status", r.Status, "unit", r.Unit, "period", r.Period)
	rec := history.Received{At: r.ReceivedAt, SHA256: r.SHA256, Name: r.Name, Unit: r.Unit, Period: r.Period,
		Status: r.Status, Archived: r.Archived, Reason: string(r.Reason)}
	if r.SupersededBy != "" {
		rec.Reason = filepath.Base(r.SupersededBy)
	}
	if err := s.db.RecordReceived(ctx, rec); err != nil {
		s.log.Error("không ghi được vào lịch sử", "file", r.Name, "err", err)
	}
	s.feedback(r)
	return nil
}

// feedback mails a unit what canbo found in its file, when serve.yaml asks for it
// and has the unit's address.
func (s *Service) feedback(r *inbox.Result) {
	mc := s.cfg.Serve.Mail
	if !mc.Feedback || r.Status == inbox.Duplicate || (r.Status == inbox.Accepted && r.Feedback == "") {
		return
	}
	to, ok := mail.FindContact(s.cfg.Serve.Units, r.Unit)
	if !ok {
		return
	}
	status := r.Status
	if status == inbox.SupersededOlder {
		status = report.StatusSuperseded
	}
	msg, err := mail.FeedbackMessage(s.mailTm, s.cfg, to, mail.Feedback{Unit: r.Unit, Period: r.Period, File: r.Name,
		SHA256: r.SHA256, Status: status, Reason: r.Message, Errors: r.Errors, Warnings: r.Warnings, Workbook: r.Feedback})
	if err != nil {
		s.log.Error("không soạn được thư phản hồi", "unit", r.Unit, "err", err)
		return
	}
	if _, _, err := s.outbox.Enqueue(msg); err != nil {
		s.log.Error("không đưa được thư phản hồi vào hộp thư đi", "unit", r.Unit, "err", err)
	}
}

// runPeriod makes one period's report from the archive and queues it for mail.
func (s *Service) runPeriod(ctx context.Context, period string, why schedule.Trigger) error {
	sv := s.cfg.Serve
	current, superseded, err := inbox.Current(sv.Archive, period)
	if err != nil {
		return fmt.Errorf("đọc lưu trữ kỳ %s: %w", period, err)
	}
	opt := report.Options{Out: sv.Out, Period: period, Now: s.opt.Now, Log: s.log, History: s.db,
		Trigger: string(why), Sources: map[string]report.Source{}, Superseded: map[string]string{}}
	for _, a := range current {
		opt.Inputs = append(opt.Inputs, a.Path)
		opt.Sources[a.Path] = report.Source{Name: a.OriginalName, Group: groupOf(a.InboxPath)}
	}
	for _, a := range superseded {
		opt.Superseded[a.Path] = a.NewerPath
	}
	if len(opt.Inputs) == 0 {
		s.log.Warn("chưa có tệp nào của kỳ này trong lưu trữ; không lập báo cáo", "period", period)
		return nil
	}
	s.log.Info("bắt đầu lập báo cáo", "period", period, "trigger", why, "files", len(opt.Inputs))
	res, err := report.Run(ctx, s.tools, opt)
	if err != nil {
		s.log.Error("không lập được báo cáo", "period", period, "err", err)
		return err
	}
	s.log.Info("đã lập báo cáo", "period", period, "dir", res.Dir, "headcount", res.Summary.Total.Headcount)
	if len(sv.Mail.To) == 0 {
		return nil
	}
	msg, err := mail.ReportMessage(res.Summary, s.cfg, s.tools.Text, s.mailTm, res.Written[0], res.Written[1])
	if err != nil {
		return fmt.Errorf("soạn thư báo cáo: %w", err)
	}
	id, dup, err := s.outbox.Enqueue(msg)
	if err != nil {
		return fmt.Errorf("đưa thư báo cáo vào hộp thư đi: %w", err)
	}
	s.log.Info("thư báo cáo đã vào hộp thư đi", "id", id, "already_queued", dup)
	return nil
}

// groupOf is the inbox sub-folder of a file's path inside the inbox.
func groupOf(inboxPath string) string {
	if d := path.Dir(filepath.ToSlash(inboxPath)); d != "." && d != "/" {
		return d
	}
	return ""
}

func orDefault(s, def string) string {
	if strings.TrimSpace(s) == "" {
		return def
	}
	return s
}
