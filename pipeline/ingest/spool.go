package ingest

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sync"
	"time"

	"canbo/pipeline/normalize"
)

// spool keeps the records of the files already read in one temporary file while the
// rest are read, so that reading a batch costs memory for the files in hand, not for
// every person of every file (Options.Spool). Each file's records are one
// normalize.Segment; the counting stage decodes them back one record at a time
// (File.Scan). Files are added by one goroutine and read by many.
type spool struct {
	f        *os.File
	mu       sync.Mutex // guards off and writes
	off      int64
	path     string
	unlinked bool // removed from its folder already: gone when closed
}

// segment is where one file's records are in the spool: its pieces, in order. A
// segment put whole (a cached reading) is one piece; else the first is its head
// (normalize.SegmentWriter.Head) and the others its chunks of records, those a large
// file spilled while it was read (writer) wherever they were put.
type segment struct {
	pieces []piece
}

// piece is a stretch of the spool.
type piece struct{ off, size int64 }

// newSpool creates the temporary file in dir ("" = the system's temporary folder).
// It holds everyone's records in clear, so it must not outlive the run, even a run
// killed halfway: where the system allows it (not Windows) the file is unlinked at
// once and lives only as long as it is open; on Windows, spools left by killed runs
// more than a day old are removed when the next one starts.
func newSpool(dir string) (*spool, error) {
	if dir == "" {
		dir = os.TempDir()
	}
	if runtime.GOOS == "windows" {
		sweepSpools(dir, time.Now().Add(-24*time.Hour))
	}
	f, err := os.CreateTemp(dir, spoolPattern)
	if err != nil {
		return nil, fmt.Errorf("không tạo được tệp tạm để đọc (%w): hãy kiểm tra thư mục tạm còn chỗ trống", err)
	}
	s := &spool{f: f, path: f.Name()}
	if runtime.GOOS != "windows" && os.Remove(s.path) == nil {
		s.unlinked = true
	}
	return s, nil
}

// spoolPattern names spool files, for os.CreateTemp and for sweepSpools.
const spoolPattern = "canbo-*.spool"

// sweepSpools removes spool files in dir last written before cutoff. A spool still
// open by a running canbo cannot be removed on Windows, so a mistaken age costs
// nothing.
func sweepSpools(dir string, cutoff time.Time) {
	old, _ := filepath.Glob(filepath.Join(dir, spoolPattern))
	for _, p := range old {
		if st, err := os.Stat(p); err == nil && st.ModTime().Before(cutoff) {
			_ = os.Remove(p)
		}
	}
}

// put appends a segment, given in parts written one after the other (a segment's
// head and body, not joined in memory first).
func (s *spool) put(parts ...[]byte) (segment, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var seg segment
	for _, data := range parts {
		if len(data) == 0 {
			continue
		}
		if _, err := s.f.WriteAt(data, s.off); err != nil {
			return segment{}, fmt.Errorf("ghi tệp tạm %s: %w", s.path, err)
		}
		seg.pieces = append(seg.pieces, piece{s.off, int64(len(data))})
		s.off += int64(len(data))
	}
	return seg, nil
}

// read reads a piece back into *buf, growing it as needed.
func (s *spool) read(p piece, buf *[]byte) ([]byte, error) {
	if int64(cap(*buf)) < p.size {
		*buf = make([]byte, p.size)
	}
	data := (*buf)[:p.size]
	if _, err := s.f.ReadAt(data, p.off); err != nil {
		return nil, fmt.Errorf("đọc tệp tạm %s: %w", s.path, err)
	}
	return data, nil
}

// reader decodes a segment back, reading its pieces one at a time into one buffer.
func (s *spool) reader(seg segment) (*normalize.SegmentReader, error) {
	var buf []byte
	if len(seg.pieces) <= 1 { // a segment put whole (a cached reading)
		var data []byte
		if len(seg.pieces) == 1 {
			var err error
			if data, err = s.read(seg.pieces[0], &buf); err != nil {
				return nil, err
			}
		}
		return normalize.NewSegmentReader(data)
	}
	head, err := s.read(seg.pieces[0], &buf)
	if err != nil {
		return nil, err
	}
	rest := seg.pieces[1:] // the string table is decoded before buf is read into again
	return normalize.NewChunkedSegmentReader(head, func() ([]byte, error) {
		if len(rest) == 0 {
			return nil, nil
		}
		p := rest[0]
		rest = rest[1:]
		return s.read(p, &buf)
	})
}

// spillAfter is how many bytes of a file's records stay in memory while it is read
// before they spill to the batch's spool: more than a list of 50,000 people takes, so
// only a file far larger than any unit's pays for the disk. A quarter of
// Options.MaxRecordMemory when that is less.
const spillAfter = 8 << 20

// writer is a file's segment being written as it is read (File.enc), with the chunks
// of records it spilled to the batch's spool, when it has one: a sheet of a million
// rows holds spillAfter bytes of records in memory, the rest on disk.
type writer struct {
	*normalize.SegmentWriter
	sp      *spool
	keep    int64 // bytes of records kept in memory before they spill
	spilled []piece
}

// newWriter starts a segment spilling to sp (nil: none) past keep bytes of records.
func newWriter(sp *spool, keep int64) *writer {
	w := &writer{SegmentWriter: normalize.NewSegmentWriter(), sp: sp, keep: keep}
	if sp != nil {
		w.SpillTo(keep, func(chunk []byte) error {
			seg, err := sp.put(chunk)
			w.spilled = append(w.spilled, seg.pieces...)
			return err
		})
	}
	return w
}

