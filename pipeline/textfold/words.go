package textfold

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Word is one word of a text as header matching sees it. Fold is the word's Key
// ("nam"); Marks is its lower-case spelling with diacritics, tone marks placed the new
// way ("năm", and "hoà" becomes "hòa"). A word typed without any diacritic has Marks
// equal to Fold.
type Word struct {
	Fold, Marks string
}

// Marked reports whether the word was written with diacritics.
func (w Word) Marked() bool { return w.Fold != w.Marks }

// Words splits s into words the way Key does (apostrophes deleted, other punctuation a
// separator), keeping each word's diacritics beside its folded form.
func Words(s string) []Word {
	var out []Word
	var fold, marks strings.Builder
	flush := func() {
		if fold.Len() > 0 {
			out = append(out, Word{Fold: fold.String(), Marks: newTone(marks.String())})
		}
		fold.Reset()
		marks.Reset()
	}
	if !isASCII(s) {
		s = norm.NFC.String(s)
	}
	for _, r := range s {
		f := foldRune(r)
		if f < 0 && !unicode.Is(unicode.Mn, r) {
			continue // an apostrophe: "H'Mông" is one word
		}
		if f == 0 {
			flush()
			continue
		}
		switch r {
		case 'Ð':
			r = 'Đ'
		case 'ð':
			r = 'đ'
		}
		marks.WriteRune(unicode.ToLower(r))
		if f > 0 {
			fold.WriteRune(f)
		}
	}
	flush()
	return out
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// WordsMatch reports whether the words of a text someone typed (got) spell the words of
// a configured phrase (want). The folded words must be equal; beyond that a word typed
// with diacritics must have the same ones, while a word typed without any may stand for
// any spelling. So "Ngay sinh" matches "ngày sinh", but "Năm" (year) does not match
// "nam" (male) and "Phải" does not match "phái": diacritics are evidence when present.
func WordsMatch(got, want []Word) bool {
	if len(got) != len(want) {
		return false
	}
	return WordsPrefix(got, want)
}

// WordsEqual reports whether got spells want with exactly its diacritics: the strict
// reading tried before WordsMatch, so that a header "Nam" is the sex before it is a
// "năm" typed without accents.
func WordsEqual(got, want []Word) bool {
	if len(got) != len(want) {
		return false
	}
	for i := range want {
		if got[i].Marks != want[i].Marks {
			return false
		}
	}
	return true
}

// WordsPrefix reports whether got starts with the words of want, by the rule of
// WordsMatch.
func WordsPrefix(got, want []Word) bool {
	if len(want) == 0 || len(got) < len(want) {
		return false
	}
	for i, w := range want {
		if g := got[i]; g.Fold != w.Fold || (g.Marked() && g.Marks != w.Marks) {
			return false
		}
	}
	return true
}

// JoinFold returns the folded words joined by spaces: the Key of the text they came from.
func JoinFold(ws []Word) string {
	parts := make([]string, len(ws))
	for i, w := range ws {
		parts[i] = w.Fold
	}
	return strings.Join(parts, " ")
}

// Lower lower-cases a text, keeps its diacritics, writes tone marks the new way ("uỷ" →
// "ủy") and turns punctuation into single spaces: "HUYỆN UỶ, KẾ SÁCH" → "huyện ủy kế
// sách". Layout words are compared in this form, where "Cộng" (a total) and "Công"
// (công chức) stay apart.
//
// Every row's first text (most often a name) goes through Lower, so it is done in one
// pass over the cleaned text, on the stack, with one copy for the result.
func Lower(s string) string {
	var buf [64]byte
	return string(AppendLower(buf[:0], s))
}

// AppendLower appends Lower(s) to dst and returns the extended buffer, for a caller that
// only looks at the words and need not keep them.
func AppendLower(dst []byte, s string) []byte {
	return appendLower(dst, Clean(s))
}

// appendLower appends the Lower form of a cleaned text to dst: its letters and digits
// lower-cased, every other run of characters a single space between words, each
// word's tone mark moved as newTone does.
func appendLower(dst []byte, s string) []byte {
	start := len(dst)
	word := -1 // where the word being written starts in dst; -1 between words
	for i := 0; i < len(s); {
		var r rune
		if c := s[i]; c < utf8.RuneSelf {
			if c >= 'A' && c <= 'Z' {
				c += 'a' - 'A'
			}
			r = rune(c)
			i++
		} else {
			var size int
			r, size = utf8.DecodeRuneInString(s[i:])
			r = unicode.ToLower(r)
			i += size
		}
		if !isWordRune(r) {
			if word >= 0 {
				dst, word = newToneAt(dst, word), -1
			}
			continue
		}
		if word < 0 {
			if len(dst) > start {
				dst = append(dst, ' ')
			}
			word = len(dst)
		}
		dst = utf8.AppendRune(dst, r)
	}
	if word >= 0 {
		dst = newToneAt(dst, word)
	}
	return dst
}

// isWordRune reports whether r is part of a word for Lower: a letter or a digit.
//
// Latin Extended-A and -B and Latin Extended Additional hold letters only, so a
// Vietnamese letter there ("ệ", "ơ") is one without a search of the letter table.
func isWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9'
	}
	if r >= 0x100 && r <= 0x24F || r >= 0x1E00 && r <= 0x1EFF {
		return true
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}

