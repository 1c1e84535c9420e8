// Package sheettest writes real .xlsx files from a short Go description, for tests of
// the stages that read them. Fixtures built here are reviewable in a diff, unlike
// binary workbooks in testdata.
//
//	path := sheettest.Write(t, dir, "UBND xã A.xlsx", sheettest.Sheet{
//		Name:   "DS",
//		Rows:   [][]any{{"STT", "Họ và tên", "Ngày sinh"}, {1, "Nguyễn Văn A", sheettest.Date(1985, 3, 5)}},
//		Merges: []string{"A1:A2"},
//	})
package sheettest

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"canbo/config"
	"canbo/pipeline/issue"
	"canbo/pipeline/schema"
	"canbo/pipeline/workbook"
	"canbo/templates"
)

// Sheet describes one worksheet. Rows[0] is row 1; a nil row or nil cell is blank.
type Sheet struct {
	Name     string
	Hidden   bool
	Rows     [][]any
	Merges   []string // "A7:A8"
	StartRow int      // row number of Rows[0]; default 1
}

// DateValue is a cell holding a real Excel date (a serial with a date format).
type DateValue struct{ T time.Time }

// Date returns a date cell.
func Date(y, m, d int) DateValue {
	return DateValue{time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)}
}

// Formula is a formula cell; excelize stores no cached value, like files saved by
// programs that do not calculate.
type Formula string

// Cached is a formula cell saved with its computed value, as Excel saves it: a reader
// sees Value and knows where the formula reads from. Value is a string, a number or a
// bool. Write stores the formula with excelize, then patches the saved sheet XML to add
// the value (<v>…</v>, t="str" for a string), which excelize cannot write itself.
//
//	sheettest.Cached{Formula: "'DS'!B5", Value: "Nguyễn Văn An"}
//	sheettest.Cached{Formula: "'[1]Sheet1'!B2", Value: "Trần Thị Bình"} // another workbook
type Cached struct {
	Formula string
	Value   any
}

// Write saves the sheets as dir/name and returns the path.
func Write(t testing.TB, dir, name string, sheets ...Sheet) string {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	dateStyle, err := f.NewStyle(&excelize.Style{CustomNumFmt: strPtr("dd/mm/yyyy")})
	if err != nil {
		t.Fatal(err)
	}
	cached := map[string][]cachedCell{} // sheet name → formula cells to give a value
	for i, s := range sheets {
		if i == 0 {
			if err := f.SetSheetName("Sheet1", s.Name); err != nil {
				t.Fatal(err)
			}
		} else if _, err := f.NewSheet(s.Name); err != nil {
			t.Fatal(err)
		}
		start := s.StartRow
		if start == 0 {
			start = 1
		}
		for r, row := range s.Rows {
			for c, v := range row {
				if v == nil {
					continue
				}
				cell, _ := excelize.CoordinatesToCellName(c+1, start+r)
				switch v := v.(type) {
				case DateValue:
					err = f.SetCellValue(s.Name, cell, v.T)
					if err == nil {
						err = f.SetCellStyle(s.Name, cell, cell, dateStyle)
					}
				case Formula:
					err = f.SetCellFormula(s.Name, cell, string(v))
				case Cached:
					err = f.SetCellFormula(s.Name, cell, v.Formula)
					cached[s.Name] = append(cached[s.Name], cachedCell{ref: cell, value: v.Value})
				default:
					err = f.SetCellValue(s.Name, cell, v)
				}
				if err != nil {
					t.Fatal(err)
				}
			}
		}
		for _, m := range s.Merges {
			a, b, _ := cut(m)
			if err := f.MergeCell(s.Name, a, b); err != nil {
				t.Fatal(err)
			}
		}
	}
	for _, s := range sheets {
		if s.Hidden {
			if err := f.SetSheetVisible(s.Name, false); err != nil {
				t.Fatal(err)
			}
		}
	}
	path := filepath.Join(dir, name)
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	if len(cached) > 0 {
		if err := addCachedValues(path, cached); err != nil {
			t.Fatal(err)
		}
	}
	return path
}

