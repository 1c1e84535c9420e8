package document

import (
	"context"
	"strings"
	"testing"
)

// allText is every text of the document a reader sees: the body, the tables' cells
// and captions, the appendices.
func allText(d *Document) string {
	var b strings.Builder
	blocks := d.Body
	for _, a := range d.Appendices {
		b.WriteString(a.Title + "\n")
		blocks = append(blocks, a.Blocks...)
	}
	for _, bl := range blocks {
		b.WriteString(bl.Text + "\n")
		if t := bl.Table; t != nil {
			b.WriteString(t.Caption + "\n" + t.Note + "\n")
			for _, r := range t.Rows {
				b.WriteString(strings.Join(r.Cells, "\t") + "\n")
			}
		}
	}
	return b.String()
}

// TestNoFolderNames: no input folder's name is anywhere in the samples' document
// (body, tables, appendices), whether report.yaml names the groups or not; with
// names, the structure appendix's group rows carry them.
func TestNoFolderNames(t *testing.T) {
	cfg, txt := load(t)
	s := samples(t)
	named := cfg.Report.Groups
	for _, groups := range []map[string]string{named, nil} {
		cfg.Report.Groups = groups
		d, err := Build(context.Background(), s, cfg, txt, issued, roughly{})
		if err != nil {
			t.Fatal(err)
		}
		all := allText(d)
		for _, g := range s.Groups {
			for _, name := range append(strings.Split(g.Group, "/"), g.Group) {
				if strings.Contains(all, name) {
					t.Errorf("groups %v: the document shows the folder name %q", groups, name)
				}
			}
		}
	}
	cfg.Report.Groups = named
	d, err := Build(context.Background(), s, cfg, txt, issued, roughly{})
	if err != nil {
		t.Fatal(err)
	}
	if all := allText(d); !strings.Contains(all, "I\t"+named["cho-don"]+"\t388") {
		t.Errorf("the structure appendix has no group row %q with its 388 people", named["cho-don"])
	}
}

// TestBodySections: the body is I (with 1. the workforce and 2. the targets, the
// chart after the overall table), II. Đánh giá, III. Phương hướng, kiến nghị, each
// with its paragraphs; without targets section I is the workforce alone, without
// recommendations there is no III.
func TestBodySections(t *testing.T) {
	cfg, txt := load(t)
	s := samples(t)
	outline := func(d *Document) string {
		var parts []string
		for _, b := range d.Body {
			switch b.Kind {
			case KindHeading:
				parts = append(parts, b.Text)
			case KindBars:
				parts = append(parts, "[bars]")
			case KindTable:
				parts = append(parts, "[table]")
			}
		}
		return strings.Join(parts, "|")
	}
	d, err := Build(context.Background(), s, cfg, txt, issued, roughly{})
	if err != nil {
		t.Fatal(err)
	}
	want := "I. Tình hình đội ngũ và kết quả thực hiện chỉ tiêu|1. Tình hình đội ngũ|2. Kết quả thực hiện chỉ tiêu|" +
		"[table]|[bars]|[table]|II. Đánh giá|III. Phương hướng, kiến nghị"
	if got := outline(d); got != want {
		t.Errorf("outline\n%s\nwant\n%s", got, want)
	}
	// Each heading is followed by its paragraphs (or a part); the recommendations are
	// report.yaml's, filled.
	for i, b := range d.Body {
		if b.Kind == KindHeading && (i+1 == len(d.Body) || d.Body[i+1].Kind == KindBars) {
			t.Errorf("heading %q has nothing under it", b.Text)
		}
	}
	last := d.Body[len(d.Body)-1]
	if last.Kind != KindParagraph || strings.Contains(last.Text, "{") {
		t.Errorf("the last paragraph %q", last.Text)
	}
	for _, b := range d.Body {
		if b.Kind == KindHeading && b.Level == 1 && !strings.HasPrefix(b.Text, "1. ") && !strings.HasPrefix(b.Text, "2. ") {
			t.Errorf("part %q not numbered 1., 2.", b.Text)
		}
	}

	bare := *s
	bare.Targets = nil
	cfg.Report.Document.Recommendations = nil
	if d, err = Build(context.Background(), &bare, cfg, txt, issued, roughly{}); err != nil {
		t.Fatal(err)
	}
	if got, want := outline(d), "I. Tình hình đội ngũ|II. Đánh giá"; got != want {
		t.Errorf("without targets and recommendations: %q, want %q", got, want)
	}
}
