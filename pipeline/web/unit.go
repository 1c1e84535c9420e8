package web

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"canbo/pipeline/checktext"
	"canbo/pipeline/history"
	"canbo/pipeline/inbox"
	"canbo/pipeline/ingest"
	"canbo/pipeline/issue"
	"canbo/pipeline/textfold"
	"canbo/pipeline/units"
)

// StatusRefused is an upload the page turned away before the inbox: another unit's
// file, or one that names no unit.
const StatusRefused = "refused"

// notFound is all a wrong, revoked or guessed link learns.
const notFound = "Liên kết không đúng hoặc đã bị thu hồi. Hãy hỏi văn phòng liên kết mới."

// link finds the unit a request's token is the live link of, answering 404 itself
// when there is none.
func (s *Server) link(w http.ResponseWriter, r *http.Request) (history.Link, bool) {
	l, err := s.opt.DB.LinkByToken(r.Context(), hashToken(r.PathValue("token")))
	if err != nil {
		if !errors.Is(err, history.ErrNoLink) {
			s.opt.Log.Error("trang web: không đọc được liên kết", "err", err)
		}
		s.fail(w, http.StatusNotFound, notFound)
		return history.Link{}, false
	}
	return l, true
}

// Detail is what the page shows of an upload: what canbo read and the problems, in
// the words of `canbo check`. It is kept with the upload (history.Upload.Detail).
type Detail struct {
	Read     string              `json:"read"` // the tables read, as canbo check prints them
	Rows     int                 `json:"rows"`
	Errors   int                 `json:"errors"`
	Warnings int                 `json:"warnings"`
	Problems []checktext.Problem `json:"problems"`
	More     int                 `json:"more"` // problems not listed (the feedback workbook has them)
}

// maxProblems is how many problem lines the page lists; the feedback workbook has all.
const maxProblems = 300

// detailOf is what the page shows of a file read: the words of canbo check.
func detailOf(f *ingest.File, cat *issue.Catalog) Detail {
	if f.Status != ingest.Accepted {
		return Detail{Read: checktext.Rejected(f)}
	}
	var b strings.Builder
	checktext.Sheets(&b, f)
	c := issue.Count(f.Issues)
	d := Detail{Read: b.String(), Errors: c.Errors, Warnings: c.Warnings}
	for _, sh := range f.Sheets {
		d.Rows += sh.Rows
	}
	d.Problems = checktext.Problems(f.Issues, cat, 0)
	if len(d.Problems) > maxProblems {
		for _, p := range d.Problems[maxProblems:] {
			d.More += p.Count
		}
		d.Problems = d.Problems[:maxProblems]
	}
	return d
}

// unitView is the unit page's data.
type unitView struct {
	Title, Unit, Token, Period string
	Deadline                   time.Time
	MaxMB                      int64
	Files                      []sentFile
	Message                    string
}

// sentFile is one file of the unit in the period, wherever it came from.
type sentFile struct {
	Name     string
	At       time.Time
	State    string // what the unit reads: đang dùng, đã được thay, không dùng được…
	Counts   bool   // the file the report uses
	Errors   int
	Warnings int
	UploadID int64 // its page, when it came through the page
	Feedback bool
}

func (s *Server) unitPage(w http.ResponseWriter, r *http.Request) {
	l, ok := s.link(w, r)
	if !ok {
		return
	}
	period, deadline := s.period()
	files, err := s.sentFiles(r.Context(), l.Unit, period)
	if err != nil {
		s.opt.Log.Error("trang web: không đọc được các tệp đã gửi", "unit", l.Unit, "err", err)
	}
	s.render(w, http.StatusOK, "donvi.html", unitView{Title: l.Unit, Unit: l.Unit, Token: r.PathValue("token"), Period: period,
		Deadline: deadline, MaxMB: s.maxUpload >> 20, Files: files})
}

// period is the period being collected and its deadline.
func (s *Server) period() (string, time.Time) {
	now := s.opt.Now()
	if s.opt.Period != nil {
		return s.opt.Period(now)
	}
	return now.In(s.loc).Format("2006-01"), time.Time{}
}

