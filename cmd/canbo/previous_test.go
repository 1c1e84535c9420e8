package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestRunPrevious: `canbo run --previous DIR` compares the rosters with the files
// in DIR. Last period's copy of the Sóc Trăng sample lacks Sở Nội vụ's file: the
// report says that unit sent no roster last period and counts none of its people as
// joined; everyone else is where they were. The files of the same month given as
// last period's are refused with a reason, not compared into "no change". A
// --previous folder that is not there is a usage error.
func TestRunPrevious(t *testing.T) {
	prev := t.TempDir()
	entries, err := os.ReadDir("../../samples/soc-trang")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.Name() == "Sở Nội vụ.xlsx" {
			continue
		}
		data, err := os.ReadFile(filepath.Join("../../samples/soc-trang", e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(prev, e.Name()), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	out := t.TempDir()
	var stdout, stderr bytes.Buffer
	// The sample's files say 30/09/2023: reported as October, September's copy is last period.
	code := run(context.Background(), []string{"run", "--in", "../../samples/soc-trang", "--out", out, "--previous", prev, "--no-feedback", "--period", "2023-10"},
		&stdout, &stderr)
	if code != exitOK {
		t.Fatalf("exit %d\n%s\n%s", code, stdout.String(), stderr.String())
	}
	s := readSummary(t, filepath.Join(out, "2023-10", "summary.json"))
	rc := s.RosterChanges
	if rc == nil {
		t.Fatalf("no roster_changes\n%s", stdout.String())
	}
	if rc.Previous != "2023-09" || rc.Joined != 0 || rc.Left != 0 || rc.Moved != 0 || rc.Unsure != 0 || len(rc.List) != 0 {
		t.Errorf("roster_changes %+v: want no change since 2023-09", rc)
	}
	if len(rc.UnitsNotCompared) != 1 || rc.UnitsNotCompared[0].Unit != "Sở Nội vụ" || rc.UnitsNotCompared[0].Missing != "previous" ||
		rc.UnitsNotCompared[0].People == 0 {
		t.Errorf("units not compared: %+v; want Sở Nội vụ, not sent last period", rc.UnitsNotCompared)
	}
	for _, want := range []string{"So với danh sách kỳ 09/2023: tăng 0, giảm 0, chuyển đơn vị 0, chưa chắc chắn 0 người.",
		"Sở Nội vụ chưa gửi danh sách kỳ trước"} {
		if !strings.Contains(stdout.String(), want) {
			t.Errorf("stdout lacks %q:\n%s", want, stdout.String())
		}
	}

	// September's files as September's previous period: refused, said, no comparison.
	stdout.Reset()
	stderr.Reset()
	code = run(context.Background(), []string{"run", "--in", "../../samples/soc-trang", "--out", out, "--previous", prev, "--no-feedback"}, &stdout, &stderr)
	if code != exitOK {
		t.Fatalf("exit %d\n%s\n%s", code, stdout.String(), stderr.String())
	}
	if s := readSummary(t, filepath.Join(out, "2023-09", "summary.json")); s.RosterChanges != nil {
		t.Errorf("this month's files compared as last month's: %+v", s.RosterChanges)
	}
	if all := stdout.String() + stderr.String(); !strings.Contains(all, "có số liệu tính đến 30/09/2023, không trước kỳ báo cáo 09/2023") {
		t.Errorf("the refusal is not said:\n%s", all)
	}

	stdout.Reset()
	stderr.Reset()
	code = run(context.Background(), []string{"run", "--in", "../../samples/soc-trang", "--out", out, "--previous", filepath.Join(prev, "khong-co")},
		&stdout, &stderr)
	if code != exitUsage || !strings.Contains(stderr.String(), "không tìm thấy thư mục kỳ trước") {
		t.Errorf("a missing --previous folder: exit %d, %s; want %d and the folder named", code, stderr.String(), exitUsage)
	}
}
