package facts

import (
	"fmt"
	"slices"

	"canbo/pipeline/ingest"
	"canbo/pipeline/normalize"
	"canbo/pipeline/schema"
	"canbo/pipeline/summary"
)

// A movements register (sổ theo dõi điều động, luân chuyển) is what an organisation
// board keeps of its decisions: who, from which unit to which, as what, by which
// form and decision. "Luân chuyển 3 cán bộ lãnh đạo, quản lý cấp huyện xuống xã …;
// điều động 3 cán bộ … từ cơ quan này sang cơ quan khác" counts them by form and by
// the direction between the units' levels, which units.yaml gives: a register names
// the units as written, and the levels are the registry's.
//
// Registers are a few rows per year: they are read again here, after counting,
// rather than kept in the files' cached parts.

// Movement fields and dataset of the default schema.
const (
	Movements      = "movements"
	fieldFromUnit  = "don_vi_cu"
	fieldToUnit    = "don_vi_moi"
	fieldMoveKind  = "hinh_thuc_dieu_dong"
	fieldDecided   = "ngay_quyet_dinh"
	fieldDecision  = "so_quyet_dinh"
	fieldPosition  = "chuc_vu"
	directionDown  = "xuong"
	directionLevel = "ngang"
	directionUp    = "len"
)

// movements counts the batch's movements registers; nil when it has none.
func (c *counter) movements(b *ingest.Batch) (*summary.Movements, error) {
	kind := c.cfg.Field(fieldMoveKind)
	var out *summary.Movements
	outside := summary.OutsideSpan{}
	for _, f := range b.Files {
		if f.Status != ingest.Accepted || f.Tally().Counted[Movements] == 0 {
			continue
		}
		if out == nil {
			out = c.newMovements(kind)
		}
		err := f.Scan(func(r *normalize.Record) error {
			if r.Dataset != Movements || !r.Counted() {
				return nil
			}
			decided := r.Value(c.cfg.Field(fieldDecided))
			if !c.span.placeAt(decided, &outside) {
				return nil
			}
			m := summary.Movement{Name: r.Value(c.cfg.Field(normalize.NameField)).Text, BirthDate: r.Value(c.cfg.Field(fieldBirth)).Text,
				Position: r.Value(c.cfg.Field(fieldPosition)).Text, Kind: schema.Unknown,
				DecisionDate: decided.Text, DecisionNo: r.Value(c.cfg.Field(fieldDecision)).Text, File: r.File, Row: r.Row}
			if kind != nil {
				m.Kind = r.Code(kind)
			}
			m.FromUnit, m.FromLevel = c.unitLevel(r.Value(c.cfg.Field(fieldFromUnit)).Text, r.Group)
			m.ToUnit, m.ToLevel = c.unitLevel(r.Value(c.cfg.Field(fieldToUnit)).Text, r.Group)
			m.Direction = c.direction(m.FromLevel, m.ToLevel)
			out.Total++
			out.ByKind[m.Kind]++
			if out.ByDirection[m.Kind] == nil {
				out.ByDirection[m.Kind] = newDirections()
			}
			out.ByDirection[m.Kind][m.Direction]++
			out.List = append(out.List, m)
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("đọc sổ điều động, luân chuyển %s: %w", f.Name, err)
		}
	}
	if out != nil && !c.span.from.IsZero() {
		out.OutsideSpan = &outside
	}
	return out, nil
}

func (c *counter) newMovements(kind *schema.Field) *summary.Movements {
	m := &summary.Movements{ByKind: map[string]int{}, ByDirection: map[string]map[string]int{}, List: []summary.Movement{}}
	codes := []schema.Code{{Code: schema.Unknown}}
	if kind != nil {
		codes = c.cfg.Codes(kind)
	}
	for _, code := range codes {
		m.ByKind[code.Code] = 0
		m.ByDirection[code.Code] = newDirections()
	}
	return m
}

func newDirections() map[string]int {
	return map[string]int{directionDown: 0, directionLevel: 0, directionUp: 0, schema.Unknown: 0}
}

// unitLevel is the official name and level of a unit a register names, as the
// registry finds it for the register's group; the name as written and no level when
// the registry does not know it.
func (c *counter) unitLevel(name, group string) (string, string) {
	reg := c.cfg.Units.Registry()
	if name == "" || reg == nil || reg.Len() == 0 {
		return name, ""
	}
	m := reg.Find(name, group, false)
	if m.Unit < 0 || m.Unit >= len(c.cfg.Units.Units) {
		return name, ""
	}
	u := c.cfg.Units.Units[m.Unit]
	return u.Name.Value, u.Level.Value
}

// direction compares two levels by their order in units.yaml (top first).
func (c *counter) direction(from, to string) string {
	at := func(code string) int {
		return slices.IndexFunc(c.cfg.Units.Levels, func(l *schema.UnitLevel) bool { return l != nil && l.Code == code })
	}
	i, j := at(from), at(to)
	switch {
	case from == "" || to == "" || i < 0 || j < 0:
		return schema.Unknown
	case i < j:
		return directionDown
	case i > j:
		return directionUp
	}
	return directionLevel
}
