package issue

import (
	"bytes"
	"fmt"
	"io/fs"
	"sort"
	"strings"
	"text/template"

	"go.yaml.in/yaml/v3"
)

// MessagesFile is the template file, in the templates folder, that holds one message
// template per code.
const MessagesFile = "messages.yaml"

// Catalog renders issue messages from templates. It is parsed once and safe for
// concurrent use.
type Catalog struct {
	tmpl map[Code]*template.Template
}

// messageData is what a message template sees.
type messageData struct {
	Cell, Sheet, File, Label, Raw string
	Args                          map[string]string
}

// LoadCatalog parses messages.yaml from a templates folder. Every code must have a
// message and every message must parse; unknown codes are errors too, so a typo in the
// file is caught at start-up rather than shown to a clerk as a blank.
func LoadCatalog(fsys fs.FS) (*Catalog, error) {
	data, err := fs.ReadFile(fsys, MessagesFile)
	if err != nil {
		return nil, fmt.Errorf("đọc %s: %w", MessagesFile, err)
	}
	var raw map[string]string
	if err := yaml.Unmarshal(data, &raw); err != nil {
		return nil, fmt.Errorf("%s: %w", MessagesFile, err)
	}
	c := &Catalog{tmpl: map[Code]*template.Template{}}
	var problems []string
	for code, text := range raw {
		if _, ok := severities[Code(code)]; !ok {
			problems = append(problems, fmt.Sprintf("%s: mã %q không tồn tại", MessagesFile, code))
			continue
		}
		t, err := template.New(code).Option("missingkey=error").Parse(text)
		if err != nil {
			problems = append(problems, fmt.Sprintf("%s: %v", MessagesFile, err))
			continue
		}
		c.tmpl[Code(code)] = t
	}
	for _, code := range Codes() {
		if _, ok := raw[string(code)]; !ok {
			problems = append(problems, fmt.Sprintf("%s: thiếu lời nhắn cho mã %q", MessagesFile, code))
		}
	}
	if len(problems) > 0 {
		sort.Strings(problems)
		return nil, fmt.Errorf("%s", strings.Join(problems, "\n"))
	}
	return c, nil
}

// Render fills in the issue's Message.
func (c *Catalog) Render(is *Issue) {
	t := c.tmpl[is.Code]
	if t == nil {
		is.Message = string(is.Code)
		return
	}
	args := is.Args
	if args == nil {
		args = map[string]string{}
	}
	var b bytes.Buffer
	if err := t.Execute(&b, messageData{Cell: is.Cell(), Sheet: is.Sheet, File: is.File, Label: is.Label, Raw: is.Raw, Args: args}); err != nil {
		is.Message = string(is.Code) + ": " + err.Error()
		return
	}
	is.Message = strings.TrimSpace(b.String())
}

// RenderAll fills in the messages of a list of issues.
func (c *Catalog) RenderAll(list []Issue) {
	for i := range list {
		c.Render(&list[i])
	}
}
