package layout

import (
	"regexp"
	"slices"
	"sort"
	"strings"
	"unicode"

	"canbo/pipeline/normalize"

	"golang.org/x/text/cases"
	"golang.org/x/text/language"

	"canbo/pipeline/schema"
	"canbo/pipeline/textfold"
	"canbo/pipeline/workbook"
)

// Kind is what a row below the header is.
type Kind int

const (
	Blank  Kind = iota // nothing in it; the list goes on below
	Data               // a person or an attendance
	Group              // "I. CÁN BỘ", "Trong đó:", "Phòng Tổ chức cán bộ": a heading, not a person
	Total              // "Tổng cộng", "Cộng", "Tổng số: 19 người"
	Footer             // place and date, "NGƯỜI LẬP BIỂU", signatures: the table has ended
	Repeat             // the header or the column-number row again (a pasted page break)
	Stray              // neither a person nor a heading (a note, a lone word): reported, not counted
	Header             // the header of another table: this table has ended
)

func (k Kind) String() string {
	return [...]string{"blank", "data", "group", "total", "footer", "repeat", "stray", "header"}[k]
}

// rowWords holds the layout words, lower-cased with their diacritics kept: "Cộng" (a
// total) and "Công chức" (a group) must not meet, which a diacritic-free key would allow.
type rowWords struct {
	total, group, footer []string
	totalWords           []string            // the first words of total (mayBeTotal)
	unitPrefixes         []string            // lower case with diacritics: "sở" is not "sổ"
	asOfWords            []string            // folded
	committees           [][]string          // unit prefixes ending in "ủy": "tỉnh ủy", "huyện ủy", "đảng ủy"
	leavers              []string            // section titles of people who left: "giảm biên chế"
	notUnit              []string            // title lines that are never the unit: "ban hành kèm theo"
	listTitles           []string            // titles that may end with the unit: "danh sách"
	listPeople           [][]string          // the people such a title names first: "cán bộ", "viên chức"
	courseWords          []string            // title words a course name follows: "lớp", "khóa học"
	registerTitles       map[string][]string // dataset → list-title words naming it ("cử đi", "luân chuyển")
	inTitle              [][]string          // where a unit name starts inside a list title: unit prefixes and place levels

	// Unit-name spelling, phrases as lower-case words, longest first (see unitName).
	fixed  []spelled  // unit_keep_upper: written exactly as configured ("UBND", "Tỉnh ủy")
	lower  [][]string // unit_lower: written in lower case ("xã", "thị trấn", "và", "sở")
	types  [][]string // unit_lower ∩ unit_prefixes: a unit type followed by its field ("sở", "văn phòng")
	places [][]string // the other unit_lower phrases: a place level followed by a proper name ("xã", "huyện")
}

// spelled is a fixed spelling: the lower-case words it matches and how it is written.
type spelled struct {
	key, out []string
}

// connector joins two fields of a unit name: "Sở Kế hoạch và Đầu tư".
const connector = "và"

// lowerAll is lowerWords of every phrase of a list.
func lowerAll(list []string) []string {
	out := make([]string, 0, len(list))
	for _, s := range list {
		out = append(out, lowerWords(s))
	}
	return out
}

func newRowWords(l schema.Layout) rowWords {
	w := rowWords{total: lowerAll(l.TotalWords), group: lowerAll(l.GroupWords), footer: lowerAll(l.FooterWords),
		leavers: lowerAll(l.LeaverWords), notUnit: lowerAll(l.NotUnitLines), listTitles: lowerAll(l.ListTitles),
		courseWords: lowerAll(l.CourseWords), registerTitles: map[string][]string{}}
	for ds, ws := range l.RegisterTitles {
		w.registerTitles[ds] = lowerAll(ws)
	}
	prefix := map[string]bool{}
	for _, s := range l.UnitPrefixes {
		p := lowerWords(s)
		w.unitPrefixes = append(w.unitPrefixes, p)
		prefix[p] = true
		if strings.HasSuffix(p, " ủy") {
			w.committees = append(w.committees, strings.Fields(p))
		}
	}
	for _, s := range l.AsOfWords {
		w.asOfWords = append(w.asOfWords, textfold.Key(s))
	}
	sort.SliceStable(w.courseWords, func(i, j int) bool { return len(w.courseWords[i]) > len(w.courseWords[j]) })
	for _, s := range l.ListPeople {
		if ws := strings.Fields(lowerWords(s)); len(ws) > 0 {
			w.listPeople = append(w.listPeople, ws)
		}
	}
	for _, s := range append(append([]string{}, l.UnitPrefixes...), l.UnitLower...) {
		if ws := strings.Fields(lowerWords(s)); len(ws) > 0 && lowerWords(s) != connector {
			w.inTitle = append(w.inTitle, ws)
		}
	}
	for _, s := range l.UnitUpper {
		if key := strings.Fields(lowerWords(s)); len(key) > 0 {
			w.fixed = append(w.fixed, spelled{key: key, out: strings.Fields(textfold.Clean(s))})
		}
	}
	for _, s := range l.UnitLower {
		p := lowerWords(s)
		words := strings.Fields(p)
		if len(words) == 0 {
			continue
		}
		w.lower = append(w.lower, words)
		switch {
		case prefix[p]:
			w.types = append(w.types, words)
		case p != connector:
			w.places = append(w.places, words)
		}
	}
	sort.SliceStable(w.fixed, func(i, j int) bool { return len(w.fixed[i].key) > len(w.fixed[j].key) })
	for _, list := range [][][]string{w.committees, w.lower, w.types, w.places, w.inTitle, w.listPeople} {
		sort.SliceStable(list, func(i, j int) bool { return len(list[i]) > len(list[j]) })
	}
	w.totalWords = textfold.FirstWords(w.total)
	return w
}

