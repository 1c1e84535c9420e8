package pdfreport

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"canbo/pipeline/reporttext"
	"canbo/pipeline/schema"
	"canbo/pipeline/summary"
)

// The layout of the tables and the chart: what a reader would find wrong on the page.

// blankDoc is a document with its fonts loaded and one page, to draw parts of the
// report on.
func blankDoc(t *testing.T) *doc {
	t.Helper()
	cfg, txt := load(t)
	d, err := render(context.Background(), &summary.Summary{Period: "2023-09", AsOf: "2023-09-30"}, cfg, txt, issued)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// cellLines wraps every cell of t as drawTable does and returns the most lines each
// column's cells take, and each row's lines.
func cellLines(d *doc, t *table) (perColumn []int, perRow []int) {
	lt := d.measure(t)
	perColumn = make([]int, len(t.Cols))
	for i, r := range t.Rows {
		lines, _ := d.layoutRow(lt, r)
		most := 0
		for c, l := range lines {
			if !r.Whole {
				perColumn[c] = max(perColumn[c], len(l))
			}
			most = max(most, len(l))
		}
		_ = i
		perRow = append(perRow, most)
	}
	return perColumn, perRow
}

// TestTargetTables: overall results first, then the per-unit results grouped under
// their target (its title once), every number and date on one line, per-unit rows on
// one or two lines, and the two tables' columns lined up.
func TestTargetTables(t *testing.T) {
	cfg, _ := load(t)
	d := blankDoc(t)
	d.s = fixture(t, cfg)
	title := "Ủy viên Ban Chấp hành đảng bộ cấp huyện và tương đương có trình độ sau đại học hoặc đang đào tạo sau đại học"
	d.s.Targets = append(d.s.Targets, summary.Target{ID: "sdh_bch_huyen", RuleSet: "de_an_02", Title: title,
		Population: 80, Count: 45, Share: 0.5625, Threshold: 0.4, Met: true, Deadline: "2025-12-31"})
	for i, u := range []string{"Huyện ủy Kế Sách", "Huyện ủy Mỹ Xuyên", "Huyện ủy Trần Đề", "Thị ủy Vĩnh Châu"} {
		d.s.Targets = append(d.s.Targets, summary.Target{ID: "sdh_bch_huyen", RuleSet: "de_an_02", Title: title, Unit: u,
			Population: 20, Count: 8 + i, Share: float64(8+i) / 20, Threshold: 0.4, Met: 8+i >= 8, Shortfall: 0, Deadline: "2025-12-31"})
	}
	tables := d.targetTables()
	if len(tables) != 2 {
		t.Fatalf("%d tables, want the overall results and the results by unit", len(tables))
	}
	overall, byUnit := tables[0], tables[1]
	if len(overall.Rows) != 5 {
		t.Errorf("%d overall rows, want the 5 overall targets", len(overall.Rows))
	}
	for _, r := range overall.Rows {
		if strings.Contains(r.Cells[1], "(") {
			t.Errorf("overall row %q names a unit", r.Cells[1])
		}
	}
	// The per-unit results: a heading per target, with the target's number in the
	// first table, then one row per unit, named by the unit alone.
	var headings []string
	units := 0
	for _, r := range byUnit.Rows {
		switch {
		case r.Whole:
			headings = append(headings, r.Cells[0])
			if !r.Keep || r.Shade == plain || r.Style != "B" {
				t.Errorf("heading %q: not bold, shaded and kept with its first unit", r.Cells[0])
			}
		default:
			units++
			if strings.Contains(r.Cells[1], "trình độ") {
				t.Errorf("a unit row repeats the target's title: %q", r.Cells[1])
			}
		}
	}
	// Numbered as in the first table; a target judged only by unit after the others.
	want := []string{"5. " + title, "6. Lãnh đạo cấp phòng có trình độ trung cấp lý luận chính trị trở lên"}
	if strings.Join(headings, "|") != strings.Join(want, "|") {
		t.Errorf("headings %q, want %q", headings, want)
	}
	if units != 5 {
		t.Errorf("%d unit rows, want 5", units)
	}
	if r := byUnit.Rows[len(byUnit.Rows)-1]; r.Cells[0] != "6.1" || r.Cells[1] != "UBND xã Phú Tâm" {
		t.Errorf("last unit row %q, want 6.1 UBND xã Phú Tâm", r.Cells[:2])
	}
	if fmt.Sprint(overall.Widths) != fmt.Sprint(byUnit.Widths) || len(overall.Widths) != len(overall.Cols) {
		t.Errorf("the two tables' columns differ: %v and %v", overall.Widths, byUnit.Widths)
	}

	for _, tb := range tables {
		perColumn, perRow := cellLines(d, tb)
		for c, col := range tb.Cols {
			if col.Fit && col.Most == 0 && perColumn[c] > 1 {
				t.Errorf("column %q wraps (%d lines): numbers and dates must not", col.Title, perColumn[c])
			}
		}
		if tb == byUnit {
			for i, n := range perRow {
				if n > 2 {
					t.Errorf("per-unit row %d takes %d lines, want 1–2", i, n)
				}
			}
		}
	}
	// The date column is as wide as the date.
	d.font("", overall.Size)
	if w, need := overall.Widths[8], d.pdf.GetStringWidth("31/12/2025")+2*cellPadX; w < need {
		t.Errorf("the deadline column is %.1f mm, the date needs %.1f", w, need)
	}
}

// TestTargetsOnlyOverall: without per-unit results there is one table, uncaptioned.
func TestTargetsOnlyOverall(t *testing.T) {
	cfg, _ := load(t)
	d := blankDoc(t)
	d.s = fixture(t, cfg)
	d.s.Targets = d.s.Targets[:4]
	tables := d.targetTables()
	if len(tables) != 1 || tables[0].Caption != "" || len(tables[0].Rows) != 4 {
		t.Errorf("%d tables (first captioned %q)", len(tables), tables[0].Caption)
	}
}

// TestTargetsText: in the PDF, every date of the targets table is whole
// ("31/12/2025", never "31/12/202" and "5" on the next line), and a unit's result
// is not the target's title with the unit in brackets.
func TestTargetsText(t *testing.T) {
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext (poppler-utils) is not installed")
	}
	cfg, txt := load(t)
	path := filepath.Join(t.TempDir(), "bao-cao.pdf")
	if err := Write(context.Background(), path, fixture(t, cfg), cfg, txt, issued); err != nil {
		t.Fatal(err)
	}
	text := pdftotextLayout(t, path)
	start := strings.Index(text, "2. Kết quả thực hiện chỉ tiêu")
	end := strings.Index(text, "II. Đánh giá")
	if start < 0 || end < start {
		t.Fatalf("no targets section (%d, %d)", start, end)
	}
	section := text[start:end]
	if n := strings.Count(section, "31/12/2025"); n != 5 || strings.Count(section, "31/12/202") != n {
		t.Errorf("the targets table has %d whole dates of %d, want 5 of 5:\n%s", n, strings.Count(section, "31/12/202"), section)
	}
	for _, want := range []string{"Kết quả chung", "Kết quả theo từng đơn vị", "5.1", "UBND xã Phú Tâm", "70,00%", "80,67%"} {
		if !strings.Contains(section, want) {
			t.Errorf("the targets section lacks %q", want)
		}
	}
	if strings.Contains(section, "(UBND xã Phú Tâm)") {
		t.Error("the targets table still appends the unit to the title")
	}
}

