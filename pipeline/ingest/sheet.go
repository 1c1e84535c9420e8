package ingest

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"canbo/pipeline/issue"
	"canbo/pipeline/layout"
	"canbo/pipeline/normalize"
	"canbo/pipeline/reporttext"
	"canbo/pipeline/schema"
	"canbo/pipeline/textfold"
	"canbo/pipeline/workbook"
)

// readSheet reads every table of one sheet: it buffers the first rows to find the first
// header, then streams the rest; a header met further down ends that table and starts
// the next. It reports whether the sheet held a table; err is set only when the file
// itself turned out to be unreadable.
func (r *Reader) readSheet(ctx context.Context, f *File, book *workbook.Book, info workbook.SheetInfo) (bool, error) {
	pin := f.pin
	if pin != nil && pin.Sheet != "" && textfold.Key(pin.Sheet) != textfold.Key(info.Name) {
		return false, nil // the pin names another sheet of the file
	}
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
	var t *layout.Table
	if pin != nil && (len(pin.HeaderRows) > 0 || len(pin.Columns) > 0 || pin.Dataset != "") {
		t = r.det.Pinned(head, pin)
	} else {
		t = r.det.Detect(head)
	}
	if t == nil {
		// A sheet without a list may still name the unit (a course sheet, a cover).
		if u := r.det.TitleBlock(head).Unit; u != "" {
			f.titleUnits = append(f.titleUnits, u)
		}
		f.NoList = append(f.NoList, info.Name)
		return false, nil
	}
	sr := &sheetReader{r: r, f: f, info: info, date1904: book.Date1904()}
	sr.start(t, leaverTitle(r.det, head, t))

	queue := head
	// Below the head rows (which are kept), each row is consumed before the next is
	// read: the reader may lend its cells. A row kept longer is cloned (buf below).
	rows.Reuse()
	next := func() (workbook.Row, bool) {
		if len(queue) > 0 {
			row := queue[0]
			queue = queue[1:]
			return row, true
		}
		if !rows.Next() {
			return workbook.Row{}, false
		}
		row := rows.Row()
		legacy.apply(&row)
		return row, true
	}
	for n := 0; ; n++ {
		row, ok := next()
		if !ok {
			break
		}
		if n%512 == 0 && ctx.Err() != nil {
			return false, ctx.Err()
		}
		if row.Num <= sr.t.LastHeader {
			continue
		}
		if pin != nil && pin.Skip(row.Num) {
			sr.sh.Skipped[layout.Stray]++
			continue
		}
		kind := sr.t.Classify(row)
		if pin != nil && pin.Left(row.Num) && kind == layout.Stray {
			kind = layout.Data
		}
		if kind == layout.Header || (sr.skipping && kind != layout.Footer) {
			if kind != layout.Header {
				sr.sh.Skipped[layout.Stray]++
				continue
			}
			// Another table begins: read enough rows to find its header.
			buf := []workbook.Row{row.Clone()}
			for len(buf) < cfg.Layout.MaxHeaderRows+30 {
				more, ok := next()
				if !ok {
					break
				}
				buf = append(buf, more.Clone())
			}
			// A further table must be a list in its own right: names alone (a salary
			// table "Họ và tên | Bậc | Hệ số lương") do not make one.
			t2 := r.det.Detect(buf)
			if t2 != nil && t2.HeaderRows[0] >= row.Num && !slices.Contains(t2.Doubts, "names-only") {
				heading := sr.heading
				sr.finish()
				sr.start(t2, heading)
				queue = append(buf, queue...)
				continue
			}
			if !sr.skipping {
				is := issue.New(issue.TableNotList, f.Name, info.Name, row.Num, 0).With("header", rowText(row))
				f.Issues = append(f.Issues, is)
			}
			sr.skipping = true
			sr.sh.Skipped[layout.Stray]++
			queue = append(buf[1:], queue...)
			continue
		}
		if !sr.row(kind, row) {
			break
		}
		if limit := r.maxRecordMemory(); f.enc.Size()+f.issueBytes > limit {
			return false, tooLarge(f.enc.Len(), limit)
		}
	}
	if err := rows.Err(); err != nil {
		return false, err
	}
	sr.finish()
	for _, note := range rows.Notes() {
		f.Issues = append(f.Issues, issue.New(issue.SheetTooLarge, f.Name, info.Name, 0, 0).With("detail", note))
	}
	conv := legacy.conversions()
	if len(conv) > 0 {
		for i := sr.first; i < len(f.Sheets); i++ {
			f.Sheets[i].Converted = conv
		}
	}
	f.Issues = append(f.Issues, legacy.issues(f.Name, info.Name)...)
	return true, nil
}

