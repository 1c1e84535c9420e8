// Package schedule runs the monthly report on a cron schedule (default 07:00 on the
// 1st, Asia/Ho_Chi_Minh, for the previous month) with github.com/go-co-op/gocron/v2.
// Runs never overlap, and a run missed while the machine was off is run on start: the
// caller says, through Missed, whether the period of the last scheduled time before
// now already has a successful run.
package schedule

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/go-co-op/gocron/v2"
	"github.com/jonboulle/clockwork"
	"github.com/robfig/cron/v3"
)

// Defaults, as the issue and the offices' practice set them.
const (
	DefaultSpec     = "0 7 1 * *" // 07:00 on the 1st of each month
	DefaultTimeZone = "Asia/Ho_Chi_Minh"
)

// Trigger says why a run started.
type Trigger string

// Triggers recorded in the run history.
const (
	Scheduled Trigger = "schedule"
	CatchUp   Trigger = "catch-up" // the scheduled time passed while canbo was not running
	Manual    Trigger = "manual"
)

// Job makes the report for a period ("2023-09").
type Job func(ctx context.Context, period string, why Trigger) error

// Options configure a Scheduler. Zero values take the defaults.
type Options struct {
	Spec     string         // cron: minute hour day-of-month month day-of-week
	Location *time.Location // the schedule's time zone
	Period   string         // "previous" (default): a run reports the month before its fire time; "current": the same month
	Clock    clockwork.Clock
	// Missed reports whether period still lacks a successful scheduled run; it is
	// asked once at Start for the last fire time before now. Nil: never catch up.
	Missed func(ctx context.Context, period string) (bool, error)
}

// Scheduler fires Job on the schedule, one run at a time.
type Scheduler struct {
	opt   Options
	job   Job
	sched cron.Schedule
	gs    gocron.Scheduler
	mu    sync.Mutex // held while a run is in progress: runs never overlap
	wg    sync.WaitGroup
}

// Parse checks a cron spec the way New will use it, for `canbo config check`. Its
// error names the part of the spec that is wrong and why, in Vietnamese.
func Parse(spec string) (cron.Schedule, error) {
	s, err := cron.ParseStandard(spec)
	if err != nil {
		return nil, fmt.Errorf("lịch %q sai: %s. Lịch viết dạng cron \"phút giờ ngày tháng thứ\" (ví dụ \"0 7 1 * *\" là 7 giờ sáng ngày 1 hằng tháng)", spec, specMistake(spec, err))
	}
	return s, nil
}

// specParts are the five parts of a cron spec, as a clerk reads them.
var specParts = [5]string{"phút (0–59)", "giờ (0–23)", "ngày (1–31)", "tháng (1–12)", "thứ (0–6, 0 là Chủ nhật)"}

// specMistake says which part of a spec the cron library refused, by parsing each
// part alone with the others "*": the library's own error does not say.
func specMistake(spec string, err error) string {
	parts := strings.Fields(spec)
	if strings.HasPrefix(spec, "@") || strings.HasPrefix(spec, "TZ=") || strings.HasPrefix(spec, "CRON_TZ=") {
		return cronWords(err)
	}
	if len(parts) != 5 {
		return fmt.Sprintf("cần đúng 5 phần cách nhau bởi dấu cách, ở đây có %d", len(parts))
	}
	for i, p := range parts {
		probe := []string{"*", "*", "*", "*", "*"}
		probe[i] = p
		if _, perr := cron.ParseStandard(strings.Join(probe, " ")); perr != nil {
			return fmt.Sprintf("phần thứ %d là %s, không phải %q: %s", i+1, specParts[i], p, cronWords(perr))
		}
	}
	return cronWords(err)
}

var (
	aboveMax = regexp.MustCompile(`above maximum \((\d+)\)`)
	belowMin = regexp.MustCompile(`below minimum \((\d+)\)`)
)

// cronWords is the cron library's error in Vietnamese, the English kept in brackets.
func cronWords(err error) string {
	m := err.Error()
	var vi string
	switch {
	case aboveMax.MatchString(m):
		vi = "lớn nhất là " + aboveMax.FindStringSubmatch(m)[1]
	case belowMin.MatchString(m):
		vi = "nhỏ nhất là " + belowMin.FindStringSubmatch(m)[1]
	case strings.Contains(m, "failed to parse int"), strings.Contains(m, "negative number"):
		vi = "chỉ viết số, dấu * , - /"
	case strings.Contains(m, "beyond end of range"):
		vi = "khoảng a-b phải có a nhỏ hơn b"
	case strings.Contains(m, "step of range"), strings.Contains(m, "too many slashes"), strings.Contains(m, "too many hyphens"):
		vi = "viết khoảng như 1-5, bước như */2"
	case strings.Contains(m, "empty spec"):
		vi = "lịch trống"
	case strings.Contains(m, "descriptor"):
		vi = "chỉ dùng được @monthly, @weekly, @daily, @hourly"
	case strings.Contains(m, "bad location"):
		vi = "múi giờ không đúng; hãy khai báo time_zone thay cho TZ="
	default:
		vi = "không đúng dạng"
	}
	return vi + " (" + m + ")"
}

