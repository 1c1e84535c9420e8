package mail

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"mime"
	"net/mail"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"

	"canbo/pipeline/outfile"
	"canbo/pipeline/reporttext"
	"canbo/pipeline/schema"
	"canbo/pipeline/summary"
	"canbo/pipeline/textfold"
)

// The kinds of message canbo sends.
const (
	KindReport   = "report"   // the monthly report to leadership, with the .xlsx, .pdf and .docx
	KindFeedback = "feedback" // a unit's feedback workbook, back to the unit
)

// Headers canbo adds so that an .eml file says by itself what it is (the outbox
// rebuilds a lost status file from them).
const (
	headerID     = "X-Canbo-Id"
	headerKind   = "X-Canbo-Kind"
	headerPeriod = "X-Canbo-Period"
	headerUnit   = "X-Canbo-Unit"
	headerRef    = "X-Canbo-Ref"
)

// Message is one e-mail, composed but not yet rendered: what it says and to whom.
// Its ID and Message-ID follow from its content (see ID), so composing the same
// report twice gives the same message.
type Message struct {
	Kind   string // KindReport or KindFeedback
	Period string // YYYY-MM
	Unit   string // the unit a feedback message goes to; "" for the report
	Ref    string // tells apart messages of one kind, period and unit: a feedback message's input sha256

	From    string   // "Sở Nội vụ <baocao@snv.soctrang.gov.vn>"
	To, Cc  []string // addresses, with or without display names
	Subject string
	Body    string // text/plain, UTF-8
	// Attachments are held in memory: the .eml written to the outbox is complete.
	Attachments []Attachment
	// Date is the Date header; zero means "when it is queued or written".
	Date time.Time

	resend int // > 0 for an explicit resend: a new message with a new ID
}

// Attachment is one attached file.
type Attachment struct {
	Name        string // as the recipient sees it; may be Vietnamese ("Báo cáo … 09-2023.xlsx")
	ContentType string // "application/pdf"
	Data        []byte
}

// contentTypes are the MIME types of the files canbo attaches. mime.TypeByExtension
// is not used: on Windows it reads the registry, which varies from machine to machine.
var contentTypes = map[string]string{
	".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
	".xlsm": "application/vnd.ms-excel.sheet.macroEnabled.12",
	".xls":  "application/vnd.ms-excel",
	".pdf":  "application/pdf",
	".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
	".json": "application/json",
	".csv":  "text/csv",
	".txt":  "text/plain",
	".zip":  "application/zip",
}

// ContentType is the MIME type canbo gives a file by its extension.
func ContentType(name string) string {
	if ct, ok := contentTypes[strings.ToLower(filepath.Ext(name))]; ok {
		return ct
	}
	return "application/octet-stream"
}

// ReportFiles are the files of period's report in dir (OUT/YYYY-MM) that the report
// mail carries: the Excel and PDF reports, and the Word report, for the office to
// finish and sign, when the period has one (a period made by an older canbo has
// none, and its mail still goes).
func ReportFiles(dir, period string) []string {
	base := filepath.Join(dir, "bao-cao-"+period)
	files := []string{base + ".xlsx", base + ".pdf"}
	if _, err := os.Stat(base + ".docx"); err == nil {
		files = append(files, base+".docx")
	}
	return files
}

// Key says which message this is regardless of its exact content: kind, period, unit
// and ref. The outbox sends one message per key; see Outbox.Enqueue.
func (m *Message) Key() string {
	k := m.Kind + "/" + m.Period
	if m.Unit != "" || m.Ref != "" {
		k += "/" + m.Unit
	}
	if m.Ref != "" {
		k += "/" + m.Ref
	}
	return k
}

// ID is the message's identity: kind, period, the unit as ASCII, and a hash of
// everything the recipients get (addresses, subject, body, every attachment's name,
// type and bytes; not the Date). The same content always gives the same ID, e.g.
// "report-2023-09-5c1e0a9b3f7d2e41" or "feedback-2023-09-ubnd-xa-nghia-ta-0d4c…".
// It names the outbox files and, with the sender's domain, forms the Message-ID.
func (m *Message) ID() string {
	id := m.Kind + "-" + m.Period
	if s := slug(m.Unit); s != "" {
		id += "-" + s
	}
	return id + "-" + m.contentHash()[:16]
}

