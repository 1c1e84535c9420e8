package facts

import (
	"slices"
	"sort"
	"strconv"

	"canbo/pipeline/summary"
	"canbo/pipeline/textfold"
)

// The unit that sent a file and the units of the people it lists are usually one
// and the same, or the sender's own units: a commune's roster, a district office's
// file for two communes. Each person then counts under the unit their row names.
//
// A training school's class list is different: its unit column holds each learner's
// workplace (a hundred communes for one class), and the office reports the class
// under the school, with the workplaces as detail. Nothing in the file tells the two
// apart reliably (both are rosters with a unit column; a class list's title may
// name only the class), but the office knows which of its senders are schools, so
// units.yaml says it once of the sender (lists: learners), with the files it sends
// when their title does not name it (files:). Without that, people are counted by
// the unit their row names, as before, and the report says so (unit_check marks
// those names workplace).

// sender is who sent each file: the registered unit, -1 when none is known.
type sender struct {
	unit     []int  // by file, as the batch's files
	learners []bool // by file: the sender's files list learners of other units
}

// senders finds who sent each accepted file: the first registered unit whose
// files patterns match the file's path from the input folder, else the registered
// unit the file's title, unit column or name names (files[].unit). files are the
// batch's files as summary.File.
func (c *counter) senders(files []summary.File) sender {
	s := sender{unit: make([]int, len(files)), learners: make([]bool, len(files))}
	reg := c.cfg.Units.Registry()
	var patterned []int // the units with files patterns: few of a registry's thousands
	for j, u := range c.cfg.Units.Units {
		if len(u.Files) > 0 {
			patterned = append(patterned, j)
		}
	}
	for i, f := range files {
		s.unit[i] = -1
		if f.Status != "accepted" || reg.Len() == 0 {
			continue
		}
		rel := f.File
		if f.Group != "" {
			rel = f.Group + "/" + f.File
		}
		for _, j := range patterned {
			if c.cfg.Units.Units[j].Sends(rel) {
				s.unit[i] = j
				break
			}
		}
		if s.unit[i] < 0 && f.Unit != "" {
			s.unit[i] = reg.Find(f.Unit, f.Group, false).Unit
		}
		if j := s.unit[i]; j >= 0 {
			s.learners[i] = c.cfg.Units.Units[j].ListsLearners()
		}
	}
	return s
}

// underSenders counts the people of each list of learners under the unit that
// sent it: the file's tallies (one per workplace its rows name) become one tally
// of the sender, shown by its official name, which keeps how many people each
// workplace sent; each person below a standard keeps their workplace (a training
// plan is made by workplace). It works on the files' counted parts, so that counting a file,
// and the part the cache keeps, do not depend on units.yaml.
func (c *counter) underSenders(parts []*part, s sender) {
	reg := c.cfg.Units.Registry()
	for i, p := range parts {
		if p == nil || !s.learners[i] {
			continue
		}
		for _, ts := range []*tallies{&p.units, &p.training} {
			if len(ts.order) == 0 {
				continue
			}
			g := ts.order[0].group
			t := c.newTally(reg.Name(s.unit[i]), g)
			t.key = g + "\x00sender\x00" + strconv.Itoa(s.unit[i])
			t.workplaces = &workplaceCount{} // each tally adds its people at its name
			for _, o := range ts.order {
				for k := range o.counts.Standards {
					below := o.counts.Standards[k].Below
					for j := range below {
						below[j].Workplace = o.name
					}
				}
				t.add(o)
			}
			*ts = tallies{byKey: map[string]*tally{t.key: t}, order: []*tally{t}}
		}
	}
}

// workplaceCount is people by workplace, as written in the lists, in the order met.
type workplaceCount struct {
	names []string
	n     map[string]int
}

func (w *workplaceCount) add(name string, n int) {
	if w.n == nil {
		w.n = map[string]int{}
	}
	if _, ok := w.n[name]; !ok {
		w.names = append(w.names, name)
	}
	w.n[name] += n
}

// addWorkplaces adds o's workplaces to t's when either has some: the same sender
// met in another file. A tally without workplaces (the school's own staff, on its
// own roster) adds its people at its own name, so a unit's workplaces always add
// up to its headcount. It is called before o's headcount is added to t's.
func (t *tally) addWorkplaces(o *tally) {
	if t.workplaces == nil && o.workplaces == nil {
		return
	}
	if t.workplaces == nil {
		t.workplaces = &workplaceCount{}
		if t.headcount > 0 {
			t.workplaces.add(t.name, t.headcount)
		}
	}
	if o.workplaces == nil {
		t.workplaces.add(o.name, o.headcount)
		return
	}
	for _, name := range o.workplaces.names {
		t.workplaces.add(name, o.workplaces.n[name])
	}
}

// workplaceList is a unit's workplaces as the summary lists them: written in
// several ways, a workplace is one (the registry's name for a unit it knows, else
// the spelling its obvious variants merged under, as the report's units are told
// apart), sorted by name; nil for a unit without workplaces.
func (c *counter) workplaceList(w *workplaceCount, group string) []summary.Workplace {
	if w == nil {
		return nil
	}
	keys, shown := identify(c.cfg.Units.Registry(), group, w.names, nil, nil)
	var out []summary.Workplace
	at := map[string]int{}
	for i, name := range w.names {
		if j, ok := at[keys[i]]; ok {
			out[j].People += w.n[name]
			continue
		}
		at[keys[i]] = len(out)
		out = append(out, summary.Workplace{Unit: shown[i], People: w.n[name]})
	}
	sort.SliceStable(out, func(i, j int) bool { return textfold.Key(out[i].Unit) < textfold.Key(out[j].Unit) })
	return slices.Clip(out)
}
