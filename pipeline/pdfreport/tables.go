package pdfreport

import (
	"sort"
	"strings"

	"canbo/pipeline/reporttext"
	"canbo/pipeline/schema"
	"canbo/pipeline/summary"
)

// Which tables the report has, built from the summary; table.go draws them.

const (
	matrixSize  = 10.0 // pt: the wide per-unit tables
	sttW        = 10.0
	matrixNameW = 45.0 // the least the unit column may get before dimensions split
	matrixRoomW = 65.0 // what the unit column gets, room permitting, before code columns widen
	matrixCodeW = 16.0 // a code column: at least…
	matrixWideW = 26.0 // …at most (a table of few codes wraps their labels less)
	matrixTotW  = 17.0
)

// targetsTable is every target, overall first as the summary lists them, with its
// result (Đạt / Chưa đạt) and what it still needs.
func (d *doc) targetsTable() {
	t := &table{cols: []column{
		{title: d.label("pdf_stt"), width: sttW + 1, align: "C"},
		{title: d.label("target"), align: "L"},
		{title: d.label("population"), width: 17, align: "R"},
		{title: d.label("count"), width: 15, align: "R"},
		{title: d.label("share"), width: 17, align: "R"},
		{title: d.label("threshold"), width: 17, align: "R"},
		{title: d.label("status"), width: 17, align: "C"},
		{title: d.label("shortfall"), width: 17, align: "R"},
		{title: d.label("deadline"), width: 20, align: "C"},
	}}
	for i, tg := range d.s.Targets {
		title := tg.Title
		if tg.Unit != "" {
			title += " (" + tg.Unit + ")"
		}
		share, status, shortfall := reporttext.Percent(tg.Share), d.label("not_met"), reporttext.Int(tg.Shortfall)
		switch {
		case tg.Population == 0:
			share, status, shortfall = "-", d.label("no_population"), "-"
		case tg.Met:
			status = d.label("met")
		}
		t.rows = append(t.rows, row{cells: []string{
			itoa(i + 1), title, reporttext.Int(tg.Population), reporttext.Int(tg.Count), share,
			reporttext.PercentShort(tg.Threshold), status, shortfall, reporttext.Date(tg.Deadline),
		}})
	}
	d.drawTable(t)
}

// appendix starts an appendix on a new page: "Phụ lục II" and its title in upper case
// (bold, centred), the italic line tying it to the report (NĐ 30, Phụ lục I) and the
// as-of date.
func (d *doc) appendix(orient, titleKey string) {
	if d.failed() {
		return
	}
	d.appendices++
	d.tables = 0
	d.newPage(orient)
	x, w := d.left(), d.width()
	lh := lineHeight(bodySize)
	d.font("B", bodySize)
	title := append([]string{d.label("pdf_appendix") + " " + roman(d.appendices)}, d.wrap(strings.ToUpper(d.label(titleKey)), w, w)...)
	for _, line := range title {
		d.text(x, d.pdf.GetY(), w, lh, line, "C")
		d.pdf.SetXY(x, d.pdf.GetY()+lh)
	}
	d.font("I", 13)
	note := d.fill("pdf_appendix_note", "{so}", d.numberAndSymbol(), "{ngay_ban_hanh}", d.dateOfIssue())
	noteLines := []string{note} // as is: wrapping would close up the blank left for the number
	if d.pdf.GetStringWidth(oneLine(note)) > w {
		noteLines = d.wrap(note, w, w)
	}
	for _, line := range noteLines {
		d.text(x, d.pdf.GetY(), w, lineHeight(13), line, "C")
		d.pdf.SetXY(x, d.pdf.GetY()+lineHeight(13))
	}
	if d.s.AsOf != "" {
		d.text(x, d.pdf.GetY(), w, lineHeight(13), "("+d.label("as_of")+" "+reporttext.Date(d.s.AsOf)+")", "C")
		d.pdf.SetXY(x, d.pdf.GetY()+lineHeight(13))
	}
	d.pdf.SetXY(x, d.pdf.GetY()+4)
}

