package docxreport

import (
	"fmt"
	"strconv"
	"strings"

	"canbo/pipeline/document"
)

// Tables: a caption above, the header (one row, or two under spans) shaded and
// repeated on every page, rows that never split across pages, a row marked Keep kept
// with the next one, group and total rows shaded, a note under the table. Column
// widths are the model's when it has them (the per-unit tables), else sized here from
// the cells as Word will set them (see widths).

const tableSize = 11.0 // pt, when the model gives none

// table writes t, sharing column widths with the tables it lines up with.
func (w *writer) table(t *document.Table, group []*document.Table) {
	size, headSize := t.Size, t.HeadSize
	if size == 0 {
		size = tableSize
	}
	if headSize == 0 {
		headSize = size
	}
	total := document.TextWidth(w.landscape)
	var mm []float64
	if len(group) > 1 {
		mm = w.sharedWidths(group, total)
	} else {
		mm = w.widths(t, total)
	}
	tw := make([]int, len(mm))
	sum := 0
	for i, x := range mm {
		tw[i] = twips(x)
		sum += tw[i]
	}

	if t.Caption != "" {
		if t.Heading {
			w.paragraph(`<w:pStyle w:val="Caption"/><w:ind w:firstLine="567"/>`, run(t.Caption, "", document.BodySize))
		} else {
			w.paragraph(`<w:pStyle w:val="Caption"/>`, run(t.Caption, "", size+1))
		}
	} else if t.Continues {
		w.paragraph(`<w:spacing w:after="0" w:line="113" w:lineRule="exact"/>`)
	}
	w.b.WriteString(fmt.Sprintf(`<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:w="%d" w:type="dxa"/><w:tblLayout w:type="fixed"/></w:tblPr><w:tblGrid>`, sum))
	for _, x := range tw {
		w.b.WriteString(fmt.Sprintf(`<w:gridCol w:w="%d"/>`, x))
	}
	w.b.WriteString(`</w:tblGrid>`)
	w.headerRows(t, tw, headSize)
	for _, r := range t.Rows {
		w.row(t, r, tw, size)
	}
	w.b.WriteString(`</w:tbl>`)
	if t.Note != "" {
		w.paragraph(`<w:spacing w:before="68"/>`, run(t.Note, "I", size))
	}
	w.paragraph(`<w:spacing w:after="0" w:line="170" w:lineRule="exact"/>`)
}

// cell writes one cell: its width (spanning n grid columns), shading, vertical merge
// ("restart", "continue" or none) and its text as a paragraph.
func (w *writer) cell(width, n int, shade document.Shade, merge, text, style, align string, size float64, keep bool) {
	// Written piece by piece: a report has tens of thousands of cells.
	w.b.WriteString(`<w:tc><w:tcPr><w:tcW w:w="`)
	w.b.WriteString(strconv.Itoa(width))
	w.b.WriteString(`" w:type="dxa"/>`)
	if n > 1 {
		w.b.WriteString(fmt.Sprintf(`<w:gridSpan w:val="%d"/>`, n))
	}
	switch merge {
	case "restart":
		w.b.WriteString(`<w:vMerge w:val="restart"/>`)
	case "continue":
		w.b.WriteString(`<w:vMerge/>`)
	}
	if shade != document.Plain {
		g := int(shade)
		w.b.WriteString(fmt.Sprintf(`<w:shd w:val="clear" w:color="auto" w:fill="%02X%02X%02X"/>`, g, g, g))
	}
	w.b.WriteString(`<w:vAlign w:val="center"/></w:tcPr>`)
	pPr := `<w:jc w:val="` + jc(align) + `"/>`
	if keep {
		pPr = `<w:keepNext/>` + pPr
	}
	if text == "" {
		w.paragraph(pPr + `<w:rPr><w:sz w:val="` + strconv.Itoa(halfPoints(size)) + `"/></w:rPr>`)
	} else {
		w.paragraph(pPr, run(words(text), style, size))
	}
	w.b.WriteString(`</w:tc>`)
}

func jc(align string) string {
	switch align {
	case "C":
		return "center"
	case "R":
		return "right"
	}
	return "left"
}

