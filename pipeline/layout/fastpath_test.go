package layout

import (
	"testing"

	"canbo/config"
	"canbo/pipeline/normalize"
	"canbo/pipeline/schema"
)

// numberingTexts are column numbers and the texts of a person's row around them.
var numberingTexts = []string{
	"(1)", "1", "12", "123", "1234", "(4)", "( 4 )", "a", "A", "(b)", "ab", "3=4+6+8", "(5)=(3)+(4)",
	"5 = 3 + 4", "(7) (=5+6)", "10=", "=", "", " ", "()", "Nguyễn Văn An", "Chuyen vien", "CV", "x",
	"1.", "1)", "I", "IV", "(\t2\t)", "2\v", "１", "(1", "1)", "a1", "12a", "Nam", "Đại học", "x=1",
}

// TestIsNumbering: isNumbering answers what numberingRE answers, for column numbers and
// for the values of a person's row it turns away without the expression.
func TestIsNumbering(t *testing.T) {
	for _, s := range numberingTexts {
		if got, want := isNumbering(s), numberingRE.MatchString(s); got != want {
			t.Errorf("isNumbering(%q) = %v, numberingRE says %v", s, got, want)
		}
	}
}

// FuzzIsNumbering: isNumbering and numberingRE agree on any text.
func FuzzIsNumbering(f *testing.F) {
	for _, s := range numberingTexts {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := isNumbering(s), numberingRE.MatchString(s); got != want {
			t.Fatalf("isNumbering(%q) = %v, numberingRE says %v", s, got, want)
		}
	})
}

// totalTexts are first texts of totals rows, headings and people.
var totalTexts = []string{
	"Tổng cộng", "TỔNG CỘNG:", "Cộng: 20 người", "Cộng đơn vị", "Tổng số", "Tổng hợp thống kê",
	"Cộng tác viên", "Nguyễn Văn An", "Tông Văn Bình", "Công chức", "  tổng cộng", "TỔNG",
	"Tổng cộng", "Tổng cộng", "-", "", "1. Tổng cộng", "I. Cộng",
}

// TestMayBeTotal: a first text mayBeTotal turns away is no total for isTotal either.
func TestMayBeTotal(t *testing.T) {
	w := loadRowWords(t)
	for _, s := range totalTexts {
		if !w.mayBeTotal(s) && w.isTotal(lowerWords(s)) {
			t.Errorf("mayBeTotal(%q) = false, but isTotal says it is a total", s)
		}
	}
	for _, s := range []string{"Nguyễn Văn An", "Lò Văn Pá", "Trần Thị Hoa"} {
		if w.mayBeTotal(s) {
			t.Errorf("mayBeTotal(%q) = true: every person's row would lower its name", s)
		}
	}
}

// FuzzMayBeTotal: mayBeTotal never turns away a text isTotal takes.
func FuzzMayBeTotal(f *testing.F) {
	w := loadRowWords(f)
	for _, s := range totalTexts {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !w.mayBeTotal(s) && w.isTotal(lowerWords(s)) {
			t.Fatalf("mayBeTotal(%q) = false, but isTotal says it is a total", s)
		}
	})
}

func loadRowWords(tb testing.TB) rowWords { return loadDetector(tb).words }

// loadDetector is the detector of the shipped configuration.
func loadDetector(tb testing.TB) *Detector {
	tb.Helper()
	cfg, err := schema.Load(config.FS, "config")
	if err != nil {
		tb.Fatal(err)
	}
	return New(normalize.New(cfg))
}
