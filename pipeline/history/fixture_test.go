package history

import (
	"context"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"canbo/pipeline/summary"
)

// clock is a fake clock that moves one minute each time it is read.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(time.Minute)
	return c.t
}

// openTemp opens a new database in a temporary folder, closed at the end of the test.
func openTemp(t *testing.T) (*DB, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "state", FileName)
	c := &clock{t: time.Date(2023, 10, 1, 0, 0, 0, 0, time.UTC)}
	db, err := Open(path, WithClock(c.now))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db, path
}

// person counts of one unit in a fixture.
type unitSpec struct {
	group, name string
	nam, nu     int // by sex; headcount = nam + nu + unknown
	unknown     int // sex not recognised
	thacSi      int // of them, with a master's degree (the rest: đại học)
}

func (u unitSpec) unit() summary.Unit {
	n := u.nam + u.nu + u.unknown
	return summary.Unit{Unit: u.name, Group: u.group, Headcount: n, Breakdowns: map[string]map[string]int{
		"gioi_tinh":           {"nam": u.nam, "nu": u.nu, "chua_xac_dinh": u.unknown},
		"trinh_do_chuyen_mon": {"thac_si": u.thacSi, "dai_hoc": n - u.thacSi, "chua_xac_dinh": 0},
		"khong_ma":            {}, // a dimension whose vocabulary has no codes
	}}
}

func add(a, b summary.Unit) summary.Unit {
	a.Headcount += b.Headcount
	if a.Breakdowns == nil {
		a.Breakdowns = map[string]map[string]int{}
	}
	for d, codes := range b.Breakdowns {
		if a.Breakdowns[d] == nil {
			a.Breakdowns[d] = map[string]int{}
		}
		for c, n := range codes {
			a.Breakdowns[d][c] += n
		}
	}
	return a
}

// target evaluates a fixture target like package rules does: share rounded to 4
// decimals, met and shortfall exact.
func target(id, unit string, count, population int, threshold summary.Ratio) summary.Target {
	return summary.Target{ID: id, Title: "Chỉ tiêu " + id, RuleSet: "de_an_02", Unit: unit,
		Population: population, Count: count, Share: summary.Share(count, population),
		Threshold: threshold.Float(), Met: threshold.Met(count, population),
		Shortfall: threshold.Shortfall(count, population), Deadline: "2025-12-31"}
}

var seventy = summary.Ratio{Num: 7, Den: 10}

// fixture builds one period's summary from its units: groups, total, one overall
// target (share of masters overall, threshold 70%) and one per unit (share of
// women, 50%), a standard per unit, training counts and files.
func fixture(period string, units ...unitSpec) *summary.Summary {
	s := &summary.Summary{
		SchemaVersion: summary.SchemaVersion, Period: period, AsOf: period + "-28",
		GeneratedAt: "2023-10-01T07:00:00+07:00",
		Files:       []summary.File{}, Units: []summary.Unit{},
		Targets: []summary.Target{}, Standards: []summary.Standard{}, BelowStandard: []summary.Person{},
		Training: summary.Training{Total: 0, ByType: map[string]int{}, ByFunding: map[string]int{}, Units: []summary.TrainingUnit{}},
		Issues:   summary.Issues{Errors: 1, Warnings: 2, ByCode: map[string]int{"unknown-value": 2, "bad-date": 1}},
	}
	groups := map[string]int{}
	var masters int
	for i, u := range units {
		su := u.unit()
		s.Units = append(s.Units, su)
		g, ok := groups[u.group]
		if !ok {
			g = len(s.Groups)
			groups[u.group] = g
			s.Groups = append(s.Groups, summary.Unit{Group: u.group, Breakdowns: map[string]map[string]int{}})
		}
		s.Groups[g] = add(s.Groups[g], su)
		s.Total = add(s.Total, su)
		masters += u.thacSi
		s.Files = append(s.Files, summary.File{File: u.name + ".xlsx", Path: filepath.Join("inbox", u.group, u.name+".xlsx"),
			Group: u.group, SHA256: "sha-" + period + "-" + u.name, Status: "accepted", Dataset: "roster", Unit: u.name,
			Sheet: "DS", HeaderRows: []int{7, 8}, Rows: su.Headcount, Warnings: i % 2})
		s.Training.Units = append(s.Training.Units, summary.TrainingUnit{Unit: u.name, Total: 2 * i,
			ByType: map[string]int{"ly_luan_chinh_tri": i, "khac": i}, ByFunding: map[string]int{"ngan_sach": 2 * i}})
		s.Training.Total += 2 * i
		s.Training.ByType["ly_luan_chinh_tri"] += i
		s.Training.ByType["khac"] += i
		s.Training.ByFunding["ngan_sach"] += 2 * i
		s.Standards = append(s.Standards, summary.Standard{ID: "cong_chuc_xa", Title: "Công chức cấp xã", Unit: u.name,
			Population: su.Headcount, Compliant: su.Headcount - u.unknown,
			Gaps: map[string]int{"trinh_do_chuyen_mon": u.unknown, "ly_luan_chinh_tri": 0}})
	}
	if s.Total.Breakdowns == nil {
		s.Total.Breakdowns = map[string]map[string]int{}
	}
	s.Files = append(s.Files, summary.File{File: "~$khoa.xlsx", Path: "inbox/~$khoa.xlsx", Status: "ignored", HeaderRows: []int{}},
		summary.File{File: "hong.xlsx", Path: "inbox/hong.xlsx", SHA256: "sha-hong", Status: "rejected", HeaderRows: []int{},
			Errors: 1, Reason: "Tệp bị hỏng, không mở được."})
	s.Targets = append(s.Targets, target("sdh", "", masters, s.Total.Headcount, seventy))
	for _, u := range units {
		s.Targets = append(s.Targets, target("nu", u.name, u.nu, u.nam+u.nu+u.unknown, summary.Ratio{Num: 1, Den: 2}))
	}
	return s
}

// store records s as a finished run with the given trigger and outcome.
func store(t *testing.T, db *DB, s *summary.Summary, trigger string, runErr error) RunID {
	t.Helper()
	ctx := context.Background()
	id, err := db.StartRun(ctx, s.Period, trigger)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.FinishRun(ctx, id, s, filepath.Join("out", s.Period), runErr); err != nil {
		t.Fatal(err)
	}
	return id
}
