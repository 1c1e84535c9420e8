package facts

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"canbo/pipeline/ingest"
	"canbo/pipeline/normalize"
	"canbo/pipeline/schema"
	"canbo/pipeline/summary"
	"canbo/pipeline/textfold"
)

// Comparing two periods' rosters tells who joined, left or moved between units
// without a movements register: the same person, found by ID number, else by name
// and birth date, in another unit than last period. A name alone never matches (a
// namesake is common): someone unmatched whose name is in the same unit last
// period, with another birth date or none, is listed as unsure, not counted.
//
// A unit whose roster is in one period only would make all its people look joined
// or left, a wrong count nobody would notice: its unmatched people are counted in
// neither, and the unit is listed as not compared.
//
// Cost: each roster is held as 32 bytes a person without a pointer (hashes of the
// ID number and of the folded name, the birth date as a day number, the unit, file
// and row), so the collector has nothing to scan in it; the names of the people
// listed are read again from their spooled files once the comparison is made.
// 1,000,000 people compared with as many peaked at 278 MiB (416 MiB when each
// person's name was held as a string). Only when a previous period is given: a run
// without one is unchanged.

// PreviousRoster is a period's rosters as the comparison needs them. It reads its
// batch's files again for the names of the people it lists: the batch must stay
// open until Build is done.
type PreviousRoster struct {
	Period string // YYYY-MM
	people []rosterPerson
	units  []rosterUnit
	files  []*ingest.File
	starts []int32 // the first person of each file; a file's people are in Scan order
}

// rosterPerson is one counted roster row that gives a name. Hashes are 0 when the
// row does not give the value; birth is days since birthEpoch plus one, 0 for none.
type rosterPerson struct {
	id, name   uint64
	unit, file uint32
	row, birth int32
}

var birthEpoch = time.Date(1800, 1, 1, 0, 0, 0, 0, time.UTC)

func birthDay(v normalize.Value) int32 {
	if !v.Set {
		return 0
	}
	d, err := time.Parse("2006-01-02", v.Text)
	if err != nil {
		return 0
	}
	return int32(d.Sub(birthEpoch)/(24*time.Hour)) + 1
}

func birthText(day int32) string {
	if day == 0 {
		return ""
	}
	return birthEpoch.AddDate(0, 0, int(day-1)).Format("2006-01-02")
}

// rosterUnit is a unit of a roster: its name in the report (units.yaml's when
// registered), group and level, and the key it is compared by across periods.
type rosterUnit struct {
	name, group, level, key string
	hash                    uint64 // of key
}

// mix is a hash of two hashes (splitmix64's finaliser over their combination),
// never 0: the name's with a birth date or a unit makes the keys a person is
// matched by, without holding one per key.
func mix(a, b uint64) uint64 {
	h := a ^ (b + 0x9e3779b97f4a7c15 + a<<6 + a>>2)
	h ^= h >> 30
	h *= 0xbf58476d1ce4e5b9
	h ^= h >> 27
	h *= 0x94d049bb133111eb
	h ^= h >> 31
	if h == 0 {
		h = 1
	}
	return h
}

func (r *PreviousRoster) nameBirth(p *rosterPerson) uint64 {
	if p.name == 0 || p.birth == 0 {
		return 0
	}
	return mix(p.name, uint64(p.birth))
}

func (r *PreviousRoster) nameUnit(p *rosterPerson) uint64 {
	if p.name == 0 {
		return 0
	}
	return mix(p.name, r.units[p.unit].hash)
}

// ReadRoster keeps the counted roster rows of b's accepted files, for comparing a
// later period's with (Options.Previous). b must stay open until Build is done.
func ReadRoster(ctx context.Context, cfg *schema.Config, b *ingest.Batch, period string) (*PreviousRoster, error) {
	c := &counter{cfg: cfg}
	return c.readRoster(ctx, b, period)
}

// rostered says whether a record is one of the people a roster compares: counted,
// with a name. readRoster and names must agree on it.
func rostered(r *normalize.Record, name *schema.Field) bool {
	return r.Dataset == Roster && r.Counted() && r.Value(name).Set
}

