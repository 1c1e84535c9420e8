package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"canbo/pipeline/history"
	"canbo/pipeline/ingest"
	"canbo/pipeline/report"
	"canbo/pipeline/reporttext"
	"canbo/pipeline/schema"
	"canbo/pipeline/serve"
	"canbo/pipeline/summary"
)

func runRun(ctx context.Context, e *env, args []string) error {
	var cfgDir, inDir, outDir, period, from, to, previous string
	var noFeedback, archive, noCache bool
	f := newFlags("run", "canbo run [--config THƯ_MỤC] [--in THƯ_MỤC] [--out THƯ_MỤC] [--period YYYY-MM | --from YYYY-MM --to YYYY-MM] [--previous THƯ_MỤC] [--archive]", `
Lập báo cáo của một kỳ: đọc mọi tệp Excel trong thư mục vào, kiểm tra, tính chỉ tiêu,
rồi ghi vào OUT/YYYY-MM/: bao-cao-YYYY-MM.xlsx, bao-cao-YYYY-MM.pdf, bao-cao-YYYY-MM.docx,
summary.json và phan-hoi/ (bản sao có đánh dấu ô lỗi của từng tệp có lỗi). Tệp gốc không bị sửa.
Với --from --to: báo cáo cả khoảng vào OUT/FROM_TO/bao-cao-FROM_TO.xlsx, .pdf, .docx.
Make one period's report: read every workbook in the input folder, validate, evaluate the
targets and write the Excel, PDF and Word reports, summary.json and per-file feedback into OUT/YYYY-MM/.`,
		"  0  đã lập báo cáo (the report was written; data problems are listed in it)\n  1  không lập được báo cáo, hoặc có chỉ tiêu không tính được (no report, or a target could not be computed)\n  2  sai cách gọi hoặc cấu hình lỗi (bad usage or configuration)")
	f.string(&cfgDir, "config", "THƯ_MỤC", defaultConfigDir, "thư mục cấu hình", "configuration folder")
	f.string(&inDir, "in", "THƯ_MỤC", "samples", "thư mục chứa các tệp Excel của đơn vị (đọc cả thư mục con)", "folder with the units' workbooks (sub-folders included)")
	f.string(&outDir, "out", "THƯ_MỤC", "out", "thư mục ghi báo cáo", "output folder")
	f.string(&period, "period", "YYYY-MM", "", "kỳ báo cáo; mặc định là tháng của ngày chốt số liệu mới nhất trong các tệp, nếu không có thì tháng hiện tại",
		"report period; default: the month of the newest as-of date in the inputs, else the current month")
	f.string(&from, "from", "YYYY-MM", "", "báo cáo cả một khoảng thời gian (một năm, một nhiệm kỳ): tháng đầu; cần --to. Đào tạo tính các lượt bắt đầu trong khoảng; danh sách tính đến cuối --to; ghi vào OUT/FROM_TO/",
		"a report over a span (a year, a term): its first month; needs --to. Training counts the attendances that started in it; rosters as of the end of --to; written to OUT/FROM_TO/")
	f.string(&to, "to", "YYYY-MM", "", "tháng cuối của khoảng thời gian (với --from)", "the span's last month (with --from)")
	f.string(&previous, "previous", "THƯ_MỤC", "", "thư mục các tệp danh sách kỳ trước: so từng người (số định danh, nếu không có thì họ tên và ngày sinh) để biết ai tăng, giảm, chuyển đơn vị (trang \"Biến động so với kỳ trước\", summary.json roster_changes)",
		"folder of last period's files: compare person by person (ID number, else name and birth date) to tell who joined, left or moved between units")
	f.bool(&noFeedback, "no-feedback", false, "không ghi tệp phản hồi", "do not write feedback workbooks")
	f.bool(&noCache, "no-cache", false, "đọc lại mọi tệp, không dùng kết quả đọc đã lưu ở OUT/"+report.CacheFolder,
		"read every file again instead of reusing the readings kept in OUT/"+report.CacheFolder)
	f.bool(&archive, "archive", false, "lập lại báo cáo kỳ --period (hoặc khoảng --from --to) từ thư mục lưu trữ của canbo serve (serve.yaml), ghi vào lịch sử; gửi thư bằng canbo send",
		"remake --period's report (or --from --to's) from canbo serve's archive (serve.yaml) and record it; mail it with canbo send")
	if err := f.parse(e, args); err != nil {
		return err
	}
	if archive && from == "" && to == "" {
		return runArchive(ctx, e, cfgDir, f.flagSet("config"), period)
	}
	if f.fs.NArg() > 0 {
		return usageError{fmt.Errorf("lệnh run không nhận tên tệp (%q); dùng --in THƯ_MỤC", f.fs.Arg(0))}
	}
	switch {
	case (from == "") != (to == ""):
		return usageError{fmt.Errorf("--from và --to phải đi cùng nhau, ví dụ --from 2021-01 --to 2025-12")}
	case to != "" && period != "":
		return usageError{fmt.Errorf("dùng --period cho báo cáo một tháng, hoặc --from và --to cho một khoảng; không dùng cả hai")}
	case to != "":
		period = to
	}
	for _, m := range []struct{ flag, v string }{{"period", period}, {"from", from}} {
		if m.v == "" {
			continue
		}
		if _, err := time.Parse("2006-01", m.v); err != nil {
			return usageError{fmt.Errorf("--%s %q không đúng dạng YYYY-MM (ví dụ 2023-09)", m.flag, m.v)}
		}
	}
	if from > period {
		return usageError{fmt.Errorf("--from %s sau --to %s", from, period)}
	}
	if archive {
		return runArchiveSpan(ctx, e, cfgDir, f.flagSet("config"), from, period)
	}
	if st, err := os.Stat(inDir); err != nil || !st.IsDir() {
		return usageError{fmt.Errorf("không tìm thấy thư mục đầu vào %q (chỉ định bằng --in THƯ_MỤC)", inDir)}
	}
	var prev *report.Previous
	if previous != "" {
		if from != "" {
			return usageError{fmt.Errorf("--previous so danh sách của một tháng với tháng trước; không dùng với --from --to")}
		}
		if st, err := os.Stat(previous); err != nil || !st.IsDir() {
			return usageError{fmt.Errorf("không tìm thấy thư mục kỳ trước %q (--previous THƯ_MỤC)", previous)}
		}
		prev = &report.Previous{Inputs: []string{previous}}
	}
	tools, err := loadTools(cfgDir, f.flagSet("config"))
	if err != nil {
		return err
	}
	res, err := report.Run(ctx, tools, report.Options{Inputs: []string{inDir}, Out: outDir, Period: period, From: from, Now: now,
		Location: tools.Config.Serve.Location(), NoFeedback: noFeedback, NoCache: noCache, Log: e.log, Previous: prev})
	if err != nil {
		return err
	}
	printRun(e.stdout, res)
	if prev != nil {
		printRosterChanges(e.stdout, res.Summary.RosterChanges)
	}
	printUnnamedGroups(e.stdout, res.Summary, tools.Config)
	printUnitCheck(e.stdout, res.Summary.UnitCheck)
	return rulesFailed(e.stdout, res.Summary)
}

