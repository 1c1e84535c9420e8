package workbook

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/bits"
	"os"
	"slices"
	"strconv"

	"canbo/pipeline/issue"
)

// A BIFF8 worksheet substream stores ROW records in blocks of up to 32 rows, each block
// followed by the cells of those rows, row by row, left to right; MERGEDCELLS records
// come after all the cells. Rows therefore walks a substream twice, as it reads an
// .xlsx worksheet twice: a first pass collects the merged ranges, the rows that exist
// (a ROW record or any cell, even a blank one, like a <row> element) and which of them
// are hidden, and checks that the cells are in row order; the second pass yields the
// rows. Excel and LibreOffice always write cells in row order; for a writer that does
// not, the second pass goes through an index of the cell records sorted by row
// instead of the stream, so rows still come out in order.

// xlsRowBits is a set of 0-based BIFF8 row numbers (rows are 16-bit: 65,536 at most).
type xlsRowBits [1 << 16 / 64]uint64

func (s *xlsRowBits) set(i int)      { s[i>>6] |= 1 << (i & 63) }
func (s *xlsRowBits) has(i int) bool { return s[i>>6]&(1<<(i&63)) != 0 }

// next returns the smallest member ≥ from, or -1.
func (s *xlsRowBits) next(from int) int {
	if from < 0 || from >= 1<<16 {
		return -1
	}
	w := from >> 6
	m := s[w] &^ (1<<(from&63) - 1)
	for {
		if m != 0 {
			return w<<6 + bits.TrailingZeros64(m)
		}
		w++
		if w >= len(s) {
			return -1
		}
		m = s[w]
	}
}

// xlsSheet is the reading state of one worksheet substream.
type xlsSheet struct {
	book  *Book
	data  []byte // the Workbook stream up to the end of this substream
	start int
	trunc error // damage met by the first pass, reported after the last row

	seen, hidden xlsRowBits
	ordered      bool
	cells        int // value-bearing cell records

	// second pass
	next  int // next row number (0-based) to consider
	pos   int // ordered: offset of the next record to look at
	depth int // ordered: substream nesting at pos
	index []xlsCellPos
	ip    int

	peeked  bool
	peekRow int
	peekOff int
	buf     []byte
}

// xlsCellPos locates a cell record, for sheets whose cells are not in row order.
type xlsCellPos struct {
	row int32
	off int
}

// valueRow returns the row of a record that carries cell values, or false for any
// other record (including BLANK and MULBLANK, which carry only a format).
func valueRow(typ uint16, body []byte) (int, bool) {
	switch typ {
	case rtLabelSST, rtLabel, rtRString, rtNumber, rtRK, rtBoolErr, rtFormula, rtMulRK:
		if len(body) >= 6 {
			return int(le16(body)), true
		}
	}
	return 0, false
}

// xlsRows starts reading worksheet sheet of an .xls workbook.
func (b *Book) xlsRows(ctx context.Context, sheet int) (*Rows, error) {
	e := b.sheets[sheet]
	if e.xls.err != nil {
		return nil, newError(issue.Corrupt, e.xls.err)
	}
	if b.isClosed() {
		return nil, newError(issue.ReadFailed, fmt.Errorf("sheet %q: %w", e.info.Name, os.ErrClosed))
	}
	x := &xlsSheet{book: b, data: b.xls.data[:e.xls.end], start: e.xls.start, ordered: true}
	if !e.xls.eof {
		x.trunc = errors.New("the Workbook stream ends inside the sheet")
	}
	ranges, total, err := x.scan(ctx, b.lim.MaxMerges)
	if err != nil {
		return nil, err
	}
	r := &Rows{ctx: ctx, book: b, sheet: e.info, part: "sheet " + strconv.Quote(e.info.Name), lim: b.lim, xls: x}
	if total > len(ranges) {
		r.note(Note{What: "merges", Limit: b.lim.MaxMerges,
			Text: fmt.Sprintf("merged ranges beyond %d ignored (%d in the sheet)", b.lim.MaxMerges, total)})
	}
	r.sweep = newMergeSweep(ranges, b.lim.MaxColumns)
	r.merges = r.sweep.ranges
	if !x.ordered {
		if err := x.buildIndex(ctx); err != nil {
			return nil, err
		}
	}
	x.pos = x.start
	return r, nil
}

func (b *Book) isClosed() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.closed
}

