package serve

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
)

// TestWebLoginBurst: guesses sent all at once are limited as guesses sent one by
// one. Were the failures counted before a guess waited for its turn at the password
// hash, every guess of a burst would find the count under the limit and be tried.
// Two hashes run at once, so at most one guess passes the limit just reached.
func TestWebLoginBurst(t *testing.T) {
	t.Parallel()
	w := newWebOffice(t)
	const burst = 16
	codes := make([]int, burst)
	var wg sync.WaitGroup
	for i := range burst {
		wg.Add(1)
		go func() {
			defer wg.Done()
			res, err := http.PostForm(w.srv.URL+"/dang-nhap", url.Values{"ten": {webUser}, "mat-khau": {fmt.Sprint("đoán ", i)}})
			if err != nil {
				t.Error(err)
				return
			}
			res.Body.Close()
			codes[i] = res.StatusCode
		}()
	}
	wg.Wait()
	tried := 0
	for _, c := range codes {
		switch c {
		case http.StatusUnauthorized:
			tried++
		case http.StatusTooManyRequests:
		default:
			t.Errorf("a guess of the burst: %d", c)
		}
	}
	if tried > 6 {
		t.Errorf("%d of %d guesses sent at once were tried; the limit is 5 (one more may pass while two hashes run)", tried, burst)
	}
}

// TestWebLoginIPv6: a machine on an IPv6 network that takes a fresh address of its
// /64 for each guess (it may take any) is one machine to the per-name limit: once the
// name is under attack, no address of that /64 is let try it, while a machine of
// another network with no failure still logs in. Its guesses from fresh addresses do
// not lock the name out of a colleague's machine before that.
func TestWebLoginIPv6(t *testing.T) {
	t.Parallel()
	w := newWebOffice(t)
	h := w.svc.web.Handler()
	login := func(ip, pw string) int {
		form := url.Values{"ten": {webUser}, "mat-khau": {pw}}.Encode()
		req := httptest.NewRequest(http.MethodPost, "/dang-nhap", strings.NewReader(form))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.RemoteAddr = "[" + ip + "]:50000"
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec.Code
	}
	for i := range 30 { // four guesses an address, under every per-address limit
		if code := login(fmt.Sprintf("2001:db8:1:2::%x", 1+i/4), fmt.Sprint("đoán ", i)); code != http.StatusUnauthorized {
			t.Fatalf("guess %d: %d", i+1, code)
		}
		if i == 9 {
			if code := login("2001:db8:1:2::aa", webPass); code != http.StatusSeeOther {
				t.Errorf("a colleague on the office's /64 after ten guesses: %d", code)
			}
		}
	}
	if code := login("2001:db8:1:2::ff", webPass); code != http.StatusTooManyRequests {
		t.Errorf("a fresh address of the guessing /64, once the name is under attack: %d", code)
	}
	if code := login("2001:db8:9:9::1", webPass); code != http.StatusSeeOther {
		t.Errorf("the owner on another network: %d", code)
	}
}
