package xlsxreport_test

import (
	"archive/zip"
	"context"
	"errors"
	"io"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"canbo/pipeline/reporttext"
	"canbo/pipeline/schema"
	"canbo/pipeline/summary"
	"canbo/pipeline/xlsxreport"
)

// written writes the report of s into a temporary folder and opens it again.
func written(t *testing.T, s *summary.Summary, cfg *schema.Config, txt *reporttext.Text) (*excelize.File, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "2023-09", "bao-cao-2023-09.xlsx")
	if err := xlsxreport.Write(context.Background(), path, s, cfg, txt); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f, path
}

func TestLabelsDefined(t *testing.T) {
	_, _, txt := fixture(t)
	if missing := txt.Missing(xlsxreport.LabelKeys()...); len(missing) > 0 {
		t.Errorf("labels without a text in templates/: %v", missing)
	}
}

func TestSheets(t *testing.T) {
	s, cfg, txt := fixture(t)
	f, _ := written(t, s, cfg, txt)
	// The official forms of config/forms.yaml come last.
	want := []string{"Tổng quan", "Chỉ tiêu", "Cơ cấu", "Tỉ lệ", "Đào tạo", "Chưa đạt chuẩn", "Lỗi dữ liệu", "BM01-BNV", "BM02-BNV"}
	if got := f.GetSheetList(); !slices.Equal(got, want) {
		t.Fatalf("sheets %q, want %q", got, want)
	}
	if f.GetActiveSheetIndex() != 0 {
		t.Errorf("the workbook opens on sheet %d, want the overview", f.GetActiveSheetIndex())
	}
}

// TestNoPlaceholders: a missing label shows as "[key]"; none may reach a reader.
func TestNoPlaceholders(t *testing.T) {
	s, cfg, txt := fixture(t)
	f, _ := written(t, s, cfg, txt)
	placeholder := regexp.MustCompile(`\[[a-z0-9_]+\]`)
	for _, sh := range f.GetSheetList() {
		rows, err := f.GetRows(sh)
		if err != nil {
			t.Fatal(err)
		}
		for r, row := range rows {
			for c, v := range row {
				if placeholder.MatchString(v) {
					t.Errorf("%s!%s: placeholder in %q", sh, ref(c+1, r+1), v)
				}
			}
		}
	}
}

func TestOverview(t *testing.T) {
	s, cfg, txt := fixture(t)
	// Long Hưng's file has no political theory or state management column: the files
	// list says so, the clerk's key to the body's "Một số tệp không có cột …".
	s.Files[0].Columns = []string{"don_vi", "ho_ten", "ngay_sinh", "gioi_tinh", "dan_toc", "chuc_vu", "dien_quan_ly",
		"trinh_do_chuyen_mon", "ly_luan_chinh_tri", "quan_ly_nha_nuoc", "dang_vien"}
	s.Files[1].Columns = []string{"don_vi", "ho_ten", "ngay_sinh", "gioi_tinh", "dan_toc", "chuc_vu", "dien_quan_ly",
		"trinh_do_chuyen_mon", "dang_vien"}
	f, _ := written(t, s, cfg, txt)
	sh := "Tổng quan"
	facts := map[string]string{} // label in column A → cell of its value
	rows, _ := f.GetRows(sh)
	for r, row := range rows {
		if len(row) > 1 && row[0] != "" {
			facts[row[0]] = ref(2, r+1)
		}
	}
	num := func(label string) int {
		t.Helper()
		cell, ok := facts[label]
		if !ok {
			t.Fatalf("no %q on the overview", label)
		}
		return intAt(t, f, sh, cell)
	}
	if got := num("Tổng số (người)"); got != s.Total.Headcount {
		t.Errorf("headcount %d, want %d", got, s.Total.Headcount)
	}
	if got := num("Tổng số lượt đào tạo, bồi dưỡng"); got != s.Training.Total {
		t.Errorf("training %d, want %d", got, s.Training.Total)
	}
	if got := num("Số đơn vị"); got != 3 {
		t.Errorf("units %d, want 3", got)
	}
	// llct_cao_cap has nobody it applies to: neither met nor missed.
	if v, _ := f.GetCellValue(sh, facts["Chỉ tiêu chung đã đạt"]); v != "1/2" {
		t.Errorf("overall targets met %q, want 1/2", v)
	}
	if v, _ := f.GetCellValue(sh, facts["Số liệu tính đến ngày"]); v != "30/09/2023" {
		t.Errorf("as-of date shows %q", v)
	}
	if v, _ := f.GetCellValue(sh, facts["Kỳ báo cáo"]); v != "09/2023" {
		t.Errorf("period shows %q", v)
	}
	all := strings.Join(flatten(rows), "\n")
	paras, err := txt.Narrative(s, cfg)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range paras {
		if !strings.Contains(all, p) {
			t.Errorf("narrative paragraph missing: %q", p)
		}
	}
	lacks := -1
	for r, row := range rows {
		if len(row) > 0 && row[0] == "Long Hưng.xlsx" {
			lacks = r
		}
	}
	if lacks < 0 || !slices.Contains(rows[lacks], "Lý luận chính trị, Quản lý nhà nước") {
		t.Errorf("the files list does not say Long Hưng's file lacks two columns: %q", rows[max(lacks, 0)])
	}
	if !strings.Contains(all, "Một số tệp không có cột") {
		t.Errorf("the overview's narrative does not say some files lack columns")
	}
	// The files table: every file with its status in words.
	for _, want := range []string{"Mỹ Hương (cũ).xlsx", "Đã thay bằng tệp mới hơn", "bao cao.docx", "Không dùng được", "Không phải tệp Excel."} {
		if !strings.Contains(all, want) {
			t.Errorf("overview lacks %q", want)
		}
	}
}

