package pdfreport

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/go-fonts/liberation/liberationserifregular"
	"golang.org/x/text/unicode/norm"

	"canbo/pipeline/summary"
)

// issued is the date of issue the tests print: 1 October 2023, 08:00 in Vietnam,
// given in UTC to check the conversion (it is still 30 September in UTC at 01:00).
var issued = time.Date(2023, 10, 1, 1, 0, 0, 0, time.UTC)

// vietnam is the zone of the date of issue.
var vietnam = time.FixedZone("ICT", 7*3600)

// pageObject matches a page object (not the /Pages tree).
var pageObject = regexp.MustCompile(`/Type /Page\b[^s]`)

// TestWrite writes the fixture's report and checks the file both structurally (pure
// Go) and, when poppler's pdftotext is installed, by extracting its text.
func TestWrite(t *testing.T) {
	shared, txt := load(t)
	c := *shared
	c.Report.Document.BelowStandardRows = 300 // the names too: one is stored decomposed
	cfg := &c
	s := fixture(t, cfg)
	path := filepath.Join(t.TempDir(), "2023-09", "bao-cao-2023-09.pdf")
	if err := Write(context.Background(), path, s, cfg, txt, issued); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}

	t.Run("structure", func(t *testing.T) {
		if !bytes.HasPrefix(data, []byte("%PDF-")) {
			t.Fatalf("not a PDF: %q", data[:min(len(data), 16)])
		}
		if !bytes.HasSuffix(bytes.TrimSpace(data), []byte("%%EOF")) {
			t.Error("no EOF trailer")
		}
		d, err := render(context.Background(), s, cfg, txt, issued)
		if err != nil {
			t.Fatal(err)
		}
		pages := len(pageObject.FindAll(data, -1))
		if want := d.pdf.PageCount(); pages != want || pages < 5 {
			t.Errorf("%d page objects, fpdf made %d (want ≥ 5: body, signature, four appendices)", pages, want)
		}
		if n := bytes.Count(data, []byte("/FontFile2")); n != 4 {
			t.Errorf("%d embedded TrueType fonts, want 4 (regular, bold, italic, bold italic)", n)
		}
		if n := bytes.Count(data, []byte("/Rotate")); n != 0 {
			t.Errorf("landscape pages must be landscape media boxes, not rotated portrait pages (%d /Rotate)", n)
		}
		if !bytes.Contains(data, []byte("/MediaBox [0 0 841.89 595.28]")) {
			t.Error("no landscape A4 page")
		}
		t.Logf("fixture: %d pages, %d bytes", pages, len(data))
	})

	t.Run("text", func(t *testing.T) {
		if _, err := exec.LookPath("pdftotext"); err != nil {
			t.Skip("pdftotext (poppler-utils) is not installed: text extraction not checked; the structural check ran")
		}
		all := pdftotext(t, path, 0)
		for _, want := range []string{
			"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
			"UBND TỈNH SÓC TRĂNG", "SỞ NỘI VỤ", "/BC-SNV", "Sóc Trăng, ngày 01 tháng 10 năm 2023",
			"BÁO CÁO", "tháng 9 năm 2023",
			"150 người",        // the headcount, in the narrative
			"80,67%", "70,00%", // 121/150 and 35/50
			"Đạt", "Chưa đạt", "Không có đối tượng",
			"Nơi nhận:", "KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Nguyễn Văn An", "Lưu: VT, CCVC.",
			"Phụ lục I", "Phụ lục IV", "Kèm theo Báo cáo số", "Huyện Châu Thành", "Chưa xác định",
			"Lâm Thị Ánh Tuyết", // stored decomposed (NFD), printed composed
			"Ngày sinh: 1 lỗi, 1 cảnh báo",
		} {
			if !strings.Contains(all, want) {
				t.Errorf("the PDF's text lacks %q", want)
			}
		}
		if strings.ContainsRune(all, '\uFFFD') {
			t.Error("the PDF's text has U+FFFD")
		}
		if !norm.NFC.IsNormalString(all) {
			t.Error("the PDF's text is not NFC")
		}
		if strings.Contains(all, "[pdf_") || strings.Contains(all, "<no value>") {
			t.Error("a label or template value is missing")
		}

		// Page numbers: none on page 1; on page 2 the number comes first.
		for _, line := range lines(pdftotext(t, path, 1)) {
			if line == "1" {
				t.Error("page 1 shows a page number")
			}
		}
		if first := lines(pdftotext(t, path, 2)); len(first) == 0 || first[0] != "2" {
			t.Errorf("page 2 does not start with its number: %q", first[:min(len(first), 3)])
		}
	})
}

