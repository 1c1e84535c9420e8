package history

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"testing"

	"canbo/pipeline/summary"
	"canbo/pipeline/units"
)

// registry is a units registry in the shape of config/units.yaml: a commune with an
// alias, a commune renamed (its old name kept as an alias), and a Kon Tum commune
// registered under its former district.
func registry(t *testing.T) *units.Registry {
	t.Helper()
	r, cs := units.New([]units.Entry{
		{Name: "UBND xã Nghĩa Tá", Aliases: []string{"Xã Nghĩa Tá - Chợ Đồn"}, Group: "cho-don"},
		{Name: "UBND xã Mới", Aliases: []string{"UBND xã Cũ"}, Group: "cho-don"},
		{Name: "UBND huyện Kon Rẫy", Group: "kon-tum"},
		{Name: "Xã Đăk Kôi", Parent: "UBND huyện Kon Rẫy", Group: "kon-tum"},
	})
	if len(cs) > 0 {
		t.Fatalf("conflicts: %+v", cs)
	}
	return r
}

// Units stored under the names an earlier report showed compare with the names the
// registry shows now: an alias with the official name, a renamed unit's old name with
// its new one, two spellings of one commune (stored before they were merged) with
// the one unit; a name the registry does not know, by its folded name and obvious
// variants. Read back from a real database, as a report reads the previous period.
func TestCompareByRegistryUnit(t *testing.T) {
	db, _ := openTemp(t)
	ctx := context.Background()
	reg := registry(t)
	prev := fixture("2023-08",
		unitSpec{group: "cho-don", name: "Xã Nghĩa Tá - Chợ Đồn", nam: 5, nu: 5},
		unitSpec{group: "cho-don", name: "UBND xã Cũ", nam: 4, nu: 2},
		unitSpec{group: "cho-don", name: "UBND xã Lạ", nam: 1, nu: 1},
		unitSpec{group: "cho-don", name: "UBND xã Bỏ", nam: 1, nu: 1},
		unitSpec{group: "kon-tum", name: "UBND xã Đăk Kôi, huyện Kon Rẫy", nam: 3, nu: 1},
		unitSpec{group: "kon-tum", name: "UBND xã Đăk Kôi - Kon Rẫy", nam: 1, nu: 3},
		unitSpec{group: "kon-tum", name: "UBND xã Chưa Có, huyện Kon Rẫy", nam: 2},
		unitSpec{group: "kon-tum", name: "UBND xã Chưa Có - Kon Rẫy", nu: 2},
	)
	store(t, db, prev, TriggerSchedule, nil)
	cur := fixture("2023-09",
		unitSpec{group: "cho-don", name: "UBND xã Nghĩa Tá", nam: 5, nu: 6},
		unitSpec{group: "cho-don", name: "UBND xã Mới", nam: 4, nu: 3},
		unitSpec{group: "cho-don", name: "Ủy ban nhân dân xã Lạ", nam: 1, nu: 1},
		unitSpec{group: "cho-don", name: "UBND xã Mới Lập", nam: 1},
		unitSpec{group: "kon-tum", name: "Xã Đăk Kôi", nam: 4, nu: 5},
		unitSpec{group: "kon-tum", name: "UBND xã Chưa Có, huyện Kon Rẫy", nam: 2, nu: 3},
	)
	stored, err := db.Previous(ctx, "2023-09")
	if err != nil || stored == nil {
		t.Fatalf("Previous = %v, %v", stored, err)
	}

	c := Compare(stored, cur, reg)
	var got []string
	for _, u := range c.Units {
		got = append(got, fmt.Sprintf("%s %s %d→%d", u.Unit, u.Status, u.PreviousHeadcount, u.Headcount))
	}
	want := []string{
		"UBND xã Nghĩa Tá  10→11",
		"UBND xã Mới  6→7",
		"Ủy ban nhân dân xã Lạ  2→2",
		"UBND xã Mới Lập new 0→1",
		"Xã Đăk Kôi  8→9", // 4 + 4 stored under two spellings
		"UBND xã Chưa Có, huyện Kon Rẫy  4→5",
		"UBND xã Bỏ gone 2→0",
	}
	if !slices.Equal(got, want) {
		t.Errorf("units:\n got %q\nwant %q", got, want)
	}

	got = nil
	for _, tc := range c.Targets {
		got = append(got, fmt.Sprintf("%s %s %s %d/%d→%d/%d %v→%v", tc.ID, tc.Unit, tc.Status,
			tc.PreviousCount, tc.PreviousPopulation, tc.Count, tc.Population, tc.PreviousMet, tc.Met))
	}
	want = []string{
		"sdh   0/32→0/35 false→false",
		"nu UBND xã Nghĩa Tá  5/10→6/11 true→true",
		"nu UBND xã Mới  2/6→3/7 false→false",
		"nu Ủy ban nhân dân xã Lạ  1/2→1/2 true→true",
		"nu UBND xã Mới Lập new 0/0→0/1 false→false",
		// Summed: 1 of 4 and 3 of 4 are 4 of 8, met; neither spelling alone says so.
		"nu Xã Đăk Kôi  4/8→5/9 true→true",
		"nu UBND xã Chưa Có, huyện Kon Rẫy  2/4→3/5 true→true",
		"nu UBND xã Bỏ gone 1/2→0/0 true→false",
	}
	if !slices.Equal(got, want) {
		t.Errorf("targets:\n got %q\nwant %q", got, want)
	}

	// Without the registry only names and their variants match: what the registry
	// adds is what makes the official names compare.
	var news []string
	for _, u := range Compare(stored, cur, nil).Units {
		if u.Status != "" {
			news = append(news, u.Status+" "+u.Unit)
		}
	}
	want = []string{"new UBND xã Nghĩa Tá", "new UBND xã Mới", "new UBND xã Mới Lập", "new Xã Đăk Kôi",
		"gone Xã Nghĩa Tá - Chợ Đồn", "gone UBND xã Cũ", "gone UBND xã Bỏ", "gone UBND xã Đăk Kôi, huyện Kon Rẫy"}
	if !slices.Equal(news, want) {
		t.Errorf("without the registry:\n got %q\nwant %q", news, want)
	}
}

