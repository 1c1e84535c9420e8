package rules_test

import (
	"errors"
	"strings"
	"time"

	"reflect"
	"testing"

	"canbo/pipeline/internal/sheettest"
	"canbo/pipeline/normalize"
	"canbo/pipeline/rules"
	"canbo/pipeline/schema"
	"canbo/pipeline/summary"
)

// TestExpressionSemantics: ordinals compare by vocabulary rank, not spelling, and an
// unknown value satisfies no ordering, number or date comparison.
func TestExpressionSemantics(t *testing.T) {
	type rec = map[string]string
	tests := []struct {
		expr string
		rec  rec
		want bool
	}{
		// Ordinal ordering by rank: trung_cap sorts after dai_hoc as text, not by rank.
		{`trinh_do_chuyen_mon >= "dai_hoc"`, rec{"trinh_do_chuyen_mon": "dai_hoc"}, true},
		{`trinh_do_chuyen_mon >= "dai_hoc"`, rec{"trinh_do_chuyen_mon": "tien_si"}, true},
		{`trinh_do_chuyen_mon >= "dai_hoc"`, rec{"trinh_do_chuyen_mon": "trung_cap"}, false},
		{`trinh_do_chuyen_mon >= "dai_hoc"`, rec{"trinh_do_chuyen_mon": "so_cap"}, false},
		{`trinh_do_chuyen_mon > "cao_dang"`, rec{"trinh_do_chuyen_mon": "dai_hoc"}, true},
		{`trinh_do_chuyen_mon < "dai_hoc"`, rec{"trinh_do_chuyen_mon": "trung_cap"}, true},
		{`trinh_do_chuyen_mon <= "dai_hoc"`, rec{"trinh_do_chuyen_mon": "thac_si"}, false},
		{`"dai_hoc" <= trinh_do_chuyen_mon`, rec{"trinh_do_chuyen_mon": "thac_si"}, true},
		{`"cao_dang" < trinh_do_chuyen_mon <= "thac_si"`, rec{"trinh_do_chuyen_mon": "dai_hoc"}, true},
		{`"cao_dang" < trinh_do_chuyen_mon <= "thac_si"`, rec{"trinh_do_chuyen_mon": "tien_si"}, false},
		{`ly_luan_chinh_tri >= "trung_cap"`, rec{"ly_luan_chinh_tri": "cao_cap"}, true},
		{`ly_luan_chinh_tri >= "trung_cap"`, rec{"ly_luan_chinh_tri": "so_cap"}, false},
		{`quan_ly_nha_nuoc >= "chuyen_vien"`, rec{"quan_ly_nha_nuoc": "can_su"}, false},
		// Unknown is neither high nor low.
		{`trinh_do_chuyen_mon >= "dai_hoc"`, rec{}, false},
		{`trinh_do_chuyen_mon <= "dai_hoc"`, rec{}, false},
		{`trinh_do_chuyen_mon < "so_cap"`, rec{}, false},
		{`trinh_do_chuyen_mon >= "chua_qua_dao_tao"`, rec{}, false},
		{`trinh_do_chuyen_mon < "so_cap"`, rec{"trinh_do_chuyen_mon": "chua_qua_dao_tao"}, true},
		{`not (trinh_do_chuyen_mon >= "dai_hoc")`, rec{}, true},
		{`trinh_do_chuyen_mon == "chua_xac_dinh"`, rec{}, true},
		{`trinh_do_chuyen_mon == "chua_xac_dinh"`, rec{"trinh_do_chuyen_mon": "dai_hoc"}, false},
		// Two ordinals of one vocabulary; unknown on either side fails.
		{`dang_dao_tao > trinh_do_chuyen_mon`, rec{"trinh_do_chuyen_mon": "dai_hoc", "dang_dao_tao": "thac_si"}, true},
		{`dang_dao_tao > trinh_do_chuyen_mon`, rec{"trinh_do_chuyen_mon": "dai_hoc"}, false},
		{`dang_dao_tao <= trinh_do_chuyen_mon`, rec{"trinh_do_chuyen_mon": "dai_hoc"}, false},
		// == and in compare codes, like enums.
		{`trinh_do_chuyen_mon in ["thac_si", "tien_si"]`, rec{"trinh_do_chuyen_mon": "tien_si"}, true},
		{`trinh_do_chuyen_mon not in ["thac_si", "tien_si"]`, rec{}, true},
		// The Đề án's condition: has or is studying for a postgraduate degree.
		{`trinh_do_chuyen_mon >= "thac_si" or dang_dao_tao >= "thac_si"`, rec{"trinh_do_chuyen_mon": "dai_hoc", "dang_dao_tao": "thac_si"}, true},
		{`trinh_do_chuyen_mon >= "thac_si" or dang_dao_tao >= "thac_si"`, rec{"trinh_do_chuyen_mon": "dai_hoc"}, false},
		// Enums: unknown is the code chua_xac_dinh.
		{`gioi_tinh == "nu"`, rec{"gioi_tinh": "nu"}, true},
		{`gioi_tinh != "nu"`, rec{}, true},
		{`dien_quan_ly in ["bch_tinh", "btv_quan_ly"]`, rec{"dien_quan_ly": "btv_quan_ly"}, true},
		{`nhom_tuoi == "tu_31_den_40"`, rec{"nhom_tuoi": "tu_31_den_40"}, true},
		// Numbers and dates: unknown fails every comparison.
		{`tuoi < 35`, rec{"tuoi": "30"}, true},
		{`tuoi < 35`, rec{}, false},
		{`tuoi >= 35`, rec{}, false},
		{`tuoi + 5 >= 60`, rec{"tuoi": "55"}, true},
		{`tuoi != 40`, rec{}, false},
		{`ngay_sinh < "1990-01-01"`, rec{"ngay_sinh": "1985-05-05"}, true},
		{`ngay_sinh < "1990-01-01"`, rec{}, false},
		{`ngay_sinh >= "1990-01-01"`, rec{"ngay_sinh": "1985-05-05"}, false},
		{`ngay_sinh[0:4] == "1985"`, rec{"ngay_sinh": "1985-05-05"}, true},
		{`ngay_sinh[0:4] == "1985"`, rec{}, false},
		// Bools: unknown reads as false.
		{`dang_vien`, rec{"dang_vien": "true"}, true},
		{`dang_vien`, rec{"dang_vien": "false"}, false},
		{`dang_vien`, rec{}, false},
		{`not dang_vien`, rec{"dang_vien": "false"}, true},
		{`dan_toc_thieu_so and gioi_tinh == "nu"`, rec{"dan_toc_thieu_so": "true", "gioi_tinh": "nu"}, true},
		{`duoi_35 and trinh_do_chuyen_mon >= "dai_hoc"`, rec{"duoi_35": "true", "trinh_do_chuyen_mon": "thac_si"}, true},
		// Text.
		{`ho_ten == ""`, rec{}, true},
		{`chuc_vu contains "Chủ tịch"`, rec{"chuc_vu": "Phó Chủ tịch UBND"}, true},
	}
	for _, tc := range tests {
		cfg, tg := withTarget(t, "", tc.expr, "50%")
		got, err := rules.NewEvaluator().Match(tg.Counted, person(t, cfg, tc.rec))
		if err != nil {
			t.Errorf("%s on %v: %v", tc.expr, tc.rec, err)
			continue
		}
		if got != tc.want {
			t.Errorf("%s on %v = %v, want %v", tc.expr, tc.rec, got, tc.want)
		}
	}
}