// sentFiles lists what the unit sent for period: its archived files (from the
// folder or the page; which one counts), then what the page turned away or the
// inbox rejected. Another unit's files are never listed.
func (s *Server) sentFiles(ctx context.Context, unit, period string) ([]sentFile, error) {
	sv := s.opt.Config.Serve
	uploads, err := s.opt.DB.Uploads(ctx, unit, time.Time{})
	if err != nil {
		return nil, err
	}
	bySum := map[string]history.Upload{}
	for _, u := range uploads {
		if _, ok := bySum[u.SHA256]; !ok {
			bySum[u.SHA256] = u // newest first
		}
	}
	current, older, err := inbox.Current(sv.Archive, period, s.opt.Config.Units.Registry())
	if err != nil && !os.IsNotExist(err) {
		return nil, err
	}
	var out []sentFile
	for i, a := range append(current, older...) {
		if !s.sameUnit(unit, a.Unit, groupOf(a.InboxPath)) {
			continue
		}
		f := sentFile{Name: a.OriginalName, At: a.ReceivedAt, Counts: i < len(current), Errors: a.Errors, Warnings: a.Warnings}
		f.State = "Đang dùng cho báo cáo"
		if !f.Counts {
			f.State = "Đã được tệp mới hơn thay, không dùng"
		}
		if u, ok := bySum[a.SHA256]; ok {
			f.UploadID, f.Feedback = u.ID, u.Feedback != ""
		}
		out = append(out, f)
	}
	for _, u := range uploads {
		if u.Period != period || (u.Status != inbox.Rejected && u.Status != StatusRefused) {
			continue
		}
		out = append(out, sentFile{Name: u.Name, At: u.At, State: "Không dùng được", UploadID: u.ID})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].At.After(out[j].At) })
	return out, nil
}

// sameUnit reports whether a unit name read in a file (of an inbox group) is the
// registered unit a link belongs to.
func (s *Server) sameUnit(linkUnit, name, group string) bool {
	if strings.TrimSpace(name) == "" {
		return false
	}
	reg := s.opt.Config.Units.Registry()
	if reg.Len() > 0 {
		m := reg.Find(name, group, false)
		return m.Unit >= 0 && reg.Name(m.Unit) == linkUnit
	}
	return textfold.UnitKey(name) == textfold.UnitKey(linkUnit)
}

// groupOf is the inbox group a unit's files are dropped under: its registry group,
// so that a file sent through the page is reported with its group's.
func (s *Server) groupOf(unit string) string {
	reg := s.opt.Config.Units.Registry()
	if reg.Len() == 0 {
		return ""
	}
	if m := reg.Find(unit, "", false); m.Unit >= 0 {
		return reg.Group(m.Unit)
	}
	return ""
}

// upload takes one workbook: stream it (size-limited) into a staging folder, sniff
// it, check it is the unit's own, hand it to canbo serve's take, record it, then
// show its page.
func (s *Server) upload(w http.ResponseWriter, r *http.Request) {
	l, ok := s.link(w, r)
	if !ok {
		return
	}
	if !sameOrigin(r) {
		s.fail(w, http.StatusForbidden, "Yêu cầu không đến từ trang của canbo.")
		return
	}
	token := r.PathValue("token")
	// The limit counts every upload a link starts, whatever becomes of it: a link
	// sending junk costs the server as much as one sending workbooks.
	limit := s.maxUpload + 64<<10
	size := r.ContentLength
	if size < 0 || size > limit {
		size = limit
	}
	started, again := s.limit.admit(l.ID, s.opt.Now(), size)
	if started == nil {
		s.tooManyUploads(w, again)
		return
	}
	body := &countingBody{ReadCloser: r.Body}
	defer func() { s.limit.settle(started, body.n) }()
	select {
	case s.uploads <- struct{}{}:
		defer func() { <-s.uploads }()
	case <-r.Context().Done():
		return
	}
	r.Body = http.MaxBytesReader(w, body, limit)
	u, status, msg := s.receive(r, l)
	if status != http.StatusOK {
		s.fail(w, status, msg)
		return
	}
	http.Redirect(w, r, "/u/"+token+"/tep/"+strconv.FormatInt(u, 10), http.StatusSeeOther)
}

// tooManyUploads refuses an upload over the link's limit, saying when the unit can
// send again.
func (s *Server) tooManyUploads(w http.ResponseWriter, again time.Time) {
	now := s.opt.Now()
	wait := again.Sub(now)
	w.Header().Set("Retry-After", strconv.Itoa(int((wait+time.Second-1)/time.Second)))
	when := again.In(s.loc).Format("15:04")
	if again.In(s.loc).Format("2006-01-02") != now.In(s.loc).Format("2006-01-02") {
		when = again.In(s.loc).Format("15:04 ngày 02/01/2006")
	}
	s.render(w, http.StatusTooManyRequests, "loi.html", map[string]any{"Title": "Chưa gửi được tệp",
		"Message": fmt.Sprintf("Liên kết này đã gửi nhiều tệp quá trong thời gian ngắn: mỗi liên kết gửi được tối đa %d tệp trong 10 phút và %d MB trong một giờ. "+
			"Các tệp đã gửi vẫn được giữ. Hãy gửi lại sau %s (khoảng %d phút nữa).", s.limit.files, s.limit.bytes>>20, when, int((wait+time.Minute-1)/time.Minute))})
}

