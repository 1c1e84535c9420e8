package workbook

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"

	"canbo/pipeline/issue"
)

// Rows iterates over the rows of one worksheet, like database/sql.Rows:
//
//	for rows.Next() { use(rows.Row()) }
//	if err := rows.Err(); err != nil { … }
//
// Only rows that have at least one cell (after merged areas are filled) are yielded,
// in sheet order; row numbers may therefore skip. Rows must be stored in ascending
// order, as Excel writes and requires them; a sheet that goes back is Corrupt (an
// .xls sheet whose cells are out of order is read in row order instead). A Row and its
// Cells belong to the caller and stay valid after Next. Rows is not safe for
// concurrent use.
type Rows struct {
	ctx   context.Context
	book  *Book
	sheet SheetInfo
	part  string
	lim   Limits

	rc     io.ReadCloser
	sc     *scanner
	xls    *xlsSheet // set instead of rc and sc for an .xls worksheet
	merges []Range   // kept ranges, sorted by Top then Left
	sweep  *mergeSweep
	notes  []Note

	row  Row
	err  error
	done bool

	// parse state
	inSheetData bool
	sdDepth     int
	lastRow     int
	tokens      int
	colNoted    bool
	fonts       interner

	// current row
	inRow     bool
	rowDepth  int
	rowNum    int // from r, 0 when absent
	rowByCell int // row number given by the first cell reference, if row has no r
	rowHidden bool
	nextCol   int
	cells     []Cell // the row's own cells; see publish
	reuse     bool   // Reuse was called: rows lend their cells instead of giving them
	cellHint  int    // capacity for a new cells buffer: the most cells of a row lately
	hintNext  int    // the most cells of a row in the current window of hintWindow rows
	hintRows  int    // rows in the current window

	// current cell
	inCell    bool
	cellDepth int
	col       int
	cellRow   int
	style     int
	typ       cellType
	formula   bool
	inF       bool
	fDepth    int
	fText     []byte // <f> text, still escaped
	fShared   int    // si of a shared formula, -1 if none
	shared    map[int]formulaRef
	hasV      bool
	inV       bool
	vDepth    int
	inIs      bool
	isDepth   int
	hasIs     bool
	raw       []byte // <v> text, still escaped
	unesc     []byte
	rt        richText
}

// Note is a non-fatal limit hit while reading a sheet: cells, rows or merged ranges
// beyond the limits were left out. Text is a short English description for logs;
// Rows.Issues gives the form stages report to clerks.
type Note struct {
	What  string // "columns", "rows" or "merges"
	Limit int
	Row   int // first row affected, 0 if not tied to a row
	Col   int // first column affected, 0 if not tied to a column
	Text  string
}

type cellType uint8

const (
	ctNumber cellType = iota
	ctShared
	ctInline
	ctStr
	ctBool
	ctError
	ctDate
)

