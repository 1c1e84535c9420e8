package feedback

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"

	"canbo/pipeline/ingest"
	"canbo/pipeline/issue"
	"canbo/pipeline/outfile"
)

// WriteAll writes the marked-up copy of every read file that has problems into
// dir and returns where each went, by input path. Copies are written in parallel (each
// holds one workbook in memory); one that cannot be written is logged and skipped:
// the report still goes out. A file is written as FeedbackName of its name unless
// names (input path → file name) says otherwise. With a cache, a workbook made
// before from the same content with the same problems is copied, not made again.
//
// cat, when set, names each kind of problem in the problems sheet ("giá trị không có
// trong danh mục (unknown-value)"); without it the sheet shows the codes.
func WriteAll(ctx context.Context, log *slog.Logger, files []*ingest.File, dir string, names map[string]string, cache *ingest.Cache, cat *issue.Catalog) map[string]string {
	lab := DefaultLabels()
	if cat != nil {
		lab.Kind = cat.Label
	}
	type job struct {
		file *ingest.File
		dst  string
	}
	var jobs []job
	used := map[string]bool{}
	for _, file := range files {
		if file.Status != ingest.Accepted || len(file.Issues) == 0 {
			continue
		}
		// Names are unique in a batch (ingest tells same-named files apart by their
		// folders); two that differ only in letter case share a path on Windows.
		base := Name(file.Name)
		if n := names[file.Path]; n != "" {
			base = n
		}
		name := FreeName(base, used)
		used[strings.ToLower(name)] = true
		jobs = append(jobs, job{file, filepath.Join(dir, name)})
	}
	done := make([]bool, len(jobs))
	next := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < min(runtime.GOMAXPROCS(0), len(jobs)); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sc := newScratch()
			for i := range next {
				j := jobs[i]
				if err := writeOne(ctx, j.file, j.dst, cache, lab, sc); err != nil {
					log.Warn("không ghi được tệp phản hồi", "file", j.file.Name, "err", err)
					continue
				}
				done[i] = true
			}
		}()
	}
	for i := range jobs {
		if ctx.Err() != nil {
			break
		}
		next <- i
	}
	close(next)
	wg.Wait()
	written := map[string]string{}
	for i, j := range jobs {
		if done[i] {
			written[j.file.Path] = j.dst
		}
	}
	return written
}

// FreeName is base, or base numbered ("DS (2).xlsx", "DS (3).xlsx"…) until its
// lower-cased form is not in taken: Windows names files without regard to case.
func FreeName(base string, taken map[string]bool) string {
	ext := filepath.Ext(base)
	name := base
	for n := 2; taken[strings.ToLower(name)]; n++ {
		name = fmt.Sprintf("%s (%d)%s", strings.TrimSuffix(base, ext), n, ext)
	}
	return name
}

// Name is the feedback workbook's name: the input's own name, except that
// anything other than a macro workbook is written as .xlsx (the contract's
// phan-hoi/<input>.xlsx). A .xlsm keeps its extension: its macros stay in the copy.
// Two inputs with one base name are told apart as "folder/name"; the feedback file
// for such a name is "folder - name", so both stay side by side in phan-hoi.
func Name(name string) string {
	name = strings.ReplaceAll(filepath.ToSlash(name), "/", " - ")
	ext := filepath.Ext(name)
	if strings.EqualFold(ext, ".xlsm") {
		return name
	}
	return strings.TrimSuffix(name, ext) + ".xlsx"
}

// writeOne writes one file's feedback workbook to dst, from the cache when the same
// content with the same problems was marked before.
func writeOne(ctx context.Context, f *ingest.File, dst string, cache *ingest.Cache, lab Labels, sc *scratch) error {
	if cache == nil {
		return write(ctx, f.Path, dst, f.Issues, lab, sc)
	}
	ext := filepath.Ext(dst)
	kept := cache.Artefact(ext, "feedback", f.SHA256, issuesKey(f.Issues))
	if err := copyFile(kept, dst); err == nil {
		cache.Touch(kept)
		return nil
	}
	if err := write(ctx, f.Path, dst, f.Issues, lab, sc); err != nil {
		return err
	}
	_ = copyFile(dst, kept) // only time is lost if it cannot be kept
	return nil
}

// issuesKey identifies a file's problems for the cache: a digest of every field of
// every issue, each string written with its length so that no two lists share one.
// (fmt's %#v of the list did the same at ten times the cost: 0.3 CPU-s and 8 MB of
// strings for the 42,000 problems of a national batch.)
func issuesKey(list []issue.Issue) string {
	h := sha256.New()
	var b []byte
	str := func(s string) {
		b = strconv.AppendInt(b, int64(len(s)), 10)
		b = append(b, ':')
		b = append(b, s...)
	}
	num := func(n int) {
		b = strconv.AppendInt(b, int64(n), 10)
		b = append(b, ';')
	}
	for _, is := range list {
		b = b[:0]
		str(string(is.Code))
		num(int(is.Severity))
		str(is.File)
		str(is.Sheet)
		num(is.Row)
		num(is.Col)
		str(is.Field)
		str(is.Label)
		str(is.Raw)
		if is.Args == nil {
			num(-1) // nil and empty are told apart, as %#v did
		} else {
			num(len(is.Args))
		}
		for _, k := range slices.Sorted(maps.Keys(is.Args)) {
			str(k)
			str(is.Args[k])
		}
		str(is.Message)
		str(is.Source)
		num(is.More)
		h.Write(b)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// copyFile copies src to dst atomically.
func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	return outfile.Write(dst, 0o644, func(w io.Writer) error {
		_, err := io.Copy(w, in)
		return err
	})
}
