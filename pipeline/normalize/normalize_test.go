package normalize_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"canbo/pipeline/internal/sheettest"
	"canbo/pipeline/issue"
	"canbo/pipeline/normalize"
	"canbo/pipeline/schema"
	"canbo/pipeline/workbook"
)

func setup(t testing.TB) (*schema.Config, *normalize.Normalizer) {
	t.Helper()
	cfg := sheettest.Config(t)
	return cfg, normalize.New(cfg)
}

func TestVocabulary(t *testing.T) {
	cfg, n := setup(t)
	tests := []struct {
		vocab, in, want string
		how             normalize.How
	}{
		{"trinh_do", "Thạc sĩ", "thac_si", normalize.Exact},
		{"trinh_do", "Thạc sỹ", "thac_si", normalize.Exact},
		{"trinh_do", "ThS", "thac_si", normalize.Exact},
		{"trinh_do", "Th.S", "thac_si", normalize.Exact},
		{"trinh_do", "Thạc sỹ QLKT", "thac_si", normalize.Prefix},
		{"trinh_do", "Thạc sĩ Luật", "thac_si", normalize.Prefix},
		{"trinh_do", "ĐH", "dai_hoc", normalize.Exact},
		{"trinh_do", "Cử nhân Luật", "dai_hoc", normalize.Prefix},
		{"trinh_do", "Kỹ sư Nông nghiệp", "dai_hoc", normalize.Prefix},
		{"trinh_do", "Đại học (Kế toán)", "dai_hoc", normalize.Prefix},
		{"trinh_do", "ĐẠI HỌC", "dai_hoc", normalize.Exact},
		{"trinh_do", "Đại họcc", "dai_hoc", normalize.Guessed},
		{"trinh_do", "Cao đẳng Sư phạm", "cao_dang", normalize.Prefix},
		{"trinh_do", "TC", "trung_cap", normalize.Exact},
		{"trinh_do", "Bằng A", "", normalize.NoMatch},
		{"ly_luan_chinh_tri", "Trung cấp LLCT", "trung_cap", normalize.Exact},
		{"ly_luan_chinh_tri", "Cao cấp LLCT - Hành chính", "cao_cap", normalize.Prefix},
		{"ly_luan_chinh_tri", "Cử nhân chính trị", "cao_cap", normalize.Exact},
		{"ly_luan_chinh_tri", "Chưa qua ĐT", "chua_qua_dao_tao", normalize.Exact},
		{"quan_ly_nha_nuoc", "CVC", "chuyen_vien_chinh", normalize.Exact},
		{"quan_ly_nha_nuoc", "Chuyên viên chính", "chuyen_vien_chinh", normalize.Exact},
		{"quan_ly_nha_nuoc", "Chuyên viên", "chuyen_vien", normalize.Exact},
		{"dan_toc", "H'Mông", "mong", normalize.Exact},
		{"dan_toc", "Hmông", "mong", normalize.Exact},
		{"dan_toc", "Mông", "mong", normalize.Exact},
		{"dan_toc", "Khơ-me", "khmer", normalize.Exact},
		{"dan_toc", "Khmer", "khmer", normalize.Exact},
		{"dan_toc", "Xơ Đăng", "xo_dang", normalize.Exact},
		{"dan_toc", "Thái Đen", "thai", normalize.Prefix},
		{"dan_toc", "Dao Đỏ", "dao", normalize.Exact},
		{"dan_toc", "TÀY", "tay", normalize.Exact},
		{"dan_toc", "Kinhh Xyz", "", normalize.NoMatch},
		{"gioi_tinh", "NỮ", "nu", normalize.Exact},
		{"gioi_tinh", "nữ", "nu", normalize.Exact},
		{"kinh_phi", "NS", "ngan_sach", normalize.Exact},
		{"kinh_phi", "Cá nhân tự túc", "tu_tuc", normalize.Exact},
		{"dien_quan_ly", "Thị ủy viên", "bch_huyen", normalize.Exact},
		{"dien_quan_ly", "Thành ủy viên", "bch_huyen", normalize.Exact},
		{"dien_quan_ly", "Huyện uỷ viên", "bch_huyen", normalize.Exact},
		{"dien_quan_ly", "Ủy viên BCH Đảng bộ thị xã", "bch_huyen", normalize.Exact},
		{"dien_quan_ly", "Ủy viên BCH Đảng bộ thành phố", "bch_huyen", normalize.Exact},
		{"dien_quan_ly", "UV BCH Đảng bộ tỉnh", "bch_tinh", normalize.Exact},
		{"dien_quan_ly", "Tỉnh ủy viên", "bch_tinh", normalize.Exact},
		{"dien_quan_ly", "Diện BTV TU quản lý", "btv_quan_ly", normalize.Exact},
		{"dien_quan_ly", "Trưởng phòng", "cap_phong", normalize.Exact},
		{"dien_quan_ly", "Phó trưởng phòng", "cap_phong", normalize.Exact},
		{"dien_quan_ly", "Phó Trưởng phòng và tương đương", "cap_phong", normalize.Exact},
		{"dien_quan_ly", "Lãnh đạo cấp phòng", "cap_phong", normalize.Exact},
		{"dien_quan_ly", "Trưởng phòng Nội vụ", "cap_phong", normalize.Prefix},
	}
	for _, tc := range tests {
		if cfg.Vocab[tc.vocab] == nil {
			t.Fatalf("no vocabulary %s", tc.vocab)
		}
		code, how := n.Matcher(tc.vocab).Match(tc.in)
		if code != tc.want || how != tc.how {
			t.Errorf("%s %q = %q (%v), want %q (%v)", tc.vocab, tc.in, code, how, tc.want, tc.how)
		}
	}
}

