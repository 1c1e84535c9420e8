package vnlegacy

// A Vietnamese syllable is (initial consonant) + vowel nucleus + (final consonant), with at
// most one tone mark; stop finals (c ch p t) take only the acute or dot tone. Text decoded
// with the wrong table breaks these rules almost every word ("Néi", "Vaên", "Nguyeón"),
// so counting valid syllables tells the encodings apart. Loanwords and minority names
// that break them ("Brâu", "Đăk") count the same under every reading and cancel out.

var initials = []string{"ngh", "ng", "nh", "ch", "gh", "gi", "kh", "ph", "th", "tr", "qu",
	"b", "c", "d", "đ", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "x"}

var finals = []string{"ch", "nh", "ng", "c", "m", "n", "p", "t"}

// nuclei lists the vowel groups of Vietnamese rhymes (toneless), with whether they must
// (1), may (0) or must not (-1) be followed by a final consonant.
var nuclei = map[string]int{
	"a": 0, "ă": 1, "â": 1, "e": 0, "ê": 0, "i": 0, "o": 0, "ô": 0, "ơ": 0, "u": 0, "ư": 0, "y": 0,
	"ai": -1, "ao": -1, "au": -1, "ay": -1, "âu": -1, "ây": -1, "eo": -1, "êu": -1, "ia": -1, "iê": 1,
	"iu": -1, "oa": 0, "oă": 1, "oe": 0, "oi": -1, "ôi": -1, "ơi": -1, "oo": 1, "ua": -1, "uâ": 1,
	"uê": 0, "ui": -1, "uô": 1, "uơ": -1, "uy": 0, "ưa": -1, "ưi": -1, "ươ": 1, "ưu": -1, "yê": 1,
	"iêu": -1, "yêu": -1, "oai": -1, "oao": -1, "oay": -1, "oeo": -1, "uây": -1, "uôi": -1, "uya": -1,
	"uyê": 1, "uyu": -1, "ươi": -1, "ươu": -1,
}

func isVowelBase(r rune) bool {
	switch r {
	case 'a', 'ă', 'â', 'e', 'ê', 'i', 'o', 'ô', 'ơ', 'u', 'ư', 'y':
		return true
	}
	return false
}

// validSyllable reports whether word (any case, precomposed) is a well-formed
// Vietnamese syllable. buf is scratch space.
func validSyllable(word []rune, buf []rune) bool {
	base := buf[:0]
	tone := toneNone
	for _, r := range word {
		r = lowerRune(r)
		switch {
		case r >= 'a' && r <= 'z' || r == dLower:
			if isVowelBase(r) {
				base = append(base, r)
				continue
			}
			base = append(base, r)
		default:
			li, ok := info(r)
			if !ok || li.v < 0 {
				return false
			}
			if li.tone != toneNone {
				if tone != toneNone {
					return false // two tones
				}
				tone = int(li.tone)
			}
			base = append(base, vowelBase[li.v])
		}
	}
	if len(base) == 0 || len(base) > 8 {
		return false
	}
	rest := base
	for _, in := range initials {
		if hasPrefixRunes(rest, in) {
			after := rest[len([]rune(in)):]
			if (in == "gi" || in == "qu") && !anyVowel(after) {
				continue // "gì", "gìn": g + i
			}
			rest = after
			break
		}
	}
	final := ""
	for _, f := range finals {
		if hasSuffixRunes(rest, f) && len(rest) > len(f) {
			final = f
			rest = rest[:len(rest)-len(f)]
			break
		}
	}
	if len(rest) == 0 {
		return false
	}
	for _, r := range rest {
		if !isVowelBase(r) {
			return false
		}
	}
	need, ok := nuclei[string(rest)]
	if !ok {
		return false
	}
	switch {
	case need == 1 && final == "", need == -1 && final != "":
		return false
	}
	switch final {
	case "c", "ch", "p", "t":
		return tone == toneAcute || tone == toneDot
	}
	return true
}

func anyVowel(rs []rune) bool {
	for _, r := range rs {
		if isVowelBase(r) {
			return true
		}
	}
	return false
}

// hasPrefixRunes and hasSuffixRunes compare against ASCII or đ-only patterns.
func hasPrefixRunes(rs []rune, p string) bool {
	i := 0
	for _, c := range p {
		if i >= len(rs) || rs[i] != c {
			return false
		}
		i++
	}
	return true
}

func hasSuffixRunes(rs []rune, s string) bool {
	if len(s) > len(rs) {
		return false
	}
	off := len(rs) - len(s) // finals are ASCII
	for i := 0; i < len(s); i++ {
		if rs[off+i] != rune(s[i]) {
			return false
		}
	}
	return true
}
