package layout

import (
	"maps"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"

	"canbo/pipeline/issue"
	"canbo/pipeline/normalize"
	"canbo/pipeline/schema"
	"canbo/pipeline/textfold"
	"canbo/pipeline/workbook"
)

// Table is what Detect found in a sheet.
type Table struct {
	Dataset      *schema.Dataset
	HeaderRows   []int // sheet row numbers of the header block
	NumberingRow int   // the column-number row dropped after the header, 0 if none
	Columns      []normalize.Column
	Unmapped     []Unmapped         // header cells that name no field of the dataset, and why
	Duplicates   []normalize.Column // extra columns for a field already mapped (ignored)
	Missing      []*schema.Field    // required fields with no column
	Unit         string             // from the title block, "" if none
	UnitCell     [2]int             // row, column of that title cell
	UnitInTitle  bool               // Unit was read from the end of a list title, not a line of its own
	AsOf         time.Time          // "(Tính đến ngày 30/09/2023)", zero if none
	LastHeader   int                // last header (or numbering) row; data starts below it
	// Doubts says what canbo is unsure of about this table, for a warning: "names-only"
	// (a list recognised by its name column alone), "few-names" (many names in the name
	// column do not look like people's names).
	Doubts []string
	Course string // the course the title names, for a list of learners without a course column

	headerTexts []string // keys of the header's last row, to spot a repeated header
	headerCols  map[int][]string
	nameCol     int
	sttCol      int
	unitCol     int
	numberCols  map[int]bool // numbering columns ("TT", and an unheaded second count)
	valueCols   map[int]bool
	detector    *Detector
	// match remembers the category values Classify has read, made on first use: a
	// Table is classified by one goroutine at a time.
	match *normalize.MatchCache
}

// Unmapped is a header cell the table does not use, and why.
type Unmapped struct {
	Col    int
	Header string
	Reason string // "" (names no field), "other-dataset", "values", "merged", "parts", "mark-with-value", "ignored", "numbering", "pinned"
	Words  string // for "ignored": the words that make the header about something else ("phụ cấp")
	Field  *schema.Field
}

// Detect looks for a table in the given rows (the first header_search_rows of a sheet,
// or the rows from a header met further down). It returns nil when no block of rows is
// a header of a known dataset whose rows hold people.
func (d *Detector) Detect(rows []workbook.Row) *Table {
	for _, c := range d.candidates(rows) {
		title := d.TitleBlock(rows[:c.from])
		if t := d.table(rows, c, nil, title.Course != ""); t != nil {
			t.setTitle(title)
			return t
		}
	}
	return nil
}

// candidates returns the header blocks of the rows in the order they are tried.
func (d *Detector) candidates(rows []workbook.Row) []*candidate {
	maxRows := d.cfg.Layout.MaxHeaderRows
	byFrom := map[int]*candidate{} // the best block starting at each row
	best := 0
	for i := range rows {
		if !hasText(rows[i]) || d.notHeaderRow(rows[i]) {
			continue
		}
		for k := 1; k <= maxRows && i+k <= len(rows); k++ {
			last := rows[i+k-1]
			if k > 1 && (dataLike(last) || d.numberingRow(last) || d.notHeaderRow(last)) {
				break
			}
			if k > 1 && rows[i+k-1].Num != rows[i+k-2].Num+1 {
				break // a header block has no gaps
			}
			if cutsMerge(rows, i, i+k) {
				continue
			}
			c := d.evaluate(rows, i, i+k)
			if c.score == 0 {
				continue
			}
			// More is better; on a tie the smaller block, so a title row above the
			// header is not absorbed into it.
			if b := byFrom[i]; b == nil || c.score > b.score {
				cc := c
				byFrom[i] = &cc
			}
			best = max(best, c.score)
		}
	}
	// The first table of the sheet is read first: a block at least nearly as good as
	// the best (the same fields, give or take) wins over a later one, so a second
	// table further down ("Giảm biên chế" under the staff table) comes in its turn.
	var order []*candidate
	for _, c := range byFrom {
		order = append(order, c)
	}
	sort.Slice(order, func(i, j int) bool {
		a, b := order[i], order[j]
		ga, gb := a.score*10 >= best*8, b.score*10 >= best*8
		if ga != gb {
			return ga
		}
		if ga && a.from != b.from {
			return a.from < b.from
		}
		if a.score != b.score {
			return a.score > b.score
		}
		return a.from < b.from
	})
	return order
}

// Pinned reads a table the way an office pinned it in layouts.yaml: the header rows,
// the columns and the dataset it gives, the rest found as Detect finds it. It returns
// nil when the pinned header rows are not among the rows.
func (d *Detector) Pinned(rows []workbook.Row, p *schema.Pin) *Table {
	var list []*candidate
	if len(p.HeaderRows) > 0 {
		from, to := -1, -1
		for i, r := range rows {
			if r.Num == p.HeaderRows[0] {
				from = i
			}
			if r.Num == p.HeaderRows[len(p.HeaderRows)-1] {
				to = i + 1
			}
		}
		if from < 0 || to <= from {
			return nil
		}
		c := d.evaluate(rows, from, to)
		list = []*candidate{&c}
	} else {
		list = d.candidates(rows)
	}
	var ds *schema.Dataset
	if p.Dataset != "" {
		ds = d.cfg.Dataset(p.Dataset)
	}
	for _, c := range list {
		d.pin(c, p)
		title := d.TitleBlock(rows[:c.from])
		if t := d.table(rows, c, ds, title.Course != ""); t != nil {
			t.setTitle(title)
			return t
		}
	}
	return nil
}

