package reporttext

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"canbo/pipeline/schema"
	"canbo/pipeline/summary"
)

// narrativeKeys are the sentences report.yaml must define.
var narrativeKeys = []string{"intro", "change", "dimension", "not_reported", "partly_reported", "group", "training", "trainee", "targets_met", "targets_not_met",
	"target_empty", "target_not_computed", "target_units", "units_behind", "standard", "standard_behind", "problems",
	"units_not_sent", "units_unchecked", "units_learners", "units_workplaces", "roster_changes", "training_overlap"}

// Part is one item of a listing sentence.
type Part struct {
	Label string
	Count int
	Share float64
	// People: in the training sentence, the distinct people behind Count attendances
	// of this kind (0 when not known), so the body gives both, as the articles do.
	People int
	code   string
}

// The dimensions the introduction quotes; a configuration without one of them just
// leaves that clause out.
const (
	dimSex      = "gioi_tinh"
	codeWoman   = "nu"
	dimMinority = "dan_toc_thieu_so"
	dimUnder35  = "duoi_35"
)

// Sections are the generated paragraphs of the report's body, by section: what a
// Vietnamese report has (tình hình, đánh giá, phương hướng, kiến nghị).
type Sections struct {
	// Situation is the state of the workforce: headcount and key shares, one
	// sentence per ordinal dimension, what the files do not report, the groups and
	// training.
	Situation []string
	// Assessment is what improved and what fell short: the change since the previous
	// period, the targets met and missed with what they still need, the units far
	// behind a target or a standard, the people below the standards and the data
	// problems.
	Assessment []string
	// Recommendations are report.yaml's document.recommendations with their
	// placeholders filled; a sentence about something the period does not have is
	// left out.
	Recommendations []string
}

// Narrative is the situation and the assessment as one list of paragraphs, for the
// Excel report's overview and the e-mail: the same sentences as the document's body.
func (t *Text) Narrative(s *summary.Summary, cfg *schema.Config) ([]string, error) {
	sec, err := t.Sections(s, cfg)
	if err != nil {
		return nil, err
	}
	return append(sec.Situation, sec.Assessment...), nil
}

// Sections writes the body's paragraphs from the summary: each sentence only when
// the data has what it speaks of.
func (t *Text) Sections(s *summary.Summary, cfg *schema.Config) (Sections, error) {
	w := &writer{t: t, s: s, cfg: cfg}
	w.out = &w.sec.Situation
	w.situation()
	w.out = &w.sec.Assessment
	w.assessment()
	if w.err != nil {
		return Sections{}, w.err
	}
	w.sec.Recommendations = t.recommendations(s, cfg, w.facts)
	return w.sec, nil
}

// writer is one Sections being written.
type writer struct {
	t     *Text
	s     *summary.Summary
	cfg   *schema.Config
	sec   Sections
	out   *[]string // the section being written
	err   error
	facts facts // what the recommendations' placeholders say
}

// add renders one sentence into the current section.
func (w *writer) add(key string, data any) {
	if w.err != nil {
		return
	}
	p, err := w.t.render(key, data)
	if err != nil {
		w.err = err
		return
	}
	*w.out = append(*w.out, p)
}

