package xlsxreport

import (
	"fmt"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"canbo/pipeline/reporttext"
	"canbo/pipeline/summary"
)

// overview is the first sheet: title, key figures, the narrative and the files.
func (b *book) overview(paras []string) sheetSpec {
	s := b.s
	cols := []colSpec{
		{20, 45}, // file (and the key figures' labels)
		{12, 25}, // group (and the key figures' values)
		{16, 35}, // unit
		{12, 25}, // dataset
		{12, 28}, // status
		{8, 10},  // rows
		{7, 10},  // errors
		{8, 10},  // warnings
		{20, 50}, // reason
		{20, 50}, // breakdowns the file has no column for
	}
	n := len(cols)
	fact := func(key string, v any, style int, unit string) []cell {
		cells := []cell{{v: val(b.label(key)), style: b.st.factLabel}, {v: val(v), style: style}}
		if unit != "" {
			cells = append(cells, cell{v: val(b.label(unit)), style: b.st.factText})
		}
		return cells
	}
	var facts [][]cell
	facts = append(facts, fact("period", reporttext.Period(s.Period), b.st.factText, ""))
	if d, ok := parseDate(s.AsOf); ok {
		facts = append(facts, fact("as_of", d, b.st.factDate, ""))
	} else {
		facts = append(facts, fact("as_of", s.AsOf, b.st.factText, ""))
	}
	if t, err := time.Parse(time.RFC3339, s.GeneratedAt); err == nil {
		wall := time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), 0, time.UTC)
		facts = append(facts, fact("generated_at", wall, b.st.factDateTime, ""))
	}
	facts = append(facts,
		fact("xlsx_units_count", len(s.Units), b.st.factCount, ""),
		fact("headcount", s.Total.Headcount, b.st.factCount, "persons"))
	if c := b.s.Changes(); c != nil {
		// "So với kỳ trước (08/2023)": "380 → 388 người (+8)"
		facts = append(facts, []cell{
			{v: val(b.fill("xlsx_previous", "period", reporttext.Period(c.Period))), style: b.st.factLabel},
			{v: val(b.fill("xlsx_previous_headcount", "previous", reporttext.Int(c.Total.PreviousHeadcount),
				"current", reporttext.Int(c.Total.Headcount), "change", signedInt(c.Total.HeadcountChange))), style: b.st.factText},
		})
	}
	facts = append(facts,
		fact("training_total", s.Training.Total, b.st.factCount, "attendances"))
	tc := summary.CountTargets(s.Targets)
	if tc.Overall > 0 {
		facts = append(facts, fact("xlsx_targets_overall", fmt.Sprintf("%d/%d", tc.OverallMet, tc.Overall), b.st.factText, ""))
	}
	if tc.Unit > 0 {
		facts = append(facts, fact("xlsx_targets_units", fmt.Sprintf("%d/%d", tc.UnitMet, tc.Unit), b.st.factText, ""))
	}
	// A received file is a workbook a unit sent, used or not: a README or a lock
	// file beside them (status ignored) is not, as the PDF and canbo run count.
	used, received := 0, 0
	for _, f := range s.Files {
		if f.Status == "accepted" {
			used++
		}
		if f.Status != "ignored" {
			received++
		}
	}
	facts = append(facts,
		fact("xlsx_files_received", received, b.st.factCount, ""),
		fact("xlsx_files_used", used, b.st.factCount, ""),
		fact("errors", s.Issues.Errors, b.st.factCount, ""),
		fact("warnings", s.Issues.Warnings, b.st.factCount, ""))

	top := func(put func([]cell) error) error {
		rows := [][]cell{
			b.spanRow(n, b.label("report_title"), b.st.title),
			b.spanRow(n, b.label("report_subject"), b.st.title),
			nil,
		}
		rows = append(rows, facts...)
		rows = append(rows, nil, b.spanRow(n, b.label("xlsx_summary"), b.st.heading))
		for _, p := range paras {
			rows = append(rows, b.spanRow(n, p, b.st.para))
		}
		rows = append(rows, nil, b.spanRow(n, b.label("section_files"), b.st.heading))
		for _, r := range rows {
			if err := put(r); err != nil {
				return err
			}
		}
		return nil
	}
	body := func(put func([]cell) error) error {
		for _, f := range s.Files {
			if err := put([]cell{
				b.c(f.File, kWrap, ePlain),
				b.c(f.Group, kText, ePlain),
				b.c(f.Unit, kWrap, ePlain),
				b.c(b.datasetLabel(f.Dataset), kText, ePlain),
				b.c(b.labelOr("status_"+f.Status, f.Status), kCenter, ePlain),
				b.c(f.Rows, kCount, ePlain),
				b.c(f.Errors, kCount, ePlain),
				b.c(f.Warnings, kCount, ePlain),
				b.c(f.Reason, kWrap, ePlain),
				b.c(b.lacking(f), kWrap, ePlain),
			}); err != nil {
				return err
			}
		}
		return nil
	}
	return sheetSpec{
		key:      "xlsx_sheet_overview",
		stream:   true,
		cols:     cols,
		top:      top,
		head:     b.headerRow(b.labels("file", "group", "unit", "dataset", "file_status", "rows", "errors", "warnings", "reason", "lacks_columns")...),
		body:     body,
		noFreeze: true,
		setup: func(f *excelize.File, name string, first, last int) error {
			if last < first {
				return nil
			}
			return f.SetConditionalFormat(name, fmt.Sprintf("E%d:E%d", first, last), []excelize.ConditionalFormatOptions{
				equals("E", first, b.label("status_rejected"), b.st.bad),
				equals("E", first, b.label("status_accepted"), b.st.good),
			})
		},
	}
}

