package feedback

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
)

// This file writes a marked sheet's comments: the comments part (the text) and the
// legacy VML drawing (the yellow boxes, which Excel and LibreOffice still need to
// show a comment). A sheet's existing comments are kept; a clerk's note on a marked
// cell is merged under ours, since a cell has one comment.

// note is one comment the feedback puts on a cell.
type note struct {
	row, col int
	msgs     []string
}

// commentRun is a run of comment text as Excel writes it, in the part's prefix.
func commentRun(p string, bold bool, text string) []byte {
	b := []byte("<" + p + "r><" + p + "rPr>")
	if bold {
		b = append(b, "<"+p+"b/>"...)
	}
	b = append(b, "<"+p+`sz val="10"/><`+p+`color rgb="FF`+textColour+`"/><`+p+`rFont val="`+uiFont+`"/><`+p+`family val="1"/></`+p+"rPr>"...)
	return append(textElement(b, p+"t", text), "</"+p+"r>"...)
}

// textElement appends <name>text</name>, preserving whitespace when it matters.
func textElement(b []byte, name, text string) []byte {
	b = append(b, "<"+name...)
	if needsPreserve(text) {
		b = append(b, ` xml:space="preserve"`...)
	}
	b = append(b, '>')
	b = escapeText(b, text)
	return append(b, "</"+name+">"...)
}

// oldComment is a comment already in the part.
type oldComment struct {
	from, to int64 // the whole <comment> element
	runs     []byte
	text     string
}

// commentsDoc is an existing comments part, indexed.
type commentsDoc struct {
	data      []byte
	prefix    string
	authors   []string
	authorsAt int64 // where a new author goes
	authorTag []byte
	authorsSC bool // <authors/> needs opening
	listAt    int64
	listTag   []byte
	listSC    bool
	byRef     map[string]*oldComment
}

// readComments indexes a comments part. Each comment's text is kept as runs (a plain
// <t> becomes a run) so it can follow ours in a merged comment.
func readComments(data []byte) (*commentsDoc, error) {
	d := &commentsDoc{data: data, byRef: map[string]*oldComment{}, authorsAt: -1, listAt: -1}
	l := newByteLexer(data)
	depth := 0
	var cur *oldComment
	var textDepth, skipDepth = -1, -1
	var inT bool
	var author *strings.Builder
	for {
		k, err := l.next()
		if err != nil {
			return nil, unhandled("comments: %v", err)
		}
		if k == tokEOF {
			break
		}
		end := l.off + int64(len(l.raw))
		local := string(localName(l.name))
		switch k {
		case tokStart:
			switch {
			case depth == 0:
				d.prefix = prefixOf(l.name)
			case depth == 1 && local == "authors":
				d.authorsAt, d.authorTag, d.authorsSC = end, append([]byte(nil), l.raw...), l.selfClosing
				if l.selfClosing {
					d.authorsAt = l.off
				}
			case depth == 2 && local == "author":
				author = &strings.Builder{}
				if l.selfClosing {
					d.authors = append(d.authors, "")
					author = nil
				}
			case depth == 1 && local == "commentList":
				d.listAt, d.listTag, d.listSC = end, append([]byte(nil), l.raw...), l.selfClosing
				if l.selfClosing {
					d.listAt = l.off
				}
			case depth == 2 && local == "comment":
				ref, _ := attrValue(l.raw, "ref")
				cur = &oldComment{from: l.off, to: end}
				if _, dup := d.byRef[strings.ToUpper(ref)]; !dup {
					d.byRef[strings.ToUpper(ref)] = cur
				}
			case cur != nil && depth == 3 && local == "text":
				textDepth = depth
			case cur != nil && textDepth >= 0 && depth == textDepth+1 && skipDepth < 0:
				switch local {
				case "r":
					cur.runs = append(cur.runs, l.raw...)
				case "t":
					cur.runs = append(cur.runs, "<"+d.prefix+"r>"...)
					cur.runs = append(cur.runs, l.raw...)
					inT = true
				default:
					if !l.selfClosing {
						skipDepth = depth // phonetic runs and properties are not carried over
					}
				}
			case cur != nil && textDepth >= 0 && skipDepth < 0:
				cur.runs = append(cur.runs, l.raw...)
				if local == "t" {
					inT = true
				}
			}
			if !l.selfClosing {
				depth++
			} else if cur != nil && textDepth >= 0 && depth == textDepth+1 && local == "t" {
				cur.runs = append(cur.runs, "</"+d.prefix+"r>"...)
				inT = false
			}
		case tokEnd:
			depth--
			switch {
			case depth == 2 && local == "author" && author != nil:
				d.authors = append(d.authors, unescape([]byte(author.String())))
				author = nil
			case depth == 1 && local == "authors":
				d.authorsAt = l.off
			case depth == 1 && local == "commentList":
				d.listAt = l.off
			case depth == 2 && local == "comment" && cur != nil:
				cur.to = end
				cur, textDepth = nil, -1
			case cur != nil && depth == skipDepth:
				skipDepth = -1
			case cur != nil && depth == textDepth:
				textDepth = -1 // </text>
			case cur != nil && textDepth >= 0 && skipDepth < 0:
				cur.runs = append(cur.runs, l.raw...)
				if local == "t" {
					inT = false
					if depth == textDepth+1 {
						cur.runs = append(cur.runs, "</"+d.prefix+"r>"...)
					}
				}
			}
		case tokText, tokOther:
			if author != nil {
				author.Write(l.raw)
			}
			if cur != nil && textDepth >= 0 && skipDepth < 0 {
				cur.runs = append(cur.runs, l.raw...)
				if inT && k == tokText {
					cur.text += unescape(l.raw)
				}
			}
		}
	}
	if d.listAt < 0 {
		return nil, unhandled("comments part has no comment list")
	}
	return d, nil
}