// leaverTitle returns the heading right above a table's header when it opens a list of
// people who left ("Giảm biên chế"): only a row of one text, directly above (blank rows
// aside), counts, never the document's main title further up.
func leaverTitle(d *layout.Detector, rows []workbook.Row, t *layout.Table) *heading {
	for i := len(rows) - 1; i >= 0; i-- {
		r := rows[i]
		if r.Num >= t.HeaderRows[0] {
			continue
		}
		if len(r.Cells) == 0 {
			continue
		}
		s := d.SectionOf(r, nil)
		if s.Title == "" {
			return nil
		}
		return &heading{Section: s, row: r.Num}
	}
	return nil
}

// heading is a section heading met in a sheet, with its row.
type heading struct {
	layout.Section
	row int
}

// sheetReader follows the tables of one sheet down its rows.
type sheetReader struct {
	r        *Reader
	f        *File
	info     workbook.SheetInfo
	date1904 bool
	first    int // index in f.Sheets of this sheet's first table

	t         *layout.Table
	sh        *Sheet
	ns        *normalize.Sheet
	groupUnit string   // unit named by the last group row, for district-level lists
	since     int      // records since the last total or unit group, to check totals
	heading   *heading // the last heading since a data row
	leavers   *heading // the section of people who left being read, if any
	leftCount int      // people read in it
	skipping  bool     // inside a table that is not a list: its rows are not read
	years     map[int]int
	hidden    []int // hidden rows read as people
	names     nameRefs
	fills     []dateFill     // the table's date and yes/no columns, for placeholders
	units     map[string]int // records by unit, when a unit column gives each row's
	unitOrder []string       // units in the order first met
	listed    listed         // the table's row issues listed so far
}

// dateFill follows one date or yes/no column of the table being read: how many
// dates it holds, and where each date that may be a placeholder
// (Normalizer.Suspect) was met, so that placeholders can blank them once the table
// is read without keeping its records.
type dateFill struct {
	col   normalize.Column
	cols  []int
	dates int
	at    map[time.Time][]int32 // records (in the file's segment) holding the date
	row   map[time.Time]int     // the first row holding it
}

// nameRefs counts where the name cells of a table come from: typed, or formulas
// reading another sheet or another workbook.
type nameRefs struct {
	cells    int
	external int
	sheets   map[string]int
}

