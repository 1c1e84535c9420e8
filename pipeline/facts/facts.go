// Package facts counts a batch of read workbooks into a summary.Summary: the
// headcount and breakdowns per unit, per group and overall, training attendances, the
// targets and standards evaluated, and the files and problems listed. It is where
// records become figures; the writers (summary.json, Excel, PDF) only present them.
package facts

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"sort"
	"sync"
	"time"

	"canbo/pipeline/ingest"
	"canbo/pipeline/normalize"
	"canbo/pipeline/rules"
	"canbo/pipeline/schema"
	"canbo/pipeline/summary"
	"canbo/pipeline/textfold"
)

// Dataset codes of the default schema that the report treats specially.
const (
	Roster   = "roster"
	Training = "training"
)

// Period is the month reported and the date figures are taken at.
type Period struct {
	Month string    // YYYY-MM
	AsOf  time.Time // ages are computed at this date
}

// Vietnam is the default office time zone (schema.DefaultTimeZone), for callers
// that have no serve.yaml to ask.
func Vietnam() *time.Location {
	if loc, err := time.LoadLocation("Asia/Ho_Chi_Minh"); err == nil {
		return loc
	}
	return time.FixedZone("ICT", 7*3600)
}

// PeriodOf picks the report period. An explicit month wins; its as-of date is the
// inputs' newest "tính đến ngày" date when that falls in the month, else the month's
// last day. Without one, the month of the inputs' as-of date is used, else the
// current month with today as the as-of date. now is taken in its own location: the
// caller gives it in the office's time zone (report.Options.Location).
func PeriodOf(month string, inputsAsOf, now time.Time) (Period, error) {
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	if month == "" {
		if !inputsAsOf.IsZero() {
			return Period{inputsAsOf.Format("2006-01"), inputsAsOf}, nil
		}
		return Period{today.Format("2006-01"), today}, nil
	}
	m, err := time.Parse("2006-01", month)
	if err != nil {
		return Period{}, err
	}
	if !inputsAsOf.IsZero() && inputsAsOf.Format("2006-01") == month {
		return Period{month, inputsAsOf}, nil
	}
	last := m.AddDate(0, 1, -1)
	if last.After(today) && m.Format("2006-01") == today.Format("2006-01") {
		last = today
	}
	return Period{month, last}, nil
}

// Options are what Build needs besides the batch.
type Options struct {
	Period  Period
	Now     time.Time  // generated_at
	Rules   *rules.Set // targets and standards; nil for none
	Workers int        // files counted at once; default GOMAXPROCS
	// Cache, when set, keeps what each file adds to the report (cache.go): a file
	// whose reading it holds and whose part was kept is not counted again.
	Cache *ingest.Cache
	// From, YYYY-MM, makes the report one over the months From to Period.Month: its
	// training counts the records that started in them (span.go). "" = a month's
	// report, counting every training record.
	From string
	// Previous, when set, is the previous period's rosters (ReadRoster): the summary
	// then says who joined, left or moved since (rosterchanges.go).
	Previous *PreviousRoster
}

