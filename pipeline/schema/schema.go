// Package schema holds canbo's configuration as Go types: the fields a sheet may carry,
// the vocabularies their values come from, the datasets (roster, training register),
// the rules that classify training courses and the words that tell title, group, total
// and footer rows apart.
//
// The configuration is YAML in one folder (config/ in the repository, embedded in the
// binary as the default). Load reads every file, checks every key and reference, and
// returns all problems at once, each with file:line:column, so `canbo config check`
// can print them together:
//
//	config/schema.yaml:14:5: khóa "lable" không có trong "trường" (có phải "label"?)
//
// A province adds a field, a spelling or a rule by editing YAML, not Go.
package schema

import (
	"fmt"
)

// Field types.
const (
	TypeText    = "text"    // free text, cleaned
	TypeID      = "id"      // digits kept as text (leading zeros matter)
	TypeDate    = "date"    // a calendar date
	TypeBool    = "bool"    // yes/no, "x" marks
	TypeEnum    = "enum"    // one code of a vocabulary
	TypeOrdinal = "ordinal" // one code of an ordered vocabulary
	TypeNumber  = "number"  // a decimal number
)

// Unknown is the code every dimension uses for a missing or unrecognised value.
const Unknown = "chua_xac_dinh"

// Config is the whole configuration.
type Config struct {
	Schema   Schema
	Vocab    map[string]*Vocabulary // by vocabulary code
	Training Training
	Layout   Layout

	Targets   Targets   // targets.yaml (optional)
	Standards Standards // standards.yaml (optional)
	Report    Report    // report.yaml (optional)
	Serve     Serve     // serve.yaml (optional)
	Layouts   Layouts   // layouts.yaml (optional): layouts pinned for units' files
	Units     Units     // units.yaml (optional): the units registry
	Forms     Forms     // forms.yaml (optional): the official statistical forms

	// Digest identifies the configuration's content: the SHA-256 of every file read,
	// with its name. What was read from a workbook with one configuration is reused
	// only with the same (ingest's cache).
	Digest string

	fields map[string]*Field // by field code, built by index()
}

// Pos is a position in a configuration file, for messages.
type Pos struct {
	File      string
	Line, Col int
}

func (p Pos) String() string {
	if p.Line == 0 {
		return p.File
	}
	return fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Col)
}

// Schema is schema.yaml: fields, derived fields, datasets and abbreviations.
type Schema struct {
	Fields   []*Field   `yaml:"fields"`
	Derived  []*Derived `yaml:"derived"`
	Datasets []*Dataset `yaml:"datasets"`
	// Abbreviations are expanded word by word in column headers only ("TT" → "số thứ
	// tự", "CM" → "chuyên môn"): words that mean something else inside a value.
	Abbreviations map[string]string `yaml:"header_abbreviations"`
	// ValueAbbreviations are expanded in headers and in values alike ("BCH" → "Ban Chấp
	// hành", "UV" → "ủy viên"), so "Ủy viên BCH Đảng bộ cấp huyện" reads as its label.
	ValueAbbreviations map[string]string `yaml:"abbreviations"`
	// HeaderIgnore lists words that make a header about something else, whatever field
	// name it also contains: "PC chức vụ" is an allowance, "Họ tên bố" a parent, "Quê
	// quán (xã, huyện)" an address. A header containing one never matches a field by
	// its first words, and a column under a parent header containing one maps to nothing.
	HeaderIgnore []string `yaml:"header_ignore"`
}

