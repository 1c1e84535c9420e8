package feedback

import (
	"strconv"
)

// stylesPatch adds to xl/styles.xml the fills, fonts, borders and cell formats the
// marks and the problems sheet need, leaving every existing entry (and so every
// index a cell refers to) as it is.
type stylesPatch struct {
	data   []byte
	prefix string // element prefix of the part, with colon

	lists   map[string]*styleList // fonts, fills, borders, cellXfs
	xfs     []xfSpan              // existing cellXfs entries
	styleXf bool                  // cellStyleXfs has an entry for xfId="0"

	fills   map[string]int   // new fill colour → fill id
	derived map[styleKey]int // mark styles already made
}

// styleList is one list of styles.xml: where it is and what is appended to it.
type styleList struct {
	count      int   // entries in the file
	tagFrom    int64 // its start tag
	tagTo      int64
	tag        []byte
	selfClosed bool
	endAt      int64 // offset of its end tag
	added      [][]byte
}

// xfSpan locates one cellXfs <xf>: its start tag, then the rest through its end.
type xfSpan struct {
	from, tagEnd, to int64
	selfClosed       bool
}

// readStyles indexes styles.xml. A file without the four lists the patcher appends
// to is left to excelize.
func readStyles(data []byte) (*stylesPatch, error) {
	s := &stylesPatch{data: data, lists: map[string]*styleList{}, fills: map[string]int{}, derived: map[styleKey]int{}}
	l := newByteLexer(data)
	depth := 0
	var cur *styleList
	var curName string
	var xf *xfSpan
	for {
		k, err := l.next()
		if err != nil {
			return nil, unhandled("styles: %v", err)
		}
		if k == tokEOF {
			break
		}
		end := l.off + int64(len(l.raw))
		switch k {
		case tokStart:
			local := string(localName(l.name))
			switch depth {
			case 0:
				ns, _ := rootNamespaces(l.raw, l.name)
				if ns != nsMain {
					return nil, unhandled("styles namespace %q", ns)
				}
				s.prefix = prefixOf(l.name)
			case 1:
				switch local {
				case "fonts", "fills", "borders", "cellXfs":
					cur = &styleList{tagFrom: l.off, tagTo: end, tag: l.raw, selfClosed: l.selfClosing, endAt: end}
					curName = local
					s.lists[local] = cur
				case "cellStyleXfs":
					curName = local
				}
			case 2:
				switch curName {
				case "fonts", "fills", "borders", "cellXfs":
					cur.count++
				case "cellStyleXfs":
					s.styleXf = true
				}
				if curName == "cellXfs" {
					s.xfs = append(s.xfs, xfSpan{from: l.off, tagEnd: end, to: end, selfClosed: l.selfClosing})
					xf = &s.xfs[len(s.xfs)-1]
				}
			}
			if !l.selfClosing {
				depth++
			} else if depth == 1 {
				cur, curName = nil, ""
			}
		case tokEnd:
			depth--
			if depth == 2 && xf != nil {
				xf.to = end
			}
			if depth == 1 {
				if cur != nil {
					cur.endAt = l.off
				}
				cur, curName, xf = nil, "", nil
			}
		}
	}
	for _, name := range []string{"fonts", "fills", "borders", "cellXfs"} {
		if s.lists[name] == nil {
			return nil, unhandled("styles has no %s", name)
		}
	}
	return s, nil
}

// add appends an entry to a list and returns its index.
func (s *stylesPatch) add(list string, entry string) int {
	l := s.lists[list]
	l.added = append(l.added, []byte(entry))
	return l.count + len(l.added) - 1
}

// el names an element with the part's prefix.
func (s *stylesPatch) el(name string) string { return s.prefix + name }

// fill returns the id of a solid fill of an RRGGBB colour, adding it on first use.
func (s *stylesPatch) fill(colour string) int {
	if id, ok := s.fills[colour]; ok {
		return id
	}
	p := s.prefix
	id := s.add("fills", "<"+p+`fill><`+p+`patternFill patternType="solid"><`+p+`fgColor rgb="FF`+colour+
		`"/><`+p+`bgColor indexed="64"/></`+p+"patternFill></"+p+"fill>")
	s.fills[colour] = id
	return id
}

