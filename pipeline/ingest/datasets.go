package ingest

import (
	"slices"

	"canbo/pipeline/issue"
	"canbo/pipeline/normalize"
)

// keepDatasets makes the batch count only the tables of f of the datasets keep
// (Options.Datasets). A unit's workbook may hold its roster and a copy of its
// register that a newer file of the unit replaced: a report over a span reads the
// workbook for the roster, and counting the register beside the newer one would
// count its attendances twice. The other tables are still read — the file is the
// same reading the cache keeps for the month's report — but set aside as a newer
// file's (normalize.Newer): their records are not counted (the batch's overlay marks
// them, however the records are kept), and their problems are not reported again,
// the month that counted them having reported them. A table already set aside for
// another reason keeps it.
func (f *File) keepDatasets(keep []string) {
	var other []string
	for i := range f.Sheets {
		sh := &f.Sheets[i]
		if sh.Dataset == "" || slices.Contains(keep, sh.Dataset) {
			continue
		}
		if !slices.Contains(other, sh.Dataset) {
			other = append(other, sh.Dataset)
		}
		if sh.Counted() {
			sh.NotCounted = normalize.Newer
			sh.Dropped, sh.Rows, sh.Left, sh.Repeats = sh.Rows+sh.Left+sh.Repeats, 0, 0, 0
		}
	}
	if other == nil {
		return
	}
	slices.Sort(other)
	f.over.other = other
	iss := make([]issue.Issue, 0, len(f.Issues))
	for _, is := range f.Issues {
		if sh := f.tableAt(is.Sheet, is.Row); sh == nil || sh.NotCounted != normalize.Newer {
			iss = append(iss, is)
		}
	}
	f.Issues = iss
}

// tableAt returns the table of f an issue at sheet and row is about: the last table
// of the sheet whose header starts at or above the row. An issue of the whole sheet
// (row 0) is about its table when the sheet holds one; nil when it is about none.
func (f *File) tableAt(sheet string, row int) *Sheet {
	var first, at *Sheet
	n := 0
	for i := range f.Sheets {
		sh := &f.Sheets[i]
		if sh.Name != sheet {
			continue
		}
		n++
		if first == nil {
			first = sh
		}
		if len(sh.HeaderRows) > 0 && sh.HeaderRows[0] <= row && (at == nil || sh.HeaderRows[0] > at.HeaderRows[0]) {
			at = sh
		}
	}
	switch {
	case row == 0 && n == 1:
		return first
	case row == 0:
		return nil
	case at == nil:
		return first
	}
	return at
}
