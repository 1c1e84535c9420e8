package feedback

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"testing/iotest"
)

// lexAll concatenates every token's raw bytes, reading r one byte at a time so that
// every buffer boundary is crossed.
func lexAll(t *testing.T, src string) (string, []string) {
	t.Helper()
	l := newLexer(iotest.OneByteReader(strings.NewReader(src)))
	var out bytes.Buffer
	var names []string
	for {
		k, err := l.next()
		if err != nil {
			t.Fatalf("lex %q: %v", src, err)
		}
		if k == tokEOF {
			break
		}
		if k == tokStart || k == tokEnd {
			names = append(names, string(l.name))
		}
		out.Write(l.raw)
	}
	return out.String(), names
}

func TestLexerRoundTrip(t *testing.T) {
	src := `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\r\n" +
		`<x:worksheet xmlns:x="m" a='1>2'><!-- a <comment> --><x:c r="A1" s="3"><x:v>1&amp;2</x:v></x:c>` +
		`<x:c r="B1"/><![CDATA[<not a tag>]]><x:is><x:t xml:space="preserve"> é </x:t></x:is></x:worksheet>`
	got, names := lexAll(t, src)
	if got != src {
		t.Fatalf("round trip:\n got %q\nwant %q", got, src)
	}
	want := "x:worksheet x:c x:v x:v x:c x:c x:is x:t x:t x:is x:worksheet"
	if strings.Join(names, " ") != want {
		t.Errorf("names = %q", names)
	}
}

func TestLexerRefuses(t *testing.T) {
	for _, src := range []string{
		`<!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>`,
		`<x a="1`,
		`<x><!-- never closed`,
	} {
		l := newLexer(strings.NewReader(src))
		var err error
		for err == nil {
			var k tokKind
			k, err = l.next()
			if k == tokEOF && err == nil {
				break
			}
		}
		if err == nil {
			t.Errorf("%q accepted", src)
		}
	}
	long := "<x a=\"" + strings.Repeat("y", maxToken) + "\"/>"
	l := newLexer(strings.NewReader(long))
	if _, err := l.next(); !errors.Is(err, errTokenTooLong) {
		t.Errorf("a %d-byte tag: err = %v", len(long), err)
	}
}

func TestAttrEdits(t *testing.T) {
	tag := []byte(`<c r="B5" s="3" t="s">`)
	if got := string(setAttr(nil, tag, "s", "12")); got != `<c r="B5" s="12" t="s">` {
		t.Errorf("replace: %s", got)
	}
	if got := string(setAttr(nil, []byte(`<c r="B5" />`), "s", "7")); got != `<c r="B5" s="7"/>` {
		t.Errorf("add: %s", got)
	}
	if got := string(delAttr(nil, []byte(`<row r="4" hidden="1" ht="20">`), "hidden")); got != `<row r="4" ht="20">` {
		t.Errorf("delete: %s", got)
	}
	if got := string(openTag(nil, []byte(`<row r="4"/>`))); got != `<row r="4">` {
		t.Errorf("open: %s", got)
	}
	if v, ok := attrValue([]byte(`<sheet name="A &amp; B&#39;s" sheetId='2'/>`), "name"); !ok || v != "A & B's" {
		t.Errorf("attrValue = %q %v", v, ok)
	}
}

func TestEscape(t *testing.T) {
	got := string(escapeText(nil, "a<b>&\x0b_x0041_\n"))
	if got != "a&lt;b&gt;&amp;_x000B__x005F_x0041_\n" {
		t.Errorf("escapeText = %q", got)
	}
	if got := string(escapeAttr(nil, "'DS'!A1 \"q\"\n")); got != "'DS'!A1 &quot;q&quot;&#10;" {
		t.Errorf("escapeAttr = %q", got)
	}
}
