// Package ingest reads a set of unit workbooks into records: it opens each file safely,
// finds the table in every sheet, classifies and normalises the rows, and returns, per
// file, what was read and every problem found. Files are read in parallel, rows are
// streamed, and one file's failure (damaged, encrypted, too large) never stops the
// others; only the batch's own temporary file failing (a full disk) stops the batch.
//
// Data flows one way: workbook (cells) → layout (table) → normalize (records) → here;
// the checks across files (validate.Checker) run here on the prints of every file,
// in path order, once all are read. With Options.Spool each file's records wait in a
// temporary file (spool.go); with Options.Cache a file read before is not read again
// (cache.go).
package ingest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"time"

	"canbo/pipeline/issue"
	"canbo/pipeline/layout"
	"canbo/pipeline/normalize"
	"canbo/pipeline/schema"
	"canbo/pipeline/textfold"
	"canbo/pipeline/validate"
	"canbo/pipeline/workbook"
)

// File statuses, as in summary.json.
const (
	Accepted = "accepted"
	Rejected = "rejected"
	Ignored  = "ignored"
)

// Options tune a run. The zero value is usable.
type Options struct {
	Workers int             // files read at once; default GOMAXPROCS
	Limits  workbook.Limits // per-file resource limits; zero fields take defaults
	// AsOf is the date ages are computed at. When zero, each sheet's own "tính đến
	// ngày" date is used, else Cutoff, else Now.
	AsOf time.Time
	// Cutoff is the last day of the period being reported (`canbo run --period`,
	// serve's monthly run): a sheet that states no date of its own is read as of it,
	// not as of today, so a person's age is the age at the period's end.
	Cutoff time.Time
	Now    func() time.Time // the clock; default time.Now
	// Names gives the name a file goes by when it is not its own base name (an
	// archived copy "20230930-080010-a1af2342-UBND xã A.xlsx" read for the unit's
	// "UBND xã A.xlsx"): path → name. A unit named after its file, the issues and the
	// feedback use it.
	Names map[string]string
	// Groups gives the group of a file read from somewhere other than where its unit
	// put it (path → the inbox sub-folder it came from, "" at the top): files read
	// from serve's archive. Other files' group is their folder under the argument.
	Groups map[string]string
	// Folders are the group folders the configuration names ("cho-don",
	// "kon-tum/dai-hoc", "/"-separated): a file at the top of an input folder that is
	// itself one of them is in that group (groupOf).
	Folders map[string]bool
	// Spool keeps each file's records in a temporary file (in SpoolDir, "" = the
	// system's) once the file is read and checked, instead of in File.Records: the
	// batch then holds memory for the files being read, not for every person. Read
	// them with File.Scan; Batch.Close removes the file.
	Spool    bool
	SpoolDir string
	// MaxRecordMemory bounds the memory one file's records may take; a file that needs
	// more is refused as too large instead of taking the machine down. A file's records
	// are encoded into its segment as they are read (about 130 bytes a person). Without
	// Spool (canbo check, the inbox) they are then decoded into File.Records, about
	// 2.7 KB a person, all of the file's at once: this is the bound that protects those.
	// With Spool the segment spills to the spool past a quarter of this (at most 8 MB,
	// spillAfter), so what stays is its string table, capped, and the issues, capped
	// too: the bound is still checked, and no real file comes near it. 0 =
	// DefaultMaxRecordMemory.
	MaxRecordMemory int64
	// Cache, when set, keeps each file's reading and gives it back while the file,
	// its name, the configuration and the program are unchanged (see Cache).
	Cache *Cache
	// Datasets, path → datasets, names for some files the only datasets whose tables
	// count (KeepDatasets): a report over a span reads a unit's July workbook for its
	// roster while the unit's September register replaced the register beside it.
	// Files not listed count every table.
	Datasets map[string][]string
}

// DefaultMaxRecordMemory is Options.MaxRecordMemory's default: in memory (canbo check)
// about 390,000 people of the default schema in one workbook, more than any unit's
// list or the biggest province's export; spooled (canbo run), any number, so a 5 MB
// file whose sheet unzips to a million rows is read whole.
const DefaultMaxRecordMemory = 1 << 30

// maxCachedRecords is the largest segment kept in the cache (Options.Cache): storing
// one copies it twice more (the entry, its encoding), which a file of a million rows
// cannot afford under the run's memory bound. Such a file, and one whose records
// spilled to the spool, is read again next time.
const maxCachedRecords = 64 << 20

