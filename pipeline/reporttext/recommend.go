package reporttext

import (
	"slices"
	"strings"
	"time"

	"canbo/pipeline/schema"
	"canbo/pipeline/summary"
)

// facts are what the recommendations' placeholders say, gathered while the
// assessment is written so that both speak of the same targets and units.
type facts struct {
	missed    []string // overall targets not met
	shortfall int      // persons they still need
	deadline  string   // the earliest of their deadlines
	behind    []string // units far behind a target or a standard, first named first
	below     int      // persons below a standard
	errors    int      // data errors
	rejected  int      // files that could not be read
}

func (f *facts) addBehind(unit string) {
	if !slices.Contains(f.behind, unit) {
		f.behind = append(f.behind, unit)
	}
}

// recommendations fills report.yaml's document.recommendations. A sentence is left
// out when one of its placeholders has nothing to say ("" or 0: no target missed, no
// data error), so that the section only asks for what the period's data shows.
func (t *Text) recommendations(s *summary.Summary, cfg *schema.Config, f facts) []string {
	next := ""
	if p, err := time.Parse("2006-01", s.Period); err == nil {
		next = p.AddDate(0, 1, 0).Format("01/2006")
	}
	behind := f.behind
	if len(behind) > maxBehind {
		behind = behind[:maxBehind]
	}
	count := func(n int) string {
		if n == 0 {
			return ""
		}
		return Int(n)
	}
	pairs := []string{
		"{ky}", Period(s.Period),
		"{ky_sau}", next,
		"{chi_tieu_chua_dat}", joinAnd(quoted(f.missed)),
		"{so_chi_tieu_chua_dat}", count(len(f.missed)),
		"{con_thieu}", count(f.shortfall),
		"{thoi_han}", Date(f.deadline),
		"{don_vi_con_xa}", joinAnd(behind),
		"{so_nguoi_chua_dat_chuan}", count(f.below),
		"{so_loi}", count(f.errors),
		"{so_tep_khong_dung_duoc}", count(f.rejected),
	}
	var out []string
	for _, r := range cfg.Report.Document.Recommendations {
		r = strings.Join(strings.Fields(r), " ")
		if r == "" {
			continue
		}
		empty := false
		for _, ph := range schema.Placeholders(r) {
			if i := slices.Index(pairs, ph); i >= 0 && i%2 == 0 && pairs[i+1] == "" {
				empty = true
				break
			}
		}
		if !empty {
			out = append(out, Fill(r, pairs...))
		}
	}
	return out
}
