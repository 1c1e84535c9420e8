package report_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"canbo/pipeline/history"
	"canbo/pipeline/internal/sheettest"
	"canbo/pipeline/report"
	"canbo/pipeline/reporttext"
	"canbo/pipeline/rules"
	"canbo/pipeline/schema"
	"canbo/pipeline/summary"
	"canbo/templates"
)

func tools(t *testing.T) report.Tools {
	t.Helper()
	cfg := sheettest.Config(t)
	set, err := rules.Compile(cfg)
	if err != nil {
		t.Fatal(err)
	}
	txt, err := reporttext.Load(templates.FS)
	if err != nil {
		t.Fatal(err)
	}
	return report.Tools{Config: cfg, Rules: set, Catalog: sheettest.Catalog(t), Text: txt}
}

// TestHistoryComparison: two months run one after the other; the second report
// knows the first (the change since the previous period and each target's trend),
// and both runs are in the history.
func TestHistoryComparison(t *testing.T) {
	dir := t.TempDir()
	db, err := history.Open(filepath.Join(dir, history.FileName))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	tl := tools(t)
	now := func() time.Time { return time.Date(2023, 11, 1, 7, 0, 0, 0, time.UTC) }
	var last *report.Result
	for _, period := range []string{"2023-09", "2023-10"} {
		var res *report.Result
		err := db.Record(context.Background(), period, "schedule", func() (*summary.Summary, string, error) {
			var err error
			res, err = report.Run(context.Background(), tl, report.Options{Inputs: []string{"../../samples/soc-trang"},
				Out: filepath.Join(dir, "out"), Period: period, Now: now, History: db, NoFeedback: true})
			return res.Made(err)
		})
		if err != nil {
			t.Fatal(err)
		}
		last = res
	}
	s := last.Summary
	if s.Previous == nil || s.Previous.Period != "2023-09" || s.Previous.Total.PreviousHeadcount != 296 || s.Previous.Total.HeadcountChange != 0 {
		t.Fatalf("previous: %+v", s.Previous)
	}
	withTrend := 0
	for _, tg := range s.Targets {
		if len(tg.Trend) == 2 && tg.Trend[0].Period == "2023-09" && tg.Trend[1].Period == "2023-10" {
			withTrend++
		}
	}
	if withTrend != len(s.Targets) {
		t.Errorf("%d of %d targets have a two-period trend", withTrend, len(s.Targets))
	}
	data, err := os.ReadFile(filepath.Join(last.Dir, "summary.json"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), `"previous": {`) || !strings.Contains(string(data), `"trend": [`) {
		t.Error("summary.json lacks previous or trend")
	}
	runs, err := db.Runs(context.Background(), 0)
	if err != nil || len(runs) != 2 {
		t.Fatalf("runs: %v %v", runs, err)
	}
	if missed, _ := db.MissedRun(context.Background(), "2023-10"); missed {
		t.Error("October counts as missed after its scheduled run")
	}
}

// TestFailedRunRecordsItsCause: a run that fails (here: the output folder is a file)
// is recorded in the history as failed with its own cause, for canbo status to show.
func TestFailedRunRecordsItsCause(t *testing.T) {
	dir := t.TempDir()
	db, err := history.Open(filepath.Join(dir, history.FileName))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	out := filepath.Join(dir, "out")
	if err := os.WriteFile(out, []byte("not a folder"), 0o644); err != nil {
		t.Fatal(err)
	}
	now := func() time.Time { return time.Date(2023, 10, 1, 7, 0, 0, 0, time.UTC) }
	runErr := db.Record(context.Background(), "2023-09", "schedule", func() (*summary.Summary, string, error) {
		res, err := report.Run(context.Background(), tools(t), report.Options{Inputs: []string{"../../samples/soc-trang"},
			Out: out, Period: "2023-09", Now: now, History: db, NoFeedback: true})
		return res.Made(err)
	})
	if runErr == nil {
		t.Fatal("the run wrote into a file as if it were a folder")
	}
	runs, err := db.Runs(context.Background(), 0)
	if err != nil || len(runs) != 1 {
		t.Fatalf("runs: %v %v", runs, err)
	}
	r := runs[0]
	if r.Status != history.StatusFailed || r.Error == "" || strings.Contains(r.Error, "summary") {
		t.Errorf("run recorded as %s with error %q; want failed with the run's own cause (%v)", r.Status, r.Error, runErr)
	}
}

