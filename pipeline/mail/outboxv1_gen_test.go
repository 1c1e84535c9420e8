package mail

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
)

// TestWriteOutboxV1 writes testdata/outbox-v1: a STATE/outbox folder as the
// file-based outbox (this commit's outbox.go) leaves it after a month of work and a
// crash, for the import test of the database outbox that replaces it. It runs only
// with CANBO_WRITE_OUTBOX_V1=DIR (the folder to write); the files are committed.
func TestWriteOutboxV1(t *testing.T) {
	dest := os.Getenv("CANBO_WRITE_OUTBOX_V1")
	if dest == "" {
		t.Skip("set CANBO_WRITE_OUTBOX_V1 to write the fixture")
	}
	srv := startServer(t)
	d := srv.dialer(t)
	clock := newClock()
	state := filepath.Join(dest, "state")
	if err := os.RemoveAll(dest); err != nil {
		t.Fatal(err)
	}
	o := openOutbox(t, state, clock)
	cfg, tm := testConfig(t), testTemplates(t)
	compose := func(period string, headcount int, to ...string) *Message {
		s := testSummary()
		s.Period, s.Total.Headcount = period, headcount
		c := *cfg
		if len(to) > 0 {
			c.Serve.Mail.To = to
		}
		m, err := ReportMessage(s, &c, nil, tm)
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	manifest := map[string]string{}
	enqueue := func(role string, m *Message) string {
		id, dup, err := o.Enqueue(m)
		if err != nil || dup {
			t.Fatalf("%s: %v %v", role, dup, err)
		}
		manifest[role] = id
		manifest[role+".message_id"] = "<" + m.MessageID() + ">"
		clock.Advance(time.Second)
		return id
	}
	box := filepath.Join(state, "outbox")
	move := func(from, to string) {
		t.Helper()
		if err := os.Rename(from, to); err != nil {
			t.Fatal(err)
		}
	}

	// sent_no_eml: sent; its .eml later deleted to save space.
	enqueue("sent_no_eml", compose("2023-01", 380))
	deliver(t, o, d)
	// sent: sent, untouched.
	enqueue("sent", compose("2023-05", 384))
	deliver(t, o, d)
	// sent_in_pending: sent; the process later "dies" before the move to sent/.
	enqueue("sent_in_pending", compose("2023-06", 385))
	deliver(t, o, d)
	// held: the server refuses its recipient (550): held until the next start.
	srv.rejectTo["truongphong@snv.soctrang.gov.vn"] = true
	enqueue("held", compose("2023-08", 387, "Trưởng phòng <truongphong@snv.soctrang.gov.vn>"))
	deliver(t, o, d)
	// retry: refused with 451 once: queued, one attempt, next attempt a minute later.
	srv.failNext(&smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "Hệ thống bận, thử lại sau"})
	enqueue("retry", compose("2023-03", 381))
	deliver(t, o, d)
	// queued: never tried.
	enqueue("queued", compose("2023-09", 388))
	// replaced_old and replaced_new: one key, a crash while the newer replaced the
	// older left both.
	old := enqueue("replaced_old", compose("2023-02", 382))
	keep := t.TempDir()
	for _, ext := range []string{".eml", ".json"} {
		data, err := os.ReadFile(filepath.Join(box, FolderPending, old+ext))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(keep, old+ext), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	enqueue("replaced_new", compose("2023-02", 383))
	// no_status: the process died between writing the .eml and its status.
	enqueue("no_status", compose("2023-04", 386))

	// sending: the server accepted it and the process died before recording it
	// (its own folder: any later pass of o would repair it).
	state2 := filepath.Join(t.TempDir(), "state")
	o2 := openOutbox(t, state2, clock)
	m := compose("2023-07", 386)
	id, _, err := o2.Enqueue(m)
	if err != nil {
		t.Fatal(err)
	}
	manifest["sending"], manifest["sending.message_id"] = id, "<"+m.MessageID()+">"
	deliverAndCrash(t, o2, &crashDialer{Dialer: d, afterReply: true})

	// The crash states, made by hand from the files the outbox wrote.
	for _, ext := range []string{".eml", ".json"} {
		move(filepath.Join(state2, "outbox", FolderPending, id+ext), filepath.Join(box, FolderPending, id+ext))
		move(filepath.Join(keep, old+ext), filepath.Join(box, FolderPending, old+ext))
		move(filepath.Join(box, FolderSent, manifest["sent_in_pending"]+ext), filepath.Join(box, FolderPending, manifest["sent_in_pending"]+ext))
	}
	if err := os.Remove(filepath.Join(box, FolderSent, manifest["sent_no_eml"]+".eml")); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(filepath.Join(box, FolderPending, manifest["no_status"]+".json")); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(box, FolderPending, ".x.eml.tmp-123"), []byte("half"), 0o644); err != nil {
		t.Fatal(err)
	}
	manifest["server_received"] = string(rune('0' + len(srv.messages())))
	data, err := json.MarshalIndent(manifest, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dest, "manifest.json"), append(data, '\n'), 0o644); err != nil {
		t.Fatal(err)
	}
}
