package xlsxreport_test

import (
	"fmt"
	"testing"

	"canbo/pipeline/internal/sheettest"
	"canbo/pipeline/reporttext"
	"canbo/pipeline/schema"
	"canbo/pipeline/summary"
	"canbo/templates"
)

// fixture is a summary like one month of a district's submissions: three communes in
// two sub-folders, every breakdown adding up to the headcount (some people under
// Chưa xác định), targets met, not met and met exactly at the threshold (35/50 of
// 70%), training attendances, two people below a standard and some data problems.
func fixture(t testing.TB) (*summary.Summary, *schema.Config, *reporttext.Text) {
	t.Helper()
	cfg := sheettest.Config(t)
	txt, err := reporttext.Load(templates.FS)
	if err != nil {
		t.Fatal(err)
	}
	units := []summary.Unit{
		census(cfg, "UBND xã Mỹ Hương", "Huyện Mỹ Tú", 19, 1),
		census(cfg, "UBND xã Long Hưng", "Huyện Mỹ Tú", 23, 2),
		census(cfg, "UBND xã An Hiệp", "Huyện Châu Thành", 17, 3),
	}
	groups := []summary.Unit{
		sum(cfg, "", "Huyện Châu Thành", units[2]),
		sum(cfg, "", "Huyện Mỹ Tú", units[0], units[1]),
	}
	s := &summary.Summary{
		SchemaVersion: summary.SchemaVersion,
		Period:        "2023-09",
		AsOf:          "2023-09-30",
		GeneratedAt:   "2023-10-02T08:15:00+07:00",
		Files: []summary.File{
			{File: "An Hiệp.xlsx", Group: "Huyện Châu Thành", Status: "accepted", Dataset: "roster", Unit: "UBND xã An Hiệp", Sheet: "DS", Rows: 17, Warnings: 1},
			{File: "Long Hưng.xlsx", Group: "Huyện Mỹ Tú", Status: "accepted", Dataset: "roster", Unit: "UBND xã Long Hưng", Sheet: "Sheet1", Rows: 23, Errors: 2},
			{File: "Mỹ Hương.xlsx", Group: "Huyện Mỹ Tú", Status: "accepted", Dataset: "roster", Unit: "UBND xã Mỹ Hương", Sheet: "DS", Rows: 19},
			{File: "Mỹ Hương (cũ).xlsx", Group: "Huyện Mỹ Tú", Status: "superseded", Dataset: "roster", Unit: "UBND xã Mỹ Hương", Rows: 18, Reason: "Đã có tệp mới hơn của cùng đơn vị."},
			{File: "Đào tạo 2023.xlsx", Group: "Huyện Mỹ Tú", Status: "accepted", Dataset: "training", Sheet: "Sổ ĐT", Rows: 12},
			{File: "bao cao.docx", Group: "Huyện Mỹ Tú", Status: "rejected", Reason: "Không phải tệp Excel."},
		},
		Groups: groups,
		Units:  units,
		Total:  sum(cfg, "", "", units...),
		Training: summary.Training{
			Total:     12,
			ByType:    map[string]int{"ly_luan_chinh_tri": 5, "quan_ly_nha_nuoc": 4, "khac": 2, schema.Unknown: 1},
			ByFunding: map[string]int{"ngan_sach": 9, "tu_tuc": 2, schema.Unknown: 1},
			Units: []summary.TrainingUnit{
				{Unit: "UBND xã Long Hưng", Total: 7,
					ByType:    map[string]int{"ly_luan_chinh_tri": 3, "quan_ly_nha_nuoc": 2, "khac": 1, schema.Unknown: 1},
					ByFunding: map[string]int{"ngan_sach": 5, "tu_tuc": 1, schema.Unknown: 1}},
				{Unit: "UBND xã Mỹ Hương", Total: 5,
					ByType:    map[string]int{"ly_luan_chinh_tri": 2, "quan_ly_nha_nuoc": 2, "khac": 1},
					ByFunding: map[string]int{"ngan_sach": 4, "tu_tuc": 1}},
			},
		},
		Targets: []summary.Target{
			target("sdh_bch_tinh", "Cán bộ thuộc diện BCH tỉnh có trình độ sau đại học", "", 35, 50, "70%"),
			target("nu_lanh_dao", "Nữ trong lãnh đạo, quản lý", "", 8, 40, "25%"),
			target("llct_cao_cap", "Lãnh đạo cấp phòng có LLCT cao cấp", "", 0, 0, "50%"),
			target("nu_lanh_dao", "Nữ trong lãnh đạo, quản lý", "UBND xã Mỹ Hương", 2, 5, "25%"),
			target("nu_lanh_dao", "Nữ trong lãnh đạo, quản lý", "UBND xã Long Hưng", 1, 6, "25%"),
		},
		Standards: []summary.Standard{
			{ID: "cong_chuc_xa", Title: "Tiêu chuẩn công chức cấp xã", Unit: "UBND xã Mỹ Hương", Population: 12, Compliant: 11,
				Gaps: map[string]int{"trinh_do_chuyen_mon": 1}},
			{ID: "cong_chuc_xa", Title: "Tiêu chuẩn công chức cấp xã", Unit: "UBND xã An Hiệp", Population: 10, Compliant: 9,
				Gaps: map[string]int{"ly_luan_chinh_tri": 1, "trinh_do_chuyen_mon": 1}},
		},
		BelowStandard: []summary.Person{
			{Standard: "cong_chuc_xa", Unit: "UBND xã Mỹ Hương", Name: "Nguyễn Thị Lan", BirthDate: "1990-03-15",
				Position: "Công chức Văn phòng - Thống kê", File: "Mỹ Hương.xlsx", Sheet: "DS", Row: 12,
				Missing: []summary.Missing{{Field: "trinh_do_chuyen_mon", Label: "Trình độ chuyên môn",
					Have: "cao_dang", HaveText: "Cao đẳng", Need: "dai_hoc", NeedText: "Đại học"}}},
			{Standard: "cong_chuc_xa", Unit: "UBND xã An Hiệp", Name: "Trần Văn Bình", BirthDate: "",
				Position: "Công chức Địa chính", File: "An Hiệp.xlsx", Sheet: "DS", Row: 9,
				Missing: []summary.Missing{
					{Field: "trinh_do_chuyen_mon", Label: "Trình độ chuyên môn", Have: "trung_cap", HaveText: "Trung cấp", Need: "dai_hoc", NeedText: "Đại học"},
					{Field: "ly_luan_chinh_tri", Label: "Lý luận chính trị", Have: schema.Unknown, HaveText: "Chưa xác định", Need: "trung_cap", NeedText: "Trung cấp"},
				}},
		},
		Issues: summary.Issues{Errors: 2, Warnings: 1, ByCode: map[string]int{"unknown-value": 1, "bad-date": 1, "missing-value": 1}},
		Problems: []summary.Problem{
			{Code: "unknown-value", Severity: "error", File: "Long Hưng.xlsx", Sheet: "Sheet1", Cell: "H14", Field: "trinh_do_chuyen_mon",
				Raw: "Kỹ sư?", Message: "Không nhận ra trình độ chuyên môn “Kỹ sư?”; ghi một trong: Đại học, Cao đẳng, …"},
			{Code: "bad-date", Severity: "error", File: "Long Hưng.xlsx", Sheet: "Sheet1", Cell: "D20", Field: "ngay_sinh",
				Raw: "31/02/1985", Message: "Ngày 31/02/1985 không có thật; sửa lại ngày sinh."},
			{Code: "missing-value", Severity: "warning", File: "An Hiệp.xlsx", Sheet: "DS", Cell: "G9", Field: "ly_luan_chinh_tri",
				Message: "Chưa ghi trình độ lý luận chính trị."},
		},
	}
	return s, cfg, txt
}

