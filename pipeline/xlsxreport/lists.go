package xlsxreport

import (
	"fmt"
	"strings"

	"github.com/xuri/excelize/v2"

	"canbo/pipeline/reporttext"
	"canbo/pipeline/schema"
	"canbo/pipeline/summary"
)

// belowStandard is the training plan: every person below a standard, one row per
// person and standard, with what they lack and where they were read.
func (b *book) belowStandard() sheetSpec {
	persons := b.s.BelowStandard
	titles := map[string]string{}
	for _, st := range b.s.Standards {
		if st.Title != "" {
			titles[st.ID] = st.Title
		}
	}
	cols := []colSpec{
		{5, 8},   // STT
		{16, 36}, // unit
		{18, 30}, // name
		{11, 12}, // birth date
		{12, 32}, // position
		{16, 40}, // standard
		{30, 70}, // missing
		{14, 40}, // file
		{9, 20},  // sheet
		{6, 8},   // row
	}
	n := len(cols)
	const first = titleRowCount + 2 // below the title block and the header
	shown, cut := listLimit(len(persons), first)
	var sb strings.Builder
	// What people lack repeats across a list (a few requirements, a few levels): each
	// text is made once, not twice per person (the body is measured, then written).
	lacks := map[string]string{}
	var key []byte
	// People read from the cache share one list of what they lack when they lack the
	// same (facts' peopleReader): the list of the row before is known without a key.
	var lastLacks *summary.Missing
	lastLen, lastText := -1, ""
	missing := func(ms []summary.Missing) string {
		if len(ms) > 0 && &ms[0] == lastLacks && len(ms) == lastLen {
			return lastText
		}
		key = key[:0]
		for _, m := range ms {
			for _, s := range [...]string{m.Field, m.Label, m.Have, m.HaveText, m.Need, m.NeedText} {
				key = append(key, s...)
				key = append(key, 0)
			}
		}
		text, ok := lacks[string(key)]
		if !ok {
			text = b.missingText(&sb, ms)
			lacks[string(key)] = text
		}
		lastLacks, lastLen, lastText = nil, -1, text
		if len(ms) > 0 {
			lastLacks, lastLen = &ms[0], len(ms)
		}
		return text
	}
	row := make([]cell, n)
	body := func(put func([]cell) error) error {
		for i, p := range persons[:shown] {
			var birth any = p.BirthDate
			if d, ok := parseDate(p.BirthDate); ok {
				birth = d
			} else if p.BirthDate == "" {
				birth = nil
			}
			standard := p.Standard
			if t, ok := titles[p.Standard]; ok {
				standard = t
			}
			var rowNum any
			if p.Row > 0 {
				rowNum = p.Row
			}
			row[0] = b.c(i+1, kCenter, ePlain)
			row[1] = b.c(p.Unit, kText, ePlain)
			row[2] = b.c(p.Name, kText, ePlain)
			row[3] = b.c(birth, kDate, ePlain)
			row[4] = b.c(p.Position, kWrap, ePlain)
			row[5] = b.c(standard, kWrap, ePlain)
			row[6] = b.c(missing(p.Missing), kWrap, ePlain)
			row[7] = b.c(p.File, kText, ePlain)
			row[8] = b.c(p.Sheet, kText, ePlain)
			row[9] = b.c(rowNum, kCenter, ePlain)
			if err := put(row); err != nil {
				return err
			}
		}
		if cut {
			return put(b.moreRow(n, len(persons)-shown))
		}
		return nil
	}
	return sheetSpec{
		key:    "xlsx_sheet_standards",
		stream: true,
		cols:   cols,
		top:    b.titleRows(n, "section_standards"),
		head: b.headerRow(b.labels("xlsx_stt", "unit", "name", "birth_date", "position", "standard",
			"missing", "file", "sheet", "xlsx_row")...),
		body:       body,
		total:      b.emptyNote(n, len(persons)),
		freezeCols: 3,
	}
}

// missingText says what a person lacks: "Trình độ chuyên môn: có Cao đẳng, cần Đại
// học; Lý luận chính trị: …".
func (b *book) missingText(sb *strings.Builder, ms []summary.Missing) string {
	sb.Reset()
	for i, m := range ms {
		if i > 0 {
			sb.WriteString("; ")
		}
		field := m.Label
		if field == "" {
			field = m.Field
			if f := b.cfg.Field(m.Field); f != nil {
				field = f.Label
			}
		}
		need := orCode(m.NeedText, m.Need)
		if m.Have == "" || m.Have == schema.Unknown {
			sb.WriteString(b.fill("xlsx_missing_unknown", "field", field, "need", need))
		} else {
			sb.WriteString(b.fill("xlsx_missing_item", "field", field, "have", orCode(m.HaveText, m.Have), "need", need))
		}
	}
	return b.nfc(sb.String())
}

func orCode(text, code string) string {
	if text != "" {
		return text
	}
	return code
}

