package validate_test

import (
	"reflect"
	"testing"

	"canbo/pipeline/internal/sheettest"
	"canbo/pipeline/normalize"
	"canbo/pipeline/validate"
)

// TestPrintsKept: prints laid out for keeping read back the same, and checked with
// the same key they find the same repeats as the records; any prints cut short, with
// bytes left over or an index out of range are refused, never read as others.
func TestPrintsKept(t *testing.T) {
	cfg := sheettest.Config(t)
	key := validate.NewKey()
	c := validate.NewChecker(cfg, &key)
	recs := []*normalize.Record{
		rec(cfg, "roster", "A.xlsx", 5, map[string]string{"ho_ten": "Lý Văn Quân", "so_dinh_danh": "006084123456", "ngay_sinh": "1984-11-19", "gioi_tinh": "nam"}),
		rec(cfg, "roster", "A.xlsx", 6, map[string]string{"ho_ten": "Phan Ngọc", "chuc_vu": "Đội phó"}),
		rec(cfg, "roster", "A.xlsx", 7, map[string]string{"ho_ten": "Phan Ngọc", "chuc_vu": "Đội phó"}),
		rec(cfg, "training", "A.xlsx", 8, map[string]string{"ho_ten": "Đinh Văn Lạ"}),
		rec(cfg, "roster", "A.xlsx", 9, map[string]string{"ho_ten": "Hà Thị Nga", "ngay_sinh": "1988-05-05", "dan_toc": "Tày"}),
	}
	var p validate.Prints
	for i, r := range recs {
		c.Print(&p, i, r)
	}
	data := p.Encode()
	back, err := validate.DecodePrints(data)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back.People, p.People) || !reflect.DeepEqual(back.Sheets, p.Sheets) ||
		!reflect.DeepEqual(back.Values, p.Values) || back.Roster != p.Roster || len(p.People) != len(recs) {
		t.Fatalf("read back %+v, want %+v", back, p)
	}
	// The second file repeats the first's first person: found from the kept prints.
	var q validate.Prints
	c.Print(&q, 0, rec(cfg, "roster", "B.xlsx", 3, map[string]string{"ho_ten": "LÝ VĂN QUÂN", "so_dinh_danh": "006084123456"}))
	found, err := c.Check([]validate.File{{Name: "A.xlsx", Prints: back}, {Name: "B.xlsx", Prints: &q}},
		func(func(*normalize.Record)) error { return nil })
	if err != nil {
		t.Fatal(err)
	}
	if len(found[0]) != 2 || found[0][0].Rec != 2 || !found[0][0].Repeat || !found[0][1].Late || found[0][1].Rec != 3 {
		t.Errorf("first file: %+v, want the row typed twice (record 2) and the trainee in no roster (record 3)", found[0])
	}
	if len(found[1]) != 1 || !found[1][0].Repeat {
		t.Errorf("second file: %+v, want its person a repeat", found[1])
	}
	for _, bad := range [][]byte{data[:len(data)-1], append(append([]byte(nil), data...), 0), data[:3], nil} {
		if _, err := validate.DecodePrints(bad); err == nil {
			t.Errorf("%d bytes of %d read as prints", len(bad), len(data))
		}
	}
	// The sheet index of the first print (after the tables and the count) out of range.
	q.Sheets = nil
	if _, err := validate.DecodePrints(q.Encode()); err == nil {
		t.Error("a print of a sheet not listed read")
	}
}

// TestSharedHashes: the hashes more than one row has are found whatever their number
// and however they are spread (the buckets are by top bits).
func TestSharedHashes(t *testing.T) {
	for _, n := range []int{0, 1, 2, 3, 17, 1000, 100_000} {
		hs := make([]uint64, n)
		x := uint64(0x9e3779b97f4a7c15)
		for i := range hs {
			x ^= x << 13
			x ^= x >> 7
			x ^= x << 17
			hs[i] = x
		}
		want := map[uint64]struct{}{}
		if n >= 17 {
			hs[2] = 1<<64 - 1     // the last bucket, once
			hs[1], hs[n/2] = 5, 5 // a small one twice (the first bucket)
			hs[n-1] = hs[0]       // a value twice
			want[hs[0]], want[5] = struct{}{}, struct{}{}
		}
		got := validate.Twice(append([]uint64(nil), hs...))
		if len(got) != len(want) {
			t.Errorf("%d values: %d found twice, want %d", n, len(got), len(want))
		}
		for h := range want {
			if _, ok := got[h]; !ok {
				t.Errorf("%d values: %x not found twice", n, h)
			}
		}
	}
}
