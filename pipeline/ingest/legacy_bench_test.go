package ingest_test

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"canbo/pipeline/ingest"
	"canbo/pipeline/vnlegacy"
)

// BenchmarkReadAllLegacy is BenchmarkReadAll on the same 10,000-person roster typed in
// TCVN3 (.VnTime, title in .VnTimeH) and in VNI (VNI-Times): the cost of finding and
// converting the legacy text, to compare with the clean file.
//
//	go test ./pipeline/ingest -run '^$' -bench 'ReadAll' -benchmem -count 5
func BenchmarkReadAllLegacy(b *testing.B) {
	for _, enc := range []vnlegacy.Encoding{vnlegacy.TCVN3, vnlegacy.VNI} {
		b.Run(enc.String(), func(b *testing.B) {
			const people = 10_000
			path := filepath.Join(b.TempDir(), "UBND xã Thanh Mai.xlsx")
			writeLegacyBenchRoster(b, path, people, enc)
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
				if f.Status != ingest.Accepted || len(f.Records) != people || len(f.Sheets[0].Converted) == 0 {
					b.Fatalf("%s with %d records, converted %v: %v", f.Status, len(f.Records), f.Sheets[0].Converted, f.Issues)
				}
				rows += len(f.Records)
			}
			b.ReportMetric(float64(rows)/b.Elapsed().Seconds(), "rows/s")
		})
	}
}

// writeLegacyBenchRoster writes writeBenchRoster's roster (same rows, same values) with
// every text cell in a legacy encoding and font.
func writeLegacyBenchRoster(tb testing.TB, path string, n int, enc vnlegacy.Encoding) {
	tb.Helper()
	f := excelize.NewFile()
	defer f.Close()
	check := func(err error) {
		if err != nil {
			tb.Helper()
			tb.Fatal(err)
		}
	}
	font, capsFont := ".VnTime", ".VnTimeH"
	if enc == vnlegacy.VNI {
		font, capsFont = "VNI-Times", "VNI-Times"
	}
	body, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Family: font, Size: 12}})
	check(err)
	caps, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Family: capsFont, Size: 12, Bold: true}})
	check(err)
	sw, err := f.NewStreamWriter("Sheet1")
	check(err)
	encode := func(v any, upper bool) any {
		s, ok := v.(string)
		if !ok {
			return v
		}
		st := body
		switch {
		case enc == vnlegacy.VNI:
			s = vnlegacy.EncodeVNI(s)
		case upper:
			s, st = vnlegacy.EncodeTCVN3(s, true), caps
		default:
			s = vnlegacy.EncodeTCVN3(s, false)
		}
		return excelize.Cell{StyleID: st, Value: s}
	}
	row := func(r int, upper bool, vals ...any) {
		for i, v := range vals {
			vals[i] = encode(v, upper)
		}
		cell, _ := excelize.CoordinatesToCellName(1, r)
		check(sw.SetRow(cell, vals))
	}
	row(1, true, "UBND XÃ THANH MAI")
	row(2, true, "DANH SÁCH TRÍCH NGANG CÁN BỘ, CÔNG CHỨC")
	row(3, false, "(Tính đến ngày 30/09/2023)")
	row(4, false, "STT", "Họ và tên", "Ngày tháng năm sinh", nil, "Dân tộc", "Chức vụ", "Trình độ", nil, nil, "Đảng viên", "Số CCCD")
	row(5, false, nil, nil, "Nam", "Nữ", nil, nil, "Chuyên môn", "Lý luận chính trị", "Quản lý nhà nước", nil, nil)
	row(6, false, "(1)", "(2)", "(3)", "(4)", "(5)", "(6)", "(7)", "(8)", "(9)", "(10)", "(11)")
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
			row(r, false, nil, fmt.Sprintf("Khối %d:", i/50+1))
			r++
		}
		birth := time.Date(1965+i%35, time.Month(1+i%12), 1+i%28, 0, 0, 0, 0, time.UTC).Format("02/01/2006")
		var male, female any = birth, nil
		if i%5 < 2 {
			male, female = nil, birth
		}
		e := edu[i%len(edu)]
		if i%50 == 7 {
			e = "Bằng A"
		}
		party := ""
		if i%7 != 0 {
			party = "x"
		}
		row(r, false, i+1, surnames[i%len(surnames)]+" "+given[(i/len(surnames))%len(given)], male, female, ethnic[i%len(ethnic)],
			"Công chức", e, pol[i%len(pol)], qlnn[i%len(qlnn)], party, fmt.Sprintf("006%d%02d%06d", i%2, (65+i%35)%100, i))
		r++
	}
	row(r, false, nil, fmt.Sprintf("Tổng cộng: %d người", n))
	check(sw.Flush())
	check(f.SaveAs(path))
}