// countingBody counts the bytes of a request body read.
type countingBody struct {
	io.ReadCloser
	n int64
}

func (c *countingBody) Read(p []byte) (int, error) {
	n, err := c.ReadCloser.Read(p)
	c.n += int64(n)
	return n, err
}

// receive does upload's work and returns the upload's id, or a status and a message.
func (s *Server) receive(r *http.Request, l history.Link) (int64, int, string) {
	tooBig := fmt.Sprintf("Tệp lớn quá: tối đa %d MB.", s.maxUpload>>20)
	mr, err := r.MultipartReader()
	if err != nil {
		return 0, http.StatusBadRequest, "Không thấy tệp gửi lên. Hãy chọn tệp Excel rồi bấm Gửi."
	}
	for {
		part, err := mr.NextPart()
		if err != nil {
			var mbe *http.MaxBytesError
			if errors.As(err, &mbe) {
				return 0, http.StatusRequestEntityTooLarge, tooBig
			}
			return 0, http.StatusBadRequest, "Không thấy tệp gửi lên. Hãy chọn tệp Excel rồi bấm Gửi."
		}
		if part.FormName() != "tep" || part.FileName() == "" {
			part.Close()
			continue
		}
		defer part.Close()
		name := cleanName(part.FileName())
		if name == "" || !inbox.IsWorkbook(name) {
			return 0, http.StatusUnsupportedMediaType, "Chỉ nhận tệp Excel (.xlsx, .xls, .xlsm, .xlsb) hoặc .ods."
		}
		return s.stageAndTake(r.Context(), part, name, l, tooBig)
	}
}

