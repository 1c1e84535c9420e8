package xlsxreport

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"canbo/pipeline/schema"
	"canbo/pipeline/summary"
)

// The official forms (forms.yaml): one sheet per form, laid out as the form is
// printed — its mark and basis top right, the title, "Đơn vị tính", the merged
// headings with their numbering row, a row per unit, the totals, then a note naming
// the columns left for the clerk and the signature blocks — so that the office can
// send the sheet as it is. The figures are the units' form_counts in the summary;
// the sheet only lays them out.

// formStyles are the styles only the form sheets use, made when the report has
// forms so that a workbook without them keeps its style ids.
type formStyles struct {
	mark, basis, title, unit, number, date, signer, signNote int
}

func (b *book) newFormStyles() (formStyles, error) {
	var fs formStyles
	var err error
	mk := func(s *excelize.Style) int {
		if err != nil {
			return 0
		}
		id, e := b.newStyle(s)
		err = e
		return id
	}
	center := func(wrap bool) *excelize.Alignment {
		return &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: wrap}
	}
	fs.mark = mk(&excelize.Style{Font: &excelize.Font{Bold: true}, Alignment: center(false)})
	fs.basis = mk(&excelize.Style{Font: &excelize.Font{Italic: true}, Alignment: center(true)})
	fs.title = mk(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 14}, Alignment: center(true)})
	fs.unit = mk(&excelize.Style{Font: &excelize.Font{Italic: true}, Alignment: &excelize.Alignment{Horizontal: "right"}})
	border := []excelize.Border{
		{Type: "left", Color: "000000", Style: 1}, {Type: "top", Color: "000000", Style: 1},
		{Type: "right", Color: "000000", Style: 1}, {Type: "bottom", Color: "000000", Style: 1},
	}
	fs.number = mk(&excelize.Style{Font: &excelize.Font{Italic: true}, Border: border, Alignment: center(false)})
	fs.date = mk(&excelize.Style{Font: &excelize.Font{Italic: true}, Alignment: center(false)})
	fs.signer = mk(&excelize.Style{Font: &excelize.Font{Bold: true}, Alignment: center(false)})
	fs.signNote = mk(&excelize.Style{Font: &excelize.Font{Italic: true}, Alignment: center(false)})
	return fs, err
}

// formLeaf is a column of the form under the headings, with the headings above it.
type formLeaf struct {
	col  *schema.FormColumn
	path []string // titles from the top heading down to the column's
}

func formLeaves(cols []*schema.FormColumn, above []string, out []formLeaf) []formLeaf {
	for _, c := range cols {
		if c == nil {
			continue
		}
		path := append(append([]string(nil), above...), c.Title)
		if len(c.Columns) > 0 {
			out = formLeaves(c.Columns, path, out)
			continue
		}
		out = append(out, formLeaf{col: c, path: path})
	}
	return out
}

func formDepth(cols []*schema.FormColumn) int {
	d := 0
	for _, c := range cols {
		if c != nil {
			d = max(d, 1+formDepth(c.Columns))
		}
	}
	return d
}

// formIDCols are the columns before the form's own: Số thứ tự and Tên đơn vị.
const formIDCols = 2

// formSheets are the specs of the forms' sheets, in forms.yaml order.
func (b *book) formSheets() ([]sheetSpec, error) {
	if len(b.cfg.Forms.Forms) == 0 {
		return nil, nil
	}
	fs, err := b.newFormStyles()
	if err != nil {
		return nil, fmt.Errorf("xlsxreport: kiểu ô biểu mẫu: %w", err)
	}
	var out []sheetSpec
	for _, f := range b.cfg.Forms.Forms {
		if f != nil {
			out = append(out, b.formSheet(f, fs))
		}
	}
	return out, nil
}

