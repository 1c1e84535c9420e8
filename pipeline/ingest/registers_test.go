package ingest_test

import (
	"context"
	"testing"

	"canbo/pipeline/ingest"
	"canbo/pipeline/internal/sheettest"
	"canbo/pipeline/issue"
	"canbo/pipeline/normalize"
	"canbo/pipeline/textfold"
)

// These workbooks copy the layouts of training and movements registers as offices
// keep them (docs/reading.md, "Sổ theo dõi đào tạo, bồi dưỡng và sổ điều động, luân
// chuyển" lists the sources): the title block of the Bộ Nội vụ and Ban Tổ chức forms,
// two-row headers with merged groups ("Thời gian học › Từ ngày | Đến ngày", "Năm sinh
// › Nam | Nữ"), numbering rows, totals rows, month-only text dates, a period written
// in one cell, trainees listed under course rows, a tăng/giảm list and the aggregate
// statistics form that lists no one. Each case asserts what a clerk would check: the
// kind of table chosen, its header rows, the column each field is read from (and the
// columns that must not be read as a field), how many attendances or movements count,
// the dates read, the unit, and the doubts canbo reports instead of guessing.

type registerCase struct {
	name    string
	sheet   sheettest.Sheet
	dataset string // "" when no table must be read
	header  []int
	columns map[string]string // column letter → field code it must feed
	not     []string          // columns that must feed no field
	counted int
	left    int
	unit    string
	dates   map[string][2]string // name → from, to (YYYY-MM-DD, "" for none)
	courses map[string]string    // name → khoa_hoc
	unread  []string             // columns canbo must list as not read (a clerk sees them in canbo check)
	codes   []issue.Code         // issues that must be raised
	nocodes []issue.Code         // issues that must not be raised
}