// TestEvaluateTarget: 35 of 50 meets 70% exactly, 34 of 50 falls one person short.
func TestEvaluateTarget(t *testing.T) {
	cfg, tg := withTarget(t, `dien_quan_ly == "bch_tinh"`, `trinh_do_chuyen_mon >= "thac_si" or dang_dao_tao >= "thac_si"`, "70%")
	build := func(sdh, studying, others int) []*normalize.Record {
		var recs []*normalize.Record
		for i := range 50 {
			v := map[string]string{"dien_quan_ly": "bch_tinh", "trinh_do_chuyen_mon": "dai_hoc"}
			switch {
			case i < sdh:
				v["trinh_do_chuyen_mon"] = "thac_si"
			case i < sdh+studying:
				v["dang_dao_tao"] = "tien_si"
			case i == 49:
				delete(v, "trinh_do_chuyen_mon") // unknown: not counted
			}
			recs = append(recs, person(t, cfg, v))
		}
		for range others { // outside the population
			recs = append(recs, person(t, cfg, map[string]string{"dien_quan_ly": "cap_phong", "trinh_do_chuyen_mon": "tien_si"}))
		}
		training := person(t, cfg, map[string]string{"dien_quan_ly": "bch_tinh", "trinh_do_chuyen_mon": "tien_si"})
		training.Dataset = "training" // an attendance, not a person
		return append(recs, training)
	}
	tests := []struct {
		name      string
		recs      []*normalize.Record
		count     int
		met       bool
		shortfall int
		share     float64
	}{
		{"35 of 50", build(30, 5, 7), 35, true, 0, 0.7},
		{"34 of 50", build(30, 4, 7), 34, false, 1, 0.68},
		{"50 of 50", build(50, 0, 0), 50, true, 0, 1},
		{"0 of 50", build(0, 0, 3), 0, false, 35, 0},
	}
	for _, tc := range tests {
		got, err := rules.EvaluateTarget(tg, tc.recs, "UBND xã A")
		if err != nil {
			t.Fatal(err)
		}
		want := summary.Target{ID: "thu", Title: "Thử", RuleSet: "thu", Unit: "UBND xã A", Population: 50, Count: tc.count,
			Share: tc.share, Threshold: 0.7, Met: tc.met, Shortfall: tc.shortfall}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s:\n got %+v\nwant %+v", tc.name, got, want)
		}
	}
	empty, err := rules.EvaluateTarget(tg, nil, "")
	if err != nil || empty.Population != 0 || empty.Met || empty.Shortfall != 0 {
		t.Errorf("empty population: %+v, %v", empty, err)
	}
}

