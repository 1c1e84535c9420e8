package layout

import (
	"regexp"
	"slices"
	"sort"
	"strings"
	"unicode"

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
	Group              // "I. CÁN BỘ", "Trong đó:", "1. UBND xã Yên Phong"
	Total              // "Tổng cộng", "Cộng", "Tổng số: 19 người"
	Footer             // place and date, "NGƯỜI LẬP BIỂU", signatures: the table has ended
	Repeat             // the header or the column-number row again (a pasted page break)
	Stray              // a lone note that is neither a person nor a heading
)

func (k Kind) String() string {
	return [...]string{"blank", "data", "group", "total", "footer", "repeat", "stray"}[k]
}

// rowWords holds the layout words, lower-cased with their diacritics kept: "Cộng" (a
// total) and "Công chức" (a group) must not meet, which a diacritic-free key would allow.
type rowWords struct {
	total, group, footer []string
	unitPrefixes         []string   // lower case with diacritics: "sở" is not "sổ"
	asOfWords            []string   // folded
	committees           [][]string // unit prefixes ending in "ủy": "tỉnh ủy", "huyện ủy", "đảng ủy"

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

func newRowWords(l schema.Layout) rowWords {
	w := rowWords{}
	for _, s := range l.TotalWords {
		w.total = append(w.total, lowerWords(s))
	}
	for _, s := range l.GroupWords {
		w.group = append(w.group, lowerWords(s))
	}
	for _, s := range l.FooterWords {
		w.footer = append(w.footer, lowerWords(s))
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
	for _, list := range [][][]string{w.committees, w.lower, w.types, w.places} {
		sort.SliceStable(list, func(i, j int) bool { return len(list[i]) > len(list[j]) })
	}
	return w
}

// lowerWords lower-cases a text, keeps diacritics, writes tone marks the new way
// ("uỷ" → "ủy") and turns punctuation into spaces.
func lowerWords(s string) string {
	s = strings.ToLower(textfold.Clean(s))
	var b strings.Builder
	space := true
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
			space = false
		} else if !space {
			b.WriteByte(' ')
			space = true
		}
	}
	words := strings.Fields(b.String())
	for i, w := range words {
		words[i] = newTone(w)
	}
	return strings.Join(words, " ")
}

// oldTone maps the last two letters of a word with the tone mark placed the old way to
// the new way: "uỷ" → "ủy", "hoà" → "hòa". Layout words are written the new way.
var oldTone = func() map[string]string {
	m := map[string]string{}
	for _, g := range []struct{ first, second, old, new string }{
		{"o", "a", "àáảãạ", "òóỏõọ"}, {"o", "e", "èéẻẽẹ", "òóỏõọ"}, {"u", "y", "ỳýỷỹỵ", "ùúủũụ"},
	} {
		old, nw := []rune(g.old), []rune(g.new)
		for i := range old {
			m[g.first+string(old[i])] = string(nw[i]) + g.second
		}
	}
	return m
}()

// newTone rewrites a lower-case word ending in an old-style open syllable; "quý", where
// "qu" is a consonant, is the same both ways.
func newTone(w string) string {
	r := []rune(w)
	if len(r) < 2 || (len(r) >= 3 && r[len(r)-3] == 'q') {
		return w
	}
	if nw, ok := oldTone[string(r[len(r)-2:])]; ok {
		return string(r[:len(r)-2]) + nw
	}
	return w
}