// situation writes section I.1: the headcount and key shares, each ordinal
// dimension, what the files do not report, each group, training.
func (w *writer) situation() {
	s, cfg := w.s, w.cfg
	tot := s.Total
	share := func(dim, code string) (int, float64) {
		b, ok := tot.Breakdowns[dim]
		if !ok || tot.Headcount == 0 {
			return 0, -1
		}
		return b[code], summary.Share(b[code], tot.Headcount)
	}
	women, womenShare := share(dimSex, codeWoman)
	minority, minorityShare := share(dimMinority, "true")
	young, youngShare := share(dimUnder35, "true")
	w.add("intro", map[string]any{
		"AsOf": s.AsOf, "Period": s.Period, "Headcount": tot.Headcount, "Units": len(s.Units),
		"Women": women, "WomenShare": womenShare, "Minority": minority, "MinorityShare": minorityShare,
		"Under35": young, "Under35Share": youngShare,
	})
	w.learners()
	var ordinals []string
	for _, dim := range cfg.Report.Breakdowns {
		if f := cfg.Field(dim); f != nil && f.Type == schema.TypeOrdinal && tot.Headcount > 0 {
			ordinals = append(ordinals, dim)
		}
	}
	missing := unreported(s, cfg, ordinals)
	for _, dim := range ordinals {
		if gs := missing[dim]; len(gs) == 1 && gs[0] == "" {
			continue // no file reports it: said once below, not as "chưa xác định 100%"
		}
		f := cfg.Field(dim)
		if parts := partsOf(cfg, f, tot.Breakdowns[dim], tot.Headcount, true); len(parts) > 0 {
			w.add("dimension", map[string]any{"Label": LowerFirst(f.Label), "Parts": parts})
		}
	}
	w.notReported(ordinals, missing)
	// The headline shares count everyone too: a file without a sex or ethnicity column
	// weighs on them as on the ordinal dimensions. In report.yaml's order.
	var partly []string
	for _, dim := range cfg.Report.Breakdowns {
		if slices.Contains(ordinals, dim) || (dim == dimSex || dim == dimMinority || dim == dimUnder35) && tot.Breakdowns[dim] != nil {
			partly = append(partly, dim)
		}
	}
	w.partlyReported(partly, partlyUnreported(s, cfg, partly, missing))
	if len(s.Groups) > 1 {
		type dim struct {
			Label string
			Parts []Part
		}
		for _, g := range s.Groups {
			var dims []dim
			for _, code := range ordinals {
				if slices.Contains(missing[code], g.Group) || g.Headcount == 0 {
					continue // the group's files do not report it: said above
				}
				if parts := partsOf(cfg, cfg.Field(code), g.Breakdowns[code], g.Headcount, true); len(parts) > 0 {
					dims = append(dims, dim{LowerFirst(cfg.Field(code).Label), parts})
				}
			}
			w.add("group", map[string]any{"Name": w.t.GroupName(s, cfg, g.Group), "Headcount": g.Headcount,
				"Share": summary.Share(g.Headcount, tot.Headcount), "Dims": dims})
		}
	}
	if s.Training.Total > 0 {
		var parts []Part
		if f := cfg.Field(cfg.Training.Field); f != nil {
			parts = partsOf(cfg, f, s.Training.ByType, s.Training.Total, false)
			for i := range parts {
				parts[i].People = s.Training.PeopleByType[parts[i].code]
			}
		}
		from, to := "", ""
		if s.Span != nil {
			from, to = Period(s.Span.From), Period(s.Span.To)
		}
		first, last, undated := TrainingDates(s.Training.Dates)
		var named []Part // fields read off course names, in report.yaml's order
		for _, code := range cfg.Report.TrainingBreakdowns {
			if f := cfg.Field(code); f != nil && s.Training.FromName[code] > 0 {
				named = append(named, Part{Label: f.Label, Count: s.Training.FromName[code]})
			}
		}
		w.add("training", map[string]any{"Total": s.Training.Total, "People": s.Training.People, "Parts": parts,
			"From": from, "To": to, "First": first, "Last": last, "Undated": undated, "FromName": named})
		if ov := s.Training.Overlaps; len(ov) > 0 {
			type pair struct {
				A, B   string
				Shared int
			}
			pairs, shared := make([]pair, len(ov)), 0
			for i, o := range ov {
				pairs[i], shared = pair{A: o.Files[0], B: o.Files[1], Shared: o.Shared}, shared+o.Shared
			}
			w.add("training_overlap", map[string]any{"Shared": shared, "Overlaps": pairs})
		}
		w.trainees(s, cfg)
	}
	w.rosterChanges(s)
}

