package validate_test

import (
	"testing"

	"canbo/pipeline/internal/sheettest"
	"canbo/pipeline/issue"
	"canbo/pipeline/normalize"
	"canbo/pipeline/schema"
	"canbo/pipeline/validate"
)

// rec builds a record of the default schema from field code → value text.
func rec(cfg *schema.Config, dataset, file string, row int, vals map[string]string) *normalize.Record {
	r := &normalize.Record{Dataset: dataset, File: file, Sheet: "DS", Row: row, Unit: "UBND xã A",
		Values: make([]normalize.Value, cfg.NumFields())}
	for code, v := range vals {
		f := cfg.Field(code)
		r.Values[f.Index] = normalize.Value{Set: true, Text: v, Raw: v, Col: 2}
	}
	return r
}

// TestDuplicates pins who counts once: each case lists two records and says whether
// the second is a repeat (not counted, duplicate-person), a possible duplicate (both
// counted, a warning) or another person.
func TestDuplicates(t *testing.T) {
	cfg := sheettest.Config(t)
	const (
		other    = ""
		repeat   = "repeat"
		possible = "possible"
	)
	tests := []struct {
		name string
		a, b map[string]string
		same bool // the second row is in the same file as the first
		want string
	}{
		{"same ID", map[string]string{"ho_ten": "Lý Văn Quân", "so_dinh_danh": "006084123456"},
			map[string]string{"ho_ten": "Lý Văn Quân", "so_dinh_danh": "006084123456"}, false, repeat},
		{"same ID, the name misspelt", map[string]string{"ho_ten": "Lý Văn Quân", "so_dinh_danh": "006084123456"},
			map[string]string{"ho_ten": "Lí Văn Quân", "so_dinh_danh": "006084123456"}, false, repeat},
		{"same name and birth date, neither has an ID", map[string]string{"ho_ten": "Hà Thị Nga", "ngay_sinh": "1988-05-05"},
			map[string]string{"ho_ten": "Hà Thị Nga", "ngay_sinh": "1988-05-05"}, false, repeat},
		{"same name and birth date, only the first has an ID", map[string]string{"ho_ten": "Hà Thị Nga", "ngay_sinh": "1988-05-05", "so_dinh_danh": "006188004512"},
			map[string]string{"ho_ten": "Hà Thị Nga", "ngay_sinh": "1988-05-05"}, false, repeat},
		{"same name and birth date, only the second has an ID", map[string]string{"ho_ten": "Hà Thị Nga", "ngay_sinh": "1988-05-05"},
			map[string]string{"ho_ten": "HÀ THỊ NGA", "ngay_sinh": "1988-05-05", "so_dinh_danh": "006188004512"}, false, repeat},
		{"same name and birth date, different IDs: two people", map[string]string{"ho_ten": "Hà Thị Nga", "ngay_sinh": "1988-05-05", "so_dinh_danh": "006188004512"},
			map[string]string{"ho_ten": "Hà Thị Nga", "ngay_sinh": "1988-05-05", "so_dinh_danh": "006188009999"}, false, other},
		{"same name and birth date, different sex: unsure", map[string]string{"ho_ten": "Nguyễn Văn An", "ngay_sinh": "1990-01-01", "gioi_tinh": "nam"},
			map[string]string{"ho_ten": "Nguyễn Văn An", "ngay_sinh": "1990-01-01", "gioi_tinh": "nu"}, false, possible},
		{"namesakes born on different days", map[string]string{"ho_ten": "Nguyễn Văn An", "ngay_sinh": "1990-01-01"},
			map[string]string{"ho_ten": "Nguyễn Văn An", "ngay_sinh": "1991-01-01"}, false, other},
		{"an identical row typed twice, no ID or birth date", map[string]string{"ho_ten": "Phan Ngọc", "chuc_vu": "Chánh Văn phòng"},
			map[string]string{"ho_ten": "Phan Ngọc", "chuc_vu": "Chánh Văn phòng"}, true, repeat},
		{"namesakes with different positions, no ID or birth date", map[string]string{"ho_ten": "Phan Ngọc", "chuc_vu": "Chánh Văn phòng"},
			map[string]string{"ho_ten": "Phan Ngọc", "chuc_vu": "Đội phó"}, true, other},
		{"identical names-only rows in two files are not sure", map[string]string{"ho_ten": "Phan Ngọc"},
			map[string]string{"ho_ten": "Phan Ngọc"}, false, other},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := rec(cfg, "roster", "UBND xã A.xlsx", 5, tt.a)
			file := "UBND xã B.xlsx"
			if tt.same {
				file = "UBND xã A.xlsx"
			}
			b := rec(cfg, "roster", file, 9, tt.b)
			iss := validate.Records(cfg, []*normalize.Record{a, b})
			got := other
			for _, is := range iss {
				switch is.Code {
				case issue.DupPerson:
					got = repeat
					if is.File != file || is.Row != 9 {
						t.Errorf("the repeat is reported at %s row %d, want the second copy", is.File, is.Row)
					}
				case issue.PossibleDup:
					got = possible
				}
			}
			if got != tt.want {
				t.Errorf("got %q (issues %v), want %q", got, iss, tt.want)
			}
			if !a.Counted() {
				t.Error("the first copy must count")
			}
			if b.Counted() != (tt.want != repeat) {
				t.Errorf("second copy counted = %v, want %v", b.Counted(), tt.want != repeat)
			}
		})
	}
}

func TestUnknownTrainee(t *testing.T) {
	cfg := sheettest.Config(t)
	person := rec(cfg, "roster", "A.xlsx", 5, map[string]string{"ho_ten": "Nông Văn Thành", "ngay_sinh": "1986-04-12"})
	known := rec(cfg, "training", "A.xlsx", 6, map[string]string{"ho_ten": "Nông Văn Thành", "ngay_sinh": "1986-04-12"})
	stranger := rec(cfg, "training", "A.xlsx", 7, map[string]string{"ho_ten": "Đinh Văn Lạ", "ngay_sinh": "1991-01-01"})
	iss := validate.Records(cfg, []*normalize.Record{person, known, stranger})
	if len(iss) != 1 || iss[0].Code != issue.UnknownPerson || iss[0].Row != 7 {
		t.Errorf("issues %v, want one unknown-person at row 7", iss)
	}
	// People who left do not vouch for a trainee.
	person.NotCounted = normalize.Left
	current := rec(cfg, "roster", "A.xlsx", 8, map[string]string{"ho_ten": "Hà Văn Khác", "ngay_sinh": "1980-02-02"})
	if iss := validate.Records(cfg, []*normalize.Record{person, current, known}); len(iss) != 1 {
		t.Errorf("a trainee known only as a leaver: issues %v, want unknown-person", iss)
	}
}