// pdftotext extracts the text of one page (0 = all) in reading order.
func pdftotext(t *testing.T, path string, page int) string {
	t.Helper()
	args := []string{"-enc", "UTF-8"}
	if page > 0 {
		args = append(args, "-f", strconv.Itoa(page), "-l", strconv.Itoa(page))
	}
	out, err := exec.Command("pdftotext", append(args, path, "-")...).Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return string(out)
}

func lines(s string) []string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(strings.Trim(l, "\f")); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// TestLabels checks that every label the PDF draws exists, for the fixture and for an
// empty month (which takes the other branches).
func TestLabels(t *testing.T) {
	cfg, txt := load(t)
	used := map[string]bool{}
	for _, s := range []*summary.Summary{fixture(t, cfg), {Period: "2023-09", AsOf: "2023-09-30"}} {
		d, err := render(context.Background(), s, cfg, txt, issued)
		if err != nil {
			t.Fatal(err)
		}
		for k := range d.used {
			used[k] = true
		}
	}
	var keys []string
	for k := range used {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	if missing := txt.Missing(keys...); len(missing) > 0 {
		t.Errorf("labels used by the PDF but not defined in templates/: %v", missing)
	}
	if len(keys) < 40 {
		t.Errorf("only %d labels recorded: is label() bypassed?", len(keys))
	}
}

// TestEmptyMonth renders a month with nothing received: page 1 and the signature only.
func TestEmptyMonth(t *testing.T) {
	cfg, txt := load(t)
	var buf bytes.Buffer
	if err := WriteTo(context.Background(), &buf, &summary.Summary{Period: "2023-09"}, cfg, txt, issued); err != nil {
		t.Fatal(err)
	}
	if n := len(pageObject.FindAll(buf.Bytes(), -1)); n != 1 {
		t.Errorf("%d pages, want 1", n)
	}
}

// TestDeterministic: the same input gives the same bytes (the date of issue is the
// creation date).
func TestDeterministic(t *testing.T) {
	cfg, txt := load(t)
	var a, b bytes.Buffer
	for _, w := range []*bytes.Buffer{&a, &b} {
		if err := WriteTo(context.Background(), w, fixture(t, cfg), cfg, txt, issued); err != nil {
			t.Fatal(err)
		}
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Error("two renders of the same summary differ")
	}
}

func TestCustomFont(t *testing.T) {
	cfg, txt := load(t)
	s := fixture(t, cfg)
	dir := t.TempDir()
	ttf := filepath.Join(dir, "times.ttf")
	if err := os.WriteFile(ttf, liberationserifregular.TTF, 0o644); err != nil {
		t.Fatal(err)
	}
	junk := filepath.Join(dir, "vntime.ttf")
	if err := os.WriteFile(junk, []byte("not a font at all, just text"), 0o644); err != nil {
		t.Fatal(err)
	}
	ttc := filepath.Join(dir, "cambria.ttc")
	if err := os.WriteFile(ttc, append([]byte("ttcf"), make([]byte, 64)...), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		font, bold string
		err        string // "" = works
	}{
		{font: ttf},
		{font: ttf, bold: ttf},
		{font: filepath.Join(dir, "missing.ttf"), err: "không tìm thấy tệp phông chữ"},
		{bold: junk, err: "không phải phông chữ TrueType"},
		{font: ttc, err: "bộ phông (.ttc)"},
	} {
		c := *cfg
		c.Report.Document.Font, c.Report.Document.FontBold = tc.font, tc.bold
		err := WriteTo(context.Background(), io.Discard, s, &c, txt, issued)
		switch {
		case tc.err == "" && err != nil:
			t.Errorf("font %q bold %q: %v", tc.font, tc.bold, err)
		case tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)):
			t.Errorf("font %q bold %q: error %v, want one saying %q", tc.font, tc.bold, err, tc.err)
		}
	}
}

