package mail

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"io"
	"math/rand/v2"
	"mime"
	"mime/multipart"
	"net/mail"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"canbo/pipeline/internal/sheettest"
	"canbo/pipeline/reporttext"
	"canbo/pipeline/schema"
	"canbo/pipeline/summary"
	"canbo/templates"
)

// testSummary has the Sóc Trăng figures of the samples: 4 overall targets, 2 met,
// the largest shortfall 15 people.
func testSummary() *summary.Summary {
	return &summary.Summary{
		Period: "2023-09", AsOf: "2023-09-30",
		Units: []summary.Unit{{Unit: "A"}, {Unit: "B"}, {Unit: "C"}},
		Total: summary.Unit{Headcount: 388, Breakdowns: map[string]map[string]int{
			"gioi_tinh": {"nam": 300, "nu": 88},
		}},
		Training: summary.Training{Total: 877},
		Targets: []summary.Target{
			{ID: "sdh_bch_tinh", Title: "Ủy viên BCH Đảng bộ tỉnh có trình độ sau đại học", Population: 50, Count: 35, Share: 0.7, Threshold: 0.7, Met: true},
			{ID: "sdh_btv", Title: "Cán bộ diện BTV Tỉnh ủy quản lý có trình độ sau đại học", Population: 46, Count: 22, Share: 0.4783, Threshold: 0.5, Shortfall: 1, Deadline: "2025-12-31"},
			{ID: "sdh_bch_huyen", Title: "Ủy viên BCH cấp huyện có trình độ sau đại học", Population: 80, Count: 45, Share: 0.5625, Threshold: 0.5, Met: true},
			{ID: "sdh_cap_phong", Title: "Lãnh đạo cấp phòng có trình độ sau đại học", Population: 120, Count: 21, Share: 0.175, Threshold: 0.3, Shortfall: 15, Deadline: "2025-12-31"},
			{ID: "sdh_cap_phong", Title: "Lãnh đạo cấp phòng có trình độ sau đại học", Unit: "Sở Nội vụ", Population: 16, Count: 4, Share: 0.25, Threshold: 0.3, Shortfall: 1},
		},
		Files: []summary.File{
			{File: "UBND xã Nghĩa Tá.xlsx", Status: "accepted"},
			{File: "Chợ Đồn.xlsx", Status: "accepted"},
			{File: "cu.xlsx", Status: "superseded"},
			{File: "mat-khau.xlsx", Status: "rejected", Reason: "có mật khẩu"},
			{File: "~$Chợ Đồn.xlsx", Status: "ignored"},
		},
		Issues: summary.Issues{Errors: 10, Warnings: 23},
	}
}

func testConfig(t testing.TB) *schema.Config {
	t.Helper()
	cfg := sheettest.Config(t)
	c := *cfg
	c.Serve.Mail = schema.Mail{
		Host: "127.0.0.1", From: "Sở Nội vụ <baocao@snv.soctrang.gov.vn>",
		To: []string{"Giám đốc Sở <giamdoc@snv.soctrang.gov.vn>"}, Cc: []string{"vanthu@snv.soctrang.gov.vn"},
	}
	return &c
}

func testTemplates(t testing.TB) *Templates {
	t.Helper()
	tm, err := LoadTemplates(templates.FS)
	if err != nil {
		t.Fatal(err)
	}
	return tm
}

