package facts_test

import (
	"slices"
	"strings"
	"testing"

	"canbo/pipeline/internal/sheettest"
	"canbo/pipeline/reporttext"
	"canbo/templates"
)

// TestCourseLevel: a register's level column (Cấp độ) is counted in by_field, in
// attendances and people, by kind: one person at two trung cấp sessions is 2 lượt,
// 1 người; a row without a level counts under chua_xac_dinh, so the codes add up to
// the kind's figures ("308 … trong đó cao cấp 28 người, trung cấp 280 người"). The
// funding stays in by_funding, as it was.
func TestCourseLevel(t *testing.T) {
	dir := t.TempDir()
	sheettest.Write(t, dir, "ds.xlsx", sheettest.Sheet{Name: "DS", Rows: [][]any{
		{"UBND XÃ AN BÌNH"}, {"(Tính đến ngày 30/09/2023)"}, {},
		{"STT", "Họ và tên", "Ngày sinh", "Giới tính", "Dân tộc"},
		{1, "Nguyễn Văn A", "01/10/1988", "Nam", "Kinh"},
		{2, "Lò Thị B", "30/09/1988", "Nữ", "Thái"},
		{3, "Giàng A Pó", "15/05/1970", "Nam", "Mông"},
	}})
	sheettest.Write(t, dir, "so.xlsx", sheettest.Sheet{Name: "Sổ", Rows: [][]any{
		{"SỔ THEO DÕI ĐÀO TẠO, BỒI DƯỠNG"}, {},
		{"STT", "Họ và tên", "Ngày sinh", "Đơn vị", "Nội dung đào tạo", "Cấp độ", "Kinh phí"},
		{1, "Nguyễn Văn A", "01/10/1988", "UBND xã An Bình", "Lớp trung cấp LLCT - HC khóa 1", "Trung cấp", "Ngân sách"},
		{2, "Nguyễn Văn A", "01/10/1988", "UBND xã An Bình", "Lớp trung cấp LLCT - HC khóa 1 (đợt 2)", "TC", "Ngân sách"},
		{3, "Lò Thị B", "30/09/1988", "UBND xã An Bình", "Cao cấp lý luận chính trị", "Cao cấp", "Tự túc"},
		{4, "Giàng A Pó", "15/05/1970", "UBND xã An Bình", "Trung cấp lý luận chính trị", "", "Ngân sách"},
		{5, "Giàng A Pó", "15/05/1970", "UBND xã An Bình", "Bồi dưỡng QLNN ngạch chuyên viên", "", "Ngân sách"},
	}})
	tr := build(t, dir).Training
	lv := tr.ByField["cap_do_dao_tao"]
	if lv == nil {
		t.Fatalf("no by_field.cap_do_dao_tao in %+v", tr.ByField)
	}
	for code, want := range map[string][4]int{ // lượt, người, LLCT lượt, LLCT người
		"trung_cap":     {2, 1, 2, 1},
		"cao_cap":       {1, 1, 1, 1},
		"so_cap":        {0, 0, 0, 0},
		"chua_xac_dinh": {2, 1, 1, 1},
	} {
		c := lv[code]
		if got := [4]int{c.Total, c.People, c.ByType["ly_luan_chinh_tri"], c.PeopleByType["ly_luan_chinh_tri"]}; got != want {
			t.Errorf("cap_do_dao_tao %s: %v, want %v", code, got, want)
		}
	}
	if tr.ByFunding["ngan_sach"] != 4 || tr.PeopleByFunding["ngan_sach"] != 2 || tr.ByFunding["tu_tuc"] != 1 {
		t.Errorf("by funding %v, people %v; want ngân sách 4 lượt 2 người, tự túc 1", tr.ByFunding, tr.PeopleByFunding)
	}
	if u := tr.Units; len(u) != 1 || u[0].ByField["cap_do_dao_tao"]["trung_cap"].People != 1 {
		t.Errorf("units %+v: want one with 1 person at trung cấp", u)
	}
}

// TestCourseLevelLeftOut: a register without a level column writes no by_field: a
// batch whose registers never say the level writes the summary it wrote before.
func TestCourseLevelLeftOut(t *testing.T) {
	if f := build(t, traineeBatch(t)).Training.ByField; f != nil {
		t.Errorf("by_field %v, want none (no register has a level column)", f)
	}
}

