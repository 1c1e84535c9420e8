package serve

import (
	"bytes"
	"context"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"canbo/pipeline/report"
	"canbo/pipeline/summary"
)

// reportSamples makes the samples' report for period into serve's OUT folder and
// records it in serve's history database, as a scheduled run does.
func (w *webOffice) reportSamples(period string) {
	w.t.Helper()
	ctx := context.Background()
	err := w.svc.db.Record(ctx, period, "manual", func() (*summary.Summary, string, error) {
		res, err := report.Run(ctx, w.svc.tools, report.Options{Inputs: []string{samples}, Out: w.out, Period: period,
			NoFeedback: true, NoCache: true, History: w.svc.db})
		return res.Made(err)
	})
	if err != nil {
		w.t.Fatal(err)
	}
}

// summaryJSON is the period's summary.json in serve's OUT folder.
func (w *webOffice) summaryJSON(period string) []byte {
	w.t.Helper()
	data, err := os.ReadFile(filepath.Join(w.out, period, "summary.json"))
	if err != nil {
		w.t.Fatal(err)
	}
	return data
}

// TestWebFigures: the office's figures page, from the samples' real summary.json and
// history: the targets missed with their shortfall and deadline, the met ones, each
// drawn against its threshold, the trend over the two recorded periods, the units
// far behind in the report's own words; a leader sees it too, nobody without a
// session does, and no period names a path.
func TestWebFigures(t *testing.T) {
	t.Parallel()
	w := newWebOffice(t)
	c, page := w.login(webUser, webPass)
	if strings.Contains(page, `id="so-lieu"`) {
		t.Error("the board links to figures before any report")
	}
	if code, p := w.get(c, "/so-lieu?ky=2023-09"); code != 200 || !strings.Contains(p, `id="chua-co"`) {
		t.Errorf("figures before the report: %d\n%s", code, p)
	}
	w.reportSamples("2023-08")
	w.reportSamples("2023-09")
	if _, page = w.get(c, "/bang?ky=2023-09"); !strings.Contains(page, `href="/so-lieu?ky=2023-09" id="so-lieu"`) {
		t.Errorf("the board does not link to the figures:\n%s", page)
	}
	code, page := w.get(c, "/so-lieu?ky=2023-09")
	if code != 200 {
		t.Fatalf("figures: %d\n%s", code, page)
	}
	// The samples (pipeline/report/testdata/samples-summary.json): two overall
	// targets missed, two met.
	text := strings.Join(strings.Fields(regexp.MustCompile(`<[^>]*>`).ReplaceAllString(page, "")), " ")
	missed, _, _ := strings.Cut(page[strings.Index(page, `id="chua-dat"`):], `id="da-dat"`)
	for _, want := range []string{
		"Số liệu kỳ 09/2023", "Chỉ tiêu chưa đạt (2)", "Chỉ tiêu đã đạt (2)",
		"Mới đạt 47,83% (22/46 người), chỉ tiêu đề ra 50%, còn thiếu 1 người (thời hạn 31/12/2025).",
		"Mới đạt 17,50% (21/120 người), chỉ tiêu đề ra 30%, còn thiếu 15 người (thời hạn 31/12/2025).",
		"Đạt 70,00% (35/50 người), chỉ tiêu đề ra 70% (thời hạn 31/12/2025).",
		// Per unit: 4 of 11 met.
		"Đạt 4/11 chỉ tiêu",
		// The trend: the two recorded periods, each a point.
		"Xu hướng 2 kỳ gần nhất", "<td>08/2023</td><td>17,50%</td>", "<td>09/2023</td><td>70,00% ✔</td>",
		// The assessment's sentence: units under half the threshold, furthest first.
		"Còn xa chỉ tiêu “", "Huyện ủy Kế Sách mới đạt 5,56%, còn thiếu 5 người",
		// The charts, drawn inline.
		`<svg class="bar"`, `<svg class="trend"`, `aria-label="Đạt 17,50%, chỉ tiêu 30%"`,
	} {
		if !strings.Contains(page, want) && !strings.Contains(text, want) {
			t.Errorf("figures lack %q", want)
		}
	}
	if t.Failed() {
		t.Log(text)
	}
	if strings.Contains(missed, "35/50") || !strings.Contains(missed, "21/120") {
		t.Errorf("a met target among the missed, or a missed one not there:\n%s", missed)
	}
	if strings.Contains(page, "<script>") || strings.Contains(page, "style=") {
		t.Error("the page has inline script or style, which its Content-Security-Policy refuses")
	}
	// A leader reads the figures; the default period is the latest reported.
	lc, _ := w.login("giamdoc", leaderPw)
	if code, p := w.get(lc, "/so-lieu"); code != 200 || !strings.Contains(p, "Số liệu kỳ 09/2023") || !strings.Contains(p, "còn thiếu 15 người") ||
		!strings.Contains(p, `href="/so-lieu?ky=2023-08"`) {
		t.Errorf("a leader's figures: %d\n%s", code, p)
	}
	// A period whose target could not be computed, and one nobody it applies to, are
	// said so, not drawn as missed; no unit under half a threshold: none named.
	sum, err := summary.ReadFigures(bytes.NewReader(w.summaryJSON("2023-09")))
	if err != nil {
		t.Fatal(err)
	}
	sum.Period = "2023-07"
	for i := range sum.Targets {
		switch tg := &sum.Targets[i]; {
		case tg.ID == "sdh_cap_phong" && tg.Unit == "":
			tg.Failed, tg.Met, tg.Shortfall = 3, false, 0
		case tg.ID == "sdh_btv_quan_ly":
			tg.Population, tg.Count, tg.Share, tg.Shortfall = 0, 0, 0, 0
		case tg.Unit != "":
			tg.Share = tg.Threshold
		}
	}
	data, err := sum.JSON()
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(w.out, "2023-07"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(w.out, "2023-07", "summary.json"), data, 0o644); err != nil {
		t.Fatal(err)
	}
	_, page = w.get(c, "/so-lieu?ky=2023-07")
	for _, want := range []string{"Chỉ tiêu chưa đạt (0)", "Chỉ tiêu đã đạt (2)", "không tính được vì biểu thức của chỉ tiêu lỗi với 3 người",
		"chưa có người thuộc đối tượng", "Không có đơn vị nào mới đạt chưa tới một nửa mức chỉ tiêu."} {
		if !strings.Contains(page, want) {
			t.Errorf("figures of 2023-07 lack %q", want)
		}
	}
	if strings.Contains(page, "còn thiếu") || strings.Contains(page, "Còn xa") {
		t.Errorf("figures of 2023-07 speak of a shortfall:\n%s", page)
	}

	// No session: the login page, not a figure.
	res, err := (&http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}).Get(w.srv.URL + "/so-lieu?ky=2023-09")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/dang-nhap" {
		t.Errorf("figures without a session: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	if code, p := w.get(&http.Client{}, "/so-lieu?ky=2023-09"); code != 200 || strings.Contains(p, "còn thiếu") {
		t.Errorf("figures without a session, followed: %d", code)
	}
	// A period that names a path, or a summary.json planted outside OUT.
	secret := filepath.Join(w.state, "2023-10")
	if err := os.MkdirAll(secret, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(secret, "summary.json"), w.summaryJSON("2023-09"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(secret, filepath.Join(w.out, "2023-10")); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{"../state/2023-10", "..%2fstate%2f2023-10", "2023-09/../../state/2023-10", "2023-13", "/etc"} {
		if code, p := w.get(c, "/so-lieu?ky="+q); code != http.StatusBadRequest || strings.Contains(p, "còn thiếu") {
			t.Errorf("period %q: %d", q, code)
		}
	}
	if code, p := w.get(c, "/so-lieu?ky=2023-10"); code != 200 || strings.Contains(p, "còn thiếu") || !strings.Contains(p, `id="chua-co"`) {
		t.Errorf("a summary.json linked in from outside OUT: %d", code)
	}
}
