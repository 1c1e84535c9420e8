// Package serve is canbo's unattended mode: it takes units' files from the inbox as
// they arrive (check, archive or quarantine, feedback by mail), makes the monthly
// report on the schedule (catching up a run missed while the machine was off), and
// delivers the reports by mail, recording everything in the history. `canbo serve`
// only parses flags and calls Open and Run.
package serve

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/jonboulle/clockwork"

	"canbo/pipeline/history"
	"canbo/pipeline/inbox"
	"canbo/pipeline/ingest"
	"canbo/pipeline/internal/filelock"
	"canbo/pipeline/mail"
	"canbo/pipeline/report"
	"canbo/pipeline/schedule"
	"canbo/pipeline/schema"
	"canbo/pipeline/summary"
	"canbo/pipeline/units"
	"canbo/pipeline/web"
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
	cache   *ingest.Cache // readings kept between report runs; nil when it cannot be opened
	in      *inbox.Inbox
	outbox  *mail.Outbox
	dialer  mail.Dialer
	sched   *schedule.Scheduler
	spans   []*spanJob  // serve.yaml span_reports, each on its own schedule (span.go)
	web     *web.Server // the page on the office network; nil when serve.yaml has no web.listen
	inOpt   inbox.Options
	closers []func() error

	// out is held while a file is taken and while a period's report is made: a report
	// swaps in its whole period folder, feedback workbooks included, so a file's
	// feedback written meanwhile would be swapped away.
	out sync.Mutex

	// step, when set (by tests), is called at points where a crash matters: "taken"
	// (a file has left the inbox; not yet recorded nor answered) and "reported" (the
	// report is written and recorded; its mail not yet queued). An error stops the
	// work right there, as a crash would.
	step func(name string) error
}

// LockName is the file in the state folder that keeps a second canbo serve off the
// same folders while one runs (two would take the same new file twice).
const LockName = "serve.lock"

// ErrNoInputs is returned for a period whose archive holds no file: no report is
// made and nothing is recorded, so the next start catches the period up.
var ErrNoInputs = errors.New("chưa có tệp nào của kỳ này trong lưu trữ")

