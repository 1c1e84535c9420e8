// Package textfold cleans Vietnamese text for display and folds it into keys for matching.
//
// Two functions matter:
//
//	Clean("  Nguye\u0302\u0303n\u00a0 Văn  A ") == "Nguyễn Văn A"   // NFC, spaces folded: for display
//	Key("Thạc sỹ (Kinh tế)")                    == "thac sy kinh te" // for matching only
//
// Key lowercases, removes every diacritic (including đ → d and the look-alike Ð, U+00D0),
// deletes apostrophes (H'Mông → hmong), turns any other punctuation into a space and
// folds runs of spaces. Old and new tone placement (hòa/hoà) and NFC/NFD forms give the
// same key. Compact removes the spaces as well, so "Xơ-đăng", "Xơ Đăng" and "Xơđăng" meet.
package textfold

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Clean returns s in NFC with control and zero-width characters removed, non-breaking and
// other Unicode spaces turned into plain spaces, runs of spaces folded and the ends trimmed.
// Line breaks inside a cell become single spaces. U+00D0 (Ð, Icelandic eth) becomes Đ,
// the letter it always stands for in Vietnamese sheets.
func Clean(s string) string {
	if isCleanASCII(s) {
		return s
	}
	if hasMark(s) {
		s = norm.NFC.String(s) // decomposed text: "e" + U+0302 + U+0303 → "ễ"
	}
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		switch {
		case r == '\u00D0':
			r = '\u0110'
		case r == '\u00F0':
			r = '\u0111'
		case r == '\u200B' || r == '\u200C' || r == '\u200D' || r == '\uFEFF' || r == '\u00AD':
			continue
		case unicode.IsSpace(r) || r == '\u00A0':
			space = true
			continue
		case unicode.IsControl(r):
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(r)
	}
	return b.String()
}

// hasMark reports whether s holds a combining mark, the only thing that NFC changes in
// the text canbo reads (precomposed Vietnamese is already NFC).
func hasMark(s string) bool {
	for _, r := range s {
		if r >= 0x0300 && (r <= 0x036F || unicode.Is(unicode.Mn, r)) {
			return true
		}
	}
	return false
}

// isCleanASCII reports whether s is printable ASCII with single inner spaces and no
// spaces at the ends, which is most cells; Clean returns such strings unchanged.
func isCleanASCII(s string) bool {
	prevSpace := true
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 || c >= 0x7f {
			return false
		}
		if c == ' ' {
			if prevSpace {
				return false
			}
			prevSpace = true
			continue
		}
		prevSpace = false
	}
	return !prevSpace || s == ""
}

// Key folds s for matching: see the package comment.
func Key(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := true // suppress a leading space
	for _, r := range s {
		f := foldRune(r)
		switch {
		case f < 0:
			continue
		case f > 0:
			b.WriteRune(f)
			space = false
		case !space:
			b.WriteByte(' ')
			space = true
		}
	}
	out := b.String()
	return strings.TrimSuffix(out, " ")
}

// Compact returns Key(s) without spaces.
func Compact(s string) string {
	return strings.ReplaceAll(Key(s), " ", "")
}

// HasWords reports whether the folded key k contains the folded key w as a whole-word
// sequence: HasWords("trinh do chuyen mon", "chuyen mon") is true, HasWords("hoc vien", "vi") is false.
func HasWords(k, w string) bool {
	return WordIndex(k, w) >= 0
}

// WordIndex returns the byte offset of w inside k at word boundaries, or -1.
func WordIndex(k, w string) int {
	if w == "" {
		return -1
	}
	for from := 0; from <= len(k)-len(w); {
		i := strings.Index(k[from:], w)
		if i < 0 {
			return -1
		}
		i += from
		end := i + len(w)
		if (i == 0 || k[i-1] == ' ') && (end == len(k) || k[end] == ' ') {
			return i
		}
		from = i + 1
	}
	return -1
}

// HasPrefixWords reports whether key k starts with the words of w.
func HasPrefixWords(k, w string) bool {
	return w != "" && strings.HasPrefix(k, w) && (len(k) == len(w) || k[len(w)] == ' ')
}

// IsUpper reports whether s has letters and all of them are capitals, as in a title
// block ("UBND XÃ NGHĨA TÁ") or a group row ("CÁN BỘ").
func IsUpper(s string) bool {
	letters := 0
	for _, r := range s {
		if unicode.IsLetter(r) {
			if unicode.IsLower(r) {
				return false
			}
			letters++
		}
	}
	return letters > 0
}

// Distance returns the Damerau–Levenshtein (optimal string alignment) distance between
// two short strings, capped at max+1 so it stays cheap on long inputs.
func Distance(a, b string, max int) int {
	ra, rb := []rune(a), []rune(b)
	if d := len(ra) - len(rb); d > max || -d > max {
		return max + 1
	}
	prev2 := make([]int, len(rb)+1)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		rowMin := cur[0]
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			v := min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				v = min(v, prev2[j-2]+1)
			}
			cur[j] = v
			rowMin = min(rowMin, v)
		}
		if rowMin > max {
			return max + 1
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return min(prev[len(rb)], max+1)
}

// Closest returns the name in names closest to s when it is close enough (at most
// two edits) to be a typo of it, else "": the "có phải …?" of configuration messages.
func Closest(s string, names []string) string {
	best, bestD := "", 3
	for _, n := range names {
		if d := Distance(s, n, 2); d < bestD {
			best, bestD = n, d
		}
	}
	return best
}
