package ingest

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"canbo/pipeline/issue"
	"canbo/pipeline/normalize"
	"canbo/pipeline/validate"
)

// Batch is the result of reading a set of inputs together.
type Batch struct {
	Files []*File // read files in path order, then ignored ones
}

// ReadAll collects the inputs (files and folders), reads them in parallel, runs the
// cross-file checks and renders every issue's message with cat.
func (r *Reader) ReadAll(ctx context.Context, args []string, cat *issue.Catalog) (*Batch, error) {
	paths, ignored, err := Collect(args)
	if err != nil {
		return nil, err
	}
	files, err := r.Read(ctx, paths)
	if err != nil {
		return nil, err
	}
	SortFiles(files)
	var recs []*normalize.Record
	byFile := map[string]*File{}
	for _, f := range append(files, ignored...) {
		f.Group = groupOf(args, f.Path)
		if g, ok := r.opt.Groups[f.Path]; ok {
			f.Group = g
		}
	}
	tellApart(files)
	unit := r.norm.Config().Field(UnitField)
	for _, f := range files {
		byFile[f.Path] = f
		if f.Status != Accepted {
			continue
		}
		for i := range f.Records {
			r := &f.Records[i]
			r.Group, r.Path = f.Group, f.Path
			if unit != nil && !r.Values[unit.Index].Set && r.Unit != "" {
				// The unit came from the title block, a group row or the file name:
				// rules that select by unit ("đơn vị cấp xã") see it as if written in
				// a column.
				r.Values[unit.Index] = normalize.Value{Set: true, Text: r.Unit}
			}
			recs = append(recs, r)
		}
	}
	for _, is := range validate.Records(r.norm.Config(), recs) {
		if f := byFile[is.Source]; f != nil {
			f.Issues = append(f.Issues, is)
		}
	}
	for _, f := range files {
		f.countRepeats()
	}
	b := &Batch{Files: append(files, ignored...)}
	for _, f := range b.Files {
		issue.Sort(f.Issues)
		if cat != nil {
			cat.RenderAll(f.Issues)
		}
	}
	return b, nil
}

// countRepeats moves the records validate found to repeat a person from their table's
// people counted to its repeats.
func (f *File) countRepeats() {
	for i := range f.Records {
		rec := &f.Records[i]
		if rec.NotCounted != normalize.Repeat {
			continue
		}
		var sh *Sheet
		for j := range f.Sheets {
			s := &f.Sheets[j]
			if s.Name == rec.Sheet && s.Counted() && s.HeaderRows[0] <= rec.Row && (sh == nil || s.HeaderRows[0] > sh.HeaderRows[0]) {
				sh = s
			}
		}
		if sh != nil && sh.Rows > 0 {
			sh.Rows--
			sh.Repeats++
		}
	}
}

// tellApart gives files that share a name a name each, in their issues and records
// too, so that a message pointing at "DT.xlsx › DS, dòng 5" says which one and their
// feedback workbooks do not overwrite each other. The name is qualified by what
// tells them apart, first found of: their groups ("g1/DT.xlsx", "g2/DT.xlsx"; a file
// at the top keeps its bare name), the folders they are in (serve's archive keeps
// each unit in a folder: "UBND xã A/DS.xlsx"), else a number ("DS (2).xlsx").
func tellApart(files []*File) {
	byName := map[string][]*File{}
	var order []string
	for _, f := range files {
		k := strings.ToLower(f.Name)
		if byName[k] == nil {
			order = append(order, k)
		}
		byName[k] = append(byName[k], f)
	}
	for _, k := range order {
		same := byName[k]
		if len(same) < 2 {
			continue
		}
		names := distinctNames(same)
		for i, f := range same {
			rename(f, names[i])
		}
	}
}

// distinctNames is the name each of same is shown by (see tellApart).
func distinctNames(same []*File) []string {
	qualify := func(by func(f *File) string) []string {
		names := make([]string, len(same))
		seen := map[string]bool{}
		for i, f := range same {
			names[i] = f.Name
			if q := by(f); q != "" {
				names[i] = q + "/" + f.Name
			}
			k := strings.ToLower(names[i])
			if seen[k] {
				return nil
			}
			seen[k] = true
		}
		return names
	}
	if names := qualify(func(f *File) string { return f.Group }); names != nil {
		return names
	}
	if names := qualify(func(f *File) string { return filepath.Base(filepath.Dir(f.Path)) }); names != nil {
		return names
	}
	names := make([]string, len(same))
	for i, f := range same {
		names[i] = f.Name
		if i > 0 {
			ext := filepath.Ext(f.Name)
			names[i] = fmt.Sprintf("%s (%d)%s", strings.TrimSuffix(f.Name, ext), i+1, ext)
		}
	}
	return names
}

// rename shows f, its issues and its records by name.
func rename(f *File, name string) {
	for j := range f.Issues {
		if f.Issues[j].File == f.Name {
			f.Issues[j].File = name
		}
	}
	for j := range f.Records {
		f.Records[j].File = name
	}
	f.Name = name
}

// UnitField is the field that names a record's unit.
const UnitField = "don_vi"

// groupOf is the folder a file sits in relative to the input folder it was found
// under: "kon-tum/dai-hoc" for samples/kon-tum/dai-hoc/x.xlsx read from samples. Files
// named directly, or at the top of an input folder, have no group. A report groups
// units by it, so a province can drop each district's files in its own folder.
func groupOf(args []string, path string) string {
	for _, a := range args {
		rel, err := filepath.Rel(a, path)
		if err != nil || rel == "." || strings.HasPrefix(rel, "..") {
			continue
		}
		if dir := filepath.Dir(rel); dir != "." {
			return filepath.ToSlash(dir)
		}
		return ""
	}
	return ""
}

// Records returns the records of accepted files of one dataset that count: people who
// left and repeats of a person are listed in the files, not counted.
func (b *Batch) Records(dataset string) []*normalize.Record {
	var out []*normalize.Record
	for _, f := range b.Files {
		if f.Status != Accepted {
			continue
		}
		for i := range f.Records {
			if r := &f.Records[i]; r.Dataset == dataset && r.Counted() {
				out = append(out, r)
			}
		}
	}
	return out
}

// AsOf returns the newest "tính đến ngày" date found in the accepted sheets, or zero.
func (b *Batch) AsOf() time.Time {
	var t time.Time
	for _, f := range b.Files {
		for _, s := range f.Sheets {
			if s.AsOf.After(t) {
				t = s.AsOf
			}
		}
	}
	return t
}

// Counts tallies the issues of the files that were read or rejected; an ignored file
// (a lock file, a note) is mentioned, not counted as a problem.
func (b *Batch) Counts() issue.Counts {
	var all []issue.Issue
	for _, f := range b.Files {
		if f.Status != Ignored {
			all = append(all, f.Issues...)
		}
	}
	return issue.Count(all)
}
