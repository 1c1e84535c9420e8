package vnlegacy

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// FontEncoding tells from a font name which encoding text in it was typed in: TCVN3 for
// the ABC fonts (".VnTime", ".VnArial", "VNtime" without the dot…), VNI for the VNI
// fonts ("VNI-Times", "VNI-Helve"…), Unicode for anything else. caps reports a TCVN3
// capital font (".VnTimeH", ".VnArialH"), which shows every letter as a capital.
// Names are compared without regard to case.
func FontEncoding(name string) (enc Encoding, caps bool) {
	n := strings.TrimSpace(name)
	if len(n) < 3 {
		return Unicode, false
	}
	// Quick rejection of the usual Unicode fonts (Times New Roman, Calibri, Arial…).
	switch n[0] {
	case '.', 'v', 'V':
	default:
		return Unicode, false
	}
	l := strings.ToLower(n)
	dot := strings.HasPrefix(l, ".")
	l = strings.TrimPrefix(l, ".")
	switch {
	case !strings.HasPrefix(l, "vn"):
		return Unicode, false
	case strings.HasPrefix(l, "vni") && !dot && (len(l) == 3 || strings.ContainsRune("-_ ", rune(l[3])) || knownFamily(l[3:])):
		return VNI, false
	case dot || knownFamily(strings.TrimLeft(l[2:], " -_")):
		return TCVN3, n[len(n)-1] == 'H' || capsNames[l]
	}
	return Unicode, false
}

// knownFamily reports whether the rest of a "Vn…" font name is one of the ABC or VNI
// families, so "VnTime" and "VNtimes new roman" count but an unrelated "VNPT Sans" not.
func knownFamily(rest string) bool {
	for _, f := range []string{"time", "arial", "helve", "avant", "book", "century", "courier", "free", "black",
		"cooper", "universe", "clarendon", "linus", "shelley", "souvenir", "bodoni", "aptima", "garam", "palatin"} {
		if strings.HasPrefix(rest, f) {
			return true
		}
	}
	return false
}

// capsNames are capital fonts whose name may be written in lowercase.
var capsNames = map[string]bool{"vntimeh": true, "vnarialh": true, "vnhelvetinsh": true, "vnavanth": true,
	"vnfreeh": true, "vnblackh": true, "vncooperh": true, "vnuniverseh": true, "vnclarendonh": true,
	"vnbook-antiquah": true, "vncenturyschoolbookh": true, "vncourier newh": true}

// HasUnicodeVietnamese reports whether s holds a Vietnamese letter that only Unicode has:
// ă đ ĩ ũ ơ ư and the letters of U+1EA0–U+1EF9 (either case), or a combining tone mark.
// TCVN3 and VNI text never does, so such a cell is Unicode whatever its font says.
func HasUnicodeVietnamese(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0xC4 { // every rune in question is encoded from 0xC4 on
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if unicodeViet(r) {
			return true
		}
		i += n - 1
	}
	return false
}

func unicodeViet(r rune) bool {
	switch {
	case r >= 0x1EA0 && r <= 0x1EF9:
		return true
	case r < 0x102 || r > 0x323:
		return false
	}
	switch r {
	case 'Ă', 'ă', 'Đ', 'đ', 'Ĩ', 'ĩ', 'Ũ', 'ũ', 'Ơ', 'ơ', 'Ư', 'ư',
		'\u0300', '\u0301', '\u0302', '\u0303', '\u0306', '\u0309', '\u031B', '\u0323':
		return true
	}
	return false
}

// HasLegacyChars reports whether s holds any character a TCVN3 or VNI code can show
// as: Latin-1 from U+0080, the Windows-1252 characters, or a VN1 control. Text without
// any is the same in every encoding and needs no decision.
func HasLegacyChars(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 {
			if _, ok := tcvn3Caps[c]; ok {
				return true
			}
			continue
		}
		if c < 0x80 {
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if legacyRune(r) {
			return true
		}
		i += n - 1
	}
	return false
}

func legacyRune(r rune) bool {
	if r >= 0x80 && r <= 0xFF {
		return true
	}
	_, ok := cp1252[r]
	return ok
}

