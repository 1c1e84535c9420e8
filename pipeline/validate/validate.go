// Package validate runs the checks that need more than one row: the same person listed
// twice (within a file or across files), and training records whose person is in no
// roster. A person counts once: the second copy of someone surely listed before is
// marked not counted (normalize.Repeat) and reported; where it is unsure whether two
// rows are one person, both count and a warning says so. No record is ever removed.
package validate

import (
	"fmt"
	"hash/maphash"
	"strings"

	"canbo/pipeline/issue"
	"canbo/pipeline/normalize"
	"canbo/pipeline/schema"
	"canbo/pipeline/textfold"
)

// Fields the checks use, by their default codes.
const (
	fieldName  = "ho_ten"
	fieldID    = "so_dinh_danh"
	fieldBirth = "ngay_sinh"
	fieldUnit  = "don_vi"
	roster     = "roster"
	training   = "training"
)

// distinguishing are the fields that tell two people of the same name and birth date
// apart when both rows give them: rows that differ in one are perhaps two people.
var distinguishing = []string{"gioi_tinh", "dan_toc"}

// Records checks records from all accepted files together. Records are identified by
// their position in the slice, which must be in a stable order (files sorted, rows in
// sheet order) so the second copy of a person, not the first, gets the issue. It is
// Checker fed with all the records at once; see Checker for the rules.
func Records(cfg *schema.Config, recs []*normalize.Record) []issue.Issue {
	c := NewChecker(cfg)
	out := c.Add(recs)
	more, _ := c.Finish(func(each func(*normalize.Record)) error {
		for _, r := range recs {
			each(r)
		}
		return nil
	})
	return append(out, more...)
}

// Checker finds the same person listed twice, within a file or across files, and the
// training records whose person is in no roster, while files stream past it in order:
// it keeps a compact fingerprint of each person (a few dozen bytes: hashes of the ID,
// of name and birth date, and where the person was listed), never the records, so a
// batch of a million people can be checked without holding it.
//
// Two roster rows are one person when they carry the same ID number; or the same name
// and birth date, with no different ID and nothing else that tells them apart; or, in a
// list with neither ID nor birth date, when the rows of one file are identical. The
// second is then not counted (duplicate-person). Same name and birth date with a
// distinguishing difference (sex, ethnic group), or one row with an ID and the other
// without where they also differ, is possible-duplicate: both count.
//
// Keys are 128-bit hashes of the folded texts: two different people would have to
// collide in both halves to be taken for one, which does not happen by chance. The
// hashes are seeded per Checker and never stored.
type Checker struct {
	cfg                   *schema.Config
	name, id, birth, unit *schema.Field
	dist                  []*schema.Field
	seed1, seed2          maphash.Seed

	people      []person
	byID        map[key]int32     // ID → its first person
	byNameBirth map[key]chain     // name and birth date → the people listed with them, in order
	byRow       map[key]int32     // a whole row of a list without IDs or birth dates
	places      []place           // where people were listed: (file, sheet)
	placeIndex  map[place]int32   // place → its index
	values      map[string]uint32 // distinguishing values, interned
	haveRoster  bool

	trainees []trainee // training records, checked in Finish against the whole roster
	scratch  []byte    // the parts of the key being hashed
}

// key is a 128-bit hash.
type key [2]uint64

// person is what a roster row leaves behind for the checks of later rows.
type person struct {
	id    uint64 // hash of the ID number, 0 when the row has none
	place int32
	row   int32
	next  int32     // the next person with the same name and birth date, -1 at the end
	dist  [2]uint32 // interned distinguishing values (0 = not given)
}

type chain struct{ head, tail int32 }

type place struct{ file, sheet string }

// trainee is a training record waiting for the whole roster.
type trainee struct {
	id, nameBirth, nameUnit key
	hasID, hasBirth         bool
	is                      issue.Issue // the unknown-person issue, should it be one
}

// NewChecker prepares the checks for cfg's fields.
func NewChecker(cfg *schema.Config) *Checker {
	c := &Checker{cfg: cfg, name: cfg.Field(fieldName), id: cfg.Field(fieldID), birth: cfg.Field(fieldBirth),
		unit: cfg.Field(fieldUnit), seed1: maphash.MakeSeed(), seed2: maphash.MakeSeed(),
		byID: map[key]int32{}, byNameBirth: map[key]chain{}, byRow: map[key]int32{},
		placeIndex: map[place]int32{}, values: map[string]uint32{}}
	for _, code := range distinguishing {
		if f := cfg.Field(code); f != nil && len(c.dist) < len(person{}.dist) {
			c.dist = append(c.dist, f)
		}
	}
	return c
}

