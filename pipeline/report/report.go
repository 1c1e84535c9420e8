// Package report makes one period's compliance report from a folder of unit
// workbooks: read (ingest), count (facts, with the rules), then write the
// feedback workbooks, the Excel report, the PDF and summary.json into OUT/YYYY-MM/.
// `canbo run`, `canbo serve` and the benchmark program all go through Run, so what a
// clerk runs by hand is what runs unattended.
package report

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"runtime/debug"
	"sort"
	"strings"
	"sync"
	"time"

	"canbo/pipeline/docxreport"
	"canbo/pipeline/facts"
	"canbo/pipeline/feedback"
	"canbo/pipeline/history"
	"canbo/pipeline/ingest"
	"canbo/pipeline/issue"
	"canbo/pipeline/normalize"
	"canbo/pipeline/outfile"
	"canbo/pipeline/pdfreport"
	"canbo/pipeline/reporttext"
	"canbo/pipeline/rules"
	"canbo/pipeline/schema"
	"canbo/pipeline/summary"
	"canbo/pipeline/units"
	"canbo/pipeline/xlsxreport"
)

// Tools is what a report is made with: the configuration and the texts, loaded and
// checked once.
type Tools struct {
	Config  *schema.Config
	Rules   *rules.Set
	Catalog *issue.Catalog
	Text    *reporttext.Text
}

// Options say what to read and where to write.
type Options struct {
	Inputs []string         // files and folders; sub-folders become groups
	Out    string           // the output folder; the report goes in Out/YYYY-MM/
	Period string           // YYYY-MM, or "" for the inputs' as-of month
	Now    func() time.Time // the clock; default time.Now
	// Location is the office's time zone (serve.yaml time_zone): "this month", the
	// report's date and the as-of date without one in the files are taken in it.
	// Default Asia/Ho_Chi_Minh.
	Location   *time.Location
	NoFeedback bool         // do not write feedback workbooks
	Log        *slog.Logger // default slog.Default()
	// Superseded lists files not read because a newer file from the same unit for
	// the same period replaced them: path → the newer file's path. The report lists
	// them with status "superseded" so it says which file was used.
	Superseded map[string]string
	// Notes, path → text, are words the report adds to the line of a file it read or
	// lists as superseded (its reason): a register of a span that canbo is not sure
	// it counted right (serve.SpanOptions).
	Notes map[string]string
	// Datasets, path → datasets, names for some inputs the only datasets whose
	// tables count (ingest.Options.Datasets): a span reads a unit's workbook for its
	// roster and not for the copy of a register a newer file of the unit replaced.
	// Inputs not listed count every table.
	Datasets map[string][]string
	// Sources describes files read from somewhere other than where the unit put
	// them (the archive): path → the name the unit gave it and the inbox sub-folder
	// it came from. Reports and feedback then use the unit's name and group.
	// Files not listed keep their own name and the group of their folder.
	Sources map[string]Source
	// Rejected lists files that were refused before this run (the inbox quarantined
	// them), so the report says which files could not be used and why.
	Rejected []summary.File
	// History, when set, gives the report the change since the previous period and
	// each target's trend. Run only reads it: the caller records the run itself
	// (history.DB.Record), so that making a report and keeping its record stay apart.
	History *history.DB
	// CacheDir keeps each file's reading for the next run (ingest.Cache): a file not
	// changed since is not read again. "" = Out/.canbo-cache; NoCache reads every file.
	CacheDir string
	NoCache  bool
	// Cache, when set, is the cache to use, opened by a program that runs many
	// reports (serve): it then outranks CacheDir.
	Cache *ingest.Cache
	// From, YYYY-MM, makes a report over the months From to Period (which must be
	// given): the rosters as of Period's end, the training of the whole span
	// (facts.Options.From). It goes in Out/FROM_PERIOD/, beside the months' reports,
	// and is compared with no earlier period.
	From string
	// Previous, when set, is the previous period's files: the report then compares
	// the rosters person by person (previous.go). A span's report ignores it.
	Previous *Previous
}

