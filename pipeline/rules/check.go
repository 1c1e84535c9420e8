package rules

import (
	"fmt"
	"strings"
	"time"

	"github.com/expr-lang/expr/ast"

	"canbo/pipeline/schema"
	"canbo/pipeline/textfold"
)

// exprProblem is a mistake inside an expression, at a rune offset of its text.
type exprProblem struct {
	at  int // rune offset in the expression, -1 = the whole expression
	msg string
}

// checker walks a parsed expression and finds the mistakes expr's type checker cannot
// see or explains badly: unknown field names, codes not in a field's vocabulary,
// ordinals compared with something other than their own codes, malformed dates.
type checker struct {
	env      *env
	problems []exprProblem
	callees  map[ast.Node]bool // identifiers that name a function, not a field
}

func (c *checker) add(n ast.Node, format string, args ...any) {
	at := -1
	if n != nil {
		at = n.Location().From
	}
	p := exprProblem{at: at, msg: fmt.Sprintf(format, args...)}
	for _, q := range c.problems {
		if q == p {
			return // "a < b" is checked from both sides
		}
	}
	c.problems = append(c.problems, p)
}

// check runs every check on a tree. Identifier checks need to know which identifiers
// are callees, which a post-order walk only learns at the parent, so they run in a
// second pass.
func (c *checker) check(root *ast.Node) {
	c.callees = map[ast.Node]bool{}
	var idents []*ast.IdentifierNode
	ast.Walk(root, visitor(func(n *ast.Node) {
		switch x := (*n).(type) {
		case *ast.IdentifierNode:
			idents = append(idents, x)
		case *ast.CallNode:
			c.callees[x.Callee] = true
		case *ast.VariableDeclaratorNode:
			// A variable would hide a field from the unknown-value guards.
			c.add(x, "không dùng \"let\" trong biểu thức; viết trực tiếp tên trường")
		case *ast.BinaryNode:
			c.binary(x)
		}
	}))
	for _, id := range idents {
		if c.callees[id] {
			continue
		}
		if c.env.fields[id.Value] == nil {
			c.unknownField(id)
		}
	}
}

// identifiers lists the names of every identifier in a tree.
func identifiers(root *ast.Node) []string {
	var out []string
	ast.Walk(root, visitor(func(n *ast.Node) {
		if id, ok := (*n).(*ast.IdentifierNode); ok {
			out = append(out, id.Value)
		}
	}))
	return out
}

// visitor adapts a function to ast.Visitor.
type visitor func(*ast.Node)

func (f visitor) Visit(n *ast.Node) { f(n) }

func (c *checker) unknownField(id *ast.IdentifierNode) {
	name := id.Value
	switch strings.ToLower(name) {
	case "and", "or", "not", "va", "hoac", "khong":
		c.add(id, "%q không phải tên trường; phép logic viết là and, or, not (chữ thường)", name)
		return
	}
	if s := textfold.Closest(name, c.env.names); s != "" {
		c.add(id, "không có trường %q (có phải %q?)", name, s)
		return
	}
	c.add(id, "không có trường %q; tên trường là mã trong %s, ví dụ trinh_do_chuyen_mon, gioi_tinh, tuoi", name, schema.FileSchema)
}

// fieldOf returns the field an operand names directly, or nil.
func (c *checker) fieldOf(n ast.Node) *field {
	if id, ok := n.(*ast.IdentifierNode); ok {
		return c.env.fields[id.Value]
	}
	return nil
}

func isOrdering(op string) bool { return op == "<" || op == "<=" || op == ">" || op == ">=" }

func isEquality(op string) bool { return op == "==" || op == "!=" }

func (c *checker) binary(b *ast.BinaryNode) {
	switch {
	case isEquality(b.Operator) || isOrdering(b.Operator):
		if isOrdering(b.Operator) {
			c.indirectOrdinal(b, b.Left)
			c.indirectOrdinal(b, b.Right)
		}
		c.comparison(b, b.Left, b.Right)
		c.comparison(b, b.Right, b.Left)
	case b.Operator == "in":
		v := c.fieldOf(b.Left)
		arr, ok := b.Right.(*ast.ArrayNode)
		if v == nil || !ok {
			return
		}
		for _, el := range arr.Nodes {
			c.literal(v, el, "in")
		}
	}
}

