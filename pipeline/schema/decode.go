package schema

import (
	"fmt"
	"reflect"
	"strings"

	"canbo/pipeline/textfold"

	"go.yaml.in/yaml/v3"
)

// Decode reads one YAML file (file names it in messages) into v, a pointer, and
// returns every mistake at its line and column, in Vietnamese: a syntax error where
// the clerk has to fix it, each mapping key v's type does not have with the nearest
// known key, each value of the wrong type. Configuration and template files all go
// through it, so that they are checked alike.
func Decode(file string, data []byte, v any) Problems {
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return Problems{syntaxProblem(file, data, err)}
	}
	if len(root.Content) == 0 {
		return Problems{{Pos: Pos{File: file}, Msg: "tệp trống"}}
	}
	doc := root.Content[0]
	ps := unknownKeys(file, doc, reflect.TypeOf(v).Elem(), "", nil)
	if err := doc.Decode(v); err != nil {
		ps = append(ps, decodeProblems(file, data, err)...)
	}
	return ps
}

// unknownKeys walks a YAML node against the Go type it decodes into and appends to
// ps every mapping key the type does not have, at the key's own line and column,
// with a suggestion. A key written twice is reported by Decode.
func unknownKeys(file string, n *yaml.Node, t reflect.Type, where string, ps Problems) Problems {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == nodeType {
		return ps // read as it is: its reader checks the keys
	}
	if n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	switch t.Kind() {
	case reflect.Struct:
		if n.Kind != yaml.MappingNode {
			return ps // Decode reports the type mismatch
		}
		known, names := yamlFields(t)
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			sf, ok := known[k.Value]
			if !ok {
				pos := Pos{File: file, Line: k.Line, Col: k.Column}
				ps = append(ps, Problem{Pos: pos, Msg: unknownKey(k.Value, where, names)})
				continue
			}
			ps = unknownKeys(file, v, sf.Type, "trong "+k.Value, ps)
		}
	case reflect.Slice:
		if n.Kind != yaml.SequenceNode {
			return ps
		}
		for _, c := range n.Content {
			ps = unknownKeys(file, c, t.Elem(), where, ps)
		}
	case reflect.Map:
		if n.Kind != yaml.MappingNode {
			return ps
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			ps = unknownKeys(file, n.Content[i+1], t.Elem(), "trong "+n.Content[i].Value, ps)
		}
	}
	return ps
}

var nodeType = reflect.TypeOf(yaml.Node{})

// yamlFields are the keys a struct type reads, by name and in order.
func yamlFields(t reflect.Type) (map[string]reflect.StructField, []string) {
	known := map[string]reflect.StructField{}
	var names []string
	for i := 0; i < t.NumField(); i++ {
		sf := t.Field(i)
		tag := strings.Split(sf.Tag.Get("yaml"), ",")[0]
		if tag == "" || tag == "-" {
			continue
		}
		known[tag] = sf
		names = append(names, tag)
	}
	return known, names
}

// unknownKey says that a key is not read, with the nearest known key when one is
// close, else the whole list.
func unknownKey(key, where string, names []string) string {
	msg := strings.TrimSpace(fmt.Sprintf("khóa %q không dùng được %s", key, where))
	if s := textfold.Closest(key, names); s != "" {
		return msg + fmt.Sprintf(" (có phải %q?)", s)
	}
	return msg + "; các khóa dùng được: " + strings.Join(names, ", ")
}
