package ingest

import (
	"context"
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"canbo/pipeline/issue"
	"canbo/pipeline/normalize"
	"canbo/pipeline/textfold"
	"canbo/pipeline/validate"
)

// Batch is the result of reading a set of inputs together.
type Batch struct {
	Files []*File // read files in path order, then ignored ones
	spool *spool
}

// Close releases what the batch holds on disk (the spool of Options.Spool). The files'
// records cannot be scanned afterwards.
func (b *Batch) Close() error {
	if b.spool == nil {
		return nil
	}
	err := b.spool.close()
	b.spool = nil
	return err
}

// ReadAll collects the inputs (files and folders), reads them in parallel, runs the
// cross-file checks and renders every issue's message with cat.
//
// Files are read by several workers but taken in path order, each as soon as the
// files before it are: its records get the batch's overlay and leave a print each
// (validate.Print, a few dozen bytes; kept with a cached reading, so an unchanged file
// is not even decoded), and with Options.Spool they go to the spool. At most a few
// files per worker wait, so with Options.Spool the memory held does not grow with the
// batch but by the prints. Once every file is read the prints are checked together
// (validate.Checker.Check), in path order: the same person in two files is reported
// in the later one, however the reading interleaved.
func (r *Reader) ReadAll(ctx context.Context, args []string, cat *issue.Catalog) (b *Batch, err error) {
	paths, ignored, err := Collect(args)
	if err != nil {
		return nil, err
	}
	sort.SliceStable(paths, func(i, j int) bool { return paths[i] < paths[j] })
	for _, f := range ignored {
		f.Group = r.groupOf(args, f.Path)
	}
	b = &Batch{}
	if r.opt.Spool {
		if b.spool, err = newSpool(r.opt.SpoolDir); err != nil {
			return nil, err
		}
		defer func() {
			if err != nil {
				b.Close()
			}
		}()
	}
	names := r.shownNames(args, paths)
	var key *validate.Key
	if r.opt.Cache != nil {
		key = &r.opt.Cache.printKey
	}
	chk := validate.NewChecker(r.norm.Config(), key)
	unit := r.norm.Config().Field(UnitField)
	files := make([]*File, len(paths))
	prints := make([]validate.File, len(paths))
	unitIndex := -1
	if unit != nil {
		unitIndex = unit.Index
	}
	next := 0
	err = r.readInOrder(ctx, paths, files, b.spool, func(f *File) error {
		i := next
		next++
		f.Group = r.groupOf(args, f.Path)
		if n := names[f.Path]; n != f.Name {
			rename(f, n)
		}
		f.over = overlay{group: f.Group, path: f.Path, name: f.Name, unit: unitIndex}
		prints[i].Name = f.Name
		if f.Status != Accepted {
			f.raw, f.enc, f.prints, f.lazy = nil, nil, nil, nil
			return nil
		}
		if ds, ok := r.opt.Datasets[f.Path]; ok {
			f.keepDatasets(ds)
		}
		p, err := r.check(f, chk, b.spool)
		prints[i].Prints = p
		return err
	})
	if err != nil {
		return nil, err
	}
	found, err := chk.Check(prints, func(each func(*normalize.Record)) error {
		for _, f := range files {
			if f.Status != Accepted {
				continue
			}
			if err := f.Scan(func(r *normalize.Record) error { each(r); return nil }); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	for i, f := range files {
		if err := f.found(found[i]); err != nil {
			return nil, err
		}
	}
	b.Files = append(files, ignored...)
	for _, f := range b.Files {
		issue.Sort(f.Issues)
		if cat != nil {
			cat.RenderAll(f.Issues)
		}
	}
	return b, nil
}

// readInOrder reads paths[i] into files[i] with the reader's workers and calls done
// with each file in order, from this goroutine. A file is started only when fewer
// than a window of files wait for done, which bounds what is held in memory; a file
// of more records than a few megabytes hold spills them to sp, when given.
func (r *Reader) readInOrder(ctx context.Context, paths []string, files []*File, sp *spool, done func(*File) error) error {
	window := 2 * r.opt.Workers
	tokens := make(chan struct{}, window)
	jobs := make(chan int)
	finished := make(chan int, len(paths))
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for w := 0; w < r.opt.Workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				files[i] = r.readFile(ctx, paths[i], sp)
				finished <- i
			}
		}()
	}
	go func() {
		defer close(jobs)
		for i := range paths {
			select {
			case tokens <- struct{}{}:
			case <-stop:
				return
			}
			select {
			case jobs <- i:
			case <-stop:
				return
			}
		}
	}()
	var err error
	ready := make([]bool, len(paths))
	next := 0
	for next < len(paths) && err == nil {
		select {
		case i := <-finished:
			ready[i] = true
		case <-ctx.Done():
			err = ctx.Err()
			continue
		}
		for next < len(paths) && ready[next] && err == nil {
			err = done(files[next])
			next++
			<-tokens
		}
	}
	close(stop)
	wg.Wait()
	if err == nil {
		err = ctx.Err()
	}
	return err
}

