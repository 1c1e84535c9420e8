package validate

import (
	"slices"
	"sync"

	"canbo/pipeline/normalize"
	"canbo/pipeline/textfold"
)

// File is one file of a batch for Check: the name it is shown by and its prints.
type File struct {
	Name   string
	Prints *Prints // nil: a file with nothing to check
}

// Check checks a batch's files, in path order, and returns what it found about each
// file's records, in record order (the trainees in no roster last). roster, called
// only when a trainee without a birth date is known neither by ID nor by name and
// birth date, feeds every counted roster record again (any order): such a trainee is
// known when a roster lists the same name in the same unit (a repeat of a person
// counts as a listing in its unit, a leaver does not). Nothing is reported about
// trainees when the batch has no roster at all: a training register alone is not
// checked.
//
// The outcome is that of taking the people one by one, in order, each checked against
// everyone before: but a person only meets those who share a hash with them, so only
// the people whose ID or name-and-birth hash appears twice in the batch (and the rows
// of lists with neither, compared within their file) are taken one by one; the others
// are neither a repeat nor repeated. Which they are is found by sorting the hashes,
// not by a map of a million people.
func (c *Checker) Check(files []File, roster func(func(*normalize.Record)) error) ([][]Finding, error) {
	out := make([][]Finding, len(files))
	if c.name == nil {
		return out, nil
	}
	sh := shared(files)
	s := c.newRun()
	haveRoster := false
	for fi, f := range files {
		p := f.Prints
		if p == nil {
			continue
		}
		haveRoster = haveRoster || p.Roster
		var vals []uint32
		for i := range p.People {
			pr := &p.People[i]
			if pr.Flags&trainee != 0 || !sh.involved(pr) {
				continue
			}
			if vals == nil {
				vals = make([]uint32, len(p.Values)+1)[:len(p.Values)]
				for j, v := range p.Values {
					vals[j] = s.value(v)
				}
			}
			if fd, ok := s.person(pr, int32(fi), f.Name, p.Sheets, vals); ok {
				out[fi] = append(out[fi], fd)
			}
		}
	}
	if !haveRoster {
		return out, nil
	}
	return out, s.trainees(files, sh, roster, out)
}

// sharedHashes are the ID and name-and-birth hashes (their first halves) that more
// than one roster row of the batch has.
type sharedHashes struct {
	id, nameBirth map[uint64]struct{}
}

func shared(files []File) sharedHashes {
	n := 0
	for _, f := range files {
		n += len(people(f))
	}
	// The two kinds of hash are gathered and sorted side by side: at a million
	// people this is a tenth of a second a kind, on a core otherwise idle (the
	// files are all read by then).
	collect := func(flag uint8, hash func(*Print) uint64) map[uint64]struct{} {
		hs := make([]uint64, 0, n)
		for _, f := range files {
			for i := range people(f) {
				pr := &f.Prints.People[i]
				if pr.Flags&trainee == 0 && pr.Flags&flag != 0 {
					hs = append(hs, hash(pr))
				}
			}
		}
		return twice(hs)
	}
	var sh sharedHashes
	var wg sync.WaitGroup
	wg.Go(func() { sh.id = collect(hasID, func(pr *Print) uint64 { return pr.ID[0] }) })
	sh.nameBirth = collect(hasBirth, func(pr *Print) uint64 { return pr.Second[0] })
	wg.Wait()
	return sh
}

// twice returns the values found more than once in hs, which it reorders. The values
// are hashes, spread evenly: they are put in buckets by their top bits (two passes
// over them) and each small bucket is sorted, several times faster than sorting a
// million values whole.
func twice(hs []uint64) map[uint64]struct{} {
	var out map[uint64]struct{}
	if len(hs) < 2 {
		return nil
	}
	bits := max(1, min(20, bitsFor(len(hs))-3)) // about eight values a bucket
	shift := 64 - bits
	start := make([]int, 1<<bits+1)
	for _, h := range hs {
		start[h>>shift+1]++
	}
	for i := 1; i < len(start); i++ {
		start[i] += start[i-1]
	}
	sorted := make([]uint64, len(hs))
	at := append([]int(nil), start[:len(start)-1]...)
	for _, h := range hs {
		b := h >> shift
		sorted[at[b]] = h
		at[b]++
	}
	for b := 0; b+1 < len(start); b++ {
		bucket := sorted[start[b]:start[b+1]]
		if len(bucket) < 2 {
			continue
		}
		slices.Sort(bucket)
		for i := 1; i < len(bucket); i++ {
			if bucket[i] == bucket[i-1] {
				if out == nil {
					out = map[uint64]struct{}{}
				}
				out[bucket[i]] = struct{}{}
			}
		}
	}
	return out
}

