package workbook

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"strings"
	"testing"

	"canbo/pipeline/issue"
)

// bombZip builds a workbook whose part `bomb` holds content but declares `declared`
// bytes uncompressed: the shape of a zip bomb, without the bytes.
func bombZip(t *testing.T, bomb string, content []byte, declared uint64) []byte {
	t.Helper()
	parts := pkg{sheets: []string{ws(`<row r="1"><c><v>1</v></c></row>`, "")}, sst: sstOf("<t>a</t>")}.parts()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, p := range parts {
		if p.name != bomb {
			w, err := zw.Create(p.name)
			must(t, err)
			w.Write([]byte(p.body))
			continue
		}
		var comp bytes.Buffer
		fw, _ := flate.NewWriter(&comp, flate.BestCompression)
		fw.Write(content)
		fw.Close()
		w, err := zw.CreateRaw(&zip.FileHeader{
			Name: p.name, Method: zip.Deflate, CRC32: crc32.ChecksumIEEE(content),
			CompressedSize64: uint64(comp.Len()), UncompressedSize64: declared,
		})
		must(t, err)
		w.Write(comp.Bytes())
	}
	must(t, zw.Close())
	return buf.Bytes()
}

func TestZipBombs(t *testing.T) {
	ctx := context.Background()
	zeros := make([]byte, 1<<20)
	t.Run("sheet declares 10 GB", func(t *testing.T) {
		b := mustOpen(t, bombZip(t, "xl/worksheets/sheet1.xml", zeros, 10<<30), Limits{})
		_, err := b.Rows(ctx, 0)
		if codeOf(t, err) != issue.TooLarge {
			t.Fatalf("err = %v, want TooLarge", err)
		}
		var we *Error
		errors.As(err, &we)
		if we.Args["limit"] != "1 GB" || we.Args["part"] != "xl/worksheets/sheet1.xml" {
			t.Errorf("args = %v", we.Args)
		}
	})
	t.Run("shared strings declare 10 GB", func(t *testing.T) {
		_, err := openBytes(t, bombZip(t, "xl/sharedStrings.xml", zeros, 10<<30), Limits{})
		if codeOf(t, err) != issue.TooLarge {
			t.Fatalf("err = %v, want TooLarge", err)
		}
	})
	t.Run("part inflates beyond its declared size", func(t *testing.T) {
		// archive/zip stops at the declared size; the reader reports damage.
		body := []byte(ws(strings.Repeat(`<row><c><v>1</v></c></row>`, 40000), ""))
		b := mustOpen(t, bombZip(t, "xl/worksheets/sheet1.xml", body, 1000), Limits{})
		rows, err := b.Rows(ctx, 0)
		if err == nil {
			for rows.Next() {
			}
			err = rows.Err()
		}
		if codeOf(t, err) != issue.Corrupt {
			t.Fatalf("err = %v, want Corrupt", err)
		}
	})
	t.Run("total over MaxUnzipped", func(t *testing.T) {
		big := ws(strings.Repeat(`<row><c><v>1</v></c></row>`, 4000), "") // ~100 KB each
		b := mustOpen(t, pkg{sheets: []string{big, big}}.bytes(t), Limits{MaxUnzipped: int64(len(big)) * 3 / 2})
		if _, r := readSheet(t, b, 0); r.Err() != nil {
			t.Fatal(r.Err())
		}
		if _, r := readSheet(t, b, 0); r.Err() != nil {
			t.Fatalf("reading a sheet twice counts it twice: %v", r.Err())
		}
		_, err := b.Rows(ctx, 1)
		if codeOf(t, err) != issue.TooLarge {
			t.Fatalf("err = %v, want TooLarge", err)
		}
	})
	t.Run("zip64 directory with a trillion entries", func(t *testing.T) {
		var d bytes.Buffer
		d.WriteString("PK\x03\x04")
		d.Write(make([]byte, 100))
		off := d.Len()
		rec := make([]byte, 56)
		copy(rec, "PK\x06\x06")
		binary.LittleEndian.PutUint64(rec[32:], 1<<40)
		d.Write(rec)
		loc := make([]byte, 20)
		copy(loc, "PK\x06\x07")
		binary.LittleEndian.PutUint64(loc[8:], uint64(off))
		d.Write(loc)
		eocd := make([]byte, 22)
		copy(eocd, "PK\x05\x06")
		binary.LittleEndian.PutUint16(eocd[8:], 0xFFFF)
		binary.LittleEndian.PutUint16(eocd[10:], 0xFFFF)
		d.Write(eocd)
		if _, err := openBytes(t, d.Bytes(), Limits{}); codeOf(t, err) != issue.TooLarge {
			t.Fatalf("err = %v, want TooLarge", err)
		}
	})
}

