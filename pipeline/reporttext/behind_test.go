package reporttext_test

import (
	"slices"
	"testing"

	"canbo/pipeline/document/doctest"
)

// TestUnitsBehind: the sentences a page shows of the units far behind are the
// assessment's own, and only those.
func TestUnitsBehind(t *testing.T) {
	cfg, txt := doctest.Load(t)
	s := assessed()
	got, err := txt.UnitsBehind(s)
	if err != nil {
		t.Fatal(err)
	}
	want := "Còn xa chỉ tiêu “Lãnh đạo cấp phòng có trình độ sau đại học” (30%): Huyện ủy A mới đạt 5,00%, còn thiếu 5 người; Huyện ủy B mới đạt 10,00%, còn thiếu 4 người."
	if len(got) != 1 || got[0] != want {
		t.Fatalf("UnitsBehind: %q", got)
	}
	sec, err := txt.Sections(s, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(sec.Assessment, got[0]) {
		t.Errorf("the assessment does not say %q", got[0])
	}
}
