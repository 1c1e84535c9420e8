package inbox

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"time"

	"canbo/pipeline/feedback"
	"canbo/pipeline/outfile"
	"canbo/pipeline/textfold"
	"canbo/pipeline/units"
)

// SidecarExt is the extension of an archived file's record: <archived name>.json.
const SidecarExt = ".json"

// NoteExt is the extension of a quarantined file's explanation: <quarantined name>.txt.
const NoteExt = ".txt"

// Sidecar is the record written beside every archived file. It is the only record of
// what was taken: the index of known files and Current are read from sidecars.
type Sidecar struct {
	SchemaVersion int       `json:"schema_version"`
	SHA256        string    `json:"sha256"`
	File          string    `json:"file"`          // the archived file's name
	OriginalName  string    `json:"original_name"` // as the unit named it
	InboxPath     string    `json:"inbox_path"`    // where it was dropped, relative to the inbox, "/"-separated
	Size          int64     `json:"size"`
	Unit          string    `json:"unit"`
	Period        string    `json:"period"`          // YYYY-MM
	AsOf          string    `json:"as_of,omitempty"` // newest "tính đến ngày" of its sheets, YYYY-MM-DD
	ReceivedAt    time.Time `json:"received_at"`
	Dataset       string    `json:"dataset"`  // the first sheet's dataset
	Datasets      []string  `json:"datasets"` // every dataset it holds, sorted
	Rows          int       `json:"rows"`
	// Dates are, for each register it holds (training, movements), the first and
	// last date its records are placed by in a report over a span (facts.SpanDate):
	// a span tells a register sent again from another year's by them (Span). Files
	// archived before canbo kept them have none.
	Dates    map[string]DateRange `json:"dates,omitempty"`
	Errors   int                  `json:"errors"`
	Warnings int                  `json:"warnings"`
	// SupersededBy is the archive-relative path ("2023-09/UBND xã A/…xlsx") of the
	// newer file of the same unit, period and datasets that replaced this one; "" while
	// this file is current.
	SupersededBy string `json:"superseded_by"`
	// Feedback is the name of the marked copy written to OUT/<period>/phan-hoi/ when
	// the file had problems: the unit's own file name, or "<unit folder> - <name>"
	// when another unit's file of the period already has that name.
	Feedback string `json:"feedback,omitempty"`
}

// FeedbackFile is the name of the file's marked copy in phan-hoi ("" if none).
func (s *Sidecar) FeedbackFile() string {
	if s.Feedback != "" {
		return s.Feedback
	}
	if s.Errors+s.Warnings == 0 {
		return ""
	}
	return feedback.Name(s.OriginalName)
}

// Group is the inbox sub-folder the file came from ("" at the top).
func (s *Sidecar) Group() string {
	if d := path.Dir(s.InboxPath); d != "." && d != "/" {
		return d
	}
	return ""
}

// ArchivedFile is an archived file with its record.
type ArchivedFile struct {
	Sidecar
	Path        string // the archived workbook
	SidecarPath string
	Rel         string // Path relative to the archive, "/"-separated
	// CurrentFor lists the datasets for which this file is the newest of its unit; a
	// file in Current's superseded list has none. A file holding two datasets may be
	// current for one and replaced for the other.
	CurrentFor []string
	// NewerFor, dataset → the name of the newer file read for it, are the datasets
	// of a file read for others (CurrentFor) that a report over a span does not
	// count in it (Span): a copy of a register in the workbook of the unit's roster.
	NewerFor map[string]string
	// NewerPath is the archived file that replaced this one (SupersededBy as a path),
	// "" while it is current: what report.Options.Superseded wants, path → newer path.
	NewerPath string
}