// Build counts the batch. Each file is counted on its own, by several workers, record
// by record as File.Scan gives them (decoded from the spool when the batch was read
// with one): a person is folded into their unit's tallies (breakdowns, targets,
// standards) and forgotten, so counting holds the tallies, not the people. The
// tallies add up: the units' are summed across files in file order, so a unit's name
// is the first spelling met, as if everyone had been counted in one pass.
//
// Derived fields are computed at the period's as-of date, so ages are the same for
// every unit whatever date each file stated.
//
// The summary is complete even when a rule failed on some record (that record then
// does not count for it); the failures are returned as rules.Failures so the run can
// report them.
func Build(ctx context.Context, cfg *schema.Config, b *ingest.Batch, opt Options) (*summary.Summary, error) {
	s := &summary.Summary{
		SchemaVersion: summary.SchemaVersion,
		Period:        opt.Period.Month,
		AsOf:          opt.Period.AsOf.Format("2006-01-02"),
		GeneratedAt:   opt.Now.Format(time.RFC3339), // in the office's zone, as the caller gives it
		Targets:       []summary.Target{},
		Standards:     []summary.Standard{},
		BelowStandard: []summary.Person{},
	}
	s.Files, s.Issues, s.Problems = files(b)
	sp, err := newSpan(cfg, opt.From, opt.Period.Month)
	if err != nil {
		return nil, fmt.Errorf("khoảng thời gian %s–%s: %w", opt.From, opt.Period.Month, err)
	}
	if opt.From != "" {
		s.Span = &summary.Span{From: opt.From, To: opt.Period.Month}
	}
	plan := &rules.Plan{}
	if opt.Rules != nil {
		plan = opt.Rules.Plan(opt.Period.AsOf)
	}
	c := &counter{cfg: cfg, plan: plan, asOf: opt.Period.AsOf, dims: dimensions(cfg, cfg.Report.Breakdowns),
		kind: cfg.Field(cfg.Training.Field), fund: fieldOf(cfg, cfg.Report.TrainingBreakdowns, cfg.Training.Field),
		cache: opt.Cache, trainee: dimensions(cfg, cfg.Report.TraineeBreakdowns), join: hasTraining(b), span: sp,
		courses: courseFields(cfg), from: cfg.Field(fieldFrom), to: cfg.Field(fieldTo),
		course: cfg.Field(cfg.Training.From)}
	if c.cache != nil {
		c.planDigest = plan.Digest()
	}
	parts, err := c.countFiles(ctx, b.Files, opt.Workers)
	if err != nil {
		return nil, err
	}
	from := c.senders(s.Files)
	c.underSenders(parts, from)
	all := merge(parts)
	c.workplaces = workplacesOf(b, s.Files, from)
	c.resolveUnits(&all.units, &s.UnitCheck, true)
	c.resolveUnits(&all.training, &s.UnitCheck, false)
	s.UnitCheck.NotSent = c.notSent(b, s.Files, from)
	units := all.units.sorted()
	for _, u := range units {
		unit := c.unit(u.name, u.group, u)
		if f := c.cfg.FormOf(u.name); f != nil {
			unit.Form, unit.FormCounts = f.Code, c.plan.FormCounts(f.Code, u.counts)
		}
		s.Units = append(s.Units, unit)
	}
	if groups := groupNames(units); len(groups) > 1 || (len(groups) == 1 && groups[0] != "") {
		for _, g := range groups {
			sum := c.newTally("", g)
			for _, u := range units {
				if u.group == g {
					sum.sum(u)
				}
			}
			s.Groups = append(s.Groups, c.unit("", g, sum))
		}
	}
	total := c.newTally("", "")
	for _, u := range units {
		total.sum(u)
	}
	s.Total = c.unit("", "", total)
	trainingUnits := all.training.sorted()
	s.Training = c.training(trainingUnits)
	c.trainees(&s.Training, trainingUnits, &all.people)
	if opt.From != "" {
		s.Training.OutsideSpan = &all.outside
	}
	s.Training.Dates = all.dates.summary(s.Training.Total)
	if s.Training.Total > 0 && len(all.fromName) > 0 {
		s.Training.FromName = all.fromName
	}
	if s.Movements, err = c.movements(b); err != nil {
		return nil, err
	}
	if opt.Previous != nil {
		if s.RosterChanges, err = c.rosterChanges(ctx, b, opt.Previous, s.Movements); err != nil {
			return nil, err
		}
	}
	return s, c.rules(s, all, units, total)
}

