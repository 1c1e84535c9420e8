package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"canbo/pipeline/summary"
)

// TestRunSpan: `canbo run --from 2022-01 --to 2022-08` makes the report over those
// months into OUT/2022-01_2022-08/: the training counts exactly the register rows
// that started in 2022 (counted here from the workbook itself), the rest is
// counted as outside the span, and summary.json says the span.
func TestRunSpan(t *testing.T) {
	out := t.TempDir()
	var stdout, stderr bytes.Buffer
	args := []string{"run", "--in", samplesDir + "/nam-po", "--out", out, "--from", "2022-01", "--to", "2022-08", "--no-feedback"}
	if code := run(context.Background(), args, &stdout, &stderr); code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	if want := "Báo cáo từ 01/2022 đến 08/2022 (số liệu tính đến 31/08/2022)"; !strings.Contains(stdout.String(), want) {
		t.Errorf("stdout lacks %q:\n%s", want, stdout.String())
	}
	data, err := os.ReadFile(filepath.Join(out, "2022-01_2022-08", "summary.json"))
	if err != nil {
		t.Fatal(err)
	}
	var s summary.Summary
	if err := json.Unmarshal(data, &s); err != nil {
		t.Fatal(err)
	}
	in2022, before := registerRowsFrom(t, filepath.Join(samplesDir, "nam-po", "Sổ theo dõi bồi dưỡng CBCCVC 2021-2022.xlsx"),
		time.Date(2022, 1, 1, 0, 0, 0, 0, time.UTC))
	if s.Span == nil || *s.Span != (summary.Span{From: "2022-01", To: "2022-08"}) || s.Period != "2022-08" {
		t.Errorf("span %+v, period %s", s.Span, s.Period)
	}
	o := s.Training.OutsideSpan
	if s.Training.Total != in2022 || o == nil || *o != (summary.OutsideSpan{Before: before}) {
		t.Errorf("training %d, outside %+v; want %d in the span and %d before it", s.Training.Total, o, in2022, before)
	}
}

// TestRunSpanUsage: a span needs both ends, in order, and is not also a period.
func TestRunSpanUsage(t *testing.T) {
	for _, args := range [][]string{
		{"--from", "2022-01"},
		{"--to", "2022-08"},
		{"--from", "2022-01", "--to", "2022-08", "--period", "2022-08"},
		{"--from", "2022-09", "--to", "2022-08"},
		{"--from", "2022-1", "--to", "2022-08"},
	} {
		var stdout, stderr bytes.Buffer
		all := append([]string{"run", "--in", samplesDir + "/nam-po", "--out", t.TempDir()}, args...)
		if code := run(context.Background(), all, &stdout, &stderr); code != exitUsage {
			t.Errorf("%v: exit %d, want %d (%s)", args, code, exitUsage, stderr.String())
		}
	}
}

// registerRowsFrom counts the rows of the register whose "Từ ngày" (column H) is
// on or after from, and those before it.
func registerRowsFrom(t *testing.T, path string, from time.Time) (after, before int) {
	t.Helper()
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows(f.GetSheetName(0), excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		if len(r) < 8 || r[7] == "" {
			continue
		}
		n, err := strconv.ParseFloat(r[7], 64)
		if err != nil {
			continue // the header
		}
		serial, err := excelize.ExcelDateToTime(n, false)
		if err != nil || serial.Year() < 2000 {
			continue // the header
		}
		if serial.Before(from) {
			before++
		} else {
			after++
		}
	}
	return after, before
}
