package workbook

import (
	"bytes"
	"encoding/binary"
	"math"
	"unicode/utf16"
)

// A tiny BIFF8 writer for the tests: records are built byte by byte so that the edge
// cases real writers rarely produce (strings split at every possible CONTINUE
// boundary, FILEPASS, BIFF5, lengths past the end, huge counts, cells out of order)
// can be written on purpose.

func u16(v int) []byte    { return binary.LittleEndian.AppendUint16(nil, uint16(v)) }
func u32(v uint32) []byte { return binary.LittleEndian.AppendUint32(nil, v) }
func f64(v float64) []byte {
	return binary.LittleEndian.AppendUint64(nil, math.Float64bits(v))
}

func cat(parts ...[]byte) []byte { return bytes.Join(parts, nil) }

// rec is one record: type, length, body.
func rec(typ int, body ...[]byte) []byte {
	b := cat(body...)
	return cat(u16(typ), u16(len(b)), b)
}

// chars encodes characters compressed when they all fit, as UTF-16 otherwise; it
// returns the flags byte and the bytes.
func chars(rs []uint16) (byte, []byte) {
	fit := true
	for _, u := range rs {
		if u > 0xFF {
			fit = false
		}
	}
	var b []byte
	if fit {
		for _, u := range rs {
			b = append(b, byte(u))
		}
		return 0, b
	}
	for _, u := range rs {
		b = binary.LittleEndian.AppendUint16(b, u)
	}
	return 1, b
}

// xlString is an XLUnicodeString (cch on 2 bytes); shortXL a ShortXLUnicodeString.
func xlString(s string) []byte {
	u := utf16.Encode([]rune(s))
	f, b := chars(u)
	return cat(u16(len(u)), []byte{f}, b)
}

func shortXL(s string) []byte {
	u := utf16.Encode([]rune(s))
	f, b := chars(u)
	return cat([]byte{byte(len(u)), f}, b)
}

// sstEntry is a shared string with optional formatting runs (FONT indexes) and
// phonetic extension bytes.
type sstEntry struct {
	text  string
	runs  []int // FONT index per run; the runs start at characters 0, 1, 2…
	ext   []byte
	force bool // store as UTF-16 even when compressed would do
}

// sstRecords writes the SST record and its CONTINUE records, no body longer than limit
// bytes, splitting as Excel does: a string's header (cch, flags, run count, extension
// size) is never split; its characters may be, and then the next record starts with
// a flags byte, chosen for the characters that record holds; runs and extension data
// run on without one.
func sstRecords(entries []sstEntry, limit int) []byte {
	var recs [][]byte
	cur := cat(u32(uint32(len(entries))), u32(uint32(len(entries))))
	typ := rtSST
	flush := func() {
		recs = append(recs, rec(typ, cur))
		cur, typ = nil, rtContinue
	}
	room := func() int { return limit - len(cur) }
	for _, e := range entries {
		u := utf16.Encode([]rune(e.text))
		flags, _ := chars(u)
		if e.force {
			flags = 1
		}
		if len(e.runs) > 0 {
			flags |= 0x08
		}
		if e.ext != nil {
			flags |= 0x04
		}
		hdr := cat(u16(len(u)), []byte{flags})
		if len(e.runs) > 0 {
			hdr = append(hdr, u16(len(e.runs))...)
		}
		if e.ext != nil {
			hdr = append(hdr, u32(uint32(len(e.ext)))...)
		}
		if room() < len(hdr) {
			flush()
		}
		cur = append(cur, hdr...)
		high := flags&1 != 0
		for first := true; len(u) > 0; first = false {
			if !first {
				flush()
				// The continuing record picks its own encoding.
				f, _ := chars(u)
				if e.force {
					f = 1
				}
				high = f == 1
				cur = append(cur, f)
			}
			size := 1
			if high {
				size = 2
			}
			n := min(len(u), max(0, room())/size)
			for _, c := range u[:n] {
				if high {
					cur = binary.LittleEndian.AppendUint16(cur, c)
				} else {
					cur = append(cur, byte(c))
				}
			}
			u = u[n:]
		}
		var tail []byte
		for i, f := range e.runs {
			tail = append(tail, cat(u16(i), u16(f))...)
		}
		tail = append(tail, e.ext...)
		for len(tail) > 0 {
			if room() <= 0 {
				flush()
			}
			n := min(len(tail), room())
			cur = append(cur, tail[:n]...)
			tail = tail[n:]
		}
	}
	flush()
	return cat(recs...)
}

