package main

// Roster layouts L1–L7 (see samples/README.md):
//
//	File (samples/cho-don/)                    Unit(s)                 Layout  Roster sheet  Training sheet
//	UBND xã Nghĩa Tá.xlsx                      Nghĩa Tá                L2 (table from column B)  DS  Đào tạo
//	UBND xã Bằng Phúc.xlsx                     Bằng Phúc               L2      Danh sách     DT-BD
//	DS CBCC 2023.xlsx                          Bản Thi (title block)   L2 (totals row with Nam/Nữ counts)  Sheet1  –
//	UBND thị trấn Bằng Lũng.xlsx               Bằng Lũng               L2 (STT restarts per group)  CBCC  –
//	UBND xã Bằng Lãng.xlsx                     Bằng Lãng               L1      Sheet1        Đào tạo
//	UBND xã Bình Trung.xlsx                    Bình Trung              L1      DS            DT-BD
//	UBND xã Đồng Lạc.xlsx                      Đồng Lạc                L3      Danh sách     Đào tạo
//	UBND xã Lương Bằng.xlsx                    Lương Bằng              L3      CBCC          DT-BD
//	UBND xã Yên Thượng.xlsx                    Yên Thượng              L3      DS            –
//	UBND xã Nam Cường.xlsx                     Nam Cường               L4      DS            Đào tạo
//	UBND xã Ngọc Phái.xlsx                     Ngọc Phái               L4 (STT "1.")  Sheet1  DT-BD
//	trich ngang.xlsx                           Đại Sảo (title block)   L4      Danh sách     –
//	UBND xã Phương Viên.xlsx                   Phương Viên             L5      CBCC          DT-BD
//	UBND xã Quảng Bạch.xlsx                    Quảng Bạch              L5      Sheet1        DT-BD
//	UBND xã Tân Lập.xlsx                       Tân Lập                 L6      Danh sách     Đào tạo
//	UBND xã Xuân Lạc.xlsx                      Xuân Lạc                L6      DS            DT-BD
//	UBND xã Yên Mỹ.xlsx                        Yên Mỹ                  L7      CBCC          Đào tạo
//	UBND xã Đồng Thắng.xlsx                    Đồng Thắng              L7      Danh sách     DT-BD
//	Tổng hợp CBCC Yên Phong - Yên Thịnh.xlsx   Yên Phong + Yên Thịnh   L1 + "Đơn vị" column  CBCC  –
//	Phòng Nội vụ - Sổ theo dõi đào tạo 2021-2023.xlsx   training of Bản Thi, Bằng Lũng, Yên Thượng,
//	                                           Đại Sảo, Yên Phong, Yên Thịnh (with "Đơn vị")

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/unicode/norm"
)

func newDropList(ref string) *excelize.DataValidation {
	dv := excelize.NewDataValidation(true)
	dv.SetSqrefDropList(ref)
	return dv
}

type fileSpec struct {
	Name        string
	Units       []string
	Layout      string // L1 … L7, L1DV
	Variant     int
	Sheet       string
	TrainSheet  string // "" = this unit's training is in the district register
	TrainHeader string // header of the course column
	Seed        uint64
}

var fileSpecs = []fileSpec{
	{"UBND xã Nghĩa Tá.xlsx", []string{"Nghĩa Tá"}, "L2", 0, "DS", "Đào tạo", "Nội dung đào tạo, bồi dưỡng", 1},
	{"UBND xã Bằng Phúc.xlsx", []string{"Bằng Phúc"}, "L2", 1, "Danh sách", "DT-BD", "Tên lớp", 2},
	{"DS CBCC 2023.xlsx", []string{"Bản Thi"}, "L2", 2, "Sheet1", "", "", 3},
	{"UBND thị trấn Bằng Lũng.xlsx", []string{"Bằng Lũng"}, "L2", 3, "CBCC", "", "", 4},
	{"UBND xã Bằng Lãng.xlsx", []string{"Bằng Lãng"}, "L1", 0, "Sheet1", "Đào tạo", "Khóa học", 5},
	{"UBND xã Bình Trung.xlsx", []string{"Bình Trung"}, "L1", 1, "DS", "DT-BD", "Nội dung đào tạo, bồi dưỡng", 6},
	{"UBND xã Đồng Lạc.xlsx", []string{"Đồng Lạc"}, "L3", 0, "Danh sách", "Đào tạo", "Tên lớp", 7},
	{"UBND xã Lương Bằng.xlsx", []string{"Lương Bằng"}, "L3", 1, "CBCC", "DT-BD", "Khóa học", 8},
	{"UBND xã Yên Thượng.xlsx", []string{"Yên Thượng"}, "L3", 2, "DS", "", "", 9},
	{"UBND xã Nam Cường.xlsx", []string{"Nam Cường"}, "L4", 0, "DS", "Đào tạo", "Nội dung đào tạo, bồi dưỡng", 10},
	{"UBND xã Ngọc Phái.xlsx", []string{"Ngọc Phái"}, "L4", 1, "Sheet1", "DT-BD", "Tên lớp", 11},
	{"trich ngang.xlsx", []string{"Đại Sảo"}, "L4", 2, "Danh sách", "", "", 12},
	{"UBND xã Phương Viên.xlsx", []string{"Phương Viên"}, "L5", 0, "CBCC", "DT-BD", "Khóa học", 13},
	{"UBND xã Quảng Bạch.xlsx", []string{"Quảng Bạch"}, "L5", 1, "Sheet1", "DT-BD", "Nội dung đào tạo, bồi dưỡng", 14},
	{"UBND xã Tân Lập.xlsx", []string{"Tân Lập"}, "L6", 0, "Danh sách", "Đào tạo", "Tên lớp", 15},
	{"UBND xã Xuân Lạc.xlsx", []string{"Xuân Lạc"}, "L6", 1, "DS", "DT-BD", "Nội dung đào tạo, bồi dưỡng", 16},
	{"UBND xã Yên Mỹ.xlsx", []string{"Yên Mỹ"}, "L7", 0, "CBCC", "Đào tạo", "Khóa học", 17},
	{"UBND xã Đồng Thắng.xlsx", []string{"Đồng Thắng"}, "L7", 1, "Danh sách", "DT-BD", "Nội dung đào tạo, bồi dưỡng", 18},
	{"Tổng hợp CBCC Yên Phong - Yên Thịnh.xlsx", []string{"Yên Phong", "Yên Thịnh"}, "L1DV", 0, "CBCC", "", "", 19},
}

