package ingest

import (
	"bytes"
	"crypto/sha256"
	"debug/elf"
	"encoding/binary"
	"encoding/gob"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"canbo/pipeline/issue"
	"canbo/pipeline/normalize"
	"canbo/pipeline/outfile"
	"canbo/pipeline/schema"
	"canbo/pipeline/validate"
	"canbo/pipeline/workbook"
)

// Cache keeps what reading each file produced, in a folder, so that a file read
// before is not read again: re-making a month's report after one unit sent a
// correction reads that unit's file only. An entry is keyed by everything reading
// depends on: the file's content (SHA-256), the name it goes by (issues and the unit
// read from the name quote it), the configuration (schema.Config.Digest), this very
// program (a new version reads differently), the reading limits and the year (two-
// digit years are read around it). A file some sheet of which states no date of its
// own was read as of the run's date: its entry records that date and serves only a
// run with the same. Anything else changed is a different key, never a stale answer.
//
// What is kept is the file as ReadFile returns it: its sheets, its own problems and
// its records; the checks across files (the same person in two files) are made again
// on every run, since they depend on the other files. Sheets come back without their
// column mapping (Sheet.Columns, Unmapped), which only `canbo check` shows: a reader
// that prints them must not use a cache.
//
// An entry is two files: what the report needs of the reading (its sheets, problems,
// status: kilobytes) in <key>.gob, and its records (hundreds of kilobytes a file) in
// <key>.rec. A re-run whose other stages kept their own results of the file (the
// prints the checks across files use, what facts counted) never decodes the records,
// so it does not read them either: they are read, and checked against the checksum
// the entry holds, only when some stage asks for them (File.Scan). Records found
// damaged then are read again from the workbook (lazyRecords).
//
// Entries are written atomically, and checksummed: a damaged, truncated or
// inconsistent entry is a miss, never a reading. The checksum is not a signature:
// whoever may write the cache folder may write the inputs too. A file that changed
// while it was read is not kept. Entries not used for CacheKeep are removed by Prune.
type Cache struct {
	dir  string
	salt string // program and configuration
	// printKey is what the checks across files hash with (validate.Key), kept in the
	// folder so that prints kept with the entries compare with this run's; printKeyID
	// names it in the prints' keys.
	printKey   validate.Key
	printKeyID string

	hits, misses, storeErrors, printHits atomic.Int64
}

// CacheKeep is how long an entry nobody used stays: a unit that sends nothing for a
// quarter is read again when it does.
const CacheKeep = 90 * 24 * time.Hour

// cacheVersion changes when what an entry holds changes shape; it also starts every
// entry file.
const cacheVersion = "canbo-cache-5"

// OpenCache opens (creating it) the cache folder dir for configuration cfg and
// readers with opt (its Limits and MaxRecordMemory are part of every key). A
// long-running program opens it once, at start: the program's identity is taken then.
func OpenCache(dir string, cfg *schema.Config, opt Options) (*Cache, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("không tạo được thư mục bộ nhớ đệm %s: %w", dir, err)
	}
	prog, err := programDigest()
	if err != nil {
		return nil, err
	}
	limits := fmt.Sprintf("%+v/%+v/%d", opt.Limits, workbook.DefaultLimits, opt.MaxRecordMemory)
	c := &Cache{dir: dir, salt: cacheVersion + "\x00" + prog + "\x00" + cfg.Digest + "\x00" + limits}
	c.printKey = loadPrintKey(filepath.Join(dir, printKeyFile))
	sum := sha256.Sum256(c.printKey[:])
	c.printKeyID = hex.EncodeToString(sum[:8])
	return c, nil
}

// printKeyFile holds the cache's validate.Key.
const printKeyFile = "prints.key"

// loadPrintKey returns the key kept at path, or a new one, kept there when it can be.
// A key that cannot be kept (a read-only folder) only means prints kept with it are
// not found next time: they are named by the key (Cache.printKeyID).
func loadPrintKey(path string) validate.Key {
	var k validate.Key
	if data, ok := ReadSealed(path, printKeyVersion); ok && len(data) == len(k) {
		copy(k[:], data)
		now := time.Now()
		_ = os.Chtimes(path, now, now) // used: kept by Prune
		return k
	}
	k = validate.NewKey()
	_ = WriteSealed(path, printKeyVersion, k[:])
	return k
}

const printKeyVersion = "canbo-prints-key-1"

