package facts_test

import (
	"slices"
	"testing"

	"canbo/pipeline/internal/sheettest"
)

// TestMovements: a movements register is read as its own dataset and counted by
// form (Hình thức), and by the direction between the units' levels in units.yaml:
// Phòng (huyện) → xã is down, one phòng to another is across, a unit units.yaml does
// not know is chua_xac_dinh. Each row is listed with its decision.
func TestMovements(t *testing.T) {
	dir := t.TempDir()
	sheettest.Write(t, dir, "dd.xlsx", sheettest.Sheet{Name: "Sổ", Rows: [][]any{
		{"SỔ THEO DÕI ĐIỀU ĐỘNG, LUÂN CHUYỂN CÁN BỘ"}, {},
		{"STT", "Họ và tên", "Ngày sinh", "Đơn vị cũ", "Đơn vị mới", "Chức vụ", "Hình thức điều động, luân chuyển", "Số quyết định", "Ngày quyết định"},
		{1, "Lò Văn Tiến", "12/03/1980", "Phòng Nội vụ huyện Mường Chà", "UBND xã Sa Lông", "Chủ tịch UBND xã", "Luân chuyển", "125-QĐ/HU", "15/06/2017"},
		{2, "Sùng A Măng", "05/05/1988", "Thanh tra huyện Mường Chà", "UBND xã Ma Thì Hồ", "Phó Chủ tịch UBND xã", "Điều động", "310-QĐ/HU", "02/04/2018"},
		{3, "Cà Văn Hùng", "20/11/1979", "Phòng Tư pháp huyện Mường Chà", "Thanh tra huyện Mường Chà", "Chánh Thanh tra", "ĐĐ", "77-QĐ/HU", "10/01/2022"},
		{4, "Vì Thị Hoa", "01/02/1985", "Phòng Tư pháp huyện Mường Chà", "Trường Tiểu học Không Có", "Kế toán", "Biệt phái", "", "01/09/2023"},
	}})
	mv := build(t, dir).Movements
	if mv == nil {
		t.Fatal("no movements in the summary")
	}
	if mv.Total != 4 || mv.ByKind["luan_chuyen"] != 1 || mv.ByKind["dieu_dong"] != 2 || mv.ByKind["biet_phai"] != 1 {
		t.Errorf("total %d, by kind %v; want 4: 1 luân chuyển, 2 điều động, 1 biệt phái", mv.Total, mv.ByKind)
	}
	for kind, want := range map[string]map[string]int{
		"luan_chuyen": {"xuong": 1},
		"dieu_dong":   {"xuong": 1, "ngang": 1},
		"biet_phai":   {"chua_xac_dinh": 1},
	} {
		for dir, n := range want {
			if got := mv.ByDirection[kind][dir]; got != n {
				t.Errorf("%s %s: %d, want %d (%v)", kind, dir, got, n, mv.ByDirection[kind])
			}
		}
	}
	if len(mv.List) != 4 {
		t.Fatalf("list of %d, want 4", len(mv.List))
	}
	m := mv.List[1]
	if m.Name != "Sùng A Măng" || m.FromLevel != "phong" || m.ToLevel != "xa" || m.ToUnit != "UBND xã Ma Thì Hồ" ||
		m.DecisionNo != "310-QĐ/HU" || m.DecisionDate != "2018-04-02" || m.Direction != "xuong" || m.Row != 5 {
		t.Errorf("row 2: %+v", m)
	}
}

// TestNoMovements: a batch without a movements register has no movements key.
func TestNoMovements(t *testing.T) {
	if mv := build(t, traineeBatch(t)).Movements; mv != nil {
		t.Errorf("movements %+v, want none", mv)
	}
}

// TestPlainHinhThuc: a column headed just "Hình thức" is the kind of move in a
// register the other columns show to be a movements register (đơn vị cũ/mới, số and
// ngày quyết định), and the form of study in a training register: schema.yaml gives
// the header to both fields, and the sheet's dataset chooses.
func TestPlainHinhThuc(t *testing.T) {
	dir := t.TempDir()
	sheettest.Write(t, dir, "dd.xlsx", sheettest.Sheet{Name: "Sổ", Rows: [][]any{
		{"SỔ THEO DÕI ĐIỀU ĐỘNG, LUÂN CHUYỂN CÁN BỘ"}, {},
		{"STT", "Họ và tên", "Ngày sinh", "Đơn vị cũ", "Đơn vị mới", "Hình thức", "Số quyết định", "Ngày quyết định"},
		{1, "Lò Văn Tiến", "12/03/1980", "Phòng Nội vụ huyện Mường Chà", "UBND xã Sa Lông", "Luân chuyển", "125-QĐ/HU", "15/06/2017"},
		{2, "Sùng A Măng", "05/05/1988", "Thanh tra huyện Mường Chà", "UBND xã Ma Thì Hồ", "Điều động", "310-QĐ/HU", "02/04/2018"},
		{3, "Cà Văn Hùng", "20/11/1979", "Phòng Tư pháp huyện Mường Chà", "Thanh tra huyện Mường Chà", "Điều động", "77-QĐ/HU", "10/01/2022"},
	}})
	sheettest.Write(t, dir, "so.xlsx", sheettest.Sheet{Name: "Sổ", Rows: [][]any{
		{"SỔ THEO DÕI ĐÀO TẠO, BỒI DƯỠNG"}, {},
		{"STT", "Họ và tên", "Ngày sinh", "Nội dung đào tạo", "Hình thức", "Kinh phí"},
		{1, "Lò Văn Tiến", "12/03/1980", "Trung cấp lý luận chính trị", "Tập trung", "Ngân sách"},
		{2, "Sùng A Măng", "05/05/1988", "Bồi dưỡng QLNN ngạch chuyên viên", "Không tập trung", "Tự túc"},
	}})
	s := build(t, dir)
	if mv := s.Movements; mv == nil || mv.Total != 3 || mv.ByKind["luan_chuyen"] != 1 || mv.ByKind["dieu_dong"] != 2 || mv.ByKind["chua_xac_dinh"] != 0 {
		t.Errorf("movements %+v: want 3 by the Hình thức column, 1 luân chuyển and 2 điều động", mv)
	}
	if s.Training.Total != 2 {
		t.Errorf("training total %d, want 2", s.Training.Total)
	}
	cols := map[string][]string{}
	for _, f := range s.Files {
		cols[f.File] = f.Columns
	}
	if c := cols["dd.xlsx"]; !slices.Contains(c, "hinh_thuc_dieu_dong") || slices.Contains(c, "hinh_thuc") {
		t.Errorf("movements register columns %v: want Hình thức as hinh_thuc_dieu_dong", c)
	}
	if c := cols["so.xlsx"]; !slices.Contains(c, "hinh_thuc") || slices.Contains(c, "hinh_thuc_dieu_dong") {
		t.Errorf("training register columns %v: want Hình thức as hinh_thuc", c)
	}
}
