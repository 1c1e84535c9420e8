package ingest_test

import (
	"context"
	"fmt"
	"os"
	"reflect"
	"sort"
	"strings"
	"testing"

	"canbo/pipeline/ingest"
	"canbo/pipeline/internal/sheettest"
	"canbo/pipeline/issue"
	"canbo/pipeline/layout"
	"canbo/pipeline/normalize"
	"canbo/pipeline/textfold"
)

// These tests give each class of real-file failure listed in issue 9 ("Read the
// workbooks offices really keep") a workbook of its own, written here, and read it the
// way canbo reads a unit's file. Each case asserts what a user would notice: who is
// counted, who is listed but not counted, which tables count, the warnings raised, the
// values read and the unit.

// classStaff are the people the fixtures list: name, birth date, sex, position, level.
var classStaff = [][]any{
	{"Nguyễn Văn An", "12/04/1986", "Nam", "Chủ tịch UBND", "Đại học"},
	{"Trần Thị Bình", "23/08/1990", "Nữ", "Công chức Văn phòng - Thống kê", "Đại học"},
	{"Lê Văn Cường", "03/02/1979", "Nam", "Phó Chủ tịch UBND", "Thạc sĩ"},
	{"Phạm Thị Dung", "15/11/1992", "Nữ", "Công chức Tài chính - Kế toán", "Cao đẳng"},
	{"Hoàng Văn Hải", "30/06/1984", "Nam", "Chỉ huy trưởng Quân sự", "Trung cấp"},
	{"Vũ Thị Giang", "09/09/1995", "Nữ", "Công chức Tư pháp - Hộ tịch", "Đại học"},
	{"Đặng Văn Khoa", "21/01/1981", "Nam", "Công chức Địa chính - Xây dựng", "Đại học"},
	{"Bùi Thị Lan", "05/05/1988", "Nữ", "Công chức Văn hóa - Xã hội", "Đại học"},
}

// classHead is the plain header of most fixtures (columns A–F).
var classHead = []any{"STT", "Họ và tên", "Ngày sinh", "Giới tính", "Chức vụ", "Trình độ chuyên môn"}

// staffRow is person i of classStaff as a row numbered n.
func staffRow(n, i int) []any { return append([]any{n}, classStaff[i]...) }

// staffRows lists the given people numbered from 1.
func staffRows(idx ...int) [][]any {
	var out [][]any
	for n, i := range idx {
		out = append(out, staffRow(n+1, i))
	}
	return out
}

// staffNames are the names of the given people.
func staffNames(idx ...int) []string {
	var out []string
	for _, i := range idx {
		out = append(out, classStaff[i][0].(string))
	}
	return out
}

// staffList is a sheet with the plain header and the given people.
func staffList(name string, idx ...int) sheettest.Sheet {
	return sheettest.Sheet{Name: name, Rows: append([][]any{classHead}, staffRows(idx...)...)}
}

// rows joins row lists: rows(a, b, c) is a, then b, then c.
func rows(lists ...[][]any) [][]any {
	var out [][]any
	for _, l := range lists {
		out = append(out, l...)
	}
	return out
}

// wantIssue is one issue a case expects: its code, sheet, cell ("" for a sheet-level
// issue, "5" for a row) and arguments that must be among its Args.
type wantIssue struct {
	code  issue.Code
	sheet string
	cell  string
	args  map[string]string
}

type classCase struct {
	name   string // the class, as issue 9 words it
	file   string // default "UBND xã Tân Lập.xlsx"
	sheets []sheettest.Sheet
	// status is the file's status; default accepted.
	status string
	// tables lists each table read, in order, as `canbo check` shows it: "DS roster 3"
	// (sheet, dataset, people counted), "+2 left" when people who left are listed,
	// "example", "repeat:DS", "copy:DS" or "external" when its people are not counted.
	tables []string
	// counted are the names of the people counted, in order; left those read but not
	// counted because they left.
	counted, left []string
	// fields: field code → its value in each counted record, in order ("" unset).
	fields map[string][]string
	// unit is the unit of every record (compared folded), "" not checked.
	unit   string
	issues []wantIssue
	// codes: how many issues of each code the file must have (0: none).
	codes map[issue.Code]int
	check func(t *testing.T, f *ingest.File)
	// bug, when set, skips the case: canbo reads this class wrong (see the report).
	bug string
}