const billionLaughs = `<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
`

func TestHostileXML(t *testing.T) {
	ctx := context.Background()
	t.Run("billion laughs in shared strings", func(t *testing.T) {
		sst := billionLaughs + `<sst xmlns="` + nsMain + `"><si><t>&lol9;</t></si></sst>`
		_, err := openBytes(t, pkg{sheets: []string{ws("", "")}, sst: sst}.bytes(t), Limits{})
		if codeOf(t, err) != issue.Corrupt {
			t.Fatalf("err = %v, want Corrupt", err)
		}
	})
	t.Run("undefined entity without DTD", func(t *testing.T) {
		sst := `<sst xmlns="` + nsMain + `"><si><t>&lol9;</t></si></sst>`
		if _, err := openBytes(t, pkg{sheets: []string{ws("", "")}, sst: sst}.bytes(t), Limits{}); codeOf(t, err) != issue.Corrupt {
			t.Fatalf("err = %v, want Corrupt", err)
		}
	})
	t.Run("too many shared strings", func(t *testing.T) {
		items := make([]string, 11)
		for i := range items {
			items[i] = fmt.Sprintf("<t>%d</t>", i)
		}
		_, err := openBytes(t, pkg{sheets: []string{ws("", "")}, sst: sstOf(items...)}.bytes(t), Limits{MaxSharedStrings: 10})
		if codeOf(t, err) != issue.TooLarge {
			t.Fatalf("err = %v, want TooLarge", err)
		}
		var we *Error
		errors.As(err, &we)
		if we.Args["what"] != "shared strings" || we.Args["limit"] != "10" {
			t.Errorf("args = %v", we.Args)
		}
	})
	t.Run("hostile workbook.xml and styles", func(t *testing.T) {
		p := pkg{sheets: []string{ws("", "")}, styles: billionLaughs + `<styleSheet/>`}
		if _, err := openBytes(t, p.bytes(t), Limits{}); codeOf(t, err) != issue.Corrupt {
			t.Errorf("styles: err = %v, want Corrupt", err)
		}
		p = pkg{sheets: []string{ws("", "")}}
		parts := p.parts()
		for i := range parts {
			if parts[i].name == "xl/workbook.xml" {
				parts[i].body = `<workbook><sheets><sheet name="a" r:id="rId1"></sheets></workbook>`
			}
		}
		if _, err := openBytes(t, zipOf(t, false, parts...), Limits{}); codeOf(t, err) != issue.Corrupt {
			t.Errorf("workbook: err = %v, want Corrupt", err)
		}
	})

	bad := map[string]string{
		"billion laughs":     billionLaughs + `<worksheet xmlns="` + nsMain + `"><sheetData><row r="1"><c t="inlineStr"><is><t>&lol9;</t></is></c></row></sheetData></worksheet>`,
		"truncated":          ws(`<row r="1"><c r="A1"><v>1</v></c></row>`, "")[:len(xmlDecl)+150],
		"mismatched tags":    ws(`<row r="1"><c r="A1"><v>1</c></v></row>`, ""),
		"tag in tag":         ws(`<row r="1" <c r="A1"><v>1</v></c></row>`, ""),
		"unquoted attribute": ws(`<row r=1><c r="A1"><v>1</v></c></row>`, ""),
		"bad entity":         ws(`<row r="1"><c r="A1" t="str"><v>&nbsp;</v></c></row>`, ""),
		"rows out of order":  ws(`<row r="5"><c><v>1</v></c></row><row r="3"><c><v>1</v></c></row>`, ""),
		"duplicate row":      ws(`<row r="5"><c><v>1</v></c></row><row r="5"><c><v>1</v></c></row>`, ""),
		"bad shared index":   ws(`<row r="1"><c t="s"><v>7</v></c></row>`, ""),
		"not XML":            "\x00\x01garbage",
		"empty part":         "",
		"deep nesting":       ws(`<row r="1"><c>`+strings.Repeat("<x>", 300)+strings.Repeat("</x>", 300)+`<v>1</v></c></row>`, ""),
	}
	for name, sheet := range bad {
		t.Run("sheet: "+name, func(t *testing.T) {
			b := mustOpen(t, pkg{sheets: []string{sheet}, sst: sstOf("<t>a</t>")}.bytes(t), Limits{})
			rows, err := b.Rows(ctx, 0)
			if err != nil {
				t.Fatalf("Rows: %v", err)
			}
			for rows.Next() {
			}
			if codeOf(t, rows.Err()) != issue.Corrupt {
				t.Fatalf("Err = %v, want Corrupt", rows.Err())
			}
			if rows.Next() {
				t.Error("Next after an error returned true")
			}
		})
	}
}

