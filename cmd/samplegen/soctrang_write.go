package main

// Sóc Trăng leadership rosters (samples/soc-trang/). Layouts:
//
//	S1  Ban Tổ chức Tỉnh ủy: Party title block, two-row header, birth dates under "Ngày sinh" › Nam | Nữ,
//	    a "Cơ quan, đơn vị" column, "Trình độ" › Chuyên môn | Lý luận chính trị | Quản lý nhà nước,
//	    "Đang đào tạo sau đại học", column numbers "(1)"…, group rows I / II
//	S2  Sở and Văn phòng Tỉnh ủy: one header row, "Giới tính", a separate "Chuyên ngành" column, "Đang đào
//	    tạo", abbreviated LLCT/QLNN levels (CVC, CVCC), CCCD; dates as text or real dates
//	S3  Huyện ủy / Thị ủy: two-row header "Trình độ chuyên môn" › Hiện có | Đang học, a lone "Nữ" x column,
//	    group rows A / B / C by diện

import (
	"fmt"
	"path/filepath"
	"strings"
)

// How each file writes the diện quản lý; every spelling is an alias of config/vocabularies.yaml
// (dien_quan_ly), except the single typo of Trần Đề, which the pipeline guesses with a warning.
// "Thị ủy viên", "Trưởng phòng" and "Phó trưởng phòng", which clerks also write, are not
// in the vocabulary and are deliberately not used (see the README).
var stDienSpell = map[string]map[string][]string{
	"Ban Tổ chức Tỉnh ủy.xlsx":      {dBCHTinh: {"Tỉnh ủy viên", "TUV"}, dBTV: {"Diện BTV Tỉnh ủy quản lý", "Diện BTV quản lý"}},
	"Văn phòng Tỉnh ủy.xlsx":        {dBCHTinh: {"Tỉnh ủy viên"}, dBTV: {"Diện BTV Tỉnh ủy quản lý"}, dCapPhong: {"Lãnh đạo cấp phòng"}},
	"Sở Nội vụ.xlsx":                {dBCHTinh: {"TUV"}, dBTV: {"Diện BTV quản lý"}, dCapPhong: {"Cấp phòng"}},
	"So Tai chinh - LDQL 2023.xlsx": {dBCHTinh: {"Tỉnh uỷ viên"}, dBTV: {"BTV quản lý"}, dCapPhong: {"Lãnh đạo phòng"}},
	"Huyện ủy Mỹ Xuyên.xlsx": {dBCHTinh: {"Tỉnh ủy viên"}, dBTV: {"Diện BTV quản lý"}, dBCHHuyen: {"Huyện ủy viên"},
		dCapPhong: {"Lãnh đạo cấp phòng"}},
	"Huyện ủy Kế Sách.xlsx": {dBCHTinh: {"TUV"}, dBTV: {"Diện BTV Tỉnh ủy quản lý"}, dBCHHuyen: {"HUV"}, dCapPhong: {"LĐQL cấp phòng"}},
	"Thị ủy Vĩnh Châu.xlsx": {dBCHTinh: {"Tỉnh ủy viên"}, dBTV: {"Diện BTV quản lý"}, dBCHHuyen: {"BCH cấp huyện"}, dCapPhong: {"Cấp phòng"}},
	"Huyện ủy Trần Đề.xlsx": {dBCHTinh: {"Tỉnh ủy viên"}, dBTV: {"Cán bộ diện BTV"}, dBCHHuyen: {"Huyện uỷ viên"}, dCapPhong: {"Lãnh đạo phòng"}},
}

// stTypo is the one misspelt diện cell: the 5th cấp phòng person of Trần Đề.
const (
	stTypoFile = "Huyện ủy Trần Đề.xlsx"
	stTypoText = "Lãnh đạo cấp phòn"
)

var stEthSpell = map[string]map[string][]string{
	"S1": {"Kinh": {"Kinh"}, "Khmer": {"Khmer"}, "Hoa": {"Hoa"}},
	"S2": {"Kinh": {"Kinh"}, "Khmer": {"Khơ-me", "Khmer"}, "Hoa": {"Hoa"}},
	"S3": {"Kinh": {"Kinh"}, "Khmer": {"Khơ me", "Khmer", "Khmer"}, "Hoa": {"Hoa"}},
}

