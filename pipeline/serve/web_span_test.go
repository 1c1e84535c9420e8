package serve

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/unicode/norm"

	"canbo/pipeline/schema"
)

// TestWebSpanReports: the board lists the reports over spans of months in OUT —
// by serve.yaml's name when an entry of span_reports covers the span, else by its
// months — newest first, with their downloads; staff make a configured span
// report now through canbo serve's own span run (a manual run: OUT/FROM_TO written,
// nobody mailed) and the page says which; a leader, a forged CSRF token, an
// unknown name, a span not yet begun and an empty archive are refused in
// Vietnamese; and a download
// names a span only as FROM_TO of real months in order, never reaching a file
// outside OUT.
func TestWebSpanReports(t *testing.T) {
	t.Parallel()
	w := newWebOfficeServe(t, func(sv *schema.Serve) {
		// The schedule clock reads 30/09/2023: the year's report so far is 01–09/2023.
		sv.SpanReports = []schema.SpanReport{{Name: "Báo cáo năm", From: "year", To: "current", Schedule: "0 7 5 1 *"},
			{Name: "Nhiệm kỳ sau", From: "2026-01", To: "2030-12", Schedule: "0 7 5 1 *"}}
	})
	// A span report made earlier by hand (canbo run --archive --from --to), and
	// folders that look like spans and must not be listed or served: months out of
	// order, and a link out of OUT.
	put := func(p string, data []byte) {
		t.Helper()
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	put(filepath.Join(w.out, "2015-01_2020-12", "bao-cao-2015-01_2020-12.pdf"), []byte("%PDF-1.7 cũ"))
	put(filepath.Join(w.out, "2023-09_2023-01", "bao-cao-2023-09_2023-01.pdf"), []byte("%PDF-1.7 ngược"))
	secret := filepath.Join(w.root, "bi-mat")
	put(filepath.Join(secret, "bao-cao-2016-01_2016-12.pdf"), []byte("%PDF-1.7 bí mật"))
	if err := os.Symlink(secret, filepath.Join(w.out, "2016-01_2016-12")); err != nil {
		t.Fatal(err)
	}

	c, page := w.login(webUser, webPass)
	if !strings.Contains(page, "Từ 01/2015 đến 12/2020: ") || !strings.Contains(page, `href="/bao-cao/2015-01_2020-12/pdf"`) ||
		strings.Contains(page, "2015-01_2020-12/xlsx") || strings.Contains(page, "2023-09_2023-01") || strings.Contains(page, "2016-01_2016-12") {
		t.Fatalf("span reports on the board before the run:\n%s", page)
	}
	if !strings.Contains(page, "Lập Báo cáo năm ngay") || !strings.Contains(page, "Lập Nhiệm kỳ sau ngay") {
		t.Fatalf("no button to make the span reports:\n%s", page)
	}
	csrf := regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindStringSubmatch(page)[1]
	makeSpan := func(c *http.Client, token, name string) (int, string) {
		return w.postForm(c, "/lap-bao-cao-khoang", url.Values{"csrf": {token}, "bao-cao": {name}})
	}
	made := filepath.Join(w.out, "2023-01_2023-09", "bao-cao-2023-01_2023-09.xlsx")
	if code, _ := makeSpan(c, "gia-mao", "Báo cáo năm"); code != http.StatusForbidden {
		t.Errorf("a forged CSRF token: %d", code)
	}
	if code, p := makeSpan(c, csrf, "../../state"); code != http.StatusBadRequest || !strings.Contains(p, "Không có báo cáo này trong span_reports") {
		t.Errorf("a name not in span_reports: %d", code)
	}
	if code, p := makeSpan(c, csrf, "Nhiệm kỳ sau"); code != http.StatusConflict || !strings.Contains(p, "Không lập được Nhiệm kỳ sau: khoảng của báo cáo bắt đầu từ tháng 01/2026, chưa đến") {
		t.Errorf("a span not begun: %d\n%s", code, p)
	}
	// canbo serve finds a report by its name in either Unicode form, whichever way
	// serve.yaml writes it.
	if _, err := w.svc.RunSpanNow(context.Background(), norm.NFD.String("nhiệm kỳ sau")); err == nil || !strings.Contains(err.Error(), "chưa đến") {
		t.Errorf("a span report named in NFD: %v", err)
	}
	// Nothing in the archive yet: nothing made, and the page says why. The name comes
	// with combining marks (NFD, as a Mac's browser may send it): the same report.
	if code, p := makeSpan(c, csrf, norm.NFD.String("Báo cáo năm")); code != http.StatusConflict || !strings.Contains(p, "Không lập được Báo cáo năm: lưu trữ chưa có tệp nào từ tháng 01/2023 đến tháng 09/2023</p>") {
		t.Errorf("a span with an empty archive: %d\n%s", code, p)
	}
	w.upload(&http.Client{}, w.link(webUnit), "UBND xã Bằng Phúc.xlsx", readSample(t, webSample))
	lc, lpage := w.login("giamdoc", leaderPw)
	if strings.Contains(lpage, "lap-khoang") || !strings.Contains(lpage, "Từ 01/2015 đến 12/2020") {
		t.Errorf("a leader's board: offered to make span reports, or not shown them:\n%s", lpage)
	}
	ltoken := regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindStringSubmatch(lpage)[1]
	if code, p := makeSpan(lc, ltoken, "Báo cáo năm"); code != http.StatusForbidden || !strings.Contains(p, "lãnh đạo chỉ xem") {
		t.Errorf("a leader making a span report: %d", code)
	}
	if _, err := os.Stat(made); err == nil {
		t.Fatal("a refused request made the span report")
	}

	code, page := makeSpan(c, csrf, "báo cáo năm")
	if code != 200 || !strings.Contains(page, "Đã lập Báo cáo năm (từ 01/2023 đến 09/2023)") {
		t.Fatalf("make the year's report: %d\n%s", code, page)
	}
	if _, err := os.Stat(made); err != nil {
		t.Fatalf("the span report is not in OUT: %v", err)
	}
	newer, older := strings.Index(page, `id="khoang-2023-01_2023-09"`), strings.Index(page, `id="khoang-2015-01_2020-12"`)
	if newer < 0 || older < newer || !strings.Contains(page, "Báo cáo năm (từ 01/2023 đến 09/2023): ") {
		t.Errorf("span reports not listed newest first by name:\n%s", page)
	}

	get := w.download
	code, body, ct := get(c, "/bao-cao/2023-01_2023-09/xlsx")
	if code != 200 || !strings.Contains(ct, "spreadsheetml") {
		t.Fatalf("the span's Excel report: %d %s", code, ct)
	}
	if f, err := excelize.OpenReader(bytes.NewReader(body)); err != nil {
		t.Errorf("the span's Excel report does not open: %v", err)
	} else {
		f.Close()
	}
	if code, body, _ := get(lc, "/bao-cao/2023-01_2023-09/pdf"); code != 200 || !bytes.HasPrefix(body, []byte("%PDF")) {
		t.Errorf("a leader downloading the span's PDF: %d", code)
	}
	if code, body, _ := get(c, "/bao-cao/2015-01_2020-12/pdf"); code != 200 || string(body) != "%PDF-1.7 cũ" {
		t.Errorf("the older span's PDF: %d", code)
	}
	if code, body, _ := get(&http.Client{}, "/bao-cao/2023-01_2023-09/pdf"); code != 200 || bytes.HasPrefix(body, []byte("%PDF")) {
		t.Errorf("a span's PDF without a session: %d", code)
	}
	for _, p := range []string{
		"/bao-cao/2023-09_2023-01/pdf",                   // months out of order (the folder exists)
		"/bao-cao/2016-01_2016-12/pdf",                   // a link out of OUT
		"/bao-cao/2023-01_2023-13/xlsx",                  // no such month
		"/bao-cao/2023-00_2023-09/xlsx",                  // nor this
		"/bao-cao/2023-1_2023-09/xlsx",                   // not YYYY-MM
		"/bao-cao/2023-01_2023-09_2023-10/xlsx",          // three months
		"/bao-cao/2023-01_2023-09/summary.json",          // not a report kind
		"/bao-cao/2023-01_2023-09/json",                  //
		"/bao-cao/2023-01_..%2f..%2fstate/xlsx",          // a path in the span
		"/bao-cao/..%2f..%2fstate_2023-09/xlsx",          //
		"/bao-cao/2023-01_2023-09%2f..%2f..%2fstate/pdf", //
		"/bao-cao/2023-01_2023-09/..%2f..%2fstate%2fcanbo.db",
		"/bao-cao/2023-01_2023-09%00/pdf",
		"/bao-cao/%2e%2e_2023-09/pdf",
	} {
		if code, body, _ := get(c, p); code == 200 || bytes.Contains(body, []byte("SQLite")) || bytes.Contains(body, []byte("%PDF")) {
			t.Errorf("%s: %d", p, code)
		}
	}
	// A manual span run mails nobody: the scheduled one will.
	if _, _, err := w.svc.outbox.Deliver(context.Background(), w.dialer); err != nil {
		t.Fatal(err)
	}
	if got := w.mails(KindSpanReport); len(got) != 0 {
		t.Errorf("a span report made from the page was mailed: %d", len(got))
	}
}
