package issue_test

import (
	"io/fs"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"canbo/pipeline/issue"
	"canbo/templates"
)

// TestGroupSame: the same problem of several cells of a column, with the same value,
// is one group listing every cell in order and counting each flood's unlisted ones;
// another value, another column, another code or a problem of no single cell is a
// group of its own.
func TestGroupSame(t *testing.T) {
	bad := func(row, col int, raw string) issue.Issue {
		is := issue.New(issue.UnknownValue, "a.xlsx", "DS", row, col)
		is.Field, is.Label, is.Raw = "dan_toc", "Dân tộc", raw
		return is
	}
	flood := bad(90, 5, "Kinhh")
	flood.More = 100
	list := []issue.Issue{
		bad(20, 5, "Kinhh"),
		bad(21, 5, "Tàyy"),
		bad(22, 6, "Kinhh"), // another column
		issue.New(issue.MissingColumn, "a.xlsx", "DS", 7, 0),
		bad(40, 5, "Kinhh"),
		flood,
		issue.New(issue.BadDate, "a.xlsx", "DS", 41, 5), // another code
	}
	groups := issue.GroupSame(list)
	type got struct {
		cells []string
		count int
	}
	want := []got{{[]string{"E20", "E40", "E90"}, 103}, {[]string{"E21"}, 1}, {[]string{"F22"}, 1}, {nil, 1}, {[]string{"E41"}, 1}}
	if len(groups) != len(want) {
		t.Fatalf("%d groups, want %d: %+v", len(groups), len(want), groups)
	}
	for i, g := range groups {
		if !slices.Equal(g.Cells, want[i].cells) || g.Count != want[i].count {
			t.Errorf("group %d: cells %v count %d, want %v %d", i, g.Cells, g.Count, want[i].cells, want[i].count)
		}
	}

	cat, err := issue.LoadCatalog(templates.FS)
	if err != nil {
		t.Fatal(err)
	}
	msg := cat.RenderGroup(groups[0], 2)
	const start = `Ô E20, E40 và 101 ô khác: "Kinhh" không phải giá trị hợp lệ của "Dân tộc".`
	if len(msg) < len(start) || msg[:len(start)] != start {
		t.Errorf("group message %q, want it to start %q", msg, start)
	}
	one := groups[1].Issue
	cat.Render(&one)
	if got := cat.RenderGroup(groups[1], 2); got != one.Message {
		t.Errorf("a group of one says %q, its issue %q", got, one.Message)
	}
}

// TestLabels: every code has a short name; a labels file with a misspelt code, an
// empty name or a code left out is refused, each mistake at its line with what to do.
func TestLabels(t *testing.T) {
	cat, err := issue.LoadCatalog(templates.FS)
	if err != nil {
		t.Fatal(err)
	}
	if got := cat.Label(issue.UnknownValue); got != "giá trị không có trong danh mục" {
		t.Errorf("label of unknown-value %q", got)
	}
	msgs, err := fs.ReadFile(templates.FS, issue.MessagesFile)
	if err != nil {
		t.Fatal(err)
	}
	labels, err := fs.ReadFile(templates.FS, issue.LabelsFile)
	if err != nil {
		t.Fatal(err)
	}
	bad := strings.Replace(string(labels), "unknown-value: giá trị không có trong danh mục", "unknown-valeu: giá trị lạ", 1)
	bad = strings.Replace(bad, "file-empty: tệp trống", "file-empty: \"\"", 1)
	_, err = issue.LoadCatalog(fstest.MapFS{issue.MessagesFile: {Data: msgs}, issue.LabelsFile: {Data: []byte(bad)}})
	for _, want := range []string{`mã "unknown-valeu" không tồn tại (có phải "unknown-value"?)`, `tên ngắn của mã "file-empty" phải là vài chữ`,
		`thiếu tên ngắn cho mã "unknown-value"`, "templates/issue-labels.yaml:"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("a broken labels file: %v; want %q", err, want)
		}
	}
}

// TestGroupSameMessage: problems of one column with the same code and value but
// messages that differ beyond naming their own cell are not said as one.
func TestGroupSameMessage(t *testing.T) {
	a := issue.New(issue.UnknownValue, "a.xlsx", "DS", 20, 5)
	a.Raw, a.Message = "x", `Ô E20: "x" lạ; xem dòng 3.`
	b := issue.New(issue.UnknownValue, "a.xlsx", "DS", 21, 5)
	b.Raw, b.Message = "x", `Ô E21: "x" lạ; xem dòng 4.`
	c := issue.New(issue.UnknownValue, "a.xlsx", "DS", 22, 5)
	c.Raw, c.Message = "x", `Ô E22: "x" lạ; xem dòng 3.`
	if g := issue.GroupSame([]issue.Issue{a, b, c}); len(g) != 2 || len(g[0].Cells) != 2 || g[0].Cells[1] != "E22" {
		t.Errorf("groups %+v: want E20 with E22, E21 apart", g)
	}
}
