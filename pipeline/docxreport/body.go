package docxreport

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"strconv"
	"strings"

	"canbo/pipeline/document"
)

// writer writes word/document.xml from the model.
type writer struct {
	doc       *document.Document
	m         *measurer
	b         bytes.Buffer
	landscape bool // the current section's orientation
	first     bool // the current section is the first (no page number on its first page)
	media     []media
	err       error // the first error of a part that can fail (the chart's picture)
}

// twips converts millimetres to twentieths of a point.
func twips(mm float64) int { return int(math.Round(mm * 1440 / 25.4)) }

// halfPoints is a font size as WordprocessingML writes it.
func halfPoints(pt float64) int { return int(math.Round(pt * 2)) }

// Sizes of the first page and the signature block (NĐ 30/2020, Phụ lục I), as the PDF
// sets them.
const (
	headerLeftW    = 72.0 // mm: the issuing body's column
	bodyNameSize   = 13.0
	countrySize    = 12.0
	mottoSize      = 13.0
	numberSize     = 13.0
	dateSize       = 14.0
	signW          = 85.0 // mm: the signature column
	signSpace      = 28.0 // mm between the title and the name
	recipientsHead = 12.0
	recipientsSize = 11.0
	noteSize       = 13.0 // the appendices' line under their title
)

// document is the whole of word/document.xml.
func (w *writer) document(ctx context.Context) ([]byte, error) {
	w.first = true
	w.b.WriteString(xmlHead + `<w:document ` + nsW + ` ` + nsR + ` ` + nsDrawing + `><w:body>`)
	w.header()
	w.blocks(w.doc.Body)
	// The closing sentence stays on the page of the signature.
	w.paragraph(`<w:pStyle w:val="BodyText"/><w:keepNext/><w:spacing w:before="113"/>`, run(words(w.doc.Closing), ""))
	w.signature()
	for _, a := range w.doc.Appendices {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		w.appendix(a)
	}
	if w.err != nil {
		return nil, w.err
	}
	w.b.WriteString(w.sectPr())
	w.b.WriteString(`</w:body></w:document>`)
	return w.b.Bytes(), nil
}

// paragraph writes a paragraph of runs with the given paragraph properties.
func (w *writer) paragraph(pPr string, runs ...string) {
	w.b.WriteString(`<w:p>`)
	if pPr != "" {
		w.b.WriteString(`<w:pPr>` + pPr + `</w:pPr>`)
	}
	for _, r := range runs {
		w.b.WriteString(r)
	}
	w.b.WriteString(`</w:p>`)
}

// run is text in a style ("", "B", "I", "BI", and "U" for underlined) and size (0 =
// the paragraph's); a line feed is a line break.
func run(text, style string, size ...float64) string {
	var rPr strings.Builder
	if strings.Contains(style, "B") {
		rPr.WriteString(`<w:b/><w:bCs/>`)
	}
	if strings.Contains(style, "I") {
		rPr.WriteString(`<w:i/><w:iCs/>`)
	}
	// The schema's order: bold, italic, size, underline (Word refuses a file whose
	// properties are out of order).
	if len(size) > 0 && size[0] > 0 {
		hp := strconv.Itoa(halfPoints(size[0]))
		rPr.WriteString(`<w:sz w:val="` + hp + `"/><w:szCs w:val="` + hp + `"/>`)
	}
	if strings.Contains(style, "U") {
		rPr.WriteString(`<w:u w:val="single"/>`)
	}
	var b strings.Builder
	b.WriteString(`<w:r>`)
	if rPr.Len() > 0 {
		b.WriteString(`<w:rPr>` + rPr.String() + `</w:rPr>`)
	}
	for i, line := range strings.Split(text, "\n") {
		if i > 0 {
			b.WriteString(`<w:br/>`)
		}
		b.WriteString(`<w:t xml:space="preserve">` + esc(line) + `</w:t>`)
	}
	b.WriteString(`</w:r>`)
	return b.String()
}

// centred is a centred paragraph's properties, kept with the next one.
const centred = `<w:keepNext/><w:jc w:val="center"/>`

// rule is an empty paragraph whose bottom border is a line l millimetres long,
// centred in a column cw wide: the short lines under the issuing body and the title.
func (w *writer) rule(cw, l float64) {
	in := twips(max((cw-l)/2, 0))
	w.paragraph(fmt.Sprintf(`<w:keepNext/><w:pBdr><w:bottom w:val="single" w:sz="6" w:space="1" w:color="000000"/></w:pBdr>`+
		`<w:spacing w:after="0" w:line="120" w:lineRule="exact"/><w:ind w:left="%d" w:right="%d"/>`, in, in))
}