func (m *Message) contentHash() string {
	type att struct {
		Name, Type, SHA256 string
	}
	c := struct {
		Kind, Period, Unit, Ref, From string
		To, Cc                        []string
		Subject, Body                 string
		Attachments                   []att
		Resend                        int `json:",omitempty"`
	}{m.Kind, m.Period, m.Unit, m.Ref, m.From, m.To, m.Cc, m.Subject, m.Body, nil, m.resend}
	for _, a := range m.Attachments {
		sum := sha256.Sum256(a.Data)
		c.Attachments = append(c.Attachments, att{a.Name, a.ContentType, hex.EncodeToString(sum[:])})
	}
	data, _ := json.Marshal(c) // strings and ints only: cannot fail
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}

// MessageID is the Message-ID header without angle brackets: the ID at the sender's
// domain. Every delivery of the same queued message carries it, so a mail client that
// de-duplicates by Message-ID shows a repeated delivery once.
func (m *Message) MessageID() string {
	domain := "canbo.invalid"
	if a, err := mail.ParseAddress(m.From); err == nil {
		if _, d, ok := strings.Cut(a.Address, "@"); ok && d != "" {
			domain = d
		}
	}
	return m.ID() + "@" + domain
}

// Envelope is the SMTP envelope: the sender's address and every recipient's.
type Envelope struct {
	From string
	To   []string
}

// Envelope returns the message's SMTP envelope, or an error naming a bad address.
func (m *Message) Envelope() (Envelope, error) {
	from, err := mail.ParseAddress(m.From)
	if err != nil {
		return Envelope{}, fmt.Errorf("địa chỉ gửi %q không hợp lệ (mail.from): %w", m.From, err)
	}
	env := Envelope{From: from.Address}
	seen := map[string]bool{}
	for _, list := range [][]string{m.To, m.Cc} {
		for _, s := range list {
			a, err := mail.ParseAddress(s)
			if err != nil {
				return Envelope{}, fmt.Errorf("địa chỉ nhận %q không hợp lệ: %w", s, err)
			}
			if k := strings.ToLower(a.Address); !seen[k] {
				seen[k] = true
				env.To = append(env.To, a.Address)
			}
		}
	}
	if len(env.To) == 0 {
		return Envelope{}, errors.New("thư không có người nhận")
	}
	return env, nil
}

// EML renders the message as an RFC 5322 file (CRLF line ends): UTF-8 text/plain
// body in quoted-printable, subject and names RFC 2047-encoded, attachments in base64
// with their names in both RFC 2231 (filename*) and RFC 2047 forms. date is used when
// m.Date is zero.
func (m *Message) EML(date time.Time) ([]byte, error) {
	if !m.Date.IsZero() {
		date = m.Date
	}
	if date.IsZero() {
		date = time.Now()
	}
	if _, err := m.Envelope(); err != nil {
		return nil, err
	}
	g := gomail.NewMsg(gomail.WithCharset(gomail.CharsetUTF8), gomail.WithEncoding(gomail.EncodingQP))
	if err := g.From(m.From); err != nil {
		return nil, fmt.Errorf("địa chỉ gửi %q không hợp lệ: %w", m.From, err)
	}
	if err := g.To(m.To...); err != nil {
		return nil, fmt.Errorf("địa chỉ nhận không hợp lệ: %w", err)
	}
	if len(m.Cc) > 0 {
		if err := g.Cc(m.Cc...); err != nil {
			return nil, fmt.Errorf("địa chỉ đồng gửi không hợp lệ: %w", err)
		}
	}
	g.Subject(m.Subject)
	g.SetMessageIDWithValue(m.MessageID())
	g.SetDateWithValue(date)
	g.SetUserAgent("canbo")
	// An automatic report: no out-of-office replies to it (RFC 3834; Exchange).
	g.SetGenHeader("Auto-Submitted", "auto-generated")
	g.SetGenHeader(gomail.HeaderXAutoResponseSuppress, "All")
	g.SetGenHeader(headerID, m.ID())
	g.SetGenHeader(headerKind, m.Kind)
	g.SetGenHeader(headerPeriod, m.Period)
	if m.Unit != "" {
		g.SetGenHeader(headerUnit, m.Unit)
	}
	if m.Ref != "" {
		g.SetGenHeader(headerRef, m.Ref)
	}
	g.SetBodyString(gomail.TypeTextPlain, m.Body)
	for _, a := range m.Attachments {
		if err := g.AttachReader(a.Name, bytes.NewReader(a.Data), attachmentHeaders(a)); err != nil {
			return nil, fmt.Errorf("đính kèm %s: %w", a.Name, err)
		}
	}
	var buf bytes.Buffer
	if _, err := g.WriteTo(&buf); err != nil {
		return nil, fmt.Errorf("soạn thư %s: %w", m.ID(), err)
	}
	return buf.Bytes(), nil
}