// pin sets a candidate's columns as a pin says.
func (d *Detector) pin(c *candidate, p *schema.Pin) {
	for letter, code := range p.Columns {
		col := issue.ColumnNumber(letter)
		if col == 0 {
			continue
		}
		if _, ok := c.paths[col]; !ok {
			c.paths[col] = []seg{{raw: letter, words: d.headerWords(letter)}}
		}
		if code == "-" || code == "" {
			delete(c.cols, col)
			c.pinnedOut = append(c.pinnedOut, col)
			continue
		}
		if f := d.cfg.Field(code); f != nil {
			c.cols[col] = match{field: f, how: Pinned, syn: "layouts.yaml"}
		}
	}
}

// notHeaderRow reports rows that are never part of a header: a title (one text, whether
// one cell or a banner merged across) and a form line ("Giới tính: …… Dân tộc: ……").
func (d *Detector) notHeaderRow(r workbook.Row) bool {
	texts := map[string]bool{}
	form := 0
	for _, c := range r.Cells {
		t := cellText(c)
		if strings.TrimSpace(t) == "" || texts[t] {
			continue
		}
		texts[t] = true
		if formFieldRE.MatchString(t) {
			form++
		}
	}
	return len(texts) <= 1 || form*2 >= len(texts)
}

// formFieldRE: "Giới tính: ……", "Đơn vị: ………", "Dân tộc: ....": a label to fill in.
var formFieldRE = regexp.MustCompile(`:\s*\S|[.…]{3,}`)

// table turns the winning candidate into a Table: it keeps only the matches the values
// below bear out, chooses the dataset on the evidence of its columns, and assembles
// fields written over several columns.
func (d *Detector) table(rows []workbook.Row, c *candidate, force *schema.Dataset, course bool) *Table {
	t := &Table{valueCols: map[int]bool{}, numberCols: map[int]bool{}, headerCols: map[int][]string{}, detector: d}
	for r := c.from; r < c.to; r++ {
		t.HeaderRows = append(t.HeaderRows, rows[r].Num)
	}
	t.LastHeader = rows[c.to-1].Num
	next := c.to
	if next < len(rows) && d.numberingRow(rows[next]) {
		t.NumberingRow = rows[next].Num
		t.LastHeader = t.NumberingRow
		next++
	}
	// A header written twice, as import templates do (ASCII keys over the real
	// header), or a second header row that only repeats the first: read below both.
	for next < len(rows) && rows[next].Num == t.LastHeader+1 && d.repeatsBlock(c, rows[next]) {
		t.LastHeader = rows[next].Num
		next++
	}
	samples := sampleRows(rows[next:], 60)

	cols := make([]int, 0, len(c.paths))
	for col := range c.paths {
		cols = append(cols, col)
	}
	sort.Ints(cols)
	headers := map[int]string{}
	for _, col := range cols {
		headers[col] = headerLabel(rows[c.from:c.to], col)
	}
	// Keep only the matches the values bear out.
	kept := map[int]match{}
	var dropped []Unmapped
	for _, col := range cols {
		m, ok := c.cols[col]
		if !ok {
			continue
		}
		if m.loose() && !d.borneOut(m.field, samples, col) {
			dropped = append(dropped, Unmapped{Col: col, Header: headers[col], Reason: "values", Field: m.field})
			continue
		}
		kept[col] = m
	}
	ds := force
	if ds == nil {
		// Trainees listed under a row per course ("I. Lớp Trung cấp LLCT-HC K25") name
		// their course as a title does.
		course = course || slices.ContainsFunc(samples, func(r workbook.Row) bool {
			_, ok := d.words.courseRowText(r)
			return ok
		})
		ds = d.chooseDataset(kept, samples, course)
	}
	if ds == nil {
		return nil
	}
	t.Dataset = ds
	inDS := map[string]bool{}
	for _, f := range ds.Fields {
		inDS[f] = true
	}
	dropped = d.settle(kept, inDS, samples, headers, dropped)
	gone := map[int]bool{}
	for _, u := range dropped {
		gone[u.Col] = true
	}
	for _, col := range c.pinnedOut {
		gone[col] = true
		dropped = append(dropped, Unmapped{Col: col, Header: headers[col], Reason: "pinned"})
	}
	t.assemble(cols, kept, gone, c.paths, headers, inDS, rows[c.from:c.to])
	t.Unmapped = append(t.Unmapped, dropped...)
	sort.SliceStable(t.Unmapped, func(i, j int) bool { return t.Unmapped[i].Col < t.Unmapped[j].Col })
	for _, code := range ds.Required {
		if !mappedIn(t.Columns, code) {
			t.Missing = append(t.Missing, d.cfg.Field(code))
		}
	}
	t.findNumbering(samples)
	for col := range t.numberCols {
		if _, ok := c.paths[col]; !ok {
			t.Unmapped = append(t.Unmapped, Unmapped{Col: col, Reason: "numbering"})
		}
	}
	sort.SliceStable(t.Unmapped, func(i, j int) bool { return t.Unmapped[i].Col < t.Unmapped[j].Col })
	if !t.peopleEvidence(samples) {
		return nil
	}
	last := rows[c.to-1]
	for _, cell := range last.Cells {
		t.headerTexts = append(t.headerTexts, textfold.Key(cellText(cell)))
	}
	for _, col := range cols {
		for _, s := range c.paths[col] {
			t.headerCols[col] = append(t.headerCols[col], textfold.JoinFold(s.words))
		}
	}
	return t
}

