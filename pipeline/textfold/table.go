package textfold

import (
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// foldLo and foldHi bound the runes folded by table: Latin-1, Latin Extended-A and -B
// and Latin Extended Additional, where every Vietnamese letter lives.
const (
	foldLo = 0x00C0
	foldHi = 0x1EFF
)

// foldTable maps a letter to its base letter in lower case without diacritics ("Ễ" →
// 'e', "Đ" → 'd'), and a combining mark to -1; 0 means "not in the table". Key and
// Words look letters up here instead of decomposing every string, which was most of
// the time spent reading a sheet.
var foldTable = func() []rune {
	t := make([]rune, foldHi-foldLo+1)
	for r := rune(foldLo); r <= foldHi; r++ {
		if !unicode.IsLetter(r) {
			continue
		}
		var base rune
		for _, d := range norm.NFD.String(string(r)) {
			if !unicode.Is(unicode.Mn, d) {
				base = d
				break
			}
		}
		if base == 0 {
			continue
		}
		base = unicode.ToLower(base)
		if base == 'đ' || base == 'ð' {
			base = 'd'
		}
		t[r-foldLo] = base
	}
	return t
}()

// foldRune returns the folded letter or digit of r, -1 for a mark to drop, and 0 for
// anything else (a separator).
func foldRune(r rune) rune {
	switch {
	case r < utf8.RuneSelf:
		return foldASCII(byte(r))
	case r >= foldLo && r <= foldHi && foldTable[r-foldLo] != 0:
		return foldTable[r-foldLo]
	case r == '’' || r == '‘' || r == 'ʼ' || r == '´' || unicode.Is(unicode.Mn, r):
		return -1
	case unicode.IsLetter(r) || unicode.IsDigit(r):
		for _, d := range norm.NFD.String(string(r)) {
			if !unicode.Is(unicode.Mn, d) {
				return unicode.ToLower(d)
			}
		}
	}
	return 0
}

// foldASCII is foldRune for an ASCII byte, which needs no decoding: a letter in lower
// case, a digit as it is, -1 for an apostrophe, 0 for a separator.
func foldASCII(c byte) rune {
	switch {
	case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
		return rune(c)
	case c >= 'A' && c <= 'Z':
		return rune(c + 'a' - 'A')
	case c == '\'' || c == '`':
		return -1
	}
	return 0
}
