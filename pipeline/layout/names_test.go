package layout

import (
	"testing"

	"canbo/config"
	"canbo/pipeline/normalize"
	"canbo/pipeline/schema"
)

// TestJudge pins what reads as a person's name in the name column, and what reads as
// a heading: the rule that decides whether a row with nothing but a name counts.
func TestJudge(t *testing.T) {
	cfg, err := schema.Load(config.FS, "config")
	if err != nil {
		t.Fatal(err)
	}
	r := newNameRules(cfg.Layout, normalize.New(cfg).StripTitle)
	tests := []struct {
		text string
		want Verdict
	}{
		{"Nguyễn Văn An", Name},
		{"NGUYỄN VĂN AN", Name}, // capitals, a known family name
		{"Lò Văn B", Name},
		{"A Pôn", Name}, // a Xơ Đăng name: "A" for men
		{"Y Xuyên", Name},
		{"Ksor H'Lim", Name}, // every word capitalised
		{"Đ/c Nguyễn Văn An", Name},
		{"Ông Lê Văn Bình", Name},
		{"Nguyễn T. Hoa", Name},
		{"Phòng Tổ chức cán bộ", NotName},
		{"PHÒNG ĐÀO TẠO.", NotName},
		{"Bộ môn Cầu - Hầm", NotName},
		{"Tổ Hành chính - Văn thư", NotName},
		{"Cơ sở đào tạo Hà Nội", NotName},
		{"Lãnh đạo Chi cục", NotName},
		{"Nghiệp vụ", NotName},
		{"BGH - CÔNG ĐOÀN - ĐOÀN TN", NotName},
		{"I. CÁN BỘ", NotName},
		{"1. Phòng Nội vụ", NotName},
		{"Công ty TNHH Xây dựng Minh Long", NotName},
		{"Trong đó:", NotName},
		{"Ghi chú: danh sách kèm theo quyết định số 12", NotName},
		{"Người lập biểu", NotName},
		{"98/98 học viên được cấp chứng chỉ", NotName},
		{"Ký túc xá", NotName},    // section_words
		{"Xe đưa đón", MaybeName}, // lower-case words and no family name: neither, so reported
		{"KSOR H'LIM", Name},
		{"MINH TRANG HOA", MaybeName}, // capitals without a known family name
		{"Minh", MaybeName},
	}
	for _, tt := range tests {
		if got := r.judge(tt.text); got != tt.want {
			t.Errorf("judge(%q) = %v, want %v", tt.text, got, tt.want)
		}
	}
}
