package issue

// Codes for what canbo decided while reading a sheet's layout: rows and tables it read
// but did not count, and what it is unsure of. A silent wrong count is the worst
// outcome canbo can have, so each of these decisions is reported (see docs/reading.md).
const (
	RowNotPerson    Code = "row-not-person"        // a row inside a list that is neither a person nor a heading: not counted
	PeopleLeft      Code = "people-left"           // a section of people who left ("Giảm biên chế"): listed, not counted
	SheetNotCounted Code = "sheet-not-counted"     // a sheet whose people are counted elsewhere, are examples, or come from another file
	TableNotList    Code = "table-not-list"        // a further table on a sheet that is not a list of people: not read
	TableUncertain  Code = "table-uncertain"       // a list recognised on little evidence
	PossibleDup     Code = "possible-duplicate"    // two rows that may be one person: both counted
	CombinedColumn  Code = "combined-column"       // one column holds several fields; read apart
	YearColumn      Code = "date-year-column"      // a column of birth years only: one note for the column
	PlaceholderDate Code = "placeholder-date"      // 01/01/1900 and the like: read as blank
	HiddenRows      Code = "hidden-rows"           // people read from rows hidden in the sheet
	SheetUnreadable Code = "sheet-unreadable"      // one sheet of the workbook is damaged; the others were read
	CellTooLong     Code = "cell-too-long"         // a cell beyond Excel's 32,767 characters: its value is cut
	FromName        Code = "value-from-name"       // a field the table has no column for, read off course names: one note per field
	NameAmbiguous   Code = "course-name-ambiguous" // a course name naming two values of a field read from it: left unknown

	// RuleFailed is a target's or standard's expression that could not be evaluated
	// on a person: the target is not computed. Configuration, not the unit's data, is
	// usually at fault; the cell says on whom it failed.
	RuleFailed Code = "rule-failed"
)

func init() {
	for _, c := range []Code{RowNotPerson, PeopleLeft, SheetNotCounted, TableNotList, TableUncertain, PossibleDup,
		CombinedColumn, YearColumn, PlaceholderDate, HiddenRows, CellTooLong, FromName, NameAmbiguous} {
		severities[c] = Warning
	}
	severities[RuleFailed] = Error
	severities[SheetUnreadable] = Error
}