// Rows starts reading worksheet sheet (a SheetInfo.Index). It first scans the sheet
// for merged ranges, so Merges is complete before the first Next. Errors are *Error,
// except ctx.Err() on cancellation and an error for an index out of range.
func (b *Book) Rows(ctx context.Context, sheet int) (rows *Rows, err error) {
	if sheet < 0 || sheet >= len(b.sheets) {
		return nil, fmt.Errorf("workbook: sheet index %d out of range (%d worksheets)", sheet, len(b.sheets))
	}
	defer func() {
		if v := recover(); v != nil {
			rows, err = nil, fromPanic(v)
		}
	}()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if b.xls != nil {
		return b.xlsRows(ctx, sheet)
	}
	e := b.sheets[sheet]
	if e.part == "" {
		return nil, errCorrupt("sheet %q has no worksheet part", e.info.Name)
	}
	// The merged ranges come first (see merges.go): from the part read whole when it
	// is small enough, otherwise from a first pass over it.
	var ms mergeScan
	var src io.ReadCloser
	if f := b.part(e.part); f != nil && f.UncompressedSize64 <= wholeSheet {
		w, err := b.readWhole(ctx, e.part)
		if err != nil {
			return nil, classify(b.src, e.part, err)
		}
		ms, src = mergesIn(w.data(), b.lim.MaxMerges), w
	} else {
		rc, err := b.openPart(e.part)
		if err != nil {
			return nil, err
		}
		ms, err = scanMerges(ctx, rc, b.lim.MaxMerges)
		rc.Close()
		if err != nil {
			return nil, classify(b.src, e.part, err)
		}
		if src, err = b.openPart(e.part); err != nil {
			return nil, err
		}
	}
	r := &Rows{ctx: ctx, book: b, sheet: e.info, part: e.part, lim: b.lim, rc: src}
	if ms.total > len(ms.ranges) {
		r.note(Note{What: "merges", Limit: b.lim.MaxMerges,
			Text: fmt.Sprintf("merged ranges beyond %d ignored (%d in the sheet)", b.lim.MaxMerges, ms.total)})
	}
	r.sweep = newMergeSweep(ms.ranges, b.lim.MaxColumns)
	r.merges = r.sweep.ranges
	r.sc = newScanner(r.rc)
	return r, nil
}

// Sheet describes the sheet being read.
func (r *Rows) Sheet() SheetInfo { return r.sheet }

// Merges returns the merged ranges of the sheet (at most MaxMerges), sorted by top row
// and then left column, with their true extent (not clamped to MaxColumns).
func (r *Rows) Merges() []Range { return slices.Clone(r.merges) }

// Notes returns descriptions of the limits hit so far, e.g. "cells beyond column 512
// dropped (first at XFD7)". It is complete once Next has returned false.
func (r *Rows) Notes() []string {
	out := make([]string, len(r.notes))
	for i, n := range r.notes {
		out[i] = n.Text
	}
	return out
}

// NoteDetails returns the notes with their limit and position.
func (r *Rows) NoteDetails() []Note { return slices.Clone(r.notes) }

// Issues returns the notes as sheet-limit warnings for the given file name, with the
// limit in Args["limit"] and the kind of limit in Args["what"].
func (r *Rows) Issues(file string) []issue.Issue {
	out := make([]issue.Issue, 0, len(r.notes))
	for _, n := range r.notes {
		is := issue.New(issue.SheetTooLarge, file, r.sheet.Name, n.Row, n.Col)
		is.Args = map[string]string{"what": n.What, "limit": strconv.Itoa(n.Limit), "note": n.Text}
		out = append(out, is)
	}
	return out
}

func (r *Rows) note(n Note) { r.notes = append(r.notes, n) }

// Row returns the row read by the last successful Next.
func (r *Rows) Row() Row { return r.row }

// Err returns the error that stopped the iteration, if any: an *Error for damaged or
// oversized data, ctx.Err() on cancellation. Rows cut at MaxRows are not an error.
func (r *Rows) Err() error { return r.err }

// Close releases the sheet's reader. It is safe to call more than once.
func (r *Rows) Close() error {
	r.done = true
	r.row = Row{}
	r.xls = nil
	if r.rc != nil {
		err := r.rc.Close()
		r.rc = nil
		r.sc = nil
		return err
	}
	return nil
}

// Next reads the next row that has cells. It returns false at the end of the sheet,
// at MaxRows, on error (see Err) and after Close.
func (r *Rows) Next() (ok bool) {
	if r.done {
		return false
	}
	defer func() {
		if v := recover(); v != nil {
			r.fail(fromPanic(v))
			ok = false
		}
	}()
	for {
		var more bool
		var err error
		if r.xls != nil {
			more, err = r.readXLSRow()
		} else {
			more, err = r.readRow()
		}
		if err != nil {
			r.fail(err)
			return false
		}
		if !more {
			r.row = Row{}
			r.Close()
			return false
		}
		if len(r.row.Cells) > 0 {
			return true
		}
	}
}

