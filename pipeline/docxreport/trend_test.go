package docxreport

import (
	"bytes"
	"context"
	"image/png"
	"os"
	"strings"
	"testing"

	"canbo/pipeline/document/doctest"
	"canbo/pipeline/summary"
)

// withTrends is the samples' summary with three periods of history for each overall
// target.
func withTrends(t *testing.T) *summary.Summary {
	s := doctest.Samples(t)
	for i, tg := range s.Targets {
		if tg.Unit != "" {
			continue
		}
		for j, per := range []string{"2023-07", "2023-08"} {
			share := tg.Share * (0.8 + 0.1*float64(j))
			s.Targets[i].Trend = append(s.Targets[i].Trend, summary.Point{Period: per, Share: share,
				Population: tg.Population, Threshold: tg.Threshold})
		}
		s.Targets[i].Trend = append(s.Targets[i].Trend, summary.Point{Period: s.Period, Share: tg.Share,
			Population: tg.Population, Count: tg.Count, Threshold: tg.Threshold, Met: tg.Met})
	}
	return s
}

// TestTrendChart: with a history, the trend chart follows the bar chart, as in the
// PDF: its title, then a picture with a line of each target's colour.
func TestTrendChart(t *testing.T) {
	cfg, txt := doctest.Load(t)
	var buf bytes.Buffer
	if err := WriteTo(context.Background(), &buf, withTrends(t), cfg, txt, issued); err != nil {
		t.Fatal(err)
	}
	d := readDocx(t, buf.Bytes())
	text := d.text()
	bars, trend := strings.Index(text, "Biểu đồ: Tỉ lệ thực hiện các chỉ tiêu\n"), strings.Index(text, "Biểu đồ: Xu hướng thực hiện chỉ tiêu\n")
	if bars < 0 || trend < bars {
		t.Fatalf("bar chart at %d, trend chart at %d: want both, the trend second", bars, trend)
	}
	data, ok := d.parts["word/media/bieu-do-2.png"]
	if !ok {
		t.Fatal("no trend picture")
	}
	if dir := os.Getenv("CANBO_DOCX_CHART"); dir != "" { // to look at it
		_ = os.WriteFile(dir+"/trend.png", data, 0o644)
	}
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	seen := map[[3]uint32]int{}
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			seen[[3]uint32{r >> 8, g >> 8, bl >> 8}]++
		}
	}
	for k, c := range trendColours[:4] {
		if n := seen[[3]uint32{uint32(c.R), uint32(c.G), uint32(c.B)}]; n < 200 {
			t.Errorf("line %d: %d pixels of its colour", k+1, n)
		}
	}
}