// printRun tells the user what the report found and where it is: the files that
// could not be used, by name and why, and the feedback workbooks for the units.
func printRun(w io.Writer, res *report.Result) {
	s, written := res.Summary, res.Written
	used, rejected := 0, 0
	for _, f := range s.Files {
		switch f.Status {
		case ingest.Accepted:
			used++
		case ingest.Rejected:
			rejected++
		}
	}
	period := "Kỳ báo cáo " + reporttext.Period(s.Period)
	if sp := s.Span; sp != nil { // --from --to: training over the span, people as of its end
		period = "Báo cáo từ " + reporttext.Period(sp.From) + " đến " + reporttext.Period(sp.To)
	}
	fmt.Fprintf(w, "%s (số liệu tính đến %s): %d tệp dùng được, %d tệp không dùng được.\n",
		period, reporttext.Date(s.AsOf), used, rejected)
	fmt.Fprintf(w, "%s người ở %d đơn vị; %s lượt đào tạo, bồi dưỡng; %d lỗi, %d cảnh báo trong dữ liệu.\n",
		reporttext.Int(s.Total.Headcount), len(s.Units), reporttext.Int(s.Training.Total), s.Issues.Errors, s.Issues.Warnings)
	// A target nobody falls under (no member of the provincial committee in a
	// commune's files) is neither met nor missed: it is not in "đạt m/n".
	c := summary.CountTargets(s.Targets)
	var parts []string
	if c.Overall > 0 {
		parts = append(parts, fmt.Sprintf("Chỉ tiêu chung: đạt %d/%d", c.OverallMet, c.Overall))
	}
	if c.Empty > 0 {
		parts = append(parts, fmt.Sprintf("%d chỉ tiêu chung chưa có người thuộc đối tượng trong số liệu", c.Empty))
	}
	if c.Unit > 0 {
		parts = append(parts, fmt.Sprintf("chỉ tiêu theo từng đơn vị: đạt %d/%d", c.UnitMet, c.Unit))
	}
	if len(parts) > 0 {
		fmt.Fprintln(w, strings.Join(parts, "; ")+".")
	}
	if n := len(s.BelowStandard); n > 0 {
		fmt.Fprintf(w, "%s người chưa đạt tiêu chuẩn chức danh (danh sách tên ở trang “Chưa đạt chuẩn” của báo cáo Excel).\n", reporttext.Int(n))
	}
	for _, f := range s.Files {
		if f.Status == ingest.Rejected {
			fmt.Fprintf(w, "Không dùng được %s: %s\n", f.File, f.Reason)
		}
	}
	fmt.Fprintln(w, "Đã ghi:")
	for _, p := range written {
		fmt.Fprintf(w, "  %s\n", p)
	}
	if n := len(res.Feedback); n > 0 {
		fmt.Fprintf(w, "  %s — %d tệp phản hồi (bản sao tệp của đơn vị, ô cần sửa đã đánh dấu), để gửi lại các đơn vị\n",
			filepath.Join(res.Dir, "phan-hoi"), n)
	}
}

