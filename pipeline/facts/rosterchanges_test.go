package facts_test

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"canbo/pipeline/facts"
	"canbo/pipeline/ingest"
	"canbo/pipeline/internal/sheettest"
	"canbo/pipeline/normalize"
	"canbo/pipeline/summary"
)

// person of a matcher case: unit (A or B), name, ID number, birth date.
type changesPerson struct{ unit, name, id, birth string }

// writeChanges writes one roster per unit of ps into dir: UBND xã An Bình for "A",
// UBND xã Bình Minh for "B", each with an anchor person who is there in both
// periods, so both units are compared.
func writeChanges(t *testing.T, dir string, ps []changesPerson) {
	t.Helper()
	for _, u := range []struct{ code, title string }{{"A", "UBND XÃ AN BÌNH"}, {"B", "UBND XÃ BÌNH MINH"}} {
		rows := [][]any{{u.title}, {"(Tính đến ngày 30/09/2023)"}, {},
			{"STT", "Họ và tên", "Số định danh cá nhân", "Ngày sinh", "Giới tính"},
			{1, "Người Ở Lại " + u.code, nil, "01/01/1970", "Nam"}}
		for _, p := range ps {
			if p.unit != u.code {
				continue
			}
			var id any
			if p.id != "" {
				id = p.id
			}
			rows = append(rows, []any{len(rows) - 3, p.name, id, p.birth, "Nam"})
		}
		sheettest.Write(t, dir, u.title+".xlsx", sheettest.Sheet{Name: "DS", Rows: rows})
	}
}

