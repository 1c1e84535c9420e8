// Package issue defines the one type every stage uses to report a problem in an input:
// a stable code, a severity and the exact place (file, sheet, A1 cell, field).
//
// Stages never print and never stop at the first problem: they return what they produced
// together with a []Issue. The Vietnamese text a clerk reads is not written here; it is
// rendered from templates/messages.yaml by a Catalog, so an office can reword it without
// touching Go code, and tests compare codes and cells, not prose.
package issue

import (
	"fmt"
	"sort"
	"strconv"
)

// Severity says whether a problem blocks (error) or is only reported (warning).
type Severity int

const (
	// Error blocks the value or the file: the clerk must fix it.
	Error Severity = iota + 1
	// Warning is reported only; the value or file is still used as read.
	Warning
)

// String returns the code used in summary.json: "error" or "warning".
func (s Severity) String() string {
	switch s {
	case Error:
		return "error"
	case Warning:
		return "warning"
	}
	return "severity(" + strconv.Itoa(int(s)) + ")"
}

// Code is a stable, documented identifier of a kind of problem (see docs/issue-codes.md).
type Code string

// File-level codes: the file as a whole could not be used.
const (
	NotWorkbook   Code = "file-not-workbook"  // not a spreadsheet at all
	Encrypted     Code = "file-encrypted"     // password-protected workbook
	Corrupt       Code = "file-corrupt"       // damaged zip or XML
	LegacyFormat  Code = "file-legacy-format" // .xls, .xlsb, .ods, HTML or XML 2003 saved as .xls
	TooLarge      Code = "file-too-large"     // over a size or decompression limit
	EmptyWorkbook Code = "file-empty"         // no sheet with any data
	NoTable       Code = "no-table"           // no sheet has a recognisable header
	ReadFailed    Code = "file-unreadable"    // the operating system could not read it
	SheetTooLarge Code = "sheet-limit"        // a sheet was cut at a row, column or merge limit
	Duplicated    Code = "file-duplicate"     // the same content was submitted twice
	Superseded    Code = "file-superseded"    // a newer file from the same unit replaced it
	HiddenSheet   Code = "hidden-sheet-used"  // data was read from a hidden sheet
	FormulaNoVal  Code = "formula-no-value"   // formula cell saved without its computed value
	MissingColumn Code = "missing-column"     // a required field has no column
	DupColumn     Code = "duplicate-column"   // two columns map to the same field
	UnitUnknown   Code = "unit-not-found"     // the unit came from the file name only
	TotalMismatch Code = "total-mismatch"     // a totals row disagrees with the persons listed
	RequiredValue Code = "required-value"     // a required cell is blank
	BadDate       Code = "invalid-date"       // a date that cannot be read
	YearOnly      Code = "date-year-only"     // only the year was given; read as 01/01
	BadAge        Code = "implausible-age"    // the birth date gives an impossible age
	BadNumber     Code = "invalid-number"     // a number that cannot be read
	BadID         Code = "invalid-id"         // a citizen ID that is not 9 or 12 digits
	IDZeroLost    Code = "id-leading-zero"    // the ID was stored as a number; leading zeros restored
	UnknownValue  Code = "unknown-value"      // not in the field's vocabulary
	GuessedValue  Code = "value-corrected"    // a near spelling accepted as a vocabulary value
	ConflictMarks Code = "conflicting-marks"  // two mark columns of one field both marked
	DupPerson     Code = "duplicate-person"   // the same person listed twice
	UnknownPerson Code = "unknown-person"     // a training record whose person is in no roster
	Unclassified  Code = "training-unclassified"
)

// severities gives the default severity of each code. A code missing here is a
// programming error caught by the tests.
var severities = map[Code]Severity{
	NotWorkbook: Error, Encrypted: Error, Corrupt: Error, LegacyFormat: Error,
	TooLarge: Error, EmptyWorkbook: Error, NoTable: Error, ReadFailed: Error,
	SheetTooLarge: Warning, Duplicated: Warning, Superseded: Warning, HiddenSheet: Warning,
	FormulaNoVal: Error, MissingColumn: Error, DupColumn: Warning,
	UnitUnknown: Warning, TotalMismatch: Warning,
	RequiredValue: Error, BadDate: Error, YearOnly: Warning, BadAge: Error,
	BadNumber: Error, BadID: Error, IDZeroLost: Warning, UnknownValue: Error,
	GuessedValue: Warning, ConflictMarks: Error, DupPerson: Error, UnknownPerson: Warning,
	Unclassified: Warning,
}

