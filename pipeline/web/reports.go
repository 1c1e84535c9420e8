package web

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"mime"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"canbo/pipeline/reporttext"
	"canbo/pipeline/schema"
)

// reportKinds are the report files the office downloads, by the word in the address.
var reportKinds = map[string]struct{ ext, contentType, label string }{
	"xlsx": {".xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "Excel"},
	"pdf":  {".pdf", "application/pdf", "PDF"},
	"docx": {".docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "Word"},
}

// reportLink is one report file of a period that exists.
type reportLink struct {
	Kind, Label string
}

// spanRe is how a request names a report over a span of months: FROM_TO, two real
// months, as canbo names its folder in OUT (summary.SpanName).
var spanRe = regexp.MustCompile(`^([0-9]{4}-(?:0[1-9]|1[0-2]))_([0-9]{4}-(?:0[1-9]|1[0-2]))$`)

// splitSpan reads a span's name, "2023-01_2023-09", into its first and last months;
// false for anything else, a span that ends before it begins included.
func splitSpan(name string) (from, to string, ok bool) {
	m := spanRe.FindStringSubmatch(name)
	if m == nil || m[1] > m[2] {
		return "", "", false
	}
	return m[1], m[2], true
}

// spanReport is one report over a span of months found in OUT.
type spanReport struct {
	Key, Name, From, To string // Key: FROM_TO, the report's folder and its address
	Named               bool   // Name is serve.yaml's, not the months
	Files               []reportLink
}

// spanTitle is what the page calls the report over from to to: the name serve.yaml's
// span_reports gives it (the entry whose run would cover those months, as `canbo
// run --from --to` names it), else the months themselves.
func (s *Server) spanTitle(from, to string) (title string, named bool) {
	for _, r := range s.opt.Config.Serve.SpanReports {
		if f, t, ok := r.Span(to); ok && f == from && t == to {
			return strings.TrimSpace(r.Name), true
		}
	}
	return "Từ " + reporttext.Period(from) + " đến " + reporttext.Period(to), false
}

// spanReports lists the reports over spans of months in OUT (folders FROM_TO with a
// report file), the latest last month first, and of one last month the longest
// span first. OUT's other folders (the months', anything a person put there) are
// not listed.
func (s *Server) spanReports() ([]spanReport, error) {
	ents, err := os.ReadDir(s.opt.Config.Serve.Out)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, nil
		}
		return nil, fmt.Errorf("đọc thư mục báo cáo: %w", err)
	}
	var out []spanReport
	for _, e := range ents {
		from, to, ok := splitSpan(e.Name())
		if !ok || !e.IsDir() {
			continue
		}
		if files := s.reportsOf(e.Name()); len(files) > 0 {
			title, named := s.spanTitle(from, to)
			out = append(out, spanReport{Key: e.Name(), Name: title, Named: named, From: from, To: to, Files: files})
		}
	}
	slices.SortFunc(out, func(a, b spanReport) int {
		return cmp.Or(cmp.Compare(b.To, a.To), cmp.Compare(a.From, b.From))
	})
	return out, nil
}

// reportsOf lists the report files of a period (OUT/YYYY-MM) or span
// (OUT/FROM_TO), in a fixed order.
func (s *Server) reportsOf(period string) []reportLink {
	var out []reportLink
	for _, k := range []string{"xlsx", "pdf", "docx"} {
		if _, err := os.Stat(s.reportPath(period, k)); err == nil {
			out = append(out, reportLink{Kind: k, Label: reportKinds[k].label})
		}
	}
	return out
}

// reportPath is where canbo writes a period's or a span's report file. period has
// been checked against periodRe or splitSpan and kind against reportKinds: nothing
// of the request reaches the path otherwise.
func (s *Server) reportPath(period, kind string) string {
	return filepath.Join(s.opt.Config.Serve.Out, period, "bao-cao-"+period+reportKinds[kind].ext)
}

