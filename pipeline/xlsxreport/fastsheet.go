package xlsxreport

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/klauspost/compress/flate"
	"github.com/xuri/excelize/v2"
)

// A list sheet's body (a national batch lists hundreds of thousands of people below a
// standard) is not written through excelize's StreamWriter, which builds every cell
// through its own generic value handling and keeps the sheet in a temporary file until
// the package is zipped: there it took three quarters of the Excel report's time. The
// sheet is made by the StreamWriter without its body rows (title, header and the rows
// after the body are written at their final row numbers), and when excelize writes the
// package, the body rows are generated straight into that sheet's zip entry. The cells
// are the StreamWriter's in what they say: same places, styles, texts and their
// escaping, dates as serial numbers, row heights. A body holding a
// value this writer does not reproduce exactly (text excelize would re-escape as
// "_xHHHH_", text over Excel's cell limit, a date outside 1901–2100 or with a time)
// keeps the StreamWriter for that sheet.
//
// Unlike the StreamWriter, the body writes its texts as shared strings, as Excel itself
// does: a list repeats its units, positions, standards, files and what people lack on
// every row, and inline, each text was written (and deflated) once per row, some 800
// bytes a row. The texts go into the package's shared string table after excelize's
// own (sharedStrings), which excelize writes after the sheets: bodyZip appends them
// there. A cell reads the same either way (its value, style, and a text type).
//
// The body's cells do not repeat their reference (r="C1234"): every row writes every
// column from A, and a cell without one is the column after the cell before it
// (ECMA-376 §18.3.1.4, as Excel, LibreOffice and excelize read it). The row keeps its
// number. That was a quarter of the list's XML, and of its deflating.

// fastBody is a sheet body to be generated into the package.
type fastBody struct {
	sheet       string
	first, last int // its rows; last < first when empty
	rows        rowFunc
	widths      []float64
	written     bool
}

// bodyMerge is a merged range found in a body while measuring it: row is the
// body's row (1 = first).
type bodyMerge struct {
	row, col, span, down int
}

// fastValue reports whether the body writer writes v as StreamWriter would.
func fastValue(x cell) bool {
	switch v := x.v; v.kind {
	case vNone, vInt:
		return true
	case vFloat:
		return !math.IsNaN(v.f) && !math.IsInf(v.f, 0)
	case vText:
		// excelize escapes "_xHHHH_" sequences and cuts text over 32,767 UTF-16 units.
		return len(v.s) <= excelize.TotalCellChars && !strings.Contains(v.s, "_x")
	case vDate:
		v := v.t
		_, off := v.Zone()
		h, m, s := v.Clock()
		return x.style != 0 && off == 0 && h == 0 && m == 0 && s == 0 && v.Nanosecond() == 0 &&
			v.Year() > 1900 && v.Year() <= 2100
	}
	return false
}

// excelEpoch is day 0 of Excel's 1900 date system as it counts dates after
// February 1900 (it believes 1900 was a leap year).
var excelEpoch = time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)

// sharedStrings is what the generated bodies add to the package's shared string
// table: their texts, numbered from base (excelize's own come first). A table holds
// at most maxSharedStrings of them: past that a text not in it yet is written inline,
// so that a list of hundreds of thousands of different names does not hold them all
// in memory; the texts that repeat on every row are met early.
type sharedStrings struct {
	base  int
	max   int // maxSharedStrings, but in a test
	index map[string]int
	list  []string
	refs  int // cells that refer to the table
	// last is each column's last text and its number: the next row mostly repeats
	// it (the same unit, file, standard), which spares a look-up.
	last []lastShared
}

type lastShared struct {
	s   string
	id  int
	ref []byte // the cell's end referring to it: ` t="s"><v>id</v></c>`
}

// maxSharedStrings bounds the texts the bodies add to the shared string table.
const maxSharedStrings = 1 << 16

func newSharedStrings(base, max int) *sharedStrings {
	return &sharedStrings{base: base, max: max, index: map[string]int{}}
}