// shownNames is the name each file is shown by: its own (or Options.Names') name, told
// apart from other files' of the same name (tellApart).
func (r *Reader) shownNames(args, paths []string) map[string]string {
	stubs := make([]*File, len(paths))
	for i, p := range paths {
		name := filepath.Base(p)
		if n := r.opt.Names[p]; n != "" {
			name = n
		}
		stubs[i] = &File{Path: p, Name: textfold.Clean(name), Group: r.groupOf(args, p)}
	}
	tellApart(stubs)
	out := make(map[string]string, len(stubs))
	for _, f := range stubs {
		out[f.Path] = f.Name
	}
	return out
}

// groupOf is a file's group: Options.Groups', else its folder under the argument.
func (r *Reader) groupOf(args []string, path string) string {
	if g, ok := r.opt.Groups[path]; ok {
		return g
	}
	return groupOf(args, path, r.opt.Folders)
}

// check applies the batch's overlay to f's records, makes their prints for the checks
// across files (validate.Checker) and spools them when the batch has a spool: the
// records in memory are changed in place; a spooled file's segment is decoded one
// record at a time and spooled as it is, with the overlay applied when it is scanned.
// A cached reading whose prints were kept with it (f.prints) is not decoded at all,
// and its records stay in the cache (File.lazy), not spooled. What the checks find is
// applied once every file is read (found).
func (r *Reader) check(f *File, chk *validate.Checker, sp *spool) (*validate.Prints, error) {
	// A file the batch counts only some datasets of is decoded: its kept prints and
	// tally are of every table.
	if p := f.prints; p != nil && sp != nil && f.enc == nil && f.over.other == nil {
		if f.lazy == nil {
			seg, err := sp.put(f.raw)
			if err != nil {
				return nil, err
			}
			f.spool, f.segment = sp, seg
		}
		f.raw, f.Records, f.prints = nil, nil, nil
		return p, nil
	}
	f.prints = nil
	p := &validate.Prints{}
	t := Tally{Counted: map[string]int{}}
	see := func(i int, rec *normalize.Record) {
		f.over.apply(rec)
		chk.Print(p, i, rec)
		t.add(i, rec)
	}
	if sp == nil {
		for i := range f.Records {
			see(i, &f.Records[i])
		}
		return p, nil
	}
	d, err := f.segmentReader()
	if err != nil {
		return nil, err
	}
	err = each(d, f.Name, func(i int, rec *normalize.Record) error { see(i, rec); return nil })
	if err != nil {
		return nil, err
	}
	switch {
	case f.enc != nil:
		f.segment, err = f.enc.spoolTo(sp)
		f.spool = sp
	case f.lazy == nil:
		f.segment, err = sp.put(f.raw)
		f.spool = sp
	}
	if err != nil {
		return nil, err
	}
	f.tally, f.raw, f.enc, f.Records = t, nil, nil, nil
	if r.opt.Cache != nil && f.over.other == nil {
		r.opt.Cache.storePrints(f, p)
	}
	return p, nil
}

