package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"canbo/pipeline/history"
	"canbo/pipeline/inbox"
	"canbo/pipeline/logfile"
	"canbo/pipeline/mail"
	"canbo/pipeline/report"
	"canbo/pipeline/reporttext"
	"canbo/pipeline/rules"
	"canbo/pipeline/schema"
	"canbo/pipeline/serve"
	"canbo/pipeline/summary"
	"canbo/pipeline/web"
	"canbo/templates"
)

// serveSetup loads what serve, status and send share: the configuration with its
// serve.yaml, and the tools.
func serveSetup(cfgDir string, explicit bool) (*schema.Config, report.Tools, *mail.Templates, error) {
	tools, err := loadTools(cfgDir, explicit)
	if err != nil {
		return nil, report.Tools{}, nil, err
	}
	if err := serve.Check(tools.Config.Serve); err != nil {
		return nil, report.Tools{}, nil, usageError{tools.Config.Serve.Problems(err)}
	}
	tm, err := mail.LoadTemplates(templates.FS)
	if err != nil {
		return nil, report.Tools{}, nil, usageError{err}
	}
	return tools.Config, tools, tm, nil
}

// loadTools loads what making a report needs: the configuration, its compiled rules,
// the issue messages and the report's words. Every problem is a usage error (exit 2).
func loadTools(cfgDir string, explicit bool) (report.Tools, error) {
	cfg, _, err := loadConfig(cfgDir, explicit)
	if err != nil {
		return report.Tools{}, configError(err)
	}
	set, err := rules.Compile(cfg)
	if err != nil {
		return report.Tools{}, configError(err)
	}
	cat, err := loadCatalog()
	if err != nil {
		return report.Tools{}, usageError{err}
	}
	txt, err := reporttext.Load(templates.FS)
	if err != nil {
		return report.Tools{}, usageError{err}
	}
	return report.Tools{Config: cfg, Rules: set, Catalog: cat, Text: txt}, nil
}

func runServe(ctx context.Context, e *env, args []string) error {
	var cfgDir, period string
	var once bool
	f := newFlags("serve", "canbo serve [--config THƯ_MỤC] [--once [--period YYYY-MM]]", `
Chạy tự động: theo dõi thư mục nhận tệp (inbox), kiểm tra từng tệp mới, lưu trữ hoặc
cách ly, gửi phản hồi cho đơn vị; lập báo cáo theo lịch (mặc định 7 giờ sáng ngày 1 hằng
tháng) và gửi thư cho lãnh đạo. Cấu hình trong serve.yaml (xem docs/serve.md).
Dừng bằng Ctrl+C (hoặc dừng dịch vụ): việc đang làm được kết thúc an toàn.
Với --once: làm ngay một lần việc của tháng rồi dừng — nhận các tệp đang có trong thư
mục nhận, lập báo cáo của kỳ (--period, mặc định kỳ mà lịch sẽ lập), đưa thư vào hộp thư
đi và gửi, như khi đến lịch. Dừng dịch vụ canbo serve trước khi chạy.
Unattended mode: watch the inbox, run on the schedule, deliver by e-mail. --once: do the
scheduled work for one period now, then exit.`,
		"  0  đã dừng bình thường; với --once: đã lập báo cáo, thư đã gửi hoặc không cần gửi\n"+
			"  1  lỗi khi chạy; với --once: chưa lập được báo cáo hoặc chưa gửi được thư\n"+
			"  2  sai cách gọi, cấu hình lỗi hoặc không khởi động được (bad usage, configuration, could not start)")
	f.string(&cfgDir, "config", "THƯ_MỤC", defaultConfigDir, "thư mục cấu hình (phải có serve.yaml)", "configuration folder (with serve.yaml)")
	f.bool(&once, "once", false, "làm ngay một lần việc theo lịch rồi dừng", "do the scheduled work once, now, then exit")
	f.string(&period, "period", "YYYY-MM", "", "với --once: kỳ báo cáo (mặc định kỳ lịch sẽ lập)", "with --once: the report period (default: the schedule's)")
	if err := f.parse(e, args); err != nil {
		return err
	}
	if period != "" {
		if !once {
			return usageError{errors.New("--period chỉ dùng cùng --once (canbo serve --once --period YYYY-MM)")}
		}
		if _, err := time.Parse("2006-01", period); err != nil {
			return usageError{fmt.Errorf("--period %q không đúng dạng YYYY-MM, ví dụ --period 2023-09", period)}
		}
	}
	cfg, tools, tm, err := serveSetup(cfgDir, f.flagSet("config"))
	if err != nil {
		return err
	}
	log, closeLog, err := serviceLog(cfg.Serve, e.stderr, once)
	if err != nil {
		return err
	}
	defer closeLog()
	svc, err := serve.Open(cfg, tools, tm, serve.Options{Log: log, Now: now})
	if err != nil {
		// Exit 2: restarting will not help (a missing password, another canbo serve
		// on the same folders); the service manager should stop retrying.
		return usageError{fmt.Errorf("không khởi động được canbo serve: %w", err)}
	}
	defer svc.Close()
	if once {
		res, err := svc.Once(ctx, period)
		cfgArg := configArg(cfgDir, f.flagSet("config"))
		printOnce(e.stdout, cfg.Serve, res, cfgArg)
		if err != nil {
			return err
		}
		if res.Mail != nil && res.Mail.Folder != mail.FolderSent {
			return fmt.Errorf("chưa gửi được thư báo cáo: %s; thư nằm trong hộp thư đi, canbo serve (hoặc canbo send --period %s%s) sẽ gửi lại",
				orText(res.Mail.LastError, "máy chủ thư chưa nhận"), res.Period, cfgArg)
		}
		return nil
	}
	return svc.Run(ctx)
}

