package docxreport

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"math"
	"strings"

	"github.com/go-fonts/liberation/liberationserifbold"
	"github.com/go-fonts/liberation/liberationserifitalic"
	"github.com/go-fonts/liberation/liberationserifregular"
	"golang.org/x/image/font"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"

	"canbo/pipeline/document"
	"canbo/pipeline/reporttext"
)

// The targets' bar chart as a picture: the PDF's chart (pdfreport/chart.go) drawn to
// a PNG with the standard library's image packages and Liberation Serif (Times New
// Roman's metrics): one bar per overall target, its share on a 0–100% scale, a black
// marker at the threshold with its value, the share at the right; dark green when
// met, orange when not (they differ in grey too); the legend under it. Its title is a
// paragraph of the document, so the office can edit it; the picture's description
// says every bar's figures for a screen reader.

// nsDrawing are the namespaces of a picture in the text.
const nsDrawing = `xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" ` +
	`xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" ` +
	`xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture"`

// The chart's geometry, mm, as the PDF's; pxPerMM is the picture's resolution
// (about 200 dpi: sharp in print, small as a file).
const (
	pxPerMM     = 8.0
	chartSize   = 10.0 // pt
	chartSmall  = 8.0
	chartLabelW = 58.0
	chartValueW = 18.0
	chartGap    = 3.0
	chartRowMin = 11.0
	chartRowGap = 3.0
	chartBarH   = 5.0
	chartAxisH  = 7.0
	chartLegend = 8.0
	markerW     = 0.6
)

var (
	colourMet    = color.RGBA{46, 125, 50, 255}
	colourNotMet = color.RGBA{239, 140, 0, 255}
	colourGrid   = color.RGBA{200, 200, 200, 255}
)

// bars writes the chart's title and its picture.
func (w *writer) bars(b *document.Bars) {
	width := document.TextWidth(w.landscape)
	data, h, err := drawBars(b, width)
	if err != nil {
		w.err = err
		return
	}
	var descr []string
	for _, it := range b.Items {
		if it.Empty {
			descr = append(descr, it.Label+": "+b.Empty)
		} else {
			descr = append(descr, fmt.Sprintf("%s: %s (%s %s)", it.Label, it.ShareText, strings.ToLower(b.Legend[2]), it.ThresholdText))
		}
	}
	w.picture(b.Title, strings.Join(descr, "; "), data, width, h)
}

// picture writes a chart's title (an editable paragraph) and its picture, w × h mm,
// described by descr for a screen reader.
func (w *writer) picture(title, descr string, data []byte, width, h float64) {
	n := len(w.media) + 1
	md := media{name: fmt.Sprintf("bieu-do-%d.png", n), id: fmt.Sprintf("rIdImg%d", n), data: data}
	w.media = append(w.media, md)
	w.paragraph(`<w:keepNext/><w:spacing w:before="120" w:after="60"/><w:jc w:val="center"/>`, run(title, "B", 12))
	cx, cy := int64(math.Round(width*36000)), int64(math.Round(h*36000)) // EMU
	w.b.WriteString(fmt.Sprintf(`<w:p><w:pPr><w:jc w:val="center"/></w:pPr><w:r><w:drawing>`+
		`<wp:inline distT="0" distB="0" distL="0" distR="0"><wp:extent cx="%d" cy="%d"/>`+
		`<wp:docPr id="%d" name="%s" descr="%s"/><wp:cNvGraphicFramePr><a:graphicFrameLocks noChangeAspect="1"/></wp:cNvGraphicFramePr>`+
		`<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:pic>`+
		`<pic:nvPicPr><pic:cNvPr id="%d" name="%s"/><pic:cNvPicPr/></pic:nvPicPr>`+
		`<pic:blipFill><a:blip r:embed="%s"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill>`+
		`<pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="%d" cy="%d"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr>`+
		`</pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>`,
		cx, cy, n, esc(title), esc(descr), n, md.name, md.id, cx, cy))
}

// canvas is a picture being drawn in millimetres.
type canvas struct {
	img   *image.RGBA
	faces map[string]font.Face // "style size" → face
	fonts map[string]*opentype.Font
}

