package web

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"golang.org/x/text/unicode/norm"

	"canbo/pipeline/history"
	"canbo/pipeline/inbox"
	"canbo/pipeline/schema"
	"canbo/pipeline/textfold"
)

// Login rate limiting, in failureWindow. A lock by user name alone would let
// anyone on the office network lock a colleague out by typing her name five times
// with a wrong password, so the limits are:
//   - maxPairFailures per (name, address): a machine guessing one name is stopped,
//     the right password included, while the owner of the name logs in from her own;
//   - maxAddrFailures per address, whatever the names: a machine trying many names;
//   - maxNameFailures per name, from all addresses together: a name guessed from many
//     machines is refused only to the machines that have failed for it; a machine
//     with no failure for it (the owner's) still logs in with the right password.
//     "A machine" here is an IPv4 address, but an IPv6 address's /64 (netOf): a
//     machine on an IPv6 network takes any address of its /64 at will, and each
//     fresh one would otherwise be a machine with no failure, one more guess each.
//
// Guessing is thus bounded by machines, not by names, and no one can lock out a
// user who types her password right on her own machine (on an IPv6 network, while
// her name is not under attack from her own /64).
const (
	maxPairFailures = 5
	maxAddrFailures = 20
	maxNameFailures = 30
	failureWindow   = 15 * time.Minute
)

// sessionCookie names the office's session cookie. Under HTTPS it is
// "__Host-canbo": the prefix makes the browser refuse it unless Secure, path /, and
// set by this host.
func (s *Server) sessionCookie() string {
	if s.web.CertFile != "" {
		return "__Host-canbo"
	}
	return "canbo"
}

// dummyHash is verified against when the user name is unknown, so that a wrong name
// takes as long as a wrong password and names cannot be found by timing.
const dummyHash = "$argon2id$v=19$m=65536,t=3,p=2$c29tZXNhbHRzb21lc2FsdA$ZmFrZWtleWZha2VrZXlmYWtla2V5ZmFrZWtleTA"

type loginView struct {
	Title, Message, User string
}

func (s *Server) loginPage(w http.ResponseWriter, r *http.Request) {
	s.render(w, http.StatusOK, "dangnhap.html", loginView{Title: "Đăng nhập"})
}

