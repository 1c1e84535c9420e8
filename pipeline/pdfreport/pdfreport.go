// Package pdfreport writes the monthly compliance report, bao-cao-YYYY-MM.pdf, laid
// out as an administrative document (văn bản hành chính) per Nghị định 30/2020/NĐ-CP,
// Phụ lục I:
//
//	page 1       header (cơ quan chủ quản / cơ quan ban hành, Số …/BC-…;
//	             Quốc hiệu, Tiêu ngữ, địa danh and date), title BÁO CÁO and trích yếu
//	body         the generated paragraphs (reporttext.Narrative), the targets' results
//	             (overall, then by unit under each target) and a bar chart of the
//	             overall targets, a closing sentence ending "./."; with a history,
//	             the targets' tables gain the change since the previous period
//	             ("+4,00" percentage points, a note naming the period) and a line
//	             chart of the overall targets' trend follows the bar chart
//	signature    Nơi nhận on the left, the signer on the right
//	Phụ lục I…   the detail tables, each appendix on new pages: the structure of the
//	             workforce by unit (landscape; every unit, groups subtotalled, codes
//	             nobody has left out with a note), training, the people below a
//	             standard, the data problems per file
//
// A4, margins 20/20/30/15 mm (top, bottom, left, right) on portrait pages, turned
// with the sheet on landscape pages (the 30 mm binding margin on top); body text 14 pt
// Liberation Serif (Times New Roman's metrics) or a TTF named in report.yaml; page
// numbers centred in the top margin from page 2 on. Every string is NFC-normalised
// before it is measured or drawn.
//
// The drawing code is split by part: header.go (first page), narrative.go (headings
// and paragraphs), table.go (the one table drawer every table goes through),
// tables.go (which tables, from the summary), chart.go and trendchart.go,
// signature.go; changes.go pairs targets with their change since the previous
// period; text.go cleans and wraps text, fonts.go loads and checks the fonts. Without
// a previous period and trends the report is the same, byte for byte, as before there
// was a history.
package pdfreport

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"codeberg.org/go-pdf/fpdf"

	"canbo/pipeline/outfile"
	"canbo/pipeline/reporttext"
	"canbo/pipeline/schema"
	"canbo/pipeline/summary"
)

// Page geometry in millimetres. Landscape pages turn the portrait margins with the
// sheet: bound on the same edge, the binding margin is at the top.
const (
	a4W, a4H = 210.0, 297.0

	portraitTop, portraitBottom, portraitLeft, portraitRight     = 20.0, 20.0, 30.0, 15.0
	landscapeTop, landscapeBottom, landscapeLeft, landscapeRight = 30.0, 20.0, 20.0, 20.0

	bodySize   = 14.0 // pt: body text, title, signature (NĐ 30: 13–14)
	pageNoSize = 13.0 // pt: page numbers (13–14)
	ptToMM     = 25.4 / 72
	lineFactor = 1.2  // line height as a multiple of the font size (single spacing)
	paraIndent = 10.0 // first-line indent (NĐ 30: 1 cm or 1.27 cm)
	paraAfter  = 6 * ptToMM
)

// vietnam is the zone of the date printed under the motto; Vietnam has no daylight
// saving time, so a fixed offset needs no time zone database (absent on Windows).
var vietnam = time.FixedZone("ICT", 7*3600)

// Write renders the report for s and writes it atomically to path. now is the date
// of issue printed under the motto ("Sóc Trăng, ngày 01 tháng 10 năm 2023") and
// stored as the PDF's creation date, so the same input gives the same file.
func Write(ctx context.Context, path string, s *summary.Summary, cfg *schema.Config, txt *reporttext.Text, now time.Time) error {
	d, err := render(ctx, s, cfg, txt, now)
	if err != nil {
		return err
	}
	return outfile.Write(path, 0o644, func(w io.Writer) error {
		if err := d.pdf.Output(w); err != nil {
			return fmt.Errorf("ghi PDF: %w", err)
		}
		return nil
	})
}

// WriteTo renders the report and writes the PDF to w (an e-mail attachment, a test).
func WriteTo(ctx context.Context, w io.Writer, s *summary.Summary, cfg *schema.Config, txt *reporttext.Text, now time.Time) error {
	d, err := render(ctx, s, cfg, txt, now)
	if err != nil {
		return err
	}
	if err := d.pdf.Output(w); err != nil {
		return fmt.Errorf("ghi PDF: %w", err)
	}
	return nil
}

