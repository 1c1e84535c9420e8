// Package summary is the result of one run: what summary.json holds, and what the
// Excel and PDF reports are drawn from. Data flows one way: ingest reads the inputs,
// package facts counts them into a Summary, and the writers (summary.json,
// xlsxreport, pdfreport) only present it. The JSON keys are fixed by the interface
// contract (../shared/contract.md); keys may be added, never renamed.
package summary

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"math/big"
)

// SchemaVersion is the version of the summary.json layout.
const SchemaVersion = 1

// Summary is one period's result.
type Summary struct {
	SchemaVersion int        `json:"schema_version"`
	Period        string     `json:"period"`       // YYYY-MM
	AsOf          string     `json:"as_of"`        // YYYY-MM-DD: ages are computed at this date
	GeneratedAt   string     `json:"generated_at"` // RFC 3339 in Asia/Ho_Chi_Minh
	Files         []File     `json:"files"`
	Groups        []Unit     `json:"groups,omitempty"` // one per input sub-folder (a district, a batch), when there are several
	Units         []Unit     `json:"units"`
	Total         Unit       `json:"total"`
	Training      Training   `json:"training"`
	Targets       []Target   `json:"targets"`
	Standards     []Standard `json:"standards"`
	BelowStandard []Person   `json:"below_standard"` // the training plan: every person below a standard
	Issues        Issues     `json:"issues"`
	Problems      []Problem  `json:"problems,omitempty"` // every data problem, for the report's problems sheet
	Previous      *Changes   `json:"previous,omitempty"` // the change since the previous period recorded in the history
	UnitCheck     UnitCheck  `json:"unit_check"`         // how the units found in the files were told apart
	// Span is the months a report over a span covers (canbo run --from … --to …):
	// its training counts the attendances that started in them. Absent for a
	// month's report, whose training counts every attendance of the registers.
	Span *Span `json:"span,omitempty"`
	// Movements are the batch's movements registers (điều động, luân chuyển); absent
	// when the batch has none.
	Movements *Movements `json:"movements,omitempty"`
	// RosterChanges compares the rosters with the previous period's (rosterchanges.go);
	// absent when no previous period's files were given.
	RosterChanges *RosterChanges `json:"roster_changes,omitempty"`
}

// Span is a report's first and last month, YYYY-MM.
type Span struct {
	From string `json:"from"`
	To   string `json:"to"`
}

// UnitCheck says how the unit names found in the files became the report's units:
// against units.yaml (Registry) or, without one, by merging obvious variants only,
// which the report then says. Both ways, the names written in several ways and
// counted as one are listed, so nobody wonders where a spelling went.
type UnitCheck struct {
	Registry bool          `json:"registry"`           // the names were matched to units.yaml
	Merged   []MergedUnit  `json:"merged,omitempty"`   // units found under several names, counted once
	Unknown  []UnknownUnit `json:"unknown,omitempty"`  // names units.yaml does not know, each once
	NotSent  []UnitRef     `json:"not_sent,omitempty"` // units that must send a file and sent none accepted
}

// MergedUnit is one unit found under several names: the name shown, and every name
// found, in the order met.
type MergedUnit struct {
	Unit      string   `json:"unit"`
	Group     string   `json:"group,omitempty"`
	Spellings []string `json:"spellings"`
}

// UnknownUnit is a unit name found in the files that units.yaml does not know: to
// add as a unit or an alias, or to correct in the file. Suggestion is the closest
// registered name, if one is close; Ambiguous the registered units of that name in
// other groups, when it could be any of them.
type UnknownUnit struct {
	Unit       string   `json:"unit"`
	Group      string   `json:"group,omitempty"`
	People     int      `json:"people"` // people counted under it
	Suggestion string   `json:"suggestion,omitempty"`
	Ambiguous  []string `json:"ambiguous,omitempty"`
	// Workplace: the name is only a person's workplace on a list another unit sent
	// (a school's class list, a district's combined roster), not a sender of files:
	// the registry need not have it.
	Workplace bool `json:"workplace,omitempty"`
}

