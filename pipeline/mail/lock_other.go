//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly || windows)

package mail

// lockFile on systems without a file lock canbo knows: only the in-process lock
// guards the outbox, so do not run two canbo processes on one state folder there.
func lockFile(string) (unlock func(), err error) {
	return func() {}, nil
}