// indirectOrdinal reports an ordinal used inside an operand of an ordering
// comparison rather than as the operand itself (trinh_do_chuyen_mon + "" >= "dai_hoc"):
// ranks are only substituted for the field itself, so the comparison would fall back
// to spelling order.
func (c *checker) indirectOrdinal(b *ast.BinaryNode, side ast.Node) {
	if _, ok := side.(*ast.IdentifierNode); ok {
		return
	}
	ast.Walk(&side, visitor(func(n *ast.Node) {
		if v := c.fieldOf(*n); v != nil && v.kind == kindOrdinal {
			c.add(*n, "so sánh thứ bậc chỉ viết trực tiếp giữa trường %q và một mã, ví dụ %s >= %q", v.f.Code, v.f.Code, example(v))
		}
	}))
}

// comparison checks "a OP b" from a's side: a field compared with a literal or with
// another field.
func (c *checker) comparison(b *ast.BinaryNode, a, other ast.Node) {
	v := c.fieldOf(a)
	if v == nil {
		return
	}
	code := v.f.Code
	if isOrdering(b.Operator) {
		switch v.kind {
		case kindCode:
			c.add(b, "trường %q không có thứ bậc nên không so sánh lớn hơn/nhỏ hơn được; dùng ==, != hoặc in, ví dụ %s == %q", code, code, example(v))
			return
		case kindOrdinal:
			if w := c.fieldOf(other); w != nil {
				if w.kind != kindOrdinal || w.vocab != v.vocab {
					l, r := c.fieldOf(b.Left).f.Code, c.fieldOf(b.Right).f.Code // fixed order: reported once
					c.add(b, "không so sánh thứ bậc %q với %q: hai trường không cùng bộ giá trị", l, r)
				}
				return
			}
			if _, ok := other.(*ast.StringNode); !ok {
				c.add(other, "so sánh thứ bậc của %q chỉ với một mã trong ngoặc kép, ví dụ %s >= %q", code, code, example(v))
				return
			}
		}
	}
	c.literal(v, other, b.Operator)
}

// literal checks a string literal compared with field v.
func (c *checker) literal(v *field, n ast.Node, op string) {
	s, ok := n.(*ast.StringNode)
	if !ok {
		return
	}
	code := v.f.Code
	switch v.kind {
	case kindBool:
		c.add(n, "trường %q là có/không: viết %s (có) hoặc not %s (không), không so với %q", code, code, code, s.Value)
	case kindNumber:
		c.add(n, "trường %q là số: viết số không có ngoặc kép, ví dụ %s < 35", code, code)
	case kindDate:
		if _, err := time.Parse(time.DateOnly, s.Value); err != nil {
			c.add(n, "ngày %q không đúng dạng NĂM-THÁNG-NGÀY, ví dụ %s < \"1990-01-31\"", s.Value, code)
		}
	case kindCode, kindOrdinal:
		if v.kind == kindOrdinal && isOrdering(op) && s.Value == schema.Unknown {
			c.add(n, "%q (chưa xác định) không có thứ bậc; để tìm người chưa rõ %s, viết %s == %q", s.Value, v.f.Label, code, schema.Unknown)
			return
		}
		if v.hasCode(s.Value) {
			return
		}
		if m := v.matchCode(s.Value); m != "" {
			c.add(n, "%q không phải mã của %q (có phải %q?)", s.Value, code, m)
			return
		}
		c.add(n, "%q không phải mã của %q; các mã: %s", s.Value, code, codeList(v))
	}
}

// matchCode finds the code a clerk probably meant: the code whose label or alias is
// what they wrote ("Đại học" → dai_hoc), else a code one or two letters away.
func (v *field) matchCode(s string) string {
	k := textfold.Key(s)
	for _, c := range v.codes {
		if textfold.Key(c.Label) == k {
			return c.Code
		}
	}
	if v.vocab != nil {
		for _, val := range v.vocab.Values {
			for _, a := range val.Aliases {
				if textfold.Key(a) == k {
					return val.Code
				}
			}
		}
	}
	names := make([]string, len(v.codes))
	for i, c := range v.codes {
		names[i] = c.Code
	}
	return textfold.Closest(s, names)
}

// example is a code of the field to show in a message.
func example(v *field) string {
	if v.vocab != nil && len(v.vocab.Values) > 0 {
		return v.vocab.Values[len(v.vocab.Values)/2].Code
	}
	if len(v.codes) > 0 {
		return v.codes[0].Code
	}
	return "…"
}

// codeList lists a field's codes for a message, shortened when long.
func codeList(v *field) string {
	const most = 10
	var parts []string
	for i, c := range v.codes {
		if i == most {
			parts = append(parts, fmt.Sprintf("… (xem %s)", schema.FileVocab))
			break
		}
		parts = append(parts, c.Code)
	}
	return strings.Join(parts, ", ")
}
