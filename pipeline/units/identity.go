package units

import (
	"strconv"

	"canbo/pipeline/textfold"
)

// Named is a unit name as found (or as reported) in a group: the group is the input
// sub-folder, as units.yaml's group and the summary's units[].group write it.
type Named struct {
	Group, Name string
}

// Identities tells which of names are one unit, the way counting tells them apart
// (pipeline/facts resolveUnits), for code that must recognise a unit across lists made
// at different times: the history comparing periods, the inbox superseding a unit's
// earlier file. It returns one key per name; names of one unit get the same key,
// names of different units different keys. A key is meaningful only among the keys of
// one call, and it does not include the group (callers that tell groups apart add it).
//
// In a group the registry covers, a name it knows is its registered unit, whatever
// the spelling: an alias, a variant, and the official name of a unit renamed since
// (its old name kept as an alias) all get the unit's key. Every other name of a group
// is one unit with its obvious variants among the group's names (Merge), which
// includes every name with the same textfold.UnitKey. reg may be nil or empty.
func Identities(reg *Registry, names []Named) []string {
	out := make([]string, len(names))
	if reg.Len() == 0 {
		reg = nil
	}
	covers := map[string]bool{}
	var groups []string
	rest := map[string][]int{} // group → indexes of the names the registry does not know
	for i, n := range names {
		c, ok := covers[n.Group]
		if !ok {
			c = reg != nil && reg.Covers(n.Group)
			covers[n.Group] = c
		}
		if c && n.Name != "" {
			if m := reg.Find(n.Name, n.Group, false); m.Unit >= 0 {
				out[i] = "r" + strconv.Itoa(m.Unit)
				continue
			}
		}
		if _, ok := rest[n.Group]; !ok {
			groups = append(groups, n.Group)
		}
		rest[n.Group] = append(rest[n.Group], i)
	}
	for _, g := range groups {
		idx := rest[g]
		list := make([]string, len(idx))
		for j, i := range idx {
			list[j] = names[i].Name
		}
		for j, r := range Merge(list) {
			out[idx[j]] = "n" + textfold.UnitKey(list[r])
		}
	}
	return out
}