func TestIssue9Classes(t *testing.T) {
	r := ingest.NewReader(normalize.New(sheettest.Config(t)), ingest.Options{})
	cases := []classCase{
		// ---- Workbook ----
		{
			name: "example sheet Ví dụ with sample people beside the list",
			sheets: []sheettest.Sheet{
				{Name: "Ví dụ", Rows: [][]any{classHead,
					{1, "Nguyễn Văn A", "01/01/1980", "Nam", "Chủ tịch UBND", "Đại học"},
					{2, "Trần Thị B", "02/02/1985", "Nữ", "Công chức Tư pháp - Hộ tịch", "Đại học"},
					{3, "Lê Văn C", "03/03/1990", "Nam", "Công chức Địa chính - Xây dựng", "Cao đẳng"}}},
				staffList("DS", 0, 1),
			},
			tables:  []string{"Ví dụ roster example", "DS roster 2"},
			counted: staffNames(0, 1),
			issues:  []wantIssue{{issue.SheetNotCounted, "Ví dụ", "1", map[string]string{"kind": "example", "count": "3"}}},
			codes:   map[issue.Code]int{issue.SheetNotCounted: 1},
		},
		{
			name: "instructions sheet Hướng dẫn with sample people beside the list",
			sheets: []sheettest.Sheet{
				staffList("Danh sách", 2, 3, 4),
				{Name: "Hướng dẫn", Rows: [][]any{
					{"Hướng dẫn: mỗi cán bộ ghi một dòng; ngày sinh ghi theo dạng ngày/tháng/năm"},
					classHead,
					{1, "Nguyễn Văn A", "01/01/1980", "Nam", "Chủ tịch UBND", "Đại học"},
					{2, "Trần Thị B", "02/02/1985", "Nữ", "Công chức Tư pháp - Hộ tịch", "Đại học"}}},
			},
			tables:  []string{"Danh sách roster 3", "Hướng dẫn roster example"},
			counted: staffNames(2, 3, 4),
			issues:  []wantIssue{{issue.SheetNotCounted, "Hướng dẫn", "2", map[string]string{"kind": "example", "count": "2"}}},
			codes:   map[issue.Code]int{issue.SheetNotCounted: 1},
		},
		{
			name:    "identical copy of the list on a second sheet",
			sheets:  []sheettest.Sheet{staffList("DS", 0, 1, 2), staffList("DS (2)", 0, 1, 2)},
			tables:  []string{"DS roster 3", "DS (2) roster repeat:DS"},
			counted: staffNames(0, 1, 2),
			issues:  []wantIssue{{issue.SheetNotCounted, "DS (2)", "1", map[string]string{"kind": "repeat", "other": "DS", "count": "3"}}},
			codes:   map[issue.Code]int{issue.SheetNotCounted: 1},
		},
		{
			name: "the same people on several sheets copied by formulas from the list sheet",
			sheets: []sheettest.Sheet{
				staffList("DS", 0, 1, 2),
				copiedSheet("Điểm danh", "Ký tên", "DS", 0, 1, 2),
				copiedSheet("Kết quả", "Kết quả", "DS", 0, 1, 2),
			},
			tables:  []string{"DS roster 3", "Điểm danh roster copy:DS", "Kết quả roster copy:DS"},
			counted: staffNames(0, 1, 2),
			issues: []wantIssue{
				{issue.SheetNotCounted, "Điểm danh", "1", map[string]string{"kind": "copy", "other": "DS", "count": "3"}},
				{issue.SheetNotCounted, "Kết quả", "1", map[string]string{"kind": "copy", "other": "DS", "count": "3"}},
			},
			codes: map[issue.Code]int{issue.SheetNotCounted: 2},
		},
		{
			name: "names pulled from another workbook",
			sheets: []sheettest.Sheet{
				staffList("DS", 0, 1, 2),
				{Name: "Tổng hợp", Rows: [][]any{classHead,
					{1, sheettest.Cached{Formula: "'[1]Sheet1'!B2", Value: classStaff[3][0]}, "15/11/1992", "Nữ", "Công chức", "Cao đẳng"},
					{2, sheettest.Cached{Formula: "'[1]Sheet1'!B3", Value: classStaff[4][0]}, "30/06/1984", "Nam", "Chỉ huy trưởng", "Trung cấp"},
					{3, sheettest.Cached{Formula: "'[1]Sheet1'!B4", Value: classStaff[5][0]}, "09/09/1995", "Nữ", "Công chức", "Đại học"}}},
			},
			tables:  []string{"DS roster 3", "Tổng hợp roster external"},
			counted: staffNames(0, 1, 2),
			issues:  []wantIssue{{issue.SheetNotCounted, "Tổng hợp", "1", map[string]string{"kind": "external", "count": "3"}}},
			codes:   map[issue.Code]int{issue.SheetNotCounted: 1},
		},
		{
			// Four of the five people of the second, thinner list (80%) are on the first.
			name: "two overlapping lists of one staff",
			sheets: []sheettest.Sheet{
				staffList("CBCC", 0, 1, 2, 3, 4),
				{Name: "Danh sách", Rows: [][]any{{"STT", "Họ và tên", "Ngày sinh", "Chức vụ"},
					{1, "Nguyễn Văn An", "12/04/1986", "Chủ tịch UBND"},
					{2, "Trần Thị Bình", "23/08/1990", "Công chức"},
					{3, "Lê Văn Cường", "03/02/1979", "Phó Chủ tịch UBND"},
					{4, "Phạm Thị Dung", "15/11/1992", "Công chức"},
					{5, "Vũ Thị Giang", "09/09/1995", "Công chức"}}},
			},
			tables:  []string{"CBCC roster 5", "Danh sách roster repeat:CBCC"},
			counted: staffNames(0, 1, 2, 3, 4),
			issues:  []wantIssue{{issue.SheetNotCounted, "Danh sách", "1", map[string]string{"kind": "repeat", "other": "CBCC"}}},
			codes:   map[issue.Code]int{issue.SheetNotCounted: 1},
		},
		{
			name: "a roster with an empty Loại hình đào tạo column stays a roster",
			sheets: []sheettest.Sheet{{Name: "DS", Rows: [][]any{
				{"STT", "Họ và tên", "Ngày sinh", "Giới tính", "Chức vụ", "Trình độ chuyên môn", "Loại hình đào tạo"},
				staffRow(1, 0), staffRow(2, 1), staffRow(3, 2)}}},
			tables:  []string{"DS roster 3"},
			counted: staffNames(0, 1, 2),
		},
		{
			// The same without a column only rosters have: an empty column is no
			// evidence of a training register.
			name: "a list of people with an empty Loại hình đào tạo column and no course stays a roster",
			sheets: []sheettest.Sheet{{Name: "DS", Rows: [][]any{
				{"STT", "Họ và tên", "Ngày sinh", "Giới tính", "Chức vụ", "Loại hình đào tạo"},
				staffRow(1, 0)[:5], staffRow(2, 1)[:5], staffRow(3, 2)[:5]}}},
			tables:  []string{"DS roster 3"},
			counted: staffNames(0, 1, 2),
		},
		{
			name: "a training history, one row per person per course, is a training register",
			sheets: []sheettest.Sheet{{Name: "Quá trình đào tạo", Rows: [][]any{
				{"STT", "Họ và tên", "Ngày sinh", "Tên lớp", "Từ ngày", "Đến ngày"},
				{1, "Nguyễn Văn An", "12/04/1986", "Trung cấp lý luận chính trị - hành chính", "06/03/2022", "30/11/2022"},
				{2, "Nguyễn Văn An", "12/04/1986", "Bồi dưỡng quản lý nhà nước ngạch chuyên viên", "10/04/2023", "10/06/2023"},
				{3, "Trần Thị Bình", "23/08/1990", "Bồi dưỡng quản lý nhà nước ngạch chuyên viên", "10/04/2023", "10/06/2023"},
				{4, "Trần Thị Bình", "23/08/1990", "Bồi dưỡng kỹ năng tin học văn phòng", "04/09/2023", "08/09/2023"},
				{5, "Lê Văn Cường", "03/02/1979", "Bồi dưỡng đại biểu HĐND", "05/05/2022", "07/05/2022"}}}},
			tables:  []string{"Quá trình đào tạo training 5"},
			counted: []string{"Nguyễn Văn An", "Nguyễn Văn An", "Trần Thị Bình", "Trần Thị Bình", "Lê Văn Cường"},
			fields: map[string][]string{"tu_ngay": {"2022-03-06", "2023-04-10", "2023-04-10", "2023-09-04", "2022-05-05"},
				"khoa_hoc": {"Trung cấp lý luận chính trị - hành chính", "Bồi dưỡng quản lý nhà nước ngạch chuyên viên",
					"Bồi dưỡng quản lý nhà nước ngạch chuyên viên", "Bồi dưỡng kỹ năng tin học văn phòng", "Bồi dưỡng đại biểu HĐND"}},
		},
		{
			// "A training register is one row per attendance (a course per row, or a
			// course in the title)".
			name: "a course enrolment list, the course in its title, is a training register",
			sheets: []sheettest.Sheet{{Name: "DS học viên", Rows: [][]any{
				{"DANH SÁCH HỌC VIÊN LỚP BỒI DƯỠNG QUẢN LÝ NHÀ NƯỚC NGẠCH CHUYÊN VIÊN NĂM 2023"},
				{"(Từ ngày 10/04/2023 đến ngày 10/06/2023)"},
				{"STT", "Họ và tên", "Ngày sinh", "Chức vụ", "Đơn vị công tác"},
				{1, "Nguyễn Văn An", "12/04/1986", "Chủ tịch UBND", "UBND xã Tân Lập"},
				{2, "Trần Thị Bình", "23/08/1990", "Công chức", "UBND xã Tân Lập"},
				{3, "Lê Văn Cường", "03/02/1979", "Phó Chủ tịch UBND", "UBND xã Tân Lập"}}}},
			tables:  []string{"DS học viên training 3"},
			counted: staffNames(0, 1, 2),
		},

		// ---- Rows ----
		{
			name: "Roman numeral, I.1 and A in a second, unheaded numbering column make group rows",
			sheets: []sheettest.Sheet{{Name: "DS", Rows: [][]any{
				{"STT", nil, "Họ và tên", "Ngày sinh", "Chức vụ"},
				{nil, "A", "Hành Chính Quản Trị"},
				{nil, "I", "Kế Hoạch Tài Vụ"},
				{1, 1, "Nguyễn Văn An", "12/04/1986", "Trưởng phòng"},
				{2, 2, "Trần Thị Bình", "23/08/1990", "Chuyên viên"},
				{nil, "I.1", "Thanh Tra Pháp Chế"},
				{3, 1, "Lê Văn Cường", "03/02/1979", "Phó trưởng phòng"},
				{4, 2, "Phạm Thị Dung", "15/11/1992", "Chuyên viên"},
				{nil, "II", "Chuyên Môn Nghiệp Vụ"},
				{5, 1, "Hoàng Văn Hải", "30/06/1984", "Trưởng phòng"},
				{6, 2, "Vũ Thị Giang", "09/09/1995", "Chuyên viên"},
				{7, 3, "Đặng Văn Khoa", "21/01/1981", "Chuyên viên"}}}},
			tables:  []string{"DS roster 7"},
			counted: staffNames(0, 1, 2, 3, 4, 5, 6),
			codes:   map[issue.Code]int{issue.RowNotPerson: 0},
			check:   skippedRows("DS", map[layout.Kind]int{layout.Group: 4}),
		},
		{
			name: "a group label merged over part of the row",
			sheets: []sheettest.Sheet{{Name: "DS", Rows: [][]any{
				{"STT", "Họ và tên", "Ngày sinh", "Chức vụ", "Trình độ chuyên môn", "Ghi chú"},
				{nil, "Văn phòng", nil, nil},
				{1, "Nguyễn Văn An", "12/04/1986", "Chánh Văn phòng", "Đại học"},
				{2, "Trần Thị Bình", "23/08/1990", "Chuyên viên", "Đại học"},
				{"", "Hành Chính Quản Trị", nil},
				{3, "Lê Văn Cường", "03/02/1979", "Trưởng phòng", "Thạc sĩ"}},
				Merges: []string{"B2:D2", "B5:C5"}}},
			tables:  []string{"DS roster 3"},
			counted: staffNames(0, 1, 2),
			codes:   map[issue.Code]int{issue.RowNotPerson: 0},
			check:   skippedRows("DS", map[layout.Kind]int{layout.Group: 2}),
		},
		{
			name: "a salary table below the list is not read, its header is not a person",
			sheets: []sheettest.Sheet{{Name: "DS", Rows: rows(
				[][]any{classHead}, staffRows(0, 1, 2),
				[][]any{nil,
					{"STT", "Họ và tên", "Bậc", "Hệ số lương"},
					{1, "Nguyễn Văn An", 3, 3.66},
					{2, "Trần Thị Bình", 2, 2.67},
					{3, "Lê Văn Cường", 5, 4.32}})}},
			tables:  []string{"DS roster 3"},
			counted: staffNames(0, 1, 2),
			issues:  []wantIssue{{issue.TableNotList, "DS", "6", nil}},
			codes:   map[issue.Code]int{issue.TableNotList: 1, issue.RowNotPerson: 0, issue.SheetNotCounted: 0},
		},
		{
			name: "a salary table of other people below the list is not read",
			sheets: []sheettest.Sheet{{Name: "DS", Rows: rows(
				[][]any{classHead}, staffRows(0, 1, 2),
				[][]any{nil,
					{"STT", "Họ và tên", "Bậc", "Hệ số lương"},
					{1, "Vũ Thị Giang", 3, 3.66},
					{2, "Đặng Văn Khoa", 2, 2.67},
					{3, "Bùi Thị Lan", 5, 4.32}})}},
			tables:  []string{"DS roster 3"},
			counted: staffNames(0, 1, 2),
			issues:  []wantIssue{{issue.TableNotList, "DS", "6", nil}},
			codes:   map[issue.Code]int{issue.TableNotList: 1, issue.RowNotPerson: 0},
		},
		{
			name: "long note paragraphs inside and below the table are not people",
			sheets: []sheettest.Sheet{{Name: "DS", Rows: rows(
				[][]any{classHead}, staffRows(0, 1),
				[][]any{{nil, "Đồng chí Lê Văn Cường đang đi học lớp trung cấp lý luận chính trị tại trường chính trị tỉnh từ tháng 3 đến tháng 12"}},
				[][]any{staffRow(3, 2)},
				[][]any{{"Lưu ý: danh sách này gồm cán bộ, công chức đang công tác tại đơn vị; không ghi những người hợp đồng lao động theo Nghị định 68 và những người đang đi học dài hạn"}})}},
			tables:  []string{"DS roster 3"},
			counted: staffNames(0, 1, 2),
			issues: []wantIssue{
				{issue.RowNotPerson, "DS", "B4", nil},
				{issue.RowNotPerson, "DS", "A6", nil},
			},
			codes: map[issue.Code]int{issue.RowNotPerson: 2},
		},
		{
			name: "people in a Đã nghỉ hưu section are read, not counted, reported once",
			sheets: []sheettest.Sheet{{Name: "DS", Rows: rows(
				[][]any{{"STT", "Họ và tên", "Ngày sinh", "Giới tính", "Chức vụ", "Trình độ chuyên môn"}},
				[][]any{{"I", "ĐANG CÔNG TÁC"}}, staffRows(0, 1, 2),
				[][]any{{"II", "ĐÃ NGHỈ HƯU"}}, [][]any{staffRow(1, 3), staffRow(2, 4)})}},
			tables:  []string{"DS roster 3 +2 left"},
			counted: staffNames(0, 1, 2),
			left:    staffNames(3, 4),
			issues:  []wantIssue{{issue.PeopleLeft, "DS", "6", map[string]string{"count": "2"}}},
			codes:   map[issue.Code]int{issue.PeopleLeft: 1},
		},
		{
			name: "a Giảm biên chế table below the list: its people are read, not counted, reported once",
			sheets: []sheettest.Sheet{{Name: "DS", Rows: rows(
				[][]any{classHead}, staffRows(0, 1, 2),
				[][]any{nil, {"DANH SÁCH GIẢM BIÊN CHẾ NĂM 2023"},
					{"STT", "Họ và tên", "Ngày sinh", "Chức vụ", "Lý do giảm", "Thời điểm giảm"},
					{1, "Phạm Thị Dung", "15/11/1992", "Công chức Tài chính - Kế toán", "Chuyển công tác", "01/03/2023"},
					{2, "Hoàng Văn Hải", "30/06/1984", "Chỉ huy trưởng Quân sự", "Nghỉ hưu", "01/07/2023"}})}},
			tables:  []string{"DS roster 3", "DS roster 0 +2 left"},
			counted: staffNames(0, 1, 2),
			left:    staffNames(3, 4),
			issues:  []wantIssue{{issue.PeopleLeft, "DS", "6", map[string]string{"count": "2"}}},
			codes:   map[issue.Code]int{issue.PeopleLeft: 1},
		},

		// ---- Headers (where the values read matter) ----
		{
			name: "the name split over Họ | Tên is joined",
			sheets: []sheettest.Sheet{{Name: "DS", Rows: [][]any{
				{"STT", "Họ", "Tên", "Ngày sinh", "Giới tính"},
				{1, "Nguyễn Văn", "An", "12/04/1986", "Nam"},
				{2, "Trần Thị", "Bình", "23/08/1990", "Nữ"}}}},
			tables:  []string{"DS roster 2"},
			counted: staffNames(0, 1),
		},
		{
			name: "the name split over Họ đệm | Tên is joined",
			sheets: []sheettest.Sheet{{Name: "DS", Rows: [][]any{
				{"STT", "Họ đệm", "Tên", "Ngày sinh", "Giới tính"},
				{1, "Nguyễn Văn", "An", "12/04/1986", "Nam"},
				{2, "Trần Thị", "Bình", "23/08/1990", "Nữ"}}}},
			tables:  []string{"DS roster 2"},
			counted: staffNames(0, 1),
		},
		{
			name: "one Họ và tên merged over two columns: the name is joined",
			sheets: []sheettest.Sheet{{Name: "DS", Rows: [][]any{
				{"STT", "Họ và tên", nil, "Ngày sinh", "Giới tính"},
				{1, "Nguyễn Văn", "An", "12/04/1986", "Nam"},
				{2, "Trần Thị", "Bình", "23/08/1990", "Nữ"}},
				Merges: []string{"B1:C1"}}},
			tables:  []string{"DS roster 2"},
			counted: staffNames(0, 1),
		},
		{
			name: "STT left blank above a numbered list",
			sheets: []sheettest.Sheet{{Name: "DS", Rows: rows(
				[][]any{{nil, "Họ và tên", "Ngày sinh", "Giới tính", "Chức vụ", "Trình độ chuyên môn"}},
				staffRows(0, 1, 2))}},
			tables:  []string{"DS roster 3"},
			counted: staffNames(0, 1, 2),
			codes:   map[issue.Code]int{issue.RowNotPerson: 0},
		},
		{
			name: "a list whose only known columns are STT and a name is a roster, with a warning",
			sheets: []sheettest.Sheet{{Name: "Điểm danh", Rows: [][]any{
				{"DANH SÁCH CÁN BỘ COI THI"},
				{"STT", "Họ và tên", "Ký nhận"},
				{1, "Nguyễn Văn An"}, {2, "Trần Thị Bình"}, {3, "Lê Văn Cường"}, {4, "Phạm Thị Dung"}, {5, "Hoàng Văn Hải"}}}},
			tables:  []string{"Điểm danh roster 5"},
			counted: staffNames(0, 1, 2, 3, 4),
			issues:  []wantIssue{{issue.TableUncertain, "Điểm danh", "2", map[string]string{"kind": "names-only"}}},
			codes:   map[issue.Code]int{issue.TableUncertain: 1},
		},
		{
			name: "a list of HỌ TÊN and CHỨC VỤ is a roster",
			sheets: []sheettest.Sheet{{Name: "Giáo viên", Rows: [][]any{
				{"HỌ TÊN", "CHỨC VỤ"},
				{"Nguyễn Văn An", "Hiệu trưởng"}, {"Trần Thị Bình", "Phó Hiệu trưởng"}, {"Lê Văn Cường", "Giáo viên"},
				{"Phạm Thị Dung", "Giáo viên"}, {"Hoàng Văn Hải", "Tổng phụ trách Đội"}}}},
			tables:  []string{"Giáo viên roster 5"},
			counted: staffNames(0, 1, 2, 3, 4),
			fields:  map[string][]string{"chuc_vu": {"Hiệu trưởng", "Phó Hiệu trưởng", "Giáo viên", "Giáo viên", "Tổng phụ trách Đội"}},
			codes:   map[issue.Code]int{issue.TableUncertain: 0},
		},
		{
			name: "a list of companies under Họ và tên is not a list of people",
			file: "danh-sach-doanh-nghiep.xlsx",
			sheets: []sheettest.Sheet{{Name: "Doanh nghiệp", Rows: [][]any{
				{"STT", "Họ và tên", "Địa chỉ", "Số điện thoại"},
				{1, "Công ty TNHH Xây dựng Minh Long", "Số 12 đường Trần Phú, phường 1", "0912345678"},
				{2, "Công ty CP Thương mại Hòa Bình", "Số 45 đường Lê Lợi, phường 3", "0987654321"},
				{3, "Công ty TNHH MTV Cơ khí Đông Á", "Khu công nghiệp Tân Lập", "0903111222"},
				{4, "Doanh nghiệp tư nhân Hùng Cường", "Thôn 2, xã Tân Lập", "0975222333"},
				{5, "Công ty TNHH Dịch vụ Vận tải Sơn Hà", "Số 8 đường Nguyễn Huệ, phường 2", "0968444555"},
				{6, "Hợp tác xã Nông nghiệp Tân Lập", "Thôn 5, xã Tân Lập", "0916777888"}}}},
			status: ingest.Rejected,
			codes:  map[issue.Code]int{issue.NoTable: 1},
		},
		{
			name: "Năm under Ngày tháng năm sinh with Ngày | Tháng is the birth year, never the sex",
			sheets: []sheettest.Sheet{{Name: "DS", Rows: [][]any{
				{"STT", "Họ và tên", "Ngày tháng năm sinh", nil, nil, "Chức vụ"},
				{nil, nil, "Ngày", "Tháng", "Năm", nil},
				{1, "Nguyễn Văn An", 12, 4, 1986, "Chủ tịch UBND"},
				{2, "Trần Thị Bình", 23, 8, 1990, "Công chức"}},
				Merges: []string{"A1:A2", "B1:B2", "C1:E1", "F1:F2"}}},
			tables:  []string{"DS roster 2"},
			counted: staffNames(0, 1),
			fields:  map[string][]string{"ngay_sinh": {"1986-04-12", "1990-08-23"}, "gioi_tinh": {"", ""}},
			codes:   map[issue.Code]int{issue.BadDate: 0, issue.YearOnly: 0},
		},
		{
			name: "a row of ASCII keys above the real header is not a person",
			sheets: []sheettest.Sheet{{Name: "Import", Rows: rows(
				[][]any{{"stt", "hoten", "ngaysinh", "gioitinh", "chucvu", "trinhdocmkt"}, classHead},
				staffRows(0, 1, 2))}},
			tables:  []string{"Import roster 3"},
			counted: staffNames(0, 1, 2),
			fields:  map[string][]string{"gioi_tinh": {"nam", "nu", "nam"}, "trinh_do_chuyen_mon": {"dai_hoc", "dai_hoc", "thac_si"}},
			codes:   map[issue.Code]int{issue.RowNotPerson: 0, issue.RequiredValue: 0},
		},
		{
			name: "the header repeated at a page break is not a person",
			sheets: []sheettest.Sheet{{Name: "DS", Rows: rows(
				[][]any{classHead, {"(1)", "(2)", "(3)", "(4)", "(5)", "(6)"}},
				[][]any{staffRow(1, 0), staffRow(2, 1)},
				[][]any{classHead, {"(1)", "(2)", "(3)", "(4)", "(5)", "(6)"}},
				[][]any{staffRow(3, 2), staffRow(4, 3)})}},
			tables:  []string{"DS roster 4"},
			counted: staffNames(0, 1, 2, 3),
			codes:   map[issue.Code]int{issue.RowNotPerson: 0, issue.TableNotList: 0},
			check:   skippedRows("DS", map[layout.Kind]int{layout.Repeat: 2}),
		},
		{
			name: "HỌ VÀ TÊN / Năm sinh as one header: the name and the birth date are split",
			sheets: []sheettest.Sheet{{Name: "DS", Rows: [][]any{
				{"STT", "HỌ VÀ TÊN\nNăm sinh", "Giới tính", "Chức vụ"},
				{1, "Lê Văn An\n09/9/1999", "Nam", "Công chức"},
				{2, "Trần Thị Bình\n23/08/1990", "Nữ", "Công chức"}}}},
			tables:  []string{"DS roster 2"},
			counted: []string{"Lê Văn An", "Trần Thị Bình"},
			fields:  map[string][]string{"ngay_sinh": {"1999-09-09", "1990-08-23"}},
			issues:  []wantIssue{{issue.CombinedColumn, "DS", "B1", nil}},
			codes:   map[issue.Code]int{issue.CombinedColumn: 1, issue.RequiredValue: 0},
		},

		// ---- Unit ----
		unitCase("CỤC", [][]any{{"BỘ TÀI CHÍNH"}, {"CỤC HẢI QUAN TỈNH LẠNG SƠN"}}, "Cục Hải quan tỉnh Lạng Sơn"),
		unitCase("CHI CỤC", [][]any{{"CỤC HẢI QUAN TỈNH LẠNG SƠN"}, {"CHI CỤC HẢI QUAN CỬA KHẨU HỮU NGHỊ"}},
			"Chi cục Hải quan cửa khẩu Hữu Nghị"),
		unitCase("TRƯỜNG", [][]any{{"SỞ GIÁO DỤC VÀ ĐÀO TẠO"}, {"TRƯỜNG THPT CHU VĂN AN"}}, "Trường THPT Chu Văn An"),
		unitCase("Tên đơn vị:", [][]any{{"Tên đơn vị: Trung tâm Y tế huyện Kế Sách"}}, "Trung tâm Y tế huyện Kế Sách"),
		unitCase("Đơn vị:", [][]any{{"Đơn vị: Chi cục Thuế khu vực Bắc Quang - Quang Bình"}}, "Chi cục Thuế khu vực Bắc Quang - Quang Bình"),
		unitCase("form reference lines under the unit line", [][]any{
			{"UBND XÃ NGHĨA TÁ", nil, nil, nil, nil, "Mẫu số 01"},
			{nil, nil, nil, nil, nil, "(Ban hành kèm theo Quyết định số 1234/QĐ-UBND ngày 05/6/2023 của UBND tỉnh)"}},
			"UBND xã Nghĩa Tá"),
		{
			name: "unit: form reference lines alone never give the unit",
			file: "danh-sach.xlsx",
			sheets: []sheettest.Sheet{{Name: "DS", Rows: rows(
				[][]any{{"Mẫu số 01"}, {"(Ban hành kèm theo Thông tư số 06/2022/TT-BNV của Bộ Nội vụ)"}, classHead},
				staffRows(0, 1))}},
			tables:  []string{"DS roster 2"},
			counted: staffNames(0, 1),
			unit:    "danh-sach",
			issues:  []wantIssue{{issue.UnitUnknown, "DS", "", map[string]string{"unit": "danh-sach"}}},
		},

		// ---- Values ----
		{
			name: "abbreviations inside values: BCH, BTV in Diện quản lý",
			sheets: []sheettest.Sheet{{Name: "DS", Rows: [][]any{
				{"STT", "Họ và tên", "Ngày sinh", "Giới tính", "Diện quản lý"},
				{1, "Nguyễn Văn An", "12/04/1986", "Nam", "Ủy viên BCH Đảng bộ cấp huyện và tương đương"},
				{2, "Lê Văn Cường", "03/02/1979", "Nam", "Cán bộ diện BTV Tỉnh ủy quản lý"}}}},
			tables:  []string{"DS roster 2"},
			counted: staffNames(0, 2),
			fields:  map[string][]string{"dien_quan_ly": {"bch_huyen", "btv_quan_ly"}},
			codes:   map[issue.Code]int{issue.UnknownValue: 0, issue.GuessedValue: 0},
		},
		{
			name: "another name of an ethnic group: Châu Mạ is Mạ",
			sheets: []sheettest.Sheet{{Name: "DS", Rows: [][]any{
				{"STT", "Họ và tên", "Ngày sinh", "Giới tính", "Dân tộc"},
				{1, "Điểu Văn An", "12/04/1986", "Nam", "Châu Mạ"},
				{2, "Ka Thị Bình", "23/08/1990", "Nữ", "Mạ"},
				{3, "Lê Văn Cường", "03/02/1979", "Nam", "Kinh"}}}},
			tables:  []string{"DS roster 3"},
			counted: []string{"Điểu Văn An", "Ka Thị Bình", "Lê Văn Cường"},
			fields:  map[string][]string{"dan_toc": {"ma", "ma", "kinh"}},
			codes:   map[issue.Code]int{issue.UnknownValue: 0, issue.GuessedValue: 0},
		},
		{
			name: "two facts in one cell: Kinh, không under Dân tộc, tôn giáo",
			sheets: []sheettest.Sheet{{Name: "DS", Rows: [][]any{
				{"STT", "Họ và tên", "Ngày sinh", "Giới tính", "Dân tộc, tôn giáo"},
				{1, "Nguyễn Văn An", "12/04/1986", "Nam", "Kinh, không"},
				{2, "Trần Thị Bình", "23/08/1990", "Nữ", "Tày, Phật giáo"}}}},
			tables:  []string{"DS roster 2"},
			counted: staffNames(0, 1),
			fields:  map[string][]string{"dan_toc": {"kinh", "tay"}},
			issues:  []wantIssue{{issue.CombinedColumn, "DS", "E1", nil}},
			codes:   map[issue.Code]int{issue.UnknownValue: 0},
		},
		{
			name: "a Năm sinh column of years: one note for the column, none per cell",
			sheets: []sheettest.Sheet{{Name: "DS", Rows: [][]any{
				{"STT", "Họ và tên", "Năm sinh", "Giới tính"},
				{1, "Nguyễn Văn An", 1986, "Nam"},
				{2, "Trần Thị Bình", 1990, "Nữ"},
				{3, "Lê Văn Cường", "1979", "Nam"}}}},
			tables:  []string{"DS roster 3"},
			counted: staffNames(0, 1, 2),
			fields:  map[string][]string{"ngay_sinh": {"1986-01-01", "1990-01-01", "1979-01-01"}},
			issues:  []wantIssue{{issue.YearColumn, "DS", "C1", map[string]string{"count": "3"}}},
			codes:   map[issue.Code]int{issue.YearColumn: 1, issue.YearOnly: 0},
		},
		{
			// A date no one is born on (1900 and before) is a placeholder in any cell; a
			// date people also really have (01/01/1970) only when it recurs down the
			// column: the party column of 01-01-1970 makes nobody a member, while Lê Văn
			// Cường, the one person born on 01-01-1970, keeps his birth date.
			name: "placeholder dates are blank with a warning; a party column of 01-01-1970 makes nobody a member",
			sheets: []sheettest.Sheet{{Name: "DS", Rows: [][]any{
				{"STT", "Họ và tên", "Ngày sinh", "Giới tính", "Ngày vào Đảng"},
				{1, "Nguyễn Văn An", "01/01/1900", "Nam", "01-01-1970"},
				{2, "Trần Thị Bình", "23/08/1990", "Nữ", "01-01-1970"},
				{3, "Lê Văn Cường", "01-01-1970", "Nam", "01/01/1970"},
				{4, "Phạm Thị Dung", "15/11/1992", "Nữ", sheettest.Date(1970, 1, 1)},
				{5, "Hoàng Văn Hải", "02/02/1985", "Nam", "03/02/2010"}}}},
			tables:  []string{"DS roster 5"},
			counted: staffNames(0, 1, 2, 3, 4),
			fields: map[string][]string{"ngay_sinh": {"", "1990-08-23", "1970-01-01", "1992-11-15", "1985-02-02"},
				"dang_vien": {"", "", "", "", "true"}},
			issues: []wantIssue{
				{issue.PlaceholderDate, "DS", "C2", nil},
				{issue.PlaceholderDate, "DS", "E2", map[string]string{"count": "4"}},
			},
			codes: map[issue.Code]int{issue.PlaceholderDate: 2, issue.BadDate: 0, issue.BadAge: 0},
		},
		{
			name: "levels missing from the vocabularies: TSKH is a doctorate, PTTH is no training",
			sheets: []sheettest.Sheet{{Name: "DS", Rows: [][]any{
				{"STT", "Họ và tên", "Ngày sinh", "Giới tính", "Trình độ chuyên môn"},
				{1, "Nguyễn Văn An", "12/04/1986", "Nam", "TSKH"},
				{2, "Trần Thị Bình", "23/08/1990", "Nữ", "PTTH"},
				{3, "Lê Văn Cường", "03/02/1979", "Nam", "Đại học"}}}},
			tables:  []string{"DS roster 3"},
			counted: staffNames(0, 1, 2),
			fields:  map[string][]string{"trinh_do_chuyen_mon": {"tien_si", "chua_qua_dao_tao", "dai_hoc"}},
			codes:   map[issue.Code]int{issue.UnknownValue: 0, issue.GuessedValue: 0},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if tc.bug != "" && os.Getenv("CANBO_RUN_BUGS") == "" {
				t.Skip("BUG: " + tc.bug + " (set CANBO_RUN_BUGS=1 to run)")
			}
			name := tc.file
			if name == "" {
				name = "UBND xã Tân Lập.xlsx"
			}
			path := sheettest.Write(t, t.TempDir(), name, tc.sheets...)
			f := r.ReadFile(context.Background(), path)
			checkClass(t, f, tc)
		})
	}
}