// TestCmap checks the font check against the embedded faces: nothing Vietnamese is
// missing, and Latin letters are there.
func TestCmap(t *testing.T) {
	if err := checkTTF(liberationserifregular.TTF); err != nil {
		t.Fatal(err)
	}
	has, err := cmapRunes(liberationserifregular.TTF)
	if err != nil {
		t.Fatal(err)
	}
	if !has('A') || !has('ự') || has('\u4e2d') {
		t.Error("cmap lookup is wrong")
	}
}

func TestCancelled(t *testing.T) {
	cfg, txt := load(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	path := filepath.Join(t.TempDir(), "bao-cao.pdf")
	if err := Write(ctx, path, fixture(t, cfg), cfg, txt, issued); !errors.Is(err, context.Canceled) {
		t.Errorf("error %v, want context.Canceled", err)
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Error("a cancelled run left a file")
	}
}

func TestClean(t *testing.T) {
	for in, want := range map[string]string{
		"plain":                     "plain",
		norm.NFD.String("Nguyễn"):   "Nguyễn",
		"tab\there\x00\u200b\u00ad": "tab here",
		"emoji 😀":                   "emoji ?",
		"dòng 1\ndòng 2":            "dòng 1\ndòng 2",
	} {
		if got := clean(in); got != want {
			t.Errorf("clean(%q) = %q, want %q", in, got, want)
		}
	}
}

// BenchmarkBelowStandard10k renders a report whose list of people below a standard
// has 10,000 rows.
func BenchmarkBelowStandard10k(b *testing.B) {
	cfg, txt := load(b)
	s := bigFixture(b, cfg, 10000)
	b.ReportAllocs()
	var size, pages int
	for b.Loop() {
		var buf bytes.Buffer
		if err := WriteTo(context.Background(), &buf, s, cfg, txt, issued); err != nil {
			b.Fatal(err)
		}
		size = buf.Len()
		pages = len(pageObject.FindAll(buf.Bytes(), -1))
	}
	b.ReportMetric(float64(pages), "pages")
	b.ReportMetric(float64(size)/1e6, "MB")
}

// TestWrap checks line breaking against the font's own measure: no line wider than
// its box, no word lost or split needlessly, line feeds kept, an over-long word cut.
func TestWrap(t *testing.T) {
	cfg, txt := load(t)
	d, err := render(context.Background(), &summary.Summary{Period: "2023-09"}, cfg, txt, issued)
	if err != nil {
		t.Fatal(err)
	}
	d.font("", bodySize)
	text := "Tính đến ngày 30/09/2023, tổng số cán bộ, công chức, viên chức của 4 đơn vị là 150 người, " +
		"trong đó nữ 66 người (44,00%), người dân tộc thiểu số 80 người (53,33%)."
	for _, w := range []float64{30, 60, 165} {
		lines := d.wrap(text, w-10, w)
		for i, l := range lines {
			limit := w
			if i == 0 {
				limit = w - 10
			}
			if got := d.pdf.GetStringWidth(l); got > limit+0.01 {
				t.Errorf("width %v: line %q is %.2f mm wide", limit, l, got)
			}
		}
		if got := strings.Join(lines, " "); got != text {
			t.Errorf("width %v: words changed:\n%s", w, got)
		}
	}
	if got := d.wrap("a\nb", 100, 100); len(got) != 2 {
		t.Errorf("line feed lost: %q", got)
	}
	long := strings.Repeat("Đ", 80) + ".xlsx"
	lines := d.wrap(long, 40, 40)
	if len(lines) < 2 || strings.Join(lines, "") != long {
		t.Errorf("over-long word: %q", lines)
	}
	if got := d.wrap(norm.NFD.String("Nguyễn"), 100, 100); got[0] != "Nguyễn" {
		t.Errorf("wrap does not compose: %q", got[0])
	}
}

// TestLongList: a list of people running over many pages repeats its header on each
// and numbers every page.
func TestLongList(t *testing.T) {
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext (poppler-utils) is not installed")
	}
	shared, txt := load(t)
	c := *shared
	c.Report.Document.BelowStandardRows = 500 // name them all
	cfg := &c
	path := filepath.Join(t.TempDir(), "bao-cao.pdf")
	if err := Write(context.Background(), path, bigFixture(t, cfg, 400), cfg, txt, issued); err != nil {
		t.Fatal(err)
	}
	pages := strings.Split(pdftotext(t, path, 0), "\f")
	listPages := 0
	for i, page := range pages {
		if !strings.Contains(page, "Trần Văn Bình") {
			continue
		}
		listPages++
		ls := lines(page)
		if ls[0] != strconv.Itoa(i+1) {
			t.Errorf("page %d starts with %q, not its number", i+1, ls[0])
		}
		for _, h := range []string{"Họ và tên", "Ngày sinh", "Còn thiếu"} {
			if !strings.Contains(page, h) {
				t.Errorf("page %d of the list lacks the header %q", i+1, h)
			}
		}
	}
	if listPages < 10 {
		t.Errorf("the 400-person list takes %d pages, want ≥ 10", listPages)
	}
	if !strings.Contains(strings.Join(pages, ""), "Trần Văn Bình 400") && !strings.Contains(strings.Join(pages, ""), "Sơn Ngọc Thành 400") {
		t.Error("the last person of the list is missing")
	}
}

