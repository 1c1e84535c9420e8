// Package document is what the monthly report says, laid out by nobody: the header
// of an administrative document (NĐ 30/2020/NĐ-CP, Phụ lục I), the title, the body's
// headings, paragraphs, tables and charts, the closing sentence, the signature, the
// recipients (Nơi nhận) and the appendices with their tables. Build makes it from the
// summary, the configuration and the report's words; pipeline/pdfreport draws it with
// fpdf and pipeline/docxreport writes it as WordprocessingML. The PDF and the Word
// file are one document because both renderers read this model: which tables there
// are, their columns, rows and cells, the sentences and the labels are decided here
// once, and a renderer only lays them out.
//
// A few layout facts are part of the model because the content depends on them or
// both renderers must agree on them: the page geometry (A4, NĐ 30's margins), the
// body size, and the wide per-unit tables, which are split into as many tables as a
// landscape page needs (Build measures their columns with a Measurer, so the Word
// file splits them where the PDF does). Sizes and column hints on a Table (fit,
// fixed widths, flexible weights) are hints; the PDF honours them to the millimetre,
// Word approximately.
package document

import (
	"time"

	"canbo/pipeline/summary"
)

// Page geometry in millimetres (NĐ 30/2020, Phụ lục I): A4, margins 20/20/30/15 mm
// (top, bottom, left, right) on portrait pages; landscape pages turn them with the
// sheet, so the 30 mm binding margin is at the top.
const (
	A4W, A4H = 210.0, 297.0

	PortraitTop, PortraitBottom, PortraitLeft, PortraitRight     = 20.0, 20.0, 30.0, 15.0
	LandscapeTop, LandscapeBottom, LandscapeLeft, LandscapeRight = 30.0, 20.0, 20.0, 20.0

	BodySize = 14.0 // pt: body text, title, signature (NĐ 30: 13–14)
)

// TextWidth is the width of a page's text area, mm.
func TextWidth(landscape bool) float64 {
	if landscape {
		return A4H - LandscapeLeft - LandscapeRight
	}
	return A4W - PortraitLeft - PortraitRight
}

// Table cells: the padding inside a cell and the slack added to a fitted column, mm.
// Build sizes the per-unit tables' columns with them; the renderers pad cells with
// them.
const (
	CellPadX = 1.2
	FitSlack = 0.3
)

// Measurer measures text for Build: the width in millimetres of s on one line in a
// style ("", "B", "I", "BI") and size (pt) of the document's font. The PDF measures
// with its own embedded faces; Liberation Serif has Times New Roman's metrics, so
// the Word file measured with it splits its tables as Word will set them.
type Measurer interface {
	Width(s, style string, size float64) float64
}

// Document is the whole report.
type Document struct {
	Meta       Meta
	Header     Header
	Title      string // BÁO CÁO
	Subject    string // the trích yếu with the period
	Body       []Block
	Closing    string // the last sentence, ending "./."
	Signer     Signer
	Recipients Recipients
	Appendices []Appendix
	Continued  string // said after a group's name when its rows run onto a new page: "(tiếp theo)"

	// Used is every label key of templates/ the document took its words from, for
	// the tests that check each one exists.
	Used map[string]bool
}

// Meta is the file's properties.
type Meta struct {
	Title  string    // "BÁO CÁO: Tình hình … tháng 9 năm 2023"
	Author string    // the issuing body
	Date   time.Time // the date of issue, in Vietnam: the files' creation date
}

// Header is the first page's two columns: the issuing body over the number on the
// left; the national name and motto over the place and date on the right.
type Header struct {
	ParentBody string // cơ quan chủ quản, upper case; "" when none
	Body       string // cơ quan ban hành, upper case
	Number     string // "Số:       /BC-SNV": the number is left blank for the văn thư
	Country    string // CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
	Motto      string // Độc lập - Tự do - Hạnh phúc
	PlaceDate  string // "Sóc Trăng, ngày 01 tháng 10 năm 2023"
}

// Signer is the signature block's right column: authority and title (upper case),
// then, after room for the signature and seal, the name.
type Signer struct {
	Lines []string
	Name  string
}

// Recipients is the Nơi nhận: the heading and one "- …;" item each; no heading
// without items.
type Recipients struct {
	Heading string
	Items   []string
}

