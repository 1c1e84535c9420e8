package document

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"canbo/pipeline/document/doctest"
	"canbo/pipeline/reporttext"
	"canbo/pipeline/schema"
	"canbo/pipeline/summary"
)

// issued is the date of issue the tests use: 1 October 2023, 08:00 in Vietnam, given
// in UTC (still 30 September there at 01:00).
var issued = time.Date(2023, 10, 1, 1, 0, 0, 0, time.UTC)

func load(t *testing.T) (*schema.Config, *reporttext.Text) { return doctest.Load(t) }

func samples(t *testing.T) *summary.Summary { return doctest.Samples(t) }

// roughly measures half an em a character: enough for what the model says.
type roughly struct{}

func (roughly) Width(s, style string, size float64) float64 {
	return float64(utf8.RuneCountInString(s)) * size * 0.5 * 25.4 / 72
}

func TestDateOfIssue(t *testing.T) {
	_, txt := load(t)
	for _, tc := range []struct {
		now  time.Time
		want string
	}{
		{issued, "ngày 01 tháng 10 năm 2023"}, // 01:00 UTC is 08:00 in Vietnam
		{time.Date(2026, 3, 5, 9, 0, 0, 0, vietnam), "ngày 05 tháng 3 năm 2026"},
		{time.Date(2024, 2, 9, 9, 0, 0, 0, vietnam), "ngày 09 tháng 02 năm 2024"},
		{time.Date(2025, 1, 15, 9, 0, 0, 0, vietnam), "ngày 15 tháng 01 năm 2025"},
		{time.Date(2025, 12, 31, 20, 0, 0, 0, time.UTC), "ngày 01 tháng 01 năm 2026"},
	} {
		if got := DateOfIssue(txt, tc.now); got != tc.want {
			t.Errorf("%v: %q, want %q", tc.now, got, tc.want)
		}
	}
}

func TestRoman(t *testing.T) {
	for n, want := range map[int]string{1: "I", 4: "IV", 9: "IX", 14: "XIV", 40: "XL", 2023: "MMXXIII"} {
		if got := Roman(n); got != want {
			t.Errorf("Roman(%d) = %q, want %q", n, got, want)
		}
	}
}

// TestSubjectOfSpan: a report over a span (canbo run --from --to) names the span in
// its trích yếu, not its last month.
func TestSubjectOfSpan(t *testing.T) {
	cfg, txt := load(t)
	s := samples(t)
	s.Span = &summary.Span{From: "2015-01", To: "2023-09"}
	d, err := Build(context.Background(), s, cfg, txt, issued, roughly{})
	if err != nil {
		t.Fatal(err)
	}
	if want := "từ tháng 1 năm 2015 đến tháng 9 năm 2023"; !strings.HasSuffix(d.Subject, want) {
		t.Errorf("subject %q, want it to end in %q", d.Subject, want)
	}
}

