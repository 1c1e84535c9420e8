package workbook

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf16"

	"canbo/pipeline/issue"
)

// Fixtures are built in the tests: excelize for files "as Excel-like tools write
// them", archive/zip by hand for the hostile and edge cases excelize cannot produce.

type zpart struct{ name, body string }

// zipOf builds a zip; stored=true keeps the parts uncompressed (fuzz seeds, so the
// fuzzer mutates XML rather than deflate streams).
func zipOf(t testing.TB, stored bool, parts ...zpart) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, p := range parts {
		h := &zip.FileHeader{Name: p.name, Method: zip.Deflate}
		if stored {
			h.Method = zip.Store
		}
		w, err := zw.CreateHeader(h)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(p.body)); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

const (
	nsMain      = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
	nsRel       = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
	nsPkg       = "http://schemas.openxmlformats.org/package/2006/relationships"
	nsStrict    = "http://purl.oclc.org/ooxml/spreadsheetml/main"
	nsStrictRel = "http://purl.oclc.org/ooxml/officeDocument/relationships"
	xmlDecl     = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n"
)

// pkg describes a hand-built workbook package.
type pkg struct {
	sheets   []string // worksheet parts, complete XML documents
	names    []string // sheet names (default Sheet1, Sheet2, …)
	sst      string   // sharedStrings.xml, "" for none
	styles   string   // styles.xml, "" for none
	date1904 string   // value of workbookPr/@date1904, "" for none
	strict   bool     // Strict OOXML namespaces
	extra    []zpart
	stored   bool
}

func (p pkg) parts() []zpart {
	main, rel := nsMain, nsRel
	if p.strict {
		main, rel = nsStrict, nsStrictRel
	}
	var sheets, wbRels strings.Builder
	var parts []zpart
	for i, body := range p.sheets {
		name := fmt.Sprintf("Sheet%d", i+1)
		if i < len(p.names) {
			name = p.names[i]
		}
		fmt.Fprintf(&sheets, `<sheet name="%s" sheetId="%d" r:id="rId%d"/>`, name, i+1, i+1)
		// Alternate relative and absolute targets: both must resolve.
		target := fmt.Sprintf("worksheets/sheet%d.xml", i+1)
		if i%2 == 1 {
			target = "/xl/" + target
		}
		fmt.Fprintf(&wbRels, `<Relationship Id="rId%d" Type="%s/worksheet" Target="%s"/>`, i+1, rel, target)
		parts = append(parts, zpart{fmt.Sprintf("xl/worksheets/sheet%d.xml", i+1), body})
	}
	if p.sst != "" {
		fmt.Fprintf(&wbRels, `<Relationship Id="rIdS" Type="%s/sharedStrings" Target="sharedStrings.xml"/>`, rel)
		parts = append(parts, zpart{"xl/sharedStrings.xml", p.sst})
	}
	if p.styles != "" {
		fmt.Fprintf(&wbRels, `<Relationship Id="rIdY" Type="%s/styles" Target="styles.xml"/>`, rel)
		parts = append(parts, zpart{"xl/styles.xml", p.styles})
	}
	pr := ""
	if p.date1904 != "" {
		pr = fmt.Sprintf(`<workbookPr date1904="%s"/>`, p.date1904)
	}
	head := []zpart{
		{"[Content_Types].xml", xmlDecl + `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>`},
		{"_rels/.rels", xmlDecl + fmt.Sprintf(`<Relationships xmlns="%s"><Relationship Id="rId1" Type="%s/officeDocument" Target="xl/workbook.xml"/></Relationships>`, nsPkg, rel)},
		{"xl/workbook.xml", xmlDecl + fmt.Sprintf(`<workbook xmlns="%s" xmlns:r="%s">%s<sheets>%s</sheets></workbook>`, main, rel, pr, sheets.String())},
		{"xl/_rels/workbook.xml.rels", xmlDecl + fmt.Sprintf(`<Relationships xmlns="%s">%s</Relationships>`, nsPkg, wbRels.String())},
	}
	return append(append(head, parts...), p.extra...)
}

func (p pkg) bytes(t testing.TB) []byte { return zipOf(t, p.stored, p.parts()...) }

// ws wraps sheetData content (and optional trailing elements such as <mergeCells>) in
// a worksheet document.
func ws(sheetData, tail string) string {
	return xmlDecl + `<worksheet xmlns="` + nsMain + `" xmlns:r="` + nsRel + `"><dimension ref="A1"/><sheetData>` +
		sheetData + `</sheetData>` + tail + `</worksheet>`
}

func sstOf(items ...string) string {
	var b strings.Builder
	fmt.Fprintf(&b, `%s<sst xmlns="%s" count="%d" uniqueCount="%d">`, xmlDecl, nsMain, len(items), len(items))
	for _, s := range items {
		b.WriteString("<si>" + s + "</si>")
	}
	b.WriteString("</sst>")
	return b.String()
}

