// Package legacy_test reads the TCVN3 and VNI rosters of samples/legacy through the real
// pipeline and checks that each gives exactly what its clean twin in samples/kon-tum
// gives: the same people with the same values, the same summary.json figures per unit
// (headcount, gender, ethnic minority, education and the other breakdowns, targets,
// standards). It also checks that no Unicode sample is ever converted.
package samples_test

import (
	"context"
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"canbo/config"
	"canbo/pipeline/facts"
	"canbo/pipeline/ingest"
	"canbo/pipeline/issue"
	"canbo/pipeline/normalize"
	"canbo/pipeline/rules"
	"canbo/pipeline/schema"
	"canbo/templates"
)

type reader struct {
	cfg *schema.Config
	r   *ingest.Reader
	cat *issue.Catalog
	set *rules.Set
}

func newReader(t *testing.T) *reader {
	t.Helper()
	cfg, err := schema.Load(config.FS, "config")
	if err != nil {
		t.Fatal(err)
	}
	cat, err := issue.LoadCatalog(templates.FS)
	if err != nil {
		t.Fatal(err)
	}
	set, err := rules.Compile(cfg)
	if err != nil {
		t.Fatal(err)
	}
	r := ingest.NewReader(normalize.New(cfg), ingest.Options{Now: func() time.Time { return time.Date(2023, 10, 1, 0, 0, 0, 0, time.UTC) }})
	return &reader{cfg: cfg, r: r, cat: cat, set: set}
}

func (rd *reader) read(t *testing.T, paths ...string) *ingest.Batch {
	t.Helper()
	b, err := rd.r.ReadAll(context.Background(), paths, rd.cat)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// figures is the part of summary.json that depends on the people read.
type figures struct {
	Total, Units, Targets, Standards, BelowStandard any
}

func (rd *reader) figures(t *testing.T, b *ingest.Batch) string {
	t.Helper()
	s, err := facts.Build(context.Background(), rd.cfg, b, facts.Options{Period: facts.Period{Month: "2023-09", AsOf: asOf}, Now: asOf, Rules: rd.set})
	if err != nil {
		t.Fatal(err)
	}
	for _, dim := range []string{"gioi_tinh", "dan_toc_thieu_so", "trinh_do_chuyen_mon", "ly_luan_chinh_tri"} {
		if _, ok := s.Total.Breakdowns[dim]; !ok {
			t.Fatalf("summary has no %s breakdown", dim)
		}
	}
	// A class list is its school's (units.yaml lists: learners): its units are the
	// learners' workplaces, kept as the school's detail.
	units := len(s.Units)
	for _, u := range s.Units {
		units += len(u.Workplaces)
	}
	if units < 5 {
		t.Fatalf("only %d units and workplaces", units)
	}
	for i := range s.BelowStandard {
		s.BelowStandard[i].File = "" // the only field that names the file
	}
	out, err := json.MarshalIndent(figures{s.Total, s.Units, s.Targets, s.Standards, s.BelowStandard}, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

func TestLegacyRostersMatchClean(t *testing.T) {
	rd := newReader(t)
	for _, tc := range []struct {
		legacy, clean, from string
		people              int
	}{
		{"_doi-chieu/legacy/DS lop Luat - TCVN3.xlsx", "kon-tum/dai-hoc/DS lop Luat - Phan hieu DHDN.xlsx", "tcvn3", 65},
		{"_doi-chieu/legacy/Danh sach lop Trung cap Luat - VNI.xlsx", "kon-tum/trung-cap-luat/Danh sách lớp Trung cấp Luật.xlsx", "vni", 62},
	} {
		t.Run(tc.from, func(t *testing.T) {
			lb, cb := rd.read(t, tc.legacy), rd.read(t, tc.clean)
			lf, cf := lb.Files[0], cb.Files[0]
			if lf.Status != ingest.Accepted {
				t.Fatalf("%s: %s %v", lf.Name, lf.Status, lf.Issues)
			}
			lp, cp := lb.Records("roster"), cb.Records("roster")
			if len(lp) != tc.people || len(cp) != tc.people {
				t.Fatalf("%d people (clean %d), want %d", len(lp), len(cp), tc.people)
			}
			// The same people, value by value, in the same rows.
			for i := range lp {
				l, c := lp[i], cp[i]
				if l.Unit != c.Unit || l.Row != c.Row || !reflect.DeepEqual(l.Values, c.Values) {
					t.Errorf("row %d: %s %+v\nclean: %s %+v", l.Row, l.Unit, l.Values, c.Unit, c.Values)
				}
			}
			// The same figures per unit and overall.
			if got, want := rd.figures(t, lb), rd.figures(t, cb); got != want {
				t.Errorf("summary figures differ:\n%s\nclean:\n%s", got, want)
			}
			// The sheet as the clean one, plus the conversion.
			ls, cs := lf.Sheets[0], cf.Sheets[0]
			// (Unit differs: with a unit column the sheet's fallback unit is the file name.)
			if !reflect.DeepEqual(ls.HeaderRows, cs.HeaderRows) || ls.NumberingRow != cs.NumberingRow || ls.UnitSource != cs.UnitSource ||
				!ls.AsOf.Equal(cs.AsOf) || !reflect.DeepEqual(ls.Skipped, cs.Skipped) || len(ls.Columns) != len(cs.Columns) ||
				!reflect.DeepEqual(ls.Unmapped, cs.Unmapped) {
				t.Errorf("sheet read differently: %+v\nclean: %+v", ls, cs)
			}
			for i := range min(len(ls.Columns), len(cs.Columns)) {
				if l, c := ls.Columns[i], cs.Columns[i]; l.Col != c.Col || l.Header != c.Header {
					t.Errorf("column %d: header %q, clean %q", l.Col, l.Header, c.Header)
				}
			}
			if len(cs.Converted) != 0 || len(ls.Converted) < 8 {
				t.Errorf("converted columns: %+v (clean %+v)", ls.Converted, cs.Converted)
			}
			for _, c := range ls.Converted {
				if c.From != tc.from || c.Cells == 0 {
					t.Errorf("conversion %+v, want from %s", c, tc.from)
				}
			}
			// The same issues, plus exactly one conversion warning.
			codes := func(list []issue.Issue) map[issue.Code]int { return issue.Count(list).ByCode }
			want := codes(cf.Issues)
			want[issue.LegacyConverted]++
			if got := codes(lf.Issues); !reflect.DeepEqual(got, want) {
				t.Errorf("issues %v, want %v", got, want)
			}
			for _, is := range lf.Issues {
				if is.Code == issue.LegacyConverted && (is.Severity != issue.Warning || is.Args["columns"] == "" || is.Message == "") {
					t.Errorf("conversion warning: %+v", is)
				}
			}
		})
	}
}

// TestUnicodeSamplesNotConverted: no Unicode sample has a column converted or a legacy
// warning.
func TestUnicodeSamplesNotConverted(t *testing.T) {
	rd := newReader(t)
	for _, dir := range []string{"cho-don", "kon-tum", "soc-trang", "loi-mau"} {
		b := rd.read(t, dir)
		n := 0
		for _, f := range b.Files {
			for _, s := range f.Sheets {
				n++
				if len(s.Converted) > 0 {
					t.Errorf("%s › %s: converted %+v", f.Name, s.Name, s.Converted)
				}
			}
			for _, is := range f.Issues {
				if is.Code == issue.LegacyConverted || is.Code == issue.LegacyUnsure {
					t.Errorf("%s", is.Error())
				}
			}
		}
		if n == 0 {
			t.Errorf("%s: no sheet read", dir)
		}
	}
}
