package history

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"canbo/pipeline/summary"
)

func TestOpenTwiceIsIdempotent(t *testing.T) {
	db, path := openTemp(t)
	ctx := context.Background()
	id := store(t, db, fixture("2023-08", unitSpec{name: "Xã A", nam: 3, nu: 2, thacSi: 1}), TriggerManual, nil)
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	// A clean close checkpoints the WAL: canbo.db alone is the whole database, so
	// copying it while canbo is stopped is a backup (docs/serve.md).
	if _, err := os.Stat(path + "-wal"); !os.IsNotExist(err) {
		t.Errorf("%s-wal still there after Close: %v", path, err)
	}
	for range 2 {
		db2, err := Open(path)
		if err != nil {
			t.Fatalf("open again: %v", err)
		}
		var n int
		if err := db2.sql.QueryRowContext(ctx, `SELECT COUNT(*) FROM schema_migrations WHERE component = 'history'`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != len(migrations) {
			t.Errorf("schema_migrations has %d rows for history, want %d", n, len(migrations))
		}
		r, err := db2.Run(ctx, id)
		if err != nil || r == nil || r.Status != StatusOK || r.Headcount != 5 {
			t.Errorf("run after reopening = %+v, %v; want ok with headcount 5", r, err)
		}
		var mode, sync string
		db2.sql.QueryRowContext(ctx, `PRAGMA journal_mode`).Scan(&mode)
		db2.sql.QueryRowContext(ctx, `PRAGMA synchronous`).Scan(&sync)
		if mode != "wal" || sync != "2" { // 2 = FULL
			t.Errorf("journal_mode %q synchronous %q, want wal and 2 (FULL)", mode, sync)
		}
		db2.Close()
	}
}

func TestOpenNewDatabaseConcurrently(t *testing.T) {
	path := filepath.Join(t.TempDir(), FileName)
	var wg sync.WaitGroup
	errs := make([]error, 4)
	for i := range errs {
		wg.Go(func() {
			db, err := Open(path)
			if err == nil {
				err = db.Close()
			}
			errs[i] = err
		})
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("open %d: %v", i, err)
		}
	}
}

