package schema_test

import (
	"errors"
	"strings"
	"testing"
	"testing/fstest"

	"canbo/config"
	"canbo/pipeline/schema"
)

// withUnits returns the default configuration's required files and report.yaml (whose
// groups units refer to), with units.yaml as given; none when text is "".
func withUnits(t *testing.T, text string) fstest.MapFS {
	t.Helper()
	m := fstest.MapFS{}
	for _, f := range append([]string{schema.FileReport}, schema.Files...) {
		b, err := config.FS.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		m[f] = &fstest.MapFile{Data: b}
	}
	if text != "" {
		m[schema.FileUnits] = &fstest.MapFile{Data: []byte(text)}
	}
	return m
}

const unitLevels = `levels:
  - code: tinh
    name: Cấp tỉnh
  - code: xa
    name: Xã, phường, đặc khu
units:
  - name: UBND tỉnh Sóc Trăng
    level: tinh
    group: soc-trang
`

func TestUnitsProblems(t *testing.T) {
	tests := []struct {
		name, text string
		want       string // the whole problem, position first
	}{
		{"duplicate name across units after folding", unitLevels + `  - name: Ủy ban nhân dân tỉnh Sóc Trăng
    group: soc-trang
`, `config/units.yaml:10:11: tên "Ủy ban nhân dân tỉnh Sóc Trăng" trùng với tên "UBND tỉnh Sóc Trăng" của đơn vị "UBND tỉnh Sóc Trăng" (dòng 7) khi bỏ dấu, chữ hoa và "UBND": tên trong tệp sẽ không biết là đơn vị nào; nếu là một đơn vị thì gộp làm một, nếu không thì sửa cho khác`},
		{"alias of one unit is another's name", unitLevels + `  - name: Sở Nội vụ
    aliases: [SNV, "tinh soc trang"]
    group: soc-trang
`, `config/units.yaml:11:20: tên khác "tinh soc trang" trùng với tên "UBND tỉnh Sóc Trăng" của đơn vị "UBND tỉnh Sóc Trăng" (dòng 7)`},
		{"alias repeating its own name", unitLevels + `  - name: Sở Nội vụ
    aliases: [SỞ NỘI VỤ]
`, `config/units.yaml:11:15: tên khác "SỞ NỘI VỤ" trùng với tên "Sở Nội vụ" của chính đơn vị này (dòng 10) khi bỏ dấu, chữ hoa và "UBND"; xóa tên khác này`},
		{"empty alias", unitLevels + `  - name: Sở Nội vụ
    aliases: [SNV, ""]
`, `config/units.yaml:11:20: tên khác trống trong aliases; xóa dòng này`},
		{"unit without a name", unitLevels + `  - level: xa
`, `config/units.yaml:10:5: đơn vị thiếu "name": ghi tên chính thức của đơn vị, ví dụ name: UBND xã Nghĩa Tá`},
		{"unknown parent with a suggestion", unitLevels + `  - name: Sở Nội vụ
    parent: UBND tỉnh Sóc Trăn
`, `config/units.yaml:11:13: parent "UBND tỉnh Sóc Trăn" không phải tên hay tên khác của đơn vị nào trong units.yaml (có phải "UBND tỉnh Sóc Trăng"?)`},
		{"unknown parent far from every unit", unitLevels + `  - name: Xã Nghĩa Tá
    parent: UBND huyện Chợ Đồn
`, `config/units.yaml:11:13: parent "UBND huyện Chợ Đồn" không phải tên hay tên khác của đơn vị nào trong units.yaml; thêm đơn vị đó vào units, hoặc bỏ parent nếu đơn vị này là cấp trên cùng`},
		{"parents in a loop", unitLevels + `  - name: Xã A
    parent: Xã B
  - name: Xã B
    parent: xa a
`, `config/units.yaml:13:13: parent đi thành vòng: "Xã A" → "Xã B" → "Xã A"; một đơn vị không thể là cấp trên của cấp trên nó, sửa parent của một trong các đơn vị này`},
		{"its own parent", unitLevels + `  - name: Xã A
    parent: Xã A
`, `config/units.yaml:11:13: đơn vị "Xã A" là cấp trên của chính nó; sửa parent thành đơn vị cấp trên thật`},
		{"unknown group with a suggestion", unitLevels + `  - name: Xã Nghĩa Tá
    group: cho-dn
`, `config/units.yaml:11:12: group: nhóm "cho-dn" chưa khai báo trong report.yaml groups (có phải "cho-don"?)`},
		{"unknown group far from every group", unitLevels + `  - name: Xã Nghĩa Tá
    group: bach-thong
`, `config/units.yaml:11:12: group: nhóm "bach-thong" chưa khai báo trong report.yaml groups; dùng được: cho-don, kon-tum/dai-hoc, kon-tum/trung-cap-luat, loi-mau, muong-cha, nam-po, soc-trang`},
		{"email with a display name", unitLevels + `  - name: Sở Nội vụ
    email: "Sở Nội vụ <snv@example.com>"
`, `config/units.yaml:11:12: email "Sở Nội vụ <snv@example.com>" không phải địa chỉ thư điện tử; ghi một địa chỉ như vanthu@soctrang.gov.vn, không kèm tên`},
		{"email without a domain", unitLevels + `  - name: Sở Nội vụ
    email: snv@localhost
`, `config/units.yaml:11:12: email "snv@localhost" không phải địa chỉ thư điện tử`},
		{"unknown level with a suggestion", unitLevels + `  - name: Xã Nghĩa Tá
    level: xã
`, `config/units.yaml:11:12: level: cấp "xã" chưa khai báo trong levels (có phải "xa"?)`},
		{"level not below the parent's", unitLevels + `  - name: Xã Nghĩa Tá
    level: tinh
    parent: UBND tỉnh Sóc Trăng
`, `config/units.yaml:11:12: cấp "tinh" của "Xã Nghĩa Tá" không thấp hơn cấp "tinh" của đơn vị cấp trên "UBND tỉnh Sóc Trăng"; levels viết từ cấp trên xuống, sửa level hoặc parent`},
		{"level written twice", `levels:
  - code: xa
    name: Xã
  - code: xa
    name: Phường
`, `config/units.yaml:4:5: cấp "xa" viết hai lần; mỗi cấp chỉ viết một lần`},
		{"level without a name", `levels:
  - code: xa
`, `config/units.yaml:2:5: cấp "xa" thiếu "name": tên cấp in ra báo cáo (ví dụ Xã, phường, đặc khu)`},
		{"misspelt key", unitLevels + `  - name: Xã Nghĩa Tá
    must_sned: true
`, `config/units.yaml:11:5: khóa "must_sned" không dùng được trong units (có phải "must_send"?)`},
		{"lists with an unknown value", unitLevels + `  - name: Trường Chính trị tỉnh
    lists: learner
`, `config/units.yaml:11:12: lists: "learner" không dùng được; ghi staff (tệp của đơn vị là danh sách người của chính nó, như mặc định) hoặc learners (danh sách học viên của đơn vị khác: đếm vào đơn vị này) (có phải "learners"?)`},
		{"files with a bad pattern", unitLevels + `  - name: Trường Chính trị tỉnh
    files: ["lop/[a-*.xlsx"]
`, `config/units.yaml:11:13: files: mẫu "lop/[a-*.xlsx" sai cú pháp (dấu [ chưa có dấu ] đóng); ví dụ đúng: kon-tum/dai-hoc/*.xlsx`},
		{"files with an empty pattern", unitLevels + `  - name: Trường Chính trị tỉnh
    files: [""]
`, `config/units.yaml:11:13: files: mẫu đường dẫn trống; xóa dòng này`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg, err := schema.Load(withUnits(t, tc.text), "config")
			var ps schema.Problems
			if !errors.As(err, &ps) {
				t.Fatalf("err = %v, want Problems", err)
			}
			if len(ps) != 1 || !strings.HasPrefix(ps[0].String(), tc.want) {
				t.Errorf("problems:\n%s\nwant one, starting %q", ps.Error(), tc.want)
			}
			// A mistake in an optional file still returns the configuration, for
			// config check to go on checking.
			if cfg == nil {
				t.Error("no configuration returned for a problem in units.yaml")
			}
		})
	}
}

