package web

import (
	"cmp"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"time"

	"golang.org/x/text/unicode/norm"

	"canbo/pipeline/schema"
)

// Defaults of serve.yaml's web block.
const (
	DefaultMaxUploadMB = 20
	DefaultSession     = 8 * time.Hour
)

// Roles of office users.
const (
	RoleStaff  = "staff"  // sees everything, makes links, sends reminders
	RoleLeader = "leader" // reads the board only
)

// Check says what serve.yaml's web block gets wrong, each mistake a
// *schema.KeyError at its key, so that `canbo config check` shows it at its line.
// Plain HTTP is refused on any address but a loopback or private one: the page
// carries units' links and office passwords, which must not cross the internet in
// clear.
func Check(w schema.Web) error {
	if strings.TrimSpace(w.Listen) == "" {
		if len(w.Users) > 0 || w.CertFile != "" {
			return &schema.KeyError{Key: "web", Msg: "web: thiếu listen (địa chỉ:cổng của trang web, ví dụ 192.168.1.10:8080)"}
		}
		return nil
	}
	var ps []error
	bad := func(key, format string, args ...any) {
		ps = append(ps, &schema.KeyError{Key: key, Msg: fmt.Sprintf(format, args...)})
	}
	tls := w.CertFile != "" || w.KeyFile != ""
	if (w.CertFile == "") != (w.KeyFile == "") {
		bad("web.cert_file", "web: cần cả cert_file và key_file để dùng HTTPS")
	}
	host, port, err := net.SplitHostPort(w.Listen)
	if err != nil {
		bad("web.listen", "web.listen %q phải có dạng địa chỉ:cổng, ví dụ 192.168.1.10:8080", w.Listen)
	} else {
		if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
			bad("web.listen", "web.listen %q: cổng phải là số từ 1 đến 65535", w.Listen)
		}
		if !tls {
			ip, err := netip.ParseAddr(host)
			switch {
			case host == "localhost":
			case err != nil:
				bad("web.listen", "web.listen %q: không dùng HTTPS thì phải ghi địa chỉ IP của máy trong mạng nội bộ (ví dụ 192.168.1.10), không phải tên máy hay để trống", w.Listen)
			case ip.IsUnspecified():
				bad("web.listen", "web.listen %q mở trang trên mọi mạng của máy: không dùng HTTPS thì phải ghi địa chỉ IP trong mạng nội bộ (ví dụ 192.168.1.10)", w.Listen)
			case !ip.IsLoopback() && !ip.IsPrivate() && !ip.IsLinkLocalUnicast():
				bad("web.listen", "web.listen %q không phải địa chỉ mạng nội bộ: trang web không mã hóa (HTTP) chỉ được mở trong mạng nội bộ; dùng cert_file, key_file để bật HTTPS", w.Listen)
			}
		}
	}
	if w.URL != "" {
		u, err := url.Parse(w.URL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || (u.Path != "" && u.Path != "/") || u.RawQuery != "" {
			bad("web.url", "web.url %q phải là địa chỉ trang, ví dụ http://192.168.1.10:8080", w.URL)
		} else if tls && u.Scheme != "https" {
			bad("web.url", "web.url %q phải bắt đầu bằng https:// khi đã bật HTTPS", w.URL)
		}
	}
	if w.MaxUploadMB < 0 || w.MaxUploadMB > 1024 {
		bad("web.max_upload_mb", "web.max_upload_mb phải từ 1 đến 1024 (megabyte), không phải %d", w.MaxUploadMB)
	}
	if w.UploadsPer10Minutes < 0 || w.UploadsPer10Minutes > 1000 {
		bad("web.uploads_per_10_minutes", "web.uploads_per_10_minutes phải từ 1 đến 1000 (tệp mỗi liên kết gửi được trong 10 phút), không phải %d", w.UploadsPer10Minutes)
	}
	if maxMB := cmp.Or(w.MaxUploadMB, DefaultMaxUploadMB); w.UploadMBPerHour < 0 || w.UploadMBPerHour > 100000 || (w.UploadMBPerHour > 0 && w.UploadMBPerHour < maxMB) {
		bad("web.upload_mb_per_hour", "web.upload_mb_per_hour phải từ %d (max_upload_mb: một tệp lớn nhất) đến 100000 (megabyte mỗi liên kết gửi được trong một giờ), không phải %d", maxMB, w.UploadMBPerHour)
	}
	if w.Session < 0 || (w.Session > 0 && w.Session < time.Minute) {
		bad("web.session", "web.session phải dài ít nhất 1 phút, ví dụ 8h")
	}
	if w.RemindDaysBefore < 0 || w.RemindDaysBefore > 28 {
		bad("web.remind_days_before", "web.remind_days_before phải từ 0 (không tự nhắc) đến 28 ngày, không phải %d", w.RemindDaysBefore)
	}
	seen := map[string]bool{}
	for i, u := range w.Users {
		key := fmt.Sprintf("web.users.%d", i)
		name := norm.NFC.String(strings.TrimSpace(u.Name)) // as user matches it
		switch {
		case name == "":
			bad(key, "web.users: tài khoản thứ %d chưa có name", i+1)
		case seen[strings.ToLower(name)]:
			bad(key+".name", "web.users: tài khoản %q khai báo hai lần", name)
		}
		seen[strings.ToLower(name)] = true
		switch u.Role {
		case "", RoleStaff, RoleLeader:
		default:
			bad(key+".role", "web.users: role %q không có; dùng staff (cán bộ văn phòng) hoặc leader (lãnh đạo, chỉ xem)", u.Role)
		}
		if _, err := parsePHC(u.PasswordHash); err != nil {
			bad(key+".password_hash", "web.users: password_hash của %q: %v", name, err)
		}
	}
	return errors.Join(ps...)
}

// Address is where the page is reached: web.url, or the scheme and listen address.
func Address(w schema.Web) string {
	if w.URL != "" {
		return strings.TrimSuffix(w.URL, "/")
	}
	scheme := "http"
	if w.CertFile != "" {
		scheme = "https"
	}
	return scheme + "://" + w.Listen
}