// UnitRef names a registered unit.
type UnitRef struct {
	Unit  string `json:"unit"`
	Group string `json:"group,omitempty"`
}

// File is one input and what became of it.
type File struct {
	File       string `json:"file"`  // name as submitted
	Path       string `json:"-"`     // where it was read
	Group      string `json:"group"` // sub-folder of the input folder, "" at its top
	SHA256     string `json:"sha256"`
	Status     string `json:"status"` // accepted | rejected | superseded | ignored
	Dataset    string `json:"dataset"`
	Unit       string `json:"unit"`
	Sheet      string `json:"sheet"`
	HeaderRows []int  `json:"header_rows"`
	// Columns are the codes of the fields the file's counted tables have a column for,
	// in schema order: a report tells "the files do not say" from "every value was
	// bad" by them, whatever number of problems are listed.
	Columns  []string `json:"columns,omitempty"`
	Rows     int      `json:"rows"`              // records counted
	Left     int      `json:"left,omitempty"`    // people listed as having left: not counted
	Repeats  int      `json:"repeats,omitempty"` // the same person listed again: not counted
	Errors   int      `json:"errors"`
	Warnings int      `json:"warnings"`
	Reason   string   `json:"reason"`
}

// Unit is the headcount and breakdowns of one unit, group or the total.
type Unit struct {
	Unit       string                    `json:"unit,omitempty"`
	Group      string                    `json:"group,omitempty"`
	Headcount  int                       `json:"headcount"`
	Breakdowns map[string]map[string]int `json:"breakdowns"` // dimension → code → persons; each adds up to Headcount
	// Form is the official form (forms.yaml code) that lists the unit, and FormCounts
	// its counted columns by id: the unit's row of that form. Units only; absent
	// without forms.yaml.
	Form       string         `json:"form,omitempty"`
	FormCounts map[string]int `json:"form_counts,omitempty"`
	// Workplaces are, for a unit whose files list people of other units (units.yaml
	// lists: learners, a training school), how many of its people each workplace
	// sent: its people are the unit's in every figure, their workplaces only this
	// detail. Units only; absent for a unit that lists its own people.
	Workplaces []Workplace `json:"workplaces,omitempty"`
}

// Workplace is one workplace named on a unit's lists of other units' people, and
// how many of them work there.
type Workplace struct {
	Unit   string `json:"unit"`
	People int    `json:"people"`
}

// Training counts attendances (lượt người): a person trained twice counts twice in
// Total, ByType and ByFunding. The People figures count the same attendances as
// distinct persons (người), as the articles report some figures; ByTrainee splits
// both by attributes of the trainee taken from the roster (report.yaml
// trainee_breakdowns).
type Training struct {
	Total     int            `json:"total"`
	ByType    map[string]int `json:"by_type"`
	ByFunding map[string]int `json:"by_funding"`
	Units     []TrainingUnit `json:"units"`
	// Overlaps are pairs of files whose counted registers list the same attendances
	// (same person, course and start date): both are counted, so Shared attendances
	// are in Total twice. The report says so; which file should go is the office's call.
	Overlaps []TrainingOverlap `json:"overlaps,omitempty"`
	// Groups sums the units of each group (input sub-folder), as summary.groups does
	// for rosters, when the batch has groups: a group's people are counted once in it
	// though they trained in two of its units.
	Groups []TrainingUnit `json:"groups,omitempty"`
	TrainingPeople
	// OutsideSpan is set in a report over a span (Summary.Span).
	OutsideSpan *OutsideSpan `json:"outside_span,omitempty"`
	// Dates are the dates of the training counted, when there is any: a month's
	// report counts every row of the registers whatever its date, and says which
	// courses that covers.
	Dates *TrainingDates `json:"dates,omitempty"`
	// FromName is, per field of the register (the level cap_do_dao_tao …), how many
	// rows of the accepted registers had it read off the course name, their sheet
	// having no column for it (the value-from-name warnings' counts); left out when
	// none.
	FromName map[string]int `json:"from_name,omitempty"`
}