// vietLatin1 are the Latin-1 letters Vietnamese Unicode text uses.
func vietLatin1(r rune) bool {
	switch lowerRune(r) {
	case 'à', 'á', 'â', 'ã', 'è', 'é', 'ê', 'ì', 'í', 'ò', 'ó', 'ô', 'õ', 'ù', 'ú', 'ý':
		return true
	}
	return false
}

// couldBeUnicode reports whether s could be Vietnamese Unicode text as far as its
// characters go: nothing outside ASCII but the Vietnamese Latin-1 letters and the
// no-break space. Legacy text almost always fails this (µ ¸ ¨ ­ ñ ö …).
func couldBeUnicode(s string) bool {
	for _, r := range s {
		if r >= 0x80 && r != 0xA0 && !vietLatin1(r) {
			return false
		}
	}
	return true
}

// Score counts, over the words of a text that hold a character outside ASCII, how many
// more are valid Vietnamese syllables than not when read as Unicode, as TCVN3 and as VNI.
type Score struct {
	Unicode, TCVN3, VNI int
}

func (s *Score) add(o Score) { s.Unicode += o.Unicode; s.TCVN3 += o.TCVN3; s.VNI += o.VNI }

func (s Score) of(e Encoding) int {
	switch e {
	case TCVN3:
		return s.TCVN3
	case VNI:
		return s.VNI
	}
	return s.Unicode
}

// maxScoredWords bounds the work ScoreText does on one long cell.
const maxScoredWords = 64

// isWordRune reports whether r can be part of a word in any of the three readings.
func isWordRune(r rune) bool {
	switch {
	case r < 0x80:
		return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r < 0x20 && r > 0 && tcvn3Rune(r) != 0
	case r == 0xA0:
		return false
	case r <= 0xFF:
		return true
	case cp1252Punct[r]:
		return false
	}
	if _, ok := cp1252[r]; ok {
		return true
	}
	return unicode.IsLetter(r) || unicode.Is(unicode.Mn, r)
}

// ScoreText reads each word of s (of two characters or more) that holds a non-ASCII
// character as Unicode, as TCVN3 and as VNI and scores +1 for a valid Vietnamese
// syllable, -1 for anything else.
func ScoreText(s string) Score {
	var sc Score
	var word, buf []rune
	words := 0
	flush := func() {
		defer func() { word = word[:0] }()
		ascii := true
		for _, r := range word {
			if r >= 0x80 || r < 0x20 {
				ascii = false
				break
			}
		}
		// One-character words ("ì", "ý", or a "×" used as a mark) prove nothing.
		if ascii || len(word) < 2 || words >= maxScoredWords {
			return
		}
		words++
		if cap(buf) < 4*len(word)+8 {
			buf = make([]rune, 0, 4*len(word)+8)
		}
		sc.Unicode += vote(validSyllable(word, buf))
		sc.TCVN3 += vote(validSyllable([]rune(DecodeTCVN3(string(word), false)), buf))
		sc.VNI += vote(validSyllable([]rune(DecodeVNI(string(word))), buf))
	}
	for _, r := range s {
		if isWordRune(r) {
			word = append(word, r)
			continue
		}
		flush()
	}
	flush()
	return sc
}

func vote(ok bool) int {
	if ok {
		return 1
	}
	return -1
}

// Detector gathers the evidence of one column's cells.
type Detector struct {
	cand, uni int         // cells with legacy characters; cells with Unicode-only letters
	font      [Unsure]int // candidate cells by the encoding their font names
	score     Score       // summed over candidate cells
}

// Add records one cell's text and font. It reports whether the cell looks legacy by
// itself: characters a legacy code shows as, no Unicode-only letter, and either a
// character Vietnamese Unicode text never has or a better reading as TCVN3 or VNI.
func (d *Detector) Add(text, font string) bool {
	if HasUnicodeVietnamese(text) {
		d.uni++
		return false
	}
	if !HasLegacyChars(text) {
		return false
	}
	d.cand++
	fe, _ := FontEncoding(font)
	d.font[fe]++
	sc := ScoreText(text)
	d.score.add(sc)
	return !couldBeUnicode(text) || max(sc.TCVN3, sc.VNI) > sc.Unicode
}

// Candidates returns how many legacy-looking cells were added.
func (d *Detector) Candidates() int { return d.cand }

