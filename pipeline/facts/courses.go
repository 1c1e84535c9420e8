package facts

import (
	"canbo/pipeline/normalize"
	"canbo/pipeline/schema"
	"canbo/pipeline/summary"
)

// A course has more to it than its kind and who paid: "308 cán bộ đi học lý luận
// chính trị (trong đó, cao cấp 28 người, trung cấp 280 người)" splits one kind by the
// course's level. report.yaml training_breakdowns names the kind, then the funding
// (summary.json by_funding, kept as it was), then any number of further fields of the
// register (the level cap_do_dao_tao, the form of study …): each is counted in
// by_field, in attendances and people, and by kind, as the trainee's attributes are
// in by_trainee. A field is one of these only when the register can give it: a
// dataset field, not a roster attribute (those are trainee_breakdowns).

// courseFields are the training breakdown fields after the kind and the funding.
func courseFields(cfg *schema.Config) []*schema.Field {
	var out []*schema.Field
	fund := false
	for _, code := range cfg.Report.TrainingBreakdowns {
		if code == cfg.Training.Field {
			continue
		}
		if !fund {
			fund = true // the first is the funding: by_funding
			continue
		}
		if f := cfg.Field(code); f != nil {
			out = append(out, f)
		}
	}
	return out
}

// courseCodes are r's codes of the course fields, nil when there are none.
func (c *counter) courseCodes(r *normalize.Record) []string {
	if len(c.courses) == 0 {
		return nil
	}
	out := make([]string, len(c.courses))
	for i, f := range c.courses {
		out[i] = r.Code(f)
	}
	return out
}

// givenCourses are the indexes of the course fields some attendance gives a value
// of: a field no register of the batch has as a column is left out of by_field, so a
// batch whose registers do not say the level writes what it wrote before.
func givenCourses(n int, units []*tally) []int {
	given := make([]bool, n)
	for _, u := range units {
		for _, a := range u.attend {
			for i, code := range a.Fields {
				if i < n && code != schema.Unknown {
					given[i] = true
				}
			}
		}
	}
	var out []int
	for i, g := range given {
		if g {
			out = append(out, i)
		}
	}
	return out
}

// countCode counts one attendance of person who, of kind, under code of a
// breakdown: fig and dim tell the breakdown apart in the counter's people seen.
func (tc *traineeCounter) countCode(m map[string]summary.TraineeCount, fig uint8, dim int, code, kind string, who uint64) {
	cnt, ok := m[code]
	if !ok {
		cnt = tc.c.newTraineeCount()
	}
	cnt.Total++
	if tc.first(seenKey{what: fig, dim: int16(dim), code: code, who: who}) {
		cnt.People++
	}
	if tc.c.kind != nil {
		cnt.ByType[kind]++
		if tc.first(seenKey{what: fig + 1, dim: int16(dim), code: code, sub: kind, who: who}) {
			cnt.PeopleByType[kind]++
		}
	}
	m[code] = cnt
}

// newCourseCounts are empty by_field counts of the given course fields, every code
// present with 0 so tables have stable columns.
func (c *counter) newCourseCounts(given []int) map[string]map[string]summary.TraineeCount {
	if len(given) == 0 {
		return nil
	}
	out := map[string]map[string]summary.TraineeCount{}
	for _, i := range given {
		f := c.courses[i]
		m := map[string]summary.TraineeCount{}
		for _, code := range c.cfg.Codes(f) {
			m[code.Code] = c.newTraineeCount()
		}
		out[f.Code] = m
	}
	return out
}