// copiedSheet is a sheet whose names and birth dates are formulas reading the list
// sheet, with their values cached as Excel saves them: an attendance or results sheet
// of a course workbook. extra is the header of its own last column.
func copiedSheet(name, extra, from string, idx ...int) sheettest.Sheet {
	rs := [][]any{{"STT", "Họ và tên", "Ngày sinh", extra}}
	for n, i := range idx {
		row := n + 2 // the person's row on the list sheet, under a one-row header
		rs = append(rs, []any{n + 1,
			sheettest.Cached{Formula: fmt.Sprintf("'%s'!B%d", from, row), Value: classStaff[i][0]},
			sheettest.Cached{Formula: fmt.Sprintf("'%s'!C%d", from, row), Value: classStaff[i][1]},
		})
	}
	return sheettest.Sheet{Name: name, Rows: rs}
}

// unitCase is a list under the given title lines, whose unit they name.
func unitCase(class string, title [][]any, unit string) classCase {
	return classCase{
		name:    "unit: " + class,
		file:    "danh-sach.xlsx",
		sheets:  []sheettest.Sheet{{Name: "DS", Rows: rows(title, [][]any{classHead}, staffRows(0, 1))}},
		tables:  []string{"DS roster 2"},
		counted: staffNames(0, 1),
		unit:    unit,
		codes:   map[issue.Code]int{issue.UnitUnknown: 0},
		check: func(t *testing.T, f *ingest.File) {
			if sh := f.Main(); sh == nil || sh.UnitSource != "title" {
				t.Errorf("unit source %q, want title", unitSource(f))
			}
		},
	}
}

