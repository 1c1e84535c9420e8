package schema

import (
	"fmt"
	"path"
	"regexp"
	"strconv"
	"strings"

	"canbo/pipeline/textfold"

	"go.yaml.in/yaml/v3"
)

// FileLayouts is the optional file that pins units' layouts.
const FileLayouts = "layouts.yaml"

// Layouts is layouts.yaml: layouts an office pins for files canbo misreads. A pin is
// the last resort, for one unit's file: the general rules (docs/reading.md) read most
// files, and a pin keyed to one file's strings helps that file only.
type Layouts struct {
	Pins []*Pin `yaml:"pins"`
}

// Pin fixes how the files whose name matches File are read. Every key but File is
// optional; what a pin leaves out canbo still finds itself.
type Pin struct {
	File       string                       `yaml:"file"`        // file name pattern: * and ? as in a file search, case and diacritics ignored
	Sheet      string                       `yaml:"sheet"`       // read only this sheet
	Dataset    string                       `yaml:"dataset"`     // roster or training
	HeaderRows []int                        `yaml:"header_rows"` // the header, consecutive rows
	Unit       string                       `yaml:"unit"`        // the unit, whatever the title says
	Columns    map[string]string            `yaml:"columns"`     // column letter → field code, or "-" for a column not read
	SkipRows   []string                     `yaml:"skip_rows"`   // rows that are not people: "8", "11-12"
	LeftRows   []string                     `yaml:"left_rows"`   // rows of people who left: read, not counted
	Values     map[string]map[string]string `yaml:"values"`      // field → value as the file writes it → code ("1" → nam)
	Pos        Pos                          `yaml:"-"`

	skip, left []RowRange
	pattern    string
}

// RowRange is rows From to To, inclusive.
type RowRange struct{ From, To int }

// Matches reports whether a file name is one the pin is for.
func (p *Pin) Matches(name string) bool {
	ok, err := path.Match(p.pattern, foldName(name))
	return err == nil && ok
}

// Skip reports whether a row is pinned as not a person.
func (p *Pin) Skip(row int) bool { return inRanges(p.skip, row) }

// Left reports whether a row is pinned as a person who left.
func (p *Pin) Left(row int) bool { return inRanges(p.left, row) }

func inRanges(rs []RowRange, row int) bool {
	for _, r := range rs {
		if row >= r.From && row <= r.To {
			return true
		}
	}
	return false
}

// PinFor returns the first pin for a file name, or nil.
func (c *Config) PinFor(name string) *Pin {
	for _, p := range c.Layouts.Pins {
		if p.Matches(name) {
			return p
		}
	}
	return nil
}

// foldName folds a file name for matching: its words folded (no case, no diacritics)
// and run together, so "Chi cục Hải quan*" matches "CHI CUC HAI QUAN KV XI.xlsx".
func foldName(s string) string {
	var b strings.Builder
	for _, w := range textfold.Words(s) {
		b.WriteString(w.Fold)
	}
	return b.String()
}

var (
	columnRE   = regexp.MustCompile(`^[A-Za-z]{1,3}$`)
	rowRangeRE = regexp.MustCompile(`^\s*(\d+)\s*(?:[-–]\s*(\d+))?\s*$`)
)

// pinPattern folds a pin's file pattern: each run of text between wildcards is folded
// like a file name, the wildcards kept.
func pinPattern(p string) string {
	var b strings.Builder
	word := strings.Builder{}
	flush := func() {
		for _, w := range textfold.Words(word.String()) {
			b.WriteString(w.Fold)
		}
		word.Reset()
	}
	for _, r := range p {
		if r == '*' || r == '?' {
			flush()
			b.WriteRune(r)
			continue
		}
		word.WriteRune(r)
	}
	flush()
	return b.String()
}

// UnmarshalYAML records where the pin was written.
func (p *Pin) UnmarshalYAML(n *yaml.Node) error {
	type plain Pin
	return decodeAt(n, (*plain)(p), &p.Pos)
}

func (l *loader) checkPins(c *Config) {
	fields := func() []string {
		var out []string
		for _, f := range c.Schema.Fields {
			out = append(out, f.Code)
		}
		return out
	}()
	for _, p := range c.Layouts.Pins {
		if strings.TrimSpace(p.File) == "" {
			l.add(p.Pos, "bố cục cố định cần \"file\": tên tệp của đơn vị (dùng được * và ?)")
		}
		p.pattern = pinPattern(p.File)
		if _, err := path.Match(p.pattern, ""); err != nil {
			l.add(p.Pos, "\"file\" = %q không phải mẫu tên tệp hợp lệ", p.File)
		}
		if p.Dataset != "" && c.Dataset(p.Dataset) == nil {
			l.add(p.Pos, "\"dataset\" = %q không có; dùng roster (danh sách) hoặc training (sổ đào tạo)", p.Dataset)
		}
		for i, r := range p.HeaderRows {
			if r < 1 || (i > 0 && r != p.HeaderRows[i-1]+1) {
				l.add(p.Pos, "\"header_rows\" phải là các số dòng liền nhau từ 1 trở lên, ví dụ [6, 7]")
				break
			}
		}
		for col, code := range p.Columns {
			if !columnRE.MatchString(col) {
				l.add(p.Pos, "cột %q không hợp lệ; ghi chữ cái cột như A, B, AC", col)
			}
			if code == "-" || code == "" {
				continue
			}
			if c.Field(code) == nil || derivedByCode(c, code) != nil {
				msg := fmt.Sprintf("cột %s: trường %q chưa khai báo trong %s", col, code, FileSchema)
				if s := textfold.Closest(code, fields); s != "" {
					msg += fmt.Sprintf(" (có phải %q?)", s)
				}
				l.add(p.Pos, "%s", msg)
			}
		}
		parse := func(key string, list []string) []RowRange {
			var out []RowRange
			for _, s := range list {
				m := rowRangeRE.FindStringSubmatch(s)
				if m == nil {
					l.add(p.Pos, "%s: %q không phải dòng hay khoảng dòng; ghi \"8\" hoặc \"11-12\"", key, s)
					continue
				}
				from, _ := strconv.Atoi(m[1])
				to := from
				if m[2] != "" {
					to, _ = strconv.Atoi(m[2])
				}
				if from < 1 || to < from {
					l.add(p.Pos, "%s: khoảng dòng %q không hợp lệ", key, s)
					continue
				}
				out = append(out, RowRange{from, to})
			}
			return out
		}
		p.skip, p.left = parse("skip_rows", p.SkipRows), parse("left_rows", p.LeftRows)
		for code, m := range p.Values {
			f := c.Field(code)
			v := c.VocabOf(f)
			if f == nil || v == nil {
				l.add(p.Pos, "values: %q không phải trường có bộ giá trị", code)
				continue
			}
			for raw, want := range m {
				if _, ok := v.Rank(want); !ok {
					l.add(p.Pos, "values: %s %q → %q: mã %q không có trong bộ giá trị %q", code, raw, want, want, v.Code)
				}
			}
		}
	}
}
