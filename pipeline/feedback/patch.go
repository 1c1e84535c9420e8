package feedback

import (
	"archive/zip"
	"compress/flate"
	"context"
	"fmt"
	"io"
	"path"
	"path/filepath"
	"strings"

	"canbo/pipeline/issue"
	"canbo/pipeline/outfile"
	"canbo/pipeline/workbook"
)

// patchWorkbook writes dst as src with the marks and the problems sheet, by patching
// the zip package: every part the feedback does not touch is copied as stored
// (compressed bytes and all, never inflated), and only the parts that change are
// rewritten, worksheets as streams. This is what makes feedback cheap on large
// rosters: opening the workbook with excelize parses and re-serialises every
// worksheet, holds it in memory, and handles merged ranges in quadratic time.
//
// It returns a *notHandled error, having written nothing, for a workbook it does not
// understand; Write then uses excelize instead.
func patchWorkbook(ctx context.Context, src, dst string, issues []issue.Issue, lab Labels, sc *scratch) error {
	p, err := openPkg(src)
	if err != nil {
		return fmt.Errorf("open %s: %w", src, err)
	}
	defer p.close()
	sc.held = false
	pl, err := planPatch(ctx, p, src, dst, issues, lab, sc)
	if err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	return outfile.Write(dst, 0o644, func(w io.Writer) error { return pl.write(ctx, p, w, &sc.deflate) })
}

// scratch is what one feedback writer reuses from one workbook to the next, so that
// a batch does not allocate it again for every file: the buffer a worksheet is
// inflated into and the deflate compressor. WriteAll gives each of its workers one;
// Write makes one per call.
type scratch struct {
	sheet     []byte // a worksheet part, inflated (sheetSource)
	held      bool   // sheet holds a part of the workbook being written
	holdLimit uint64 // the largest part held in sheet
	deflate   deflater
}

// heldSheetLimit is the largest worksheet held inflated in memory: a part up to 8 MB
// (about 12,000 rows of ten columns) is inflated once rather than once per read, and
// each writer keeps one such buffer.
const heldSheetLimit = 8 << 20

func newScratch() *scratch { return &scratch{holdLimit: heldSheetLimit} }

// sheetSource is where a worksheet part's two reads (scanSheet, then rewriteSheet)
// come from: the part inflated once into memory, or when it is large (or another
// sheet of the workbook holds the buffer) the package, inflated again for each read.
// Inflating a national batch's sheets twice cost 1.5 CPU-s of 200 files' feedback.
type sheetSource struct {
	p    *pkg
	part string
	data []byte // nil when streamed
}

func (s sheetSource) lexer() (*lexer, io.Closer, error) {
	if s.data != nil {
		return newByteLexer(s.data), io.NopCloser(nil), nil
	}
	rc, err := s.p.open(s.part, unzipLimit)
	if err != nil {
		return nil, nil, err
	}
	return newLexer(rc), rc, nil
}

// source returns where a worksheet's reads come from, inflating it into the scratch
// buffer when it is small enough and the buffer is free.
func (sc *scratch) source(p *pkg, part string) (sheetSource, error) {
	src := sheetSource{p: p, part: part}
	zf := p.part(part)
	if zf == nil || sc.held || zf.UncompressedSize64 > sc.holdLimit {
		return src, nil
	}
	rc, err := p.open(part, unzipLimit)
	if err != nil {
		return src, err
	}
	defer rc.Close()
	// archive/zip fails a part that inflates to more or less than it declares, or
	// whose checksum is wrong, at its end: read up to there.
	buf := sc.sheet[:0]
	if uint64(cap(buf)) <= zf.UncompressedSize64 {
		buf = make([]byte, 0, zf.UncompressedSize64+1)
	}
	for {
		if len(buf) == cap(buf) {
			return src, fmt.Errorf("part %s inflates to more than it declares", part)
		}
		n, err := rc.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			break
		}
		if err != nil {
			return src, fmt.Errorf("part %s: %w", part, err)
		}
	}
	sc.sheet, sc.held = buf, true
	src.data = buf
	return src, nil
}

