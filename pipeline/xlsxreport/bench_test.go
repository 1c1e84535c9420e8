package xlsxreport_test

import (
	"context"
	"io"
	"testing"

	"canbo/pipeline/xlsxreport"
)

// BenchmarkRenderLongList renders the report of a batch with 100,000 people below a
// standard: the list's measuring, its generated body and its compression are most of
// it, as in a national re-run.
func BenchmarkRenderLongList(b *testing.B) {
	s := longLists(b, 100_000)
	_, cfg, txt := fixture(b)
	b.ReportAllocs()
	for b.Loop() {
		if err := xlsxreport.Render(context.Background(), io.Discard, s, cfg, txt); err != nil {
			b.Fatal(err)
		}
	}
}