// Codes lists every code, sorted, for documentation and tests.
func Codes() []Code {
	out := make([]Code, 0, len(severities))
	for c := range severities {
		out = append(out, c)
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}

// DefaultSeverity returns the severity a code carries unless a stage overrides it.
func DefaultSeverity(c Code) Severity {
	if s, ok := severities[c]; ok {
		return s
	}
	return Error
}

// Issue is one problem found in an input. Row and Col are 1-based like Excel; 0 means
// the problem is not tied to a row or a column (a file-level problem, say).
type Issue struct {
	Code     Code
	Severity Severity
	File     string // the input's base name, as the clerk knows it
	Sheet    string
	Row, Col int
	Field    string            // field code from the schema, if any
	Label    string            // the field's Vietnamese label, for messages
	Raw      string            // the value as found in the cell
	Args     map[string]string // extra facts a message may quote (expected values, the other copy…)
	Message  string            // rendered Vietnamese text; filled by Catalog.Render
	// Source is the path of the input the issue is about, when a stage that sees many
	// files found it (package validate): File is the name shown, Source tells two
	// files of the same name apart. Never shown.
	Source string
	// More is how many further issues of the same code and severity, in the same
	// table, this one stands for without listing them: a sheet of a million bad cells or
	// repeated people lists the first ones with their cells and says how many more
	// (ingest), so memory stays bounded while every count (Count) stays exact.
	More int
}

// New returns an issue with the code's default severity.
func New(code Code, file, sheet string, row, col int) Issue {
	return Issue{Code: code, Severity: DefaultSeverity(code), File: file, Sheet: sheet, Row: row, Col: col}
}

// With returns a copy of the issue with one more message argument.
func (i Issue) With(key, value string) Issue {
	args := make(map[string]string, len(i.Args)+1)
	for k, v := range i.Args {
		args[k] = v
	}
	args[key] = value
	i.Args = args
	return i
}

// Cell returns the A1 reference ("E12"), the column ("E") or the row ("12") the
// issue points at, or "" when it points at the whole file.
func (i Issue) Cell() string {
	switch {
	case i.Row > 0 && i.Col > 0:
		return ColumnName(i.Col) + strconv.Itoa(i.Row)
	case i.Col > 0:
		return ColumnName(i.Col)
	case i.Row > 0:
		return strconv.Itoa(i.Row)
	}
	return ""
}

// Where returns "file › sheet!E12" for logs and plain-text listings.
func (i Issue) Where() string {
	s := i.File
	if i.Sheet != "" {
		s += " › " + i.Sheet
		if c := i.Cell(); c != "" {
			s += "!" + c
		}
	}
	return s
}

// Error makes an Issue usable as an error value.
func (i Issue) Error() string {
	msg := i.Message
	if msg == "" {
		msg = string(i.Code)
		if i.Raw != "" {
			msg += fmt.Sprintf(" %q", i.Raw)
		}
	}
	return i.Where() + ": " + msg
}

// ColumnName converts a 1-based column number to Excel letters: 1 → A, 27 → AA.
func ColumnName(col int) string {
	if col <= 0 {
		return ""
	}
	var b [8]byte
	i := len(b)
	for col > 0 {
		col--
		i--
		b[i] = byte('A' + col%26)
		col /= 26
	}
	return string(b[i:])
}

// Counts tallies errors, warnings and each code.
type Counts struct {
	Errors   int          `json:"errors"`
	Warnings int          `json:"warnings"`
	ByCode   map[Code]int `json:"by_code"`
}

// Count tallies a list of issues.
func Count(list []Issue) Counts {
	c := Counts{ByCode: map[Code]int{}}
	for _, is := range list {
		n := 1 + is.More
		switch is.Severity {
		case Error:
			c.Errors += n
		case Warning:
			c.Warnings += n
		}
		c.ByCode[is.Code] += n
	}
	return c
}

// Sort orders issues by file, sheet, row, column and code, so listings are stable.
func Sort(list []Issue) {
	sort.SliceStable(list, func(a, b int) bool {
		x, y := list[a], list[b]
		if x.File != y.File {
			return x.File < y.File
		}
		if x.Sheet != y.Sheet {
			return x.Sheet < y.Sheet
		}
		if x.Row != y.Row {
			return x.Row < y.Row
		}
		if x.Col != y.Col {
			return x.Col < y.Col
		}
		return x.Code < y.Code
	})
}

// ColumnNumber converts column letters ("A", "ac") to a 1-based number, 0 when they
// are not letters.
func ColumnNumber(letters string) int {
	n := 0
	for _, r := range letters {
		switch {
		case r >= 'A' && r <= 'Z':
			n = n*26 + int(r-'A') + 1
		case r >= 'a' && r <= 'z':
			n = n*26 + int(r-'a') + 1
		default:
			return 0
		}
		if n > 1<<20 {
			return 0
		}
	}
	return n
}
