package serve

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"canbo/pipeline/inbox"
	"canbo/pipeline/mail"
	"canbo/pipeline/report"
	"canbo/pipeline/reporttext"
	"canbo/pipeline/schedule"
	"canbo/pipeline/schema"
	"canbo/pipeline/summary"
	"canbo/pipeline/units"
)

// Reports over a span of months (serve.yaml span_reports: a year, a term, "since
// 2015") run on schedules of their own, beside the monthly report, and are made as
// `canbo run --from --to` makes them, from the archive of every month of the span
// (SpanOptions). They go to OUT/FROM_TO/ and are mailed to the monthly report's
// recipients as messages of their own kind (KindSpanReport), one per span.
//
// They are not recorded as runs in the history: the history keeps a period's
// figures for the next month's comparison and the targets' trends, and a span's
// figures (its training over years) are not a month's. Whether a span's report was
// made and mailed is read from OUT and the outbox instead (spanMissed).

// KindSpanReport is the outbox kind of a span report's mail: the outbox sends one
// message per kind and period, so a year's report whose last month is December is
// never taken for December's monthly report, nor held back by it.
const KindSpanReport = mail.KindSpanReport

// spanJob is one entry of span_reports with its scheduler.
type spanJob struct {
	rep   schema.SpanReport
	sched *schedule.Scheduler
}

// checkSpans says what is wrong with serve.yaml's span_reports, each at its key.
func checkSpans(reps []schema.SpanReport) []error {
	var errs []error
	seen := map[string]bool{}
	for i, r := range reps {
		errs = append(errs, r.Problems(i, seen)...)
		if strings.TrimSpace(r.Schedule) == "" {
			continue
		}
		if _, err := schedule.Parse(r.Schedule); err != nil {
			errs = append(errs, &schema.KeyError{Key: fmt.Sprintf("span_reports.%d.schedule", i), Msg: err.Error()})
		}
	}
	return errs
}

// openSpans prepares a scheduler for each span report; Run starts them.
func (s *Service) openSpans() error {
	sv := s.cfg.Serve
	for _, rep := range sv.SpanReports {
		job := &spanJob{rep: rep}
		sched, err := schedule.New(schedule.Options{Spec: rep.Schedule, Location: sv.Location(), Period: rep.RunsFor(),
			Clock: s.opt.ScheduleClock, Missed: func(ctx context.Context, period string) (bool, error) {
				return s.spanMissed(rep, period)
			}}, func(ctx context.Context, period string, why schedule.Trigger) error {
			return s.runSpan(ctx, rep, period, why)
		})
		if err != nil {
			return fmt.Errorf("span_reports %q: %w", rep.Name, err)
		}
		job.sched = sched
		s.spans = append(s.spans, job)
	}
	return nil
}

// startSpans starts the span reports' schedules (and the catch-up of a missed one).
func (s *Service) startSpans(ctx context.Context) error {
	for _, j := range s.spans {
		if err := j.sched.Start(ctx); err != nil {
			return fmt.Errorf("span_reports %q: %w", j.rep.Name, err)
		}
	}
	return nil
}

// stopSpans stops them, waiting for a run in progress.
func (s *Service) stopSpans() error {
	var errs []error
	for _, j := range s.spans {
		errs = append(errs, j.sched.Stop())
	}
	return errors.Join(errs...)
}

// spanMissed reports whether the span report run for period still has to be made:
// its report is not in OUT, or its mail never reached the outbox (canbo stopped
// between the two). Making it again then costs a run, never a second mail: the
// outbox keeps one message per span.
func (s *Service) spanMissed(rep schema.SpanReport, period string) (bool, error) {
	from, to, ok := rep.Span(period)
	if !ok {
		return false, nil
	}
	name := summary.SpanName(from, to)
	if _, err := os.Stat(filepath.Join(s.cfg.Serve.Out, name, "summary.json")); err != nil {
		return true, nil
	}
	if len(s.cfg.Serve.Mail.To) == 0 || s.dialer == nil {
		return false, nil
	}
	entries, err := s.outbox.Status()
	if err != nil {
		return false, fmt.Errorf("đọc hộp thư đi: %w", err)
	}
	for _, e := range entries {
		if e.Kind == KindSpanReport && e.Period == name {
			return false, nil
		}
	}
	return true, nil
}

