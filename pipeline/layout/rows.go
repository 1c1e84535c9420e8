package layout

import (
	"regexp"
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
	unitPrefixes         []string // lower case with diacritics: "sở" is not "sổ"
	asOfWords            []string // folded
	keepUpper            map[string]string
	lower                []string // lower-case phrases, longest first
}

func newRowWords(l schema.Layout) rowWords {
	w := rowWords{keepUpper: map[string]string{}}
	for _, s := range l.TotalWords {
		w.total = append(w.total, lowerWords(s))
	}
	for _, s := range l.GroupWords {
		w.group = append(w.group, lowerWords(s))
	}
	for _, s := range l.FooterWords {
		w.footer = append(w.footer, lowerWords(s))
	}
	for _, s := range l.UnitPrefixes {
		w.unitPrefixes = append(w.unitPrefixes, lowerWords(s))
	}
	for _, s := range l.AsOfWords {
		w.asOfWords = append(w.asOfWords, textfold.Key(s))
	}
	for _, s := range l.UnitUpper {
		w.keepUpper[strings.ToLower(textfold.Clean(s))] = textfold.Clean(s)
	}
	for _, s := range l.UnitLower {
		w.lower = append(w.lower, strings.ToLower(textfold.Clean(s)))
	}
	return w
}

// lowerWords lower-cases a text, keeps diacritics, and turns punctuation into spaces.
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
	return strings.TrimSpace(b.String())
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

var unitNotRE = regexp.MustCompile(`^(don vi (nhan|tinh)|noi nhan|kinh gui)`)

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

// unitName writes a unit name found in capitals the way reports show it:
// "UBND XÃ NGHĨA TÁ" → "UBND xã Nghĩa Tá". Names already in mixed case are kept.
func (w rowWords) unitName(s string) string {
	s = textfold.Clean(s)
	if !textfold.IsUpper(s) {
		return s
	}
	low := strings.ToLower(s)
	title := cases.Title(language.Vietnamese)
	words := strings.Fields(low)
	out := make([]string, len(words))
	for i := 0; i < len(words); {
		if up, ok := w.keepUpper[words[i]]; ok {
			out[i] = up
			i++
			continue
		}
		n := w.lowerPhrase(words[i:])
		if n > 0 {
			copy(out[i:], words[i:i+n])
			i += n
			continue
		}
		out[i] = title.String(words[i])
		i++
	}
	if len(out) > 0 {
		r := []rune(out[0])
		out[0] = string(unicode.ToUpper(r[0])) + string(r[1:])
	}
	return strings.Join(out, " ")
}

// lowerPhrase returns how many words at the start of ws form a configured lower-case
// phrase ("thị trấn"), longest first, or 0.
func (w rowWords) lowerPhrase(ws []string) int {
	best := 0
	for _, p := range w.lower {
		pw := strings.Fields(p)
		if len(pw) > len(ws) || len(pw) <= best {
			continue
		}
		if strings.Join(ws[:len(pw)], " ") == p {
			best = len(pw)
		}
	}
	return best
}

var (
	romanRE    = regexp.MustCompile(`^(?i)[ivxlc]+\s*[.)]?$|^[A-Za-z]\s*[.)]?$`)
	placeDate  = regexp.MustCompile(`ngày\s*\S*\s*tháng\s*\S*\s*năm`)
	countRE    = regexp.MustCompile(`(\d+)\s*(người|đ/c|đồng chí|cán bộ|lượt)`)
	numberedRE = regexp.MustCompile(`^\d+\s*[.)]\s*`)
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
	if origins == 1 && cells > 1 {
		return Group // one merged cell across the row: a banner such as "Năm 2021"
	}
	if t.repeatsHeader(texts) || (r.Num != t.NumberingRow && t.NumberingRow != 0 && t.detector.numberingRow(r)) {
		return Repeat
	}
	first = numberedRE.ReplaceAllString(first, "")
	if startsWithAny(first, w.total) {
		return Total
	}
	lead := strings.ToLower(textfold.Clean(cellText(r.Cell(firstCol))))
	if values <= 2 && (startsWithAny(first, w.footer) || placeDate.MatchString(lead)) {
		return Footer
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
