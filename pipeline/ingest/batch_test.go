package ingest_test

import (
	"archive/zip"
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"canbo/pipeline/ingest"
	"canbo/pipeline/internal/sheettest"
	"canbo/pipeline/issue"
	"canbo/pipeline/layout"
	"canbo/pipeline/normalize"
)

// These tests read real .xlsx files through ReadAll, the way `canbo check` does, and
// assert what a clerk would notice: the issue code, the file, sheet and A1 cell it
// points at, and a Vietnamese message that names that cell.

// fixture is one input file of a batch: sheets written with sheettest, or a builder
// for files sheettest cannot make (encrypted, damaged).
type fixture struct {
	name   string
	sheets []sheettest.Sheet
	build  func(t *testing.T, path string)
}

// found is one issue a case expects. An empty cell means the issue is not tied to a
// cell (a sheet or file-level problem); msg, when set, must appear in the message.
type found struct {
	file  string
	code  issue.Code
	sheet string
	cell  string
	msg   string
}

// absent says a file must have no issue with this code (or, with code "", no issue at
// all); sheet, when set, narrows it to issues on that sheet.
type absent struct {
	file  string
	code  issue.Code
	sheet string
}

type batchCase struct {
	name   string
	files  []fixture
	status map[string]string // file name → accepted/rejected/ignored
	reason map[string]issue.Code
	rows   map[string]int // file name → records read
	want   []found
	absent []absent
	check  func(t *testing.T, b *ingest.Batch) // anything else a case needs
}

// rosterHead is the plain one-row header most fixtures use (columns A–F).
var rosterHead = []any{"STT", "Họ và tên", "Ngày sinh", "Giới tính", "Trình độ chuyên môn", "Số CCCD"}

func rosterSheet(name string, rows ...[]any) sheettest.Sheet {
	return sheettest.Sheet{Name: name, Rows: append([][]any{rosterHead}, rows...)}
}

// titled is a roster laid out as units send it: title block with the unit and the
// as-of date, a two-row merged header, a column-numbering row, data from row 6.
func titled(name string, rows ...[]any) sheettest.Sheet {
	head := [][]any{
		{"UBND XÃ THANH MAI"},
		{"DANH SÁCH TRÍCH NGANG CÁN BỘ, CÔNG CHỨC"},
		{"(Tính đến ngày 30/09/2023)"},
		{"STT", "Họ và tên", "Ngày sinh", nil, "Trình độ", nil, "Số CCCD"},
		{nil, nil, "Nam", "Nữ", "Chuyên môn", "Lý luận chính trị", nil},
		{"(1)", "(2)", "(3)", "(4)", "(5)", "(6)", "(7)"},
	}
	return sheettest.Sheet{Name: name, Rows: append(head, rows...),
		Merges: []string{"A4:A5", "B4:B5", "C4:D4", "E4:F4", "G4:G5"}}
}

// helperSheet is the hidden list sheet units keep for drop-downs: no name column, so
// no table.
func helperSheet() sheettest.Sheet {
	return sheettest.Sheet{Name: "DanhMuc", Hidden: true, Rows: [][]any{
		{"Giới tính", "Trình độ chuyên môn", "Dân tộc"},
		{"Nam", "Đại học", "Kinh"},
		{"Nữ", "Thạc sĩ", "Tày"},
		{nil, "Trung cấp", "Nùng"},
	}}
}

