package workbook

import "bytes"

// parseRef parses an A1 reference such as "B7", "$B$7" or "b7" into a 1-based column
// and row. A missing part is 0 ("B" → 2, 0). Columns are limited to three letters and
// rows to seven digits, so a hostile reference cannot overflow.
func parseRef(b []byte) (col, row int, ok bool) {
	i := 0
	if i < len(b) && b[i] == '$' {
		i++
	}
	letters := 0
	for i < len(b) {
		c := b[i] | 0x20
		if c < 'a' || c > 'z' {
			break
		}
		if letters++; letters > 3 {
			return 0, 0, false
		}
		col = col*26 + int(c-'a'+1)
		i++
	}
	if i < len(b) && b[i] == '$' && letters > 0 {
		i++
	}
	digits := 0
	for i < len(b) && b[i] >= '0' && b[i] <= '9' {
		if digits++; digits > 7 {
			return 0, 0, false
		}
		row = row*10 + int(b[i]-'0')
		i++
	}
	if i != len(b) || letters == 0 && digits == 0 {
		return 0, 0, false
	}
	return col, row, true
}

// parseRange parses "A1:B2" (or a single cell "A1") into a Range, swapping corners
// given in the wrong order, as Excel does.
func parseRange(b []byte) (Range, bool) {
	b = bytes.TrimSpace(b)
	first, second, found := bytes.Cut(b, []byte(":"))
	if !found {
		second = first
	}
	c1, r1, ok1 := parseRef(first)
	c2, r2, ok2 := parseRef(second)
	if !ok1 || !ok2 || c1 == 0 || r1 == 0 || c2 == 0 || r2 == 0 {
		return Range{}, false
	}
	return Range{Top: min(r1, r2), Left: min(c1, c2), Bottom: max(r1, r2), Right: max(c1, c2)}, true
}
