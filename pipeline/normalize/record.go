package normalize

import (
	"bytes"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"canbo/pipeline/issue"
	"canbo/pipeline/schema"
	"canbo/pipeline/textfold"
	"canbo/pipeline/workbook"
)

// Value is one field of a record after normalisation.
type Value struct {
	Set  bool      // a usable value was read
	Text string    // text: cleaned; id: digits; enum/ordinal/bool: the code ("dai_hoc", "true"); date: "2006-01-02"; number: canonical
	Date time.Time // date fields
	Num  float64   // number fields
	Raw  string    // the cell as the clerk typed it, for messages
	Col  int       // 1-based column it came from, 0 if none
}

// Record is one person (roster) or one attendance (training register).
type Record struct {
	Dataset string
	Unit    string // display name of the unit
	Group   string // the input sub-folder the file came from ("" at the top)
	File    string // the file's name as shown (ingest makes it unique in a batch)
	Path    string // where the file was read: a file's identity, for routing what is found
	Sheet   string
	Row     int
	Values  []Value // indexed by schema.Field.Index
	// NotCounted says why a record read from a list is reported but not counted: Left
	// (listed in a section of people who left), Repeat (the same person again) or
	// Newer (a dataset of the file the batch does not count). "" for a record that
	// counts.
	NotCounted string
}

// Reasons a record is not counted.
const (
	Left   = "left"   // in a "Giảm biên chế", "Đã nghỉ hưu", "Chuyển công tác" section
	Repeat = "repeat" // the same person listed again, in this file or another
	// Newer: a table of a dataset the batch does not count in this file, a newer
	// file of the unit being read for it (ingest.Options.Datasets).
	Newer = "newer"
)

// NameField is the code of the field that holds a person's name.
const NameField = "ho_ten"

// StripTitle removes an honorific written before a name (layout.yaml's name_titles):
// "Đ/c Nguyễn Văn A" → "Nguyễn Văn A", "Ông Lê Văn B" → "Lê Văn B". A name is compared
// and shown without it, so the same person written with and without "Đ/c" is one.
//
// Every name goes through here and almost none has a title, so the first word alone
// is looked at first (untitled), and only a name that may have a title is lowered
// whole, in a buffer on the stack.
func (n *Normalizer) StripTitle(s string) string {
	if n.untitled(s) {
		return s
	}
	return n.stripTitle(s)
}

// untitled reports, without the Lower form of the whole name, that s starts with no
// title: its first word in Lower form (textfold.AppendFirstLower) is no title's first
// word ("nguyễn" for "Nguyễn Văn A"). When that word cannot be told so, untitled says
// false and stripTitle decides, as for a name that may have a title.
func (n *Normalizer) untitled(s string) bool {
	in, ok := textfold.FirstLowerIn(s, n.titleWords)
	return ok && !in
}

// stripTitle is StripTitle for a name that may start with a title.
func (n *Normalizer) stripTitle(s string) string {
	var buf [64]byte
	lw := textfold.AppendLower(buf[:0], s)
	for _, title := range n.titles {
		if !hasPrefixWords(lw, title) || wordCount(lw) <= len(strings.Fields(title))+1 {
			continue
		}
		// Skip as many words as the title has, "Đ/c" counting as its two.
		rest := strings.TrimSpace(s)
		notWord := func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }
		for k := len(strings.Fields(title)); k > 0 && rest != ""; k-- {
			i := strings.IndexFunc(rest, notWord)
			if i < 0 {
				return s
			}
			rest = strings.TrimLeftFunc(rest[i:], notWord)
		}
		return rest
	}
	return s
}

// hasPrefixWords is textfold.HasPrefixWords for a key held in a buffer.
func hasPrefixWords(k []byte, w string) bool {
	return w != "" && len(k) >= len(w) && string(k[:len(w)]) == w && (len(k) == len(w) || k[len(w)] == ' ')
}

// wordCount counts the words of a text in Lower form, where single spaces part them.
func wordCount(lw []byte) int {
	if len(lw) == 0 {
		return 0
	}
	return bytes.Count(lw, []byte{' '}) + 1
}

// Counted reports whether the record counts in the figures.
func (r *Record) Counted() bool { return r.NotCounted == "" }

