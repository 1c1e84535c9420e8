package workbook

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"unicode/utf8"
)

// This file is a small pull parser for the subset of XML that OOXML parts use. It exists
// because encoding/xml allocates for every token and is several times slower on the
// millions of <c> elements of a large roster, and because OOXML needs none of its
// namespace machinery: elements and attributes are matched by local name, which is
// also what makes Strict OOXML (purl.oclc.org namespaces) work unchanged.
//
// It is deliberately strict where strictness protects us (DTDs are refused, so no
// entity expansion of any kind; end tags must match; unknown entities are errors;
// nesting depth and token size are bounded) and lenient where Excel is (bytes are
// not validated as UTF-8, so legacy-encoded text survives for later detection).

type tokKind uint8

const (
	tokEOF   tokKind = iota
	tokStart         // <name attr="v"> or <name/>; see scanner.self
	tokEnd           // </name>, also emitted right after a self-closing start
	tokText          // character data, still escaped; may arrive in several pieces
	tokCDATA         // <![CDATA[...]]> content, literal
)

const (
	maxDepth     = 256      // OOXML parts nest a dozen levels at most
	maxTokenSize = 16 << 20 // one tag; Excel cell text is at most 32,767 characters
	readChunk    = 64 << 10
)

var (
	errDTD        = errors.New("XML document type declarations are not allowed")
	errTooDeep    = errors.New("XML nesting too deep")
	errTokenSize  = errors.New("XML tag or text too long")
	errNoRoot     = errors.New("XML part has no root element")
	errUnexpected = errors.New("unexpected end of XML")
)

// attr is one attribute of the current start tag; slices point into the scanner buffer.
type attr struct {
	local []byte // name without prefix
	qname []byte // name as written, e.g. "r:id"
	value []byte // still escaped
}

// span is a piece of the scanner buffer, by offsets. The scanner keeps its token
// data as spans rather than slices: they hold no pointers, so storing them costs no
// GC write barrier, which a slice store does on every token while the GC runs.
type span struct{ lo, hi int32 }

// attrSpan locates one attribute: qname and value as spans, local as the offset where
// the name without prefix starts (it ends with qname).
type attrSpan struct {
	qname, value span
	local        int32
}

// scanner tokenizes XML read from r. Token data (name, qname, attrs, text) is only
// valid until the next call to next.
type scanner struct {
	r        io.Reader
	buf      []byte
	pos, end int
	eof      bool

	kind  tokKind
	nm    span // local name of the current start/end tag; see name
	qn    span // qualified name of the current start/end tag; see qname
	attrs []attrSpan
	self  bool // current start tag was self-closing
	tx    span // see text

	pendingEnd bool       // a self-closing tag still owes its tokEnd
	stack      []openElem // open elements, innermost last
	names      []byte     // qualified names of open elements, concatenated
	root       bool       // a root element was seen

	slow bool // read every tag the general way, without the fast paths (for tests)
}

// openElem locates the qualified name of an open element in scanner.names.
type openElem struct {
	start int  // offset of the qualified name
	local int  // offset of its local name (start when it has no prefix)
	plain bool // the name holds no '>', so "</name>" can be matched in place
}

func newScanner(r io.Reader) *scanner {
	return &scanner{r: r, buf: make([]byte, readChunk)}
}

// name is the local name of the current start or end tag.
func (s *scanner) name() []byte { return s.buf[s.nm.lo:s.nm.hi] }

// qname is the qualified name of the current start or end tag, e.g. "x:c".
func (s *scanner) qname() []byte { return s.buf[s.qn.lo:s.qn.hi] }

// text is the content of the current text or CDATA token.
func (s *scanner) text() []byte { return s.buf[s.tx.lo:s.tx.hi] }

// attrLV returns the local name and the raw value of attribute i of the current
// start tag.
func (s *scanner) attrLV(i int) (local, value []byte) {
	a := &s.attrs[i]
	return s.buf[a.local:a.qname.hi], s.buf[a.value.lo:a.value.hi]
}

