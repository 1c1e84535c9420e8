package docxreport

import (
	"bytes"
	"encoding/xml"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// clean makes text safe for WordprocessingML and for Word's search: NFC (a decomposed
// "ế" would be two characters to find and to spell-check), no control characters but
// the line feed (XML 1.0 forbids most of them), tabs and carriage returns as spaces.
func clean(s string) string {
	s = norm.NFC.String(s)
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\n':
			return r
		case r == '\t' || r == '\r':
			return ' '
		case r == unicode.ReplacementChar, r == 0xFFFE, r == 0xFFFF, unicode.IsControl(r):
			return -1
		}
		return r
	}, s)
}

// esc is s cleaned and escaped for XML text or an attribute.
func esc(s string) string {
	var b bytes.Buffer
	_ = xml.EscapeText(&b, []byte(clean(s))) // writes to memory: no error
	return b.String()
}

// words is running text with its spaces as the PDF sets them: one between words, none
// at the ends of a line. The report's sentences have no double space (reporttext's
// tests see to it); a label an office rewrote may. Line feeds stay.
func words(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.Join(strings.Fields(l), " ")
	}
	return strings.Join(lines, "\n")
}