// Cell records.
func cellHdr(row, col, xf int) []byte { return cat(u16(row), u16(col), u16(xf)) }
func labelSST(row, col, xf, i int) []byte {
	return rec(rtLabelSST, cellHdr(row, col, xf), u32(uint32(i)))
}
func numberRec(row, col, xf int, v float64) []byte {
	return rec(rtNumber, cellHdr(row, col, xf), f64(v))
}
func rkRec(row, col, xf int, rk uint32) []byte { return rec(rtRK, cellHdr(row, col, xf), u32(rk)) }
func labelRec(row, col, xf int, s string) []byte {
	return rec(rtLabel, cellHdr(row, col, xf), xlString(s))
}
func boolErrRec(row, col, xf, v int, isErr bool) []byte {
	e := byte(0)
	if isErr {
		e = 1
	}
	return rec(rtBoolErr, cellHdr(row, col, xf), []byte{byte(v), e})
}
func mulRK(row, col, xf int, rks ...uint32) []byte {
	b := cat(u16(row), u16(col))
	for _, r := range rks {
		b = append(b, cat(u16(xf), u32(r))...)
	}
	return rec(rtMulRK, b, u16(col+len(rks)-1))
}
func blankRec(row, col, xf int) []byte { return rec(rtBlank, cellHdr(row, col, xf)) }
func mulBlank(row, col, xf, n int) []byte {
	b := cat(u16(row), u16(col))
	for range n {
		b = append(b, u16(xf)...)
	}
	return rec(rtMulBlank, b, u16(col+n-1))
}

// formulaRec writes a FORMULA record with an 8-byte cached value and a one-token
// expression (the tokens are never read).
func formulaRec(row, col, xf int, val []byte) []byte {
	return rec(rtFormula, cellHdr(row, col, xf), val, u16(0), u32(0), u16(3), []byte{0x1E, 1, 0}) // ptgInt 1
}
func fNum(v float64) []byte { return f64(v) }
func fSpecial(kind, v byte) []byte {
	return []byte{kind, 0, v, 0, 0, 0, 0xFF, 0xFF}
}
func stringRec(s string) []byte { return rec(rtString, xlString(s)) }

func rowRec(row int, hidden bool) []byte {
	flags := 0x0100 // fGhostDirty off, reserved bit 8 set as Excel does
	if hidden {
		flags |= 0x20
	}
	return rec(rtRow, u16(row), u16(0), u16(1), u16(300), u16(0), u16(0), u16(flags), u16(0x0F))
}

func mergedCells(ranges ...Range) []byte {
	b := u16(len(ranges))
	for _, r := range ranges {
		b = append(b, cat(u16(r.Top-1), u16(r.Bottom-1), u16(r.Left-1), u16(r.Right-1))...)
	}
	return rec(rtMergedCells, b)
}

func bof(version, kind int) []byte {
	return rec(rtBOF, u16(version), u16(kind), u16(0x0DBB), u16(0x07CC), u32(0), u32(6))
}

var eofRec = rec(rtEOF)

// xlsBookSpec describes a BIFF8 workbook for xlsStream.
type xlsBookSpec struct {
	version  int // BOF version, default BIFF8
	date1904 bool
	filePass bool
	fonts    []string       // default: one "Arial"
	formats  map[int]string // FORMAT records
	xfs      [][2]int       // (FONT index, format id); default: one General XF
	sst      []byte         // SST and CONTINUE records (sstRecords), or nil
	sheets   []xlsSheetSpec
	extra    []byte // records appended to the globals before EOF
	trailer  []byte // bytes after the last substream
}

type xlsSheetSpec struct {
	name    string
	state   int    // 0 visible, 1 hidden, 2 very hidden
	kind    int    // BOUNDSHEET type: 0 worksheet, 2 chart
	records []byte // cell, ROW, MERGEDCELLS… records between BOF and EOF
	pos     *int   // when set, the BOUNDSHEET offset written instead of the real one
	noEOF   bool
}

// stream writes the Workbook stream.
func (s xlsBookSpec) stream() []byte {
	version := s.version
	if version == 0 {
		version = biff8Version
	}
	var g bytes.Buffer
	g.Write(bof(version, bofGlobals))
	if s.filePass {
		g.Write(rec(rtFilePass, u16(1), u16(1), make([]byte, 48)))
	}
	g.Write(rec(rtCodePage, u16(1200)))
	d := 0
	if s.date1904 {
		d = 1
	}
	g.Write(rec(rtDateMode, u16(d)))
	fonts := s.fonts
	if fonts == nil {
		fonts = []string{"Arial"}
	}
	for _, f := range fonts {
		g.Write(rec(rtFont, u16(200), u16(0), u16(0x7FFF), u16(400), u16(0), []byte{0, 0, 0, 0}, shortXL(f)))
	}
	for id, code := range s.formats {
		g.Write(rec(rtFormat, u16(id), xlString(code)))
	}
	xfs := s.xfs
	if xfs == nil {
		xfs = [][2]int{{0, 0}}
	}
	for _, x := range xfs {
		g.Write(rec(rtXF, u16(x[0]), u16(x[1]), u16(0x0001), make([]byte, 14)))
	}
	patches := make([]int, len(s.sheets))
	for i, sh := range s.sheets {
		patches[i] = g.Len() + 4
		g.Write(rec(rtBoundSheet, u32(0), []byte{byte(sh.state), byte(sh.kind)}, shortXL(sh.name)))
	}
	g.Write(s.sst)
	g.Write(s.extra)
	g.Write(eofRec)
	out := g.Bytes()
	for i, sh := range s.sheets {
		pos := len(out)
		out = append(out, bof(version, bofWorksheet)...)
		out = append(out, sh.records...)
		if !sh.noEOF {
			out = append(out, eofRec...)
		}
		if sh.pos != nil {
			pos = *sh.pos
		}
		binary.LittleEndian.PutUint32(out[patches[i]:], uint32(pos))
	}
	return append(out, s.trailer...)
}

