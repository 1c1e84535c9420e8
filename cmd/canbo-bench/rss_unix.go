//go:build linux || darwin

package main

import (
	"bytes"
	"os"
	"runtime"
	"strconv"
	"syscall"
	"time"
)

// peakRSS returns the process's peak resident set size. On Linux it is VmHWM from
// /proc/self/status: the high-water mark of this process's own memory since it
// started (or since resetPeakRSS). getrusage's ru_maxrss is not used there: a child
// started by a Go program inherits the parent's peak in ru_maxrss (the kernel takes
// it from the address space the child shared until exec), so a small step measured
// after generating data would report the generator's peak. Elsewhere (macOS) it is
// ru_maxrss.
func peakRSS() (uint64, string) {
	if runtime.GOOS == "linux" {
		if v, ok := procStatus("/proc/self/status", "VmHWM:"); ok {
			return v, "VmHWM, /proc/self/status"
		}
	}
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0, "getrusage: " + err.Error()
	}
	if runtime.GOOS == "darwin" {
		return uint64(ru.Maxrss), "getrusage ru_maxrss" // bytes on macOS
	}
	return uint64(ru.Maxrss) * 1024, "getrusage ru_maxrss" // KiB on Linux
}

// resetPeakRSS starts the peak RSS over from the current RSS, so that the next
// peakRSS belongs to what follows. Only Linux can (/proc/self/clear_refs).
func resetPeakRSS() bool {
	if runtime.GOOS != "linux" {
		return false
	}
	if _, ok := procStatus("/proc/self/status", "VmHWM:"); !ok {
		return false
	}
	return os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) == nil
}

// procStatus reads one "Key:   123 kB" line of a /proc status file, in bytes.
func procStatus(path, key string) (uint64, bool) {
	data, err := os.ReadFile(path)
	if err != nil {
		return 0, false
	}
	for _, line := range bytes.Split(data, []byte("\n")) {
		if v, ok := bytes.CutPrefix(line, []byte(key)); ok {
			f := bytes.Fields(v)
			if len(f) == 0 {
				return 0, false
			}
			n, err := strconv.ParseUint(string(f[0]), 10, 64)
			if err != nil {
				return 0, false
			}
			return n * 1024, true // the kernel writes kB and means KiB
		}
	}
	return 0, false
}

// cpuTime returns the user and system CPU time the process has used so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
