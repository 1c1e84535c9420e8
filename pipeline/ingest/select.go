package ingest

import (
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"

	"canbo/pipeline/issue"
	"canbo/pipeline/normalize"
	"canbo/pipeline/textfold"
)

// selectTables decides, once every sheet of a workbook is read, which tables' people
// count. A person counts once however many sheets list them, so a table is set aside,
// and reported, when:
//
//   - its sheet is an example or instructions sheet (layout.yaml example_sheets) and
//     another sheet holds a list;
//   - most of its names are formulas reading another workbook: the values kept in the
//     file are another file's, perhaps stale;
//   - most of its names are formulas reading another sheet of this workbook that holds
//     a counted list: a copy made for printing (attendance, results, certificates);
//   - most of its people (80%) are people of a table already counted: a copy typed
//     again, or a second overlapping list of the same staff.
//
// Tables are weighed richest first (most columns understood, then most people), so the
// full list is kept and its thinner copies set aside. Then a sheet without a unit of its
// own takes the one the workbook's other sheets name.
//
// The records are in the file's segment by now: what this changes in them (the
// tables set aside, a unit) is noted in f.edits, and settle applies it.
func (r *Reader) selectTables(f *File) error {
	sheetHasList := map[string]bool{}
	for i := range f.Sheets {
		if f.Sheets[i].Rows > 0 {
			sheetHasList[f.Sheets[i].Name] = true
		}
	}
	example := func(name string) bool {
		lw := textfold.Lower(name)
		for _, e := range r.norm.Config().Layout.ExampleSheets {
			if textfold.HasPrefixWords(lw, textfold.Lower(e)) {
				return true
			}
		}
		return false
	}
	otherList := func(name string) bool {
		for s := range sheetHasList {
			if s != name && !example(s) {
				return true
			}
		}
		return false
	}
	for i := range f.Sheets {
		sh := &f.Sheets[i]
		n := sh.names
		switch {
		case example(sh.Name) && otherList(sh.Name):
			sh.NotCounted = "example"
		case n.cells > 0 && n.external*2 >= n.cells:
			sh.NotCounted = "external"
		default:
			for other, k := range n.sheets {
				if k*2 >= n.cells && sheetHasList[other] {
					sh.NotCounted, sh.Other = "copy", other
				}
			}
		}
	}
	// A copy of a copy is a copy of the list itself.
	byName := map[string]*Sheet{}
	for i := range f.Sheets {
		if _, ok := byName[f.Sheets[i].Name]; !ok {
			byName[f.Sheets[i].Name] = &f.Sheets[i]
		}
	}
	for i := range f.Sheets {
		sh := &f.Sheets[i]
		for hops := 0; sh.NotCounted == "copy" && hops < len(f.Sheets); hops++ {
			o := byName[sh.Other]
			if o == nil || o.NotCounted != "copy" || o.Other == sh.Name {
				break
			}
			sh.Other = o.Other
		}
	}
	if err := r.setAsideRepeats(f); err != nil {
		return err
	}
	r.dropNotCounted(f)
	r.workbookUnit(f)
	for i := range f.Sheets {
		sh := &f.Sheets[i]
		if !sh.Counted() {
			continue
		}
		if sh.Hidden {
			f.Issues = append(f.Issues, issue.New(issue.HiddenSheet, f.Name, sh.Name, 0, 0))
		}
		if sh.UnitSource == "file" && !looksLikeUnit(r, sh.Unit) && sh.Rows > 0 {
			f.Issues = append(f.Issues, issue.New(issue.UnitUnknown, f.Name, sh.Name, 0, 0).With("unit", sh.Unit))
		}
	}
	return nil
}

