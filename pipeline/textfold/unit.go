package textfold

// UnitKey folds a unit name so that "UBND xã Nghĩa Tá", "Ủy ban nhân dân xã Nghĩa Tá"
// and "Xã Nghĩa Tá" meet: the key by which the reports, the inbox and the history
// tell whether two names are one unit.
func UnitKey(u string) string {
	k := Key(u)
	for _, p := range []string{"ubnd ", "uy ban nhan dan "} {
		if len(k) > len(p) && k[:len(p)] == p {
			return k[len(p):]
		}
	}
	return k
}