// rosterChanges is the sentence of the comparison with the previous period's
// rosters (summary.json roster_changes); none without a previous period.
func (w *writer) rosterChanges(s *summary.Summary) {
	rc := s.RosterChanges
	if rc == nil {
		return
	}
	var this, prev []string
	for _, u := range rc.UnitsNotCompared {
		if u.Missing == summary.MissingThis {
			this = append(this, u.Unit)
		} else {
			prev = append(prev, u.Unit)
		}
	}
	d := rc.MovedByDirection
	w.add("roster_changes", map[string]any{"Previous": Period(rc.Previous), "Joined": rc.Joined, "Left": rc.Left,
		"Moved": rc.Moved, "Down": d["xuong"], "Level": d["ngang"], "Up": d["len"], "UnknownDir": d[schema.Unknown],
		"Unsure": rc.Unsure, "InRegister": rc.InRegister,
		"NotSentThis": strings.Join(this, ", "), "NotSentPrevious": strings.Join(prev, ", ")})
}

// TraineePart is one kind of training in a trainee sentence: attendances and people.
type TraineePart struct {
	Label       string
	Luot, Nguoi int
}

// trainees says, for each yes/no trainee dimension (report.yaml trainee_breakdowns:
// dân tộc thiểu số …), the training of the trainees who have it, by kind, in
// attendances and in people: "Trong đó, người học dân tộc thiểu số: … lý luận chính
// trị 56 lượt (52 người) …", each figure saying which it is.
func (w *writer) trainees(s *summary.Summary, cfg *schema.Config) {
	kind := cfg.Field(cfg.Training.Field)
	for _, code := range cfg.Report.TraineeBreakdowns {
		f := cfg.Field(code)
		c, ok := s.Training.ByTrainee[code]["true"]
		if f == nil || kind == nil || f.Type != schema.TypeBool || !ok || c.Total == 0 {
			continue
		}
		var parts []TraineePart
		for _, k := range cfg.Codes(kind) {
			if n := c.ByType[k.Code]; n > 0 {
				parts = append(parts, TraineePart{Label: LowerFirst(k.Label), Luot: n, Nguoi: c.PeopleByType[k.Code]})
			}
		}
		w.add("trainee", map[string]any{"Label": LowerFirst(f.Label), "Total": c.Total, "People": c.People, "Parts": parts,
			"Appendix": cfg.Report.Document.WantsAppendix("training")})
	}
}

// learners says, after the headcount it explains, how the lists a unit sent of
// other units' people were counted: under the senders (units.yaml lists:
// learners), their workplaces only detail; or, for lists whose sender units.yaml
// does not say so, by the workplaces their rows name, which then are units of the
// report that sent nothing themselves. A leader reading "73 đơn vị" must know that
// two of them are schools counted by their learners, or that dozens are merely
// learners' workplaces.
func (w *writer) learners() {
	const most = 10
	var names []string
	people, places, seen := 0, 0, map[string]bool{}
	for _, u := range w.s.Units {
		if len(u.Workplaces) == 0 {
			continue
		}
		names = append(names, u.Unit)
		people += u.Headcount
		for _, p := range u.Workplaces {
			if !seen[p.Unit] {
				seen[p.Unit] = true
				places++
			}
		}
	}
	if len(names) > 0 {
		if len(names) > most {
			names = append(names[:most], fmt.Sprintf("%s đơn vị khác", Int(len(names)-most)))
		}
		w.add("units_learners", map[string]any{"Units": joinAnd(names), "People": people, "Workplaces": places})
	}
	n := 0
	for _, u := range w.s.UnitCheck.Unknown {
		if u.Workplace {
			n++
		}
	}
	if n > 0 {
		w.add("units_workplaces", map[string]any{"Count": n})
	}
}

// notReported says which dimensions the files do not report, one sentence per set
// of groups ("Các tệp của A và B (280 người) không có số liệu về quản lý nhà nước").
func (w *writer) notReported(dims []string, missing map[string][]string) {
	type sentence struct {
		groups []string
		labels []string
	}
	var list []*sentence
	for _, dim := range dims {
		gs := missing[dim]
		if len(gs) == 0 {
			continue
		}
		label := LowerFirst(w.cfg.Field(dim).Label)
		i := slices.IndexFunc(list, func(x *sentence) bool { return slices.Equal(x.groups, gs) })
		if i < 0 {
			list = append(list, &sentence{groups: gs})
			i = len(list) - 1
		}
		list[i].labels = append(list[i].labels, label)
	}
	for _, x := range list {
		var names []string
		people := 0
		for _, g := range x.groups {
			if g == "" {
				continue
			}
			names = append(names, w.t.GroupName(w.s, w.cfg, g))
			for _, u := range w.s.Groups {
				if u.Group == g {
					people += u.Headcount
				}
			}
		}
		w.add("not_reported", map[string]any{"Groups": joinAnd(names), "Headcount": people, "Labels": joinAnd(x.labels)})
	}
}

