package rules

import (
	"time"

	"canbo/pipeline/aggregate"
	"canbo/pipeline/normalize"
	"canbo/pipeline/summary"
)

// Evaluate fills a summary's targets, standards and below-standard list with the
// rule sets and standards in force at asOf. Overall targets come first, in the order
// of targets.yaml, then each per-unit target for the units that have people in its
// population; a standard is listed for each unit it applies to. It satisfies
// aggregate.Evaluator.
func (s *Set) Evaluate(sum *summary.Summary, units []*aggregate.UnitRecords, all []*normalize.Record, asOf time.Time) error {
	var firstErr error
	keep := func(err error) {
		if firstErr == nil {
			firstErr = err
		}
	}
	var overall, perUnit []*Target
	for _, t := range s.Targets(asOf) {
		if t.Overall() {
			overall = append(overall, t)
		}
		if t.PerUnit() {
			perUnit = append(perUnit, t)
		}
	}
	if len(overall) > 0 {
		res, err := EvaluateTargets(overall, all, "")
		keep(err)
		sum.Targets = append(sum.Targets, res...)
	}
	if len(perUnit) > 0 {
		var byTarget = make([][]summary.Target, len(perUnit))
		for _, u := range units {
			res, err := EvaluateTargets(perUnit, u.Records, u.Unit)
			keep(err)
			for i, r := range res {
				if r.Population > 0 {
					byTarget[i] = append(byTarget[i], r)
				}
			}
		}
		for _, rs := range byTarget {
			sum.Targets = append(sum.Targets, rs...)
		}
	}
	for _, st := range s.Standards(asOf) {
		for _, u := range units {
			res, people, err := EvaluateStandard(st, u.Records, u.Unit)
			keep(err)
			if res.Population == 0 {
				continue
			}
			sum.Standards = append(sum.Standards, res)
			sum.BelowStandard = append(sum.BelowStandard, people...)
		}
	}
	return firstErr
}

var _ aggregate.Evaluator = (*Set)(nil)
