package units_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"canbo/config"
	"canbo/pipeline/schema"
	"canbo/pipeline/units"
)

func TestSplit(t *testing.T) {
	tests := []struct {
		name string
		want units.Name
	}{
		{"UBND xã Đăk Kôi, huyện Kon Rẫy", units.Name{Base: "xa dak koi", Level: "huyen", Place: "kon ray"}},
		{"UBND xã Đăk Kôi (huyện Kon Rẫy)", units.Name{Base: "xa dak koi", Level: "huyen", Place: "kon ray"}},
		{"UBND xã Đăk Kôi - Kon Rẫy", units.Name{Base: "xa dak koi", Place: "kon ray"}},
		{"Đảng ủy xã Đăk Ring – Kon Plông", units.Name{Base: "dang uy xa dak ring", Place: "kon plong"}},
		{"UBND xã Ia Tơi - Ia H'Drai", units.Name{Base: "xa ia toi", Place: "ia hdrai"}},
		{"UBND xã Chư Hreng, TP Kon Tum", units.Name{Base: "xa chu hreng", Level: "thanh pho", Place: "kon tum"}},
		{"Phường Quyết Thắng, thành phố Kon Tum", units.Name{Base: "phuong quyet thang", Level: "thanh pho", Place: "kon tum"}},
		{"Trường THCS Lê Lợi, tỉnh Kon Tum", units.Name{Base: "truong thcs le loi", Level: "tinh", Place: "kon tum"}},
		{"UBND xã Đăk Kôi, HUYỆN KON RẪY", units.Name{Base: "xa dak koi", Level: "huyen", Place: "kon ray"}},
		{"UBND xa Dak Koi, huyen Kon Ray", units.Name{Base: "xa dak koi", Level: "huyen", Place: "kon ray"}},
		{"UBND xã Trung Thành - Quận 3", units.Name{Base: "xa trung thanh", Level: "quan", Place: "3"}},
		// A place whose name starts like a level word is a place: Quan Hóa, Tĩnh Gia.
		{"UBND xã Trung Thành - Quan Hóa", units.Name{Base: "xa trung thanh", Place: "quan hoa"}},
		{"UBND xã Hải Nhân, Tĩnh Gia", units.Name{Base: "xa hai nhan", Place: "tinh gia"}},
		{"UBND xa Dak Koi - Kon Ray", units.Name{Base: "xa dak koi", Place: "kon ray"}}, // typed without diacritics
		// A level word typed without its diacritics in a text that has them is not
		// taken as a level: the qualifier then matches only the same spelling.
		{"UBND xã Đăk Kôi, huyen Kon Rẫy", units.Name{Base: "xa dak koi", Place: "huyen kon ray"}},
		// Not qualifiers: the dash or comma is part of the name.
		{"UBND thị xã Vĩnh Châu - Sóc Trăng", units.Name{Base: "thi xa vinh chau soc trang"}}, // a town, not a commune
		{"Sở Lao động - Thương binh và Xã hội", units.Name{Base: "so lao dong thuong binh va xa hoi"}},
		{"Tổng hợp CBCC Yên Phong - Yên Thịnh", units.Name{Base: "tong hop cbcc yen phong yen thinh"}},
		{"Sở Văn hóa, Thể thao và Du lịch", units.Name{Base: "so van hoa the thao va du lich"}},
		{"Trạm Khuyến nông huyện Kon Rẫy", units.Name{Base: "tram khuyen nong huyen kon ray"}},
		{"UBND xã Đăk Kôi", units.Name{Base: "xa dak koi"}},
		{"UBND xã Yên Phong - xã Yên Thịnh", units.Name{Base: "xa yen phong xa yen thinh"}},
		{"UBND xã A - một hai ba bốn năm", units.Name{Base: "xa a mot hai ba bon nam"}},
		{"Huyện ủy Kon Rẫy", units.Name{Base: "huyen uy kon ray"}},
		{", huyện Kon Rẫy", units.Name{Base: "huyen kon ray"}},
	}
	for _, tc := range tests {
		if got := units.Split(tc.name); got != tc.want {
			t.Errorf("Split(%q) = %+v, want %+v", tc.name, got, tc.want)
		}
	}
}