// commentBody is a note's <text> content and its estimated number of lines. old, if
// not nil, is the clerk's comment on the cell, kept under ours.
func commentBody(p, author string, n note, old *oldComment) ([]byte, int) {
	text := strings.Join(n.msgs, "\n")
	b := commentRun(p, true, author+":\n")
	b = append(b, commentRun(p, false, text)...)
	lines := commentLines(author) + commentLines(text)
	if old != nil {
		b = append(b, "<"+p+"r>"...)
		b = textElement(b, p+"t", "\n\n")
		b = append(b, "</"+p+"r>"...)
		b = append(b, old.runs...)
		lines += commentLines(old.text) + 1
	}
	return b, lines
}

// commentElement is one <comment>.
func commentElement(p string, n note, authorID int, body []byte) []byte {
	b := []byte("<" + p + `comment ref="` + cellName(n.col, n.row) + `" authorId="` + itoa(authorID) + `"><` + p + "text>")
	b = append(b, body...)
	return append(b, "</"+p+"text></"+p+"comment>"...)
}

// buildComments writes the comments part: a new one when old is nil, else old with
// the notes' cells replaced or added. It returns each note's line count, for the
// size of its box.
func buildComments(old *commentsDoc, author string, notes []note) ([]byte, []int) {
	lines := make([]int, len(notes))
	if old == nil {
		b := []byte(xmlDecl + `<comments xmlns="` + nsMain + `"><authors>`)
		b = textElement(b, "author", author)
		b = append(b, "</authors><commentList>"...)
		for i, n := range notes {
			body, ln := commentBody("", author, n, nil)
			lines[i] = ln
			b = append(b, commentElement("", n, 0, body)...)
		}
		return append(b, "</commentList></comments>"...), lines
	}
	p := old.prefix
	var edits []edit
	authorID := -1
	for i, a := range old.authors {
		if a == author {
			authorID = i
			break
		}
	}
	if authorID < 0 {
		authorID = len(old.authors)
		a := textElement(nil, p+"author", author)
		switch {
		case old.authorsAt < 0: // no <authors>: it opens the part's content
			return nil, nil
		case old.authorsSC:
			repl := append(openTag(nil, old.authorTag), a...)
			repl = append(repl, "</"+p+"authors>"...)
			edits = append(edits, edit{old.authorsAt, old.authorsAt + int64(len(old.authorTag)), repl})
		default:
			edits = append(edits, edit{old.authorsAt, old.authorsAt, a})
		}
	}
	var added []byte
	for i, n := range notes {
		prev := old.byRef[cellName(n.col, n.row)]
		body, ln := commentBody(p, author, n, prev)
		lines[i] = ln
		el := commentElement(p, n, authorID, body)
		if prev != nil {
			edits = append(edits, edit{prev.from, prev.to, el})
		} else {
			added = append(added, el...)
		}
	}
	if old.listSC {
		repl := append(openTag(nil, old.listTag), added...)
		repl = append(repl, "</"+p+"commentList>"...)
		edits = append(edits, edit{old.listAt, old.listAt + int64(len(old.listTag)), repl})
	} else {
		edits = append(edits, edit{old.listAt, old.listAt, added})
	}
	return applyEdits(old.data, edits), lines
}

