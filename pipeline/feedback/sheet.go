package feedback

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"canbo/pipeline/issue"
)

// Layout of the problems sheet: title, intro, header, then one row per issue.
const (
	titleRow  = 1
	introRow  = 2
	headerRow = 3
	firstRow  = headerRow + 1
	// maxListed keeps the listing inside Excel's row limit.
	maxListed = excelize.TotalRows - headerRow
	// maxLinks is excelize's limit on hyperlinks per sheet; issues beyond it are
	// still listed, without a link.
	maxLinks = excelize.TotalSheetHyperlinks
)

// Column positions (1-based) in the problems sheet, matching Labels.Columns.
const (
	colNum = iota + 1
	colSheet
	colCell
	colSeverity
	colCode
	colField
	colRaw
	colMessage
)

// sheetStyles are the style IDs of the problems sheet.
type sheetStyles struct {
	title, intro, header           int
	center, plain, wrap, link      int
	severityError, severityWarning int
}

// addProblemSheet adds the listing as the first sheet and makes it the one the
// workbook opens on.
func (b *builder) addProblemSheet(entries []entry, file string) error {
	f := b.f
	name := uniqueSheetName(b.lab.SheetName, b.sheets)
	n := len(b.sheets)
	idx, err := f.NewSheet(name)
	if err != nil {
		return fmt.Errorf("create sheet %q: %w", name, err)
	}
	if idx != n {
		// NewSheet returns an existing sheet when the name is taken; writing into
		// the clerk's own sheet must never happen.
		return fmt.Errorf("create sheet %q: got position %d, want %d", name, idx, n)
	}
	prevActive := f.GetActiveSheetIndex()
	if err := b.moveFirst(n); err != nil {
		return err
	}
	b.activate(prevActive + 1)

	st, err := newSheetStyles(f)
	if err != nil {
		return err
	}
	if len(entries) > maxListed {
		entries = entries[:maxListed]
	}

	title := strings.ReplaceAll(b.lab.Title, "{file}", file)
	if err := f.SetCellStr(name, cellName(colNum, titleRow), title); err != nil {
		return err
	}
	if err := f.SetCellStyle(name, cellName(colNum, titleRow), cellName(colNum, titleRow), st.title); err != nil {
		return err
	}
	if b.lab.Intro != "" {
		if err := f.SetCellStr(name, cellName(colNum, introRow), b.lab.Intro); err != nil {
			return err
		}
		if err := f.SetCellStyle(name, cellName(colNum, introRow), cellName(colNum, introRow), st.intro); err != nil {
			return err
		}
	}
	header := make([]any, numColumns)
	for i, c := range b.lab.Columns {
		header[i] = c
	}
	if err := f.SetSheetRow(name, cellName(colNum, headerRow), &header); err != nil {
		return err
	}
	if err := f.SetCellStyle(name, cellName(colNum, headerRow), cellName(colMessage, headerRow), st.header); err != nil {
		return err
	}

	row := make([]any, numColumns)
	linked := make([]bool, len(entries))
	links := 0
	for i := range entries {
		if i%512 == 0 {
			if err := b.ctx.Err(); err != nil {
				return err
			}
		}
		e := &entries[i]
		r := firstRow + i
		sev := b.lab.Error
		if isWarning(e.is.Severity) {
			sev = b.lab.Warning
		}
		field := e.is.Label
		if field == "" {
			field = e.is.Field
		}
		row[colNum-1] = i + 1
		row[colSheet-1] = e.is.Sheet
		if e.sheet != "" {
			row[colSheet-1] = e.sheet
		}
		row[colCell-1] = e.is.Cell()
		row[colSeverity-1] = sev
		row[colCode-1] = string(e.is.Code)
		row[colField-1] = field
		row[colRaw-1] = e.is.Raw
		row[colMessage-1] = message(e.is)
		if err := f.SetSheetRow(name, cellName(colNum, r), &row); err != nil {
			return fmt.Errorf("row %d: %w", r, err)
		}
		if lines := rowLines(field, e.is.Raw, message(e.is)); lines > 1 {
			if err := f.SetRowHeight(name, r, float64(min(lines*lineHeight, 409))); err != nil {
				return fmt.Errorf("row %d: %w", r, err)
			}
		}
		sevStyle := st.severityError
		if isWarning(e.is.Severity) {
			sevStyle = st.severityWarning
		}
		ref := cellName(colSeverity, r)
		if err := f.SetCellStyle(name, ref, ref, sevStyle); err != nil {
			return err
		}
		if e.linked && links < maxLinks {
			ref := cellName(colCell, r)
			if err := f.SetCellHyperLink(name, ref, location(e.sheet, e.is.Row, e.is.Col), "Location"); err != nil {
				return fmt.Errorf("link %s: %w", ref, err)
			}
			if err := f.SetCellStyle(name, ref, ref, st.link); err != nil {
				return err
			}
			linked[i] = true
			links++
		}
	}

	last := headerRow + len(entries)
	if len(entries) > 0 {
		// Column styles over the whole listing in one call each; the severity and
		// link cells set above keep theirs because they are excluded here.
		for _, c := range []struct {
			col, style int
		}{
			{colNum, st.center}, {colSheet, st.plain}, {colCode, st.plain},
			{colField, st.wrap}, {colRaw, st.wrap}, {colMessage, st.wrap},
		} {
			if err := f.SetCellStyle(name, cellName(c.col, firstRow), cellName(c.col, last), c.style); err != nil {
				return err
			}
		}
		for i := range entries {
			if !linked[i] {
				ref := cellName(colCell, firstRow+i)
				if err := f.SetCellStyle(name, ref, ref, st.center); err != nil {
					return err
				}
			}
		}
	}

	if err := b.setWidths(name, entries); err != nil {
		return err
	}
	if err := f.SetPanes(name, &excelize.Panes{
		Freeze: true, YSplit: headerRow, TopLeftCell: cellName(colNum, firstRow), ActivePane: "bottomLeft",
		Selection: []excelize.Selection{{SQRef: cellName(colNum, firstRow), ActiveCell: cellName(colNum, firstRow), Pane: "bottomLeft"}},
	}); err != nil {
		return fmt.Errorf("freeze header: %w", err)
	}
	// excelize leaves the new sheet's <dimension> at A1; readers that size a sheet
	// from it (openpyxl in read-only mode, some importers) would see one cell.
	if err := f.SetSheetDimension(name, cellName(colNum, titleRow)+":"+cellName(colMessage, last)); err != nil {
		return fmt.Errorf("dimension: %w", err)
	}
	if err := f.AutoFilter(name, cellName(colNum, headerRow)+":"+cellName(colMessage, last), nil); err != nil {
		return fmt.Errorf("autofilter: %w", err)
	}
	// Printed on A4 landscape, one page wide, as many pages tall as needed: a
	// listing split across two pages' width is unreadable on paper.
	landscape, a4, wide, tall, fit := "landscape", 9, 1, 0, true
	if err := f.SetPageLayout(name, &excelize.PageLayoutOptions{
		Orientation: &landscape, Size: &a4, FitToWidth: &wide, FitToHeight: &tall,
	}); err != nil {
		return fmt.Errorf("page layout: %w", err)
	}
	if err := f.SetSheetProps(name, &excelize.SheetPropsOptions{FitToPage: &fit}); err != nil {
		return fmt.Errorf("page layout: %w", err)
	}
	return nil
}

