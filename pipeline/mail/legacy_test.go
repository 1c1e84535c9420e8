package mail

import (
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"canbo/pipeline/internal/filelock"
)

// fixtureV1 copies testdata/outbox-v1/state (an outbox folder written by the file
// outbox, see its README) into a new STATE and returns it with the manifest.
func fixtureV1(t *testing.T) (state string, man map[string]string) {
	t.Helper()
	state = t.TempDir()
	copyTree(t, filepath.Join("testdata", "outbox-v1", "state", legacyFolder), filepath.Join(state, legacyFolder))
	data, err := os.ReadFile(filepath.Join("testdata", "outbox-v1", "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &man); err != nil {
		t.Fatal(err)
	}
	return state, man
}

func copyTree(t *testing.T, from, to string) {
	t.Helper()
	err := filepath.WalkDir(from, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, path)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(to, rel), 0o755)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(to, rel), data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// fixtureEML is a message's .eml as the folder holds it.
func fixtureEML(t *testing.T, id string) []byte {
	t.Helper()
	for _, folder := range []string{FolderPending, FolderSent} {
		if data, err := os.ReadFile(filepath.Join("testdata", "outbox-v1", "state", legacyFolder, folder, id+".eml")); err == nil {
			return data
		}
	}
	t.Fatalf("no .eml for %s in the fixture", id)
	return nil
}

// toSend and notToSend are the fixture's roles by what the first pass after the
// import must do with them (testdata/outbox-v1/README.md).
var (
	toSend    = []string{"queued", "retry", "held", "no_status", "sending", "replaced_new"}
	notToSend = []string{"sent", "sent_no_eml", "sent_in_pending"}
)

// TestImportOutboxV1: an office upgrades with an outbox folder left by the file
// outbox and a crash. Status lists the folder without touching it; the first pass
// imports it — every message, its bytes, its state — sets the folder aside, and sends
// what was still to send, once: sent messages are not sent again, the one cut off
// mid-send goes again with its Message-ID (uncertain), the held one is retried, of
// two messages of one key only the newer goes. A restart sends nothing more, and a
// re-run's message for a period already in the folder is a duplicate.
func TestImportOutboxV1(t *testing.T) {
	srv := startServer(t)
	d := srv.dialer(t)
	state, man := fixtureV1(t)
	clock := newClock()
	clock.Advance(time.Hour) // 08:00: the 451's retry is due
	o := openOutbox(t, state, clock)

	before := status(t, o)
	if len(before) != len(toSend)+len(notToSend) {
		t.Fatalf("status of the folder lists %d messages: %+v", len(before), before)
	}
	if _, err := os.Stat(filepath.Join(state, legacyFolder, FolderPending)); err != nil {
		t.Fatalf("Status moved the folder: %v", err)
	}

	sent, failed := deliver(t, o, d)
	if sent != len(toSend) || failed != 0 {
		t.Fatalf("sent %d, failed %d; want %d, 0", sent, failed, len(toSend))
	}
	got := map[string][]byte{}
	for _, r := range srv.messages() {
		id := parseEML(t, r.Data).Header.Get("X-Canbo-Id")
		if got[id] != nil {
			t.Errorf("%s received twice", id)
		}
		got[id] = r.Data
	}
	for _, role := range toSend {
		id := man[role]
		if string(got[id]) != string(fixtureEML(t, id)) {
			t.Errorf("%s (%s): received %d bytes, not the folder's .eml", role, id, len(got[id]))
		}
	}
	if len(got) != len(toSend) {
		t.Errorf("received %d distinct messages, want %d", len(got), len(toSend))
	}

	after := map[string]Entry{}
	for _, e := range status(t, o) {
		after[e.ID] = e
		if e.State != StateSent || e.Folder != FolderSent {
			t.Errorf("%s is %s", e.ID, e.State)
		}
	}
	if _, ok := after[man["replaced_old"]]; ok || len(after) != len(before) {
		t.Errorf("after the pass the outbox holds %d messages (the replaced one: %v)", len(after), ok)
	}
	if e := after[man["sending"]]; !e.Uncertain || e.Attempts != 2 || e.MessageID != man["sending.message_id"] ||
		parseEML(t, got[e.ID]).Header.Get("Message-Id") != e.MessageID {
		t.Errorf("the message cut off mid-send: %+v", e)
	}
	if e := after[man["held"]]; e.Attempts != 2 || !strings.Contains(e.LastError, "550") {
		t.Errorf("the held message: %+v", e)
	}
	if e := after[man["sent"]]; e.Attempts != 1 || !strings.HasPrefix(e.Response, "250") || !e.SentAt.Before(clock.Now()) {
		t.Errorf("the sent message lost its record: %+v", e)
	}
	if raw, err := o.EML(man["sent_no_eml"]); err != nil || raw != nil {
		t.Errorf("a sent message without .eml has %d bytes (%v)", len(raw), err)
	}
	if raw, err := o.EML(man["sent"]); err != nil || string(raw) != string(fixtureEML(t, man["sent"])) {
		t.Errorf("the sent message's bytes were not imported (%v)", err)
	}

	if _, err := os.Stat(filepath.Join(state, legacyFolder)); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("the folder is still there: %v", err)
	}
	aside := filepath.Join(state, legacyFolder+".imported-20231001")
	if names := files(t, filepath.Join(aside, FolderPending)); len(names) == 0 {
		t.Error("the folder set aside is empty")
	}

	// A restart: nothing more; the same report again is a duplicate.
	o2 := openOutbox(t, state, clock)
	clock.Advance(24 * time.Hour)
	if sent, failed := deliver(t, o2, d); sent+failed != 0 || len(srv.messages()) != len(toSend) {
		t.Errorf("after a restart: sent %d, failed %d", sent, failed)
	}
	if id, dup, err := o2.Enqueue(periodMessage(t, "2023-09", 388)); err != nil || !dup || id != man["queued"] {
		t.Errorf("the folder's queued report enqueued again: %q %v %v", id, dup, err)
	}
}

