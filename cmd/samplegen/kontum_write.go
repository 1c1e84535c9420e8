package main

// Kon Tum class lists (samples/kon-tum/). Layouts, each unlike the Chợ Đồn ones:
//
//	KA  Kinh tế phát triển (100)  university list: "Mã học viên", "Điện thoại" columns, real dates,
//	                              "Giới tính" Nam/Nữ, a closing "Danh sách có … học viên" line, footer
//	KB  Luật (65)                 two-row header: "Giới tính" over Nam | Nữ with x marks, "Trình độ" over
//	                              Chuyên môn | Lý luận chính trị; numbering row 1…12; district group rows;
//	                              ethnic groups in capitals; "Tổng cộng: 65 học viên"
//	KC  Nông học (53)             one title line carrying the as-of date, abbreviated headers
//	                              (TT, Họ tên, Sinh ngày, TĐ CM, LLCT), a lone "Nữ" x column, dates
//	                              "dd.mm.yyyy" and "d/m/yyyy", no footer
//	KD  Trung cấp Luật (62)       Trường Chính trị list: commune in "Xã, thị trấn", district in its own
//	                              column, đương chức / dự nguồn, trình độ văn hóa, CCCD, district groups
//	                              each closed by "Cộng: N người", "Tổng cộng: 62 người"

import (
	"fmt"
	"path/filepath"
	"strings"
)

// ktEthSpell lists how each layout writes each group; all are accepted by the default
// vocabulary (exactly, by alias, or by the prefix rule: "Ba Na (Rơ Ngao)").
var ktEthSpell = map[string]map[string][]string{
	"KA": {"Xơ Đăng": {"Xơ Đăng", "Xơ Đăng", "Xơ-đăng"}, "Ba Na": {"Ba Na", "Bana"}, "Gia Rai": {"Gia Rai", "Jrai"},
		"Giẻ Triêng": {"Giẻ Triêng", "Gié-Triêng"}, "Hrê": {"Hrê"}, "Brâu": {"Brâu"}, "Rơ Măm": {"Rơ Măm"}},
	"KC": {"Xơ Đăng": {"Xơđăng", "Xơ Đăng"}, "Ba Na": {"Bana", "Ba-na"}, "Gia Rai": {"Giarai", "Gia-rai"}, "Giẻ Triêng": {"Giẻ-Triêng"},
		"Hrê": {"H're"}, "Rơ Măm": {"Rơ-măm"}},
	"KD": {"Xơ Đăng": {"Xơ Đăng", "Xơ Đăng (Tơ Đrá)", "Xơ Đăng"}, "Ba Na": {"Ba Na (Rơ Ngao)", "Ba Na"}, "Gia Rai": {"Gia-rai"},
		"Giẻ Triêng": {"Giẻ Triêng (Ve)", "Giẻ Triêng"}, "Hrê": {"Hrê"}, "Brâu": {"Brâu"}},
}

// ktNearMiss: one cell per file that the pipeline accepts only as a guess (a warning):
// "Xê Đăng" (a spoken form) in KA and the typo "Xơ Đănng" in KC, on the third Xơ Đăng.
var ktNearMiss = map[string]string{"KA": "Xê Đăng", "KC": "Xơ Đănng"}

// ethWriter spells ethnic groups for one file.
type ethWriter struct {
	b      *book
	layout string
	xd     int // Xơ Đăng persons written so far
}

func (w *ethWriter) spell(p *ktPerson) string {
	if p.Ethnic == "Xơ Đăng" {
		w.xd++
		if s, ok := ktNearMiss[w.layout]; ok && w.xd == 3 {
			return s
		}
	}
	if w.layout == "KB" {
		return strings.ToUpper(p.Ethnic) // this clerk types the whole column in capitals
	}
	if vs, ok := ktEthSpell[w.layout][p.Ethnic]; ok {
		return pick(w.b.r, vs)
	}
	return p.Ethnic
}

// noteKT records the cells worth pointing at: the under-35 boundary births and the near-misses.
func noteKT(c *ktClass, ethCol, birthCol, row int, eth string, p *ktPerson) {
	if eth == ktNearMiss[c.Layout] {
		note("kon-tum/"+c.Folder+"/"+c.File, c.Sheet, ethCol, row, "%q: accepted as Xơ Đăng with a value-corrected warning", eth)
	}
	if p.Birth.Equal(born35) || p.Birth.Equal(born34) {
		note("kon-tum/"+c.Folder+"/"+c.File, c.Sheet, birthCol, row, "born %s: aged %d on 30/09/2023, under 35: %v", dmy(p.Birth), age(p.Birth, refDate), p.Under35())
	}
}

