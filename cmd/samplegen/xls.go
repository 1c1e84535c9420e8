package main

// samples/xls: the Kon Tum trung cấp Luật class (62 learners) saved as an Excel 97–2003
// workbook, for the .xls (BIFF8) reader in pipeline/workbook. The file is LibreOffice's
// "MS Excel 97" conversion of samples/kon-tum/trung-cap-luat/Danh sách lớp Trung cấp
// Luật.xlsx, so the people and figures are exactly those of the clean file. LibreOffice
// stamps each conversion (dates, ids), so the .xls is only rewritten on request, and CI,
// which has no LibreOffice, only reads it:
//
//	go run ./cmd/samplegen -xls            # convert with LibreOffice, then verify
//	go run ./cmd/samplegen -xls -verify    # only verify
//
// Verifying reads both files with pipeline/workbook and compares every cell;
// samples/xls/xls_test.go checks the people and figures through the whole pipeline.
// Like -legacy, the step runs from init and exits before main.

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"

	"canbo/pipeline/workbook"
)

const (
	xlsFolder = "_doi-chieu/xls"
	xlsSource = "kon-tum/trung-cap-luat/Danh sách lớp Trung cấp Luật.xlsx"
	xlsTarget = "Danh sách lớp Trung cấp Luật.xls"
)

func init() {
	on := false
	for _, a := range os.Args[1:] {
		if a == "-xls" || a == "--xls" || a == "-xls=true" || a == "--xls=true" {
			on = true
		}
	}
	if !on {
		return
	}
	fs := flag.NewFlagSet("samplegen -xls", flag.ExitOnError)
	fs.Bool("xls", true, "write and verify samples/xls only")
	out := fs.String("out", "samples", "directory that holds kon-tum/ and receives xls/")
	verifyOnly := fs.Bool("verify", false, "do not convert; re-read the existing file and compare")
	fs.Bool("q", false, "ignored")
	_ = fs.Parse(os.Args[1:])
	src := filepath.Join(*out, filepath.FromSlash(xlsSource))
	dst := filepath.Join(*out, xlsFolder, xlsTarget)
	if !*verifyOnly {
		if err := convertXLS(src, dst); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		fmt.Println("wrote", dst)
	}
	if errs := verifyXLS(src, dst); len(errs) > 0 {
		fmt.Fprintln(os.Stderr, "VERIFY FAILED:")
		for _, e := range errs {
			fmt.Fprintln(os.Stderr, "  "+e)
		}
		os.Exit(1)
	}
	fmt.Println(dst, "reads the same as", src)
	os.Exit(0)
}

// convertXLS has LibreOffice save src as an Excel 97–2003 workbook at dst.
func convertXLS(src, dst string) error {
	soffice, err := exec.LookPath("soffice")
	if err != nil {
		return fmt.Errorf("samplegen -xls needs LibreOffice (soffice): %w", err)
	}
	tmp, err := os.MkdirTemp("", "samplegen-xls")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	data, err := os.ReadFile(src)
	if err != nil {
		return err
	}
	in := filepath.Join(tmp, "in.xlsx")
	if err := os.WriteFile(in, data, 0o644); err != nil {
		return err
	}
	cmd := exec.Command(soffice, "--headless", "--convert-to", "xls:MS Excel 97", "--outdir", tmp, in)
	cmd.Env = append(os.Environ(), "HOME="+tmp) // a private LibreOffice profile: no clash with a running instance
	if msg, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("soffice: %v\n%s", err, msg)
	}
	xls, err := os.ReadFile(filepath.Join(tmp, "in.xls"))
	if err != nil {
		return fmt.Errorf("soffice wrote no .xls: %w", err)
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	return os.WriteFile(dst, xls, 0o644)
}

// verifyXLS reads the .xlsx and the .xls with canbo's reader and lists every sheet,
// row or cell where they differ.
func verifyXLS(src, dst string) []string {
	type sheet struct {
		info workbook.SheetInfo
		rows []workbook.Row
	}
	load := func(p string) ([]sheet, string, error) {
		ctx := context.Background()
		b, err := workbook.Open(ctx, p, workbook.Limits{})
		if err != nil {
			return nil, "", err
		}
		defer b.Close()
		var out []sheet
		for _, s := range b.Sheets() {
			rows, err := b.Rows(ctx, s.Index)
			if err != nil {
				return nil, "", err
			}
			sh := sheet{info: s}
			for rows.Next() {
				sh.rows = append(sh.rows, rows.Row())
			}
			if err := rows.Err(); err != nil {
				return nil, "", err
			}
			out = append(out, sh)
		}
		return out, b.Format(), nil
	}
	a, _, err := load(src)
	if err != nil {
		return []string{src + ": " + err.Error()}
	}
	b, format, err := load(dst)
	if err != nil {
		return []string{dst + ": " + err.Error()}
	}
	var errs []string
	if format != "xls" {
		errs = append(errs, fmt.Sprintf("%s is read as %s, not xls", dst, format))
	}
	if len(a) != len(b) {
		return append(errs, fmt.Sprintf("%d sheets in the .xlsx, %d in the .xls", len(a), len(b)))
	}
	for i := range a {
		if a[i].info != b[i].info {
			errs = append(errs, fmt.Sprintf("sheet %d: %+v vs %+v", i, a[i].info, b[i].info))
		}
		if len(a[i].rows) != len(b[i].rows) {
			errs = append(errs, fmt.Sprintf("%s: %d rows vs %d", a[i].info.Name, len(a[i].rows), len(b[i].rows)))
			continue
		}
		for j, ra := range a[i].rows {
			rb := b[i].rows[j]
			if ra.Num != rb.Num || ra.Hidden != rb.Hidden || len(ra.Cells) != len(rb.Cells) {
				errs = append(errs, fmt.Sprintf("%s row %d: %d cells vs row %d: %d cells", a[i].info.Name, ra.Num, len(ra.Cells), rb.Num, len(rb.Cells)))
				continue
			}
			for k, ca := range ra.Cells {
				cb := rb.Cells[k]
				same := ca.Col == cb.Col && ca.Kind == cb.Kind && ca.Num == cb.Num && ca.Time.Equal(cb.Time) &&
					ca.Merged == cb.Merged && ca.Font == cb.Font && (ca.Text == cb.Text || ca.Kind == workbook.Number)
				if !same {
					errs = append(errs, fmt.Sprintf("%s row %d: %+v vs %+v", a[i].info.Name, ra.Num, ca, cb))
				}
			}
		}
	}
	return errs
}
