package ingest

import (
	"bytes"
	"crypto/sha256"
	"encoding/gob"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"time"

	"canbo/pipeline/issue"
	"canbo/pipeline/normalize"
	"canbo/pipeline/outfile"
	"canbo/pipeline/schema"
)

// Cache keeps what reading each file produced, in a folder, so that a file read
// before is not read again: re-making a month's report after one unit sent a
// correction reads that unit's file only. An entry is keyed by everything reading
// depends on: the file's content (SHA-256), the name it goes by (issues and the unit
// read from the name quote it), the configuration (schema.Config.Digest), this very
// program (a new version reads differently) and the date a sheet without one of its
// own is read at. Anything else changed is a different key, never a stale answer.
//
// What is kept is the file as ReadFile returns it: its sheets, its own problems and
// its records; the checks across files (the same person in two files) are made again
// on every run, since they depend on the other files. Sheets come back without their
// column mapping (Sheet.Columns, Unmapped), which only `canbo check` shows: a reader
// that prints them must not use a cache.
//
// Entries are written atomically; a damaged or unreadable entry is a miss. Entries
// not used for CacheKeep are removed by Prune.
type Cache struct {
	dir  string
	salt string // program and configuration

	hits, misses, storeErrors atomic.Int64
}

// CacheKeep is how long an entry nobody used stays: a unit that sends nothing for a
// quarter is read again when it does.
const CacheKeep = 90 * 24 * time.Hour

// cacheVersion changes when what an entry holds changes shape.
const cacheVersion = "canbo-cache-2"

// OpenCache opens (creating it) the cache folder dir for configuration cfg.
func OpenCache(dir string, cfg *schema.Config) (*Cache, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("không tạo được thư mục bộ nhớ đệm %s: %w", dir, err)
	}
	prog, err := programDigest()
	if err != nil {
		return nil, err
	}
	return &Cache{dir: dir, salt: cacheVersion + "\x00" + prog + "\x00" + cfg.Digest}, nil
}

// programDigest identifies the running program by its executable's content: `go run`
// and every build of a changed source give a different one.
func programDigest() (string, error) {
	exe, err := os.Executable()
	if err != nil {
		return "", fmt.Errorf("bộ nhớ đệm: không tìm thấy chương trình đang chạy: %w", err)
	}
	f, err := os.Open(exe)
	if err != nil {
		return "", fmt.Errorf("bộ nhớ đệm: %w", err)
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", fmt.Errorf("bộ nhớ đệm: đọc %s: %w", exe, err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// CacheStats says how the cache served a run.
type CacheStats struct {
	Hits, Misses, StoreErrors int64
}

// Stats returns the counts so far.
func (c *Cache) Stats() CacheStats {
	return CacheStats{c.hits.Load(), c.misses.Load(), c.storeErrors.Load()}
}

// key is the entry name of a file's reading.
func (c *Cache) key(sum, name string, asOf time.Time) string {
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00%s\x00%s\x00%s", c.salt, sum, name, asOf.Format(time.DateOnly))
	return hex.EncodeToString(h.Sum(nil)) + ".gob"
}

// Artefact is where the cache keeps something made from a reading (a feedback
// workbook), named by parts that say everything it depends on besides the program and
// the configuration, which the cache adds; ext is the file's extension (".xlsx").
// The caller writes it atomically; Prune removes it when unused like any entry.
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

// entry is what an entry file holds.
type entry struct {
	Name    string
	Size    int64
	Status  string
	Reason  issue.Code
	Sheets  []Sheet
	Issues  []issue.Issue
	NoList  []string
	Records []byte   // a normalize segment
	Sum     [32]byte // SHA-256 of Records: a damaged entry is a miss, not a run stopped
}

// load returns the reading stored under key, for the file at path, or nil. With
// records, the records are decoded into File.Records; without, they stay in File.raw.
func (c *Cache) load(key, path, sum string, records bool) *File {
	data, err := os.ReadFile(filepath.Join(c.dir, key))
	if err != nil {
		c.misses.Add(1)
		return nil
	}
	var e entry
	if err := gob.NewDecoder(bytes.NewReader(data)).Decode(&e); err != nil {
		c.misses.Add(1)
		return nil
	}
	f := &File{Path: path, Name: e.Name, SHA256: sum, Size: e.Size, Status: e.Status, Reason: e.Reason,
		Sheets: e.Sheets, Issues: e.Issues, NoList: e.NoList, raw: e.Records}
	if sha256.Sum256(e.Records) != e.Sum {
		c.misses.Add(1)
		return nil
	}
	if records && len(e.Records) > 0 {
		f.raw = nil
		d, err := normalize.NewSegmentReader(e.Records)
		if err != nil {
			c.misses.Add(1)
			return nil
		}
		if d.Len() > 0 {
			f.Records = make([]normalize.Record, d.Len())
		}
		for i := range f.Records {
			if ok, err := d.Next(&f.Records[i]); !ok || err != nil {
				c.misses.Add(1)
				return nil
			}
		}
	}
	c.hits.Add(1)
	now := time.Now()
	_ = os.Chtimes(filepath.Join(c.dir, key), now, now) // used: kept by Prune
	return f
}

// store keeps f's reading under key. A failure is counted, not returned: the run goes
// on without it.
func (c *Cache) store(key string, f *File) {
	e := entry{Name: f.Name, Size: f.Size, Status: f.Status, Reason: f.Reason, Issues: f.Issues, NoList: f.NoList}
	for _, sh := range f.Sheets {
		sh.Columns, sh.Unmapped = nil, nil
		e.Sheets = append(e.Sheets, sh)
	}
	if e.Records = f.raw; e.Records == nil && len(f.Records) > 0 {
		e.Records = encodeRecords(f.Records)
	}
	e.Sum = sha256.Sum256(e.Records)
	err := outfile.Write(filepath.Join(c.dir, key), 0o644, func(w io.Writer) error {
		return gob.NewEncoder(w).Encode(&e)
	})
	if err != nil {
		c.storeErrors.Add(1)
	}
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
