package docxreport

import (
	"fmt"
	"strings"

	"codeberg.org/go-pdf/fpdf"
	"github.com/go-fonts/liberation/liberationserifbold"
	"github.com/go-fonts/liberation/liberationserifbolditalic"
	"github.com/go-fonts/liberation/liberationserifitalic"
	"github.com/go-fonts/liberation/liberationserifregular"
)

// measurer measures text as Word will set it in Times New Roman: with Liberation
// Serif, which has the same metrics, through fpdf's font tables (a PDF is never
// made). A face is loaded when it is first asked for.
type measurer struct {
	pdf    *fpdf.Fpdf
	loaded map[string]bool
	err    error // the first error; widths are 0 after it
}

func newMeasurer() *measurer {
	return &measurer{pdf: fpdf.New("P", "mm", "A4", ""), loaded: map[string]bool{}}
}

var faces = map[string][]byte{
	"":   liberationserifregular.TTF,
	"B":  liberationserifbold.TTF,
	"I":  liberationserifitalic.TTF,
	"BI": liberationserifbolditalic.TTF,
}

// Width is the width of s on one line, mm.
func (m *measurer) Width(s, style string, size float64) float64 {
	if m.err != nil {
		return 0
	}
	if !m.loaded[style] {
		ttf, ok := faces[style]
		if !ok {
			ttf = faces[""]
		}
		m.pdf.AddUTF8FontFromBytes("times", style, ttf)
		if err := m.pdf.Error(); err != nil {
			m.err = fmt.Errorf("đọc phông chữ để đo bảng: %w", err)
			return 0
		}
		m.loaded[style] = true
	}
	if pt, _ := m.pdf.GetFontSize(); pt != size || m.pdf.GetFontStyle() != style {
		m.pdf.SetFont("times", style, size)
	}
	return m.pdf.GetStringWidth(strings.ReplaceAll(clean(s), "\n", " "))
}

// widest is the width of the longest line of s.
func (m *measurer) widest(s, style string, size float64) float64 {
	w := 0.0
	for _, line := range strings.Split(s, "\n") {
		w = max(w, m.Width(line, style, size))
	}
	return w
}
