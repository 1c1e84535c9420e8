package facts_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
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

// unitRoster is a roster whose "Đơn vị" column gives each person's unit.
func unitRoster(rows ...[]any) sheettest.Sheet {
	head := [][]any{{"DANH SÁCH CÁN BỘ"}, {"(Tính đến ngày 30/09/2023)"}, {},
		{"STT", "Họ và tên", "Đơn vị", "Ngày sinh", "Giới tính", "Dân tộc", "Trình độ chuyên môn"}}
	return sheettest.Sheet{Name: "DS", Rows: append(head, rows...)}
}

func buildWith(t *testing.T, cfg *schema.Config, dir string) *summary.Summary {
	t.Helper()
	r := ingest.NewReader(normalize.New(cfg), ingest.Options{Now: func() time.Time { return asOf }})
	b, err := r.ReadAll(context.Background(), []string{dir}, sheettest.Catalog(t))
	if err != nil {
		t.Fatal(err)
	}
	s, err := facts.Build(context.Background(), cfg, b, facts.Options{Period: facts.Period{Month: "2023-09", AsOf: asOf}, Now: asOf})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func headcounts(s *summary.Summary) map[string]int {
	m := map[string]int{}
	for _, u := range s.Units {
		m[u.Unit] += u.Headcount
	}
	return m
}

// TestVariantsMergedWithoutRegistry: without units.yaml, one commune written with its
// former district in two ways is one unit, listed with both spellings, while the
// same commune name in another district stays a unit of its own; the summary says
// the units were not checked against a registry.
func TestVariantsMergedWithoutRegistry(t *testing.T) {
	dir := t.TempDir()
	sheettest.Write(t, dir, "lop.xlsx", unitRoster(
		[]any{1, "Nguyễn Văn A", "UBND xã Đăk Kôi, huyện Kon Rẫy", "01/01/1980", "Nam", "Kinh", "Đại học"},
		[]any{2, "Lò Thị B", "UBND xã Đăk Kôi - Kon Rẫy", "02/02/1985", "Nữ", "Thái", "Đại học"},
		[]any{3, "Y Văn C", "UBND xã Đăk Kôi, huyện Kon Rẫy", "03/03/1990", "Nam", "Xơ Đăng", "Cao đẳng"},
		[]any{4, "A Thị D", "UBND xã Đăk Kôi, huyện Đăk Hà", "04/04/1991", "Nữ", "Xơ Đăng", "Cao đẳng"},
	))
	cfg := sheettest.Config(t)
	cfg.Units = schema.Units{}
	s := buildWith(t, cfg, dir)
	want := map[string]int{"UBND xã Đăk Kôi, huyện Kon Rẫy": 3, "UBND xã Đăk Kôi, huyện Đăk Hà": 1}
	if got := headcounts(s); len(got) != 2 || got["UBND xã Đăk Kôi, huyện Kon Rẫy"] != 3 || got["UBND xã Đăk Kôi, huyện Đăk Hà"] != 1 {
		t.Errorf("units %v, want %v", got, want)
	}
	if s.UnitCheck.Registry {
		t.Error("unit_check.registry is true without units.yaml")
	}
	if len(s.UnitCheck.Merged) != 1 || !slices.Equal(s.UnitCheck.Merged[0].Spellings, []string{"UBND xã Đăk Kôi, huyện Kon Rẫy", "UBND xã Đăk Kôi - Kon Rẫy"}) {
		t.Errorf("merged %+v, want the Kon Rẫy commune's two spellings", s.UnitCheck.Merged)
	}
	if len(s.UnitCheck.Unknown) != 0 || len(s.UnitCheck.NotSent) != 0 {
		t.Errorf("without a registry nothing is unknown or missing: %+v", s.UnitCheck)
	}
}

// TestRegistryNames: with units.yaml, a name found by an alias is counted under the
// registered unit and shown by its official name, together with the official
// spelling; a name the registry does not know is listed once with the closest
// registered name; a unit that must send and sent nothing is listed as not sent.
func TestRegistryNames(t *testing.T) {
	units := `levels:
  - {code: xa, name: Xã}
units:
  - name: UBND xã Nghĩa Tá
    aliases: [UBND xã Nghĩa Tá (Chợ Đồn)]
    level: xa
    must_send: true
  - name: UBND xã Bằng Lãng
    level: xa
    must_send: true
  - name: UBND xã Lương Bằng
    level: xa
`
	cfg := sheettest.ConfigWithUnits(t, units)
	dir := t.TempDir()
	sheettest.Write(t, dir, "nghia-ta.xlsx", unitRoster(
		[]any{1, "Nguyễn Văn A", "UBND xã Nghĩa Tá (Chợ Đồn)", "01/01/1980", "Nam", "Kinh", "Đại học"},
		[]any{2, "Lò Thị B", "Ủy ban nhân dân xã Nghĩa Tá", "02/02/1985", "Nữ", "Tày", "Đại học"},
		[]any{3, "Hoàng Văn C", "UBND xã Lương Bằngg", "03/03/1990", "Nam", "Tày", "Cao đẳng"},
		[]any{4, "Lò Văn D", "Công ty Điện lực Miền Núi", "04/04/1991", "Nam", "Thái", "Đại học"},
	))
	s := buildWith(t, cfg, dir)
	if got := headcounts(s); got["UBND xã Nghĩa Tá"] != 2 || got["UBND xã Lương Bằngg"] != 1 || len(got) != 3 {
		t.Errorf("units %v, want UBND xã Nghĩa Tá 2, the unknown UBND xã Lương Bằngg 1 and the workplace", got)
	}
	if !s.UnitCheck.Registry {
		t.Error("unit_check.registry is false with units.yaml")
	}
	// The misspelt commune is a sender to correct, with a suggestion; the company,
	// like no registered name, is a workplace on a list the commune sent.
	if len(s.UnitCheck.Unknown) != 2 || s.UnitCheck.Unknown[0].Unit != "UBND xã Lương Bằngg" ||
		s.UnitCheck.Unknown[0].Suggestion != "UBND xã Lương Bằng" || s.UnitCheck.Unknown[0].People != 1 || s.UnitCheck.Unknown[0].Workplace ||
		s.UnitCheck.Unknown[1].Unit != "Công ty Điện lực Miền Núi" || !s.UnitCheck.Unknown[1].Workplace {
		t.Errorf("unknown %+v, want UBND xã Lương Bằngg (1 person) suggesting UBND xã Lương Bằng, then the company as a workplace", s.UnitCheck.Unknown)
	}
	if len(s.UnitCheck.Merged) != 1 || s.UnitCheck.Merged[0].Unit != "UBND xã Nghĩa Tá" || len(s.UnitCheck.Merged[0].Spellings) != 2 {
		t.Errorf("merged %+v, want UBND xã Nghĩa Tá with its two spellings", s.UnitCheck.Merged)
	}
	// The file's unit is the unit column's most common, Nghĩa Tá: it sent; Bằng Lãng
	// must send and did not; Lương Bằng need not.
	if len(s.UnitCheck.NotSent) != 1 || s.UnitCheck.NotSent[0].Unit != "UBND xã Bằng Lãng" {
		t.Errorf("not sent %+v, want UBND xã Bằng Lãng only", s.UnitCheck.NotSent)
	}
}

// TestFormCountsMerged: a commune written two ways is one row of its form, with the
// people of both spellings in every column (the tallies are added, not the first
// spelling's kept).
func TestFormCountsMerged(t *testing.T) {
	dir := t.TempDir()
	sheettest.Write(t, dir, "a.xlsx", unitRoster(
		[]any{1, "Nguyễn Văn A", "UBND xã Đăk Kôi, huyện Kon Rẫy", "01/01/1980", "Nam", "Kinh", "Đại học"},
		[]any{2, "Y Văn C", "UBND xã Đăk Kôi, huyện Kon Rẫy", "03/03/1990", "Nam", "Xơ Đăng", "Cao đẳng"},
	))
	sheettest.Write(t, dir, "b.xlsx", unitRoster(
		[]any{1, "Lò Thị B", "UBND xã Đăk Kôi - Kon Rẫy", "02/02/1985", "Nữ", "Thái", "Thạc sĩ"},
	))
	cfg := sheettest.Config(t)
	cfg.Units = schema.Units{}
	set, err := rules.Compile(cfg)
	if err != nil {
		t.Fatal(err)
	}
	r := ingest.NewReader(normalize.New(cfg), ingest.Options{Now: func() time.Time { return asOf }})
	b, err := r.ReadAll(context.Background(), []string{dir}, sheettest.Catalog(t))
	if err != nil {
		t.Fatal(err)
	}
	s, err := facts.Build(context.Background(), cfg, b, facts.Options{Period: facts.Period{Month: "2023-09", AsOf: asOf}, Now: asOf, Rules: set})
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Units) != 1 {
		t.Fatalf("units %v, want the one commune", headcounts(s))
	}
	u := s.Units[0]
	want := map[string]int{"tong_so": 3, "nu": 1, "dan_toc_thieu_so": 2, "thac_si": 1, "dai_hoc": 1, "cao_dang": 1}
	for id, n := range want {
		if u.FormCounts[id] != n {
			t.Errorf("%s: %s = %d, want %d (form_counts %v)", u.Unit, id, u.FormCounts[id], n, u.FormCounts)
		}
	}
	if u.Form != "bm02" {
		t.Errorf("form %q, want bm02 (a commune, by its name)", u.Form)
	}
}