// TrainingDates are the first and last start dates (từ ngày; without one, đến ngày)
// of the training records counted, YYYY-MM-DD ("" when none has a date), and how many
// counted records have no date at all.
type TrainingDates struct {
	First   string `json:"first,omitempty"`
	Last    string `json:"last,omitempty"`
	Undated int    `json:"undated"`
}

// TrainingUnit is one unit's attendances, or a group's (Unit "").
type TrainingUnit struct {
	Unit  string `json:"unit"`
	Group string `json:"group,omitempty"` // the input sub-folder

	Total     int            `json:"total"`
	ByType    map[string]int `json:"by_type"`
	ByFunding map[string]int `json:"by_funding"`
	// Workplaces are attendances by workplace, as Unit.Workplaces.
	Workplaces []Workplace `json:"workplaces,omitempty"`
	TrainingPeople
}

// TrainingPeople are the figures of a set of attendances that need the person: how
// many distinct people they are, and both counts by the trainee's attributes. They
// are left out of summary.json when there is no training record: a batch of rosters
// alone writes what it wrote before.
type TrainingPeople struct {
	People          int            `json:"people,omitempty"`
	PeopleByType    map[string]int `json:"people_by_type,omitempty"`
	PeopleByFunding map[string]int `json:"people_by_funding,omitempty"`
	// ByTrainee is, per trainee dimension (dan_toc_thieu_so …), per code, the
	// attendances and people of trainees with that code; a trainee in no roster, or
	// whose value is unknown, counts under chua_xac_dinh, so each dimension's codes
	// add up to Total and People.
	ByTrainee map[string]map[string]TraineeCount `json:"by_trainee,omitempty"`
	// ByField is, per further training breakdown field of the course (report.yaml
	// training_breakdowns after the kind and the funding, e.g. the level cap_do_dao_tao:
	// "308 cán bộ đi học lý luận chính trị, trong đó cao cấp 28 người"), per code, the
	// attendances and people of courses with that code, also by kind. A course whose
	// value is not given counts under chua_xac_dinh; a field no record of the batch
	// gives is left out (its registers have no such column).
	ByField map[string]map[string]TraineeCount `json:"by_field,omitempty"`
	// NotInRoster counts the attendances whose trainee no accepted roster lists (by
	// ID number, else name and birth date, else name in the same unit when the
	// register gives no birth date); each is an unknown-person issue.
	NotInRoster *TraineeTotal `json:"not_in_roster,omitempty"`
}

// Movements counts the records of movements registers: people moved between units
// by decision (điều động, luân chuyển, biệt phái …). Each record is one movement. In
// a report over a span only those decided in it count (by ngày quyết định), the
// others in OutsideSpan.
type Movements struct {
	Total  int            `json:"total"`
	ByKind map[string]int `json:"by_kind"` // every code of hinh_thuc_dieu_dong, chua_xac_dinh for none
	// ByDirection is, per kind, the movements by the levels (units.yaml) of the two
	// units: "xuong" from a higher level to a lower (huyện → xã: "luân chuyển cán bộ
	// cấp huyện xuống xã"), "ngang" within a level (from one agency to another), "len"
	// upward, chua_xac_dinh when a unit is not in units.yaml.
	ByDirection map[string]map[string]int `json:"by_direction"`
	List        []Movement                `json:"list"`
	OutsideSpan *OutsideSpan              `json:"outside_span,omitempty"`
}

// Movement is one record of a movements register.
type Movement struct {
	Name         string `json:"name"`
	BirthDate    string `json:"birth_date,omitempty"`
	FromUnit     string `json:"from_unit"` // the official name when units.yaml has it, else as written
	ToUnit       string `json:"to_unit"`
	FromLevel    string `json:"from_level,omitempty"` // units.yaml level code, "" when not registered
	ToLevel      string `json:"to_level,omitempty"`
	Position     string `json:"position,omitempty"` // the position taken
	Kind         string `json:"kind"`
	Direction    string `json:"direction"`
	DecisionDate string `json:"decision_date,omitempty"` // YYYY-MM-DD
	DecisionNo   string `json:"decision_no,omitempty"`
	File         string `json:"file"`
	Row          int    `json:"row"`
}

