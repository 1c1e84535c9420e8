package inbox

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"unicode/utf8"

	"canbo/pipeline/textfold"
)

// hashFile returns a file's sha256 and size.
func hashFile(path string) (string, int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", 0, busyErr(err)
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	if err != nil {
		return "", n, busyErr(err)
	}
	return hex.EncodeToString(h.Sum(nil)), n, nil
}

// tempMark marks the temporary files this package (and package outfile) makes
// beside a destination: ".<name>.tmp-<random>". Open removes stale ones left by a
// crash in the archive and quarantine folders.
const tempMark = ".tmp-"

func isTempName(name string) bool {
	return strings.HasPrefix(name, ".") && strings.Contains(name, tempMark)
}

// copyTemp copies src into a new temporary file in dir, checking on the way that its
// content still has the sha256 want, and fsyncs it. It returns the temporary file's
// path; on error nothing is left behind. The copy is a real copy, never a rename, so
// that the inbox and the archive may be on different volumes and the original stays
// in the inbox until the copy is safe.
func copyTemp(dir, name, src, want string) (tmp string, err error) {
	in, err := os.Open(src)
	if err != nil {
		return "", busyErr(err)
	}
	defer in.Close()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	prefix := name
	if len(prefix) > 64 {
		prefix = truncateUTF8(prefix, 64)
	}
	out, err := os.CreateTemp(dir, "."+prefix+tempMark+"*")
	if err != nil {
		return "", err
	}
	tmp = out.Name()
	defer func() {
		if err != nil {
			out.Close()
			os.Remove(tmp)
		}
	}()
	h := sha256.New()
	if _, err := io.Copy(io.MultiWriter(out, h), in); err != nil {
		return "", busyErr(err)
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != want {
		return "", ErrChanged
	}
	if err := out.Chmod(0o644); err != nil && runtime.GOOS != "windows" {
		return "", err
	}
	if err := out.Sync(); err != nil {
		return "", fmt.Errorf("fsync %s: %w", tmp, err)
	}
	if err := out.Close(); err != nil {
		return "", err
	}
	return tmp, nil
}

// place renames the finished temporary file to a free name in its folder, made from
// base: base itself, else "stem (2).ext", "stem (3).ext"… It never replaces a file.
// The rename stays inside one folder, so it never crosses volumes.
func place(tmp, dir, base string) (string, error) {
	ext := filepath.Ext(base)
	stem := strings.TrimSuffix(base, ext)
	for i := 1; i < 1000; i++ {
		name := base
		if i > 1 {
			name = fmt.Sprintf("%s (%d)%s", stem, i, ext)
		}
		dst := filepath.Join(dir, name)
		if _, err := os.Lstat(dst); err == nil {
			continue
		} else if !errors.Is(err, os.ErrNotExist) {
			return "", err
		}
		if err := os.Rename(tmp, dst); err != nil {
			return "", err
		}
		return dst, nil
	}
	return "", fmt.Errorf("không tìm được tên trống cho %s trong %s", base, dir)
}

// SafeName turns a unit or file name into a name every file system takes, Windows
// shares included: Vietnamese letters kept (NFC), the characters Windows forbids
// (<>:"/\|?* and control characters) removed, runs of spaces made one, no trailing
// dots or spaces, reserved device names (CON, NUL, COM1…) avoided, at most 150 bytes.
// An empty result becomes fallback.
func SafeName(s, fallback string) string {
	s = textfold.Clean(s)
	var b strings.Builder
	space := false
	for _, r := range s {
		switch {
		case r < 0x20 || r == 0x7f || strings.ContainsRune(`<>:"/\|?*`, r):
			continue
		case r == ' ' || r == '\t':
			space = true
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(r)
	}
	s = truncateUTF8(b.String(), 150)
	s = strings.TrimRight(s, ". ")
	s = strings.TrimLeft(s, " ")
	if s == "" {
		return fallback
	}
	stem, _, _ := strings.Cut(s, ".")
	switch strings.ToUpper(strings.TrimSpace(stem)) {
	case "CON", "PRN", "AUX", "NUL",
		"COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9",
		"LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9":
		s = "_" + s
	}
	return s
}

// safeFileName is SafeName for a file name: the extension is kept when the name has
// to be shortened.
func safeFileName(name string) string {
	ext := filepath.Ext(name)
	if len(ext) > 10 {
		ext = ""
	}
	stem := SafeName(strings.TrimSuffix(name, ext), "tep")
	if ext != "" {
		ext = SafeName(ext, "")
	}
	return stem + ext
}

// truncateUTF8 cuts s to at most n bytes without splitting a character.
func truncateUTF8(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}