// merged returns, for each name, the name its unit is shown by.
func merged(names ...string) []string {
	idx := units.Merge(names)
	out := make([]string, len(names))
	for i, j := range idx {
		out[i] = names[j]
	}
	return out
}

func TestMerge(t *testing.T) {
	tests := []struct {
		what  string
		names []string
		want  []string
	}{
		{"the former district written two ways is one commune, shown with its level word",
			[]string{"UBND xã Đăk Kôi - Kon Rẫy", "UBND xã Đăk Kôi, huyện Kon Rẫy"},
			[]string{"UBND xã Đăk Kôi, huyện Kon Rẫy", "UBND xã Đăk Kôi, huyện Kon Rẫy"}},
		{"comma, parenthesis, abbreviation and dash forms meet",
			[]string{"UBND xã Chư Hreng, thành phố Kon Tum", "UBND xã Chư Hreng (TP Kon Tum)", "Ủy ban nhân dân xã Chư Hreng - Kon Tum"},
			[]string{"UBND xã Chư Hreng, thành phố Kon Tum", "UBND xã Chư Hreng, thành phố Kon Tum", "UBND xã Chư Hreng, thành phố Kon Tum"}},
		{"the same UnitKey is one unit, as counting does today",
			[]string{"UBND xã Nghĩa Tá", "Ủy ban nhân dân xã Nghĩa Tá", "Xã Nghĩa Tá"},
			[]string{"UBND xã Nghĩa Tá", "UBND xã Nghĩa Tá", "UBND xã Nghĩa Tá"}},
		{"two dash forms without any level word meet each other",
			[]string{"UBND xã Đăk Ui - Đăk Hà", "UBND xã Đăk Ui – Đăk Hà"},
			[]string{"UBND xã Đăk Ui - Đăk Hà", "UBND xã Đăk Ui - Đăk Hà"}},
		{"one commune name in two districts stays two communes",
			[]string{"UBND xã Bờ Y, huyện Đăk Tô", "UBND xã Bờ Y, huyện Ngọc Hồi"},
			[]string{"UBND xã Bờ Y, huyện Đăk Tô", "UBND xã Bờ Y, huyện Ngọc Hồi"}},
		{"a dash form goes to its own district only",
			[]string{"UBND xã Bờ Y, huyện Đăk Tô", "UBND xã Bờ Y, huyện Ngọc Hồi", "UBND xã Bờ Y - Ngọc Hồi"},
			[]string{"UBND xã Bờ Y, huyện Đăk Tô", "UBND xã Bờ Y, huyện Ngọc Hồi", "UBND xã Bờ Y, huyện Ngọc Hồi"}},
		{"a bare name is not merged with a qualified one: which district it means is unknown",
			[]string{"Xã Bờ Y", "UBND xã Bờ Y, huyện Ngọc Hồi"},
			[]string{"Xã Bờ Y", "UBND xã Bờ Y, huyện Ngọc Hồi"}},
		{"a district named like a level word",
			[]string{"UBND xã Trung Thành, huyện Quan Hóa", "UBND xã Trung Thành - Quan Hóa"},
			[]string{"UBND xã Trung Thành, huyện Quan Hóa", "UBND xã Trung Thành, huyện Quan Hóa"}},
		{"a dash form is not merged when two levels share the place name",
			[]string{"UBND xã Mỹ Tân, huyện Cao Lãnh", "UBND xã Mỹ Tân, thành phố Cao Lãnh", "UBND xã Mỹ Tân - Cao Lãnh"},
			[]string{"UBND xã Mỹ Tân, huyện Cao Lãnh", "UBND xã Mỹ Tân, thành phố Cao Lãnh", "UBND xã Mỹ Tân - Cao Lãnh"}},
		{"the people's committee and the party committee of one commune are two units",
			[]string{"UBND xã Đăk Ring - Kon Plông", "Đảng ủy xã Đăk Ring, huyện Kon Plông"},
			[]string{"UBND xã Đăk Ring - Kon Plông", "Đảng ủy xã Đăk Ring, huyện Kon Plông"}},
		{"a district's own office is not a commune of that district",
			[]string{"Trạm Khuyến nông huyện Kon Rẫy", "Trạm Khuyến nông huyện Sa Thầy", "UBND huyện Kon Rẫy"},
			[]string{"Trạm Khuyến nông huyện Kon Rẫy", "Trạm Khuyến nông huyện Sa Thầy", "UBND huyện Kon Rẫy"}},
		{"a dash inside a name is not a qualifier",
			[]string{"Sở Lao động - Thương binh và Xã hội", "Sở Lao động", "Tổng hợp CBCC Yên Phong - Yên Thịnh", "Tổng hợp CBCC Yên Phong"},
			[]string{"Sở Lao động - Thương binh và Xã hội", "Sở Lao động", "Tổng hợp CBCC Yên Phong - Yên Thịnh", "Tổng hợp CBCC Yên Phong"}},
	}
	for _, tc := range tests {
		if got := merged(tc.names...); !slices.Equal(got, tc.want) {
			t.Errorf("%s:\n got %q\nwant %q", tc.what, got, tc.want)
		}
	}
	if got := units.Merge(nil); len(got) != 0 {
		t.Errorf("Merge(nil) = %v", got)
	}
}