func px(mm float64) int { return int(math.Round(mm * pxPerMM)) }

// face is Liberation Serif in a style ("", "B", "I") and size (pt) at the picture's
// resolution.
func (c *canvas) face(style string, size float64) (font.Face, error) {
	key := fmt.Sprint(style, " ", size)
	if f, ok := c.faces[key]; ok {
		return f, nil
	}
	ft, ok := c.fonts[style]
	if !ok {
		ttf := map[string][]byte{"": liberationserifregular.TTF, "B": liberationserifbold.TTF, "I": liberationserifitalic.TTF}[style]
		var err error
		if ft, err = opentype.Parse(ttf); err != nil {
			return nil, fmt.Errorf("đọc phông chữ của biểu đồ: %w", err)
		}
		c.fonts[style] = ft
	}
	f, err := opentype.NewFace(ft, &opentype.FaceOptions{Size: size, DPI: pxPerMM * 25.4, Hinting: font.HintingNone})
	if err != nil {
		return nil, fmt.Errorf("đọc phông chữ của biểu đồ: %w", err)
	}
	c.faces[key] = f
	return f, nil
}

// rect fills a rectangle given in millimetres.
func (c *canvas) rect(x, y, w, h float64, col color.Color) {
	draw.Draw(c.img, image.Rect(px(x), px(y), px(x+w), px(y+h)), &image.Uniform{col}, image.Point{}, draw.Src)
}

// width is the width of s in a face, mm.
func width(f font.Face, s string) float64 {
	return float64(font.MeasureString(f, s)) / 64 / pxPerMM
}

// text draws s with its top-left corner at (x, y) mm in a line lh high, aligned "L",
// "C" or "R" in a box w wide.
func (c *canvas) text(f font.Face, s string, x, y, w, lh float64, align string) {
	s = clean(s)
	tw := width(f, s)
	switch align {
	case "C":
		x += (w - tw) / 2
	case "R":
		x += w - tw
	}
	m := f.Metrics()
	asc, desc := float64(m.Ascent)/64/pxPerMM, float64(m.Descent)/64/pxPerMM
	base := y + (lh-(asc+desc))/2 + asc
	d := font.Drawer{Dst: c.img, Src: image.Black, Face: f,
		Dot: fixed.Point26_6{X: fixed.Int26_6(math.Round(x * pxPerMM * 64)), Y: fixed.Int26_6(math.Round(base * pxPerMM * 64))}}
	d.DrawString(s)
}

// wrap breaks s into lines at most w mm wide in f.
func wrap(f font.Face, s string, w float64) []string {
	var lines []string
	cur := ""
	for _, word := range strings.Fields(clean(s)) {
		if cur != "" && width(f, cur+" "+word) > w {
			lines = append(lines, cur)
			cur = word
			continue
		}
		if cur != "" {
			cur += " "
		}
		cur += word
	}
	return append(lines, cur)
}

// lineHeight is the line height in mm of a size in points.
func lineHeight(pt float64) float64 { return pt * 25.4 / 72 * 1.2 }