// appendRef appends the end of a cell of column col holding s, referring to s's
// number in the table (adding it); false when s is to be written inline.
func (t *sharedStrings) appendRef(dst []byte, col int, s string) ([]byte, bool) {
	if col < len(t.last) && t.last[col].s == s && t.last[col].id >= 0 {
		t.refs++
		return append(dst, t.last[col].ref...), true
	}
	id, ok := t.index[s]
	if !ok {
		if len(t.list) >= t.max {
			return dst, false
		}
		id = t.base + len(t.list)
		t.index[s] = id
		t.list = append(t.list, s)
	}
	for len(t.last) <= col {
		t.last = append(t.last, lastShared{id: -1})
	}
	l := &t.last[col]
	l.s, l.id = s, id
	l.ref = append(l.ref[:0], ` t="s"><v>`...)
	l.ref = strconv.AppendInt(l.ref, int64(id), 10)
	l.ref = append(l.ref, `</v></c>`...)
	t.refs++
	return append(dst, l.ref...), true
}

// bodyEncoder is what writing a body's rows keeps from row to row: the shared string
// table (nil: texts inline) and each style's attribute, formatted once.
type bodyEncoder struct {
	sst    *sharedStrings
	styles [][]byte // by style ID: ` s="12"`
}

// style appends the attribute of style id.
func (e *bodyEncoder) style(dst []byte, id int) []byte {
	if id < 0 || id > 1<<16 {
		dst = append(dst, ` s="`...)
		dst = strconv.AppendInt(dst, int64(id), 10)
		return append(dst, '"')
	}
	for len(e.styles) <= id {
		e.styles = append(e.styles, nil)
	}
	if e.styles[id] == nil {
		e.styles[id] = fmt.Appendf(nil, ` s="%d"`, id)
	}
	return append(dst, e.styles[id]...)
}

// appendRow appends row r of a body as StreamWriter.SetRow writes it, each cell a
// *excelize.Cell with its style, but for texts, which refer to sst when it is given,
// and for the cells' references, left out: the cells are the row's columns from A on.
func appendRow(dst []byte, r int, cells []cell, height float64, e *bodyEncoder) []byte {
	dst = append(dst, `<row r="`...)
	dst = strconv.AppendInt(dst, int64(r), 10)
	dst = append(dst, '"')
	if height > 0 {
		dst = append(dst, ` ht="`...)
		dst = strconv.AppendFloat(dst, height, 'f', -1, 64)
		dst = append(dst, `" customHeight="1"`...)
	}
	dst = append(dst, '>')
	for i, x := range cells {
		dst = append(dst, `<c`...)
		if x.style != 0 {
			dst = e.style(dst, x.style)
		}
		switch v := x.v; v.kind {
		case vNone:
			dst = append(dst, `></c>`...)
		case vInt:
			dst = append(dst, `><v>`...)
			dst = strconv.AppendInt(dst, int64(v.n), 10)
			dst = append(dst, `</v></c>`...)
		case vFloat:
			dst = append(dst, `><v>`...)
			dst = strconv.AppendFloat(dst, v.f, 'f', -1, 64)
			dst = append(dst, `</v></c>`...)
		case vDate:
			dst = append(dst, `><v>`...)
			dst = strconv.AppendInt(dst, int64(v.t.Sub(excelEpoch)/(24*time.Hour)), 10)
			dst = append(dst, `</v></c>`...)
		case vText:
			if e.sst != nil {
				var ok bool
				if dst, ok = e.sst.appendRef(dst, i, v.s); ok {
					continue
				}
			}
			dst = append(dst, ` t="inlineStr"><is>`...)
			dst = appendText(dst, v.s)
			dst = append(dst, `</is></c>`...)
		}
	}
	return append(dst, `</row>`...)
}

// appendText appends s as a <t> element, as excelize writes a text.
func appendText(dst []byte, s string) []byte {
	dst = append(dst, `<t`...)
	if s != "" && (spaceByte(s[0]) || spaceByte(s[len(s)-1])) {
		dst = append(dst, ` xml:space="preserve"`...)
	}
	dst = append(dst, '>')
	dst = appendEscaped(dst, s)
	return append(dst, `</t>`...)
}