// repeatsBlock reports whether a row right below the header names the same fields in
// the same columns as the header (ASCII keys over Vietnamese headers, or the reverse).
func (d *Detector) repeatsBlock(c *candidate, r workbook.Row) bool {
	if dataLike(r) {
		return false
	}
	same, total := 0, 0
	for col, m := range c.cols {
		if m.field == nil {
			continue
		}
		total++
		t := r.Cell(col)
		if t.Kind != workbook.Text {
			continue
		}
		if got, ok := d.matchPath([]seg{{raw: t.Text, words: d.headerWords(t.Text)}}); ok && got.field == m.field {
			same++
		}
	}
	return total >= 2 && same*10 >= total*6
}

// sampleRows returns up to n rows below a header that hold something, for checking
// what the header promises against the values.
func sampleRows(rows []workbook.Row, n int) []workbook.Row {
	var out []workbook.Row
	for _, r := range rows {
		if len(out) == n {
			break
		}
		if len(r.Cells) > 0 {
			out = append(out, r)
		}
	}
	return out
}

// borneOut reports whether the values under a column fit the field a loose header
// match gave it: at least half of the filled cells read as the field's values. A
// column with nothing below keeps its header's word.
func (d *Detector) borneOut(f *schema.Field, samples []workbook.Row, col int) bool {
	if f == nil {
		return true
	}
	filled, fit := 0, 0
	for _, r := range samples {
		c := r.Cell(col)
		if c.Kind == workbook.Blank || c.Merged || strings.TrimSpace(cellText(c)) == "" {
			continue
		}
		filled++
		if d.fits(f, c, nil) {
			fit++
		}
	}
	return filled == 0 || fit*2 >= filled
}

// fits reports whether one cell reads as a value of f. A category value is looked up in
// mc when there is one: Classify asks this of the same few values in every row.
func (d *Detector) fits(f *schema.Field, c workbook.Cell, mc *normalize.MatchCache) bool {
	text := strings.TrimSpace(cellText(c))
	switch f.Type {
	case schema.TypeDate:
		switch c.Kind {
		case workbook.Date:
			return true
		case workbook.Number:
			_, ok := normalize.SerialDate(c.Num, false)
			return ok
		}
		_, _, err := normalize.ParseDateText(text, time.Now())
		return err == nil
	case schema.TypeEnum, schema.TypeOrdinal:
		match := d.norm.MatchField
		if mc != nil {
			match = mc.MatchField
		}
		code, how, none := match(f, text)
		return none || (code != "" && how != normalize.Guessed)
	case schema.TypeBool:
		return c.Kind == workbook.Date || c.Kind == workbook.Bool || d.norm.IsMark(c) && len([]rune(text)) <= 3 ||
			func() bool { _, _, err := normalize.ParseDateText(text, time.Now()); return err == nil }()
	case schema.TypeID:
		return normalize.ParseID(c.Text, c.Kind == workbook.Number, c.Num).Valid
	case schema.TypeNumber:
		if c.Kind == workbook.Number {
			return true
		}
		_, ok := normalize.ParseNumber(text)
		return ok
	case schema.TypeText:
		if f.Code == d.nameField() {
			return d.names.judge(text) != NotName
		}
		return c.Kind == workbook.Text
	}
	return true
}

// nameField is the code of the field holding a person's name.
func (d *Detector) nameField() string { return "ho_ten" }

// chooseDataset picks the dataset the columns are evidence of. Every dataset whose
// identify rules the columns meet is a candidate (only columns that hold values count
// towards them, when there are rows below the header to look at); the one with the most
// columns of its own (fields no other dataset has) holding values wins, the first listed
// on a tie. A roster with an empty "Loại hình đào tạo" column stays a roster. A course
// named in the title ("DANH SÁCH HỌC VIÊN LỚP BỒI DƯỠNG …") counts as one training
// column.
func (d *Detector) chooseDataset(kept map[int]match, samples []workbook.Row, course bool) *schema.Dataset {
	mapped := map[string]bool{}
	withValues := map[string]bool{}
	anyValues := false
	for col, m := range kept {
		if len(m.alts) > 0 {
			continue // "Hình thức" names a field of several datasets: the others choose
		}
		has := hasValues(samples, col)
		anyValues = anyValues || has
		for _, f := range m.fields() {
			mapped[f.Code] = true
			if has {
				withValues[f.Code] = true
			}
		}
	}
	if !anyValues {
		withValues = mapped // nothing below the header yet: the header is all there is
	}
	in := map[string]int{} // field → how many datasets list it
	for _, ds := range d.cfg.Schema.Datasets {
		for _, f := range ds.Fields {
			in[f]++
		}
	}
	courseField := d.cfg.Training.From
	var best *schema.Dataset
	bestScore := -1
	for _, ds := range d.cfg.Schema.Datasets {
		has := withValues
		if course && slices.Contains(ds.Fields, courseField) && !withValues[courseField] {
			has = maps.Clone(withValues)
			has[courseField] = true
		}
		if !identifies(ds, has) {
			continue
		}
		score := 0
		for _, f := range ds.Fields {
			if in[f] == 1 && has[f] {
				score++
			}
		}
		if score > bestScore {
			best, bestScore = ds, score
		}
	}
	return best
}

