package normalize_test

import (
	"slices"
	"testing"
	"time"

	"golang.org/x/text/unicode/norm"

	"canbo/pipeline/internal/sheettest"
	"canbo/pipeline/issue"
	"canbo/pipeline/normalize"
	"canbo/pipeline/schema"
	"canbo/pipeline/workbook"
)

// TestNameReaderLevel: the course level is found in the name by the vocabulary's
// spellings (training.yaml from_name), whatever the case, diacritics or Unicode form;
// the longer spelling wins over one it contains; skipped and "not" spellings say
// nothing; a name with two levels is not guessed at.
func TestNameReaderLevel(t *testing.T) {
	_, n := setup(t)
	r := n.NameReader("cap_do_dao_tao")
	if r == nil {
		t.Fatal("no name reader for cap_do_dao_tao: training.yaml from_name")
	}
	tests := []struct {
		name  string
		want  string
		codes []string // when the name names several levels
	}{
		{name: "Lớp Trung cấp lý luận chính trị – hành chính K25", want: "trung_cap"},
		{name: "Cao cấp LLCT hệ không tập trung", want: "cao_cap"},
		{name: "Bồi dưỡng ngạch chuyên viên chính", want: "chuyen_vien_chinh"},
		{name: "BD QLNN chương trình chuyên viên", want: "chuyen_vien"},
		{name: "Bồi dưỡng QLNN ngạch chuyên viên cao cấp", want: "chuyen_vien_cao_cap"}, // not cao cấp, not chuyên viên
		{name: "Lớp bồi dưỡng kiến thức QP-AN đối tượng 4"},
		{name: "TC LLCT", want: "trung_cap"},
		{name: "Lớp CC LLCT khóa 2020-2022", want: "cao_cap"},
		{name: "sc llct", want: "so_cap"},
		{name: "Bồi dưỡng CC cấp xã"}, // "CC" alone is skipped: công chức
		{name: "Tập huấn TS"},         // "TS" alone is skipped: thủy sản
		{name: "LOP TRUNG CAP LY LUAN CHINH TRI", want: "trung_cap"},
		{name: "lop cao cap ly luan chinh tri", want: "cao_cap"},
		{name: norm.NFD.String("Cao cấp lý luận chính trị"), want: "cao_cap"},
		{name: norm.NFD.String("Bồi dưỡng ngạch Chuyên viên chính"), want: "chuyen_vien_chinh"},
		{name: "Đại học Luật (vừa làm vừa học)", want: "dai_hoc"},
		{name: "Thạc sĩ Quản lý công", want: "thac_si"},
		{name: "ThS Kinh tế", want: "thac_si"},
		{name: "Đào tạo sau đại học"}, // "sau đại học" says no level
		{name: "Học viện Chính trị khu vực I"},
		{name: "Liên thông từ cao đẳng lên đại học", codes: []string{"cao_dang", "dai_hoc"}},
		{name: "Bồi dưỡng từ trung cấp lên cao cấp", codes: []string{"trung_cap", "cao_cap"}},
		{name: ""},
	}
	for _, tc := range tests {
		got := r.Read(tc.name)
		if got.Code != tc.want || !slices.Equal(got.Codes, tc.codes) {
			t.Errorf("%q → %q %v, want %q %v", tc.name, got.Code, got.Codes, tc.want, tc.codes)
		}
	}
}

// TestNameReaderConfig: what is looked for is configuration: a "not" phrase or a
// skipped alias added in training.yaml changes the reading, with no code change.
func TestNameReaderConfig(t *testing.T) {
	cfg := sheettest.Config(t)
	nf := &schema.NameField{Field: "cap_do_dao_tao", Skip: []string{"đh"}, Not: []string{"đại học mở"}}
	r := normalize.NewNameReader(cfg, nf)
	for name, want := range map[string]string{
		"Đại học Mở Hà Nội, khóa 2": "",
		"ĐH Luật":                   "",
		"Đại học Luật":              "dai_hoc",
	} {
		if got := r.Read(name); got.Code != want || got.Codes != nil {
			t.Errorf("%q → %+v, want %q", name, got, want)
		}
	}
	if normalize.NewNameReader(cfg, &schema.NameField{Field: "ho_ten"}) != nil {
		t.Error("a reader for a field with no vocabulary")
	}
}