// TestBuildSamples: the model of the samples' report has the header, the two body
// sections with the targets' table and chart, the signature, the recipients and four
// appendices numbered in order, every label it used defined.
func TestBuildSamples(t *testing.T) {
	cfg, txt := load(t)
	d, err := Build(context.Background(), samples(t), cfg, txt, issued, roughly{})
	if err != nil {
		t.Fatal(err)
	}
	h := d.Header
	if h.Body != "SỞ NỘI VỤ" || h.Country != "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" || h.Number != "Số:      /BC-SNV" ||
		h.PlaceDate != "Sóc Trăng, ngày 01 tháng 10 năm 2023" {
		t.Errorf("header %+v", h)
	}
	if d.Title != "BÁO CÁO" || !strings.HasSuffix(d.Subject, "tháng 9 năm 2023") {
		t.Errorf("title %q, subject %q", d.Title, d.Subject)
	}
	var headings []string
	kinds := map[Kind]int{}
	for _, b := range d.Body {
		kinds[b.Kind]++
		if b.Kind == KindHeading {
			headings = append(headings, b.Text)
		}
	}
	if strings.Join(headings, "|") != "I. Tình hình đội ngũ và kết quả thực hiện chỉ tiêu|1. Tình hình đội ngũ|2. Kết quả thực hiện chỉ tiêu|II. Đánh giá|III. Phương hướng, kiến nghị" || kinds[KindTable] == 0 || kinds[KindBars] != 1 || kinds[KindParagraph] < 5 {
		t.Errorf("body headings %q, blocks %v", headings, kinds)
	}
	if len(d.Signer.Lines) != 2 || d.Signer.Name == "" || d.Recipients.Heading != "Nơi nhận:" || len(d.Recipients.Items) == 0 ||
		!strings.HasPrefix(d.Recipients.Items[0], "- ") {
		t.Errorf("signer %+v, recipients %+v", d.Signer, d.Recipients)
	}
	var numbers []string
	for _, a := range d.Appendices {
		numbers = append(numbers, a.Number)
		if len(a.Blocks) == 0 || !strings.Contains(a.Note, "/BC-SNV") || a.AsOf != "(Số liệu tính đến ngày 30/09/2023)" {
			t.Errorf("%s: %d blocks, note %q, as of %q", a.Number, len(a.Blocks), a.Note, a.AsOf)
		}
	}
	if strings.Join(numbers, "|") != "Phụ lục I|Phụ lục II|Phụ lục III|Phụ lục IV" {
		t.Errorf("appendices %q", numbers)
	}
	var keys []string
	for k := range d.Used {
		keys = append(keys, k)
	}
	if missing := txt.Missing(keys...); len(missing) > 0 {
		t.Errorf("labels used but not defined: %v", missing)
	}
}

// TestBelowStandardList: the appendix lists people by standard in the order of the
// summary's standards (a standard it does not list comes last, by id), each standard
// in the summary's order of people, at most below_standard_rows of them and then how
// many more; every standard's heading gives its whole count.
func TestBelowStandardList(t *testing.T) {
	cfg, txt := load(t)
	cfg.Report.Document.BelowStandardRows = 2
	s := samples(t)
	s.Standards = []summary.Standard{{ID: "b", Title: "Chuẩn B"}, {ID: "a", Title: "Chuẩn A"}}
	s.BelowStandard = nil
	for i, id := range []string{"a", "z", "b", "a", "b", "a", "b", "b"} {
		s.BelowStandard = append(s.BelowStandard, summary.Person{Standard: id, Name: fmt.Sprintf("Người %d", i+1)})
	}
	d, err := Build(context.Background(), s, cfg, txt, time.Date(2023, 10, 2, 0, 0, 0, 0, time.UTC), roughly{})
	if err != nil {
		t.Fatal(err)
	}
	var rows []string
	for _, a := range d.Appendices {
		if a.Key != "section_standards" {
			continue
		}
		tb := a.Blocks[len(a.Blocks)-1].Table
		for _, r := range tb.Rows {
			if r.Whole {
				rows = append(rows, r.Cells[0])
			} else {
				rows = append(rows, r.Cells[0]+" "+r.Cells[1])
			}
		}
	}
	more := func(n int) string {
		return reporttext.Fill(txt.Label("pdf_below_more"), "{so_nguoi}", strconv.Itoa(n), "{trang}", txt.Label("xlsx_sheet_standards"), "{tep}", "bao-cao-"+s.Period+".xlsx")
	}
	group := func(title string, n int) string {
		return reporttext.Fill(txt.Label("pdf_standard_group"), "{ten}", title, "{so_nguoi}", strconv.Itoa(n))
	}
	want := []string{group("Chuẩn B", 4), "1 Người 3", "2 Người 5", more(2),
		group("Chuẩn A", 3), "1 Người 1", "2 Người 4", more(1),
		group("z", 1), "1 Người 2"}
	if !slices.Equal(rows, want) {
		t.Errorf("rows\n%q\nwant\n%q", rows, want)
	}
}

