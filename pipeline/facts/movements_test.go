package facts_test

import (
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