// Check says what serve.yaml lacks or gets wrong, in Vietnamese, or nil: the
// folders it must name, the time zone, the period, the durations. Each mistake in a
// value is a *schema.KeyError, so that `canbo config check` shows it at the value's
// line (schema.Serve.Problems); Open refuses to start on any. The schedule and the
// mail settings are checked by schedule.Parse and mail.CheckConfig.
func Check(s schema.Serve) error {
	var missing []string
	var problems []error
	for _, f := range []struct{ key, val string }{{"inbox", s.Inbox}, {"archive", s.Archive},
		{"quarantine", s.Quarantine}, {"out", s.Out}, {"state", s.State}} {
		if strings.TrimSpace(f.val) == "" {
			missing = append(missing, f.key)
		}
	}
	if len(missing) > 0 {
		problems = append(problems, fmt.Errorf("serve.yaml chưa khai báo: %s (xem docs/serve.md)", strings.Join(missing, ", ")))
	}
	if tz := strings.TrimSpace(s.TimeZone); tz != "" {
		if _, err := time.LoadLocation(tz); err != nil {
			problems = append(problems, &schema.KeyError{Key: "time_zone",
				Msg: fmt.Sprintf("time_zone %q không phải tên múi giờ (ví dụ Asia/Ho_Chi_Minh)", s.TimeZone)})
		}
	}
	switch s.Period {
	case "", "previous", "current":
	default:
		problems = append(problems, &schema.KeyError{Key: "period",
			Msg: fmt.Sprintf("period phải là previous (tháng trước) hoặc current (tháng hiện tại), không phải %q", s.Period)})
	}
	for _, d := range []struct {
		key string
		val time.Duration
	}{{"stable_for", s.StableFor}, {"rescan", s.Rescan}} {
		if d.val < 0 {
			problems = append(problems, &schema.KeyError{Key: d.key, Msg: d.key + " không được âm"})
		}
	}
	problems = append(problems, web.Check(s.Web))
	problems = append(problems, checkSpans(s.SpanReports)...)
	return errors.Join(problems...)
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
	loc := sv.Location() // its name was checked by Check above
	if err := os.MkdirAll(sv.State, 0o755); err != nil {
		return nil, fmt.Errorf("tạo thư mục state %s: %w", sv.State, err)
	}
	unlock, err := filelock.Lock(filepath.Join(sv.State, LockName))
	switch {
	case errors.Is(err, filelock.ErrLocked):
		return nil, fmt.Errorf("đã có một canbo serve đang chạy với thư mục state %s (tác vụ, dịch vụ hoặc cửa sổ lệnh khác): "+
			"không chạy hai canbo serve cùng lúc; dùng canbo status để xem tình hình", sv.State)
	case err != nil:
		return nil, fmt.Errorf("khóa thư mục state %s: %w", sv.State, err)
	}
	s.closers = append(s.closers, unlock)
	db, err := history.Open(filepath.Join(sv.State, history.FileName), history.WithClock(opt.Now))
	if err != nil {
		s.Close()
		return nil, err
	}
	s.db = db
	s.closers = append(s.closers, db.Close)
	// Opened once: the program's identity is taken now, not at each run (a binary
	// replaced by an upgrade while this one runs must not lend it its identity).
	if s.cache, err = ingest.OpenCache(filepath.Join(sv.State, report.CacheFolder), cfg, ingest.Options{}); err != nil {
		s.log.Warn("không dùng được bộ nhớ đệm; mỗi lần lập báo cáo sẽ đọc lại mọi tệp", "err", err)
	}
	if n, err := db.AbandonRunning(context.Background(), "canbo dừng khi đang lập báo cáo"); err == nil && n > 0 {
		s.log.Warn("lần lập báo cáo trước bị dừng giữa chừng; sẽ lập lại nếu cần", "runs", n)
	}
	s.outbox, err = mail.OpenOutbox(db, sv.State)
	if err != nil {
		s.Close()
		return nil, err
	}
	s.outbox.Policy = mail.PolicyFrom(sv.Mail)
	s.outbox.KeepSent = mail.KeepSentFrom(sv.Mail)
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
	s.inOpt.Location = loc
	if opt.InboxClock != nil {
		s.inOpt.Clock = opt.InboxClock
	}
	s.in, err = inbox.Open(s.inOpt)
	if err != nil {
		s.Close()
		return nil, err
	}
	s.sched, err = schedule.New(schedule.Options{Spec: sv.Schedule, Location: loc, Period: sv.Period,
		Clock: opt.ScheduleClock, Missed: db.MissedRun}, s.runPeriod)
	if err == nil {
		err = s.openSpans()
	}
	if err != nil {
		s.Close()
		return nil, err
	}
	if sv.Web.Listen != "" {
		// The page files an upload by the same take as a file from the inbox folder.
		wo := web.Options{Config: cfg, Catalog: tools.Catalog, DB: db, Take: s.takeFile, Now: opt.Now, Log: s.log,
			Period: func(now time.Time) (string, time.Time) {
				next := s.sched.Next(now)
				return s.sched.PeriodAt(next), next
			},
			Contact: func(unit string) (schema.UnitContact, bool) { return s.contact(&inbox.Result{Unit: unit}) },
			RunNow:  s.RunNow, RunSpan: s.RunSpanNow, Text: tools.Text, Mail: tm}
		if s.dialer != nil {
			wo.Enqueue = s.outbox.Enqueue // reminders go out as the other mail does
		}
		s.web, err = web.New(wo)
		if err != nil {
			s.Close()
			return nil, err
		}
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
// Run returns only once the watcher, the outbox and the schedule have stopped; if one
// of them stops by itself, the others are stopped and Run returns its error.
func (s *Service) Run(parent context.Context) error {
	ctx, cancel := context.WithCancel(parent)
	defer cancel()
	s.recoverReport(ctx)
	s.recoverFeedback()
	var wg sync.WaitGroup
	// One slot per part started below (five at most): each sends its end before
	// wg.Wait returns and the channel is read.
	errs := make(chan error, 5)
	start := func(name string, f func() error) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := f()
			if ctx.Err() == nil {
				// Stopped by itself: the service is not whole any more.
				if err == nil {
					err = fmt.Errorf("%s đã dừng bất ngờ", name)
				}
				s.log.Error("một phần của canbo serve đã dừng; dừng cả dịch vụ", "part", name, "err", err)
				cancel()
			} else if errors.Is(err, context.Canceled) {
				err = nil
			}
			errs <- err
		}()
	}
	if s.dialer != nil {
		start("gửi thư", func() error { return s.outbox.Run(ctx, s.dialer) })
	} else {
		s.log.Warn("chưa cấu hình máy chủ thư (mail.host trong serve.yaml): báo cáo chỉ được ghi ra thư mục, không gửi thư")
	}
	start("theo dõi thư mục nhận", func() error { return inbox.Watch(ctx, s.inOpt, s.take) })
	if s.web != nil {
		s.web.Recover(ctx)
		start("trang web", func() error { return s.web.Serve(ctx) })
		if s.cfg.Serve.Web.RemindDaysBefore > 0 && s.dialer != nil {
			after := time.After
			if s.opt.ScheduleClock != nil {
				after = s.opt.ScheduleClock.After
			}
			start("nhắc tự động", func() error { return s.web.AutoRemind(ctx, after) })
		}
	}
	start("đưa lại thư báo cáo vào hộp thư đi", func() error { return s.recoverMail(ctx) })
	err := s.sched.Start(ctx)
	if err == nil {
		err = s.startSpans(ctx)
	}
	if err != nil {
		stopping := ctx.Err() != nil // stopped while starting: a clean stop
		cancel()
		_ = s.sched.Stop()
		_ = s.stopSpans()
		wg.Wait()
		if stopping && parent.Err() != nil {
			return nil
		}
		return err
	}
	s.log.Info("canbo serve đã chạy", "inbox", s.cfg.Serve.Inbox, "schedule", orDefault(s.cfg.Serve.Schedule, schedule.DefaultSpec))
	<-ctx.Done()
	s.log.Info("đang dừng canbo serve")
	err = errors.Join(s.sched.Stop(), s.stopSpans())
	wg.Wait()
	close(errs)
	for e := range errs {
		err = errors.Join(err, e)
	}
	s.log.Info("canbo serve đã dừng")
	return err
}

