package outfile

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
)

// Folder writes a set of files as one: everything goes into a staging folder beside
// the destination, and Publish swaps it in with two renames. A reader of the
// destination sees the whole previous set or the whole new one, never a mix; a run
// killed half way leaves the previous set in place, and the next Folder for the same
// destination removes what it left behind.
//
//	f, err := outfile.NewFolder(filepath.Join(out, "2023-09"))
//	// … write files under f.Dir() …
//	err = f.Publish() // or f.Abort()
type Folder struct {
	dest, staging string
	done          bool
}

// Staging and old folders are named after the destination: ".2023-09.partial-123",
// ".2023-09.old-456", in the destination's parent.
func stagingPattern(dest string) string { return "." + filepath.Base(dest) + ".partial-" }
func oldPattern(dest string) string     { return "." + filepath.Base(dest) + ".old-" }

// NewFolder prepares a staging folder for dest, after removing the staging and old
// folders an earlier run for dest left behind (a killed run, a full disk) and the
// temporary files Write left in dest itself.
func NewFolder(dest string) (*Folder, error) {
	parent := filepath.Dir(dest)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return nil, Explain(fmt.Errorf("tạo thư mục %s: %w", parent, err))
	}
	CleanLeftovers(dest)
	staging, err := os.MkdirTemp(parent, stagingPattern(dest)+"*")
	if err != nil {
		return nil, Explain(fmt.Errorf("ghi vào thư mục %s: %w", parent, err))
	}
	// MkdirTemp makes a private folder (0700); published, it is the period's report
	// folder, which leadership may read over a share: open it as any other folder.
	if err := os.Chmod(staging, 0o755); err != nil {
		_ = os.RemoveAll(staging)
		return nil, Explain(fmt.Errorf("ghi vào thư mục %s: %w", parent, err))
	}
	return &Folder{dest: dest, staging: staging}, nil
}

// Dir is the staging folder to write into.
func (f *Folder) Dir() string { return f.staging }

// Final returns where a path under Dir will be once published.
func (f *Folder) Final(path string) string {
	rel, err := filepath.Rel(f.staging, path)
	if err != nil || strings.HasPrefix(rel, "..") {
		return path
	}
	return filepath.Join(f.dest, rel)
}

// Publish swaps the staging folder in for the destination. The previous set is
// renamed aside first and removed once the new one is in place; if the second rename
// fails (on Windows, a file of the destination is open), the previous set is put
// back and the error says which folder could not be replaced.
func (f *Folder) Publish() error {
	if f.done {
		return errors.New("outfile: folder already published or aborted")
	}
	f.done = true
	if err := SyncDir(f.staging); err != nil {
		f.remove()
		return Explain(err)
	}
	var old string
	if _, err := os.Lstat(f.dest); err == nil {
		o, err := os.MkdirTemp(filepath.Dir(f.dest), oldPattern(f.dest)+"*")
		if err != nil {
			f.remove()
			return Explain(err)
		}
		if err := os.Remove(o); err != nil { // only its unique name was wanted
			f.remove()
			return Explain(err)
		}
		if err := os.Rename(f.dest, o); err != nil {
			f.remove()
			return Explain(fmt.Errorf("thay thư mục %s: %w", f.dest, err))
		}
		old = o
	}
	if err := os.Rename(f.staging, f.dest); err != nil {
		if old != "" {
			_ = os.Rename(old, f.dest)
		}
		f.remove()
		return Explain(fmt.Errorf("thay thư mục %s: %w", f.dest, err))
	}
	_ = SyncDir(filepath.Dir(f.dest))
	if old != "" {
		_ = os.RemoveAll(old)
	}
	return nil
}

// Abort removes the staging folder; the destination is left as it was.
func (f *Folder) Abort() {
	if !f.done {
		f.done = true
		f.remove()
	}
}

func (f *Folder) remove() { _ = os.RemoveAll(f.staging) }

// CleanLeftovers removes what interrupted writes left for dest: staging and old
// folders beside it, and Write's temporary files inside it (".name.tmp-123"). Nothing
// else is touched.
func CleanLeftovers(dest string) {
	parent := filepath.Dir(dest)
	entries, err := os.ReadDir(parent)
	if err == nil {
		for _, e := range entries {
			n := e.Name()
			if e.IsDir() && (strings.HasPrefix(n, stagingPattern(dest)) || strings.HasPrefix(n, oldPattern(dest))) {
				_ = os.RemoveAll(filepath.Join(parent, n))
			}
		}
	}
	_ = filepath.WalkDir(dest, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		if !d.IsDir() && isTemp(d.Name()) {
			_ = os.Remove(p)
		}
		return nil
	})
}

// isTemp reports a temporary file of Write: ".<name>.tmp-<digits>".
func isTemp(name string) bool {
	if !strings.HasPrefix(name, ".") {
		return false
	}
	i := strings.LastIndex(name, ".tmp-")
	if i <= 0 {
		return false
	}
	for _, r := range name[i+len(".tmp-"):] {
		if r < '0' || r > '9' {
			return false
		}
	}
	return len(name) > i+len(".tmp-")
}

// CheckWritable makes sure dir exists and takes a file, before any work is done, so
// an unwritable or full output folder is found at once, not after reading every input.
func CheckWritable(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return Explain(fmt.Errorf("tạo thư mục %s: %w", dir, err))
	}
	f, err := os.CreateTemp(dir, ".canbo-check-*")
	if err != nil {
		return Explain(fmt.Errorf("ghi vào thư mục %s: %w", dir, err))
	}
	name := f.Name()
	_, werr := f.Write(make([]byte, 64<<10)) // a little room, so a full disk shows now
	cerr := f.Close()
	_ = os.Remove(name)
	if werr != nil {
		return Explain(fmt.Errorf("ghi vào thư mục %s: %w", dir, werr))
	}
	if cerr != nil {
		return Explain(fmt.Errorf("ghi vào thư mục %s: %w", dir, cerr))
	}
	return nil
}

// Explain adds to a write error what a person should do, in Vietnamese: a full disk,
// a folder without write permission, a path that is a file.
func Explain(err error) error {
	if err == nil {
		return nil
	}
	hint := ""
	switch {
	case diskFull(err):
		hint = "ổ đĩa đã đầy: hãy xóa bớt tệp hoặc chọn thư mục khác (--out), rồi chạy lại"
	case errors.Is(err, fs.ErrPermission):
		hint = "không có quyền ghi vào thư mục này: hãy chọn thư mục khác (--out) hoặc nhờ quản trị máy cấp quyền, rồi chạy lại"
	case errors.Is(err, syscall.ENOTDIR):
		hint = "đường dẫn là một tệp, không phải thư mục: hãy chọn thư mục khác (--out)"
	case errors.Is(err, fs.ErrNotExist):
		hint = "không tạo được thư mục: ổ đĩa hoặc thư mục chia sẻ chứa nó không có hoặc chưa kết nối; hãy kiểm tra đường dẫn (--out)"
	case errors.Is(err, syscall.EROFS):
		hint = "ổ đĩa này chỉ cho đọc: hãy chọn thư mục khác (--out)"
	default:
		return err
	}
	return &explained{err: err, hint: hint}
}

type explained struct {
	err  error
	hint string
}

func (e *explained) Error() string { return e.hint + " (" + e.err.Error() + ")" }
func (e *explained) Unwrap() error { return e.err }
