package main

import (
	"bytes"
	"testing"

	"canbo/config"
	"canbo/pipeline/schema"
	"canbo/pipeline/summary"
)

// TestUnnamedGroups: canbo run says which input sub-folders report.yaml gives no
// name, with the lines to add; nothing when every group is named.
func TestUnnamedGroups(t *testing.T) {
	cfg, err := schema.Load(config.FS, "config")
	if err != nil {
		t.Fatal(err)
	}
	s := &summary.Summary{Groups: []summary.Unit{{Group: "cho-don"}, {Group: "huyen-moi"}, {Group: "so-nganh/giao-duc"}}}
	var out bytes.Buffer
	printUnnamedGroups(&out, s, cfg)
	want := "Chưa đặt tên hiển thị cho 2 nhóm (thư mục con) nên báo cáo gọi chúng theo đơn vị; thêm tên vào report.yaml:\n" +
		"  groups:\n    huyen-moi: …\n    so-nganh/giao-duc: …\n"
	if out.String() != want {
		t.Errorf("printed\n%s\nwant\n%s", out.String(), want)
	}
	out.Reset()
	s.Groups = s.Groups[:1]
	if printUnnamedGroups(&out, s, cfg); out.Len() != 0 {
		t.Errorf("every group named, yet printed %q", out.String())
	}
}

// TestPrintUnitCheck: canbo run lists the unit names units.yaml does not know, ten at
// most, each with the closest registered name or the groups that share it, then how
// many more; and the units that must send and did not. Nothing when all is known.
func TestPrintUnitCheck(t *testing.T) {
	uc := summary.UnitCheck{Registry: true,
		Unknown: []summary.UnknownUnit{{Unit: "UBND xã Lương Bằngg", People: 3, Suggestion: "UBND xã Lương Bằng"},
			{Unit: "UBND xã Tân Lập", People: 1200, Ambiguous: []string{"UBND xã Tân Lập (Bạch Thông)", "UBND xã Tân Lập (Chợ Đồn)"}}},
		NotSent: []summary.UnitRef{{Unit: "UBND xã Bằng Lãng"}}}
	uc.Unknown = append(uc.Unknown, summary.UnknownUnit{Unit: "UBND xã Pô Kô, huyện Đăk Tô", People: 1, Workplace: true})
	for i := range 10 {
		uc.Unknown = append(uc.Unknown, summary.UnknownUnit{Unit: "Đơn vị lạ " + string(rune('A'+i)), People: 1})
	}
	var out bytes.Buffer
	printUnitCheck(&out, uc)
	want := "12 tên đơn vị trong các tệp không có trong units.yaml (vẫn được đếm, theo tên ghi trong tệp); thêm vào units.yaml (tên đơn vị, hoặc aliases nếu là cách viết khác) hoặc sửa trong tệp:\n" +
		"  UBND xã Lương Bằngg (3 người): có phải \"UBND xã Lương Bằng\"?\n" +
		"  UBND xã Tân Lập (1.200 người): trùng tên đơn vị ở nhóm khác (UBND xã Tân Lập (Bạch Thông); UBND xã Tân Lập (Chợ Đồn)); thêm tên kèm địa danh vào aliases của đúng đơn vị\n"
	for i := range 8 {
		want += "  Đơn vị lạ " + string(rune('A'+i)) + " (1 người)\n"
	}
	want += "  … và 2 tên khác (xem unit_check trong summary.json)\n" +
		"1 nơi công tác ghi trong các danh sách do đơn vị khác gửi (danh sách lớp, danh sách tổng hợp) không có trong units.yaml; không cần thêm nếu đó không phải đơn vị gửi tệp; nếu đó là danh sách lớp, ghi lists: learners cho trường gửi nó trong units.yaml để học viên được tính vào trường (xem unit_check trong summary.json).\n" +
		"1 đơn vị phải gửi số liệu mà kỳ này chưa gửi: UBND xã Bằng Lãng.\n"
	if out.String() != want {
		t.Errorf("printed\n%s\nwant\n%s", out.String(), want)
	}
	out.Reset()
	if printUnitCheck(&out, summary.UnitCheck{Registry: true}); out.Len() != 0 {
		t.Errorf("every unit known and in, yet printed %q", out.String())
	}
}
