package facts

import (
	"bytes"
	"encoding/binary"
	"encoding/gob"
	"slices"
	"time"

	"canbo/pipeline/ingest"
	"canbo/pipeline/rules"
	"canbo/pipeline/summary"
)

// What a file adds to the report (its part: the tallies of its units, their rule
// counts, its people below a standard) is kept in the reading cache beside the file's
// reading, so that re-making a report after one unit sent a correction counts that
// file only: the other files' records are neither decoded nor counted again. A part
// is kept under everything it depends on: the file's reading (ingest.File.CacheKey:
// its content, name, the configuration, this program, the reading limits and date),
// where the batch put it and the name it is shown by (records carry them), the as-of
// date ages are taken at, the plan of targets and standards (rules.Plan.Digest), and
// which of its records repeat a person of an earlier file (a person listed in two
// files is counted once, in path order, so a change in an earlier file can change what
// a later one counts). The cache folder adds the program and the configuration.
//
// A part is kept only when no rule failed on its records (failures carry errors that
// are reported, not stored). A stored part is checksummed and checked against the plan
// when read: damaged or mismatching data is a miss and the file is counted again.

// partVersion starts every stored part; it changes when a part changes shape.
const partVersion = "canbo-facts-6"

// savedPart is a part as stored. The people below a standard, most of a part, are not
// stored as structures (gob took 0.5 CPU-s to decode a national list, and gave each
// of them its own copy of every text): each distinct text is stored once (Strings:
// each its length, a uvarint, then its bytes) and each person as the indexes of their
// texts (People, uvarints: standard, unit, name, birth date, position, file, sheet,
// then the row (a signed varint), the number of requirements they lack and six
// indexes for each). Both are bytes, which gob copies whole: as integers and strings
// it decoded them one by one, 0.15 CPU-s at 1M people. A tally's counts are stored
// without them; Below says how many of People are each standard's, in order.
type savedPart struct {
	Units, Training []savedTally
	Strings         []byte
	People          []byte
	// The roster persons for the training join (people), when the batch had training.
	Keys    []rosterKey
	Persons uint32
	Combos  []string
	Outside summary.OutsideSpan // training records outside a report's span
	Dates   dates               // of the training records counted
	Named   map[string]int      // of those, with a field read off the course name
}

type savedTally struct {
	Key, Name, Group string
	Headcount        int
	Breakdowns       []map[string]int
	Counts           *rules.Counts
	Below            []int
	Attend           []attendance
}

// partPath is where f's part is kept, or "" when it cannot be: no cache, or a
// reading the cache does not hold.
func (c *counter) partPath(f *ingest.File) string {
	key := f.CacheKey()
	if c.cache == nil || key == "" {
		return ""
	}
	return c.cache.Artefact(".facts", partVersion, key, f.Group, f.Path, f.Name,
		c.asOf.Format(time.RFC3339Nano)+" "+c.asOf.Location().String(), c.planDigest, f.RepeatDigest(), c.joinDigest(), "span:"+c.span.monthFrom+"/"+c.span.to.Format("2006-01-02"))
}

