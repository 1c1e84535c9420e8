package main

import (
	"fmt"
	"sort"
	"strings"
)

// printStats prints the secondary distributions of the model (go run ./cmd/samplegen -stats).
func printStats(m *Model) {
	c := countPersons(m.Persons)
	n := float64(c.Persons)
	fmt.Printf("persons %d: nữ %d (%.1f%%), đảng viên %d (%.1f%%)\n", c.Persons, c.Female, 100*float64(c.Female)/n, c.Party, 100*float64(c.Party)/n)
	eth := map[string]int{}
	cccd006, minAge, maxAge := 0, 200, 0
	for _, p := range m.Persons {
		eth[p.Ethnic]++
		if strings.HasPrefix(p.CCCD, "006") {
			cccd006++
		}
		a := p.Age(refDate)
		minAge, maxAge = min(minAge, a), max(maxAge, a)
	}
	var ks []string
	for k := range eth {
		ks = append(ks, k)
	}
	sort.Slice(ks, func(i, j int) bool { return eth[ks[i]] > eth[ks[j]] })
	for _, k := range ks {
		fmt.Printf("  %s %d", k, eth[k])
	}
	fmt.Printf("\nCCCD starting 006: %d of %d; ages %d–%d on 30/09/2023\n", cccd006, c.Persons, minAge, maxAge)
	fmt.Println("unit: persons ThS/ĐH/CĐ/TC | LLCT CC/TC/SC/none | QLNN CVC/CV/none | nữ đv | attendances")
	for _, u := range m.Units {
		uc := countPersons(u.Persons)
		a := 0
		for _, p := range u.Persons {
			a += len(p.Atts)
		}
		fmt.Printf("  %-22s %2d %v %v %v %2d %2d %3d\n", u.Display(), uc.Persons, uc.Edu, uc.LLCT, uc.QLNN, uc.Female, uc.Party, a)
	}
	hist := map[int]int{}
	for _, p := range m.Persons {
		hist[len(p.Atts)]++
	}
	fmt.Println("attendances per person:", hist)
	for _, co := range m.Courses {
		k := 0
		for _, a := range m.Atts {
			if a.Session.Course == co {
				k++
			}
		}
		fmt.Printf("  %-4d %s (%s)\n", k, co.Name, co.Kind)
	}
}

func printSpellings() {
	var ls []string
	for l := range spellings {
		ls = append(ls, l)
	}
	sort.Strings(ls)
	for _, l := range ls {
		var fs []string
		for f := range spellings[l] {
			fs = append(fs, f)
		}
		sort.Strings(fs)
		for _, f := range fs {
			m := spellings[l][f]
			var vs []string
			for v, n := range m {
				vs = append(vs, fmt.Sprintf("%q×%d", v, n))
			}
			sort.Strings(vs)
			if len(vs) > 30 {
				vs = append(vs[:30], fmt.Sprintf("… (%d distinct)", len(m)))
			}
			fmt.Printf("%-8s %-22s %s\n", l, f, strings.Join(vs, ", "))
		}
	}
}