// TestTruncatedEverywhere cuts a real workbook at many points: every cut must give a
// clean *Error (or, for cuts past the central directory's reach, a readable book).
func TestTruncatedEverywhere(t *testing.T) {
	data := smallExcelize(t)
	for cut := 1; cut < len(data); cut += 97 {
		b, err := openBytes(t, data[:cut], Limits{})
		if err != nil {
			codeOf(t, err)
			continue
		}
		for _, s := range b.Sheets() {
			rows, err := b.Rows(context.Background(), s.Index)
			if err != nil {
				codeOf(t, err)
				continue
			}
			for rows.Next() {
			}
			codeOf(t, rows.Err())
		}
	}
}

func TestHugeMerge(t *testing.T) {
	// A1:XFD1048576 must cost MaxColumns cells per existing row, nothing more.
	data := `<row r="1"><c r="A1" t="inlineStr"><is><t>all</t></is></c></row><row r="2"/><row r="1048576"/>`
	b := mustOpen(t, pkg{sheets: []string{ws(data, `<mergeCells><mergeCell ref="A1:XFD1048576"/></mergeCells>`)}}.bytes(t), Limits{})
	rows, r := readSheet(t, b, 0)
	if r.Err() != nil {
		t.Fatal(r.Err())
	}
	if len(rows) != 3 {
		t.Fatalf("%d rows, want 3", len(rows))
	}
	for _, row := range rows {
		if len(row.Cells) != 512 || row.Cells[511].Col != 512 || row.Cells[511].Text != "all" {
			t.Errorf("row %d: %d cells", row.Num, len(row.Cells))
		}
	}
	if m := r.Merges(); len(m) != 1 || m[0].Right != 16384 {
		t.Errorf("merges = %v", m)
	}
}

// manyMerges builds a sheet of n two-row merged blocks A(2i-1):B(2i), each with a
// value in its top-left cell and both rows present.
func manyMerges(n int) string {
	var data, merges strings.Builder
	for i := 1; i <= n; i++ {
		top := 2*i - 1
		fmt.Fprintf(&data, `<row r="%d"><c r="A%d"><v>%d</v></c></row><row r="%d"><c r="C%d"><v>0</v></c></row>`, top, top, i, top+1, top+1)
		fmt.Fprintf(&merges, `<mergeCell ref="A%d:B%d"/>`, top, top+1)
	}
	return ws(data.String(), `<mergeCells count="`+fmt.Sprint(n)+`">`+merges.String()+`</mergeCells>`)
}

func TestManyMerges(t *testing.T) {
	const n = 50_000
	b := mustOpen(t, pkg{sheets: []string{manyMerges(n)}}.bytes(t), Limits{})
	rows, r := readSheet(t, b, 0)
	if r.Err() != nil {
		t.Fatal(r.Err())
	}
	if len(rows) != 2*n || len(r.Merges()) != n {
		t.Fatalf("%d rows, %d merges", len(rows), len(r.Merges()))
	}
	for i, row := range rows {
		want := fmt.Sprint(i/2 + 1)
		if row.Cell(1).Text != want || row.Cell(2).Text != want || !row.Cell(2).Merged {
			t.Fatalf("row %d = %+v", row.Num, row.Cells)
		}
	}
}

