package facts

import (
	"cmp"
	"slices"
	"strings"

	"canbo/pipeline/ingest"
	"canbo/pipeline/normalize"
	"canbo/pipeline/schema"
	"canbo/pipeline/summary"
	"canbo/pipeline/textfold"
)

// A training register says which course a person attended, not who the person is
// beyond a name, perhaps an ID number and a birth date: "56 lượt cán bộ người dân
// tộc thiểu số" needs the trainee's ethnicity, which only the roster has. And "538
// cán bộ bồi dưỡng theo vị trí việc làm" counts people, not attendances, which needs
// to know that two attendances are one person.
//
// So, when the batch has training records, counting a roster row also notes the
// person under hashes of the keys a trainee is matched by (ID number; name and birth
// date; name and unit), with the row's codes of the report's trainee dimensions
// (report.yaml trainee_breakdowns), interned per file; counting a training record
// keeps the record's keys, kind and funding in its unit's tally. Once every file is
// counted and the units are resolved, each attendance is matched to a roster person,
// in the order the checks match a trainee (validate.Checker: by ID, else by name and
// birth date, else, when the register gives no birth date, by name in the same
// unit), so a trainee the checks report as unknown-person is exactly one counted
// under chua_xac_dinh and in not_in_roster here.
//
// Cost: the roster is not held, only 16 bytes per key (a 64-bit hash, the person's
// number and the index of their codes), two or three keys per person: 32–48 bytes
// per roster person in their file's part while counting; merging the parts keeps
// the keys some attendance asks for and drops the rest. None at all for a batch
// without training records. The attendances are held as their keys and codes
// (about 60 bytes each): registers are thousands of rows where rosters are a
// million. On 1,000,000 people with a register the peak stayed at 272 MiB (the soft
// limit) for about 10% more CPU (docs/report.md).

// Key fields a trainee is matched by, as validate names them.
const (
	fieldName  = "ho_ten"
	fieldID    = "so_dinh_danh"
	fieldBirth = "ngay_sinh"
)

// Domains of the person keys: the same text hashed as an ID and as a name is not
// the same key.
const (
	keyID byte = 'i' + iota
	keyNameBirth
	keyNameUnit
)

// personKeys are the hashes a person is found by; 0 = the record does not give it.
type personKeys struct {
	ID, NameBirth, NameUnit uint64
}

// attendance is one training record as the join needs it.
type attendance struct {
	Keys       personKeys
	Kind, Fund string
	Fields     []string // codes of counter.courses, nil when none (courses.go)
}

// rosterKey says that the roster person Person (numbered in the batch, or in a
// file's part before merging) is found by key K and has the trainee codes Combo.
type rosterKey struct {
	K             uint64
	Person, Combo uint32
}

// people is the roster as the join needs it: keys to persons and their codes.
type people struct {
	keys    []rosterKey
	persons uint32
	combos  []string // each is the codes of the trainee dimensions, joined by comboSep
	index   map[string]uint32
}

const comboSep = "\x1f"

// keyer hashes person keys, reusing a buffer; one per counting worker.
type keyer struct {
	name, id, birth *schema.Field
	buf, combo      []byte
	// The unit of the last record and its folded key: a file's records come unit by
	// unit, and folding the same name for every person was most of the keys' cost.
	unit, unitKey string
}

func newKeyer(cfg *schema.Config) *keyer {
	return &keyer{name: cfg.Field(fieldName), id: cfg.Field(fieldID), birth: cfg.Field(fieldBirth)}
}

// keys are r's person keys, normalised as the checks normalise them: the ID as read,
// the name folded (case, diacritics, Unicode form, spaces), the birth date as a date,
// the unit as units are folded.
func (k *keyer) keys(r *normalize.Record) personKeys {
	var out personKeys
	nv := r.Value(k.name)
	if !nv.Set {
		return out
	}
	if v := r.Value(k.id); v.Set {
		k.buf = append(k.buf[:0], keyID)
		out.ID = hash64(append(k.buf, v.Text...))
	}
	name := textfold.AppendKey(append(k.buf[:0], 0), nv.Text)
	n := len(name)
	if v := r.Value(k.birth); v.Set {
		name[0] = keyNameBirth
		out.NameBirth = hash64(append(append(name, 0), v.Text...))
	}
	name = name[:n]
	name[0] = keyNameUnit
	if r.Unit != k.unit || k.unitKey == "" {
		k.unit, k.unitKey = r.Unit, textfold.UnitKey(r.Unit)
	}
	out.NameUnit = hash64(append(append(name, 0), k.unitKey...))
	k.buf = name[:0]
	return out
}