func pdftotextLayout(t *testing.T, path string, pages ...int) string {
	t.Helper()
	args := []string{"-layout", "-enc", "UTF-8"}
	if len(pages) == 2 {
		args = append(args, "-f", strconv.Itoa(pages[0]), "-l", strconv.Itoa(pages[1]))
	}
	out, err := exec.Command("pdftotext", append(args, path, "-")...).Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return string(out)
}

// manyUnits is the fixture with n units in three groups (long names among them) and
// a code nobody has: "chưa xác định" of giới tính.
func manyUnits(tb testing.TB, cfg *schema.Config, n int) *summary.Summary {
	s := fixture(tb, cfg)
	s.Units, s.Groups = nil, nil
	s.Total = summary.Unit{Breakdowns: map[string]map[string]int{}}
	groups := []string{"Nhóm Alpha", "Nhóm Beta", "Nhóm Gamma"}
	byGroup := map[string]*summary.Unit{}
	for i := 0; i < n; i++ {
		g := groups[i*len(groups)/n]
		name := fmt.Sprintf("UBND xã Số %d", i+1)
		if i%4 == 1 {
			name = fmt.Sprintf("Đảng ủy xã Đăk Rơ Wa số %d, thành phố Kon Tum, tỉnh Kon Tum", i+1)
		}
		u := summary.Unit{Unit: name, Group: g, Headcount: 5 + i%30, Breakdowns: map[string]map[string]int{}}
		for _, dim := range cfg.Report.Breakdowns {
			u.Breakdowns[dim] = spread(u.Headcount, cfg.Codes(cfg.Field(dim)), i)
		}
		u.Breakdowns["gioi_tinh"]["nam"] += u.Breakdowns["gioi_tinh"][schema.Unknown]
		u.Breakdowns["gioi_tinh"][schema.Unknown] = 0
		s.Units = append(s.Units, u)
		if byGroup[g] == nil {
			byGroup[g] = &summary.Unit{Group: g, Breakdowns: map[string]map[string]int{}}
		}
		add(byGroup[g], u)
		add(&s.Total, u)
	}
	for _, g := range groups {
		s.Groups = append(s.Groups, *byGroup[g])
	}
	return s
}

