package inbox

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"canbo/pipeline/feedback"
	"canbo/pipeline/ingest"
	"canbo/pipeline/issue"
	"canbo/pipeline/normalize"
	"canbo/pipeline/outfile"
	"canbo/pipeline/textfold"
	"canbo/pipeline/units"
)

// Result statuses of a take.
const (
	Accepted  = "accepted"  // archived and current for its unit, period and datasets
	Rejected  = "rejected"  // quarantined with a note saying why
	Duplicate = "duplicate" // the same bytes were archived or quarantined before: not stored again
	// SupersededOlder: archived, but the archive already holds a newer file of the same
	// unit, period and datasets (a later "tính đến ngày" date), which stays current.
	SupersededOlder = "superseded-older"
)

// Result is what one take did, for `canbo serve` to log, record and mail.
type Result struct {
	Status string // Accepted, Rejected, Duplicate or SupersededOlder
	Source string // the inbox file taken
	Rel    string // its path inside the inbox, "/"-separated
	Name   string // its name, as the unit gave it (NFC)
	SHA256 string

	Unit     string   // accepted: the unit the file is for
	Period   string   // YYYY-MM the file counts in (rejected: the month it arrived)
	Datasets []string // roster, training…
	Rows     int      // records read
	Errors   int
	Warnings int

	// Archived is the stored copy: in the archive (accepted, superseded-older), in the
	// quarantine (rejected), or the earlier copy a duplicate matched.
	Archived string
	Record   string // Archived's record: its .json sidecar, or its .txt note in the quarantine

	Feedback     string     // the feedback workbook written for an accepted file with problems; "" for none
	Supersedes   []string   // accepted: archived files this one made superseded
	SupersededBy string     // superseded-older: the archived file that stays current
	Reason       issue.Code // rejected (or a duplicate of a rejected file): why
	// Why is a rejected file's reason alone, as its quarantine note gives it ("Tệp có
	// đặt mật khẩu…"): what a mail to the unit quotes, the same before and after a
	// restart. Message says the whole of what happened, for the log and the web page.
	Why        string
	Message    string // one Vietnamese sentence saying what happened
	ReceivedAt time.Time
	// Removed reports that the inbox copy was deleted. When false (Windows still held
	// the file) the copy is safe already; the file is seen again and removed as a
	// duplicate.
	Removed bool
	File    *ingest.File // what was read; nil for a duplicate, which is not read again
}

// Inbox takes files from the inbox into the archive or the quarantine. Its index of
// the sha256 sums already taken is read from the sidecars and notes by Open and kept
// in memory. Take may be called from several goroutines; takes run one at a time.
type Inbox struct {
	opt    Options
	reader *ingest.Reader

	mu       sync.Mutex
	known    map[string]*known // sha256 → the committed copy
	orphans  map[string]string // sha256 → a complete archived copy without its sidecar
	qorphans map[string]string // sha256 → a complete quarantined copy without its note
	unitDirs map[string]string // unitKey → the archive folder name the unit was first given
	// names are the unit names archived so far, by inbox sub-folder, in the order met,
	// and keys unitKey's answers, forgotten when names grows.
	names map[string][]string
	keys  map[units.Named]string
}

// unitKey is which unit a file's unit name in an inbox sub-folder means, for the
// archive folder it goes to and the feedback's name, as the report counts units
// (units.Identities): the folded name of the first name archived in the sub-folder
// that is the same unit — the same registered unit of units.yaml (an alias, a
// variant, its name before a rename), or an obvious variant ("UBND xã A", "Ủy ban
// nhân dân xã A"; "…, huyện Kon Rẫy" and "… - Kon Rẫy") — else its own folded name.
func (in *Inbox) unitKey(group, unit string) string {
	n := units.Named{Group: group, Name: unit}
	if k, ok := in.keys[n]; ok {
		return k
	}
	seen := in.names[group]
	list := make([]units.Named, len(seen)+1)
	for i, s := range seen {
		list[i] = units.Named{Group: group, Name: s}
	}
	list[len(seen)] = n
	ids := units.Identities(in.opt.Config.Units.Registry(), list)
	k := textfold.UnitKey(unit)
	if i := slices.Index(ids, ids[len(seen)]); i < len(seen) {
		k = textfold.UnitKey(seen[i])
	}
	in.keys[n] = k
	return k
}