// report sends a period's report file to a logged-in user (staff or leader).
func (s *Server) report(w http.ResponseWriter, r *http.Request) {
	if _, _, ok := s.session(w, r); !ok {
		return
	}
	period, kind := r.PathValue("ky"), r.PathValue("loai")
	k, known := reportKinds[kind]
	missing := "Chưa có báo cáo kỳ " + period + "."
	if from, to, ok := splitSpan(period); ok {
		missing = "Chưa có báo cáo từ " + reporttext.Period(from) + " đến " + reporttext.Period(to) + "."
	} else if !periodRe.MatchString(period) {
		known = false
	}
	if !known {
		s.fail(w, http.StatusNotFound, "Không có báo cáo này.")
		return
	}
	p := s.reportPath(period, kind)
	if !inside(s.opt.Config.Serve.Out, p) {
		s.fail(w, http.StatusNotFound, missing)
		return
	}
	f, err := os.Open(p)
	if err != nil {
		s.fail(w, http.StatusNotFound, missing)
		return
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil || !info.Mode().IsRegular() {
		s.fail(w, http.StatusNotFound, missing)
		return
	}
	w.Header().Set("Content-Type", k.contentType)
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": filepath.Base(p)}))
	http.ServeContent(w, r, "", info.ModTime(), f)
}

// makeReport makes the period's report now, from the archive (staff only): a manual
// run, which never overlaps a scheduled one and mails nobody (serve.RunNow).
func (s *Server) makeReport(w http.ResponseWriter, r *http.Request) {
	_, user, ok := s.officePost(w, r, "Tài khoản lãnh đạo chỉ xem, không lập báo cáo.")
	if !ok {
		return
	}
	if s.opt.RunNow == nil {
		s.fail(w, http.StatusConflict, "Trang web này không lập được báo cáo (không chạy trong canbo serve).")
		return
	}
	period := r.PostFormValue("ky")
	if !periodRe.MatchString(period) {
		s.fail(w, http.StatusBadRequest, "Kỳ phải có dạng YYYY-MM, ví dụ 2023-09.")
		return
	}
	s.opt.Log.Info("trang web: lập báo cáo", "user", user.Name, "period", period)
	// A report takes its time; the clerk waits for it, and a closed tab does not
	// leave it half made (its outputs are written atomically anyway).
	if err := s.opt.RunNow(context.WithoutCancel(r.Context()), period); err != nil {
		msg := "Không lập được báo cáo kỳ " + period + ": " + err.Error()
		if errors.Is(err, context.Canceled) {
			msg = "canbo serve đang dừng; báo cáo chưa được lập."
		}
		s.fail(w, http.StatusConflict, msg)
		return
	}
	http.Redirect(w, r, "/bang?ky="+period, http.StatusSeeOther)
}

// makeSpanReport makes one of serve.yaml's span reports now (staff only), for the
// month its schedule reports now, through canbo serve's own span run (RunSpan): a
// manual run, never overlapping the scheduled one and mailing nobody. The form names
// the report by its name in span_reports; no month of the request reaches it.
func (s *Server) makeSpanReport(w http.ResponseWriter, r *http.Request) {
	_, user, ok := s.officePost(w, r, "Tài khoản lãnh đạo chỉ xem, không lập báo cáo.")
	if !ok {
		return
	}
	if s.opt.RunSpan == nil {
		s.fail(w, http.StatusConflict, "Trang web này không lập được báo cáo (không chạy trong canbo serve).")
		return
	}
	asked := strings.TrimSpace(r.PostFormValue("bao-cao"))
	i := slices.IndexFunc(s.opt.Config.Serve.SpanReports, func(rep schema.SpanReport) bool { return rep.Named(asked) })
	if i < 0 {
		s.fail(w, http.StatusBadRequest, "Không có báo cáo này trong span_reports của serve.yaml.")
		return
	}
	name := strings.TrimSpace(s.opt.Config.Serve.SpanReports[i].Name)
	s.opt.Log.Info("trang web: lập báo cáo theo khoảng", "user", user.Name, "report", name)
	// As makeReport: the clerk waits, and a closed tab does not stop the run.
	span, err := s.opt.RunSpan(context.WithoutCancel(r.Context()), name)
	if err != nil {
		msg := "Không lập được " + name + ": " + err.Error()
		if errors.Is(err, context.Canceled) {
			msg = "canbo serve đang dừng; báo cáo chưa được lập."
		}
		s.fail(w, http.StatusConflict, msg)
		return
	}
	http.Redirect(w, r, "/bang?"+url.Values{"da-lap": {span}}.Encode(), http.StatusSeeOther)
}

// spanMade is what the board says after a span report was made: which, over which
// months; "" when the request names no span.
func (s *Server) spanMade(span string) string {
	from, to, ok := splitSpan(span)
	if !ok {
		return ""
	}
	months := "từ " + reporttext.Period(from) + " đến " + reporttext.Period(to)
	if title, named := s.spanTitle(from, to); named {
		return "Đã lập " + title + " (" + months + "). Tải về ở mục Báo cáo theo khoảng."
	}
	return "Đã lập báo cáo " + months + ". Tải về ở mục Báo cáo theo khoảng."
}

// spanJobs are the names of serve.yaml's span reports a user can make now: staff's,
// when the page runs inside canbo serve.
func (s *Server) spanJobs(user schema.WebUser) []string {
	if user.Role != RoleStaff || s.opt.RunSpan == nil {
		return nil
	}
	var names []string
	for _, r := range s.opt.Config.Serve.SpanReports {
		names = append(names, strings.TrimSpace(r.Name))
	}
	return names
}
