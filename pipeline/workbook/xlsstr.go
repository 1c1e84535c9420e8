package workbook

import (
	"errors"
	"unicode/utf16"
	"unicode/utf8"
)

// BIFF8 strings are Unicode. Each has a character count (cch) and a flags byte whose
// bit 0 (fHighByte) says whether the characters are stored as UTF-16LE code units
// or "compressed", one byte each: the low byte of a code unit whose high byte is zero
// (so U+0000–U+00FF, Latin-1). Compressed bytes are not in the workbook's codepage.
// TCVN3 text such as "Hµ Néi" therefore reads as the same Latin-1 characters an .xlsx
// holds, and legacy-encoding detection sees the same text from both formats.

var errStringPastEnd = errors.New("string runs past the end of its record")

// appendLatin1 appends compressed characters as UTF-8.
func appendLatin1(dst, src []byte) []byte {
	for _, c := range src {
		if c < utf8.RuneSelf {
			dst = append(dst, c)
		} else {
			dst = append(dst, 0xC0|c>>6, 0x80|c&0x3F)
		}
	}
	return dst
}

// utf16Decoder turns UTF-16LE code units into UTF-8, keeping a high surrogate across
// calls (a CONTINUE boundary may fall between the two halves of a pair). An unpaired
// surrogate becomes U+FFFD, as in Excel's own display.
type utf16Decoder struct{ hi rune }

func (d *utf16Decoder) append(dst, src []byte) []byte {
	for i := 0; i+1 < len(src); i += 2 {
		u := rune(src[i]) | rune(src[i+1])<<8
		switch {
		case d.hi != 0 && u >= 0xDC00 && u <= 0xDFFF:
			dst = utf8.AppendRune(dst, utf16.DecodeRune(d.hi, u))
			d.hi = 0
			continue
		case d.hi != 0:
			dst = utf8.AppendRune(dst, utf8.RuneError)
			d.hi = 0
		}
		switch {
		case u >= 0xD800 && u <= 0xDBFF:
			d.hi = u
		case u >= 0xDC00 && u <= 0xDFFF:
			dst = utf8.AppendRune(dst, utf8.RuneError)
		case u < utf8.RuneSelf:
			dst = append(dst, byte(u))
		default:
			dst = utf8.AppendRune(dst, u)
		}
	}
	return dst
}

func (d *utf16Decoder) flush(dst []byte) []byte {
	if d.hi != 0 {
		dst = utf8.AppendRune(dst, utf8.RuneError)
		d.hi = 0
	}
	return dst
}

// shortString reads a string that lives inside one record: a character count of
// lenBytes bytes (1 for ShortXLUnicodeString, 2 for XLUnicodeString), a flags byte
// and the characters.
func shortString(b []byte, lenBytes int) (string, error) {
	if len(b) < lenBytes+1 {
		return "", errStringPastEnd
	}
	cch := int(b[0])
	if lenBytes == 2 {
		cch = int(le16(b))
	}
	high := b[lenBytes]&1 != 0
	b = b[lenBytes+1:]
	if high {
		if len(b) < 2*cch {
			return "", errStringPastEnd
		}
		var d utf16Decoder
		out := d.append(make([]byte, 0, 2*cch), b[:2*cch])
		return string(d.flush(out)), nil
	}
	if len(b) < cch {
		return "", errStringPastEnd
	}
	return string(appendLatin1(make([]byte, 0, cch+cch/2), b[:cch])), nil
}

// contReader reads a record that continues in CONTINUE records (SST, STRING) as the
// specification requires: structure fields run on from one record into the next, but
// when the characters of a string are split, the continuing record starts with a new
// flags byte, and the rest of the string may switch between compressed and UTF-16.
type contReader struct {
	segs [][]byte // bodies of the record and its CONTINUE records
	i    int      // current body
	pos  int      // position in it
	tmp  [8]byte
}

// atEnd reports whether every byte has been read.
func (c *contReader) atEnd() bool {
	for i := c.i; i < len(c.segs); i++ {
		p := 0
		if i == c.i {
			p = c.pos
		}
		if p < len(c.segs[i]) {
			return false
		}
	}
	return true
}

