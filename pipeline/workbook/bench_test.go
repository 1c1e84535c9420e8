package workbook

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/xuri/excelize/v2"
)

var (
	hoTen   = []string{"Nguyễn Văn An", "Trần Thị Bình", "Lê Hoàng Cường", "Phạm Thị Dung", "Hoàng Đức Em", "Vũ Thị Phương", "Đặng Quốc Giang", "Bùi Thị Hạnh"}
	donVi   = []string{"Phòng Tổ chức – Hành chính", "Phòng Tài chính – Kế hoạch", "Văn phòng HĐND và UBND", "Phòng Nội vụ", "UBND xã Tân Lập"}
	chucVu  = []string{"Trưởng phòng", "Phó Trưởng phòng", "Chuyên viên", "Cán sự", "Nhân viên"}
	queQuan = []string{"Xã Đông Hưng, huyện Tiên Lãng, Hải Phòng", "Phường Ngọc Hà, quận Ba Đình, Hà Nội", "Xã Tam Kỳ, huyện Kim Thành, Hải Dương"}
)

// rosterRow is one row of a 20-column personnel roster: strings, dates and numbers in
// the proportions of a real one.
func rosterRow(i, dateStyle int) []any {
	return []any{
		i, hoTen[i%len(hoTen)], excelize.Cell{StyleID: dateStyle, Value: 25000 + i%12000}, []string{"Nam", "Nữ"}[i%2],
		queQuan[i%len(queQuan)], "Kinh", "Không", "Đại học", chucVu[i%len(chucVu)], donVi[i%len(donVi)],
		"01.003", 1 + i%9, 2.34 + float64(i%9)*0.33, excelize.Cell{StyleID: dateStyle, Value: 38000 + i%8000},
		fmt.Sprintf("0%011d", 31000000000+i), fmt.Sprintf("09%08d", i), fmt.Sprintf("cb%d@hanoi.gov.vn", i),
		"", 2000 + i%25, 4_680_000.0 + float64(i%50)*10_000,
	}
}

// writeStreamRoster writes n rows with excelize's StreamWriter (inline strings, the
// way generators produce large files).
func writeStreamRoster(tb testing.TB, path string, n int) {
	f := excelize.NewFile()
	defer f.Close()
	ds, err := f.NewStyle(&excelize.Style{NumFmt: 14})
	must(tb, err)
	sw, err := f.NewStreamWriter("Sheet1")
	must(tb, err)
	for i := 1; i <= n; i++ {
		cell, _ := excelize.CoordinatesToCellName(1, i)
		must(tb, sw.SetRow(cell, rosterRow(i, ds)))
	}
	must(tb, sw.Flush())
	must(tb, f.SaveAs(path))
}

// writeSharedRoster writes n rows with SetCellValue, which uses the shared-string
// table as Excel does.
func writeSharedRoster(tb testing.TB, path string, n int) {
	f := excelize.NewFile()
	defer f.Close()
	ds, err := f.NewStyle(&excelize.Style{NumFmt: 14})
	must(tb, err)
	for i := 1; i <= n; i++ {
		for j, v := range rosterRow(i, ds) {
			cell, _ := excelize.CoordinatesToCellName(j+1, i)
			if c, ok := v.(excelize.Cell); ok {
				must(tb, f.SetCellValue("Sheet1", cell, c.Value))
				must(tb, f.SetCellStyle("Sheet1", cell, cell, c.StyleID))
				continue
			}
			must(tb, f.SetCellValue("Sheet1", cell, v))
		}
	}
	must(tb, f.SaveAs(path))
}

func BenchmarkRows(b *testing.B) {
	dir := b.TempDir()
	stream := filepath.Join(dir, "stream.xlsx")
	shared := filepath.Join(dir, "shared.xlsx")
	writeStreamRoster(b, stream, 100_000)
	writeSharedRoster(b, shared, 20_000)
	b.Run("stream-100k", func(b *testing.B) { benchRead(b, stream, 100_000) })
	b.Run("shared-strings-20k", func(b *testing.B) { benchRead(b, shared, 20_000) })
}

func benchRead(b *testing.B, path string, want int) {
	b.ReportAllocs()
	ctx := context.Background()
	total := 0
	for b.Loop() {
		book, err := Open(ctx, path, Limits{})
		if err != nil {
			b.Fatal(err)
		}
		rows, err := book.Rows(ctx, 0)
		if err != nil {
			b.Fatal(err)
		}
		n, cells := 0, 0
		for rows.Next() {
			n++
			cells += len(rows.Row().Cells)
		}
		if rows.Err() != nil || n != want || cells < 19*want {
			b.Fatalf("%d rows, %d cells, err %v", n, cells, rows.Err())
		}
		rows.Close()
		book.Close()
		total += n
	}
	b.ReportMetric(float64(total)/b.Elapsed().Seconds(), "rows/s")
}

// BenchmarkMerges50k reads a sheet with 50,000 merged ranges (100,000 rows); the merge
// sweep must keep this linear.
func BenchmarkMerges50k(b *testing.B) {
	data := pkg{sheets: []string{manyMerges(50_000)}}.bytes(b)
	b.ReportAllocs()
	for b.Loop() {
		book := mustOpen(b, data, Limits{})
		rows, r := readSheet(b, book, 0)
		if r.Err() != nil || len(rows) != 100_000 {
			b.Fatalf("%d rows, err %v", len(rows), r.Err())
		}
	}
}