// TestRegistryCoversItsGroups: a registry whose units all belong to one group (a
// folder) does not rename the units of another folder, nor report its own units as
// not sent when the run has no file of their group; the summary then says the units
// were not checked against it.
func TestRegistryCoversItsGroups(t *testing.T) {
	units := `levels:
  - {code: tinh, name: Tỉnh}
units:
  - name: Tỉnh ủy Sóc Trăng
    aliases: [Tỉnh ủy]
    level: tinh
    group: soc-trang
    must_send: true
`
	cfg := sheettest.ConfigWithUnits(t, units)
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, "lao-cai"), 0o755); err != nil {
		t.Fatal(err)
	}
	sheettest.Write(t, filepath.Join(dir, "lao-cai"), "tu.xlsx", unitRoster(
		[]any{1, "Nguyễn Văn A", "Tỉnh ủy", "01/01/1980", "Nam", "Kinh", "Đại học"},
	))
	s := buildWith(t, cfg, dir)
	if got := headcounts(s); got["Tỉnh ủy"] != 1 || len(got) != 1 {
		t.Errorf("units %v: a folder the registry does not cover was matched against it", got)
	}
	if s.UnitCheck.Registry || len(s.UnitCheck.NotSent) != 0 || len(s.UnitCheck.Unknown) != 0 {
		t.Errorf("unit_check %+v: want not checked, nothing missing or unknown", s.UnitCheck)
	}
}

