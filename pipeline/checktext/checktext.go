// Package checktext says in Vietnamese what canbo read in a unit's workbook and what
// is wrong with it: the words of `canbo check`, which the web page shows too, so that a
// clerk reads the same sentences whichever way the file was checked.
package checktext

import (
	"fmt"
	"io"
	"sort"
	"strings"

	"canbo/pipeline/ingest"
	"canbo/pipeline/issue"
	"canbo/pipeline/layout"
	"canbo/pipeline/normalize"
)

// maxListed is how many problems `check` prints per file; the feedback workbook has all.
const maxListed = 12

// shownCells is how many cells a problem said of several cells names before "và N ô khác".
const shownCells = 6

var datasetNames = map[string]string{"roster": "danh sách cán bộ", "training": "sổ đào tạo, bồi dưỡng",
	"movements": "sổ điều động, luân chuyển"}

// movementsDataset is the movements register's dataset: its rows are decisions, not
// people nor attendances.
const movementsDataset = "movements"

// Batch writes the per-file summary a clerk reads.
func Batch(w io.Writer, b *ingest.Batch, written map[string]string, cat *issue.Catalog) {
	people, trainings, moves, accepted, rejected := 0, 0, 0, 0, 0
	var ignored []string
	for _, f := range b.Files {
		switch f.Status {
		case ingest.Ignored:
			ignored = append(ignored, f.Name)
			continue
		case ingest.Rejected:
			rejected++
			fmt.Fprintf(w, "✘ %s: KHÔNG DÙNG ĐƯỢC. %s\n\n", f.Name, firstMessage(f))
			continue
		}
		accepted++
		for _, sh := range f.Sheets {
			switch sh.Dataset {
			case "roster":
				people += sh.Rows
			case movementsDataset:
				moves += sh.Rows
			default:
				trainings += sh.Rows
			}
		}
		File(w, f, written[f.Path], cat)
		fmt.Fprintln(w)
	}
	if len(ignored) > 0 {
		shown := ignored
		if len(shown) > 6 {
			shown = append(shown[:6:6], "…")
		}
		fmt.Fprintf(w, "Bỏ qua %d tệp không phải Excel hoặc tệp khóa tạm (~$…): %s\n\n", len(ignored), strings.Join(shown, ", "))
	}
	total := b.Counts()
	moved := ""
	if moves > 0 {
		moved = fmt.Sprintf(", %d quyết định điều động, luân chuyển", moves)
	}
	fmt.Fprintf(w, "Tổng cộng: %d tệp dùng được, %d tệp không dùng được, %d tệp bỏ qua; %d người, %d lượt đào tạo, bồi dưỡng%s; %s.\n",
		accepted, rejected, len(ignored), people, trainings, moved, countText(total))
	if total.Errors > 0 || rejected > 0 {
		fmt.Fprintln(w, "Cần sửa các lỗi trên rồi gửi lại tệp.")
	}
}

// File writes what `canbo check` says of one accepted file: its counts, each table
// read (sheet, rows, unit, columns mapped), then its problems grouped. feedback is
// the marked copy written for it, "" for none.
func File(w io.Writer, f *ingest.File, feedback string, cat *issue.Catalog) {
	c := issue.Count(f.Issues)
	mark := "✔"
	if c.Errors > 0 {
		mark = "✘"
	}
	fmt.Fprintf(w, "%s %s: %s\n", mark, f.Name, countText(c))
	Sheets(w, f)
	printIssues(w, f.Issues, cat)
	if feedback != "" {
		fmt.Fprintf(w, "  Tệp phản hồi (ô lỗi tô màu, có ghi chú): %s\n", feedback)
	}
}

// Sheets writes what was read of each table of f, and the sheets without a list.
func Sheets(w io.Writer, f *ingest.File) {
	for i := range f.Sheets {
		printSheet(w, f, i)
	}
	if len(f.NoList) > 0 {
		fmt.Fprintf(w, "  Trang không có danh sách: %s\n", strings.Join(f.NoList, ", "))
	}
}

// Problem is one line of a file's problems: the same problem of several cells once.
type Problem struct {
	Error   bool   // an error to fix (else a warning)
	Where   string // Sheet!Cell of the first cell
	Message string // in the catalog's words; for several cells, naming them
	Count   int    // cells concerned
}

