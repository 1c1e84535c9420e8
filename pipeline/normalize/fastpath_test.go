package normalize

import (
	"fmt"
	"testing"
	"time"

	"canbo/config"
	"canbo/pipeline/schema"
	"canbo/pipeline/workbook"
)

// TestPlainDMY: the date fast path gives what the patterns give for every text it
// takes, and leaves the year-only shapes ("00/00/1975") and all others to them.
func TestPlainDMY(t *testing.T) {
	pivot := time.Date(2023, 9, 30, 0, 0, 0, 0, time.UTC)
	texts := []string{"05/04/1961", "5/4/1961", "31/12/1999", "31/02/1980", "29/02/2000", "29/02/1900",
		"00/00/1975", "0/0/1975", "00/05/1975", "05/00/1975", "01/01/1900", "01/01/0001", "1.2.1980",
		"01-02-1980", "1980-02-01", "01/02/80", "001/02/1980", "01/002/1980", "01/02/19800", "01/02/198",
		"01//02/1980", "01/02/1980/", "/01/02/1980", "01 / 02 / 1980", "01/02-1980", "99/99/9999", "1975",
		"03/1975", "a1/02/1980", "01/02/198O", "１２/03/1980", ""}
	for d := 0; d <= 32; d += 4 {
		for m := 0; m <= 13; m += 3 {
			texts = append(texts, fmt.Sprintf("%d/%d/1985", d, m), fmt.Sprintf("%02d.%02d.2001", d, m))
		}
	}
	taken := 0
	for _, s := range texts {
		d, m, y, ok := plainDMY(s)
		if !ok {
			continue
		}
		taken++
		want, wq, werr := parseDatePatterns(s, pivot)
		got, err := civil(y, m, d)
		if !got.Equal(want) || wq != FullDate || (err == nil) != (werr == nil) {
			t.Errorf("%q: fast path %v (%v), patterns %v %v (%v)", s, got, err, want, wq, werr)
		}
		if g, q, e := ParseDateText(s, pivot); !g.Equal(want) || q != wq || (e == nil) != (werr == nil) {
			t.Errorf("ParseDateText(%q) = %v %v %v, patterns %v %v %v", s, g, q, e, want, wq, werr)
		}
	}
	if taken < 20 {
		t.Errorf("the fast path took %d texts; it should take every d/m/yyyy", taken)
	}
	for _, s := range []string{"00/00/1975", "0/0/1975", "01/02/80", "1975", "01 / 02 / 1980", "1980-02-01"} {
		if _, _, _, ok := plainDMY(s); ok {
			t.Errorf("plainDMY took %q, which is the patterns' to read", s)
		}
	}
}

func loadNormalizer(t testing.TB) (*schema.Config, *Normalizer) {
	t.Helper()
	cfg, err := schema.Load(config.FS, "config")
	if err != nil {
		t.Fatal(err)
	}
	return cfg, New(cfg)
}

// TestMatchCache: a cached answer is MatchField's, the first time and every time
// after, and the cache never holds more than maxCached answers.
func TestMatchCache(t *testing.T) {
	cfg, n := loadNormalizer(t)
	mc := n.NewMatchCache()
	values := []string{"Đại học", "ĐH", "Đại họcc", "Thạc sĩ (đang học)", "Không", "Chưa", "Kinhh", "Tày", "x", "",
		"Dân tộc Tày", "Đang học thạc sĩ", "Chuyên viên", "CV", "Bằng A", "Quản lý nhà nước ngạch chuyên viên"}
	for _, code := range []string{"trinh_do_chuyen_mon", "dang_dao_tao", "dan_toc", "quan_ly_nha_nuoc", "ly_luan_chinh_tri"} {
		f := cfg.Field(code)
		if f == nil {
			t.Fatalf("no field %s", code)
		}
		for range 2 {
			for _, s := range values {
				c1, h1, n1 := n.MatchField(f, s)
				c2, h2, n2 := mc.MatchField(f, s)
				if c1 != c2 || h1 != h2 || n1 != n2 {
					t.Errorf("%s %q: cache %q %v %v, MatchField %q %v %v", code, s, c2, h2, n2, c1, h1, n1)
				}
			}
		}
	}
	f := cfg.Field("dan_toc")
	for i := range maxCached + 10 {
		mc.MatchField(f, fmt.Sprintf("dân tộc %d", i))
		if len(mc.seen) > maxCached {
			t.Fatalf("the cache holds %d answers, more than %d", len(mc.seen), maxCached)
		}
	}
}

// TestNewValues: the values of records cut from one block are their own: each has
// exactly the length asked, no room to grow into the next, and starts zero.
func TestNewValues(t *testing.T) {
	sh := &Sheet{}
	var all [][]Value
	for i := range 200 {
		v := sh.newValues(33)
		if len(v) != 33 || cap(v) != 33 {
			t.Fatalf("record %d: len %d cap %d, want 33 and 33", i, len(v), cap(v))
		}
		for j := range v {
			if v[j] != (Value{}) {
				t.Fatalf("record %d starts with a value set at %d", i, j)
			}
			v[j] = Value{Set: true, Col: i}
		}
		all = append(all, v)
	}
	for i, v := range all {
		for _, x := range v {
			if x.Col != i {
				t.Fatalf("record %d holds a value of record %d", i, x.Col)
			}
		}
	}
}