// TestSuggestionsBounded: a flood of unknown unit names (a column of something else
// read as units) lists every name, with a suggestion for the first maxSuggested
// only, each of which costs a look at every registered name.
func TestSuggestionsBounded(t *testing.T) {
	// 510 registered units, each found misspelt once: every name has a close one.
	units := "levels:\n  - {code: xa, name: Xã}\nunits:\n"
	for i := range 510 {
		units += fmt.Sprintf("  - {name: Đơn vị %d, level: xa}\n", i+1)
	}
	cfg := sheettest.ConfigWithUnits(t, units)
	var rows [][]any
	for i := range 510 {
		given := []string{"An", "Bình", "Cường", "Dũng", "Giang", "Hải", "Khánh", "Long", "Minh", "Nam", "Phúc", "Quang"}
		rows = append(rows, []any{i + 1, "Nguyễn Văn " + given[i%len(given)], fmt.Sprintf("Đơn vịx %d", i+1),
			fmt.Sprintf("%02d/%02d/%d", 1+i%28, 1+i/28%12, 1970+i/336), "Nam", "Kinh", "Đại học"})
	}
	dir := t.TempDir()
	sheettest.Write(t, dir, "lu.xlsx", unitRoster(rows...))
	s := buildWith(t, cfg, dir)
	suggested := 0
	for _, u := range s.UnitCheck.Unknown {
		if u.Suggestion != "" {
			suggested++
		}
	}
	if len(s.UnitCheck.Unknown) != 510 || suggested != 500 {
		t.Errorf("%d unknown names, %d with a suggestion; want 510 and 500", len(s.UnitCheck.Unknown), suggested)
	}
}