var registerCases = []registerCase{
	{
		// The register most district Phòng Nội vụ keep: unit lines, a title with the
		// year, "Năm sinh › Nam | Nữ", "Thời gian học › Từ | Đến" with month/year text,
		// "Hình thức đào tạo › Tập trung | Không tập trung" marked with x, a numbering
		// row and a totals row in lượt.
		name: "so-theo-doi-hai-tang.xlsx",
		sheet: sheettest.Sheet{Name: "Năm 2023", Rows: [][]any{
			{"UBND HUYỆN MƯỜNG NHÉ"},
			{"PHÒNG NỘI VỤ"},
			{"SỔ THEO DÕI ĐÀO TẠO, BỒI DƯỠNG CÁN BỘ, CÔNG CHỨC NĂM 2023"},
			{"STT", "Họ và tên", "Năm sinh", nil, "Chức vụ, đơn vị công tác", "Tên lớp, khóa học", "Cơ sở đào tạo", "Thời gian học", nil, "Hình thức đào tạo", nil, "Kinh phí", "Ghi chú"},
			{nil, nil, "Nam", "Nữ", nil, nil, nil, "Từ ngày", "Đến ngày", "Tập trung", "Không tập trung", nil, nil},
			{"1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13"},
			{1, "Lò Văn Thành", 1985, nil, "Chủ tịch UBND xã Chung Chải", "Trung cấp lý luận chính trị - hành chính", "Trường Chính trị tỉnh Điện Biên", "03/2021", "06/2021", "x", nil, "Ngân sách", nil},
			{2, "Giàng Thị Mai", nil, 1992, "Công chức Văn phòng - Thống kê xã Nậm Kè", "Bồi dưỡng QLNN ngạch chuyên viên", "Trường Chính trị tỉnh Điện Biên", "05/06/2023", "30/6/2023", nil, "x", "Ngân sách tỉnh", nil},
			{3, "Lý A Páo", 1990, nil, "Công chức Tư pháp - Hộ tịch xã Sen Thượng", "Bồi dưỡng kiến thức quốc phòng và an ninh đối tượng 4", "Trung tâm GDQP-AN", sheettest.Date(2023, 8, 7), sheettest.Date(2023, 8, 12), "x", nil, "Ngân sách", nil},
			{4, "Hoàng Thị Dung", nil, 1988, "Phó Chủ tịch UBND xã Pá Mỳ", "Đại học Luật", "Đại học Luật Hà Nội", "10/2020", "10/2024", nil, "x", "Tự túc", "Vừa làm vừa học"},
			{"Tổng cộng: 4 lượt", nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil},
			{nil},
			{nil, nil, nil, nil, nil, nil, nil, nil, "Người lập biểu"},
		}, Merges: []string{"A1:E1", "A2:E2", "A3:M3", "A4:A5", "B4:B5", "C4:D4", "E4:E5", "F4:F5", "G4:G5", "H4:I4", "J4:K4", "L4:L5", "M4:M5", "A11:E11"}},
		dataset: "training",
		header:  []int{4, 5},
		columns: map[string]string{"B": "ho_ten", "C": "ngay_sinh", "D": "ngay_sinh", "E": "chuc_vu", "F": "khoa_hoc", "G": "co_so_dao_tao", "H": "tu_ngay", "I": "den_ngay", "L": "kinh_phi", "M": "ghi_chu"},
		counted: 4,
		unit:    "Phòng Nội vụ", // a self-standing office line under "UBND HUYỆN …" is kept as written
		dates: map[string][2]string{
			"Lò Văn Thành":  {"2021-03-01", "2021-06-01"},
			"Giàng Thị Mai": {"2023-06-05", "2023-06-30"},
			"Lý A Páo":      {"2023-08-07", "2023-08-12"},
		},
		courses: map[string]string{"Lý A Páo": "Bồi dưỡng kiến thức quốc phòng và an ninh đối tượng 4"},
		// "Năm sinh › Nam | Nữ" promises years: one note per column, not a warning per cell.
		codes: []issue.Code{issue.YearColumn},
	},
	{
		// "Danh sách cán bộ được cử đi đào tạo": the period in one cell ("Từ 03/2021 đến
		// 06/2021", "15/3/2023 - 20/3/2023"), "Khóa học/Lớp" and "Hình thức học", and a
		// unit named only at the end of the title, before the year. The period column
		// is split like a combined column (schema.yaml "period" of tu_ngay): the first
		// date starts it, the second ends it; a month alone is its first day, as in a
		// "Đến ngày" column; one combined-column warning asks for two columns.
		name: "cu-di-hoc-mot-o-thoi-gian.xlsx",
		sheet: sheettest.Sheet{Name: "Sheet1", Rows: [][]any{
			{"DANH SÁCH CÁN BỘ, CÔNG CHỨC ĐƯỢC CỬ ĐI ĐÀO TẠO, BỒI DƯỠNG XÃ NẬM KHÁNH NĂM 2023"},
			{nil},
			{"TT", "Họ và tên", "Ngày sinh", "Chức vụ", "Khóa học/Lớp", "Thời gian học", "Hình thức học", "Nơi học", "Ghi chú"},
			{1, "Vàng A Dế", "12/05/1987", "Bí thư Đảng ủy", "Trung cấp LLCT-HC K26", "Từ 03/2021 đến 06/2021", "Vừa làm vừa học", "Trường Chính trị tỉnh", nil},
			{2, "Lò Thị Hương", "03/09/1994", "Công chức Địa chính", "Bồi dưỡng ngạch chuyên viên", "15/3/2023 - 20/3/2023", "Tập trung", "Sở Nội vụ", nil},
			{3, "Sùng A Chá", "20/11/1990", "Chỉ huy trưởng Quân sự", "Tiếng Mông", "từ ngày 04/9/2023 đến ngày 29/9/2023", "Tập trung", "Trường Chính trị tỉnh", nil},
		}, Merges: []string{"A1:I1"}},
		dataset: "training",
		header:  []int{3},
		columns: map[string]string{"B": "ho_ten", "C": "ngay_sinh", "D": "chuc_vu", "E": "khoa_hoc", "F": "tu_ngay", "G": "hinh_thuc", "H": "co_so_dao_tao", "I": "ghi_chu"},
		counted: 3,
		unit:    "xã Nậm Khánh",
		dates: map[string][2]string{
			"Vàng A Dế":    {"2021-03-01", "2021-06-01"},
			"Lò Thị Hương": {"2023-03-15", "2023-03-20"},
			"Sùng A Chá":   {"2023-09-04", "2023-09-29"},
		},
		codes: []issue.Code{issue.CombinedColumn},
	},
	{
		// "Danh sách cán bộ được cử đi đào tạo, bồi dưỡng" with the trainees under one
		// row per course ("I. Lớp …") and no course column. The course rows name the
		// course as a title does: a register, each attendance of the course above it.
		name: "hoc-vien-theo-lop.xlsx",
		sheet: sheettest.Sheet{Name: "DS", Rows: [][]any{
			{"HUYỆN ỦY MƯỜNG CHÀ"},
			{"BAN TỔ CHỨC"},
			{"DANH SÁCH CÁN BỘ ĐƯỢC CỬ ĐI ĐÀO TẠO, BỒI DƯỠNG NĂM 2023"},
			{"STT", "Họ và tên", "Năm sinh", "Chức vụ, đơn vị công tác", "Ghi chú"},
			{"I", "Lớp Trung cấp lý luận chính trị - hành chính K25 (từ 03/2023 đến 11/2023)"},
			{1, "Quàng Văn Tuấn", 1984, "Phó Chủ tịch UBND xã Ma Thì Hồ", nil},
			{2, "Lò Thị Hoa", 1991, "Công chức Văn hóa - Xã hội xã Sa Lông", nil},
			{"II", "Lớp bồi dưỡng kiến thức quốc phòng và an ninh đối tượng 3"},
			{1, "Mùa A Sình", 1980, "Bí thư Đảng ủy xã Huổi Lèng", nil},
		}, Merges: []string{"A1:C1", "A2:C2", "A3:E3", "B5:E5", "B8:E8"}},
		dataset: "training",
		header:  []int{4},
		columns: map[string]string{"B": "ho_ten", "C": "ngay_sinh", "D": "chuc_vu"},
		counted: 3,
		unit:    "Ban Tổ chức Huyện ủy Mường Chà",
		courses: map[string]string{
			"Quàng Văn Tuấn": "Lớp Trung cấp lý luận chính trị - hành chính K25 (từ 03/2023 đến 11/2023)",
			"Lò Thị Hoa":     "Lớp Trung cấp lý luận chính trị - hành chính K25 (từ 03/2023 đến 11/2023)",
			"Mùa A Sình":     "Lớp bồi dưỡng kiến thức quốc phòng và an ninh đối tượng 3",
		},
		nocodes: []issue.Code{issue.TableUncertain},
	},
	{
		// "Danh sách trích ngang cán bộ được cử đi học lớp …": the class's trainees with
		// a roster's columns (dân tộc, trình độ, ngày vào Đảng). The columns make it a
		// roster, as docs/reading.md says of class lists; the title says training, so
		// canbo warns (table-uncertain, title-training) that it counted them as staff.
		name: "trich-ngang-cu-di-hoc.xlsx",
		sheet: sheettest.Sheet{Name: "TN", Rows: [][]any{
			{"HUYỆN ỦY NẬM PỒ"},
			{"DANH SÁCH TRÍCH NGANG CÁN BỘ ĐƯỢC CỬ ĐI HỌC LỚP TRUNG CẤP LÝ LUẬN CHÍNH TRỊ - HÀNH CHÍNH K26"},
			{"STT", "Họ và tên", "Ngày sinh", nil, "Dân tộc", "Chức vụ, đơn vị công tác", "Trình độ", nil, "Ngày vào Đảng"},
			{nil, nil, "Nam", "Nữ", nil, nil, "Chuyên môn", "Lý luận chính trị", nil},
			{1, "Lò Văn Pọm", "14/02/1988", nil, "Thái", "Phó Chủ tịch UBND xã Nà Khoa", "Đại học", "Sơ cấp", "12/05/2015"},
			{2, "Vừ Thị Dua", nil, "20/10/1993", "Mông", "Công chức Văn hóa - Xã hội xã Pa Tần", "Đại học", nil, "03/02/2019"},
		}, Merges: []string{"A2:I2", "A3:A4", "B3:B4", "C3:D3", "E3:E4", "F3:F4", "G3:H3", "I3:I4"}},
		dataset: "roster",
		header:  []int{3, 4},
		columns: map[string]string{"B": "ho_ten", "C": "ngay_sinh", "D": "ngay_sinh", "E": "dan_toc", "F": "chuc_vu", "G": "trinh_do_chuyen_mon", "H": "ly_luan_chinh_tri", "I": "dang_vien"},
		counted: 2,
		codes:   []issue.Code{issue.TableUncertain},
	},
	{
		// "Kết quả bồi dưỡng": "Chương trình", "Năm học" and a result group
		// "Kết quả › Điểm | Xếp loại" that is not a field.
		name: "ket-qua-boi-duong.xlsx",
		sheet: sheettest.Sheet{Name: "KQ", Rows: [][]any{
			{"SỞ NỘI VỤ TỈNH LAI CHÂU"},
			{"DANH SÁCH HỌC VIÊN HOÀN THÀNH CHƯƠNG TRÌNH BỒI DƯỠNG NĂM 2022"},
			{"STT", "Họ và tên học viên", "Ngày sinh", "Đơn vị công tác", "Chương trình", "Năm học", "Kết quả", nil, "Ghi chú"},
			{nil, nil, nil, nil, nil, nil, "Điểm", "Xếp loại", nil},
			{1, "Tẩn Láo Lở", "01/02/1989", "UBND xã Thu Lũm", "Bồi dưỡng ngạch chuyên viên chính", "2022", 8.5, "Giỏi", nil},
			{2, "Chảo Thị Mây", "14/07/1993", "UBND xã Ka Lăng", "Bồi dưỡng lãnh đạo, quản lý cấp phòng", "2022", 7, "Khá", nil},
			{"Cộng", nil, nil, nil, nil, nil, nil, nil, nil},
		}, Merges: []string{"A1:D1", "A2:I2", "A3:A4", "B3:B4", "C3:C4", "D3:D4", "E3:E4", "F3:F4", "G3:H3", "I3:I4"}},
		dataset: "training",
		header:  []int{3, 4},
		columns: map[string]string{"B": "ho_ten", "C": "ngay_sinh", "D": "don_vi", "E": "khoa_hoc", "I": "ghi_chu"},
		not:     []string{"F", "G", "H"},
		counted: 2,
	},
	{
		// The list of cán bộ luân chuyển (Quy định 65-QĐ/TW): "Chức vụ, đơn vị trước
		// khi luân chuyển" and "… luân chuyển đến" are the old and new posts, not the
		// person's position; "Quyết định › Số | Ngày".
		name: "luan-chuyen.xlsx",
		sheet: sheettest.Sheet{Name: "LC", Rows: [][]any{
			{"TỈNH ỦY ĐIỆN BIÊN"},
			{"BAN TỔ CHỨC"},
			{"DANH SÁCH CÁN BỘ LUÂN CHUYỂN NĂM 2023"},
			{"STT", "Họ và tên", "Năm sinh", "Chức vụ, đơn vị trước khi luân chuyển", "Chức vụ, đơn vị luân chuyển đến", "Quyết định", nil, "Ghi chú"},
			{nil, nil, nil, nil, nil, "Số", "Ngày", nil},
			{1, "Lường Văn Khánh", 1978, "Phó Trưởng Ban Tổ chức Huyện ủy Tủa Chùa", "Phó Bí thư Huyện ủy Nậm Pồ", "125-QĐ/TU", "15/3/2023", nil},
			{2, "Cà Thị Thanh", 1982, "Trưởng phòng Nội vụ huyện Điện Biên Đông", "Phó Chủ tịch UBND huyện Mường Ảng", "126-QĐ/TU", "15/3/2023", nil},
		}, Merges: []string{"A1:C1", "A2:C2", "A3:H3", "A4:A5", "B4:B5", "C4:C5", "D4:D5", "E4:E5", "F4:G4", "H4:H5"}},
		dataset: "movements",
		header:  []int{4, 5},
		columns: map[string]string{"B": "ho_ten", "C": "ngay_sinh", "D": "don_vi_cu", "E": "don_vi_moi", "F": "so_quyet_dinh", "G": "ngay_quyet_dinh"},
		counted: 2,
		unit:    "Ban Tổ chức Tỉnh ủy Điện Biên",
	},
	{
		// "Điều động, biệt phái": "Nơi công tác cũ | Nơi công tác mới | Hình thức |
		// Số, ngày quyết định".
		name: "dieu-dong.xlsx",
		sheet: sheettest.Sheet{Name: "Sheet1", Rows: [][]any{
			{"UBND HUYỆN NẬM PỒ"},
			{"PHÒNG NỘI VỤ"},
			{"DANH SÁCH CÁN BỘ, CÔNG CHỨC ĐIỀU ĐỘNG, BIỆT PHÁI NĂM 2023"},
			{"STT", "Họ và tên", "Ngày sinh", "Nơi công tác cũ", "Nơi công tác mới", "Hình thức", "Ngày quyết định", "Số quyết định"},
			{1, "Vì Văn Hùng", "12/12/1986", "UBND xã Nà Hỳ", "UBND xã Nà Bủng", "Điều động", "01/7/2023", "210/QĐ-UBND"},
			{2, "Lò Thị Nga", "05/05/1990", "UBND xã Chà Cang", "Phòng Nội vụ", "Biệt phái", "10/8/2023", "250/QĐ-UBND"},
		}, Merges: []string{"A3:H3"}},
		dataset: "movements",
		header:  []int{4},
		columns: map[string]string{"B": "ho_ten", "C": "ngay_sinh", "D": "don_vi_cu", "E": "don_vi_moi", "F": "hinh_thuc_dieu_dong", "G": "ngay_quyet_dinh", "H": "so_quyet_dinh"},
		counted: 2,
		unit:    "Phòng Nội vụ",
	},
	{
		// "Danh sách biến động tăng, giảm" of a quarter: a roster's columns with "Lý
		// do" and the decision, the people under "A. TĂNG" and "B. GIẢM". The
		// people who left are listed, not counted (leaver_words); the title says
		// movements while the columns are a roster's, so canbo says it is not sure.
		name: "bien-dong-tang-giam.xlsx",
		sheet: sheettest.Sheet{Name: "Quý III", Rows: [][]any{
			{"UBND XÃ SA LÔNG"},
			{"DANH SÁCH BIẾN ĐỘNG TĂNG, GIẢM CÁN BỘ, CÔNG CHỨC QUÝ III/2023"},
			{"STT", "Họ và tên", "Ngày sinh", "Giới tính", "Chức vụ", "Lý do", "Số quyết định", "Ghi chú"},
			{"A", "TĂNG"},
			{1, "Lò Văn Hùng", "02/02/1995", "Nam", "Công chức Văn phòng - Thống kê", "Tuyển dụng", "45/QĐ-UBND", nil},
			{"B", "GIẢM"},
			{1, "Quàng Thị Lả", "09/10/1963", "Nữ", "Công chức Tư pháp - Hộ tịch", "Nghỉ hưu", "50/QĐ-UBND", nil},
			{2, "Cà Văn Sơn", "11/11/1988", "Nam", "Phó Chủ tịch UBND", "Chuyển công tác", "51/QĐ-UBND", nil},
		}, Merges: []string{"A2:H2", "B4:H4", "B6:H6"}},
		dataset: "roster",
		header:  []int{3},
		columns: map[string]string{"B": "ho_ten", "C": "ngay_sinh", "D": "gioi_tinh", "E": "chuc_vu"},
		not:     []string{"F"},
		counted: 1,
		left:    2,
		unit:    "UBND xã Sa Lông",
		codes:   []issue.Code{issue.TableUncertain, issue.PeopleLeft},
	},
	{
		// The aggregate statistics form (Biểu số 10-BTCTW, "Thống kê kết quả đào tạo,
		// bồi dưỡng cán bộ"): counts by programme, not people. No table is read: the
		// file is turned away as holding no list (no-table), never counted.
		name: "thong-ke-tong-hop.xlsx",
		sheet: sheettest.Sheet{Name: "Biểu 10", Rows: [][]any{
			{"HUYỆN ỦY MƯỜNG CHÀ", nil, "THỐNG KÊ KẾT QUẢ ĐÀO TẠO, BỒI DƯỠNG CÁN BỘ NĂM 2023", nil, nil, nil, nil, nil, "Biểu số 10-BTCTW"},
			{"TT", "Chương trình, hình thức đào tạo, bồi dưỡng", "Cán bộ được đào tạo, bồi dưỡng", nil, nil, nil, nil, nil, "Số lớp đào tạo, bồi dưỡng"},
			{nil, nil, "Tổng số", "Cấp tỉnh", nil, "Cấp huyện", nil, "Cấp xã", "Tổng số lớp"},
			{nil, nil, nil, "Tổng số", "Trong đó: Số cán bộ lãnh đạo, quản lý", "Tổng số", "Trong đó: Số cán bộ lãnh đạo, quản lý", nil, nil},
			{"1", "2", "3=4+6+8", "4", "5", "6", "7", "8", "9"},
			{"I", "Đào tạo"},
			{"1", "Đào tạo chuyên môn", 12, 2, 1, 4, 2, 6, 3},
			{nil, "- Đại học", 10, 2, 1, 3, 1, 5, 2},
			{"2", "Đào tạo chính trị", 20, 5, 3, 7, 4, 8, 4},
			{nil, "- Trung cấp LLCT", 15, 3, 2, 5, 3, 7, 3},
		}, Merges: []string{"A2:A4", "B2:B4", "C2:H2", "C3:C4", "D3:E3", "F3:G3", "H3:H4", "I2:I4"}},
	},
}