// RunSpan makes the span report named name for the month period reports, as its
// schedule would (and mails it); "" period = the month its schedule reports now.
// `canbo serve` runs it on the schedule; tests and a person at the console call it.
func (s *Service) RunSpan(ctx context.Context, name, period string) error {
	j, err := s.spanJob(name)
	if err != nil {
		return err
	}
	if period == "" {
		period = j.sched.PeriodAt(s.scheduleNow())
	}
	return j.sched.RunScheduled(ctx, period)
}

// RunSpanNow makes the span report named name at once, for the month its schedule
// reports now, as a manual run: like RunNow for the month, it waits for the
// report's scheduled run rather than overlapping it, and mails nobody (the
// scheduled run still mails the leadership, spanMissed seeing no mail). It returns
// the span made (FROM_TO, its folder in OUT), so the web page can say which; a span
// that has not begun is an error, the page having nothing to show for it.
func (s *Service) RunSpanNow(ctx context.Context, name string) (string, error) {
	j, err := s.spanJob(name)
	if err != nil {
		return "", err
	}
	period := j.sched.PeriodAt(s.scheduleNow())
	from, to, ok := j.rep.Span(period)
	if !ok {
		return "", fmt.Errorf("khoảng của báo cáo bắt đầu từ tháng %s, chưa đến (tháng báo cáo bây giờ là %s)",
			reporttext.Period(from), reporttext.Period(period))
	}
	span := summary.SpanName(from, to)
	if err := j.sched.RunNow(ctx, period); err != nil {
		if errors.Is(err, ErrNoInputs) {
			// runSpan's words are the log's (a period, the months as YYYY-MM); the
			// office reads the span's months as its reports write them.
			return span, fmt.Errorf("lưu trữ chưa có tệp nào từ tháng %s đến tháng %s",
				reporttext.Period(from), reporttext.Period(to))
		}
		return span, err
	}
	return span, nil
}

// spanJob finds the span report named name (case, outer spaces and Unicode form
// aside: schema.SpanNameKey).
func (s *Service) spanJob(name string) (*spanJob, error) {
	for _, j := range s.spans {
		if j.rep.Named(name) {
			return j, nil
		}
	}
	return nil, fmt.Errorf("serve.yaml không có báo cáo %q trong span_reports", name)
}

// runSpan makes one span report from the archive and, unless run by hand, queues
// its mail.
func (s *Service) runSpan(ctx context.Context, rep schema.SpanReport, period string, why schedule.Trigger) error {
	from, to, ok := rep.Span(period)
	if !ok {
		s.log.Info("khoảng của báo cáo chưa bắt đầu; không lập", "report", rep.Name, "from", from, "to", to)
		return nil
	}
	if to < period && why != schedule.Manual {
		// A term that has ended: its report was made when it ended (or is caught up
		// once); the schedule firing on does not make it again.
		if missed, err := s.spanMissed(rep, period); err == nil && !missed {
			s.log.Info("báo cáo của khoảng đã kết thúc đã lập và gửi; không lập lại", "report", rep.Name, "from", from, "to", to)
			return nil
		}
	}
	opt, err := SpanOptions(s.cfg.Serve, s.cfg.Units.Registry(), from, to, s.log)
	if err != nil {
		return err
	}
	opt.Now = s.opt.Now
	if s.cache != nil {
		opt.Cache = s.cache
	}
	if len(opt.Inputs) == 0 {
		s.log.Warn("lưu trữ chưa có tệp nào trong khoảng này; không lập báo cáo", "report", rep.Name, "from", from, "to", to)
		return fmt.Errorf("%s (%s–%s): %w", rep.Name, from, to, ErrNoInputs)
	}
	s.log.Info("bắt đầu lập báo cáo theo khoảng", "report", rep.Name, "from", from, "to", to, "trigger", why,
		"files", len(opt.Inputs), "superseded", len(opt.Superseded))
	s.out.Lock()
	res, err := report.Run(ctx, s.tools, opt)
	s.out.Unlock()
	if err != nil {
		s.log.Error("không lập được báo cáo theo khoảng", "report", rep.Name, "from", from, "to", to, "err", err)
		return err
	}
	s.log.Info("đã lập báo cáo theo khoảng", "report", rep.Name, "dir", res.Dir, "headcount", res.Summary.Total.Headcount,
		"training", res.Summary.Training.Total)
	if why == schedule.Manual || len(s.cfg.Serve.Mail.To) == 0 {
		return nil
	}
	msg, err := SpanMessage(rep.Name, res.Summary, s.cfg, s.tools, s.mailTm, mail.ReportFiles(res.Dir, res.Summary.ReportName())...)
	if err != nil {
		return fmt.Errorf("soạn thư báo cáo %s: %w", rep.Name, err)
	}
	id, dup, err := s.outbox.Enqueue(msg)
	if err != nil {
		// The scheduler drops a run's error: say it here, and that recoverMail tries again.
		s.log.Error(msgQueueRetry, "report", rep.Name, "from", from, "to", to, "err", err)
		return fmt.Errorf("đưa thư báo cáo %s vào hộp thư đi: %w", rep.Name, err)
	}
	s.log.Info("thư báo cáo theo khoảng đã vào hộp thư đi", "id", id, "report", rep.Name, "span", msg.Period, "already_queued", dup)
	return nil
}