// bitsFor is the number of bits n takes.
func bitsFor(n int) int {
	b := 0
	for ; n > 0; n >>= 1 {
		b++
	}
	return b
}

// involved reports whether the roster print pr may be, or have, a repeat: it shares a
// hash with another row, or has neither ID nor birth date.
func (sh *sharedHashes) involved(pr *Print) bool {
	if pr.Flags&hasID != 0 && sh.id != nil {
		if _, ok := sh.id[pr.ID[0]]; ok {
			return true
		}
	}
	if pr.Flags&hasBirth != 0 {
		_, ok := sh.nameBirth[pr.Second[0]]
		return ok
	}
	return pr.Flags&hasID == 0
}

// trainees adds to out the trainees in no roster: not by ID, not by name and birth
// date, and, for a record without a birth date, not by name in the same unit.
func (s *run) trainees(files []File, sh sharedHashes, roster func(func(*normalize.Record)) error, out [][]Finding) error {
	ids, nbs := map[key]bool{}, map[key]bool{}
	some := false
	for _, f := range files {
		for _, pr := range people(f) {
			if pr.Flags&trainee == 0 {
				continue
			}
			some = true
			if pr.Flags&hasID != 0 {
				ids[pr.ID] = false
			}
			if pr.Flags&hasBirth != 0 {
				nbs[pr.Second] = false
			}
		}
	}
	if !some {
		return nil
	}
	// Every roster ID is known; a name and birth date is known unless its row
	// repeated an ID, which only an involved row can (run knows those).
	for _, f := range files {
		for i := range people(f) {
			pr := &f.Prints.People[i]
			if pr.Flags&trainee != 0 {
				continue
			}
			if _, ok := ids[pr.ID]; ok && pr.Flags&hasID != 0 {
				ids[pr.ID] = true
			}
			if _, ok := nbs[pr.Second]; ok && pr.Flags&hasBirth != 0 && !sh.involved(pr) {
				nbs[pr.Second] = true
			}
		}
	}
	for k := range nbs {
		if _, ok := s.byNameBirth[k]; ok {
			nbs[k] = true
		}
	}
	type pending struct {
		file int
		pr   *Print
	}
	var wait []pending
	want := map[key]bool{}
	for fi, f := range files {
		for i := range people(f) {
			pr := &f.Prints.People[i]
			switch {
			case pr.Flags&trainee == 0:
			case pr.Flags&hasID != 0 && ids[pr.ID]:
			case pr.Flags&hasBirth != 0:
				if !nbs[pr.Second] {
					// Known by name and birth date or unknown: the unit is no evidence.
					wait = append(wait, pending{fi, pr})
				}
			default:
				wait = append(wait, pending{fi, pr})
				want[pr.Second] = false
			}
		}
	}
	if len(want) > 0 {
		err := roster(func(r *normalize.Record) {
			if r.Dataset != "roster" || r.NotCounted == normalize.Left {
				return
			}
			if nv := r.Value(s.c.name); nv.Set {
				k := s.c.h.hash(textfold.Key(nv.Text), textfold.UnitKey(r.Unit))
				if _, ok := want[k]; ok {
					want[k] = true
				}
			}
		})
		if err != nil {
			return err
		}
	}
	for _, w := range wait {
		if w.pr.Flags&hasBirth == 0 && want[w.pr.Second] {
			continue
		}
		out[w.file] = append(out[w.file], Finding{Rec: w.pr.Rec, Late: true, field: s.c.name, s: s})
	}
	return nil
}

// people are f's prints, none when it has none.
func people(f File) []Print {
	if f.Prints == nil {
		return nil
	}
	return f.Prints.People
}