// Current returns the archived files of one period to use: for each unit (and inbox
// sub-folder) and dataset, the newest file; and the older files they superseded.
// Newest means the latest "tính đến ngày" date (or, without one, the day it was
// received), then the latest received. Files are of one unit as the report counts
// them (supersedeKey), under reg, units.yaml's registry (nil: none). Both lists are
// sorted by unit, then name.
func Current(archiveDir, period string, reg *units.Registry) (current, superseded []ArchivedFile, err error) {
	if !periodRe.MatchString(period) {
		return nil, nil, fmt.Errorf("kỳ %q không đúng dạng YYYY-MM", period)
	}
	files, err := readPeriod(archiveDir, period)
	if err != nil {
		return nil, nil, err
	}
	resolve(files, reg)
	newerFor(files, reg)
	current, superseded = split(archiveDir, files)
	return current, superseded, nil
}

// newerFor names, on each file current for only some of its datasets, the newer file
// current for each of the others: a unit's workbook with its roster and register,
// then a newer register on its own, is read for the roster alone
// (report.Options.Datasets), or the register would be counted twice.
func newerFor(files []ArchivedFile, reg *units.Registry) {
	keys := unitKeys(files, reg)
	newest := map[string]int{}
	for i := range files {
		for _, ds := range files[i].CurrentFor {
			newest[supersedeKey(keys[i], ds)] = i
		}
	}
	for i := range files {
		f := &files[i]
		if len(f.CurrentFor) == 0 {
			continue
		}
		for _, ds := range datasetsOf(f) {
			if slices.Contains(f.CurrentFor, ds) {
				continue
			}
			if j, ok := newest[supersedeKey(keys[i], ds)]; ok {
				if f.NewerFor == nil {
					f.NewerFor = map[string]string{}
				}
				f.NewerFor[ds] = files[j].OriginalName
			}
		}
	}
}

// split parts resolved files into those read (CurrentFor) and those superseded, each
// with the path of the file that replaced it.
func split(archiveDir string, files []ArchivedFile) (current, superseded []ArchivedFile) {
	for _, f := range files {
		if f.SupersededBy != "" {
			f.NewerPath = filepath.Join(archiveDir, filepath.FromSlash(f.SupersededBy))
		}
		if len(f.CurrentFor) > 0 {
			current = append(current, f)
		} else {
			superseded = append(superseded, f)
		}
	}
	return current, superseded
}

var periodRe = regexp.MustCompile(`^\d{4}-(0[1-9]|1[0-2])$`)

// readPeriod reads every sidecar under ARCHIVE/period.
func readPeriod(archiveDir, period string) ([]ArchivedFile, error) {
	root := filepath.Join(archiveDir, period)
	var out []ArchivedFile
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == root && errors.Is(err, fs.ErrNotExist) {
				return filepath.SkipDir
			}
			return err
		}
		if d.IsDir() || !strings.HasSuffix(d.Name(), SidecarExt) || isTempName(d.Name()) {
			return nil
		}
		f, err := readSidecar(archiveDir, p)
		if err != nil {
			return err
		}
		out = append(out, f)
		return nil
	})
	if err != nil {
		return nil, err
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Rel < out[j].Rel })
	return out, nil
}

func readSidecar(archiveDir, sidecar string) (ArchivedFile, error) {
	data, err := os.ReadFile(sidecar)
	if err != nil {
		return ArchivedFile{}, err
	}
	var f ArchivedFile
	if err := json.Unmarshal(data, &f.Sidecar); err != nil {
		return ArchivedFile{}, fmt.Errorf("%s: %w", sidecar, err)
	}
	if f.SHA256 == "" {
		return ArchivedFile{}, fmt.Errorf("%s: không có sha256", sidecar)
	}
	f.SidecarPath = sidecar
	f.Path = strings.TrimSuffix(sidecar, SidecarExt)
	if rel, err := filepath.Rel(archiveDir, f.Path); err == nil {
		f.Rel = filepath.ToSlash(rel)
	}
	return f, nil
}