// mark returns the cell format that is base with the mark's fill, creating it on first
// use. The base entry is copied as written with only fillId and applyFill changed,
// so the number format (a date stays a date), font, border, alignment, protection
// and cell style carry over exactly. A cell pointing at a format the file does not
// define (a damaged file that Excel still opens) is marked on a plain format.
func (s *stylesPatch) mark(base int, warning bool) int {
	if base < 0 || base >= len(s.xfs) {
		base = -1
	}
	key := styleKey{base, warning}
	if id, ok := s.derived[key]; ok {
		return id
	}
	colour := errorFill
	if warning {
		colour = warningFill
	}
	f := itoa(s.fill(colour))
	var xf []byte
	if base < 0 {
		xf = []byte("<" + s.el("xf") + ` numFmtId="0" fontId="0" fillId="` + f + `" borderId="0"` + s.xfID() + ` applyFill="1"/>`)
	} else {
		sp := s.xfs[base]
		tag := s.data[sp.from:sp.tagEnd]
		xf = setAttr(nil, tag, "fillId", f)
		xf = setAttr(nil, xf, "applyFill", "1")
		xf = append(xf, s.data[sp.tagEnd:sp.to]...)
	}
	id := s.add("cellXfs", string(xf))
	s.derived[key] = id
	return id
}

func (s *stylesPatch) xfID() string {
	if s.styleXf {
		return ` xfId="0"`
	}
	return ""
}

// problemStyles adds the problems sheet's formats. Every font names uiFont and every
// border and fill has an explicit colour.
func (s *stylesPatch) problemStyles() sheetStyles {
	p := s.prefix
	font := func(extra string, size int, colour string) int {
		return s.add("fonts", "<"+p+"font>"+extra+"<"+p+`sz val="`+itoa(size)+`"/><`+p+`color rgb="FF`+colour+
			`"/><`+p+`name val="`+uiFont+`"/><`+p+`family val="1"/></`+p+"font>")
	}
	side := func(name string) string {
		return "<" + p + name + ` style="thin"><` + p + `color rgb="FF` + gridColour + `"/></` + p + name + ">"
	}
	grid := s.add("borders", "<"+p+"border>"+side("left")+side("right")+side("top")+side("bottom")+"<"+p+"diagonal/></"+p+"border>")
	bold, italic := "<"+p+"b/>", "<"+p+"i/>"
	xf := func(font, fill, border int, h, v string, wrap bool) int {
		x := "<" + p + `xf numFmtId="0" fontId="` + itoa(font) + `" fillId="` + itoa(fill) + `" borderId="` + itoa(border) + `"` +
			s.xfID() + ` applyFont="1"`
		if fill != 0 {
			x += ` applyFill="1"`
		}
		if border != 0 {
			x += ` applyBorder="1"`
		}
		if h == "" && v == "" && !wrap {
			return s.add("cellXfs", x+"/>")
		}
		x += ` applyAlignment="1"><` + p + "alignment"
		if h != "" {
			x += ` horizontal="` + h + `"`
		}
		if v != "" {
			x += ` vertical="` + v + `"`
		}
		if wrap {
			x += ` wrapText="1"`
		}
		return s.add("cellXfs", x+"/></"+p+"xf>")
	}
	plainFont := font("", 11, textColour)
	var st sheetStyles
	st.title = xf(font(bold, 14, textColour), 0, 0, "", "", false)
	st.intro = xf(font(italic, 11, textColour), 0, 0, "", "", false)
	st.header = xf(font(bold, 11, textColour), s.fill(headerFill), grid, "center", "center", true)
	st.center = xf(plainFont, 0, grid, "center", "top", false)
	st.plain = xf(plainFont, 0, grid, "left", "top", false)
	st.wrap = xf(plainFont, 0, grid, "left", "top", true)
	st.link = xf(font("<"+p+`u/>`, 11, linkColour), 0, grid, "center", "top", false)
	st.severityError = xf(font(bold, 11, errorText), s.fill(errorFill), grid, "center", "top", false)
	st.severityWarning = xf(font(bold, 11, warningText), s.fill(warningFill), grid, "center", "top", false)
	return st
}

// bytes is the patched part.
func (s *stylesPatch) bytes() []byte {
	var edits []edit
	for _, l := range s.lists {
		if len(l.added) == 0 {
			continue
		}
		var body []byte
		for _, a := range l.added {
			body = append(body, a...)
		}
		tag := l.tag
		if _, ok := findAttr(tag, "count"); ok {
			tag = setAttr(nil, tag, "count", strconv.Itoa(l.count+len(l.added)))
		}
		if l.selfClosed {
			name := tag[1:]
			for i, c := range name {
				if isSpace(c) || c == '/' || c == '>' {
					name = name[:i]
					break
				}
			}
			repl := openTag(nil, tag)
			repl = append(repl, body...)
			repl = append(repl, "</"+string(name)+">"...)
			edits = append(edits, edit{l.tagFrom, l.tagTo, repl})
			continue
		}
		edits = append(edits, edit{l.tagFrom, l.tagTo, tag}, edit{l.endAt, l.endAt, body})
	}
	return applyEdits(s.data, edits)
}
