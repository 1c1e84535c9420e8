package schema

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io/fs"
	"strings"

	"canbo/pipeline/textfold"

	"go.yaml.in/yaml/v3"
)

// The configuration files Load reads, and what each decodes into.
const (
	FileSchema   = "schema.yaml"
	FileVocab    = "vocabularies.yaml"
	FileTraining = "training.yaml"
	FileLayout   = "layout.yaml"

	FileTargets   = "targets.yaml"
	FileStandards = "standards.yaml"
	FileReport    = "report.yaml"
	FileServe     = "serve.yaml"
)

// Files lists every file a configuration folder must have.
var Files = []string{FileSchema, FileVocab, FileTraining, FileLayout}

// OptionalFiles are read when present: targets, standards, the report settings,
// the unattended mode's settings, pinned layouts and the units registry.
var OptionalFiles = []string{FileTargets, FileStandards, FileReport, FileServe, FileLayouts, FileUnits, FileForms}

// Problem is one mistake in the configuration, at a position.
type Problem struct {
	Pos Pos
	Msg string
}

func (p Problem) String() string { return p.Pos.String() + ": " + p.Msg }

// Problems is every mistake found by Load; it is an error.
type Problems []Problem

func (ps Problems) Error() string {
	lines := make([]string, len(ps))
	for i, p := range ps {
		lines[i] = p.String()
	}
	return strings.Join(lines, "\n")
}

type loader struct {
	fsys     fs.FS
	dir      string // shown in positions: "config"
	problems Problems
	digest   hash.Hash // of every file read: Config.Digest
}

func (l *loader) add(pos Pos, format string, args ...any) {
	l.problems = append(l.problems, Problem{Pos: pos, Msg: fmt.Sprintf(format, args...)})
}

// Load reads a configuration folder. dir is only used to name files in messages
// ("config/schema.yaml:3:1"). On any problem it returns Problems, and a nil Config
// unless every problem is in an optional file (targets, standards, report, serve):
// then the Config comes back too, for further checking only.
func Load(fsys fs.FS, dir string) (*Config, error) {
	l := &loader{fsys: fsys, dir: dir, digest: sha256.New()}
	cfg := &Config{}
	var vocabs map[string]*Vocabulary
	l.file(FileSchema, &cfg.Schema)
	l.file(FileVocab, &vocabs)
	l.file(FileTraining, &cfg.Training)
	l.file(FileLayout, &cfg.Layout)
	l.optional(FileTargets, &cfg.Targets)
	l.optional(FileStandards, &cfg.Standards)
	l.optional(FileReport, &cfg.Report)
	l.optional(FileServe, &cfg.Serve)
	l.optional(FileLayouts, &cfg.Layouts)
	l.optional(FileUnits, &cfg.Units)
	l.optional(FileForms, &cfg.Forms)
	l.unknownFiles()
	cfg.Vocab = vocabs
	cfg.Digest = hex.EncodeToString(l.digest.Sum(nil))
	if cfg.Vocab == nil {
		cfg.Vocab = map[string]*Vocabulary{}
	}
	l.setFiles(cfg)
	cfg.index()
	if l.coreOK() {
		l.check(cfg) // also when only optional files have problems: report them all
	}
	if len(l.problems) > 0 {
		l.problems.Sort()
		if l.coreOK() {
			// Only the optional files have problems: the configuration is returned
			// with them so `config check` can check the rules too and print every
			// problem at once. Callers that run must not use it.
			cfg.Layout.defaults()
			cfg.indexDerived()
			return cfg, l.problems
		}
		return nil, l.problems
	}
	cfg.Layout.defaults()
	cfg.indexDerived()
	return cfg, nil
}

// coreOK reports whether no problem is in a required file, so that fields and
// vocabularies can be trusted.
func (l *loader) coreOK() bool {
	for _, p := range l.problems {
		for _, f := range Files {
			if p.Pos.File == l.path(f) {
				return false
			}
		}
	}
	return true
}