// addName notes a unit name archived in an inbox sub-folder, for unitKey.
func (in *Inbox) addName(group, unit string) {
	if !slices.Contains(in.names[group], unit) {
		in.names[group] = append(in.names[group], unit)
		clear(in.keys)
	}
}

// known is a file taken before.
type known struct {
	quarantined bool
	path        string // the stored copy
	record      string // its sidecar or note
	side        Sidecar
	reason      issue.Code
}

// Open prepares the archive and quarantine folders and reads what they hold: the
// sidecars and notes become the index of known files; temporary files a crash left are
// removed; complete copies without a record (a crash between the rename and the
// sidecar) are remembered, to be adopted when their file is taken again; and the
// superseded_by marks of every period are brought in line with the files.
func Open(opt Options) (*Inbox, error) {
	opt = opt.withDefaults()
	switch {
	case opt.Inbox == "", opt.Archive == "", opt.Quarantine == "":
		return nil, errors.New("inbox: cần cấu hình đủ thư mục nhận tệp, lưu trữ và cách ly (inbox, archive, quarantine)")
	case opt.Config == nil || opt.Catalog == nil:
		return nil, errors.New("inbox: thiếu cấu hình đọc tệp hoặc danh mục lời nhắn")
	}
	for _, d := range []string{opt.Archive, opt.Quarantine} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return nil, fmt.Errorf("inbox: tạo thư mục %s: %w", d, err)
		}
	}
	in := &Inbox{
		opt:      opt,
		reader:   ingest.NewReader(normalize.New(opt.Config), ingest.Options{Now: opt.Clock.Now}),
		known:    map[string]*known{},
		orphans:  map[string]string{},
		qorphans: map[string]string{},
		unitDirs: map[string]string{},
		names:    map[string][]string{},
		keys:     map[units.Named]string{},
	}
	if err := in.loadArchive(); err != nil {
		return nil, err
	}
	if err := in.loadQuarantine(); err != nil {
		return nil, err
	}
	return in, nil
}

// Known returns the stored copy of a file already taken, by sha256.
func (in *Inbox) Known(sha256 string) (string, bool) {
	in.mu.Lock()
	defer in.mu.Unlock()
	if k := in.known[sha256]; k != nil {
		return k.path, true
	}
	return "", false
}

