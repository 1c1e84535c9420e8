package xlsxreport_test

import (
	"encoding/json"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"

	"canbo/pipeline/summary"
)

// samplesSummary is the samples' summary.json as pipeline/report's golden test
// keeps it (it checks that `canbo run` on samples/ makes exactly this), so the form
// sheets are tested on the real figures of the samples.
func samplesSummary(t *testing.T) *summary.Summary {
	t.Helper()
	data, err := os.ReadFile("../report/testdata/samples-summary.json")
	if err != nil {
		t.Fatal(err)
	}
	var s summary.Summary
	if err := json.Unmarshal(data, &s); err != nil {
		t.Fatal(err)
	}
	return &s
}

// Rows of the BM01/BM02 sheets as config/forms.yaml lays them out: the mark, the
// basis, a blank row, the title, the unit; then four heading rows and the numbering.
const (
	formTitleRow  = 4
	formUnitRow   = 5
	formHeadFirst = 6
	formNumberRow = 10
	formBodyFirst = 11
)

// TestFormSheetsOfSamples: each form sheet is laid out as the form — title with the
// period's year, "Đơn vị tính: người", the headings at their places with their
// merges, the numbering row 1, 2, 3 … — and its figures are the summary's: a
// unit's Nữ column is its gioi_tinh/nu breakdown, Thạc sĩ its
// trinh_do_chuyen_mon/thac_si, the totals rows of the two forms add up to the
// summary's total; a column our data lacks is empty and named in the note.
func TestFormSheetsOfSamples(t *testing.T) {
	_, cfg, txt := fixture(t)
	s := samplesSummary(t)
	f, _ := written(t, s, cfg, txt)
	forms := map[string]struct {
		sheet, title string
		ncols        int
		heads        map[string]string // cell → heading
		merges       []string
	}{
		"bm01": {"BM01-BNV", "BÁO CÁO SỐ LƯỢNG, CHẤT LƯỢNG CÔNG CHỨC TỪ CẤP HUYỆN TRỞ LÊN NĂM 2023", 40,
			map[string]string{"A6": "STT", "B6": "Tên đơn vị", "C6": "Tổng số biên chế được giao", "D6": "Tổng số công chức hiện có",
				"E6": "Trong đó", "E7": "Nữ", "F7": "Đảng viên", "G7": "Dân tộc thiểu số", "H7": "Tôn giáo",
				"I6": "Chia theo ngạch công chức", "I7": "Chuyên viên cao cấp và tương đương", "M7": "Nhân viên",
				"N6": "Trình độ đào tạo", "N7": "Chuyên môn", "N8": "Tiến sĩ", "O8": "Thạc sĩ", "T7": "Chính trị", "T8": "Cử nhân",
				"X7": "Tin học", "Z7": "Ngoại ngữ", "Z8": "Tiếng Anh", "Z9": "Đại học trở lên", "AA9": "Chứng chỉ A, B, C",
				"AB8": "Ngoại ngữ khác", "AD7": "Chứng chỉ tiếng dân tộc", "AE7": "Quản lý nhà nước",
				"AH6": "Chia theo độ tuổi", "AH7": "Từ 30 trở xuống", "AK7": "Từ 51 đến 60", "AK8": "Tổng số",
				"AL8": "Nữ từ 51 đến 55", "AM8": "Nam từ 56 đến 60", "AN7": "Trên tuổi nghỉ hưu"},
			[]string{"A6:A9", "B6:B9", "C6:C9", "E6:H6", "E7:E9", "I6:M6", "N6:AG6", "N7:S7", "N8:N9", "T7:W7",
				"Z7:AC7", "Z8:AA8", "AB8:AC8", "AD7:AD9", "AE7:AG7", "AH6:AN6", "AK7:AM7", "AN7:AN9", "A4:AN4"}},
		"bm02": {"BM02-BNV", "BÁO CÁO SỐ LƯỢNG, CHẤT LƯỢNG CÁN BỘ, CÔNG CHỨC CẤP XÃ NĂM 2023", 40,
			map[string]string{"A6": "STT", "B6": "Tên đơn vị", "C6": "Tổng số", "D6": "Trong đó", "D7": "Nữ",
				"H6": "Chức danh", "H7": "Cán bộ cấp xã", "I7": "Công chức chuyên môn", "J6": "Trình độ đào tạo",
				"J7": "Học vấn phổ thông", "J8": "Trung học phổ thông", "L8": "Tiểu học", "M7": "Chuyên môn", "N8": "Thạc sĩ",
				"AD7": "Quản lý nhà nước", "AF8": "Chưa qua đào tạo", "AG6": "Chia theo độ tuổi",
				"AN6": "Công chức luân chuyển từ cấp huyện"},
			[]string{"A6:A9", "C6:C9", "D6:G6", "H6:I6", "J6:AF6", "J7:L7", "AD7:AF7", "AG6:AM6", "AN6:AN9"}},
	}
	// Which column of the sheet a form column id is in, read from config/forms.yaml.
	colOf := func(form, id string) int {
		for _, fm := range cfg.Forms.Forms {
			if fm.Code == form {
				for i, l := range fm.Leaves() {
					if l.ID == id {
						return 3 + i
					}
				}
			}
		}
		t.Fatalf("%s has no column %q", form, id)
		return 0
	}
	headcounts := 0
	for code, want := range forms {
		rows, err := f.GetRows(want.sheet)
		if err != nil {
			t.Fatal(err)
		}
		if got := cellAt(rows, formTitleRow-1, 0); got != want.title {
			t.Errorf("%s: title %q, want %q", code, got, want.title)
		}
		if got := cellAt(rows, formUnitRow-1, 0); got != "Đơn vị tính: người" {
			t.Errorf("%s: unit line %q", code, got)
		}
		for at, head := range want.heads {
			if got, _ := f.GetCellValue(want.sheet, at); got != head {
				t.Errorf("%s!%s = %q, want %q", code, at, got, head)
			}
		}
		merged, _ := f.GetMergeCells(want.sheet)
		var ranges []string
		for _, m := range merged {
			ranges = append(ranges, m.GetStartAxis()+":"+m.GetEndAxis())
		}
		for _, m := range want.merges {
			if !slices.Contains(ranges, m) {
				t.Errorf("%s: %s is not merged (merges %v)", code, m, ranges)
			}
		}
		// Sent as it is: no filter buttons on the numbering row; the headings repeat
		// on every printed page.
		{
			n := f.GetDefinedName()
			titles := false
			for _, d := range n {
				titles = titles || (d.Name == "_xlnm.Print_Titles" && d.Scope == want.sheet && strings.HasSuffix(d.RefersTo, "!$6:$10"))
				if d.Name == "_xlnm._FilterDatabase" && d.Scope == want.sheet {
					t.Errorf("%s: an autofilter", code)
				}
			}
			if !titles {
				t.Errorf("%s: the heading rows 6-10 do not repeat on printed pages (%+v)", code, n)
			}
		}
		numbers := rows[formNumberRow-1]
		if len(numbers) != want.ncols {
			t.Errorf("%s: numbering row has %d columns, want %d", code, len(numbers), want.ncols)
		}
		for i, v := range numbers {
			if v != strconv.Itoa(i+1) {
				t.Errorf("%s: numbering row column %d is %q", code, i+1, v)
			}
		}

		var units []summary.Unit
		for _, u := range s.Units {
			if u.Form == code {
				units = append(units, u)
			}
		}
		if len(units) == 0 {
			t.Fatalf("%s: no unit of the samples is on the form", code)
		}
		total := 0
		for i, u := range units {
			row := rows[formBodyFirst-1+i]
			if row[1] != u.Unit {
				t.Fatalf("%s row %d: unit %q, want %q", code, formBodyFirst+i, row[1], u.Unit)
			}
			for id, dim := range map[string][2]string{"nu": {"gioi_tinh", "nu"}, "thac_si": {"trinh_do_chuyen_mon", "thac_si"},
				"dai_hoc": {"trinh_do_chuyen_mon", "dai_hoc"}} {
				if got, want := cellAt(rows, formBodyFirst-1+i, colOf(code, id)-1), strconv.Itoa(u.Breakdowns[dim[0]][dim[1]]); got != want {
					t.Errorf("%s %s: %s column %s, want the breakdown %s/%s = %s", code, u.Unit, id, got, dim[0], dim[1], want)
				}
			}
			if got := cellAt(rows, formBodyFirst-1+i, colOf(code, "tong_so")-1); got != strconv.Itoa(u.Headcount) {
				t.Errorf("%s %s: total column %s, want the headcount %d", code, u.Unit, got, u.Headcount)
			}
			total += u.Headcount
		}
		totalRow := formBodyFirst - 1 + len(units)
		if cellAt(rows, totalRow, 1) != "Tổng cộng" {
			t.Fatalf("%s: row %d is %q, want the totals", code, totalRow+1, rows[totalRow])
		}
		if got := strings.ReplaceAll(cellAt(rows, totalRow, colOf(code, "tong_so")-1), ",", ""); got != strconv.Itoa(total) { // 1,726 shown with a separator
			t.Errorf("%s: totals row %s, want %d", code, got, total)
		}
		headcounts += total

		// Tôn giáo: left for the clerk, and the note says which column and why.
		religion := 8 // H in BM01
		if code == "bm02" {
			religion = 7 // G
		}
		for r := formBodyFirst - 1; r <= totalRow; r++ {
			if v := cellAt(rows, r, religion-1); v != "" {
				t.Errorf("%s: Tôn giáo has %q in row %d", code, v, r+1)
			}
		}
		note := "- Cột " + strconv.Itoa(religion) + " (Trong đó – Tôn giáo): cột tôn giáo trong danh sách là chữ tự do, chưa có danh mục để đếm người có tôn giáo."
		findRow(t, rows, note)
		last := rows[len(rows)-2]
		if !slices.Contains(last, "NGƯỜI LẬP BẢNG") || !slices.Contains(last, "THỦ TRƯỞNG ĐƠN VỊ") {
			t.Errorf("%s: signature row %q", code, last)
		}
		if !slices.Contains(rows[len(rows)-3], "Ngày … tháng … năm …") {
			t.Errorf("%s: date line %q", code, rows[len(rows)-3])
		}
	}
	if headcounts != s.Total.Headcount {
		t.Errorf("the forms' totals add up to %d, want the summary's total %d", headcounts, s.Total.Headcount)
	}
}
