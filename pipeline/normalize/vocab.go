package normalize

import (
	"sort"
	"strings"

	"canbo/pipeline/schema"
	"canbo/pipeline/textfold"
)

// How says how a vocabulary value was recognised.
type How int

const (
	NoMatch How = iota
	Exact       // the folded text is a label or alias
	Prefix      // the text starts with a label or alias: "Đại học (Kế toán)", "Dao Đỏ"
	Guessed     // one letter away from a label or alias: "Đại họcc"
)

// Matcher maps free text to the codes of one vocabulary.
type Matcher struct {
	exact   map[string]string     // folded key → code
	spelled map[string][]spelling // folded key → the spellings with diacritics, for headers
	compact map[string]string     // key without spaces → code
	prefix  []entry               // longest first
	abbrev  map[string]string     // folded abbreviation → folded expansion, tried when nothing matched
}

type entry struct{ key, code string }

type spelling struct {
	words []textfold.Word
	code  string
}

// NewMatcher indexes a vocabulary's labels and aliases. Codes match themselves too, so a
// sheet exported from canbo ("dai_hoc") reads back.
func NewMatcher(v *schema.Vocabulary) *Matcher {
	m := &Matcher{exact: map[string]string{}, compact: map[string]string{}, spelled: map[string][]spelling{}}
	for _, val := range v.Values {
		for _, s := range append([]string{val.Code, val.Label}, val.Aliases...) {
			k := textfold.Key(s)
			if k == "" {
				continue
			}
			if s != val.Code {
				m.spelled[k] = append(m.spelled[k], spelling{textfold.Words(s), val.Code})
			}
			m.exact[k] = val.Code
			m.compact[strings.ReplaceAll(k, " ", "")] = val.Code
			m.prefix = append(m.prefix, entry{k, val.Code})
		}
	}
	sort.SliceStable(m.prefix, func(i, j int) bool { return len(m.prefix[i].key) > len(m.prefix[j].key) })
	return m
}

// Match returns the code for s and how it was found. When the text as written matches
// nothing (or only as a typo), its abbreviations are expanded and it is tried again:
// "Ủy viên BCH Đảng bộ cấp huyện" reads as "Ủy viên Ban Chấp hành Đảng bộ cấp huyện".
func (m *Matcher) Match(s string) (string, How) {
	k := textfold.Key(s)
	code, how := m.match(k)
	if how == NoMatch || how == Guessed {
		if e := m.expand(k); e != k {
			if c, h := m.match(e); h == Exact || h == Prefix {
				return c, h
			}
		}
	}
	return code, how
}

// expand replaces each abbreviation of a folded text by its expansion.
func (m *Matcher) expand(k string) string {
	if len(m.abbrev) == 0 {
		return k
	}
	words := strings.Split(k, " ")
	for i, w := range words {
		if e, ok := m.abbrev[w]; ok {
			words[i] = e
		}
	}
	return strings.Join(words, " ")
}

func (m *Matcher) match(k string) (string, How) {
	if k == "" {
		return "", NoMatch
	}
	if c, ok := m.exact[k]; ok {
		return c, Exact
	}
	ck := strings.ReplaceAll(k, " ", "")
	if c, ok := m.compact[ck]; ok {
		return c, Exact
	}
	// A value with more words after a known one: the level is what it starts with.
	// Single letters and two-letter abbreviations must stand alone ("TC Kế toán" is
	// fine, but "c" must not match "Cao").
	for _, e := range m.prefix {
		if textfold.HasPrefixWords(k, e.key) {
			return e.code, Prefix
		}
	}
	if c := m.guess(ck); c != "" {
		return c, Guessed
	}
	return "", NoMatch
}

// guess accepts a one-edit typo of a key of at least five letters, when exactly one
// code is that close.
func (m *Matcher) guess(ck string) string {
	if len([]rune(ck)) < 5 {
		return ""
	}
	found := ""
	for key, code := range m.compact {
		if len([]rune(key)) < 5 {
			continue
		}
		if textfold.Distance(ck, key, 1) <= 1 {
			if found != "" && found != code {
				return "" // ambiguous
			}
			found = code
		}
	}
	return found
}

// MatchHeader reads a header leaf as a value: exactly a label or alias, with the
// diacritics typed in the header agreeing ("Nữ" and "NU" are nu; "Năm", the year, is
// not nam). It makes mark columns ("Trình độ › Đại học") and sex columns under a date.
func (m *Matcher) MatchHeader(s string) string {
	if c := m.matchHeader(s, textfold.WordsEqual); c != "" {
		return c
	}
	return m.matchHeader(s, textfold.WordsMatch)
}

// MatchHeaderStrict is MatchHeader with every diacritic as typed: "Nam" is nam, and
// not a "năm" typed without accents.
func (m *Matcher) MatchHeaderStrict(s string) string { return m.matchHeader(s, textfold.WordsEqual) }

func (m *Matcher) matchHeader(s string, same func(got, want []textfold.Word) bool) string {
	ws := textfold.Words(s)
	for _, sp := range m.spelled[textfold.JoinFold(ws)] {
		if same(ws, sp.words) {
			return sp.code
		}
	}
	return ""
}
