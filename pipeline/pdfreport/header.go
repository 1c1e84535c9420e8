package pdfreport

// The first page's header is two columns (NĐ 30/2020, Phụ lục I): the issuing
// body on the left, the national name and motto on the right, then the number under
// the body and the place and date under the motto, on one line.
const (
	headerLeftW   = 72.0 // the left column; the right column takes the rest of the width
	headerLine    = 6.0  // line height of the header block
	bodyNameSize  = 13.0 // cơ quan chủ quản, cơ quan ban hành (12–13)
	countrySize   = 12.0 // CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM (12–13)
	mottoSize     = 13.0 // Độc lập - Tự do - Hạnh phúc (13–14)
	numberSize    = 13.0 // Số: …/BC-SNV (13)
	dateSize      = 14.0 // địa danh, ngày tháng năm (13–14, italic)
	titleSize     = 14.0 // BÁO CÁO and the trích yếu (13–14, bold)
	ruleThickness = 0.3
)

// firstPage draws the header, the title and the trích yếu.
func (d *doc) firstPage() {
	p := d.pdf
	h := d.m.Header
	x0, y0, w := d.left(), p.GetY(), d.width()
	rx, rw := x0+headerLeftW, w-headerLeftW

	// Left: parent body (upper case, regular) over the issuing body (upper case,
	// bold), a short rule under it.
	y := y0
	if h.ParentBody != "" {
		d.font("", bodyNameSize)
		for _, line := range d.wrap(h.ParentBody, headerLeftW, headerLeftW) {
			d.text(x0, y, headerLeftW, headerLine, line, "C")
			y += headerLine
		}
	}
	d.font("B", bodyNameSize)
	bodyW := 0.0
	for _, line := range d.wrap(h.Body, headerLeftW, headerLeftW) {
		d.text(x0, y, headerLeftW, headerLine, line, "C")
		bodyW = max(bodyW, p.GetStringWidth(clean(line)))
		y += headerLine
	}
	d.rule(x0+headerLeftW/2, y+0.8, bodyW/2.5) // NĐ 30: 1/3 to 1/2 of the line above
	leftBottom := y

	// Right: the national name (bold upper case), the motto (bold, underlined as
	// long as the text).
	y = y0
	country := h.Country
	d.font("B", fitSize(d, "B", country, rw, countrySize, 10))
	d.text(rx, y, rw, headerLine, country, "C")
	y += headerLine
	motto := h.Motto
	d.font("B", fitSize(d, "B", motto, rw, mottoSize, 11))
	d.text(rx, y, rw, headerLine, motto, "C")
	d.rule(rx+rw/2, y+headerLine+0.4, p.GetStringWidth(clean(motto)))
	y += headerLine

	// The number under the body and the place and date under the motto, level.
	y = max(leftBottom, y) + 3.5
	d.font("", numberSize)
	d.text(x0, y, headerLeftW, headerLine, h.Number, "C")
	when := h.PlaceDate
	d.font("I", fitSize(d, "I", when, rw, dateSize, 11))
	d.text(rx, y, rw, headerLine, when, "C")
	y += headerLine

	// Title and trích yếu, centred, bold, a short rule under them.
	y += 12
	d.font("B", titleSize)
	lh := lineHeight(titleSize)
	d.text(x0, y, w, lh, d.m.Title, "C")
	y += lh
	widest := 0.0
	for _, line := range d.wrap(d.m.Subject, w-20, w-20) {
		d.text(x0, y, w, lh, line, "C")
		widest = max(widest, p.GetStringWidth(line))
		y += lh
	}
	d.rule(x0+w/2, y+1.5, min(widest/3, 40))
	p.SetXY(x0, y+8)
}

// rule draws a horizontal line of length l centred on cx.
func (d *doc) rule(cx, y, l float64) {
	d.pdf.SetLineWidth(ruleThickness)
	d.pdf.Line(cx-l/2, y, cx+l/2, y)
	d.pdf.SetLineWidth(0.2)
}

// fitSize is the largest size from size down to smallest (half points) at which s
// fits in w; long names of places and bodies shrink rather than overflow.
func fitSize(d *doc, style, s string, w, size, smallest float64) float64 {
	s = oneLine(s)
	for ; size > smallest; size -= 0.5 {
		d.font(style, size)
		if d.pdf.GetStringWidth(s) <= w {
			return size
		}
	}
	return smallest
}
