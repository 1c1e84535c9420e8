package ingest_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"canbo/pipeline/ingest"
	"canbo/pipeline/internal/sheettest"
	"canbo/pipeline/issue"
	"canbo/pipeline/normalize"
	"canbo/pipeline/textfold"
)

// realLayouts finds ../shared/real-layouts beside the repository: anonymized copies of
// workbooks offices really saved, with the truth a person reads from each. They are
// kept outside the project (CI has the folder; a user's fresh clone does not), so the
// tests that read them skip with a reason when it is absent. CANBO_REAL_LAYOUTS names
// another folder.
func realLayouts(t *testing.T) string {
	t.Helper()
	if dir := os.Getenv("CANBO_REAL_LAYOUTS"); dir != "" {
		return dir
	}
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for dir := wd; ; dir = filepath.Dir(dir) {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			p := filepath.Join(dir, "..", "shared", "real-layouts")
			if _, err := os.Stat(filepath.Join(p, "truth.json")); err != nil {
				t.Skipf("the anonymized real workbooks are not here (%s): they sit beside the repository, not in it; set CANBO_REAL_LAYOUTS to their folder to run this test", p)
			}
			return p
		}
		if filepath.Dir(dir) == dir {
			t.Skip("no go.mod above the test: cannot find ../shared/real-layouts")
		}
	}
}

// truth is one entry of truth.json.
type truth struct {
	File       string            `json:"file"`
	People     int               `json:"people"`
	PeopleLeft int               `json:"people_left"`
	Unit       *string           `json:"unit"`
	Columns    map[string]string `json:"columns"`
	NotFields  []string          `json:"not_fields"`
	ListSheet  string            `json:"list_sheet"`
	HeaderRows []int             `json:"header_rows"`
	Dataset    string            `json:"dataset"`
}

// TestRealLayouts reads each anonymized real workbook and checks the whole of what a
// person reads from it: the people counted (and the leavers listed, not counted), the
// list sheet and its header rows, the unit, every column's field and every column that
// must not map to a field.
func TestRealLayouts(t *testing.T) {
	dir := realLayouts(t)
	data, err := os.ReadFile(filepath.Join(dir, "truth.json"))
	if err != nil {
		t.Fatal(err)
	}
	var truths []truth
	if err := json.Unmarshal(data, &truths); err != nil {
		t.Fatal(err)
	}
	r := ingest.NewReader(normalize.New(sheettest.Config(t)), ingest.Options{})
	for _, tr := range truths {
		t.Run(tr.File, func(t *testing.T) {
			f := r.ReadFile(context.Background(), filepath.Join(dir, tr.File))
			if f.Status != ingest.Accepted {
				t.Fatalf("status %s (%s): %v", f.Status, f.Reason, issueCodes(f.Issues))
			}
			counted, left := 0, 0
			for _, rec := range f.Records {
				switch rec.NotCounted {
				case "":
					counted++
				case normalize.Left:
					left++
				}
			}
			if counted != tr.People {
				t.Errorf("people counted: %d, want %d (%s)", counted, tr.People, tableList(f))
			}
			if left != tr.PeopleLeft {
				t.Errorf("leavers listed: %d, want %d", left, tr.PeopleLeft)
			}
			if tr.PeopleLeft > 0 && !hasCode(f.Issues, issue.PeopleLeft) {
				t.Errorf("the leavers are not reported (no %s issue)", issue.PeopleLeft)
			}
			sh := listSheet(f, tr)
			if sh == nil {
				t.Fatalf("no table read on sheet %q (%s)", tr.ListSheet, tableList(f))
			}
			if !equalInts(sh.HeaderRows, tr.HeaderRows) {
				t.Errorf("header rows %v, want %v", sh.HeaderRows, tr.HeaderRows)
			}
			if tr.Dataset == "roster" && sh.Dataset != "roster" {
				t.Errorf("read as %s, want roster", sh.Dataset)
			}
			checkUnit(t, f, sh, tr)
			checkColumns(t, sh, tr)
		})
	}
}

// listSheet returns the table the people are read from: the counted table of the list
// sheet, else (when no one counts, as in a list of leavers) its table with the given
// header.
func listSheet(f *ingest.File, tr truth) *ingest.Sheet {
	var any *ingest.Sheet
	for i := range f.Sheets {
		sh := &f.Sheets[i]
		if sh.Name != tr.ListSheet {
			continue
		}
		if equalInts(sh.HeaderRows, tr.HeaderRows) {
			return sh
		}
		if any == nil && sh.Counted() {
			any = sh
		}
	}
	return any
}

func checkUnit(t *testing.T, f *ingest.File, sh *ingest.Sheet, tr truth) {
	t.Helper()
	if tr.Unit == nil {
		// Not written in the file: the unit must not be invented from a title.
		if sh.TitleUnit != "" {
			t.Errorf("unit %q taken from a title, but the file names no unit", sh.TitleUnit)
		}
		return
	}
	want := textfold.Key(*tr.Unit)
	got, from := sh.TitleUnit, "title"
	if got == "" && sh.UnitSource == "column" {
		from = "column"
		for _, rec := range f.Records {
			got = rec.Unit
			break
		}
	}
	if textfold.Key(got) != want {
		t.Errorf("unit %q (from %s), want %q", got, from, *tr.Unit)
	}
}

// structural fields are outside the truth's set of field codes: the numbering, the
// note and the religion. The truth lists such columns ("STT", "Ghi chú", "Tôn giáo")
// as "not a field" of its set; reading them as these is right.
var structural = map[string]bool{"stt": true, "ghi_chu": true, "ton_giao": true}

func checkColumns(t *testing.T, sh *ingest.Sheet, tr truth) {
	t.Helper()
	got := map[string][]string{} // column letter → fields it feeds
	for _, c := range sh.Columns {
		var fields []string
		if c.Field != nil {
			fields = append(fields, c.Field.Code)
		}
		if c.Mark != nil {
			fields = append(fields, c.Mark.Field.Code)
		}
		for _, f := range c.Split {
			fields = append(fields, f.Code)
		}
		for _, col := range c.Cols() {
			got[issue.ColumnName(col)] = append(got[issue.ColumnName(col)], fields...)
		}
	}
	for col, want := range tr.Columns {
		if !contains(got[col], want) {
			t.Errorf("column %s reads %v, want %s", col, got[col], want)
		}
	}
	for _, col := range tr.NotFields {
		for _, f := range got[col] {
			if !structural[f] {
				t.Errorf("column %s must not map to a field, but reads %s", col, f)
			}
		}
	}
}

func tableList(f *ingest.File) string {
	var parts []string
	for _, sh := range f.Sheets {
		s := fmt.Sprintf("%s %v: %s %d", sh.Name, sh.HeaderRows, sh.Dataset, sh.Rows)
		if sh.Left > 0 {
			s += " +" + strconv.Itoa(sh.Left) + " left"
		}
		if sh.NotCounted != "" {
			s += " (" + sh.NotCounted + " " + sh.Other + ", " + strconv.Itoa(sh.Dropped) + ")"
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, "; ")
}

func issueCodes(list []issue.Issue) []string {
	seen := map[string]bool{}
	var out []string
	for _, is := range list {
		if !seen[string(is.Code)] {
			seen[string(is.Code)] = true
			out = append(out, string(is.Code))
		}
	}
	sort.Strings(out)
	return out
}

func hasCode(list []issue.Issue, c issue.Code) bool {
	for _, is := range list {
		if is.Code == c {
			return true
		}
	}
	return false
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