// Row heights. Neither Excel nor LibreOffice reliably grows a row for wrapped
// text in a file it did not lay out itself, so rows whose text wraps get an explicit
// height from an estimate of their line count (see rowLines).
const (
	lineHeight = 15 // points per line of 11-point text
	minHeight  = 15 // Excel's default row height: rows of one line keep it
)

// Widths of the wrapped columns, in Excel's character units.
const (
	widthField   = 24
	widthRaw     = 28
	widthMessage = 70
)

// rowLines estimates how many lines the tallest wrapped cell of a listed issue
// takes. A character of 11-point Times New Roman is narrower than the digit that
// defines Excel's width unit, so counting one character per unit overestimates
// slightly: a row may get a little spare space but its text is never cut.
func rowLines(field, raw, msg string) int {
	n := 1
	for _, c := range [...]struct {
		text string
		per  int
	}{{field, widthField}, {raw, widthRaw}, {msg, widthMessage}} {
		text, per, lines := c.text, c.per, 0
		for _, line := range strings.Split(text, "\n") {
			lines += max(1, (utf8.RuneCountInString(line)+per-1)/per)
		}
		n = max(n, lines)
	}
	return n
}

// moveFirst moves the sheet just appended (at position n) to the front.
//
// excelize's MoveSheet cannot be used: it ungroups sheets first, which dereferences
// nil for a chart sheet or a worksheet without sheetViews, and it parses every sheet.
// Reordering the workbook's sheet list touches no sheet part. What refers to sheets
// by position is renumbered here: sheet-scoped defined names (print areas, print
// titles, filter ranges; MoveSheet would leave the clerk's print area on the
// problems sheet) and the workbook view's active and first visible tab.
func (b *builder) moveFirst(n int) error {
	wb := b.f.WorkBook
	if wb == nil || len(wb.Sheets.Sheet) != n+1 {
		return fmt.Errorf("move problems sheet first: workbook lists %d sheets, want %d", sheetCount(b.f), n+1)
	}
	if n == 0 {
		return nil
	}
	s := wb.Sheets.Sheet
	added := s[n]
	copy(s[1:], s[:n])
	s[0] = added
	if wb.DefinedNames != nil {
		for i := range wb.DefinedNames.DefinedName {
			dn := &wb.DefinedNames.DefinedName[i]
			if dn.LocalSheetID != nil && *dn.LocalSheetID >= 0 && *dn.LocalSheetID < n {
				id := *dn.LocalSheetID + 1
				dn.LocalSheetID = &id
			}
		}
	}
	if wb.BookViews != nil {
		for i := range wb.BookViews.WorkBookView {
			v := &wb.BookViews.WorkBookView[i]
			if v.ActiveTab < n {
				v.ActiveTab++
			}
			v.FirstSheet = 0 // keep the problems sheet's tab in view
		}
	}
	return nil
}

