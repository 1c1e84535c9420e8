package inbox

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/fsnotify/fsnotify"
)

// Candidate is a file in the inbox that has been stable for Options.StableFor.
type Candidate struct {
	Path    string    // the file
	Rel     string    // its path inside the inbox, "/"-separated: "huyen-ke-sach/xa-an-lac.xlsx"
	Size    int64     // size and modification time when it was found stable; Take
	ModTime time.Time // refuses the file (ErrChanged) if they have changed since
	Since   time.Time // when this size and time were first seen
}

// Group is the inbox sub-folder the file was dropped in ("" at the top), as
// ingest names groups.
func (c Candidate) Group() string {
	if d := filepath.ToSlash(filepath.Dir(filepath.FromSlash(c.Rel))); d != "." {
		return d
	}
	return ""
}

// NewCandidate describes a file of the inbox as it is now, for a caller that wants to
// take one file without waiting for it to be stable (tests, a manual re-take).
func NewCandidate(inboxDir, path string) (Candidate, error) {
	info, err := os.Stat(path)
	if err != nil {
		return Candidate{}, err
	}
	root, err := filepath.Abs(inboxDir)
	if err != nil {
		return Candidate{}, err
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return Candidate{}, err
	}
	rel, err := filepath.Rel(root, abs)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		rel = filepath.Base(abs)
	}
	return Candidate{Path: abs, Rel: filepath.ToSlash(rel), Size: info.Size(), ModTime: info.ModTime(), Since: info.ModTime()}, nil
}

// Watcher finds stable files in the inbox. Scan and Due are its two steps; Run loops
// over them with change events and a timer. A Watcher is used by one goroutine.
type Watcher struct {
	opt     Options
	root    string
	skip    []string
	files   map[string]*tracked // by path
	noted   map[string]string   // files passed over, logged once: path → why
	fsw     *fsnotify.Watcher
	watched map[string]bool // folders given to fsw
}

type tracked struct {
	size  int64
	mod   time.Time
	since time.Time // when this size and time were first seen
	after time.Time // retry not before (after a failed take)
	tries int
}

// Watch watches opt.Inbox and calls handle, one file at a time, for every file that
// has become stable. A file for which handle returns an error (ErrBusy: Excel holds it)
// is offered again after opt.Rescan; one for which it returns nil is forgotten, and
// offered again only if it is still there and stable at a later look (a take that
// could not remove it). Watch returns nil when ctx is done; it does not stop because the
// inbox is unreachable for a while (a share that went away), only logs it.
func Watch(ctx context.Context, opt Options, handle func(context.Context, Candidate) error) error {
	w, err := NewWatcher(opt)
	if err != nil {
		return err
	}
	return w.Run(ctx, handle)
}

// NewWatcher prepares a watcher on opt.Inbox, creating the folder if it is missing.
func NewWatcher(opt Options) (*Watcher, error) {
	opt = opt.withDefaults()
	if opt.Inbox == "" {
		return nil, errors.New("inbox: chưa cấu hình thư mục nhận tệp (inbox)")
	}
	root, err := filepath.Abs(opt.Inbox)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(root, 0o755); err != nil {
		opt.Log.Warn("không tạo được thư mục nhận tệp; sẽ thử lại", "inbox", root, "err", err)
	}
	w := &Watcher{opt: opt, root: root, files: map[string]*tracked{}, noted: map[string]string{}, watched: map[string]bool{}}
	for _, d := range append([]string{opt.Archive, opt.Quarantine, opt.Out}, opt.Skip...) {
		if d == "" {
			continue
		}
		if abs, err := filepath.Abs(d); err == nil {
			w.skip = append(w.skip, abs)
		}
	}
	return w, nil
}

// Pending returns the files being watched that have not been offered yet, sorted.
func (w *Watcher) Pending() []string {
	out := make([]string, 0, len(w.files))
	for p := range w.files {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}

// skipDir reports whether a folder inside the inbox is never looked into.
func (w *Watcher) skipDir(path string) bool {
	if samePath(path, w.root) {
		return false
	}
	if skipDirName(filepath.Base(path)) {
		return true
	}
	for _, s := range w.skip {
		if samePath(path, s) {
			return true
		}
	}
	return false
}

// Scan walks the whole inbox: it notes new and changed files, forgets files that are
// gone, and (while Run is running) puts a change watch on every folder.
func (w *Watcher) Scan() error {
	seen := map[string]bool{}
	dirs := map[string]bool{}
	err := filepath.WalkDir(w.root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == w.root {
				return err
			}
			w.opt.Log.Warn("không đọc được trong thư mục nhận tệp", "path", p, "err", err)
			if d != nil && d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			if w.skipDir(p) {
				return filepath.SkipDir
			}
			dirs[p] = true
			return nil
		}
		if !d.Type().IsRegular() {
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return nil // gone meanwhile
		}
		seen[p] = true
		w.observe(p, info)
		return nil
	})
	if err != nil {
		return fmt.Errorf("quét thư mục nhận tệp %s: %w", w.root, err)
	}
	for p := range w.files {
		if !seen[p] {
			delete(w.files, p)
		}
	}
	for p := range w.noted {
		if !seen[p] {
			delete(w.noted, p)
		}
	}
	w.syncWatches(dirs)
	return nil
}