func unitSource(f *ingest.File) string {
	if sh := f.Main(); sh != nil {
		return sh.UnitSource
	}
	return "(no table)"
}

// skippedRows checks the rows of a sheet's first table that were not records.
func skippedRows(sheet string, want map[layout.Kind]int) func(*testing.T, *ingest.File) {
	return func(t *testing.T, f *ingest.File) {
		t.Helper()
		for _, sh := range f.Sheets {
			if sh.Name != sheet {
				continue
			}
			for k, n := range want {
				if sh.Skipped[k] != n {
					t.Errorf("%s: %d %v rows skipped, want %d (skipped %v)", sheet, sh.Skipped[k], k, n, sh.Skipped)
				}
			}
			return
		}
		t.Errorf("no table on sheet %q", sheet)
	}
}

// checkClass asserts what a user would notice about a file.
func checkClass(t *testing.T, f *ingest.File, tc classCase) {
	t.Helper()
	status := tc.status
	if status == "" {
		status = ingest.Accepted
	}
	if f.Status != status {
		t.Errorf("status %s (%s), want %s; tables: %v", f.Status, f.Reason, status, tableSummaries(f))
	}
	if got := tableSummaries(f); !reflect.DeepEqual(got, tc.tables) && !(len(got) == 0 && len(tc.tables) == 0) {
		t.Errorf("tables:\n got %q\nwant %q", got, tc.tables)
	}
	var counted, left []string
	var countedRecs []normalize.Record
	cfg := sheettest.Config(t)
	name := cfg.Field("ho_ten")
	for _, rec := range f.Records {
		switch rec.NotCounted {
		case "":
			counted = append(counted, rec.Value(name).Text)
			countedRecs = append(countedRecs, rec)
		case normalize.Left:
			left = append(left, rec.Value(name).Text)
		default:
			t.Errorf("row %d of %s not counted as %q", rec.Row, rec.Sheet, rec.NotCounted)
		}
	}
	if !equalStrings(counted, tc.counted) {
		t.Errorf("people counted:\n got %q\nwant %q", counted, tc.counted)
	}
	if !equalStrings(left, tc.left) {
		t.Errorf("people who left (read, not counted):\n got %q\nwant %q", left, tc.left)
	}
	for code, want := range tc.fields {
		fl := cfg.Field(code)
		if fl == nil {
			t.Fatalf("no field %s", code)
		}
		var got []string
		for _, rec := range countedRecs {
			got = append(got, rec.Value(fl).Text)
		}
		if !equalStrings(got, want) {
			t.Errorf("%s:\n got %q\nwant %q", code, got, want)
		}
	}
	if tc.unit != "" {
		for _, rec := range f.Records {
			if textfold.Key(rec.Unit) != textfold.Key(tc.unit) {
				t.Errorf("row %d: unit %q, want %q", rec.Row, rec.Unit, tc.unit)
				break
			}
		}
	}
	for _, w := range tc.issues {
		if !hasClassIssue(f, w) {
			t.Errorf("no %s at %s!%s with %v; issues:\n%s", w.code, w.sheet, w.cell, w.args, classIssues(f))
		}
	}
	byCode := issue.Count(f.Issues).ByCode
	for code, n := range tc.codes {
		if byCode[code] != n {
			t.Errorf("%d %s issues, want %d; issues:\n%s", byCode[code], code, n, classIssues(f))
		}
	}
	if tc.check != nil {
		tc.check(t, f)
	}
}