func TestEffectivePeriods(t *testing.T) {
	cfg := sheettest.Config(t)
	set, err := rules.Compile(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ids := func(ts []*rules.Target) []string {
		var out []string
		for _, t := range ts {
			out = append(out, t.ID)
		}
		return out
	}
	all := []string{"sdh_bch_tinh", "sdh_btv_quan_ly", "sdh_bch_huyen", "sdh_cap_phong"}
	for _, tc := range []struct {
		asOf string
		want []string
	}{
		{"2021-09-09", nil},
		{"2021-09-10", all},
		{"2023-09-30", all},
		{"2025-12-31", all},
		{"2026-01-01", nil},
	} {
		if got := ids(set.Targets(day(tc.asOf))); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("targets at %s: %v, want %v", tc.asOf, got, tc.want)
		}
	}
	for _, tc := range []struct {
		asOf string
		want int
	}{{"2023-07-31", 0}, {"2023-08-01", 1}, {"2030-01-01", 1}} {
		if got := set.Standards(day(tc.asOf)); len(got) != tc.want {
			t.Errorf("standards at %s: %d, want %d", tc.asOf, len(got), tc.want)
		}
	}
	// Scopes as configured: the provincial committee only overall, cấp phòng both.
	for _, tg := range set.Targets(day("2023-09-30")) {
		per := tg.ID == "sdh_bch_huyen" || tg.ID == "sdh_cap_phong"
		if !tg.Overall() || tg.PerUnit() != per {
			t.Errorf("%s: scope %s", tg.ID, tg.Scope)
		}
		if tg.Deadline != "2025-12-31" || tg.RuleSet.Code != "de_an_02_soc_trang" {
			t.Errorf("%s: deadline %s, rule set %s", tg.ID, tg.Deadline, tg.RuleSet.Code)
		}
	}
}

// TestPeriodDay: the as-of day counts in its own time zone (Asia/Ho_Chi_Minh at
// 00:30 is still the previous day in UTC).
func TestPeriodDay(t *testing.T) {
	hcm := time.FixedZone("ICT", 7*3600)
	p := rules.Period{From: "2021-09-10", Until: "2025-12-31"}
	if !p.In(time.Date(2021, 9, 10, 0, 30, 0, 0, hcm)) || p.In(time.Date(2026, 1, 1, 0, 30, 0, 0, hcm)) {
		t.Error("period boundaries in local time")
	}
	if !(rules.Period{}).In(time.Now()) {
		t.Error("an empty period is always in force")
	}
}