// settle gives each column whose header names fields of several datasets ("Hình
// thức": the form of study, or the kind of move) the field of the dataset the other
// columns chose. A match by first words must still be borne out by the values below,
// now for the field it settled on; a column that is not is dropped with the others.
func (d *Detector) settle(kept map[int]match, inDS map[string]bool, samples []workbook.Row, headers map[int]string, dropped []Unmapped) []Unmapped {
	for col, m := range kept {
		if len(m.alts) == 0 || inDS[m.field.Code] {
			continue
		}
		i := slices.IndexFunc(m.alts, func(f *schema.Field) bool { return inDS[f.Code] })
		if i < 0 {
			continue
		}
		m.field, m.alts = m.alts[i], nil
		if m.loose() && !d.borneOut(m.field, samples, col) {
			delete(kept, col)
			dropped = append(dropped, Unmapped{Col: col, Header: headers[col], Reason: "values", Field: m.field})
			continue
		}
		kept[col] = m
	}
	return dropped
}

func hasValues(samples []workbook.Row, col int) bool {
	for _, r := range samples {
		if c := r.Cell(col); c.Kind != workbook.Blank && !c.Merged && strings.TrimSpace(cellText(c)) != "" {
			return true
		}
	}
	return false
}

// assemble builds the table's columns for its dataset. A field may span columns:
//
//   - parts side by side ("Họ" | "Tên"; "Ngày" | "Tháng" | "Năm" under "Ngày tháng năm
//     sinh") are read together, and only when every part is there;
//   - one header merged over several columns ("Họ và tên" over B:C) joins the cells of a
//     text field; for any other field the first column holds the value;
//   - sub-columns of one header ("Ngày vào đảng › Kết nạp | Chính thức") are
//     alternatives: the first filled one counts (for yes/no, any).
//
// Any other second column of a field is a duplicate, reported and not read.
func (t *Table) assemble(cols []int, kept map[int]match, dropped map[int]bool, paths map[int][]seg, headers map[int]string,
	inDS map[string]bool, header []workbook.Row) {
	type group struct {
		idx  int // in t.Columns
		last int // the last column in it
	}
	valueOf := map[string]bool{} // fields that have a value column (not a pure mark)
	for _, m := range kept {
		if m.field != nil && m.mark == nil && m.how != Part && fitsDataset(m, inDS) {
			valueOf[m.field.Code] = true
		}
	}
	parts := map[*schema.Field][]int{} // part columns of each field, checked below
	groups := map[string]*group{}
	for _, col := range cols {
		m, ok := kept[col]
		if !ok {
			if !dropped[col] {
				reason, words := reasonNone(paths[col], t.detector)
				t.Unmapped = append(t.Unmapped, Unmapped{Col: col, Header: headers[col], Reason: reason, Words: words})
			}
			continue
		}
		if !fitsDataset(m, inDS) {
			t.Unmapped = append(t.Unmapped, Unmapped{Col: col, Header: headers[col], Reason: "other-dataset", Field: firstField(m)})
			continue
		}
		if m.how == Part {
			parts[m.field] = append(parts[m.field], col)
			continue
		}
		if m.mark != nil && m.field == nil && valueOf[m.mark.Field.Code] {
			// "Nữ" columns where the sheet has a Giới tính column: statistics, not marks.
			t.Unmapped = append(t.Unmapped, Unmapped{Col: col, Header: headers[col], Reason: "mark-with-value", Field: m.mark.Field})
			continue
		}
		key := columnKey(m)
		nc := normalize.Column{Col: col, Header: headers[col], Field: m.field, Mark: m.mark, Split: m.combined,
			YearOnly: m.year, Why: why(m)}
		if g := groups[key]; g != nil {
			prev, gc := paths[g.last], &t.Columns[g.idx]
			switch {
			case col == g.last+1 && samePath(prev, paths[col]) && mergedAcross(header, col):
				if m.field != nil && m.field.Type == schema.TypeText && m.mark == nil {
					gc.Parts = appendPart(gc, col, "")
					gc.Join = normalize.JoinWords
					g.last = col
					continue
				}
				t.Unmapped = append(t.Unmapped, Unmapped{Col: col, Header: headers[col], Reason: "merged", Field: m.field})
				g.last = col
				continue
			case col == g.last+1 && sameParent(prev, paths[col]) && m.mark == nil && m.field != nil:
				gc.Parts = appendPart(gc, col, "")
				gc.Join = alternativeJoin(m.field)
				g.last = col
				continue
			}
			t.Duplicates = append(t.Duplicates, nc)
			continue
		}
		t.Columns = append(t.Columns, nc)
		groups[key] = &group{idx: len(t.Columns) - 1, last: col}
	}
	t.addParts(parts, headers, paths)
	sort.SliceStable(t.Columns, func(i, j int) bool { return t.Columns[i].Col < t.Columns[j].Col })
	for _, nc := range t.Columns {
		if nc.Field != nil || nc.Mark != nil || len(nc.Split) > 0 {
			for _, p := range nc.Cols() {
				t.valueCols[p] = true
			}
		}
		if nc.Field == nil {
			continue
		}
		switch nc.Field.Code {
		case "ho_ten":
			if t.nameCol == 0 {
				t.nameCol = nc.Col
			}
		case "stt":
			t.sttCol = nc.Col
			t.numberCols[nc.Col] = true
		case "don_vi":
			t.unitCol = nc.Col
		}
	}
	for _, nc := range t.Columns {
		for _, f := range nc.Split {
			if f.Code == "ho_ten" && t.nameCol == 0 {
				t.nameCol = nc.Col
			}
		}
	}
}