// RunNow makes the report for a period at once (between scheduled runs, never
// overlapping one). It is recorded as a manual run and sends no mail: a run by hand
// does not replace the scheduled one, which mails leadership (see history.MissedRun).
func (s *Service) RunNow(ctx context.Context, period string) error {
	return s.sched.RunNow(ctx, period)
}

func (s *Service) at(step string) error {
	if s.step == nil {
		return nil
	}
	return s.step(step)
}

// take handles one stable file from the inbox.
func (s *Service) take(ctx context.Context, c inbox.Candidate) error {
	_, err := s.takeFile(ctx, c)
	return err
}

// takeFile is take, returning what became of the file.
func (s *Service) takeFile(ctx context.Context, c inbox.Candidate) (*inbox.Result, error) {
	s.out.Lock()
	defer s.out.Unlock()
	r, err := s.in.Take(ctx, c)
	if err != nil {
		return nil, err // busy or changed: offered again later
	}
	if err := s.at("taken"); err != nil {
		return nil, err
	}
	// The file has left the inbox: its record and its feedback must not be lost to a
	// shutdown that has just begun.
	ctx = context.WithoutCancel(ctx)
	s.log.Info(r.Message, "file", r.Name, "status", r.Status, "unit", r.Unit, "period", r.Period)
	s.record(ctx, r)
	s.feedback(r)
	return r, nil
}

