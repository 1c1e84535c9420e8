// Package layout finds the tables inside a sheet as people really lay them out: title
// block, merged multi-row header, column-number row, group, total and footer rows,
// sections of people who left, a second table further down.
//
// A header is found by scoring blocks of up to max_header_rows consecutive rows near
// the top: each column's header path (the distinct texts from top to bottom of the
// block, merged cells already expanded by the reader) is matched against the schema's
// headers, and the block that recognises the most fields wins, the smallest block on a
// tie. For the sheet
//
//	row 7:  STT | Họ và tên | Ngày tháng năm sinh       | Trình độ
//	row 8:  STT | Họ và tên | Nam        | Nữ           | Chuyên môn | LLCT
//	row 9:  (1) | (2)       | (3)        | (4)          | (5)        | (6)
//
// Detect returns header rows [7 8], drops row 9, and maps C to ngay_sinh with
// gioi_tinh = nam, D to ngay_sinh with gioi_tinh = nu, E to trinh_do_chuyen_mon and F
// to ly_luan_chinh_tri. A header leaf that is a vocabulary value of its parent's field
// ("Trình độ chuyên môn / Đại học") makes a mark column: an "x" below it sets the value.
//
// Matching never guesses from a fragment (header.go): a header names a field when it is
// one of the field's headers (diacritics, where typed, must agree: "Năm" is not "Nam"),
// when it is a coded export header without spaces ("hoten", "trinhdocmkt"), or when it
// starts with one and contains no word that makes it about something else ("PC chức vụ"
// is an allowance). A match by first words must also be borne out by the values below.
package layout

import (
	"slices"
	"sort"
	"strings"
	"unicode"

	"canbo/pipeline/normalize"
	"canbo/pipeline/schema"
	"canbo/pipeline/textfold"
	"canbo/pipeline/workbook"
)

// Detector holds the configuration folded for matching. Build it once with New; it is
// safe for concurrent use.
type Detector struct {
	cfg    *schema.Config
	norm   *normalize.Normalizer
	abbrev map[string][]textfold.Word // folded abbreviation → its expansion, in headers
	exact  map[string][]synonym       // folded header → the synonyms that fold to it
	// headWords is the first word of every key of exact and abbrev: a cell whose key
	// starts otherwise is neither (mayBeHeader), found without folding it whole.
	headWords map[string]bool
	compact   map[string][]synonym    // the same without spaces, for coded headers ("hoten")
	loose     []synonym               // every synonym, longest first, for matches by first words
	parts     map[string][]partHeader // folded part header ("họ", "ngày") → the parts it names
	// periods: folded header of one column holding a whole period ("thời gian học") →
	// its start and end fields, read as a combined column.
	periods    map[string][]*schema.Field
	periodHead map[string]bool   // first folded word of every period header: most headers are not, found without folding them again
	ignore     [][]textfold.Word // header_ignore phrases
	not        map[*schema.Field][][]textfold.Word
	markable   []*schema.Field // enum fields that may appear as lone mark columns
	words      rowWords
	names      nameRules
}

// synonym is one configured header of a field.
type synonym struct {
	words []textfold.Word
	field *schema.Field
	year  bool   // a year_headers entry: the column holds years only
	text  string // as configured, for explanations
}

// partHeader is one configured header of a field's part.
type partHeader struct {
	words []textfold.Word
	field *schema.Field
	part  string
}

