package main

// verify re-reads the written files with excelize and recounts everything from the cells,
// with its own header and value tables (it does not use the generator's spelling code).
// The totals are compared with the published figures, written here again as literals.

import (
	"archive/zip"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/unicode/norm"
)

// Published figures, Chợ Đồn, 30/09/2023.
var (
	pubPersons = 388
	pubEdu     = map[string]int{"ThS": 3, "ĐH": 313, "CĐ": 21, "TC": 51}
	pubLLCT    = map[string]int{"CC": 8, "TC": 261, "SC": 79, "none": 40}
	pubQLNN    = map[string]int{"CVC": 2, "CV": 204, "none": 182}
	pubKinds   = map[string]int{"LLCT": 139, "CMNV": 98, "QLNN": 64, "VTVL": 49, "LĐQL": 25, "QPAN": 83, "THNN": 44, "HĐND": 375}
	pubNT      = map[string]int{"persons": 19, "ĐH": 15, "CĐ": 1, "TC": 3}
)

// Value tables, keyed by the folded cell text (NFC, lower case, single spaces).
var vEdu = map[string]string{
	"thạc sĩ": "ThS", "ths": "ThS", "th.s": "ThS", "thạc sỹ qlkt": "ThS",
	"đại học": "ĐH", "đh": "ĐH", "đại học (kế toán)": "ĐH", "cử nhân luật": "ĐH", "kỹ sư nông nghiệp": "ĐH", "đại họcc": "ĐH",
	"cao đẳng": "CĐ", "cđ": "CĐ", "cao đẳng sư phạm": "CĐ",
	"trung cấp": "TC", "tc": "TC", "trung cấp kế toán": "TC", "trung cáp": "TC",
}
var vEduPrefix = map[string]string{"thạc sĩ ": "ThS", "đại học ": "ĐH", "cao đẳng ": "CĐ", "trung cấp ": "TC"} // L2 "Đại học Luật"
var vLLCT = map[string]string{
	"cao cấp": "CC", "cc": "CC", "cao cấp llct - hành chính": "CC",
	"trung cấp": "TC", "tc": "TC", "trung cấp llct": "TC",
	"sơ cấp": "SC",
	"chưa":   "none", "không": "none", "chưa qua đt": "none",
}
var vQLNN = map[string]string{
	"chuyên viên chính": "CVC", "cvc": "CVC", "chuyên viên": "CV", "cv": "CV",
	"chưa qua bồi dưỡng": "none", "chưa": "none",
}
var vEth = map[string]string{
	"tày": "Tày", "kinh": "Kinh", "dao": "Dao", "dao đỏ": "Dao", "nùng": "Nùng", "mông": "Mông", "h'mông": "Mông",
	"hoa": "Hoa", "sán chay": "Sán Chay",
}
var xEdu = map[string]string{"thạc sĩ": "ThS", "đại học": "ĐH", "cao đẳng": "CĐ", "trung cấp": "TC"}
var xLLCT = map[string]string{"cao cấp": "CC", "trung cấp": "TC", "sơ cấp": "SC", "chưa qua đào tạo": "none"}

