package feedback

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"
)

// This file patches worksheet parts as streams: every token is copied as read,
// except the few start tags a mark changes and the elements it adds, so memory does
// not grow with the sheet and a cell without a mark keeps its exact bytes. A sheet
// is read twice (from memory when it is small, see sheetSource): scanSheet first, for
// what comes after the cells but decides where a mark goes (merged ranges) and what
// must be added (a comment drawing), then rewriteSheet. Neither cuts the rows without
// marks into tokens: a feedback copy of a 5,000-person roster changes a few hundred of
// its 55,000 tags.

// sheetScan is what the first read of a worksheet learns.
type sheetScan struct {
	prefix      string // element prefix of the part, with colon
	rPrefix     string // prefix of the relationships namespace on the root, with colon
	merges      *mergeMap
	legacyRID   string // r:id of an existing <legacyDrawing>
	tabSelected bool
	cols        []colSpec
	colWidth    float64 // default column width, characters
	rowHeight   float64 // default row height, points
}

// colSpec is one <col> element.
type colSpec struct {
	min, max int
	width    float64 // 0 when not given
	style    int
}

// colStyle is the style of a column's cells that are not in the file.
func (s *sheetScan) colStyle(col int) int {
	for _, c := range s.cols {
		if c.min <= col && col <= c.max {
			return c.style
		}
	}
	return 0
}

// colPixels is a column's width in pixels at 100% zoom, as Excel converts it.
func (s *sheetScan) colPixels(col int) int {
	w := s.colWidth
	for _, c := range s.cols {
		if c.min <= col && col <= c.max && c.width > 0 {
			w = c.width
			break
		}
	}
	return int(w*7 + 5)
}

func newScan() *sheetScan { return &sheetScan{colWidth: 8.43, rowHeight: 15} }

// scanSheet reads a worksheet for its merged ranges (feeding them to a mergeMap of
// cells), comment drawing, selected state, column styles and widths. None of these
// is among the cells, so the rows are passed over unread (lexer.skipTo).
func scanSheet(ctx context.Context, src sheetSource, part string, cells []cellAt) (*sheetScan, error) {
	l, closer, err := src.lexer()
	if err != nil {
		return nil, err
	}
	defer closer.Close()
	s := newScan()
	if len(cells) > 0 {
		s.merges = newMergeMap(cells)
	}
	depth, n := 0, 0
	var inData []byte // sheetData's name while inside it
	for {
		if n++; n%(1<<16) == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		if inData != nil {
			done, err := l.skipTo(inData)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", part, err)
			}
			if !done { // one buffer of a streamed part passed over
				if err := ctx.Err(); err != nil {
					return nil, err
				}
				continue
			}
		}
		k, err := l.next()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", part, err)
		}
		if k == tokEOF {
			return s, nil
		}
		switch k {
		case tokStart:
			if depth == 0 {
				if err := s.root(l); err != nil {
					return nil, err
				}
			} else if depth <= 2 {
				s.element(l, depth)
			}
			if !l.selfClosing {
				if depth == 1 && l.isLocal("sheetData") {
					inData = append([]byte(nil), l.name...)
				}
				depth++
			}
		case tokEnd:
			// Inside sheetData, skipTo stops only at its end tag (or at markup
			// that is not a tag).
			depth--
			inData = nil
		}
	}
}

// root checks the root element's namespace and records the prefixes.
func (s *sheetScan) root(l *lexer) error {
	ns, rp := rootNamespaces(l.raw, l.name)
	if ns != nsMain {
		return unhandled("sheet namespace %q", ns)
	}
	s.prefix, s.rPrefix = prefixOf(l.name), rp
	return nil
}