// header writes the first page: the two columns as a borderless table, then the
// title, the trích yếu and a short line under them.
func (w *writer) header() {
	h := w.doc.Header
	width := document.TextWidth(false)
	left, right := twips(headerLeftW), twips(width)-twips(headerLeftW)
	w.b.WriteString(fmt.Sprintf(`<w:tbl><w:tblPr><w:tblW w:w="%d" w:type="dxa"/><w:tblLayout w:type="fixed"/>`+
		`<w:tblCellMar><w:left w:w="0" w:type="dxa"/><w:right w:w="0" w:type="dxa"/></w:tblCellMar></w:tblPr>`+
		`<w:tblGrid><w:gridCol w:w="%d"/><w:gridCol w:w="%d"/></w:tblGrid>`, left+right, left, right))
	cell := func(tw int, paras func()) {
		w.b.WriteString(fmt.Sprintf(`<w:tc><w:tcPr><w:tcW w:w="%d" w:type="dxa"/></w:tcPr>`, tw))
		paras()
		w.b.WriteString(`</w:tc>`)
	}
	w.b.WriteString(`<w:tr>`)
	cell(left, func() {
		if h.ParentBody != "" {
			w.paragraph(centred, run(h.ParentBody, "", bodyNameSize))
		}
		w.paragraph(centred, run(h.Body, "B", bodyNameSize))
		bodyW := 0.0
		for _, line := range strings.Split(h.Body, "\n") {
			bodyW = max(bodyW, w.m.Width(line, "B", bodyNameSize))
		}
		w.rule(headerLeftW, min(bodyW, headerLeftW)/2.5)
	})
	cell(right, func() {
		w.paragraph(centred, run(h.Country, "B", countrySize))
		w.paragraph(centred, run(h.Motto, "BU", mottoSize))
	})
	w.b.WriteString(`</w:tr><w:tr>`)
	cell(left, func() {
		w.paragraph(`<w:spacing w:before="198"/><w:jc w:val="center"/>`, run(h.Number, "", numberSize))
	})
	cell(right, func() {
		w.paragraph(`<w:spacing w:before="198"/><w:jc w:val="center"/>`, run(h.PlaceDate, "I", dateSize))
	})
	w.b.WriteString(`</w:tr></w:tbl>`)

	w.paragraph(`<w:pStyle w:val="Title"/><w:spacing w:before="680"/>`, run(w.doc.Title, ""))
	w.paragraph(`<w:pStyle w:val="Title"/><w:ind w:left="567" w:right="567"/>`, run(w.doc.Subject, ""))
	w.rule(width, min(min(w.m.Width(w.doc.Subject, "B", document.BodySize), width-20)/3, 40))
	w.paragraph(`<w:spacing w:after="240"/>`)
}

// blocks writes the body's or an appendix's blocks.
func (w *writer) blocks(list []document.Block) {
	for _, b := range list {
		switch b.Kind {
		case document.KindHeading:
			style := `<w:pStyle w:val="Heading1"/>`
			if b.Level > 0 {
				style = `<w:pStyle w:val="Heading2"/>`
			}
			w.paragraph(style, run(words(b.Text), ""))
		case document.KindParagraph:
			w.paragraph(`<w:pStyle w:val="BodyText"/>`, run(words(b.Text), ""))
		case document.KindTable:
			w.table(b.Table, lineUp(list, b.Table))
		case document.KindBars:
			w.bars(b.Bars)
		case document.KindTrend:
			w.trend(b.Trend)
		case document.KindPageBreak:
			w.section(b.Landscape)
		}
	}
}

// lineUp is the tables drawn one under the other with t's columns (t among them).
func lineUp(list []document.Block, t *document.Table) []*document.Table {
	if t.LineUp == 0 {
		return nil
	}
	var out []*document.Table
	for _, b := range list {
		if b.Kind == document.KindTable && b.Table.LineUp == t.LineUp {
			out = append(out, b.Table)
		}
	}
	return out
}

// section ends the current section and starts one in the given orientation, on a new
// page.
func (w *writer) section(landscape bool) {
	w.b.WriteString(`<w:p><w:pPr><w:spacing w:after="0" w:line="20" w:lineRule="exact"/>` + w.sectPr() + `</w:pPr></w:p>`)
	w.landscape, w.first = landscape, false
}

