package normalize

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"time"
)

// A Segment is the records of one file in a compact byte form, so that a batch of a
// million people need not stay in memory as Records (80 bytes per value, 27 values
// per person) between reading and counting: ingest writes each file's segment to a
// spool file once the file is read, and the counting stage decodes it back one record
// at a time.
//
// Every string (dataset, unit, sheet, codes, names) is stored once per segment in a
// table and referred to by its index, so a segment costs a few bytes per value and
// decoding allocates nothing per record: the decoded records share the table's
// strings. The table holds at most maxStrings; a string met once it is full is
// written where it is used (and decoded into a string of its own).
//
// Layout: uvarint(len(strings)), each string as uvarint(len)+bytes, uvarint(records),
// then each record as written by SegmentWriter.Add, a string as uvarint(1+index) or
// 0, uvarint(len) and its bytes.

// SegmentWriter collects records into a segment.
type SegmentWriter struct {
	index   map[string]uint64
	strings []string
	// body is the records, in chunks that each hold whole records: a segment of a
	// million rows grows by another chunk, never by copying itself into a slice twice
	// its size. full are the chunks filled, body the one being filled.
	full [][]byte
	body []byte
	rec  []byte // the record being encoded
	held int64  // bytes of the chunks in full
	n    int
	// spill takes full chunks once they pass keep bytes (SpillTo); spare is a
	// chunk spilled, for the next to reuse.
	spill   func([]byte) error
	keep    int64
	spilled bool
	spare   []byte
	err     error
	// textBytes is the length of the table's strings together.
	textBytes int64
	// own is the record's own strings (dataset, unit, group, file, path, sheet, why not
	// counted) last written, with their references: they are the same for every
	// record of a sheet, and comparing with the last is cheaper than the index's hash
	// look-up, which is most of Add's cost. ownRef 0: none yet.
	own    [7]string
	ownRef [7]uint64
}

// NewSegmentWriter returns an empty writer.
func NewSegmentWriter() *SegmentWriter {
	return &SegmentWriter{index: map[string]uint64{}}
}

// maxStrings bounds a segment's string table: a sheet of a million different people
// would otherwise hold every name and ID number in the table and its index, two
// hundred bytes a person. The values a table repeats (codes, units, dates as written)
// come first and are in it; strings met after it is full are written where they are
// used.
const maxStrings = 1 << 16

// appendStr appends a reference to s: 1 + its index in the table, adding it on first
// use while the table has room, else 0 and s itself.
func (w *SegmentWriter) appendStr(b []byte, s string) []byte {
	i, ok := w.index[s]
	if !ok {
		if len(w.strings) >= maxStrings {
			b = append(b, 0)
			b = binary.AppendUvarint(b, uint64(len(s)))
			return append(b, s...)
		}
		i = uint64(len(w.strings))
		w.index[s] = i
		w.textBytes += int64(len(s))
		w.strings = append(w.strings, s)
	}
	return binary.AppendUvarint(b, i+1)
}

// Value flags.
const (
	vSet = 1 << iota
	vText
	vRawIsText // Raw equals Text: stored once
	vRaw
	vDay  // Date is a UTC midnight: stored as days since 1970
	vTime // Date is any other time: stored by MarshalBinary
	vNum
	vCol
)

// Add appends one record.
func (w *SegmentWriter) Add(r *Record) {
	b := w.rec[:0]
	for i, s := range [...]string{r.Dataset, r.Unit, r.Group, r.File, r.Path, r.Sheet, r.NotCounted} {
		if w.ownRef[i] != 0 && w.own[i] == s {
			b = binary.AppendUvarint(b, w.ownRef[i])
			continue
		}
		b = w.appendStr(b, s)
		if ref, ok := w.index[s]; ok {
			w.own[i], w.ownRef[i] = s, ref+1
		}
	}
	b = binary.AppendUvarint(b, uint64(r.Row))
	b = binary.AppendUvarint(b, uint64(len(r.Values)))
	for i := range r.Values {
		v := &r.Values[i]
		var flags byte
		if v.Set {
			flags |= vSet
		}
		if v.Text != "" {
			flags |= vText
		}
		switch {
		case v.Raw == "":
		case v.Raw == v.Text:
			flags |= vRawIsText
		default:
			flags |= vRaw
		}
		if !v.Date.IsZero() {
			if v.Date.Location() == time.UTC && v.Date.Unix()%86400 == 0 && v.Date.Nanosecond() == 0 {
				flags |= vDay
			} else {
				flags |= vTime
			}
		}
		if v.Num != 0 || math.Signbit(v.Num) {
			flags |= vNum
		}
		if v.Col != 0 {
			flags |= vCol
		}
		b = append(b, flags)
		if flags&vText != 0 {
			b = w.appendStr(b, v.Text)
		}
		if flags&vRaw != 0 {
			b = w.appendStr(b, v.Raw)
		}
		switch {
		case flags&vDay != 0:
			b = binary.AppendVarint(b, v.Date.Unix()/86400)
		case flags&vTime != 0:
			t, _ := v.Date.MarshalBinary() // fails only for a zone offset in seconds, which canbo never makes
			b = binary.AppendUvarint(b, uint64(len(t)))
			b = append(b, t...)
		}
		if flags&vNum != 0 {
			b = binary.LittleEndian.AppendUint64(b, math.Float64bits(v.Num))
		}
		if flags&vCol != 0 {
			b = binary.AppendUvarint(b, uint64(v.Col))
		}
	}
	w.rec = b
	if len(w.body)+len(b) > cap(w.body) {
		size := max(min(2*cap(w.body), maxChunk), minChunk, len(b))
		if len(w.body) > 0 {
			w.full = append(w.full, w.body)
			w.held += int64(cap(w.body))
		}
		w.body = nil
		if w.spill != nil && (w.spilled || w.held > w.keep) {
			w.flush()
		}
		if cap(w.spare) >= size {
			w.body, w.spare = w.spare[:0], nil
		} else {
			w.body = make([]byte, 0, size)
		}
	}
	w.body = append(w.body, b...)
	w.n++
}

