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

// classList is a school's class list: the title block names the school, the unit
// column each learner's workplace.
func classList(school string, rows ...[]any) sheettest.Sheet {
	head := [][]any{{school}, {"DANH SÁCH HỌC VIÊN LỚP TRUNG CẤP LÝ LUẬN CHÍNH TRỊ"}, {"(Tính đến ngày 30/09/2023)"}, {},
		{"STT", "Họ và tên", "Đơn vị", "Ngày sinh", "Giới tính", "Dân tộc", "Trình độ chuyên môn"}}
	return sheettest.Sheet{Name: "DS", Rows: append(head, rows...)}
}

const schoolUnits = `levels:
  - {code: tinh, name: Tỉnh}
  - {code: xa, name: Xã}
units:
  - name: Trường Chính trị tỉnh Lào Cai
    aliases: [Trường Chính trị tỉnh]
    level: tinh
    lists: learners
    files: ["lop/khong-ten-truong-*.xlsx"]
    must_send: true
  - name: UBND xã Bản Lầu
    level: xa
    must_send: true
  - name: UBND xã Cốc San
    level: xa
`

// learnerFiles writes, under dir: a class list whose title names the school; one
// in the lop folder that names only the class (the school's by units.yaml files);
// and a commune's own roster.
func learnerFiles(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, "lop"), 0o755); err != nil {
		t.Fatal(err)
	}
	lop := filepath.Join(dir, "lop")
	sheettest.Write(t, lop, "lop-1.xlsx", classList("TRƯỜNG CHÍNH TRỊ TỈNH",
		[]any{1, "Nguyễn Văn A", "UBND xã Bản Lầu", "01/01/1980", "Nam", "Kinh", "Đại học"},
		[]any{2, "Lò Thị B", "Ủy ban nhân dân xã Bản Lầu", "02/02/1985", "Nữ", "Thái", "Đại học"},
		[]any{3, "Giàng A C", "Đảng ủy xã Tả Phời", "03/03/1990", "Nam", "Mông", "Cao đẳng"},
	))
	sheettest.Write(t, lop, "khong-ten-truong-2.xlsx", unitRoster(
		[]any{1, "Vàng Thị D", "Đảng ủy xã Tả Phời", "04/04/1991", "Nữ", "Mông", "Đại học"},
		[]any{2, "Lý Văn E", "Công an xã Tả Phời", "05/05/1992", "Nam", "Dao", "Trung cấp"},
	))
	sheettest.Write(t, lop, "coc-san.xlsx", unitRoster(
		[]any{1, "Hoàng Văn G", "UBND xã Cốc San", "06/06/1975", "Nam", "Tày", "Đại học"},
	))
	return dir
}

func unitNamed(s *summary.Summary, name string) *summary.Unit {
	for i := range s.Units {
		if s.Units[i].Unit == name {
			return &s.Units[i]
		}
	}
	return nil
}

// TestLearnersUnderTheirSchool: with units.yaml naming the school a sender of
// learners' lists, both class lists (one by its title, one by files) are counted
// under the school, with how many learners each workplace sent as detail (written
// two ways, a workplace is one), while a commune's own roster in the same folder is
// the commune's. The workplaces are no units: not unknown to the registry, and a
// commune that must send is not taken to have sent because its staff are learners.
func TestLearnersUnderTheirSchool(t *testing.T) {
	cfg := sheettest.ConfigWithUnits(t, schoolUnits)
	s := buildWith(t, cfg, learnerFiles(t))
	if got := headcounts(s); len(got) != 2 || got["Trường Chính trị tỉnh Lào Cai"] != 5 || got["UBND xã Cốc San"] != 1 {
		t.Fatalf("units %v, want the school with its 5 learners and the commune with its 1", got)
	}
	if s.Total.Headcount != 6 {
		t.Errorf("total %d, want 6", s.Total.Headcount)
	}
	school := unitNamed(s, "Trường Chính trị tỉnh Lào Cai")
	want := []summary.Workplace{{Unit: "Công an xã Tả Phời", People: 1}, {Unit: "Đảng ủy xã Tả Phời", People: 2}, {Unit: "UBND xã Bản Lầu", People: 2}}
	if len(school.Workplaces) != len(want) {
		t.Fatalf("workplaces %+v, want %+v", school.Workplaces, want)
	}
	for i := range want {
		if school.Workplaces[i] != want[i] {
			t.Errorf("workplace %d: %+v, want %+v", i, school.Workplaces[i], want[i])
		}
	}
	if school.Breakdowns["gioi_tinh"]["nu"] != 2 || school.Breakdowns["dan_toc_thieu_so"]["true"] != 4 {
		t.Errorf("the school's breakdowns %v: its learners' figures", school.Breakdowns)
	}
	if c := unitNamed(s, "UBND xã Cốc San"); c == nil || c.Workplaces != nil {
		t.Errorf("the commune's own roster has workplaces: %+v", c)
	}
	if len(s.UnitCheck.Unknown) != 0 || len(s.UnitCheck.Merged) != 0 {
		t.Errorf("unit_check %+v: the workplaces are neither unknown nor merged units", s.UnitCheck)
	}
	if len(s.UnitCheck.NotSent) != 1 || s.UnitCheck.NotSent[0].Unit != "UBND xã Bản Lầu" {
		t.Errorf("not sent %+v, want UBND xã Bản Lầu (its staff in a class list is not its file); the school sent", s.UnitCheck.NotSent)
	}
}