// TestStructureAppendix: every unit is kept; a group's subtotal is bold, shaded and
// kept with its first unit; a code nobody has is left out, and a note says so; few
// tables (the dimensions packed across the landscape page).
func TestStructureAppendix(t *testing.T) {
	cfg, _ := load(t)
	d := blankDoc(t)
	d.s = manyUnits(t, cfg, 246)
	var tables []*table
	d.onTable = func(t *table) { tables = append(tables, t) }
	d.appendixStructure()
	if d.err != nil {
		t.Fatal(d.err)
	}
	// 41 codes in nine dimensions (one left out): the old layout took five tables.
	if len(tables) == 0 || len(tables) > 4 {
		t.Fatalf("%d tables for the nine breakdowns, want at most 4", len(tables))
	}
	for ti, tb := range tables {
		units, groups := 0, 0
		for _, r := range tb.Rows {
			switch {
			case strings.HasPrefix(r.Cells[1], "Nhóm "):
				groups++
				if r.Style != "B" || r.Shade == plain || !r.Keep {
					t.Errorf("table %d: group row %q is not bold, shaded and kept with its first unit", ti+1, r.Cells[1])
				}
			case r.Style == "":
				units++
			}
		}
		if units != 246 || groups != 3 {
			t.Errorf("table %d: %d units and %d groups, want 246 and 3", ti+1, units, groups)
		}
		if last := tb.Rows[len(tb.Rows)-3]; !last.Keep {
			t.Errorf("table %d: the last unit is not kept with the total", ti+1)
		}
		for _, sp := range tb.Spans {
			for _, c := range tb.Cols[sp.First : sp.First+sp.N] {
				if sp.Title == "Giới tính" && c.Title == "Chưa xác định" {
					t.Errorf("table %d keeps the empty column giới tính: chưa xác định", ti+1)
				}
			}
		}
	}
	if note := tables[0].Note; !strings.Contains(note, "Các cột không có người nào được lược bỏ") || !strings.Contains(note, "giới tính: chưa xác định") {
		t.Errorf("no note of the left-out column: %q", note)
	}
	for _, tb := range tables[1:] {
		if strings.Contains(tb.Note, "giới tính") {
			t.Errorf("a later table repeats the note: %q", tb.Note)
		}
	}
}