// Rows reads every row of one sheet back through the workbook reader.
func Rows(t testing.TB, path string, sheet int) []workbook.Row {
	t.Helper()
	b, err := workbook.Open(context.Background(), path, workbook.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	rs, err := b.Rows(context.Background(), sheet)
	if err != nil {
		t.Fatal(err)
	}
	defer rs.Close()
	var out []workbook.Row
	for rs.Next() {
		out = append(out, rs.Row())
	}
	if err := rs.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func cut(s string) (string, string, bool) {
	for i := range s {
		if s[i] == ':' {
			return s[:i], s[i+1:], true
		}
	}
	return s, s, false
}

func strPtr(s string) *string { return &s }

// Config loads the default configuration built into the binary, as every stage's tests
// read sheets with it.
func Config(t testing.TB) *schema.Config {
	t.Helper()
	cfg, err := schema.Load(config.FS, "config")
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// ConfigWithUnits loads the default configuration with units.yaml replaced by units.
// The default forms.yaml is left out: it selects units by the default registry's
// levels, which a test's small registry does not declare (config check says so).
func ConfigWithUnits(t testing.TB, units string) *schema.Config {
	t.Helper()
	dir := t.TempDir()
	for _, name := range append(slices.Clone(schema.Files), schema.OptionalFiles...) {
		data, err := config.FS.ReadFile(name)
		if name == schema.FileUnits || name == schema.FileForms || errors.Is(err, fs.ErrNotExist) {
			continue
		} else if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, schema.FileUnits), []byte(units), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg, err := schema.Load(os.DirFS(dir), ".")
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// Catalog loads the default issue messages.
func Catalog(t testing.TB) *issue.Catalog {
	t.Helper()
	cat, err := issue.LoadCatalog(templates.FS)
	if err != nil {
		t.Fatal(err)
	}
	return cat
}

// cachedCell is a formula cell Write must give a cached value.
type cachedCell struct {
	ref   string // "B5"
	value any
}

// addCachedValues rewrites the saved workbook at path, adding to each listed formula
// cell its value: <c r="B5" t="str"><f>…</f><v>Nguyễn Văn An</v></c>.
func addCachedValues(file string, cached map[string][]cachedCell) error {
	data, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return err
	}
	parts := map[string][]byte{}
	for _, e := range zr.File {
		rc, err := e.Open()
		if err != nil {
			return err
		}
		body, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			return err
		}
		parts[e.Name] = body
	}
	sheetParts, err := sheetPartNames(parts)
	if err != nil {
		return err
	}
	for sheet, cells := range cached {
		name, ok := sheetParts[sheet]
		if !ok {
			return fmt.Errorf("sheettest: no part for sheet %q", sheet)
		}
		body := parts[name]
		for _, c := range cells {
			re := regexp.MustCompile(`<c r="` + c.ref + `"([^>]*)>(<f[ >].*?</f>)(?:<v>.*?</v>|<v/>)?</c>`)
			m := re.FindSubmatchIndex(body)
			if m == nil {
				return fmt.Errorf("sheettest: formula cell %s!%s not found in %s", sheet, c.ref, name)
			}
			attrs := regexp.MustCompile(`\s+t="[^"]*"`).ReplaceAllString(string(body[m[2]:m[3]]), "")
			typ, val, err := cachedXML(c.value)
			if err != nil {
				return fmt.Errorf("sheettest: %s!%s: %w", sheet, c.ref, err)
			}
			if typ != "" {
				attrs += ` t="` + typ + `"`
			}
			cell := `<c r="` + c.ref + `"` + attrs + `>` + string(body[m[4]:m[5]]) + `<v>` + val + `</v></c>`
			body = append(append(append([]byte{}, body[:m[0]]...), cell...), body[m[1]:]...)
		}
		parts[name] = body
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, e := range zr.File { // keep the original order: [Content_Types].xml first
		w, err := zw.Create(e.Name)
		if err != nil {
			return err
		}
		if _, err := w.Write(parts[e.Name]); err != nil {
			return err
		}
	}
	if err := zw.Close(); err != nil {
		return err
	}
	return os.WriteFile(file, out.Bytes(), 0o644)
}

// cachedXML returns a cached value's cell type and its escaped <v> text.
func cachedXML(v any) (typ, text string, err error) {
	switch v := v.(type) {
	case string:
		var b strings.Builder
		if err := xml.EscapeText(&b, []byte(v)); err != nil {
			return "", "", err
		}
		return "str", b.String(), nil
	case bool:
		if v {
			return "b", "1", nil
		}
		return "b", "0", nil
	case int:
		return "", strconv.Itoa(v), nil
	case int64:
		return "", strconv.FormatInt(v, 10), nil
	case float64:
		return "", strconv.FormatFloat(v, 'g', -1, 64), nil
	}
	return "", "", fmt.Errorf("cached value of type %T", v)
}

// sheetPartNames maps each sheet's name to its part in the package
// ("xl/worksheets/sheet2.xml"), from xl/workbook.xml and its relationships.
func sheetPartNames(parts map[string][]byte) (map[string]string, error) {
	var wb struct {
		Sheets []struct {
			Name string `xml:"name,attr"`
			RID  string `xml:"http://schemas.openxmlformats.org/officeDocument/2006/relationships id,attr"`
		} `xml:"sheets>sheet"`
	}
	if err := xml.Unmarshal(parts["xl/workbook.xml"], &wb); err != nil {
		return nil, err
	}
	var rels struct {
		Rels []struct {
			ID     string `xml:"Id,attr"`
			Target string `xml:"Target,attr"`
		} `xml:"Relationship"`
	}
	if err := xml.Unmarshal(parts["xl/_rels/workbook.xml.rels"], &rels); err != nil {
		return nil, err
	}
	target := map[string]string{}
	for _, r := range rels.Rels {
		if strings.HasPrefix(r.Target, "/") {
			target[r.ID] = strings.TrimPrefix(r.Target, "/")
		} else {
			target[r.ID] = path.Join("xl", r.Target)
		}
	}
	out := map[string]string{}
	for _, s := range wb.Sheets {
		out[s.Name] = target[s.RID]
	}
	return out, nil
}
