package mail

import (
	"context"
	"crypto/tls"
	"encoding/pem"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"canbo/pipeline/schema"
)

func TestPassword(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "smtp-password.txt")
	// As Notepad saves it: a byte order mark and CRLF.
	if err := os.WriteFile(file, []byte("\ufeffmật khẩu tệp\r\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("CANBO_SMTP_PASSWORD", "mật khẩu biến")
	t.Setenv("CANBO_EMPTY", "")
	user := "baocao@snv.soctrang.gov.vn"
	tests := []struct {
		name      string
		m         schema.Mail
		want      string
		wantErr   []string
		wantNoErr bool
	}{
		{name: "no username, no password", m: schema.Mail{}, want: "", wantNoErr: true},
		{name: "from the environment", m: schema.Mail{Username: user, PasswordEnv: "CANBO_SMTP_PASSWORD"}, want: "mật khẩu biến", wantNoErr: true},
		{name: "environment first", m: schema.Mail{Username: user, PasswordEnv: "CANBO_SMTP_PASSWORD", PasswordFile: file}, want: "mật khẩu biến", wantNoErr: true},
		{name: "from a file", m: schema.Mail{Username: user, PasswordFile: file}, want: "mật khẩu tệp", wantNoErr: true},
		{name: "file when the variable is empty", m: schema.Mail{Username: user, PasswordEnv: "CANBO_EMPTY", PasswordFile: file}, want: "mật khẩu tệp", wantNoErr: true},
		{name: "variable not set", m: schema.Mail{Username: user, PasswordEnv: "CANBO_NOT_SET_ANYWHERE"},
			wantErr: []string{"biến môi trường CANBO_NOT_SET_ANYWHERE", "setx CANBO_NOT_SET_ANYWHERE", "EnvironmentFile", user}},
		{name: "nothing configured", m: schema.Mail{Username: user},
			wantErr: []string{"mail.password_env", "CANBO_SMTP_PASSWORD", "mail.password_file", "không ghi trong tệp YAML"}},
		{name: "file missing", m: schema.Mail{Username: user, PasswordFile: filepath.Join(dir, "khong-co.txt")},
			wantErr: []string{"khong-co.txt", "mail.password_file"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Password(tt.m)
			if tt.wantNoErr {
				if err != nil || got != tt.want {
					t.Errorf("Password = %q, %v; want %q", got, err, tt.want)
				}
				return
			}
			if err == nil {
				t.Fatalf("Password = %q, want an error", got)
			}
			for _, w := range tt.wantErr {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
		})
	}
	empty := filepath.Join(dir, "empty.txt")
	if err := os.WriteFile(empty, []byte("\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Password(schema.Mail{Username: user, PasswordFile: empty}); err == nil || !strings.Contains(err.Error(), "trống") {
		t.Errorf("empty file: %v", err)
	}
}

// TestNewDialerChecks: the configuration mistakes NewDialer refuses, in Vietnamese.
func TestNewDialerChecks(t *testing.T) {
	tests := []struct {
		name string
		m    schema.Mail
		want string // "" = accepted
	}{
		{"starttls by default", schema.Mail{Host: "mail.soctrang.gov.vn"}, ""},
		{"tls", schema.Mail{Host: "mail.soctrang.gov.vn", Security: "TLS", Port: 465}, ""},
		{"none on localhost", schema.Mail{Host: "localhost", Security: "none"}, ""},
		{"none on 127.0.0.1", schema.Mail{Host: "127.0.0.1", Security: "none", Port: 2525}, ""},
		{"none on ::1", schema.Mail{Host: "::1", Security: "none"}, ""},
		{"none elsewhere", schema.Mail{Host: "mail.soctrang.gov.vn", Security: "none"}, "chỉ được dùng khi máy chủ thư ở ngay máy này (127.0.0.1 hoặc localhost)"},
		{"none on a LAN address", schema.Mail{Host: "192.168.1.10", Security: "none"}, "starttls (cổng 587) hoặc tls (cổng 465)"},
		{"unknown security", schema.Mail{Host: "mail.soctrang.gov.vn", Security: "ssl"}, `mail.security "ssl" không hợp lệ`},
		{"no host", schema.Mail{}, "mail.host"},
		{"bad port", schema.Mail{Host: "x", Port: 70000}, "mail.port"},
		{"username without password", schema.Mail{Host: "x", Username: "u", PasswordEnv: "CANBO_NOT_SET_ANYWHERE"}, "CANBO_NOT_SET_ANYWHERE"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := NewDialer(tt.m)
			if tt.want == "" {
				if err != nil {
					t.Fatalf("NewDialer: %v", err)
				}
				if d.Addr() == "" {
					t.Error("no address")
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want it to contain %q", err, tt.want)
			}
		})
	}
	d, _ := NewDialer(schema.Mail{Host: "mail.soctrang.gov.vn"})
	if d.Addr() != "mail.soctrang.gov.vn:587" {
		t.Errorf("starttls default port: %s", d.Addr())
	}
	d, _ = NewDialer(schema.Mail{Host: "mail.soctrang.gov.vn", Security: "tls"})
	if d.Addr() != "mail.soctrang.gov.vn:465" {
		t.Errorf("tls default port: %s", d.Addr())
	}
}

func TestCheckConfig(t *testing.T) {
	ok := schema.Mail{Host: "mail.soctrang.gov.vn", Username: "u", PasswordEnv: "CANBO_SMTP_PASSWORD",
		From: "Sở Nội vụ <baocao@snv.soctrang.gov.vn>", To: []string{"giamdoc@snv.soctrang.gov.vn"}}
	if err := CheckConfig(ok); err != nil {
		t.Errorf("good config: %v", err)
	}
	bad := schema.Mail{Host: "mail.soctrang.gov.vn", Security: "none", Username: "u", From: "không phải địa chỉ",
		To: []string{"a@b.vn", "sai@"}, RetryAfter: time.Hour, RetryMax: time.Minute}
	err := CheckConfig(bad)
	if err == nil {
		t.Fatal("bad config accepted")
	}
	for _, want := range []string{"security: none", "mail.from", `"sai@"`, "mail.password_env", "mail.retry_max"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("%q not in:\n%v", want, err)
		}
	}
	if n := strings.Count(err.Error(), "\n") + 1; n != 5 {
		t.Errorf("%d problems, want 5:\n%v", n, err)
	}
}

// TestWrongPassword: 535 is a permanent error with a plain-words hint.
func TestWrongPassword(t *testing.T) {
	srv := startServer(t, withLogin("u", "đúng"))
	m := srv.mailConfig()
	t.Setenv(passwordEnv, "sai")
	d, err := NewDialer(m, WithTLSConfig(&tls.Config{RootCAs: srv.roots}), WithTimeout(5*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	_, err = d.Dial(context.Background())
	var se *SendError
	if !errors.As(err, &se) || se.Code != 535 || !se.Permanent() || !strings.Contains(err.Error(), "sai tên đăng nhập") {
		t.Fatalf("err = %v", err)
	}
}

// TestUntrustedCertificate: without the test CA, the server's certificate is refused.
func TestUntrustedCertificate(t *testing.T) {
	srv := startServer(t, withImplicitTLS())
	d, err := NewDialer(srv.mailConfig(), WithTimeout(5*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	_, err = d.Dial(context.Background())
	if err == nil || !strings.Contains(err.Error(), "chứng chỉ TLS") || !strings.Contains(err.Error(), "mail.ca_file") {
		t.Fatalf("err = %v", err)
	}
}

// TestCAFile: a server whose certificate no system trusts is trusted through
// mail.ca_file, written as PEM or as a Windows DER .cer; a file without a
// certificate is refused at start-up with what to do.
func TestCAFile(t *testing.T) {
	srv := startServer(t, withImplicitTLS())
	der := srv.cert.Certificate[0]
	dir := t.TempDir()
	pemFile := filepath.Join(dir, "may-chu-thu.pem")
	derFile := filepath.Join(dir, "may-chu-thu.cer")
	junk := filepath.Join(dir, "khong-phai.cer")
	for f, data := range map[string][]byte{
		pemFile: pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}),
		derFile: der,
		junk:    []byte("không phải chứng chỉ"),
	} {
		if err := os.WriteFile(f, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, f := range []string{pemFile, derFile} {
		m := srv.mailConfig()
		m.CAFile = f
		d, err := NewDialer(m, WithTimeout(5*time.Second))
		if err != nil {
			t.Fatalf("%s: %v", filepath.Base(f), err)
		}
		c, err := d.Dial(context.Background())
		if err != nil {
			t.Fatalf("%s: the server is not trusted: %v", filepath.Base(f), err)
		}
		c.Close()
	}
	for _, f := range []string{junk, filepath.Join(dir, "khong-co.pem")} {
		m := srv.mailConfig()
		m.CAFile = f
		if _, err := NewDialer(m); err == nil || !strings.Contains(err.Error(), "mail.ca_file") {
			t.Errorf("%s: err = %v", filepath.Base(f), err)
		}
	}
}

// TestCheckConfigCAFile: `canbo config check` finds a missing or unreadable
// mail.ca_file, in Vietnamese, at its key, before canbo serve refuses to start.
func TestCheckConfigCAFile(t *testing.T) {
	m := schema.Mail{Host: "mail.soctrang.gov.vn", From: "a@b.vn", To: []string{"c@d.vn"},
		CAFile: filepath.Join(t.TempDir(), "khong-co.cer")}
	err := CheckConfig(m)
	var ke *schema.KeyError
	if err == nil || !errors.As(err, &ke) || ke.Key != "mail.ca_file" || !strings.Contains(err.Error(), "không có tệp chứng chỉ") {
		t.Errorf("err = %v", err)
	}
}