// TestCourseLevelFromName: a register with only the course's name ("Tên lớp") has its
// level read off the name, counted in by_field like a level column's, and the
// summary's problems say how many rows were read so (value-from-name); a name naming
// two levels counts under chua_xac_dinh with a warning at its cell.
func TestCourseLevelFromName(t *testing.T) {
	dir := t.TempDir()
	sheettest.Write(t, dir, "so.xlsx", sheettest.Sheet{Name: "Sổ", Rows: [][]any{
		{"SỔ THEO DÕI ĐÀO TẠO, BỒI DƯỠNG"}, {},
		{"STT", "Họ và tên", "Ngày sinh", "Đơn vị", "Tên lớp", "Kinh phí"},
		{1, "Nguyễn Văn A", "01/10/1988", "UBND xã An Bình", "Lớp Trung cấp lý luận chính trị – hành chính K25", "Ngân sách"},
		{2, "Lò Thị B", "30/09/1988", "UBND xã An Bình", "Cao cấp LLCT hệ không tập trung", "Ngân sách"},
		{3, "Lò Thị B", "30/09/1988", "UBND xã An Bình", "Bồi dưỡng ngạch chuyên viên chính", "Ngân sách"},
		{4, "Giàng A Pó", "15/05/1970", "UBND xã An Bình", "BD QLNN chương trình chuyên viên", "Ngân sách"},
		{5, "Giàng A Pó", "15/05/1970", "UBND xã An Bình", "Lớp bồi dưỡng kiến thức QP-AN đối tượng 4", "Ngân sách"},
		{6, "Nguyễn Văn A", "01/10/1988", "UBND xã An Bình", "Bồi dưỡng từ trung cấp lên cao cấp", "Ngân sách"},
	}})
	s := build(t, dir)
	lv := s.Training.ByField["cap_do_dao_tao"]
	for code, want := range map[string][2]int{ // lượt, of which lý luận chính trị
		"trung_cap": {1, 1}, "cao_cap": {1, 1}, "chuyen_vien_chinh": {1, 0}, "chuyen_vien": {1, 0}, "chua_xac_dinh": {2, 0},
	} {
		if c := lv[code]; [2]int{c.Total, c.ByType["ly_luan_chinh_tri"]} != want {
			t.Errorf("cap_do_dao_tao %s: %d lượt, %d LLCT; want %v", code, c.Total, c.ByType["ly_luan_chinh_tri"], want)
		}
	}
	if s.Training.ByType["quan_ly_nha_nuoc"] != 2 || s.Training.ByType["quoc_phong_an_ninh"] != 1 {
		t.Errorf("by type %v: want the kind read off the name too (QLNN 2, QP-AN 1)", s.Training.ByType)
	}
	var notes []string
	ambiguous := 0
	for _, p := range s.Problems {
		switch p.Code {
		case "value-from-name":
			notes = append(notes, p.Field+":"+p.Cell)
			if p.Field == "Cấp độ đào tạo" && !strings.Contains(p.Message, "của 4 dòng từ tên lớp") {
				t.Errorf("level note %q does not say 4 rows", p.Message)
			}
		case "course-name-ambiguous":
			ambiguous++
			if p.Cell != "E9" || p.Severity != "warning" {
				t.Errorf("ambiguous name at %s (%s), want warning at E9", p.Cell, p.Severity)
			}
		}
	}
	if n := s.Training.FromName["cap_do_dao_tao"]; n != 4 || len(s.Training.FromName) != 1 {
		t.Errorf("training.from_name %v, want cap_do_dao_tao: 4", s.Training.FromName)
	}
	txt, err := reporttext.Load(templates.FS)
	if err != nil {
		t.Fatal(err)
	}
	sec, err := txt.Sections(s, sheettest.Config(t))
	if err != nil {
		t.Fatal(err)
	}
	if body := strings.Join(sec.Situation, "\n"); !strings.Contains(body, "Cấp độ đào tạo của 4 dòng được đọc từ tên lớp (sổ không có cột này).") {
		t.Errorf("the report's training sentence does not say the level was read off names:\n%s", body)
	}
	if !slices.Equal(notes, []string{"Cấp độ đào tạo:E3"}) || ambiguous != 1 {
		t.Errorf("notes %v, ambiguous %d; want one note for the level at E3 and one ambiguous name", notes, ambiguous)
	}
}