// caption numbers the tables of an appendix: "Bảng 2. Trình độ chuyên môn".
func (d *doc) caption(text string) string {
	d.tables++
	return d.label("pdf_table") + " " + itoa(d.tables) + ". " + text
}

// dimension is a breakdown shown as columns: its label over its codes.
type dimension struct {
	key   string
	label string
	codes []schema.Code
}

// matrixRow is one row of a per-unit table: a unit, a group or the total.
type matrixRow struct {
	stt, name string
	total     int
	counts    map[string]map[string]int // dimension key → code → count
	style     string
}

// appendixStructure is the workforce by unit along every breakdown of report.yaml,
// on landscape pages, several tables when the dimensions do not fit across one.
func (d *doc) appendixStructure() {
	s := d.s
	if len(s.Units) == 0 {
		return
	}
	var dims []dimension
	for _, code := range d.cfg.Report.Breakdowns {
		f := d.cfg.Field(code)
		if f == nil || s.Total.Breakdowns[code] == nil {
			continue
		}
		dims = append(dims, dimension{key: code, label: f.Label, codes: d.cfg.Codes(f)})
	}
	if len(dims) == 0 {
		return
	}
	var rows []matrixRow
	unitRow := func(n int, u summary.Unit) matrixRow {
		return matrixRow{stt: itoa(n), name: u.Unit, total: u.Headcount, counts: u.Breakdowns}
	}
	if len(s.Groups) > 0 {
		done := map[int]bool{}
		for gi, g := range s.Groups {
			name := g.Group
			if name == "" {
				name = d.label("pdf_no_group")
			}
			rows = append(rows, matrixRow{stt: roman(gi + 1), name: name, total: g.Headcount, counts: g.Breakdowns, style: "B"})
			n := 0
			for i, u := range s.Units {
				if u.Group == g.Group && !done[i] {
					done[i] = true
					n++
					rows = append(rows, unitRow(n, u))
				}
			}
		}
		for i, u := range s.Units { // a unit whose group has no subtotal
			if !done[i] {
				rows = append(rows, unitRow(len(rows)+1, u))
			}
		}
	} else {
		for i, u := range s.Units {
			rows = append(rows, unitRow(i+1, u))
		}
	}
	total := matrixRow{name: d.label("total"), total: s.Total.Headcount, counts: s.Total.Breakdowns, style: "B"}
	d.appendix("L", "section_structure")
	d.matrix("", dims, rows, total, d.label("unit"), d.label("headcount"))
}