// attrAt returns attribute i of the current start tag.
func (s *scanner) attrAt(i int) attr {
	a := &s.attrs[i]
	return attr{local: s.buf[a.local:a.qname.hi], qname: s.buf[a.qname.lo:a.qname.hi], value: s.buf[a.value.lo:a.value.hi]}
}

// spanOf makes the span of s.buf[lo:hi].
func spanOf(lo, hi int) span { return span{int32(lo), int32(hi)} }

// fill reads more input, first moving unread bytes to the front and growing the buffer
// if a single token does not fit (up to maxTokenSize).
func (s *scanner) fill() error {
	if s.eof {
		return nil
	}
	if s.pos > 0 {
		copy(s.buf, s.buf[s.pos:s.end])
		s.end -= s.pos
		s.pos = 0
	}
	if s.end == len(s.buf) {
		if len(s.buf) >= maxTokenSize {
			return errTokenSize
		}
		nb := make([]byte, min(2*len(s.buf), maxTokenSize))
		copy(nb, s.buf[:s.end])
		s.buf = nb
	}
	for tries := 0; ; tries++ {
		n, err := s.r.Read(s.buf[s.end:])
		s.end += n
		if err == io.EOF {
			s.eof = true
			return nil
		}
		if err != nil {
			return err
		}
		if n > 0 {
			return nil
		}
		if tries > 100 {
			return io.ErrNoProgress
		}
	}
}

// indexFrom finds pat at or after s.pos+from, reading more input as needed. It returns
// the offset relative to s.pos, or -1 if the input ends first.
func (s *scanner) indexFrom(from int, pat string) (int, error) {
	for {
		if s.pos+from <= s.end {
			var i int
			if len(pat) == 1 {
				i = bytes.IndexByte(s.buf[s.pos+from:s.end], pat[0])
			} else {
				i = bytes.Index(s.buf[s.pos+from:s.end], []byte(pat))
			}
			if i >= 0 {
				return from + i, nil
			}
		}
		if s.eof {
			return -1, nil
		}
		from = max(from, s.end-s.pos-len(pat)+1)
		if err := s.fill(); err != nil {
			return -1, err
		}
	}
}

// ensure makes n bytes available at s.pos if the input has them.
func (s *scanner) ensure(n int) error {
	for s.end-s.pos < n && !s.eof {
		if err := s.fill(); err != nil {
			return err
		}
	}
	return nil
}

// next advances to the next token.
func (s *scanner) next() (tokKind, error) {
	if s.pendingEnd {
		s.pendingEnd = false
		s.pop()
		s.kind, s.self, s.attrs = tokEnd, false, s.attrs[:0]
		return tokEnd, nil
	}
	for {
		if s.pos >= s.end {
			if !s.eof {
				if err := s.fill(); err != nil {
					return tokEOF, err
				}
				continue
			}
			if len(s.stack) > 0 {
				return tokEOF, errUnexpected
			}
			if !s.root {
				return tokEOF, errNoRoot
			}
			s.kind = tokEOF
			return tokEOF, nil
		}
		if s.buf[s.pos] != '<' {
			rest := s.buf[s.pos:s.end]
			i := bytes.IndexByte(rest, '<')
			if i < 0 {
				i = len(rest)
			}
			s.tx = spanOf(s.pos, s.pos+i)
			s.pos += i
			if len(s.stack) == 0 {
				// Outside the root only whitespace (and a BOM) belongs; ignore it all.
				continue
			}
			s.kind = tokText
			return tokText, nil
		}
		if s.end-s.pos < 2 {
			if err := s.ensure(2); err != nil {
				return tokEOF, err
			}
		}
		if s.end-s.pos < 2 {
			return tokEOF, errUnexpected
		}
		switch s.buf[s.pos+1] {
		case '/':
			return s.endTag()
		case '?':
			i, err := s.indexFrom(2, "?>")
			if err != nil {
				return tokEOF, err
			}
			if i < 0 {
				return tokEOF, errUnexpected
			}
			s.pos += i + 2
			continue
		case '!':
			k, err := s.bang()
			if err != nil || k != tokEOF {
				return k, err
			}
			continue
		default:
			return s.startTag()
		}
	}
}