// lowerWords is textfold.Lower: lower case, diacritics kept, tone marks the new way.
func lowerWords(s string) string { return textfold.Lower(s) }

func startsWithAny(s string, list []string) bool {
	for _, w := range list {
		if textfold.HasPrefixWords(s, w) {
			return true
		}
	}
	return false
}

// isTotal reports whether a row's first text starts a totals row: "Tổng cộng", "Cộng:
// 20 người", "Tổng số". A one-word total word followed by another word is a heading
// ("Tổng hợp thống kê", "Cộng tác viên"), not a total.
func (w rowWords) isTotal(first string) bool {
	for _, t := range w.total {
		if !textfold.HasPrefixWords(first, t) {
			continue
		}
		rest := strings.Fields(first[len(t):])
		if strings.Contains(t, " ") || len(rest) == 0 || !unicode.IsLetter([]rune(rest[0])[0]) {
			return true
		}
	}
	return false
}

// mayBeTotal reports whether a first text, as written, may start a totals row: false
// when its first word in Lower form (textfold.AppendFirstLower) is no total word's
// first word, which isTotal would then find too.
func (w rowWords) mayBeTotal(text string) bool {
	in, ok := textfold.FirstLowerIn(text, w.totalWords)
	return in || !ok
}

func (w rowWords) asOf(key string) bool {
	for _, a := range w.asOfWords {
		if textfold.HasWords(key, a) {
			return true
		}
	}
	return false
}

// unitNotRE: lines that start like a unit but are not one: addressees, units of measure,
// and the Party bodies that group people rather than employ them ("HUYỆN ỦY VIÊN",
// "BAN THƯỜNG VỤ HUYỆN ỦY", "BAN CHẤP HÀNH ĐẢNG BỘ" as group headings).
var unitNotRE = regexp.MustCompile(`^(don vi (nhan|tinh)|noi nhan|kinh gui|(tinh|huyen|thi|thanh|dang) uy vien|ban thuong vu|ban chap hanh)( |$)`)

// placeholderRE: a blank left in a form, "Phòng……… UBND xã…………": not a name.
var placeholderRE = regexp.MustCompile(`[.…_]{3,}|…`)

// unitLabelRE: a line that labels the unit, "Đơn vị: …", "Tên đơn vị: …", "Cơ quan: …".
var unitLabelRE = regexp.MustCompile(`^(ten )?(don vi|co quan|co quan don vi|don vi bao cao)( cong tac)?$`)

// unitLine reports whether a title-block line names a unit, and returns the name:
// "UBND XÃ NGHĨA TÁ" → itself; "Đơn vị: UBND xã Bằng Phúc" → "UBND xã Bằng Phúc".
// A form reference ("Ban hành kèm theo Thông tư …", "Mẫu số 01") and a blank form line
// ("Phòng……… UBND xã……") never name the unit.
func (w rowWords) unitLine(text, key string) (string, bool) {
	if unitNotRE.MatchString(key) || placeholderRE.MatchString(text) {
		return "", false
	}
	lw := lowerWords(strings.TrimLeft(text, "(["))
	if startsWithAny(lw, w.notUnit) {
		return "", false
	}
	if i := strings.IndexAny(text, ":："); i > 0 {
		if unitLabelRE.MatchString(textfold.Key(text[:i])) {
			name := strings.TrimSpace(text[i+len(string([]rune(text[i:])[0])):])
			return name, name != ""
		}
	}
	if len(key) > 80 {
		return "", false
	}
	for _, p := range w.unitPrefixes {
		if textfold.HasPrefixWords(lw, p) {
			return text, true
		}
	}
	return "", false
}