// record writes what became of a file into the history's received log: the file
// itself, and the archived files it made superseded.
func (s *Service) record(ctx context.Context, r *inbox.Result) {
	rec := history.Received{At: r.ReceivedAt, SHA256: r.SHA256, Name: r.Name, Unit: r.Unit, Period: r.Period,
		Status: r.Status, Archived: r.Archived, Reason: string(r.Reason)}
	switch {
	case r.Status == inbox.Duplicate:
		rec.Reason = filepath.Base(r.Archived) // the copy taken before
	case r.SupersededBy != "":
		rec.Reason = filepath.Base(r.SupersededBy)
	}
	if err := s.db.RecordReceived(ctx, rec); err != nil {
		s.log.Error("không ghi được vào lịch sử", "file", r.Name, "err", err)
	}
	if len(r.Supersedes) == 0 {
		return
	}
	_, older, err := inbox.Current(s.cfg.Serve.Archive, r.Period, s.cfg.Units.Registry())
	if err != nil {
		s.log.Error("không đọc được lưu trữ để ghi tệp bị thay", "period", r.Period, "err", err)
		return
	}
	for _, a := range older {
		for _, p := range r.Supersedes {
			if !samePath(a.Path, p) {
				continue
			}
			old := history.Received{At: r.ReceivedAt, SHA256: a.SHA256, Name: a.OriginalName, Unit: a.Unit,
				Period: a.Period, Status: history.ReceivedSuperseded, Archived: a.Path, Reason: filepath.Base(r.Archived)}
			if err := s.db.RecordReceived(ctx, old); err != nil {
				s.log.Error("không ghi được vào lịch sử", "file", a.OriginalName, "err", err)
			}
		}
	}
}

// feedback mails a unit what canbo found in its file, when serve.yaml asks for it
// and has the unit's address: the marked-up workbook of a file with problems, the
// reason a file could not be used, or that a newer file is used instead. A file
// dropped again (a duplicate) is answered only if it never was: the outbox sends
// one message per file, so this closes the gap of a crash between the archive and
// the mail, and never mails twice.
func (s *Service) feedback(r *inbox.Result) {
	if !s.cfg.Serve.Mail.Feedback {
		return
	}
	status := r.Status
	switch r.Status {
	case inbox.Accepted:
		if r.Feedback == "" {
			return // nothing to fix
		}
	case inbox.SupersededOlder:
		status = report.StatusSuperseded
	case inbox.Rejected:
	case inbox.Duplicate:
		if r.Feedback == "" || r.Reason != "" {
			return // nothing to fix, or a rejected file whose reason is in its note
		}
		status = inbox.Accepted
	default:
		return
	}
	to, ok := s.contact(r)
	if !ok {
		return
	}
	msg, err := mail.FeedbackMessage(s.mailTm, s.cfg, to, mail.Feedback{Unit: r.Unit, Period: r.Period, File: r.Name,
		SHA256: r.SHA256, Status: status, Reason: r.Why, Errors: r.Errors, Warnings: r.Warnings, Workbook: r.Feedback})
	if err != nil {
		s.log.Error("không soạn được thư phản hồi", "unit", to.Unit, "err", err)
		return
	}
	if _, _, err := s.outbox.Enqueue(msg); err != nil {
		s.log.Error("không đưa được thư phản hồi vào hộp thư đi", "unit", to.Unit, "err", err)
	}
}

// contact finds the address of the unit a file came from: the unit read in it, or,
// for a file that could not be read, the inbox sub-folder it was dropped in or its
// name ("UBND xã Nghĩa Tá/…", "UBND xã Nghĩa Tá.xlsx"). serve.yaml's units come
// first; else the units registry's email of the unit the name is (units.yaml), so an
// office keeps each unit's address in one place.
func (s *Service) contact(r *inbox.Result) (schema.UnitContact, bool) {
	names := []string{r.Unit}
	if r.Unit == "" {
		if g := groupOf(r.Rel); g != "" {
			names = append(names, path.Base(g))
		}
		names = append(names, strings.TrimSuffix(r.Name, filepath.Ext(r.Name)))
	}
	for _, n := range names {
		if strings.TrimSpace(n) == "" {
			continue
		}
		if c, ok := mail.FindContact(s.cfg.Serve.Units, n); ok {
			return c, true
		}
	}
	if reg := s.cfg.Units.Registry(); reg.Len() > 0 {
		for _, n := range names {
			if strings.TrimSpace(n) == "" {
				continue
			}
			if m := reg.Find(n, groupOf(r.Rel), false); m.Unit >= 0 {
				if email := strings.TrimSpace(s.cfg.Units.Units[m.Unit].Email.Value); email != "" {
					return schema.UnitContact{Unit: reg.Name(m.Unit), Email: email}, true
				}
			}
		}
	}
	return schema.UnitContact{}, false
}

