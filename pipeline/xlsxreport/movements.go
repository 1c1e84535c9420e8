package xlsxreport

import (
	"strings"

	"canbo/pipeline/reporttext"
	"canbo/pipeline/schema"
)

// movements is the sheet of the movements registers (summary.json movements): each
// decision in a row, who went from which unit to which, as what, by which form, and
// the direction between the units' levels; the title says how many of each form
// and, of those, how many went down to a lower level, as an article reports
// "luân chuyển 3 cán bộ cấp huyện xuống xã". None without a movements register.
func (b *book) movements() (sheetSpec, bool) {
	mv := b.s.Movements
	if mv == nil {
		return sheetSpec{}, false
	}
	kind := b.cfg.Field("hinh_thuc_dieu_dong")
	kindLabel := func(code string) string {
		if kind != nil {
			for _, c := range b.cfg.Codes(kind) {
				if c.Code == code {
					return b.nfc(c.Label)
				}
			}
		}
		return code
	}
	// "Luân chuyển: 3 (xuống cấp dưới: 3); Điều động: 3 (xuống cấp dưới: 1)"
	var parts []string
	var codes []schema.Code
	if kind != nil {
		codes = b.cfg.Codes(kind)
	}
	for _, c := range codes {
		if n := mv.ByKind[c.Code]; n > 0 {
			parts = append(parts, b.fill("xlsx_movements_kind", "kind", b.nfc(c.Label), "n", reporttext.Int(n),
				"down", reporttext.Int(mv.ByDirection[c.Code]["xuong"])))
		}
	}
	notes := []string{b.fill("xlsx_movements_note", "total", reporttext.Int(mv.Total), "kinds", strings.Join(parts, "; "))}
	if sp := b.s.Span; sp != nil {
		notes = append([]string{b.fill("xlsx_movements_span", "from", reporttext.Period(sp.From), "to", reporttext.Period(sp.To))}, notes...)
	}
	cols := []colSpec{{5, 6}, {18, 26}, {11, 12}, {24, 40}, {24, 40}, {16, 28}, {12, 16}, {10, 14}, {12, 16}, {11, 12}}
	n := len(cols)
	row := make([]cell, n)
	body := func(put func([]cell) error) error {
		for i, m := range mv.List {
			row[0] = b.c(i+1, kCenter, ePlain)
			row[1] = b.c(m.Name, kText, ePlain)
			row[2] = b.c(reporttext.Date(m.BirthDate), kCenter, ePlain)
			row[3] = b.c(m.FromUnit, kWrap, ePlain)
			row[4] = b.c(m.ToUnit, kWrap, ePlain)
			row[5] = b.c(m.Position, kWrap, ePlain)
			row[6] = b.c(kindLabel(m.Kind), kText, ePlain)
			row[7] = b.c(b.label("xlsx_direction_"+m.Direction), kText, ePlain)
			row[8] = b.c(m.DecisionNo, kText, ePlain)
			row[9] = b.c(reporttext.Date(m.DecisionDate), kCenter, ePlain)
			if err := put(row); err != nil {
				return err
			}
		}
		return nil
	}
	return sheetSpec{
		key:  "xlsx_sheet_movements",
		cols: cols,
		top:  b.titleRows(n, "xlsx_movements_title", notes...),
		head: b.headerRow(b.labels("xlsx_stt", "name", "birth_date", "xlsx_from_unit", "xlsx_to_unit", "position",
			"xlsx_movement_kind", "xlsx_direction", "xlsx_decision_no", "xlsx_decision_date")...),
		body:       body,
		freezeCols: 2,
	}, true
}
