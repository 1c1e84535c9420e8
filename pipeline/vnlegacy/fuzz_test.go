package vnlegacy

import (
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Run for minutes with, e.g.:
//
//	go test -run x -fuzz FuzzDetect -fuzztime 5m ./pipeline/vnlegacy/
//	go test -run x -fuzz FuzzConvert -fuzztime 5m ./pipeline/vnlegacy/

var fuzzSeeds = []string{
	"Hµ Néi", "Th¹c sÜ", "§¹i häc", "Ng\u00adêi", "Nguyeãn Vaên", "Ñaïi hoïc", "Hà Nội", "Thái", "Tày", "Công an",
	"CéNG HOµ X· HéI CHñ NGHÜA VIÖT NAM", "A¸nh", "¢Ên", "ƒ€‚„…", "\x01\x02\x17", "a\u00b3", "Nguye\u0302\u0303n",
	"\xff\xfe", "30° C", "“Hµ Néi” – §µ N½ng…", "NGUYEÃN THÒ HÖÔNG", "Müller", "",
}

func FuzzDetect(f *testing.F) {
	for _, s := range fuzzSeeds {
		for _, font := range []string{"", ".VnTime", ".VnTimeH", "VNI-Times", "Times New Roman", "vn"} {
			f.Add(s, font)
		}
	}
	f.Fuzz(func(t *testing.T, text, font string) {
		v := Detect(text, font)
		if v > Unsure {
			t.Fatalf("Detect(%q, %q) = %d", text, font, v)
		}
		sc := ScoreText(text)
		if abs(sc.Unicode) > maxScoredWords || abs(sc.TCVN3) > maxScoredWords || abs(sc.VNI) > maxScoredWords {
			t.Fatalf("ScoreText(%q) = %+v", text, sc)
		}
		var d Detector
		d.Add(text, font)
		col := d.Column()
		for _, sheet := range []Encoding{Unknown, TCVN3, VNI} {
			out, from := ConvertCell(col, sheet, text, font)
			if v == Unicode && out != text {
				t.Fatalf("a cell detected as Unicode was changed: %q → %q (font %q, sheet %s)", text, out, font, sheet)
			}
			if !from.Legacy() {
				if out != text {
					t.Fatalf("ConvertCell changed %q to %q but says %s", text, out, from)
				}
				continue
			}
			if !utf8.ValidString(out) || !norm.NFC.IsNormalString(out) {
				t.Fatalf("ConvertCell(%q) = %q: not valid NFC", text, out)
			}
			if HasUnicodeVietnamese(text) {
				t.Fatalf("a cell with Unicode-only letters was converted: %q → %q", text, out)
			}
		}
	})
}

func FuzzConvert(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s, false)
		f.Add(s, true)
	}
	f.Fuzz(func(t *testing.T, s string, caps bool) {
		for _, enc := range []Encoding{TCVN3, VNI} {
			out := Decode(enc, s, caps)
			if !utf8.ValidString(out) || !norm.NFC.IsNormalString(out) {
				t.Fatalf("Decode(%s, %q) = %q: not valid NFC", enc, s, out)
			}
		}
		for _, enc := range []Encoding{Unicode, Unknown, Unsure} {
			if out := Decode(enc, s, caps); out != s {
				t.Fatalf("Decode(%s) changed %q", enc, s)
			}
		}
		// Round trips, over text made only of ASCII and Vietnamese letters (anything else
		// may itself be a legacy code).
		u := vietOnly(norm.NFC.String(s))
		if got := DecodeVNI(EncodeVNI(u)); got != u {
			t.Fatalf("VNI round trip %q → %q → %q", u, EncodeVNI(u), got)
		}
		if lower := strings.Map(lowerRune, u); !pairAmbiguous(lower) {
			if got := DecodeTCVN3(EncodeTCVN3(lower, false), false); got != lower {
				t.Fatalf("TCVN3 round trip %q → %q → %q", lower, EncodeTCVN3(lower, false), got)
			}
		}
		if upper := strings.Map(upperRune, u); !pairAmbiguous(upper) {
			if got := DecodeTCVN3(EncodeTCVN3(upper, true), true); got != upper {
				t.Fatalf("TCVN3 capital-font round trip %q → %q → %q", upper, EncodeTCVN3(upper, true), got)
			}
			if got := DecodeTCVN3(EncodeTCVN3(upper, false), false); got != upper {
				t.Fatalf("TCVN3 capitals round trip %q → %q → %q", upper, EncodeTCVN3(upper, false), got)
			}
		}
	})
}

// vietOnly keeps ASCII printable characters and Vietnamese letters.
func vietOnly(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= 0x20 && r < 0x7F {
			return r
		}
		if _, ok := vinfo[r]; ok {
			return r
		}
		return -1
	}, s)
}

// pairAmbiguous reports an untoned vowel followed by a toned one of the same vowel
// ("aá"), which no Vietnamese word has and which TCVN3 text cannot tell from the
// two-character capital ("A¸" = Á).
func pairAmbiguous(s string) bool {
	rs := []rune(s)
	for i := 0; i+1 < len(rs); i++ {
		a, ok1 := vinfo[rs[i]]
		b, ok2 := vinfo[rs[i+1]]
		if ok1 && ok2 && a.v >= 0 && a.v == b.v && a.tone == toneNone && b.tone != toneNone {
			return true
		}
	}
	return false
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}
