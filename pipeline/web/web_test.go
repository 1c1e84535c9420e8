package web

import (
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/unicode/norm"

	"canbo/pipeline/schema"
)

// TestCheck: what serve.yaml's web block may not say, each at its key.
func TestCheck(t *testing.T) {
	hash, err := HashPassword("mật khẩu đủ dài")
	if err != nil {
		t.Fatal(err)
	}
	ok := schema.Web{Listen: "192.168.1.10:8080", Users: []schema.WebUser{{Name: "lan", PasswordHash: hash}}}
	if err := Check(ok); err != nil {
		t.Fatalf("a good block: %v", err)
	}
	if err := Check(schema.Web{}); err != nil {
		t.Fatalf("no block: %v", err)
	}
	tests := []struct {
		name   string
		change func(*schema.Web)
		key    string
		want   string
	}{
		{"every network in clear", func(w *schema.Web) { w.Listen = "0.0.0.0:8080" }, "web.listen", "mọi mạng"},
		{"an empty host in clear", func(w *schema.Web) { w.Listen = ":8080" }, "web.listen", "địa chỉ IP"},
		{"a public address in clear", func(w *schema.Web) { w.Listen = "203.0.113.7:80" }, "web.listen", "không phải địa chỉ mạng nội bộ"},
		{"a host name in clear", func(w *schema.Web) { w.Listen = "canbo.example:80" }, "web.listen", "địa chỉ IP"},
		{"no port", func(w *schema.Web) { w.Listen = "192.168.1.10" }, "web.listen", "địa chỉ:cổng"},
		{"port 0", func(w *schema.Web) { w.Listen = "192.168.1.10:0" }, "web.listen", "cổng"},
		{"a certificate without its key", func(w *schema.Web) { w.CertFile = "c.pem" }, "web.cert_file", "cả cert_file và key_file"},
		{"http url under https", func(w *schema.Web) { w.CertFile, w.KeyFile, w.URL = "c.pem", "k.pem", "http://x" }, "web.url", "https://"},
		{"a url with a path", func(w *schema.Web) { w.URL = "http://192.168.1.10:8080/canbo" }, "web.url", "địa chỉ trang"},
		{"upload limit", func(w *schema.Web) { w.MaxUploadMB = 4096 }, "web.max_upload_mb", "1 đến 1024"},
		{"no uploads at all", func(w *schema.Web) { w.UploadsPer10Minutes = -1 }, "web.uploads_per_10_minutes", "từ 1 đến 1000"},
		{"a flood allowed", func(w *schema.Web) { w.UploadsPer10Minutes = 5000 }, "web.uploads_per_10_minutes", "từ 1 đến 1000"},
		{"an hour's bytes under one file", func(w *schema.Web) { w.UploadMBPerHour = 10 }, "web.upload_mb_per_hour", "từ 20 (max_upload_mb"},
		{"an hour's bytes under a larger file", func(w *schema.Web) { w.MaxUploadMB, w.UploadMBPerHour = 100, 50 }, "web.upload_mb_per_hour", "từ 100 (max_upload_mb"},
		{"a short session", func(w *schema.Web) { w.Session = time.Second }, "web.session", "ít nhất 1 phút"},
		{"a password in clear", func(w *schema.Web) { w.Users[0].PasswordHash = "matkhau" }, "web.users.0.password_hash", "argon2id"},
		{"a hash that asks too much memory", func(w *schema.Web) {
			w.Users[0].PasswordHash = strings.Replace(hash, "m=65536", "m=4194304", 1)
		}, "web.users.0.password_hash", "quá nhiều bộ nhớ"},
		{"a role", func(w *schema.Web) { w.Users[0].Role = "admin" }, "web.users.0.role", "staff"},
		{"a user twice", func(w *schema.Web) { w.Users = append(w.Users, schema.WebUser{Name: "LAN", PasswordHash: hash}) }, "web.users.1.name", "hai lần"},
		{"a user twice, marks typed apart", func(w *schema.Web) {
			w.Users = append(w.Users, schema.WebUser{Name: "Lân", PasswordHash: hash}, schema.WebUser{Name: norm.NFD.String("lân"), PasswordHash: hash})
		}, "web.users.2.name", "hai lần"},
		{"users without a page", func(w *schema.Web) { w.Listen = "" }, "web", "thiếu listen"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			w := ok
			w.Users = append([]schema.WebUser(nil), ok.Users...)
			tc.change(&w)
			err := Check(w)
			var ke *schema.KeyError
			if !errors.As(err, &ke) || ke.Key != tc.key || !strings.Contains(ke.Msg, tc.want) {
				t.Errorf("Check: %v; want %q at %s", err, tc.want, tc.key)
			}
		})
	}
	// HTTPS may listen anywhere.
	if err := Check(schema.Web{Listen: ":443", CertFile: "c.pem", KeyFile: "k.pem"}); err != nil {
		t.Errorf("https on every address: %v", err)
	}
}