// TestMatchField: a category cell read for its field, beyond the plain vocabulary: the
// "Đang đào tạo" column's own spellings, a repeated header, a level being studied in the
// held-degree column, and "Không" where the vocabulary has no such value.
func TestMatchField(t *testing.T) {
	cfg, n := setup(t)
	tests := []struct {
		field, in, want string
		how             normalize.How
		none            bool
	}{
		{"dang_dao_tao", "Thạc sĩ", "thac_si", normalize.Exact, false},
		{"dang_dao_tao", "Đang học thạc sĩ", "thac_si", normalize.Exact, false},
		{"dang_dao_tao", "Đang học cao học", "thac_si", normalize.Exact, false},
		{"dang_dao_tao", "Đang theo học Thạc sĩ", "thac_si", normalize.Exact, false},
		{"dang_dao_tao", "Đang đào tạo thạc sĩ Luật", "thac_si", normalize.Prefix, false},
		{"dang_dao_tao", "Cao học", "thac_si", normalize.Exact, false},
		{"dang_dao_tao", "Cao học Quản lý công", "thac_si", normalize.Prefix, false},
		{"dang_dao_tao", "Sau đại học", "thac_si", normalize.Exact, false},
		{"dang_dao_tao", "NCS", "tien_si", normalize.Exact, false},
		{"dang_dao_tao", "Nghiên cứu sinh", "tien_si", normalize.Exact, false},
		{"dang_dao_tao", "Đang là nghiên cứu sinh", "", normalize.NoMatch, false},
		{"dang_dao_tao", "Tiến sỹ", "tien_si", normalize.Exact, false},
		{"dang_dao_tao", "Đại học Luật (VB2)", "dai_hoc", normalize.Prefix, false},
		{"dang_dao_tao", "Không", "", normalize.NoMatch, true}, // not studying: blank, not chua_qua_dao_tao
		{"dang_dao_tao", "Chưa", "", normalize.NoMatch, true},
		{"dang_dao_tao", "Đang học", "", normalize.NoMatch, false},
		{"dang_dao_tao", "x", "", normalize.NoMatch, false},
		// The held-degree column: a level being studied is no degree held.
		{"trinh_do_chuyen_mon", "Thạc sĩ (đang học)", "", normalize.NoMatch, false},
		{"trinh_do_chuyen_mon", "Thạc sĩ Luật - đang theo học", "", normalize.NoMatch, false},
		{"trinh_do_chuyen_mon", "Đang học thạc sĩ", "", normalize.NoMatch, false},
		{"trinh_do_chuyen_mon", "Đại học, đang học thạc sĩ", "dai_hoc", normalize.Prefix, false},
		{"trinh_do_chuyen_mon", "Thạc sĩ Luật", "thac_si", normalize.Prefix, false},
		{"trinh_do_chuyen_mon", "NCS", "", normalize.NoMatch, false},
		{"trinh_do_chuyen_mon", "Không", "chua_qua_dao_tao", normalize.Exact, false},
		{"trinh_do_chuyen_mon", "Chuyên môn: Đại học", "dai_hoc", normalize.Exact, false},
		{"quan_ly_nha_nuoc", "Quản lý nhà nước ngạch chuyên viên", "chuyen_vien", normalize.Exact, false},
		{"dan_toc", "Không", "", normalize.NoMatch, true},
		{"dan_toc", "Dân tộc Tày", "tay", normalize.Exact, false},
	}
	for _, tc := range tests {
		f := cfg.Field(tc.field)
		code, how, none := n.MatchField(f, tc.in)
		if code != tc.want || how != tc.how || none != tc.none {
			t.Errorf("%s %q = %q (%v, none %v), want %q (%v, none %v)", tc.field, tc.in, code, how, none, tc.want, tc.how, tc.none)
		}
	}
}

