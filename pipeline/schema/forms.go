package schema

import (
	"regexp"
	"strings"

	"canbo/pipeline/textfold"

	"go.yaml.in/yaml/v3"
)

// FileForms is the official statistical forms the Excel report fills in.
const FileForms = "forms.yaml"

// Forms is forms.yaml (optional): the official statistical forms (BM01/BNV, BM02/BNV
// of Thông tư 11/2012/TT-BNV …) the office must send, each laid out as the form. It
// is configuration, not Go, because which of our fields fills which form column is a
// judgement an office makes (and revises when a circular replaces the forms), and a
// column our files do not carry must be named as such rather than guessed.
type Forms struct {
	Forms []*Form `yaml:"forms"`
	Pos   Pos     `yaml:"-"`
}

// Form is one form: its sheet, its title block, which units it lists and its
// columns, as a tree of headings whose leaves are counted or left for the clerk.
type Form struct {
	Code   string `yaml:"code"`   // bm01: the key of the unit's counts in summary.json
	Sheet  string `yaml:"sheet"`  // sheet name in the Excel report
	Number string `yaml:"number"` // top-right mark: Biểu mẫu số 01/BNV
	Basis  string `yaml:"basis"`  // under it: Ban hành kèm theo Thông tư số 11/2012/TT-BNV …
	// Title is the form's title; {nam} is replaced by the report period's year.
	Title string `yaml:"title"`
	Unit  string `yaml:"unit"` // Đơn vị tính: người
	// Units says which units the form lists; each unit is on the first form whose
	// selection takes it, a form with rest: true takes the units no other form took.
	Units FormUnits `yaml:"units"`
	// Columns are the headings after Số thứ tự and Tên đơn vị, left to right.
	Columns  []*FormColumn `yaml:"columns"`
	Total    string        `yaml:"total"`   // label of the totals row: Tổng cộng
	Note     string        `yaml:"note"`    // note under the table, before the list of columns left empty
	Date     string        `yaml:"date"`    // date line above the signatures: Ngày … tháng … năm …
	Signers  []FormSigner  `yaml:"signers"` // left to right: NGƯỜI LẬP BẢNG, THỦ TRƯỞNG ĐƠN VỊ
	Pos      Pos           `yaml:"-"`
	TitlePos Pos           `yaml:"-"`
}

// FormUnits selects a form's units: by their level in units.yaml (the reliable way
// when the registry knows the unit), else by how the unit's name begins, folded
// ("UBND xã", "Ủy ban nhân dân phường"), for units the registry does not know.
type FormUnits struct {
	Levels       []string `yaml:"levels"`
	NamePrefixes []string `yaml:"name_prefixes"`
	Rest         bool     `yaml:"rest"`
	Pos          Pos      `yaml:"-"`
}

// FormSigner is one signature block of the footer.
type FormSigner struct {
	Title string `yaml:"title"` // NGƯỜI LẬP BẢNG
	Note  string `yaml:"note"`  // (Ký, họ tên)
}

// FormColumn is one heading. A heading with Columns groups them; a leaf either counts
// the people an expression selects (Count, in the language of targets.yaml) or is
// Missing: the reason our data cannot fill it, shown in the note under the table.
type FormColumn struct {
	Title    string        `yaml:"title"`
	ID       string        `yaml:"id"`      // leaves with count: key in summary.json
	Count    string        `yaml:"count"`   // expression; "true" counts everyone
	Missing  string        `yaml:"missing"` // why the column is left empty
	Columns  []*FormColumn `yaml:"columns"`
	Pos      Pos           `yaml:"-"`
	CountPos Pos           `yaml:"-"`
}

// UnmarshalYAML records where the forms were written.
func (f *Forms) UnmarshalYAML(n *yaml.Node) error {
	type plain Forms
	return decodeAt(n, (*plain)(f), &f.Pos)
}

// UnmarshalYAML records where the form and its title were written.
func (f *Form) UnmarshalYAML(n *yaml.Node) error {
	type plain Form
	f.TitlePos = valuePos(n, "title")
	return decodeAt(n, (*plain)(f), &f.Pos)
}

// UnmarshalYAML records where the selection was written.
func (u *FormUnits) UnmarshalYAML(n *yaml.Node) error {
	type plain FormUnits
	return decodeAt(n, (*plain)(u), &u.Pos)
}

// UnmarshalYAML records where the column and its expression were written.
func (c *FormColumn) UnmarshalYAML(n *yaml.Node) error {
	type plain FormColumn
	c.CountPos = valuePos(n, "count")
	return decodeAt(n, (*plain)(c), &c.Pos)
}

// Leaves are the form's columns that hold figures, left to right.
func (f *Form) Leaves() []*FormColumn {
	var out []*FormColumn
	var walk func([]*FormColumn)
	walk = func(cs []*FormColumn) {
		for _, c := range cs {
			if c == nil {
				continue
			}
			if len(c.Columns) > 0 {
				walk(c.Columns)
				continue
			}
			out = append(out, c)
		}
	}
	walk(f.Columns)
	return out
}

