package schema

import (
	"regexp"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Written is a string value that remembers where in its file it was written, so that
// a mistake found in it after decoding, a template that does not parse or refers to
// a name the data lacks, is shown there rather than at the top of the file.
type Written struct {
	Value string
	Pos   Pos // Line and Col; File is the reader's to fill in
}

// UnmarshalYAML records where the value was written.
func (w *Written) UnmarshalYAML(n *yaml.Node) error {
	w.Pos = Pos{Line: n.Line, Col: n.Column}
	return n.Decode(&w.Value)
}

// Sort orders problems by file, line and column, for reading top to bottom.
func (ps Problems) Sort() {
	sort.SliceStable(ps, func(i, j int) bool {
		a, b := ps[i].Pos, ps[j].Pos
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Col < b.Col
	})
}

var (
	templateFunc  = regexp.MustCompile(`function "([^"]+)" not defined`)
	templateField = regexp.MustCompile(`can't evaluate field (\w+)`)
	templateKey   = regexp.MustCompile(`map has no entry for key "([^"]*)"`)
)

// TemplateProblem is a Go text/template error in a template written at pos, in
// Vietnamese, the library's words kept in brackets for whoever edits the template.
func TemplateProblem(pos Pos, err error) Problem {
	m := err.Error()
	var vi string
	switch {
	case templateFunc.MatchString(m):
		vi = "không có hàm " + templateFunc.FindStringSubmatch(m)[1] + ": xem các hàm dùng được ở đầu tệp"
	case templateField.MatchString(m):
		vi = "dữ liệu của mẫu này không có ." + templateField.FindStringSubmatch(m)[1] + ": xem các tên dùng được trong chú thích ngay trên mẫu"
	case templateKey.MatchString(m):
		vi = "dữ liệu của mẫu này không có khóa \"" + templateKey.FindStringSubmatch(m)[1] + "\""
	case strings.Contains(m, "unclosed action"), strings.Contains(m, "unexpected EOF"):
		vi = "mẫu thiếu }} đóng, hoặc thiếu {{end}} cho một {{if}}, {{range}}, {{with}}"
	case strings.Contains(m, "unexpected {{end}}"):
		vi = "mẫu có {{end}} thừa"
	case strings.Contains(m, "wrong number of args"):
		vi = "hàm được gọi với số giá trị không đúng"
	case strings.Contains(m, "wrong type"):
		vi = "hàm được gọi với giá trị sai kiểu"
	default:
		vi = "mẫu câu viết sai"
	}
	return Problem{Pos: pos, Msg: vi + " (" + m + ")"}
}
