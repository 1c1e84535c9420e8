package ingest

import (
	"path/filepath"
	"testing"
)

// TestGroupOf: a file's group is its folder under the input folder; a folder the
// configuration names keeps its name when the input is that folder itself (or a
// folder inside it), so a report of one district made from its own folder has the
// district's display name and registry; a run from the parent groups as before.
func TestGroupOf(t *testing.T) {
	root := filepath.Join(t.TempDir(), "nop-bao-cao")
	in := func(p ...string) string { return filepath.Join(append([]string{root}, p...)...) }
	known := map[string]bool{"cho-don": true, "kon-tum/dai-hoc": true, "dai-hoc": true}
	for _, tc := range []struct {
		name  string
		arg   string
		file  string
		known map[string]bool
		want  string
	}{
		{"sub-folder of the input", in(), in("cho-don", "a.xlsx"), known, "cho-don"},
		{"two levels", in(), in("kon-tum", "dai-hoc", "a.xlsx"), known, "kon-tum/dai-hoc"},
		{"top of the input", in(), in("a.xlsx"), known, ""},
		{"the input is a named folder", in("cho-don"), in("cho-don", "a.xlsx"), known, "cho-don"},
		{"the input is inside a named folder", in("kon-tum"), in("kon-tum", "dai-hoc", "a.xlsx"), known, "dai-hoc"},
		{"the longer name when the short one is not named", in("kon-tum"), in("kon-tum", "dai-hoc", "a.xlsx"),
			map[string]bool{"kon-tum/dai-hoc": true}, "kon-tum/dai-hoc"},
		{"an unnamed folder stays as it is", in("cho-don"), in("cho-don", "xa", "a.xlsx"), known, "xa"},
		{"a named folder's name only as whole folders", in("cho-don"), in("cho-don", "a.xlsx"),
			map[string]bool{"don": true}, ""},
		{"no configuration", in("cho-don"), in("cho-don", "a.xlsx"), nil, ""},
		{"a file named directly", in("cho-don", "a.xlsx"), in("cho-don", "a.xlsx"), known, ""},
	} {
		if got := groupOf([]string{tc.arg}, tc.file, tc.known); got != tc.want {
			t.Errorf("%s: groupOf(%s, %s) = %q, want %q", tc.name, tc.arg, tc.file, got, tc.want)
		}
	}
}