// found applies to f what the checks across files found about its records: repeats
// of a person are marked not counted and moved from their table's people to its
// repeats, and every finding becomes an issue, made from the record (for a spooled
// file, decoded again: few files have any). Repeats are listed as reading lists a
// table's issues (listed): a sheet of one person a million times lists a thousand and
// counts the rest.
func (f *File) found(fds []validate.Finding) error {
	if len(fds) == 0 {
		return nil
	}
	var l listed
	var late []issue.Issue
	// The findings not late are in record order, the late ones after them, in record
	// order too.
	lateAt := len(fds)
	for lateAt > 0 && fds[lateAt-1].Late {
		lateAt--
	}
	next, nextLate := 0, lateAt
	see := func(i int, rec *normalize.Record) {
		for ; next < lateAt && fds[next].Rec == int32(i); next++ {
			fd := &fds[next]
			l.add(f, fd.Issue(rec))
			if fd.Repeat {
				f.countRepeat(rec.Sheet, rec.Row)
				f.over.repeats = append(f.over.repeats, fd.Rec)
				if f.onDisk() {
					f.tally.Counted[rec.Dataset]--
					f.tally.Repeats++
				}
			}
		}
		for ; nextLate < len(fds) && fds[nextLate].Rec == int32(i); nextLate++ {
			late = append(late, fds[nextLate].Issue(rec))
		}
	}
	if !f.onDisk() {
		for i := range f.Records {
			see(i, &f.Records[i])
		}
	} else {
		d, err := f.diskReader()
		if err != nil {
			return err
		}
		err = each(d, f.Name, func(i int, rec *normalize.Record) error {
			f.over.apply(rec)
			see(i, rec)
			return nil
		})
		if err != nil {
			return err
		}
	}
	if next < lateAt || nextLate < len(fds) {
		return fmt.Errorf("%s: kết quả kiểm tra trùng không khớp các bản ghi", f.Name)
	}
	f.Issues = append(f.Issues, late...)
	return nil
}

// countRepeat moves a record validate found to repeat a person (read at sheet and
// row) from its table's people counted to its repeats.
func (f *File) countRepeat(sheet string, row int) {
	var sh *Sheet
	for j := range f.Sheets {
		s := &f.Sheets[j]
		if s.Name == sheet && s.Counted() && s.HeaderRows[0] <= row && (sh == nil || s.HeaderRows[0] > sh.HeaderRows[0]) {
			sh = s
		}
	}
	if sh != nil && sh.Rows > 0 {
		sh.Rows--
		sh.Repeats++
	}
}

// tellApart gives files that share a name a name each, in their issues and records
// too, so that a message pointing at "DT.xlsx › DS, dòng 5" says which one and their
// feedback workbooks do not overwrite each other. The name is qualified by what
// tells them apart, first found of: their groups ("g1/DT.xlsx", "g2/DT.xlsx"; a file
// at the top keeps its bare name), the folders they are in (serve's archive keeps
// each unit in a folder: "UBND xã A/DS.xlsx"), else a number ("DS (2).xlsx").
func tellApart(files []*File) {
	byName := map[string][]*File{}
	var order []string
	for _, f := range files {
		k := strings.ToLower(f.Name)
		if byName[k] == nil {
			order = append(order, k)
		}
		byName[k] = append(byName[k], f)
	}
	for _, k := range order {
		same := byName[k]
		if len(same) < 2 {
			continue
		}
		names := distinctNames(same)
		for i, f := range same {
			rename(f, names[i])
		}
	}
}