// start begins reading a table.
func (s *sheetReader) start(t *layout.Table, title *heading) {
	r, f := s.r, s.f
	if s.sh == nil {
		s.first = len(f.Sheets)
	}
	s.t, s.skipping, s.heading, s.groupUnit, s.since = t, false, nil, "", 0
	s.years = map[int]int{}
	s.hidden = nil
	s.names = nameRefs{sheets: map[string]int{}}
	s.listed = listed{}
	s.units, s.unitOrder = nil, nil
	s.fills = s.fills[:0]
	for _, c := range t.Columns {
		if fl := c.Field; fl != nil && (fl.Type == schema.TypeDate || fl.Type == schema.TypeBool) {
			s.fills = append(s.fills, dateFill{col: c, cols: c.Cols()})
		}
	}
	s.sh = &Sheet{Name: s.info.Name, Hidden: s.info.Hidden, Dataset: t.Dataset.Code, HeaderRows: t.HeaderRows,
		NumberingRow: t.NumberingRow, Columns: t.Columns, Unmapped: t.Unmapped, Fields: fieldCodes(t.Columns), AsOf: t.AsOf,
		Skipped: map[layout.Kind]int{}, Doubts: t.Doubts, recFrom: f.enc.Len(), issFrom: len(f.Issues)}
	sheetIssue := func(code issue.Code, row, col int) issue.Issue {
		return issue.New(code, f.Name, s.info.Name, row, col)
	}
	headerRow := t.HeaderRows[0]
	for _, d := range t.Duplicates {
		is := sheetIssue(issue.DupColumn, headerRow, d.Col).With("header", d.Header)
		if d.Field != nil {
			is.Field, is.Label = d.Field.Code, d.Field.Label
		} else if d.Mark != nil {
			is.Field, is.Label = d.Mark.Field.Code, d.Mark.Field.Label
		}
		f.Issues = append(f.Issues, is)
	}
	// Where the unit comes from: a column, else the title block, else (decided once
	// the whole workbook is read) the other sheets' titles, else the file name. The
	// sheet's unit is also the fallback for rows whose unit cell is blank.
	// A unit read off the end of a list title is weaker than a file named after its
	// unit ("UBND xã Nam Cường.xlsx" over "DANH SÁCH … XÃ NAM CƯỜNG").
	fileUnit, _ := r.unitFromFile(f)
	if t.Unit != "" && !(t.UnitInTitle && looksLikeUnit(r, fileUnit)) {
		s.sh.Unit, s.sh.UnitSource, s.sh.TitleUnit = t.Unit, "title", t.Unit
		f.titleUnits = append(f.titleUnits, t.Unit)
	} else {
		s.sh.Unit, s.sh.UnitSource = r.unitFromFile(f)
	}
	if t.UnitColumn() != 0 {
		s.sh.UnitSource = "column"
	}
	if p := f.pin; p != nil && p.Unit != "" {
		s.sh.Unit, s.sh.UnitSource, s.sh.TitleUnit = p.Unit, "pin", p.Unit
	}
	asOf := r.opt.AsOf
	if asOf.IsZero() {
		asOf = t.AsOf
	}
	if asOf.IsZero() || !r.opt.AsOf.IsZero() {
		f.readDate = r.readDate().Format(time.DateOnly) // the run's date, not the sheet's
	}
	if asOf.IsZero() {
		asOf = r.opt.Cutoff
	}
	if asOf.IsZero() {
		now := r.opt.Now()
		asOf = time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	}
	s.ns = &normalize.Sheet{File: f.Name, Sheet: s.info.Name, Dataset: t.Dataset, Columns: t.Columns,
		Date1904: s.date1904, AsOf: asOf, Unit: s.sh.Unit}
	if p := f.pin; p != nil {
		s.ns.Values = p.Values
	}
	s.ns.Reuse = true // each record is encoded before the next is read
	s.ns.Course = t.Course
	s.leavers, s.leftCount = nil, 0
	if title != nil && title.Leaver {
		h := *title
		h.Level = 1 // the whole table, until a top-level heading says otherwise
		s.leavers = &h
		s.sh.Section = h.Title
	}
}

// finish closes the table being read and files it.
func (s *sheetReader) finish() {
	if s.sh == nil {
		return
	}
	s.closeLeavers()
	f, sh, t := s.f, s.sh, s.t
	sh.recTo, sh.names = f.enc.Len(), s.names
	s.placeholders()
	// A column the table lacks matters for the people it counts: a table of people
	// who left, or of no one, needs no column added.
	if sh.Rows > 0 {
		for _, m := range t.Missing {
			is := issue.New(issue.MissingColumn, f.Name, s.info.Name, t.HeaderRows[0], 0)
			is.Field, is.Label = m.Code, m.Label
			f.Issues = append(f.Issues, is)
		}
	}
	if sh.UnitSource == "column" {
		sh.ColumnUnits = s.columnUnits()
	}
	if len(s.hidden) > 0 {
		is := issue.New(issue.HiddenRows, f.Name, s.info.Name, s.hidden[0], 0).
			With("count", strconv.Itoa(len(s.hidden))).With("rows", rowRanges(s.hidden))
		f.Issues = append(f.Issues, is)
		sh.HiddenRows = len(s.hidden)
	}
	for _, c := range t.Columns {
		if n := s.years[c.Col]; n > 0 {
			is := issue.New(issue.YearColumn, f.Name, s.info.Name, t.HeaderRows[0], c.Col).
				With("header", c.Header).With("count", strconv.Itoa(n)).With("column", issue.ColumnName(c.Col))
			is.Field, is.Label = c.Field.Code, c.Field.Label
			f.Issues = append(f.Issues, is)
		}
		if len(c.Split) > 0 && sh.Rows+sh.Left > 0 {
			var labels []string
			for _, fl := range c.Split {
				labels = append(labels, fl.Label)
			}
			f.Issues = append(f.Issues, issue.New(issue.CombinedColumn, f.Name, s.info.Name, t.HeaderRows[0], c.Col).
				With("header", c.Header).With("fields", strings.Join(labels, ", ")).With("column", issue.ColumnName(c.Col)))
		}
	}
	f.Issues = append(f.Issues, s.r.norm.SheetIssues(s.ns, t.HeaderRows[0])...)
	if sh.Rows+sh.Left > 0 {
		for _, d := range sh.Doubts {
			f.Issues = append(f.Issues, issue.New(issue.TableUncertain, f.Name, s.info.Name, t.HeaderRows[0], 0).With("kind", d))
		}
	}
	sh.issTo = len(f.Issues)
	f.Sheets = append(f.Sheets, *sh)
	s.sh = nil
}

