package serve

// HTTP-level tests of the web page (package web) wired into canbo serve: the real
// handler over httptest, real folders, the real configuration and sample workbooks;
// the upload goes through the Service's own take.

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"html"
	"io"
	"maps"
	"mime/multipart"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/unicode/norm"

	"canbo/pipeline/checktext"
	"canbo/pipeline/history"
	"canbo/pipeline/inbox"
	"canbo/pipeline/ingest"
	"canbo/pipeline/normalize"
	"canbo/pipeline/schema"
	"canbo/pipeline/web"
)

const (
	webUnit   = "UBND xã Bằng Phúc"
	webSample = "cho-don/UBND xã Bằng Phúc.xlsx"
	otherUnit = "UBND xã Bình Trung"
	webUser   = "lan"
	webPass   = "mật khẩu thử 2023"
	leaderPw  = "lãnh đạo xem 2023"
)

// webHashes are the office's password hashes, made once (argon2id takes a while).
var webHashes = sync.OnceValues(func() (string, error) { return web.HashPassword(webPass) })
var leaderHash = sync.OnceValues(func() (string, error) { return web.HashPassword(leaderPw) })

// webOffice is an office whose canbo serve has the web page, served by httptest.
type webOffice struct {
	*office
	srv *httptest.Server
}

func newWebOffice(t *testing.T, adjust ...func(*schema.Web)) *webOffice {
	t.Helper()
	return newWebOfficeServe(t, nil, adjust...)
}

// newWebOfficeServe is newWebOffice with more of serve.yaml changed (span_reports).
func newWebOfficeServe(t *testing.T, serve func(*schema.Serve), adjust ...func(*schema.Web)) *webOffice {
	t.Helper()
	h1, err := webHashes()
	if err != nil {
		t.Fatal(err)
	}
	h2, err := leaderHash()
	if err != nil {
		t.Fatal(err)
	}
	o := newOffice(t, func(s *schema.Serve) {
		s.Web = schema.Web{Listen: "127.0.0.1:8080", Users: []schema.WebUser{
			{Name: webUser, Role: "staff", PasswordHash: h1}, {Name: "giamdoc", Role: "leader", PasswordHash: h2}}}
		for _, a := range adjust {
			a(&s.Web)
		}
		if serve != nil {
			serve(s)
		}
	})
	o.svc = o.open()
	o.cancel, o.done = func() {}, make(chan error, 1)
	o.done <- nil
	w := &webOffice{office: o, srv: httptest.NewServer(o.svc.web.Handler())}
	t.Cleanup(w.srv.Close)
	return w
}

// link makes a unit's link and returns its path on the test server.
func (w *webOffice) link(unit string) string {
	w.t.Helper()
	u, err := web.NewLink(context.Background(), w.svc.db, w.cfg, unit)
	if err != nil {
		w.t.Fatal(err)
	}
	p, err := url.Parse(u)
	if err != nil {
		w.t.Fatal(err)
	}
	return p.Path
}

// get fetches a path, following redirects.
func (w *webOffice) get(c *http.Client, p string) (int, string) {
	w.t.Helper()
	code, b, _ := w.download(c, p)
	return code, html.UnescapeString(string(b))
}

