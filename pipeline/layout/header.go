// Package layout finds the table inside a sheet as people really lay it out: title
// block, merged multi-row header, column-number row, group, total and footer rows.
//
// A header is found by scoring blocks of up to max_header_rows consecutive rows near
// the top: each column's header path (the distinct texts from top to bottom of the
// block, merged cells already expanded by the reader) is matched against the schema's
// header synonyms, and the block that recognises the most fields wins, the smallest
// block on a tie. For the sheet
//
//	row 7:  STT | Họ và tên | Ngày tháng năm sinh       | Trình độ
//	row 8:  STT | Họ và tên | Nam        | Nữ           | Chuyên môn | LLCT
//	row 9:  (1) | (2)       | (3)        | (4)          | (5)        | (6)
//
// Detect returns header rows [7 8], drops row 9, and maps C to ngay_sinh with
// gioi_tinh = nam, D to ngay_sinh with gioi_tinh = nu, E to trinh_do_chuyen_mon and F
// to ly_luan_chinh_tri. A header leaf that is a vocabulary value of its parent's field
// ("Trình độ chuyên môn / Đại học") makes a mark column: an "x" below it sets the value.
package layout

import (
	"sort"
	"strings"

	"canbo/pipeline/normalize"
	"canbo/pipeline/schema"
	"canbo/pipeline/textfold"
	"canbo/pipeline/workbook"
)

// Detector holds the configuration folded for matching. Build it once with New; it is
// safe for concurrent use.
type Detector struct {
	cfg      *schema.Config
	norm     *normalize.Normalizer
	abbrev   map[string]string
	synonyms map[string]*schema.Field // expanded folded synonym → field
	bySize   []synonym                // longest first, for containment
	markable []*schema.Field          // enum fields that may appear as lone mark columns
	words    rowWords
}

type synonym struct {
	key   string
	field *schema.Field
}

// New folds the schema's header synonyms and row words.
func New(n *normalize.Normalizer) *Detector {
	cfg := n.Config()
	d := &Detector{cfg: cfg, norm: n, abbrev: map[string]string{}, synonyms: map[string]*schema.Field{}}
	for k, v := range cfg.Schema.Abbreviations {
		d.abbrev[textfold.Key(k)] = textfold.Key(v)
	}
	for _, f := range cfg.Schema.Fields {
		for _, h := range append([]string{f.Label}, f.Headers...) {
			k := d.headerKey(h)
			if k == "" {
				continue
			}
			if _, dup := d.synonyms[k]; !dup {
				d.synonyms[k] = f
				d.bySize = append(d.bySize, synonym{k, f})
			}
		}
		if f.Unmarked != "" {
			d.markable = append(d.markable, f)
		}
	}
	sort.SliceStable(d.bySize, func(i, j int) bool { return len(d.bySize[i].key) > len(d.bySize[j].key) })
	d.words = newRowWords(cfg.Layout)
	return d
}

// headerKey folds a header text and expands abbreviations word by word:
// "TĐCM" → "trinh do chuyen mon", "Số CCCD" → "so can cuoc cong dan".
func (d *Detector) headerKey(s string) string {
	k := textfold.Key(s)
	if k == "" {
		return ""
	}
	parts := strings.Split(k, " ")
	changed := false
	for i, p := range parts {
		if e, ok := d.abbrev[p]; ok {
			parts[i] = e
			changed = true
		}
	}
	if !changed {
		return k
	}
	return strings.Join(parts, " ")
}

// match is how one column's header path was understood.
type match struct {
	field *schema.Field   // value read from the cell
	mark  *normalize.Mark // filled cell sets this code
	how   int             // 3 exact, 2 contained, 1 mark only — for duplicate resolution
}

func (m match) fields() []*schema.Field {
	var out []*schema.Field
	if m.field != nil {
		out = append(out, m.field)
	}
	if m.mark != nil && m.mark.Field != m.field {
		out = append(out, m.mark.Field)
	}
	return out
}

