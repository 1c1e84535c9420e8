package history

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"canbo/pipeline/summary"
)

func TestCompare(t *testing.T) {
	prev := fixture("2023-08",
		unitSpec{group: "cho-don", name: "UBND xã Nghĩa Tá", nam: 10, nu: 8, thacSi: 2},
		unitSpec{group: "cho-don", name: "UBND xã Bản Thi", nam: 7, nu: 12},
		unitSpec{group: "cho-don", name: "Xã Đã Nhập", nam: 3, nu: 3},
	)
	cur := fixture("2023-09",
		unitSpec{group: "cho-don", name: "Ủy ban nhân dân xã Nghĩa Tá", nam: 10, nu: 10, thacSi: 2}, // renamed spelling, +2
		unitSpec{group: "cho-don", name: "UBND xã Bản Thi", nam: 7, nu: 5},                          // -7
		unitSpec{group: "ke-sach", name: "Huyện ủy Kế Sách", nam: 20, nu: 5, thacSi: 25},            // new
	)
	// An overall target met now but not before, with exact shares that the report
	// shows as 80,67% and 79,12%.
	eighty := summary.Ratio{Num: 4, Den: 5}
	prev.Targets = append(prev.Targets, target("dh", "", 7912, 10000, eighty))
	cur.Targets = append(cur.Targets, target("dh", "", 8067, 10000, eighty))
	prev.Targets = append(prev.Targets, target("cu", "", 1, 2, seventy)) // gone

	c := Compare(prev, cur, nil)
	if c.Period != "2023-08" || c.AsOf != "2023-08-28" {
		t.Errorf("compared with %s as of %s", c.Period, c.AsOf)
	}
	if want := (UnitChange{Headcount: 57, PreviousHeadcount: 43, HeadcountChange: 14}); c.Total != want {
		t.Errorf("total = %+v, want %+v", c.Total, want)
	}
	wantUnits := []UnitChange{
		{Unit: "Ủy ban nhân dân xã Nghĩa Tá", Group: "cho-don", Headcount: 20, PreviousHeadcount: 18, HeadcountChange: 2},
		{Unit: "UBND xã Bản Thi", Group: "cho-don", Headcount: 12, PreviousHeadcount: 19, HeadcountChange: -7},
		{Unit: "Huyện ủy Kế Sách", Group: "ke-sach", Status: ChangeNew, Headcount: 25, HeadcountChange: 25},
		{Unit: "Xã Đã Nhập", Group: "cho-don", Status: ChangeGone, PreviousHeadcount: 6, HeadcountChange: -6},
	}
	if !reflect.DeepEqual(c.Units, wantUnits) {
		t.Errorf("units =\n %+v\nwant\n %+v", c.Units, wantUnits)
	}
	wantGroups := []UnitChange{
		{Group: "cho-don", Headcount: 32, PreviousHeadcount: 43, HeadcountChange: -11},
		{Group: "ke-sach", Status: ChangeNew, Headcount: 25, HeadcountChange: 25},
	}
	if !reflect.DeepEqual(c.Groups, wantGroups) {
		t.Errorf("groups =\n %+v\nwant\n %+v", c.Groups, wantGroups)
	}

	byKey := map[string]TargetChange{}
	for _, tc := range c.Targets {
		byKey[tc.ID+"|"+tc.Unit] = tc
	}
	if len(byKey) != len(c.Targets) {
		t.Fatalf("targets listed twice: %+v", c.Targets)
	}
	dh := byKey["dh|"]
	if dh.ShareChangePP != 1.55 || dh.MetChange != NowMet || !dh.Met || dh.PreviousMet || dh.Status != "" {
		t.Errorf("dh = %+v; want +1.55 points, now met", dh)
	}
	sdh := byKey["sdh|"] // 2/43 → 27/57
	if sdh.Status != "" || sdh.Share != summary.Share(27, 57) || sdh.PreviousShare != summary.Share(2, 43) ||
		sdh.ShareChangePP != 42.72 || sdh.MetChange != "" || sdh.Count != 27 || sdh.PreviousCount != 2 {
		t.Errorf("sdh = %+v", sdh)
	}
	if nu := byKey["nu|UBND xã Bản Thi"]; nu.MetChange != NoLongerMet || nu.ShareChangePP != -21.49 {
		t.Errorf("nu Bản Thi = %+v; want no longer met, -21.49 points (63.16%% → 41.67%%)", nu)
	}
	if nu := byKey["nu|Ủy ban nhân dân xã Nghĩa Tá"]; nu.Status != "" || nu.PreviousCount != 8 || nu.MetChange != NowMet {
		t.Errorf("nu Nghĩa Tá (renamed) = %+v; want matched with last month's 8 of 18", nu)
	}
	if ks := byKey["nu|Huyện ủy Kế Sách"]; ks.Status != ChangeNew || ks.ShareChangePP != 0 {
		t.Errorf("new unit's target = %+v", ks)
	}
	if cu := byKey["cu|"]; cu.Status != ChangeGone || cu.PreviousCount != 1 || cu.Met {
		t.Errorf("gone target = %+v", cu)
	}
	if last := c.Targets[len(c.Targets)-1]; last.Status != ChangeGone {
		t.Errorf("gone entries do not come last: %+v", last)
	}

	if z := Compare(nil, cur, nil); !reflect.DeepEqual(z, Changes{}) {
		t.Errorf("Compare(nil, cur) = %+v, want the zero Changes", z)
	}
}

// The JSON shape proposed for summary.json's "previous" key.
func TestChangesJSON(t *testing.T) {
	prev := &summary.Summary{Period: "2023-08", AsOf: "2023-08-31",
		Total:   summary.Unit{Headcount: 380},
		Units:   []summary.Unit{{Unit: "UBND xã Nghĩa Tá", Headcount: 18}},
		Targets: []summary.Target{target("sdh_bch_tinh", "", 33, 50, seventy)}}
	cur := &summary.Summary{Period: "2023-09", AsOf: "2023-09-30",
		Total:   summary.Unit{Headcount: 388},
		Units:   []summary.Unit{{Unit: "UBND xã Nghĩa Tá", Headcount: 19}},
		Targets: []summary.Target{target("sdh_bch_tinh", "", 35, 50, seventy)}}
	b, err := json.Marshal(Compare(prev, cur, nil))
	if err != nil {
		t.Fatal(err)
	}
	want := `{"period":"2023-08","as_of":"2023-08-31",` +
		`"total":{"headcount":388,"previous_headcount":380,"headcount_change":8},` +
		`"units":[{"unit":"UBND xã Nghĩa Tá","headcount":19,"previous_headcount":18,"headcount_change":1}],` +
		`"targets":[{"id":"sdh_bch_tinh","title":"Chỉ tiêu sdh_bch_tinh","unit":"","share":0.7,"previous_share":0.66,` +
		`"share_change_pp":4,"count":35,"previous_count":33,"population":50,"previous_population":50,` +
		`"shortfall":0,"previous_shortfall":2,"met":true,"previous_met":false,"met_change":"now_met"}]}`
	if string(b) != want {
		t.Errorf("JSON\n got %s\nwant %s", b, want)
	}
	tr, _ := json.Marshal(TargetPoint{Point: summary.Point{Period: "2023-09", Share: 0.7, Count: 35, Population: 50, Threshold: 0.7, Met: true}, Run: 3})
	if got := string(tr); got != `{"period":"2023-09","share":0.7,"count":35,"population":50,"threshold":0.7,"met":true}` {
		t.Errorf("trend point JSON %s", got)
	}
	if strings.Contains(string(b), "null") {
		t.Errorf("null in %s", b)
	}
}
