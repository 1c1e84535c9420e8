package pdfreport

// The end of the document (NĐ 30/2020, Phụ lục I): on the right the
// signing authority and title in bold capitals, room for the signature and seal, the
// name in bold; on the left, level with the authority, "Nơi nhận:" (12 pt bold
// italic) and the recipients (11 pt), one "- …;" each.
const (
	signW          = 85.0 // mm: the signature column, at the right margin
	signSpace      = 28.0 // mm between the title and the name (signature, seal)
	recipientsSize = 11.0
	recipientsHead = 12.0
)

// signBlock is the signature block laid out for the current page width.
type signBlock struct {
	right []string   // authority and title, wrapped
	items [][]string // recipients, each wrapped
	h     float64    // the block's height, with the space above it
}

func (d *doc) signBlock() signBlock {
	leftW := d.width() - signW - 4
	var b signBlock
	d.font("B", bodySize)
	for _, s := range d.m.Signer.Lines {
		b.right = append(b.right, d.wrap(s, signW, signW)...)
	}
	rightH := float64(len(b.right)+1)*lineHeight(bodySize) + signSpace
	d.font("", recipientsSize)
	n := 0
	for _, r := range d.m.Recipients.Items {
		item := d.wrap(r, leftW, leftW-3)
		b.items = append(b.items, item)
		n += len(item)
	}
	leftH := 0.0
	if n > 0 {
		leftH = lineHeight(recipientsHead) + float64(n)*lineHeight(recipientsSize)
	}
	b.h = signAbove + max(rightH, leftH)
	return b
}

// signAbove is the space between the last paragraph and the signature block.
const signAbove = 4.0

// signature draws the signature block and the recipients on one page; body() has
// already moved the closing paragraph over with it if they did not fit together, so
// that the signature never stands alone on a page.
func (d *doc) signature() {
	if d.failed() {
		return
	}
	p := d.pdf
	b := d.signBlock()
	d.ensure(b.h)
	x0, w := d.left(), d.width()
	sx, leftW := x0+w-signW, w-signW-4
	y := p.GetY() + signAbove

	// Right: authority, title, room for the signature and seal, name.
	lh := lineHeight(bodySize)
	d.font("B", bodySize)
	ry := y
	for _, l := range b.right {
		d.text(sx, ry, signW, lh, l, "C")
		ry += lh
	}
	if name := d.m.Signer.Name; name != "" {
		d.text(sx, ry+signSpace, signW, lh, name, "C")
	}

	// Left: Nơi nhận, level with the authority; a wrapped item's lines indented.
	if len(b.items) > 0 {
		d.font("BI", recipientsHead)
		d.text(x0, y, leftW, lineHeight(recipientsHead), d.m.Recipients.Heading, "L")
		ly := y + lineHeight(recipientsHead)
		rlh := lineHeight(recipientsSize)
		d.font("", recipientsSize)
		for _, item := range b.items {
			for i, line := range item {
				indent := 0.0
				if i > 0 {
					indent = 3
				}
				d.text(x0+indent, ly, leftW-indent, rlh, line, "L")
				ly += rlh
			}
		}
	}
	p.SetXY(x0, y-signAbove+b.h)
}