// attachmentHeaders names an attachment both ways: filename* (RFC 2231, what current
// clients read) and an RFC 2047 encoded-word in name and filename (what older Outlook
// and webmail read). A client that understands both prefers filename*.
func attachmentHeaders(a Attachment) gomail.FileOption {
	return func(f *gomail.File) {
		ct := a.ContentType
		if ct == "" {
			ct = ContentType(a.Name)
		}
		name := a.Name
		encoded := name
		if !isASCII(name) {
			encoded = mime.BEncoding.Encode("UTF-8", name)
		}
		ext := mime.FormatMediaType("attachment", map[string]string{"filename": name})
		if ext == "" { // FormatMediaType refuses nothing we produce, but be safe
			ext = "attachment"
		}
		disp := ext
		if !isASCII(name) {
			disp = `attachment; filename="` + encoded + `";` + "\r\n " + strings.TrimSpace(strings.TrimPrefix(ext, "attachment;"))
		}
		f.Header.Set(string(gomail.HeaderContentType), ct+`; name="`+encoded+`"`)
		f.Header.Set(string(gomail.HeaderContentDisposition), disp)
	}
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 || s[i] == '"' || s[i] == '\\' {
			return false
		}
	}
	return true
}

// WriteEML renders m into dir/<ID>.eml, atomically, and returns the path; `canbo
// send --dry-run` uses it instead of sending.
func (m *Message) WriteEML(dir string) (string, error) {
	data, err := m.EML(time.Now())
	if err != nil {
		return "", err
	}
	path := filepath.Join(dir, m.ID()+".eml")
	if err := outfile.WriteBytes(path, data, 0o644); err != nil {
		return "", err
	}
	return path, nil
}

// WriteEML writes each message into dir as <ID>.eml (see Message.WriteEML).
func WriteEML(dir string, msgs ...*Message) ([]string, error) {
	var paths []string
	for _, m := range msgs {
		p, err := m.WriteEML(dir)
		if err != nil {
			return paths, err
		}
		paths = append(paths, p)
	}
	return paths, nil
}

// ReportData is what the report texts of mail.yaml receive.
type ReportData struct {
	Period       string // "2023-09"; {{period .Period}} → "09/2023"
	AsOf         string // "2023-09-30"; {{date .AsOf}} → "30/09/2023"
	Office       string // the issuing body of report.yaml (document.body): "SỞ NỘI VỤ"
	ParentOffice string // document.parent_body: "UBND TỈNH SÓC TRĂNG"
	Headcount    int    // persons in all accepted rosters
	Units        int    // units with a roster
	Training     int    // training attendances (lượt người)

	PreviousPeriod    string // the period compared with (from the history), "" when none
	PreviousHeadcount int
	HeadcountChange   int // Headcount - PreviousHeadcount

	Targets, TargetsMet         int         // targets evaluated over everything, and of them met
	TargetsEmpty                int         // targets over everything that nobody in the data falls under
	UnitTargets, UnitTargetsMet int         // targets evaluated per unit, and of them met
	Shortfalls                  []Shortfall // unmet overall targets, largest shortfall first, at most max_shortfalls
	MoreShortfalls              int         // unmet overall targets not listed

	Files         int      // files received (accepted, rejected or superseded; not lock files)
	Accepted      int      // files used
	Rejected      int      // files that could not be used
	Superseded    int      // files replaced by a newer one from the same unit
	RejectedFiles []string // their names
	Errors        int      // data errors units must fix
	Warnings      int
	BelowStandard int // persons below a position standard

	Intro       string           // the report's first sentence (templates/report.yaml, narrative.intro)
	Narrative   []string         // all the report's generated sentences
	Attachments []AttachmentInfo // what is attached
}

// Shortfall is one unmet target: what it still needs.
type Shortfall struct {
	Title      string
	Unit       string // "" for a target over everything
	Count      int
	Population int
	Share      float64
	Threshold  float64
	Shortfall  int    // more people needed
	Deadline   string // YYYY-MM-DD or ""
}