func equalStrings(a, b []string) bool {
	return len(a) == len(b) && (len(a) == 0 || reflect.DeepEqual(a, b))
}

// tableSummaries renders each table read as `canbo check` shows it: "DS roster 3",
// "DS roster 0 +2 left", "DS (2) roster repeat:DS".
func tableSummaries(f *ingest.File) []string {
	var out []string
	for _, sh := range f.Sheets {
		s := sh.Name + " " + sh.Dataset
		switch sh.NotCounted {
		case "":
			s += fmt.Sprintf(" %d", sh.Rows)
			if sh.Left > 0 {
				s += fmt.Sprintf(" +%d left", sh.Left)
			}
		case "example", "external":
			s += " " + sh.NotCounted
		default:
			s += " " + sh.NotCounted + ":" + sh.Other
		}
		out = append(out, s)
	}
	return out
}

func hasClassIssue(f *ingest.File, w wantIssue) bool {
next:
	for _, is := range f.Issues {
		if is.Code != w.code || is.Sheet != w.sheet || is.Cell() != w.cell {
			continue
		}
		for k, v := range w.args {
			if is.Args[k] != v {
				continue next
			}
		}
		return true
	}
	return false
}

func classIssues(f *ingest.File) string {
	var lines []string
	for _, is := range f.Issues {
		var args []string
		for k, v := range is.Args {
			args = append(args, k+"="+v)
		}
		sort.Strings(args)
		lines = append(lines, fmt.Sprintf("\t%s %s!%s %q %s", is.Code, is.Sheet, is.Cell(), is.Raw, strings.Join(args, " ")))
	}
	return strings.Join(lines, "\n")
}