// observe records what a file looks like now.
func (w *Watcher) observe(path string, info fs.FileInfo) {
	if why := skipFile(info.Name(), info); why != "" {
		delete(w.files, path)
		if w.noted[path] != why {
			w.noted[path] = why
			level := slog.LevelDebug // lock and temporary files come and go all day
			if why == skipOther || why == skipEmpty {
				level = slog.LevelInfo
			}
			w.opt.Log.Log(context.Background(), level, "bỏ qua tệp trong thư mục nhận", "file", w.rel(path), "why", why)
		}
		return
	}
	delete(w.noted, path)
	t := w.files[path]
	if t != nil && t.size == info.Size() && t.mod.Equal(info.ModTime()) {
		return
	}
	// New, or changed: the wait for stability starts again, and a file that failed
	// before is tried as soon as it is stable.
	w.files[path] = &tracked{size: info.Size(), mod: info.ModTime(), since: w.opt.Clock.Now()}
}

func (w *Watcher) rel(path string) string {
	if r, err := filepath.Rel(w.root, path); err == nil {
		return filepath.ToSlash(r)
	}
	return path
}

// Due returns the files that have been stable for StableFor, oldest first. Each is
// looked at again on disk first: one that changed starts its wait again, one that is
// gone is forgotten.
func (w *Watcher) Due() []Candidate {
	now := w.opt.Clock.Now()
	var out []Candidate
	for path, t := range w.files {
		if now.Sub(t.since) < w.opt.StableFor || now.Before(t.after) {
			continue
		}
		info, err := os.Stat(path)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			delete(w.files, path)
			continue
		case err != nil:
			continue // a share that is away: try again later
		}
		if info.Size() != t.size || !info.ModTime().Equal(t.mod) {
			w.observe(path, info)
			continue
		}
		out = append(out, Candidate{Path: path, Rel: w.rel(path), Size: t.size, ModTime: t.mod, Since: t.since})
	}
	sort.Slice(out, func(i, j int) bool {
		if !out[i].Since.Equal(out[j].Since) {
			return out[i].Since.Before(out[j].Since)
		}
		return out[i].Path < out[j].Path
	})
	return out
}

// Done records the outcome of handling c. After a success the file is forgotten; after
// a failure it is offered again once Rescan has passed.
func (w *Watcher) Done(c Candidate, err error) {
	t := w.files[c.Path]
	if t == nil {
		return
	}
	if err == nil || errors.Is(err, fs.ErrNotExist) {
		delete(w.files, c.Path)
		return
	}
	t.tries++
	t.after = w.opt.Clock.Now().Add(w.opt.Rescan)
	switch {
	case errors.Is(err, ErrBusy):
		w.opt.Log.Info("tệp đang được mở hoặc sao chép, sẽ thử lại", "file", c.Rel, "tries", t.tries, "err", err)
	case errors.Is(err, ErrChanged):
		w.opt.Log.Info("tệp vừa thay đổi, chờ tệp ổn định", "file", c.Rel)
		delete(w.files, c.Path) // observed afresh at the next look
	default:
		w.opt.Log.Warn("chưa nhận được tệp, sẽ thử lại", "file", c.Rel, "tries", t.tries, "err", err)
	}
}

// Drain takes, once, every file in the inbox: it looks, waits for each file to stay
// unchanged for StableFor as Run does, hands it to handle, and returns when none is
// left or three times StableFor has passed. left lists the files still changing or
// failing then, relative to the inbox, for the caller to name. It is the inbox part
// of `canbo serve --once`.
func (w *Watcher) Drain(ctx context.Context, handle func(context.Context, Candidate) error) (left []string, err error) {
	if err := w.Scan(); err != nil {
		return nil, err
	}
	deadline := w.opt.Clock.Now().Add(3 * w.opt.StableFor)
	for {
		for _, c := range w.Due() {
			if ctx.Err() != nil {
				return w.left(), ctx.Err()
			}
			w.Done(c, handle(ctx, c))
		}
		now := w.opt.Clock.Now()
		if len(w.files) == 0 || !now.Before(deadline) {
			return w.left(), nil
		}
		// At least a moment between looks: a file on a share that is away stays due.
		wait := max(w.next(deadline).Sub(now), 100*time.Millisecond)
		select {
		case <-ctx.Done():
			return w.left(), ctx.Err()
		case <-w.opt.Clock.After(wait):
		}
		if err := w.Scan(); err != nil {
			return w.left(), err
		}
	}
}

// left is the files still watched, relative to the inbox, sorted.
func (w *Watcher) left() []string {
	var out []string
	for _, p := range w.Pending() {
		out = append(out, w.rel(p))
	}
	return out
}

