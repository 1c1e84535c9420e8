// The Excel 97–2003 sample: "Danh sách lớp Trung cấp Luật.xls"
// (in _doi-chieu/xls) is LibreOffice's "MS Excel 97" conversion of kon-tum/trung-cap-luat/Danh sách lớp
// Trung cấp Luật.xlsx (the Kon Tum trung cấp Luật class). Read through the whole
// pipeline, the .xls must give the same tables, the same people with the same values,
// and so the same published figures, as the .xlsx it came from.
//
// To rewrite it after the .xlsx changes (LibreOffice required):
//
//	go run ./cmd/samplegen -xls
package samples_test

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"canbo/config"
	"canbo/pipeline/ingest"
	"canbo/pipeline/issue"
	"canbo/pipeline/normalize"
	"canbo/pipeline/schema"
	"canbo/templates"
)

const (
	xlsFile = "Danh sách lớp Trung cấp Luật.xls"
	srcDir  = "kon-tum/trung-cap-luat"
	xlsDir  = "_doi-chieu/xls"
	srcFile = "Danh sách lớp Trung cấp Luật.xlsx"
)

func readXLS(t *testing.T, dir string) (*schema.Config, *ingest.Batch) {
	t.Helper()
	cfg, err := schema.Load(config.FS, "config")
	if err != nil {
		t.Fatal(err)
	}
	cat, err := issue.LoadCatalog(templates.FS)
	if err != nil {
		t.Fatal(err)
	}
	r := ingest.NewReader(normalize.New(cfg), ingest.Options{Now: func() time.Time { return time.Date(2023, 10, 1, 0, 0, 0, 0, time.UTC) }})
	b, err := r.ReadAll(context.Background(), []string{dir}, cat)
	if err != nil {
		t.Fatal(err)
	}
	return cfg, b
}

// only returns the one file of a batch, which must have been accepted without errors.
func onlyFile(t *testing.T, b *ingest.Batch, name string) *ingest.File {
	t.Helper()
	var found *ingest.File
	for _, f := range b.Files {
		if f.Status == ingest.Ignored {
			continue
		}
		if f.Name != name || found != nil {
			t.Fatalf("unexpected file %s (%s)", f.Name, f.Status)
		}
		found = f
	}
	if found == nil {
		t.Fatalf("%s not read", name)
	}
	if found.Status != ingest.Accepted {
		t.Fatalf("%s: %s (%s) %v", name, found.Status, found.Reason, found.Issues)
	}
	for _, is := range found.Issues {
		if is.Severity == issue.Error {
			t.Errorf("%s: %s", name, is.Error())
		}
	}
	return found
}

func pctXLS(n, total int) string {
	return strings.Replace(fmt.Sprintf("%.2f%%", float64(n)*100/float64(total)), ".", ",", 1)
}

func TestXLSSampleMatchesXLSX(t *testing.T) {
	cfg, xb := readXLS(t, xlsDir)
	_, sb := readXLS(t, srcDir)
	x, s := onlyFile(t, xb, xlsFile), onlyFile(t, sb, srcFile)

	// The same tables, found at the same rows, with the same columns and units.
	if len(x.Sheets) != len(s.Sheets) {
		t.Fatalf("%d tables in the .xls, %d in the .xlsx", len(x.Sheets), len(s.Sheets))
	}
	for i := range s.Sheets {
		a, b := s.Sheets[i], x.Sheets[i]
		if !reflect.DeepEqual(a, b) {
			t.Errorf("table %d differs:\n.xlsx %+v\n.xls  %+v", i, a, b)
		}
	}
	// The same issues (warnings included), cell for cell.
	key := func(is []issue.Issue) []string {
		var out []string
		for _, i := range is {
			out = append(out, fmt.Sprintf("%s %s %d %d %v", i.Code, i.Sheet, i.Row, i.Col, i.Args))
		}
		return out
	}
	if a, b := key(s.Issues), key(x.Issues); !reflect.DeepEqual(a, b) {
		t.Errorf("issues differ:\n.xlsx %v\n.xls  %v", a, b)
	}

	// The same people, in the same order, with the same values.
	people, src := xb.Records("roster"), sb.Records("roster")
	if len(people) != 62 || len(src) != 62 {
		t.Fatalf("%d learners in the .xls, %d in the .xlsx; want 62", len(people), len(src))
	}
	for i := range src {
		a, b := *src[i], *people[i]
		a.File, b.File, a.Path, b.Path = "", "", "", ""
		if !reflect.DeepEqual(a, b) {
			t.Errorf("person %d differs:\n.xlsx %+v\n.xls  %+v", i, a, b)
		}
	}

	// And so the published figures: "62 học viên (trong đó, nữ chiếm 40,32%, DTTS chiếm
	// 62,9%, dưới 35 tuổi chiếm 91,94%)".
	count := func(field string) map[string]int {
		f := cfg.Field(field)
		out := map[string]int{}
		for _, r := range people {
			out[r.Code(f)]++
		}
		return out
	}
	for _, r := range people {
		normalize.Derive(cfg, r, asOf)
	}
	if got := []string{pctXLS(count("gioi_tinh")["nu"], 62), pctXLS(count("dan_toc_thieu_so")["true"], 62), pctXLS(count("duoi_35")["true"], 62)}; strings.Join(got, " ") != "40,32% 62,90% 91,94%" {
		t.Errorf("nữ, DTTS, dưới 35: %v; want 40,32%% 62,90%% 91,94%%", got)
	}
}
