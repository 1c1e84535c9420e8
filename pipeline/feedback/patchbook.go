package feedback

import (
	"bytes"
	"sort"
	"strconv"
	"strings"

	"canbo/pipeline/workbook"
)

// This file reads and patches the workbook-level parts: xl/workbook.xml (the sheet
// list, views and defined names), its relationships, [Content_Types].xml and
// docProps/app.xml.

// sheetRef is one sheet of the workbook, in tab order.
type sheetRef struct {
	name    string
	sheetID int
	rid     string
	part    string // the sheet's part
	kind    string // relationship type's last segment: worksheet, chartsheet, dialogsheet...
}

// bookInfo is the workbook part and what the patcher needs from it.
type bookInfo struct {
	part     string
	data     []byte
	rels     []rel
	relsData []byte
	sheets   []sheetRef
	styles   string // the styles part
	rPrefix  string // prefix bound to the relationships namespace on the root, with its colon
}

// edit replaces data[from:to] with repl.
type edit struct {
	from, to int64
	repl     []byte
}

// applyEdits applies non-overlapping edits. At one offset, insertions come before a
// replacement starting there, and otherwise keep their order.
func applyEdits(data []byte, edits []edit) []byte {
	sort.SliceStable(edits, func(i, j int) bool {
		a, b := edits[i], edits[j]
		if a.from != b.from {
			return a.from < b.from
		}
		return a.from == a.to && b.from != b.to
	})
	out := make([]byte, 0, len(data)+1024)
	at := int64(0)
	for _, e := range edits {
		out = append(out, data[at:e.from]...)
		out = append(out, e.repl...)
		at = max(at, e.to)
	}
	return append(out, data[at:]...)
}

// rootNamespaces reads a root start tag's namespace declarations: the namespace of
// the root's own prefix, and the prefix (with colon) bound to the relationships
// namespace, if any.
func rootNamespaces(tag, qname []byte) (ns, rPrefix string) {
	own := "xmlns"
	if p := prefixOf(qname); p != "" {
		own = "xmlns:" + strings.TrimSuffix(p, ":")
	}
	_ = eachAttr(tag, func(a attrSpan) bool {
		v := unescape(tag[a.vstart:a.vend])
		name := string(a.name)
		if name == own {
			ns = v
		}
		if v == nsRel && strings.HasPrefix(name, "xmlns:") && rPrefix == "" {
			rPrefix = strings.TrimPrefix(name, "xmlns:") + ":"
		}
		return true
	})
	return ns, rPrefix
}

// relIDAttr returns the value of a prefixed "id" attribute (r:id), whatever the prefix.
func relIDAttr(tag []byte) string {
	var id string
	_ = eachAttr(tag, func(a attrSpan) bool {
		if bytes.HasSuffix(a.name, []byte(":id")) {
			id = unescape(tag[a.vstart:a.vend])
			return false
		}
		return true
	})
	return id
}

// readBook finds the workbook part through the package relationships and reads its
// sheet list.
func readBook(p *pkg) (*bookInfo, error) {
	rootRels, err := p.read("_rels/.rels")
	if err != nil {
		return nil, err
	}
	rs, err := parseRels(rootRels, "")
	if err != nil {
		return nil, unhandled("_rels/.rels: %v", err)
	}
	b := &bookInfo{}
	for _, r := range rs {
		if r.isType("officeDocument") && r.part != "" {
			b.part = r.part
			break
		}
	}
	if b.part == "" || !strings.HasSuffix(strings.ToLower(b.part), ".xml") {
		return nil, unhandled("no XML workbook part")
	}
	if b.data, err = p.read(b.part); err != nil {
		return nil, err
	}
	if p.part(workbook.RelsPart(b.part)) == nil {
		return nil, unhandled("workbook has no relationships")
	}
	if b.relsData, err = p.read(workbook.RelsPart(b.part)); err != nil {
		return nil, err
	}
	if b.rels, err = parseRels(b.relsData, b.part); err != nil {
		return nil, unhandled("workbook relationships: %v", err)
	}
	byID := map[string]rel{}
	for _, r := range b.rels {
		byID[r.id] = r
		if r.isType("styles") {
			b.styles = r.part
		}
	}
	if b.styles == "" || p.part(b.styles) == nil {
		return nil, unhandled("workbook has no styles part")
	}

	l := newByteLexer(b.data)
	depth := 0
	for {
		k, err := l.next()
		if err != nil {
			return nil, unhandled("workbook: %v", err)
		}
		if k == tokEOF {
			break
		}
		if k == tokEnd {
			depth--
			continue
		}
		if k != tokStart {
			continue
		}
		if depth == 0 {
			ns, rp := rootNamespaces(l.raw, l.name)
			if ns != nsMain {
				return nil, unhandled("workbook namespace %q", ns)
			}
			b.rPrefix = rp
		}
		if depth == 2 && l.isLocal("sheet") {
			s := sheetRef{rid: relIDAttr(l.raw)}
			s.name, _ = attrValue(l.raw, "name")
			id, _ := attrValue(l.raw, "sheetId")
			s.sheetID, _ = strconv.Atoi(id)
			r, ok := byID[s.rid]
			if !ok || r.part == "" || p.part(r.part) == nil {
				return nil, unhandled("sheet %q has no part", s.name)
			}
			s.part = r.part
			s.kind = strings.ToLower(r.typ[strings.LastIndex(r.typ, "/")+1:])
			b.sheets = append(b.sheets, s)
		}
		if !l.selfClosing {
			depth++
		}
	}
	if len(b.sheets) == 0 {
		return nil, unhandled("workbook lists no sheets")
	}
	return b, nil
}

