package rules

import (
	"sort"

	"canbo/pipeline/normalize"
	"canbo/pipeline/schema"
)

// kind is how a field appears in expressions.
type kind uint8

const (
	kindText    kind = iota // string, "" when missing
	kindDate                // string "YYYY-MM-DD", guarded
	kindNumber              // float64, guarded
	kindBool                // bool, false when missing
	kindCode                // enum code, chua_xac_dinh when missing
	kindOrdinal             // ordinal code; ordering comparisons use ranks, guarded
)

// Hidden variable prefixes. A user cannot write them: every identifier in an
// expression must be a field code, and field codes start with a letter.
const (
	setPrefix  = "__set_"  // bool: the field has a value
	rankPrefix = "__rank_" // int: the ordinal's rank, -1 when unknown
)

// field is one variable of the expression environment.
type field struct {
	f     *schema.Field
	kind  kind
	codes []schema.Code      // kindCode, kindOrdinal: every code incl. chua_xac_dinh
	vocab *schema.Vocabulary // the field's vocabulary, if any; ranks for kindOrdinal
	// Boxed values prepared once, so that filling the environment for a record does
	// not allocate for codes and ranks.
	boxCode map[string]any // code → any(code)
	boxRank map[string]any // code → any(rank)
	boxNum  []any          // kindNumber: any(float64(i)) for the whole numbers ages take
}

// smallNums is how many whole numbers a number field keeps boxed: every age.
const smallNums = 128

// env is every variable an expression may read, built once per configuration.
type env struct {
	cfg    *schema.Config
	fields map[string]*field
	names  []string       // field codes, sorted, for suggestions
	types  map[string]any // for expr.Env: a zero value of each variable's type
}

// unknownRank is the rank of chua_xac_dinh. Constants converted to any need no
// allocation, so binding.value returns it and the booleans as literals.
const unknownRank = -1

func newEnv(cfg *schema.Config) *env {
	e := &env{cfg: cfg, fields: map[string]*field{}, types: map[string]any{}}
	var codes []string
	for _, f := range cfg.Schema.Fields {
		codes = append(codes, f.Code)
	}
	for _, d := range cfg.Schema.Derived {
		codes = append(codes, d.Code)
	}
	for _, code := range codes {
		f := cfg.Field(code)
		if f == nil {
			continue
		}
		v := &field{f: f, vocab: cfg.VocabOf(f)}
		switch f.Type {
		case schema.TypeDate:
			v.kind = kindDate
		case schema.TypeNumber:
			v.kind = kindNumber
		case schema.TypeBool:
			v.kind = kindBool
		case schema.TypeEnum:
			v.kind = kindCode
		case schema.TypeOrdinal:
			v.kind = kindOrdinal
			if v.vocab == nil {
				v.kind = kindCode // schema.Load reports the missing vocabulary
			}
		default:
			v.kind = kindText
		}
		if v.kind == kindCode || v.kind == kindOrdinal {
			v.codes = cfg.Codes(f)
			v.boxCode = make(map[string]any, len(v.codes))
			for _, c := range v.codes {
				v.boxCode[c.Code] = c.Code
			}
		}
		if v.kind == kindNumber {
			v.boxNum = make([]any, smallNums)
			for i := range v.boxNum {
				v.boxNum[i] = float64(i)
			}
		}
		if v.kind == kindOrdinal {
			v.boxRank = map[string]any{schema.Unknown: unknownRank}
			for i, val := range v.vocab.Values {
				v.boxRank[val.Code] = i
			}
		}
		e.fields[code] = v
		e.names = append(e.names, code)
		switch v.kind {
		case kindNumber:
			e.types[code] = float64(0)
		case kindBool:
			e.types[code] = false
		default:
			e.types[code] = ""
		}
		e.types[setPrefix+code] = false
		if v.kind == kindOrdinal {
			e.types[rankPrefix+code] = 0
		}
	}
	sort.Strings(e.names)
	return e
}

// hasCode reports whether code is one of the field's codes.
func (v *field) hasCode(code string) bool {
	_, ok := v.boxCode[code]
	return ok
}

// rank is the position of an ordinal code, -1 for chua_xac_dinh or a code not in the
// vocabulary.
func (v *field) rank(code string) int {
	if r, ok := v.boxRank[code].(int); ok {
		return r
	}
	return -1
}

// varKind is which of a field's variables an expression reads.
type varKind uint8

const (
	varValue varKind = iota
	varSet
	varRank
)

// binding is one variable an expression reads, with what fills it from a record.
type binding struct {
	name string
	kind varKind
	v    *field
}

// value is the variable's value for a record, boxed without allocating where the
// value comes from a finite set (codes, ranks, booleans).
func (b binding) value(r *normalize.Record) any {
	var missing normalize.Value
	val := &missing // a pointer: a Value is large, and this runs per record and variable
	if i := b.v.f.Index; i < len(r.Values) {
		val = &r.Values[i]
	}
	switch b.kind {
	case varSet:
		if val.Set {
			return true
		}
		return false
	case varRank:
		if !val.Set {
			return unknownRank
		}
		if x, ok := b.v.boxRank[val.Text]; ok {
			return x
		}
		return unknownRank
	}
	switch b.v.kind {
	case kindBool:
		if val.Set && val.Text == "true" {
			return true
		}
		return false
	case kindNumber:
		if i := int(val.Num); float64(i) == val.Num && i >= 0 && i < len(b.v.boxNum) {
			return b.v.boxNum[i]
		}
		return val.Num
	case kindCode, kindOrdinal:
		code := schema.Unknown
		if val.Set {
			code = val.Text
		}
		if x, ok := b.v.boxCode[code]; ok {
			return x
		}
		return code
	}
	if !val.Set {
		return ""
	}
	return val.Text
}
