package issue

import (
	"bytes"
	"fmt"
	"io/fs"
	"path"
	"strconv"
	"strings"
	"text/template"

	"go.yaml.in/yaml/v3"

	"canbo/pipeline/schema"
	"canbo/pipeline/textfold"
)

// MessagesFile is the template file, in the templates folder, that holds one message
// template per code.
const MessagesFile = "messages.yaml"

// Catalog renders issue messages from templates. It is parsed once and safe for
// concurrent use.
type Catalog struct {
	tmpl   map[Code]*template.Template
	labels map[Code]string // short names of the codes (LabelsFile)
}

// LabelsFile names each code in a few words, for counts by kind.
const LabelsFile = "issue-labels.yaml"

// Label is code's short Vietnamese name ("giá trị không có trong danh mục"), the
// code itself when the catalog has none.
func (c *Catalog) Label(code Code) string {
	if l := c.labels[code]; l != "" {
		return l
	}
	return string(code)
}

// messageData is what a message template sees.
type messageData struct {
	Cell, Sheet, File, Label, Raw string
	Args                          map[string]string
}

// LoadCatalog parses messages.yaml from a templates folder. Every code must have a
// message and every message must parse; unknown codes are errors too, so a typo in the
// file is caught at start-up rather than shown to a clerk as a blank. The error is
// schema.Problems: each mistake at its line and column, in Vietnamese, an unknown
// code with the nearest known one.
func LoadCatalog(fsys fs.FS) (*Catalog, error) {
	data, err := fs.ReadFile(fsys, MessagesFile)
	if err != nil {
		return nil, fmt.Errorf("đọc %s: %w", MessagesFile, err)
	}
	shown := path.Join("templates", MessagesFile)
	var doc yaml.Node
	if ps := schema.Decode(shown, data, &doc); len(ps) > 0 {
		return nil, ps
	}
	if doc.Kind != yaml.MappingNode {
		return nil, schema.Problems{{Pos: schema.Pos{File: shown, Line: doc.Line, Col: doc.Column},
			Msg: "cần các dòng \"mã-lỗi: lời nhắn\""}}
	}
	c := &Catalog{tmpl: map[Code]*template.Template{}}
	var problems schema.Problems
	written := map[string]bool{}
	for i := 0; i+1 < len(doc.Content); i += 2 {
		k, v := doc.Content[i], doc.Content[i+1]
		written[k.Value] = true
		if p, ok := c.message(k, v, shown); !ok {
			problems = append(problems, p)
		}
	}
	for _, code := range Codes() {
		if !written[string(code)] {
			problems = append(problems, schema.Problem{Pos: schema.Pos{File: shown}, Msg: fmt.Sprintf("thiếu lời nhắn cho mã %q", code)})
		}
	}
	problems = append(problems, c.loadLabels(fsys)...)
	if len(problems) > 0 {
		problems.Sort()
		return nil, problems
	}
	return c, nil
}

// loadLabels reads LabelsFile into the catalog.
func (c *Catalog) loadLabels(fsys fs.FS) schema.Problems {
	labels, problems := LoadLabels(fsys)
	c.labels = labels
	return problems
}

// LoadLabels reads LabelsFile: a short name for every code, each a line of text.
// Every mistake is a problem at its line, an unknown code with the nearest one.
func LoadLabels(fsys fs.FS) (map[Code]string, schema.Problems) {
	shown := path.Join("templates", LabelsFile)
	data, err := fs.ReadFile(fsys, LabelsFile)
	if err != nil {
		return nil, schema.Problems{{Pos: schema.Pos{File: shown}, Msg: fmt.Sprintf("không đọc được tệp: %v", err)}}
	}
	var doc yaml.Node
	if ps := schema.Decode(shown, data, &doc); len(ps) > 0 {
		return nil, ps
	}
	if doc.Kind != yaml.MappingNode {
		return nil, schema.Problems{{Pos: schema.Pos{File: shown, Line: doc.Line, Col: doc.Column}, Msg: "cần các dòng \"mã-lỗi: tên ngắn\""}}
	}
	labels := map[Code]string{}
	var problems schema.Problems
	for i := 0; i+1 < len(doc.Content); i += 2 {
		k, v := doc.Content[i], doc.Content[i+1]
		if _, ok := severities[Code(k.Value)]; !ok {
			msg := fmt.Sprintf("mã %q không tồn tại", k.Value)
			if s := textfold.Closest(k.Value, codeNames()); s != "" {
				msg += fmt.Sprintf(" (có phải %q?)", s)
			}
			problems = append(problems, schema.Problem{Pos: schema.Pos{File: shown, Line: k.Line, Col: k.Column}, Msg: msg})
			continue
		}
		if v.Kind != yaml.ScalarNode || strings.TrimSpace(v.Value) == "" {
			problems = append(problems, schema.Problem{Pos: schema.Pos{File: shown, Line: v.Line, Col: v.Column},
				Msg: fmt.Sprintf("tên ngắn của mã %q phải là vài chữ", k.Value)})
			continue
		}
		labels[Code(k.Value)] = strings.TrimSpace(v.Value)
	}
	for _, code := range Codes() {
		if _, ok := labels[code]; !ok {
			problems = append(problems, schema.Problem{Pos: schema.Pos{File: shown}, Msg: fmt.Sprintf("thiếu tên ngắn cho mã %q", code)})
		}
	}
	return labels, problems
}

