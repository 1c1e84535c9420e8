package mail

import (
	"fmt"
	"testing"

	"canbo/pipeline/schema"
)

// BenchmarkEnqueueDeliver200 queues 200 messages (one per period, so none replaces
// another) in a new outbox and delivers them to the loopback SMTP server in one pass:
// the cost of the outbox's records around each message, SMTP included.
func BenchmarkEnqueueDeliver200(b *testing.B) {
	srv := startServer(b, withoutTLS())
	cfg, tm := testConfig(b), testTemplates(b)
	cfg.Serve.Mail.Host, cfg.Serve.Mail.Port, cfg.Serve.Mail.Security = "127.0.0.1", srv.port(), SecurityNone
	d, err := NewDialer(cfg.Serve.Mail)
	if err != nil {
		b.Fatal(err)
	}
	msgs := make([]*Message, 200)
	for i := range msgs {
		s := testSummary()
		s.Period = fmt.Sprintf("%04d-%02d", 2000+i/12, i%12+1)
		if msgs[i], err = ReportMessage(s, cfg, nil, tm); err != nil {
			b.Fatal(err)
		}
	}
	b.ResetTimer()
	for b.Loop() {
		b.StopTimer()
		o := benchOutbox(b)
		b.StartTimer()
		for _, m := range msgs {
			if _, _, err := o.Enqueue(m); err != nil {
				b.Fatal(err)
			}
		}
		sent, failed, err := o.Deliver(b.Context(), d)
		if err != nil || sent != len(msgs) || failed != 0 {
			b.Fatalf("sent %d, failed %d, %v", sent, failed, err)
		}
	}
}

func benchOutbox(b *testing.B) *Outbox {
	o := openOutbox(b, b.TempDir(), nil)
	o.Policy = PolicyFrom(schema.Mail{})
	return o
}
