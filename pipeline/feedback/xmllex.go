package feedback

import (
	"bytes"
	"errors"
	"fmt"
	"io"
)

// This file is a lexical scanner for the XML parts the patcher rewrites. It cuts a
// part into tags, text and other markup and hands each piece back as the exact bytes
// of the input, so a rewriter can copy what it does not change byte for byte. It
// does not check nesting or decode anything: the parts come from a workbook that was
// read successfully before, and the rewriter only needs to know where each tag
// starts and ends. encoding/xml is not used because its Encoder re-spells namespace
// prefixes and it allocates for every token of a sheet with millions of cells.
//
// Entities are never expanded and a DOCTYPE is refused, so no input can make the
// scanner produce more than it reads; a single tag (or comment, CDATA section,
// processing instruction) longer than maxToken is an error rather than a buffer
// that grows with the input. Text is handed out in pieces and is not bounded.

type tokKind uint8

const (
	tokEOF   tokKind = iota
	tokStart         // <name ...> or <name .../> (see lexer.selfClosing)
	tokEnd           // </name>
	tokText          // character data, still escaped; may come in several pieces
	tokOther         // comment, CDATA section, processing instruction or XML declaration
)

const (
	lexChunk = 64 << 10
	maxToken = 4 << 20
)

var (
	errTokenTooLong = errors.New("XML tag longer than 4 MB")
	errDoctype      = errors.New("XML document type declarations are not allowed")
	errBadMarkup    = errors.New("malformed XML markup")
)

// lexer scans XML read from r. The token slices (raw, name) are valid until the next
// call to next.
type lexer struct {
	r        io.Reader
	buf      []byte
	pos, end int
	eof      bool
	err      error
	consumed int64 // input bytes before buf[0]

	kind        tokKind
	raw         []byte // the token's bytes exactly as in the input
	name        []byte // qualified name of a start or end tag
	selfClosing bool
	off         int64 // input offset of raw[0]
}

func newLexer(r io.Reader) *lexer {
	return &lexer{r: r, buf: make([]byte, lexChunk)}
}

// newByteLexer scans a part already in memory, without copying it.
func newByteLexer(data []byte) *lexer {
	return &lexer{buf: data, end: len(data), eof: true}
}

// fill reads more input. It moves the unread bytes to the front and grows the buffer
// when a token does not fit, up to maxToken.
func (l *lexer) fill() error {
	if l.eof {
		return io.EOF
	}
	if l.pos > 0 {
		n := copy(l.buf, l.buf[l.pos:l.end])
		l.consumed += int64(l.pos)
		l.pos, l.end = 0, n
	}
	if l.end == len(l.buf) {
		if len(l.buf) >= maxToken {
			return errTokenTooLong
		}
		nb := make([]byte, min(2*len(l.buf), maxToken))
		copy(nb, l.buf[:l.end])
		l.buf = nb
	}
	n, err := l.r.Read(l.buf[l.end:])
	l.end += n
	if err == io.EOF {
		l.eof = true
		if n == 0 {
			return io.EOF
		}
		return nil
	}
	return err
}

// next advances to the next token. At the end of the input it returns tokEOF and a
// nil error.
func (l *lexer) next() (tokKind, error) {
	if l.err != nil {
		return tokEOF, l.err
	}
	k, err := l.scan()
	if err != nil {
		if err == io.EOF {
			err = io.ErrUnexpectedEOF
		}
		l.err = err
		return tokEOF, err
	}
	l.kind = k
	return k, nil
}

func (l *lexer) scan() (tokKind, error) {
	for l.pos == l.end {
		if err := l.fill(); err == io.EOF {
			l.raw, l.name = nil, nil
			return tokEOF, nil
		} else if err != nil {
			return tokEOF, err
		}
	}
	l.off = l.consumed + int64(l.pos)
	if l.buf[l.pos] != '<' {
		// Text up to the next tag or the end of what is buffered.
		i := bytes.IndexByte(l.buf[l.pos:l.end], '<')
		end := l.end
		if i >= 0 {
			end = l.pos + i
		}
		l.raw, l.name = l.buf[l.pos:end], nil
		l.pos = end
		return tokText, nil
	}
	for l.end-l.pos < 2 {
		if err := l.fill(); err != nil {
			return tokEOF, err
		}
	}
	switch l.buf[l.pos+1] {
	case '?':
		return l.until("?>", tokOther)
	case '!':
		for l.end-l.pos < 9 {
			if err := l.fill(); err == io.EOF {
				break
			} else if err != nil {
				return tokEOF, err
			}
		}
		rest := l.buf[l.pos+2 : l.end]
		switch {
		case bytes.HasPrefix(rest, []byte("--")):
			return l.until("-->", tokOther)
		case bytes.HasPrefix(rest, []byte("[CDATA[")):
			return l.until("]]>", tokOther)
		}
		return tokEOF, errDoctype
	}
	// A tag: find its '>' outside quoted attribute values ('>' is legal inside them).
	var quote byte
	for i := l.pos + 1; ; i++ {
		for i >= l.end {
			start := l.pos
			if err := l.fill(); err != nil {
				if err == io.EOF {
					return tokEOF, errBadMarkup
				}
				return tokEOF, err
			}
			i -= start - l.pos
		}
		c := l.buf[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '>':
			l.raw = l.buf[l.pos : i+1]
			l.pos = i + 1
			return l.tag()
		}
	}
}