// sample is a small registry in the shape of a province after 1/7/2025, with one
// commune still registered under its former district.
func sample(t *testing.T) *units.Registry {
	t.Helper()
	r, cs := units.New([]units.Entry{
		{Name: "UBND tỉnh Kon Tum"}, // 0
		{Name: "Sở Nội vụ", Aliases: []string{"SNV"}, Parent: "UBND tỉnh Kon Tum"}, // 1
		{Name: "Sở Lao động - Thương binh và Xã hội", Parent: "UBND tỉnh Kon Tum"}, // 2
		{Name: "UBND huyện Kon Rẫy", Parent: "UBND tỉnh Kon Tum"},                  // 3
		{Name: "Xã Đăk Kôi", Parent: "UBND huyện Kon Rẫy"},                         // 4
		{Name: "Xã Bờ Y, huyện Ngọc Hồi", Aliases: []string{"Xã Bờ Y"}},            // 5
		{Name: "Xã Đăk Tơ Lung, huyện Kon Rẫy"},                                    // 6
		{Name: "Xã Nghĩa Tá"}, // 7
	})
	if len(cs) > 0 {
		t.Fatalf("conflicts: %+v", cs)
	}
	return r
}

func TestMatch(t *testing.T) {
	r := sample(t)
	tests := []struct {
		name string
		unit int
		how  units.How
	}{
		{"Sở Nội vụ", 1, units.ByName},
		{"SỞ NỘI VỤ", 1, units.ByName},
		{"snv", 1, units.ByAlias},
		{"Ủy ban nhân dân xã Nghĩa Tá", 7, units.ByName},
		{"UBND xã Nghĩa Tá", 7, units.ByName},
		{"Xã Nghia Ta", 7, units.ByName},
		{"Xã Đăk Tơlung, huyện Kon Rẫy", 6, units.ByName}, // a space less
		{"UBND xã Bờ Y", 5, units.ByAlias},
		{"UBND xã Bờ Y - Ngọc Hồi", 5, units.ByVariant},
		{"UBND xã Đăk Tơ Lung (huyện Kon Rẫy)", 6, units.ByName},
		{"UBND xã Đăk Tơ Lung - Kon Rẫy", 6, units.ByVariant},
		{"UBND xã Đăk Kôi, huyện Kon Rẫy", 4, units.ByParent},
		{"UBND xã Đăk Kôi - Kon Rẫy", 4, units.ByParent},
		// Another district's commune of the same name is not the registered one.
		{"UBND xã Bờ Y, huyện Đăk Tô", -1, units.Unknown},
		{"UBND xã Đăk Kôi, huyện Kon Plông", -1, units.Unknown},
		{"UBND xã Đăk Tơ Lung, huyện Kon Plông", -1, units.Unknown},
		{"Sở Tài chính", -1, units.Unknown},
	}
	for _, tc := range tests {
		m := r.Match(tc.name, "")
		if m.Unit != tc.unit || m.How != tc.how {
			t.Errorf("Match(%q) = %+v, want unit %d by %d", tc.name, m, tc.unit, tc.how)
		}
	}
}