func TestTargets(t *testing.T) {
	s, cfg, txt := fixture(t)
	f, path := written(t, s, cfg, txt)
	sh := "Chỉ tiêu"
	rows, _ := f.GetRows(sh)
	head := findRow(t, rows, "Chỉ tiêu đề ra")
	col := columns(rows[head])
	status := map[string]string{}
	var order []string
	for r := head + 1; r < len(rows); r++ {
		row := rows[r]
		if len(row) <= col["Kết quả"] || row[col["Chỉ tiêu"]] == "" {
			continue
		}
		key := row[col["Chỉ tiêu"]] + " / " + row[col["Đơn vị"]]
		order = append(order, row[col["Đơn vị"]])
		status[key] = row[col["Kết quả"]]
		if row[col["Kết quả"]] != "Không có đối tượng" {
			cell := ref(col["Tỉ lệ"]+1, r+1)
			assertShare(t, f, sh, cell)
		}
	}
	for key, want := range map[string]string{
		"Cán bộ thuộc diện BCH tỉnh có trình độ sau đại học / Toàn bộ": "Đạt", // 35/50 at 70%: exactly met
		"Nữ trong lãnh đạo, quản lý / Toàn bộ":                         "Chưa đạt",
		"Lãnh đạo cấp phòng có LLCT cao cấp / Toàn bộ":                 "Không có đối tượng",
		"Nữ trong lãnh đạo, quản lý / UBND xã Mỹ Hương":                "Đạt",
		"Nữ trong lãnh đạo, quản lý / UBND xã Long Hưng":               "Chưa đạt",
	} {
		if status[key] != want {
			t.Errorf("%s: status %q, want %q", key, status[key], want)
		}
	}
	if !slices.Equal(order, []string{"Toàn bộ", "Toàn bộ", "Toàn bộ", "UBND xã Mỹ Hương", "UBND xã Long Hưng"}) {
		t.Errorf("rows in order %q, want the overall targets first", order)
	}
	// The shortfall of the unmet overall target is a number: 10 of 40 needed, 8 reached.
	r := head + 2
	if got := intAt(t, f, sh, ref(col["Còn thiếu (người)"]+1, r+1)); got != 2 {
		t.Errorf("shortfall %d, want 2", got)
	}
	if v, _ := f.GetCellValue(sh, ref(col["Thời hạn"]+1, r+1)); v != "31/12/2025" {
		t.Errorf("deadline shows %q, want 31/12/2025", v)
	}

	cf, err := f.GetConditionalFormats(sh)
	if err != nil {
		t.Fatal(err)
	}
	var rules []string
	for _, opts := range cf {
		for _, o := range opts {
			rules = append(rules, o.Criteria)
		}
	}
	all := strings.Join(rules, " ")
	if !strings.Contains(all, `="Đạt"`) || !strings.Contains(all, `="Chưa đạt"`) {
		t.Errorf("no colour rules for met and not met: %q", rules)
	}

	chart := zipPart(t, path, "xl/charts/chart1.xml")
	for _, want := range []string{`<barDir val="bar">`, "Tỉ lệ đạt được so với chỉ tiêu đề ra", "$B$5:$B$7", "$F$5:$F$7", "$G$5:$G$7"} {
		if !strings.Contains(chart, want) {
			t.Errorf("chart lacks %q", want)
		}
	}
}

