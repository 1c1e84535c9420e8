package layout_test

import (
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"

	"canbo/pipeline/internal/sheettest"
	"canbo/pipeline/issue"
	"canbo/pipeline/layout"
)

// These tests give each header class of issue 9 ("Read the workbooks offices really
// keep") a sheet of its own and assert how canbo maps its columns: which column feeds
// which field, and which columns must feed none. Reading-level classes (people counted,
// sheets set aside, values) are in pipeline/ingest/classes_test.go.

// columnsOf renders a table's columns with every sheet column each reads: "B=ho_ten",
// "C+D+E=ngay_sinh" (a date over three columns), "C=ngay_sinh/gioi_tinh=nam",
// "B=ho_ten+ngay_sinh" (one column holding two fields).
func columnsOf(tb *layout.Table) []string {
	var out []string
	for _, c := range tb.Columns {
		var cols []string
		for _, p := range c.Cols() {
			cols = append(cols, issue.ColumnName(p))
		}
		s := strings.Join(cols, "+") + "="
		if c.Field != nil {
			s += c.Field.Code
		}
		if c.Mark != nil {
			s += "/" + c.Mark.Field.Code + "=" + c.Mark.Code
		}
		for i, f := range c.Split {
			if i > 0 {
				s += "+"
			}
			s += f.Code
		}
		out = append(out, s)
	}
	return out
}

// looseBase is a plain roster header (A–G) a loose-match column is added to, in H:
// each of its fields is there, so a false match would show as a duplicate too.
var (
	looseBase     = []any{"STT", "Họ và tên", "Ngày sinh", "Giới tính", "Dân tộc", "Chức vụ", "Đơn vị"}
	looseBaseRow  = []any{1, "Nguyễn Văn An", "12/04/1986", "Nam", "Kinh", "Chủ tịch UBND", "UBND xã Nghĩa Tá"}
	looseBaseCols = []string{"A=stt", "B=ho_ten", "C=ngay_sinh", "D=gioi_tinh", "E=dan_toc", "F=chuc_vu", "G=don_vi"}
)

// loose is the base header with one more column H and its value.
func loose(header string, value any) sheettest.Sheet {
	return sheettest.Sheet{Name: "DS", Rows: [][]any{
		append(slices.Clone(looseBase), header),
		append(slices.Clone(looseBaseRow), value),
	}}
}