// patchPlan is every change to the package, worked out before anything is written.
type patchPlan struct {
	contentTypes string            // its zip name
	replace      map[string][]byte // part key → new content
	sheets       map[string]*sheetEdit
	sources      map[string]sheetSource // part key → where a marked sheet is read from
	added        []addedPart            // new parts, in this order
	listing      *listing
	listPart     string
	listStyles   sheetStyles
	styles       *stylesPatch
	stylesPart   string
}

type addedPart struct {
	name string
	data []byte
}

// workbookTypes is the workbook part's content type for each extension Excel saves.
var workbookTypes = map[string]string{
	".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
	".xlsm": "application/vnd.ms-excel.sheet.macroEnabled.main+xml",
	".xltx": "application/vnd.openxmlformats-officedocument.spreadsheetml.template.main+xml",
	".xltm": "application/vnd.ms-excel.template.macroEnabled.main+xml",
	".xlam": "application/vnd.ms-excel.addin.macroEnabled.main+xml",
}

func planPatch(ctx context.Context, p *pkg, src, dst string, issues []issue.Issue, lab Labels, scr *scratch) (*patchPlan, error) {
	book, err := readBook(p)
	if err != nil {
		return nil, err
	}
	ctZip := p.part("[Content_Types].xml")
	if ctZip == nil {
		return nil, unhandled("no [Content_Types].xml")
	}
	ctData, err := p.read(ctZip.Name)
	if err != nil {
		return nil, err
	}
	// dst's extension decides the workbook's content type, as excelize would set it:
	// a workbook whose type disagrees (an .xlsm saved as .xlsx) is left to excelize.
	if want, ok := workbookTypes[strings.ToLower(filepath.Ext(dst))]; ok && !strings.EqualFold(overrideType(ctData, book.part), want) {
		return nil, unhandled("workbook content type does not match %s", filepath.Ext(dst))
	}

	kind := map[string]string{}
	for _, s := range book.sheets {
		kind[s.name] = s.kind
	}
	set := newSheetSet(book.names(), func(name string) bool { return kind[name] == "worksheet" })
	entries := set.resolve(issues)
	cells := cellsBySheet(entries)
	scans := map[string]*sheetScan{}
	merges := map[string]*mergeMap{}
	selected := map[string]bool{}
	sources := map[string]sheetSource{}
	for _, s := range book.sheets {
		if cs, ok := cells[s.name]; ok {
			source, err := scr.source(p, s.part)
			if err != nil {
				return nil, err
			}
			sources[partKey(s.part)] = source
			sc, err := scanSheet(ctx, source, s.part, cs)
			if err != nil {
				return nil, err
			}
			scans[s.name], merges[s.name], selected[s.name] = sc, sc.merges, sc.tabSelected
			continue
		}
		if selected[s.name], err = probeSelected(p, s.part); err != nil {
			return nil, err
		}
	}
	marks := planMarks(entries, merges)

	stylesData, err := p.read(book.styles)
	if err != nil {
		return nil, err
	}
	styles, err := readStyles(stylesData)
	if err != nil {
		return nil, err
	}
	pl := &patchPlan{
		contentTypes: ctZip.Name,
		replace:      map[string][]byte{},
		sheets:       map[string]*sheetEdit{},
		sources:      sources,
		listing:      newListing(lab, entries, titleFile(issues, src), book.names()),
		listStyles:   styles.problemStyles(),
		styles:       styles,
		stylesPart:   p.part(book.styles).Name,
	}

	names := newPartNames(p)
	dir := path.Dir(book.part)
	overrides := map[string]string{}
	vml := false

	// The problems sheet: a new part, first in the workbook.
	pl.listPart = names.next(path.Join(dir, "worksheets"), "sheet", ".xml")
	overrides[pl.listPart] = ctWorksheet
	relIDs := map[string]bool{}
	maxID := 0
	for _, r := range book.rels {
		relIDs[r.id] = true
	}
	for _, s := range book.sheets {
		maxID = max(maxID, s.sheetID)
	}
	added := sheetRef{name: pl.listing.name, sheetID: maxID + 1, rid: newRelID(relIDs), part: pl.listPart}
	if pl.replace[partKey(book.relsPartName())], err = relsXML(book.relsData, []rel{{
		id: added.rid, typ: relWorksheet, target: relativeTarget(book.part, pl.listPart),
	}}); err != nil {
		return nil, unhandled("workbook relationships: %v", err)
	}
	quoted := "'" + strings.ReplaceAll(pl.listing.name, "'", "''") + "'!"
	filter := quoted + "$A$" + itoa(headerRow) + ":$" + "H$" + itoa(pl.listing.last())
	if pl.replace[partKey(book.part)], err = book.patchBook(added, filter); err != nil {
		return nil, err
	}
	if app := p.part("docProps/app.xml"); app != nil {
		data, err := p.read(app.Name)
		if err != nil {
			return nil, err
		}
		pl.replace[partKey(app.Name)] = patchApp(data, book.sheets[0].name, pl.listing.name)
	}

	// Marked sheets, and sheets whose tab must be unselected.
	for _, s := range book.sheets {
		rows := rowEdits(marks, s.name)
		if len(rows) == 0 && !selected[s.name] {
			continue
		}
		sc := scans[s.name]
		if sc == nil {
			sc = newScan()
			sc.tabSelected = true
		}
		e := &sheetEdit{rows: rows, clearTab: selected[s.name], scan: sc, style: styles.mark}
		pl.sheets[partKey(s.part)] = e
		notes := sheetNotes(marks, s.name)
		if len(notes) == 0 {
			continue
		}
		isNew, err := pl.planComments(p, names, s, e, notes, lab.Author)
		if err != nil {
			return nil, err
		}
		for part, ct := range isNew {
			overrides[part] = ct
			vml = vml || ct == ctVMLDrawing
		}
	}
	for part, ct := range overrides {
		if ct == ctVMLDrawing {
			delete(overrides, part) // declared by extension
		}
	}
	if pl.replace[partKey(ctZip.Name)], err = patchContentTypes(ctData, overrides, vml); err != nil {
		return nil, err
	}
	return pl, nil
}