// personKeys returns the rows of the given tables as keys, each table's in one map:
// the folded name and birth date, and for an attendance also its course and dates
// (the same person on two course lists is two attendances, not a repeat). It also
// says, for each, whether most rows have a birth date. The records are decoded from
// the file's segment in one pass, as reading left them (placeholders blanked).
func personKeys(f *File, tables []int, name, birth int, extra func(*Sheet) []int) ([]map[string]bool, []bool, error) {
	keys := make([]map[string]bool, len(tables))
	dated := make([]int, len(tables))
	byRec := make([]int, 0, len(tables)) // tables by their first record
	for k := range tables {
		keys[k] = map[string]bool{}
		byRec = append(byRec, k)
	}
	slices.SortFunc(byRec, func(a, b int) int { return f.Sheets[tables[a]].recFrom - f.Sheets[tables[b]].recFrom })
	err := f.decode(func(i int, rec *normalize.Record) {
		for len(byRec) > 0 && i >= f.Sheets[tables[byRec[0]]].recTo {
			byRec = byRec[1:]
		}
		if len(byRec) == 0 || i < f.Sheets[tables[byRec[0]]].recFrom {
			return
		}
		k := byRec[0]
		if !rec.Counted() || name >= len(rec.Values) || !rec.Values[name].Set {
			return
		}
		key := textfold.Key(rec.Values[name].Text)
		if birth >= 0 && rec.Values[birth].Set {
			key += "|" + rec.Values[birth].Text
			dated[k]++
		}
		for _, e := range extra(&f.Sheets[tables[k]]) {
			key += "#" + textfold.Key(rec.Values[e].Text)
		}
		keys[k][key] = true
	})
	most := make([]bool, len(tables))
	for k := range tables {
		most[k] = dated[k]*2 >= len(keys[k])
	}
	return keys, most, err
}

// setAsideRepeats marks the tables whose people were already counted in a richer table.
func (r *Reader) setAsideRepeats(f *File) error {
	cfg := r.norm.Config()
	nameF, birthF := cfg.Field("ho_ten"), cfg.Field("ngay_sinh")
	if nameF == nil {
		return nil
	}
	birth := -1
	if birthF != nil {
		birth = birthF.Index
	}
	var order []int
	for i := range f.Sheets {
		if f.Sheets[i].Counted() && f.Sheets[i].Rows > 0 {
			order = append(order, i)
		}
	}
	if len(order) < 2 {
		return nil
	}
	sort.SliceStable(order, func(a, b int) bool {
		sa, sb := &f.Sheets[order[a]], &f.Sheets[order[b]]
		if len(sa.Columns) != len(sb.Columns) {
			return len(sa.Columns) > len(sb.Columns)
		}
		return sa.Rows > sb.Rows
	})
	type kept struct {
		name    string
		dataset string
		dated   map[string]bool // name|birth
		names   map[string]bool // name only
	}
	var extra []int // what tells one attendance from another
	for _, code := range []string{"khoa_hoc", "tu_ngay", "den_ngay"} {
		if fl := cfg.Field(code); fl != nil {
			extra = append(extra, fl.Index)
		}
	}
	allKeys, allDated, err := personKeys(f, order, nameF.Index, birth, func(sh *Sheet) []int {
		if sh.Dataset != "roster" {
			return extra
		}
		return nil
	})
	if err != nil {
		return err
	}
	var counted []kept
	for o, i := range order {
		sh := &f.Sheets[i]
		keys, dated := allKeys[o], allDated[o]
		names := map[string]bool{}
		for k := range keys {
			base, course, _ := strings.Cut(k, "#")
			names[strings.SplitN(base, "|", 2)[0]+"#"+course] = true
		}
		best, bestN := "", 0
		for _, c := range counted {
			if c.dataset != sh.Dataset {
				continue // a training register names the roster's people: that is no repeat
			}
			n := 0
			if dated && len(c.dated) > 0 {
				for k := range keys {
					if c.dated[k] {
						n++
					}
				}
			} else {
				for k := range names {
					if c.names[k] {
						n++
					}
				}
			}
			if n > bestN {
				best, bestN = c.name, n
			}
		}
		if len(keys) >= 3 && bestN*10 >= len(keys)*8 {
			sh.NotCounted, sh.Other = "repeat", best
			continue
		}
		counted = append(counted, kept{name: sh.Name, dataset: sh.Dataset, dated: keys, names: names})
	}
	return nil
}

// dropNotCounted removes the records and row issues of the tables set aside, and says
// once for each why it was.
func (r *Reader) dropNotCounted(f *File) {
	dropIss := make([]bool, len(f.Issues))
	var notes []issue.Issue
	any := false
	for i := range f.Sheets {
		sh := &f.Sheets[i]
		if sh.Counted() {
			continue
		}
		any = true
		if sh.recTo > sh.recFrom {
			f.edits.drops = append(f.edits.drops, span{sh.recFrom, sh.recTo})
		}
		for j := sh.issFrom; j < sh.issTo && j < len(dropIss); j++ {
			dropIss[j] = true
		}
		sh.Dropped, sh.Rows, sh.Left = sh.Rows+sh.Left, 0, 0
		is := issue.New(issue.SheetNotCounted, f.Name, sh.Name, sh.HeaderRows[0], 0).
			With("kind", sh.NotCounted).With("other", sh.Other).With("count", strconv.Itoa(sh.Dropped))
		notes = append(notes, is)
	}
	if !any {
		return
	}
	iss := f.Issues[:0:0]
	for j, is := range f.Issues {
		if j >= len(dropIss) || !dropIss[j] {
			iss = append(iss, is)
		}
	}
	f.Issues = append(iss, notes...)
}

