package workbook

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"slices"
	"sync"

	"canbo/pipeline/issue"
)

// <mergeCells> follows <sheetData> in a worksheet, but the rows need the merges. So a
// worksheet is read twice: first this byte scan collects the mergeCell references
// (it is several times faster than tokenizing, and needs no memory beyond the buffer
// and the ranges), then the streaming pass yields rows.
//
// Inflating is much of the cost of reading, so a worksheet of at most wholeSheet bytes
// unzipped (nearly all of them: 5,000 people take about 3 MB) is inflated only once,
// into a buffer that the scan reads and the rows are then streamed from (wholePart);
// the buffer goes back to a pool for the next sheet when the Rows is closed. A larger
// worksheet is inflated twice, and memory stays bounded whatever its size.
//
// The scan looks for the literal "mergeCell" preceded by "<" or "<prefix:" and
// followed by a space, "/" or ">". Text cannot contain a bare "<", so only a comment
// or CDATA section spelling out a mergeCell element could fool it, and then only
// into merging cells, never into reading out of bounds.

const mergeWord = "mergeCell"

// mergeScan is the result of scanning a sheet for merged ranges.
type mergeScan struct {
	ranges []Range // in document order, at most the limit
	total  int     // valid references seen, including those over the limit
}

// add counts a valid reference and keeps it within the limit.
func (res *mergeScan) add(rg Range, limit int) {
	res.total++
	if len(res.ranges) < limit {
		res.ranges = append(res.ranges, rg)
	}
}

// mergesIn scans a whole worksheet held in memory.
func mergesIn(data []byte, limit int) mergeScan {
	var res mergeScan
	findMerges(data, true, nil, func(rg Range) { res.add(rg, limit) })
	return res
}

func scanMerges(ctx context.Context, r io.Reader, limit int) (mergeScan, error) {
	var res mergeScan
	buf := make([]byte, 0, 256<<10)
	var attrs []attrSpan
	for eof := false; !eof; {
		if err := ctx.Err(); err != nil {
			return res, err
		}
		if len(buf) == cap(buf) {
			buf = buf[:0] // a tag longer than the buffer is nothing we want
		}
		n, err := r.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		switch {
		case err == io.EOF:
			eof = true
		case err != nil:
			return res, err
		}
		var keep int
		keep, attrs = findMerges(buf, eof, attrs, func(rg Range) { res.add(rg, limit) })
		buf = buf[:copy(buf, buf[keep:])]
	}
	return res, nil
}

// findMerges reports every complete mergeCell tag in data and returns the offset from
// which data must be kept for the next round: the start of a tag that may continue in
// the next read.
func findMerges(data []byte, eof bool, attrs []attrSpan, fn func(Range)) (int, []attrSpan) {
	p := 0
	for {
		i := bytes.Index(data[p:], []byte(mergeWord))
		if i < 0 {
			break
		}
		j := p + i
		p = j + len(mergeWord)
		lt := j - 1
		if lt >= 0 && data[lt] == ':' {
			for lt--; lt >= 0 && isNameByte(data[lt]); lt-- {
			}
		}
		if lt < 0 || data[lt] != '<' {
			continue
		}
		if p >= len(data) {
			if eof {
				break
			}
			return lt, attrs
		}
		if c := data[p]; !isSpace(c) && c != '/' && c != '>' {
			continue // "mergeCells" or another name
		}
		gt := bytes.IndexByte(data[p:], '>')
		if gt < 0 {
			if eof {
				break
			}
			return lt, attrs
		}
		body, base := data[p:p+gt], p
		p += gt + 1
		body = bytes.TrimSuffix(body, []byte("/"))
		var err error
		if attrs, err = appendAttrs(attrs[:0], body, base); err != nil {
			continue
		}
		for _, a := range attrs {
			if string(data[a.local:a.qname.hi]) == "ref" {
				if rg, ok := parseRange(data[a.value.lo:a.value.hi]); ok {
					fn(rg)
				}
				break
			}
		}
	}
	if eof {
		return len(data), attrs
	}
	// Keep an unfinished "<prefix:mergeCell" that the next read may complete.
	from := max(p, len(data)-512)
	if k := bytes.LastIndexByte(data[from:], '<'); k >= 0 {
		return from + k, attrs
	}
	return len(data), attrs
}

// wholeSheet is the largest worksheet part, unzipped, that Book.Rows inflates once
// into memory instead of twice (a variable so that tests can take either way).
var wholeSheet uint64 = 8 << 20

// wholeBufs holds buffers for worksheets read whole (*[]byte), for the next sheet.
var wholeBufs sync.Pool

