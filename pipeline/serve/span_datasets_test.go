package serve

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"canbo/pipeline/report"
	"canbo/pipeline/schema"
	"canbo/pipeline/summary"
)

// withRegister is the district's roster workbook (the sample's DS sheet, its title
// naming the register's unit, Huyện ủy Mường Chà's Ban Tổ chức, and its date asOf)
// with a second sheet, sheet, holding register (a workbook's bytes) as its first
// sheet holds it: one workbook a unit sends with its roster and its training
// register.
func withRegister(t *testing.T, roster []byte, asOf, sheet string, register []byte) []byte {
	t.Helper()
	dst, err := excelize.OpenReader(bytes.NewReader(roster))
	if err != nil {
		t.Fatal(err)
	}
	defer dst.Close()
	for cell, v := range map[string]string{"A1": "HUYỆN ỦY MƯỜNG CHÀ", "A2": "BAN TỔ CHỨC", "A5": "(Tính đến ngày " + asOf + ")"} {
		if err := dst.SetCellValue("DS", cell, v); err != nil {
			t.Fatal(err)
		}
	}
	src, err := excelize.OpenReader(bytes.NewReader(register))
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	from := src.GetSheetName(0)
	if _, err := dst.NewSheet(sheet); err != nil {
		t.Fatal(err)
	}
	rows, err := src.GetRows(from)
	if err != nil {
		t.Fatal(err)
	}
	for r, row := range rows {
		cells := make([]any, len(row))
		for c, v := range row {
			cells[c] = v
		}
		cell, _ := excelize.CoordinatesToCellName(1, r+1)
		if err := dst.SetSheetRow(sheet, cell, &cells); err != nil {
			t.Fatal(err)
		}
	}
	merges, err := src.GetMergeCells(from)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range merges {
		if err := dst.MergeCell(sheet, m.GetStartAxis(), m.GetEndAxis()); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if err := dst.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestServeSpanRosterBesideOldRegister: in July the district sends one workbook with
// its roster and its training register (the first 600 attendances); in September
// only its register, 300 attendances longer. The unit's newest roster is July's, so
// the span reads July's workbook — for the roster alone: the span counts the 900
// attendances of September's register once (not July's 600 again beside them), the
// roster's people from July, says nothing unsure, and July's line says its register
// gave way to September's, its problems not listed again. July's own report, made
// between two span reports from the reading cache they share, counts its workbook
// whole: its 600 attendances.
func TestServeSpanRosterBesideOldRegister(t *testing.T) {
	t.Parallel()
	o := newOffice(t, func(sv *schema.Serve) {
		sv.SpanReports = []schema.SpanReport{{Name: "Báo cáo từ năm 2015", From: "2015-01", To: "previous", Schedule: "0 7 5 10 *"}}
	})
	const n, k, sheet = 600, 300, "Sổ đào tạo"
	july := "Danh sách và sổ đào tạo tháng 7.xlsx"
	// In the district's inbox folder, as its register comes (the samples' group).
	o.drop("muong-cha/"+july, withRegister(t, readSample(t, mcRoster), "31/07/2023", sheet, firstRows(t, mcTraining, n)))
	o.takeIn(time.Date(2023, 7, 20, 9, 0, 0, 0, vn))
	o.drop(mcTraining, firstRows(t, mcTraining, n+k))
	o.takeIn(time.Date(2023, 9, 25, 9, 0, 0, 0, vn))

	svc := o.open()
	ctx := context.Background()
	// The span first, then July's report, then the span again: neither takes the
	// other's counts of July's workbook from the reading cache they share.
	for _, run := range []func() error{
		func() error { return svc.RunSpan(ctx, "báo cáo từ năm 2015", "2023-09") },
		func() error { return svc.RunNow(ctx, "2023-07") },
		func() error { return svc.RunSpan(ctx, "báo cáo từ năm 2015", "2023-09") },
	} {
		if err := run(); err != nil {
			t.Fatal(err)
		}
	}
	svc.Close()

	jul := o.summary("2023-07")
	if jul.Training.Total != n || jul.Total.Headcount == 0 {
		t.Errorf("July's report: %d attendances, %d people; want the workbook's %d and its roster", jul.Training.Total, jul.Total.Headcount, n)
	}
	julyProblems := 0
	for _, p := range jul.Problems {
		if p.File == july && p.Sheet == sheet {
			julyProblems++
		}
	}
	if julyProblems == 0 {
		t.Fatalf("July's register has no problems to leave out of the span's: the test says nothing of them")
	}

	s := o.summary("2015-01_2023-09")
	if s.Training.OutsideSpan == nil {
		t.Fatal("the span's report says nothing of the attendances outside it")
	}
	if got := s.Training.Total + s.Training.OutsideSpan.Before + s.Training.OutsideSpan.After; got != n+k {
		t.Errorf("the span counts %d attendances (%d in it, %d before), want September's register's %d, each once",
			got, s.Training.Total, s.Training.OutsideSpan.Before, n+k)
	}
	if s.Total.Headcount != jul.Total.Headcount {
		t.Errorf("the span's roster has %d people, want July's %d", s.Total.Headcount, jul.Total.Headcount)
	}
	for _, f := range s.Files {
		if strings.Contains(f.Reason, unsureWhy) {
			t.Errorf("%s: %s", f.File, f.Reason)
		}
	}
	rosterOnly(t, s, july, sheet)
}

// rosterOnly checks that a report read the workbook file for its roster alone: its
// line is the roster's, not superseded, and says its register is not counted because
// a newer one is; no problem of that register's sheet is listed.
func rosterOnly(t *testing.T, s *summary.Summary, file, sheet string) {
	t.Helper()
	var line *summary.File
	for i, f := range s.Files {
		if f.File == file {
			line = &s.Files[i]
		}
	}
	if line == nil || line.Status == report.StatusSuperseded || line.Dataset != "roster" ||
		!strings.Contains(line.Reason, "Sổ đào tạo, bồi dưỡng trong tệp này không tính: đã có bản mới hơn") {
		t.Errorf("%s: its line %+v", file, line)
	}
	for _, p := range s.Problems {
		if p.File == file && p.Sheet == sheet {
			t.Errorf("a problem of %s's register, which is not counted, is listed: %+v", file, p)
		}
	}
}

// TestServeMonthRosterBesideOldRegister: within one month, a unit's workbook with its
// roster and register, then its register again on its own (longer): the month's
// report reads the workbook for its roster alone and the register once, and the
// workbook's line says why its register is not counted.
func TestServeMonthRosterBesideOldRegister(t *testing.T) {
	t.Parallel()
	o := newOffice(t)
	const n, k, sheet = 600, 300, "Sổ đào tạo"
	combined := "Danh sách và sổ đào tạo tháng 7.xlsx"
	// As of 20 July; the register alone comes on the 25th, so it is the newer register.
	o.drop("muong-cha/"+combined, withRegister(t, readSample(t, mcRoster), "20/07/2023", sheet, firstRows(t, mcTraining, n)))
	o.takeIn(time.Date(2023, 7, 20, 9, 0, 0, 0, vn))
	o.drop(mcTraining, firstRows(t, mcTraining, n+k))
	o.takeIn(time.Date(2023, 7, 25, 9, 0, 0, 0, vn))

	svc := o.open()
	if err := svc.RunNow(context.Background(), "2023-07"); err != nil {
		t.Fatal(err)
	}
	svc.Close()

	s := o.summary("2023-07")
	if s.Training.Total != n+k || s.Total.Headcount == 0 {
		t.Errorf("July: %d attendances, %d people; want the newer register's %d once, and the workbook's roster", s.Training.Total, s.Total.Headcount, n+k)
	}
	rosterOnly(t, s, combined, sheet)
}
