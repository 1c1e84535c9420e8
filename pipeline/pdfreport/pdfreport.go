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
// What the report says (the header's fields, the sentences, which tables there are
// and their cells, the signature, the recipients) comes from pipeline/document, which
// the Word report (pipeline/docxreport) reads too; this package only lays it out.
// The drawing code is split by part: header.go (first page), narrative.go (headings,
// paragraphs, the blocks of the body), table.go (the one table drawer every table
// goes through), tables.go (the appendices), chart.go and trendchart.go,
// signature.go; text.go cleans and wraps text, fonts.go loads and checks the fonts.
// Without a previous period and trends the report is the same as before there was a
// history.
package pdfreport

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"time"

	"codeberg.org/go-pdf/fpdf"

	"canbo/pipeline/document"
	"canbo/pipeline/outfile"
	"canbo/pipeline/reporttext"
	"canbo/pipeline/schema"
	"canbo/pipeline/summary"
)

// Page geometry in millimetres. Landscape pages turn the portrait margins with the
// sheet: bound on the same edge, the binding margin is at the top.
const (
	a4W, a4H = document.A4W, document.A4H

	portraitTop, portraitBottom, portraitLeft, portraitRight     = document.PortraitTop, document.PortraitBottom, document.PortraitLeft, document.PortraitRight
	landscapeTop, landscapeBottom, landscapeLeft, landscapeRight = document.LandscapeTop, document.LandscapeBottom, document.LandscapeLeft, document.LandscapeRight

	bodySize   = document.BodySize // pt: body text, title, signature (NĐ 30: 13–14)
	pageNoSize = 13.0              // pt: page numbers (13–14)
	ptToMM     = 25.4 / 72
	lineFactor = 1.2  // line height as a multiple of the font size (single spacing)
	paraIndent = 10.0 // first-line indent (NĐ 30: 1 cm or 1.27 cm)
	paraAfter  = 6 * ptToMM
)

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
	m      *document.Document // what the report says
	s      *summary.Summary
	cfg    *schema.Config
	txt    *reporttext.Text
	now    time.Time       // the date of issue
	orient string          // "P" or "L": the current page's
	err    error           // the first error; every drawing step stops once it is set
	used   map[string]bool // label keys of the templates drawn (the model's), for the tests

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
	d := &doc{ctx: ctx, s: s, cfg: cfg, txt: txt, now: now}
	d.pdf = fpdf.New("P", "mm", "A4", "")
	if err := loadFonts(d.pdf, cfg.Report.Document, cfg.Report.Pos.File); err != nil {
		return nil, err
	}
	// The model is measured with the document's own faces, before the first page: a
	// font chosen to measure writes nothing into a page that does not exist yet.
	m, err := document.Build(ctx, s, cfg, txt, now, d)
	if err != nil {
		return nil, err
	}
	d.m, d.used = m, m.Used
	d.setup()
	for _, step := range []func(){d.firstPage, d.body, d.signature, d.appendices} {
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
	p.SetCreationDate(d.m.Meta.Date.UTC())
	p.SetModificationDate(d.m.Meta.Date.UTC())
	p.SetCreator("canbo", true)
	p.SetProducer("canbo", true)
	p.SetLang("vi")
	p.SetTitle(clean(d.m.Meta.Title), true)
	p.SetAuthor(clean(d.m.Meta.Author), true)
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

// Width measures s on one line in a style and size of the document's font, mm: the
// document.Measurer Build sizes the per-unit tables with.
func (d *doc) Width(s, style string, size float64) float64 {
	d.font(style, size)
	return d.pdf.GetStringWidth(oneLine(s))
}

// text draws one line at (x, y) in a box w wide and h high, aligned "L", "C" or "R".
func (d *doc) text(x, y, w, h float64, s, align string) {
	d.pdf.SetXY(x, y)
	d.pdf.CellFormat(w, h, oneLine(s), "", 0, align, false, 0, "")
}
