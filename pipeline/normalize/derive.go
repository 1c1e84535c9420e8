package normalize

import (
	"time"

	"canbo/pipeline/schema"
)

// Derive fills a record's derived fields (dân tộc thiểu số, tuổi, dưới 35, nhóm tuổi)
// at asOf, the period's as-of date. Derived fields are computed in the order the
// schema lists them, so one may build on another (duoi_35 from tuoi). A derived field
// whose source is unknown stays unset and counts as chua_xac_dinh.
func Derive(cfg *schema.Config, r *Record, asOf time.Time) {
	for _, d := range cfg.Schema.Derived {
		f, from := cfg.Field(d.Code), cfg.Field(d.From)
		if f == nil || from == nil || f.Index >= len(r.Values) {
			continue
		}
		r.Values[f.Index] = derive(d, r.Value(from), asOf)
	}
}

func derive(d *schema.Derived, src Value, asOf time.Time) Value {
	if !src.Set {
		return Value{}
	}
	switch {
	case len(d.TrueUnless) > 0:
		for _, c := range d.TrueUnless {
			if src.Text == c {
				return boolValue(false)
			}
		}
		return boolValue(true)
	case d.Age:
		if src.Date.IsZero() || asOf.IsZero() {
			return Value{}
		}
		age := Age(src.Date, asOf)
		return Value{Set: true, Num: float64(age), Text: itoa(age)}
	case d.Below != nil:
		return boolValue(src.Num < float64(*d.Below))
	case len(d.Bands) > 0:
		for _, b := range d.Bands {
			if b.Max == nil || src.Num <= float64(*b.Max) {
				return Value{Set: true, Text: b.Code}
			}
		}
	}
	return Value{}
}

func boolValue(b bool) Value {
	if b {
		return Value{Set: true, Text: "true"}
	}
	return Value{Set: true, Text: "false"}
}
