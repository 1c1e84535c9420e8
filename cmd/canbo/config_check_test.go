package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestConfigCheckServePositions: a wrong value in serve.yaml is shown at the line
// and column where it is written, in Vietnamese. They all came out at the top of the
// file before, whichever key was wrong.
func TestConfigCheckServePositions(t *testing.T) {
	tests := []struct {
		name   string
		at     string // the line of docs/deploy/serve.yaml the defect replaces, from its start
		defect string
		col    int
		want   string
	}{
		{"day 35 in the schedule", "schedule:", `schedule: "0 7 35 * *"`, 11, "phần thứ 3 là ngày (1–31), không phải \"35\": lớn nhất là 31"},
		{"hour 25 in the schedule", "schedule:", `schedule: "0 25 1 * *"`, 11, "phần thứ 2 là giờ (0–23)"},
		{"four parts in the schedule", "schedule:", `schedule: 0 7 1 *`, 11, "cần đúng 5 phần"},
		{"time zone", "time_zone:", "time_zone: Asia/Hanoi", 12, "không phải tên múi giờ"},
		{"period", "period:", "period: last", 9, "period phải là previous"},
		{"negative rescan", "rescan:", "rescan: -1m", 9, "không được âm"},
		{"mail security", "  security:", "  security: ssl", 13, "mail.security \"ssl\" không hợp lệ"},
		{"no encryption to a remote server", "  security:", "  security: none", 13, "chỉ được dùng khi máy chủ thư ở ngay máy này"},
		{"mail port", "  port:", "  port: 70000", 9, "mail.port 70000 không hợp lệ"},
		{"sent mail kept a negative number of days", "  keep_sent_days:", "  keep_sent_days: -1", 19, "mail.keep_sent_days (-1) không được âm"},
		{"a recipient", "    - phogiamdoc@", "    - phogiamdoc@", 7, "không phải địa chỉ thư hợp lệ"},
		{"a word for a duration", "stable_for:", "stable_for: nửa phút", 13, "cần một khoảng thời gian"},
		{"web page on every network", "# web:", "web: {listen: 0.0.0.0:8080}", 15, "mở trang trên mọi mạng của máy"},
		{"web page in clear on the internet", "# web:", "web: {listen: 203.0.113.7:80}", 15, "không phải địa chỉ mạng nội bộ"},
		{"reminders too early", "# web:", "web: {listen: 192.168.1.10:8080, remind_days_before: 40}", 54, "web.remind_days_before phải từ 0"},
		{"web upload limit", "# web:", "web: {listen: 192.168.1.10:8080, max_upload_mb: 5000}", 49, "web.max_upload_mb phải từ 1 đến 1024"},
		{"web hourly bytes under one file", "# web:", "web: {listen: 192.168.1.10:8080, upload_mb_per_hour: 5}", 54, "web.upload_mb_per_hour phải từ 20"},
		{"a password written in clear", "# web:", "web: {listen: 192.168.1.10:8080, users: [{name: lan, password_hash: matkhau123}]}", 69, "không phải mã băm argon2id"},
		{"a user's role", "# web:", "web: {listen: 192.168.1.10:8080, users: [{name: lan, role: sep, password_hash: \"$argon2id$v=19$m=65536,t=3,p=2$xrlUZY6Re/cCkv0krhP03A$Q0CuIwSntJVdhYxFFi03TR1JmWgvpBVg0d53/Xx33C0\"}]}", 60, "role \"sep\" không có"},
		{"a span's first month", "    from: year", "    from: 2025-13", 11, `span_reports from "2025-13": ghi tháng đầu dạng YYYY-MM`},
		{"a span's schedule", `    schedule: "0 7 5 1 *"`, `    schedule: "0 7 35 1 *"`, 15, "phần thứ 3 là ngày (1–31)"},
		{"a span ending before it starts", "    to: 2025-09", "    to: 2019-09", 9, "tháng cuối 2019-09 trước tháng đầu 2020-10"},
		{"two span reports of one name", "  - name: Nhiệm kỳ", "  - name: báo cáo năm", 11, `hai báo cáo cùng tên "báo cáo năm"`},
		{"unknown key", "time_zone:", "timezone: Asia/Ho_Chi_Minh", 1, `có phải "time_zone"?`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir, line := serveConfig(t, tc.at, tc.defect)
			var stdout, stderr bytes.Buffer
			if code := run(context.Background(), []string{"config", "check", "--config", dir}, &stdout, &stderr); code != exitUsage {
				t.Fatalf("exit %d, want %d\n%s%s", code, exitUsage, stdout.String(), stderr.String())
			}
			want := fmt.Sprintf("%s:%d:%d: ", filepath.Join(dir, "serve.yaml"), line, tc.col)
			out := strings.TrimSpace(stdout.String())
			if strings.Count(out, "\n") != 0 || !strings.HasPrefix(out, want) || !strings.Contains(out, tc.want) {
				t.Errorf("config check printed:\n%s\nwant one problem at %s saying %q", out, want, tc.want)
			}
		})
	}
}

// serveConfig is a configuration folder: the shipped configuration and the sample
// serve.yaml of docs/deploy with its first line starting with at replaced by
// defect (and so for each further pair of more). It returns the folder and the line
// number of the first.
func serveConfig(t *testing.T, at, defect string, more ...string) (string, int) {
	t.Helper()
	dir := t.TempDir()
	entries, err := os.ReadDir("../../config")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if filepath.Ext(e.Name()) != ".yaml" {
			continue
		}
		data, err := os.ReadFile(filepath.Join("../../config", e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, e.Name()), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	data, err := os.ReadFile("../../docs/deploy/serve.yaml")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(data), "\n")
	first := 0
	pairs := append([]string{at, defect}, more...)
	for p := 0; p+1 < len(pairs); p += 2 {
		i := slices.IndexFunc(lines, func(l string) bool { return strings.HasPrefix(l, pairs[p]) })
		if i < 0 {
			t.Fatalf("docs/deploy/serve.yaml has no line starting %q", pairs[p])
		}
		lines[i] = pairs[p+1]
		if p == 0 {
			first = i + 1
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "serve.yaml"), []byte(strings.Join(lines, "\n")), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir, first
}
