package xlsxreport

import (
	"context"
	"io"
	"sort"

	"github.com/xuri/excelize/v2"

	"canbo/pipeline/reporttext"
	"canbo/pipeline/schema"
	"canbo/pipeline/summary"
)

// RenderBodies renders the report with the sheet bodies generated into the package
// (streamed false) or through StreamWriter, as before (true), and returns the sheets
// whose bodies were generated.
func RenderBodies(ctx context.Context, w io.Writer, s *summary.Summary, cfg *schema.Config, txt *reporttext.Text, streamed bool) ([]string, error) {
	return RenderBodiesShared(ctx, w, s, cfg, txt, streamed, 0)
}

// RenderBodiesShared is RenderBodies with at most maxShared texts (0: the default)
// added to the shared string table by the generated bodies.
func RenderBodiesShared(ctx context.Context, w io.Writer, s *summary.Summary, cfg *schema.Config, txt *reporttext.Text, streamed bool, maxShared int) ([]string, error) {
	b := &book{f: excelize.NewFile(), s: s, cfg: cfg, txt: txt, used: map[string]bool{}, streamBodies: streamed, maxShared: maxShared}
	err := b.render(ctx, w, b.build)
	var fast []string
	for _, fb := range b.bodies {
		fast = append(fast, fb.sheet)
	}
	sort.Strings(fast)
	return fast, err
}
