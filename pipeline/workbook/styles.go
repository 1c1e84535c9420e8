package workbook

import (
	"bytes"
	"context"
	"strings"
)

// xfInfo is what a cell's style index (the s attribute) tells this reader: the number
// format, whether that format shows a date, and the font name. It is precomputed per
// cell format so the per-cell cost is one slice index.
type xfInfo struct {
	numFmt string
	date   bool
	font   string
}

type styleTable struct {
	xfs []xfInfo
}

// xf returns the format of style index i. Cells without s use format 0; an index
// outside the table (a damaged file) reads as General with no font, like Excel.
func (t *styleTable) xf(i int) xfInfo {
	if i >= 0 && i < len(t.xfs) {
		return t.xfs[i]
	}
	return xfInfo{}
}

// builtinNumFmts are the format codes Excel implies for ids without a <numFmt>. The
// ids 27–36 and 50–58 are locale-dependent (CJK) date formats whose code depends on
// the viewer's locale; they are reported as an ISO-like date code.
var builtinNumFmts = map[int]string{
	1: "0", 2: "0.00", 3: "#,##0", 4: "#,##0.00",
	5: `$#,##0_);($#,##0)`, 6: `$#,##0_);[Red]($#,##0)`,
	7: `$#,##0.00_);($#,##0.00)`, 8: `$#,##0.00_);[Red]($#,##0.00)`,
	9: "0%", 10: "0.00%", 11: "0.00E+00", 12: "# ?/?", 13: "# ??/??",
	14: "mm-dd-yy", 15: "d-mmm-yy", 16: "d-mmm", 17: "mmm-yy",
	18: "h:mm AM/PM", 19: "h:mm:ss AM/PM", 20: "h:mm", 21: "h:mm:ss", 22: "m/d/yy h:mm",
	37: "#,##0 ;(#,##0)", 38: "#,##0 ;[Red](#,##0)",
	39: "#,##0.00;(#,##0.00)", 40: "#,##0.00;[Red](#,##0.00)",
	41: `_(* #,##0_);_(* \(#,##0\);_(* "-"_);_(@_)`,
	42: `_("$"* #,##0_);_("$"* \(#,##0\);_("$"* "-"_);_(@_)`,
	43: `_(* #,##0.00_);_(* \(#,##0.00\);_(* "-"??_);_(@_)`,
	44: `_("$"* #,##0.00_);_("$"* \(#,##0.00\);_("$"* "-"??_);_(@_)`,
	45: "mm:ss", 46: "[h]:mm:ss", 47: "mmss.0", 48: "##0.0E+0", 49: "@",
}

const localeDateFmt = "yyyy-mm-dd"

// builtinDate reports the built-in ids Excel treats as dates or times.
func builtinDate(id int) bool {
	return id >= 14 && id <= 22 || id >= 27 && id <= 36 || id >= 45 && id <= 47 || id >= 50 && id <= 58
}

func builtinCode(id int) string {
	if c, ok := builtinNumFmts[id]; ok {
		return c
	}
	if builtinDate(id) {
		return localeDateFmt
	}
	return ""
}

// isDateCode decides whether a custom number format shows a date. The rule is kept
// simple on purpose: after removing literal text ("quoted", \x escapes, _x padding,
// *x fills) and bracketed sections ([Red], [$-42A], but not the elapsed-time [h], [m],
// [s]), the format is a date if it contains d or y, or if it contains m (month) with
// neither h nor s (which would make m mean minutes). Time-only formats such as "h:mm"
// or "[h]:mm:ss" stay numbers: a duration is not a date.
func isDateCode(code string) bool {
	var has [128]bool
	for i := 0; i < len(code); i++ {
		c := code[i]
		switch c {
		case '"':
			j := strings.IndexByte(code[i+1:], '"')
			if j < 0 {
				return has['d'] || has['y']
			}
			i += j + 1
			continue
		case '\\', '_', '*':
			i++
			continue
		case '[':
			j := strings.IndexByte(code[i+1:], ']')
			if j < 0 {
				i = len(code)
				continue
			}
			inner := strings.ToLower(code[i+1 : i+1+j])
			if inner != "" && strings.Trim(inner, "hms") == "" {
				has[inner[0]] = true
			}
			i += j + 1
			continue
		}
		if c < 128 {
			has[c|0x20] = true // ASCII letters to lower case; other bytes are ignored below
		}
	}
	return has['d'] || has['y'] || has['m'] && !has['h'] && !has['s']
}

// readStyles loads number formats, fonts and cell formats from styles.xml.
func (b *Book) readStyles(ctx context.Context, part string) error {
	rc, err := b.openPart(part)
	if err != nil {
		return err
	}
	defer rc.Close()
	sc := newScanner(rc)
	custom := map[int]string{}
	var fonts []string
	type xfRaw struct{ numFmt, font int }
	var xfs []xfRaw
	var section string
	for n := 0; ; n++ {
		if n&4095 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		k, err := sc.next()
		if err != nil {
			return classify(b.src, part, err)
		}
		if k == tokEOF {
			break
		}
		if k != tokStart {
			continue
		}
		d := sc.depth()
		if d == 2 {
			section = string(sc.name())
			continue
		}
		switch {
		case section == "numFmts" && d == 3 && string(sc.name()) == "numFmt":
			id, ok := atoiBytes(attrOr(sc, "numFmtId"))
			if !ok {
				continue
			}
			code, err := sc.attrString("formatCode")
			if err != nil {
				return classify(b.src, part, err)
			}
			custom[id] = code
		case section == "fonts" && d == 3 && string(sc.name()) == "font":
			fonts = append(fonts, "")
		case section == "fonts" && d == 4 && string(sc.name()) == "name" && len(fonts) > 0:
			v, err := sc.attrString("val")
			if err != nil {
				return classify(b.src, part, err)
			}
			fonts[len(fonts)-1] = v
		case section == "cellXfs" && d == 3 && string(sc.name()) == "xf":
			nf, _ := atoiBytes(attrOr(sc, "numFmtId"))
			fi, ok := atoiBytes(attrOr(sc, "fontId"))
			if !ok {
				fi = -1
			}
			xfs = append(xfs, xfRaw{nf, fi})
		}
	}
	b.styles.xfs = make([]xfInfo, len(xfs))
	for i, x := range xfs {
		info := &b.styles.xfs[i]
		if code, ok := custom[x.numFmt]; ok {
			info.numFmt = code
			info.date = isDateCode(code)
			if strings.EqualFold(code, "General") {
				info.numFmt = ""
			}
		} else {
			info.numFmt = builtinCode(x.numFmt)
			info.date = builtinDate(x.numFmt)
		}
		if x.font >= 0 && x.font < len(fonts) {
			info.font = fonts[x.font]
		}
	}
	return nil
}

func attrOr(sc *scanner, name string) []byte {
	v, _ := sc.attr(name)
	return v
}

// atoiBytes parses a small non-negative decimal number (ids, indexes, row numbers).
func atoiBytes(b []byte) (int, bool) {
	b = bytes.TrimSpace(b)
	if len(b) == 0 || len(b) > 10 {
		return 0, false
	}
	n := 0
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}