// File is everything read from one input file.
type File struct {
	Path    string
	Name    string // base name, as the clerk knows it
	Group   string // sub-folder of the input folder it was found in, "/"-separated; "" at the top
	SHA256  string
	Size    int64
	Status  string     // Accepted, Rejected or Ignored
	Reason  issue.Code // why a file was rejected or ignored
	Sheets  []Sheet    // tables read, in sheet order (a sheet may hold several)
	Records []normalize.Record
	Issues  []issue.Issue

	NoList  []string // sheets in which no list was found
	spool   *spool   // where Records went (Options.Spool), nil when in memory
	segment segment
	over    overlay // what the batch changed in the spooled records
	// raw is Records as reading made them, in segment form, while the batch holds a
	// spool or a cache: written once, kept by the cache and spooled as it is.
	raw []byte
	// readDate is the date (YYYY-MM-DD) a sheet of the file that states none was read
	// at, "" when every sheet states its own: what a cached reading depends on.
	readDate string
	// enc holds the records as they are read, each encoded at once so that a sheet of
	// a million rows takes its segment's size, not a million Records; edits are what
	// choosing the tables changes in them, applied by settle.
	enc        *writer
	edits      edits
	cacheKey   string           // the cache entry the reading is, "" when none (CacheKey)
	lazy       *lazyRecords     // a cached reading's records, left in the cache until asked for
	prints     *validate.Prints // kept with a cached reading: the checks need not decode it
	rawRecords int              // how many records raw holds, for a cached reading
	tally      Tally            // the records' counts, kept when they are spooled
	issueBytes int64            // what the issues read so far take, roughly (MaxRecordMemory)
	titleUnits []string         // units named in the title blocks of the file's sheets
	pin        *schema.Pin      // the layout layouts.yaml pins for this file, if any
}

// Sheet describes one table read from a file: a sheet usually holds one, but a second
// table further down (a "Giảm biên chế" list) is a Sheet of its own, with the same Name.
type Sheet struct {
	Name         string
	Hidden       bool
	Dataset      string
	HeaderRows   []int
	NumberingRow int
	Columns      []normalize.Column
	Unmapped     []layout.Unmapped
	Unit         string   // unit of the sheet as a whole ("" when a column gives it per row)
	UnitSource   string   // "column", "title", "group", "workbook" (another sheet's title) or "file"
	TitleUnit    string   // the unit the title block names, "" if none (a unit column may still give each row's)
	ColumnUnits  []string // the units a unit column gives, the most common first
	HiddenRows   int      // hidden rows read as people (or as people who left)
	AsOf         time.Time
	Rows         int                 // records counted
	Left         int                 // people listed in sections of people who left: read, not counted
	Repeats      int                 // rows that repeat a person listed before (validate): read, not counted
	Skipped      map[layout.Kind]int // rows that were not records, by kind
	Converted    []Conversion        // columns whose TCVN3/VNI text was converted to Unicode (legacy.go)
	Section      string              // the heading of people who left the table lists, if any
	Doubts       []string            // what canbo is unsure of (layout.Table.Doubts)
	// NotCounted says why the table's people are not counted at all: "copy" (its names
	// are formulas reading another sheet), "external" (formulas reading another
	// workbook), "repeat" (the same people as another sheet), "example" (an example
	// or instructions sheet), "newer" (a dataset the batch does not count in this
	// file, Options.Datasets). Other names the sheet it repeats.
	NotCounted string
	Other      string
	Dropped    int // rows of a table not counted

	// Fields are the codes of the fields the table has a column for (a mark column
	// and a combined column give theirs), in schema order. Unlike Columns they are
	// kept by the cache: the report needs them to tell "the files have no such
	// column" from "every value was bad".
	Fields []string

	recFrom, recTo int // its records in the file's segment (File.enc), before selection
	issFrom, issTo int // its issues in File.Issues, before selection
	names          nameRefs
}

// Counted reports whether the table's people count.
func (s *Sheet) Counted() bool { return s.NotCounted == "" }

// Main returns the first table whose people count, or the first table, or nil.
func (f *File) Main() *Sheet {
	for i := range f.Sheets {
		if f.Sheets[i].Counted() {
			return &f.Sheets[i]
		}
	}
	if len(f.Sheets) > 0 {
		return &f.Sheets[0]
	}
	return nil
}

// Errors returns how many error-severity issues the file has.
func (f *File) Errors() int { return issue.Count(f.Issues).Errors }

