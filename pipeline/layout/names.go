package layout

import (
	"regexp"
	"strings"
	"unicode"

	"canbo/pipeline/schema"
	"canbo/pipeline/textfold"
)

// Verdict is what a text in the name column looks like.
type Verdict int

const (
	NotName   Verdict = iota // a heading, a department, a note: "Phòng Tổ chức cán bộ", "I.1"
	MaybeName                // could be either: one word, all capitals without a known family name
	Name                     // a person's name: "Nguyễn Văn An", "A Pôn", "Ksor H'Lim"
)

// nameRules decides whether a text is a person's name, from layout.yaml's words: the
// family names (surnames), the words that start department and section rows
// (section_words, group_words, unit_prefixes) and the longest name (name_max_words).
type nameRules struct {
	surnames map[string]bool     // Lower form
	sections [][]string          // Lower words, longest first
	strip    func(string) string // removes an honorific before a name (normalize.StripTitle)
	maxWords int
}

// functionWords never occur in a Vietnamese personal name but are common in headings,
// notes and instructions ("Phòng, ban trực thuộc trường", "Danh sách kèm theo").
var functionWords = map[string]bool{"và": true, "của": true, "các": true, "những": true, "thuộc": true,
	"trong": true, "tại": true, "cho": true, "với": true, "theo": true, "được": true, "là": true,
	"có": true, "không": true, "đã": true, "sẽ": true, "để": true, "từ": true, "đến": true, "về": true}

func newNameRules(l schema.Layout, strip func(string) string) nameRules {
	r := nameRules{surnames: map[string]bool{}, maxWords: l.NameMaxWords, strip: strip}
	if r.maxWords <= 0 {
		r.maxWords = 7
	}
	for _, s := range l.Surnames {
		if w := textfold.Lower(s); w != "" {
			r.surnames[w] = true
		}
	}
	for _, list := range [][]string{l.SectionWords, l.GroupWords, l.UnitPrefixes, l.TotalWords, l.LeaverWords, l.FooterWords} {
		for _, s := range list {
			if w := strings.Fields(textfold.Lower(s)); len(w) > 0 {
				r.sections = append(r.sections, w)
			}
		}
	}
	sortLongestFirst(r.sections)
	return r
}

var (
	// sectionMarkRE: a heading's numbering at the start of the cell: "I.", "II.2", "1.",
	// "1.2", "a)", "A.", "-", "+", "*".
	sectionMarkRE = regexp.MustCompile(`^\s*((?i:[ivxlc]+|[a-z]|\d{1,3})([.)]|\.\d+\.?)|[-+*•–])\s*`)
	spacedDashRE  = regexp.MustCompile(`\s[-–—]\s`)
)

// judge says whether text, found in the name column, is a person's name.
func (r nameRules) judge(text string) Verdict {
	t := textfold.Clean(text)
	if r.strip != nil {
		t = r.strip(t)
	}
	if t == "" {
		return NotName
	}
	if sectionMarkRE.MatchString(t) {
		return NotName
	}
	// A bracketed note after a name ("Nguyễn Văn A (nghỉ thai sản)") is not the name.
	if i := strings.IndexAny(t, "(["); i > 0 {
		t = strings.TrimSpace(t[:i])
	}
	for _, r := range t {
		if unicode.IsDigit(r) {
			return NotName
		}
	}
	if strings.ContainsAny(t, ":;,/\\&!?\"") || strings.HasSuffix(t, ".") || spacedDashRE.MatchString(t) {
		return NotName // "Nguyễn T. Hoa" keeps its initial; "PHÒNG ĐÀO TẠO." is a heading
	}
	words := strings.Fields(textfold.Lower(t))
	if len(words) == 0 || len(words) > r.maxWords {
		return NotName
	}
	if phraseAt(r.sections, words) > 0 {
		return NotName
	}
	for _, w := range words {
		if functionWords[w] {
			return NotName
		}
	}
	typed := strings.Fields(t)
	capitalised, upper := true, textfold.IsUpper(t)
	for _, w := range typed {
		first := []rune(w)[0]
		if unicode.IsLetter(first) && !unicode.IsUpper(first) {
			capitalised = false
		}
	}
	switch {
	case len(words) < 2:
		return MaybeName
	case r.surnames[words[0]]:
		return Name
	case capitalised && !upper:
		return Name
	}
	return MaybeName
}

func sortLongestFirst(list [][]string) {
	for i := 1; i < len(list); i++ {
		for j := i; j > 0 && len(list[j]) > len(list[j-1]); j-- {
			list[j], list[j-1] = list[j-1], list[j]
		}
	}
}