// Code returns a field's code, or schema.Unknown when the value is missing or was
// not recognised: every person counts under exactly one code of every dimension.
func (r *Record) Code(f *schema.Field) string {
	if f == nil || f.Index >= len(r.Values) || !r.Values[f.Index].Set {
		return schema.Unknown
	}
	return r.Values[f.Index].Text
}

// Value returns a field's value (the zero Value if the field is nil).
func (r *Record) Value(f *schema.Field) Value {
	if f == nil || f.Index >= len(r.Values) {
		return Value{}
	}
	return r.Values[f.Index]
}

// Column tells how one sheet column feeds a record. Field is read from the cell (nil
// for a pure mark column); Mark, when set, means a filled cell sets Mark.Field to
// Mark.Code: an "x" under "Trình độ chuyên môn / Đại học", or a birth date written
// under "Ngày sinh / Nữ", which is also the person's sex.
//
// A field written over several columns has Parts (Col first) read together as Join
// says; a column holding several fields ("Họ và tên / Năm sinh") has Split and no Field.
type Column struct {
	Col      int
	Header   string // the joined header text, for listings
	Field    *schema.Field
	Mark     *Mark
	Parts    []Part          // every column of a field written over several, in order
	Join     Join            // how Parts combine
	Split    []*schema.Field // the fields of a combined column, in header order
	YearOnly bool            // the header promises a year only ("Năm sinh")
	Why      string          // how the header was understood: exact, coded, prefix, parent, mark, parts, combined, pinned
}

// Part is one column of a field written over several.
type Part struct {
	Col  int
	Role string // a date's day, month or year; a name's part; "" for an alternative
}

// Join says how the cells of a field written over several columns make one value.
type Join int

const (
	JoinNone  Join = iota
	JoinWords      // texts joined by spaces: "Họ" + "Tên", or "Họ và tên" merged over two columns
	JoinList       // texts joined by commas: "Chức vụ › Đảng | Chính quyền"
	JoinFirst      // the first filled cell: "Lý luận chính trị" written in either column
	JoinAny        // yes if any cell says yes: "Ngày vào đảng › Kết nạp | Chính thức"
	JoinDate       // day, month and year in three columns
)

// Cols returns every sheet column the column reads.
func (c Column) Cols() []int {
	if len(c.Parts) == 0 {
		return []int{c.Col}
	}
	out := make([]int, len(c.Parts))
	for i, p := range c.Parts {
		out[i] = p.Col
	}
	return out
}

// Mark is the code a filled mark column gives a field.
type Mark struct {
	Field *schema.Field
	Code  string
}

// Sheet is what the normaliser needs to know about the table a row comes from. Record
// keeps what it learns of the sheet's values in it, so a Sheet is read by one
// goroutine at a time (a Normalizer is shared by all of them).
type Sheet struct {
	File, Sheet string
	Dataset     *schema.Dataset
	Columns     []Column
	Date1904    bool
	AsOf        time.Time // ages are computed at this date; also the two-digit-year pivot
	Unit        string
	// Values are a unit's own codes pinned in layouts.yaml: field → value as written
	// → code ("1" → nam), read before the vocabulary.
	Values map[string]map[string]string
	// Course is the course a list of learners names in its title, for attendances
	// whose sheet has no course column.
	Course string

	// match remembers the category values read in the sheet. Record makes it on first
	// use: a Sheet is read by one goroutine at a time.
	match *MatchCache
	// block is where the values of the sheet's next records are cut from.
	block    []Value
	blockLen int
	// Reuse says the caller is done with each record before it asks for the next
	// (ingest encodes every record into its file's segment at once): every record then
	// gets the same values, cleared, instead of fresh memory, whose first touch (page
	// faults and zeroing of 33 values a person) was a large part of reading's cost.
	Reuse   bool
	scratch []Value
	// marks is the mark hits of the row being read, kept for the next row's: a row
	// with a mark (party member "x") made a map and a slice for it.
	marks []markHit
	// named counts the values read off course names, per field (fromname.go).
	named []nameTally
}