func (r *Rows) fail(err error) {
	r.err = classify(r.book.src, r.part, err)
	r.row = Row{}
	r.Close()
}

// readRow parses up to the end of the next <row>. It returns false at the end of
// <sheetData> (what follows is of no interest) or when MaxRows is reached.
func (r *Rows) readRow() (bool, error) {
	sc := r.sc
	for {
		r.tokens++
		if r.tokens&4095 == 0 {
			if err := r.ctx.Err(); err != nil {
				return false, err
			}
		}
		k, err := sc.next()
		if err != nil {
			return false, err
		}
		switch k {
		case tokEOF:
			return false, nil
		case tokStart:
			if r.inIs {
				if err := r.rt.start(sc, &r.fonts); err != nil {
					return false, err
				}
				continue
			}
			switch string(sc.name()) {
			case "sheetData":
				if !r.inSheetData {
					r.inSheetData, r.sdDepth = true, sc.depth()
				}
			case "row":
				if r.inSheetData && !r.inRow {
					if stop := r.startRow(); stop {
						return false, nil
					}
				}
			case "c":
				if r.inRow && !r.inCell {
					r.startCell()
				}
			case "v":
				if r.inCell && !r.inV {
					r.inV, r.vDepth, r.hasV = true, sc.depth(), true
				}
			case "f":
				if r.inCell {
					r.formula = true
					r.inF, r.fDepth = true, sc.depth()
					r.fText = r.fText[:0]
					shared := false
					si := -1
					for i := range sc.attrs {
						local, value := sc.attrLV(i)
						switch string(local) {
						case "t":
							shared = string(value) == "shared"
						case "si":
							if v, ok := atoiBytes(value); ok {
								si = v
							}
						}
					}
					if shared {
						r.fShared = si
					}
				}
			case "is":
				if r.inCell {
					r.inIs, r.isDepth, r.hasIs = true, sc.depth(), true
					r.rt.reset()
				}
			}
		case tokEnd:
			d := sc.depth() + 1 // depth the element had when it started
			switch {
			case r.inIs:
				if d == r.isDepth {
					r.inIs = false
				} else {
					r.rt.end(sc.name())
				}
			case r.inV && d == r.vDepth:
				r.inV = false
			case r.inF && d == r.fDepth:
				r.inF = false
			case r.inCell && d == r.cellDepth:
				r.inCell = false
				if err := r.endCell(); err != nil {
					return false, err
				}
			case r.inRow && d == r.rowDepth:
				r.inRow = false
				return r.endRow()
			case r.inSheetData && d == r.sdDepth:
				return false, nil
			}
		case tokText, tokCDATA:
			switch {
			case r.inIs:
				if err := r.rt.chars(k, sc.text()); err != nil {
					return false, err
				}
			case r.inV:
				if k == tokCDATA {
					r.raw = appendEscapedCDATA(r.raw, sc.text())
				} else {
					r.raw = append(r.raw, sc.text()...)
				}
				if len(r.raw) > maxTokenSize {
					return false, errTokenSize
				}
			case r.inF && k == tokText && len(r.fText) < maxFormulaText:
				r.fText = append(r.fText, sc.text()...)
			}
		}
	}
}

func (r *Rows) startRow() (stop bool) {
	sc := r.sc
	r.inRow, r.rowDepth = true, sc.depth()
	r.resetCells()
	r.rowNum, r.rowByCell, r.rowHidden, r.nextCol = 0, 0, false, 1
	for i := range sc.attrs {
		local, value := sc.attrLV(i)
		switch string(local) {
		case "r":
			if n, ok := atoiBytes(value); ok && n > 0 {
				r.rowNum = n
			}
		case "hidden":
			r.rowHidden = isTrue(value)
		}
	}
	if r.rowNum > r.lim.MaxRows {
		r.noteRows(r.rowNum)
		return true
	}
	return false
}