// hash64 is FNV-1a of b, never 0 (0 is "no key"). Keys are compared within one run
// and its kept parts, never shown: 64 bits leave a chance of about 3·10⁻⁸ that two of
// a million people collide, which would at worst leave a trainee's codes unknown.
func hash64(b []byte) uint64 {
	h := uint64(14695981039346656037)
	for _, c := range b {
		h ^= uint64(c)
		h *= 1099511628211
	}
	if h == 0 {
		h = 1
	}
	return h
}

// addPerson notes a counted roster row: its keys and trainee codes.
func (p *people) addPerson(k *keyer, dims []*schema.Field, r *normalize.Record) {
	ks := k.keys(r)
	if ks == (personKeys{}) {
		return
	}
	b := k.combo[:0]
	for i, d := range dims {
		if i > 0 {
			b = append(b, comboSep...)
		}
		b = append(b, r.Code(d)...)
	}
	k.combo = b
	combo := p.comboOf(b)
	for _, key := range []uint64{ks.ID, ks.NameBirth, ks.NameUnit} {
		if key != 0 {
			p.keys = append(p.keys, rosterKey{K: key, Person: p.persons, Combo: combo})
		}
	}
	p.persons++
}

// comboOf is combo(string(b)), without making the string when b is known.
func (p *people) comboOf(b []byte) uint32 {
	if i, ok := p.index[string(b)]; ok {
		return i
	}
	return p.combo(string(b))
}

func (p *people) combo(s string) uint32 {
	if p.index == nil {
		p.index = map[string]uint32{}
	}
	i, ok := p.index[s]
	if !ok {
		i = uint32(len(p.combos))
		p.combos = append(p.combos, s)
		p.index[s] = i
	}
	return i
}

// mergePeople is the files' persons one after the other, in file order, keeping only
// the keys some attendance of the batch asks for: a register names thousands of
// people, the rosters a million, and the batch's keys are not copied whole (nor
// sorted) beside the files'. Each file's keys are let go once taken.
func mergePeople(parts []*part) people {
	want := map[uint64]struct{}{}
	for _, p := range parts {
		if p == nil {
			continue
		}
		for _, t := range p.training.order {
			for _, a := range t.attend {
				for _, k := range [...]uint64{a.Keys.ID, a.Keys.NameBirth, a.Keys.NameUnit} {
					if k != 0 {
						want[k] = struct{}{}
					}
				}
			}
		}
	}
	var all people
	for _, p := range parts {
		if p == nil {
			continue
		}
		o := &p.people
		remap := make([]uint32, len(o.combos))
		for i, s := range o.combos {
			remap[i] = all.combo(s)
		}
		for _, k := range o.keys {
			if _, ok := want[k.K]; ok {
				all.keys = append(all.keys, rosterKey{K: k.K, Person: k.Person + all.persons, Combo: remap[k.Combo]})
			}
		}
		all.persons += o.persons
		o.keys = nil
	}
	return all
}

// unknownCombo is the combo of a person whose codes are not known (ambiguous key).
const unknownCombo = ^uint32(0)

// find is the person a key names and their codes. Several persons under one key (two
// people of one name and birth date, both listed) are the first of them, with their
// codes when all have the same, else unknown codes.
func (p *people) find(k uint64) (person, combo uint32, ok bool) {
	i, found := slices.BinarySearchFunc(p.keys, k, func(e rosterKey, k uint64) int {
		switch {
		case e.K < k:
			return -1
		case e.K > k:
			return 1
		}
		return 0
	})
	if !found {
		return 0, 0, false
	}
	first := p.keys[i]
	combo = first.Combo
	for _, e := range p.keys[i+1:] {
		if e.K != k {
			break
		}
		if e.Combo != combo {
			combo = unknownCombo
		}
	}
	return first.Person, combo, true
}

// match is the roster person of an attendance, as the checks match a trainee.
func (p *people) match(a personKeys) (person, combo uint32, ok bool) {
	if a.ID != 0 {
		if person, combo, ok = p.find(a.ID); ok {
			return
		}
	}
	if a.NameBirth != 0 {
		return p.find(a.NameBirth)
	}
	if a.NameUnit != 0 {
		return p.find(a.NameUnit)
	}
	return 0, 0, false
}