// placeholders blanks the dates typed to fill a column: a date of layout.yaml's
// placeholder_dates ("01/01/1970") that many cells of one column hold (at least 3, and a
// tenth of the column's dates) is no one's real date. One warning names the column.
// A single person born on 01/01/1970 keeps the date.
func (s *sheetReader) placeholders() {
	f := s.f
	from := len(f.edits.blanks)
	for _, p := range s.fills {
		fl := p.col.Field
		for d, idx := range p.at {
			if len(idx) < 3 || len(idx)*10 < p.dates {
				continue
			}
			for _, i := range idx {
				f.edits.blanks = append(f.edits.blanks, blank{rec: i, field: fl.Index})
			}
			is := issue.New(issue.PlaceholderDate, f.Name, s.info.Name, p.row[d], p.col.Col).
				With("count", strconv.Itoa(len(idx))).With("column", issue.ColumnName(p.col.Col))
			is.Raw, is.Field, is.Label = d.Format("02/01/2006"), fl.Code, fl.Label
			f.Issues = append(f.Issues, is)
		}
	}
	added := f.edits.blanks[from:]
	slices.SortStableFunc(added, func(a, b blank) int { return int(a.rec) - int(b.rec) })
}

// observe notes what the table's post-read passes need of a record about to be
// encoded: its placeholder dates and its unit.
func (s *sheetReader) observe(i int, rec *normalize.Record) {
	for k := range s.fills {
		p := &s.fills[k]
		v := &rec.Values[p.col.Field.Index]
		if !v.Set || v.Date.IsZero() || !slices.Contains(p.cols, v.Col) {
			continue
		}
		p.dates++
		if s.r.norm.Suspect(v.Date) {
			if p.at == nil {
				p.at, p.row = map[time.Time][]int32{}, map[time.Time]int{}
			}
			if _, ok := p.at[v.Date]; !ok {
				p.row[v.Date] = rec.Row
			}
			p.at[v.Date] = append(p.at[v.Date], int32(i))
		}
	}
	if s.sh.UnitSource == "column" && rec.Unit != "" {
		if s.units == nil {
			s.units = map[string]int{}
		}
		if s.units[rec.Unit] == 0 {
			s.unitOrder = append(s.unitOrder, rec.Unit)
		}
		s.units[rec.Unit]++
	}
}

// closeLeavers reports the section of people who left that was being read.
func (s *sheetReader) closeLeavers() {
	if s.leavers != nil && s.leftCount > 0 {
		is := issue.New(issue.PeopleLeft, s.f.Name, s.info.Name, s.leavers.row, 0).
			With("count", strconv.Itoa(s.leftCount)).With("section", s.leavers.Title)
		s.f.Issues = append(s.f.Issues, is)
	}
	s.leavers, s.leftCount = nil, 0
}

