// Package validate runs the checks that need more than one row: the same person listed
// twice (within a file or across files), and training records whose person is in no
// roster. It adds issues; it never removes a record.
package validate

import (
	"fmt"

	"canbo/pipeline/issue"
	"canbo/pipeline/normalize"
	"canbo/pipeline/schema"
	"canbo/pipeline/textfold"
)

// Fields the checks use, by their default codes.
const (
	fieldName  = "ho_ten"
	fieldID    = "so_dinh_danh"
	fieldBirth = "ngay_sinh"
	fieldUnit  = "don_vi"
	roster     = "roster"
	training   = "training"
)

// Records checks records from all accepted files together. Records are identified by
// their position in the slices, which must be in a stable order (files sorted, rows in
// sheet order) so the second copy of a person, not the first, gets the issue.
func Records(cfg *schema.Config, recs []*normalize.Record) []issue.Issue {
	name, id, birth := cfg.Field(fieldName), cfg.Field(fieldID), cfg.Field(fieldBirth)
	if name == nil {
		return nil
	}
	var out []issue.Issue
	byID := map[string]*normalize.Record{}
	byNameBirth := map[string]*normalize.Record{}
	byNameUnit := map[string]bool{}
	haveRoster := false
	for _, r := range recs {
		if r.Dataset != roster {
			continue
		}
		haveRoster = true
		nv := r.Value(name)
		if !nv.Set {
			continue
		}
		idv, bv := r.Value(id), r.Value(birth)
		nk := textfold.Key(nv.Text)
		byNameUnit[nk+"|"+UnitKey(r.Unit)] = true
		if idv.Set {
			if first, dup := byID[idv.Text]; dup {
				out = append(out, dupIssue(r, id, idv, first))
				continue
			}
			byID[idv.Text] = r
		}
		if bv.Set {
			key := nk + "|" + bv.Text
			if first, dup := byNameBirth[key]; dup {
				// Two people may share a name and a birth date; different IDs settle it.
				if fid := first.Value(id); !(idv.Set && fid.Set && fid.Text != idv.Text) {
					out = append(out, dupIssue(r, name, nv, first))
					continue
				}
			}
			byNameBirth[key] = r
		}
	}
	if !haveRoster {
		return out
	}
	for _, r := range recs {
		if r.Dataset != training {
			continue
		}
		nv := r.Value(name)
		if !nv.Set {
			continue
		}
		if idv := r.Value(id); idv.Set && byID[idv.Text] != nil {
			continue
		}
		nk := textfold.Key(nv.Text)
		if bv := r.Value(birth); bv.Set {
			if byNameBirth[nk+"|"+bv.Text] != nil {
				continue
			}
		} else if byNameUnit[nk+"|"+UnitKey(r.Unit)] {
			continue
		}
		is := issue.New(issue.UnknownPerson, r.File, r.Sheet, r.Row, nv.Col)
		is.Field, is.Label, is.Raw = name.Code, name.Label, nv.Raw
		out = append(out, is)
	}
	return out
}

func dupIssue(r *normalize.Record, f *schema.Field, v normalize.Value, first *normalize.Record) issue.Issue {
	is := issue.New(issue.DupPerson, r.File, r.Sheet, r.Row, v.Col)
	is.Field, is.Label, is.Raw = f.Code, f.Label, v.Raw
	return is.With("other", fmt.Sprintf("%s › %s, dòng %d", first.File, first.Sheet, first.Row))
}

// UnitKey folds a unit name so that "UBND xã Nghĩa Tá", "Ủy ban nhân dân xã Nghĩa Tá"
// and "Xã Nghĩa Tá" meet.
func UnitKey(u string) string {
	k := textfold.Key(u)
	for _, p := range []string{"ubnd ", "uy ban nhan dan "} {
		if len(k) > len(p) && k[:len(p)] == p {
			return k[len(p):]
		}
	}
	return k
}
