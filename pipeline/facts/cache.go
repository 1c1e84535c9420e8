package facts

import (
	"bytes"
	"crypto/sha256"
	"encoding/gob"
	"fmt"
	"io"
	"os"
	"time"

	"canbo/pipeline/ingest"
	"canbo/pipeline/outfile"
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
const partVersion = "canbo-facts-1"

// savedPart is a part as stored.
type savedPart struct {
	Units, Training []savedTally
}

type savedTally struct {
	Key, Name, Group string
	Headcount        int
	Breakdowns       []map[string]int
	Counts           *rules.Counts
}

// partPath is where f's part is kept, or "" when it cannot be: no cache, or a
// reading the cache does not hold.
func (c *counter) partPath(f *ingest.File) string {
	key := f.CacheKey()
	if c.cache == nil || key == "" {
		return ""
	}
	return c.cache.Artefact(".facts", partVersion, key, f.Group, f.Path, f.Name,
		c.asOf.Format(time.RFC3339Nano)+" "+c.asOf.Location().String(), c.planDigest, f.RepeatDigest())
}

// loadPart returns the part kept at path, or nil when there is none usable.
func (c *counter) loadPart(path string) (p *part) {
	defer func() {
		if recover() != nil { // data gob chokes on: count the file instead
			p = nil
		}
	}()
	data, err := os.ReadFile(path)
	if err != nil {
		return nil
	}
	head := partVersion + "\n"
	if len(data) < len(head)+sha256.Size || string(data[:len(head)]) != head {
		return nil
	}
	sum, payload := data[len(head):len(head)+sha256.Size], data[len(head)+sha256.Size:]
	if check := sha256.Sum256(payload); !bytes.Equal(check[:], sum) {
		return nil
	}
	var sp savedPart
	if err := gob.NewDecoder(bytes.NewReader(payload)).Decode(&sp); err != nil {
		return nil
	}
	p = &part{}
	in := interner{strs: map[string]string{}, missing: map[string][]summary.Missing{}}
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
			t.key, t.headcount, t.counts = st.Key, st.Headcount, st.Counts
			for i := range t.counts.Standards {
				in.persons(t.counts.Standards[i].Below)
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
	if len(k.Targets) != len(c.plan.Targets) || len(k.Standards) != len(c.plan.Standards) {
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
			*pair.to = append(*pair.to, savedTally{Key: t.key, Name: t.name, Group: t.group, Headcount: t.headcount,
				Breakdowns: t.breakdowns, Counts: t.counts})
		}
	}
	var payload bytes.Buffer
	if err := gob.NewEncoder(&payload).Encode(&sp); err != nil {
		return
	}
	sum := sha256.Sum256(payload.Bytes())
	_ = outfile.Write(path, 0o644, func(w io.Writer) error {
		if _, err := fmt.Fprintf(w, "%s\n", partVersion); err != nil {
			return err
		}
		if _, err := w.Write(sum[:]); err != nil {
			return err
		}
		_, err := w.Write(payload.Bytes())
		return err
	})
}

// interner shares the texts a part's people below a standard repeat (their unit,
// standard, position, file, sheet and what they lack), as counting them shares them:
// decoded one by one, a national list held each of them hundreds of thousands of times
// and the collector, working near the memory limit, took the time the cache saved.
type interner struct {
	strs    map[string]string
	missing map[string][]summary.Missing
	key     []byte
}

func (in *interner) str(s string) string {
	if t, ok := in.strs[s]; ok {
		return t
	}
	in.strs[s] = s
	return s
}

func (in *interner) persons(ps []summary.Person) {
	for i := range ps {
		p := &ps[i]
		p.Standard, p.Unit, p.Position = in.str(p.Standard), in.str(p.Unit), in.str(p.Position)
		p.File, p.Sheet = in.str(p.File), in.str(p.Sheet)
		in.key = in.key[:0]
		for _, m := range p.Missing {
			for _, s := range []string{m.Field, m.Label, m.Have, m.HaveText, m.Need, m.NeedText} {
				in.key = append(in.key, s...)
				in.key = append(in.key, 0)
			}
		}
		if ms, ok := in.missing[string(in.key)]; ok {
			p.Missing = ms
			continue
		}
		for j := range p.Missing {
			m := &p.Missing[j]
			m.Field, m.Label, m.Have, m.HaveText = in.str(m.Field), in.str(m.Label), in.str(m.Have), in.str(m.HaveText)
			m.Need, m.NeedText = in.str(m.Need), in.str(m.NeedText)
		}
		in.missing[string(in.key)] = p.Missing
	}
}