// row handles one row below the header and reports whether to keep reading.
func (s *sheetReader) row(kind layout.Kind, row workbook.Row) bool {
	r, f := s.r, s.f
	switch kind {
	case layout.Data:
		s.ns.Unit = s.unitFor(row)
		rec, iss := r.norm.Record(s.ns, row)
		if s.leavers != nil || (f.pin != nil && f.pin.Left(row.Num)) {
			rec.NotCounted = normalize.Left
			s.leftCount++
			s.sh.Left++
			// Someone who left counts in no figure: a bad value of theirs is worth a
			// look, not a resend.
			for i := range iss {
				iss[i].Severity = issue.Warning
			}
		} else {
			s.sh.Rows++
		}
		if row.Hidden {
			s.hidden = append(s.hidden, row.Num)
		}
		s.observe(f.enc.Len(), &rec)
		f.enc.Add(&rec)
		for _, is := range iss {
			s.listed.add(f, is)
		}
		s.since++
		s.heading = nil
		s.notice(row)
		return true
	case layout.Footer:
		s.sh.Skipped[kind]++
		return false
	case layout.Group:
		sec := s.t.SectionOf(row)
		h := &heading{Section: sec, row: row.Num}
		switch {
		case sec.Leaver:
			s.closeLeavers()
			s.leavers = h
			if s.sh.Section == "" {
				s.sh.Section = sec.Title
			}
		case s.leavers != nil && sec.Level <= s.leavers.Level:
			s.closeLeavers()
		}
		s.heading = h
		if c, ok := s.t.CourseHeading(row); ok {
			s.ns.Course = c
		}
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
			s.listed.add(f, is)
		}
		s.since = 0
	case layout.Stray:
		col, text := s.t.StrayCell(row)
		is := issue.New(issue.RowNotPerson, f.Name, s.sh.Name, row.Num, col)
		is.Raw = text
		s.listed.add(f, is)
	}
	s.sh.Skipped[kind]++
	return true
}

// notice records what a data row says about its table as a whole: where its name came
// from (typed, or a formula reading another sheet or workbook), and its year-only cells.
func (s *sheetReader) notice(row workbook.Row) {
	if col := s.t.NameColumn(); col != 0 {
		c := row.Cell(col)
		if c.Kind != workbook.Blank || c.Formula {
			s.names.cells++
			switch {
			case c.RefExternal:
				s.names.external++
			case c.Formula && c.RefSheet != "" && c.RefSheet != s.info.Name:
				s.names.sheets[c.RefSheet]++
			}
		}
	}
	for _, c := range s.t.Columns {
		if !c.YearOnly {
			continue
		}
		cell := row.Cell(c.Col)
		switch {
		case cell.Kind == workbook.Number && cell.Num >= 1800 && cell.Num <= 2200 && cell.Num == float64(int(cell.Num)):
			s.years[c.Col]++
		case cell.Kind == workbook.Text && yearText(cell.Text):
			s.years[c.Col]++
		}
	}
}

// columnUnits lists the units the table's unit column gave, the most common first.
func (s *sheetReader) columnUnits() []string {
	order := slices.Clone(s.unitOrder)
	slices.SortStableFunc(order, func(a, b string) int { return s.units[b] - s.units[a] })
	return order
}

// rowRanges writes rows as ranges: [9 10 11 13] → "9–11, 13".
func rowRanges(rows []int) string {
	var parts []string
	for i := 0; i < len(rows); {
		j := i
		for j+1 < len(rows) && rows[j+1] == rows[j]+1 {
			j++
		}
		if j > i {
			parts = append(parts, strconv.Itoa(rows[i])+"–"+strconv.Itoa(rows[j]))
		} else {
			parts = append(parts, strconv.Itoa(rows[i]))
		}
		i = j + 1
	}
	return strings.Join(parts, ", ")
}

func yearText(s string) bool {
	s = strings.TrimSpace(s)
	if len(s) != 4 {
		return false
	}
	y, err := strconv.Atoi(s)
	return err == nil && y >= 1800 && y <= 2200
}

// rowText is a row's texts joined, for a message.
func rowText(r workbook.Row) string {
	var parts []string
	seen := map[string]bool{}
	for _, c := range r.Cells {
		t := textfold.Clean(c.Text)
		if c.Kind != workbook.Text || t == "" || seen[t] {
			continue
		}
		seen[t] = true
		parts = append(parts, t)
		if len(parts) == 4 {
			parts = append(parts, "…")
			break
		}
	}
	return strings.Join(parts, " · ")
}