// New folds the schema's headers and the layout words.
func New(n *normalize.Normalizer) *Detector {
	cfg := n.Config()
	d := &Detector{cfg: cfg, norm: n, abbrev: map[string][]textfold.Word{}, exact: map[string][]synonym{},
		compact: map[string][]synonym{}, parts: map[string][]partHeader{}, not: map[*schema.Field][][]textfold.Word{},
		periods: map[string][]*schema.Field{}, periodHead: map[string]bool{}}
	for _, m := range []map[string]string{cfg.Schema.ValueAbbreviations, cfg.Schema.Abbreviations} {
		for k, v := range m {
			d.abbrev[textfold.Key(k)] = textfold.Words(v)
		}
	}
	for _, f := range cfg.Schema.Fields {
		add := func(h string, year bool) {
			ws := d.headerWords(h)
			if len(ws) == 0 {
				return
			}
			s := synonym{words: ws, field: f, year: year, text: h}
			key := textfold.JoinFold(ws)
			d.exact[key] = append(d.exact[key], s)
			d.loose = append(d.loose, s)
			for _, c := range d.codedForms(ws) {
				d.compact[c] = append(d.compact[c], s)
			}
		}
		for _, h := range append([]string{f.Label}, f.Headers...) {
			add(h, false)
		}
		for _, h := range f.YearHeaders {
			add(h, true)
		}
		for _, p := range f.Parts {
			for _, h := range p.Headers {
				ws := d.headerWords(h)
				key := textfold.JoinFold(ws)
				d.parts[key] = append(d.parts[key], partHeader{words: ws, field: f, part: p.Part})
			}
		}
		for _, h := range f.NotHeaders {
			d.not[f] = append(d.not[f], d.headerWords(h))
		}
		if f.Period != nil {
			if to := cfg.Field(f.Period.To); to != nil {
				for _, h := range f.Period.Headers {
					ws := d.headerWords(h)
					if len(ws) > 0 {
						d.periods[textfold.JoinFold(ws)] = []*schema.Field{f, to}
						d.periodHead[ws[0].Fold] = true
					}
				}
			}
		}
		if f.Unmarked != "" {
			d.markable = append(d.markable, f)
		}
	}
	sort.SliceStable(d.loose, func(i, j int) bool { return len(d.loose[i].words) > len(d.loose[j].words) })
	for _, h := range cfg.Schema.HeaderIgnore {
		d.ignore = append(d.ignore, d.headerWords(h))
	}
	d.words = newRowWords(cfg.Layout)
	d.names = newNameRules(cfg.Layout, n.StripTitle)
	d.headWords = map[string]bool{}
	for k := range d.exact {
		w, _, _ := strings.Cut(k, " ")
		d.headWords[w] = true
	}
	for k := range d.abbrev {
		w, _, _ := strings.Cut(k, " ")
		d.headWords[w] = true
	}
	return d
}

// headerWords splits a header into words and expands abbreviations: "TĐCM" → "trình độ
// chuyên môn", "Số CCCD" → "số căn cước công dân". Letters written one per line ("S\nT\nT")
// are read as one word first. An abbreviation typed with diacritics must have them: "TĐ"
// and "TD" both expand to "trình độ", but only as whole words.
func (d *Detector) headerWords(s string) []textfold.Word {
	ws := textfold.Words(s)
	if len(ws) > 1 && allSingleLetters(ws) {
		var f, m strings.Builder
		for _, w := range ws {
			f.WriteString(w.Fold)
			m.WriteString(w.Marks)
		}
		ws = []textfold.Word{{Fold: f.String(), Marks: m.String()}}
	}
	var out []textfold.Word
	for _, w := range ws {
		if e, ok := d.abbrev[w.Fold]; ok {
			out = append(out, e...)
			continue
		}
		out = append(out, w)
	}
	return out
}

func allSingleLetters(ws []textfold.Word) bool {
	for _, w := range ws {
		if len([]rune(w.Fold)) != 1 || !unicode.IsLetter([]rune(w.Fold)[0]) {
			return false
		}
	}
	return true
}

// codedForms returns the keys without spaces under which software exports write a
// synonym: "họ tên" → "hoten"; with each abbreviation put back for the words it expands
// to: "trình độ chuyên môn kỹ thuật" → also "trinhdocmkt".
func (d *Detector) codedForms(ws []textfold.Word) []string {
	fold := make([]string, len(ws))
	for i, w := range ws {
		fold[i] = w.Fold
	}
	out := []string{strings.Join(fold, "")}
	for abbr, exp := range d.abbrev {
		n := len(exp)
		for i := 0; i+n <= len(fold); i++ {
			if textfold.JoinFold(exp) == strings.Join(fold[i:i+n], " ") {
				out = append(out, strings.Join(fold[:i], "")+strings.ReplaceAll(abbr, " ", "")+strings.Join(fold[i+n:], ""))
			}
		}
	}
	return out
}

