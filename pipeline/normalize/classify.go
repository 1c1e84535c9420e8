package normalize

import (
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