// sortKeys orders the keys for find, persons in file order within a key.
func (p *people) sortKeys() {
	slices.SortFunc(p.keys, func(a, b rosterKey) int {
		if c := cmp.Compare(a.K, b.K); c != 0 {
			return c
		}
		return cmp.Compare(a.Person, b.Person)
	})
}

// trainees puts the figures that need the person into the training summary: people
// (người) beside attendances (lượt), both by the trainee's roster attributes, and the
// attendances of trainees no roster lists. units are the resolved training units,
// in the order of t.Units.
func (c *counter) trainees(t *summary.Training, units []*tally, roster *people) {
	roster.sortKeys()
	codes := make([][]string, len(roster.combos)) // each combo's codes, by dimension
	for i, s := range roster.combos {
		codes[i] = strings.Split(s, comboSep)
	}
	given := givenCourses(len(c.courses), units)
	all := c.newTraineeCounter(given)
	groups := map[string]*traineeCounter{}
	for _, g := range t.Groups {
		groups[g.Group] = c.newTraineeCounter(given)
	}
	for i, u := range units {
		uc, gc := c.newTraineeCounter(given), groups[u.group]
		for _, a := range u.attend {
			who, codesOf := uint64(0), []string(nil)
			person, combo, ok := roster.match(a.Keys)
			if ok {
				who = 1<<63 | uint64(person)
				if combo != unknownCombo && len(c.trainee) > 0 {
					codesOf = codes[combo]
				}
			} else {
				// Not in any roster: the person is who the register's own keys say,
				// name and birth date first (a register leaves the ID out more often
				// than the birth date); the top bit tells them from roster persons.
				if a.Keys.NameBirth != 0 {
					who = a.Keys.NameBirth &^ (1 << 63)
				} else if a.Keys.ID != 0 {
					who = a.Keys.ID &^ (1 << 63)
				} else {
					who = a.Keys.NameUnit &^ (1 << 63)
				}
			}
			uc.add(a, who, ok, codesOf)
			all.add(a, who, ok, codesOf)
			if gc != nil {
				gc.add(a, who, ok, codesOf)
			}
		}
		uc.put(&t.Units[i].TrainingPeople)
	}
	for i := range t.Groups {
		groups[t.Groups[i].Group].put(&t.Groups[i].TrainingPeople)
	}
	all.put(&t.TrainingPeople)
}

// trainingGroups sums the training units of each group, in group order, when the
// batch has groups (as Build does for rosters); nil when it has none.
func (c *counter) trainingGroups(units []*tally) []summary.TrainingUnit {
	groups := groupNames(units)
	if len(groups) == 0 || (len(groups) == 1 && groups[0] == "") {
		return nil
	}
	out := make([]summary.TrainingUnit, 0, len(groups))
	for _, g := range groups {
		sum := c.newTally("", g)
		for _, u := range units {
			if u.group == g {
				sum.sum(u)
			}
		}
		out = append(out, c.trainingUnit(sum))
	}
	return out
}

// traineeCounter counts the attendances of one unit (or all) by person.
type traineeCounter struct {
	c       *counter
	seen    map[seenKey]struct{}
	out     summary.TrainingPeople
	courses []int // the indexes of counter.courses counted in by_field (givenCourses)
}

// seenKey is one person in one figure: the figure is what (total, kind, funding,
// trainee code, trainee code and kind), dim the trainee dimension, code and kind the
// codes.
type seenKey struct {
	what      uint8
	dim       int16
	code, sub string
	who       uint64
}

const (
	figTotal uint8 = iota
	figType
	figFunding
	figTrainee
	figTraineeType
	figNotInRoster
	figCourse
	figCourseType
)

func (c *counter) newTraineeCounter(courses []int) *traineeCounter {
	tc := &traineeCounter{c: c, seen: map[seenKey]struct{}{}, courses: courses}
	o := &tc.out
	o.ByField = c.newCourseCounts(courses)
	o.PeopleByType, o.PeopleByFunding, o.ByTrainee = map[string]int{}, map[string]int{}, map[string]map[string]summary.TraineeCount{}
	if c.kind != nil {
		for _, code := range c.cfg.Codes(c.kind) {
			o.PeopleByType[code.Code] = 0
		}
	}
	if c.fund != nil {
		for _, code := range c.cfg.Codes(c.fund) {
			o.PeopleByFunding[code.Code] = 0
		}
	}
	for _, d := range c.trainee {
		m := map[string]summary.TraineeCount{}
		for _, code := range c.cfg.Codes(d) {
			m[code.Code] = c.newTraineeCount()
		}
		o.ByTrainee[d.Code] = m
	}
	return tc
}