// seg is one distinct text of a column's header path.
type seg struct {
	raw   string
	words []textfold.Word
}

// How says how a column's header was understood; check prints it.
type How int

const (
	NoMatch  How = iota
	Exact        // the header is one of the field's headers
	Coded        // a coded export header without spaces: "hoten", "trinhdocmkt"
	Suffix       // the last headers of a nested path together: "Năm › sinh"
	Mark         // a vocabulary value under its field ("Trình độ › Đại học"), or a lone "Nữ"
	Part         // one piece of a field over several columns ("Họ" | "Tên")
	Combined     // two fields in one column: "Họ và tên / Năm sinh"
	Parent       // a sub-column of a field's header: "Ngày vào đảng › Kết nạp"
	Prefix       // the header starts with one of the field's headers
	Pinned       // layouts.yaml says so
)

// match is how one column's header path was understood.
type match struct {
	field    *schema.Field   // value read from the cell
	mark     *normalize.Mark // filled cell sets this code
	part     string          // the part of field this column holds, for Part
	combined []*schema.Field // the fields of a Combined column, in header order
	year     bool            // the header promises years only ("Năm sinh")
	how      How
	syn      string // the configured header it matched, for explanations
	// alts are the other fields the same header names, in other datasets: a plain
	// "Hình thức" is the form of study in a training register and the kind of move
	// in a movements register. The sheet's other columns choose (Table.settle).
	alts []*schema.Field
}

func (m match) fields() []*schema.Field {
	var out []*schema.Field
	if m.field != nil {
		out = append(out, m.field)
	}
	if m.mark != nil && m.mark.Field != m.field {
		out = append(out, m.mark.Field)
	}
	out = append(out, m.combined...)
	return out
}

// loose reports whether the match needs the values below to bear it out.
func (m match) loose() bool { return m.how == Prefix || m.how == Parent }

// matchPath interprets a header path, top to bottom.
func (d *Detector) matchPath(segs []seg) (match, bool) {
	n := len(segs)
	if n == 0 {
		return match{}, false
	}
	// A parent that is about something else ("Cha › Tên", "Phụ cấp › Chức vụ")
	// makes the whole column about it.
	for _, s := range segs[:n-1] {
		if d.ignored(s.words) {
			return match{}, false
		}
	}
	leaf := segs[n-1]
	var parent *synonym
	if n > 1 {
		if p, how := d.matchField(segs[:n-1], false); how != NoMatch {
			parent = &p
		}
	}
	if parent != nil {
		// Under a field's header the leaf is a value of it (a mark column), a part of
		// it, or the sex of the person whose date it is. Spellings with exactly the
		// typed diacritics are tried first: "Nam" is the sex, not a "năm" typed bare.
		for _, strict := range []bool{true, false} {
			if m, ok := d.underParent(parent, leaf, strict); ok {
				return m, true
			}
		}
	}
	if s, how := d.matchField(segs, false); how != NoMatch {
		return match{field: s.field, alts: d.others(s), year: s.year, how: how, syn: s.text}, true
	}
	if n == 1 {
		if p, f, ok := d.anyPart(leaf.words); ok {
			return match{field: f, part: p, how: Part, syn: leaf.raw}, true
		}
	}
	// One column for a whole period ("Thời gian học": "Từ 03/2021 đến 06/2021"):
	// its dates are split into the start and end fields, like a combined column.
	if n == 1 && len(leaf.words) > 0 && d.periodHead[leaf.words[0].Fold] {
		for _, ws := range readings(leaf.raw, d) {
			if fs := d.periods[textfold.JoinFold(ws)]; fs != nil {
				return match{combined: fs, how: Combined, syn: leaf.raw}, true
			}
		}
	}
	if fs := d.combined(leaf.raw); len(fs) > 1 {
		return match{combined: fs, how: Combined, syn: leaf.raw}, true
	}
	// A sub-column of a date or yes/no field ("Ngày vào đảng › Kết nạp | Chính thức"),
	// or of a category field when its values say so (checked by the caller).
	if parent != nil {
		switch parent.field.Type {
		case schema.TypeDate, schema.TypeBool, schema.TypeEnum, schema.TypeOrdinal:
			return match{field: parent.field, how: Parent, syn: parent.text}, true
		}
	}
	if s, ok := d.prefixOf(leaf.words); ok {
		return match{field: s.field, alts: d.others(s), year: s.year, how: Prefix, syn: s.text}, true
	}
	// A lone "Nữ" column with an "x" for each woman; never under a parent that is not
	// a field ("Tốt nghiệp THCS › Nữ" counts, it marks nobody).
	if n == 1 {
		for _, g := range d.markable {
			if code := d.norm.Matcher(g.Vocabulary).MatchHeader(leaf.raw); code != "" {
				return match{mark: &normalize.Mark{Field: g, Code: code}, how: Mark, syn: leaf.raw}, true
			}
		}
	}
	return match{}, false
}