// TestRecordLevelFromName: a register with no level column gets the level from the
// course name, and the table says once how many rows; with a level column a blank
// cell stays blank; a name with two levels is left unknown with a warning at its cell.
func TestRecordLevelFromName(t *testing.T) {
	cfg, n := setup(t)
	f := cfg.Field
	level := f("cap_do_dao_tao")
	txt := func(col int, s string) workbook.Cell { return workbook.Cell{Col: col, Kind: workbook.Text, Text: s} }
	sheet := func(cols ...normalize.Column) *normalize.Sheet {
		return &normalize.Sheet{File: "so.xlsx", Sheet: "Sổ", Dataset: cfg.Dataset("training"),
			Columns: cols, AsOf: time.Date(2023, 9, 30, 0, 0, 0, 0, time.UTC)}
	}
	named := sheet(normalize.Column{Col: 1, Field: f("ho_ten")}, normalize.Column{Col: 2, Field: f("khoa_hoc"), Header: "Tên lớp"})
	var ambiguous []issue.Issue
	for i, course := range []string{"Lớp TC LLCT K25", "Bồi dưỡng ngạch chuyên viên chính", "Hội nghị", "Từ trung cấp lên cao cấp"} {
		rec, iss := n.Record(named, workbook.Row{Num: 8 + i, Cells: []workbook.Cell{txt(1, "Lò Văn A"), txt(2, course)}})
		want := []string{"trung_cap", "chuyen_vien_chinh", schema.Unknown, schema.Unknown}[i]
		if got := rec.Code(level); got != want {
			t.Errorf("%q: level %s, want %s", course, got, want)
		}
		for _, is := range iss {
			if is.Code == issue.NameAmbiguous {
				ambiguous = append(ambiguous, is)
			}
		}
	}
	if len(ambiguous) != 1 || ambiguous[0].Cell() != "B11" || ambiguous[0].Args["value"] != "“Trung cấp”, “Cao cấp”" {
		t.Errorf("ambiguous-name issues %+v, want one at B11 naming Trung cấp, Cao cấp", ambiguous)
	}
	notes := map[string]issue.Issue{}
	for _, is := range n.SheetIssues(named, 7) {
		if is.Code != issue.FromName || is.Severity != issue.Warning {
			t.Errorf("sheet issue %s %v", is.Code, is.Severity)
		}
		notes[is.Field] = is
	}
	if is := notes["cap_do_dao_tao"]; is.Args["count"] != "2" || is.Cell() != "B7" || is.Raw != "Lớp TC LLCT K25" || is.Args["value"] != "Trung cấp" || is.Args["header"] != "Tên lớp" {
		t.Errorf("level note %+v, want 2 rows at B7 from “Lớp TC LLCT K25”", is)
	}
	if len(notes) != 1 {
		t.Errorf("sheet notes %+v, want the level's only (the kind has its rules and training-unclassified)", notes)
	}

	withColumn := sheet(normalize.Column{Col: 1, Field: f("ho_ten")}, normalize.Column{Col: 2, Field: f("khoa_hoc")},
		normalize.Column{Col: 3, Field: level}, normalize.Column{Col: 4, Field: f("loai_dao_tao")})
	rec, _ := n.Record(withColumn, workbook.Row{Num: 8, Cells: []workbook.Cell{txt(1, "Lò Văn A"), txt(2, "Trung cấp LLCT"), txt(4, "LLCT")}})
	if got := rec.Code(level); got != schema.Unknown {
		t.Errorf("blank level cell read as %s from the name; the sheet has the column", got)
	}
	if iss := n.SheetIssues(withColumn, 7); len(iss) != 0 {
		t.Errorf("sheet with both columns noted %+v", iss)
	}
}

// BenchmarkNameReader reads the level off typical course names: it runs once for
// each row of a register without a level column.
func BenchmarkNameReader(b *testing.B) {
	_, n := setup(b)
	r := n.NameReader("cap_do_dao_tao")
	names := []string{"Lớp Trung cấp lý luận chính trị – hành chính K25", "Bồi dưỡng QLNN ngạch chuyên viên chính",
		"Bồi dưỡng nghiệp vụ công tác văn phòng", "Đại học Luật (vừa làm vừa học)"}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		r.Read(names[i%len(names)])
	}
}
