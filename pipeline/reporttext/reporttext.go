// Package reporttext holds the words of the compliance report: labels shared by the
// Excel and PDF reports and the generated narrative ("Tính đến ngày 30/09/2023, tổng
// số … là 388 người …"), read from templates/report*.yaml so that an office rewords
// its report without touching Go code. It also formats numbers the Vietnamese way.
package reporttext

import (
	"bytes"
	"canbo/pipeline/issue"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"
	"text/template"

	"canbo/pipeline/schema"
	"canbo/pipeline/textfold"
)

// Files are the template files read, in order; a label may be defined only once.
var Files = []string{"report.yaml", "report-xlsx.yaml", "report-pdf.yaml"}

// Text is the loaded labels and narrative templates; safe for concurrent use.
type Text struct {
	labels    map[string]string
	narrative map[string]*template.Template
	issues    map[issue.Code]string // short names of the issue codes, when the folder has them
}

// IssueKind is an issue code's short Vietnamese name ("giá trị không có trong danh
// mục"), the code itself when there is none: a clerk reads the name, a supporter
// the code beside it.
func (t *Text) IssueKind(code string) string {
	if l := t.issues[issue.Code(code)]; l != "" {
		return l
	}
	return code
}

type file struct {
	Labels    map[string]schema.Written `yaml:"labels"`
	Narrative map[string]schema.Written `yaml:"narrative"`
}

var funcs = template.FuncMap{
	"pct":      Percent,
	"pctShort": PercentShort,
	"num":      Int,
	"date":     Date,
	"signed":   Signed,
	"neg":      func(n int) int { return -n },
}

// Load reads the report templates from a templates folder. Missing optional files
// are skipped; report.yaml must exist. The error is schema.Problems: each mistake at
// its line and column, in Vietnamese.
func Load(fsys fs.FS) (*Text, error) {
	t := &Text{labels: map[string]string{}, narrative: map[string]*template.Template{}}
	var problems schema.Problems
	labelAt := map[string]schema.Pos{}
	written := map[string]bool{} // narrative keys written, whether or not they parse
	for i, name := range Files {
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			if i > 0 {
				continue
			}
			return nil, fmt.Errorf("đọc %s: %w", name, err)
		}
		shown := path.Join("templates", name)
		var f file
		if ps := schema.Decode(shown, data, &f); len(ps) > 0 {
			problems = append(problems, ps...)
			continue
		}
		for k, v := range f.Labels {
			v.Pos.File = shown
			if prev, dup := labelAt[k]; dup {
				problems = append(problems, schema.Problem{Pos: v.Pos, Msg: fmt.Sprintf("nhãn %q đã có ở %s", k, prev)})
			}
			labelAt[k] = v.Pos
			t.labels[k] = strings.TrimSpace(v.Value)
		}
		for k, v := range f.Narrative {
			v.Pos.File = shown
			written[k] = true
			if !slices.Contains(narrativeKeys, k) {
				problems = append(problems, schema.Problem{Pos: v.Pos, Msg: unknownNarrative(k)})
				continue
			}
			tm, err := template.New(path.Join(name, k)).Funcs(funcs).Option("missingkey=error").Parse(oneLine(v.Value))
			if err != nil {
				problems = append(problems, schema.TemplateProblem(v.Pos, err))
				continue
			}
			t.narrative[k] = tm
		}
	}
	for _, k := range narrativeKeys {
		if !written[k] {
			problems = append(problems, schema.Problem{Pos: schema.Pos{File: path.Join("templates", Files[0])},
				Msg: fmt.Sprintf("thiếu câu narrative %q", k)})
		}
	}
	// The issue codes' names are optional here: the issue catalog requires and checks
	// them; a folder without them shows the codes.
	if _, err := fs.Stat(fsys, issue.LabelsFile); err == nil {
		labels, ps := issue.LoadLabels(fsys)
		problems = append(problems, ps...)
		t.issues = labels
	}
	if len(problems) > 0 {
		problems.Sort()
		return nil, problems
	}
	return t, nil
}

// unknownNarrative says that a sentence is not one the report writes, with the
// nearest one when one is close.
func unknownNarrative(k string) string {
	msg := fmt.Sprintf("câu narrative %q không được dùng", k)
	if s := textfold.Closest(k, narrativeKeys); s != "" {
		return msg + fmt.Sprintf(" (có phải %q?)", s)
	}
	return msg + "; các câu dùng được: " + strings.Join(narrativeKeys, ", ")
}

// Label returns the text of a label. A missing label shows as its key in brackets, so
// a mistake is visible in the report rather than a blank; tests of each writer check
// that every key it uses exists (see Missing).
func (t *Text) Label(key string) string {
	if v, ok := t.labels[key]; ok {
		return v
	}
	return "[" + key + "]"
}

// Missing lists the keys that have no label.
func (t *Text) Missing(keys ...string) []string {
	var out []string
	for _, k := range keys {
		if _, ok := t.labels[k]; !ok {
			out = append(out, k)
		}
	}
	return out
}

// render executes one narrative template.
func (t *Text) render(key string, data any) (string, error) {
	tm := t.narrative[key]
	if tm == nil {
		return "", fmt.Errorf("thiếu câu narrative %q", key)
	}
	var b bytes.Buffer
	if err := tm.Execute(&b, data); err != nil {
		return "", fmt.Errorf("câu narrative %q: %w", key, err)
	}
	return strings.TrimSpace(b.String()), nil
}

// oneLine joins a folded YAML paragraph's lines: the templates are written over
// several lines for reading, but a sentence is one line.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