func TestReadAllBatch(t *testing.T) {
	cases := []batchCase{
		{
			name: "hidden sheet",
			files: []fixture{
				{name: "UBND xã Ẩn.xlsx", sheets: []sheettest.Sheet{
					{Name: "Hướng dẫn", Rows: [][]any{{"Hướng dẫn điền biểu"}, {"Điền danh sách ở trang bên"}}},
					{Name: "DS", Hidden: true, Rows: [][]any{rosterHead,
						{1, "Nông Văn Thành", "12/04/1986", "Nam", "Đại học", "006086014725"},
						{2, "Hoàng Thị Lan", "23/08/1990", "Nữ", "Trung cấp", "006190003318"}}},
					helperSheet(),
				}},
				{name: "UBND xã Hiện.xlsx", sheets: []sheettest.Sheet{
					rosterSheet("DS", []any{1, "Ma Văn Hùng", "03/02/1980", "Nam", "Đại học", "006080027461"}),
					helperSheet(),
				}},
			},
			status: map[string]string{"UBND xã Ẩn.xlsx": ingest.Accepted, "UBND xã Hiện.xlsx": ingest.Accepted},
			rows:   map[string]int{"UBND xã Ẩn.xlsx": 2, "UBND xã Hiện.xlsx": 1},
			want:   []found{{file: "UBND xã Ẩn.xlsx", code: issue.HiddenSheet, sheet: "DS", msg: `"DS"`}},
			absent: []absent{
				{file: "UBND xã Ẩn.xlsx", sheet: "DanhMuc"},
				{file: "UBND xã Ẩn.xlsx", sheet: "Hướng dẫn"},
				{file: "UBND xã Hiện.xlsx"}, // a hidden helper sheet alone says nothing
			},
			check: func(t *testing.T, b *ingest.Batch) {
				for _, f := range b.Files {
					if len(f.Sheets) != 1 {
						t.Errorf("%s: read sheets %v, want only the table", f.Name, sheetNames(f))
						continue
					}
					if hidden := f.Name == "UBND xã Ẩn.xlsx"; f.Sheets[0].Hidden != hidden || f.Sheets[0].Name != "DS" {
						t.Errorf("%s: read sheet %q hidden=%v", f.Name, f.Sheets[0].Name, f.Sheets[0].Hidden)
					}
				}
			},
		},
		{
			// The design (validate.Records): files in path order, the later copy gets the
			// error and the message names the first copy's file, sheet and row.
			name: "same person in two files",
			files: []fixture{
				{name: "UBND xã An Bình.xlsx", sheets: []sheettest.Sheet{rosterSheet("DS",
					[]any{1, "Lý Văn Quân", "19/11/1984", "Nam", "Đại học", "006084123456"},
					[]any{2, "Hà Thị Nga", "05/05/1988", "Nữ", "Đại học", "006188004512"})}},
				{name: "UBND xã Bình Minh.xlsx", sheets: []sheettest.Sheet{rosterSheet("Danh sách",
					[]any{1, "Triệu Văn Sơn", "07/07/1979", "Nam", "Trung cấp", "006079001122"},
					[]any{2, "Lý Văn Quân", "19/11/1984", "Nam", "Đại học", "006084123456"})}},
			},
			status: map[string]string{"UBND xã An Bình.xlsx": ingest.Accepted, "UBND xã Bình Minh.xlsx": ingest.Accepted},
			rows:   map[string]int{"UBND xã An Bình.xlsx": 2, "UBND xã Bình Minh.xlsx": 2},
			want: []found{{file: "UBND xã Bình Minh.xlsx", code: issue.DupPerson, sheet: "Danh sách", cell: "F3",
				msg: "UBND xã An Bình.xlsx › DS, dòng 2"}},
			absent: []absent{{file: "UBND xã An Bình.xlsx", code: issue.DupPerson}},
			check: func(t *testing.T, b *ingest.Batch) {
				// A person counts once: the second copy is kept in its file, marked and
				// reported, and left out of the figures.
				if n := len(b.Records("roster")); n != 3 {
					t.Errorf("%d roster records counted, want 3", n)
				}
				for _, f := range b.Files {
					for _, r := range f.Records {
						if want := f.Name == "UBND xã Bình Minh.xlsx" && r.Row == 3; (r.NotCounted == "repeat") != want {
							t.Errorf("%s row %d: not counted %q", f.Name, r.Row, r.NotCounted)
						}
					}
				}
			},
		},
		{
			name: "trainee in no roster",
			files: []fixture{
				{name: "UBND xã Cao Kỳ.xlsx", sheets: []sheettest.Sheet{
					rosterSheet("DS",
						[]any{1, "Nông Văn Thành", "12/04/1986", "Nam", "Đại học", "006086014725"},
						[]any{2, "Hoàng Thị Lan", "23/08/1990", "Nữ", "Trung cấp", "006190003318"}),
					{Name: "Đào tạo", Rows: [][]any{
						{"STT", "Họ và tên", "Ngày sinh", "Nội dung đào tạo, bồi dưỡng", "Từ ngày", "Đến ngày", "Kinh phí"},
						{1, "Nông Văn Thành", "12/04/1986", "Trung cấp lý luận chính trị", "06/03/2022", "30/11/2022", "Ngân sách"},
						{2, "Hoàng Thị Lan", "23/08/1990", "Bồi dưỡng quản lý nhà nước ngạch chuyên viên", "10/04/2023", "10/06/2023", "Ngân sách"},
						{3, "Đinh Văn Lạ", "01/01/1991", "Bồi dưỡng đại biểu HĐND", "05/05/2022", "07/05/2022", "Ngân sách"},
					}},
				}},
			},
			status: map[string]string{"UBND xã Cao Kỳ.xlsx": ingest.Accepted},
			rows:   map[string]int{"UBND xã Cao Kỳ.xlsx": 5},
			want:   []found{{file: "UBND xã Cao Kỳ.xlsx", code: issue.UnknownPerson, sheet: "Đào tạo", cell: "B4", msg: "Đinh Văn Lạ"}},
			check: func(t *testing.T, b *ingest.Batch) {
				if n := count(b, issue.UnknownPerson); n != 1 {
					t.Errorf("%d unknown-person issues, want 1 (trainees in the roster are known)", n)
				}
				if is := first(b, issue.UnknownPerson); is != nil && is.Severity != issue.Warning {
					t.Errorf("unknown-person is %v, want a warning", is.Severity)
				}
			},
		},
		{
			name: "total row disagrees",
			files: []fixture{
				{name: "UBND xã Tổng Sai.xlsx", sheets: []sheettest.Sheet{rosterSheet("DS",
					[]any{1, "Nông Văn Thành", "12/04/1986", "Nam", "Đại học", "006086014725"},
					[]any{2, "Hoàng Thị Lan", "23/08/1990", "Nữ", "Trung cấp", "006190003318"},
					[]any{3, "Ma Văn Hùng", "03/02/1980", "Nam", "Đại học", "006080027461"},
					[]any{nil, "Tổng số: 19 người"})}},
				// The same, as units usually lay it out: the total text in a merged cell
				// across STT and name, as the only thing on the row.
				{name: "UBND xã Tổng Gộp.xlsx", sheets: []sheettest.Sheet{{Name: "DS", Rows: [][]any{rosterHead,
					{1, "Bàn Văn Khánh", "14/02/1979", "Nam", "Đại học", "006079004512"},
					{2, "Nông Thị Hương", "09/10/1991", "Nữ", "Đại học", "006191007783"},
					{3, "Bàn Văn Sơn", "27/06/1987", "Nam", "Trung cấp", "006087012290"},
					{"Tổng số: 19 người"}}, Merges: []string{"A5:B5"}}}},
				// A total that agrees is not a problem.
				{name: "UBND xã Tổng Đúng.xlsx", sheets: []sheettest.Sheet{titled("DS",
					[]any{1, "Lục Văn Sáng", "02/09/1983", nil, "Đại học", "Trung cấp", "006083005501"},
					[]any{2, "Hà Thị Thu", nil, "23/03/1994", "Trung cấp", "Sơ cấp", "006194006602"},
					[]any{nil, "Tổng cộng: 2 người"})}},
			},
			rows: map[string]int{"UBND xã Tổng Sai.xlsx": 3, "UBND xã Tổng Gộp.xlsx": 3, "UBND xã Tổng Đúng.xlsx": 2},
			want: []found{
				{file: "UBND xã Tổng Sai.xlsx", code: issue.TotalMismatch, sheet: "DS", cell: "5", msg: "ghi 19 người nhưng danh sách phía trên có 3 người"},
				{file: "UBND xã Tổng Gộp.xlsx", code: issue.TotalMismatch, sheet: "DS", cell: "5", msg: "ghi 19 người nhưng danh sách phía trên có 3 người"},
			},
			absent: []absent{{file: "UBND xã Tổng Đúng.xlsx"}},
			check: func(t *testing.T, b *ingest.Batch) {
				// `canbo check` lists the row under "Dòng không tính: … dòng tổng".
				for _, f := range b.Files {
					if len(f.Sheets) == 1 && f.Sheets[0].Skipped[layout.Total] != 1 {
						t.Errorf("%s: skipped rows %v, want one total row", f.Name, f.Sheets[0].Skipped)
					}
				}
			},
		},
		{
			name: "formula without cached value",
			files: []fixture{
				{name: "UBND xã Công Thức.xlsx", sheets: []sheettest.Sheet{rosterSheet("DS",
					[]any{1, "Nông Văn Thành", "12/04/1986", "Nam", "Đại học", "006086014725"},
					[]any{2, "Dương Văn Long", sheettest.Formula("DATE(1990,5,17)"), "Nam", "Đại học", "006090031244"})}},
			},
			status: map[string]string{"UBND xã Công Thức.xlsx": ingest.Accepted},
			rows:   map[string]int{"UBND xã Công Thức.xlsx": 2}, // the person is kept
			want:   []found{{file: "UBND xã Công Thức.xlsx", code: issue.FormulaNoVal, sheet: "DS", cell: "C3", msg: "F9"}},
			check: func(t *testing.T, b *ingest.Batch) {
				if is := first(b, issue.FormulaNoVal); is != nil && is.Severity != issue.Error {
					t.Errorf("formula-no-value is %v, want an error", is.Severity)
				}
			},
		},
		{
			name: "corrupt and encrypted files are rejected, the others read",
			files: []fixture{
				{name: "UBND xã Tốt.xlsx", sheets: []sheettest.Sheet{rosterSheet("DS",
					[]any{1, "Nông Văn Thành", "12/04/1986", "Nam", "Đại học", "006086014725"})}},
				{name: "hong.xlsx", build: truncated},
				{name: "hong-xml.xlsx", build: brokenXML},
				{name: "mat-khau.xlsx", build: encrypted},
				{name: "UBND xã Tốt 2.xlsx", sheets: []sheettest.Sheet{rosterSheet("DS",
					[]any{1, "Hoàng Thị Lan", "23/08/1990", "Nữ", "Trung cấp", "006190003318"})}},
			},
			status: map[string]string{"UBND xã Tốt.xlsx": ingest.Accepted, "UBND xã Tốt 2.xlsx": ingest.Accepted,
				"hong.xlsx": ingest.Rejected, "hong-xml.xlsx": ingest.Rejected, "mat-khau.xlsx": ingest.Rejected},
			reason: map[string]issue.Code{"hong.xlsx": issue.Corrupt, "hong-xml.xlsx": issue.Corrupt, "mat-khau.xlsx": issue.Encrypted},
			rows:   map[string]int{"UBND xã Tốt.xlsx": 1, "UBND xã Tốt 2.xlsx": 1, "hong.xlsx": 0, "hong-xml.xlsx": 0, "mat-khau.xlsx": 0},
			want: []found{
				{file: "hong.xlsx", code: issue.Corrupt, msg: "hỏng"},
				{file: "hong-xml.xlsx", code: issue.Corrupt, msg: "hỏng"},
				{file: "mat-khau.xlsx", code: issue.Encrypted, msg: "mật khẩu"},
			},
			absent: []absent{{file: "UBND xã Tốt.xlsx"}, {file: "UBND xã Tốt 2.xlsx"}},
			check: func(t *testing.T, b *ingest.Batch) {
				for _, f := range b.Files {
					if f.Status == ingest.Rejected && len(f.Sheets) != 0 {
						t.Errorf("%s: rejected but lists sheets %v", f.Name, sheetNames(f))
					}
				}
			},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			for _, fx := range tc.files {
				if fx.build != nil {
					fx.build(t, filepath.Join(dir, fx.name))
				} else {
					sheettest.Write(t, dir, fx.name, fx.sheets...)
				}
			}
			r, cat := reader(t)
			b, err := r.ReadAll(context.Background(), []string{dir}, cat)
			if err != nil {
				t.Fatal(err)
			}
			byName := map[string]*ingest.File{}
			for _, f := range b.Files {
				byName[f.Name] = f
				clerkReadable(t, f)
			}
			if len(b.Files) != len(tc.files) {
				t.Errorf("%d files in the batch, want %d", len(b.Files), len(tc.files))
			}
			for name, st := range tc.status {
				if f := byName[name]; f == nil || f.Status != st {
					t.Errorf("%s: status %v, want %s", name, statusOf(f), st)
				}
			}
			for name, code := range tc.reason {
				if f := byName[name]; f == nil || f.Reason != code {
					t.Errorf("%s: reason %v, want %s", name, reasonOf(f), code)
				}
			}
			for name, n := range tc.rows {
				if f := byName[name]; f == nil || len(f.Records) != n {
					t.Errorf("%s: %d records, want %d", name, recordsOf(f), n)
				}
			}
			for _, w := range tc.want {
				f := byName[w.file]
				if f == nil {
					t.Errorf("%s: not in the batch", w.file)
					continue
				}
				if !hasIssue(f, w) {
					t.Errorf("%s: no %s at %s!%s with %q; got:\n%s", w.file, w.code, w.sheet, w.cell, w.msg, listIssues(f))
				}
			}
			for _, a := range tc.absent {
				f := byName[a.file]
				if f == nil {
					t.Errorf("%s: not in the batch", a.file)
					continue
				}
				for _, is := range f.Issues {
					if (a.code == "" || is.Code == a.code) && (a.sheet == "" || is.Sheet == a.sheet) {
						t.Errorf("%s: unexpected %s at %s!%s: %s", a.file, is.Code, is.Sheet, is.Cell(), is.Message)
					}
				}
			}
			if tc.check != nil {
				tc.check(t, b)
			}
		})
	}
}