// stWriter spells one file's values.
type stWriter struct {
	b     *book
	f     *stFile
	phong int // cấp phòng persons written, for the typo
}

func (w *stWriter) dien(p *stPerson) string {
	if p.Dien == dCapPhong && w.f.File == stTypoFile {
		w.phong++
		if w.phong == 5 {
			return stTypoText
		}
	}
	return pick(w.b.r, stDienSpell[w.f.File][p.Dien])
}

func (w *stWriter) ethnic(p *stPerson) string { return pick(w.b.r, stEthSpell[w.f.Layout][p.Ethnic]) }

// edu writes the degree held: S1 with the field ("Thạc sĩ Quản lý công"), S2 plain or
// abbreviated (the field has its own column), S3 old spellings and degree titles.
func (w *stWriter) edu(p *stPerson) string {
	r := w.b.r
	switch w.f.Layout {
	case "S1":
		switch p.Edu {
		case eTS:
			return "Tiến sĩ " + p.Major
		case eTh:
			return "Thạc sĩ " + p.Major
		}
		if p.Major == "Nông nghiệp" {
			return "Kỹ sư Nông nghiệp"
		}
		return pick(r, []string{"Đại học ", "Cử nhân "}) + p.Major
	case "S2":
		return pick(r, map[string][]string{eTS: {"Tiến sĩ", "TS"}, eTh: {"Thạc sĩ", "ThS", "Thạc sĩ"}, eDH: {"Đại học"}}[p.Edu])
	}
	switch p.Edu {
	case eTS:
		return "Tiến sỹ"
	case eTh:
		return pick(r, []string{"Thạc sỹ", "Th.S", "Thạc sĩ " + p.Major})
	}
	if p.Major == "Nông nghiệp" {
		return "Kỹ sư"
	}
	return pick(r, []string{"Đại học", "Cử nhân", "Đại học " + p.Major})
}

// study writes what the person is studying for now; blank when nothing.
func (w *stWriter) study(p *stPerson) string {
	r := w.b.r
	switch p.Study {
	case "":
		return ""
	case eDH:
		if w.f.Layout == "S3" {
			return "Đại học " + p.StudyMajor + " (VB2)"
		}
		return "Đại học " + p.StudyMajor + " (văn bằng 2)"
	case eTS:
		if w.f.Layout == "S3" {
			return "Tiến sỹ"
		}
		return "Tiến sĩ " + p.StudyMajor
	}
	switch w.f.Layout {
	case "S1":
		return pick(r, []string{"Cao học ", "Thạc sĩ "}) + p.StudyMajor
	case "S2":
		return pick(r, []string{"Cao học", "Thạc sĩ"})
	}
	return pick(r, []string{"Sau đại học", "ThS", "Cao học"})
}

var stLLCTSpell = map[string]map[string][]string{
	"S1": {"cao_cap": {"Cao cấp", "Cao cấp", "Cử nhân chính trị"}, "trung_cap": {"Trung cấp"}},
	"S2": {"cao_cap": {"Cao cấp"}, "trung_cap": {"Trung cấp"}},
	"S3": {"cao_cap": {"CC", "Cao cấp LLCT"}, "trung_cap": {"TC", "Trung cấp LLCT"}},
}
var stQLNNSpell = map[string]map[string][]string{
	"S1": {"chuyen_vien_cao_cap": {"Chuyên viên cao cấp"}, "chuyen_vien_chinh": {"Chuyên viên chính"}, "chuyen_vien": {"Chuyên viên"}},
	"S2": {"chuyen_vien_cao_cap": {"CVCC"}, "chuyen_vien_chinh": {"CVC"}, "chuyen_vien": {"CV"}},
	"S3": {"chuyen_vien_cao_cap": {"Chuyên viên cao cấp"}, "chuyen_vien_chinh": {"Chuyên viên chính"}, "chuyen_vien": {"Chuyên viên"}},
}

func (w *stWriter) llct(p *stPerson) string { return pick(w.b.r, stLLCTSpell[w.f.Layout][p.LLCT]) }
func (w *stWriter) qlnn(p *stPerson) string { return pick(w.b.r, stQLNNSpell[w.f.Layout][p.QLNN]) }