// stageAndTake writes the upload under a fresh staging folder as GROUP/NAME (the
// path a unit dropping it in the inbox would give it), then takes it.
func (s *Server) stageAndTake(ctx context.Context, body io.Reader, name string, l history.Link, tooBig string) (int64, int, string) {
	dir, err := os.MkdirTemp(s.staging, "gui-")
	if err != nil {
		s.opt.Log.Error("trang web: không tạo được thư mục tạm", "err", err)
		return 0, http.StatusInternalServerError, "Máy chủ không lưu được tệp; hãy thử lại sau ít phút."
	}
	defer os.RemoveAll(dir)
	rel := path.Join(s.groupOf(l.Unit), name)
	file := filepath.Join(dir, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(file), 0o700); err != nil {
		return 0, http.StatusInternalServerError, "Máy chủ không lưu được tệp; hãy thử lại sau ít phút."
	}
	n, head, err := writeStaged(file, body, s.maxUpload)
	var mbe *http.MaxBytesError
	switch {
	case errors.As(err, &mbe) || n > s.maxUpload:
		return 0, http.StatusRequestEntityTooLarge, tooBig
	case err != nil:
		s.opt.Log.Warn("trang web: tệp gửi lên bị ngắt giữa chừng", "unit", l.Unit, "err", err)
		return 0, http.StatusBadRequest, "Tệp gửi lên bị ngắt giữa chừng; hãy gửi lại."
	case n == 0:
		return 0, http.StatusBadRequest, "Tệp rỗng (0 byte)."
	case !looksLikeWorkbook(head):
		return 0, http.StatusUnsupportedMediaType, "Nội dung tệp không phải bảng tính Excel (có thể là ảnh, PDF hoặc tệp khác đổi tên). Hãy mở tệp bằng Excel, lưu lại dạng .xlsx rồi gửi."
	}

	// What the file is, read as the inbox will read it: the page refuses a file of
	// another unit before it can replace that unit's file.
	f, err := s.read(ctx, file)
	if err != nil {
		s.opt.Log.Error("trang web: không đọc được tệp gửi lên", "unit", l.Unit, "err", err)
		return 0, http.StatusInternalServerError, "Máy chủ không đọc được tệp; hãy thử lại sau ít phút."
	}
	if f.Status == ingest.Accepted {
		group := path.Dir(rel)
		other, named := s.ownership(l.Unit, f, group)
		if other != "" {
			return s.refuse(ctx, l, f, name, fmt.Sprintf("Tệp %q không phải của %s: tệp ghi đơn vị %s. Hãy gửi tệp của chính đơn vị mình; nếu tên đơn vị trong tệp ghi sai, hãy sửa dòng tiêu đề (hoặc cột Đơn vị) rồi gửi lại.", name, l.Unit, other))
		}
		stem := strings.TrimSuffix(name, filepath.Ext(name))
		if reg := s.opt.Config.Units.Registry(); !named && reg.Len() > 0 && !s.sameUnit(l.Unit, stem, group) {
			if m := reg.Find(stem, group, false); m.Unit >= 0 {
				return s.refuse(ctx, l, f, name, fmt.Sprintf("Tệp %q không phải của %s: tên tệp là tên của %s. Hãy gửi tệp của chính đơn vị mình.", name, l.Unit, reg.Name(m.Unit)))
			}
		}
		if !named && !s.sameUnit(l.Unit, stem, group) {
			// The file says its unit nowhere but in its name, and its name is not the
			// unit's ("DS cán bộ T9.xlsx"): the link says whose it is, so it goes to
			// the inbox under the unit's name, as the office would rename it.
			renamed := filepath.Join(filepath.Dir(file), inbox.SafeName(l.Unit, "Đơn vị")+filepath.Ext(name))
			if err := os.Rename(file, renamed); err != nil {
				return 0, http.StatusInternalServerError, "Máy chủ không lưu được tệp; hãy thử lại sau ít phút."
			}
			file = renamed
			if f, err = s.read(ctx, file); err != nil {
				s.opt.Log.Error("trang web: không đọc được tệp gửi lên", "unit", l.Unit, "err", err)
				return 0, http.StatusInternalServerError, "Máy chủ không đọc được tệp; hãy thử lại sau ít phút."
			}
		}
	}
	detail := detailOf(f, s.opt.Catalog)
	c, err := inbox.NewCandidate(dir, file)
	if err != nil {
		return 0, http.StatusInternalServerError, "Máy chủ không lưu được tệp; hãy thử lại sau ít phút."
	}
	res, err := s.opt.Take(context.WithoutCancel(ctx), c)
	if err != nil {
		s.opt.Log.Error("trang web: không nhận được tệp", "unit", l.Unit, "file", name, "err", err)
		return 0, http.StatusServiceUnavailable, "Máy chủ đang bận, chưa nhận được tệp; hãy gửi lại sau ít phút."
	}
	return s.record(ctx, history.Upload{LinkID: l.ID, Unit: l.Unit, At: res.ReceivedAt, SHA256: res.SHA256, Name: res.Name,
		Status: res.Status, Period: res.Period, Archived: res.Archived, Feedback: res.Feedback, Message: res.Message}, detail)
}

// refuse records a file the page turned away before the inbox, with why.
func (s *Server) refuse(ctx context.Context, l history.Link, f *ingest.File, name, msg string) (int64, int, string) {
	return s.record(ctx, history.Upload{LinkID: l.ID, Unit: l.Unit, SHA256: f.SHA256, Name: name, Status: StatusRefused,
		Period: s.opt.Now().In(s.loc).Format("2006-01"), Message: msg}, detailOf(f, s.opt.Catalog))
}

func (s *Server) record(ctx context.Context, u history.Upload, d Detail) (int64, int, string) {
	data, err := json.Marshal(d)
	if err == nil {
		u.Detail = string(data)
	}
	id, err := s.opt.DB.RecordUpload(context.WithoutCancel(ctx), u)
	if err != nil {
		s.opt.Log.Error("trang web: không ghi được tệp đã gửi", "unit", u.Unit, "err", err)
		return 0, http.StatusInternalServerError, "Đã nhận tệp nhưng không ghi được kết quả; hãy tải lại trang sau ít phút."
	}
	return id, http.StatusOK, ""
}

// read reads one staged file as the inbox will.
func (s *Server) read(ctx context.Context, file string) (*ingest.File, error) {
	s.reading.Lock()
	defer s.reading.Unlock()
	b, err := s.reader.ReadAll(ctx, []string{file}, s.opt.Catalog)
	if err != nil {
		return nil, err
	}
	if len(b.Files) != 1 {
		return nil, fmt.Errorf("đọc %s: %d tệp", file, len(b.Files))
	}
	return b.Files[0], nil
}

