package summary

// RosterChanges compares this period's rosters with the previous period's, person by
// person: who joined (tăng), who left (giảm), who moved between units (điều động,
// luân chuyển seen in the rosters) and whom canbo could not tell for sure. People
// are matched by ID number, else by name and birth date; a name alone never matches.
//
// A unit that sent a roster in only one of the two periods would make all its people
// look joined or left: it is listed in UnitsNotCompared and its unmatched people are
// counted in neither Joined nor Left. People a movements register already lists are
// counted in InRegister, not again here.
type RosterChanges struct {
	Previous string `json:"previous"` // YYYY-MM of the previous rosters
	Joined   int    `json:"joined"`
	Left     int    `json:"left"`
	Moved    int    `json:"moved"`
	// MovedByDirection splits Moved by the levels (units.yaml) of the two units, as
	// movements.by_direction: xuong, ngang, len, chua_xac_dinh.
	MovedByDirection map[string]int `json:"moved_by_direction"`
	Unsure           int            `json:"unsure"`
	// InRegister counts the changes a movements register of the batch already lists
	// (summary.movements): matched by name and birth date, else name and unit.
	InRegister       int               `json:"in_register"`
	UnitsNotCompared []UnitNotCompared `json:"units_not_compared"`
	List             []RosterChange    `json:"list"`
}

// UnitNotCompared is a unit whose roster is in one period only.
type UnitNotCompared struct {
	Unit  string `json:"unit"`
	Group string `json:"group,omitempty"`
	// Missing is the period without its roster: "this" (sent last period, not this
	// one) or "previous" (sent this period, not last).
	Missing string `json:"missing"`
	People  int    `json:"people"` // its people not matched in the other period, counted in neither joined nor left
}

// Values of UnitNotCompared.Missing.
const (
	MissingThis     = "this"
	MissingPrevious = "previous"
)

// RosterChange is one person in RosterChanges.List.
type RosterChange struct {
	Change    string `json:"change"` // joined, left, moved, unsure
	Name      string `json:"name"`
	BirthDate string `json:"birth_date,omitempty"` // YYYY-MM-DD
	FromUnit  string `json:"from_unit,omitempty"`  // the unit in the previous period (left, moved)
	ToUnit    string `json:"to_unit,omitempty"`    // the unit in this period (joined, moved)
	FromLevel string `json:"from_level,omitempty"`
	ToLevel   string `json:"to_level,omitempty"`
	Direction string `json:"direction,omitempty"` // moved: xuong, ngang, len, chua_xac_dinh
	// Reason says why an unsure change is unsure: birth_date_changed (same ID
	// number, another birth date), id_changed (same name and birth date, another ID
	// number), several_candidates, name_only (same name in the same unit, no ID
	// number or birth date to confirm).
	Reason string `json:"reason,omitempty"`
	// File and Row are where the person is in this period's rosters; for a person
	// who left, in the previous period's.
	File string `json:"file"`
	Row  int    `json:"row"`
	// PreviousFile and PreviousRow are the previous period's row of a moved or
	// unsure person.
	PreviousFile string `json:"previous_file,omitempty"`
	PreviousRow  int    `json:"previous_row,omitempty"`
}

// Changes of RosterChange.Change.
const (
	ChangeJoined = "joined"
	ChangeLeft   = "left"
	ChangeMoved  = "moved"
	ChangeUnsure = "unsure"
)