// A target's trend follows its unit across periods stored under other names: the
// renamed unit's old name, and two spellings of one commune added up.
func TestTrendByRegistryUnit(t *testing.T) {
	db, _ := openTemp(t)
	ctx := context.Background()
	reg := registry(t)
	store(t, db, fixture("2023-07",
		unitSpec{group: "cho-don", name: "UBND xã Cũ", nam: 4, nu: 1},
		unitSpec{group: "kon-tum", name: "UBND xã Đăk Kôi - Kon Rẫy", nam: 2, nu: 1}),
		TriggerSchedule, nil)
	store(t, db, fixture("2023-08",
		unitSpec{group: "cho-don", name: "UBND xã Cũ", nam: 4, nu: 2},
		unitSpec{group: "kon-tum", name: "UBND xã Đăk Kôi, huyện Kon Rẫy", nam: 3, nu: 1},
		unitSpec{group: "kon-tum", name: "UBND xã Đăk Kôi - Kon Rẫy", nam: 1, nu: 3}),
		TriggerSchedule, nil)
	cur := fixture("2023-09",
		unitSpec{group: "cho-don", name: "UBND xã Mới", nam: 4, nu: 3},
		unitSpec{group: "kon-tum", name: "Xã Đăk Kôi", nam: 4, nu: 5})

	trends, err := db.Trends(ctx, cur, 0, reg)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, tr := range trends {
		line := tr.ID + " " + tr.Unit + ":"
		for _, p := range tr.Points {
			line += fmt.Sprintf(" %s %d/%d %v", p.Period, p.Count, p.Population, p.Met)
		}
		got = append(got, line)
	}
	want := []string{
		"sdh : 2023-07 0/8 false 2023-08 0/14 false 2023-09 0/16 false",
		"nu UBND xã Mới: 2023-07 1/5 false 2023-08 2/6 false 2023-09 3/7 false",
		"nu Xã Đăk Kôi: 2023-07 1/3 false 2023-08 4/8 true 2023-09 5/9 true",
	}
	if !slices.Equal(got, want) {
		t.Errorf("trends:\n got %q\nwant %q", got, want)
	}

	pts, err := db.Trend(ctx, "nu", "UBND xã Mới", 0, reg)
	if err != nil {
		t.Fatal(err)
	}
	if len(pts) != 2 || pts[0].Period != "2023-07" || pts[1].Count != 2 {
		t.Errorf("Trend(nu, the renamed unit) = %+v; want July and August under its old name", pts)
	}
	if pts, _ := db.Trend(ctx, "nu", "UBND xã Mới", 0, nil); len(pts) != 0 {
		t.Errorf("Trend(nu, the new name) without the registry = %+v; want none", pts)
	}
}

// A unit name in two groups, as two units the registry does not know, keeps its
// results apart by group and occurrence, as before the registry.
func TestCompareSameNameInTwoGroups(t *testing.T) {
	prev := fixture("2023-08",
		unitSpec{group: "cho-don", name: "UBND xã Tân Lập", nam: 1, nu: 1},
		unitSpec{group: "bach-thong", name: "UBND xã Tân Lập", nam: 3, nu: 1})
	cur := fixture("2023-09",
		unitSpec{group: "cho-don", name: "UBND xã Tân Lập", nam: 1, nu: 2},
		unitSpec{group: "bach-thong", name: "UBND xã Tân Lập", nam: 3, nu: 2})
	c := Compare(prev, cur, registry(t))
	var got []string
	for _, u := range c.Units {
		got = append(got, fmt.Sprintf("%s %s %d→%d", u.Group, u.Status, u.PreviousHeadcount, u.Headcount))
	}
	for _, tc := range c.Targets[1:] {
		got = append(got, fmt.Sprintf("%s %d/%d→%d/%d", tc.Status, tc.PreviousCount, tc.PreviousPopulation, tc.Count, tc.Population))
	}
	want := []string{"cho-don  2→3", "bach-thong  4→5", " 1/2→2/3", " 1/4→2/5"}
	if !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}

// addTarget's result is the target evaluated on the people of both: exact met and
// shortfall from the stored threshold.
func TestAddTarget(t *testing.T) {
	th := summary.Ratio{Num: 7, Den: 10}
	a := target("sdh", "Xã A", 6, 10, th) // 60%: short 1
	b := target("sdh", "Xã A", 8, 10, th) // 80%: met
	sum := addTarget(a, b)
	want := target("sdh", "Xã A", 14, 20, th) // 70%: met exactly
	if !reflect.DeepEqual(sum, want) {
		t.Errorf("addTarget = %+v, want %+v", sum, want)
	}
	a.Failed = 1
	if s := addTarget(a, b); s.Met || s.Shortfall != 0 || s.Failed != 1 {
		t.Errorf("addTarget with a failed part = %+v; want not met, no shortfall", s)
	}
}
