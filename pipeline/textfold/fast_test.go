package textfold

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// The functions below are Key, Clean and Lower as they were written before their fast
// paths: the reference every fast path must agree with, byte for byte.

func keyReference(s string) string {
	var b strings.Builder
	space := true
	for _, r := range s {
		f := foldRuneReference(r)
		switch {
		case f < 0:
			continue
		case f > 0:
			b.WriteRune(f)
			space = false
		case !space:
			b.WriteByte(' ')
			space = true
		}
	}
	return strings.TrimSuffix(b.String(), " ")
}

// foldRuneReference is foldRune with its ASCII cases written out as they were, before
// foldASCII shared them between Key's fast path and foldRune.
func foldRuneReference(r rune) rune {
	if r < 0x80 {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			return r
		case r >= 'A' && r <= 'Z':
			return r + 'a' - 'A'
		case r == '\'' || r == '`':
			return -1
		}
		return 0
	}
	return foldRune(r)
}

func cleanReference(s string) string {
	if hasMark(s) {
		s = norm.NFC.String(s)
	}
	var b strings.Builder
	space := false
	for _, r := range s {
		switch {
		case r == '\u00D0':
			r = '\u0110'
		case r == '\u00F0':
			r = '\u0111'
		case r == '\u200B' || r == '\u200C' || r == '\u200D' || r == '\uFEFF' || r == '\u00AD':
			continue
		case unicode.IsSpace(r) || r == '\u00A0':
			space = true
			continue
		case unicode.IsControl(r):
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(r)
	}
	return b.String()
}

func lowerReference(s string) string {
	s = strings.ToLower(cleanReference(s))
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

func compactReference(s string) string { return strings.ReplaceAll(keyReference(s), " ", "") }

// foldCases are texts as cells hold them: ASCII (already a key or not), precomposed and
// decomposed Vietnamese, đ/Đ and its look-alikes, mixed case, odd whitespace and
// invisible characters, old tone placement, invalid UTF-8, and texts long enough to
// outgrow the stack buffers.
var foldCases = []string{
	"", " ", "  ", "a", "A", "nam", "Nam", "NAM", "dai hoc", "dai  hoc", " dai hoc", "dai hoc ",
	"2021", "01/02/1980", "0000-00-00", "x", "X", "ThS", "CV", "TC", "H'Mông", "H`Mong", "a-b", "a_b",
	"abc\tdef", "abc\ndef", "abc\r\ndef", "a\x00b", "a\x7fb", "tab\t", "\tlead",
	"Nguyễn Văn An", "NGUYỄN VĂN AN", "nguyễn văn an", "Thạc sỹ (Kinh tế)", "Đại học", "ĐẠI HỌC", "đại học",
	"Ðại học", "ðại học", "Đ/c Nguyễn Văn A", "đ/c Lê Thị B", "Đồng chí Trần Văn C", "Ông Lê Văn B",
	norm.NFD.String("Nguyễn Văn An"), norm.NFD.String("Đặng Thị Hương"), "Nguye\u0302\u0303n Va\u0306n",
	"  Nguye\u0302\u0303n\u00a0 Văn  A ", "Họ và\ntên", "Ð\u200bại", "a\u200cb", "a\u200db", "\ufeffBOM", "soft\u00adhyphen",
	"a\u2003b", "a\u3000b", "a\u0085b", "\u00a0", "a\u2028b",
	"hoà", "hòa", "HOÀ", "thuỷ", "thủy", "UỶ BAN", "uỷ", "quý", "QUÝ", "khoẻ", "oà", "Oà", "ủy",
	"HUYỆN UỶ, KẾ SÁCH", "Cộng", "Công chức", "  Sở   Nội vụ ", "Số CMND/CCCD", "Xơ-đăng", "Xơ Đăng",
	"Ωhm \u2126", "İstanbul", "ẞ", "Σίσυφος", "日本語", "Ⱥ", "ǅ", "x\u0300", "q\u0303", "Z\u0335",
	"\xff", "ab\xffcd", "Nguy\xe1\xbb", "\xef\xbf\xbd", "’", "Hồ’s", "abc´d", "ʼa",
	strings.Repeat("Nguyễn Văn ", 20), strings.Repeat("a", 200), strings.Repeat("Đ", 70), strings.Repeat("ab ", 40),
}

func TestFastPathsAgree(t *testing.T) {
	for _, s := range foldCases {
		if got, want := Key(s), keyReference(s); got != want {
			t.Errorf("Key(%q) = %q, reference %q", s, got, want)
		}
		if got, want := string(AppendKey([]byte("prefix "), s)), "prefix "+keyReference(s); got != want {
			t.Errorf("AppendKey(%q) = %q, want %q", s, got, want)
		}
		if got, want := Compact(s), compactReference(s); got != want {
			t.Errorf("Compact(%q) = %q, reference %q", s, got, want)
		}
		if got, want := Clean(s), cleanReference(s); got != want {
			t.Errorf("Clean(%q) = %q, reference %q", s, got, want)
		}
		if got, want := Lower(s), lowerReference(s); got != want {
			t.Errorf("Lower(%q) = %q, reference %q", s, got, want)
		}
		if got, want := string(AppendLower([]byte("x "), s)), "x "+lowerReference(s); got != want {
			t.Errorf("AppendLower(%q) = %q, want %q", s, got, want)
		}
	}
}

// TestFastPathsTaken pins that the fast paths are taken where they should be: a text
// that is already a key or already clean comes back as it is, with nothing allocated.
func TestFastPathsTaken(t *testing.T) {
	for _, s := range []string{"nam", "dai hoc", "2021", "x"} {
		if !isKey(s) {
			t.Errorf("isKey(%q) = false", s)
		}
	}
	for _, s := range []string{"Nam", "dai  hoc", " dai", "dai ", "a'b", "nam\t", "năm"} {
		if isKey(s) {
			t.Errorf("isKey(%q) = true", s)
		}
	}
	for _, s := range []string{"Nguyễn Văn An", "Đại học", "Tày", "01/02/1980"} {
		if !isClean(s) {
			t.Errorf("isClean(%q) = false", s)
		}
	}
	for _, s := range []string{"Nguyễn  Văn", " Tày", "Tày ", "Ðại", "a\u00a0b", "a\u200bb", norm.NFD.String("Tày"), "ab\xff"} {
		if isClean(s) {
			t.Errorf("isClean(%q) = true", s)
		}
	}
	if n := testing.AllocsPerRun(100, func() { _ = Key("dai hoc"); _ = Clean("Nguyễn Văn An") }); n != 0 {
		t.Errorf("Key and Clean of a key and a clean text allocate %v times, want 0", n)
	}
	var buf [64]byte
	if n := testing.AllocsPerRun(100, func() { _ = AppendKey(buf[:0], "Đại học"); _ = AppendLower(buf[:0], "Nguyễn Văn An") }); n != 0 {
		t.Errorf("AppendKey and AppendLower into a buffer allocate %v times, want 0", n)
	}
}

// FuzzFastPaths checks the fast paths against the reference on any text.
func FuzzFastPaths(f *testing.F) {
	for _, s := range foldCases {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := Key(s), keyReference(s); got != want {
			t.Errorf("Key(%q) = %q, reference %q", s, got, want)
		}
		if got, want := Clean(s), cleanReference(s); got != want {
			t.Errorf("Clean(%q) = %q, reference %q", s, got, want)
		}
		if got, want := Lower(s), lowerReference(s); got != want {
			t.Errorf("Lower(%q) = %q, reference %q", s, got, want)
		}
		if got, want := Compact(s), compactReference(s); got != want {
			t.Errorf("Compact(%q) = %q, reference %q", s, got, want)
		}
	})
}

// benchTexts are the cells of a roster row: a name, a date, category values, an ID.
// sink keeps the benchmarks' results alive, so the compiler cannot drop the work.
var sink string

var benchTexts = []string{"Nguyễn Văn Thành", "12/03/1975", "Tày", "Kinh", "Chủ tịch UBND", "Đại học", "ĐH",
	"Trung cấp", "Chuyên viên", "x", "006175001234", "Văn phòng - thống kê", "Thạc sĩ"}

func BenchmarkKey(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		for _, s := range benchTexts {
			sink = Key(s)
		}
	}
}