// OutsideSpan counts the training records a report over a span leaves out: those
// that started before its first month or after its last, and those with no date
// (neither từ ngày nor đến ngày), which cannot be placed in it.
type OutsideSpan struct {
	Before  int `json:"before"`
	After   int `json:"after"`
	Undated int `json:"undated"`
}

// TraineeTotal is a number of attendances and of the distinct people they are.
type TraineeTotal struct {
	Total  int `json:"total"`
	People int `json:"people"`
}

// TraineeCount is the attendances and people of one trainee category, also by
// training type.
type TraineeCount struct {
	TraineeTotal
	ByType       map[string]int `json:"by_type"`
	PeopleByType map[string]int `json:"people_by_type"`
}

// Target is one target evaluated over one unit ("" = overall).
type Target struct {
	ID         string  `json:"id"`
	Title      string  `json:"title"`
	RuleSet    string  `json:"rule_set"`
	Unit       string  `json:"unit"`
	Population int     `json:"population"`
	Count      int     `json:"count"`
	Share      float64 `json:"share"`           // Count/Population, rounded to 4 decimals; 0 when Population is 0
	Threshold  float64 `json:"threshold"`       // as a fraction: 0.7
	Met        bool    `json:"met"`             // exact: Count/Population >= Threshold as rationals
	Shortfall  int     `json:"shortfall"`       // more people needed to meet it; 0 when met
	Deadline   string  `json:"deadline"`        // YYYY-MM-DD
	Trend      []Point `json:"trend,omitempty"` // earlier periods' results, oldest first, ending with this one
	// Failed counts the people the target's expression could not be evaluated on;
	// when it is not 0 the target could not be computed: Met is false, Shortfall 0,
	// and every report says so instead of a result.
	Failed int `json:"failed,omitempty"`
}

// Computed reports whether the target's result stands: its expression ran on every
// person.
func (t Target) Computed() bool { return t.Failed == 0 }

// TargetCounts are how many targets a period's report met, as every summary of it
// says them (canbo run, the report mail, the Excel overview).
type TargetCounts struct {
	Overall, OverallMet int // targets over everyone that some people fall under
	Empty               int // targets over everyone that nobody in the data falls under: neither met nor missed
	Unit, UnitMet       int // targets evaluated per unit
}

// CountTargets counts targets as the reports state them: an overall target nobody
// falls under (the provincial committee's, in a district's files) is neither met
// nor missed, so it is counted apart rather than as one more missed.
func CountTargets(targets []Target) TargetCounts {
	var c TargetCounts
	for _, t := range targets {
		switch {
		case t.Unit != "":
			c.Unit++
			if t.Met {
				c.UnitMet++
			}
		case t.Population == 0:
			c.Empty++
		default:
			c.Overall++
			if t.Met {
				c.OverallMet++
			}
		}
	}
	return c
}

// Standard is one standard checked over one unit.
type Standard struct {
	ID         string         `json:"id"`
	Title      string         `json:"title"`
	Unit       string         `json:"unit"`
	Population int            `json:"population"` // persons the standard applies to
	Compliant  int            `json:"compliant"`  // of them, meeting every requirement
	Gaps       map[string]int `json:"gaps"`       // field → persons below its minimum
}

// Person is one person below a standard, with what they lack.
type Person struct {
	Standard string `json:"standard"`
	Unit     string `json:"unit"`
	// Workplace is, for a person on a list of another unit's people (a school's
	// class list, units.yaml lists: learners), the workplace their row names, as
	// written: Unit is then the school the report counts them under.
	Workplace string    `json:"workplace,omitempty"`
	Name      string    `json:"name"`
	BirthDate string    `json:"birth_date"` // YYYY-MM-DD or ""
	Position  string    `json:"position"`
	File      string    `json:"file"`
	Sheet     string    `json:"sheet"`
	Row       int       `json:"row"`
	Missing   []Missing `json:"missing"`
}