// read returns the next n (at most 8) bytes, which may straddle two records.
func (c *contReader) read(n int) ([]byte, error) {
	if c.i < len(c.segs) && c.pos+n <= len(c.segs[c.i]) {
		b := c.segs[c.i][c.pos : c.pos+n]
		c.pos += n
		return b, nil
	}
	out := c.tmp[:0]
	for len(out) < n {
		if c.i >= len(c.segs) {
			return nil, errStringPastEnd
		}
		seg := c.segs[c.i]
		if c.pos >= len(seg) {
			c.i, c.pos = c.i+1, 0
			continue
		}
		k := min(n-len(out), len(seg)-c.pos)
		out = append(out, seg[c.pos:c.pos+k]...)
		c.pos += k
	}
	return out, nil
}

// skip passes over n bytes (rich-text runs, phonetic data), failing if fewer remain.
// n comes from the file and may be anything up to 4 GB: nothing is allocated for it.
func (c *contReader) skip(n int64) error {
	for n > 0 {
		if c.i >= len(c.segs) {
			return errStringPastEnd
		}
		left := int64(len(c.segs[c.i]) - c.pos)
		if left <= 0 {
			c.i, c.pos = c.i+1, 0
			continue
		}
		k := min(n, left)
		c.pos += int(k)
		n -= k
	}
	return nil
}

// chars appends cch characters as UTF-8, applying the flags-byte rule at each record
// boundary the characters cross.
func (c *contReader) chars(dst []byte, cch int, high bool) ([]byte, error) {
	var d utf16Decoder
	for cch > 0 {
		if c.i >= len(c.segs) {
			return dst, errStringPastEnd
		}
		seg := c.segs[c.i][c.pos:]
		if len(seg) == 0 || high && len(seg) < 2 {
			// The characters go on in the next record, which starts with the flags
			// byte for the rest of the string. (A lone byte left over from a UTF-16
			// character split in the middle is damage; it is dropped.)
			c.i++
			for c.i < len(c.segs) && len(c.segs[c.i]) == 0 {
				c.i++ // an empty CONTINUE carries nothing, not even the flags byte
			}
			if c.i >= len(c.segs) {
				return dst, errStringPastEnd
			}
			high, c.pos = c.segs[c.i][0]&1 != 0, 1
			continue
		}
		if high {
			k := min(len(seg)/2, cch)
			dst = d.append(dst, seg[:2*k])
			c.pos += 2 * k
			cch -= k
		} else {
			k := min(len(seg), cch)
			dst = appendLatin1(d.flush(dst), seg[:k]) // a dangling high surrogate is an error mark, in place
			c.pos += k
			cch -= k
		}
	}
	return d.flush(dst), nil
}

// richString reads an XLUnicodeRichExtendedString (a shared-string entry): cch, flags,
// the optional run count and extension size, the characters, the formatting runs and
// the phonetic extension. It returns the text appended to dst and the FONT index of
// the first formatting run, or -1 when the string has none.
func (c *contReader) richString(dst []byte) ([]byte, int, error) {
	h, err := c.read(3)
	if err != nil {
		return dst, -1, err
	}
	cch, flags := int(le16(h)), h[2]
	var runs int
	var ext int64
	if flags&0x08 != 0 { // fRichSt
		b, err := c.read(2)
		if err != nil {
			return dst, -1, err
		}
		runs = int(le16(b))
	}
	if flags&0x04 != 0 { // fExtSt
		b, err := c.read(4)
		if err != nil {
			return dst, -1, err
		}
		ext = int64(le32(b))
	}
	if dst, err = c.chars(dst, cch, flags&1 != 0); err != nil {
		return dst, -1, err
	}
	font := -1
	if runs > 0 {
		b, err := c.read(4) // FormatRun: ich, ifnt
		if err != nil {
			return dst, -1, err
		}
		font = int(le16(b[2:]))
		if err := c.skip(4 * int64(runs-1)); err != nil {
			return dst, -1, err
		}
	}
	if err := c.skip(ext); err != nil {
		return dst, -1, err
	}
	return dst, font, nil
}

// plainString reads an XLUnicodeString (cch on two bytes, flags, characters) that may
// continue in CONTINUE records: the STRING record after a formula, LABEL, RSTRING.
// Whatever follows the characters (the runs of an RSTRING) is not needed.
func (c *contReader) plainString(dst []byte) ([]byte, error) {
	h, err := c.read(3)
	if err != nil {
		return dst, err
	}
	return c.chars(dst, int(le16(h)), h[2]&1 != 0)
}
