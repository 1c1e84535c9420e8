package feedback

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/xuri/excelize/v2"

	"canbo/pipeline/issue"
	"canbo/pipeline/outfile"
)

// Decompression limits for opening src. The caller only passes files it has already
// read, but this package opens them again on its own and must not be the place
// where a crafted file exhausts memory. The zip patcher refuses a part that declares
// more than unzipLimit (worksheets, streamed) or unzipXMLLimit (the parts it holds in
// memory: workbook, styles, relationships, comments), and stops once the parts it
// has read declare more than unzipLimit together; archive/zip holds every entry to
// its declared size. The excelize fallback spills parts larger than unzipXMLLimit to
// temporary files rather than refusing them.
const (
	unzipLimit    = 1 << 30
	unzipXMLLimit = 64 << 20
)

// savableExt reports whether excelize can save under a file's extension. excelize
// derives the workbook's content type (macro-enabled or not) from the path's
// extension, so dst's extension decides it when it is one of these.
func savableExt(path string) bool {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".xlsx", ".xlsm", ".xltx", ".xltm", ".xlam":
		return true
	}
	return false
}

// Write makes dst: a copy of the workbook src in which every issue's cell is marked
// (errors light red, warnings light yellow; only the fill changes, so borders,
// number format, font and alignment stay as the clerk made them) and carries a
// comment with the issue's message, plus a first sheet named lab.SheetName that
// lists every issue, file-level ones included, with a link to its cell.
//
// src is only read. dst is written atomically: a failed Write leaves an earlier dst
// as it was. Issues whose sheet is not in the workbook, or whose Row or Col is 0,
// are listed but not marked. Several issues on one cell share one comment, one
// message per line, and the cell takes the colour of the worst. A cell inside a
// merged range is marked on the range's top-left cell, the only one Excel shows.
//
// dst should keep src's extension: the copy's content type follows dst's extension,
// and a macro-enabled workbook saved as .xlsx would carry a VBA part Excel does not
// expect there.
//
// Write never panics; it returns ctx's error if ctx is cancelled before the file is
// saved. It keeps no state between calls and may run concurrently for different
// files.
func Write(ctx context.Context, src, dst string, issues []issue.Issue, lab Labels) (err error) {
	return write(ctx, src, dst, issues, lab, newScratch())
}

// write is Write with buffers reused from the writer's previous workbook.
func write(ctx context.Context, src, dst string, issues []issue.Issue, lab Labels, sc *scratch) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("feedback: write %s from %s: internal error: %v", dst, src, r)
		}
	}()
	if src == "" || dst == "" {
		return errors.New("feedback: empty source or destination path")
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("feedback: write %s: %w", dst, err)
	}
	if same, err := samePath(src, dst); err != nil {
		return fmt.Errorf("feedback: write %s: %w", dst, err)
	} else if same {
		// outfile would atomically replace the submitted file itself.
		return fmt.Errorf("feedback: write %s: destination is the source file", dst)
	}

	lab = lab.withDefaults()
	xls := strings.EqualFold(filepath.Ext(src), ".xls")
	if !xls {
		// The common case: patch the package, copying what the marks do not touch.
		// A workbook the patcher does not understand is rebuilt with excelize below.
		err := patchWorkbook(ctx, src, dst, issues, lab, sc)
		var nh *notHandled
		if !errors.As(err, &nh) {
			if err != nil {
				return fmt.Errorf("feedback: write %s: %w", dst, err)
			}
			return nil
		}
	}

	var f *excelize.File
	if xls {
		// An Excel 97-2003 file cannot be copied as .xlsx cell for cell: the
		// feedback is a new workbook with only the list of problems, each naming
		// its sheet and cell in the unit's own file.
		f = excelize.NewFile()
	} else if f, err = excelize.OpenFile(src, excelize.Options{UnzipSizeLimit: unzipLimit, UnzipXMLSizeLimit: unzipXMLLimit}); err != nil {
		return fmt.Errorf("feedback: open %s: %w", src, err)
	}
	defer func() {
		// Close removes the temporary files excelize spills large parts to.
		if cerr := f.Close(); cerr != nil && err == nil {
			err = fmt.Errorf("feedback: close %s: %w", src, cerr)
		}
	}()

	b := newBuilder(ctx, f, lab)
	entries := b.sheets.resolve(issues)
	if err := b.markCells(entries); err != nil {
		return fmt.Errorf("feedback: write %s: %w", dst, err)
	}
	if err := b.addProblemSheet(entries, titleFile(issues, src)); err != nil {
		return fmt.Errorf("feedback: write %s: problems sheet: %w", dst, err)
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("feedback: write %s: %w", dst, err)
	}

	// Without a usable extension on dst, f.Path = "" keeps src's content types as
	// they are (excelize then skips its extension check).
	if savableExt(dst) {
		f.Path = dst
	} else {
		f.Path = ""
	}
	if err := outfile.Write(dst, 0o644, func(w io.Writer) error { return f.Write(w) }); err != nil {
		return fmt.Errorf("feedback: %w", err)
	}
	return nil
}

// samePath reports whether src and dst name one file, so Write can refuse to
// replace the submission with its own feedback copy.
func samePath(src, dst string) (bool, error) {
	a, err := filepath.Abs(src)
	if err != nil {
		return false, err
	}
	b, err := filepath.Abs(dst)
	if err != nil {
		return false, err
	}
	if a == b {
		return true, nil
	}
	si, err := os.Stat(src)
	if err != nil {
		return false, nil // OpenFile reports it with the right context
	}
	di, err := os.Stat(dst)
	if err != nil {
		return false, nil // dst does not exist yet
	}
	return os.SameFile(si, di), nil
}

// builder carries the state of one Write. It lives for one call only: nothing is
// shared between calls.
type builder struct {
	ctx       context.Context
	f         *excelize.File
	lab       Labels
	sheets    *sheetSet
	worksheet map[string]bool  // cache for isWorksheet
	styles    map[styleKey]int // derived fill styles, see markStyle
}

func newBuilder(ctx context.Context, f *excelize.File, lab Labels) *builder {
	b := &builder{
		ctx:       ctx,
		f:         f,
		lab:       lab,
		worksheet: map[string]bool{},
		styles:    map[styleKey]int{},
	}
	b.sheets = newSheetSet(f.GetSheetList(), b.isWorksheet)
	return b
}

// isWorksheet reports whether a sheet has cells to mark. Chart, dialog and macro
// sheets have none, and excelize refuses to read them as worksheets. The check
// parses the sheet, so it is made lazily, only for sheets an issue points into
// (those are parsed for marking anyway) and, in activate, for the sheets before
// the previously active one.
func (b *builder) isWorksheet(name string) bool {
	ok, seen := b.worksheet[name]
	if !seen {
		_, err := b.f.GetSheetProps(name)
		ok = err == nil
		b.worksheet[name] = ok
	}
	return ok
}
