package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestWebLinkCommands: canbo web link prints a unit's personal link (the official
// name, whatever spelling was typed), renewing it; revoke revokes it; an unknown unit
// is a usage error with a suggestion; password prints an argon2id hash.
func TestWebLinkCommands(t *testing.T) {
	state := t.TempDir()
	dir, _ := serveConfig(t, "state:", "state: "+state, "# web:", "web: {listen: 192.168.1.10:8080}")
	call := func(args ...string) (int, string) {
		var stdout, stderr bytes.Buffer
		code := run(context.Background(), args, &stdout, &stderr)
		return code, stdout.String() + stderr.String()
	}
	code, out := call("web", "link", "--config", dir, "ubnd xa bang phuc")
	link := regexp.MustCompile(`^UBND xã Bằng Phúc: http://192\.168\.1\.10:8080/u/[A-Za-z0-9_-]{43}\n$`)
	if code != 0 || !link.MatchString(out) {
		t.Fatalf("web link: %d\n%s", code, out)
	}
	if _, err := os.Stat(filepath.Join(state, "canbo.db")); err != nil {
		t.Errorf("no history database in the state folder: %v", err)
	}
	code, out2 := call("web", "link", "--config", dir, "UBND xã Bằng Phúc")
	if code != 0 || out2 == out {
		t.Errorf("renewing gave the same link: %s", out2)
	}
	if code, out := call("web", "revoke", "--config", dir, "UBND xã Bằng Phúc"); code != 0 || out != "UBND xã Bằng Phúc: đã thu hồi 1 liên kết\n" {
		t.Errorf("web revoke: %d %s", code, out)
	}
	if code, out := call("web", "link", "--config", dir, "UBND xã Bằng Phúcc"); code != exitUsage || !strings.Contains(out, `có phải "UBND xã Bằng Phúc"?`) {
		t.Errorf("an unknown unit: %d %s", code, out)
	}
	if code, _ := call("web", "nothing"); code != exitUsage {
		t.Errorf("an unknown subcommand: %d", code)
	}

	// canbo status says where the page is.
	if code, out := call("status", "--config", dir); code != 0 || !strings.HasPrefix(out, "Trang web: http://192.168.1.10:8080 (đăng nhập: http://192.168.1.10:8080/dang-nhap)\n") {
		t.Errorf("status: %d\n%s", code, out)
	}

	// The password comes on standard input, as a file saved by Notepad would give it.
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	w.WriteString("\ufeffmật khẩu văn phòng\r\n")
	w.Close()
	stdin := os.Stdin
	os.Stdin = r
	defer func() { os.Stdin = stdin }()
	code, out = call("web", "password")
	if code != 0 || !strings.HasPrefix(out, "$argon2id$v=19$m=65536,t=3,p=2$") {
		t.Errorf("web password: %d %s", code, out)
	}
}
