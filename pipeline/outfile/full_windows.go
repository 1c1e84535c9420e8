//go:build windows

package outfile

import (
	"errors"
	"syscall"
)

// diskFull reports a write that failed for want of room: ERROR_DISK_FULL (112) and
// ERROR_HANDLE_DISK_FULL (39).
func diskFull(err error) bool {
	var errno syscall.Errno
	return errors.As(err, &errno) && (errno == 112 || errno == 39)
}
