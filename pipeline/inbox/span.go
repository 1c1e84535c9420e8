package inbox

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"slices"
	"sort"
	"time"

	"canbo/pipeline/facts"
	"canbo/pipeline/ingest"
	"canbo/pipeline/schema"
	"canbo/pipeline/units"
)

// A report over a span of months (a year, a term) reads the archive of every month
// of the span, where a unit's registers (training, movements) sit many times over:
// a unit sends its whole register again each month, a few rows longer. Counting
// every copy would count each attendance as many times as it was sent. So the span
// is read as one period is: of each unit's files for one dataset, the newest is
// used, now over all the months of the span: the roster as of the span's end, and
// the last copy of each register, which holds every attendance of the earlier ones.
// The older copies are listed as replaced by it.
//
// A register is not always one book grown: a unit may start a new one each year.
// Each archived register keeps the first and last date of its records (Sidecar.
// Dates), and going back from the newest, an older register of the unit is
//
//   - a copy, replaced, when it starts no earlier than the registers used, or when
//     the registers used already start by the span's first month;
//   - another book, read as well, when it ends before the registers used start (last
//     year's register beside this year's): its attendances are in no newer file;
//   - unsure (SpanNote) when it starts earlier but overlaps them — a book restarted
//     with a few old rows, old rows trimmed from a book — or when it is another book
//     inside a workbook that holds a roster or another register too (reading the
//     file would count those twice): it is not read, and the report says so rather
//     than guess. Files archived before the dates were kept are judged by their rows:
//     a newer register with fewer rows than the one it replaces is unsure.
//
// A workbook read for its roster (the unit's newest) is read for that alone
// (CurrentFor, report.Options.Datasets): a copy of a newer register beside it is not
// counted, and the file's line says which newer file it gave way to (NewerFor).
// Another book in it, before the registers read, is read too.

// DateRange is the first and last date (YYYY-MM-DD) of a register's records.
type DateRange struct {
	First string `json:"first"`
	Last  string `json:"last"`
}

// SpanNote is an older register of a unit canbo is not sure it reads right.
type SpanNote struct {
	Kind  NoteKind
	File  ArchivedFile // the older register
	Newer ArchivedFile // the newest register of the unit, read
	// Dataset is the register's dataset; Starts the date the registers read start
	// ("" for NoteRows: the files have no dates).
	Dataset, Starts string
}

// NoteKind says why canbo is not sure of a register.
type NoteKind int

// The kinds of SpanNote.
const (
	NoteRows    NoteKind = iota // no dates; the newer register has fewer rows: not read
	NoteOverlap                 // starts earlier than the registers read, overlaps them: not read
	NoteMixed                   // another book, in a workbook with other datasets: not read
)

// registerDates are the first and last dates of f's registers' counted records.
// Dates are compared as times and written once at the end: a register of a million
// rows is not a million formatted dates.
func registerDates(cfg *schema.Config, f *ingest.File) map[string]DateRange {
	type span struct{ first, last time.Time }
	var seen map[string]*span
	for i := range f.Records {
		r := &f.Records[i]
		if r.Dataset == rosterDataset || !r.Counted() {
			continue
		}
		v := facts.SpanDate(cfg, r)
		if !v.Set || v.Date.IsZero() {
			continue
		}
		if seen == nil {
			seen = map[string]*span{}
		}
		sp := seen[r.Dataset]
		if sp == nil {
			seen[r.Dataset] = &span{v.Date, v.Date}
			continue
		}
		if v.Date.Before(sp.first) {
			sp.first = v.Date
		}
		if v.Date.After(sp.last) {
			sp.last = v.Date
		}
	}
	if seen == nil {
		return nil
	}
	out := make(map[string]DateRange, len(seen))
	for ds, sp := range seen {
		out[ds] = DateRange{First: sp.first.Format(time.DateOnly), Last: sp.last.Format(time.DateOnly)}
	}
	return out
}

