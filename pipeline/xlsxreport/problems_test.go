package xlsxreport_test

import (
	"fmt"
	"strconv"
	"strings"
	"testing"

	"canbo/pipeline/summary"
)

// TestProblemsGrouped: the same problem of many cells of one file's sheet is one row
// naming its first cells and how many more, with its message naming them and its
// count; problems that differ (another file, another value, no cell, a flood's last
// listed problem) keep rows of their own, and the counts add up to the problems the
// overview counts, a flood's unlisted ones included. Read back from the .xlsx.
func TestProblemsGrouped(t *testing.T) {
	s, cfg, txt := fixture(t)
	const wrong = "Ủy viên BCH Đảng bộ cấp huyện"
	msg := func(cell string) string {
		return "Ô " + cell + ": không nhận ra diện quản lý “" + wrong + "”; ghi một trong: BCH tỉnh, BTV quản lý, BCH huyện, cấp phòng."
	}
	bad := func(file, cell string) summary.Problem {
		return summary.Problem{Code: "unknown-value", Severity: "error", File: file, Sheet: "DS", Cell: cell,
			Field: "dien_quan_ly", Raw: wrong, Message: msg(cell)}
	}
	var probs []summary.Problem
	for r := 8; r < 8+141; r++ {
		probs = append(probs, bad("Kon Rẫy.xlsx", "G"+strconv.Itoa(r)))
		if r%50 == 0 { // another file's, in between
			probs = append(probs, bad("Đăk Tô.xlsx", "G"+strconv.Itoa(r)))
		}
	}
	other := bad("Kon Rẫy.xlsx", "G200")
	other.Raw, other.Message = "Ủy viên", "Ô G200: không nhận ra diện quản lý “Ủy viên”."
	flood := bad("Kon Rẫy.xlsx", "G149")
	flood.More = 5000
	flood.Message += " (Và còn 5.000 dòng khác trong tệp có cùng vấn đề này, không liệt kê riêng từng dòng.)"
	whole := summary.Problem{Code: "no-roster", Severity: "warning", File: "Ghi chú.xlsx", Message: "Không thấy bảng danh sách."}
	// A message that does not name its cell groups too, and is left as it is.
	missing := func(cell string) summary.Problem {
		return summary.Problem{Code: "missing-value", Severity: "warning", File: "Ghi chú.xlsx", Sheet: "DS", Cell: cell,
			Field: "ly_luan_chinh_tri", Message: "Chưa ghi trình độ lý luận chính trị."}
	}
	probs = append(probs, other, flood, whole, missing("H8"), missing("H9"))
	s.Problems = probs
	s.Issues = summary.Issues{Errors: 141 + 2 + 1 + 5001, Warnings: 1 + 2,
		ByCode: map[string]int{"unknown-value": 141 + 2 + 1 + 5001, "no-roster": 1, "missing-value": 2}}

	f, _ := written(t, s, cfg, txt)
	rows, err := f.GetRows("Lỗi dữ liệu")
	if err != nil {
		t.Fatal(err)
	}
	head := findRow(t, rows, "Số lỗi")
	col := columns(rows[head])
	var got []string
	total := 0
	for _, row := range rows[head+1:] {
		n, err := strconv.Atoi(cellAt([][]string{row}, 0, col["Số lỗi"]))
		if err != nil {
			t.Fatalf("count %q: %v", cellAt([][]string{row}, 0, col["Số lỗi"]), err)
		}
		total += n
		got = append(got, fmt.Sprintf("%s|%s|%s|%d", cellAt([][]string{row}, 0, col["Tệp"]),
			cellAt([][]string{row}, 0, col["Ô"]), cellAt([][]string{row}, 0, col["Cần sửa"]), n))
	}
	first10 := "G8, G9, G10, G11, G12, G13, G14, G15, G16, G17"
	want := []string{
		"Kon Rẫy.xlsx|" + first10 + " và 131 ô khác|" + msg(first10+" và 131 ô khác") + "|141",
		"Đăk Tô.xlsx|G50, G100|" + msg("G50, G100") + "|2",
		"Kon Rẫy.xlsx|G200|" + other.Message + "|1",
		"Kon Rẫy.xlsx|G149|" + flood.Message + "|5001",
		"Ghi chú.xlsx||" + whole.Message + "|1",
		"Ghi chú.xlsx|H8, H9|Chưa ghi trình độ lý luận chính trị.|2",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("rows:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if total != s.Issues.Errors+s.Issues.Warnings {
		t.Errorf("counts add up to %d, the overview counts %d", total, s.Issues.Errors+s.Issues.Warnings)
	}
	// The count is a number a clerk can sum.
	if n := intAt(t, f, "Lỗi dữ liệu", fmt.Sprintf("J%d", head+2)); n != 141 {
		t.Errorf("first count %d, want 141", n)
	}
}
