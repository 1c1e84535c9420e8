package docxreport

import (
	"bytes"
	"context"
	"testing"

	"canbo/pipeline/document/doctest"
)

// BenchmarkSamples renders the samples' report (73 units, four appendices).
func BenchmarkSamples(b *testing.B) {
	cfg, txt := doctest.Load(b)
	s := doctest.Samples(b)
	b.ReportAllocs()
	var size int
	for b.Loop() {
		var buf bytes.Buffer
		if err := WriteTo(context.Background(), &buf, s, cfg, txt, issued); err != nil {
			b.Fatal(err)
		}
		size = buf.Len()
	}
	b.ReportMetric(float64(size)/1e3, "kB")
}
