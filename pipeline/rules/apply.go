package rules

import (
	"errors"
	"time"

	"canbo/pipeline/aggregate"
	"canbo/pipeline/normalize"
	"canbo/pipeline/summary"
)

// Evaluate fills a summary's targets, standards and below-standard list with the
// rule sets and standards in force at asOf. Overall targets come first, in the order
// of targets.yaml, then each per-unit target for the units that have people in its
// population; a standard is listed for each unit it applies to. It satisfies
// aggregate.Evaluator. The error, if any, is Failures: the people some expression
// could not be evaluated on; the targets they touch say they were not computed.
func (s *Set) Evaluate(sum *summary.Summary, units []*aggregate.UnitRecords, all []*normalize.Record, asOf time.Time) error {
	var fails Failures
	keep := func(err error) {
		var fs Failures
		if errors.As(err, &fs) {
			for _, f := range fs {
				fails.add(f)
			}
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
	return fails.err()
}

var _ aggregate.Evaluator = (*Set)(nil)