// headerRows writes the header: columns under a span in a second row, the others
// merged down both rows.
func (w *writer) headerRows(t *document.Table, tw []int, size float64) {
	under := make([]int, len(t.Cols)) // column → 1 + its span's index, 0 when none
	for si, s := range t.Spans {
		for i := s.First; i < s.First+s.N && i < len(under); i++ {
			under[i] = si + 1
		}
	}
	head := `<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>`
	if len(t.Spans) == 0 {
		w.b.WriteString(head)
		for i, c := range t.Cols {
			w.cell(tw[i], 1, document.ShadeHead, "", c.Title, "B", "C", size, true)
		}
		w.b.WriteString(`</w:tr>`)
		return
	}
	w.b.WriteString(head)
	for i := 0; i < len(t.Cols); {
		if si := under[i]; si > 0 {
			s := t.Spans[si-1]
			width := 0
			for j := i; j < s.First+s.N && j < len(tw); j++ {
				width += tw[j]
			}
			w.cell(width, min(s.N, len(tw)-i), document.ShadeHead, "", s.Title, "B", "C", size, true)
			i = s.First + s.N
			continue
		}
		w.cell(tw[i], 1, document.ShadeHead, "restart", t.Cols[i].Title, "B", "C", size, true)
		i++
	}
	w.b.WriteString(`</w:tr>` + head)
	for i, c := range t.Cols {
		if under[i] > 0 {
			w.cell(tw[i], 1, document.ShadeHead, "", c.Title, "B", "C", size, true)
		} else {
			w.cell(tw[i], 1, document.ShadeHead, "continue", "", "B", "C", size, true)
		}
	}
	w.b.WriteString(`</w:tr>`)
}

// row writes one body row.
func (w *writer) row(t *document.Table, r document.Row, tw []int, size float64) {
	w.b.WriteString(`<w:tr><w:trPr><w:cantSplit/></w:trPr>`)
	if r.Whole {
		sum := 0
		for _, x := range tw {
			sum += x
		}
		text, align := "", "L"
		if len(r.Cells) > 0 {
			text = r.Cells[0]
		}
		if r.Center {
			align = "C"
		}
		w.cell(sum, len(tw), r.Shade, "", text, r.Style, align, size, r.Keep)
	} else {
		for i := range tw {
			text := ""
			if i < len(r.Cells) {
				text = r.Cells[i]
			}
			w.cell(tw[i], 1, r.Shade, "", text, r.Style, t.Cols[i].Align, size, r.Keep)
		}
	}
	w.b.WriteString(`</w:tr>`)
}

// pad is what a column needs beyond its text: the cell's margins and some slack,
// mm.
const pad = 2*document.CellPadX + 2*document.FitSlack

// widths sizes t's columns for a table total millimetres wide: the model's widths
// scaled to the page when it has them; else fixed columns as given, fitted ones to
// their widest cell (at most Most), and the flexible ones share the rest by weight,
// one that needs less than its share getting just that. Fixed and fitted columns
// wider than the page shrink together.
func (w *writer) widths(t *document.Table, total float64) []float64 {
	n := len(t.Cols)
	if len(t.Widths) == n {
		return scaled(t.Widths, total)
	}
	size, headSize := t.Size, t.HeadSize
	if size == 0 {
		size = tableSize
	}
	if headSize == 0 {
		headSize = size
	}
	need := make([]float64, n)  // the widest cell
	least := make([]float64, n) // the widest word of the title
	for i, c := range t.Cols {
		for _, word := range strings.Fields(c.Title) {
			least[i] = max(least[i], w.m.Width(word, "B", headSize))
		}
		need[i] = least[i]
	}
	for _, r := range t.Rows {
		if r.Whole {
			continue
		}
		for i, s := range r.Cells {
			if i < n && s != "" && t.Cols[i].Width == 0 {
				need[i] = max(need[i], w.m.widest(s, r.Style, size))
			}
		}
	}
	out, flex, fixed, floor := document.FixedWidths(t.Cols, need, least, pad)
	if len(flex) == 0 {
		return scaled(out, total)
	}
	if room := total - floor; fixed > room {
		for i, c := range t.Cols {
			if c.Width > 0 || c.Fit {
				out[i] *= max(room, 0) / fixed
			}
		}
		fixed = max(room, 0)
	}
	needs, floors := make([]float64, n), make([]float64, n)
	for _, i := range flex {
		needs[i], floors[i] = need[i]+pad, least[i]+pad
	}
	document.ShareByWeight(t.Cols, flex, needs, floors, max(total-fixed, 0), out)
	return scaled(out, total)
}

// sharedWidths gives tables drawn one under the other the same columns: each
// column as wide as the widest it is in any of them.
func (w *writer) sharedWidths(tables []*document.Table, total float64) []float64 {
	var out []float64
	for _, t := range tables {
		ws := w.widths(t, total)
		if out == nil {
			out = ws
			continue
		}
		for i := range out {
			if i < len(ws) {
				out[i] = max(out[i], ws[i])
			}
		}
	}
	return scaled(out, total)
}

// scaled stretches or shrinks widths to add up to total.
func scaled(ws []float64, total float64) []float64 {
	sum := 0.0
	for _, x := range ws {
		sum += x
	}
	out := make([]float64, len(ws))
	for i, x := range ws {
		if sum > 0 {
			out[i] = x * total / sum
		}
	}
	return out
}
