package workbook

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"

	"canbo/pipeline/issue"
)

// Book is an open workbook. Its methods may be called from several goroutines; each
// *Rows belongs to the goroutine that uses it. The shared-string table and the styles
// are read once, when the book is opened, and shared by every sheet.
type Book struct {
	name   string
	lim    Limits
	src    *sourceReader
	closer io.Closer

	parts    map[string]*zip.File // by normalised, lower-cased name
	sheets   []sheetEntry
	date1904 bool
	sst      sharedStrings
	styles   styleTable
	format   string   // "xls" for BIFF8; "" (reported as "xlsx") for the zip formats
	xls      *xlsBook // the Workbook stream and globals of an .xls workbook

	mu       sync.Mutex
	charged  map[string]bool // parts already counted against MaxUnzipped
	unzipped int64
	closed   bool
}

type sheetEntry struct {
	info SheetInfo
	part string // zip part of the worksheet, "" when its relationship is missing
	xls  xlsSub // .xls: where the sheet's substream is
}

// maxZipEntries bounds the central directory we let archive/zip load. A large real
// workbook has a few thousand parts (sheets, drawings, images); a 200 MB file of empty
// entries would otherwise cost gigabytes of *zip.File values.
const maxZipEntries = 100_000

// Open opens the workbook at path. Errors are *Error, except that a cancelled ctx
// returns ctx.Err(). The file stays open until Close.
func Open(ctx context.Context, path string, lim Limits) (*Book, error) {
	lim = lim.withDefaults()
	base := filepath.Base(path)
	// Stat first: opening a FIFO would block, and a directory or device is no workbook.
	st, err := os.Stat(path)
	if err != nil {
		return nil, newError(issue.ReadFailed, fmt.Errorf("open %s: %w", base, err))
	}
	if !st.Mode().IsRegular() {
		return nil, newError(issue.ReadFailed, fmt.Errorf("open %s: not a regular file", base))
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, newError(issue.ReadFailed, fmt.Errorf("open %s: %w", base, err))
	}
	b, err := OpenReaderAt(ctx, f, st.Size(), base, lim)
	if err != nil {
		f.Close()
		return nil, err
	}
	b.closer = f
	return b, nil
}

// OpenReaderAt opens a workbook held in r, size bytes long; name is only used in error
// messages. r must allow concurrent ReadAt calls if sheets are read concurrently (an
// *os.File or *bytes.Reader does). Errors are *Error, except that a cancelled ctx
// returns ctx.Err().
func OpenReaderAt(ctx context.Context, r io.ReaderAt, size int64, name string, lim Limits) (b *Book, err error) {
	lim = lim.withDefaults()
	defer func() {
		if v := recover(); v != nil {
			b, err = nil, fromPanic(v)
		}
	}()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	switch {
	case size < 0:
		return nil, newError(issue.ReadFailed, fmt.Errorf("%s: negative size", name))
	case size == 0:
		return nil, newError(issue.EmptyWorkbook, fmt.Errorf("%s: empty file", name))
	case size > lim.MaxFileSize:
		return nil, errTooLarge("file", humanBytes(lim.MaxFileSize), fmt.Errorf("%s is %s", name, humanBytes(size)),
			"size", humanBytes(size))
	}
	src := &sourceReader{r: r}
	head := make([]byte, min(size, int64(textSniffN)))
	n, err := src.ReadAt(head, 0)
	if err != nil && !(err == io.EOF && n > 0) {
		return nil, classify(src, name, err)
	}
	head = head[:n]
	switch {
	case isZip(head):
		return openZip(ctx, src, size, name, lim)
	case bytes.HasPrefix(head, oleMagic):
		return openOLE(ctx, src, size, name, lim)
	}
	return nil, sniffText(head)
}