// lacking names the breakdowns a file has no column for (reporttext.LacksColumns),
// so that the clerk sees which files the PDF's "Một số tệp không có cột …" means.
func (b *book) lacking(f summary.File) string {
	var labels []string
	for _, dim := range reporttext.LacksColumns(b.cfg, f) {
		if fd := b.cfg.Field(dim); fd != nil {
			labels = append(labels, fd.Label)
		}
	}
	return strings.Join(labels, ", ")
}

// datasetLabel names a dataset: its report label, else the configuration's label.
func (b *book) datasetLabel(code string) string {
	fallback := code
	if d := b.cfg.Dataset(code); d != nil {
		fallback = d.Label
	}
	if code == "" {
		return ""
	}
	return b.labelOr("dataset_"+code, fallback)
}

// parseDate reads an ISO date for an Excel date cell. A list reads a birth date per
// person, twice (measured, then written): a date of digits in their places is made
// without time.Parse, to the same result.
func parseDate(s string) (time.Time, bool) {
	if len(s) == 10 && s[4] == '-' && s[7] == '-' {
		y, okY := digits(s[0:4])
		m, okM := digits(s[5:7])
		d, okD := digits(s[8:10])
		if okY && okM && okD && m >= 1 && m <= 12 && d >= 1 {
			t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
			if t.Day() != d { // a day past the month's end rolled over: refused, as time.Parse does
				return time.Time{}, false
			}
			return t, true
		}
	}
	t, err := time.Parse("2006-01-02", s)
	return t, err == nil
}

// digits is the number s writes in decimal digits only.
func digits(s string) (int, bool) {
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

// equals is a conditional format: the row's cell in column col equals text.
func equals(col string, first int, text string, style int) excelize.ConditionalFormatOptions {
	return excelize.ConditionalFormatOptions{
		Type:     "formula",
		Criteria: fmt.Sprintf(`$%s%d=%s`, col, first, quote(text)),
		Format:   &style,
	}
}

// quote makes a string literal of an Excel formula.
func quote(s string) string {
	out := []byte{'"'}
	for i := 0; i < len(s); i++ {
		if s[i] == '"' {
			out = append(out, '"')
		}
		out = append(out, s[i])
	}
	return string(out) + `"`
}
