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