// matrix draws rows × (dimension, code) counts, captioned with title (if any) and the
// dimensions' labels, as tables as wide as the page: the unit
// and total columns repeat in each, and the dimensions fill the rest in order. A
// dimension that does not fit in what is left of a table starts the next one; one
// wider than a whole table shows only its codes that anybody has, split if still
// needed. The last rows are the total and each code's share of it.
func (d *doc) matrix(title string, dims []dimension, rows []matrixRow, total matrixRow, nameTitle, totalTitle string) {
	perTable := max(int((d.width()-sttW-matrixTotW-matrixNameW)/matrixCodeW), 1)
	type part struct {
		dim   dimension
		codes []schema.Code
	}
	var tables [][]part
	var cur []part
	used := 0
	flush := func() {
		if len(cur) > 0 {
			tables = append(tables, cur)
		}
		cur, used = nil, 0
	}
	for _, dim := range dims {
		codes := dim.codes
		if len(codes) > perTable {
			codes = nonZero(codes, total.counts[dim.key])
		}
		for len(codes) > 0 {
			switch {
			case used+len(codes) <= perTable:
				cur = append(cur, part{dim, codes})
				used += len(codes)
				codes = nil
			case used > 0:
				flush()
			default:
				cur = append(cur, part{dim, codes[:perTable]})
				codes = codes[perTable:]
				flush()
			}
		}
	}
	flush()

	for ti, parts := range tables {
		if d.failed() {
			return
		}
		if ti > 0 {
			d.pdf.Ln(2)
		}
		t := &table{size: matrixSize, cols: []column{
			{title: d.label("pdf_stt"), width: sttW, align: "C"},
			{title: nameTitle, align: "L"},
			{title: totalTitle, width: matrixTotW, align: "R"},
		}}
		n := 0
		for _, p := range parts {
			n += len(p.codes)
		}
		codeW := min(max((d.width()-sttW-matrixTotW-matrixRoomW)/float64(n), matrixCodeW), matrixWideW)
		var labels []string
		for _, p := range parts {
			t.spans = append(t.spans, span{title: p.dim.label, first: len(t.cols), n: len(p.codes)})
			for _, c := range p.codes {
				t.cols = append(t.cols, column{title: c.Label, width: codeW, align: "R"})
			}
			if len(labels) == 0 {
				labels = append(labels, p.dim.label)
			} else if labels[len(labels)-1] != lowerFirst(p.dim.label) && labels[len(labels)-1] != p.dim.label {
				labels = append(labels, lowerFirst(p.dim.label))
			}
		}
		caption := strings.Join(labels, ", ")
		if title != "" {
			caption = title + ": " + lowerFirst(caption)
		}
		t.caption = d.caption(caption)
		cells := func(r matrixRow) []string {
			out := []string{r.stt, r.name, reporttext.Int(r.total)}
			for _, p := range parts {
				for _, c := range p.codes {
					out = append(out, reporttext.Int(r.counts[p.dim.key][c.Code]))
				}
			}
			return out
		}
		for _, r := range rows {
			t.rows = append(t.rows, row{cells: cells(r), style: r.style})
		}
		t.rows = append(t.rows, row{cells: cells(total), style: "B"})
		share := []string{"", d.label("pdf_share_row"), reporttext.Percent(summary.Share(total.total, total.total))}
		if total.total == 0 {
			share[2] = "-"
		}
		for _, p := range parts {
			for _, c := range p.codes {
				v := "-"
				if total.total > 0 {
					v = reporttext.Percent(summary.Share(total.counts[p.dim.key][c.Code], total.total))
				}
				share = append(share, v)
			}
		}
		t.rows = append(t.rows, row{cells: share, style: "I"})
		d.drawTable(t)
	}
}

// nonZero keeps the codes somebody has (all of them if nobody has any).
func nonZero(codes []schema.Code, counts map[string]int) []schema.Code {
	var out []schema.Code
	for _, c := range codes {
		if counts[c.Code] > 0 {
			out = append(out, c)
		}
	}
	if len(out) == 0 {
		return codes
	}
	return out
}

// appendixTraining is attendances (lượt người) by kind and by funding, then by unit.
func (d *doc) appendixTraining() {
	tr := d.s.Training
	if tr.Total == 0 {
		return
	}
	kind := d.cfg.Field(d.cfg.Training.Field)
	var fund *schema.Field
	for _, code := range d.cfg.Report.TrainingBreakdowns {
		if code != d.cfg.Training.Field {
			fund = d.cfg.Field(code)
			break
		}
	}
	d.appendix("P", "section_training")
	byCode := func(title string, f *schema.Field, counts map[string]int) {
		if f == nil || len(counts) == 0 {
			return
		}
		t := &table{caption: d.caption(title), cols: []column{
			{title: d.label("pdf_stt"), width: sttW, align: "C"},
			{title: f.Label, align: "L"},
			{title: d.label("pdf_attendances_col"), width: 32, align: "R"},
			{title: d.label("share"), width: 28, align: "R"},
		}}
		sum := 0
		for i, c := range d.cfg.Codes(f) {
			n := counts[c.Code]
			sum += n
			t.rows = append(t.rows, row{cells: []string{itoa(i + 1), c.Label, reporttext.Int(n), reporttext.Percent(summary.Share(n, tr.Total))}})
		}
		t.rows = append(t.rows, row{cells: []string{"", d.label("total"), reporttext.Int(sum), reporttext.Percent(summary.Share(sum, tr.Total))}, style: "B"})
		d.drawTable(t)
	}
	byCode(d.label("training_by_type"), kind, tr.ByType)
	byCode(d.label("training_by_funding"), fund, tr.ByFunding)

	if len(tr.Units) < 2 || kind == nil {
		return
	}
	dims := []dimension{{key: kind.Code, label: kind.Label, codes: nonZero(d.cfg.Codes(kind), tr.ByType)}}
	if fund != nil && len(tr.ByFunding) > 0 {
		dims = append(dims, dimension{key: fund.Code, label: fund.Label, codes: nonZero(d.cfg.Codes(fund), tr.ByFunding)})
	}
	counts := func(byType, byFunding map[string]int) map[string]map[string]int {
		m := map[string]map[string]int{kind.Code: byType}
		if fund != nil {
			m[fund.Code] = byFunding
		}
		return m
	}
	var rows []matrixRow
	for i, u := range tr.Units {
		rows = append(rows, matrixRow{stt: itoa(i + 1), name: u.Unit, total: u.Total, counts: counts(u.ByType, u.ByFunding)})
	}
	total := matrixRow{name: d.label("total"), total: tr.Total, counts: counts(tr.ByType, tr.ByFunding)}
	d.newPage("L")
	d.matrix(d.label("pdf_training_by_unit"), dims, rows, total, d.label("unit"), d.label("pdf_attendances_col"))
}