// TestFieldVocabularies: a vocabulary named after a field gives that field's spellings
// only; its codes must be the field's vocabulary's, in the same order, so that rules such as
// dang_dao_tao >= "thac_si" mean the same as for trinh_do_chuyen_mon.
func TestFieldVocabularies(t *testing.T) {
	cfg, _ := setup(t)
	found := 0
	for _, f := range cfg.Schema.Fields {
		own, v := cfg.Vocab[f.Code], cfg.VocabOf(f)
		if own == nil || v == nil || own == v {
			continue
		}
		found++
		var a, b []string
		for _, x := range own.Values {
			a = append(a, x.Code)
		}
		for _, x := range v.Values {
			b = append(b, x.Code)
		}
		if fmt.Sprint(a) != fmt.Sprint(b) || own.Ordered != v.Ordered {
			t.Errorf("vocabulary %s: codes %v (ordered %v), want those of %s: %v (ordered %v)", own.Code, a, own.Ordered, v.Code, b, v.Ordered)
		}
	}
	if found == 0 {
		t.Error("no field-specific vocabulary (dang_dao_tao) in the configuration")
	}
}

// TestRecordBlankAndStudying: cells that say nothing are blank, not errors; the
// studying column reads what is being studied.
func TestRecordBlankAndStudying(t *testing.T) {
	cfg, n := setup(t)
	f := cfg.Field
	cols := []normalize.Column{{Col: 1, Field: f("ho_ten")}, {Col: 2, Field: f("ngay_sinh")}, {Col: 3, Field: f("gioi_tinh")},
		{Col: 4, Field: f("trinh_do_chuyen_mon")}, {Col: 5, Field: f("dang_dao_tao")}, {Col: 6, Field: f("dang_vien")}, {Col: 7, Field: f("ghi_chu")}}
	sh := &normalize.Sheet{File: "a.xlsx", Sheet: "DS", Dataset: cfg.Dataset("roster"), Columns: cols,
		AsOf: time.Date(2023, 9, 30, 0, 0, 0, 0, time.UTC)}
	tests := []struct {
		field, cell string
		want        string     // code or text; "" unset
		issue       issue.Code // "" none
	}{
		{"dang_dao_tao", "Đang học thạc sĩ", "thac_si", ""},
		{"dang_dao_tao", "NCS", "tien_si", ""},
		{"dang_dao_tao", "-", "", ""},
		{"dang_dao_tao", "—", "", ""},
		{"dang_dao_tao", "/", "", ""},
		{"dang_dao_tao", ".", "", ""},
		{"dang_dao_tao", "Không", "", ""},
		{"dang_dao_tao", "x", "", issue.UnknownValue},
		{"trinh_do_chuyen_mon", "Thạc sĩ (đang học)", "", issue.UnknownValue},
		{"trinh_do_chuyen_mon", "-", "", ""},
		{"trinh_do_chuyen_mon", "Không", "chua_qua_dao_tao", ""},
		{"ngay_sinh", "-", "", issue.RequiredValue},
		// A date that only reads month first is an error at its cell, never 25 March.
		{"ngay_sinh", "03/25/1980", "", issue.BadDate},
		{"ngay_sinh", "12/11/1980", "1980-11-12", ""},
		// A date no one has is a placeholder, blank with a warning; 01/01/1970 alone is a real date.
		{"ngay_sinh", "01/01/1900", "", issue.PlaceholderDate},
		{"ngay_sinh", "0000-00-00", "", issue.PlaceholderDate},
		{"ngay_sinh", "01/01/1970", "1970-01-01", ""},
		{"dang_vien", "01-01-1900", "", issue.PlaceholderDate},
		{"dang_vien", "12/03/2001", "true", ""},
		{"dang_vien", "-", "", ""},
		{"dang_vien", "✓", "true", ""},
		{"dang_vien", "+", "true", ""},
		{"ghi_chu", "-", "", ""},
	}
	for _, tc := range tests {
		cells := []workbook.Cell{{Col: 1, Kind: workbook.Text, Text: "Lâm Văn Tư"}, {Col: 2, Kind: workbook.Text, Text: "05/03/1985"},
			{Col: 3, Kind: workbook.Text, Text: "Nam"}}
		for _, c := range cols {
			if c.Field.Code == tc.field {
				cells = slices.DeleteFunc(cells, func(x workbook.Cell) bool { return x.Col == c.Col })
				cells = append(cells, workbook.Cell{Col: c.Col, Kind: workbook.Text, Text: tc.cell})
			}
		}
		slices.SortFunc(cells, func(a, b workbook.Cell) int { return a.Col - b.Col })
		rec, iss := n.Record(sh, workbook.Row{Num: 8, Cells: cells})
		v := rec.Value(f(tc.field))
		got := ""
		if v.Set {
			got = v.Text
		}
		var codes []issue.Code
		for _, is := range iss {
			codes = append(codes, is.Code)
		}
		wantIssues := []issue.Code(nil)
		if tc.issue != "" {
			wantIssues = []issue.Code{tc.issue}
		}
		if got != tc.want || fmt.Sprint(codes) != fmt.Sprint(wantIssues) {
			t.Errorf("%s %q = %q, issues %v; want %q, %v", tc.field, tc.cell, got, codes, tc.want, wantIssues)
		}
	}
}

