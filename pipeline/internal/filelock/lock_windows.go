//go:build windows

package filelock

import (
	"errors"
	"syscall"
)

// errorSharingViolation is ERROR_SHARING_VIOLATION: another handle has the file open.
const errorSharingViolation = syscall.Errno(32)

// Lock opens path with no sharing allowed, which Windows refuses to a second
// opener (another process or another holder in this one) until the handle is
// closed; the handle goes with the process, so a crash never leaves it taken.
func Lock(path string) (unlock func() error, err error) {
	p, err := syscall.UTF16PtrFromString(path)
	if err != nil {
		return nil, err
	}
	h, err := syscall.CreateFile(p, syscall.GENERIC_READ|syscall.GENERIC_WRITE, 0, nil,
		syscall.OPEN_ALWAYS, syscall.FILE_ATTRIBUTE_NORMAL, 0)
	if err != nil {
		if errors.Is(err, errorSharingViolation) {
			return nil, ErrLocked
		}
		return nil, err
	}
	return func() error { return syscall.CloseHandle(h) }, nil
}