// stylesOf builds styles.xml with one font per cellXfs entry: xfs[i] = numFmtId of
// style i, fonts[i] its font name. custom holds <numFmt> codes by id.
func stylesOf(custom map[int]string, xfs []int, fonts []string) string {
	var b strings.Builder
	b.WriteString(xmlDecl + `<styleSheet xmlns="` + nsMain + `">`)
	if len(custom) > 0 {
		b.WriteString("<numFmts>")
		for id, code := range custom {
			fmt.Fprintf(&b, `<numFmt numFmtId="%d" formatCode="%s"/>`, id, xmlEscape(code))
		}
		b.WriteString("</numFmts>")
	}
	b.WriteString("<fonts>")
	for _, f := range fonts {
		fmt.Fprintf(&b, `<font><sz val="11"/><name val="%s"/></font>`, xmlEscape(f))
	}
	b.WriteString(`</fonts><cellStyleXfs><xf numFmtId="0" fontId="0"/></cellStyleXfs><cellXfs>`)
	for i, id := range xfs {
		fmt.Fprintf(&b, `<xf numFmtId="%d" fontId="%d" applyNumberFormat="1"/>`, id, i)
	}
	b.WriteString(`</cellXfs><dxfs><dxf><font><name val="Wrong"/></font></dxf></dxfs></styleSheet>`)
	return b.String()
}

func xmlEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", `"`, "&quot;").Replace(s)
}

func openBytes(t testing.TB, data []byte, lim Limits) (*Book, error) {
	t.Helper()
	return OpenReaderAt(context.Background(), bytes.NewReader(data), int64(len(data)), "test.xlsx", lim)
}

func mustOpen(t testing.TB, data []byte, lim Limits) *Book {
	t.Helper()
	b, err := openBytes(t, data, lim)
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	return b
}

// readSheet reads every row of a sheet; the *Rows is returned closed, for Err/Notes/Merges.
func readSheet(t testing.TB, b *Book, sheet int) ([]Row, *Rows) {
	t.Helper()
	rows, err := b.Rows(context.Background(), sheet)
	if err != nil {
		t.Fatalf("Rows(%d): %v", sheet, err)
	}
	var out []Row
	for rows.Next() {
		out = append(out, rows.Row())
	}
	rows.Close()
	return out, rows
}

func writeFile(t testing.TB, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// codeOf returns the Code of an *Error, "" for nil, and fails for other errors.
func codeOf(t testing.TB, err error) issue.Code {
	t.Helper()
	if err == nil {
		return ""
	}
	var we *Error
	if !errors.As(err, &we) {
		t.Fatalf("error %v (%T) is not *Error", err, err)
	}
	var pe *panicError
	if errors.As(err, &pe) {
		t.Fatalf("recovered panic: %v", err)
	}
	return we.Code
}

// oleFile builds a minimal OLE2 compound file (version 3, 512-byte sectors) whose
// root storage holds empty streams with the given names (at most three).
func oleFile(streams ...string) []byte {
	const sec = 512
	le := binary.LittleEndian
	buf := make([]byte, 512+2*sec)
	copy(buf, oleMagic)
	le.PutUint16(buf[24:], 0x3E)
	le.PutUint16(buf[26:], 3)
	le.PutUint16(buf[28:], 0xFFFE)
	le.PutUint16(buf[30:], 9)
	le.PutUint16(buf[32:], 6)
	le.PutUint32(buf[44:], 1) // one FAT sector
	le.PutUint32(buf[48:], 1) // directory at sector 1
	le.PutUint32(buf[56:], 4096)
	le.PutUint32(buf[60:], 0xFFFFFFFE) // no mini FAT
	le.PutUint32(buf[68:], 0xFFFFFFFE) // no DIFAT sectors
	for i := 0; i < 109; i++ {
		le.PutUint32(buf[76+4*i:], 0xFFFFFFFF)
	}
	le.PutUint32(buf[76:], 0) // FAT is sector 0
	fat := buf[512 : 512+sec]
	for i := 0; i < sec/4; i++ {
		le.PutUint32(fat[4*i:], 0xFFFFFFFF)
	}
	le.PutUint32(fat[0:], 0xFFFFFFFD) // sector 0: FAT
	le.PutUint32(fat[4:], 0xFFFFFFFE) // sector 1: directory, end of chain
	dir := buf[512+sec:]
	entry := func(i int, name string, typ byte, child, right uint32) {
		e := dir[i*128 : (i+1)*128]
		u := utf16.Encode([]rune(name))
		for k, c := range u {
			le.PutUint16(e[2*k:], c)
		}
		le.PutUint16(e[64:], uint16(2*(len(u)+1)))
		e[66] = typ
		e[67] = 1 // black
		le.PutUint32(e[68:], 0xFFFFFFFF)
		le.PutUint32(e[72:], right)
		le.PutUint32(e[76:], child)
		le.PutUint32(e[116:], 0xFFFFFFFE)
	}
	for i := 0; i < 4; i++ {
		e := dir[i*128:]
		le.PutUint32(e[68:], 0xFFFFFFFF)
		le.PutUint32(e[72:], 0xFFFFFFFF)
		le.PutUint32(e[76:], 0xFFFFFFFF)
	}
	child := uint32(0xFFFFFFFF)
	if len(streams) > 0 {
		child = 1
	}
	entry(0, "Root Entry", 5, child, 0xFFFFFFFF)
	for i, s := range streams {
		right := uint32(0xFFFFFFFF)
		if i+1 < len(streams) {
			right = uint32(i + 2)
		}
		entry(i+1, s, 2, 0xFFFFFFFF, right)
	}
	return buf
}