// loadPart returns the part kept at path, or nil when there is none usable.
func (c *counter) loadPart(path string) (p *part) {
	defer func() {
		if recover() != nil { // data gob chokes on: count the file instead
			p = nil
		}
	}()
	payload, ok := ingest.ReadSealed(path, partVersion)
	if !ok {
		return nil
	}
	var sp savedPart
	if err := gob.NewDecoder(bytes.NewReader(payload)).Decode(&sp); err != nil {
		return nil
	}
	strs, ok := readStrings(sp.Strings)
	if !ok {
		return nil
	}
	p = &part{}
	people := peopleReader{strs: strs, data: sp.People, missing: map[string][]summary.Missing{}}
	for _, pair := range []struct {
		to   *tallies
		from []savedTally
	}{{&p.units, sp.Units}, {&p.training, sp.Training}} {
		for _, st := range pair.from {
			t := c.newTally(st.Name, st.Group)
			if st.Key == "" || pair.to.byKey[st.Key] != nil || st.Headcount < 0 || len(st.Breakdowns) != len(t.breakdowns) ||
				!c.fits(st.Counts) {
				return nil
			}
			t.key, t.headcount, t.counts, t.attend = st.Key, st.Headcount, st.Counts, st.Attend
			if len(st.Below) != len(t.counts.Standards) {
				return nil
			}
			for i, n := range st.Below {
				if t.counts.Standards[i].Below = people.next(n); n > 0 && t.counts.Standards[i].Below == nil {
					return nil
				}
			}
			for i, m := range st.Breakdowns {
				for code, n := range m {
					t.breakdowns[i][code] = n
				}
			}
			if pair.to.byKey == nil {
				pair.to.byKey = map[string]*tally{}
			}
			pair.to.byKey[t.key] = t
			pair.to.order = append(pair.to.order, t)
		}
	}
	if len(people.data) != 0 || people.bad || !p.people.load(sp.Keys, sp.Persons, sp.Combos) {
		return nil
	}
	p.outside, p.dates, p.fromName = sp.Outside, sp.Dates, sp.Named
	c.cache.Touch(path)
	return p
}

// fits reports whether counts have the shape of the plan's, filling in the empty
// lists the encoding leaves out.
func (c *counter) fits(k *rules.Counts) bool {
	if k == nil {
		return false
	}
	if len(k.Targets) == 0 {
		k.Targets = make([]rules.TargetCount, len(c.plan.Targets))
	}
	if len(k.Standards) == 0 {
		k.Standards = make([]rules.StandardCount, len(c.plan.Standards))
	}
	if len(k.Counters) == 0 {
		k.Counters = make([]int, len(c.plan.Counters))
	}
	if len(k.Targets) != len(c.plan.Targets) || len(k.Standards) != len(c.plan.Standards) ||
		len(k.Counters) != len(c.plan.Counters) {
		return false
	}
	for i, st := range c.plan.Standards {
		if len(k.Standards[i].Gaps) == 0 {
			k.Standards[i].Gaps = make([]int, len(st.Requires))
		}
		if len(k.Standards[i].Gaps) != len(st.Requires) {
			return false
		}
	}
	return true
}

// storePart keeps p at path, unless a rule failed on its records. A part that cannot
// be stored is only counted again next time.
func (c *counter) storePart(path string, p *part) {
	if len(p.overallFails) > 0 {
		return
	}
	var sp savedPart
	pw := peopleWriter{index: map[string]int{}}
	for _, pair := range []struct {
		to   *[]savedTally
		from *tallies
	}{{&sp.Units, &p.units}, {&sp.Training, &p.training}} {
		for _, t := range pair.from.order {
			if len(t.unitFails) > 0 {
				return
			}
			for _, f := range t.standardFails {
				if len(f) > 0 {
					return
				}
			}
			counts := &rules.Counts{Targets: t.counts.Targets, Standards: make([]rules.StandardCount, len(t.counts.Standards)),
				Counters: t.counts.Counters}
			below := make([]int, len(t.counts.Standards))
			for i, sc := range t.counts.Standards {
				sc.Below, below[i] = nil, len(sc.Below)
				counts.Standards[i] = sc
				pw.add(t.counts.Standards[i].Below)
			}
			*pair.to = append(*pair.to, savedTally{Key: t.key, Name: t.name, Group: t.group, Headcount: t.headcount,
				Breakdowns: t.breakdowns, Counts: counts, Below: below, Attend: t.attend})
		}
	}
	for _, str := range pw.strs {
		sp.Strings = binary.AppendUvarint(sp.Strings, uint64(len(str)))
		sp.Strings = append(sp.Strings, str...)
	}
	sp.People = pw.at
	sp.Keys, sp.Persons, sp.Combos = p.people.keys, p.people.persons, p.people.combos
	sp.Outside, sp.Dates, sp.Named = p.outside, p.dates, p.fromName
	var payload bytes.Buffer
	if err := gob.NewEncoder(&payload).Encode(&sp); err != nil {
		return
	}
	_ = ingest.WriteSealed(path, partVersion, payload.Bytes())
}