// spaceByte is what makes excelize keep a text's spaces (xml:space="preserve").
func spaceByte(c byte) bool { return c == '\t' || c == '\n' || c == '\r' || c == ' ' }

// appendEscaped appends s escaped as xml.EscapeText does, but for line breaks, which
// excelize puts back as they are.
func appendEscaped(dst []byte, s string) []byte {
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		var esc string
		size := 1
		if c < utf8.RuneSelf {
			switch {
			case c == '"':
				esc = "&#34;"
			case c == '\'':
				esc = "&#39;"
			case c == '&':
				esc = "&amp;"
			case c == '<':
				esc = "&lt;"
			case c == '>':
				esc = "&gt;"
			case c == '\t':
				esc = "&#x9;"
			case c == '\r':
				esc = "&#xD;"
			case c < 0x20 && c != '\n':
				esc = "\uFFFD"
			default:
				i++
				continue
			}
		} else {
			var r rune
			r, size = utf8.DecodeRuneInString(s[i:])
			if (r != utf8.RuneError || size != 1) && xmlChar(r) {
				i += size
				continue
			}
			esc = "\uFFFD"
		}
		dst = append(dst, s[start:i]...)
		dst = append(dst, esc...)
		i += size
		start = i
	}
	return append(dst, s[start:]...)
}

// xmlChar reports whether r may appear in XML text (encoding/xml's rule).
func xmlChar(r rune) bool {
	return r == 0x09 || r == 0x0A || r == 0x0D || (r >= 0x20 && r <= 0xD7FF) ||
		(r >= 0xE000 && r <= 0xFFFD) || (r >= 0x10000 && r <= 0x10FFFF)
}