func (b *bookInfo) relsPartName() string { return workbook.RelsPart(b.part) }

// overrideType is the content type [Content_Types].xml gives a part.
func overrideType(ct []byte, part string) string {
	l := newByteLexer(ct)
	for {
		k, err := l.next()
		if err != nil || k == tokEOF {
			return ""
		}
		if k == tokStart && l.isLocal("Override") {
			if name, _ := attrValue(l.raw, "PartName"); partKey(name) == partKey(part) {
				v, _ := attrValue(l.raw, "ContentType")
				return v
			}
		}
	}
}

// sheetNotes lists a sheet's marks as comments, in the order they were first met.
func sheetNotes(marks markPlan, sheet string) []note {
	var out []note
	for _, t := range marks.order {
		if t.sheet == sheet {
			out = append(out, note{row: t.row, col: t.col, msgs: marks.marks[t].msgs})
		}
	}
	return out
}

// planComments works out a sheet's comments part, drawing and relationships, new or
// patched, and returns the new parts with their content types.
func (pl *patchPlan) planComments(p *pkg, names *partNames, s sheetRef, e *sheetEdit, notes []note, author string) (map[string]string, error) {
	relsPart := workbook.RelsPart(s.part)
	var relsData []byte
	var rels []rel
	if zf := p.part(relsPart); zf != nil {
		var err error
		if relsData, err = p.read(zf.Name); err != nil {
			return nil, err
		}
		if rels, err = parseRels(relsData, s.part); err != nil {
			return nil, unhandled("%s: %v", relsPart, err)
		}
		relsPart = zf.Name
	}
	ids := map[string]bool{}
	var commentsRel, vmlRel *rel
	for i := range rels {
		ids[rels[i].id] = true
		if rels[i].isType("comments") && commentsRel == nil {
			commentsRel = &rels[i]
		}
		if rels[i].id == e.scan.legacyRID && e.scan.legacyRID != "" {
			vmlRel = &rels[i]
		}
	}
	if e.scan.legacyRID != "" && (vmlRel == nil || vmlRel.part == "" || p.part(vmlRel.part) == nil) {
		return nil, unhandled("sheet %q: legacy drawing without its part", s.name)
	}
	if commentsRel != nil && (vmlRel == nil || commentsRel.part == "" || p.part(commentsRel.part) == nil) {
		return nil, unhandled("sheet %q: comments without a drawing", s.name)
	}
	added := map[string]string{}
	var addRels []rel
	dir := path.Dir(path.Dir(s.part)) // the workbook's folder, where Excel keeps comments

	var old *commentsDoc
	var commentsPart string
	if commentsRel != nil {
		zf := p.part(commentsRel.part)
		data, err := p.read(zf.Name)
		if err != nil {
			return nil, err
		}
		if old, err = readComments(data); err != nil {
			return nil, err
		}
		commentsPart = zf.Name
	} else {
		commentsPart = names.next(dir, "comments", ".xml")
		added[commentsPart] = ctComments
		addRels = append(addRels, rel{id: newRelID(ids), typ: relComments, target: relativeTarget(s.part, commentsPart)})
	}
	comments, lines := buildComments(old, author, notes)
	if comments == nil {
		return nil, unhandled("sheet %q: comments part has no authors", s.name)
	}

	var drawing []byte
	var vmlPart string
	if vmlRel != nil {
		zf := p.part(vmlRel.part)
		data, err := p.read(zf.Name)
		if err != nil {
			return nil, err
		}
		if drawing, err = patchVML(data, e.scan, notes, lines); err != nil {
			return nil, err
		}
		vmlPart = zf.Name
	} else {
		vmlPart = names.next(path.Join(dir, "drawings"), "vmlDrawing", ".vml")
		added[vmlPart] = ctVMLDrawing
		e.legacyRID = newRelID(ids)
		addRels = append(addRels, rel{id: e.legacyRID, typ: relVMLDrawing, target: relativeTarget(s.part, vmlPart)})
		drawing = newVML(max(1, s.sheetID), e.scan, notes, lines)
	}

	pl.put(p, commentsPart, comments)
	pl.put(p, vmlPart, drawing)
	if len(addRels) > 0 {
		data, err := relsXML(relsData, addRels)
		if err != nil {
			return nil, unhandled("%s: %v", relsPart, err)
		}
		pl.put(p, relsPart, data)
	}
	return added, nil
}