// bang handles <!-- -->, <![CDATA[ ]]> and refuses <!DOCTYPE (and anything else).
// It returns tokEOF with a nil error for a skipped comment.
func (s *scanner) bang() (tokKind, error) {
	if err := s.ensure(9); err != nil {
		return tokEOF, err
	}
	head := s.buf[s.pos:min(s.end, s.pos+9)]
	switch {
	case bytes.HasPrefix(head, []byte("<!--")):
		i, err := s.indexFrom(4, "-->")
		if err != nil {
			return tokEOF, err
		}
		if i < 0 {
			return tokEOF, errUnexpected
		}
		s.pos += i + 3
		return tokEOF, nil
	case bytes.Equal(head, []byte("<![CDATA[")):
		i, err := s.indexFrom(9, "]]>")
		if err != nil {
			return tokEOF, err
		}
		if i < 0 {
			return tokEOF, errUnexpected
		}
		s.tx = spanOf(s.pos+9, s.pos+i)
		s.pos += i + 3
		if len(s.stack) == 0 {
			return tokEOF, nil // like text outside the root: ignored
		}
		s.kind = tokCDATA
		return tokCDATA, nil
	case len(head) >= 9 && bytes.EqualFold(head[2:9], []byte("DOCTYPE")):
		return tokEOF, errDTD
	}
	return tokEOF, fmt.Errorf("unsupported XML markup %q", head)
}

// tagEnd finds the '>' that closes the tag at s.pos, skipping quoted attribute values
// (which may contain '>').
func (s *scanner) tagEnd() (int, error) {
	i := 1
	var q byte
	for {
		b := s.buf[s.pos:s.end]
		for i < len(b) {
			if q != 0 {
				k := bytes.IndexByte(b[i:], q)
				if k < 0 {
					i = len(b)
					break
				}
				i += k + 1
				q = 0
				continue
			}
			switch c := b[i]; c {
			case '"', '\'':
				q = c
			case '>':
				return i, nil
			case '<':
				return -1, fmt.Errorf("'<' inside a tag")
			}
			i++
		}
		if s.eof {
			return -1, errUnexpected
		}
		if err := s.fill(); err != nil {
			return -1, err
		}
	}
}

func (s *scanner) startTag() (tokKind, error) {
	if !s.slow && len(s.stack) < maxDepth && s.startTagFast() {
		return tokStart, nil
	}
	return s.startTagSlow()
}

// startTagSlow reads any start tag, filling the buffer as needed, and says what is
// wrong with a malformed one.
func (s *scanner) startTagSlow() (tokKind, error) {
	gt, err := s.tagEnd()
	if err != nil {
		return tokEOF, err
	}
	base := s.pos + 1
	body := s.buf[base : s.pos+gt]
	s.pos += gt + 1
	self := false
	if len(body) > 0 && body[len(body)-1] == '/' {
		self = true
		body = body[:len(body)-1]
	}
	n := 0
	for n < len(body) && !isSpace(body[n]) {
		n++
	}
	if n == 0 {
		return tokEOF, fmt.Errorf("empty element name")
	}
	if len(s.stack) >= maxDepth {
		return tokEOF, errTooDeep
	}
	qname := body[:n]
	prefix := n - len(localName(qname))
	s.qn, s.nm = spanOf(base, base+n), spanOf(base+prefix, base+n)
	var perr error
	if s.attrs, perr = appendAttrs(s.attrs[:0], body[n:], base+n); perr != nil {
		return tokEOF, fmt.Errorf("<%s>: %w", qname, perr)
	}
	s.push(prefix, bytes.IndexByte(qname, '>') < 0)
	s.self = self
	s.pendingEnd = self
	s.kind = tokStart
	return tokStart, nil
}