// distinctNames is the name each of same is shown by (see tellApart).
func distinctNames(same []*File) []string {
	qualify := func(by func(f *File) string) []string {
		names := make([]string, len(same))
		seen := map[string]bool{}
		for i, f := range same {
			names[i] = f.Name
			if q := by(f); q != "" {
				names[i] = q + "/" + f.Name
			}
			k := strings.ToLower(names[i])
			if seen[k] {
				return nil
			}
			seen[k] = true
		}
		return names
	}
	if names := qualify(func(f *File) string { return f.Group }); names != nil {
		return names
	}
	if names := qualify(func(f *File) string { return filepath.Base(filepath.Dir(f.Path)) }); names != nil {
		return names
	}
	names := make([]string, len(same))
	for i, f := range same {
		names[i] = f.Name
		if i > 0 {
			ext := filepath.Ext(f.Name)
			names[i] = fmt.Sprintf("%s (%d)%s", strings.TrimSuffix(f.Name, ext), i+1, ext)
		}
	}
	return names
}

// rename shows f, its issues and its records by name.
func rename(f *File, name string) {
	for j := range f.Issues {
		if f.Issues[j].File == f.Name {
			f.Issues[j].File = name
		}
	}
	for j := range f.Records {
		f.Records[j].File = name
	}
	f.Name = name
}

// UnitField is the field that names a record's unit.
const UnitField = "don_vi"

// groupOf is the folder a file sits in relative to the input folder it was found
// under: "kon-tum/dai-hoc" for samples/kon-tum/dai-hoc/x.xlsx read from samples. Files
// named directly, or at the top of an input folder, have no group. A report groups
// units by it, so a province can drop each district's files in its own folder.
//
// A folder the configuration names (known: report.yaml's groups, units.yaml's) keeps
// its name when the input is the folder itself or one inside it: the clerk who makes
// the report of one district with --in D:\nop-bao-cao\cho-don gets the group
// "cho-don", its display name and its units registry, as from --in D:\nop-bao-cao.
// A folder's own name under the input wins over a longer configured one, so a run
// from the parent folder groups exactly as before.
func groupOf(args []string, path string, known map[string]bool) string {
	for _, a := range args {
		rel, err := filepath.Rel(a, path)
		if err != nil || rel == "." || strings.HasPrefix(rel, "..") {
			continue
		}
		dir := ""
		if d := filepath.Dir(rel); d != "." {
			dir = filepath.ToSlash(d)
		}
		if len(known) == 0 || known[dir] {
			return dir
		}
		abs, err := filepath.Abs(filepath.Join(a, filepath.Dir(rel)))
		if err != nil {
			return dir
		}
		full := strings.TrimPrefix(filepath.ToSlash(abs), filepath.VolumeName(abs))
		best := dir
		for g := range known {
			if len(g) > len(best) && strings.HasSuffix(full, "/"+g) && (dir == "" || strings.HasSuffix(g, "/"+dir)) {
				best = g
			}
		}
		return best
	}
	return ""
}

// Records returns the records of accepted files of one dataset that count: people who
// left and repeats of a person are listed in the files, not counted. It sees the
// records kept in memory only, not spooled ones (Options.Spool): use File.Scan.
func (b *Batch) Records(dataset string) []*normalize.Record {
	var out []*normalize.Record
	for _, f := range b.Files {
		if f.Status != Accepted {
			continue
		}
		for i := range f.Records {
			if r := &f.Records[i]; r.Dataset == dataset && r.Counted() {
				out = append(out, r)
			}
		}
	}
	return out
}

// AsOf returns the newest "tính đến ngày" date found in the accepted sheets, or zero.
func (b *Batch) AsOf() time.Time {
	var t time.Time
	for _, f := range b.Files {
		for _, s := range f.Sheets {
			if s.AsOf.After(t) {
				t = s.AsOf
			}
		}
	}
	return t
}

// Counts tallies the issues of the files that were read or rejected; an ignored file
// (a lock file, a note) is mentioned, not counted as a problem.
func (b *Batch) Counts() issue.Counts {
	var all []issue.Issue
	for _, f := range b.Files {
		if f.Status != Ignored {
			all = append(all, f.Issues...)
		}
	}
	return issue.Count(all)
}
