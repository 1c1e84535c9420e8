// Package web is canbo serve's page on the office network. A unit opens the
// personal link the office gave it (no account), sends its workbook and sees at once
// what canbo read and every problem in the words of `canbo check`; the office logs
// in and sees the period's board. A file sent here goes through the inbox's own
// path (Options.Take is canbo serve's take: archive or quarantine, supersede,
// feedback, history), so a file sent by the page and one dropped in the inbox
// folder are treated the same.
//
// Security: links and sessions are 256-bit random tokens kept hashed in the history
// database; office passwords are argon2id hashes in serve.yaml; sessions are
// HttpOnly SameSite=Strict cookies (Secure under HTTPS) with a CSRF token on every
// form and an Origin check on every POST; failed logins are limited per (name,
// address), per address, and per name only for machines that failed (office.go); uploads are size-limited and sniffed; no request names a path: files
// are found through the database and the archive, and checked to lie inside
// canbo's folders before they are served.
package web

import (
	"cmp"
	"context"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"time"

	"canbo/pipeline/history"
	"canbo/pipeline/inbox"
	"canbo/pipeline/ingest"
	"canbo/pipeline/issue"
	"canbo/pipeline/mail"
	"canbo/pipeline/normalize"
	"canbo/pipeline/reporttext"
	"canbo/pipeline/schema"
)

//go:embed assets
var assets embed.FS

// Options are what the page needs from canbo serve.
type Options struct {
	Config  *schema.Config
	Catalog *issue.Catalog
	DB      *history.DB
	// Take files one upload exactly as canbo serve files a file from the inbox.
	Take func(ctx context.Context, c inbox.Candidate) (*inbox.Result, error)
	// Period says which period the office is collecting now and by when units must
	// send (the next scheduled report); nil: the current month, no deadline.
	Period func(now time.Time) (period string, deadline time.Time)
	Now    func() time.Time
	Log    *slog.Logger
	// Enqueue queues a mail in canbo serve's outbox; nil when serve.yaml has no mail
	// server (no reminders then).
	Enqueue func(m *mail.Message) (id string, dup bool, err error)
	// Mail is the e-mails' wording (templates/mail.yaml): reminders are written from
	// its reminder texts. Required with Enqueue.
	Mail *mail.Templates
	// Contact finds a unit's address, as canbo serve does for feedback mail.
	Contact func(unit string) (schema.UnitContact, bool)
	// RunNow makes a period's report at once (canbo serve's manual run).
	RunNow func(ctx context.Context, period string) error
	// RunSpan makes serve.yaml's span report (span_reports) of that name at once,
	// as canbo serve's manual span run, and says which span it made ("2023-01_2023-09").
	RunSpan func(ctx context.Context, name string) (span string, err error)
	// Text is the report's wording (templates/report.yaml): the figures page calls
	// units far behind in the assessment's words. nil: that part is left out.
	Text *reporttext.Text
}

// Server serves the page. Its state is in the database; it holds only what it was
// opened with.
type Server struct {
	opt        Options
	web        schema.Web
	loc        *time.Location
	staging    string // STATE/web-gui: uploads on their way to Take
	maxUpload  int64
	sessionFor time.Duration
	tmpl       *template.Template
	static     http.Handler

	// reading is the reader uploads are checked with before Take, one at a time:
	// the page must not read a hundred workbooks at once on a small server.
	reading sync.Mutex
	reader  *ingest.Reader
	// kdf bounds the argon2id verifications running at once (64 MiB each).
	kdf chan struct{}
	// uploads bounds the uploads being stored and checked at once, so that a burst
	// of clerks cannot fill the state folder's disk with staged files: the others
	// wait, their bodies unread.
	uploads chan struct{}
	// limit counts what each link sent lately (web.uploads_per_10_minutes,
	// web.upload_mb_per_hour).
	limit *uploadLimiter
}

// maxUploadsAtOnce is the size of Server.uploads.
const maxUploadsAtOnce = 8

// StagingFolder is where uploads wait inside the state folder (which the inbox
// watcher never looks into) until canbo serve has taken them.
const StagingFolder = "web-gui"