func appendPart(c *normalize.Column, col int, role string) []normalize.Part {
	if len(c.Parts) == 0 {
		c.Parts = []normalize.Part{{Col: c.Col}}
	}
	return append(c.Parts, normalize.Part{Col: col, Role: role})
}

func alternativeJoin(f *schema.Field) normalize.Join {
	switch f.Type {
	case schema.TypeBool:
		return normalize.JoinAny
	case schema.TypeText:
		return normalize.JoinList
	}
	return normalize.JoinFirst
}

// addParts turns the part columns of each field into one column when every part is
// there, side by side; otherwise the pieces are reported as unmapped.
func (t *Table) addParts(parts map[*schema.Field][]int, headers map[int]string, paths map[int][]seg) {
	for f, cols := range parts {
		sort.Ints(cols)
		roles := map[string]int{}
		adjacent := true
		for i, col := range cols {
			p, _ := t.detector.partOf(paths[col][len(paths[col])-1].words, f, false)
			if p == "" {
				p, _, _ = t.detector.anyPart(paths[col][len(paths[col])-1].words)
			}
			roles[p] = col
			if i > 0 && col != cols[i-1]+1 {
				adjacent = false
			}
		}
		need := len(f.Parts)
		if f.Type == schema.TypeText {
			need = 2
		}
		if !adjacent || len(roles) < need || len(roles) != len(cols) || mappedIn(t.Columns, f.Code) {
			for _, col := range cols {
				t.Unmapped = append(t.Unmapped, Unmapped{Col: col, Header: headers[col], Reason: "parts", Field: f})
			}
			continue
		}
		nc := normalize.Column{Col: cols[0], Field: f, Why: "parts"}
		var labels []string
		for _, col := range cols {
			p, _ := t.detector.partOf(paths[col][len(paths[col])-1].words, f, false)
			if p == "" {
				p, _, _ = t.detector.anyPart(paths[col][len(paths[col])-1].words)
			}
			nc.Parts = append(nc.Parts, normalize.Part{Col: col, Role: p})
			labels = append(labels, headers[col])
		}
		nc.Header = strings.Join(labels, " + ")
		nc.Join = normalize.JoinWords
		if f.Type == schema.TypeDate {
			nc.Join = normalize.JoinDate
		}
		t.Columns = append(t.Columns, nc)
	}
}

func firstField(m match) *schema.Field {
	if fs := m.fields(); len(fs) > 0 {
		return fs[0]
	}
	return nil
}

// reasonNone says why a header with no match names no field: "ignored", with the words,
// when a word of it makes it about something else (an allowance, a parent, an address).
func reasonNone(p []seg, d *Detector) (string, string) {
	for _, s := range p {
		if w := d.ignoredBy(s.words); w != "" {
			return "ignored", w
		}
	}
	if len(p) > 0 {
		leaf := p[len(p)-1].words
		for _, s := range d.loose {
			if len(s.words) < len(leaf) && textfold.WordsPrefix(leaf, s.words) {
				if w := phraseIn(leaf, d.not[s.field]); w != "" {
					return "ignored", w // "Trình độ văn hóa", "Bồi dưỡng chức danh"…
				}
			}
		}
	}
	return "", ""
}

// why is the explanation of a match check prints.
func why(m match) string {
	switch m.how {
	case Exact, Suffix:
		return "exact"
	case Coded:
		return "coded"
	case Mark:
		return "mark"
	case Combined:
		return "combined"
	case Parent:
		return "parent"
	case Prefix:
		return "prefix"
	case Pinned:
		return "pinned"
	}
	return ""
}

func samePath(a, b []seg) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if textfold.JoinFold(a[i].words) != textfold.JoinFold(b[i].words) {
			return false
		}
	}
	return true
}

func sameParent(a, b []seg) bool {
	return len(a) >= 2 && len(a) == len(b) && samePath(a[:len(a)-1], b[:len(b)-1])
}