func (c *counter) readRoster(ctx context.Context, b *ingest.Batch, period string) (*PreviousRoster, error) {
	out := &PreviousRoster{Period: period}
	nameF, idF, birthF := c.cfg.Field(fieldName), c.cfg.Field(fieldID), c.cfg.Field(fieldBirth)
	units := map[[2]string]uint32{} // as the files write them → out.units
	byKey := map[string]uint32{}    // as compared → out.units
	var buf []byte
	for _, f := range b.Files {
		if f.Status != ingest.Accepted || f.Tally().Counted[Roster] == 0 {
			continue
		}
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		file := uint32(len(out.files))
		out.files = append(out.files, f)
		out.starts = append(out.starts, int32(len(out.people)))
		err := f.Scan(func(r *normalize.Record) error {
			if !rostered(r, nameF) {
				return nil
			}
			u, ok := units[[2]string{r.Unit, r.Group}]
			if !ok {
				name, level, key := c.comparedUnit(r.Unit, r.Group)
				if u, ok = byKey[key]; !ok {
					u = uint32(len(out.units))
					out.units = append(out.units, rosterUnit{name: name, group: r.Group, level: level, key: key, hash: hash64([]byte(key))})
					byKey[key] = u
				}
				units[[2]string{r.Unit, r.Group}] = u
			}
			p := rosterPerson{unit: u, file: file, row: int32(r.Row), birth: birthDay(r.Value(birthF))}
			buf = textfold.AppendKey(append(buf[:0], keyNameBirth), r.Value(nameF).Text)
			p.name = hash64(buf)
			if v := r.Value(idF); v.Set {
				p.id = hash64(append(append(buf[:0], keyID), v.Text...))
			}
			out.people = append(out.people, p)
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("đọc danh sách %s để so với kỳ trước: %w", f.Name, err)
		}
	}
	return out, nil
}

// names reads again the files of the people want lists (indexes into r.people)
// and returns their names, in want's order.
func (r *PreviousRoster) names(cfg *schema.Config, want []int32) ([]string, error) {
	out := make([]string, len(want))
	at := make(map[int32]int, len(want))
	files := map[uint32]bool{}
	for i, p := range want {
		at[p] = i
		files[r.people[p].file] = true
	}
	nameF := cfg.Field(fieldName)
	for f := range r.files {
		if !files[uint32(f)] {
			continue
		}
		i := r.starts[f]
		err := r.files[f].Scan(func(rec *normalize.Record) error {
			if !rostered(rec, nameF) {
				return nil
			}
			if j, ok := at[i]; ok {
				out[j] = strings.Clone(rec.Value(nameF).Text)
			}
			i++
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("đọc lại danh sách %s: %w", r.files[f].Name, err)
		}
	}
	return out, nil
}

// Reasons an unsure change is unsure (summary.RosterChange.Reason), by their
// number in rosterMatch.reason.
const (
	reasonNone uint8 = iota
	reasonBirthChanged
	reasonIDChanged
	reasonSeveral
	reasonNameOnly
)

var reasonCodes = [...]string{reasonNone: "", reasonBirthChanged: "birth_date_changed", reasonIDChanged: "id_changed",
	reasonSeveral: "several_candidates", reasonNameOnly: "name_only"}

// rosterMatch is the outcome of matching two rosters: for each person of cur the
// index of the previous period's person, or one of the marks below.
type rosterMatch struct {
	cur, prev []int32
	reason    []uint8 // per cur person, why it is unsure; reasonNone when it is not
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

func indexBy(r *PreviousRoster, key func(*PreviousRoster, *rosterPerson) uint64, take func(int32) bool) []keyIndex {
	var out []keyIndex
	for i := range r.people {
		if k := key(r, &r.people[i]); k != 0 && take(int32(i)) {
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
	m := rosterMatch{cur: make([]int32, len(cur.people)), prev: make([]int32, len(prev.people)), reason: make([]uint8, len(cur.people))}
	for i := range m.cur {
		m.cur[i] = unmatched
	}
	for i := range m.prev {
		m.prev[i] = unmatched
	}
	free := func(marks []int32) func(int32) bool { return func(i int32) bool { return marks[i] == unmatched } }
	pass := func(key func(*PreviousRoster, *rosterPerson) uint64, decide func(c, p int32) uint8) {
		pi := indexBy(prev, key, free(m.prev))
		ci := indexBy(cur, key, free(m.cur))
		for len(ci) > 0 {
			cs := with(ci, ci[0].k)
			ci = ci[len(cs):]
			ps := with(pi, cs[0].k)
			if len(ps) == 0 {
				continue
			}
			why := reasonSeveral
			if len(cs) == 1 && len(ps) == 1 {
				why = decide(cs[0].i, ps[0].i)
			}
			if why == reasonNone {
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
	pass(func(_ *PreviousRoster, p *rosterPerson) uint64 { return p.id }, func(c, p int32) uint8 {
		if b, a := cur.people[c].birth, prev.people[p].birth; a != 0 && b != 0 && a != b {
			return reasonBirthChanged
		}
		return reasonNone
	})
	pass((*PreviousRoster).nameBirth, func(c, p int32) uint8 {
		if a, b := cur.people[c].id, prev.people[p].id; a != 0 && b != 0 && a != b {
			return reasonIDChanged
		}
		return reasonNone
	})
	pass((*PreviousRoster).nameUnit, func(int32, int32) uint8 { return reasonNameOnly })
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
	// The changes, as people of either roster: their names are read once they are known.
	type change struct {
		kind      string
		cur, prev int32 // -1 when not in that period
		why       uint8
	}
	var changes []change
	for i, p := range m.cur {
		cp := &cur.people[i]
		switch {
		case p >= 0:
			if prev.units[prev.people[p].unit].key != cur.units[cp.unit].key {
				changes = append(changes, change{summary.ChangeMoved, int32(i), p, reasonNone})
			}
		case p == unmatched:
			if !inPrev[cur.units[cp.unit].key] {
				notCompared(cur.units[cp.unit], summary.MissingPrevious)
				continue
			}
			changes = append(changes, change{summary.ChangeJoined, int32(i), -1, reasonNone})
		default:
			changes = append(changes, change{summary.ChangeUnsure, int32(i), candidate(p), m.reason[i]})
		}
	}
	for i, q := range m.prev {
		if q != unmatched {
			continue
		}
		if pu := prev.units[prev.people[i].unit]; !inCur[pu.key] {
			notCompared(pu, summary.MissingThis)
			continue
		}
		changes = append(changes, change{summary.ChangeLeft, -1, int32(i), reasonNone})
	}
	for _, k := range order {
		out.UnitsNotCompared = append(out.UnitsNotCompared, *missing[k])
	}
	var wantCur, wantPrev []int32
	for _, ch := range changes {
		if ch.cur >= 0 {
			wantCur = append(wantCur, ch.cur)
		} else {
			wantPrev = append(wantPrev, ch.prev)
		}
	}
	curNames, err := cur.names(c.cfg, wantCur)
	if err != nil {
		return nil, err
	}
	prevNames, err := prev.names(c.cfg, wantPrev)
	if err != nil {
		return nil, err
	}
	in := registered(reg)
	lists := map[string][]summary.RosterChange{}
	for _, ch := range changes {
		var rc summary.RosterChange
		var from, to rosterUnit
		if ch.cur >= 0 {
			cp := &cur.people[ch.cur]
			to = cur.units[cp.unit]
			rc = summary.RosterChange{Name: curNames[0], BirthDate: birthText(cp.birth), ToUnit: to.name, ToLevel: to.level,
				File: cur.files[cp.file].Name, Row: int(cp.row)}
			curNames = curNames[1:]
		}
		if ch.prev >= 0 {
			pp := &prev.people[ch.prev]
			from = prev.units[pp.unit]
			rc.FromUnit, rc.FromLevel = from.name, from.level
			if ch.cur >= 0 {
				rc.PreviousFile, rc.PreviousRow = prev.files[pp.file].Name, int(pp.row)
			} else {
				rc.Name, rc.BirthDate, rc.File, rc.Row = prevNames[0], birthText(pp.birth), prev.files[pp.file].Name, int(pp.row)
				prevNames = prevNames[1:]
			}
		}
		rc.Change, rc.Reason = ch.kind, reasonCodes[ch.why]
		switch ch.kind {
		case summary.ChangeMoved:
			rc.Direction = c.direction(from.level, to.level)
			if in.has(rc.Name, rc.BirthDate, to.name, from.name) {
				out.InRegister++
				continue
			}
			out.Moved++
			out.MovedByDirection[rc.Direction]++
		case summary.ChangeJoined:
			if in.has(rc.Name, rc.BirthDate, to.name, "") {
				out.InRegister++
				continue
			}
			out.Joined++
		case summary.ChangeLeft:
			if in.has(rc.Name, rc.BirthDate, "", from.name) {
				out.InRegister++
				continue
			}
			out.Left++
		default:
			out.Unsure++
		}
		lists[ch.kind] = append(lists[ch.kind], rc)
	}
	for _, k := range []string{summary.ChangeMoved, summary.ChangeJoined, summary.ChangeLeft, summary.ChangeUnsure} {
		out.List = append(out.List, lists[k]...)
	}
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

// comparedUnit is the name, level and key across periods of a unit a roster
// names: units.yaml's official name and level when it knows the unit, else the name
// as written; the key is the name folded. Not the folder (group): last period's
// files may sit in a folder of another name (canbo run --previous), where the
// registry may not tell a unit two groups share, and the same unit there is still
// the same unit.
func (c *counter) comparedUnit(name, group string) (string, string, string) {
	name, level := c.unitLevel(name, group)
	return name, level, textfold.UnitKey(name)
}

// Len is the number of people the rosters count.
func (r *PreviousRoster) Len() int { return len(r.people) }