func TestStructure(t *testing.T) {
	s, cfg, txt := fixture(t)
	// Group rows show report.yaml's names, not the folders (here "Huyện Mỹ Tú").
	shown := map[string]string{"Huyện Châu Thành": "UBND huyện Châu Thành", "Huyện Mỹ Tú": "UBND huyện Mỹ Tú"}
	cfg.Report.Groups = shown
	f, _ := written(t, s, cfg, txt)
	for _, tc := range []struct {
		sheet  string
		shares bool
	}{{"Cơ cấu", false}, {"Tỉ lệ", true}} {
		t.Run(tc.sheet, func(t *testing.T) {
			sh := tc.sheet
			rows, _ := f.GetRows(sh)
			head := findRow(t, rows, "Tên đơn vị") // the top header row; categories below
			spans := dimensionSpans(t, f, sh, head+1)
			if len(spans) != len(cfg.Report.Breakdowns) {
				t.Fatalf("%d dimension headers, want %d", len(spans), len(cfg.Report.Breakdowns))
			}
			for i, dim := range cfg.Report.Breakdowns {
				fld := cfg.Field(dim)
				if spans[i].label != fld.Label {
					t.Errorf("dimension %d is %q, want %q", i, spans[i].label, fld.Label)
				}
				codes := cfg.Codes(fld)
				if got := spans[i].to - spans[i].from + 1; got != len(codes) {
					t.Errorf("%s: %d columns, want %d", dim, got, len(codes))
				}
				last, _ := f.GetCellValue(sh, ref(spans[i].to, head+2))
				if last != "Chưa xác định" {
					t.Errorf("%s: last category %q, want Chưa xác định", dim, last)
				}
			}
			want := map[string]summary.Unit{"Tổng cộng": s.Total}
			for _, u := range s.Units {
				want[u.Unit] = u
			}
			for _, g := range s.Groups {
				want[shown[g.Group]] = g
			}
			seen := 0
			for r := head + 2; r < len(rows); r++ {
				name := cellAt(rows, r, 1)
				u, ok := want[name]
				if !ok {
					continue
				}
				seen++
				total := intAt(t, f, sh, ref(3, r+1))
				if total != u.Headcount {
					t.Errorf("%s: Tổng số %d, want %d", name, total, u.Headcount)
				}
				for i, sp := range spans {
					dim := cfg.Report.Breakdowns[i]
					codes := cfg.Codes(cfg.Field(dim))
					sumCounts, sumShares := 0, 0.0
					for c := sp.from; c <= sp.to; c++ {
						code := codes[c-sp.from].Code
						if tc.shares {
							v := assertShare(t, f, sh, ref(c, r+1))
							if w := summary.Share(u.Breakdowns[dim][code], u.Headcount); math.Abs(v-w) > 1e-9 {
								t.Errorf("%s %s/%s: share %v, want %v", name, dim, code, v, w)
							}
							sumShares += v
						} else {
							n := intAt(t, f, sh, ref(c, r+1))
							if n != u.Breakdowns[dim][code] {
								t.Errorf("%s %s/%s: %d, want %d", name, dim, code, n, u.Breakdowns[dim][code])
							}
							sumCounts += n
						}
					}
					if !tc.shares && sumCounts != total {
						t.Errorf("%s: %s adds up to %d, Tổng số is %d", name, dim, sumCounts, total)
					}
					if tc.shares && math.Abs(sumShares-1) > 0.0001*float64(len(codes)) {
						t.Errorf("%s: %s shares add up to %v", name, dim, sumShares)
					}
				}
			}
			if seen != len(want) {
				t.Errorf("found %d of %d unit, group and total rows", seen, len(want))
			}
			// Groups come in the summary's order, each above its units.
			var names []string
			for r := head + 2; r < len(rows); r++ {
				names = append(names, cellAt(rows, r, 1))
			}
			wantNames := []string{"UBND huyện Châu Thành", "UBND xã An Hiệp", "UBND huyện Mỹ Tú", "UBND xã Mỹ Hương", "UBND xã Long Hưng", "Tổng cộng"}
			if !slices.Equal(names, wantNames) {
				t.Errorf("rows %q, want %q", names, wantNames)
			}
			if v := cellAt(rows, head+2, 0); v != "I" {
				t.Errorf("first group numbered %q, want I", v)
			}
		})
	}
}

