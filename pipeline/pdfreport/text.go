package pdfreport

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Text going into the PDF: cleaning and line breaking. Every string drawn passes
// through clean, and every string that may be longer than its box through wrap.

// clean makes text safe to measure and draw: NFC (a decomposed "ế" would be drawn
// with misplaced marks and extracted as two characters), no control characters, no
// invisible format characters, and nothing outside the Basic Multilingual Plane
// (fpdf's width tables stop there). Line feeds are kept for wrap.
func clean(s string) string {
	if isClean(s) {
		return s
	}
	s = norm.NFC.String(s)
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\n':
			return r
		case r == '\t' || r == '\r' || r == '\u00a0':
			return ' '
		case unicode.IsControl(r), unicode.Is(unicode.Cf, r), r == '\u00ad':
			return -1
		case r > 0xFFFF:
			return '?'
		}
		return r
	}, s)
}

// isClean is clean's fast path: printable ASCII, or NFC text without anything clean
// would change.
func isClean(s string) bool {
	ascii := true
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c > 0x7e {
			ascii = false
			break
		}
	}
	if ascii {
		return true
	}
	if !norm.NFC.IsNormalString(s) {
		return false
	}
	for _, r := range s {
		if r < 0x20 && r != '\n' || r == 0x7f || r == utf8.RuneError || r > 0xFFFF ||
			r == '\u00a0' || r == '\u00ad' || unicode.IsControl(r) || unicode.Is(unicode.Cf, r) {
			return false
		}
	}
	return true
}

// oneLine is clean text with line feeds turned into spaces.
func oneLine(s string) string {
	return strings.ReplaceAll(clean(s), "\n", " ")
}

// wrap cleans s and breaks it into lines that fit the current font: the first line
// in first millimetres, the others in rest. Words break at spaces; a word longer than
// a line (a file name, a URL) breaks between characters. A line feed starts a line.
func (d *doc) wrap(s string, first, rest float64) []string {
	s = clean(s)
	_, unit := d.pdf.GetFontSize() // mm per em
	if unit <= 0 {
		return []string{s}
	}
	limit := func(n int) int { // in glyph units (1/1000 em)
		if n == 0 {
			return int(first * 1000 / unit)
		}
		return int(rest * 1000 / unit)
	}
	space := d.pdf.GetStringSymbolWidth(" ")
	var out []string
	for _, para := range strings.Split(s, "\n") {
		words := strings.Fields(para)
		if len(words) == 0 {
			out = append(out, "")
			continue
		}
		var cur strings.Builder
		curW := 0
		flush := func() {
			out = append(out, cur.String())
			cur.Reset()
			curW = 0
		}
		for _, word := range words {
			ww := d.pdf.GetStringSymbolWidth(word)
			if cur.Len() > 0 && curW+space+ww <= limit(len(out)) {
				cur.WriteByte(' ')
				cur.WriteString(word)
				curW += space + ww
				continue
			}
			if cur.Len() > 0 {
				flush()
			}
			for ww > limit(len(out)) {
				head, tail := d.cut(word, limit(len(out)))
				if tail == "" { // one character wider than the line: let it overflow
					break
				}
				out = append(out, head)
				word = tail
				ww = d.pdf.GetStringSymbolWidth(word)
			}
			cur.WriteString(word)
			curW = ww
		}
		flush()
	}
	return out
}

// cut splits a word at the last character that fits in limit glyph units (at least
// one character, so that wrapping always advances).
func (d *doc) cut(word string, limit int) (string, string) {
	w := 0
	for i, r := range word {
		w += d.pdf.GetStringSymbolWidth(string(r))
		if w > limit && i > 0 {
			return word[:i], word[i:]
		}
	}
	return word, ""
}