// printOnce tells the person who ran `canbo serve --once` what was done, in the order
// it was done: files taken, the report, the mail.
func printOnce(w io.Writer, sv schema.Serve, res *serve.OnceResult, cfgArg string) {
	if res == nil {
		return
	}
	if len(res.Taken) > 0 {
		fmt.Fprintf(w, "Đã nhận %d tệp từ thư mục nhận:\n", len(res.Taken))
		for _, r := range res.Taken {
			fmt.Fprintf(w, "  %s\n", r.Message)
		}
	}
	if len(res.Left) > 0 {
		fmt.Fprintf(w, "Còn %d tệp trong thư mục nhận đang được chép hoặc đang mở, chưa nhận (lần chạy sau sẽ nhận): %s\n",
			len(res.Left), strings.Join(res.Left, "; "))
	}
	if res.Report == "" {
		return
	}
	fmt.Fprintf(w, "Đã lập báo cáo kỳ %s: %s\n", reporttext.Period(res.Period), res.Report)
	switch {
	case res.NoMail:
		fmt.Fprintln(w, "Chưa cấu hình máy chủ thư (mail.host trong serve.yaml): báo cáo chỉ ghi ra thư mục, không gửi thư.")
	case res.Mail == nil:
		if len(sv.Mail.To) == 0 {
			fmt.Fprintln(w, "serve.yaml chưa có người nhận báo cáo (mail.to): không gửi thư báo cáo.")
		}
	case res.AlreadySent:
		fmt.Fprintf(w, "Thư báo cáo kỳ %s đã gửi lúc %s; báo cáo mới lập không tự gửi lại. Muốn gửi bản này cho lãnh đạo: canbo send --period %s%s\n",
			reporttext.Period(res.Period), res.Mail.SentAt.In(sv.Location()).Format("15:04 02/01/2006"), res.Period, cfgArg)
	case res.Mail.Folder == mail.FolderSent:
		fmt.Fprintf(w, "Đã gửi thư báo cáo cho %s.\n", strings.Join(res.Mail.Recipients, ", "))
	}
	if res.Failed > 0 {
		fmt.Fprintf(w, "%d thư chưa gửi được, vẫn nằm trong hộp thư đi (canbo status%s để xem lỗi).\n", res.Failed, cfgArg)
	}
}

// configArg is " --config DIR" for a hint to run another command on the same
// configuration, "" when the default folder is in use. A folder with spaces is quoted.
func configArg(dir string, given bool) string {
	if !given {
		return ""
	}
	if strings.ContainsAny(dir, " \t") {
		return ` --config "` + dir + `"`
	}
	return " --config " + dir
}

