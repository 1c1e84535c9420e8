package xlsxreport

import (
	"strings"

	"canbo/pipeline/schema"
	"canbo/pipeline/summary"
)

// dimCols are the columns of breakdown dimensions: per dimension its label and its
// categories in report order, Chưa xác định last.
type dimCols struct {
	dims []dimCol
	n    int // category columns in all
}

type dimCol struct {
	label string
	code  string
	codes []schema.Code
}

// dimensions resolves dimension codes against the configuration; unknown codes
// (a report.yaml naming a removed field) are skipped.
func (b *book) dimensions(codes []string) dimCols {
	var out dimCols
	for _, code := range codes {
		f := b.cfg.Field(code)
		if f == nil {
			continue
		}
		cs := b.cfg.Codes(f)
		for i := range cs {
			cs[i].Label = b.nfc(cs[i].Label)
		}
		out.dims = append(out.dims, dimCol{label: b.nfc(f.Label), code: code, codes: cs})
		out.n += len(cs)
	}
	return out
}

// counts fills dst with one count per category column. A code the configuration
// does not list (the configuration changed since the summary was made) counts under
// Chưa xác định, so a dimension still adds up to the headcount. A dimension the
// summary did not count at all gives -1s (blank cells).
func (d dimCols) counts(dst []int, breakdowns func(dim string) map[string]int) []int {
	dst = dst[:0]
	for _, dim := range d.dims {
		m := breakdowns(dim.code)
		if m == nil {
			for range dim.codes {
				dst = append(dst, -1)
			}
			continue
		}
		known := 0
		for _, c := range dim.codes {
			n := m[c.Code]
			dst = append(dst, n)
			known += n
		}
		all := 0
		for _, n := range m {
			all += n
		}
		dst[len(dst)-1] += all - known // the last code is schema.Unknown
	}
	return dst
}

// header is the two header rows: fixed columns merged down, then per dimension its
// label merged across its categories above the category labels.
func (d dimCols) header(b *book, fixed []string) rowFunc {
	n := len(fixed) + d.n
	top, bottom := make([]cell, n), make([]cell, n)
	for i, l := range fixed {
		top[i] = cell{v: val(l), style: b.st.head, down: 2}
		bottom[i] = cell{style: b.st.head}
	}
	c := len(fixed)
	for _, dim := range d.dims {
		top[c] = cell{v: val(dim.label), style: b.st.head, span: len(dim.codes)}
		for i, code := range dim.codes {
			if i > 0 {
				top[c+i] = cell{style: b.st.head}
			}
			bottom[c+i] = cell{v: val(code.Label), style: b.st.head}
		}
		c += len(dim.codes)
	}
	return func(put func([]cell) error) error {
		if err := put(top); err != nil {
			return err
		}
		return put(bottom)
	}
}

// structure is the sheet "Cơ cấu" (counts) or "Tỉ lệ" (shares of each unit's
// headcount), in the shape of forms BM01/BNV and BM02/BNV.
func (b *book) structure(shares bool) sheetSpec {
	s := b.s
	d := b.dimensions(b.cfg.Report.Breakdowns)
	cols := []colSpec{{5, 6}, {24, 40}, {8, 10}}
	for range d.n {
		if shares {
			cols = append(cols, colSpec{9, 14})
		} else {
			cols = append(cols, colSpec{6, 14})
		}
	}
	kind := kCount
	if shares {
		kind = kShare
	}
	var buf []int
	row := make([]cell, len(cols))
	unitRow := func(stt any, name string, u summary.Unit, emph int) []cell {
		row[0] = b.c(stt, kCenter, emph)
		row[1] = b.c(name, kWrap, emph)
		row[2] = b.c(u.Headcount, kCount, emph)
		buf = d.counts(buf, func(dim string) map[string]int { return u.Breakdowns[dim] })
		for i, n := range buf {
			var v any = n
			switch {
			case n < 0:
				v = nil
			case shares:
				v = summary.Share(n, u.Headcount)
			}
			row[3+i] = b.c(v, kind, emph)
		}
		return row
	}
	body := func(put func([]cell) error) error {
		if len(s.Groups) == 0 {
			for i, u := range s.Units {
				if err := put(unitRow(i+1, u.Unit, u, ePlain)); err != nil {
					return err
				}
			}
			return nil
		}
		listed := make([]bool, len(s.Units))
		for gi, g := range s.Groups {
			// A leader reads the group's name from report.yaml (or its units), never
			// its folder: the same name as in the PDF and Word body.
			name := b.label("xlsx_group_top")
			if g.Group != "" {
				name = b.txt.GroupName(b.s, b.cfg, g.Group)
			}
			if err := put(unitRow(roman(gi+1), name, g, eGroup)); err != nil {
				return err
			}
			k := 0
			for i, u := range s.Units {
				if listed[i] || u.Group != g.Group {
					continue
				}
				listed[i] = true
				k++
				if err := put(unitRow(k, u.Unit, u, ePlain)); err != nil {
					return err
				}
			}
		}
		k := 0
		for i, u := range s.Units { // units of no listed group: not expected
			if !listed[i] {
				k++
				if err := put(unitRow(k, u.Unit, u, ePlain)); err != nil {
					return err
				}
			}
		}
		return nil
	}
	total := func(put func([]cell) error) error {
		return put(unitRow(nil, b.label("total"), s.Total, eTotal))
	}
	key, title, notes := "xlsx_sheet_structure", "section_structure", []string{b.label("xlsx_per_persons")}
	if shares {
		key, title, notes = "xlsx_sheet_shares", "xlsx_shares_title", []string{b.label("xlsx_shares_note")}
	}
	return sheetSpec{
		key:        key,
		stream:     true,
		cols:       cols,
		top:        b.titleRows(len(cols), title, notes...),
		head:       d.header(b, b.labels("xlsx_stt", "xlsx_unit_name", "xlsx_total_col")),
		body:       body,
		total:      total,
		freezeCols: 3,
		wide:       true,
	}
}

// roman numbers groups as official forms do: I, II, III, IV …
func roman(n int) string {
	if n <= 0 || n >= 4000 {
		return ""
	}
	var sb strings.Builder
	for _, p := range []struct {
		v int
		s string
	}{{1000, "M"}, {900, "CM"}, {500, "D"}, {400, "CD"}, {100, "C"}, {90, "XC"}, {50, "L"}, {40, "XL"}, {10, "X"}, {9, "IX"}, {5, "V"}, {4, "IV"}, {1, "I"}} {
		for n >= p.v {
			sb.WriteString(p.s)
			n -= p.v
		}
	}
	return sb.String()
}