// unitInTitle finds a unit named at the end of a list title: "DANH SÁCH CÁN BỘ, VIÊN
// CHỨC TRƯỜNG ĐẠI HỌC CÔNG NGHỆ GIAO THÔNG VẬN TẢI" → "TRƯỜNG ĐẠI HỌC CÔNG NGHỆ GIAO
// THÔNG VẬN TẢI". The title must read: a list word (list_titles), the people listed
// (list_people: "cán bộ", "viên chức", "trích ngang"…), then a unit word or place level
// ("trường", "sở", "xã"); the name runs from there to the end, or to a bracket. A unit
// word inside another word ("quốc phòng", "cán bộ") is never taken for one.
func (w rowWords) unitInTitle(text string) (string, bool) {
	if placeholderRE.MatchString(text) {
		return "", false
	}
	if i := strings.IndexAny(text, "(["); i > 0 {
		text = text[:i]
	}
	toks := strings.Fields(text)
	var keys []string // the words of the title, and the token each starts at
	var at []int
	for i, t := range toks {
		for _, k := range strings.Fields(lowerWords(t)) {
			keys = append(keys, k)
			at = append(at, i)
		}
	}
	i := 0
	for _, lt := range w.listTitles {
		if n := len(strings.Fields(lt)); n <= len(keys) && strings.Join(keys[:n], " ") == lt {
			i = n
			break
		}
	}
	if i == 0 {
		return "", false
	}
	for i < len(keys) {
		n := phraseAt(w.listPeople, keys[i:])
		if n == 0 {
			break
		}
		i += n
	}
	if i >= len(keys) {
		return "", false
	}
	n := phraseAt(w.inTitle, keys[i:])
	if n == 0 || len(keys)-i <= n {
		return "", false
	}
	name := strings.Join(toks[at[i]:], " ")
	if loc := periodRE.FindStringIndex(name); loc != nil {
		name = name[:loc[0]]
	}
	name = strings.TrimSpace(strings.Trim(name, ",;:-–"))
	if unitNotRE.MatchString(textfold.Key(name)) {
		return "", false
	}
	return name, true
}

// register returns the dataset a list title names by its words ("DANH SÁCH CÁN BỘ
// ĐƯỢC CỬ ĐI ĐÀO TẠO …" → training), "" when it names none or more than one. Only a
// list title (list_titles) is looked at: a unit line never says what the table is.
func (w rowWords) register(text string) string {
	key := " " + lowerWords(text) + " "
	if !startsWithAny(strings.TrimSpace(key), w.listTitles) {
		return ""
	}
	found := ""
	for ds, words := range w.registerTitles {
		for _, word := range words {
			if strings.Contains(key, " "+word+" ") {
				if found != "" && found != ds {
					return ""
				}
				found = ds
				break
			}
		}
	}
	return found
}

// courseHeading reports whether a heading row's text names a course: it starts with a
// course word ("Lớp …", "Khóa học …") and goes on ("I. Lớp Trung cấp LLCT-HC K25"), as
// in a list of trainees grouped by the course they attend.
func (w rowWords) courseHeading(text string) bool {
	ws := strings.Fields(lowerWords(text))
	for _, cw := range w.courseWords {
		n := len(strings.Fields(cw))
		if len(ws) > n+1 && strings.Join(ws[:n], " ") == cw {
			return true
		}
	}
	return false
}

// courseRowText returns the text of a row that holds one heading naming a course,
// beside at most a numbering cell ("I", "1."): "Lớp bồi dưỡng QLNN ngạch chuyên viên".
func (w rowWords) courseRowText(r workbook.Row) (string, bool) {
	text := ""
	for _, c := range r.Cells {
		if c.Merged || c.Kind == workbook.Blank {
			continue
		}
		t := strings.TrimSpace(cellText(c))
		switch {
		case t == "":
		case romanRE.MatchString(t) || isNumbering(t):
		case text != "":
			return "", false
		default:
			text = t
		}
	}
	if text == "" || !w.courseHeading(text) {
		return "", false
	}
	return textfold.Clean(text), true
}

// periodRE finds the period a list title ends with after its unit: "… XÃ NẬM KHÁNH NĂM
// 2023", "… GIAI ĐOẠN 2021-2025", "… QUÝ III/2023", "… ĐỢT 2 NĂM 2023". A period word
// must be followed by a number (Arabic or Roman), so "Năm Căn" stays a name.
var periodRE = regexp.MustCompile(`(?i)\s+(năm|giai đoạn|quý|đợt|tháng|học kỳ|niên khóa|6 tháng đầu năm|6 tháng cuối năm)\s+([0-9]|[ivx]+\b)`)