// mergedAcross reports whether col's header cells are copies of a merged range that
// started to their left: one header over several columns.
func mergedAcross(header []workbook.Row, col int) bool {
	for _, r := range header {
		if c := r.Cell(col); c.Kind == workbook.Text && c.Merged {
			if l := r.Cell(col - 1); l.Kind == workbook.Text && l.Text == c.Text {
				return true
			}
		}
	}
	return false
}

func columnKey(m match) string {
	k := ""
	if m.field != nil {
		k = m.field.Code
	}
	if m.mark != nil {
		k += "/" + m.mark.Field.Code + "=" + m.mark.Code
	}
	for _, f := range m.combined {
		k += "+" + f.Code
	}
	return k
}

func fitsDataset(m match, in map[string]bool) bool {
	for _, f := range m.fields() {
		if !in[f.Code] {
			return false
		}
	}
	return true
}

func identifies(ds *schema.Dataset, mapped map[string]bool) bool {
	for _, f := range ds.IdentifyAll {
		if !mapped[f] {
			return false
		}
	}
	if len(ds.IdentifyAny) > 0 {
		any := false
		for _, f := range ds.IdentifyAny {
			any = any || mapped[f]
		}
		if !any {
			return false
		}
	}
	n := 0
	for _, f := range ds.Fields {
		if mapped[f] {
			n++
		}
	}
	return n >= ds.MinFields
}

func mappedIn(cols []normalize.Column, code string) bool {
	for _, c := range cols {
		if (c.Field != nil && c.Field.Code == code) || (c.Mark != nil && c.Mark.Field.Code == code) {
			return true
		}
		for _, f := range c.Split {
			if f.Code == code {
				return true
			}
		}
	}
	return false
}

// findNumbering marks the columns that number rows: the STT column, and unmapped
// columns left of the name whose values are small whole numbers (a second count that
// restarts in every group). A Roman numeral or "A." in one of them starts a section.
func (t *Table) findNumbering(samples []workbook.Row) {
	if t.nameCol == 0 {
		return
	}
	mapped := map[int]bool{}
	for _, c := range t.Columns {
		for _, p := range c.Cols() {
			mapped[p] = true
		}
	}
	for col := 1; col < t.nameCol; col++ {
		if mapped[col] && col != t.sttCol {
			continue
		}
		filled, nums := 0, 0
		for _, r := range samples {
			c := r.Cell(col)
			if c.Kind == workbook.Blank || c.Merged {
				continue
			}
			filled++
			if c.Kind == workbook.Number && c.Num >= 0 && c.Num < 100000 && c.Num == float64(int64(c.Num)) {
				nums++
			} else if c.Kind == workbook.Text && smallNumberRE.MatchString(strings.TrimSpace(c.Text)) {
				nums++
			}
		}
		if filled > 0 && nums*10 >= filled*6 {
			t.numberCols[col] = true
		}
	}
}

var smallNumberRE = regexp.MustCompile(`^\d{1,5}\.?$`)

// peopleEvidence checks that the rows below hold people: a name column whose texts
// mostly look like people's names. It notes doubts, and rejects a list of
// organisations or headings read through a "Họ và tên"-like header.
func (t *Table) peopleEvidence(samples []workbook.Row) bool {
	if t.nameCol == 0 {
		return true
	}
	// The evidence is the rows that carry a person's facts beside the name (headings
	// carry none); in a list of names only, every named row.
	namesOnly := true
	for _, c := range t.Columns {
		if c.Col != t.nameCol && !t.numberCols[c.Col] && (c.Field == nil || c.Field.Code != "ghi_chu") {
			namesOnly = false
		}
	}
	var verdicts [3]int
	n := 0
	for _, r := range samples {
		c := r.Cell(t.nameCol)
		if c.Kind != workbook.Text || c.Merged {
			continue
		}
		if !namesOnly && t.facts(r).fitting == 0 {
			continue
		}
		if name := t.nameText(r); name != "" {
			verdicts[t.detector.names.judge(name)]++
			n++
		}
	}
	if n >= 5 && verdicts[Name]*10 < n*3 && verdicts[NotName]*2 >= n {
		return false
	}
	if n >= 5 && verdicts[Name]*10 < n*6 {
		t.Doubts = append(t.Doubts, "few-names")
	}
	person := 0
	for _, c := range t.Columns {
		if c.Field != nil && c.Field.Code != "stt" && c.Field.Code != "ho_ten" && c.Field.Code != "ghi_chu" {
			person++
		}
		if c.Mark != nil || len(c.Split) > 0 {
			person++
		}
	}
	if person == 0 {
		t.Doubts = append(t.Doubts, "names-only")
	}
	return true
}

// nameText returns the name a row gives, joined from its parts when the name spans
// columns.
func (t *Table) nameText(r workbook.Row) string {
	for _, c := range t.Columns {
		if c.Col != t.nameCol {
			continue
		}
		var parts []string
		for _, p := range c.Cols() {
			if s := strings.TrimSpace(cellText(r.Cell(p))); s != "" {
				parts = append(parts, s)
			}
		}
		return strings.Join(parts, " ")
	}
	return strings.TrimSpace(cellText(r.Cell(t.nameCol)))
}

