//go:build linux || darwin

package main

import (
	"runtime"
	"syscall"
	"time"
)

// peakRSS returns the process's peak resident set size, from getrusage(2).
func peakRSS() (uint64, string) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0, "getrusage: " + err.Error()
	}
	if runtime.GOOS == "darwin" {
		return uint64(ru.Maxrss), "getrusage ru_maxrss" // bytes on macOS
	}
	return uint64(ru.Maxrss) * 1024, "getrusage ru_maxrss" // KiB on Linux
}

// cpuTime returns the user and system CPU time the process has used so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
