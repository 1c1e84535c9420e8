package docxreport

import (
	"bytes"
	"context"
	"errors"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/unicode/norm"

	"canbo/pipeline/document"
	"canbo/pipeline/document/doctest"
	"canbo/pipeline/summary"
)

// issued is the date of issue the tests print: 1 October 2023, 08:00 in Vietnam.
var issued = time.Date(2023, 10, 1, 1, 0, 0, 0, time.UTC)

// samplesDocx writes the samples' report and reads it back.
func samplesDocx(t *testing.T) (*readDoc, string) {
	t.Helper()
	cfg, txt := doctest.Load(t)
	path := filepath.Join(t.TempDir(), "2023-09", "bao-cao-2023-09.docx")
	if err := Write(context.Background(), path, doctest.Samples(t), cfg, txt, issued); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return readDocx(t, data), path
}

// TestSamples reads the samples' report back: the header, title, body headings and
// sentences, every table's header row and known cells (the figures pinned by
// pipeline/report's golden summary and pdfreport's tests), the font, the signature
// block and Nơi nhận.
func TestSamples(t *testing.T) {
	d, _ := samplesDocx(t)
	text := d.text()

	t.Run("header and title", func(t *testing.T) {
		for _, want := range []string{"UBND TỈNH SÓC TRĂNG", "SỞ NỘI VỤ", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
			"Độc lập - Tự do - Hạnh phúc", "Số:      /BC-SNV", "Sóc Trăng, ngày 01 tháng 10 năm 2023"} {
			if !strings.Contains(text, want+"\n") {
				t.Errorf("no paragraph %q", want)
			}
		}
		var titles []string
		for _, p := range d.paras {
			if p.style == "Title" {
				titles = append(titles, p.text)
			}
		}
		if len(titles) < 2 || titles[0] != "BÁO CÁO" || !strings.HasSuffix(titles[1], "tháng 9 năm 2023") {
			t.Errorf("title paragraphs %q", titles[:min(len(titles), 2)])
		}
		if !strings.Contains(d.xml, `<w:u w:val="single"/>`) {
			t.Error("the motto is not underlined")
		}
	})

	t.Run("body", func(t *testing.T) {
		var headings []string
		for _, p := range d.paras {
			if p.style == "Heading1" || p.style == "Heading2" {
				headings = append(headings, p.text)
			}
		}
		if strings.Join(headings, "|") != "I. Tình hình đội ngũ và kết quả thực hiện chỉ tiêu|1. Tình hình đội ngũ|2. Kết quả thực hiện chỉ tiêu|II. Đánh giá|III. Phương hướng, kiến nghị" {
			t.Errorf("headings %q", headings)
		}
		for _, want := range []string{
			"tổng số cán bộ, công chức, viên chức của 133 đơn vị là 2.370 người", // with samples/muong-cha: 25 units, 644 people, 1,218 attendances
			"Huyện Chợ Đồn: 388 người (16,37%); trình độ chuyên môn: thạc sĩ 3 (0,77%), đại học 313 (80,67%)",
			"Về đào tạo, bồi dưỡng: 4.110 lượt người",
			"không có số liệu về quản lý nhà nước",
			"Còn xa chỉ tiêu",
			"cử thêm 16 người đi đào tạo sau đại học",
			"đạt 70,00% (35/50 người), chỉ tiêu đề ra 70%",
			"mới đạt 47,83% (22/46 người), chỉ tiêu đề ra 50%, còn thiếu 1 người",
			"số liệu chi tiết tại các phụ lục kèm theo./.",
		} {
			if !strings.Contains(text, want) {
				t.Errorf("the body lacks %q", want)
			}
		}
		// The office edits the Word file: the groups by their names, a column the
		// files lack said so, never a folder or "chưa xác định 100%".
		for _, no := range []string{"cho-don", "kon-tum", "dai-hoc", "loi-mau", "soc-trang", "chưa xác định 218 (100,00%)"} {
			if strings.Contains(text, no) {
				t.Errorf("the Word file says %q", no)
			}
		}
		for _, p := range d.paras {
			if p.style == "Heading2" && !strings.HasPrefix(p.text, "1. ") && !strings.HasPrefix(p.text, "2. ") {
				t.Errorf("a part of a section %q", p.text)
			}
			if strings.HasPrefix(p.text, "Tính đến ngày") && p.style != "BodyText" {
				t.Errorf("a body paragraph in style %q", p.style)
			}
		}
	})

	t.Run("tables", func(t *testing.T) {
		cfg, txt := doctest.Load(t)
		m, err := document.Build(context.Background(), doctest.Samples(t), cfg, txt, issued, newMeasurer())
		if err != nil {
			t.Fatal(err)
		}
		// Every table of the model, in order, with its header row(s) repeated and its
		// column titles as the model has them.
		var want []*document.Table
		for _, b := range m.Body {
			if b.Kind == document.KindTable {
				want = append(want, b.Table)
			}
		}
		for _, a := range m.Appendices {
			for _, b := range a.Blocks {
				if b.Kind == document.KindTable {
					want = append(want, b.Table)
				}
			}
		}
		var got []readTable
		for _, tb := range d.tables {
			if len(tb.header) > 0 && tb.header[0] {
				got = append(got, tb)
			}
		}
		if len(got) != len(want) || len(want) < 8 {
			t.Fatalf("%d tables with a repeated header, the model has %d", len(got), len(want))
		}
		for i, mt := range want {
			g := got[i]
			var head []string // the titles as laid out: spans and free columns, then the columns under spans
			heads := 1
			if len(mt.Spans) > 0 {
				heads = 2
			}
			for r := 0; r < heads; r++ {
				if !g.header[r] {
					t.Errorf("table %d (%s): header row %d does not repeat", i+1, mt.Caption, r+1)
				}
				head = append(head, g.rows[r]...)
			}
			for _, c := range mt.Cols {
				if !contains(head, c.Title) {
					t.Errorf("table %d (%s): no header cell %q in %q", i+1, mt.Caption, c.Title, head)
				}
			}
			for _, s := range mt.Spans {
				if !contains(g.rows[0], s.Title) {
					t.Errorf("table %d (%s): no span %q", i+1, mt.Caption, s.Title)
				}
			}
			if len(g.rows)-heads != len(mt.Rows) {
				t.Errorf("table %d (%s): %d body rows, the model has %d", i+1, mt.Caption, len(g.rows)-heads, len(mt.Rows))
			}
		}

		targets := d.find("STT", "Chỉ tiêu")
		if targets == nil {
			t.Fatal("no targets table")
		}
		row := targets.rowOf("Ủy viên Ban Chấp hành Đảng bộ tỉnh có trình độ sau đại học hoặc đang đào tạo sau đại học")
		if strings.Join(row, "|") != "1|Ủy viên Ban Chấp hành Đảng bộ tỉnh có trình độ sau đại học hoặc đang đào tạo sau đại học|50|35|70,00%|70%|Đạt|0|31/12/2025" {
			t.Errorf("target row %q", row)
		}
		row = targets.rowOf("Cán bộ thuộc diện Ban Thường vụ Tỉnh ủy quản lý có trình độ sau đại học hoặc đang đào tạo sau đại học")
		if len(row) < 9 || row[2] != "46" || row[3] != "22" || row[4] != "47,83%" || row[6] != "Chưa đạt" || row[7] != "1" {
			t.Errorf("target row %q", row)
		}
		structure := d.find("STT", "Đơn vị", "Tổng số (người)")
		if structure == nil {
			t.Fatal("no structure table")
		}
		if r := structure.rowOf("UBND xã Nghĩa Tá"); len(r) < 3 || r[2] != "19" {
			t.Errorf("UBND xã Nghĩa Tá: %q, want 19 people", r)
		}
		if r := structure.rowOf("Tổng cộng"); len(r) < 3 || r[2] != "2.370" {
			t.Errorf("total row %q, want 2.370", r)
		}
		if !strings.Contains(d.xml, `<w:vMerge w:val="restart"/>`) || !strings.Contains(d.xml, `<w:gridSpan w:val=`) {
			t.Error("the spans are not merged cells")
		}
		training := d.find("STT", "Loại đào tạo, bồi dưỡng", "Số lượt người")
		if training == nil {
			t.Fatal("no training table")
		}
		if r := training.rowOf("Tổng cộng"); len(r) < 3 || r[2] != "4.110" {
			t.Errorf("training total %q, want 4.110", r)
		}
	})

	t.Run("chart", func(t *testing.T) {
		if !strings.Contains(text, "Biểu đồ: Tỉ lệ thực hiện các chỉ tiêu\n") {
			t.Error("no chart title")
		}
		data, ok := d.parts["word/media/bieu-do-1.png"]
		if !ok {
			t.Fatal("no chart picture")
		}
		if !strings.Contains(string(d.parts["word/_rels/document.xml.rels"]), `Target="media/bieu-do-1.png"`) ||
			!strings.Contains(string(d.parts["[Content_Types].xml"]), `Extension="png"`) || !strings.Contains(d.xml, `<a:blip r:embed="rIdImg1"/>`) {
			t.Error("the picture is not related to the document")
		}
		img, err := png.Decode(bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		// The samples have targets met (green bars) and not met (orange).
		green, orange := 0, 0
		bounds := img.Bounds()
		for y := bounds.Min.Y; y < bounds.Max.Y; y += 2 {
			for x := bounds.Min.X; x < bounds.Max.X; x += 2 {
				switch r, g, b, _ := img.At(x, y).RGBA(); [3]uint32{r >> 8, g >> 8, b >> 8} {
				case [3]uint32{46, 125, 50}:
					green++
				case [3]uint32{239, 140, 0}:
					orange++
				}
			}
		}
		if green < 1000 || orange < 1000 || bounds.Dx() < 1000 {
			t.Errorf("picture %v: %d green and %d orange pixels, want bars of both", bounds, green, orange)
		}
		if !strings.Contains(d.xml, `descr="1. Ủy viên Ban Chấp hành Đảng bộ tỉnh có trình độ sau đại học hoặc đang đào tạo sau đại học: 70,00% (mức chỉ tiêu đề ra 70%)`) {
			t.Error("the picture's description does not give the figures")
		}
	})

	t.Run("styles", func(t *testing.T) {
		st := string(d.parts["word/styles.xml"])
		if !strings.Contains(st, `<w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman"`) || !strings.Contains(st, `<w:sz w:val="28"/>`) {
			t.Error("styles.xml does not set Times New Roman 14 pt")
		}
		if !strings.Contains(st, `w:styleId="Heading1"`) || !strings.Contains(st, `w:styleId="TableGrid"`) {
			t.Error("no heading or table style")
		}
		if !strings.Contains(string(d.parts["docProps/core.xml"]), "<dcterms:created xsi:type=\"dcterms:W3CDTF\">2023-10-01T01:00:00Z<") {
			t.Error("the creation date is not the date of issue")
		}
		// A4, NĐ 30's margins; the appendices of the samples are landscape sections.
		if !strings.Contains(d.xml, `<w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1134" w:right="850" w:bottom="1134" w:left="1701"`) {
			t.Error("no portrait A4 section with margins 20/15/20/30 mm")
		}
		if !strings.Contains(d.xml, `w:orient="landscape"`) {
			t.Error("no landscape section")
		}
		if n := strings.Count(d.xml, "<w:titlePg/>"); n != 1 {
			t.Errorf("%d sections without a page number on their first page, want 1 (page 1)", n)
		}
	})

	t.Run("signature", func(t *testing.T) {
		i := strings.Index(text, "Nơi nhận:\n")
		if i < 0 {
			t.Fatal("no Nơi nhận")
		}
		sig := text[i:]
		if j := strings.Index(sig, "Phụ lục I\n"); j > 0 {
			sig = sig[:j]
		}
		for _, want := range []string{"- UBND tỉnh (để báo cáo);", "- Lưu: VT, CCVC.", "KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Nguyễn Văn An"} {
			if !strings.Contains(sig, want+"\n") {
				t.Errorf("the signature block lacks %q:\n%s", want, sig)
			}
		}
	})
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// TestDeterministic: the same input gives the same bytes.
func TestDeterministic(t *testing.T) {
	cfg, txt := doctest.Load(t)
	var a, b bytes.Buffer
	for _, w := range []*bytes.Buffer{&a, &b} {
		if err := WriteTo(context.Background(), w, doctest.Samples(t), cfg, txt, issued); err != nil {
			t.Fatal(err)
		}
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Error("two renders of the same summary differ")
	}
}

// TestEmptyMonth: a month with nothing received still makes a document that reads.
func TestEmptyMonth(t *testing.T) {
	cfg, txt := doctest.Load(t)
	var buf bytes.Buffer
	if err := WriteTo(context.Background(), &buf, &summary.Summary{Period: "2023-09"}, cfg, txt, issued); err != nil {
		t.Fatal(err)
	}
	d := readDocx(t, buf.Bytes())
	if !strings.Contains(d.text(), "BÁO CÁO\n") || !strings.Contains(d.text(), "Nguyễn Văn An\n") || strings.Contains(d.text(), "Phụ lục") {
		t.Errorf("empty month:\n%s", d.text())
	}
}

func TestCancelled(t *testing.T) {
	cfg, txt := doctest.Load(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	path := filepath.Join(t.TempDir(), "bao-cao.docx")
	if err := Write(ctx, path, doctest.Samples(t), cfg, txt, issued); !errors.Is(err, context.Canceled) {
		t.Errorf("error %v, want context.Canceled", err)
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Error("a cancelled run left a file")
	}
}

// TestLibreOffice converts the samples' report to PDF with LibreOffice, a reader
// independent of this package, and checks that pages came out with the title and
// known figures on them. CI installs LibreOffice Writer; elsewhere the test skips.
func TestLibreOffice(t *testing.T) {
	soffice, err := exec.LookPath("soffice")
	if err != nil {
		t.Skip("LibreOffice (soffice) is not installed: the .docx was not opened by another reader")
	}
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext (poppler-utils) is not installed")
	}
	_, path := samplesDocx(t)
	out := t.TempDir()
	// A profile of its own: a LibreOffice already running (or another test's) does
	// not take the conversion over.
	cmd := exec.Command(soffice, "-env:UserInstallation=file://"+filepath.ToSlash(filepath.Join(out, "profile")),
		"--headless", "--convert-to", "pdf", "--outdir", out, path)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("soffice: %v\n%s", err, b)
	}
	pdf := filepath.Join(out, "bao-cao-2023-09.pdf")
	info, err := exec.Command("pdfinfo", pdf).Output()
	if err != nil {
		t.Fatalf("LibreOffice made no readable PDF: %v", err)
	}
	pages := 0
	if m := regexp.MustCompile(`Pages:\s+(\d+)`).FindSubmatch(info); m != nil {
		pages, _ = strconv.Atoi(string(m[1]))
	}
	if pages < 10 {
		t.Errorf("%d pages, want the body and the four appendices (≥ 10)", pages)
	}
	text, err := exec.Command("pdftotext", "-enc", "UTF-8", pdf, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	flat := strings.Join(strings.Fields(string(text)), " ")
	for _, want := range []string{"BÁO CÁO", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "2.370 người", "80,67%", "70,00%", "Nơi nhận:", "Nguyễn Văn An", "Phụ lục IV"} {
		if !strings.Contains(flat, want) {
			t.Errorf("LibreOffice's PDF lacks %q", want)
		}
	}
	if list, err := exec.Command("pdfimages", "-list", pdf).Output(); err == nil && strings.Count(string(list), "\n") < 3 {
		t.Errorf("LibreOffice's PDF has no picture (the chart):\n%s", list)
	}
	t.Logf("LibreOffice: %d pages", pages)
}

// TestAwkwardText: names with XML's special characters, control characters, a
// decomposed (NFD) name and a tab make a well-formed file with the text composed
// and the control characters gone.
func TestAwkwardText(t *testing.T) {
	cfg, txt := doctest.Load(t)
	s := doctest.Samples(t)
	s.Units[0].Unit = "UBND xã A & B <thử> \"x\"\x01\x7f\tcuối"
	s.Targets[0].Title = norm.NFD.String("Chỉ tiêu Lâm Thị Ánh Tuyết")
	var buf bytes.Buffer
	if err := WriteTo(context.Background(), &buf, s, cfg, txt, issued); err != nil {
		t.Fatal(err)
	}
	d := readDocx(t, buf.Bytes()) // fails on malformed XML
	all := d.text()
	for _, tb := range d.tables {
		for _, r := range tb.rows {
			all += strings.Join(r, "\n") + "\n"
		}
	}
	if !strings.Contains(all, "UBND xã A & B <thử> \"x\" cuối") {
		t.Error("the unit's name is not there as written (less its control characters)")
	}
	if !strings.Contains(all, "Chỉ tiêu Lâm Thị Ánh Tuyết") || !norm.NFC.IsNormalString(all) {
		t.Error("the decomposed title is not composed")
	}
}