var vCourse = map[string]string{
	"Trung cấp lý luận chính trị - hành chính": "LLCT", "Sơ cấp lý luận chính trị": "LLCT", "Cao cấp lý luận chính trị": "LLCT",
	"Bồi dưỡng lý luận chính trị cho đảng viên mới": "LLCT", "Trung cấp LLCT": "LLCT",
	"Đại học Luật (vừa làm vừa học)": "CMNV", "Bồi dưỡng nghiệp vụ tư pháp - hộ tịch": "CMNV",
	"Bồi dưỡng nghiệp vụ kế toán ngân sách xã": "CMNV", "Tập huấn nghiệp vụ địa chính": "CMNV", "Đại học Kinh tế nông nghiệp": "CMNV",
	"Bồi dưỡng QLNN ngạch chuyên viên": "QLNN", "Bồi dưỡng kiến thức quản lý nhà nước chương trình chuyên viên chính": "QLNN",
	"Quản lý nhà nước ngạch chuyên viên":                             "QLNN",
	"Bồi dưỡng kiến thức, kỹ năng chuyên ngành theo vị trí việc làm": "VTVL", "Bồi dưỡng theo vị trí việc làm công chức Văn phòng - thống kê": "VTVL",
	"Bồi dưỡng kỹ năng lãnh đạo, quản lý cấp xã": "LĐQL", "Bồi dưỡng lãnh đạo quản lý cấp phòng": "LĐQL",
	"Bồi dưỡng kiến thức QP-AN đối tượng 4": "QPAN", "Bồi dưỡng kiến thức quốc phòng và an ninh đối tượng 3": "QPAN",
	"Tiếng Tày": "THNN", "Tiếng Anh trình độ B1": "THNN", "Tin học ứng dụng cơ bản": "THNN", "Tiếng dân tộc Mông": "THNN",
	"Chứng chỉ ứng dụng CNTT cơ bản":                                                "THNN",
	"Bồi dưỡng nâng cao năng lực đại biểu HĐND cấp xã":                              "HĐND",
	"Bồi dưỡng kỹ năng hoạt động cho đại biểu Hội đồng nhân dân nhiệm kỳ 2021-2026": "HĐND",
}

func fold(s string) string {
	s = norm.NFC.String(s)
	s = strings.ReplaceAll(s, "\u00a0", " ")
	s = strings.ReplaceAll(s, "\n", " ")
	return strings.ToLower(strings.Join(strings.Fields(s), " "))
}

func clean(s string) string {
	s = norm.NFC.String(strings.ReplaceAll(s, "\u00a0", " "))
	return strings.Join(strings.Fields(s), " ")
}

type vPerson struct {
	unit, name, birth         string // birth "dd/mm/yyyy" or "yyyy"
	sex, eth, edu, llct, qlnn string
	party                     bool
	cccd                      string
	file                      string
	row                       int
}

type grid struct {
	rows [][]string
	fill [][]string // with merged ranges filled (for headers)
}

func (g grid) at(r, c int) string { // 0-based
	if r < len(g.rows) && c < len(g.rows[r]) {
		return g.rows[r][c]
	}
	return ""
}

func (g grid) atFill(r, c int) string {
	if r < len(g.fill) && c < len(g.fill[r]) {
		return g.fill[r][c]
	}
	return ""
}

func readGrid(f *excelize.File, sheet string) (grid, error) {
	rows, err := f.GetRows(sheet)
	if err != nil {
		return grid{}, err
	}
	fill := make([][]string, len(rows))
	for i := range rows {
		fill[i] = append([]string(nil), rows[i]...)
	}
	mcs, err := f.GetMergeCells(sheet)
	if err != nil {
		return grid{}, err
	}
	for _, mc := range mcs {
		c1, r1, _ := excelize.CellNameToCoordinates(mc.GetStartAxis())
		c2, r2, _ := excelize.CellNameToCoordinates(mc.GetEndAxis())
		for r := r1; r <= r2; r++ {
			for c := c1; c <= c2; c++ {
				for len(fill) < r {
					fill = append(fill, nil)
				}
				for len(fill[r-1]) < c {
					fill[r-1] = append(fill[r-1], "")
				}
				fill[r-1][c-1] = mc.GetCellValue()
			}
		}
	}
	return grid{rows, fill}, nil
}

// header finds the row holding "STT" and, if the STT cell is merged downwards, the
// sub-header row; it returns a label per column and the first row after the header.
func header(g grid) (labels map[int]string, start int, err error) {
	for r := range g.rows {
		for c := range g.rows[r] {
			if fold(g.rows[r][c]) != "stt" {
				continue
			}
			two := fold(g.atFill(r+1, c)) == "stt"
			labels = map[int]string{}
			width := len(g.fill[r])
			if two && len(g.fill[r+1]) > width {
				width = len(g.fill[r+1])
			}
			for cc := 0; cc < width; cc++ {
				p := fold(g.atFill(r, cc))
				if two {
					if ch := fold(g.atFill(r+1, cc)); ch != "" && ch != p {
						p += ">" + ch
					}
				}
				if p != "" {
					labels[cc] = p
				}
			}
			start = r + 1
			if two {
				start = r + 2
			}
			return labels, start, nil
		}
	}
	return nil, 0, fmt.Errorf("no STT header")
}