// ownership finds the unit the inbox would file the upload under when that is not
// the link's unit ("" when it is, or when the content names none), and says whether
// the content names the file's unit at all rather than leaving it to the file's name.
// It follows the inbox (inbox.unitOf): a sheet's own unit (its title, another
// sheet's title, the group) makes the file that unit's; else rows that all name one
// unit make it that unit's; rows naming several units (a district's training
// register, a combined roster) make it nobody's in particular, so they never refuse
// an upload. A unit whose files list other units' people (units.yaml lists:
// learners, a school's class lists) names the learners' workplaces in its rows: only
// its title counts.
func (s *Server) ownership(linkUnit string, f *ingest.File, group string) (string, bool) {
	if group == "." {
		group = ""
	}
	for _, sh := range f.Sheets {
		if sh.UnitSource != "file" && sh.Unit != "" {
			if !s.sameUnit(linkUnit, sh.Unit, group) {
				return sh.Unit, true
			}
			return "", true
		}
	}
	if s.listsLearners(linkUnit, group) {
		return "", false
	}
	var names []units.Named
	seen := map[string]bool{}
	for _, sh := range f.Sheets {
		for _, n := range sh.ColumnUnits {
			if strings.TrimSpace(n) != "" && !seen[n] {
				seen[n] = true
				names = append(names, units.Named{Group: group, Name: n})
			}
		}
	}
	ids := units.Identities(s.opt.Config.Units.Registry(), names)
	if len(ids) == 0 || slices.ContainsFunc(ids, func(id string) bool { return id != ids[0] }) {
		return "", false // no unit, or several: the file is the sender's
	}
	if !s.sameUnit(linkUnit, names[0].Name, group) {
		return names[0].Name, true
	}
	return "", true
}

// listsLearners says whether units.yaml says the link's unit lists other units'
// people (a training school).
func (s *Server) listsLearners(unit, group string) bool {
	reg := s.opt.Config.Units.Registry()
	if reg.Len() == 0 {
		return false
	}
	m := reg.Find(unit, group, false)
	return m.Unit >= 0 && m.Unit < len(s.opt.Config.Units.Units) && s.opt.Config.Units.Units[m.Unit].ListsLearners()
}

// writeStaged copies at most limit+1 bytes of body to file, synced, and returns how
// many and the first bytes, for sniffing.
func writeStaged(file string, body io.Reader, limit int64) (int64, []byte, error) {
	f, err := os.OpenFile(file, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return 0, nil, err
	}
	var head bytes.Buffer
	n, err := io.Copy(io.MultiWriter(f, &limitedBuffer{buf: &head, max: 8 << 10}), io.LimitReader(body, limit+1))
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return n, head.Bytes(), err
}

type limitedBuffer struct {
	buf *bytes.Buffer
	max int
}

func (l *limitedBuffer) Write(p []byte) (int, error) {
	if room := l.max - l.buf.Len(); room > 0 {
		l.buf.Write(p[:min(room, len(p))])
	}
	return len(p), nil
}

// looksLikeWorkbook sniffs the first bytes: a zip (xlsx, xlsm, xlsb, ods), an OLE
// compound file (xls, or an xlsx with a password), or text (an HTML or XML table
// saved as .xls, which the inbox reads too). Anything else (an image, a PDF, a
// program) is turned away before it is stored.
func looksLikeWorkbook(head []byte) bool {
	for _, m := range [][]byte{[]byte("PK\x03\x04"), []byte("PK\x05\x06"), {0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}} {
		if bytes.HasPrefix(head, m) {
			return true
		}
	}
	text := bytes.TrimPrefix(head, []byte("\xEF\xBB\xBF"))
	if len(text) > 0 && !bytes.ContainsRune(text, 0) {
		// A cut at the sniffing limit may split a character.
		for len(text) > 0 && !utf8.Valid(text) && len(head) == 8<<10 {
			text = text[:len(text)-1]
		}
		if utf8.Valid(text) {
			t := bytes.TrimSpace(text)
			return len(t) > 0 && (t[0] == '<' || bytes.Contains(t, []byte{'\t'}) || bytes.Contains(t, []byte{','}))
		}
	}
	return false
}

// cleanName keeps the last element of a browser's file name (some send a whole
// Windows path), NFC, without anything that could climb out of a folder.
func cleanName(name string) string {
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	name = textfold.Clean(strings.TrimSpace(name))
	if name == "." || name == ".." || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "~$") || strings.ContainsRune(name, 0) {
		return ""
	}
	return name
}

