package document

// Weight is a flexible column's share of the width the others leave (Flex, 1 by
// default).
func (c Column) Weight() float64 {
	if c.Flex > 0 {
		return c.Flex
	}
	return 1
}

// FixedWidths sorts a table's columns as both renderers lay them out: a column of
// set Width keeps it; a Fit column is as wide as fit (its widest cell, mm) plus pad,
// but no wider than its Most unless its title's widest word (least) needs more;
// every other column is flexible, shared out afterwards. It returns the widths of
// the set and fitted columns (0 for the flexible ones), the flexible columns'
// indexes, the set and fitted columns' total, and the least the flexible ones take
// (each its title's widest word plus pad).
func FixedWidths(cols []Column, fit, least []float64, pad float64) (out []float64, flex []int, fixed, floor float64) {
	out = make([]float64, len(cols))
	for i, c := range cols {
		switch {
		case c.Width > 0:
			out[i] = c.Width
		case c.Fit:
			out[i] = fit[i] + pad
			if c.Most > 0 {
				out[i] = min(out[i], max(c.Most, least[i]+pad))
			}
		default:
			flex = append(flex, i)
			floor += least[i] + pad
			continue
		}
		fixed += out[i]
	}
	return out, flex, fixed, floor
}

// ShareByWeight gives the flexible columns open (indexes into cols) the width left,
// mm, by weight, and writes their widths into out: a column whose need is within
// its share gets just its need, and the others share what remains again; when none
// is, each gets its share, but never less than its floor. Both renderers size their
// text columns so.
func ShareByWeight(cols []Column, open []int, need, floor []float64, left float64, out []float64) {
	for len(open) > 0 {
		weights := 0.0
		for _, i := range open {
			weights += cols[i].Weight()
		}
		var still []int
		for _, i := range open {
			if need[i] <= left*cols[i].Weight()/weights {
				out[i] = need[i]
			} else {
				still = append(still, i)
			}
		}
		if len(still) == len(open) {
			for _, i := range open {
				out[i] = max(left*cols[i].Weight()/weights, floor[i])
			}
			return
		}
		for _, i := range open {
			if out[i] > 0 {
				left -= out[i]
			}
		}
		open = still
	}
}