// TestLongStructure renders an appendix of 246 units: the header on every page, no
// page ending on a group's subtotal, and nothing below the bottom margin.
func TestLongStructure(t *testing.T) {
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext (poppler-utils) is not installed")
	}
	cfg, txt := load(t)
	path := filepath.Join(t.TempDir(), "bao-cao.pdf")
	if err := Write(context.Background(), path, manyUnits(t, cfg, 246), cfg, txt, issued); err != nil {
		t.Fatal(err)
	}
	pages := strings.Split(pdftotextLayout(t, path), "\f")
	structure := 0
	for i, page := range pages {
		if !strings.Contains(page, "UBND xã Số") || strings.Contains(page, "Phụ lục II") {
			continue
		}
		structure++
		for _, h := range []string{"STT", "Đơn vị", "Tổng số"} {
			if !strings.Contains(page, h) {
				t.Errorf("page %d lacks the header %q", i+1, h)
			}
		}
		ls := lines(page)
		if last := ls[len(ls)-1]; strings.Contains(last, "Nhóm ") {
			t.Errorf("page %d ends on a group's subtotal: %q", i+1, last)
		}
	}
	if structure == 0 || structure > 50 {
		t.Errorf("the structure of 246 units takes %d pages", structure)
	}
	checkMargins(t, path)
}

// TestManyTargets: a chart of 30 targets runs over pages instead of off the page, its
// titles numbered and each one drawn.
func TestManyTargets(t *testing.T) {
	cfg, txt := load(t)
	s := fixture(t, cfg)
	s.Targets = nil
	for i := 0; i < 30; i++ {
		n := 10 + i
		s.Targets = append(s.Targets, summary.Target{ID: fmt.Sprint("t", i), RuleSet: "r",
			Title:      fmt.Sprintf("Chỉ tiêu thứ %d: cán bộ, công chức cấp xã có trình độ chuyên môn đại học trở lên và đã qua bồi dưỡng quản lý nhà nước", i+1),
			Population: 40, Count: n, Share: float64(n) / 40, Threshold: float64(i%10) / 9, Met: float64(n)/40 >= float64(i%10)/9,
			Deadline: "2025-12-31"})
	}
	d, err := render(context.Background(), s, cfg, txt, issued)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext (poppler-utils) is not installed")
	}
	path := filepath.Join(t.TempDir(), "bao-cao.pdf")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := d.pdf.Output(f); err != nil {
		t.Fatal(err)
	}
	f.Close()
	text := pdftotextLayout(t, path)
	chart := text[strings.Index(text, "Biểu đồ"):]
	for i := 1; i <= 30; i++ {
		if !strings.Contains(chart, fmt.Sprintf("%d. Chỉ tiêu thứ %d:", i, i)) {
			t.Errorf("the chart lacks target %d", i)
		}
	}
	checkMargins(t, path)
}

var (
	bboxPage = regexp.MustCompile(`<page width="([0-9.]+)" height="([0-9.]+)">`)
	bboxWord = regexp.MustCompile(`<word xMin="([0-9.]+)" yMin="([0-9.]+)" xMax="([0-9.]+)" yMax="([0-9.]+)">([^<]*)</word>`)
)