// walk calls fn for every record of the substream at nesting depth 1 (the sheet's own
// records, not those of a chart embedded in it), until the sheet's EOF.
func (x *xlsSheet) walk(ctx context.Context, fn func(typ uint16, body []byte, off int) error) error {
	off, depth := x.start, 0
	for n := 0; off < len(x.data); n++ {
		if n&4095 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		typ, body, next, err := recordAt(x.data, off)
		if err != nil {
			x.trunc = err
			return nil
		}
		switch typ {
		case rtBOF:
			depth++
		case rtEOF:
			if depth--; depth == 0 {
				return nil
			}
		default:
			if depth == 1 {
				if err := fn(typ, body, off); err != nil {
					return err
				}
			}
		}
		off = next
	}
	return nil
}

// scan is the first pass: merged ranges (at most limit kept, total counted), rows
// that exist, hidden rows, and whether the cells are in row order.
func (x *xlsSheet) scan(ctx context.Context, limit int) (ranges []Range, total int, err error) {
	prev := -1
	err = x.walk(ctx, func(typ uint16, body []byte, _ int) error {
		if row, ok := valueRow(typ, body); ok {
			x.seen.set(row)
			if row < prev {
				x.ordered = false
			}
			prev = row
			x.cells++
			return nil
		}
		switch typ {
		case rtRow:
			if len(body) >= 16 {
				row := int(le16(body))
				x.seen.set(row)
				if body[12]&0x20 != 0 { // fDyZero: height zero, the row is hidden
					x.hidden.set(row)
				}
			}
		case rtBlank, rtMulBlank:
			if len(body) >= 6 {
				x.seen.set(int(le16(body)))
			}
		case rtMergedCells:
			if len(body) < 2 {
				break
			}
			n := min(int(le16(body)), (len(body)-2)/8)
			for i := range n {
				p := body[2+8*i:]
				rg := Range{Top: int(le16(p)) + 1, Bottom: int(le16(p[2:])) + 1, Left: int(le16(p[4:])) + 1, Right: int(le16(p[6:])) + 1}
				if rg.Top > rg.Bottom || rg.Left > rg.Right {
					continue
				}
				total++
				if len(ranges) < limit {
					ranges = append(ranges, rg)
				}
			}
		}
		return nil
	})
	return ranges, total, err
}

// buildIndex lists the cell records sorted by row, keeping stream order within a row.
func (x *xlsSheet) buildIndex(ctx context.Context) error {
	x.index = make([]xlsCellPos, 0, x.cells)
	err := x.walk(ctx, func(typ uint16, body []byte, off int) error {
		if row, ok := valueRow(typ, body); ok && len(x.index) < cap(x.index) {
			x.index = append(x.index, xlsCellPos{int32(row), off})
		}
		return nil
	})
	slices.SortStableFunc(x.index, func(a, b xlsCellPos) int { return int(a.row - b.row) })
	return err
}

// peek finds the next cell record of the second pass without consuming it.
func (x *xlsSheet) peek() bool {
	if x.peeked {
		return true
	}
	if !x.ordered {
		if x.ip >= len(x.index) {
			return false
		}
		x.peekRow, x.peekOff, x.peeked = int(x.index[x.ip].row), x.index[x.ip].off, true
		x.ip++
		return true
	}
	for x.pos < len(x.data) {
		typ, body, next, err := recordAt(x.data, x.pos)
		if err != nil {
			x.pos = len(x.data)
			return false
		}
		off := x.pos
		x.pos = next
		switch typ {
		case rtBOF:
			x.depth++
		case rtEOF:
			if x.depth--; x.depth == 0 {
				x.pos = len(x.data)
				return false
			}
		default:
			if row, ok := valueRow(typ, body); ok && x.depth == 1 {
				x.peekRow, x.peekOff, x.peeked = row, off, true
				return true
			}
		}
	}
	return false
}

// readXLSRow yields the next row that exists in the sheet, with merged copies, in
// r.row. Like readRow it returns false at the end of the sheet or at MaxRows.
func (r *Rows) readXLSRow() (bool, error) {
	x := r.xls
	if x.book.isClosed() {
		return false, newError(issue.ReadFailed, fmt.Errorf("%s: %w", r.part, os.ErrClosed))
	}
	r.tokens++
	if r.tokens&63 == 0 {
		if err := r.ctx.Err(); err != nil {
			return false, err
		}
	}
	row := x.seen.next(x.next)
	if row < 0 {
		if x.trunc != nil {
			return false, newError(issue.Corrupt, fmt.Errorf("%s: %w", r.part, x.trunc))
		}
		return false, nil
	}
	if row+1 > r.lim.MaxRows {
		r.noteRows(row + 1)
		return false, nil
	}
	x.next = row + 1
	r.resetCells()
	for n := 0; x.peek() && x.peekRow <= row; n++ {
		if n&4095 == 4095 {
			if err := r.ctx.Err(); err != nil {
				return false, err
			}
		}
		x.peeked = false
		if x.peekRow < row {
			continue // cannot happen: every cell's row is in seen, and rows go up
		}
		if err := r.xlsCell(x.peekOff); err != nil {
			return false, err
		}
	}
	r.lastRow = row + 1
	r.cells = sortCells(r.cells)
	r.row = Row{Num: row + 1, Hidden: x.hidden.has(row), Cells: r.publish(row + 1)}
	return true, nil
}

