package workbook

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"path"
	"strings"

	"canbo/pipeline/issue"
)

// Relationship types are matched by their last path segment, so the Transitional
// (schemas.openxmlformats.org) and Strict (purl.oclc.org) URIs both work.
const (
	relOfficeDocument = "/officedocument"
	relWorksheet      = "/worksheet"
	relSharedStrings  = "/sharedstrings"
	relStyles         = "/styles"
)

type relationship struct {
	id, typ, target string // typ lower-cased; target resolved to a part name
	external        bool
}

// RelsPart returns the relationships part of a part: xl/workbook.xml → xl/_rels/workbook.xml.rels.
// Package feedback uses it too, to patch the package it read.
func RelsPart(part string) string {
	if part == "" {
		return "_rels/.rels"
	}
	return path.Join(path.Dir(part), "_rels", path.Base(part)+".rels")
}

// ResolveTarget turns a relationship target into a part name. Targets are URIs,
// relative to the source part's folder unless they start with "/".
func ResolveTarget(source, target string) string {
	t := strings.ReplaceAll(target, "\\", "/")
	if i := strings.IndexAny(t, "#?"); i >= 0 {
		t = t[:i]
	}
	if u, err := url.PathUnescape(t); err == nil {
		t = u
	}
	if !strings.HasPrefix(t, "/") {
		t = path.Join(path.Dir(source), t)
	}
	return strings.TrimLeft(path.Clean("/"+t), "/")
}

// readRels reads the relationships of a part. A missing rels part is not an error:
// it simply has no relationships.
func (b *Book) readRels(source string) ([]relationship, error) {
	name := RelsPart(source)
	if b.part(name) == nil {
		return nil, nil
	}
	rc, err := b.openPart(name)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	sc := newScanner(rc)
	var rels []relationship
	for {
		k, err := sc.next()
		if err != nil {
			return nil, classify(b.src, name, err)
		}
		if k == tokEOF {
			return rels, nil
		}
		if k != tokStart || string(sc.name()) != "Relationship" {
			continue
		}
		if len(rels) >= maxZipEntries {
			return nil, errCorrupt("%s: too many relationships", name)
		}
		var r relationship
		var target string
		for _, a := range []struct {
			name string
			dst  *string
		}{{"Id", &r.id}, {"Type", &r.typ}, {"Target", &target}} {
			if *a.dst, err = sc.attrString(a.name); err != nil {
				return nil, classify(b.src, name, err)
			}
		}
		mode, err := sc.attrString("TargetMode")
		if err != nil {
			return nil, classify(b.src, name, err)
		}
		r.external = strings.EqualFold(mode, "External")
		r.typ = strings.ToLower(r.typ)
		if !r.external {
			r.target = ResolveTarget(source, target)
		}
		rels = append(rels, r)
	}
}

// officeDocument follows the package relationships to the main part. A zip whose main
// part is a document or a presentation, or that has none, is not a workbook.
func (b *Book) officeDocument() (string, error) {
	rels, err := b.readRels("")
	if err != nil {
		return "", err
	}
	for _, r := range rels {
		if !r.external && strings.HasSuffix(r.typ, relOfficeDocument) && r.target != "" {
			if b.part(r.target) == nil {
				return "", errCorrupt("main part %s is missing", r.target)
			}
			return r.target, nil
		}
	}
	// No usable package relationship: accept the conventional location, as Excel's
	// repair does, rather than reject a file every spreadsheet program opens.
	if b.part("xl/workbook.xml") != nil {
		return "xl/workbook.xml", nil
	}
	return "", newError(issue.NotWorkbook, errors.New("zip file without a workbook part"))
}

// readWorkbook reads the workbook part (sheet list, date system), its relationships,
// the styles and the shared strings.
func (b *Book) readWorkbook(ctx context.Context, part string) error {
	if f := b.part(part); f != nil && f.Flags&0x1 != 0 {
		return newError(issue.Encrypted, fmt.Errorf("part %s is encrypted", part))
	}
	type sheetRef struct {
		info SheetInfo
		rid  string
	}
	var refs []sheetRef
	err := func() error {
		rc, err := b.openPart(part)
		if err != nil {
			return err
		}
		defer rc.Close()
		sc := newScanner(rc)
		first := true
		for {
			k, err := sc.next()
			if err != nil {
				return classify(b.src, part, err)
			}
			if k == tokEOF {
				return nil
			}
			if k == tokEnd && string(sc.name()) == "sheets" && sc.depth() == 1 {
				return nil // nothing after the sheet list matters here
			}
			if k != tokStart {
				continue
			}
			if first {
				first = false
				if string(sc.name()) != "workbook" {
					return newError(issue.NotWorkbook, fmt.Errorf("main part is <%s>, not a workbook", sc.name()))
				}
				continue
			}
			switch string(sc.name()) {
			case "workbookPr":
				v, _ := sc.attr("date1904")
				b.date1904 = isTrue(v)
			case "sheet":
				if sc.depth() != 3 {
					continue
				}
				if len(refs) >= maxZipEntries {
					return errCorrupt("%s: too many sheets", part)
				}
				var r sheetRef
				if r.info.Name, err = sc.attrString("name"); err != nil {
					return classify(b.src, part, err)
				}
				state, _ := sc.attr("state")
				r.info.Hidden = string(state) == "hidden" || string(state) == "veryHidden"
				// r:id is the only prefixed "id"; an unprefixed one is a fallback.
				for i := range sc.attrs {
					a := sc.attrAt(i)
					if string(a.local) == "id" && (r.rid == "" || len(a.qname) > len(a.local)) {
						if r.rid, err = unescapeString(a.value); err != nil {
							return classify(b.src, part, err)
						}
					}
				}
				refs = append(refs, r)
			}
		}
	}()
	if err != nil {
		return err
	}
	rels, err := b.readRels(part)
	if err != nil {
		return err
	}
	byID := make(map[string]relationship, len(rels))
	dir := path.Dir(part)
	sstPart, stylesPart := path.Join(dir, "sharedStrings.xml"), path.Join(dir, "styles.xml")
	for _, r := range rels {
		if r.external {
			continue
		}
		byID[r.id] = r
		switch {
		case strings.HasSuffix(r.typ, relSharedStrings):
			sstPart = r.target
		case strings.HasSuffix(r.typ, relStyles):
			stylesPart = r.target
		}
	}
	for _, ref := range refs {
		r, ok := byID[ref.rid]
		if ok && !strings.HasSuffix(r.typ, relWorksheet) {
			continue // chartsheet, dialogsheet, macrosheet
		}
		ref.info.Index = len(b.sheets)
		b.sheets = append(b.sheets, sheetEntry{info: ref.info, part: r.target})
	}
	if len(b.sheets) == 0 {
		return newError(issue.EmptyWorkbook, errors.New("the workbook has no worksheet"))
	}
	if b.part(stylesPart) != nil {
		if err := b.readStyles(ctx, stylesPart); err != nil {
			return err
		}
	}
	if b.part(sstPart) != nil {
		if err := b.readSharedStrings(ctx, sstPart); err != nil {
			return err
		}
	}
	return nil
}

func isTrue(v []byte) bool {
	s := string(v)
	return s == "1" || strings.EqualFold(s, "true") || strings.EqualFold(s, "on")
}