func sheetCount(f *excelize.File) int { return len(f.GetSheetList()) }

// activate makes the problems sheet the one the workbook opens on, unless that
// could leave two tabs selected. Excel opens a workbook whose sheets both carry
// tabSelected as a group, where typing into one sheet types into all: a trap for
// a clerk fixing cells. excelize's SetActiveSheet clears tabSelected sheet by sheet
// but stops at the first chart sheet, so it is used only when no chart sheet comes
// before the previously active sheet (prev, its position after the move); otherwise
// the workbook keeps opening where the clerk left it.
func (b *builder) activate(prev int) {
	list := b.f.GetSheetList()
	if prev >= len(list) {
		prev = len(list) - 1
	}
	for i := 1; i <= prev; i++ {
		if !b.isWorksheet(list[i]) {
			return
		}
	}
	b.f.SetActiveSheet(0)
}

// setWidths sizes the columns: narrow ones for numbers and references, wide ones
// wrapping the message, and the sheet and code columns fitted to their content
// within bounds.
func (b *builder) setWidths(name string, entries []entry) error {
	sheetW, codeW := utf8.RuneCountInString(b.lab.Columns[colSheet-1]), utf8.RuneCountInString(b.lab.Columns[colCode-1])
	for i := range entries {
		sheetW = max(sheetW, utf8.RuneCountInString(entries[i].is.Sheet))
		codeW = max(codeW, len(entries[i].is.Code))
	}
	sevW := max(utf8.RuneCountInString(b.lab.Error), utf8.RuneCountInString(b.lab.Warning),
		utf8.RuneCountInString(b.lab.Columns[colSeverity-1]))
	widths := []float64{
		colNum:      6,
		colSheet:    clamp(float64(sheetW)+3, 12, 32),
		colCell:     clamp(float64(utf8.RuneCountInString(b.lab.Columns[colCell-1]))+3, 9, 16),
		colSeverity: clamp(float64(sevW)+3, 10, 18),
		colCode:     clamp(float64(codeW)+3, 14, 30),
		colField:    widthField,
		colRaw:      widthRaw,
		colMessage:  widthMessage,
	}
	for c := colNum; c <= colMessage; c++ {
		col := issue.ColumnName(c)
		if err := b.f.SetColWidth(name, col, col, widths[c]); err != nil {
			return err
		}
	}
	return nil
}

func clamp(v, lo, hi float64) float64 { return min(max(v, lo), hi) }

