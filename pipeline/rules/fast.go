package rules

import (
	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/parser"

	"canbo/pipeline/normalize"
	"canbo/pipeline/schema"
)

// The form columns are many small expressions (gioi_tinh == "nu", tuoi >= 31 and
// tuoi <= 40, dang_vien) tested on every person: through expr's VM, with the
// environment filled for each, they cost about a tenth more CPU for a national
// list. fastMatch compiles the shapes the forms use into plain Go instead, with the
// very semantics of the VM path (TestFastSameAsVM compares them on the samples):
//
//	true                          everyone
//	bool field                    set and "true"
//	enum/ordinal field == "code"  (or !=): the code, chua_xac_dinh when missing
//	number field < <= > >= == n   false when the number is missing (the guard)
//	and, or, not, &&, ||, !       as written
//
// Anything else (ordering of ordinals, dates, text, in, functions) gives nil, and
// the expression runs on the VM.
type fastMatch func(r *normalize.Record) bool

func (e *env) fast(text string) fastMatch {
	tree, err := parser.Parse(text)
	if err != nil {
		return nil
	}
	return e.fastNode(tree.Node)
}

func (e *env) fastNode(n ast.Node) fastMatch {
	switch n := n.(type) {
	case *ast.BoolNode:
		v := n.Value
		return func(*normalize.Record) bool { return v }
	case *ast.IdentifierNode:
		f := e.fields[n.Value]
		if f == nil || f.kind != kindBool {
			return nil
		}
		i := f.f.Index
		return func(r *normalize.Record) bool {
			v := value(r, i)
			return v != nil && v.Set && v.Text == "true"
		}
	case *ast.UnaryNode:
		if n.Operator != "not" && n.Operator != "!" {
			return nil
		}
		x := e.fastNode(n.Node)
		if x == nil {
			return nil
		}
		return func(r *normalize.Record) bool { return !x(r) }
	case *ast.BinaryNode:
		switch n.Operator {
		case "and", "&&", "or", "||":
			a, b := e.fastNode(n.Left), e.fastNode(n.Right)
			if a == nil || b == nil {
				return nil
			}
			if n.Operator == "and" || n.Operator == "&&" {
				return func(r *normalize.Record) bool { return a(r) && b(r) }
			}
			return func(r *normalize.Record) bool { return a(r) || b(r) }
		case "==", "!=":
			if m := e.fastCode(n); m != nil {
				return m
			}
			return e.fastNumber(n)
		case "<", "<=", ">", ">=":
			return e.fastNumber(n)
		}
	}
	return nil
}

// value is a record's value of the field at index i, nil when the record has none.
func value(r *normalize.Record, i int) *normalize.Value {
	if i < len(r.Values) {
		return &r.Values[i]
	}
	return nil
}

// fastCode is field == "code" (or !=) for an enum or ordinal field, field first.
func (e *env) fastCode(n *ast.BinaryNode) fastMatch {
	id, ok1 := n.Left.(*ast.IdentifierNode)
	lit, ok2 := n.Right.(*ast.StringNode)
	if !ok1 || !ok2 {
		return nil
	}
	f := e.fields[id.Value]
	if f == nil || (f.kind != kindCode && f.kind != kindOrdinal) {
		return nil
	}
	i, code, eq := f.f.Index, lit.Value, n.Operator == "=="
	return func(r *normalize.Record) bool {
		have := schema.Unknown
		if v := value(r, i); v != nil && v.Set {
			have = v.Text
		}
		return (have == code) == eq
	}
}

// fastNumber is field OP number for a number field, field first, false when the
// field has no value.
func (e *env) fastNumber(n *ast.BinaryNode) fastMatch {
	id, ok := n.Left.(*ast.IdentifierNode)
	if !ok {
		return nil
	}
	f := e.fields[id.Value]
	if f == nil || f.kind != kindNumber {
		return nil
	}
	var c float64
	switch lit := n.Right.(type) {
	case *ast.IntegerNode:
		c = float64(lit.Value)
	case *ast.FloatNode:
		c = lit.Value
	default:
		return nil
	}
	var cmp func(a float64) bool
	switch n.Operator {
	case "<":
		cmp = func(a float64) bool { return a < c }
	case "<=":
		cmp = func(a float64) bool { return a <= c }
	case ">":
		cmp = func(a float64) bool { return a > c }
	case ">=":
		cmp = func(a float64) bool { return a >= c }
	case "==":
		cmp = func(a float64) bool { return a == c }
	case "!=":
		cmp = func(a float64) bool { return a != c }
	default:
		return nil
	}
	i := f.f.Index
	return func(r *normalize.Record) bool {
		v := value(r, i)
		return v != nil && v.Set && cmp(v.Num)
	}
}
