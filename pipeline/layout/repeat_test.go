package layout

import (
	"slices"
	"testing"

	"canbo/config"
	"canbo/pipeline/normalize"
	"canbo/pipeline/schema"
	"canbo/pipeline/textfold"
	"canbo/pipeline/workbook"
)

// repeatsHeaderReference is repeatsHeader as it was before it stopped early: every
// cell folded first, then the two tests in turn.
func (t *Table) repeatsHeaderReference(r workbook.Row) bool {
	var texts []string
	for _, c := range r.Cells {
		if k := textfold.Key(cellText(c)); k != "" {
			texts = append(texts, k)
		}
	}
	if len(texts) >= 3 && slices.Equal(texts, t.headerTexts) {
		return true
	}
	hits, n := 0, 0
	for _, c := range r.Cells {
		k := textfold.Key(cellText(c))
		if k == "" {
			continue
		}
		n++
		if slices.Contains(t.headerCols[c.Col], k) {
			hits++
		} else if len(t.headerCols[c.Col]) == 0 {
			return false
		}
	}
	return n >= 3 && hits*10 >= n*7
}

func textRow(num int, texts ...string) workbook.Row {
	r := workbook.Row{Num: num}
	for i, s := range texts {
		if s != "" {
			r.Cells = append(r.Cells, workbook.Cell{Col: i + 1, Kind: workbook.Text, Text: s})
		}
	}
	return r
}

// TestRepeatsHeaderStopsEarly: the early-stopping look gives the answer of the full
// one on rows that repeat the header, wholly, mostly or shifted, and on rows that do not.
func TestRepeatsHeaderStopsEarly(t *testing.T) {
	cfg, err := schema.Load(config.FS, "config")
	if err != nil {
		t.Fatal(err)
	}
	d := New(normalize.New(cfg))
	header := []string{"STT", "Họ và tên", "Ngày sinh", "Chức vụ", "Trình độ chuyên môn", "Dân tộc", "Ghi chú"}
	tb := d.Detect([]workbook.Row{textRow(1, header...), textRow(2, "1", "Nguyễn Văn A", "01/02/1980", "Bí thư", "Đại học", "Tày", "")})
	if tb == nil {
		t.Fatal("no table")
	}
	rows := [][]string{
		header,
		{"TT", "HỌ VÀ TÊN", "NGÀY SINH", "CHỨC VỤ", "TRÌNH ĐỘ CHUYÊN MÔN", "DÂN TỘC", "GHI CHÚ"},
		{"STT", "Họ và tên", "Ngày sinh", "Chức vụ", "Trình độ chuyên môn", "Dân tộc"},
		{"STT", "Họ và tên", "Ngày sinh", "Chức vụ", "Trình độ chuyên môn", "Dân tộc", "Ghi chú", "Thêm"},
		{"", "STT", "Họ và tên", "Ngày sinh", "Chức vụ", "Trình độ chuyên môn", "Dân tộc", "Ghi chú"},
		{"STT", "Họ và tên", "Ngày sinh", "x", "Trình độ chuyên môn", "Dân tộc", "Ghi chú"},
		{"STT", "Họ và tên", "x", "x", "Trình độ chuyên môn", "Dân tộc", "Ghi chú"},
		{"STT", "Họ và tên", "x", "x", "x", "Dân tộc", "Ghi chú"},
		{"STT", "Họ và tên"},
		{"STT", "Họ và tên", "Ngày sinh"},
		{"1", "Nguyễn Văn A", "01/02/1980", "Bí thư", "Đại học", "Tày", ""},
		{"", "Nguyễn Văn A"},
		{"", "", "", "", "", "", "", "", "Ghi chú lạc"},
		{"Họ và tên", "STT", "Ngày sinh", "Chức vụ", "Trình độ chuyên môn", "Dân tộc", "Ghi chú"},
		{},
	}
	for i, texts := range rows {
		r := textRow(10+i, texts...)
		if got, want := tb.repeatsHeader(r), tb.repeatsHeaderReference(r); got != want {
			t.Errorf("row %q: repeatsHeader = %v, reference %v", texts, got, want)
		}
	}
	if !tb.repeatsHeader(textRow(30, header...)) {
		t.Error("the header itself is not read as repeated")
	}
}