// Two units of one name in two groups are allowed (communes of one name in two
// former districts); in one group they are a duplicate.
func TestUnitsSameNameInTwoGroups(t *testing.T) {
	text := unitLevels + `  - name: Xã Tân Lập
    group: cho-don
  - name: Xã Tân Lập
    group: soc-trang
`
	cfg, err := schema.Load(withUnits(t, text), "config")
	if err != nil {
		t.Fatal(err)
	}
	r := cfg.Units.Registry()
	if m := r.Match("UBND xã Tân Lập", "soc-trang"); m.Unit != 2 {
		t.Errorf("Tân Lập of soc-trang = %+v, want unit 2", m)
	}
}

func TestUnitsOptional(t *testing.T) {
	without, err := schema.Load(withUnits(t, ""), "config")
	if err != nil {
		t.Fatal(err)
	}
	if r := without.Units.Registry(); r.Len() != 0 || r.Match("Sở Nội vụ", "").Unit != -1 {
		t.Errorf("no units.yaml: registry of %d units", r.Len())
	}
	with, err := schema.Load(withUnits(t, unitLevels), "config")
	if err != nil {
		t.Fatal(err)
	}
	if with.Digest == without.Digest {
		t.Error("units.yaml is not part of the configuration's digest")
	}
	var zero schema.Config // not made by Load
	if zero.Units.Registry().Match("Sở Nội vụ", "").Unit != -1 {
		t.Error("a Config's zero registry matched a name")
	}
}

