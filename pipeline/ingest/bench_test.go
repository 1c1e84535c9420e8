package ingest_test

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"canbo/pipeline/ingest"
)

// BenchmarkReadAll reads one generated 10,000-person roster end to end, the way
// `canbo check` does: open, find the header, classify and normalise every row, run the
// cross-row checks and render every message. It reports rows/s.
//
//	go test ./pipeline/ingest -run '^$' -bench ReadAll -benchmem
//
// For many files at once and peak memory, see cmd/canbo-bench.
func BenchmarkReadAll(b *testing.B) {
	const people = 10_000
	path := filepath.Join(b.TempDir(), "UBND xã Thanh Mai.xlsx")
	writeBenchRoster(b, path, people)
	r, cat := reader(b)
	ctx := context.Background()
	b.ReportAllocs()
	rows := 0
	for b.Loop() {
		batch, err := r.ReadAll(ctx, []string{path}, cat)
		if err != nil {
			b.Fatal(err)
		}
		f := batch.Files[0]
		if f.Status != ingest.Accepted || len(f.Records) != people {
			b.Fatalf("%s with %d records, want accepted with %d: %v", f.Status, len(f.Records), people, f.Issues)
		}
		rows += len(f.Records)
	}
	b.ReportMetric(float64(rows)/b.Elapsed().Seconds(), "rows/s")
}

// writeBenchRoster writes a roster laid out as units send them: title block, merged
// two-row header with the birth date under "Nam"/"Nữ", a numbering row, group rows
// every 50 persons, a total row, and one bad value in every 50 rows. It uses
// excelize's StreamWriter, as a large file would be produced.
func writeBenchRoster(tb testing.TB, path string, n int) {
	tb.Helper()
	f := excelize.NewFile()
	defer f.Close()
	check := func(err error) {
		if err != nil {
			tb.Helper()
			tb.Fatal(err)
		}
	}
	sw, err := f.NewStreamWriter("Sheet1")
	check(err)
	row := func(r int, vals ...any) {
		cell, _ := excelize.CoordinatesToCellName(1, r)
		check(sw.SetRow(cell, vals))
	}
	row(1, "UBND XÃ THANH MAI")
	row(2, "DANH SÁCH TRÍCH NGANG CÁN BỘ, CÔNG CHỨC")
	row(3, "(Tính đến ngày 30/09/2023)")
	row(4, "STT", "Họ và tên", "Ngày tháng năm sinh", nil, "Dân tộc", "Chức vụ", "Trình độ", nil, nil, "Đảng viên", "Số CCCD")
	row(5, nil, nil, "Nam", "Nữ", nil, nil, "Chuyên môn", "Lý luận chính trị", "Quản lý nhà nước", nil, nil)
	row(6, "(1)", "(2)", "(3)", "(4)", "(5)", "(6)", "(7)", "(8)", "(9)", "(10)", "(11)")
	for _, m := range [][2]string{{"A4", "A5"}, {"B4", "B5"}, {"C4", "D4"}, {"E4", "E5"}, {"F4", "F5"}, {"G4", "I4"}, {"J4", "J5"}, {"K4", "K5"}} {
		check(sw.MergeCell(m[0], m[1]))
	}
	surnames := []string{"Nguyễn", "Trần", "Hoàng", "Nông", "Ma", "Triệu", "Bàn", "Lục", "Hà", "Lý"}
	given := []string{"Văn Thành", "Thị Lan", "Văn Hùng", "Thị Mai", "Đình Quân", "Thị Nga", "Văn Long", "Thị Hương"}
	ethnic := []string{"Tày", "Kinh", "Dao", "Nùng", "Mông"}
	edu := []string{"Đại học", "ĐH", "Thạc sĩ", "Cao đẳng", "Trung cấp"}
	pol := []string{"Sơ cấp", "Trung cấp", "Cao cấp", "Chưa"}
	qlnn := []string{"Chuyên viên", "CV", "Chuyên viên chính", "Chưa"}
	r := 7
	for i := 0; i < n; i++ {
		if i%50 == 0 {
			row(r, nil, fmt.Sprintf("Khối %d:", i/50+1))
			r++
		}
		birth := time.Date(1965+i%35, time.Month(1+i%12), 1+i%28, 0, 0, 0, 0, time.UTC).Format("02/01/2006")
		var male, female any = birth, nil
		if i%5 < 2 {
			male, female = nil, birth
		}
		e := edu[i%len(edu)]
		if i%50 == 7 {
			e = "Bằng A" // an unknown value: an issue to render
		}
		party := ""
		if i%7 != 0 {
			party = "x"
		}
		row(r, i+1, surnames[i%len(surnames)]+" "+given[(i/len(surnames))%len(given)], male, female, ethnic[i%len(ethnic)],
			"Công chức", e, pol[i%len(pol)], qlnn[i%len(qlnn)], party, fmt.Sprintf("006%d%02d%06d", i%2, (65+i%35)%100, i))
		r++
	}
	row(r, nil, fmt.Sprintf("Tổng cộng: %d người", n))
	check(sw.Flush())
	check(f.SaveAs(path))
}