// newSheetStyles creates the problems sheet's styles. Every font names uiFont and
// every border and fill has an explicit colour (see autoBorder).
func newSheetStyles(f *excelize.File) (sheetStyles, error) {
	grid := []excelize.Border{
		{Type: "left", Style: 1, Color: gridColour}, {Type: "right", Style: 1, Color: gridColour},
		{Type: "top", Style: 1, Color: gridColour}, {Type: "bottom", Style: 1, Color: gridColour},
	}
	font := func(mod func(*excelize.Font)) *excelize.Font {
		ft := &excelize.Font{Family: uiFont, Size: 11, Color: textColour}
		if mod != nil {
			mod(ft)
		}
		return ft
	}
	top := func(h string, wrap bool) *excelize.Alignment {
		return &excelize.Alignment{Horizontal: h, Vertical: "top", WrapText: wrap}
	}
	var s sheetStyles
	specs := []struct {
		dst *int
		st  excelize.Style
	}{
		{&s.title, excelize.Style{Font: font(func(ft *excelize.Font) { ft.Bold, ft.Size = true, 14 })}},
		{&s.intro, excelize.Style{Font: font(func(ft *excelize.Font) { ft.Italic = true })}},
		{&s.header, excelize.Style{
			Font: font(func(ft *excelize.Font) { ft.Bold = true }), Border: grid,
			Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{headerFill}},
			Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true},
		}},
		{&s.center, excelize.Style{Font: font(nil), Border: grid, Alignment: top("center", false)}},
		{&s.plain, excelize.Style{Font: font(nil), Border: grid, Alignment: top("left", false)}},
		{&s.wrap, excelize.Style{Font: font(nil), Border: grid, Alignment: top("left", true)}},
		{&s.link, excelize.Style{
			Font:   font(func(ft *excelize.Font) { ft.Color, ft.Underline = linkColour, "single" }),
			Border: grid, Alignment: top("center", false),
		}},
		{&s.severityError, excelize.Style{
			Font:   font(func(ft *excelize.Font) { ft.Color, ft.Bold = errorText, true }),
			Fill:   excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{errorFill}},
			Border: grid, Alignment: top("center", false),
		}},
		{&s.severityWarning, excelize.Style{
			Font:   font(func(ft *excelize.Font) { ft.Color, ft.Bold = warningText, true }),
			Fill:   excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{warningFill}},
			Border: grid, Alignment: top("center", false),
		}},
	}
	for _, sp := range specs {
		id, err := f.NewStyle(&sp.st)
		if err != nil {
			return s, fmt.Errorf("create style: %w", err)
		}
		*sp.dst = id
	}
	return s, nil
}

// uniqueSheetName returns want, made valid as a sheet name and distinct (ignoring
// case, as Excel does) from every name in taken, by appending " (2)", " (3)"….
func uniqueSheetName(want string, taken []string) string {
	want = strings.Map(func(r rune) rune {
		if strings.ContainsRune(`:\/?*[]`, r) || r < ' ' {
			return '-'
		}
		return r
	}, want)
	want = strings.Trim(strings.TrimSpace(want), "'")
	if want == "" {
		want = DefaultLabels().SheetName
	}
	used := make(map[string]bool, len(taken))
	for _, t := range taken {
		used[strings.ToLower(t)] = true
	}
	for k := 1; ; k++ {
		suffix := ""
		if k > 1 {
			suffix = " (" + strconv.Itoa(k) + ")"
		}
		name := truncateUTF16(want, excelize.MaxSheetNameLength-len(suffix))
		name = strings.TrimRight(name, "' ") + suffix
		if !used[strings.ToLower(name)] {
			return name
		}
	}
}

// truncateUTF16 cuts s to at most n UTF-16 code units (Excel's unit for sheet name
// length) without splitting a character.
func truncateUTF16(s string, n int) string {
	units := 0
	for i, r := range s {
		w := 1
		if r >= 0x10000 {
			w = 2
		}
		if units+w > n {
			return s[:i]
		}
		units += w
	}
	return s
}

// location is the internal hyperlink target of an issue: the cell, or the whole
// row or column when the issue names only one of them. The sheet name is always
// quoted, with embedded quotes doubled, as Excel writes it.
func location(sheet string, row, col int) string {
	q := "'" + strings.ReplaceAll(sheet, "'", "''") + "'!"
	switch {
	case row > 0 && col > 0:
		return q + cellName(col, row)
	case col > 0:
		c := issue.ColumnName(col)
		return q + c + ":" + c
	default:
		r := strconv.Itoa(row)
		return q + r + ":" + r
	}
}

// cellName is the A1 name of a cell whose coordinates are known to be valid.
func cellName(col, row int) string {
	return issue.ColumnName(col) + strconv.Itoa(row)
}
