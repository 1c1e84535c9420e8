package document

import (
	"canbo/pipeline/reporttext"
	"canbo/pipeline/schema"
	"canbo/pipeline/summary"
)

// traineeTables are the training appendix's tables by the trainee's roster
// attributes (report.yaml trainee_breakdowns): one per dimension, a row per kind of
// training, and for each category of the dimension its attendances (lượt) and its
// distinct people (người) side by side, so that "56 lượt … người dân tộc thiểu số"
// and "538 cán bộ … theo vị trí việc làm" are both read off the report, each saying
// which it is. Then, alike, one per further field of the course (by_field: the
// level, "trong đó, cao cấp 28 người, trung cấp 280 người"). None without training
// records or such dimensions.
func (b *builder) traineeTables(kind *schema.Field) []*Table {
	tr := b.s.Training
	if kind == nil || tr.People == 0 {
		return nil
	}
	var out []*Table
	for _, code := range b.cfg.Report.TraineeBreakdowns {
		if t := b.traineeTable(kind, "pdf_trainees_by", code, tr.ByTrainee[code]); t != nil {
			out = append(out, t)
		}
	}
	for _, code := range b.cfg.Report.TrainingBreakdowns {
		if t := b.traineeTable(kind, "pdf_training_by_course", code, tr.ByField[code]); t != nil {
			out = append(out, t)
		}
	}
	return out
}

// traineeTable is the table of one dimension's figures m, by kind; nil when the
// summary has none of it. Only a trainee dimension's chua_xac_dinh holds the
// trainees no roster lists; a course field's holds the courses that do not say it.
func (b *builder) traineeTable(kind *schema.Field, caption, code string, m map[string]summary.TraineeCount) *Table {
	tr := b.s.Training
	f := b.cfg.Field(code)
	if f == nil || m == nil {
		return nil
	}
	codes := nonZeroTrainee(b.cfg.Codes(f), m)
	t := &Table{Caption: b.caption(b.fill(caption, "{field}", f.Label)), Size: 10,
		Cols: []Column{{Title: b.label("pdf_stt"), Fit: true, Align: "C"}, {Title: kind.Label, Align: "L"}}}
	for _, c := range codes {
		t.Spans = append(t.Spans, Span{Title: c.Label, First: len(t.Cols), N: 2})
		t.Cols = append(t.Cols, Column{Title: b.label("pdf_luot"), Fit: true, Align: "R"},
			Column{Title: b.label("pdf_nguoi"), Fit: true, Align: "R"})
	}
	for _, k := range b.cfg.Codes(kind) {
		if tr.ByType[k.Code] == 0 {
			continue
		}
		cells := []string{itoa(len(t.Rows) + 1), k.Label}
		for _, c := range codes {
			cells = append(cells, reporttext.Int(m[c.Code].ByType[k.Code]), reporttext.Int(m[c.Code].PeopleByType[k.Code]))
		}
		t.Rows = append(t.Rows, Row{Cells: cells})
	}
	cells := []string{"", b.label("total")}
	for _, c := range codes {
		cells = append(cells, reporttext.Int(m[c.Code].Total), reporttext.Int(m[c.Code].People))
	}
	t.Rows = append(t.Rows, Row{Cells: cells, Style: "B", Shade: ShadeTotal})
	if nr := tr.NotInRoster; caption == "pdf_trainees_by" && nr != nil && nr.Total > 0 {
		t.Note = b.fill("pdf_trainees_not_in_roster", "{luot}", reporttext.Int(nr.Total), "{nguoi}", reporttext.Int(nr.People))
	}
	return t
}

// nonZeroTrainee keeps the categories some trainee has (all when none has any).
func nonZeroTrainee(codes []schema.Code, m map[string]summary.TraineeCount) []schema.Code {
	var out []schema.Code
	for _, c := range codes {
		if m[c.Code].Total > 0 {
			out = append(out, c)
		}
	}
	if len(out) == 0 {
		return codes
	}
	return out
}