// Appendix is a Phụ lục, starting on a new page.
type Appendix struct {
	Key       string // the templates' key of its title: "section_structure"
	Number    string // "Phụ lục I"
	Title     string // upper case
	Note      string // "(Kèm theo Báo cáo số …/BC-SNV ngày …)"
	AsOf      string // "(Số liệu tính đến ngày 30/09/2023)"; "" when unknown
	Landscape bool
	Blocks    []Block
}

// Kind is what a block is.
type Kind int

const (
	KindHeading   Kind = iota + 1 // a section heading of the body: bold, indented; Level 1 under a section
	KindParagraph                 // body text: justified, first line indented
	KindTable
	KindBars      // the targets' bar chart
	KindTrend     // the targets' trend chart
	KindPageBreak // a new page, Landscape or not
)

// Block is one part of the body or of an appendix.
type Block struct {
	Kind      Kind
	Text      string // heading, paragraph
	Level     int    // heading: 0 a section (I., II.), 1 a part of one (1., 2.)
	Table     *Table
	Bars      *Bars
	Trend     *Trend
	Landscape bool // page break
}

// Shade is a row's background, in grey levels that survive a black-and-white
// printer.
type Shade int

const (
	Plain      Shade = 0
	ShadeHead  Shade = 235 // the header
	ShadeGroup Shade = 222 // a group's heading or subtotal
	ShadeTotal Shade = 205 // the grand total
)

// Table is columns, an optional upper header row of spans (a dimension over its
// codes), and rows of text.
type Table struct {
	Caption  string // bold, above the table; kept with the header
	Heading  bool   // the caption is a heading of the body text: its size, indented
	Cols     []Column
	Spans    []Span
	Rows     []Row
	Size     float64   // body font size, pt; 11 when 0
	HeadSize float64   // header font size, pt; Size when 0
	PadY     float64   // mm above and below a cell's text; the renderer's default when 0
	Note     string    // italic, under the table; kept with its last row
	Widths   []float64 // column widths, mm, when Build worked them out; nil = from Cols
	// LineUp: tables of one block list with the same non-zero LineUp are drawn one
	// under the other with the same columns, and get the same widths.
	LineUp int
	// Continues: the table is a further part of the one before (the same rows, more
	// columns), drawn close under it.
	Continues bool
}

// Column is one column of a table: its title and how it is sized.
type Column struct {
	Title string
	Width float64 // mm: a fixed width (0 = fitted or flexible)
	Fit   bool    // as wide as its widest cell: numbers, dates
	Most  float64 // Fit: at most this wide (mm, 0 = no limit); wider cells wrap at spaces
	Flex  float64 // a flexible column's weight (default 1)
	Align string  // body cells: "L", "C" or "R" (numbers)
}

// Span is an upper header cell over the columns First … First+N-1.
type Span struct {
	Title    string
	First, N int
}

// Row is one body row.
type Row struct {
	Cells  []string
	Style  string // font style of the row: "" or "B" (totals), "I" (shares)
	Whole  bool   // one cell across the table (a group heading); Cells[0] is its text
	Center bool   // whole rows: centre the text
	Shade  Shade  // background
	Keep   bool   // keep on one page with the next row
	Opens  string // this row starts a group: its name, said again on the pages the group runs onto
	Closes bool   // this row ends the groups (the total)
}

// Bars is the bar chart of the overall targets: the share reached on a 0–100% scale,
// a marker at the threshold, the share written at the right; met and not met in two
// colours.
type Bars struct {
	Title  string
	Items  []Bar
	Legend [3]string // met, not met, the threshold's marker
	Empty  string    // said in the place of a bar when nobody is concerned
}

// Bar is one target, numbered as in the targets table.
type Bar struct {
	Label                    string // "1. Ủy viên BCH tỉnh có trình độ sau đại học"
	Share, Threshold         float64
	ShareText, ThresholdText string // "70,00%", "70%"
	Met                      bool
	Empty                    bool // nobody the target applies to: no bar
}

// Trend is the overall targets' shares over the periods, one line each, with their
// thresholds.
type Trend struct {
	Title   string
	Lines   []TrendLine
	Periods []string // YYYY-MM, oldest first
	Note    string   // what the dashed lines are
}

// TrendLine is one overall target on the trend chart.
type TrendLine struct {
	N      int // its number in the targets table
	Title  string
	Points map[string]summary.Point // period → result
}