// runPeriod makes one period's report from the archive and, for a scheduled or
// caught-up run, queues it for mail.
func (s *Service) runPeriod(ctx context.Context, period string, why schedule.Trigger) error {
	opt, err := ArchiveOptions(s.cfg.Serve, s.cfg.Units.Registry(), period, s.log)
	if err != nil {
		return err
	}
	opt.Now, opt.History = s.opt.Now, s.db
	if s.cache != nil {
		opt.Cache = s.cache
	}
	if len(opt.Inputs) == 0 {
		// Nothing recorded: the period stays "missed", so a start after files have
		// arrived makes the report.
		s.log.Warn("chưa có tệp nào của kỳ này trong lưu trữ; không lập báo cáo (sẽ lập khi canbo khởi động lại sau khi có tệp)",
			"period", period, "trigger", why)
		return fmt.Errorf("kỳ %s: %w", period, ErrNoInputs)
	}
	s.log.Info("bắt đầu lập báo cáo", "period", period, "trigger", why, "files", len(opt.Inputs), "superseded", len(opt.Superseded))
	s.out.Lock()
	var res *report.Result
	err = s.db.Record(ctx, period, string(why), func() (*summary.Summary, string, error) {
		var err error
		res, err = report.Run(ctx, s.tools, opt)
		return res.Made(err)
	})
	s.out.Unlock()
	if err != nil {
		if ctx.Err() != nil {
			s.log.Warn("dừng khi đang lập báo cáo; sẽ lập lại khi khởi động", "period", period, "err", err)
		} else {
			s.log.Error("không lập được báo cáo", "period", period, "err", err)
		}
		return err
	}
	s.log.Info("đã lập báo cáo", "period", period, "dir", res.Dir, "headcount", res.Summary.Total.Headcount)
	if report.RulesFailed(res.Summary) {
		s.log.Error("có chỉ tiêu không tính được vì biểu thức lỗi; báo cáo vẫn gửi, chỉ tiêu đó ghi \"Không tính được\"", "period", period)
	}
	if err := s.at("reported"); err != nil {
		return err
	}
	if why == schedule.Manual {
		return nil // see RunNow
	}
	if err := s.enqueueReport(res.Summary, mail.ReportFiles(res.Dir, res.Summary.Period)...); err != nil {
		// The scheduler drops a run's error: say it here, and that recoverMail tries again.
		s.log.Error(msgQueueRetry, "period", period, "err", err)
		return err
	}
	return nil
}

// ArchiveOptions says what a period's report reads from the archive: the current
// file of each unit (under the name the unit gave it and its inbox group), the
// superseded files and the quarantined ones, to be listed; a unit's files are told
// apart under reg, units.yaml's registry. The caller adds the clock, the history and
// the trigger.
func ArchiveOptions(sv schema.Serve, reg *units.Registry, period string, log *slog.Logger) (report.Options, error) {
	current, superseded, err := inbox.Current(sv.Archive, period, reg)
	if err != nil {
		return report.Options{}, fmt.Errorf("đọc lưu trữ kỳ %s: %w", period, err)
	}
	opt := archiveOptions(sv, period, current, superseded)
	opt.Log = log
	if sv.ComparesPrevious() {
		opt.Previous = previousFromArchive(sv, reg, period, log) // previous.go
	}
	rejected, err := inbox.Quarantined(sv.Quarantine, period)
	if err != nil {
		log.Warn("không đọc được thư mục cách ly; báo cáo sẽ không liệt kê tệp bị từ chối", "err", err)
	}
	for _, q := range rejected {
		opt.Rejected = append(opt.Rejected, summary.File{File: q.OriginalName, Path: q.Path, Group: groupOf(q.InboxPath),
			SHA256: q.SHA256, Status: inbox.Rejected, HeaderRows: []int{}, Reason: q.Message})
	}
	return opt, nil
}