// AttachmentInfo describes an attachment in a body.
type AttachmentInfo struct {
	Name string // as attached
	Kind string // mail.yaml file_kinds for its extension: "báo cáo Excel"
	Size int64  // bytes; {{size .Size}} → "129 KB"
}

// AttachmentName is what attachment_name templates receive.
type AttachmentName struct {
	File   string // the file's own name: "bao-cao-2023-09.xlsx", "UBND xã Nghĩa Tá.xlsx"
	Stem   string // without the extension
	Ext    string // ".xlsx"; always added after the template's result
	Period string // "2023-09"
	Month  string // "09"
	Year   string // "2023"
	Unit   string // feedback: the unit
}

// ReportMessage composes the monthly report e-mail for leadership: subject and body
// from mail.yaml with the period's key figures, the given files (the .xlsx and .pdf)
// attached. Sender and recipients are serve.yaml's mail.from, mail.to and mail.cc.
// txt may be nil (no narrative sentences then).
func ReportMessage(s *summary.Summary, cfg *schema.Config, txt *reporttext.Text, tm *Templates, attachments ...string) (*Message, error) {
	m, d, err := reportBase(s, cfg, txt, tm)
	if err != nil {
		return nil, err
	}
	m.Kind, m.Period = KindReport, s.Period
	y, mo, _ := strings.Cut(s.Period, "-")
	d.Attachments, err = m.attach(tm, tm.report, AttachmentName{Period: s.Period, Month: mo, Year: y}, attachments)
	if err != nil {
		return nil, err
	}
	if m.Subject, m.Body, err = tm.report.render(d); err != nil {
		return nil, err
	}
	return m, nil
}

// reportBase is what the monthly report's mail and a span report's share: the
// sender and recipients, and the report's figures for the texts.
func reportBase(s *summary.Summary, cfg *schema.Config, txt *reporttext.Text, tm *Templates) (*Message, ReportData, error) {
	if s == nil || cfg == nil || tm == nil {
		return nil, ReportData{}, errors.New("mail: thư báo cáo cần summary, cấu hình và mẫu thư")
	}
	mc := cfg.Serve.Mail
	if errs := checkAddresses(mc); len(errs) > 0 {
		return nil, ReportData{}, joinSemicolon(errs)
	}
	m := &Message{From: mc.From, To: mc.To, Cc: mc.Cc}
	d := ReportData{
		Period: s.Period, AsOf: s.AsOf,
		Office: cfg.Report.Document.Body, ParentOffice: cfg.Report.Document.ParentBody,
		Headcount: s.Total.Headcount, Units: len(s.Units), Training: s.Training.Total,
		Errors: s.Issues.Errors, Warnings: s.Issues.Warnings, BelowStandard: len(s.BelowStandard),
	}
	if p := s.Previous; p != nil && p.Period != "" {
		d.PreviousPeriod, d.PreviousHeadcount, d.HeadcountChange = p.Period, p.Total.PreviousHeadcount, p.Total.HeadcountChange
	}
	tc := summary.CountTargets(s.Targets)
	d.Targets, d.TargetsMet, d.TargetsEmpty, d.UnitTargets, d.UnitTargetsMet = tc.Overall, tc.OverallMet, tc.Empty, tc.Unit, tc.UnitMet
	var unmet []Shortfall
	for _, t := range s.Targets {
		if t.Unit == "" && t.Population > 0 && !t.Met && t.Shortfall > 0 {
			unmet = append(unmet, Shortfall{Title: t.Title, Count: t.Count, Population: t.Population,
				Share: t.Share, Threshold: t.Threshold, Shortfall: t.Shortfall, Deadline: t.Deadline})
		}
	}
	sort.SliceStable(unmet, func(i, j int) bool { return unmet[i].Shortfall > unmet[j].Shortfall })
	if len(unmet) > tm.maxShortfalls {
		d.MoreShortfalls = len(unmet) - tm.maxShortfalls
		unmet = unmet[:tm.maxShortfalls]
	}
	d.Shortfalls = unmet
	for _, f := range s.Files {
		switch f.Status {
		case "accepted":
			d.Accepted++
		case "rejected":
			d.Rejected++
			d.RejectedFiles = append(d.RejectedFiles, f.File)
		case "superseded":
			d.Superseded++
		default:
			continue
		}
		d.Files++
	}
	if txt != nil {
		paras, err := txt.Narrative(s, cfg)
		if err != nil {
			return nil, ReportData{}, err
		}
		d.Narrative = paras
		if len(paras) > 0 {
			d.Intro = paras[0]
		}
	}
	return m, d, nil
}

