package workbook

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/richardlehane/mscfb"

	"canbo/pipeline/issue"
)

// Format sniffing looks at content only: clerks rename files freely, and "bao-cao.xls"
// is as likely to be an .xlsx, an HTML export or a password-protected workbook as a
// real Excel 97 file. The answer decides which message the clerk gets.

var (
	zipMagic   = [][]byte{[]byte("PK\x03\x04"), []byte("PK\x05\x06"), []byte("PK\x07\x08")}
	oleMagic   = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}
	textSniffN = 8 << 10
)

func isZip(head []byte) bool {
	for _, m := range zipMagic {
		if bytes.HasPrefix(head, m) {
			return true
		}
	}
	return false
}

// Bounds on what we let mscfb read while listing an OLE compound file. A real .xls or
// encrypted .xlsx needs a few kilobytes of directory; these stop a crafted directory
// chain from making the library allocate or recurse without end.
const (
	oleMaxEntries   = 10_000
	oleMaxReadBytes = 8 << 20
	oleMaxReadCalls = 200_000
)

// budgetReaderAt fails once too many bytes or calls have been spent.
type budgetReaderAt struct {
	r            io.ReaderAt
	bytes, calls int64
}

var errOLEBudget = errors.New("compound file directory too large")

func (b *budgetReaderAt) ReadAt(p []byte, off int64) (int, error) {
	b.calls++
	b.bytes += int64(len(p))
	if b.calls > oleMaxReadCalls || b.bytes > oleMaxReadBytes {
		return 0, errOLEBudget
	}
	return b.r.ReadAt(p, off)
}

// sniffOLE classifies an OLE2 compound file by its stream names: Excel 97–2003 keeps
// its data in "Workbook", Excel 5/95 in "Book", and an encrypted OOXML package
// (what Excel writes when a password is set on an .xlsx) in "EncryptionInfo" and
// "EncryptedPackage". Anything else (.doc, .msg, .ppt) is not a workbook.
func sniffOLE(src *sourceReader, size int64) (err error) {
	defer func() {
		if v := recover(); v != nil {
			err = fromPanic(v)
		}
	}()
	if err := checkOLEHeader(src, size); err != nil {
		return err
	}
	doc, err := mscfb.New(&budgetReaderAt{r: io.NewSectionReader(src, 0, size)})
	if err != nil {
		if f := src.failure(); f != nil {
			return newError(issue.ReadFailed, fmt.Errorf("compound file: %w", f))
		}
		return newError(issue.Corrupt, fmt.Errorf("compound file: %w", err))
	}
	var workbook, book bool
	for i, f := range doc.File {
		if i >= oleMaxEntries {
			break
		}
		switch f.Name {
		case "EncryptionInfo", "EncryptedPackage":
			return newError(issue.Encrypted, errors.New("password-protected workbook"))
		case "Workbook", "WORKBOOK":
			workbook = true
		case "Book", "BOOK":
			book = true
		}
	}
	switch {
	case workbook:
		return errLegacy("xls")
	case book:
		return errLegacy("xls5")
	}
	return newError(issue.NotWorkbook, errors.New("compound file without a workbook stream"))
}

// checkOLEHeader rejects header counts that could not fit in the file. mscfb sizes
// some slices from these counts before reading anything, so an unchecked 1 KB file
// could ask for gigabytes.
func checkOLEHeader(src io.ReaderAt, size int64) error {
	h := make([]byte, 512)
	if size < int64(len(h)) {
		return newError(issue.Corrupt, errors.New("compound file shorter than its header"))
	}
	if _, err := src.ReadAt(h, 0); err != nil && err != io.EOF {
		return classify(nil, "compound file", err)
	}
	shift := binary.LittleEndian.Uint16(h[30:])
	if shift != 9 && shift != 12 {
		return newError(issue.Corrupt, fmt.Errorf("compound file: illegal sector size 2^%d", shift))
	}
	sectors := uint64(size>>shift) + 1
	for _, off := range []int{40, 44, 64, 72} { // directory, FAT, mini FAT, DIFAT sector counts
		if n := uint64(binary.LittleEndian.Uint32(h[off:])); n > sectors {
			return newError(issue.Corrupt, fmt.Errorf("compound file: header claims %d sectors in a %d-sector file", n, sectors))
		}
	}
	// mscfb indexes the first directory entry without checking there is one: a
	// directory that starts at ENDOFCHAIN (or past the end) panics inside it.
	if dir := binary.LittleEndian.Uint32(h[48:]); uint64(dir) >= sectors {
		return newError(issue.Corrupt, fmt.Errorf("compound file: directory starts at sector %#x", dir))
	}
	return nil
}

// sniffText recognises the two text formats Excel can save under an .xls name: a web
// page (HTML or single-file MHTML) and SpreadsheetML 2003 XML. Other text is not a
// workbook.
func sniffText(head []byte) error {
	b := head
	switch {
	case bytes.HasPrefix(b, []byte{0xFF, 0xFE}), bytes.HasPrefix(b, []byte{0xFE, 0xFF}):
		// UTF-16: the markers we look for are ASCII, so dropping NULs is enough.
		b = bytes.ReplaceAll(b[2:], []byte{0}, nil)
	case bytes.HasPrefix(b, []byte{0xEF, 0xBB, 0xBF}):
		b = b[3:]
	}
	low := bytes.ToLower(b)
	switch {
	case bytes.Contains(low, []byte("urn:schemas-microsoft-com:office:spreadsheet")):
		return errLegacy("xml2003")
	case bytes.Contains(low, []byte("<html")), bytes.Contains(low, []byte("<table")),
		bytes.Contains(low, []byte("<!doctype html")),
		bytes.HasPrefix(bytes.TrimSpace(low), []byte("mime-version:")) && bytes.Contains(low, []byte("multipart/related")):
		return errLegacy("html")
	}
	return newError(issue.NotWorkbook, errors.New("not a spreadsheet"))
}

// isODS reports whether a zip's "mimetype" entry names an OpenDocument spreadsheet.
func isODS(mimetype []byte) bool {
	return strings.HasPrefix(strings.TrimSpace(string(mimetype)), "application/vnd.oasis.opendocument.spreadsheet")
}
