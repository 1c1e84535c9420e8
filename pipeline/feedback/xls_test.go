package feedback

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"canbo/pipeline/issue"
)

// TestWriteFromXLS: an Excel 97-2003 file gets a feedback workbook too, holding the
// list of problems with their sheet and cell in the unit's own file.
func TestWriteFromXLS(t *testing.T) {
	src := filepath.Join("..", "workbook", "testdata", "xls", "nghia-ta.xls")
	dst := filepath.Join(t.TempDir(), "UBND xã Nghĩa Tá.xlsx")
	is := issue.New(issue.UnknownValue, "nghia-ta.xls", "DS", 8, 5)
	is.Raw, is.Message = "Bằng A", `Ô E8: "Bằng A" không phải giá trị hợp lệ của "Trình độ chuyên môn".`
	if err := Write(context.Background(), src, dst, []issue.Issue{is}, DefaultLabels()); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenFile(dst)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	found := false
	for _, sh := range f.GetSheetList() {
		rows, _ := f.GetRows(sh)
		for _, r := range rows {
			line := strings.Join(r, "|")
			if strings.Contains(line, "E8") && strings.Contains(line, "Bằng A") {
				found = true
			}
		}
	}
	if !found {
		t.Errorf("the feedback workbook does not list the problem at E8 (sheets %v)", f.GetSheetList())
	}
}