// course finds the course a title names: the words after "lớp" or "khóa học"
// (course_words) up to a bracket, a semicolon or the end: "DANH SÁCH HỌC VIÊN LỚP BỒI
// DƯỠNG QLNN NGẠCH CHUYÊN VIÊN" → "BỒI DƯỠNG QLNN NGẠCH CHUYÊN VIÊN".
func (w rowWords) course(text string) string {
	if placeholderRE.MatchString(text) || len(w.courseWords) == 0 {
		return ""
	}
	toks := strings.Fields(text)
	for i := range toks {
		rest := strings.Fields(lowerWords(strings.Join(toks[i:], " ")))
		for _, cw := range w.courseWords {
			n := len(strings.Fields(cw))
			if n > len(rest) || strings.Join(rest[:n], " ") != cw || lowerWords(toks[i]) != strings.Fields(cw)[0] {
				continue
			}
			name := strings.Join(toks[i+n:], " ")
			if j := strings.IndexAny(name, "(;["); j >= 0 {
				name = name[:j]
			}
			name = strings.TrimSpace(strings.Trim(strings.TrimSpace(name), ":,-–"))
			if len(strings.Fields(name)) >= 2 {
				return name
			}
		}
	}
	return ""
}

func nonEmpty(ws []string) []string {
	out := make([]string, 0, len(ws))
	for _, w := range ws {
		out = append(out, strings.Fields(w)...)
	}
	return out
}

// leaver reports whether a section title opens a list of people who left: "Giảm biên
// chế", "II. Đã nghỉ hưu", "Chuyển công tác".
func (w rowWords) leaver(title string) bool {
	return startsWithAny(lowerWords(sectionMarkRE.ReplaceAllString(title, "")), w.leavers)
}

// dependent reports whether a title-block unit line only names a part of the unit on the
// line above it: "TỈNH ỦY SÓC TRĂNG" over "VĂN PHÒNG" or "BAN TỔ CHỨC" means "Văn phòng
// Tỉnh ủy Sóc Trăng". A line is such a part when it names no committee and no place of
// its own, and either the line above is a Party committee (whose offices are named after
// it) or the line is a bare unit type ("VĂN PHÒNG" under "UBND TỈNH SÓC TRĂNG").
func (w rowWords) dependent(line, parent string) bool {
	lw, pw := strings.Fields(lowerWords(line)), strings.Fields(lowerWords(parent))
	for i := range lw {
		if phraseAt(w.committees, lw[i:]) > 0 || phraseAt(w.places, lw[i:]) > 0 {
			return false
		}
	}
	if n := phraseAt(w.types, lw); n > 0 && n == len(lw) {
		return true
	}
	return phraseAt(w.committees, pw) > 0
}

// phraseAt returns how many words at the start of ws form one of the phrases (longest
// first), or 0.
func phraseAt(phrases [][]string, ws []string) int {
	for _, p := range phrases {
		if len(p) <= len(ws) && slices.Equal(ws[:len(p)], p) {
			return len(p)
		}
	}
	return 0
}

// unitName writes a unit name found in capitals the way official documents write it:
//
//	UBND XÃ NGHĨA TÁ        → UBND xã Nghĩa Tá        (unit_keep_upper, a place, a proper name)
//	HUYỆN ỦY KẾ SÁCH        → Huyện ủy Kế Sách        (a fixed spelling, then a proper name)
//	SỞ NỘI VỤ               → Sở Nội vụ               (a unit type, then its field)
//	VĂN PHÒNG TỈNH ỦY       → Văn phòng Tỉnh ủy
//	SỞ KẾ HOẠCH VÀ ĐẦU TƯ   → Sở Kế hoạch và Đầu tư   (each field after "và", "," or "-")
//
// Fixed spellings (unit_keep_upper) are written as configured; the other unit_lower
// phrases are written in lower case. After a unit type (a unit_lower phrase that is also a
// unit prefix: sở, phòng, ban, văn phòng…) comes its field, of which only the first word
// is capitalised; after a place level (xã, huyện, tỉnh…) or a committee comes a proper
// name, every word capitalised. Names already in mixed case are kept.
func (w rowWords) unitName(s string) string {
	s = textfold.Clean(s)
	if !textfold.IsUpper(s) {
		return s
	}
	title := cases.Title(language.Vietnamese)
	var toks []token
	orig := strings.Fields(s)
	for _, f := range strings.Fields(strings.ToLower(s)) {
		toks = append(toks, newToken(f))
	}
	keys := make([]string, len(toks))
	for i, t := range toks {
		keys[i] = t.key
	}
	// at returns how many tokens from i a phrase of the given length covers, if no
	// punctuation breaks it ("tỉnh, ủy" is not "tỉnh ủy").
	at := func(i, n int) int {
		for j := i; j < i+n; j++ {
			if (j > i && toks[j].pre != "") || (j < i+n-1 && toks[j].suf != "") {
				return 0
			}
		}
		return n
	}
	out := make([]string, 0, len(toks))
	field, segment := false, false // inside a field name; at the start of one of its parts
	for i := 0; i < len(toks); {
		if f, ok := w.fixedAt(keys[i:]); ok && at(i, len(f.key)) > 0 {
			n := len(f.key)
			spelled := slices.Clone(f.out)
			spelled[0] = toks[i].pre + spelled[0]
			spelled[len(spelled)-1] += toks[i+n-1].suf
			out = append(out, spelled...)
			i += n
			field, segment = false, false
			continue
		}
		if n := at(i, phraseAt(w.types, keys[i:])); n > 0 {
			for _, t := range toks[i : i+n] {
				out = append(out, t.text)
			}
			i += n
			field, segment = true, true
			continue
		}
		if n := at(i, phraseAt(w.lower, keys[i:])); n > 0 {
			for _, t := range toks[i : i+n] {
				out = append(out, t.text)
			}
			if field && n == 1 && keys[i] == connector {
				segment = true
			} else {
				field = false
			}
			i += n
			continue
		}
		t := toks[i]
		word := t.text
		switch {
		case acronym(orig[i]):
			word = orig[i] // "GDNN-GDTX", "CNTT", "XI"
		case !field || segment:
			word = title.String(word)
		}
		out = append(out, word)
		segment = t.key == "" || strings.ContainsAny(t.suf, ",;") // a new part after "," or "-"
		i++
	}
	if len(out) > 0 {
		r := []rune(out[0])
		out[0] = string(unicode.ToUpper(r[0])) + string(r[1:])
	}
	return strings.Join(out, " ")
}