// peopleWriter lays people below a standard out as savedPart stores them.
type peopleWriter struct {
	strs  []string
	index map[string]int
	at    []byte
}

func (w *peopleWriter) str(s string) {
	i, ok := w.index[s]
	if !ok {
		i = len(w.strs)
		w.strs = append(w.strs, s)
		w.index[s] = i
	}
	w.at = binary.AppendUvarint(w.at, uint64(i))
}

func (w *peopleWriter) add(ps []summary.Person) {
	for i := range ps {
		p := &ps[i]
		for _, s := range [...]string{p.Standard, p.Unit, p.Name, p.BirthDate, p.Position, p.File, p.Sheet} {
			w.str(s)
		}
		w.at = binary.AppendVarint(w.at, int64(p.Row))
		w.at = binary.AppendUvarint(w.at, uint64(len(p.Missing)))
		for _, m := range p.Missing {
			for _, s := range [...]string{m.Field, m.Label, m.Have, m.HaveText, m.Need, m.NeedText} {
				w.str(s)
			}
		}
	}
}

// readStrings reads the texts savedPart.Strings holds, as substrings of one string:
// one allocation for all the texts of a part.
func readStrings(data []byte) ([]string, bool) {
	all := string(data)
	var out []string
	for at := 0; at < len(data); {
		n, k := binary.Uvarint(data[at:])
		if k <= 0 || n > uint64(len(data)-at-k) {
			return nil, false
		}
		at += k
		out = append(out, all[at:at+int(n)])
		at += int(n)
	}
	return out, true
}

// peopleReader reads people back as peopleWriter laid them out. Their texts are the
// stored strings, so repeated ones are shared, as counting shares them, and so are
// identical lists of what they lack: decoded one by one, a national list held each
// text hundreds of thousands of times, and the collector, working near the memory
// limit, took back the time the cache saved.
type peopleReader struct {
	strs    []string
	data    []byte // what is left to read
	missing map[string][]summary.Missing
	bad     bool // the data does not hold what it should
	lacks   []summary.Missing
}

// uint reads the next uvarint.
func (r *peopleReader) uint() int {
	v, n := binary.Uvarint(r.data)
	if n <= 0 || v > uint64(len(r.strs)+len(r.data)) { // no index nor count is larger
		r.bad, r.data = true, nil
		return 0
	}
	r.data = r.data[n:]
	return int(v)
}

// text reads the next text.
func (r *peopleReader) text() string {
	k := r.uint()
	if k >= len(r.strs) {
		r.bad = true
		return ""
	}
	return r.strs[k]
}

// next returns the next n people, or nil when the data does not hold them.
func (r *peopleReader) next(n int) []summary.Person {
	if n <= 0 {
		return nil
	}
	out := make([]summary.Person, n)
	for i := range out {
		p := &out[i]
		p.Standard, p.Unit, p.Name, p.BirthDate = r.text(), r.text(), r.text(), r.text()
		p.Position, p.File, p.Sheet = r.text(), r.text(), r.text()
		row, k := binary.Varint(r.data)
		if k <= 0 || r.bad {
			return nil
		}
		r.data = r.data[k:]
		p.Row = int(row)
		lacks := r.uint()
		if r.bad || lacks < 1 || lacks > len(r.data)/6 {
			return nil
		}
		// The same list, stored as the same indexes, is read once and shared.
		span := r.data
		r.lacks = r.lacks[:0]
		for range lacks {
			r.lacks = append(r.lacks, summary.Missing{Field: r.text(), Label: r.text(), Have: r.text(),
				HaveText: r.text(), Need: r.text(), NeedText: r.text()})
		}
		if r.bad {
			return nil
		}
		key := span[:len(span)-len(r.data)]
		ms, ok := r.missing[string(key)]
		if !ok {
			ms = slices.Clone(r.lacks)
			r.missing[string(key)] = ms
		}
		p.Missing = ms
	}
	return out
}