func TestTraining(t *testing.T) {
	s, cfg, txt := fixture(t)
	f, _ := written(t, s, cfg, txt)
	sh := "Đào tạo"
	rows, _ := f.GetRows(sh)
	all := strings.Join(flatten(rows), "\n")
	if !strings.Contains(all, "lượt người") {
		t.Error("the training sheet does not say its figures are lượt người")
	}
	head := findRow(t, rows, "Tổng số (lượt người)")
	spans := dimensionSpans(t, f, sh, head+1)
	if len(spans) != 2 || spans[0].label != "Loại đào tạo, bồi dưỡng" && spans[0].label != cfg.Field("loai_dao_tao").Label {
		t.Fatalf("training dimensions %+v", spans)
	}
	totals := map[string]int{"UBND xã Long Hưng": 7, "UBND xã Mỹ Hương": 5, "Tổng cộng": 12}
	for r := head + 2; r < len(rows); r++ {
		name := cellAt(rows, r, 1)
		want, ok := totals[name]
		if !ok {
			t.Errorf("unexpected row %q", name)
			continue
		}
		delete(totals, name)
		total := intAt(t, f, sh, ref(3, r+1))
		if total != want {
			t.Errorf("%s: %d attendances, want %d", name, total, want)
		}
		for _, sp := range spans {
			n := 0
			for c := sp.from; c <= sp.to; c++ {
				n += intAt(t, f, sh, ref(c, r+1))
			}
			if n != total {
				t.Errorf("%s: %s adds up to %d, total %d", name, sp.label, n, total)
			}
		}
	}
	if len(totals) > 0 {
		t.Errorf("rows missing: %v", totals)
	}
}

func TestBelowStandard(t *testing.T) {
	s, cfg, txt := fixture(t)
	f, _ := written(t, s, cfg, txt)
	sh := "Chưa đạt chuẩn"
	rows, _ := f.GetRows(sh)
	head := findRow(t, rows, "Họ và tên")
	col := columns(rows[head])
	body := rows[head+1:]
	if len(body) != 2 {
		t.Fatalf("%d rows, want 2", len(body))
	}
	first := body[0]
	for name, want := range map[string]string{
		"Họ và tên":  "Nguyễn Thị Lan",
		"Ngày sinh":  "15/03/1990",
		"Tiêu chuẩn": "Tiêu chuẩn công chức cấp xã",
		"Còn thiếu":  "Trình độ chuyên môn: có Cao đẳng, cần Đại học",
		"Tệp":        "Mỹ Hương.xlsx",
		"Dòng":       "12",
	} {
		if got := first[col[name]]; got != want {
			t.Errorf("%s: %q, want %q", name, got, want)
		}
	}
	if got := body[1][col["Còn thiếu"]]; got != "Trình độ chuyên môn: có Trung cấp, cần Đại học; Lý luận chính trị: chưa có thông tin, cần Trung cấp" {
		t.Errorf("second person lacks %q", got)
	}
	if v, _ := f.GetCellValue(sh, ref(col["Ngày sinh"]+1, head+2), excelize.Options{RawCellValue: true}); v == "15/03/1990" {
		t.Error("birth date stored as text; want a date, so that the list sorts by it")
	}
}

// kindWithCode is how the problems sheet names a kind of problem: its short name
// and code, or the code alone for a code with no name (the fixture's made-up ones).
func kindWithCode(code string) string {
	if code == "unknown-value" {
		return "giá trị không có trong danh mục (unknown-value)"
	}
	return code
}

