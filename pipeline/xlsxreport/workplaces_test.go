package xlsxreport_test

import (
	"slices"
	"strconv"
	"strings"
	"testing"
)

// TestWorkplacesOfSamples: the samples' Kon Tum class lists are the two schools'
// (units.yaml lists: learners): the "Nơi công tác" sheet lists, for each school,
// how many learners each workplace sent, adding up to the schools' 280 learners;
// the BM01 form has a row per school and no form has a row for a workplace.
func TestWorkplacesOfSamples(t *testing.T) {
	_, cfg, txt := fixture(t)
	s := samplesSummary(t)
	f, _ := written(t, s, cfg, txt)
	rows, err := f.GetRows("Nơi công tác")
	if err != nil {
		t.Fatal(err)
	}
	if cellAt(rows, 0, 0) != "HỌC VIÊN THEO NƠI CÔNG TÁC" || !slices.Equal(rows[3], []string{"STT", "Đơn vị gửi danh sách", "Nơi công tác", "Số học viên"}) {
		t.Fatalf("title %q, header %q", cellAt(rows, 0, 0), rows[3])
	}
	bySchool := map[string]int{}
	places := map[string]bool{}
	for _, r := range rows[4 : len(rows)-1] {
		n, err := strconv.Atoi(cellAt([][]string{r}, 0, 3))
		if err != nil {
			t.Fatalf("row %q: %v", r, err)
		}
		bySchool[r[1]] += n
		places[r[2]] = true
	}
	total := rows[len(rows)-1]
	if bySchool["Phân hiệu Đại học Đà Nẵng tại Kon Tum"] != 218 || bySchool["Trường Chính trị tỉnh Kon Tum"] != 62 || len(bySchool) != 2 ||
		cellAt(rows, len(rows)-1, 3) != "280" || total[1] != "Tổng cộng" {
		t.Errorf("learners by school %v, total row %q; want 218 and 62, total 280", bySchool, total)
	}
	if !places["UBND xã Đăk Kôi, huyện Kon Rẫy"] || places["UBND xã Đăk Kôi - Kon Rẫy"] {
		t.Error("a workplace written two ways is not one row")
	}
	var formRows []string
	for _, sheet := range []string{"BM01-BNV", "BM02-BNV"} {
		rows, err := f.GetRows(sheet)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rows[formBodyFirst-1:] {
			formRows = append(formRows, cellAt([][]string{r}, 0, 1))
		}
	}
	for _, school := range []string{"Phân hiệu Đại học Đà Nẵng tại Kon Tum", "Trường Chính trị tỉnh Kon Tum"} {
		if !slices.Contains(formRows, school) {
			t.Errorf("no form row for %s", school)
		}
	}
	for _, r := range formRows {
		if places[r] || strings.Contains(r, "Kon Rẫy") {
			t.Errorf("a form has a row for the workplace %q", r)
		}
	}
}

// TestNoWorkplacesSheet: a report without lists of learners has no "Nơi công tác"
// sheet.
func TestNoWorkplacesSheet(t *testing.T) {
	s, cfg, txt := fixture(t)
	f, _ := written(t, s, cfg, txt)
	if slices.Contains(f.GetSheetList(), "Nơi công tác") {
		t.Errorf("sheets %q", f.GetSheetList())
	}
}