func (b *bookInfo) names() []string {
	out := make([]string, len(b.sheets))
	for i, s := range b.sheets {
		out[i] = s.name
	}
	return out
}

// patchBook puts the problems sheet first in the sheet list and makes it the one
// the workbook opens on. What refers to sheets by position follows: sheet-scoped
// defined names (print areas, print titles, filter ranges) are renumbered, and the
// workbook views' active and first visible tab reset to the new sheet. The
// listing's filter range is added as Excel writes it, a hidden sheet-scoped name.
func (b *bookInfo) patchBook(added sheetRef, filterRef string) ([]byte, error) {
	n := len(b.sheets)
	rp, rDecl := b.rPrefix, ""
	if rp == "" {
		rp, rDecl = "r:", ` xmlns:r="`+nsRel+`"`
	}
	var edits []edit
	var prefix string
	var defNames, afterSheets int64 = -1, -1
	var sheetsAt int64 = -1
	bookViews := false
	l := newByteLexer(b.data)
	depth := 0
	for {
		k, err := l.next()
		if err != nil {
			return nil, unhandled("workbook: %v", err)
		}
		if k == tokEOF {
			break
		}
		end := l.off + int64(len(l.raw))
		switch k {
		case tokStart:
			local := string(localName(l.name))
			switch {
			case depth == 0:
				prefix = prefixOf(l.name)
			case depth == 1 && local == "bookViews":
				bookViews = true
			case depth == 1 && local == "sheets":
				if l.selfClosing {
					return nil, unhandled("empty sheet list")
				}
				sheetsAt = l.off
				var s []byte
				s = append(s, "<"+prefix+`sheet name="`...)
				s = escapeAttr(s, added.name)
				s = append(s, `" sheetId="`+itoa(added.sheetID)+`"`+rDecl+" "+rp+`id="`+added.rid+`"/>`...)
				edits = append(edits, edit{end, end, s})
			case depth == 2 && local == "workbookView":
				t := delAttr(nil, l.raw, "activeTab")
				t = delAttr(nil, t, "firstSheet")
				edits = append(edits, edit{l.off, end, t})
			case depth == 1 && local == "definedNames":
				defNames = end
				if l.selfClosing {
					edits = append(edits, edit{l.off, end, openTag(nil, l.raw)})
					edits = append(edits, edit{end, end, []byte("</" + string(l.name) + ">")})
				}
			case depth == 2 && local == "definedName":
				if v, ok := attrValue(l.raw, "localSheetId"); ok {
					if id, err := strconv.Atoi(strings.TrimSpace(v)); err == nil && id >= 0 && id < n {
						edits = append(edits, edit{l.off, end, setAttr(nil, l.raw, "localSheetId", itoa(id+1))})
					}
				}
			}
			if !l.selfClosing {
				depth++
			} else if depth == 1 && (local == "functionGroups" || local == "externalReferences") {
				afterSheets = end
			}
		case tokEnd:
			depth--
			if depth == 1 {
				switch string(localName(l.name)) {
				case "sheets", "functionGroups", "externalReferences":
					afterSheets = end
				}
			}
		}
	}
	if sheetsAt < 0 || afterSheets < 0 {
		return nil, unhandled("workbook has no sheet list")
	}
	if !bookViews {
		// The new sheet's view names workbook view 0, which must exist.
		edits = append(edits, edit{sheetsAt, sheetsAt, []byte("<" + prefix + "bookViews><" + prefix + "workbookView/></" + prefix + "bookViews>")})
	}
	var dn []byte
	dn = append(dn, "<"+prefix+`definedName name="_xlnm._FilterDatabase" localSheetId="0" hidden="1">`...)
	dn = escapeText(dn, filterRef)
	dn = append(dn, "</"+prefix+"definedName>"...)
	if defNames >= 0 {
		edits = append(edits, edit{defNames, defNames, dn})
	} else {
		wrapped := append([]byte("<"+prefix+"definedNames>"), dn...)
		wrapped = append(wrapped, "</"+prefix+"definedNames>"...)
		edits = append(edits, edit{afterSheets, afterSheets, wrapped})
	}
	return applyEdits(b.data, edits), nil
}