// next is when Run must look again: the next rescan, or the moment a pending file
// becomes due.
func (w *Watcher) next(rescan time.Time) time.Time {
	at := rescan
	for _, t := range w.files {
		due := t.since.Add(w.opt.StableFor)
		if t.after.After(due) {
			due = t.after
		}
		if due.Before(at) {
			at = due
		}
	}
	return at
}

// Run watches until ctx is done: a scan at once and every Rescan, change events in
// between, and handle for each file as it becomes due.
func (w *Watcher) Run(ctx context.Context, handle func(context.Context, Candidate) error) error {
	fsw, err := fsnotify.NewWatcher()
	if err != nil {
		w.opt.Log.Warn("không theo dõi được thay đổi tệp; chỉ quét định kỳ", "err", err)
	} else {
		w.fsw = fsw
		defer func() {
			fsw.Close()
			w.fsw, w.watched = nil, map[string]bool{}
		}()
	}
	var events <-chan fsnotify.Event
	var errs <-chan error
	if w.fsw != nil {
		events, errs = w.fsw.Events, w.fsw.Errors
	}
	clock := w.opt.Clock
	rescan := clock.Now()
	for {
		if ctx.Err() != nil {
			return nil
		}
		if now := clock.Now(); !now.Before(rescan) {
			if err := w.Scan(); err != nil {
				w.opt.Log.Warn("không quét được thư mục nhận tệp; sẽ thử lại", "err", err)
			}
			rescan = now.Add(w.opt.Rescan)
		}
		for _, c := range w.Due() {
			if ctx.Err() != nil {
				return nil
			}
			w.Done(c, handle(ctx, c))
		}
		wait := w.next(rescan).Sub(clock.Now())
		if wait < time.Millisecond {
			wait = time.Millisecond
		}
		select {
		case <-ctx.Done():
			return nil
		case ev, ok := <-events:
			if !ok {
				events = nil
				continue
			}
			w.event(ev)
		case err, ok := <-errs:
			if !ok {
				errs = nil
				continue
			}
			w.opt.Log.Warn("lỗi theo dõi thay đổi tệp; quét lại toàn bộ", "err", err)
			rescan = clock.Now()
		case <-clock.After(wait):
		}
	}
}

// event notes one change event. A new folder is watched and walked (a folder moved in
// arrives whole, with no event for its files).
func (w *Watcher) event(ev fsnotify.Event) {
	p := filepath.Clean(ev.Name)
	if ev.Has(fsnotify.Remove) || ev.Has(fsnotify.Rename) {
		w.forget(p)
	}
	info, err := os.Lstat(p)
	if err != nil {
		return
	}
	if info.IsDir() {
		if w.skipDir(p) || w.watched[p] {
			return
		}
		w.walk(p)
		return
	}
	if info.Mode().IsRegular() && !w.under(p) {
		w.observe(p, info)
	}
}

// under reports whether path lies in a skipped folder.
func (w *Watcher) under(path string) bool {
	for d := filepath.Dir(path); len(d) > len(w.root); d = filepath.Dir(d) {
		if w.skipDir(d) {
			return true
		}
		if nd := filepath.Dir(d); nd == d {
			break
		}
	}
	return false
}

// walk notes everything under a folder that appeared.
func (w *Watcher) walk(dir string) {
	if w.under(dir) {
		return
	}
	_ = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		if d.IsDir() {
			if w.skipDir(p) {
				return filepath.SkipDir
			}
			w.addWatch(p)
			return nil
		}
		if info, err := d.Info(); err == nil && info.Mode().IsRegular() {
			w.observe(p, info)
		}
		return nil
	})
}

// forget drops a path that was removed or renamed, and everything under it.
func (w *Watcher) forget(path string) {
	prefix := path + string(filepath.Separator)
	for p := range w.files {
		if p == path || strings.HasPrefix(p, prefix) {
			delete(w.files, p)
		}
	}
	for p := range w.watched {
		if p == path || strings.HasPrefix(p, prefix) {
			delete(w.watched, p)
			if w.fsw != nil {
				_ = w.fsw.Remove(p)
			}
		}
	}
}

func (w *Watcher) addWatch(dir string) {
	if w.fsw == nil || w.watched[dir] {
		return
	}
	if err := w.fsw.Add(dir); err != nil {
		w.opt.Log.Warn("không theo dõi được thư mục; chỉ quét định kỳ", "dir", dir, "err", err)
		return
	}
	w.watched[dir] = true
}

// syncWatches makes the watched folders the ones the last scan found.
func (w *Watcher) syncWatches(dirs map[string]bool) {
	if w.fsw == nil {
		return
	}
	for d := range w.watched {
		if !dirs[d] {
			_ = w.fsw.Remove(d)
			delete(w.watched, d)
		}
	}
	for d := range dirs {
		w.addWatch(d)
	}
}