func TestIssue9HeaderClasses(t *testing.T) {
	d := detector(t)
	tests := []struct {
		name       string
		sheet      sheettest.Sheet
		dataset    string
		headerRows []int // nil: not checked
		lastHeader int   // the last row above the data; 0: not checked
		cols       []string
		unmapped   []string // columns that must map to no field (listed in Unmapped, not a duplicate)
		bug        string   // when set, the case is skipped: canbo reads it wrong (see the report)
	}{
		{
			name: "a field as the leaf of a nested header: Trình độ đào tạo › Trình độ",
			sheet: sheettest.Sheet{Name: "DS", Rows: [][]any{
				{"STT", "Họ và tên", "Ngày sinh", "Trình độ đào tạo", nil},
				{nil, nil, nil, "Trình độ", "Chuyên ngành"},
				{1, "Nguyễn Văn An", "12/04/1986", "Đại học", "Luật"},
				{2, "Trần Thị Bình", "23/08/1990", "Thạc sĩ", "Kế toán"},
			}, Merges: []string{"A1:A2", "B1:B2", "C1:C2", "D1:E1"}},
			dataset: "roster", headerRows: []int{1, 2},
			cols:     []string{"A=stt", "B=ho_ten", "C=ngay_sinh", "D=trinh_do_chuyen_mon"},
			unmapped: []string{"E"},
		},
		{
			name: "a field as the leaf of a nested header: Tốt nghiệp trường › Trình độ",
			sheet: sheettest.Sheet{Name: "DS", Rows: [][]any{
				{"STT", "Họ và tên", "Ngày sinh", "Tốt nghiệp trường", nil, nil},
				{nil, nil, nil, "Tên trường", "Trình độ", "Năm tốt nghiệp"},
				{1, "Nguyễn Văn An", "12/04/1986", "Đại học Luật Hà Nội", "Đại học", 2008},
				{2, "Trần Thị Bình", "23/08/1990", "Học viện Tài chính", "Thạc sĩ", 2015},
			}, Merges: []string{"A1:A2", "B1:B2", "C1:C2", "D1:F1"}},
			dataset: "roster", headerRows: []int{1, 2},
			cols:     []string{"A=stt", "B=ho_ten", "C=ngay_sinh", "E=trinh_do_chuyen_mon"},
			unmapped: []string{"D", "F"},
		},
		{
			name: "coded ASCII headers of a software export",
			sheet: sheettest.Sheet{Name: "Export", Rows: [][]any{
				{"stt", "hoten", "ngaysinh", "gioitinh", "cmnd", "dantoc", "trinhdocmkt", "chucvu"},
				{1, "Nguyễn Văn An", "12/04/1986", "Nam", "001086012345", "Kinh", "Đại học", "Chủ tịch UBND"},
			}},
			dataset: "roster", headerRows: []int{1},
			cols: []string{"A=stt", "B=ho_ten", "C=ngay_sinh", "D=gioi_tinh", "E=so_dinh_danh", "F=dan_toc",
				"G=trinh_do_chuyen_mon", "H=chuc_vu"},
		},
		{
			name: "coded ASCII headers in capitals",
			sheet: sheettest.Sheet{Name: "Export", Rows: [][]any{
				{"HOTEN", "NGAYSINH", "GIOITINH", "CMND", "DANTOC", "TRINHDOCMKT", "CHUCVU"},
				{"Nguyễn Văn An", "12/04/1986", "Nam", "001086012345", "Kinh", "Đại học", "Chủ tịch UBND"},
			}},
			dataset: "roster", headerRows: []int{1},
			cols: []string{"A=ho_ten", "B=ngay_sinh", "C=gioi_tinh", "D=so_dinh_danh", "E=dan_toc",
				"F=trinh_do_chuyen_mon", "G=chuc_vu"},
		},
		{
			name: "the name split over Họ | Tên",
			sheet: sheettest.Sheet{Name: "DS", Rows: [][]any{
				{"STT", "Họ", "Tên", "Ngày sinh"},
				{1, "Nguyễn Văn", "An", "12/04/1986"},
			}},
			dataset: "roster", headerRows: []int{1},
			cols: []string{"A=stt", "B+C=ho_ten", "D=ngay_sinh"},
		},
		{
			name: "the name split over Họ đệm | Tên",
			sheet: sheettest.Sheet{Name: "DS", Rows: [][]any{
				{"STT", "Họ đệm", "Tên", "Ngày sinh"},
				{1, "Nguyễn Văn", "An", "12/04/1986"},
			}},
			dataset: "roster", headerRows: []int{1},
			cols: []string{"A=stt", "B+C=ho_ten", "D=ngay_sinh"},
		},
		{
			name: "one Họ và tên merged over two columns",
			sheet: sheettest.Sheet{Name: "DS", Rows: [][]any{
				{"STT", "Họ và tên", nil, "Ngày sinh"},
				{1, "Nguyễn Văn", "An", "12/04/1986"},
			}, Merges: []string{"B1:C1"}},
			dataset: "roster", headerRows: []int{1},
			cols: []string{"A=stt", "B+C=ho_ten", "D=ngay_sinh"},
		},
		// Loose matches that must not map: each header in H names no field.
		{name: "loose match: Hộ khẩu TT is not the numbering", sheet: loose("Hộ khẩu TT", "Thôn Bản Lác, xã Nghĩa Tá"),
			dataset: "roster", headerRows: []int{1}, cols: looseBaseCols, unmapped: []string{"H"}},
		{name: "loose match: PC chức vụ is an allowance", sheet: loose("PC chức vụ", 0.2),
			dataset: "roster", headerRows: []int{1}, cols: looseBaseCols, unmapped: []string{"H"}},
		{name: "loose match: pcchucvu is an allowance", sheet: loose("pcchucvu", 0.15),
			dataset: "roster", headerRows: []int{1}, cols: looseBaseCols, unmapped: []string{"H"}},
		{name: "loose match: Phải is not phái (sex)", sheet: loose("Phải", 150000),
			dataset: "roster", headerRows: []int{1}, cols: looseBaseCols, unmapped: []string{"H"}},
		{name: "loose match: nation is not dân tộc", sheet: loose("nation", "VN"),
			dataset: "roster", headerRows: []int{1}, cols: looseBaseCols, unmapped: []string{"H"}},
		{name: "loose match: Họ tên bố is not the person's name", sheet: loose("Họ tên bố", "Nguyễn Văn Hải"),
			dataset: "roster", headerRows: []int{1}, cols: looseBaseCols, unmapped: []string{"H"}},
		{name: "loose match: Họ tên mẹ is not the person's name", sheet: loose("Họ tên mẹ", "Trần Thị Hoa"),
			dataset: "roster", headerRows: []int{1}, cols: looseBaseCols, unmapped: []string{"H"}},
		{name: "loose match: Bồi dưỡng chức danh is not the position", sheet: loose("Bồi dưỡng chức danh", "Chủ tịch UBND cấp xã"),
			dataset: "roster", headerRows: []int{1}, cols: looseBaseCols, unmapped: []string{"H"}},
		{name: "loose match: Thời gian công tác tại đơn vị hiện tại is not the unit",
			sheet:   loose("Thời gian công tác tại đơn vị hiện tại", "2015"),
			dataset: "roster", headerRows: []int{1}, cols: looseBaseCols, unmapped: []string{"H"}},
		{
			name: "a title row and a filter row above the header are not part of it",
			sheet: sheettest.Sheet{Name: "DS", Rows: [][]any{
				{"DANH SÁCH ĐẢNG VIÊN CHI BỘ THÔN 1"},
				{nil, nil, "Đảng viên: ……", "Giới tính: ……", "Dân tộc: ……"},
				{"STT", "Họ và tên", "CHI BỘ", "SỐ THẺ ĐẢNG", "ĐỊA CHỈ", "Ngày sinh"},
				{1, "Nguyễn Văn An", "Chi bộ Thôn 1", "01012345", "Thôn 1, xã Nghĩa Tá", "12/04/1986"},
				{2, "Trần Thị Bình", "Chi bộ Thôn 1", "01012346", "Thôn 1, xã Nghĩa Tá", "23/08/1990"},
			}, Merges: []string{"A1:F1"}},
			dataset: "roster", headerRows: []int{3},
			cols:     []string{"A=stt", "B=ho_ten", "F=ngay_sinh"},
			unmapped: []string{"C", "D", "E"},
		},
		{
			name: "a filter line written in one cell above the header",
			sheet: sheettest.Sheet{Name: "DS", Rows: [][]any{
				{"DANH SÁCH ĐẢNG VIÊN"},
				{"Giới tính: ……………… Dân tộc: ………………"},
				{"STT", "Họ và tên", "CHI BỘ", "SỐ THẺ ĐẢNG", "ĐỊA CHỈ", "Ngày sinh"},
				{1, "Nguyễn Văn An", "Chi bộ Thôn 1", "01012345", "Thôn 1, xã Nghĩa Tá", "12/04/1986"},
			}, Merges: []string{"A1:F1", "A2:F2"}},
			dataset: "roster", headerRows: []int{3},
			cols:     []string{"A=stt", "B=ho_ten", "F=ngay_sinh"},
			unmapped: []string{"C", "D", "E"},
		},
		{
			name: "STT written vertically",
			sheet: sheettest.Sheet{Name: "DS", Rows: [][]any{
				{"S\nT\nT", "Họ và tên", "Ngày sinh", "Giới tính"},
				{1, "Nguyễn Văn An", "12/04/1986", "Nam"},
			}},
			dataset: "roster", headerRows: []int{1},
			cols: []string{"A=stt", "B=ho_ten", "C=ngay_sinh", "D=gioi_tinh"},
		},
		{
			name: "Năm under Ngày tháng năm sinh with Ngày | Tháng is the birth year, never the sex",
			sheet: sheettest.Sheet{Name: "DS", Rows: [][]any{
				{"STT", "Họ và tên", "Ngày tháng năm sinh", nil, nil, "Chức vụ"},
				{nil, nil, "Ngày", "Tháng", "Năm", nil},
				{1, "Nguyễn Văn An", 12, 4, 1986, "Chủ tịch UBND"},
			}, Merges: []string{"A1:A2", "B1:B2", "C1:E1", "F1:F2"}},
			dataset: "roster", headerRows: []int{1, 2},
			cols: []string{"A=stt", "B=ho_ten", "C+D+E=ngay_sinh", "F=chuc_vu"},
		},
		{
			name: "an award-year column Năm is not the sex",
			sheet: sheettest.Sheet{Name: "DS", Rows: [][]any{
				{"STT", "Họ và tên", "Ngày sinh", "Danh hiệu thi đua", "Năm"},
				{1, "Nguyễn Văn An", "12/04/1986", "Chiến sĩ thi đua cơ sở", 2022},
				{2, "Trần Thị Bình", "23/08/1990", "Lao động tiên tiến", 2023},
			}},
			dataset: "roster", headerRows: []int{1},
			cols:     []string{"A=stt", "B=ho_ten", "C=ngay_sinh"},
			unmapped: []string{"D", "E"},
		},
		{
			name: "an award-year column Khen thưởng › Năm is not the sex",
			sheet: sheettest.Sheet{Name: "DS", Rows: [][]any{
				{"STT", "Họ và tên", "Ngày sinh", "Khen thưởng", nil},
				{nil, nil, nil, "Hình thức", "Năm"},
				{1, "Nguyễn Văn An", "12/04/1986", "Bằng khen UBND tỉnh", 2021},
				{2, "Trần Thị Bình", "23/08/1990", "Giấy khen", 2022},
			}, Merges: []string{"A1:A2", "B1:B2", "C1:C2", "D1:E1"}},
			dataset: "roster", headerRows: []int{1, 2},
			cols:     []string{"A=stt", "B=ho_ten", "C=ngay_sinh"},
			unmapped: []string{"D", "E"},
		},
		{
			name: "a row of ASCII keys above the real header",
			sheet: sheettest.Sheet{Name: "Import", Rows: [][]any{
				{"stt", "hoten", "ngaysinh", "gioitinh", "chucvu"},
				{"STT", "Họ và tên", "Ngày sinh", "Giới tính", "Chức vụ"},
				{1, "Nguyễn Văn An", "12/04/1986", "Nam", "Chủ tịch UBND"},
			}},
			// Either row may be taken as the header, so long as the data starts below both.
			dataset: "roster", lastHeader: 2,
			cols: []string{"A=stt", "B=ho_ten", "C=ngay_sinh", "D=gioi_tinh", "E=chuc_vu"},
		},
		{
			name: "HỌ VÀ TÊN / Năm sinh as one header holds two fields",
			sheet: sheettest.Sheet{Name: "DS", Rows: [][]any{
				{"STT", "HỌ VÀ TÊN\nNăm sinh", "Giới tính"},
				{1, "Lê Văn An\n09/9/1999", "Nam"},
			}},
			dataset: "roster", headerRows: []int{1},
			cols: []string{"A=stt", "B=ho_ten+ngay_sinh", "C=gioi_tinh"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if tc.bug != "" && os.Getenv("CANBO_RUN_BUGS") == "" {
				t.Skip("BUG: " + tc.bug + " (set CANBO_RUN_BUGS=1 to run)")
			}
			path := sheettest.Write(t, t.TempDir(), "t.xlsx", tc.sheet)
			tb := d.Detect(sheettest.Rows(t, path, 0))
			if tb == nil {
				t.Fatal("no table found")
			}
			if tb.Dataset.Code != tc.dataset {
				t.Errorf("dataset = %s, want %s", tb.Dataset.Code, tc.dataset)
			}
			if tc.headerRows != nil && !reflect.DeepEqual(tb.HeaderRows, tc.headerRows) {
				t.Errorf("header rows = %v, want %v", tb.HeaderRows, tc.headerRows)
			}
			if tc.lastHeader != 0 && tb.LastHeader != tc.lastHeader {
				t.Errorf("last header row = %d, want %d (header rows %v)", tb.LastHeader, tc.lastHeader, tb.HeaderRows)
			}
			if got := columnsOf(tb); !reflect.DeepEqual(got, tc.cols) {
				t.Errorf("columns:\n got %v\nwant %v", got, tc.cols)
			}
			for _, dup := range tb.Duplicates {
				code := ""
				if dup.Field != nil {
					code = dup.Field.Code
				}
				t.Errorf("column %s %q read as a second %s column", issue.ColumnName(dup.Col), dup.Header, code)
			}
			for _, col := range tc.unmapped {
				found := false
				for _, u := range tb.Unmapped {
					if issue.ColumnName(u.Col) == col {
						found = true
					}
				}
				if !found {
					t.Errorf("column %s is not listed as unmapped (unmapped: %v)", col, unmappedOf(tb))
				}
			}
		})
	}
}

func unmappedOf(tb *layout.Table) []string {
	var out []string
	for _, u := range tb.Unmapped {
		out = append(out, issue.ColumnName(u.Col)+" "+u.Header+" ("+u.Reason+")")
	}
	return out
}
