package feedback

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// Colours of the marks and of the problems sheet, as RRGGBB. They are Excel's own
// "Bad" and "Neutral" cell-style colours, which clerks already read as "wrong" and
// "check this".
const (
	errorFill   = "FFC7CE"
	errorText   = "9C0006"
	warningFill = "FFEB9C"
	warningText = "9C5700"
	headerFill  = "DDEBF7"
	gridColour  = "A6A6A6"
	textColour  = "000000"
	linkColour  = "0563C1"
	// autoBorder replaces a border colour excelize reads back as empty ("automatic"):
	// written unchanged, excelize would emit rgb="FF", which some readers reject.
	autoBorder = "000000"
)

// uiFont is the font of everything this package writes (problems sheet, comments).
// Many commune workbooks still default to a TCVN3 or VNI font (.VnTime, VNI-Times)
// that shows Unicode Vietnamese as garbage, so the workbook's default font cannot be
// trusted; Times New Roman has every Vietnamese letter and is on every office PC.
const uiFont = "Times New Roman"

// commentWidth is the comment box width in pixels; commentChars is roughly how many
// characters of 10-point text fit on one of its lines, used to size the box so that
// every message shows without the clerk resizing it.
const (
	commentWidth     = 320
	commentChars     = 48
	commentLineH     = 15
	commentMaxHeight = 400
)

// styleKey names a derived style: the cell's own style plus a mark. Workbooks use a
// handful of styles for thousands of cells, so caching on this key keeps the number
// of new styles small however many cells are marked.
type styleKey struct {
	base    int
	warning bool
}

// markCells colours and annotates the cell of every entry that points at one.
func (b *builder) markCells(entries []entry) error {
	merges := map[string]*mergeMap{}
	for sheet, cells := range cellsBySheet(entries) {
		ranges, err := b.f.GetMergeCells(sheet, true)
		if err != nil {
			return fmt.Errorf("sheet %q: merged cells: %w", sheet, err)
		}
		if len(ranges) == 0 {
			continue
		}
		m := newMergeMap(cells)
		for _, mc := range ranges {
			if r, ok := parseRange(mc.GetStartAxis() + ":" + mc.GetEndAxis()); ok {
				m.add(r)
			} // a broken range: marking the cell itself is the best we can do
		}
		merges[sheet] = m
	}
	p := planMarks(entries, merges)

	for sheet, set := range p.show {
		for row := range set {
			if visible, err := b.f.GetRowVisible(sheet, row); err == nil && !visible {
				if err := b.f.SetRowVisible(sheet, row, true); err != nil {
					return fmt.Errorf("sheet %q: show row %d: %w", sheet, row, err)
				}
			}
		}
	}

	comments := map[string]map[string]excelize.Comment{}
	for i, t := range p.order {
		if i%256 == 0 {
			if err := b.ctx.Err(); err != nil {
				return err
			}
		}
		ref := cellName(t.col, t.row)
		m := p.marks[t]
		if err := b.fill(t.sheet, ref, m.warning); err != nil {
			return fmt.Errorf("mark %s!%s: %w", t.sheet, ref, err)
		}
		if comments[t.sheet] == nil {
			var err error
			comments[t.sheet], err = b.existingComments(t.sheet)
			if err != nil {
				return fmt.Errorf("sheet %q: read comments: %w", t.sheet, err)
			}
		}
		if err := b.comment(t.sheet, ref, m.msgs, comments[t.sheet]); err != nil {
			return fmt.Errorf("comment %s!%s: %w", t.sheet, ref, err)
		}
	}
	return nil
}

// fill gives a cell the mark colour while keeping the rest of its style.
func (b *builder) fill(sheet, ref string, warning bool) error {
	base, err := b.f.GetCellStyle(sheet, ref)
	if err != nil {
		return err
	}
	id, err := b.markStyle(base, warning)
	if err != nil {
		return err
	}
	return b.f.SetCellStyle(sheet, ref, ref, id)
}

// markStyle returns the style that is base with the mark's fill, creating it on
// first use. The cell's style is read back with GetStyle and only Fill is replaced,
// so borders, number format (a date stays a date), font, alignment and protection
// carry over.
func (b *builder) markStyle(base int, warning bool) (int, error) {
	key := styleKey{base, warning}
	if id, ok := b.styles[key]; ok {
		return id, nil
	}
	st, err := b.f.GetStyle(base)
	if err != nil || st == nil {
		// A cell pointing at a style the file does not define (a damaged file that
		// Excel still opens): mark it on a plain style rather than fail the file.
		st = &excelize.Style{}
	}
	colour := errorFill
	if warning {
		colour = warningFill
	}
	st.Fill = excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{colour}}
	for i := range st.Border {
		if st.Border[i].Color == "" {
			st.Border[i].Color = autoBorder
		}
	}
	id, err := b.f.NewStyle(st)
	if err != nil {
		return 0, fmt.Errorf("derive style from %d: %w", base, err)
	}
	b.styles[key] = id
	return id, nil
}

// existingComments returns the comments a sheet already has, by cell. Excel allows
// one comment per cell and excelize refuses a second, so a clerk's own note must be
// merged with ours rather than replaced.
func (b *builder) existingComments(sheet string) (map[string]excelize.Comment, error) {
	list, err := b.f.GetComments(sheet)
	if err != nil {
		return nil, err
	}
	out := make(map[string]excelize.Comment, len(list))
	for _, c := range list {
		out[strings.ToUpper(c.Cell)] = c
	}
	return out, nil
}

// comment attaches the messages to a cell, one per line under the author's name,
// the way Excel itself lays out a note. A note the clerk already had on the cell is
// kept below ours.
func (b *builder) comment(sheet, ref string, msgs []string, existing map[string]excelize.Comment) error {
	text := strings.Join(msgs, "\n")
	runs := []excelize.RichTextRun{
		{Text: b.lab.Author + ":\n", Font: &excelize.Font{Bold: true, Family: uiFont, Size: 10, Color: textColour}},
		{Text: text, Font: &excelize.Font{Family: uiFont, Size: 10, Color: textColour}},
	}
	lines := commentLines(b.lab.Author) + commentLines(text)
	if old, ok := existing[ref]; ok {
		runs = append(runs, excelize.RichTextRun{Text: "\n\n"})
		if old.Text != "" {
			runs = append(runs, excelize.RichTextRun{Text: old.Text})
			lines += commentLines(old.Text)
		}
		for _, r := range old.Paragraph {
			runs = append(runs, r)
			lines += commentLines(r.Text)
		}
		lines++
		if err := b.f.DeleteComment(sheet, ref); err != nil {
			return err
		}
		delete(existing, ref)
	}
	height := min(20+lines*commentLineH, commentMaxHeight)
	return b.f.AddComment(sheet, excelize.Comment{
		Cell:      ref,
		Author:    b.lab.Author,
		Paragraph: runs,
		Width:     commentWidth,
		Height:    uint(height),
	})
}

// commentLines estimates how many lines text takes in the comment box.
func commentLines(text string) int {
	n := 0
	for _, line := range strings.Split(text, "\n") {
		n += max(1, (utf8.RuneCountInString(line)+commentChars-1)/commentChars)
	}
	return n
}
