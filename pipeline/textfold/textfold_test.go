package textfold

import (
	"testing"

	"golang.org/x/text/unicode/norm"
)

func TestKey(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Thạc sỹ (Kinh tế)", "thac sy kinh te"},
		{norm.NFD.String("Nguyễn Văn A"), "nguyen van a"},
		{"H'Mông", "hmong"},
		{"ĐẠI HỌC", "dai hoc"},
		{"Ðại học", "dai hoc"}, // U+00D0, the Icelandic eth, typed for Đ
		{"hoà", "hoa"},
		{"hòa", "hoa"},
		{"  Số\u00a0CMND/CCCD ", "so cmnd cccd"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := Key(tt.in); got != tt.want {
			t.Errorf("Key(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestClean(t *testing.T) {
	tests := []struct{ in, want string }{
		{"  Nguye\u0302\u0303n\u00a0 Văn  A ", "Nguyễn Văn A"},
		{"Họ và\ntên", "Họ và tên"},
		{"Ð\u200bại", "Đại"},
		{"plain ascii", "plain ascii"},
	}
	for _, tt := range tests {
		if got := Clean(tt.in); got != tt.want {
			t.Errorf("Clean(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestHasWords(t *testing.T) {
	tests := []struct {
		k, w string
		want bool
	}{
		{"trinh do chuyen mon", "chuyen mon", true},
		{"hoc vien", "vi", false},
		{"ho khau thuong tru", "ho", true},
		{"thuong", "thuong tru", false},
		{"", "a", false},
	}
	for _, tt := range tests {
		if got := HasWords(tt.k, tt.w); got != tt.want {
			t.Errorf("HasWords(%q, %q) = %v", tt.k, tt.w, got)
		}
	}
}

// TestWordsMatch pins the rule that diacritics are evidence when typed: the header "Năm"
// (year) must never read as "Nam" (male), "Phải" never as "phái" (sex), "Khóa" (a course)
// never as "Khoa" (a faculty); a header typed without any diacritic matches every spelling.
func TestWordsMatch(t *testing.T) {
	tests := []struct {
		got, want string
		match     bool
	}{
		{"Năm", "nam", false},
		{"Nam", "nam", true},
		{"NAM", "nam", true},
		{"Năm ", "năm", true},
		{"Phải", "phái", false},
		{"Phái", "phái", true},
		{"Khóa", "khoa", false},
		{"KHOA", "khoa", true},
		{"Ngay sinh", "ngày sinh", true},
		{"Ngày sinh", "ngày sinh", true},
		{"Ngầy sinh", "ngày sinh", false},
		{"Hoà", "hòa", true}, // old tone placement is the same word
		{"UỶ BAN", "ủy ban", true},
		{norm.NFD.String("Dân tộc"), "dân tộc", true},
		{"TĐ", "tđ", true},
		{"TD", "tđ", true},
		{"Họ tên", "họ và tên", false},
	}
	for _, tt := range tests {
		if got := WordsMatch(Words(tt.got), Words(tt.want)); got != tt.match {
			t.Errorf("WordsMatch(%q, %q) = %v, want %v", tt.got, tt.want, got, tt.match)
		}
	}
	if !WordsPrefix(Words("Ngày sinh (d/m/Y)"), Words("ngày sinh")) {
		t.Error("a header starting with the synonym must match it as a prefix")
	}
	if WordsPrefix(Words("PC chức vụ"), Words("chức vụ")) {
		t.Error("a prefix match must start at the first word")
	}
}

func TestWordsKeyAgree(t *testing.T) {
	for _, s := range []string{"Hộ khẩu TT", "H'Mông", "Ngày, tháng, năm sinh", norm.NFD.String("Trình độ LLCT"), "S\nT\nT"} {
		if got, want := JoinFold(Words(s)), Key(s); got != want {
			t.Errorf("Words(%q) folds to %q, Key gives %q", s, got, want)
		}
	}
}

func TestLower(t *testing.T) {
	tests := []struct{ in, want string }{
		{"HUYỆN UỶ, KẾ SÁCH", "huyện ủy kế sách"},
		{"Cộng", "cộng"},
		{"  Sở   Nội vụ ", "sở nội vụ"},
		{"quý", "quý"},
	}
	for _, tt := range tests {
		if got := Lower(tt.in); got != tt.want {
			t.Errorf("Lower(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestDistance(t *testing.T) {
	tests := []struct {
		a, b string
		max  int
		want int
	}{
		{"dai hoc", "dai hoc", 1, 0},
		{"daihocc", "daihoc", 1, 1},
		{"ab", "ba", 1, 1}, // a transposition is one edit
		{"thac si", "tien si", 1, 2},
	}
	for _, tt := range tests {
		if got := Distance(tt.a, tt.b, tt.max); got != tt.want {
			t.Errorf("Distance(%q, %q, %d) = %d, want %d", tt.a, tt.b, tt.max, got, tt.want)
		}
	}
}
