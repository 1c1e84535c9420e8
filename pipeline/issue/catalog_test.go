package issue_test

import (
	"os"
	"strings"
	"testing"

	"canbo/pipeline/issue"
	"canbo/templates"
)

// TestEveryCodeHasMessageAndDoc renders each code's message with typical arguments,
// so a template mistake cannot reach a clerk as "<no value>", and checks that
// docs/issue-codes.md documents every code, as the contract requires.
func TestEveryCodeHasMessageAndDoc(t *testing.T) {
	cat, err := issue.LoadCatalog(templates.FS)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := os.ReadFile("../../docs/issue-codes.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, code := range issue.Codes() {
		is := issue.New(code, "UBND xã A.xlsx", "DS", 12, 5)
		is.Label, is.Raw = "Trình độ chuyên môn", "Bằng A"
		for _, k := range []string{"format", "limit", "detail", "other", "newer", "header", "unit", "stated", "counted", "age", "fixed", "expected", "value", "kind"} {
			is = is.With(k, "xls")
		}
		cat.Render(&is)
		if is.Message == "" || strings.Contains(is.Message, "<no value>") || strings.HasPrefix(is.Message, string(code)+":") {
			t.Errorf("%s: bad message %q", code, is.Message)
		}
		if !strings.Contains(string(doc), "`"+string(code)+"`") {
			t.Errorf("docs/issue-codes.md does not document %s", code)
		}
	}
}

func TestCell(t *testing.T) {
	for _, tc := range []struct {
		row, col int
		want     string
	}{{12, 5, "E12"}, {1, 27, "AA1"}, {3, 0, "3"}, {0, 702, "ZZ"}, {0, 703, "AAA"}, {0, 0, ""}} {
		if got := (issue.Issue{Row: tc.row, Col: tc.col}).Cell(); got != tc.want {
			t.Errorf("Cell(%d,%d) = %q, want %q", tc.row, tc.col, got, tc.want)
		}
	}
}