func (l *loader) path(name string) string {
	if l.dir == "" {
		return name
	}
	return l.dir + "/" + name
}

func (l *loader) unknownFiles() {
	entries, err := fs.ReadDir(l.fsys, ".")
	if err != nil {
		return
	}
	known := map[string]bool{}
	for _, f := range append(Files, OptionalFiles...) {
		known[f] = true
	}
	for _, e := range entries {
		n := e.Name()
		if e.IsDir() || !(strings.HasSuffix(n, ".yaml") || strings.HasSuffix(n, ".yml")) {
			continue
		}
		if !known[n] {
			all := append(append([]string{}, Files...), OptionalFiles...)
			if s := textfold.Closest(n, all); s != "" {
				l.add(Pos{File: l.path(n)}, "tệp cấu hình không được dùng (có phải %s?)", s)
				continue
			}
			l.add(Pos{File: l.path(n)}, "tệp cấu hình không được dùng; các tệp đọc được là %s", strings.Join(all, ", "))
		}
	}
}

// optional decodes a file that may be absent.
func (l *loader) optional(name string, v any) {
	if _, err := fs.Stat(l.fsys, name); errors.Is(err, fs.ErrNotExist) {
		return
	}
	l.file(name, v)
}

// file decodes one YAML file into v, reporting syntax errors, unknown keys and type
// errors with their positions.
func (l *loader) file(name string, v any) {
	data, err := fs.ReadFile(l.fsys, name)
	fmt.Fprintf(l.digest, "%s\x00%d\x00", name, len(data))
	l.digest.Write(data)
	pos := Pos{File: l.path(name)}
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			l.add(pos, "thiếu tệp cấu hình này")
		} else {
			l.add(pos, "không đọc được: %v", err)
		}
		return
	}
	l.problems = append(l.problems, Decode(pos.File, data, v)...)
}

// decodeAt decodes a node into v (a pointer to a plain alias type) and records the
// node's position; the file is filled in later by setFiles.
func decodeAt(n *yaml.Node, v any, pos *Pos) error {
	*pos = Pos{Line: n.Line, Col: n.Column}
	return n.Decode(v)
}

// UnmarshalYAML records where the field was written.
func (f *Field) UnmarshalYAML(n *yaml.Node) error {
	type plain Field
	return decodeAt(n, (*plain)(f), &f.Pos)
}

// UnmarshalYAML records where the part was written.
func (p *Part) UnmarshalYAML(n *yaml.Node) error {
	type plain Part
	return decodeAt(n, (*plain)(p), &p.Pos)
}

// UnmarshalYAML records where the derived field was written.
func (d *Derived) UnmarshalYAML(n *yaml.Node) error {
	type plain Derived
	return decodeAt(n, (*plain)(d), &d.Pos)
}

// UnmarshalYAML records where the dataset was written.
func (d *Dataset) UnmarshalYAML(n *yaml.Node) error {
	type plain Dataset
	return decodeAt(n, (*plain)(d), &d.Pos)
}

// UnmarshalYAML records where the vocabulary was written.
func (v *Vocabulary) UnmarshalYAML(n *yaml.Node) error {
	type plain Vocabulary
	return decodeAt(n, (*plain)(v), &v.Pos)
}

// UnmarshalYAML records where the value was written.
func (v *Value) UnmarshalYAML(n *yaml.Node) error {
	type plain Value
	return decodeAt(n, (*plain)(v), &v.Pos)
}

// UnmarshalYAML records where the rule was written.
func (r *TrainingRule) UnmarshalYAML(n *yaml.Node) error {
	type plain TrainingRule
	return decodeAt(n, (*plain)(r), &r.Pos)
}

// UnmarshalYAML records where the name field was written.
func (f *NameField) UnmarshalYAML(n *yaml.Node) error {
	type plain NameField
	return decodeAt(n, (*plain)(f), &f.Pos)
}

// UnmarshalYAML records where the rule set was written.
func (r *RuleSet) UnmarshalYAML(n *yaml.Node) error {
	type plain RuleSet
	return decodeAt(n, (*plain)(r), &r.Pos)
}

