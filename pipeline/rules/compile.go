package rules

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
	"time"

	"canbo/pipeline/schema"
	"canbo/pipeline/summary"
)

// Compile checks and compiles targets.yaml and standards.yaml of a loaded
// configuration. It returns every problem at once as schema.Problems, sorted by
// position, or a Set ready to evaluate. A configuration without those files gives an
// empty Set.
func Compile(cfg *schema.Config) (*Set, error) {
	if cfg == nil {
		return nil, fmt.Errorf("rules: cấu hình rỗng (nil)")
	}
	c := &compiler{env: newEnv(cfg)}
	set := &Set{}
	for _, rs := range cfg.Targets.RuleSets {
		if rs != nil {
			set.ruleSets = append(set.ruleSets, c.ruleSet(rs))
		}
	}
	c.uniqueTargets(set.ruleSets)
	for _, st := range cfg.Standards.Standards {
		if st != nil {
			set.standards = append(set.standards, c.standard(st))
		}
	}
	c.forms(cfg, set)
	if len(c.problems) > 0 {
		sort.SliceStable(c.problems, func(i, j int) bool {
			a, b := c.problems[i].Pos, c.problems[j].Pos
			if a.File != b.File {
				return a.File < b.File
			}
			if a.Line != b.Line {
				return a.Line < b.Line
			}
			return a.Col < b.Col
		})
		return nil, c.problems
	}
	return set, nil
}

// compiler collects the problems of one Compile.
type compiler struct {
	env       *env
	problems  schema.Problems
	standards []*Standard // compiled so far, for unique ids
}

func (c *compiler) add(pos schema.Pos, format string, args ...any) {
	c.problems = append(c.problems, schema.Problem{Pos: pos, Msg: fmt.Sprintf(format, args...)})
}

var idRE = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)

// id checks an identifier (rule set code, target or standard id).
func (c *compiler) id(pos schema.Pos, key, what, id string) {
	switch {
	case id == "":
		c.add(pos, "%s thiếu %q (mã nhận diện, ví dụ sdh_cap_phong)", what, key)
	case !idRE.MatchString(id):
		c.add(pos, "%s %q: mã chỉ được có chữ thường không dấu, số và dấu gạch dưới, bắt đầu bằng chữ (ví dụ sdh_cap_phong)", key, id)
	}
}

// period checks effective_from and effective_until.
func (c *compiler) period(pos schema.Pos, from, until string) Period {
	p := Period{From: strings.TrimSpace(from), Until: strings.TrimSpace(until)}
	okFrom := c.date(pos, "effective_from", p.From)
	okUntil := c.date(pos, "effective_until", p.Until)
	if okFrom && okUntil && p.From != "" && p.Until != "" && p.Until < p.From {
		c.add(pos, "effective_until (%s) trước effective_from (%s): ngày hết hiệu lực phải sau ngày bắt đầu", p.Until, p.From)
	}
	return p
}

// date checks a YYYY-MM-DD date; empty is allowed.
func (c *compiler) date(pos schema.Pos, key, s string) bool {
	if s == "" {
		return true
	}
	if _, err := time.Parse(time.DateOnly, s); err != nil {
		c.add(pos, "%s = %q không phải ngày dạng NĂM-THÁNG-NGÀY; ví dụ 31/12/2025 viết là 2025-12-31", key, s)
		return false
	}
	return true
}

// expr compiles an optional expression; "" means everyone.
func (c *compiler) expr(text string, pos schema.Pos) *Expr {
	text = strings.TrimSpace(text)
	if text == "" {
		return nil
	}
	x, ps := c.env.compileExpr(text, pos)
	c.problems = append(c.problems, ps...)
	return x
}

func (c *compiler) ruleSet(in *schema.RuleSet) *RuleSet {
	c.id(in.Pos, "code", "bộ chỉ tiêu", in.Code)
	rs := &RuleSet{Code: in.Code, Title: in.Title, Basis: in.Basis, Period: c.period(in.Pos, in.EffectiveFrom, in.EffectiveUntil),
		Pos: in.Pos}
	if len(in.Targets) == 0 {
		c.add(in.Pos, "bộ chỉ tiêu %q chưa có chỉ tiêu nào (targets)", in.Code)
	}
	for _, t := range in.Targets {
		if t != nil {
			rs.Targets = append(rs.Targets, c.target(rs, t))
		}
	}
	return rs
}

func (c *compiler) target(rs *RuleSet, in *schema.Target) *Target {
	c.id(in.Pos, "id", "chỉ tiêu", in.ID)
	t := &Target{ID: in.ID, Title: strings.TrimSpace(in.Title), RuleSet: rs, Deadline: strings.TrimSpace(in.Deadline),
		Scope: strings.TrimSpace(in.Scope), Pos: in.Pos}
	if t.Title == "" {
		c.add(in.Pos, "chỉ tiêu %q thiếu \"title\" (tên hiện trong báo cáo)", in.ID)
	}
	t.Population = c.expr(in.Population, in.PopulationPos)
	if strings.TrimSpace(in.Counted) == "" {
		c.add(in.Pos, "chỉ tiêu %q thiếu \"counted\" (điều kiện để một người được tính đạt, ví dụ trinh_do_chuyen_mon >= \"thac_si\")", in.ID)
	} else {
		t.Counted = c.expr(in.Counted, in.CountedPos)
	}
	switch th := strings.TrimSpace(in.Threshold); {
	case th == "":
		c.add(in.Pos, "chỉ tiêu %q thiếu \"threshold\" (tỉ lệ phải đạt, ví dụ 70%%)", in.ID)
	default:
		r, err := summary.ParseRatio(th)
		if err != nil {
			c.add(in.ThresholdPos, "%v", err)
		}
		t.Threshold = r
	}
	c.date(in.Pos, "deadline", t.Deadline)
	switch t.Scope {
	case "":
		t.Scope = schema.ScopeOverall
	case schema.ScopeOverall, schema.ScopeUnit, schema.ScopeBoth:
	default:
		c.add(in.Pos, "scope = %q không hợp lệ; dùng overall (toàn tỉnh), unit (từng đơn vị) hoặc both (cả hai)", t.Scope)
	}
	return t
}

// uniqueTargets reports repeated rule set codes, and target ids repeated where both
// could be in force on the same day: the report would then show two targets under one
// id. A new resolution may reuse an old id when the periods do not overlap.
func (c *compiler) uniqueTargets(sets []*RuleSet) {
	codes := map[string]bool{}
	type seen struct {
		rs *RuleSet
		t  *Target
	}
	var all []seen
	for _, rs := range sets {
		if rs.Code != "" {
			if codes[rs.Code] {
				c.add(rs.Pos, "mã bộ chỉ tiêu %q lặp lại", rs.Code)
			}
			codes[rs.Code] = true
		}
		for _, t := range rs.Targets {
			if t.ID == "" {
				continue
			}
			for _, o := range all {
				if o.t.ID == t.ID && (o.rs == rs || o.rs.overlaps(rs.Period)) {
					c.add(t.Pos, "mã chỉ tiêu %q đã dùng ở %s (bộ %q); đặt mã khác", t.ID, o.t.Pos, o.rs.Code)
					break
				}
			}
			all = append(all, seen{rs, t})
		}
	}
}
