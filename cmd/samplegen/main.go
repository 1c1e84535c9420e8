// Command gen writes the sample workbooks under samples/ and checks them.
//
//	go run ./cmd/samplegen            # regenerate every sample folder, then verify
//	go run ./cmd/samplegen -verify    # only re-read the files and recount
//	go run ./cmd/samplegen -stats     # print the distributions of every set
//
// The Chợ Đồn data reproduce the figures published by Báo Bắc Kạn on 29/11/2023
// ("Chuẩn hóa đội ngũ cán bộ cơ sở ở Chợ Đồn"): 388 commune-level cadres and civil servants
// in 20 units as of 30/09/2023, and 877 training attendances from 2021 to 09/2023.
// samples/kon-tum reproduces the four Kon Tum classes of Tạp chí Xây dựng Đảng (kontum.go);
// samples/nam-po reproduces Nậm Pồ's training of ethnic-minority staff in lượt and người (nampo.go);
// samples/soc-trang puts the four targets of Sóc Trăng's Đề án 02-ĐA/TU on both sides of
// their thresholds (soctrang.go).
// Output is deterministic (fixed-seed PCG; zip entries carry no timestamps), except that
// mat-khau.xlsx is encrypted with a random salt; it is only rewritten when its content changes.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

func main() {
	out := flag.String("out", "samples", "directory that receives cho-don/, loi-mau/, kon-tum/, soc-trang/ and nam-po/")
	verifyOnly := flag.Bool("verify", false, "do not write; re-read the existing files and recount")
	quiet := flag.Bool("q", false, "do not list notable cells")
	stats := flag.Bool("stats", false, "print the model's distributions and exit")
	spell := flag.Bool("spellings", false, "after verifying, list the distinct cell texts per layout and field")
	flag.Parse()

	m := buildModel()
	checkModel(m) // panics if the model does not reproduce the published figures
	x := buildExtra(m)
	if *stats {
		printStats(m)
		printExtraStats(x)
		return
	}

	choDon := filepath.Join(*out, "cho-don")
	loiMau := filepath.Join(*out, "loi-mau")
	if !*verifyOnly {
		n := generate(m, choDon, loiMau)
		fmt.Printf("wrote %d workbooks to %s and 6 files to %s\n", n, choDon, loiMau)
		x.generate(*out)
		if !*quiet {
			sort.Strings(notes)
			fmt.Println("notable cells:")
			for _, n := range notes {
				fmt.Println("  " + n)
			}
		}
	}
	errs := verify(m, choDon, loiMau)
	errs = append(errs, x.verify(*out)...)
	if len(errs) > 0 {
		fmt.Fprintln(os.Stderr, "VERIFY FAILED:")
		for _, e := range errs {
			fmt.Fprintln(os.Stderr, "  "+e)
		}
		os.Exit(1)
	}
	if *spell {
		printSpellings()
	}
}

// generate writes every file and returns the number of workbooks in choDon.
func generate(m *Model, choDon, loiMau string) int {
	notes, typoDone = nil, map[string]bool{}
	must(os.MkdirAll(choDon, 0o755))
	keep := map[string]bool{districtFile: true}
	for _, fs := range fileSpecs {
		writeUnitFile(choDon, m, fs)
		keep[fs.Name] = true
	}
	writeDistrict(choDon, m)
	removeStale(choDon, keep)
	writeLoiMau(loiMau)
	return len(keep)
}

// removeStale deletes .xlsx files left in cho-don by an earlier run under another name.
func removeStale(dir string, keep map[string]bool) {
	ents, err := os.ReadDir(dir)
	must(err)
	for _, e := range ents {
		if !e.IsDir() && strings.HasSuffix(e.Name(), ".xlsx") && !keep[e.Name()] {
			must(os.Remove(filepath.Join(dir, e.Name())))
			fmt.Println("removed stale", e.Name())
		}
	}
}
