package ingest

import (
	"context"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"canbo/pipeline/issue"
	"canbo/pipeline/layout"
	"canbo/pipeline/normalize"
	"canbo/pipeline/textfold"
	"canbo/pipeline/workbook"
)

// readSheet reads one sheet: it buffers the first rows to find the header, then streams
// the rest. It reports whether the sheet held a table; err is set only when the file
// itself turned out to be unreadable.
func (r *Reader) readSheet(ctx context.Context, f *File, book *workbook.Book, info workbook.SheetInfo) (bool, error) {
	rows, err := book.Rows(ctx, info.Index)
	if err != nil {
		return false, err
	}
	defer rows.Close()
	cfg := r.norm.Config()
	var head []workbook.Row
	for len(head) < cfg.Layout.HeaderSearchRows && rows.Next() {
		head = append(head, rows.Row())
	}
	if err := rows.Err(); err != nil {
		return false, err
	}
	// TCVN3/VNI text is converted before anything reads it, the header included.
	legacy := newLegacyText(head)
	t := r.det.Detect(head)
	if t == nil {
		return false, nil
	}
	sh := Sheet{Name: info.Name, Hidden: info.Hidden, Dataset: t.Dataset.Code, HeaderRows: t.HeaderRows,
		NumberingRow: t.NumberingRow, Columns: t.Columns, Unmapped: t.Unmapped, AsOf: t.AsOf,
		Skipped: map[layout.Kind]int{}}
	sheetIssue := func(code issue.Code, row, col int) issue.Issue {
		return issue.New(code, f.Name, info.Name, row, col)
	}
	headerRow := t.HeaderRows[0]
	if info.Hidden {
		f.Issues = append(f.Issues, sheetIssue(issue.HiddenSheet, 0, 0))
	}
	for _, m := range t.Missing {
		is := sheetIssue(issue.MissingColumn, headerRow, 0)
		is.Field, is.Label = m.Code, m.Label
		f.Issues = append(f.Issues, is)
	}
	for _, d := range t.Duplicates {
		is := sheetIssue(issue.DupColumn, headerRow, d.Col).With("header", d.Header)
		if d.Field != nil {
			is.Field, is.Label = d.Field.Code, d.Field.Label
		} else if d.Mark != nil {
			is.Field, is.Label = d.Mark.Field.Code, d.Mark.Field.Label
		}
		f.Issues = append(f.Issues, is)
	}

	// Where the unit comes from: a column, else the title block, else the file name.
	// The sheet's unit is also the fallback for rows whose unit cell is blank.
	if t.Unit != "" {
		sh.Unit, sh.UnitSource = t.Unit, "title"
	} else {
		sh.Unit, sh.UnitSource = r.unitFromFile(f)
	}
	if t.UnitColumn() != 0 {
		sh.UnitSource = "column"
	}

	asOf := r.opt.AsOf
	if asOf.IsZero() {
		asOf = t.AsOf
	}
	if asOf.IsZero() {
		now := r.opt.Now()
		asOf = time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	}
	nsheet := &normalize.Sheet{File: f.Name, Sheet: info.Name, Dataset: t.Dataset, Columns: t.Columns,
		Date1904: book.Date1904(), AsOf: asOf, Unit: sh.Unit}

	st := sheetState{t: t, sh: &sh, ns: nsheet, groupUnit: "", since: 0}
	handle := func(row workbook.Row) bool {
		if row.Num <= t.LastHeader {
			return true
		}
		return st.row(r, f, row)
	}
	for _, row := range head {
		if !handle(row) {
			goto done
		}
	}
	for n := 0; rows.Next(); n++ {
		row := rows.Row()
		legacy.apply(&row)
		if !handle(row) {
			break
		}
		if n%512 == 0 && ctx.Err() != nil {
			return false, ctx.Err()
		}
	}
	if err := rows.Err(); err != nil {
		return false, err
	}
done:
	for _, note := range rows.Notes() {
		f.Issues = append(f.Issues, sheetIssue(issue.SheetTooLarge, 0, 0).With("detail", note))
	}
	sh.Converted = legacy.conversions()
	f.Issues = append(f.Issues, legacy.issues(f.Name, info.Name)...)
	if sh.UnitSource == "file" && !looksLikeUnit(r, sh.Unit) && sh.Rows > 0 {
		f.Issues = append(f.Issues, sheetIssue(issue.UnitUnknown, 0, 0).With("unit", sh.Unit))
	}
	f.Sheets = append(f.Sheets, sh)
	return true, nil
}

// sheetState follows one table down its rows.
type sheetState struct {
	t         *layout.Table
	sh        *Sheet
	ns        *normalize.Sheet
	groupUnit string // unit named by the last group row, for district-level lists
	since     int    // records since the last total or unit group, to check totals
}

// row handles one row below the header and reports whether to keep reading.
func (s *sheetState) row(r *Reader, f *File, row workbook.Row) bool {
	kind := s.t.Classify(row)
	switch kind {
	case layout.Data:
		s.ns.Unit = s.unitFor(row)
		rec, iss := r.norm.Record(s.ns, row)
		f.Records = append(f.Records, rec)
		f.Issues = append(f.Issues, iss...)
		s.sh.Rows++
		s.since++
		return true
	case layout.Footer:
		s.sh.Skipped[kind]++
		return false
	case layout.Group:
		if u, ok := s.t.GroupUnit(row); ok {
			s.groupUnit = u
			s.since = 0
			if s.sh.UnitSource != "column" {
				s.sh.UnitSource = "group"
			}
		}
	case layout.Total:
		if n, ok := layout.TotalCount(row); ok && n != s.since && n != s.sh.Rows {
			is := issue.New(issue.TotalMismatch, f.Name, s.sh.Name, row.Num, 0).
				With("stated", strconv.Itoa(n)).With("counted", strconv.Itoa(s.since))
			f.Issues = append(f.Issues, is)
		}
		s.since = 0
	}
	s.sh.Skipped[kind]++
	return true
}

// unitFor picks a row's unit: its own unit cell, else the group heading above it, else
// the sheet's unit.
func (s *sheetState) unitFor(row workbook.Row) string {
	if col := s.t.UnitColumn(); col != 0 {
		c := row.Cell(col)
		if c.Kind == workbook.Text {
			if u := textfold.Clean(c.Text); u != "" {
				return u
			}
		}
	}
	if s.groupUnit != "" {
		return s.groupUnit
	}
	return s.sh.Unit
}

// unitFromFile names the unit after the file: "UBND xã Bằng Phúc.xlsx" → "UBND xã Bằng Phúc".
func (r *Reader) unitFromFile(f *File) (string, string) {
	name := strings.TrimSuffix(f.Name, filepath.Ext(f.Name))
	return textfold.Clean(name), "file"
}

// looksLikeUnit reports whether a name starts like a unit name ("UBND …", "Xã …").
func looksLikeUnit(r *Reader, name string) bool {
	key := textfold.Key(name)
	for _, p := range append(r.norm.Config().Layout.UnitPrefixes, "xa", "phuong", "thi tran") {
		if textfold.HasPrefixWords(key, textfold.Key(p)) {
			return true
		}
	}
	return false
}
