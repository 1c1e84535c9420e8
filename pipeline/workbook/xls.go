package workbook

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/richardlehane/mscfb"

	"canbo/pipeline/issue"
)

// Excel 97–2003 workbooks (.xls, BIFF8) are OLE compound files whose "Workbook" stream
// is a sequence of records: a globals substream (fonts, number formats, cell formats,
// the sheet list, the shared-string table), then one substream per sheet, each from a
// BOF record to its EOF. The reader loads the Workbook stream once (its size is
// bounded by the file's and by MaxPartSize), reads the globals when the book is opened
// and walks a sheet's substream when Rows is called, so .xls and .xlsx give the same
// Book, Rows, Row and Cell values.
//
// Only what canbo needs is decoded: cell values (shared strings, inline labels, RK,
// MULRK, NUMBER, BOOLERR and the cached results of FORMULA records), merged cells,
// hidden rows and sheets, number formats (for dates) and font names. Drawings,
// comments, names, charts and the formula expressions themselves are skipped.

// xlsBook is the part of a Book that only .xls workbooks have.
type xlsBook struct {
	data     []byte // the Workbook stream
	codepage int    // CODEPAGE record; 1200 (UTF-16) in every BIFF8 file Excel writes
	sst      []string
	sstFonts map[int]string // font of the first rich-text run, for the entries that have runs
}

// xlsSub locates a worksheet's substream in the Workbook stream: data[start:end] runs
// from its BOF record to the end of its EOF record. end is the end of the readable
// records when the stream stops before the EOF (a truncated file); err is set when the
// sheet cannot be read at all.
type xlsSub struct {
	start, end int
	eof        bool // the substream ends with its EOF record
	err        error
}

// BIFF8 record types used by the reader.
const (
	rtFormula     = 0x0006
	rtEOF         = 0x000A
	rtDateMode    = 0x0022
	rtFilePass    = 0x002F
	rtFont        = 0x0031
	rtContinue    = 0x003C
	rtCodePage    = 0x0042
	rtBoundSheet  = 0x0085
	rtMulRK       = 0x00BD
	rtMulBlank    = 0x00BE
	rtRString     = 0x00D6
	rtXF          = 0x00E0
	rtMergedCells = 0x00E5
	rtSST         = 0x00FC
	rtLabelSST    = 0x00FD
	rtBlank       = 0x0201
	rtNumber      = 0x0203
	rtLabel       = 0x0204
	rtBoolErr     = 0x0205
	rtString      = 0x0207
	rtRow         = 0x0208
	rtArray       = 0x0221
	rtTable       = 0x0236
	rtRK          = 0x027E
	rtFormat      = 0x041E
	rtShrFmla     = 0x04BC
	rtBOF         = 0x0809
	// BOF records of BIFF2, BIFF3 and BIFF4, which predate compound files but are
	// sometimes found inside one written by an old converter.
	rtBOF2 = 0x0009
	rtBOF3 = 0x0209
	rtBOF4 = 0x0409

	biff8Version  = 0x0600
	bofGlobals    = 0x0005
	bofWorksheet  = 0x0010
	maxXLSRecords = 1 << 16 // XF and FONT indexes are 16-bit: more entries are unreachable
)

