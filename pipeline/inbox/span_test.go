package inbox

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// archived writes the record of an archived file as Take writes it (the workbook
// itself is not needed to say which files a span reads): unit's file name in
// ARCHIVE/period/unit/, received on day of period, holding datasets, with rows
// records and, for each register, its first and last date (a "first..last" pair).
func archived(t *testing.T, archive, period, unit, name string, day, rows int, datasets []string, dates map[string]string) string {
	t.Helper()
	at, err := time.ParseInLocation("2006-01-02", period+"-01", time.Local)
	if err != nil {
		t.Fatal(err)
	}
	at = at.AddDate(0, 0, day-1).Add(9 * time.Hour)
	rel := period + "/" + unit + "/" + name
	s := Sidecar{SchemaVersion: 1, SHA256: strings.Repeat("0", 63) + string(rune('a'+len(rel)%6)), File: name, OriginalName: name,
		InboxPath: name, Unit: unit, Period: period, ReceivedAt: at, Dataset: datasets[0], Datasets: datasets, Rows: rows}
	for ds, r := range dates {
		first, last, _ := strings.Cut(r, "..")
		if s.Dates == nil {
			s.Dates = map[string]DateRange{}
		}
		s.Dates[ds] = DateRange{First: first, Last: last}
	}
	p := filepath.Join(archive, filepath.FromSlash(rel))
	if err := writeSidecar(p+SidecarExt, &s); err != nil {
		t.Fatal(err)
	}
	return rel
}

