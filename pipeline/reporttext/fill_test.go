package reporttext

import "testing"

// TestFill: placeholders replaced in one pass, unknown ones and stray braces kept.
func TestFill(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"{ten}: {so_nguoi} người", "Chuẩn A: 3 người"},
		{"không có chỗ", "không có chỗ"},
		{"{lạ} {ten}", "{lạ} Chuẩn A"},
		{"{ten}{ten} {", "Chuẩn AChuẩn A {"},
		{"{ {ten}", "{ Chuẩn A"},
	} {
		if got := Fill(tc.in, "{ten}", "Chuẩn A", "{so_nguoi}", "3"); got != tc.want {
			t.Errorf("Fill(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