// patchContentTypes declares the new parts: overrides by part name, and the vml
// extension when new VML drawings are added and it is not declared yet.
func patchContentTypes(data []byte, overrides map[string]string, vml bool) ([]byte, error) {
	l := newByteLexer(data)
	hasVML := false
	for {
		k, err := l.next()
		if err != nil {
			return nil, unhandled("[Content_Types].xml: %v", err)
		}
		if k == tokEOF {
			break
		}
		if k == tokStart && l.isLocal("Default") {
			if ext, _ := attrValue(l.raw, "Extension"); strings.EqualFold(ext, "vml") {
				hasVML = true
			}
		}
	}
	var add []byte
	if vml && !hasVML {
		add = append(add, `<Default Extension="vml" ContentType="`+ctVMLDrawing+`"/>`...)
	}
	names := make([]string, 0, len(overrides))
	for n := range overrides {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		add = append(add, `<Override PartName="/`...)
		add = escapeAttr(add, n)
		add = append(add, `" ContentType="`+overrides[n]+`"/>`...)
	}
	return insertBeforeRootEnd(data, "Types", add)
}

// patchApp lists the new sheet in docProps/app.xml when the file lists sheet names
// the way Excel writes them: a first heading pair counting the worksheets, whose
// titles open TitlesOfParts, starting with the workbook's first sheet. Any other
// layout is left alone; Excel rewrites these properties on its next save anyway.
func patchApp(data []byte, firstSheet, added string) []byte {
	l := newByteLexer(data)
	var in []string // open element local names
	var countAt, countEnd, titlesVec, firstTitle int64 = -1, -1, -1, -1
	count := -1
	var vecTag []byte
	var firstTitleText []byte
	var titlePrefix string
	for {
		k, err := l.next()
		if err != nil {
			return data
		}
		if k == tokEOF {
			break
		}
		path := strings.Join(in, "/")
		switch k {
		case tokStart:
			local := string(localName(l.name))
			if local == "vector" && path == "Properties/TitlesOfParts" && titlesVec < 0 {
				titlesVec = l.off
				vecTag = append([]byte(nil), l.raw...)
			}
			if local == "lpstr" && path == "Properties/TitlesOfParts/vector" && firstTitle < 0 {
				firstTitle = l.off
				titlePrefix = prefixOf(l.name)
			}
			if !l.selfClosing {
				in = append(in, local)
			}
		case tokText:
			if path == "Properties/HeadingPairs/vector/variant/i4" && count < 0 {
				count, _ = strconv.Atoi(strings.TrimSpace(string(l.raw)))
				countAt, countEnd = l.off, l.off+int64(len(l.raw))
			}
			if path == "Properties/TitlesOfParts/vector/lpstr" && firstTitleText == nil {
				firstTitleText = append([]byte{}, l.raw...)
			}
		case tokEnd:
			if len(in) > 0 {
				in = in[:len(in)-1]
			}
		}
	}
	if count < 1 || titlesVec < 0 || firstTitle < 0 || unescape(firstTitleText) != firstSheet {
		return data
	}
	size, ok := attrValue(vecTag, "size")
	n, err := strconv.Atoi(size)
	if !ok || err != nil {
		return data
	}
	title := append([]byte("<"+titlePrefix+"lpstr>"), escapeText(nil, added)...)
	title = append(title, "</"+titlePrefix+"lpstr>"...)
	return applyEdits(data, []edit{
		{countAt, countEnd, []byte(itoa(count + 1))},
		{titlesVec, titlesVec + int64(len(vecTag)), setAttr(nil, vecTag, "size", itoa(n+1))},
		{firstTitle, firstTitle, title},
	})
}