// readWhole inflates part, which declares at most wholeSheet bytes unzipped, into a
// buffer from wholeBufs, checking ctx between reads. The reader openPart gives stops one
// byte past the declared size, so a part that is longer, or whose checksum is wrong,
// fails here as it would when streamed.
func (b *Book) readWhole(ctx context.Context, part string) (*wholePart, error) {
	rc, err := b.openPart(part)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	size := int(b.part(part).UncompressedSize64)
	bp, _ := wholeBufs.Get().(*[]byte)
	if bp == nil || cap(*bp) < size+1 {
		// A little more than this sheet needs, so that the next, slightly larger
		// one can reuse it.
		bp = new([]byte)
		*bp = make([]byte, 0, min(size+1+size/8, int(wholeSheet)+1))
	}
	buf := (*bp)[:0]
	for {
		if err := ctx.Err(); err != nil {
			wholeBufs.Put(bp)
			return nil, err
		}
		if len(buf) == cap(buf) {
			buf = slices.Grow(buf, 4096) // not for a part as long as it declares
		}
		n, err := rc.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			*bp = buf
			return &wholePart{book: b, part: part, buf: bp}, nil
		}
		if err != nil {
			wholeBufs.Put(bp)
			return nil, err
		}
	}
}

// wholePart streams a part that readWhole read, failing as the part's file would
// once the book is closed. Close gives the buffer back to wholeBufs.
type wholePart struct {
	book *Book
	part string
	buf  *[]byte
	off  int
}

func (w *wholePart) data() []byte { return *w.buf }

func (w *wholePart) Read(p []byte) (int, error) {
	if w.buf == nil || w.book.isClosed() {
		return 0, newError(issue.ReadFailed, fmt.Errorf("%s: %w", w.part, os.ErrClosed))
	}
	data := *w.buf
	if w.off >= len(data) {
		return 0, io.EOF
	}
	n := copy(p, data[w.off:])
	w.off += n
	return n, nil
}

func (w *wholePart) Close() error {
	if w.buf != nil {
		wholeBufs.Put(w.buf)
		w.buf = nil
	}
	return nil
}

func isNameByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-' || c == '.' || c >= 0x80
}

// mergeSweep copies top-left values into merged areas while rows stream by. Ranges are
// sorted by top row; a range becomes active on its top row (if that row exists and its
// top-left cell has a value) and is dropped after its bottom row. An occupancy table
// over the kept columns rejects overlapping ranges (invalid in Excel), which bounds the
// active set by MaxColumns, so even 200,000 ranges cost O(cells) per row.
type mergeSweep struct {
	ranges  []Range // sorted by Top, then Left
	next    int
	active  []activeMerge // sorted by Left
	used    []bool        // used[col] for col in 1..maxCols
	maxCols int
}

type activeMerge struct {
	Range
	right int  // Right clamped to maxCols
	val   Cell // copy of the top-left cell
}

func newMergeSweep(ranges []Range, maxCols int) *mergeSweep {
	sorted := slices.Clone(ranges)
	slices.SortStableFunc(sorted, func(a, b Range) int {
		if a.Top != b.Top {
			return a.Top - b.Top
		}
		return a.Left - b.Left
	})
	return &mergeSweep{ranges: sorted, used: make([]bool, maxCols+2), maxCols: maxCols}
}

// apply returns the cells of row n with merged copies added. cells is sorted by column
// and holds only the row's own cells. When no merged range is active on row n, the
// result is cells itself; otherwise it is a new slice and cells is left as it was.
func (m *mergeSweep) apply(n int, cells []Cell) []Cell {
	// Expire ranges that ended above this row.
	kept := m.active[:0]
	for _, a := range m.active {
		if a.Bottom < n {
			for c := a.Left; c <= a.right; c++ {
				m.used[c] = false
			}
			continue
		}
		kept = append(kept, a)
	}
	m.active = kept
	// Activate ranges starting on this row. Ranges whose top row was absent from the
	// sheet have no value to copy and are skipped.
	for m.next < len(m.ranges) && m.ranges[m.next].Top <= n {
		rg := m.ranges[m.next]
		m.next++
		if rg.Top < n || rg.Left > m.maxCols {
			continue
		}
		i, found := slices.BinarySearchFunc(cells, rg.Left, func(c Cell, col int) int { return c.Col - col })
		if !found || cells[i].Kind == Blank {
			continue
		}
		right := min(rg.Right, m.maxCols)
		if slices.Contains(m.used[rg.Left:right+1], true) {
			continue // overlaps a range already active
		}
		for c := rg.Left; c <= right; c++ {
			m.used[c] = true
		}
		v := cells[i]
		v.Formula, v.NoCache, v.Merged = false, false, true
		a := activeMerge{Range: rg, right: right, val: v}
		k, _ := slices.BinarySearchFunc(m.active, rg.Left, func(x activeMerge, col int) int { return x.Left - col })
		m.active = slices.Insert(m.active, k, a)
	}
	if len(m.active) == 0 {
		return cells
	}
	size := len(cells)
	for _, a := range m.active {
		size += a.right - a.Left + 1
	}
	out := make([]Cell, 0, size)
	i := 0
	for _, a := range m.active {
		for col := a.Left; col <= a.right; col++ {
			for i < len(cells) && cells[i].Col < col {
				out = append(out, cells[i])
				i++
			}
			topLeft := n == a.Top && col == a.Left
			if i < len(cells) && cells[i].Col == col {
				if topLeft {
					out = append(out, cells[i])
				}
				// Otherwise the stored value is hidden under the merge in Excel and
				// replaced by the copy, which is what the clerk sees.
				i++
			}
			if topLeft {
				continue
			}
			c := a.val
			c.Col = col
			out = append(out, c)
		}
	}
	return append(out, cells[i:]...)
}