// newValues returns n zero values for one record, cut from a block shared with the
// sheet's next records: one allocation for many records rather than one each, which
// the profile of reading 100,000 people put at 8% of the CPU. The records of a sheet
// are kept and dropped together, so a block outlives none of them for long. Blocks
// grow from minBlock records to maxBlock, so a sheet of one person holds little more
// than it needs. With Reuse, it is the same values every time, cleared.
func (sh *Sheet) newValues(n int) []Value {
	if sh.Reuse {
		if cap(sh.scratch) < n {
			sh.scratch = make([]Value, n)
		}
		sh.scratch = sh.scratch[:n]
		clear(sh.scratch)
		return sh.scratch
	}
	const minBlock, maxBlock = 4, 64
	if len(sh.block) < n {
		sh.blockLen = min(max(2*sh.blockLen, minBlock), maxBlock)
		sh.block = make([]Value, n*sh.blockLen)
	}
	v := sh.block[:n:n]
	sh.block = sh.block[n:]
	return v
}

// Normalizer turns rows into records. It is built once per configuration and is safe
// for concurrent use.
type Normalizer struct {
	cfg      *schema.Config
	matchers map[string]*Matcher
	fields   map[string]*fieldReading // category fields by code: see field.go
	none     map[string]bool          // folded "no" spellings: blank in a category column
	marks    map[string]bool
	ageField *schema.Field
	train    *Classifier
	names    []*NameReader // training.yaml from_name
	course   *schema.Field // the course name they read (training.yaml from)
	// placeholders are dates typed to fill a cell ("01/01/1900", "0000-00-00"): by
	// the date they give, and by their folded text for those no calendar has.
	placeholderDates map[time.Time]bool
	placeholderTexts map[string]bool
	titles           []string // honorifics before a name, Lower form, longest first: "đồng chí", "đ c", "ông"
	titleWords       []string // their first words (untitled)
}

// New prepares matchers for every vocabulary of the configuration.
func New(cfg *schema.Config) *Normalizer {
	n := &Normalizer{cfg: cfg, matchers: map[string]*Matcher{}, marks: map[string]bool{}}
	for code, v := range cfg.Vocab {
		n.matchers[code] = NewMatcher(v)
	}
	for _, w := range cfg.Layout.MarkWords {
		n.marks[strings.TrimSpace(w)] = true
	}
	for _, d := range cfg.Schema.Derived {
		if d.Age {
			n.ageField = cfg.Field(d.From)
		}
	}
	n.train = NewClassifier(cfg)
	n.course = cfg.Field(cfg.Training.From)
	for _, nf := range cfg.Training.FromName {
		if r := NewNameReader(cfg, nf); r != nil {
			n.names = append(n.names, r)
		}
	}
	abbrev := map[string]string{}
	for k, v := range cfg.Schema.ValueAbbreviations {
		abbrev[textfold.Key(k)] = textfold.Key(v)
	}
	for _, m := range n.matchers {
		m.abbrev = abbrev
	}
	n.placeholderDates, n.placeholderTexts = map[time.Time]bool{}, map[string]bool{}
	for _, p := range cfg.Layout.PlaceholderDates {
		if t, q, err := ParseDateText(p, time.Time{}); err == nil && q == FullDate {
			n.placeholderDates[t] = true
		}
		n.placeholderTexts[textfold.Compact(p)] = true
	}
	for _, t := range cfg.Layout.NameTitles {
		if w := textfold.Lower(t); w != "" {
			n.titles = append(n.titles, w)
		}
	}
	slices.SortStableFunc(n.titles, func(a, b string) int { return len(b) - len(a) })
	n.titleWords = textfold.FirstWords(n.titles)
	n.prepareFields()
	for _, fr := range n.fields {
		fr.matcher.abbrev = abbrev
	}
	return n
}

// Config returns the configuration the normaliser was built from.
func (n *Normalizer) Config() *schema.Config { return n.cfg }

// Matcher returns the matcher of a vocabulary, or nil.
func (n *Normalizer) Matcher(vocab string) *Matcher { return n.matchers[vocab] }

// Classifier returns the training-course classifier.
func (n *Normalizer) Classifier() *Classifier { return n.train }

// NameReader returns the reader of a from_name field (training.yaml), or nil.
func (n *Normalizer) NameReader(field string) *NameReader {
	for _, r := range n.names {
		if r.Field.Code == field {
			return r
		}
	}
	return nil
}