// matchPath interprets a header path of folded segments, top to bottom.
func (d *Detector) matchPath(segs []string) (match, bool) {
	n := len(segs)
	if n == 0 {
		return match{}, false
	}
	leaf := segs[n-1]
	// A leaf that is a value of its parent's field: a mark column.
	for i := n - 1; i >= 1; i-- {
		parent, ok := d.matchField(segs[:i])
		if !ok {
			continue
		}
		if m := d.norm.FieldMatcher(parent); m != nil && parent.Type != schema.TypeBool {
			if code := m.MatchExact(leaf); code != "" {
				return match{mark: &normalize.Mark{Field: parent, Code: code}, how: 1}, true
			}
		}
		// A date written under "Nam" or "Nữ": the column is the date, the leaf the sex.
		for _, g := range d.markable {
			if code := d.norm.Matcher(g.Vocabulary).MatchExact(leaf); code != "" && g != parent {
				return match{field: parent, mark: &normalize.Mark{Field: g, Code: code}, how: 2}, true
			}
		}
		break
	}
	if f, ok := d.matchField(segs); ok {
		how := 2
		if _, exact := d.synonyms[leaf]; exact {
			how = 3
		}
		return match{field: f, how: how}, true
	}
	// A lone "Nữ" column with an "x" for each woman.
	for _, g := range d.markable {
		if code := d.norm.Matcher(g.Vocabulary).MatchExact(leaf); code != "" {
			return match{mark: &normalize.Mark{Field: g, Code: code}, how: 1}, true
		}
	}
	return match{}, false
}

// matchField finds the field a header path names: an exact synonym on the shortest
// suffix of the path first ("Trình độ / Chuyên môn" → the leaf "chuyên môn"), then the
// longest synonym contained in the leaf, then in longer suffixes.
func (d *Detector) matchField(segs []string) (*schema.Field, bool) {
	n := len(segs)
	for s := 1; s <= n; s++ {
		if f, ok := d.synonyms[strings.Join(segs[n-s:], " ")]; ok {
			return f, true
		}
	}
	for s := 1; s <= n; s++ {
		key := strings.Join(segs[n-s:], " ")
		for _, syn := range d.bySize {
			if len(syn.key) <= len(key) && textfold.HasWords(key, syn.key) {
				return syn.field, true
			}
		}
	}
	return nil, false
}

// cellText returns the text a header cell shows; numbers and dates in a header block
// are shown too, since column-number rows and years are part of real headers.
func cellText(c workbook.Cell) string {
	switch c.Kind {
	case workbook.Text:
		return textfold.Clean(c.Text)
	case workbook.Number, workbook.Bool, workbook.ErrorValue:
		return c.Text
	case workbook.Date:
		return c.Time.Format("02/01/2006")
	}
	return ""
}

// paths builds each column's header path over rows[from:to].
func (d *Detector) paths(rows []workbook.Row, from, to int) map[int][]string {
	out := map[int][]string{}
	for _, r := range rows[from:to] {
		for _, c := range r.Cells {
			if c.Kind != workbook.Text {
				continue
			}
			k := d.headerKey(c.Text)
			if k == "" {
				continue
			}
			p := out[c.Col]
			if len(p) > 0 && p[len(p)-1] == k {
				continue // a vertical merge repeats the same text
			}
			out[c.Col] = append(p, k)
		}
	}
	return out
}

// candidate is one header block and what it maps.
type candidate struct {
	from, to int // indexes into the buffered rows, to exclusive
	cols     map[int]match
	paths    map[int][]string
	score    int // see evaluate
}

func (d *Detector) evaluate(rows []workbook.Row, from, to int) candidate {
	c := candidate{from: from, to: to, cols: map[int]match{}, paths: d.paths(rows, from, to)}
	distinct := map[*schema.Field]bool{}
	for col, p := range c.paths {
		if m, ok := d.matchPath(p); ok {
			c.cols[col] = m
			for _, f := range m.fields() {
				distinct[f] = true
			}
		}
	}
	// Distinct fields first; then mapped columns, so "Trình độ chuyên môn / Thạc sĩ |
	// Đại học" (one field, several mark columns) beats its parent row alone.
	c.score = len(distinct)*1000 + len(c.cols)
	return c
}
