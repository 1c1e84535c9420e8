package document

// Weight is a flexible column's share of the width the others leave (Flex, 1 by
// default).
func (c Column) Weight() float64 {
	if c.Flex > 0 {
		return c.Flex
	}
	return 1
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