// TestImportInterrupted: canbo died after the import's commit and before the folder
// was set aside, and the next start finds the folder again — after the first had
// already sent its mail. Nothing is sent a second time, nothing is lost; the folder is
// set aside under the next free name.
func TestImportInterrupted(t *testing.T) {
	srv := startServer(t)
	d := srv.dialer(t)
	state, _ := fixtureV1(t)
	clock := newClock()
	clock.Advance(time.Hour)
	if sent, _ := deliver(t, openOutbox(t, state, clock), d); sent != len(toSend) {
		t.Fatalf("sent %d", sent)
	}
	// The folder as it was before the rename.
	copyTree(t, filepath.Join("testdata", "outbox-v1", "state", legacyFolder), filepath.Join(state, legacyFolder))

	o := openOutbox(t, state, clock)
	if sent, failed := deliver(t, o, d); sent+failed != 0 || len(srv.messages()) != len(toSend) {
		t.Fatalf("the second import sent %d (failed %d); the server has %d", sent, failed, len(srv.messages()))
	}
	es := status(t, o)
	if len(es) != len(toSend)+len(notToSend) {
		t.Errorf("%d messages after the second import", len(es))
	}
	for _, e := range es {
		if e.State != StateSent {
			t.Errorf("%s is %s again", e.ID, e.State)
		}
	}
	for _, name := range []string{legacyFolder + ".imported-20231001", legacyFolder + ".imported-20231001-2"} {
		if _, err := os.Stat(filepath.Join(state, name)); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	if _, err := os.Stat(filepath.Join(state, legacyFolder)); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("the folder is still there: %v", err)
	}
}

// TestImportWaitsForAnOlderCanbo: an older canbo delivering from the folder (its lock
// taken) makes the import wait: ErrBusy, nothing queued or moved; once it is done, the
// import goes ahead.
func TestImportWaitsForAnOlderCanbo(t *testing.T) {
	state, man := fixtureV1(t)
	clock := newClock()
	o := openOutbox(t, state, clock)
	unlock, err := filelock.Lock(filepath.Join(state, legacyFolder, "outbox.lock"))
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := o.Enqueue(periodMessage(t, "2023-09", 400)); !errors.Is(err, ErrBusy) {
		t.Fatalf("Enqueue while an older canbo delivers = %v, want ErrBusy", err)
	}
	if _, err := os.Stat(filepath.Join(state, legacyFolder, FolderPending)); err != nil {
		t.Fatal("the folder moved under the older canbo")
	}
	if err := unlock(); err != nil {
		t.Fatal(err)
	}
	// 2023-09's report is in the folder, never tried: the new one replaces it.
	id, dup, err := o.Enqueue(periodMessage(t, "2023-09", 400))
	if err != nil || dup {
		t.Fatalf("Enqueue after = %v %v", dup, err)
	}
	for _, e := range status(t, o) {
		if e.ID == man["queued"] {
			t.Errorf("the folder's 2023-09 report is still queued beside %s", id)
		}
	}
}

// TestImportDamagedStatus: a status file that cannot be read (cut short by a disk
// error) does not stop the import or lose its message: the message is described from
// its .eml and sent; an .eml that cannot be read is left out, the rest goes.
func TestImportDamagedStatus(t *testing.T) {
	srv := startServer(t)
	state, man := fixtureV1(t)
	pending := filepath.Join(state, legacyFolder, FolderPending)
	if err := os.WriteFile(filepath.Join(pending, man["queued"]+".json"), []byte(`{"id": "rep`), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(pending, man["no_status"]+".eml"), []byte("not a message"), 0o644); err != nil {
		t.Fatal(err)
	}
	clock := newClock()
	clock.Advance(time.Hour)
	o := openOutbox(t, state, clock)
	if sent, failed := deliver(t, o, srv.dialer(t)); sent != len(toSend)-1 || failed != 0 {
		t.Fatalf("sent %d, failed %d", sent, failed)
	}
	queued := false
	for _, r := range srv.messages() {
		if parseEML(t, r.Data).Header.Get("X-Canbo-Id") == man["queued"] {
			queued = true
		}
	}
	if !queued {
		t.Error("the message with a damaged status was not sent")
	}
}