// put records a part's new content: a replacement when the package has the part,
// else a new part.
func (pl *patchPlan) put(p *pkg, name string, data []byte) {
	if p.part(name) != nil {
		pl.replace[partKey(name)] = data
		return
	}
	pl.added = append(pl.added, addedPart{name, data})
}

// partNames hands out names for new parts that no existing or earlier new part has.
type partNames struct{ taken map[string]bool }

func newPartNames(p *pkg) *partNames {
	n := &partNames{taken: map[string]bool{}}
	for k := range p.parts {
		n.taken[k] = true
	}
	return n
}

// next returns dir/prefixN.ext for the smallest free N from 1.
func (n *partNames) next(dir, prefix, ext string) string {
	for i := 1; ; i++ {
		name := path.Join(dir, prefix+itoa(i)+ext)
		if !n.taken[partKey(name)] {
			n.taken[partKey(name)] = true
			return name
		}
	}
}

// write streams the patched package to w: [Content_Types].xml first, as Excel
// writes it, then every part in its original order (styles last, once the marks
// have made their formats), then the new parts.
func (pl *patchPlan) write(ctx context.Context, p *pkg, w io.Writer, d *deflater) error {
	zw := zip.NewWriter(w)
	// The parts rewritten are compressed at deflate's fastest level: a feedback
	// workbook is read once by a clerk, and the default level spent most of a
	// national batch's feedback time (1,000,000 rows in 200 files: 7 of 12 CPU-s)
	// for files about a tenth larger.
	zw.RegisterCompressor(zip.Deflate, d.compressor)
	if err := writePart(zw, pl.contentTypes, pl.replace[partKey(pl.contentTypes)]); err != nil {
		return err
	}
	stylesKey := partKey(pl.stylesPart)
	for _, zf := range p.zr.File {
		if err := ctx.Err(); err != nil {
			return err
		}
		k := partKey(zf.Name)
		switch {
		case k == partKey(pl.contentTypes) || k == stylesKey:
		case pl.replace[k] != nil:
			if err := writePart(zw, zf.Name, pl.replace[k]); err != nil {
				return err
			}
		case pl.sheets[k] != nil:
			if err := pl.rewrite(ctx, p, zw, zf, pl.sheets[k]); err != nil {
				return err
			}
		default:
			if err := zw.Copy(zf); err != nil {
				return fmt.Errorf("copy %s: %w", zf.Name, err)
			}
		}
	}
	for _, a := range pl.added {
		if err := writePart(zw, a.name, a.data); err != nil {
			return err
		}
	}
	lw, err := zw.CreateHeader(&zip.FileHeader{Name: pl.listPart, Method: zip.Deflate})
	if err != nil {
		return err
	}
	if err := writeListingXML(ctx, lw, pl.listing, pl.listStyles); err != nil {
		return fmt.Errorf("problems sheet: %w", err)
	}
	if err := writePart(zw, pl.stylesPart, pl.styles.bytes()); err != nil {
		return err
	}
	return zw.Close()
}