// New prepares the page; it does not listen (see Serve).
func New(opt Options) (*Server, error) {
	cfg := opt.Config
	if cfg == nil || opt.Catalog == nil || opt.DB == nil || opt.Take == nil {
		return nil, errors.New("web: thiếu cấu hình, danh mục lời nhắn, lịch sử hoặc cách nhận tệp")
	}
	w := cfg.Serve.Web
	if err := Check(w); err != nil {
		return nil, err
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.Log == nil {
		opt.Log = slog.Default()
	}
	if err := opt.DB.OpenWeb(context.Background()); err != nil {
		return nil, err
	}
	s := &Server{opt: opt, web: w, loc: cfg.Serve.Location(), staging: filepath.Join(cfg.Serve.State, StagingFolder),
		maxUpload: int64(w.MaxUploadMB) << 20, sessionFor: w.Session, kdf: make(chan struct{}, 2),
		uploads: make(chan struct{}, maxUploadsAtOnce)}
	if s.maxUpload == 0 {
		s.maxUpload = DefaultMaxUploadMB << 20
	}
	if s.sessionFor == 0 {
		s.sessionFor = DefaultSession
	}
	perHour := int64(w.UploadMBPerHour) << 20
	if perHour == 0 {
		perHour = defaultMBPerHourFactor * s.maxUpload
	}
	s.limit = newUploadLimiter(cmp.Or(w.UploadsPer10Minutes, DefaultUploadsPer10Minutes), perHour)
	if err := os.MkdirAll(s.staging, 0o700); err != nil {
		return nil, fmt.Errorf("web: tạo thư mục %s: %w", s.staging, err)
	}
	s.reader = ingest.NewReader(normalize.New(cfg), ingest.Options{Now: func() time.Time { return opt.Now().In(s.loc) }})
	var err error
	s.tmpl, err = template.New("").Funcs(template.FuncMap{
		"period": reporttext.Period, // "09/2023", as every report says it; links keep 2023-09
		// Figures as the reports write them: "80,67%", "70%", "1.234", "31/12/2025".
		"pct": reporttext.Percent, "pctShort": reporttext.PercentShort, "num": reporttext.Int, "date": reporttext.Date,
		"when": func(t time.Time) string {
			if t.IsZero() {
				return ""
			}
			return t.In(s.loc).Format("15:04 02/01/2006")
		},
		"day": func(t time.Time) string {
			if t.IsZero() {
				return ""
			}
			return t.In(s.loc).Format("02/01/2006")
		},
	}).ParseFS(assets, "assets/*.html")
	if err != nil {
		return nil, fmt.Errorf("web: mẫu trang: %w", err)
	}
	static, err := fs.Sub(assets, "assets/static")
	if err != nil {
		return nil, err
	}
	s.static = http.StripPrefix("/tai-nguyen/", http.FileServerFS(static))
	return s, nil
}

// URL is the page's address as units reach it.
func (s *Server) URL() string { return Address(s.web) }

// Handler is the whole page, for http.Server or httptest.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /tai-nguyen/", s.static)
	mux.HandleFunc("GET /{$}", s.home)
	mux.HandleFunc("GET /u/{token}", s.unitPage)
	mux.HandleFunc("POST /u/{token}/gui", s.upload)
	mux.HandleFunc("GET /u/{token}/tep/{id}", s.uploadPage)
	mux.HandleFunc("GET /u/{token}/phan-hoi/{id}", s.feedbackFile)
	mux.HandleFunc("GET /dang-nhap", s.loginPage)
	mux.HandleFunc("POST /dang-nhap", s.login)
	mux.HandleFunc("POST /dang-xuat", s.logout)
	mux.HandleFunc("GET /bang", s.board)
	mux.HandleFunc("POST /nhac", s.remind)
	mux.HandleFunc("POST /lien-ket", s.linkAction)
	mux.HandleFunc("POST /lap-bao-cao", s.makeReport)
	mux.HandleFunc("POST /lap-bao-cao-khoang", s.makeSpanReport)
	mux.HandleFunc("GET /bao-cao/{ky}/{loai}", s.report)
	mux.HandleFunc("GET /so-lieu", s.figures)
	return headers(mux)
}

// headers sets what every answer carries: no framing, no sniffing, no referrer to
// another site (a unit's link is in the address bar and must not leak), nothing
// loaded from anywhere but the page itself, and nothing cached of pages that show a
// unit's files.
func headers(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hd := w.Header()
		hd.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'; base-uri 'none'")
		hd.Set("X-Content-Type-Options", "nosniff")
		hd.Set("X-Frame-Options", "DENY")
		hd.Set("Referrer-Policy", "same-origin")
		hd.Set("Cache-Control", "no-store")
		if r.TLS != nil {
			hd.Set("Strict-Transport-Security", "max-age=31536000")
		}
		h.ServeHTTP(w, r)
	})
}

// Serve listens on web.listen (HTTPS with the office's certificate when
// configured) until ctx ends, then shuts down, letting uploads in progress finish.
func (s *Server) Serve(ctx context.Context) error {
	srv := &http.Server{Addr: s.web.Listen, Handler: s.Handler(), ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout: 5 * time.Minute, WriteTimeout: 5 * time.Minute, IdleTimeout: 2 * time.Minute,
		ErrorLog: slog.NewLogLogger(s.opt.Log.Handler(), slog.LevelWarn)}
	errc := make(chan error, 1)
	go func() {
		var err error
		if s.web.CertFile != "" {
			err = srv.ListenAndServeTLS(s.web.CertFile, s.web.KeyFile)
		} else {
			err = srv.ListenAndServe()
		}
		errc <- err
	}()
	s.opt.Log.Info("trang web đã mở", "url", s.URL())
	select {
	case err := <-errc:
		return fmt.Errorf("trang web %s: %w", s.web.Listen, err)
	case <-ctx.Done():
	}
	shut, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	err := srv.Shutdown(shut)
	<-errc
	return err
}

func (s *Server) home(w http.ResponseWriter, r *http.Request) {
	http.Redirect(w, r, "/bang", http.StatusSeeOther)
}

// render writes a page; a template error is logged (the page is half-written by then).
func (s *Server) render(w http.ResponseWriter, status int, name string, data any) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	if err := s.tmpl.ExecuteTemplate(w, name, data); err != nil {
		s.opt.Log.Error("trang web: không hiện được trang", "page", name, "err", err)
	}
}

// fail shows a short Vietnamese message on the page's frame.
func (s *Server) fail(w http.ResponseWriter, status int, msg string) {
	s.render(w, status, "loi.html", map[string]any{"Title": "Không thực hiện được", "Message": msg})
}