// workbookUnit gives a table whose unit came only from the file name the unit that the
// workbook's other sheets name in their titles, when they agree on one.
func (r *Reader) workbookUnit(f *File) {
	count := map[string]int{}
	best, bestN := "", 0
	for _, u := range f.titleUnits {
		count[u]++
		if count[u] > bestN {
			best, bestN = u, count[u]
		}
	}
	if best == "" || len(count) > 1 && bestN*2 <= len(f.titleUnits) {
		return
	}
	for i := range f.Sheets {
		sh := &f.Sheets[i]
		if sh.TitleUnit != "" || !sh.Counted() {
			continue
		}
		if sh.UnitSource == "column" {
			sh.TitleUnit = best // each row names its own unit; the workbook's is the file's
			continue
		}
		old := sh.Unit
		sh.Unit, sh.UnitSource, sh.TitleUnit = best, "workbook", best
		f.edits.units = append(f.edits.units, unitEdit{sheet: sh.Name, from: old, to: best})
	}
}

// edits are what choosing a file's tables changes in its records, which are in the
// file's segment by then: placeholders blanked, tables set aside, units given.
type edits struct {
	blanks []blank    // in record order
	drops  []span     // records of tables set aside, in order
	units  []unitEdit // applied one after the other, to the records kept
}

// blank is one placeholder date to blank: a record's value of a field.
type blank struct {
	rec   int32
	field int
}

// span is a range of records, From included, To not.
type span struct{ from, to int }

// unitEdit gives the records of a sheet with unit from the unit to.
type unitEdit struct{ sheet, from, to string }

// editor applies a file's edits to its records, decoded in order.
type editor struct {
	e              *edits
	blank, dropped int // the next blank and drop not yet passed
}

// apply edits the i-th record and reports whether it is kept.
func (ed *editor) apply(i int, rec *normalize.Record) bool {
	e := ed.e
	for ed.dropped < len(e.drops) && i >= e.drops[ed.dropped].to {
		ed.dropped++
	}
	for ; ed.blank < len(e.blanks) && int(e.blanks[ed.blank].rec) <= i; ed.blank++ {
		if b := e.blanks[ed.blank]; int(b.rec) == i {
			rec.Values[b.field] = normalize.Value{}
		}
	}
	if ed.dropped < len(e.drops) && i >= e.drops[ed.dropped].from {
		return false
	}
	for _, u := range e.units {
		if rec.Sheet == u.sheet && rec.Unit == u.from {
			rec.Unit = u.to
		}
	}
	return true
}

// decode calls fn with each record of the file's segment being read, edited as
// f.edits says so far, with its index in the segment; records set aside are passed
// over. The record is reused for the next.
func (f *File) decode(fn func(i int, rec *normalize.Record)) error {
	d, err := f.enc.reader()
	if err != nil {
		return fmt.Errorf("%s: %w", f.Name, err)
	}
	ed := editor{e: &f.edits}
	return each(d, f.Name, func(i int, rec *normalize.Record) error {
		if ed.apply(i, rec) {
			fn(i, rec)
		}
		return nil
	})
}

// settle applies the file's edits to its segment, once its tables are chosen: the
// segment is then the file's records as the batch sees them (and the cache keeps).
// A file without edits, the usual one, is left as it was read.
func (f *File) settle() error {
	e := &f.edits
	if len(e.blanks) == 0 && len(e.drops) == 0 && len(e.units) == 0 {
		return nil
	}
	w := newWriter(f.enc.sp, f.enc.keep)
	if err := f.decode(func(_ int, rec *normalize.Record) { w.Add(rec) }); err != nil {
		return err
	}
	if err := w.Err(); err != nil {
		return err
	}
	f.enc, f.edits = w, edits{}
	return nil
}
