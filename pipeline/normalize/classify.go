package normalize

import (
	"slices"

	"canbo/pipeline/schema"
	"canbo/pipeline/textfold"
)

// Classifier assigns a training kind to a course name by the ordered keyword rules of
// training.yaml: the first rule with a keyword present as whole words wins.
type Classifier struct {
	rules     []rule
	otherwise string
}

type rule struct {
	code  string
	words []string // folded
}

// NewClassifier folds the rules' keywords once.
func NewClassifier(cfg *schema.Config) *Classifier {
	c := &Classifier{otherwise: cfg.Training.Otherwise}
	for _, r := range cfg.Training.Rules {
		cr := rule{code: r.Code}
		for _, w := range r.Words {
			if k := textfold.Key(w); k != "" {
				cr.words = append(cr.words, k)
			}
		}
		c.rules = append(c.rules, cr)
	}
	return c
}

// Classify returns the kind of a course and whether a rule matched; when none did it
// returns the "otherwise" code and false.
func (c *Classifier) Classify(course string) (string, bool) {
	k := textfold.Key(course)
	for _, r := range c.rules {
		for _, w := range r.words {
			if textfold.HasWords(k, w) {
				return r.code, true
			}
		}
	}
	return c.otherwise, false
}

// NameReader finds a field's value in a course name: the registers that have no
// level column still name the level ("Lớp Trung cấp lý luận chính trị – hành chính
// K25", "Bồi dưỡng ngạch chuyên viên chính"). It looks for every label and alias of
// the field's vocabulary (training.yaml from_name) as whole words of the folded name,
// so case, diacritics and Unicode forms do not matter. A spelling found inside a
// longer one found at the same place counts only as the longer ("chuyên viên" inside
// "chuyên viên chính"; "đại học" inside a "not" phrase such as "sau đại học" counts
// as nothing). A name with spellings of two different values is not guessed at.
type NameReader struct {
	Field   *schema.Field
	phrases []namePhrase
}

// namePhrase is one folded spelling and the code it means; "" for a "not" phrase.
type namePhrase struct {
	key, code string
}

// NameFound is what a course name says of a field: Code when it names exactly one
// value, Codes (two or more, in vocabulary order) when it names several.
type NameFound struct {
	Code  string
	Codes []string
}

// NewNameReader folds the spellings of a from_name field once; nil when the field or
// its vocabulary is not configured.
func NewNameReader(cfg *schema.Config, nf *schema.NameField) *NameReader {
	f := cfg.Field(nf.Field)
	v := cfg.VocabOf(f)
	if v == nil {
		return nil
	}
	skip := map[string]bool{}
	for _, s := range nf.Skip {
		skip[textfold.Key(s)] = true
	}
	r := &NameReader{Field: f}
	seen := map[namePhrase]bool{}
	add := func(text, code string) {
		p := namePhrase{key: textfold.Key(text), code: code}
		if p.key == "" || skip[p.key] || seen[p] {
			return
		}
		seen[p] = true
		r.phrases = append(r.phrases, p)
	}
	for _, val := range v.Values {
		add(val.Label, val.Code)
		for _, a := range val.Aliases {
			add(a, val.Code)
		}
	}
	for _, n := range nf.Not {
		add(n, "")
	}
	return r
}

// Read returns what course name says of the field.
func (r *NameReader) Read(course string) NameFound {
	k := textfold.Key(course)
	type span struct {
		from, to int
		code     string
	}
	var found []span
	for _, p := range r.phrases {
		for from := 0; from < len(k); {
			i := textfold.WordIndex(k[from:], p.key)
			if i < 0 {
				break
			}
			i += from
			found = append(found, span{i, i + len(p.key), p.code})
			from = i + 1
		}
	}
	var codes []string
	for i, s := range found {
		inside := false
		for j, o := range found {
			if j != i && o.from <= s.from && s.to <= o.to && o.to-o.from > s.to-s.from {
				inside = true
				break
			}
		}
		if !inside && s.code != "" && !slices.Contains(codes, s.code) {
			codes = append(codes, s.code)
		}
	}
	switch len(codes) {
	case 0:
		return NameFound{}
	case 1:
		return NameFound{Code: codes[0]}
	}
	order := map[string]int{}
	for i, p := range r.phrases {
		if _, ok := order[p.code]; !ok {
			order[p.code] = i
		}
	}
	slices.SortFunc(codes, func(a, b string) int { return order[a] - order[b] })
	return NameFound{Codes: codes}
}
