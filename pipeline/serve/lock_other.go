//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly || windows)

package serve

// lockFile on systems without a file lock canbo knows: nothing stops a second canbo
// serve on the same folders there, so do not start two.
func lockFile(string) (unlock func() error, err error) {
	return func() error { return nil }, nil
}
