package serve

import (
	"context"
	"testing"
	"time"

	"canbo/pipeline/mail"
	"canbo/pipeline/schema"
)

// TestServeKeepsSentMailDays: serve.yaml's mail.keep_sent_days reaches the outbox.
// A feedback mail sent, then canbo serve started three days later on the mail clock
// with keep_sent_days 2: its bytes are gone at the start, its row is still sent.
func TestServeKeepsSentMailDays(t *testing.T) {
	t.Parallel()
	o := newOffice(t, func(sv *schema.Serve) {
		days := 2
		sv.Mail.KeepSentDays = &days
	})
	svc := o.open()
	msg, err := mail.FeedbackMessage(o.tm, o.cfg, schema.UnitContact{Unit: unitName, Email: unitMail},
		mail.Feedback{Unit: unitName, Period: "2023-09", File: "hong.xlsx", SHA256: "ab12", Status: "rejected", Reason: "tệp hỏng"})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := svc.outbox.Enqueue(msg); err != nil {
		t.Fatal(err)
	}
	if sent, _, err := svc.outbox.Deliver(context.Background(), svc.dialer); err != nil || sent != 1 {
		t.Fatalf("sent %d, %v", sent, err)
	}
	svc.Close()

	o.mailClock.Advance(3 * 24 * time.Hour)
	o.start()
	o.waitFor("the sent mail's bytes pruned at the start", func() bool {
		es := o.outbox()
		return len(es) == 1 && es[0].State == mail.StateSent && !es[0].BodyPruned.IsZero()
	}, nil)
	o.stop()
}
