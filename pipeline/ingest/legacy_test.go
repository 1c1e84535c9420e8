package ingest_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"canbo/pipeline/ingest"
	"canbo/pipeline/internal/sheettest"
	"canbo/pipeline/issue"
	"canbo/pipeline/vnlegacy"
)

// in is a cell written in a given font.
type in struct {
	text, font string
}

// writeFonts writes one sheet "DS" whose cells may carry their own font; other cells
// are in Times New Roman.
func writeFonts(t testing.TB, dir, name string, rows [][]any, merges ...string) string {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(f.SetSheetName("Sheet1", "DS"))
	styles := map[string]int{}
	style := func(font string) int {
		if id, ok := styles[font]; ok {
			return id
		}
		id, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Family: font, Size: 12}})
		must(err)
		styles[font] = id
		return id
	}
	for r, row := range rows {
		for c, v := range row {
			if v == nil {
				continue
			}
			ref, _ := excelize.CoordinatesToCellName(c+1, r+1)
			font := "Times New Roman"
			if x, ok := v.(in); ok {
				v, font = x.text, x.font
			}
			must(f.SetCellValue("DS", ref, v))
			must(f.SetCellStyle("DS", ref, ref, style(font)))
		}
	}
	for _, m := range merges {
		a, b, _ := strings.Cut(m, ":")
		must(f.MergeCell("DS", a, b))
	}
	path := filepath.Join(dir, name)
	must(f.SaveAs(path))
	return path
}

// tcvn encodes a row's strings in TCVN3 and gives them a font; other values are kept.
func tcvn(font string, vals ...any) []any {
	out := make([]any, len(vals))
	for i, v := range vals {
		if s, ok := v.(string); ok {
			out[i] = in{vnlegacy.EncodeTCVN3(s, false), font}
			continue
		}
		out[i] = v
	}
	return out
}

var legacyPeople = [][]any{
	{1, "Nguyễn Thị Hương", "05/03/1985", "Nữ", "Đại học", "Tày"},
	{2, "Trần Văn Lực", "12/11/1979", "Nam", "Thạc sĩ", "Kinh"},
	{3, "Hoàng Ngọc Ánh", "01/02/1990", "Nữ", "Cao đẳng", "Nùng"},
	{4, "Lò Văn Páo", "21/06/1988", "Nam", "Trung cấp", "Thái"},
}

var legacyHeader = []any{"STT", "Họ và tên", "Ngày sinh", "Giới tính", "Trình độ chuyên môn", "Dân tộc"}

func readOne(t *testing.T, path string) *ingest.File {
	t.Helper()
	r, cat := reader(t)
	b, err := r.ReadAll(context.Background(), []string{path}, cat)
	if err != nil {
		t.Fatal(err)
	}
	f := b.Files[0]
	if f.Status != ingest.Accepted {
		t.Fatalf("%s: %s %v", f.Name, f.Status, f.Issues)
	}
	return f
}

// checkPeople checks that the four people were read with their values recognised.
func checkPeople(t *testing.T, f *ingest.File) {
	t.Helper()
	cfg := sheettest.Config(t)
	if len(f.Records) != len(legacyPeople) {
		t.Fatalf("%d records, want %d", len(f.Records), len(legacyPeople))
	}
	want := []string{"nu dai_hoc", "nam thac_si", "nu cao_dang", "nam trung_cap"}
	for i, r := range f.Records {
		got := r.Code(cfg.Field("gioi_tinh")) + " " + r.Code(cfg.Field("trinh_do_chuyen_mon"))
		if got != want[i] || r.Value(cfg.Field("ho_ten")).Text != legacyPeople[i][1] {
			t.Errorf("row %d: %q %s, want %q %s", r.Row, r.Value(cfg.Field("ho_ten")).Text, got, legacyPeople[i][1], want[i])
		}
	}
	for _, is := range f.Issues {
		if is.Severity == issue.Error {
			t.Errorf("error: %s", is.Error())
		}
	}
}

func codes(f *ingest.File) map[issue.Code]int { return issue.Count(f.Issues).ByCode }

