package main

import (
	"bytes"
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"canbo/pipeline/history"
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
	out := status(t, state)
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

// TestStatusSaysBodyPruned: a sent message whose bytes were deleted after
// mail.keep_sent_days is listed as sent, with the day its bytes went, in Vietnamese.
func TestStatusSaysBodyPruned(t *testing.T) {
	state := t.TempDir()
	db, err := history.Open(filepath.Join(state, history.FileName))
	if err != nil {
		t.Fatal(err)
	}
	sent := time.Date(2023, 10, 1, 0, 0, 0, 0, time.UTC)
	err = db.OutboxWrite(context.Background(), func(tx *history.OutboxTx) error {
		_, err := tx.Insert(history.OutboxMessage{ID: "report-2023-09-1", Key: "report/2023-09", Kind: "report", Period: "2023-09",
			MessageID: "<a@b>", Subject: "Báo cáo tháng 09/2023", State: "sent", Attempts: 1, Created: sent, SentAt: sent,
			Response: "250 ok", BodyPruned: sent.AddDate(0, 0, 400)}, nil)
		return err
	})
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	if out, want := status(t, state), "đã gửi    Báo cáo tháng 09/2023  lần thử 1  (nội dung thư đã xóa ngày 04/11/2024"; !strings.Contains(out, want) {
		t.Errorf("status lacks %q:\n%s", want, out)
	}
}

// status is what canbo status prints with the sample serve.yaml on the state folder.
func status(t *testing.T, state string) string {
	t.Helper()
	dir, _ := serveConfig(t, "state:", "state: "+state)
	var stdout, stderr bytes.Buffer
	if code := run(context.Background(), []string{"status", "--config", dir}, &stdout, &stderr); code != 0 {
		t.Fatalf("status: %d\n%s%s", code, stdout.String(), stderr.String())
	}
	return stdout.String()
}

// TestStatusEmpty: a new office's status says there is nothing yet under each heading,
// instead of a heading with nothing under it that reads like a fault.
func TestStatusEmpty(t *testing.T) {
	out := status(t, t.TempDir())
	for _, want := range []string{"Các lần lập báo cáo gần đây:\n  (chưa lập lần nào)\n", "Thư:\n  (chưa có thư nào)\n"} {
		if !strings.Contains(out, want) {
			t.Errorf("status lacks %q:\n%s", want, out)
		}
	}
}