// partlyReported says in one sentence which dimensions some files have no column
// for, and how many people that leaves "chưa xác định" ("giới tính 111 người (2 tệp);
// lý luận chính trị và quản lý nhà nước 253 người (5 tệp)"): dimensions lacked by the
// same files are named together. Which files they are is in the Excel report's list.
func (w *writer) partlyReported(dims []string, files map[string][]summary.File) {
	type part struct {
		files     []string
		Labels    string
		labels    []string
		Headcount int
		Files     int
	}
	var list []*part
	for _, dim := range dims {
		fs := files[dim]
		if len(fs) == 0 {
			continue
		}
		names, people := make([]string, len(fs)), 0
		for i, f := range fs {
			names[i], people = f.File, people+f.Rows
		}
		i := slices.IndexFunc(list, func(x *part) bool { return slices.Equal(x.files, names) })
		if i < 0 {
			list = append(list, &part{files: names, Headcount: people, Files: len(names)})
			i = len(list) - 1
		}
		list[i].labels = append(list[i].labels, LowerFirst(w.cfg.Field(dim).Label))
	}
	if len(list) == 0 {
		return
	}
	for _, x := range list {
		x.Labels = joinAnd(x.labels)
	}
	w.add("partly_reported", map[string]any{"Parts": list})
}

// assessment writes section II: the change since the previous period, the targets
// met then missed, the units far behind, the standards, the data problems; and
// gathers the facts the recommendations speak of.
func (w *writer) assessment() {
	s := w.s
	if c := s.Changes(); c != nil {
		var moved []summary.TargetChange
		for _, tc := range c.Targets {
			if tc.Unit == "" && tc.Status == "" && (tc.MetChange != "" || tc.ShareChangePP != 0) {
				moved = append(moved, tc)
			}
		}
		w.add("change", map[string]any{"Period": Period(c.Period), "Headcount": c.Total.Headcount,
			"Previous": c.Total.PreviousHeadcount, "Change": c.Total.HeadcountChange, "Targets": moved})
	}
	// The targets met first, then those that fell short: what improved, then what did not.
	var met, rest []summary.Target
	unitAll, unitMet := 0, 0
	for _, tg := range s.Targets {
		switch {
		case tg.Unit != "":
			// Per-unit results are many; the assessment sums them up, names the
			// units far behind, and the targets table lists them all.
			unitAll++
			if tg.Met {
				unitMet++
			}
		case tg.Met && tg.Computed():
			met = append(met, tg)
		default:
			rest = append(rest, tg)
		}
	}
	all := len(met) + len(rest)
	if len(met) > 0 {
		w.add("targets_met", map[string]any{"All": all, "Targets": met})
	}
	var earliest string
	var missed []summary.Target
	for _, tg := range rest {
		switch {
		case !tg.Computed():
			w.add("target_not_computed", tg)
		case tg.Population == 0:
			w.add("target_empty", tg)
		default:
			missed = append(missed, tg)
			w.facts.missed = append(w.facts.missed, tg.Title)
			w.facts.shortfall += tg.Shortfall
			if tg.Deadline != "" && (earliest == "" || tg.Deadline < earliest) {
				earliest = tg.Deadline
			}
		}
	}
	if len(missed) > 0 {
		w.add("targets_not_met", map[string]any{"All": all, "Targets": missed})
	}
	w.facts.deadline = earliest
	if unitAll > 0 {
		w.add("target_units", map[string]any{"Met": unitMet, "All": unitAll})
	}
	for _, b := range behindTargets(s) {
		w.add("units_behind", b)
		for _, u := range b.Units {
			w.facts.addBehind(u.Unit)
		}
	}
	for _, st := range standardTotals(s) {
		w.add("standard", st)
		w.facts.below += st.Below
		if len(st.Units) > 0 {
			w.add("standard_behind", st)
			for _, u := range st.Units {
				w.facts.addBehind(u.Unit)
			}
		}
	}
	// Received are the workbooks units sent, used or not (a superseded one too); a
	// README or a lock file beside them (ignored) is not, as the Excel report and
	// canbo run count.
	received, accepted, rejected := 0, 0, 0
	for _, f := range s.Files {
		switch f.Status {
		case "accepted":
			accepted++
		case "rejected":
			rejected++
		}
		if f.Status != "ignored" {
			received++
		}
	}
	w.facts.errors, w.facts.rejected = s.Issues.Errors, rejected
	w.add("problems", map[string]any{"Files": received, "Accepted": accepted, "Rejected": rejected,
		"Errors": s.Issues.Errors, "Warnings": s.Issues.Warnings})
	w.unitCheck(s.UnitCheck)
}