// appendixStandards lists every person below a standard (the training plan), grouped
// by standard, with what each lacks. It may run to hundreds of pages; the header
// repeats on each.
func (d *doc) appendixStandards() {
	s := d.s
	if len(s.BelowStandard) == 0 {
		return
	}
	titles := map[string]string{}
	var order []string
	for _, st := range s.Standards {
		if _, ok := titles[st.ID]; !ok {
			titles[st.ID] = st.Title
			order = append(order, st.ID)
		}
	}
	rank := map[string]int{}
	for i, id := range order {
		rank[id] = i
	}
	people := make([]summary.Person, len(s.BelowStandard))
	copy(people, s.BelowStandard)
	sort.SliceStable(people, func(i, j int) bool {
		ri, oki := rank[people[i].Standard]
		rj, okj := rank[people[j].Standard]
		if oki != okj {
			return oki
		}
		if ri != rj {
			return ri < rj
		}
		return !oki && people[i].Standard < people[j].Standard
	})
	count := map[string]int{}
	for _, p := range people {
		count[p.Standard]++
	}

	d.appendix("L", "section_standards")
	t := &table{cols: []column{
		{title: d.label("pdf_stt"), width: 12, align: "C"},
		{title: d.label("name"), width: 45, align: "L"},
		{title: d.label("birth_date"), width: 24, align: "C"},
		{title: d.label("unit"), width: 50, align: "L"},
		{title: d.label("position"), width: 45, align: "L"},
		{title: d.label("missing"), align: "L"},
	}}
	t.rows = make([]row, 0, len(people)+len(count))
	item := d.label("pdf_missing_item")
	group := d.label("pdf_standard_group")
	n, last := 0, "\x00"
	for _, p := range people {
		if p.Standard != last {
			last, n = p.Standard, 0
			title := titles[p.Standard]
			if title == "" {
				title = p.Standard
			}
			t.rows = append(t.rows, row{whole: true, style: "B",
				cells: []string{strings.NewReplacer("{ten}", title, "{so_nguoi}", reporttext.Int(count[p.Standard])).Replace(group)}})
		}
		n++
		var lacks []string
		for _, m := range p.Missing {
			label := m.Label
			if label == "" {
				if f := d.cfg.Field(m.Field); f != nil {
					label = f.Label
				} else {
					label = m.Field
				}
			}
			lacks = append(lacks, strings.NewReplacer("{truong}", label, "{hien_co}", orCode(m.HaveText, m.Have),
				"{yeu_cau}", orCode(m.NeedText, m.Need)).Replace(item))
		}
		t.rows = append(t.rows, row{cells: []string{itoa(n), p.Name, reporttext.Date(p.BirthDate), p.Unit, p.Position,
			strings.Join(lacks, "\n")}})
	}
	d.drawTable(t)
}

