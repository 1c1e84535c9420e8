package xlsxreport_test

import (
	"archive/zip"
	"html"
	"math"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"canbo/pipeline/summary"
)

// withHistory gives the fixture a previous period (08/2023) and a three-month trend
// (07–09/2023) for its overall targets, as report.Run fills them from the history:
//
//	sdh_bch_tinh  33/50 = 66,00% → 35/50 = 70,00% (+4,00): newly met (70%)
//	nu_lanh_dao   9/40 = 22,50% → 8/40 = 20,00% (-2,50): not met (25%)
//	llct_cao_cap  nobody in either period: nothing to compare, no trend
//	Mỹ Hương      2/6 = 33,33% → 2/5 = 40,00% (+6,67): met in both
//	Long Hưng     did not report last time: new
//
// and one unit target gone since, which no table shows.
func withHistory(s *summary.Summary) *summary.Summary {
	c := *s
	c.Targets = slices.Clone(s.Targets)
	tc := func(t summary.Target, prevCount, prevPop int, prevMet bool) summary.TargetChange {
		out := summary.TargetChange{ID: t.ID, Title: t.Title, Unit: t.Unit, Share: t.Share, Count: t.Count,
			Population: t.Population, Shortfall: t.Shortfall, Met: t.Met,
			PreviousShare: summary.Share(prevCount, prevPop), PreviousCount: prevCount, PreviousPopulation: prevPop, PreviousMet: prevMet}
		if prevPop > 0 && t.Population > 0 {
			out.ShareChangePP = math.Round((out.Share-out.PreviousShare)*10000) / 100
		}
		switch {
		case t.Met && !prevMet:
			out.MetChange = summary.NowMet
		case !t.Met && prevMet:
			out.MetChange = summary.NoLongerMet
		}
		return out
	}
	ts := c.Targets
	newUnit := summary.TargetChange{ID: ts[4].ID, Title: ts[4].Title, Unit: ts[4].Unit, Status: summary.ChangeNew,
		Share: ts[4].Share, Count: ts[4].Count, Population: ts[4].Population, Shortfall: ts[4].Shortfall}
	c.Previous = &summary.Changes{
		Period: "2023-08", AsOf: "2023-08-31",
		Total: summary.UnitChange{Headcount: s.Total.Headcount, PreviousHeadcount: s.Total.Headcount - 4, HeadcountChange: 4},
		Targets: []summary.TargetChange{
			tc(ts[0], 33, 50, false),
			tc(ts[1], 9, 40, false),
			tc(ts[2], 0, 0, false),
			tc(ts[3], 2, 6, true),
			newUnit,
			{ID: "nu_lanh_dao", Title: ts[1].Title, Unit: "UBND xã Cũ", Status: summary.ChangeGone, PreviousShare: 0.5, PreviousPopulation: 4, PreviousCount: 2},
		},
	}
	point := func(period string, count, pop int, threshold float64) summary.Point {
		sh := summary.Share(count, pop)
		return summary.Point{Period: period, Share: sh, Count: count, Population: pop, Threshold: threshold, Met: pop > 0 && sh >= threshold}
	}
	c.Targets[0].Trend = []summary.Point{point("2023-07", 31, 50, 0.7), point("2023-08", 33, 50, 0.7), point("2023-09", 35, 50, 0.7)}
	c.Targets[1].Trend = []summary.Point{point("2023-07", 8, 40, 0.2), point("2023-08", 9, 40, 0.25), point("2023-09", 8, 40, 0.25)}
	c.Targets[3].Trend = []summary.Point{point("2023-08", 2, 6, 0.25), point("2023-09", 2, 5, 0.25)}
	return &c
}