// TestLegacyTCVN3: a roster typed in TCVN3 throughout (title in .VnTimeH, header and
// data in .VnTime) is read as its Unicode twin: header found, values recognised.
func TestLegacyTCVN3(t *testing.T) {
	dir := t.TempDir()
	rows := [][]any{
		{in{vnlegacy.EncodeTCVN3("UBND XÃ ĐỒNG LẠC", true), ".VnTimeH"}},
		{in{vnlegacy.EncodeTCVN3("DANH SÁCH CÁN BỘ, CÔNG CHỨC", true), ".VnTimeH"}},
		{in{vnlegacy.EncodeTCVN3("(Tính đến ngày 30/09/2023)", false), ".VnTime"}},
		tcvn(".VnTime", legacyHeader...),
	}
	for _, p := range legacyPeople {
		rows = append(rows, tcvn(".VnTime", p...))
	}
	f := readOne(t, writeFonts(t, dir, "tcvn3.xlsx", rows, "A1:F1", "A2:F2"))
	checkPeople(t, f)
	sh := f.Sheets[0]
	if sh.Unit != "UBND xã Đồng Lạc" || sh.UnitSource != "title" || sh.HeaderRows[0] != 4 {
		t.Errorf("unit %q from %s, header %v", sh.Unit, sh.UnitSource, sh.HeaderRows)
	}
	var cols []string
	for _, c := range sh.Converted {
		if c.From != "tcvn3" {
			t.Errorf("conversion %+v", c)
		}
		cols = append(cols, fmt.Sprintf("%s%d", issue.ColumnName(c.Col), c.Cells))
	}
	// A: the three title rows; then each column's header and the cells with a letter
	// outside ASCII (not "Nam", "Kinh" or the dates).
	if got := strings.Join(cols, " "); got != "A3 B5 C1 D3 E5 F4" {
		t.Errorf("converted %s", got)
	}
	if c := codes(f); c[issue.LegacyConverted] != 1 || c[issue.LegacyUnsure] != 0 {
		t.Errorf("issues %v", c)
	}
}

// TestLegacyVNITextOnly: VNI text whose font was changed to a Unicode one is found by
// the text alone.
func TestLegacyVNITextOnly(t *testing.T) {
	dir := t.TempDir()
	var rows [][]any
	for _, r := range append([][]any{legacyHeader}, legacyPeople...) {
		row := make([]any, len(r))
		for i, v := range r {
			if s, ok := v.(string); ok {
				v = vnlegacy.EncodeVNI(s)
			}
			row[i] = v
		}
		rows = append(rows, row)
	}
	f := readOne(t, writeFonts(t, dir, "UBND xã Vni.xlsx", rows))
	checkPeople(t, f)
	if len(f.Sheets[0].Converted) == 0 || f.Sheets[0].Converted[0].From != "vni" {
		t.Errorf("converted %+v", f.Sheets[0].Converted)
	}
}

// TestLegacyTitleOnly: a Unicode table under a title typed in .VnTimeH: only the title
// is converted, the table is left alone.
func TestLegacyTitleOnly(t *testing.T) {
	dir := t.TempDir()
	rows := [][]any{{in{vnlegacy.EncodeTCVN3("UBND XÃ ĐỒNG LẠC", true), ".VnTimeH"}}, legacyHeader}
	rows = append(rows, legacyPeople...)
	f := readOne(t, writeFonts(t, dir, "title.xlsx", rows, "A1:F1"))
	checkPeople(t, f)
	sh := f.Sheets[0]
	if sh.Unit != "UBND xã Đồng Lạc" || len(sh.Converted) != 1 || sh.Converted[0].Col != 1 || sh.Converted[0].Cells != 1 {
		t.Errorf("unit %q, converted %+v", sh.Unit, sh.Converted)
	}
}

// TestLegacyUnicodeInOldFont: a file converted to Unicode that kept its .VnTime font is
// not converted again, nor are Latin-1-only Vietnamese words ("Thái", "Tày").
func TestLegacyUnicodeInOldFont(t *testing.T) {
	dir := t.TempDir()
	var rows [][]any
	for _, r := range append([][]any{legacyHeader}, legacyPeople...) {
		row := make([]any, len(r))
		for i, v := range r {
			if s, ok := v.(string); ok {
				v = in{s, ".VnTime"}
			}
			row[i] = v
		}
		rows = append(rows, row)
	}
	f := readOne(t, writeFonts(t, dir, "UBND xã Cũ.xlsx", rows))
	checkPeople(t, f)
	if len(f.Sheets[0].Converted) != 0 || codes(f)[issue.LegacyConverted] != 0 || codes(f)[issue.LegacyUnsure] != 0 {
		t.Errorf("converted %+v, issues %v", f.Sheets[0].Converted, codes(f))
	}
}

