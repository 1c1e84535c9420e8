package summary

import (
	"bytes"
	"encoding/json"
	"io"
	"os"
	"reflect"
	"slices"
	"strconv"
	"testing"
)

// TestRatio pins the arithmetic every target rests on: thresholds read as exact
// fractions, met compared without rounding, shortfall the fewest more people needed.
// The article figures are the fixtures: 35 of 50 meets 70%; 34 of 50 misses it by 1;
// 22 of 46 misses 50% by 1; 21 of 120 misses 30% by 15.
func TestRatio(t *testing.T) {
	tests := []struct {
		threshold  string
		count, pop int
		met        bool
		shortfall  int
		share, as  float64
	}{
		{"70%", 35, 50, true, 0, 0.7, 0.7},
		{"70%", 34, 50, false, 1, 0.68, 0.7},
		{"50%", 22, 46, false, 1, 0.4783, 0.5},
		{"30%", 21, 120, false, 15, 0.175, 0.3},
		{"0,7", 7, 10, true, 0, 0.7, 0.7},
		{"0.7", 6, 10, false, 1, 0.6, 0.7},
		{"70,5%", 141, 200, true, 0, 0.705, 0.705},
		{"70,5%", 140, 200, false, 1, 0.7, 0.705},
		{"33.3333%", 1, 3, true, 0, 0.3333, 0.333333},
		{"100%", 9, 10, false, 1, 0.9, 1},
		{"70%", 0, 0, false, 0, 0, 0.7}, // no one to count: not met, nothing short
	}
	for _, tt := range tests {
		r, err := ParseRatio(tt.threshold)
		if err != nil {
			t.Fatalf("ParseRatio(%q): %v", tt.threshold, err)
		}
		if got := r.Met(tt.count, tt.pop); got != tt.met {
			t.Errorf("%s: %d/%d met = %v, want %v", tt.threshold, tt.count, tt.pop, got, tt.met)
		}
		if got := r.Shortfall(tt.count, tt.pop); got != tt.shortfall {
			t.Errorf("%s: %d/%d shortfall = %d, want %d", tt.threshold, tt.count, tt.pop, got, tt.shortfall)
		}
		if got := Share(tt.count, tt.pop); got != tt.share {
			t.Errorf("Share(%d, %d) = %v, want %v", tt.count, tt.pop, got, tt.share)
		}
		if got := r.Float(); got < tt.as-1e-6 || got > tt.as+1e-6 {
			t.Errorf("%s as float = %v", tt.threshold, got)
		}
		// Adding the shortfall meets it, and one fewer does not.
		if s := r.Shortfall(tt.count, tt.pop); s > 0 && (!r.Met(tt.count+s, tt.pop) || r.Met(tt.count+s-1, tt.pop)) {
			t.Errorf("%s: %d/%d: shortfall %d is not the least that meets it", tt.threshold, tt.count, tt.pop, s)
		}
	}
	for _, bad := range []string{"", "abc", "-10%", "120%", "1.5"} {
		if _, err := ParseRatio(bad); err == nil {
			t.Errorf("ParseRatio(%q) accepted", bad)
		}
	}
}

// TestWriteJSONIsJSON: the streamed summary.json is byte for byte the encoded one,
// for a summary with every kind of field: empty and nil lists, an omitted and a
// present optional field, text with characters HTML escaping would change, and the
// samples' whole summary.
func TestWriteJSONIsJSON(t *testing.T) {
	cases := map[string]*Summary{
		"empty": {},
		"small": {SchemaVersion: SchemaVersion, Period: "2023-09", Files: []File{{File: "a <&> b.xlsx", HeaderRows: []int{4, 5}}},
			Units: []Unit{}, Targets: nil, BelowStandard: []Person{{Name: "Lò Thị B", Missing: []Missing{{Field: "x"}}}},
			Issues: Issues{ByCode: map[string]int{"bad-date": 2}}, Previous: &Changes{Period: "2023-08"}},
	}
	if data, err := os.ReadFile("../report/testdata/samples-summary.json"); err == nil {
		var s Summary
		if err := json.Unmarshal(data, &s); err != nil {
			t.Fatal(err)
		}
		cases["samples"] = &s
	}
	cases["people"] = &Summary{BelowStandard: trickyPeople()}
	cases["people sharing texts"] = &Summary{BelowStandard: sharingPeople()}
	cases["problems"] = &Summary{Problems: trickyProblems()}
	for name, s := range cases {
		want, err := s.JSON()
		if err != nil {
			t.Fatal(err)
		}
		var got bytes.Buffer
		if err := s.WriteJSON(&got); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got.Bytes(), want) {
			g, w := got.String(), string(want)
			i := 0
			for i < len(g) && i < len(w) && g[i] == w[i] {
				i++
			}
			t.Errorf("%s: streamed JSON differs at byte %d:\n got …%q\nwant …%q", name, i, g[max(0, i-40):min(len(g), i+40)], w[max(0, i-40):min(len(w), i+40)])
		}
	}
	if _, ok := cases["samples"]; !ok {
		t.Log("../report/testdata/samples-summary.json not found: compared the small summaries only")
	}
}