// attach reads the files into m, named by k's attachment_name from data (an
// AttachmentName, or a value embedding one), and describes them for the body.
func (m *Message) attach(tm *Templates, k kindTemplates, data any, files []string) ([]AttachmentInfo, error) {
	var infos []AttachmentInfo
	for _, path := range files {
		a, err := readAttachment(path, k, data)
		if err != nil {
			return nil, err
		}
		m.Attachments = append(m.Attachments, a)
		infos = append(infos, AttachmentInfo{Name: a.Name, Kind: tm.FileKind(filepath.Ext(a.Name)), Size: int64(len(a.Data))})
	}
	return infos, nil
}

// KindSpanReport is the kind of a span report's mail (serve.yaml span_reports): one
// message per span, kept apart from the monthly report of its last month.
const KindSpanReport = "span-report"

// Span is what a span report's mail says besides the report's own figures.
type Span struct {
	Name   string       // the report's name in serve.yaml (span_reports[].name): "Báo cáo năm"
	Unsure []UnsureFile // registers canbo is unsure it counted fully
}

// UnsureFile is a register the span report did not read, or read while unsure, and
// cannot be sure it need not have: the office should ask its unit (Reason says what for).
type UnsureFile struct {
	File   string // as the unit named it
	Unit   string
	Reason string // the report's words on it: "Chưa chắc đã tính đủ: …"
}

// SpanReportData is what mail.yaml's span_report texts receive: the monthly report's
// figures (ReportData; Period is the span's last month) over the span, with its name,
// first and last month, the attendances left out of it, and the registers to check.
type SpanReportData struct {
	ReportData
	Name     string // the report's name: "Báo cáo năm"
	From, To string // the span's first and last month, written: "01/2025", "12/2025"
	// Training attendances not counted: begun before the span, after it, or undated.
	TrainingBefore, TrainingAfter, TrainingUndated int
	Unsure                                         []UnsureFile
}

// SpanAttachmentName is what span_report.attachment_name receives.
type SpanAttachmentName struct {
	AttachmentName
	Name     string // the report's name
	From, To string // "01/2025", "12/2025" (a "/" becomes "-" in a file name)
}

// SpanReportMessage composes a span report's e-mail (s.Span set) from mail.yaml's
// span_report: its own texts, so an office's wording of the monthly mail never
// decides what the span's says. Kind KindSpanReport, period FROM_TO (the report's
// name), sent to the monthly report's recipients.
func SpanReportMessage(sp Span, s *summary.Summary, cfg *schema.Config, txt *reporttext.Text, tm *Templates, attachments ...string) (*Message, error) {
	if s == nil || s.Span == nil {
		return nil, errors.New("báo cáo không phải báo cáo theo khoảng")
	}
	m, rd, err := reportBase(s, cfg, txt, tm)
	if err != nil {
		return nil, err
	}
	m.Kind, m.Period = KindSpanReport, s.ReportName()
	d := SpanReportData{ReportData: rd, Name: strings.TrimSpace(sp.Name), From: reporttext.Period(s.Span.From),
		To: reporttext.Period(s.Span.To), Unsure: sp.Unsure}
	if o := s.Training.OutsideSpan; o != nil {
		d.TrainingBefore, d.TrainingAfter, d.TrainingUndated = o.Before, o.After, o.Undated
	}
	y, mo, _ := strings.Cut(s.Span.To, "-")
	name := SpanAttachmentName{AttachmentName: AttachmentName{Period: s.Span.To, Month: mo, Year: y}, Name: d.Name, From: d.From, To: d.To}
	if d.Attachments, err = m.attach(tm, tm.spanReport, name, attachments); err != nil {
		return nil, err
	}
	if m.Subject, m.Body, err = tm.spanReport.render(d); err != nil {
		return nil, err
	}
	return m, nil
}

// Feedback is what a unit is told about one file it sent.
type Feedback struct {
	Unit     string // the unit, as the report names it
	Period   string // YYYY-MM
	File     string // the file's name as submitted
	SHA256   string // the file's sha256: one message per distinct file
	Status   string // accepted | rejected | superseded
	Reason   string // why it was rejected
	Errors   int
	Warnings int
	Workbook string // the feedback workbook (marked-up copy) to attach; "" when there is none
}