var romanNumeralRE = regexp.MustCompile(`^[IVXLC]+$`)

// acronym reports whether a word of a name in capitals is an abbreviation or a Roman
// numeral, kept in capitals: "GDNN-GDTX" and "CNTT" have no vowel, "XI" numbers a
// region. Parts joined by "-" or "/" are looked at one by one.
func acronym(w string) bool {
	parts := strings.FieldsFunc(strings.Trim(w, ".,;:()"), func(r rune) bool { return r == '-' || r == '/' || r == '&' })
	if len(parts) == 0 {
		return false
	}
	for _, p := range parts {
		if romanNumeralRE.MatchString(p) && len(p) <= 4 {
			continue
		}
		if len([]rune(p)) < 2 || strings.ContainsAny(textfold.Key(p), "aeiouy") {
			return false
		}
	}
	return true
}

// token is one space-separated word of a unit name: its text, the punctuation around it,
// and the key it is matched by (lower case, tone marks the new way).
type token struct {
	text, pre, suf, key string
}

func newToken(s string) token {
	notWord := func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }
	core := strings.TrimLeftFunc(s, notWord)
	pre := s[:len(s)-len(core)]
	core = strings.TrimRightFunc(core, notWord)
	suf := s[len(pre)+len(core):]
	return token{text: s, pre: pre, suf: suf, key: textfold.NewTone(core)}
}

// fixedAt returns the fixed spelling at the start of ws, longest first.
func (w rowWords) fixedAt(ws []string) (spelled, bool) {
	for _, f := range w.fixed {
		if len(f.key) <= len(ws) && slices.Equal(ws[:len(f.key)], f.key) {
			return f, true
		}
	}
	return spelled{}, false
}

var (
	romanRE   = regexp.MustCompile(`^(?i)[ivxlc]+\s*[.)]?$|^[A-Za-z]\s*[.)]?$|^(?i)[ivxlc]+\.\d+\.?$`)
	placeDate = regexp.MustCompile(`ngày\s*\S*\s*tháng\s*\S*\s*năm`)
	// placeDateLine is the place and date above the signatures: "Sóc Trăng, ngày 02 tháng 10 năm 2023".
	placeDateLine = regexp.MustCompile(`^([^,]{1,40},\s*)?ngày\s*\S*\s*tháng\s*\S*\s*năm`)
	countRE       = regexp.MustCompile(`(\d+)\s*(người|học viên|đ/c|đồng chí|cán bộ|lượt)`)
	numberedRE    = regexp.MustCompile(`^\d+\s*[.)]\s*`)
)

// rowFacts is what Classify reads off a row.
type rowFacts struct {
	cells, origins int
	fitting        int // value columns (not the name, unit, number or note) holding a value that fits them, up to 3
	// firstText is the first text with a letter or a digit (numbering kept out), as
	// written: Classify lowers it (lowerWords) only when it needs to, since most
	// rows are people and their first text, the name, starts with no total word.
	// firstCol is its column (or, when no text has a letter, the last text's).
	firstText string
	hasFirst  bool
	firstCol  int
}

// first returns the first text in Lower form ("" when the row has none).
func (f rowFacts) first() string {
	if !f.hasFirst {
		return ""
	}
	return lowerWords(f.firstText)
}