// CacheFolder is the cache's folder under OUT when Options.CacheDir is not set. Its
// name starts with a dot, so that an OUT inside the input folder is not read.
const CacheFolder = ".canbo-cache"

// Source is where an archived file came from.
type Source struct {
	Name  string // the file's name as the unit sent it
	Group string // the inbox sub-folder it was dropped in, "/"-separated
	// Feedback is the name its feedback workbook was given when it arrived (the
	// archive's sidecar): the report writes it under the same name, so that what
	// the unit was mailed and what phan-hoi holds agree. "" = from Name.
	Feedback string
}

// MemoryLimit is the soft memory limit canbo's commands run under unless GOMEMLIMIT
// says otherwise (e.g. GOMEMLIMIT=1GiB). canbo's own data stays far below it for any
// real batch (a million people need about 170 MB live); without a limit Go lets
// garbage grow to twice what is live before collecting, and a national batch peaked
// at 500 MB. Under the limit the collector works harder near it: 1,000,000 people ran
// in 288 MB instead of 504 MB for 12% more CPU (docs/performance.md). It is soft: a
// batch that needs more gets more, with the collector capped at half the CPU.
const MemoryLimit = 256 << 20

// GCPercent is the collector's pace canbo's commands run at unless GOGC says
// otherwise: garbage may grow to twice what is live, not once, before a collection.
// Most of a run's allocation is short-lived (a sheet's rows, the writers' buffers),
// so collections half as often cost half the CPU, while MemoryLimit still bounds
// the peak: near it the collector works as hard as it must. A re-run of a million
// people took 0.89 s instead of 1.14 s, and the first run peaked at 290 MB against
// 269 (docs/performance.md).
const GCPercent = 200

// LimitMemory sets MemoryLimit and GCPercent for the process, each unless
// GOMEMLIMIT or GOGC is set. Commands call it once at start; a library user keeps
// its own settings.
func LimitMemory() {
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(MemoryLimit)
	}
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(GCPercent)
	}
}

// trendPeriods is how many periods a target's trend shows, the current one included.
const trendPeriods = 12

// Result is what a run produced.
type Result struct {
	Summary  *summary.Summary
	Batch    *ingest.Batch     // the files read, their sheets and problems; their records were spooled and are gone
	Dir      string            // Out/YYYY-MM
	Written  []string          // the report files, in the order a person opens them
	Feedback map[string]string // input path → its feedback workbook
}

