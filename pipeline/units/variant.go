// Package units tells which unit a name found in a file is: the unit the office's
// registry (config/units.yaml) knows by that name or another spelling of it, or, for
// a name it does not know, the closest registered name as a suggestion. Without a
// registry it still tells the obvious variants of one unit apart from different units
// (Merge), so that "UBND xã Đăk Kôi, huyện Kon Rẫy" and "UBND xã Đăk Kôi - Kon Rẫy"
// are counted once while two communes of one name in two former districts stay two.
//
// The package reads only strings: pipeline/schema builds a Registry from units.yaml
// and checks it with the conflicts New reports, and counting asks it for each name.
package units

import (
	"strings"

	"canbo/pipeline/textfold"
)

// Key folds a unit name for the registry: textfold.UnitKey ("UBND xã Nghĩa Tá" and
// "Ủy ban nhân dân xã Nghĩa Tá" meet) without spaces, so that "Đăk Tơ Lung" and
// "Đăk Tơlung", which clerks write both ways, meet too. Two units of a province never
// differ by a space alone, so nothing is merged that should not be.
func Key(name string) string {
	return strings.ReplaceAll(textfold.UnitKey(name), " ", "")
}

// levelWord is a word naming an administrative level: as written with its
// diacritics, lower case, and the level it stands for, folded.
type levelWord struct{ marks, level string }

// upperLevels are the words that name a level above the commune in a qualifier (",
// huyện Kon Rẫy", "(thành phố Kon Tum)"), with the abbreviations clerks use, each
// standing for the level's full name so that "TP Kon Tum" and "thành phố Kon Tum" are
// one qualifier. Districts were abolished on 1/7/2025, but files and history written
// before still name them, and a file may name the province too. These are words of
// the language, not of one office's hierarchy (which units.yaml configures), so they
// are fixed here.
var upperLevels = []levelWord{
	{"thành phố", "thanh pho"}, {"tp", "thanh pho"}, {"thị xã", "thi xa"}, {"tx", "thi xa"},
	{"huyện", "huyen"}, {"quận", "quan"}, {"tỉnh", "tinh"},
}

// communeLevels are the words that make a name a commune-level unit's ("UBND xã …",
// "Đảng ủy phường …"). Only such a name may carry a qualifier without a level word
// ("xã Đăk Kôi - Kon Rẫy"): elsewhere " - " is part of the name ("Sở Lao động -
// Thương binh và Xã hội") or joins two units ("Tổng hợp CBCC Yên Phong - Yên Thịnh").
var communeLevels = []levelWord{{"xã", "xa"}, {"phường", "phuong"}, {"thị trấn", "thi tran"}, {"đặc khu", "dac khu"}}

// maxPlaceWords is the most words a qualifier without a level word may have: place
// names are one to four words ("Ia H'Drai", "Tu Mơ Rông"); a longer tail is a name.
const maxPlaceWords = 4

// Name is a unit name split into the unit it names and the place a trailing
// qualifier adds to tell it from a unit of the same name elsewhere: "UBND xã Đăk Kôi,
// huyện Kon Rẫy" is {Base: "xa dak koi", Level: "huyen", Place: "kon ray"}. All three
// are folded. A name without a qualifier has only Base; a qualifier written without
// its level word (" - Kon Rẫy") has an empty Level.
type Name struct {
	Base, Level, Place string
}

// Qualified reports whether the name carries a place qualifier.
func (n Name) Qualified() bool { return n.Place != "" }

// Split reads the trailing qualifier of a unit name, written ", huyện X", " - X",
// " – X" or "(huyện X)". A qualifier with a level word (huyện, quận, thị xã, thành
// phố, tỉnh, TP, TX) is taken after any name; one without is taken only after a
// commune-level name and only when it is a place name's length (see communeLevels).
// Anything else is not a qualifier: Base is then the whole name's UnitKey.
//
// A level word counts only as written with its diacritics, or in a text typed with
// none: "- Quan Hóa" and ", Tĩnh Gia" (districts of Thanh Hóa) name places, not "quận
// Hóa" and "tỉnh Gia".
func Split(name string) Name {
	s := textfold.Clean(name)
	whole := Name{Base: textfold.UnitKey(s)}
	base, qual, ok := cutQualifier(s)
	if !ok {
		return whole
	}
	b, q := textfold.UnitKey(base), textfold.Key(qual)
	if b == "" || q == "" {
		return whole
	}
	ws := textfold.Words(qual)
	if l, n := levelAt(ws, 0, upperLevels); n > 0 && n < len(ws) {
		return Name{Base: b, Level: l, Place: textfold.JoinFold(ws[n:])}
	}
	if !isCommune(textfold.Words(base)) || len(ws) > maxPlaceWords || hasLevelWord(ws) {
		return whole
	}
	return Name{Base: b, Place: q}
}