func writeSocTrang(dir string, fs []*stFile) []string {
	var written []string
	for _, f := range fs {
		b := newBook(f.Seed, "Times New Roman", 12, false)
		b.use(f.Sheet)
		w := &stWriter{b: b, f: f}
		switch f.Layout {
		case "S1":
			writeS1(w)
		case "S2":
			writeS2(w)
		case "S3":
			writeS3(w)
		default:
			panic(f.Layout)
		}
		b.save(filepath.Join(dir, f.File))
		written = append(written, f.File)
	}
	return written
}

// partyHeader writes the left/right title blocks of a Party document.
func partyHeader(b *book, left1, left2 string, lastCol int) {
	b.mset(1, 1, 4, 1, left1, b.st.center)
	b.mset(1, 2, 4, 2, left2, b.st.boldCenter)
	b.mset(lastCol-4, 1, lastCol, 1, "ĐẢNG CỘNG SẢN VIỆT NAM", b.st.motto)
}

// ---------------------------------------------------------------- S1

func writeS1(w *stWriter) {
	b, f := w.b, w.f
	const last = 13
	b.widths(5, 24, 11, 11, 8, 36, 30, 20, 26, 16, 18, 26, 10)
	partyHeader(b, "TỈNH ỦY SÓC TRĂNG", "BAN TỔ CHỨC", last)
	b.mset(1, 4, last, 4, "DANH SÁCH TRÍCH NGANG CÁN BỘ THUỘC DIỆN BAN THƯỜNG VỤ TỈNH ỦY QUẢN LÝ", b.st.title)
	b.mset(1, 5, last, 5, "(Tính đến ngày 30/9/2023)", b.st.italicCenter)
	h := b.st.header
	b.mset(1, 7, 1, 8, "STT", h)
	b.mset(2, 7, 2, 8, "Họ và tên", h)
	b.mset(3, 7, 4, 7, "Ngày sinh", h)
	b.mset(3, 8, 3, 8, "Nam", h)
	b.mset(4, 8, 4, 8, "Nữ", h)
	b.mset(5, 7, 5, 8, "Dân tộc", h)
	b.mset(6, 7, 6, 8, "Chức vụ", h)
	b.mset(7, 7, 7, 8, "Cơ quan, đơn vị", h)
	b.mset(8, 7, 8, 8, "Diện quản lý", h)
	b.mset(9, 7, 11, 7, "Trình độ", h)
	b.mset(9, 8, 9, 8, "Chuyên môn", h)
	b.mset(10, 8, 10, 8, "Lý luận chính trị", h)
	b.mset(11, 8, 11, 8, "Quản lý nhà nước", h)
	b.mset(12, 7, 12, 8, "Đang đào tạo sau đại học", h)
	b.mset(13, 7, 13, 8, "Ghi chú", h)
	b.height(8, 32)
	for i := 1; i <= last; i++ {
		b.set(i, 9, fmt.Sprintf("(%d)", i))
	}
	b.style(1, 9, last, 9, b.st.cellCenter)
	r, stt := 10, 0
	groups := map[string]string{dBCHTinh: "ỦY VIÊN BAN CHẤP HÀNH ĐẢNG BỘ TỈNH KHÓA XIV",
		dBTV: "CÁN BỘ DIỆN BAN THƯỜNG VỤ TỈNH ỦY QUẢN LÝ (không là Tỉnh ủy viên)"}
	cur := ""
	for _, p := range f.Persons {
		if p.Dien != cur {
			cur = p.Dien
			b.set(1, r, map[string]string{dBCHTinh: "I", dBTV: "II"}[cur])
			b.set(2, r, groups[cur])
			b.style(1, r, last, r, b.st.group)
			r++
		}
		stt++
		b.set(1, r, stt)
		b.set(2, r, p.Name)
		b.set(3+boolInt(p.Female), r, p.Birth)
		b.set(5, r, w.ethnic(p))
		b.set(6, r, p.Position)
		b.set(7, r, p.Unit)
		b.set(8, r, w.dien(p))
		b.set(9, r, w.edu(p))
		b.set(10, r, w.llct(p))
		b.set(11, r, w.qlnn(p))
		b.set(12, r, w.study(p))
		b.style(1, r, last, r, b.st.cell)
		b.style(1, r, 1, r, b.st.cellCenter)
		b.style(3, r, 4, r, b.st.cellDate)
		r++
	}
	b.mset(1, r, 2, r, fmt.Sprintf("Tổng số: %d đồng chí", stt), b.st.total)
	b.style(3, r, last, r, b.st.total)
	r += 2
	b.mset(9, r, last, r, "Sóc Trăng, ngày 02 tháng 10 năm 2023", b.st.italicCenter)
	r++
	b.mset(1, r, 3, r, "NGƯỜI LẬP BIỂU", b.st.boldCenter)
	b.mset(9, r, last, r, "K/T TRƯỞNG BAN\nPHÓ TRƯỞNG BAN", b.st.boldCenter)
}