// TestLearnersWithoutSenderConfig: a school that units.yaml does not say sends
// learners' lists (or no units.yaml at all) leaves everything as before: each
// learner counts under their workplace, nobody is dropped, and the workplaces the
// registry does not know are listed as workplaces, which the report says.
func TestLearnersWithoutSenderConfig(t *testing.T) {
	dir := learnerFiles(t)
	for name, cfg := range map[string]*schema.Config{
		"no lists key": sheettest.ConfigWithUnits(t, schoolUnitsWithout()),
		"no units.yaml": func() *schema.Config {
			c := sheettest.ConfigWithUnits(t, schoolUnits)
			c.Units = schema.Units{}
			return c
		}(),
	} {
		t.Run(name, func(t *testing.T) {
			s := buildWith(t, cfg, dir)
			got := headcounts(s)
			if got["UBND xã Bản Lầu"] != 2 || got["Đảng ủy xã Tả Phời"] != 2 || got["Công an xã Tả Phời"] != 1 || got["UBND xã Cốc San"] != 1 || len(got) != 4 {
				t.Errorf("units %v, want each learner under their workplace", got)
			}
			for _, u := range s.Units {
				if u.Workplaces != nil {
					t.Errorf("%s has workplaces %+v", u.Unit, u.Workplaces)
				}
			}
			if s.Total.Headcount != 6 {
				t.Errorf("total %d, want 6", s.Total.Headcount)
			}
			if !s.UnitCheck.Registry {
				return
			}
			workplaces := 0
			for _, u := range s.UnitCheck.Unknown {
				if u.Workplace {
					workplaces++
				}
			}
			if workplaces != 2 {
				t.Errorf("unknown %+v, want the two Tả Phời workplaces marked workplace", s.UnitCheck.Unknown)
			}
		})
	}
}

// schoolUnitsWithout is schoolUnits with the school an ordinary sender: its files
// are still its own (files), but list its people, as units.yaml says by default.
func schoolUnitsWithout() string {
	return strings.Replace(schoolUnits, "    lists: learners\n", "", 1)
}

// TestSchoolStaffAndLearners: the school's own staff roster and its class list are
// one unit, whose workplaces add up to its headcount (its staff at its own name).
func TestSchoolStaffAndLearners(t *testing.T) {
	cfg := sheettest.ConfigWithUnits(t, schoolUnits)
	dir := learnerFiles(t)
	if err := os.Remove(filepath.Join(dir, "lop", "khong-ten-truong-2.xlsx")); err != nil {
		t.Fatal(err)
	}
	sheettest.Write(t, filepath.Join(dir, "lop"), "can-bo-truong.xlsx", unitRoster(
		[]any{1, "Phạm Văn H", "Trường Chính trị tỉnh Lào Cai", "07/07/1970", "Nam", "Kinh", "Thạc sĩ"},
	))
	s := buildWith(t, cfg, dir)
	school := unitNamed(s, "Trường Chính trị tỉnh Lào Cai")
	if school == nil || school.Headcount != 4 {
		t.Fatalf("units %v, want the school with its 3 learners and 1 staff", headcounts(s))
	}
	sum := 0
	for _, w := range school.Workplaces {
		sum += w.People
	}
	if sum != school.Headcount {
		t.Errorf("workplaces %+v add up to %d, want %d", school.Workplaces, sum, school.Headcount)
	}
}