// drawBars draws the chart w mm wide and returns the PNG and its height, mm.
func drawBars(b *document.Bars, w float64) ([]byte, float64, error) {
	c := &canvas{faces: map[string]font.Face{}, fonts: map[string]*opentype.Font{}}
	var regular, bold, italic, small font.Face
	for _, f := range []struct {
		face  *font.Face
		style string
		size  float64
	}{{&regular, "", chartSize}, {&bold, "B", chartSize}, {&italic, "I", chartSize}, {&small, "", chartSmall}} {
		var err error
		if *f.face, err = c.face(f.style, f.size); err != nil {
			return nil, 0, err
		}
	}
	lh := lineHeight(chartSize)
	labels := make([][]string, len(b.Items))
	heights := make([]float64, len(b.Items))
	rowsH := 0.0
	for i, it := range b.Items {
		labels[i] = wrap(regular, it.Label, chartLabelW)
		heights[i] = max(chartRowMin, float64(len(labels[i]))*lh+chartRowGap)
		rowsH += heights[i]
	}
	const top = 2.0
	h := top + rowsH + chartAxisH + chartLegend
	c.blank(w, h)

	scaleX := chartLabelW + chartGap
	scaleW := w - chartLabelW - chartValueW - 2*chartGap
	bottom := top + rowsH
	// Grid and scale.
	for tick := 0; tick <= 100; tick += 20 {
		x := scaleX + scaleW*float64(tick)/100
		c.rect(x-0.05, top, 0.1, rowsH, colourGrid)
	}
	c.rect(scaleX, bottom-0.15, scaleW, 0.3, color.Black)
	c.rect(scaleX-0.15, top, 0.3, rowsH, color.Black)
	for tick := 0; tick <= 100; tick += 20 {
		x := scaleX + scaleW*float64(tick)/100
		c.rect(x-0.15, bottom, 0.3, 1, color.Black)
		c.text(small, reporttext.PercentShort(float64(tick)/100), x-10, bottom+1, 20, 4, "C")
	}
	// The bars.
	y := top
	for i, it := range b.Items {
		ty := y + (heights[i]-float64(len(labels[i]))*lh)/2
		for j, line := range labels[i] {
			c.text(regular, line, 0, ty+float64(j)*lh, chartLabelW, lh, "L")
		}
		mid := y + heights[i]/2
		if it.Empty {
			c.text(italic, b.Empty, scaleX+2, mid-lh/2, scaleW, lh, "L")
			y += heights[i]
			continue
		}
		col := colourNotMet
		if it.Met {
			col = colourMet
		}
		if bar := scaleW * clamp01(it.Share); bar > 0 {
			c.rect(scaleX, mid-chartBarH/2, bar, chartBarH, col)
		}
		mx := scaleX + scaleW*clamp01(it.Threshold)
		c.rect(mx-markerW/2, mid-chartBarH/2-1.5, markerW, chartBarH+3, color.Black)
		vw := width(small, it.ThresholdText)
		vx := mx + 0.8
		if vx+vw > scaleX+scaleW {
			vx = mx - 0.8 - vw
		}
		c.text(small, it.ThresholdText, vx, mid-chartBarH/2-3.4, vw+0.5, 3, "L")
		c.text(bold, it.ShareText, scaleX+scaleW+chartGap, mid-lh/2, chartValueW, lh, "L")
		y += heights[i]
	}
	// The legend, centred under the scale: two swatches and the marker.
	const key, space = 5.5, 6.0
	legendW := 2 * space
	for _, it := range b.Legend {
		legendW += key + width(regular, it)
	}
	x, ly := max((w-legendW)/2, 0), bottom+chartAxisH
	for i, it := range b.Legend {
		switch i {
		case 0:
			c.rect(x, ly+1.2, 4, 3, colourMet)
		case 1:
			c.rect(x, ly+1.2, 4, 3, colourNotMet)
		default:
			c.rect(x+2-markerW/2, ly+0.4, markerW, 4.6, color.Black)
		}
		c.text(regular, it, x+key, ly, width(regular, it)+1, 5.4, "L")
		x += key + width(regular, it) + space
	}
	data, err := c.png()
	return data, h, err
}

// blank starts a white picture w × h mm.
func (c *canvas) blank(w, h float64) {
	c.img = image.NewRGBA(image.Rect(0, 0, px(w), px(h)))
	draw.Draw(c.img, c.img.Bounds(), image.White, image.Point{}, draw.Src)
}

// png encodes the picture, at the fastest compression: a flat chart compresses well
// anyway, and the picture is made on every run.
func (c *canvas) png() ([]byte, error) {
	var buf bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestSpeed}
	if err := enc.Encode(&buf, c.img); err != nil {
		return nil, fmt.Errorf("vẽ biểu đồ: %w", err)
	}
	return buf.Bytes(), nil
}

func clamp01(x float64) float64 {
	if math.IsNaN(x) {
		return 0
	}
	return math.Min(math.Max(x, 0), 1)
}
