package xlsxreport

// training is the sheet of attendances (lượt người) by unit, training type and
// funding. The summary counts types under the training field (training.yaml) and
// funding under the first other training breakdown (report.yaml), as here.
func (b *book) training() sheetSpec {
	t := b.s.Training
	kind, fund := b.cfg.Training.Field, ""
	for _, d := range b.cfg.Report.TrainingBreakdowns {
		if d != kind {
			fund = d
			break
		}
	}
	var codes []string
	for _, c := range []string{kind, fund} {
		if c != "" {
			codes = append(codes, c)
		}
	}
	d := b.dimensions(codes)
	of := func(byType, byFunding map[string]int) func(string) map[string]int {
		return func(dim string) map[string]int {
			if dim == kind {
				return byType
			}
			return byFunding
		}
	}
	cols := []colSpec{{5, 6}, {24, 40}, {10, 12}}
	for range d.n {
		cols = append(cols, colSpec{7, 14})
	}
	var buf []int
	row := make([]cell, len(cols))
	unitRow := func(stt any, name string, total int, by func(string) map[string]int, emph int) []cell {
		row[0] = b.c(stt, kCenter, emph)
		row[1] = b.c(name, kWrap, emph)
		row[2] = b.c(total, kCount, emph)
		buf = d.counts(buf, by)
		for i, n := range buf {
			var v any = n
			if n < 0 {
				v = nil
			}
			row[3+i] = b.c(v, kCount, emph)
		}
		return row
	}
	body := func(put func([]cell) error) error {
		for i, u := range t.Units {
			if err := put(unitRow(i+1, u.Unit, u.Total, of(u.ByType, u.ByFunding), ePlain)); err != nil {
				return err
			}
		}
		return nil
	}
	total := func(put func([]cell) error) error {
		return put(unitRow(nil, b.label("total"), t.Total, of(t.ByType, t.ByFunding), eTotal))
	}
	return sheetSpec{
		key:        "xlsx_sheet_training",
		stream:     true,
		cols:       cols,
		top:        b.titleRows(len(cols), "section_training", b.spanNote(b.label("xlsx_per_attendances"))...),
		head:       d.header(b, b.labels("xlsx_stt", "unit", "xlsx_training_total_col")),
		body:       body,
		total:      total,
		freezeCols: 3,
	}
}
