package mail

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"strings"
	"text/template"

	"golang.org/x/text/unicode/norm"

	"canbo/pipeline/reporttext"
	"canbo/pipeline/schema"
	"canbo/templates"
)

// TemplateFile is the file in templates/ that holds every word of the e-mails.
const TemplateFile = "mail.yaml"

// Templates are the parsed e-mail texts of templates/mail.yaml; safe for concurrent use.
type Templates struct {
	fileKinds     map[string]string
	maxShortfalls int
	report        kindTemplates
	feedback      kindTemplates
	reminder      kindTemplates
	spanReport    kindTemplates
	notes         []string
}

// kindTemplates are the three texts of one kind of message.
type kindTemplates struct {
	subject, attachment, body *template.Template
}

type templateFile struct {
	FileKinds map[string]string `yaml:"file_kinds"`
	Report    struct {
		MaxShortfalls  int            `yaml:"max_shortfalls"`
		Subject        schema.Written `yaml:"subject"`
		AttachmentName schema.Written `yaml:"attachment_name"`
		Body           schema.Written `yaml:"body"`
	} `yaml:"report"`
	Feedback kindTexts `yaml:"feedback"`
	Reminder kindTexts `yaml:"reminder"`
	// SpanReport is nil when the file has no span_report: one written before that
	// key existed, which takes canbo's own (see LoadTemplates).
	SpanReport *kindTexts `yaml:"span_report"`
}

// kindTexts are the three templates of one kind of message as written, each with
// its position for messages.
type kindTexts struct {
	Subject        schema.Written `yaml:"subject"`
	AttachmentName schema.Written `yaml:"attachment_name"`
	Body           schema.Written `yaml:"body"`
}

var funcs = template.FuncMap{
	"num":      reporttext.Int,
	"pct":      reporttext.Percent,
	"pctShort": reporttext.PercentShort,
	"date":     reporttext.Date,
	"period":   reporttext.Period,
	"size":     Size,
	"signed":   reporttext.Signed,
	"neg":      func(n int) int { return -n },
}

// LoadTemplates reads and checks templates/mail.yaml from a templates folder. Every
// template is executed once against sample data, so a misspelt field is reported here
// (by `canbo config check` and at start-up), never in a letter to leadership. The
// error is schema.Problems: each mistake at its line and column, in Vietnamese.
//
// A file without span_report (an office's mail.yaml written before span reports
// had texts of their own) is not wrong: the span report's mail then takes canbo's
// built-in texts, and Notes says so.
func LoadTemplates(fsys fs.FS) (*Templates, error) {
	shown := path.Join("templates", TemplateFile)
	f, err := decodeTemplates(fsys, shown)
	if err != nil {
		return nil, err
	}
	t := &Templates{fileKinds: map[string]string{}, maxShortfalls: f.Report.MaxShortfalls}
	for ext, kind := range f.FileKinds {
		t.fileKinds[strings.ToLower(ext)] = strings.TrimSpace(kind)
	}
	if t.maxShortfalls <= 0 {
		t.maxShortfalls = 3
	}
	var problems schema.Problems
	parse := func(shown, name string, w schema.Written, required bool) *template.Template {
		pos := w.Pos
		pos.File = shown
		if strings.TrimSpace(w.Value) == "" {
			if required {
				problems = append(problems, schema.Problem{Pos: pos, Msg: fmt.Sprintf("thiếu mẫu %q", name)})
			}
			return nil
		}
		tm, err := template.New(name).Funcs(funcs).Option("missingkey=error").Parse(w.Value)
		if err != nil {
			problems = append(problems, schema.TemplateProblem(pos, err))
			return nil
		}
		// Execute once on sample data: a field the data does not have is a
		// mistake in the template, and the place to say so is now.
		data := sampleData(name)
		if _, err := execute(tm, data); err != nil {
			problems = append(problems, schema.TemplateProblem(pos, err))
		}
		return tm
	}
	kind := func(shown, name string, k kindTexts, attachment bool) kindTemplates {
		kt := kindTemplates{
			subject: parse(shown, name+".subject", k.Subject, true),
			body:    parse(shown, name+".body", k.Body, true),
		}
		if attachment {
			kt.attachment = parse(shown, name+".attachment_name", k.AttachmentName, false)
		}
		return kt
	}
	t.report = kind(shown, "report", kindTexts{Subject: f.Report.Subject, AttachmentName: f.Report.AttachmentName, Body: f.Report.Body}, true)
	t.feedback = kind(shown, "feedback", f.Feedback, true)
	t.reminder = kind(shown, "reminder", f.Reminder, false)
	span, spanShown := f.SpanReport, shown
	if span == nil {
		builtin, err := decodeTemplates(templates.FS, builtinShown)
		if err != nil {
			return nil, fmt.Errorf("mẫu thư có sẵn của canbo: %w", err)
		}
		if span = builtin.SpanReport; span == nil {
			return nil, errors.New("mẫu thư có sẵn của canbo thiếu span_report") // a build without it: a programming error
		}
		spanShown = builtinShown
		t.notes = append(t.notes, shown+": chưa có mẫu span_report (thư báo cáo theo khoảng, span_reports trong serve.yaml); "+
			"thư đó dùng mẫu có sẵn của canbo. Muốn sửa câu chữ, chép mục span_report của templates/mail.yaml trong bản canbo này vào tệp")
	}
	t.spanReport = kind(spanShown, "span_report", *span, true)
	if len(problems) > 0 {
		problems.Sort()
		return nil, problems
	}
	return t, nil
}

