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
	matrixSize     = 9.5  // pt: the wide per-unit tables
	matrixHeadSize = 9.0  // pt: their header (labels of many codes, side by side)
	matrixPadY     = 0.7  // mm above and below a cell's text
	matrixNameW    = 48.0 // mm: the least the unit column may get before a dimension moves to the next table
	matrixNameMost = 72.0 // mm: what the unit column gets, room permitting, before code columns widen
	matrixWideW    = 24.0 // mm: a code column at most (a table of few codes wraps their labels less)
	listSize       = 10.5 // pt: the lists (people, files), landscape
	targetSize     = 10.5 // pt: the targets' results, in the body
	targetHeadSize = 10.0
)

// targetTables are the targets' results: the overall ones first, one row each, then,
// when targets are also judged unit by unit, those results grouped by target (the
// target's title once, numbered as in the first table, then a row per unit). Both
// tables have the same columns, lined up; the numbers, the dates and the results are
// as wide as their widest cell and never wrap.
//
// When the summary compares with a previous period, a column after the share gives
// its change in percentage points ("+4,00", "-" when there is nothing to compare
// with), and a note under the last table names the previous period. A column of the
// change rather than of the previous share: as narrow, and it says what moved.
func (d *doc) targetTables() []*table {
	changes := d.s.TargetChanges() // nil without a previous period
	cols := func(first string) []column {
		out := []column{
			{title: d.label("pdf_stt"), fit: true, align: "C"},
			{title: first, align: "L"},
			{title: d.label("population"), fit: true, align: "R"},
			{title: d.label("count"), fit: true, align: "R"},
			{title: d.label("share"), fit: true, align: "R"},
		}
		if changes != nil {
			out = append(out, column{title: d.label("pdf_share_change"), fit: true, align: "R"})
		}
		return append(out,
			column{title: d.label("threshold"), fit: true, align: "R"},
			column{title: d.label("status"), fit: true, most: 18, align: "C"},
			column{title: d.label("shortfall"), fit: true, align: "R"},
			column{title: d.label("deadline"), fit: true, align: "C"},
		)
	}
	cells := func(stt, name string, i int) []string {
		tg := d.s.Targets[i]
		share, status, shortfall := reporttext.Percent(tg.Share), d.label("not_met"), reporttext.Int(tg.Shortfall)
		switch {
		case !tg.Computed():
			share, status, shortfall = "-", d.label("not_computed"), "-"
		case tg.Population == 0:
			share, status, shortfall = "-", d.label("no_population"), "-"
		case tg.Met:
			status = d.label("met")
		}
		out := []string{stt, name, reporttext.Int(tg.Population), reporttext.Int(tg.Count), share}
		if changes != nil {
			change := "-"
			if tc := changes[i]; tc.Comparable() {
				change = reporttext.Signed(tc.ShareChangePP)
			}
			out = append(out, change)
		}
		return append(out, reporttext.PercentShort(tg.Threshold), status, shortfall, reporttext.Date(tg.Deadline))
	}
	key := func(tg summary.Target) string { return tg.RuleSet + "\x00" + tg.ID }

	overall := &table{size: targetSize, headSize: targetHeadSize, cols: cols(d.label("target"))}
	number := map[string]int{} // target → its number in the first table
	for i, tg := range d.s.Targets {
		if tg.Unit != "" {
			continue
		}
		overall.rows = append(overall.rows, row{cells: cells(itoa(len(overall.rows)+1), tg.Title, i)})
		if _, ok := number[key(tg)]; !ok {
			number[key(tg)] = len(overall.rows)
		}
	}

	// The per-unit results by target: in the order of the first table, then those
	// judged only unit by unit, numbered on from it.
	type group struct {
		n    int
		list []int // indexes into d.s.Targets
	}
	var groups []*group
	byKey := map[string]*group{}
	for i, tg := range d.s.Targets {
		if tg.Unit == "" {
			continue
		}
		g := byKey[key(tg)]
		if g == nil {
			g = &group{n: number[key(tg)]}
			byKey[key(tg)] = g
			groups = append(groups, g)
		}
		g.list = append(g.list, i)
	}
	sort.SliceStable(groups, func(i, j int) bool {
		a, b := groups[i].n, groups[j].n
		return a != 0 && (b == 0 || a < b)
	})
	next := len(overall.rows)
	byUnit := &table{size: targetSize, headSize: targetHeadSize, cols: cols(d.label("unit"))}
	for _, g := range groups {
		if g.n == 0 {
			next++
			g.n = next
		}
		stt := itoa(g.n)
		heading := stt + ". " + d.s.Targets[g.list[0]].Title
		byUnit.rows = append(byUnit.rows, row{whole: true, style: "B", shade: shadeGroup, keep: true, opens: heading,
			cells: []string{heading}})
		for i, ti := range g.list {
			byUnit.rows = append(byUnit.rows, row{cells: cells(stt+"."+itoa(i+1), d.s.Targets[ti].Unit, ti)})
		}
	}

	var out []*table
	switch {
	case len(byUnit.rows) == 0:
		out = []*table{overall}
	case len(overall.rows) == 0:
		out = []*table{byUnit}
	default:
		overall.caption = "1. " + d.label("pdf_targets_overall")
		byUnit.caption = "2. " + d.label("pdf_targets_by_unit")
		overall.heading, byUnit.heading = true, true
		out = []*table{overall, byUnit}
	}
	if c := d.s.Changes(); c != nil {
		out[len(out)-1].note = d.fill("pdf_change_note", "{ky}", reporttext.Period(c.Period))
	}
	d.shareWidths(out...)
	return out
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
	group     bool                      // a group's subtotal: bold, shaded, kept with its first unit
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
			rows = append(rows, matrixRow{stt: roman(gi + 1), name: name, total: g.Headcount, counts: g.Breakdowns, group: true})
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
	total := matrixRow{name: d.label("total"), total: s.Total.Headcount, counts: s.Total.Breakdowns}
	d.appendix("L", "section_structure")
	d.matrix("", dims, rows, total, d.label("unit"), d.label("headcount"))
}

