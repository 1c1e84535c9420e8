package vnlegacy

import (
	"fmt"
	"sort"
	"strings"
	"testing"

	"golang.org/x/text/unicode/norm"
)

// allLetters returns the 134 Vietnamese letters outside ASCII (67 lowercase, 67
// capitals: the toned vowels, ă â ê ô ơ ư and đ), sorted by code point.
func allLetters() []rune {
	var out []rune
	for r := range vinfo {
		if r >= 0x80 {
			out = append(out, r)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}

func TestLetterCount(t *testing.T) {
	if n := len(allLetters()); n != 134 {
		t.Fatalf("%d letters, want 134", n)
	}
	for _, r := range allLetters() {
		if !norm.NFC.IsNormalString(string(r)) || !unicodeViet(r) && !vietLatin1(r) {
			t.Errorf("%q (%U) is not a precomposed Vietnamese letter", r, r)
		}
	}
}

// TestRoundTrip encodes every letter, alone and inside words, and decodes it back:
// TCVN3 with toned capitals as base letter + lowercase code, TCVN3 in a capital (H)
// font, TCVN3 with the VN1/VN2 capital codes, and VNI.
func TestRoundTrip(t *testing.T) {
	vn1 := map[rune]rune{} // capital → its VN1/VN2 code, as the character it shows as
	for b, vt := range tcvn3Caps {
		vn1[letters[vt[0]][vt[1]][1]] = rune(b)
	}
	for _, r := range allLetters() {
		s := string(r)
		for _, ctx := range []string{"%s", "x%sy", "%s%s", "Ng%sn %s."} {
			in := strings.ReplaceAll(ctx, "%s", s)
			if got := DecodeTCVN3(EncodeTCVN3(in, false), false); got != in {
				t.Errorf("TCVN3 %q → %q → %q", in, EncodeTCVN3(in, false), got)
			}
			if got := DecodeVNI(EncodeVNI(in)); got != in {
				t.Errorf("VNI %q → %q → %q", in, EncodeVNI(in), got)
			}
			up := strings.ToUpper(in)
			if got := DecodeTCVN3(EncodeTCVN3(up, true), true); got != up {
				t.Errorf("TCVN3 caps font %q → %q → %q", up, EncodeTCVN3(up, true), got)
			}
		}
		if li := vinfo[r]; li.upper && li.v >= 0 && li.tone != toneNone {
			code, ok := vn1[r]
			if !ok {
				t.Errorf("%q has no VN1/VN2 code", r)
				continue
			}
			if got := DecodeTCVN3(string(code), false); got != s {
				t.Errorf("VN1/VN2 %U → %q, want %q", code, got, s)
			}
		}
	}
	// every letter in one string
	all := string(allLetters())
	if got := DecodeVNI(EncodeVNI(all)); got != all {
		t.Errorf("VNI alphabet: %q", got)
	}
	if got := DecodeTCVN3(EncodeTCVN3(all, false), false); got != all {
		t.Errorf("TCVN3 alphabet: %q", got)
	}
}

// libiconvTCVN is the TCVN-5712 table of libiconv as shipped in XFree86
// (lib/X11/lcUniConv/tcvn.h), bytes 80–FF, transcribed.
var libiconvTCVN = [128]rune{
	0x00c0, 0x1ea2, 0x00c3, 0x00c1, 0x1ea0, 0x1eb6, 0x1eac, 0x00c8, 0x1eba, 0x1ebc, 0x00c9, 0x1eb8, 0x1ec6, 0x00cc, 0x1ec8, 0x0128,
	0x00cd, 0x1eca, 0x00d2, 0x1ece, 0x00d5, 0x00d3, 0x1ecc, 0x1ed8, 0x1edc, 0x1ede, 0x1ee0, 0x1eda, 0x1ee2, 0x00d9, 0x1ee6, 0x0168,
	0x00a0, 0x0102, 0x00c2, 0x00ca, 0x00d4, 0x01a0, 0x01af, 0x0110, 0x0103, 0x00e2, 0x00ea, 0x00f4, 0x01a1, 0x01b0, 0x0111, 0x1eb0,
	0x0300, 0x0309, 0x0303, 0x0301, 0x0323, 0x00e0, 0x1ea3, 0x00e3, 0x00e1, 0x1ea1, 0x1eb2, 0x1eb1, 0x1eb3, 0x1eb5, 0x1eaf, 0x1eb4,
	0x1eae, 0x1ea6, 0x1ea8, 0x1eaa, 0x1ea4, 0x1ec0, 0x1eb7, 0x1ea7, 0x1ea9, 0x1eab, 0x1ea5, 0x1ead, 0x00e8, 0x1ec2, 0x1ebb, 0x1ebd,
	0x00e9, 0x1eb9, 0x1ec1, 0x1ec3, 0x1ec5, 0x1ebf, 0x1ec7, 0x00ec, 0x1ec9, 0x1ec4, 0x1ebe, 0x1ed2, 0x0129, 0x00ed, 0x1ecb, 0x00f2,
	0x1ed4, 0x1ecf, 0x00f5, 0x00f3, 0x1ecd, 0x1ed3, 0x1ed5, 0x1ed7, 0x1ed1, 0x1ed9, 0x1edd, 0x1edf, 0x1ee1, 0x1edb, 0x1ee3, 0x00f9,
	0x1ed6, 0x1ee7, 0x0169, 0x00fa, 0x1ee5, 0x1eeb, 0x1eed, 0x1eef, 0x1ee9, 0x1ef1, 0x1ef3, 0x1ef7, 0x1ef9, 0x00fd, 0x1ef5, 0x1ed0,
}

// libiconvTCVNC0 are the capitals libiconv's table places in the C0 controls.
var libiconvTCVNC0 = map[byte]rune{0x01: 0x00da, 0x02: 0x1ee4, 0x04: 0x1eea, 0x05: 0x1eec, 0x06: 0x1eee, 0x11: 0x1ee8,
	0x12: 0x1ef0, 0x13: 0x1ef2, 0x14: 0x1ef6, 0x15: 0x1ef8, 0x16: 0x00dd, 0x17: 0x1ef4}

// TestTCVN3AgainstLibiconv compares every byte 80–FF and the C0 capitals with libiconv.
func TestTCVN3AgainstLibiconv(t *testing.T) {
	for i, want := range libiconvTCVN {
		b := rune(0x80 + i)
		in, wantS := string(b), string(want)
		if b >= 0xB0 && b <= 0xB4 { // combining tone marks: test after a letter
			in, wantS = "a"+in, norm.NFC.String("a"+string(want))
		}
		if got := DecodeTCVN3(in, false); got != wantS {
			t.Errorf("byte %02X: %q (%U), libiconv %q (%U)", 0x80+i, got, []rune(got), wantS, want)
		}
	}
	for b, want := range libiconvTCVNC0 {
		if got := DecodeTCVN3(string(rune(b)), false); got != string(want) {
			t.Errorf("byte %02X: %q, libiconv %q", b, got, string(want))
		}
	}
	// and the other way: every lowercase code we write is libiconv's
	for v := range numVowels {
		for tone := range numTones {
			if b := tcvn3Lower[v][tone]; b >= 0x80 && libiconvTCVN[b-0x80] != letters[v][tone][0] {
				t.Errorf("%q written as %02X, which libiconv reads %q", letters[v][tone][0], b, libiconvTCVN[b-0x80])
			}
		}
	}
}

// xvnkb is lamdao/xvnkb's tcvn.h, transcribed as bytes: per vowel, the untoned letter
// then acute, grave, hook, tilde, dot; capitals first, as in the source. Where VN1 puts a
// capital in the C0 controls xvnkb writes the lowercase code instead (marked lc).
var xvnkbTCVN = []struct {
	letters string
	bytes   []byte
	lc      bool // capitals written with lowercase codes: decode with the caps flag
}{
	{"AÁÀẢÃẠ", []byte{'A', 0x83, 0x80, 0x81, 0x82, 0x84}, false},
	{"ÂẤẦẨẪẬ", []byte{0xA2, 0xC4, 0xC1, 0xC2, 0xC3, 0x86}, false},
	{"ĂẮẰẲẴẶ", []byte{0xA1, 0xC0, 0xAF, 0xBA, 0xBF, 0x85}, false},
	{"EÉÈẺẼẸ", []byte{'E', 0x8A, 0x87, 0x88, 0x89, 0x8B}, false},
	{"ÊẾỀỂỄỆ", []byte{0xA3, 0xDA, 0xC5, 0xCD, 0xD9, 0x8C}, false},
	{"OÓÒỎÕỌ", []byte{'O', 0x95, 0x92, 0x93, 0x94, 0x96}, false},
	{"ÔỐỒỔỖỘ", []byte{0xA4, 0xFF, 0xDB, 0xE0, 0xF0, 0x97}, false},
	{"ƠỚỜỞỠỢ", []byte{0xA5, 0x9B, 0x98, 0x99, 0x9A, 0x9C}, false},
	{"ŨỊ", []byte{0x9F, 0x91}, false},
	{"ÚỤ", []byte{0xF3, 0xF4}, true},
	{"ƯỨỪỬỮỰ", []byte{0xA6, 0xF8, 0xF5, 0xF6, 0xF7, 0xF9}, true},
	{"YÝỲỶỸỴ", []byte{'Y', 0xFD, 0xFA, 0xFB, 0xFC, 0xFE}, true},
	{"Đ", []byte{0xA7}, false},
	{"aáàảãạ", []byte{'a', 0xB8, 0xB5, 0xB6, 0xB7, 0xB9}, false},
	{"âấầẩẫậ", []byte{0xA9, 0xCA, 0xC7, 0xC8, 0xC9, 0xCB}, false},
	{"ăắằẳẵặ", []byte{0xA8, 0xBE, 0xBB, 0xBC, 0xBD, 0xC6}, false},
	{"eéèẻẽẹ", []byte{'e', 0xD0, 0xCC, 0xCE, 0xCF, 0xD1}, false},
	{"êếềểễệ", []byte{0xAA, 0xD5, 0xD2, 0xD3, 0xD4, 0xD6}, false},
	{"oóòỏõọ", []byte{'o', 0xE3, 0xDF, 0xE1, 0xE2, 0xE4}, false},
	{"ôốồổỗộ", []byte{0xAB, 0xE8, 0xE5, 0xE6, 0xE7, 0xE9}, false},
	{"ơớờởỡợ", []byte{0xAC, 0xED, 0xEA, 0xEB, 0xEC, 0xEE}, false},
	{"uúùủũụ", []byte{'u', 0xF3, 0xEF, 0xF1, 0xF2, 0xF4}, false},
	{"ưứừửữự", []byte{0xAD, 0xF8, 0xF5, 0xF6, 0xF7, 0xF9}, false},
	{"iíìỉĩị", []byte{'i', 0xDD, 0xD7, 0xD8, 0xDC, 0xDE}, false},
	{"yýỳỷỹỵ", []byte{'y', 0xFD, 0xFA, 0xFB, 0xFC, 0xFE}, false},
	{"đ", []byte{0xAE}, false},
}

func latin1(bs []byte) string {
	rs := make([]rune, len(bs))
	for i, b := range bs {
		rs[i] = rune(b)
	}
	return string(rs)
}

func TestTCVN3AgainstXvnkb(t *testing.T) {
	n := 0
	for _, row := range xvnkbTCVN {
		want := []rune(row.letters)
		for i, b := range row.bytes {
			got := DecodeTCVN3(latin1([]byte{b}), row.lc)
			if got != string(want[i]) {
				t.Errorf("xvnkb %02X = %q, we read %q", b, string(want[i]), got)
			}
			if !row.lc && vinfo[want[i]].upper == false {
				if enc := EncodeTCVN3(string(want[i]), false); enc != latin1([]byte{b}) {
					t.Errorf("%q: we write %q, xvnkb %q", string(want[i]), enc, latin1([]byte{b}))
				}
			}
			n++
		}
	}
	if n < 130 {
		t.Errorf("only %d letters checked", n)
	}
}

// duydev/vietnamese-conversion src/charsets.ts: the VNI and TCVN3 columns for the 134
// letters in code-point order, transcribed (TCVN3 capitals as base + lowercase code).
const duydevVNI = `AØ AÙ AÂ AÕ EØ EÙ EÂ Ì Í OØ OÙ OÂ OÕ UØ UÙ YÙ aø aù aâ aõ eø eù eâ ì í oø où oâ oõ uø uù yù ` +
	`AÊ aê Ñ ñ Ó ó UÕ uõ Ô ô Ö ö AÏ aï AÛ aû AÁ aá AÀ aà AÅ aå AÃ aã AÄ aä AÉ aé AÈ aè AÚ aú AÜ aü AË aë ` +
	`EÏ eï EÛ eû EÕ eõ EÁ eá EÀ eà EÅ eå EÃ eã EÄ eä Æ æ Ò ò OÏ oï OÛ oû OÁ oá OÀ oà OÅ oå OÃ oã OÄ oä ` +
	`ÔÙ ôù ÔØ ôø ÔÛ ôû ÔÕ ôõ ÔÏ ôï UÏ uï UÛ uû ÖÙ öù ÖØ öø ÖÛ öû ÖÕ öõ ÖÏ öï YØ yø Î î YÛ yû YÕ yõ`

const duydevTCVN3 = "Aµ A¸ ¢ A· EÌ EÐ £ I× IÝ Oß Oã ¤ Oâ Uï Uó Yý µ ¸ © · Ì Ð ª × Ý ß ã « â ï ó ý " +
	"¡ ¨ § ® IÜ Ü Uò ò ¥ ¬ ¦ \u00ad A¹ ¹ A¶ ¶ ¢Ê Ê ¢Ç Ç ¢È È ¢É É ¢Ë Ë ¡¾ ¾ ¡» » ¡¼ ¼ ¡½ ½ ¡Æ Æ " +
	"EÑ Ñ EÎ Î EÏ Ï £Õ Õ £Ò Ò £Ó Ó £Ô Ô £Ö Ö IØ Ø IÞ Þ Oä ä Oá á ¤è è ¤å å ¤æ æ ¤ç ç ¤é é " +
	"¥í í ¥ê ê ¥ë ë ¥ì ì ¥î î Uô ô Uñ ñ ¦ø ø ¦õ õ ¦ö ö ¦÷ ÷ ¦ù ù Yú ú Yþ þ Yû û Yü ü"

func TestAgainstDuydev(t *testing.T) {
	letters := allLetters()
	for _, tc := range []struct {
		name   string
		table  string
		decode func(string) string
		encode func(string) string
	}{
		{"VNI", duydevVNI, DecodeVNI, EncodeVNI},
		{"TCVN3", duydevTCVN3, func(s string) string { return DecodeTCVN3(s, false) }, func(s string) string { return EncodeTCVN3(s, false) }},
	} {
		codes := strings.Fields(tc.table)
		if len(codes) != len(letters) {
			t.Fatalf("%s: %d codes transcribed, want %d", tc.name, len(codes), len(letters))
		}
		for i, c := range codes {
			if got := tc.decode(c); got != string(letters[i]) {
				t.Errorf("%s: duydev %q = %q, we read %q", tc.name, c, string(letters[i]), got)
			}
			if got := tc.encode(string(letters[i])); got != c {
				t.Errorf("%s: %q: we write %q, duydev %q", tc.name, string(letters[i]), got, c)
			}
		}
	}
}

// xvnkbVNI is lamdao/xvnkb's vni.h: per vowel, untoned then acute, grave, hook, tilde, dot.
var xvnkbVNI = []string{
	"A AÙ AØ AÛ AÕ AÏ", "AÂ AÁ AÀ AÅ AÃ AÄ", "AÊ AÉ AÈ AÚ AÜ AË", "E EÙ EØ EÛ EÕ EÏ", "EÂ EÁ EÀ EÅ EÃ EÄ",
	"O OÙ OØ OÛ OÕ OÏ", "OÂ OÁ OÀ OÅ OÃ OÄ", "Ô ÔÙ ÔØ ÔÛ ÔÕ ÔÏ", "U UÙ UØ UÛ UÕ UÏ", "Ö ÖÙ ÖØ ÖÛ ÖÕ ÖÏ",
	"I Í Ì Æ Ó Ò", "Y YÙ YØ YÛ YÕ Î", "Ñ",
	"a aù aø aû aõ aï", "aâ aá aà aå aã aä", "aê aé aè aú aü aë", "e eù eø eû eõ eï", "eâ eá eà eå eã eä",
	"o où oø oû oõ oï", "oâ oá oà oå oã oä", "ô ôù ôø ôû ôõ ôï", "u uù uø uû uõ uï", "ö öù öø öû öõ öï",
	"i í ì æ ó ò", "y yù yø yû yõ î", "ñ",
}

// xvnkbOrder gives the letters of each xvnkbVNI row.
var xvnkbOrder = []string{"AÁÀẢÃẠ", "ÂẤẦẨẪẬ", "ĂẮẰẲẴẶ", "EÉÈẺẼẸ", "ÊẾỀỂỄỆ", "OÓÒỎÕỌ", "ÔỐỒỔỖỘ", "ƠỚỜỞỠỢ", "UÚÙỦŨỤ",
	"ƯỨỪỬỮỰ", "IÍÌỈĨỊ", "YÝỲỶỸỴ", "Đ", "aáàảãạ", "âấầẩẫậ", "ăắằẳẵặ", "eéèẻẽẹ", "êếềểễệ", "oóòỏõọ", "ôốồổỗộ",
	"ơớờởỡợ", "uúùủũụ", "ưứừửữự", "iíìỉĩị", "yýỳỷỹỵ", "đ"}

func TestVNIAgainstXvnkb(t *testing.T) {
	n := 0
	for i, row := range xvnkbVNI {
		want := []rune(xvnkbOrder[i])
		for j, c := range strings.Fields(row) {
			if got := DecodeVNI(c); got != string(want[j]) {
				t.Errorf("xvnkb %q = %q, we read %q", c, string(want[j]), got)
			}
			if got := EncodeVNI(string(want[j])); got != c {
				t.Errorf("%q: we write %q, xvnkb %q", string(want[j]), got, c)
			}
			n++
		}
	}
	if n != 146 { // 12 vowels × 6 × 2 + đ Đ
		t.Errorf("%d letters checked, want 146", n)
	}
}

// The vietunicode.sourceforge.net comparison table ("Unicode & Vietnamese Legacy
// Character Encodings"; rows as reproduced at dothanhlong.org and in the Scribd copy
// "Bảng đối chiếu encoding các bộ chữ hiện hành với Unicode"): letter, VNI hex, TCVN3 hex.
var vietunicode = []struct {
	letter    rune
	vni, tcvn []byte
}{
	{'À', []byte{0x41, 0xD8}, []byte{0x41, 0xB5}}, {'Á', []byte{0x41, 0xD9}, []byte{0x41, 0xB8}},
	{'Â', []byte{0x41, 0xC2}, []byte{0xA2}}, {'Ã', []byte{0x41, 0xD5}, []byte{0x41, 0xB7}},
	{'È', []byte{0x45, 0xD8}, []byte{0x45, 0xCC}}, {'É', []byte{0x45, 0xD9}, []byte{0x45, 0xD0}},
	{'Ê', []byte{0x45, 0xC2}, []byte{0xA3}}, {'Ì', []byte{0xCC}, []byte{0x49, 0xD7}}, {'Í', []byte{0xCD}, []byte{0x49, 0xDD}},
	{'Ò', []byte{0x4F, 0xD8}, []byte{0x4F, 0xDF}}, {'Ó', []byte{0x4F, 0xD9}, []byte{0x4F, 0xE3}},
	{'Ô', []byte{0x4F, 0xC2}, []byte{0xA4}}, {'Õ', []byte{0x4F, 0xD5}, []byte{0x4F, 0xE2}},
	{'Ù', []byte{0x55, 0xD8}, []byte{0x55, 0xEF}}, {'Ú', []byte{0x55, 0xD9}, []byte{0x55, 0xF3}},
	{'Ý', []byte{0x59, 0xD9}, []byte{0x59, 0xFD}},
	{'à', []byte{0x61, 0xF8}, []byte{0xB5}}, {'á', []byte{0x61, 0xF9}, []byte{0xB8}}, {'â', []byte{0x61, 0xE2}, []byte{0xA9}},
	{'ã', []byte{0x61, 0xF5}, []byte{0xB7}}, {'è', []byte{0x65, 0xF8}, []byte{0xCC}}, {'é', []byte{0x65, 0xF9}, []byte{0xD0}},
	{'ả', []byte{0x61, 0xFB}, []byte{0xB6}}, {'ạ', []byte{0x61, 0xEF}, []byte{0xB9}},
	{'ă', []byte{0x61, 0xEA}, []byte{0xA8}}, {'ắ', []byte{0x61, 0xE9}, []byte{0xBE}}, {'ằ', []byte{0x61, 0xE8}, []byte{0xBB}},
	{'ẳ', []byte{0x61, 0xFA}, []byte{0xBC}}, {'ẵ', []byte{0x61, 0xFC}, []byte{0xBD}}, {'ặ', []byte{0x61, 0xEB}, []byte{0xC6}},
	{'ấ', []byte{0x61, 0xE1}, []byte{0xCA}}, {'ầ', []byte{0x61, 0xE0}, []byte{0xC7}}, {'ẩ', []byte{0x61, 0xE5}, []byte{0xC8}},
	{'ẫ', []byte{0x61, 0xE3}, []byte{0xC9}}, {'ậ', []byte{0x61, 0xE4}, []byte{0xCB}},
	{'ẻ', []byte{0x65, 0xFB}, []byte{0xCE}}, {'ẽ', []byte{0x65, 0xF5}, []byte{0xCF}}, {'ẹ', []byte{0x65, 0xEF}, []byte{0xD1}},
	{'ê', []byte{0x65, 0xE2}, []byte{0xAA}}, {'ế', []byte{0x65, 0xE1}, []byte{0xD5}}, {'ề', []byte{0x65, 0xE0}, []byte{0xD2}},
	{'ể', []byte{0x65, 0xE5}, []byte{0xD3}}, {'ễ', []byte{0x65, 0xE3}, []byte{0xD4}}, {'ệ', []byte{0x65, 0xE4}, []byte{0xD6}},
	{'í', []byte{0xED}, []byte{0xDD}}, {'ì', []byte{0xEC}, []byte{0xD7}}, {'ỉ', []byte{0xE6}, []byte{0xD8}},
	{'ĩ', []byte{0xF3}, []byte{0xDC}}, {'ị', []byte{0xF2}, []byte{0xDE}}, {'ó', []byte{0x6F, 0xF9}, []byte{0xE3}},
}

func TestAgainstVietunicode(t *testing.T) {
	for _, row := range vietunicode {
		if got := DecodeVNI(latin1(row.vni)); got != string(row.letter) {
			t.Errorf("VNI % X = %q, we read %q", row.vni, string(row.letter), got)
		}
		if got := EncodeVNI(string(row.letter)); got != latin1(row.vni) {
			t.Errorf("VNI %q: we write %q, table % X", string(row.letter), got, row.vni)
		}
		if got := DecodeTCVN3(latin1(row.tcvn), false); got != string(row.letter) {
			t.Errorf("TCVN3 % X = %q, we read %q", row.tcvn, string(row.letter), got)
		}
		if got := EncodeTCVN3(string(row.letter), false); got != latin1(row.tcvn) {
			t.Errorf("TCVN3 %q: we write %q, table % X", string(row.letter), got, row.tcvn)
		}
	}
}

// TestWindows1252 checks that the Windows-1252 characters of 80–9F stand for the VN1
// capitals, except the ten that are everyday punctuation, which stay as they are unless
// they come as raw C1 codes.
func TestWindows1252(t *testing.T) {
	for r, b := range cp1252 {
		want := string(libiconvTCVN[b-0x80])
		if cp1252Punct[r] {
			want = string(r)
		}
		if got := DecodeTCVN3(string(r), false); got != want {
			t.Errorf("%q (byte %02X): %q, want %q", r, b, got, want)
		}
		if got := DecodeTCVN3(string(rune(b)), false); got != string(libiconvTCVN[b-0x80]) {
			t.Errorf("raw %U: %q, want %q", b, got, string(libiconvTCVN[b-0x80]))
		}
	}
	for in, want := range map[string]string{
		"“Hµ Néi” – §µ N½ng…": "“Hà Nội” – Đà Nẵng…",
		"H’M«ng":              "H’Mông",
	} {
		if got := DecodeTCVN3(in, false); got != want {
			t.Errorf("%q → %q, want %q", in, got, want)
		}
	}
}

func TestDecodeExamples(t *testing.T) {
	for _, tc := range []struct {
		enc  Encoding
		caps bool
		in   string
		want string
	}{
		{TCVN3, false, "Hµ Néi", "Hà Nội"},
		{TCVN3, false, "Th¹c sÜ", "Thạc sĩ"},
		{TCVN3, false, "§¹i häc", "Đại học"},
		{TCVN3, false, "Ng\u00adêi", "Người"},
		{TCVN3, false, "Tr\u00adêng Trung häc c¬ së", "Trường Trung học cơ sở"},
		{TCVN3, false, "Hä vµ tªn", "Họ và tên"},
		{TCVN3, false, "§¶ng", "Đảng"},
		{TCVN3, false, "ViÖt", "Việt"},
		{TCVN3, true, "CéNG HOµ X· HéI CHñ NGHÜA VIÖT NAM", "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM"},
		{TCVN3, true, "danh s¸ch häc viªn", "DANH SÁCH HỌC VIÊN"},
		{TCVN3, false, "¸nh ¢Ên", "ánh Ấn"},
		{TCVN3, false, "30° C", "30° C"},
		{TCVN3, false, "Hoa\u00b3", "Hoá"}, // VN2 combining acute after a letter
		{VNI, false, "Nguyeãn Vaên", "Nguyễn Văn"},
		{VNI, false, "Ñaïi hoïc", "Đại học"},
		{VNI, false, "Tröôøng", "Trường"},
		{VNI, false, "NGUYEÃN THÒ HÖÔNG", "NGUYỄN THỊ HƯƠNG"},
		{VNI, false, "Kyõ sö", "Kỹ sư"},
		{VNI, false, "Thaïc só", "Thạc sĩ"},
		{Unicode, false, "Hµ Néi", "Hµ Néi"},
	} {
		if got := Decode(tc.enc, tc.in, tc.caps); got != tc.want {
			t.Errorf("%s %q → %q, want %q", tc.enc, tc.in, got, tc.want)
		}
	}
}

func ExampleDecode() {
	fmt.Println(Decode(TCVN3, "Hµ Néi, Th¹c sÜ, §¹i häc, Ng\u00adêi", false))
	fmt.Println(Decode(TCVN3, "DANH S¸CH C¸N Bé", true)) // .VnTimeH
	fmt.Println(Decode(VNI, "Nguyeãn Vaên Tuaán", false))
	// Output:
	// Hà Nội, Thạc sĩ, Đại học, Người
	// DANH SÁCH CÁN BỘ
	// Nguyễn Văn Tuấn
}
