package main

// Verification of samples/kon-tum and samples/soc-trang, in the spirit of verify.go: reopen
// every file with excelize, find the header by its "STT"/"TT" cell, map columns by their own
// header table, read values through spelling tables written here (not the generator's), and
// compare the recount with the published or chosen figures, restated as literals.

import (
	"fmt"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"
)

// Kon Tum, as the article prints it (Tạp chí Xây dựng Đảng).
var pubKonTum = map[string]struct {
	persons               int
	female, dtts, under35 string
}{
	"dai-hoc":        {218, "27,98", "72,94", "77,06"},
	"trung-cap-luat": {62, "40,32", "62,9", "91,94"},
}

// Sóc Trăng: chosen counts (Đề án 02-ĐA/TU targets 70/50/40/30%).
var pubSocTrang = map[string]struct{ pop, count, pct int }{
	"bch_tinh": {50, 35, 70}, "btv_quan_ly": {46, 22, 50}, "bch_huyen": {80, 45, 40}, "cap_phong": {120, 21, 30},
}

// vxKey folds a cell for the tables below: no diacritics, lower case, letters and digits only.
func vxKey(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(asciiFold(clean(s))) {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// Ethnic groups as written in the files; the key is the text before any "(" or " - ".
var vxEthnic = map[string]string{
	"kinh": "Kinh", "xodang": "Xơ Đăng", "bana": "Ba Na", "giarai": "Gia Rai", "jrai": "Gia Rai", "gietrieng": "Giẻ Triêng",
	"hre": "Hrê", "brau": "Brâu", "romam": "Rơ Măm", "muong": "Mường", "tay": "Tày", "thai": "Thái", "nung": "Nùng",
	"khmer": "Khmer", "khome": "Khmer", "hoa": "Hoa",
	"xedang": "Xơ Đăng", "xodanng": "Xơ Đăng", // the two deliberate near-misses
}

var vxDien = map[string]string{
	"tinhuyvien": "bch_tinh", "tuv": "bch_tinh",
	"dienbtvtinhuyquanly": "btv_quan_ly", "dienbtvquanly": "btv_quan_ly", "btvquanly": "btv_quan_ly", "canbodienbtv": "btv_quan_ly",
	"huyenuyvien": "bch_huyen", "huv": "bch_huyen", "bchcaphuyen": "bch_huyen",
	"lanhdaocapphong": "cap_phong", "capphong": "cap_phong", "lanhdaophong": "cap_phong", "ldqlcapphong": "cap_phong",
	"lanhdaocapphon": "cap_phong", // the deliberate typo
}

// vxLevel reads a degree: "tien_si", "thac_si", "dai_hoc" or "" for blank.
func vxLevel(s string) (string, bool) {
	k := vxKey(s)
	for _, x := range []struct{ pre, lvl string }{
		{"tiensi", eTS}, {"tiensy", eTS}, {"ts", eTS},
		{"thacsi", eTh}, {"thacsy", eTh}, {"ths", eTh}, {"caohoc", eTh}, {"saudaihoc", eTh},
		{"daihoc", eDH}, {"cunhan", eDH}, {"kysu", eDH},
	} {
		if strings.HasPrefix(k, x.pre) {
			return x.lvl, true
		}
	}
	return "", k == ""
}

func vxEth(s string) (string, bool) {
	t := s
	if i := strings.IndexAny(t, "("); i > 0 {
		t = t[:i]
	}
	if i := strings.Index(t, " - "); i > 0 {
		t = t[:i]
	}
	e, ok := vxEthnic[vxKey(t)]
	return e, ok
}

var reColNumber = regexp.MustCompile(`^\(?[0-9]+\)?$`)

var vxDateLayouts = []string{"02/01/2006", "2/1/2006", "02.01.2006", "02-01-2006"}

func vxDate(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	for _, l := range vxDateLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("unparsed date %q", s)
}

// vxField maps a folded header label ("parent>child" for two-row headers) to a field.
func vxField(label string) string {
	switch label {
	case "stt", "tt":
		return "stt"
	case "họ và tên", "họ tên":
		return "name"
	case "ngày sinh", "sinh ngày":
		return "birth"
	case "ngày sinh>nam":
		return "birthM"
	case "ngày sinh>nữ":
		return "birthF"
	case "giới tính":
		return "sex"
	case "giới tính>nam":
		return "maleX"
	case "giới tính>nữ", "nữ":
		return "femaleX"
	case "dân tộc":
		return "eth"
	case "diện quản lý":
		return "dien"
	case "trình độ chuyên môn", "trình độ>chuyên môn", "trình độ chuyên môn>hiện có":
		return "edu"
	case "đang đào tạo", "đang đào tạo sau đại học", "trình độ chuyên môn>đang học":
		return "study"
	}
	return ""
}

// vxTable finds the STT/TT header (one or two rows) and maps the columns.
func vxTable(f *excelize.File, sheet string) (table, error) {
	g, err := readGrid(f, sheet)
	if err != nil {
		return table{}, err
	}
	for r := range g.rows {
		for c := range g.rows[r] {
			if k := fold(g.rows[r][c]); k != "stt" && k != "tt" {
				continue
			}
			two := fold(g.atFill(r+1, c)) == fold(g.rows[r][c])
			cols := map[string]int{}
			width := max(len(g.fill[r]), len(g.fill[min(r+1, len(g.fill)-1)]))
			for cc := 0; cc < width; cc++ {
				l := fold(g.atFill(r, cc))
				if two {
					if ch := fold(g.atFill(r+1, cc)); ch != "" && ch != l {
						l += ">" + ch
					}
				}
				if fl := vxField(l); fl != "" {
					if _, dup := cols[fl]; dup {
						return table{}, fmt.Errorf("two columns for %s", fl)
					}
					cols[fl] = cc
				}
			}
			start := r + 1
			if two {
				start++
			}
			if reColNumber.MatchString(g.at(start, cols["name"])) {
				start++ // the column-number row "1 2 3 …" or "(1) (2) (3) …"
			}
			return table{g, cols, start}, nil
		}
	}
	return table{}, fmt.Errorf("no STT header")
}

type vxPerson struct {
	name   string
	birth  time.Time
	female bool
	eth    string
	dien   string
	edu    string
	study  string
	file   string
	row    int
}

func (p vxPerson) key() string { return p.name + "|" + dmy(p.birth) }

// vxRead reads one roster sheet; it reports every cell it cannot classify.
func vxRead(path, sheet, layout string, fail func(string, ...any)) []vxPerson {
	f, err := excelize.OpenFile(path)
	if err != nil {
		fail("%s: %v", path, err)
		return nil
	}
	defer f.Close()
	t, err := vxTable(f, sheet)
	if err != nil {
		fail("%s: %v", path, err)
		return nil
	}
	name := filepath.Base(path)
	var out []vxPerson
	for _, r := range t.dataRows() {
		p := vxPerson{file: name, row: r + 1, name: clean(t.get(r, "name"))}
		bd := t.get(r, "birth")
		switch {
		case t.get(r, "birthM") != "":
			bd = t.get(r, "birthM")
		case t.get(r, "birthF") != "":
			bd, p.female = t.get(r, "birthF"), true
		}
		if p.birth, err = vxDate(bd); err != nil {
			fail("%s row %d: %v", name, r+1, err)
		}
		if _, ok := t.cols["sex"]; ok {
			p.female = fold(t.get(r, "sex")) == "nữ"
		}
		if _, ok := t.cols["femaleX"]; ok {
			p.female = fold(t.get(r, "femaleX")) == "x"
		}
		if _, ok := t.cols["maleX"]; ok && (fold(t.get(r, "maleX")) == "x") == p.female {
			fail("%s row %d: Nam/Nữ marks disagree", name, r+1)
		}
		var ok bool
		if p.eth, ok = vxEth(t.get(r, "eth")); !ok {
			fail("%s row %d: unknown ethnicity %q", name, r+1, t.get(r, "eth"))
		}
		if _, has := t.cols["dien"]; has {
			if p.dien = vxDien[vxKey(t.get(r, "dien"))]; p.dien == "" {
				fail("%s row %d: unknown diện %q", name, r+1, t.get(r, "dien"))
			}
			if p.edu, ok = vxLevel(t.get(r, "edu")); !ok || p.edu == "" {
				fail("%s row %d: unknown degree %q", name, r+1, t.get(r, "edu"))
			}
			if p.study, ok = vxLevel(t.get(r, "study")); !ok {
				fail("%s row %d: unknown study %q", name, r+1, t.get(r, "study"))
			}
		}
		for _, fl := range []string{"birth", "birthM", "birthF", "sex", "femaleX", "eth", "dien", "edu", "study"} {
			if v := t.get(r, fl); v != "" {
				spellAdd(layout, fl, v)
			}
		}
		out = append(out, p)
	}
	return out
}

// verifyKonTum recounts samples/kon-tum per folder and compares with the article.
func verifyKonTum(dir string, cs []*ktClass) []string {
	var errs []string
	fail := func(f string, a ...any) { errs = append(errs, fmt.Sprintf(f, a...)) }
	byFolder := map[string][]vxPerson{}
	read := map[string]vxPerson{}
	for _, c := range cs {
		ps := vxRead(filepath.Join(dir, c.Folder, c.File), c.Sheet, c.Layout, fail)
		if len(ps) != c.Size {
			fail("%s: %d learners read, the %s class has %d", c.File, len(ps), c.Major, c.Size)
		}
		byFolder[c.Folder] = append(byFolder[c.Folder], ps...)
		for _, p := range ps {
			read[c.Folder+"|"+p.key()] = p
		}
	}
	for folder, pub := range pubKonTum {
		ps := byFolder[folder]
		fem, dtts, u35 := 0, 0, 0
		for _, p := range ps {
			fem += boolInt(p.female)
			dtts += boolInt(p.eth != "Kinh")
			u35 += boolInt(age(p.birth, refDate) < 35)
		}
		if len(ps) != pub.persons {
			fail("kon-tum/%s: %d learners, published %d", folder, len(ps), pub.persons)
		}
		for _, x := range []struct {
			what string
			n    int
			want string
		}{{"nữ", fem, pub.female}, {"DTTS", dtts, pub.dtts}, {"dưới 35 tuổi", u35, pub.under35}} {
			if got := pctVN(x.n, len(ps)); !samePct(got, x.want) {
				fail("kon-tum/%s %s: %d of %d = %s%%, published %s%%", folder, x.what, x.n, len(ps), got, x.want)
			}
		}
		if len(errs) == 0 {
			fmt.Printf("verify OK: kon-tum/%s %d learners, nữ %d (%s%%), DTTS %d (%s%%), dưới 35 %d (%s%%)\n", folder, len(ps),
				fem, pctVN(fem, len(ps)), dtts, pctVN(dtts, len(ps)), u35, pctVN(u35, len(ps)))
		}
	}
	for _, c := range cs {
		for _, mp := range c.Persons {
			p, ok := read[c.Folder+"|"+mp.Name+"|"+dmy(mp.Birth)]
			if !ok {
				fail("%s: %s (%s) not found", c.File, mp.Name, dmy(mp.Birth))
				continue
			}
			if p.female != mp.Female || p.eth != mp.Ethnic {
				fail("%s row %d: read %v/%s, model %v/%s", p.file, p.row, p.female, p.eth, mp.Female, mp.Ethnic)
			}
		}
	}
	return errs
}

// verifySocTrang recounts samples/soc-trang per diện and evaluates the four targets.
func verifySocTrang(dir string, fs []*stFile) []string {
	var errs []string
	fail := func(f string, a ...any) { errs = append(errs, fmt.Sprintf(f, a...)) }
	read := map[string]vxPerson{}
	pop, count := map[string]int{}, map[string]int{}
	for _, f := range fs {
		for _, p := range vxRead(filepath.Join(dir, f.File), f.Sheet, f.Layout, fail) {
			read[p.key()] = p
			pop[p.dien]++
			if p.edu == eTh || p.edu == eTS || p.study == eTh || p.study == eTS {
				count[p.dien]++
			}
		}
	}
	var summary []string
	for _, d := range stDiens {
		want := pubSocTrang[d]
		if pop[d] != want.pop || count[d] != want.count {
			fail("soc-trang %s: %d of %d, chosen %d of %d", d, count[d], pop[d], want.count, want.pop)
		}
		met, short := evalTarget(count[d], pop[d], want.pct)
		summary = append(summary, fmt.Sprintf("%s %d/%d = %s%% (≥%d%%: %v, thiếu %d)", d, count[d], pop[d], pctVN(count[d], pop[d]), want.pct, met, short))
	}
	for _, f := range fs {
		for _, mp := range f.Persons {
			p, ok := read[mp.Name+"|"+dmy(mp.Birth)]
			if !ok {
				fail("%s: %s (%s) not found", f.File, mp.Name, dmy(mp.Birth))
				continue
			}
			if p.dien != mp.Dien || p.edu != mp.Edu || p.study != mp.Study || p.female != mp.Female {
				fail("%s row %d: read %s/%s/%s/%v, model %s/%s/%s/%v", p.file, p.row, p.dien, p.edu, p.study, p.female,
					mp.Dien, mp.Edu, mp.Study, mp.Female)
			}
		}
	}
	if len(errs) == 0 {
		fmt.Printf("verify OK: soc-trang %s\n", strings.Join(summary, "; "))
	}
	return errs
}
