package document

import (
	"canbo/pipeline/reporttext"
	"canbo/pipeline/schema"
)

// movementTables are the training appendix's tables of the movements registers
// (summary.json movements): per form, the decisions by the direction between the
// units' levels ("luân chuyển 3 cán bộ cấp huyện xuống xã"), then each decision: who,
// from which unit to which, the form and the decision. None without a register.
func (b *builder) movementTables() []*Table {
	mv := b.s.Movements
	kind := b.cfg.Field("hinh_thuc_dieu_dong")
	if mv == nil || mv.Total == 0 || kind == nil {
		return nil
	}
	dirs := []string{"xuong", "ngang", "len", schema.Unknown}
	counts := &Table{Caption: b.caption(b.label("pdf_movements_by_kind")), Size: 10,
		Cols: []Column{{Title: b.label("pdf_stt"), Fit: true, Align: "C"}, {Title: kind.Label, Align: "L"},
			{Title: b.label("total"), Fit: true, Align: "R"}}}
	for _, d := range dirs {
		counts.Cols = append(counts.Cols, Column{Title: b.label("pdf_direction_" + d), Fit: true, Align: "R"})
	}
	labels := map[string]string{}
	for _, c := range b.cfg.Codes(kind) {
		labels[c.Code] = c.Label
		if mv.ByKind[c.Code] == 0 {
			continue
		}
		cells := []string{itoa(len(counts.Rows) + 1), c.Label, reporttext.Int(mv.ByKind[c.Code])}
		for _, d := range dirs {
			cells = append(cells, reporttext.Int(mv.ByDirection[c.Code][d]))
		}
		counts.Rows = append(counts.Rows, Row{Cells: cells})
	}
	cells := []string{"", b.label("total"), reporttext.Int(mv.Total)}
	for _, d := range dirs {
		n := 0
		for _, m := range mv.ByDirection {
			n += m[d]
		}
		cells = append(cells, reporttext.Int(n))
	}
	counts.Rows = append(counts.Rows, Row{Cells: cells, Style: "B", Shade: ShadeTotal})

	list := &Table{Caption: b.caption(b.label("pdf_movements_list")), Size: 9,
		Cols: []Column{{Title: b.label("pdf_stt"), Fit: true, Align: "C"}, {Title: b.label("name"), Align: "L"},
			{Title: b.label("pdf_from_unit"), Align: "L"}, {Title: b.label("pdf_to_unit"), Align: "L"},
			{Title: kind.Label, Fit: true, Align: "L"}, {Title: b.label("pdf_decision"), Fit: true, Align: "L"}}}
	for i, m := range mv.List {
		decision := m.DecisionNo
		if m.DecisionDate != "" {
			decision += " (" + reporttext.Date(m.DecisionDate) + ")"
		}
		list.Rows = append(list.Rows, Row{Cells: []string{itoa(i + 1), m.Name, m.FromUnit, m.ToUnit, labels[m.Kind], decision}})
	}
	return []*Table{counts, list}
}
