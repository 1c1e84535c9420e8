package outfile

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"syscall"
)

// maxTempPrefix bounds the part of the destination's name reused in the temporary
// file's name, so that a destination whose name is already close to the file system's
// 255-byte limit still gets a valid temporary name.
const maxTempPrefix = 96

// Write creates path atomically: it writes to a temporary file in the same directory,
// fsyncs it, renames it over path, then fsyncs the directory (where the OS allows;
// skipped on Windows). A reader never sees a half-written file; on any error
// (including the write callback's) the temporary file is removed and an existing
// file at path is left untouched.
//
// Parent directories are created as needed (mode 0o755 before umask). perm is set
// on the new file exactly, not filtered through the umask, because the file is
// created under a temporary name first. If path is a symbolic link, the link itself
// is replaced, not its target.
//
// The writer passed to write is buffered; write must not keep it after returning.
// If only the final directory sync fails, the new content is already in place at
// path but may not survive a power cut; the returned error says so.
func Write(path string, perm os.FileMode, write func(w io.Writer) error) (err error) {
	if path == "" {
		return errors.New("outfile: empty path")
	}
	if write == nil {
		return fmt.Errorf("outfile: write %s: nil write function", path)
	}
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	if base == "" {
		return fmt.Errorf("outfile: write %s: path names a directory", path)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("outfile: write %s: create directory: %w", path, err)
	}

	prefix := base
	if len(prefix) > maxTempPrefix {
		prefix = prefix[:maxTempPrefix]
	}
	tmp, err := os.CreateTemp(dir, "."+prefix+".tmp-*")
	if err != nil {
		return fmt.Errorf("outfile: write %s: create temporary file: %w", path, err)
	}
	tmpName := tmp.Name()
	closed, renamed := false, false
	defer func() {
		// Runs on errors and on a panic in write: the destination was never touched,
		// so removing the temporary file restores the state before the call.
		if !closed {
			_ = tmp.Close()
		}
		if !renamed {
			_ = os.Remove(tmpName)
		}
	}()

	bw := bufio.NewWriterSize(tmp, 64<<10)
	if err := write(bw); err != nil {
		return fmt.Errorf("outfile: write %s: %w", path, err)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("outfile: write %s: %w", path, err)
	}
	if err := tmp.Chmod(perm); err != nil {
		return fmt.Errorf("outfile: write %s: set permissions: %w", path, err)
	}
	if err := tmp.Sync(); err != nil {
		return fmt.Errorf("outfile: write %s: sync: %w", path, err)
	}
	closed = true
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("outfile: write %s: close: %w", path, err)
	}
	if err := os.Rename(tmpName, path); err != nil {
		return fmt.Errorf("outfile: write %s: rename: %w", path, err)
	}
	renamed = true
	if err := SyncDir(dir); err != nil {
		return fmt.Errorf("outfile: write %s: written, but syncing directory %s failed: %w", path, dir, err)
	}
	return nil
}

// WriteBytes is Write for content already in memory.
func WriteBytes(path string, data []byte, perm os.FileMode) error {
	return Write(path, perm, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
}

// SyncDir makes a rename in dir durable. Windows cannot open a directory for
// syncing (and NTFS journals the rename itself), and some file systems (certain
// network and FUSE mounts) refuse fsync on a directory: both are treated as
// "nothing more can be done", not as failures.
func SyncDir(dir string) error {
	if runtime.GOOS == "windows" {
		return nil
	}
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = d.Sync()
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	if errors.Is(err, syscall.EINVAL) || errors.Is(err, syscall.ENOTSUP) || errors.Is(err, syscall.EBADF) {
		return nil
	}
	return err
}
