package units

import (
	"strings"
	"unicode/utf8"

	"canbo/pipeline/textfold"
)

// Entry is one registered unit as matching needs it: its official name, its other
// spellings, the name (or other spelling) of the unit above it ("" for a top unit)
// and the group it is reported under. pipeline/schema makes them from units.yaml, in
// the file's order, which is the order of Registry's indexes.
//
// Two units of different groups may share a name: before 2025 a province had a "xã
// Tân Lập" in several districts, each district a group. A name found in a file then
// means the unit of the file's group (Match).
type Entry struct {
	Name    string
	Aliases []string
	Parent  string
	Group   string
}

// Registry finds registered units by the names found in files.
type Registry struct {
	entries []Entry
	byKey   map[string][]int // Key of every name and alias → units (of different groups)
	// byVariant is a registered name's or alias's base, level and place (Split) →
	// unit, -1 when two units share them; byPlace is the same without the level.
	byVariant, byPlace map[string]int
	byBase             map[string][]int // Key of an unqualified name or alias → units
	parent             []int            // unit → the unit above it, -1 for none
}

// ConflictKind is what is wrong with a registry entry.
type ConflictKind int

const (
	// Duplicate: a name or alias folds to the key of an earlier one (Other,
	// OtherAlias), so a file's name could not tell the two apart.
	Duplicate ConflictKind = iota + 1
	// EmptyName: the official name or an alias is empty.
	EmptyName
	// UnknownParent: the parent names no registered unit; Suggestion is the closest
	// registered unit, -1 for none.
	UnknownParent
	// Cycle: following parents from the unit comes back to it; Other is the unit
	// whose parent closes the loop.
	Cycle
)

// Conflict is one mistake in the entries given to New. Alias is the index of the
// alias concerned, -1 for the official name; likewise OtherAlias for Other.
type Conflict struct {
	Kind              ConflictKind
	Unit, Alias       int
	Other, OtherAlias int
	Suggestion        int
}

// New builds a registry and reports every conflict among the entries. The registry
// is usable whatever the conflicts (a duplicate name resolves to its first unit, an
// unknown parent is none), so `config check` can go on and report everything.
func New(entries []Entry) (*Registry, []Conflict) {
	r := &Registry{
		entries:   entries,
		byKey:     map[string][]int{},
		byVariant: map[string]int{},
		byPlace:   map[string]int{},
		byBase:    map[string][]int{},
		parent:    make([]int, len(entries)),
	}
	var cs []Conflict
	type ref struct{ unit, alias int }
	first := map[string]ref{} // Key and group → where first written
	for i, e := range entries {
		for a, n := range append([]string{e.Name}, e.Aliases...) {
			a-- // -1 for the name
			k := Key(n)
			if k == "" {
				cs = append(cs, Conflict{Kind: EmptyName, Unit: i, Alias: a, Other: -1, OtherAlias: -1, Suggestion: -1})
				continue
			}
			if prev, dup := first[k+"\x00"+e.Group]; dup {
				cs = append(cs, Conflict{Kind: Duplicate, Unit: i, Alias: a, Other: prev.unit, OtherAlias: prev.alias, Suggestion: -1})
				continue
			}
			first[k+"\x00"+e.Group] = ref{i, a}
			if us := r.byKey[k]; len(us) == 0 || us[len(us)-1] != i {
				r.byKey[k] = append(us, i)
			}
			s := Split(n)
			if !s.Qualified() {
				bk := strings.ReplaceAll(s.Base, " ", "")
				r.byBase[bk] = append(r.byBase[bk], i)
				continue
			}
			bp := s.Base + "\x00" + s.Place
			for _, m := range []struct {
				m map[string]int
				k string
			}{{r.byVariant, bp + "\x00" + s.Level}, {r.byPlace, bp}} {
				if j, ok := m.m[m.k]; ok && j != i {
					m.m[m.k] = -1
				} else {
					m.m[m.k] = i
				}
			}
		}
	}
	for i, e := range entries {
		r.parent[i] = -1
		if strings.TrimSpace(e.Parent) == "" {
			continue
		}
		if j := r.pick(r.byKey[Key(e.Parent)], e.Group); j >= 0 {
			r.parent[i] = j
			continue
		}
		cs = append(cs, Conflict{Kind: UnknownParent, Unit: i, Alias: -1, Other: -1, OtherAlias: -1, Suggestion: r.Suggest(e.Parent)})
	}
	// A cycle is reported once, at the unit of the loop met first in file order.
	state := make([]int8, len(entries)) // 0 unvisited, 1 on the current path, 2 done
	for i := range entries {
		var path []int
		j := i
		for j >= 0 && state[j] == 0 {
			state[j] = 1
			path = append(path, j)
			j = r.parent[j]
		}
		if j >= 0 && state[j] == 1 {
			closer := path[len(path)-1]
			cs = append(cs, Conflict{Kind: Cycle, Unit: j, Alias: -1, Other: closer, OtherAlias: -1, Suggestion: -1})
			r.parent[closer] = -1 // so that walking up always ends
		}
		for _, p := range path {
			state[p] = 2
		}
	}
	return r, cs
}

