package facts

import (
	"context"
	"fmt"
	"sort"

	"canbo/pipeline/ingest"
	"canbo/pipeline/normalize"
	"canbo/pipeline/schema"
	"canbo/pipeline/textfold"
)

// RegisterOverlap is two files of a batch whose counted training registers list the
// same attendances: the same person (name and birth date), course and start date.
// Both files are counted, so each of those attendances is counted twice. canbo says
// so rather than choose which to drop: two registers may be copies (the older should
// go) or different books that share a few rows by mistake, which only the office
// knows. (Serve's archive keeps one file per unit and dataset; a folder given to
// `canbo run`, or a district register beside a commune's own, has no such rule.)
type RegisterOverlap struct {
	A, B   string // the files' paths, A first in the batch
	AName  string
	BName  string
	Shared int // attendances of B already in A
}

// RegisterOverlaps finds the files whose counted training attendances repeat those
// of an earlier file of the batch. It reads the records again only when at least
// two files count training, and keeps one 64-bit key per attendance.
func RegisterOverlaps(ctx context.Context, cfg *schema.Config, b *ingest.Batch) ([]RegisterOverlap, error) {
	var files []*ingest.File
	for _, f := range b.Files {
		if f.Status == ingest.Accepted && f.Tally().Counted[Training] > 0 {
			files = append(files, f)
		}
	}
	if len(files) < 2 {
		return nil, nil
	}
	nameF, birthF := cfg.Field(fieldName), cfg.Field(fieldBirth)
	courseF, fromF, toF := cfg.Field(cfg.Training.From), cfg.Field(fieldFrom), cfg.Field(fieldTo)
	if nameF == nil || courseF == nil || fromF == nil {
		return nil, nil
	}
	first := map[uint64]int32{} // attendance key → the first file listing it
	pairs := map[[2]int32]int{}
	var buf []byte
	for fi, f := range files {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		mine := map[uint64]struct{}{}
		err := f.Scan(func(r *normalize.Record) error {
			if r.Dataset != Training || !r.Counted() {
				return nil
			}
			name, course, start := r.Value(nameF), r.Value(courseF), started(r, fromF, toF)
			if !name.Set || !course.Set || !start.Set {
				return nil // not told apart surely enough to call two rows one
			}
			buf = textfold.AppendKey(buf[:0], name.Text)
			buf = append(append(buf, 0), r.Value(birthF).Text...)
			buf = textfold.AppendKey(append(buf, 0), course.Text)
			buf = append(append(buf, 0), start.Text...)
			k := hash64(buf)
			if _, ok := mine[k]; ok {
				return nil // a repeat within one file is the file's own matter
			}
			mine[k] = struct{}{}
			if o, ok := first[k]; ok {
				pairs[[2]int32{o, int32(fi)}]++
			} else {
				first[k] = int32(fi)
			}
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("đọc sổ đào tạo %s để tìm lượt trùng giữa các tệp: %w", f.Name, err)
		}
	}
	out := make([]RegisterOverlap, 0, len(pairs))
	for p, n := range pairs {
		a, b := files[p[0]], files[p[1]]
		out = append(out, RegisterOverlap{A: a.Path, B: b.Path, AName: a.Name, BName: b.Name, Shared: n})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].A != out[j].A {
			return out[i].A < out[j].A
		}
		return out[i].B < out[j].B
	})
	return out, nil
}