// stripTitleTexts are names with and without titles, and with the characters that
// make untitled give way to stripTitle: decomposed marks, Ð, zero-width and
// non-breaking spaces, invalid UTF-8, letters outside the Latin blocks.
var stripTitleTexts = []string{
	"Nguyễn Văn An", "Đ/c Nguyễn Văn An", "đ/c Vàng A Sử", "Đồng chí Lê Thị Hoa", "ĐỒNG CHÍ Lê Hoa",
	"Ông Trần Văn Tú", "Nguyễn Văn Ông", "Anh Thư", "Anh Lê Văn Tú", "Ông", "Bà Lò Thị Mai", "Cô Hà Thu",
	"Thầy Đỗ Văn Nam", "Đc Hà Văn Bắc", "Chị  Ma Thị Ly", "  ông\tLý Văn Tèo ", "O\u0302ng Lò Văn Pá",
	"\u00D0/c Nguyễn Văn An", "\u00F0c Hà Văn Bắc", "Ô\u200Bng Lò Văn Pá", "Ông\u00A0Lò Văn Pá",
	"Đ\u200B/c Lý A Páo", "\xffÔng Lò Văn Pá", "Ông\xff Lò Văn Pá", "Thuỷ Nguyễn Thị", "Uỷ Văn Lò",
	"uỷ", "Hoà Bà", "Ω Lò", "Ｏng Lò", "(Ông) Lò Văn Pá", "1. Ông Lò Văn Pá", "-", "", "   ",
	"\u212Bng Lò", "Ông\u0301 Lò Văn Pá", "Bàn Văn Sử", "Anh", "CHỊ HÀ THỊ LAN", "ThẦy Lê Văn A",
}

// TestUntitled: StripTitle, which skips stripTitle when untitled says a name has no
// title, gives what stripTitle gives for every name, and untitled says so for the
// common plain names.
func TestUntitled(t *testing.T) {
	_, n := loadNormalizer(t)
	for _, s := range stripTitleTexts {
		if got, want := n.StripTitle(s), n.stripTitle(s); got != want {
			t.Errorf("StripTitle(%q) = %q, stripTitle gives %q", s, got, want)
		}
	}
	for _, s := range []string{"Nguyễn Văn An", "Lò Văn Pá", "Bàn Văn Sử", "Đỗ Thị Hà", "Trần Văn Tú"} {
		if !n.untitled(s) {
			t.Errorf("untitled(%q) = false: every name would take the slow path", s)
		}
	}
}

// FuzzUntitled: untitled never says "no title" for a name stripTitle would change.
func FuzzUntitled(f *testing.F) {
	_, n := loadNormalizer(f)
	for _, s := range stripTitleTexts {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if n.untitled(s) && n.stripTitle(s) != s {
			t.Fatalf("untitled(%q), but stripTitle gives %q", s, n.stripTitle(s))
		}
	})
}

// BenchmarkRecord normalises roster rows as a unit sends them: a number, a name, an ID,
// a birth date as text, codes written as their labels, a party-membership mark.
func BenchmarkRecord(b *testing.B) {
	cfg, n := loadNormalizer(b)
	codes := []string{"stt", "ho_ten", "so_dinh_danh", "ngay_sinh", "gioi_tinh", "dan_toc", "chuc_vu",
		"trinh_do_chuyen_mon", "ly_luan_chinh_tri", "quan_ly_nha_nuoc", "dang_vien", "ghi_chu"}
	var cols []Column
	for i, c := range codes {
		cols = append(cols, Column{Col: i + 1, Field: cfg.Field(c)})
	}
	sh := &Sheet{File: "a.xlsx", Sheet: "DS", Dataset: cfg.Dataset("roster"), Columns: cols, Reuse: true,
		AsOf: time.Date(2023, 9, 30, 0, 0, 0, 0, time.UTC)}
	surnames := []string{"Nguyễn", "Trần", "Hoàng", "Nông", "Ma", "Triệu", "Bàn", "Lục", "Đỗ", "Lý"}
	given := []string{"Văn Thành", "Thị Lan", "Văn Hùng", "Thị Mai", "Đình Quân", "Thị Nga", "Văn Long"}
	texts := [][]string{{"Nam", "Nữ"}, {"Tày", "Kinh", "Dao", "Nùng", "Mông"}, {"Công chức", "Chủ tịch UBND"},
		{"Đại học", "ĐH", "Thạc sĩ", "Cao đẳng"}, {"Sơ cấp", "Trung cấp", "Cao cấp"}, {"Chuyên viên", "CV"},
		{"x", ""}, {"", "Chuyển đến 2022"}}
	rows := make([]workbook.Row, 1000)
	for i := range rows {
		cells := []workbook.Cell{
			{Col: 1, Kind: workbook.Number, Num: float64(i + 1), Text: fmt.Sprint(i + 1)},
			{Col: 2, Kind: workbook.Text, Text: surnames[i%len(surnames)] + " " + given[i%len(given)]},
			{Col: 3, Kind: workbook.Text, Text: fmt.Sprintf("0010%08d", 19_000_000+i)},
			{Col: 4, Kind: workbook.Text, Text: fmt.Sprintf("%02d/%02d/%d", 1+i%28, 1+i%12, 1965+i%35)},
		}
		for j, t := range texts {
			if v := t[(i*7+j)%len(t)]; v != "" {
				cells = append(cells, workbook.Cell{Col: 5 + j, Kind: workbook.Text, Text: v})
			}
		}
		rows[i] = workbook.Row{Num: 7 + i, Cells: cells}
	}
	b.ReportAllocs()
	for b.Loop() {
		for _, r := range rows {
			n.Record(sh, r)
		}
	}
}