// TestLongUnitTargetsGoToAppendix: a per-unit targets table longer than the body
// takes (a province's hundreds of units) becomes the first appendix, and the body
// says where it is; a short one stays in the body.
func TestLongUnitTargetsGoToAppendix(t *testing.T) {
	cfg, txt := load(t)
	issued := time.Date(2023, 10, 2, 0, 0, 0, 0, time.UTC)
	s := samples(t)
	short, err := Build(context.Background(), s, cfg, txt, issued, roughly{})
	if err != nil {
		t.Fatal(err)
	}
	tables := func(d *Document) int {
		n := 0
		for _, bl := range d.Body {
			if bl.Kind == KindTable {
				n++
			}
		}
		return n
	}
	if tables(short) != 2 || short.Appendices[0].Key == "pdf_targets_by_unit" {
		t.Fatalf("the samples' short per-unit table left the body: %d tables in the body", tables(short))
	}
	var perUnit []summary.Target
	for _, tg := range s.Targets {
		if tg.Unit != "" {
			perUnit = append(perUnit, tg)
		}
	}
	for i := range 40 {
		tg := perUnit[i%len(perUnit)]
		tg.Unit = fmt.Sprintf("UBND xã Thêm %d", i+1)
		s.Targets = append(s.Targets, tg)
	}
	long, err := Build(context.Background(), s, cfg, txt, issued, roughly{})
	if err != nil {
		t.Fatal(err)
	}
	if tables(long) != 1 {
		t.Errorf("%d tables in the body, want the overall one only", tables(long))
	}
	a := long.Appendices[0]
	if a.Key != "pdf_targets_by_unit" || a.Number != "Phụ lục I" || len(a.Blocks) != 1 || len(a.Blocks[0].Table.Rows) <= bodyUnitRows {
		t.Fatalf("first appendix %q %q with %d blocks, want the per-unit targets as Phụ lục I", a.Key, a.Number, len(a.Blocks))
	}
	if long.Appendices[1].Number != "Phụ lục II" {
		t.Errorf("the next appendix is %q, want Phụ lục II", long.Appendices[1].Number)
	}
	found := false
	for _, bl := range long.Body {
		found = found || bl.Kind == KindParagraph && strings.Contains(bl.Text, "theo từng đơn vị tại Phụ lục I kèm theo")
	}
	if !found {
		t.Error("the body does not say where the per-unit results are")
	}
}

// TestAppendicesChosen: report.yaml's document.appendices keeps only the appendices
// it names, numbered from Phụ lục I.
func TestAppendicesChosen(t *testing.T) {
	cfg, txt := load(t)
	cfg.Report.Document.Appendices = []string{"standards"}
	d, err := Build(context.Background(), samples(t), cfg, txt, time.Date(2023, 10, 2, 0, 0, 0, 0, time.UTC), roughly{})
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Appendices) != 1 || d.Appendices[0].Key != "section_standards" || d.Appendices[0].Number != "Phụ lục I" {
		var keys []string
		for _, a := range d.Appendices {
			keys = append(keys, a.Key+" "+a.Number)
		}
		t.Errorf("appendices %q, want the standards one alone as Phụ lục I", keys)
	}
}

// The problems appendix counts a flood's unlisted problems (summary.Problem.More) in
// its field's detail, as in the file's error count.
func TestProblemsAppendixCountsFloods(t *testing.T) {
	cfg, txt := load(t)
	s := samples(t)
	s.Files = []summary.File{{File: "Lũ.xlsx", Status: "accepted", Unit: "UBND xã Lũ", Rows: 2000, Errors: 1500, HeaderRows: []int{}}}
	s.Problems = nil
	for i := range 1000 {
		s.Problems = append(s.Problems, summary.Problem{Code: "bad-date", Severity: "error", File: "Lũ.xlsx", Sheet: "DS",
			Cell: "D" + strconv.Itoa(8+i), Field: "Ngày sinh", Raw: "x", Message: "Ngày sinh sai."})
	}
	s.Problems[999].More = 500
	d, err := Build(context.Background(), s, cfg, txt, issued, roughly{})
	if err != nil {
		t.Fatal(err)
	}
	var detail string
	for _, a := range d.Appendices {
		for _, b := range a.Blocks {
			if a.Key == "section_problems" && b.Table != nil && len(b.Table.Rows) > 0 {
				detail = b.Table.Rows[0].Cells[len(b.Table.Rows[0].Cells)-1]
			}
		}
	}
	if !strings.Contains(detail, "Ngày sinh: 1.500 lỗi") {
		t.Errorf("detail %q, want the field's 1.500 errors", detail)
	}
}