func (c *counter) newTraineeCount() summary.TraineeCount {
	tc := summary.TraineeCount{ByType: map[string]int{}, PeopleByType: map[string]int{}}
	if c.kind != nil {
		for _, code := range c.cfg.Codes(c.kind) {
			tc.ByType[code.Code], tc.PeopleByType[code.Code] = 0, 0
		}
	}
	return tc
}

// first reports whether who is met for the first time in a figure.
func (tc *traineeCounter) first(k seenKey) bool {
	if _, ok := tc.seen[k]; ok {
		return false
	}
	tc.seen[k] = struct{}{}
	return true
}

// add counts one attendance of person who; codes are their trainee codes (nil when
// unknown: not in a roster, or ambiguous).
func (tc *traineeCounter) add(a attendance, who uint64, inRoster bool, codes []string) {
	o := &tc.out
	kind, fund := a.Kind, a.Fund
	if tc.first(seenKey{what: figTotal, who: who}) {
		o.People++
	}
	if tc.c.kind != nil && tc.first(seenKey{what: figType, code: kind, who: who}) {
		o.PeopleByType[kind]++
	}
	if tc.c.fund != nil && tc.first(seenKey{what: figFunding, code: fund, who: who}) {
		o.PeopleByFunding[fund]++
	}
	if !inRoster {
		if o.NotInRoster == nil {
			o.NotInRoster = &summary.TraineeTotal{}
		}
		o.NotInRoster.Total++
		if tc.first(seenKey{what: figNotInRoster, who: who}) {
			o.NotInRoster.People++
		}
	}
	for i, d := range tc.c.trainee {
		code := schema.Unknown
		if codes != nil && i < len(codes) {
			code = codes[i]
		}
		tc.countCode(o.ByTrainee[d.Code], figTrainee, i, code, kind, who)
	}
	for _, i := range tc.courses {
		code := schema.Unknown
		if i < len(a.Fields) {
			code = a.Fields[i]
		}
		tc.countCode(o.ByField[tc.c.courses[i].Code], figCourse, i, code, kind, who)
	}
}

// put sets to the counted figures: none when there was no attendance, so that a
// batch without training writes the summary it wrote before.
func (tc *traineeCounter) put(to *summary.TrainingPeople) {
	if tc.out.People == 0 {
		return
	}
	if tc.out.NotInRoster == nil {
		tc.out.NotInRoster = &summary.TraineeTotal{}
	}
	*to = tc.out
}

// hasTraining reports whether the batch has training records to count: only then
// are roster persons noted for the join.
func hasTraining(b *ingest.Batch) bool {
	for _, f := range b.Files {
		if f.Status == ingest.Accepted && f.Tally().Counted[Training] > 0 {
			return true
		}
	}
	return false
}

// joinDigest names what a part's join data depends on, for its place in the cache:
// whether persons were noted, and by which trainee dimensions.
func (c *counter) joinDigest() string {
	if !c.join {
		return "join:none"
	}
	codes := make([]string, len(c.trainee))
	for i, d := range c.trainee {
		codes[i] = d.Code
	}
	courses := make([]string, len(c.courses))
	for i, f := range c.courses {
		courses[i] = f.Code
	}
	return "join:" + strings.Join(codes, ",") + ";courses:" + strings.Join(courses, ",")
}

// load restores persons kept with a part, and reports whether they are whole: every
// key names a person and codes the part has.
func (p *people) load(keys []rosterKey, persons uint32, combos []string) bool {
	for _, k := range keys {
		if k.Person >= persons || int(k.Combo) >= len(combos) || k.K == 0 {
			return false
		}
	}
	p.keys, p.persons, p.combos = keys, persons, combos
	p.index = nil
	for i, s := range combos {
		if p.index == nil {
			p.index = map[string]uint32{}
		}
		p.index[s] = uint32(i)
	}
	return true
}