// writeBody generates a body's rows into w, its texts into sst when given.
func (b *book) writeBody(ctx context.Context, w io.Writer, fb *fastBody, sst *sharedStrings) error {
	rw := &rowWriter{b: b, widths: fb.widths}
	buf := make([]byte, 0, 256<<10)
	if sst != nil {
		sst.last = sst.last[:0] // each body's columns are its own
	}
	enc := &bodyEncoder{sst: sst}
	r := fb.first
	err := fb.rows(func(cells []cell) error {
		if (r-fb.first+1)%ctxEvery == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		buf = appendRow(buf, r, cells, rw.height(cells), enc)
		r++
		if len(buf) >= 192<<10 {
			if _, err := w.Write(buf); err != nil {
				return err
			}
			buf = buf[:0]
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("trang %q: %w", fb.sheet, err)
	}
	if r-1 != fb.last {
		return fmt.Errorf("trang %q: bảng có %d dòng khi ghi, %d khi đo", fb.sheet, r-fb.first, fb.last-fb.first+1)
	}
	_, err = w.Write(buf)
	return err
}

// bodyZip is the zip writer excelize writes the package with: it generates the
// registered bodies into their sheets' entries, adds their texts to the shared string
// table, and deflates with parallelDeflate. It writes to the report's output itself,
// not to the buffer excelize hands it, which would hold the whole compressed workbook
// in memory (and copy it each time it grew); excelize's only use of that buffer, a
// version fix for entries over 4 GB, cannot concern a sheet under Excel's row limit.
type bodyZip struct {
	ctx    context.Context
	b      *book
	zw     *zip.Writer
	bodies map[string]*fastBody // by part name

	// sst numbers the bodies' texts, nil while no body was written, or when they
	// are written inline (the package has no shared string table, or excelize wrote
	// it before a body: then no text can be added to it).
	sst        *sharedStrings
	sstWritten bool

	pending func() error // completes the entry being captured, if any
	capture bytes.Buffer // that entry as excelize wrote it
}

// sharedStringsPart is the package's shared string table.
const sharedStringsPart = "xl/sharedStrings.xml"

func (b *book) newBodyZip(ctx context.Context, w io.Writer) *bodyZip {
	zw := zip.NewWriter(w)
	d := newDeflaters()
	zw.RegisterCompressor(zip.Deflate, func(out io.Writer) (io.WriteCloser, error) {
		return d.writer(out), nil
	})
	return &bodyZip{ctx: ctx, b: b, zw: zw, bodies: b.bodies}
}

func (z *bodyZip) Create(name string) (io.Writer, error) {
	if err := z.finish(); err != nil {
		return nil, err
	}
	w, err := z.zw.Create(name)
	if err != nil {
		return nil, err
	}
	if fb := z.bodies[name]; fb != nil {
		z.capture.Reset()
		z.pending = func() error { return z.finishBody(w, fb) }
		return &z.capture, nil
	}
	if name == sharedStringsPart {
		z.sstWritten = true
		z.capture.Reset()
		z.pending = func() error { return z.finishSharedStrings(w) }
		return &z.capture, nil
	}
	return w, nil
}

func (z *bodyZip) AddFS(fsys fs.FS) error {
	if err := z.finish(); err != nil {
		return err
	}
	return z.zw.AddFS(fsys)
}

func (z *bodyZip) Close() error {
	if err := z.finish(); err != nil {
		return err
	}
	for _, fb := range z.bodies {
		if !fb.written {
			return fmt.Errorf("xlsxreport: trang %q không có trong gói", fb.sheet)
		}
	}
	if z.sst != nil && len(z.sst.list) > 0 && !z.sstWritten {
		return errors.New("xlsxreport: gói không có bảng chuỗi dùng chung cho các trang danh sách")
	}
	return z.zw.Close()
}

// finish completes the entry being captured.
func (z *bodyZip) finish() error {
	if z.pending == nil {
		return nil
	}
	done := z.pending
	z.pending = nil
	return done()
}

// finishBody writes a sheet with a body to w: the body's rows go before the first row
// after it, or before the end of the sheet's data.
func (z *bodyZip) finishBody(w io.Writer, fb *fastBody) error {
	sheet := z.capture.Bytes()
	at := bytes.Index(sheet, []byte(`<row r="`+strconv.Itoa(fb.last+1)+`"`))
	if at < 0 {
		at = bytes.Index(sheet, []byte(`</sheetData>`))
	}
	if at < 0 {
		return fmt.Errorf("xlsxreport: trang %q: không thấy chỗ ghi bảng", fb.sheet)
	}
	if _, err := w.Write(sheet[:at]); err != nil {
		return err
	}
	if z.sst == nil && !z.sstWritten {
		// excelize has made its table by now (it writes the sheets after): the
		// bodies' texts are numbered after its own.
		if data, ok := z.b.f.Pkg.Load(sharedStringsPart); ok {
			if n, err := countSharedStrings(data.([]byte)); err == nil {
				z.sst = newSharedStrings(n, z.b.maxShared)
			}
		}
	}
	sst := z.sst
	if z.sstWritten {
		sst = nil
	}
	if err := z.b.writeBody(z.ctx, w, fb, sst); err != nil {
		return err
	}
	fb.written = true
	_, err := w.Write(sheet[at:])
	return err
}

// finishSharedStrings writes the package's shared string table to w: excelize's, and
// the bodies' texts after it.
func (z *bodyZip) finishSharedStrings(w io.Writer) error {
	data := z.capture.Bytes()
	if z.sst != nil && len(z.sst.list) > 0 {
		var err error
		if data, err = mergeSharedStrings(data, z.sst); err != nil {
			return err
		}
	}
	_, err := w.Write(data)
	return err
}

// countSharedStrings is how many texts (si) a shared string table holds.
func countSharedStrings(data []byte) (int, error) {
	d := xml.NewDecoder(bytes.NewReader(data))
	n, depth := 0, 0
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return n, nil
		}
		if err != nil {
			return 0, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if depth == 1 && t.Name.Local == "si" {
				n++
			}
			depth++
		case xml.EndElement:
			depth--
		}
	}
}

