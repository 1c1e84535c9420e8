package facts_test

import (
	"context"
	"testing"
	"time"

	"canbo/pipeline/facts"
	"canbo/pipeline/ingest"
	"canbo/pipeline/internal/sheettest"
	"canbo/pipeline/normalize"
	"canbo/pipeline/summary"
)

// TestSpan: a report over 01/2022–08/2022 counts the training that started in those
// months (từ ngày, else đến ngày), whatever file it is in; records before, after and
// without any date are counted apart. Without a span every record counts.
func TestSpan(t *testing.T) {
	dir := t.TempDir()
	sheettest.Write(t, dir, "so.xlsx", sheettest.Sheet{Name: "Sổ", Rows: [][]any{
		{"SỔ THEO DÕI ĐÀO TẠO, BỒI DƯỠNG"}, {},
		{"STT", "Họ và tên", "Loại đào tạo", "Từ ngày", "Đến ngày"},
		{1, "Nguyễn Văn A", "LLCT", "15/12/2021", "20/01/2022"}, // started before the span
		{2, "Nguyễn Văn B", "LLCT", "01/01/2022", "05/01/2022"}, // its first day
		{3, "Nguyễn Văn C", "QLNN", "", "31/08/2022"},           // no start: its end, the last day
		{4, "Nguyễn Văn D", "QLNN", "01/09/2022", ""},           // after
		{5, "Nguyễn Văn E", "VTVL", "", ""},                     // no date at all
	}})
	count := spanCounter(t, dir, time.Date(2022, 8, 31, 0, 0, 0, 0, time.UTC))
	s := count("2022-01")
	if s.Training.Total != 2 || s.Training.ByType["ly_luan_chinh_tri"] != 1 || s.Training.ByType["quan_ly_nha_nuoc"] != 1 {
		t.Errorf("in the span: %d, %v; want B and C", s.Training.Total, s.Training.ByType)
	}
	if o := s.Training.OutsideSpan; o == nil || *o != (summary.OutsideSpan{Before: 1, After: 1, Undated: 1}) {
		t.Errorf("outside the span: %+v", o)
	}
	if s.Span == nil || s.Span.From != "2022-01" || s.Span.To != "2022-08" {
		t.Errorf("span %+v", s.Span)
	}
	if all := count(""); all.Training.Total != 5 || all.Span != nil || all.Training.OutsideSpan != nil {
		t.Errorf("without a span: %d, %+v, %+v", all.Training.Total, all.Span, all.Training.OutsideSpan)
	}
}

// spanCounter reads the workbooks of dir as of end and returns what counts them for
// a report whose last month is end's, over the span from its first month (from "":
// the month's report, every record).
func spanCounter(t *testing.T, dir string, end time.Time) func(from string) *summary.Summary {
	t.Helper()
	cfg, cat := sheettest.Config(t), sheettest.Catalog(t)
	r := ingest.NewReader(normalize.New(cfg), ingest.Options{Now: func() time.Time { return end }})
	b, err := r.ReadAll(context.Background(), []string{dir}, cat)
	if err != nil {
		t.Fatal(err)
	}
	return func(from string) *summary.Summary {
		t.Helper()
		s, err := facts.Build(context.Background(), cfg, b, facts.Options{Period: facts.Period{Month: end.Format("2006-01"), AsOf: end},
			Now: end, From: from})
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
}

// TestSpanFromName: training.from_name counts the attendances the report counts
// whose level was read off the course name, not every row of the register: a report
// over 2022 of a register going back to 2020 says how many of its 2022 attendances
// had their level from the name, never more than it counts.
func TestSpanFromName(t *testing.T) {
	dir := t.TempDir()
	sheettest.Write(t, dir, "so.xlsx", sheettest.Sheet{Name: "Sổ", Rows: [][]any{
		{"SỔ THEO DÕI ĐÀO TẠO, BỒI DƯỠNG"}, {},
		{"STT", "Họ và tên", "Tên lớp", "Từ ngày", "Đến ngày"},
		{1, "Nguyễn Văn A", "Trung cấp lý luận chính trị K20", "01/03/2020", "30/09/2020"},
		{2, "Nguyễn Văn B", "Cao cấp lý luận chính trị", "01/03/2021", "30/09/2021"},
		{3, "Nguyễn Văn C", "Bồi dưỡng ngạch chuyên viên", "01/03/2021", "30/04/2021"},
		{4, "Nguyễn Văn D", "Sơ cấp lý luận chính trị", "01/02/2022", "30/03/2022"},
		{5, "Nguyễn Văn E", "Lớp bồi dưỡng kiến thức quốc phòng", "01/05/2022", "10/05/2022"},
	}})
	count := spanCounter(t, dir, time.Date(2022, 12, 31, 0, 0, 0, 0, time.UTC))
	if s := count("2022-01"); s.Training.Total != 2 || s.Training.FromName["cap_do_dao_tao"] != 1 {
		t.Errorf("over 2022: %d attendances, %d with the level from the name; want 2 and 1 (D's; E's name names no level)",
			s.Training.Total, s.Training.FromName["cap_do_dao_tao"])
	}
	if s := count(""); s.Training.Total != 5 || s.Training.FromName["cap_do_dao_tao"] != 4 {
		t.Errorf("the month's report: %d attendances, %d with the level from the name; want 5 and 4",
			s.Training.Total, s.Training.FromName["cap_do_dao_tao"])
	}
}