// TestMergeScanBoundaries feeds the merge scan one byte at a time, so every tag
// straddles a read boundary.
func TestMergeScanBoundaries(t *testing.T) {
	doc := `<worksheet><sheetData><row><c t="inlineStr"><is><t>mergeCell ref="Z9:Z10"</t></is></c></row></sheetData>` +
		`<mergeCells><x:mergeCell ref="A1:B2"/><mergeCell  ref = "C3:D4" ></mergeCell><mergeCells/>` +
		`<mergeCell ref="bad"/><mergeCellX ref="E5:F6"/><mergeCell ref='G7'/></mergeCells></worksheet>`
	for _, r := range []func() readerOnly{
		func() readerOnly { return strings.NewReader(doc) },
		func() readerOnly { return &oneByte{strings.NewReader(doc)} },
	} {
		ms, err := scanMerges(context.Background(), r(), 10)
		if err != nil {
			t.Fatal(err)
		}
		if got := fmt.Sprint(ms.ranges); got != "[{1 1 2 2} {3 3 4 4} {7 7 7 7}]" || ms.total != 3 {
			t.Errorf("ranges = %s total %d", got, ms.total)
		}
	}
}

type readerOnly interface{ Read([]byte) (int, error) }

type oneByte struct{ r readerOnly }

func (o *oneByte) Read(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	return o.r.Read(p[:1])
}

// TestConcurrentSheets reads the sheets of one Book from several goroutines (run
// with -race): the shared-string table, styles and limits accounting are shared.
func TestConcurrentSheets(t *testing.T) {
	var sheets []string
	for s := 0; s < 4; s++ {
		var data strings.Builder
		for i := 1; i <= 500; i++ {
			fmt.Fprintf(&data, `<row r="%d"><c t="s"><v>%d</v></c><c><v>%d</v></c></row>`, i, i%2, s)
		}
		sheets = append(sheets, ws(data.String(), `<mergeCells><mergeCell ref="B1:C2"/></mergeCells>`))
	}
	b := mustOpen(t, pkg{sheets: sheets, sst: sstOf("<t>a</t>", "<t>b</t>")}.bytes(t), Limits{})
	errs := make(chan error, len(sheets))
	for s := range sheets {
		go func() {
			rows, err := b.Rows(context.Background(), s)
			if err != nil {
				errs <- err
				return
			}
			defer rows.Close()
			n := 0
			for rows.Next() {
				if c := rows.Row().Cell(2); c.Text != fmt.Sprint(s) {
					errs <- fmt.Errorf("sheet %d row %d: %+v", s, rows.Row().Num, c)
					return
				}
				n++
			}
			if rows.Err() == nil && n != 500 {
				errs <- fmt.Errorf("sheet %d: %d rows", s, n)
				return
			}
			errs <- rows.Err()
		}()
	}
	for range sheets {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}

// TestZipDirectoryFlood: a central directory holding far more records than its count
// claims (archive/zip reads them all) is refused before it costs memory.
func TestZipDirectoryFlood(t *testing.T) {
	var d bytes.Buffer
	hdr := make([]byte, 46)
	copy(hdr, "PK\x01\x02")
	const n = 200_000 // 9 MB of minimal records
	d.WriteString("PK\x03\x04")
	dirOff := d.Len()
	for i := 0; i < n; i++ {
		d.Write(hdr)
	}
	eocd := make([]byte, 22)
	copy(eocd, "PK\x05\x06")
	binary.LittleEndian.PutUint16(eocd[8:], uint16(n%65536))
	binary.LittleEndian.PutUint16(eocd[10:], uint16(n%65536))
	binary.LittleEndian.PutUint32(eocd[12:], uint32(n*46))
	binary.LittleEndian.PutUint32(eocd[16:], uint32(dirOff))
	d.Write(eocd)
	if _, err := openBytes(t, d.Bytes(), Limits{}); codeOf(t, err) != issue.TooLarge {
		t.Fatalf("err = %v, want TooLarge", err)
	}
}