// Run makes the report. Each output is written atomically, so an interrupted run
// leaves the previous report or none, never half of one, and can simply be run again;
// the inputs are only read.
func Run(ctx context.Context, t Tools, opt Options) (*Result, error) {
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.Log == nil {
		opt.Log = slog.Default()
	}
	loc := opt.Location
	if loc == nil {
		loc = schema.DefaultLocation()
	}
	clock := opt.Now
	opt.Now = func() time.Time { return clock().In(loc) }
	start := opt.Now()
	// An output folder that cannot take a file is found now, not after the work.
	if err := outfile.CheckWritable(opt.Out); err != nil {
		return nil, fmt.Errorf("không ghi được vào thư mục báo cáo: %w", err)
	}
	names, groups, feedbackNames := map[string]string{}, map[string]string{}, map[string]string{}
	for p, src := range opt.Sources {
		if src.Name != "" {
			names[p] = src.Name
		}
		groups[p] = src.Group
		if src.Feedback != "" {
			feedbackNames[p] = src.Feedback
		}
	}
	// A named period fixes the cut-off before reading: a sheet that states no date of
	// its own is read as of the period's end, not as of today.
	var cutoff time.Time
	if opt.Period != "" {
		if p, err := facts.PeriodOf(opt.Period, time.Time{}, start); err == nil {
			cutoff = p.AsOf
		}
	}
	// Each file's records are spooled to a temporary file once it is read: memory
	// holds the files being read and the counts, not every person of the batch.
	cache := openCache(opt, t.Config)
	batch, err := ingest.NewReader(normalize.New(t.Config), ingest.Options{Now: opt.Now, Cutoff: cutoff, Names: names, Groups: groups, Folders: t.Config.GroupFolders(),
		Spool: true, Cache: cache, Datasets: opt.Datasets}).ReadAll(ctx, opt.Inputs, t.Catalog)
	if err != nil {
		return nil, fmt.Errorf("đọc %s: %w", strings.Join(opt.Inputs, ", "), err)
	}
	defer func() {
		if err := batch.Close(); err != nil {
			opt.Log.Warn("không xóa được tệp tạm của lần đọc này; hãy xóa tay", "err", err)
		}
	}()
	if cache != nil {
		st := cache.Stats()
		opt.Log.Debug("bộ nhớ đệm", "đọc lại", st.Misses, "dùng lại", st.Hits)
		if st.StoreErrors > 0 {
			opt.Log.Warn("không ghi được bộ nhớ đệm; lần chạy sau sẽ đọc lại các tệp này", "tệp", st.StoreErrors)
		}
		if _, err := cache.Prune(start); err != nil {
			opt.Log.Warn("không dọn được bộ nhớ đệm", "err", err)
		}
	}
	p, err := facts.PeriodOf(opt.Period, batch.AsOf(), start)
	if err != nil {
		return nil, fmt.Errorf("kỳ báo cáo %q: %w", opt.Period, err)
	}
	if err := countable(batch, opt.Inputs); err != nil {
		// No one to count: a report of "0 đơn vị, 0 người" must not reach a leader.
		// The units still get their feedback.
		if !opt.NoFeedback {
			feedback.WriteAll(ctx, opt.Log, batch.Files, filepath.Join(opt.Out, p.Month, "phan-hoi"), feedbackNames, cache, t.Catalog)
		}
		return nil, err
	}
	// The period's folder is written whole in a staging folder and swapped in: a
	// reader sees the previous reports or the new ones, never a mix, and no feedback
	// workbook of an earlier run stays behind.
	dir := filepath.Join(opt.Out, p.Month)
	if opt.From != "" {
		if opt.Period == "" || opt.From > p.Month {
			return nil, fmt.Errorf("khoảng thời gian %s–%s: tháng đầu phải có tháng cuối và không sau tháng cuối", opt.From, opt.Period)
		}
		dir = filepath.Join(opt.Out, summary.SpanName(opt.From, p.Month))
	}
	folder, err := outfile.NewFolder(dir)
	if err != nil {
		return nil, fmt.Errorf("không ghi được báo cáo: %w", err)
	}
	defer folder.Abort()
	// The feedback workbooks need only each file's problems, known now: they are
	// written while the batch is counted and the reports are made, on the cores the
	// single-threaded Excel writer leaves idle.
	var fb map[string]string
	var fbDone sync.WaitGroup
	if !opt.NoFeedback {
		fbDone.Go(func() {
			fb = feedback.WriteAll(ctx, opt.Log, batch.Files, filepath.Join(folder.Dir(), "phan-hoi"), feedbackNames, cache, t.Catalog)
		})
	}
	defer fbDone.Wait() // on every return: the staging folder is removed after
	var prev *facts.PreviousRoster
	if opt.Previous != nil && opt.From == "" {
		var pb *ingest.Batch
		if prev, pb, err = readPrevious(ctx, t, opt.Previous, cache, p, opt.Now); err == nil {
			defer pb.Close() // its files are read again for the names of the people listed
		} else {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			// The report is still right without the comparison: say so and go on.
			opt.Log.Warn("không so sánh được với danh sách kỳ trước", "err", err)
		}
	}
	var s *summary.Summary
	s, err = facts.Build(ctx, t.Config, batch, facts.Options{Period: p, Now: start, Rules: t.Rules, Cache: cache, From: opt.From, Previous: prev})
	if err != nil {
		var fails rules.Failures
		if !errors.As(err, &fails) {
			return nil, err
		}
		// The targets a rule failed on say they were not computed; each failure is
		// a problem in the summary and the reports, and `canbo run` exits 1.
		addRuleFailures(s, fails, t.Catalog)
		opt.Log.Error("có chỉ tiêu không tính được vì biểu thức lỗi", "err", err)
	}
	for i := range s.Files {
		if n := opt.Notes[s.Files[i].Path]; n != "" {
			s.Files[i].Reason = n
		}
	}
	if err := sayOverlaps(ctx, t.Config, batch, s, opt.Log); err != nil {
		return nil, err
	}
	s.Files = append(s.Files, superseded(opt.Superseded, opt.Notes, opt.Sources, t.Text)...)
	s.Files = append(s.Files, opt.Rejected...)
	if opt.From != "" {
		// A span's report is not the next month of a series: nothing to compare.
	} else if opt.History != nil {
		if err := compare(ctx, opt.History, s, t.Config.Units.Registry()); err != nil {
			// The report is still right without the comparison: say so and go on.
			opt.Log.Warn("không so sánh được với kỳ trước", "err", err)
		}
	} else if prev, err := previousInOut(opt.Out, s.Period); err != nil {
		opt.Log.Warn("không so sánh được với kỳ trước", "err", err)
	} else if prev != nil {
		c := history.Compare(prev, s, t.Config.Units.Registry())
		s.Previous = &c
	}
	res := &Result{Summary: s, Batch: batch, Dir: dir}
	written, err := write(ctx, folder.Dir(), s, t, start)
	fbDone.Wait()
	if !opt.NoFeedback {
		res.Feedback = map[string]string{}
		for src, dst := range fb {
			res.Feedback[src] = folder.Final(dst)
		}
	}
	if err != nil {
		return res, fmt.Errorf("không ghi được báo cáo: %w", outfile.Explain(err))
	}
	if err := folder.Publish(); err != nil {
		return res, fmt.Errorf("không ghi được báo cáo: %w (nếu đang mở một tệp trong thư mục này, hãy đóng lại rồi chạy lại)", err)
	}
	for _, w := range written {
		res.Written = append(res.Written, folder.Final(w))
	}
	return res, nil
}