func TestSuggest(t *testing.T) {
	r := sample(t)
	tests := []struct {
		name string
		want string // "" for no suggestion
	}{
		{"Sở Nôi vụ", ""},                // diacritics fold away: a match, not a suggestion
		{"Sở Nọi vu", ""},                // likewise
		{"So Noi vuu", "Sở Nội vụ"},      // one edit
		{"Xã Nghĩa Tà", ""},              // a match
		{"Xã Nghĩa Tá A", "Xã Nghĩa Tá"}, // one edit in a short name
		{"Xã Nghĩa Hà", "Xã Nghĩa Tá"},   // one edit
		{"Xã Nghĩa Hòa", ""},             // two edits in a short name: another commune
		{"Sở Lao động Thương binh Xã hội", "Sở Lao động - Thương binh và Xã hội"}, // "va" missing: two edits in 27 letters
		{"Sở Lao động, Thương binh và Xã hội tỉnh", ""},                           // four letters more
		{"UBND xã Đăk Kôi, huyện Kon Plông", "Xã Đăk Kôi"},                        // its unit alone matches
		{"UBND xã Bờ Y, huyện Đăk Tô", "Xã Bờ Y, huyện Ngọc Hồi"},                 // by the alias "Xã Bờ Y"
		{"Trường Chính trị tỉnh", ""},                                             // far from everything
		{"", ""},
	}
	for _, tc := range tests {
		m := r.Match(tc.name, "")
		if m.Unit >= 0 {
			if tc.want != "" {
				t.Errorf("Match(%q) = unit %q, want unknown", tc.name, r.Name(m.Unit))
			}
			continue
		}
		got := ""
		if m.Suggestion >= 0 {
			got = r.Name(m.Suggestion)
		}
		if got != tc.want {
			t.Errorf("suggestion for %q = %q, want %q", tc.name, got, tc.want)
		}
	}
}

func TestMaxEdits(t *testing.T) {
	for key, want := range map[string]int{"xaxop": 1, "xadakkoi": 1, "xanghiatahuyen": 1, "xadaktolunghuyenkonray": 2,
		"solaodongthuongbinhvaxahoi": 3, "solaodongthuongbinhvaxahoitinhkontum": 3} {
		if got := units.MaxEdits(key); got != want {
			t.Errorf("MaxEdits(%q) = %d, want %d", key, got, want)
		}
	}
}

func TestNewConflicts(t *testing.T) {
	_, cs := units.New([]units.Entry{
		{Name: "UBND xã Nghĩa Tá"},                               // 0
		{Name: "Xã Nghĩa Tá"},                                    // 1: the same unit folded
		{Name: "Xã Yên Mỹ", Aliases: []string{"", "Nghĩa Tá"}},   // 2: an empty alias; "Nghĩa Tá" is new
		{Name: "Xã Bằng Lãng", Aliases: []string{"xa nghia ta"}}, // 3: alias of unit 0
		{Name: "Xã A", Parent: "Xã B"},                           // 4
		{Name: "Xã B", Parent: "Xã A"},                           // 5: closes a loop
		{Name: "Xã C", Parent: "Xã C"},                           // 6: its own parent
		{Name: "Xã D", Parent: "Xã Yen Mi"},                      // 7: unknown, one edit from Xã Yên Mỹ
		{Name: "Xã E", Parent: "Sở Nội vụ"},                      // 8: unknown, nothing close
	})
	want := []units.Conflict{
		{Kind: units.Duplicate, Unit: 1, Alias: -1, Other: 0, OtherAlias: -1, Suggestion: -1},
		{Kind: units.EmptyName, Unit: 2, Alias: 0, Other: -1, OtherAlias: -1, Suggestion: -1},
		{Kind: units.Duplicate, Unit: 3, Alias: 0, Other: 0, OtherAlias: -1, Suggestion: -1},
		{Kind: units.UnknownParent, Unit: 7, Alias: -1, Other: -1, OtherAlias: -1, Suggestion: 2},
		{Kind: units.UnknownParent, Unit: 8, Alias: -1, Other: -1, OtherAlias: -1, Suggestion: -1},
		{Kind: units.Cycle, Unit: 4, Alias: -1, Other: 5, OtherAlias: -1, Suggestion: -1},
		{Kind: units.Cycle, Unit: 6, Alias: -1, Other: 6, OtherAlias: -1, Suggestion: -1},
	}
	if !slices.Equal(cs, want) {
		t.Errorf("conflicts:\n got %+v\nwant %+v", cs, want)
	}
}

