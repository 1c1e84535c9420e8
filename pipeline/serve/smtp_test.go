package serve

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"io"
	"math/big"
	"net"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// smtpServer is a real SMTP server on loopback (github.com/emersion/go-smtp) that
// offers STARTTLS with a certificate of its own, requires a login over it, and keeps
// what it receives. It can be stopped and started again on the same port.
type smtpServer struct {
	t          *testing.T
	addr       string
	user, pass string
	cert       tls.Certificate
	roots      *x509.CertPool

	mu       sync.Mutex
	srv      *smtp.Server
	l        net.Listener
	received []delivery
	// hold, when set, is called in DATA after the message has been stored and
	// before the reply: a test holds the reply there (the client is "mid-send").
	hold func()
}

// delivery is one message the server accepted.
type delivery struct {
	From string
	To   []string
	Data []byte
	TLS  bool
	User string
}

// startSMTP starts a server on a free loopback port; it stops with the test.
func startSMTP(t *testing.T, user, pass string) *smtpServer {
	t.Helper()
	s := &smtpServer{t: t, addr: "127.0.0.1:0", user: user, pass: pass}
	s.cert, s.roots = testCert(t)
	s.start()
	t.Cleanup(s.stop)
	return s
}

// testCert makes a self-signed certificate for 127.0.0.1 and localhost.
func testCert(t *testing.T) (tls.Certificate, *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "canbo serve test SMTP"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(24 * time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1)},
		DNSNames:              []string{"localhost"},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: cert}, pool
}

func (s *smtpServer) start() {
	s.t.Helper()
	l, err := net.Listen("tcp", s.addr)
	if err != nil {
		s.t.Fatal(err)
	}
	s.addr = l.Addr().String()
	srv := smtp.NewServer(smtp.BackendFunc(func(c *smtp.Conn) (smtp.Session, error) {
		return &smtpSession{s: s, c: c}, nil
	}))
	srv.Domain = "localhost"
	srv.ReadTimeout, srv.WriteTimeout = 30*time.Second, 30*time.Second
	srv.MaxMessageBytes = 64 << 20
	srv.TLSConfig = &tls.Config{Certificates: []tls.Certificate{s.cert}, MinVersion: tls.VersionTLS12} // STARTTLS; AUTH only after it
	s.mu.Lock()
	s.srv, s.l = srv, l
	s.mu.Unlock()
	go func() { _ = srv.Serve(l) }()
}

// stop closes the listener and every connection; start listens on the same port again.
func (s *smtpServer) stop() {
	s.mu.Lock()
	srv, l := s.srv, s.l
	s.srv, s.l = nil, nil
	s.mu.Unlock()
	if l != nil {
		_ = l.Close()
	}
	if srv != nil {
		_ = srv.Close()
	}
}

func (s *smtpServer) host() string {
	h, _, _ := net.SplitHostPort(s.addr)
	return h
}

func (s *smtpServer) port() int {
	_, p, _ := net.SplitHostPort(s.addr)
	n, _ := strconv.Atoi(p)
	return n
}

func (s *smtpServer) messages() []delivery {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]delivery(nil), s.received...)
}

func (s *smtpServer) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.received)
}

type smtpSession struct {
	s    *smtpServer
	c    *smtp.Conn
	user string
	from string
	to   []string
}

func (se *smtpSession) AuthMechanisms() []string { return []string{sasl.Plain} }

func (se *smtpSession) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(_, username, password string) error {
		if username != se.s.user || password != se.s.pass {
			return smtp.ErrAuthFailed
		}
		se.user = username
		return nil
	}), nil
}

func (se *smtpSession) Mail(from string, _ *smtp.MailOptions) error {
	if se.user == "" {
		return smtp.ErrAuthRequired
	}
	se.from = from
	return nil
}

func (se *smtpSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	se.to = append(se.to, to)
	return nil
}

func (se *smtpSession) Data(r io.Reader) error {
	data, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	_, isTLS := se.c.TLSConnectionState()
	se.s.mu.Lock()
	se.s.received = append(se.s.received, delivery{From: se.from, To: se.to, Data: data, TLS: isTLS, User: se.user})
	hold := se.s.hold
	se.s.mu.Unlock()
	if hold != nil {
		hold()
	}
	return nil
}

func (se *smtpSession) Reset() { se.from, se.to = "", nil }

func (se *smtpSession) Logout() error { return nil }
