package xlsxreport

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/unicode/norm"

	"canbo/pipeline/outfile"
	"canbo/pipeline/reporttext"
	"canbo/pipeline/schema"
	"canbo/pipeline/summary"
)

// Write writes the report workbook to path atomically: a reader never sees half a
// file, and on any error an existing file at path is left as it was.
func Write(ctx context.Context, path string, s *summary.Summary, cfg *schema.Config, txt *reporttext.Text) error {
	if err := check(s, cfg, txt); err != nil {
		return err
	}
	err := outfile.Write(path, 0o644, func(w io.Writer) error {
		return Render(ctx, w, s, cfg, txt)
	})
	if err != nil {
		return fmt.Errorf("ghi báo cáo Excel %s: %w", path, err)
	}
	return nil
}

// Render writes the report workbook to w, for a caller that keeps it elsewhere than
// in a file (an e-mail attachment). The workbook goes to w as it is zipped: after an
// error, w may hold part of one, to be thrown away (Write leaves the file as it was).
func Render(ctx context.Context, w io.Writer, s *summary.Summary, cfg *schema.Config, txt *reporttext.Text) error {
	if err := check(s, cfg, txt); err != nil {
		return err
	}
	b := &book{f: excelize.NewFile(), s: s, cfg: cfg, txt: txt, used: map[string]bool{}}
	return b.render(ctx, w, b.build)
}

// render makes the workbook with build and writes it to w.
func (b *book) render(ctx context.Context, w io.Writer, build func(context.Context) error) error {
	defer b.f.Close()
	b.bodies = map[string]*fastBody{}
	if b.maxShared == 0 {
		b.maxShared = maxSharedStrings
	}
	// The package goes to w as it is zipped (bodyZip), not to excelize's buffer,
	// which stays empty.
	b.f.SetZipWriter(func(io.Writer) excelize.ZipWriter { return b.newBodyZip(ctx, w) })
	if err := build(ctx); err != nil {
		return err
	}
	_, err := b.f.WriteTo(io.Discard)
	return err
}

func check(s *summary.Summary, cfg *schema.Config, txt *reporttext.Text) error {
	if s == nil || cfg == nil || txt == nil {
		return errors.New("xlsxreport: thiếu số liệu, cấu hình hoặc nhãn báo cáo")
	}
	return nil
}

// book is the workbook being written.
type book struct {
	f   *excelize.File
	s   *summary.Summary
	cfg *schema.Config
	txt *reporttext.Text
	st  styles

	used   map[string]bool // sheet names taken, folded
	sheets int
	// bodies are the sheet bodies generated into the package as it is zipped, by
	// part name (fastsheet.go); streamBodies writes them through StreamWriter
	// instead, as before, for the test that compares the two.
	bodies       map[string]*fastBody
	streamBodies bool
	maxShared    int // texts the bodies may add to the shared string table: maxSharedStrings, but in a test
}

func (b *book) build(ctx context.Context) error {
	if err := b.f.SetDefaultFont(fontName); err != nil {
		return err
	}
	if err := b.newStyles(); err != nil {
		return fmt.Errorf("xlsxreport: kiểu ô: %w", err)
	}
	paras, err := b.txt.Narrative(b.s, b.cfg)
	if err != nil {
		return err
	}
	specs := []sheetSpec{b.overview(paras), b.targets()}
	if b.hasTrend() {
		specs = append(specs, b.trend())
	}
	specs = append(specs,
		b.structure(false),
		b.structure(true),
		b.training(),
	)
	if b.hasWorkplaces() {
		specs = append(specs, b.workplaces())
	}
	if sp, ok := b.trainees(); ok {
		specs = append(specs, sp)
	}
	if sp, ok := b.movements(); ok {
		specs = append(specs, sp)
	}
	if sp, ok := b.rosterChanges(); ok {
		specs = append(specs, sp)
	}
	specs = append(specs, b.belowStandard(), b.problems())
	for _, sp := range specs {
		if err := b.addSheet(ctx, sp); err != nil {
			return err
		}
	}
	if err := b.formSheetsAdd(ctx); err != nil {
		return err
	}
	b.f.SetActiveSheet(0)
	return b.f.SetDocProps(&excelize.DocProperties{
		Title:    b.label("report_title") + " " + reporttext.Period(b.s.Period),
		Subject:  b.label("report_subject"),
		Creator:  "canbo",
		Language: "vi-VN",
	})
}

// newSheet adds a worksheet named by a label, or by name when it is given: the first
// one renames the new file's default sheet, so sheet positions (which print titles
// refer to) never shift.
func (b *book) newSheet(key, given string) (string, error) {
	if given == "" {
		given = b.label(key)
	}
	name := sheetName(given, b.used)
	b.sheets++
	if b.sheets == 1 {
		return name, b.f.SetSheetName(b.f.GetSheetName(0), name)
	}
	_, err := b.f.NewSheet(name)
	return name, err
}

// Characters Excel refuses in sheet names.
const badSheetChars = `:\/?*[]`

// maxSheetName is Excel's limit on a sheet name's length.
const maxSheetName = 31

// sheetName makes a label a valid, unused sheet name: forbidden characters become
// "-", the name is cut to 31 characters and numbered when already taken.
func sheetName(label string, used map[string]bool) string {
	s := strings.Map(func(r rune) rune {
		if strings.ContainsRune(badSheetChars, r) || r < ' ' {
			return '-'
		}
		return r
	}, label)
	s = strings.TrimSpace(strings.Trim(s, "'"))
	if s == "" {
		s = "-"
	}
	base := truncate(s, maxSheetName)
	name := base
	for i := 2; used[strings.ToLower(name)]; i++ {
		suffix := fmt.Sprintf(" (%d)", i)
		name = truncate(s, maxSheetName-len(suffix)) + suffix
	}
	used[strings.ToLower(name)] = true
	return name
}

