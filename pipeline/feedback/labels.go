package feedback

import "canbo/pipeline/issue"

// Labels holds every word the feedback workbook shows. The caller loads them from
// templates/ (Vietnamese) so an office can reword the workbook without a rebuild;
// DefaultLabels returns the built-in Vietnamese text so tests and callers without
// templates work.
type Labels struct {
	// SheetName names the problems sheet. If the workbook already has a sheet of
	// that name, " (2)", " (3)"… is appended.
	SheetName string
	// Title is the first line of the problems sheet. "{file}" in it is replaced by
	// the submitted file's name (Issue.File, or the source's base name); a caller
	// may equally pre-format it.
	Title string
	// Columns are the header cells of the problems sheet, in this order: number,
	// sheet, cell, severity, code, field, value as written, how to fix. Missing or
	// empty entries take the default.
	Columns []string
	// Error and Warning are the severity words, in the listing.
	Error, Warning string
	// Author is the author shown on cell comments.
	Author string
	// Intro is one line under the title explaining the colours.
	Intro string
	// Same follows the message of a problem found in several cells of a column,
	// listed once: "{so}" is how many other cells, "{o}" names them (at most ten,
	// then "{them}" says how many more).
	Same, SameMore string
	// Kind, when set, names a kind of problem in a few words (issue.Catalog.Label):
	// the code column then reads "giá trị không có trong danh mục (unknown-value)".
	Kind func(issue.Code) string
}

// kind is how the problems sheet names code: its name and the code after it, or the
// code alone when there is no name.
func (l Labels) kind(code issue.Code) string {
	if l.Kind != nil {
		if k := l.Kind(code); k != "" && k != string(code) {
			return k + " (" + string(code) + ")"
		}
	}
	return string(code)
}

// numColumns is how many columns the problems sheet has; Labels.Columns is read
// positionally against it.
const numColumns = 8

// DefaultLabels returns the built-in Vietnamese labels.
func DefaultLabels() Labels {
	return Labels{
		SheetName: "Lỗi cần sửa",
		Title:     "Các lỗi cần sửa trong tệp {file}",
		Columns: []string{
			"STT", "Trang tính", "Ô", "Mức độ", "Loại lỗi (mã)",
			"Thông tin", "Giá trị đang ghi", "Cần sửa thế nào",
		},
		Error:    "Lỗi",
		Warning:  "Cảnh báo",
		Author:   "canbo",
		Intro:    "Ô tô đỏ là lỗi phải sửa, ô tô vàng là cảnh báo cần xem lại. Sửa xong, gửi lại tệp.",
		Same:     "Cùng vấn đề này ở {so} ô khác: {o}{them} (các ô này cũng đã tô màu, có ghi chú).",
		SameMore: " và {so} ô nữa",
	}
}

// withDefaults fills every empty field from DefaultLabels, so a template that
// forgets a word yields a usable workbook rather than a blank header.
func (l Labels) withDefaults() Labels {
	d := DefaultLabels()
	if l.SheetName == "" {
		l.SheetName = d.SheetName
	}
	if l.Title == "" {
		l.Title = d.Title
	}
	cols := make([]string, numColumns)
	for i := range cols {
		if i < len(l.Columns) && l.Columns[i] != "" {
			cols[i] = l.Columns[i]
		} else {
			cols[i] = d.Columns[i]
		}
	}
	l.Columns = cols
	if l.Error == "" {
		l.Error = d.Error
	}
	if l.Warning == "" {
		l.Warning = d.Warning
	}
	if l.Author == "" {
		l.Author = d.Author
	}
	if l.Same == "" {
		l.Same = d.Same
	}
	if l.SameMore == "" {
		l.SameMore = d.SameMore
	}
	// An empty Intro is a legitimate choice (no explanation line), so it stays empty.
	return l
}