// rules puts the targets and standards into the summary: overall targets first, in
// the order of targets.yaml, then each per-unit target for the units that have people
// in its population; a standard is listed for each unit it applies to. The failures
// are in the same order: overall targets, per unit, then standards.
func (c *counter) rules(s *summary.Summary, all *part, units []*tally, total *tally) error {
	var fails rules.Failures
	for i, t := range c.plan.Targets {
		if t.Overall() {
			s.Targets = append(s.Targets, c.plan.TargetResult(i, total.counts.Targets[i], ""))
		}
	}
	for _, f := range all.overallFails {
		fails.Add(f)
	}
	for i, t := range c.plan.Targets {
		if !t.PerUnit() {
			continue
		}
		for _, u := range units {
			if tc := u.counts.Targets[i]; tc.Population > 0 {
				s.Targets = append(s.Targets, c.plan.TargetResult(i, tc, u.name))
			}
		}
	}
	for _, u := range units {
		for _, f := range u.unitFails {
			fails.Add(f)
		}
	}
	// A national list holds hundreds of thousands of people: made at its size, not
	// grown by doubling (a quarter of counting's time when the parts were kept), and
	// filled by several cores (copying a million-person batch's list, and the first
	// touch of its pages, was a tenth of a second on one core).
	type piece struct {
		at   int // where the unit's people go in s.BelowStandard
		from []summary.Person
		unit string
	}
	var pieces []piece
	below := len(s.BelowStandard)
	for i := range c.plan.Standards {
		for _, u := range units {
			sc := u.counts.Standards[i]
			for _, f := range u.standardFails[i] {
				fails.Add(f)
			}
			if sc.Population == 0 {
				continue
			}
			s.Standards = append(s.Standards, c.plan.StandardResult(i, sc, u.name))
			if len(sc.Below) > 0 {
				pieces = append(pieces, piece{below, sc.Below, u.name})
				below += len(sc.Below)
			}
		}
	}
	from := len(s.BelowStandard)
	s.BelowStandard = slices.Grow(s.BelowStandard, below-from)[:below]
	// Each worker fills one stretch of the list. Each person is listed under the unit
	// as the report shows it (the registry's name, or the spelling its variants
	// merged under), not as their own file wrote it.
	fill := func(lo, hi int) {
		for _, p := range pieces {
			a, b := max(lo, p.at), min(hi, p.at+len(p.from))
			if a >= b {
				continue
			}
			copy(s.BelowStandard[a:b], p.from[a-p.at:b-p.at])
			for j := a; j < b; j++ {
				s.BelowStandard[j].Unit = p.unit
			}
		}
	}
	workers := max(1, min(runtime.GOMAXPROCS(0), (below-from)/4096))
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() { fill(from+(below-from)*w/workers, from+(below-from)*(w+1)/workers) })
	}
	wg.Wait()
	return fails.Err()
}

// counter counts records into tallies with one configuration and plan.
type counter struct {
	cfg        *schema.Config
	plan       *rules.Plan
	asOf       time.Time
	dims       []*schema.Field
	kind, fund *schema.Field
	cache      *ingest.Cache // where files' parts are kept, nil for none
	planDigest string
	workplaces map[string]bool // group and folded name of units named only as workplaces (workplacesOf)
	trainee    []*schema.Field // report.yaml trainee_breakdowns: roster codes of each trainee
	courses    []*schema.Field // training_breakdowns after the kind and funding: by_field (courses.go)
	join       bool            // the batch has training records: note roster persons (trainees.go)
	span       span            // the months a report over a span counts training in (span.go)
	from, to   *schema.Field   // a training record's dates: từ ngày, else đến ngày
	course     *schema.Field   // the course name fields are read off (training.yaml from; files.go namedBySheet)
}

// tally is the counts of one unit (or group, or all units together) of the roster or
// of the training register.
type tally struct {
	key, name, group string
	headcount        int
	breakdowns       []map[string]int // by counter.dims (roster) or kind, funding (training)
	counts           *rules.Counts
	// The failures of expressions on this unit's people: per-unit targets', and each
	// standard's (by plan index).
	unitFails     []*rules.RunError
	standardFails [][]*rules.RunError
	// workplaces are the people by workplace of a unit whose lists name other
	// units' people (learners.go); nil for the others.
	workplaces *workplaceCount
	attend     []attendance // a training unit's records, for the join with the roster (trainees.go)
}

func (c *counter) newTally(name, group string) *tally {
	t := &tally{name: name, group: group, breakdowns: make([]map[string]int, max(len(c.dims), 2)),
		counts: c.plan.NewCounts(), standardFails: make([][]*rules.RunError, len(c.plan.Standards))}
	for i := range t.breakdowns {
		t.breakdowns[i] = map[string]int{}
	}
	return t
}

// add adds o's counts, people below a standard and failures to t: the same unit met
// in another file.
func (t *tally) add(o *tally) {
	t.addWorkplaces(o)
	t.addBreakdowns(o)
	t.counts.Add(o.counts)
	t.unitFails = keepFails(t.unitFails, o.unitFails...)
	t.attend = append(t.attend, o.attend...)
	for i := range o.standardFails {
		t.standardFails[i] = keepFails(t.standardFails[i], o.standardFails[i]...)
	}
}

// sum adds o's numbers to t, not its lists: a group's or all units' sum, whose lists
// the report takes from the units.
func (t *tally) sum(o *tally) {
	t.addBreakdowns(o)
	t.counts.AddNumbers(o.counts)
}