// Problems groups a file's problems as `canbo check` lists them, errors first, at
// most limit groups (0: all).
func Problems(list []issue.Issue, cat *issue.Catalog, limit int) []Problem {
	groups := issue.GroupSame(list)
	sort.SliceStable(groups, func(i, j int) bool { return groups[i].Issue.Severity < groups[j].Issue.Severity })
	if limit > 0 && len(groups) > limit {
		groups = groups[:limit]
	}
	out := make([]Problem, 0, len(groups))
	for _, g := range groups {
		where := g.Issue.Sheet
		if c := g.Issue.Cell(); c != "" {
			where += "!" + c
		}
		msg := g.Issue.Message
		if len(g.Cells) > 1 {
			msg = cat.RenderGroup(g, shownCells)
		}
		out = append(out, Problem{Error: g.Issue.Severity == issue.Error, Where: where, Message: msg, Count: g.Count})
	}
	return out
}

// Rejected is what `canbo check` says of a file it could not use.
func Rejected(f *ingest.File) string { return firstMessage(f) }

func countText(c issue.Counts) string {
	return fmt.Sprintf("%d lỗi, %d cảnh báo", c.Errors, c.Warnings)
}

func firstMessage(f *ingest.File) string {
	if len(f.Issues) == 0 {
		return ""
	}
	return f.Issues[0].Message
}

func printSheet(w io.Writer, f *ingest.File, i int) {
	s := f.Sheets[i]
	name := fmt.Sprintf("Trang \"%s\"", s.Name)
	if s.Hidden {
		name += " (đang ẩn)"
	}
	if n := tablesOn(f, s.Name); n > 1 {
		name += fmt.Sprintf(" (bảng %d/%d của trang)", tableIndex(f, i), n)
	}
	header := "tiêu đề ở dòng " + rowList(s.HeaderRows)
	if s.NumberingRow > 0 {
		header += fmt.Sprintf(", bỏ dòng %d (dòng đánh số cột)", s.NumberingRow)
	}
	if !s.Counted() {
		fmt.Fprintf(w, "  %s, %s: không tính %d dòng — %s\n", name, header, s.Dropped, notCountedText(s))
		return
	}
	what := fmt.Sprintf("%d người", s.Rows)
	switch s.Dataset {
	case "roster":
	case movementsDataset:
		what = fmt.Sprintf("%d quyết định", s.Rows)
	default:
		what = fmt.Sprintf("%d lượt", s.Rows)
	}
	if s.Repeats > 0 {
		what += fmt.Sprintf(" (và %d dòng ghi lại người đã có, không tính lại)", s.Repeats)
	}
	fmt.Fprintf(w, "  %s: %s, %s; %s\n", name, datasetNames[s.Dataset], what, header)
	fmt.Fprintf(w, "  Đơn vị: %s", unitText(s))
	if !s.AsOf.IsZero() {
		fmt.Fprintf(w, "; số liệu tính đến %s", s.AsOf.Format("02/01/2006"))
	}
	fmt.Fprintln(w)
	var cols []string
	for _, c := range s.Columns {
		cols = append(cols, columnText(c))
	}
	fmt.Fprintf(w, "  Cột đã nhận (%d): %s\n", len(cols), strings.Join(cols, "; "))
	if len(s.Unmapped) > 0 {
		var un []string
		for _, u := range s.Unmapped {
			t := strings.TrimSpace(issue.ColumnName(u.Col) + " " + u.Header)
			if r := unmappedReason(u); r != "" {
				t += " [" + r + "]"
			}
			un = append(un, t)
		}
		const most = 12 // a long list hides what matters; the feedback has the sheet itself
		if len(un) > most {
			un = append(un[:most:most], fmt.Sprintf("… và %d cột khác", len(un)-most))
		}
		fmt.Fprintf(w, "  Cột không dùng (%d): %s\n", len(s.Unmapped), strings.Join(un, "; "))
	}
	printConverted(w, s.Converted)
	if s.Left > 0 {
		fmt.Fprintf(w, "  Người đã thôi công tác (mục \"%s\"), liệt kê nhưng không tính: %d người (%s)\n",
			s.Section, s.Left, leftNames(f, s))
	}
	if s.HiddenRows > 0 {
		fmt.Fprintf(w, "  %d dòng có người đang bị ẩn trong trang tính (canbo vẫn đọc)\n", s.HiddenRows)
	}
	var skipped []string
	for _, k := range []layout.Kind{layout.Group, layout.Total, layout.Blank, layout.Repeat, layout.Stray} {
		if n := s.Skipped[k]; n > 0 {
			skipped = append(skipped, fmt.Sprintf("%d %s", n, kindNames[k]))
		}
	}
	if len(skipped) > 0 {
		fmt.Fprintf(w, "  Dòng không tính: %s\n", strings.Join(skipped, ", "))
	}
}

