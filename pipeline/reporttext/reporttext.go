// Package reporttext holds the words of the compliance report: labels shared by the
// Excel and PDF reports and the generated narrative ("Tính đến ngày 30/09/2023, tổng
// số … là 388 người …"), read from templates/report*.yaml so that an office rewords
// its report without touching Go code. It also formats numbers the Vietnamese way.
package reporttext

import (
	"bytes"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"
	"text/template"

	"go.yaml.in/yaml/v3"
)

// Files are the template files read, in order; a label may be defined only once.
var Files = []string{"report.yaml", "report-xlsx.yaml", "report-pdf.yaml"}

// Text is the loaded labels and narrative templates; safe for concurrent use.
type Text struct {
	labels    map[string]string
	narrative map[string]*template.Template
}

type file struct {
	Labels    map[string]string `yaml:"labels"`
	Narrative map[string]string `yaml:"narrative"`
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
// are skipped; report.yaml must exist.
func Load(fsys fs.FS) (*Text, error) {
	t := &Text{labels: map[string]string{}, narrative: map[string]*template.Template{}}
	var problems []string
	for i, name := range Files {
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			if i > 0 {
				continue
			}
			return nil, fmt.Errorf("đọc %s: %w", name, err)
		}
		var f file
		dec := yaml.NewDecoder(bytes.NewReader(data))
		dec.KnownFields(true)
		if err := dec.Decode(&f); err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		for k, v := range f.Labels {
			if _, dup := t.labels[k]; dup {
				problems = append(problems, fmt.Sprintf("%s: nhãn %q đã có ở tệp khác", name, k))
			}
			t.labels[k] = strings.TrimSpace(v)
		}
		for k, v := range f.Narrative {
			tm, err := template.New(path.Join(name, k)).Funcs(funcs).Option("missingkey=error").Parse(oneLine(v))
			if err != nil {
				problems = append(problems, fmt.Sprintf("%s: %v", name, err))
				continue
			}
			t.narrative[k] = tm
		}
	}
	for _, k := range narrativeKeys {
		if t.narrative[k] == nil && !contains(problems, k) {
			problems = append(problems, fmt.Sprintf("report.yaml: thiếu câu narrative %q", k))
		}
	}
	if len(problems) > 0 {
		sort.Strings(problems)
		return nil, fmt.Errorf("%s", strings.Join(problems, "\n"))
	}
	return t, nil
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

func contains(list []string, sub string) bool {
	for _, s := range list {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}
