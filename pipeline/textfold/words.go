package textfold

import (
	"strings"
	"unicode"

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
func Lower(s string) string {
	s = strings.ToLower(Clean(s))
	var b strings.Builder
	space := true
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
			space = false
		} else if !space {
			b.WriteByte(' ')
			space = true
		}
	}
	words := strings.Fields(b.String())
	for i, w := range words {
		words[i] = newTone(w)
	}
	return strings.Join(words, " ")
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