// TestIssue9SamePersonTwice: the same person twice in one file (the same ID number, or
// an identical row where there is neither ID nor birth date) counts once; the repeat is
// reported at its row.
func TestIssue9SamePersonTwice(t *testing.T) {
	for _, tc := range []struct {
		name    string
		sheet   sheettest.Sheet
		counted int
		cell    string // the repeat's name cell
	}{
		{
			name: "same ID number",
			sheet: sheettest.Sheet{Name: "DS", Rows: [][]any{
				{"STT", "Họ và tên", "Ngày sinh", "Giới tính", "Số CCCD"},
				{1, "Nguyễn Văn An", "12/04/1986", "Nam", "001086012345"},
				{2, "Trần Thị Bình", "23/08/1990", "Nữ", "001190004567"},
				{3, "Nguyễn Văn An", "12/04/1986", "Nam", "001086012345"}}},
			counted: 2, cell: "E4",
		},
		{
			name: "an identical row without ID or birth date",
			sheet: sheettest.Sheet{Name: "DS", Rows: [][]any{
				{"STT", "Họ và tên", "Chức vụ", "Giới tính"},
				{1, "Nguyễn Văn An", "Chủ tịch UBND", "Nam"},
				{2, "Trần Thị Bình", "Công chức", "Nữ"},
				{3, "Nguyễn Văn An", "Chủ tịch UBND", "Nam"}}},
			counted: 2, cell: "B4",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			sheettest.Write(t, dir, "UBND xã Tân Lập.xlsx", tc.sheet)
			r, cat := reader(t)
			b, err := r.ReadAll(context.Background(), []string{dir}, cat)
			if err != nil {
				t.Fatal(err)
			}
			if n := len(b.Records("roster")); n != tc.counted {
				t.Errorf("%d people counted, want %d", n, tc.counted)
			}
			f := b.Files[0]
			if len(f.Records) != 3 {
				t.Errorf("%d rows read, want 3 (the repeat is listed, not dropped)", len(f.Records))
			}
			n := 0
			for _, is := range f.Issues {
				if is.Code == issue.DupPerson {
					n++
					if is.Cell() != tc.cell || !strings.Contains(is.Message, "dòng 2") {
						t.Errorf("duplicate-person at %s: %s; want %s naming row 2", is.Cell(), is.Message, tc.cell)
					}
				}
			}
			if n != 1 {
				t.Errorf("%d duplicate-person issues, want 1:\n%s", n, classIssues(f))
			}
		})
	}
}
