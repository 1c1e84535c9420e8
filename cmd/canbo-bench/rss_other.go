//go:build !linux && !darwin

package main

import (
	"runtime"
	"time"
)

// peakRSS has no portable peak-RSS source here (Windows among others): it returns the
// memory the Go runtime obtained from the OS, which bounds the heap but misses what
// the process maps otherwise, and says so.
func peakRSS() (uint64, string) {
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.Sys, "runtime.MemStats.Sys: không đo được RSS đỉnh trên " + runtime.GOOS + " (no peak RSS on this OS; Go runtime memory instead)"
}

// resetPeakRSS cannot start the peak over on this OS.
func resetPeakRSS() bool { return false }

// procStatus has no /proc to read on this OS.
func procStatus(path, key string) (uint64, bool) { return 0, false }

// cpuTime is not measured on this OS; 0 leaves it out of the report.
func cpuTime() time.Duration { return 0 }
