package sheettest_test

import (
	"testing"

	"canbo/pipeline/internal/sheettest"
	"canbo/pipeline/workbook"
)

// TestCached: a formula written with its cached value reads back as Excel's own files
// do: the value, marked as a formula, with the sheet or workbook it reads from.
func TestCached(t *testing.T) {
	path := sheettest.Write(t, t.TempDir(), "t.xlsx",
		sheettest.Sheet{Name: "DS", Rows: [][]any{{"Họ và tên"}, {"Nguyễn Văn An"}}},
		sheettest.Sheet{Name: "Điểm danh", Rows: [][]any{
			{"Họ và tên", "Số", "Đúng", "Chưa tính"},
			{sheettest.Cached{Formula: "'DS'!A2", Value: "Nguyễn Văn An & <Bình>"},
				sheettest.Cached{Formula: "DS!B2*2", Value: 42}, sheettest.Cached{Formula: "TRUE()", Value: true},
				sheettest.Formula("DS!A2")},
			{sheettest.Cached{Formula: "'[1]Sheet1'!B2", Value: "Trần Thị Bình"}},
		}},
	)
	rows := sheettest.Rows(t, path, 1)
	if len(rows) != 3 {
		t.Fatalf("%d rows, want 3", len(rows))
	}
	for _, tc := range []struct {
		row, col int
		kind     workbook.Kind
		text     string
		sheet    string
		external bool
		noCache  bool
	}{
		{2, 1, workbook.Text, "Nguyễn Văn An & <Bình>", "DS", false, false},
		{2, 2, workbook.Number, "42", "DS", false, false},
		{2, 3, workbook.Bool, "", "", false, false},
		{2, 4, workbook.Blank, "", "DS", false, true},
		{3, 1, workbook.Text, "Trần Thị Bình", "", true, false},
	} {
		c := rows[tc.row-1].Cell(tc.col)
		if !c.Formula || c.Kind != tc.kind || (tc.text != "" && c.Text != tc.text) || c.RefSheet != tc.sheet ||
			c.RefExternal != tc.external || c.NoCache != tc.noCache {
			t.Errorf("row %d col %d: formula=%v kind=%v text=%q sheet=%q external=%v nocache=%v; want kind=%v text=%q sheet=%q external=%v nocache=%v",
				tc.row, tc.col, c.Formula, c.Kind, c.Text, c.RefSheet, c.RefExternal, c.NoCache,
				tc.kind, tc.text, tc.sheet, tc.external, tc.noCache)
		}
	}
}