func (r *Rows) noteRows(n int) {
	r.note(Note{What: "rows", Limit: r.lim.MaxRows, Row: n,
		Text: fmt.Sprintf("rows beyond row %d not read (first at row %d)", r.lim.MaxRows, n)})
}

// endRow numbers the row, applies merges and publishes it in r.row.
func (r *Rows) endRow() (bool, error) {
	n := r.rowNum
	if n == 0 {
		n = r.lastRow + 1
		if r.rowByCell > 0 {
			n = r.rowByCell
		}
	}
	if n <= r.lastRow {
		// Excel writes rows in ascending order and refuses files that do not; merging
		// (and every later stage) relies on that order.
		return false, fmt.Errorf("row %d follows row %d", n, r.lastRow)
	}
	if n > r.lim.MaxRows {
		r.noteRows(n)
		return false, nil
	}
	r.lastRow = n
	r.row = Row{Num: n, Hidden: r.rowHidden, Cells: r.publish(n)}
	return true, nil
}

// resetCells empties r.cells for a new row. After a row took the buffer (see publish),
// a new one is made as large as the longest row among the last hintWindow to
// 2*hintWindow rows, so that filling it seldom grows it and rows of a list, which are
// much alike, leave little of it unused.
func (r *Rows) resetCells() {
	if cap(r.cells) == 0 {
		r.cells = make([]Cell, 0, max(r.cellHint, 8))
		return
	}
	r.cells = r.cells[:0]
}

// publish returns the cells of row n, r.cells with merged copies added, as a slice
// the caller owns: a Row's cells stay valid after Next (the first rows of a sheet are
// kept to find its header). When no merged range covers the row, that is r.cells
// itself, handed over without a copy, and the next row starts a new buffer; otherwise
// the sweep builds a new slice and r.cells is reused. An empty row keeps the buffer.
func (r *Rows) publish(n int) []Cell {
	own := len(r.cells)
	r.cellHint, r.hintNext = max(r.cellHint, own), max(r.hintNext, own)
	if r.hintRows++; r.hintRows == hintWindow {
		r.cellHint, r.hintNext, r.hintRows = r.hintNext, 0, 0
	}
	cells := r.sweep.apply(n, r.cells)
	if len(cells) == 0 {
		return nil
	}
	if own > 0 && &cells[0] == &r.cells[0] {
		if r.reuse {
			return cells
		}
		r.cells = nil
		return slices.Clip(cells)
	}
	return cells
}

const hintWindow = 64

func (r *Rows) startCell() {
	sc := r.sc
	r.inCell, r.cellDepth = true, sc.depth()
	r.col, r.cellRow, r.style, r.typ = 0, 0, 0, ctNumber
	r.formula, r.hasV, r.inV, r.inIs, r.hasIs = false, false, false, false, false
	r.inF, r.fShared = false, -1
	r.fText = r.fText[:0]
	r.raw = r.raw[:0]
	for i := range sc.attrs {
		local, value := sc.attrLV(i)
		switch string(local) {
		case "r":
			if c, row, ok := parseRef(value); ok && c > 0 {
				r.col, r.cellRow = c, row
			}
		case "s":
			if s, ok := atoiBytes(value); ok {
				r.style = s
			}
		case "t":
			switch string(value) {
			case "s":
				r.typ = ctShared
			case "inlineStr":
				r.typ = ctInline
			case "str":
				r.typ = ctStr
			case "b":
				r.typ = ctBool
			case "e":
				r.typ = ctError
			case "d":
				r.typ = ctDate
			}
		}
	}
	if r.col == 0 {
		r.col = r.nextCol
	}
	r.nextCol = r.col + 1
	if r.rowNum == 0 && r.rowByCell == 0 && r.cellRow > r.lastRow {
		r.rowByCell = r.cellRow
	}
}