// programDigest identifies the running program by its executable's content: `go run`
// and every build of a changed source give a different one. On Linux the running
// image itself is read (/proc/self/exe): a binary replaced by an upgrade while a
// server still runs the old one must not lend the old code its identity. There the
// Go linker's build ID names it, when it has one: its last part is a hash of the
// binary's content, read in a few kilobytes, where hashing the 36 MB binary took 40 ms
// at every start, before any file was read.
func programDigest() (string, error) {
	if id := goBuildID("/proc/self/exe"); id != "" {
		return "go-build-id:" + id, nil
	}
	f, err := os.Open("/proc/self/exe")
	if err != nil {
		exe, xerr := os.Executable()
		if xerr != nil {
			return "", fmt.Errorf("bộ nhớ đệm: không tìm thấy chương trình đang chạy: %w", xerr)
		}
		if f, err = os.Open(exe); err != nil {
			return "", fmt.Errorf("bộ nhớ đệm: %w", err)
		}
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", fmt.Errorf("bộ nhớ đệm: đọc %s: %w", f.Name(), err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// goBuildID is the Go build ID of the ELF executable at path ("" when it is not one,
// or has none): the note the linker writes, "Go" and tag 4, holding
// "actionID/…/contentID".
func goBuildID(path string) string {
	f, err := elf.Open(path)
	if err != nil {
		return ""
	}
	defer f.Close()
	sec := f.Section(".note.go.buildid")
	if sec == nil {
		return ""
	}
	data, err := sec.Data()
	if err != nil || len(data) < 16 {
		return ""
	}
	nameSize, descSize, tag := f.ByteOrder.Uint32(data[0:]), f.ByteOrder.Uint32(data[4:]), f.ByteOrder.Uint32(data[8:])
	if nameSize != 4 || tag != 4 || string(data[12:16]) != "Go\x00\x00" || uint64(descSize) > uint64(len(data)-16) {
		return ""
	}
	id := string(data[16 : 16+descSize])
	if strings.Count(id, "/") < 1 || len(id) < 40 { // not what the linker writes: hash the binary
		return ""
	}
	return id
}

// CacheStats says how the cache served a run. PrintHits counts the cached readings
// whose prints (what the checks across files need) were kept too, so that their
// records were not decoded.
type CacheStats struct {
	Hits, Misses, StoreErrors, PrintHits int64
}

// Stats returns the counts so far.
func (c *Cache) Stats() CacheStats {
	return CacheStats{c.hits.Load(), c.misses.Load(), c.storeErrors.Load(), c.printHits.Load()}
}

// key is the entry name of a file's reading; year is the year two-digit years are
// read around. The entry is kept in key+".gob", its records in key+".rec".
func (c *Cache) key(sum, name string, year int) string {
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00%s\x00%s\x00%d", c.salt, sum, name, year)
	return hex.EncodeToString(h.Sum(nil))
}

func (c *Cache) entryPath(key string) string   { return filepath.Join(c.dir, key+".gob") }
func (c *Cache) recordsPath(key string) string { return filepath.Join(c.dir, key+".rec") }

// Artefact is where the cache keeps something made from a reading (a feedback
// workbook, what facts counted of a file), named by parts that say everything it
// depends on besides the program and the configuration, which the cache adds; ext is
// the file's extension (".xlsx"). The caller writes it atomically (WriteSealed);
// Prune removes it when unused like any entry.
func (c *Cache) Artefact(ext string, parts ...string) string {
	h := sha256.New()
	io.WriteString(h, c.salt)
	for _, p := range parts {
		fmt.Fprintf(h, "\x00%d:%s", len(p), p)
	}
	return filepath.Join(c.dir, hex.EncodeToString(h.Sum(nil))+ext)
}

// Touch marks an artefact as used, so that Prune keeps it.
func (c *Cache) Touch(path string) {
	now := time.Now()
	_ = os.Chtimes(path, now, now)
}

// entry is what an entry file holds after its header line and checksum. The
// records are kept apart, in their own file: Records says how many there are and
// RecordsSum is their segment's SHA-256.
type entry struct {
	Name       string
	Size       int64
	Status     string
	Reason     issue.Code
	Sheets     []Sheet
	Issues     []issue.Issue
	NoList     []string
	Records    int
	RecordsSum []byte
	ReadDate   string // YYYY-MM-DD a sheet without a date of its own was read at; "" = none was
}

// load returns the reading stored under key, for the file at path, or nil when there
// is none usable: absent, damaged, inconsistent, or read at another date than
// readDate when that mattered. With records, the records are read and decoded into
// File.Records (a missing or damaged records file is then a miss); without, they are
// left on disk (File.lazy) until a stage asks for them.
func (c *Cache) load(key, path, sum string, readDate time.Time, records bool) (f *File) {
	defer func() {
		if recover() != nil { // a crafted entry gob chokes on: read the file instead
			f = nil
		}
		if f == nil {
			c.misses.Add(1)
		} else {
			c.hits.Add(1)
		}
	}()
	payload, ok := ReadSealed(c.entryPath(key), cacheVersion)
	if !ok {
		return nil
	}
	var e entry
	if err := gob.NewDecoder(bytes.NewReader(payload)).Decode(&e); err != nil {
		return nil
	}
	if !e.consistent() {
		return nil
	}
	if e.ReadDate != "" && e.ReadDate != readDate.Format(time.DateOnly) {
		return nil
	}
	f = &File{Path: path, Name: e.Name, SHA256: sum, Size: e.Size, Status: e.Status, Reason: e.Reason,
		Sheets: e.Sheets, Issues: e.Issues, NoList: e.NoList, readDate: e.ReadDate, cacheKey: key,
		rawRecords: e.Records}
	if e.Records > 0 {
		f.lazy = &lazyRecords{path: c.recordsPath(key), n: e.Records}
		copy(f.lazy.sum[:], e.RecordsSum)
	}
	if records && f.lazy != nil {
		data, err := f.lazy.read()
		if err != nil {
			return nil
		}
		d, err := normalize.NewSegmentReader(data)
		if err != nil {
			return nil
		}
		f.Records, f.lazy = make([]normalize.Record, d.Len()), nil
		for i := range f.Records {
			if ok, err := d.Next(&f.Records[i]); !ok || err != nil {
				return nil
			}
		}
	}
	c.Touch(c.entryPath(key)) // used: kept by Prune
	if e.Records > 0 {
		c.Touch(c.recordsPath(key))
	}
	return f
}

// consistent reports whether an entry is one ReadFile could have made: a status it
// gives, tables with header rows, records only for an accepted file, and their
// checksum.
func (e *entry) consistent() bool {
	switch e.Status {
	case Accepted, Rejected:
	default:
		return false
	}
	for i := range e.Sheets {
		if len(e.Sheets[i].HeaderRows) == 0 {
			return false
		}
	}
	if e.Records < 0 || e.Status != Accepted && e.Records != 0 {
		return false
	}
	return e.Records == 0 || len(e.RecordsSum) == sha256.Size
}

// lazyRecords are the records of a cached reading, left in the cache's records file
// until a stage asks for them. They are checked when read: the file must hold the
// segment the entry's checksum names, of as many records as the entry says. If it
// does not (damaged or removed since the entry was read), reread makes them again
// from the workbook, which must still be the content the entry was keyed by.
type lazyRecords struct {
	path   string
	sum    [sha256.Size]byte
	n      int
	reread func() ([]byte, error) // nil: a damaged records file is an error

	mu       sync.Mutex
	repaired []byte // the records reread made, once it had to
}

// read returns the records' segment, checked.
func (l *lazyRecords) read() ([]byte, error) {
	data, err := os.ReadFile(l.path)
	if err == nil {
		err = l.check(data)
	}
	return data, err
}

// check reports whether data is the segment the entry names.
func (l *lazyRecords) check(data []byte) error {
	if sha256.Sum256(data) != l.sum {
		return errors.New("bản ghi trong bộ nhớ đệm bị hỏng")
	}
	d, err := normalize.NewSegmentReader(data)
	if err != nil {
		return err
	}
	if d.Len() != l.n {
		return fmt.Errorf("bộ nhớ đệm giữ %d bản ghi, không phải %d", d.Len(), l.n)
	}
	return nil
}

// segment returns the records' segment: from the cache, else made again from the
// workbook (and kept again in the cache, for the next run).
func (l *lazyRecords) segment() ([]byte, error) {
	data, err := l.read()
	if err == nil {
		return data, nil
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.repaired != nil {
		return l.repaired, nil
	}
	if l.reread == nil {
		return nil, err
	}
	data, rerr := l.reread()
	if rerr != nil {
		return nil, fmt.Errorf("%w; đọc lại tệp: %w", err, rerr)
	}
	if cerr := l.check(data); cerr != nil {
		return nil, fmt.Errorf("%w; đọc lại tệp cho kết quả khác lần trước (%w): hãy chạy lại", err, cerr)
	}
	_ = outfile.WriteBytes(l.path, data, 0o644)
	l.repaired = data
	return data, nil
}

// CacheKey identifies the reading of the file when it is the one the cache holds
// (served from it, or stored in it): what it depends on (Cache's key) and the date a
// sheet without one was read at. It is "" otherwise: a reading not kept may not be the
// file's content. Stages that keep their own results of a file key them by it
// (facts keeps each file's counts).
func (f *File) CacheKey() string {
	if f.cacheKey == "" {
		return ""
	}
	return f.cacheKey + "\x00" + f.readDate
}

// RepeatDigest identifies which of the file's records the batch found to repeat a
// person listed before (validate), and the datasets it does not count in the file
// (Options.Datasets): what is counted of the file depends on them.
func (f *File) RepeatDigest() string {
	h := sha256.New()
	var b [4]byte
	for _, i := range f.over.repeats {
		b[0], b[1], b[2], b[3] = byte(i), byte(i>>8), byte(i>>16), byte(i>>24)
		h.Write(b[:])
	}
	if f.over.other != nil {
		// Tables of datasets not counted (Options.Datasets) change what is counted.
		return fmt.Sprintf("%d:%x:not:%s", len(f.over.repeats), h.Sum(nil), strings.Join(f.over.other, ","))
	}
	return fmt.Sprintf("%d:%x", len(f.over.repeats), h.Sum(nil))
}

// printsVersion starts every kept file's prints; it changes when what they hold does.
const printsVersion = "canbo-file-prints-2/" + validate.PrintsVersion

// savedPrints is what is kept of a file for the checks across files: its records'
// prints and their counts (Tally) before the checks, both of which a re-run would
// otherwise decode every record for. It is laid out by hand (encode): gob spent more
// on setting up a decoder for each of 200 files than on their data.
type savedPrints struct {
	For    string // the reading and key they were made of (printsFor): a copy kept elsewhere is a miss
	Tally  Tally
	Prints []byte // validate.Prints.Encode
}

// encode lays sp out: For, Left, Repeats, FirstUnit, the counts by dataset (sorted),
// each text its length (a uvarint) then its bytes, each number a uvarint; the prints
// take the rest.
func (sp *savedPrints) encode() []byte {
	var out []byte
	text := func(s string) {
		out = binary.AppendUvarint(out, uint64(len(s)))
		out = append(out, s...)
	}
	text(sp.For)
	out = binary.AppendUvarint(out, uint64(sp.Tally.Left))
	out = binary.AppendUvarint(out, uint64(sp.Tally.Repeats))
	text(sp.Tally.FirstUnit)
	out = binary.AppendUvarint(out, uint64(len(sp.Tally.Counted)))
	for _, k := range slices.Sorted(maps.Keys(sp.Tally.Counted)) {
		text(k)
		out = binary.AppendUvarint(out, uint64(sp.Tally.Counted[k]))
	}
	return append(out, sp.Prints...)
}

// decodePrints reads what encode laid out; false when data does not hold it.
func decodePrints(data []byte) (sp savedPrints, ok bool) {
	num := func() int {
		v, n := binary.Uvarint(data)
		if n <= 0 || v > uint64(len(data))<<32 {
			ok = false
			return 0
		}
		data = data[n:]
		return int(v)
	}
	text := func() string {
		n := num()
		if !ok || n > len(data) {
			ok = false
			return ""
		}
		s := string(data[:n])
		data = data[n:]
		return s
	}
	ok = true
	sp.For = text()
	sp.Tally.Left, sp.Tally.Repeats = num(), num()
	sp.Tally.FirstUnit = text()
	n := num()
	if !ok || n > len(data) {
		return sp, false
	}
	sp.Tally.Counted = make(map[string]int, n)
	for range n {
		k := text()
		sp.Tally.Counted[k] = num()
	}
	sp.Prints = data
	return sp, ok
}

// printsFor names what f's prints are made of: its reading and the key.
func (c *Cache) printsFor(f *File) string {
	return f.CacheKey() + "\x00" + c.printKeyID
}

// printsPath is where the prints of f, a reading the cache holds, are kept.
func (c *Cache) printsPath(f *File) string {
	return c.Artefact(".prints", printsVersion, f.CacheKey(), c.printKeyID)
}

// storePrints keeps p, the prints of f's records, and f's tally before the checks,
// beside f's reading when the cache holds it. A failure only means the file is
// decoded again next time.
func (c *Cache) storePrints(f *File, p *validate.Prints) {
	if f.CacheKey() == "" {
		return
	}
	sp := savedPrints{For: c.printsFor(f), Tally: f.tally, Prints: p.Encode()}
	_ = WriteSealed(c.printsPath(f), printsVersion, sp.encode())
}

// loadPrints gives f, a cached reading, the prints and tally kept with it, if they are
// there and sound; else f is left without, and its records are decoded.
func (c *Cache) loadPrints(f *File) {
	defer func() {
		if recover() != nil { // data the decoder chokes on: decode the records instead
			f.prints = nil
		}
	}()
	path := c.printsPath(f)
	payload, ok := ReadSealed(path, printsVersion)
	if !ok {
		return
	}
	sp, ok := decodePrints(payload)
	if !ok || sp.For != c.printsFor(f) {
		return
	}
	p, err := validate.DecodePrints(sp.Prints)
	if err != nil || len(p.People) > 0 && int(p.People[len(p.People)-1].Rec) >= f.rawRecords ||
		sp.Tally.Rows()+sp.Tally.Left+sp.Tally.Repeats > f.rawRecords {
		return // prints of other records than the reading's
	}
	for _, n := range sp.Tally.Counted {
		if n < 0 {
			return
		}
	}
	if sp.Tally.Counted == nil {
		sp.Tally.Counted = map[string]int{}
	}
	f.prints, f.tally = p, sp.Tally
	c.printHits.Add(1)
	c.Touch(path)
}

// store keeps f's reading under key, and reports whether it did. A failure is
// counted, not returned: the run goes on without it.
func (c *Cache) store(key string, f *File) bool {
	e := entry{Name: f.Name, Size: f.Size, Status: f.Status, Reason: f.Reason, Issues: f.Issues, NoList: f.NoList,
		ReadDate: f.readDate}
	for _, sh := range f.Sheets {
		sh.Columns, sh.Unmapped = nil, nil
		e.Sheets = append(e.Sheets, sh)
	}
	records := f.raw
	if records == nil && len(f.Records) > 0 {
		records = encodeRecords(f.Records)
	}
	if len(records) > 0 {
		d, err := normalize.NewSegmentReader(records)
		if err != nil {
			c.storeErrors.Add(1)
			return false
		}
		sum := sha256.Sum256(records)
		e.Records, e.RecordsSum = d.Len(), sum[:]
		// The records first: an entry is never found without the records it names
		// (when they are, later, they are read again from the workbook).
		if err := outfile.WriteBytes(c.recordsPath(key), records, 0o644); err != nil {
			c.storeErrors.Add(1)
			return false
		}
	}
	var payload bytes.Buffer
	if err := gob.NewEncoder(&payload).Encode(&e); err != nil {
		c.storeErrors.Add(1)
		return false
	}
	if err := WriteSealed(c.entryPath(key), cacheVersion, payload.Bytes()); err != nil {
		c.storeErrors.Add(1)
		return false
	}
	return true
}

// Prune removes the entries not used for CacheKeep, and leftovers of interrupted
// writes. It returns how many it removed.
func (c *Cache) Prune(now time.Time) (int, error) {
	entries, err := os.ReadDir(c.dir)
	if err != nil {
		return 0, err
	}
	removed := 0
	var errs []error
	for _, de := range entries {
		info, err := de.Info()
		if err != nil || de.IsDir() {
			continue
		}
		stale := now.Sub(info.ModTime()) > CacheKeep
		if !stale && !strings.HasPrefix(de.Name(), ".") {
			continue // an entry or an artefact; outfile's temporary files start with a dot
		}
		if !stale && now.Sub(info.ModTime()) < time.Hour {
			continue // perhaps another run's entry being written
		}
		if err := os.Remove(filepath.Join(c.dir, de.Name())); err != nil && !errors.Is(err, fs.ErrNotExist) {
			errs = append(errs, err)
			continue
		}
		removed++
	}
	return removed, errors.Join(errs...)
}

// WriteSealed writes payload to path atomically, after a line naming its version and
// the payload's SHA-256, for ReadSealed: the cache's entries, and what other stages
// keep beside them (Artefact).
func WriteSealed(path, version string, payload []byte) error {
	sum := sha256.Sum256(payload)
	return outfile.Write(path, 0o644, func(w io.Writer) error {
		if _, err := io.WriteString(w, version+"\n"); err != nil {
			return err
		}
		if _, err := w.Write(sum[:]); err != nil {
			return err
		}
		_, err := w.Write(payload)
		return err
	})
}

// ReadSealed returns the payload WriteSealed wrote to path with version, and false
// when there is none, or it is of another version, damaged or cut short.
func ReadSealed(path, version string) ([]byte, bool) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, false
	}
	head := version + "\n"
	if len(data) < len(head)+sha256.Size || string(data[:len(head)]) != head {
		return nil, false
	}
	sum, payload := data[len(head):len(head)+sha256.Size], data[len(head)+sha256.Size:]
	if check := sha256.Sum256(payload); !bytes.Equal(check[:], sum) {
		return nil, false
	}
	return payload, true
}
