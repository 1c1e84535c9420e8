//go:build !windows

package inbox

import (
	"errors"
	"io/fs"
	"syscall"
)

// isBusy reports a transient error: a file locked by another program, or not yet
// readable (permissions are often set after a copy finishes).
func isBusy(err error) bool {
	return errors.Is(err, fs.ErrPermission) || errors.Is(err, syscall.EBUSY) || errors.Is(err, syscall.ETXTBSY)
}

// hiddenAttr: outside Windows a hidden file is a dot file, handled by name.
func hiddenAttr(fs.FileInfo) bool { return false }