// element records what the scan needs from an element near the root.
func (s *sheetScan) element(l *lexer, depth int) {
	switch local := string(localName(l.name)); {
	case local == "sheetView":
		if v, ok := attrValue(l.raw, "tabSelected"); ok && isTrue(v) {
			s.tabSelected = true
		}
	case depth == 1 && local == "legacyDrawing":
		s.legacyRID = relIDAttr(l.raw)
	case depth == 1 && local == "sheetFormatPr":
		if v, ok := attrValue(l.raw, "defaultColWidth"); ok {
			if w, err := strconv.ParseFloat(v, 64); err == nil && w > 0 {
				s.colWidth = w
			}
		} else if v, ok := attrValue(l.raw, "baseColWidth"); ok {
			if w, err := strconv.ParseFloat(v, 64); err == nil && w > 0 {
				s.colWidth = w + 0.71 // Excel's padding for 11-point Calibri
			}
		}
		if v, ok := attrValue(l.raw, "defaultRowHeight"); ok {
			if h, err := strconv.ParseFloat(v, 64); err == nil && h > 0 {
				s.rowHeight = h
			}
		}
	case depth == 2 && local == "col":
		c := colSpec{}
		c.min, _ = intAttr(l.raw, "min")
		c.max, _ = intAttr(l.raw, "max")
		c.style, _ = intAttr(l.raw, "style")
		if v, ok := attrValue(l.raw, "width"); ok {
			c.width, _ = strconv.ParseFloat(v, 64)
		}
		s.cols = append(s.cols, c)
	case depth == 2 && local == "mergeCell" && s.merges != nil:
		if ref, ok := attrValue(l.raw, "ref"); ok {
			if r, ok := parseRange(ref); ok {
				s.merges.add(r)
			} // a broken range: marking the cell itself is the best we can do
		}
	}
}

func isTrue(v string) bool { v = strings.TrimSpace(v); return v == "1" || v == "true" }

func intAttr(tag []byte, name string) (int, bool) {
	v, ok := attrValue(tag, name)
	if !ok {
		return 0, false
	}
	n, err := strconv.Atoi(strings.TrimSpace(v))
	return n, err == nil
}

// probeSelected reports whether a sheet part (of any kind) has a selected tab. It
// reads only up to the sheet views, near the start of the part.
func probeSelected(p *pkg, part string) (bool, error) {
	rc, err := p.open(part, unzipLimit)
	if err != nil {
		return false, err
	}
	defer rc.Close()
	l := newLexer(rc)
	depth := 0
	for {
		k, err := l.next()
		if err != nil {
			return false, fmt.Errorf("%s: %w", part, err)
		}
		switch k {
		case tokEOF:
			return false, nil
		case tokStart:
			local := string(localName(l.name))
			if local == "sheetView" {
				if v, ok := attrValue(l.raw, "tabSelected"); ok && isTrue(v) {
					return true, nil
				}
			}
			if depth == 1 && local != "sheetPr" && local != "dimension" && local != "sheetViews" {
				return false, nil // past the views
			}
			if !l.selfClosing {
				depth++
			}
		case tokEnd:
			depth--
		}
	}
}

// rowEdit is what changes in one row: it is shown, and these cells get marks.
type rowEdit struct {
	row   int
	cells []cellEdit // ascending columns
}

type cellEdit struct {
	col     int
	warning bool
}

// sheetEdit is everything that changes in one worksheet part.
type sheetEdit struct {
	rows      []rowEdit // ascending rows
	clearTab  bool      // unselect the tab: the problems sheet is the selected one
	legacyRID string    // add <legacyDrawing r:id=...>; "" when the sheet has one
	scan      *sheetScan
	style     func(base int, warning bool) int
}

// Elements that come after legacyDrawing in a worksheet; a new legacyDrawing goes
// before the first of them. AlternateContent wraps oleObjects and controls.
var afterLegacy = map[string]bool{
	"legacyDrawingHF": true, "drawingHF": true, "picture": true, "oleObjects": true, "controls": true,
	"webPublishItems": true, "tableParts": true, "extLst": true, "AlternateContent": true,
}

// sheetRewriter carries the state of one rewriteSheet.
type sheetRewriter struct {
	e       *sheetEdit
	w       *bufio.Writer
	buf     []byte
	next    int // index in e.rows of the next row to emit or patch
	lastRow int

	row      *rowEdit // the current row when it has edits
	rowStyle int      // style of the current row's missing cells
	cellNext int      // index in row.cells
	lastCol  int
	legacy   bool // the legacyDrawing has been written
}