// nameStop marks the bytes that end a name in startTagFast: white space, '>', '/',
// '=', quotes and '<'.
var nameStop = [256]bool{' ': true, '\t': true, '\n': true, '\r': true, '>': true, '/': true, '=': true, '"': true, '\'': true, '<': true}

// startTagFast reads the start tag at s.pos when it lies wholly in the buffer and has
// the plain form every OOXML writer produces: a name, attributes name="value" or
// name='value' (white space allowed around '='), then '>' or "/>". For such a tag it
// gives exactly what tagEnd and appendAttrs give, in one pass and without copying.
// Anything else (a tag cut by the end of the buffer, a name holding '/' or '=', an
// unquoted or unterminated value, a stray quote or '<') makes it return false with
// the scanner's position unchanged, and startTag reads the tag the general way, which
// also produces the errors.
func (s *scanner) startTagFast() bool {
	b := s.buf[s.pos:s.end]
	i, colon := 1, -1
	for i < len(b) && !nameStop[b[i]] {
		if b[i] == ':' && colon < 0 {
			colon = i
		}
		i++
	}
	if i == 1 || i >= len(b) {
		return false
	}
	nameEnd, local := i, 1
	if colon > 1 && colon < i-1 {
		local = colon + 1
	}
	if c := b[i]; !isSpace(c) && c != '>' && c != '/' {
		return false // "<a=b>": the name runs on to the next space
	}
	p := int32(s.pos) // b[i] is s.buf[p+i]
	s.attrs = s.attrs[:0]
	self := false
	for {
		for i < len(b) && isSpace(b[i]) {
			i++
		}
		if i >= len(b) {
			return false
		}
		if c := b[i]; c == '>' {
			break
		} else if c == '/' {
			if i+1 < len(b) && b[i+1] == '>' {
				self = true
				i++
				break
			}
			return false
		}
		// An attribute: name, '=', quoted value.
		start := i
		colon = -1
		for i < len(b) && !nameStop[b[i]] {
			if b[i] == ':' && colon < 0 {
				colon = i
			}
			i++
		}
		if i == start || i >= len(b) {
			return false
		}
		qnEnd, ln := i, start
		if colon > start && colon < i-1 {
			ln = colon + 1
		}
		for i < len(b) && isSpace(b[i]) {
			i++
		}
		if i >= len(b) || b[i] != '=' {
			return false
		}
		i++
		for i < len(b) && isSpace(b[i]) {
			i++
		}
		if i >= len(b) || (b[i] != '"' && b[i] != '\'') {
			return false
		}
		q := b[i]
		i++
		j := bytes.IndexByte(b[i:], q)
		if j < 0 {
			return false
		}
		s.attrs = append(s.attrs, attrSpan{
			qname: span{p + int32(start), p + int32(qnEnd)},
			value: span{p + int32(i), p + int32(i+j)},
			local: p + int32(ln),
		})
		i += j + 1
	}
	// b[i] is the closing '>'.
	s.qn, s.nm = span{p + 1, p + int32(nameEnd)}, span{p + int32(local), p + int32(nameEnd)}
	s.pos += i + 1
	s.push(local-1, true)
	s.self = self
	s.pendingEnd = self
	s.kind = tokStart
	return true
}

// push opens the element whose start tag was just read (s.qn); prefix is the length
// of its namespace prefix and colon, 0 for none.
func (s *scanner) push(prefix int, plain bool) {
	start := len(s.names)
	s.stack = append(s.stack, openElem{start: start, local: start + prefix, plain: plain})
	s.names = append(s.names, s.qname()...)
	s.root = true
}

func (s *scanner) endTag() (tokKind, error) {
	if !s.slow && s.endTagFast() {
		return tokEnd, nil
	}
	return s.endTagSlow()
}

