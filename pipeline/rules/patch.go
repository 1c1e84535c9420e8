package rules

import (
	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/file"
)

// patcher rewrites comparisons before expr type-checks and compiles them, so that
// ordinals compare by rank and unknown values never satisfy a comparison:
//
//	trinh_do_chuyen_mon <= "dai_hoc"  →  __rank_trinh_do_chuyen_mon >= 0 && __rank_trinh_do_chuyen_mon <= 4
//	tuoi < 35                         →  __set_tuoi && tuoi < 35
//
// It runs after checker, which has made sure every ordinal ordering compares a field
// with one of its codes or with a field of the same vocabulary.
type patcher struct {
	env      *env
	used     map[string]bool // hidden variables the patched program reads
	replaced map[string]int  // field identifiers replaced by their rank, per field
	loc      file.Location   // of the comparison being patched, for new nodes
}

// Visit is called bottom-up (ast.Walk visits children first), so a comparison nested
// in an operand is already rewritten when its parent is seen.
func (p *patcher) Visit(n *ast.Node) {
	b, ok := (*n).(*ast.BinaryNode)
	if !ok || !(isEquality(b.Operator) || isOrdering(b.Operator) || b.Operator == "in") {
		return
	}
	ordering := isOrdering(b.Operator)
	var guards []string
	seen := map[string]bool{}
	for _, side := range []ast.Node{b.Left, b.Right} {
		p.collect(side, ordering, seen, &guards)
	}
	if len(guards) == 0 {
		return
	}
	if ordering {
		p.ranks(b)
	}
	p.loc = b.Location()
	var cond ast.Node = b
	for i := len(guards) - 1; i >= 0; i-- {
		and := &ast.BinaryNode{Operator: "&&", Left: p.known(guards[i]), Right: cond}
		and.SetLocation(b.Location())
		cond = and
	}
	ast.Patch(n, cond)
}

// known is the test that a field has a value: its hidden set variable, or for an
// ordinal its rank being 0 or more, which saves filling one more variable per record.
func (p *patcher) known(code string) ast.Node {
	loc := p.loc
	if p.env.fields[code].kind == kindOrdinal {
		name := rankPrefix + code
		p.used[name] = true
		rank := &ast.IdentifierNode{Value: name}
		zero := &ast.IntegerNode{Value: 0}
		ge := &ast.BinaryNode{Operator: ">=", Left: rank, Right: zero}
		for _, n := range []ast.Node{rank, zero, ge} {
			n.SetLocation(loc)
		}
		return ge
	}
	set := &ast.IdentifierNode{Value: setPrefix + code}
	set.SetLocation(loc)
	p.used[set.Value] = true
	return set
}

// collect lists the fields whose unknown value makes the comparison false: numbers
// and dates always, ordinals in ordering comparisons. It does not look inside nested
// comparisons or logic, which are already guarded and yield a known bool.
func (p *patcher) collect(n ast.Node, ordering bool, seen map[string]bool, out *[]string) {
	switch x := n.(type) {
	case *ast.IdentifierNode:
		v := p.env.fields[x.Value]
		if v == nil || seen[x.Value] {
			return
		}
		if v.kind == kindNumber || v.kind == kindDate || (ordering && v.kind == kindOrdinal) {
			seen[x.Value] = true
			*out = append(*out, x.Value)
		}
	case *ast.BinaryNode:
		switch x.Operator {
		case "&&", "||", "and", "or", "==", "!=", "<", "<=", ">", ">=", "in":
			return
		}
		p.collect(x.Left, ordering, seen, out)
		p.collect(x.Right, ordering, seen, out)
	case *ast.UnaryNode:
		if x.Operator == "not" || x.Operator == "!" {
			return
		}
		p.collect(x.Node, ordering, seen, out)
	case *ast.CallNode:
		for _, a := range x.Arguments {
			p.collect(a, ordering, seen, out)
		}
	case *ast.BuiltinNode:
		for _, a := range x.Arguments {
			p.collect(a, ordering, seen, out)
		}
	case *ast.SliceNode:
		for _, a := range []ast.Node{x.Node, x.From, x.To} {
			if a != nil {
				p.collect(a, ordering, seen, out)
			}
		}
	case *ast.MemberNode:
		p.collect(x.Node, ordering, seen, out)
	case *ast.ChainNode:
		p.collect(x.Node, ordering, seen, out)
	case *ast.ConditionalNode:
		p.collect(x.Exp1, ordering, seen, out)
		p.collect(x.Exp2, ordering, seen, out)
	case *ast.ArrayNode:
		for _, a := range x.Nodes {
			p.collect(a, ordering, seen, out)
		}
	}
}

// ranks replaces the ordinal operands of an ordering comparison by their ranks: the
// field by its hidden rank variable, a code by its position in the vocabulary.
func (p *patcher) ranks(b *ast.BinaryNode) {
	var v *field
	for _, side := range []ast.Node{b.Left, b.Right} {
		if id, ok := side.(*ast.IdentifierNode); ok {
			if f := p.env.fields[id.Value]; f != nil && f.kind == kindOrdinal {
				v = f
			}
		}
	}
	if v == nil {
		return
	}
	for _, side := range []*ast.Node{&b.Left, &b.Right} {
		switch x := (*side).(type) {
		case *ast.IdentifierNode:
			if f := p.env.fields[x.Value]; f != nil && f.kind == kindOrdinal {
				name := rankPrefix + x.Value
				p.used[name] = true
				p.replaced[x.Value]++
				ast.Patch(side, &ast.IdentifierNode{Value: name})
			}
		case *ast.StringNode:
			ast.Patch(side, &ast.IntegerNode{Value: v.rank(x.Value)})
		}
	}
}
