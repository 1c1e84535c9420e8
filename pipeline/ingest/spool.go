package ingest

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
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

// segment is where one file's records are in the spool: from off, the pieces put,
// one after the other (a segment's head, then its chunks of records).
type segment struct {
	off    int64
	pieces []int64 // their sizes
}

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
	seg := segment{off: s.off}
	for _, data := range parts {
		if _, err := s.f.WriteAt(data, s.off); err != nil {
			return segment{}, fmt.Errorf("ghi tệp tạm %s: %w", s.path, err)
		}
		s.off += int64(len(data))
		seg.pieces = append(seg.pieces, int64(len(data)))
	}
	return seg, nil
}

// reader decodes a segment back, reading its pieces one at a time into one buffer.
func (s *spool) reader(seg segment) (*normalize.SegmentReader, error) {
	off := seg.off
	var buf []byte
	read := func(i int) ([]byte, error) {
		size := seg.pieces[i]
		if int64(cap(buf)) < size {
			buf = make([]byte, size)
		}
		data := buf[:size]
		if _, err := s.f.ReadAt(data, off); err != nil {
			return nil, fmt.Errorf("đọc tệp tạm %s: %w", s.path, err)
		}
		off += size
		return data, nil
	}
	if len(seg.pieces) == 1 { // a segment put whole (a cached reading)
		data, err := read(0)
		if err != nil {
			return nil, err
		}
		return normalize.NewSegmentReader(data)
	}
	head, err := read(0)
	if err != nil {
		return nil, err
	}
	next := 1 // the string table is decoded before buf is read into again
	return normalize.NewChunkedSegmentReader(head, func() ([]byte, error) {
		if next >= len(seg.pieces) {
			return nil, nil
		}
		next++
		return read(next - 1)
	})
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
	if f.spool == nil {
		for i := range f.Records {
			if err := fn(&f.Records[i]); err != nil {
				return err
			}
		}
		return nil
	}
	d, err := f.spool.reader(f.segment)
	if err != nil {
		return fmt.Errorf("%s: %w", f.Name, err)
	}
	var r normalize.Record
	next := 0 // the index in f.over.repeats of the next repeat
	for i := 0; ; i++ {
		ok, err := d.Next(&r)
		if err != nil {
			return fmt.Errorf("%s: %w", f.Name, err)
		}
		if !ok {
			return nil
		}
		f.over.apply(&r)
		if next < len(f.over.repeats) && f.over.repeats[next] == int32(i) {
			r.NotCounted = normalize.Repeat
			next++
		}
		if err := fn(&r); err != nil {
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
}

// apply sets what the batch knows of r, but its repeat mark.
func (o *overlay) apply(r *normalize.Record) {
	r.Group, r.Path, r.File = o.group, o.path, o.name
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

// Tally counts the file's records.
func (f *File) Tally() Tally {
	if f.spool != nil {
		return f.tally
	}
	return tally(f.Records)
}