// endTagFast reads the end tag at s.pos when it is exactly "</name>" for the open
// element and lies wholly in the buffer, matching it in place. Otherwise it returns
// false with nothing changed, and endTagSlow reads it.
func (s *scanner) endTagFast() bool {
	n := len(s.stack)
	if n == 0 {
		return false
	}
	e := s.stack[n-1]
	top := s.names[e.start:]
	end := s.pos + 2 + len(top)
	if !e.plain || end >= s.end || s.buf[end] != '>' || !bytes.Equal(s.buf[s.pos+2:end], top) {
		return false
	}
	s.qn, s.nm = spanOf(s.pos+2, end), spanOf(s.pos+2+e.local-e.start, end)
	s.pos = end + 1
	s.pop()
	s.kind, s.self, s.attrs = tokEnd, false, s.attrs[:0]
	return true
}

// endTagSlow reads any end tag, filling the buffer as needed.
func (s *scanner) endTagSlow() (tokKind, error) {
	i, err := s.indexFrom(2, ">")
	if err != nil {
		return tokEOF, err
	}
	if i < 0 {
		return tokEOF, errUnexpected
	}
	lo := s.pos + 2
	q := s.buf[lo : s.pos+i]
	for len(q) > 0 && isSpace(q[len(q)-1]) {
		q = q[:len(q)-1]
	}
	s.pos += i + 1
	if len(s.stack) == 0 {
		return tokEOF, fmt.Errorf("unexpected </%s>", q)
	}
	top := s.names[s.stack[len(s.stack)-1].start:]
	if !bytes.Equal(top, q) {
		return tokEOF, fmt.Errorf("</%s> closes <%s>", q, top)
	}
	s.qn, s.nm = spanOf(lo, lo+len(q)), spanOf(lo+len(q)-len(localName(q)), lo+len(q))
	s.pop()
	s.kind, s.self, s.attrs = tokEnd, false, s.attrs[:0]
	return tokEnd, nil
}

func (s *scanner) pop() {
	top := s.stack[len(s.stack)-1].start
	s.names = s.names[:top]
	s.stack = s.stack[:len(s.stack)-1]
}

// depth is the number of open elements (the current start tag included).
func (s *scanner) depth() int { return len(s.stack) }

// appendAttrs splits name="value" pairs; values keep their escapes. The spans are
// offsets in b plus base.
func appendAttrs(dst []attrSpan, b []byte, base int) ([]attrSpan, error) {
	i := 0
	for {
		for i < len(b) && isSpace(b[i]) {
			i++
		}
		if i == len(b) {
			return dst, nil
		}
		start := i
		for i < len(b) && b[i] != '=' && !isSpace(b[i]) {
			if b[i] == '"' || b[i] == '\'' {
				return dst, fmt.Errorf("malformed attribute")
			}
			i++
		}
		qn := b[start:i]
		for i < len(b) && isSpace(b[i]) {
			i++
		}
		if i == len(b) || b[i] != '=' {
			return dst, fmt.Errorf("attribute %q without value", qn)
		}
		i++
		for i < len(b) && isSpace(b[i]) {
			i++
		}
		if i == len(b) || (b[i] != '"' && b[i] != '\'') {
			return dst, fmt.Errorf("attribute %q value not quoted", qn)
		}
		q := b[i]
		i++
		vs := i
		j := bytes.IndexByte(b[i:], q)
		if j < 0 {
			return dst, fmt.Errorf("attribute %q value not terminated", qn)
		}
		i += j
		dst = append(dst, attrSpan{
			qname: spanOf(base+start, base+start+len(qn)),
			value: spanOf(base+vs, base+i),
			local: int32(base + start + len(qn) - len(localName(qn))),
		})
		i++
	}
}

// attr returns the raw value of the attribute with the given local name.
func (s *scanner) attr(local string) ([]byte, bool) {
	for i := range s.attrs {
		a := &s.attrs[i]
		if string(s.buf[a.local:a.qname.hi]) == local {
			return s.buf[a.value.lo:a.value.hi], true
		}
	}
	return nil, false
}