// FeedbackData is what the feedback texts of mail.yaml receive.
type FeedbackData struct {
	Feedback
	Office       string // report.yaml document.body
	ParentOffice string
	Rejected     bool // the file could not be used at all
	Attachments  []AttachmentInfo
}

// FeedbackMessage composes the e-mail that sends a unit the feedback on a file it
// sent: the marked-up workbook attached, the counts of errors and warnings in the
// body. It goes to the unit's contact address; the sender is mail.from.
func FeedbackMessage(tm *Templates, cfg *schema.Config, to schema.UnitContact, fb Feedback) (*Message, error) {
	if tm == nil || cfg == nil {
		return nil, errors.New("mail: FeedbackMessage cần cấu hình và mẫu thư")
	}
	mc := cfg.Serve.Mail
	if strings.TrimSpace(mc.From) == "" {
		return nil, errors.New("chưa khai báo địa chỉ gửi thư: thêm mail.from vào serve.yaml")
	}
	if strings.TrimSpace(to.Email) == "" {
		return nil, fmt.Errorf("đơn vị %q chưa có địa chỉ thư (units trong serve.yaml)", to.Unit)
	}
	unit := fb.Unit
	if unit == "" {
		unit = to.Unit
	}
	fb.Unit = unit
	ref := fb.SHA256
	if len(ref) > 16 {
		ref = ref[:16]
	}
	if ref == "" {
		ref = slug(fb.File)
	}
	m := &Message{Kind: KindFeedback, Period: fb.Period, Unit: unit, Ref: ref, From: mc.From, To: []string{to.Email}}
	d := FeedbackData{Feedback: fb, Office: cfg.Report.Document.Body, ParentOffice: cfg.Report.Document.ParentBody,
		Rejected: fb.Status == "rejected"}
	if fb.Workbook != "" {
		y, mo, _ := strings.Cut(fb.Period, "-")
		name := AttachmentName{Period: fb.Period, Month: mo, Year: y, Unit: unit}
		// The workbook is a copy of the unit's file: show it under the name they sent.
		a, err := readAttachmentAs(fb.Workbook, fb.File, tm.feedback, name)
		if err != nil {
			return nil, err
		}
		m.Attachments = append(m.Attachments, a)
		d.Attachments = append(d.Attachments, AttachmentInfo{Name: a.Name, Kind: tm.FileKind(filepath.Ext(a.Name)), Size: int64(len(a.Data))})
	}
	var err error
	if m.Subject, m.Body, err = tm.feedback.render(d); err != nil {
		return nil, err
	}
	return m, nil
}

// FindContact returns the contact of unit among units, matching names without regard
// to case, accents or spacing ("UBND xã Nghĩa Tá" = "ubnd xa nghia ta").
func FindContact(units []schema.UnitContact, unit string) (schema.UnitContact, bool) {
	k := textfold.Key(unit)
	for _, u := range units {
		if textfold.Key(u.Unit) == k && strings.TrimSpace(u.Email) != "" {
			return u, true
		}
	}
	return schema.UnitContact{}, false
}

func readAttachment(path string, k kindTemplates, data any) (Attachment, error) {
	return readAttachmentAs(path, filepath.Base(path), k, data)
}

// readAttachmentAs reads the file at path, to be shown as shownAs (its own name when
// "") or as k's attachment_name makes of data: an AttachmentName, or a
// SpanAttachmentName, whose File, Stem and Ext are filled in here.
func readAttachmentAs(path, shownAs string, k kindTemplates, data any) (Attachment, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return Attachment{}, fmt.Errorf("đọc tệp đính kèm: %w", err)
	}
	if shownAs == "" {
		shownAs = filepath.Base(path)
	}
	ext := filepath.Ext(shownAs)
	file := func(n *AttachmentName) { n.File, n.Ext, n.Stem = shownAs, ext, strings.TrimSuffix(shownAs, ext) }
	switch n := data.(type) {
	case AttachmentName:
		file(&n)
		data = n
	case SpanAttachmentName:
		file(&n.AttachmentName)
		data = n
	}
	name, err := k.attachmentName(data, shownAs, ext)
	if err != nil {
		return Attachment{}, err
	}
	return Attachment{Name: name, ContentType: ContentType(name), Data: raw}, nil
}

