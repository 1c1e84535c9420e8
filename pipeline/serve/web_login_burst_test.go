package serve

import (
	"fmt"
	"net/http"
	"net/url"
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
