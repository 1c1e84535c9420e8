package layout_test

import (
	"reflect"
	"slices"
	"strings"
	"testing"

	"golang.org/x/text/unicode/norm"

	"canbo/pipeline/internal/sheettest"
	"canbo/pipeline/issue"
	"canbo/pipeline/layout"
	"canbo/pipeline/normalize"
	"canbo/pipeline/workbook"
)

func detector(t testing.TB) *layout.Detector {
	t.Helper()
	return layout.New(normalize.New(sheettest.Config(t)))
}

// mapping renders a table's columns as "B=ho_ten", "C=ngay_sinh/gioi_tinh=nam", "G=/trinh_do_chuyen_mon=dai_hoc".
func mapping(tb *layout.Table) []string {
	var out []string
	for _, c := range tb.Columns {
		s := issue.ColumnName(c.Col) + "="
		if c.Field != nil {
			s += c.Field.Code
		}
		if c.Mark != nil {
			s += "/" + c.Mark.Field.Code + "=" + c.Mark.Code
		}
		out = append(out, s)
	}
	return out
}

func TestDetect(t *testing.T) {
	d := detector(t)
	nfd := func(s string) string { return norm.NFD.String(s) }
	tests := []struct {
		name       string
		sheet      sheettest.Sheet
		dataset    string
		headerRows []int
		numbering  int
		cols       []string
		unit       string
		asOf       string
	}{
		{
			name: "header in row 1",
			sheet: sheettest.Sheet{Name: "DS", Rows: [][]any{
				{"STT", "Họ và tên", "Ngày sinh", "Giới tính", "Dân tộc", "Trình độ chuyên môn", "Ghi chú"},
				{1, "Nguyễn Văn A", "05/03/1985", "Nam", "Tày", "Đại học", ""},
			}},
			dataset: "roster", headerRows: []int{1},
			cols: []string{"A=stt", "B=ho_ten", "C=ngay_sinh", "D=gioi_tinh", "E=dan_toc", "F=trinh_do_chuyen_mon", "G=ghi_chu"},
		},
		{
			name: "title block, merged two-row header, birth date under Nam/Nữ, column numbers",
			sheet: sheettest.Sheet{Name: "DS", Rows: [][]any{
				{"UBND HUYỆN CHỢ ĐỒN", nil, nil, nil, nil, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"},
				{"UBND XÃ NGHĨA TÁ", nil, nil, nil, nil, "Độc lập - Tự do - Hạnh phúc"},
				nil,
				{"DANH SÁCH TRÍCH NGANG CÁN BỘ, CÔNG CHỨC XÃ NGHĨA TÁ"},
				{"(Tính đến ngày 30/09/2023)"},
				nil,
				{"STT", "Họ và tên", "Ngày tháng năm sinh", nil, "Trình độ", nil, nil, "Đảng viên"},
				{nil, nil, "Nam", "Nữ", "Chuyên môn", "Lý luận chính trị", "Quản lý nhà nước"},
				{"(1)", "(2)", "(3)", "(4)", "(5)", "(6)", "(7)", "(8)"},
				{1, "Nguyễn Văn A", sheettest.Date(1980, 1, 2), nil, "Đại học", "Trung cấp", "CV", "x"},
			},
				Merges: []string{"A7:A8", "B7:B8", "C7:D7", "E7:G7", "H7:H8", "A4:H4"}},
			dataset: "roster", headerRows: []int{7, 8}, numbering: 9,
			cols: []string{"A=stt", "B=ho_ten", "C=ngay_sinh/gioi_tinh=nam", "D=ngay_sinh/gioi_tinh=nu",
				"E=trinh_do_chuyen_mon", "F=ly_luan_chinh_tri", "G=quan_ly_nha_nuoc", "H=dang_vien"},
			unit: "UBND xã Nghĩa Tá", asOf: "2023-09-30",
		},
		{
			name: "x mark columns and a lone Nữ column",
			sheet: sheettest.Sheet{Name: "CBCC", Rows: [][]any{
				{"TT", "Họ tên", "Nữ", "Trình độ chuyên môn", nil, nil, "Lý luận chính trị", nil},
				{nil, nil, nil, "Thạc sĩ", "Đại học", "Trung cấp", "Cao cấp", "Trung cấp"},
				{1, "Lò Văn B", "x", nil, "x", nil, nil, "x"},
			},
				Merges: []string{"A1:A2", "B1:B2", "C1:C2", "D1:F1", "G1:H1"}},
			dataset: "roster", headerRows: []int{1, 2},
			cols: []string{"A=stt", "B=ho_ten", "C=/gioi_tinh=nu", "D=/trinh_do_chuyen_mon=thac_si",
				"E=/trinh_do_chuyen_mon=dai_hoc", "F=/trinh_do_chuyen_mon=trung_cap",
				"G=/ly_luan_chinh_tri=cao_cap", "H=/ly_luan_chinh_tri=trung_cap"},
		},
		{
			name: "abbreviated headers",
			sheet: sheettest.Sheet{Name: "Sheet1", Rows: [][]any{
				{"Đơn vị: UBND xã Bằng Phúc"},
				{"STT", "Họ và tên", "Ngày, tháng, năm sinh", "Số CCCD", "TĐCM", "LLCT", "QLNN"},
			}},
			dataset: "roster", headerRows: []int{2},
			cols: []string{"A=stt", "B=ho_ten", "C=ngay_sinh", "D=so_dinh_danh", "E=trinh_do_chuyen_mon", "F=ly_luan_chinh_tri", "G=quan_ly_nha_nuoc"},
			unit: "UBND xã Bằng Phúc",
		},
		{
			name: "decomposed text and line breaks in headers",
			sheet: sheettest.Sheet{Name: "DS", Rows: [][]any{
				{nfd("Họ và\ntên"), nfd("Ngày\u00a0sinh"), nfd("Trình độ\nchuyên môn"), nfd("Dân tộc")},
			}},
			dataset: "roster", headerRows: []int{1},
			cols: []string{"A=ho_ten", "B=ngay_sinh", "C=trinh_do_chuyen_mon", "D=dan_toc"},
		},
		{
			name: "combined Chức vụ, đơn vị công tác column is the position, not the unit",
			sheet: sheettest.Sheet{Name: "DS", Rows: [][]any{
				{"STT", "Họ và tên", "Ngày sinh", "Chức vụ, đơn vị công tác", "Trình độ chuyên môn"},
			}},
			dataset: "roster", headerRows: []int{1},
			cols: []string{"A=stt", "B=ho_ten", "C=ngay_sinh", "D=chuc_vu", "E=trinh_do_chuyen_mon"},
		},
		{
			name: "mark columns under Đang đào tạo",
			sheet: sheettest.Sheet{Name: "DS", Rows: [][]any{
				{"STT", "Họ và tên", "Trình độ chuyên môn", "Đang đào tạo", nil},
				{nil, nil, nil, "Thạc sĩ", "Tiến sĩ"},
			}, Merges: []string{"A1:A2", "B1:B2", "C1:C2", "D1:E1"}},
			dataset: "roster", headerRows: []int{1, 2},
			cols: []string{"A=stt", "B=ho_ten", "C=trinh_do_chuyen_mon", "D=/dang_dao_tao=thac_si", "E=/dang_dao_tao=tien_si"},
		},
		{
			name: "training register with a unit column",
			sheet: sheettest.Sheet{Name: "Đào tạo", Rows: [][]any{
				{"SỔ THEO DÕI ĐÀO TẠO, BỒI DƯỠNG"},
				{"STT", "Họ và tên", "Ngày sinh", "Đơn vị", "Nội dung đào tạo, bồi dưỡng", "Thời gian", nil, "Kinh phí"},
				{nil, nil, nil, nil, nil, "Từ ngày", "Đến ngày", nil},
			},
				Merges: []string{"A2:A3", "B2:B3", "C2:C3", "D2:D3", "E2:E3", "F2:G2", "H2:H3"}},
			dataset: "training", headerRows: []int{2, 3},
			cols: []string{"A=stt", "B=ho_ten", "C=ngay_sinh", "D=don_vi", "E=khoa_hoc", "F=tu_ngay", "G=den_ngay", "H=kinh_phi"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := sheettest.Write(t, t.TempDir(), "t.xlsx", tc.sheet)
			tb := d.Detect(sheettest.Rows(t, path, 0))
			if tb == nil {
				t.Fatal("no table found")
			}
			if tb.Dataset.Code != tc.dataset {
				t.Errorf("dataset = %s, want %s", tb.Dataset.Code, tc.dataset)
			}
			if !reflect.DeepEqual(tb.HeaderRows, tc.headerRows) {
				t.Errorf("header rows = %v, want %v", tb.HeaderRows, tc.headerRows)
			}
			if tb.NumberingRow != tc.numbering {
				t.Errorf("numbering row = %d, want %d", tb.NumberingRow, tc.numbering)
			}
			if got := mapping(tb); !reflect.DeepEqual(got, tc.cols) {
				t.Errorf("columns:\n got %v\nwant %v", got, tc.cols)
			}
			if tb.Unit != tc.unit {
				t.Errorf("unit = %q, want %q", tb.Unit, tc.unit)
			}
			got := ""
			if !tb.AsOf.IsZero() {
				got = tb.AsOf.Format("2006-01-02")
			}
			if got != tc.asOf {
				t.Errorf("as of = %q, want %q", got, tc.asOf)
			}
		})
	}
}

func TestDetectNoTable(t *testing.T) {
	d := detector(t)
	for name, s := range map[string]sheettest.Sheet{
		"dropdown lists": {Name: "DanhMuc", Rows: [][]any{{"Trình độ"}, {"Tiến sĩ"}, {"Thạc sĩ"}, {"Đại học"}}},
		"empty":          {Name: "Trống"},
		"BM01 count form": {Name: "BM01", Rows: [][]any{
			{"STT", "Tên đơn vị", "Tổng số", "Nữ", "Đảng viên"}, {1, "Sở Nội vụ", 40, 20, 30}}},
	} {
		t.Run(name, func(t *testing.T) {
			path := sheettest.Write(t, t.TempDir(), "t.xlsx", s)
			if tb := d.Detect(sheettest.Rows(t, path, 0)); tb != nil {
				t.Errorf("found a %s table in %s: %v", tb.Dataset.Code, name, mapping(tb))
			}
		})
	}
}

func TestClassify(t *testing.T) {
	d := detector(t)
	sheet := sheettest.Sheet{Name: "DS", Rows: [][]any{
		{"STT", "Họ và tên", "Ngày sinh", "Chức vụ", "Trình độ chuyên môn"}, // 1 header
		{"I", "CÁN BỘ"}, // 2 group (roman numeral)
		{1, "Nguyễn Văn A", "01/02/1980", "Bí thư", "Đại học"}, // 3 data
		nil, // (blank: not written)
		{2, "Trần Thị B", "03/04/1990", "Chủ tịch UBND", "Thạc sĩ"}, // 5 data, although "Chủ tịch" is a footer word
		{"Trong đó:"},      // 6 group
		{3, "Hoàng Văn C"}, // 7 data: a person with only a name is kept
		{"STT", "Họ và tên", "Ngày sinh", "Chức vụ", "Trình độ chuyên môn"}, // 8 repeated header
		{"Tổng cộng: 3 người"},                                       // 9 total written in the STT column
		{nil, "Cộng", nil, nil, nil},                                 // 10 total
		{nil, "Công chức"},                                           // 11 group, not a total: Công ≠ Cộng
		{"Năm 2021", "Năm 2021", "Năm 2021", "Năm 2021", "Năm 2021"}, // 12 group: one merged banner
		{nil, "Nghĩa Tá, ngày 30 tháng 9 năm 2023"},                  // 13 footer
		{"Tổng số: 67 đồng chí", "Tổng số: 67 đồng chí"},             // 14 total, although merged A:B
		{nil, nil, "Sóc Trăng, ngày 02 tháng 10 năm 2023", "", ""},   // 15 footer, although merged C:E
		{"GIÁM ĐỐC, PHÓ GIÁM ĐỐC SỞ", "", "", "", ""},                // 16 group: a banner across the row, not a signature
		{"Lớp khai giảng ngày 5 tháng 3 năm 2021", "", "", "", ""},   // 17 group: a date inside a heading
		{nil, nil, nil, "THỦ TRƯỞNG CƠ QUAN", ""},                    // 18 footer: a signature merged D:E
		{nil, "Tổng cộng: 65 học viên"},                              // 19 total
		{"I", "HUYỆN ỦY VIÊN"},                                       // 20 group
		{nil, "Tổng hợp khối đoàn thể"},                              // 21 group: "Tổng" starts a heading, not a total
		{nil, "Tổng: 12"},                                            // 22 total
	}, Merges: []string{"A12:E12", "A14:B14", "C15:E15", "A16:E16", "A17:E17", "D18:E18"}}
	path := sheettest.Write(t, t.TempDir(), "t.xlsx", sheet)
	rows := sheettest.Rows(t, path, 0)
	tb := d.Detect(rows)
	if tb == nil {
		t.Fatal("no table")
	}
	want := map[int]layout.Kind{2: layout.Group, 3: layout.Data, 5: layout.Data, 6: layout.Group, 7: layout.Data,
		8: layout.Repeat, 9: layout.Total, 10: layout.Total, 11: layout.Group, 12: layout.Group, 13: layout.Footer,
		14: layout.Total, 15: layout.Footer, 16: layout.Group, 17: layout.Group, 18: layout.Footer, 19: layout.Total,
		20: layout.Group, 21: layout.Group, 22: layout.Total}
	byNum := map[int]workbook.Row{}
	for _, r := range rows[1:] {
		byNum[r.Num] = r
		if got := tb.Classify(r); got != want[r.Num] {
			t.Errorf("row %d: %v, want %v", r.Num, got, want[r.Num])
		}
	}
	// The stated count of a totals row, compared with the persons counted.
	for num, n := range map[int]int{9: 3, 14: 67, 19: 65, 10: -1} {
		got, ok := layout.TotalCount(byNum[num])
		if n < 0 && ok || n >= 0 && (!ok || got != n) {
			t.Errorf("TotalCount(row %d) = %d, %v; want %d", num, got, ok, n)
		}
	}
}

// TestTitleUnit: the unit named by the title block above the header, written the way
// official documents write it.
func TestTitleUnit(t *testing.T) {
	d := detector(t)
	for _, tc := range []struct {
		lines [][]any // title rows, above a one-row header
		want  string
	}{
		{[][]any{{"UBND HUYỆN CHỢ ĐỒN"}, {"UBND XÃ NGHĨA TÁ"}}, "UBND xã Nghĩa Tá"},
		{[][]any{{"ỦY BAN NHÂN DÂN THỊ TRẤN BẰNG LŨNG"}}, "Ủy ban nhân dân thị trấn Bằng Lũng"},
		// A part of a Party committee is named after it.
		{[][]any{{"TỈNH ỦY SÓC TRĂNG", nil, nil, "ĐẢNG CỘNG SẢN VIỆT NAM"}, {"VĂN PHÒNG"}}, "Văn phòng Tỉnh ủy Sóc Trăng"},
		{[][]any{{"TỈNH ỦY SÓC TRĂNG", nil, nil, "ĐẢNG CỘNG SẢN VIỆT NAM"}, {"BAN TỔ CHỨC"}, {"*"}}, "Ban Tổ chức Tỉnh ủy Sóc Trăng"},
		{[][]any{{"TỈNH ỦY SÓC TRĂNG"}, {"VĂN PHÒNG TỈNH ỦY"}}, "Văn phòng Tỉnh ủy"},
		{[][]any{{"UBND TỈNH SÓC TRĂNG"}, {"VĂN PHÒNG"}}, "Văn phòng UBND tỉnh Sóc Trăng"},
		{[][]any{{"UBND TỈNH SÓC TRĂNG"}, {"SỞ NỘI VỤ"}}, "Sở Nội vụ"},
		{[][]any{{"UBND HUYỆN CHỢ ĐỒN"}, {"PHÒNG NỘI VỤ"}}, "Phòng Nội vụ"},
		// Committees, fields and proper names.
		{[][]any{{"HUYỆN ỦY KẾ SÁCH"}, {"*"}}, "Huyện ủy Kế Sách"},
		{[][]any{{"HUYỆN UỶ KẾ SÁCH"}}, "Huyện ủy Kế Sách"}, // old tone placement
		{[][]any{{"THỊ ỦY VĨNH CHÂU"}}, "Thị ủy Vĩnh Châu"},
		{[][]any{{"THÀNH ỦY SÓC TRĂNG"}}, "Thành ủy Sóc Trăng"},
		{[][]any{{"ĐẢNG ỦY XÃ YÊN PHONG"}}, "Đảng ủy xã Yên Phong"},
		{[][]any{{"SỞ TÀI CHÍNH"}}, "Sở Tài chính"},
		{[][]any{{"SỞ KẾ HOẠCH VÀ ĐẦU TƯ"}}, "Sở Kế hoạch và Đầu tư"},
		{[][]any{{"SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH"}}, "Sở Văn hóa, Thể thao và Du lịch"},
		{[][]any{{"PHÒNG TÀI CHÍNH - KẾ HOẠCH"}}, "Phòng Tài chính - Kế hoạch"},
		{[][]any{{"BAN TỔ CHỨC HUYỆN ỦY"}}, "Ban Tổ chức Huyện ủy"},
		{[][]any{{"TRUNG TÂM Y TẾ HUYỆN KẾ SÁCH"}}, "Trung tâm Y tế huyện Kế Sách"},
		{[][]any{{"VĂN PHÒNG HĐND VÀ UBND HUYỆN CHỢ ĐỒN"}}, "Văn phòng HĐND và UBND huyện Chợ Đồn"},
		{[][]any{{"Sở Nội vụ tỉnh Sóc Trăng"}}, "Sở Nội vụ tỉnh Sóc Trăng"}, // mixed case is kept
		// Not units.
		{[][]any{{"HUYỆN ỦY VIÊN"}}, ""},
		{[][]any{{"BAN THƯỜNG VỤ TỈNH ỦY"}}, ""},
	} {
		rows := append(slices.Clone(tc.lines), []any{"STT", "Họ và tên", "Ngày sinh", "Trình độ chuyên môn"})
		path := sheettest.Write(t, t.TempDir(), "t.xlsx", sheettest.Sheet{Name: "DS", Rows: rows})
		tb := d.Detect(sheettest.Rows(t, path, 0))
		if tb == nil {
			t.Fatalf("%v: no table", tc.lines)
		}
		if tb.Unit != tc.want {
			t.Errorf("%v: unit %q, want %q", tc.lines, tb.Unit, tc.want)
		}
	}
}

func TestGroupUnitAndUnitNames(t *testing.T) {
	d := detector(t)
	sheet := sheettest.Sheet{Name: "DS", Rows: [][]any{
		{"ỦY BAN NHÂN DÂN THỊ TRẤN BẰNG LŨNG"},
		{"STT", "Họ và tên", "Ngày sinh", "Trình độ chuyên môn"},
		{"1", "UBND XÃ YÊN PHONG"},                   // 3
		{1, "Nguyễn Văn A", "01/02/1980", "Đại học"}, // 4
		{"I", "HUYỆN ỦY VIÊN"},                       // 5: categories of people, not units
		{"II", "BAN THƯỜNG VỤ HUYỆN ỦY"},             // 6
		{"A", "BAN CHẤP HÀNH ĐẢNG BỘ HUYỆN"},         // 7
		{"B", "THỊ ỦY VIÊN"},                         // 8
		{"2", "HUYỆN ỦY KẾ SÁCH"},                    // 9
		{"3", "SỞ NỘI VỤ"},                           // 10
	}}
	path := sheettest.Write(t, t.TempDir(), "t.xlsx", sheet)
	rows := sheettest.Rows(t, path, 0)
	tb := d.Detect(rows)
	if tb == nil {
		t.Fatal("no table")
	}
	if tb.Unit != "Ủy ban nhân dân thị trấn Bằng Lũng" {
		t.Errorf("unit = %q", tb.Unit)
	}
	for num, want := range map[int]string{3: "UBND xã Yên Phong", 5: "", 6: "", 7: "", 8: "", 9: "Huyện ủy Kế Sách", 10: "Sở Nội vụ"} {
		r := rows[slices.IndexFunc(rows, func(r workbook.Row) bool { return r.Num == num })]
		if k := tb.Classify(r); k != layout.Group {
			t.Errorf("row %d is %v, want group", num, k)
		}
		if u, ok := tb.GroupUnit(r); u != want || ok != (want != "") {
			t.Errorf("row %d: group unit %q, %v; want %q", num, u, ok, want)
		}
	}
}

// FuzzHeaderMatch feeds arbitrary header texts through detection: it must never panic,
// and a table it finds must map each column at most once.
func FuzzHeaderMatch(f *testing.F) {
	d := detector(f)
	f.Add("Họ và tên", "Ngày tháng năm sinh", "Nam", "TĐCM")
	f.Add("STT", "Họ\ntên", "Nữ", "Trình độ chuyên môn")
	f.Add("", "(1)", "3=4+6+8", "x")
	f.Fuzz(func(t *testing.T, a, b, c, e string) {
		rows := fuzzRows(a, b, c, e)
		tb := d.Detect(rows)
		if tb == nil {
			return
		}
		seen := map[int]bool{}
		for _, col := range tb.Columns {
			if seen[col.Col] {
				t.Fatalf("column %d mapped twice", col.Col)
			}
			seen[col.Col] = true
		}
		for _, r := range rows {
			_ = tb.Classify(r)
		}
		_ = strings.TrimSpace(tb.Unit)
	})
}

// fuzzRows lays fuzzed texts out as a two-row header over a data row, in memory.
func fuzzRows(a, b, c, e string) []workbook.Row {
	text := func(col int, s string) workbook.Cell { return workbook.Cell{Col: col, Kind: workbook.Text, Text: s} }
	return []workbook.Row{
		{Num: 1, Cells: []workbook.Cell{text(1, a), text(2, b), text(3, "Họ và tên")}},
		{Num: 2, Cells: []workbook.Cell{text(1, c), text(2, e), text(3, "Họ và tên")}},
		{Num: 3, Cells: []workbook.Cell{text(1, e), text(2, a), text(3, "Nguyễn Văn A")}},
	}
}

// TestWideFirstRow: a first person whose row goes on with 150 filled cells of flags
// (0 and 1) is a person, not a column-number row under the header.
func TestWideFirstRow(t *testing.T) {
	d := detector(t)
	header := []any{"STT", "Họ và tên", "Ngày sinh", "Giới tính"}
	person := []any{1, "Nguyễn Văn An", "05/03/1985", "Nam"}
	for i := 0; i < 150; i++ {
		header = append(header, nil)
		person = append(person, 0) // a flag column each, all 0
	}
	path := sheettest.Write(t, t.TempDir(), "t.xlsx", sheettest.Sheet{Name: "DS", Rows: [][]any{header, person,
		{2, "Trần Thị Bình", "12/12/1990", "Nữ"}}})
	rows := sheettest.Rows(t, path, 0)
	tb := d.Detect(rows)
	if tb == nil {
		t.Fatal("no table")
	}
	if tb.NumberingRow != 0 || tb.LastHeader != 1 {
		t.Errorf("numbering row %d, data below %d: the first person was taken for column numbers", tb.NumberingRow, tb.LastHeader)
	}
	if k := tb.Classify(rows[1]); k != layout.Data {
		t.Errorf("the first person is %v", k)
	}
}
