package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

// update rewrites the golden files from the current output:
//
//	go test ./cmd/canbo -run TestGolden -update
var update = flag.Bool("update", false, "rewrite testdata/*.golden from the current output")

// samplesDir is the repository's samples folder as seen from this package's directory,
// where `go test` runs.
const samplesDir = "../../samples"

// TestGolden runs whole command lines through run, as a clerk would type them, and
// compares what they print with testdata/NAME.golden (stdout) and
// testdata/NAME.stderr.golden (stderr, when there is any).
//
// The output must not depend on the machine or the day: the --out folder (a temp dir)
// is printed as OUT, and the clock is fixed at 02/10/2023, the day after the samples'
// as-of date, for workbooks that carry no "tính đến ngày" date (loi-mau has none).
func TestGolden(t *testing.T) {
	defer func(old func() time.Time) { now = old }(now)
	now = func() time.Time { return time.Date(2023, 10, 2, 8, 0, 0, 0, time.UTC) }
	cases := []struct {
		name string
		args []string // OUT stands for a fresh temp folder
		exit int
		// feedback lists the files that must (true) or must not (false) have a feedback
		// workbook in OUT/<period>/phan-hoi/ afterwards.
		period   string
		feedback map[string]bool
	}{
		{name: "check-cho-don", args: []string{"check", "--out", "OUT", samplesDir + "/cho-don"}, exit: exitOK,
			period: "2023-09",
			feedback: map[string]bool{
				"UBND xã Nam Cường.xlsx": true, "UBND xã Ngọc Phái.xlsx": true, "trich ngang.xlsx": true, // warnings only
				"UBND xã Nghĩa Tá.xlsx": true,  // its training sheet has no level column: value-from-name
				"DS CBCC 2023.xlsx":     false, // clean
			}},
		// loi-mau has no "tính đến ngày" date, so check computes ages at the clock's
		// date and writes feedback under that month.
		{name: "check-loi-mau", args: []string{"check", "--out", "OUT", samplesDir + "/loi-mau"}, exit: exitProblems,
			period: "2023-10",
			feedback: map[string]bool{
				"UBND xã Mẫu Lỗi.xlsx": true,
				"hong.xlsx":            false, "mat-khau.xlsx": false, // rejected: nothing to mark up
				"~$UBND xã Mẫu Lỗi.xlsx": false,
			}},
		// A movements register: its rows are decisions, not people nor attendances.
		{name: "check-movements", args: []string{"check", "--out", "OUT", samplesDir + "/muong-cha/Sổ theo dõi điều động, luân chuyển cán bộ 2017-2023.xlsx"},
			exit: exitOK, period: "2023-10", feedback: map[string]bool{"Sổ theo dõi điều động, luân chuyển cán bộ 2017-2023.xlsx": false}},
		{name: "check-help", args: []string{"check", "--help"}, exit: exitOK},
		{name: "help", args: []string{"--help"}, exit: exitOK},
		{name: "config-check", args: []string{"config", "check"}, exit: exitOK},
		{name: "usage-no-args", args: nil, exit: exitUsage},
		{name: "usage-check-no-input", args: []string{"check"}, exit: exitUsage},
		{name: "usage-check-bad-flag", args: []string{"check", "--bogus", samplesDir + "/cho-don"}, exit: exitUsage},
		{name: "usage-unknown-command", args: []string{"kiem-tra", samplesDir}, exit: exitUsage},
		{name: "usage-config-dir-missing", args: []string{"config", "check", "--config", "khong-co"}, exit: exitUsage},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			out := t.TempDir()
			args := make([]string, len(tc.args))
			for i, a := range tc.args {
				args[i] = strings.ReplaceAll(a, "OUT", out)
			}
			before := hashInputs(t, args)
			var stdout, stderr bytes.Buffer
			code := run(context.Background(), args, &stdout, &stderr)
			if code != tc.exit {
				t.Errorf("exit %d, want %d\nstderr: %s", code, tc.exit, stderr.String())
			}
			golden(t, tc.name+".golden", clean(stdout.String(), out))
			golden(t, tc.name+".stderr.golden", clean(stderr.String(), out))

			// The clerk's originals are never written to.
			if after := hashInputs(t, args); !equalMaps(before, after) {
				t.Errorf("input files changed during the run")
			}
			for name, want := range tc.feedback {
				p := filepath.Join(out, tc.period, "phan-hoi", name)
				_, err := os.Stat(p)
				switch {
				case want && err != nil:
					t.Errorf("no feedback workbook for %s: %v", name, err)
				case want:
					checkFeedback(t, p)
				case !want && err == nil:
					t.Errorf("feedback workbook written for %s, which needs none", name)
				}
			}
		})
	}
}

