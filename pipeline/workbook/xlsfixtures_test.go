package workbook

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// The .xls files under testdata/xls were written by LibreOffice ("MS Excel 97" filter)
// from .xlsx files: features.xlsx (built below, committed next to its .xls) and a few
// of the samples (xlsSamplePairs). CI has no LibreOffice, so the tests only read the
// committed files; this test rewrites them when asked:
//
//	CANBO_WRITE_XLS=1 go test ./pipeline/workbook -run TestWriteXLSFixtures
//
// LibreOffice's output is not byte-for-byte reproducible (it stamps dates and ids), so
// the files are only rewritten on request.

// xlsSamplePairs maps converted samples to the .xlsx they came from.
var xlsSamplePairs = map[string]string{
	"nghia-ta.xls":           "cho-don/UBND xã Nghĩa Tá.xlsx",                             // L2: title block, two-row merged header, dates
	"tan-lap.xls":            "cho-don/UBND xã Tân Lập.xlsx",                              // L6: 1904 date system
	"yen-my.xls":             "cho-don/UBND xã Yên Mỹ.xlsx",                               // L7: formulas with cached values, hidden and very hidden sheets
	"phuong-vien.xls":        "cho-don/UBND xã Phương Viên.xlsx",                          // L5: decomposed (NFD) Unicode
	"so-theo-doi.xls":        "cho-don/Phòng Nội vụ - Sổ theo dõi đào tạo 2021-2023.xlsx", // 271 rows, SST across CONTINUE records
	"ban-to-chuc.xls":        "soc-trang/Ban Tổ chức Tỉnh ủy.xlsx",
	"kinh-te-phat-trien.xls": "kon-tum/dai-hoc/Lớp Kinh tế phát triển.xlsx",
}

func TestWriteXLSFixtures(t *testing.T) {
	if os.Getenv("CANBO_WRITE_XLS") == "" {
		t.Skip("set CANBO_WRITE_XLS=1 to rewrite testdata/xls with LibreOffice")
	}
	soffice, err := exec.LookPath("soffice")
	if err != nil {
		t.Skip("LibreOffice (soffice) not installed")
	}
	dir := filepath.Join("testdata", "xls")
	must(t, os.MkdirAll(dir, 0o755))
	must(t, os.WriteFile(filepath.Join(dir, "features.xlsx"), featuresXLSX(t), 0o644))
	convert := func(src, dst string) {
		tmp := t.TempDir()
		in := filepath.Join(tmp, "in.xlsx")
		data, err := os.ReadFile(src)
		must(t, err)
		must(t, os.WriteFile(in, data, 0o644))
		cmd := exec.Command(soffice, "--headless", "--convert-to", "xls:MS Excel 97", "--outdir", tmp, in)
		cmd.Env = append(os.Environ(), "HOME="+tmp) // a private LibreOffice profile
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("soffice: %v\n%s", err, out)
		}
		xls, err := os.ReadFile(filepath.Join(tmp, "in.xls"))
		must(t, err)
		must(t, os.WriteFile(dst, xls, 0o644))
	}
	convert(filepath.Join(dir, "features.xlsx"), filepath.Join(dir, "features.xls"))
	for xls, src := range xlsSamplePairs {
		convert(filepath.Join("..", "..", "samples", src), filepath.Join(dir, xls))
	}
}