func TestEmptyRegistry(t *testing.T) {
	var r *units.Registry
	if m := r.Match("Sở Nội vụ", ""); m.Unit != -1 || m.Suggestion != -1 {
		t.Errorf("nil registry: %+v", m)
	}
	r, _ = units.New(nil)
	if m := r.Match("Sở Nội vụ", ""); m.Unit != -1 || m.Suggestion != -1 {
		t.Errorf("empty registry: %+v", m)
	}
}

// Before 2025 one province had communes of one name in several districts, each
// district a group: the registry holds both, and a file's group says which it means.
func TestMatchByGroup(t *testing.T) {
	r, cs := units.New([]units.Entry{
		{Name: "UBND huyện Chợ Đồn", Group: "cho-don"},                             // 0
		{Name: "UBND huyện Bạch Thông", Group: "bach-thong"},                       // 1
		{Name: "Xã Tân Lập", Parent: "UBND huyện Chợ Đồn", Group: "cho-don"},       // 2
		{Name: "Xã Tân Lập", Parent: "UBND huyện Bạch Thông", Group: "bach-thong"}, // 3
		{Name: "Xã Tân Lập", Group: "cho-don"},                                     // 4: twice in one group
	})
	want := []units.Conflict{{Kind: units.Duplicate, Unit: 4, Alias: -1, Other: 2, OtherAlias: -1, Suggestion: -1}}
	if !slices.Equal(cs, want) {
		t.Errorf("conflicts = %+v, want %+v", cs, want)
	}
	for _, tc := range []struct {
		name, group string
		unit        int
	}{
		{"UBND xã Tân Lập", "cho-don", 2},
		{"UBND xã Tân Lập", "bach-thong", 3},
		{"UBND xã Tân Lập", "kon-tum/dai-hoc", -1},                  // a class list: which Tân Lập is not known
		{"UBND xã Tân Lập, huyện Bạch Thông", "kon-tum/dai-hoc", 3}, // its district says which
		{"UBND xã Tân Lập - Chợ Đồn", "kon-tum/dai-hoc", 2},
		{"UBND huyện Chợ Đồn", "kon-tum/dai-hoc", 0}, // one unit of that name: whatever the group
	} {
		if m := r.Match(tc.name, tc.group); m.Unit != tc.unit {
			t.Errorf("Match(%q, %q) = %+v, want unit %d", tc.name, tc.group, m, tc.unit)
		}
	}
	if p := r.Parent(3); p != 1 {
		t.Errorf("parent of Bạch Thông's Tân Lập = %d, want 1", p)
	}
}

// On the samples' unit names (summary.json as counted today), Merge joins the 15
// communes of the Kon Tum class list written with the former district both ways, and
// nothing else: 246 units become 231.
func TestMergeSamples(t *testing.T) {
	byGroup := map[string][]string{}
	var groups []string
	for _, u := range sampleUnits(t) {
		if byGroup[u.Group] == nil {
			groups = append(groups, u.Group)
		}
		byGroup[u.Group] = append(byGroup[u.Group], u.Unit)
	}
	total, merged := 0, map[string]string{}
	for _, g := range groups {
		names := byGroup[g]
		for i, j := range units.Merge(names) {
			if i == j {
				total++
			} else {
				merged[names[i]] = names[j]
			}
		}
	}
	if total != 266 || len(merged) != 15 {
		t.Errorf("%d units after merging %d names, want 266 after 15: %q", total, len(merged), merged)
	}
	if got := merged["UBND xã Đăk Kôi - Kon Rẫy"]; got != "UBND xã Đăk Kôi, huyện Kon Rẫy" {
		t.Errorf("UBND xã Đăk Kôi - Kon Rẫy merged into %q", got)
	}
	for _, n := range []string{"UBND xã Bờ Y, huyện Đăk Tô", "UBND xã Bờ Y, huyện Ngọc Hồi"} {
		if to, ok := merged[n]; ok {
			t.Errorf("%q merged into %q", n, to)
		}
	}
}

func TestMatchAmbiguous(t *testing.T) {
	r, _ := units.New([]units.Entry{
		{Name: "Xã Tân Lập", Group: "cho-don"},
		{Name: "Xã Tân Lập", Group: "bach-thong"},
	})
	m := r.Match("UBND xã Tân Lập", "kon-tum/dai-hoc")
	if m.Unit != -1 || m.Suggestion != -1 || !slices.Equal(m.Ambiguous, []int{0, 1}) {
		t.Errorf("Match from a third group = %+v, want ambiguous between 0 and 1", m)
	}
}

