package mail

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"mime"
	"net/mail"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"canbo/pipeline/history"
	"canbo/pipeline/internal/filelock"
	"canbo/pipeline/outfile"
)

// The outbox of canbo before the history database kept it: the folder STATE/outbox/,
// with pending/<id>.eml + <id>.json (the status, an Entry as JSON) until delivery and
// sent/ after, and outbox.lock against two deliveries at once. An office upgrading
// canbo has one, maybe left by a crash in any state that outbox knew how to repair.
// It is read here, exactly as that outbox read it, and imported.

// legacyFolder is the outbox folder of older canbo versions, in STATE.
const legacyFolder = "outbox"

// legacyEntry is a message of the folder and where its bytes are ("" if they are
// gone: a sent message whose .eml was deleted to save space).
type legacyEntry struct {
	Entry
	eml string
}

// importFolder moves STATE/outbox/ into the database:
//
//  1. the folder's lock is taken, as that outbox took it: an older canbo delivering
//     from it right now makes this ErrBusy (tried again at the next call);
//  2. its messages are read with their crash states resolved as that outbox resolved
//     them (a status saying sent still in pending/ is sent; a status whose .eml is in
//     sent/ is sent; an .eml without status is described from its headers; of two
//     never-tried messages of one key the newer stays; temporary files are skipped);
//     "sending" stays "sending", for the first delivery pass to find as a crash
//     mid-send and resend as uncertain with the same Message-ID;
//  3. they are inserted with their bytes in one transaction, each unless its id is
//     already there;
//  4. only after the commit, the folder is renamed STATE/outbox.imported-YYYYMMDD
//     (kept, not deleted: it is the office's copy of what was there).
//
// A crash between 3 and 4 leaves the folder in place and its messages in the
// database; the next import inserts nothing new (by id) and renames it: a message
// sent since is not made pending again, nothing is sent twice.
func (o *Outbox) importFolder() error {
	if o.state == "" {
		return nil
	}
	dir := filepath.Join(o.state, legacyFolder)
	if _, err := os.Stat(filepath.Join(dir, FolderPending)); errors.Is(err, fs.ErrNotExist) {
		if _, err := os.Stat(filepath.Join(dir, FolderSent)); errors.Is(err, fs.ErrNotExist) {
			return nil
		}
	}
	unlock, err := filelock.Lock(filepath.Join(dir, "outbox.lock"))
	switch {
	case errors.Is(err, filelock.ErrLocked):
		return ErrBusy
	case errors.Is(err, fs.ErrNotExist):
		return nil // moved away by another process's import a moment ago
	case err != nil:
		return fmt.Errorf("khóa hộp thư đi cũ %s: %w", dir, err)
	}
	entries, err := scanLegacy(dir, o.log())
	if err != nil {
		_ = unlock()
		return err
	}
	added := 0
	err = o.write(context.Background(), func(tx *history.OutboxTx) error {
		added = 0
		for _, e := range entries {
			var raw []byte
			if e.eml != "" {
				if raw, err = os.ReadFile(e.eml); err != nil {
					return fmt.Errorf("đọc thư %s của hộp thư đi cũ: %w", e.eml, err)
				}
			}
			ok, err := tx.Insert(e.row(), raw)
			if err != nil {
				return err
			}
			if ok {
				added++
			}
		}
		return nil
	})
	// Unlocked before the rename: Windows does not rename a folder with an open file.
	if uerr := unlock(); err == nil && uerr != nil {
		err = fmt.Errorf("mở khóa hộp thư đi cũ %s: %w", dir, uerr)
	}
	if err != nil {
		return fmt.Errorf("chuyển hộp thư đi cũ %s vào %s: %w", dir, history.FileName, err)
	}
	aside, err := o.setAside(dir)
	if err != nil {
		return err
	}
	o.log().Warn("đã chuyển hộp thư đi cũ vào cơ sở dữ liệu; thư mục cũ được giữ lại, có thể xóa khi đã kiểm tra bằng canbo status",
		"messages", len(entries), "new", added, "db", history.FileName, "folder", aside)
	return nil
}

// setAside renames the imported folder to outbox.imported-YYYYMMDD (-2, -3… if that
// is taken) and makes the rename durable.
func (o *Outbox) setAside(dir string) (string, error) {
	base := dir + ".imported-" + o.now().Format("20060102")
	for n := 1; ; n++ {
		aside := base
		if n > 1 {
			aside = fmt.Sprintf("%s-%d", base, n)
		}
		if _, err := os.Lstat(aside); err == nil {
			continue
		}
		if err := os.Rename(dir, aside); err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return "", nil // another process set it aside first
			}
			return "", fmt.Errorf("đổi tên hộp thư đi cũ %s: %w", dir, err)
		}
		return aside, outfile.SyncDir(filepath.Dir(dir))
	}
}

// legacyEntries lists the messages of an outbox folder not yet imported, for Status.
func (o *Outbox) legacyEntries() ([]legacyEntry, error) {
	if o.state == "" {
		return nil, nil
	}
	dir := filepath.Join(o.state, legacyFolder)
	if _, err := os.Stat(dir); errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	return scanLegacy(dir, o.log())
}