// New prepares a scheduler; Start starts it.
func New(opt Options, job Job) (*Scheduler, error) {
	if opt.Spec == "" {
		opt.Spec = DefaultSpec
	}
	if opt.Location == nil {
		loc, err := time.LoadLocation(DefaultTimeZone)
		if err != nil {
			return nil, err
		}
		opt.Location = loc
	}
	if opt.Period == "" {
		opt.Period = "previous"
	}
	if opt.Period != "previous" && opt.Period != "current" {
		return nil, fmt.Errorf("period phải là previous (tháng trước) hoặc current (tháng hiện tại), không phải %q", opt.Period)
	}
	if opt.Clock == nil {
		opt.Clock = clockwork.NewRealClock()
	}
	sched, err := Parse(opt.Spec)
	if err != nil {
		return nil, err
	}
	return &Scheduler{opt: opt, job: job, sched: sched}, nil
}

// PeriodAt is the month a run fired at t reports.
func (s *Scheduler) PeriodAt(t time.Time) string {
	t = t.In(s.opt.Location)
	if s.opt.Period == "previous" {
		t = time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, s.opt.Location).AddDate(0, -1, 0)
	}
	return t.Format("2006-01")
}

// Next is the next fire time after t.
func (s *Scheduler) Next(t time.Time) time.Time {
	return s.sched.Next(t.In(s.opt.Location))
}

// Last is the latest fire time at or before now, searching back up to a year; zero
// when the schedule did not fire in that time.
func (s *Scheduler) Last(now time.Time) time.Time {
	now = now.In(s.opt.Location)
	var last time.Time
	// Walk forward from a year ago; monthly schedules take 12 steps. A schedule
	// firing every minute would take long, so the walk starts closer for it.
	from := now.AddDate(-1, 0, 0)
	if next := s.sched.Next(from); !next.IsZero() && s.sched.Next(next).Sub(next) < time.Hour {
		from = now.Add(-2 * time.Hour)
	}
	for t := s.sched.Next(from); !t.IsZero() && !t.After(now); t = s.sched.Next(t) {
		last = t
	}
	return last
}

// Start runs a missed run if there is one (in the background, so Start returns at
// once) and starts the schedule. Stop or cancelling ctx ends it.
func (s *Scheduler) Start(ctx context.Context) error {
	gs, err := gocron.NewScheduler(gocron.WithLocation(s.opt.Location), gocron.WithClock(s.opt.Clock))
	if err != nil {
		return err
	}
	_, err = gs.NewJob(gocron.CronJob(s.opt.Spec, false),
		gocron.NewTask(func() { s.fire(ctx, s.PeriodAt(s.opt.Clock.Now()), Scheduled) }),
		gocron.WithSingletonMode(gocron.LimitModeReschedule), gocron.WithName("bao-cao-thang"))
	if err != nil {
		return fmt.Errorf("lịch %q: %w", s.opt.Spec, err)
	}
	s.gs = gs
	if last := s.Last(s.opt.Clock.Now()); !last.IsZero() && s.opt.Missed != nil {
		period := s.PeriodAt(last)
		missed, err := s.opt.Missed(ctx, period)
		if err != nil {
			return fmt.Errorf("kiểm tra lần chạy bị lỡ của kỳ %s: %w", period, err)
		}
		if missed {
			s.wg.Add(1)
			go func() {
				defer s.wg.Done()
				s.fire(ctx, period, CatchUp)
			}()
		}
	}
	gs.Start()
	return nil
}

// RunNow runs the job for a period at once, waiting for a run in progress to end
// first: a manual run never overlaps a scheduled one.
func (s *Scheduler) RunNow(ctx context.Context, period string) error {
	return s.fire(ctx, period, Manual)
}

// RunScheduled runs the scheduled job for a period now, as if its time had come
// (`canbo serve --once`): recorded as a scheduled run, mailed like one.
func (s *Scheduler) RunScheduled(ctx context.Context, period string) error {
	return s.fire(ctx, period, Scheduled)
}

// ErrStopped is returned for a run asked for after Stop.
var ErrStopped = errors.New("lịch đã dừng")

func (s *Scheduler) fire(ctx context.Context, period string, why Trigger) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if ctx.Err() != nil {
		return ErrStopped
	}
	return s.job(ctx, period, why)
}

// Stop stops the schedule and waits for a run in progress to finish; the caller
// cancels the run's context first when it must not finish.
func (s *Scheduler) Stop() error {
	var err error
	if s.gs != nil {
		err = s.gs.Shutdown()
	}
	s.wg.Wait()
	s.mu.Lock() // wait for a scheduled run in progress
	defer s.mu.Unlock()
	return err
}