// rewriteSheet copies a worksheet part read by l to w with the edits applied. A row
// without edits is copied as it is, without cutting it into tokens
// (lexer.skipElement). It fails with notHandled on rows or cells out of order, which
// it cannot patch safely.
func rewriteSheet(ctx context.Context, l *lexer, w io.Writer, e *sheetEdit) error {
	rw := &sheetRewriter{e: e, w: bufio.NewWriterSize(w, 64<<10), legacy: e.legacyRID == ""}
	depth, n := 0, 0
	inData := false
	for {
		k, err := l.next()
		if err != nil {
			return err
		}
		if k == tokEOF {
			break
		}
		if n++; n%(1<<16) == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		switch k {
		case tokStart:
			local := string(localName(l.name))
			switch {
			case depth == 1 && !rw.legacy && afterLegacy[local]:
				rw.writeLegacy()
				rw.w.Write(l.raw)
			case depth == 1 && local == "sheetData":
				if l.selfClosing {
					rw.w.Write(openTag(rw.buf[:0], l.raw))
					if err := rw.rowsBefore(excelize.TotalRows + 1); err != nil {
						return err
					}
					rw.w.WriteString("</" + string(l.name) + ">")
				} else {
					inData = true
					rw.w.Write(l.raw)
				}
			case depth == 1 && local == "dimension":
				rw.w.Write(rw.dimension(l.raw))
			case local == "sheetView" && e.clearTab:
				rw.w.Write(delAttr(rw.buf[:0], l.raw, "tabSelected"))
			case inData && depth == 2 && local == "row":
				if err := rw.startRow(l); err != nil {
					return err
				}
				if rw.row == nil && !l.selfClosing {
					if rest, ok := l.skipElement(l.name); ok {
						rw.w.Write(rest)
						continue // the row's end tag is passed: depth is unchanged
					}
				}
			case inData && depth == 3 && local == "c" && rw.row != nil:
				if err := rw.cell(l); err != nil {
					return err
				}
			default:
				rw.w.Write(l.raw)
			}
			if !l.selfClosing {
				depth++
			}
		case tokEnd:
			depth--
			switch {
			case inData && depth == 2 && rw.row != nil:
				rw.cellsBefore(excelize.MaxColumns + 1)
				rw.row = nil
			case inData && depth == 1:
				if err := rw.rowsBefore(excelize.TotalRows + 1); err != nil {
					return err
				}
				inData = false
			case depth == 0 && !rw.legacy:
				rw.writeLegacy()
			}
			rw.w.Write(l.raw)
		default:
			rw.w.Write(l.raw)
		}
	}
	if rw.next < len(e.rows) {
		return unhandled("worksheet has no sheetData")
	}
	return rw.w.Flush()
}

func (rw *sheetRewriter) el(name string) string { return rw.e.scan.prefix + name }

// writeLegacy adds the reference to the comments' drawing.
func (rw *sheetRewriter) writeLegacy() {
	rp, decl := rw.e.scan.rPrefix, ""
	if rp == "" {
		rp, decl = "r:", ` xmlns:r="`+nsRel+`"`
	}
	rw.w.WriteString("<" + rw.el("legacyDrawing") + decl + " " + rp + `id="` + rw.e.legacyRID + `"/>`)
	rw.legacy = true
}

// dimension widens the used range to cover cells the marks add.
func (rw *sheetRewriter) dimension(tag []byte) []byte {
	ref, ok := attrValue(tag, "ref")
	if !ok || len(rw.e.rows) == 0 {
		return tag
	}
	r, ok := parseRange(ref)
	if !ok {
		return tag
	}
	grown := r
	for _, re := range rw.e.rows {
		grown.top, grown.bottom = min(grown.top, re.row), max(grown.bottom, re.row)
		for _, c := range re.cells {
			grown.left, grown.right = min(grown.left, c.col), max(grown.right, c.col)
		}
	}
	if grown == r {
		return tag
	}
	return setAttr(rw.buf[:0], tag, "ref", cellName(grown.left, grown.top)+":"+cellName(grown.right, grown.bottom))
}

// rowsBefore writes the rows with marks that the file lacks, up to row limit.
func (rw *sheetRewriter) rowsBefore(limit int) error {
	for rw.next < len(rw.e.rows) && rw.e.rows[rw.next].row < limit {
		re := &rw.e.rows[rw.next]
		rw.next++
		if len(re.cells) == 0 {
			continue // a row to show that is not in the file is not hidden
		}
		rw.w.WriteString("<" + rw.el("row") + ` r="` + itoa(re.row) + `">`)
		for _, c := range re.cells {
			rw.newCell(re.row, c, rw.e.scan.colStyle(c.col))
		}
		rw.w.WriteString("</" + rw.el("row") + ">")
	}
	return nil
}