// checkMargins fails for any word pdftotext finds below the bottom margin or
// beyond the left or right margin of its page (the page numbers are in the top one).
func checkMargins(t *testing.T, path string) {
	t.Helper()
	out, err := exec.Command("pdftotext", "-bbox", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext -bbox: %v", err)
	}
	const pt = 72 / 25.4
	bad := 0
	for i, page := range strings.Split(string(out), "<page ")[1:] {
		m := bboxPage.FindStringSubmatch("<page " + page)
		if m == nil {
			continue
		}
		w, _ := strconv.ParseFloat(m[1], 64)
		h, _ := strconv.ParseFloat(m[2], 64)
		left, right, bottom := portraitLeft, portraitRight, portraitBottom
		if w > h {
			left, right, bottom = landscapeLeft, landscapeRight, landscapeBottom
		}
		for _, word := range bboxWord.FindAllStringSubmatch(page, -1) {
			x0, _ := strconv.ParseFloat(word[1], 64)
			x1, _ := strconv.ParseFloat(word[3], 64)
			y1, _ := strconv.ParseFloat(word[4], 64)
			if y1 > h-bottom*pt+1 || x0 < left*pt-1 || x1 > w-right*pt+1 {
				if bad++; bad <= 10 {
					t.Errorf("page %d: %q at (%.0f, %.0f)–(%.0f) pt is outside the margins", i+1, word[5], x0, y1, x1)
				}
			}
		}
	}
}

// TestColumnWidths: a fitted column is as wide as its widest cell, whatever the
// other columns hold; the flexible ones share the rest, the short ones whole.
func TestColumnWidths(t *testing.T) {
	d := blankDoc(t)
	long := strings.Repeat("Trình độ chuyên môn: hiện có Trung cấp, yêu cầu Đại học. ", 6)
	tb := &table{Cols: []column{
		{Title: "STT", Fit: true, Align: "C"},
		{Title: "Họ và tên"},
		{Title: "Ngày sinh", Fit: true, Align: "C"},
		{Title: "Còn thiếu"},
	}}
	for i := 0; i < 50; i++ {
		tb.Rows = append(tb.Rows, row{Cells: []string{strconv.Itoa(i + 1), "Nguyễn Văn An", "31/12/2025", long}})
	}
	tb.Rows = append(tb.Rows, row{Style: "B", Cells: []string{"", "Tổng cộng", "100.000", ""}})
	for _, width := range []float64{80, 165, 257} {
		w := d.columnWidths(tb, width)
		sum := 0.0
		for _, x := range w {
			sum += x
		}
		if sum > width+0.01 {
			t.Errorf("width %v: columns add up to %.1f", width, sum)
		}
		d.font("B", tableSize)
		if need := d.pdf.GetStringWidth("100.000") + 2*cellPadX; w[2] < need {
			t.Errorf("width %v: the fitted column is %.1f mm, its widest cell needs %.1f", width, w[2], need)
		}
		d.font("", tableSize)
		if need := d.pdf.GetStringWidth("Nguyễn Văn An") + 2*cellPadX; width > 100 && w[1] < need {
			t.Errorf("width %v: the name column is %.1f mm, the name needs %.1f", width, w[1], need)
		}
		tb.Widths = w
		perColumn, _ := cellLines(d, tb)
		tb.Widths = nil
		if perColumn[0] != 1 || perColumn[2] != 1 {
			t.Errorf("width %v: a fitted column wraps: %v", width, perColumn)
		}
	}
}