// writeReportFiles writes stand-ins for the .xlsx and .pdf: random bytes, including
// lines that start with a dot, which SMTP must carry through unchanged.
func writeReportFiles(t *testing.T, dir string, seed uint64) (xlsx, pdf string) {
	t.Helper()
	r := rand.New(rand.NewPCG(seed, 2))
	blob := func(n int) []byte {
		b := make([]byte, n)
		for i := range b {
			b[i] = byte(r.UintN(256))
		}
		return append(b, []byte("\r\n.\r\n..\r\n")...)
	}
	xlsx = filepath.Join(dir, "bao-cao-2023-09.xlsx")
	pdf = filepath.Join(dir, "bao-cao-2023-09.pdf")
	for _, f := range []struct {
		path string
		n    int
	}{{xlsx, 40_000}, {pdf, 70_000}} {
		if err := os.WriteFile(f.path, blob(f.n), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return xlsx, pdf
}

func reportMessage(t *testing.T, dir string) (*Message, string, string) {
	t.Helper()
	xlsx, pdf := writeReportFiles(t, dir, 1)
	cfg := testConfig(t)
	txt, err := reporttext.Load(templates.FS)
	if err != nil {
		t.Fatal(err)
	}
	m, err := ReportMessage(testSummary(), cfg, txt, testTemplates(t), xlsx, pdf)
	if err != nil {
		t.Fatal(err)
	}
	return m, xlsx, pdf
}

type parsedMail struct {
	Header      mail.Header
	Subject     string
	Text        string
	Attachments []parsedAttachment
}

type parsedAttachment struct {
	Name       string // from Content-Disposition (filename*, RFC 2231)
	NameInType string // from Content-Type name= (RFC 2047)
	NameQuoted string // from Content-Disposition filename= (RFC 2047), for clients without RFC 2231
	Type       string
	Data       []byte
}

// parseEML reads a message the way a mail client does: net/mail, mime/multipart,
// RFC 2047 and RFC 2231 decoding.
func parseEML(t *testing.T, raw []byte) parsedMail {
	t.Helper()
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("not a message: %v", err)
	}
	var dec mime.WordDecoder
	p := parsedMail{Header: msg.Header}
	if p.Subject, err = dec.DecodeHeader(msg.Header.Get("Subject")); err != nil {
		t.Fatal(err)
	}
	mt, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(mt, "multipart/") {
		body, _ := io.ReadAll(msg.Body)
		p.Text = string(body)
		return p
	}
	mr := multipart.NewReader(msg.Body, params["boundary"])
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		ct, ctParams, _ := mime.ParseMediaType(part.Header.Get("Content-Type"))
		if part.FileName() == "" {
			if ct != "text/plain" || ctParams["charset"] != "UTF-8" {
				t.Errorf("body part Content-Type %q", part.Header.Get("Content-Type"))
			}
			body, _ := io.ReadAll(part) // quoted-printable is decoded by multipart
			p.Text = strings.ReplaceAll(string(body), "\r\n", "\n")
			continue
		}
		a := parsedAttachment{Name: part.FileName(), Type: ct}
		a.NameInType, _ = dec.DecodeHeader(ctParams["name"])
		_, dParams, _ := mime.ParseMediaType(strings.Replace(part.Header.Get("Content-Disposition"), "filename*=", "x-ignored*=", 1))
		a.NameQuoted, _ = dec.DecodeHeader(dParams["filename"])
		if enc := part.Header.Get("Content-Transfer-Encoding"); !strings.EqualFold(enc, "base64") {
			t.Errorf("attachment %s: Content-Transfer-Encoding %q", a.Name, enc)
		}
		if a.Data, err = io.ReadAll(base64.NewDecoder(base64.StdEncoding, part)); err != nil {
			t.Fatal(err)
		}
		p.Attachments = append(p.Attachments, a)
	}
	return p
}

// TestReportMessageEmptyTargets: a target nobody in the data falls under (the
// provincial committee's, in a district's files) is neither met nor missed: the
// mail says so instead of "đạt 0/4", and leaves it out of the subject's count.
func TestReportMessageEmptyTargets(t *testing.T) {
	dir := t.TempDir()
	xlsx, pdf := writeReportFiles(t, dir, 1)
	txt, err := reporttext.Load(templates.FS)
	if err != nil {
		t.Fatal(err)
	}
	s := testSummary()
	for i := range s.Targets {
		if s.Targets[i].Unit == "" && i > 0 {
			s.Targets[i].Population, s.Targets[i].Count, s.Targets[i].Met, s.Targets[i].Shortfall = 0, 0, false, 0
		}
	}
	m, err := ReportMessage(s, testConfig(t), txt, testTemplates(t), xlsx, pdf)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := m.EML(time.Date(2023, 10, 1, 7, 0, 0, 0, time.FixedZone("ICT", 7*3600)))
	if err != nil {
		t.Fatal(err)
	}
	p := parseEML(t, raw)
	var all, empty int
	for _, tg := range s.Targets {
		if tg.Unit == "" {
			all++
			if tg.Population == 0 {
				empty++
			}
		}
	}
	met := 0
	for _, tg := range s.Targets {
		if tg.Unit == "" && tg.Met {
			met++
		}
	}
	want := fmt.Sprintf("Chỉ tiêu chung: đạt %d/%d chỉ tiêu; %d chỉ tiêu chưa có người thuộc đối tượng trong số liệu", met, all-empty, empty)
	if empty == 0 || !strings.Contains(p.Text, want) {
		t.Errorf("body lacks %q:\n%s", want, p.Text)
	}
	if wantSubject := fmt.Sprintf("đạt %d/%d chỉ tiêu", met, all-empty); !strings.HasSuffix(p.Subject, wantSubject) {
		t.Errorf("subject %q, want it to end in %q", p.Subject, wantSubject)
	}
}