const districtFile = "Phòng Nội vụ - Sổ theo dõi đào tạo 2021-2023.xlsx"
const districtSheet = "Sổ theo dõi"

// notes collects cells worth pointing at (typos, numbers-as-CCCD, year-only dates …).
var notes []string

func note(file, sheet string, col, row int, f string, a ...any) {
	notes = append(notes, fmt.Sprintf("%s [%s!%s]: %s", file, sheet, cn(col, row), fmt.Sprintf(f, a...)))
}

func writeUnitFile(dir string, m *Model, fs fileSpec) {
	var units []*Unit
	for _, s := range fs.Units {
		units = append(units, m.unit(s))
	}
	font, size := "Times New Roman", 12.0
	if fs.Layout == "L1" || fs.Layout == "L4" || fs.Layout == "L5" {
		font, size = "Arial", 10
	}
	b := newBook(fs.Seed, font, size, fs.Layout == "L5")
	if fs.Layout == "L6" {
		t := true
		must(b.f.SetWorkbookProps(&excelize.WorkbookPropsOptions{Date1904: &t}))
	}
	b.use(fs.Sheet)
	u := units[0]
	switch fs.Layout {
	case "L1":
		writeL1(b, u, fs)
	case "L1DV":
		writeL1DV(b, units, fs)
	case "L2":
		writeL2(b, u, fs)
	case "L3":
		writeL3(b, u, fs)
	case "L4":
		writeL4(b, u, fs)
	case "L5":
		writeL5(b, u, fs)
	case "L6":
		writeL6(b, u, fs)
	case "L7":
		writeL7(b, u, fs)
	default:
		panic(fs.Layout)
	}
	if fs.TrainSheet != "" {
		writeUnitTraining(b, u, fs)
	}
	b.save(dir + "/" + fs.Name)
}

// ---------------------------------------------------------------- L1

var l1Headers = []string{"STT", "Họ và tên", "Ngày sinh", "Giới tính", "Dân tộc", "Chức vụ", "Trình độ chuyên môn", "Lý luận chính trị", "Quản lý nhà nước", "Đảng viên", "Số CCCD"}

func writeL1(b *book, u *Unit, fs fileSpec) {
	b.widths(5, 24, 12, 9, 10, 24, 18, 16, 18, 9, 15)
	for i, h := range l1Headers {
		b.set(i+1, 1, h)
	}
	b.style(1, 1, len(l1Headers), 1, b.st.header)
	b.height(1, 30)
	for i, p := range u.Persons {
		r := i + 2
		b.set(1, r, i+1)
		b.set(2, r, p.Name)
		b.text(3, r, dmy(p.Birth))
		b.set(4, r, genderPlain(p))
		b.set(5, r, p.Ethnic)
		b.set(6, r, p.Position)
		b.set(7, r, eduPlain(p))
		b.set(8, r, b.llctPlain(p))
		b.set(9, r, b.qlnnPlain(p))
		b.set(10, r, xmark(p.Party, "x"))
		b.text(11, r, p.CCCD)
		b.style(1, r, 11, r, b.st.cell)
		b.style(1, r, 1, r, b.st.cellCenter)
		b.style(3, r, 4, r, b.st.cellCenter)
		b.style(10, r, 11, r, b.st.cellText)
	}
}