// hash is the 128-bit key of the parts, separated so that ("ab", "c") ≠ ("a", "bc").
// The parts are laid end to end once and hashed in one call per seed: a maphash.Hash
// fed part by part cost a third of the check of a million people.
func (c *Checker) hash(parts ...string) key {
	b := c.scratch[:0]
	for _, p := range parts {
		b = append(b, p...)
		b = append(b, 0)
	}
	c.scratch = b
	return key{maphash.Bytes(c.seed1, b), maphash.Bytes(c.seed2, b)}
}

// nameBirth is hash(textfold.Key(name), birth), the name folded straight into the
// bytes hashed: a folded copy of every name was a tenth of the check.
func (c *Checker) nameBirth(name, birth string) key {
	b := textfold.AppendKey(c.scratch[:0], name)
	b = append(b, 0)
	b = append(b, birth...)
	b = append(b, 0)
	c.scratch = b
	return key{maphash.Bytes(c.seed1, b), maphash.Bytes(c.seed2, b)}
}

// Add checks the next records in order: the roster rows against everyone listed
// before them (a repeat is marked not counted, normalize.Repeat), the training records
// kept for Finish. It returns the issues about these records.
func (c *Checker) Add(recs []*normalize.Record) []issue.Issue {
	if c.name == nil {
		return nil
	}
	var out []issue.Issue
	for _, r := range recs {
		if is, ok := c.AddRecord(r); ok {
			out = append(out, is)
		}
	}
	return out
}

// AddRecord checks the next record in order, as Add does, and returns the issue about
// it, if any. The record may be reused once AddRecord returns: nothing of it is kept
// but its strings.
func (c *Checker) AddRecord(r *normalize.Record) (issue.Issue, bool) {
	if c.name == nil || !r.Counted() {
		return issue.Issue{}, false
	}
	switch r.Dataset {
	case roster:
		c.haveRoster = true
		return c.person(r)
	case training:
		c.trainee(r)
	}
	return issue.Issue{}, false
}

// person checks one roster row and remembers it.
func (c *Checker) person(r *normalize.Record) (issue.Issue, bool) {
	nv := r.Value(c.name)
	if !nv.Set {
		return issue.Issue{}, false
	}
	idv, bv := r.Value(c.id), r.Value(c.birth)
	p := person{place: c.place(r), row: int32(r.Row), next: -1}
	var idk key
	if idv.Set {
		idk = c.hash(idv.Text)
		p.id = idk[0] | 1
	}
	for i, f := range c.dist {
		if v := r.Value(f); v.Set {
			p.dist[i] = c.value(v.Text)
		}
	}
	self := int32(len(c.people))
	c.people = append(c.people, p)
	if idv.Set {
		if first, ok := c.byID[idk]; ok {
			return repeat(r, c.id, idv, c.where(first)), true
		}
		c.byID[idk] = self
	}
	if bv.Set {
		k := c.nameBirth(nv.Text, bv.Text)
		ch, seen := c.byNameBirth[k]
		sure, unsure := int32(-1), int32(-1)
		var differ []string
		for i := ch.head; seen && i >= 0; i = c.people[i].next {
			first := &c.people[i]
			// Two people may share a name and a birth date; different IDs settle it.
			if p.id != 0 && first.id != 0 && first.id != p.id {
				continue
			}
			if d := c.differences(first, &p); len(d) > 0 {
				unsure, differ = i, d
				continue
			}
			sure = i
			break
		}
		var is issue.Issue
		found := false
		switch {
		case sure >= 0:
			return repeat(r, c.name, nv, c.where(sure)), true
		case unsure >= 0:
			is = issue.New(issue.PossibleDup, r.File, r.Sheet, r.Row, nv.Col)
			is.Field, is.Label, is.Raw, is.Source = c.name.Code, c.name.Label, nv.Raw, r.Path
			is, found = is.With("other", c.where(unsure)).With("differ", strings.Join(differ, ", ")), true
		}
		if seen {
			c.people[ch.tail].next = self
			ch.tail = self
		} else {
			ch = chain{self, self}
		}
		c.byNameBirth[k] = ch
		return is, found
	}
	if !idv.Set {
		// Neither ID nor birth date: only a row identical in every value is surely
		// the same person typed twice.
		k := c.hash(r.Path, r.File, r.Sheet, rowKey(r, c.cfg))
		if first, ok := c.byRow[k]; ok {
			return repeat(r, c.name, nv, c.where(first)), true
		}
		c.byRow[k] = self
	}
	return issue.Issue{}, false
}