// formSheet lays out one form.
func (b *book) formSheet(f *schema.Form, fs formStyles) sheetSpec {
	leaves := formLeaves(f.Columns, nil, nil)
	depth := max(formDepth(f.Columns), 1)
	ncols := formIDCols + len(leaves)
	var units []summary.Unit
	for _, u := range b.s.Units {
		if u.Form == f.Code {
			units = append(units, u)
		}
	}
	cols := []colSpec{{min: 5, max: 6}, {min: 28, max: 40}}
	for range leaves {
		cols = append(cols, colSpec{min: 6, max: 8})
	}
	year := b.s.Period
	if len(year) >= 4 {
		year = year[:4]
	}
	text := b.nfc
	half := ncols / 2
	top := func(put func([]cell) error) error {
		right := func(v string, style int) []cell {
			cells := make([]cell, ncols)
			cells[half] = cell{v: val(text(v)), style: style, span: ncols - half}
			return cells
		}
		if err := put(right(f.Number, fs.mark)); err != nil {
			return err
		}
		if err := put(right(f.Basis, fs.basis)); err != nil {
			return err
		}
		if err := put(nil); err != nil {
			return err
		}
		if err := put(b.spanRow(ncols, text(strings.ReplaceAll(f.Title, "{nam}", year)), fs.title)); err != nil {
			return err
		}
		if err := put(b.spanRow(ncols, text(f.Unit), fs.unit)); err != nil {
			return err
		}
		return nil
	}
	head := func(put func([]cell) error) error {
		rows := make([][]cell, depth)
		for r := range rows {
			rows[r] = make([]cell, ncols)
			for c := range rows[r] {
				rows[r][c].style = b.st.head
			}
		}
		rows[0][0] = cell{v: val(b.label("xlsx_stt")), style: b.st.head, down: depth}
		rows[0][1] = cell{v: val(b.label("xlsx_unit_name")), style: b.st.head, down: depth}
		var place func(cols []*schema.FormColumn, row, col int) int
		place = func(cols []*schema.FormColumn, row, col int) int {
			for _, c := range cols {
				if c == nil {
					continue
				}
				x := cell{v: val(text(c.Title)), style: b.st.head}
				width := 1
				if len(c.Columns) > 0 {
					width = place(c.Columns, row+1, col) - col
					x.span = width
				} else {
					x.down = depth - row
				}
				rows[row][col] = x
				col += width
			}
			return col
		}
		place(f.Columns, 0, formIDCols)
		for _, r := range rows {
			if err := put(r); err != nil {
				return err
			}
		}
		numbers := make([]cell, ncols)
		for c := range numbers {
			numbers[c] = cell{v: val(strconv.Itoa(c + 1)), style: fs.number}
		}
		return put(numbers)
	}
	values := func(counts map[string]int) []cell {
		row := make([]cell, ncols)
		for i, l := range leaves {
			row[formIDCols+i] = cell{style: b.st.cell[ePlain][kCount]}
			if l.col.ID != "" && strings.TrimSpace(l.col.Count) != "" {
				row[formIDCols+i].v = val(counts[l.col.ID])
			}
		}
		return row
	}
	body := func(put func([]cell) error) error {
		for i, u := range units {
			row := values(u.FormCounts)
			row[0] = b.c(i+1, kCenter, ePlain)
			row[1] = b.c(u.Unit, kWrap, ePlain)
			if err := put(row); err != nil {
				return err
			}
		}
		return nil
	}
	total := func(put func([]cell) error) error {
		sums := map[string]int{}
		for _, u := range units {
			for id, n := range u.FormCounts {
				sums[id] += n
			}
		}
		row := values(sums)
		for c := range row {
			row[c].style = b.st.cell[eTotal][kCount]
		}
		row[0] = b.c(nil, kCenter, eTotal)
		row[1] = b.c(text(f.Total), kText, eTotal)
		if err := put(row); err != nil {
			return err
		}
		if err := put(nil); err != nil {
			return err
		}
		lines := b.formMissing(leaves)
		if len(lines) > 0 {
			if err := put(b.spanRow(ncols, text(f.Note), b.st.note)); err != nil {
				return err
			}
			for _, l := range lines {
				if err := put(b.spanRow(ncols, l, b.st.note)); err != nil {
					return err
				}
			}
			if err := put(nil); err != nil {
				return err
			}
		}
		return b.formFooter(put, f, fs, ncols)
	}
	sheet := strings.TrimSpace(f.Sheet)
	if sheet == "" {
		sheet = strings.ToUpper(f.Code)
	}
	return sheetSpec{name: b.nfc(sheet), cols: cols, top: top, head: head, body: body, total: total, freezeCols: formIDCols,
		noFilter: true}
}

// formMissing is the note's lines on the columns left empty: one line per run of
// neighbouring columns left empty for the same reason ("- Cột 9–13 (Chia theo ngạch
// công chức): …"), the columns numbered as in the numbering row.
func (b *book) formMissing(leaves []formLeaf) []string {
	var out []string
	for i := 0; i < len(leaves); {
		why := strings.TrimSpace(leaves[i].col.Missing)
		if why == "" {
			i++
			continue
		}
		j := i + 1
		for j < len(leaves) && strings.TrimSpace(leaves[j].col.Missing) == why {
			j++
		}
		first, last := formIDCols+i+1, formIDCols+j
		cols := "Cột " + strconv.Itoa(first)
		name := strings.Join(leaves[i].path, " – ")
		if j-i > 1 {
			cols = fmt.Sprintf("Các cột %d–%d", first, last)
			name = strings.Join(commonPath(leaves[i:j]), " – ")
		}
		if name != "" {
			cols += " (" + b.nfc(name) + ")"
		}
		out = append(out, "- "+cols+": "+b.nfc(why)+".")
		i = j
	}
	return out
}

// commonPath is the headings several columns share.
func commonPath(ls []formLeaf) []string {
	p := ls[0].path
	for _, l := range ls[1:] {
		n := 0
		for n < len(p) && n < len(l.path) && p[n] == l.path[n] {
			n++
		}
		p = p[:n]
	}
	return p
}

// formFooter is the date line and the signature blocks, the signers spread evenly
// from left to right and the date above the last one.
func (b *book) formFooter(put func([]cell) error, f *schema.Form, fs formStyles, ncols int) error {
	n := len(f.Signers)
	if n == 0 {
		return nil
	}
	width := ncols / n
	block := func(i int) (int, int) {
		from := i * width
		if i == n-1 {
			return from, ncols - from
		}
		return from, width
	}
	row := func(v func(i int) string, style int) []cell {
		cells := make([]cell, ncols)
		for i := range n {
			from, span := block(i)
			cells[from] = cell{v: val(v(i)), style: style, span: span}
		}
		return cells
	}
	if d := strings.TrimSpace(f.Date); d != "" {
		cells := make([]cell, ncols)
		from, span := block(n - 1)
		cells[from] = cell{v: val(b.nfc(d)), style: fs.date, span: span}
		if err := put(cells); err != nil {
			return err
		}
	}
	if err := put(row(func(i int) string { return b.nfc(f.Signers[i].Title) }, fs.signer)); err != nil {
		return err
	}
	return put(row(func(i int) string { return b.nfc(f.Signers[i].Note) }, fs.signNote))
}

// formSheetsAdd writes the form sheets after the others.
func (b *book) formSheetsAdd(ctx context.Context) error {
	specs, err := b.formSheets()
	if err != nil {
		return err
	}
	for _, sp := range specs {
		if err := b.addSheet(ctx, sp); err != nil {
			return err
		}
	}
	return nil
}