// VML namespaces, which the shapes' prefixes must be bound to.
const (
	nsVML    = "urn:schemas-microsoft-com:vml"
	nsOffice = "urn:schemas-microsoft-com:office:office"
	nsExcel  = "urn:schemas-microsoft-com:office:excel"
)

// noteShapeType is the VML shape type of a comment box, as Excel writes it.
const noteShapeType = `<v:shapetype id="_x0000_t202" coordsize="21600,21600" o:spt="202" path="m,l,21600r21600,l21600,xe">` +
	`<v:stroke joinstyle="miter"/><v:path gradientshapeok="t" o:connecttype="rect"/></v:shapetype>`

// noteShape is one comment box, hidden until the cell is pointed at.
func noteShape(id int, typ string, s *sheetScan, n note, lines int) []byte {
	const width = commentWidth
	height := min(20+lines*commentLineH, commentMaxHeight)
	anchor, left, top := noteAnchor(s, n.row, n.col, width, height)
	return fmt.Appendf(nil, `<v:shape id="_x0000_s%d" type="#%s" style="position:absolute;margin-left:%.2fpt;margin-top:%.2fpt;`+
		`width:%.2fpt;height:%.2fpt;z-index:%d;visibility:hidden" fillcolor="#ffffe1" o:insetmode="auto">`+
		`<v:fill color2="#ffffe1"/><v:shadow on="t" color="black" obscured="t"/><v:path o:connecttype="none"/>`+
		`<v:textbox style="mso-direction-alt:auto"><div style="text-align:left"></div></v:textbox>`+
		`<x:ClientData ObjectType="Note"><x:MoveWithCells/><x:SizeWithCells/><x:Anchor>%s</x:Anchor>`+
		`<x:AutoFill>False</x:AutoFill><x:Row>%d</x:Row><x:Column>%d</x:Column></x:ClientData></v:shape>`,
		id, typ, left, top, float64(width)*0.75, float64(height)*0.75, id%1024, anchor, n.row-1, n.col-1)
}

// noteAnchor places a box of w×h pixels to the right of and slightly above its cell,
// as Excel does, in the sheet's column widths and default row height. It returns
// the anchor (columns and rows, 0-based, with pixel offsets) and the box's position
// in points.
func noteAnchor(s *sheetScan, row, col, w, h int) (string, float64, float64) {
	rowPx := max(1, int(s.rowHeight*96/72+0.5))
	leftCol, leftOff := col, 15 // 0-based: the column right of the cell
	topRow, topOff := max(row-2, 0), 10
	if row == 1 {
		topOff = 2
	}
	x := 0
	for c := 1; c <= leftCol && c <= 16384; c++ {
		x += s.colPixels(c)
	}
	rightCol, rightOff := leftCol, leftOff+w
	for rightCol < 16383 && rightOff >= s.colPixels(rightCol+1) {
		rightOff -= s.colPixels(rightCol + 1)
		rightCol++
	}
	bottomRow, bottomOff := topRow+(topOff+h)/rowPx, (topOff+h)%rowPx
	a := fmt.Sprintf("%d, %d, %d, %d, %d, %d, %d, %d", leftCol, leftOff, topRow, topOff, rightCol, rightOff, bottomRow, bottomOff)
	return a, float64(x+leftOff) * 0.75, float64(topRow*rowPx+topOff) * 0.75
}

