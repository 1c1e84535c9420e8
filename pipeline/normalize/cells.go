package normalize

import (
	"regexp"
	"strconv"
	"strings"
	"time"

	"canbo/pipeline/issue"
	"canbo/pipeline/schema"
	"canbo/pipeline/textfold"
	"canbo/pipeline/workbook"
)

// filled reports whether a cell says something: "-", "—", "/" say nothing.
func (n *Normalizer) filled(c workbook.Cell) bool {
	return c.Kind != workbook.Blank && strings.TrimSpace(c.Text) != "" && !(c.Kind == workbook.Text && n.blankText(c.Text))
}

// placeholder reports whether a date cell surely holds a date typed to fill it rather
// than a real one: a date no calendar has ("0000-00-00", "00/00/0000", as listed in
// layout.yaml's placeholder_dates), or one in 1900 or before (Excel's day 0 and 1).
// The other placeholder_dates ("01/01/1970") are real dates for some people: they are
// blanked only when they recur down a column (see Suspect and ingest).
func (n *Normalizer) placeholder(text string, t time.Time) bool {
	var buf [64]byte
	if text != "" && n.placeholderTexts[string(textfold.AppendCompact(buf[:0], text))] {
		if _, _, err := ParseDateText(text, time.Time{}); err != nil {
			return true
		}
	}
	return !t.IsZero() && t.Year() <= 1900
}

// Suspect reports whether a date is one of layout.yaml's placeholder_dates: a date
// people type to fill a cell, which is a placeholder when many cells of a column hold it.
func (n *Normalizer) Suspect(t time.Time) bool {
	return !t.IsZero() && n.placeholderDates[time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)]
}

// cell returns the one cell a column gives a row: the cell itself, or the cell made of
// a field's several columns. ok is false when there is nothing to read, or when the
// parts could not be put together (an issue says why).
func (st *rowState) cell(col Column, row workbook.Row) (workbook.Cell, bool) {
	if len(col.Parts) == 0 {
		return row.Cell(col.Col), true
	}
	var cells []workbook.Cell
	for _, p := range col.Parts {
		c := row.Cell(p.Col)
		if c.NoCache {
			return c, true
		}
		cells = append(cells, c)
	}
	switch col.Join {
	case JoinWords, JoinList:
		sep := " "
		if col.Join == JoinList {
			sep = ", "
		}
		var texts []string
		first := workbook.Cell{Col: col.Col}
		for _, c := range cells {
			if st.n.filled(c) {
				if len(texts) == 0 {
					first = c
				}
				texts = append(texts, strings.TrimSpace(rawText(c)))
			}
		}
		if len(texts) == 0 {
			return first, true
		}
		return workbook.Cell{Col: first.Col, Kind: workbook.Text, Text: strings.Join(texts, sep)}, true
	case JoinDate:
		return st.dateParts(col, cells)
	default: // JoinFirst, JoinAny: the first filled cell
		for _, c := range cells {
			if st.n.filled(c) {
				return c, true
			}
		}
		return cells[0], true
	}
}

// dateParts puts a date written over day, month and year columns together: "05" | 4 |
// 1961 → 05/04/1961. A year alone is a year; any other gap, or a part that is not a
// number, is an invalid date at the first column.
func (st *rowState) dateParts(col Column, cells []workbook.Cell) (workbook.Cell, bool) {
	val := map[string]int{}
	var raw []string
	any := false
	for i, p := range col.Parts {
		c := cells[i]
		if !st.n.filled(c) {
			raw = append(raw, "")
			continue
		}
		any = true
		s := strings.TrimSpace(rawText(c))
		raw = append(raw, s)
		v := -1
		switch c.Kind {
		case workbook.Number:
			if c.Num == float64(int(c.Num)) {
				v = int(c.Num)
			}
		case workbook.Text:
			if x, err := strconv.Atoi(s); err == nil {
				v = x
			}
		}
		val[p.Role] = v
	}
	where := workbook.Cell{Col: col.Col, Kind: workbook.Text, Text: strings.Join(raw, "/")}
	if !any {
		return workbook.Cell{Col: col.Col}, true
	}
	d, dok := val[schema.PartDay]
	m, mok := val[schema.PartMonth]
	y, yok := val[schema.PartYear]
	switch {
	case yok && y > 0 && !dok && !mok:
		return workbook.Cell{Col: col.Col, Kind: workbook.Text, Text: strconv.Itoa(y)}, true
	case dok && mok && yok && d > 0 && m > 0 && y > 0:
		return workbook.Cell{Col: col.Col, Kind: workbook.Text, Text: strconv.Itoa(d) + "/" + strconv.Itoa(m) + "/" + strconv.Itoa(y)}, true
	}
	st.add(issue.BadDate, col.Field, where, "")
	return workbook.Cell{}, false
}

var (
	// splitDateRE finds a date in a combined cell: a full date, a month and year
	// ("03/2021", as a period "Từ 03/2021 đến 06/2021" writes it), or a year.
	splitDateRE = regexp.MustCompile(`\b\d{1,2}\s*[/.\-]\s*\d{1,2}\s*[/.\-]\s*\d{2,4}\b|\b\d{1,2}\s*[/.\-]\s*(19|20)\d{2}\b|\b(19|20)\d{2}\b`)
	splitIDRE   = regexp.MustCompile(`\b\d{9}(\d{3})?\b`)
	separators  = func(r rune) bool { return r == '\n' || r == ',' || r == ';' || r == '/' || r == '|' }
)

// split reads a cell that holds several fields ("Lê Văn A\n09/9/1999" under "Họ và
// tên / Năm sinh", "Kinh, không" under "Dân tộc, tôn giáo"): each field takes the piece
// its own reading recognises (a date, an ID number, a value of its vocabulary), and a
// text field takes what is left. The column is reported once by the caller.
func (st *rowState) split(col Column, c workbook.Cell) {
	rest := c.Text
	if c.Kind != workbook.Text {
		rest = rawText(c)
	}
	piece := func(s string) workbook.Cell { return workbook.Cell{Col: c.Col, Kind: workbook.Text, Text: s} }
	var texts []*schema.Field
	for _, f := range col.Split {
		switch f.Type {
		case schema.TypeDate:
			if m := splitDateRE.FindString(rest); m != "" {
				rest = strings.Replace(rest, m, " ", 1)
				st.value(f, piece(m))
			}
		case schema.TypeID:
			if m := splitIDRE.FindString(rest); m != "" {
				rest = strings.Replace(rest, m, " ", 1)
				st.value(f, piece(m))
			}
		case schema.TypeEnum, schema.TypeOrdinal, schema.TypeBool:
			for _, p := range strings.FieldsFunc(rest, separators) {
				if code, how, _ := st.sh.match.MatchField(f, p); code != "" && (how == Exact || how == Prefix) {
					rest = strings.Replace(rest, p, " ", 1)
					st.value(f, piece(p))
					break
				}
			}
		default:
			texts = append(texts, f)
		}
	}
	if len(texts) > 0 {
		left := strings.TrimSpace(strings.Join(strings.FieldsFunc(rest, separators), " "))
		left = strings.Trim(left, " -–")
		if left != "" {
			st.value(texts[0], piece(left))
		}
	}
}
