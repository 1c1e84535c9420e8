package report_test

import (
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"canbo/pipeline/report"
	"canbo/pipeline/reporttext"
)

// TestRegisterOverlap: a folder with a unit's training register and an older copy of
// it (its last 200 rows cut) counts both, as a folder run reads every file; the lines
// of both files, and the log, say how many attendances are counted twice and what to
// do, instead of a silently doubled figure. The register alone has no such line.
func TestRegisterOverlap(t *testing.T) {
	const reg = "Sổ theo dõi cử cán bộ đi đào tạo, bồi dưỡng 2014-2023.xlsx"
	src := filepath.Join("..", "..", "samples", "muong-cha")
	dir := t.TempDir()
	for _, name := range []string{reg, "Danh sách CBCCVC huyện Mường Chà (30.09.2023).xlsx"} {
		data, err := os.ReadFile(filepath.Join(src, name))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var log strings.Builder
	run := func() *report.Result {
		t.Helper()
		res, err := report.Run(context.Background(), tools(t), report.Options{Inputs: []string{dir}, Out: t.TempDir(),
			NoFeedback: true, Log: slog.New(slog.NewTextHandler(&log, nil)), Now: func() time.Time { return time.Date(2023, 10, 2, 7, 0, 0, 0, time.UTC) }})
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	alone := run()
	for _, f := range alone.Summary.Files {
		if strings.Contains(f.Reason, "trùng") {
			t.Errorf("one register alone: %s: %s", f.File, f.Reason)
		}
	}

	f, err := excelize.OpenFile(filepath.Join(dir, reg))
	if err != nil {
		t.Fatal(err)
	}
	sheet := f.GetSheetList()[0]
	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	for i := len(rows); i > len(rows)-200; i-- {
		if err := f.RemoveRow(sheet, i); err != nil {
			t.Fatal(err)
		}
	}
	const old = "Sổ theo dõi đào tạo (bản tháng trước).xlsx"
	if err := f.SaveAs(filepath.Join(dir, old)); err != nil {
		t.Fatal(err)
	}
	f.Close()

	both := run()
	shared := both.Summary.Training.Total - alone.Summary.Training.Total
	if shared <= 0 {
		t.Fatalf("the copy added %d attendances: the test shows nothing", shared)
	}
	want := 0
	for _, f := range both.Summary.Files {
		if f.File == reg || f.File == old {
			if strings.Contains(f.Reason, "đang được tính hai lần") && strings.Contains(f.Reason, " lượt trùng với tệp ") {
				want++
			} else {
				t.Errorf("%s: no word of the attendances counted twice: %q", f.File, f.Reason)
			}
			if !strings.Contains(f.Reason, reporttext.Int(shared)+" lượt trùng") {
				t.Errorf("%s: %q does not give the %d attendances counted twice", f.File, f.Reason, shared)
			}
		}
	}
	if want != 2 {
		t.Errorf("%d file lines say it, want both", want)
	}
	if ov := both.Summary.Training.Overlaps; len(ov) != 1 || ov[0].Shared != shared || ov[0].Files != [2]string{reg, old} {
		t.Errorf("training.overlaps %+v, want %s and %s sharing %d", ov, reg, old, shared)
	}
	if ov := alone.Summary.Training.Overlaps; ov != nil {
		t.Errorf("one register alone: training.overlaps %+v", ov)
	}
	if !strings.Contains(log.String(), "đang được tính hai lần") {
		t.Errorf("the log does not say it:\n%s", log.String())
	}
}