func fieldOf(label string) string {
	switch {
	case label == "stt":
		return "stt"
	case strings.Contains(label, "họ và tên"):
		return "name"
	case label == "đơn vị":
		return "unit"
	case strings.HasSuffix(label, "sinh>nam"):
		return "birthM"
	case strings.HasSuffix(label, "sinh>nữ"):
		return "birthF"
	case strings.Contains(label, "sinh"):
		return "birth"
	case label == "giới tính":
		return "sex"
	case label == "nữ":
		return "femaleX"
	case label == "dân tộc":
		return "eth"
	case label == "chức vụ":
		return "pos"
	case label == "tuổi":
		return "age"
	case strings.HasPrefix(label, "trình độ chuyên môn>"):
		return "eduX:" + strings.TrimPrefix(label, "trình độ chuyên môn>")
	case label == "trình độ chuyên môn" || label == "tđcm" || label == "trình độ>chuyên môn":
		return "edu"
	case strings.HasPrefix(label, "lý luận chính trị>"):
		return "llctX:" + strings.TrimPrefix(label, "lý luận chính trị>")
	case label == "lý luận chính trị" || label == "llct" || label == "trình độ>lý luận chính trị":
		return "llct"
	case label == "quản lý nhà nước" || label == "qlnn" || label == "trình độ>quản lý nhà nước":
		return "qlnn"
	case strings.HasPrefix(label, "đảng viên"):
		return "party"
	case strings.Contains(label, "cccd"):
		return "cccd"
	case strings.Contains(label, "nội dung") || label == "tên lớp" || label == "khóa học":
		return "course"
	case label == "từ ngày":
		return "from"
	case label == "đến ngày":
		return "to"
	}
	return ""
}

var reSTT = regexp.MustCompile(`^[0-9]+\.?$`)

// normDate turns the written forms into dd/mm/yyyy (or yyyy for year-only).
func normDate(s string) (string, error) {
	s = strings.TrimSpace(s)
	if regexp.MustCompile(`^(19|20)[0-9]{2}$`).MatchString(s) {
		return s, nil
	}
	for _, l := range []string{"02/01/2006", "2/1/06", "02.01.2006", "02-01-2006"} {
		if t, err := time.Parse(l, s); err == nil {
			if l == "2/1/06" && t.Year() >= 2000 {
				t = t.AddDate(-100, 0, 0) // all birth years are 19xx
			}
			return t.Format("02/01/2006"), nil
		}
	}
	return "", fmt.Errorf("unparsed date %q", s)
}

type table struct {
	g     grid
	cols  map[string]int
	start int
}

func readTable(f *excelize.File, sheet string) (table, error) {
	g, err := readGrid(f, sheet)
	if err != nil {
		return table{}, err
	}
	labels, start, err := header(g)
	if err != nil {
		return table{}, err
	}
	cols := map[string]int{}
	for c, l := range labels {
		if fl := fieldOf(l); fl != "" {
			if _, dup := cols[fl]; dup {
				return table{}, fmt.Errorf("two columns for %s", fl)
			}
			cols[fl] = c
		}
	}
	return table{g, cols, start}, nil
}

func (t table) get(r int, field string) string {
	c, ok := t.cols[field]
	if !ok {
		return ""
	}
	return t.g.at(r, c)
}

// dataRows yields the rows whose STT is a number and whose name is not empty.
func (t table) dataRows() []int {
	var out []int
	for r := t.start; r < len(t.g.rows); r++ {
		if reSTT.MatchString(strings.TrimSpace(t.get(r, "stt"))) && clean(t.get(r, "name")) != "" {
			out = append(out, r)
		}
	}
	return out
}

