package main

import (
	"bytes"
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestStatusListsOutbox: canbo status lists the outbox's messages. Right after an
// upgrade the outbox is still the folder an older canbo left (pipeline/mail's
// testdata/outbox-v1): status lists it without importing or moving it — that is for
// the first delivery of canbo serve or canbo send.
func TestStatusListsOutbox(t *testing.T) {
	state := t.TempDir()
	from := filepath.Join("..", "..", "pipeline", "mail", "testdata", "outbox-v1", "state", "outbox")
	err := filepath.WalkDir(from, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, path)
		to := filepath.Join(state, "outbox", rel)
		if d.IsDir() {
			return os.MkdirAll(to, 0o755)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(to, data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	dir, _ := serveConfig(t, "state:", "state: "+state)
	var stdout, stderr bytes.Buffer
	if code := run(context.Background(), []string{"status", "--config", dir}, &stdout, &stderr); code != 0 {
		t.Fatalf("status: %d\n%s%s", code, stdout.String(), stderr.String())
	}
	out := stdout.String()
	_, mails, _ := strings.Cut(out, "\nThư:\n")
	for _, want := range []string{
		"đã gửi    Báo cáo đội ngũ CBCCVC tháng 05/2023 — 384 người, đạt 2/4 chỉ tiêu  lần thử 1",
		"đang gửi  Báo cáo đội ngũ CBCCVC tháng 07/2023 — 386 người, đạt 2/4 chỉ tiêu  lần thử 1",
		"tạm dừng  Báo cáo đội ngũ CBCCVC tháng 08/2023 — 387 người, đạt 2/4 chỉ tiêu  lần thử 1  (máy chủ thư không nhận địa chỉ người nhận",
		"chờ gửi   Báo cáo đội ngũ CBCCVC tháng 09/2023 — 388 người, đạt 2/4 chỉ tiêu  lần thử 0",
	} {
		if !strings.Contains(mails, want) {
			t.Errorf("status lacks %q:\n%s", want, out)
		}
	}
	if n := strings.Count("\n"+mails, "\n  "); n != 9 {
		t.Errorf("%d messages listed, want 9:\n%s", n, mails)
	}
	if _, err := os.Stat(filepath.Join(state, "outbox", "pending")); err != nil {
		t.Errorf("status moved the outbox folder: %v", err)
	}
}
