package xlsxreport

import (
	"canbo/pipeline/reporttext"
	"canbo/pipeline/summary"
)

// rosterChanges is the sheet of the comparison with the previous period's rosters
// (summary.json roster_changes): who moved between units, joined, left, and whom
// canbo could not tell for sure, each with the row to look at. The title says the
// counts and names the units not compared, whose people are in neither joined nor
// left, so that a unit that did not send is not read as everyone leaving. None
// without a previous period.
func (b *book) rosterChanges() (sheetSpec, bool) {
	rc := b.s.RosterChanges
	if rc == nil {
		return sheetSpec{}, false
	}
	d := rc.MovedByDirection
	notes := []string{b.fill("xlsx_changes_roster_note", "previous", reporttext.Period(rc.Previous),
		"joined", reporttext.Int(rc.Joined), "left", reporttext.Int(rc.Left), "moved", reporttext.Int(rc.Moved),
		"down", reporttext.Int(d["xuong"]), "level", reporttext.Int(d["ngang"]), "up", reporttext.Int(d["len"]),
		"unsure", reporttext.Int(rc.Unsure), "register", reporttext.Int(rc.InRegister))}
	for _, u := range rc.UnitsNotCompared {
		notes = append(notes, b.fill("xlsx_changes_not_compared_"+u.Missing, "unit", u.Unit, "people", reporttext.Int(u.People)))
	}
	cols := []colSpec{{5, 6}, {14, 20}, {18, 26}, {11, 12}, {24, 40}, {24, 40}, {14, 18}, {18, 30}, {18, 30}, {6, 8}}
	n := len(cols)
	row := make([]cell, n)
	body := func(put func([]cell) error) error {
		for i, c := range rc.List {
			row[0] = b.c(i+1, kCenter, ePlain)
			row[1] = b.c(b.label("xlsx_change_"+c.Change), kText, ePlain)
			row[2] = b.c(c.Name, kText, ePlain)
			row[3] = b.c(reporttext.Date(c.BirthDate), kCenter, ePlain)
			row[4] = b.c(c.FromUnit, kWrap, ePlain)
			row[5] = b.c(c.ToUnit, kWrap, ePlain)
			why := ""
			switch {
			case c.Change == summary.ChangeMoved:
				why = b.label("xlsx_direction_" + c.Direction)
			case c.Reason != "":
				why = b.label("xlsx_change_reason_" + c.Reason)
			}
			row[6] = b.c(why, kWrap, ePlain)
			row[7] = b.c(c.File, kWrap, ePlain)
			prev := ""
			if c.PreviousFile != "" {
				prev = b.fill("xlsx_change_previous_row", "file", c.PreviousFile, "row", reporttext.Int(c.PreviousRow))
			}
			row[8] = b.c(prev, kWrap, ePlain)
			row[9] = b.c(c.Row, kCenter, ePlain)
			if err := put(row); err != nil {
				return err
			}
		}
		return nil
	}
	return sheetSpec{
		key:  "xlsx_sheet_roster_changes",
		cols: cols,
		top:  b.titleRows(n, "xlsx_changes_roster_title", notes...),
		head: b.headerRow(b.labels("xlsx_stt", "xlsx_change", "name", "birth_date", "xlsx_change_from", "xlsx_change_to",
			"xlsx_change_why", "file", "xlsx_change_previous", "xlsx_row")...),
		body:       body,
		freezeCols: 3,
	}, true
}