func TestParseDateText(t *testing.T) {
	pivot := time.Date(2023, 9, 30, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		in   string
		want string // "" means an error
		q    normalize.DateQuality
	}{
		{"05/03/1985", "1985-03-05", normalize.FullDate},
		{"5/3/85", "1985-03-05", normalize.FullDate},
		{"5/3/05", "2005-03-05", normalize.FullDate},
		{"05.03.1985", "1985-03-05", normalize.FullDate},
		{"05-03-1985", "1985-03-05", normalize.FullDate},
		{"12/11/1980", "1980-11-12", normalize.FullDate}, // day first, never month first
		{"1985-03-05", "1985-03-05", normalize.FullDate},
		{"1979", "1979-01-01", normalize.YearOnly},
		{"00/00/1979", "1979-01-01", normalize.YearOnly},
		{"…/…/1979", "1979-01-01", normalize.YearOnly},
		{"03/1979", "1979-03-01", normalize.YearOnly},
		{"ngày 05 tháng 3 năm 1985", "1985-03-05", normalize.FullDate},
		{"31/02/1980", "", 0},
		{"13/13/1980", "", 0},
		{"không rõ", "", 0},
	}
	for _, tc := range tests {
		got, q, err := normalize.ParseDateText(tc.in, pivot)
		switch {
		case tc.want == "" && err == nil:
			t.Errorf("%q = %v, want an error", tc.in, got)
		case tc.want != "" && (err != nil || got.Format("2006-01-02") != tc.want || q != tc.q):
			t.Errorf("%q = %v, %v, %v; want %s, %v", tc.in, got, q, err, tc.want, tc.q)
		}
	}
}