// recoverSpans queues, every recoverEvery (recoverMail), the mail of each span
// report whose last scheduled run made it (summary.json in OUT/FROM_TO/) without
// its mail reaching the outbox. At start the catch-up (spanMissed) makes such a
// report again; a running serve reads it back instead, as recoverReport does for
// the month. The outbox keeps one message per span.
func (s *Service) recoverSpans() {
	if len(s.cfg.Serve.Mail.To) == 0 || len(s.spans) == 0 {
		return
	}
	entries, err := s.outbox.Status()
	if err != nil {
		s.log.Warn("không đọc được hộp thư đi", "err", err)
		return
	}
	queued := map[string]bool{}
	for _, e := range entries {
		if e.Kind == KindSpanReport {
			queued[e.Period] = true
		}
	}
	now := s.scheduleNow()
	for _, j := range s.spans {
		last := j.sched.Last(now)
		if last.IsZero() {
			continue
		}
		from, to, ok := j.rep.Span(j.sched.PeriodAt(last))
		name := summary.SpanName(from, to)
		if !ok || queued[name] {
			continue
		}
		dir := filepath.Join(s.cfg.Serve.Out, name)
		data, err := os.ReadFile(filepath.Join(dir, "summary.json"))
		if err != nil {
			continue // not made: the next scheduled run, or a restart's catch-up, makes it
		}
		var sum summary.Summary
		if err := json.Unmarshal(data, &sum); err != nil {
			s.log.Warn("không đọc được summary.json", "report", j.rep.Name, "dir", dir, "err", err)
			continue
		}
		s.log.Warn("báo cáo theo khoảng đã lập nhưng thư chưa vào hộp thư đi; đưa vào bây giờ", "report", j.rep.Name, "from", from, "to", to)
		msg, err := SpanMessage(j.rep.Name, &sum, s.cfg, s.tools, s.mailTm, mail.ReportFiles(dir, sum.ReportName())...)
		if err != nil {
			s.log.Error("không soạn được thư báo cáo theo khoảng", "report", j.rep.Name, "err", err)
			continue
		}
		id, dup, err := s.outbox.Enqueue(msg)
		if err != nil {
			s.log.Error(msgQueueRetry, "report", j.rep.Name, "from", from, "to", to, "err", err)
			continue
		}
		s.log.Info("thư báo cáo theo khoảng đã vào hộp thư đi", "id", id, "report", j.rep.Name, "span", msg.Period, "already_queued", dup)
	}
}

// SpanOptions says what the report over the months from to to reads from the
// archive: per unit and dataset the newest file of the whole span, and other years'
// registers (inbox.Span), the older copies listed as replaced, and a word in the
// report on each register canbo is not sure it counts right. Quarantined files are not listed:
// each month's report lists its own. The caller adds the clock.
func SpanOptions(sv schema.Serve, reg *units.Registry, from, to string, log *slog.Logger) (report.Options, error) {
	current, superseded, notes, err := inbox.Span(sv.Archive, from, to, reg)
	if err != nil {
		return report.Options{}, fmt.Errorf("đọc lưu trữ từ %s đến %s: %w", from, to, err)
	}
	opt := archiveOptions(sv, to, current, superseded)
	// Each month's report wrote the files' feedback; the span's would repeat it.
	opt.From, opt.Log, opt.NoFeedback = from, log, true
	for _, n := range notes {
		// A workbook may hold two registers canbo is unsure of (training and
		// movements): its line in the report says both.
		if prev := opt.Notes[n.File.Path]; prev != "" {
			opt.Notes[n.File.Path] = prev + ". " + unsureText(n)
		} else {
			opt.Notes[n.File.Path] = unsureText(n)
		}
		log.Warn("có sổ cũ hơn trong khoảng mà canbo không chắc sổ được đọc đã chứa đủ; sổ đó không được tính",
			"unit", n.File.Unit, "old", n.File.Rel, "newer", n.Newer.Rel)
	}
	return opt, nil
}