// TestProblems: every problem's cells, the kind of problem in words with its code.
func TestProblems(t *testing.T) {
	s, cfg, txt := fixture(t)
	f, _ := written(t, s, cfg, txt)
	sh := "Lỗi dữ liệu"
	rows, _ := f.GetRows(sh)
	head := findRow(t, rows, "Cần sửa")
	col := columns(rows[head])
	body := rows[head+1:]
	if len(body) != len(s.Problems) {
		t.Fatalf("%d rows, want %d", len(body), len(s.Problems))
	}
	for i, p := range s.Problems {
		row := body[i]
		for name, want := range map[string]string{
			"Tệp": p.File, "Trang tính": p.Sheet, "Ô": p.Cell, "Trường": cfg.Field(p.Field).Label,
			"Giá trị đang ghi": p.Raw, "Mức độ": map[string]string{"error": "Lỗi", "warning": "Cảnh báo"}[p.Severity],
			"Cần sửa": p.Message, "Loại lỗi (mã)": kindWithCode(p.Code), "Số lỗi": "1",
		} {
			if got := cellAt([][]string{row}, 0, col[name]); got != want {
				t.Errorf("problem %d %s: %q, want %q", i+1, name, got, want)
			}
		}
	}
}

// TestPrintAndView checks what every table sheet shares: A4 landscape one page wide,
// page numbers, header rows repeated on each page, frozen and filtered (but the forms).
func TestPrintAndView(t *testing.T) {
	s, cfg, txt := fixture(t)
	f, _ := written(t, s, cfg, txt)
	titles, filters := map[string]string{}, map[string]bool{}
	for _, dn := range f.GetDefinedName() {
		switch dn.Name {
		case "_xlnm.Print_Titles":
			titles[dn.Scope] = dn.RefersTo
		case "_xlnm._FilterDatabase":
			filters[dn.Scope] = true
		}
	}
	for _, sh := range f.GetSheetList() {
		pl, err := f.GetPageLayout(sh)
		if err != nil {
			t.Fatal(err)
		}
		// The structure matrices print over pages across at a readable size
		// (TestWideSheetsPrintAcross); every other sheet one page wide.
		wantAcross := 1
		if sh == "Cơ cấu" || sh == "Tỉ lệ" {
			wantAcross = *pl.FitToWidth
		}
		if *pl.Orientation != "landscape" || *pl.Size != 9 || pl.FitToWidth == nil || *pl.FitToWidth != wantAcross ||
			pl.FitToHeight == nil || *pl.FitToHeight != 0 {
			t.Errorf("%s: page layout %v %v %v %v", sh, *pl.Orientation, *pl.Size, pl.FitToWidth, pl.FitToHeight)
		}
		if props, _ := f.GetSheetProps(sh); props.FitToPage == nil || !*props.FitToPage {
			t.Errorf("%s: not fitted to the page", sh)
		}
		if hf, _ := f.GetHeaderFooter(sh); hf == nil || !strings.Contains(hf.OddFooter, "Trang &P/&N") {
			t.Errorf("%s: footer %+v", sh, hf)
		}
		// The official forms are sent as they are: no filter buttons (TestFormSheetsOfSamples).
		if isForm := strings.HasPrefix(sh, "BM0"); !filters[sh] && !isForm {
			t.Errorf("%s: no autofilter", sh)
		}
		if sh == "Tổng quan" {
			continue // its table starts below the narrative: nothing to freeze or repeat
		}
		if !regexp.MustCompile(`^('` + regexp.QuoteMeta(sh) + `'!\$A:\$[A-Z]+,)?'` + regexp.QuoteMeta(sh) + `'!\$\d+:\$\d+$`).MatchString(titles[sh]) {
			t.Errorf("%s: print titles %q", sh, titles[sh])
		}
		panes, _ := f.GetPanes(sh)
		if !panes.Freeze || panes.YSplit < 4 {
			t.Errorf("%s: panes %+v, want the header frozen", sh, panes)
		}
	}
	if !strings.HasSuffix(titles["Cơ cấu"], "'Cơ cấu'!$4:$5") {
		t.Errorf("structure print titles %q, want both header rows", titles["Cơ cấu"])
	}
}