// Len is the number of registered units.
func (r *Registry) Len() int {
	if r == nil {
		return 0
	}
	return len(r.entries)
}

// Name is the official name of registered unit i.
func (r *Registry) Name(i int) string { return r.entries[i].Name }

// Group is the group registered unit i is reported under, "" for any.
func (r *Registry) Group(i int) string { return r.entries[i].Group }

// Covers reports whether the registry speaks for the units of a group: it has a
// unit of that group, or a unit of no group. Names found in a group it does not
// cover are not matched against it: a registry of one province's districts must not
// rename, or report missing, the units of a folder it knows nothing of.
func (r *Registry) Covers(group string) bool {
	for i := range r.entries {
		if g := r.entries[i].Group; g == "" || g == group {
			return true
		}
	}
	return false
}

// Parent is the index of the unit above unit i, -1 for none.
func (r *Registry) Parent(i int) int { return r.parent[i] }

// How says how a name was matched to a registered unit.
type How int

const (
	Unknown   How = iota // not registered
	ByName               // its key is the official name's
	ByAlias              // its key is an alias's
	ByVariant            // it names a registered name's unit and place in other words
	ByParent             // its qualifier names the place of the unit's parent
)

// Match is what the registry says of a name found in a file.
type Match struct {
	Unit       int // registered unit, -1 when unknown
	How        How
	Suggestion int // for an unknown name: the closest registered unit, -1 for none
	// Ambiguous lists, for a name registered in several groups but not in the file's,
	// the units it could mean: the report asks for the commune's district or an alias
	// rather than suggesting one of them.
	Ambiguous []int
}

// Match finds the registered unit a name found in a file of a group means:
//
//  1. the official name or an alias with the same Key (of the group's unit when
//     units of several groups have that name);
//  2. for a name with a place qualifier (Split), a registered name or alias for the
//     same unit and place: "UBND xã Đăk Kôi - Kon Rẫy" finds "Xã Đăk Kôi, huyện Kon
//     Rẫy" (when the level is not written, only if the registry has one level there);
//  3. for a qualified name, the one registered unit of that name without qualifier
//     whose parent's name ends with the place: "UBND xã Đăk Kôi, huyện Kon Rẫy"
//     finds "Xã Đăk Kôi" registered under "UBND huyện Kon Rẫy", never a "Xã Đăk Kôi"
//     under another district, whatever the file's group.
//
// Otherwise the name is unknown, with the closest registered name as a suggestion.
func (r *Registry) Match(name, group string) Match { return r.Find(name, group, true) }