// hasWordRune reports whether Lower(s) is not empty: s has a letter or a digit.
func hasWordRune(s string) bool {
	return strings.IndexFunc(s, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) >= 0
}

func (t *Table) facts(r workbook.Row) rowFacts {
	var f rowFacts
	d := t.detector
	for _, c := range r.Cells {
		if strings.TrimSpace(c.Text) == "" && c.Kind != workbook.Date {
			continue
		}
		f.cells++
		if !c.Merged {
			f.origins++
		}
		if c.Kind == workbook.Text && !f.hasFirst && !(t.numberCols[c.Col] && romanRE.MatchString(strings.TrimSpace(c.Text))) {
			f.firstText, f.firstCol, f.hasFirst = c.Text, c.Col, hasWordRune(c.Text)
		}
	}
	// Count the values that fit their columns, up to three: Classify asks no more.
	for _, col := range t.Columns {
		if f.fitting == 3 {
			break
		}
		if col.Col == t.nameCol || col.Col == t.unitCol || t.numberCols[col.Col] ||
			(col.Field != nil && (col.Field.Code == "ghi_chu" || col.Field.Code == "stt")) {
			continue
		}
		for _, p := range col.Cols() {
			c := r.Cell(p)
			if c.Merged || c.Kind == workbook.Blank || strings.TrimSpace(c.Text) == "" && c.Kind != workbook.Date {
				continue
			}
			switch {
			case col.Mark != nil && col.Field == nil:
				if d.norm.IsMark(c) {
					f.fitting++
				}
			case len(col.Split) > 0 || len(col.Parts) > 0 && col.Join == normalize.JoinDate:
				f.fitting++
			case col.Field != nil && col.Field.Type == schema.TypeText:
				// Any text fits a text column, except the column's own header written
				// again or its number "(4)" (a header repeated at a page break is no
				// person).
				if c.Kind == workbook.Text && !isNumbering(strings.TrimSpace(c.Text)) &&
					!keyIn(c.Text, t.headerCols[p]) {
					f.fitting++
				}
			case col.Field != nil && d.fits(col.Field, c, t.matchCache()):
				f.fitting++
			}
			break
		}
	}
	return f
}

// matchCache returns the table's cache of category values, made on first use.
func (t *Table) matchCache() *normalize.MatchCache {
	if t.match == nil {
		t.match = t.detector.norm.NewMatchCache()
	}
	return t.match
}

// keyIn reports whether the key of s is one of keys. The key is folded on the stack:
// Classify asks this of cells of every row.
func keyIn(s string, keys []string) bool {
	var buf [128]byte
	return hasKey(textfold.AppendKey(buf[:0], s), keys)
}

// hasKey reports whether the folded key k is one of keys.
func hasKey(k []byte, keys []string) bool {
	for _, h := range keys {
		if string(k) == h {
			return true
		}
	}
	return false
}

// Classify says what a row below the header is. It looks only at the row itself, so
// rows can be classified as they stream past.
//
// A row is a person only on evidence: a value that fits its column (a date of birth, a
// sex, a position…), or, when the name is all the row has, a name that looks like a
// person's (family name first, no heading words, no numbering). A heading written in
// the name column ("Phòng Tổ chức cán bộ", "I | Nghiệp vụ", a name merged across the
// row) is a group; a row that is neither is Stray, reported and not counted.
func (t *Table) Classify(r workbook.Row) Kind {
	w := t.detector.words
	f := t.facts(r)
	if f.cells == 0 {
		return Blank
	}
	banner := f.origins == 1 && f.cells > 1 // one merged cell: "Năm 2021", but also "Tổng số: 67 đồng chí"
	// A header, repeated or new, holds no value that fits its column.
	if !banner && f.fitting == 0 && (t.repeatsHeader(r) || (r.Num != t.NumberingRow && t.NumberingRow != 0 && t.detector.numberingRow(r))) {
		return Repeat
	}
	if !banner && t.mayBeHeader(r) && t.newHeader(r) {
		return Header
	}
	// The first text in Lower form, for the totals, the footer (fitting <= 2) and the
	// rows with nothing that fits: a person's row needs it only when its first word
	// may start a total.
	var first string
	if f.fitting <= 2 || w.mayBeTotal(f.firstText) {
		first = f.first()
	}
	if strings.ContainsAny(first, ".)") { // never so today: Lower turns punctuation into spaces
		first = numberedRE.ReplaceAllString(first, "")
	}
	if w.isTotal(first) {
		return Total
	}
	// A signature cell merged over a few columns ends the table; a banner across most of
	// the row that starts with a title ("GIÁM ĐỐC, PHÓ GIÁM ĐỐC") is a group heading.
	// A date inside a wide banner ends the table only as the "Sóc Trăng, ngày … tháng …
	// năm …" line, not as part of a heading ("Lớp khai giảng ngày 5 tháng 3 năm 2021").
	if f.fitting <= 2 && t.footer(r, f, banner, first) {
		return Footer
	}
	if banner {
		return Group
	}
	name := textfold.Clean(t.nameText(r))
	nameCell := r.Cell(t.nameCol)
	if t.sectionNumbered(r) && f.fitting == 0 {
		return Group
	}
	if f.fitting == 0 {
		switch {
		case name == "" && first != "":
			if len(strings.Fields(first)) > 12 {
				return Stray // a note written outside the name column
			}
			return Group // a heading written outside the name column
		case name == "" && !hasText(r):
			return Total // counts with no label: the statistics under a list
		case name == "":
			return Stray
		case nameCell.Merged || t.mergedAcross(r):
			return Group // a heading merged over the name and the columns beside it
		}
		switch t.detector.names.judge(name) {
		case Name:
			return Data
		case NotName:
			if len(strings.Fields(name)) > 12 {
				return Stray
			}
			return Group
		}
		if t.sttCol != 0 && smallNumberRE.MatchString(strings.TrimSpace(cellText(r.Cell(t.sttCol)))) {
			return Data // numbered like the people around it
		}
		return Stray
	}
	if name != "" || f.fitting >= 2 {
		return Data
	}
	return Stray
}

