package facts_test

import (
	"path/filepath"
	"testing"

	"canbo/pipeline/internal/sheettest"
	"canbo/pipeline/summary"
)

// traineeBatch writes a roster of three people and two training registers that name
// them in every way a register does, into a fresh folder.
func traineeBatch(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	sheettest.Write(t, dir, "ds.xlsx", sheettest.Sheet{Name: "DS", Rows: [][]any{
		{"UBND XÃ AN BÌNH"}, {"(Tính đến ngày 30/09/2023)"}, {},
		{"STT", "Họ và tên", "Ngày sinh", "Giới tính", "Dân tộc", "Số định danh cá nhân"},
		{1, "Nguyễn Văn A", "01/10/1988", "Nam", "Kinh", "001088000001"},
		{2, "Lò Thị B", "30/09/1988", "Nữ", "Thái", "011188000002"},
		{3, "Giàng A Pó", "15/05/1970", "Nam", "Mông", "011070000003"},
	}})
	head := []any{"STT", "Họ và tên", "Ngày sinh", "Số định danh cá nhân", "Đơn vị", "Loại đào tạo"}
	sheettest.Write(t, dir, "so-1.xlsx", sheettest.Sheet{Name: "Sổ", Rows: [][]any{
		{"SỔ THEO DÕI ĐÀO TẠO, BỒI DƯỠNG"}, {}, head,
		{1, "NGUYỄN VĂN A", "", "001088000001", "UBND xã An Bình", "LLCT"},          // by ID, no birth date
		{2, "Lò Thị B", "30/09/1988", "", "UBND xã An Bình", "LLCT"},                // by name and birth date
		{3, "Lò Thị B", "30/09/1988", "011188000099", "UBND xã An Bình", "QLNN"},    // a mistyped ID: by name and birth date
		{4, "giàng a pó", "", "", "UBND xã An Bình", "LLCT"},                        // by name in the same unit
		{5, "Giàng A Pó", "", "", "UBND xã Bình Minh", "LLCT"},                      // same name, another unit: unknown
		{6, "Phạm Văn Z", "01/01/1980", "", "UBND xã An Bình", "LLCT"},              // in no roster
		{7, "Lò Thị B", "", "011188000002", "UBND xã An Bình", "Lý luận chính trị"}, // B again, by ID
	}})
	sheettest.Write(t, dir, "so-2.xlsx", sheettest.Sheet{Name: "Sổ", Rows: [][]any{
		{"SỔ THEO DÕI ĐÀO TẠO, BỒI DƯỠNG"}, {}, head,
		{1, "Nguyễn Văn A", "01/10/1988", "", "UBND xã An Bình", "LLCT"}, // A again, in another file
	}})
	return dir
}

// TestTraineeJoin: each attendance is matched to its roster person by ID, else name
// and birth date, else (no birth date) name in the same unit; the person's
// ethnicity, sex and age group come from the roster; attendances (lượt) and people
// (người) are both counted, one person in two files or two courses being one person;
// trainees in no roster count under chua_xac_dinh and in not_in_roster, exactly the
// rows the unknown-person warnings are about.
func TestTraineeJoin(t *testing.T) {
	s := build(t, traineeBatch(t))
	tr := s.Training
	if tr.Total != 8 || tr.People != 5 {
		t.Errorf("%d attendances, %d people; want 8 and 5 (A, B, Pó, Pó of Bình Minh, Z)", tr.Total, tr.People)
	}
	if tr.ByType["ly_luan_chinh_tri"] != 7 || tr.PeopleByType["ly_luan_chinh_tri"] != 5 ||
		tr.ByType["quan_ly_nha_nuoc"] != 1 || tr.PeopleByType["quan_ly_nha_nuoc"] != 1 {
		t.Errorf("by type %v, people %v; want LLCT 7 lượt 5 người, QLNN 1 and 1", tr.ByType, tr.PeopleByType)
	}
	dtts := tr.ByTrainee["dan_toc_thieu_so"]
	for code, want := range map[string][4]int{ // lượt, người, LLCT lượt, LLCT người
		"true":          {4, 2, 3, 2}, // B (rows 2, 3, 7), Pó (row 4)
		"false":         {2, 1, 2, 1}, // A in both files
		"chua_xac_dinh": {2, 2, 2, 2}, // Pó of Bình Minh, Z
	} {
		c := dtts[code]
		if got := [4]int{c.Total, c.People, c.ByType["ly_luan_chinh_tri"], c.PeopleByType["ly_luan_chinh_tri"]}; got != want {
			t.Errorf("dan_toc_thieu_so %s: %v, want %v", code, got, want)
		}
	}
	if sex := tr.ByTrainee["gioi_tinh"]; sex["nu"].Total != 3 || sex["nu"].People != 1 || sex["nam"].Total != 3 {
		t.Errorf("gioi_tinh: %+v", sex)
	}
	if nr := tr.NotInRoster; nr == nil || *nr != (summary.TraineeTotal{Total: 2, People: 2}) {
		t.Errorf("not in roster %+v, want 2 attendances of 2 people", nr)
	}
	if n := s.Issues.ByCode["unknown-person"]; n != 2 {
		t.Errorf("%d unknown-person warnings, want 2 (rows 5 and 6 of so-1.xlsx)", n)
	}
	// Per unit the same counting: the register's unit is An Bình but for row 5.
	for _, u := range tr.Units {
		sum := 0
		for _, c := range u.ByTrainee["dan_toc_thieu_so"] {
			sum += c.Total
		}
		if sum != u.Total || u.People == 0 {
			t.Errorf("%s: dan_toc_thieu_so adds up to %d of %d, %d people", u.Unit, sum, u.Total, u.People)
		}
	}
}

// TestTraineeJoinCached: a re-run that takes every file's part from the cache (the
// roster persons and the attendances are kept with it) counts the same.
func TestTraineeJoinCached(t *testing.T) {
	dir, cache := traineeBatch(t), t.TempDir()
	counted(t, dir, cache, asOf, false)
	s := sameCounts(t, dir, cache, asOf, false)
	if got := s.Training.ByTrainee["dan_toc_thieu_so"]["true"].People; got != 2 {
		t.Errorf("cached: %d DTTS people, want 2", got)
	}
	if len(partFiles(t, cache)) == 0 {
		t.Error("no part kept")
	}
}

// TestNoTrainingNoKeys: a batch of rosters alone writes no people figures (its
// summary.json is what it was before training was joined to rosters).
func TestNoTrainingNoKeys(t *testing.T) {
	dir := t.TempDir()
	sheettest.Write(t, dir, "ds.xlsx", roster("UBND XÃ AN BÌNH", []any{1, "Nguyễn Văn A", "01/10/1988", "Nam", "Kinh", "Đại học"}))
	s := build(t, filepath.Clean(dir))
	if tr := s.Training; tr.People != 0 || tr.ByTrainee != nil || tr.NotInRoster != nil || tr.PeopleByType != nil {
		t.Errorf("training of a batch without registers: %+v", tr)
	}
}