func TestStandardGaps(t *testing.T) {
	cfg := sheettest.Config(t)
	set, err := rules.Compile(cfg)
	if err != nil {
		t.Fatal(err)
	}
	st := set.Standards(day("2023-09-30"))[0]
	if st.ID != "cong_chuc_xa" {
		t.Fatalf("standard %s", st.ID)
	}
	mk := func(name, level string) *normalize.Record {
		v := map[string]string{"ho_ten": name, "ngay_sinh": "1985-03-05", "chuc_vu": "Công chức Tư pháp - hộ tịch", "don_vi": "UBND xã A"}
		if level != "" {
			v["trinh_do_chuyen_mon"] = level
		}
		return person(t, cfg, v)
	}
	recs := []*normalize.Record{mk("A", "dai_hoc"), mk("B", "cao_dang"), mk("C", ""), mk("D", "thac_si"), mk("E", "trung_cap")}
	miss := func(have, haveText string) []summary.Missing {
		return []summary.Missing{{Field: "trinh_do_chuyen_mon", Label: "Trình độ chuyên môn", Have: have, HaveText: haveText,
			Need: "dai_hoc", NeedText: "Đại học"}}
	}
	for i, want := range [][]summary.Missing{nil, miss("cao_dang", "Cao đẳng"), miss(schema.Unknown, "Chưa xác định"), nil, miss("trung_cap", "Trung cấp")} {
		if got := rules.CheckStandard(st, recs[i]); !reflect.DeepEqual(got, want) {
			t.Errorf("person %d: %+v, want %+v", i, got, want)
		}
	}
	res, below, err := rules.EvaluateStandard(st, recs, "UBND xã A")
	if err != nil {
		t.Fatal(err)
	}
	want := summary.Standard{ID: "cong_chuc_xa", Title: st.Title, Unit: "UBND xã A", Population: 5, Compliant: 2,
		Gaps: map[string]int{"trinh_do_chuyen_mon": 3}}
	if !reflect.DeepEqual(res, want) {
		t.Errorf("got %+v, want %+v", res, want)
	}
	if len(below) != 3 || below[0].Name != "B" || below[1].Name != "C" || below[0].BirthDate != "1985-03-05" ||
		below[0].Position != "Công chức Tư pháp - hộ tịch" || below[0].Standard != "cong_chuc_xa" || below[0].Unit != "UBND xã A" {
		t.Errorf("below: %+v", below)
	}
	if st.Requires[0].Label != "Trình độ chuyên môn từ đại học trở lên" {
		t.Errorf("label %q", st.Requires[0].Label)
	}
}

// TestRuntimeError: an expression that type-checks but fails on a record (int() of a
// text that is no number) leaves the target uncomputed: it is not met, nothing is
// short, Failed says on how many people, and the failure is returned, located to the
// target and the record. A result that silently skipped someone would be wrong.
func TestRuntimeError(t *testing.T) {
	cfg, tg := withTarget(t, "", `int(ghi_chu) > 3`, "50%")
	recs := []*normalize.Record{
		person(t, cfg, map[string]string{"ghi_chu": "5"}),
		person(t, cfg, map[string]string{"ghi_chu": "không rõ"}),
		person(t, cfg, map[string]string{"ghi_chu": "7"}),
	}
	recs[1].Row = 12
	got, err := rules.EvaluateTarget(tg, recs, "")
	if got.Failed != 1 || got.Met || got.Shortfall != 0 || got.Computed() {
		t.Errorf("%+v", got)
	}
	var fails rules.Failures
	if !errors.As(err, &fails) || len(fails) != 1 || fails[0].Row != 12 || fails[0].Target != "thu" ||
		!strings.Contains(err.Error(), `chỉ tiêu "thu"`) || !strings.Contains(err.Error(), "dòng 12") {
		t.Errorf("error %v", err)
	}
}

// TestDefaultLabel: a requirement without a label is named from the field and level.
func TestDefaultLabel(t *testing.T) {
	cfg := sheettest.Config(t)
	cfg.Standards = schema.Standards{Standards: []*schema.Standard{{ID: "x", Title: "X",
		Requires: []*schema.Require{{Field: "ly_luan_chinh_tri", AtLeast: "trung_cap"}}}}}
	set, err := rules.Compile(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if got := set.AllStandards()[0].Requires[0].Label; got != "Lý luận chính trị từ trung cấp trở lên" {
		t.Errorf("label %q", got)
	}
}