// The shipped registry knows every unit of the samples' rosters and every unit that
// sent a sample file, each under its own group.
func TestShippedUnits(t *testing.T) {
	cfg, err := schema.Load(config.FS, "config")
	if err != nil {
		t.Fatal(err)
	}
	u := &cfg.Units
	r := u.Registry()
	if r.Len() != len(u.Units) || r.Len() < 70 {
		t.Fatalf("registry has %d units, units.yaml %d", r.Len(), len(u.Units))
	}
	for _, tc := range []struct{ name, group, want string }{
		{"Ban Tổ chức Tỉnh ủy", "soc-trang", "Ban Tổ chức Tỉnh ủy Sóc Trăng"},
		{"UBND tỉnh", "soc-trang", "UBND tỉnh Sóc Trăng"},
		{"Sở Lao động - Thương binh và Xã hội", "soc-trang", "Sở Lao động - Thương binh và Xã hội"},
		{"Ủy ban nhân dân xã Nghĩa Tá", "cho-don", "UBND xã Nghĩa Tá"},
		{"Phòng Nội vụ", "cho-don", "Phòng Nội vụ huyện Chợ Đồn"},
		{"Trường Chính Trị tỉnh", "kon-tum/trung-cap-luat", "Trường Chính trị tỉnh Kon Tum"},
		{"Trường Chính trị tỉnh", "soc-trang", "Trường Chính trị tỉnh"},
		{"Đại Học Đà Nẵng", "kon-tum/dai-hoc", "Phân hiệu Đại học Đà Nẵng tại Kon Tum"},
	} {
		m := r.Match(tc.name, tc.group)
		if m.Unit < 0 || r.Name(m.Unit) != tc.want {
			t.Errorf("Match(%q, %q) = %+v, want %q", tc.name, tc.group, m, tc.want)
			continue
		}
		if g := u.Units[m.Unit].Group.Value; g != tc.group {
			t.Errorf("%q is in group %q, want %q", tc.want, g, tc.group)
		}
	}
	nghiaTa := u.Units[r.Match("UBND xã Nghĩa Tá", "cho-don").Unit]
	if !nghiaTa.MustSend || u.Level(nghiaTa.Level.Value) == nil || nghiaTa.Parent.Value != "UBND huyện Chợ Đồn" {
		t.Errorf("UBND xã Nghĩa Tá: %+v", nghiaTa)
	}
}

// A misnamed registry is not silently ignored: config check names the file it meant.
func TestMisnamedUnitsFile(t *testing.T) {
	fs := withUnits(t, "")
	fs["unit.yaml"] = &fstest.MapFile{Data: []byte(unitLevels)}
	_, err := schema.Load(fs, "config")
	if err == nil || err.Error() != "config/unit.yaml: tệp cấu hình không được dùng (có phải units.yaml?)" {
		t.Errorf("err = %v", err)
	}
}

// TestUnitSends: a files pattern is a path from the input folder, matched whatever
// the case, the slashes (a Windows clerk writes "\\") and the Unicode form (a Mac
// writes "ớ" decomposed); a pattern without a folder matches the name anywhere.
func TestUnitSends(t *testing.T) {
	text := unitLevels + `  - name: Trường Chính trị tỉnh
    lists: learners
    files: ["kon-tum\\lớp/*.xlsx", "Danh sách học viên *.xlsx"]
`
	cfg, err := schema.Load(withUnits(t, text), "config")
	if err != nil {
		t.Fatal(err)
	}
	u := cfg.Units.Units[1]
	if !u.ListsLearners() || cfg.Units.Units[0].ListsLearners() {
		t.Error("lists: learners not read, or read for a unit without it")
	}
	for rel, want := range map[string]bool{
		"kon-tum/lớp/a.xlsx":                    true,
		"KON-TUM/LỚP/B.XLSX":                    true,
		"kon-tum/lớp/con/a.xlsx":                false, // * does not cross folders
		"kon-tum/a.xlsx":                        false,
		"danh sách học viên K1.xlsx":            true,
		"xa/khac/Danh sách học viên lớp 2.xlsx": true,
		"Danh sách cán bộ.xlsx":                 false,
	} {
		if got := u.Sends(rel); got != want {
			t.Errorf("Sends(%q) = %v, want %v", rel, got, want)
		}
	}
	if !u.Sends("kon-tum/lo\u031b\u0301p/a.xlsx") { // ớ as o, horn, acute
		t.Error("a decomposed name does not match its composed pattern")
	}
}