// unitCheck says what a leader must know of the units behind the figures: those
// that must report and sent nothing (their people are missing from every figure),
// or, without a units registry, that nobody checked the units against a list, so
// a missing unit would not show. Names the registry does not know are the clerk's
// business (canbo run lists them), not the leader's.
func (w *writer) unitCheck(uc summary.UnitCheck) {
	const most = 10
	switch {
	case !uc.Registry:
		w.add("units_unchecked", nil)
	case len(uc.NotSent) > 0:
		names := make([]string, 0, most)
		for _, u := range uc.NotSent[:min(most, len(uc.NotSent))] {
			names = append(names, u.Unit)
		}
		w.add("units_not_sent", map[string]any{"Count": len(uc.NotSent), "Units": names, "More": len(uc.NotSent) - len(names)})
	}
}

// partsOf lists a dimension's non-zero codes in vocabulary order, highest level first
// for ordinals (as reports quote them: thạc sĩ, đại học, …).
func partsOf(cfg *schema.Config, f *schema.Field, counts map[string]int, total int, highFirst bool) []Part {
	codes := cfg.Codes(f)
	var parts []Part
	for _, c := range codes {
		if n := counts[c.Code]; n > 0 {
			parts = append(parts, Part{Label: LowerFirst(c.Label), Count: n, Share: summary.Share(n, total), code: c.Code})
		}
	}
	if highFirst && len(parts) > 1 {
		last := len(parts)
		if parts[last-1].Label == LowerFirst(codes[len(codes)-1].Label) {
			last-- // chưa xác định stays last
		}
		head := parts[:last]
		for i, j := 0, len(head)-1; i < j; i, j = i+1, j-1 {
			head[i], head[j] = head[j], head[i]
		}
	}
	return parts
}

// standardTotal is one standard over all units, with the units far behind it.
type standardTotal struct {
	Title             string
	Population, Below int
	Share             float64 // Below/Population
	Units             []UnitBehind
	More              int // further units far behind, not named
}

// UnitBehind is a unit far behind a target or a standard.
type UnitBehind struct {
	Unit              string
	Share             float64 // the target's share reached; the share below a standard
	Count, Population int     // a standard: persons below it of those it applies to
	Shortfall         int     // a target: persons still needed
}

// The units named as far behind, at most, per target or standard; and the least
// headcount a unit needs for its share below a standard to say something (one person
// of one is 100%).
const (
	maxBehind         = 5
	behindStandardMin = 10
)