// archiveOptions are the options of a report that reads the archived files current,
// listing superseded as replaced (Options.Superseded), for the month period.
func archiveOptions(sv schema.Serve, period string, current, superseded []inbox.ArchivedFile) report.Options {
	opt := report.Options{Out: sv.Out, Period: period, CacheDir: filepath.Join(sv.State, report.CacheFolder),
		Location: sv.Location(), Sources: map[string]report.Source{}, Superseded: map[string]string{}}
	for _, a := range current {
		opt.Inputs = append(opt.Inputs, a.Path)
		opt.Sources[a.Path] = report.Source{Name: a.OriginalName, Group: groupOf(a.InboxPath), Feedback: a.Feedback}
	}
	for _, a := range superseded {
		opt.Superseded[a.Path] = a.NewerPath
		opt.Sources[a.Path] = report.Source{Name: a.OriginalName, Group: groupOf(a.InboxPath)}
	}
	opt.Notes = map[string]string{}
	for _, f := range current {
		if len(f.CurrentFor) >= len(f.Datasets) {
			continue
		}
		// A workbook current for some of its datasets counts those alone: the copy of
		// a register beside its roster gave way to the unit's newer register, read on
		// its own line.
		if opt.Datasets == nil {
			opt.Datasets = map[string][]string{}
		}
		opt.Datasets[f.Path] = f.CurrentFor
		if len(f.NewerFor) > 0 {
			opt.Notes[f.Path] = newerForText(f.NewerFor)
		}
	}
	return opt
}

// enqueueReport queues the report mail of a period to leadership, when serve.yaml
// names recipients.
func (s *Service) enqueueReport(sum *summary.Summary, files ...string) error {
	if len(s.cfg.Serve.Mail.To) == 0 {
		return nil
	}
	msg, err := mail.ReportMessage(sum, s.cfg, s.tools.Text, s.mailTm, files...)
	if err != nil {
		return fmt.Errorf("soạn thư báo cáo: %w", err)
	}
	id, dup, err := s.outbox.Enqueue(msg)
	if err != nil {
		return fmt.Errorf("đưa thư báo cáo vào hộp thư đi: %w", err)
	}
	s.log.Info("thư báo cáo đã vào hộp thư đi", "id", id, "period", sum.Period, "already_queued", dup)
	return nil
}

// recoverReport queues, at start and every recoverEvery (recoverMail), the report
// mail of the last scheduled period if its report was made and recorded but its mail
// never reached the outbox (canbo was stopped between the two, or the outbox was
// busy). The report is read back from OUT/YYYY-MM/ as `canbo send` does; the outbox
// keeps it to one message.
func (s *Service) recoverReport(ctx context.Context) {
	if len(s.cfg.Serve.Mail.To) == 0 {
		return
	}
	last := s.sched.Last(s.scheduleNow())
	if last.IsZero() {
		return
	}
	period := s.sched.PeriodAt(last)
	missed, err := s.db.MissedRun(ctx, period)
	if err != nil || missed {
		return // the catch-up makes and queues it
	}
	entries, err := s.outbox.Status()
	if err != nil {
		s.log.Warn("không đọc được hộp thư đi", "err", err)
		return
	}
	for _, e := range entries {
		if e.Kind == mail.KindReport && e.Period == period {
			return
		}
	}
	dir := filepath.Join(s.cfg.Serve.Out, period)
	data, err := os.ReadFile(filepath.Join(dir, "summary.json"))
	if err != nil {
		s.log.Warn("kỳ đã lập báo cáo theo lịch nhưng không còn summary.json để gửi thư", "period", period, "err", err)
		return
	}
	var sum summary.Summary
	if err := json.Unmarshal(data, &sum); err != nil {
		s.log.Warn("không đọc được summary.json", "period", period, "err", err)
		return
	}
	s.log.Warn("báo cáo kỳ này đã lập nhưng thư chưa vào hộp thư đi (canbo dừng giữa chừng hoặc hộp thư đi bận); đưa vào bây giờ", "period", period)
	if err := s.enqueueReport(&sum, mail.ReportFiles(dir, period)...); err != nil {
		s.log.Error("không đưa được thư báo cáo vào hộp thư đi", "period", period, "err", err)
	}
}

