package main

// Synthetic rosters that look like the ones units send: a title block with the unit
// and the as-of date, a merged two-row header with birth dates under "Nam"/"Nữ" (or a
// plain header with real date cells), a column-numbering row, group rows, a totals
// row and a signature block, Vietnamese names, and about 2% bad values.

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"
)

var (
	surnames = []string{"Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Nông", "Ma", "Triệu", "Bàn", "Lục", "Hà", "Lý", "Đặng", "Dương", "Vi", "Đinh", "Hứa", "Lường"}
	middles  = map[bool][]string{false: {"Văn", "Đình", "Đức", "Minh", "Quang", "Hữu", "Thanh", "Ngọc"}, true: {"Thị", "Thị", "Thu", "Ngọc", "Thanh", "Kim"}}
	givens   = map[bool][]string{false: {"Thành", "Hùng", "Quân", "Long", "Sơn", "Bình", "Khánh", "Sáng", "Tuấn", "Hải", "Cường", "Dũng", "Trường", "Phúc"},
		true: {"Lan", "Mai", "Nga", "Hương", "Hoa", "Dung", "Phương", "Tâm", "Yến", "Thu", "Hằng", "Huyền", "Thảo", "Ánh"}}
	communes = []string{"Nghĩa Tá", "Bằng Phúc", "Bản Thi", "Bằng Lãng", "Bình Trung", "Đồng Lạc", "Lương Bằng", "Yên Thượng",
		"Nam Cường", "Ngọc Phái", "Đại Sảo", "Phương Viên", "Quảng Bạch", "Tân Lập", "Xuân Lạc", "Yên Mỹ", "Đồng Thắng", "Yên Phong", "Yên Thịnh"}
	ethnic    = []string{"Tày", "Tày", "Tày", "Kinh", "Dao", "Nùng", "Mông", "Hoa", "Sán Chay"}
	positions = []string{"Bí thư Đảng ủy", "Chủ tịch UBND", "Phó Chủ tịch UBND", "Văn phòng - thống kê", "Tư pháp - hộ tịch",
		"Địa chính - xây dựng", "Tài chính - kế toán", "Văn hóa - xã hội", "Chỉ huy trưởng Quân sự", "Chủ tịch Hội Phụ nữ", "Bí thư Đoàn TN"}
	education = []string{"Đại học", "Đại học", "ĐH", "Đại học (Luật)", "Thạc sĩ", "ThS", "Cao đẳng", "Trung cấp", "TC"}
	politics  = []string{"Sơ cấp", "Trung cấp", "Trung cấp", "TC", "Cao cấp", "Chưa"}
	stateMgmt = []string{"Chuyên viên", "CV", "Chuyên viên chính", "Chưa", "Chưa"}
)

// genOptions sizes a generated folder.
type genOptions struct {
	files, people int
	seed          uint64
	// bad is the percentage of people with one spoiled value (a wrong date, an
	// unknown level, a short CCCD…); with 0 the set has no problem at all (every
	// CCCD is text, too). The default data set uses 2.
	bad int
}

