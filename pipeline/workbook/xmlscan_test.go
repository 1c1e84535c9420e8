package workbook

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"strings"
	"testing"
	"testing/iotest"
)

// scanCanon renders the tokens of our scanner in a canonical form: elements and
// attributes by local name, text unescaped and merged, comments and PIs dropped.
func scanCanon(r io.Reader) (string, error) {
	sc := newScanner(r)
	var out strings.Builder
	var text []byte
	flush := func() error {
		if len(text) == 0 {
			return nil
		}
		s, err := unescapeString(text)
		if err != nil {
			return err
		}
		fmt.Fprintf(&out, "T%q\n", s)
		text = text[:0]
		return nil
	}
	for {
		k, err := sc.next()
		if err != nil {
			return "", err
		}
		if k == tokText {
			text = append(text, sc.text...)
			continue
		}
		if k == tokCDATA {
			text = appendEscapedCDATA(text, sc.text)
			continue
		}
		if err := flush(); err != nil {
			return "", err
		}
		switch k {
		case tokEOF:
			return out.String(), nil
		case tokStart:
			fmt.Fprintf(&out, "S%s", sc.name)
			for _, a := range sc.attrs {
				v, err := unescapeString(a.value)
				if err != nil {
					return "", err
				}
				fmt.Fprintf(&out, " %s=%q", a.local, v)
			}
			out.WriteString("\n")
		case tokEnd:
			fmt.Fprintf(&out, "E%s\n", sc.name)
		}
	}
}

// xmlCanon renders what encoding/xml reads in the same form. ok is false when
// encoding/xml rejects the document, or it holds things our scanner refuses by design
// (DTDs) or cannot be compared (no element at all, nesting beyond maxDepth).
func xmlCanon(data []byte) (string, bool) {
	d := xml.NewDecoder(bytes.NewReader(data))
	var out strings.Builder
	var text strings.Builder
	depth, elements := 0, 0
	flush := func() {
		if text.Len() > 0 {
			fmt.Fprintf(&out, "T%q\n", text.String())
			text.Reset()
		}
	}
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return "", false
		}
		switch t := tok.(type) {
		case xml.StartElement:
			flush()
			depth++
			elements++
			if depth > maxDepth {
				return "", false
			}
			fmt.Fprintf(&out, "S%s", t.Name.Local)
			for _, a := range t.Attr {
				fmt.Fprintf(&out, " %s=%q", a.Name.Local, a.Value)
			}
			out.WriteString("\n")
		case xml.EndElement:
			flush()
			depth--
			fmt.Fprintf(&out, "E%s\n", t.Name.Local)
		case xml.CharData:
			if depth > 0 {
				text.Write(t)
			}
		case xml.Directive:
			return "", false
		}
	}
	flush()
	return out.String(), elements > 0
}

var scannerDocs = []string{
	`<a/>`,
	"\xef\xbb\xbf<?xml version=\"1.0\"?>\n<x:a xmlns:x=\"u\" x:b='1' c=\"&lt;&amp;&gt;&quot;&apos;\">t&#10;&#x1EA1;<b/><!-- c --><![CDATA[<&]]>u</x:a>\n",
	`<a b="x>y" c='"'>1<b>2</b >3</a>`,
	"<a>line1\r\nline2\rline3&#13;</a>",
	`<sst><si><t>` + strings.Repeat("Nguyễn Văn A ", 20000) + `</t></si></sst>`,
	`<a>` + strings.Repeat(`<c r="A1" s="1" t="s"><v>0</v></c>`, 5000) + `</a>`,
	`<a ` + strings.Repeat(`k="v" `, 30000) + `/>`,
}

func TestScannerMatchesEncodingXML(t *testing.T) {
	for i, doc := range scannerDocs {
		want, ok := xmlCanon([]byte(doc))
		if !ok {
			t.Fatalf("doc %d: encoding/xml rejects it", i)
		}
		for name, r := range map[string]io.Reader{
			"whole":    strings.NewReader(doc),
			"one byte": iotest.OneByteReader(strings.NewReader(doc)),
			"half":     iotest.HalfReader(strings.NewReader(doc)),
		} {
			got, err := scanCanon(r)
			if err != nil {
				t.Errorf("doc %d, %s reader: %v", i, name, err)
				continue
			}
			if got != want {
				t.Errorf("doc %d, %s reader:\ngot  %.300q\nwant %.300q", i, name, got, want)
			}
		}
	}
}

func TestScannerErrors(t *testing.T) {
	for _, doc := range []string{
		``, `   `, `<a>`, `<a></b>`, `</a>`, `<a b></a>`, `<a b=1></a>`, `<a b="1></a>`, `<a>&foo;</a>`, `<a>&amp</a>`,
		`<a>&#xZZ;</a>`, `<!DOCTYPE a><a/>`, `<!doctype a><a/>`, `<!ELEMENT a><a/>`, `<a><!-- x</a>`, `<a><![CDATA[x</a>`,
		`<a><?pi x</a>`, `<a <b/></a>`, `< a/>`, `<a>` + strings.Repeat(`<b>`, maxDepth) + strings.Repeat(`</b>`, maxDepth) + `</a>`,
	} {
		if _, err := scanCanon(strings.NewReader(doc)); err == nil {
			t.Errorf("%.60q: no error", doc)
		}
	}
}

// FuzzScanner checks the hand-written scanner against encoding/xml: whenever
// encoding/xml accepts a document, the scanner must read the same elements,
// attributes and text. The scanner may be more lenient, never stricter or different.
func FuzzScanner(f *testing.F) {
	for _, d := range scannerDocs[:4] {
		f.Add([]byte(d))
	}
	f.Add([]byte(ws(`<row r="1"><c r="A1" t="inlineStr"><is><r><t>a</t></r></is></c></row>`, `<mergeCells><mergeCell ref="A1:B2"/></mergeCells>`)))
	f.Fuzz(func(t *testing.T, data []byte) {
		got, err := scanCanon(bytes.NewReader(data))
		want, ok := xmlCanon(data)
		if !ok {
			return
		}
		if err != nil {
			t.Fatalf("encoding/xml accepts %q, scanner says %v", data, err)
		}
		if got != want {
			t.Fatalf("%q:\nscanner %q\nxml     %q", data, got, want)
		}
	})
}