// featuresXLSX builds, by hand, an .xlsx with everything the .xls reader must get
// right, so that LibreOffice writes the corresponding BIFF8 records: fonts used by
// legacy Vietnamese encodings (.VnTime, VNI-Times, also in a rich-text run), built-in
// and custom date formats, every kind of value and of cached formula result, hidden
// rows and sheets, merges, long and many strings (so the SST spans CONTINUE records,
// with strings split across them in both compressed and UTF-16 form) and characters
// outside the BMP.
func featuresXLSX(t testing.TB) []byte {
	fonts := []string{"Times New Roman", ".VnTime", "VNI-Times", "Arial", "Times New Roman", "Calibri", "Calibri", "Calibri",
		"Calibri", "Calibri", "Calibri", "Calibri", ".VnTimeH", "Calibri", "Calibri", "Calibri", "Calibri", "Calibri", "Calibri", "Calibri", "Calibri"}
	xfs := []int{0, 0, 0, 14, 164, 22, 20, 45, 165, 10, 49, 1, 0, 18, 19, 21, 46, 47, 15, 16, 17}
	custom := map[int]string{164: "dd/mm/yyyy", 165: `[$-42A]d mmmm yyyy`}
	styles := stylesOf(custom, xfs, fonts)

	var sst []string
	si := func(x string) int { sst = append(sst, x); return len(sst) - 1 }
	tt := func(s string) string { return "<t xml:space=\"preserve\">" + xmlEscape(s) + "</t>" }
	var rows strings.Builder
	row := func(n int, attrs, cells string) {
		fmt.Fprintf(&rows, `<row r="%d"%s>%s</row>`, n, attrs, cells)
	}
	s := func(ref string, style, idx int) string {
		return fmt.Sprintf(`<c r="%s" s="%d" t="s"><v>%d</v></c>`, ref, style, idx)
	}
	num := func(ref string, style int, v string) string {
		return fmt.Sprintf(`<c r="%s" s="%d"><v>%s</v></c>`, ref, style, v)
	}
	row(1, "", s("A1", 0, si(tt("Họ và tên")))+
		s("B1", 0, si(`<r><rPr><rFont val=".VnTime"/></rPr><t>Hïng</t></r><r><t xml:space="preserve"> Hµ Néi</t></r>`))+
		s("C1", 2, si(tt("Nguyeãn Vaên")))+
		s("D1", 1, si(tt("§¹i häc")))+
		s("E1", 12, si(tt("HÅ NéI")))+
		num("F1", 0, "12.5")+
		`<c r="G1" s="0" t="b"><v>1</v></c><c r="H1" s="0" t="e"><v>#N/A</v></c>`+
		`<c r="I1" s="0" t="inlineStr"><is><t>inline</t></is></c>`+
		`<c r="J1" s="0" t="b"><v>0</v></c>`)
	row(2, ` hidden="1"`, num("A2", 3, "29358")+num("B2", 4, "29358")+num("C2", 5, "43831.75")+num("D2", 6, "0.5")+
		num("E2", 7, "0.0125")+num("F2", 8, "45199")+num("G2", 9, "0.8067")+num("H2", 11, "6077361940")+
		num("I2", 0, "-3.25")+num("J2", 0, "0.1")+num("K2", 0, "1E-12")+num("L2", 4, "59")+num("M2", 4, "61")+
		num("N2", 0, "123456789012345")+num("O2", 0, "2.34")+num("P2", 0, "4680000")+num("Q2", 0, "-7")+
		num("R2", 13, "0.75")+num("S2", 14, "0.75")+num("T2", 15, "0.75")+num("U2", 16, "1.25")+num("V2", 17, "0.001")+
		num("W2", 18, "45199")+num("X2", 19, "45199")+num("Y2", 20, "45199"))
	row(3, "", `<c r="A3" s="0"><f>1+1</f><v>2</v></c>`+
		`<c r="B3" s="0" t="str"><f>"ab"&amp;"c"</f><v>abc</v></c>`+
		`<c r="C3" s="0" t="b"><f>TRUE()</f><v>1</v></c>`+
		`<c r="D3" s="0" t="e"><f>1/0</f><v>#DIV/0!</v></c>`+
		`<c r="E3" s="0" t="str"><f>""</f><v></v></c>`+
		`<c r="F3" s="4"><f>B2+1</f><v>29359</v></c>`+
		`<c r="G3" s="0" t="str"><f>"Đảng viên "&amp;"x"</f><v>Đảng viên x</v></c>`+
		`<c r="H3" s="0"><f>0.1*3</f><v>0.30000000000000004</v></c>`)
	row(5, "", s("A5", 0, si(tt("Năm 2021"))))
	row(6, "", s("A6", 0, si(tt("Nhóm")))+s("B6", 0, si(tt("b6"))))
	row(7, "", s("B7", 0, si(tt("b7"))))
	row(8, ` hidden="1"`, s("B8", 0, si(tt("b8"))))
	long := strings.Repeat("Nguyen Van An, xa Nghia Ta; ", 330)   // 9,240 compressed characters
	longVN := strings.Repeat("Nguyễn Văn Ấn, xã Nghĩa Tá; ", 200) // 5,600 UTF-16 characters
	row(10, "", s("A10", 0, si(tt(long)))+s("B10", 0, si(tt(longVN)))+s("C10", 0, si(tt("👍 Tốt 𝔸")))+
		s("D10", 0, si(tt("tab\tand\nnewline"))))
	for i := 0; i < 700; i++ {
		var v string
		switch i % 3 {
		case 0:
			v = fmt.Sprintf("Nguoi so %d - Dang vien", i)
		case 1:
			v = fmt.Sprintf("Người số %d – Đảng viên", i)
		default:
			v = fmt.Sprintf("Cán bộ %d, Chuyên viên chính", i)
		}
		n := 20 + i
		row(n, "", num(fmt.Sprintf("A%d", n), 0, fmt.Sprint(i+1))+s(fmt.Sprintf("B%d", n), i%3, si(tt(v)))+
			num(fmt.Sprintf("C%d", n), 4, fmt.Sprint(25000+i*7)))
	}
	sheet1 := ws(rows.String(), `<mergeCells count="3"><mergeCell ref="A5:C5"/><mergeCell ref="A6:A8"/><mergeCell ref="E10:G12"/></mergeCells>`)

	sheet2 := ws(`<row r="1"><c r="A1" s="0" t="inlineStr"><is><t>Đại học</t></is></c></row><row r="2"><c r="A2" s="0" t="inlineStr"><is><t>Thạc sĩ</t></is></c></row>`, "")
	sheet3 := ws(`<row r="3"><c r="C3" s="0"><v>42</v></c></row>`, "")
	p := pkg{sheets: []string{sheet1, sheet2, sheet3, ws("", "")}, names: []string{"Dữ liệu", "DanhMuc", "Tmp", "Trống"}, sst: sstOf(sst...), styles: styles}
	parts := p.parts()
	for i := range parts {
		switch parts[i].name {
		case "[Content_Types].xml":
			// LibreOffice finds the parts through their content types.
			var b strings.Builder
			b.WriteString(xmlDecl + `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
				`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
				`<Default Extension="xml" ContentType="application/xml"/>` +
				`<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>` +
				`<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>` +
				`<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>`)
			for k := range p.sheets {
				fmt.Fprintf(&b, `<Override PartName="/xl/worksheets/sheet%d.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`, k+1)
			}
			b.WriteString(`</Types>`)
			parts[i].body = b.String()
		case "xl/workbook.xml":
			parts[i].body = strings.Replace(parts[i].body, `<sheet name="DanhMuc"`, `<sheet state="hidden" name="DanhMuc"`, 1)
			parts[i].body = strings.Replace(parts[i].body, `<sheet name="Tmp"`, `<sheet state="veryHidden" name="Tmp"`, 1)
		}
	}
	return zipOf(t, false, parts...)
}