// problems lists the data problems, the same problem of several cells of one file's
// sheet once (problemGroups), as `canbo check` and the feedback workbook say it: a
// file with 141 cells of the same wrong text has one row naming its cells, not 141.
// The last column counts the problems of each row, a flood's unlisted ones (More)
// included, so that the column adds up to the problems the overview counts.
func (b *book) problems() sheetSpec {
	probs := b.s.Problems
	groups := problemGroups(probs)
	cols := []colSpec{
		{5, 8},   // STT
		{14, 40}, // file
		{9, 20},  // sheet
		{6, 24},  // cells
		{10, 24}, // field
		{10, 30}, // raw
		{8, 11},  // severity
		{14, 36}, // kind of problem (code)
		{30, 70}, // message
		{7, 9},   // count
	}
	n := len(cols)
	const first = titleRowCount + 2
	shown, cut := listLimit(len(groups), first)
	fieldLabels := map[string]string{}
	severity := map[string]string{
		"error":   b.label("severity_error"),
		"warning": b.label("severity_warning"),
	}
	// The kind of problem in the clerk's words, its code after it for whoever helps.
	kindOf := map[string]string{}
	kinds := func(code string) string {
		k, ok := kindOf[code]
		if !ok {
			k = code
			if l := b.txt.IssueKind(code); l != code {
				k = l + " (" + code + ")"
			}
			kindOf[code] = k
		}
		return k
	}
	row := make([]cell, n)
	body := func(put func([]cell) error) error {
		for i := range groups[:shown] {
			g := &groups[i]
			p := &probs[g.first]
			field, ok := fieldLabels[p.Field]
			if !ok {
				field = p.Field
				if f := b.cfg.Field(p.Field); f != nil {
					field = b.nfc(f.Label)
				}
				fieldLabels[p.Field] = field
			}
			sev, ok := severity[p.Severity]
			if !ok {
				sev = p.Severity
			}
			cells, msg, kind := p.Cell, p.Message, kCenter
			if g.cells != nil {
				// The message names its own cell ("Ô E20: …"): it names them all (a
				// message that names none stays as it is).
				cells, kind = b.cellList(g), kWrap
				msg = strings.Replace(msg, p.Cell, cells, 1)
			}
			row[0] = b.c(i+1, kCenter, ePlain)
			row[1] = b.c(p.File, kText, ePlain)
			row[2] = b.c(p.Sheet, kText, ePlain)
			row[3] = b.c(cells, kind, ePlain)
			row[4] = b.c(field, kText, ePlain)
			row[5] = b.c(p.Raw, kText, ePlain)
			row[6] = b.c(sev, kCenter, ePlain)
			row[7] = b.c(kinds(p.Code), kText, ePlain)
			row[8] = b.c(msg, kWrap, ePlain)
			row[9] = b.c(g.count, kCenter, ePlain)
			if err := put(row); err != nil {
				return err
			}
		}
		if cut {
			return put(b.moreRow(n, len(groups)-shown))
		}
		return nil
	}
	return sheetSpec{
		key:    "xlsx_sheet_problems",
		stream: true,
		cols:   cols,
		top:    b.titleRows(n, "section_problems"),
		head: b.headerRow(b.labels("xlsx_stt", "file", "sheet", "cell", "field", "raw", "severity",
			"problem_code", "message", "xlsx_problem_count")...),
		body:  body,
		total: b.emptyNote(n, len(probs)),
		setup: func(f *excelize.File, name string, first, last int) error {
			if last < first {
				return nil
			}
			return f.SetConditionalFormat(name, fmt.Sprintf("G%d:G%d", first, last), []excelize.ConditionalFormatOptions{
				equals("G", first, severity["error"], b.st.bad),
				equals("G", first, severity["warning"], b.st.warn),
			})
		},
	}
}

// problemGroup is one row of the problems sheet: the problems of one file's sheet
// that a clerk reads as the same, at their cells.
type problemGroup struct {
	first int      // the first problem, which the row shows
	cells []string // the cells of its problems in the order found, when more than the first's
	count int      // its problems, each flood's unlisted ones (More) included
}

// shownCells is how many cells a grouped row names before "và N ô khác", as `canbo
// check` does.
const shownCells = 10

// sameProblem is what problems of cells share to be one row: all but the cell, and the
// message but for where it names the cell. The message is kept as the parts before and
// after its first mention of the cell, slices of it: a national batch has tens of
// thousands of problems, and the key is made for each.
type sameProblem struct {
	file, sheet, col, code, severity, field, raw, before, after string
	named                                                       bool // the message names the cell
}

// problemGroups groups the problems of cells that differ only by their cell: the same
// file, sheet, column, code, severity, field and value, and the same message but for
// the cell it names (as issue.SameKey does, on what summary.json keeps of a problem).
// A problem of no cell (a file's, a sheet's) is a row of its own, and so is a flood's
// last listed problem, whose message says how many more it stands for.
func problemGroups(probs []summary.Problem) []problemGroup {
	var out []problemGroup
	at := map[sameProblem]int{}
	for i := range probs {
		p := &probs[i]
		n := 1 + p.More
		col := strings.TrimRight(p.Cell, "0123456789")
		before, after, named := strings.Cut(p.Message, p.Cell)
		if col == p.Cell || col == "" || p.More > 0 {
			out = append(out, problemGroup{first: i, count: n})
			continue
		}
		k := sameProblem{p.File, p.Sheet, col, p.Code, p.Severity, p.Field, p.Raw, before, after, named}
		j, ok := at[k]
		if !ok {
			at[k] = len(out)
			out = append(out, problemGroup{first: i, count: n})
			continue
		}
		g := &out[j]
		if g.cells == nil {
			g.cells = []string{probs[g.first].Cell}
		}
		g.cells = append(g.cells, p.Cell)
		g.count += n
	}
	return out
}

// cellList names a group's cells: "E20, E21, E22" or "E20, E21, … và 131 ô khác".
func (b *book) cellList(g *problemGroup) string {
	shown := g.cells[:min(len(g.cells), shownCells)]
	list := strings.Join(shown, ", ")
	if rest := g.count - len(shown); rest > 0 {
		list = b.fill("xlsx_cells_more", "cells", list, "n", reporttext.Int(rest))
	}
	return list
}

// emptyNote says "Không có." under an empty list.
func (b *book) emptyNote(ncols, n int) rowFunc {
	if n > 0 {
		return nil
	}
	return func(put func([]cell) error) error {
		return put(b.spanRow(ncols, b.label("xlsx_no_rows"), b.st.note))
	}
}
