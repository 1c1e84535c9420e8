package ingest

import (
	"sort"
	"strconv"
	"strings"

	"canbo/pipeline/issue"
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
func (r *Reader) selectTables(f *File) {
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
	r.setAsideRepeats(f)
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
}

// personKeys returns the rows of a table as keys: the folded name and birth date, and
// for an attendance also its course and dates (the same person on two course lists is
// two attendances, not a repeat). It also says whether most rows have a birth date.
func personKeys(f *File, sh *Sheet, name, birth int, extra []int) (map[string]bool, bool) {
	keys := map[string]bool{}
	dated := 0
	for _, rec := range f.Records[sh.recFrom:sh.recTo] {
		if !rec.Counted() || name >= len(rec.Values) || !rec.Values[name].Set {
			continue
		}
		k := textfold.Key(rec.Values[name].Text)
		if birth >= 0 && rec.Values[birth].Set {
			k += "|" + rec.Values[birth].Text
			dated++
		}
		for _, e := range extra {
			k += "#" + textfold.Key(rec.Values[e].Text)
		}
		keys[k] = true
	}
	return keys, dated*2 >= len(keys)
}

// setAsideRepeats marks the tables whose people were already counted in a richer table.
func (r *Reader) setAsideRepeats(f *File) {
	cfg := r.norm.Config()
	nameF, birthF := cfg.Field("ho_ten"), cfg.Field("ngay_sinh")
	if nameF == nil {
		return
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
		return
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
	var counted []kept
	for _, i := range order {
		sh := &f.Sheets[i]
		var ex []int
		if sh.Dataset != "roster" {
			ex = extra
		}
		keys, dated := personKeys(f, sh, nameF.Index, birth, ex)
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
}

// dropNotCounted removes the records and row issues of the tables set aside, and says
// once for each why it was.
func (r *Reader) dropNotCounted(f *File) {
	dropRec := make([]bool, len(f.Records))
	dropIss := make([]bool, len(f.Issues))
	var notes []issue.Issue
	any := false
	for i := range f.Sheets {
		sh := &f.Sheets[i]
		if sh.Counted() {
			continue
		}
		any = true
		for j := sh.recFrom; j < sh.recTo; j++ {
			dropRec[j] = true
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
	recs := f.Records[:0:0]
	for j, rec := range f.Records {
		if !dropRec[j] {
			recs = append(recs, rec)
		}
	}
	iss := f.Issues[:0:0]
	for j, is := range f.Issues {
		if j >= len(dropIss) || !dropIss[j] {
			iss = append(iss, is)
		}
	}
	f.Records, f.Issues = recs, append(iss, notes...)
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
		for j := range f.Records {
			if rec := &f.Records[j]; rec.Sheet == sh.Name && rec.Unit == old {
				rec.Unit = best
			}
		}
	}
}