// matrix draws rows × (dimension, code) counts, captioned with title (if any) and the
// dimensions' labels, as tables as wide as the page: the unit and total columns
// repeat in each, and the dimensions fill the rest in order. A code nobody has in
// the whole table is left out (a note under the table says which); a dimension that
// does not fit in what is left of a table starts the next one, and one wider than a
// whole table is split. The last rows are the total and each code's share of it.
func (d *doc) matrix(title string, dims []dimension, rows []matrixRow, total matrixRow, nameTitle, totalTitle string) {
	type part struct {
		dim     dimension
		codes   []schema.Code
		dropped []string // labels of the codes left out, on the dimension's first part
	}
	share := func(n int) string {
		if total.total == 0 {
			return "-"
		}
		return reporttext.Percent(summary.Share(n, total.total))
	}

	// What each column needs: its widest number (the total's, bold; its share,
	// italic) and the widest word of its label.
	pad := 2*cellPadX + fitSlack
	need := func(key string, c schema.Code) float64 {
		n := total.counts[key][c.Code]
		d.font("B", matrixSize)
		w := d.pdf.GetStringWidth(reporttext.Int(n))
		d.font("I", matrixSize)
		w = max(w, d.pdf.GetStringWidth(share(n)))
		d.font("B", matrixHeadSize)
		for _, word := range strings.Fields(clean(c.Label)) {
			w = max(w, d.pdf.GetStringWidth(word))
		}
		return w + pad
	}
	fitted := func(size float64, strs ...string) float64 {
		w := 0.0
		for _, style := range []string{"", "B", "I"} {
			d.font(style, size)
			for _, s := range strs {
				w = max(w, d.pdf.GetStringWidth(oneLine(s)))
			}
		}
		return w + pad
	}
	var stts, names []string
	for _, r := range rows {
		stts, names = append(stts, r.stt), append(names, r.name)
	}
	sttCol := max(fitted(matrixSize, stts...), fitted(matrixHeadSize, d.label("pdf_stt")))
	totals := []string{reporttext.Int(total.total), share(total.total)}
	totalCol := fitted(matrixSize, totals...)
	d.font("B", matrixHeadSize)
	for _, word := range strings.Fields(clean(totalTitle)) {
		totalCol = max(totalCol, d.pdf.GetStringWidth(word)+pad)
	}
	nameNeed := min(fitted(matrixSize, names...), matrixNameMost)
	budget := d.width() - sttCol - totalCol - matrixNameW

	var tables [][]part
	var cur []part
	used := 0.0 // the widest column of cur
	count := 0  // columns in cur
	flush := func() {
		if len(cur) > 0 {
			tables = append(tables, cur)
		}
		cur, used, count = nil, 0, 0
	}
	for _, dim := range dims {
		codes := nonZero(dim.codes, total.counts[dim.key])
		var dropped []string
		if len(codes) < len(dim.codes) {
			for _, c := range dim.codes {
				if total.counts[dim.key][c.Code] == 0 {
					dropped = append(dropped, reporttext.LowerFirst(c.Label))
				}
			}
		}
		widest := 0.0
		for _, c := range codes {
			widest = max(widest, need(dim.key, c))
		}
		for len(codes) > 0 {
			w := max(used, widest)
			switch {
			case float64(count+len(codes))*w <= budget:
				cur = append(cur, part{dim, codes, dropped})
				used, count = w, count+len(codes)
				codes = nil
			case count > 0:
				flush()
			default: // wider than a whole table: as many codes as fit, the rest next
				fit := max(int(budget/widest), 1)
				cur = append(cur, part{dim, codes[:fit], dropped})
				codes, dropped = codes[fit:], nil
				used, count = widest, fit
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
		t := &table{size: matrixSize, headSize: matrixHeadSize, padY: matrixPadY, cols: []column{
			{title: d.label("pdf_stt"), align: "C"},
			{title: nameTitle, align: "L"},
			{title: totalTitle, align: "R"},
		}}
		n := 0
		codeW := 0.0
		for _, p := range parts {
			n += len(p.codes)
			for _, c := range p.codes {
				codeW = max(codeW, need(p.dim.key, c))
			}
		}
		// The unit column gets what its longest name needs, room permitting; the code
		// columns widen with what is left, up to matrixWideW; the rest is the unit's.
		if spare := d.width() - sttCol - totalCol - nameNeed - float64(n)*codeW; spare > 0 {
			codeW = max(codeW, min(codeW+spare/float64(n), matrixWideW))
		}
		t.widths = []float64{sttCol, d.width() - sttCol - totalCol - float64(n)*codeW, totalCol}
		var labels, notes []string
		for _, p := range parts {
			t.spans = append(t.spans, span{title: p.dim.label, first: len(t.cols), n: len(p.codes)})
			for _, c := range p.codes {
				t.cols = append(t.cols, column{title: c.Label, align: "R"})
				t.widths = append(t.widths, codeW)
			}
			if len(labels) == 0 {
				labels = append(labels, p.dim.label)
			} else if labels[len(labels)-1] != reporttext.LowerFirst(p.dim.label) && labels[len(labels)-1] != p.dim.label {
				labels = append(labels, reporttext.LowerFirst(p.dim.label))
			}
			if len(p.dropped) > 0 {
				notes = append(notes, reporttext.LowerFirst(p.dim.label)+": "+strings.Join(p.dropped, ", "))
			}
		}
		caption := strings.Join(labels, ", ")
		if title != "" {
			caption = title + ": " + reporttext.LowerFirst(caption)
		}
		t.caption = d.caption(caption)
		if len(notes) > 0 {
			t.note = d.fill("pdf_zero_columns", "{cot}", strings.Join(notes, "; "))
		}
		cells := func(r matrixRow) []string {
			out := make([]string, 0, 3+n)
			out = append(out, r.stt, r.name, reporttext.Int(r.total))
			for _, p := range parts {
				for _, c := range p.codes {
					out = append(out, reporttext.Int(r.counts[p.dim.key][c.Code]))
				}
			}
			return out
		}
		t.rows = make([]row, 0, len(rows)+2)
		for _, r := range rows {
			if r.group {
				t.rows = append(t.rows, row{cells: cells(r), style: "B", shade: shadeGroup, keep: true, opens: r.stt + ". " + r.name})
			} else {
				t.rows = append(t.rows, row{cells: cells(r)})
			}
		}
		if len(t.rows) > 0 { // the last unit stays with the total
			t.rows[len(t.rows)-1].keep = true
		}
		t.rows = append(t.rows, row{cells: cells(total), style: "B", shade: shadeTotal, keep: true, closes: true})
		shares := []string{"", d.label("pdf_share_row"), share(total.total)}
		for _, p := range parts {
			for _, c := range p.codes {
				shares = append(shares, share(total.counts[p.dim.key][c.Code]))
			}
		}
		t.rows = append(t.rows, row{cells: shares, style: "I"})
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
	var byCode []*table
	add := func(title string, f *schema.Field, counts map[string]int) {
		if f == nil || len(counts) == 0 {
			return
		}
		t := &table{caption: d.caption(title), cols: []column{
			{title: d.label("pdf_stt"), fit: true, align: "C"},
			{title: f.Label, align: "L"},
			{title: d.label("pdf_attendances_col"), width: 30, align: "R"},
			{title: d.label("share"), width: 26, align: "R"},
		}}
		sum := 0
		for i, c := range d.cfg.Codes(f) {
			n := counts[c.Code]
			sum += n
			t.rows = append(t.rows, row{cells: []string{itoa(i + 1), c.Label, reporttext.Int(n), reporttext.Percent(summary.Share(n, tr.Total))}})
		}
		t.rows = append(t.rows, row{cells: []string{"", d.label("total"), reporttext.Int(sum), reporttext.Percent(summary.Share(sum, tr.Total))},
			style: "B", shade: shadeTotal})
		byCode = append(byCode, t)
	}
	add(d.label("training_by_type"), kind, tr.ByType)
	add(d.label("training_by_funding"), fund, tr.ByFunding)
	if len(byCode) > 0 {
		d.shareWidths(byCode...) // the same columns in both

		for _, t := range byCode {
			d.drawTable(t)
		}
	}

	if len(tr.Units) < 2 || kind == nil {
		return
	}
	dims := []dimension{{key: kind.Code, label: kind.Label, codes: d.cfg.Codes(kind)}}
	if fund != nil && len(tr.ByFunding) > 0 {
		dims = append(dims, dimension{key: fund.Code, label: fund.Label, codes: d.cfg.Codes(fund)})
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

// appendixStandards lists the people below a standard (the training plan), grouped by
// standard, with what each lacks: up to report.yaml's document.below_standard_rows per
// standard, then a line saying how many more there are and where the whole list is
// (the Excel report). The header repeats on each page.
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
	for _, id := range order {
		d.standardCounts(id, titles[id])
	}
	t := &table{size: listSize, padY: matrixPadY, cols: []column{
		{title: d.label("pdf_stt"), fit: true, align: "C"},
		{title: d.label("name"), align: "L"},
		{title: d.label("birth_date"), fit: true, align: "C"},
		{title: d.label("unit"), align: "L"},
		{title: d.label("position"), align: "L"},
		{title: d.label("missing"), align: "L", flex: 1.5},
	}}
	t.rows = make([]row, 0, len(people)+len(count))
	item := d.label("pdf_missing_item")
	group := d.label("pdf_standard_group")
	limit := d.cfg.Report.Document.BelowStandardLimit()
	more := func(standard string, n int) {
		if left := count[standard] - n; left > 0 {
			t.rows = append(t.rows, row{whole: true, style: "I", cells: []string{d.fill("pdf_below_more",
				"{so_nguoi}", reporttext.Int(left), "{trang}", d.label("xlsx_sheet_standards"), "{tep}", "bao-cao-"+d.s.Period+".xlsx")}})
		}
	}
	n, last := 0, "\x00"
	for _, p := range people {
		if p.Standard != last {
			if last != "\x00" {
				more(last, n)
			}
			last, n = p.Standard, 0
			title := titles[p.Standard]
			if title == "" {
				title = p.Standard
			}
			t.rows = append(t.rows, row{whole: true, style: "B", shade: shadeGroup, keep: true, opens: title,
				cells: []string{reporttext.Fill(group, "{ten}", title, "{so_nguoi}", reporttext.Int(count[p.Standard]))}})
		}
		if n >= limit {
			continue
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
			lacks = append(lacks, reporttext.Fill(item, "{truong}", label, "{hien_co}", orCode(m.HaveText, m.Have),
				"{yeu_cau}", orCode(m.NeedText, m.Need)))
		}
		t.rows = append(t.rows, row{cells: []string{itoa(n), p.Name, reporttext.Date(p.BirthDate), p.Unit, p.Position,
			strings.Join(lacks, "\n")}})
	}
	more(last, n)
	d.drawTable(t)
}

// countWidth is the width of a count column of standardCounts, mm: its heading on
// two lines, the unit's name the rest.
const countWidth = 26

// standardCounts draws, for one standard, a table of its units: how many people it
// applies to, how many meet it, how many fall short, and of those how many lack each
// requirement; then the total. A leader reads where the gaps are here; the names
// follow, capped, and are all in the Excel report.
func (d *doc) standardCounts(id, title string) {
	var units []summary.Standard
	for _, st := range d.s.Standards {
		if st.ID == id && st.Population > 0 {
			units = append(units, st)
		}
	}
	if len(units) == 0 {
		return
	}
	// The requirements, in the schema's field order.
	var reqs []string
	for _, f := range d.cfg.Schema.Fields {
		if _, ok := units[0].Gaps[f.Code]; ok {
			reqs = append(reqs, f.Code)
		}
	}
	t := &table{caption: d.fill("pdf_standard_counts", "{ten}", title), size: listSize, padY: matrixPadY, cols: []column{
		{title: d.label("pdf_stt"), fit: true, align: "C"},
		{title: d.label("unit"), align: "L"},
		{title: d.label("pdf_standard_applies"), width: countWidth, align: "R"},
		{title: d.label("pdf_standard_meets"), width: countWidth, align: "R"},
		{title: d.label("pdf_standard_below"), width: countWidth, align: "R"},
	}}
	if len(reqs) > 0 {
		t.spans = []span{{title: d.label("missing"), first: len(t.cols), n: len(reqs)}}
	}
	for _, code := range reqs {
		title := code
		if f := d.cfg.Field(code); f != nil {
			title = f.Label
		}
		t.cols = append(t.cols, column{title: title, width: countWidth, align: "R"})
	}
	total := summary.Standard{Gaps: map[string]int{}}
	line := func(stt, name string, st summary.Standard) []string {
		cells := []string{stt, name, reporttext.Int(st.Population), reporttext.Int(st.Compliant), reporttext.Int(st.Population - st.Compliant)}
		for _, code := range reqs {
			cells = append(cells, reporttext.Int(st.Gaps[code]))
		}
		return cells
	}
	for i, st := range units {
		t.rows = append(t.rows, row{cells: line(itoa(i+1), st.Unit, st)})
		total.Population += st.Population
		total.Compliant += st.Compliant
		for code, n := range st.Gaps {
			total.Gaps[code] += n
		}
	}
	t.rows = append(t.rows, row{cells: line("", d.label("total"), total), style: "B", shade: shadeTotal, closes: true})
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
	errWord, warnWord := reporttext.LowerFirst(d.label("errors")), reporttext.LowerFirst(d.label("warnings"))
	d.appendix("L", "section_problems")
	t := &table{size: listSize, cols: []column{
		{title: d.label("pdf_stt"), fit: true, align: "C"},
		{title: d.label("file"), align: "L"},
		{title: d.label("unit"), align: "L"},
		{title: d.label("file_status"), fit: true, most: 22, align: "C"},
		{title: d.label("rows"), fit: true, align: "R"},
		{title: d.label("errors"), fit: true, align: "R"},
		{title: d.label("warnings"), fit: true, align: "R"},
		{title: d.label("pdf_problem_detail"), align: "L", flex: 1.5},
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
	t.rows = append(t.rows, row{style: "B", shade: shadeTotal, cells: []string{"", d.label("total"), "", "",
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
