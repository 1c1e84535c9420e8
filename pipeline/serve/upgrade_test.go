package serve

import (
	"io/fs"
	"os"
	"path/filepath"
	"testing"
	"time"

	"canbo/pipeline/mail"
)

// TestServeUpgradesOutboxFolder: canbo serve starts on a state folder whose outbox
// is still the folder an older canbo left (pipeline/mail's testdata/outbox-v1: sent,
// held, retried, cut off mid-send, two of one key). The first delivery imports it
// into canbo.db and sends what was still to send — six messages, each once, the one
// cut off mid-send with its Message-ID — and sets the folder aside.
func TestServeUpgradesOutboxFolder(t *testing.T) {
	t.Parallel()
	o := newOffice(t, noUnits)
	from := filepath.Join("..", "mail", "testdata", "outbox-v1", "state", "outbox")
	err := filepath.WalkDir(from, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, path)
		to := filepath.Join(o.state, "outbox", rel)
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
	// The folder's last message was refused at 07:00 on 1 October with a retry a
	// minute later; the office starts the new canbo an hour after.
	o.mailClock.Advance(runTime.Add(time.Hour).Sub(o.mailClock.Now()))
	o.start()
	o.waitMails(mail.KindReport, 6)
	o.settle()
	o.stop()
	ids := map[string]int{}
	for _, m := range o.mails(mail.KindReport) {
		ids[m.Header.Get("X-Canbo-Id")]++
	}
	if len(ids) != 6 || o.smtp.count() != 6 {
		t.Errorf("the server received %d messages, %d distinct: %v", o.smtp.count(), len(ids), ids)
	}
	es := o.outbox()
	for _, e := range es {
		if e.State != mail.StateSent {
			t.Errorf("%s is %s", e.ID, e.State)
		}
	}
	if len(es) != 9 {
		t.Errorf("%d messages in the outbox, want 9", len(es))
	}
	if _, err := os.Stat(filepath.Join(o.state, "outbox.imported-20231001", "pending")); err != nil {
		t.Errorf("the old folder was not set aside: %v", err)
	}
	if _, err := os.Stat(filepath.Join(o.state, "outbox")); err == nil {
		t.Error("the old folder is still in place")
	}
}
