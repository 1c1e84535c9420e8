package web

import (
	"context"
	"errors"
	"mime"
	"net/http"
	"os"
	"path/filepath"
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

// reportsOf lists the report files of period in OUT/YYYY-MM, in a fixed order.
func (s *Server) reportsOf(period string) []reportLink {
	var out []reportLink
	for _, k := range []string{"xlsx", "pdf", "docx"} {
		if _, err := os.Stat(s.reportPath(period, k)); err == nil {
			out = append(out, reportLink{Kind: k, Label: reportKinds[k].label})
		}
	}
	return out
}

// reportPath is where canbo writes a period's report file. period has been checked
// against periodRe and kind against reportKinds: nothing of the request reaches the
// path otherwise.
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
	if !periodRe.MatchString(period) || !known {
		s.fail(w, http.StatusNotFound, "Không có báo cáo này.")
		return
	}
	p := s.reportPath(period, kind)
	if !inside(s.opt.Config.Serve.Out, p) {
		s.fail(w, http.StatusNotFound, "Chưa có báo cáo kỳ "+period+".")
		return
	}
	f, err := os.Open(p)
	if err != nil {
		s.fail(w, http.StatusNotFound, "Chưa có báo cáo kỳ "+period+".")
		return
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil || !info.Mode().IsRegular() {
		s.fail(w, http.StatusNotFound, "Chưa có báo cáo kỳ "+period+".")
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