// hasIssue reports whether f has the issue w describes, with the file, sheet and cell
// filled in as a clerk needs them.
func hasIssue(f *ingest.File, w found) bool {
	for _, is := range f.Issues {
		if is.Code == w.code && is.File == w.file && is.Sheet == w.sheet && is.Cell() == w.cell &&
			strings.Contains(is.Message, w.msg) {
			return true
		}
	}
	return false
}

// clerkReadable checks every issue of a file: a severity, the file name, and a rendered
// Vietnamese message that names the cell (or, for a sheet-level issue, the sheet).
func clerkReadable(t *testing.T, f *ingest.File) {
	t.Helper()
	for _, is := range f.Issues {
		where := is.File + " " + is.Sheet + "!" + is.Cell() + " " + string(is.Code)
		switch {
		case is.Severity != issue.Error && is.Severity != issue.Warning:
			t.Errorf("%s: severity %v", where, is.Severity)
		case is.File != f.Name:
			t.Errorf("%s: issue names file %q, want %q", where, is.File, f.Name)
		case is.Message == "" || strings.HasPrefix(is.Message, string(is.Code)):
			t.Errorf("%s: message not rendered: %q", where, is.Message)
		case !vietnamese(is.Message):
			t.Errorf("%s: message is not Vietnamese: %q", where, is.Message)
		case is.Cell() != "" && !strings.Contains(is.Message, is.Cell()):
			t.Errorf("%s: message does not name the cell: %q", where, is.Message)
		case is.Cell() == "" && is.Sheet != "" && !strings.Contains(is.Message, is.Sheet):
			t.Errorf("%s: message does not name the sheet: %q", where, is.Message)
		}
	}
}