// openCache opens the reading cache the options ask for, or returns nil: a cache
// that cannot be opened only costs time, so the run goes on, reading every file.
func openCache(opt Options, cfg *schema.Config) *ingest.Cache {
	if opt.NoCache {
		return nil
	}
	if opt.Cache != nil {
		return opt.Cache
	}
	dir := opt.CacheDir
	if dir == "" {
		dir = filepath.Join(opt.Out, CacheFolder)
	}
	c, err := ingest.OpenCache(dir, cfg, ingest.Options{})
	if err != nil {
		opt.Log.Warn("không dùng được bộ nhớ đệm; đọc lại mọi tệp", "err", err)
		return nil
	}
	return c
}

// Made is what a run made, as history.DB.Record takes it: the summary and the report
// folder, when the run got that far (a nil res is nothing), and the run's error.
func (res *Result) Made(err error) (*summary.Summary, string, error) {
	if res == nil {
		return nil, "", err
	}
	return res.Summary, res.Dir, err
}

// addRuleFailures lists each failure of a rule as a rule-failed problem of the summary.
func addRuleFailures(s *summary.Summary, fails rules.Failures, cat *issue.Catalog) {
	if s.Issues.ByCode == nil {
		s.Issues.ByCode = map[string]int{}
	}
	for _, f := range fails {
		detail := f.Err.Error()
		if i := strings.IndexByte(detail, '\n'); i >= 0 {
			detail = detail[:i] // expr adds the source under its message
		}
		is := issue.New(issue.RuleFailed, f.File, f.Sheet, f.Row, 0).
			With("target", f.Target).With("expr", f.Expr.Text).With("detail", detail)
		if cat != nil {
			cat.Render(&is)
		}
		s.Problems = append(s.Problems, summary.Problem{Code: string(is.Code), Severity: is.Severity.String(),
			File: is.File, Sheet: is.Sheet, Cell: is.Cell(), Message: is.Message})
		s.Issues.Errors++
		s.Issues.ByCode[string(is.Code)]++
	}
}