// footer reports whether a row with few fitting values ends the table: a place and
// date line, or a footer word ("NGƯỜI LẬP BIỂU") outside a wide banner. It is asked
// only of such rows, as it reads the first text again and runs two patterns over it.
func (t *Table) footer(r workbook.Row, f rowFacts, banner bool, first string) bool {
	lead := strings.ToLower(textfold.Clean(cellText(r.Cell(f.firstCol))))
	wide := banner && f.cells*2 >= len(t.headerTexts)
	dated := placeDate.MatchString(lead)
	if wide {
		dated = placeDateLine.MatchString(lead)
	}
	return dated || (startsWithAny(first, t.detector.words.footer) && !wide)
}

// sectionNumbered reports a row numbered as a section in a numbering column: a Roman
// numeral, a letter, "I.1", "II.2".
func (t *Table) sectionNumbered(r workbook.Row) bool {
	for col := range t.numberCols {
		c := r.Cell(col)
		if c.Kind == workbook.Text && romanRE.MatchString(strings.TrimSpace(c.Text)) {
			return true
		}
	}
	return false
}

// mergedAcross reports whether the name cell starts a range merged over the columns to
// its right: a heading, since a person's name is never merged over the position.
func (t *Table) mergedAcross(r workbook.Row) bool {
	if t.nameCol == 0 {
		return false
	}
	c, next := r.Cell(t.nameCol), r.Cell(t.nameCol+1)
	return c.Kind == workbook.Text && next.Merged && next.Text == c.Text && !t.partOfName(t.nameCol+1)
}

func (t *Table) partOfName(col int) bool {
	for _, c := range t.Columns {
		if c.Col == t.nameCol {
			return slices.Contains(c.Cols(), col)
		}
	}
	return false
}

// repeatsHeader reports whether a row is a row of the header again: its texts (the
// cells with a key) are the texts of the header's last row, or at least three of them
// and seven in ten stand where the same header texts stand. Folding every cell of every
// row to find out was a good part of reading a sheet, so the cells are folded one at a
// time, on the stack, and the look stops at the first cell after which neither can hold.
func (t *Table) repeatsHeader(r workbook.Row) bool {
	var buf [128]byte
	same := true    // the texts so far are the header's last row
	other := false  // a text stands in a column the header does not have: another table
	hits, n := 0, 0 // texts standing under the same header text; texts
	for i, c := range r.Cells {
		k := textfold.AppendKey(buf[:0], cellText(c))
		if len(k) == 0 {
			continue
		}
		same = same && n < len(t.headerTexts) && string(k) == t.headerTexts[n]
		n++
		switch {
		case hasKey(k, t.headerCols[c.Col]):
			hits++
		case len(t.headerCols[c.Col]) == 0:
			other = true
		}
		// The rest of the row, all texts under their own headers, could not bring the
		// share up to seven in ten.
		rest := len(r.Cells) - i - 1
		if !same && (other || hits*10+rest*3 < n*7) {
			return false
		}
	}
	if same && n >= 3 && n == len(t.headerTexts) {
		return true
	}
	return !other && n >= 3 && hits*10 >= n*7
}

