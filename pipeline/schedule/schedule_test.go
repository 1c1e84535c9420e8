package schedule_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"

	"canbo/pipeline/schedule"
)

var vn = func() *time.Location { l, _ := time.LoadLocation("Asia/Ho_Chi_Minh"); return l }()

type call struct {
	period string
	why    schedule.Trigger
}

type recorder struct {
	mu    sync.Mutex
	calls []call
	ch    chan call
}

func (r *recorder) job(ctx context.Context, period string, why schedule.Trigger) error {
	r.mu.Lock()
	r.calls = append(r.calls, call{period, why})
	r.mu.Unlock()
	r.ch <- call{period, why}
	return nil
}

func wait(t *testing.T, ch chan call) call {
	t.Helper()
	select {
	case c := <-ch:
		return c
	case <-time.After(10 * time.Second):
		t.Fatal("the job did not run")
	}
	return call{}
}

// TestMonthlyRun: at 07:00 on 1 October in Việt Nam the report for September runs.
func TestMonthlyRun(t *testing.T) {
	clock := clockwork.NewFakeClockAt(time.Date(2023, 10, 1, 6, 59, 0, 0, vn))
	rec := &recorder{ch: make(chan call, 4)}
	s, err := schedule.New(schedule.Options{Clock: clock}, rec.job)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if err := s.Start(ctx); err != nil {
		t.Fatal(err)
	}
	defer s.Stop()
	if err := clock.BlockUntilContext(ctx, 1); err != nil {
		t.Fatal(err)
	}
	clock.Advance(2 * time.Minute)
	if c := wait(t, rec.ch); c != (call{"2023-09", schedule.Scheduled}) {
		t.Errorf("got %+v", c)
	}
}

// TestCatchUp: canbo was off on the 1st; started on the 5th, it runs September at
// once, and only when the history says September has no successful run.
func TestCatchUp(t *testing.T) {
	for _, missed := range []bool{true, false} {
		clock := clockwork.NewFakeClockAt(time.Date(2023, 10, 5, 9, 0, 0, 0, vn))
		rec := &recorder{ch: make(chan call, 4)}
		var asked string
		s, err := schedule.New(schedule.Options{Clock: clock, Missed: func(_ context.Context, p string) (bool, error) {
			asked = p
			return missed, nil
		}}, rec.job)
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		if err := s.Start(ctx); err != nil {
			t.Fatal(err)
		}
		if asked != "2023-09" {
			t.Errorf("asked about %q, want 2023-09", asked)
		}
		if missed {
			if c := wait(t, rec.ch); c != (call{"2023-09", schedule.CatchUp}) {
				t.Errorf("got %+v", c)
			}
		}
		cancel()
		s.Stop()
		if !missed && len(rec.calls) != 0 {
			t.Errorf("ran %+v although September was done", rec.calls)
		}
	}
}

// TestNoOverlap: a manual run asked while the scheduled one is running waits for it.
func TestNoOverlap(t *testing.T) {
	clock := clockwork.NewFakeClockAt(time.Date(2023, 10, 1, 6, 59, 0, 0, vn))
	release := make(chan struct{})
	var mu sync.Mutex
	running, maxRunning := 0, 0
	started := make(chan string, 4)
	job := func(ctx context.Context, period string, why schedule.Trigger) error {
		mu.Lock()
		running++
		if running > maxRunning {
			maxRunning = running
		}
		mu.Unlock()
		started <- string(why)
		if why == schedule.Scheduled {
			<-release
		}
		mu.Lock()
		running--
		mu.Unlock()
		return nil
	}
	s, err := schedule.New(schedule.Options{Clock: clock}, job)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if err := s.Start(ctx); err != nil {
		t.Fatal(err)
	}
	if err := clock.BlockUntilContext(ctx, 1); err != nil {
		t.Fatal(err)
	}
	clock.Advance(2 * time.Minute)
	<-started
	done := make(chan error)
	go func() { done <- s.RunNow(ctx, "2023-09") }()
	select {
	case why := <-started:
		t.Fatalf("%s run started while the scheduled one was running", why)
	case <-time.After(50 * time.Millisecond):
	}
	close(release)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	s.Stop()
	if maxRunning != 1 {
		t.Errorf("%d runs at once", maxRunning)
	}
}

func TestLastAndPeriod(t *testing.T) {
	s, err := schedule.New(schedule.Options{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		now    time.Time
		last   string
		period string
	}{
		{time.Date(2023, 10, 1, 7, 0, 0, 0, vn), "2023-10-01 07:00", "2023-09"},
		{time.Date(2023, 10, 1, 6, 59, 0, 0, vn), "2023-09-01 07:00", "2023-08"},
		{time.Date(2024, 1, 15, 0, 0, 0, 0, vn), "2024-01-01 07:00", "2023-12"},
		// 23:30 UTC on 30 Sep is 06:30 on 1 Oct in Việt Nam: not yet.
		{time.Date(2023, 9, 30, 23, 30, 0, 0, time.UTC), "2023-09-01 07:00", "2023-08"},
	}
	for _, tt := range tests {
		last := s.Last(tt.now)
		if got := last.Format("2006-01-02 15:04"); got != tt.last || s.PeriodAt(last) != tt.period {
			t.Errorf("Last(%v) = %s → %s, want %s → %s", tt.now, got, s.PeriodAt(last), tt.last, tt.period)
		}
	}
	if _, err := schedule.New(schedule.Options{Spec: "0 7 32 * *"}, nil); err == nil {
		t.Error("a day 32 schedule was accepted")
	}
}

// TestParseSaysWhichPart: a wrong schedule names the part a clerk has to fix and
// why, in Vietnamese; the cron library's own error names neither.
func TestParseSaysWhichPart(t *testing.T) {
	tests := []struct{ spec, want string }{
		{"0 7 35 * *", `phần thứ 3 là ngày (1–31), không phải "35": lớn nhất là 31`},
		{"60 7 1 * *", `phần thứ 1 là phút (0–59), không phải "60": lớn nhất là 59`},
		{"0 7 0 * *", `phần thứ 3 là ngày (1–31), không phải "0": nhỏ nhất là 1`},
		{"0 7 1 13 *", `phần thứ 4 là tháng (1–12)`},
		{"0 7 1 * 8", `phần thứ 5 là thứ (0–6, 0 là Chủ nhật)`},
		{"0 bảy 1 * *", `phần thứ 2 là giờ (0–23), không phải "bảy": chỉ viết số`},
		{"0 7 5-1 * *", "khoảng a-b phải có a nhỏ hơn b"},
		{"0 7 1", "cần đúng 5 phần cách nhau bởi dấu cách, ở đây có 3"},
		{"@hangthang", "chỉ dùng được @monthly"},
	}
	for _, tc := range tests {
		_, err := schedule.Parse(tc.spec)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Parse(%q) = %v, want it to say %q", tc.spec, err, tc.want)
		}
	}
	if _, err := schedule.Parse(schedule.DefaultSpec); err != nil {
		t.Errorf("the default schedule: %v", err)
	}
}
