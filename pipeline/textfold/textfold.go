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
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Clean returns s in NFC with control and zero-width characters removed, non-breaking and
// other Unicode spaces turned into plain spaces, runs of spaces folded and the ends trimmed.
// Line breaks inside a cell become single spaces. U+00D0 (Ð, Icelandic eth) becomes Đ,
// the letter it always stands for in Vietnamese sheets.
func Clean(s string) string {
	if isClean(s) {
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

// isClean reports whether Clean would return s unchanged: valid UTF-8 without marks
// (so NFC is not applied), without a character Clean drops or replaces, and with
// single plain spaces between words only. Most Vietnamese cells are typed so, and
// Clean then costs a scan and no allocation.
func isClean(s string) bool {
	prevSpace := true
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == ' ':
				if prevSpace {
					return false
				}
				prevSpace = true
			case c < 0x20 || c == 0x7f:
				return false
			default:
				prevSpace = false
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if !latinClean(r) && cleanChanges(r, size) {
			return false
		}
		prevSpace = false
		i += size
	}
	return !prevSpace || s == ""
}

// cleanChanges reports whether Clean changes a non-ASCII character of size bytes in
// s: drops or replaces it, or applies NFC for it (a mark).
func cleanChanges(r rune, size int) bool {
	switch {
	case r == utf8.RuneError && size == 1, // invalid: Clean writes U+FFFD for it
		r == '\u00D0', r == '\u00F0',
		r == '\u200B', r == '\u200C', r == '\u200D', r == '\uFEFF', r == '\u00AD',
		unicode.IsSpace(r), unicode.IsControl(r),
		r >= 0x0300 && (r <= 0x036F || unicode.Is(unicode.Mn, r)):
		return true
	}
	return false
}

// latinClean reports whether r is a character of Latin-1 Supplement, Latin
// Extended-A and -B or Latin Extended Additional that Clean keeps as it is: every
// Vietnamese letter. isClean takes these without asking cleanChanges, whose
// look-ups for "ệ" or "ữ" (a search of the mark and space tables) were most of its cost.
func latinClean(r rune) bool {
	return r >= 0xC0 && r < 0x300 && r != '\u00D0' && r != '\u00F0' || r >= 0x1E00 && r <= 0x1EFF
}

// Key folds s for matching: see the package comment.
//
// Key runs for nearly every cell of every row, so it avoids work where it can: a text
// that is already a key (most ASCII values: "nam", "2021") is returned as it is, and
// the key of any other text is built on the stack and copied once.
func Key(s string) string {
	if isKey(s) {
		return s
	}
	var buf [64]byte
	return string(AppendKey(buf[:0], s))
}

// AppendKey appends Key(s) to dst and returns the extended buffer. With a buffer the
// caller keeps, a key used only to look up a map (m[string(b)]) costs no allocation.
func AppendKey(dst []byte, s string) []byte {
	start := len(dst)
	space := true // suppress a leading space
	for i := 0; i < len(s); {
		var f rune
		if c := s[i]; c < utf8.RuneSelf {
			f = foldASCII(c)
			i++
		} else {
			r, size := utf8.DecodeRuneInString(s[i:])
			f = foldRune(r)
			i += size
		}
		switch {
		case f < 0:
			continue
		case f > 0:
			dst = utf8.AppendRune(dst, f)
			space = false
		case !space:
			dst = append(dst, ' ')
			space = true
		}
	}
	if len(dst) > start && dst[len(dst)-1] == ' ' {
		dst = dst[:len(dst)-1]
	}
	return dst
}

// AppendKeyWord appends the first word of Key(s) to dst: Key's folding stopped at the
// first separator after a letter or a digit, for a caller that rules most texts out by
// their first word ("nguyen" of "Nguyễn Văn An") before folding them whole. Its loop
// is AppendKey's written out again: a function for the character's folding, which the
// compiler does not inline, made Key 13% slower.
func AppendKeyWord(dst []byte, s string) []byte {
	start := len(dst)
	for i := 0; i < len(s); {
		var f rune
		if c := s[i]; c < utf8.RuneSelf {
			f = foldASCII(c)
			i++
		} else {
			r, size := utf8.DecodeRuneInString(s[i:])
			f = foldRune(r)
			i += size
		}
		switch {
		case f > 0:
			dst = utf8.AppendRune(dst, f)
		case f == 0 && len(dst) > start:
			return dst
		}
	}
	return dst
}

// isKey reports whether s is its own key: lower-case ASCII letters and digits in words
// parted by single spaces, as codes, numbers and keys folded before are.
func isKey(s string) bool {
	prevSpace := true
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
			prevSpace = false
		case c == ' ' && !prevSpace:
			prevSpace = true
		default:
			return false
		}
	}
	return !prevSpace || s == ""
}

// Compact returns Key(s) without spaces.
func Compact(s string) string {
	var buf [64]byte
	return string(AppendCompact(buf[:0], s))
}

// AppendCompact appends Compact(s) to dst and returns the extended buffer.
func AppendCompact(dst []byte, s string) []byte {
	start := len(dst)
	dst = AppendKey(dst, s)
	out := dst[:start]
	for _, c := range dst[start:] {
		if c != ' ' {
			out = append(out, c)
		}
	}
	return out
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
