package history

import (
	"strconv"

	"canbo/pipeline/summary"
	"canbo/pipeline/textfold"
	"canbo/pipeline/units"
)

// unitIDs says which unit each unit name of the periods compared is: the key
// units.Identities gives it among all their names, after the folded group. A period
// stores its units by the names its report showed, and those change while the unit
// does not: a report made before the units registry showed "UBND xã Đăk Kôi - Kon
// Rẫy" where the next shows the registered "Xã Đăk Kôi"; a unit renamed in the
// registry is shown by its new name, its old one kept as an alias. Keys are worked
// out when periods are read, never stored, so the registry of the report being made
// speaks for every period, and a database written before it needs no migration.
type unitIDs map[units.Named]string

// newUnitIDs identifies the units of the given periods (nil ones skipped) and the
// extra names, under reg (nil or empty: names and their obvious variants only).
func newUnitIDs(reg *units.Registry, periods []*summary.Summary, extra ...units.Named) unitIDs {
	ids := unitIDs{}
	var names []units.Named
	add := func(n units.Named) {
		if _, ok := ids[n]; !ok {
			ids[n] = ""
			names = append(names, n)
		}
	}
	for _, s := range periods {
		if s != nil {
			for _, u := range s.Units {
				add(units.Named{Group: u.Group, Name: u.Unit})
			}
		}
	}
	for _, n := range extra {
		add(n)
	}
	for i, k := range units.Identities(reg, names) {
		ids[names[i]] = textfold.Key(names[i].Group) + "\x00" + k
	}
	return ids
}

// unit is the key of a unit name of a group; a name not given to newUnitIDs is known
// by its folded name.
func (ids unitIDs) unit(group, name string) string {
	if k, ok := ids[units.Named{Group: group, Name: name}]; ok {
		return k
	}
	return textfold.Key(group) + "\x00?" + textfold.UnitKey(name)
}

// targetKeys is the key of each of s's targets across periods: its id and its unit's
// key. A target names its unit without the group; the unit is the one of s's units
// of that name. A name that s lists in several groups as different units (two
// districts' "Xã Tân Lập"), or not at all, is known by its folded name and its
// occurrence among the target's results of that name, as before the registry.
func (ids unitIDs) targetKeys(s *summary.Summary) []string {
	byName := map[string][]string{} // unit name → the distinct keys of s's units of that name
	for _, u := range s.Units {
		k := ids.unit(u.Group, u.Unit)
		if ks := byName[u.Unit]; len(ks) == 0 || (len(ks) == 1 && ks[0] != k) {
			byName[u.Unit] = append(ks, k)
		}
	}
	out := make([]string, len(s.Targets))
	nth := map[string]int{}
	for i, t := range s.Targets {
		switch ks := byName[t.Unit]; {
		case t.Unit == "":
			out[i] = t.ID + "\x00"
		case len(ks) == 1:
			out[i] = t.ID + "\x00" + ks[0]
		default:
			k := t.ID + "\x00?" + textfold.UnitKey(t.Unit)
			out[i] = k + "\x00" + strconv.Itoa(nth[k])
			nth[k]++
		}
	}
	return out
}

// sumUnits adds up the entries of one unit that a period lists more than once: a
// period recorded before its spellings were merged ("UBND xã Đăk Kôi, huyện Kon
// Rẫy" and "UBND xã Đăk Kôi - Kon Rẫy", one commune) compares as one unit with the
// next. The first entry names it; only the headcount is kept (what Compare uses).
func sumUnits(list []summary.Unit, key func(summary.Unit) string) ([]summary.Unit, []string) {
	out := make([]summary.Unit, 0, len(list))
	keys := make([]string, 0, len(list))
	at := map[string]int{}
	for _, u := range list {
		k := key(u)
		if i, ok := at[k]; ok {
			out[i] = summary.Unit{Unit: out[i].Unit, Group: out[i].Group, Headcount: out[i].Headcount + u.Headcount}
			continue
		}
		at[k] = len(out)
		out = append(out, u)
		keys = append(keys, k)
	}
	return out, keys
}

// sumTargets adds up, as sumUnits, the results of one target for one unit that a
// period lists more than once: population and count add up, and share, met and
// shortfall are those of the sums.
func sumTargets(list []summary.Target, keys []string) ([]summary.Target, []string) {
	out := make([]summary.Target, 0, len(list))
	outKeys := make([]string, 0, len(list))
	at := map[string]int{}
	for i, t := range list {
		if j, ok := at[keys[i]]; ok {
			out[j] = addTarget(out[j], t)
			continue
		}
		at[keys[i]] = len(out)
		out = append(out, t)
		outKeys = append(outKeys, keys[i])
	}
	return out, outKeys
}

// addTarget is the result of one target over the people of a and b together.
func addTarget(a, b summary.Target) summary.Target {
	a.Population += b.Population
	a.Count += b.Count
	a.Failed += b.Failed
	a.Share = summary.Share(a.Count, a.Population)
	// Thresholds are stored as fractions ("0.7"); the shortest text of the float is
	// the decimal the office wrote, so the result is exact as the report's.
	r, err := summary.ParseRatio(strconv.FormatFloat(a.Threshold, 'f', -1, 64))
	switch {
	case a.Failed > 0:
		a.Met, a.Shortfall = false, 0
	case err != nil:
		a.Met, a.Shortfall = a.Population > 0 && a.Share >= a.Threshold, 0
	default:
		a.Met, a.Shortfall = r.Met(a.Count, a.Population), r.Shortfall(a.Count, a.Population)
	}
	return a
}