// sstCounts are the counting attributes of a shared string table's root; sstRefs the
// one that counts the cells referring to it.
var (
	sstCounts = regexp.MustCompile(`\s(count|uniqueCount)="[0-9]*"`)
	sstRefs   = regexp.MustCompile(`\scount="([0-9]+)"`)
)

// mergeSharedStrings is the shared string table data (excelize's) with the texts of
// sst after its own, and its counts made right: count is every cell referring to the
// table, uniqueCount the texts in it.
func mergeSharedStrings(data []byte, sst *sharedStrings) ([]byte, error) {
	have, err := countSharedStrings(data)
	if err != nil || have != sst.base {
		return nil, fmt.Errorf("xlsxreport: bảng chuỗi dùng chung có %d chuỗi, không phải %d (%v)", have, sst.base, err)
	}
	open := bytes.Index(data, []byte("<sst"))
	end := -1
	if open >= 0 {
		end = bytes.IndexByte(data[open:], '>')
	}
	if end < 0 {
		return nil, errors.New("xlsxreport: bảng chuỗi dùng chung không đọc được")
	}
	end += open
	tag := data[open:end]
	closed := bytes.HasSuffix(tag, []byte("/"))
	tag = bytes.TrimSuffix(tag, []byte("/"))
	refs := have
	if m := sstRefs.FindSubmatch(tag); m != nil {
		refs, _ = strconv.Atoi(string(m[1]))
	}
	out := make([]byte, 0, len(data)+len(sst.list)*32)
	out = append(out, data[:open]...)
	out = append(out, sstCounts.ReplaceAll(tag, nil)...)
	out = fmt.Appendf(out, ` count="%d" uniqueCount="%d">`, refs+sst.refs, have+len(sst.list))
	rest := data[end+1:]
	tail := []byte("</sst>")
	if !closed {
		at := bytes.LastIndex(rest, tail)
		if at < 0 {
			return nil, errors.New("xlsxreport: bảng chuỗi dùng chung không đọc được")
		}
		out = append(out, rest[:at]...)
		rest = rest[at+len(tail):]
	}
	for _, s := range sst.list {
		out = append(out, `<si>`...)
		out = appendText(out, s)
		out = append(out, `</si>`...)
	}
	out = append(out, tail...)
	return append(out, rest...), nil
}

// parallelDeflate deflates a zip entry in chunks, several at once: each chunk is
// compressed on its own (no match reaches into the one before) and ends with a sync
// flush, so the chunks laid end to end are one valid deflate stream. A part that fits
// one chunk (every part but a long sheet) is compressed as before, at the default
// level; a longer one at the fastest level, since its bulk is repetitive XML that
// compresses well at any level and the time went there. The compressors and buffers
// are the package's (deflaters), reused from entry to entry: a compressor holds about
// a megabyte, and every part had its own.
type parallelDeflate struct {
	out     io.Writer
	d       *deflaters
	buf     []byte
	queue   []chan deflated
	started bool
	err     error
}

type deflated struct {
	out *bytes.Buffer
	err error
}

// deflateChunk is the size of a chunk; deflateAhead how many are compressed at once.
const (
	deflateChunk = 1 << 20
	deflateAhead = 3
)

// deflaters are the compressors and buffers of a package's entries, which the zip
// writer deflates one after another.
type deflaters struct {
	fast  chan *flate.Writer // at the fastest level, for the chunks of a long part
	small *flate.Writer      // at the default level, for a part of one chunk
	bufs  chan []byte        // chunks to compress
	outs  chan *bytes.Buffer // compressed chunks
}

func newDeflaters() *deflaters {
	return &deflaters{fast: make(chan *flate.Writer, deflateAhead+1), bufs: make(chan []byte, deflateAhead+2),
		outs: make(chan *bytes.Buffer, deflateAhead+2)}
}

func (d *deflaters) writer(out io.Writer) *parallelDeflate {
	return &parallelDeflate{out: out, d: d}
}

