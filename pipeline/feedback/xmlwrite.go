package feedback

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// escapeText appends s to dst escaped for element content. Characters XML 1.0 cannot
// carry (most C0 controls) are written as OOXML's _xHHHH_ escape, which Excel turns
// back into the character; an underscore that would otherwise read as such an escape
// is itself escaped, so the text round-trips. Invalid UTF-8 becomes U+FFFD.
func escapeText(dst []byte, s string) []byte { return escapeXML(dst, s, false) }

// escapeAttr is escapeText for an attribute value in double quotes: quotes and the
// whitespace characters an attribute would normalise away are escaped too.
func escapeAttr(dst []byte, s string) []byte { return escapeXML(dst, s, true) }

func escapeXML(dst []byte, s string, attr bool) []byte {
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			dst = append(dst, "\uFFFD"...)
		case r == '&':
			dst = append(dst, "&amp;"...)
		case r == '<':
			dst = append(dst, "&lt;"...)
		case r == '>':
			dst = append(dst, "&gt;"...)
		case r == '"' && attr:
			dst = append(dst, "&quot;"...)
		case (r == '\n' || r == '\r' || r == '\t') && attr:
			dst = fmt.Appendf(dst, "&#%d;", r)
		case r == '\r':
			dst = append(dst, "&#13;"...)
		case r == '\n' || r == '\t':
			dst = append(dst, byte(r))
		case r < 0x20 || r == 0xFFFE || r == 0xFFFF:
			dst = fmt.Appendf(dst, "_x%04X_", r)
		case r == '_' && looksEscaped(s[i:]):
			dst = append(dst, "_x005F_"...)
		default:
			dst = append(dst, s[i:i+size]...)
		}
		i += size
	}
	return dst
}

// looksEscaped reports whether s starts with an _xHHHH_ escape.
func looksEscaped(s string) bool {
	if len(s) < 7 || s[1] != 'x' || s[6] != '_' {
		return false
	}
	for _, c := range []byte(s[2:6]) {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return true
}

// needsPreserve reports whether text needs xml:space="preserve" to keep its
// leading or trailing whitespace or its line breaks.
func needsPreserve(s string) bool {
	return s != strings.TrimSpace(s) || strings.ContainsAny(s, "\n\t")
}

func itoa(n int) string { return strconv.Itoa(n) }