// Column is the verdict on a column: its encoding, and whether that rests on the
// cells' fonts (most legacy-looking cells were in a TCVN3 or VNI font).
type Column struct {
	Enc    Encoding
	ByFont bool
}

// Column returns the verdict together with whether the fonts carried it.
func (d *Detector) Column() Column {
	v := d.Verdict()
	return Column{Enc: v, ByFont: v.Legacy() && 2*(d.font[TCVN3]+d.font[VNI]) > d.cand}
}

// Verdict decides the column's encoding from what was added:
//
//   - nothing but ASCII: Unknown; only Unicode-only letters, or more such cells than
//     legacy-looking ones: Unicode;
//   - most legacy-looking cells in a TCVN3 or VNI font: that encoding, unless the text
//     reads clearly better as the other one (Unsure) or unconverted (Unicode: a file
//     converted to Unicode that kept its old fonts);
//   - otherwise the text decides: an encoding whose reading is clearly the best (by two
//     words at least), Unicode when the text reads best as it is, else Unsure.
func (d *Detector) Verdict() Encoding {
	if d.cand == 0 {
		if d.uni > 0 {
			return Unicode
		}
		return Unknown
	}
	if d.uni >= d.cand {
		return Unicode
	}
	sc := d.score
	if legacy := d.font[TCVN3] + d.font[VNI]; 2*legacy > d.cand {
		enc, other := TCVN3, VNI
		if d.font[VNI] > d.font[TCVN3] {
			enc, other = VNI, TCVN3
		}
		switch {
		case sc.of(other) >= sc.of(enc)+2 && sc.of(other) > sc.Unicode:
			return Unsure
		case sc.Unicode >= sc.of(enc)+2 && sc.Unicode > 0:
			return Unicode
		}
		return enc
	}
	best, other := TCVN3, VNI
	if sc.VNI > sc.TCVN3 {
		best, other = VNI, TCVN3
	}
	switch {
	case sc.of(best) > 0 && sc.of(best) >= sc.Unicode+2 && sc.of(best) > sc.of(other):
		return best
	case sc.of(best) > sc.Unicode:
		return Unsure
	}
	return Unicode
}

// Detect is the verdict on a single cell.
func Detect(text, font string) Encoding {
	var d Detector
	d.Add(text, font)
	return d.Verdict()
}

// ConvertCell converts one cell's text given the verdict on its column and on the sheet
// as a whole (the encoding most of its legacy columns were found in, else Unknown). It
// returns the text to use and the encoding it was converted from (Unicode when left).
//
//   - A cell with a Unicode-only Vietnamese letter, or with nothing but ASCII, is left.
//   - In a TCVN3 or VNI column the cell is converted, by its own font's encoding when that
//     names the other one, unless it reads better unconverted. When the column was
//     decided by its fonts, a cell in another font must read strictly better converted
//     ("Thái" typed in Unicode under a header typed in .VnTime stays "Thái").
//   - In a Unicode or Unknown column, a cell in a legacy font is converted when it reads
//     strictly better so (a title in .VnTimeH above a Unicode table); in an Unknown column
//     of a sheet found legacy, the sheet's encoding is tried the same way.
//   - In an Unsure column nothing is converted: the clerk is warned instead.
func ConvertCell(column Column, sheet Encoding, text, font string) (string, Encoding) {
	fe, caps := FontEncoding(font)
	strict := true
	enc := Unknown
	switch column.Enc {
	case TCVN3, VNI:
		enc, strict = column.Enc, column.ByFont && !fe.Legacy()
		if fe.Legacy() {
			enc = fe
		}
	case Unicode:
		if !fe.Legacy() {
			return text, Unicode
		}
		enc = fe
	case Unknown:
		switch {
		case fe.Legacy():
			enc, strict = fe, false
		case sheet.Legacy():
			enc = sheet
		default:
			return text, Unicode
		}
	default:
		return text, Unicode
	}
	if !HasLegacyChars(text) || HasUnicodeVietnamese(text) {
		return text, Unicode
	}
	if strict || couldBeUnicode(text) {
		sc := ScoreText(text)
		if sc.of(enc) < sc.Unicode || strict && sc.of(enc) == sc.Unicode {
			return text, Unicode
		}
	}
	out := Decode(enc, text, caps && enc == TCVN3)
	if out == text {
		return text, Unicode
	}
	return out, enc
}
