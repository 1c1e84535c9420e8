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

// TestRunArchiveSpan: canbo serve archived Mường Chà's training register in July and
// again, re-saved, in September, with the roster. `canbo run --archive --from 2015-01
// --to 2023-09` reads the register once — the figures of the sample itself, 308
// people in LLCT — into OUT/2015-01_2023-09/bao-cao-2015-01_2023-09.*; `canbo send
// --from --to --dry-run` writes its mail, of the span report's kind under the name
// serve.yaml gives the span, from those files.
func TestRunArchiveSpan(t *testing.T) {
	cfgDir, dirs := archiveOffice(t, `
mail: {host: mail.example.vn, password_env: CANBO_TEST_NO_PASSWORD, from: "Sở Nội vụ <baocao@example.vn>", to: [giamdoc@example.vn]}
span_reports: [{name: Từ năm 2015, from: 2015-01, to: previous, schedule: "0 7 5 10 *"}]
`)
	t.Setenv("CANBO_TEST_NO_PASSWORD", "x")
	const register = "muong-cha/Sổ theo dõi cử cán bộ đi đào tạo, bồi dưỡng 2014-2023.xlsx"
	data := readFile(t, filepath.Join(samplesDir, register))
	archiveAt(t, cfgDir, time.Date(2023, 7, 20, 9, 0, 0, 0, time.UTC), register, data)
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	var again bytes.Buffer
	if err := f.SetDocProps(&excelize.DocProperties{Description: "gửi lại tháng 9"}); err != nil {
		t.Fatal(err)
	}
	if err := f.Write(&again); err != nil || bytes.Equal(again.Bytes(), data) {
		t.Fatalf("re-saving the register: %v", err)
	}
	archiveAt(t, cfgDir, time.Date(2023, 9, 25, 9, 0, 0, 0, time.UTC), register, again.Bytes())
	const roster = "muong-cha/Danh sách CBCCVC huyện Mường Chà (30.09.2023).xlsx"
	archiveAt(t, cfgDir, time.Date(2023, 9, 25, 9, 0, 0, 0, time.UTC), roster, readFile(t, filepath.Join(samplesDir, roster)))

	var stdout, stderr bytes.Buffer
	if code := run(context.Background(), []string{"run", "--archive", "--from", "2015-01", "--to", "2023-09", "--config", cfgDir}, &stdout, &stderr); code != exitOK {
		t.Fatalf("exit %d\n%s\n%s", code, stdout.String(), stderr.String())
	}
	span := "2015-01_2023-09"
	for _, ext := range []string{".xlsx", ".pdf", ".docx"} {
		if p := filepath.Join(dirs["out"], span, "bao-cao-"+span+ext); !strings.Contains(stdout.String(), p) {
			t.Errorf("stdout does not name %s:\n%s", p, stdout.String())
		}
	}
	s := readSummary(t, filepath.Join(dirs["out"], span, "summary.json"))
	if tr := s.Training; tr.Total != 1200 || tr.PeopleByType["ly_luan_chinh_tri"] != 308 || tr.OutsideSpan == nil || tr.OutsideSpan.Before != 18 {
		t.Errorf("training %d attendances, %d people in LLCT, outside %+v; want the sample's 1,200, 308 and 18 before", tr.Total,
			tr.PeopleByType["ly_luan_chinh_tri"], tr.OutsideSpan)
	}

	eml := t.TempDir()
	stdout.Reset()
	if code := run(context.Background(), []string{"send", "--from", "2015-01", "--to", "2023-09", "--dry-run", eml, "--config", cfgDir}, &stdout, &stderr); code != exitOK {
		t.Fatalf("send: exit %d\n%s\n%s", code, stdout.String(), stderr.String())
	}
	written, _ := filepath.Glob(filepath.Join(eml, "*.eml"))
	if len(written) != 1 || !strings.HasPrefix(filepath.Base(written[0]), "span-report-"+span+"-") {
		t.Fatalf("wrote %q", written)
	}
	msg := string(readFile(t, written[0]))
	for _, want := range []string{"X-Canbo-Kind: span-report", "X-Canbo-Period: " + span} {
		if !strings.Contains(msg, want) {
			t.Errorf("the mail lacks %q", want)
		}
	}
	for _, args := range [][]string{{"--from", "2015-01"}, {"--from", "2015-01", "--to", "2023-09", "--period", "2023-09"}} {
		if code := run(context.Background(), append([]string{"send", "--dry-run", eml, "--config", cfgDir}, args...), &stdout, &stderr); code != exitUsage {
			t.Errorf("send %v: exit %d, want %d", args, code, exitUsage)
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