// levelAt returns the level that words ws[i:] start with among levels, and how many
// words name it; 0 for none.
func levelAt(ws []textfold.Word, i int, levels []levelWord) (level string, n int) {
	typed := false // the text has diacritics: a level word must have its own
	for _, w := range ws {
		typed = typed || w.Marked()
	}
next:
	for _, l := range levels {
		lw := strings.Fields(l.marks)
		if i+len(lw) > len(ws) {
			continue
		}
		for j, m := range lw {
			w := ws[i+j]
			if w.Fold != textfold.Key(m) || (typed && w.Marks != m) {
				continue next
			}
		}
		return l.level, len(lw)
	}
	return "", 0
}

// isCommune reports whether a unit name's words name a commune-level unit: a commune
// word followed by the commune's name ("thị xã" is a town, not a commune).
func isCommune(ws []textfold.Word) bool {
	for i := 0; i < len(ws); i++ {
		if _, n := levelAt(ws, i, upperLevels); n > 0 {
			i += n - 1
			continue
		}
		if _, n := levelAt(ws, i, communeLevels); n > 0 && i+n < len(ws) {
			return true
		}
	}
	return false
}

// hasLevelWord reports whether a qualifier's words hold a level word anywhere: then
// it is not a place name ("UBND xã Yên Phong - xã Yên Thịnh" joins two communes).
func hasLevelWord(ws []textfold.Word) bool {
	for i := range ws {
		if _, n := levelAt(ws, i, upperLevels); n > 0 {
			return true
		}
		if _, n := levelAt(ws, i, communeLevels); n > 0 {
			return true
		}
	}
	return false
}

// cutQualifier splits s at its last qualifier separator: a final parenthesis, else
// the last comma or spaced dash.
func cutQualifier(s string) (base, qual string, ok bool) {
	if strings.HasSuffix(s, ")") {
		if i := strings.LastIndex(s, "("); i > 0 {
			return s[:i], s[i+1 : len(s)-1], true
		}
		return "", "", false
	}
	at, width := -1, 0
	for _, sep := range []string{",", " - ", " – ", " — "} {
		if i := strings.LastIndex(s, sep); i > at {
			at, width = i, len(sep)
		}
	}
	if at <= 0 {
		return "", "", false
	}
	return s[:at], s[at+width:], true
}

// Merge tells which of a period's unit names are obvious variants of one unit, with
// no registry: for each name, the index of the name the unit is shown by. Names are
// one unit when
//
//   - their textfold.UnitKey is the same (what counting does today: "UBND xã Nghĩa Tá"
//     and "Ủy ban nhân dân xã Nghĩa Tá"; also ", huyện X" and "(huyện X)"), or
//   - they name the same unit with the same level and place, however written ("…, TP
//     Kon Tum" and "… - thành phố Kon Tum"), or
//   - one writes the place without its level word ("UBND xã Đăk Kôi - Kon Rẫy") and
//     the names list exactly one level for that unit and place ("…, huyện Kon Rẫy").
//
// They are never one unit when their places differ ("xã Bờ Y, huyện Đăk Tô" and "xã
// Bờ Y, huyện Ngọc Hồi" are two communes), when the levels differ ("huyện Cao Lãnh"
// and "thành phố Cao Lãnh" both existed, so a bare " - Cao Lãnh" then stays apart), or
// when one has no qualifier at all: before 2025 a province had several "xã Tân Lập",
// and only a registry alias can say which one a bare name means.
//
// The unit is shown by its first name written with a level word, else its first name:
// the spelling an official document uses. Merge needs every name of the period first,
// so counting keeps a tally per name and merges the tallies once all files are read;
// it is called per group, as units are counted per group.
func Merge(names []string) []int {
	parent := make([]int, len(names))
	for i := range parent {
		parent[i] = i
	}
	find := func(i int) int {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	union := func(a, b int) { parent[find(b)] = find(a) }

	split := make([]Name, len(names))
	byKey := map[string]int{}
	leveled := map[string]int{}       // base+place+level → first name
	levelsOf := map[string][]string{} // base+place → distinct levels written
	for i, n := range names {
		split[i] = Split(n)
		k := textfold.UnitKey(n)
		if j, ok := byKey[k]; ok {
			union(j, i)
		} else {
			byKey[k] = i
		}
		s := split[i]
		if s.Level == "" {
			continue
		}
		bp := s.Base + "\x00" + s.Place
		lk := bp + "\x00" + s.Level
		if j, ok := leveled[lk]; ok {
			union(j, i)
			continue
		}
		leveled[lk] = i
		levelsOf[bp] = append(levelsOf[bp], s.Level)
	}
	bare := map[string]int{} // base+place without level → first such name
	for i, s := range split {
		if !s.Qualified() || s.Level != "" {
			continue
		}
		bp := s.Base + "\x00" + s.Place
		if ls := levelsOf[bp]; len(ls) == 1 {
			union(leveled[bp+"\x00"+ls[0]], i)
			continue
		}
		if j, ok := bare[bp]; ok {
			union(j, i)
		} else {
			bare[bp] = i
		}
	}

	// Show each unit by its first name with a level word, else its first name.
	shown := map[int]int{}
	for i := range names {
		r := find(i)
		j, ok := shown[r]
		if !ok || (split[j].Level == "" && split[i].Level != "") {
			shown[r] = i
		}
	}
	out := make([]int, len(names))
	for i := range names {
		out[i] = shown[find(i)]
	}
	return out
}
