package xlsxreport

import (
	"fmt"
	"strings"

	"github.com/xuri/excelize/v2"

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
	missing := func(ms []summary.Missing) string {
		key = key[:0]
		for _, m := range ms {
			for _, s := range [...]string{m.Field, m.Label, m.Have, m.HaveText, m.Need, m.NeedText} {
				key = append(key, s...)
				key = append(key, 0)
			}
		}
		if text, ok := lacks[string(key)]; ok {
			return text
		}
		text := b.missingText(&sb, ms)
		lacks[string(key)] = text
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

// problems lists every data problem, located to the cell.
func (b *book) problems() sheetSpec {
	probs := b.s.Problems
	cols := []colSpec{
		{5, 8},   // STT
		{14, 40}, // file
		{9, 20},  // sheet
		{5, 8},   // cell
		{10, 24}, // field
		{10, 30}, // raw
		{8, 11},  // severity
		{14, 36}, // kind of problem (code)
		{30, 70}, // message
	}
	n := len(cols)
	const first = titleRowCount + 2
	shown, cut := listLimit(len(probs), first)
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
		for i := range probs[:shown] {
			p := &probs[i]
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
			row[0] = b.c(i+1, kCenter, ePlain)
			row[1] = b.c(p.File, kText, ePlain)
			row[2] = b.c(p.Sheet, kText, ePlain)
			row[3] = b.c(p.Cell, kCenter, ePlain)
			row[4] = b.c(field, kText, ePlain)
			row[5] = b.c(p.Raw, kText, ePlain)
			row[6] = b.c(sev, kCenter, ePlain)
			row[7] = b.c(kinds(p.Code), kText, ePlain)
			row[8] = b.c(p.Message, kWrap, ePlain)
			if err := put(row); err != nil {
				return err
			}
		}
		if cut {
			return put(b.moreRow(n, len(probs)-shown))
		}
		return nil
	}
	return sheetSpec{
		key:    "xlsx_sheet_problems",
		stream: true,
		cols:   cols,
		top:    b.titleRows(n, "section_problems"),
		head: b.headerRow(b.labels("xlsx_stt", "file", "sheet", "cell", "field", "raw", "severity",
			"problem_code", "message")...),
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

// emptyNote says "Không có." under an empty list.
func (b *book) emptyNote(ncols, n int) rowFunc {
	if n > 0 {
		return nil
	}
	return func(put func([]cell) error) error {
		return put(b.spanRow(ncols, b.label("xlsx_no_rows"), b.st.note))
	}
}
