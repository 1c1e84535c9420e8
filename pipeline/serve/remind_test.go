package serve

import (
	"context"
	"database/sql"
	"html"
	"io"
	"net/http"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"canbo/pipeline/history"
	"canbo/pipeline/web"
)

// TestWebReminderQueuedNotRecorded: canbo stopped after a reminder reached the
// outbox and before the history recorded it (rebuilt here: the click's record
// deleted from canbo.db). The next click records it — the board shows the unit
// reminded — and the unit gets no second mail.
func TestWebReminderQueuedNotRecorded(t *testing.T) {
	t.Parallel()
	w := newWebOffice(t)
	c, page := w.login(webUser, webPass)
	csrf := regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindStringSubmatch(page)[1]
	remind := func() string {
		res, err := c.PostForm(w.srv.URL+"/nhac", url.Values{"csrf": {csrf}})
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("reminders: %d", res.StatusCode)
		}
		return html.UnescapeString(string(b))
	}
	reminded := regexp.MustCompile(`<td>Phòng Nội vụ huyện Chợ Đồn</td>.*đã nhắc`)
	if page := remind(); !reminded.MatchString(page) || !strings.Contains(page, "Đã đưa 2 thư nhắc vào hộp thư đi") {
		t.Fatalf("the board does not show the first reminder:\n%s", page)
	}

	db, err := sql.Open("sqlite", filepath.Join(w.state, history.FileName))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`DELETE FROM web_reminders`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if _, page := w.login(webUser, webPass); reminded.MatchString(page) {
		t.Fatal("the rebuilt crash state still shows the reminder recorded")
	}

	page = remind()
	if !reminded.MatchString(page) {
		t.Errorf("after the next click the board does not show the reminder queued before the stop")
	}
	if !strings.Contains(page, "Đã đưa 0 thư nhắc vào hộp thư đi") {
		t.Errorf("the next click says it queued a reminder:\n%s", page)
	}
	var rs map[string]history.Reminder
	w.history(func(db *history.DB) { rs, err = db.LastReminders(context.Background(), "2023-09") })
	if r := rs["Phòng Nội vụ huyện Chợ Đồn"]; err != nil || r.MessageID == "" || r.User != webUser {
		t.Errorf("recorded %+v, %v", rs, err)
	}
	if _, _, err := w.svc.outbox.Deliver(context.Background(), w.dialer); err != nil {
		t.Fatal(err)
	}
	// Both units with an address were reminded by the first click, each once.
	if got := w.mails(web.KindReminder); len(got) != 2 || got[0].Envelope[0] == got[1].Envelope[0] {
		t.Errorf("%d reminders at the server, want one to each of the 2 units", len(got))
	}
}