// trainee keeps what Finish needs of a training record.
func (c *Checker) trainee(r *normalize.Record) {
	nv := r.Value(c.name)
	if !nv.Set {
		return
	}
	idv, bv := r.Value(c.id), r.Value(c.birth)
	nk := textfold.Key(nv.Text)
	t := trainee{hasID: idv.Set, hasBirth: bv.Set, nameUnit: c.hash(nk, textfold.UnitKey(r.Unit))}
	if idv.Set {
		t.id = c.hash(idv.Text)
	}
	if bv.Set {
		t.nameBirth = c.hash(nk, bv.Text)
	}
	t.is = issue.New(issue.UnknownPerson, r.File, r.Sheet, r.Row, nv.Col)
	t.is.Field, t.is.Label, t.is.Raw, t.is.Source = c.name.Code, c.name.Label, nv.Raw, r.Path
	c.trainees = append(c.trainees, t)
}

// Finish reports the training records whose person is in no roster: not by ID, not by
// name and birth date, and, for a record without a birth date, not by name in the same
// unit. The last needs every roster person's name and unit, which the Checker does not
// keep: roster, when some trainee needs it, is called to feed the roster records again
// (each counted record in any order) and Finish indexes only the names it is looking
// for; a repeat of a person counts as a listing in its unit, a leaver does not. Nothing is reported
// when the batch has no roster at all: a training register alone is not checked.
func (c *Checker) Finish(roster func(func(*normalize.Record)) error) ([]issue.Issue, error) {
	if !c.haveRoster || c.name == nil {
		return nil, nil
	}
	var pending []*trainee
	for i := range c.trainees {
		t := &c.trainees[i]
		if t.hasID {
			if _, ok := c.byID[t.id]; ok {
				continue
			}
		}
		if t.hasBirth {
			if _, ok := c.byNameBirth[t.nameBirth]; !ok {
				// Known by name and birth date or unknown: the unit is no evidence.
				pending = append(pending, t)
			}
			continue
		}
		pending = append(pending, t)
	}
	want := map[key]bool{}
	for _, t := range pending {
		if !t.hasBirth {
			want[t.nameUnit] = false
		}
	}
	if len(want) > 0 {
		if err := roster(func(r *normalize.Record) { c.nameUnit(r, want) }); err != nil {
			return nil, err
		}
	}
	var out []issue.Issue
	for _, t := range pending {
		if !t.hasBirth && want[t.nameUnit] {
			continue
		}
		out = append(out, t.is)
	}
	return out, nil
}

// nameUnit marks the wanted name-and-unit keys that r, a roster row, has.
func (c *Checker) nameUnit(r *normalize.Record, want map[key]bool) {
	if r.Dataset != roster || r.NotCounted == normalize.Left {
		return
	}
	if nv := r.Value(c.name); nv.Set {
		k := c.hash(textfold.Key(nv.Text), textfold.UnitKey(r.Unit))
		if _, ok := want[k]; ok {
			want[k] = true
		}
	}
}

func (c *Checker) place(r *normalize.Record) int32 {
	p := place{r.File, r.Sheet}
	i, ok := c.placeIndex[p]
	if !ok {
		i = int32(len(c.places))
		c.places = append(c.places, p)
		c.placeIndex[p] = i
	}
	return i
}

// value is s interned: equal numbers for equal texts, 0 kept for "not given".
func (c *Checker) value(s string) uint32 {
	i, ok := c.values[s]
	if !ok {
		i = uint32(len(c.values) + 1)
		c.values[s] = i
	}
	return i
}

func (c *Checker) where(i int32) string {
	p := c.people[i]
	return fmt.Sprintf("%s › %s, dòng %d", c.places[p.place].file, c.places[p.place].sheet, p.row)
}

// differences lists the labels of the distinguishing fields both rows give and that
// differ.
func (c *Checker) differences(a, b *person) []string {
	var out []string
	for i, f := range c.dist {
		if a.dist[i] != 0 && b.dist[i] != 0 && a.dist[i] != b.dist[i] {
			out = append(out, f.Label)
		}
	}
	return out
}

// repeat marks r, the second copy of first, not counted and reports it.
func repeat(r *normalize.Record, f *schema.Field, v normalize.Value, first string) issue.Issue {
	r.NotCounted = normalize.Repeat
	is := issue.New(issue.DupPerson, r.File, r.Sheet, r.Row, v.Col)
	is.Field, is.Label, is.Raw, is.Source = f.Code, f.Label, v.Raw, r.Path
	return is.With("other", first)
}

// rowKey is every input value of a record, for spotting a row typed twice.
func rowKey(r *normalize.Record, cfg *schema.Config) string {
	var b strings.Builder
	for _, f := range cfg.Schema.Fields {
		if f.Code == "stt" || f.Index >= len(r.Values) {
			continue
		}
		b.WriteString(textfold.Key(r.Values[f.Index].Text))
		b.WriteByte(0)
	}
	return b.String()
}