// rewrite streams one worksheet through its edits.
func (pl *patchPlan) rewrite(ctx context.Context, p *pkg, zw *zip.Writer, zf *zip.File, e *sheetEdit) error {
	src, ok := pl.sources[partKey(zf.Name)]
	if !ok {
		src = sheetSource{p: p, part: zf.Name} // a sheet only unselected
	}
	l, closer, err := src.lexer()
	if err != nil {
		return err
	}
	defer closer.Close()
	w, err := zw.CreateHeader(&zip.FileHeader{Name: zf.Name, Method: zip.Deflate, Modified: zf.Modified})
	if err != nil {
		return err
	}
	if err := rewriteSheet(ctx, l, w, e); err != nil {
		return fmt.Errorf("%s: %w", zf.Name, err)
	}
	return nil
}

func writePart(zw *zip.Writer, name string, data []byte) error {
	w, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate})
	if err != nil {
		return err
	}
	if _, err := w.Write(data); err != nil {
		return fmt.Errorf("write %s: %w", name, err)
	}
	return nil
}

// deflater hands a zip.Writer one flate.Writer for every part it compresses, reset
// for each (and kept for the next workbook in scratch): making a flate.Writer
// allocates about 1 MB, and making one per part was a quarter of all the memory a
// national batch allocated (2.3 of 8.5 GB for 200 feedback files), which the garbage
// collector then paid for under the memory limit. A zip.Writer closes an entry's
// compressor before it opens the next, so one is enough.
type deflater struct{ fw *flate.Writer }

func (d *deflater) compressor(out io.Writer) (io.WriteCloser, error) {
	if d.fw == nil {
		fw, err := flate.NewWriter(out, flate.BestSpeed)
		if err != nil {
			return nil, err
		}
		d.fw = fw
		return fw, nil
	}
	d.fw.Reset(out)
	return d.fw, nil
}
