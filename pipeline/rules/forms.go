package rules

import (
	"strings"

	"canbo/pipeline/schema"
)

// forms compiles the count expressions of forms.yaml. Columns written alike (the
// same text, as BM01 and BM02 share Nữ, Đảng viên, Thạc sĩ …) share one counter, so
// each person is tested once per distinct expression. Counters are counted beside
// the targets in the same pass (Evaluator.Count), per unit, and add up like them.
func (c *compiler) forms(cfg *schema.Config, set *Set) {
	byText := map[string]int{}
	set.formIndex = map[string]map[string]int{}
	for _, f := range cfg.Forms.Forms {
		if f == nil {
			continue
		}
		cols := map[string]int{}
		set.formIndex[f.Code] = cols
		for _, col := range f.Leaves() {
			text := strings.TrimSpace(col.Count)
			if text == "" {
				continue
			}
			i, ok := byText[text]
			if !ok {
				x := c.expr(text, col.CountPos)
				if x == nil {
					continue // its problems are recorded
				}
				x.fast = c.env.fast(text)
				i = len(set.counters)
				byText[text] = i
				set.counters = append(set.counters, x)
			}
			cols[col.ID] = i
		}
	}
}

// FormCounts is what a unit's counters give each counted column of a form, by
// column id; nil when the plan has no such form.
func (p *Plan) FormCounts(form string, c *Counts) map[string]int {
	cols, ok := p.formIndex[form]
	if !ok {
		return nil
	}
	out := make(map[string]int, len(cols))
	for id, i := range cols {
		out[id] = c.Counters[i]
	}
	return out
}