// sameOrigin accepts a POST only from the page itself (net/http's
// CrossOriginProtection: Sec-Fetch-Site, else Origin against Host), so a forged
// form on another site is refused even before its CSRF token is looked at. A
// request with neither header (not a browser) passes: the session's CSRF token
// guards the office's forms, a unit's token its uploads.
func sameOrigin(r *http.Request) bool {
	return http.NewCrossOriginProtection().Check(r) == nil
}

// uploadView is an upload's page.
type uploadView struct {
	Title, Unit, Token string
	Upload             history.Upload
	Detail             Detail
	Verdict            string // one line: accepted, with errors, refused…
	Good               bool
	Feedback           bool
}

func (s *Server) uploadPage(w http.ResponseWriter, r *http.Request) {
	l, u, ok := s.linkedUpload(w, r)
	if !ok {
		return
	}
	var d Detail
	_ = json.Unmarshal([]byte(u.Detail), &d)
	v := uploadView{Title: u.Name, Unit: l.Unit, Token: r.PathValue("token"), Upload: u, Detail: d, Feedback: u.Feedback != ""}
	switch u.Status {
	case inbox.SupersededOlder:
		v.Verdict = "Đã lưu, nhưng không dùng: đơn vị đã gửi một tệp mới hơn (số liệu tính đến ngày sau hơn)."
	case inbox.Accepted, inbox.Duplicate:
		switch {
		case d.Errors > 0:
			v.Verdict = fmt.Sprintf("Đã nhận, nhưng còn %d lỗi cần sửa: sửa rồi gửi lại tệp.", d.Errors)
		case d.Warnings > 0:
			v.Verdict, v.Good = fmt.Sprintf("Đã nhận. Không có lỗi; có %d cảnh báo nên xem lại.", d.Warnings), true
		default:
			v.Verdict, v.Good = "Đã nhận. Không có lỗi.", true
		}
	default:
		v.Verdict = "Tệp không dùng được."
	}
	s.render(w, http.StatusOK, "tep.html", v)
}

// linkedUpload finds the link of a request and the upload it names among that
// unit's own: another unit's id is answered as if it did not exist.
func (s *Server) linkedUpload(w http.ResponseWriter, r *http.Request) (history.Link, history.Upload, bool) {
	l, ok := s.link(w, r)
	if !ok {
		return l, history.Upload{}, false
	}
	if id, err := strconv.ParseInt(r.PathValue("id"), 10, 64); err == nil {
		u, found, err := s.opt.DB.UploadByID(r.Context(), l.Unit, id)
		if err != nil {
			s.opt.Log.Error("trang web: không đọc được tệp đã gửi", "err", err)
		}
		if found {
			return l, u, true
		}
	}
	s.fail(w, http.StatusNotFound, "Không có tệp này.")
	return l, history.Upload{}, false
}

// feedbackFile sends an upload's marked workbook, once it is sure the file lies in
// the report folder's phan-hoi: the path comes from the database, never from the
// request, and is checked all the same.
func (s *Server) feedbackFile(w http.ResponseWriter, r *http.Request) {
	_, u, ok := s.linkedUpload(w, r)
	if !ok {
		return
	}
	if u.Feedback == "" || !inside(s.opt.Config.Serve.Out, u.Feedback) {
		s.fail(w, http.StatusNotFound, "Tệp này không có tệp phản hồi.")
		return
	}
	f, err := os.Open(u.Feedback)
	if err != nil {
		s.fail(w, http.StatusNotFound, "Tệp phản hồi không còn (báo cáo kỳ này đã được lập lại?). Hãy gửi lại tệp để có tệp phản hồi mới.")
		return
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil || !info.Mode().IsRegular() {
		s.fail(w, http.StatusNotFound, "Tệp này không có tệp phản hồi.")
		return
	}
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": filepath.Base(u.Feedback)}))
	http.ServeContent(w, r, "", info.ModTime(), f)
}

// inside reports whether p lies inside dir once symbolic links are resolved.
func inside(dir, p string) bool {
	d, err := filepath.EvalSymlinks(dir)
	if err != nil {
		return false
	}
	q, err := filepath.EvalSymlinks(p)
	if err != nil {
		return false
	}
	rel, err := filepath.Rel(d, q)
	return err == nil && rel != "." && !filepath.IsAbs(rel) && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}

func groupOf(inboxPath string) string {
	if d := path.Dir(filepath.ToSlash(inboxPath)); d != "." && d != "/" {
		return d
	}
	return ""
}
