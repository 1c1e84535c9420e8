package rules

import (
	"reflect"
	"testing"

	"canbo/pipeline/internal/sheettest"
	"canbo/pipeline/schema"
)

// TestBindings: a program reads only what it needs, so filling the environment per
// record stays cheap: an ordinal compared by rank is not also bound as a code.
func TestBindings(t *testing.T) {
	e := newEnv(sheettest.Config(t))
	for _, tc := range []struct {
		text string
		want []string
	}{
		{`dien_quan_ly == "cap_phong"`, []string{"dien_quan_ly"}},
		{`trinh_do_chuyen_mon >= "thac_si" or dang_dao_tao >= "thac_si"`, []string{"__rank_dang_dao_tao", "__rank_trinh_do_chuyen_mon"}},
		{`trinh_do_chuyen_mon >= "dai_hoc" or trinh_do_chuyen_mon == "chua_xac_dinh"`, []string{"__rank_trinh_do_chuyen_mon", "trinh_do_chuyen_mon"}},
		{`tuoi < 35 and dang_vien`, []string{"__set_tuoi", "dang_vien", "tuoi"}},
	} {
		x, ps := e.compileExpr(tc.text, schema.Pos{})
		if ps != nil {
			t.Fatalf("%s: %v", tc.text, ps)
		}
		var got []string
		for _, b := range x.vars {
			got = append(got, b.name)
		}
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s: binds %v, want %v", tc.text, got, tc.want)
		}
	}
}
