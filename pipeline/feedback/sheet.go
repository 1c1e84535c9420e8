package feedback

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"canbo/pipeline/issue"
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
	l := newListing(b.lab, entries, file, b.sheets.names)
	name := l.name
	n := len(b.sheets.names)
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

	if err := f.SetCellStr(name, cellName(colNum, titleRow), l.title); err != nil {
		return err
	}
	if err := f.SetCellStyle(name, cellName(colNum, titleRow), cellName(colNum, titleRow), st.title); err != nil {
		return err
	}
	if l.intro != "" {
		if err := f.SetCellStr(name, cellName(colNum, introRow), l.intro); err != nil {
			return err
		}
		if err := f.SetCellStyle(name, cellName(colNum, introRow), cellName(colNum, introRow), st.intro); err != nil {
			return err
		}
	}
	header := make([]any, numColumns)
	for i, c := range l.header {
		header[i] = c
	}
	if err := f.SetSheetRow(name, cellName(colNum, headerRow), &header); err != nil {
		return err
	}
	if err := f.SetCellStyle(name, cellName(colNum, headerRow), cellName(colMessage, headerRow), st.header); err != nil {
		return err
	}

	for i := range l.rows {
		if i%512 == 0 {
			if err := b.ctx.Err(); err != nil {
				return err
			}
		}
		lr := &l.rows[i]
		r := firstRow + i
		row := lr.values[:]
		if err := f.SetSheetRow(name, cellName(colNum, r), &row); err != nil {
			return fmt.Errorf("row %d: %w", r, err)
		}
		if lr.height > 0 {
			if err := f.SetRowHeight(name, r, lr.height); err != nil {
				return fmt.Errorf("row %d: %w", r, err)
			}
		}
		sevStyle := st.severityError
		if lr.warning {
			sevStyle = st.severityWarning
		}
		ref := cellName(colSeverity, r)
		if err := f.SetCellStyle(name, ref, ref, sevStyle); err != nil {
			return err
		}
		if lr.link != "" {
			ref := cellName(colCell, r)
			if err := f.SetCellHyperLink(name, ref, lr.link, "Location"); err != nil {
				return fmt.Errorf("link %s: %w", ref, err)
			}
			if err := f.SetCellStyle(name, ref, ref, st.link); err != nil {
				return err
			}
		}
	}

	last := l.last()
	if len(l.rows) > 0 {
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
		for i := range l.rows {
			if l.rows[i].link == "" {
				ref := cellName(colCell, firstRow+i)
				if err := f.SetCellStyle(name, ref, ref, st.center); err != nil {
					return err
				}
			}
		}
	}

	for c := colNum; c <= colMessage; c++ {
		col := issue.ColumnName(c)
		if err := f.SetColWidth(name, col, col, l.widths[c]); err != nil {
			return err
		}
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