// endCell converts the cell just read and adds it to the row if it holds something.
func (r *Rows) endCell() error {
	if r.col > r.lim.MaxColumns {
		if !r.colNoted {
			r.colNoted = true
			row := r.currentRow()
			r.note(Note{What: "columns", Limit: r.lim.MaxColumns, Row: row, Col: r.col,
				Text: fmt.Sprintf("cells beyond column %d dropped (first at %s%d)", r.lim.MaxColumns, issue.ColumnName(r.col), row)})
		}
		return nil
	}
	xf := r.book.styles.xf(r.style)
	c := Cell{Col: r.col, Formula: r.formula, Font: xf.font, NumFmt: xf.numFmt}
	if r.formula {
		ref := r.formulaRef()
		c.RefSheet, c.RefExternal = ref.sheet, ref.external
	}
	v := r.raw
	if needsUnescape(v) {
		var err error
		if r.unesc, err = appendUnescaped(r.unesc[:0], v); err != nil {
			return fmt.Errorf("cell %s: %w", r.cellRef(), err)
		}
		v = r.unesc
	}
	switch {
	case r.formula && (!r.hasV || len(v) == 0 && r.typ != ctStr && r.typ != ctInline):
		// A formula saved without its result (by a generator that cannot compute
		// it). An empty <v></v> on a string formula is a real empty-string result.
		c.NoCache = true
	case r.typ == ctInline:
		if r.hasIs {
			s, err := unescapeString(r.rt.raw)
			if err != nil {
				return fmt.Errorf("cell %s: %w", r.cellRef(), err)
			}
			c.Kind, c.Text = Text, s
			if r.rt.fontSet {
				c.Font = r.rt.font
			}
		} else if r.hasV {
			c.Kind, c.Text = Text, string(v)
		}
	case r.typ == ctStr:
		if r.hasV {
			c.Kind, c.Text = Text, string(v)
		}
	case !r.hasV || len(bytes.TrimSpace(v)) == 0:
		// nothing stored
	case r.typ == ctShared:
		s, font, err := r.book.sst.lookup(v)
		if err != nil {
			return fmt.Errorf("cell %s: %w", r.cellRef(), err)
		}
		c.Kind, c.Text = Text, s
		if font != "" {
			c.Font = font
		}
	case r.typ == ctBool:
		switch string(bytes.TrimSpace(v)) {
		case "1", "true", "TRUE":
			c.Kind, c.Text = Bool, "TRUE"
		case "0", "false", "FALSE":
			c.Kind, c.Text = Bool, "FALSE"
		default:
			c.Kind, c.Text = Text, string(v)
		}
	case r.typ == ctError:
		c.Kind, c.Text = ErrorValue, string(v)
	case r.typ == ctDate:
		c.Text = string(v)
		if t, ok := parseISODate(c.Text); ok {
			c.Kind, c.Time, c.Num = Date, t, timeToSerial(t, r.book.date1904)
		} else if len(c.Text) > 0 {
			c.Kind = Text
		}
	case len(v) > 0:
		c.Text = string(v)
		f, err := strconv.ParseFloat(string(bytes.TrimSpace(v)), 64)
		if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
			// Not a number after all: keep what was written rather than lose it.
			c.Kind = Text
			break
		}
		c.Kind, c.Num = Number, f
		if xf.date {
			if t, ok := serialToTime(f, r.book.date1904); ok {
				c.Kind, c.Time = Date, t
			}
		}
	}
	if c.Kind == Text && c.Text == "" && !c.Formula {
		c.Kind = Blank
	}
	if c.Kind == Blank && !c.Formula {
		return nil
	}
	r.putCell(c)
	return nil
}

// maxFormulaText bounds the formula text kept per cell: the reference that matters is
// near the start, and a hostile file may write megabytes of formula.
const maxFormulaText = 4096

// formulaRef is where a formula reads from: another sheet of this workbook, or another
// workbook.
type formulaRef struct {
	sheet    string
	external bool
}

