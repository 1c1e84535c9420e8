package serve

import (
	"testing"

	"canbo/pipeline/inbox"
	"canbo/pipeline/internal/sheettest"
	"canbo/pipeline/schema"
)

// TestContactFromRegistry: a unit's feedback address is serve.yaml's when it has one,
// else the units registry's email of the unit the file's name is (an alias too), and
// none for a unit neither knows.
func TestContactFromRegistry(t *testing.T) {
	units := `levels:
  - {code: xa, name: Xã}
units:
  - name: UBND xã Nghĩa Tá
    aliases: [Nghĩa Tá - Chợ Đồn]
    level: xa
    email: nghiata@example.vn
  - name: UBND xã Bằng Lãng
    level: xa
    email: banglang@example.vn
  - name: UBND xã Yên Mỹ
    level: xa
`
	cfg := sheettest.ConfigWithUnits(t, units)
	cfg.Serve.Units = []schema.UnitContact{{Unit: "UBND xã Bằng Lãng", Email: "vanthu.banglang@example.vn"}}
	s := &Service{cfg: cfg}
	for _, tc := range []struct {
		r    inbox.Result
		want string
	}{
		{inbox.Result{Unit: "Ủy ban nhân dân xã Nghĩa Tá"}, "nghiata@example.vn"},
		{inbox.Result{Rel: "Nghĩa Tá - Chợ Đồn/ds.xlsx", Name: "ds.xlsx"}, "nghiata@example.vn"}, // unread: by its folder, an alias
		{inbox.Result{Unit: "UBND xã Bằng Lãng"}, "vanthu.banglang@example.vn"},                  // serve.yaml first
		{inbox.Result{Unit: "UBND xã Yên Mỹ"}, ""},                                               // registered, no address
		{inbox.Result{Unit: "UBND xã Lạ"}, ""},
	} {
		c, ok := s.contact(&tc.r)
		if got := c.Email; got != tc.want || ok != (tc.want != "") {
			t.Errorf("contact(%+v) = %q, %v; want %q", tc.r, got, ok, tc.want)
		}
	}
}