// vietnamese reports whether s has letters only Vietnamese spelling uses.
func vietnamese(s string) bool {
	return strings.ContainsAny(strings.ToLower(s), "ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ")
}

func count(b *ingest.Batch, code issue.Code) int {
	return b.Counts().ByCode[code]
}

func first(b *ingest.Batch, code issue.Code) *issue.Issue {
	for _, f := range b.Files {
		for i := range f.Issues {
			if f.Issues[i].Code == code {
				return &f.Issues[i]
			}
		}
	}
	return nil
}

func sheetNames(f *ingest.File) []string {
	var out []string
	for _, s := range f.Sheets {
		out = append(out, s.Name)
	}
	return out
}

func listIssues(f *ingest.File) string {
	var b strings.Builder
	for _, is := range f.Issues {
		b.WriteString("\t" + string(is.Code) + " " + is.Sheet + "!" + is.Cell() + ": " + is.Message + "\n")
	}
	return b.String()
}

func statusOf(f *ingest.File) string {
	if f == nil {
		return "(missing)"
	}
	return f.Status
}

func reasonOf(f *ingest.File) string {
	if f == nil {
		return "(missing)"
	}
	return string(f.Reason)
}

func recordsOf(f *ingest.File) int {
	if f == nil {
		return -1
	}
	return len(f.Records)
}