func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return strings.TrimSpace(string(r[:n]))
}

// label returns a label, NFC-normalised.
func (b *book) label(key string) string {
	return norm.NFC.String(b.txt.Label(key))
}

// nfc normalises configuration text to NFC, as every text of the report is.
func (b *book) nfc(s string) string {
	return norm.NFC.String(s)
}

// labelOr returns a label if it is defined, else the fallback.
func (b *book) labelOr(key, fallback string) string {
	if len(b.txt.Missing(key)) > 0 {
		return fallback
	}
	return b.label(key)
}

// fill replaces {name} placeholders in a label.
func (b *book) fill(key string, pairs ...string) string {
	for i := range pairs {
		if i%2 == 0 {
			pairs[i] = "{" + pairs[i] + "}"
		}
	}
	return reporttext.Fill(b.label(key), pairs...)
}

// LabelKeys lists every label the Excel report uses, for tests and for checking a
// province's templates.
func LabelKeys() []string {
	return append([]string(nil), labelKeys...)
}

var labelKeys = []string{
	// report.yaml
	"report_title", "report_subject", "period", "as_of", "generated_at", "unit", "group",
	"total", "headcount", "persons", "attendances", "share", "count",
	"section_files", "section_structure", "section_targets", "section_training",
	"section_standards", "section_problems",
	"file", "file_status", "status_accepted", "status_rejected", "status_superseded", "status_ignored",
	"dataset", "dataset_roster", "dataset_training", "sheet", "rows", "errors", "warnings", "reason",
	"target", "population", "threshold", "status", "shortfall", "deadline", "met", "not_met",
	"no_population", "not_computed", "overall", "standard", "missing", "name", "birth_date", "position",
	"training_total", "problem_code", "severity", "severity_error", "severity_warning",
	"cell", "field", "raw", "message",
	// report-xlsx.yaml
	"xlsx_sheet_overview", "xlsx_sheet_targets", "xlsx_sheet_structure", "xlsx_sheet_shares",
	"xlsx_sheet_training", "xlsx_sheet_standards", "xlsx_sheet_problems", "xlsx_footer",
	"xlsx_summary", "xlsx_units_count", "xlsx_files_received", "xlsx_files_used",
	"xlsx_targets_overall", "xlsx_targets_units",
	"xlsx_stt", "xlsx_unit_name", "xlsx_total_col", "xlsx_training_total_col",
	"xlsx_shares_title", "xlsx_shares_note", "xlsx_per_persons", "xlsx_per_attendances", "xlsx_group_top",
	"xlsx_chart_title", "xlsx_no_targets", "xlsx_missing_item", "xlsx_missing_unknown", "xlsx_row",
	"xlsx_no_rows", "xlsx_more_rows", "xlsx_problem_count", "xlsx_cells_more",
	// only when the summary compares with a previous period, or has trends
	"xlsx_previous", "xlsx_previous_headcount", "xlsx_previous_share", "xlsx_share_change",
	"xlsx_met_change", "xlsx_now_met", "xlsx_no_longer_met", "xlsx_target_new",
	"xlsx_sheet_trend", "xlsx_trend_title", "xlsx_trend_note", "xlsx_trend_thresholds",
	"xlsx_trend_threshold_row", "xlsx_trend_chart_title",
}

// titleRowCount is the number of rows titleRows makes.
const titleRowCount = 3

// titleRows is the title block of a table sheet: the title in capitals, then the
// period and as-of date with extra notes, each across ncols columns.
func (b *book) titleRows(ncols int, titleKey string, notes ...string) rowFunc {
	title := strings.ToUpper(b.label(titleKey))
	sub := b.label("period") + ": " + reporttext.Period(b.s.Period) + ". " +
		b.label("as_of") + " " + reporttext.Date(b.s.AsOf) + "."
	for _, n := range notes {
		sub += " " + n
	}
	return func(put func([]cell) error) error {
		if err := put(b.spanRow(ncols, title, b.st.title)); err != nil {
			return err
		}
		if err := put(b.spanRow(ncols, sub, b.st.subtitle)); err != nil {
			return err
		}
		return put(nil)
	}
}

// spanRow is one text across ncols columns.
func (b *book) spanRow(ncols int, text string, style int) []cell {
	cells := make([]cell, ncols)
	cells[0] = cell{v: val(text), style: style, span: ncols}
	for i := 1; i < ncols; i++ {
		cells[i].style = style
	}
	return cells
}

// headerRow is a one-row table header.
func (b *book) headerRow(labels ...string) rowFunc {
	cells := make([]cell, len(labels))
	for i, l := range labels {
		cells[i] = cell{v: val(l), style: b.st.head}
	}
	return func(put func([]cell) error) error { return put(cells) }
}

// labels looks up several labels.
func (b *book) labels(keys ...string) []string {
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = b.label(k)
	}
	return out
}

// listLimit is how many of n list rows fit below row first, and whether some are
// left out (then the last row says how many).
func listLimit(n, first int) (shown int, cut bool) {
	room := excelize.TotalRows - first + 1
	if n <= room {
		return n, false
	}
	return room - 1, true
}

// moreRow is the note that ends a list cut at Excel's row limit.
func (b *book) moreRow(ncols, left int) []cell {
	return b.spanRow(ncols, b.fill("xlsx_more_rows", "n", reporttext.Int(left)), b.st.note)
}