func orText(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// serviceLog logs to stderr (what a console or the service manager shows) and, as
// JSON lines, to the log file (STATE/canbo.log unless log_file says otherwise),
// rotated by size (package logfile). Times are in the office's time zone, like the
// names of the files canbo writes. For `--once`, run by a person at a console,
// stderr gets the warnings as sentences (personHandler); the file still gets all.
func serviceLog(sv schema.Serve, stderr io.Writer, person bool) (*slog.Logger, func(), error) {
	p := sv.LogFile
	if p == "" {
		p = filepath.Join(sv.State, "canbo.log")
	}
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return nil, nil, fmt.Errorf("tạo thư mục nhật ký: %w", err)
	}
	fh, err := logfile.Open(p, 0, 0)
	if err != nil {
		return nil, nil, err
	}
	loc := sv.Location()
	inZone := func(groups []string, a slog.Attr) slog.Attr {
		if a.Key == slog.TimeKey && len(groups) == 0 && a.Value.Kind() == slog.KindTime {
			a.Value = slog.TimeValue(a.Value.Time().In(loc))
		}
		return a
	}
	var console slog.Handler = slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelInfo, ReplaceAttr: inZone})
	if person {
		console = newPersonHandler(stderr, loc)
	}
	h := teeHandler{console, slog.NewJSONHandler(fh, &slog.HandlerOptions{Level: slog.LevelInfo, ReplaceAttr: inZone})}
	return slog.New(h), func() { fh.Close() }, nil
}

// teeHandler sends each record to several handlers.
type teeHandler []slog.Handler

func (t teeHandler) Enabled(ctx context.Context, l slog.Level) bool {
	for _, h := range t {
		if h.Enabled(ctx, l) {
			return true
		}
	}
	return false
}

func (t teeHandler) Handle(ctx context.Context, r slog.Record) error {
	var first error
	for _, h := range t {
		if h.Enabled(ctx, r.Level) {
			if err := h.Handle(ctx, r.Clone()); err != nil && first == nil {
				first = err
			}
		}
	}
	return first
}

func (t teeHandler) WithAttrs(as []slog.Attr) slog.Handler {
	out := make(teeHandler, len(t))
	for i, h := range t {
		out[i] = h.WithAttrs(as)
	}
	return out
}

func (t teeHandler) WithGroup(name string) slog.Handler {
	out := make(teeHandler, len(t))
	for i, h := range t {
		out[i] = h.WithGroup(name)
	}
	return out
}