// TestHistory: with a previous period and trends, the overview says the change of
// the headcount, the targets sheet has the previous share, the change (a number shown
// +4,00) and the change of status, and a trend sheet has the shares per period and a
// line chart.
func TestHistory(t *testing.T) {
	s, cfg, txt := fixture(t)
	s = withHistory(s)
	f, path := written(t, s, cfg, txt)
	want := []string{"Tổng quan", "Chỉ tiêu", "Xu hướng", "Cơ cấu", "Tỉ lệ", "Đào tạo", "Chưa đạt chuẩn", "Lỗi dữ liệu", "BM01-BNV", "BM02-BNV"}
	if got := f.GetSheetList(); !slices.Equal(got, want) {
		t.Fatalf("sheets %q, want %q", got, want)
	}

	t.Run("overview", func(t *testing.T) {
		rows, _ := f.GetRows("Tổng quan")
		r := findRow(t, rows, "So với kỳ trước (08/2023)")
		if got, want := cellAt(rows, r, 1), "55 → 59 người (+4)"; got != want {
			t.Errorf("change of the headcount %q, want %q", got, want)
		}
	})

	t.Run("targets", func(t *testing.T) {
		sh := "Chỉ tiêu"
		rows, _ := f.GetRows(sh)
		head := findRow(t, rows, "Chỉ tiêu đề ra")
		col := columns(rows[head])
		for _, h := range []string{"Kỳ trước", "Thay đổi (điểm %)", "So với kỳ trước"} {
			if _, ok := col[h]; !ok {
				t.Fatalf("no column %q in %q", h, rows[head])
			}
		}
		if !(col["Tỉ lệ"] < col["Kỳ trước"] && col["Kỳ trước"] < col["Thay đổi (điểm %)"] && col["Thay đổi (điểm %)"] < col["Chỉ tiêu đề ra"]) {
			t.Errorf("columns in the order %q, want the previous share and the change after the share", rows[head])
		}
		type want struct {
			prev   float64 // -1: blank
			change float64 // NaN: blank
			shows  string  // the change as Excel shows it
			note   string
		}
		nan := math.NaN()
		wants := map[string]want{
			"Cán bộ thuộc diện BCH tỉnh có trình độ sau đại học / Toàn bộ": {0.66, 4, "+4.00", "Mới đạt"},
			"Nữ trong lãnh đạo, quản lý / Toàn bộ":                         {0.225, -2.5, "-2.50", ""},
			"Lãnh đạo cấp phòng có LLCT cao cấp / Toàn bộ":                 {-1, nan, "", ""},
			"Nữ trong lãnh đạo, quản lý / UBND xã Mỹ Hương":                {0.3333, 6.67, "+6.67", ""},
			"Nữ trong lãnh đạo, quản lý / UBND xã Long Hưng":               {-1, nan, "", "Chưa có ở kỳ trước"},
		}
		seen := 0
		for r := head + 1; r < len(rows); r++ {
			key := cellAt(rows, r, col["Chỉ tiêu"]) + " / " + cellAt(rows, r, col["Đơn vị"])
			w, ok := wants[key]
			if !ok {
				continue
			}
			seen++
			prevCell, changeCell := ref(col["Kỳ trước"]+1, r+1), ref(col["Thay đổi (điểm %)"]+1, r+1)
			if w.prev < 0 {
				if v := cellAt(rows, r, col["Kỳ trước"]); v != "" {
					t.Errorf("%s: previous share %q, want blank", key, v)
				}
			} else if got := assertShare(t, f, sh, prevCell); math.Abs(got-w.prev) > 1e-9 {
				t.Errorf("%s: previous share %v, want %v", key, got, w.prev)
			}
			if math.IsNaN(w.change) {
				if v := cellAt(rows, r, col["Thay đổi (điểm %)"]); v != "" {
					t.Errorf("%s: change %q, want blank", key, v)
				}
			} else {
				if typ, _ := f.GetCellType(sh, changeCell); typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset {
					t.Errorf("%s: the change is not a number (type %v)", key, typ)
				}
				raw, _ := f.GetCellValue(sh, changeCell, excelize.Options{RawCellValue: true})
				if got, err := strconv.ParseFloat(raw, 64); err != nil || math.Abs(got-w.change) > 1e-9 {
					t.Errorf("%s: change %q, want %v", key, raw, w.change)
				}
				if got := cellAt(rows, r, col["Thay đổi (điểm %)"]); got != w.shows {
					t.Errorf("%s: change shows %q, want %q", key, got, w.shows)
				}
				if got := customNumFmt(t, f, sh, changeCell); got != "+0.00;-0.00;0.00" {
					t.Errorf("%s: change format %q", key, got)
				}
			}
			if got := cellAt(rows, r, col["So với kỳ trước"]); got != w.note {
				t.Errorf("%s: status change %q, want %q", key, got, w.note)
			}
		}
		if seen != len(wants) {
			t.Errorf("found %d of %d target rows", seen, len(wants))
		}
		// The bar chart still plots the share against the threshold, in their new columns.
		bar := zipPart(t, path, "xl/charts/chart1.xml")
		for _, want := range []string{`<barDir val="bar">`, "$F$5:$F$7", "$I$5:$I$7"} {
			if !strings.Contains(bar, want) {
				t.Errorf("bar chart lacks %q", want)
			}
		}
	})

	t.Run("trend", func(t *testing.T) {
		sh := "Xu hướng"
		rows, _ := f.GetRows(sh)
		all := strings.Join(flatten(rows), "\n")
		if !strings.Contains(all, "XU HƯỚNG THỰC HIỆN CHỈ TIÊU") {
			t.Error("no title")
		}
		head := findRow(t, rows, "07/2023")
		if got := rows[head]; !slices.Equal(got, []string{"STT", "Chỉ tiêu", "07/2023", "08/2023", "09/2023"}) {
			t.Fatalf("header %q, want one column per period, oldest first", got)
		}
		titles := []string{"Cán bộ thuộc diện BCH tỉnh có trình độ sau đại học", "Nữ trong lãnh đạo, quản lý", "Lãnh đạo cấp phòng có LLCT cao cấp"}
		shares := [][]float64{{0.62, 0.66, 0.7}, {0.2, 0.225, 0.2}, nil}
		for i, title := range titles {
			r := head + 1 + i
			if got := cellAt(rows, r, 1); got != title {
				t.Fatalf("row %d is %q, want %q (one row per overall target, in order)", r+1, got, title)
			}
			for p := range 3 {
				c := ref(3+p, r+1)
				if shares[i] == nil {
					if v := cellAt(rows, r, 2+p); v != "" {
						t.Errorf("%s %s: %q, want blank (nobody the target applies to)", title, c, v)
					}
					continue
				}
				if got := assertShare(t, f, sh, c); math.Abs(got-shares[i][p]) > 1e-9 {
					t.Errorf("%s %s: %v, want %v", title, c, got, shares[i][p])
				}
			}
		}
		if got := cellAt(rows, head+4, 1); got != "" {
			t.Errorf("a unit's target on the trend sheet: %q", got)
		}
		thr := findRow(t, rows, "Mức đề ra của chỉ tiêu 2")
		if got := assertShare(t, f, sh, ref(3, thr+1)); got != 0.2 {
			t.Errorf("threshold of target 2 in 07/2023: %v, want 0.2 (the threshold then)", got)
		}
		chart := html.UnescapeString(zipPart(t, path, "xl/charts/chart2.xml"))
		for _, want := range []string{"<lineChart>", "Xu hướng tỉ lệ thực hiện chỉ tiêu qua các kỳ",
			"'Xu hướng'!$C$4:$E$4", "'Xu hướng'!$C$5:$E$5", "'Xu hướng'!$C$6:$E$6", `<a:prstDash val="dash">`,
			"'Xu hướng'!$B$" + strconv.Itoa(thr+1)} {
			if !strings.Contains(chart, want) {
				t.Errorf("trend chart lacks %q", want)
			}
		}
		if strings.Contains(chart, "$C$7:$E$7") {
			t.Error("the chart draws the target nobody it applies to")
		}
		if n := strings.Count(chart, "<ser>"); n != 4 {
			t.Errorf("%d series, want 4 (two targets, each with its threshold)", n)
		}
	})
}