// rowState collects one row's values and problems.
type rowState struct {
	n      *Normalizer
	sh     *Sheet
	col    Column // the column being read
	row    int
	rec    Record
	issues []issue.Issue
	// bad is the fields with a problem already reported, made on first use: most rows
	// have none, and two maps made for every row were a tenth of Record's cost. marks
	// is the mark columns found filled, in the sheet's buffer (Sheet.marks).
	bad   map[int]bool
	marks []markHit
}

// markBad records that a field's problem is reported.
func (st *rowState) markBad(f *schema.Field) {
	if st.bad == nil {
		st.bad = map[int]bool{}
	}
	st.bad[f.Index] = true
}

type markHit struct {
	field *schema.Field
	code  string
	col   int
	raw   string
}

// Record normalises one data row. It always returns a record, whatever is wrong with
// the row: a bad value becomes unset (counted as chua_xac_dinh) and an issue.
func (n *Normalizer) Record(sh *Sheet, row workbook.Row) (Record, []issue.Issue) {
	if sh.match == nil || sh.match.n != n {
		sh.match = n.NewMatchCache()
	}
	st := &rowState{n: n, sh: sh, row: row.Num, marks: sh.marks[:0]}
	defer func() { sh.marks = st.marks[:0] }()
	st.rec = Record{Dataset: sh.Dataset.Code, Unit: sh.Unit, File: sh.File, Sheet: sh.Sheet, Row: row.Num,
		Values: sh.newValues(n.cfg.NumFields())}
	for _, col := range sh.Columns {
		c, ok := st.cell(col, row)
		if !ok {
			continue
		}
		if c.NoCache {
			st.add(issue.FormulaNoVal, col.Field, c, "")
			continue
		}
		filled := n.filled(c)
		if len(col.Split) > 0 {
			if filled {
				st.split(col, c)
			}
			continue
		}
		if col.Field != nil && filled && !st.rec.Values[col.Field.Index].Set && !st.bad[col.Field.Index] {
			st.col = col
			st.value(col.Field, c)
		}
		if col.Mark != nil && filled && (col.Field != nil || n.IsMark(c)) {
			st.marks = append(st.marks, markHit{col.Mark.Field, col.Mark.Code, c.Col, rawText(c)})
		}
	}
	st.resolveMarks()
	st.course()
	st.classify()
	st.readNames()
	st.required()
	return st.rec, st.issues
}

func (st *rowState) add(code issue.Code, f *schema.Field, c workbook.Cell, arg string) {
	is := issue.New(code, st.sh.File, st.sh.Sheet, st.row, c.Col)
	is.Raw = rawText(c)
	if f != nil {
		is.Field, is.Label = f.Code, f.Label
		st.markBad(f)
	}
	if arg != "" {
		is = is.With("expected", arg)
	}
	st.issues = append(st.issues, is)
}

func (st *rowState) set(f *schema.Field, c workbook.Cell, v Value) {
	v.Set, v.Raw, v.Col = true, rawText(c), c.Col
	st.rec.Values[f.Index] = v
}