// newToneAt is newTone for the word that ends dst and starts at dst[word:], rewritten
// in place: "uỷ" → "ủy".
func newToneAt(dst []byte, word int) []byte {
	w := dst[word:]
	_, n1 := utf8.DecodeLastRune(w)
	if n1 == len(w) {
		return dst // one letter
	}
	_, n2 := utf8.DecodeLastRune(w[:len(w)-n1])
	at := len(w) - n1 - n2 // where the last two letters start
	if n2 != 1 || w[at] != 'o' && w[at] != 'u' {
		// Every old-style pair starts with "o" or "u" (oldTone): most words end
		// otherwise and need no look-up, which every word of every Lower made.
		return dst
	}
	if at > 0 {
		if r3, _ := utf8.DecodeLastRune(w[:at]); r3 == 'q' {
			return dst // "quý": "qu" is a consonant
		}
	}
	nw, ok := oldTone[string(w[at:])]
	if !ok {
		return dst
	}
	return append(dst[:word+at], nw...)
}

// oldTone maps the last two letters of a word with the tone mark placed the old way to
// the new way: "uỷ" → "ủy", "hoà" → "hòa".
var oldTone = func() map[string]string {
	m := map[string]string{}
	for _, g := range []struct{ first, second, old, new string }{
		{"o", "a", "àáảãạ", "òóỏõọ"}, {"o", "e", "èéẻẽẹ", "òóỏõọ"}, {"u", "y", "ỳýỷỹỵ", "ùúủũụ"},
	} {
		old, nw := []rune(g.old), []rune(g.new)
		for i := range old {
			m[g.first+string(old[i])] = string(nw[i]) + g.second
		}
	}
	return m
}()

// NewTone rewrites a lower-case word ending with its tone mark placed the old way
// ("uỷ", "hoà") the new way ("ủy", "hòa").
func NewTone(w string) string { return newTone(w) }

// newTone rewrites a lower-case word ending in an old-style open syllable; "quý", where
// "qu" is a consonant, is the same both ways.
func newTone(w string) string {
	r := []rune(w)
	if len(r) < 2 || (len(r) >= 3 && r[len(r)-3] == 'q') {
		return w
	}
	if nw, ok := oldTone[string(r[len(r)-2:])]; ok {
		return string(r[:len(r)-2]) + nw
	}
	return w
}

// AppendFirstLower appends the first word of Lower(s) to dst, reading s only as far
// as that word, for a caller that asks of many texts (every name, every row's first
// text) whether they start with one of a few words. It can tell when nothing up to
// the end of the word is a character Clean changes: s holds only printable ASCII
// before the word, the word only ASCII letters and digits and precomposed Latin
// letters other than Ð and ð (in blocks where NFC changes no letter), and it ends at an
// ASCII character or at the end of s. ok is false otherwise, and when s has no word:
// the caller must then take Lower(s).
func AppendFirstLower(dst []byte, s string) (_ []byte, ok bool) {
	start, end := -1, len(s)
scan:
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c < 0x20 || c == 0x7f:
				return dst, false
			case 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9':
				if start < 0 {
					start = i
				}
			case start >= 0:
				end = i
				break scan
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		latin := r < 0x250 || 0x1E00 <= r && r <= 0x1EFF
		if !latin || r == '\u00D0' || r == '\u00F0' || !unicode.IsLetter(r) {
			return dst, false
		}
		if start < 0 {
			start = i
		}
		i += size
	}
	if start < 0 {
		return dst, false
	}
	return appendLower(dst, s[start:end]), true
}

// FirstWords returns the distinct first words of texts in Lower or Key form (words
// parted by single spaces), in order: what AppendFirstLower's or AppendKeyWord's word
// is compared with, made once rather than cut from every text at every comparison.
func FirstWords(texts []string) []string {
	var out []string
	for _, t := range texts {
		if w, _, _ := strings.Cut(t, " "); !slices.Contains(out, w) {
			out = append(out, w)
		}
	}
	return out
}

// FirstLowerIn reports whether the first word of Lower(s) is one of words (FirstWords
// of texts in Lower form), looking at that word only (AppendFirstLower). ok is false
// when it cannot tell so: the caller must then look at Lower(s).
func FirstLowerIn(s string, words []string) (in, ok bool) {
	var buf [32]byte
	w, ok := AppendFirstLower(buf[:0], s)
	if !ok {
		return false, false
	}
	return slices.Contains(words, string(w)), true
}
