package serve

// A real headless Chromium drives the web page as a clerk and an office user would:
// the unit page's drop box and its script, the redirects, the download, the login
// form and its cookie. Debian's chromium package (.ci/run installs it); the test
// skips, saying so, on a machine without it.
//
// CANBO_WEB_SCREENSHOTS=docs/img (from the repository root: ../../docs/img) writes
// the screenshots docs/web.md shows.

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"

	"canbo/pipeline/schema"
)

// chromium finds the browser, or "".
func chromium() string {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

func TestWebBrowser(t *testing.T) {
	exe := chromium()
	if exe == "" {
		t.Skip("không có Chromium (gói chromium của Debian): bỏ qua phép thử trang web bằng trình duyệt thật; .ci/run cài gói này")
	}
	t.Parallel()
	w := newWebOfficeServe(t, func(sv *schema.Serve) {
		sv.SpanReports = []schema.SpanReport{{Name: "Báo cáo năm", From: "year", To: "current", Schedule: "0 7 5 1 *"}}
	})
	link := w.link(webUnit)
	good := readSample(t, webSample)
	dir := t.TempDir()
	badFile := filepath.Join(dir, "Bằng Phúc - tháng 9.xlsx")
	goodFile := filepath.Join(dir, "UBND xã Bằng Phúc.xlsx")
	if err := os.WriteFile(badFile, withCell(t, good, "Danh sách", "E11", "Kinhh"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(goodFile, good, 0o600); err != nil {
		t.Fatal(err)
	}
	downloads := filepath.Join(dir, "tai-ve")
	shots := os.Getenv("CANBO_WEB_SCREENSHOTS")

	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(exe), chromedp.NoSandbox,
		chromedp.DisableGPU, chromedp.WindowSize(1100, 800), chromedp.Flag("lang", "vi-VN"))
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancelA()
	ctx, cancelB := chromedp.NewContext(actx)
	defer cancelB()

	// The browser starts on a context without a deadline (it lives as long as its
	// first Run's context); each step then gets a minute, so a page that never
	// comes fails the test instead of hanging it.
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start %s: %v", exe, err)
	}
	step := func() context.Context {
		c, cancel := context.WithTimeout(ctx, time.Minute)
		t.Cleanup(cancel)
		return c
	}
	do := func(what string, steps ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		t.Log(what)
		if err := chromedp.Do(step(), steps...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	text := func(id string) string {
		t.Helper()
		v, err := chromedp.Run(step(), chromedp.Text(chromedp.ID(id)))
		if err != nil {
			t.Fatalf("#%s: %v", id, err)
		}
		return v
	}
	// shot saves the page (its first screen only when long): PNG, as quality 100 gives.
	shot := func(name string) {
		t.Helper()
		if shots == "" {
			return
		}
		capture := chromedp.FullScreenshot(100)
		if name == "web-bang.png" || name == "web-so-lieu-dien-thoai.png" {
			capture = chromedp.CaptureScreenshot()
		}
		png, err := chromedp.Run(step(), capture)
		if err != nil {
			t.Fatalf("screenshot %s: %v", name, err)
		}
		if err := os.WriteFile(filepath.Join(shots, name), png, 0o644); err != nil {
			t.Fatal(err)
		}
	}

	// The unit sends a file with a mistake by choosing it; the page's script sends it.
	do("the unit page",
		chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
			_, err := chromedp.CallBrowser(ctx, browser.SetDownloadBehavior, browser.SetDownloadBehaviorParams{
				Behavior: browser.SetDownloadBehaviorBehaviorAllow, DownloadPath: downloads})
			return err
		}),
		chromedp.Navigate(w.srv.URL+link),
		chromedp.WaitVisible(chromedp.ID("gui")),
	)
	shot("web-don-vi.png")
	do("send a file with a mistake",
		chromedp.SetUploadFiles(chromedp.ID("tep"), []string{badFile}),
		chromedp.WaitVisible(chromedp.ID("ket-qua")),
	)
	shot("web-ket-qua.png")
	verdict, problems, read := text("ket-qua"), text("van-de"), text("da-doc")
	if !strings.Contains(verdict, "còn 1 lỗi cần sửa") {
		t.Errorf("verdict: %q", verdict)
	}
	for _, p := range w.checkWords("Bằng Phúc - tháng 9.xlsx", withCell(t, good, "Danh sách", "E11", "Kinhh")) {
		if !strings.Contains(problems, p.Where) || !strings.Contains(problems, p.Message) {
			t.Errorf("the page's problems lack %s %s:\n%s", p.Where, p.Message, problems)
		}
	}
	if !strings.Contains(read, "Đơn vị: UBND xã Bằng Phúc (theo dòng tiêu đề)") {
		t.Errorf("what canbo read:\n%s", read)
	}

	// The marked workbook downloads.
	do("download the feedback", chromedp.Click(chromedp.ID("tai-phan-hoi")))
	var got string
	for deadline := time.Now().Add(time.Minute); got == "" && time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		ents, _ := os.ReadDir(downloads)
		for _, e := range ents {
			if strings.HasSuffix(e.Name(), ".xlsx") {
				got = e.Name()
			}
		}
	}
	if got != "Bằng Phúc - tháng 9.xlsx" {
		t.Errorf("downloaded %q", got)
	}

	// The corrected file, sent from the result page's button, an hour later.
	w.inClock.Advance(time.Hour)
	do("send the fix",
		chromedp.Click(chromedp.CSS(`a.button[href$="`+link+`"]`)),
		chromedp.WaitVisible(chromedp.ID("gui")),
		chromedp.SetUploadFiles(chromedp.ID("tep"), []string{goodFile}),
		chromedp.WaitVisible(chromedp.ID("ket-qua")),
	)
	// One warning: the sample's training sheet has no level column (value-from-name).
	if v := text("ket-qua"); v != "Đã nhận. Không có lỗi; có 1 cảnh báo nên xem lại." {
		t.Errorf("the fix: %q", v)
	}
	do("the files sent", chromedp.Navigate(w.srv.URL+link), chromedp.WaitVisible(chromedp.ID("da-gui")))
	shot("web-da-gui.png")
	if sent := text("da-gui"); !strings.Contains(sent, "UBND xã Bằng Phúc.xlsx") || !strings.Contains(sent, "Đang dùng cho báo cáo") || !strings.Contains(sent, "Đã được tệp mới hơn thay") {
		t.Errorf("files sent:\n%s", sent)
	}

	// On a phone.
	do("the unit page on a phone",
		chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2), chromedp.EmulateMobile),
		chromedp.Navigate(w.srv.URL+link),
		chromedp.WaitVisible(chromedp.ID("gui")),
	)
	shot("web-dien-thoai.png")
	do("back to a desktop", chromedp.EmulateViewport(1100, 800))

	// The office logs in and sees the board.
	do("the login page",
		chromedp.Navigate(w.srv.URL+"/bang"),
		chromedp.WaitVisible(chromedp.CSS(`input[name="ten"]`)),
	)
	shot("web-dang-nhap.png")
	do("log in",
		chromedp.SendKeys(chromedp.CSS(`input[name="ten"]`), webUser),
		chromedp.SendKeys(chromedp.CSS(`input[name="mat-khau"]`), webPass),
		chromedp.Submit(chromedp.CSS(`form.login`)),
		chromedp.WaitVisible(chromedp.ID("bang")),
	)
	shot("web-bang.png")
	if board := text("bang"); !strings.Contains(board, webUnit) || !strings.Contains(board, "Chưa gửi") || !strings.Contains(board, "Đã nhận") {
		t.Errorf("board:\n%.2000s", board)
	}
	if missing := text("chua-gui"); missing == "" || missing == "0" {
		t.Errorf("missing units: %q", missing)
	}

	// The board's filter, a plain form: a name typed without diacritics.
	do("filter the board",
		chromedp.SendKeys(chromedp.ID("ten"), "bang phuc"),
		chromedp.Click(chromedp.ID("loc-bang")),
		chromedp.WaitVisible(chromedp.ID("ket-qua-loc")),
	)
	rows, err := chromedp.Run(step(), chromedp.Evaluate[int](`document.querySelectorAll("#bang tbody tr").length`))
	if board := text("bang"); err != nil || rows != 1 || !strings.Contains(board, webUnit) {
		t.Errorf("the board filtered by 'bang phuc': %d rows (%v)\n%s", rows, err, board)
	}

	// One click reminds the units that have not sent; the mail reaches the server.
	do("send reminders", chromedp.Click(chromedp.ID("nhac")), chromedp.WaitVisible(chromedp.ID("da-nhac")))
	if v := text("da-nhac"); !strings.Contains(v, "Đã đưa 2 thư nhắc") {
		t.Errorf("after the click: %q", v)
	}
	if _, _, err := w.svc.outbox.Deliver(context.Background(), w.dialer); err != nil {
		t.Fatal(err)
	}
	if got := w.mails("reminder"); len(got) != 2 {
		t.Errorf("%d reminders reached the server, want 2 (Sở Nội vụ, Phòng Nội vụ huyện Chợ Đồn)", len(got))
	}

	// The report, made now and downloaded.
	do("make the report", chromedp.Click(chromedp.ID("lap-bao-cao")), chromedp.WaitVisible(chromedp.ID("tai-xlsx")),
		chromedp.Click(chromedp.ID("tai-xlsx")))
	// downloaded reads a file the browser is downloading, once it is there.
	downloaded := func(name string) ([]byte, error) {
		want := filepath.Join(downloads, name)
		for deadline := time.Now().Add(time.Minute); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
			if _, err := os.Stat(want); err == nil {
				break
			}
		}
		return os.ReadFile(want)
	}
	if data, err := downloaded("bao-cao-2023-09.xlsx"); err != nil || !bytes.HasPrefix(data, []byte("PK")) {
		t.Errorf("the report did not download: %v", err)
	}

	// The year's report so far, made now from its button and downloaded from the
	// list of span reports.
	do("make the year's report", chromedp.Click(chromedp.CSS(`button.lap-khoang`)), chromedp.WaitVisible(chromedp.ID("da-lap-khoang")),
		chromedp.Click(chromedp.CSS(`#khoang-2023-01_2023-09 a[href$="/xlsx"]`)))
	if v := text("da-lap-khoang"); !strings.Contains(v, "Đã lập Báo cáo năm (từ 01/2023 đến 09/2023)") {
		t.Errorf("after making the year's report: %q", v)
	}
	if data, err := downloaded("bao-cao-2023-01_2023-09.xlsx"); err != nil || !bytes.HasPrefix(data, []byte("PK")) {
		t.Errorf("the year's report did not download: %v", err)
	}

	// The figures, from the board's link: the samples' report of two periods, so
	// that there are targets met and missed, units far behind and a trend.
	w.reportSamples("2023-08")
	w.reportSamples("2023-09")
	do("the figures",
		chromedp.Navigate(w.srv.URL+"/bang?ky=2023-09"),
		chromedp.Click(chromedp.ID("so-lieu")),
		chromedp.WaitVisible(chromedp.ID("chua-dat")),
		chromedp.Click(chromedp.CSS(`details.trend summary`)),
		chromedp.WaitVisible(chromedp.CSS(`svg.trend`)),
	)
	shot("web-so-lieu.png")
	if missed := text("chua-dat"); !strings.Contains(missed, "còn thiếu 15 người") {
		t.Errorf("targets missed:\n%s", missed)
	}
	// The charts are drawn: inline SVG under the page's Content-Security-Policy.
	width, err := chromedp.Run(step(), chromedp.Evaluate[float64](`document.querySelector("svg.bar").getBoundingClientRect().width`))
	if err != nil || width < 100 {
		t.Errorf("the bar chart is %v px wide: %v", width, err)
	}
	// Every chart label is at least 12 px on the screen, and inside its chart.
	labels := func(where string) {
		t.Helper()
		bad, err := chromedp.Run(step(), chromedp.Evaluate[[]string](`(() => {
			const bad = [];
			for (const t of document.querySelectorAll("svg.bar text, svg.trend text")) {
				const px = parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a;
				const s = t.ownerSVGElement.getBoundingClientRect(), r = t.getBoundingClientRect();
				if (px < 12 || r.left < s.left - 1 || r.right > s.right + 1 || r.top < s.top - 1 || r.bottom > s.bottom + 1)
					bad.push(t.textContent + ": " + px.toFixed(1) + " px");
			}
			return bad;
		})()`))
		if err != nil || len(bad) > 0 {
			t.Errorf("chart labels too small or cut off %s: %v %v", where, bad, err)
		}
	}
	labels("on a desktop")
	// On a phone the figures fit the screen's width: nothing to scroll sideways.
	do("the figures on a phone",
		chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2), chromedp.EmulateMobile),
		chromedp.Reload(),
		chromedp.WaitVisible(chromedp.ID("chua-dat")),
	)
	shot("web-so-lieu-dien-thoai.png")
	wide, err := chromedp.Run(step(), chromedp.Evaluate[bool](`document.documentElement.scrollWidth > window.innerWidth`))
	if err != nil || wide {
		t.Errorf("the figures are wider than a phone: %v %v", wide, err)
	}
	labels("on a phone 390 px wide")
}