// TestNoHistory: a first month (no previous period, no trend) has none of it.
func TestNoHistory(t *testing.T) {
	s, cfg, txt := fixture(t)
	// A trend of one period is no trend.
	s.Targets[0].Trend = []summary.Point{{Period: "2023-09", Share: s.Targets[0].Share, Population: 50, Threshold: 0.7}}
	f, path := written(t, s, cfg, txt)
	if slices.Contains(f.GetSheetList(), "Xu hướng") {
		t.Error("a trend sheet without a trend")
	}
	for _, sh := range f.GetSheetList() {
		rows, _ := f.GetRows(sh)
		all := strings.Join(flatten(rows), "\n")
		for _, no := range []string{"So với kỳ trước", "Kỳ trước", "Thay đổi (điểm %)", "Mới đạt", "Không còn đạt"} {
			if strings.Contains(all, no) {
				t.Errorf("%s shows %q without a previous period", sh, no)
			}
		}
	}
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	for _, zf := range zr.File {
		if strings.HasPrefix(zf.Name, "xl/charts/chart") && zf.Name != "xl/charts/chart1.xml" {
			t.Errorf("a second chart: %s", zf.Name)
		}
	}
}

func customNumFmt(t *testing.T, f *excelize.File, sheet, cell string) string {
	t.Helper()
	id, err := f.GetCellStyle(sheet, cell)
	if err != nil {
		t.Fatal(err)
	}
	st, err := f.GetStyle(id)
	if err != nil {
		t.Fatal(err)
	}
	if st.CustomNumFmt == nil {
		return ""
	}
	return *st.CustomNumFmt
}