func TestReportMessage(t *testing.T) {
	dir := t.TempDir()
	m, xlsx, pdf := reportMessage(t, dir)
	raw, err := m.EML(time.Date(2023, 10, 1, 7, 0, 0, 0, time.FixedZone("ICT", 7*3600)))
	if err != nil {
		t.Fatal(err)
	}
	p := parseEML(t, raw)

	if want := "Báo cáo đội ngũ CBCCVC tháng 09/2023 — 388 người, đạt 2/4 chỉ tiêu"; p.Subject != want {
		t.Errorf("subject %q, want %q", p.Subject, want)
	}
	for _, want := range []string{
		"Kính gửi",
		"tháng 09/2023 (số liệu tính đến ngày 30/09/2023)",
		"Tổng số: 388 người ở 3 đơn vị.",
		"Chỉ tiêu chung: đạt 2/4 chỉ tiêu; chỉ tiêu theo từng đơn vị: đạt 0/1.",
		"Đào tạo, bồi dưỡng: 877 lượt người.",
		"Tệp đã nhận: 4, dùng được 2, 1 tệp đã được thay bằng tệp mới hơn, không dùng được 1 (mat-khau.xlsx).",
		"Dữ liệu: 10 lỗi cần đơn vị sửa, 23 cảnh báo.",
		// largest shortfall first
		"- Lãnh đạo cấp phòng có trình độ sau đại học: mới đạt 17,50% (21/120 người), chỉ tiêu 30%, còn thiếu 15 người, thời hạn 31/12/2025.\n" +
			"- Cán bộ diện BTV Tỉnh ủy quản lý có trình độ sau đại học: mới đạt 47,83% (22/46 người), chỉ tiêu 50%, còn thiếu 1 người",
		"Tóm tắt: Tính đến ngày 30/09/2023, tổng số cán bộ, công chức, viên chức của 3 đơn vị là 388 người",
		"- Báo cáo đội ngũ CBCCVC tháng 09-2023.xlsx — báo cáo Excel (39,1 KB)",
		"- Báo cáo đội ngũ CBCCVC tháng 09-2023.pdf — báo cáo PDF",
		"\n-- \n", // signature separator
	} {
		if !strings.Contains(p.Text, want) {
			t.Errorf("body lacks %q:\n%s", want, p.Text)
		}
	}
	if strings.Contains(p.Text, "no value") || strings.Contains(p.Text, "\n\n\n") {
		t.Errorf("body not tidy:\n%s", p.Text)
	}

	want := []struct {
		name, typ, path string
	}{
		{"Báo cáo đội ngũ CBCCVC tháng 09-2023.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", xlsx},
		{"Báo cáo đội ngũ CBCCVC tháng 09-2023.pdf", "application/pdf", pdf},
	}
	if len(p.Attachments) != len(want) {
		t.Fatalf("%d attachments, want %d", len(p.Attachments), len(want))
	}
	for i, w := range want {
		a := p.Attachments[i]
		if a.Name != w.name || a.NameInType != w.name || a.NameQuoted != w.name {
			t.Errorf("attachment %d named %q / %q / %q, want %q", i, a.Name, a.NameInType, a.NameQuoted, w.name)
		}
		if a.Type != w.typ {
			t.Errorf("attachment %s: type %q, want %q", w.name, a.Type, w.typ)
		}
		orig, _ := os.ReadFile(w.path)
		if !bytes.Equal(a.Data, orig) {
			t.Errorf("attachment %s: %d bytes differ from the file's %d", w.name, len(a.Data), len(orig))
		}
	}

	h := p.Header
	if got, want := h.Get("Message-Id"), "<"+m.ID()+"@snv.soctrang.gov.vn>"; got != want {
		t.Errorf("Message-ID %q, want %q", got, want)
	}
	if d, err := h.Date(); err != nil || !d.Equal(time.Date(2023, 10, 1, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("Date %v (%v)", d, err)
	}
	from, err := mail.ParseAddress(h.Get("From"))
	if err != nil || from.Name != "Sở Nội vụ" || from.Address != "baocao@snv.soctrang.gov.vn" {
		t.Errorf("From %v (%v)", from, err)
	}
	to, err := h.AddressList("To")
	if err != nil || len(to) != 1 || to[0].Name != "Giám đốc Sở" {
		t.Errorf("To %v (%v)", to, err)
	}
	if h.Get("Auto-Submitted") != "auto-generated" || h.Get(headerKind) != KindReport || h.Get(headerPeriod) != "2023-09" {
		t.Errorf("canbo headers: %v", h)
	}
	for _, line := range strings.Split(string(raw), "\r\n") {
		if len(line) > 998 {
			t.Errorf("line of %d bytes", len(line))
		}
	}
	if bytes.Contains(bytes.ReplaceAll(raw, []byte("\r\n"), nil), []byte("\n")) {
		t.Error("bare LF in the .eml")
	}
}

// TestMessageIdentity: the same report gives the same ID; other figures give another
// ID under the same key.
func TestMessageIdentity(t *testing.T) {
	dir := t.TempDir()
	a, _, _ := reportMessage(t, dir)
	b, _, _ := reportMessage(t, dir)
	if a.ID() != b.ID() || a.MessageID() != b.MessageID() {
		t.Errorf("same report, IDs %s and %s", a.ID(), b.ID())
	}
	if !strings.HasPrefix(a.ID(), "report-2023-09-") || len(a.ID()) != len("report-2023-09-")+16 {
		t.Errorf("ID %q", a.ID())
	}
	s := testSummary()
	s.Total.Headcount = 389
	c, err := ReportMessage(s, testConfig(t), nil, testTemplates(t))
	if err != nil {
		t.Fatal(err)
	}
	for change, want := range map[int]string{5: "(tăng 5 người so với tháng 08/2023)", -3: "(giảm 3 người so với tháng 08/2023)", 0: "(không đổi so với tháng 08/2023)"} {
		s := testSummary()
		s.Previous = &summary.Changes{Period: "2023-08", Total: summary.UnitChange{Headcount: 388, PreviousHeadcount: 388 - change, HeadcountChange: change}}
		m, err := ReportMessage(s, testConfig(t), nil, testTemplates(t))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(m.Body, "Tổng số: 388 người ở 3 đơn vị "+want+".") {
			t.Errorf("change %d:\n%s", change, m.Body)
		}
	}
	if !strings.Contains(c.Body, "Tổng số: 389 người ở 3 đơn vị.\n") {
		t.Errorf("no history, no comparison:\n%s", c.Body)
	}
	if c.ID() == a.ID() || c.Key() != a.Key() || a.Key() != "report/2023-09" {
		t.Errorf("changed report: ID %s (was %s), key %s (was %s)", c.ID(), a.ID(), c.Key(), a.Key())
	}
	c.resend = 1
	if id := c.ID(); id == a.ID() {
		t.Error("a resend must have its own ID")
	}
}

func TestReportMessageNeedsAddresses(t *testing.T) {
	cfg := testConfig(t)
	cfg.Serve.Mail.From, cfg.Serve.Mail.To = "", nil
	_, err := ReportMessage(testSummary(), cfg, nil, testTemplates(t))
	if err == nil || !strings.Contains(err.Error(), "mail.from") || !strings.Contains(err.Error(), "mail.to") {
		t.Errorf("err = %v", err)
	}
}

func TestFeedbackMessage(t *testing.T) {
	dir := t.TempDir()
	wb := filepath.Join(dir, "UBND xã Nghĩa Tá.xlsx")
	content := []byte("PK\x03\x04 not really a workbook ☺")
	if err := os.WriteFile(wb, content, 0o644); err != nil {
		t.Fatal(err)
	}
	cfg := testConfig(t)
	tm := testTemplates(t)
	to := schema.UnitContact{Unit: "UBND xã Nghĩa Tá", Email: "nghiata@chodon.backan.gov.vn"}
	fb := Feedback{Unit: "UBND xã Nghĩa Tá", Period: "2023-09", File: "UBND xã Nghĩa Tá.xlsx",
		SHA256: "0123456789abcdef0123456789abcdef", Status: "accepted", Errors: 3, Warnings: 1, Workbook: wb}
	m, err := FeedbackMessage(tm, cfg, to, fb)
	if err != nil {
		t.Fatal(err)
	}
	if m.Key() != "feedback/2023-09/UBND xã Nghĩa Tá/0123456789abcdef" || !strings.HasPrefix(m.ID(), "feedback-2023-09-ubnd-xa-nghia-ta-") {
		t.Errorf("key %q, id %q", m.Key(), m.ID())
	}
	raw, err := m.EML(time.Now())
	if err != nil {
		t.Fatal(err)
	}
	p := parseEML(t, raw)
	if want := "Kết quả kiểm tra tệp “UBND xã Nghĩa Tá.xlsx” — kỳ báo cáo 09/2023: 3 lỗi cần sửa"; p.Subject != want {
		t.Errorf("subject %q", p.Subject)
	}
	for _, want := range []string{"Kính gửi UBND xã Nghĩa Tá,", "Kết quả: 3 lỗi cần sửa, 1 cảnh báo.", "ô có lỗi tô màu đỏ"} {
		if !strings.Contains(p.Text, want) {
			t.Errorf("body lacks %q:\n%s", want, p.Text)
		}
	}
	if len(p.Attachments) != 1 || p.Attachments[0].Name != "UBND xã Nghĩa Tá (phản hồi).xlsx" || !bytes.Equal(p.Attachments[0].Data, content) {
		t.Errorf("attachments %+v", p.Attachments)
	}
	if to, _ := p.Header.AddressList("To"); len(to) != 1 || to[0].Address != "nghiata@chodon.backan.gov.vn" {
		t.Errorf("To %v", to)
	}

	// A file that could not be opened: no workbook to attach, the reason in the body.
	rej := Feedback{Unit: "UBND xã Nghĩa Tá", Period: "2023-09", File: "mat-khau.xlsx", SHA256: "ff00", Status: "rejected",
		Reason: "Tệp có đặt mật khẩu nên không đọc được."}
	m2, err := FeedbackMessage(tm, cfg, to, rej)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(m2.Subject, ": không dùng được") || !strings.Contains(m2.Body, "Tệp này không dùng được: Tệp có đặt mật khẩu") || len(m2.Attachments) != 0 {
		t.Errorf("rejected: %q\n%s", m2.Subject, m2.Body)
	}
	if m2.Key() == m.Key() {
		t.Error("two files of one unit must be two messages")
	}

	// Warnings only: the subject must not say "không có lỗi" and stop there while a
	// marked workbook is attached; it says what to look at.
	warn := fb
	warn.Errors, warn.Warnings = 0, 2
	m3, err := FeedbackMessage(tm, cfg, to, warn)
	if err != nil {
		t.Fatal(err)
	}
	if want := "Kết quả kiểm tra tệp “UBND xã Nghĩa Tá.xlsx” — kỳ báo cáo 09/2023: không có lỗi, 2 cảnh báo cần xem lại"; m3.Subject != want {
		t.Errorf("warnings only: subject %q, want %q", m3.Subject, want)
	}
	if _, err := FeedbackMessage(tm, cfg, schema.UnitContact{Unit: "X"}, fb); err == nil {
		t.Error("no address: want an error")
	}
}

func TestFindContact(t *testing.T) {
	units := []schema.UnitContact{{Unit: "UBND xã Nghĩa Tá", Email: "a@x.vn"}, {Unit: "Sở Tài chính", Email: ""}}
	if c, ok := FindContact(units, "Ủy ban nhân dân xã Nghĩa Tá"); ok {
		t.Errorf("matched a different spelling: %v", c)
	}
	if c, ok := FindContact(units, "ubnd  XÃ nghia ta"); !ok || c.Email != "a@x.vn" {
		t.Errorf("got %v %v", c, ok)
	}
	if _, ok := FindContact(units, "Sở Tài chính"); ok {
		t.Error("a contact without an address is no contact")
	}
}

func TestLoadTemplatesErrors(t *testing.T) {
	good, err := templates.FS.ReadFile(TemplateFile)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, yaml, want string
	}{
		{"misspelt field", strings.Replace(string(good), "{{num .Headcount}} người\n", "{{num .Headcout}} người\n", 1), "Headcout"},
		{"unknown key", string(good) + "\nreprot: {}\n", "reprot"},
		{"syntax", strings.Replace(string(good), "{{period .Period}} —", "{{period .Period —", 1), "report.subject"},
		{"no subject", strings.Replace(string(good), "  subject: >-\n    Báo cáo đội ngũ", "  x_subject: >-\n    Báo cáo đội ngũ", 1), "x_subject"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.yaml == string(good) {
				t.Fatal("replacement did not apply")
			}
			_, err := LoadTemplates(fstest.MapFS{TemplateFile: {Data: []byte(tt.yaml)}})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want it to mention %q", err, tt.want)
			}
		})
	}
	if _, err := LoadTemplates(fstest.MapFS{}); err == nil {
		t.Error("no mail.yaml: want an error")
	}
}