// readBatch reads dir as the report reads it.
func readBatch(t *testing.T, dir string) *ingest.Batch {
	t.Helper()
	b, err := ingest.NewReader(normalize.New(sheettest.Config(t)), ingest.Options{Now: func() time.Time { return asOf }}).
		ReadAll(context.Background(), []string{dir}, sheettest.Catalog(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	return b
}

// TestRosterMatching: the matcher's rules, one case each. A person is the same by
// ID number, else by name and birth date; a name alone never makes a match, and
// what canbo cannot tell is unsure rather than a change counted.
func TestRosterMatching(t *testing.T) {
	const (
		id1 = "094080000001"
		id2 = "094080000002"
	)
	cases := []struct {
		name      string
		prev, cur []changesPerson
		register  [][]any // a movements register's rows in this period, nil for none
		// want: "joined/left/moved/unsure/in_register" counts and the unsure reasons
		joined, left, moved, unsure, inRegister int
		reasons                                 []string
	}{
		{name: "same ID, name written otherwise: the same person",
			prev: []changesPerson{{"A", "Nguyễn Văn An", id1, "01/01/1980"}},
			cur:  []changesPerson{{"A", "Nguyen Van Ann", id1, "01/01/1980"}}},
		{name: "same ID, another birth date: unsure",
			prev:   []changesPerson{{"A", "Nguyễn Văn An", id1, "01/01/1980"}},
			cur:    []changesPerson{{"A", "Nguyễn Văn An", id1, "02/01/1980"}},
			unsure: 1, reasons: []string{"birth_date_changed"}},
		{name: "no ID, same name and birth date in another unit: moved",
			prev:  []changesPerson{{"A", "Trần Thị Bình", "", "04/04/1985"}},
			cur:   []changesPerson{{"B", "TRẦN THỊ BÌNH", "", "04/04/1985"}},
			moved: 1},
		{name: "ID this period only, same name and birth date: the same person",
			prev: []changesPerson{{"A", "Trần Thị Bình", "", "04/04/1985"}},
			cur:  []changesPerson{{"A", "Trần Thị Bình", id2, "04/04/1985"}}},
		{name: "same name and birth date, two ID numbers: unsure",
			prev:   []changesPerson{{"A", "Trần Thị Bình", id1, "04/04/1985"}},
			cur:    []changesPerson{{"A", "Trần Thị Bình", id2, "04/04/1985"}},
			unsure: 1, reasons: []string{"id_changed"}},
		{name: "same name in the same unit, another birth date: unsure, not a change",
			prev:   []changesPerson{{"A", "Lê Văn Cường", "", "05/05/1982"}},
			cur:    []changesPerson{{"A", "Lê Văn Cường", "", "05/05/1992"}},
			unsure: 1, reasons: []string{"name_only"}},
		{name: "namesakes in two units, other birth dates: one left, one joined",
			prev:   []changesPerson{{"A", "Lê Văn Cường", "", "05/05/1982"}},
			cur:    []changesPerson{{"B", "Lê Văn Cường", "", "05/05/1992"}},
			joined: 1, left: 1},
		{name: "two namesakes told apart by birth date stay",
			prev: []changesPerson{{"A", "Nguyễn Văn Nam", "", "02/02/1980"}, {"A", "Nguyễn Văn Nam", "", "03/03/1990"}},
			cur:  []changesPerson{{"A", "Nguyễn Văn Nam", "", "03/03/1990"}, {"A", "Nguyễn Văn Nam", "", "02/02/1980"}}},
		// The same name and birth date twice in a period is one person listed again
		// (normalize.Repeat), counted once: two candidates only arise by name.
		{name: "two namesakes last period, a third birth date now: unsure between two",
			prev:   []changesPerson{{"A", "Lê Văn Cường", "", "05/05/1982"}, {"A", "Lê Văn Cường", "", "05/05/1992"}},
			cur:    []changesPerson{{"A", "Lê Văn Cường", "", "05/05/1975"}},
			unsure: 1, reasons: []string{"several_candidates"}},
		{name: "a move the movements register lists is not counted again",
			prev:       []changesPerson{{"A", "Trần Thị Bình", id1, "04/04/1985"}},
			cur:        []changesPerson{{"B", "Trần Thị Bình", id1, "04/04/1985"}},
			register:   [][]any{{1, "Trần Thị Bình", "04/04/1985", "UBND xã An Bình", "UBND xã Bình Minh", "Điều động", "12/QĐ", "01/09/2023"}},
			inRegister: 1},
		{name: "a leaver the register lists (gone to a unit outside the batch) is not counted again",
			prev:       []changesPerson{{"A", "Trần Thị Bình", id1, "04/04/1985"}},
			register:   [][]any{{1, "Trần Thị Bình", "", "UBND xã An Bình", "Sở Nội vụ", "Điều động", "12/QĐ", "01/09/2023"}},
			inRegister: 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			prevDir, curDir := t.TempDir(), t.TempDir()
			writeChanges(t, prevDir, c.prev)
			writeChanges(t, curDir, c.cur)
			if c.register != nil {
				rows := [][]any{{"SỔ THEO DÕI ĐIỀU ĐỘNG, LUÂN CHUYỂN CÁN BỘ"}, {},
					{"STT", "Họ và tên", "Ngày sinh", "Đơn vị cũ", "Đơn vị mới", "Hình thức điều động, luân chuyển", "Số quyết định", "Ngày quyết định"}}
				sheettest.Write(t, curDir, "dd.xlsx", sheettest.Sheet{Name: "Sổ", Rows: append(rows, c.register...)})
			}
			s := buildChanges(t, prevDir, curDir)
			rc := s.RosterChanges
			if rc == nil {
				t.Fatal("no roster_changes")
			}
			if rc.Joined != c.joined || rc.Left != c.left || rc.Moved != c.moved || rc.Unsure != c.unsure || rc.InRegister != c.inRegister {
				t.Errorf("joined %d left %d moved %d unsure %d in register %d; want %d %d %d %d %d\n%+v",
					rc.Joined, rc.Left, rc.Moved, rc.Unsure, rc.InRegister, c.joined, c.left, c.moved, c.unsure, c.inRegister, rc.List)
			}
			var reasons []string
			for _, ch := range rc.List {
				if ch.Reason != "" {
					reasons = append(reasons, ch.Reason)
				}
			}
			if !slices.Equal(reasons, c.reasons) {
				t.Errorf("reasons %v, want %v", reasons, c.reasons)
			}
			if len(rc.List) != c.joined+c.left+c.moved+c.unsure {
				t.Errorf("list of %d: %+v", len(rc.List), rc.List)
			}
			if rc.List == nil || rc.UnitsNotCompared == nil {
				t.Error("list and units_not_compared must be [] when empty, as summary.json shows them")
			}
			if len(rc.UnitsNotCompared) != 0 {
				t.Errorf("units not compared: %+v", rc.UnitsNotCompared)
			}
		})
	}
}

// TestRosterChangesUnitNotSent: a unit whose roster is missing this period is
// listed as not compared, and its people are not counted as leavers, even when one
// of them turns up in another unit (a move found by ID number still counts).
func TestRosterChangesUnitNotSent(t *testing.T) {
	prevDir, curDir := t.TempDir(), t.TempDir()
	writeChanges(t, prevDir, []changesPerson{{"B", "Trần Thị Bình", "094080000001", "04/04/1985"}, {"B", "Lê Văn Cường", "", "05/05/1982"}})
	writeChanges(t, curDir, []changesPerson{{"A", "Trần Thị Bình", "094080000001", "04/04/1985"}})
	if err := removeGlob(curDir, "*BÌNH MINH*"); err != nil {
		t.Fatal(err)
	}
	s := buildChanges(t, prevDir, curDir)
	rc := s.RosterChanges
	if rc.Left != 0 || rc.Joined != 0 || rc.Moved != 1 {
		t.Errorf("joined %d left %d moved %d; want 0 0 1: %+v", rc.Joined, rc.Left, rc.Moved, rc.List)
	}
	if len(rc.UnitsNotCompared) != 1 || !strings.EqualFold(rc.UnitsNotCompared[0].Unit, "UBND xã Bình Minh") ||
		rc.UnitsNotCompared[0].Missing != "this" || rc.UnitsNotCompared[0].People != 2 {
		t.Errorf("units not compared: %+v; want Bình Minh, this period, 2 people (its anchor and Cường)", rc.UnitsNotCompared)
	}
}

func removeGlob(dir, pattern string) error {
	ms, err := filepath.Glob(filepath.Join(dir, pattern))
	if err != nil {
		return err
	}
	for _, m := range ms {
		if err := os.Remove(m); err != nil {
			return err
		}
	}
	return nil
}

// buildChanges builds September's summary of curDir compared with August's rosters
// in prevDir.
func buildChanges(t *testing.T, prevDir, curDir string) *summary.Summary {
	t.Helper()
	cfg := sheettest.Config(t)
	prev, err := facts.ReadRoster(context.Background(), cfg, readBatch(t, prevDir), "2023-08")
	if err != nil {
		t.Fatal(err)
	}
	s, err := facts.Build(context.Background(), cfg, readBatch(t, curDir), facts.Options{
		Period: facts.Period{Month: "2023-09", AsOf: asOf}, Now: asOf, Previous: prev})
	if err != nil {
		t.Fatal(err)
	}
	return s
}
