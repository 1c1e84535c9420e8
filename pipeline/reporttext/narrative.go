package reporttext

import (
	"unicode"
	"unicode/utf8"

	"canbo/pipeline/schema"
	"canbo/pipeline/summary"
)

// narrativeKeys are the sentences report.yaml must define.
var narrativeKeys = []string{"intro", "change", "dimension", "group", "training", "target_met", "target_not_met", "target_empty", "target_not_computed",
	"target_units", "standard", "problems"}

// Part is one item of a listing sentence.
type Part struct {
	Label string
	Count int
	Share float64
}

// The dimensions the introduction quotes; a configuration without one of them just
// leaves that clause out.
const (
	dimSex      = "gioi_tinh"
	codeWoman   = "nu"
	dimMinority = "dan_toc_thieu_so"
	dimUnder35  = "duoi_35"
)

// Narrative writes the report's generated paragraphs: the headcount and key shares,
// one sentence per ordinal dimension (education, political theory, state management),
// training, every overall target with what it still needs, the standards and the
// data problems. The e-mail body and the PDF use the same sentences.
func (t *Text) Narrative(s *summary.Summary, cfg *schema.Config) ([]string, error) {
	var out []string
	add := func(key string, data any) error {
		p, err := t.render(key, data)
		if err == nil {
			out = append(out, p)
		}
		return err
	}
	tot := s.Total
	share := func(dim, code string) (int, float64) {
		b, ok := tot.Breakdowns[dim]
		if !ok || tot.Headcount == 0 {
			return 0, -1
		}
		return b[code], summary.Share(b[code], tot.Headcount)
	}
	women, womenShare := share(dimSex, codeWoman)
	minority, minorityShare := share(dimMinority, "true")
	young, youngShare := share(dimUnder35, "true")
	if err := add("intro", map[string]any{
		"AsOf": s.AsOf, "Period": s.Period, "Headcount": tot.Headcount, "Units": len(s.Units),
		"Women": women, "WomenShare": womenShare, "Minority": minority, "MinorityShare": minorityShare,
		"Under35": young, "Under35Share": youngShare,
	}); err != nil {
		return nil, err
	}
	if c := s.Previous; c != nil && c.Period != "" {
		var moved []summary.TargetChange
		for _, tc := range c.Targets {
			if tc.Unit == "" && tc.Status == "" && (tc.MetChange != "" || tc.ShareChangePP != 0) {
				moved = append(moved, tc)
			}
		}
		if err := add("change", map[string]any{"Period": Period(c.Period), "Headcount": c.Total.Headcount,
			"Previous": c.Total.PreviousHeadcount, "Change": c.Total.HeadcountChange, "Targets": moved}); err != nil {
			return nil, err
		}
	}
	for _, dim := range cfg.Report.Breakdowns {
		f := cfg.Field(dim)
		if f == nil || f.Type != schema.TypeOrdinal || tot.Headcount == 0 {
			continue
		}
		parts := partsOf(cfg, f, tot.Breakdowns[dim], tot.Headcount, true)
		if len(parts) == 0 {
			continue
		}
		if err := add("dimension", map[string]any{"Label": LowerFirst(f.Label), "Parts": parts}); err != nil {
			return nil, err
		}
	}
	if len(s.Groups) > 1 {
		for _, g := range s.Groups {
			type dim struct {
				Label string
				Parts []Part
			}
			var dims []dim
			for _, code := range cfg.Report.Breakdowns {
				f := cfg.Field(code)
				if f == nil || f.Type != schema.TypeOrdinal || g.Headcount == 0 {
					continue
				}
				if parts := partsOf(cfg, f, g.Breakdowns[code], g.Headcount, true); len(parts) > 0 {
					dims = append(dims, dim{LowerFirst(f.Label), parts})
				}
			}
			if err := add("group", map[string]any{"Group": g.Group, "Headcount": g.Headcount, "Dims": dims}); err != nil {
				return nil, err
			}
		}
	}
	if s.Training.Total > 0 {
		var parts []Part
		if f := cfg.Field(cfg.Training.Field); f != nil {
			parts = partsOf(cfg, f, s.Training.ByType, s.Training.Total, false)
		}
		if err := add("training", map[string]any{"Total": s.Training.Total, "Parts": parts}); err != nil {
			return nil, err
		}
	}
	unitAll, unitMet := 0, 0
	for _, tg := range s.Targets {
		if tg.Unit != "" {
			// Per-unit results are many; the narrative sums them up and the
			// targets table lists them.
			unitAll++
			if tg.Met {
				unitMet++
			}
			continue
		}
		key := "target_not_met"
		switch {
		case !tg.Computed():
			key = "target_not_computed"
		case tg.Population == 0:
			key = "target_empty"
		case tg.Met:
			key = "target_met"
		}
		if err := add(key, tg); err != nil {
			return nil, err
		}
	}
	if unitAll > 0 {
		if err := add("target_units", map[string]any{"Met": unitMet, "All": unitAll}); err != nil {
			return nil, err
		}
	}
	for _, st := range standardTotals(s) {
		if err := add("standard", st); err != nil {
			return nil, err
		}
	}
	accepted, rejected := 0, 0
	for _, f := range s.Files {
		switch f.Status {
		case "accepted":
			accepted++
		case "rejected":
			rejected++
		}
	}
	if err := add("problems", map[string]any{"Files": accepted + rejected, "Accepted": accepted, "Rejected": rejected,
		"Errors": s.Issues.Errors, "Warnings": s.Issues.Warnings}); err != nil {
		return nil, err
	}
	return out, nil
}

// partsOf lists a dimension's non-zero codes in vocabulary order, highest level first
// for ordinals (as reports quote them: thạc sĩ, đại học, …).
func partsOf(cfg *schema.Config, f *schema.Field, counts map[string]int, total int, highFirst bool) []Part {
	codes := cfg.Codes(f)
	var parts []Part
	for _, c := range codes {
		if n := counts[c.Code]; n > 0 {
			parts = append(parts, Part{Label: LowerFirst(c.Label), Count: n, Share: summary.Share(n, total)})
		}
	}
	if highFirst && len(parts) > 1 {
		last := len(parts)
		if parts[last-1].Label == LowerFirst(codes[len(codes)-1].Label) {
			last-- // chưa xác định stays last
		}
		head := parts[:last]
		for i, j := 0, len(head)-1; i < j; i, j = i+1, j-1 {
			head[i], head[j] = head[j], head[i]
		}
	}
	return parts
}

type standardTotal struct {
	Title             string
	Population, Below int
}

// standardTotals sums each standard over its units, in first-seen order.
func standardTotals(s *summary.Summary) []standardTotal {
	var out []standardTotal
	idx := map[string]int{}
	for _, st := range s.Standards {
		i, ok := idx[st.ID]
		if !ok {
			i = len(out)
			idx[st.ID] = i
			out = append(out, standardTotal{Title: st.Title})
		}
		out[i].Population += st.Population
		out[i].Below += st.Population - st.Compliant
	}
	return out
}

// LowerFirst lowers the first letter of a label used inside a sentence ("Trình độ
// chuyên môn" → "trình độ chuyên môn"), leaving acronyms ("HĐND", "QP-AN") alone.
func LowerFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if r == utf8.RuneError || !unicode.IsUpper(r) {
		return s
	}
	// Keep acronyms ("QP-AN", "LLCT") as they are.
	if r2, _ := utf8.DecodeRuneInString(s[n:]); unicode.IsUpper(r2) {
		return s
	}
	return string(unicode.ToLower(r)) + s[n:]
}