// Find is Match, with the suggestion for an unknown name only when suggest is set:
// a suggestion compares the name with every registered one, which a caller facing
// a flood of unknown names (a shifted column) limits.
func (r *Registry) Find(name, group string, suggest bool) Match {
	if r.Len() == 0 {
		return Match{Unit: -1, Suggestion: -1}
	}
	same := r.byKey[Key(name)]
	if i := r.pick(same, group); i >= 0 {
		how := ByAlias
		if Key(r.entries[i].Name) == Key(name) {
			how = ByName
		}
		return Match{Unit: i, How: how, Suggestion: -1}
	}
	if s := Split(name); s.Qualified() {
		bp := s.Base + "\x00" + s.Place
		m, k := r.byPlace, bp
		if s.Level != "" {
			m, k = r.byVariant, bp+"\x00"+s.Level
		}
		if i, ok := m[k]; ok && i >= 0 {
			return Match{Unit: i, How: ByVariant, Suggestion: -1}
		}
		found := -1
		for _, i := range r.byBase[strings.ReplaceAll(s.Base, " ", "")] {
			if p := r.parent[i]; p >= 0 && endsWithPlace(r.entries[p].Name, s.Place) {
				if found >= 0 {
					found = -2 // two units of that name under that place's units
					break
				}
				found = i
			}
		}
		if found >= 0 {
			return Match{Unit: found, How: ByParent, Suggestion: -1}
		}
	}
	if len(same) > 1 {
		return Match{Unit: -1, Suggestion: -1, Ambiguous: same}
	}
	if !suggest {
		return Match{Unit: -1, Suggestion: -1}
	}
	return Match{Unit: -1, Suggestion: r.Suggest(name)}
}

// pick chooses among the units of one name: the only one, else the one of group,
// else none (-1): a name that several groups' units bear does not say which from
// another group.
func (r *Registry) pick(us []int, group string) int {
	if len(us) == 1 {
		return us[0]
	}
	for _, i := range us {
		if r.entries[i].Group == group {
			return i
		}
	}
	return -1
}

// endsWithPlace reports whether a unit's name ends with the folded place name:
// "UBND huyện Kon Rẫy" ends with "kon ray".
func endsWithPlace(unit, place string) bool {
	k := textfold.UnitKey(unit)
	return k == place || strings.HasSuffix(k, " "+place)
}

// Suggest returns the registered unit whose name or alias is closest to name, -1
// when none is close enough (MaxEdits). A qualified name is also compared by its
// unit alone, so "UBND xã Đăk Kôi, huyện Kon Rẫy" suggests a registered "Xã Đăk
// Kôi" after 2025, when the registry no longer has districts.
func (r *Registry) Suggest(name string) int {
	if r.Len() == 0 {
		return -1
	}
	keys := []string{Key(name)}
	if s := Split(name); s.Qualified() {
		keys = append(keys, strings.ReplaceAll(s.Base, " ", ""))
	}
	lens := make([]int, len(keys))
	for i, q := range keys {
		lens[i] = utf8.RuneCountInString(q)
	}
	best, bestD := -1, 0
	for k, us := range r.byKey {
		i := us[0]
		max := MaxEdits(k)
		n := utf8.RuneCountInString(k)
		for qi, q := range keys {
			if d := lens[qi] - n; d > max || -d > max {
				continue // too far by length alone: spares Distance's allocations
			}
			d := textfold.Distance(q, k, max)
			if d > max {
				continue
			}
			// Nearest wins; at equal distance the unit written first in units.yaml,
			// so that the suggestion does not depend on map order.
			if best < 0 || d < bestD || (d == bestD && i < best) {
				best, bestD = i, d
			}
		}
	}
	return best
}

// MaxEdits is how far (in edits of folded letters, Key) a name may be from a
// registered name for that name to be suggested: one edit per eight letters, at least
// one and at most three. A typo costs one or two edits ("Ngọk"/"Ngọc", "Kroong"/
// "Krong"), while two communes of one province often differ by a few letters of a
// short name ("Đăk Na", "Đăk Ang"): one edit in a short name is a typo, three are
// another commune. Long names ("Sở Lao động - Thương binh và Xã hội") take more
// typos before they stop being recognisable, but no more than three, so that a
// suggestion is never a guess. A wrong suggestion costs a clerk a question; it never
// merges units, which only a match does.
func MaxEdits(key string) int {
	return min(max(utf8.RuneCountInString(key)/8, 1), 3)
}