// tablesOn counts the tables read on one sheet; tableIndex numbers table i among them.
func tablesOn(f *ingest.File, sheet string) int {
	n := 0
	for _, s := range f.Sheets {
		if s.Name == sheet {
			n++
		}
	}
	return n
}

func tableIndex(f *ingest.File, i int) int {
	n := 0
	for j := 0; j <= i; j++ {
		if f.Sheets[j].Name == f.Sheets[i].Name {
			n++
		}
	}
	return n
}

// unitText says which unit the table is of, and where canbo read it.
func unitText(s ingest.Sheet) string {
	from := map[string]string{"title": "theo dòng tiêu đề", "file": "theo tên tệp", "column": "theo cột Đơn vị",
		"group": "theo dòng nhóm", "workbook": "theo tiêu đề trang tính khác trong tệp", "pin": "theo layouts.yaml"}[s.UnitSource]
	if s.UnitSource != "column" {
		return s.Unit + " (" + from + ")"
	}
	units := s.ColumnUnits
	list := strings.Join(units, ", ")
	if len(units) > 3 {
		list = fmt.Sprintf("%s và %d đơn vị khác", strings.Join(units[:3], ", "), len(units)-3)
	}
	if s.TitleUnit != "" {
		return fmt.Sprintf("%s (theo dòng tiêu đề); đơn vị của từng người theo cột Đơn vị: %s", s.TitleUnit, list)
	}
	if list == "" {
		return from
	}
	return list + " (" + from + ")"
}

// leftNames names the first people a table lists as having left.
func leftNames(f *ingest.File, s ingest.Sheet) string {
	const most = 5
	var names []string
	n := 0
	for _, r := range f.Records {
		if r.Sheet != s.Name || r.NotCounted != normalize.Left || r.Row < s.HeaderRows[0] {
			continue
		}
		n++
		if len(names) < most {
			names = append(names, r.Values[nameIndex(f)].Text)
		}
	}
	if n > most {
		names = append(names, "…")
	}
	return strings.Join(names, ", ")
}

// notCountedText says why a table's people are not counted.
func notCountedText(s ingest.Sheet) string {
	switch s.NotCounted {
	case "copy":
		return fmt.Sprintf("danh sách chép từ trang \"%s\" bằng công thức, đã tính ở đó", s.Other)
	case "repeat":
		return fmt.Sprintf("cùng những người đã có ở trang \"%s\"", s.Other)
	case "example":
		return "trang ví dụ, hướng dẫn"
	case "external":
		return "danh sách lấy từ tệp khác bằng công thức liên kết"
	}
	return s.NotCounted
}

// columnText shows one column as read: its letters, the field, and how the header was
// understood when that is not plain ("mã hoten", "ghép Họ + Tên").
func columnText(c normalize.Column) string {
	var letters []string
	for _, col := range c.Cols() {
		letters = append(letters, issue.ColumnName(col))
	}
	leaf := c.Header
	if i := strings.LastIndex(leaf, "›"); i >= 0 {
		leaf = strings.TrimSpace(leaf[i+len("›"):])
	}
	label := ""
	switch {
	case len(c.Split) > 0:
		var names []string
		for _, f := range c.Split {
			names = append(names, f.Label)
		}
		label = strings.Join(names, " + ") + " (tách từ một ô)"
	case c.Field != nil && c.Mark != nil:
		label = c.Field.Label + " (" + c.Mark.Field.Label + ": " + leaf + ")"
	case c.Field != nil:
		label = c.Field.Label
	default:
		label = c.Mark.Field.Label + " = " + leaf
	}
	var notes []string
	switch c.Why {
	case "coded":
		notes = append(notes, "mã \""+c.Header+"\"")
	case "prefix":
		notes = append(notes, "tiêu đề \""+c.Header+"\"")
	case "parent":
		notes = append(notes, "cột con của \""+strings.TrimSpace(strings.SplitN(c.Header, "›", 2)[0])+"\"")
	case "pinned":
		notes = append(notes, "theo layouts.yaml")
	}
	switch c.Join {
	case normalize.JoinWords:
		if c.Why == "parts" {
			notes = append(notes, "ghép "+c.Header)
		} else {
			notes = append(notes, "tiêu đề gộp nhiều cột: ghép các ô")
		}
	case normalize.JoinDate:
		notes = append(notes, "ghép ngày, tháng, năm")
	case normalize.JoinAny, normalize.JoinFirst:
		notes = append(notes, "cột nào có cũng tính")
	case normalize.JoinList:
		notes = append(notes, "ghép các cột")
	}
	if c.YearOnly {
		notes = append(notes, "chỉ ghi năm")
	}
	t := strings.Join(letters, "+") + " " + strings.Join(strings.Fields(label), " ")
	if len(notes) > 0 {
		t += " (" + strings.Join(notes, "; ") + ")"
	}
	return t
}