func verify(m *Model, choDon, loiMau string) []string {
	var errs []string
	fail := func(f string, a ...any) { errs = append(errs, fmt.Sprintf(f, a...)) }
	unitByDisplay := map[string]string{}
	for _, u := range m.Units {
		unitByDisplay[u.Display()] = u.Short
	}

	var persons []vPerson
	byKey := map[string]*vPerson{}
	for _, fs := range fileSpecs {
		path := filepath.Join(choDon, fs.Name)
		f, err := excelize.OpenFile(path)
		if err != nil {
			fail("%s: %v", fs.Name, err)
			continue
		}
		t, err := readTable(f, fs.Sheet)
		if err != nil {
			fail("%s: %v", fs.Name, err)
			f.Close()
			continue
		}
		for _, need := range []string{"name", "eth", "pos", "qlnn", "party"} {
			if _, ok := t.cols[need]; !ok {
				fail("%s: no column for %s (cols %v)", fs.Name, need, t.cols)
			}
		}
		for _, r := range t.dataRows() {
			p := vPerson{file: fs.Name, row: r + 1, unit: fs.Units[0]}
			if _, ok := t.cols["unit"]; ok {
				p.unit = unitByDisplay[clean(t.get(r, "unit"))]
			}
			p.name = clean(t.get(r, "name"))
			bd := t.get(r, "birth")
			switch {
			case t.get(r, "birthM") != "":
				bd, p.sex = t.get(r, "birthM"), "nam"
			case t.get(r, "birthF") != "":
				bd, p.sex = t.get(r, "birthF"), "nữ"
			}
			if p.birth, err = normDate(bd); err != nil {
				fail("%s row %d: %v", fs.Name, r+1, err)
			}
			if _, ok := t.cols["sex"]; ok {
				p.sex = fold(t.get(r, "sex"))
			}
			if _, ok := t.cols["femaleX"]; ok {
				p.sex = "nam"
				if fold(t.get(r, "femaleX")) == "x" {
					p.sex = "nữ"
				}
			}
			p.eth = vEth[fold(t.get(r, "eth"))]
			if p.eth == "" {
				fail("%s row %d: unknown ethnicity %q", fs.Name, r+1, t.get(r, "eth"))
			}
			p.edu, p.llct = "", ""
			for fl := range t.cols {
				if strings.HasPrefix(fl, "eduX:") && fold(t.get(r, fl)) == "x" {
					if p.edu != "" {
						fail("%s row %d: two education marks", fs.Name, r+1)
					}
					p.edu = xEdu[strings.TrimPrefix(fl, "eduX:")]
				}
				if strings.HasPrefix(fl, "llctX:") && fold(t.get(r, fl)) == "x" {
					if p.llct != "" {
						fail("%s row %d: two LLCT marks", fs.Name, r+1)
					}
					p.llct = xLLCT[strings.TrimPrefix(fl, "llctX:")]
				}
			}
			if _, ok := t.cols["edu"]; ok {
				v := fold(t.get(r, "edu"))
				p.edu = vEdu[v]
				for pre, lvl := range vEduPrefix {
					if p.edu == "" && strings.HasPrefix(v, pre) {
						p.edu = lvl
					}
				}
			}
			if _, ok := t.cols["llct"]; ok {
				p.llct = vLLCT[fold(t.get(r, "llct"))]
			}
			p.qlnn = vQLNN[fold(t.get(r, "qlnn"))]
			if p.edu == "" || p.llct == "" || p.qlnn == "" {
				fail("%s row %d: unclassified edu %q / llct %q / qlnn %q", fs.Name, r+1, t.get(r, "edu"), t.get(r, "llct"), t.get(r, "qlnn"))
			}
			p.party = strings.TrimSpace(t.get(r, "party")) != ""
			p.cccd = strings.TrimSpace(t.get(r, "cccd"))
			if regexp.MustCompile(`^[0-9]{9,11}$`).MatchString(p.cccd) {
				p.cccd = strings.Repeat("0", 12-len(p.cccd)) + p.cccd // stored as a number: "006…" → 6…, 10 digits
			}
			for _, fl := range []string{"birth", "birthM", "birthF", "sex", "femaleX", "eth", "edu", "llct", "qlnn", "party", "cccd"} {
				if v := t.get(r, fl); v != "" {
					spellAdd(fs.Layout, fl, v)
				}
			}
			for fl := range t.cols {
				if strings.Contains(fl, ":") {
					if v := t.get(r, fl); v != "" {
						spellAdd(fs.Layout, fl, v)
					}
				}
			}
			persons = append(persons, p)
			k := p.unit + "|" + p.name + "|" + p.birth
			if byKey[k] != nil {
				fail("%s row %d: duplicate person %s", fs.Name, r+1, k)
			}
			byKey[k] = &persons[len(persons)-1]
		}
		checkFileFeatures(f, fs, fail)
		f.Close()
	}
	// re-point byKey at the final slice (append may have moved it)
	for i := range persons {
		p := &persons[i]
		byKey[p.unit+"|"+p.name+"|"+p.birth] = p
	}

	// totals from the cells
	edu, llct, qlnn := map[string]int{}, map[string]int{}, map[string]int{}
	nt := map[string]int{}
	for _, p := range persons {
		edu[p.edu]++
		llct[p.llct]++
		qlnn[p.qlnn]++
		if p.unit == "Nghĩa Tá" {
			nt["persons"]++
			nt[p.edu]++
		}
	}
	if len(persons) != pubPersons {
		fail("persons read: %d, published %d", len(persons), pubPersons)
	}
	cmp := func(what string, got, want map[string]int) {
		if fmt.Sprint(got) != fmt.Sprint(want) {
			fail("%s: read %v, published %v", what, got, want)
		}
	}
	cmp("education", edu, pubEdu)
	cmp("LLCT", llct, pubLLCT)
	cmp("QLNN", qlnn, pubQLNN)
	cmp("Nghĩa Tá", nt, pubNT)

	// every model person appears once, with the same attributes
	for _, mp := range m.Persons {
		b := dmy(mp.Birth)
		if mp.YearOnly {
			b = fmt.Sprint(mp.Birth.Year())
		}
		vp := byKey[mp.Unit.Short+"|"+mp.Name+"|"+b]
		if vp == nil {
			fail("model person %s (%s, %s) not found in the files", mp.Name, b, mp.Unit.Short)
			continue
		}
		want := vPerson{sex: strings.ToLower(genderPlain(mp)), eth: mp.Ethnic, edu: []string{"ThS", "ĐH", "CĐ", "TC"}[mp.Edu],
			llct: []string{"CC", "TC", "SC", "none"}[mp.LLCT], qlnn: []string{"CVC", "CV", "none"}[mp.QLNN], party: mp.Party}
		got := vPerson{sex: vp.sex, eth: vp.eth, edu: vp.edu, llct: vp.llct, qlnn: vp.qlnn, party: vp.party}
		if want != got {
			fail("%s row %d (%s): read %+v, model %+v", vp.file, vp.row, mp.Name, got, want)
		}
		if vp.cccd != "" && vp.cccd != mp.CCCD {
			fail("%s row %d: CCCD %s, model %s", vp.file, vp.row, vp.cccd, mp.CCCD)
		}
	}

	// training register
	kinds := map[string]int{}
	ntKinds := map[string]int{}
	total := 0
	readTrain := func(file, sheet, unit string) {
		f, err := excelize.OpenFile(filepath.Join(choDon, file))
		if err != nil {
			fail("%s: %v", file, err)
			return
		}
		defer f.Close()
		t, err := readTable(f, sheet)
		if err != nil {
			fail("%s!%s: %v", file, sheet, err)
			return
		}
		for _, r := range t.dataRows() {
			u := unit
			if _, ok := t.cols["unit"]; ok {
				u = unitByDisplay[clean(t.get(r, "unit"))]
			}
			b, err := normDate(t.get(r, "birth"))
			if err != nil {
				fail("%s!%s row %d: %v", file, sheet, r+1, err)
			}
			name := clean(t.get(r, "name"))
			if byKey[u+"|"+name+"|"+b] == nil {
				fail("%s!%s row %d: %s %s (%s) is not in the rosters", file, sheet, r+1, name, b, u)
			}
			k := vCourse[clean(t.get(r, "course"))]
			if k == "" {
				fail("%s!%s row %d: unknown course %q", file, sheet, r+1, t.get(r, "course"))
			}
			for _, fl := range []string{"from", "to"} {
				ds, err := normDate(t.get(r, fl))
				if err != nil {
					fail("%s!%s row %d: %v", file, sheet, r+1, err)
					continue
				}
				d, _ := time.Parse("02/01/2006", ds)
				if d.Before(trainFrom) || d.After(trainTo) {
					fail("%s!%s row %d: %s %s outside 2021–09/2023", file, sheet, r+1, fl, ds)
				}
			}
			for _, fl := range []string{"course", "birth", "from"} {
				spellAdd("training", fl, t.get(r, fl))
			}
			kinds[k]++
			total++
			if u == "Nghĩa Tá" {
				ntKinds[k]++
			}
		}
	}
	for _, fs := range fileSpecs {
		if fs.TrainSheet != "" {
			readTrain(fs.Name, fs.TrainSheet, fs.Units[0])
		}
	}
	readTrain(districtFile, districtSheet, "")
	if total != 877 {
		fail("training attendances read: %d, published 877", total)
	}
	cmp("training kinds", kinds, pubKinds)
	if ntKinds["LLCT"] != 6 || ntKinds["QLNN"] != 2 {
		fail("Nghĩa Tá training: LLCT %d (article: 6), QLNN %d (article: 2)", ntKinds["LLCT"], ntKinds["QLNN"])
	}

	verifyLoiMau(loiMau, fail)

	if len(errs) == 0 {
		fmt.Printf("verify OK: %d persons (ThS %d, ĐH %d, CĐ %d, TC %d; LLCT CC %d, TC %d, SC %d, none %d; QLNN CVC %d, CV %d, none %d), "+
			"Nghĩa Tá %d (ĐH %d, CĐ %d, TC %d), %d attendances %v\n",
			len(persons), edu["ThS"], edu["ĐH"], edu["CĐ"], edu["TC"], llct["CC"], llct["TC"], llct["SC"], llct["none"],
			qlnn["CVC"], qlnn["CV"], qlnn["none"], nt["persons"], nt["ĐH"], nt["CĐ"], nt["TC"], total, kinds)
	}
	return errs
}