func (t *tally) addBreakdowns(o *tally) {
	t.headcount += o.headcount
	for i, m := range o.breakdowns {
		for code, n := range m {
			t.breakdowns[i][code] += n
		}
	}
}

// tallies are the tallies of units in the order they were first met.
type tallies struct {
	byKey map[string]*tally
	order []*tally
}

func (ts *tallies) get(c *counter, r *normalize.Record) *tally {
	k := r.Group + "\x00" + textfold.UnitKey(r.Unit)
	t := ts.byKey[k]
	if t == nil {
		if ts.byKey == nil {
			ts.byKey = map[string]*tally{}
		}
		t = c.newTally(r.Unit, r.Group)
		t.key = k
		ts.byKey[k] = t
		ts.order = append(ts.order, t)
	}
	return t
}

// sorted returns the units by group, then by name without diacritics; units that
// sort alike stay in the order they were met.
func (ts *tallies) sorted() []*tally {
	out := slices.Clone(ts.order)
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].group != out[j].group {
			return out[i].group < out[j].group
		}
		return textfold.Key(out[i].name) < textfold.Key(out[j].name)
	})
	return out
}

// part is what one file adds to the report.
type part struct {
	units, training tallies
	overallFails    []*rules.RunError   // failures of overall targets, in record order
	people          people              // roster persons for the training join, when the batch has training
	outside         summary.OutsideSpan // training records outside a report's span
	dates           dates               // of the training records counted
	fromName        map[string]int      // training records counted with a field read off the course name, per field
}

// countFiles counts each accepted file into a part, with workers files at once.
func (c *counter) countFiles(ctx context.Context, files []*ingest.File, workers int) ([]*part, error) {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	parts := make([]*part, len(files))
	errs := make([]error, len(files))
	next := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < min(workers, len(files)); w++ {
		wg.Go(func() {
			e := rules.NewEvaluator()
			for i := range next {
				parts[i], errs[i] = c.countCached(e, files[i])
			}
		})
	}
feed:
	for i, f := range files {
		if f.Status != ingest.Accepted {
			continue
		}
		select {
		case next <- i:
		case <-ctx.Done():
			break feed
		}
	}
	close(next)
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("đếm các tệp: %w", err)
	}
	return parts, nil
}

// countCached is f's part as kept in the cache, else counted (and kept).
func (c *counter) countCached(e *rules.Evaluator, f *ingest.File) (*part, error) {
	path := c.partPath(f)
	if path != "" {
		if p := c.loadPart(path); p != nil {
			return p, nil
		}
	}
	p, err := c.countFile(e, f)
	if err == nil && path != "" {
		c.storePart(path, p)
	}
	return p, err
}

// countFile folds one file's counted records into a part.
func (c *counter) countFile(e *rules.Evaluator, f *ingest.File) (*part, error) {
	p := &part{}
	var failed []rules.Failed
	var k *keyer
	if c.join {
		k = newKeyer(c.cfg)
	}
	named := namedBySheet(c.cfg, f)
	err := f.Scan(func(r *normalize.Record) error {
		if !r.Counted() {
			return nil
		}
		switch r.Dataset {
		case Roster:
			normalize.Derive(c.cfg, r, c.asOf)
			if k != nil {
				p.people.addPerson(k, c.trainee, r)
			}
			t := p.units.get(c, r)
			t.headcount++
			for i, d := range c.dims {
				t.breakdowns[i][r.Code(d)]++
			}
			failed = e.Count(c.plan, t.counts, r, failed[:0])
			for _, fl := range failed {
				switch {
				case fl.Standard:
					t.standardFails[fl.Index] = keepFails(t.standardFails[fl.Index], fl.Err)
				default:
					tg := c.plan.Targets[fl.Index]
					if tg.Overall() {
						p.overallFails = keepFails(p.overallFails, fl.Err)
					}
					if tg.PerUnit() {
						t.unitFails = keepFails(t.unitFails, fl.Err)
					}
				}
			}
		case Training:
			if !c.span.place(r, &p.outside) {
				return nil
			}
			p.dates.add(r, c.from, c.to)
			if fs := named[r.Sheet]; fs != nil {
				p.countNamed(r, fs, c.course)
			}
			t := p.training.get(c, r)
			t.headcount++
			if c.kind != nil {
				t.breakdowns[0][r.Code(c.kind)]++
			}
			if c.fund != nil {
				t.breakdowns[1][r.Code(c.fund)]++
			}
			if k != nil {
				t.attend = append(t.attend, attendance{Keys: k.keys(r), Kind: r.Code(c.kind), Fund: r.Code(c.fund), Fields: c.courseCodes(r)})
			}
		}
		return nil
	})
	return p, err
}