// until scans markup that ends with term (comments, CDATA, processing instructions).
func (l *lexer) until(term string, k tokKind) (tokKind, error) {
	from := 2
	for {
		if i := bytes.Index(l.buf[l.pos+from:l.end], []byte(term)); i >= 0 {
			end := l.pos + from + i + len(term)
			l.raw, l.name = l.buf[l.pos:end], nil
			l.pos = end
			return k, nil
		}
		// fill keeps l.pos at the token's start, so from stays relative to it.
		from = max(2, l.end-l.pos-len(term))
		if err := l.fill(); err != nil {
			if err == io.EOF {
				return tokEOF, errBadMarkup
			}
			return tokEOF, err
		}
	}
}

// tag sets name and selfClosing for the tag in raw.
func (l *lexer) tag() (tokKind, error) {
	t := l.raw
	k := tokStart
	i := 1
	if len(t) > 1 && t[1] == '/' {
		k, i = tokEnd, 2
	}
	j := i
	for j < len(t) && !isSpace(t[j]) && t[j] != '/' && t[j] != '>' {
		j++
	}
	if j == i {
		return tokEOF, errBadMarkup
	}
	l.name = t[i:j]
	l.selfClosing = k == tokStart && len(t) >= 2 && t[len(t)-2] == '/'
	return k, nil
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// localName strips a namespace prefix: "x:row" → "row".
func localName(qname []byte) []byte {
	if i := bytes.IndexByte(qname, ':'); i >= 0 {
		return qname[i+1:]
	}
	return qname
}

// prefixOf returns the prefix of a qualified name with its colon ("x:"), or "".
func prefixOf(qname []byte) string {
	if i := bytes.IndexByte(qname, ':'); i >= 0 {
		return string(qname[:i+1])
	}
	return ""
}

// isLocal reports whether the current token is a start or end tag with this local name.
func (l *lexer) isLocal(name string) bool {
	return string(localName(l.name)) == name
}

// attrSpan locates one attribute in a tag: the whole " name='value'" (with its
// leading space) is tag[start:end], the value without quotes tag[vstart:vend].
type attrSpan struct {
	start, end, vstart, vend int
	name                     []byte
}

// eachAttr calls fn for every attribute of a start tag, stopping when fn returns false.
func eachAttr(tag []byte, fn func(a attrSpan) bool) error {
	i := 1
	for i < len(tag) && !isSpace(tag[i]) && tag[i] != '/' && tag[i] != '>' {
		i++
	}
	for {
		start := i
		for i < len(tag) && isSpace(tag[i]) {
			i++
		}
		if i >= len(tag) || tag[i] == '/' || tag[i] == '>' {
			return nil
		}
		n := i
		for i < len(tag) && tag[i] != '=' && !isSpace(tag[i]) && tag[i] != '>' {
			i++
		}
		name := tag[n:i]
		for i < len(tag) && isSpace(tag[i]) {
			i++
		}
		if i >= len(tag) || tag[i] != '=' {
			return errBadMarkup
		}
		i++
		for i < len(tag) && isSpace(tag[i]) {
			i++
		}
		if i >= len(tag) || (tag[i] != '"' && tag[i] != '\'') {
			return errBadMarkup
		}
		q := tag[i]
		vs := i + 1
		ve := bytes.IndexByte(tag[vs:], q)
		if ve < 0 {
			return errBadMarkup
		}
		ve += vs
		i = ve + 1
		if !fn(attrSpan{start: start, end: i, vstart: vs, vend: ve, name: name}) {
			return nil
		}
	}
}

// findAttr returns the span of the attribute with this qualified name.
func findAttr(tag []byte, qname string) (attrSpan, bool) {
	var found attrSpan
	ok := false
	_ = eachAttr(tag, func(a attrSpan) bool {
		if string(a.name) == qname {
			found, ok = a, true
			return false
		}
		return true
	})
	return found, ok
}

// attrValue returns an attribute's value, unescaped, and whether it is present.
func attrValue(tag []byte, qname string) (string, bool) {
	a, ok := findAttr(tag, qname)
	if !ok {
		return "", false
	}
	return unescape(tag[a.vstart:a.vend]), true
}

// setAttr appends tag to dst with the attribute qname set to value (already escaped):
// replaced in place when present, added at the end otherwise.
func setAttr(dst, tag []byte, qname, value string) []byte {
	if a, ok := findAttr(tag, qname); ok {
		dst = append(dst, tag[:a.vstart]...)
		dst = append(dst, value...)
		return append(dst, tag[a.vend:]...)
	}
	closing := len(tag) - 1
	if closing > 0 && tag[closing-1] == '/' {
		closing--
	}
	end := closing
	for end > 0 && isSpace(tag[end-1]) {
		end--
	}
	dst = append(dst, tag[:end]...)
	dst = append(dst, ' ')
	dst = append(dst, qname...)
	dst = append(dst, `="`...)
	dst = append(dst, value...)
	dst = append(dst, '"')
	return append(dst, tag[closing:]...)
}

// delAttr appends tag to dst without the attribute qname.
func delAttr(dst, tag []byte, qname string) []byte {
	if a, ok := findAttr(tag, qname); ok {
		dst = append(dst, tag[:a.start]...)
		return append(dst, tag[a.end:]...)
	}
	return append(dst, tag...)
}

// openTag turns a self-closing start tag into an opening one: <a x="1"/> → <a x="1">.
func openTag(dst, tag []byte) []byte {
	if len(tag) >= 2 && tag[len(tag)-2] == '/' {
		dst = append(dst, tag[:len(tag)-2]...)
		return append(dst, '>')
	}
	return append(dst, tag...)
}

// unescape decodes the five predefined entities and character references. An
// unknown or broken reference is kept as written.
func unescape(b []byte) string {
	if bytes.IndexByte(b, '&') < 0 {
		return string(b)
	}
	out := make([]byte, 0, len(b))
	for i := 0; i < len(b); i++ {
		if b[i] != '&' {
			out = append(out, b[i])
			continue
		}
		j := bytes.IndexByte(b[i:], ';')
		if j < 0 {
			out = append(out, b[i:]...)
			break
		}
		ent := string(b[i+1 : i+j])
		switch ent {
		case "lt":
			out = append(out, '<')
		case "gt":
			out = append(out, '>')
		case "amp":
			out = append(out, '&')
		case "quot":
			out = append(out, '"')
		case "apos":
			out = append(out, '\'')
		default:
			var r rune
			var err error
			switch {
			case len(ent) > 2 && (ent[:2] == "#x" || ent[:2] == "#X"):
				_, err = fmt.Sscanf(ent[2:], "%x", &r)
			case len(ent) > 1 && ent[0] == '#':
				_, err = fmt.Sscanf(ent[1:], "%d", &r)
			default:
				err = errBadMarkup
			}
			if err != nil {
				out = append(out, b[i:i+j+1]...)
			} else {
				out = append(out, string(r)...)
			}
		}
		i += j
	}
	return string(out)
}

// The two skips below let a rewriter pass over the cells it does not change without
// cutting them into tokens: a sheet of 5,000 people is about 55,000 tags, of which a
// feedback copy changes a few hundred. Both rely on what makes XML cheap to search:
// outside comments, CDATA sections and processing instructions a '<' always opens a
// tag, since text and attribute values must spell it &lt;. So they stop short at any
// "<!" or "<?", and the lexer takes over there.

// skipTo passes over input up to the next end tag named qname ("</sheetData>", the
// angle brackets not included in qname), or the next comment, CDATA section or
// processing instruction, whichever comes first; next then returns that token. The
// caller must know that nothing it needs lies before it (the cells, for a scan after
// what follows sheetData) and that the elements passed over are balanced. It passes
// over at most one buffer of a streamed part at a time and reports done once it is
// at that token or at the end of the input, so a caller can check for cancellation
// between calls on a very large part.
func (l *lexer) skipTo(qname []byte) (done bool, err error) {
	win := l.buf[l.pos:l.end]
	if l.r == nil {
		// The whole part is in memory: its last such end tag is the one, unless it
		// lies in a comment, CDATA section or processing instruction, or one after
		// it could hold the real one; then the tail has the start or the end of one.
		// Looking from the end passes over the rows without reading them.
		end := append([]byte("</"), qname...)
		if i := bytes.LastIndex(win, end); i >= 0 && isNamed(win[i+2:], qname, false) && !hidesMarkup(win[i:]) {
			l.pos += i
			return true, nil
		}
	}
	for i := 0; ; {
		j := bytes.IndexByte(win[i:], '<')
		if j < 0 {
			break
		}
		i += j
		rest := win[i+1:]
		if len(rest) < len(qname)+2 {
			if l.eof {
				break // no room left for the end tag
			}
			// Too close to the end of the buffer to tell: read on from here.
			l.pos += i
			return l.refill()
		}
		if rest[0] == '!' || rest[0] == '?' || (rest[0] == '/' && isNamed(rest[1:], qname, false)) {
			l.pos += i
			return true, nil
		}
		i++
	}
	l.pos = l.end
	return l.refill()
}

// hidesMarkup reports whether b holds a comment, CDATA section or processing
// instruction, or the end of one.
func hidesMarkup(b []byte) bool {
	for _, m := range []string{"<!", "<?", "-->", "]]>", "?>"} {
		if bytes.Contains(b, []byte(m)) {
			return true
		}
	}
	return false
}

// refill reads the next buffer for a skip; at the end of the input the skip is done.
func (l *lexer) refill() (bool, error) {
	if err := l.fill(); err == io.EOF {
		return true, nil
	} else if err != nil {
		return false, err
	}
	return false, nil
}

// skipElement passes over the rest of the element whose start tag was the last token
// (qname, not self-closing), its end tag included, and returns the bytes passed over,
// valid until the next call to next. It does so only when the end tag is already
// buffered and nothing on the way is a comment, CDATA section, processing
// instruction or an element of the same name (which could hide the end tag's
// nesting); otherwise it passes over nothing and returns false, and the caller goes
// on token by token. Rows of a worksheet are short, so nearly every one fits.
//
// It looks for the last letter of the name rather than for every '<': in a row that
// is the 'w' of "</row>", met a few times in a row's 600 bytes where '<' is met 60.
func (l *lexer) skipElement(qname []byte) ([]byte, bool) {
	win := l.buf[l.pos:l.end]
	n := len(qname)
	for i := 0; ; i++ {
		j := bytes.IndexByte(win[i:], qname[n-1])
		if j < 0 {
			return nil, false
		}
		i += j
		name := i + 1 - n // where qname would start
		if name < 1 || !bytes.Equal(win[name:i+1], qname) {
			continue
		}
		switch {
		case win[name-1] == '<':
			if isNamed(win[name:], qname, true) {
				return nil, false // an element of the same name inside
			}
		case name >= 2 && win[name-1] == '/' && win[name-2] == '<':
			if !isNamed(win[name:], qname, false) {
				continue
			}
			k := bytes.IndexByte(win[i:], '>')
			if k < 0 {
				return nil, false
			}
			skipped := win[:i+k+1]
			if hasSpecialMarkup(skipped) {
				return nil, false
			}
			l.pos += len(skipped)
			return skipped, true
		}
	}
}

// hasSpecialMarkup reports whether b has the start of a comment, CDATA section or
// processing instruction, whose content may look like tags. '!' and '?' are rare
// in a sheet, so they are looked for, not '<'.
func hasSpecialMarkup(b []byte) bool {
	for _, c := range []byte{'!', '?'} {
		for i := 0; ; i++ {
			j := bytes.IndexByte(b[i:], c)
			if j < 0 {
				break
			}
			i += j
			if i > 0 && b[i-1] == '<' {
				return true
			}
		}
	}
	return false
}

// isNamed reports whether b starts with qname followed by what may follow a tag's
// name: white space or '>', and '/' too in a start tag. A name cut by the end of b
// counts, so a skip stops rather than passes over it.
func isNamed(b, qname []byte, start bool) bool {
	if !bytes.HasPrefix(b, qname) {
		if len(b) < len(qname) && bytes.HasPrefix(qname, b) {
			return true
		}
		return false
	}
	if len(b) == len(qname) {
		return true
	}
	c := b[len(qname)]
	return isSpace(c) || c == '>' || (start && c == '/')
}