// underParent reads a leaf under a parent header that names a field.
func (d *Detector) underParent(parent *synonym, leaf seg, strict bool) (match, bool) {
	pf := parent.field
	value := func(m *normalize.Matcher) string {
		if strict {
			return m.MatchHeaderStrict(leaf.raw)
		}
		return m.MatchHeader(leaf.raw)
	}
	// A leaf that is a value of its parent's field: a mark column.
	if m := d.norm.FieldMatcher(pf); m != nil && pf.Type != schema.TypeBool {
		if code := value(m); code != "" {
			return match{mark: &normalize.Mark{Field: pf, Code: code}, how: Mark, syn: parent.text}, true
		}
	}
	// A date written under "Nam" or "Nữ": the column is the date, the leaf the sex.
	// Under "Năm sinh" it holds years only, as the parent promises.
	for _, g := range d.markable {
		if g == pf {
			continue
		}
		if code := value(d.norm.Matcher(g.Vocabulary)); code != "" {
			return match{field: pf, mark: &normalize.Mark{Field: g, Code: code}, how: Mark, syn: parent.text, year: parent.year}, true
		}
	}
	// A part of the parent's field: "Ngày tháng năm sinh › Ngày | Tháng | Năm".
	if p, ok := d.partOf(leaf.words, pf, strict); ok {
		return match{field: pf, part: p, how: Part, syn: parent.text}, true
	}
	return match{}, false
}

// matchField finds the field a header path names exactly: the leaf alone (or one of its
// readings without or inside brackets), then the leaf with its parents ("Năm › sinh"),
// then a coded header. With loose, it also tries a match by the leaf's first words.
func (d *Detector) matchField(segs []seg, loose bool) (synonym, How) {
	n := len(segs)
	leaf := segs[n-1]
	for _, ws := range readings(leaf.raw, d) {
		if s, ok := d.exactOf(ws); ok {
			return s, Exact
		}
	}
	for s := 2; s <= n; s++ {
		var ws []textfold.Word
		for _, sg := range segs[n-s:] {
			ws = append(ws, sg.words...)
		}
		if syn, ok := d.exactOf(ws); ok {
			return syn, Suffix
		}
	}
	if syn, ok := d.codedOf(leaf.raw); ok {
		return syn, Coded
	}
	if loose {
		if syn, ok := d.prefixOf(leaf.words); ok {
			return syn, Prefix
		}
	}
	return synonym{}, NoMatch
}