// newerForText is what the report says on the line of a workbook read for some of
// its datasets only (inbox.ArchivedFile.NewerFor): which it did not count, and the
// newer file counted instead, in the words of a replaced file's line.
func newerForText(newer map[string]string) string {
	ds := make([]string, 0, len(newer))
	for d := range newer {
		ds = append(ds, d)
	}
	slices.Sort(ds)
	parts := make([]string, 0, len(ds))
	for _, d := range ds {
		parts = append(parts, fmt.Sprintf("%s trong tệp này không tính: đã có bản mới hơn, %s", datasetWords(d), newer[d]))
	}
	return strings.Join(parts, ". ")
}

// datasetWords names a register (a roster is never replaced beside one: Span
// compares registers) as the report's text does (report.yaml dataset_*).
func datasetWords(ds string) string {
	switch ds {
	case "training":
		return "Sổ đào tạo, bồi dưỡng"
	case "movements":
		return "Sổ điều động, luân chuyển"
	}
	return "Bảng " + ds
}

// unsureText is what the report says of a register it did not read and is not sure
// it need not have (inbox.SpanNote), and what the office can do about it.
func unsureText(n inbox.SpanNote) string {
	dr := n.File.Dates[n.Dataset]
	switch n.Kind {
	case inbox.NoteRows:
		return fmt.Sprintf(unsureWhy+": sổ mới nhất của đơn vị có %s dòng, sổ này có %s dòng — có thể đơn vị đã lập sổ mới "+
			"(sổ của năm sau) nên các lượt chỉ có ở sổ này không được tính. Nếu vậy, hãy đề nghị đơn vị gửi một sổ gộp đủ các lượt của cả khoảng",
			reporttext.Int(n.Newer.Rows), reporttext.Int(n.File.Rows))
	case inbox.NoteMixed:
		return fmt.Sprintf(unsureWhy+": sổ này là sổ khác (các dòng đến ngày %s, trước ngày %s mà các sổ được tính bắt đầu) "+
			"nhưng nằm chung tệp với danh sách hoặc sổ khác, đọc cả tệp sẽ tính trùng các sổ đó nên không đọc. "+
			"Hãy đề nghị đơn vị gửi sổ này thành tệp riêng", reporttext.Date(dr.Last), reporttext.Date(n.Starts))
	default:
		return fmt.Sprintf(unsureWhy+": sổ này có dòng từ ngày %s, sớm hơn ngày %s mà các sổ được tính bắt đầu, nhưng trùng một phần "+
			"với chúng — có thể đơn vị đã lập sổ mới hoặc bỏ bớt dòng cũ, nên các lượt chỉ có ở sổ này không được tính. "+
			"Hãy đề nghị đơn vị gửi một sổ gộp đủ các lượt của cả khoảng", reporttext.Date(dr.First), reporttext.Date(n.Starts))
	}
}

// unsureWhy begins what the report says of a replaced register the newer may not
// hold all of; the mail counts those files by it.
const unsureWhy = "Chưa chắc đã tính đủ"

// SpanMessage composes a span report's mail from mail.yaml's span_report (see
// mail.SpanReportMessage), named name, with the registers the report says it is
// unsure it counted fully (their files' reason says unsureWhy): the office
// asks those units for a register with every attendance of the span.
func SpanMessage(name string, sum *summary.Summary, cfg *schema.Config, t report.Tools, tm *mail.Templates, files ...string) (*mail.Message, error) {
	sp := mail.Span{Name: name}
	for _, f := range sum.Files {
		if strings.Contains(f.Reason, unsureWhy) {
			sp.Unsure = append(sp.Unsure, mail.UnsureFile{File: f.File, Unit: f.Unit, Reason: f.Reason})
		}
	}
	return mail.SpanReportMessage(sp, sum, cfg, t.Text, tm, files...)
}
