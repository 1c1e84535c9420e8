package workbook

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
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

// rosterSheet is a worksheet shaped like the rosters canbo-bench generates: a title
// block and a two-row header joined by merged ranges, then n people in 11 columns of
// inline strings (the way generators write them), with an empty styled cell among
// them. With shared, the strings are shared-string indexes instead.
func rosterSheet(n int, shared bool) string {
	var b strings.Builder
	b.WriteString(`<row r="1"><c r="A1" s="1" t="inlineStr"><is><t>UBND HUYỆN CHỢ ĐỒN</t></is></c><c r="B1" s="1"></c><c r="F1" s="1" t="inlineStr"><is><t>CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</t></is></c></row>`)
	b.WriteString(`<row r="7"><c r="A7" s="2" t="inlineStr"><is><t>STT</t></is></c><c r="B7" s="2" t="inlineStr"><is><t>Họ và tên</t></is></c><c r="C7" s="2" t="inlineStr"><is><t>Ngày sinh</t></is></c></row>`)
	b.WriteString(`<row r="8"><c r="C8" s="2" t="inlineStr"><is><t>Nam</t></is></c><c r="D8" s="2" t="inlineStr"><is><t>Nữ</t></is></c></row>`)
	for i := 0; i < n; i++ {
		r := i + 11
		fmt.Fprintf(&b, `<row r="%d"><c r="A%d" s="3"><v>%d</v></c>`, r, r, i+1)
		texts := []string{hoTen[i%len(hoTen)], fmt.Sprintf("%02d/%02d/%d", 1+i%28, 1+i%12, 1960+i%40), "", "Kinh",
			chucVu[i%len(chucVu)], "Đại học", "Trung cấp", "Chưa", "x", fmt.Sprintf("0060%08d", i)}
		for j, t := range texts {
			col := string(rune('B' + j))
			switch {
			case t == "":
				fmt.Fprintf(&b, `<c r="%s%d" s="3"></c>`, col, r)
			case shared:
				fmt.Fprintf(&b, `<c r="%s%d" s="3" t="s"><v>%d</v></c>`, col, r, (i+j)%7)
			default:
				fmt.Fprintf(&b, `<c r="%s%d" s="3" t="inlineStr"><is><t>%s</t></is></c>`, col, r, t)
			}
		}
		b.WriteString(`</row>`)
	}
	return ws(b.String(), `<mergeCells count="4"><mergeCell ref="A1:E1"/><mergeCell ref="F1:K1"/><mergeCell ref="A7:A8"/><mergeCell ref="C7:D7"/></mergeCells>`)
}

// BenchmarkRowsStored reads a 50,000-person roster from an uncompressed package, so
// that the XML scanning and row building are measured without inflate.
func BenchmarkRowsStored(b *testing.B) {
	for _, shared := range []bool{false, true} {
		name, sst := "inline", ""
		if shared {
			name, sst = "shared", sstOf("<t>a</t>", "<t>b</t>", "<t>c</t>", "<t>d</t>", "<t>e</t>", "<t>f</t>", "<t>g</t>")
		}
		data := pkg{sheets: []string{rosterSheet(50_000, shared)}, sst: sst, stored: true}.bytes(b)
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				book := mustOpen(b, data, Limits{})
				rows, err := book.Rows(context.Background(), 0)
				if err != nil {
					b.Fatal(err)
				}
				n := 0
				for rows.Next() {
					n++
				}
				if rows.Err() != nil || n != 50_003 {
					b.Fatalf("%d rows, err %v", n, rows.Err())
				}
				book.Close()
			}
		})
	}
}