// formulaRef reads the current cell's formula for the sheet it refers to. A shared
// formula's followers carry no text; they refer where their master does.
func (r *Rows) formulaRef() formulaRef {
	if len(r.fText) == 0 {
		if r.fShared >= 0 {
			return r.shared[r.fShared]
		}
		return formulaRef{}
	}
	text := r.fText
	if needsUnescape(text) {
		u, err := appendUnescaped(nil, text)
		if err != nil {
			return formulaRef{}
		}
		text = u
	}
	ref := parseFormulaRef(string(text))
	if r.fShared >= 0 {
		if r.shared == nil {
			r.shared = map[int]formulaRef{}
		}
		if len(r.shared) < 100000 {
			r.shared[r.fShared] = ref
		}
	}
	return ref
}

// parseFormulaRef finds the first sheet a formula refers to: "'Thông tin HV'!C4" →
// Thông tin HV; "'[1]Thông tin học viên'!A2", "[1]HOME!C4" → another workbook. Text in
// double quotes is skipped.
func parseFormulaRef(f string) formulaRef {
	inQuote := false
	for i := 0; i < len(f); i++ {
		switch c := f[i]; {
		case c == '"':
			inQuote = !inQuote
		case inQuote:
		case c == '[':
			if j := strings.IndexByte(f[i:], ']'); j > 1 && isDigits(f[i+1:i+j]) {
				return formulaRef{external: true}
			}
		case c == '\'':
			j := i + 1
			var name strings.Builder
			for j < len(f) {
				if f[j] == '\'' {
					if j+1 < len(f) && f[j+1] == '\'' {
						name.WriteByte('\'')
						j += 2
						continue
					}
					break
				}
				name.WriteByte(f[j])
				j++
			}
			if j+1 < len(f) && f[j+1] == '!' {
				n := name.String()
				if strings.HasPrefix(n, "[") {
					return formulaRef{external: true}
				}
				return formulaRef{sheet: n}
			}
			i = j
		case c == '!':
			k := i
			for k > 0 && !strings.ContainsRune(" (),+-*/&=<>;:\"", rune(f[k-1])) {
				k--
			}
			if k < i {
				if n := f[k:i]; n != "" && !isDigits(n) {
					return formulaRef{sheet: n}
				}
			}
		}
	}
	return formulaRef{}
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// currentRow is the best guess at the number of the row being parsed, for messages.
func (r *Rows) currentRow() int {
	switch {
	case r.rowNum > 0:
		return r.rowNum
	case r.cellRow > 0:
		return r.cellRow
	}
	return r.lastRow + 1
}

func (r *Rows) cellRef() string { return issue.ColumnName(r.col) + strconv.Itoa(r.currentRow()) }

// putCell adds a cell keeping the row sorted by column. A column seen twice (only in
// damaged files) keeps the later cell, so a row never holds more than MaxColumns cells.
func (r *Rows) putCell(c Cell) {
	n := len(r.cells)
	if n == 0 || r.cells[n-1].Col < c.Col {
		r.cells = append(r.cells, c)
		return
	}
	i, found := slices.BinarySearchFunc(r.cells, c.Col, func(x Cell, col int) int { return x.Col - col })
	if found {
		r.cells[i] = c
		return
	}
	r.cells = slices.Insert(r.cells, i, c)
}

// Reuse says the caller is done keeping rows: from now on a Row's cells are valid only
// until the next call of Next, which may write the next row's cells over them. A
// reader that consumes each row before asking for the next (ingest, below the
// header) saves a cells slice per row, a third of reading a row. Clone a row to keep
// it.
func (r *Rows) Reuse() { r.reuse = true }

// Clone returns a copy of the row that owns its cells, for keeping a row read after
// Reuse.
func (r Row) Clone() Row { r.Cells = slices.Clone(r.Cells); return r }
