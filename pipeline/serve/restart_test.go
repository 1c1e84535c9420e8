package serve

// Stopping canbo serve at awkward moments and starting it again on the same folders:
// no input is lost, no mail is sent twice, a run missed while it was off is caught up.

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"canbo/pipeline/history"
	"canbo/pipeline/mail"
)

var errCrash = errors.New("simulated crash")

// TestServeStopDuringTakes: canbo is stopped while files are being taken. Every file
// is then in the archive, in the quarantine or still in the inbox; started again, it
// takes the rest; each file is stored exactly once and recorded exactly once.
func TestServeStopDuringTakes(t *testing.T) {
	t.Parallel()
	o := newOffice(t, noUnits)
	o.start()
	dropped := map[string]string{} // sha256 → name
	for _, f := range socTrang {
		dropped[o.dropSample(f, "soc-trang/"+f)] = f
	}
	dropped[o.dropSample("UBND xã Bằng Phúc.xlsx", "cho-don/UBND xã Bằng Phúc.xlsx")] = "UBND xã Bằng Phúc.xlsx"
	dropped[o.dropSample("hong.xlsx", "loi-mau/hong.xlsx")] = "hong.xlsx"
	// Stop as soon as the first file is taken: the others are being looked at.
	o.waitFor("a first file taken", func() bool { return len(o.received()) > 0 }, o.tickInbox)
	o.stop()

	check := func(final bool) {
		t.Helper()
		archived, quarantined := o.stored()
		left := map[string]bool{}
		for _, s := range o.inInbox() {
			left[s] = true
		}
		taken := 0
		for s, name := range dropped {
			n := archived[s] + quarantined[s]
			switch {
			case n > 1:
				t.Errorf("%s stored %d times", name, n)
			case n == 1 && left[s]:
				t.Errorf("%s both stored and still in the inbox", name)
			case n == 0 && !left[s]:
				t.Errorf("%s lost: neither stored nor in the inbox", name)
			case n == 0 && final:
				t.Errorf("%s never taken", name)
			}
			taken += n
		}
		if len(archived)+len(quarantined) != taken {
			t.Errorf("stored %d files, %d of them dropped", len(archived)+len(quarantined), taken)
		}
	}
	check(false)

	o.start()
	var names []string
	for _, n := range dropped {
		names = append(names, n)
	}
	o.waitTaken(names...)
	check(true)
	if left := o.inInbox(); len(left) != 0 {
		t.Errorf("left in the inbox: %v", left)
	}
	for s, name := range dropped {
		var recs []string
		for _, r := range o.received() {
			if r.SHA256 == s {
				recs = append(recs, r.Status)
			}
		}
		if len(recs) != 1 || recs[0] == history.ReceivedDuplicate {
			t.Errorf("%s recorded as %v", name, recs)
		}
	}
}

// TestServeRestartBeforeDelivery: the report is queued while the mail server is
// down; canbo is stopped with the message pending, and started again once the
// server is back. The message goes out once; the report is not made again.
func TestServeRestartBeforeDelivery(t *testing.T) {
	t.Parallel()
	o := newOffice(t, noUnits)
	o.start()
	o.dropSample("Sở Nội vụ.xlsx", "soc-trang/Sở Nội vụ.xlsx")
	o.waitTaken("Sở Nội vụ.xlsx")
	o.smtp.stop()
	o.fire(runTime.Add(time.Minute))
	pending := o.waitPendingError("report")
	o.stop()
	o.queuedEML(pending.ID) // after the stop the message is pending

	o.smtp.start()
	o.schedAt = runTime.Add(2 * time.Hour)
	o.start()
	got := o.waitMails(mail.KindReport, 1)
	o.settle()
	if n := o.smtp.count(); n != 1 {
		t.Errorf("%d messages at the server, want 1", n)
	}
	if id := got[0].Header.Get("X-Canbo-Id"); id != pending.ID {
		t.Errorf("delivered %s, the pending message was %s", id, pending.ID)
	}
	if runs := o.runs("2023-09"); len(runs) != 1 || runs[0].Trigger != history.TriggerSchedule {
		t.Errorf("runs of 2023-09: %+v", runs)
	}
	// Started once more: nothing new.
	o.stop()
	o.schedAt = runTime.Add(3 * time.Hour)
	o.start()
	o.settle()
	if n := o.smtp.count(); n != 1 || len(o.runs("2023-09")) != 1 {
		t.Errorf("after another restart: %d messages, %d runs", n, len(o.runs("2023-09")))
	}
}