// TestBelowStandardCapped: a standard with more people below it than
// document.below_standard_rows lists that many, then says how many more and where they
// all are; a standard with fewer is listed whole, with no such line.
func TestBelowStandardCapped(t *testing.T) {
	cfg, _ := load(t)
	for _, tc := range []struct{ people, limit int }{{1000, 0}, {40, 12}, {40, 40}, {3, 1}} {
		c := *cfg
		c.Report.Document.BelowStandardRows = tc.limit
		limit := c.Report.Document.BelowStandardLimit()
		d := blankDoc(t)
		d.cfg = &c
		d.s = bigFixture(t, &c, tc.people)
		perStandard := map[string]int{}
		for _, p := range d.s.BelowStandard {
			perStandard[p.Standard]++
		}
		wantListed, wantNotes := 0, []string{}
		for _, st := range d.s.Standards {
			n, ok := perStandard[st.ID]
			if !ok {
				continue
			}
			delete(perStandard, st.ID)
			wantListed += min(n, limit)
			if n > limit {
				wantNotes = append(wantNotes, fmt.Sprintf("… và %d người khác; danh sách đầy đủ ở trang “Chưa đạt chuẩn” của báo cáo Excel bao-cao-%s.xlsx", n-limit, d.s.Period))
			}
		}
		var tables []*table
		d.onTable = func(t *table) { tables = append(tables, t) }
		d.appendixStandards()
		if d.err != nil {
			t.Fatal(d.err)
		}
		// A table of counts by unit per standard, then the names.
		perUnit := map[string]int{}
		for _, st := range d.s.Standards {
			if st.Population > 0 {
				perUnit[st.ID]++
			}
		}
		if limit == 0 { // the default: counts only, and where the names are
			last := tables[len(tables)-1]
			want := fmt.Sprintf("Danh sách %s người chưa đạt tiêu chuẩn, kèm nội dung còn thiếu của từng người, ở trang “Chưa đạt chuẩn” của báo cáo Excel bao-cao-%s.xlsx.",
				reporttext.Int(len(d.s.BelowStandard)), d.s.Period)
			if len(tables) != len(perUnit) || !strings.Contains(last.Note, want) {
				t.Errorf("without below_standard_rows: %d tables (want %d, counts only), last note %q, want %q", len(tables), len(perUnit), last.Note, want)
			}
			continue
		}
		if len(tables) != len(perUnit)+1 {
			t.Fatalf("%d tables, want %d (one of counts per standard, then the names)", len(tables), len(perUnit)+1)
		}
		for _, ct := range tables[:len(perUnit)] {
			below := 0
			for _, r := range ct.Rows[:len(ct.Rows)-1] {
				n, _ := strconv.Atoi(strings.ReplaceAll(r.Cells[4], ".", ""))
				below += n
			}
			last := ct.Rows[len(ct.Rows)-1]
			if got, _ := strconv.Atoi(strings.ReplaceAll(last.Cells[4], ".", "")); last.Style != "B" || got != below {
				t.Errorf("%s: total row %q says %d below, the units add up to %d", ct.Caption, last.Cells, got, below)
			}
		}
		names := tables[len(tables)-1]
		listed, notes := 0, []string{}
		for _, r := range names.Rows {
			switch {
			case !r.Whole:
				listed++
			case r.Style == "I":
				notes = append(notes, r.Cells[0])
			}
		}
		if listed != wantListed || !slices.Equal(notes, wantNotes) {
			t.Errorf("%d people below, limit %d: %d listed and notes %q, want %d and %q", tc.people, limit, listed, notes, wantListed, wantNotes)
		}
	}
}

// TestLongTableStartsWithRows: a long table starts on a page only where its header
// has startRows rows under it (the structure appendix's second table once began at
// a page's foot with its header, its group row and one unit); a short table still
// asks for all of itself.
func TestLongTableStartsWithRows(t *testing.T) {
	d := blankDoc(t)
	long := &table{Cols: []column{{Title: "STT", Fit: true}, {Title: "Đơn vị"}, {Title: "Tổng số", Fit: true}}}
	for i := range 60 {
		long.Rows = append(long.Rows, row{Cells: []string{strconv.Itoa(i + 1), "UBND xã Số " + strconv.Itoa(i+1), "12"}})
	}
	lt := d.measure(long)
	need := lt.captionH + lt.hd.h
	for i := range startRows {
		need += d.laidRow(lt, i).h
	}
	if got := d.start(lt); got < need-0.001 {
		t.Errorf("a long table starts with %.1f mm free, want its header and %d rows: %.1f mm", got, startRows, need)
	}
	short := &table{Cols: long.Cols, Rows: long.Rows[:2]}
	lt = d.measure(short)
	whole := lt.captionH + lt.hd.h + lt.noteH + d.laidRow(lt, 0).h + d.laidRow(lt, 1).h
	if got := d.start(lt); got < whole-0.001 {
		t.Errorf("a two-row table starts with %.1f mm free, want all of it (%.1f mm)", got, whole)
	}
}
