package normalize

import (
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"canbo/pipeline/schema"
	"canbo/pipeline/textfold"
)

// How a category cell (enum or ordinal) is read, beyond its vocabulary:
//
//   - A vocabulary named like a field gives that field's spellings: the "Đang đào tạo" column
//     (dang_dao_tao) counts in the codes of trinh_do, so that it compares with
//     trinh_do_chuyen_mon, but reads "NCS" as tien_si and has no "Không" (not studying is
//     blank, not chua_qua_dao_tao). Its codes must be codes of the field's vocabulary.
//   - A value may start by repeating its column's header: "Đang học Thạc sĩ" under "Đang
//     học", "Đang theo học Thạc sĩ" under "Đang đào tạo" (the field's label and headers).
//   - A level followed by the header of another field of the same vocabulary belongs to
//     that field: "Thạc sĩ (đang học)" in the trinh_do_chuyen_mon column is a degree being
//     studied, not one held, and is not counted as held.
//   - "Không", "Chưa" (the "false" spellings of a yes/no vocabulary) in a column whose
//     vocabulary does not know them mean nothing to count: blank, not an error.
//   - A cell with no letter or digit ("-", "—", "/", ".") is blank (see blankText).

// fieldReading holds what reading one category field needs.
type fieldReading struct {
	matcher   *Matcher
	repeats   []string // folded label and headers, longest first
	elsewhere []string // folded headers of the other fields of the same vocabulary
}

func (n *Normalizer) prepareFields() {
	n.fields = map[string]*fieldReading{}
	n.none = map[string]bool{}
	for _, v := range n.cfg.Vocab {
		if _, ok := v.Rank("true"); !ok {
			continue
		}
		for _, val := range v.Values {
			if val.Code != "false" {
				continue
			}
			for _, s := range append([]string{val.Label}, val.Aliases...) {
				if k := textfold.Key(s); k != "" {
					n.none[k] = true
				}
			}
		}
	}
	headers := func(f *schema.Field) []string {
		var out []string
		for _, h := range append([]string{f.Label}, f.Headers...) {
			if k := textfold.Key(h); k != "" {
				out = append(out, k)
			}
		}
		return out
	}
	for _, f := range n.cfg.Schema.Fields {
		if f.Type != schema.TypeEnum && f.Type != schema.TypeOrdinal {
			continue
		}
		v := n.cfg.Vocab[f.Vocabulary]
		if v == nil {
			continue
		}
		fr := &fieldReading{matcher: n.matchers[f.Vocabulary], repeats: headers(f)}
		if own := n.cfg.Vocab[f.Code]; own != nil && own != v {
			fr.matcher = NewMatcher(within(own, v))
		}
		for _, g := range n.cfg.Schema.Fields {
			if g != f && g.Vocabulary == f.Vocabulary && (g.Type == schema.TypeEnum || g.Type == schema.TypeOrdinal) {
				fr.elsewhere = append(fr.elsewhere, headers(g)...)
			}
		}
		sort.SliceStable(fr.repeats, func(i, j int) bool { return len(fr.repeats[i]) > len(fr.repeats[j]) })
		n.fields[f.Code] = fr
	}
}

// within returns the values of spell whose codes are codes of v.
func within(spell, v *schema.Vocabulary) *schema.Vocabulary {
	out := &schema.Vocabulary{Code: spell.Code, Label: spell.Label, Ordered: spell.Ordered}
	for _, val := range spell.Values {
		if _, ok := v.Rank(val.Code); ok {
			out.Values = append(out.Values, val)
		}
	}
	return out
}

// FieldMatcher returns the matcher that reads a field's cells: the field's own spellings
// if a vocabulary is named after it, else its vocabulary's. Nil for a field without one.
func (n *Normalizer) FieldMatcher(f *schema.Field) *Matcher {
	if fr := n.fields[f.Code]; fr != nil {
		return fr.matcher
	}
	return n.matchers[f.Vocabulary]
}

// MatchField reads a category cell of field f: see the rules at the top of this file.
// A "no" spelling the field does not know gives ("", NoMatch, true).
func (n *Normalizer) MatchField(f *schema.Field, s string) (code string, how How, none bool) {
	fr := n.fields[f.Code]
	if fr == nil {
		m := n.matchers[f.Vocabulary]
		if m == nil {
			return "", NoMatch, false
		}
		code, how = m.Match(s)
		return code, how, false
	}
	k := textfold.Key(s)
	code, how = fr.match(k)
	if how == NoMatch || how == Guessed {
		for _, h := range fr.repeats {
			if len(k) > len(h) && textfold.HasPrefixWords(k, h) {
				if c, w := fr.match(k[len(h)+1:]); w != NoMatch && (how == NoMatch || w < how) {
					code, how = c, w
					break
				}
			}
		}
	}
	if (how == NoMatch || how == Guessed) && n.none[k] { // "Không" is no typo of "Kháng"
		return "", NoMatch, true
	}
	return code, how, false
}

// match matches a folded value, refusing a level followed by another field's header.
func (fr *fieldReading) match(k string) (string, How) {
	code, how := fr.matcher.Match(k)
	if how != Prefix {
		return code, how
	}
	for _, h := range fr.elsewhere {
		if head, ok := strings.CutSuffix(k, " "+h); ok {
			if _, w := fr.matcher.Match(head); w == Exact || w == Prefix {
				return "", NoMatch
			}
		}
	}
	return code, how
}

// blankText reports whether a text cell says nothing: no letter or digit ("-", "—", "/",
// "."), and not a mark word ("✓", "+").
//
// A text with a letter or a digit is never blank, and nearly every cell has one in
// its first few characters, so that is looked at before the map of marks.
func (n *Normalizer) blankText(s string) bool {
	for _, r := range s {
		if r < utf8.RuneSelf {
			if 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' {
				return false
			}
			continue
		}
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return false
		}
	}
	return !n.marks[strings.TrimSpace(s)]
}
