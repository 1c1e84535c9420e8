package serve

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"canbo/pipeline/inbox"
	"canbo/pipeline/internal/sheettest"
	"canbo/pipeline/mail"
)

// once runs svc.Once while ticking the inbox clock, as time passes for a person
// waiting at the console, and closes svc.
func (o *office) once(svc *Service, period string) *OnceResult {
	o.t.Helper()
	stop := o.ticking()
	res, err := svc.Once(context.Background(), period)
	stop()
	if cerr := svc.Close(); cerr != nil {
		o.t.Errorf("Close: %v", cerr)
	}
	if err != nil {
		o.t.Fatalf("Once(%s): %v", period, err)
	}
	return res
}

// ticking moves the inbox clock on, as time passes, until stop is called: files
// waiting in the inbox become stable and are taken.
func (o *office) ticking() (stop func()) {
	done := make(chan struct{})
	go func() {
		for {
			select {
			case <-done:
				return
			case <-time.After(20 * time.Millisecond):
				o.tickInbox()
			}
		}
	}()
	return func() { close(done) }
}

// TestServeOnce: `canbo serve --once --period 2023-09` takes what waits in the inbox,
// makes September's report as the schedule does (recorded as a scheduled run, so the
// next start does not catch it up), mails it to leadership and the units their
// feedback, and stops. Run again after a late correction, it makes the new report
// but does not mail leadership a second time: it says it was sent already.
func TestServeOnce(t *testing.T) {
	t.Parallel()
	o := newOffice(t)
	for _, f := range socTrang[:3] {
		o.dropSample(f, "soc-trang/"+f)
	}
	o.dropSample("UBND xã Mẫu Lỗi.xlsx", "loi-mau/UBND xã Mẫu Lỗi.xlsx")

	res := o.once(o.open(), "2023-09")
	if len(res.Taken) != 4 || len(res.Left) != 0 {
		t.Errorf("taken %d files, left %v; want 4 and none", len(res.Taken), res.Left)
	}
	if _, err := os.Stat(filepath.Join(res.Report, "summary.json")); err != nil || res.Report != filepath.Join(o.out, "2023-09") {
		t.Errorf("report %q: %v", res.Report, err)
	}
	if res.Mail == nil || res.Mail.Folder != mail.FolderSent || res.AlreadySent || res.Failed != 0 {
		t.Fatalf("report mail %+v, already sent %v, failed %d", res.Mail, res.AlreadySent, res.Failed)
	}
	reports := o.mails(mail.KindReport)
	if len(reports) != 1 || !strings.Contains(reports[0].Subject, "tháng 09/2023") {
		t.Fatalf("%d report mails at the server", len(reports))
	}
	if fb := o.mails(mail.KindFeedback); len(fb) != 1 || !strings.Contains(fb[0].Subject, "UBND xã Mẫu Lỗi.xlsx") {
		t.Errorf("%d feedback mails at the server", len(fb))
	}
	runs := o.runs("2023-09")
	if len(runs) != 1 || runs[0].Trigger != "schedule" || runs[0].Status != "ok" {
		t.Fatalf("runs %+v, want one scheduled run, ok", runs)
	}

	// A late correction: one more file, and --once again.
	o.dropSample(socTrang[3], "soc-trang/"+socTrang[3])
	res = o.once(o.open(), "2023-09")
	if len(res.Taken) != 1 || !res.AlreadySent || res.Mail == nil || res.Mail.Folder != mail.FolderSent {
		t.Errorf("second run: taken %d, already sent %v, mail %+v", len(res.Taken), res.AlreadySent, res.Mail)
	}
	if n := len(o.mails(mail.KindReport)); n != 1 {
		t.Errorf("%d report mails at the server after the second run, want still 1", n)
	}
	if runs := o.runs("2023-09"); len(runs) != 2 {
		t.Errorf("%d runs recorded, want 2", len(runs))
	}

	// The service started after 07:00 on the 1st has nothing to catch up.
	o.schedAt = time.Date(2023, 10, 1, 8, 0, 0, 0, vn)
	o.start()
	o.settle()
	o.stop()
	if n := len(o.runs("2023-09")); n != 2 {
		t.Errorf("the service caught up a period --once made: %d runs", n)
	}
}

// TestServeSameNamedFiles: three units' files called DS.xlsx — two from one commune's
// two district sub-folders, one from another commune at the top — each keep their
// own feedback workbook from arrival to the monthly report: the report writes each
// under the name its archive record gives (what the unit was mailed), and names the
// files apart, never by a path of the server.
func TestServeSameNamedFiles(t *testing.T) {
	t.Parallel()
	o := newOffice(t)
	list := func(dir, unit, name, id string) {
		d := filepath.Join(o.inbox, dir)
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
		sheettest.Write(t, d, "DS.xlsx", sheettest.Sheet{Name: "DS", Rows: [][]any{
			{unit}, {"DANH SÁCH CÁN BỘ, CÔNG CHỨC"}, {"(Tính đến ngày 30/09/2023)"},
			{"STT", "Họ và tên", "Ngày sinh", "Giới tính", "Trình độ chuyên môn", "Số CCCD"},
			{1, name, "01/02/1980", "Nam", "Bằng A", id},
		}})
	}
	list("huyen-a", "UBND XÃ NGỌC PHÁI", "Nguyễn Văn An", "006080001234")
	list("huyen-b", "UBND XÃ NGỌC PHÁI", "Trần Văn Bình", "006085001234")
	list("", "UBND XÃ NAM CƯỜNG", "Lê Văn Cường", "006090004321")
	res := o.once(o.open(), "2023-09")
	if len(res.Taken) != 3 {
		t.Fatalf("taken %d files", len(res.Taken))
	}
	current, _, err := inbox.Current(o.archive, "2023-09", nil)
	if err != nil {
		t.Fatal(err)
	}
	phanHoi := filepath.Join(o.out, "2023-09", "phan-hoi")
	mailed := map[string]bool{}
	for _, a := range current {
		name := a.FeedbackFile()
		if name == "" || mailed[name] {
			t.Errorf("%s: feedback name %q (taken twice or none)", a.InboxPath, name)
		}
		mailed[name] = true
		if _, err := os.Stat(filepath.Join(phanHoi, name)); err != nil {
			t.Errorf("%s: the report run lost the feedback the unit was sent: %v", a.InboxPath, err)
		}
	}
	entries, _ := os.ReadDir(phanHoi)
	if len(entries) != 3 {
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Errorf("phan-hoi holds %q, want the three mailed", names)
	}
	seen := map[string]bool{}
	for _, f := range o.summary("2023-09").Files {
		if seen[f.File] || strings.Contains(f.File, o.root) {
			t.Errorf("the report names a file %q", f.File)
		}
		seen[f.File] = true
	}
}
