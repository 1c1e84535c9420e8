package web

import (
	"context"
	"fmt"
	"html/template"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"canbo/pipeline/reporttext"
	"canbo/pipeline/summary"
)

// trendPeriods is how many periods a target's trend shows, the shown one included:
// a year of monthly reports, as the Excel report's trend sheet.
const trendPeriods = 12

// figureRow is one overall target of the period, as the report's assessment states
// it: count of population, share, threshold, shortfall, deadline.
type figureRow struct {
	summary.Target
	Bar   template.HTML // share against threshold, inline SVG
	Trend []summary.Point
	Line  template.HTML // the trend's line, inline SVG; "" for fewer than two periods
}

type figuresView struct {
	Title, User, Role, CSRF, Period string
	Have                            bool // the period has a summary.json
	AsOf                            string
	Headcount, Units                int
	Met, Missed, Other              []figureRow // Other: not computed, or nobody it applies to
	UnitMet, UnitAll                int         // targets evaluated by unit
	Behind                          []string    // the assessment's "Còn xa chỉ tiêu …" sentences
	Judged                          bool        // the report's wording is at hand to say which units are far behind
	Periods                         []string    // every period with a summary, newest first
}

// figures shows a period's figures to a logged-in user (staff or leader): the
// targets met and missed with what they still need, each drawn against its
// threshold, their trend over the last periods, and the units far behind, all from
// what canbo already computed: the period's summary.json and the history database.
// ?ky= picks the period; the latest one with a report by default.
func (s *Server) figures(w http.ResponseWriter, r *http.Request) {
	sess, user, ok := s.session(w, r)
	if !ok {
		return
	}
	periods, err := s.reportedPeriods()
	if err != nil {
		s.opt.Log.Error("trang web: không đọc được thư mục báo cáo", "err", err)
		s.fail(w, http.StatusInternalServerError, "Không đọc được thư mục báo cáo; xem nhật ký của canbo.")
		return
	}
	period := r.URL.Query().Get("ky")
	switch {
	case period == "" && len(periods) > 0:
		period = periods[0]
	case period == "":
		period, _ = s.period()
	case !periodRe.MatchString(period):
		s.fail(w, http.StatusBadRequest, "Kỳ phải có dạng YYYY-MM, ví dụ 2023-09.")
		return
	}
	v := figuresView{Title: "Số liệu kỳ " + reporttext.Period(period), User: user.Name, Role: user.Role, CSRF: sess.CSRF,
		Period: period, Periods: periods}
	sum, err := s.readFigures(period)
	switch {
	case os.IsNotExist(err):
	case err != nil:
		s.opt.Log.Error("trang web: không đọc được summary.json", "period", period, "err", err)
		s.fail(w, http.StatusInternalServerError, "Không đọc được số liệu kỳ "+reporttext.Period(period)+"; xem nhật ký của canbo.")
		return
	default:
		if err := s.fillFigures(r.Context(), &v, sum); err != nil {
			s.opt.Log.Error("trang web: không lập được trang số liệu", "period", period, "err", err)
			s.fail(w, http.StatusInternalServerError, "Không lập được trang số liệu; xem nhật ký của canbo.")
			return
		}
	}
	s.render(w, http.StatusOK, "solieu.html", v)
}

// summaryPath is where canbo writes a period's summary.json; period has been checked
// against periodRe.
func (s *Server) summaryPath(period string) string {
	return filepath.Join(s.opt.Config.Serve.Out, period, "summary.json")
}

// readFigures reads the period's figures without its lists of people and problems
// (summary.ReadFigures): a ministry's summary.json is hundreds of megabytes of them.
// A file that is not inside OUT (a link planted there) counts as absent.
func (s *Server) readFigures(period string) (*summary.Summary, error) {
	p := s.summaryPath(period)
	if !inside(s.opt.Config.Serve.Out, p) {
		return nil, os.ErrNotExist
	}
	f, err := os.Open(p)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	sum, err := summary.ReadFigures(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", p, err)
	}
	return sum, nil
}