// sortCells orders a row's cells by column. Writers store them left to right, so this
// is normally a check; otherwise one sort (not an insertion per cell, which a row of
// cells written right to left would make quadratic), and a column stored twice (only
// in damaged files) keeps the later cell, as in an .xlsx.
func sortCells(cells []Cell) []Cell {
	sorted := true
	for i := 1; i < len(cells) && sorted; i++ {
		sorted = cells[i-1].Col < cells[i].Col
	}
	if sorted {
		return cells
	}
	slices.SortStableFunc(cells, func(a, b Cell) int { return a.Col - b.Col })
	out := cells[:0]
	for i, c := range cells {
		if i+1 < len(cells) && cells[i+1].Col == c.Col {
			continue
		}
		out = append(out, c)
	}
	return out
}

// xlsErrors are the BOOLERR and FORMULA error codes.
var xlsErrors = map[byte]string{0x00: "#NULL!", 0x07: "#DIV/0!", 0x0F: "#VALUE!", 0x17: "#REF!", 0x1D: "#NAME?", 0x24: "#NUM!", 0x2A: "#N/A", 0x2B: "#GETTING_DATA"}

func xlsError(code byte) string {
	if s, ok := xlsErrors[code]; ok {
		return s
	}
	return "#N/A"
}

// xlsCell decodes the cell record at off and adds its cells to r.cells.
func (r *Rows) xlsCell(off int) error {
	x := r.xls
	typ, body, _, _ := recordAt(x.data, off) // the record was read whole by peek
	row, col, ixfe := int(le16(body)), int(le16(body[2:]))+1, int(le16(body[4:]))
	short := func() error {
		return fmt.Errorf("cell %s%d: record %#04x of %d bytes", issue.ColumnName(col), row+1, typ, len(body))
	}
	if typ == rtMulRK {
		// rw, colFirst, then (ixfe, RK) pairs, then colLast.
		n := (len(body) - 6) / 6
		for i := range n {
			p := body[4+6*i:]
			r.xlsPut(row, r.xlsNumber(col+i, int(le16(p)), rkValue(le32(p[2:]))))
		}
		return nil
	}
	xf := r.book.styles.xf(ixfe)
	c := Cell{Col: col, Font: xf.font, NumFmt: xf.numFmt}
	switch typ {
	case rtLabelSST:
		if len(body) < 10 {
			return short()
		}
		i := int(le32(body[6:]))
		sst := r.book.xls.sst
		if i >= len(sst) {
			return fmt.Errorf("cell %s%d: shared string %d out of range (table has %s)", issue.ColumnName(col), row+1, i, formatCount(len(sst)))
		}
		c.Kind, c.Text = Text, sst[i]
		if f := r.book.xls.sstFonts[i]; f != "" {
			c.Font = f
		}
	case rtLabel, rtRString:
		cr := contReader{segs: [][]byte{body[6:]}}
		s, err := cr.plainString(x.buf[:0])
		if err != nil {
			return fmt.Errorf("cell %s%d: %w", issue.ColumnName(col), row+1, err)
		}
		x.buf = s
		c.Kind, c.Text = Text, string(s)
	case rtNumber:
		if len(body) < 14 {
			return short()
		}
		c = r.xlsNumber(col, ixfe, math.Float64frombits(le64(body[6:])))
	case rtRK:
		if len(body) < 10 {
			return short()
		}
		c = r.xlsNumber(col, ixfe, rkValue(le32(body[6:])))
	case rtBoolErr:
		if len(body) < 8 {
			return short()
		}
		c.Kind, c.Text = boolErr(body[6], body[7] != 0)
	case rtFormula:
		if len(body) < 14 {
			return short()
		}
		v := body[6:14]
		if v[6] != 0xFF || v[7] != 0xFF {
			c = r.xlsNumber(col, ixfe, math.Float64frombits(le64(v)))
			c.Formula = true
			break
		}
		c.Formula = true
		switch v[0] {
		case 0: // string: in the STRING record that follows
			s, ok, err := x.formulaString(off)
			switch {
			case err != nil:
				return fmt.Errorf("cell %s%d: %w", issue.ColumnName(col), row+1, err)
			case ok:
				c.Kind, c.Text = Text, s
			default:
				c.NoCache = true
			}
		case 1:
			c.Kind, c.Text = boolErr(v[2], false)
		case 2:
			c.Kind, c.Text = boolErr(v[2], true)
		case 3: // the empty string
			c.Kind = Text
		default:
			c.NoCache = true
		}
	}
	r.xlsPut(row, c)
	return nil
}