// reader decodes the records written so far, those spilled included.
func (w *writer) reader() (*normalize.SegmentReader, error) {
	if !w.Spilled() {
		return w.Reader(), nil
	}
	if err := w.Err(); err != nil {
		return nil, err
	}
	spilled, mem := w.spilled, w.Body()
	var buf []byte
	return normalize.NewChunkedSegmentReader(w.Head(), func() ([]byte, error) {
		if len(spilled) > 0 {
			p := spilled[0]
			spilled = spilled[1:]
			return w.sp.read(p, &buf)
		}
		for len(mem) > 0 {
			c := mem[0]
			mem = mem[1:]
			if len(c) > 0 {
				return c, nil
			}
		}
		return nil, nil
	})
}

// spoolTo puts the segment in sp: its head and the records still in memory, after
// the pieces spilled there already.
func (w *writer) spoolTo(sp *spool) (segment, error) {
	if err := w.Err(); err != nil {
		return segment{}, err
	}
	head, err := sp.put(w.Head())
	if err != nil {
		return segment{}, err
	}
	if w.Spilled() && sp != w.sp {
		return segment{}, fmt.Errorf("ghi tệp tạm %s: bản ghi đã tràn sang một tệp tạm khác", sp.path)
	}
	mem, err := sp.put(w.Body()...)
	if err != nil {
		return segment{}, err
	}
	return segment{pieces: append(append(head.pieces, w.spilled...), mem.pieces...)}, nil
}

// close removes the temporary file.
func (s *spool) close() error {
	err := s.f.Close()
	if s.unlinked {
		return err
	}
	if rerr := os.Remove(s.path); err == nil {
		err = rerr
	}
	return err
}

// Scan calls fn with each record of the file, in sheet and row order, whether the
// records are in memory (File.Records) or were spooled (Options.Spool). The record
// given to fn is reused for the next: fn copies what it keeps. fn's error stops the
// scan and is returned.
func (f *File) Scan(fn func(*normalize.Record) error) error {
	if !f.onDisk() {
		for i := range f.Records {
			if err := fn(&f.Records[i]); err != nil {
				return err
			}
		}
		return nil
	}
	d, err := f.diskReader()
	if err != nil {
		return err
	}
	next := 0 // the index in f.over.repeats of the next repeat
	return each(d, f.Name, func(i int, r *normalize.Record) error {
		f.over.apply(r)
		if next < len(f.over.repeats) && f.over.repeats[next] == int32(i) {
			r.NotCounted = normalize.Repeat
			next++
		}
		return fn(r)
	})
}

// each calls fn with each record d decodes and its index, reusing one record, until
// the end, a damaged record (said to be file's) or fn's error.
func each(d *normalize.SegmentReader, file string, fn func(i int, r *normalize.Record) error) error {
	var r normalize.Record
	for i := 0; ; i++ {
		ok, err := d.Next(&r)
		if err != nil {
			return fmt.Errorf("%s: %w", file, err)
		}
		if !ok {
			return nil
		}
		if err := fn(i, &r); err != nil {
			return err
		}
	}
}

// overlay is what reading a batch adds to a file's records once the file is read:
// where it sits and the name it is shown by, the unit written as a value, and which
// records repeat a person listed before. A spooled file keeps its records as reading
// made them (the very bytes the cache keeps) and Scan applies the overlay to each.
type overlay struct {
	group, path, name string
	unit              int     // the unit field's index, -1 when the schema has none
	repeats           []int32 // records that repeat a person listed before, in order
	// other are the datasets whose records the batch does not count in this file
	// (Options.Datasets), nil for most files.
	other []string
}

// apply sets what the batch knows of r, but its repeat mark.
func (o *overlay) apply(r *normalize.Record) {
	r.Group, r.Path, r.File = o.group, o.path, o.name
	if o.other != nil && r.NotCounted == "" && slices.Contains(o.other, r.Dataset) {
		r.NotCounted = normalize.Newer
	}
	if o.unit >= 0 && o.unit < len(r.Values) && !r.Values[o.unit].Set && r.Unit != "" {
		// The unit came from the title block, a group row or the file name: rules that
		// select by unit ("đơn vị cấp xã") see it as if written in a column.
		r.Values[o.unit] = normalize.Value{Set: true, Text: r.Unit}
	}
}

// Tally is how many records of a file count, were listed as leavers, or repeat a
// person listed before, by dataset.
type Tally struct {
	Counted map[string]int // dataset → records that count
	Left    int
	Repeats int
	// FirstUnit is the unit of the file's first record, whether it counts or not:
	// the file's unit when no sheet names one.
	FirstUnit string
}

// Rows is the number of records that count, of any dataset.
func (t Tally) Rows() int {
	n := 0
	for _, c := range t.Counted {
		n += c
	}
	return n
}

// tally counts f's records in memory.
func tally(recs []normalize.Record) Tally {
	t := Tally{Counted: map[string]int{}}
	for i := range recs {
		t.add(i, &recs[i])
	}
	return t
}

// add counts the file's i-th record r.
func (t *Tally) add(i int, r *normalize.Record) {
	if i == 0 {
		t.FirstUnit = r.Unit
	}
	switch r.NotCounted {
	case "":
		t.Counted[r.Dataset]++
	case normalize.Left:
		t.Left++
	case normalize.Repeat:
		t.Repeats++
	}
}

// onDisk reports whether the file's records are kept on disk, in the spool or in
// the cache, rather than in File.Records.
func (f *File) onDisk() bool { return f.spool != nil || f.lazy != nil }

// diskReader decodes the records of a file kept on disk (onDisk).
func (f *File) diskReader() (*normalize.SegmentReader, error) {
	if f.spool == nil {
		return f.segmentReader()
	}
	d, err := f.spool.reader(f.segment)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", f.Name, err)
	}
	return d, nil
}

// Tally counts the file's records.
func (f *File) Tally() Tally {
	if f.onDisk() {
		return f.tally
	}
	return tally(f.Records)
}