// goodBook returns the bytes of a small valid roster workbook.
func goodBook(t *testing.T) []byte {
	t.Helper()
	p := sheettest.Write(t, t.TempDir(), "x.xlsx", rosterSheet("DS",
		[]any{1, "Nông Văn Thành", "12/04/1986", "Nam", "Đại học", "006086014725"}))
	data, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// truncated writes a workbook cut off half-way, as a copy from a USB stick that failed.
func truncated(t *testing.T, path string) {
	data := goodBook(t)
	if err := os.WriteFile(path, data[:len(data)/2], 0o644); err != nil {
		t.Fatal(err)
	}
}

// brokenXML writes a well-formed zip whose worksheet XML is damaged.
func brokenXML(t *testing.T, path string) {
	data := goodBook(t)
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, f := range zr.File {
		w, err := zw.Create(f.Name)
		if err != nil {
			t.Fatal(err)
		}
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		body, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		if strings.HasPrefix(f.Name, "xl/worksheets/sheet") {
			body = bytes.Replace(body, []byte("<sheetData>"), []byte("<sheetData><row r=\"1\"><c r=\"A1\"><v>1</c>"), 1)
		}
		if _, err := w.Write(body); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, out.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// encrypted writes a roster protected with a password, as Excel's "Encrypt with
// Password" does.
func encrypted(t *testing.T, path string) {
	f := excelize.NewFile()
	defer f.Close()
	for i, v := range rosterHead {
		cell, _ := excelize.CoordinatesToCellName(i+1, 1)
		if err := f.SetCellValue("Sheet1", cell, v); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.SaveAs(path, excelize.Options{Password: "123"}); err != nil {
		t.Fatal(err)
	}
}

// TestFilesToldApartByPath: two files of the same name in two folders are two files.
// g1/DT.xlsx is a full copy of g1/DS.xlsx; g2/DT.xlsx is unrelated. The repeats are
// g1/DT's, pointing at g1/DS; g2/DT has none; every issue belongs to the file whose
// cell it names, and the names shown tell the two DT.xlsx apart.
func TestFilesToldApartByPath(t *testing.T) {
	dir := t.TempDir()
	staff := rosterSheet("DS",
		[]any{1, "Lý Văn Quân", "19/11/1984", "Nam", "Đại học", "006084123456"},
		[]any{2, "Hà Thị Nga", "05/05/1988", "Nữ", "Đại học", "006188004512"})
	other := rosterSheet("Danh sách",
		[]any{1, "Triệu Văn Sơn", "07/07/1979", "Nam", "Trung cấp", "006079001122"})
	for _, w := range []struct {
		dir, name string
		sheet     sheettest.Sheet
	}{{"g1", "DS.xlsx", staff}, {"g1", "DT.xlsx", staff}, {"g2", "DT.xlsx", other}} {
		if err := os.MkdirAll(filepath.Join(dir, w.dir), 0o755); err != nil {
			t.Fatal(err)
		}
		sheettest.Write(t, filepath.Join(dir, w.dir), w.name, w.sheet)
	}
	r := ingest.NewReader(normalize.New(sheettest.Config(t)), ingest.Options{})
	b, err := r.ReadAll(context.Background(), []string{dir}, sheettest.Catalog(t))
	if err != nil {
		t.Fatal(err)
	}
	byPath := map[string]*ingest.File{}
	for _, f := range b.Files {
		rel, _ := filepath.Rel(dir, f.Path)
		byPath[filepath.ToSlash(rel)] = f
	}
	g1, g2 := byPath["g1/DT.xlsx"], byPath["g2/DT.xlsx"]
	if g1 == nil || g2 == nil {
		t.Fatalf("files %v", byPath)
	}
	if g1.Name == g2.Name {
		t.Errorf("both DT.xlsx are shown as %q", g1.Name)
	}
	if n := count(&ingest.Batch{Files: []*ingest.File{g1}}, issue.DupPerson); n != 2 {
		t.Errorf("g1/DT.xlsx has %d duplicate-person issues, want 2", n)
	}
	if n := count(&ingest.Batch{Files: []*ingest.File{g2}}, issue.DupPerson); n != 0 {
		t.Errorf("g2/DT.xlsx has %d duplicate-person issues, want none", n)
	}
	for _, f := range b.Files {
		for _, is := range f.Issues {
			if is.File != f.Name {
				t.Errorf("%s carries an issue of %s", f.Name, is.File)
			}
			if is.Code == issue.DupPerson && !strings.Contains(is.Message, byPath["g1/DS.xlsx"].Name) {
				t.Errorf("the repeat points at %q", is.Message)
			}
		}
	}
	if n := len(b.Records("roster")); n != 3 {
		t.Errorf("%d people counted, want 3", n)
	}
}

// TestNamesGivenToArchivedFiles: files read from serve's archive go by the names the
// units gave them, so two can share one name in one folder. Their inbox sub-folders
// (Options.Groups) tell them apart; failing that, a number does — never the
// machine's path.
func TestNamesGivenToArchivedFiles(t *testing.T) {
	for _, c := range []struct {
		name   string
		groups map[string]string
		want   []string
	}{
		{"two sub-folders", map[string]string{"a.xlsx": "huyen-a", "b.xlsx": "huyen-b"}, []string{"huyen-a/DS.xlsx", "huyen-b/DS.xlsx"}},
		{"the top and a sub-folder", map[string]string{"a.xlsx": "", "b.xlsx": "huyen-b"}, []string{"DS.xlsx", "huyen-b/DS.xlsx"}},
		{"one sub-folder", map[string]string{"a.xlsx": "huyen-a", "b.xlsx": "huyen-a"}, []string{"DS.xlsx", "DS (2).xlsx"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "UBND xã Ngọc Phái")
			if err := os.MkdirAll(dir, 0o755); err != nil {
				t.Fatal(err)
			}
			names, groups := map[string]string{}, map[string]string{}
			for i, base := range []string{"a.xlsx", "b.xlsx"} {
				p := sheettest.Write(t, dir, base, rosterSheet("DS",
					[]any{1, []string{"Lý Văn Quân", "Hà Thị Nga"}[i], "19/11/1984", "Nam", "Đại học", []string{"006084123456", "006188004512"}[i]}))
				names[p], groups[p] = "DS.xlsx", c.groups[base]
			}
			r := ingest.NewReader(normalize.New(sheettest.Config(t)), ingest.Options{Names: names, Groups: groups})
			b, err := r.ReadAll(context.Background(), []string{dir}, sheettest.Catalog(t))
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, f := range b.Files {
				got = append(got, f.Name)
				if f.Group != groups[f.Path] {
					t.Errorf("%s: group %q, want %q", f.Name, f.Group, groups[f.Path])
				}
			}
			if strings.Join(got, " | ") != strings.Join(c.want, " | ") {
				t.Errorf("names %q, want %q", got, c.want)
			}
		})
	}
}