// SpillTo makes the writer hand its full chunks of records to spill, in order, once
// they take more than keep bytes, and every full chunk after that: ingest writes them
// to the batch's spool while the file is still being read, so a sheet of any length
// holds a few megabytes of records. spill may keep the chunk only until it returns.
// Body is then the records after those spilled.
func (w *SegmentWriter) SpillTo(keep int64, spill func(chunk []byte) error) {
	w.keep, w.spill = keep, spill
}

// flush spills the full chunks.
func (w *SegmentWriter) flush() {
	for _, c := range w.full {
		if w.err == nil {
			w.err = w.spill(c)
		}
		w.spare = c
	}
	w.full, w.held, w.spilled = nil, 0, true
}

// Spilled reports whether records were spilled (SpillTo): Body and Reader are then
// only the records after them.
func (w *SegmentWriter) Spilled() bool { return w.spilled }

// Err is the first error spilling returned: the records after it were lost.
func (w *SegmentWriter) Err() error { return w.err }

// Chunk sizes of a segment's records: small for a file of a few people, never more
// than a megabyte lost to a chunk not yet full.
const minChunk, maxChunk = 4 << 10, 1 << 20

// Len is the number of records added.
func (w *SegmentWriter) Len() int { return w.n }

// Size is roughly the memory the writer holds: the records' bytes, and each string
// of the table with its index entry. ingest bounds a file's reading by it.
func (w *SegmentWriter) Size() int64 {
	const perString = 64 // the table's string header and the index's entry
	return w.held + int64(cap(w.body)+cap(w.spare)) + w.textBytes + int64(len(w.strings))*perString
}

// Bytes returns the segment.
func (w *SegmentWriter) Bytes() []byte {
	out := w.Head()
	for _, c := range w.Body() {
		out = append(out, c...)
	}
	return out
}

// Head is the segment up to its records: the string table and the record count.
// Head followed by Body is Bytes, without the copy of the records Bytes makes: a
// million-row sheet is written to the spool in two pieces rather than joined first.
func (w *SegmentWriter) Head() []byte {
	out := make([]byte, 0, w.textBytes+int64(len(w.strings))*2+20)
	out = binary.AppendUvarint(out, uint64(len(w.strings)))
	for _, s := range w.strings {
		out = binary.AppendUvarint(out, uint64(len(s)))
		out = append(out, s...)
	}
	return binary.AppendUvarint(out, uint64(w.n))
}

// Body is the records added, as Head's count says, in pieces to write one after the
// other; the writer owns them.
func (w *SegmentWriter) Body() [][]byte { return append(w.full[:len(w.full):len(w.full)], w.body) }

// Reader decodes the records added so far, without copying them: ingest reads a file's
// records back this way while the file is still being settled. The writer must not be
// added to while the reader is used, and must not have spilled (Spilled): those
// records are where spill put them (see NewChunkedSegmentReader).
func (w *SegmentWriter) Reader() *SegmentReader {
	d := &SegmentReader{strings: w.strings, more: w.Body(), left: w.n}
	d.rest, d.more = d.more[0], d.more[1:]
	return d
}

// ErrSegment is returned for a segment that does not decode: a damaged spool file.
var ErrSegment = errors.New("dữ liệu tạm của bản ghi bị hỏng")

// SegmentReader decodes a segment record by record.
type SegmentReader struct {
	strings []string
	rest    []byte
	more    [][]byte               // the chunks after rest (SegmentWriter.Reader), each of whole records
	next    func() ([]byte, error) // gives the chunk after those (NewChunkedSegmentReader)
	left    int
}

// NewChunkedSegmentReader reads a segment written as SegmentWriter.Head then the
// pieces of SegmentWriter.Body: head is the first, next gives each further piece when
// the records before it are read. A spooled file of a million rows is then decoded
// through one buffer of a megabyte rather than read whole (next may reuse its buffer:
// no decoded record refers to it).
func NewChunkedSegmentReader(head []byte, next func() ([]byte, error)) (*SegmentReader, error) {
	d := &SegmentReader{rest: head, next: next}
	n, err := d.uvarint()
	if err != nil || n > uint64(len(head)) {
		return nil, ErrSegment
	}
	if err := d.readStrings(n); err != nil {
		return nil, err
	}
	recs, err := d.uvarint()
	if err != nil || len(d.rest) > 0 {
		return nil, ErrSegment
	}
	d.left = int(recs)
	return d, nil
}