func (s *Server) login(w http.ResponseWriter, r *http.Request) {
	if !sameOrigin(r) {
		s.fail(w, http.StatusForbidden, "Yêu cầu không đến từ trang của canbo.")
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	name := norm.NFC.String(strings.TrimSpace(r.PostFormValue("ten")))
	password := r.PostFormValue("mat-khau")
	ctx := r.Context()
	addr := clientAddr(r)
	lower := strings.ToLower(name)
	keys := []string{"pair:" + addr + " " + lower, "addr:" + addr, "user:" + lower, "net:" + netOf(addr) + " " + lower}
	since := s.opt.Now().Add(-failureWindow)
	user, good, locked, err := s.tryLogin(ctx, name, password, since, keys)
	if err != nil {
		s.opt.Log.Error("trang web: không đọc được số lần đăng nhập sai", "err", err)
		s.fail(w, http.StatusInternalServerError, "Máy chủ đang có lỗi; hãy thử lại sau.")
		return
	}
	if counts := locked; counts != nil {
		msg := lockedOut(counts[0], counts[1], counts[2], counts[3])
		s.opt.Log.Warn("trang web: đăng nhập bị chặn vì sai nhiều lần", "user", name, "addr", addr,
			"failures_pair", counts[0], "failures_addr", counts[1], "failures_user", counts[2])
		s.render(w, http.StatusTooManyRequests, "dangnhap.html", loginView{Title: "Đăng nhập", Message: msg, User: name})
		return
	}
	if !good {
		s.opt.Log.Warn("trang web: đăng nhập sai", "user", name, "addr", addr)
		s.render(w, http.StatusUnauthorized, "dangnhap.html", loginView{Title: "Đăng nhập", Message: "Sai tên đăng nhập hoặc mật khẩu.", User: name})
		return
	}
	token := newToken()
	sess := history.Session{IDHash: hashToken(token), User: user.Name, CSRF: newToken(), ExpiresAt: s.opt.Now().Add(s.sessionFor)}
	if err := s.opt.DB.CreateSession(ctx, sess); err != nil {
		s.opt.Log.Error("trang web: không tạo được phiên đăng nhập", "err", err)
		s.fail(w, http.StatusInternalServerError, "Máy chủ đang có lỗi; hãy thử lại sau.")
		return
	}
	s.opt.Log.Info("trang web: đăng nhập", "user", user.Name, "addr", addr)
	// A browser-session cookie: the database ends it at ExpiresAt, or at logout.
	http.SetCookie(w, &http.Cookie{Name: s.sessionCookie(), Value: token, Path: "/", HttpOnly: true, Secure: s.web.CertFile != "",
		SameSite: http.SameSiteStrictMode})
	http.Redirect(w, r, "/bang", http.StatusSeeOther)
}

// tryLogin checks the failures counted under keys since since and, unless they lock
// the login out (then they are returned as locked), verifies the password, recording a
// failure under every key. Counting, verifying and recording happen while holding a
// slot of s.kdf: were the count read before waiting for a slot, a burst of guesses
// sent at once would all find the count under the limit before the first failure was
// recorded, and the limit would stop none of them. Holding the slot, at most
// cap(s.kdf)-1 guesses pass a limit just reached.
func (s *Server) tryLogin(ctx context.Context, name, password string, since time.Time, keys []string) (user schema.WebUser, good bool, locked []int, err error) {
	s.kdf <- struct{}{}
	defer func() { <-s.kdf }()
	counts, err := s.opt.DB.LoginFailures(ctx, since, keys...)
	if err != nil {
		return user, false, nil, err
	}
	if lockedOut(counts[0], counts[1], counts[2], counts[3]) != "" {
		return user, false, counts, nil
	}
	user, ok := s.user(name)
	hash := dummyHash
	if ok {
		hash = user.PasswordHash
	}
	if verifyPassword(hash, password) && ok {
		return user, true, nil, nil
	}
	if _, err := s.opt.DB.LoginFailed(ctx, since, keys...); err != nil {
		s.opt.Log.Error("trang web: không ghi được lần đăng nhập sai", "err", err)
	}
	return user, false, nil, nil
}

// lockedOut says why a login is refused, unread, given the failures in the window
// of its (name, address) pair, of its address, of its name, and of its name from
// its address's network (netOf); "" lets it be tried.
func lockedOut(pair, addr, name, net int) string {
	minutes := int(failureWindow / time.Minute)
	switch {
	case pair >= maxPairFailures:
		return fmt.Sprintf("Đăng nhập sai quá %d lần từ máy này; hãy thử lại sau %d phút.", maxPairFailures, minutes)
	case addr >= maxAddrFailures:
		return fmt.Sprintf("Máy này đã đăng nhập sai quá %d lần; hãy thử lại sau %d phút.", maxAddrFailures, minutes)
	case name >= maxNameFailures && (pair > 0 || net > 0):
		return fmt.Sprintf("Tên đăng nhập này vừa bị thử sai nhiều lần từ nhiều máy, nên tạm thời chỉ đăng nhập được từ máy chưa gõ sai lần nào; "+
			"hãy thử lại sau %d phút, hoặc báo bộ phận tin học.", minutes)
	}
	return ""
}

// user finds an office account by name, ignoring case and how its marks were typed
// (a name with diacritics, "Lân", may come precomposed or with combining marks).
func (s *Server) user(name string) (schema.WebUser, bool) {
	name = norm.NFC.String(name)
	for _, u := range s.web.Users {
		if strings.EqualFold(norm.NFC.String(strings.TrimSpace(u.Name)), name) && name != "" {
			if u.Role == "" {
				u.Role = RoleStaff
			}
			return u, true
		}
	}
	return schema.WebUser{}, false
}

// clientAddr is the request's address without its port. The page is reached
// directly on the office network, so no forwarding header is trusted.
func clientAddr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// netOf is what the per-name limit counts a machine by (its "net:" key): an IPv4
// address itself, an IPv6 address's /64 network, the addresses one machine may take
// at will (privacy addresses, or any it adds). The other limits keep the address:
// an office LAN is one /64, and counting it as one machine would let one colleague's
// wrong passwords lock everyone out.
func netOf(addr string) string {
	ip, err := netip.ParseAddr(addr)
	if err != nil {
		return addr
	}
	ip = ip.Unmap()
	if !ip.Is6() {
		return ip.String()
	}
	p, err := ip.WithZone("").Prefix(64)
	if err != nil {
		return addr
	}
	return p.String()
}

// session finds the request's session; without one it sends the browser to the
// login page and reports false.
func (s *Server) session(w http.ResponseWriter, r *http.Request) (history.Session, schema.WebUser, bool) {
	c, err := r.Cookie(s.sessionCookie())
	if err == nil {
		sess, err := s.opt.DB.SessionByID(r.Context(), hashToken(c.Value))
		if err == nil {
			if u, ok := s.user(sess.User); ok {
				return sess, u, true
			}
		} else if !errors.Is(err, history.ErrNoSession) {
			s.opt.Log.Error("trang web: không đọc được phiên đăng nhập", "err", err)
		}
	}
	if r.Method == http.MethodGet {
		http.Redirect(w, r, "/dang-nhap", http.StatusSeeOther)
	} else {
		s.fail(w, http.StatusUnauthorized, "Phiên đăng nhập đã hết; hãy đăng nhập lại.")
	}
	return history.Session{}, schema.WebUser{}, false
}

// checkCSRF accepts a POST of a logged-in page only with the session's own token.
func (s *Server) checkCSRF(w http.ResponseWriter, r *http.Request, sess history.Session) bool {
	got := r.PostFormValue("csrf")
	if !sameOrigin(r) || got == "" || subtle.ConstantTimeCompare([]byte(got), []byte(sess.CSRF)) != 1 {
		s.opt.Log.Warn("trang web: yêu cầu bị từ chối (mã chống giả mạo sai)", "addr", clientAddr(r), "path", r.URL.Path)
		s.fail(w, http.StatusForbidden, "Yêu cầu không hợp lệ (mã chống giả mạo sai). Hãy tải lại trang rồi làm lại.")
		return false
	}
	return true
}

// officePost admits a form posted from a logged-in page: a live session, its CSRF
// token, and, for what only staff may do, the staff role (else the refusal given,
// in words a leader understands); "" lets every role in.
func (s *Server) officePost(w http.ResponseWriter, r *http.Request, staffOnly string) (history.Session, schema.WebUser, bool) {
	sess, user, ok := s.session(w, r)
	if !ok {
		return sess, user, false
	}
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	if !s.checkCSRF(w, r, sess) {
		return sess, user, false
	}
	if staffOnly != "" && user.Role != RoleStaff {
		s.fail(w, http.StatusForbidden, staffOnly)
		return sess, user, false
	}
	return sess, user, true
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request) {
	sess, _, ok := s.officePost(w, r, "")
	if !ok {
		return
	}
	if err := s.opt.DB.DeleteSession(r.Context(), sess.IDHash); err != nil {
		s.opt.Log.Error("trang web: không xóa được phiên đăng nhập", "err", err)
	}
	http.SetCookie(w, &http.Cookie{Name: s.sessionCookie(), Value: "", Path: "/", MaxAge: -1, HttpOnly: true,
		Secure: s.web.CertFile != "", SameSite: http.SameSiteStrictMode})
	http.Redirect(w, r, "/dang-nhap", http.StatusSeeOther)
}

// Board statuses of a unit.
const (
	BoardAccepted = "accepted" // its current file has no error
	BoardProblems = "problems" // its current file has errors to fix
	BoardRejected = "rejected" // it sent only files that could not be used
	BoardMissing  = "missing"  // nothing yet
)

// boardRow is one registered unit on the board.
type boardRow struct {
	Unit, Group string
	MustSend    bool
	Status      string
	StatusText  string
	At          time.Time
	File        string
	Errors      int
	Reminded    time.Time // the last reminder sent for the period
	LinkSince   time.Time // when its live link was made; zero for none
}

type boardView struct {
	Title, User, Role, CSRF, Period string
	Deadline                        time.Time
	Rows                            []boardRow
	Sent, Missing, MustSend         int
	Unregistered                    []string // units read in files that the registry does not know
	CanRemind                       bool     // staff, and a mail server to send through
	CanMake                         bool     // staff: may make the report now
	Staff                           bool     // may make and revoke units' links
	LinkUnit, NewLink               string   // after a link was made (shown once) or revoked
	Reports                         []reportLink
	Spans                           []spanReport            // reports over spans of months in OUT, newest first
	SpanJobs                        []string                // serve.yaml's span reports the user may make now
	SpanMade                        string                  // after a span report was made: which
	Quarantined                     []inbox.QuarantinedFile // the period's files that could not be used, with why
	Reminded                        string                  // after a click: how many reminders were queued
	NoAddress                       string                  // units to remind that have no address
	Filter                          boardFilter             // the rows asked for; the counts above are of all
	Statuses                        []statusOption          // the filter's choices
	Total                           int                     // units on the board before the filter
}

// boardFilter picks rows of the board: a status (a Board constant, "" for all) and
// words of the unit's name or group, matched without diacritics or case, so that
// "bang phuc" finds "UBND xã Bằng Phúc" on a keyboard without Vietnamese input.
type boardFilter struct {
	Status, Name string
}

// statusOption is one choice of the filter's status list.
type statusOption struct {
	Value, Label string
}

var boardStatuses = []statusOption{{"", "Tất cả"}, {BoardMissing, "Chưa gửi"}, {BoardProblems, "Có lỗi cần sửa"},
	{BoardRejected, "Tệp không dùng được"}, {BoardAccepted, "Đã nhận"}}

// maxSearch bounds the name searched for, in runes.
const maxSearch = 100

// filterOf reads the board's filter from a request (the board's GET form, or the
// hidden fields of a form posted from a filtered board); ok is false for a status
// the board does not have.
func filterOf(r *http.Request) (boardFilter, bool) {
	f := boardFilter{Status: r.FormValue("tinh-trang"), Name: strings.TrimSpace(r.FormValue("ten"))}
	if rs := []rune(f.Name); len(rs) > maxSearch {
		f.Name = string(rs[:maxSearch])
	}
	return f, slices.ContainsFunc(boardStatuses, func(o statusOption) bool { return o.Value == f.Status })
}

// On says whether the filter leaves any row out.
func (f boardFilter) On() bool { return f.Status != "" || f.Name != "" }

// keep reports whether a row passes the filter.
func (f boardFilter) keep(r boardRow) bool {
	if f.Status != "" && r.Status != f.Status {
		return false
	}
	if f.Name == "" {
		return true
	}
	want := textfold.Key(f.Name)
	return strings.Contains(textfold.Key(r.Unit), want) || (r.Group != "" && strings.Contains(textfold.Key(r.Group), want))
}

var periodRe = regexp.MustCompile(`^[0-9]{4}-(0[1-9]|1[0-2])$`)

func (s *Server) board(w http.ResponseWriter, r *http.Request) {
	sess, user, ok := s.session(w, r)
	if !ok {
		return
	}
	s.showBoard(w, r, sess, user, nil)
}

// showBoard renders the board of the period the request asks for (?ky=), the one
// being collected by default; then lets more be said on it.
func (s *Server) showBoard(w http.ResponseWriter, r *http.Request, sess history.Session, user schema.WebUser, more func(*boardView)) {
	period, deadline := s.period()
	collecting := true // the period being collected, which reminders are about
	if p := r.URL.Query().Get("ky"); p != "" {
		if !periodRe.MatchString(p) {
			s.fail(w, http.StatusBadRequest, "Kỳ phải có dạng YYYY-MM, ví dụ 2023-09.")
			return
		}
		if p != period {
			period, deadline, collecting = p, time.Time{}, false
		}
	}
	filter, ok := filterOf(r)
	if !ok {
		s.fail(w, http.StatusBadRequest, "Tình trạng để lọc không có; hãy chọn trong danh sách.")
		return
	}
	v, err := s.boardOf(r.Context(), period)
	if err != nil {
		s.opt.Log.Error("trang web: không lập được bảng theo dõi", "period", period, "err", err)
		s.fail(w, http.StatusInternalServerError, "Không đọc được thư mục lưu trữ; xem nhật ký của canbo.")
		return
	}
	v.Filter, v.Statuses, v.Total = filter, boardStatuses, len(v.Rows)
	if filter.On() {
		v.Rows = slices.DeleteFunc(v.Rows, func(row boardRow) bool { return !filter.keep(row) })
	}
	v.Title, v.User, v.Role, v.CSRF, v.Deadline = "Theo dõi kỳ "+period, user.Name, user.Role, sess.CSRF, deadline
	v.Staff = user.Role == RoleStaff
	v.CanRemind = v.Staff && s.opt.Enqueue != nil && collecting
	v.CanMake = v.Staff && s.opt.RunNow != nil
	v.Reports = s.reportsOf(period)
	if v.Spans, err = s.spanReports(); err != nil {
		// The board is for collecting; a report folder it cannot list does not stop it.
		s.opt.Log.Error("trang web: không liệt kê được báo cáo theo khoảng", "err", err)
	}
	v.SpanJobs, v.SpanMade = s.spanJobs(user), s.spanMade(r.URL.Query().Get("da-lap"))
	if n := r.URL.Query().Get("da-nhac"); n != "" {
		if _, err := strconv.Atoi(n); err == nil {
			v.Reminded, v.NoAddress = n, r.URL.Query().Get("chua-co-dia-chi")
		}
	}
	if more != nil {
		more(&v)
	}
	s.render(w, http.StatusOK, "bang.html", v)
}

// boardOf works out every registered unit's state in period from the archive (the
// authority on what was taken), the quarantine and the page's uploads.
func (s *Server) boardOf(ctx context.Context, period string) (boardView, error) {
	sv := s.opt.Config.Serve
	reg := s.opt.Config.Units.Registry()
	v := boardView{Period: period}
	rows := make([]boardRow, len(s.opt.Config.Units.Units))
	for i, u := range s.opt.Config.Units.Units {
		rows[i] = boardRow{Unit: u.Name.Value, Group: u.Group.Value, MustSend: u.MustSend, Status: BoardMissing}
	}
	index := func(name, group string) int {
		if reg.Len() == 0 {
			return -1
		}
		return reg.Find(name, group, false).Unit
	}
	current, _, err := inbox.Current(sv.Archive, period, s.opt.Config.Units.Registry())
	if err != nil && !os.IsNotExist(err) {
		return v, err
	}
	unknown := map[string]bool{}
	for _, a := range current {
		i := index(a.Unit, groupOf(a.InboxPath))
		if i < 0 || i >= len(rows) {
			if k := textfold.UnitKey(a.Unit); !unknown[k] {
				unknown[k] = true
				v.Unregistered = append(v.Unregistered, a.Unit)
			}
			continue
		}
		row := &rows[i]
		if a.ReceivedAt.After(row.At) {
			row.At, row.File = a.ReceivedAt, a.OriginalName
		}
		row.Errors += a.Errors
		row.Status = BoardAccepted
		if row.Errors > 0 {
			row.Status = BoardProblems
		}
	}
	// Files the page took for a unit and the inbox rejected: the quarantine does not
	// know whose they are, the page does.
	for i := range rows {
		if rows[i].Status != BoardMissing {
			continue
		}
		ups, err := s.opt.DB.Uploads(ctx, rows[i].Unit, time.Time{})
		if err != nil {
			return v, err
		}
		for _, u := range ups {
			if u.Period == period && (u.Status == inbox.Rejected || u.Status == StatusRefused) {
				rows[i].Status, rows[i].At, rows[i].File = BoardRejected, u.At, u.Name
				break
			}
		}
	}
	if v.Quarantined, err = inbox.Quarantined(sv.Quarantine, period); err != nil {
		return v, err
	}
	reminded, err := s.opt.DB.LastReminders(ctx, period)
	if err != nil {
		return v, err
	}
	links, err := s.opt.DB.Links(ctx)
	if err != nil {
		return v, err
	}
	live := map[string]time.Time{}
	for _, l := range links {
		if l.RevokedAt.IsZero() {
			live[l.Unit] = l.CreatedAt
		}
	}
	for i := range rows {
		r := &rows[i]
		r.Reminded, r.LinkSince = reminded[r.Unit].At, live[r.Unit]
		r.StatusText = map[string]string{BoardAccepted: "Đã nhận", BoardProblems: "Có lỗi cần sửa",
			BoardRejected: "Tệp không dùng được", BoardMissing: "Chưa gửi"}[r.Status]
		if r.MustSend {
			v.MustSend++
			if r.Status == BoardMissing || r.Status == BoardRejected {
				v.Missing++
			}
		}
		if r.Status == BoardAccepted || r.Status == BoardProblems {
			v.Sent++
		}
	}
	v.Rows = rows
	return v, nil
}