// RulesFailed reports whether some target or standard could not be computed.
func RulesFailed(s *summary.Summary) bool { return s.Issues.ByCode[string(issue.RuleFailed)] > 0 }

// ErrNoPeople is returned when the inputs hold no person and no attendance to count:
// no report is made.
var ErrNoPeople = errors.New("không có người nào để lập báo cáo")

// countable returns ErrNoPeople, explained, when the batch counts no one.
func countable(b *ingest.Batch, inputs []string) error {
	read, rejected, left, counted := 0, 0, 0, 0
	for _, f := range b.Files {
		switch f.Status {
		case ingest.Accepted:
			read++
			n := f.Tally()
			left += n.Left
			counted += n.Counted[facts.Roster] + n.Counted[facts.Training]
		case ingest.Rejected:
			rejected++
		}
	}
	if counted > 0 {
		return nil
	}
	quoted := make([]string, len(inputs))
	for i, in := range inputs {
		quoted[i] = fmt.Sprintf("%q", in)
	}
	why := fmt.Sprintf("%s trong %s: %d tệp đọc được, %d tệp không dùng được", ErrNoPeople.Error(), strings.Join(quoted, ", "), read, rejected)
	if left > 0 {
		why += fmt.Sprintf(", %d người đã thôi công tác (không tính)", left)
	}
	return noPeople(why + ". Không lập báo cáo; hãy kiểm tra thư mục đầu vào có đúng các tệp danh sách của đơn vị (chạy canbo check để xem từng tệp).")
}

// noPeople is ErrNoPeople with its explanation.
type noPeople string

func (e noPeople) Error() string        { return string(e) }
func (e noPeople) Is(target error) bool { return target == ErrNoPeople }