// attrString returns the unescaped value of an attribute, or "".
func (s *scanner) attrString(local string) (string, error) {
	v, ok := s.attr(local)
	if !ok {
		return "", nil
	}
	return unescapeString(v)
}

// skip consumes the rest of the element whose start tag was just read.
func (s *scanner) skip() error {
	d := s.depth()
	for s.depth() >= d {
		k, err := s.next()
		if err != nil {
			return err
		}
		if k == tokEOF {
			return errUnexpected
		}
		if k == tokEnd && s.depth() < d {
			return nil
		}
	}
	return nil
}

// localName strips a namespace prefix. Like encoding/xml, it splits at the first
// colon and only when both sides are non-empty.
func localName(q []byte) []byte {
	if i := bytes.IndexByte(q, ':'); i >= 1 && i < len(q)-1 {
		return q[i+1:]
	}
	return q
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// appendUnescaped appends text with the five XML entities and character references
// resolved, and literal line ends normalised to "\n" as XML requires (a "&#13;" stays
// a carriage return). Any other entity is an error: no DTD may define one, so such a
// reference is either damage or an attempted entity-expansion attack.
func appendUnescaped(dst, src []byte) ([]byte, error) {
	for {
		i := bytes.IndexByte(src, '&')
		if i < 0 {
			return appendNormalized(dst, src), nil
		}
		dst = appendNormalized(dst, src[:i])
		src = src[i:]
		j := bytes.IndexByte(src, ';')
		if j < 0 || j > 12 {
			return dst, fmt.Errorf("malformed entity reference near %q", src[:min(len(src), 12)])
		}
		ent := src[1:j]
		src = src[j+1:]
		switch string(ent) {
		case "lt":
			dst = append(dst, '<')
		case "gt":
			dst = append(dst, '>')
		case "amp":
			dst = append(dst, '&')
		case "quot":
			dst = append(dst, '"')
		case "apos":
			dst = append(dst, '\'')
		default:
			if len(ent) < 2 || ent[0] != '#' {
				return dst, fmt.Errorf("undefined entity &%s;", ent)
			}
			var n uint64
			var err error
			if ent[1] == 'x' || ent[1] == 'X' {
				n, err = strconv.ParseUint(string(ent[2:]), 16, 32)
			} else {
				n, err = strconv.ParseUint(string(ent[1:]), 10, 32)
			}
			if err != nil {
				return dst, fmt.Errorf("malformed character reference &%s;", ent)
			}
			r := rune(n)
			if n > utf8.MaxRune || !utf8.ValidRune(r) {
				r = utf8.RuneError
			}
			dst = utf8.AppendRune(dst, r)
		}
	}
}

// appendNormalized appends literal text turning "\r\n" and lone "\r" into "\n".
func appendNormalized(dst, src []byte) []byte {
	for {
		i := bytes.IndexByte(src, '\r')
		if i < 0 {
			return append(dst, src...)
		}
		dst = append(append(dst, src[:i]...), '\n')
		src = src[i+1:]
		if len(src) > 0 && src[0] == '\n' {
			src = src[1:]
		}
	}
}

// needsUnescape reports whether raw text differs from its unescaped form.
func needsUnescape(b []byte) bool {
	return bytes.IndexByte(b, '&') >= 0 || bytes.IndexByte(b, '\r') >= 0
}

func unescapeString(b []byte) (string, error) {
	if !needsUnescape(b) {
		return string(b), nil
	}
	out, err := appendUnescaped(make([]byte, 0, len(b)), b)
	return string(out), err
}

// appendEscapedCDATA appends literal CDATA text in escaped form, so text gathered from
// character data and CDATA sections can be unescaped in one pass at the end.
func appendEscapedCDATA(dst, src []byte) []byte {
	for _, c := range src {
		switch c {
		case '&':
			dst = append(dst, "&amp;"...)
		case '<':
			dst = append(dst, "&lt;"...)
		default:
			dst = append(dst, c)
		}
	}
	return dst
}
