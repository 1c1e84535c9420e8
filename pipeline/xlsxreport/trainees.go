package xlsxreport

import (
	"canbo/pipeline/reporttext"
	"canbo/pipeline/schema"
	"canbo/pipeline/summary"
)

// trainees is the sheet of training by kind, in attendances (lượt) and in distinct
// people (người), for everyone and split by the trainee's roster attributes
// (report.yaml trainee_breakdowns): "56 lượt cán bộ người dân tộc thiểu số bồi
// dưỡng lý luận chính trị" is read in the row of the kind, the columns of the
// category. Each count says in its column title whether it is lượt or người, as an
// article must. A batch without training records has no such sheet.
func (b *book) trainees() (sheetSpec, bool) {
	t := b.s.Training
	kind := b.cfg.Field(b.cfg.Training.Field)
	if t.People == 0 || kind == nil {
		return sheetSpec{}, false
	}
	luot, nguoi := b.label("xlsx_luot"), b.label("xlsx_nguoi")
	type group struct {
		label string
		codes []schema.Code
		count func(code string) summary.TraineeCount
	}
	// src is the figures a block of rows shows: everyone's, then each group's.
	src := summary.TrainingUnit{Total: t.Total, ByType: t.ByType, TrainingPeople: t.TrainingPeople}
	groups := []group{{label: b.label("xlsx_trainees_all"), codes: []schema.Code{{Code: "", Label: b.label("total")}},
		count: func(string) summary.TraineeCount {
			return summary.TraineeCount{TraineeTotal: summary.TraineeTotal{Total: src.Total, People: src.People},
				ByType: src.ByType, PeopleByType: src.PeopleByType}
		}}}
	for _, code := range b.cfg.Report.TraineeBreakdowns {
		f := b.cfg.Field(code)
		if f == nil || t.ByTrainee[code] == nil {
			continue
		}
		groups = append(groups, group{label: b.nfc(f.Label), codes: b.cfg.Codes(f),
			count: func(c string) summary.TraineeCount { return src.ByTrainee[code][c] }})
	}
	// Then the course's further fields (by_field: the level), read the same way:
	// "trong đó, cao cấp 28 người" in the row of lý luận chính trị.
	for _, code := range b.cfg.Report.TrainingBreakdowns {
		f := b.cfg.Field(code)
		if f == nil || t.ByField[code] == nil {
			continue
		}
		groups = append(groups, group{label: b.nfc(f.Label), codes: b.cfg.Codes(f),
			count: func(c string) summary.TraineeCount { return src.ByField[code][c] }})
	}
	cols := []colSpec{{5, 6}, {24, 36}}
	fixed := b.labels("xlsx_stt", "xlsx_training_kind")
	n := len(fixed)
	for _, g := range groups {
		n += 2 * len(g.codes)
	}
	for len(cols) < n {
		cols = append(cols, colSpec{8, 12})
	}
	top, mid, bottom := make([]cell, n), make([]cell, n), make([]cell, n)
	for i, l := range fixed {
		top[i], mid[i], bottom[i] = cell{v: val(l), style: b.st.head, down: 3}, cell{style: b.st.head}, cell{style: b.st.head}
	}
	c := len(fixed)
	for _, g := range groups {
		top[c] = cell{v: val(g.label), style: b.st.head, span: 2 * len(g.codes)}
		for i, code := range g.codes {
			if i > 0 {
				top[c+2*i] = cell{style: b.st.head}
			}
			top[c+2*i+1] = cell{style: b.st.head}
			mid[c+2*i] = cell{v: val(b.nfc(code.Label)), style: b.st.head, span: 2}
			mid[c+2*i+1] = cell{style: b.st.head}
			bottom[c+2*i], bottom[c+2*i+1] = cell{v: val(luot), style: b.st.head}, cell{v: val(nguoi), style: b.st.head}
		}
		c += 2 * len(g.codes)
	}
	head := func(put func([]cell) error) error {
		for _, r := range [][]cell{top, mid, bottom} {
			if err := put(r); err != nil {
				return err
			}
		}
		return nil
	}
	row := make([]cell, n)
	line := func(stt any, label, kindCode string, emph int) []cell {
		row[0], row[1] = b.c(stt, kCenter, emph), b.c(label, kWrap, emph)
		c := len(fixed)
		for _, g := range groups {
			for _, code := range g.codes {
				tc := g.count(code.Code)
				l, p := tc.Total, tc.People
				if kindCode != "" {
					l, p = tc.ByType[kindCode], tc.PeopleByType[kindCode]
				}
				row[c], row[c+1] = b.c(l, kCount, emph), b.c(p, kCount, emph)
				c += 2
			}
		}
		return row
	}
	kinds := func(put func([]cell) error) error {
		for i, k := range b.cfg.Codes(kind) {
			if err := put(line(i+1, b.nfc(k.Label), k.Code, ePlain)); err != nil {
				return err
			}
		}
		return nil
	}
	// With groups (input sub-folders), each group's block follows everyone's: its
	// name and totals, then its kinds; a leader reads a district's figures in it.
	body := func(put func([]cell) error) error {
		if err := kinds(put); err != nil {
			return err
		}
		for gi, g := range t.Groups {
			src = g
			if err := put(line(roman(gi+1), b.nfc(b.txt.GroupName(b.s, b.cfg, g.Group)), "", eGroup)); err != nil {
				return err
			}
			if err := kinds(put); err != nil {
				return err
			}
		}
		src = summary.TrainingUnit{Total: t.Total, ByType: t.ByType, TrainingPeople: t.TrainingPeople}
		return nil
	}
	total := func(put func([]cell) error) error {
		src = summary.TrainingUnit{Total: t.Total, ByType: t.ByType, TrainingPeople: t.TrainingPeople}
		if err := put(line(nil, b.label("total"), "", eTotal)); err != nil {
			return err
		}
		if nr := t.NotInRoster; nr != nil && nr.Total > 0 {
			return put(b.spanRow(n, b.fill("xlsx_trainees_not_in_roster", "luot", reporttext.Int(nr.Total), "nguoi", reporttext.Int(nr.People)), b.st.note))
		}
		return nil
	}
	return sheetSpec{
		key:        "xlsx_sheet_trainees",
		cols:       cols,
		top:        b.titleRows(n, "section_trainees", b.spanNote(b.label("xlsx_trainees_note"))...),
		head:       head,
		body:       body,
		total:      total,
		freezeCols: 2,
		wide:       true,
	}, true
}

// spanNote is notes, after the span's when the report covers one (canbo run --from
// … --to …): its training sheets count the attendances that started in the span;
// in a month's report, after the dates of the courses counted.
func (b *book) spanNote(notes ...string) []string {
	if sp := b.s.Span; sp != nil {
		return append([]string{b.fill("xlsx_span_note", "from", reporttext.Period(sp.From), "to", reporttext.Period(sp.To))}, notes...)
	}
	// A month's report counts every row of the registers, whatever its date: the
	// reader is told which courses that covers, never left guessing.
	first, last, undated := reporttext.TrainingDates(b.s.Training.Dates)
	var note string
	switch {
	case first != "":
		note = b.fill("xlsx_dates_note", "first", first, "last", last)
	case undated > 0:
		note = b.label("xlsx_dates_none")
	default:
		return notes
	}
	if first != "" && undated > 0 {
		note += " " + b.fill("xlsx_dates_undated", "undated", reporttext.Int(undated))
	}
	return append([]string{note}, notes...)
}