// TestWideSheetsPrintAcross: the structure sheet (some fifty columns of counts) is
// printed over as many A4 landscape pages across as keep it readable, each repeating
// STT, the unit's name and its total; a narrow sheet stays one page wide.
func TestWideSheetsPrintAcross(t *testing.T) {
	const pageWidth = 190 // character widths per page, as the package prints
	s, cfg, txt := fixture(t)
	f, _ := written(t, s, cfg, txt)
	titles := map[string]string{}
	for _, dn := range f.GetDefinedName() {
		if dn.Name == "_xlnm.Print_Titles" {
			titles[dn.Scope] = dn.RefersTo
		}
	}
	width := func(sh string) float64 {
		cols, _ := f.GetCols(sh)
		var w float64
		for i := range cols {
			name, _ := excelize.ColumnNumberToName(i + 1)
			cw, _ := f.GetColWidth(sh, name)
			w += cw
		}
		return w
	}
	pl, err := f.GetPageLayout("Cơ cấu")
	if err != nil {
		t.Fatal(err)
	}
	w := width("Cơ cấu")
	if want := int(math.Ceil(w / pageWidth)); w <= pageWidth || *pl.FitToWidth != want {
		t.Errorf("Cơ cấu: %.0f characters wide prints %d pages across, want %d (more than one)", w, *pl.FitToWidth, int(math.Ceil(w/pageWidth)))
	}
	if !strings.HasPrefix(titles["Cơ cấu"], "'Cơ cấu'!$A:$C,") {
		t.Errorf("Cơ cấu: print titles %q, want columns A:C repeated on each page", titles["Cơ cấu"])
	}
	if pl, _ := f.GetPageLayout("Chỉ tiêu"); *pl.FitToWidth != 1 {
		t.Errorf("Chỉ tiêu: %d pages across, want 1", *pl.FitToWidth)
	}
}

// TestNumberFormats: counts are numbers shown as #,##0, shares as 0.00%.
func TestNumberFormats(t *testing.T) {
	s, cfg, txt := fixture(t)
	f, _ := written(t, s, cfg, txt)
	rows, _ := f.GetRows("Cơ cấu")
	r := findRow(t, rows, "Tổng cộng")
	if got := numFmt(t, f, "Cơ cấu", ref(3, r+1)); got != 3 {
		t.Errorf("count format %d, want 3 (#,##0)", got)
	}
	if got := numFmt(t, f, "Tỉ lệ", ref(4, r+1)); got != 10 {
		t.Errorf("share format %d, want 10 (0.00%%)", got)
	}
}

func TestEmptySummary(t *testing.T) {
	_, cfg, txt := fixture(t)
	s := &summary.Summary{Period: "2023-09", AsOf: "2023-09-30"}
	f, path := written(t, s, cfg, txt)
	if len(f.GetSheetList()) != 9 { // 7 and the two forms
		t.Errorf("sheets %q", f.GetSheetList())
	}
	rows, _ := f.GetRows("Chỉ tiêu")
	findRow(t, rows, "Chưa có chỉ tiêu nào áp dụng cho kỳ báo cáo này (config/targets.yaml).")
	rows, _ = f.GetRows("Lỗi dữ liệu")
	findRow(t, rows, "Không có.")
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	for _, zf := range zr.File {
		if strings.HasPrefix(zf.Name, "xl/charts/") {
			t.Errorf("a chart without targets: %s", zf.Name)
		}
	}
}

// TestTopFolderGroup: files at the top of the input folder form a group with no name.
func TestTopFolderGroup(t *testing.T) {
	s, cfg, txt := fixture(t)
	for i := range s.Units {
		if s.Units[i].Group == "Huyện Châu Thành" {
			s.Units[i].Group = ""
		}
	}
	s.Groups[0].Group = ""
	f, _ := written(t, s, cfg, txt)
	rows, _ := f.GetRows("Cơ cấu")
	r := findRow(t, rows, "(Các tệp ở thư mục chính)")
	if got := cellAt(rows, r+1, 1); got != "UBND xã An Hiệp" {
		t.Errorf("unit under the top folder's row: %q", got)
	}
}

func TestCancelled(t *testing.T) {
	s, cfg, txt := fixture(t)
	s = manyProblems(s, 20000)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	path := filepath.Join(t.TempDir(), "bao-cao.xlsx")
	if err := xlsxreport.Write(ctx, path, s, cfg, txt); !errors.Is(err, context.Canceled) {
		t.Errorf("err %v, want context.Canceled", err)
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Errorf("a cancelled report left a file: %v", err)
	}
}

func TestManyProblems(t *testing.T) {
	if testing.Short() {
		t.Skip("writes 100.000 rows")
	}
	s, cfg, txt := fixture(t)
	s = manyProblems(s, 100000)
	f, _ := written(t, s, cfg, txt)
	rows, err := f.Rows("Lỗi dữ liệu")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for rows.Next() {
		n++
	}
	if n != 100000+4 { // title, subtitle, blank, header
		t.Errorf("%d rows, want %d", n, 100000+4)
	}
}