// headerLabel joins a column's header texts for display: "Trình độ › Chuyên môn".
func headerLabel(rows []workbook.Row, col int) string {
	var parts []string
	for _, r := range rows {
		t := cellText(r.Cell(col))
		if t != "" && (len(parts) == 0 || parts[len(parts)-1] != t) {
			parts = append(parts, t)
		}
	}
	return strings.Join(parts, " › ")
}

// cutsMerge reports whether the block rows[from:to] starts or ends inside a vertically
// merged header cell ("STT" merged over rows 7–8): a header block never cuts one.
func cutsMerge(rows []workbook.Row, from, to int) bool {
	continues := func(upper, lower workbook.Row) bool {
		if lower.Num != upper.Num+1 {
			return false
		}
		for _, c := range lower.Cells {
			if c.Merged && c.Kind == workbook.Text {
				if u := upper.Cell(c.Col); u.Kind == workbook.Text && u.Text == c.Text {
					return true
				}
			}
		}
		return false
	}
	if from > 0 && continues(rows[from-1], rows[from]) && !bannerRow(rows[from-1]) {
		return true
	}
	return to < len(rows) && continues(rows[to-1], rows[to])
}

// bannerRow reports a row holding one text, merged across: a title, never the top of a
// header the block below must include.
func bannerRow(r workbook.Row) bool {
	text := ""
	for _, c := range r.Cells {
		t := cellText(c)
		if t == "" {
			continue
		}
		if text != "" && t != text {
			return false
		}
		text = t
	}
	return text != ""
}

func hasText(r workbook.Row) bool {
	for _, c := range r.Cells {
		if c.Kind == workbook.Text && strings.TrimSpace(c.Text) != "" {
			return true
		}
	}
	return false
}

var dateTextRE = regexp.MustCompile(`^\s*\d{1,2}\s*[/.\-]\s*\d{1,2}\s*[/.\-]\s*\d{2,4}\s*$`)

// dataLike reports whether a row looks like data rather than header: it holds a date.
func dataLike(r workbook.Row) bool {
	for _, c := range r.Cells {
		if c.Kind == workbook.Date || (c.Kind == workbook.Text && dateTextRE.MatchString(c.Text)) {
			return true
		}
	}
	return false
}

var numberingRE = regexp.MustCompile(`^\(?\s*(\d{1,3}|[a-zA-Z])\s*\)?(\s*=\s*[\d+\-*/() ]+|\s*\(\s*=[^)]*\))?$`)

// isNumbering is numberingRE.MatchString(t), asked of a text cell of every row. Without
// "=" the pattern takes brackets, white space and at most three ASCII letters or
// digits, so a text with any other character or more of them ("Nguyễn Văn An",
// "Chuyen vien") is told apart without running the expression.
func isNumbering(t string) bool {
	if strings.IndexByte(t, '=') < 0 {
		alnum := 0
		for i := 0; i < len(t); i++ {
			switch c := t[i]; {
			case '0' <= c && c <= '9', 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z':
				if alnum++; alnum > 3 {
					return false
				}
			case c == '(', c == ')', c == ' ', c == '\t', c == '\n', c == '\f', c == '\r':
			default:
				return false
			}
		}
	}
	return numberingRE.MatchString(t)
}

// numberingRow recognises the column-number row under an official header: "(1) (2) (3)",
// "A B 1 2 3", "3=4+6+8". At least three cells, nearly all of that shape; letters must
// differ ("S C S C", morning and afternoon under each day, are headers, not numbers).
func (d *Detector) numberingRow(r workbook.Row) bool {
	n, ok := 0, 0
	letters := map[string]int{}
	for _, c := range r.Cells {
		t := cellText(c)
		if t == "" || c.Merged {
			continue
		}
		n++
		t = strings.TrimSpace(t)
		if (c.Kind == workbook.Number && c.Num >= 0 && c.Num < 1000 && c.Num == float64(int(c.Num))) ||
			(c.Kind == workbook.Text && isNumbering(t)) {
			ok++
			if c.Kind == workbook.Text && len(t) == 1 && unicode.IsLetter(rune(t[0])) {
				letters[strings.ToUpper(t)]++
			}
		}
	}
	repeated := 0
	for _, k := range letters {
		repeated += k - 1
	}
	// The numbers must also run: a person's row of small numbers (0, 0, 7, 4.32) is data.
	return n >= 3 && ok*10 >= n*9 && repeated*2 < ok && runs(r)
}

// runs reports whether a row's numbers increase from left to right, as column
// numbers do ("1 2 3 … 23 23 24"): most steps go strictly up. A person's row of flags
// or counts (0, 0, 1, 0 …, however many) does not; letters ("A B") count as running.
func runs(r workbook.Row) bool {
	prev, up, steps := -1.0, 0, 0
	for _, c := range r.Cells {
		if c.Merged {
			continue
		}
		v, ok := -1.0, false
		switch c.Kind {
		case workbook.Number:
			v, ok = c.Num, true
		case workbook.Text:
			s := strings.Trim(strings.TrimSpace(c.Text), "()")
			if x, err := strconv.ParseFloat(s, 64); err == nil {
				v, ok = x, true
			}
		}
		if !ok {
			continue
		}
		if prev >= 0 {
			steps++
			if v > prev {
				up++
			}
		}
		prev = v
	}
	return steps == 0 || up*10 >= steps*7
}

