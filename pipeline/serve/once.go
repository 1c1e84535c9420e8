package serve

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"

	"canbo/pipeline/inbox"
	"canbo/pipeline/mail"
)

// OnceResult says what Once did, for the person who ran it.
type OnceResult struct {
	Period string
	Taken  []*inbox.Result // files taken from the inbox, in the order they were taken
	Left   []string        // files still changing (or failing) in the inbox, left for later
	Report string          // OUT/YYYY-MM, "" when no report was made
	// Mail is the period's report message in the outbox after the delivery pass
	// (nil: no recipients in serve.yaml, or no mail server). AlreadySent: it had gone
	// out before this run, so the new report was not mailed.
	Mail        *mail.Entry
	AlreadySent bool
	Sent        int // messages delivered by the pass (reports and feedback)
	Failed      int // messages the pass could not deliver; they stay queued
	NoMail      bool
}

// Once is `canbo serve --once --period YYYY-MM`: the month's work for one period,
// now and in one go, then stop. It takes the files waiting in the inbox (each once
// it has stopped changing), makes the period's report and queues its mail exactly as
// the schedule does (recorded as a scheduled run, so the service does not make it
// again at its next start), and gives the outbox one delivery pass. A report mail
// already sent for the period is not sent again: that takes `canbo send --period`,
// on purpose. Offices use it after a late correction; tests use it to drive the
// scheduled path.
func (s *Service) Once(ctx context.Context, period string) (*OnceResult, error) {
	if period == "" {
		period = s.sched.PeriodAt(s.scheduleNow())
	}
	res := &OnceResult{Period: period, NoMail: s.dialer == nil}
	s.recoverFeedback()
	w, err := inbox.NewWatcher(s.inOpt)
	if err != nil {
		return res, err
	}
	res.Left, err = w.Drain(ctx, func(ctx context.Context, c inbox.Candidate) error {
		r, err := s.takeFile(ctx, c)
		if r != nil {
			res.Taken = append(res.Taken, r)
		}
		return err
	})
	if err != nil {
		return res, err
	}
	sentBefore, err := s.reportMail(period)
	if err != nil {
		return res, err
	}
	res.AlreadySent = sentBefore != nil && sentBefore.Folder == mail.FolderSent
	if err := s.sched.RunScheduled(ctx, period); err != nil {
		return res, err
	}
	res.Report = filepath.Join(s.cfg.Serve.Out, period)
	if s.dialer == nil {
		return res, nil
	}
	res.Sent, res.Failed, err = s.outbox.Deliver(ctx, s.dialer)
	if errors.Is(err, mail.ErrBusy) {
		// `canbo send` is delivering: it sends what was queued here too.
		err = nil
	}
	if err != nil {
		return res, fmt.Errorf("gửi thư: %w", err)
	}
	res.Mail, err = s.reportMail(period)
	return res, err
}

// reportMail is the newest report message of a period in the outbox, nil if none.
func (s *Service) reportMail(period string) (*mail.Entry, error) {
	entries, err := s.outbox.Status()
	if err != nil {
		return nil, fmt.Errorf("đọc hộp thư đi: %w", err)
	}
	var newest *mail.Entry
	for i := range entries {
		e := &entries[i]
		if e.Kind == mail.KindReport && e.Period == period && (newest == nil || e.Created.After(newest.Created)) {
			newest = e
		}
	}
	return newest, nil
}
