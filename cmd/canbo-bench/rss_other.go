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

// cpuTime is not measured on this OS; 0 leaves it out of the report.
func cpuTime() time.Duration { return 0 }
