package summary

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"reflect"
	"strconv"
	"strings"
	"unicode/utf8"
)

// WriteJSON writes summary.json to w: the same bytes as JSON, written element by
// element. A national roster's summary lists a hundred thousand people below a
// standard and as many problems; encoding it whole holds several copies of a 50 MB
// text (the encoding, then its indented form) at once, where streaming holds one
// element. The fields are taken from the struct, in order, with their json tags, so
// a field added to Summary is written without touching this.
func (s *Summary) WriteJSON(w io.Writer) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	// encode writes v as JSON indented for the given depth (two spaces per level),
	// without the encoder's trailing newline.
	encode := func(v any, depth int) error {
		buf.Reset()
		enc.SetIndent(strings.Repeat("  ", depth), "  ")
		if err := enc.Encode(v); err != nil {
			return err
		}
		_, err := bw.Write(bytes.TrimSuffix(buf.Bytes(), []byte("\n")))
		return err
	}
	v := reflect.ValueOf(s).Elem()
	t := v.Type()
	first := true
	bw.WriteString("{")
	for i := 0; i < t.NumField(); i++ {
		name, omitEmpty := jsonName(t.Field(i))
		if name == "-" || !t.Field(i).IsExported() {
			continue
		}
		fv := v.Field(i)
		if omitEmpty && isEmpty(fv) {
			continue
		}
		if !first {
			bw.WriteString(",")
		}
		first = false
		key, _ := json.Marshal(name)
		fmt.Fprintf(bw, "\n  %s: ", key)
		if fv.Kind() != reflect.Slice || fv.Len() == 0 {
			if err := encode(fv.Interface(), 1); err != nil {
				return fmt.Errorf("mã hóa summary.json, %s: %w", name, err)
			}
			continue
		}
		bw.WriteString("[")
		// A national list of people below a standard is most of the file, and its
		// problems the next largest part: their elements are written by hand
		// (personEncoder, appendProblem), as the encoder would.
		var line []byte
		byHand := func(n int, add func(j int)) {
			for j := range n {
				line = append(line[:0], ",\n    "[1-min(j, 1):]...)
				add(j)
				bw.Write(line)
			}
			bw.WriteString("\n  ]")
		}
		switch list := fv.Interface().(type) {
		case []Person:
			var e personEncoder
			byHand(len(list), func(j int) { line = e.append(line, &list[j]) })
			continue
		case []Problem:
			byHand(len(list), func(j int) { line = appendProblem(line, &list[j]) })
			continue
		}
		for j := 0; j < fv.Len(); j++ {
			if j > 0 {
				bw.WriteString(",")
			}
			bw.WriteString("\n    ")
			if err := encode(fv.Index(j).Interface(), 2); err != nil {
				return fmt.Errorf("mã hóa summary.json, %s[%d]: %w", name, j, err)
			}
		}
		bw.WriteString("\n  ]")
	}
	bw.WriteString("\n}\n")
	return bw.Flush()
}

// jsonName is a struct field's JSON key and whether it has omitempty.
func jsonName(f reflect.StructField) (string, bool) {
	tag, ok := f.Tag.Lookup("json")
	if !ok {
		return f.Name, false
	}
	name, opts, _ := strings.Cut(tag, ",")
	if name == "" {
		name = f.Name
	}
	omit := false
	for _, o := range strings.Split(opts, ",") {
		omit = omit || o == "omitempty"
	}
	return name, omit
}

// isEmpty is encoding/json's notion of empty for omitempty.
func isEmpty(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Array, reflect.Map, reflect.Slice, reflect.String:
		return v.Len() == 0
	case reflect.Bool:
		return !v.Bool()
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return v.Int() == 0
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return v.Uint() == 0
	case reflect.Float32, reflect.Float64:
		return v.Float() == 0
	case reflect.Interface, reflect.Pointer:
		return v.IsNil()
	}
	return false
}

// personEncoder appends people as json.Encoder writes them with SetEscapeHTML(false)
// and SetIndent("    ", "  "), elements of a top-level list. encoding/json took 1.2
// CPU-s for the 333,857 people of a national list; this takes a fraction. It
// remembers the person before: a list repeats its standard, unit, position, file and
// sheet from person to person, and people read from the cache share the very list of
// what they lack, so their encoding is copied, not made again. A test compares the
// output with encoding/json on every field, so a field added to Person or Missing must
// be added here.
type personEncoder struct {
	texts [5]encodedText // standard, unit, position, file, sheet
	lacks *Missing       // the list of what the person before lacked, its length and encoding
	nLack int
	lackJ []byte
}

type encodedText struct {
	s    string
	json []byte
	ok   bool
}

// text appends s, the person's i-th remembered text, encoded.
func (e *personEncoder) text(dst []byte, i int, s string) []byte {
	t := &e.texts[i]
	if !t.ok || t.s != s {
		t.s, t.ok, t.json = s, true, appendJSONString(t.json[:0], s)
	}
	return append(dst, t.json...)
}

