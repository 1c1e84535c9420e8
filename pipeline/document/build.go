package document

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"canbo/pipeline/reporttext"
	"canbo/pipeline/schema"
	"canbo/pipeline/summary"
)

// vietnam is the zone of the date of issue; Vietnam has no daylight saving time, so a
// fixed offset needs no time zone database (absent on Windows).
var vietnam = time.FixedZone("ICT", 7*3600)

// builder is one document being built.
type builder struct {
	ctx context.Context
	s   *summary.Summary
	cfg *schema.Config
	txt *reporttext.Text
	now time.Time // in Vietnam
	m   Measurer
	err error
	doc *Document

	appendices, tables int // numbering: Phụ lục I, II…; Bảng 1, 2… within an appendix

	// unitTargets is the appendix the per-unit targets table went to when it was too
	// long for the body (bodyUnitRows); it comes first among the appendices.
	unitTargets *Appendix
}

// bodyUnitRows is the most rows the per-unit targets table may have in the body: a
// province's hundreds of units would run the body past the 3–4 pages a leader reads,
// so a longer table goes to an appendix and the body points to it.
const bodyUnitRows = 30

// Build makes the report of s. now is the date of issue ("Sóc Trăng, ngày 01 tháng 10
// năm 2023"); m measures the per-unit tables' columns.
func Build(ctx context.Context, s *summary.Summary, cfg *schema.Config, txt *reporttext.Text, now time.Time, m Measurer) (*Document, error) {
	if s == nil || cfg == nil || txt == nil || m == nil {
		return nil, fmt.Errorf("document: thiếu số liệu, cấu hình hoặc chữ của báo cáo")
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	b := &builder{ctx: ctx, s: s, cfg: cfg, txt: txt, now: now.In(vietnam), m: m, doc: &Document{Used: map[string]bool{}}}
	d := b.doc
	conf := cfg.Report.Document
	d.Meta = Meta{Title: b.label("report_title") + ": " + b.subject(), Author: conf.Body, Date: b.now}
	b.header()
	d.Title, d.Subject = b.label("report_title"), b.subject()
	d.Continued = b.label("pdf_continued")
	d.Body = b.body()
	d.Closing = b.label("pdf_closing")
	b.signature()
	if b.unitTargets != nil {
		d.Appendices = append(d.Appendices, *b.unitTargets)
	}
	for _, part := range []struct {
		key  string
		make func() *Appendix
	}{{"structure", b.appendixStructure}, {"training", b.appendixTraining}, {"standards", b.appendixStandards}, {"problems", b.appendixProblems}} {
		if b.failed() {
			break
		}
		if !conf.WantsAppendix(part.key) {
			continue
		}
		if a := part.make(); a != nil {
			d.Appendices = append(d.Appendices, *a)
		}
	}
	if b.failed() {
		return nil, b.err
	}
	return d, nil
}

// failed reports whether building must stop: an earlier error or the context's.
func (b *builder) failed() bool {
	if b.err == nil {
		b.err = b.ctx.Err()
	}
	return b.err != nil
}

// label is a label from the templates; every key used is recorded for the tests.
func (b *builder) label(key string) string {
	b.doc.Used[key] = true
	return b.txt.Label(key)
}

// fill replaces {name} placeholders in a label.
func (b *builder) fill(key string, pairs ...string) string {
	return reporttext.Fill(b.label(key), pairs...)
}

// header fills the first page's two columns.
func (b *builder) header() {
	conf := b.cfg.Report.Document
	h := &b.doc.Header
	h.ParentBody = strings.ToUpper(strings.TrimSpace(conf.ParentBody))
	h.Body = strings.ToUpper(conf.Body)
	h.Number = b.label("pdf_number") + b.numberAndSymbol()
	h.Country, h.Motto = b.label("pdf_country"), b.label("pdf_motto")
	h.PlaceDate = b.dateOfIssue()
	if place := strings.TrimSpace(conf.Place); place != "" {
		h.PlaceDate = place + ", " + h.PlaceDate
	}
}

// DateOfIssue is "ngày 01 tháng 10 năm 2023" for now (in Vietnam): NĐ 30 writes a day
// below 10 and the months 1 and 2 with a leading zero, other months without ("ngày
// 05 tháng 3").
func DateOfIssue(txt *reporttext.Text, now time.Time) string {
	b := &builder{txt: txt, now: now.In(vietnam), doc: &Document{Used: map[string]bool{}}}
	return b.dateOfIssue()
}

func (b *builder) dateOfIssue() string {
	t := b.now
	month := strconv.Itoa(int(t.Month()))
	if t.Month() <= 2 {
		month = "0" + month
	}
	return b.fill("pdf_date", "{ngay}", fmt.Sprintf("%02d", t.Day()), "{thang}", month, "{nam}", strconv.Itoa(t.Year()))
}

// numberBlank is the room left for the number.
const numberBlank = "      "

// numberAndSymbol is "      /BC-SNV": the number is left blank for the văn thư, who
// numbers the report when it is issued.
func (b *builder) numberAndSymbol() string {
	sym := strings.TrimSpace(b.cfg.Report.Document.Symbol)
	if sym == "" {
		return numberBlank
	}
	return numberBlank + "/" + sym
}

// subject is the trích yếu: the report's subject and its period.
func (b *builder) subject() string {
	subj := b.label("report_subject")
	month := func(period string) (string, string, bool) {
		t, err := time.Parse("2006-01", period)
		return strconv.Itoa(int(t.Month())), strconv.Itoa(t.Year()), err == nil
	}
	if sp := b.s.Span; sp != nil { // a report over a span (canbo run --from --to) names it whole
		fm, fy, ok1 := month(sp.From)
		tm, ty, ok2 := month(sp.To)
		if ok1 && ok2 {
			return subj + " " + b.fill("pdf_subject_span", "{tu_thang}", fm, "{tu_nam}", fy, "{den_thang}", tm, "{den_nam}", ty)
		}
	}
	if m, y, ok := month(b.s.Period); ok {
		subj += " " + b.fill("pdf_subject_period", "{thang}", m, "{nam}", y)
	}
	return subj
}

// body is the main text, as a Vietnamese report has it: I. the situation (the
// workforce, then the targets with their tables and charts), II. the assessment
// (what improved, what fell short), III. the directions and recommendations from
// report.yaml. Without targets, section I is the workforce alone; without
// recommendations there is no section III.
func (b *builder) body() []Block {
	sec, err := b.txt.Sections(b.s, b.cfg)
	if err != nil {
		b.err = err
		return nil
	}
	section, part := 0, 0
	heading := func(key string) Block {
		section, part = section+1, 0
		return Block{Kind: KindHeading, Text: Roman(section) + ". " + b.label(key)}
	}
	sub := func(key string) Block {
		part++
		return Block{Kind: KindHeading, Level: 1, Text: itoa(part) + ". " + b.label(key)}
	}
	paras := func(out []Block, list []string) []Block {
		for _, p := range list {
			out = append(out, Block{Kind: KindParagraph, Text: p})
		}
		return out
	}
	var out []Block
	if len(b.s.Targets) == 0 {
		out = paras(append(out, heading("section_workforce")), sec.Situation)
	} else {
		out = append(out, heading("section_situation"), sub("section_workforce"))
		out = paras(out, sec.Situation)
		out = append(out, sub("section_targets"))
		// The charts follow the overall results they draw, before the per-unit
		// table: that table may run onto the next page, a chart may not, so the page
		// is not left half empty for it.
		for i, t := range b.targetTables() {
			if i > 0 && len(t.Rows) > bodyUnitRows {
				b.unitTargets = b.appendix(false, "pdf_targets_by_unit")
				b.unitTargets.add(t)
				out = append(out, Block{Kind: KindParagraph, Text: b.fill("pdf_targets_by_unit_appendix",
					"{phu_luc}", b.unitTargets.Number)})
				continue
			}
			out = append(out, Block{Kind: KindTable, Table: t})
			if i > 0 {
				continue
			}
			if bars := b.bars(); bars != nil {
				out = append(out, Block{Kind: KindBars, Bars: bars})
			}
			if tr := b.trend(); tr != nil {
				out = append(out, Block{Kind: KindTrend, Trend: tr})
			}
		}
	}
	if len(sec.Assessment) > 0 {
		out = paras(append(out, heading("section_assessment")), sec.Assessment)
	}
	if len(sec.Recommendations) > 0 {
		out = paras(append(out, heading("section_recommendations")), sec.Recommendations)
	}
	return out
}

// groupName is what the report calls a group: its name from report.yaml, or its
// units; never its folder.
func (b *builder) groupName(group string) string {
	b.doc.Used["pdf_no_group"], b.doc.Used["group_units"], b.doc.Used["group_unnamed"] = true, true, true
	return b.txt.GroupName(b.s, b.cfg, group)
}

// signature fills the signer and the recipients (NĐ 30/2020, Phụ lục I).
func (b *builder) signature() {
	conf := b.cfg.Report.Document
	for _, s := range []string{conf.Signer.Authority, conf.Signer.Title} {
		if s = strings.TrimSpace(s); s != "" {
			b.doc.Signer.Lines = append(b.doc.Signer.Lines, strings.ToUpper(s))
		}
	}
	b.doc.Signer.Name = strings.TrimSpace(conf.Signer.Name)
	var items []string
	for _, r := range conf.Recipients {
		if r = strings.TrimSpace(r); r == "" {
			continue
		}
		if !strings.HasPrefix(r, "-") {
			r = "- " + r
		}
		items = append(items, r)
	}
	if len(items) > 0 {
		b.doc.Recipients = Recipients{Heading: b.label("pdf_recipients"), Items: items}
	}
}

// Roman numbers appendices and groups the way Vietnamese documents do (I, II, …).
func Roman(n int) string {
	if n <= 0 || n >= 4000 {
		return strconv.Itoa(n)
	}
	vals := []int{1000, 900, 500, 400, 100, 90, 50, 40, 10, 9, 5, 4, 1}
	syms := []string{"M", "CM", "D", "CD", "C", "XC", "L", "XL", "X", "IX", "V", "IV", "I"}
	var sb strings.Builder
	for i, v := range vals {
		for n >= v {
			sb.WriteString(syms[i])
			n -= v
		}
	}
	return sb.String()
}

func itoa(n int) string { return reporttext.Int(n) }