// unitKeys is which unit each file of a period speaks for, as the report counts them
// (units.Identities over the period's files): a unit registered in units.yaml whatever
// the spelling its files give (an alias, a variant, its name before a rename), any
// other by its folded name and obvious variants ("UBND xã Đăk Kôi, huyện Kon Rẫy"
// and "UBND xã Đăk Kôi - Kon Rẫy"), within its inbox sub-folder: two districts may
// each have a "xã An Lạc".
func unitKeys(files []ArchivedFile, reg *units.Registry) []string {
	names := make([]units.Named, len(files))
	for i := range files {
		names[i] = units.Named{Group: files[i].Group(), Name: files[i].Unit}
	}
	keys := units.Identities(reg, names)
	for i := range keys {
		keys[i] = names[i].Group + "\x00" + keys[i]
	}
	return keys
}

// supersedeKey is who a file speaks for: one unit (unitKeys) for one dataset.
func supersedeKey(unit, dataset string) string {
	return unit + "\x00" + dataset
}

// effective is the date a file's data speaks for: its as-of date, else the day it
// was received.
// received_at is written in Việt Nam time and keeps its offset when read back.
func (f *ArchivedFile) effective() string {
	if f.AsOf != "" {
		return f.AsOf
	}
	return f.ReceivedAt.Format("2006-01-02")
}

// newer reports whether a replaces b.
func newer(a, b *ArchivedFile) bool {
	if ea, eb := a.effective(), b.effective(); ea != eb {
		return ea > eb
	}
	if !a.ReceivedAt.Equal(b.ReceivedAt) {
		return a.ReceivedAt.After(b.ReceivedAt)
	}
	return a.Rel > b.Rel
}

// resolve sets CurrentFor and the computed SupersededBy of every file of one period.
func resolve(files []ArchivedFile, reg *units.Registry) {
	keys := unitKeys(files, reg)
	best := map[string]int{}
	for i := range files {
		f := &files[i]
		for _, ds := range datasetsOf(f) {
			k := supersedeKey(keys[i], ds)
			if j, ok := best[k]; !ok || newer(f, &files[j]) {
				best[k] = i
			}
		}
	}
	for i := range files {
		f := &files[i]
		f.CurrentFor = nil
		by := ""
		for _, ds := range datasetsOf(f) {
			j := best[supersedeKey(keys[i], ds)]
			if j == i {
				f.CurrentFor = append(f.CurrentFor, ds)
			} else if by == "" {
				by = files[j].Rel
			}
		}
		if len(f.CurrentFor) > 0 {
			by = ""
		}
		f.SupersededBy = by
	}
	sort.SliceStable(files, func(i, j int) bool {
		ui, uj := textfold.UnitKey(files[i].Unit), textfold.UnitKey(files[j].Unit)
		if ui != uj {
			return ui < uj
		}
		return files[i].Rel < files[j].Rel
	})
}

func datasetsOf(f *ArchivedFile) []string {
	if len(f.Datasets) > 0 {
		return f.Datasets
	}
	return []string{f.Dataset}
}

// markPeriod recomputes which files of a period are superseded, under reg, and
// rewrites, each atomically, the sidecars whose superseded_by says otherwise. It
// returns the period's files as resolved, and those whose mark changed.
func markPeriod(archiveDir, period string, reg *units.Registry) (files, changed []ArchivedFile, err error) {
	files, err = readPeriod(archiveDir, period)
	if err != nil {
		return nil, nil, err
	}
	stored := map[string]string{}
	for _, f := range files {
		stored[f.SidecarPath] = f.SupersededBy
	}
	resolve(files, reg)
	for _, f := range files {
		if stored[f.SidecarPath] == f.SupersededBy {
			continue
		}
		if err := writeSidecar(f.SidecarPath, &f.Sidecar); err != nil {
			return files, changed, err
		}
		changed = append(changed, f)
	}
	return files, changed, nil
}

func writeSidecar(path string, s *Sidecar) error {
	data, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return err
	}
	return outfile.WriteBytes(path, append(data, '\n'), 0o644)
}
