package xlsxreport

// hasWorkplaces reports whether some unit of the report counts other units' people
// (a school's class lists, units.yaml lists: learners), whose workplaces the
// workplaces sheet lists.
func (b *book) hasWorkplaces() bool {
	for _, u := range b.s.Units {
		if len(u.Workplaces) > 0 {
			return true
		}
	}
	return false
}

// workplaces is the sheet of where the learners counted under the units that sent
// their lists work: one row per sender and workplace (the sender on every row, so
// that the autofilter picks a school's), the learners a workplace sent, and the
// total. Every other sheet, and the forms, count them under the sender; this is
// the detail an office asks for ("how many did each commune send?").
func (b *book) workplaces() sheetSpec {
	cols := []colSpec{{5, 8}, {20, 40}, {24, 50}, {10, 12}}
	n := len(cols)
	row := make([]cell, n)
	body := func(put func([]cell) error) error {
		i := 0
		for _, u := range b.s.Units {
			for _, w := range u.Workplaces {
				i++
				name := w.Unit
				if name == "" {
					name = b.label("xlsx_workplace_blank")
				}
				row[0] = b.c(i, kCenter, ePlain)
				row[1] = b.c(u.Unit, kWrap, ePlain)
				row[2] = b.c(name, kWrap, ePlain)
				row[3] = b.c(w.People, kCount, ePlain)
				if err := put(row); err != nil {
					return err
				}
			}
		}
		return nil
	}
	total := func(put func([]cell) error) error {
		sum := 0
		for _, u := range b.s.Units {
			for _, w := range u.Workplaces {
				sum += w.People
			}
		}
		row[0] = b.c(nil, kCenter, eTotal)
		row[1] = b.c(b.label("total"), kWrap, eTotal)
		row[2] = b.c(nil, kWrap, eTotal)
		row[3] = b.c(sum, kCount, eTotal)
		return put(row)
	}
	return sheetSpec{
		key:        "xlsx_sheet_workplaces",
		cols:       cols,
		top:        b.titleRows(n, "xlsx_workplaces_title", b.label("xlsx_workplaces_note")),
		head:       b.headerRow(b.labels("xlsx_stt", "xlsx_sender", "xlsx_workplace", "xlsx_learners")...),
		body:       body,
		total:      total,
		freezeCols: 2,
	}
}