// value parses one cell for its field.
func (st *rowState) value(f *schema.Field, c workbook.Cell) {
	n := st.n
	switch f.Type {
	case schema.TypeText:
		text := c.Text
		if utf8.RuneCountInString(text) > excelCellLimit {
			st.issues = append(st.issues, st.issueFor(issue.CellTooLong, f, c).
				With("length", strconv.Itoa(utf8.RuneCountInString(text))))
			text = shorten(text, maxValue)
		}
		if t := textfold.Clean(text); t != "" {
			if c.Kind == workbook.Date {
				t = c.Time.Format("02/01/2006")
			}
			if f.Code == NameField {
				t = n.StripTitle(t) // "Đ/c Nguyễn Văn A" is Nguyễn Văn A, in every file
			}
			st.set(f, c, Value{Text: t})
		}
	case schema.TypeID:
		id := ParseID(c.Text, c.Kind == workbook.Number, c.Num)
		if !id.Valid {
			st.add(issue.BadID, f, c, "")
			return
		}
		if id.ZerosLost {
			st.issues = append(st.issues, st.issueFor(issue.IDZeroLost, f, c).With("fixed", id.Digits))
		}
		st.set(f, c, Value{Text: id.Digits})
	case schema.TypeNumber:
		v, ok := c.Num, c.Kind == workbook.Number
		if !ok {
			v, ok = ParseNumber(c.Text)
		}
		if !ok {
			st.add(issue.BadNumber, f, c, "")
			return
		}
		st.set(f, c, Value{Text: FormatNumber(v), Num: v})
	case schema.TypeDate:
		st.date(f, c)
	case schema.TypeBool:
		st.boolean(f, c)
	case schema.TypeEnum, schema.TypeOrdinal:
		if code, ok := st.pinned(f, c); ok {
			st.set(f, c, Value{Text: code})
			return
		}
		code, how, none := st.sh.match.MatchField(f, c.Text)
		switch how {
		case NoMatch:
			if !none { // "Không" where the vocabulary has no such value: nothing to count
				st.add(issue.UnknownValue, f, c, n.labels(f))
			}
			return
		case Guessed:
			v := n.cfg.Vocab[f.Vocabulary]
			st.issues = append(st.issues, st.issueFor(issue.GuessedValue, f, c).With("value", v.LabelOf(code)))
		}
		st.set(f, c, Value{Text: code})
	}
}

// pinned returns the code a unit's pinned values give a cell ("1" → nam).
func (st *rowState) pinned(f *schema.Field, c workbook.Cell) (string, bool) {
	m := st.sh.Values[f.Code]
	if len(m) == 0 {
		return "", false
	}
	raw := strings.TrimSpace(rawText(c))
	if code, ok := m[raw]; ok {
		return code, true
	}
	for k, code := range m {
		if textfold.Key(k) == textfold.Key(raw) {
			return code, true
		}
	}
	return "", false
}

func (st *rowState) issueFor(code issue.Code, f *schema.Field, c workbook.Cell) issue.Issue {
	is := issue.New(code, st.sh.File, st.sh.Sheet, st.row, c.Col)
	is.Raw, is.Field, is.Label = rawText(c), f.Code, f.Label
	return is
}

func (st *rowState) date(f *schema.Field, c workbook.Cell) {
	var t time.Time
	q := FullDate
	switch c.Kind {
	case workbook.Date:
		t = time.Date(c.Time.Year(), c.Time.Month(), c.Time.Day(), 0, 0, 0, 0, time.UTC)
	case workbook.Number:
		if c.Num >= 1800 && c.Num <= 2200 && c.Num == float64(int(c.Num)) {
			t, q = time.Date(int(c.Num), 1, 1, 0, 0, 0, 0, time.UTC), YearOnly
		} else if d, ok := SerialDate(c.Num, st.sh.Date1904); ok {
			t = d
		} else {
			st.add(issue.BadDate, f, c, "")
			return
		}
	default:
		if st.n.placeholder(c.Text, time.Time{}) {
			st.issues = append(st.issues, st.issueFor(issue.PlaceholderDate, f, c))
			st.markBad(f)
			return
		}
		var err error
		t, q, err = ParseDateText(c.Text, st.sh.AsOf)
		if err != nil {
			st.add(issue.BadDate, f, c, "")
			return
		}
	}
	if q == FullDate && st.n.placeholder("", t) {
		st.issues = append(st.issues, st.issueFor(issue.PlaceholderDate, f, c))
		st.markBad(f)
		return
	}
	if q == YearOnly && !st.col.YearOnly {
		st.issues = append(st.issues, st.issueFor(issue.YearOnly, f, c))
	}
	if f == st.n.ageField && !st.sh.AsOf.IsZero() {
		age := Age(t, st.sh.AsOf)
		lay := st.n.cfg.Layout
		if age < lay.MinAge || age > lay.MaxAge {
			st.add(issue.BadAge, f, c, "")
			st.issues[len(st.issues)-1] = st.issues[len(st.issues)-1].With("age", itoa(age))
			return
		}
	}
	st.set(f, c, Value{Text: t.Format("2006-01-02"), Date: t})
}