func (p *parallelDeflate) Write(data []byte) (int, error) {
	n := len(data)
	for len(data) > 0 && p.err == nil {
		if p.buf == nil {
			select {
			case p.buf = <-p.d.bufs:
			default:
				p.buf = make([]byte, 0, deflateChunk)
			}
		}
		take := min(deflateChunk-len(p.buf), len(data))
		p.buf = append(p.buf, data[:take]...)
		data = data[take:]
		if len(p.buf) == deflateChunk {
			p.submit(false)
		}
	}
	if p.err != nil {
		return 0, p.err
	}
	return n, nil
}

func (p *parallelDeflate) Close() error {
	if p.err == nil {
		p.submit(true)
	}
	for len(p.queue) > 0 && p.err == nil {
		p.drain()
	}
	return p.err
}

// submit starts compressing the chunk in hand, and writes out the oldest chunks
// while too many are under way.
func (p *parallelDeflate) submit(last bool) {
	in := p.buf
	p.buf = nil
	d := p.d
	if last && !p.started {
		out := d.output()
		if d.small == nil {
			d.small, _ = flate.NewWriter(out, flate.DefaultCompression)
		} else {
			d.small.Reset(out)
		}
		if _, err := d.small.Write(in); err != nil {
			p.err = err
			return
		}
		if p.err = d.small.Close(); p.err == nil {
			_, p.err = p.out.Write(out.Bytes())
		}
		d.recycle(in, out)
		return
	}
	p.started = true
	ch := make(chan deflated, 1)
	p.queue = append(p.queue, ch)
	go func() {
		var fw *flate.Writer
		out := d.output()
		select {
		case fw = <-d.fast:
			fw.Reset(out)
		default:
			fw, _ = flate.NewWriter(out, flate.BestSpeed)
		}
		_, err := fw.Write(in)
		if err == nil {
			if last {
				err = fw.Close()
			} else {
				err = fw.Flush()
			}
		}
		select {
		case d.fast <- fw:
		default:
		}
		d.recycle(in, nil)
		ch <- deflated{out, err}
	}()
	for len(p.queue) > deflateAhead && p.err == nil {
		p.drain()
	}
}

// output is an empty buffer for a compressed chunk.
func (d *deflaters) output() *bytes.Buffer {
	select {
	case out := <-d.outs:
		out.Reset()
		return out
	default:
		out := &bytes.Buffer{}
		out.Grow(deflateChunk/4 + 1024)
		return out
	}
}

// recycle keeps a chunk's buffers (either may be nil) for the next.
func (d *deflaters) recycle(in []byte, out *bytes.Buffer) {
	if in != nil {
		select {
		case d.bufs <- in[:0]:
		default:
		}
	}
	if out != nil {
		select {
		case d.outs <- out:
		default:
		}
	}
}

// drain writes out the oldest chunk, once compressed.
func (p *parallelDeflate) drain() {
	c := <-p.queue[0]
	p.queue = p.queue[1:]
	if p.err = c.err; p.err == nil {
		_, p.err = p.out.Write(c.out.Bytes())
	}
	p.d.recycle(nil, c.out)
}

// fastBody registers the body of the sheet name, to be generated into its part.
func (b *book) fastBody(name string, sp sheetSpec, plan rowPlan) (*fastBody, error) {
	id := 0
	for i, n := range b.f.GetSheetMap() {
		if n == name {
			id = i
		}
	}
	if id == 0 {
		return nil, fmt.Errorf("xlsxreport: không thấy trang %q", name)
	}
	fb := &fastBody{sheet: name, first: plan.bodyFirst(), last: plan.bodyLast(), rows: sp.body, widths: plan.widths}
	if sp.body == nil {
		fb.rows = func(func([]cell) error) error { return nil }
	}
	// excelize names a sheet's part by the sheet's ID.
	b.bodies["xl/worksheets/sheet"+strconv.Itoa(id)+".xml"] = fb
	return fb, nil
}
