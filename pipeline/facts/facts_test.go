package facts_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"canbo/pipeline/facts"
	"canbo/pipeline/ingest"
	"canbo/pipeline/internal/sheettest"
	"canbo/pipeline/normalize"
	"canbo/pipeline/rules"
	"canbo/pipeline/schema"
	"canbo/pipeline/summary"
)

var asOf = time.Date(2023, 9, 30, 0, 0, 0, 0, time.UTC)

func build(t *testing.T, dir string) *summary.Summary {
	t.Helper()
	cfg, cat := sheettest.Config(t), sheettest.Catalog(t)
	r := ingest.NewReader(normalize.New(cfg), ingest.Options{Now: func() time.Time { return asOf }})
	b, err := r.ReadAll(context.Background(), []string{dir}, cat)
	if err != nil {
		t.Fatal(err)
	}
	s, err := facts.Build(context.Background(), cfg, b, facts.Options{Period: facts.Period{Month: "2023-09", AsOf: asOf}, Now: asOf})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func roster(title string, rows ...[]any) sheettest.Sheet {
	head := [][]any{{title}, {"(Tính đến ngày 30/09/2023)"}, {},
		{"STT", "Họ và tên", "Ngày sinh", "Giới tính", "Dân tộc", "Trình độ chuyên môn"}}
	return sheettest.Sheet{Name: "DS", Rows: append(head, rows...)}
}

// TestBreakdownsAddUp: a person with a bad or missing value still counts, under
// chua_xac_dinh, so every dimension adds up to the headcount: per unit, per group
// (sub-folder) and overall. Derived fields are computed at the period's as-of date.
func TestBreakdownsAddUp(t *testing.T) {
	dir := t.TempDir()
	for _, g := range []string{"huyen-a", "huyen-b"} {
		if err := os.Mkdir(filepath.Join(dir, g), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	sheettest.Write(t, filepath.Join(dir, "huyen-a"), "x1.xlsx", roster("UBND XÃ AN BÌNH",
		[]any{1, "Nguyễn Văn A", "01/10/1988", "Nam", "Kinh", "Đại học"}, // turns 35 the day after the as-of date: under 35
		[]any{2, "Lò Thị B", "30/09/1988", "Nữ", "Thái", "ThS"},          // 35 on the as-of date: not under 35
		[]any{3, "Hoàng Văn C", "15/05/1970", "Nam", "Tày", "Bằng khen"}, // unknown level
		[]any{4, "Đinh Thị D", "", "Nữ", "", "Cao đẳng"},                 // no birth date: age unknown
	))
	sheettest.Write(t, filepath.Join(dir, "huyen-b"), "x2.xlsx", roster("UBND XÃ BÌNH MINH",
		[]any{1, "Trần Văn E", "02/02/1995", "Nam", "Kinh", "Trung cấp"},
	))
	s := build(t, dir)
	if s.Total.Headcount != 5 {
		t.Fatalf("headcount %d, want 5", s.Total.Headcount)
	}
	if len(s.Units) != 2 || s.Units[0].Unit != "UBND xã An Bình" || s.Units[0].Group != "huyen-a" || s.Units[0].Headcount != 4 {
		t.Fatalf("units: %+v", s.Units)
	}
	if len(s.Groups) != 2 || s.Groups[1].Group != "huyen-b" || s.Groups[1].Headcount != 1 {
		t.Fatalf("groups: %+v", s.Groups)
	}
	for _, u := range append(append([]summary.Unit{s.Total}, s.Units...), s.Groups...) {
		for dim, codes := range u.Breakdowns {
			sum := 0
			for _, n := range codes {
				sum += n
			}
			if sum != u.Headcount {
				t.Errorf("%s/%s: %s adds up to %d, headcount %d", u.Group, u.Unit, dim, sum, u.Headcount)
			}
		}
	}
	a := s.Units[0].Breakdowns
	checks := []struct {
		dim, code string
		want      int
	}{
		{"duoi_35", "true", 1}, {"duoi_35", "false", 2}, {"duoi_35", "chua_xac_dinh", 1},
		{"dan_toc_thieu_so", "true", 2}, {"dan_toc_thieu_so", "false", 1}, {"dan_toc_thieu_so", "chua_xac_dinh", 1},
		{"trinh_do_chuyen_mon", "thac_si", 1}, {"trinh_do_chuyen_mon", "chua_xac_dinh", 1},
		{"trinh_do_chuyen_mon", "tien_si", 0}, // every code is listed, zeros included
		{"nhom_tuoi", "tu_31_den_40", 2}, {"nhom_tuoi", "tu_51_den_60", 1},
		{"gioi_tinh", "nu", 2},
	}
	for _, c := range checks {
		got, ok := a[c.dim][c.code]
		if !ok || got != c.want {
			t.Errorf("An Bình %s=%s: %d (present %v), want %d", c.dim, c.code, got, ok, c.want)
		}
	}
	if s.Issues.Errors == 0 || len(s.Problems) == 0 {
		t.Errorf("the unknown level should be listed as a problem: %+v", s.Issues)
	}
}

func TestPeriodOf(t *testing.T) {
	// 24/11 03:00 in Việt Nam: PeriodOf takes now in the zone it is given (the office's).
	now := time.Date(2026, 11, 23, 20, 0, 0, 0, time.UTC).In(schema.DefaultLocation())
	tests := []struct {
		month    string
		inputs   time.Time
		wantM    string
		wantAsOf string
	}{
		{"", asOf, "2023-09", "2023-09-30"},
		{"", time.Time{}, "2026-11", "2026-11-24"},
		{"2023-09", asOf, "2023-09", "2023-09-30"},
		{"2023-10", asOf, "2023-10", "2023-10-31"},
		{"2024-02", time.Time{}, "2024-02", "2024-02-29"},
		{"2026-11", time.Time{}, "2026-11", "2026-11-24"},
	}
	for _, tt := range tests {
		p, err := facts.PeriodOf(tt.month, tt.inputs, now)
		if err != nil {
			t.Fatal(err)
		}
		if p.Month != tt.wantM || p.AsOf.Format("2006-01-02") != tt.wantAsOf {
			t.Errorf("PeriodOf(%q, %v) = %s %s, want %s %s", tt.month, tt.inputs, p.Month, p.AsOf.Format("2006-01-02"), tt.wantM, tt.wantAsOf)
		}
	}
}

// TestUnitAcrossFiles: a unit whose people come in two files (two spellings of its
// name) is one unit, named as the first file spells it, counted once per person;
// its people below a standard are listed in file order, once, and the totals are not
// counted twice. The files are counted by several workers from a spooled batch, as
// canbo run counts them.
func TestUnitAcrossFiles(t *testing.T) {
	dir := t.TempDir()
	sheettest.Write(t, dir, "a.xlsx", roster("UBND XÃ NGHĨA TÁ",
		[]any{1, "Nguyễn Văn A", "01/01/1980", "Nam", "Kinh", "Trung cấp"},
		[]any{2, "Lò Thị B", "02/02/1985", "Nữ", "Thái", "Đại học"},
	))
	sheettest.Write(t, dir, "b.xlsx", roster("Ủy ban nhân dân xã Nghĩa Tá",
		[]any{1, "Hoàng Văn C", "03/03/1990", "Nam", "Tày", "Cao đẳng"},
		[]any{2, "Nguyễn Văn A", "01/01/1980", "Nam", "Kinh", "Trung cấp"}, // listed in a.xlsx already
	))
	cfg, cat := sheettest.Config(t), sheettest.Catalog(t)
	set, err := rules.Compile(cfg)
	if err != nil {
		t.Fatal(err)
	}
	r := ingest.NewReader(normalize.New(cfg), ingest.Options{Now: func() time.Time { return asOf }, Workers: 3, Spool: true})
	b, err := r.ReadAll(context.Background(), []string{dir}, cat)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	s, err := facts.Build(context.Background(), cfg, b, facts.Options{Period: facts.Period{Month: "2023-09", AsOf: asOf}, Now: asOf, Rules: set, Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Units) != 1 || s.Units[0].Unit != "UBND XÃ NGHĨA TÁ" && s.Units[0].Unit != "UBND xã Nghĩa Tá" || s.Units[0].Headcount != 3 || s.Total.Headcount != 3 {
		t.Fatalf("units %+v, total %d; want one unit of 3 named as a.xlsx names it", s.Units, s.Total.Headcount)
	}
	if got := s.Total.Breakdowns["trinh_do_chuyen_mon"]["dai_hoc"]; got != 1 {
		t.Errorf("total đại học %d, want 1 (sums counted twice?)", got)
	}
	var names []string
	for _, p := range s.BelowStandard {
		names = append(names, p.Name+" "+p.File)
	}
	want := []string{"Nguyễn Văn A a.xlsx", "Hoàng Văn C b.xlsx"}
	if strings.Join(names, ", ") != strings.Join(want, ", ") {
		t.Errorf("below the standard: %q, want %q (each once, in file order)", names, want)
	}
	for _, st := range s.Standards {
		if st.Population != 3 || st.Compliant != 1 {
			t.Errorf("standard %s for %q: %d of %d compliant, want 1 of 3", st.ID, st.Unit, st.Compliant, st.Population)
		}
	}
}

// TestUnitListsAcrossFiles: a unit's people below a standard come out in the order
// the unit's files were counted, each listed under the unit's report name, from a
// fresh count and from kept parts alike. Two spellings (joined only when the units are
// resolved), two files each: the tally joined in brings lists of its own. It guards
// any change to how the files' lists are joined (merge, tally.add, rules), which the
// re-run's speed keeps tempting (docs/performance.md, "Chạy lại, bước bốn").
func TestUnitListsAcrossFiles(t *testing.T) {
	dir, cacheDir := t.TempDir(), t.TempDir()
	for i, title := range []string{"UBND XÃ NGHĨA TÁ", "UBND xã Nghĩa Tá", "Ủy ban nhân dân xã Nghĩa Tá", "ỦY BAN NHÂN DÂN XÃ NGHĨA TÁ"} {
		name := string(rune('a'+i)) + ".xlsx"
		sheettest.Write(t, dir, name, roster(title,
			person(1, "Người "+name+" 1", "01/01/1980", "Trung cấp"),
			person(2, "Người "+name+" 2", "02/02/1981", "Đại học"),
			person(3, "Người "+name+" 3", "03/03/1982", "Cao đẳng")))
	}
	for _, run := range []string{"counted", "kept"} {
		s := counted(t, dir, cacheDir, asOf, false)
		if len(s.Units) != 1 {
			t.Fatalf("%s: units %+v, want one", run, s.Units)
		}
		var got []string
		for _, p := range s.BelowStandard {
			if p.Unit != s.Units[0].Unit {
				t.Errorf("%s: %s listed under %q, want %q", run, p.Name, p.Unit, s.Units[0].Unit)
			}
			got = append(got, p.Name)
		}
		var want []string
		for _, st := range s.Standards {
			for _, f := range []string{"a", "b", "c", "d"} {
				for _, n := range []string{"1", "3"} {
					want = append(want, "Người "+f+".xlsx "+n)
				}
			}
			if st.Population != 12 {
				t.Errorf("%s: standard %s population %d, want 12", run, st.ID, st.Population)
			}
		}
		if strings.Join(got, ", ") != strings.Join(want, ", ") {
			t.Errorf("%s: below the standard:\n%q\nwant\n%q", run, got, want)
		}
	}
}
