package ingest

import (
	"sort"
	"strconv"
	"strings"

	"canbo/pipeline/issue"
	"canbo/pipeline/vnlegacy"
	"canbo/pipeline/workbook"
)

// Conversion records that text in one column of a sheet was typed in a legacy encoding
// (TCVN3/ABC or VNI) and was converted to Unicode before the sheet was read.
type Conversion struct {
	Col   int    // 1-based column
	From  string // "tcvn3" or "vni"
	Cells int    // cells converted in the column (copies of a merged cell not counted)
}

// legacyText finds and converts TCVN3 and VNI text in one sheet. It decides each column
// from the rows already buffered for header detection (the first header_search_rows
// rows: title, header and the first data rows), so it holds no rows of its own, then
// converts those rows and every row streamed after them, before header detection and
// value matching see any text.
type legacyText struct {
	verdict []vnlegacy.Column  // by column; index 0 unused; Unknown beyond the slice
	first   []int              // first row with legacy-looking text, by column
	sample  []string           // that cell's text
	sheet   vnlegacy.Encoding  // the encoding most legacy columns are in, else Unknown
	counts  map[Conversion]int // Col and From → cells
	active  bool               // some column is legacy, unsure or has legacy-font cells
	cache   map[cellKey]cellConv
}

// A roster repeats most of its values (positions, degrees, ethnic groups), so the
// conversion of each distinct cell of a column is remembered, up to maxCached cells.
type cellKey struct {
	col        int
	font, text string
}

type cellConv struct {
	text string
	from vnlegacy.Encoding
}

const maxCached = 4096

// newLegacyText decides the columns from the buffered rows and converts them in place.
func newLegacyText(head []workbook.Row) *legacyText {
	l := &legacyText{counts: map[Conversion]int{}, cache: map[cellKey]cellConv{}}
	var det []vnlegacy.Detector
	legacyFont := false
	for _, row := range head {
		for _, c := range row.Cells {
			// A merged cell counts in its own column only: a title merged across the
			// sheet says nothing of the columns below it.
			if c.Kind != workbook.Text || c.Col <= 0 || c.Merged {
				continue
			}
			for len(det) <= c.Col {
				det = append(det, vnlegacy.Detector{})
				l.first = append(l.first, 0)
				l.sample = append(l.sample, "")
			}
			if det[c.Col].Add(c.Text, c.Font) && l.first[c.Col] == 0 {
				l.first[c.Col], l.sample[c.Col] = row.Num, c.Text
			}
			if !legacyFont {
				enc, _ := vnlegacy.FontEncoding(c.Font)
				legacyFont = enc.Legacy()
			}
		}
	}
	l.verdict = make([]vnlegacy.Column, len(det))
	var n [vnlegacy.Unsure + 1]int
	for col := range det {
		v := det[col].Column()
		l.verdict[col] = v
		n[v.Enc]++
	}
	switch {
	case n[vnlegacy.TCVN3] > 0 && n[vnlegacy.TCVN3] >= n[vnlegacy.VNI]:
		l.sheet = vnlegacy.TCVN3
	case n[vnlegacy.VNI] > 0:
		l.sheet = vnlegacy.VNI
	}
	// A sheet with no legacy column, no unsure one and no legacy font anywhere in its
	// first rows is converted only where a later cell names a legacy font.
	l.active = l.sheet != vnlegacy.Unknown || n[vnlegacy.Unsure] > 0 || legacyFont
	for i := range head {
		l.apply(&head[i])
	}
	return l
}

// apply converts the legacy text of one row in place.
func (l *legacyText) apply(row *workbook.Row) {
	for i := range row.Cells {
		c := &row.Cells[i]
		if c.Kind != workbook.Text {
			continue
		}
		var v vnlegacy.Column
		if c.Col < len(l.verdict) {
			v = l.verdict[c.Col]
		}
		if !l.active && !fontMayBeLegacy(c.Font) || !vnlegacy.HasLegacyChars(c.Text) {
			continue
		}
		key := cellKey{c.Col, c.Font, c.Text}
		conv, ok := l.cache[key]
		if !ok {
			conv.text, conv.from = vnlegacy.ConvertCell(v, l.sheet, c.Text, c.Font)
			if len(l.cache) >= maxCached {
				clear(l.cache)
			}
			l.cache[key] = conv
		}
		out, from := conv.text, conv.from
		if !from.Legacy() {
			continue
		}
		c.Text = out
		if !c.Merged {
			l.counts[Conversion{Col: c.Col, From: from.String()}]++
		}
	}
}

// fontMayBeLegacy is a cheap first test of a font name (".Vn…", "VN…").
func fontMayBeLegacy(font string) bool {
	return font != "" && (font[0] == '.' || font[0] == 'v' || font[0] == 'V' || font[0] == ' ')
}

// conversions lists the converted columns, by encoding and then column.
func (l *legacyText) conversions() []Conversion {
	var out []Conversion
	for k, n := range l.counts {
		k.Cells = n
		out = append(out, k)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].From != out[j].From {
			return out[i].From > out[j].From // tcvn3 before vni
		}
		return out[i].Col < out[j].Col
	})
	return out
}

// encodingNames are how messages name the encodings.
var encodingNames = map[string]string{"tcvn3": "TCVN3 (ABC)", "vni": "VNI Windows"}

// issues reports the conversions (one warning per encoding, naming the columns) and
// each column left as is because its encoding was unclear (one warning, at its first
// legacy-looking cell).
func (l *legacyText) issues(file, sheet string) []issue.Issue {
	var out []issue.Issue
	conv := l.conversions()
	for i := 0; i < len(conv); {
		j, cells := i, 0
		var cols []string
		for ; j < len(conv) && conv[j].From == conv[i].From; j++ {
			cols = append(cols, issue.ColumnName(conv[j].Col))
			cells += conv[j].Cells
		}
		is := issue.New(issue.LegacyConverted, file, sheet, 0, conv[i].Col).
			With("encoding", encodingNames[conv[i].From]).With("columns", strings.Join(cols, ", ")).
			With("cells", strconv.Itoa(cells))
		out = append(out, is)
		i = j
	}
	for col, v := range l.verdict {
		if v.Enc != vnlegacy.Unsure {
			continue
		}
		is := issue.New(issue.LegacyUnsure, file, sheet, l.first[col], col)
		is.Raw = l.sample[col]
		out = append(out, is)
	}
	return out
}