func writeKonTum(dir string, cs []*ktClass) []string {
	var written []string
	for _, c := range cs {
		b := newBook(c.Seed, "Times New Roman", 12, false)
		if c.Layout == "KC" {
			b = newBook(c.Seed, "Arial", 10, false)
		}
		b.use(c.Sheet)
		w := &ethWriter{b: b, layout: c.Layout}
		switch c.Layout {
		case "KA":
			writeKA(b, w, c)
		case "KB":
			writeKB(b, w, c)
		case "KC":
			writeKC(b, w, c)
		case "KD":
			writeKD(b, w, c)
		default:
			panic(c.Layout)
		}
		path := filepath.Join(dir, c.Folder, c.File)
		b.save(path)
		written = append(written, filepath.Join(c.Folder, c.File))
	}
	return written
}

func genderText(female bool) string {
	if female {
		return "Nữ"
	}
	return "Nam"
}

// ---------------------------------------------------------------- KA

var kaHeaders = []string{"STT", "Mã học viên", "Họ và tên", "Ngày sinh", "Giới tính", "Dân tộc", "Chức vụ", "Đơn vị công tác",
	"Trình độ chuyên môn", "Lý luận chính trị", "Điện thoại", "Ghi chú"}

func writeKA(b *book, w *ethWriter, c *ktClass) {
	last := len(kaHeaders)
	b.widths(5, 12, 24, 12, 8, 11, 28, 40, 18, 14, 13, 12)
	b.mset(1, 1, 4, 1, "ĐẠI HỌC ĐÀ NẴNG", b.st.center)
	b.mset(1, 2, 4, 2, "PHÂN HIỆU ĐHĐN TẠI KON TUM", b.st.boldCenter)
	b.mset(8, 1, last, 1, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", b.st.boldCenter)
	b.mset(8, 2, last, 2, "Độc lập - Tự do - Hạnh phúc", b.st.motto)
	b.mset(1, 4, last, 4, "DANH SÁCH HỌC VIÊN LỚP ĐẠI HỌC CHUYÊN NGÀNH "+strings.ToUpper(c.Major), b.st.title)
	b.mset(1, 5, last, 5, "Hệ vừa làm vừa học, khóa 2021 - 2025, đặt lớp tại tỉnh Kon Tum", b.st.italicCenter)
	b.mset(1, 6, last, 6, "(Tính đến ngày 30/09/2023)", b.st.italicCenter)
	for i, h := range kaHeaders {
		b.set(i+1, 8, h)
	}
	b.style(1, 8, last, 8, b.st.header)
	b.height(8, 30)
	r := 9
	for i, p := range c.Persons {
		b.set(1, r, i+1)
		b.set(2, r, p.Code)
		b.set(3, r, p.Name)
		b.set(4, r, p.Birth)
		b.set(5, r, genderText(p.Female))
		eth := w.spell(p)
		b.set(6, r, eth)
		noteKT(c, 6, 4, r, eth, p)
		b.set(7, r, p.Position.Title)
		b.set(8, r, p.Unit())
		b.set(9, r, p.Edu)
		b.set(10, r, p.LLCT)
		b.text(11, r, p.Phone)
		b.set(12, r, p.Note)
		b.style(1, r, last, r, b.st.cell)
		b.style(1, r, 2, r, b.st.cellCenter)
		b.style(4, r, 4, r, b.st.cellDate)
		b.style(5, r, 5, r, b.st.cellCenter)
		b.style(11, r, 11, r, b.st.cellText)
		r++
	}
	b.mset(1, r, last, r, fmt.Sprintf("Danh sách có %d học viên./.", len(c.Persons)), b.st.italicCenter)
	r += 2
	b.mset(8, r, last, r, "Kon Tum, ngày 30 tháng 9 năm 2023", b.st.italicCenter)
	r++
	b.mset(1, r, 3, r, "NGƯỜI LẬP BẢNG", b.st.boldCenter)
	b.mset(8, r, last, r, "TRƯỞNG PHÒNG ĐÀO TẠO", b.st.boldCenter)
	r += 4
	b.mset(1, r, 3, r, "Trần Thị Thu Hằng", b.st.boldCenter)
	b.mset(8, r, last, r, "Lê Văn Thịnh", b.st.boldCenter)
}

// ---------------------------------------------------------------- KB

func writeKB(b *book, w *ethWriter, c *ktClass) {
	const last = 12
	b.widths(5, 24, 5, 5, 12, 12, 28, 40, 16, 14, 8, 12)
	b.mset(1, 1, 3, 1, "ĐẠI HỌC ĐÀ NẴNG", b.st.center)
	b.mset(1, 2, 3, 2, "PHÂN HIỆU TẠI KON TUM", b.st.boldCenter)
	b.mset(1, 3, last, 3, "DANH SÁCH HỌC VIÊN LỚP ĐẠI HỌC LUẬT (VỪA LÀM VỪA HỌC) KHÓA 2021", b.st.title)
	b.mset(1, 4, last, 4, "(Tính đến ngày 30/9/2023)", b.st.italicCenter)
	h := b.st.header
	b.mset(1, 6, 1, 7, "STT", h)
	b.mset(2, 6, 2, 7, "Họ và tên", h)
	b.mset(3, 6, 4, 6, "Giới tính", h)
	b.mset(3, 7, 3, 7, "Nam", h)
	b.mset(4, 7, 4, 7, "Nữ", h)
	b.mset(5, 6, 5, 7, "Ngày sinh", h)
	b.mset(6, 6, 6, 7, "Dân tộc", h)
	b.mset(7, 6, 7, 7, "Chức vụ", h)
	b.mset(8, 6, 8, 7, "Đơn vị công tác", h)
	b.mset(9, 6, 10, 6, "Trình độ", h)
	b.mset(9, 7, 9, 7, "Chuyên môn", h)
	b.mset(10, 7, 10, 7, "Lý luận chính trị", h)
	b.mset(11, 6, 11, 7, "Đảng viên", h)
	b.mset(12, 6, 12, 7, "Ghi chú", h)
	b.height(7, 30)
	for i := 1; i <= last; i++ {
		b.set(i, 8, i) // column numbers as plain numbers
	}
	b.style(1, 8, last, 8, b.st.cellCenter)
	r, stt, group := 9, 0, 0
	var cur *ktDistrict
	for _, p := range c.Persons {
		if p.District != cur {
			cur = p.District
			group++
			b.set(1, r, roman(group))
			b.set(2, r, strings.ToUpper(cur.Full()))
			b.style(1, r, last, r, b.st.group)
			r++
		}
		stt++
		b.set(1, r, stt)
		b.set(2, r, p.Name)
		b.set(3+boolInt(p.Female), r, "x")
		b.text(5, r, dmy(p.Birth))
		b.set(6, r, w.spell(p))
		b.set(7, r, p.Position.Title)
		b.set(8, r, p.Unit())
		b.set(9, r, p.Edu)
		b.set(10, r, p.LLCT)
		b.set(11, r, xmark(p.Party, "x"))
		b.style(1, r, last, r, b.st.cell)
		b.style(1, r, 1, r, b.st.cellCenter)
		b.style(3, r, 5, r, b.st.cellCenter)
		b.style(11, r, 11, r, b.st.cellCenter)
		r++
	}
	b.set(2, r, fmt.Sprintf("Tổng cộng: %d học viên", stt))
	b.style(1, r, last, r, b.st.total)
	r += 2
	b.mset(8, r, last, r, "Kon Tum, ngày 30 tháng 9 năm 2023", b.st.italicCenter)
	r++
	b.mset(1, r, 4, r, "NGƯỜI LẬP BIỂU", b.st.boldCenter)
	b.mset(8, r, last, r, "KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC", b.st.boldCenter)
}

func roman(n int) string {
	return [...]string{"", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"}[n]
}

// ---------------------------------------------------------------- KC

var kcHeaders = []string{"TT", "Họ tên", "Sinh ngày", "Nữ", "Dân tộc", "Chức vụ hiện tại", "Cơ quan", "TĐ CM", "LLCT", "Quê quán"}

// Home provinces of the Kinh and migrant learners (the minorities are from Kon Tum).
var ktHomeProvinces = []string{"Quảng Ngãi", "Quảng Nam", "Nghệ An", "Hà Tĩnh", "Thái Bình", "Bình Định", "Thanh Hóa"}

func writeKC(b *book, w *ethWriter, c *ktClass) {
	last := len(kcHeaders)
	b.widths(5, 24, 12, 5, 11, 30, 34, 14, 12, 22)
	b.mset(1, 1, last, 1, "LỚP ĐẠI HỌC NÔNG HỌC (VLVH) - PHÂN HIỆU ĐHĐN TẠI KON TUM - số liệu tính đến ngày 30/09/2023", b.st.bold)
	for i, h := range kcHeaders {
		b.set(i+1, 3, h)
	}
	b.style(1, 3, last, 3, b.st.header)
	for i, p := range c.Persons {
		r := i + 4
		b.set(1, r, i+1)
		b.set(2, r, p.Name)
		if i%3 == 1 {
			b.text(3, r, fmt.Sprintf("%d/%d/%d", p.Birth.Day(), int(p.Birth.Month()), p.Birth.Year()))
		} else {
			b.text(3, r, p.Birth.Format("02.01.2006"))
		}
		b.set(4, r, xmark(p.Female, "x"))
		eth := w.spell(p)
		b.set(5, r, eth)
		noteKT(c, 5, 3, r, eth, p)
		b.set(6, r, p.Position.Title)
		b.set(7, r, strings.Replace(p.Unit(), ", huyện ", " - ", 1))
		b.set(8, r, p.Edu)
		b.set(9, r, p.LLCT)
		home := p.District.Name + ", Kon Tum"
		if _, local := ktHome[p.Ethnic]; !local {
			home = pick(b.r, ktHomeProvinces)
		}
		b.set(10, r, home)
		b.style(1, r, last, r, b.st.cell)
		b.style(1, r, 1, r, b.st.cellCenter)
		b.style(3, r, 4, r, b.st.cellCenter)
	}
}

// ---------------------------------------------------------------- KD

var kdHeaders = []string{"STT", "Họ và tên", "Ngày sinh", "Giới tính", "Dân tộc", "Chức vụ", "Xã, thị trấn", "Huyện",
	"Đương chức/ Dự nguồn", "Trình độ văn hóa", "Trình độ chuyên môn", "Lý luận chính trị", "Đảng viên", "Số CCCD"}

func writeKD(b *book, w *ethWriter, c *ktClass) {
	last := len(kdHeaders)
	b.widths(5, 24, 12, 8, 14, 24, 16, 12, 12, 10, 18, 12, 8, 15)
	b.mset(1, 1, 4, 1, "TỈNH ỦY KON TUM", b.st.center)
	b.mset(1, 2, 4, 2, "TRƯỜNG CHÍNH TRỊ TỈNH", b.st.boldCenter)
	b.mset(10, 1, last, 1, "ĐẢNG CỘNG SẢN VIỆT NAM", b.st.motto)
	b.mset(10, 2, last, 2, "Kon Tum, ngày 02 tháng 10 năm 2023", b.st.italicCenter)
	b.mset(1, 4, last, 4, "DANH SÁCH HỌC VIÊN LỚP TRUNG CẤP LUẬT", b.st.title)
	b.mset(1, 5, last, 5, "(Cán bộ đương chức và dự nguồn các chức danh lãnh đạo chủ chốt cấp xã)", b.st.italicCenter)
	b.mset(1, 6, last, 6, "(Tính đến ngày 30/09/2023)", b.st.italicCenter)
	for i, h := range kdHeaders {
		b.set(i+1, 8, h)
	}
	b.style(1, 8, last, 8, b.st.header)
	b.height(8, 45)
	r, stt, inGroup := 9, 0, 0
	var cur *ktDistrict
	closeGroup := func() {
		b.set(2, r, "Cộng")
		b.set(3, r, fmt.Sprintf("%d người", inGroup))
		b.style(1, r, last, r, b.st.total)
		r++
	}
	for _, p := range c.Persons {
		if p.District != cur {
			if cur != nil {
				closeGroup()
			}
			cur, inGroup = p.District, 0
			b.mset(1, r, last, r, strings.ToUpper(cur.Full()[:1])+cur.Full()[1:], b.st.group)
			r++
		}
		stt++
		inGroup++
		b.set(1, r, stt)
		b.set(2, r, p.Name)
		b.set(3, r, p.Birth)
		b.set(4, r, genderText(p.Female))
		eth := w.spell(p)
		b.set(5, r, eth)
		noteKT(c, 5, 3, r, eth, p)
		b.set(6, r, p.Position.Title)
		b.set(7, r, "Xã "+p.Commune)
		b.set(8, r, p.District.Name)
		b.set(9, r, map[bool]string{true: "Đương chức", false: "Dự nguồn"}[p.Incumbent])
		b.set(10, r, p.Culture)
		b.set(11, r, p.Edu)
		b.set(12, r, p.LLCT)
		b.set(13, r, xmark(p.Party, "x"))
		b.text(14, r, p.CCCD)
		b.style(1, r, last, r, b.st.cell)
		b.style(1, r, 1, r, b.st.cellCenter)
		b.style(3, r, 3, r, b.st.cellDate)
		b.style(4, r, 4, r, b.st.cellCenter)
		b.style(9, r, 10, r, b.st.cellCenter)
		b.style(13, r, 14, r, b.st.cellText)
		r++
	}
	closeGroup()
	b.set(2, r, "Tổng cộng")
	b.set(3, r, fmt.Sprintf("%d người", stt))
	b.style(1, r, last, r, b.st.total)
	r += 2
	b.mset(1, r, 4, r, "NGƯỜI LẬP BIỂU", b.st.boldCenter)
	b.mset(10, r, last, r, "KT. HIỆU TRƯỞNG\nPHÓ HIỆU TRƯỞNG", b.st.boldCenter)
}
