//go:build !windows

package outfile

import (
	"errors"
	"syscall"
)

// diskFull reports a write that failed for want of room.
func diskFull(err error) bool {
	return errors.Is(err, syscall.ENOSPC) || errors.Is(err, syscall.EDQUOT)
}
