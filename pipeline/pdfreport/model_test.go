package pdfreport

import (
	"context"

	"canbo/pipeline/document"
)

// The tests' ways into the model, for the summary and configuration a test set on d:
// the body's tables of the targets (with their widths lined up, as drawn) and an
// appendix drawn on its own.

// model builds the document of d.s.
func (d *doc) model() *document.Document {
	m, err := document.Build(context.Background(), d.s, d.cfg, d.txt, d.now, d)
	if err != nil {
		d.err = err
		return &document.Document{}
	}
	return m
}

// targetTables are the body's tables, lined up for the current page.
func (d *doc) targetTables() []*table {
	var out []*table
	blocks := d.model().Body
	for _, b := range blocks {
		if b.Kind == document.KindTable {
			out = append(out, b.Table)
		}
	}
	d.lineUp(blocks)
	return out
}

// drawAppendix draws the appendix of d.s titled key, if it has one.
func (d *doc) drawAppendix(key string) {
	m := d.model()
	d.m = m
	for _, a := range m.Appendices {
		if a.Key == key {
			d.appendix(a)
			d.blocks(a.Blocks)
		}
	}
}

func (d *doc) appendixStructure() { d.drawAppendix("section_structure") }
func (d *doc) appendixStandards() { d.drawAppendix("section_standards") }

func (d *doc) trendLines() ([]document.TrendLine, []string) { return document.TrendLines(d.s) }