// trickyProblems are problems whose every text field (by reflection, so that a field
// added to Problem is filled too) holds text JSON escapes, as trickyPeople.
func trickyProblems() []Problem {
	var out []Problem
	k := 0
	for range 9 {
		var p Problem
		v := reflect.ValueOf(&p).Elem()
		for i := 0; i < v.NumField(); i++ {
			f := v.Field(i)
			switch f.Kind() {
			case reflect.String:
				f.SetString(trickyTexts[k%len(trickyTexts)] + strconv.Itoa(k))
			case reflect.Int:
				f.SetInt(int64(len(out) % 2 * 1_048_574)) // every other one 0, omitted
			default:
				panic("summary.Problem has a field that is neither text nor a number: write it in appendProblem and fill it here")
			}
			k++
		}
		out = append(out, p)
	}
	return out
}

var trickyTexts = []string{"Lò Thị \"B\" \\ <&>", "tab\there\nnew\rline\b\f\x01\x1f\x7f", "bad \xff\xfe utf8",
	"sep \u2028 and \u2029", "", "emoji 😀 ổ", "\u00a0"}

// sharingPeople are people as read from the cache: runs of them share their texts and
// their very list of what they lack, the next run other texts, another list of the
// same length, the same list again, and a list that is part of the one before.
func sharingPeople() []Person {
	tricky := trickyPeople()
	a, b := tricky[2].Missing, tricky[3].Missing
	lists := [][]Missing{a, a, slices.Clone(a), b, b, b[:1], b[1:], nil, {}, a}
	var out []Person
	for i, ms := range lists {
		p := tricky[i%len(tricky)]
		for j := range 3 {
			p.Row, p.Missing = i*10+j, ms
			if j == 2 {
				p.Unit += "!"
			}
			out = append(out, p)
		}
	}
	return out
}

// trickyPeople are people below a standard whose every text field (found by
// reflection, so that a field added to Person or Missing is filled too) holds text
// JSON escapes: quotes, backslashes, control characters, markup, invalid UTF-8, line
// and paragraph separators; with no, an empty and several lists of what they lack.
func trickyPeople() []Person {
	texts := trickyTexts
	k := 0
	fill := func(v reflect.Value) {
		for i := 0; i < v.NumField(); i++ {
			switch f := v.Field(i); f.Kind() {
			case reflect.String:
				f.SetString(texts[k%len(texts)] + strconv.Itoa(k))
				k++
			case reflect.Int:
				f.SetInt(int64(k * 37))
				k++
			}
		}
	}
	var out []Person
	for n := range 12 {
		var p Person
		fill(reflect.ValueOf(&p).Elem())
		switch n % 4 {
		case 0:
			p.Missing = nil
		case 1:
			p.Missing = []Missing{}
		default:
			p.Missing = make([]Missing, n%4)
			for i := range p.Missing {
				fill(reflect.ValueOf(&p.Missing[i]).Elem())
			}
		}
		out = append(out, p)
	}
	return out
}

// BenchmarkWriteJSONProblems writes the problems list of a national batch with 2%
// bad values (42,000 problems).
func BenchmarkWriteJSONProblems(b *testing.B) {
	s := &Summary{Problems: make([]Problem, 42_000)}
	for i := range s.Problems {
		s.Problems[i] = Problem{Code: "unknown-value", Severity: "error", File: "UBND xã Bình Trung 001.xlsx",
			Sheet: "DS", Cell: "H" + strconv.Itoa(i), Field: "Trình độ chuyên môn", Raw: "Bằng khen",
			Message: "Giá trị “Bằng khen” không có trong danh mục Trình độ chuyên môn: hãy chọn một giá trị trong danh mục."}
	}
	for b.Loop() {
		if err := s.WriteJSON(io.Discard); err != nil {
			b.Fatal(err)
		}
	}
}

// TestCountTargets: an overall target nobody falls under is counted apart, neither
// met nor missed; per-unit targets are counted on their own; a failed target is a
// target not met.
func TestCountTargets(t *testing.T) {
	got := CountTargets([]Target{
		{ID: "a", Population: 50, Count: 35, Met: true},
		{ID: "b", Population: 46, Count: 22},
		{ID: "c"},                           // nobody it applies to
		{ID: "d", Population: 9, Failed: 2}, // could not be computed
		{ID: "a", Unit: "Huyện ủy A", Population: 20, Met: true},
		{ID: "a", Unit: "Huyện ủy B", Population: 20},
	})
	if want := (TargetCounts{Overall: 3, OverallMet: 1, Empty: 1, Unit: 2, UnitMet: 1}); got != want {
		t.Errorf("CountTargets = %+v, want %+v", got, want)
	}
}