// NewSegmentReader reads a segment's string table.
func NewSegmentReader(seg []byte) (*SegmentReader, error) {
	d := &SegmentReader{rest: seg}
	n, err := d.uvarint()
	if err != nil || n > uint64(len(seg)) {
		return nil, ErrSegment
	}
	if err := d.readStrings(n); err != nil {
		return nil, err
	}
	recs, err := d.uvarint()
	if err != nil || recs > uint64(len(d.rest)) {
		return nil, ErrSegment
	}
	d.left = int(recs)
	return d, nil
}

// readStrings reads the string table of n strings.
func (d *SegmentReader) readStrings(n uint64) error {
	d.strings = make([]string, n)
	for i := range d.strings {
		l, err := d.uvarint()
		if err != nil || l > uint64(len(d.rest)) {
			return ErrSegment
		}
		d.strings[i] = string(d.rest[:l])
		d.rest = d.rest[l:]
	}
	return nil
}

// Len is the number of records not yet read.
func (d *SegmentReader) Len() int { return d.left }

func (d *SegmentReader) uvarint() (uint64, error) {
	v, n := binary.Uvarint(d.rest)
	if n <= 0 {
		return 0, ErrSegment
	}
	d.rest = d.rest[n:]
	return v, nil
}

func (d *SegmentReader) str() (string, error) {
	i, err := d.uvarint()
	if err != nil || i > uint64(len(d.strings)) {
		return "", ErrSegment
	}
	if i > 0 {
		return d.strings[i-1], nil
	}
	l, err := d.uvarint() // a string the full table could not take (maxStrings)
	if err != nil || l > uint64(len(d.rest)) {
		return "", ErrSegment
	}
	s := string(d.rest[:l])
	d.rest = d.rest[l:]
	return s, nil
}

// Next decodes the next record into r, reusing r.Values. It returns false at the end.
func (d *SegmentReader) Next(r *Record) (bool, error) {
	if d.left == 0 {
		return false, nil
	}
	d.left--
	for len(d.rest) == 0 {
		switch {
		case len(d.more) > 0:
			d.rest, d.more = d.more[0], d.more[1:]
		case d.next != nil:
			c, err := d.next()
			if err != nil {
				return false, err
			}
			if len(c) == 0 {
				return false, ErrSegment
			}
			d.rest = c
		default:
			return false, ErrSegment
		}
	}
	var err error
	for _, p := range []*string{&r.Dataset, &r.Unit, &r.Group, &r.File, &r.Path, &r.Sheet, &r.NotCounted} {
		if *p, err = d.str(); err != nil {
			return false, err
		}
	}
	row, err := d.uvarint()
	if err != nil {
		return false, err
	}
	r.Row = int(row)
	n, err := d.uvarint()
	if err != nil || n > uint64(len(d.rest)) {
		return false, ErrSegment
	}
	if cap(r.Values) < int(n) {
		r.Values = make([]Value, n)
	}
	r.Values = r.Values[:n]
	for i := range r.Values {
		if err := d.value(&r.Values[i]); err != nil {
			return false, fmt.Errorf("%w (bản ghi dòng %d, giá trị %d)", err, r.Row, i)
		}
	}
	return true, nil
}

func (d *SegmentReader) value(v *Value) error {
	*v = Value{}
	if len(d.rest) == 0 {
		return ErrSegment
	}
	flags := d.rest[0]
	d.rest = d.rest[1:]
	v.Set = flags&vSet != 0
	var err error
	if flags&vText != 0 {
		if v.Text, err = d.str(); err != nil {
			return err
		}
	}
	switch {
	case flags&vRawIsText != 0:
		v.Raw = v.Text
	case flags&vRaw != 0:
		if v.Raw, err = d.str(); err != nil {
			return err
		}
	}
	switch {
	case flags&vDay != 0:
		days, n := binary.Varint(d.rest)
		if n <= 0 {
			return ErrSegment
		}
		d.rest = d.rest[n:]
		v.Date = time.Unix(days*86400, 0).UTC()
	case flags&vTime != 0:
		l, err := d.uvarint()
		if err != nil || l > uint64(len(d.rest)) {
			return ErrSegment
		}
		if err := v.Date.UnmarshalBinary(d.rest[:l]); err != nil {
			return ErrSegment
		}
		d.rest = d.rest[l:]
	}
	if flags&vNum != 0 {
		if len(d.rest) < 8 {
			return ErrSegment
		}
		v.Num = math.Float64frombits(binary.LittleEndian.Uint64(d.rest))
		d.rest = d.rest[8:]
	}
	if flags&vCol != 0 {
		c, err := d.uvarint()
		if err != nil {
			return err
		}
		v.Col = int(c)
	}
	return nil
}