// BenchmarkSuggest measures the worst case of matching: a name no unit has, against a
// registry of a province's 2,000 units (suggestions are computed once per unknown
// name, not per person).
func BenchmarkSuggest(b *testing.B) {
	entries := make([]units.Entry, 2000)
	for i := range entries {
		entries[i] = units.Entry{Name: fmt.Sprintf("UBND xã Đăk Tơ Lung %d, huyện Kon Rẫy", i), Aliases: []string{fmt.Sprintf("Xã ĐTL %d", i)}}
	}
	r, _ := units.New(entries)
	b.ReportAllocs()
	for b.Loop() {
		r.Match("Trường Trung học phổ thông Nguyễn Huệ", "")
	}
}

// Every way of writing a commune and its former district, for two communes of one
// name in two districts and for another unit of the same commune: Merge joins two
// names exactly when they are the same unit of the same district.
func TestMergeAllForms(t *testing.T) {
	type id struct{ base, place int }
	bases := []string{"UBND xã Bờ Y", "Ủy ban nhân dân xã Bờ Y", "Đảng ủy xã Bờ Y", "UBND xã Tân Lập"}
	baseUnit := []int{0, 0, 1, 2} // the first two are one unit
	places := []string{"Đăk Tô", "Ngọc Hồi"}
	forms := []string{"%s, huyện %s", "%s (huyện %s)", "%s - %s", "%s – %s", "%s, Huyện %s", "%s - huyện %s", "%s,huyện %s"}
	var names []string
	var ids []id
	for b, base := range bases {
		for p, place := range places {
			for _, f := range forms {
				names = append(names, fmt.Sprintf(f, base, place))
				ids = append(ids, id{baseUnit[b], p})
			}
		}
	}
	got := units.Merge(names)
	for i := range names {
		for j := range names {
			same := got[i] == got[j]
			if want := ids[i] == ids[j]; same != want {
				t.Errorf("%q and %q: merged %v, want %v", names[i], names[j], same, want)
			}
		}
	}
}

// Every unit the samples' summary.json counts in the roster groups is registered,
// under the group its file is in.
func TestShippedUnitsCoverSamples(t *testing.T) {
	cfg, err := schema.Load(config.FS, "config")
	if err != nil {
		t.Fatal(err)
	}
	r, n := cfg.Units.Registry(), 0
	for _, u := range sampleUnits(t) {
		if strings.HasPrefix(u.Group, "kon-tum/") {
			continue // class lists: the students' workplaces are detail, not registered
		}
		n++
		m := r.Match(u.Unit, u.Group)
		if m.Unit < 0 {
			t.Errorf("%s: %q is not registered", u.Group, u.Unit)
		} else if g := cfg.Units.Units[m.Unit].Group.Value; g != u.Group {
			t.Errorf("%s: %q is registered in group %q", u.Group, u.Unit, g)
		}
	}
	if n < 70 {
		t.Errorf("checked %d units, want the 71 of cho-don, soc-trang and loi-mau", n)
	}
}

// sampleUnits are the units of the samples' summary.json as counted today (the
// report package's golden file), each with its group.
func sampleUnits(t *testing.T) []struct{ Unit, Group string } {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "report", "testdata", "samples-summary.json"))
	if err != nil {
		t.Fatal(err)
	}
	type unit struct{ Unit, Group string }
	var s struct {
		Units     []unit
		UnitCheck struct {
			Merged []struct {
				Unit, Group string
				Spellings   []string
			}
		} `json:"unit_check"`
	}
	if err := json.Unmarshal(data, &s); err != nil {
		t.Fatal(err)
	}
	// The report counts a unit written several ways once: its names as found in
	// the files are its spellings.
	spellings := map[unit][]string{}
	for _, m := range s.UnitCheck.Merged {
		spellings[unit{m.Unit, m.Group}] = m.Spellings
	}
	var out []struct{ Unit, Group string }
	for _, u := range s.Units {
		names := spellings[u]
		if names == nil {
			names = []string{u.Unit}
		}
		for _, n := range names {
			out = append(out, struct{ Unit, Group string }{n, u.Group})
		}
	}
	return out
}
