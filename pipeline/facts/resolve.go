package facts

import (
	"slices"
	"strconv"

	"canbo/pipeline/ingest"
	"canbo/pipeline/summary"
	"canbo/pipeline/textfold"
	"canbo/pipeline/units"
)

// maxSuggested is how many unknown unit names get the closest registered name as a
// suggestion: each costs a comparison with every registered name, and a flood of
// unknown names (a column of something else read as units) is not a list anyone
// goes through name by name. Later names are still listed, without a suggestion.
const maxSuggested = 500

// resolveUnits puts together, within each group, the tallies of one unit written in
// several ways, once every file is counted: units are told apart by their names as
// written, and whether two names are one unit needs all the names of the period
// (units.Merge). In a group the units registry (units.yaml) covers, a name it knows
// is counted under the registered unit and shown by its official name; a name it
// does not know is listed in check (when list is set) with the closest registered
// name, and merged with its obvious variants only. check.Registry says whether any
// group was matched against the registry. Counting per file is left as it was, so
// the files' kept parts do not depend on the registry.
func (c *counter) resolveUnits(ts *tallies, check *summary.UnitCheck, list bool) {
	reg := c.cfg.Units.Registry()
	if reg != nil && reg.Len() == 0 {
		reg = nil
	}
	var groups []string
	byGroup := map[string][]*tally{}
	for _, t := range ts.order {
		if _, ok := byGroup[t.group]; !ok {
			groups = append(groups, t.group)
		}
		byGroup[t.group] = append(byGroup[t.group], t)
	}
	out := tallies{byKey: map[string]*tally{}}
	spellings := map[*tally][]string{}
	for _, g := range groups {
		list0 := byGroup[g]
		if reg != nil && reg.Covers(g) {
			check.Registry = true
		}
		names := make([]string, len(list0))
		for i, t := range list0 {
			names[i] = t.name
		}
		suggest := func() bool { return list && len(check.Unknown) < maxSuggested }
		var unknown func(int, units.Match)
		if list {
			unknown = func(i int, m units.Match) {
				t := list0[i]
				u := summary.UnknownUnit{Unit: t.name, Group: g, People: t.headcount}
				// A misspelt unit is one of the folder's own: a close name of another
				// group's ("Xã Đăk Sao" in Kon Tum, "UBND xã Đại Sảo" in Chợ Đồn) is
				// a different place, not a suggestion.
				if sg := m.Suggestion; sg >= 0 && (reg.Group(sg) == "" || reg.Group(sg) == g) {
					u.Suggestion = reg.Name(sg)
				}
				// A name close to a registered one is taken for a misspelling of it,
				// wherever it is written; only a name like none is a mere workplace.
				u.Workplace = u.Suggestion == "" && len(m.Ambiguous) == 0 && c.workplaces[g+"\x00"+textfold.UnitKey(t.name)]
				for _, a := range m.Ambiguous {
					u.Ambiguous = append(u.Ambiguous, reg.Name(a))
				}
				check.Unknown = append(check.Unknown, u)
			}
		}
		keys, shown := identify(reg, g, names, suggest, unknown)
		for i, t := range list0 {
			k := g + keys[i]
			if have := out.byKey[k]; have != nil {
				have.add(t)
				if !slices.Contains(spellings[have], t.name) {
					spellings[have] = append(spellings[have], t.name)
				}
				continue
			}
			spellings[t] = []string{t.name}
			t.key, t.name = k, shown[i]
			out.byKey[k] = t
			out.order = append(out.order, t)
		}
	}
	if list {
		for _, t := range out.order {
			if len(spellings[t]) > 1 {
				check.Merged = append(check.Merged, summary.MergedUnit{Unit: t.name, Group: t.group, Spellings: spellings[t]})
			}
		}
	}
	*ts = out
}