// message parses the template of one code into the catalog, or says what is wrong
// with it, where.
func (c *Catalog) message(k, v *yaml.Node, file string) (schema.Problem, bool) {
	if _, ok := severities[Code(k.Value)]; !ok {
		msg := fmt.Sprintf("mã %q không tồn tại", k.Value)
		if s := textfold.Closest(k.Value, codeNames()); s != "" {
			msg += fmt.Sprintf(" (có phải %q?)", s)
		}
		return schema.Problem{Pos: schema.Pos{File: file, Line: k.Line, Col: k.Column}, Msg: msg}, false
	}
	at := schema.Pos{File: file, Line: v.Line, Col: v.Column}
	if v.Kind != yaml.ScalarNode {
		return schema.Problem{Pos: at, Msg: fmt.Sprintf("lời nhắn của mã %q phải là một câu", k.Value)}, false
	}
	t, err := template.New(k.Value).Option("missingkey=error").Parse(v.Value)
	if err != nil {
		return schema.TemplateProblem(at, err), false
	}
	c.tmpl[Code(k.Value)] = t
	return schema.Problem{}, true
}

// codeNames are every code, for suggestions.
func codeNames() []string {
	var names []string
	for _, c := range Codes() {
		names = append(names, string(c))
	}
	return names
}

// Render fills in the issue's Message.
func (c *Catalog) Render(is *Issue) {
	is.Message = c.render(is, is.Cell())
	if is.More > 0 {
		is.Message += fmt.Sprintf(" (Và còn %s dòng khác trong tệp có cùng vấn đề này, không liệt kê riêng từng dòng.)", groupDigits(is.More))
	}
}

// RenderGroup is the message of a group of identical problems, said once for all
// its cells: "Ô E20, E101, E106, E129, E230 và 7 ô khác: "Kinhh" không phải …".
// At most shown cells are named.
func (c *Catalog) RenderGroup(g Group, shown int) string {
	if len(g.Cells) < 2 {
		return c.render(&g.Issue, g.Issue.Cell())
	}
	cells := strings.Join(g.Cells[:min(shown, len(g.Cells))], ", ")
	if rest := g.Count - min(shown, len(g.Cells)); rest > 0 {
		cells += fmt.Sprintf(" và %s ô khác", groupDigits(rest))
	}
	return c.render(&g.Issue, cells)
}

// render is is's message with cell written where the template names its cell.
func (c *Catalog) render(is *Issue, cell string) string {
	t := c.tmpl[is.Code]
	if t == nil {
		return string(is.Code)
	}
	args := is.Args
	if args == nil {
		args = map[string]string{}
	}
	var b bytes.Buffer
	if err := t.Execute(&b, messageData{Cell: cell, Sheet: is.Sheet, File: is.File, Label: is.Label, Raw: is.Raw, Args: args}); err != nil {
		return string(is.Code) + ": " + err.Error()
	}
	return strings.TrimSpace(b.String())
}

// groupDigits writes n with dots between thousands, as Vietnamese does: 1.048.574.
func groupDigits(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "." + s[i:]
	}
	return s
}

// RenderAll fills in the messages of a list of issues.
func (c *Catalog) RenderAll(list []Issue) {
	for i := range list {
		c.Render(&list[i])
	}
}