// builtinShown names canbo's own mail.yaml in messages about it.
const builtinShown = "templates/mail.yaml (có sẵn trong canbo)"

// decodeTemplates reads mail.yaml of fsys; shown names it in messages.
func decodeTemplates(fsys fs.FS, shown string) (templateFile, error) {
	data, err := fs.ReadFile(fsys, TemplateFile)
	if err != nil {
		return templateFile{}, fmt.Errorf("đọc %s: %w", TemplateFile, err)
	}
	var f templateFile
	if ps := schema.Decode(shown, data, &f); len(ps) > 0 {
		return templateFile{}, ps
	}
	return f, nil
}

// Notes are what `canbo config check` says of mail.yaml besides its mistakes: a
// text it lacks and takes from canbo's own, each a line in Vietnamese.
func (t *Templates) Notes() []string {
	return t.notes
}

// ReminderData is what mail.yaml's reminder is written from.
type ReminderData struct {
	Unit     string // the unit reminded
	Period   string // YYYY-MM
	Deadline string // written already ("07:00 01/10/2023"); "" when there is none
	Office   string // the office that reminds (report.yaml document.body)
}

// Reminder is the subject and body of the mail reminding a unit to send its file.
func (t *Templates) Reminder(d ReminderData) (subject, body string, err error) {
	return t.reminder.render(d)
}

// sampleData is what the template of that name is executed with when loaded.
func sampleData(name string) any {
	switch {
	case name == "span_report.attachment_name":
		return sampleSpanAttachmentName()
	case strings.HasPrefix(name, "span_report."):
		return sampleSpan()
	case strings.HasSuffix(name, ".attachment_name"):
		return sampleAttachmentName()
	case strings.HasPrefix(name, "feedback."):
		return sampleFeedback()
	case strings.HasPrefix(name, "reminder."):
		return ReminderData{Unit: "UBND xã Nghĩa Tá", Period: "2023-09", Deadline: "07:00 01/10/2023", Office: "SỞ NỘI VỤ"}
	}
	return sampleReport()
}

// FileKind is the words that describe an attachment by its extension (".xlsx" →
// "báo cáo Excel"), or "" when mail.yaml names none.
func (t *Templates) FileKind(ext string) string {
	return t.fileKinds[strings.ToLower(ext)]
}

// render executes subject and body with data. The subject is joined into one line;
// the body's lines are trimmed at the end, runs of blank lines become one, and the
// text ends with a newline. Both are NFC.
func (k kindTemplates) render(data any) (subject, body string, err error) {
	subject, err = execute(k.subject, data)
	if err != nil {
		return "", "", err
	}
	body, err = execute(k.body, data)
	if err != nil {
		return "", "", err
	}
	return norm.NFC.String(strings.Join(strings.Fields(subject), " ")), norm.NFC.String(tidyBody(body)), nil
}

// attachmentName is the name an attachment is shown with: the attachment_name
// template executed on data with the file's extension ext added, or the file's own
// name when there is no template or it gives nothing.
func (k kindTemplates) attachmentName(data any, file, ext string) (string, error) {
	if k.attachment == nil {
		return file, nil
	}
	s, err := execute(k.attachment, data)
	if err != nil {
		return "", err
	}
	s = strings.Join(strings.Fields(s), " ")
	if s == "" {
		return file, nil
	}
	return norm.NFC.String(safeFileName(s) + ext), nil
}

func execute(tm *template.Template, data any) (string, error) {
	var b bytes.Buffer
	if err := tm.Execute(&b, data); err != nil {
		return "", fmt.Errorf("mẫu %q: %w", tm.Name(), err)
	}
	return b.String(), nil
}

var blankRuns = regexp.MustCompile(`\n{3,}`)

// tidyBody lets templates be written for reading: trailing spaces go, "--" becomes the signature separator "-- ", a run of blank
// lines left by a false {{if}} becomes one blank line, and the text ends with "\n".
func tidyBody(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " \t")
		if lines[i] == "--" {
			lines[i] = "-- " // the signature separator has its space (RFC 3676)
		}
	}
	s = blankRuns.ReplaceAllString(strings.Join(lines, "\n"), "\n\n")
	return strings.Trim(s, "\n") + "\n"
}

// safeFileName replaces the characters Windows does not allow in a file name.
func safeFileName(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r < 0x20 || r == 0x7f:
			return -1
		case strings.ContainsRune(`/\:*?"<>|`, r):
			return '-'
		}
		return r
	}, s)
}

// Size shows a byte count the Vietnamese way: 950 → "950 B", 1536 → "1,5 KB",
// 2_500_000 → "2,4 MB".
func Size(n int64) string {
	switch {
	case n < 1024:
		return fmt.Sprintf("%d B", n)
	case n < 1024*1024:
		return trimZero(reporttext.Decimal(float64(n)/1024, 1)) + " KB"
	default:
		return trimZero(reporttext.Decimal(float64(n)/(1024*1024), 1)) + " MB"
	}
}

func trimZero(s string) string {
	return strings.TrimSuffix(s, ",0")
}