func orCode(text, code string) string {
	if text != "" {
		return text
	}
	return code
}

// maxProblemLines caps the problems listed for one file: the feedback workbook
// (phan-hoi/) has every cell; the report says what to fix where.
const maxProblemLines = 6

// appendixProblems summarises the data problems file by file: status, rows, errors,
// warnings, and per field how many cells to fix (a problem of the whole file, such as
// a rejected format, is said in words).
func (d *doc) appendixProblems() {
	s := d.s
	type tally struct {
		key              string
		errors, warnings int
	}
	perFile := map[string][]*tally{}
	fieldKey := map[string]bool{}
	for _, p := range s.Problems {
		key := p.Field // a cell's problem: counted per field
		if key == "" {
			key = p.Message // the whole file's: said once
		}
		list := perFile[p.File]
		var t *tally
		for _, x := range list {
			if x.key == key {
				t = x
			}
		}
		if t == nil {
			t = &tally{key: key}
			perFile[p.File] = append(list, t)
		}
		fieldKey[key] = fieldKey[key] || p.Field != ""
		if p.Severity == "error" {
			t.errors++
		} else {
			t.warnings++
		}
	}
	var files []summary.File
	for _, f := range s.Files {
		if f.Status != "ignored" {
			files = append(files, f)
		}
	}
	if len(files) == 0 {
		return
	}
	errWord, warnWord := lowerFirst(d.label("errors")), lowerFirst(d.label("warnings"))
	d.appendix("L", "section_problems")
	t := &table{cols: []column{
		{title: d.label("pdf_stt"), width: 12, align: "C"},
		{title: d.label("file"), width: 55, align: "L"},
		{title: d.label("unit"), width: 42, align: "L"},
		{title: d.label("file_status"), width: 28, align: "C"},
		{title: d.label("rows"), width: 16, align: "R"},
		{title: d.label("errors"), width: 14, align: "R"},
		{title: d.label("warnings"), width: 19, align: "R"},
		{title: d.label("pdf_problem_detail"), align: "L"},
	}}
	var rowsSum, errSum, warnSum int
	for i, f := range files {
		var detail []string
		if f.Status != "accepted" && f.Reason != "" {
			detail = append(detail, f.Reason)
		}
		for _, x := range perFile[f.File] {
			if x.key == f.Reason {
				continue
			}
			if !fieldKey[x.key] {
				detail = append(detail, x.key)
				continue
			}
			var parts []string
			if x.errors > 0 {
				parts = append(parts, reporttext.Int(x.errors)+" "+errWord)
			}
			if x.warnings > 0 {
				parts = append(parts, reporttext.Int(x.warnings)+" "+warnWord)
			}
			detail = append(detail, x.key+": "+strings.Join(parts, ", "))
		}
		if len(detail) > maxProblemLines {
			detail = append(detail[:maxProblemLines-1], "…")
		}
		name := f.File
		if f.Group != "" {
			name = f.Group + "/" + f.File
		}
		rowsSum, errSum, warnSum = rowsSum+f.Rows, errSum+f.Errors, warnSum+f.Warnings
		t.rows = append(t.rows, row{cells: []string{itoa(i + 1), name, f.Unit, d.statusLabel(f.Status),
			reporttext.Int(f.Rows), reporttext.Int(f.Errors), reporttext.Int(f.Warnings), strings.Join(detail, "\n")}})
	}
	t.rows = append(t.rows, row{style: "B", cells: []string{"", d.label("total"), "", "",
		reporttext.Int(rowsSum), reporttext.Int(errSum), reporttext.Int(warnSum), ""}})
	d.drawTable(t)
}

func (d *doc) statusLabel(status string) string {
	switch status {
	case "accepted", "rejected", "superseded", "ignored":
		return d.label("status_" + status)
	}
	return status
}

func itoa(n int) string { return reporttext.Int(n) }
