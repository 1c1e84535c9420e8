package textfold

import "testing"

func TestUnitKey(t *testing.T) {
	for _, u := range []string{"UBND xã Nghĩa Tá", "Ủy ban nhân dân xã Nghĩa Tá", "Xã Nghĩa Tá", "UỶ BAN NHÂN DÂN XÃ NGHĨA TÁ"} {
		if got := UnitKey(u); got != "xa nghia ta" {
			t.Errorf("UnitKey(%q) = %q, want %q", u, got, "xa nghia ta")
		}
	}
	if got := UnitKey("UBND"); got != "ubnd" {
		t.Errorf("UnitKey(%q) = %q: a name that is only the prefix keeps it", "UBND", got)
	}
}