// Age returns whole years from birth to at.
func Age(birth, at time.Time) int {
	age := at.Year() - birth.Year()
	if at.Month() < birth.Month() || (at.Month() == birth.Month() && at.Day() < birth.Day()) {
		age--
	}
	return age
}

func (st *rowState) boolean(f *schema.Field, c workbook.Cell) {
	if code, ok := st.pinned(f, c); ok {
		st.set(f, c, Value{Text: code})
		return
	}
	// A date (of admission) means yes, unless no one could have it (01/01/1900); one
	// typed to fill the cell (01/01/1970 all down the column) is blanked afterwards.
	date := func(d time.Time) {
		if st.n.placeholder("", d) {
			st.issues = append(st.issues, st.issueFor(issue.PlaceholderDate, f, c))
			st.markBad(f)
			return
		}
		st.set(f, c, Value{Text: "true", Date: d})
	}
	switch c.Kind {
	case workbook.Bool:
		text := "false"
		if c.Text == "TRUE" || c.Text == "1" {
			text = "true"
		}
		st.set(f, c, Value{Text: text})
		return
	case workbook.Date:
		date(c.Time)
		return
	case workbook.Text:
		if st.n.placeholder(c.Text, time.Time{}) {
			st.issues = append(st.issues, st.issueFor(issue.PlaceholderDate, f, c))
			st.markBad(f)
			return
		}
		if d, q, err := ParseDateText(c.Text, st.sh.AsOf); err == nil && q == FullDate {
			date(d)
			return
		}
	}
	if m := st.n.matchers[f.Vocabulary]; m != nil {
		if code, how := m.Match(c.Text); how == Exact || how == Prefix {
			st.set(f, c, Value{Text: code})
			return
		}
	}
	if st.n.IsMark(c) {
		st.set(f, c, Value{Text: "true"})
		return
	}
	st.add(issue.UnknownValue, f, c, "Có (x) hoặc Không")
}

// IsMark reports whether a mark-column cell counts as marked.
func (n *Normalizer) IsMark(c workbook.Cell) bool {
	t := strings.TrimSpace(c.Text)
	if n.marks[t] {
		return true
	}
	switch textfold.Key(t) {
	case "", "0", "khong", "k", "chua":
		return false
	}
	return c.Kind == workbook.Text || c.Kind == workbook.Date || c.Kind == workbook.Number || c.Kind == workbook.Bool
}

// resolveMarks turns filled mark columns into field values.
func (st *rowState) resolveMarks() {
	var buf [8]markHit
	for i, m := range st.marks {
		f := m.field
		if st.marked(f, i) {
			continue // its hits were taken with the field's first
		}
		hits := buf[:0]
		for _, h := range st.marks[i:] {
			if h.field == f {
				hits = append(hits, h)
			}
		}
		if st.rec.Values[f.Index].Set {
			continue // a value column said it already
		}
		code := hits[0].code
		if len(hits) > 1 {
			v := st.n.cfg.VocabOf(f)
			if f.Type == schema.TypeOrdinal && v != nil {
				// Marks under several levels: the highest is the person's level.
				for _, h := range hits[1:] {
					if a, _ := v.Rank(h.code); a > rankOf(v, code) {
						code = h.code
					}
				}
			} else if !allSame(hits) {
				c := workbook.Cell{Col: hits[1].col, Kind: workbook.Text, Text: hits[1].raw}
				st.add(issue.ConflictMarks, f, c, "")
				continue
			}
		}
		st.rec.Values[f.Index] = Value{Set: true, Text: code, Raw: hits[0].raw, Col: hits[0].col}
	}
	// Sheets with mark columns for a field but no mark in this row: the field's
	// "unmarked" code if it has one (a lone "Nữ" column means blank = man).
	for _, col := range st.sh.Columns {
		if col.Mark == nil || col.Field != nil {
			continue
		}
		f := col.Mark.Field
		if !st.rec.Values[f.Index].Set && !st.marked(f, len(st.marks)) && f.Unmarked != "" && !st.bad[f.Index] {
			st.rec.Values[f.Index] = Value{Set: true, Text: f.Unmarked, Col: col.Col}
		}
	}
}