// TestCreationDate: the PDF's creation date is the true moment: fpdf writes digits
// without a zone, which readers take for UTC, so 08:00 in Vietnam is written 01:00.
func TestCreationDate(t *testing.T) {
	cfg, txt := load(t)
	var b bytes.Buffer
	if err := WriteTo(context.Background(), &b, fixture(t, cfg), cfg, txt, time.Date(2023, 10, 1, 8, 0, 0, 0, vietnam)); err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(b.Bytes(), []byte("/CreationDate (D:20231001010000)")) {
		i := bytes.Index(b.Bytes(), []byte("/CreationDate"))
		t.Errorf("creation date written as %q", b.Bytes()[i:i+40])
	}
}

// TestLongUnitTargetsInAppendix: a province's per-unit targets (here 60 rows) are
// drawn as Phụ lục I, with their header on each page, and the body points there.
func TestLongUnitTargetsInAppendix(t *testing.T) {
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext (poppler-utils) is not installed")
	}
	cfg, txt := load(t)
	s := fixture(t, cfg)
	var perUnit []summary.Target
	for _, tg := range s.Targets {
		if tg.Unit != "" {
			perUnit = append(perUnit, tg)
		}
	}
	if len(perUnit) == 0 {
		t.Fatal("the fixture has no per-unit target")
	}
	for i := range 60 {
		tg := perUnit[i%len(perUnit)]
		tg.Unit = "UBND xã Thêm " + strconv.Itoa(i+1)
		s.Targets = append(s.Targets, tg)
	}
	path := filepath.Join(t.TempDir(), "bao-cao.pdf")
	if err := Write(context.Background(), path, s, cfg, txt, issued); err != nil {
		t.Fatal(err)
	}
	all := strings.Join(strings.Fields(pdftotext(t, path, 0)), " ")
	for _, want := range []string{"Kết quả thực hiện chỉ tiêu theo từng đơn vị tại Phụ lục I kèm theo.", "Phụ lục I KẾT QUẢ THEO TỪNG ĐƠN VỊ", "UBND xã Thêm 60"} {
		if !strings.Contains(all, want) {
			t.Errorf("the PDF lacks %q", want)
		}
	}
}