// generate writes opt.files rosters holding opt.people persons in total into dir.
func generate(ctx context.Context, dir string, opt genOptions) error {
	if opt.files <= 0 || opt.people < opt.files {
		return fmt.Errorf("cần ít nhất một người cho mỗi tệp (files=%d, people=%d)", opt.files, opt.people)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for i := 0; i < opt.files; i++ {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := generateFile(dir, i, opt, opt.seed); err != nil {
			return err
		}
	}
	return nil
}

// generateFile writes the i-th roster of the set opt describes, drawing its people
// with seed (opt.seed gives the set's own file; another seed gives the same unit and
// citizen-ID range with other people).
func generateFile(dir string, i int, opt genOptions, seed uint64) error {
	per, extra := opt.people/opt.files, opt.people%opt.files
	n := per
	if i < extra {
		n++
	}
	id := i*per + min(i, extra) // people before this file, so citizen IDs are unique across files
	g := &gen{r: rand.New(rand.NewPCG(seed, uint64(i))), nextID: &id, bad: opt.bad}
	unit := communes[i%len(communes)]
	name := fileName(i)
	var err error
	if i%4 == 3 {
		err = g.plain(filepath.Join(dir, name), n, false)
	} else {
		err = g.titled(filepath.Join(dir, name), unit, n)
	}
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	return nil
}

// fileName is the name of the i-th generated roster.
func fileName(i int) string {
	return fmt.Sprintf("UBND xã %s %03d.xlsx", communes[i%len(communes)], i+1)
}

type gen struct {
	r      *rand.Rand
	nextID *int // people written before: citizen IDs are unique across files
	bad    int  // percentage of people with a spoiled value; 0: no problem at all
}

type person struct {
	name                                  string
	female                                bool
	birth                                 time.Time
	ethnic, position, edu, pol, qlnn, cid string
	party                                 bool
	bad                                   string // which value was spoiled, "" for none
}

func (g *gen) pick(list []string) string { return list[g.r.IntN(len(list))] }

func (g *gen) person() person {
	p := person{female: g.r.IntN(100) < 40}
	p.name = g.pick(surnames) + " " + g.pick(middles[p.female]) + " " + g.pick(givens[p.female])
	p.birth = time.Date(1963+g.r.IntN(36), time.Month(1+g.r.IntN(12)), 1+g.r.IntN(28), 0, 0, 0, 0, time.UTC)
	p.ethnic, p.position = g.pick(ethnic), g.pick(positions)
	p.edu, p.pol, p.qlnn = g.pick(education), g.pick(politics), g.pick(stateMgmt)
	p.party = g.r.IntN(100) < 85
	*g.nextID++
	sex := 0
	if p.female {
		sex = 1
	}
	p.cid = fmt.Sprintf("006%d%02d%06d", sex, p.birth.Year()%100, *g.nextID%1_000_000)
	if g.r.IntN(100) < g.bad {
		p.bad = []string{"date", "edu", "id", "typo", "year", "ethnic"}[g.r.IntN(6)]
		switch p.bad {
		case "edu":
			p.edu = "Bằng A"
		case "id":
			p.cid = p.cid[:5]
		case "typo":
			p.edu = "Đại họcc"
		case "ethnic":
			p.ethnic = "Kinhh"
		}
	}
	return p
}

// birthText is the birth date as a clerk types it: dd/mm/yyyy, or a spoiled one.
func (p person) birthText() string {
	switch p.bad {
	case "date":
		return fmt.Sprintf("31/02/%d", p.birth.Year())
	case "year":
		return fmt.Sprint(p.birth.Year())
	}
	return p.birth.Format("02/01/2006")
}

func (p person) mark() string {
	if p.party {
		return "x"
	}
	return ""
}

type book struct {
	f  *excelize.File
	sw *excelize.StreamWriter
	st struct{ title, header, cell, date, bold int }
}

func newBook() (*book, error) {
	b := &book{f: excelize.NewFile()}
	border := []excelize.Border{{Type: "left", Color: "000000", Style: 1}, {Type: "top", Color: "000000", Style: 1},
		{Type: "bottom", Color: "000000", Style: 1}, {Type: "right", Color: "000000", Style: 1}}
	mid := &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true}
	dmy := "dd/mm/yyyy"
	var err error
	for _, s := range []struct {
		id *int
		st *excelize.Style
	}{
		{&b.st.title, &excelize.Style{Font: &excelize.Font{Bold: true, Family: "Times New Roman", Size: 13}, Alignment: mid}},
		{&b.st.header, &excelize.Style{Font: &excelize.Font{Bold: true, Family: "Times New Roman", Size: 12}, Alignment: mid, Border: border}},
		{&b.st.cell, &excelize.Style{Font: &excelize.Font{Family: "Times New Roman", Size: 12}, Border: border}},
		{&b.st.date, &excelize.Style{Font: &excelize.Font{Family: "Times New Roman", Size: 12}, Border: border, CustomNumFmt: &dmy}},
		{&b.st.bold, &excelize.Style{Font: &excelize.Font{Bold: true, Family: "Times New Roman", Size: 12}, Border: border}},
	} {
		if *s.id, err = b.f.NewStyle(s.st); err != nil {
			return nil, err
		}
	}
	if err := b.f.SetSheetName("Sheet1", "DS"); err != nil {
		return nil, err
	}
	if b.sw, err = b.f.NewStreamWriter("DS"); err != nil {
		return nil, err
	}
	return b, nil
}

func (b *book) row(r, style int, vals ...any) error {
	cells := make([]any, len(vals))
	for i, v := range vals {
		if c, ok := v.(excelize.Cell); ok {
			cells[i] = c
			continue
		}
		if v == nil {
			cells[i] = excelize.Cell{StyleID: style}
			continue
		}
		cells[i] = excelize.Cell{StyleID: style, Value: v}
	}
	cell, _ := excelize.CoordinatesToCellName(1, r)
	return b.sw.SetRow(cell, cells)
}

func (b *book) merge(ranges ...string) error {
	for i := 0; i+1 < len(ranges); i += 2 {
		if err := b.sw.MergeCell(ranges[i], ranges[i+1]); err != nil {
			return err
		}
	}
	return nil
}

func (b *book) save(path string) error {
	if err := b.sw.Flush(); err != nil {
		return err
	}
	if err := b.f.SaveAs(path); err != nil {
		return err
	}
	return b.f.Close()
}