// openOLE classifies an OLE2 compound file by its root streams and opens it when it is
// an Excel 97–2003 workbook. Excel 97–2003 keeps its data in "Workbook", Excel 5/95 in
// "Book", and an encrypted OOXML package (what Excel writes when a password is set on
// an .xlsx) in "EncryptionInfo" and "EncryptedPackage". Anything else (.doc, .msg,
// .ppt) is not a workbook.
func openOLE(ctx context.Context, src *sourceReader, size int64, name string, lim Limits) (b *Book, err error) {
	defer func() {
		if v := recover(); v != nil {
			b, err = nil, fromPanic(v)
		}
	}()
	if err := checkOLEHeader(src, size); err != nil {
		return nil, err
	}
	budget := &budgetReaderAt{r: &blockCache{r: io.NewSectionReader(src, 0, size), off: -1}}
	doc, err := mscfb.New(budget)
	if err != nil {
		if f := src.failure(); f != nil {
			return nil, newError(issue.ReadFailed, fmt.Errorf("compound file: %w", f))
		}
		return nil, newError(issue.Corrupt, fmt.Errorf("compound file: %w", err))
	}
	var workbook *mscfb.File
	var book bool
	for i, f := range doc.File {
		if i >= oleMaxEntries {
			break
		}
		if len(f.Path) > 0 {
			continue // inside a storage: an embedded object, not this file's content
		}
		switch f.Name {
		case "EncryptionInfo", "EncryptedPackage":
			return nil, newError(issue.Encrypted, errors.New("password-protected workbook"))
		case "Workbook", "WORKBOOK", "workbook":
			if workbook == nil && !f.FileInfo().IsDir() {
				workbook = f
			}
		case "Book", "BOOK":
			book = true
		}
	}
	switch {
	case workbook != nil:
	case book:
		return nil, errLegacy("xls5")
	default:
		return nil, newError(issue.NotWorkbook, errors.New("compound file without a workbook stream"))
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	data, err := readOLEStream(ctx, src, budget, workbook, size, lim)
	if err != nil {
		return nil, err
	}
	return openXLS(ctx, data, name, lim)
}

// readOLEStream reads a whole stream. A stream occupies at least its size in sectors,
// so a declared size beyond the file's is damage (or a sector chain that loops); the
// stream must also fit MaxPartSize and MaxUnzipped, as an .xlsx part must. The buffer
// grows as data actually arrives, so a chain that breaks early costs no more memory
// than what was read.
func readOLEStream(ctx context.Context, src *sourceReader, budget *budgetReaderAt, f *mscfb.File, size int64, lim Limits) ([]byte, error) {
	n := f.Size
	switch {
	case n < 0 || n > size:
		return nil, errCorrupt("compound file: Workbook stream declares %d bytes in a %d-byte file", n, size)
	case n > lim.MaxPartSize || n > lim.MaxUnzipped:
		limit := min(lim.MaxPartSize, lim.MaxUnzipped)
		return nil, errTooLarge("part", humanBytes(limit), fmt.Errorf("Workbook stream is %s", humanBytes(n)), "part", "Workbook")
	case n == 0:
		return nil, errCorrupt("compound file: empty Workbook stream")
	}
	// The directory has been read: from here the budget only has to stop a runaway
	// read, and a stream of n bytes needs n bytes plus one FAT lookup per sector.
	budget.bytes, budget.calls = 0, 0
	budget.maxBytes, budget.maxCalls = 2*n+(1<<20), n/64+(1<<16)
	// Read in 64 KB steps (mscfb's cost per read grows with the square of its sectors),
	// into a buffer of the first megabyte, then of the whole declared size once that
	// megabyte has arrived: a stream whose chain breaks early costs at most 1 MB, a
	// real one n bytes (no doubling).
	const step, first = 64 << 10, 1 << 20
	data := make([]byte, 0, min(n, first))
	for int64(len(data)) < n {
		if len(data)%first == 0 && len(data) > 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		if len(data) == cap(data) {
			data = append(make([]byte, 0, n), data...)
		}
		k := min(int(n)-len(data), step, cap(data)-len(data))
		m, err := f.Read(data[len(data) : len(data)+k])
		data = data[:len(data)+m]
		if int64(len(data)) == n && (err == nil || err == io.EOF) {
			break
		}
		if err != nil || m == 0 {
			if fail := src.failure(); fail != nil {
				return nil, newError(issue.ReadFailed, fmt.Errorf("Workbook stream: %w", fail))
			}
			if err == nil || err == io.EOF {
				err = io.ErrUnexpectedEOF
			}
			return nil, newError(issue.Corrupt, fmt.Errorf("Workbook stream: %w", err))
		}
	}
	return data, nil
}

// blockCache serves the small reads mscfb makes (a directory sector, then a 4-byte FAT
// entry for every sector of a stream) from one cached 4 KB block, so that reading a
// stream does not cost a system call per 512-byte sector. Larger reads go straight
// through. Only openOLE uses it, from one goroutine.
type blockCache struct {
	r   io.ReaderAt
	off int64 // offset of buf in r; -1 when empty
	n   int   // valid bytes in buf (less than 4 KB at the end of the file)
	buf [4096]byte
}

func (c *blockCache) ReadAt(p []byte, off int64) (int, error) {
	blk := off &^ (int64(len(c.buf)) - 1)
	if len(p) > 1024 || off < 0 || off+int64(len(p)) > blk+int64(len(c.buf)) {
		return c.r.ReadAt(p, off)
	}
	if c.off != blk {
		n, err := c.r.ReadAt(c.buf[:], blk)
		if err != nil && err != io.EOF {
			c.off = -1
			return 0, err
		}
		c.off, c.n = blk, n
	}
	start := int(off - blk)
	if start >= c.n {
		return 0, io.EOF
	}
	k := copy(p, c.buf[start:c.n])
	if k < len(p) {
		return k, io.EOF
	}
	return k, nil
}

// openXLS reads the globals substream of a Workbook stream and locates the sheets.
func openXLS(ctx context.Context, data []byte, name string, lim Limits) (*Book, error) {
	typ, body, _, err := recordAt(data, 0)
	if err != nil {
		return nil, errCorrupt("Workbook stream: %v", err)
	}
	switch typ {
	case rtBOF:
	case rtBOF2, rtBOF3, rtBOF4:
		return nil, errLegacy("xls5")
	default:
		return nil, errCorrupt("Workbook stream does not start with a BOF record (record %#04x)", typ)
	}
	if len(body) < 4 {
		return nil, errCorrupt("Workbook stream: BOF record of %d bytes", len(body))
	}
	if v := le16(body); v != biff8Version {
		// BIFF5/BIFF7 (Excel 5.0/95) say 0x0500. Their strings are in the codepage
		// and their records differ in many details: ask for a re-save instead.
		return nil, errLegacy("xls5")
	}
	if dt := le16(body[2:]); dt != bofGlobals {
		return nil, errCorrupt("Workbook stream starts with a substream of type %#04x, not the workbook globals", dt)
	}
	b := &Book{name: name, lim: lim, format: "xls", charged: map[string]bool{}}
	x := &xlsBook{data: data}
	b.xls = x
	g := globals{book: b, x: x, lim: lim}
	next, err := g.read(ctx)
	if err != nil {
		return nil, err
	}
	subs, err := indexSubstreams(ctx, data, next)
	if err != nil {
		return nil, err
	}
	used := map[int]bool{}
	for _, bs := range g.sheets {
		if bs.kind != 0 {
			continue // macro sheet, chart sheet, VBA module
		}
		e := sheetEntry{info: SheetInfo{Index: len(b.sheets), Name: bs.name, Hidden: bs.state != 0}}
		sub, ok := subs[bs.pos]
		switch {
		case !ok:
			sub.err = fmt.Errorf("sheet %q: no substream at offset %d", bs.name, bs.pos)
		case used[bs.pos]:
			sub.err = fmt.Errorf("sheet %q: substream at offset %d belongs to another sheet", bs.name, bs.pos)
		default:
			used[bs.pos] = true
			_, sb, _, _ := recordAt(data, bs.pos)
			if len(sb) < 4 || le16(sb) != biff8Version || le16(sb[2:]) != bofWorksheet {
				sub.err = fmt.Errorf("sheet %q: substream at offset %d is not a BIFF8 worksheet", bs.name, bs.pos)
			}
		}
		e.xls = sub
		b.sheets = append(b.sheets, e)
	}
	if len(b.sheets) == 0 {
		return nil, newError(issue.EmptyWorkbook, errors.New("the workbook has no worksheet"))
	}
	return b, nil
}

// boundSheet is one BOUNDSHEET8 record: a sheet's name, visibility, type and the
// stream offset of its BOF record.
type boundSheet struct {
	name  string
	pos   int
	state byte // 0 visible, 1 hidden, 2 very hidden
	kind  byte // 0 worksheet or dialog sheet, 1 macro sheet, 2 chart, 6 VBA module
}

// globals reads the workbook globals substream.
type globals struct {
	book   *Book
	x      *xlsBook
	lim    Limits
	fonts  []string
	fmts   map[int]string
	xfs    []xfRawXLS
	sheets []boundSheet
	runs   map[int]int // SST entry → FONT index of its first rich-text run
	in     interner
}

type xfRawXLS struct{ font, numFmt int }

// read walks the globals from the record after BOF to EOF and returns the offset that
// follows the EOF record.
func (g *globals) read(ctx context.Context) (int, error) {
	data := g.x.data
	g.fmts = map[int]string{}
	_, _, off, _ := recordAt(data, 0)
	var sst []int // offsets of the SST record and its CONTINUE records
	for n := 0; ; n++ {
		if n&4095 == 0 {
			if err := ctx.Err(); err != nil {
				return 0, err
			}
		}
		typ, body, next, err := recordAt(data, off)
		if err != nil {
			return 0, errCorrupt("Workbook stream: workbook globals: %v", err)
		}
		switch typ {
		case rtEOF:
			if err := g.finish(ctx, sst); err != nil {
				return 0, err
			}
			return next, nil
		case rtBOF:
			return 0, errCorrupt("Workbook stream: a substream starts inside the workbook globals (offset %d)", off)
		case rtFilePass:
			// Everything after FILEPASS is encrypted (RC4 or XOR obfuscation).
			return 0, newError(issue.Encrypted, errors.New("password-protected .xls workbook (FILEPASS)"))
		case rtCodePage:
			if len(body) >= 2 {
				g.x.codepage = int(le16(body))
			}
		case rtDateMode:
			if len(body) >= 2 {
				g.book.date1904 = le16(body)&1 != 0
			}
		case rtFont:
			if len(g.fonts) < maxXLSRecords {
				g.fonts = append(g.fonts, g.fontName(body))
			}
		case rtFormat:
			// A FORMAT record whose string is cut short (real files have them) only
			// loses that number format: the cells it styles read as General.
			if len(body) >= 2 {
				id := int(le16(body))
				if code, err := shortString(body[2:], 2); err == nil {
					g.fmts[id] = code
				}
			}
		case rtXF:
			if len(body) < 4 {
				return 0, errCorrupt("Workbook stream: XF record of %d bytes", len(body))
			}
			if len(g.xfs) < maxXLSRecords {
				g.xfs = append(g.xfs, xfRawXLS{font: int(le16(body)), numFmt: int(le16(body[2:]))})
			}
		case rtBoundSheet:
			if len(body) < 8 {
				return 0, errCorrupt("Workbook stream: BOUNDSHEET record of %d bytes", len(body))
			}
			if len(g.sheets) >= maxXLSRecords {
				return 0, errCorrupt("Workbook stream: too many sheets")
			}
			name, err := shortString(body[6:], 1)
			if err != nil {
				return 0, errCorrupt("Workbook stream: sheet name: %v", err)
			}
			g.sheets = append(g.sheets, boundSheet{name: name, pos: int(le32(body)), state: body[4] & 3, kind: body[5]})
		case rtSST:
			if sst != nil {
				break // a second table: Excel writes one, keep the first
			}
			sst = append(sst, off)
			for {
				t, _, nn, err := recordAt(data, next)
				if err != nil || t != rtContinue {
					break
				}
				sst = append(sst, next)
				next = nn
			}
		}
		off = next
	}
}

// fontName reads the name of a FONT record (a ShortXLUnicodeString at offset 14).
func (g *globals) fontName(body []byte) string {
	if len(body) < 16 {
		return ""
	}
	s, err := shortString(body[14:], 1)
	if err != nil {
		return ""
	}
	in := &g.in
	if v, ok := in.m[s]; ok {
		return v
	}
	if in.m == nil {
		in.m = map[string]string{}
	}
	if len(in.m) < 1024 {
		in.m[s] = s
	}
	return s
}

// font resolves a FONT index as XF and rich-text runs use it. Index 4 does not exist
// (a relic of BIFF4), so the fifth FONT record has index 5.
func (g *globals) font(i int) string {
	if i >= 4 {
		i--
	}
	if i >= 0 && i < len(g.fonts) {
		return g.fonts[i]
	}
	return ""
}

// finish builds the style table and the shared strings once every record is known
// (the order of FONT, FORMAT and XF records is not relied upon).
func (g *globals) finish(ctx context.Context, sst []int) error {
	st := &g.book.styles
	st.xfs = make([]xfInfo, len(g.xfs))
	for i, x := range g.xfs {
		info := &st.xfs[i]
		code, custom := g.fmts[x.numFmt]
		builtin := builtinCode(x.numFmt)
		switch {
		case x.numFmt == 0:
			// General, whatever a FORMAT record calls it in the writer's language.
		case custom && (builtin != "" || builtinDate(x.numFmt)):
			// A built-in format written out in the file's locale ("DD/MM/YYYY" for 14):
			// the id says what it is, the code how it looks.
			info.numFmt, info.date = code, builtinDate(x.numFmt)
		case custom:
			info.numFmt, info.date = code, isDateCode(code) || isBuiltinTimeCode(code)
		default:
			info.numFmt, info.date = builtin, builtinDate(x.numFmt)
		}
		if strings.EqualFold(info.numFmt, "General") {
			info.numFmt = ""
		}
		info.font = g.font(x.font)
	}
	if len(sst) == 0 {
		return nil
	}
	if err := g.readSST(ctx, sst); err != nil {
		return err
	}
	for i, f := range g.runs {
		if name := g.font(f); name != "" {
			if g.x.sstFonts == nil {
				g.x.sstFonts = map[int]string{}
			}
			g.x.sstFonts[i] = name
		}
	}
	return nil
}

// isBuiltinTimeCode recognises the codes of the built-in time formats (18–21, 45–47),
// which Excel treats as dates by their id, when a writer gives them an id of its own:
// LibreOffice saves every format of an .xls as a custom one ("h:mm" as id 168), and
// the cell would otherwise turn from a Date into a Number in the conversion.
func isBuiltinTimeCode(code string) bool {
	switch strings.ToLower(strings.ReplaceAll(code, `\`, "")) {
	case "h:mm am/pm", "h:mm:ss am/pm", "h:mm", "h:mm:ss", "mm:ss", "[h]:mm:ss", "mmss.0", "mm:ss.0":
		return true
	}
	return false
}

// readSST decodes the shared-string table: the SST record and the CONTINUE records
// that follow it, read as one sequence of XLUnicodeRichExtendedString structures.
func (g *globals) readSST(ctx context.Context, offs []int) error {
	data := g.x.data
	segs := make([][]byte, 0, len(offs))
	total := 0
	for _, off := range offs {
		_, body, _, _ := recordAt(data, off)
		segs = append(segs, body)
		total += len(body)
	}
	if len(segs[0]) < 8 {
		return errCorrupt("Workbook stream: SST record of %d bytes", len(segs[0]))
	}
	declared := int64(le32(segs[0][4:]))
	segs[0] = segs[0][8:]
	c := contReader{segs: segs}
	// Preallocate from the declared count, but never beyond what the records could
	// hold (an empty string takes 3 bytes) or the limit.
	texts := make([]string, 0, min(declared, int64(g.lim.MaxSharedStrings), int64(total/3)))
	var buf []byte
	for int64(len(texts)) < declared {
		if len(texts)&4095 == 4095 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		if c.atEnd() {
			break // fewer strings than declared: cells that name a missing one fail
		}
		if len(texts) >= g.lim.MaxSharedStrings {
			return errTooLarge("shared strings", formatCount(g.lim.MaxSharedStrings),
				fmt.Errorf("the .xls shared-string table has more than %s entries", formatCount(g.lim.MaxSharedStrings)))
		}
		s, font, err := c.richString(buf[:0])
		if err != nil {
			return errCorrupt("Workbook stream: shared string %d: %v", len(texts), err)
		}
		buf = s
		if font >= 0 {
			if g.runs == nil {
				g.runs = map[int]int{}
			}
			g.runs[len(texts)] = font
		}
		texts = append(texts, string(s))
	}
	g.x.sst = texts
	return nil
}

// indexSubstreams walks the records after the globals and returns the top-level
// substreams by the offset of their BOF record. Charts embedded in a sheet are
// substreams nested inside it and belong to it. The walk stops at the first record
// that runs past the end of the stream (padding or damage after the last sheet, or a
// truncated file); a substream still open there ends at that point, without EOF.
func indexSubstreams(ctx context.Context, data []byte, off int) (map[int]xlsSub, error) {
	subs := map[int]xlsSub{}
	depth, start := 0, -1
	for n := 0; off < len(data); n++ {
		if n&4095 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		typ, _, next, err := recordAt(data, off)
		if err != nil {
			break
		}
		switch typ {
		case rtBOF:
			if depth == 0 {
				start = off
			}
			depth++
		case rtEOF:
			if depth > 0 {
				depth--
				if depth == 0 {
					subs[start] = xlsSub{start: start, end: next, eof: true}
				}
			}
		}
		off = next
	}
	if depth > 0 {
		subs[start] = xlsSub{start: start, end: off}
	}
	return subs, nil
}

// recordAt returns the record whose header is at off: its type, its body and the
// offset of the next record.
func recordAt(data []byte, off int) (typ uint16, body []byte, next int, err error) {
	if off < 0 || off+4 > len(data) {
		return 0, nil, 0, fmt.Errorf("record header at offset %d is past the end of the stream (%d bytes)", off, len(data))
	}
	typ = le16(data[off:])
	n := int(le16(data[off+2:]))
	next = off + 4 + n
	if next > len(data) {
		return typ, nil, 0, fmt.Errorf("record %#04x at offset %d declares %d bytes, past the end of the stream", typ, off, n)
	}
	return typ, data[off+4 : next], next, nil
}

func le16(b []byte) uint16 { return uint16(b[0]) | uint16(b[1])<<8 }
func le32(b []byte) uint32 {
	return uint32(b[0]) | uint32(b[1])<<8 | uint32(b[2])<<16 | uint32(b[3])<<24
}

// Codepage returns the CODEPAGE of an .xls workbook (1200, UTF-16, for every BIFF8
// file Excel writes; strings in BIFF8 are Unicode whatever it says) and 0 for .xlsx.
func (b *Book) Codepage() int {
	if b.xls == nil {
		return 0
	}
	return b.xls.codepage
}

// Format returns "xlsx" for an Office Open XML workbook (.xlsx, .xlsm) and "xls" for an
// Excel 97–2003 (BIFF8) workbook.
func (b *Book) Format() string {
	if b.format == "" {
		return "xlsx"
	}
	return b.format
}
