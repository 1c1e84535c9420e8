package schema

import (
	"fmt"
	"net/mail"
	"path"
	"slices"
	"strings"

	"canbo/pipeline/textfold"
	"canbo/pipeline/units"

	"go.yaml.in/yaml/v3"
	"golang.org/x/text/unicode/norm"
)

// FileUnits is the units registry: the units the office receives files from.
const FileUnits = "units.yaml"

// Units is units.yaml (optional): the units as the office knows them. Without it
// canbo counts every unit name it finds in the files, merging only obvious variants
// (units.Merge), and the report says the units were not checked against a list.
type Units struct {
	// Levels are the levels of the hierarchy, from the top down: a configuration
	// rather than Go, because the hierarchy changed on 1/7/2025 (tỉnh → sở, ban,
	// ngành and xã, phường, đặc khu; no more huyện) while older files and history
	// still have districts, and the next reform will change it again.
	Levels []*UnitLevel `yaml:"levels"`
	// Units are the registered units, in the order the report lists them.
	Units []*Unit `yaml:"units"`
	Pos   Pos     `yaml:"-"`

	registry *units.Registry // built by checkUnits
	// levelOf is each registered unit's level by the folded official name (the
	// first unit of a name), built by checkUnits: the forms put a unit by it.
	levelOf map[string]string
}

// UnitLevel is one level of the hierarchy.
type UnitLevel struct {
	Code string `yaml:"code"` // what units write in "level": xa
	Name string `yaml:"name"` // what the report shows: Xã, phường, đặc khu
	Pos  Pos    `yaml:"-"`
}

// Unit is one registered unit. Each value remembers where it was written, so that
// `config check` shows a mistake at its line and column.
type Unit struct {
	Name    Written   `yaml:"name"`    // official name: UBND xã Nghĩa Tá
	Aliases []Written `yaml:"aliases"` // other spellings found in files
	Level   Written   `yaml:"level"`   // a levels code
	Parent  Written   `yaml:"parent"`  // name or alias of the unit above, "" for a top unit
	Group   Written   `yaml:"group"`   // report.yaml groups key it is reported under
	// MustSend: the unit must send a file each period; the report names those that
	// did not.
	MustSend bool    `yaml:"must_send"`
	Email    Written `yaml:"email"` // where feedback goes, optional
	// Lists says whose people the unit's files list: ListsStaff (the default, also
	// when empty), its own people and those of the units its rows name, counted by
	// the unit each row names; or ListsLearners, people of other units (a training
	// school's class lists and registers), counted under this unit, with each
	// person's workplace kept as detail. Which unit sent a file is a fact about the
	// sender, known to the office and not written reliably in the file (a class
	// list's unit column holds the learners' workplaces; its title may name only
	// the class), so it is said once here, for every file the unit sends.
	Lists Written `yaml:"lists"`
	// Files are path patterns (path.Match, "/" between folders, from the input
	// folder; case and Unicode form ignored; a pattern without "/" matches the file
	// name in any folder) of files this unit sends whose title and name do not
	// name it: "kon-tum/dai-hoc/*" for a school that drops every class list in one
	// folder. A file matched by no pattern is the unit's when its title, unit
	// column or file name names the unit (the usual case).
	Files []Written `yaml:"files"`
	Pos   Pos       `yaml:"-"`
}

// The values of Unit.Lists.
const (
	ListsStaff    = "staff"    // its own people (and those its rows name)
	ListsLearners = "learners" // people of other units: counted under the sender
)

// ListsLearners reports whether the unit's files list people of other units, to be
// counted under it (Unit.Lists).
func (u *Unit) ListsLearners() bool { return u.Lists.Value == ListsLearners }

// Sends reports whether a file, by its path from the input folder ("/" between
// folders), is one of the unit's Files patterns.
func (u *Unit) Sends(rel string) bool {
	if len(u.Files) == 0 {
		return false
	}
	rel = foldPath(rel)
	base := rel[strings.LastIndex(rel, "/")+1:]
	for _, p := range u.Files {
		pat := foldPath(p.Value)
		name := rel
		if !strings.Contains(pat, "/") {
			name = base
		}
		if ok, err := path.Match(pat, name); ok && err == nil {
			return true
		}
	}
	return false
}