// unmappedReason says why a column is not read, when there is more to say than that
// its header names no field.
func unmappedReason(u layout.Unmapped) string {
	label := ""
	if u.Field != nil {
		label = u.Field.Label
	}
	switch u.Reason {
	case "ignored":
		return "có chữ “" + u.Words + "”"
	case "values":
		return "tiêu đề giống “" + label + "” nhưng giá trị bên dưới không phải " + strings.ToLower(label)
	case "other-dataset":
		return "cột " + strings.ToLower(label) + " không dùng trong loại bảng này"
	case "numbering":
		return "cột đánh số"
	case "merged":
		return "cùng ô tiêu đề gộp với cột bên trái"
	case "mark-with-value":
		return "đã có cột " + label
	case "parts":
		return "thiếu phần còn lại của " + label
	case "pinned":
		return "bỏ theo layouts.yaml"
	}
	return ""
}

// printConverted says which columns were typed in a legacy encoding and converted, one
// line per encoding: "Cột C, D: chuyển từ mã TCVN3 sang Unicode (124 ô)".
func printConverted(w io.Writer, conv []ingest.Conversion) {
	var order []string
	cols, cells := map[string][]string{}, map[string]int{}
	for _, c := range conv {
		if _, ok := cols[c.From]; !ok {
			order = append(order, c.From)
		}
		cols[c.From] = append(cols[c.From], issue.ColumnName(c.Col))
		cells[c.From] += c.Cells
	}
	for _, from := range order {
		name := map[string]string{"tcvn3": "TCVN3", "vni": "VNI"}[from]
		fmt.Fprintf(w, "  Cột %s: chuyển từ mã %s sang Unicode (%d ô)\n", strings.Join(cols[from], ", "), name, cells[from])
	}
}

var kindNames = map[layout.Kind]string{layout.Group: "dòng tên nhóm hoặc mục", layout.Total: "dòng tổng",
	layout.Blank: "dòng trống", layout.Repeat: "dòng tiêu đề lặp lại", layout.Stray: "dòng không phải người (xem cảnh báo)"}

func rowList(rows []int) string {
	if len(rows) == 1 {
		return fmt.Sprint(rows[0])
	}
	return fmt.Sprintf("%d–%d", rows[0], rows[len(rows)-1])
}

// printIssues lists a file's problems, errors first, the same problem of several
// cells once ("Ô E20, E101 và 10 ô khác: …", issue.GroupSame), then a count by code.
func printIssues(w io.Writer, list []issue.Issue, cat *issue.Catalog) {
	if len(list) == 0 {
		return
	}
	all := Problems(list, cat, 0)
	for i, p := range all {
		if i == maxListed {
			rest := 0
			for _, p := range all[i:] {
				rest += p.Count
			}
			fmt.Fprintf(w, "    … và %d vấn đề khác (xem tệp phản hồi)\n", rest)
			break
		}
		sev := "Lỗi     "
		if !p.Error {
			sev = "Cảnh báo"
		}
		fmt.Fprintf(w, "    %s %-12s %s\n", sev, p.Where, p.Message)
	}
	byCode := issue.Count(list).ByCode
	codes := make([]string, 0, len(byCode))
	for c := range byCode {
		codes = append(codes, string(c))
	}
	sort.Strings(codes)
	for i, c := range codes {
		codes[i] = fmt.Sprintf("%s (%s) ×%d", cat.Label(issue.Code(c)), c, byCode[issue.Code(c)])
	}
	fmt.Fprintf(w, "  Theo loại: %s\n", strings.Join(codes, "; "))
}

// nameIndex is where a record of the file holds the person's name.
func nameIndex(f *ingest.File) int {
	for _, s := range f.Sheets {
		for _, c := range s.Columns {
			if c.Field != nil && c.Field.Code == normalize.NameField {
				return c.Field.Index
			}
		}
	}
	return 0
}