// TestLegacyUnsure: a column whose text is neither TCVN3 nor VNI nor Unicode is left as
// it is and the clerk is warned at its first such cell.
func TestLegacyUnsure(t *testing.T) {
	dir := t.TempDir()
	rows := [][]any{append(legacyHeader, "Ghi chú")}
	notes := []string{"Tr¶ Ñöôøng", "", "Tr¶ Ñöôøng", ""}
	for i, p := range legacyPeople {
		rows = append(rows, append(append([]any{}, p...), notes[i]))
	}
	f := readOne(t, writeFonts(t, dir, "UBND xã Lạ.xlsx", rows))
	checkPeople(t, f)
	var found *issue.Issue
	for i := range f.Issues {
		if f.Issues[i].Code == issue.LegacyUnsure {
			found = &f.Issues[i]
		}
	}
	if found == nil || found.Cell() != "G2" || found.Raw != "Tr¶ Ñöôøng" || found.Severity != issue.Warning || found.Message == "" {
		t.Fatalf("unsure warning: %+v (issues %v)", found, codes(f))
	}
	if len(f.Sheets[0].Converted) != 0 {
		t.Errorf("converted %+v", f.Sheets[0].Converted)
	}
}

// TestLegacyLateRows: columns decided on the first rows are applied to rows far below
// them, and a column with no legacy text in its first rows is still converted where a
// later cell is in a legacy font.
func TestLegacyLateRows(t *testing.T) {
	dir := t.TempDir()
	rows := [][]any{tcvn(".VnTime", append(legacyHeader, "Ghi chó")...)}
	n := 0
	for i := range 60 {
		p := legacyPeople[i%len(legacyPeople)]
		row := tcvn(".VnTime", p...)
		row[0] = i + 1
		row[2] = fmt.Sprintf("%02d/%02d/19%d", 1+i%28, 1+i%12, 60+i%30)
		if i >= 50 { // a note column whose first text comes late
			row = append(row, in{vnlegacy.EncodeTCVN3("Đang học thạc sĩ", false), ".VnTime"})
			n++
		}
		rows = append(rows, row)
	}
	f := readOne(t, writeFonts(t, dir, "late.xlsx", rows))
	if len(f.Records) != 60 {
		t.Fatalf("%d records", len(f.Records))
	}
	cfg := sheettest.Config(t)
	for i, r := range f.Records {
		if got, want := r.Value(cfg.Field("ho_ten")).Text, legacyPeople[i%4][1]; got != want {
			t.Errorf("row %d: %q, want %q", r.Row, got, want)
		}
	}
	late := 0
	for _, c := range f.Sheets[0].Converted {
		if c.Col == 7 {
			late = c.Cells
		}
	}
	if late != n+1 { // the notes and the header
		t.Errorf("column G: %d cells converted, want %d (%+v)", late, n+1, f.Sheets[0].Converted)
	}
}

// TestLegacyBenchRoster: the benchmark's roster (title, two-row merged header, group
// rows every 50 people, a bad value every 50) typed in TCVN3 and in VNI reads exactly as
// the clean one, far below the rows the columns were decided on.
func TestLegacyBenchRoster(t *testing.T) {
	const n = 400
	dir := t.TempDir()
	clean := filepath.Join(dir, "clean", "UBND xã Thanh Mai.xlsx")
	writeBenchRoster(t, mkdir(t, clean), n)
	r, cat := reader(t)
	cb, err := r.ReadAll(context.Background(), []string{clean}, cat)
	if err != nil {
		t.Fatal(err)
	}
	for _, enc := range []vnlegacy.Encoding{vnlegacy.TCVN3, vnlegacy.VNI} {
		path := filepath.Join(dir, enc.String(), "UBND xã Thanh Mai.xlsx")
		writeLegacyBenchRoster(t, mkdir(t, path), n, enc)
		lb, err := r.ReadAll(context.Background(), []string{path}, cat)
		if err != nil {
			t.Fatal(err)
		}
		lf, cf := lb.Files[0], cb.Files[0]
		if len(lf.Records) != n || len(cf.Records) != n {
			t.Fatalf("%s: %d records, clean %d", enc, len(lf.Records), len(cf.Records))
		}
		for i := range lf.Records {
			l, c := lf.Records[i], cf.Records[i]
			if l.Unit != c.Unit || !reflect.DeepEqual(l.Values, c.Values) {
				t.Fatalf("%s row %d: %s %+v\nclean: %s %+v", enc, l.Row, l.Unit, l.Values, c.Unit, c.Values)
			}
		}
		want := codes(cf)
		want[issue.LegacyConverted]++
		if got := codes(lf); !reflect.DeepEqual(got, want) {
			t.Errorf("%s: issues %v, want %v", enc, got, want)
		}
	}
}

func mkdir(t *testing.T, path string) string {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	return path
}