// L1 with a "Đơn vị" column holding two units, a "Cộng" row after each and a "Tổng cộng" row.
func writeL1DV(b *book, units []*Unit, fs fileSpec) {
	hs := []string{"STT", "Đơn vị", "Họ và tên", "Ngày sinh", "Giới tính", "Dân tộc", "Chức vụ", "Trình độ chuyên môn", "Lý luận chính trị", "Quản lý nhà nước", "Đảng viên", "Số CCCD"}
	b.widths(5, 20, 24, 12, 9, 10, 24, 18, 16, 18, 9, 15)
	var names []string
	for _, u := range units {
		names = append(names, upper(u.KindShort()))
	}
	b.mset(1, 1, len(hs), 1, "TỔNG HỢP DANH SÁCH CÁN BỘ, CÔNG CHỨC "+strings.Join(names, ", "), b.st.title)
	b.mset(1, 2, len(hs), 2, "(Số liệu đến 30/9/2023)", b.st.italicCenter)
	for i, h := range hs {
		b.set(i+1, 4, h)
	}
	b.style(1, 4, len(hs), 4, b.st.header)
	r := 5
	total := 0
	for _, u := range units {
		for i, p := range u.Persons {
			b.set(1, r, i+1)
			b.set(2, r, u.Display())
			b.set(3, r, p.Name)
			b.text(4, r, dmy(p.Birth))
			b.set(5, r, genderPlain(p))
			b.set(6, r, p.Ethnic)
			b.set(7, r, p.Position)
			b.set(8, r, eduPlain(p))
			b.set(9, r, b.llctPlain(p))
			b.set(10, r, b.qlnnPlain(p))
			b.set(11, r, xmark(p.Party, "x"))
			b.text(12, r, p.CCCD)
			b.style(1, r, 12, r, b.st.cell)
			b.style(1, r, 1, r, b.st.cellCenter)
			b.style(4, r, 5, r, b.st.cellCenter)
			b.style(11, r, 12, r, b.st.cellText)
			r++
		}
		b.set(2, r, "Cộng")
		b.set(3, r, fmt.Sprintf("%d người", len(u.Persons)))
		b.style(1, r, 12, r, b.st.total)
		note(fs.Name, fs.Sheet, 2, r, "subtotal row \"Cộng\" for %s", u.Display())
		total += len(u.Persons)
		r++
	}
	b.set(2, r, "Tổng cộng")
	b.set(3, r, fmt.Sprintf("%d người", total))
	b.style(1, r, 12, r, b.st.total)
	note(fs.Name, fs.Sheet, 2, r, "grand total row \"Tổng cộng\"")
}

// ---------------------------------------------------------------- L2 (BM03-like)