// TestServeCrashBeforeQueue: canbo dies after the report was made and recorded but
// before its mail was queued. The history says the period is done, so there is no
// catch-up; started again, canbo queues the report's mail from OUT/2023-09/ and
// sends it, once.
func TestServeCrashBeforeQueue(t *testing.T) {
	t.Parallel()
	o := newOffice(t, noUnits)
	svc := o.open()
	var crashed atomic.Bool
	svc.step = func(name string) error {
		if name == "reported" {
			crashed.Store(true)
			return errCrash
		}
		return nil
	}
	o.start(svc)
	o.dropSample("Sở Nội vụ.xlsx", "soc-trang/Sở Nội vụ.xlsx")
	o.dropSample("Văn phòng Tỉnh ủy.xlsx", "soc-trang/Văn phòng Tỉnh ủy.xlsx")
	o.waitTaken("Sở Nội vụ.xlsx", "Văn phòng Tỉnh ủy.xlsx")
	o.fire(runTime)
	o.waitFor("the report made", crashed.Load, nil)
	o.stop()
	if runs := o.runs("2023-09"); len(runs) != 1 || runs[0].Status != history.StatusOK {
		t.Fatalf("runs of 2023-09: %+v", runs)
	}
	if es := o.outbox(); len(es) != 0 {
		t.Fatalf("the outbox has %+v before the restart", es)
	}

	o.schedAt = runTime.Add(time.Hour)
	o.start()
	got := o.waitMails(mail.KindReport, 1)
	if !strings.Contains(got[0].Subject, "tháng 09/2023 — 38 người") {
		t.Errorf("subject %q", got[0].Subject)
	}
	if len(got[0].Attachments) != 3 { // .xlsx, .pdf, .docx
		t.Errorf("attachments %v", keys(got[0].Attachments))
	}
	o.stop()
	o.schedAt = runTime.Add(2 * time.Hour)
	o.start()
	o.settle()
	if n := o.smtp.count(); n != 1 || len(o.runs("2023-09")) != 1 {
		t.Errorf("%d messages, %d runs of 2023-09; want 1 and 1", n, len(o.runs("2023-09")))
	}
	if !o.logs.contains("thư chưa vào hộp thư đi") {
		t.Error("the log does not say the mail was queued late")
	}
}

// TestServeCatchUp: canbo is off at 07:00 on the 1st. Started on the 3rd, it makes
// September's report at once (trigger catch-up) and mails it; started again, it
// does neither again.
func TestServeCatchUp(t *testing.T) {
	t.Parallel()
	o := newOffice(t, noUnits)
	o.start()
	o.dropSample("Sở Nội vụ.xlsx", "soc-trang/Sở Nội vụ.xlsx")
	o.waitTaken("Sở Nội vụ.xlsx")
	o.stop()

	o.schedAt = time.Date(2023, 10, 3, 9, 0, 0, 0, vn)
	o.start()
	o.waitMails(mail.KindReport, 1)
	runs := o.runs("2023-09")
	if len(runs) != 1 || runs[0].Trigger != history.TriggerCatchUp || runs[0].Status != history.StatusOK {
		t.Errorf("runs of 2023-09: %+v", runs)
	}
	o.stop()
	o.schedAt = time.Date(2023, 10, 3, 10, 0, 0, 0, vn)
	o.start()
	o.settle()
	if n := o.smtp.count(); n != 1 || len(o.runs("2023-09")) != 1 {
		t.Errorf("after another start: %d messages, %d runs", n, len(o.runs("2023-09")))
	}
}

// TestServeInterruptedReport: canbo died while making the report (the history still
// says "running"). The next start marks that run failed and catches the period up.
func TestServeInterruptedReport(t *testing.T) {
	t.Parallel()
	o := newOffice(t, noUnits)
	o.start()
	o.dropSample("Sở Nội vụ.xlsx", "soc-trang/Sở Nội vụ.xlsx")
	o.waitTaken("Sở Nội vụ.xlsx")
	o.stop()
	// What a kill in the middle of the scheduled run leaves in the history.
	db, err := history.Open(filepath.Join(o.state, history.FileName))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.StartRun(context.Background(), "2023-09", history.TriggerSchedule); err != nil {
		t.Fatal(err)
	}
	db.Close()

	o.schedAt = runTime.Add(10 * time.Minute)
	o.start()
	o.waitMails(mail.KindReport, 1)
	runs := o.runs("2023-09")
	if len(runs) != 2 || runs[0].Status != history.StatusFailed || runs[0].Error == "" ||
		runs[1].Status != history.StatusOK || runs[1].Trigger != history.TriggerCatchUp {
		t.Errorf("runs of 2023-09: %+v", runs)
	}
	o.settle()
	if n := o.smtp.count(); n != 1 {
		t.Errorf("%d messages, want 1", n)
	}
}