// TestNoPeopleNoReport: a folder with nobody to count gives no report (no "0 đơn vị, 0
// người" for a leader to sign), an error that says why, and exit 1 in canbo run.
func TestNoPeopleNoReport(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "in")
	if err := os.MkdirAll(in, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(in, "ghi-chu.txt"), []byte("không phải bảng tính"), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out")
	_, err := report.Run(context.Background(), tools(t), report.Options{Inputs: []string{in}, Out: out, Period: "2023-09",
		Now: func() time.Time { return time.Date(2023, 10, 1, 7, 0, 0, 0, time.UTC) }})
	if !errors.Is(err, report.ErrNoPeople) || !strings.Contains(err.Error(), "Không lập báo cáo") {
		t.Fatalf("err = %v, want ErrNoPeople explained", err)
	}
	for _, name := range []string{"summary.json", "bao-cao-2023-09.pdf", "bao-cao-2023-09.xlsx"} {
		if _, err := os.Stat(filepath.Join(out, "2023-09", name)); err == nil {
			t.Errorf("%s was written for a period with no one in it", name)
		}
	}
}

// TestReportSetReplacedWhole: a second run replaces the period's folder whole: the
// feedback of a file that is no longer sent (or no longer has problems) is gone, and
// what a killed run left (a staging folder, a temporary file) is cleaned up.
func TestReportSetReplacedWhole(t *testing.T) {
	dir := t.TempDir()
	in, out := filepath.Join(dir, "in"), filepath.Join(dir, "out")
	cp := func(src string) {
		t.Helper()
		data, err := os.ReadFile(src)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(in, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(in, filepath.Base(src)), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	run := func() *report.Result {
		t.Helper()
		res, err := report.Run(context.Background(), tools(t), report.Options{Inputs: []string{in}, Out: out, Period: "2023-09",
			Now: func() time.Time { return time.Date(2023, 10, 1, 7, 0, 0, 0, time.UTC) }})
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	cp("../../samples/loi-mau/UBND xã Mẫu Lỗi.xlsx")
	first := run()
	stale := filepath.Join(out, "2023-09", "phan-hoi", "UBND xã Mẫu Lỗi.xlsx")
	if _, err := os.Stat(stale); err != nil || len(first.Feedback) != 1 {
		t.Fatalf("the first run wrote no feedback for the file with errors (%v, %v)", err, first.Feedback)
	}
	// A killed run left these behind.
	for _, p := range []string{filepath.Join(out, ".2023-09.partial-77", "summary.json"),
		filepath.Join(out, "2023-09", ".bao-cao-2023-09.pdf.tmp-4242")} {
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("half"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.RemoveAll(in); err != nil {
		t.Fatal(err)
	}
	cp("../../samples/cho-don/UBND xã Bình Trung.xlsx")
	second := run()
	if _, err := os.Stat(stale); !os.IsNotExist(err) {
		t.Errorf("the feedback of a file no longer sent is still there (%v)", err)
	}
	var left []string
	_ = filepath.WalkDir(out, func(p string, d os.DirEntry, err error) error {
		if err == nil && d.Name() == report.CacheFolder {
			return filepath.SkipDir // kept on purpose, for the next run
		}
		if err == nil && strings.HasPrefix(d.Name(), ".") {
			left = append(left, p)
		}
		return nil
	})
	if len(left) > 0 {
		t.Errorf("left behind: %v", left)
	}
	for _, w := range second.Written {
		if _, err := os.Stat(w); err != nil || filepath.Dir(w) != filepath.Join(out, "2023-09") {
			t.Errorf("written %s: %v", w, err)
		}
	}
}

// TestRuleFailureIsReported: a target whose expression passes config check but fails
// on people is not computed (no "0/120, short 36" as if it were), and each failure is
// a rule-failed problem in summary.json and the reports.
func TestRuleFailureIsReported(t *testing.T) {
	tl := tools(t)
	cfg := *tl.Config
	cfg.Targets = schema.Targets{RuleSets: []*schema.RuleSet{{Code: "thu", Title: "Thử", Targets: []*schema.Target{{
		ID: "so_nam", Title: "Ghi chú là số", Counted: `int(ghi_chu) > 3`, Threshold: "50%",
	}}}}}
	set, err := rules.Compile(&cfg)
	if err != nil {
		t.Fatal(err)
	}
	tl.Config, tl.Rules = &cfg, set
	out := t.TempDir()
	res, err := report.Run(context.Background(), tl, report.Options{Inputs: []string{"../../samples/cho-don/DS CBCC 2023.xlsx"},
		Out: out, Period: "2023-09", NoFeedback: true,
		Now: func() time.Time { return time.Date(2023, 10, 1, 7, 0, 0, 0, time.UTC) }})
	if err != nil {
		t.Fatal(err)
	}
	s := res.Summary
	if len(s.Targets) != 1 || s.Targets[0].Computed() || s.Targets[0].Met || s.Targets[0].Shortfall != 0 {
		t.Fatalf("targets %+v, want one not computed", s.Targets)
	}
	if !report.RulesFailed(s) || s.Issues.Errors == 0 {
		t.Errorf("issues %+v", s.Issues)
	}
	var found bool
	for _, p := range s.Problems {
		if p.Code == "rule-failed" && strings.Contains(p.Message, `"so_nam"`) && p.Cell != "" {
			found = true
		}
	}
	if !found {
		t.Errorf("no rule-failed problem naming the target and a row: %+v", s.Problems)
	}
	data, err := os.ReadFile(filepath.Join(res.Dir, "summary.json"))
	if err != nil || !strings.Contains(string(data), `"failed":`) {
		t.Errorf("summary.json lacks the failed count (%v)", err)
	}
}

// TestOfficeTimeZone: "this month" and the report's time are the office's
// (serve.yaml time_zone), not the machine's. At 18:00 UTC on 30 September it is
// already 1 October in Việt Nam: a run there without --period reports October, as of
// the 1st, stamped +07:00; an office whose zone is UTC still reports September.
func TestOfficeTimeZone(t *testing.T) {
	in := t.TempDir()
	sheettest.Write(t, in, "UBND xã A.xlsx", sheettest.Sheet{Name: "DS", Rows: [][]any{
		{"UBND XÃ A"},
		{"STT", "Họ và tên", "Ngày sinh", "Giới tính", "Trình độ chuyên môn"},
		{1, "Nguyễn Văn An", "01/02/1980", "Nam", "Đại học"},
	}})
	vn, err := time.LoadLocation("Asia/Ho_Chi_Minh")
	if err != nil {
		t.Fatal(err)
	}
	now := func() time.Time { return time.Date(2023, 9, 30, 18, 0, 0, 0, time.UTC) }
	for _, c := range []struct {
		loc                     *time.Location
		period, asOf, generated string
	}{
		{vn, "2023-10", "2023-10-01", "2023-10-01T01:00:00+07:00"},
		{nil, "2023-10", "2023-10-01", "2023-10-01T01:00:00+07:00"}, // the default
		{time.UTC, "2023-09", "2023-09-30", "2023-09-30T18:00:00Z"},
	} {
		res, err := report.Run(context.Background(), tools(t), report.Options{Inputs: []string{in}, Out: t.TempDir(),
			Now: now, Location: c.loc, NoFeedback: true})
		if err != nil {
			t.Fatal(err)
		}
		s := res.Summary
		if s.Period != c.period || s.AsOf != c.asOf || s.GeneratedAt != c.generated {
			t.Errorf("zone %v: period %s, as of %s, generated %s; want %s, %s, %s", c.loc, s.Period, s.AsOf, s.GeneratedAt,
				c.period, c.asOf, c.generated)
		}
	}
}

// TestRuleFailuresBounded: a rule that fails on every person of many files is counted
// as failed for all of them but reported at most rules.MaxFailures times, the first
// ones in file order: a national batch keeps fifty messages, not a million.
func TestRuleFailuresBounded(t *testing.T) {
	tl := tools(t)
	cfg := *tl.Config
	cfg.Targets = schema.Targets{RuleSets: []*schema.RuleSet{{Code: "thu", Title: "Thử", Targets: []*schema.Target{{
		ID: "ten_so", Title: "Tên là số", Counted: `int(ho_ten) > 3`, Threshold: "50%", Scope: schema.ScopeBoth,
	}}}}}
	set, err := rules.Compile(&cfg)
	if err != nil {
		t.Fatal(err)
	}
	tl.Config, tl.Rules = &cfg, set
	res, err := report.Run(context.Background(), tl, report.Options{Inputs: []string{"../../samples/cho-don"},
		Out: t.TempDir(), Period: "2023-09", NoFeedback: true, NoCache: true,
		Now: func() time.Time { return time.Date(2023, 10, 1, 7, 0, 0, 0, time.UTC) }})
	if err != nil {
		t.Fatal(err)
	}
	s := res.Summary
	if s.Targets[0].Unit != "" || s.Targets[0].Failed != s.Total.Headcount {
		t.Fatalf("overall target %+v: want failed for all %d people", s.Targets[0], s.Total.Headcount)
	}
	var failed []string
	for _, p := range s.Problems {
		if p.Code == "rule-failed" {
			failed = append(failed, p.File)
		}
	}
	if len(failed) != rules.MaxFailures {
		t.Fatalf("%d rule failures reported, want %d", len(failed), rules.MaxFailures)
	}
	if first := s.Files[0].File; failed[0] != first {
		t.Errorf("the first failure reported is in %q, want the first file %q", failed[0], first)
	}
}
