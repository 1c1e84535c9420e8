// Package validate runs the checks that need more than one row: the same person listed
// twice (within a file or across files), and training records whose person is in no
// roster. A person counts once: the second copy of someone surely listed before is
// marked not counted (normalize.Repeat) and reported; where it is unsure whether two
// rows are one person, both count and a warning says so. No record is ever removed.
package validate

import (
	"fmt"
	"strings"

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

// distinguishing are the fields that tell two people of the same name and birth date
// apart when both rows give them: rows that differ in one are perhaps two people.
var distinguishing = []string{"gioi_tinh", "dan_toc"}

// Records checks records from all accepted files together. Records are identified by
// their position in the slices, which must be in a stable order (files sorted, rows in
// sheet order) so the second copy of a person, not the first, gets the issue.
//
// Two roster rows are one person when they carry the same ID number; or the same name
// and birth date, with no different ID and nothing else that tells them apart; or, in a
// list with neither ID nor birth date, when the rows of one file are identical. The
// second is then not counted (duplicate-person). Same name and birth date with a
// distinguishing difference (sex, ethnic group), or one row with an ID and the other
// without where they also differ, is possible-duplicate: both count.
func Records(cfg *schema.Config, recs []*normalize.Record) []issue.Issue {
	name, id, birth := cfg.Field(fieldName), cfg.Field(fieldID), cfg.Field(fieldBirth)
	if name == nil {
		return nil
	}
	var dist []*schema.Field
	for _, code := range distinguishing {
		if f := cfg.Field(code); f != nil {
			dist = append(dist, f)
		}
	}
	var out []issue.Issue
	byID := map[string]*normalize.Record{}
	byNameBirth := map[string][]*normalize.Record{}
	byRow := map[string]*normalize.Record{}
	byNameUnit := map[string]bool{}
	haveRoster := false
	for _, r := range recs {
		if r.Dataset != roster || !r.Counted() {
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
			if first := byID[idv.Text]; first != nil {
				out = append(out, repeat(r, id, idv, first))
				continue
			}
			byID[idv.Text] = r
		}
		if bv.Set {
			key := nk + "|" + bv.Text
			sure, unsure := (*normalize.Record)(nil), (*normalize.Record)(nil)
			var differ []string
			for _, first := range byNameBirth[key] {
				// Two people may share a name and a birth date; different IDs settle it.
				if fid := first.Value(id); idv.Set && fid.Set && fid.Text != idv.Text {
					continue
				}
				if d := differences(first, r, dist); len(d) > 0 {
					unsure, differ = first, d
					continue
				}
				sure = first
				break
			}
			switch {
			case sure != nil:
				out = append(out, repeat(r, name, nv, sure))
				continue
			case unsure != nil:
				is := issue.New(issue.PossibleDup, r.File, r.Sheet, r.Row, nv.Col)
				is.Field, is.Label, is.Raw, is.Source = name.Code, name.Label, nv.Raw, r.Path
				out = append(out, is.With("other", where(unsure)).With("differ", strings.Join(differ, ", ")))
			}
			byNameBirth[key] = append(byNameBirth[key], r)
			continue
		}
		if !idv.Set {
			// Neither ID nor birth date: only a row identical in every value is surely
			// the same person typed twice.
			key := r.Path + "\x00" + r.File + "\x00" + r.Sheet + "\x00" + rowKey(r, cfg)
			if first := byRow[key]; first != nil {
				out = append(out, repeat(r, name, nv, first))
				continue
			}
			byRow[key] = r
		}
	}
	if !haveRoster {
		return out
	}
	for _, r := range recs {
		if r.Dataset != training || !r.Counted() {
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
			if len(byNameBirth[nk+"|"+bv.Text]) > 0 {
				continue
			}
		} else if byNameUnit[nk+"|"+UnitKey(r.Unit)] {
			continue
		}
		is := issue.New(issue.UnknownPerson, r.File, r.Sheet, r.Row, nv.Col)
		is.Field, is.Label, is.Raw, is.Source = name.Code, name.Label, nv.Raw, r.Path
		out = append(out, is)
	}
	return out
}

// repeat marks r, the second copy of first, not counted and reports it.
func repeat(r *normalize.Record, f *schema.Field, v normalize.Value, first *normalize.Record) issue.Issue {
	r.NotCounted = normalize.Repeat
	is := issue.New(issue.DupPerson, r.File, r.Sheet, r.Row, v.Col)
	is.Field, is.Label, is.Raw, is.Source = f.Code, f.Label, v.Raw, r.Path
	return is.With("other", where(first))
}

func where(r *normalize.Record) string {
	return fmt.Sprintf("%s › %s, dòng %d", r.File, r.Sheet, r.Row)
}

// differences lists the labels of the fields both records give and that differ.
func differences(a, b *normalize.Record, fields []*schema.Field) []string {
	var out []string
	for _, f := range fields {
		va, vb := a.Value(f), b.Value(f)
		if va.Set && vb.Set && va.Text != vb.Text {
			out = append(out, f.Label)
		}
	}
	return out
}

// rowKey is every input value of a record, for spotting a row typed twice.
func rowKey(r *normalize.Record, cfg *schema.Config) string {
	var b strings.Builder
	for _, f := range cfg.Schema.Fields {
		if f.Code == "stt" || f.Index >= len(r.Values) {
			continue
		}
		b.WriteString(textfold.Key(r.Values[f.Index].Text))
		b.WriteByte(0)
	}
	return b.String()
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
