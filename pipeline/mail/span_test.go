package mail

import (
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"canbo/pipeline/summary"
	"canbo/templates"
)

// spanSummary is a year's report: 2025-01 to 2025-12, with attendances outside it.
func spanSummary() *summary.Summary {
	s := testSummary()
	s.Period, s.AsOf = "2025-12", "2025-12-31"
	s.Span = &summary.Span{From: "2025-01", To: "2025-12"}
	s.Training.OutsideSpan = &summary.OutsideSpan{Before: 18, After: 2, Undated: 1}
	return s
}

var spanUnsure = []UnsureFile{{File: "Sổ đào tạo 2024.xlsx", Unit: "UBND xã Nghĩa Tá", Reason: "Chưa chắc đã tính đủ: sổ này có dòng từ ngày …"}}

// builtinMail is the shipped mail.yaml.
func builtinMail(t *testing.T) string {
	t.Helper()
	data, err := templates.FS.ReadFile(TemplateFile)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// withoutSpanReport is mail.yaml as written before span_report existed: the shipped
// file without that entry.
func withoutSpanReport(t *testing.T) string {
	t.Helper()
	y := builtinMail(t)
	i, j := strings.Index(y, "\nspan_report:\n"), strings.Index(y, "\nfeedback:\n")
	if i < 0 || j < i {
		t.Fatal("the shipped mail.yaml has no span_report before feedback")
	}
	return y[:i+1] + y[j+1:]
}

func loadMail(t *testing.T, yaml string) *Templates {
	t.Helper()
	tm, err := LoadTemplates(fstest.MapFS{TemplateFile: {Data: []byte(yaml)}})
	if err != nil {
		t.Fatal(err)
	}
	return tm
}

// TestSpanReportMessage: a year's report mail is written from span_report: the
// report's name and span in the subject, the span's months in the body, the
// attendances left out, each register canbo is unsure of by name in a "Cần xem"
// paragraph before the signature, attachments named after the span, and the kind and
// period that keep it apart from December's monthly mail.
func TestSpanReportMessage(t *testing.T) {
	xlsx, pdf := writeReportFiles(t, t.TempDir(), 7)
	m, err := SpanReportMessage(Span{Name: " Báo cáo năm ", Unsure: spanUnsure}, spanSummary(), testConfig(t), nil, testTemplates(t), xlsx, pdf)
	if err != nil {
		t.Fatal(err)
	}
	if m.Kind != KindSpanReport || m.Period != "2025-01_2025-12" || m.Key() == (&Message{Kind: KindReport, Period: "2025-12"}).Key() {
		t.Errorf("kind %q, period %q", m.Kind, m.Period)
	}
	if want := "Báo cáo năm: Báo cáo đội ngũ CBCCVC từ tháng 01/2025 đến tháng 12/2025 — 388 người, đạt 2/4 chỉ tiêu"; m.Subject != want {
		t.Errorf("subject\n%q, want\n%q", m.Subject, want)
	}
	raw, err := m.EML(time.Date(2026, 1, 5, 7, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	p := parseEML(t, raw)
	body := p.Text
	for _, want := range []string{
		"Phần mềm canbo xin gửi Báo cáo năm: báo cáo tình hình đội ngũ cán bộ, công chức, viên chức từ tháng 01/2025 đến tháng 12/2025 (danh sách cán bộ tính đến ngày 31/12/2025).",
		"- Đào tạo, bồi dưỡng: 877 lượt người bắt đầu trong khoảng.",
		"chỉ tính các lượt bắt đầu từ tháng 01/2025 đến tháng 12/2025, mỗi lượt một lần dù sổ được gửi lại nhiều tháng. Không tính 18 lượt bắt đầu trước, 2 lượt sau khoảng và 1 lượt không ghi ngày.",
		"Cần xem: 1 sổ mà canbo không chắc đã tính đúng",
		"\n- Sổ đào tạo 2024.xlsx (UBND xã Nghĩa Tá)\n",
		"- Báo cáo năm 01-2025 đến 12-2025.pdf — báo cáo PDF",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("body lacks %q:\n%s", want, body)
		}
	}
	if strings.Index(body, "Cần xem") > strings.Index(body, "\n-- \n") || strings.Contains(body, "<no value>") {
		t.Errorf("body:\n%s", body)
	}
	var names []string
	for _, a := range p.Attachments {
		names = append(names, a.Name)
	}
	if strings.Join(names, "|") != "Báo cáo năm 01-2025 đến 12-2025.xlsx|Báo cáo năm 01-2025 đến 12-2025.pdf" {
		t.Errorf("attachments %q", names)
	}

	// Nothing to check, nothing left out: neither paragraph's extra sentence.
	s := spanSummary()
	s.Training.OutsideSpan = nil
	m, err = SpanReportMessage(Span{Name: "Báo cáo năm"}, s, testConfig(t), nil, testTemplates(t))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(m.Body, "Cần xem") || strings.Contains(m.Body, "Không tính") {
		t.Errorf("body:\n%s", m.Body)
	}
	if _, err := SpanReportMessage(Span{Name: "Báo cáo năm"}, testSummary(), testConfig(t), nil, testTemplates(t)); err == nil {
		t.Error("a monthly summary made a span report mail")
	}
}

// TestSpanReportOwnTemplate: an office that rewords the monthly mail ("tháng
// MM/YYYY" gone from report.subject) and writes its own span_report gets its own
// words in the span's mail, attachment names included — before span_report, the
// span was spliced into the monthly texts by finding that phrase, and a reworded
// subject silently lost it.
func TestSpanReportOwnTemplate(t *testing.T) {
	y := builtinMail(t)
	y = strings.Replace(y, "Báo cáo đội ngũ CBCCVC tháng {{period .Period}} — {{num .Headcount}} người", "BC kỳ {{period .Period}}", 1)
	i, j := strings.Index(y, "\nspan_report:\n"), strings.Index(y, "\nfeedback:\n")
	y = y[:i+1] + `span_report:
  subject: "[{{.Name}}] {{.From}}–{{.To}}: {{num .Headcount}} người, {{len .Unsure}} sổ cần xem"
  attachment_name: "BC {{.Name}} {{.To}}"
  body: |
    Kính gửi Giám đốc Sở,
    {{range .Unsure}}
    Xem lại: {{.File}} — {{.Reason}}
    {{- end}}
    Đào tạo: {{num .Training}} lượt ({{num .TrainingBefore}} lượt trước {{.From}} không tính).
` + y[j+1:]
	tm := loadMail(t, y)
	if len(tm.Notes()) != 0 {
		t.Errorf("notes %q for a file with span_report", tm.Notes())
	}
	_, pdf := writeReportFiles(t, t.TempDir(), 8)
	m, err := SpanReportMessage(Span{Name: "Năm 2025", Unsure: spanUnsure}, spanSummary(), testConfig(t), nil, tm, pdf)
	if err != nil {
		t.Fatal(err)
	}
	if want := "[Năm 2025] 01/2025–12/2025: 388 người, 1 sổ cần xem"; m.Subject != want {
		t.Errorf("subject %q, want %q", m.Subject, want)
	}
	if want := "Kính gửi Giám đốc Sở,\n\nXem lại: Sổ đào tạo 2024.xlsx — Chưa chắc đã tính đủ: sổ này có dòng từ ngày …\nĐào tạo: 877 lượt (18 lượt trước 01/2025 không tính).\n"; m.Body != want {
		t.Errorf("body\n%q, want\n%q", m.Body, want)
	}
	if len(m.Attachments) != 1 || m.Attachments[0].Name != "BC Năm 2025 12-2025.pdf" {
		t.Errorf("attachment %q", m.Attachments[0].Name)
	}
	monthly, err := ReportMessage(testSummary(), testConfig(t), nil, tm)
	if err != nil || !strings.HasPrefix(monthly.Subject, "BC kỳ 09/2023") {
		t.Errorf("monthly subject %q, %v", monthly.Subject, err)
	}
}

// TestTemplatesWithoutSpanReport: an office's mail.yaml written before span_report
// existed still loads; the span's mail then takes canbo's own texts, and Notes says
// so (config check prints it as a note, not a mistake). A span_report the office did
// write is checked like the others.
func TestTemplatesWithoutSpanReport(t *testing.T) {
	tm := loadMail(t, withoutSpanReport(t))
	if n := tm.Notes(); len(n) != 1 || !strings.Contains(n[0], "templates/mail.yaml: chưa có mẫu span_report") {
		t.Errorf("notes %q", n)
	}
	got, err := SpanReportMessage(Span{Name: "Báo cáo năm", Unsure: spanUnsure}, spanSummary(), testConfig(t), nil, tm)
	if err != nil {
		t.Fatal(err)
	}
	want, err := SpanReportMessage(Span{Name: "Báo cáo năm", Unsure: spanUnsure}, spanSummary(), testConfig(t), nil, testTemplates(t))
	if err != nil {
		t.Fatal(err)
	}
	if got.Subject != want.Subject || got.Body != want.Body {
		t.Errorf("without span_report:\n%s\n%s\nwant the built-in texts:\n%s\n%s", got.Subject, got.Body, want.Subject, want.Body)
	}
	if n := testTemplates(t).Notes(); len(n) != 0 {
		t.Errorf("the shipped file has notes: %q", n)
	}

	y := strings.Replace(builtinMail(t), "{{.Name}}: Báo cáo đội ngũ CBCCVC từ tháng {{.From}}", "{{.Nmae}}: Báo cáo đội ngũ CBCCVC từ tháng {{.From}}", 1)
	if _, err := LoadTemplates(fstest.MapFS{TemplateFile: {Data: []byte(y)}}); err == nil || !strings.Contains(err.Error(), ".Nmae") {
		t.Errorf("a misspelt name in span_report: %v", err)
	}
	y = strings.Replace(builtinMail(t), "span_report:\n", "span_report:\n  subjet: x\n", 1)
	if _, err := LoadTemplates(fstest.MapFS{TemplateFile: {Data: []byte(y)}}); err == nil || !strings.Contains(err.Error(), `"subjet"`) {
		t.Errorf("an unknown key in span_report: %v", err)
	}
}
