package issue

import (
	"maps"
	"slices"
	"strconv"
	"strings"
)

// Group is problems that say the same of several cells: the same code and severity
// in the same file, sheet and column, about the same field, the same value written
// and the same details. A clerk reads "141 cells of column G say …" once, not 141
// lines; every cell is still listed (and marked in the feedback workbook).
type Group struct {
	Issue Issue    // the first of the group, which stands for it
	Cells []string // every cell of the group, in the order found
	Count int      // problems in the group, each flood's unlisted ones (More) included
}

// GroupSame groups list's identical problems of cells, in the order each group was
// first found. A problem of no single cell (a file's, a sheet's, a column's) is a
// group of its own.
func GroupSame(list []Issue) []Group {
	var groups []Group
	at := map[string]int{}
	for _, is := range list {
		n := 1 + is.More
		if is.Row <= 0 || is.Col <= 0 {
			groups = append(groups, Group{Issue: is, Count: n})
			continue
		}
		k := SameKey(is)
		if i, ok := at[k]; ok {
			groups[i].Cells = append(groups[i].Cells, is.Cell())
			groups[i].Count += n
			continue
		}
		at[k] = len(groups)
		groups = append(groups, Group{Issue: is, Cells: []string{is.Cell()}, Count: n})
	}
	return groups
}

// SameKey is what two problems of cells must share to be said once: all but their
// row, and their message but for the cell it names ("Ô E20: …"), so that only
// problems a clerk reads as the same are grouped. Only problems of one cell (Row and
// Col set) are grouped.
func SameKey(is Issue) string {
	var b strings.Builder
	msg := is.Message
	if c := is.Cell(); c != "" {
		msg = strings.ReplaceAll(msg, c, "\x00")
	}
	for _, s := range []string{string(is.Code), strconv.Itoa(int(is.Severity)), is.File, is.Sheet,
		strconv.Itoa(is.Col), is.Field, is.Label, is.Raw, is.Source, msg} {
		b.WriteString(strconv.Itoa(len(s)))
		b.WriteByte(':')
		b.WriteString(s)
	}
	for _, k := range slices.Sorted(maps.Keys(is.Args)) {
		b.WriteString(strconv.Itoa(len(k)) + ":" + k + strconv.Itoa(len(is.Args[k])) + ":" + is.Args[k])
	}
	return b.String()
}