// Field is one column a sheet may carry.
type Field struct {
	Code       string   `yaml:"code"`
	Label      string   `yaml:"label"`
	Type       string   `yaml:"type"`
	Vocabulary string   `yaml:"vocabulary"` // for enum, ordinal and bool
	Headers    []string `yaml:"headers"`    // header synonyms, matched folded
	Unmarked   string   `yaml:"unmarked"`   // code meant when the sheet has mark columns for this field and none is marked
	// NotHeaders are words that stop a header from matching this field by its first
	// words: "bồi dưỡng" for chuc_vu, since "Bồi dưỡng chức danh" is a training course.
	NotHeaders []string `yaml:"not_headers"`
	// YearHeaders are headers of a date field that promise only a year ("Năm sinh"):
	// a year alone in such a column is expected, noted once for the column.
	YearHeaders []string `yaml:"year_headers"`
	// Parts are the headers of the pieces a field may be written in, over adjacent
	// columns: "Họ" + "Tên" for the name, "Ngày" + "Tháng" + "Năm" for a date.
	Parts []*Part `yaml:"parts"`
	// Period names the headers of ONE column holding a whole period ("Thời gian học":
	// "Từ 03/2021 đến 06/2021"), for the date field that starts it: the first date of
	// such a cell is this field, the second is the field To names.
	Period *Period `yaml:"period"`
	Pos    Pos     `yaml:"-"`

	Index   int      `yaml:"-"` // position in a record's values: Schema.Fields, then Schema.Derived
	Derived *Derived `yaml:"-"` // set for a derived field
}

// Period is a period written in one column: its headers, and the date field its end
// goes to (the field declaring it takes the start).
type Period struct {
	To      string   `yaml:"to"`
	Headers []string `yaml:"headers"`
}

// Part is one piece of a field written over several columns. A date's parts are day,
// month and year; a text field's parts are joined in column order.
type Part struct {
	Part    string   `yaml:"part"`
	Headers []string `yaml:"headers"`
	Pos     Pos      `yaml:"-"`
}

// Date part names.
const (
	PartDay   = "day"
	PartMonth = "month"
	PartYear  = "year"
)

// Derived is a field computed from another one.
type Derived struct {
	Code       string   `yaml:"code"`
	Label      string   `yaml:"label"`
	Type       string   `yaml:"type"` // bool, number or enum
	From       string   `yaml:"from"`
	TrueUnless []string `yaml:"true_unless"` // bool: true when From has a code not in this list
	Age        bool     `yaml:"age"`         // number: whole years from a date to the as-of date
	Below      *int     `yaml:"below"`       // bool: true when From (a number) is below this
	Bands      []Band   `yaml:"bands"`       // enum: the first band whose Max is ≥ the number
	Pos        Pos      `yaml:"-"`
}

// Band is one age band; a band without Max takes everything above the previous one.
type Band struct {
	Code  string `yaml:"code"`
	Label string `yaml:"label"`
	Max   *int   `yaml:"max"`
}

// Dataset is a kind of table a sheet may hold.
type Dataset struct {
	Code     string   `yaml:"code"`
	Label    string   `yaml:"label"`
	Fields   []string `yaml:"fields"`
	Required []string `yaml:"required"`
	// A sheet holds this dataset when all of IdentifyAll and at least one of IdentifyAny
	// (if given) have columns, and at least MinFields of its fields do.
	IdentifyAll []string `yaml:"identify_all"`
	IdentifyAny []string `yaml:"identify_any"`
	MinFields   int      `yaml:"min_fields"`
	Pos         Pos      `yaml:"-"`
}

// Vocabulary is vocabularies.yaml's entry: the codes a field's values map to.
type Vocabulary struct {
	Code    string   `yaml:"-"`
	Label   string   `yaml:"label"`
	Ordered bool     `yaml:"ordered"` // values are listed lowest first
	Values  []*Value `yaml:"values"`
	Pos     Pos      `yaml:"-"`
}

// Value is one code of a vocabulary with the spellings that mean it.
type Value struct {
	Code    string   `yaml:"code"`
	Label   string   `yaml:"label"`
	Aliases []string `yaml:"aliases"`
	Pos     Pos      `yaml:"-"`
}

