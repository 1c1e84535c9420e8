package rules

import (
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/file"
	"github.com/expr-lang/expr/parser"
	"github.com/expr-lang/expr/vm"

	"canbo/pipeline/schema"
)

// Expr is one compiled expression (a population, a counted condition, an applies_to).
// It is immutable and safe for concurrent use; an Evaluator runs it.
type Expr struct {
	Text string     // as written in the YAML file
	Pos  schema.Pos // where the text starts
	prog *vm.Program
	vars []binding // the variables the program reads, filled per record
	fast fastMatch // the same test in plain Go, for the forms' counters (fast.go); nil for the VM
}

// compileExpr parses, checks and compiles text. On failure it returns the problems,
// each positioned inside the text where the position is known.
func (e *env) compileExpr(text string, pos schema.Pos) (*Expr, schema.Problems) {
	tree, err := parser.Parse(text)
	if err != nil {
		return nil, e.exprError(text, pos, err)
	}
	c := &checker{env: e}
	c.check(&tree.Node)
	if len(c.problems) > 0 {
		var ps schema.Problems
		for _, p := range c.problems {
			ps = append(ps, schema.Problem{Pos: at(text, pos, p.at), Msg: p.msg})
		}
		return nil, ps
	}
	p := &patcher{env: e, used: map[string]bool{}, replaced: map[string]int{}}
	prog, err := expr.Compile(text, expr.Env(e.types), expr.AsBool(), expr.Patch(p))
	if err != nil {
		return nil, e.exprError(text, pos, err)
	}
	x := &Expr{Text: text, Pos: pos, prog: prog}
	// The program reads the fields named in the text, except those only compared by
	// rank, and the hidden variables the patcher introduced.
	occurs := map[string]int{}
	for _, id := range identifiers(&tree.Node) {
		if e.fields[id] != nil {
			occurs[id]++
		}
	}
	names := map[string]bool{}
	for id, n := range occurs {
		if n > p.replaced[id] {
			names[id] = true
		}
	}
	for n := range p.used {
		names[n] = true
	}
	for _, n := range sortedKeys(names) {
		switch {
		case strings.HasPrefix(n, setPrefix):
			x.vars = append(x.vars, binding{name: n, kind: varSet, v: e.fields[strings.TrimPrefix(n, setPrefix)]})
		case strings.HasPrefix(n, rankPrefix):
			x.vars = append(x.vars, binding{name: n, kind: varRank, v: e.fields[strings.TrimPrefix(n, rankPrefix)]})
		default:
			x.vars = append(x.vars, binding{name: n, kind: varValue, v: e.fields[n]})
		}
	}
	return x, nil
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// at positions a rune offset of an expression in its YAML file. The YAML position is
// where the value starts; for a one-line expression the offset is added to the
// column. A multi-line value (a block scalar) is reported at its start.
//
// A quoted value ('…' or "…") starts one column before its text, so the column is
// then one short; the message quotes the part in question, which makes it findable.
func at(text string, pos schema.Pos, offset int) schema.Pos {
	if offset < 0 || strings.ContainsRune(text, '\n') || pos.Line == 0 {
		return pos
	}
	p := pos
	p.Col += min(offset, len([]rune(text)))
	return p
}

// exprError turns an error from expr's parser or checker into positioned Vietnamese
// problems.
func (e *env) exprError(text string, pos schema.Pos, err error) schema.Problems {
	var fe *file.Error
	offset := -1
	msg := err.Error()
	if errors.As(err, &fe) {
		offset = fe.From
		msg = fe.Message
	}
	return schema.Problems{{Pos: at(text, pos, offset), Msg: explain(text, msg)}}
}

var (
	reExpected   = regexp.MustCompile(`^expected bool, but got (\S+)`)
	reMismatch2  = regexp.MustCompile(`^invalid operation: (\S+) \(mismatched types (\S+) and (\S+)\)`)
	reMismatch1  = regexp.MustCompile(`^invalid operation: (\S+) \(mismatched type (\S+)\)`)
	reUnexpected = regexp.MustCompile(`^unexpected token (.*)`)
)

// explain translates expr's English message for a clerk, with the likely fix. The
// original follows in brackets for the few cases without a translation.
func explain(text, msg string) string {
	switch {
	case reExpected.MatchString(msg):
		got := reExpected.FindStringSubmatch(msg)[1]
		return fmt.Sprintf("biểu thức phải cho kết quả đúng/sai, ví dụ tuoi < 35 hoặc gioi_tinh == \"nu\"; biểu thức này cho %s", typeName(got))
	case reMismatch2.MatchString(msg):
		m := reMismatch2.FindStringSubmatch(msg)
		return fmt.Sprintf("không dùng được phép %s giữa %s và %s; kiểm tra kiểu của trường (số viết không ngoặc kép, mã viết trong ngoặc kép)",
			m[1], typeName(m[2]), typeName(m[3]))
	case reMismatch1.MatchString(msg):
		m := reMismatch1.FindStringSubmatch(msg)
		return fmt.Sprintf("không dùng được phép %s với %s", m[1], typeName(m[2]))
	case strings.Contains(msg, "literal not terminated"):
		return "thiếu dấu ngoặc kép đóng: mỗi mã viết trong một cặp ngoặc kép, ví dụ \"dai_hoc\""
	case reUnexpected.MatchString(msg), strings.HasPrefix(msg, "unexpected end of expression"):
		hint := "kiểm tra dấu ngoặc và phép so sánh"
		switch {
		case singleEquals(text):
			hint = "so sánh bằng viết là == (hai dấu bằng), ví dụ gioi_tinh == \"nu\""
		case strings.HasPrefix(msg, "unexpected end"), strings.Contains(msg, "EOF"):
			hint = "biểu thức bị thiếu phần cuối (thiếu giá trị sau phép so sánh, hoặc thiếu dấu ngoặc đóng)"
		}
		return "biểu thức viết chưa đúng: " + hint + " (" + msg + ")"
	case strings.HasPrefix(msg, "unknown name"):
		return "không có trường hoặc hàm " + strings.TrimPrefix(msg, "unknown name ") + fmt.Sprintf(" trong %s", schema.FileSchema)
	}
	return "biểu thức không hợp lệ (" + msg + ")"
}

// singleEquals reports a lone "=" outside quotes, a common slip from Excel formulas.
func singleEquals(text string) bool {
	quoted := rune(0)
	rs := []rune(text)
	for i, r := range rs {
		switch {
		case quoted != 0:
			if r == quoted {
				quoted = 0
			}
		case r == '"' || r == '\'':
			quoted = r
		case r == '=':
			prev, next := rune(0), rune(0)
			if i > 0 {
				prev = rs[i-1]
			}
			if i+1 < len(rs) {
				next = rs[i+1]
			}
			if next != '=' && prev != '=' && prev != '!' && prev != '<' && prev != '>' {
				return true
			}
		}
	}
	return false
}

// typeName names an expr type for a clerk.
func typeName(t string) string {
	switch t {
	case "string":
		return "chữ/mã"
	case "float64", "int", "float", "number":
		return "số"
	case "bool":
		return "đúng/sai"
	case "nil":
		return "giá trị rỗng"
	}
	if strings.HasPrefix(t, "[]") {
		return "danh sách"
	}
	return t
}