// ---------------------------------------------------------------- S2

var s2Headers = []string{"STT", "Họ và tên", "Ngày sinh", "Giới tính", "Dân tộc", "Chức vụ", "Diện quản lý", "Trình độ chuyên môn",
	"Chuyên ngành", "Đang đào tạo", "Lý luận chính trị", "Quản lý nhà nước", "Số CCCD"}

func writeS2(w *stWriter) {
	b, f := w.b, w.f
	last := len(s2Headers)
	b.widths(5, 24, 12, 8, 9, 40, 22, 14, 22, 16, 14, 12, 15)
	switch f.Variant {
	case 0:
		partyHeader(b, "TỈNH ỦY SÓC TRĂNG", "VĂN PHÒNG TỈNH ỦY", last)
	default:
		b.mset(1, 1, 4, 1, "UBND TỈNH SÓC TRĂNG", b.st.center)
		b.mset(1, 2, 4, 2, strings.ToUpper(f.Unit), b.st.boldCenter)
		b.mset(last-4, 1, last, 1, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", b.st.boldCenter)
		b.mset(last-4, 2, last, 2, "Độc lập - Tự do - Hạnh phúc", b.st.motto)
	}
	b.mset(1, 4, last, 4, "DANH SÁCH CÁN BỘ LÃNH ĐẠO, QUẢN LÝ", b.st.title)
	b.mset(1, 5, last, 5, "(Tính đến ngày 30/09/2023)", b.st.italicCenter)
	for i, h := range s2Headers {
		b.set(i+1, 7, h)
	}
	b.style(1, 7, last, 7, b.st.header)
	b.height(7, 30)
	for i, p := range f.Persons {
		r := i + 8
		b.set(1, r, i+1)
		b.set(2, r, p.Name)
		switch f.Variant {
		case 1:
			b.set(3, r, p.Birth)
			b.style(3, r, 3, r, b.st.cellDate)
		case 2:
			b.text(3, r, fmt.Sprintf("%d/%d/%d", p.Birth.Day(), int(p.Birth.Month()), p.Birth.Year()))
		default:
			b.text(3, r, dmy(p.Birth))
		}
		b.set(4, r, genderText(p.Female))
		b.set(5, r, w.ethnic(p))
		b.set(6, r, p.Position)
		b.set(7, r, w.dien(p))
		b.set(8, r, w.edu(p))
		b.set(9, r, p.Major)
		b.set(10, r, w.study(p))
		b.set(11, r, w.llct(p))
		b.set(12, r, w.qlnn(p))
		b.text(13, r, p.CCCD)
		b.style(1, r, last, r, b.st.cell)
		b.style(1, r, 1, r, b.st.cellCenter)
		b.style(4, r, 4, r, b.st.cellCenter)
		b.style(13, r, 13, r, b.st.cellText)
		if f.Variant == 1 {
			b.style(3, r, 3, r, b.st.cellDate)
		} else {
			b.style(3, r, 3, r, b.st.cellCenter)
		}
	}
	r := len(f.Persons) + 9
	b.mset(last-5, r, last, r, "Sóc Trăng, ngày 30 tháng 9 năm 2023", b.st.italicCenter)
	b.mset(1, r+1, 3, r+1, "NGƯỜI LẬP BIỂU", b.st.boldCenter)
	b.mset(last-5, r+1, last, r+1, "THỦ TRƯỞNG CƠ QUAN", b.st.boldCenter)
}

// ---------------------------------------------------------------- S3

func writeS3(w *stWriter) {
	b, f := w.b, w.f
	const last = 12
	b.widths(5, 24, 12, 5, 9, 44, 20, 18, 18, 14, 18, 14)
	hu, h := "HUYỆN ỦY", "HUYỆN"
	if f.Dist.Town {
		hu, h = "THỊ ỦY", "THỊ XÃ"
	}
	partyHeader(b, hu+" "+strings.ToUpper(f.Dist.Name), "*", last)
	b.mset(1, 3, last, 3, "DANH SÁCH CÁN BỘ LÃNH ĐẠO, QUẢN LÝ "+h+" "+strings.ToUpper(f.Dist.Name), b.st.title)
	b.mset(1, 4, last, 4, "(Tính đến ngày 30/09/2023)", b.st.italicCenter)
	hd := b.st.header
	b.mset(1, 6, 1, 7, "STT", hd)
	b.mset(2, 6, 2, 7, "Họ và tên", hd)
	b.mset(3, 6, 3, 7, "Ngày sinh", hd)
	b.mset(4, 6, 4, 7, "Nữ", hd)
	b.mset(5, 6, 5, 7, "Dân tộc", hd)
	b.mset(6, 6, 6, 7, "Chức vụ", hd)
	b.mset(7, 6, 7, 7, "Diện quản lý", hd)
	b.mset(8, 6, 9, 6, "Trình độ chuyên môn", hd)
	b.mset(8, 7, 8, 7, "Hiện có", hd)
	b.mset(9, 7, 9, 7, "Đang học", hd)
	b.mset(10, 6, 10, 7, "Lý luận chính trị", hd)
	b.mset(11, 6, 11, 7, "Quản lý nhà nước", hd)
	b.mset(12, 6, 12, 7, "Ghi chú", hd)
	b.height(7, 30)
	groups := map[string][2]string{
		dBCHTinh: {"A", "CÁN BỘ DIỆN BAN THƯỜNG VỤ TỈNH ỦY QUẢN LÝ"}, dBCHHuyen: {"B", "ỦY VIÊN BAN CHẤP HÀNH ĐẢNG BỘ " + h},
		dCapPhong: {"C", "LÃNH ĐẠO CẤP PHÒNG VÀ TƯƠNG ĐƯƠNG"},
	}
	r, stt := 8, 0
	for _, p := range f.Persons {
		if g, ok := groups[p.Dien]; ok { // Tỉnh ủy viên and diện BTV share group A
			b.set(1, r, g[0])
			b.set(2, r, g[1])
			b.style(1, r, last, r, b.st.group)
			r++
			delete(groups, p.Dien)
		}
		stt++
		b.set(1, r, stt)
		b.set(2, r, p.Name)
		switch f.Variant {
		case 1, 2:
			b.set(3, r, p.Birth)
			b.style(3, r, 3, r, b.st.cellDate)
		case 3:
			b.text(3, r, p.Birth.Format("02-01-2006"))
		default:
			b.text(3, r, dmy(p.Birth))
		}
		b.set(4, r, xmark(p.Female, "x"))
		b.set(5, r, w.ethnic(p))
		b.set(6, r, p.Position)
		d := w.dien(p)
		b.set(7, r, d)
		if d == stTypoText {
			note("soc-trang/"+f.File, f.Sheet, 7, r, "%q: the one misspelt diện, accepted as cap_phong with a warning", d)
		}
		b.set(8, r, w.edu(p))
		b.set(9, r, w.study(p))
		b.set(10, r, w.llct(p))
		b.set(11, r, w.qlnn(p))
		b.style(1, r, last, r, b.st.cell)
		b.style(1, r, 1, r, b.st.cellCenter)
		b.style(4, r, 4, r, b.st.cellCenter)
		if f.Variant != 1 && f.Variant != 2 {
			b.style(3, r, 3, r, b.st.cellCenter)
		} else {
			b.style(3, r, 3, r, b.st.cellDate)
		}
		r++
	}
	r++
	b.mset(8, r, last, r, fmt.Sprintf("%s, ngày 30 tháng 9 năm 2023", f.Dist.Name), b.st.italicCenter)
	b.mset(1, r+1, 3, r+1, "NGƯỜI LẬP BIỂU", b.st.boldCenter)
	b.mset(8, r+1, last, r+1, "T/M BAN THƯỜNG VỤ", b.st.boldCenter)
}
