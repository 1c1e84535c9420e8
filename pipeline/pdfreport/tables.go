package pdfreport

import (
	"canbo/pipeline/document"
)

// The appendices: which tables each has, and their rows, are the model's
// (pipeline/document); here each starts on a new page under its title.

// appendices draws the appendices, each from a new page.
func (d *doc) appendices() {
	for _, a := range d.m.Appendices {
		if d.failed() {
			return
		}
		d.appendix(a)
		d.blocks(a.Blocks)
	}
}

// appendix starts an appendix on a new page: "Phụ lục II" and its title in upper case
// (bold, centred), the italic line tying it to the report (NĐ 30, Phụ lục I) and the
// as-of date.
func (d *doc) appendix(a document.Appendix) {
	orient := "P"
	if a.Landscape {
		orient = "L"
	}
	d.newPage(orient)
	x, w := d.left(), d.width()
	lh := lineHeight(bodySize)
	d.font("B", bodySize)
	title := append([]string{a.Number}, d.wrap(a.Title, w, w)...)
	for _, line := range title {
		d.text(x, d.pdf.GetY(), w, lh, line, "C")
		d.pdf.SetXY(x, d.pdf.GetY()+lh)
	}
	d.font("I", 13)
	noteLines := []string{a.Note} // as is: wrapping would close up the blank left for the number
	if d.pdf.GetStringWidth(oneLine(a.Note)) > w {
		noteLines = d.wrap(a.Note, w, w)
	}
	for _, line := range noteLines {
		d.text(x, d.pdf.GetY(), w, lineHeight(13), line, "C")
		d.pdf.SetXY(x, d.pdf.GetY()+lineHeight(13))
	}
	if a.AsOf != "" {
		d.text(x, d.pdf.GetY(), w, lineHeight(13), a.AsOf, "C")
		d.pdf.SetXY(x, d.pdf.GetY()+lineHeight(13))
	}
	d.pdf.SetXY(x, d.pdf.GetY()+4)
}
