package inbox

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"

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
// That rests on registers being cumulative. When the newest register of a unit has
// fewer rows than a copy it replaces, it is not the same register grown: the unit
// may have started a new register (a new year's), and the attendances only in the
// older one are not counted. canbo cannot tell which from the files' records alone
// (SpanNote): the report says so for that file rather than guessing.

// SpanNote is a replaced register canbo is not sure the newer one holds all of.
type SpanNote struct {
	File  ArchivedFile // the older register, not read
	Newer ArchivedFile // the newer one, read in its place
}

// Span returns the archived files a report over the months from to to (YYYY-MM)
// reads: for each unit (and inbox sub-folder) and dataset, the newest file of all
// those months; the files they replaced; and the replaced registers that may hold
// attendances the newer do not (SpanNote). Lists are sorted as Current sorts them.
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
	byPath := map[string]int{}
	for i := range files {
		byPath[files[i].Rel] = i
	}
	for _, f := range files {
		if f.SupersededBy != "" {
			f.NewerPath = filepath.Join(archiveDir, filepath.FromSlash(f.SupersededBy))
		}
		if len(f.CurrentFor) > 0 {
			current = append(current, f)
			continue
		}
		superseded = append(superseded, f)
		if j, ok := byPath[f.SupersededBy]; ok && shrank(&f, &files[j]) {
			notes = append(notes, SpanNote{File: f, Newer: files[j]})
		}
	}
	return current, superseded, notes, nil
}

// rosterDataset is the dataset of lists of people (facts.Roster), which is never
// cumulative: a newer list replaces the older whatever its length.
const rosterDataset = "roster"

// shrank reports whether newer, which replaced the register old, has fewer rows:
// both hold registers only (a roster in the file would change its rows for other
// reasons).
func shrank(old, newer *ArchivedFile) bool {
	if slices.Contains(datasetsOf(old), rosterDataset) || slices.Contains(datasetsOf(newer), rosterDataset) {
		return false
	}
	return old.Rows > newer.Rows
}