// TestPassword: the hash verifies its password only, and is salted.
func TestPassword(t *testing.T) {
	h1, err := HashPassword("mật khẩu đủ dài")
	if err != nil {
		t.Fatal(err)
	}
	h2, _ := HashPassword("mật khẩu đủ dài")
	if h1 == h2 {
		t.Error("two hashes of one password are equal: no salt")
	}
	if !strings.HasPrefix(h1, "$argon2id$v=19$m=65536,t=3,p=2$") {
		t.Errorf("hash %s", h1)
	}
	if !verifyPassword(h1, "mật khẩu đủ dài") || verifyPassword(h1, "mật khẩu đủ dàj") || verifyPassword(h1, "") {
		t.Error("verification is wrong")
	}
	if verifyPassword(h1[:len(h1)-2]+"AA", "mật khẩu đủ dài") {
		t.Error("a tampered hash verifies")
	}
	if _, err := HashPassword("ngắn"); err == nil {
		t.Error("a short password is hashed")
	}
	// One password typed on keyboards set to precomposed or to combining marks.
	nfc, nfd := "mật khẩu đủ dài", norm.NFD.String("mật khẩu đủ dài")
	if nfc == nfd {
		t.Fatal("the decomposed password is the same bytes")
	}
	if h, err := HashPassword(nfd); err != nil || !verifyPassword(h, nfc) || !verifyPassword(h1, nfd) {
		t.Errorf("a password typed with combining marks does not match its precomposed self: %v", err)
	}
	// The same words saved by Notepad as "ANSI" (Windows-1258): refused, not hashed
	// into a password nobody can type.
	if _, err := HashPassword("m\xe2t kh\xe2u \xf0u\xf2 da\xecì"); err == nil || !strings.Contains(err.Error(), "UTF-8") {
		t.Errorf("a password in the old code page: %v", err)
	}
	if verifyPassword(dummyHash, "") || verifyPassword(dummyHash, "fakekey") {
		t.Error("the dummy hash verifies a password")
	}
	if _, err := parsePHC(dummyHash); err != nil {
		t.Errorf("the dummy hash does not parse, so an unknown name answers faster: %v", err)
	}
}

// TestSniff: spreadsheets and the HTML tables saved as .xls pass; images, PDFs and
// programs named .xlsx do not.
func TestSniff(t *testing.T) {
	xlsx, err := os.ReadFile("../../samples/cho-don/UBND xã Bằng Phúc.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		head []byte
		want bool
	}{
		{"xlsx", xlsx[:512], true},
		{"xls", []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0}, true},
		{"html table", []byte("\ufeff<html><table><tr><td>Họ và tên</td></tr></table></html>"), true},
		{"png", []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), false},
		{"pdf", []byte("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj"), false},
		{"exe", []byte("MZ\x90\x00\x03\x00\x00\x00"), false},
		{"plain words", []byte("xin chao"), false},
		{"empty", nil, false},
	} {
		if got := looksLikeWorkbook(tc.head); got != tc.want {
			t.Errorf("%s: %v", tc.name, got)
		}
	}
}

// TestCleanName: a browser's file name never climbs out of its folder.
func TestCleanName(t *testing.T) {
	for in, want := range map[string]string{
		"UBND xã A.xlsx":                  "UBND xã A.xlsx",
		`C:\Users\van thu\Desktop\A.xlsx`: "A.xlsx",
		"../../../etc/passwd":             "passwd",
		"..":                              "",
		".an.xlsx":                        "",
		"~$A.xlsx":                        "",
		"a/..":                            "",
		"  Ủy ban.xlsx  ":                 "Ủy ban.xlsx",
	} {
		if got := cleanName(in); got != want {
			t.Errorf("cleanName(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestBarLabel: the share's text is white inside a bar long enough to hold it, else
// on the track after the bar, and after the threshold's mark when that would cross it.
func TestBarLabel(t *testing.T) {
	for _, tc := range []struct {
		end, mark, wantX float64
		wantColour       string
	}{
		{191, 200, 4, "#fff"},       // 47,83% against 50%
		{40, 280, 44, colourMissed}, // 10% against 70%: after the bar
		{40, 60, 64, colourMissed},  // 10% against 15%: after the mark
		{0, 120, 4, colourMissed},   // nobody: at the start of the track
		{20, 10, 24, colourMissed},  // the mark before the bar's end does not move it
	} {
		if x, c := barLabel(tc.end, tc.mark, colourMissed); x != tc.wantX || c != tc.wantColour {
			t.Errorf("barLabel(%v, %v) = %v %s, want %v %s", tc.end, tc.mark, x, c, tc.wantX, tc.wantColour)
		}
	}
}

// TestNetOf: the per-name login limit counts an IPv6 machine by its /64, the
// addresses it may take at will, and an IPv4 machine by its address (an IPv4-mapped
// one too).
func TestNetOf(t *testing.T) {
	same := [][2]string{
		{"2001:db8:1:2::1", "2001:db8:1:2:a8b3:44ff:fe01:9c2d"},
		{"fd00:1:2:3::10", "fd00:1:2:3:ffff:ffff:ffff:ffff"},
		{"fe80::1%eth0", "fe80::2"},
		{"::ffff:192.168.1.7", "192.168.1.7"},
	}
	for _, p := range same {
		if a, b := netOf(p[0]), netOf(p[1]); a != b {
			t.Errorf("%s → %q, %s → %q: one machine counted as two", p[0], a, p[1], b)
		}
	}
	apart := [][2]string{
		{"2001:db8:1:2::1", "2001:db8:1:3::1"},
		{"192.168.1.7", "192.168.1.8"},
	}
	for _, p := range apart {
		if a, b := netOf(p[0]), netOf(p[1]); a == b {
			t.Errorf("%s and %s both → %q: two machines counted as one", p[0], p[1], a)
		}
	}
}