// foldPath writes a path or pattern the way Sends compares them: forward slashes,
// composed Unicode (a Mac writes "ế" decomposed), lower case (Windows file names
// ignore case), no slash around.
func foldPath(p string) string {
	return strings.ToLower(norm.NFC.String(strings.Trim(strings.ReplaceAll(p, `\`, "/"), "/ ")))
}

// UnmarshalYAML records where the registry was written.
func (u *Units) UnmarshalYAML(n *yaml.Node) error {
	type plain Units
	return decodeAt(n, (*plain)(u), &u.Pos)
}

// UnmarshalYAML records where the level was written.
func (l *UnitLevel) UnmarshalYAML(n *yaml.Node) error {
	type plain UnitLevel
	return decodeAt(n, (*plain)(l), &l.Pos)
}

// UnmarshalYAML records where the unit was written.
func (u *Unit) UnmarshalYAML(n *yaml.Node) error {
	type plain Unit
	return decodeAt(n, (*plain)(u), &u.Pos)
}

// Registry is the registry to match the names found in files with. With no
// units.yaml it is empty (Len 0: every name unknown, without suggestion); it may be
// nil for a Config not made by Load, and a nil Registry is empty too.
func (u *Units) Registry() *units.Registry { return u.registry }

// Level returns the level of a code, nil when none.
func (u *Units) Level(code string) *UnitLevel {
	for _, l := range u.Levels {
		if l.Code == code {
			return l
		}
	}
	return nil
}

func (l *loader) setUnitFiles(c *Units) {
	f := l.path(FileUnits)
	c.Pos.File = f
	for _, lv := range c.Levels {
		lv.Pos.File = f
	}
	for _, u := range c.Units {
		u.Pos.File = f
		for _, w := range []*Written{&u.Name, &u.Level, &u.Parent, &u.Group, &u.Email, &u.Lists} {
			w.Pos.File = f
		}
		for i := range u.Aliases {
			u.Aliases[i].Pos.File = f
		}
		for i := range u.Files {
			u.Files[i].Pos.File = f
		}
	}
}

// at is where a value was written, or its unit's position when the key is absent.
func at(w Written, u *Unit) Pos {
	if w.Pos.Line == 0 {
		return u.Pos
	}
	return w.Pos
}

// checkUnits verifies units.yaml and builds its registry: levels, names and aliases
// unique after folding (units.Key, what matching uses), parents that exist and do
// not loop, groups that report.yaml names, email addresses that can be written to.
func (l *loader) checkUnits(c *Config) {
	u := &c.Units
	levelAt := map[string]int{}
	for i, lv := range u.Levels {
		if l.code(lv.Pos, "cấp đơn vị", lv.Code) {
			if _, dup := levelAt[lv.Code]; dup {
				l.add(lv.Pos, "cấp %q viết hai lần; mỗi cấp chỉ viết một lần", lv.Code)
			}
			levelAt[lv.Code] = i
		}
		if strings.TrimSpace(lv.Name) == "" {
			l.add(lv.Pos, "cấp %q thiếu \"name\": tên cấp in ra báo cáo (ví dụ Xã, phường, đặc khu)", lv.Code)
		}
	}
	entries := make([]units.Entry, len(u.Units))
	for i, un := range u.Units {
		e := units.Entry{Name: un.Name.Value, Parent: un.Parent.Value, Group: groupKey(un.Group.Value)}
		for _, a := range un.Aliases {
			e.Aliases = append(e.Aliases, a.Value)
		}
		entries[i] = e
	}
	reg, conflicts := units.New(entries)
	u.registry = reg
	u.levelOf = map[string]string{}
	for _, un := range u.Units {
		if un == nil {
			continue
		}
		k := textfold.UnitKey(un.Name.Value)
		if _, seen := u.levelOf[k]; !seen {
			u.levelOf[k] = un.Level.Value
		}
	}
	name := func(i, alias int) (Written, string) {
		if alias < 0 {
			return u.Units[i].Name, "tên"
		}
		return u.Units[i].Aliases[alias], "tên khác"
	}
	for _, cf := range conflicts {
		un := u.Units[cf.Unit]
		switch cf.Kind {
		case units.EmptyName:
			w, what := name(cf.Unit, cf.Alias)
			if cf.Alias < 0 {
				l.add(at(w, un), "đơn vị thiếu \"name\": ghi tên chính thức của đơn vị, ví dụ name: UBND xã Nghĩa Tá")
			} else {
				l.add(at(w, un), "%s trống trong aliases; xóa dòng này", what)
			}
		case units.Duplicate:
			w, what := name(cf.Unit, cf.Alias)
			ow, owhat := name(cf.Other, cf.OtherAlias)
			where := fmt.Sprintf("dòng %d", ow.Pos.Line)
			if cf.Other == cf.Unit {
				l.add(at(w, un), "%s %q trùng với %s %q của chính đơn vị này (%s) khi bỏ dấu, chữ hoa và \"UBND\"; xóa %s này",
					what, w.Value, owhat, ow.Value, where, what)
				continue
			}
			l.add(at(w, un), "%s %q trùng với %s %q của đơn vị %q (%s) khi bỏ dấu, chữ hoa và \"UBND\": tên trong tệp sẽ không biết là đơn vị nào; nếu là một đơn vị thì gộp làm một, nếu không thì sửa cho khác",
				what, w.Value, owhat, ow.Value, u.Units[cf.Other].Name.Value, where)
		case units.UnknownParent:
			msg := fmt.Sprintf("parent %q không phải tên hay tên khác của đơn vị nào trong %s", un.Parent.Value, FileUnits)
			if cf.Suggestion >= 0 {
				msg += fmt.Sprintf(" (có phải %q?)", reg.Name(cf.Suggestion))
			} else {
				msg += "; thêm đơn vị đó vào units, hoặc bỏ parent nếu đơn vị này là cấp trên cùng"
			}
			l.add(at(un.Parent, un), "%s", msg)
		case units.Cycle:
			closer := u.Units[cf.Other]
			if cf.Other == cf.Unit {
				l.add(at(un.Parent, un), "đơn vị %q là cấp trên của chính nó; sửa parent thành đơn vị cấp trên thật", un.Name.Value)
				continue
			}
			var loop []string
			for j := cf.Unit; ; j = reg.Parent(j) {
				loop = append(loop, fmt.Sprintf("%q", u.Units[j].Name.Value))
				if j == cf.Other {
					break
				}
			}
			l.add(at(closer.Parent, closer), "parent đi thành vòng: %s → %q; một đơn vị không thể là cấp trên của cấp trên nó, sửa parent của một trong các đơn vị này",
				strings.Join(loop, " → "), un.Name.Value)
		}
	}
	var groups []string
	for k := range c.Report.Groups {
		groups = append(groups, groupKey(k))
	}
	slices.Sort(groups)
	var levels []string
	for _, lv := range u.Levels {
		levels = append(levels, lv.Code)
	}
	for i, un := range u.Units {
		if lv := un.Level.Value; lv != "" {
			if _, ok := levelAt[lv]; !ok {
				l.add(at(un.Level, un), "%s", unknownRef("level", lv, "cấp", levels, "levels"))
			} else if p := reg.Parent(i); p >= 0 {
				if pl, ok := levelAt[u.Units[p].Level.Value]; ok && pl >= levelAt[lv] {
					l.add(at(un.Level, un), "cấp %q của %q không thấp hơn cấp %q của đơn vị cấp trên %q; levels viết từ cấp trên xuống, sửa level hoặc parent",
						lv, un.Name.Value, u.Units[p].Level.Value, u.Units[p].Name.Value)
				}
			}
		}
		if g := un.Group.Value; g != "" && c.Report.GroupName(groupKey(g)) == "" {
			l.add(at(un.Group, un), "%s", unknownRef("group", g, "nhóm", groups, FileReport+" groups"))
		}
		switch un.Lists.Value {
		case "", ListsStaff, ListsLearners:
		default:
			msg := fmt.Sprintf("lists: %q không dùng được; ghi %s (tệp của đơn vị là danh sách người của chính nó, như mặc định) hoặc %s (danh sách học viên của đơn vị khác: đếm vào đơn vị này)",
				un.Lists.Value, ListsStaff, ListsLearners)
			if s := textfold.Closest(un.Lists.Value, []string{ListsStaff, ListsLearners}); s != "" {
				msg += fmt.Sprintf(" (có phải %q?)", s)
			}
			l.add(at(un.Lists, un), "%s", msg)
		}
		for _, p := range un.Files {
			if strings.TrimSpace(p.Value) == "" {
				l.add(at(p, un), "files: mẫu đường dẫn trống; xóa dòng này")
			} else if _, err := path.Match(foldPath(p.Value), ""); err != nil {
				l.add(at(p, un), "files: mẫu %q sai cú pháp (dấu [ chưa có dấu ] đóng); ví dụ đúng: kon-tum/dai-hoc/*.xlsx", p.Value)
			}
		}
		if e := strings.TrimSpace(un.Email.Value); e != "" {
			if a, err := mail.ParseAddress(e); err != nil || a.Address != e || !strings.Contains(a.Address[strings.LastIndex(a.Address, "@"):], ".") {
				l.add(at(un.Email, un), "email %q không phải địa chỉ thư điện tử; ghi một địa chỉ như vanthu@soctrang.gov.vn, không kèm tên", e)
			}
		}
	}
}

// groupKey writes a group (input sub-folder) as summary.json's groups[].group does:
// slashes forward, none around, as report.yaml's groups are matched.
func groupKey(g string) string { return strings.ReplaceAll(strings.Trim(g, `/\ `), `\`, "/") }

// unknownRef says that a value refers to nothing declared, with the nearest
// declared one when close, else the list or where to declare it.
func unknownRef(key, value, what string, known []string, where string) string {
	msg := fmt.Sprintf("%s: %s %q chưa khai báo trong %s", key, what, value, where)
	if s := textfold.Closest(value, known); s != "" {
		return msg + fmt.Sprintf(" (có phải %q?)", s)
	}
	if len(known) == 0 {
		return msg + fmt.Sprintf("; thêm %q vào %s trước", value, where)
	}
	return msg + "; dùng được: " + strings.Join(known, ", ")
}