// writeXLSRoster writes n rows of rosterRow as an .xls with the test writer, the way
// Excel lays one out: ROW records in blocks of 32, then the cells of those rows, with
// strings in the shared-string table (split into CONTINUE records), integers as RK and
// dates as NUMBER records with a date format.
func writeXLSRoster(tb testing.TB, path string, n int) {
	var sst []sstEntry
	index := map[string]int{}
	str := func(s string) int {
		i, ok := index[s]
		if !ok {
			i = len(sst)
			index[s] = i
			sst = append(sst, sstEntry{text: s})
		}
		return i
	}
	var recs []byte
	for start := 1; start <= n; start += 32 {
		end := min(start+31, n)
		for i := start; i <= end; i++ {
			recs = append(recs, rowRec(i-1, false)...)
		}
		for i := start; i <= end; i++ {
			for col, v := range rosterRow(i, 1) {
				switch v := v.(type) {
				case int:
					recs = append(recs, rkRec(i-1, col, 0, uint32(v)<<2|2)...)
				case float64:
					recs = append(recs, numberRec(i-1, col, 0, v)...)
				case string:
					recs = append(recs, labelSST(i-1, col, 0, str(v))...)
				case excelize.Cell:
					recs = append(recs, numberRec(i-1, col, 1, float64(v.Value.(int)))...)
				default:
					tb.Fatalf("value %T", v)
				}
			}
		}
	}
	spec := xlsBookSpec{
		fonts:  []string{"Times New Roman"},
		xfs:    [][2]int{{0, 0}, {0, 14}},
		sst:    sstRecords(sst, 8224),
		sheets: []xlsSheetSpec{{name: "Sheet1", records: recs}},
	}
	must(tb, os.WriteFile(path, oleWith("Workbook", spec.stream()), 0o644))
}

// BenchmarkXLS reads a 10,000-row roster as .xls: written by the test writer, and (when
// LibreOffice is installed) the same roster as .xlsx converted by LibreOffice; the
// .xlsx itself is read for comparison.
func BenchmarkXLS(b *testing.B) {
	dir := b.TempDir()
	writer := filepath.Join(dir, "writer.xls")
	writeXLSRoster(b, writer, 10_000)
	xlsx := filepath.Join(dir, "roster.xlsx")
	writeSharedRoster(b, xlsx, 10_000)
	b.Run("writer-10k", func(b *testing.B) { benchRead(b, writer, 10_000) })
	b.Run("xlsx-10k", func(b *testing.B) { benchRead(b, xlsx, 10_000) })
	soffice, err := exec.LookPath("soffice")
	if err != nil {
		return
	}
	out, err := exec.Command(soffice, "--headless", "--convert-to", "xls:MS Excel 97", "--outdir", dir, xlsx).CombinedOutput()
	if err != nil {
		b.Fatalf("soffice: %v\n%s", err, out)
	}
	b.Run("libreoffice-10k", func(b *testing.B) { benchRead(b, filepath.Join(dir, "roster.xls"), 10_000) })
}