// Span returns the archived files a report over the months from to to (YYYY-MM)
// reads: for each unit (and inbox sub-folder) and dataset, the newest file of all
// those months, and the older registers of other years; the files replaced; and the
// registers canbo is not sure of (SpanNote). Lists are sorted as Current sorts them.
func Span(archiveDir, from, to string, reg *units.Registry) (current, superseded []ArchivedFile, notes []SpanNote, err error) {
	if !periodRe.MatchString(from) || !periodRe.MatchString(to) || from > to {
		return nil, nil, nil, fmt.Errorf("khoảng %s–%s không đúng (YYYY-MM, tháng đầu không sau tháng cuối)", from, to)
	}
	entries, err := os.ReadDir(archiveDir)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, nil, nil, err
	}
	var files []ArchivedFile
	for _, e := range entries {
		p := e.Name()
		if !e.IsDir() || !periodRe.MatchString(p) || p < from || p > to {
			continue
		}
		got, err := readPeriod(archiveDir, p)
		if err != nil {
			return nil, nil, nil, err
		}
		files = append(files, got...)
	}
	resolve(files, reg)
	notes = otherBooks(files, unitKeys(files, reg), from+"-01")
	current, superseded = split(archiveDir, files)
	return current, superseded, notes, nil
}

// otherBooks goes back through each unit's registers from the newest, as the
// package comment says: it marks the other books to read current (CurrentFor) and
// returns the registers it is not sure of. keys are the files' units (unitKeys);
// spanFrom is the span's first day.
func otherBooks(files []ArchivedFile, keys []string, spanFrom string) []SpanNote {
	type register struct {
		ds  string
		idx []int // the unit's files holding it
	}
	groups := map[string]*register{}
	var order []*register
	for i := range files {
		for _, ds := range datasetsOf(&files[i]) {
			if ds == rosterDataset || ds == "" {
				continue
			}
			k := supersedeKey(keys[i], ds)
			if groups[k] == nil {
				groups[k] = &register{ds: ds}
				order = append(order, groups[k])
			}
			groups[k].idx = append(groups[k].idx, i)
		}
	}
	var notes []SpanNote
	for _, g := range order {
		idx, ds := g.idx, g.ds
		if len(idx) < 2 {
			continue
		}
		sort.SliceStable(idx, func(a, b int) bool { return newer(&files[idx[a]], &files[idx[b]]) })
		newest := &files[idx[0]]
		starts, dated := newest.Dates[ds].First, newest.Dates[ds].First != ""
		book := newest   // the book read that holds what a copy holds
		var noted string // the first day of the last register noted unsure
		for _, i := range idx[1:] {
			old := &files[i]
			od, ok := old.Dates[ds]
			read := len(old.CurrentFor) > 0 // for another dataset
			said := len(notes)
			note := func(kind NoteKind) {
				notes = append(notes, SpanNote{Kind: kind, File: *old, Newer: *newest, Dataset: ds, Starts: starts})
				noted = od.First
			}
			switch {
			case !dated || !ok:
				if shrank(old, newest) {
					notes = append(notes, SpanNote{Kind: NoteRows, File: *old, Newer: *newest, Dataset: ds})
				}
			case od.Last < spanFrom:
				// Wholly before the span: nothing of it would count.
			case od.Last < starts && (read || len(datasetsOf(old)) == 1):
				// Another book, before the books read: read it too.
				old.CurrentFor = append(old.CurrentFor, ds)
				old.SupersededBy = ""
				starts, book = od.First, old
			case od.First >= starts || starts <= spanFrom:
				// A copy; or the books read already start by the span's first day.
				if len(datasetsOf(old)) == 1 {
					old.SupersededBy = book.Rel
				}
			case noted != "" && od.First >= noted:
				// An older copy of the register just noted: one note says it.
			case od.Last < starts:
				note(NoteMixed)
			default:
				note(NoteOverlap)
			}
			if read && !slices.Contains(old.CurrentFor, ds) && len(notes) == said {
				// Read for another dataset, not for this register (report.Options.Datasets),
				// which a newer book holds (a register noted unsure says so itself).
				if old.NewerFor == nil {
					old.NewerFor = map[string]string{}
				}
				old.NewerFor[ds] = book.OriginalName
			}
		}
	}
	return notes
}

// rosterDataset is the dataset of lists of people (facts.Roster), which is never
// cumulative: a newer list replaces the older whatever its length.
const rosterDataset = facts.Roster

// shrank reports whether newer, which replaced the register old, has fewer rows:
// both hold registers only (a roster in the file would change its rows for other
// reasons).
func shrank(old, newer *ArchivedFile) bool {
	if slices.Contains(datasetsOf(old), rosterDataset) || slices.Contains(datasetsOf(newer), rosterDataset) {
		return false
	}
	return old.Rows > newer.Rows
}