func BenchmarkProblems100k(b *testing.B) {
	s, cfg, txt := fixture(b)
	s = manyProblems(s, 100000)
	b.ReportAllocs()
	for b.Loop() {
		if err := xlsxreport.Render(context.Background(), io.Discard, s, cfg, txt); err != nil {
			b.Fatal(err)
		}
	}
}

// Helpers.

func ref(col, row int) string {
	c, err := excelize.CoordinatesToCellName(col, row)
	if err != nil {
		panic(err)
	}
	return c
}

func cellAt(rows [][]string, r, c int) string {
	if r < len(rows) && c < len(rows[r]) {
		return rows[r][c]
	}
	return ""
}

func flatten(rows [][]string) []string {
	var out []string
	for _, r := range rows {
		out = append(out, r...)
	}
	return out
}

// findRow is the index of the first row holding text.
func findRow(t *testing.T, rows [][]string, text string) int {
	t.Helper()
	for r, row := range rows {
		if slices.Contains(row, text) {
			return r
		}
	}
	t.Fatalf("no row holds %q", text)
	return -1
}

// columns maps a header row's texts to column indexes.
func columns(row []string) map[string]int {
	m := map[string]int{}
	for i, v := range row {
		m[v] = i
	}
	return m
}

// intAt reads a count, which must be stored as a number.
func intAt(t *testing.T, f *excelize.File, sheet, cell string) int {
	t.Helper()
	typ, err := f.GetCellType(sheet, cell)
	if err != nil {
		t.Fatal(err)
	}
	if typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset {
		t.Errorf("%s!%s is not a number (type %v)", sheet, cell, typ)
	}
	v, _ := f.GetCellValue(sheet, cell, excelize.Options{RawCellValue: true})
	n, err := strconv.Atoi(v)
	if err != nil {
		t.Errorf("%s!%s = %q, want a whole number", sheet, cell, v)
	}
	return n
}

// assertShare reads a share, which must be a number formatted 0.00%.
func assertShare(t *testing.T, f *excelize.File, sheet, cell string) float64 {
	t.Helper()
	v, _ := f.GetCellValue(sheet, cell, excelize.Options{RawCellValue: true})
	x, err := strconv.ParseFloat(v, 64)
	if err != nil || x < 0 || x > 1 {
		t.Errorf("%s!%s = %q, want a fraction", sheet, cell, v)
	}
	if got := numFmt(t, f, sheet, cell); got != 10 {
		t.Errorf("%s!%s has number format %d, want 10 (0.00%%)", sheet, cell, got)
	}
	return x
}

func numFmt(t *testing.T, f *excelize.File, sheet, cell string) int {
	t.Helper()
	id, err := f.GetCellStyle(sheet, cell)
	if err != nil {
		t.Fatal(err)
	}
	st, err := f.GetStyle(id)
	if err != nil {
		t.Fatal(err)
	}
	return st.NumFmt
}

type span struct {
	label    string
	from, to int // 1-based columns
}

// dimensionSpans reads the merged dimension headers of a header row (1-based).
func dimensionSpans(t *testing.T, f *excelize.File, sheet string, row int) []span {
	t.Helper()
	merged, err := f.GetMergeCells(sheet)
	if err != nil {
		t.Fatal(err)
	}
	var out []span
	for _, m := range merged {
		c1, r1, _ := excelize.CellNameToCoordinates(m.GetStartAxis())
		c2, r2, _ := excelize.CellNameToCoordinates(m.GetEndAxis())
		if r1 == row && r2 == row {
			out = append(out, span{m.GetCellValue(), c1, c2})
		}
	}
	slices.SortFunc(out, func(a, b span) int { return a.from - b.from })
	return out
}

func zipPart(t *testing.T, path, name string) string {
	t.Helper()
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	for _, zf := range zr.File {
		if zf.Name == name {
			rc, err := zf.Open()
			if err != nil {
				t.Fatal(err)
			}
			defer rc.Close()
			data, err := io.ReadAll(rc)
			if err != nil {
				t.Fatal(err)
			}
			return string(data)
		}
	}
	t.Fatalf("%s has no %s", path, name)
	return ""
}
