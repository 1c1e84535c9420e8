package reporttext

import (
	"slices"
	"strings"

	"canbo/pipeline/schema"
	"canbo/pipeline/summary"
)

// GroupName is what the report calls a group (an input sub-folder): the name
// report.yaml's groups gives it, or, without one, its units ("UBND xã A và B", or
// its largest unit: "UBND xã A và 18 đơn vị khác"), so that a leader never reads a folder name such as
// "kon-tum/dai-hoc". Files at the top of the input folder (group "") are "Các đơn vị
// khác" (label pdf_no_group).
func (t *Text) GroupName(s *summary.Summary, cfg *schema.Config, group string) string {
	if group == "" {
		return t.Label("pdf_no_group")
	}
	if n := cfg.Report.GroupName(group); n != "" {
		return n
	}
	var units []summary.Unit
	for _, u := range s.Units {
		if u.Group == group && u.Unit != "" {
			units = append(units, u)
		}
	}
	switch len(units) {
	case 0:
		for i, g := range s.Groups {
			if g.Group == group {
				return Fill(t.Label("group_unnamed"), "{so}", Int(i+1))
			}
		}
		return Fill(t.Label("group_unnamed"), "{so}", "")
	case 1:
		return units[0].Unit
	case 2:
		return units[0].Unit + " và " + units[1].Unit
	}
	// The largest unit says best what the group is ("Huyện ủy Kế Sách và 7 đơn vị
	// khác"); the first in the list is only first by name.
	big := units[0]
	for _, u := range units[1:] {
		if u.Headcount > big.Headcount {
			big = u
		}
	}
	return Fill(t.Label("group_units"), "{don_vi}", big.Unit, "{so}", Int(len(units)-1))
}

// UnnamedGroups lists the groups of s that report.yaml gives no display name, for
// `canbo run` to tell the clerk: only the run knows the input's folders, so
// `canbo config check` cannot.
func UnnamedGroups(s *summary.Summary, cfg *schema.Config) []string {
	var out []string
	for _, g := range s.Groups {
		if g.Group != "" && cfg.Report.GroupName(g.Group) == "" {
			out = append(out, g.Group)
		}
	}
	return out
}

// unreported is, for each dimension, the groups whose files do not report it: every
// person of the group is "chưa xác định" and no file of the group has a column the
// dimension is read or derived from (summary.File.Columns). The report then says
// the files do not say, instead of "chưa xác định 100%". A summary without columns
// (an older canbo's) is judged by its problems: none about the field means no
// column, since a bad value is a problem of its cell. The columns decide wherever
// they are known, because a flood of problems is listed only in part. Without
// groups, the whole period is looked at as one group ("" in the result).
func unreported(s *summary.Summary, cfg *schema.Config, dims []string) map[string][]string {
	type scope struct {
		group string
		u     summary.Unit
	}
	var scopes []scope
	if len(s.Groups) > 1 {
		for _, g := range s.Groups {
			scopes = append(scopes, scope{g.Group, g})
		}
	} else {
		scopes = []scope{{"", s.Total}}
	}
	groupOf := map[string]string{} // file name → group
	known := false                 // whether the files say which columns they have
	for _, f := range s.Files {
		groupOf[f.File] = f.Group
		known = known || len(f.Columns) > 0
	}
	out := map[string][]string{}
	for _, dim := range dims {
		f := cfg.Field(dim)
		if f == nil {
			continue
		}
		troubled := map[string]bool{} // groups with a problem about the field
		for _, p := range s.Problems {
			if p.Field == f.Label || p.Field == f.Code {
				troubled[groupOf[p.File]] = true
			}
		}
		sources := sourceFields(cfg, dim)
		columned := map[string]bool{} // groups with a file that has a column for it
		for _, file := range s.Files {
			if file.Status == "accepted" && slices.ContainsFunc(file.Columns, func(c string) bool { return sources[c] }) {
				columned[file.Group] = true
			}
		}
		for _, sc := range scopes {
			n := sc.u.Headcount
			if n == 0 || sc.u.Breakdowns[dim][schema.Unknown] != n {
				continue
			}
			has, bad := columned[sc.group], troubled[sc.group]
			if sc.group == "" { // the whole period
				has, bad = len(columned) > 0, len(troubled) > 0
			}
			if known && has || !known && bad {
				continue // the column is there: its values are to fix, or to fill
			}
			out[dim] = append(out[dim], sc.group)
		}
	}
	return out
}

// rosterDataset is the dataset the breakdowns count (facts.Roster): a training
// register's file has no say in them.
const rosterDataset = "roster"

// partlyUnreported gives, for each dimension, the accepted roster files that have no
// column for it (nor for what it is derived from) although other files of their scope
// have one: all their people are "chưa xác định" for it, and a reader of "chưa xác định
// 886 người (98,34%)" must be told how many of those were never asked rather than
// written wrong. Files of a scope that unreported's missing already names (no file of
// it has the column) are said there. Nil when the files do not say which columns
// they have (a summary made before files[].columns).
func partlyUnreported(s *summary.Summary, cfg *schema.Config, dims []string, missing map[string][]string) map[string][]summary.File {
	if !slices.ContainsFunc(s.Files, func(f summary.File) bool { return len(f.Columns) > 0 }) {
		return nil
	}
	lacks := make([][]string, len(s.Files)) // each file's, worked out once
	for i, f := range s.Files {
		if f.Rows > 0 {
			lacks[i] = LacksColumns(cfg, f)
		}
	}
	out := map[string][]summary.File{}
	for _, dim := range dims {
		gone := missing[dim]
		for i, f := range s.Files {
			if !slices.Contains(lacks[i], dim) || slices.Contains(gone, f.Group) || len(gone) == 1 && gone[0] == "" {
				continue
			}
			out[dim] = append(out[dim], f)
		}
	}
	return out
}

// LacksColumns are the breakdown dimensions (report.yaml's order) an accepted roster
// file has no column for, nor for what they are derived from: its people are all
// "chưa xác định" in them. Nil for another file, or one read before files[].columns.
func LacksColumns(cfg *schema.Config, f summary.File) []string {
	if f.Status != "accepted" || f.Dataset != rosterDataset || len(f.Columns) == 0 {
		return nil
	}
	var out []string
	for _, dim := range cfg.Report.Breakdowns {
		sources := sourceFields(cfg, dim)
		if !slices.ContainsFunc(f.Columns, func(c string) bool { return sources[c] }) {
			out = append(out, dim)
		}
	}
	return out
}

// sourceFields is dim and the fields it is derived from, directly or not (nhóm tuổi
// from tuổi from ngày sinh): a file with a column for any of them reports dim.
func sourceFields(cfg *schema.Config, dim string) map[string]bool {
	out := map[string]bool{}
	for code := dim; code != "" && !out[code]; {
		out[code] = true
		f := cfg.Field(code)
		if f == nil || f.Derived == nil {
			break
		}
		code = f.Derived.From
	}
	return out
}

// joinAnd joins items the Vietnamese way: "A", "A và B", "A, B và C".
func joinAnd(items []string) string {
	switch len(items) {
	case 0:
		return ""
	case 1:
		return items[0]
	}
	return strings.Join(items[:len(items)-1], ", ") + " và " + items[len(items)-1]
}

// quoted puts each title in Vietnamese quotation marks.
func quoted(titles []string) []string {
	out := slices.Clone(titles)
	for i, t := range out {
		out[i] = "“" + t + "”"
	}
	return out
}
