package serve

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"canbo/pipeline/internal/filelock"
	"canbo/pipeline/mail"
	"canbo/pipeline/schema"
)

// TestServeRetriesQueueingReports: an older canbo still holds its outbox folder's
// lock when September's monthly report and the year's report are made, so neither
// mail can be queued. Neither schedule fires again for months; once the lock is
// gone, the running serve queues both within the hour, each once, without a
// restart.
func TestServeRetriesQueueingReports(t *testing.T) {
	t.Parallel()
	o := newOffice(t, noUnits, func(sv *schema.Serve) {
		sv.SpanReports = []schema.SpanReport{{Name: "Báo cáo năm", From: "year", To: "previous", Schedule: "0 7 5 10 *"}}
	})
	o.dropSample(mcRoster, mcRoster)
	o.takeIn(time.Date(2023, 9, 25, 9, 0, 0, 0, vn))

	legacy := filepath.Join(o.state, "outbox")
	if err := os.MkdirAll(filepath.Join(legacy, mail.FolderPending), 0o755); err != nil {
		t.Fatal(err)
	}
	unlock, err := filelock.Lock(filepath.Join(legacy, "outbox.lock"))
	if err != nil {
		t.Fatal(err)
	}
	o.schedAt = time.Date(2023, 10, 5, 9, 0, 0, 0, vn)
	o.start()
	o.waitFor("both reports made and their mail refused by the outbox", func() bool {
		return strings.Count(o.logs.String(), msgQueueRetry) >= 2
	}, nil)
	for _, dir := range []string{"2023-09", "2023-01_2023-09"} {
		if _, err := os.Stat(filepath.Join(o.out, dir, "summary.json")); err != nil {
			t.Fatal(err)
		}
	}
	if err := unlock(); err != nil {
		t.Fatal(err)
	}
	o.waitMails(KindSpanReport, 1)
	o.waitMails(mail.KindReport, 1)
	o.settle()
	o.stop()
	if n, m := len(o.mails(KindSpanReport)), len(o.mails(mail.KindReport)); n != 1 || m != 1 {
		t.Errorf("%d year's report mails and %d monthly, want one each", n, m)
	}
}
