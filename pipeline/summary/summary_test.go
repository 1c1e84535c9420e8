package summary

import "testing"

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