func TestSerialDate(t *testing.T) {
	for _, tc := range []struct {
		serial float64
		d1904  bool
		want   string
	}{
		{1, false, "1900-01-01"}, {59, false, "1900-02-28"}, {61, false, "1900-03-01"},
		{29285, false, "1980-03-05"}, {29285 - 1462, true, "1980-03-05"},
	} {
		got, ok := normalize.SerialDate(tc.serial, tc.d1904)
		if !ok || got.Format("2006-01-02") != tc.want {
			t.Errorf("SerialDate(%v, %v) = %v, %v; want %s", tc.serial, tc.d1904, got, ok, tc.want)
		}
	}
	if _, ok := normalize.SerialDate(60, false); ok {
		t.Error("serial 60 (29/02/1900, which never existed) accepted")
	}
}

func TestParseNumber(t *testing.T) {
	for in, want := range map[string]float64{
		"80,67%": 0.8067, "0,77%": 0.0077, "212.600": 212600, "1.234,5": 1234.5, "1,234.5": 1234.5,
		"12.5": 12.5, "19": 19, " 3,0 ": 3,
	} {
		got, ok := normalize.ParseNumber(in)
		if !ok || got < want-1e-12 || got > want+1e-12 {
			t.Errorf("ParseNumber(%q) = %v, %v; want %v", in, got, ok, want)
		}
	}
	if _, ok := normalize.ParseNumber("abc"); ok {
		t.Error("abc parsed as a number")
	}
}

func TestParseID(t *testing.T) {
	tests := []struct {
		text     string
		isNum    bool
		num      float64
		want     string
		lost, ok bool
	}{
		{"006085001234", false, 0, "006085001234", false, true},
		{"006 085 001 234", false, 0, "006085001234", false, true},
		{"", true, 6085001234, "006085001234", true, true},
		{"", true, 123456789, "123456789", false, true},
		{"12345", false, 0, "12345", false, false},
		{"CMND 1234", false, 0, "CMND 1234", false, false},
	}
	for _, tc := range tests {
		got := normalize.ParseID(tc.text, tc.isNum, tc.num)
		if got.Digits != tc.want || got.ZerosLost != tc.lost || got.Valid != tc.ok {
			t.Errorf("ParseID(%q, %v, %v) = %+v", tc.text, tc.isNum, tc.num, got)
		}
	}
}

func TestClassifyTraining(t *testing.T) {
	_, n := setup(t)
	for course, want := range map[string]string{
		"Trung cấp lý luận chính trị - hành chính": "ly_luan_chinh_tri",
		"Trung cấp LLCT": "ly_luan_chinh_tri",
		"Bồi dưỡng lý luận chính trị cho đảng viên mới":                       "ly_luan_chinh_tri",
		"Đại học Luật (vừa làm vừa học)":                                      "chuyen_mon_nghiep_vu",
		"Bồi dưỡng nghiệp vụ kế toán ngân sách xã":                            "chuyen_mon_nghiep_vu",
		"Bồi dưỡng QLNN ngạch chuyên viên":                                    "quan_ly_nha_nuoc",
		"Bồi dưỡng kiến thức quản lý nhà nước chương trình chuyên viên chính": "quan_ly_nha_nuoc",
		"Bồi dưỡng kiến thức, kỹ năng chuyên ngành theo vị trí việc làm":      "vi_tri_viec_lam",
		"Bồi dưỡng kỹ năng lãnh đạo, quản lý cấp xã":                          "lanh_dao_quan_ly",
		"Bồi dưỡng kiến thức QP-AN đối tượng 4":                               "quoc_phong_an_ninh",
		"Tiếng Tày": "tin_hoc_ngoai_ngu",
		"Chứng chỉ ứng dụng CNTT cơ bản": "tin_hoc_ngoai_ngu",
		"Bồi dưỡng kỹ năng hoạt động cho đại biểu Hội đồng nhân dân nhiệm kỳ 2021-2026": "dai_bieu_hdnd",
		"Bồi dưỡng nâng cao năng lực đại biểu HĐND cấp xã":                              "dai_bieu_hdnd",
		"Hội thảo khoa học": "khac",
	} {
		if got, _ := n.Classifier().Classify(course); got != want {
			t.Errorf("%q → %s, want %s", course, got, want)
		}
	}
}

