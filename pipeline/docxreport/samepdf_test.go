package docxreport

import (
	"context"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"canbo/pipeline/document/doctest"
	"canbo/pipeline/pdfreport"
)

// TestSameAsPDF: the Word file and the PDF are one document. Every paragraph of
// the Word file outside the tables (header, title, headings, sentences, signature,
// recipients, appendix titles) is found, word for word, in the PDF's text, in the
// same order (the two-column parts, the first page's header and the signature,
// are only looked for).
func TestSameAsPDF(t *testing.T) {
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext (poppler-utils) is not installed")
	}
	cfg, txt := doctest.Load(t)
	s := doctest.Samples(t)
	pdf := filepath.Join(t.TempDir(), "bao-cao.pdf")
	if err := pdfreport.Write(context.Background(), pdf, s, cfg, txt, issued); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-enc", "UTF-8", pdf, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	// The page numbers (a line of digits at the top of a page) interrupt sentences
	// that run onto the next page.
	var kept []string
	for _, line := range strings.Split(strings.ReplaceAll(string(out), "\f", "\n"), "\n") {
		if l := strings.TrimSpace(line); l == "" || strings.Trim(l, "0123456789") != "" {
			kept = append(kept, line)
		}
	}
	flat := strings.Join(strings.Fields(strings.Join(kept, "\n")), " ")
	d, _ := samplesDocx(t)
	checked, at := 0, 0
	for _, p := range d.paras {
		text := strings.Join(strings.Fields(p.text), " ")
		if p.inTable && !isFrame(text) || text == "" {
			continue
		}
		if p.inTable { // two columns side by side: the PDF's reading order is its own
			if !strings.Contains(flat, text) {
				t.Errorf("the PDF lacks the Word paragraph %q", text)
			}
			checked++
			continue
		}
		i := strings.Index(flat[at:], text)
		if i < 0 {
			t.Errorf("the PDF lacks, after what came before, the Word paragraph %q", text)
			continue
		}
		at += i + len(text)
		checked++
	}
	if checked < 30 {
		t.Errorf("only %d paragraphs compared", checked)
	}
}

// isFrame tells the first page's and the signature's cells (laid out as tables in
// Word, as text in the PDF) from the data tables' cells.
func isFrame(s string) bool {
	for _, frame := range []string{"UBND TỈNH", "SỞ NỘI VỤ", "CỘNG HÒA", "Độc lập", "Số:", "Sóc Trăng, ngày", "Nơi nhận:", "- ", "KT. ", "PHÓ GIÁM ĐỐC", "Nguyễn Văn An"} {
		if strings.HasPrefix(s, frame) {
			return true
		}
	}
	return false
}