// Warnings returns how many warning-severity issues the file has.
func (f *File) Warnings() int { return issue.Count(f.Issues).Warnings }

// Reader reads workbooks with one configuration.
type Reader struct {
	norm *normalize.Normalizer
	det  *layout.Detector
	opt  Options
	// spillAt is how many bytes of a file's records stay in memory before they spill
	// to the spool (spillAfter, or a quarter of MaxRecordMemory when less).
	spillAt int64
}

// NewReader prepares a reader.
func NewReader(n *normalize.Normalizer, opt Options) *Reader {
	if opt.Workers <= 0 {
		opt.Workers = runtime.GOMAXPROCS(0)
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	r := &Reader{norm: n, det: layout.New(n), opt: opt}
	r.spillAt = min(spillAfter, r.maxRecordMemory()/4)
	return r
}

// Read reads every file in paths in parallel and returns them in the order given.
// It returns early only when ctx is cancelled.
func (r *Reader) Read(ctx context.Context, paths []string) ([]*File, error) {
	out := make([]*File, len(paths))
	jobs := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < r.opt.Workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				out[i] = r.ReadFile(ctx, paths[i])
			}
		}()
	}
feed:
	for i := range paths {
		select {
		case jobs <- i:
		case <-ctx.Done():
			break feed
		}
	}
	close(jobs)
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return out, nil
}

// Workbook file extensions canbo tries to open when walking a folder.
var workbookExt = map[string]bool{".xlsx": true, ".xlsm": true, ".xls": true, ".xlsb": true, ".ods": true, ".xltx": true}

// Collect expands folders into the files inside them (recursively, sorted) and returns
// the files to read and the files passed over (lock files, hidden and temporary files,
// files that are not spreadsheets), each already marked Ignored with its reason.
func Collect(args []string) (read []string, ignored []*File, err error) {
	for _, a := range args {
		info, err := os.Stat(a)
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil, nil, fmt.Errorf("không tìm thấy tệp hay thư mục %q: hãy kiểm tra lại tên và đường dẫn", a)
			}
			return nil, nil, fmt.Errorf("không mở được %q (%w): hãy kiểm tra quyền đọc", a, err)
		}
		if !info.IsDir() {
			read = append(read, a)
			continue
		}
		err = filepath.WalkDir(a, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			name := d.Name()
			if d.IsDir() {
				// Sub-folders starting with "." or "_" are set aside, like Go's own
				// tools do: an office keeps notes or comparison copies there.
				if p != a && (strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") || strings.EqualFold(name, "phan-hoi")) {
					return filepath.SkipDir
				}
				return nil
			}
			switch {
			case strings.HasPrefix(name, "~$"):
				ignored = append(ignored, ignoredFile(p, issue.NotWorkbook, "lock"))
			case strings.HasPrefix(name, ".") || strings.HasSuffix(name, "~") || strings.HasSuffix(strings.ToLower(name), ".tmp"):
				ignored = append(ignored, ignoredFile(p, issue.NotWorkbook, "temp"))
			case workbookExt[strings.ToLower(filepath.Ext(name))]:
				read = append(read, p)
			default:
				ignored = append(ignored, ignoredFile(p, issue.NotWorkbook, "other"))
			}
			return nil
		})
		if err != nil {
			return nil, nil, err
		}
	}
	return read, ignored, nil
}

func ignoredFile(path string, code issue.Code, kind string) *File {
	f := &File{Path: path, Name: filepath.Base(path), Status: Ignored, Reason: code}
	is := issue.New(code, f.Name, "", 0, 0).With("kind", kind)
	is.Severity = issue.Warning
	f.Issues = []issue.Issue{is}
	if st, err := os.Stat(path); err == nil {
		f.Size = st.Size()
	}
	return f
}

// ReadFile reads one file. It never panics on bad input and always returns a File.
func (r *Reader) ReadFile(ctx context.Context, path string) *File {
	return r.readFile(ctx, path, nil)
}

