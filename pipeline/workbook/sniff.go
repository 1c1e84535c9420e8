package workbook

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"strings"

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

// budgetReaderAt fails once too many bytes or calls have been spent: by default the
// bounds above, for listing the directory; readOLEStream sets its own for the stream.
type budgetReaderAt struct {
	r                  io.ReaderAt
	bytes, calls       int64
	maxBytes, maxCalls int64 // 0: oleMaxReadBytes, oleMaxReadCalls
}

var errOLEBudget = errors.New("compound file directory too large")

func (b *budgetReaderAt) ReadAt(p []byte, off int64) (int, error) {
	b.calls++
	b.bytes += int64(len(p))
	maxBytes, maxCalls := b.maxBytes, b.maxCalls
	if maxBytes == 0 {
		maxBytes, maxCalls = oleMaxReadBytes, oleMaxReadCalls
	}
	if b.calls > maxCalls || b.bytes > maxBytes {
		return 0, errOLEBudget
	}
	return b.r.ReadAt(p, off)
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
	if biffOld(head) {
		return errLegacy("xls4")
	}
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

// biffOld reports the raw BIFF stream of Excel 2.x, 3.0 and 4.0 worksheets: not a
// compound file, it starts with a BOF record (0x0009, 0x0209, 0x0409) of 4 to 16
// bytes whose version word a real file has.
func biffOld(head []byte) bool {
	if len(head) < 8 {
		return false
	}
	id, size := int(head[0])|int(head[1])<<8, int(head[2])|int(head[3])<<8
	switch id {
	case 0x0009, 0x0209, 0x0409:
	default:
		return false
	}
	if size < 4 || size > 16 {
		return false
	}
	typ := int(head[6]) | int(head[7])<<8 // worksheet, chart, macro sheet, workspace
	return typ == 0x0010 || typ == 0x0020 || typ == 0x0040 || typ == 0x0100
}

// isODS reports whether a zip's "mimetype" entry names an OpenDocument spreadsheet.
func isODS(mimetype []byte) bool {
	return strings.HasPrefix(strings.TrimSpace(string(mimetype)), "application/vnd.oasis.opendocument.spreadsheet")
}
