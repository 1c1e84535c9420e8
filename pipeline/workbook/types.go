package workbook

import (
	"sort"
	"time"

	"canbo/pipeline/issue"
)

// Kind is what a cell holds after reading.
type Kind uint8

const (
	Blank      Kind = iota // nothing, or a formula saved without its value (see Cell.NoCache)
	Text                   // a shared, inline or formula string
	Number                 // a number whose format is not a date format
	Date                   // a number whose format is a date format; Cell.Time holds it
	Bool                   // TRUE or FALSE
	ErrorValue             // #N/A, #REF!, …
)

// Cell is one cell as read from the file. Text is never cleaned here: normalisation
// happens later, and legacy-encoding detection needs the bytes as they were.
type Cell struct {
	Col     int  // 1-based column
	Kind    Kind // what the cell holds
	Formula bool // the cell holds a formula (its cached value, if any, is what Kind/Text show)
	NoCache bool // a formula saved without a cached value: Kind is Blank
	Merged  bool // the value was copied from the top-left cell of a merged range
	// RefExternal is set when a formula reads from another workbook ("'[1]Sheet'!A2"):
	// a list made of such cells repeats people listed elsewhere. Not read from .xls
	// files. (The small fields come first so that a Cell takes 112 bytes, not 136: a
	// sheet's rows are made of millions of them.)
	RefExternal bool
	Text        string    // Text: the string; Number/Date: the stored literal ("28374", "12.5"); Bool: "TRUE"/"FALSE"; ErrorValue: "#N/A"
	Num         float64   // Number and Date: the value
	Time        time.Time // Date: the moment in UTC, with the workbook's 1900 or 1904 system applied
	// RefSheet is the other sheet a formula reads from ("'Thông tin HV'!C4"). Not read
	// from .xls files.
	RefSheet string
	Font     string // font name of the cell's style, or of the first rich-text run that names one
	NumFmt   string // number format code, "" for General
}

// Row is one row of a sheet. Cells holds only cells that have something (a value, or a
// formula without a cached value), sorted by column; merged copies are included.
type Row struct {
	Num    int // 1-based sheet row
	Hidden bool
	Cells  []Cell
}

// Cell returns the cell at a 1-based column, or a Blank cell.
func (r Row) Cell(col int) Cell {
	i := sort.Search(len(r.Cells), func(i int) bool { return r.Cells[i].Col >= col })
	if i < len(r.Cells) && r.Cells[i].Col == col {
		return r.Cells[i]
	}
	return Cell{Col: col}
}

// Range is a rectangle of cells, 1-based and inclusive, as in a merged range "B7:B8".
type Range struct {
	Top, Left, Bottom, Right int
}

// SheetInfo describes one worksheet of a workbook, in workbook order.
type SheetInfo struct {
	Index  int    // 0-based position among worksheets
	Name   string // as shown on the tab
	Hidden bool   // state="hidden" or "veryHidden"
}

// Limits bound the resources one file may use, so a hostile or broken file cannot
// exhaust memory or time. Zero fields take the defaults from DefaultLimits.
type Limits struct {
	MaxFileSize      int64 // bytes on disk (default 200 MiB)
	MaxUnzipped      int64 // total decompressed bytes of all parts read (default 2 GiB)
	MaxPartSize      int64 // decompressed bytes of one XML part (default 1 GiB)
	MaxSharedStrings int   // entries in the shared-string table (default 5,000,000)
	MaxRows          int   // rows read per sheet (default 1,048,576)
	MaxColumns       int   // columns kept per row; cells to the right are dropped (default 512)
	MaxMerges        int   // merged ranges kept per sheet (default 200,000)
}

// Error is returned by Open and by Rows when a file cannot be used. Code says which
// kind of problem it is, Args carries facts a message may quote ("format": "xls",
// "limit": "200 MB"), and Err is the underlying cause for logs.
type Error struct {
	Code issue.Code
	Args map[string]string
	Err  error
}

func (e *Error) Error() string {
	s := string(e.Code)
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

func (e *Error) Unwrap() error { return e.Err }