func runStatus(ctx context.Context, e *env, args []string) error {
	var cfgDir string
	var days int
	f := newFlags("status", "canbo status [--config THƯ_MỤC] [--days N]", `
Cho biết canbo serve đã nhận những tệp nào, tệp nào đang chờ trong thư mục nhận,
các lần lập báo cáo gần đây và thư nào đã gửi, đang chờ gửi.
What was received, what is pending and what was sent.`, "")
	f.string(&cfgDir, "config", "THƯ_MỤC", defaultConfigDir, "thư mục cấu hình (phải có serve.yaml)", "configuration folder (with serve.yaml)")
	f.int(&days, "days", "N", 31, "số ngày gần đây liệt kê tệp đã nhận", "days of received files to list")
	if err := f.parse(e, args); err != nil {
		return err
	}
	cfg, _, _, err := serveSetup(cfgDir, f.flagSet("config"))
	if err != nil {
		return err
	}
	sv := cfg.Serve
	loc := sv.Location()
	w := e.stdout
	db, err := history.Open(filepath.Join(sv.State, history.FileName))
	if err != nil {
		return err
	}
	defer db.Close()
	rec, err := db.Received(ctx, now().AddDate(0, 0, -days))
	if err != nil {
		return err
	}
	if sv.Web.Listen != "" {
		fmt.Fprintf(w, "Trang web: %s (đăng nhập: %s/dang-nhap)\n\n", web.Address(sv.Web), web.Address(sv.Web))
	}
	fmt.Fprintf(w, "Tệp đã nhận trong %d ngày qua: %d\n", days, len(rec))
	for _, r := range rec {
		fmt.Fprintf(w, "  %s  %-16s %s  %s  %s\n", r.At.In(loc).Format("02/01/2006 15:04"), receivedStatus[r.Status],
			r.Name, r.Unit, reporttext.Period(r.Period))
	}
	wt, err := inbox.NewWatcher(inbox.FromServe(sv))
	if err == nil && wt.Scan() == nil {
		pending := wt.Pending()
		fmt.Fprintf(w, "\nĐang chờ trong thư mục nhận (%s): %d\n", sv.Inbox, len(pending))
		for _, p := range pending {
			fmt.Fprintf(w, "  %s\n", p)
		}
	}
	runs, err := db.Runs(ctx, 5)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "\nCác lần lập báo cáo gần đây:\n")
	if len(runs) == 0 {
		fmt.Fprintf(w, "  (chưa lập lần nào)\n")
	}
	for _, r := range runs {
		fmt.Fprintf(w, "  kỳ %s  %s  %-8s %s  %d người, đạt %d/%d chỉ tiêu%s\n", reporttext.Period(r.Period),
			r.StartedAt.In(loc).Format("02/01/2006 15:04"), orText(runTriggers[r.Trigger], r.Trigger), runStates[r.Status], r.Headcount, r.TargetsMet, r.Targets,
			map[bool]string{true: "  lỗi: " + r.Error}[r.Error != ""])
	}
	ob, err := mail.OpenOutbox(db, sv.State)
	if err != nil {
		return err
	}
	entries, err := ob.Status()
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "\nThư:\n")
	if len(entries) == 0 {
		fmt.Fprintf(w, "  (chưa có thư nào)\n")
	}
	for _, en := range entries {
		extra := ""
		if en.LastError != "" {
			extra = "  (" + en.LastError + ")"
		}
		if n := en.BodyNote(loc); n != "" {
			extra += "  (" + n + ")"
		}
		fmt.Fprintf(w, "  %-9s %s  lần thử %d%s\n", mailState[en.State], en.Subject, en.Attempts, extra)
	}
	return nil
}

var receivedStatus = map[string]string{"accepted": "đã nhận", "rejected": "bị từ chối", "duplicate": "trùng, bỏ qua",
	"superseded": "đã có tệp mới hơn", "superseded-older": "cũ hơn tệp đã có"}
var runStates = map[string]string{"ok": "xong", "failed": "thất bại", "running": "đang chạy"}
var runTriggers = map[string]string{"schedule": "theo lịch", "catch-up": "chạy bù", "manual": "chạy tay"}
var mailState = map[string]string{mail.StateQueued: "chờ gửi", mail.StateSending: "đang gửi", mail.StateSent: "đã gửi",
	mail.StateHeld: "tạm dừng"}