// Training is training.yaml: how a course's free-text name is classified.
type Training struct {
	Field     string          `yaml:"field"` // the enum field set, e.g. loai_dao_tao
	From      string          `yaml:"from"`  // the text field read, e.g. khoa_hoc
	Rules     []*TrainingRule `yaml:"rules"`
	Otherwise string          `yaml:"otherwise"` // code when no rule matches
	// FromName are the register's fields read off the course name when the sheet has
	// no column for them: many registers only name the course ("Lớp Trung cấp lý luận
	// chính trị – hành chính K25"), and its level is in the name.
	FromName []*NameField `yaml:"from_name"`
}

// NameField is a field whose value is looked for in a course name: the labels and
// aliases of its vocabulary as whole words after folding, a longer spelling beating
// the shorter ones it contains ("chuyên viên chính" is not "chuyên viên").
type NameField struct {
	Field string `yaml:"field"`
	// Skip are aliases of the vocabulary not looked for in names: short ones that mean
	// something else there ("CC" is also "công chức").
	Skip []string `yaml:"skip"`
	// Not are phrases that say no value though they contain one: "sau đại học" is not
	// đại học.
	Not []string `yaml:"not"`
	Pos Pos      `yaml:"-"`
}

// TrainingRule gives Code to a course whose folded name contains any of Words as whole
// words. Rules are tried in order; the first match wins, so put specific rules first.
type TrainingRule struct {
	Code  string   `yaml:"code"`
	Words []string `yaml:"words"`
	Pos   Pos      `yaml:"-"`
}

// Layout is layout.yaml: how rows around and inside a table are recognised.
type Layout struct {
	HeaderSearchRows int      `yaml:"header_search_rows"` // rows scanned for a header
	MaxHeaderRows    int      `yaml:"max_header_rows"`    // rows one header may span
	TotalWords       []string `yaml:"total_words"`        // a row starting with these is a total
	GroupWords       []string `yaml:"group_words"`        // a row starting with these (and no person data) is a group heading
	FooterWords      []string `yaml:"footer_words"`       // the signature footer starts here
	UnitPrefixes     []string `yaml:"unit_prefixes"`      // title-block lines naming a unit start with these
	AsOfWords        []string `yaml:"as_of_words"`        // "(Tính đến ngày 30/09/2023)"
	UnitUpper        []string `yaml:"unit_keep_upper"`    // words kept in capitals in unit names (UBND)
	UnitLower        []string `yaml:"unit_lower"`         // words written in lower case in unit names (xã, phường)
	MarkWords        []string `yaml:"mark_words"`         // cell texts that mean "marked" in a mark column
	MinAge           int      `yaml:"min_age"`            // youngest plausible age at the as-of date
	MaxAge           int      `yaml:"max_age"`            // oldest plausible age

	SectionWords []string `yaml:"section_words"`  // a name-column text starting with these is a department, not a person ("Phòng …", "Tổ …")
	LeaverWords  []string `yaml:"leaver_words"`   // a section title starting with these lists people who left ("Giảm biên chế")
	NotUnitLines []string `yaml:"not_unit_lines"` // title lines that are never the unit ("Ban hành kèm theo …", "Mẫu số …")
	ListTitles   []string `yaml:"list_titles"`    // a title starting with these may end with the unit ("DANH SÁCH CÁN BỘ TRƯỜNG …")
	ListPeople   []string `yaml:"list_people"`    // the people a list title names before its unit ("cán bộ", "viên chức")
	CourseWords  []string `yaml:"course_words"`   // a list title names a course after these ("… HỌC VIÊN LỚP BỒI DƯỠNG …")
	// RegisterTitles are, by dataset code, words of a list title that say what kind of
	// table it is ("… ĐƯỢC CỬ ĐI ĐÀO TẠO …": training): a table whose columns choose
	// another kind is read by its columns, with a doubt, not silently.
	RegisterTitles   map[string][]string `yaml:"register_titles"`
	ExampleSheets    []string            `yaml:"example_sheets"`    // sheet names of examples and instructions ("Ví dụ", "Hướng dẫn")
	PlaceholderDates []string            `yaml:"placeholder_dates"` // dates typed to fill a cell, not real ones ("01/01/1900")
	Surnames         []string            `yaml:"surnames"`          // family names: a row whose name starts with one is a person
	NameMaxWords     int                 `yaml:"name_max_words"`    // a person's name has at most this many words
	NameTitles       []string            `yaml:"name_titles"`       // honorifics written before a name ("Đ/c", "Ông", "Bà")
}

