package main

import (
	"archive/zip"
	"bytes"
	"io"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

func names(list []scenario) string {
	var out []string
	for _, s := range list {
		out = append(out, s.Name)
	}
	return strings.Join(out, ",")
}

// -scenario all runs issue 11's table in its order, then the floor and pandas; a
// group expands in place and a scenario named twice runs once.
func TestParseScenarios(t *testing.T) {
	for in, want := range map[string]string{
		"all":                              "run-1m,run-100k,rerun,big-sheet,merges,bad-2pct,floor-1m,floor-100k,pandas-1m,pandas-100k",
		"run-100k, merges":                 "run-100k,merges",
		"floor-excelize,run-100k,floor-1m": "floor-1m,floor-100k,run-100k",
		"pandas":                           "pandas-1m,pandas-100k",
	} {
		got, err := parseScenarios(in)
		if err != nil {
			t.Errorf("%q: %v", in, err)
			continue
		}
		if names(got) != want {
			t.Errorf("%q = %s, want %s", in, names(got), want)
		}
	}
	for _, bad := range []string{"run-10m", "", ","} {
		_, err := parseScenarios(bad)
		if err == nil || !strings.Contains(err.Error(), "big-sheet") {
			t.Errorf("%q: err = %v, want one that lists the scenarios", bad, err)
		}
	}
}

// The figures line up under the Vietnamese header, whatever bytes its letters take;
// a skipped row says why instead of figures.
func TestTableRows(t *testing.T) {
	header := strings.Split(strings.TrimSuffix(tableHeader(), "\n"), "\n")
	measured := row{Name: "run-100k", St: stats{Wall: 3670 * time.Millisecond, CPU: 6250 * time.Millisecond, PeakRSS: 975 << 20, OtherCPU: -1},
		Data: "100000 người/20 tệp", Result: "20/20 tệp dùng được"}.format()
	skipped := row{Name: "pandas-1m", Data: "1000000 người/200 tệp", Skipped: "/usr/bin/python3 không có pandas (no pandas)"}.format()
	if want := "run-100k        3.67 s    6.25 s    975 MiB  100000 người/20 tệp → 20/20 tệp dùng được\n"; measured != want {
		t.Errorf("row\n%q, want\n%q", measured, want)
	}
	if !strings.Contains(skipped, "  —  ") || !strings.Contains(skipped, "bỏ qua (skipped): /usr/bin/python3 không có pandas") {
		t.Errorf("skipped row = %q", skipped)
	}
	// The data column starts at the same character in every line.
	col := func(line, s string) int { return utf8.RuneCountInString(line[:strings.Index(line, s)]) }
	start := col(header[0], "dữ liệu")
	for line, data := range map[string]string{header[1]: "(data", measured: "100000", skipped: "1000000"} {
		if at := col(line, data); at != start {
			t.Errorf("data column at %d, the header's at %d:\n%s\n%s", at, start, header[0], line)
		}
	}
	if got := binaryBytes(6_912 << 20); got != "6.75 GiB" {
		t.Errorf("binaryBytes = %s", got)
	}
	if got := seconds(110 * time.Second); got != "110 s" {
		t.Errorf("seconds = %s", got)
	}
}

// The big sheet is as big as the table says, with as many rows, in a small file.
func TestBigSheet(t *testing.T) {
	path := filepath.Join(t.TempDir(), "big.xlsx")
	const rows, size = 2000, 2_000_000
	if err := bigSheet(path, rows, size); err != nil {
		t.Fatal(err)
	}
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	for _, f := range zr.File {
		if f.Name != "xl/worksheets/sheet1.xml" {
			continue
		}
		if d := int64(f.UncompressedSize64) - size; d < -int64(rows) || d > int64(rows) {
			t.Errorf("sheet XML is %d bytes, want about %d", f.UncompressedSize64, size)
		}
		if f.CompressedSize64 > size/50 {
			t.Errorf("compressed to %d bytes: identical rows should compress far more", f.CompressedSize64)
		}
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		data, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		if n := bytes.Count(data, []byte("<row>")); n != rows {
			t.Errorf("%d rows, want %d", n, rows)
		}
		return
	}
	t.Fatal("no sheet1.xml")
}
