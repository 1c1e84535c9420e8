package summary

import (
	"bytes"
	"encoding/json"
	"os"
	"reflect"
	"runtime"
	"strings"
	"testing"
)

// figuresOf is the part of s ReadFigures keeps.
func figuresOf(s *Summary) *Summary {
	return &Summary{Period: s.Period, AsOf: s.AsOf, Total: s.Total, Groups: s.Groups, Units: s.Units, Targets: s.Targets}
}

// TestReadFigures: the figures read back from a written summary.json are the ones
// written, past lists whose text holds quotes, brackets and escapes (a skipper that
// lost count of them would read the later keys from the wrong place); the samples'
// whole summary too.
func TestReadFigures(t *testing.T) {
	people := trickyPeople()
	people[0].Name = `}]{["\"}` // brackets and quotes inside a skipped string
	cases := map[string]*Summary{
		"tricky": {SchemaVersion: SchemaVersion, Period: "2023-09", AsOf: "2023-09-30", BelowStandard: people, Problems: trickyProblems(),
			Total:   Unit{Unit: "Tổng", Headcount: 12, Breakdowns: map[string]map[string]int{"gioi_tinh": {"nam": 5, "nu": 7}}},
			Units:   []Unit{{Unit: `UBND xã "A" [1]`, Headcount: 12}},
			Targets: []Target{{ID: "sdh", Title: "Sau đại học {x}", Count: 3, Population: 12, Share: 0.25, Threshold: 0.3, Shortfall: 1}}},
		"empty": {},
	}
	if data, err := os.ReadFile("../report/testdata/samples-summary.json"); err == nil {
		var s Summary
		if err := json.Unmarshal(data, &s); err != nil {
			t.Fatal(err)
		}
		cases["samples"] = &s
	}
	for name, s := range cases {
		var buf bytes.Buffer
		if err := s.WriteJSON(&buf); err != nil {
			t.Fatal(err)
		}
		got, err := ReadFigures(&buf)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if want := figuresOf(s); !reflect.DeepEqual(got, want) {
			t.Errorf("%s: read\n%+v\nwant\n%+v", name, got, want)
		}
	}
}

// TestReadFiguresDamaged: a cut, mangled or foreign file is an error, never figures
// read from the wrong place.
func TestReadFiguresDamaged(t *testing.T) {
	s := &Summary{Period: "2023-09", BelowStandard: trickyPeople(), Units: []Unit{{Unit: "A", Headcount: 3}}}
	var buf bytes.Buffer
	if err := s.WriteJSON(&buf); err != nil {
		t.Fatal(err)
	}
	whole := buf.String()
	i := strings.Index(whole, `"below_standard"`)
	i += strings.IndexByte(whole[i:], '[') + 1 // just inside the list
	if i <= 0 || whole[i-1] != '[' {
		t.Fatalf("no list of people in %.200s", whole)
	}
	for name, text := range map[string]string{
		"empty":            "",
		"not an object":    `[1,2]`,
		"cut in a list":    whole[:i+40],
		"cut at the end":   whole[:len(whole)-2],
		"opener swapped":   whole[:i-1] + "{" + whole[i:],
		"no colon":         `{"period" "2023-09"}`,
		"no comma":         `{"period":"2023-09" "as_of":"2023-09-30"}`,
		"bad kept value":   `{"units":[{"unit":5}]}`,
		"value is missing": `{"period":,"as_of":"x"}`,
	} {
		if got, err := ReadFigures(strings.NewReader(text)); err == nil {
			t.Errorf("%s: read %+v, want an error", name, got)
		}
	}
}

// TestReadFiguresSkipsLists: the lists are not held; reading the figures of a
// summary whose people list is megabytes allocates a small fraction of it.
func TestReadFiguresSkipsLists(t *testing.T) {
	s := &Summary{Period: "2023-09", BelowStandard: make([]Person, 40_000)}
	for i := range s.BelowStandard {
		s.BelowStandard[i] = Person{Unit: "UBND xã Nghĩa Tá", Name: "Nguyễn Văn An", Standard: "xa_dai_hoc", File: "UBND xã Nghĩa Tá.xlsx",
			Missing: []Missing{{Field: "trinh_do_chuyen_mon", Label: "Trình độ chuyên môn", Have: "trung_cap", Need: "dai_hoc"}}}
	}
	var buf bytes.Buffer
	if err := s.WriteJSON(&buf); err != nil {
		t.Fatal(err)
	}
	size := buf.Len()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	if _, err := ReadFigures(&buf); err != nil {
		t.Fatal(err)
	}
	runtime.ReadMemStats(&after)
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > uint64(size)/20 {
		t.Errorf("reading the figures of a %d-byte summary allocated %d bytes: the list was held", size, alloc)
	}
}
