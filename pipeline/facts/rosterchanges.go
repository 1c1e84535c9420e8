package facts

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"canbo/pipeline/ingest"
	"canbo/pipeline/normalize"
	"canbo/pipeline/schema"
	"canbo/pipeline/summary"
	"canbo/pipeline/textfold"
)

// Comparing two periods' rosters tells who joined, left or moved between units
// without a movements register: the same person, found by ID number, else by name
// and birth date, in another unit than last period. A name alone never matches (a
// namesake is common): two people with the same name in the same unit and nothing
// else to tell them by are listed as unsure, not counted.
//
// A unit whose roster is in one period only would make all its people look joined
// or left, a wrong count nobody would notice: its unmatched people are counted in
// neither, and the unit is listed as not compared.
//
// Cost: each roster is held as a compact keyed form (PreviousRoster), three hashes,
// the unit, the file and row and the name and birth date, about 100 bytes a person,
// and only when a previous period is asked for: a run without one is unchanged.

// PreviousRoster is a period's rosters as the comparison needs them.
type PreviousRoster struct {
	Period string // YYYY-MM
	people []rosterPerson
	units  []rosterUnit
	files  []string
}

// rosterPerson is one counted roster row. The keys are hashes (0 = not given): ID
// number; folded name and birth date; folded name and unit.
type rosterPerson struct {
	id, nameBirth, nameUnit uint64
	unit, file              uint32
	row                     int32
	name, birth             string
}

// rosterUnit is a unit of a roster: its name in the report (units.yaml's when
// registered), group and level, and the key it is compared by across periods.
type rosterUnit struct {
	name, group, level, key string
}

// ReadRoster keeps the counted roster rows of b's accepted files, for comparing a
// later period's with (Options.Previous) or, in Build, this period's.
func ReadRoster(ctx context.Context, cfg *schema.Config, b *ingest.Batch, period string) (*PreviousRoster, error) {
	c := &counter{cfg: cfg}
	return c.readRoster(ctx, b, period)
}

