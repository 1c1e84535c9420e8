package feedback

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"canbo/pipeline/issue"
)

// listing is the content of the problems sheet, worked out once and drawn by either
// writer (the zip patcher or excelize), so both show the same sheet.
type listing struct {
	name   string // sheet name, unique in the workbook
	title  string
	intro  string // "" for no intro line
	header []string
	rows   []listedRow
	// widths[c] is column c's width in Excel's character units (index 0 unused).
	widths [numColumns + 1]float64
}

// listedRow is one issue's line.
type listedRow struct {
	values  [numColumns]any // colNum is an int, the rest strings
	warning bool
	link    string  // internal hyperlink target of the cell column; "" for none
	height  float64 // points; 0 keeps the default height
}

// last is the last row the listing fills.
func (l *listing) last() int { return headerRow + len(l.rows) }

// newListing lays out the problems sheet for entries, in their order. Issues beyond
// Excel's row limit are dropped, and beyond maxLinks are listed without a link.
func newListing(lab Labels, entries []entry, file string, taken []string) *listing {
	l := &listing{
		name:   uniqueSheetName(lab.SheetName, taken),
		title:  strings.ReplaceAll(lab.Title, "{file}", file),
		intro:  lab.Intro,
		header: lab.Columns,
	}
	first, others := sameCells(entries)
	if len(first) > maxListed {
		first = first[:maxListed]
	}
	l.rows = make([]listedRow, len(first))
	links := 0
	for i, at := range first {
		e := &entries[at]
		r := &l.rows[i]
		sev := lab.Error
		if isWarning(e.is.Severity) {
			sev = lab.Warning
		}
		field := e.is.Label
		if field == "" {
			field = e.is.Field
		}
		sheet := e.is.Sheet
		if e.sheet != "" {
			sheet = e.sheet
		}
		msg := message(e.is)
		if more := others[at]; len(more) > 0 {
			msg += "\n" + sameText(lab, more)
		}
		r.values = [numColumns]any{i + 1, sheet, e.is.Cell(), sev, lab.kind(e.is.Code), field, e.is.Raw, msg}
		r.warning = isWarning(e.is.Severity)
		if lines := rowLines(field, e.is.Raw, msg); lines > 1 {
			r.height = float64(min(lines*lineHeight, 409))
		}
		if e.linked && links < maxLinks {
			r.link = location(e.sheet, e.is.Row, e.is.Col)
			links++
		}
	}
	l.widths = columnWidths(lab, entries)
	return l
}

// sameCells groups the same problem of several cells (issue.SameKey), as a clerk
// reads it once: first lists the entries that start a group or stand alone, in
// order; others gives, for a group's first entry, the cells of the rest. Each cell
// is still marked and commented in its sheet.
func sameCells(entries []entry) (first []int, others map[int][]string) {
	others = map[int][]string{}
	at := map[string]int{}
	for i := range entries {
		is := entries[i].is
		if !entries[i].cell || is.Row <= 0 || is.Col <= 0 {
			first = append(first, i)
			continue
		}
		k := entries[i].sheet + "\x00" + issue.SameKey(is)
		if j, ok := at[k]; ok {
			others[j] = append(others[j], is.Cell())
			continue
		}
		at[k] = i
		first = append(first, i)
	}
	return first, others
}

// maxSameCells is how many other cells the line under a grouped problem names.
const maxSameCells = 10

// sameText is the line under a grouped problem naming its other cells.
func sameText(lab Labels, cells []string) string {
	shown := cells[:min(len(cells), maxSameCells)]
	them := ""
	if rest := len(cells) - len(shown); rest > 0 {
		them = strings.ReplaceAll(lab.SameMore, "{so}", strconv.Itoa(rest))
	}
	return strings.NewReplacer("{so}", strconv.Itoa(len(cells)), "{o}", strings.Join(shown, ", "), "{them}", them).Replace(lab.Same)
}

// columnWidths sizes the columns: narrow ones for numbers and references, wide ones
// wrapping the message, and the sheet and code columns fitted to their content
// within bounds.
func columnWidths(lab Labels, entries []entry) [numColumns + 1]float64 {
	sheetW, codeW := utf8.RuneCountInString(lab.Columns[colSheet-1]), utf8.RuneCountInString(lab.Columns[colCode-1])
	for i := range entries {
		sheetW = max(sheetW, utf8.RuneCountInString(entries[i].is.Sheet))
		codeW = max(codeW, utf8.RuneCountInString(lab.kind(entries[i].is.Code)))
	}
	sevW := max(utf8.RuneCountInString(lab.Error), utf8.RuneCountInString(lab.Warning),
		utf8.RuneCountInString(lab.Columns[colSeverity-1]))
	return [numColumns + 1]float64{
		colNum:      6,
		colSheet:    clamp(float64(sheetW)+3, 12, 32),
		colCell:     clamp(float64(utf8.RuneCountInString(lab.Columns[colCell-1]))+3, 9, 16),
		colSeverity: clamp(float64(sevW)+3, 10, 18),
		colCode:     clamp(float64(codeW)+3, 14, 40),
		colField:    widthField,
		colRaw:      widthRaw,
		colMessage:  widthMessage,
	}
}

func clamp(v, lo, hi float64) float64 { return min(max(v, lo), hi) }

// Layout of the problems sheet: title, intro, header, then one row per issue.
const (
	titleRow  = 1
	introRow  = 2
	headerRow = 3
	firstRow  = headerRow + 1
	// maxListed keeps the listing inside Excel's row limit.
	maxListed = excelize.TotalRows - headerRow
	// maxLinks is Excel's limit on hyperlinks per sheet; issues beyond it are
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
		r := itoa(row)
		return q + r + ":" + r
	}
}

// cellName is the A1 name of a cell whose coordinates are known to be valid.
func cellName(col, row int) string {
	return issue.ColumnName(col) + itoa(row)
}