// doc is one report being drawn.
type doc struct {
	ctx    context.Context
	pdf    *fpdf.Fpdf
	s      *summary.Summary
	cfg    *schema.Config
	txt    *reporttext.Text
	now    time.Time       // in Vietnam
	orient string          // "P" or "L": the current page's
	err    error           // the first error; every drawing step stops once it is set
	used   map[string]bool // label keys drawn, for the tests

	appendices, tables int // numbering: Phụ lục I, II…; Bảng 1, 2… within an appendix

	onTable func(*table) // the tests' look at every table drawn
}

// render draws the whole document in memory (fpdf keeps it there until Output).
func render(ctx context.Context, s *summary.Summary, cfg *schema.Config, txt *reporttext.Text, now time.Time) (*doc, error) {
	if s == nil || cfg == nil || txt == nil {
		return nil, fmt.Errorf("pdfreport: thiếu số liệu, cấu hình hoặc chữ của báo cáo")
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	d := &doc{ctx: ctx, s: s, cfg: cfg, txt: txt, now: now.In(vietnam), used: map[string]bool{}}
	d.pdf = fpdf.New("P", "mm", "A4", "")
	if err := loadFonts(d.pdf, cfg.Report.Document, cfg.Report.Pos.File); err != nil {
		return nil, err
	}
	d.setup()
	for _, step := range []func(){
		d.firstPage, d.body, d.signature,
		d.appendixStructure, d.appendixTraining, d.appendixStandards, d.appendixProblems,
	} {
		if d.failed() {
			break
		}
		step()
	}
	if d.err != nil {
		return nil, d.err
	}
	if err := d.pdf.Error(); err != nil {
		return nil, fmt.Errorf("dựng PDF: %w", err)
	}
	return d, nil
}

// setup sets the document's metadata and page furniture.
func (d *doc) setup() {
	p := d.pdf
	p.SetCellMargin(0) // cells pad themselves: see table.go
	p.SetCatalogSort(true)
	// fpdf writes the date's digits without a zone, which readers take for UTC: give
	// it UTC, so the document says the true moment (07:00 in Hà Nội is 00:00 UTC).
	p.SetCreationDate(d.now.UTC())
	p.SetModificationDate(d.now.UTC())
	p.SetCreator("canbo", true)
	p.SetProducer("canbo", true)
	p.SetLang("vi")
	p.SetTitle(clean(d.label("report_title")+": "+d.subject()), true)
	p.SetAuthor(clean(d.cfg.Report.Document.Body), true)
	// NĐ 30: page numbers centred in the top margin, not on the first page.
	p.SetHeaderFuncMode(func() {
		if p.PageNo() < 2 {
			return
		}
		top := portraitTop
		if d.orient == "L" {
			top = landscapeTop
		}
		d.font("", pageNoSize)
		l, _, r, _ := p.GetMargins()
		w, _ := p.GetPageSize()
		p.SetXY(l, top/2-3)
		p.CellFormat(w-l-r, 6, strconv.Itoa(p.PageNo()), "", 0, "C", false, 0, "")
	}, true)
	d.newPage("P")
}

// failed reports whether drawing must stop: an earlier error, fpdf's, or the
// context's.
func (d *doc) failed() bool {
	if d.err == nil {
		if err := d.ctx.Err(); err != nil {
			d.err = err
		} else if d.pdf.Err() {
			d.err = fmt.Errorf("dựng PDF: %w", d.pdf.Error())
		}
	}
	return d.err != nil
}

// newPage starts a page in an orientation, with that orientation's margins.
func (d *doc) newPage(orient string) {
	d.orient = orient
	if orient == "L" {
		d.pdf.SetMargins(landscapeLeft, landscapeTop, landscapeRight)
		d.pdf.SetAutoPageBreak(true, landscapeBottom)
	} else {
		d.pdf.SetMargins(portraitLeft, portraitTop, portraitRight)
		d.pdf.SetAutoPageBreak(true, portraitBottom)
	}
	d.pdf.AddPageFormat(orient, fpdf.SizeType{Wd: a4W, Ht: a4H})
	// AddPageFormat recomputes the break trigger only when the orientation changes.
	if orient == "L" {
		d.pdf.SetAutoPageBreak(true, landscapeBottom)
	} else {
		d.pdf.SetAutoPageBreak(true, portraitBottom)
	}
}

// left, width and bottom of the current page's text area.
func (d *doc) left() float64 {
	l, _, _, _ := d.pdf.GetMargins()
	return l
}

func (d *doc) width() float64 {
	l, _, r, _ := d.pdf.GetMargins()
	w, _ := d.pdf.GetPageSize()
	return w - l - r
}

func (d *doc) bottom() float64 {
	_, h := d.pdf.GetPageSize()
	_, b := d.pdf.GetAutoPageBreak()
	return h - b
}

// room is the height left on the current page.
func (d *doc) room() float64 { return d.bottom() - d.pdf.GetY() }

// ensure starts a new page (same orientation) unless h millimetres fit.
func (d *doc) ensure(h float64) {
	if h > d.room() {
		d.newPage(d.orient)
	}
}

// font selects a style ("", "B", "I", "BI") and size in points. fpdf writes a font
// change into the page every time it is asked, even for the font in use: asking only
// on a change keeps tens of thousands of needless operators out of a long list.
func (d *doc) font(style string, size float64) {
	if pt, _ := d.pdf.GetFontSize(); pt == size && d.pdf.GetFontStyle() == style && d.pdf.GetFontFamily() == family {
		return
	}
	d.pdf.SetFont(family, style, size)
}

// lineHeight is the line height in millimetres of a font size in points.
func lineHeight(size float64) float64 { return size * ptToMM * lineFactor }

// label is a label from the templates; every key used is recorded for the tests.
func (d *doc) label(key string) string {
	d.used[key] = true
	return d.txt.Label(key)
}

// fill replaces {name} placeholders in a label.
func (d *doc) fill(key string, pairs ...string) string {
	return reporttext.Fill(d.label(key), pairs...)
}

// text draws one line at (x, y) in a box w wide and h high, aligned "L", "C" or "R".
func (d *doc) text(x, y, w, h float64, s, align string) {
	d.pdf.SetXY(x, y)
	d.pdf.CellFormat(w, h, oneLine(s), "", 0, align, false, 0, "")
}

// dateOfIssue is "ngày 01 tháng 10 năm 2023": NĐ 30 writes a day below 10 and the
// months 1 and 2 with a leading zero, other months without ("ngày 05 tháng 3").
func (d *doc) dateOfIssue() string {
	t := d.now
	month := strconv.Itoa(int(t.Month()))
	if t.Month() <= 2 {
		month = "0" + month
	}
	return d.fill("pdf_date", "{ngay}", fmt.Sprintf("%02d", t.Day()), "{thang}", month, "{nam}", strconv.Itoa(t.Year()))
}

// numberBlank is the room left for the number.
const numberBlank = "      "

// numberAndSymbol is "      /BC-SNV": the number is left blank for the văn thư, who
// numbers the report when it is issued.
func (d *doc) numberAndSymbol() string {
	sym := strings.TrimSpace(d.cfg.Report.Document.Symbol)
	if sym == "" {
		return numberBlank
	}
	return numberBlank + "/" + sym
}

// subject is the trích yếu: the report's subject and its period.
func (d *doc) subject() string {
	subj := d.label("report_subject")
	if t, err := time.Parse("2006-01", d.s.Period); err == nil {
		subj += " " + d.fill("pdf_subject_period", "{thang}", strconv.Itoa(int(t.Month())), "{nam}", strconv.Itoa(t.Year()))
	}
	return subj
}

// roman numbers appendices and groups the way Vietnamese documents do (I, II, …).
func roman(n int) string {
	if n <= 0 || n >= 4000 {
		return strconv.Itoa(n)
	}
	vals := []int{1000, 900, 500, 400, 100, 90, 50, 40, 10, 9, 5, 4, 1}
	syms := []string{"M", "CM", "D", "CD", "C", "XC", "L", "XL", "X", "IX", "V", "IV", "I"}
	var b strings.Builder
	for i, v := range vals {
		for n >= v {
			b.WriteString(syms[i])
			n -= v
		}
	}
	return b.String()
}
