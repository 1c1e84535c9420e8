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
func scanCanon(r io.Reader) (string, error) { return scanCanonMode(r, false) }

// scanCanonMode is scanCanon, reading every tag the general way when slow is set.
func scanCanonMode(r io.Reader, slow bool) (string, error) {
	sc := newScanner(r)
	sc.slow = slow
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
			text = append(text, sc.text()...)
			continue
		}
		if k == tokCDATA {
			text = appendEscapedCDATA(text, sc.text())
			continue
		}
		if err := flush(); err != nil {
			return "", err
		}
		switch k {
		case tokEOF:
			return out.String(), nil
		case tokStart:
			fmt.Fprintf(&out, "S%s", sc.name())
			for i := range sc.attrs {
				a := sc.attrAt(i)
				v, err := unescapeString(a.value)
				if err != nil {
					return "", err
				}
				fmt.Fprintf(&out, " %s=%q", a.local, v)
			}
			out.WriteString("\n")
		case tokEnd:
			fmt.Fprintf(&out, "E%s\n", sc.name())
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
		// The fast paths must read exactly what the general way reads, and fail
		// where it fails, whatever encoding/xml makes of the input.
		slow, slowErr := scanCanonMode(bytes.NewReader(data), true)
		if (err == nil) != (slowErr == nil) || got != slow {
			t.Fatalf("%q:\nfast %q, %v\nslow %q, %v", data, got, err, slow, slowErr)
		}
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

// tagForms are start and end tags in the forms OOXML writers use and in odd ones that
// the fast paths must leave to the general way. fast says whether startTagFast takes
// the start tag.
var tagForms = []struct {
	doc  string
	fast bool
}{
	{`<c r="A1" s="3" t="inlineStr"><v>1</v></c>`, true},
	{`<c t="s" s="3" r="A1"><v>1</v></c>`, true},               // attributes in another order
	{`<c r='A1' s="1"></c>`, true},                             // single quotes
	{"<c r = \"A1\"\t s=\n'1' ></c>", true},                    // white space around '='
	{`<c r="A1"s="1"></c>`, true},                              // no space between attributes
	{`<x:c x:r="A1" xmlns:x="u"/>`, true},                      // prefixes, self-closing
	{`<row r="1" spans="1:11" x14ac:dyDescent="0.25"/>`, true}, // a prefixed attribute
	{`<a b="x>y" c='"' d="<&amp;"></a>`, true},                 // '>', quote, '<' in values
	{`<a:b:c d:e:f="1"></a:b:c>`, true},                        // split at the first colon
	{`<a: b:="1" :c="2"></a:>`, true},                          // a colon first or last does not split
	{`<:a :b="1"></:a>`, true},                                 //
	{`<a b=""/>`, true},                                        // empty value
	{`<a/>`, true},                                             //
	{`<a></a >`, true},                                         // end tag with a space
	{`<a/ >`, false},                                           // '/' not before '>'
	{`<a b="1" / >`, false},                                    //
	{`<a=b></a=b>`, false},                                     // '=' in the name
	{`<a b/c="1"></a>`, false},                                 // '/' in an attribute name
	{`<a ="1"></a>`, false},                                    // empty attribute name
	{`<a"x>y"></a"x>y">`, false},                               // a quote in the name
	{`<a b></a>`, false},                                       // no value
	{`<a b=1></a>`, false},                                     // unquoted
	{`<a b="1></a>`, false},                                    // unterminated
	{`<a <b/></a>`, false},                                     // '<' inside a tag
	{`< a/>`, false},                                           // empty name
	{`<a b="1"`, false},                                        // cut
}

// TestStartTagFast checks that startTagFast reads each tag form as startTagSlow does,
// or leaves it untouched to it, and that it takes the plain forms.
func TestStartTagFast(t *testing.T) {
	for _, tc := range tagForms {
		fast := compareStartTag(t, []byte(tc.doc))
		if fast != tc.fast {
			t.Errorf("%q: fast path taken %v, want %v", tc.doc, fast, tc.fast)
		}
	}
}

// compareStartTag reads the start tag at the beginning of doc both ways and reports
// whether the fast path took it.
func compareStartTag(t *testing.T, doc []byte) bool {
	t.Helper()
	fast, slow := newScanner(bytes.NewReader(doc)), newScanner(bytes.NewReader(doc))
	if err := fast.fill(); err != nil {
		t.Fatal(err)
	}
	if len(doc) < 2 || doc[0] != '<' || !fast.startTagFast() {
		if fast.pos != 0 || len(fast.stack) != 0 {
			t.Fatalf("%q: startTagFast gave up after moving on", doc)
		}
		return false
	}
	if err := slow.fill(); err != nil {
		t.Fatal(err)
	}
	if k, err := slow.startTagSlow(); k != tokStart || err != nil {
		t.Fatalf("%q: fast path took a tag the general way refuses (%v)", doc, err)
	}
	render := func(s *scanner) string {
		out := fmt.Sprintf("pos %d name %q qname %q self %v pending %v stack %v names %q attrs", s.pos, s.name(), s.qname(), s.self, s.pendingEnd, s.stack, s.names)
		for i := range s.attrs {
			a := s.attrAt(i)
			out += fmt.Sprintf(" %q|%q|%q", a.local, a.qname, a.value)
		}
		return out
	}
	if f, s := render(fast), render(slow); f != s {
		t.Fatalf("%q:\nfast %s\nslow %s", doc, f, s)
	}
	return true
}

// TestTagsAcrossReads reads the tag forms one byte at a time and in halves, so that
// tags are cut by the end of the buffer, and checks the fast paths against the
// general way.
func TestTagsAcrossReads(t *testing.T) {
	for _, tc := range tagForms {
		want, wantErr := scanCanonMode(strings.NewReader(tc.doc), true)
		for name, r := range map[string]io.Reader{
			"whole":    strings.NewReader(tc.doc),
			"one byte": iotest.OneByteReader(strings.NewReader(tc.doc)),
			"half":     iotest.HalfReader(strings.NewReader(tc.doc)),
		} {
			got, err := scanCanon(r)
			if got != want || (err == nil) != (wantErr == nil) {
				t.Errorf("%q, %s reader: got %q, %v; want %q, %v", tc.doc, name, got, err, want, wantErr)
			}
		}
	}
}

// FuzzStartTag checks startTagFast against startTagSlow on arbitrary tags.
func FuzzStartTag(f *testing.F) {
	for _, tc := range tagForms {
		f.Add([]byte(tc.doc))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		compareStartTag(t, append([]byte("<"), data...))
	})
}