// recoverEvery is how often a running serve looks for a report made whose mail never
// reached the outbox (recoverMail).
const recoverEvery = time.Hour

// msgQueueRetry is what the log says when a report made cannot be queued for mail.
const msgQueueRetry = "không đưa được thư báo cáo vào hộp thư đi; sẽ thử lại mỗi giờ"

// recoverMail runs recoverReport and recoverSpans every recoverEvery until ctx ends.
// Queueing a report's mail can fail after the report is made (the database busy
// past its timeout, an older canbo holding its outbox folder), and the schedule
// fires again only for the next period — a year later for a year's report — so
// without this the mail would wait for a restart.
func (s *Service) recoverMail(ctx context.Context) error {
	var clock mail.Clock = realClock{}
	if s.opt.MailClock != nil {
		clock = s.opt.MailClock
	}
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-clock.After(recoverEvery):
			s.recoverReport(ctx)
			s.recoverSpans()
		}
	}
}

// realClock is the system clock, for recoverMail when no test clock is given.
type realClock struct{}

func (realClock) Now() time.Time                         { return time.Now() }
func (realClock) After(d time.Duration) <-chan time.Time { return time.After(d) }

// feedbackWindow is how far back recoverFeedback looks for files received.
const feedbackWindow = 14 * 24 * time.Hour

// recoverFeedback queues, at start, the feedback mail of files received lately whose
// mail may never have reached the outbox: canbo stopped after the inbox took the file
// and before the mail was queued. The outbox keeps one message per file, so a
// feedback already queued or sent is not sent again.
func (s *Service) recoverFeedback() {
	sv := s.cfg.Serve
	if !sv.Mail.Feedback || len(sv.Units) == 0 {
		return
	}
	since := s.opt.Now().Add(-feedbackWindow)
	periods, err := os.ReadDir(sv.Archive)
	if err != nil && !os.IsNotExist(err) {
		s.log.Warn("không đọc được thư mục lưu trữ", "err", err)
	}
	for _, d := range periods {
		if !d.IsDir() {
			continue
		}
		current, older, err := inbox.Current(sv.Archive, d.Name(), s.cfg.Units.Registry())
		if err != nil {
			continue // not a period folder
		}
		for _, a := range append(current, older...) {
			name := a.FeedbackFile()
			if a.ReceivedAt.Before(since) || name == "" {
				continue
			}
			fb := filepath.Join(sv.Out, a.Period, "phan-hoi", name)
			if _, err := os.Stat(fb); err != nil {
				continue
			}
			s.feedback(&inbox.Result{Status: inbox.Accepted, Unit: a.Unit, Period: a.Period, Name: a.OriginalName,
				Rel: a.InboxPath, SHA256: a.SHA256, Errors: a.Errors, Warnings: a.Warnings, Feedback: fb})
		}
	}
	months := map[string]bool{}
	for _, t := range []time.Time{s.opt.Now(), s.opt.Now().Add(-feedbackWindow)} {
		m := t.In(s.inOpt.Location).Format("2006-01")
		if months[m] {
			continue
		}
		months[m] = true
		q, err := inbox.Quarantined(sv.Quarantine, m)
		if err != nil {
			continue
		}
		for _, f := range q {
			if f.ReceivedAt.Before(since) {
				continue
			}
			s.feedback(&inbox.Result{Status: inbox.Rejected, Period: f.ReceivedAt.In(s.inOpt.Location).Format("2006-01"),
				Name: f.OriginalName, Rel: f.InboxPath, SHA256: f.SHA256, Reason: f.Reason, Why: f.Message})
		}
	}
}

func (s *Service) scheduleNow() time.Time {
	if s.opt.ScheduleClock != nil {
		return s.opt.ScheduleClock.Now()
	}
	return time.Now()
}

func samePath(a, b string) bool {
	return filepath.Clean(a) == filepath.Clean(b)
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