// FormOf is the form that lists a unit, nil when none does: the first form whose
// levels hold the unit's level in units.yaml or whose name prefixes begin its name,
// else the form marked rest.
func (c *Config) FormOf(unit string) *Form {
	// Folded as unit names are matched: "UBND xã", "Ủy ban nhân dân xã" and "Xã" begin
	// alike.
	folded := textfold.UnitKey(unit)
	level := c.Units.levelOf[folded]
	for _, f := range c.Forms.Forms {
		if f == nil {
			continue
		}
		if level != "" {
			for _, l := range f.Units.Levels {
				if l == level {
					return f
				}
			}
			continue // a registered level decides; names only for units without one
		}
		for _, p := range f.Units.NamePrefixes {
			if p := textfold.UnitKey(p); p != "" && (folded == p || strings.HasPrefix(folded, p+" ")) {
				return f
			}
		}
	}
	for _, f := range c.Forms.Forms {
		if f != nil && f.Units.Rest {
			return f
		}
	}
	return nil
}

var formIDRE = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)

// checkForms verifies forms.yaml's structure; package rules compiles the count
// expressions against the schema.
func (l *loader) checkForms(c *Config) {
	codes := map[string]bool{}
	rest := false
	for _, f := range c.Forms.Forms {
		if f == nil {
			continue
		}
		switch {
		case !formIDRE.MatchString(f.Code):
			l.add(f.Pos, "biểu mẫu thiếu \"code\" hoặc mã %q không hợp lệ: chữ thường không dấu, số, gạch dưới (ví dụ bm01)", f.Code)
		case codes[f.Code]:
			l.add(f.Pos, "mã biểu mẫu %q lặp lại", f.Code)
		}
		codes[f.Code] = true
		if strings.TrimSpace(f.Title) == "" {
			l.add(f.Pos, "biểu mẫu %q thiếu \"title\" (tên biểu in ở đầu trang)", f.Code)
		}
		// Without levels in units.yaml (no registry, or `canbo init`'s empty one) the
		// levels never match and the names decide; a level units.yaml does not declare
		// when it declares some is a mistake.
		for _, lv := range f.Units.Levels {
			if len(c.Units.Levels) > 0 && c.Units.Level(lv) == nil {
				l.add(f.Units.Pos, "units.levels: cấp %q không có trong levels của units.yaml", lv)
			}
		}
		if f.Units.Rest {
			if rest {
				l.add(f.Units.Pos, "chỉ một biểu mẫu được ghi rest: true (nhận các đơn vị còn lại)")
			}
			rest = true
		}
		if len(f.Columns) == 0 {
			l.add(f.Pos, "biểu mẫu %q chưa có cột nào (columns)", f.Code)
		}
		ids := map[string]bool{}
		l.checkFormColumns(f, f.Columns, ids)
	}
}

func (l *loader) checkFormColumns(f *Form, cols []*FormColumn, ids map[string]bool) {
	for _, col := range cols {
		if col == nil {
			continue
		}
		if strings.TrimSpace(col.Title) == "" {
			l.add(col.Pos, "cột thiếu \"title\" (tiêu đề cột như trên biểu mẫu)")
		}
		if len(col.Columns) > 0 {
			if col.Count != "" || col.Missing != "" || col.ID != "" {
				l.add(col.Pos, "cột %q có cột con (columns) nên không ghi id, count hay missing: ghi ở các cột con", col.Title)
			}
			l.checkFormColumns(f, col.Columns, ids)
			continue
		}
		hasCount, hasMissing := strings.TrimSpace(col.Count) != "", strings.TrimSpace(col.Missing) != ""
		switch {
		case hasCount && hasMissing:
			l.add(col.Pos, "cột %q ghi cả count lẫn missing: chọn một (đếm được thì count, không có số liệu thì missing)", col.Title)
		case !hasCount && !hasMissing:
			l.add(col.Pos, "cột %q thiếu count (biểu thức chọn người được đếm, ví dụ gioi_tinh == \"nu\") hoặc missing (lý do để trống)", col.Title)
		case hasCount:
			switch {
			case !formIDRE.MatchString(col.ID):
				l.add(col.Pos, "cột %q thiếu \"id\" hoặc id %q không hợp lệ: chữ thường không dấu, số, gạch dưới (ví dụ nu)", col.Title, col.ID)
			case ids[col.ID]:
				l.add(col.Pos, "id cột %q lặp lại trong biểu mẫu %q", col.ID, f.Code)
			}
			ids[col.ID] = true
		}
	}
}

func (l *loader) setFormFiles(c *Forms) {
	p := l.path(FileForms)
	c.Pos.File = p
	var walk func([]*FormColumn)
	walk = func(cs []*FormColumn) {
		for _, col := range cs {
			if col != nil {
				col.Pos.File, col.CountPos.File = p, p
				walk(col.Columns)
			}
		}
	}
	for _, f := range c.Forms {
		if f != nil {
			f.Pos.File, f.TitlePos.File, f.Units.Pos.File = p, p, p
			walk(f.Columns)
		}
	}
}
