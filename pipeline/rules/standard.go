package rules

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"canbo/pipeline/schema"
	"canbo/pipeline/textfold"
)

func (c *compiler) standard(in *schema.Standard) *Standard {
	c.id(in.Pos, "id", "tiêu chuẩn", in.ID)
	s := &Standard{ID: in.ID, Title: strings.TrimSpace(in.Title), Basis: in.Basis,
		Period: c.period(in.Pos, in.EffectiveFrom, in.EffectiveUntil), Pos: in.Pos,
		name: c.env.cfg.Field("ho_ten"), birth: c.env.cfg.Field("ngay_sinh"), position: c.env.cfg.Field("chuc_vu")}
	if s.Title == "" {
		c.add(in.Pos, "tiêu chuẩn %q thiếu \"title\" (tên hiện trong báo cáo)", in.ID)
	}
	s.AppliesTo = c.expr(in.AppliesTo, in.AppliesToPos)
	if len(in.Requires) == 0 {
		c.add(in.Pos, "tiêu chuẩn %q chưa có yêu cầu nào (requires), ví dụ field: trinh_do_chuyen_mon, at_least: dai_hoc", in.ID)
	}
	seen := map[string]bool{}
	for _, r := range in.Requires {
		if r == nil {
			continue
		}
		if req := c.require(r); req != nil {
			if seen[req.Field.Code] {
				c.add(r.Pos, "trường %q đã có một yêu cầu trong tiêu chuẩn này; mỗi trường chỉ một mức tối thiểu", req.Field.Code)
				continue
			}
			seen[req.Field.Code] = true
			s.Requires = append(s.Requires, req)
		}
	}
	c.uniqueStandard(s)
	return s
}

// uniqueStandard reports an id already used by a standard in force on a common day.
func (c *compiler) uniqueStandard(s *Standard) {
	for _, p := range c.standards {
		if s.ID != "" && p.ID == s.ID && p.overlaps(s.Period) {
			c.add(s.Pos, "mã tiêu chuẩn %q đã dùng ở %s; đặt mã khác", s.ID, p.Pos)
			break
		}
	}
	c.standards = append(c.standards, s)
}

// require checks one minimum: an ordinal field and one of its codes.
func (c *compiler) require(in *schema.Require) *Require {
	name := strings.TrimSpace(in.Field)
	v := c.env.fields[name]
	switch {
	case name == "":
		c.add(in.Pos, "yêu cầu thiếu \"field\" (trường có thứ bậc, ví dụ trinh_do_chuyen_mon)")
		return nil
	case v == nil:
		if s := textfold.Closest(name, c.env.names); s != "" {
			c.add(in.Pos, "không có trường %q (có phải %q?)", name, s)
		} else {
			c.add(in.Pos, "không có trường %q trong %s", name, schema.FileSchema)
		}
		return nil
	case v.kind != kindOrdinal:
		c.add(in.Pos, "trường %q không có thứ bậc nên không đặt mức tối thiểu được; dùng một trường ordinal như %s", name, ordinalNames(c.env))
		return nil
	}
	code := strings.TrimSpace(in.AtLeast)
	switch {
	case code == "":
		c.add(in.Pos, "yêu cầu về %q thiếu \"at_least\" (mức tối thiểu, ví dụ %s)", name, example(v))
		return nil
	case code == schema.Unknown:
		c.add(in.Pos, "at_least không được là %q (chưa xác định)", code)
		return nil
	case v.rank(code) < 0:
		if m := v.matchCode(code); m != "" {
			c.add(in.Pos, "at_least = %q không phải mã của %q (có phải %q?)", code, name, m)
		} else {
			c.add(in.Pos, "at_least = %q không phải mã của %q; các mã: %s", code, name, codeList(v))
		}
		return nil
	}
	r := &Require{Field: v.f, AtLeast: code, NeedText: v.vocab.LabelOf(code), Label: strings.TrimSpace(in.Label),
		rank: v.rank(code), vocab: v.vocab}
	if r.Label == "" {
		r.Label = v.f.Label + " từ " + lowerFirst(r.NeedText) + " trở lên"
	}
	return r
}

// lowerFirst writes a level label inside a sentence: "từ đại học trở lên".
func lowerFirst(s string) string {
	for i, r := range s {
		return string(unicode.ToLower(r)) + s[i+utf8.RuneLen(r):]
	}
	return s
}

// ordinalNames lists the ordinal fields for a message.
func ordinalNames(e *env) string {
	var out []string
	for _, n := range e.names {
		if e.fields[n].kind == kindOrdinal {
			out = append(out, n)
		}
	}
	return strings.Join(out, ", ")
}