func runSend(ctx context.Context, e *env, args []string) error {
	var cfgDir, period, from, to, dry string
	f := newFlags("send", "canbo send (--period YYYY-MM | --from YYYY-MM --to YYYY-MM) [--dry-run THƯ_MỤC] [--config THƯ_MỤC]", `
Gửi lại thư báo cáo của một kỳ đã lập (OUT/YYYY-MM/), kể cả khi đã gửi rồi; với --from --to,
thư của báo cáo theo khoảng (OUT/FROM_TO/, span_reports trong serve.yaml).
Với --dry-run, chỉ ghi thư thành tệp .eml vào THƯ_MỤC để xem trước, không gửi.
Re-send a period's (or a span's) report e-mail; --dry-run writes the .eml files instead.`, "")
	f.string(&cfgDir, "config", "THƯ_MỤC", defaultConfigDir, "thư mục cấu hình (phải có serve.yaml)", "configuration folder (with serve.yaml)")
	f.string(&period, "period", "YYYY-MM", "", "kỳ báo cáo cần gửi", "the report period to send")
	f.string(&from, "from", "YYYY-MM", "", "tháng đầu của báo cáo theo khoảng cần gửi (cùng --to)", "the first month of the span report to send (with --to)")
	f.string(&to, "to", "YYYY-MM", "", "tháng cuối của báo cáo theo khoảng", "the span report's last month")
	f.string(&dry, "dry-run", "THƯ_MỤC", "", "ghi thư .eml vào thư mục này thay vì gửi", "write the .eml files to this folder instead of sending")
	if err := f.parse(e, args); err != nil {
		return err
	}
	span := from != "" || to != ""
	if span {
		_, ef := time.Parse("2006-01", from)
		_, et := time.Parse("2006-01", to)
		if ef != nil || et != nil || from > to || period != "" {
			return usageError{fmt.Errorf("báo cáo theo khoảng cần --from YYYY-MM --to YYYY-MM (không kèm --period), ví dụ --from 2025-01 --to 2025-12")}
		}
	} else if _, err := time.Parse("2006-01", period); err != nil {
		return usageError{fmt.Errorf("cần --period YYYY-MM, ví dụ --period 2023-09 (hoặc --from --to cho báo cáo theo khoảng)")}
	}
	cfg, tools, tm, err := serveSetup(cfgDir, f.flagSet("config"))
	if err != nil {
		return err
	}
	name, what, how := period, "kỳ "+reporttext.Period(period), fmt.Sprintf("canbo serve --once --period %s%s, hoặc đợi canbo serve lập theo lịch", period, configArg(cfgDir, f.flagSet("config")))
	if span {
		name, what = summary.SpanName(from, to), "từ "+reporttext.Period(from)+" đến "+reporttext.Period(to)
		how = fmt.Sprintf("canbo run --archive --from %s --to %s%s", from, to, configArg(cfgDir, f.flagSet("config")))
	}
	dir := filepath.Join(cfg.Serve.Out, name)
	data, err := os.ReadFile(filepath.Join(dir, "summary.json"))
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("chưa có báo cáo %s trong %s: hãy lập trước (%s)", what, dir, how)
	case err != nil:
		return fmt.Errorf("không đọc được báo cáo %s trong %s: %w", what, dir, err)
	}
	var s summary.Summary
	if err := json.Unmarshal(data, &s); err != nil {
		return fmt.Errorf("đọc %s: %w", filepath.Join(dir, "summary.json"), err)
	}
	files := mail.ReportFiles(dir, s.ReportName())
	var msg *mail.Message
	if span {
		msg, err = serve.SpanMessage(spanName(cfg.Serve, from, to), &s, cfg, tools, tm, files...)
	} else {
		msg, err = mail.ReportMessage(&s, cfg, tools.Text, tm, files...)
	}
	if err != nil {
		return err
	}
	if dry != "" {
		paths, err := mail.WriteEML(dry, msg)
		if err != nil {
			return err
		}
		for _, p := range paths {
			fmt.Fprintf(e.stdout, "Đã ghi thư (không gửi): %s\n", p)
		}
		return nil
	}
	db, err := history.Open(filepath.Join(cfg.Serve.State, history.FileName))
	if err != nil {
		return err
	}
	defer db.Close()
	ob, err := mail.OpenOutbox(db, cfg.Serve.State)
	if err != nil {
		return err
	}
	ob.Policy = mail.PolicyFrom(cfg.Serve.Mail)
	id, err := ob.Resend(msg)
	if err != nil {
		return err
	}
	d, err := mail.NewDialer(cfg.Serve.Mail)
	if err != nil {
		return usageError{err}
	}
	sent, failed, err := ob.Deliver(ctx, d)
	switch {
	case errors.Is(err, mail.ErrBusy):
		fmt.Fprintf(e.stdout, "Thư %s đã vào hộp thư đi; canbo serve đang chạy sẽ gửi.\n", id)
		return nil
	case err != nil:
		return err
	case failed > 0:
		return fmt.Errorf("chưa gửi được %d thư; thư vẫn ở hộp thư đi và sẽ được gửi lại (canbo status%s để xem lỗi)", failed, configArg(cfgDir, f.flagSet("config")))
	}
	fmt.Fprintf(e.stdout, "Đã gửi %d thư (báo cáo %s).\n", sent, what)
	return nil
}

// spanName is the name serve.yaml gives the span report over from to to (the
// span_reports entry whose run would cover those months), else a plain one.
func spanName(sv schema.Serve, from, to string) string {
	for _, r := range sv.SpanReports {
		if f, t, ok := r.Span(to); ok && f == from && t == to {
			return r.Name
		}
	}
	return "Báo cáo theo khoảng"
}