// mayBeHeader is newHeader's cheap first look: some cell folds to a configured header.
// A cell is folded whole only when its first word starts a header (headWords): a
// person's cells almost never do, and folding every one was most of this look.
func (t *Table) mayBeHeader(r workbook.Row) bool {
	var buf [128]byte // keys are folded here, for map look-ups that allocate nothing
	for _, c := range r.Cells {
		if c.Kind != workbook.Text || c.Merged || len(c.Text) > 80 {
			continue
		}
		if !t.detector.headWords[string(textfold.AppendKeyWord(buf[:0], c.Text))] {
			continue
		}
		k := textfold.AppendKey(buf[:0], c.Text)
		if _, ok := t.detector.exact[string(k)]; ok {
			return true
		}
		if _, ok := t.detector.abbrev[string(k)]; ok {
			return true
		}
	}
	return false
}

// newHeader reports whether a row is the header of another table: a cell that is
// exactly a header of the name field ("Họ và tên"), or cells naming two or more fields
// exactly. A person's name is never "Họ và tên".
func (t *Table) newHeader(r workbook.Row) bool {
	if dataLike(r) {
		return false
	}
	d := t.detector
	fields := map[*schema.Field]bool{}
	for _, c := range r.Cells {
		if c.Kind != workbook.Text || c.Merged {
			continue
		}
		s, how := d.matchField([]seg{{raw: c.Text, words: d.headerWords(c.Text)}}, false)
		if how != Exact && how != Coded {
			continue
		}
		if s.field.Code == d.nameField() {
			return true
		}
		if s.field.Code != "stt" {
			fields[s.field] = true
		}
	}
	return len(fields) >= 2
}

// Section is a heading row's title and standing: a level-1 heading (a banner across
// the table, or numbered I, II, A) or a level-2 one, and whether the people under it
// left ("Giảm biên chế", "Đã nghỉ hưu", "Chuyển công tác").
type Section struct {
	Title  string
	Level  int
	Leaver bool
}

// SectionOf describes a heading row (a Group row, or a title row above a table).
func (t *Table) SectionOf(r workbook.Row) Section {
	return t.detector.SectionOf(r, t.numberCols)
}

// SectionOf describes a heading row found outside any table.
func (d *Detector) SectionOf(r workbook.Row, numberCols map[int]bool) Section {
	s := Section{Level: 2}
	texts, origins := 0, 0
	for _, c := range r.Cells {
		text := strings.TrimSpace(cellText(c))
		if text == "" {
			continue
		}
		texts++
		if !c.Merged {
			origins++
		}
		if c.Kind == workbook.Text && numberCols[c.Col] && romanRE.MatchString(text) {
			s.Level = 1
			continue
		}
		if s.Title == "" && c.Kind == workbook.Text {
			s.Title = textfold.Clean(c.Text)
		}
	}
	if origins == 1 && texts > 2 {
		s.Level = 1
	}
	if m := sectionMarkRE.FindString(s.Title); m != "" && romanRE.MatchString(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(m), "."))+".") {
		s.Level = 1
	}
	s.Leaver = d.words.leaver(s.Title)
	return s
}

// GroupUnit returns the unit a group row names ("1. UBND xã Yên Phong"), if any, so
// the persons below it belong to that unit.
func (t *Table) GroupUnit(r workbook.Row) (string, bool) {
	for _, c := range r.Cells {
		if c.Kind != workbook.Text || c.Merged || c.Col == t.sttCol {
			continue
		}
		text := numberedRE.ReplaceAllString(textfold.Clean(c.Text), "")
		key := textfold.Key(text)
		if key == "" || strings.HasPrefix(key, "don vi") {
			continue
		}
		if name, ok := t.detector.words.unitLine(text, key); ok {
			return t.detector.words.unitName(name), true
		}
		return "", false
	}
	return "", false
}

// TotalCount returns N from a totals row that says "Tổng số: N người", if it does.
func TotalCount(r workbook.Row) (int, bool) {
	for _, c := range r.Cells {
		if c.Kind != workbook.Text {
			continue
		}
		if m := countRE.FindStringSubmatch(strings.ToLower(textfold.Clean(c.Text))); m != nil {
			n := 0
			for _, d := range m[1] {
				n = n*10 + int(d-'0')
			}
			return n, true
		}
	}
	return 0, false
}

// UnitColumn returns the column that names each row's unit, 0 if none.
func (t *Table) UnitColumn() int { return t.unitCol }

// NameColumn returns the column of the person's name, 0 if none.
func (t *Table) NameColumn() int { return t.nameCol }

// StrayCell returns the cell to point at for a row that is not counted: the name cell,
// else the first cell with text.
func (t *Table) StrayCell(r workbook.Row) (int, string) {
	if t.nameCol != 0 {
		if s := t.nameText(r); s != "" {
			return t.nameCol, s
		}
	}
	for _, c := range r.Cells {
		if s := strings.TrimSpace(cellText(c)); s != "" {
			return c.Col, s
		}
	}
	return 0, ""
}