// titled writes the common layout (the samples' L2): title block, merged two-row
// header with the birth date under "Nam" or "Nữ", numbering row, group rows, a total
// and the signature block.
func (g *gen) titled(path, unit string, n int) error {
	b, err := newBook()
	if err != nil {
		return err
	}
	steps := []func() error{
		func() error {
			return b.row(1, b.st.title, "UBND HUYỆN CHỢ ĐỒN", nil, nil, nil, nil, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
		},
		func() error {
			return b.row(2, b.st.title, "UBND XÃ "+strings.ToUpper(unit), nil, nil, nil, nil, "Độc lập - Tự do - Hạnh phúc")
		},
		func() error { return b.row(4, b.st.title, "DANH SÁCH TRÍCH NGANG CÁN BỘ, CÔNG CHỨC CẤP XÃ") },
		func() error { return b.row(5, b.st.title, "(Tính đến ngày 30/09/2023)") },
		func() error {
			return b.row(7, b.st.header, "STT", "Họ và tên", "Ngày tháng năm sinh", nil, "Dân tộc", "Chức vụ, chức danh",
				"Trình độ", nil, nil, "Đảng viên", "Số CCCD")
		},
		func() error {
			return b.row(8, b.st.header, nil, nil, "Nam", "Nữ", nil, nil, "Chuyên môn", "Lý luận chính trị", "Quản lý nhà nước", nil, nil)
		},
		func() error {
			return b.row(9, b.st.header, "(1)", "(2)", "(3)", "(4)", "(5)", "(6)", "(7)", "(8)", "(9)", "(10)", "(11)")
		},
		func() error {
			return b.merge("A1", "E1", "F1", "K1", "A2", "E2", "F2", "K2", "A4", "K4", "A5", "K5",
				"A7", "A8", "B7", "B8", "C7", "D7", "E7", "E8", "F7", "F8", "G7", "I7", "J7", "J8", "K7", "K8")
		},
	}
	for _, s := range steps {
		if err := s(); err != nil {
			return err
		}
	}
	r := 10
	leaders := max(n/10, 1)
	groups := []struct {
		at    int
		title string
	}{{0, "I. CÁN BỘ CHUYÊN TRÁCH"}, {leaders, "II. CÔNG CHỨC"}}
	stt := 0
	for i := 0; i < n; i++ {
		for _, gr := range groups {
			if gr.at == i {
				if err := b.row(r, b.st.bold, nil, gr.title); err != nil {
					return err
				}
				r++
				stt = 0
			}
		}
		p := g.person()
		stt++
		var male, female any
		if p.female {
			female = p.birthText()
		} else {
			male = p.birthText()
		}
		cid := any(p.cid)
		if p.bad == "" && g.bad > 0 && g.r.IntN(100) < 3 {
			// a CCCD typed into a number cell: the leading zeros are lost
			v, _ := strconv.Atoi(p.cid)
			cid = v
		}
		if err := b.row(r, b.st.cell, stt, p.name, male, female, p.ethnic, p.position, p.edu, p.pol, p.qlnn, p.mark(), cid); err != nil {
			return err
		}
		r++
	}
	if err := b.row(r, b.st.bold, nil, fmt.Sprintf("Tổng cộng: %d người", n)); err != nil {
		return err
	}
	r += 2
	if err := b.row(r, b.st.title, nil, "NGƯỜI LẬP BIỂU", nil, nil, nil, nil, nil, "TM. ỦY BAN NHÂN DÂN"); err != nil {
		return err
	}
	return b.save(path)
}

// plain writes the simple layout (the samples' L1): header in row 1, sex in its own
// column, birth dates as real date cells (serials with a date format). With notes, a
// "Ghi chú" column follows whose cell is merged across L:M on every person's row: n
// merged ranges, as a clerk who widened the notes column leaves them.
func (g *gen) plain(path string, n int, notes bool) error {
	b, err := newBook()
	if err != nil {
		return err
	}
	header := []any{"STT", "Họ và tên", "Ngày sinh", "Giới tính", "Dân tộc", "Chức vụ", "Trình độ chuyên môn",
		"Lý luận chính trị", "Quản lý nhà nước", "Đảng viên", "Số CCCD"}
	if notes {
		header = append(header, "Ghi chú", nil)
	}
	if err := b.row(1, b.st.header, header...); err != nil {
		return err
	}
	for i := 0; i < n; i++ {
		p := g.person()
		var birth any = excelize.Cell{StyleID: b.st.date, Value: p.birth}
		if p.bad == "date" || p.bad == "year" {
			birth = p.birthText()
		}
		sex := "Nam"
		if p.female {
			sex = "Nữ"
		}
		row := []any{i + 1, p.name, birth, sex, p.ethnic, p.position, p.edu, p.pol, p.qlnn, p.mark(), p.cid}
		if notes {
			note := any(nil)
			if i%7 == 0 {
				note = "Chuyển công tác từ xã " + g.pick(communes)
			}
			row = append(row, note, nil)
			if err := b.merge(fmt.Sprintf("L%d", i+2), fmt.Sprintf("M%d", i+2)); err != nil {
				return err
			}
		}
		if err := b.row(i+2, b.st.cell, row...); err != nil {
			return err
		}
	}
	return b.save(path)
}