// TestSamplesClassesUnderSchools: the samples' Kon Tum class lists, with the shipped
// units.yaml, are the two schools' (the Nông học list, whose title names only the
// class, by files), each a row of form BM01, with the learners' workplaces as
// detail and no unit unknown, the learners below a standard listed under their
// school with their workplace; the headline figures are the published ones. The
// samples are read whole, as canbo run reads them: units.yaml's files patterns and
// groups are paths from the input folder.
func TestSamplesClassesUnderSchools(t *testing.T) {
	cfg := sheettest.Config(t)
	set, err := rules.Compile(cfg)
	if err != nil {
		t.Fatal(err)
	}
	r := ingest.NewReader(normalize.New(cfg), ingest.Options{Now: func() time.Time { return asOf }})
	b, err := r.ReadAll(context.Background(), []string{"../../samples"}, sheettest.Catalog(t))
	if err != nil {
		t.Fatal(err)
	}
	s, err := facts.Build(context.Background(), cfg, b, facts.Options{Period: facts.Period{Month: "2023-09", AsOf: asOf}, Now: asOf, Rules: set})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]int{}
	var kon []summary.Unit
	for _, u := range s.Units {
		if strings.HasPrefix(u.Group, "kon-tum/") {
			got[u.Unit] += u.Headcount
			kon = append(kon, u)
		}
	}
	want := map[string]int{"Phân hiệu Đại học Đà Nẵng tại Kon Tum": 218, "Trường Chính trị tỉnh Kon Tum": 62}
	if len(got) != 2 || got["Phân hiệu Đại học Đà Nẵng tại Kon Tum"] != 218 || got["Trường Chính trị tỉnh Kon Tum"] != 62 {
		t.Fatalf("Kon Tum units %v, want %v", got, want)
	}
	for _, u := range kon {
		if u.Form != "bm01" {
			t.Errorf("%s on form %q, want bm01", u.Unit, u.Form)
		}
		n := 0
		for _, w := range u.Workplaces {
			n += w.People
		}
		if n != u.Headcount || len(u.Workplaces) < 30 {
			t.Errorf("%s: %d workplaces adding up to %d, want dozens adding up to %d", u.Unit, len(u.Workplaces), n, u.Headcount)
		}
	}
	if len(s.UnitCheck.Unknown) != 0 {
		t.Errorf("unknown units %+v", s.UnitCheck.Unknown)
	}
	// The people below a standard are the schools', each with their workplace.
	learners := 0
	for _, p := range s.BelowStandard {
		if _, ok := got[p.Unit]; !ok {
			if p.Workplace != "" {
				t.Errorf("%s of %s has a workplace %q", p.Name, p.Unit, p.Workplace)
			}
			continue
		}
		learners++
		if p.Workplace == "" || p.Workplace == p.Unit {
			t.Errorf("%s of %s: workplace %q", p.Name, p.Unit, p.Workplace)
		}
	}
	if learners < 100 {
		t.Errorf("%d learners below a standard, want the samples' 226", learners)
	}
	var dh summary.Unit
	for _, g := range s.Groups {
		if g.Group == "kon-tum/dai-hoc" {
			dh = g
		}
	}
	if dh.Headcount != 218 || dh.Breakdowns["gioi_tinh"]["nu"] != 61 || dh.Breakdowns["dan_toc_thieu_so"]["true"] != 159 || dh.Breakdowns["duoi_35"]["true"] != 168 {
		t.Errorf("dai-hoc %d people, %v women, %v minorities, %v under 35; want 218, 61, 159, 168", dh.Headcount,
			dh.Breakdowns["gioi_tinh"], dh.Breakdowns["dan_toc_thieu_so"], dh.Breakdowns["duoi_35"])
	}
}

// TestLearnersTrainingRegister: a school's training register (attendances, each
// row naming the learner's workplace) is counted under the school too, with the
// attendances by workplace as detail.
func TestLearnersTrainingRegister(t *testing.T) {
	cfg := sheettest.ConfigWithUnits(t, schoolUnits)
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, "lop"), 0o755); err != nil {
		t.Fatal(err)
	}
	sheettest.Write(t, filepath.Join(dir, "lop"), "khong-ten-truong-so.xlsx", sheettest.Sheet{Name: "Sổ", Rows: [][]any{
		{"SỔ THEO DÕI ĐÀO TẠO, BỒI DƯỠNG NĂM 2023"}, {},
		{"STT", "Họ và tên", "Ngày sinh", "Đơn vị", "Nội dung đào tạo, bồi dưỡng", "Từ ngày", "Đến ngày", "Kinh phí"},
		{1, "Nguyễn Văn A", "01/01/1980", "UBND xã Bản Lầu", "Trung cấp lý luận chính trị", "06/03/2023", "30/08/2023", "Ngân sách"},
		{2, "Lò Thị B", "02/02/1985", "Đảng ủy xã Tả Phời", "Trung cấp lý luận chính trị", "06/03/2023", "30/08/2023", "Ngân sách"},
		{3, "Giàng A C", "03/03/1990", "Đảng ủy xã Tả Phời", "Bồi dưỡng quản lý nhà nước ngạch chuyên viên", "10/04/2023", "10/06/2023", "Ngân sách"},
	}})
	s := buildWith(t, cfg, dir)
	if len(s.Training.Units) != 1 || s.Training.Units[0].Unit != "Trường Chính trị tỉnh Lào Cai" || s.Training.Total != 3 {
		t.Fatalf("training units %+v, want the school's 3 attendances", s.Training.Units)
	}
	want := []summary.Workplace{{Unit: "Đảng ủy xã Tả Phời", People: 2}, {Unit: "UBND xã Bản Lầu", People: 1}}
	if got := s.Training.Units[0].Workplaces; len(got) != 2 || got[0] != want[0] || got[1] != want[1] {
		t.Errorf("workplaces %+v, want %+v", got, want)
	}
}
