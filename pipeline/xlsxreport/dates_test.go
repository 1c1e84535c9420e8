package xlsxreport_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"canbo/pipeline/facts"
	"canbo/pipeline/ingest"
	"canbo/pipeline/internal/sheettest"
	"canbo/pipeline/normalize"
	"canbo/pipeline/reporttext"
	"canbo/templates"
)

// TestTrainingDatesSaid: a month's report counts every row of a register, whatever
// its date (a register of 2015–2023 counts whole), and says which courses that
// covers: summary.json training.dates, the body's training sentence (the PDF and Word
// documents' text) and the Excel training sheet, counting the rows without a date.
func TestTrainingDatesSaid(t *testing.T) {
	dir := t.TempDir()
	sheettest.Write(t, dir, "so.xlsx", sheettest.Sheet{Name: "Sổ", Rows: [][]any{
		{"SỔ THEO DÕI ĐÀO TẠO, BỒI DƯỠNG"}, {},
		{"STT", "Họ và tên", "Ngày sinh", "Đơn vị", "Nội dung đào tạo", "Loại đào tạo", "Từ ngày", "Đến ngày"},
		{1, "Lò Văn A", "01/10/1988", "UBND xã An Bình", "Trung cấp LLCT", "LLCT", sheettest.Date(2019, 5, 6), sheettest.Date(2020, 5, 6)},
		{2, "Lò Văn A", "01/10/1988", "UBND xã An Bình", "Bồi dưỡng QLNN ngạch chuyên viên", "QLNN", "", "20/03/2015"},
		{3, "Lò Thị B", "30/09/1988", "UBND xã An Bình", "Bồi dưỡng kỹ năng", "Khác", "12/09/2023", ""},
		{4, "Lò Thị B", "30/09/1988", "UBND xã An Bình", "Tập huấn nghiệp vụ", "Chuyên môn", "", ""},
		{5, "Giàng A Pó", "15/05/1970", "UBND xã An Bình", "Tập huấn nghiệp vụ", "Chuyên môn", "", ""},
	}})
	cfg, cat := sheettest.Config(t), sheettest.Catalog(t)
	asOf := time.Date(2023, 9, 30, 0, 0, 0, 0, time.UTC)
	b, err := ingest.NewReader(normalize.New(cfg), ingest.Options{Now: func() time.Time { return asOf }}).ReadAll(context.Background(), []string{dir}, cat)
	if err != nil {
		t.Fatal(err)
	}
	s, err := facts.Build(context.Background(), cfg, b, facts.Options{Period: facts.Period{Month: "2023-09", AsOf: asOf}, Now: asOf})
	if err != nil {
		t.Fatal(err)
	}
	if d := s.Training.Dates; d == nil || d.First != "2015-03-20" || d.Last != "2023-09-12" || d.Undated != 2 {
		t.Fatalf("training.dates %+v, want 2015-03-20 … 2023-09-12, 2 undated (đến ngày stands in for a missing từ ngày)", d)
	}
	const said = "Số liệu đào tạo, bồi dưỡng tính mọi dòng của sổ, các khóa bắt đầu từ 03/2015 đến 09/2023; 2 dòng không ghi ngày."
	txt, err := reporttext.Load(templates.FS)
	if err != nil {
		t.Fatal(err)
	}
	sec, err := txt.Sections(s, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if body := strings.Join(sec.Situation, "\n"); !strings.Contains(body, said) {
		t.Errorf("the body does not say the training's dates:\n%s", body)
	}
	f, _ := written(t, s, cfg, txt)
	rows, _ := f.GetRows("Đào tạo")
	if all := strings.Join(flatten(rows), "\n"); !strings.Contains(all, "Số liệu tính mọi dòng của sổ, các khóa bắt đầu từ 03/2015 đến 09/2023. 2 dòng không ghi ngày.") {
		t.Errorf("the training sheet does not say the training's dates:\n%s", all)
	}

	// A report over a span says its span instead; its records are all dated in it.
	s, err = facts.Build(context.Background(), cfg, b, facts.Options{Period: facts.Period{Month: "2023-09", AsOf: asOf}, Now: asOf, From: "2019-01"})
	if err != nil {
		t.Fatal(err)
	}
	if d := s.Training.Dates; d == nil || d.First != "2019-05-06" || d.Undated != 0 {
		t.Errorf("span report's training.dates %+v, want from 2019-05-06, none undated", d)
	}
	if sec, err = txt.Sections(s, cfg); err != nil {
		t.Fatal(err)
	}
	if body := strings.Join(sec.Situation, "\n"); strings.Contains(body, "mọi dòng của sổ") || !strings.Contains(body, "từ 01/2019 đến 09/2023") {
		t.Errorf("a span report's body:\n%s", body)
	}
}
