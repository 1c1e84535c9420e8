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
	cfg, cat := sheettest.Config(t), sheettest.Catalog(t)
	end := time.Date(2022, 8, 31, 0, 0, 0, 0, time.UTC)
	r := ingest.NewReader(normalize.New(cfg), ingest.Options{Now: func() time.Time { return end }})
	b, err := r.ReadAll(context.Background(), []string{dir}, cat)
	if err != nil {
		t.Fatal(err)
	}
	count := func(from string) *summary.Summary {
		s, err := facts.Build(context.Background(), cfg, b, facts.Options{Period: facts.Period{Month: "2022-08", AsOf: end},
			Now: end, From: from})
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
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