// download is a GET of p as bytes, with the response's Content-Type: a report file.
func (w *webOffice) download(c *http.Client, p string) (int, []byte, string) {
	w.t.Helper()
	res, err := c.Get(w.srv.URL + p)
	if err != nil {
		w.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, b, res.Header.Get("Content-Type")
}

// upload sends a file as the unit page's form does; the page it lands on.
func (w *webOffice) upload(c *http.Client, link, name string, data []byte, header ...string) (int, string, string) {
	w.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, err := mw.CreateFormFile("tep", name)
	if err != nil {
		w.t.Fatal(err)
	}
	fw.Write(data)
	mw.Close()
	req, _ := http.NewRequest(http.MethodPost, w.srv.URL+link+"/gui", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	res, err := c.Do(req)
	if err != nil {
		w.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, html.UnescapeString(string(b)), res.Request.URL.Path
}

// postForm posts a form as a browser would; the status and the page it lands on.
func (w *webOffice) postForm(c *http.Client, p string, form url.Values) (int, string) {
	w.t.Helper()
	res, err := c.PostForm(w.srv.URL+p, form)
	if err != nil {
		w.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, html.UnescapeString(string(b))
}

// withCell is a sample workbook with one cell changed ("" is the first sheet).
func withCell(t *testing.T, data []byte, sheet, cell, value string) []byte {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	if sheet == "" {
		sheet = f.GetSheetName(0)
	}
	if err := f.SetCellStr(sheet, cell, value); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := f.Write(&out); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

// checkWords is what `canbo check` says of a file's problems, for comparing with the page.
func (w *webOffice) checkWords(name string, data []byte) []checktext.Problem {
	w.t.Helper()
	p := filepath.Join(w.t.TempDir(), name)
	if err := os.WriteFile(p, data, 0o600); err != nil {
		w.t.Fatal(err)
	}
	b, err := ingest.NewReader(normalize.New(w.cfg), ingest.Options{Now: w.schedClock.Now}).ReadAll(context.Background(), []string{p}, w.tools.Catalog)
	if err != nil {
		w.t.Fatal(err)
	}
	return checktext.Problems(b.Files[0].Issues, w.tools.Catalog, 0)
}

// TestWebUnitFlow: a unit opens its link, sends a file with a mistake, sees each
// problem in canbo check's words at its cell, downloads the marked workbook, sends
// the corrected file and sees which one counts. Both went through the inbox's path:
// archived with their sidecars under the unit's group, recorded in the history.
func TestWebUnitFlow(t *testing.T) {
	t.Parallel()
	w := newWebOffice(t)
	c := &http.Client{}
	link := w.link(webUnit)
	good := readSample(t, webSample)
	bad := withCell(t, good, "Danh sách", "E11", "Kinhh")

	code, page := w.get(c, link)
	if code != 200 || !strings.Contains(page, webUnit) || !strings.Contains(page, "Chưa có tệp nào") {
		t.Fatalf("unit page %d:\n%s", code, page)
	}

	code, page, at := w.upload(c, link, "Bằng Phúc - sai.xlsx", bad)
	if code != 200 || !strings.Contains(at, "/tep/") {
		t.Fatalf("upload: %d at %s:\n%s", code, at, page)
	}
	want := w.checkWords("Bằng Phúc - sai.xlsx", bad)
	if len(want) == 0 {
		t.Fatal("canbo check finds nothing wrong with the changed sample")
	}
	for _, p := range want {
		if !strings.Contains(page, p.Where) || !strings.Contains(page, p.Message) {
			t.Errorf("the page lacks %s %q:\n%s", p.Where, p.Message, page)
		}
	}
	for _, s := range []string{"còn 1 lỗi cần sửa", `Trang "Danh sách"`, "20 người", "Cột đã nhận"} {
		if !strings.Contains(page, s) {
			t.Errorf("the page lacks %q", s)
		}
	}
	fb := regexp.MustCompile(`href="(/u/[^"]+/phan-hoi/\d+)"`).FindStringSubmatch(page)
	if fb == nil {
		t.Fatalf("no feedback link on the page:\n%s", page)
	}
	res, err := c.Get(w.srv.URL + fb[1])
	if err != nil {
		t.Fatal(err)
	}
	marked, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || !strings.Contains(res.Header.Get("Content-Disposition"), "attachment") {
		t.Fatalf("feedback download: %d %v", res.StatusCode, res.Header)
	}
	if f, err := excelize.OpenReader(bytes.NewReader(marked)); err != nil {
		t.Fatalf("the feedback workbook does not open: %v", err)
	} else if v, _ := f.GetCellValue("Danh sách", "E11"); v != "Kinhh" {
		t.Errorf("feedback E11 = %q", v)
	}

	w.inClock.Advance(time.Hour) // the clerk fixes the file
	code, page, _ = w.upload(c, link, "UBND xã Bằng Phúc.xlsx", good)
	// The sample's DT-BD sheet has no level column: one warning (value-from-name) says
	// the level was read off the course names, and its feedback workbook shows where.
	if code != 200 || !strings.Contains(page, "Đã nhận. Không có lỗi; có 1 cảnh báo") || !strings.Contains(page, "từ tên lớp") {
		t.Fatalf("corrected upload %d:\n%s", code, page)
	}
	_, page = w.get(c, link)
	rows := regexp.MustCompile(`(?s)<tr class="(counts)?">\s*<td>([^<]+)</td>`).FindAllStringSubmatch(page, -1)
	if len(rows) != 2 || rows[0][1] != "counts" || rows[0][2] != "UBND xã Bằng Phúc.xlsx" || rows[1][1] != "" || rows[1][2] != "Bằng Phúc - sai.xlsx" {
		t.Errorf("files sent: %q\n%s", rows, page)
	}
	if !strings.Contains(page, "Đã được tệp mới hơn thay") {
		t.Errorf("the older file is not shown replaced:\n%s", page)
	}

	// The inbox's path: archived under the unit, with the group the registry gives it.
	current, older, err := inbox.Current(w.archive, "2023-09", w.cfg.Units.Registry())
	if err != nil || len(current) != 1 || len(older) != 1 {
		t.Fatalf("archive: %d current, %d older, %v", len(current), len(older), err)
	}
	if current[0].InboxPath != "cho-don/UBND xã Bằng Phúc.xlsx" || current[0].Unit != webUnit || older[0].Errors != 1 {
		t.Errorf("archived: %+v / %+v", current[0].Sidecar, older[0].Sidecar)
	}
	if got := w.received(); len(got) != 3 { // accepted, accepted, superseded
		t.Errorf("history received %d events: %+v", len(got), got)
	}
	if ents, _ := os.ReadDir(filepath.Join(w.state, web.StagingFolder)); len(ents) != 0 {
		t.Errorf("staging keeps %d entries", len(ents))
	}
}

// TestWebUnitIsolation: a unit reaches nothing of another's, a revoked link
// nothing at all, and a file of another unit is turned away before the archive.
func TestWebUnitIsolation(t *testing.T) {
	t.Parallel()
	w := newWebOffice(t)
	c := &http.Client{}
	mine, theirs := w.link(webUnit), w.link(otherUnit)
	good := readSample(t, webSample)
	bad := withCell(t, good, "Danh sách", "E11", "Kinhh")
	_, _, at := w.upload(c, mine, "sai.xlsx", bad)
	id := at[strings.LastIndex(at, "/")+1:]

	for _, p := range []string{theirs + "/tep/" + id, theirs + "/phan-hoi/" + id} {
		if code, page := w.get(c, p); code != 404 || strings.Contains(page, "Kinhh") || strings.Contains(page, "sai.xlsx") {
			t.Errorf("%s with another unit's link: %d\n%s", p, code, page)
		}
	}
	if _, page := w.get(c, theirs); strings.Contains(page, "sai.xlsx") {
		t.Errorf("another unit's page lists the file:\n%s", page)
	}

	// The other unit sends this unit's workbook: refused, nothing archived.
	code, page, at2 := w.upload(c, theirs, "UBND xã Bằng Phúc.xlsx", good)
	if code != 200 || !strings.Contains(page, "không phải của "+otherUnit) {
		t.Errorf("another unit's file: %d at %s\n%s", code, at2, page)
	}
	// A file that names its unit only by its file name, another unit's name: refused too.
	code, page, _ = w.upload(c, mine, "UBND xã Bình Trung.xlsx", readSample(t, "cho-don/UBND xã Bình Trung.xlsx"))
	if code != 200 || !strings.Contains(page, "tên tệp là tên của "+otherUnit) {
		t.Errorf("a file named after another unit: %d\n%s", code, page)
	}
	if cur, old, _ := inbox.Current(w.archive, "2023-09", w.cfg.Units.Registry()); len(cur)+len(old) != 1 {
		t.Errorf("the archive holds %d files, want the first alone", len(cur)+len(old))
	}

	// Revoked, then renewed: the old link is dead, the new one works.
	if _, n, err := web.RevokeLink(context.Background(), w.svc.db, w.cfg, webUnit); err != nil || n != 1 {
		t.Fatalf("revoke: %d %v", n, err)
	}
	for _, p := range []string{mine, mine + "/tep/" + id, mine + "/phan-hoi/" + id} {
		if code, _ := w.get(c, p); code != 404 {
			t.Errorf("%s after revoking: %d", p, code)
		}
	}
	if code, _, _ := w.upload(c, mine, "UBND xã Bằng Phúc.xlsx", good); code != 404 {
		t.Errorf("upload with a revoked link: %d", code)
	}
	renewed := w.link(webUnit)
	if code, page := w.get(c, renewed+"/tep/"+id); code != 200 || !strings.Contains(page, "Kinhh") {
		t.Errorf("renewed link: %d", code)
	}
	old := w.link(webUnit) // renewing again revokes the link before
	if code, _ := w.get(c, renewed); code != 404 {
		t.Errorf("a renewed-over link still works: %d", code)
	}
	if code, _ := w.get(c, old); code != 200 {
		t.Errorf("the newest link: %d", code)
	}
	links, _ := w.svc.db.Links(context.Background())
	for _, l := range links {
		if strings.Contains(mine+renewed+old, l.TokenHash) {
			t.Errorf("a token is stored in clear: %+v", l)
		}
	}
}

// TestWebSenderOfOthersPeople: a file whose rows name other units is not theirs.
// The district's Phòng Nội vụ sends the training register of all its communes, a
// school (units.yaml lists: learners) its class list with the learners' workplaces:
// both are taken under the sender, not refused as another unit's file.
func TestWebSenderOfOthersPeople(t *testing.T) {
	t.Parallel()
	w := newWebOffice(t)
	c := &http.Client{}
	for _, tc := range []struct{ unit, sample string }{
		{"Phòng Nội vụ huyện Chợ Đồn", "cho-don/Phòng Nội vụ - Sổ theo dõi đào tạo 2021-2023.xlsx"},
		{"Phân hiệu Đại học Đà Nẵng tại Kon Tum", "kon-tum/dai-hoc/Lớp Kinh tế phát triển.xlsx"},
	} {
		_, page, at := w.upload(c, w.link(tc.unit), filepath.Base(tc.sample), readSample(t, tc.sample))
		if strings.Contains(page, "không phải của") || !strings.Contains(at, "/tep/") {
			t.Errorf("%s sending %s: refused or not taken (at %s)\n%s", tc.unit, tc.sample, at, page)
		}
	}
}

// TestWebUploadLimits: too big, not a workbook, names and ids that try to climb out
// of canbo's folders, a request from another site.
func TestWebUploadLimits(t *testing.T) {
	t.Parallel()
	w := newWebOffice(t, func(s *schema.Web) { s.MaxUploadMB = 1 })
	c := &http.Client{}
	link := w.link(webUnit)
	good := readSample(t, webSample)

	big := append(bytes.Clone(good), make([]byte, 2<<20)...)
	if code, page, _ := w.upload(c, link, "to.xlsx", big); code != http.StatusRequestEntityTooLarge || !strings.Contains(page, "tối đa 1 MB") {
		t.Errorf("oversized: %d\n%s", code, page)
	}
	png := append([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), make([]byte, 100)...)
	if code, page, _ := w.upload(c, link, "anh.xlsx", png); code != http.StatusUnsupportedMediaType || !strings.Contains(page, "không phải bảng tính") {
		t.Errorf("an image named .xlsx: %d\n%s", code, page)
	}
	if code, _, _ := w.upload(c, link, "virus.exe", good); code != http.StatusUnsupportedMediaType {
		t.Errorf(".exe: %d", code)
	}
	if code, _, _ := w.upload(c, link, "UBND xã Bằng Phúc.xlsx", good, "Origin", "http://evil.example"); code != http.StatusForbidden {
		t.Errorf("a post from another site: %d", code)
	}
	if cur, old, _ := inbox.Current(w.archive, "2023-09", w.cfg.Units.Registry()); len(cur)+len(old) != 0 {
		t.Errorf("refused uploads reached the archive: %d", len(cur)+len(old))
	}

	// A name that climbs: kept to its last element, inside the archive.
	for _, name := range []string{`../../../../UBND xã Bằng Phúc.xlsx`, `..\..\UBND xã Bằng Phúc 2.xlsx`} {
		data := withCell(t, good, "Danh sách", "K11", name)
		if code, page, _ := w.upload(c, link, name, data); code != 200 {
			t.Errorf("upload %q: %d\n%s", name, code, page)
		}
	}
	cur, old, _ := inbox.Current(w.archive, "2023-09", w.cfg.Units.Registry())
	for _, a := range append(cur, old...) {
		if strings.Contains(a.OriginalName, "..") || strings.ContainsAny(a.InboxPath, `\`) || strings.Contains(a.InboxPath, "..") {
			t.Errorf("archived as %q from %q", a.OriginalName, a.InboxPath)
		}
	}
	if len(cur)+len(old) != 2 {
		t.Errorf("archive holds %d files, want 2", len(cur)+len(old))
	}
	for _, leak := range []string{filepath.Join(w.root, "UBND xã Bằng Phúc.xlsx"), filepath.Join(w.state, "UBND xã Bằng Phúc.xlsx")} {
		if _, err := os.Stat(leak); err == nil {
			t.Errorf("a file was written outside canbo's folders: %s", leak)
		}
	}

	// Every parameter with a path in it: nothing found, nothing leaked.
	for _, p := range []string{
		link + "/tep/..%2f..%2f..%2fetc%2fpasswd", link + "/phan-hoi/..%2F..%2Fstate%2Fcanbo.db",
		link + "/phan-hoi/-1", link + "/tep/99999999999999999999",
		"/u/..%2f..%2fstate%2fcanbo.db", "/u/%2e%2e/phan-hoi/1", "/tai-nguyen/..%2f..%2fweb.go",
		"/tai-nguyen/../../serve.go", "/u/" + strings.Repeat("A", 43) + "/tep/1",
	} {
		code, page := w.get(c, p)
		if code == 200 || strings.Contains(page, "SQLite") || strings.Contains(page, "package ") || strings.Contains(page, "root:") {
			t.Errorf("%s: %d\n%.300s", p, code, page)
		}
	}
}

// TestWebUploadRateLimit: a link that has sent its allowance of files in ten
// minutes, or of megabytes in an hour, is refused with 429 and told, in Vietnamese,
// when it can send again; refused junk counts too; another unit's link is not
// touched; once the window has passed the link sends again.
func TestWebUploadRateLimit(t *testing.T) {
	t.Parallel()
	w := newWebOffice(t, func(s *schema.Web) { s.UploadsPer10Minutes = 3; s.MaxUploadMB = 1; s.UploadMBPerHour = 2 })
	c := &http.Client{}
	link, other := w.link(webUnit), w.link(otherUnit)
	good := readSample(t, webSample)
	for i := range 3 {
		if code, page, _ := w.upload(c, link, "UBND xã Bằng Phúc.xlsx", withCell(t, good, "Danh sách", "K11", fmt.Sprint("lần ", i))); code != 200 {
			t.Fatalf("upload %d: %d\n%s", i+1, code, page)
		}
	}
	// The clock stands at 20:00: the link sends again at 20:10.
	code, page, _ := w.upload(c, link, "UBND xã Bằng Phúc.xlsx", withCell(t, good, "Danh sách", "K11", "lần 4"))
	if code != http.StatusTooManyRequests || !strings.Contains(page, "tối đa 3 tệp trong 10 phút") || !strings.Contains(page, "gửi lại sau 20:10 (khoảng 10 phút nữa)") {
		t.Errorf("a fourth file in ten minutes: %d\n%s", code, page)
	}
	if ups, _ := w.svc.db.Uploads(context.Background(), webUnit, time.Time{}); len(ups) != 3 {
		t.Errorf("%d uploads recorded, want 3", len(ups))
	}
	if code, page, _ := w.upload(c, other, "UBND xã Bình Trung.xlsx", readSample(t, "cho-don/UBND xã Bình Trung.xlsx")); code != 200 {
		t.Errorf("another unit's link is refused too: %d\n%s", code, page)
	}
	w.schedClock.Advance(10 * time.Minute)
	if code, page, _ := w.upload(c, link, "UBND xã Bằng Phúc.xlsx", withCell(t, good, "Danh sách", "K11", "lần 5")); code != 200 {
		t.Errorf("ten minutes later: %d\n%s", code, page)
	}

	// Bytes: two junk files of 0.7 MB, refused as not workbooks, use up most of Bình
	// Trung's 2 MB an hour; a third cannot start until the first is an hour old.
	junk := append([]byte("\x89PNG\r\n\x1a\n"), make([]byte, 700<<10)...)
	for i := range 2 {
		if code, _, _ := w.upload(c, other, "anh.xlsx", junk); code != http.StatusUnsupportedMediaType {
			t.Fatalf("junk %d: %d", i+1, code)
		}
		w.schedClock.Advance(time.Minute)
	}
	code, page, _ = w.upload(c, other, "anh.xlsx", junk)
	if code != http.StatusTooManyRequests || !strings.Contains(page, "2 MB trong một giờ") || !strings.Contains(page, "gửi lại sau 21:10 (khoảng 58 phút nữa)") {
		t.Errorf("a third 0.7 MB in the hour: %d\n%s", code, page)
	}
	if code, page, _ := w.upload(c, link, "UBND xã Bằng Phúc.xlsx", withCell(t, good, "Danh sách", "K11", "lần 6")); code != 200 {
		t.Errorf("Bằng Phúc refused for Bình Trung's bytes: %d\n%s", code, page)
	}
}

// TestWebOffice: the board needs a session; passwords are checked with a rate limit;
// forms need the session's CSRF token; the board shows every registered unit.
func TestWebOffice(t *testing.T) {
	t.Parallel()
	w := newWebOffice(t)
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar}

	// No session: the login page, never the board.
	if code, page := w.get(c, "/bang"); code != 200 || !strings.Contains(page, "Đăng nhập") || strings.Contains(page, webUnit) {
		t.Fatalf("board without a session: %d\n%s", code, page)
	}
	// A forged cookie is no session either.
	u, _ := url.Parse(w.srv.URL)
	jar.SetCookies(u, []*http.Cookie{{Name: "canbo", Value: "gia-mao"}})
	if _, page := w.get(c, "/bang"); strings.Contains(page, webUnit) {
		t.Error("a made-up cookie opened the board")
	}

	login := func(name, pw string, header ...string) (int, string) {
		form := url.Values{"ten": {name}, "mat-khau": {pw}}
		req, _ := http.NewRequest(http.MethodPost, w.srv.URL+"/dang-nhap", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		for i := 0; i+1 < len(header); i += 2 {
			req.Header.Set(header[i], header[i+1])
		}
		res, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, html.UnescapeString(string(b))
	}
	if code, _ := login(webUser, webPass, "Origin", "http://evil.example"); code != http.StatusForbidden {
		t.Errorf("login posted from another site: %d", code)
	}
	if code, page := login(webUser, "sai"); code != http.StatusUnauthorized || !strings.Contains(page, "Sai tên đăng nhập hoặc mật khẩu") {
		t.Errorf("wrong password: %d", code)
	}
	if code, _ := login("khong-co", webPass); code != http.StatusUnauthorized {
		t.Errorf("unknown user: %d", code)
	}

	code, page := login(webUser, webPass)
	if code != 200 || !strings.Contains(page, "Kỳ 09/2023") {
		t.Fatalf("login: %d\n%s", code, page)
	}
	var sess *http.Cookie
	for _, ck := range jar.Cookies(u) {
		if ck.Name == "canbo" && ck.Value != "gia-mao" {
			sess = ck
		}
	}
	if sess == nil {
		t.Fatal("no session cookie")
	}

	// The board: every registered unit; one sent, the rest missing, the deadline.
	w.upload(&http.Client{}, w.link(webUnit), "UBND xã Bằng Phúc.xlsx", readSample(t, webSample))
	w.upload(&http.Client{}, w.link(otherUnit), "Bình Trung.xlsx", withCell(t, readSample(t, "cho-don/UBND xã Bình Trung.xlsx"), "", "E11", "Kinhh"))
	_, page = w.get(c, "/bang")
	rowOf := func(unit string) string {
		m := regexp.MustCompile(`<tr class="st-(\w+)[^"]*"><td>` + regexp.QuoteMeta(unit) + `</td>`).FindStringSubmatch(page)
		if m == nil {
			return ""
		}
		return m[1]
	}
	if got := rowOf(webUnit); got != web.BoardAccepted {
		t.Errorf("%s on the board: %q", webUnit, got)
	}
	if got := rowOf(otherUnit); got != web.BoardProblems { // its file, named "Bình Trung.xlsx", is filed under the unit
		t.Errorf("%s on the board: %q", otherUnit, got)
	}
	if got := rowOf("UBND xã Lương Bằng"); got != web.BoardMissing {
		t.Errorf("a unit that sent nothing: %q", got)
	}
	// "Phải gửi" says có or không for every unit, never a blank a clerk could read either way.
	for _, u := range w.cfg.Units.Units {
		want := "không"
		if u.MustSend {
			want = "có"
		}
		if !strings.Contains(page, "<td>"+u.Name.Value+"</td><td>"+want+"</td>") {
			t.Errorf("%s: the board does not say %q under Phải gửi", u.Name.Value, want)
		}
	}
	if n := strings.Count(page, "<tr class=\"st-"); n != len(w.cfg.Units.Units) {
		t.Errorf("the board lists %d units, the registry %d", n, len(w.cfg.Units.Units))
	}
	if !strings.Contains(page, "Hạn gửi: <b>07:00 01/10/2023</b>") {
		t.Errorf("no deadline on the board:\n%s", page)
	}
	// A file that cannot be used: the unit is told why, the office sees it in the quarantine.
	code, upage, _ := w.upload(&http.Client{}, w.link(webUnit), "có mật khẩu.xlsx", readSample(t, "loi-mau/mat-khau.xlsx"))
	if code != 200 || !strings.Contains(upage, "Tệp không dùng được.") || !strings.Contains(upage, "mật khẩu") {
		t.Errorf("a password-protected upload: %d\n%s", code, upage)
	}
	_, page = w.get(c, "/bang")
	if !regexp.MustCompile(`(?s)id="cach-ly".*cho-don/có mật khẩu\.xlsx</td><td>[^<]*mật khẩu`).MatchString(page) {
		t.Errorf("the board does not list the quarantined file with its reason:\n%s", page)
	}
	if code, _ := w.get(c, "/bang?ky=../../state"); code != http.StatusBadRequest {
		t.Errorf("a period with a path: %d", code)
	}

	// Logout needs the session's CSRF token.
	post := func(form url.Values) int {
		res, err := c.PostForm(w.srv.URL+"/dang-xuat", form)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.StatusCode
	}
	if code := post(url.Values{"csrf": {"gia-mao"}}); code != http.StatusForbidden {
		t.Errorf("forged CSRF: %d", code)
	}
	if code := post(nil); code != http.StatusForbidden {
		t.Errorf("no CSRF: %d", code)
	}
	if _, page := w.get(c, "/bang"); !strings.Contains(page, webUnit) {
		t.Error("a forged logout ended the session")
	}
	csrf := regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindStringSubmatch(page)
	if csrf == nil || post(url.Values{"csrf": {csrf[1]}}) != 200 {
		t.Fatal("logout with the right token failed")
	}
	// The old cookie is dead, even presented again.
	jar.SetCookies(u, []*http.Cookie{{Name: "canbo", Value: sess.Value}})
	if _, page := w.get(c, "/bang"); strings.Contains(page, webUnit) {
		t.Error("the session outlived its logout")
	}

	// Rate limit: after five wrong passwords even the right one is refused.
	for i := 0; i < 5; i++ {
		login("giamdoc", fmt.Sprint("sai ", i))
	}
	if code, page := login("giamdoc", leaderPw); code != http.StatusTooManyRequests || !strings.Contains(page, "thử lại sau 15 phút") {
		t.Errorf("sixth try: %d", code)
	}
	if code, _ := login("GiamDoc", leaderPw); code != http.StatusTooManyRequests {
		t.Errorf("the same name in capitals escapes the limit: %d", code)
	}
}

// TestWebLoginLockout: a machine on the office network that types a colleague's
// name with wrong passwords cannot lock her out: it is stopped itself after five,
// while she logs in from her own machine; a machine trying many names is stopped
// after twenty; a name guessed from many machines is refused to those that failed
// for it, never to a machine that did not. Each "machine" is its own loopback
// address (127.0.0.N), so the server sees the addresses as on a LAN.
func TestWebLoginLockout(t *testing.T) {
	t.Parallel()
	w := newWebOffice(t)
	from := func(n int) *http.Client {
		jar, _ := cookiejar.New(nil)
		d := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.IPv4(127, 0, 0, byte(n))}}
		return &http.Client{Jar: jar, Transport: &http.Transport{DialContext: d.DialContext}}
	}
	login := func(c *http.Client, name, pw string) (int, string) {
		t.Helper()
		return w.postForm(c, "/dang-nhap", url.Values{"ten": {name}, "mat-khau": {pw}})
	}
	if _, err := from(2).Get(w.srv.URL + "/dang-nhap"); err != nil {
		t.Skipf("no second loopback address here: %v", err)
	}

	attacker := from(2)
	for i := range 5 {
		if code, _ := login(attacker, webUser, fmt.Sprint("đoán ", i)); code != http.StatusUnauthorized {
			t.Fatalf("guess %d: %d", i+1, code)
		}
	}
	if code, page := login(attacker, webUser, webPass); code != http.StatusTooManyRequests || !strings.Contains(page, "từ máy này; hãy thử lại sau 15 phút") {
		t.Errorf("the guessing machine, sixth try: %d", code)
	}
	if code, page := login(from(1), webUser, webPass); code != 200 || !strings.Contains(page, `id="bang"`) {
		t.Errorf("the user on her own machine is locked out by another's guesses: %d", code)
	}

	// One machine, many names: twenty failures in all stop it for every name.
	for i := range 15 {
		login(attacker, fmt.Sprint("ten-", i), "đoán")
	}
	if code, page := login(attacker, "giamdoc", leaderPw); code != http.StatusTooManyRequests || !strings.Contains(page, "Máy này đã đăng nhập sai quá 20 lần") {
		t.Errorf("a machine after twenty failures on many names: %d", code)
	}

	// One name from many machines: thirty failures in all; a machine that failed for
	// it is refused even with the right password, one that did not gets in.
	for n := 10; n < 16; n++ {
		c := from(n)
		for i := range 5 {
			login(c, "giamdoc", fmt.Sprint("đoán ", n, i))
		}
	}
	once := from(16)
	login(once, "giamdoc", "gõ nhầm")
	if code, page := login(once, "giamdoc", leaderPw); code != http.StatusTooManyRequests || !strings.Contains(page, "chỉ đăng nhập được từ máy chưa gõ sai") {
		t.Errorf("a machine that failed once, while the name is under attack: %d\n%s", code, page)
	}
	if code, page := login(from(17), "giamdoc", leaderPw); code != 200 || !strings.Contains(page, `id="bang"`) {
		t.Errorf("a clean machine, while the name is under attack: %d", code)
	}
	// The window passes: the guessing machine may try again.
	w.schedClock.Advance(16 * time.Minute)
	if code, _ := login(attacker, webUser, webPass); code != 200 {
		t.Errorf("sixteen minutes later: %d", code)
	}
}

// TestWebUserNameMarks: a user name with diacritics logs in whether the keyboard
// types its marks precomposed or combining, and both count as one name for the limit.
func TestWebUserNameMarks(t *testing.T) {
	t.Parallel()
	hash, err := webHashes()
	if err != nil {
		t.Fatal(err)
	}
	w := newWebOffice(t, func(s *schema.Web) { s.Users = append(s.Users, schema.WebUser{Name: "Lân", PasswordHash: hash}) })
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar}
	decomposed := norm.NFD.String("lân")
	if code, page := w.postForm(c, "/dang-nhap", url.Values{"ten": {decomposed}, "mat-khau": {webPass}}); code != 200 || !strings.Contains(page, `id="bang"`) {
		t.Errorf("a name typed with combining marks: %d", code)
	}
	for i := range 5 {
		name := "lân"
		if i%2 == 1 {
			name = decomposed
		}
		w.postForm(&http.Client{}, "/dang-nhap", url.Values{"ten": {name}, "mat-khau": {"sai"}})
	}
	if code, _ := w.postForm(&http.Client{}, "/dang-nhap", url.Values{"ten": {"lân"}, "mat-khau": {webPass}}); code != http.StatusTooManyRequests {
		t.Errorf("failures typed both ways are counted apart: %d", code)
	}
}

// TestWebBoardFilter: the board's GET form narrows a registry of a hundred units to
// a status and to a name typed with or without diacritics, keeps the period, leaves
// the counts of the whole board, survives a link made on the filtered board, and
// refuses a status it does not have.
func TestWebBoardFilter(t *testing.T) {
	t.Parallel()
	w := newWebOffice(t)
	c, _ := w.login(webUser, webPass)
	w.upload(&http.Client{}, w.link(webUnit), "UBND xã Bằng Phúc.xlsx", readSample(t, webSample))
	w.upload(&http.Client{}, w.link(otherUnit), "Bình Trung.xlsx", withCell(t, readSample(t, "cho-don/UBND xã Bình Trung.xlsx"), "", "E11", "Kinhh"))
	rowRe := regexp.MustCompile(`<tr class="st-(\w+)[^"]*"><td>([^<]+)</td>`)
	rows := func(q string) (map[string]string, string) {
		t.Helper()
		code, page := w.get(c, "/bang"+q)
		if code != 200 {
			t.Fatalf("/bang%s: %d\n%s", q, code, page)
		}
		got := map[string]string{}
		for _, m := range rowRe.FindAllStringSubmatch(page, -1) {
			got[m[2]] = m[1]
		}
		return got, page
	}
	all, page := rows("")
	if len(all) != len(w.cfg.Units.Units) || strings.Contains(page, `id="ket-qua-loc"`) {
		t.Fatalf("the whole board lists %d of %d units", len(all), len(w.cfg.Units.Units))
	}
	missing := regexp.MustCompile(`id="chua-gui">(\d+)<`).FindStringSubmatch(page)

	for status, want := range map[string][]string{web.BoardProblems: {otherUnit}, web.BoardAccepted: {webUnit}, web.BoardRejected: nil} {
		got, _ := rows("?tinh-trang=" + status)
		if units := slices.Sorted(maps.Keys(got)); !slices.Equal(units, want) {
			t.Errorf("status %s: %v, want %v", status, units, want)
		}
	}
	got, page := rows("?ky=2023-09&tinh-trang=missing")
	if len(got) != len(all)-2 || got[webUnit] != "" || got[otherUnit] != "" {
		t.Errorf("missing: %d rows, of %d", len(got), len(all))
	}
	if !strings.Contains(page, fmt.Sprintf("Đang hiện %d trong %d đơn vị.", len(all)-2, len(all))) || !strings.Contains(page, `id="bo-loc"`) {
		t.Errorf("the filtered board does not say how many it shows")
	}
	if m := regexp.MustCompile(`id="chua-gui">(\d+)<`).FindStringSubmatch(page); m == nil || missing == nil || m[1] != missing[1] {
		t.Errorf("the filter changed the board's count of units missing: %v, %v", m, missing)
	}

	// Names: without diacritics, in capitals, or with them, the same units; a group's name too.
	plain, _ := rows("?ten=bang+phuc")
	if len(plain) != 1 || plain[webUnit] == "" {
		t.Errorf("'bang phuc': %v", slices.Sorted(maps.Keys(plain)))
	}
	folded, _ := rows("?ten=bang")
	marked, _ := rows("?ten=" + url.QueryEscape("BẰNG"))
	if len(folded) < 3 || !maps.Equal(folded, marked) {
		t.Errorf("'bang' %v, 'BẰNG' %v", slices.Sorted(maps.Keys(folded)), slices.Sorted(maps.Keys(marked)))
	}
	both, _ := rows("?tinh-trang=missing&ten=bang")
	if len(both) != len(folded)-1 || both[webUnit] != "" {
		t.Errorf("missing and 'bang': %v", slices.Sorted(maps.Keys(both)))
	}
	if got, page := rows("?ten=khong+co+don+vi+nay"); len(got) != 0 || !strings.Contains(page, "Không có đơn vị nào khớp") {
		t.Errorf("a name nobody has: %d rows", len(got))
	}

	// Another period: kept in the form, its own board.
	got, page = rows("?ky=2023-08&tinh-trang=missing")
	if len(got) != len(all) || !strings.Contains(page, "Kỳ 08/2023") || !strings.Contains(page, `name="ky" value="2023-08"`) ||
		!strings.Contains(page, `<option value="missing" selected>`) {
		t.Errorf("August's missing units: %d rows; period or status not kept in the form", len(got))
	}

	// A link made on a filtered board: the board comes back filtered.
	csrf := regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindStringSubmatch(page)[1]
	code, page := w.postForm(c, "/lien-ket", url.Values{"csrf": {csrf}, "don-vi": {"UBND xã Lương Bằng"}, "viec": {"tao"},
		"tinh-trang": {"missing"}, "ten": {"bang"}})
	if n := len(rowRe.FindAllString(page, -1)); code != 200 || n != len(both) || !strings.Contains(page, `id="lien-ket-moi"`) {
		t.Errorf("after a link on the filtered board: %d, %d rows, want %d", code, n, len(both))
	}

	if code, _ := w.get(c, "/bang?tinh-trang="+url.QueryEscape("<script>")); code != http.StatusBadRequest {
		t.Errorf("a status the board does not have: %d", code)
	}
	// The name searched for goes back into the form escaped (get would unescape it).
	res, err := c.Get(w.srv.URL + "/bang?ten=" + url.QueryEscape(`"><script>alert(1)</script>`))
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if strings.Contains(string(raw), "<script>alert") {
		t.Error("the name searched for is written into the page unescaped")
	}
}

// TestWebConcurrentUploads: a hundred units' clerks (here one unit's, the worst
// case: every file supersedes another) send at once; each file is archived once,
// recorded once, and exactly one counts.
func TestWebConcurrentUploads(t *testing.T) {
	t.Parallel()
	w := newWebOffice(t, func(s *schema.Web) { s.UploadsPer10Minutes = 100 })
	link := w.link(webUnit)
	good := readSample(t, webSample)
	const n = 100
	files := make([][]byte, n)
	for i := range files {
		files[i] = withCell(t, good, "Danh sách", "K11", fmt.Sprintf("bản %d", i))
	}
	var wg sync.WaitGroup
	codes := make([]int, n)
	for i := range files {
		wg.Add(1)
		go func() {
			defer wg.Done()
			codes[i], _, _ = w.upload(&http.Client{}, link, fmt.Sprintf("Bằng Phúc %d.xlsx", i), files[i])
		}()
	}
	wg.Wait()
	for i, c := range codes {
		if c != 200 {
			t.Errorf("upload %d: %d", i, c)
		}
	}
	cur, old, err := inbox.Current(w.archive, "2023-09", w.cfg.Units.Registry())
	if err != nil {
		t.Fatal(err)
	}
	if len(cur) != 1 || len(cur)+len(old) != n {
		t.Errorf("archive: %d current, %d older; want 1 and %d", len(cur), len(old), n-1)
	}
	seen := map[string]bool{}
	for _, a := range append(cur, old...) {
		if seen[a.SHA256] {
			t.Errorf("archived twice: %s", a.OriginalName)
		}
		seen[a.SHA256] = true
	}
	ups, err := w.svc.db.Uploads(context.Background(), webUnit, history.Upload{}.At)
	if err != nil || len(ups) != n {
		t.Errorf("%d uploads recorded, want %d (%v)", len(ups), n, err)
	}
	if ents, _ := os.ReadDir(filepath.Join(w.state, web.StagingFolder)); len(ents) != 0 {
		t.Errorf("staging keeps %d entries", len(ents))
	}
}

// login logs a user in on a client with a cookie jar and returns the board's page.
func (w *webOffice) login(name, password string) (*http.Client, string) {
	w.t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar}
	res, err := c.PostForm(w.srv.URL+"/dang-nhap", url.Values{"ten": {name}, "mat-khau": {password}})
	if err != nil {
		w.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode != 200 || !strings.Contains(string(b), `id="bang"`) {
		w.t.Fatalf("login %s: %d", name, res.StatusCode)
	}
	return c, html.UnescapeString(string(b))
}

// TestWebReminders: one click of office staff queues a reminder to each unit that
// must send and has not, with an address; the outbox delivers them to a real SMTP
// server; a second click the same day sends nothing more; a leader cannot send.
func TestWebReminders(t *testing.T) {
	t.Parallel()
	w := newWebOffice(t)
	// Sở Nội vụ (with an address) sends its file; Phòng Nội vụ huyện Chợ Đồn (with an
	// address) does not; the other units that must send have no address.
	w.upload(&http.Client{}, w.link("Sở Nội vụ"), "Sở Nội vụ.xlsx", readSample(t, "soc-trang/Sở Nội vụ.xlsx"))

	c, page := w.login(webUser, webPass)
	csrf := regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindStringSubmatch(page)
	if csrf == nil || !strings.Contains(page, `id="nhac"`) {
		t.Fatalf("no reminder button for staff:\n%s", page)
	}
	remind := func(c *http.Client, token string) (int, string) {
		res, err := c.PostForm(w.srv.URL+"/nhac", url.Values{"csrf": {token}})
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, html.UnescapeString(string(b))
	}
	if code, _ := remind(c, "gia-mao"); code != http.StatusForbidden {
		t.Errorf("reminders with a forged CSRF token: %d", code)
	}
	code, page := remind(c, csrf[1])
	if code != 200 || !strings.Contains(page, "Đã đưa 1 thư nhắc vào hộp thư đi") || !strings.Contains(page, "Chưa có địa chỉ thư") {
		t.Fatalf("reminders: %d\n%s", code, page)
	}
	if !regexp.MustCompile(`<td>Phòng Nội vụ huyện Chợ Đồn</td>.*đã nhắc`).MatchString(page) {
		t.Errorf("the board does not show the reminder")
	}
	if _, _, err := w.svc.outbox.Deliver(context.Background(), w.dialer); err != nil {
		t.Fatal(err)
	}
	got := w.mails(web.KindReminder)
	if len(got) != 1 || len(got[0].Envelope) != 1 || got[0].Envelope[0] != "phongnoivu.chodon@example.com" || !got[0].TLS {
		t.Fatalf("reminders at the server: %+v", got)
	}
	if m := got[0]; !strings.Contains(m.Subject, "Nhắc gửi danh sách cán bộ kỳ 09/2023") ||
		!strings.Contains(m.Body, "Kính gửi Phòng Nội vụ huyện Chợ Đồn") || !strings.Contains(m.Body, "Hạn gửi: 07:00 01/10/2023") {
		t.Errorf("reminder:\n%s\n%s", m.Subject, m.Body)
	}

	// Again the same day: nothing new.
	remind(c, csrf[1])
	if _, _, err := w.svc.outbox.Deliver(context.Background(), w.dialer); err != nil {
		t.Fatal(err)
	}
	if n := len(w.mails(web.KindReminder)); n != 1 {
		t.Errorf("a second click sent %d reminders in all", n)
	}

	// A leader reads only.
	lc, lpage := w.login("giamdoc", leaderPw)
	if strings.Contains(lpage, `id="nhac"`) {
		t.Error("a leader is offered the reminder button")
	}
	ltoken := regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindStringSubmatch(lpage)
	if code, _ := remind(lc, ltoken[1]); code != http.StatusForbidden {
		t.Errorf("a leader sending reminders: %d", code)
	}
	// No session: no reminders.
	if code, _ := remind(&http.Client{}, csrf[1]); code != http.StatusUnauthorized {
		t.Errorf("reminders without a session: %d", code)
	}
}

// TestWebReports: staff make the period's report now (a manual run, mailed to
// nobody); staff and leaders download it; nothing else of the report folder, and
// nothing without a session.
func TestWebReports(t *testing.T) {
	t.Parallel()
	w := newWebOffice(t)
	w.upload(&http.Client{}, w.link(webUnit), "UBND xã Bằng Phúc.xlsx", readSample(t, webSample))
	c, page := w.login(webUser, webPass)
	if !strings.Contains(page, "chưa lập") || !strings.Contains(page, `id="lap-bao-cao"`) {
		t.Fatalf("board before the report:\n%s", page)
	}
	csrf := regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindStringSubmatch(page)[1]
	makeReport := func(c *http.Client, token, period string) (int, string) {
		return w.postForm(c, "/lap-bao-cao", url.Values{"csrf": {token}, "ky": {period}})
	}
	if code, _ := makeReport(c, csrf, "../2023-09"); code != http.StatusBadRequest {
		t.Errorf("a period with a path: %d", code)
	}
	code, page := makeReport(c, csrf, "2023-09")
	if code != 200 || !strings.Contains(page, `id="tai-xlsx"`) || !strings.Contains(page, `id="tai-pdf"`) {
		t.Fatalf("make the report: %d\n%s", code, page)
	}
	if runs := w.runs("2023-09"); len(runs) != 1 || runs[0].Trigger != "manual" || runs[0].Status != "ok" {
		t.Errorf("runs: %+v", runs)
	}
	get := w.download
	code, body, ct := get(c, "/bao-cao/2023-09/xlsx")
	if code != 200 || !strings.Contains(ct, "spreadsheetml") {
		t.Fatalf("the Excel report: %d %s", code, ct)
	}
	if _, err := excelize.OpenReader(bytes.NewReader(body)); err != nil {
		t.Errorf("the Excel report does not open: %v", err)
	}
	lc, lpage := w.login("giamdoc", leaderPw)
	if strings.Contains(lpage, `id="lap-bao-cao"`) {
		t.Error("a leader is offered to make the report")
	}
	if code, body, _ := get(lc, "/bao-cao/2023-09/pdf"); code != 200 || !bytes.HasPrefix(body, []byte("%PDF")) {
		t.Errorf("a leader downloading the PDF: %d", code)
	}
	ltoken := regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindStringSubmatch(lpage)[1]
	if code, _ := makeReport(lc, ltoken, "2023-09"); code != http.StatusForbidden {
		t.Errorf("a leader making the report: %d", code)
	}
	if code, body, _ := get(&http.Client{}, "/bao-cao/2023-09/pdf"); code != 200 || bytes.HasPrefix(body, []byte("%PDF")) {
		t.Errorf("the PDF without a session: %d", code)
	}
	for _, p := range []string{"/bao-cao/2023-09/json", "/bao-cao/..%2f..%2fstate/xlsx", "/bao-cao/2023-09/..%2f..%2fstate%2fcanbo.db",
		"/bao-cao/2023-13/xlsx", "/bao-cao/2023-08/xlsx"} {
		if code, body, _ := get(c, p); code == 200 || bytes.Contains(body, []byte("SQLite")) {
			t.Errorf("%s: %d", p, code)
		}
	}
	// A manual run mails nobody.
	if _, _, err := w.svc.outbox.Deliver(context.Background(), w.dialer); err != nil {
		t.Fatal(err)
	}
	if got := w.mails("report"); len(got) != 0 {
		t.Errorf("a manual run mailed the report: %d", len(got))
	}
}

// TestWebRecover: an upload canbo stopped in the middle of (stored in the staging
// folder, not yet taken) is taken at the next start, as a file left in the inbox is.
func TestWebRecover(t *testing.T) {
	t.Parallel()
	w := newWebOffice(t)
	left := filepath.Join(w.state, web.StagingFolder, "gui-123", "cho-don", "UBND xã Bằng Phúc.xlsx")
	if err := os.MkdirAll(filepath.Dir(left), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(left, readSample(t, webSample), 0o600); err != nil {
		t.Fatal(err)
	}
	w.svc.web.Recover(context.Background())
	cur, _, err := inbox.Current(w.archive, "2023-09", w.cfg.Units.Registry())
	if err != nil || len(cur) != 1 || cur[0].InboxPath != "cho-don/UBND xã Bằng Phúc.xlsx" {
		t.Fatalf("after recovery the archive holds %+v (%v)", cur, err)
	}
	if ents, _ := os.ReadDir(filepath.Join(w.state, web.StagingFolder)); len(ents) != 0 {
		t.Errorf("staging keeps %d entries", len(ents))
	}
}

// TestWebAutoRemind: with web.remind_days_before, canbo serve reminds by itself the
// units that must send and have not, once the deadline is that near, through the
// outbox to the SMTP server; further from the deadline it does not.
func TestWebAutoRemind(t *testing.T) {
	t.Parallel()
	hash, err := webHashes()
	if err != nil {
		t.Fatal(err)
	}
	web3 := func(s *schema.Serve) {
		s.Web = schema.Web{Listen: freeAddr(t), RemindDaysBefore: 3, Users: []schema.WebUser{{Name: webUser, PasswordHash: hash}}}
	}
	// The evening before the 1st: the deadline (07:00 on the 1st) is hours away.
	o := newOffice(t, web3)
	o.start()
	got := o.waitMails(web.KindReminder, 2)
	to := []string{got[0].Envelope[0], got[1].Envelope[0]}
	slices.Sort(to)
	if !slices.Equal(to, []string{"phongnoivu.chodon@example.com", "sonoivu@example.com"}) {
		t.Errorf("reminded %v", to)
	}
	// A reminder is recorded once queued, and the outbox may deliver it before that.
	var rs map[string]history.Reminder
	o.waitFor("both reminders recorded", func() bool {
		o.history(func(db *history.DB) { rs, err = db.LastReminders(context.Background(), "2023-09") })
		return err != nil || len(rs) >= 2
	}, nil)
	if err != nil || len(rs) != 2 || rs["Sở Nội vụ"].User != web.AutoUser {
		t.Errorf("reminders recorded: %+v %v", rs, err)
	}

	// Three weeks before the deadline: one pass, nothing queued.
	far := newOffice(t, web3)
	far.schedAt = time.Date(2023, 9, 10, 9, 0, 0, 0, vn)
	svc := far.open()
	defer svc.Close()
	ctx, cancel := context.WithCancel(context.Background())
	once := func(time.Duration) <-chan time.Time { cancel(); return nil }
	if err := svc.web.AutoRemind(ctx, once); !errors.Is(err, context.Canceled) {
		t.Fatal(err)
	}
	for _, e := range far.outbox() {
		if e.Kind == web.KindReminder {
			t.Errorf("reminded three weeks early: %+v", e)
		}
	}
}

// TestWebLinksFromBoard: staff make and revoke a unit's link on the board; the new
// link is shown once and works; a leader cannot.
func TestWebLinksFromBoard(t *testing.T) {
	t.Parallel()
	w := newWebOffice(t)
	c, page := w.login(webUser, webPass)
	csrf := regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindStringSubmatch(page)[1]
	act := func(c *http.Client, token, unit, what string) (int, string) {
		res, err := c.PostForm(w.srv.URL+"/lien-ket", url.Values{"csrf": {token}, "don-vi": {unit}, "viec": {what}})
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, html.UnescapeString(string(b))
	}
	code, page := act(c, csrf, webUnit, "tao")
	m := regexp.MustCompile(`Liên kết mới của ` + webUnit + `[^<]*<br><code>http://127\.0\.0\.1:8080(/u/[A-Za-z0-9_-]{43})</code>`).FindStringSubmatch(page)
	if code != 200 || m == nil {
		t.Fatalf("make a link: %d\n%s", code, page)
	}
	if code, upage := w.get(&http.Client{}, m[1]); code != 200 || !strings.Contains(upage, webUnit) {
		t.Errorf("the new link: %d", code)
	}
	if !regexp.MustCompile(`<td>` + webUnit + `</td>.*?\n<td>cấp 30/09/2023`).MatchString(page) {
		t.Errorf("the board does not show the unit's link")
	}
	if code, _ := act(c, "gia-mao", webUnit, "thu-hoi"); code != http.StatusForbidden {
		t.Errorf("revoke with a forged CSRF token: %d", code)
	}
	if code, _ := act(c, csrf, "Đơn vị không có", "tao"); code != http.StatusBadRequest {
		t.Errorf("a unit not in the registry: %d", code)
	}
	lc, lpage := w.login("giamdoc", leaderPw)
	if strings.Contains(lpage, `action="/lien-ket"`) {
		t.Error("a leader is offered link buttons")
	}
	ltoken := regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindStringSubmatch(lpage)[1]
	if code, _ := act(lc, ltoken, webUnit, "thu-hoi"); code != http.StatusForbidden {
		t.Errorf("a leader revoking: %d", code)
	}
	if code, page := act(c, csrf, webUnit, "thu-hoi"); code != 200 || !strings.Contains(page, "Đã thu hồi liên kết của "+webUnit) {
		t.Errorf("revoke: %d", code)
	}
	if code, _ := w.get(&http.Client{}, m[1]); code != 404 {
		t.Errorf("a revoked link: %d", code)
	}
}