// readFile is ReadFile, the file's records spilling to sp (when given) past what a
// few megabytes hold.
func (r *Reader) readFile(ctx context.Context, path string, sp *spool) (f *File) {
	name := filepath.Base(path)
	if n := r.opt.Names[path]; n != "" {
		name = n
	}
	f = &File{Path: path, Name: textfold.Clean(name)}
	defer func() {
		if p := recover(); p != nil {
			f.Status, f.Reason = Rejected, issue.Corrupt
			f.Records, f.enc, f.raw = nil, nil, nil
			f.Issues = append(f.Issues, issue.New(issue.Corrupt, f.Name, "", 0, 0))
		}
		issue.Sort(f.Issues)
	}()
	before, _ := os.Stat(path) // to tell whether the file changed while it was read
	sum, size, err := hashFile(path)
	f.SHA256, f.Size = sum, size
	if err != nil {
		return r.reject(f, &workbook.Error{Code: issue.ReadFailed, Err: err})
	}
	c := r.opt.Cache
	var key string
	if c != nil {
		key = c.key(sum, f.Name, time.Now().Year())
		if hit := c.load(key, path, sum, r.readDate(), !r.opt.Spool); hit != nil {
			if r.opt.Spool {
				c.loadPrints(hit)
			}
			if hit.lazy != nil {
				name := f.Name
				hit.lazy.reread = func() ([]byte, error) { return r.reread(ctx, path, sum, name) }
			}
			return hit
		}
	}
	r.readBook(ctx, f, sp)
	if c != nil && ctx.Err() == nil && f.Reason != issue.ReadFailed && unchanged(path, before) &&
		(f.enc == nil || !f.enc.Spilled() && f.enc.Size() <= maxCachedRecords) {
		if f.enc != nil {
			f.raw, f.enc = f.enc.Bytes(), nil
		}
		if c.store(key, f) {
			f.cacheKey = key
		}
	}
	r.compact(f)
	return f
}

// reread reads the workbook at path, named name, again, for a cached reading of
// content sum whose records were found damaged when a stage asked for them; it
// returns the records' segment. The file must still hold that content.
func (r *Reader) reread(ctx context.Context, path, sum, name string) ([]byte, error) {
	now, _, err := hashFile(path)
	if err != nil {
		return nil, err
	}
	if now != sum {
		return nil, errors.New("tệp đã thay đổi trong lúc chạy")
	}
	f := &File{Path: path, Name: name, SHA256: sum}
	r.readBook(ctx, f, nil)
	if f.Status != Accepted || f.enc == nil {
		return nil, fmt.Errorf("tệp không còn đọc được (%s)", f.Reason)
	}
	if err := f.enc.Err(); err != nil {
		return nil, err
	}
	return f.enc.Bytes(), nil
}

// unchanged reports whether the file at path has the size and modification time it
// had before it was hashed: a reading of a file saved over while it was read is used
// once, never kept under the hash of other content.
func unchanged(path string, before fs.FileInfo) bool {
	st, err := os.Stat(path)
	return err == nil && before != nil && st.Size() == before.Size() && st.ModTime().Equal(before.ModTime())
}

// compact leaves a file's records where its batch wants them: a spooled batch keeps
// the segment (enc, or raw when the cache took a copy), which check spools as it is;
// otherwise they are decoded into File.Records, within MaxRecordMemory.
func (r *Reader) compact(f *File) {
	if f.Status != Accepted {
		f.enc, f.raw = nil, nil
		return
	}
	if r.opt.Spool {
		return
	}
	d, err := f.segmentReader()
	f.enc, f.raw = nil, nil
	if err == nil {
		err = r.decodeRecords(f, d)
	}
	if err != nil {
		r.reject(f, err)
	}
}

// segmentReader decodes the file's records from its segment, fresh or from the cache.
func (f *File) segmentReader() (*normalize.SegmentReader, error) {
	if f.enc != nil {
		return f.enc.reader()
	}
	data := f.raw
	if f.lazy != nil {
		var err error
		if data, err = f.lazy.segment(); err != nil {
			return nil, fmt.Errorf("%s: %w", f.Name, err)
		}
	}
	d, err := normalize.NewSegmentReader(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", f.Name, err)
	}
	return d, nil
}

// decodeRecords fills f.Records from d, refusing the file as too large once the
// records would take more than MaxRecordMemory: a batch read in memory (canbo check)
// holds every record of a file at once.
func (r *Reader) decodeRecords(f *File, d *normalize.SegmentReader) error {
	const chunk = 64 // records whose values share one allocation
	fields := r.norm.Config().NumFields()
	limit := r.maxRecordMemory()
	f.Records = make([]normalize.Record, 0, min(d.Len(), 1<<16))
	var block []normalize.Value
	held := f.issueBytes
	// Every record takes at least its values: a file far over the bound (a sheet of a
	// million rows) is refused before any record is decoded, saying about how many
	// people the bound holds.
	if least := int64(recordSize + valueSize*fields); int64(d.Len())*least > limit-held {
		return tooLarge(int(limit/least), limit)
	}
	for d.Len() > 0 {
		if len(block) < fields {
			block = make([]normalize.Value, fields*chunk)
		}
		rec := normalize.Record{Values: block[:0:fields]}
		if _, err := d.Next(&rec); err != nil {
			return fmt.Errorf("%s: %w", f.Name, err)
		}
		if len(rec.Values) <= fields {
			block = block[len(rec.Values):]
		}
		f.Records = append(f.Records, rec)
		if held += heldBytes(&rec); held > limit {
			return tooLarge(len(f.Records), limit)
		}
	}
	return nil
}