// openZip reads the package structure: relationships, workbook, styles, shared strings.
func openZip(ctx context.Context, src *sourceReader, size int64, name string, lim Limits) (*Book, error) {
	if err := checkZipEntries(src, size); err != nil {
		return nil, err
	}
	dir := &dirBudget{r: src}
	dir.left.Store(maxZipDirBytes)
	zr, err := zip.NewReader(dir, size)
	dir.off.Store(true) // from here on the reader serves part data
	if errors.Is(err, errZipDir) {
		return nil, errTooLarge("zip entries", formatCount(maxZipEntries), err)
	}
	if err != nil && !errors.Is(err, zip.ErrInsecurePath) {
		return nil, classify(src, "zip", err)
	}
	b := &Book{name: name, lim: lim, src: src, parts: make(map[string]*zip.File, len(zr.File)), charged: map[string]bool{}}
	for _, f := range zr.File {
		k := partKey(f.Name)
		if _, dup := b.parts[k]; !dup {
			b.parts[k] = f
		}
	}
	if f := b.part("mimetype"); f != nil {
		mt, err := b.readSmall(f, 256)
		if err != nil {
			return nil, err
		}
		if isODS(mt) {
			return nil, errLegacy("ods")
		}
	}
	if b.part("xl/workbook.bin") != nil {
		return nil, errLegacy("xlsb")
	}
	wbPart, err := b.officeDocument()
	if err != nil {
		return nil, err
	}
	if strings.HasSuffix(strings.ToLower(wbPart), ".bin") {
		return nil, errLegacy("xlsb")
	}
	if err := b.readWorkbook(ctx, wbPart); err != nil {
		return nil, err
	}
	return b, nil
}

// maxZipDirBytes bounds what archive/zip may read while loading the central
// directory. It reads directory records until it meets an invalid one, whatever the
// declared count says, so the count check alone does not bound it; 8 MB is room for
// maxZipEntries entries with names of a typical length.
const maxZipDirBytes = 8 << 20

var errZipDir = errors.New("zip central directory too large")

// dirBudget fails reads once the directory budget is spent, until it is switched
// off. The zip.Reader keeps it as its ReaderAt, so it must pass part data through.
type dirBudget struct {
	r    io.ReaderAt
	left atomic.Int64
	off  atomic.Bool
}

func (d *dirBudget) ReadAt(p []byte, off int64) (int, error) {
	if !d.off.Load() && d.left.Add(-int64(len(p))) < 0 {
		return 0, errZipDir
	}
	return d.r.ReadAt(p, off)
}

// checkZipEntries reads the entry count from the end-of-central-directory record (and
// its zip64 form) before archive/zip allocates one value per entry.
func checkZipEntries(src io.ReaderAt, size int64) error {
	n := min(size, 22+65535)
	tail := make([]byte, n)
	if _, err := src.ReadAt(tail, size-n); err != nil && err != io.EOF {
		return classify(nil, "zip", err)
	}
	i := bytes.LastIndex(tail, []byte("PK\x05\x06"))
	if i < 0 || len(tail)-i < 22 {
		return nil // let archive/zip produce its own error
	}
	count := uint64(binary.LittleEndian.Uint16(tail[i+10:]))
	if count == 0xFFFF && i >= 20 && bytes.Equal(tail[i-20:i-16], []byte("PK\x06\x07")) {
		off := int64(binary.LittleEndian.Uint64(tail[i-20+8:]))
		rec := make([]byte, 56)
		if off >= 0 && off+56 <= size {
			if _, err := src.ReadAt(rec, off); err == nil && bytes.Equal(rec[:4], []byte("PK\x06\x06")) {
				count = binary.LittleEndian.Uint64(rec[32:])
			}
		}
	}
	if count > maxZipEntries {
		return errTooLarge("zip entries", formatCount(maxZipEntries), fmt.Errorf("zip declares %d entries", count))
	}
	return nil
}

// partKey normalises a part name for lookup: OPC part names are case-insensitive, and
// some writers use backslashes or a leading slash.
func partKey(name string) string {
	name = strings.ReplaceAll(name, "\\", "/")
	return strings.ToLower(strings.TrimLeft(name, "/"))
}