// checkFileFeatures checks that the layout-specific traps are really in the file.
func checkFileFeatures(f *excelize.File, fs fileSpec, fail func(string, ...any)) {
	raw := sheetXML(f, fs.Name)
	// every formula in cho-don carries a cached value, numeric ones are not typed "str"
	for name, x := range raw {
		if regexp.MustCompile(`<f>[^<]*</f></c>`).MatchString(x) {
			fail("%s %s: formula without cached value", fs.Name, name)
		}
		if regexp.MustCompile(`t="str"><f>[^<]*</f><v>[0-9]+</v>`).MatchString(x) {
			fail("%s %s: numeric formula result typed as string", fs.Name, name)
		}
	}
	switch fs.Layout {
	case "L5":
		rows, _ := f.GetRows(fs.Sheet)
		nfd, nbsp := false, false
		for _, r := range rows {
			for _, c := range r {
				if c != norm.NFC.String(c) {
					nfd = true
				}
				if strings.Contains(c, "\u00a0") {
					nbsp = true
				}
			}
		}
		if !nfd || !nbsp {
			fail("%s: NFD %v, NBSP %v", fs.Name, nfd, nbsp)
		}
	case "L6":
		props, err := f.GetWorkbookProps()
		if err != nil || props.Date1904 == nil || !*props.Date1904 {
			fail("%s: date1904 not set", fs.Name)
		}
		v, _ := f.GetCellValue(fs.Sheet, "D6", excelize.Options{RawCellValue: true})
		shown, _ := f.GetCellValue(fs.Sheet, "D6")
		n, _ := strconv.Atoi(v)
		d, _ := time.Parse("02/01/2006", shown)
		if n == 0 || excelSerial(d)-1462 != n {
			fail("%s: D6 raw %s shows %s: not a 1904 serial", fs.Name, v, shown)
		}
	case "L7":
		for sh, want := range map[string]string{"DanhMuc": "hidden", "Tmp": "veryHidden"} {
			if !strings.Contains(raw["workbook"], fmt.Sprintf(`name="%s" sheetId`, sh)) ||
				!regexp.MustCompile(fmt.Sprintf(`name="%s"[^>]*state="%s"`, sh, want)).MatchString(raw["workbook"]) {
				fail("%s: sheet %s is not %s", fs.Name, sh, want)
			}
		}
		if fm, _ := f.GetCellFormula(fs.Sheet, "A10"); fm != "A9+1" {
			fail("%s: A10 formula %q", fs.Name, fm)
		}
		if v, _ := f.GetCellValue(fs.Sheet, "A10"); v != "2" {
			fail("%s: A10 cached %q", fs.Name, v)
		}
	}
}