// sectPr is the current section's properties: A4, NĐ 30's margins turned with the
// sheet on landscape pages, the page number in the top margin (not on page 1).
func (w *writer) sectPr() string {
	size := fmt.Sprintf(`<w:pgSz w:w="%d" w:h="%d"/>`, twips(document.A4W), twips(document.A4H))
	margins := fmt.Sprintf(`<w:pgMar w:top="%d" w:right="%d" w:bottom="%d" w:left="%d" w:header="567" w:footer="567" w:gutter="0"/>`,
		twips(document.PortraitTop), twips(document.PortraitRight), twips(document.PortraitBottom), twips(document.PortraitLeft))
	if w.landscape {
		size = fmt.Sprintf(`<w:pgSz w:w="%d" w:h="%d" w:orient="landscape"/>`, twips(document.A4H), twips(document.A4W))
		margins = fmt.Sprintf(`<w:pgMar w:top="%d" w:right="%d" w:bottom="%d" w:left="%d" w:header="850" w:footer="567" w:gutter="0"/>`,
			twips(document.LandscapeTop), twips(document.LandscapeRight), twips(document.LandscapeBottom), twips(document.LandscapeLeft))
	}
	title := ""
	if w.first {
		title = `<w:titlePg/>`
	}
	return `<w:sectPr><w:headerReference w:type="default" r:id="` + headerRel + `"/><w:type w:val="nextPage"/>` + size + margins + title + `</w:sectPr>`
}

// signature writes the closing block as a borderless table: Nơi nhận on the left,
// level with the signer's authority on the right; room for the signature and seal,
// then the name.
func (w *writer) signature() {
	width := document.TextWidth(w.landscape)
	right := twips(signW)
	left := twips(width) - right
	w.b.WriteString(fmt.Sprintf(`<w:tbl><w:tblPr><w:tblW w:w="%d" w:type="dxa"/><w:tblLayout w:type="fixed"/>`+
		`<w:tblCellMar><w:left w:w="0" w:type="dxa"/><w:right w:w="0" w:type="dxa"/></w:tblCellMar></w:tblPr>`+
		`<w:tblGrid><w:gridCol w:w="%d"/><w:gridCol w:w="%d"/></w:tblGrid><w:tr><w:trPr><w:cantSplit/></w:trPr>`, left+right, left, right))
	w.b.WriteString(fmt.Sprintf(`<w:tc><w:tcPr><w:tcW w:w="%d" w:type="dxa"/></w:tcPr>`, left))
	rec := w.doc.Recipients
	if rec.Heading != "" {
		w.paragraph(`<w:spacing w:before="113"/>`, run(rec.Heading, "BI", recipientsHead))
		for _, item := range rec.Items {
			w.paragraph(`<w:ind w:left="170" w:hanging="170"/>`, run(item, "", recipientsSize))
		}
	} else {
		w.paragraph("")
	}
	w.b.WriteString(`</w:tc>`)
	w.b.WriteString(fmt.Sprintf(`<w:tc><w:tcPr><w:tcW w:w="%d" w:type="dxa"/></w:tcPr>`, right))
	before := `<w:spacing w:before="113"/>`
	for _, line := range w.doc.Signer.Lines {
		w.paragraph(`<w:keepNext/>`+before+`<w:jc w:val="center"/>`, run(line, "B"))
		before = ""
	}
	if len(w.doc.Signer.Lines) == 0 {
		w.paragraph("")
	}
	if name := w.doc.Signer.Name; name != "" {
		w.paragraph(fmt.Sprintf(`<w:spacing w:before="%d"/><w:jc w:val="center"/>`, twips(signSpace)), run(name, "B"))
	}
	w.b.WriteString(`</w:tc></w:tr></w:tbl>`)
}

// appendix starts a section for an appendix: its number and title (bold, centred),
// the line tying it to the report and the as-of date (italic), then its blocks.
func (w *writer) appendix(a document.Appendix) {
	w.section(a.Landscape)
	w.paragraph(`<w:pStyle w:val="Title"/>`, run(a.Number, ""))
	w.paragraph(`<w:pStyle w:val="Title"/>`, run(a.Title, ""))
	w.paragraph(centred, run(a.Note, "I", noteSize))
	if a.AsOf != "" {
		w.paragraph(centred, run(a.AsOf, "I", noteSize))
	}
	w.paragraph(`<w:spacing w:after="0" w:line="227" w:lineRule="exact"/>`)
	w.blocks(a.Blocks)
}