// printUnnamedGroups tells the clerk which input sub-folders report.yaml gives no
// display name: the report calls them by their units, never by the folder. Only a
// run knows the folders, so `canbo config check` cannot say it.
func printUnnamedGroups(w io.Writer, s *summary.Summary, cfg *schema.Config) {
	groups := reporttext.UnnamedGroups(s, cfg)
	if len(groups) == 0 {
		return
	}
	fmt.Fprintf(w, "Chưa đặt tên hiển thị cho %d nhóm (thư mục con) nên báo cáo gọi chúng theo đơn vị; thêm tên vào report.yaml:\n  groups:\n", len(groups))
	for _, g := range groups {
		fmt.Fprintf(w, "    %s: …\n", g)
	}
}

// printUnitCheck tells the clerk what units.yaml should learn: the unit names found
// in the files that it does not know (each with the closest registered name; the
// workplaces on lists other units sent only counted), and the units that must send
// and sent nothing. The report tells the leader only the
// latter; summary.json's unit_check lists everything.
func printUnitCheck(w io.Writer, uc summary.UnitCheck) {
	const most = 10
	var senders []summary.UnknownUnit
	workplaces := 0
	for _, u := range uc.Unknown {
		if u.Workplace {
			workplaces++
		} else {
			senders = append(senders, u)
		}
	}
	uc.Unknown = senders
	if n := len(uc.Unknown); n > 0 {
		fmt.Fprintf(w, "%d tên đơn vị trong các tệp không có trong units.yaml (vẫn được đếm, theo tên ghi trong tệp); thêm vào units.yaml (tên đơn vị, hoặc aliases nếu là cách viết khác) hoặc sửa trong tệp:\n", n)
		for _, u := range uc.Unknown[:min(n, most)] {
			fmt.Fprintf(w, "  %s (%s người)", u.Unit, reporttext.Int(u.People))
			switch {
			case u.Suggestion != "":
				fmt.Fprintf(w, ": có phải %q?", u.Suggestion)
			case len(u.Ambiguous) > 0:
				fmt.Fprintf(w, ": trùng tên đơn vị ở nhóm khác (%s); thêm tên kèm địa danh vào aliases của đúng đơn vị", strings.Join(u.Ambiguous, "; "))
			}
			fmt.Fprintln(w)
		}
		if n > most {
			fmt.Fprintf(w, "  … và %d tên khác (xem unit_check trong summary.json)\n", n-most)
		}
	}
	if workplaces > 0 {
		fmt.Fprintf(w, "%d nơi công tác ghi trong các danh sách do đơn vị khác gửi (danh sách lớp, danh sách tổng hợp) không có trong units.yaml; không cần thêm nếu đó không phải đơn vị gửi tệp; nếu đó là danh sách lớp, ghi lists: learners cho trường gửi nó trong units.yaml để học viên được tính vào trường (xem unit_check trong summary.json).\n", workplaces)
	}
	if n := len(uc.NotSent); n > 0 {
		names := make([]string, 0, most)
		for _, u := range uc.NotSent[:min(n, most)] {
			names = append(names, u.Unit)
		}
		more := ""
		if n > most {
			more = fmt.Sprintf(" và %d đơn vị khác", n-most)
		}
		fmt.Fprintf(w, "%d đơn vị phải gửi số liệu mà kỳ này chưa gửi: %s%s.\n", n, strings.Join(names, ", "), more)
	}
}