// Field returns the field or derived field with a code, or nil.
func (c *Config) Field(code string) *Field {
	return c.fields[code]
}

// VocabOf returns the vocabulary of a field, or nil.
func (c *Config) VocabOf(f *Field) *Vocabulary {
	if f == nil || f.Vocabulary == "" {
		return nil
	}
	return c.Vocab[f.Vocabulary]
}

// Dataset returns the dataset with a code, or nil.
func (c *Config) Dataset(code string) *Dataset {
	for _, d := range c.Schema.Datasets {
		if d.Code == code {
			return d
		}
	}
	return nil
}

// Rank returns the position of a code in an ordered vocabulary (0 = lowest) and
// whether the code exists.
func (v *Vocabulary) Rank(code string) (int, bool) {
	for i, val := range v.Values {
		if val.Code == code {
			return i, true
		}
	}
	return 0, false
}

// Label returns the display label of a code, or the code itself.
func (v *Vocabulary) LabelOf(code string) string {
	for _, val := range v.Values {
		if val.Code == code {
			return val.Label
		}
	}
	return code
}

// NumFields is the number of values a record holds: input fields, then derived ones.
func (c *Config) NumFields() int { return len(c.Schema.Fields) + len(c.Schema.Derived) }

// Code is one category of a dimension, for reports.
type Code struct {
	Code, Label string
}

// Codes lists the categories of a dimension (an enum, ordinal or bool field, input or
// derived) in report order, ending with Unknown, which every dimension has.
func (c *Config) Codes(f *Field) []Code {
	var out []Code
	switch {
	case f.Derived != nil && len(f.Derived.Bands) > 0:
		for _, b := range f.Derived.Bands {
			out = append(out, Code{b.Code, b.Label})
		}
	case f.Type == TypeBool && c.VocabOf(f) == nil:
		out = append(out, Code{"true", c.codeLabel("true", "Có")}, Code{"false", c.codeLabel("false", "Không")})
	default:
		if v := c.VocabOf(f); v != nil {
			for _, val := range v.Values {
				out = append(out, Code{val.Code, val.Label})
			}
		}
	}
	return append(out, Code{Unknown, c.codeLabel(Unknown, "Chưa xác định")})
}

// codeLabel is report.yaml's label for a shared code; the fallback keeps a
// configuration without report.yaml readable.
func (c *Config) codeLabel(code, fallback string) string {
	if l := c.Report.CodeLabels[code]; l != "" {
		return l
	}
	return fallback
}

// LabelOf returns the display label of one code of a dimension.
func (c *Config) LabelOf(f *Field, code string) string {
	for _, k := range c.Codes(f) {
		if k.Code == code {
			return k.Label
		}
	}
	return code
}

// indexDerived makes derived fields reachable through Field once the configuration
// is checked (before that, a derived code must not collide with an input field).
func (c *Config) indexDerived() {
	for i, d := range c.Schema.Derived {
		c.fields[d.Code] = &Field{Code: d.Code, Label: d.Label, Type: d.Type, Pos: d.Pos,
			Index: len(c.Schema.Fields) + i, Derived: d}
	}
}

func (c *Config) index() {
	c.fields = make(map[string]*Field, len(c.Schema.Fields))
	for i, f := range c.Schema.Fields {
		f.Index = i
		c.fields[f.Code] = f
	}
	for code, v := range c.Vocab {
		v.Code = code
	}
}