// Missing is one requirement a person does not meet.
type Missing struct {
	Field    string `json:"field"`
	Label    string `json:"label"`     // "Trình độ chuyên môn"
	Have     string `json:"have"`      // the person's code (chua_xac_dinh when unknown)
	HaveText string `json:"have_text"` // its label
	Need     string `json:"need"`      // the minimum code
	NeedText string `json:"need_text"` // its label
}

// Issues counts the data problems of the accepted and rejected files.
type Issues struct {
	Errors   int            `json:"errors"`
	Warnings int            `json:"warnings"`
	ByCode   map[string]int `json:"by_code"`
}

// Problem is one data problem, located to the cell.
type Problem struct {
	Code     string `json:"code"`
	Severity string `json:"severity"`
	File     string `json:"file"`
	Sheet    string `json:"sheet"`
	Cell     string `json:"cell"`
	Field    string `json:"field"`
	Raw      string `json:"raw"`
	Message  string `json:"message"`
	// More is how many further problems of the same code and severity in the same
	// table this one stands for without listing them (issue.Issue.More: its message
	// ends "(Và còn N dòng khác …)"), so that lists of problems add up to Issues.
	More int `json:"more,omitempty"`
}

// Ratio is an exact fraction, for thresholds: "70%" is 70/100 and 35 of 50 meets it.
type Ratio struct{ Num, Den int64 }

// ParseRatio reads "70%", "70,5%", "0.7" or "0,7".
func ParseRatio(s string) (Ratio, error) {
	t := []byte(s)
	pct := false
	for len(t) > 0 && (t[len(t)-1] == ' ' || t[len(t)-1] == '%') {
		pct = pct || t[len(t)-1] == '%'
		t = t[:len(t)-1]
	}
	for i := range t {
		if t[i] == ',' {
			t[i] = '.'
		}
	}
	r, ok := new(big.Rat).SetString(string(t))
	if !ok || r.Sign() < 0 || !r.Num().IsInt64() || !r.Denom().IsInt64() {
		return Ratio{}, fmt.Errorf("ngưỡng %q không phải một tỉ lệ (ví dụ 70%% hoặc 0.7)", s)
	}
	if pct {
		r.Quo(r, big.NewRat(100, 1))
	}
	if r.Cmp(big.NewRat(1, 1)) > 0 {
		return Ratio{}, fmt.Errorf("ngưỡng %q lớn hơn 100%%", s)
	}
	return Ratio{r.Num().Int64(), r.Denom().Int64()}, nil
}

// Float is the ratio as a float, for JSON.
func (r Ratio) Float() float64 {
	if r.Den == 0 {
		return 0
	}
	return float64(r.Num) / float64(r.Den)
}

// Met reports whether count of population reaches the ratio, exactly.
func (r Ratio) Met(count, population int) bool {
	if population == 0 {
		return false
	}
	return int64(count)*r.Den >= r.Num*int64(population)
}

// Shortfall is the smallest number of additional people (out of the same population)
// who would make count reach the ratio; 0 when it is already met.
func (r Ratio) Shortfall(count, population int) int {
	if population == 0 || r.Met(count, population) {
		return 0
	}
	need := (r.Num*int64(population) + r.Den - 1) / r.Den // ceil
	return int(need) - count
}

// Share is count/population rounded to 4 decimals (0.8067), 0 for an empty population.
func Share(count, population int) float64 {
	if population == 0 {
		return 0
	}
	return math.Round(float64(count)*10000/float64(population)) / 10000
}

// JSON encodes the summary for summary.json: indented UTF-8, no HTML escaping.
func (s *Summary) JSON() ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(s); err != nil {
		return nil, fmt.Errorf("mã hóa summary.json: %w", err)
	}
	return buf.Bytes(), nil
}

// TrainingOverlap is two files (their names) whose registers share Shared attendances.
type TrainingOverlap struct {
	Files  [2]string `json:"files"`
	Shared int       `json:"shared"`
}