// TestServeNoFiles: the 1st comes and the archive has nothing for September. No
// report, no mail, no run recorded; the period stays due, and the start after a file
// has come in makes it.
func TestServeNoFiles(t *testing.T) {
	t.Parallel()
	o := newOffice(t, noUnits)
	o.start()
	o.fire(runTime)
	o.waitFor("the scheduled run to find nothing", func() bool {
		return strings.Count(o.logs.String(), "chưa có tệp nào của kỳ này") >= 2 // August's catch-up, then September
	}, nil)
	if _, err := os.Stat(filepath.Join(o.out, "2023-09")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a report folder for September: %v", err)
	}
	if runs := o.runs("2023-09"); len(runs) != 0 {
		t.Errorf("runs of 2023-09: %+v", runs)
	}
	err := o.svc.RunNow(context.Background(), "2023-09")
	if !errors.Is(err, ErrNoInputs) {
		t.Errorf("RunNow with no file: %v", err)
	}
	o.dropSample("Sở Nội vụ.xlsx", "soc-trang/Sở Nội vụ.xlsx")
	o.waitTaken("Sở Nội vụ.xlsx")
	o.settle()
	if n := o.smtp.count(); n != 0 {
		t.Fatalf("%d messages before any report", n)
	}
	o.stop()

	o.schedAt = time.Date(2023, 10, 2, 8, 0, 0, 0, vn)
	o.start()
	o.waitMails(mail.KindReport, 1)
	if runs := o.runs("2023-09"); len(runs) != 1 || runs[0].Trigger != history.TriggerCatchUp {
		t.Errorf("runs of 2023-09: %+v", runs)
	}
}

// TestServeFeedbackAfterCrash: canbo dies after a file was archived and before its
// feedback was queued, with the file still in the inbox (the removal is the take's
// last step). Started again, it sees the same file as a duplicate and sends the
// feedback it owed; the unit dropping the file once more gets nothing more.
func TestServeFeedbackAfterCrash(t *testing.T) {
	t.Parallel()
	o := newOffice(t)
	svc := o.open()
	var crashed atomic.Bool
	svc.step = func(name string) error {
		if name == "taken" && crashed.CompareAndSwap(false, true) {
			return errCrash
		}
		return nil
	}
	o.start(svc)
	data := readSample(t, "loi-mau/UBND xã Mẫu Lỗi.xlsx")
	o.drop("UBND xã Mẫu Lỗi.xlsx", data)
	o.waitFor("the file archived", func() bool {
		a, _ := o.stored()
		return a[sum(data)] == 1 && crashed.Load()
	}, o.tickInbox)
	o.stop()
	if len(o.received()) != 0 || len(o.outbox()) != 0 {
		t.Fatalf("the crash left %d records and %d messages", len(o.received()), len(o.outbox()))
	}
	// The state a crash between the archive and the removal leaves: the file is back.
	o.drop("UBND xã Mẫu Lỗi.xlsx", data)

	o.start()
	o.waitTaken("UBND xã Mẫu Lỗi.xlsx")
	fb := o.waitMails(mail.KindFeedback, 1)
	if name, _ := fb[0].attachment(t, ".xlsx"); name != "UBND xã Mẫu Lỗi (phản hồi).xlsx" || !strings.Contains(fb[0].Subject, "8 lỗi cần sửa") {
		t.Errorf("feedback %q with %q", fb[0].Subject, name)
	}
	// Dropped once more, by mistake.
	o.drop("UBND xã Mẫu Lỗi (2).xlsx", data)
	o.waitTaken("UBND xã Mẫu Lỗi (2).xlsx")
	o.settle()
	if n := o.smtp.count(); n != 1 {
		t.Errorf("%d messages at the server, want the one feedback", n)
	}
	if a, _ := o.stored(); a[sum(data)] != 1 {
		t.Errorf("archived %d times", a[sum(data)])
	}
}