func startsWithAny(s string, list []string) bool {
	for _, w := range list {
		if textfold.HasPrefixWords(s, w) {
			return true
		}
	}
	return false
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

// unitLine reports whether a title-block line names a unit, and returns the name:
// "UBND XÃ NGHĨA TÁ" → itself; "Đơn vị: UBND xã Bằng Phúc" → "UBND xã Bằng Phúc".
func (w rowWords) unitLine(text, key string) (string, bool) {
	if unitNotRE.MatchString(key) {
		return "", false
	}
	if strings.HasPrefix(key, "don vi") {
		i := strings.IndexAny(text, ":：")
		if i < 0 || strings.TrimSpace(text[i+1:]) == "" {
			return "", false
		}
		return strings.TrimSpace(text[i+1:]), true
	}
	if len(key) > 80 {
		return "", false
	}
	lw := lowerWords(text)
	for _, p := range w.unitPrefixes {
		if textfold.HasPrefixWords(lw, p) {
			return text, true
		}
	}
	return "", false
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
		if !field || segment {
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
	return token{text: s, pre: pre, suf: suf, key: newTone(core)}
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
	romanRE   = regexp.MustCompile(`^(?i)[ivxlc]+\s*[.)]?$|^[A-Za-z]\s*[.)]?$`)
	placeDate = regexp.MustCompile(`ngày\s*\S*\s*tháng\s*\S*\s*năm`)
	// placeDateLine is the place and date above the signatures: "Sóc Trăng, ngày 02 tháng 10 năm 2023".
	placeDateLine = regexp.MustCompile(`^([^,]{1,40},\s*)?ngày\s*\S*\s*tháng\s*\S*\s*năm`)
	countRE       = regexp.MustCompile(`(\d+)\s*(người|học viên|đ/c|đồng chí|cán bộ|lượt)`)
	numberedRE    = regexp.MustCompile(`^\d+\s*[.)]\s*`)
)

// Classify says what a row below the header is. It looks only at the row itself, so
// rows can be classified as they stream past.
func (t *Table) Classify(r workbook.Row) Kind {
	w := t.detector.words
	first, firstCol, values, cells, origins := "", 0, 0, 0, 0
	var texts []string
	for _, c := range r.Cells {
		text := cellText(c)
		if strings.TrimSpace(text) == "" {
			continue
		}
		cells++
		if !c.Merged {
			origins++
		}
		if t.valueCols[c.Col] && c.Col != t.sttCol && !c.Merged {
			values++
		}
		if c.Kind == workbook.Text && first == "" && !(c.Col == t.sttCol && romanRE.MatchString(strings.TrimSpace(text))) {
			first, firstCol = lowerWords(text), c.Col
		}
		texts = append(texts, t.detector.headerKey(text))
	}
	if cells == 0 {
		return Blank
	}
	banner := origins == 1 && cells > 1 // one merged cell: "Năm 2021", but also "Tổng số: 67 đồng chí"
	if !banner && (t.repeatsHeader(texts) || (r.Num != t.NumberingRow && t.NumberingRow != 0 && t.detector.numberingRow(r))) {
		return Repeat
	}
	first = numberedRE.ReplaceAllString(first, "")
	if startsWithAny(first, w.total) {
		return Total
	}
	lead := strings.ToLower(textfold.Clean(cellText(r.Cell(firstCol))))
	// A signature cell merged over a few columns ends the table; a banner across most of
	// the row that starts with a title ("GIÁM ĐỐC, PHÓ GIÁM ĐỐC") is a group heading.
	// A date inside a wide banner ends the table only as the "Sóc Trăng, ngày … tháng …
	// năm …" line, not as part of a heading ("Lớp khai giảng ngày 5 tháng 3 năm 2021").
	wide := banner && cells*2 >= len(t.headerTexts)
	dated := placeDate.MatchString(lead)
	if wide {
		dated = placeDateLine.MatchString(lead)
	}
	if values <= 2 && (dated || (startsWithAny(first, w.footer) && !wide)) {
		return Footer
	}
	if banner {
		return Group
	}
	name := textfold.Clean(cellText(r.Cell(t.nameCol)))
	stt := strings.TrimSpace(cellText(r.Cell(t.sttCol)))
	others := values
	if name != "" && t.valueCols[t.nameCol] {
		others--
	}
	if t.unitCol != 0 && cellText(r.Cell(t.unitCol)) != "" {
		others--
	}
	if others <= 0 {
		switch {
		case stt != "" && romanRE.MatchString(stt):
			return Group
		case name == "" && first != "":
			return Group // a heading written outside the name column
		case name != "" && (textfold.IsUpper(name) || strings.HasSuffix(name, ":") ||
			startsWithAny(lowerWords(name), w.group) || strings.HasPrefix(name, "-")):
			return Group
		}
	}
	if name != "" || others >= 2 {
		return Data
	}
	return Stray
}

// repeatsHeader reports whether a row is the header's last row again.
func (t *Table) repeatsHeader(texts []string) bool {
	if len(texts) < 3 || len(texts) != len(t.headerTexts) {
		return false
	}
	for i := range texts {
		if texts[i] != t.headerTexts[i] {
			return false
		}
	}
	return true
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
