package layout

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
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

// TestMayBeHeaderEveryHeader: every configured header and abbreviation, written in a
// cell as a clerk would (capitals, marks) or as its key, still makes mayBeHeader look
// further: the first-word sieve (headWords) turns none of them away, and it turns
// away a person's row.
func TestMayBeHeaderEveryHeader(t *testing.T) {
	d := loadDetector(t)
	cfg := d.cfg
	tb := d.Detect([]workbook.Row{textRow(1, "STT", "Họ và tên", "Ngày sinh", "Chức vụ"), textRow(2, "1", "Nguyễn Văn A", "01/02/1980", "Bí thư")})
	if tb == nil {
		t.Fatal("no table")
	}
	var texts []string
	for k := range d.exact {
		texts = append(texts, k)
	}
	for k := range d.abbrev {
		texts = append(texts, k)
	}
	for _, f := range cfg.Schema.Fields {
		texts = append(texts, f.Label, strings.ToUpper(f.Label))
		texts = append(texts, f.Headers...)
	}
	for _, s := range texts {
		_, exact := d.exact[textfold.Key(s)]
		_, abbrev := d.abbrev[textfold.Key(s)]
		if (exact || abbrev) && !tb.mayBeHeader(textRow(9, "", s)) {
			t.Errorf("mayBeHeader turns away a row holding %q", s)
		}
	}
	if tb.mayBeHeader(textRow(9, "1", "Nguyễn Văn An", "01/02/1980", "Bí thư", "Đại học", "Tày")) {
		t.Error("mayBeHeader looks further at a person's row")
	}
}

// BenchmarkClassify classifies the rows of people under a roster's header, what
// Classify does for nearly every row read.
func BenchmarkClassify(b *testing.B) {
	d := loadDetector(b)
	header := []string{"STT", "Họ và tên", "Ngày sinh", "Giới tính", "Dân tộc", "Chức vụ", "Trình độ chuyên môn", "Đảng viên", "Ghi chú"}
	tb := d.Detect([]workbook.Row{textRow(1, header...), textRow(2, "1", "Nguyễn Văn A", "01/02/1980", "Nam", "Tày", "Bí thư", "Đại học", "x", "")})
	if tb == nil {
		b.Fatal("no table")
	}
	surnames := []string{"Nguyễn", "Trần", "Hoàng", "Nông", "Ma", "Triệu", "Bàn", "Lục", "Đỗ", "Lý"}
	given := []string{"Văn Thành", "Thị Lan", "Văn Hùng", "Thị Mai", "Đình Quân", "Thị Nga", "Văn Long"}
	var rows []workbook.Row
	for i := range 1000 {
		rows = append(rows, textRow(3+i, strconv.Itoa(i+1), surnames[i%len(surnames)]+" "+given[i%len(given)],
			fmt.Sprintf("%02d/%02d/%d", 1+i%28, 1+i%12, 1965+i%35), []string{"Nam", "Nữ"}[i%2],
			[]string{"Tày", "Kinh", "Dao"}[i%3], "Công chức", []string{"Đại học", "Thạc sĩ"}[i%2], "x", ""))
	}
	b.ReportAllocs()
	for b.Loop() {
		for _, r := range rows {
			if k := tb.Classify(r); k != Data {
				b.Fatalf("row %d: %v", r.Num, k)
			}
		}
	}
}