// TestRegisterLayouts reads each register the way canbo reads a unit's file.
func TestRegisterLayouts(t *testing.T) {
	cfg := sheettest.Config(t)
	r := ingest.NewReader(normalize.New(cfg), ingest.Options{})
	tuNgay, denNgay, khoaHoc := cfg.Field("tu_ngay"), cfg.Field("den_ngay"), cfg.Field("khoa_hoc")
	for _, tc := range registerCases {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			path := sheettest.Write(t, dir, tc.name, tc.sheet)
			f := r.ReadFile(context.Background(), path)
			if tc.dataset == "" {
				if len(f.Records) > 0 || len(f.Sheets) > 0 || f.Reason != issue.NoTable {
					t.Fatalf("a table with no one listed was read (%s, %s): %s", f.Status, f.Reason, tableList(f))
				}
				return
			}
			if f.Status != ingest.Accepted {
				t.Fatalf("status %s (%s): %v", f.Status, f.Reason, issueCodes(f.Issues))
			}
			if len(f.Sheets) == 0 {
				t.Fatalf("no table read (%v)", issueCodes(f.Issues))
			}
			sh := &f.Sheets[0]
			if sh.Dataset != tc.dataset {
				t.Errorf("read as %s, want %s (%s)", sh.Dataset, tc.dataset, tableList(f))
			}
			if !equalInts(sh.HeaderRows, tc.header) {
				t.Errorf("header rows %v, want %v", sh.HeaderRows, tc.header)
			}
			checkColumns(t, sh, truth{Columns: tc.columns, NotFields: tc.not})
			for _, col := range tc.unread {
				listed := false
				for _, u := range sh.Unmapped {
					listed = listed || issue.ColumnName(u.Col) == col
				}
				if !listed {
					t.Errorf("column %s is not listed as not read (%v)", col, sh.Unmapped)
				}
			}
			counted, left := 0, 0
			for _, rec := range f.Records {
				switch rec.NotCounted {
				case "":
					counted++
				case normalize.Left:
					left++
				}
			}
			if counted != tc.counted || left != tc.left {
				t.Errorf("counted %d, left %d; want %d, %d (%s)", counted, left, tc.counted, tc.left, tableList(f))
			}
			if tc.unit != "" && textfold.Key(sh.Unit) != textfold.Key(tc.unit) {
				t.Errorf("unit %q (from %s), want %q", sh.Unit, sh.UnitSource, tc.unit)
			}
			byName := map[string]normalize.Record{}
			for _, rec := range f.Records {
				byName[rec.Values[cfg.Field("ho_ten").Index].Text] = rec
			}
			for name, want := range tc.dates {
				rec, ok := byName[name]
				if !ok {
					t.Errorf("%s not read", name)
					continue
				}
				if got := [2]string{rec.Value(tuNgay).Text, rec.Value(denNgay).Text}; got != want {
					t.Errorf("%s: period %v, want %v", name, got, want)
				}
			}
			for name, want := range tc.courses {
				rec := byName[name]
				if got := rec.Value(khoaHoc).Text; got != want {
					t.Errorf("%s: course %q, want %q", name, got, want)
				}
			}
			for _, c := range tc.codes {
				if !hasCode(f.Issues, c) {
					t.Errorf("no %s issue (%v)", c, issueCodes(f.Issues))
				}
			}
			for _, c := range tc.nocodes {
				if hasCode(f.Issues, c) {
					t.Errorf("unexpected %s issue", c)
				}
			}
			if t.Failed() {
				for _, c := range sh.Columns {
					code := "-"
					if c.Field != nil {
						code = c.Field.Code
					}
					t.Logf("col %s %q → %s (%s)", issue.ColumnName(c.Col), c.Header, code, c.Why)
				}
				for _, is := range f.Issues {
					t.Logf("issue %s %s %d:%d %v", is.Code, is.Sheet, is.Row, is.Col, is.Args)
				}
			}
		})
	}
}
