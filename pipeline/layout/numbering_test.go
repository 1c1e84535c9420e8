package layout

import "testing"

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
