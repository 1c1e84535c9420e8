package normalize

import (
	"bytes"
	"errors"
	"math"
	"math/rand/v2"
	"reflect"
	"strconv"
	"testing"
	"time"
)

// TestSegmentRoundTrip: a record decoded from its segment is the record written,
// value for value: a count made from spooled records is the count made from the
// records themselves.
func TestSegmentRoundTrip(t *testing.T) {
	day := time.Date(1988, 10, 1, 0, 0, 0, 0, time.UTC)
	recs := []Record{
		{Dataset: "roster", Unit: "UBND xã An Bình", Group: "huyen-a", File: "x.xlsx", Path: "/in/huyen-a/x.xlsx", Sheet: "DS", Row: 5,
			Values: []Value{
				{Set: true, Text: "Nguyễn Văn A", Raw: "Nguyễn Văn A", Col: 2},
				{Set: true, Text: "1988-10-01", Date: day, Raw: "01/10/1988", Col: 3},
				{Set: true, Text: "dai_hoc", Raw: "ĐH", Col: 6},
				{},
				{Raw: "Bằng khen", Col: 7}, // a bad value: unset, raw kept for messages
				{Set: true, Text: "35", Num: 35},
				{Set: true, Text: "-0", Num: math.Copysign(0, -1)},
				{Set: true, Text: "true", Date: time.Date(2020, 1, 1, 7, 30, 0, 0, time.FixedZone("ICT", 7*3600))},
			}},
		{Dataset: "roster", Unit: "UBND xã An Bình", Group: "huyen-a", File: "x.xlsx", Path: "/in/huyen-a/x.xlsx", Sheet: "DS", Row: 6,
			NotCounted: Repeat, Values: []Value{{Set: true, Text: "Nguyễn Văn A", Raw: "Nguyễn Văn A", Col: 2}, {}, {}}},
		{Dataset: "training", Row: 1 << 20, Values: []Value{}},
		// Back to the first record's own strings, after others (SegmentWriter.own).
		{Dataset: "roster", Unit: "UBND xã An Bình", Group: "huyen-a", File: "x.xlsx", Path: "/in/huyen-a/x.xlsx", Sheet: "DS", Row: 7,
			Values: []Value{{Set: true, Text: "Lò Văn Pá", Raw: "Lò Văn Pá", Col: 2}}},
	}
	w := NewSegmentWriter()
	for i := range recs {
		w.Add(&recs[i])
	}
	d, err := NewSegmentReader(w.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if d.Len() != len(recs) {
		t.Fatalf("Len = %d, want %d", d.Len(), len(recs))
	}
	var got Record
	for i := range recs {
		ok, err := d.Next(&got)
		if !ok || err != nil {
			t.Fatalf("record %d: ok=%v err=%v", i, ok, err)
		}
		want := recs[i]
		if len(want.Values) == 0 {
			want.Values = got.Values[:0]
		}
		for j := range want.Values {
			if !want.Values[j].Date.Equal(got.Values[j].Date) {
				t.Errorf("record %d value %d: date %v, want %v", i, j, got.Values[j].Date, want.Values[j].Date)
			}
			if want.Values[j].Date.Location() == time.UTC {
				continue // compared whole below
			}
			got.Values[j].Date = want.Values[j].Date
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("record %d:\n got %+v\nwant %+v", i, got, want)
		}
	}
	if ok, err := d.Next(&got); ok || err != nil {
		t.Errorf("after the last record: ok=%v err=%v", ok, err)
	}
}

// TestSegmentDamaged: a cut or garbled segment is an error, never a panic or a record
// made of garbage.
func TestSegmentDamaged(t *testing.T) {
	w := NewSegmentWriter()
	w.Add(&Record{Dataset: "roster", Row: 3, Values: []Value{{Set: true, Text: "Lò Thị B", Raw: "Lò Thị B", Col: 2}}})
	seg := w.Bytes()
	for cut := 0; cut < len(seg); cut++ {
		d, err := NewSegmentReader(seg[:cut])
		if err != nil {
			continue
		}
		var r Record
		if ok, err := d.Next(&r); ok || !errors.Is(err, ErrSegment) {
			if !(cut == 0 && !ok && err == nil) {
				t.Errorf("cut at %d: ok=%v err=%v, want ErrSegment", cut, ok, err)
			}
		}
	}
}

// BenchmarkSegment encodes and decodes 10,000 records shaped like a roster's: a few
// codes repeated, names and dates unique.
func BenchmarkSegment(b *testing.B) {
	recs := benchSegmentRecords()
	b.ReportAllocs()
	for b.Loop() {
		w := NewSegmentWriter()
		for i := range recs {
			w.Add(&recs[i])
		}
		d, err := NewSegmentReader(w.Bytes())
		if err != nil {
			b.Fatal(err)
		}
		var r Record
		for {
			ok, err := d.Next(&r)
			if err != nil {
				b.Fatal(err)
			}
			if !ok {
				break
			}
		}
	}
}

// benchSegmentRecords is 10,000 records such as a roster gives: a name, a birth date,
// in each other column a code drawn at random from a few (the cell's text differing
// from the code, "Đại học" for dai_hoc), and the same unit and sheet in every record.
func benchSegmentRecords() []Record {
	codes := []string{"nam", "nu", "dai_hoc", "thac_si", "kinh", "tay", "true", "false"}
	labels := []string{"Nam", "Nữ", "Đại học", "Thạc sĩ", "Kinh", "Tày", "x", ""}
	rnd := rand.New(rand.NewPCG(1, 2))
	recs := make([]Record, 10_000)
	for i := range recs {
		v := make([]Value, 33)
		for j := range v {
			switch {
			case j == 1:
				v[j] = Value{Set: true, Text: "Nguyễn Văn " + strconv.Itoa(i), Raw: "Nguyễn Văn " + strconv.Itoa(i), Col: 2}
			case j == 2:
				d := time.Date(1970+i%40, time.Month(1+i%12), 1+i%28, 0, 0, 0, 0, time.UTC)
				v[j] = Value{Set: true, Text: d.Format(time.DateOnly), Date: d, Raw: d.Format("02/01/2006"), Col: 3}
			case j < 20:
				k := (j + rnd.IntN(2+j%5)) % len(codes)
				v[j] = Value{Set: true, Text: codes[k], Raw: labels[k], Col: j + 2}
			}
		}
		recs[i] = Record{Dataset: "roster", Unit: "UBND xã An Bình", Group: "g", File: "x.xlsx", Path: "/in/g/x.xlsx", Sheet: "DS", Row: i + 5, Values: v}
	}
	return recs
}

// BenchmarkSegmentWrite is encoding alone, which ingest does for every row as it is
// read (SegmentWriter.Add).
func BenchmarkSegmentWrite(b *testing.B) {
	recs := benchSegmentRecords()
	b.ReportAllocs()
	for b.Loop() {
		w := NewSegmentWriter()
		for i := range recs {
			w.Add(&recs[i])
		}
	}
}

// TestSegmentInChunks: a segment long enough to fill several chunks, with more
// different names than its string table takes (the last written where they are used),
// decodes to the same records every way it is read: from the writer itself (Reader),
// from Bytes, and from Head and the pieces of Body given one at a time through one
// reused buffer, as the spool reads it back. A record cut across two chunks, a chunk
// lost, or a name past the table misread fails here.
func TestSegmentInChunks(t *testing.T) {
	w, sw := NewSegmentWriter(), NewSegmentWriter()
	var spilled [][]byte // what sw spilled, in order
	sw.SpillTo(64<<10, func(c []byte) error { spilled = append(spilled, bytes.Clone(c)); return nil })
	const n = maxStrings + 5_000 // about 4 MB: chunks of 4 KB doubling to 1 MB
	for i := range n {
		r := Record{Dataset: "roster", Sheet: "DS", Row: i + 3, Values: []Value{
			{Set: true, Text: "Người " + strconv.Itoa(i), Raw: "Người " + strconv.Itoa(i), Col: 2},
			{Set: true, Text: "1988-10-01", Date: time.Date(1988, 10, 1, 0, 0, 0, 0, time.UTC), Raw: "01/10/1988", Col: 3},
		}}
		w.Add(&r)
		sw.Add(&r)
	}
	if pieces := len(w.Body()); pieces < 3 {
		t.Fatalf("%d pieces, want several", pieces)
	}
	check := func(how string, d *SegmentReader, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", how, err)
		}
		var r Record
		for i := 0; ; i++ {
			ok, err := d.Next(&r)
			if err != nil {
				t.Fatalf("%s: record %d: %v", how, i, err)
			}
			if !ok {
				if i != n {
					t.Fatalf("%s: %d records, want %d", how, i, n)
				}
				return
			}
			if want := "Người " + strconv.Itoa(i); r.Row != i+3 || r.Values[0].Text != want || r.Values[1].Text != "1988-10-01" {
				t.Fatalf("%s: record %d is row %d %q, want row %d %q", how, i, r.Row, r.Values[0].Text, i+3, want)
			}
		}
	}
	check("Reader", w.Reader(), nil)
	d, err := NewSegmentReader(w.Bytes())
	check("Bytes", d, err)
	body := w.Body()
	var buf []byte
	d, err = NewChunkedSegmentReader(w.Head(), func() ([]byte, error) {
		if len(body) == 0 {
			return nil, nil
		}
		buf = append(buf[:0], body[0]...) // one buffer, overwritten by each piece
		body = body[1:]
		return buf, nil
	})
	check("Head and Body", d, err)
	if !sw.Spilled() || len(spilled) < 3 || sw.Size() >= w.Size() {
		t.Fatalf("spilled %v, %d chunks, %d bytes held (%d without spilling); want most chunks spilled", sw.Spilled(), len(spilled), sw.Size(), w.Size())
	}
	rest := append(spilled, sw.Body()...)
	d, err = NewChunkedSegmentReader(sw.Head(), func() ([]byte, error) {
		if len(rest) == 0 {
			return nil, nil
		}
		c := rest[0]
		rest = rest[1:]
		return c, nil
	})
	check("spilled then Body", d, err)
}