// others lists the fields other than s's that a synonym with the same words names
// (schema.yaml gives one header to fields of different datasets).
func (d *Detector) others(s synonym) []*schema.Field {
	var out []*schema.Field
	for _, o := range d.exact[textfold.JoinFold(s.words)] {
		if o.field != s.field && !slices.Contains(out, o.field) && textfold.WordsMatch(o.words, s.words) {
			out = append(out, o.field)
		}
	}
	return out
}

func (d *Detector) exactOf(ws []textfold.Word) (synonym, bool) {
	for _, s := range d.exact[textfold.JoinFold(ws)] {
		if textfold.WordsMatch(ws, s.words) {
			return s, true
		}
	}
	return synonym{}, false
}

// codedOf matches a header written as one ASCII token, as software exports do:
// "hoten", "HOTEN", "ngaysinh", "trinhdocmkt".
func (d *Detector) codedOf(raw string) (synonym, bool) {
	t := strings.TrimSpace(raw)
	if len(t) < 4 {
		return synonym{}, false
	}
	for _, r := range t {
		if r > unicode.MaxASCII || !(unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_') {
			return synonym{}, false
		}
	}
	if strings.Contains(t, "_") {
		return synonym{}, false // "ho_ten" folds to words and matches as such
	}
	if ss := d.compact[strings.ToLower(t)]; len(ss) > 0 {
		return ss[0], true
	}
	return synonym{}, false
}

// prefixOf finds the longest synonym the header starts with, unless a word of the
// header makes it about something else (header_ignore, or the field's not_headers).
func (d *Detector) prefixOf(ws []textfold.Word) (synonym, bool) {
	if d.ignored(ws) {
		return synonym{}, false
	}
	for _, s := range d.loose {
		if len(s.words) < len(ws) && textfold.WordsPrefix(ws, s.words) && !containsAny(ws, d.not[s.field]) {
			return s, true
		}
	}
	return synonym{}, false
}

func (d *Detector) ignored(ws []textfold.Word) bool { return containsAny(ws, d.ignore) }

// ignoredBy returns the header_ignore phrase a header contains, "" if none.
func (d *Detector) ignoredBy(ws []textfold.Word) string { return phraseIn(ws, d.ignore) }

// containsAny reports whether one of the phrases occurs in ws as whole words.
func containsAny(ws []textfold.Word, phrases [][]textfold.Word) bool {
	return phraseIn(ws, phrases) != ""
}

// phraseIn returns the first of the phrases that occurs in ws as whole words, written
// as configured, or "".
func phraseIn(ws []textfold.Word, phrases [][]textfold.Word) string {
	for _, p := range phrases {
		for i := 0; i+len(p) <= len(ws); i++ {
			if textfold.WordsPrefix(ws[i:], p) {
				marks := make([]string, len(p))
				for j, w := range p {
					marks[j] = w.Marks
				}
				return strings.Join(marks, " ")
			}
		}
	}
	return ""
}

// partOf returns the part of field f a leaf names ("Ngày", "Tên"); strict asks for the
// diacritics exactly as typed.
func (d *Detector) partOf(ws []textfold.Word, f *schema.Field, strict bool) (string, bool) {
	for _, p := range d.parts[textfold.JoinFold(ws)] {
		if p.field != f {
			continue
		}
		if (strict && textfold.WordsEqual(ws, p.words)) || (!strict && textfold.WordsMatch(ws, p.words)) {
			return p.part, true
		}
	}
	return "", false
}

// anyPart returns the part a header names without a parent: "Họ" | "Tên" side by side.
// Only text fields' parts stand alone: "Ngày" alone is not a day of birth.
func (d *Detector) anyPart(ws []textfold.Word) (string, *schema.Field, bool) {
	for _, p := range d.parts[textfold.JoinFold(ws)] {
		if p.field.Type == schema.TypeText && textfold.WordsMatch(ws, p.words) {
			return p.part, p.field, true
		}
	}
	return "", nil, false
}