func TestWriteEMLDryRun(t *testing.T) {
	dir := t.TempDir()
	m, _, _ := reportMessage(t, dir)
	out := filepath.Join(dir, "thu-thu")
	paths, err := WriteEML(out, m)
	if err != nil {
		t.Fatal(err)
	}
	if len(paths) != 1 || paths[0] != filepath.Join(out, m.ID()+".eml") {
		t.Fatalf("paths %v", paths)
	}
	raw, err := os.ReadFile(paths[0])
	if err != nil {
		t.Fatal(err)
	}
	p := parseEML(t, raw)
	if !strings.HasPrefix(p.Subject, "Báo cáo đội ngũ CBCCVC tháng 09/2023") || len(p.Attachments) != 2 {
		t.Errorf("subject %q, %d attachments", p.Subject, len(p.Attachments))
	}
}

func TestSize(t *testing.T) {
	for n, want := range map[int64]string{950: "950 B", 1024: "1 KB", 1536: "1,5 KB", 2_500_000: "2,4 MB"} {
		if got := Size(n); got != want {
			t.Errorf("Size(%d) = %q, want %q", n, got, want)
		}
	}
}

// TestReportFiles: the report mail carries the Word report when the period has one,
// and still goes with the Excel and PDF reports for a period made before there was a
// Word report.
func TestReportFiles(t *testing.T) {
	dir := t.TempDir()
	base := filepath.Join(dir, "bao-cao-2023-09")
	if got := ReportFiles(dir, "2023-09"); len(got) != 2 || got[0] != base+".xlsx" || got[1] != base+".pdf" {
		t.Errorf("without a .docx: %q", got)
	}
	if err := os.WriteFile(base+".docx", []byte("PK"), 0o644); err != nil {
		t.Fatal(err)
	}
	if got := ReportFiles(dir, "2023-09"); len(got) != 3 || got[2] != base+".docx" {
		t.Errorf("with a .docx: %q", got)
	}
	if ct := ContentType("Báo cáo tháng 09-2023.docx"); ct != "application/vnd.openxmlformats-officedocument.wordprocessingml.document" {
		t.Errorf("content type %q", ct)
	}
}

