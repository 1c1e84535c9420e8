// Package validate runs the checks that need more than one row: the same person listed
// twice (within a file or across files), and training records whose person is in no
// roster. A person counts once: the second copy of someone surely listed before is
// marked not counted (normalize.Repeat) and reported; where it is unsure whether two
// rows are one person, both count and a warning says so. No record is ever removed.
//
// The checks work on prints (print.go), a few dozen bytes a record, made once per file
// and kept beside a cached reading: a re-run neither decodes nor hashes the records of
// files that did not change. Check (check.go) takes every file's prints at once.
package validate

import (
	"fmt"
	"strings"

	"canbo/pipeline/issue"
	"canbo/pipeline/normalize"
	"canbo/pipeline/schema"
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
// sheet order) so the second copy of a person, not the first, gets the issue; records
// of one file are next to each other. See Checker for the rules.
func Records(cfg *schema.Config, recs []*normalize.Record) []issue.Issue {
	c := NewChecker(cfg, nil)
	type group struct {
		name  string
		first int
		p     *Prints
	}
	var groups []group
	for i, r := range recs {
		if len(groups) == 0 || groups[len(groups)-1].name != r.File+"\x00"+r.Path {
			groups = append(groups, group{name: r.File + "\x00" + r.Path, first: i, p: &Prints{}})
		}
		g := groups[len(groups)-1]
		c.Print(g.p, i-g.first, r)
	}
	files := make([]File, len(groups))
	for i, g := range groups {
		files[i] = File{Name: recs[g.first].File, Prints: g.p}
	}
	found, _ := c.Check(files, func(each func(*normalize.Record)) error {
		for _, r := range recs {
			each(r)
		}
		return nil
	})
	var out, late []issue.Issue
	for i, g := range groups {
		for _, f := range found[i] {
			is := f.Issue(recs[g.first+int(f.Rec)])
			if f.Late {
				late = append(late, is)
			} else {
				out = append(out, is)
			}
		}
	}
	return append(out, late...)
}

// Checker finds the same person listed twice, within a file or across files, and the
// training records whose person is in no roster. It keeps a compact print of each
// person (Print: hashes of the ID, of name and birth date, and where the person was
// listed), never the records, so a batch of a million people can be checked without
// holding it.
//
// Two roster rows are one person when they carry the same ID number; or the same name
// and birth date, with no different ID and nothing else that tells them apart; or, in a
// list with neither ID nor birth date, when the rows of one file are identical. The
// second is then not counted (duplicate-person). Same name and birth date with a
// distinguishing difference (sex, ethnic group), or one row with an ID and the other
// without where they also differ, is possible-duplicate: both count.
//
// Keys are 128-bit keyed hashes (AES CBC-MAC) of the folded texts: two different people
// would have to collide in 128 bits to be taken for one, which does not happen by
// chance, and without the key nobody can make it happen on purpose.
type Checker struct {
	cfg                   *schema.Config
	name, id, birth, unit *schema.Field
	dist                  []*schema.Field
	h                     *hasher
}

// NewChecker prepares the checks for cfg's fields, hashing with key (nil = a random
// key, for a batch whose prints are not kept). A Checker is not safe for concurrent use.
func NewChecker(cfg *schema.Config, key *Key) *Checker {
	c := &Checker{cfg: cfg, name: cfg.Field(fieldName), id: cfg.Field(fieldID), birth: cfg.Field(fieldBirth),
		unit: cfg.Field(fieldUnit), h: newHasher(key)}
	for _, code := range distinguishing {
		if f := cfg.Field(code); f != nil && len(c.dist) < len(person{}.dist) {
			c.dist = append(c.dist, f)
		}
	}
	return c
}

// key is a 128-bit hash.
type key [2]uint64

// person is what an involved roster row leaves behind for the checks of later rows.
type person struct {
	id    uint64 // hash of the ID number, 0 when the row has none
	place int32
	row   int32
	next  int32     // the next person with the same name and birth date, -1 at the end
	dist  [2]uint32 // interned distinguishing values (0 = not given)
}

type chain struct{ head, tail int32 }

type place struct{ file, sheet string }

// rowKey is a whole row of a list without IDs or birth dates, in its file: such rows
// are compared within a file only.
type rowKey struct {
	file int32
	k    key
}

// Finding is what the checks found about one record: a repeat of a person listed
// before (not counted), a possible repeat, or a trainee in no roster (Late: found when
// the whole batch was seen). Issue makes the issue from the record. It is small (a
// sheet of one person a million times has a million): the other row it names is found
// when the issue is made.
type Finding struct {
	Rec    int32 // the record's index in its file (Print.Rec)
	Repeat bool
	Late   bool
	other  int32 // the person listed before (run.people)
	field  *schema.Field
	differ string
	s      *run
}

// Issue is the issue about r, the finding's record with the batch's overlay (file,
// path), and marks r not counted when it is a repeat.
func (f *Finding) Issue(r *normalize.Record) issue.Issue {
	code := issue.UnknownPerson
	switch {
	case f.Repeat:
		code = issue.DupPerson
		r.NotCounted = normalize.Repeat
	case !f.Late:
		code = issue.PossibleDup
	}
	v := r.Value(f.field)
	is := issue.New(code, r.File, r.Sheet, r.Row, v.Col)
	is.Field, is.Label, is.Raw, is.Source = f.field.Code, f.field.Label, v.Raw, r.Path
	switch code {
	case issue.DupPerson:
		is = is.With("other", f.s.where(f.other))
	case issue.PossibleDup:
		is = is.With("other", f.s.where(f.other)).With("differ", f.differ)
	}
	return is
}

// run is the state of one Check: the people involved in a possible repeat, in order.
type run struct {
	c           *Checker
	people      []person
	byID        map[key]int32    // ID → its first person
	byNameBirth map[key]chain    // name and birth date → the people listed with them, in order
	byRow       map[rowKey]int32 // a whole row of a list without IDs or birth dates
	places      []place
	placeIndex  map[place]int32
	values      map[string]uint32 // distinguishing values, interned
}

func (c *Checker) newRun() *run {
	return &run{c: c, byID: map[key]int32{}, byNameBirth: map[key]chain{}, byRow: map[rowKey]int32{},
		values: map[string]uint32{}}
}

// person checks one roster print of file (its index, its shown name and its
// distinguishing values interned) against the people before it, and remembers it.
func (s *run) person(pr *Print, file int32, name string, sheets []string, vals []uint32) (Finding, bool) {
	c := s.c
	p := person{place: s.place(name, sheets[pr.Sheet]), row: pr.Row, next: -1}
	hasID, hasBirth := pr.Flags&hasID != 0, pr.Flags&hasBirth != 0
	if hasID {
		p.id = pr.ID[0] | 1
	}
	for i, v := range pr.Dist {
		if v != 0 {
			p.dist[i] = vals[v-1]
		}
	}
	self := int32(len(s.people))
	s.people = append(s.people, p)
	if hasID {
		if first, ok := s.byID[pr.ID]; ok {
			return s.repeat(pr, c.id, first), true
		}
		s.byID[pr.ID] = self
	}
	if hasBirth {
		k := pr.Second
		ch, seen := s.byNameBirth[k]
		sure, unsure := int32(-1), int32(-1)
		var differ []string
		for i := ch.head; seen && i >= 0; i = s.people[i].next {
			first := &s.people[i]
			// Two people may share a name and a birth date; different IDs settle it.
			if p.id != 0 && first.id != 0 && first.id != p.id {
				continue
			}
			if d := s.differences(first, &p); len(d) > 0 {
				unsure, differ = i, d
				continue
			}
			sure = i
			break
		}
		var f Finding
		found := false
		switch {
		case sure >= 0:
			return s.repeat(pr, c.name, sure), true
		case unsure >= 0:
			f = Finding{Rec: pr.Rec, field: c.name, other: unsure, differ: strings.Join(differ, ", "), s: s}
			found = true
		}
		if seen {
			s.people[ch.tail].next = self
			ch.tail = self
		} else {
			ch = chain{self, self}
		}
		s.byNameBirth[k] = ch
		return f, found
	}
	if !hasID {
		// Neither ID nor birth date: only a row identical in every value is surely
		// the same person typed twice.
		k := rowKey{file, pr.Second}
		if first, ok := s.byRow[k]; ok {
			return s.repeat(pr, c.name, first), true
		}
		s.byRow[k] = self
	}
	return Finding{}, false
}

func (s *run) repeat(pr *Print, f *schema.Field, first int32) Finding {
	return Finding{Rec: pr.Rec, Repeat: true, field: f, other: first, s: s}
}

func (s *run) place(file, sheet string) int32 {
	return indexOf(&s.places, &s.placeIndex, place{file, sheet})
}

// value is v interned: equal numbers for equal texts, 0 kept for "not given".
func (s *run) value(v string) uint32 {
	i, ok := s.values[v]
	if !ok {
		i = uint32(len(s.values) + 1)
		s.values[v] = i
	}
	return i
}

func (s *run) where(i int32) string {
	p := s.people[i]
	return fmt.Sprintf("%s › %s, dòng %d", s.places[p.place].file, s.places[p.place].sheet, p.row)
}

// differences lists the labels of the distinguishing fields both rows give and that
// differ.
func (s *run) differences(a, b *person) []string {
	var out []string
	for i, f := range s.c.dist {
		if a.dist[i] != 0 && b.dist[i] != 0 && a.dist[i] != b.dist[i] {
			out = append(out, f.Label)
		}
	}
	return out
}
