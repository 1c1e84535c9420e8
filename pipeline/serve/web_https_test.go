package serve

import (
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"canbo/pipeline/schema"
)

// TestWebHTTPS: canbo serve, run as a whole, serves the page over HTTPS with the
// office's certificate; the session cookie is then Secure and __Host-, and browsers
// are told to keep to HTTPS.
func TestWebHTTPS(t *testing.T) {
	t.Parallel()
	cert, roots := testCert(t)
	dir := t.TempDir()
	key, err := x509.MarshalPKCS8PrivateKey(cert.PrivateKey)
	if err != nil {
		t.Fatal(err)
	}
	certFile, keyFile := filepath.Join(dir, "chung-chi.crt"), filepath.Join(dir, "chung-chi.key")
	if err := os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: cert.Certificate[0]}), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: key}), 0o600); err != nil {
		t.Fatal(err)
	}
	addr := freeAddr(t)
	hash, err := webHashes()
	if err != nil {
		t.Fatal(err)
	}
	o := newOffice(t, func(s *schema.Serve) {
		s.Web = schema.Web{Listen: addr, CertFile: certFile, KeyFile: keyFile,
			Users: []schema.WebUser{{Name: webUser, PasswordHash: hash}}}
	})
	o.start()

	c := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: roots}},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	base := "https://" + addr
	var res *http.Response
	o.waitFor("the page over HTTPS", func() bool {
		res, err = c.Get(base + "/dang-nhap")
		return err == nil
	}, nil)
	res.Body.Close()
	if res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Strict-Transport-Security"), "max-age=") {
		t.Errorf("login page over HTTPS: %d %v", res.StatusCode, res.Header)
	}
	res, err = c.PostForm(base+"/dang-nhap", url.Values{"ten": {webUser}, "mat-khau": {webPass}})
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	cookies := res.Cookies()
	if res.StatusCode != http.StatusSeeOther || len(cookies) != 1 {
		t.Fatalf("login: %d %v", res.StatusCode, cookies)
	}
	if ck := cookies[0]; ck.Name != "__Host-canbo" || !ck.Secure || !ck.HttpOnly || ck.SameSite != http.SameSiteStrictMode || ck.Path != "/" {
		t.Errorf("session cookie over HTTPS: %+v", ck)
	}
	// Plain HTTP on the same port gets nothing of the page.
	if res, err := (&http.Client{Timeout: 10 * time.Second}).Get("http://" + addr + "/dang-nhap"); err == nil {
		res.Body.Close()
		if res.StatusCode == 200 {
			t.Error("the page answered plain HTTP")
		}
	}
}

// freeAddr is a loopback address with a port nothing listens on now.
func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}