// combined reads a header naming two or more fields at once, joined by "/", ",", ";"
// or a line break: "HỌ VÀ TÊN\nNăm sinh", "Dân tộc, tôn giáo". Each piece must be one
// of a field's headers exactly, and the fields must differ.
func (d *Detector) combined(raw string) []*schema.Field {
	pieces := strings.FieldsFunc(raw, func(r rune) bool { return r == '/' || r == ',' || r == ';' || r == '\n' })
	if len(pieces) < 2 {
		return nil
	}
	var out []*schema.Field
	seen := map[*schema.Field]bool{}
	for _, p := range pieces {
		s, ok := d.exactOf(d.headerWords(p))
		if !ok || seen[s.field] {
			return nil
		}
		seen[s.field] = true
		out = append(out, s.field)
	}
	return out
}

// readings lists the ways a header may be read: as written, without its bracketed
// parts, and each bracketed part alone: "Ngày Sinh (d/m/Y)" → "Ngày Sinh"; "Phòng (Đơn
// Vị)" → "Phòng", then "Đơn Vị".
func readings(raw string, d *Detector) [][]textfold.Word {
	out := [][]textfold.Word{d.headerWords(raw)}
	if !strings.ContainsAny(raw, "([") {
		return out
	}
	var base strings.Builder
	var inner []string
	depth, start := 0, 0
	for i, r := range raw {
		switch r {
		case '(', '[':
			if depth == 0 {
				start = i + 1
			}
			depth++
		case ')', ']':
			if depth > 0 {
				depth--
				if depth == 0 {
					inner = append(inner, raw[start:i])
				}
			}
		default:
			if depth == 0 {
				base.WriteRune(r)
			}
		}
	}
	if ws := d.headerWords(base.String()); len(ws) > 0 {
		out = append(out, ws)
	}
	for _, s := range inner {
		if ws := d.headerWords(s); len(ws) > 0 {
			out = append(out, ws)
		}
	}
	return out
}

// cellText returns the text a header cell shows; numbers and dates in a header block
// are shown too, since column-number rows and years are part of real headers.
func cellText(c workbook.Cell) string {
	switch c.Kind {
	case workbook.Text:
		return textfold.Clean(c.Text)
	case workbook.Number, workbook.Bool, workbook.ErrorValue:
		return c.Text
	case workbook.Date:
		return c.Time.Format("02/01/2006")
	}
	return ""
}

// paths builds each column's header path over rows[from:to].
func (d *Detector) paths(rows []workbook.Row, from, to int) map[int][]seg {
	out := map[int][]seg{}
	for _, r := range rows[from:to] {
		for _, c := range r.Cells {
			if c.Kind != workbook.Text {
				continue
			}
			ws := d.headerWords(c.Text)
			if len(ws) == 0 {
				continue
			}
			p := out[c.Col]
			if len(p) > 0 && textfold.JoinFold(p[len(p)-1].words) == textfold.JoinFold(ws) {
				continue // a vertical merge repeats the same text
			}
			out[c.Col] = append(p, seg{raw: c.Text, words: ws})
		}
	}
	return out
}

// candidate is one header block and what it maps.
type candidate struct {
	from, to  int // indexes into the buffered rows, to exclusive
	cols      map[int]match
	paths     map[int][]seg
	score     int   // see evaluate
	pinnedOut []int // columns a pin says are not read
}

func (d *Detector) evaluate(rows []workbook.Row, from, to int) candidate {
	c := candidate{from: from, to: to, cols: map[int]match{}, paths: d.paths(rows, from, to)}
	distinct := map[*schema.Field]bool{}
	for col, p := range c.paths {
		if m, ok := d.matchPath(p); ok {
			c.cols[col] = m
			for _, f := range m.fields() {
				distinct[f] = true
			}
		}
	}
	// Distinct fields first; then mapped columns, so "Trình độ chuyên môn / Thạc sĩ |
	// Đại học" (one field, several mark columns) beats its parent row alone.
	c.score = len(distinct)*1000 + len(c.cols)
	return c
}