// scanLegacy reads every message of an outbox folder, changing nothing. A status
// that cannot be read is rebuilt from its .eml's headers; a message that cannot be
// read at all is left out with a warning (its files stay in the folder set aside).
func scanLegacy(dir string, log *slog.Logger) ([]legacyEntry, error) {
	var out []legacyEntry
	seen := map[string]bool{}
	for _, folder := range []string{FolderPending, FolderSent} {
		names, err := os.ReadDir(filepath.Join(dir, folder))
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("đọc hộp thư đi cũ: %w", err)
		}
		ids := map[string]bool{}
		for _, n := range names {
			name := n.Name()
			if strings.HasPrefix(name, ".") || n.IsDir() {
				continue // temporary files of interrupted writes
			}
			if ext := filepath.Ext(name); ext == ".eml" || ext == ".json" {
				ids[strings.TrimSuffix(name, ext)] = true
			}
		}
		sorted := make([]string, 0, len(ids))
		for id := range ids {
			sorted = append(sorted, id)
		}
		sort.Strings(sorted)
		for _, id := range sorted {
			if seen[id] {
				continue // status left in pending/ while the .eml is already in sent/
			}
			e, err := loadLegacy(dir, folder, id)
			if err != nil && exists(filepath.Join(dir, folder, id+".eml")) {
				log.Warn("tệp trạng thái thư hỏng; dựng lại từ tệp .eml", "id", id, "err", err)
				e, err = describeLegacy(folder, id, filepath.Join(dir, folder, id+".eml"))
			}
			if err != nil {
				log.Error("bỏ qua thư không đọc được trong hộp thư đi cũ", "folder", folder, "id", id, "err", err)
				continue
			}
			if e == nil {
				continue
			}
			seen[id] = true
			out = append(out, *e)
		}
	}
	// One never-tried pending message per key (a crash while one replaced another
	// left two): the newest stays.
	newest := map[string]*legacyEntry{}
	for i := range out {
		e := &out[i]
		if e.State == StateSent || e.State == StateSending || e.Uncertain {
			continue
		}
		if n := newest[e.Key]; n == nil || n.Created.Before(e.Created) {
			newest[e.Key] = e
		}
	}
	kept := out[:0]
	for i := range out {
		e := out[i]
		if n := newest[e.Key]; n != nil && n.ID != e.ID && e.State != StateSent && e.State != StateSending && !e.Uncertain {
			continue
		}
		kept = append(kept, e)
	}
	sort.SliceStable(kept, func(i, j int) bool { return entryLess(&kept[i].Entry, &kept[j].Entry) })
	return kept, nil
}

// loadLegacy reads one message's status; a missing status is rebuilt from the .eml's
// headers (the process died between writing the two). nil, nil: nothing to import.
func loadLegacy(dir, folder, id string) (*legacyEntry, error) {
	path := func(folder, ext string) string { return filepath.Join(dir, folder, id+ext) }
	eml := path(folder, ".eml")
	data, err := os.ReadFile(path(folder, ".json"))
	switch {
	case err == nil:
		e := &legacyEntry{eml: eml}
		if err := json.Unmarshal(data, &e.Entry); err != nil {
			return nil, err
		}
		if !exists(eml) {
			switch {
			case folder == FolderSent:
				// Someone deleted an old .eml to save space: the status alone
				// still says the period was sent.
				e.eml = ""
			case exists(path(FolderSent, ".eml")):
				// The .eml went ahead to sent/ and the process died before the status followed.
				folder, e.eml = FolderSent, path(FolderSent, ".eml")
			default:
				return nil, nil // a status whose message was being removed
			}
		}
		if folder == FolderSent {
			e.State = StateSent
		}
		e.setFolder()
		return e, nil
	case errors.Is(err, fs.ErrNotExist):
		return describeLegacy(folder, id, eml)
	default:
		return nil, err
	}
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

// describeLegacy rebuilds a status from an .eml's own headers.
func describeLegacy(folder, id, eml string) (*legacyEntry, error) {
	f, err := os.Open(eml)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	msg, err := mail.ReadMessage(f)
	if err != nil {
		return nil, err
	}
	h := msg.Header
	var dec mime.WordDecoder
	text := func(k string) string {
		v, err := dec.DecodeHeader(h.Get(k))
		if err != nil {
			return h.Get(k)
		}
		return v
	}
	m := Message{Kind: h.Get(headerKind), Period: h.Get(headerPeriod), Unit: text(headerUnit), Ref: h.Get(headerRef)}
	e := &legacyEntry{eml: eml, Entry: Entry{ID: id, Key: m.Key(), Kind: m.Kind, Period: m.Period, Unit: m.Unit,
		MessageID: h.Get("Message-Id"), Subject: text("Subject"), Size: st.Size(), State: StateQueued,
		Created: st.ModTime()}} // never tried: due at once
	if folder == FolderSent {
		e.State = StateSent
	}
	e.setFolder()
	if a, err := mail.ParseAddress(h.Get("From")); err == nil {
		e.From = a.Address
	}
	for _, k := range []string{"To", "Cc"} {
		if h.Get(k) == "" {
			continue
		}
		list, err := h.AddressList(k)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", k, err)
		}
		for _, a := range list {
			e.Recipients = append(e.Recipients, a.Address)
		}
	}
	return e, nil
}

func entryLess(a, b *Entry) bool {
	if !a.Created.Equal(b.Created) {
		return a.Created.Before(b.Created)
	}
	return a.ID < b.ID
}

func sortEntries(es []Entry) {
	sort.SliceStable(es, func(i, j int) bool { return entryLess(&es[i], &es[j]) })
}