// encodeRecords is recs in segment form (the cache's, for a reading kept in memory).
func encodeRecords(recs []normalize.Record) []byte {
	w := normalize.NewSegmentWriter()
	for i := range recs {
		w.Add(&recs[i])
	}
	return w.Bytes()
}

// readDate is the date a sheet that states none is read at (Options.AsOf, Cutoff,
// else today): part of what a cached reading depends on.
func (r *Reader) readDate() time.Time {
	switch {
	case !r.opt.AsOf.IsZero():
		return r.opt.AsOf
	case !r.opt.Cutoff.IsZero():
		return r.opt.Cutoff
	}
	return r.opt.Now()
}

// readBook reads the workbook at f.Path into f, which has its name and hash; its
// records spill to sp, when given, past what a few megabytes hold.
func (r *Reader) readBook(ctx context.Context, f *File, sp *spool) *File {
	path := f.Path
	book, err := workbook.Open(ctx, path, r.opt.Limits)
	if err != nil {
		return r.reject(f, err)
	}
	defer book.Close()
	f.pin = r.norm.Config().PinFor(f.Name)
	f.enc = newWriter(sp, r.spillAt)
	any := false
	var sheetErr error
	for _, sh := range book.Sheets() {
		if err := ctx.Err(); err != nil {
			return r.reject(f, err)
		}
		found, err := r.readSheet(ctx, f, book, sh)
		var we *workbook.Error
		if err != nil && errors.As(err, &we) && we.Code == issue.Corrupt && ctx.Err() == nil {
			// One damaged sheet (an entry pointing nowhere, a cut stream) does not
			// spoil the others: say which, and read on.
			is := issue.New(issue.SheetUnreadable, f.Name, sh.Name, 0, 0)
			f.Issues = append(f.Issues, is)
			f.NoList = append(f.NoList, sh.Name)
			sheetErr = err
			continue
		}
		if err != nil {
			return r.reject(f, err)
		}
		any = any || found
	}
	if !any && sheetErr != nil {
		return r.reject(f, sheetErr)
	}
	if err := f.enc.Err(); err != nil { // the spool could not take the records
		return r.reject(f, &workbook.Error{Code: issue.ReadFailed, Err: err})
	}
	if !any {
		code := issue.NoTable
		f.Status, f.Reason = Rejected, code
		f.Issues = append(f.Issues, issue.New(code, f.Name, "", 0, 0))
		return f
	}
	if err := r.selectTables(f); err != nil {
		return r.reject(f, err)
	}
	if err := f.settle(); err != nil {
		return r.reject(f, err)
	}
	f.Status = Accepted
	return f
}

func (r *Reader) reject(f *File, err error) *File {
	f.Status = Rejected
	f.Records, f.Sheets, f.enc, f.raw = nil, nil, nil, nil
	var we *workbook.Error
	code := issue.Corrupt
	is := issue.New(code, f.Name, "", 0, 0)
	switch {
	case errors.As(err, &we):
		code = we.Code
		is = issue.New(code, f.Name, "", 0, 0)
		for k, v := range we.Args {
			is = is.With(k, v)
		}
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		code = issue.ReadFailed
		is = issue.New(code, f.Name, "", 0, 0).With("detail", "đã dừng")
	}
	f.Reason = code
	f.Issues = append(f.Issues, is)
	return f
}

func hashFile(path string) (string, int64, error) {
	fh, err := os.Open(path)
	if err != nil {
		return "", 0, err
	}
	defer fh.Close()
	h := sha256.New()
	n, err := io.Copy(h, fh)
	if err != nil {
		return "", n, err
	}
	return hex.EncodeToString(h.Sum(nil)), n, nil
}

// SortFiles orders files by path, for stable listings.
func SortFiles(files []*File) {
	sort.SliceStable(files, func(i, j int) bool { return files[i].Path < files[j].Path })
}
