package report_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"canbo/pipeline/internal/sheettest"
	"canbo/pipeline/report"
	"canbo/pipeline/rules"
	"canbo/pipeline/summary"
)

// changesUnits is a small units.yaml: one district and four communes, so a move
// from the district to a commune is told as "xuống cấp dưới".
const changesUnits = `levels:
  - code: huyen
    name: Cấp huyện
  - code: xa
    name: Xã
units:
  - name: UBND huyện Kế Sách
    level: huyen
  - name: UBND xã An Bình
    level: xa
  - name: UBND xã Châu Thành
    level: xa
  - name: UBND xã Long Phú
    level: xa
`

// changesRoster writes a unit's roster as of asOf: name, ID number, birth date.
func changesRoster(t *testing.T, dir, title, asOf string, people ...[3]string) {
	t.Helper()
	rows := [][]any{{title}, {"(Tính đến ngày " + asOf + ")"}, {},
		{"STT", "Họ và tên", "Số định danh cá nhân", "Ngày sinh", "Giới tính", "Trình độ chuyên môn"}}
	for i, p := range people {
		var id any
		if p[1] != "" {
			id = p[1]
		}
		rows = append(rows, []any{i + 1, p[0], id, p[2], "Nam", "Đại học"})
	}
	sheettest.Write(t, dir, title+".xlsx", sheettest.Sheet{Name: "DS", Rows: rows})
}

// TestRosterChanges: two months of rosters, the second compared with the first
// (canbo run --previous). One person left, one joined, one moved from the district
// down to a commune, one kept the ID number with another birth date (unsure, not
// counted as a change), two namesakes told apart by birth date stay where they
// were; a unit that sent only last month and one that sent only this month are
// listed as not compared and their people are neither joined nor left. summary.json,
// the Excel sheet and the PDF body say so.
func TestRosterChanges(t *testing.T) {
	prev, cur := t.TempDir(), t.TempDir()
	changesRoster(t, prev, "UBND HUYỆN KẾ SÁCH", "31/08/2023",
		[3]string{"Lê Văn Cường", "094082000005", "05/05/1982"}, [3]string{"Hoàng Văn Em", "094090000007", "07/07/1990"})
	changesRoster(t, prev, "UBND XÃ AN BÌNH", "31/08/2023",
		[3]string{"Nguyễn Văn An", "094080000001", "01/01/1980"},
		[3]string{"Nguyễn Văn Nam", "", "02/02/1980"}, [3]string{"Nguyễn Văn Nam", "", "03/03/1990"},
		[3]string{"Trần Thị Bình", "094185000004", "04/04/1985"},
		[3]string{"Phạm Thị Dung", "094175000006", "06/06/1975"})
	changesRoster(t, prev, "UBND XÃ CHÂU THÀNH", "31/08/2023",
		[3]string{"Đỗ Văn Giang", "", "08/08/1988"}, [3]string{"Vũ Thị Hà", "", "09/09/1992"})
	changesRoster(t, cur, "UBND HUYỆN KẾ SÁCH", "30/09/2023", [3]string{"Hoàng Văn Em", "094090000007", "07/07/1990"})
	changesRoster(t, cur, "UBND XÃ AN BÌNH", "30/09/2023",
		[3]string{"Nguyễn Văn An", "094080000001", "01/01/1980"},
		[3]string{"Nguyễn Văn Nam", "", "03/03/1990"}, [3]string{"Nguyễn Văn Nam", "", "02/02/1980"},
		[3]string{"Phạm Thị Dung", "094175000006", "07/06/1975"},
		[3]string{"Ngô Văn Khánh", "094095000011", "11/11/1995"},
		[3]string{"Lê Văn Cường", "094082000005", "05/05/1982"})
	changesRoster(t, cur, "UBND XÃ LONG PHÚ", "30/09/2023", [3]string{"Mai Văn Lâm", "", "12/12/1991"})

	tl := tools(t)
	tl.Config = sheettest.ConfigWithUnits(t, changesUnits)
	set, err := rules.Compile(tl.Config)
	if err != nil {
		t.Fatal(err)
	}
	tl.Rules = set
	out := t.TempDir()
	res, err := report.Run(context.Background(), tl, report.Options{Inputs: []string{cur}, Out: out, Period: "2023-09",
		NoFeedback: true, Previous: &report.Previous{Inputs: []string{prev}},
		Now: func() time.Time { return time.Date(2023, 10, 2, 7, 0, 0, 0, time.UTC) }})
	if err != nil {
		t.Fatal(err)
	}
	rc := res.Summary.RosterChanges
	if rc == nil {
		t.Fatal("no roster_changes")
	}
	want := &summary.RosterChanges{Previous: "2023-08", Joined: 1, Left: 1, Moved: 1,
		MovedByDirection: map[string]int{"xuong": 1, "ngang": 0, "len": 0, "chua_xac_dinh": 0}, Unsure: 1,
		UnitsNotCompared: []summary.UnitNotCompared{
			{Unit: "UBND xã Long Phú", Missing: summary.MissingPrevious, People: 1},
			{Unit: "UBND xã Châu Thành", Missing: summary.MissingThis, People: 2},
		},
		List: []summary.RosterChange{
			{Change: "moved", Name: "Lê Văn Cường", BirthDate: "1982-05-05", FromUnit: "UBND huyện Kế Sách", FromLevel: "huyen",
				ToUnit: "UBND xã An Bình", ToLevel: "xa", Direction: "xuong", File: "UBND XÃ AN BÌNH.xlsx", Row: 10,
				PreviousFile: "UBND HUYỆN KẾ SÁCH.xlsx", PreviousRow: 5},
			{Change: "joined", Name: "Ngô Văn Khánh", BirthDate: "1995-11-11", ToUnit: "UBND xã An Bình", ToLevel: "xa",
				File: "UBND XÃ AN BÌNH.xlsx", Row: 9},
			{Change: "left", Name: "Trần Thị Bình", BirthDate: "1985-04-04", FromUnit: "UBND xã An Bình", FromLevel: "xa",
				File: "UBND XÃ AN BÌNH.xlsx", Row: 8},
			{Change: "unsure", Name: "Phạm Thị Dung", BirthDate: "1975-06-07", FromUnit: "UBND xã An Bình", FromLevel: "xa",
				ToUnit: "UBND xã An Bình", ToLevel: "xa", Reason: "birth_date_changed", File: "UBND XÃ AN BÌNH.xlsx", Row: 8,
				PreviousFile: "UBND XÃ AN BÌNH.xlsx", PreviousRow: 9},
		}}
	if !reflect.DeepEqual(rc, want) {
		t.Errorf("roster_changes\n got %+v\nwant %+v", *rc, *want)
	}

	// The Excel sheet lists the same people, and its title names the units not compared.
	var xlsx, pdf string
	for _, w := range res.Written {
		switch filepath.Ext(w) {
		case ".xlsx":
			xlsx = w
		case ".pdf":
			pdf = w
		}
	}
	f, err := excelize.OpenFile(xlsx)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows("Biến động so với kỳ trước")
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Join(flatten(rows), "|")
	for _, s := range []string{
		"So với kỳ 08/2023: tăng 1, giảm 1, chuyển đơn vị 1 (xuống cấp dưới 1, cùng cấp 0, lên cấp trên 0); chưa chắc chắn 1",
		"UBND xã Châu Thành: chưa gửi danh sách kỳ này; 2 người kỳ trước không tính là giảm.",
		"UBND xã Long Phú: chưa gửi danh sách kỳ trước; 1 người không tính là tăng.",
		"Chuyển đơn vị|Lê Văn Cường|05/05/1982|UBND huyện Kế Sách|UBND xã An Bình|Xuống cấp dưới",
		"Tăng|Ngô Văn Khánh", "Giảm|Trần Thị Bình",
		"Chưa chắc chắn|Phạm Thị Dung|07/06/1975|UBND xã An Bình|UBND xã An Bình|Cùng số định danh, khác ngày sinh",
	} {
		if !strings.Contains(text, s) {
			t.Errorf("sheet lacks %q:\n%s", s, text)
		}
	}
	if n := len(rows); n < 4 || !strings.Contains(strings.Join(rows[n-1], "|"), "Phạm Thị Dung") {
		t.Errorf("the last row should be the unsure one: %v", rows)
	}

	// The PDF body says it in one sentence.
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext (poppler-utils) is not installed")
	}
	b, err := exec.Command("pdftotext", pdf, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	body := strings.Join(strings.Fields(string(b)), " ")
	for _, s := range []string{
		"So với danh sách kỳ 08/2023: tăng 1 người, giảm 1 người, chuyển đơn vị 1 người (từ cấp trên xuống cấp dưới 1, cùng cấp 0, lên cấp trên 0); 1 trường hợp chưa chắc chắn cần kiểm tra.",
		"Chưa so sánh được các đơn vị chưa gửi danh sách kỳ này: UBND xã Châu Thành.",
		"Chưa so sánh được các đơn vị chưa gửi danh sách kỳ trước: UBND xã Long Phú.",
	} {
		if !strings.Contains(body, s) {
			t.Errorf("PDF lacks %q:\n%s", s, body)
		}
	}
}

