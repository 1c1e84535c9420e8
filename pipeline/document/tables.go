package document

import (
	"sort"
	"strings"

	"canbo/pipeline/reporttext"
	"canbo/pipeline/schema"
	"canbo/pipeline/summary"
)

// Which tables the report has and what their cells say, built from the summary;
// pdfreport/table.go and docxreport lay them out.

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
func (b *builder) targetTables() []*Table {
	changes := b.s.TargetChanges() // nil without a previous period
	cols := func(first string) []Column {
		out := []Column{
			{Title: b.label("pdf_stt"), Fit: true, Align: "C"},
			{Title: first, Align: "L"},
			{Title: b.label("population"), Fit: true, Align: "R"},
			{Title: b.label("count"), Fit: true, Align: "R"},
			{Title: b.label("share"), Fit: true, Align: "R"},
		}
		if changes != nil {
			out = append(out, Column{Title: b.label("pdf_share_change"), Fit: true, Align: "R"})
		}
		return append(out,
			Column{Title: b.label("threshold"), Fit: true, Align: "R"},
			Column{Title: b.label("status"), Fit: true, Most: 18, Align: "C"},
			Column{Title: b.label("shortfall"), Fit: true, Align: "R"},
			Column{Title: b.label("deadline"), Fit: true, Align: "C"},
		)
	}
	cells := func(stt, name string, i int) []string {
		tg := b.s.Targets[i]
		share, status, shortfall := reporttext.Percent(tg.Share), b.label("not_met"), reporttext.Int(tg.Shortfall)
		switch {
		case !tg.Computed():
			share, status, shortfall = "-", b.label("not_computed"), "-"
		case tg.Population == 0:
			share, status, shortfall = "-", b.label("no_population"), "-"
		case tg.Met:
			status = b.label("met")
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

	overall := &Table{Size: targetSize, HeadSize: targetHeadSize, Cols: cols(b.label("target"))}
	number := map[string]int{} // target → its number in the first table
	for i, tg := range b.s.Targets {
		if tg.Unit != "" {
			continue
		}
		overall.Rows = append(overall.Rows, Row{Cells: cells(itoa(len(overall.Rows)+1), tg.Title, i)})
		if _, ok := number[key(tg)]; !ok {
			number[key(tg)] = len(overall.Rows)
		}
	}

	// The per-unit results by target: in the order of the first table, then those
	// judged only unit by unit, numbered on from it.
	type group struct {
		n    int
		list []int // indexes into b.s.Targets
	}
	var groups []*group
	byKey := map[string]*group{}
	for i, tg := range b.s.Targets {
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
	next := len(overall.Rows)
	byUnit := &Table{Size: targetSize, HeadSize: targetHeadSize, Cols: cols(b.label("unit"))}
	for _, g := range groups {
		if g.n == 0 {
			next++
			g.n = next
		}
		stt := itoa(g.n)
		heading := stt + ". " + b.s.Targets[g.list[0]].Title
		byUnit.Rows = append(byUnit.Rows, Row{Whole: true, Style: "B", Shade: ShadeGroup, Keep: true, Opens: heading,
			Cells: []string{heading}})
		for i, ti := range g.list {
			byUnit.Rows = append(byUnit.Rows, Row{Cells: cells(stt+"."+itoa(i+1), b.s.Targets[ti].Unit, ti)})
		}
	}

	var out []*Table
	switch {
	case len(byUnit.Rows) == 0:
		out = []*Table{overall}
	case len(overall.Rows) == 0:
		out = []*Table{byUnit}
	default:
		// a), b): the third level of the body's numbering (I., 1., a)), as NĐ 30's
		// documents number their parts.
		overall.Caption = "a) " + b.label("pdf_targets_overall")
		byUnit.Caption = "b) " + b.label("pdf_targets_by_unit")
		overall.Heading, byUnit.Heading = true, true
		out = []*Table{overall, byUnit}
	}
	if c := b.s.Changes(); c != nil {
		out[len(out)-1].Note = b.fill("pdf_change_note", "{ky}", reporttext.Period(c.Period))
	}
	for _, t := range out {
		t.LineUp = lineUpTargets
	}
	return out
}

// The LineUp groups: the targets' two tables; training by kind and by funding.
const (
	lineUpTargets = 1 + iota
	lineUpTraining
)

// appendix starts an appendix, numbered on from the last: "Phụ lục II" and its title
// in upper case, the line tying it to the report (NĐ 30, Phụ lục I) and the as-of
// date.
func (b *builder) appendix(landscape bool, titleKey string) *Appendix {
	b.appendices++
	b.tables = 0
	a := &Appendix{Key: titleKey, Landscape: landscape,
		Number: b.label("pdf_appendix") + " " + Roman(b.appendices),
		Title:  strings.ToUpper(b.label(titleKey)),
		Note:   b.fill("pdf_appendix_note", "{so}", b.numberAndSymbol(), "{ngay_ban_hanh}", b.dateOfIssue())}
	if b.s.AsOf != "" {
		a.AsOf = "(" + b.label("as_of") + " " + reporttext.Date(b.s.AsOf) + ")"
	}
	return a
}

// add appends tables to an appendix.
func (a *Appendix) add(tables ...*Table) {
	for _, t := range tables {
		a.Blocks = append(a.Blocks, Block{Kind: KindTable, Table: t})
	}
}

// caption numbers the tables of an appendix: "Bảng 2. Trình độ chuyên môn".
func (b *builder) caption(text string) string {
	b.tables++
	return b.label("pdf_table") + " " + itoa(b.tables) + ". " + text
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
func (b *builder) appendixStructure() *Appendix {
	s := b.s
	if len(s.Units) == 0 {
		return nil
	}
	var dims []dimension
	for _, code := range b.cfg.Report.Breakdowns {
		f := b.cfg.Field(code)
		if f == nil || s.Total.Breakdowns[code] == nil {
			continue
		}
		dims = append(dims, dimension{key: code, label: f.Label, codes: b.cfg.Codes(f)})
	}
	if len(dims) == 0 {
		return nil
	}
	var rows []matrixRow
	unitRow := func(n int, u summary.Unit) matrixRow {
		return matrixRow{stt: itoa(n), name: u.Unit, total: u.Headcount, counts: u.Breakdowns}
	}
	if len(s.Groups) > 0 {
		done := map[int]bool{}
		for gi, g := range s.Groups {
			name := b.groupName(g.Group)
			rows = append(rows, matrixRow{stt: Roman(gi + 1), name: name, total: g.Headcount, counts: g.Breakdowns, group: true})
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
	total := matrixRow{name: b.label("total"), total: s.Total.Headcount, counts: s.Total.Breakdowns}
	a := b.appendix(true, "section_structure")
	a.add(b.matrix(TextWidth(true), "", dims, rows, total, b.label("unit"), b.label("headcount"))...)
	return a
}

// matrix is rows × (dimension, code) counts, captioned with title (if any) and the
// dimensions' labels, as tables as wide as the page: the unit and total columns
// repeat in each, and the dimensions fill the rest in order. A code nobody has in
// the whole table is left out (a note under the table says which); a dimension that
// does not fit in what is left of a table starts the next one, and one wider than a
// whole table is split. The last rows are the total and each code's share of it.
func (b *builder) matrix(width float64, title string, dims []dimension, rows []matrixRow, total matrixRow, nameTitle, totalTitle string) []*Table {
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
	pad := 2*CellPadX + FitSlack
	need := func(key string, c schema.Code) float64 {
		n := total.counts[key][c.Code]
		w := b.m.Width(reporttext.Int(n), "B", matrixSize)
		w = max(w, b.m.Width(share(n), "I", matrixSize))
		for _, word := range strings.Fields(c.Label) {
			w = max(w, b.m.Width(word, "B", matrixHeadSize))
		}
		return w + pad
	}
	fitted := func(size float64, strs ...string) float64 {
		w := 0.0
		for _, style := range []string{"", "B", "I"} {
			for _, s := range strs {
				w = max(w, b.m.Width(s, style, size))
			}
		}
		return w + pad
	}
	var stts, names []string
	for _, r := range rows {
		stts, names = append(stts, r.stt), append(names, r.name)
	}
	sttCol := max(fitted(matrixSize, stts...), fitted(matrixHeadSize, b.label("pdf_stt")))
	totals := []string{reporttext.Int(total.total), share(total.total)}
	totalCol := fitted(matrixSize, totals...)
	for _, word := range strings.Fields(totalTitle) {
		totalCol = max(totalCol, b.m.Width(word, "B", matrixHeadSize)+pad)
	}
	nameNeed := min(fitted(matrixSize, names...), matrixNameMost)
	budget := width - sttCol - totalCol - matrixNameW

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

	var out []*Table
	for ti, parts := range tables {
		if b.failed() {
			return nil
		}
		t := &Table{Continues: ti > 0, Size: matrixSize, HeadSize: matrixHeadSize, PadY: matrixPadY, Cols: []Column{
			{Title: b.label("pdf_stt"), Align: "C"},
			{Title: nameTitle, Align: "L"},
			{Title: totalTitle, Align: "R"},
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
		if spare := width - sttCol - totalCol - nameNeed - float64(n)*codeW; spare > 0 {
			codeW = max(codeW, min(codeW+spare/float64(n), matrixWideW))
		}
		t.Widths = []float64{sttCol, width - sttCol - totalCol - float64(n)*codeW, totalCol}
		var labels, notes []string
		for _, p := range parts {
			t.Spans = append(t.Spans, Span{Title: p.dim.label, First: len(t.Cols), N: len(p.codes)})
			for _, c := range p.codes {
				t.Cols = append(t.Cols, Column{Title: c.Label, Align: "R"})
				t.Widths = append(t.Widths, codeW)
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
		t.Caption = b.caption(caption)
		if len(notes) > 0 {
			t.Note = b.fill("pdf_zero_columns", "{cot}", strings.Join(notes, "; "))
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
		t.Rows = make([]Row, 0, len(rows)+2)
		for _, r := range rows {
			if r.group {
				t.Rows = append(t.Rows, Row{Cells: cells(r), Style: "B", Shade: ShadeGroup, Keep: true, Opens: r.stt + ". " + r.name})
			} else {
				t.Rows = append(t.Rows, Row{Cells: cells(r)})
			}
		}
		if len(t.Rows) > 0 { // the last unit stays with the total
			t.Rows[len(t.Rows)-1].Keep = true
		}
		t.Rows = append(t.Rows, Row{Cells: cells(total), Style: "B", Shade: ShadeTotal, Keep: true, Closes: true})
		shares := []string{"", b.label("pdf_share_row"), share(total.total)}
		for _, p := range parts {
			for _, c := range p.codes {
				shares = append(shares, share(total.counts[p.dim.key][c.Code]))
			}
		}
		t.Rows = append(t.Rows, Row{Cells: shares, Style: "I"})
		out = append(out, t)
	}
	return out
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
func (b *builder) appendixTraining() *Appendix {
	tr := b.s.Training
	if tr.Total == 0 {
		return nil
	}
	kind := b.cfg.Field(b.cfg.Training.Field)
	var fund *schema.Field
	for _, code := range b.cfg.Report.TrainingBreakdowns {
		if code != b.cfg.Training.Field {
			fund = b.cfg.Field(code)
			break
		}
	}
	a := b.appendix(false, "section_training")
	var byCode []*Table
	add := func(title string, f *schema.Field, counts map[string]int) {
		if f == nil || len(counts) == 0 {
			return
		}
		t := &Table{Caption: b.caption(title), Cols: []Column{
			{Title: b.label("pdf_stt"), Fit: true, Align: "C"},
			{Title: f.Label, Align: "L"},
			{Title: b.label("pdf_attendances_col"), Width: 30, Align: "R"},
			{Title: b.label("share"), Width: 26, Align: "R"},
		}}
		sum := 0
		for i, c := range b.cfg.Codes(f) {
			n := counts[c.Code]
			sum += n
			t.Rows = append(t.Rows, Row{Cells: []string{itoa(i + 1), c.Label, reporttext.Int(n), reporttext.Percent(summary.Share(n, tr.Total))}})
		}
		t.Rows = append(t.Rows, Row{Cells: []string{"", b.label("total"), reporttext.Int(sum), reporttext.Percent(summary.Share(sum, tr.Total))},
			Style: "B", Shade: ShadeTotal})
		byCode = append(byCode, t)
	}
	add(b.label("training_by_type"), kind, tr.ByType)
	add(b.label("training_by_funding"), fund, tr.ByFunding)
	if len(byCode) > 0 {
		for _, t := range byCode {
			t.LineUp = lineUpTraining // the same columns in both
		}
		a.add(byCode...)
	}
	a.add(b.traineeTables(kind)...)
	a.add(b.movementTables()...)

	if len(tr.Units) < 2 || kind == nil {
		return a
	}
	dims := []dimension{{key: kind.Code, label: kind.Label, codes: b.cfg.Codes(kind)}}
	if fund != nil && len(tr.ByFunding) > 0 {
		dims = append(dims, dimension{key: fund.Code, label: fund.Label, codes: b.cfg.Codes(fund)})
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
	total := matrixRow{name: b.label("total"), total: tr.Total, counts: counts(tr.ByType, tr.ByFunding)}
	a.Blocks = append(a.Blocks, Block{Kind: KindPageBreak, Landscape: true})
	a.add(b.matrix(TextWidth(true), b.label("pdf_training_by_unit"), dims, rows, total, b.label("unit"), b.label("pdf_attendances_col"))...)
	return a
}

// appendixStandards gives, per standard, how many people of each unit it applies to,
// meet it and fall short, and of what. With report.yaml's document.below_standard_rows
// it then lists up to that many people per standard (the training plan), with what
// each lacks, and a line saying how many more there are and where the whole list is
// (the Excel report); without it (the default), the names are left to the Excel
// report, as a leader reads the counts. The header repeats on each page.
func (b *builder) appendixStandards() *Appendix {
	s := b.s
	if len(s.BelowStandard) == 0 {
		return nil
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
	// The list names at most limit people per standard, in the order of the summary
	// (the report's order of units): one pass keeps those and counts the rest, where
	// copying and sorting a national list of 300,000 people (twice: PDF and Word)
	// took most of a re-run's document time.
	limit := b.cfg.Report.Document.BelowStandardLimit()
	count := map[string]int{}
	listed := map[string][]int{} // standard → indexes into s.BelowStandard, at most limit
	for i := range s.BelowStandard {
		id := s.BelowStandard[i].Standard
		if count[id]++; count[id] <= limit {
			listed[id] = append(listed[id], i)
		}
	}
	// Standards in the order of the summary's standards, then any other by id.
	var others []string
	for id := range count {
		if _, ok := rank[id]; !ok {
			others = append(others, id)
		}
	}
	sort.Strings(others)
	var standards []string
	for _, id := range order {
		if count[id] > 0 {
			standards = append(standards, id)
		}
	}
	standards = append(standards, others...)

	a := b.appendix(true, "section_standards")
	var last *Table
	for _, id := range order {
		if t := b.standardCounts(id, titles[id]); t != nil {
			a.add(t)
			last = t
		}
	}
	if limit == 0 {
		// Counts only (report.yaml lists no names): a leader reads how many of each
		// unit fall short and of what; the names, for the training plan, are in the
		// Excel report, which says nobody's birth date on paper that is sent around.
		note := b.fill("pdf_below_in_excel", "{so_nguoi}", reporttext.Int(len(s.BelowStandard)),
			"{trang}", b.label("xlsx_sheet_standards"), "{tep}", "bao-cao-"+b.s.ReportName()+".xlsx")
		if last == nil {
			last = &Table{Cols: []Column{{Title: ""}}}
			a.add(last)
		}
		if last.Note != "" {
			last.Note += " "
		}
		last.Note += note
		return a
	}
	t := &Table{Size: listSize, PadY: matrixPadY, Cols: []Column{
		{Title: b.label("pdf_stt"), Fit: true, Align: "C"},
		{Title: b.label("name"), Align: "L"},
		{Title: b.label("birth_date"), Fit: true, Align: "C"},
		{Title: b.label("unit"), Align: "L"},
		{Title: b.label("position"), Align: "L"},
		{Title: b.label("missing"), Align: "L", Flex: 1.5},
	}}
	t.Rows = make([]Row, 0, len(standards)*(limit+2))
	item := b.label("pdf_missing_item")
	group := b.label("pdf_standard_group")
	for _, id := range standards {
		title := titles[id]
		if title == "" {
			title = id
		}
		t.Rows = append(t.Rows, Row{Whole: true, Style: "B", Shade: ShadeGroup, Keep: true, Opens: title,
			Cells: []string{reporttext.Fill(group, "{ten}", title, "{so_nguoi}", reporttext.Int(count[id]))}})
		for n, i := range listed[id] {
			p := &s.BelowStandard[i]
			var lacks []string
			for _, m := range p.Missing {
				label := m.Label
				if label == "" {
					if f := b.cfg.Field(m.Field); f != nil {
						label = f.Label
					} else {
						label = m.Field
					}
				}
				lacks = append(lacks, reporttext.Fill(item, "{truong}", label, "{hien_co}", orCode(m.HaveText, m.Have),
					"{yeu_cau}", orCode(m.NeedText, m.Need)))
			}
			t.Rows = append(t.Rows, Row{Cells: []string{itoa(n + 1), p.Name, reporttext.Date(p.BirthDate), p.Unit, p.Position,
				strings.Join(lacks, "\n")}})
		}
		if left := count[id] - len(listed[id]); left > 0 {
			t.Rows = append(t.Rows, Row{Whole: true, Style: "I", Cells: []string{b.fill("pdf_below_more",
				"{so_nguoi}", reporttext.Int(left), "{trang}", b.label("xlsx_sheet_standards"), "{tep}", "bao-cao-"+b.s.ReportName()+".xlsx")}})
		}
	}
	a.add(t)
	return a
}

// countWidth is the width of a count column of standardCounts, mm: its heading on
// two lines, the unit's name the rest.
const countWidth = 26

// standardCounts draws, for one standard, a table of its units: how many people it
// applies to, how many meet it, how many fall short, and of those how many lack each
// requirement; then the total. A leader reads where the gaps are here; the names
// follow, capped, and are all in the Excel report.
func (b *builder) standardCounts(id, title string) *Table {
	var units []summary.Standard
	for _, st := range b.s.Standards {
		if st.ID == id && st.Population > 0 {
			units = append(units, st)
		}
	}
	if len(units) == 0 {
		return nil
	}
	// The requirements, in the schema's field order.
	var reqs []string
	for _, f := range b.cfg.Schema.Fields {
		if _, ok := units[0].Gaps[f.Code]; ok {
			reqs = append(reqs, f.Code)
		}
	}
	t := &Table{Caption: b.fill("pdf_standard_counts", "{ten}", title), Size: listSize, PadY: matrixPadY, Cols: []Column{
		{Title: b.label("pdf_stt"), Fit: true, Align: "C"},
		{Title: b.label("unit"), Align: "L"},
		{Title: b.label("pdf_standard_applies"), Width: countWidth, Align: "R"},
		{Title: b.label("pdf_standard_meets"), Width: countWidth, Align: "R"},
		{Title: b.label("pdf_standard_below"), Width: countWidth, Align: "R"},
	}}
	if len(reqs) > 0 {
		t.Spans = []Span{{Title: b.label("missing"), First: len(t.Cols), N: len(reqs)}}
	}
	for _, code := range reqs {
		title := code
		if f := b.cfg.Field(code); f != nil {
			title = f.Label
		}
		t.Cols = append(t.Cols, Column{Title: title, Width: countWidth, Align: "R"})
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
		t.Rows = append(t.Rows, Row{Cells: line(itoa(i+1), st.Unit, st)})
		total.Population += st.Population
		total.Compliant += st.Compliant
		for code, n := range st.Gaps {
			total.Gaps[code] += n
		}
	}
	t.Rows = append(t.Rows, Row{Cells: line("", b.label("total"), total), Style: "B", Shade: ShadeTotal, Closes: true})
	return t
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
func (b *builder) appendixProblems() *Appendix {
	s := b.s
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
		// A flood's last listed problem stands for the unlisted ones too (More), so
		// that the detail agrees with the file's counts.
		if p.Severity == "error" {
			t.errors += 1 + p.More
		} else {
			t.warnings += 1 + p.More
		}
	}
	var files []summary.File
	for _, f := range s.Files {
		if f.Status != "ignored" {
			files = append(files, f)
		}
	}
	if len(files) == 0 {
		return nil
	}
	errWord, warnWord := reporttext.LowerFirst(b.label("errors")), reporttext.LowerFirst(b.label("warnings"))
	a := b.appendix(true, "section_problems")
	t := &Table{Size: listSize, Cols: []Column{
		{Title: b.label("pdf_stt"), Fit: true, Align: "C"},
		{Title: b.label("file"), Align: "L"},
		{Title: b.label("unit"), Align: "L"},
		{Title: b.label("file_status"), Fit: true, Most: 22, Align: "C"},
		{Title: b.label("rows"), Fit: true, Align: "R"},
		{Title: b.label("errors"), Fit: true, Align: "R"},
		{Title: b.label("warnings"), Fit: true, Align: "R"},
		{Title: b.label("pdf_problem_detail"), Align: "L", Flex: 1.5},
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
		name := f.File // without its folder: a clerk's filing, not for the leader
		rowsSum, errSum, warnSum = rowsSum+f.Rows, errSum+f.Errors, warnSum+f.Warnings
		t.Rows = append(t.Rows, Row{Cells: []string{itoa(i + 1), name, f.Unit, b.statusLabel(f.Status),
			reporttext.Int(f.Rows), reporttext.Int(f.Errors), reporttext.Int(f.Warnings), strings.Join(detail, "\n")}})
	}
	t.Rows = append(t.Rows, Row{Style: "B", Shade: ShadeTotal, Cells: []string{"", b.label("total"), "", "",
		reporttext.Int(rowsSum), reporttext.Int(errSum), reporttext.Int(warnSum), ""}})
	a.add(t)
	return a
}

func (b *builder) statusLabel(status string) string {
	switch status {
	case "accepted", "rejected", "superseded", "ignored":
		return b.label("status_" + status)
	}
	return status
}