var (
	asOfDateRE = regexp.MustCompile(`(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})`)
	asOfWordRE = regexp.MustCompile(`(\d{1,2})\s+thang\s+(\d{1,2})\s+nam\s+(\d{4})`)
)

// setTitle gives a table what its title block says.
func (t *Table) setTitle(tb Title) {
	t.Unit, t.UnitCell, t.AsOf, t.UnitInTitle, t.Course = tb.Unit, tb.UnitCell, tb.AsOf, tb.InTitle, tb.Course
	// The title says one kind of table and the columns another ("DANH SÁCH CÁN BỘ ĐƯỢC
	// CỬ ĐI ĐÀO TẠO" over the columns of a roster): the columns decide, but canbo says
	// it is not sure, since counting trainees as staff (or staff as trainees) changes
	// every figure.
	if tb.Register != "" && t.Dataset != nil && t.Dataset.Code != tb.Register {
		t.Doubts = append(t.Doubts, "title-"+tb.Register)
	}
}

// CourseHeading returns the course a heading row names ("II. Lớp bồi dưỡng kiến thức
// quốc phòng và an ninh đối tượng 3") when the table is a register with no course
// column: the attendances below it are of that course, until the next such row.
func (t *Table) CourseHeading(r workbook.Row) (string, bool) {
	from := t.detector.cfg.Training.From
	if t.Dataset == nil || !slices.Contains(t.Dataset.Fields, from) {
		return "", false
	}
	for _, c := range t.Columns {
		if c.Field != nil && c.Field.Code == from {
			return "", false
		}
	}
	return t.detector.words.courseRowText(r)
}

// Title is what a sheet's title block says: the unit, the as-of date, the course.
type Title struct {
	Unit     string
	UnitCell [2]int // row, column
	InTitle  bool   // Unit comes from the end of a list title ("DANH SÁCH … TRƯỜNG …")
	AsOf     time.Time
	Course   string // "LỚP BỒI DƯỠNG QLNN …": the course a list of learners attends
	Register string // the dataset the list title names by its words (register_titles), "" if none
}

// TitleBlock reads the unit, the as-of date and a course from title rows. canbo reads
// it above every table, and on sheets that hold no table, so that a workbook whose list
// sheet has no title takes the unit its other sheets name. The last unit line wins; a
// line that only names a part of the unit on an earlier line ("TỈNH ỦY SÓC TRĂNG" over
// "VĂN PHÒNG") is completed by it: "Văn phòng Tỉnh ủy Sóc Trăng". A list title that ends
// with the unit ("DANH SÁCH CÁN BỘ, VIÊN CHỨC TRƯỜNG ĐẠI HỌC …") is used when no line
// names the unit. A title naming a class ("… HỌC VIÊN LỚP BỒI DƯỠNG QLNN NGẠCH CHUYÊN
// VIÊN") gives the course.
func (d *Detector) TitleBlock(rows []workbook.Row) Title {
	var out Title
	parent, parentRow := "", 0 // the last unit line, as written, and its row
	inTitle, inTitleCell := "", [2]int{}
	for _, r := range rows {
		for _, c := range r.Cells {
			if c.Kind != workbook.Text || c.Merged {
				continue
			}
			text := textfold.Clean(c.Text)
			key := textfold.Key(text)
			if out.AsOf.IsZero() && d.words.asOf(key) {
				if at, ok := findDate(text); ok {
					out.AsOf = at
				}
			}
			if name, ok := d.words.unitLine(text, key); ok {
				out.Unit = d.words.unitName(name)
				out.UnitCell = [2]int{r.Num, c.Col}
				if parent != "" && parentRow < r.Num && d.words.dependent(name, parent) {
					out.Unit += " " + d.words.unitName(parent)
					name = name + " " + parent
				}
				parent, parentRow = name, r.Num
				continue
			}
			if inTitle == "" {
				if name, ok := d.words.unitInTitle(text); ok {
					inTitle, inTitleCell = d.words.unitName(name), [2]int{r.Num, c.Col}
				}
			}
			if out.Course == "" {
				out.Course = d.words.course(text)
			}
			if out.Register == "" {
				out.Register = d.words.register(text)
			}
		}
	}
	if out.Unit == "" && inTitle != "" {
		out.Unit, out.UnitCell, out.InTitle = inTitle, inTitleCell, true
	}
	return out
}

// findDate finds "30/09/2023" or "ngày 30 tháng 9 năm 2023" inside a text.
func findDate(text string) (time.Time, bool) {
	if m := asOfDateRE.FindString(text); m != "" {
		if t, q, err := normalize.ParseDateText(m, time.Now()); err == nil && q == normalize.FullDate {
			return t, true
		}
	}
	if m := asOfWordRE.FindStringSubmatch(textfold.Key(text)); m != nil {
		if t, _, err := normalize.ParseDateText(m[1]+"/"+m[2]+"/"+m[3], time.Now()); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// ColumnName is issue.ColumnName, for callers that print columns.
func ColumnName(col int) string { return issue.ColumnName(col) }
