package xlsxreport

import (
	"github.com/xuri/excelize/v2"
)

// Font of the report: official statistical forms are made in Times New Roman
// (Thông tư 07/2019/TT-BNV).
const (
	fontName = "Times New Roman"
	fontSize = 12
)

// Number formats: Excel's built-in "#,##0" and "0.00%" (shown as 1.234 and 80,67% by a
// Vietnamese Excel), and Vietnamese dates.
const (
	numFmtCount    = 3
	numFmtShare    = 10
	numFmtDate     = "dd/mm/yyyy"
	numFmtDateTime = "dd/mm/yyyy hh:mm"
	// numFmtChange shows a change in percentage points with its sign: +1,55, -0,50, 0,00.
	numFmtChange = "+0.00;-0.00;0.00"
)

// Kinds of table cells.
const (
	kText   = iota // left, one line
	kWrap          // left, wrapped
	kCenter        // centred (STT, cell references, statuses)
	kCount         // #,##0
	kShare         // 0.00%
	kDate          // dd/mm/yyyy
	kChange        // +0.00;-0.00;0.00 (a change in percentage points)
	nKinds
)

// Emphasis of a table row.
const (
	ePlain = iota
	eGroup // a group's subtotal row
	eTotal // the grand total row
	nEmph
)

// styles are the style IDs of the workbook.
type styles struct {
	title, subtitle, heading, note, para int
	factLabel, factText, factCount       int
	factDate, factDateTime               int
	head                                 int
	cell                                 [nEmph][nKinds]int
	good, bad, warn                      int // conditional formats

	wraps map[int]bool // styles whose text wraps, for row heights
}

// newStyle makes s a style of the workbook in the report's font (at least its size),
// and notes the styles that wrap, whose rows are measured for height.
func (b *book) newStyle(s *excelize.Style) (int, error) {
	if s.Font == nil {
		s.Font = &excelize.Font{}
	}
	s.Font.Family, s.Font.Size = fontName, max(s.Font.Size, fontSize)
	id, err := b.f.NewStyle(s)
	if err != nil {
		return 0, err
	}
	if s.Alignment != nil && s.Alignment.WrapText {
		b.st.wraps[id] = true
	}
	return id, nil
}

func (b *book) newStyles() error {
	f := b.f
	st := &b.st
	st.wraps = map[int]bool{}
	var err error
	mk := func(s *excelize.Style) int {
		if err != nil {
			return 0
		}
		id, e := b.newStyle(s)
		err = e
		return id
	}
	border := []excelize.Border{
		{Type: "left", Color: "000000", Style: 1}, {Type: "top", Color: "000000", Style: 1},
		{Type: "right", Color: "000000", Style: 1}, {Type: "bottom", Color: "000000", Style: 1},
	}
	fill := func(color string) excelize.Fill {
		if color == "" {
			return excelize.Fill{}
		}
		return excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{color}}
	}
	st.title = mk(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 14},
		Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true}})
	st.subtitle = mk(&excelize.Style{Font: &excelize.Font{Italic: true},
		Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true}})
	st.heading = mk(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 13}})
	st.note = mk(&excelize.Style{Font: &excelize.Font{Italic: true},
		Alignment: &excelize.Alignment{Vertical: "top", WrapText: true}})
	st.para = mk(&excelize.Style{Alignment: &excelize.Alignment{Horizontal: "justify", Vertical: "top", WrapText: true}})
	st.factLabel = mk(&excelize.Style{Font: &excelize.Font{Bold: true}})
	left := &excelize.Alignment{Horizontal: "left"}
	st.factText = mk(&excelize.Style{Alignment: left})
	st.factCount = mk(&excelize.Style{NumFmt: numFmtCount, Alignment: left})
	st.factDate = mk(&excelize.Style{CustomNumFmt: ptr(numFmtDate), Alignment: left})
	st.factDateTime = mk(&excelize.Style{CustomNumFmt: ptr(numFmtDateTime), Alignment: left})
	st.head = mk(&excelize.Style{Font: &excelize.Font{Bold: true}, Border: border, Fill: fill("D9E1F2"),
		Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true}})
	fills := [nEmph]string{ePlain: "", eGroup: "F2F2F2", eTotal: "E2EFDA"}
	cellStyle := func(e, k int) int {
		s := &excelize.Style{Border: border, Fill: fill(fills[e]), Font: &excelize.Font{Bold: e != ePlain},
			Alignment: &excelize.Alignment{Vertical: "center"}}
		switch k {
		case kWrap:
			s.Alignment.WrapText = true
		case kCenter:
			s.Alignment.Horizontal = "center"
		case kCount:
			s.NumFmt = numFmtCount
		case kShare:
			s.NumFmt = numFmtShare
		case kDate:
			s.CustomNumFmt = ptr(numFmtDate)
			s.Alignment.Horizontal = "center"
		case kChange:
			s.CustomNumFmt = ptr(numFmtChange)
		}
		return mk(s)
	}
	for e := range nEmph {
		for k := range kChange {
			st.cell[e][k] = cellStyle(e, k)
		}
	}
	cond := func(font, bg string) int {
		if err != nil {
			return 0
		}
		id, e := f.NewConditionalStyle(&excelize.Style{Font: &excelize.Font{Color: font}, Fill: fill(bg)})
		if e != nil {
			err = e
		}
		return id
	}
	// Excel's own "good", "bad" and "neutral" colours.
	st.good = cond("006100", "C6EFCE")
	st.bad = cond("9C0006", "FFC7CE")
	st.warn = cond("9C5700", "FFEB9C")
	// The change column exists only when there is a previous period: its styles are
	// made last and only then, so that a first month's workbook is as it always was.
	if b.s.Changes() != nil {
		for e := range nEmph {
			st.cell[e][kChange] = cellStyle(e, kChange)
		}
	}
	return err
}

// c makes a table cell of a kind and emphasis.
func (b *book) c(v any, kind, emph int) cell {
	return cell{v: val(v), style: b.st.cell[emph][kind]}
}
