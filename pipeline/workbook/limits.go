package workbook

import (
	"strconv"
)

// DefaultLimits are generous enough for any real personnel roster (Excel itself stops
// at 1,048,576 rows) while keeping one hostile file from taking the machine down.
var DefaultLimits = Limits{
	MaxFileSize:      200 << 20,
	MaxUnzipped:      2 << 30,
	MaxPartSize:      1 << 30,
	MaxSharedStrings: 5_000_000,
	MaxRows:          1_048_576,
	MaxColumns:       512,
	MaxMerges:        200_000,
}

// withDefaults fills zero (or negative) fields from DefaultLimits, so callers can set
// only the limits they care about.
func (l Limits) withDefaults() Limits {
	d := DefaultLimits
	if l.MaxFileSize <= 0 {
		l.MaxFileSize = d.MaxFileSize
	}
	if l.MaxUnzipped <= 0 {
		l.MaxUnzipped = d.MaxUnzipped
	}
	if l.MaxPartSize <= 0 {
		l.MaxPartSize = d.MaxPartSize
	}
	if l.MaxSharedStrings <= 0 {
		l.MaxSharedStrings = d.MaxSharedStrings
	}
	if l.MaxRows <= 0 {
		l.MaxRows = d.MaxRows
	}
	if l.MaxColumns <= 0 {
		l.MaxColumns = d.MaxColumns
	}
	if l.MaxMerges <= 0 {
		l.MaxMerges = d.MaxMerges
	}
	return l
}

// humanBytes renders a byte count the way a clerk's message should quote a limit:
// "200 MB", "1.5 GB", "512 KB". Units are binary (as Windows Explorer shows them).
func humanBytes(n int64) string {
	const unit = 1024
	if n < unit {
		return strconv.FormatInt(n, 10) + " bytes"
	}
	units := []string{"KB", "MB", "GB", "TB", "PB", "EB"}
	v := float64(n) / unit
	i := 0
	for v >= unit && i < len(units)-1 {
		v /= unit
		i++
	}
	s := strconv.FormatFloat(v, 'f', 1, 64)
	if len(s) > 2 && s[len(s)-2:] == ".0" {
		s = s[:len(s)-2]
	}
	return s + " " + units[i]
}