// append appends p.
func (e *personEncoder) append(dst []byte, p *Person) []byte {
	const in = "\n      "
	dst = append(dst, "{"+in+`"standard": `...)
	dst = e.text(dst, 0, p.Standard)
	dst = append(dst, ","+in+`"unit": `...)
	dst = e.text(dst, 1, p.Unit)
	if p.Workplace != "" {
		dst = append(dst, ","+in+`"workplace": `...)
		dst = appendJSONString(dst, p.Workplace)
	}
	dst = append(dst, ","+in+`"name": `...)
	dst = appendJSONString(dst, p.Name)
	dst = append(dst, ","+in+`"birth_date": `...)
	dst = appendJSONString(dst, p.BirthDate)
	dst = append(dst, ","+in+`"position": `...)
	dst = e.text(dst, 2, p.Position)
	dst = append(dst, ","+in+`"file": `...)
	dst = e.text(dst, 3, p.File)
	dst = append(dst, ","+in+`"sheet": `...)
	dst = e.text(dst, 4, p.Sheet)
	dst = append(dst, ","+in+`"row": `...)
	dst = strconv.AppendInt(dst, int64(p.Row), 10)
	dst = append(dst, ","+in+`"missing": `...)
	switch {
	case p.Missing == nil:
		dst = append(dst, "null"...)
	case len(p.Missing) == 0:
		dst = append(dst, "[]"...)
	default:
		if &p.Missing[0] != e.lacks || len(p.Missing) != e.nLack {
			e.lacks, e.nLack, e.lackJ = &p.Missing[0], len(p.Missing), appendMissing(e.lackJ[:0], p.Missing)
		}
		dst = append(dst, e.lackJ...)
	}
	return append(dst, "\n    }"...)
}

// appendMissing appends a person's list of what they lack, not empty.
func appendMissing(dst []byte, ms []Missing) []byte {
	const m = "\n          "
	dst = append(dst, '[')
	for i := range ms {
		x := &ms[i]
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = append(dst, "\n        {"+m+`"field": `...)
		dst = appendJSONString(dst, x.Field)
		dst = append(dst, ","+m+`"label": `...)
		dst = appendJSONString(dst, x.Label)
		dst = append(dst, ","+m+`"have": `...)
		dst = appendJSONString(dst, x.Have)
		dst = append(dst, ","+m+`"have_text": `...)
		dst = appendJSONString(dst, x.HaveText)
		dst = append(dst, ","+m+`"need": `...)
		dst = appendJSONString(dst, x.Need)
		dst = append(dst, ","+m+`"need_text": `...)
		dst = appendJSONString(dst, x.NeedText)
		dst = append(dst, "\n        }"...)
	}
	return append(dst, "\n      ]"...)
}

// appendProblem appends p as personEncoder does a person: as json.Encoder writes it,
// an element of a top-level list. Indenting the 42,000 problems of a national batch
// took encoding/json 0.9 CPU-s. A test compares the two on every field, so a field
// added to Problem must be added here.
func appendProblem(dst []byte, p *Problem) []byte {
	const in = "\n      "
	for i, f := range [...]struct{ key, val string }{
		{`"code": `, p.Code}, {`"severity": `, p.Severity}, {`"file": `, p.File}, {`"sheet": `, p.Sheet},
		{`"cell": `, p.Cell}, {`"field": `, p.Field}, {`"raw": `, p.Raw}, {`"message": `, p.Message},
	} {
		if i == 0 {
			dst = append(dst, '{')
		} else {
			dst = append(dst, ',')
		}
		dst = append(dst, in...)
		dst = append(dst, f.key...)
		dst = appendJSONString(dst, f.val)
	}
	if p.More != 0 {
		dst = append(dst, ","+in+`"more": `...)
		dst = strconv.AppendInt(dst, int64(p.More), 10)
	}
	return append(dst, "\n    }"...)
}

// appendJSONString appends s quoted as encoding/json does without HTML escaping.
func appendJSONString(dst []byte, s string) []byte {
	const hex = "0123456789abcdef"
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		b := s[i]
		if b < utf8.RuneSelf {
			if b >= 0x20 && b != '"' && b != '\\' {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
			switch b {
			case '\\', '"':
				dst = append(dst, '\\', b)
			case '\b':
				dst = append(dst, '\\', 'b')
			case '\f':
				dst = append(dst, '\\', 'f')
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			default:
				dst = append(dst, '\\', 'u', '0', '0', hex[b>>4], hex[b&0xF])
			}
			i++
			start = i
			continue
		}
		c, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case c == utf8.RuneError && size == 1:
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\ufffd`...)
		case c == '\u2028' || c == '\u2029':
			dst = append(dst, s[start:i]...)
			dst = append(dst, '\\', 'u', '2', '0', '2', hex[c&0xF])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}