func boolErr(v byte, isErr bool) (Kind, string) {
	switch {
	case isErr:
		return ErrorValue, xlsError(v)
	case v != 0:
		return Bool, "TRUE"
	}
	return Bool, "FALSE"
}

// xlsNumber makes the cell of a number with cell format ixfe: a Date if the format
// shows a date. Text holds the shortest decimal that reads back as the same number.
func (r *Rows) xlsNumber(col, ixfe int, f float64) Cell {
	xf := r.book.styles.xf(ixfe)
	c := Cell{Col: col, Font: xf.font, NumFmt: xf.numFmt}
	if math.IsNaN(f) || math.IsInf(f, 0) {
		c.Kind, c.Text = ErrorValue, "#NUM!"
		return c
	}
	c.Kind, c.Num, c.Text = Number, f, formatNumber(f)
	if xf.date {
		if t, ok := serialToTime(f, r.book.date1904); ok {
			c.Kind, c.Time = Date, t
		}
	}
	return c
}

// formatNumber writes a number the way .xlsx files store it: plain decimals, with an
// exponent only for magnitudes no one types (Excel shows 15 significant digits).
func formatNumber(f float64) string {
	if a := math.Abs(f); a != 0 && (a < 1e-9 || a >= 1e21) {
		return strconv.FormatFloat(f, 'E', -1, 64)
	}
	if f == math.Trunc(f) && math.Abs(f) < 1e15 {
		return strconv.FormatInt(int64(f), 10)
	}
	return strconv.FormatFloat(f, 'f', -1, 64)
}

// rkValue decodes an RK number: a 30-bit integer or the top 30 bits of a double,
// optionally divided by 100.
func rkValue(rk uint32) float64 {
	var f float64
	if rk&2 != 0 {
		f = float64(int32(rk) >> 2)
	} else {
		f = math.Float64frombits(uint64(rk&^3) << 32)
	}
	if rk&1 != 0 {
		f /= 100
	}
	return f
}

func le64(b []byte) uint64 { return uint64(le32(b)) | uint64(le32(b[4:]))<<32 }

// xlsPut adds a decoded cell to the row being built: cells beyond MaxColumns are
// dropped with a note, and empty ones are left out, as in an .xlsx.
func (r *Rows) xlsPut(row int, c Cell) {
	if c.Col > r.lim.MaxColumns {
		if !r.colNoted {
			r.colNoted = true
			r.note(Note{What: "columns", Limit: r.lim.MaxColumns, Row: row + 1, Col: c.Col,
				Text: fmt.Sprintf("cells beyond column %d dropped (first at %s%d)", r.lim.MaxColumns, issue.ColumnName(c.Col), row+1)})
		}
		return
	}
	if c.Kind == Text && c.Text == "" && !c.Formula {
		return
	}
	if c.Kind == Blank && !c.Formula {
		return
	}
	r.cells = append(r.cells, c)
	if len(r.cells) > 2*r.lim.MaxColumns {
		// Only a damaged row stores a column twice; compacting keeps it within
		// MaxColumns cells however many records repeat.
		r.cells = sortCells(r.cells)
	}
}

// formulaString finds the STRING record holding the cached text of the FORMULA record
// at off. It follows the formula, possibly after the SHRFMLA, ARRAY or TABLE record
// that defines a shared formula; if anything else comes first, the formula was saved
// without its value.
func (x *xlsSheet) formulaString(off int) (string, bool, error) {
	_, _, next, _ := recordAt(x.data, off)
	for range 4 {
		typ, body, after, err := recordAt(x.data, next)
		if err != nil {
			return "", false, nil
		}
		switch typ {
		case rtShrFmla, rtArray, rtTable:
			next = after
			continue
		case rtString:
			segs := [][]byte{body}
			for {
				t, b, nn, err := recordAt(x.data, after)
				if err != nil || t != rtContinue {
					break
				}
				segs = append(segs, b)
				after = nn
			}
			cr := contReader{segs: segs}
			s, err := cr.plainString(x.buf[:0])
			if err != nil {
				return "", false, fmt.Errorf("formula result: %w", err)
			}
			x.buf = s
			return string(s), true, nil
		}
		return "", false, nil
	}
	return "", false, nil
}