// UnmarshalYAML records where the target and each of its expressions were written.
func (t *Target) UnmarshalYAML(n *yaml.Node) error {
	type plain Target
	t.PopulationPos = valuePos(n, "population")
	t.CountedPos = valuePos(n, "counted")
	t.ThresholdPos = valuePos(n, "threshold")
	return decodeAt(n, (*plain)(t), &t.Pos)
}

// UnmarshalYAML records where the standard and its expression were written.
func (s *Standard) UnmarshalYAML(n *yaml.Node) error {
	type plain Standard
	s.AppliesToPos = valuePos(n, "applies_to")
	return decodeAt(n, (*plain)(s), &s.Pos)
}

// UnmarshalYAML records where the requirement was written.
func (r *Require) UnmarshalYAML(n *yaml.Node) error {
	type plain Require
	return decodeAt(n, (*plain)(r), &r.Pos)
}

// UnmarshalYAML records where the unattended-mode settings and each of their
// values were written.
func (s *Serve) UnmarshalYAML(n *yaml.Node) error {
	type plain Serve
	s.keys = map[string]Pos{}
	keyPositions(n, "", s.keys)
	return decodeAt(n, (*plain)(s), &s.Pos)
}

// UnmarshalYAML records where the report settings were written.
func (r *Report) UnmarshalYAML(n *yaml.Node) error {
	type plain Report
	return decodeAt(n, (*plain)(r), &r.Pos)
}

// valuePos is the position of a mapping's value for key, so that an error inside an
// expression can point at its column.
func valuePos(n *yaml.Node, key string) Pos {
	if n.Kind != yaml.MappingNode {
		return Pos{}
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			v := n.Content[i+1]
			return Pos{Line: v.Line, Col: v.Column}
		}
	}
	return Pos{}
}

func (l *loader) setFiles(c *Config) {
	tg, st := l.path(FileTargets), l.path(FileStandards)
	for _, rs := range c.Targets.RuleSets {
		rs.Pos.File = tg
		for _, t := range rs.Targets {
			t.Pos.File, t.PopulationPos.File, t.CountedPos.File, t.ThresholdPos.File = tg, tg, tg, tg
		}
	}
	for _, s := range c.Standards.Standards {
		s.Pos.File, s.AppliesToPos.File = st, st
		for _, r := range s.Requires {
			r.Pos.File = st
		}
	}
	c.Report.Pos.File = l.path(FileReport)
	c.Serve.Pos.File = l.path(FileServe)
	for _, p := range c.Layouts.Pins {
		p.Pos.File = l.path(FileLayouts)
	}
	l.setUnitFiles(&c.Units)
	l.setFormFiles(&c.Forms)
	sf, vf, tf := l.path(FileSchema), l.path(FileVocab), l.path(FileTraining)
	for _, f := range c.Schema.Fields {
		f.Pos.File = sf
		for _, p := range f.Parts {
			p.Pos.File = sf
		}
	}
	for _, d := range c.Schema.Derived {
		d.Pos.File = sf
	}
	for _, d := range c.Schema.Datasets {
		d.Pos.File = sf
	}
	for _, v := range c.Vocab {
		v.Pos.File = vf
		for _, val := range v.Values {
			val.Pos.File = vf
		}
	}
	for _, r := range c.Training.Rules {
		r.Pos.File = tf
	}
	for _, f := range c.Training.FromName {
		f.Pos.File = tf
	}
}

func (lay *Layout) defaults() {
	if lay.HeaderSearchRows <= 0 {
		lay.HeaderSearchRows = 40
	}
	if lay.MaxHeaderRows <= 0 {
		lay.MaxHeaderRows = 4
	}
	if lay.MinAge <= 0 {
		lay.MinAge = 16
	}
	if lay.MaxAge <= 0 {
		lay.MaxAge = 80
	}
	if lay.NameMaxWords <= 0 {
		lay.NameMaxWords = 7
	}
}
