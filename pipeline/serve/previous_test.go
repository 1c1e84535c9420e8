package serve

import (
	"context"
	"log/slog"
	"os"
	"strings"
	"testing"
	"time"

	"canbo/pipeline/internal/sheettest"
	"canbo/pipeline/report"
	"canbo/pipeline/schema"
)

// rosterBytes is a unit's roster as of asOf, as a workbook's bytes.
func rosterBytes(t *testing.T, title, asOf string, people ...[2]string) []byte {
	t.Helper()
	rows := [][]any{{title}, {"(Tính đến ngày " + asOf + ")"}, {}, {"STT", "Họ và tên", "Ngày sinh", "Giới tính"}}
	for i, p := range people {
		rows = append(rows, []any{i + 1, p[0], p[1], "Nam"})
	}
	data, err := os.ReadFile(sheettest.Write(t, t.TempDir(), "ds.xlsx", sheettest.Sheet{Name: "DS", Rows: rows}))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// TestArchivePreviousRosters: a period's report made from the archive compares its
// rosters with the previous month's archived files, under the names and folders the
// units sent them in: September's report says who moved, joined and left since
// August, and that a unit sent August's roster only. The first month, with nothing
// archived before it, has no comparison.
func TestArchivePreviousRosters(t *testing.T) {
	t.Parallel()
	o := newOffice(t)
	o.drop("An Binh.xlsx", rosterBytes(t, "UBND XÃ AN BÌNH", "31/08/2023",
		[2]string{"Nguyễn Văn An", "01/01/1980"}, [2]string{"Trần Thị Bình", "04/04/1985"}, [2]string{"Lê Văn Cường", "05/05/1982"}))
	o.drop("Binh Minh.xlsx", rosterBytes(t, "UBND XÃ BÌNH MINH", "31/08/2023", [2]string{"Hoàng Văn Em", "07/07/1990"}))
	o.drop("Chau Thanh.xlsx", rosterBytes(t, "UBND XÃ CHÂU THÀNH", "31/08/2023", [2]string{"Đỗ Văn Giang", "08/08/1988"}))
	o.takeIn(time.Date(2023, 8, 25, 9, 0, 0, 0, vn))
	o.drop("An Binh.xlsx", rosterBytes(t, "UBND XÃ AN BÌNH", "30/09/2023",
		[2]string{"Nguyễn Văn An", "01/01/1980"}, [2]string{"Ngô Văn Khánh", "11/11/1995"}))
	o.drop("Binh Minh.xlsx", rosterBytes(t, "UBND XÃ BÌNH MINH", "30/09/2023",
		[2]string{"Hoàng Văn Em", "07/07/1990"}, [2]string{"Lê Văn Cường", "05/05/1982"}))
	o.takeIn(time.Date(2023, 9, 25, 9, 0, 0, 0, vn))

	log := slog.New(slog.NewTextHandler(o.logs, nil))
	first, err := ArchiveOptions(o.cfg.Serve, o.cfg.Units.Registry(), "2023-08", log)
	if err != nil {
		t.Fatal(err)
	}
	if first.Previous != nil {
		t.Errorf("August has no month archived before it, yet compares with %+v", first.Previous)
	}
	opt, err := ArchiveOptions(o.cfg.Serve, o.cfg.Units.Registry(), "2023-09", log)
	if err != nil {
		t.Fatal(err)
	}
	if opt.Previous == nil || opt.Previous.Period != "2023-08" || len(opt.Previous.Inputs) != 3 {
		t.Fatalf("previous: %+v; want August's three files", opt.Previous)
	}
	res := o.runSeptember(opt)
	rc := res.Summary.RosterChanges
	if rc == nil {
		t.Fatal("no roster_changes")
	}
	if rc.Previous != "2023-08" || rc.Joined != 1 || rc.Left != 1 || rc.Moved != 1 || rc.Unsure != 0 {
		t.Errorf("previous %s joined %d left %d moved %d unsure %d; want 2023-08 1 1 1 0: %+v",
			rc.Previous, rc.Joined, rc.Left, rc.Moved, rc.Unsure, rc.List)
	}
	if len(rc.UnitsNotCompared) != 1 || rc.UnitsNotCompared[0].Missing != "this" || rc.UnitsNotCompared[0].People != 1 {
		t.Errorf("units not compared: %+v; want Châu Thành, not sent this month, 1 person", rc.UnitsNotCompared)
	}
	for _, c := range rc.List {
		if c.Change == "moved" && (c.Name != "Lê Văn Cường" || c.File != "Binh Minh.xlsx" || c.PreviousFile != "An Binh.xlsx") {
			t.Errorf("moved %+v: want Lê Văn Cường, under the names the unit sent", c)
		}
	}
}

// runSeptember makes September's report with opt at 07:00 on 1 October, as the
// schedule would, without feedback workbooks.
func (o *office) runSeptember(opt report.Options) *report.Result {
	o.t.Helper()
	opt.Now = func() time.Time { return time.Date(2023, 10, 1, 7, 0, 0, 0, vn) }
	opt.NoFeedback = true
	res, err := report.Run(context.Background(), o.tools, opt)
	if err != nil {
		o.t.Fatal(err)
	}
	return res
}

// TestArchiveComparePreviousOff: serve.yaml's compare_previous: false (read as
// serve.yaml is, a value other than true or false refused at its line and column)
// makes September's report from the archive without reading August's files, and
// without roster_changes.
func TestArchiveComparePreviousOff(t *testing.T) {
	t.Parallel()
	if _, err := withShippedConfig(t, []byte("inbox: a\ncompare_previous: không\n")); err == nil ||
		!strings.Contains(err.Error(), "serve.yaml:2:19: cần true hoặc false") {
		t.Errorf("compare_previous: không → %v", err)
	}
	cfg, err := withShippedConfig(t, []byte("inbox: a\ncompare_previous: false\n"))
	if err != nil || cfg.Serve.ComparesPrevious() {
		t.Fatalf("compare_previous: false read as %v (%v)", cfg.Serve.ComparePrevious, err)
	}
	if !(schema.Serve{}).ComparesPrevious() {
		t.Error("compare_previous not written: the comparison is off, want on")
	}
	o := newOffice(t, func(sv *schema.Serve) { sv.ComparePrevious = cfg.Serve.ComparePrevious })
	o.drop("An Binh.xlsx", rosterBytes(t, "UBND XÃ AN BÌNH", "31/08/2023", [2]string{"Nguyễn Văn An", "01/01/1980"}))
	o.takeIn(time.Date(2023, 8, 25, 9, 0, 0, 0, vn))
	o.drop("An Binh.xlsx", rosterBytes(t, "UBND XÃ AN BÌNH", "30/09/2023", [2]string{"Ngô Văn Khánh", "11/11/1995"}))
	o.takeIn(time.Date(2023, 9, 25, 9, 0, 0, 0, vn))

	opt, err := ArchiveOptions(o.cfg.Serve, o.cfg.Units.Registry(), "2023-09", slog.New(slog.NewTextHandler(o.logs, nil)))
	if err != nil {
		t.Fatal(err)
	}
	if opt.Previous != nil {
		t.Fatalf("compare_previous: false, yet compares with %+v", opt.Previous)
	}
	res := o.runSeptember(opt)
	if res.Summary.RosterChanges != nil || res.Summary.Total.Headcount != 1 {
		t.Errorf("roster_changes %+v, headcount %d; want none, 1", res.Summary.RosterChanges, res.Summary.Total.Headcount)
	}
}