func (c *counter) readRoster(ctx context.Context, b *ingest.Batch, period string) (*PreviousRoster, error) {
	out := &PreviousRoster{Period: period}
	k := newKeyer(c.cfg)
	units := map[[2]string]uint32{} // as the files write them → out.units
	byKey := map[string]uint32{}    // as compared → out.units
	for _, f := range b.Files {
		if f.Status != ingest.Accepted || f.Tally().Counted[Roster] == 0 {
			continue
		}
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		file := uint32(len(out.files))
		out.files = append(out.files, f.Name)
		err := f.Scan(func(r *normalize.Record) error {
			if r.Dataset != Roster || !r.Counted() {
				return nil
			}
			ks := k.keys(r)
			if ks == (personKeys{}) {
				return nil // no name: nobody to compare
			}
			u, ok := units[[2]string{r.Unit, r.Group}]
			if !ok {
				name, level := c.unitLevel(r.Unit, r.Group)
				key := r.Group + "\x1f" + textfold.UnitKey(name)
				if u, ok = byKey[key]; !ok {
					u = uint32(len(out.units))
					out.units = append(out.units, rosterUnit{name: name, group: r.Group, level: level, key: key})
					byKey[key] = u
				}
				units[[2]string{r.Unit, r.Group}] = u
			}
			// The unit in the name's key is the compared one, not the spelling of the
			// file, so the same person in the same unit has the same key both periods.
			nu := hash64(append(textfold.AppendKey([]byte{keyNameUnit}, r.Value(k.name).Text), "\x00"+out.units[u].key...))
			out.people = append(out.people, rosterPerson{id: ks.ID, nameBirth: ks.NameBirth, nameUnit: nu, unit: u, file: file,
				row: int32(r.Row), name: strings.Clone(r.Value(k.name).Text), birth: strings.Clone(r.Value(k.birth).Text)})
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("đọc danh sách %s để so với kỳ trước: %w", f.Name, err)
		}
	}
	return out, nil
}

// Reasons an unsure change is unsure (summary.RosterChange.Reason).
const (
	reasonBirthChanged = "birth_date_changed"
	reasonIDChanged    = "id_changed"
	reasonSeveral      = "several_candidates"
	reasonNameOnly     = "name_only"
)

// rosterMatch is the outcome of matching two rosters: for each person of cur the
// index of the previous period's person, or one of the marks below.
type rosterMatch struct {
	cur, prev []int32
	reason    []string // per cur person, why it is unsure; "" when it is not
}

const (
	unmatched int32 = -1
	unsure    int32 = -2 // consumed, listed as unsure
)

// keyIndex is a key and the person it belongs to, sorted by key to find everyone
// with a key without a map per key.
type keyIndex struct {
	k uint64
	i int32
}

func indexBy(ps []rosterPerson, key func(*rosterPerson) uint64, take func(int32) bool) []keyIndex {
	var out []keyIndex
	for i := range ps {
		if k := key(&ps[i]); k != 0 && take(int32(i)) {
			out = append(out, keyIndex{k, int32(i)})
		}
	}
	slices.SortFunc(out, func(a, b keyIndex) int {
		if a.k != b.k {
			if a.k < b.k {
				return -1
			}
			return 1
		}
		return int(a.i - b.i)
	})
	return out
}

// with is the run of idx with key k.
func with(idx []keyIndex, k uint64) []keyIndex {
	i, _ := slices.BinarySearchFunc(idx, k, func(e keyIndex, k uint64) int {
		switch {
		case e.k < k:
			return -1
		case e.k > k:
			return 1
		}
		return 0
	})
	j := i
	for j < len(idx) && idx[j].k == k {
		j++
	}
	return idx[i:j]
}

// matchRosters matches the people of cur to those of prev in three passes, each
// over the people the earlier ones left: by ID number; by name and birth date; by
// name in the same unit, which only ever makes an unsure change.
func matchRosters(prev, cur *PreviousRoster) rosterMatch {
	m := rosterMatch{cur: make([]int32, len(cur.people)), prev: make([]int32, len(prev.people)), reason: make([]string, len(cur.people))}
	for i := range m.cur {
		m.cur[i] = unmatched
	}
	for i := range m.prev {
		m.prev[i] = unmatched
	}
	free := func(marks []int32) func(int32) bool { return func(i int32) bool { return marks[i] == unmatched } }
	pass := func(key func(*rosterPerson) uint64, decide func(c, p int32, cs, ps []keyIndex) string) {
		pi := indexBy(prev.people, key, free(m.prev))
		ci := indexBy(cur.people, key, free(m.cur))
		for len(ci) > 0 {
			cs := with(ci, ci[0].k)
			ci = ci[len(cs):]
			ps := with(pi, cs[0].k)
			if len(ps) == 0 {
				continue
			}
			why := reasonSeveral
			if len(cs) == 1 && len(ps) == 1 {
				why = decide(cs[0].i, ps[0].i, cs, ps)
			}
			if why == "" {
				m.cur[cs[0].i], m.prev[ps[0].i] = ps[0].i, cs[0].i
				continue
			}
			for _, c := range cs {
				m.cur[c.i], m.reason[c.i] = unsure, why
				if len(ps) == 1 {
					m.cur[c.i] = -3 - ps[0].i // unsure, with the one candidate
				}
			}
			for _, p := range ps {
				m.prev[p.i] = unsure
			}
		}
	}
	pass(func(p *rosterPerson) uint64 { return p.id }, func(c, p int32, _, _ []keyIndex) string {
		if b, a := cur.people[c].birth, prev.people[p].birth; a != "" && b != "" && a != b {
			return reasonBirthChanged
		}
		return ""
	})
	pass(func(p *rosterPerson) uint64 { return p.nameBirth }, func(c, p int32, _, _ []keyIndex) string {
		if a, b := cur.people[c].id, prev.people[p].id; a != 0 && b != 0 && a != b {
			return reasonIDChanged
		}
		return ""
	})
	pass(func(p *rosterPerson) uint64 { return p.nameUnit }, func(int32, int32, []keyIndex, []keyIndex) string { return reasonNameOnly })
	return m
}

// candidate is the previous period's person an unsure mark names, or -1.
func candidate(mark int32) int32 {
	if mark <= -3 {
		return -3 - mark
	}
	return -1
}

// rosterChanges compares the batch's rosters with prev.
func (c *counter) rosterChanges(ctx context.Context, b *ingest.Batch, prev *PreviousRoster, reg *summary.Movements) (*summary.RosterChanges, error) {
	cur, err := c.readRoster(ctx, b, "")
	if err != nil {
		return nil, err
	}
	m := matchRosters(prev, cur)
	out := &summary.RosterChanges{Previous: prev.Period, MovedByDirection: newDirections(),
		UnitsNotCompared: []summary.UnitNotCompared{}, List: []summary.RosterChange{}}
	in := registered(reg)
	// Units by their key in the other period: a person unmatched in a unit the other
	// period has no roster of is not counted.
	has := func(r *PreviousRoster) map[string]bool {
		h := map[string]bool{}
		for _, u := range r.units {
			h[u.key] = true
		}
		return h
	}
	inPrev, inCur := has(prev), has(cur)
	missing := map[string]*summary.UnitNotCompared{}
	var order []string
	notCompared := func(u rosterUnit, miss string) {
		n := missing[u.key]
		if n == nil {
			n = &summary.UnitNotCompared{Unit: u.name, Group: u.group, Missing: miss}
			missing[u.key] = n
			order = append(order, u.key)
		}
		n.People++
	}
	var moved, joined, left, unsureList []summary.RosterChange
	for i, p := range m.cur {
		cp := &cur.people[i]
		cu := cur.units[cp.unit]
		ch := summary.RosterChange{Name: cp.name, BirthDate: cp.birth, ToUnit: cu.name, ToLevel: cu.level,
			File: cur.files[cp.file], Row: int(cp.row)}
		switch {
		case p >= 0:
			pp := &prev.people[p]
			pu := prev.units[pp.unit]
			if pu.key == cu.key {
				continue
			}
			ch.Change, ch.FromUnit, ch.FromLevel = summary.ChangeMoved, pu.name, pu.level
			ch.Direction = c.direction(pu.level, cu.level)
			ch.PreviousFile, ch.PreviousRow = prev.files[pp.file], int(pp.row)
			if in.has(cp.name, cp.birth, cu.name, pu.name) {
				out.InRegister++
				continue
			}
			out.Moved++
			out.MovedByDirection[ch.Direction]++
			moved = append(moved, ch)
		case p == unmatched:
			if !inPrev[cu.key] {
				notCompared(cu, summary.MissingPrevious)
				continue
			}
			if in.has(cp.name, cp.birth, cu.name, "") {
				out.InRegister++
				continue
			}
			ch.Change = summary.ChangeJoined
			out.Joined++
			joined = append(joined, ch)
		default:
			ch.Change, ch.Reason = summary.ChangeUnsure, m.reason[i]
			if q := candidate(p); q >= 0 {
				pp := &prev.people[q]
				ch.FromUnit, ch.FromLevel = prev.units[pp.unit].name, prev.units[pp.unit].level
				ch.PreviousFile, ch.PreviousRow = prev.files[pp.file], int(pp.row)
			}
			out.Unsure++
			unsureList = append(unsureList, ch)
		}
	}
	for i, q := range m.prev {
		if q != unmatched {
			continue
		}
		pp := &prev.people[i]
		pu := prev.units[pp.unit]
		if !inCur[pu.key] {
			notCompared(pu, summary.MissingThis)
			continue
		}
		if in.has(pp.name, pp.birth, "", pu.name) {
			out.InRegister++
			continue
		}
		out.Left++
		left = append(left, summary.RosterChange{Change: summary.ChangeLeft, Name: pp.name, BirthDate: pp.birth,
			FromUnit: pu.name, FromLevel: pu.level, File: prev.files[pp.file], Row: int(pp.row)})
	}
	for _, k := range order {
		out.UnitsNotCompared = append(out.UnitsNotCompared, *missing[k])
	}
	out.List = append(out.List, slices.Concat(moved, joined, left, unsureList)...) // [], not null, when empty
	return out, nil
}

// register is what a movements register says, to find a roster change it already
// lists: its people by folded name and birth date, and by folded name and the unit
// they left or went to.
type register struct {
	nameBirth, nameFrom, nameTo map[string]bool
}

func registered(mv *summary.Movements) register {
	r := register{map[string]bool{}, map[string]bool{}, map[string]bool{}}
	if mv == nil {
		return r
	}
	for _, m := range mv.List {
		n := textfold.Key(m.Name)
		if m.BirthDate != "" {
			r.nameBirth[n+"\x00"+m.BirthDate] = true
		}
		r.nameFrom[n+"\x00"+textfold.UnitKey(m.FromUnit)] = true
		r.nameTo[n+"\x00"+textfold.UnitKey(m.ToUnit)] = true
	}
	return r
}

// has reports whether the register lists the person: by name and birth date, else
// by name and the unit they went to (to) or left (from), "" for a unit not known.
func (r register) has(name, birth, to, from string) bool {
	if len(r.nameBirth)+len(r.nameFrom) == 0 {
		return false
	}
	n := textfold.Key(name)
	if birth != "" && r.nameBirth[n+"\x00"+birth] {
		return true
	}
	return (to != "" && r.nameTo[n+"\x00"+textfold.UnitKey(to)]) || (from != "" && r.nameFrom[n+"\x00"+textfold.UnitKey(from)])
}

// Len is the number of people the rosters count.
func (r *PreviousRoster) Len() int { return len(r.people) }