// newVML is a drawing holding only the notes' boxes.
func newVML(block int, s *sheetScan, notes []note, lines []int) []byte {
	var b bytes.Buffer
	b.WriteString(`<xml xmlns:v="` + nsVML + `" xmlns:o="` + nsOffice + `" xmlns:x="` + nsExcel + `">`)
	blocks := []string{}
	for i := 0; i <= len(notes)/1023; i++ {
		blocks = append(blocks, itoa(block+i))
	}
	b.WriteString(`<o:shapelayout v:ext="edit"><o:idmap v:ext="edit" data="` + strings.Join(blocks, ",") + `"/></o:shapelayout>`)
	b.WriteString(noteShapeType)
	for i, n := range notes {
		b.Write(noteShape(block*1024+1+i, "_x0000_t202", s, n, lines[i]))
	}
	b.WriteString("</xml>")
	return b.Bytes()
}

// patchVML adds the notes' boxes to an existing drawing, removing the boxes of the
// cells whose comment is replaced by a merged one. Other shapes (form controls,
// other comments) are kept as they are.
func patchVML(data []byte, s *sheetScan, notes []note, lines []int) ([]byte, error) {
	replaced := map[cellAt]bool{}
	for _, n := range notes {
		replaced[cellAt{n.row - 1, n.col - 1}] = true
	}
	l := newByteLexer(data)
	var edits []edit
	depth, maxID := 0, 1024
	shapeType := ""
	var rootEnd int64 = -1
	var shapeFrom int64 = -1
	var isNote bool
	var row, col = -1, -1
	var field string
	for {
		k, err := l.next()
		if err != nil {
			return nil, unhandled("VML drawing: %v", err)
		}
		if k == tokEOF {
			break
		}
		end := l.off + int64(len(l.raw))
		switch k {
		case tokStart:
			name := string(l.name)
			if depth == 0 {
				ok := true
				for prefix, ns := range map[string]string{"v": nsVML, "o": nsOffice, "x": nsExcel} {
					if v, _ := attrValue(l.raw, "xmlns:"+prefix); v != ns {
						ok = false
					}
				}
				if !ok {
					return nil, unhandled("VML drawing binds v, o, x otherwise")
				}
			}
			if id, ok := attrValue(l.raw, "id"); ok && strings.HasPrefix(id, "_x0000_s") {
				if n, err := strconv.Atoi(id[len("_x0000_s"):]); err == nil {
					maxID = max(maxID, n)
				}
			}
			switch {
			case name == "v:shapetype":
				if spt, _ := attrValue(l.raw, "o:spt"); spt == "202" && shapeType == "" {
					shapeType, _ = attrValue(l.raw, "id")
				}
			case depth == 1 && name == "v:shape":
				shapeFrom, isNote, row, col = l.off, false, -1, -1
				if l.selfClosing {
					shapeFrom = -1
				}
			case shapeFrom >= 0 && name == "x:ClientData":
				isNote = strings.EqualFold(mustAttr(l.raw, "ObjectType"), "Note")
			case shapeFrom >= 0 && (name == "x:Row" || name == "x:Column"):
				field = name
			}
			if !l.selfClosing {
				depth++
			}
		case tokText:
			if field != "" {
				v, _ := strconv.Atoi(strings.TrimSpace(string(l.raw)))
				if field == "x:Row" {
					row = v
				} else {
					col = v
				}
			}
		case tokEnd:
			depth--
			field = ""
			if depth == 1 && string(l.name) == "v:shape" && shapeFrom >= 0 {
				if isNote && replaced[cellAt{row, col}] {
					edits = append(edits, edit{shapeFrom, end, nil})
				}
				shapeFrom = -1
			}
			if depth == 0 {
				rootEnd = l.off
			}
		}
	}
	if rootEnd < 0 {
		return nil, unhandled("VML drawing has no root end")
	}
	var add []byte
	if shapeType == "" {
		add = append(add, noteShapeType...)
		shapeType = "_x0000_t202"
	}
	for i, n := range notes {
		add = append(add, noteShape(maxID+1+i, shapeType, s, n, lines[i])...)
	}
	edits = append(edits, edit{rootEnd, rootEnd, add})
	return applyEdits(data, edits), nil
}

func mustAttr(tag []byte, name string) string { v, _ := attrValue(tag, name); return v }