func (in *Inbox) loadArchive() error {
	var data []string
	sidecars := map[string]bool{}
	periods := map[string]bool{}
	err := filepath.WalkDir(in.opt.Archive, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if d.IsDir() {
			if rel, _ := filepath.Rel(in.opt.Archive, p); periodRe.MatchString(rel) {
				periods[rel] = true
			}
			return nil
		}
		switch {
		case isTempName(name):
			in.removeTemp(p)
		case strings.HasSuffix(name, SidecarExt):
			f, err := readSidecar(in.opt.Archive, p)
			if err != nil {
				in.opt.Log.Warn("bỏ qua tệp ghi chép hỏng trong thư mục lưu trữ", "file", p, "err", err)
				return nil
			}
			sidecars[f.Path] = true
			if k := in.unitKey(f.Group(), f.Unit); in.unitDirs[k] == "" {
				in.unitDirs[k] = filepath.Base(filepath.Dir(f.Path))
			}
			in.addName(f.Group(), f.Unit)
			if in.known[f.SHA256] == nil {
				in.known[f.SHA256] = &known{path: f.Path, record: p, side: f.Sidecar}
			}
		default:
			data = append(data, p)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("inbox: đọc thư mục lưu trữ %s: %w", in.opt.Archive, err)
	}
	for _, p := range data {
		if sidecars[p] {
			continue
		}
		sum, _, err := hashFile(p)
		if err != nil {
			continue
		}
		if in.known[sum] == nil {
			in.orphans[sum] = p
			in.opt.Log.Info("bản lưu chưa có tệp ghi chép (lần nhận trước bị dừng giữa chừng); sẽ dùng lại khi nhận lại tệp", "file", p)
		}
	}
	for p := range periods {
		if _, _, err := markPeriod(in.opt.Archive, p, in.opt.Config.Units.Registry()); err != nil {
			in.opt.Log.Warn("không cập nhật được dấu thay thế của kỳ", "period", p, "err", err)
		}
	}
	return nil
}

func (in *Inbox) loadQuarantine() error {
	entries, err := os.ReadDir(in.opt.Quarantine)
	if err != nil {
		return fmt.Errorf("inbox: đọc thư mục cách ly %s: %w", in.opt.Quarantine, err)
	}
	notes := map[string]bool{}
	var data []string
	for _, e := range entries {
		name, p := e.Name(), filepath.Join(in.opt.Quarantine, e.Name())
		switch {
		case e.IsDir():
		case isTempName(name):
			in.removeTemp(p)
		case strings.HasSuffix(name, NoteExt):
			notes[strings.TrimSuffix(p, NoteExt)] = true
			k, err := readNote(p)
			if err != nil {
				in.opt.Log.Warn("bỏ qua tệp ghi chú không đọc được trong thư mục cách ly", "file", p, "err", err)
				continue
			}
			if k.side.SHA256 == "" { // a note written by hand: the file itself says
				sum, _, err := hashFile(k.path)
				if err != nil {
					continue
				}
				k.side.SHA256 = sum
			}
			if in.known[k.side.SHA256] == nil {
				in.known[k.side.SHA256] = k
			}
		default:
			data = append(data, p)
		}
	}
	for _, p := range data {
		if notes[p] {
			continue
		}
		if sum, _, err := hashFile(p); err == nil && in.known[sum] == nil {
			in.qorphans[sum] = p
		}
	}
	return nil
}

func (in *Inbox) removeTemp(p string) {
	if err := os.Remove(p); err == nil {
		in.opt.Log.Info("xóa tệp tạm còn lại của lần chạy trước", "file", p)
	}
}

// Take checks one file of the inbox and files it: archive, quarantine, or (same bytes
// as a file taken before) nothing but its removal from the inbox. It returns an error,
// and leaves the file where it is, when the file cannot be taken now: ErrBusy (another
// program holds it), ErrChanged (it changed since it was found stable), fs.ErrNotExist
// (it is gone), ctx's error, or a failure to write the archive. Taking the same file
// again after any failure, or after a crash at any point, is safe.
func (in *Inbox) Take(ctx context.Context, c Candidate) (*Result, error) {
	in.mu.Lock()
	defer in.mu.Unlock()
	opt := in.opt
	if c.Rel == "" {
		c.Rel = filepath.Base(c.Path)
	}
	info, err := os.Stat(c.Path)
	if err != nil {
		return nil, busyErr(err)
	}
	if !c.ModTime.IsZero() && (info.Size() != c.Size || !info.ModTime().Equal(c.ModTime)) {
		return nil, ErrChanged
	}
	sum, _, err := hashFile(c.Path)
	if err != nil {
		return nil, err
	}
	now := opt.Clock.Now().In(opt.Location).Truncate(time.Second)
	res := &Result{Source: c.Path, Rel: c.Rel, Name: textfold.Clean(filepath.Base(c.Path)), SHA256: sum, ReceivedAt: now}
	if k := in.known[sum]; k != nil {
		return in.duplicate(ctx, c, res, k)
	}
	b, err := in.reader.ReadAll(ctx, []string{c.Path}, opt.Catalog)
	if cerr := ctx.Err(); cerr != nil {
		return nil, cerr
	}
	if err != nil {
		return nil, busyErr(err)
	}
	if len(b.Files) != 1 {
		return nil, fmt.Errorf("inbox: đọc %s: %d tệp", c.Path, len(b.Files))
	}
	f := b.Files[0]
	switch {
	case f.SHA256 != sum:
		return nil, ErrChanged
	case f.Status == ingest.Rejected && f.Reason == issue.ReadFailed:
		// The system could not read a file it just hashed: a lock, a share that went
		// away. Never quarantined for that; tried again later.
		return nil, fmt.Errorf("%w: %s", ErrBusy, reasonOf(f))
	}
	res.File = f
	if f.Status == ingest.Accepted {
		return in.archive(ctx, c, res, f)
	}
	return in.quarantine(c, res, f)
}

// archive files an accepted workbook.
func (in *Inbox) archive(ctx context.Context, c Candidate, res *Result, f *ingest.File) (*Result, error) {
	opt := in.opt
	res.Unit = unitOf(f, c, opt.Config.Units.Registry())
	asOf := newestAsOf(f)
	res.Period = res.ReceivedAt.Format("2006-01")
	side := Sidecar{
		SchemaVersion: 1, SHA256: res.SHA256, OriginalName: res.Name, InboxPath: c.Rel, Size: f.Size,
		Unit: res.Unit, ReceivedAt: res.ReceivedAt,
		Rows: len(f.Records), Errors: f.Errors(), Warnings: f.Warnings(),
	}
	if !asOf.IsZero() {
		res.Period = asOf.Format("2006-01")
		side.AsOf = asOf.Format("2006-01-02")
	}
	side.Period = res.Period
	res.Datasets = datasetsIn(f)
	side.Datasets = res.Datasets
	side.Dates = registerDates(opt.Config, f)
	if len(f.Sheets) > 0 {
		side.Dataset = f.Sheets[0].Dataset
	}
	res.Rows, res.Errors, res.Warnings = side.Rows, side.Errors, side.Warnings

	// One folder per unit whatever the spelling of a given file ("UBND xã A",
	// "Ủy ban nhân dân xã A", a registered alias): the name it was first archived under
	// (unitKey).
	unitKey := in.unitKey(c.Group(), res.Unit)
	folder := in.unitDirs[unitKey]
	if folder == "" {
		folder = SafeName(res.Unit, "Chưa rõ đơn vị")
	}
	if opt.Out != "" && len(f.Issues) > 0 {
		side.Feedback = in.feedbackName(res, c, folder, unitKey)
		res.Feedback = in.writeFeedback(ctx, f, side.Feedback, res.Period)
	}
	dir := filepath.Join(opt.Archive, res.Period, folder)
	dst, err := in.store(c, res, dir, res.ReceivedAt.Format("20060102-150405")+"-"+res.SHA256[:8]+"-"+safeFileName(res.Name), in.orphans)
	if err != nil {
		return nil, err
	}
	side.File = filepath.Base(dst)
	record := dst + SidecarExt
	if err := writeSidecar(record, &side); err != nil {
		in.orphans[res.SHA256] = dst
		return nil, fmt.Errorf("inbox: ghi %s: %w", record, err)
	}
	delete(in.orphans, res.SHA256)
	in.known[res.SHA256] = &known{path: dst, record: record, side: side}
	if in.unitDirs[unitKey] == "" {
		in.unitDirs[unitKey] = folder
	}
	in.addName(c.Group(), res.Unit)
	res.Status, res.Archived, res.Record = Accepted, dst, record
	if err := opt.at("recorded"); err != nil {
		return nil, err
	}

	res.Message = fmt.Sprintf("Đã nhận tệp %q của %s, kỳ %s: %d dòng, %d lỗi, %d cảnh báo.",
		res.Name, res.Unit, res.Period, res.Rows, res.Errors, res.Warnings)
	files, changed, err := markPeriod(opt.Archive, res.Period, opt.Config.Units.Registry())
	if err != nil {
		// Current works the marks out again from the files, and Open repairs them.
		opt.Log.Warn("không cập nhật được dấu thay thế", "period", res.Period, "err", err)
	}
	self := filepath.ToSlash(relTo(opt.Archive, dst))
	for _, a := range files {
		if a.Rel == self && len(a.CurrentFor) == 0 {
			res.Status = SupersededOlder
			res.SupersededBy = filepath.Join(opt.Archive, filepath.FromSlash(a.SupersededBy))
			newerName := a.SupersededBy
			for _, b := range files {
				if b.Rel == a.SupersededBy {
					newerName = b.OriginalName
				}
			}
			is := issue.New(issue.Superseded, res.Name, "", 0, 0).With("newer", newerName)
			opt.Catalog.Render(&is)
			res.Message = fmt.Sprintf("Đã lưu tệp %q của %s, kỳ %s, nhưng không dùng: %s", res.Name, res.Unit, res.Period, is.Message)
		}
	}
	var olders []string
	for _, a := range changed {
		if a.SupersededBy == self {
			res.Supersedes = append(res.Supersedes, a.Path)
			olders = append(olders, fmt.Sprintf("%q (nhận %s)", a.OriginalName, a.ReceivedAt.Format("02/01/2006 15:04")))
		}
	}
	if len(olders) > 0 {
		res.Message = strings.TrimSuffix(res.Message, ".") + "; thay cho tệp " + strings.Join(olders, ", ") + "."
	}
	if err := opt.at("marked"); err != nil {
		return nil, err
	}
	opt.Log.Info("đã nhận tệp vào lưu trữ", "file", c.Rel, "status", res.Status, "unit", res.Unit, "period", res.Period,
		"archived", dst, "sha256", res.SHA256, "rows", res.Rows, "errors", res.Errors, "warnings", res.Warnings)
	res.Removed = in.remove(c)
	return res, opt.at("removed")
}

// quarantine files a rejected one, with a note saying why.
func (in *Inbox) quarantine(c Candidate, res *Result, f *ingest.File) (*Result, error) {
	opt := in.opt
	res.Period = res.ReceivedAt.Format("2006-01")
	res.Reason = f.Reason
	why := reasonOf(f)
	dst, err := in.store(c, res, opt.Quarantine, res.ReceivedAt.Format("20060102-150405")+"-"+safeFileName(res.Name), in.qorphans)
	if err != nil {
		return nil, err
	}
	record := dst + NoteExt
	if err := writeNote(record, res, f, why, filepath.Base(dst)); err != nil {
		in.qorphans[res.SHA256] = dst
		return nil, fmt.Errorf("inbox: ghi %s: %w", record, err)
	}
	delete(in.qorphans, res.SHA256)
	in.known[res.SHA256] = &known{quarantined: true, path: dst, record: record, reason: f.Reason,
		side: Sidecar{SHA256: res.SHA256, OriginalName: res.Name, InboxPath: c.Rel, ReceivedAt: res.ReceivedAt, Period: res.Period}}
	res.Status, res.Archived, res.Record = Rejected, dst, record
	res.Why = why
	res.Message = fmt.Sprintf("Không dùng được tệp %q: %s", res.Name, why)
	if err := opt.at("recorded"); err != nil {
		return nil, err
	}
	opt.Log.Info("tệp không dùng được, đã chuyển vào thư mục cách ly", "file", c.Rel, "reason", string(f.Reason),
		"quarantined", dst, "sha256", res.SHA256)
	res.Removed = in.remove(c)
	return res, opt.at("removed")
}

// feedbackName is the name a file's feedback workbook is written under in
// phan-hoi: the unit's own file name (feedback.Name), unless a file of the
// period from another unit, or from the same unit's other sub-folder, already has
// its feedback there; then it is qualified — by the unit's archive folder for
// another unit ("UBND xã B - DS.xlsx"), by the inbox sub-folder for the same unit
// ("huyen-b - DS.xlsx") — and numbered if need be, so that no marked copy replaces
// another's. A newer file from the same unit and sub-folder does replace its own.
func (in *Inbox) feedbackName(res *Result, c Candidate, folder, unitKey string) string {
	group := c.Group()
	taken := map[string]bool{}
	sameUnit := false
	for _, k := range in.known {
		if k.quarantined || k.side.Period != res.Period {
			continue
		}
		same := in.unitKey(k.side.Group(), k.side.Unit) == unitKey
		if same && k.side.Group() == group {
			continue // this slot's own earlier file: replaced
		}
		if name := k.side.FeedbackFile(); name != "" {
			taken[strings.ToLower(name)] = true
			if same {
				sameUnit = true
			}
		}
	}
	want := feedback.Name(res.Name)
	if !taken[strings.ToLower(want)] {
		return want
	}
	qualifier := folder
	if sameUnit && group != "" {
		qualifier = group
	}
	return feedback.FreeName(feedback.Name(qualifier+"/"+res.Name), taken)
}

// writeFeedback writes f's marked copy as OUT/<period>/phan-hoi/<name> and returns
// its path, "" when it could not be written.
func (in *Inbox) writeFeedback(ctx context.Context, f *ingest.File, name, period string) string {
	fb := feedback.WriteAll(context.WithoutCancel(ctx), in.opt.Log, []*ingest.File{f},
		filepath.Join(in.opt.Out, period, "phan-hoi"), map[string]string{f.Path: name}, nil, in.opt.Catalog)
	return fb[f.Path]
}

// duplicate handles bytes already taken: logged, removed from the inbox, not stored.
// The result carries what is known of the earlier copy, so that a caller whose own
// record of it was lost (a crash after the sidecar, before the removal) can finish.
func (in *Inbox) duplicate(ctx context.Context, c Candidate, res *Result, k *known) (*Result, error) {
	res.Status, res.Archived, res.Record = Duplicate, k.path, k.record
	res.Reason = k.reason
	s := k.side
	res.Unit, res.Period, res.Datasets = s.Unit, s.Period, s.Datasets
	res.Rows, res.Errors, res.Warnings = s.Rows, s.Errors, s.Warnings
	other := s.OriginalName
	if !s.ReceivedAt.IsZero() {
		other += ", nhận lúc " + s.ReceivedAt.In(in.opt.Location).Format("15:04 02/01/2006")
	}
	is := issue.New(issue.Duplicated, res.Name, "", 0, 0).With("other", other)
	in.opt.Catalog.Render(&is)
	res.Message = is.Message
	if !k.quarantined && s.Errors+s.Warnings > 0 && in.opt.Out != "" {
		// The feedback again, for the caller to send if it has no record of sending it.
		if b, err := in.reader.ReadAll(ctx, []string{c.Path}, in.opt.Catalog); err == nil && len(b.Files) == 1 && b.Files[0].SHA256 == res.SHA256 {
			res.Feedback = in.writeFeedback(ctx, b.Files[0], s.FeedbackFile(), s.Period)
		}
	}
	where := "thư mục lưu trữ"
	if k.quarantined {
		where = "thư mục cách ly"
	}
	in.opt.Log.Info("tệp trùng hệt nội dung với tệp đã nhận, không lưu lại; xóa khỏi thư mục nhận",
		"file", c.Rel, "sha256", res.SHA256, "first", k.path, "where", where)
	res.Removed = in.remove(c)
	return res, in.opt.at("removed")
}

// store copies the inbox file into dir under base (a free variant of it), by the
// steps copy to a temporary name → fsync → rename → fsync the folder. A complete
// copy a crash left without its record (orphans) is adopted instead of copied again.
func (in *Inbox) store(c Candidate, res *Result, dir, base string, orphans map[string]string) (string, error) {
	if o := orphans[res.SHA256]; o != "" && samePath(filepath.Dir(o), filepath.Clean(dir)) {
		if sum, _, err := hashFile(o); err == nil && sum == res.SHA256 {
			in.opt.Log.Info("dùng lại bản lưu đã chép xong ở lần nhận trước", "file", c.Rel, "stored", o)
			return o, nil
		}
		delete(orphans, res.SHA256)
	}
	tmp, err := copyTemp(dir, base, c.Path, res.SHA256)
	if err != nil {
		return "", err
	}
	if err := in.opt.at("copied"); err != nil {
		return "", err
	}
	dst, err := place(tmp, dir, base)
	if err != nil {
		os.Remove(tmp)
		return "", err
	}
	if err := in.opt.at("renamed"); err != nil {
		return "", err
	}
	if err := outfile.SyncDir(dir); err != nil {
		orphans[res.SHA256] = dst
		return "", fmt.Errorf("inbox: fsync %s: %w", dir, err)
	}
	if err := in.opt.at("synced"); err != nil {
		return "", err
	}
	return dst, nil
}

// remove deletes the inbox copy once the stored copy and its record are safe. A file
// Windows still holds stays; it is seen again and removed as a duplicate.
func (in *Inbox) remove(c Candidate) bool {
	err := os.Remove(c.Path)
	if err == nil || errors.Is(err, fs.ErrNotExist) {
		return true
	}
	in.opt.Log.Warn("đã lưu nhưng chưa xóa được tệp khỏi thư mục nhận; sẽ xóa ở lần quét sau", "file", c.Rel, "err", err)
	return false
}

// unitOf is the unit a file speaks for: its sheets' unit, else the one unit its rows
// name (in however many spellings: one unit as the report counts them under reg),
// else the inbox sub-folder it was dropped in, else its name.
func unitOf(f *ingest.File, c Candidate, reg *units.Registry) string {
	for _, s := range f.Sheets {
		if s.Unit != "" {
			return s.Unit
		}
	}
	var names []units.Named
	seen := map[string]bool{}
	last := "" // the spelling of the last row naming a unit
	for i := range f.Records {
		if u := f.Records[i].Unit; u != "" {
			last = u
			if !seen[u] {
				seen[u] = true
				names = append(names, units.Named{Group: c.Group(), Name: u})
			}
		}
	}
	if ids := units.Identities(reg, names); len(ids) > 0 && !slices.ContainsFunc(ids, func(id string) bool { return id != ids[0] }) {
		return last
	}
	if g := c.Group(); g != "" {
		return path.Base(g)
	}
	return strings.TrimSuffix(textfold.Clean(filepath.Base(c.Path)), filepath.Ext(c.Path))
}

func newestAsOf(f *ingest.File) time.Time {
	var t time.Time
	for _, s := range f.Sheets {
		if s.AsOf.After(t) {
			t = s.AsOf
		}
	}
	return t
}

func datasetsIn(f *ingest.File) []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range f.Sheets {
		if s.Dataset != "" && !seen[s.Dataset] {
			seen[s.Dataset] = true
			out = append(out, s.Dataset)
		}
	}
	sort.Strings(out)
	return out
}

// reasonOf is the rendered message of the issue that rejected the file.
func reasonOf(f *ingest.File) string {
	for _, is := range f.Issues {
		if is.Code == f.Reason && is.Message != "" {
			return is.Message
		}
	}
	for _, is := range f.Issues {
		if is.Severity == issue.Error && is.Message != "" {
			return is.Message
		}
	}
	return string(f.Reason)
}

func relTo(base, p string) string {
	if r, err := filepath.Rel(base, p); err == nil {
		return r
	}
	return p
}