func TestOpenRefusesNewerSchema(t *testing.T) {
	db, path := openTemp(t)
	if _, err := db.sql.Exec(`INSERT INTO schema_migrations VALUES ('history', 99, 'from the future', '')`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	_, err := Open(path)
	if err == nil || !strings.Contains(err.Error(), "mới hơn") {
		t.Fatalf("Open on a newer schema: %v; want a refusal", err)
	}
}

func TestOpenRejectsDriverSyntaxInPath(t *testing.T) {
	for _, p := range []string{"", "a.db?mode=ro", "file:a.db", ":memory:"} {
		if _, err := Open(p); err == nil {
			t.Errorf("Open(%q) succeeded", p)
		}
	}
}

// normalized is s as the database gives it back: no people, no problems.
func normalized(s *summary.Summary) *summary.Summary {
	c := *s
	c.BelowStandard = []summary.Person{}
	c.Problems = nil
	return &c
}

func TestRunStoredAndReadBackInFull(t *testing.T) {
	db, _ := openTemp(t)
	ctx := context.Background()
	s := fixture("2023-09",
		unitSpec{group: "cho-don", name: "UBND xã Nghĩa Tá", nam: 10, nu: 8, unknown: 1, thacSi: 2},
		unitSpec{group: "cho-don", name: "UBND xã Bản Thi", nam: 7, nu: 12, thacSi: 0},
		unitSpec{group: "ke-sach", name: "Huyện ủy Kế Sách", nam: 20, nu: 5, thacSi: 15},
	)
	s.BelowStandard = []summary.Person{{Standard: "cong_chuc_xa", Unit: "UBND xã Nghĩa Tá", Name: "Nguyễn Văn A"}}
	s.Problems = []summary.Problem{{Code: "bad-date", File: "x.xlsx", Cell: "C7"}}
	id := store(t, db, s, TriggerSchedule, nil)

	got, err := db.Figures(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if want := normalized(s); !reflect.DeepEqual(got, want) {
		gj, _ := json.MarshalIndent(got, "", " ")
		wj, _ := json.MarshalIndent(want, "", " ")
		t.Fatalf("figures read back differ\n got %s\nwant %s", gj, wj)
	}
	// No personal data in the file.
	var names int
	db.sql.QueryRow(`SELECT COUNT(*) FROM files WHERE file LIKE '%Nguyễn%'`).Scan(&names)
	if names != 0 {
		t.Error("a person's name was stored")
	}

	r, err := db.LastRun(ctx, "2023-09")
	if err != nil {
		t.Fatal(err)
	}
	want := Run{ID: id, Period: "2023-09", Trigger: TriggerSchedule, Status: StatusOK,
		StartedAt: time.Date(2023, 10, 1, 0, 1, 0, 0, time.UTC), FinishedAt: time.Date(2023, 10, 1, 0, 2, 0, 0, time.UTC),
		AsOf: "2023-09-28", GeneratedAt: s.GeneratedAt, OutDir: filepath.Join("out", "2023-09"),
		Headcount: 63, Files: 5, Accepted: 3, Targets: 4, TargetsMet: 1, Errors: 1, Warnings: 2}
	if !reflect.DeepEqual(*r, want) {
		t.Errorf("LastRun =\n %+v\nwant\n %+v", *r, want)
	}
	if none, err := db.Figures(ctx, id+100); none != nil || err != nil {
		t.Errorf("Figures of an unknown run = %v, %v; want nil, nil", none, err)
	}
}

// The summary of the sample inputs (go run ./cmd/canbo run, trimmed to a few units,
// without people and problems) goes in and comes back unchanged.
func TestSampleSummaryRoundTrips(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("testdata", "samples-2023-09.json"))
	if err != nil {
		t.Fatal(err)
	}
	var s summary.Summary
	if err := json.Unmarshal(b, &s); err != nil {
		t.Fatal(err)
	}
	db, _ := openTemp(t)
	id := store(t, db, &s, TriggerManual, nil)
	got, err := db.Figures(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	gj, _ := json.MarshalIndent(got, "", " ")
	wj, _ := json.MarshalIndent(normalized(&s), "", " ")
	if string(gj) != string(wj) {
		t.Fatalf("summary.json of the stored figures differs\n got %.2000s\nwant %.2000s", gj, wj)
	}
}

func TestPreviousPicksLatestSuccessfulRunOfEarlierPeriod(t *testing.T) {
	db, _ := openTemp(t)
	ctx := context.Background()
	a := unitSpec{name: "Xã A", nam: 5, nu: 5, thacSi: 7}
	store(t, db, fixture("2023-07", a), TriggerSchedule, nil)
	a.nam = 6
	store(t, db, fixture("2023-08", a), TriggerSchedule, nil) // 11 people
	a.nam = 8
	aug := store(t, db, fixture("2023-08", a), TriggerManual, nil) // re-run: 13 people, the one to use
	a.nam = 40
	store(t, db, fixture("2023-08", a), TriggerManual, errors.New("PDF không ghi được")) // failed: ignored
	if _, err := db.StartRun(ctx, "2023-08", TriggerManual); err != nil {                // still running: ignored
		t.Fatal(err)
	}
	a.nam = 9
	sep := store(t, db, fixture("2023-09", a), TriggerSchedule, nil)
	store(t, db, fixture("2023-10", a), TriggerSchedule, errors.New("không có tệp")) // a period with only a failure

	for _, tc := range []struct {
		period    string
		wantRun   RunID
		wantHeads int
	}{
		{"2023-07", 0, 0},
		{"2023-08", 1, 10},
		{"2023-09", aug, 13},
		{"2023-10", sep, 14},
		{"2023-11", sep, 14}, // October failed: September is the latest good figures
		{"2024-01", sep, 14},
	} {
		prev, err := db.Previous(ctx, tc.period)
		if err != nil {
			t.Fatalf("Previous(%s): %v", tc.period, err)
		}
		if tc.wantRun == 0 {
			if prev != nil {
				t.Errorf("Previous(%s) = %s, want none", tc.period, prev.Period)
			}
			continue
		}
		want, _ := db.Figures(ctx, tc.wantRun)
		if prev == nil || !reflect.DeepEqual(prev, want) || prev.Total.Headcount != tc.wantHeads {
			t.Errorf("Previous(%s): got %+v, want run %d with headcount %d", tc.period, prev, tc.wantRun, tc.wantHeads)
		}
	}
	if _, err := db.Previous(ctx, "2023-9"); err == nil {
		t.Error("Previous accepted a bad period")
	}
}

func TestTrendOrderAndLimits(t *testing.T) {
	db, _ := openTemp(t)
	ctx := context.Background()
	// One unit, spelled three ways across the periods; masters rise each month.
	names := []string{"UBND xã Nghĩa Tá", "Ủy ban nhân dân xã Nghĩa Tá", "Xã Nghĩa Tá", "UBND XÃ NGHĨA TÁ"}
	periods := []string{"2023-06", "2023-07", "2023-08", "2023-09"}
	// Stored out of order, and with a failed later re-run of July.
	for _, i := range []int{2, 0, 1, 3} {
		u := unitSpec{name: names[i], nam: 10, nu: 5 + i, thacSi: 6 + i}
		store(t, db, fixture(periods[i], u), TriggerSchedule, nil)
	}
	store(t, db, fixture("2023-07", unitSpec{name: names[1], nam: 1, nu: 1}), TriggerManual, errors.New("hỏng"))

	pts, err := db.Trend(ctx, "sdh", "", 0, nil)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range pts {
		got = append(got, fmt.Sprintf("%s %d/%d %v", p.Period, p.Count, p.Population, p.Met))
	}
	want := []string{"2023-06 6/15 false", "2023-07 7/16 false", "2023-08 8/17 false", "2023-09 9/18 false"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Trend(sdh) = %q, want %q", got, want)
	}

	pts, _ = db.Trend(ctx, "nu", "xã nghĩa tá", 2, nil)
	if len(pts) != 2 || pts[0].Period != "2023-08" || pts[1].Period != "2023-09" || pts[1].Share != summary.Share(8, 18) {
		t.Errorf("Trend(nu, one unit, 2) = %+v; want August then September", pts)
	}
	pts, _ = db.TrendBefore(ctx, "nu", "UBND xã Nghĩa Tá", "2023-09", 0, nil)
	if len(pts) != 3 || pts[2].Period != "2023-08" {
		t.Errorf("TrendBefore(2023-09) = %+v; want June to August", pts)
	}
	if pts, _ := db.Trend(ctx, "nu", "Xã Khác", 0, nil); len(pts) != 0 {
		t.Errorf("Trend for another unit = %+v, want none", pts)
	}

	cur := fixture("2023-10", unitSpec{name: "UBND xã Nghĩa Tá", nam: 10, nu: 10, thacSi: 14})
	trends, err := db.Trends(ctx, cur, 3, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(trends) != len(cur.Targets) {
		t.Fatalf("Trends gave %d trends for %d targets", len(trends), len(cur.Targets))
	}
	var periodsOf []string
	for _, p := range trends[0].Points {
		periodsOf = append(periodsOf, p.Period)
	}
	if trends[0].ID != "sdh" || !reflect.DeepEqual(periodsOf, []string{"2023-08", "2023-09", "2023-10"}) ||
		!trends[0].Points[2].Met || trends[0].Points[2].Run != 0 {
		t.Errorf("Trends[0] = %+v; want sdh over August to October, October met", trends[0])
	}
}

func TestMissedRun(t *testing.T) {
	db, _ := openTemp(t)
	ctx := context.Background()
	missed := func(p string) bool {
		t.Helper()
		m, err := db.MissedRun(ctx, p)
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	s := fixture("2023-09", unitSpec{name: "Xã A", nam: 1})
	if !missed("2023-09") {
		t.Error("missed with no runs at all = false")
	}
	store(t, db, s, TriggerManual, nil)
	if !missed("2023-09") {
		t.Error("a manual run counted as the scheduled one")
	}
	store(t, db, s, TriggerSchedule, errors.New("máy tắt"))
	if !missed("2023-09") {
		t.Error("a failed scheduled run counted")
	}
	if _, err := db.StartRun(ctx, "2023-09", TriggerSchedule); err != nil {
		t.Fatal(err)
	}
	if !missed("2023-09") {
		t.Error("an unfinished scheduled run counted")
	}
	store(t, db, s, TriggerCatchUp, nil)
	if missed("2023-09") {
		t.Error("missed after a successful catch-up run")
	}
	if !missed("2023-10") {
		t.Error("October not missed")
	}
	store(t, db, fixture("2023-10", unitSpec{name: "Xã A", nam: 1}), TriggerSchedule, nil)
	if missed("2023-10") {
		t.Error("October missed after its scheduled run")
	}
	if _, err := db.MissedRun(ctx, "10/2023"); err == nil {
		t.Error("MissedRun accepted a bad period")
	}
}

func TestConcurrentRecordReceived(t *testing.T) {
	db, _ := openTemp(t)
	ctx := context.Background()
	const workers, each = 8, 25
	start := time.Date(2023, 9, 1, 8, 0, 0, 0, time.UTC)
	var wg sync.WaitGroup
	errs := make(chan error, workers*each+1)
	for w := range workers {
		wg.Go(func() {
			for i := range each {
				errs <- db.RecordReceived(ctx, Received{
					At:     start.Add(time.Duration(w*each+i) * time.Second),
					SHA256: fmt.Sprintf("%064x", w*1000+i), Name: fmt.Sprintf("đơn vị %d - tệp %d.xlsx", w, i),
					Unit: fmt.Sprintf("Xã %d", w), Period: "2023-09", Status: ReceivedAccepted,
					Archived: fmt.Sprintf("archive/2023-09/Xã %d/%d.xlsx", w, i),
				})
			}
		})
	}
	// A run finishing at the same time as the inbox writes.
	wg.Go(func() {
		errs <- db.FinishRun(ctx, mustStart(t, db, "2023-09"), fixture("2023-09", unitSpec{name: "Xã 1", nam: 3}), "out", nil)
	})
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	all, err := db.Received(ctx, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != workers*each {
		t.Fatalf("received %d events, want %d", len(all), workers*each)
	}
	for i := 1; i < len(all); i++ {
		if all[i].At.Before(all[i-1].At) {
			t.Fatalf("events not in time order at %d", i)
		}
	}
	cut := start.Add(150 * time.Second)
	since, _ := db.Received(ctx, cut)
	if len(since) != workers*each-150 || !since[0].At.Equal(cut) {
		t.Errorf("Received(since) gave %d events from %v, want %d from %v", len(since), since[0].At, workers*each-150, cut)
	}
}

func mustStart(t *testing.T, db *DB, period string) RunID {
	id, err := db.StartRun(context.Background(), period, TriggerSchedule)
	if err != nil {
		t.Error(err)
	}
	return id
}

func TestReceivedRoundTripAndValidation(t *testing.T) {
	db, _ := openTemp(t)
	ctx := context.Background()
	at := time.Date(2023, 9, 3, 9, 15, 30, 123456789, time.FixedZone("ICT", 7*3600))
	in := Received{At: at, SHA256: "ab12", Name: "Xã Nghĩa Tá.xlsx", Unit: "UBND xã Nghĩa Tá", Period: "2023-09",
		Status: ReceivedAccepted, Archived: `D:\canbo\archive\2023-09\UBND xã Nghĩa Tá\ab12.xlsx`}
	if err := db.RecordReceived(ctx, in); err != nil {
		t.Fatal(err)
	}
	dup := in
	dup.At, dup.Status, dup.Reason, dup.Archived = time.Time{}, ReceivedDuplicate, "đã nhận ngày 03/09/2023", ""
	if err := db.RecordReceived(ctx, dup); err != nil {
		t.Fatal(err)
	}
	got, err := db.ReceivedSHA256(ctx, "ab12")
	if err != nil || len(got) != 2 {
		t.Fatalf("ReceivedSHA256 = %v, %v", got, err)
	}
	in.ID = got[0].ID
	if !got[0].At.Equal(at) {
		t.Errorf("received_at %v, want %v", got[0].At, at)
	}
	got[0].At = at
	if got[0] != in {
		t.Errorf("read back %+v\nwant %+v", got[0], in)
	}
	late := in
	late.SHA256, late.Status = "cd34", ReceivedSupersededOlder
	if err := db.RecordReceived(ctx, late); err != nil {
		t.Errorf("superseded-older: %v", err)
	}
	if got[1].Status != ReceivedDuplicate || got[1].At.IsZero() {
		t.Errorf("duplicate event = %+v", got[1])
	}
	for _, bad := range []Received{
		{Name: "a.xlsx", Status: "lost"},
		{Status: ReceivedAccepted},
		{Name: "a.xlsx", Status: ReceivedRejected, Period: "2023"},
	} {
		if err := db.RecordReceived(ctx, bad); err == nil {
			t.Errorf("RecordReceived(%+v) accepted", bad)
		}
	}
}

func TestStartAndFinishErrors(t *testing.T) {
	db, _ := openTemp(t)
	ctx := context.Background()
	if _, err := db.StartRun(ctx, "2023-13", TriggerManual); err == nil {
		t.Error("StartRun accepted month 13")
	}
	if _, err := db.StartRun(ctx, "2023-09", "cron"); err == nil {
		t.Error("StartRun accepted an unknown trigger")
	}
	s := fixture("2023-09", unitSpec{name: "Xã A", nam: 2})
	id := store(t, db, s, TriggerManual, nil)
	if err := db.FinishRun(ctx, id, s, "out", nil); !errors.Is(err, ErrNotRunning) {
		t.Errorf("finishing twice: %v, want ErrNotRunning", err)
	}
	if err := db.FinishRun(ctx, 9999, s, "out", nil); !errors.Is(err, ErrNotRunning) {
		t.Errorf("finishing an unknown run: %v, want ErrNotRunning", err)
	}

	// Started for August, but the summary is September's: refused, marked failed.
	id, _ = db.StartRun(ctx, "2023-08", TriggerManual)
	if err := db.FinishRun(ctx, id, s, "out", nil); err == nil {
		t.Error("a summary of another period was accepted")
	}
	if r, _ := db.Run(ctx, id); r.Status != StatusFailed || !strings.Contains(r.Error, "2023-09") {
		t.Errorf("run with the wrong period = %+v, want failed", r)
	}

	// Started without a period (canbo run takes it from the inputs): the summary's.
	id, _ = db.StartRun(ctx, "", TriggerManual)
	if err := db.FinishRun(ctx, id, s, "out", nil); err != nil {
		t.Fatal(err)
	}
	if r, _ := db.Run(ctx, id); r.Period != "2023-09" || r.Status != StatusOK {
		t.Errorf("run started without a period = %+v", r)
	}

	// No summary and no error: not a success.
	id, _ = db.StartRun(ctx, "2023-09", TriggerManual)
	if err := db.FinishRun(ctx, id, nil, "", nil); err != nil {
		t.Fatal(err)
	}
	if r, _ := db.Run(ctx, id); r.Status != StatusFailed {
		t.Errorf("run without a summary = %+v, want failed", r)
	}
}

func TestRunsAndAbandonRunning(t *testing.T) {
	db, _ := openTemp(t)
	ctx := context.Background()
	a := store(t, db, fixture("2023-08", unitSpec{name: "Xã A", nam: 2}), TriggerSchedule, nil)
	b := store(t, db, fixture("2023-09", unitSpec{name: "Xã A", nam: 3}), TriggerSchedule, errors.New("đĩa đầy"))
	c, _ := db.StartRun(ctx, "2023-09", TriggerCatchUp)

	runs, err := db.Runs(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range runs {
		got = append(got, fmt.Sprintf("%d %s %s %s %q", r.ID, r.Period, r.Trigger, r.Status, r.Error))
	}
	want := []string{
		fmt.Sprintf("%d 2023-09 catch-up running \"\"", c),
		fmt.Sprintf("%d 2023-09 schedule failed \"đĩa đầy\"", b),
		fmt.Sprintf("%d 2023-08 schedule ok \"\"", a),
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Runs = %q\nwant %q", got, want)
	}
	if runs, _ := db.Runs(ctx, 1); len(runs) != 1 || runs[0].ID != c {
		t.Errorf("Runs(1) = %+v", runs)
	}
	n, err := db.AbandonRunning(ctx, "")
	if err != nil || n != 1 {
		t.Fatalf("AbandonRunning = %d, %v; want 1", n, err)
	}
	if r, _ := db.Run(ctx, c); r.Status != StatusFailed || r.FinishedAt.IsZero() || r.Error == "" {
		t.Errorf("abandoned run = %+v", r)
	}
	if last, _ := db.LastRun(ctx, "2023-09"); last.ID != c {
		t.Errorf("LastRun(2023-09) = %d, want %d", last.ID, c)
	}
	if none, err := db.LastRun(ctx, "2020-01"); none != nil || err != nil {
		t.Errorf("LastRun of a period never run = %+v, %v", none, err)
	}
}

// countRows counts a run's rows in every figures table.
func countRows(t *testing.T, db *sql.DB, id RunID) int {
	t.Helper()
	total := 0
	for _, table := range []string{"files", "unit_figures", "training_figures", "target_results", "standard_results", "standard_gaps", "issue_counts"} {
		var n int
		if err := db.QueryRow(`SELECT COUNT(*) FROM `+table+` WHERE run_id = ?`, int64(id)).Scan(&n); err != nil {
			t.Fatal(err)
		}
		total += n
	}
	return total
}

// Cancelling the context in the middle of FinishRun's transaction stores nothing of
// it, and the run ends up failed, not ok.
func TestFinishRunCancelledMidway(t *testing.T) {
	for _, after := range []string{"runs", "files", "unit_figures", "target_results", "issue_counts"} {
		t.Run(after, func(t *testing.T) {
			db, _ := openTemp(t)
			good := store(t, db, fixture("2023-08", unitSpec{name: "Xã A", nam: 4, thacSi: 3}), TriggerSchedule, nil)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			id, _ := db.StartRun(ctx, "2023-09", TriggerSchedule)
			db.hook = func(table string) {
				if table == after {
					cancel()
				}
			}
			err := db.FinishRun(ctx, id, fixture("2023-09", unitSpec{name: "Xã A", nam: 9, thacSi: 9}), "out", nil)
			db.hook = nil
			if !errors.Is(err, context.Canceled) {
				t.Fatalf("FinishRun after cancel: %v, want context.Canceled", err)
			}
			r, _ := db.Run(context.Background(), id)
			if r.Status != StatusFailed || !strings.Contains(r.Error, "lịch sử") {
				t.Errorf("cancelled run = %+v, want failed", r)
			}
			if n := countRows(t, db.sql, id); n != 0 {
				t.Errorf("cancelled run left %d rows of figures", n)
			}
			prev, _ := db.Previous(context.Background(), "2023-10")
			if prev == nil || prev.Period != "2023-08" {
				t.Errorf("Previous after the cancelled run = %v, want the August run %d", prev, good)
			}
			if m, _ := db.MissedRun(context.Background(), "2023-09"); !m {
				t.Error("the cancelled run counted as done")
			}
		})
	}
}

// crashEnv names the database a child process should crash in.
const crashEnv = "CANBO_HISTORY_CRASH_DB"

// TestCrashHelper is the child of TestCrashMidFinishRun: it dies (os.Exit, no
// rollback, no close) inside FinishRun's transaction.
func TestCrashHelper(t *testing.T) {
	path := os.Getenv(crashEnv)
	if path == "" {
		t.Skip("only run as a child of TestCrashMidFinishRun")
	}
	db, err := Open(path)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	ctx := context.Background()
	id, err := db.StartRun(ctx, "2023-09", TriggerSchedule)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	db.hook = func(table string) {
		if table == "standard_results" {
			os.Exit(42)
		}
	}
	var units []unitSpec
	for i := range 300 { // enough rows to spill pages into the WAL before the commit
		units = append(units, unitSpec{group: fmt.Sprintf("g%d", i%7), name: fmt.Sprintf("Xã số %d", i), nam: i, nu: 3, thacSi: i / 2})
	}
	db.FinishRun(ctx, id, fixture("2023-09", units...), "out", nil)
	fmt.Fprintln(os.Stderr, "FinishRun returned without crashing")
	os.Exit(1)
}

func TestCrashMidFinishRun(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a child process")
	}
	db, path := openTemp(t)
	good := store(t, db, fixture("2023-08", unitSpec{name: "Xã A", nam: 4, thacSi: 3}), TriggerSchedule, nil)
	db.Close()

	cmd := exec.Command(os.Args[0], "-test.run=^TestCrashHelper$", "-test.count=1")
	cmd.Env = append(os.Environ(), crashEnv+"="+path)
	out, err := cmd.CombinedOutput()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 42 {
		t.Fatalf("child did not crash where expected: %v\n%s", err, out)
	}

	db, err = Open(path)
	if err != nil {
		t.Fatalf("open after the crash: %v", err)
	}
	defer db.Close()
	ctx := context.Background()
	r, err := db.LastRun(ctx, "2023-09")
	if err != nil || r == nil {
		t.Fatalf("the crashed run was not recorded as started: %v", err)
	}
	if r.Status != StatusRunning {
		t.Errorf("crashed run status %q, want running", r.Status)
	}
	if n := countRows(t, db.sql, r.ID); n != 0 {
		t.Errorf("crashed run left %d rows of figures", n)
	}
	if prev, _ := db.Previous(ctx, "2023-10"); prev == nil || prev.Period != "2023-08" {
		t.Errorf("Previous after the crash = %v, want run %d of August", prev, good)
	}
	if m, _ := db.MissedRun(ctx, "2023-09"); !m {
		t.Error("the crashed run counted as done")
	}
	if n, _ := db.AbandonRunning(ctx, ""); n != 1 {
		t.Errorf("AbandonRunning marked %d runs, want 1", n)
	}
	var check string
	if err := db.sql.QueryRow(`PRAGMA integrity_check`).Scan(&check); err != nil || check != "ok" {
		t.Errorf("integrity_check = %q, %v", check, err)
	}
}

func TestBackupWhileOpen(t *testing.T) {
	db, _ := openTemp(t)
	ctx := context.Background()
	s := fixture("2023-09", unitSpec{name: "Xã A", nam: 3, nu: 4, thacSi: 5})
	id := store(t, db, s, TriggerSchedule, nil)
	dst := filepath.Join(t.TempDir(), "sao lưu", "canbo-2023-10.db")
	os.MkdirAll(filepath.Dir(dst), 0o755)
	if err := db.BackupTo(ctx, dst); err != nil {
		t.Fatal(err)
	}
	if err := db.BackupTo(ctx, dst); err == nil {
		t.Error("backup over an existing file succeeded")
	}
	cp, err := Open(dst)
	if err != nil {
		t.Fatal(err)
	}
	defer cp.Close()
	got, err := cp.Figures(ctx, id)
	if err != nil || !reflect.DeepEqual(got, normalized(s)) {
		t.Errorf("figures in the backup = %+v, %v", got, err)
	}
}
