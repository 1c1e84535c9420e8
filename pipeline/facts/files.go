package facts

import (
	"slices"

	"canbo/pipeline/ingest"
	"canbo/pipeline/issue"
	"canbo/pipeline/normalize"
	"canbo/pipeline/schema"
	"canbo/pipeline/summary"
)

// files lists every input with its status, and counts and lists the data problems of
// the files that were read or rejected (an ignored lock file is not a problem).
func files(b *ingest.Batch) ([]summary.File, summary.Issues, []summary.Problem) {
	out := make([]summary.File, 0, len(b.Files))
	var all []issue.Issue
	for _, f := range b.Files {
		sf := summary.File{File: f.Name, Path: f.Path, Group: f.Group, SHA256: f.SHA256, Status: f.Status,
			HeaderRows: []int{}}
		n := f.Tally()
		sf.Rows, sf.Left, sf.Repeats = n.Rows(), n.Left, n.Repeats
		if f.Status != ingest.Ignored {
			sf.Errors, sf.Warnings = f.Errors(), f.Warnings()
			all = append(all, f.Issues...)
		}
		if sh := f.Main(); sh != nil {
			sf.Dataset, sf.Sheet, sf.Unit = sh.Dataset, sh.Name, sh.Unit
			if sh.UnitSource == "column" {
				// Each row names its unit: the file is the title's unit, else the one
				// unit all its rows name, else it goes by its name (a class list names
				// each learner's workplace, not the school that sent it).
				switch {
				case sh.TitleUnit != "":
					sf.Unit = sh.TitleUnit
				case len(sh.ColumnUnits) == 1:
					sf.Unit = sh.ColumnUnits[0]
				}
			}
			sf.HeaderRows = append(sf.HeaderRows, sh.HeaderRows...)
			sf.Columns = columns(f, sh.Dataset)
		}
		if sf.Unit == "" {
			sf.Unit = n.FirstUnit
		}
		if f.Status != ingest.Accepted {
			for _, is := range f.Issues {
				if is.Code == f.Reason {
					sf.Reason = is.Message
					break
				}
			}
		}
		out = append(out, sf)
	}
	c := issue.Count(all)
	iss := summary.Issues{Errors: c.Errors, Warnings: c.Warnings, ByCode: map[string]int{}}
	for code, n := range c.ByCode {
		iss.ByCode[string(code)] = n
	}
	problems := make([]summary.Problem, 0, len(all))
	for _, is := range all {
		problems = append(problems, summary.Problem{Code: string(is.Code), Severity: is.Severity.String(),
			File: is.File, Sheet: is.Sheet, Cell: is.Cell(), Field: is.Label, Raw: is.Raw, Message: is.Message, More: is.More})
	}
	return out, iss, problems
}

// columns lists the fields that f's counted tables of dataset have a column for, each
// once, in the order the first such table gives them (schema order).
func columns(f *ingest.File, dataset string) []string {
	var out []string
	for _, sh := range f.Sheets {
		if sh.NotCounted != "" || sh.Dataset != dataset {
			continue
		}
		for _, c := range sh.Fields {
			if !slices.Contains(out, c) {
				out = append(out, c)
			}
		}
	}
	return out
}

// training counts attendances by kind and funding, overall and per unit.
func (c *counter) training(units []*tally) summary.Training {
	t := summary.Training{ByType: map[string]int{}, ByFunding: map[string]int{}, Units: []summary.TrainingUnit{}}
	all := c.newTally("", "")
	for _, u := range units {
		all.sum(u)
		t.Units = append(t.Units, c.trainingUnit(u))
	}
	t.Total = all.headcount
	tu := c.trainingUnit(all)
	t.ByType, t.ByFunding = tu.ByType, tu.ByFunding
	t.Groups = c.trainingGroups(units)
	return t
}

func (c *counter) trainingUnit(u *tally) summary.TrainingUnit {
	tu := summary.TrainingUnit{Unit: u.name, Group: u.group, Total: u.headcount, ByType: map[string]int{}, ByFunding: map[string]int{},
		Workplaces: c.workplaceList(u.workplaces, u.group)}
	if c.kind != nil {
		tu.ByType = c.codes(c.kind, u.breakdowns[0])
	}
	if c.fund != nil {
		tu.ByFunding = c.codes(c.fund, u.breakdowns[1])
	}
	return tu
}

// fieldOf returns the first training dimension other than the kind: the funding.
func fieldOf(cfg *schema.Config, dims []string, except string) *schema.Field {
	for _, d := range dims {
		if d != except {
			return cfg.Field(d)
		}
	}
	return nil
}

// namedBySheet lists, per sheet of f, the fields its rows had read off the course
// name (the sheet has no column for them: issue.FromName says so once per field);
// nil when none. The report counts, of these, the records it counts (countNamed):
// a figure built on names must say so where it is shown, and with the records the
// figure is made of, not every row of the register (a report over a span counts
// only the attendances begun in it).
func namedBySheet(cfg *schema.Config, f *ingest.File) map[string][]*schema.Field {
	var out map[string][]*schema.Field
	for _, is := range f.Issues {
		if is.Code != issue.FromName {
			continue
		}
		fd := cfg.Field(is.Field)
		if fd == nil || slices.Contains(out[is.Sheet], fd) {
			continue
		}
		if out == nil {
			out = map[string][]*schema.Field{}
		}
		out[is.Sheet] = append(out[is.Sheet], fd)
	}
	return out
}

// countNamed counts a counted training record under each field of fs its value was
// read off the course name for: the value is there and came from the course's cell.
func (p *part) countNamed(r *normalize.Record, fs []*schema.Field, course *schema.Field) {
	if course == nil {
		return
	}
	from := r.Value(course)
	for _, fd := range fs {
		if v := r.Value(fd); v.Set && from.Set && v.Col == from.Col {
			if p.fromName == nil {
				p.fromName = map[string]int{}
			}
			p.fromName[fd.Code]++
		}
	}
}