// checkAddresses says, in Vietnamese, what is missing or wrong among the report's
// sender and recipients, one error a mistake, each naming its key in serve.yaml.
func checkAddresses(mc schema.Mail) []error {
	var problems []error
	if strings.TrimSpace(mc.From) == "" {
		problems = append(problems, keyError("mail", "chưa khai báo địa chỉ gửi thư: thêm mail.from vào serve.yaml"))
	} else if _, err := mail.ParseAddress(mc.From); err != nil {
		problems = append(problems, keyError("mail.from", fmt.Sprintf("mail.from %q không phải địa chỉ thư hợp lệ", mc.From)))
	}
	if len(mc.To) == 0 {
		problems = append(problems, keyError("mail", "chưa khai báo người nhận báo cáo: thêm mail.to vào serve.yaml"))
	}
	for _, list := range []struct {
		key   string
		addrs []string
	}{{"mail.to", mc.To}, {"mail.cc", mc.Cc}} {
		for i, a := range list.addrs {
			if _, err := mail.ParseAddress(a); err != nil {
				problems = append(problems, keyError(fmt.Sprintf("%s.%d", list.key, i), fmt.Sprintf("%s: %q không phải địa chỉ thư hợp lệ", list.key, a)))
			}
		}
	}
	return problems
}

// joinSemicolon is one error saying every one of errs on one line.
func joinSemicolon(errs []error) error {
	msgs := make([]string, len(errs))
	for i, e := range errs {
		msgs[i] = e.Error()
	}
	return errors.New(strings.Join(msgs, "; "))
}

// slug is s as lower-case ASCII words joined by "-", at most 40 bytes: for file names.
func slug(s string) string {
	k := strings.ReplaceAll(textfold.Key(s), " ", "-")
	var b strings.Builder
	for _, r := range k {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') || r == '-' {
			b.WriteRune(r)
		}
	}
	out := b.String()
	if len(out) > 40 {
		out = strings.TrimRight(out[:40], "-")
	}
	return out
}

// sample data for checking templates at load time.

func sampleReport() ReportData {
	return ReportData{Period: "2023-09", AsOf: "2023-09-30", Office: "SỞ NỘI VỤ", Headcount: 388, Units: 12,
		PreviousPeriod: "2023-08", PreviousHeadcount: 380, HeadcountChange: 8,
		Targets: 4, TargetsMet: 2, UnitTargets: 11, UnitTargetsMet: 4,
		Shortfalls:     []Shortfall{{Title: "Chỉ tiêu", Unit: "Đơn vị", Count: 21, Population: 120, Share: 0.175, Threshold: 0.3, Shortfall: 15, Deadline: "2025-12-31"}},
		MoreShortfalls: 1, Files: 3, Accepted: 2, Rejected: 1, RejectedFiles: []string{"a.xls"}, Errors: 1, Warnings: 1,
		BelowStandard: 1, Intro: "Câu mở đầu.", Narrative: []string{"Câu mở đầu."},
		Attachments: []AttachmentInfo{{Name: "a.xlsx", Kind: "báo cáo Excel", Size: 2048}}}
}

func sampleFeedback() FeedbackData {
	return FeedbackData{Feedback: Feedback{Unit: "UBND xã A", Period: "2023-09", File: "A.xlsx", Status: "accepted", Errors: 1, Warnings: 1},
		Office: "SỞ NỘI VỤ", Attachments: []AttachmentInfo{{Name: "A.xlsx", Kind: "bảng tính", Size: 2048}}}
}

func sampleSpan() SpanReportData {
	d := SpanReportData{ReportData: sampleReport(), Name: "Báo cáo năm", From: "01/2025", To: "12/2025",
		TrainingBefore: 18, TrainingAfter: 2, TrainingUndated: 1,
		Unsure: []UnsureFile{{File: "Sổ đào tạo 2024.xlsx", Unit: "UBND xã A", Reason: "Chưa chắc đã tính đủ: …"}}}
	d.Period, d.PreviousPeriod, d.PreviousHeadcount, d.HeadcountChange = "2025-12", "", 0, 0
	return d
}

func sampleSpanAttachmentName() SpanAttachmentName {
	return SpanAttachmentName{AttachmentName: sampleAttachmentName(), Name: "Báo cáo năm", From: "01/2025", To: "12/2025"}
}

func sampleAttachmentName() AttachmentName {
	return AttachmentName{File: "a.xlsx", Stem: "a", Ext: ".xlsx", Period: "2023-09", Month: "09", Year: "2023", Unit: "UBND xã A"}
}
