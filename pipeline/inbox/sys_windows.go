//go:build windows

package inbox

import (
	"errors"
	"io/fs"
	"syscall"
)

// Windows error codes of a file another process holds open without sharing.
const (
	errorSharingViolation syscall.Errno = 32 // ERROR_SHARING_VIOLATION
	errorLockViolation    syscall.Errno = 33 // ERROR_LOCK_VIOLATION
	errorUserMappedFile   syscall.Errno = 1224
)

// isBusy reports a transient error: the file is open in Excel, being copied, or
// (access denied) about to be deleted or still being written to a share.
func isBusy(err error) bool {
	var errno syscall.Errno
	if errors.As(err, &errno) {
		switch errno {
		case errorSharingViolation, errorLockViolation, errorUserMappedFile:
			return true
		}
	}
	return errors.Is(err, fs.ErrPermission)
}

// hiddenAttr reports the hidden or system attribute (desktop.ini, Thumbs.db).
func hiddenAttr(info fs.FileInfo) bool {
	if d, ok := info.Sys().(*syscall.Win32FileAttributeData); ok {
		return d.FileAttributes&(syscall.FILE_ATTRIBUTE_HIDDEN|syscall.FILE_ATTRIBUTE_SYSTEM) != 0
	}
	return false
}