// oleWith wraps a stream in a compound file (version 3, 512-byte sectors) as its only
// root stream. Streams under 4,096 bytes belong in the mini stream, which this writer
// does not build: they are padded with empty records after the last EOF, which
// readers pass over (Excel's own streams are often padded too).
func oleWith(name string, stream []byte) []byte {
	const sec = 512
	le := binary.LittleEndian
	if len(stream) < 4096 {
		stream = append(stream, make([]byte, 4096-len(stream))...)
	}
	nStream := (len(stream) + sec - 1) / sec
	nFAT := 1
	for (nFAT+1+nStream+127)/128 > nFAT {
		nFAT++
	}
	if nFAT > 109 {
		panic("stream too large for a header-only DIFAT")
	}
	total := nFAT + 1 + nStream
	buf := make([]byte, 512+total*sec)
	copy(buf, oleMagic)
	le.PutUint16(buf[24:], 0x3E)
	le.PutUint16(buf[26:], 3)
	le.PutUint16(buf[28:], 0xFFFE)
	le.PutUint16(buf[30:], 9)
	le.PutUint16(buf[32:], 6)
	le.PutUint32(buf[44:], uint32(nFAT))
	le.PutUint32(buf[48:], uint32(nFAT)) // directory follows the FAT
	le.PutUint32(buf[56:], 4096)
	le.PutUint32(buf[60:], 0xFFFFFFFE)
	le.PutUint32(buf[68:], 0xFFFFFFFE)
	for i := range 109 {
		v := uint32(0xFFFFFFFF)
		if i < nFAT {
			v = uint32(i)
		}
		le.PutUint32(buf[76+4*i:], v)
	}
	fat := buf[512 : 512+nFAT*sec]
	for i := 0; i < len(fat)/4; i++ {
		le.PutUint32(fat[4*i:], 0xFFFFFFFF)
	}
	for i := range nFAT {
		le.PutUint32(fat[4*i:], 0xFFFFFFFD)
	}
	le.PutUint32(fat[4*nFAT:], 0xFFFFFFFE) // directory: one sector
	first := nFAT + 1
	for i := range nStream {
		next := uint32(first + i + 1)
		if i == nStream-1 {
			next = 0xFFFFFFFE
		}
		le.PutUint32(fat[4*(first+i):], next)
	}
	dir := buf[512+nFAT*sec : 512+(nFAT+1)*sec]
	entry := func(i int, name string, typ byte, child uint32, start uint32, size int) {
		e := dir[i*128 : (i+1)*128]
		u := utf16.Encode([]rune(name))
		for k, c := range u {
			le.PutUint16(e[2*k:], c)
		}
		le.PutUint16(e[64:], uint16(2*(len(u)+1)))
		e[66] = typ
		e[67] = 1
		le.PutUint32(e[68:], 0xFFFFFFFF)
		le.PutUint32(e[72:], 0xFFFFFFFF)
		le.PutUint32(e[76:], child)
		le.PutUint32(e[116:], start)
		le.PutUint32(e[120:], uint32(size))
	}
	for i := range 4 {
		e := dir[i*128:]
		le.PutUint32(e[68:], 0xFFFFFFFF)
		le.PutUint32(e[72:], 0xFFFFFFFF)
		le.PutUint32(e[76:], 0xFFFFFFFF)
	}
	entry(0, "Root Entry", 5, 1, 0xFFFFFFFE, 0)
	entry(1, name, 2, 0xFFFFFFFF, uint32(first), len(stream))
	copy(buf[512+first*sec:], stream)
	return buf
}

// oleStreamDirEntry returns the offset in an oleWith file of the stream's directory
// entry, so tests can damage its start sector or size.
func oleStreamDirEntry(file []byte) int {
	nFAT := int(binary.LittleEndian.Uint32(file[44:]))
	return 512 + nFAT*512 + 128
}