// TestSpan: what a report over a span reads from the archive of its months, unit by
// unit. A register sent again each month is read once, from its newest copy; last
// year's register beside this year's is read too; a register canbo cannot place is
// not read, and said; files of months outside the span are not looked at.
func TestSpan(t *testing.T) {
	archive := t.TempDir()
	tr, mv, ro := []string{"training"}, []string{"movements"}, []string{"roster"}
	// A: one register grown each month, and its roster.
	archived(t, archive, "2023-07", "A", "so.xlsx", 20, 600, tr, map[string]string{"training": "2014-03-08..2023-06-30"})
	archived(t, archive, "2023-08", "A", "so.xlsx", 20, 900, tr, map[string]string{"training": "2014-03-08..2023-07-30"})
	aNew := archived(t, archive, "2023-09", "A", "so.xlsx", 20, 1218, tr, map[string]string{"training": "2014-03-08..2023-09-13"})
	archived(t, archive, "2023-07", "A", "ds.xlsx", 20, 640, ro, nil)
	aRoster := archived(t, archive, "2023-09", "A", "ds.xlsx", 20, 644, ro, nil)
	// B: a register a year: 2022's, sent until December, and 2023's since.
	b22Nov := archived(t, archive, "2022-11", "B", "so-2022.xlsx", 20, 80, tr, map[string]string{"training": "2022-01-10..2022-11-02"})
	b22 := archived(t, archive, "2022-12", "B", "so-2022.xlsx", 20, 90, tr, map[string]string{"training": "2022-01-10..2022-12-15"})
	archived(t, archive, "2023-08", "B", "so-2023.xlsx", 20, 40, tr, map[string]string{"training": "2023-01-09..2023-08-01"})
	b23 := archived(t, archive, "2023-09", "B", "so-2023.xlsx", 20, 45, tr, map[string]string{"training": "2023-01-09..2023-09-01"})
	// C: the newest register starts in 2021, an older one in 2015 and overlaps it:
	// a book restarted with old rows, or old rows trimmed; the older one of that
	// book says no more.
	cOld := archived(t, archive, "2023-07", "C", "so.xlsx", 20, 300, tr, map[string]string{"training": "2015-02-01..2023-06-01"})
	archived(t, archive, "2023-06", "C", "so.xlsx", 20, 290, tr, map[string]string{"training": "2015-02-01..2023-05-01"})
	cNew := archived(t, archive, "2023-09", "C", "so.xlsx", 20, 200, tr, map[string]string{"training": "2021-01-04..2023-09-01"})
	// D: last year's movements in the same workbook as an older roster: reading it
	// would count that roster twice.
	dOld := archived(t, archive, "2023-01", "D", "tong-hop.xlsx", 20, 30, []string{"movements", "roster"}, map[string]string{"movements": "2022-03-01..2022-12-01"})
	archived(t, archive, "2023-09", "D", "dieu-dong.xlsx", 20, 3, mv, map[string]string{"movements": "2023-02-01..2023-08-01"})
	archived(t, archive, "2023-09", "D", "ds.xlsx", 20, 50, ro, nil)
	// G: the same, with the unit's only roster: read for it, its movements with it.
	g22 := archived(t, archive, "2023-01", "G", "tong-hop.xlsx", 20, 30, []string{"movements", "roster"}, map[string]string{"movements": "2022-03-01..2022-12-01"})
	archived(t, archive, "2023-09", "G", "dieu-dong.xlsx", 20, 3, mv, map[string]string{"movements": "2023-02-01..2023-08-01"})
	// H: the only roster is in a workbook with an older copy of the register: read for
	// the roster alone, the copy giving way to the newer register.
	hOld := archived(t, archive, "2023-07", "H", "tong-hop.xlsx", 20, 80, []string{"roster", "training"}, map[string]string{"training": "2016-01-01..2023-06-01"})
	archived(t, archive, "2023-09", "H", "so.xlsx", 20, 40, tr, map[string]string{"training": "2016-01-01..2023-09-01"})
	// I: the same, but the newer register starts later and overlaps the copy: read
	// for the roster alone, and the register said unsure, as a register file alone.
	iOld := archived(t, archive, "2023-07", "I", "tong-hop.xlsx", 20, 80, []string{"roster", "training"}, map[string]string{"training": "2014-01-01..2023-06-01"})
	archived(t, archive, "2023-09", "I", "so.xlsx", 20, 40, tr, map[string]string{"training": "2020-01-01..2023-09-01"})
	// E: files archived before the dates were kept: the newest has fewer rows.
	eOld := archived(t, archive, "2023-07", "E", "so.xlsx", 20, 500, tr, nil)
	archived(t, archive, "2023-09", "E", "so.xlsx", 20, 300, tr, nil)
	// F: a register that starts before the span: older copies are copies.
	archived(t, archive, "2023-07", "F", "so.xlsx", 20, 10, tr, map[string]string{"training": "2016-01-01..2023-06-01"})
	archived(t, archive, "2023-09", "F", "so.xlsx", 20, 12, tr, map[string]string{"training": "2010-01-01..2023-09-01"})
	// Outside the span: never read.
	archived(t, archive, "2023-10", "A", "so.xlsx", 20, 1300, tr, map[string]string{"training": "2014-03-08..2023-10-13"})
	archived(t, archive, "2014-12", "B", "so-2014.xlsx", 20, 9, tr, map[string]string{"training": "2014-01-10..2014-12-15"})

	current, superseded, notes, err := Span(archive, "2015-01", "2023-09", nil)
	if err != nil {
		t.Fatal(err)
	}
	var cur []string
	for _, f := range current {
		cur = append(cur, f.Rel)
	}
	slices.Sort(cur)
	want := []string{aNew, aRoster, b22, b23, cNew, "2023-09/D/dieu-dong.xlsx", "2023-09/D/ds.xlsx", "2023-09/E/so.xlsx",
		"2023-09/F/so.xlsx", g22, "2023-09/G/dieu-dong.xlsx", hOld, "2023-09/H/so.xlsx", iOld, "2023-09/I/so.xlsx"}
	slices.Sort(want)
	if !slices.Equal(cur, want) {
		t.Errorf("read\n%q\nwant\n%q", cur, want)
	}
	if len(current)+len(superseded) != 25 {
		t.Errorf("%d files read or replaced, want the 25 of the span's months", len(current)+len(superseded))
	}
	for _, f := range superseded {
		if f.Rel == b22Nov && f.SupersededBy != b22 {
			t.Errorf("2022's November copy replaced by %q, want December's copy of the same book", f.SupersededBy)
		}
		if f.NewerPath == "" {
			t.Errorf("%s: replaced by nothing", f.Rel)
		}
	}
	got := map[string]SpanNote{}
	for _, n := range notes {
		got[n.File.Rel] = n
	}
	if len(notes) != 4 {
		t.Errorf("%d notes, want 4: %+v", len(notes), notes)
	}
	if n, ok := got[iOld]; !ok || n.Kind != NoteOverlap || n.Dataset != "training" {
		t.Errorf("I's overlapping register beside its roster: %+v", n)
	}
	if n, ok := got[cOld]; !ok || n.Kind != NoteOverlap || n.Newer.Rel != cNew || n.Starts != "2021-01-04" {
		t.Errorf("C's overlapping register: %+v", n)
	}
	if n, ok := got[dOld]; !ok || n.Kind != NoteMixed || n.Dataset != "movements" {
		t.Errorf("D's register beside a roster: %+v", n)
	}
	if n, ok := got[eOld]; !ok || n.Kind != NoteRows {
		t.Errorf("E's longer older register: %+v", n)
	}
	if n, ok := got[hOld]; ok {
		t.Errorf("H's copy beside its roster said unsure: %+v", n)
	}
	for _, f := range current {
		switch {
		case f.Rel == hOld:
			if !slices.Equal(f.CurrentFor, []string{"roster"}) || len(f.NewerFor) != 1 || f.NewerFor["training"] != "so.xlsx" {
				t.Errorf("H's workbook read for %q, its register giving way to %q; want the roster alone, the register to so.xlsx",
					f.CurrentFor, f.NewerFor)
			}
		case f.Rel == iOld:
			if !slices.Equal(f.CurrentFor, []string{"roster"}) || f.NewerFor != nil {
				t.Errorf("I's workbook read for %q, its register giving way to %q; want the roster alone, the register said unsure",
					f.CurrentFor, f.NewerFor)
			}
		case f.Rel == g22:
			if !slices.Equal(f.CurrentFor, []string{"roster", "movements"}) || f.NewerFor != nil {
				t.Errorf("G's workbook read for %q (not for %q); want its roster and last year's movements", f.CurrentFor, f.NewerFor)
			}
		case f.NewerFor != nil:
			t.Errorf("%s: read without %q", f.Rel, f.NewerFor)
		}
	}

	if _, _, _, err := Span(archive, "2023-09", "2023-01", nil); err == nil {
		t.Error("a span ending before it starts was read")
	}
}