// reportedPeriods lists the periods of OUT that have a summary.json, newest first.
func (s *Server) reportedPeriods() ([]string, error) {
	ents, err := os.ReadDir(s.opt.Config.Serve.Out)
	if os.IsNotExist(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var out []string
	for _, e := range ents {
		if !e.IsDir() || !periodRe.MatchString(e.Name()) {
			continue
		}
		if _, err := os.Stat(s.summaryPath(e.Name())); err == nil {
			out = append(out, e.Name())
		}
	}
	slices.Reverse(out) // ReadDir sorts by name, and YYYY-MM sorts by time
	return out, nil
}

// fillFigures puts the summary's targets, their trends and the units far behind
// into v.
func (s *Server) fillFigures(ctx context.Context, v *figuresView, sum *summary.Summary) error {
	v.Have, v.AsOf, v.Headcount, v.Units = true, sum.AsOf, sum.Total.Headcount, len(sum.Units)
	// The trend as the report draws it, from the history database as it is now (a
	// period reported since is in it); the one written into summary.json when the
	// database cannot say.
	trends := make([][]summary.Point, len(sum.Targets))
	for i, t := range sum.Targets {
		trends[i] = t.Trend
	}
	if tr, err := s.opt.DB.Trends(ctx, sum, trendPeriods, s.opt.Config.Units.Registry()); err != nil {
		s.opt.Log.Warn("trang web: không đọc được xu hướng trong lịch sử; dùng xu hướng trong summary.json", "period", sum.Period, "err", err)
	} else {
		for i, t := range tr {
			if i < len(trends) {
				pts := make([]summary.Point, len(t.Points))
				for j, p := range t.Points {
					pts[j] = p.Point
				}
				trends[i] = pts
			}
		}
	}
	tc := summary.CountTargets(sum.Targets)
	v.UnitAll, v.UnitMet = tc.Unit, tc.UnitMet
	for i, t := range sum.Targets {
		if t.Unit != "" {
			continue
		}
		row := figureRow{Target: t, Trend: trends[i]}
		switch {
		case !t.Computed() || t.Population == 0:
			v.Other = append(v.Other, row)
			continue
		case t.Met:
			v.Met = append(v.Met, row)
		default:
			v.Missed = append(v.Missed, row)
		}
	}
	for _, rows := range [][]figureRow{v.Met, v.Missed} {
		for i := range rows {
			rows[i].Bar = shareBar(rows[i].Target)
			if len(rows[i].Trend) >= 2 {
				rows[i].Line = trendLine(rows[i].Trend)
			}
		}
	}
	if s.opt.Text != nil {
		behind, err := s.opt.Text.UnitsBehind(sum)
		if err != nil {
			return err
		}
		v.Behind, v.Judged = behind, true
	}
	return nil
}

// The charts are SVG written here, inline in the page: nothing to load, no script,
// and the page's Content-Security-Policy (no inline style, no other site) holds.
// Colours and font sizes are presentation attributes, not style; text is escaped.
//
// A chart is drawn chartW units wide and scaled to the page: 1.2–1.4 px a unit on a
// desktop, about 0.8 on a phone 390 px wide. The style sheet raises the labels to
// 16 units on narrow screens (about 13 px there), so the margins below leave room
// for labels of that size.
const (
	colourMet     = "#15803d"
	colourMissed  = "#b91c1c"
	colourTrack   = "#e5e9f0"
	colourMark    = "#1d2330"
	chartW        = 400.0
	barH, barTop  = 20.0, 20.0  // the bar, under the threshold's label
	barLabelY     = 15.0        // the threshold label's baseline
	lineH, lineB  = 112.0, 22.0 // the trend chart's height and bottom margin (period labels)
	lineL, lineR  = 44.0, 12.0  // its left (axis labels) and right margins
	lineTopMargin = 12.0
)

// shareBar draws a target's share as a bar against its threshold (a dark mark with
// its percentage above it); green when met, red when not.
func shareBar(t summary.Target) template.HTML {
	x := func(f float64) float64 { return min(max(f, 0), 1) * chartW }
	colour := colourMissed
	if t.Met {
		colour = colourMet
	}
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="bar" viewBox="0 0 %.0f %.0f" width="100%%" role="img" aria-label="%s">`,
		chartW, barTop+barH+2, template.HTMLEscapeString(fmt.Sprintf("Đạt %s, chỉ tiêu %s", reporttext.Percent(t.Share), reporttext.PercentShort(t.Threshold))))
	fmt.Fprintf(&b, `<rect x="0" y="%.0f" width="%.0f" height="%.0f" fill="%s"/>`, barTop, chartW, barH, colourTrack)
	fmt.Fprintf(&b, `<rect x="0" y="%.0f" width="%.1f" height="%.0f" fill="%s"/>`, barTop, x(t.Share), barH, colour)
	tx := x(t.Threshold)
	fmt.Fprintf(&b, `<line x1="%.1f" y1="%.0f" x2="%.1f" y2="%.0f" stroke="%s" stroke-width="2"/>`, tx, barTop-3, tx, barTop+barH+2, colourMark)
	// The label is centred on its mark unless that would push it off the chart (it
	// is about 115 units wide in a phone's larger type).
	anchor := "middle"
	switch {
	case t.Threshold < 0.15:
		anchor = "start"
	case t.Threshold > 0.85:
		anchor = "end"
	}
	fmt.Fprintf(&b, `<text x="%.1f" y="%.0f" font-size="11" text-anchor="%s" fill="%s">chỉ tiêu %s</text>`, tx, barLabelY, anchor, colourMark,
		template.HTMLEscapeString(reporttext.PercentShort(t.Threshold)))
	lx, lc := barLabel(x(t.Share), tx, colour)
	fmt.Fprintf(&b, `<text x="%.1f" y="%.0f" font-size="12" fill="%s">%s</text>`, lx, barTop+barH-5, lc, template.HTMLEscapeString(reporttext.Percent(t.Share)))
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// barLabel places the share's text: white inside the bar when the bar is long
// enough to hold it ("17,50%" is about 60 units in a phone's type), else in the
// bar's colour on the track just after the bar's end, or after the threshold's mark
// when the mark would cross it.
func barLabel(end, mark float64, colour string) (float64, string) {
	const width = 64.0
	switch {
	case end >= width:
		return 4, "#fff"
	case mark > end && mark < end+4+width:
		return mark + 4, colour
	}
	return end + 4, colour
}

// trendLine draws a target's share over the periods (oldest left) on a 0–100%
// scale with its threshold dashed; each point green when met, red when not, the
// first and last periods written under the axis.
func trendLine(pts []summary.Point) template.HTML {
	plotW, plotH := chartW-lineL-lineR, lineH-lineB-lineTopMargin
	x := func(i int) float64 { return lineL + plotW*float64(i)/float64(len(pts)-1) }
	y := func(f float64) float64 { return lineTopMargin + plotH*(1-min(max(f, 0), 1)) }
	var b strings.Builder
	last := pts[len(pts)-1]
	fmt.Fprintf(&b, `<svg class="trend" viewBox="0 0 %.0f %.0f" width="100%%" role="img" aria-label="%s">`, chartW, lineH,
		template.HTMLEscapeString(fmt.Sprintf("Xu hướng từ %s đến %s", reporttext.Period(pts[0].Period), reporttext.Period(last.Period))))
	for _, f := range []float64{0, 0.5, 1} {
		fmt.Fprintf(&b, `<line x1="%.0f" y1="%.1f" x2="%.0f" y2="%.1f" stroke="%s"/>`, lineL, y(f), chartW-lineR, y(f), colourTrack)
		fmt.Fprintf(&b, `<text x="%.0f" y="%.1f" font-size="11" text-anchor="end" fill="%s">%s</text>`, lineL-4, y(f)+4, colourMark, reporttext.PercentShort(f))
	}
	fmt.Fprintf(&b, `<line x1="%.0f" y1="%.1f" x2="%.0f" y2="%.1f" stroke="%s" stroke-dasharray="4 3"/>`, lineL, y(last.Threshold), chartW-lineR, y(last.Threshold), colourMark)
	b.WriteString(`<polyline fill="none" stroke="#1f4e8c" stroke-width="2" points="`)
	for i, p := range pts {
		fmt.Fprintf(&b, "%.1f,%.1f ", x(i), y(p.Share))
	}
	b.WriteString(`"/>`)
	for i, p := range pts {
		colour := colourMissed
		if p.Met {
			colour = colourMet
		}
		fmt.Fprintf(&b, `<circle cx="%.1f" cy="%.1f" r="3.5" fill="%s"><title>%s: %s</title></circle>`, x(i), y(p.Share), colour,
			template.HTMLEscapeString(reporttext.Period(p.Period)), template.HTMLEscapeString(reporttext.Percent(p.Share)))
	}
	fmt.Fprintf(&b, `<text x="%.0f" y="%.0f" font-size="11" fill="%s">%s</text>`, lineL, lineH-4, colourMark, template.HTMLEscapeString(reporttext.Period(pts[0].Period)))
	fmt.Fprintf(&b, `<text x="%.0f" y="%.0f" font-size="11" text-anchor="end" fill="%s">%s</text>`, chartW-lineR, lineH-4, colourMark, template.HTMLEscapeString(reporttext.Period(last.Period)))
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}
