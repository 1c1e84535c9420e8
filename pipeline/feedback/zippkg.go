package feedback

import (
	"archive/zip"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"strings"

	"canbo/pipeline/workbook"
)

// notHandled is returned by the zip patcher for a workbook it does not understand
// well enough to patch (a Strict OOXML file, a sheet whose rows are out of order, a
// missing styles part...). Write then falls back to rebuilding the workbook with
// excelize, which is slower but copes with more; nothing is logged, as nothing is
// wrong with the file.
type notHandled struct{ why string }

func (e *notHandled) Error() string { return "workbook not patchable: " + e.why }

func unhandled(format string, args ...any) error {
	return &notHandled{why: fmt.Sprintf(format, args...)}
}

// pkg is the source workbook opened as a zip package.
type pkg struct {
	f       *os.File
	zr      *zip.Reader
	parts   map[string]*zip.File // partKey → entry
	charged map[string]bool      // parts counted against unzipLimit
	total   int64                // declared sizes of the parts read so far
}

// openPkg opens src. A file that is not a zip at all is an error, not something to
// fall back on: excelize could not open it either.
func openPkg(src string) (*pkg, error) {
	f, err := os.Open(src)
	if err != nil {
		return nil, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	if st.Size() > unzipLimit {
		f.Close()
		return nil, fmt.Errorf("file is larger than %d MB", unzipLimit>>20)
	}
	zr, err := zip.NewReader(f, st.Size())
	if err != nil && !errors.Is(err, zip.ErrInsecurePath) {
		f.Close()
		return nil, err
	}
	p := &pkg{f: f, zr: zr, parts: make(map[string]*zip.File, len(zr.File)), charged: map[string]bool{}}
	for _, zf := range zr.File {
		k := partKey(zf.Name)
		if _, dup := p.parts[k]; dup {
			f.Close()
			return nil, unhandled("two zip entries named %s", zf.Name)
		}
		p.parts[k] = zf
	}
	return p, nil
}

func (p *pkg) close() error { return p.f.Close() }

// partKey normalises a part name for lookup: OPC part names are case-insensitive, and
// some writers use backslashes or a leading slash.
func partKey(name string) string {
	name = strings.ReplaceAll(name, "\\", "/")
	return strings.ToLower(strings.TrimLeft(name, "/"))
}

func (p *pkg) part(name string) *zip.File { return p.parts[partKey(name)] }

// open streams a part after checking its declared size against the limits:
// unzipLimit for one part and for all parts read together. archive/zip refuses to
// inflate more than an entry declares, so a zip bomb is refused here, before any
// inflating.
func (p *pkg) open(name string, limit int64) (io.ReadCloser, error) {
	zf := p.part(name)
	if zf == nil {
		return nil, unhandled("part %s is missing", name)
	}
	size := zf.UncompressedSize64
	if size > uint64(limit) {
		return nil, fmt.Errorf("part %s declares %d MB uncompressed, more than the %d MB allowed",
			name, min(size, 1<<50)>>20, limit>>20)
	}
	if k := partKey(name); !p.charged[k] {
		p.charged[k] = true
		p.total += int64(size)
	}
	if p.total > unzipLimit {
		return nil, fmt.Errorf("the parts read declare more than %d MB uncompressed", unzipLimit>>20)
	}
	rc, err := zf.Open()
	if err != nil {
		return nil, fmt.Errorf("part %s: %w", name, err)
	}
	return rc, nil
}

// read returns a whole part, for the small ones held in memory (workbook, styles,
// relationships, comments): those are bounded by unzipXMLLimit.
func (p *pkg) read(name string) ([]byte, error) {
	rc, err := p.open(name, unzipXMLLimit)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	data, err := io.ReadAll(rc)
	if err != nil {
		return nil, fmt.Errorf("part %s: %w", name, err)
	}
	return data, nil
}

// rel is one relationship of a part.
type rel struct {
	id, typ, target string
	part            string // target resolved to a part name; "" when external
}

// isType reports whether a relationship type ends with /suffix, so the Transitional
// and Strict type URIs both match.
func (r rel) isType(suffix string) bool {
	return strings.HasSuffix(strings.ToLower(r.typ), "/"+strings.ToLower(suffix))
}

// parseRels reads a relationships part; source is the part the relationships belong to.
func parseRels(data []byte, source string) ([]rel, error) {
	var out []rel
	l := newByteLexer(data)
	for {
		k, err := l.next()
		if err != nil {
			return nil, err
		}
		if k == tokEOF {
			return out, nil
		}
		if k != tokStart || !l.isLocal("Relationship") {
			continue
		}
		r := rel{}
		r.id, _ = attrValue(l.raw, "Id")
		r.typ, _ = attrValue(l.raw, "Type")
		r.target, _ = attrValue(l.raw, "Target")
		if mode, _ := attrValue(l.raw, "TargetMode"); !strings.EqualFold(mode, "External") {
			r.part = workbook.ResolveTarget(source, r.target)
		}
		out = append(out, r)
	}
}

// relativeTarget is the relationship target from the part source to the part to:
// xl/worksheets/sheet1.xml → xl/comments1.xml is "../comments1.xml".
func relativeTarget(source, to string) string {
	from := strings.Split(path.Dir(source), "/")
	if path.Dir(source) == "." {
		from = nil
	}
	dest := strings.Split(to, "/")
	i := 0
	for i < len(from) && i < len(dest)-1 && from[i] == dest[i] {
		i++
	}
	return strings.Repeat("../", len(from)-i) + strings.Join(dest[i:], "/")
}

// newRelID returns a relationship id not in taken, and records it there.
func newRelID(taken map[string]bool) string {
	for n := len(taken) + 1; ; n++ {
		id := "rId" + itoa(n)
		if !taken[id] {
			taken[id] = true
			return id
		}
	}
}

// relsXML appends relationship elements to a relationships part (or makes one when
// data is nil).
func relsXML(data []byte, add []rel) ([]byte, error) {
	var b []byte
	for _, r := range add {
		b = append(b, `<Relationship Id="`...)
		b = escapeAttr(b, r.id)
		b = append(b, `" Type="`...)
		b = escapeAttr(b, r.typ)
		b = append(b, `" Target="`...)
		b = escapeAttr(b, r.target)
		b = append(b, `"/>`...)
	}
	if data == nil {
		out := []byte(xmlDecl + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">`)
		out = append(out, b...)
		return append(out, `</Relationships>`...), nil
	}
	return insertBeforeRootEnd(data, "Relationships", b)
}

// insertBeforeRootEnd inserts content just before the end tag of the root element
// (named by its local name), opening a self-closing root if need be.
func insertBeforeRootEnd(data []byte, root string, content []byte) ([]byte, error) {
	l := newByteLexer(data)
	depth := 0
	for {
		k, err := l.next()
		if err != nil {
			return nil, err
		}
		switch k {
		case tokEOF:
			return nil, unhandled("no <%s> root element", root)
		case tokStart:
			if depth == 0 {
				if !l.isLocal(root) {
					return nil, unhandled("root element is <%s>, want <%s>", l.name, root)
				}
				if l.selfClosing {
					return splice(data, l.off, l.off+int64(len(l.raw)),
						append(append(openTag(nil, l.raw), content...), "</"+string(l.name)+">"...)), nil
				}
			}
			if !l.selfClosing {
				depth++
			}
		case tokEnd:
			depth--
			if depth == 0 {
				return splice(data, l.off, l.off, content), nil
			}
		}
	}
}

// splice returns data with data[from:to] replaced by repl.
func splice(data []byte, from, to int64, repl []byte) []byte {
	out := make([]byte, 0, len(data)+len(repl))
	out = append(out, data[:from]...)
	out = append(out, repl...)
	return append(out, data[to:]...)
}

const xmlDecl = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n"

// Namespaces and types the patcher writes.
const (
	nsMain        = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
	nsRel         = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
	nsStrictMain  = "http://purl.oclc.org/ooxml/spreadsheetml/main"
	relTypeBase   = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
	ctWorksheet   = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
	ctComments    = "application/vnd.openxmlformats-officedocument.spreadsheetml.comments+xml"
	ctVMLDrawing  = "application/vnd.openxmlformats-officedocument.vmlDrawing"
	relWorksheet  = relTypeBase + "worksheet"
	relComments   = relTypeBase + "comments"
	relVMLDrawing = relTypeBase + "vmlDrawing"
)
