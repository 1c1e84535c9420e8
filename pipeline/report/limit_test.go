package report

import (
	"math"
	"runtime/debug"
	"testing"
)

// TestLimitMemory: commands run under MemoryLimit and GCPercent, unless the user set
// GOMEMLIMIT or GOGC, whose value then stands.
func TestLimitMemory(t *testing.T) {
	oldLimit, oldPercent := debug.SetMemoryLimit(-1), debug.SetGCPercent(100)
	t.Cleanup(func() {
		debug.SetMemoryLimit(oldLimit)
		debug.SetGCPercent(oldPercent)
	})
	for _, tc := range []struct {
		gomemlimit, gogc string
		limit            int64
		percent          int
	}{
		{"", "", MemoryLimit, GCPercent},
		{"1GiB", "", math.MaxInt64, GCPercent},
		{"", "50", MemoryLimit, 100},
		{"1GiB", "50", math.MaxInt64, 100},
	} {
		t.Setenv("GOMEMLIMIT", tc.gomemlimit)
		t.Setenv("GOGC", tc.gogc)
		debug.SetMemoryLimit(math.MaxInt64) // what the runtime had before (the env is read at start only)
		debug.SetGCPercent(100)
		LimitMemory()
		if got := debug.SetMemoryLimit(-1); got != tc.limit {
			t.Errorf("GOMEMLIMIT=%q: limit %d, want %d", tc.gomemlimit, got, tc.limit)
		}
		if got := debug.SetGCPercent(100); got != tc.percent {
			t.Errorf("GOGC=%q: GC percent %d, want %d", tc.gogc, got, tc.percent)
		}
	}
}