// TestServeRunWaitsForItsParts: Run returns only once the outbox and the watcher
// have stopped, even when a delivery is in progress at the stop.
func TestServeRunWaitsForItsParts(t *testing.T) {
	t.Parallel()
	o := newOffice(t)
	d := &blockingDialer{dialing: make(chan struct{}, 1)}
	o.dialer = d
	svc := o.open()
	msg, err := mail.FeedbackMessage(o.tm, o.cfg, o.cfg.Serve.Units[0], mail.Feedback{Unit: unitName, Period: "2023-09",
		File: "hong.xlsx", SHA256: strings.Repeat("ab", 32), Status: "rejected", Reason: "Tệp này không phải bảng tính Excel."})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := svc.outbox.Enqueue(msg); err != nil {
		t.Fatal(err)
	}
	o.start(svc)
	select {
	case <-d.dialing:
	case <-time.After(waitLimit):
		t.Fatal("the outbox never dialled")
	}
	o.stop()
	if !d.returned.Load() {
		t.Error("Run returned while the outbox was still connecting")
	}
}

// blockingDialer connects to nothing: Dial waits for its context to end.
type blockingDialer struct {
	dialing  chan struct{}
	returned atomic.Bool
}

func (d *blockingDialer) Dial(ctx context.Context) (mail.Session, error) {
	select {
	case d.dialing <- struct{}{}:
	default:
	}
	<-ctx.Done()
	d.returned.Store(true)
	return nil, ctx.Err()
}

// TestServeOneAtATime: a second canbo serve on the same folders (a scheduled task
// and someone starting it by hand) is refused while the first runs, and starts once
// the first has stopped.
func TestServeOneAtATime(t *testing.T) {
	t.Parallel()
	o := newOffice(t, noUnits)
	o.start()
	log := o.svc.log
	if second, err := Open(o.cfg, o.tools, o.tm, Options{Log: log, Dialer: o.dialer}); err == nil {
		second.Close()
		t.Fatal("a second canbo serve opened on the same state folder")
	} else if !strings.Contains(err.Error(), "đã có một canbo serve đang chạy") {
		t.Errorf("error: %v", err)
	}
	o.stop()
	o.start()
}

// TestServeFeedbackRecoveredAtStart: canbo stopped after the inbox took a file with
// errors but before its feedback mail was queued, and the unit does not send the file
// again; the next start queues the feedback, once.
func TestServeFeedbackRecoveredAtStart(t *testing.T) {
	t.Parallel()
	o := newOffice(t)
	svc := o.open()
	var crashed atomic.Bool
	svc.step = func(name string) error {
		if name == "taken" && crashed.CompareAndSwap(false, true) {
			return errCrash
		}
		return nil
	}
	o.start(svc)
	data := readSample(t, "loi-mau/UBND xã Mẫu Lỗi.xlsx")
	o.drop("UBND xã Mẫu Lỗi.xlsx", data)
	o.waitFor("the file archived", func() bool {
		a, _ := o.stored()
		return a[sum(data)] == 1 && crashed.Load()
	}, o.tickInbox)
	o.stop()
	if len(o.outbox()) != 0 {
		t.Fatalf("the crash left %d messages", len(o.outbox()))
	}
	o.start()
	fb := o.waitMails(mail.KindFeedback, 1)
	if !strings.Contains(fb[0].Subject, "8 lỗi cần sửa") {
		t.Errorf("feedback %q", fb[0].Subject)
	}
	o.stop()
	o.start() // and once more: nothing new
	o.settle()
	if n := o.smtp.count(); n != 1 {
		t.Errorf("%d messages at the server, want the one feedback", n)
	}
}

// TestServeRejectionMailOnce: the mail about a file that cannot be used says why once,
// and the copy rebuilt at the next start is the very same message: nothing is sent
// again and nothing "new" is logged.
func TestServeRejectionMailOnce(t *testing.T) {
	t.Parallel()
	o := newOffice(t)
	o.start()
	o.dropSample(unitName+"/mat-khau.xlsx", "loi-mau/mat-khau.xlsx")
	o.waitTaken("mat-khau.xlsx")
	fb := o.waitMails(mail.KindFeedback, 1)
	body := fb[0].Body
	if strings.Count(body, "không dùng được") != 1 || strings.Contains(body, "Không dùng được tệp") || !strings.Contains(body, "mật khẩu") {
		t.Errorf("rejection mail body:\n%s", body)
	}
	o.stop()
	o.start()
	o.settle()
	o.stop()
	if o.logs.contains("nội dung mới") {
		t.Error("the rebuilt rejection mail differs from the one sent")
	}
	if n := o.smtp.count(); n != 1 {
		t.Errorf("%d messages at the server, want the one", n)
	}
}
