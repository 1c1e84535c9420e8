package serve

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/jonboulle/clockwork"
	"github.com/xuri/excelize/v2"

	"canbo/pipeline/inbox"
	"canbo/pipeline/mail"
	"canbo/pipeline/report"
	"canbo/pipeline/reporttext"
	"canbo/pipeline/schema"
	"canbo/pipeline/summary"
	"canbo/templates"
)

// The Mường Chà sample (samples/muong-cha): a district's roster as at 30/09/2023, its
// training register 2014–2023 and its movements register 2017–2023.
const (
	mcRoster    = "muong-cha/Danh sách CBCCVC huyện Mường Chà (30.09.2023).xlsx"
	mcTraining  = "muong-cha/Sổ theo dõi cử cán bộ đi đào tạo, bồi dưỡng 2014-2023.xlsx"
	mcMovements = "muong-cha/Sổ theo dõi điều động, luân chuyển cán bộ 2017-2023.xlsx"
	mcFirstRow  = 7 // the registers' first record
)

// firstRows is a register of the sample as the unit sent it in an earlier month: its
// first n records only (a cumulative register, a few rows shorter each month back).
func firstRows(t *testing.T, sample string, n int) []byte {
	t.Helper()
	return registerRows(t, sample, 0, n)
}

// registerRows is a register of the sample with only its records skip+1 to skip+n
// (n < 0: to the end).
func registerRows(t *testing.T, sample string, skip, n int) []byte {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(readSample(t, sample)))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sheet := f.GetSheetName(0)
	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	if n >= 0 {
		for r := len(rows); r >= mcFirstRow+skip+n; r-- {
			if err := f.RemoveRow(sheet, r); err != nil {
				t.Fatal(err)
			}
		}
	}
	for range skip {
		if err := f.RemoveRow(sheet, mcFirstRow); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// takeIn opens a Service whose inbox clock reads at, lets it take every file waiting
// in the inbox (each archived under the month it is received in, or its as-of
// month), and closes it.
func (o *office) takeIn(at time.Time) {
	o.t.Helper()
	o.inClock = clockwork.NewFakeClockAt(at)
	svc := o.open()
	defer svc.Close()
	w, err := inbox.NewWatcher(svc.inOpt)
	if err != nil {
		o.t.Fatal(err)
	}
	defer o.ticking()()
	left, err := w.Drain(context.Background(), func(ctx context.Context, c inbox.Candidate) error {
		_, err := svc.takeFile(ctx, c)
		return err
	})
	if err != nil || len(left) > 0 {
		o.t.Fatalf("taking the inbox at %s: left %v, %v", at, left, err)
	}
}

// TestServeSpanReport: serve.yaml asks for a report "since 2015" on 5 October. The
// archive holds the Mường Chà district's registers three times over, as units send
// them: July's copy (600 attendances), August's (900) and September's (all 1,218),
// the movements register twice, the roster once. The scheduled span report counts
// each attendance once — exactly the figures `canbo run --in samples/muong-cha
// --from 2015-01 --to 2023-09` gives (308 LLCT = 28 cao cấp + 280 trung cấp; 6
// movements), not two or three times them — writes OUT/2015-01_2023-09/
// bao-cao-2015-01_2023-09.*, lists the older copies as replaced, and reaches the
// leader as a mail of its own kind with the span in the subject, beside September's
// monthly report, whose figures and run it leaves alone. A restart mails it no
// second time.
func TestServeSpanReport(t *testing.T) {
	t.Parallel()
	o := newOffice(t, func(sv *schema.Serve) {
		sv.SpanReports = []schema.SpanReport{{Name: "Báo cáo từ năm 2015", From: "2015-01", To: "previous", Schedule: "0 7 5 10 *"}}
	})
	// Under the samples' own names and group folder, as canbo run reads them: the
	// lists of movements name their file, the units their group.
	training, movements := mcTraining, mcMovements
	o.drop(training, firstRows(t, mcTraining, 600))
	o.drop(movements, firstRows(t, mcMovements, 4))
	o.takeIn(time.Date(2023, 7, 20, 9, 0, 0, 0, vn))
	o.drop(training, firstRows(t, mcTraining, 900))
	o.takeIn(time.Date(2023, 8, 21, 9, 0, 0, 0, vn))
	o.dropSample(training, mcTraining)
	o.dropSample(movements, mcMovements)
	o.dropSample(mcRoster, mcRoster)
	o.takeIn(time.Date(2023, 9, 25, 9, 0, 0, 0, vn))
	for _, month := range []string{"2023-07", "2023-08", "2023-09"} {
		if cur, _, err := inbox.Current(o.archive, month, nil); err != nil || len(cur) == 0 {
			t.Fatalf("archive %s: %d files, %v", month, len(cur), err)
		}
	}

	// canbo serve starts after 07:00 on 5 October: the span report's time has passed
	// (and September's monthly report's): both are caught up and mailed.
	o.schedAt = time.Date(2023, 10, 5, 9, 0, 0, 0, vn)
	o.start()
	got := o.waitMails(KindSpanReport, 1)
	o.waitMails(mail.KindReport, 1)
	o.stop()

	span := "2015-01_2023-09"
	s := o.summary(span)
	want := muongChaDirect(t, o)
	if s.Span == nil || *s.Span != (summary.Span{From: "2015-01", To: "2023-09"}) {
		t.Errorf("span %+v", s.Span)
	}
	if tr := s.Training; tr.PeopleByType["ly_luan_chinh_tri"] != 308 ||
		tr.ByField["cap_do_dao_tao"]["cao_cap"].PeopleByType["ly_luan_chinh_tri"] != 28 ||
		tr.ByField["cap_do_dao_tao"]["trung_cap"].PeopleByType["ly_luan_chinh_tri"] != 280 {
		t.Errorf("LLCT %d người (cao cấp %d, trung cấp %d), want 308 = 28 + 280", tr.PeopleByType["ly_luan_chinh_tri"],
			tr.ByField["cap_do_dao_tao"]["cao_cap"].PeopleByType["ly_luan_chinh_tri"],
			tr.ByField["cap_do_dao_tao"]["trung_cap"].PeopleByType["ly_luan_chinh_tri"])
	}
	for what, pair := range map[string][2]any{
		"training":  {s.Training, want.Training},
		"movements": {s.Movements, want.Movements},
		"total":     {s.Total, want.Total},
	} {
		a, _ := json.Marshal(pair[0])
		b, _ := json.Marshal(pair[1])
		if i := firstDiff(a, b); i >= 0 {
			t.Errorf("%s of the scheduled span report differs from canbo run --from --to on the sample at byte %d:\n…%s\nwant\n…%s",
				what, i, a[max(0, i-200):min(len(a), i+100)], b[max(0, i-200):min(len(b), i+100)])
		}
	}
	replaced := 0
	for _, f := range s.Files {
		if f.Status == report.StatusSuperseded {
			replaced++
			if strings.Contains(f.Reason, unsureWhy) {
				t.Errorf("%s: %s (a shorter copy of a growing register is no doubt)", f.File, f.Reason)
			}
		}
	}
	if replaced != 3 {
		t.Errorf("%d files listed as replaced, want 3 (July's and August's register, July's movements)", replaced)
	}
	for _, ext := range []string{".xlsx", ".pdf", ".docx"} {
		if _, err := os.Stat(filepath.Join(o.out, span, "bao-cao-"+span+ext)); err != nil {
			t.Error(err)
		}
	}

	m := got[0]
	if !strings.Contains(m.Subject, "Báo cáo từ năm 2015: ") || !strings.Contains(m.Subject, "từ tháng 01/2015 đến tháng 09/2023") {
		t.Errorf("subject %q lacks the report's name and its span", m.Subject)
	}
	if !strings.Contains(m.Body, "đào tạo, bồi dưỡng chỉ tính các lượt bắt đầu từ tháng 01/2015 đến tháng 09/2023") ||
		strings.Contains(m.Body, "viên chức tháng 09/2023") || !strings.Contains(m.Body, "- Báo cáo từ năm 2015 01-2015 đến 09-2023.pdf") ||
		!strings.Contains(m.Body, "mỗi lượt một lần dù sổ được gửi lại nhiều tháng. Không tính 18 lượt bắt đầu trước") ||
		strings.Index(m.Body, "mỗi lượt một lần") > strings.Index(m.Body, "\n-- ") {
		t.Errorf("body does not say the span:\n%s", m.Body)
	}
	if _, ok := m.Attachments["Báo cáo từ năm 2015 01-2015 đến 09-2023.pdf"]; !ok || len(m.Attachments) != 3 {
		t.Errorf("attachments %q", keys(m.Attachments))
	}
	if reports := o.mails(mail.KindReport); len(reports) != 1 || !strings.Contains(reports[0].Subject, "tháng 09/2023") {
		t.Errorf("monthly report mails: %d", len(reports))
	}
	// September's figures in the history are the month's: the span is no run.
	if runs := o.runs("2023-09"); len(runs) != 1 || runs[0].OutDir != filepath.Join(o.out, "2023-09") {
		t.Errorf("runs of 2023-09: %+v", runs)
	}
	if month := o.summary("2023-09"); month.Span != nil || month.Training.Total != 1218 {
		t.Errorf("September's report: span %+v, %d attendances; want every attendance of the register, once", month.Span, month.Training.Total)
	}

	// A restart finds the span report made and mailed: nothing more.
	o.schedAt = time.Date(2023, 10, 5, 10, 0, 0, 0, vn)
	o.start()
	o.settle()
	o.stop()
	if n := len(o.mails(KindSpanReport)); n != 1 {
		t.Errorf("%d span report mails after a restart, want 1", n)
	}
}

// TestServeSpanUnsure: the district's newest register starts in 2015-09 and overlaps
// the one it sent in July, which starts in 2014: a book restarted with some old rows,
// or old rows trimmed — canbo cannot tell. The span report reads the newest only,
// and says so on the July file's line of the report and in the mail, which asks for
// a register with every attendance of the span.
func TestServeSpanUnsure(t *testing.T) {
	t.Parallel()
	o := newOffice(t, func(sv *schema.Serve) {
		sv.SpanReports = []schema.SpanReport{{Name: "Báo cáo từ năm 2015", From: "2015-01", To: "previous", Schedule: "0 7 5 10 *"}}
	})
	o.dropSample(mcTraining, mcTraining)
	o.takeIn(time.Date(2023, 7, 20, 9, 0, 0, 0, vn))
	const skip = 300
	o.drop(mcTraining, registerRows(t, mcTraining, skip, -1))
	o.dropSample(mcRoster, mcRoster)
	o.takeIn(time.Date(2023, 9, 25, 9, 0, 0, 0, vn))

	svc := o.open()
	if err := svc.RunSpan(context.Background(), "báo cáo từ năm 2015", "2023-09"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := svc.outbox.Deliver(context.Background(), svc.dialer); err != nil {
		t.Fatal(err)
	}
	svc.Close()
	s := o.summary("2015-01_2023-09")
	if want := 1218 - skip; s.Training.Total+s.Training.OutsideSpan.Before != want {
		t.Errorf("%d attendances in the span and %d before it, want the newest register's %d", s.Training.Total, s.Training.OutsideSpan.Before, want)
	}
	said := 0
	for _, f := range s.Files {
		if strings.Contains(f.Reason, unsureWhy) {
			said++
			if f.Status != report.StatusSuperseded || !strings.Contains(f.Reason, "sớm hơn ngày") || !strings.Contains(f.Reason, "sổ gộp đủ các lượt") {
				t.Errorf("%s (%s): %s", f.File, f.Status, f.Reason)
			}
		}
	}
	if said != 1 {
		t.Errorf("%d files said unsure, want July's register", said)
	}
	m := o.mails(KindSpanReport)
	if len(m) != 1 || !strings.Contains(m[0].Body, "Cần xem: 1 sổ mà canbo không chắc đã tính đúng") {
		t.Errorf("%d span mails; body:\n%s", len(m), m[0].Body)
	}
}

// TestServeSpanOwnTemplate: an office's own span_report in mail.yaml is what the
// leader receives — the scheduled span report's mail reaches the SMTP server on
// loopback with the subject and body written from it (the report's name, the span,
// the headcount, the register to check) — whatever the monthly mail says.
func TestServeSpanOwnTemplate(t *testing.T) {
	t.Parallel()
	o := newOffice(t, func(sv *schema.Serve) {
		sv.SpanReports = []schema.SpanReport{{Name: "Báo cáo từ năm 2015", From: "2015-01", To: "previous", Schedule: "0 7 5 10 *"}}
	})
	y, err := fs.ReadFile(templates.FS, mail.TemplateFile)
	if err != nil {
		t.Fatal(err)
	}
	i, j := bytes.Index(y, []byte("\nspan_report:\n")), bytes.Index(y, []byte("\nfeedback:\n"))
	own := string(y[:i+1]) + `span_report:
  subject: "{{.Name}} ({{.From}}–{{.To}}): {{num .Headcount}} người, {{num .Training}} lượt đào tạo"
  body: |
    Kính gửi Giám đốc Sở,
    Khoảng {{.From}}–{{.To}}; {{len .Unsure}} sổ cần xem:
    {{- range .Unsure}} {{.File}}{{end}}
` + string(y[j+1:])
	if o.tm, err = mail.LoadTemplates(fstest.MapFS{mail.TemplateFile: {Data: []byte(own)}}); err != nil {
		t.Fatal(err)
	}
	o.dropSample(mcTraining, mcTraining)
	o.takeIn(time.Date(2023, 7, 20, 9, 0, 0, 0, vn))
	o.drop(mcTraining, registerRows(t, mcTraining, 300, -1))
	o.dropSample(mcRoster, mcRoster)
	o.takeIn(time.Date(2023, 9, 25, 9, 0, 0, 0, vn))

	svc := o.open()
	defer svc.Close()
	if err := svc.RunSpan(context.Background(), "Báo cáo từ năm 2015", "2023-09"); err != nil {
		t.Fatal(err)
	}
	if sent, _, err := svc.outbox.Deliver(context.Background(), svc.dialer); err != nil || sent != 1 {
		t.Fatalf("delivered %d, %v", sent, err)
	}
	s := o.summary("2015-01_2023-09")
	m := o.mails(KindSpanReport)
	if len(m) != 1 {
		t.Fatalf("%d span mails at the server", len(m))
	}
	want := fmt.Sprintf("Báo cáo từ năm 2015 (01/2015–09/2023): %s người, %s lượt đào tạo", reporttext.Int(s.Total.Headcount), reporttext.Int(s.Training.Total))
	if m[0].Subject != want {
		t.Errorf("subject %q, want %q", m[0].Subject, want)
	}
	if body := strings.ReplaceAll(m[0].Body, "\r\n", "\n"); body != "Kính gửi Giám đốc Sở,\nKhoảng 01/2015–09/2023; 1 sổ cần xem: "+filepath.Base(mcTraining)+"\n" {
		t.Errorf("body %q", body)
	}
}

// TestServeSpanTerm: a term's report (2015-01 to 2023-09) run in September is made
// and queued; run again by its schedule after the term has ended, it is not made
// again, and before the term begins it is not made at all.
func TestServeSpanTerm(t *testing.T) {
	t.Parallel()
	o := newOffice(t, func(sv *schema.Serve) {
		sv.SpanReports = []schema.SpanReport{{Name: "Nhiệm kỳ", From: "2015-01", To: "2023-09", Schedule: "0 7 5 1,4,7,10 *"}}
	})
	o.dropSample(mcTraining, mcTraining)
	o.dropSample(mcRoster, mcRoster)
	o.takeIn(time.Date(2023, 9, 25, 9, 0, 0, 0, vn))
	svc := o.open()
	defer svc.Close()
	ctx := context.Background()
	if err := svc.RunSpan(ctx, "Nhiệm kỳ", "2014-12"); err != nil {
		t.Fatal(err)
	}
	if entries, _ := os.ReadDir(o.out); len(entries) != 0 {
		t.Fatalf("a report for a term not begun: %v", entries)
	}
	if err := svc.RunSpan(ctx, "Nhiệm kỳ", "2023-09"); err != nil {
		t.Fatal(err)
	}
	written := func() time.Time {
		st, err := os.Stat(filepath.Join(o.out, "2015-01_2023-09", "summary.json"))
		if err != nil {
			t.Fatal(err)
		}
		return st.ModTime()
	}
	made := written()
	if err := svc.RunSpan(ctx, "Nhiệm kỳ", "2023-12"); err != nil {
		t.Fatal(err)
	}
	if again := written(); !again.Equal(made) || !o.logs.contains("không lập lại") {
		t.Errorf("the ended term was made again (%s, then %s)", made, again)
	}
	n := 0
	for _, e := range o.outbox() {
		if e.Kind == KindSpanReport {
			n++
		}
	}
	if n != 1 {
		t.Errorf("%d span mails queued, want 1", n)
	}
	if err := svc.RunSpan(ctx, "Báo cáo năm", ""); err == nil {
		t.Error("a span report serve.yaml does not name was run")
	}
}

// muongChaDirect is the report `canbo run --in samples/muong-cha --from 2015-01 --to
// 2023-09` makes, with the office's configuration.
func muongChaDirect(t *testing.T, o *office) *summary.Summary {
	t.Helper()
	res, err := report.Run(context.Background(), o.tools, report.Options{Inputs: []string{filepath.Join(samples, "muong-cha")},
		Out: t.TempDir(), From: "2015-01", Period: "2023-09", NoFeedback: true, NoCache: true,
		Now: func() time.Time { return time.Date(2023, 10, 5, 9, 0, 0, 0, vn) }})
	if err != nil {
		t.Fatal(err)
	}
	return res.Summary
}

// firstDiff is the first byte where a and b differ, -1 when they are equal.
func firstDiff(a, b []byte) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	if len(a) != len(b) {
		return min(len(a), len(b))
	}
	return -1
}