// runArchive remakes a period's report from the archive canbo serve keeps, exactly
// as a scheduled run reads it (each unit's current file, superseded and quarantined
// files listed), for when a unit sent a correction after the report went out.
func runArchive(ctx context.Context, e *env, cfgDir string, explicit bool, period string) error {
	if _, err := time.Parse("2006-01", period); err != nil {
		return usageError{fmt.Errorf("--archive cần --period YYYY-MM, ví dụ --period 2023-09")}
	}
	cfg, tools, _, err := serveSetup(cfgDir, explicit)
	if err != nil {
		return err
	}
	opt, err := serve.ArchiveOptions(cfg.Serve, cfg.Units.Registry(), period, e.log)
	if err != nil {
		return err
	}
	if len(opt.Inputs) == 0 {
		return fmt.Errorf("lưu trữ %s chưa có tệp nào của kỳ %s", cfg.Serve.Archive, period)
	}
	db, err := history.Open(filepath.Join(cfg.Serve.State, history.FileName))
	if err != nil {
		return err
	}
	defer db.Close()
	opt.Now, opt.History = now, db
	var res *report.Result
	err = db.Record(ctx, period, "manual", func() (*summary.Summary, string, error) {
		var err error
		res, err = report.Run(ctx, tools, opt)
		return res.Made(err)
	})
	if err != nil {
		return err
	}
	printRun(e.stdout, res)
	fmt.Fprintf(e.stdout, "Gửi thư báo cáo này: canbo send --period %s%s\n", period, configArg(cfgDir, explicit))
	return rulesFailed(e.stdout, res.Summary)
}

// runArchiveSpan makes the report over the months from to to from the archive, as a
// scheduled span report reads it (serve.SpanOptions: each register once), for a span
// serve.yaml does not schedule or a late correction. It is not recorded in the
// history, whose figures are months'.
func runArchiveSpan(ctx context.Context, e *env, cfgDir string, explicit bool, from, to string) error {
	cfg, tools, _, err := serveSetup(cfgDir, explicit)
	if err != nil {
		return err
	}
	opt, err := serve.SpanOptions(cfg.Serve, cfg.Units.Registry(), from, to, e.log)
	if err != nil {
		return err
	}
	if len(opt.Inputs) == 0 {
		return fmt.Errorf("lưu trữ %s chưa có tệp nào từ %s đến %s", cfg.Serve.Archive, reporttext.Period(from), reporttext.Period(to))
	}
	opt.Now = now
	res, err := report.Run(ctx, tools, opt)
	if err != nil {
		return err
	}
	printRun(e.stdout, res)
	fmt.Fprintf(e.stdout, "Gửi thư báo cáo này: canbo send --from %s --to %s%s\n", from, to, configArg(cfgDir, explicit))
	return rulesFailed(e.stdout, res.Summary)
}

// rulesFailed says so, and exits 1, when a target or standard could not be computed:
// the report was written, but one of its results is missing.
func rulesFailed(w io.Writer, s *summary.Summary) error {
	if !report.RulesFailed(s) {
		return nil
	}
	fmt.Fprintln(w, "Có chỉ tiêu không tính được vì biểu thức lỗi (xem phần lỗi dữ liệu trong báo cáo); hãy sửa targets.yaml hoặc standards.yaml rồi chạy lại.")
	return errProblemsFound
}

// printRosterChanges says what the comparison with --previous found, or that it
// could not be made (the reason was logged above).
func printRosterChanges(w io.Writer, rc *summary.RosterChanges) {
	if rc == nil {
		fmt.Fprintln(w, "Không so sánh được với danh sách kỳ trước (xem cảnh báo ở trên).")
		return
	}
	fmt.Fprintf(w, "So với danh sách kỳ %s: tăng %d, giảm %d, chuyển đơn vị %d, chưa chắc chắn %d người.\n",
		reporttext.Period(rc.Previous), rc.Joined, rc.Left, rc.Moved, rc.Unsure)
	for _, u := range rc.UnitsNotCompared {
		when := "kỳ này"
		if u.Missing == summary.MissingPrevious {
			when = "kỳ trước"
		}
		fmt.Fprintf(w, "  %s chưa gửi danh sách %s: %d người không tính vào tăng, giảm.\n", u.Unit, when, u.People)
	}
}
