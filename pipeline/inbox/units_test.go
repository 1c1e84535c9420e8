package inbox

import (
	"path/filepath"
	"reflect"
	"slices"
	"testing"
	"time"

	"canbo/pipeline/internal/sheettest"
)

// A unit's new file supersedes its earlier one whatever name each gives the unit, as
// the report counts them: a registered unit under its old name (kept as an alias after
// a rename) and its new one; a unit units.yaml does not know, under two obvious
// variants. The later file goes to the folder the unit was first archived in.
// Without the registry, the renamed unit's two files are two units' files.
func TestSupersedeByRegistryUnit(t *testing.T) {
	f := newFolders(t)
	clock := newClock()
	opt := f.options(t, clock)
	opt.Config = sheettest.ConfigWithUnits(t, `units:
  - name: UBND xã Mới
    aliases: [UBND xã Cũ]
`)
	reg := opt.Config.Units.Registry()
	in := open(t, opt)
	old := take(t, in, f, write(t, f, "cho-don", "DS.xlsx", roster("UBND XÃ CŨ", "30/09/2023", personA)))
	lạ1 := take(t, in, f, write(t, f, "kon-tum", "DS xã Lạ.xlsx", roster("UBND xã Lạ, huyện Kon Rẫy", "30/09/2023", personA)))
	clock.Advance(time.Hour)
	renamed := take(t, in, f, write(t, f, "cho-don", "DS mới.xlsx", roster("UBND xã Mới", "30/09/2023", personA, personB)))
	lạ2 := take(t, in, f, write(t, f, "kon-tum", "DS xã Lạ sửa.xlsx", roster("UBND xã Lạ - Kon Rẫy", "30/09/2023", personA, personB)))

	if renamed.Status != Accepted || !reflect.DeepEqual(renamed.Supersedes, []string{old.Archived}) {
		t.Errorf("the renamed unit's file: %s, supersedes %q; want %s", renamed.Status, renamed.Supersedes, old.Archived)
	}
	if filepath.Dir(renamed.Archived) != filepath.Dir(old.Archived) {
		t.Errorf("the renamed unit's file went to %s, not to its folder %s", filepath.Dir(renamed.Archived), filepath.Dir(old.Archived))
	}
	if lạ2.Status != Accepted || !reflect.DeepEqual(lạ2.Supersedes, []string{lạ1.Archived}) {
		t.Errorf("the variant's file: %s, supersedes %q; want %s", lạ2.Status, lạ2.Supersedes, lạ1.Archived)
	}
	if filepath.Dir(lạ2.Archived) != filepath.Dir(lạ1.Archived) {
		t.Errorf("the variant's file went to %s, not to its folder %s", filepath.Dir(lạ2.Archived), filepath.Dir(lạ1.Archived))
	}

	cur, sup, err := Current(f.archive, "2023-09", reg)
	if err != nil {
		t.Fatal(err)
	}
	if paths(cur) != paths2(lạ2.Archived, renamed.Archived) || paths(sup) != paths2(old.Archived, lạ1.Archived) {
		t.Errorf("current:\n%s\nsuperseded:\n%s", paths(cur), paths(sup))
	}
	if s := readSide(t, old.Record); s.SupersededBy == "" {
		t.Errorf("the old name's sidecar is not marked superseded")
	}
	// Opening again (marks brought in line with the files) keeps them, and knows the
	// units' folders from the sidecars.
	in = open(t, opt)
	if s := readSide(t, old.Record); s.SupersededBy == "" {
		t.Errorf("reopening unmarked the old name's file")
	}
	clock.Advance(time.Hour)
	lạ3 := take(t, in, f, write(t, f, "kon-tum", "DS xã Lạ lần 3.xlsx", roster("Ủy ban nhân dân xã Lạ - Kon Rẫy", "30/09/2023", personB)))
	if filepath.Dir(lạ3.Archived) != filepath.Dir(lạ1.Archived) || !slices.Contains(lạ3.Supersedes, lạ2.Archived) {
		t.Errorf("after reopening, the variant's file went to %s, superseding %q", lạ3.Archived, lạ3.Supersedes)
	}
	lạ2 = lạ3

	cur, _, err = Current(f.archive, "2023-09", nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(cur) != 3 {
		t.Errorf("without the registry, current = %s; want the old and the new name's files both", paths(cur))
	}
}
