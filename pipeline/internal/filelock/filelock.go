// Package filelock keeps two canbo processes from working on the same state folder
// at once (two `canbo serve`, or two deliveries from one outbox). The lock is tied to
// an open file handle, so it goes with the process: a crash never leaves it taken.
package filelock

import "errors"

// ErrLocked means another process (or another holder in this one) has the lock.
var ErrLocked = errors.New("filelock: locked")