func (b *Book) part(name string) *zip.File { return b.parts[partKey(name)] }

// readSmall reads at most max bytes of a part that does not count against the limits
// (the "mimetype" marker).
func (b *Book) readSmall(f *zip.File, max int64) ([]byte, error) {
	rc, err := f.Open()
	if err != nil {
		return nil, classify(b.src, f.Name, err)
	}
	defer rc.Close()
	data, err := io.ReadAll(io.LimitReader(rc, max))
	if err != nil {
		return nil, classify(b.src, f.Name, err)
	}
	return data, nil
}

// openPart opens a part for streaming after checking its declared uncompressed size
// against MaxPartSize and the running total against MaxUnzipped. archive/zip refuses
// to produce more bytes than declared, so the declared sizes are a real bound and a
// zip bomb is refused here, before anything is inflated. Each part is counted once
// even when it is read twice (worksheets are: once for merges, once for rows).
func (b *Book) openPart(name string) (io.ReadCloser, error) {
	f := b.part(name)
	if f == nil {
		return nil, errCorrupt("part %s is missing", name)
	}
	if f.Flags&0x1 != 0 {
		return nil, newError(issue.Encrypted, fmt.Errorf("part %s is encrypted", name))
	}
	size := f.UncompressedSize64
	if size > uint64(b.lim.MaxPartSize) {
		return nil, errTooLarge("part", humanBytes(b.lim.MaxPartSize),
			fmt.Errorf("%s declares %s uncompressed", name, humanBytes(int64(min(size, 1<<62)))), "part", name)
	}
	b.mu.Lock()
	if b.closed {
		b.mu.Unlock()
		return nil, newError(issue.ReadFailed, fmt.Errorf("%s: %w", name, os.ErrClosed))
	}
	k := partKey(name)
	if !b.charged[k] {
		b.charged[k] = true
		b.unzipped += int64(size)
	}
	total := b.unzipped
	b.mu.Unlock()
	if total > b.lim.MaxUnzipped {
		return nil, errTooLarge("unzipped", humanBytes(b.lim.MaxUnzipped),
			fmt.Errorf("parts read so far declare %s uncompressed", humanBytes(total)), "part", name)
	}
	rc, err := f.Open()
	if err != nil {
		return nil, classify(b.src, name, err)
	}
	// One byte more than declared, so archive/zip reaches its own end-of-data checks
	// (length and CRC) instead of being cut off silently.
	return readCloser{io.LimitReader(rc, int64(size)+1), rc}, nil
}

type readCloser struct {
	io.Reader
	io.Closer
}

// Close releases the file opened by Open. Rows already obtained fail with ReadFailed
// after Close. Close is idempotent.
func (b *Book) Close() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		return nil
	}
	b.closed = true
	if b.closer != nil {
		return b.closer.Close()
	}
	return nil
}

// Name is the name given to Open or OpenReaderAt (the base name for Open).
func (b *Book) Name() string { return b.name }

// Sheets lists the worksheets in workbook (tab) order. Chart sheets, dialog sheets and
// macro sheets hold no table and are left out, so Index counts worksheets only.
func (b *Book) Sheets() []SheetInfo {
	out := make([]SheetInfo, len(b.sheets))
	for i, s := range b.sheets {
		out[i] = s.info
	}
	return out
}

// Date1904 reports whether the workbook uses the 1904 date system (old Mac Excel).
// Dates are already converted with it; it is exposed for diagnostics.
func (b *Book) Date1904() bool { return b.date1904 }

// formatCount renders 5000000 as "5,000,000" for messages.
func formatCount(n int) string {
	s := fmt.Sprint(n)
	var out []byte
	for i := range s {
		if i > 0 && (len(s)-i)%3 == 0 && s[i-1] != '-' {
			out = append(out, ',')
		}
		out = append(out, s[i])
	}
	return string(out)
}
