// Package logfile is the log file of `canbo serve`: appended to, and rotated by size
// so that a service left running for years never fills the disk. When the file
// passes its size it becomes canbo.log.1, the older ones move up (canbo.log.2, …),
// and the oldest beyond Keep is removed.
//
// Rotation renames the file, which Windows refuses while another program holds it
// open without sharing (some log viewers do): then the log goes on in the same file
// and rotation is tried again later, rather than losing lines.
package logfile

import (
	"fmt"
	"os"
	"strconv"
	"sync"
)

// Defaults: at most 10 MiB per file and five old files, 60 MiB in all.
const (
	DefaultMaxSize = 10 << 20
	DefaultKeep    = 5
)

// File is an append-only log file that rotates itself. It is safe for concurrent use.
type File struct {
	path string
	max  int64 // rotate before a write that would take the file past this size
	keep int   // old files kept: path.1 … path.keep

	mu    sync.Mutex
	f     *os.File
	size  int64
	retry int64 // after a failed rotation: the size at which to try again
}

// Open opens (or creates) the log at path for appending. max and keep of 0 take the
// defaults.
func Open(path string, max int64, keep int) (*File, error) {
	if max <= 0 {
		max = DefaultMaxSize
	}
	if keep <= 0 {
		keep = DefaultKeep
	}
	l := &File{path: path, max: max, keep: keep}
	if err := l.open(); err != nil {
		return nil, err
	}
	return l, nil
}

func (l *File) open() error {
	f, err := os.OpenFile(l.path, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		return fmt.Errorf("mở tệp nhật ký %s: %w", l.path, err)
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return fmt.Errorf("mở tệp nhật ký %s: %w", l.path, err)
	}
	l.f, l.size = f, st.Size()
	return nil
}

// Write appends p, rotating first when p would take the file past its size. A line
// is never split between two files.
func (l *File) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.f == nil {
		return 0, os.ErrClosed
	}
	if l.size > 0 && l.size+int64(len(p)) > l.max && l.size >= l.retry {
		if err := l.rotate(); err != nil {
			// Keep logging where we are; try again after another tenth of the size.
			l.retry = l.size + l.max/10
		}
	}
	n, err := l.f.Write(p)
	l.size += int64(n)
	return n, err
}

// rotate closes the file, shifts the old ones up and starts a new, empty file. If the
// file cannot be renamed it is reopened as it was.
func (l *File) rotate() error {
	if err := l.f.Close(); err != nil {
		return err
	}
	l.f = nil
	old := func(i int) string { return l.path + "." + strconv.Itoa(i) }
	_ = os.Remove(old(l.keep))
	for i := l.keep - 1; i >= 1; i-- {
		_ = os.Rename(old(i), old(i+1)) // a missing one is simply skipped
	}
	renameErr := os.Rename(l.path, old(1))
	if err := l.open(); err != nil {
		return err
	}
	if renameErr == nil {
		l.retry = 0
	}
	return renameErr
}

// Close closes the file.
func (l *File) Close() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.f == nil {
		return nil
	}
	err := l.f.Close()
	l.f = nil
	return err
}
