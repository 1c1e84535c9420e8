package summary

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"reflect"
	"strings"
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
