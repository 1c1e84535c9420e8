package docxreport

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"io"
	"strings"
	"testing"
)

// What a reader finds in the file: word/document.xml read back as paragraphs (with
// their style) and tables (rows of cells' text, and which rows repeat as a header),
// and the other parts by name.

type readPara struct {
	style, text string
	inTable     bool
}

type readTable struct {
	rows   [][]string
	header []bool // the row repeats on each page (w:tblHeader)
}

type readDoc struct {
	parts  map[string][]byte
	paras  []readPara
	tables []readTable
	xml    string // word/document.xml
}

// text is every paragraph's text, one a line.
func (d *readDoc) text() string {
	var b strings.Builder
	for _, p := range d.paras {
		b.WriteString(p.text + "\n")
	}
	return b.String()
}

// find is the first table whose header row (the first) has the given cells, in
// order, among its own.
func (d *readDoc) find(cells ...string) *readTable {
	for i, t := range d.tables {
		if len(t.rows) > 0 && strings.Contains("\x00"+strings.Join(t.rows[0], "\x00")+"\x00", "\x00"+strings.Join(cells, "\x00")+"\x00") {
			return &d.tables[i]
		}
	}
	return nil
}

// rowOf is the first row of t with a cell equal to s.
func (t *readTable) rowOf(s string) []string {
	for _, r := range t.rows {
		for _, c := range r {
			if c == s {
				return r
			}
		}
	}
	return nil
}

func readDocx(t *testing.T, data []byte) *readDoc {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatalf("not a zip: %v", err)
	}
	d := &readDoc{parts: map[string][]byte{}}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		d.parts[f.Name] = b
	}
	for _, name := range []string{"[Content_Types].xml", "_rels/.rels", "word/document.xml", "word/styles.xml",
		"word/settings.xml", "word/_rels/document.xml.rels", "docProps/core.xml", "docProps/app.xml", "word/header1.xml"} {
		b, ok := d.parts[name]
		if !ok {
			t.Fatalf("no %s in the package", name)
		}
		if err := wellFormed(b); err != nil {
			t.Fatalf("%s is not well-formed XML: %v", name, err)
		}
	}
	d.xml = string(d.parts["word/document.xml"])
	dec := xml.NewDecoder(bytes.NewReader(d.parts["word/document.xml"]))
	var (
		tables []*readTable // open tables, innermost last
		para   *readPara
		cell   *strings.Builder
		inText bool
	)
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		switch e := tok.(type) {
		case xml.StartElement:
			switch e.Name.Local {
			case "tbl":
				tables = append(tables, &readTable{})
			case "tr":
				tb := tables[len(tables)-1]
				tb.rows = append(tb.rows, nil)
				tb.header = append(tb.header, false)
			case "tblHeader":
				tb := tables[len(tables)-1]
				tb.header[len(tb.header)-1] = true
			case "tc":
				cell = &strings.Builder{}
			case "p":
				para = &readPara{inTable: len(tables) > 0}
				if cell != nil && cell.Len() > 0 {
					cell.WriteString("\n")
				}
			case "pStyle":
				for _, a := range e.Attr {
					if a.Name.Local == "val" {
						para.style = a.Value
					}
				}
			case "t":
				inText = true
			case "br":
				if para != nil {
					para.text += "\n"
					if cell != nil {
						cell.WriteString("\n")
					}
				}
			}
		case xml.EndElement:
			switch e.Name.Local {
			case "t":
				inText = false
			case "p":
				d.paras = append(d.paras, *para)
				para = nil
			case "tc":
				tb := tables[len(tables)-1]
				tb.rows[len(tb.rows)-1] = append(tb.rows[len(tb.rows)-1], cell.String())
				cell = nil
			case "tbl":
				d.tables = append(d.tables, *tables[len(tables)-1])
				tables = tables[:len(tables)-1]
			}
		case xml.CharData:
			if inText && para != nil {
				para.text += string(e)
				if cell != nil {
					cell.WriteString(string(e))
				}
			}
		}
	}
	return d
}

func wellFormed(b []byte) error {
	dec := xml.NewDecoder(bytes.NewReader(b))
	for {
		if _, err := dec.Token(); err == io.EOF {
			return nil
		} else if err != nil {
			return err
		}
	}
}