// sheetXML returns the worksheet parts and workbook.xml of the file as text.
func sheetXML(f *excelize.File, name string) map[string]string {
	out := map[string]string{}
	zr, err := zip.OpenReader(f.Path)
	if err != nil {
		return out
	}
	defer zr.Close()
	for _, e := range zr.File {
		if strings.HasPrefix(e.Name, "xl/worksheets/sheet") || e.Name == "xl/workbook.xml" {
			rc, err := e.Open()
			if err != nil {
				continue
			}
			b, _ := io.ReadAll(rc)
			rc.Close()
			k := e.Name
			if k == "xl/workbook.xml" {
				k = "workbook"
			}
			out[k] = string(b)
		}
	}
	return out
}

func verifyLoiMau(dir string, fail func(string, ...any)) {
	p := func(n string) string { return filepath.Join(dir, n) }
	if f, err := excelize.OpenFile(p(loiBroken)); err == nil {
		f.Close()
		fail("%s opens", loiBroken)
	}
	if f, err := excelize.OpenFile(p(loiPassword)); err == nil {
		f.Close()
		fail("%s opens without a password", loiPassword)
	}
	if f, err := excelize.OpenFile(p(loiPassword), excelize.Options{Password: loiPass}); err != nil {
		fail("%s does not open with password %s: %v", loiPassword, loiPass, err)
	} else {
		f.Close()
	}
	if b, err := os.ReadFile(p(loiLock)); err != nil || len(b) != 165 {
		fail("%s missing or not 165 bytes", loiLock)
	}
	if _, err := os.Stat(p(loiText)); err != nil {
		fail("%s missing", loiText)
	}
	f, err := excelize.OpenFile(p(loiRoster))
	if err != nil {
		fail("%s: %v", loiRoster, err)
		return
	}
	defer f.Close()
	get := func(c string) string { v, _ := f.GetCellValue("DS", c); return v }
	want := map[string]string{"G3": "Bằng A", "C4": "31/02/1980", "C5": "15/06/2011", "B6": "", "K9": "12345", "E10": "Kinhh Xyz", "C10": ""}
	for c, v := range want {
		if get(c) != v {
			fail("%s %s = %q, want %q", loiRoster, c, get(c), v)
		}
	}
	if get("C6") == "" || get("K7") != get("K8") || get("B7") != get("B8") {
		fail("%s: blank-name row or duplicate rows not as documented", loiRoster)
	}
	if fm, _ := f.GetCellFormula("DS", "C10"); fm != loiFormula {
		fail("%s C10 formula %q", loiRoster, fm)
	}
	x := sheetXML(f, loiRoster)["xl/worksheets/sheet1.xml"]
	if !strings.Contains(x, `<c r="C10" s=`) || !regexp.MustCompile(`<c r="C10"[^>]*><f>DATE\(1990,5,17\)</f></c>`).MatchString(x) {
		fail("%s: C10 is not a formula without cached value", loiRoster)
	}
}

// spellings records the distinct cell texts per layout and field (go run ./cmd/samplegen -verify -spellings).
var spellings = map[string]map[string]map[string]int{}

func spellAdd(layout, field, v string) {
	if spellings[layout] == nil {
		spellings[layout] = map[string]map[string]int{}
	}
	if spellings[layout][field] == nil {
		spellings[layout][field] = map[string]int{}
	}
	spellings[layout][field][v]++
}
