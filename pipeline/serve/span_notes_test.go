package serve

import (
	"encoding/json"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"canbo/pipeline/inbox"
	"canbo/pipeline/schema"
)

// TestSpanOptionsKeepsEveryNote: a unit's only roster came in July in one workbook
// with copies of its training and movements registers, each of which it has since
// sent newer on its own. The July file is read for its roster alone (neither copy
// is counted beside the newer register), and the report's line for that file says
// so of both registers, not only of the last one looked at, with no doubt.
func TestSpanOptionsKeepsEveryNote(t *testing.T) {
	t.Parallel()
	archive := t.TempDir()
	write := func(period, name string, rows int, dates map[string]inbox.DateRange) string {
		t.Helper()
		var datasets []string
		for ds := range dates {
			datasets = append(datasets, ds)
		}
		if len(datasets) > 1 {
			datasets = []string{"movements", "roster", "training"}
		}
		s := inbox.Sidecar{SchemaVersion: 1, SHA256: strings.Repeat("0", 60) + period[5:] + name[:2], File: name, OriginalName: name,
			InboxPath: name, Unit: "A", Period: period, ReceivedAt: time.Date(2023, 7, 20, 9, 0, 0, 0, vn),
			Dataset: datasets[0], Datasets: datasets, Rows: rows, Dates: dates}
		p := filepath.Join(archive, period, "A", name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		data, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p+inbox.SidecarExt, data, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	both := write("2023-07", "tong-hop.xlsx", 120, map[string]inbox.DateRange{
		"training": {First: "2016-01-01", Last: "2023-06-01"}, "movements": {First: "2017-01-01", Last: "2023-06-01"}})
	write("2023-09", "dao-tao.xlsx", 40, map[string]inbox.DateRange{"training": {First: "2016-01-01", Last: "2023-09-01"}})
	write("2023-09", "dieu-dong.xlsx", 6, map[string]inbox.DateRange{"movements": {First: "2017-01-01", Last: "2023-09-01"}})

	opt, err := SpanOptions(schema.Serve{Archive: archive}, nil, "2015-01", "2023-09", slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	if got := opt.Datasets[both]; !slices.Equal(got, []string{"roster"}) {
		t.Errorf("the July workbook counts %q, want its roster alone", got)
	}
	note := opt.Notes[both]
	if strings.Contains(note, unsureWhy) || strings.Count(note, "không tính: đã có bản mới hơn") != 2 ||
		!strings.Contains(note, "Sổ đào tạo, bồi dưỡng trong tệp này không tính: đã có bản mới hơn, dao-tao.xlsx") ||
		!strings.Contains(note, "Sổ điều động, luân chuyển trong tệp này không tính: đã có bản mới hơn, dieu-dong.xlsx") {
		t.Errorf("the July workbook's note: %q; want one for the training register and one for the movements register", note)
	}
}
