package xlsxreport

import (
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

func TestSheetName(t *testing.T) {
	used := map[string]bool{}
	tests := []struct{ label, want string }{
		{"Tổng quan", "Tổng quan"},
		{"tổng quan", "tổng quan (2)"}, // Excel compares names without case
		{"Lỗi: dữ liệu [mới]?", "Lỗi- dữ liệu -mới--"},
		{"'Đào tạo'", "Đào tạo"},
		{"Danh sách người chưa đạt tiêu chuẩn chức danh", "Danh sách người chưa đạt tiêu c"},
		{"Danh sách người chưa đạt tiêu chuẩn chức vụ", "Danh sách người chưa đạt ti (2)"},
		{"", "-"},
	}
	for _, tt := range tests {
		got := sheetName(tt.label, used)
		if got != tt.want {
			t.Errorf("sheetName(%q) = %q, want %q", tt.label, got, tt.want)
		}
		if n := len([]rune(got)); n > maxSheetName || strings.ContainsAny(got, badSheetChars) {
			t.Errorf("sheetName(%q) = %q is not a valid sheet name", tt.label, got)
		}
	}
}

func TestWrapLines(t *testing.T) {
	tests := []struct {
		s     string
		width float64
		want  int
	}{
		{"", 10, 1},
		{"một dòng", 10, 1},
		{"một hai ba bốn", 7, 2},
		{"một hai ba bốn năm sáu", 7, 3},
		{"dòng một\ndòng hai", 40, 2},
		{strings.Repeat("x", 25), 10, 3}, // a word longer than the line
	}
	for _, tt := range tests {
		if got := wrapLines(tt.s, tt.width); got != tt.want {
			t.Errorf("wrapLines(%q, %v) = %d, want %d", tt.s, tt.width, got, tt.want)
		}
	}
}

func TestListLimit(t *testing.T) {
	if n, cut := listLimit(100, 5); n != 100 || cut {
		t.Errorf("listLimit(100, 5) = %d, %v", n, cut)
	}
	room := excelize.TotalRows - 4 // rows 5 … TotalRows
	if n, cut := listLimit(room, 5); n != room || cut {
		t.Errorf("a list that just fits: %d, %v", n, cut)
	}
	if n, cut := listLimit(room+1, 5); n != room-1 || !cut {
		t.Errorf("a list one row too long: %d, %v; want the last row for the note", n, cut)
	}
}

func TestRoman(t *testing.T) {
	for n, want := range map[int]string{1: "I", 4: "IV", 9: "IX", 14: "XIV", 40: "XL", 1990: "MCMXC"} {
		if got := roman(n); got != want {
			t.Errorf("roman(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestQuote(t *testing.T) {
	if got := quote(`Đạt "tốt"`); got != `"Đạt ""tốt"""` {
		t.Errorf("quote = %s", got)
	}
	if got := quoteSheet("Chỉ tiêu của 'Sở'"); got != `'Chỉ tiêu của ''Sở'''` {
		t.Errorf("quoteSheet = %s", got)
	}
}

// TestParseDateAsTimeParse: the quick reading of a date gives what time.Parse gives,
// for dates and for what only looks like one.
func TestParseDateAsTimeParse(t *testing.T) {
	for _, s := range []string{"1984-11-19", "2024-02-29", "2023-02-29", "2023-02-30", "2023-04-31", "2023-12-31",
		"0000-01-01", "1899-12-30", "2023-13-01", "2023-00-10", "2023-01-00", "2023-1-01", "abcd-ef-gh",
		"2023-01-0x", "+023-01-01", "2023/01/01", "", "2023-01-01T00:00", "9999-12-31"} {
		want, err := time.Parse("2006-01-02", s)
		got, ok := parseDate(s)
		if ok != (err == nil) || !got.Equal(want) || got.Location() != want.Location() {
			t.Errorf("parseDate(%q) = %v, %v; time.Parse gives %v, %v", s, got, ok, want, err)
		}
	}
}