// TestRosterChangesNotAsked: without a previous period the report has no
// roster_changes, no sheet and no sentence.
func TestRosterChangesNotAsked(t *testing.T) {
	cur := t.TempDir()
	changesRoster(t, cur, "UBND XÃ AN BÌNH", "30/09/2023", [3]string{"Nguyễn Văn An", "094080000001", "01/01/1980"})
	res, err := report.Run(context.Background(), tools(t), report.Options{Inputs: []string{cur}, Out: t.TempDir(),
		Period: "2023-09", NoFeedback: true, Now: func() time.Time { return time.Date(2023, 10, 2, 7, 0, 0, 0, time.UTC) }})
	if err != nil {
		t.Fatal(err)
	}
	if res.Summary.RosterChanges != nil {
		t.Errorf("roster_changes without a previous period: %+v", res.Summary.RosterChanges)
	}
	js, err := os.ReadFile(filepath.Join(res.Dir, "summary.json"))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(js), "roster_changes") {
		t.Error("summary.json has roster_changes without a previous period")
	}
	f, err := excelize.OpenFile(filepath.Join(res.Dir, "bao-cao-"+res.Summary.ReportName()+".xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if i, _ := f.GetSheetIndex("Biến động so với kỳ trước"); i >= 0 {
		t.Error("the sheet is there without a previous period")
	}
}

func flatten(rows [][]string) []string {
	var out []string
	for _, r := range rows {
		out = append(out, strings.Join(r, "|"))
	}
	return out
}
