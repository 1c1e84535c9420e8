package inbox

import (
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"runtime"
	"strings"
)

// Why a file in the inbox is not taken.
const (
	skipLock  = "lock" // ~$Book.xlsx: Excel's owner file while the workbook is open
	skipTemp  = "temp" // .tmp, name~, Excel's save temporaries
	skipHide  = "hidden"
	skipOther = "other" // not a spreadsheet: left where it is
	skipEmpty = "empty" // 0 bytes: still being created; looked at again later
)

// workbookExt lists the extensions taken from the inbox, as ingest.Collect reads them.
var workbookExt = map[string]bool{".xlsx": true, ".xlsm": true, ".xls": true, ".xlsb": true, ".ods": true, ".xltx": true}

// IsWorkbook reports whether a file of this name is taken from the inbox (its
// extension is a spreadsheet's): the web page accepts the same names.
func IsWorkbook(name string) bool { return workbookExt[strings.ToLower(filepath.Ext(name))] }

// skipFile says why a file is not a candidate, or "" when it is one. The rules are
// ingest.Collect's, plus the hidden attribute on Windows and empty files.
func skipFile(name string, info fs.FileInfo) string {
	lower := strings.ToLower(name)
	switch {
	case strings.HasPrefix(name, "~$"):
		return skipLock
	case strings.HasSuffix(name, "~") || strings.HasSuffix(lower, ".tmp"):
		return skipTemp
	case strings.HasPrefix(name, "."):
		return skipHide
	case info != nil && hiddenAttr(info):
		return skipHide
	case !workbookExt[filepath.Ext(lower)]:
		return skipOther
	case info != nil && info.Size() == 0:
		return skipEmpty
	}
	return ""
}

// skipDirName reports whether a sub-folder of the inbox is never looked into by its
// name alone: hidden folders and feedback folders (as ingest.Collect).
func skipDirName(name string) bool {
	return strings.HasPrefix(name, ".") || strings.EqualFold(name, "phan-hoi")
}

// samePath compares two cleaned absolute paths; Windows paths ignore case.
func samePath(a, b string) bool {
	if runtime.GOOS == "windows" {
		return strings.EqualFold(a, b)
	}
	return a == b
}

// ErrBusy means the file could not be opened or read because another program holds
// it (Excel, a copy in progress): it is retried later, never rejected.
var ErrBusy = errors.New("tệp đang được chương trình khác mở hoặc đang được sao chép; sẽ thử lại")

// ErrChanged means the file changed while it was being taken: it is looked at again
// once it is stable.
var ErrChanged = errors.New("tệp thay đổi trong khi đang nhận; sẽ thử lại khi tệp ổn định")

// busyErr wraps err in ErrBusy when it is a transient sharing or permission error.
func busyErr(err error) error {
	if err != nil && isBusy(err) && !errors.Is(err, ErrBusy) {
		return fmt.Errorf("%w: %w", ErrBusy, err)
	}
	return err
}