// clean makes output independent of the machine and the day the test runs.
func clean(s, out string) string {
	s = strings.ReplaceAll(s, out+string(filepath.Separator), "OUT/")
	s = strings.ReplaceAll(s, filepath.ToSlash(out)+"/", "OUT/")
	return strings.ReplaceAll(s, string(filepath.Separator)+"phan-hoi"+string(filepath.Separator), "/phan-hoi/")
}

// golden compares got with testdata/name, or rewrites it under -update. An empty
// output has no golden file.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if got == "" {
			if err := os.Remove(path); err != nil && !os.IsNotExist(err) {
				t.Fatal(err)
			}
			return
		}
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		want, err = nil, nil
	}
	if err != nil {
		t.Fatal(err)
	}
	if got != string(want) {
		t.Errorf("%s differs (go test ./cmd/canbo -run TestGolden -update to accept):\n%s", path, diff(string(want), got))
	}
}

// diff shows the first lines where want and got differ.
func diff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	var b strings.Builder
	shown := 0
	for i := 0; i < len(w) || i < len(g); i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl == gl {
			continue
		}
		b.WriteString("line " + strconv.Itoa(i+1) + ":\n  want: " + wl + "\n  got:  " + gl + "\n")
		if shown++; shown == 5 {
			b.WriteString("  …\n")
			break
		}
	}
	return b.String()
}

// hashInputs hashes every file under the arguments that name existing paths.
func hashInputs(t *testing.T, args []string) map[string][32]byte {
	t.Helper()
	sums := map[string][32]byte{}
	for _, a := range args {
		if !strings.HasPrefix(a, samplesDir) {
			continue
		}
		err := filepath.WalkDir(a, func(p string, d os.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			sums[p] = sha256.Sum256(data)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return sums
}

func equalMaps(a, b map[string][32]byte) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// checkFeedback opens a feedback workbook and checks it lists the problems on a sheet
// of its own.
func checkFeedback(t *testing.T, path string) {
	t.Helper()
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Errorf("%s: not a readable workbook: %v", path, err)
		return
	}
	defer f.Close()
	if idx, err := f.GetSheetIndex("Lỗi cần sửa"); err != nil || idx < 0 {
		t.Errorf("%s: no \"Lỗi cần sửa\" sheet (sheets %v)", path, f.GetSheetList())
	}
}

// TestPersonLog: a warning of an interactive command reads as a sentence, with its
// facts named in Vietnamese, not as a "time=… level=WARN" log line.
func TestPersonLog(t *testing.T) {
	var b strings.Builder
	log := newPersonLogger(&b)
	log.Info("not shown")
	log.Warn("không ghi được tệp phản hồi", "file", "UBND xã A.xlsx", "err", "đĩa đầy")
	want := "Chú ý: không ghi được tệp phản hồi (tệp: UBND xã A.xlsx; chi tiết: đĩa đầy)\n"
	if b.String() != want {
		t.Errorf("got %q, want %q", b.String(), want)
	}
	// Times in the office's zone, as a person reads them; the words of the log
	// (attempts, next, trigger) in Vietnamese.
	b.Reset()
	log.Warn("chưa gửi được thư, sẽ thử lại", "attempts", 1, "next", time.Date(2023, 10, 1, 0, 30, 0, 0, time.UTC), "trigger", "schedule")
	want = "Chú ý: chưa gửi được thư, sẽ thử lại (lần thử: 1; thử lại lúc: 07:30 01/10/2023; cách chạy: theo lịch)\n"
	if b.String() != want {
		t.Errorf("got %q, want %q", b.String(), want)
	}
}