// TestRecordNeverDropsPerson: every bad value gives an issue and leaves the field
// unset, and the record is still returned.
func TestRecordNeverDropsPerson(t *testing.T) {
	cfg, n := setup(t)
	f := func(c string) *schema.Field { return cfg.Field(c) }
	cols := []normalize.Column{{Col: 1, Field: f("ho_ten")}, {Col: 2, Field: f("ngay_sinh"), Mark: &normalize.Mark{Field: f("gioi_tinh"), Code: "nu"}},
		{Col: 3, Field: f("trinh_do_chuyen_mon")}, {Col: 4, Field: f("so_dinh_danh")}, {Col: 5, Field: f("dan_toc")}, {Col: 6, Field: f("dang_vien")}}
	sh := &normalize.Sheet{File: "a.xlsx", Sheet: "DS", Dataset: cfg.Dataset("roster"), Columns: cols,
		AsOf: time.Date(2023, 9, 30, 0, 0, 0, 0, time.UTC)}
	txt := func(col int, s string) workbook.Cell { return workbook.Cell{Col: col, Kind: workbook.Text, Text: s} }
	row := workbook.Row{Num: 12, Cells: []workbook.Cell{txt(1, "Hoàng Thị Lan"), txt(2, "31/02/1980"), txt(3, "Bằng A"),
		{Col: 4, Kind: workbook.Number, Text: "6085001234", Num: 6085001234}, txt(5, "Tày"), {Col: 6, Kind: workbook.Text, Text: "x"}}}
	rec, iss := n.Record(sh, row)
	if rec.Row != 12 || rec.Value(f("ho_ten")).Text != "Hoàng Thị Lan" {
		t.Fatalf("record lost: %+v", rec)
	}
	if got := rec.Code(f("trinh_do_chuyen_mon")); got != schema.Unknown {
		t.Errorf("bad education counted as %s", got)
	}
	if got := rec.Code(f("gioi_tinh")); got != "nu" {
		t.Errorf("sex from the Nữ column = %s", got)
	}
	if got := rec.Value(f("so_dinh_danh")).Text; got != "006085001234" {
		t.Errorf("id = %s", got)
	}
	codes := map[issue.Code]string{}
	for _, is := range iss {
		codes[is.Code] = is.Cell()
	}
	for code, cell := range map[issue.Code]string{issue.BadDate: "B12", issue.UnknownValue: "C12", issue.IDZeroLost: "D12"} {
		if codes[code] != cell {
			t.Errorf("issue %s at %q, want %s (all: %v)", code, codes[code], cell, codes)
		}
	}
}

// FuzzValues: parsing any text must not panic, and a matched code must belong to the
// vocabulary.
func FuzzValues(f *testing.F) {
	cfg, n := setup(f)
	for _, s := range []string{"Thạc sỹ", "5/3/85", "80,67%", "H'Mông", "…/…/1979", "", "ngày 1 tháng 2 năm 3"} {
		f.Add(s)
	}
	pivot := time.Date(2023, 9, 30, 0, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, s string) {
		_, _, _ = normalize.ParseDateText(s, pivot)
		_, _ = normalize.ParseNumber(s)
		_ = normalize.ParseID(s, false, 0)
		for code, v := range cfg.Vocab {
			c, how := n.Matcher(code).Match(s)
			if how != normalize.NoMatch {
				if _, ok := v.Rank(c); !ok {
					t.Fatalf("%s: %q matched unknown code %q", code, s, c)
				}
			}
		}
		_, _ = n.Classifier().Classify(s)
	})
}