// census makes a unit's breakdowns by giving each of its people a code in every
// dimension, so every dimension adds up to the headcount; seed varies the spread and
// puts some people under Chưa xác định.
func census(cfg *schema.Config, name, group string, headcount, seed int) summary.Unit {
	u := summary.Unit{Unit: name, Group: group, Headcount: headcount, Breakdowns: map[string]map[string]int{}}
	for d, dim := range cfg.Report.Breakdowns {
		codes := cfg.Codes(cfg.Field(dim))
		m := map[string]int{}
		for i := range headcount {
			k := (i*(seed+d) + seed) % (len(codes) + 2) // +2 weighs the first codes more
			if k >= len(codes) {
				k = 0
			}
			m[codes[k].Code]++
		}
		u.Breakdowns[dim] = m
	}
	return u
}

// sum adds units up into a group or the total.
func sum(cfg *schema.Config, name, group string, units ...summary.Unit) summary.Unit {
	out := summary.Unit{Unit: name, Group: group, Breakdowns: map[string]map[string]int{}}
	for _, u := range units {
		out.Headcount += u.Headcount
		for dim, m := range u.Breakdowns {
			if out.Breakdowns[dim] == nil {
				out.Breakdowns[dim] = map[string]int{}
			}
			for code, n := range m {
				out.Breakdowns[dim][code] += n
			}
		}
	}
	return out
}

func target(id, title, unit string, count, population int, threshold string) summary.Target {
	r, err := summary.ParseRatio(threshold)
	if err != nil {
		panic(err)
	}
	return summary.Target{ID: id, Title: title, Unit: unit, Population: population, Count: count,
		Share: summary.Share(count, population), Threshold: r.Float(), Met: r.Met(count, population),
		Shortfall: r.Shortfall(count, population), Deadline: "2025-12-31"}
}

// manyProblems is a summary with n problems, for the benchmark and the size test: each
// has a value of its own, so that the problems sheet has a row for each.
func manyProblems(s *summary.Summary, n int) *summary.Summary {
	c := *s
	c.Problems = make([]summary.Problem, n)
	for i := range c.Problems {
		c.Problems[i] = summary.Problem{Code: "unknown-value", Severity: "error",
			File: fmt.Sprintf("Đơn vị %d.xlsx", i%300), Sheet: "DS", Cell: fmt.Sprintf("H%d", 8+i%500),
			Field: "trinh_do_chuyen_mon", Raw: fmt.Sprintf("Kỹ sư %d?", i),
			Message: "Không nhận ra trình độ chuyên môn “Kỹ sư?”; ghi một trong: Tiến sĩ, Thạc sĩ, Đại học, Cao đẳng, Trung cấp, Sơ cấp, Chưa qua đào tạo."}
	}
	return &c
}