// unitFor picks a row's unit: its own unit cell, else the group heading above it, else
// the sheet's unit.
func (s *sheetReader) unitFor(row workbook.Row) string {
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

// maxRecordMemory is Options.MaxRecordMemory or its default.
func (r *Reader) maxRecordMemory() int64 {
	if r.opt.MaxRecordMemory > 0 {
		return r.opt.MaxRecordMemory
	}
	return DefaultMaxRecordMemory
}

// Bytes a Record takes in memory, but its texts: its own fields, and each value.
const recordSize, valueSize = 160, 80

// heldBytes is roughly what a record takes in memory: the values and the texts they
// hold.
func heldBytes(rec *normalize.Record) int64 {
	n := int64(recordSize + valueSize*len(rec.Values))
	for i := range rec.Values {
		v := &rec.Values[i]
		n += int64(len(v.Text))
		if v.Raw != v.Text {
			n += int64(len(v.Raw))
		}
	}
	return n
}

// issueBytes is roughly what an issue takes in memory, its message to come included.
func issueBytes(is *issue.Issue) int64 {
	const issueSize, messageSize = 200, 120
	return int64(issueSize + messageSize + len(is.Raw))
}

// tooLarge is the error refusing a file whose records would take more than limit
// bytes, about n of them fitting.
func tooLarge(n int, limit int64) error {
	return &workbook.Error{Code: issue.TooLarge,
		Err:  fmt.Errorf("the records past about %d rows take more than %d bytes", n, limit),
		Args: map[string]string{"what": "records", "limit": fmt.Sprintf("%s dữ liệu, khoảng %s người trong một tệp", megabytes(limit), reporttext.Int(n))}}
}

// listedPerCode is how many issues of one code and severity a table lists one by one
// (and check, a file's repeats of a person): the next one stands for the rest
// (issue.Issue.More). A sheet of a million bad cells, or a million copies of one
// person, then holds a few thousand issues, not a million, and the clerk reads the
// first ones with their cells and how many more; every count stays exact.
const listedPerCode = 1000

// listed counts the issues of one table listed so far, by code and severity.
type listed struct {
	n  map[listedKey]int
	at map[listedKey]int // where in File.Issues the issue standing for the rest is
}

type listedKey struct {
	code issue.Code
	sev  issue.Severity
}

// add lists is in f, or counts it in the issue standing for the rest of its kind.
func (l *listed) add(f *File, is issue.Issue) {
	if l.n == nil {
		l.n, l.at = map[listedKey]int{}, map[listedKey]int{}
	}
	k := listedKey{is.Code, is.Severity}
	l.n[k]++
	switch n := l.n[k]; {
	case n == listedPerCode+1:
		l.at[k] = len(f.Issues)
	case n > listedPerCode+1:
		f.Issues[l.at[k]].More++
		return
	}
	f.Issues = append(f.Issues, is)
	f.issueBytes += issueBytes(&is)
}

// megabytes writes a memory size for a clerk: "512 MB", "1 GB".
func megabytes(n int64) string {
	if n >= 1<<30 && n%(1<<30) == 0 {
		return fmt.Sprintf("%d GB", n>>30)
	}
	return fmt.Sprintf("%d MB", n>>20)
}

// fieldCodes lists the codes of the fields cols give a value to, in schema order.
func fieldCodes(cols []normalize.Column) []string {
	var fs []*schema.Field
	add := func(f *schema.Field) {
		if f != nil && !slices.Contains(fs, f) {
			fs = append(fs, f)
		}
	}
	for _, c := range cols {
		add(c.Field)
		if c.Mark != nil {
			add(c.Mark.Field)
		}
		for _, f := range c.Split {
			add(f)
		}
	}
	slices.SortFunc(fs, func(a, b *schema.Field) int { return a.Index - b.Index })
	codes := make([]string, len(fs))
	for i, f := range fs {
		codes[i] = f.Code
	}
	return codes
}