// write writes the period's reports: the Excel report, the PDF, the Word report and summary.json.
func write(ctx context.Context, dir string, s *summary.Summary, t Tools, now time.Time) ([]string, error) {
	base := filepath.Join(dir, "bao-cao-"+s.ReportName())
	xlsx, pdf, docx, js := base+".xlsx", base+".pdf", base+".docx", filepath.Join(dir, "summary.json")
	// The four documents only read the summary: they are written side by side, each
	// to its own temporary file, so the slowest sets the time, not their sum.
	steps := []func() error{
		func() error {
			if err := xlsxreport.Write(ctx, xlsx, s, t.Config, t.Text); err != nil {
				return fmt.Errorf("ghi báo cáo Excel %s: %w", xlsx, err)
			}
			return nil
		},
		func() error {
			if err := pdfreport.Write(ctx, pdf, s, t.Config, t.Text, now); err != nil {
				return fmt.Errorf("ghi báo cáo PDF %s: %w", pdf, err)
			}
			return nil
		},
		func() error {
			if err := docxreport.Write(ctx, docx, s, t.Config, t.Text, now); err != nil {
				return fmt.Errorf("ghi báo cáo Word %s: %w", docx, err)
			}
			return nil
		},
		func() error {
			if err := outfile.Write(js, 0o644, s.WriteJSON); err != nil {
				return fmt.Errorf("ghi %s: %w", js, err)
			}
			return nil
		},
	}
	errs := make([]error, len(steps))
	var wg sync.WaitGroup
	for i, step := range steps {
		wg.Go(func() { errs[i] = step() })
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return []string{xlsx, pdf, docx, js}, ctx.Err()
}

// superseded lists the files a newer one replaced, in path order, by the names the
// units gave them (src) when they were read from the archive, each with its note.
func superseded(m, notes map[string]string, src map[string]Source, txt *reporttext.Text) []summary.File {
	name := func(p string) string {
		if s, ok := src[p]; ok && s.Name != "" {
			return s.Name
		}
		return filepath.Base(p)
	}
	paths := make([]string, 0, len(m))
	for p := range m {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	out := make([]summary.File, 0, len(paths))
	for _, p := range paths {
		reason := txt.Label("status_superseded") + ": " + name(m[p])
		if w := notes[p]; w != "" {
			reason += ". " + w
		}
		out = append(out, summary.File{File: name(p), Path: p, Group: src[p].Group, Status: StatusSuperseded, HeaderRows: []int{},
			Reason: reason})
	}
	return out
}

// StatusSuperseded is the contract's status of a file a newer one replaced.
const StatusSuperseded = "superseded"

// compare adds the change since the previous recorded period and each target's
// trend to the summary, units matched across periods under the units registry reg.
func compare(ctx context.Context, db *history.DB, s *summary.Summary, reg *units.Registry) error {
	prev, err := db.Previous(ctx, s.Period)
	if err != nil {
		return err
	}
	if prev != nil {
		c := history.Compare(prev, s, reg)
		s.Previous = &c
	}
	trends, err := db.Trends(ctx, s, trendPeriods, reg)
	if err != nil {
		return err
	}
	for i, tr := range trends {
		if i >= len(s.Targets) || len(tr.Points) < 2 {
			continue // a trend of one point is no trend
		}
		pts := make([]summary.Point, len(tr.Points))
		for j, p := range tr.Points {
			pts[j] = p.Point
		}
		s.Targets[i].Trend = pts
	}
	return nil
}

// previousInOut reads the latest earlier period's summary.json in out, nil when there
// is none: without a history (canbo run), the reports of earlier months sit beside
// the new one, and the report compares with the latest. Only what the comparison
// uses is kept; the lists of people and problems are skipped.
func previousInOut(out, period string) (*summary.Summary, error) {
	entries, err := os.ReadDir(out)
	if err != nil {
		return nil, nil // no output folder yet: nothing to compare with
	}
	latest := ""
	for _, e := range entries {
		n := e.Name()
		if e.IsDir() && len(n) == 7 && n < period && n > latest {
			if _, err := time.Parse("2006-01", n); err == nil {
				latest = n
			}
		}
	}
	if latest == "" {
		return nil, nil
	}
	path := filepath.Join(out, latest, "summary.json")
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	} else if err != nil {
		return nil, fmt.Errorf("đọc %s: %w", path, err)
	}
	defer f.Close()
	s, err := summary.ReadFigures(f)
	if err != nil {
		return nil, fmt.Errorf("đọc %s: %w", path, err)
	}
	return s, nil
}

// sayOverlaps writes on the lines of files whose training registers repeat another
// file's attendances how many, keeps the pairs in summary.json (training.overlaps,
// said in the report's body) and logs it (canbo run prints it as "Chú ý"): those
// attendances are counted twice, and only the office knows which file should go.
func sayOverlaps(ctx context.Context, cfg *schema.Config, batch *ingest.Batch, s *summary.Summary, log *slog.Logger) error {
	overlaps, err := facts.RegisterOverlaps(ctx, cfg, batch)
	if err != nil {
		return err
	}
	line := map[string]int{}
	for i := range s.Files {
		line[s.Files[i].Path] = i
	}
	add := func(path, text string) {
		if i, ok := line[path]; ok {
			if s.Files[i].Reason != "" {
				text = s.Files[i].Reason + ". " + text
			}
			s.Files[i].Reason = text
		}
	}
	for _, o := range overlaps {
		say := func(other string) string {
			return fmt.Sprintf("Sổ đào tạo trong tệp này có %s lượt trùng với tệp %q (cùng người, cùng lớp, cùng ngày bắt đầu): "+
				"các lượt đó đang được tính hai lần. Nếu một tệp là bản cũ của tệp kia, hãy bỏ bản cũ rồi lập lại báo cáo",
				reporttext.Int(o.Shared), other)
		}
		add(o.A, say(o.BName))
		add(o.B, say(o.AName))
		s.Training.Overlaps = append(s.Training.Overlaps, summary.TrainingOverlap{Files: [2]string{o.AName, o.BName}, Shared: o.Shared})
		log.Warn(fmt.Sprintf("hai tệp có %s lượt đào tạo trùng nhau, đang được tính hai lần: %q và %q; nếu một tệp là bản cũ, hãy bỏ bản cũ rồi lập lại báo cáo",
			reporttext.Int(o.Shared), o.AName, o.BName))
	}
	return nil
}
