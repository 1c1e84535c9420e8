package main

// The sample sets beyond Chợ Đồn: samples/kon-tum and samples/soc-trang. They are built after
// the Chợ Đồn model, from their own fixed seeds, and no (name, birth date) pair repeats
// across sets: a run over all of samples/ must not report duplicate persons.

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

type extraSets struct {
	KonTum   []*ktClass
	SocTrang []*stFile
	NamPo    *npSet
	MuongCha *mcSet
}

// usedKeys returns "name|dd/mm/yyyy" of every Chợ Đồn person.
func usedKeys(m *Model) map[string]bool {
	used := map[string]bool{}
	for _, p := range m.Persons {
		used[p.Name+"|"+dmy(p.Birth)] = true
	}
	return used
}

// buildExtra builds both sets; each panics if it does not give its figures.
func buildExtra(m *Model) *extraSets {
	used := usedKeys(m)
	x := &extraSets{KonTum: buildKonTum(used), SocTrang: buildSocTrang(used)}
	x.NamPo = buildNamPo(used)
	x.MuongCha = buildMuongCha(used)
	return x
}

// generate writes samples/kon-tum and samples/soc-trang under out.
func (x *extraSets) generate(out string) {
	kt, st := filepath.Join(out, "kon-tum"), filepath.Join(out, "soc-trang")
	files := writeKonTum(kt, x.KonTum)
	removeStaleIn(kt, files)
	fmt.Printf("wrote %d workbooks to %s\n", len(files), kt)
	files = writeSocTrang(st, x.SocTrang)
	removeStaleIn(st, files)
	fmt.Printf("wrote %d workbooks to %s\n", len(files), st)
	np := filepath.Join(out, "nam-po")
	files = writeNamPo(np, x.NamPo)
	removeStaleIn(np, files)
	fmt.Printf("wrote %d workbooks to %s\n", len(files), np)
	mc := filepath.Join(out, "muong-cha")
	files = writeMuongCha(mc, x.MuongCha)
	removeStaleIn(mc, files)
	fmt.Printf("wrote %d workbooks to %s\n", len(files), mc)
}

// verify re-reads both sets under out.
func (x *extraSets) verify(out string) []string {
	errs := verifyKonTum(filepath.Join(out, "kon-tum"), x.KonTum)
	errs = append(errs, verifySocTrang(filepath.Join(out, "soc-trang"), x.SocTrang)...)
	errs = append(errs, verifyNamPo(filepath.Join(out, "nam-po"), x.NamPo)...)
	return append(errs, verifyMuongCha(filepath.Join(out, "muong-cha"), x.MuongCha)...)
}

// extraDirs are the folders the extra sets write, relative to out, for gen_test.
var extraDirs = []string{"kon-tum/dai-hoc", "kon-tum/trung-cap-luat", "soc-trang", "nam-po", "muong-cha"}

// removeStaleIn deletes .xlsx files under dir (one level of subfolders) that this run did
// not write, e.g. after a file was renamed.
func removeStaleIn(dir string, written []string) {
	keep := map[string]bool{}
	for _, w := range written {
		keep[filepath.Clean(w)] = true
	}
	_ = filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		must(err)
		rel, _ := filepath.Rel(dir, p)
		if !d.IsDir() && strings.HasSuffix(d.Name(), ".xlsx") && !keep[rel] {
			must(os.Remove(p))
			fmt.Println("removed stale", p)
		}
		return nil
	})
}

// printExtraStats prints the distributions of the two sets (go run ./cmd/samplegen -stats).
func printExtraStats(x *extraSets) {
	fmt.Println("\nKon Tum classes: persons nữ DTTS dưới-35 | ages | groups")
	for _, c := range x.KonTum {
		k := countKT(c.Persons)
		lo, hi := 200, 0
		eth := map[string]int{}
		for _, p := range c.Persons {
			a := age(p.Birth, refDate)
			lo, hi = min(lo, a), max(hi, a)
			eth[p.Ethnic]++
		}
		fmt.Printf("  %-15s %-45s %3d %3d %3d %3d | %d–%d | %s\n", c.Folder, c.File, k.Persons, k.Female, k.DTTS, k.Under35, lo, hi, sortedCounts(eth))
	}
	fmt.Println("\nSóc Trăng: file | per diện: population (TS/ThS/studying only)")
	for _, f := range x.SocTrang {
		var parts []string
		for _, d := range stDiens {
			if q, ok := f.Quota[d]; ok {
				parts = append(parts, fmt.Sprintf("%s %d (%d/%d/%d)", d, q.Pop, q.TS, q.ThS, q.Study))
			}
		}
		fmt.Printf("  %-32s %s\n", f.File, strings.Join(parts, ", "))
	}
	lo, hi, eth := 200, 0, map[string]int{}
	for _, f := range x.SocTrang {
		for _, p := range f.Persons {
			a := age(p.Birth, refDate)
			lo, hi = min(lo, a), max(hi, a)
			eth[p.Ethnic]++
		}
	}
	fmt.Printf("  ages %d–%d; %s\n", lo, hi, sortedCounts(eth))
	got := countST(x.SocTrang)
	for _, t := range stTargets {
		c := got[t.Dien]
		met, short := evalTarget(c.Count, c.Pop, t.Pct)
		fmt.Printf("  %-12s %3d người, ThS/TS %2d, chỉ đang học %d → %2d = %s%% (chỉ tiêu %d%%): đạt %v, thiếu %d\n",
			t.Dien, c.Pop, c.Degree, c.StudyOnly, c.Count, pctVN(c.Count, c.Pop), t.Pct, met, short)
	}
}

func sortedCounts(m map[string]int) string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	sort.Slice(ks, func(i, j int) bool { return m[ks[i]] > m[ks[j]] || (m[ks[i]] == m[ks[j]] && ks[i] < ks[j]) })
	var out []string
	for _, k := range ks {
		out = append(out, fmt.Sprintf("%s %d", k, m[k]))
	}
	return strings.Join(out, ", ")
}