// startRow handles a <row>: rows the file lacks are written before it, and a row
// with edits is shown and, when self-closing, opened to take its new cells.
func (rw *sheetRewriter) startRow(l *lexer) error {
	r, ok := intAttr(l.raw, "r")
	if _, present := findAttr(l.raw, "r"); !present {
		r, ok = rw.lastRow+1, true
	}
	if !ok || r <= rw.lastRow || r > excelize.TotalRows {
		return unhandled("rows out of order after row %d", rw.lastRow)
	}
	rw.lastRow = r
	if err := rw.rowsBefore(r); err != nil {
		return err
	}
	if rw.next >= len(rw.e.rows) || rw.e.rows[rw.next].row != r {
		rw.w.Write(l.raw)
		return nil
	}
	re := &rw.e.rows[rw.next]
	rw.next++
	tag := delAttr(rw.buf[:0], l.raw, "hidden")
	if len(re.cells) > 0 {
		if spans, ok := attrValue(tag, "spans"); ok {
			tag = setAttr(nil, tag, "spans", widenSpans(spans, re.cells))
		}
	}
	rw.rowStyle = 0
	if cf, _ := attrValue(l.raw, "customFormat"); isTrue(cf) {
		rw.rowStyle, _ = intAttr(l.raw, "s")
	}
	if l.selfClosing {
		rw.w.Write(openTag(nil, tag))
		for _, c := range re.cells {
			rw.newCell(r, c, rw.baseFor(c.col))
		}
		rw.w.WriteString("</" + string(l.name) + ">")
		return nil
	}
	rw.w.Write(tag)
	rw.row, rw.cellNext, rw.lastCol = re, 0, 0
	return nil
}

// widenSpans makes a row's spans hint cover the marked columns. A hint of several
// ranges is replaced by one covering them all.
func widenSpans(spans string, cells []cellEdit) string {
	lo, hi := cells[0].col, cells[len(cells)-1].col
	for _, part := range strings.Fields(spans) {
		a, b, _ := strings.Cut(part, ":")
		if x, err := strconv.Atoi(a); err == nil {
			lo = min(lo, x)
		}
		if y, err := strconv.Atoi(b); err == nil {
			hi = max(hi, y)
		}
	}
	return itoa(lo) + ":" + itoa(hi)
}

// baseFor is the style a cell the file lacks would show: its row's, when the row has
// one, else its column's.
func (rw *sheetRewriter) baseFor(col int) int {
	if rw.rowStyle != 0 {
		return rw.rowStyle
	}
	return rw.e.scan.colStyle(col)
}

// cell handles a <c> in a row with edits.
func (rw *sheetRewriter) cell(l *lexer) error {
	col := rw.lastCol + 1
	if ref, ok := attrValue(l.raw, "r"); ok {
		c, _, err := excelize.CellNameToCoordinates(ref)
		if err != nil {
			return unhandled("cell reference %q", ref)
		}
		col = c
	}
	if col <= rw.lastCol || col > excelize.MaxColumns {
		return unhandled("cells out of order in row %d", rw.row.row)
	}
	rw.lastCol = col
	rw.cellsBefore(col)
	cells := rw.row.cells
	if rw.cellNext < len(cells) && cells[rw.cellNext].col == col {
		base, _ := intAttr(l.raw, "s")
		id := rw.e.style(base, cells[rw.cellNext].warning)
		rw.cellNext++
		rw.w.Write(setAttr(rw.buf[:0], l.raw, "s", itoa(id)))
		return nil
	}
	rw.w.Write(l.raw)
	return nil
}

// cellsBefore writes the current row's marked cells the file lacks, up to column limit.
func (rw *sheetRewriter) cellsBefore(limit int) {
	cells := rw.row.cells
	for rw.cellNext < len(cells) && cells[rw.cellNext].col < limit {
		c := cells[rw.cellNext]
		rw.cellNext++
		rw.newCell(rw.row.row, c, rw.baseFor(c.col))
	}
}

// newCell writes an empty cell carrying a mark.
func (rw *sheetRewriter) newCell(row int, c cellEdit, base int) {
	rw.w.WriteString("<" + rw.el("c") + ` r="` + cellName(c.col, row) + `" s="` + itoa(rw.e.style(base, c.warning)) + `"/>`)
}

// rowEdits turns a sheet's marks and rows to show into ordered edits.
func rowEdits(p markPlan, sheet string) []rowEdit {
	byRow := map[int]*rowEdit{}
	for row := range p.show[sheet] {
		byRow[row] = &rowEdit{row: row}
	}
	for _, t := range p.order {
		if t.sheet != sheet {
			continue
		}
		re := byRow[t.row]
		if re == nil {
			re = &rowEdit{row: t.row}
			byRow[t.row] = re
		}
		re.cells = append(re.cells, cellEdit{t.col, p.marks[t].warning})
	}
	out := make([]rowEdit, 0, len(byRow))
	for _, re := range byRow {
		sort.Slice(re.cells, func(i, j int) bool { return re.cells[i].col < re.cells[j].col })
		out = append(out, *re)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].row < out[j].row })
	return out
}