// marked reports whether one of the first n mark hits is for f.
func (st *rowState) marked(f *schema.Field, n int) bool {
	for _, h := range st.marks[:n] {
		if h.field == f {
			return true
		}
	}
	return false
}

func rankOf(v *schema.Vocabulary, code string) int { r, _ := v.Rank(code); return r }

func allSame(h []markHit) bool {
	for _, x := range h[1:] {
		if x.code != h[0].code {
			return false
		}
	}
	return true
}

// course fills the course from the title of a list of learners that has no course column.
func (st *rowState) course() {
	f := st.n.cfg.Field(st.n.cfg.Training.From)
	if st.sh.Course == "" || f == nil || !inDataset(st.sh.Dataset, f.Code) || st.rec.Values[f.Index].Set {
		return
	}
	st.rec.Values[f.Index] = Value{Set: true, Text: textfold.Clean(st.sh.Course), Raw: st.sh.Course}
}

// classify fills the training kind from the course name when the sheet did not say it.
func (st *rowState) classify() {
	t := st.n.cfg.Training
	kind, from := st.n.cfg.Field(t.Field), st.n.cfg.Field(t.From)
	if kind == nil || from == nil || !inDataset(st.sh.Dataset, kind.Code) {
		return
	}
	if st.rec.Values[kind.Index].Set || st.bad[kind.Index] {
		return
	}
	name := st.rec.Values[from.Index]
	if !name.Set {
		return
	}
	code, ok := st.n.train.Classify(name.Text)
	st.rec.Values[kind.Index] = Value{Set: true, Text: code, Raw: name.Raw, Col: name.Col}
	if !ok {
		c := workbook.Cell{Col: name.Col, Kind: workbook.Text, Text: name.Raw}
		st.issues = append(st.issues, st.issueFor(issue.Unclassified, kind, c))
	}
}

// required reports blank required fields, once each, at the column they should be in.
func (st *rowState) required() {
	for _, code := range st.sh.Dataset.Required {
		f := st.n.cfg.Field(code)
		if f == nil || st.rec.Values[f.Index].Set || st.bad[f.Index] {
			continue
		}
		col, found := 0, false
		for _, c := range st.sh.Columns {
			if c.Field == f || (c.Mark != nil && c.Mark.Field == f) || slices.Contains(c.Split, f) {
				col, found = c.Col, true
				break
			}
		}
		if !found {
			continue // the sheet has no such column: reported once per sheet, not per row
		}
		st.add(issue.RequiredValue, f, workbook.Cell{Col: col}, "")
	}
}

func inDataset(d *schema.Dataset, field string) bool {
	for _, f := range d.Fields {
		if f == field {
			return true
		}
	}
	return false
}

// labels lists a vocabulary's labels for a message ("Tiến sĩ, Thạc sĩ, Đại học…").
func (n *Normalizer) labels(f *schema.Field) string {
	v := n.cfg.VocabOf(f)
	if v == nil {
		return ""
	}
	const most = 8 // a message lists a short vocabulary whole, a long one by example
	parts := make([]string, 0, most+1)
	for i, val := range v.Values {
		if i == most {
			parts = append(parts, "… (xem danh mục "+v.Label+")")
			break
		}
		parts = append(parts, val.Label)
	}
	return strings.Join(parts, "; ")
}

// rawText shows a cell as the clerk sees it.
func rawText(c workbook.Cell) string {
	switch c.Kind {
	case workbook.Date:
		return c.Time.Format("02/01/2006")
	case workbook.Blank:
		return ""
	}
	return shorten(c.Text, maxShown)
}

// Excel holds at most 32,767 characters in a cell; a cell beyond that was not typed in
// Excel, and a value that long would swamp the reports. canbo keeps a value's first
// maxValue characters (with a cell-too-long warning) and quotes at most maxShown of a
// cell in a message.
const (
	excelCellLimit = 32767
	maxValue       = 1000
	maxShown       = 200
)

// shorten cuts s to n characters, marking the cut with "…".
func shorten(s string, n int) string {
	if len(s) <= n {
		return s
	}
	i, k := 0, 0
	for i = range s {
		if k == n {
			return s[:i] + "…"
		}
		k++
	}
	return s
}

func itoa(i int) string {
	return FormatNumber(float64(i))
}
