package rules

import (
	"errors"
	"fmt"

	"github.com/expr-lang/expr/file"
	"github.com/expr-lang/expr/vm"

	"canbo/pipeline/normalize"
	"canbo/pipeline/schema"
	"canbo/pipeline/summary"
)

// Roster is the dataset whose records are persons. Targets and standards count
// persons, so records of other datasets (training attendances) are skipped.
const Roster = "roster"

// Evaluator runs compiled expressions over records. It reuses one VM and one
// environment map, so a record costs no allocation for codes, ranks and booleans; it
// is therefore not safe for concurrent use: make one per goroutine.
type Evaluator struct {
	vm  vm.VM
	env map[string]any
}

// NewEvaluator returns an evaluator for any expressions of any Set.
func NewEvaluator() *Evaluator {
	return &Evaluator{env: make(map[string]any, 16)}
}

// Match reports whether a record satisfies x. A nil x (an empty population or
// applies_to) matches everyone. The error is a failure at run time, such as int() of
// a text that is no number; the record then does not match.
func (e *Evaluator) Match(x *Expr, r *normalize.Record) (bool, error) {
	if x == nil {
		return true, nil
	}
	for _, b := range x.vars {
		e.env[b.name] = b.value(r)
	}
	out, err := e.vm.Run(x.prog, e.env)
	if err != nil {
		return false, &RunError{Expr: x, File: r.File, Sheet: r.Sheet, Row: r.Row, Err: err}
	}
	ok, _ := out.(bool)
	return ok, nil
}

// RunError is an expression that failed on one record.
type RunError struct {
	Expr        *Expr
	File, Sheet string
	Row         int
	Target      string // the target or standard whose expression it is, once known
	Err         error  // from expr's VM
}

func (e *RunError) Error() string {
	msg := e.Err.Error()
	var fe *file.Error
	if errors.As(e.Err, &fe) {
		msg = fe.Message // without the multi-line source snippet
	}
	at := ""
	if e.Expr.Pos.File != "" {
		at = e.Expr.Pos.String() + ": "
	}
	if e.Target != "" {
		at += fmt.Sprintf("chỉ tiêu %q: ", e.Target)
	}
	return fmt.Sprintf("%sbiểu thức %q không tính được cho tệp %q, trang %q, dòng %d: %s", at, e.Expr.Text, e.File, e.Sheet, e.Row, msg)
}

func (e *RunError) Unwrap() error { return e.Err }

// Failures are the records an expression failed on, kept up to MaxFailures. Evaluate
// returns them as its error; the results are complete and say which targets they
// left uncomputed (summary.Target.Failed).
type Failures []*RunError

// MaxFailures bounds the failures kept: a rule that fails on everyone fails the same
// way; a few show where, and the count says how often.
const MaxFailures = 50

func (fs Failures) Error() string {
	if len(fs) == 0 {
		return "no failures"
	}
	if len(fs) == 1 {
		return fs[0].Error()
	}
	return fmt.Sprintf("%s (và %d chỗ khác)", fs[0].Error(), len(fs)-1)
}

// Add keeps err, a *RunError, while fewer than MaxFailures are kept.
func (fs *Failures) Add(err error) {
	var re *RunError
	if len(*fs) < MaxFailures && errors.As(err, &re) {
		*fs = append(*fs, re)
	}
}

// Err is fs as an error, nil when empty.
func (fs Failures) Err() error { return fs.err() }

func (fs Failures) err() error {
	if len(fs) == 0 {
		return nil
	}
	return fs
}

// EvaluateTarget evaluates a target over the records of one group: unit is the
// unit's name, or "" for all units together. The caller chooses the records; rules
// does not group. The result is complete even with an error: a record whose
// expression failed at run time counts as not matching, and the first such failure
// is returned so the run can report it.
func EvaluateTarget(t *Target, recs []*normalize.Record, unit string) (summary.Target, error) {
	out, err := EvaluateTargets([]*Target{t}, recs, unit)
	return out[0], err
}

// EvaluateTargets evaluates several targets over the same records in one pass, one
// result per target in order (Evaluator.Count over the records).
func EvaluateTargets(ts []*Target, recs []*normalize.Record, unit string) ([]summary.Target, error) {
	p := &Plan{Targets: ts}
	c, fails := evaluate(p, recs)
	out := make([]summary.Target, len(ts))
	for i := range ts {
		out[i] = p.TargetResult(i, c.Targets[i], unit)
	}
	return out, fails.err()
}

// evaluate counts recs with p, keeping the first failures.
func evaluate(p *Plan, recs []*normalize.Record) (*Counts, Failures) {
	e, c := NewEvaluator(), p.NewCounts()
	var fails Failures
	var failed []Failed
	for _, r := range recs {
		failed = e.Count(p, c, r, failed[:0])
		for _, f := range failed {
			fails.Add(f.Err)
		}
	}
	return c, fails
}

// CheckStandard returns each requirement of s the person does not meet, in the
// order of standards.yaml; nil when they meet all. An unknown level (a blank or
// unrecognised cell) does not meet any minimum: it is reported with Have =
// chua_xac_dinh, so the clerk fills it in. It does not look at AppliesTo.
func CheckStandard(s *Standard, r *normalize.Record) []summary.Missing {
	var out []summary.Missing
	for _, req := range s.Requires {
		have := r.Code(req.Field)
		rank, known := req.vocab.Rank(have)
		if have != schema.Unknown && known && rank >= req.rank {
			continue
		}
		haveText := "Chưa xác định"
		if have != schema.Unknown {
			haveText = req.vocab.LabelOf(have)
		}
		out = append(out, summary.Missing{Field: req.Field.Code, Label: req.Field.Label,
			Have: have, HaveText: haveText, Need: req.AtLeast, NeedText: req.NeedText})
	}
	return out
}

// EvaluateStandard checks a standard over the records of one group (unit "" = all
// together): how many persons it applies to, how many meet every requirement, how
// many fall short of each, and who they are, for the training plan. As with
// EvaluateTarget, the result is complete even when an applies_to failed at run time
// for some record (that person is left out) and the first failure is returned.
func EvaluateStandard(s *Standard, recs []*normalize.Record, unit string) (summary.Standard, []summary.Person, error) {
	p := &Plan{Standards: []*Standard{s}}
	c, fails := evaluate(p, recs)
	return p.StandardResult(0, c.Standards[0], unit), c.Standards[0].Below, fails.err()
}

// person describes a record below the standard by the default identity fields
// (ho_ten, ngay_sinh, chuc_vu); a schema without them leaves those blank.
func (s *Standard) person(r *normalize.Record, missing []summary.Missing) summary.Person {
	text := func(f *schema.Field) string {
		if v := r.Value(f); v.Set {
			return v.Text
		}
		return ""
	}
	return summary.Person{Standard: s.ID, Unit: r.Unit, Name: text(s.name), BirthDate: text(s.birth),
		Position: text(s.position), File: r.File, Sheet: r.Sheet, Row: r.Row, Missing: missing}
}
