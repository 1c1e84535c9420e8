package normalize

import (
	"slices"
	"strconv"
	"strings"

	"canbo/pipeline/issue"
	"canbo/pipeline/schema"
	"canbo/pipeline/workbook"
)

// A value read off the course name is a guess a clerk must be able to see: each
// table says, once per field, how many of its rows had the field read from the name
// and from which column (issue.FromName), and a name that names two values of the
// field is left unknown with a warning on its cell (issue.NameAmbiguous).

// nameTally counts one field's values read from course names in a table.
type nameTally struct {
	field *schema.Field
	count int
	col   int    // the course column
	raw   string // the first name read, and what it gave
	code  string
}

// noColumn reports whether the sheet has no column of field f: only then is a value
// read off the course name (a blank cell of a level column stays blank).
func (sh *Sheet) noColumn(f *schema.Field) bool {
	for _, c := range sh.Columns {
		if c.Field == f || (c.Mark != nil && c.Mark.Field == f) || slices.Contains(c.Split, f) {
			return false
		}
	}
	return true
}

// fromName notes that field f of the row was read off course name v as code.
func (sh *Sheet) fromName(f *schema.Field, v Value, code string) {
	for i := range sh.named {
		if sh.named[i].field == f {
			sh.named[i].count++
			return
		}
	}
	sh.named = append(sh.named, nameTally{field: f, count: 1, col: v.Col, raw: v.Raw, code: code})
}

// readNames fills the from_name fields (training.yaml) the sheet has no column for
// from the row's course name.
func (st *rowState) readNames() {
	from := st.n.course
	if len(st.n.names) == 0 || from == nil {
		return
	}
	name := st.rec.Values[from.Index]
	if !name.Set {
		return
	}
	for _, r := range st.n.names {
		f := r.Field
		if st.rec.Values[f.Index].Set || st.bad[f.Index] || !inDataset(st.sh.Dataset, f.Code) || !st.sh.noColumn(f) {
			continue
		}
		got := r.Read(name.Text)
		switch {
		case got.Code != "":
			st.rec.Values[f.Index] = Value{Set: true, Text: got.Code, Raw: name.Raw, Col: name.Col}
			st.sh.fromName(f, name, got.Code)
		case len(got.Codes) > 1:
			labels := make([]string, len(got.Codes))
			for i, c := range got.Codes {
				labels[i] = "“" + st.n.cfg.VocabOf(f).LabelOf(c) + "”"
			}
			c := workbook.Cell{Col: name.Col, Kind: workbook.Text, Text: name.Raw}
			st.issues = append(st.issues, st.issueFor(issue.NameAmbiguous, f, c).With("value", strings.Join(labels, ", ")))
			st.markBad(f)
		}
	}
}

// SheetIssues are the problems of a table as a whole that its rows found: one
// issue.FromName for each field read off course names, with how many rows it was.
// Call it once the table is read.
func (n *Normalizer) SheetIssues(sh *Sheet, headerRow int) []issue.Issue {
	var out []issue.Issue
	for _, t := range sh.named {
		is := issue.New(issue.FromName, sh.File, sh.Sheet, headerRow, t.col)
		is.Field, is.Label, is.Raw = t.field.Code, t.field.Label, t.raw
		is = is.With("count", strconv.Itoa(t.count)).With("column", issue.ColumnName(t.col)).
			With("value", n.cfg.VocabOf(t.field).LabelOf(t.code))
		for _, c := range sh.Columns {
			if c.Col == t.col {
				is = is.With("header", c.Header)
			}
		}
		out = append(out, is)
	}
	return out
}