func BenchmarkClean(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		for _, s := range benchTexts {
			sink = Clean(s)
		}
	}
}

func BenchmarkLower(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		for _, s := range benchTexts {
			sink = Lower(s)
		}
	}
}

// BenchmarkReference runs the reference implementations on the same texts, for the
// speed-up of each fast path.
func BenchmarkReference(b *testing.B) {
	for _, bm := range []struct {
		name string
		f    func(string) string
	}{{"Key", keyReference}, {"Clean", cleanReference}, {"Lower", lowerReference}} {
		b.Run(bm.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				for _, s := range benchTexts {
					sink = bm.f(s)
				}
			}
		})
	}
}

// TestOldTonePairs: newToneAt looks a word's last two letters up in oldTone only when
// the first is "o" or "u"; a pair added to oldTone starting otherwise would be missed.
func TestOldTonePairs(t *testing.T) {
	for k := range oldTone {
		if k[0] != 'o' && k[0] != 'u' {
			t.Errorf("oldTone pair %q starts with %q: newToneAt skips it", k, k[0])
		}
	}
	for _, c := range []struct{ in, want string }{
		{"HOÀ BÌNH", "hòa bình"}, {"UỶ BAN", "ủy ban"}, {"quý", "quý"}, {"Thuỷ", "thủy"}, {"toà", "tòa"},
		{"Nguyễn Văn A", "nguyễn văn a"}, {"hoè", "hòe"}, {"o", "o"}, {"uỷ", "ủy"},
	} {
		if got := Lower(c.in); got != c.want {
			t.Errorf("Lower(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// firstLowerTexts are names and row texts, with the characters that make
// AppendFirstLower give way to Lower: decomposed marks, Ð, zero-width and
// non-breaking spaces, controls, invalid UTF-8, letters outside the Latin blocks.
var firstLowerTexts = []string{
	"Nguyễn Văn An", "Đ/c Nguyễn Văn An", "  ông\tLý Văn Tèo ", "O\u0302ng Lò Văn Pá", "\u00D0/c An",
	"\u00F0c Hà", "Ô\u200Bng Lò", "Ông\u00A0Lò", "\xffÔng Lò", "Ông\xff Lò", "Thuỷ Nguyễn Thị", "UỶ BAN",
	"Hoà", "quý", "Ω Lò", "Ｏng Lò", "(Ông) Lò", "1. Tổng cộng", "TỔNG CỘNG:", "Cộng: 20 người", "-", "",
	"   ", "\u212Bng Lò", "Ông\u0301 Lò", "H'Mông", "a\x01b", "Ⱥb c", "123abc def", "x",
}

// TestFirstWords: when AppendFirstLower can tell, its word is the first word of Lower,
// and it can tell for plain names and row texts; AppendKeyWord is always the first word
// of Key.
func TestFirstWords(t *testing.T) {
	for _, s := range append(firstLowerTexts, "Họ và tên", "STT", "  -- Ngày sinh", "’Ông", "Số CCCD", "…",
		"a\u0301b c") {
		checkFirstWords(t, s)
	}
	for _, s := range []string{"Nguyễn Văn An", "TỔNG CỘNG", "Cộng: 20 người", "Lò Văn Pá", "Đỗ Thị Hà"} {
		if _, ok := AppendFirstLower(nil, s); !ok {
			t.Errorf("AppendFirstLower(%q) cannot tell: every text would take Lower", s)
		}
	}
}

func checkFirstWords(t *testing.T, s string) {
	t.Helper()
	if w, ok := AppendFirstLower([]byte("x"), s); ok {
		if want, _, _ := strings.Cut(Lower(s), " "); string(w) != "x"+want {
			t.Fatalf("AppendFirstLower(%q) = %q, first word of Lower is %q", s, w[1:], want)
		}
	}
	if want, _, _ := strings.Cut(Key(s), " "); string(AppendKeyWord([]byte("x"), s)) != "x"+want {
		t.Fatalf("AppendKeyWord(%q) = %q, first word of Key is %q", s, AppendKeyWord(nil, s), want)
	}
}

// FuzzFirstWords: AppendFirstLower and AppendKeyWord never give a word Lower or Key
// does not start with.
func FuzzFirstWords(f *testing.F) {
	for _, s := range firstLowerTexts {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) { checkFirstWords(t, s) })
}

// TestLatinFastPaths: isClean's and isWordRune's short cuts for Latin letters answer
// what the unicode tables answer, for every character.
func TestLatinFastPaths(t *testing.T) {
	for r := rune(0x80); r <= unicode.MaxRune; r++ {
		if got, want := isWordRune(r), unicode.IsLetter(r) || unicode.IsDigit(r); got != want {
			t.Fatalf("isWordRune(%U) = %v, unicode says %v", r, got, want)
		}
		if latinClean(r) && cleanChanges(r, utf8.RuneLen(r)) {
			t.Fatalf("latinClean(%U), but Clean changes it", r)
		}
	}
}