func writeL2(b *book, u *Unit, fs fileSpec) {
	s := 1 // first table column
	if fs.Variant == 0 {
		s = 2 // Nghĩa Tá: column A stays empty, the table starts at B
	}
	last := s + 10
	if s == 2 {
		b.widths(2, 5, 25, 11, 11, 9, 22, 22, 12, 16, 8, 14)
	} else {
		b.widths(5, 25, 11, 11, 9, 22, 22, 12, 16, 8, 14)
	}
	// title block
	b.mset(1, 1, s+2, 1, "UBND HUYỆN CHỢ ĐỒN", b.st.center)
	b.mset(1, 2, s+2, 2, "UBND "+upper(u.KindShort()), b.st.boldCenter)
	b.mset(s+5, 1, last, 1, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", b.st.boldCenter)
	b.mset(s+5, 2, last, 2, "Độc lập - Tự do - Hạnh phúc", b.st.motto)
	b.mset(1, 4, last, 4, "DANH SÁCH TRÍCH NGANG CÁN BỘ, CÔNG CHỨC "+upper(u.KindShort()), b.st.title)
	b.mset(1, 5, last, 5, "(Tính đến ngày 30/09/2023)", b.st.italicCenter)
	b.height(4, 22)
	// header rows 7-8
	h := b.st.header
	b.mset(s, 7, s, 8, "STT", h)
	b.mset(s+1, 7, s+1, 8, "Họ và tên", h)
	b.mset(s+2, 7, s+3, 7, "Ngày tháng năm sinh", h)
	b.mset(s+2, 8, s+2, 8, "Nam", h)
	b.mset(s+3, 8, s+3, 8, "Nữ", h)
	b.mset(s+4, 7, s+4, 8, "Dân tộc", h)
	b.mset(s+5, 7, s+5, 8, "Chức vụ", h)
	b.mset(s+6, 7, s+8, 7, "Trình độ", h)
	b.mset(s+6, 8, s+6, 8, "Chuyên môn", h)
	b.mset(s+7, 8, s+7, 8, "Lý luận chính trị", h)
	b.mset(s+8, 8, s+8, 8, "Quản lý nhà nước", h)
	b.mset(s+9, 7, s+9, 8, "Đảng viên", h)
	b.mset(s+10, 7, s+10, 8, "Ghi chú", h)
	b.height(8, 30)
	for i := 0; i <= 10; i++ {
		b.set(s+i, 9, fmt.Sprintf("(%d)", i+1))
	}
	b.style(s, 9, last, 9, b.st.italicCenter)
	b.style(s, 9, last, 9, b.st.cellCenter)

	r := 10
	stt := 0
	var canbo, congchuc []*Person
	for _, p := range u.Persons {
		if p.CanBo {
			canbo = append(canbo, p)
		} else {
			congchuc = append(congchuc, p)
		}
	}
	group := func(roman, label string) {
		b.set(s, r, roman)
		b.set(s+1, r, label)
		b.style(s, r, last, r, b.st.group)
		b.style(s, r, s, r, b.st.total)
		r++
	}
	person := func(p *Person) {
		stt++
		b.set(s, r, stt)
		b.set(s+1, r, p.Name)
		dc := s + 2
		if p.Female {
			dc = s + 3
		}
		b.set(dc, r, p.Birth)
		b.set(s+4, r, p.Ethnic)
		b.set(s+5, r, p.Position)
		b.set(s+6, r, eduMajor(p))
		b.set(s+7, r, b.llctPlain(p))
		b.set(s+8, r, b.qlnnPlain(p))
		b.set(s+9, r, xmark(p.Party, "x"))
		b.set(s+10, r, p.Note)
		b.style(s, r, last, r, b.st.cell)
		b.style(s, r, s, r, b.st.cellCenter)
		b.style(s+2, r, s+3, r, b.st.cellDate)
		b.style(s+9, r, s+9, r, b.st.cellCenter)
		r++
	}
	group("I", "CÁN BỘ")
	for i, p := range canbo {
		person(p)
		if i == 5 { // blank spacer row in the middle of the list
			b.style(s, r, last, r, b.st.cell)
			note(fs.Name, fs.Sheet, s, r, "blank spacer row inside the list")
			r++
		}
	}
	if fs.Variant == 3 {
		stt = 0 // Bằng Lũng numbers each group from 1
	}
	group("II", "CÔNG CHỨC")
	for _, p := range congchuc {
		person(p)
	}
	// totals row
	n := len(u.Persons)
	switch fs.Variant {
	case 0:
		b.set(s+1, r, fmt.Sprintf("Tổng cộng: %d người", n))
		b.style(s, r, last, r, b.st.total)
	case 2:
		men, women, party := 0, 0, 0
		for _, p := range u.Persons {
			if p.Female {
				women++
			} else {
				men++
			}
			if p.Party {
				party++
			}
		}
		b.set(s+1, r, "Tổng cộng")
		b.set(s+2, r, men)
		b.set(s+3, r, women)
		b.set(s+9, r, party)
		b.style(s, r, last, r, b.st.total)
		note(fs.Name, fs.Sheet, s+1, r, "totals row: \"Tổng cộng\" with plain numbers %d/%d under Nam/Nữ and %d under Đảng viên", men, women, party)
	default:
		b.mset(s, r, s+1, r, fmt.Sprintf("Tổng số: %d người", n), b.st.total)
		b.style(s+2, r, last, r, b.st.total)
	}
	note(fs.Name, fs.Sheet, s, r, "totals row")
	r += 2
	// footer
	place := u.Short
	b.mset(s+6, r, last, r, fmt.Sprintf("%s, ngày 30 tháng 9 năm 2023", place), b.st.italicCenter)
	r++
	b.mset(s+6, r, last, r, "TM. ỦY BAN NHÂN DÂN", b.st.boldCenter)
	r++
	b.mset(s, r, s+2, r, "NGƯỜI LẬP BIỂU", b.st.boldCenter)
	b.mset(s+6, r, last, r, "CHỦ TỊCH", b.st.boldCenter)
	r += 4
	b.mset(s, r, s+2, r, u.first(pVP).Name, b.st.boldCenter)
	b.mset(s+6, r, last, r, u.first(pCTUB).Name, b.st.boldCenter)
	note(fs.Name, fs.Sheet, s, r, "footer signer names (roster names without STT)")
}

// ---------------------------------------------------------------- L3 (x marks)

func writeL3(b *book, u *Unit, fs fileSpec) {
	mark := "x"
	if fs.Variant == 1 {
		mark = "X"
	}
	b.widths(5, 24, 12, 5, 9, 22, 7, 7, 7, 7, 7, 7, 7, 9, 16, 12, 15)
	b.set(1, 1, "UBND "+upper(u.KindShort()))
	b.style(1, 1, 1, 1, b.st.bold)
	b.mset(1, 2, 17, 2, "DANH SÁCH CÁN BỘ, CÔNG CHỨC "+upper(u.KindShort())+" NĂM 2023", b.st.title)
	b.mset(1, 3, 17, 3, "(Có đến ngày 30/9/2023)", b.st.italicCenter)
	h := b.st.header
	b.mset(1, 5, 1, 6, "STT", h)
	b.mset(2, 5, 2, 6, "Họ và tên", h)
	b.mset(3, 5, 3, 6, "Ngày sinh", h)
	b.mset(4, 5, 4, 6, "Nữ", h)
	b.mset(5, 5, 5, 6, "Dân tộc", h)
	b.mset(6, 5, 6, 6, "Chức vụ", h)
	b.mset(7, 5, 10, 5, "Trình độ chuyên môn", h)
	for i, x := range []string{"Thạc sĩ", "Đại học", "Cao đẳng", "Trung cấp"} {
		b.mset(7+i, 6, 7+i, 6, x, h)
	}
	b.mset(11, 5, 14, 5, "Lý luận chính trị", h)
	for i, x := range []string{"Cao cấp", "Trung cấp", "Sơ cấp", "Chưa qua đào tạo"} {
		b.mset(11+i, 6, 11+i, 6, x, h)
	}
	b.mset(15, 5, 15, 6, "Quản lý nhà nước", h)
	b.mset(16, 5, 16, 5, "Đảng viên", h)
	b.mset(16, 6, 16, 6, "Ngày vào Đảng", h)
	b.mset(17, 5, 17, 6, "Số CCCD", h)
	b.height(6, 45)
	r := 7
	for i, p := range u.Persons {
		b.set(1, r, i+1)
		b.set(2, r, p.Name)
		b.text(3, r, dmy(p.Birth))
		b.set(4, r, xmark(p.Female, mark))
		b.set(5, r, p.Ethnic)
		b.set(6, r, p.Position)
		b.set(7+int(p.Edu), r, mark)
		b.set(11+int(p.LLCT), r, mark)
		b.set(15, r, b.qlnnPlain(p))
		if p.Party {
			b.text(16, r, dmy(p.PartyDate))
		}
		b.text(17, r, p.CCCD)
		b.style(1, r, 17, r, b.st.cell)
		b.style(3, r, 4, r, b.st.cellCenter)
		b.style(7, r, 14, r, b.st.cellCenter)
		b.style(16, r, 17, r, b.st.cellText)
		b.style(1, r, 1, r, b.st.cellCenter)
		r++
	}
	first, lastRow := 7, r-1
	b.set(2, r, "Cộng")
	for _, c := range []int{4, 7, 8, 9, 10, 11, 12, 13, 14, 16} {
		n := 0
		for _, p := range u.Persons {
			switch {
			case c == 4 && p.Female, c >= 7 && c <= 10 && int(p.Edu) == c-7,
				c >= 11 && c <= 14 && int(p.LLCT) == c-11, c == 16 && p.Party:
				n++
			}
		}
		col := colName(c)
		b.formula(c, r, fmt.Sprintf("COUNTA(%s%d:%s%d)", col, first, col, lastRow), n)
	}
	b.style(1, r, 17, r, b.st.total)
	note(fs.Name, fs.Sheet, 2, r, "\"Cộng\" row: COUNTA formulas with cached numeric values")
	r += 2
	b.mset(12, r, 17, r, fmt.Sprintf("%s, ngày 02 tháng 10 năm 2023", u.Short), b.st.italicCenter)
	r++
	b.mset(1, r, 3, r, "NGƯỜI LẬP", b.st.boldCenter)
	b.mset(12, r, 17, r, "CHỦ TỊCH UBND", b.st.boldCenter)
}

// ---------------------------------------------------------------- L4 (abbreviations, messy values)

var l4Headers = []string{"STT", "Họ và tên", "Ngày, tháng, năm sinh", "Giới tính", "Dân tộc", "Chức vụ", "TĐCM", "LLCT", "QLNN", "Đảng viên", "Số CCCD"}

// typo cells: at most two in all files.
var typoDone = map[string]bool{}

func writeL4(b *book, u *Unit, fs fileSpec) {
	b.widths(6, 24, 14, 9, 9, 24, 18, 22, 12, 9, 15)
	hr := 3
	switch fs.Variant {
	case 0:
		b.mset(1, 1, 11, 1, "DANH SÁCH TRÍCH NGANG CBCC "+upper(u.KindShort()), b.st.title)
	case 1:
		hr = 2
		b.set(1, 1, "CBCC "+u.KindShort()+" - cập nhật T9/2023")
		b.style(1, 1, 1, 1, b.st.bold)
	case 2:
		b.mset(1, 1, 3, 1, "UBND HUYỆN CHỢ ĐỒN", b.st.center)
		b.mset(1, 2, 3, 2, "UBND "+upper(u.KindShort()), b.st.boldCenter)
		b.mset(1, 4, 11, 4, "DANH SÁCH TRÍCH NGANG CÁN BỘ, CÔNG CHỨC NĂM 2023", b.st.title)
		b.mset(1, 5, 11, 5, "(Tính đến 30/9/2023)", b.st.italicCenter)
		hr = 7
	}
	for i, h := range l4Headers {
		b.set(i+1, hr, h)
	}
	b.style(1, hr, 11, hr, b.st.header)
	b.height(hr, 32)
	r := hr + 1
	dh := 0
	for i, p := range u.Persons {
		if fs.Variant == 1 {
			b.text(1, r, fmt.Sprintf("%d.", i+1))
		} else {
			b.set(1, r, i+1)
		}
		b.set(2, r, p.Name)
		if p.YearOnly {
			b.text(3, r, fmt.Sprint(p.Birth.Year()))
			note(fs.Name, fs.Sheet, 3, r, "birth date given as the year only (\"%d\")", p.Birth.Year())
		} else {
			b.text(3, r, b.dateMessy(p.Birth))
		}
		b.set(4, r, b.genderMessy(p))
		b.set(5, r, b.ethMessy(p))
		b.set(6, r, p.Position)
		e := b.eduMessy(p)
		if p.Edu == EduDH {
			dh++
			if u.Short == "Nam Cường" && dh == 3 && !typoDone["Đại họcc"] {
				e = "Đại họcc"
				typoDone[e] = true
				note(fs.Name, fs.Sheet, 7, r, "typo \"Đại họcc\" (= Đại học)")
			}
		}
		if p.Edu == EduTC && !typoDone["Trung cáp"] && (u.Short == "Đại Sảo" || u.Short == "Ngọc Phái") {
			e = "Trung cáp"
			typoDone[e] = true
			note(fs.Name, fs.Sheet, 7, r, "typo \"Trung cáp\" (= Trung cấp)")
		}
		b.set(7, r, e)
		b.set(8, r, b.llctMessy(p))
		b.set(9, r, b.qlnnMessy(p))
		if p.Party {
			b.set(10, r, pick(b.r, []string{"x", "x", "X"}))
		}
		if strings.HasPrefix(p.CCCD, "006") && b.r.IntN(3) == 0 {
			n, err := strconv.ParseInt(p.CCCD, 10, 64) // base 10: Sscan would read "006…" as octal
			must(err)
			b.set(11, r, n)
			note(fs.Name, fs.Sheet, 11, r, "CCCD stored as a number %d (leading zeros lost, 10 digits)", n)
		} else {
			b.text(11, r, p.CCCD)
		}
		b.style(1, r, 11, r, b.st.cell)
		b.style(1, r, 1, r, b.st.cellCenter)
		b.style(3, r, 4, r, b.st.cellCenter)
		b.style(10, r, 10, r, b.st.cellCenter)
		r++
	}
}

// ---------------------------------------------------------------- L5 (NFD, line breaks, NBSP, serial dates)

var l5Headers = []string{"STT", "Họ và\ntên", "Ngày\nsinh", "Giới\ntính", "Dân\ntộc", "Chức vụ", "Trình độ\nchuyên môn", "Lý luận\nchính trị", "Quản lý\nnhà nước", "Đảng\nviên", "Số\nCCCD"}

func writeL5(b *book, u *Unit, fs fileSpec) {
	b.widths(5, 24, 12, 8, 9, 24, 14, 12, 16, 8, 15)
	for i, h := range l5Headers {
		b.set(i+1, 1, h)
	}
	b.style(1, 1, 11, 1, b.st.headerWrap)
	b.height(1, 32)
	for i, p := range u.Persons {
		r := i + 2
		name := p.Name
		if i%6 == 2 { // non-breaking space between family and middle name
			name = strings.Replace(name, " ", "\u00a0", 1)
			note(fs.Name, fs.Sheet, 2, r, "NBSP inside the name %q", p.Name)
		}
		b.set(1, r, i+1)
		b.set(2, r, name)
		b.set(3, r, excelSerial(p.Birth))
		b.set(4, r, genderPlain(p))
		b.set(5, r, p.Ethnic)
		b.set(6, r, p.Position)
		b.set(7, r, eduPlain(p))
		b.set(8, r, b.llctPlain(p))
		b.set(9, r, b.qlnnPlain(p))
		b.set(10, r, xmark(p.Party, "x"))
		b.text(11, r, p.CCCD)
		b.style(1, r, 11, r, b.st.cell)
		b.style(1, r, 1, r, b.st.cellCenter)
		b.style(3, r, 3, r, b.st.cellDate)
		b.style(4, r, 4, r, b.st.cellCenter)
		b.style(10, r, 11, r, b.st.cellText)
	}
}

// ---------------------------------------------------------------- L6 (1904 date system)

var l6Headers = []string{"STT", "Họ và tên", "Giới tính", "Ngày sinh", "Dân tộc", "Chức vụ", "Trình độ chuyên môn", "Lý luận chính trị", "Quản lý nhà nước", "Đảng viên", "Số CCCD"}

func writeL6(b *book, u *Unit, fs fileSpec) {
	b.widths(5, 24, 9, 12, 9, 24, 18, 16, 18, 9, 15)
	b.set(1, 1, "UBND "+upper(u.KindShort()))
	b.style(1, 1, 1, 1, b.st.bold)
	b.mset(1, 2, 11, 2, "DANH SÁCH CÁN BỘ, CÔNG CHỨC "+upper(u.KindShort()), b.st.title)
	b.mset(1, 3, 11, 3, "(Tính đến ngày 30/9/2023)", b.st.italicCenter)
	for i, h := range l6Headers {
		b.set(i+1, 5, h)
	}
	b.style(1, 5, 11, 5, b.st.header)
	b.height(5, 30)
	for i, p := range u.Persons {
		r := i + 6
		b.set(1, r, i+1)
		b.set(2, r, p.Name)
		b.set(3, r, genderPlain(p))
		b.set(4, r, p.Birth) // excelize converts with the workbook's date1904 flag
		b.set(5, r, p.Ethnic)
		b.set(6, r, p.Position)
		b.set(7, r, eduPlain(p))
		b.set(8, r, b.llctPlain(p))
		b.set(9, r, b.qlnnPlain(p))
		b.set(10, r, xmark(p.Party, "x"))
		b.text(11, r, p.CCCD)
		b.style(1, r, 11, r, b.st.cell)
		b.style(1, r, 1, r, b.st.cellCenter)
		b.style(3, r, 3, r, b.st.cellCenter)
		b.style(4, r, 4, r, b.st.cellDate)
		b.style(10, r, 11, r, b.st.cellText)
	}
}

// ---------------------------------------------------------------- L7 (formulas, hidden sheets, dropdowns)

var l7Headers = []string{"STT", "Họ và tên", "Ngày sinh", "Tuổi", "Giới tính", "Dân tộc", "Chức vụ", "Trình độ chuyên môn", "Lý luận chính trị", "Quản lý nhà nước", "Đảng viên", "Số CCCD"}

var dmEdu = []string{"Thạc sĩ", "Đại học", "Cao đẳng", "Trung cấp"}
var dmEth = []string{"Tày", "Kinh", "Dao", "Nùng", "Mông", "Hoa", "Sán Chay"}
var dmLLCT = []string{"Cao cấp", "Trung cấp", "Sơ cấp", "Chưa"}
var dmQLNN = []string{"Chuyên viên chính", "Chuyên viên", "Chưa qua bồi dưỡng"}
var dmSex = []string{"Nam", "Nữ"}

func writeL7(b *book, u *Unit, fs fileSpec) {
	roster := b.sheet
	b.widths(5, 24, 12, 6, 9, 9, 24, 18, 16, 18, 9, 15)
	b.mset(1, 1, 3, 1, "UBND HUYỆN CHỢ ĐỒN", b.st.center)
	b.mset(1, 2, 3, 2, "UBND "+upper(u.KindShort()), b.st.boldCenter)
	b.mset(1, 4, 12, 4, "DANH SÁCH CÁN BỘ, CÔNG CHỨC "+upper(u.KindShort()), b.st.title)
	b.mset(1, 5, 12, 5, "(Tính đến ngày 30/09/2023)", b.st.italicCenter)
	for i, h := range l7Headers {
		b.set(i+1, 8, h)
	}
	b.style(1, 8, 12, 8, b.st.header)
	b.height(8, 30)
	r0 := 9
	for i, p := range u.Persons {
		r := r0 + i
		if i == 0 {
			b.set(1, r, 1)
		} else {
			b.formula(1, r, fmt.Sprintf("A%d+1", r-1), i+1)
		}
		b.set(2, r, p.Name)
		b.set(3, r, p.Birth)
		b.formula(4, r, fmt.Sprintf(`DATEDIF(C%d,DATE(2023,9,30),"Y")`, r), p.Age(refDate))
		b.set(5, r, genderPlain(p))
		b.set(6, r, p.Ethnic)
		b.set(7, r, p.Position)
		b.set(8, r, eduPlain(p))
		if p.LLCT == LLCTNone {
			b.set(9, r, "Chưa")
		} else {
			b.set(9, r, llctNames[p.LLCT])
		}
		if p.QLNN == QLNNNone {
			b.set(10, r, "Chưa qua bồi dưỡng")
		} else {
			b.set(10, r, qlnnNames[p.QLNN])
		}
		b.set(11, r, xmark(p.Party, "x"))
		b.text(12, r, p.CCCD)
		b.style(1, r, 12, r, b.st.cell)
		b.style(1, r, 1, r, b.st.cellCenter)
		b.style(3, r, 3, r, b.st.cellDate)
		b.style(4, r, 5, r, b.st.cellCenter)
		b.style(11, r, 12, r, b.st.cellText)
	}
	rN := r0 + len(u.Persons) - 1
	note(fs.Name, roster, 1, r0+1, "STT =A%d+1 … and Tuổi =DATEDIF(...) formulas with cached values", r0)

	// hidden helper sheet with the dropdown lists
	b.use("DanhMuc")
	lists := [][]string{dmEdu, dmEth, dmLLCT, dmQLNN, dmSex}
	heads := []string{"Trình độ chuyên môn", "Dân tộc", "Lý luận chính trị", "Quản lý nhà nước", "Giới tính"}
	for c, l := range lists {
		b.set(c+1, 1, heads[c])
		for i, v := range l {
			b.set(c+1, i+2, v)
		}
	}
	b.widths(20, 12, 18, 20, 10)
	must(b.f.SetSheetVisible("DanhMuc", false))
	// very hidden scratch sheet
	b.use("Tmp")
	b.set(1, 1, "ma_dv")
	b.set(2, 1, strings.ToUpper(strings.ReplaceAll(asciiFold(u.Short), " ", "")))
	b.set(1, 2, "so_nguoi")
	b.set(2, 2, len(u.Persons))
	b.set(1, 3, "cap_nhat")
	b.set(2, 3, "30/09/2023")
	must(b.f.SetSheetVisible("Tmp", false, true))

	b.use(roster)
	for _, x := range []struct {
		col  int
		list string
	}{{8, "$A$2:$A$5"}, {6, "$B$2:$B$8"}, {9, "$C$2:$C$5"}, {10, "$D$2:$D$4"}, {5, "$E$2:$E$3"}} {
		dv := newDropList("DanhMuc!" + x.list)
		dv.Sqref = fmt.Sprintf("%s%d:%s%d", colName(x.col), r0, colName(x.col), rN)
		must(b.f.AddDataValidation(roster, dv))
	}
}

func asciiFold(s string) string {
	s = strings.ReplaceAll(norm.NFD.String(s), "đ", "d")
	s = strings.ReplaceAll(s, "Đ", "D")
	var out []rune
	for _, r := range s {
		if r < 0x300 || r > 0x36f {
			out = append(out, r)
		}
	}
	return string(out)
}

// ---------------------------------------------------------------- training sheets

type trainRow struct {
	a    *Attendance
	unit *Unit
}

func sortedAtts(units []*Unit) []trainRow {
	var rows []trainRow
	for _, u := range units {
		for _, p := range u.Persons {
			for _, a := range p.Atts {
				rows = append(rows, trainRow{a, u})
			}
		}
	}
	sortTrain(rows)
	return rows
}

func sortTrain(rows []trainRow) {
	less := func(x, y trainRow) bool {
		if !x.a.Session.From.Equal(y.a.Session.From) {
			return x.a.Session.From.Before(y.a.Session.From)
		}
		if x.unit.Idx != y.unit.Idx {
			return x.unit.Idx < y.unit.Idx
		}
		return x.a.Person.ID < y.a.Person.ID
	}
	// insertion sort keeps it dependency-free and stable
	for i := 1; i < len(rows); i++ {
		for j := i; j > 0 && less(rows[j], rows[j-1]); j-- {
			rows[j], rows[j-1] = rows[j-1], rows[j]
		}
	}
}

// date styles of the training sheet follow the workbook's roster: text (L1–L4), serial (L5),
// real dates (L6 in 1904, L7).
func (b *book) trainDate(col, row int, t time.Time, layout string) {
	switch layout {
	case "L5":
		b.set(col, row, excelSerial(t))
		b.style(col, row, col, row, b.st.cellDate)
	case "L6", "L7":
		b.set(col, row, t)
		b.style(col, row, col, row, b.st.cellDate)
	default:
		b.text(col, row, dmy(t))
		b.style(col, row, col, row, b.st.cellCenter)
	}
}

func writeUnitTraining(b *book, u *Unit, fs fileSpec) {
	b.use(fs.TrainSheet)
	hs := []string{"STT", "Họ và tên", "Ngày sinh", fs.TrainHeader, "Từ ngày", "Đến ngày", "Hình thức", "Kinh phí", "Cơ sở đào tạo"}
	b.widths(5, 24, 12, 48, 12, 12, 15, 13, 34)
	hr := 1
	if fs.Seed%2 == 1 {
		b.mset(1, 1, 9, 1, "THEO DÕI ĐÀO TẠO, BỒI DƯỠNG CÁN BỘ, CÔNG CHỨC "+upper(u.KindShort())+" (2021 - 9/2023)", b.st.title)
		hr = 3
	}
	for i, h := range hs {
		b.set(i+1, hr, h)
	}
	b.style(1, hr, 9, hr, b.st.header)
	b.height(hr, 30)
	fv := fundingVocab[int(fs.Seed)%len(fundingVocab)]
	rows := sortedAtts([]*Unit{u})
	r := hr + 1
	for i, x := range rows {
		p, s := x.a.Person, x.a.Session
		b.set(1, r, i+1)
		b.style(1, r, 9, r, b.st.cell)
		b.style(1, r, 1, r, b.st.cellCenter)
		b.set(2, r, p.Name)
		b.trainDate(3, r, p.Birth, fs.Layout)
		b.set(4, r, s.Course.Name)
		b.trainDate(5, r, s.From, fs.Layout)
		b.trainDate(6, r, s.To, fs.Layout)
		b.set(7, r, s.Form)
		b.set(8, r, fv[boolInt(s.SelfPaid)])
		b.set(9, r, s.Provider)
		r++
	}
	b.mset(1, r, 3, r, fmt.Sprintf("Tổng: %d lượt", len(rows)), b.st.total)
	b.style(4, r, 9, r, b.st.total)
	note(fs.Name, fs.TrainSheet, 1, r, "training total row \"Tổng: %d lượt\"", len(rows))
}

func boolInt(v bool) int {
	if v {
		return 1
	}
	return 0
}

// writeDistrict writes the Phòng Nội vụ register for the units without their own sheet.
func writeDistrict(dir string, m *Model) []string {
	var units []*Unit
	var names []string
	for _, fs := range fileSpecs {
		if fs.TrainSheet == "" {
			for _, s := range fs.Units {
				units = append(units, m.unit(s))
			}
		}
	}
	sortUnits(units)
	for _, u := range units {
		names = append(names, u.Display())
	}
	b := newBook(99, "Times New Roman", 12, false)
	b.use(districtSheet)
	hs := []string{"STT", "Họ và tên", "Ngày sinh", "Đơn vị", "Nội dung đào tạo, bồi dưỡng", "Từ ngày", "Đến ngày", "Hình thức", "Kinh phí", "Cơ sở đào tạo"}
	b.widths(5, 24, 12, 24, 48, 12, 12, 15, 13, 34)
	b.mset(1, 1, 3, 1, "UBND HUYỆN CHỢ ĐỒN", b.st.center)
	b.mset(1, 2, 3, 2, "PHÒNG NỘI VỤ", b.st.boldCenter)
	b.mset(6, 1, 10, 1, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", b.st.boldCenter)
	b.mset(6, 2, 10, 2, "Độc lập - Tự do - Hạnh phúc", b.st.motto)
	b.mset(1, 4, 10, 4, "SỔ THEO DÕI ĐÀO TẠO, BỒI DƯỠNG CÁN BỘ, CÔNG CHỨC CẤP XÃ", b.st.title)
	b.mset(1, 5, 10, 5, "(Từ năm 2021 đến tháng 9/2023)", b.st.italicCenter)
	for i, h := range hs {
		b.set(i+1, 7, h)
	}
	b.style(1, 7, 10, 7, b.st.header)
	b.height(7, 30)
	rows := sortedAtts(units)
	r := 8
	year := 0
	for i, x := range rows {
		p, s := x.a.Person, x.a.Session
		if y := s.From.Year(); y != year {
			year = y
			label := fmt.Sprintf("Năm %d", y)
			if y == 2023 {
				label = "Năm 2023 (đến 30/9)"
			}
			b.mset(1, r, 10, r, label, b.st.group)
			note(districtFile, districtSheet, 1, r, "year group row %q", label)
			r++
		}
		b.set(1, r, i+1)
		b.style(1, r, 10, r, b.st.cell)
		b.style(1, r, 1, r, b.st.cellCenter)
		b.set(2, r, p.Name)
		b.set(3, r, p.Birth)
		b.style(3, r, 3, r, b.st.cellDate)
		b.set(4, r, x.unit.Display())
		b.set(5, r, s.Course.Name)
		b.set(6, r, s.From)
		b.set(7, r, s.To)
		b.style(6, r, 7, r, b.st.cellDate)
		b.set(8, r, s.Form)
		fv := fundingVocab[(i/37)%len(fundingVocab)] // different clerks over the years
		b.set(9, r, fv[boolInt(s.SelfPaid)])
		b.set(10, r, s.Provider)
		r++
	}
	b.mset(1, r, 4, r, fmt.Sprintf("Tổng cộng: %d lượt người", len(rows)), b.st.total)
	b.style(5, r, 10, r, b.st.total)
	note(districtFile, districtSheet, 1, r, "grand total row")
	r += 2
	b.mset(6, r, 10, r, "Chợ Đồn, ngày 05 tháng 10 năm 2023", b.st.italicCenter)
	r++
	b.mset(1, r, 3, r, "NGƯỜI LẬP BIỂU", b.st.boldCenter)
	b.mset(6, r, 10, r, "TRƯỞNG PHÒNG", b.st.boldCenter)
	r += 4
	b.mset(1, r, 3, r, "Hoàng Thị Thu Hà", b.st.boldCenter)
	b.mset(6, r, 10, r, "Ma Văn Dũng", b.st.boldCenter)
	b.save(dir + "/" + districtFile)
	return names
}

func sortUnits(us []*Unit) {
	for i := 1; i < len(us); i++ {
		for j := i; j > 0 && us[j].Idx < us[j-1].Idx; j-- {
			us[j], us[j-1] = us[j-1], us[j]
		}
	}
}