// TestReminder: the reminder is written from mail.yaml's texts: the unit, the period
// as 09/2023, the deadline when there is one and no sentence about it when there is
// none.
func TestReminder(t *testing.T) {
	tm := testTemplates(t)
	subject, body, err := tm.Reminder(ReminderData{Unit: "UBND xã Nghĩa Tá", Period: "2023-09", Deadline: "07:00 01/10/2023", Office: "SỞ NỘI VỤ"})
	if err != nil {
		t.Fatal(err)
	}
	if want := "Nhắc gửi danh sách cán bộ kỳ 09/2023 — UBND xã Nghĩa Tá"; subject != want {
		t.Errorf("subject %q, want %q", subject, want)
	}
	for _, want := range []string{"Kính gửi UBND xã Nghĩa Tá,", "SỞ NỘI VỤ chưa nhận được tệp danh sách cán bộ, công chức kỳ 09/2023 của đơn vị. Hạn gửi: 07:00 01/10/2023.", "\n-- \n"} {
		if !strings.Contains(body, want) {
			t.Errorf("body lacks %q:\n%s", want, body)
		}
	}
	_, body, err = tm.Reminder(ReminderData{Unit: "UBND xã Nghĩa Tá", Period: "2023-09", Office: "SỞ NỘI VỤ"})
	if err != nil || strings.Contains(body, "Hạn gửi") {
		t.Errorf("without a deadline: %v\n%s", err, body)
	}
}
