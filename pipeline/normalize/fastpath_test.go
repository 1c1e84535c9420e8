package normalize

import (
	"fmt"
	"testing"
	"time"

	"canbo/config"
	"canbo/pipeline/schema"
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
