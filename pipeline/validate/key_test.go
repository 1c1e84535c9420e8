package validate

import (
	"testing"

	"canbo/pipeline/internal/sheettest"
	"canbo/pipeline/textfold"
)

// TestNameBirthKey: the name-and-birth key folded in place is the key of the folded name.
func TestNameBirthKey(t *testing.T) {
	h := NewChecker(sheettest.Config(t), nil).h
	for _, name := range []string{"Nguyễn  Thị Ánh", "LÒ VĂN B", "", "a\x00b", "Đặng  "} {
		if got, want := h.nameBirth(name, "1990-01-02"), h.hash(textfold.Key(name), "1990-01-02"); got != want {
			t.Errorf("%q: %x, want %x", name, got, want)
		}
	}
}