// TestStripTitle: an honorific before a name is not part of it, so the same person
// written with and without "Đ/c" is one person, and reports show the name alone.
func TestStripTitle(t *testing.T) {
	n := normalize.New(sheettest.Config(t))
	for in, want := range map[string]string{
		"Đ/c Nguyễn Văn An":   "Nguyễn Văn An",
		"đ/c Vàng A Sử":       "Vàng A Sử",
		"Đồng chí Lê Thị Hoa": "Lê Thị Hoa",
		"Ông Trần Văn Tú":     "Trần Văn Tú",
		"Nguyễn Văn Ông":      "Nguyễn Văn Ông",
		"Anh Thư":             "Anh Thư", // a given name, not "anh" + one word
		"Ông":                 "Ông",
	} {
		if got := n.StripTitle(in); got != want {
			t.Errorf("StripTitle(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestCellTooLong: a cell beyond Excel's 32,767 characters (a 10 MB cell written by a
// program) gives a warning and a value cut short, so no report swells with it; the
// message quotes a short piece.
func TestCellTooLong(t *testing.T) {
	cfg := sheettest.Config(t)
	n := normalize.New(cfg)
	f := cfg.Field
	sh := &normalize.Sheet{File: "a.xlsx", Sheet: "DS", Dataset: cfg.Dataset("roster"),
		Columns: []normalize.Column{{Col: 1, Field: f("ho_ten")}, {Col: 2, Field: f("ghi_chu")}},
		AsOf:    time.Date(2023, 9, 30, 0, 0, 0, 0, time.UTC)}
	long := strings.Repeat("Ghi chú rất dài. ", 1<<16) // ~1 MB
	rec, iss := n.Record(sh, workbook.Row{Num: 5, Cells: []workbook.Cell{
		{Col: 1, Kind: workbook.Text, Text: "Nguyễn Văn An"}, {Col: 2, Kind: workbook.Text, Text: long}}})
	v := rec.Value(f("ghi_chu"))
	if !v.Set || len([]rune(v.Text)) > 1001 || len(v.Raw) > 1000 {
		t.Errorf("value kept %d characters, raw %d bytes", len([]rune(v.Text)), len(v.Raw))
	}
	if len(iss) != 1 || iss[0].Code != issue.CellTooLong || len(iss[0].Raw) > 1000 {
		t.Errorf("issues %v", iss)
	}
}

// TestMarksRowByRow: mark columns read row after row on one sheet (whose buffer of
// mark hits each row reuses) give each row its own marks: the highest of several
// levels, a conflict between Nam and Nữ, the unmarked code when no sex column is
// marked, and nothing carried over from the row before.
func TestMarksRowByRow(t *testing.T) {
	cfg, n := setup(t)
	f := func(c string) *schema.Field { return cfg.Field(c) }
	mark := func(field, code string) *normalize.Mark { return &normalize.Mark{Field: f(field), Code: code} }
	cols := []normalize.Column{{Col: 1, Field: f("ho_ten")},
		{Col: 2, Mark: mark("gioi_tinh", "nam")}, {Col: 3, Mark: mark("gioi_tinh", "nu")},
		{Col: 4, Mark: mark("trinh_do_chuyen_mon", "dai_hoc")}, {Col: 5, Mark: mark("trinh_do_chuyen_mon", "thac_si")}}
	sh := &normalize.Sheet{File: "a.xlsx", Sheet: "DS", Dataset: cfg.Dataset("roster"), Columns: cols,
		AsOf: time.Date(2023, 9, 30, 0, 0, 0, 0, time.UTC)}
	x := func(col int) workbook.Cell { return workbook.Cell{Col: col, Kind: workbook.Text, Text: "x"} }
	name := workbook.Cell{Col: 1, Kind: workbook.Text, Text: "Lò Văn Pá"}
	for i, c := range []struct {
		cells      []workbook.Cell
		sex, level string
		conflict   bool
	}{
		{[]workbook.Cell{name, x(3), x(4), x(5)}, "nu", "thac_si", false},
		{[]workbook.Cell{name, x(2), x(3), x(4)}, schema.Unknown, "dai_hoc", true},
		{[]workbook.Cell{name}, "nam", schema.Unknown, false},
		{[]workbook.Cell{name, x(5), x(2)}, "nam", "thac_si", false},
		{[]workbook.Cell{name, x(4)}, "nam", "dai_hoc", false},
	} {
		rec, iss := n.Record(sh, workbook.Row{Num: 10 + i, Cells: c.cells})
		if got := rec.Code(f("gioi_tinh")); got != c.sex {
			t.Errorf("row %d: sex %s, want %s", 10+i, got, c.sex)
		}
		if got := rec.Code(f("trinh_do_chuyen_mon")); got != c.level {
			t.Errorf("row %d: level %s, want %s", 10+i, got, c.level)
		}
		conflict := false
		for _, is := range iss {
			conflict = conflict || is.Code == issue.ConflictMarks
		}
		if conflict != c.conflict {
			t.Errorf("row %d: conflict reported %v, want %v (%v)", 10+i, conflict, c.conflict, iss)
		}
	}
}