// standardTotals sums each standard over its units, in first-seen order, and names
// the units of at least behindStandardMin people of whom half or more are below it,
// most behind first; a unit counted by its learners is not named (learnerUnits).
func standardTotals(s *summary.Summary) []standardTotal {
	var out []standardTotal
	idx := map[string]int{}
	learners := learnerUnits(s)
	for _, st := range s.Standards {
		i, ok := idx[st.ID]
		if !ok {
			i = len(out)
			idx[st.ID] = i
			out = append(out, standardTotal{Title: st.Title})
		}
		below := st.Population - st.Compliant
		out[i].Population += st.Population
		out[i].Below += below
		if st.Unit != "" && st.Population >= behindStandardMin && 2*below >= st.Population && !learners[st.Unit] {
			out[i].Units = append(out[i].Units, UnitBehind{Unit: st.Unit, Share: summary.Share(below, st.Population),
				Count: below, Population: st.Population})
		}
	}
	for i := range out {
		t := &out[i]
		t.Share = summary.Share(t.Below, t.Population)
		slices.SortStableFunc(t.Units, func(a, b UnitBehind) int {
			return cmp.Or(cmp.Compare(b.Share, a.Share), cmp.Compare(b.Count, a.Count))
		})
		if len(t.Units) > maxBehind {
			t.More, t.Units = len(t.Units)-maxBehind, t.Units[:maxBehind]
		}
	}
	return out
}

// learnerUnits are the units counted by the learners on the lists they sent
// (units with workplaces: a school's classes). Their figures are in every total,
// but the assessment does not call such a unit far behind a target or a standard,
// nor ask it to train its people: the learners are other units' staff, whose
// training their employers plan, and the school is where they are being trained.
func learnerUnits(s *summary.Summary) map[string]bool {
	out := map[string]bool{}
	for _, u := range s.Units {
		if len(u.Workplaces) > 0 {
			out[u.Unit] = true
		}
	}
	return out
}

// targetBehind is one target with the units far behind it.
type targetBehind struct {
	Title     string
	Threshold float64
	Units     []UnitBehind
	More      int
}

// behindTargets names, per target evaluated by unit, the units that reached less
// than half its threshold, furthest first: those the assessment calls far behind.
// A unit counted by its learners is not named (learnerUnits).
func behindTargets(s *summary.Summary) []targetBehind {
	var out []targetBehind
	idx := map[string]int{}
	learners := learnerUnits(s)
	for _, tg := range s.Targets {
		if tg.Unit == "" || tg.Met || !tg.Computed() || tg.Population == 0 || tg.Share*2 >= tg.Threshold || learners[tg.Unit] {
			continue
		}
		i, ok := idx[tg.ID]
		if !ok {
			i = len(out)
			idx[tg.ID] = i
			out = append(out, targetBehind{Title: tg.Title, Threshold: tg.Threshold})
		}
		out[i].Units = append(out[i].Units, UnitBehind{Unit: tg.Unit, Share: tg.Share, Count: tg.Count,
			Population: tg.Population, Shortfall: tg.Shortfall})
	}
	for i := range out {
		t := &out[i]
		slices.SortStableFunc(t.Units, func(a, b UnitBehind) int {
			return cmp.Or(cmp.Compare(a.Share, b.Share), cmp.Compare(b.Shortfall, a.Shortfall))
		})
		if len(t.Units) > maxBehind {
			t.More, t.Units = len(t.Units)-maxBehind, t.Units[:maxBehind]
		}
	}
	return out
}

// LowerFirst lowers the first letter of a label used inside a sentence ("Trình độ
// chuyên môn" → "trình độ chuyên môn"), leaving acronyms ("HĐND", "QP-AN") alone.
func LowerFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if r == utf8.RuneError || !unicode.IsUpper(r) {
		return s
	}
	// Keep acronyms ("QP-AN", "LLCT") as they are.
	if r2, _ := utf8.DecodeRuneInString(s[n:]); unicode.IsUpper(r2) {
		return s
	}
	return string(unicode.ToLower(r)) + s[n:]
}

// TrainingDates are the months the counted training started in, as the report
// shows them ("03/2015", "09/2023"; "" when no counted record has a date), and how
// many counted records have no date: a month's report counts every row of the
// registers, and the reader must see which courses those are.
func TrainingDates(d *summary.TrainingDates) (first, last string, undated int) {
	if d == nil {
		return "", "", 0
	}
	month := func(iso string) string {
		if len(iso) < len("2006-01") {
			return ""
		}
		return Period(iso[:len("2006-01")])
	}
	return month(d.First), month(d.Last), d.Undated
}