// identify tells apart the units of one group by their names, as the report counts
// them: a name the registry knows (when it covers the group) is its registered
// unit, shown by the official name; the other names merge with their obvious
// variants (units.Merge), shown by the first spelling. keys[i] is the same for
// names of one unit. unknown, when set, is called for each name the registry
// covers but does not know, with the match (a suggestion when suggest, if set,
// says so at the time).
func identify(reg *units.Registry, group string, names []string, suggest func() bool, unknown func(int, units.Match)) (keys, shown []string) {
	keys, shown = make([]string, len(names)), make([]string, len(names))
	covered := reg != nil && reg.Len() > 0 && reg.Covers(group)
	var rest []int // names the registry does not know
	for i, n := range names {
		if !covered || n == "" {
			rest = append(rest, i)
			continue
		}
		m := reg.Find(n, group, suggest != nil && suggest())
		if m.Unit >= 0 {
			keys[i], shown[i] = "\x00reg\x00"+strconv.Itoa(m.Unit), reg.Name(m.Unit)
			continue
		}
		rest = append(rest, i)
		if unknown != nil {
			unknown(i, m)
		}
	}
	other := make([]string, len(rest))
	for j, i := range rest {
		other[j] = names[i]
	}
	for j, r := range units.Merge(other) {
		keys[rest[j]], shown[rest[j]] = "\x00name\x00"+strconv.Itoa(rest[r]), other[r]
	}
	return keys, shown
}

// notSent lists the registered units that must send a file each period and have no
// accepted file. A unit has sent when an accepted file is its (the file's unit is
// the unit's name or alias) or carries its people by a unit column (a commune office
// sending one file for two communes): its figures are in the report either way. A
// unit of a group the run has no file of is not listed: a run over one district's
// folder does not report the others' units as missing. A list of learners (from)
// was sent by its sender: the workplaces it names sent nothing. files are b's
// files as summary.File, in the same order.
func (c *counter) notSent(b *ingest.Batch, files []summary.File, from sender) []summary.UnitRef {
	reg := c.cfg.Units.Registry()
	if reg == nil || reg.Len() == 0 {
		return nil
	}
	sent := map[int]bool{}
	mark := func(name, group string) {
		if name == "" {
			return
		}
		if m := reg.Find(name, group, false); m.Unit >= 0 {
			sent[m.Unit] = true
		}
	}
	for i, f := range files {
		if f.Status != ingest.Accepted {
			continue
		}
		if from.unit[i] >= 0 {
			sent[from.unit[i]] = true
		} else {
			mark(f.Unit, f.Group)
		}
		if from.learners[i] {
			continue
		}
		for _, sh := range b.Files[i].Sheets {
			if sh.NotCounted == "" {
				for _, u := range sh.ColumnUnits {
					mark(u, f.Group)
				}
			}
		}
	}
	ran := map[string]bool{} // the groups the run has files of
	for _, f := range files {
		ran[f.Group] = true
	}
	var out []summary.UnitRef
	for i, u := range c.cfg.Units.Units {
		if g := reg.Group(i); g != "" && !ran[g] {
			continue
		}
		if u.MustSend && !sent[i] {
			out = append(out, summary.UnitRef{Unit: u.Name.Value, Group: u.Group.Value})
		}
	}
	return out
}

// workplacesOf is, by group and folded name, the units named only as people's
// workplaces on lists other units sent: the unit column of a file whose own unit
// is none of them, or names several (a school's class list, a district's combined
// roster). Such a name need not be in the registry: canbo run tells them apart from
// the senders' names it does not know. files are b's files as summary.File. A list
// of learners (from) names no unit of the report: its people are its sender's.
func workplacesOf(b *ingest.Batch, files []summary.File, from sender) map[string]bool {
	out := map[string]bool{}
	for i, f := range files {
		if f.Status != ingest.Accepted || from.learners[i] {
			continue
		}
		own := textfold.UnitKey(f.Unit)
		seen := map[string]bool{}
		for _, sh := range b.Files[i].Sheets {
			if sh.NotCounted == "" {
				for _, u := range sh.ColumnUnits {
					seen[textfold.UnitKey(u)] = true
				}
			}
		}
		if len(seen) < 2 && (len(seen) == 0 || seen[own]) {
			continue // the file's own people
		}
		for k := range seen {
			if k != own {
				out[f.Group+"\x00"+k] = true
			}
		}
	}
	return out
}