// merge adds the files' parts in file order.
func merge(parts []*part) *part {
	all := &part{}
	all.people = mergePeople(parts)
	// A unit's people below a standard are appended file by file: its lists are made
	// at their whole size when the unit is first met, not grown by doubling (at 1M
	// people, 0.2 CPU-s of copying every person, on one core).
	below := [2]map[string][]int{{}, {}}
	for _, p := range parts {
		if p == nil {
			continue
		}
		for k, ts := range [2]*tallies{&p.units, &p.training} {
			for _, t := range ts.order {
				n := below[k][t.key]
				if n == nil {
					n = make([]int, len(t.counts.Standards))
					below[k][t.key] = n
				}
				for i := range min(len(n), len(t.counts.Standards)) {
					n[i] += len(t.counts.Standards[i].Below)
				}
			}
		}
	}
	for _, p := range parts {
		if p == nil {
			continue
		}
		for k, pair := range []struct{ to, from *tallies }{{&all.units, &p.units}, {&all.training, &p.training}} {
			for _, t := range pair.from.order {
				if have := pair.to.byKey[t.key]; have != nil {
					have.add(t)
					continue
				}
				for i, n := range below[k][t.key] {
					if sc := &t.counts.Standards[i]; n > len(sc.Below) {
						sc.Below = slices.Grow(sc.Below[:len(sc.Below):len(sc.Below)], n-len(sc.Below))
					}
				}
				if pair.to.byKey == nil {
					pair.to.byKey = map[string]*tally{}
				}
				pair.to.byKey[t.key] = t
				pair.to.order = append(pair.to.order, t)
			}
		}
		all.overallFails = keepFails(all.overallFails, p.overallFails...)
		addOutside(&all.outside, p.outside)
		all.dates.merge(p.dates)
		for code, n := range p.fromName {
			if all.fromName == nil {
				all.fromName = map[string]int{}
			}
			all.fromName[code] += n
		}
	}
	return all
}

func groupNames(units []*tally) []string {
	var out []string
	for _, u := range units {
		if len(out) == 0 || out[len(out)-1] != u.group {
			out = append(out, u.group)
		}
	}
	return out
}

// dimensions resolves the dimension codes the report counts.
func dimensions(cfg *schema.Config, codes []string) []*schema.Field {
	var out []*schema.Field
	for _, c := range codes {
		if f := cfg.Field(c); f != nil {
			out = append(out, f)
		}
	}
	return out
}

// unit is a tally as the summary shows it. Every code of a dimension appears, with 0
// when nobody has it, so tables have stable columns; every person counts under
// exactly one code, chua_xac_dinh when unknown.
func (c *counter) unit(name, group string, t *tally) summary.Unit {
	u := summary.Unit{Unit: name, Group: group, Headcount: t.headcount, Breakdowns: map[string]map[string]int{},
		Workplaces: c.workplaceList(t.workplaces, group)}
	for i, f := range c.dims {
		u.Breakdowns[f.Code] = c.codes(f, t.breakdowns[i])
	}
	return u
}

// codes is a dimension's counts with every code of the field present.
func (c *counter) codes(f *schema.Field, counted map[string]int) map[string]int {
	m := map[string]int{}
	for _, code := range c.cfg.Codes(f) {
		m[code.Code] = 0
	}
	for code, n := range counted {
		m[code] += n
	}
	return m
}

// keepFails appends failures to a list while it holds fewer than rules.MaxFailures:
// the report shows that many (rules.Failures), and a rule failing on every person of
// a national batch must not keep a million of them. Lists keep their order, so the
// first failures of the whole batch are the same as if all had been kept.
func keepFails(list []*rules.RunError, more ...*rules.RunError) []*rules.RunError {
	if room := rules.MaxFailures - len(list); room < len(more) {
		more = more[:max(room, 0)]
	}
	return append(list, more...)
}
