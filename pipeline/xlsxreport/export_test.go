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
	b := &book{f: excelize.NewFile(), s: s, cfg: cfg, txt: txt, used: map[string]bool{}, streamBodies: streamed}
	err := b.render(ctx, w, b.build)
	var fast []string
	for _, fb := range b.bodies {
		fast = append(fast, fb.sheet)
	}
	sort.Strings(fast)
	return fast, err
}
