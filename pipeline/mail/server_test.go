package mail

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"io"
	"math/big"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// testServer is a real SMTP server on loopback (github.com/emersion/go-smtp) that
// keeps what it receives in memory. It can be stopped and started again on the same
// port, and told to refuse or drop messages, to exercise retries.
type testServer struct {
	t           testing.TB
	addr        string
	implicitTLS bool // TLS from the first byte (port 465 style); otherwise STARTTLS is offered
	noTLS       bool // neither (security: none)
	user, pass  string
	cert        tls.Certificate
	roots       *x509.CertPool

	mu       sync.Mutex
	srv      *smtp.Server
	l        net.Listener
	received []received
	// failData makes the next n DATA commands fail with this error (451, 554…).
	failData  []*smtp.SMTPError
	rejectTo  map[string]bool // RCPT TO refused with 550
	dropReply int             // the next n messages are kept but the connection drops before the reply
	logins    int
}

type received struct {
	From string
	To   []string
	Data []byte
	TLS  bool
	Auth string // user who logged in
}

// newCert makes a self-signed certificate for 127.0.0.1 and localhost.
func newCert(t testing.TB) (tls.Certificate, *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "canbo test SMTP"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(time.Hour),
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

type serverOpt func(*testServer)

func withImplicitTLS() serverOpt      { return func(s *testServer) { s.implicitTLS = true } }
func withoutTLS() serverOpt           { return func(s *testServer) { s.noTLS = true } }
func withLogin(u, p string) serverOpt { return func(s *testServer) { s.user, s.pass = u, p } }

// startServer starts a server on a free loopback port; it stops with the test.
func startServer(t testing.TB, opts ...serverOpt) *testServer {
	t.Helper()
	s := &testServer{t: t, addr: "127.0.0.1:0", rejectTo: map[string]bool{}}
	for _, o := range opts {
		o(s)
	}
	s.cert, s.roots = newCert(t)
	s.start()
	t.Cleanup(s.stop)
	return s
}

func (s *testServer) start() {
	s.t.Helper()
	l, err := net.Listen("tcp", s.addr)
	if err != nil {
		s.t.Fatal(err)
	}
	s.addr = l.Addr().String()
	srv := smtp.NewServer(smtp.BackendFunc(func(c *smtp.Conn) (smtp.Session, error) {
		return &session{s: s, c: c}, nil
	}))
	srv.Domain = "localhost"
	srv.ReadTimeout, srv.WriteTimeout = 10*time.Second, 10*time.Second
	cfg := &tls.Config{Certificates: []tls.Certificate{s.cert}, MinVersion: tls.VersionTLS12}
	switch {
	case s.implicitTLS:
		l = tls.NewListener(l, cfg)
	case !s.noTLS:
		srv.TLSConfig = cfg // offers STARTTLS; AUTH only after it
	default:
		srv.AllowInsecureAuth = true
	}
	s.mu.Lock()
	s.srv, s.l = srv, l
	s.mu.Unlock()
	go func() { _ = srv.Serve(l) }()
}

// stop closes the listener and every connection; start opens the same port again.
func (s *testServer) stop() {
	s.mu.Lock()
	srv, l := s.srv, s.l
	s.srv, s.l = nil, nil
	s.mu.Unlock()
	if l != nil {
		_ = l.Close() // Serve may not have registered it with srv yet
	}
	if srv != nil {
		_ = srv.Close()
	}
}

func (s *testServer) host() string { h, _, _ := net.SplitHostPort(s.addr); return h }

func (s *testServer) port() int {
	_, p, _ := net.SplitHostPort(s.addr)
	n := 0
	for _, c := range p {
		n = n*10 + int(c-'0')
	}
	return n
}

func (s *testServer) messages() []received {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]received(nil), s.received...)
}

func (s *testServer) failNext(errs ...*smtp.SMTPError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failData = append(s.failData, errs...)
}

func (s *testServer) dropNext(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.dropReply += n
}

type session struct {
	s    *testServer
	c    *smtp.Conn
	user string
	from string
	to   []string
}

func (se *session) AuthMechanisms() []string { return []string{sasl.Plain} }

func (se *session) Auth(mech string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(identity, username, password string) error {
		if username != se.s.user || password != se.s.pass {
			return smtp.ErrAuthFailed
		}
		se.user = username
		se.s.mu.Lock()
		se.s.logins++
		se.s.mu.Unlock()
		return nil
	}), nil
}

func (se *session) Mail(from string, _ *smtp.MailOptions) error {
	if se.s.user != "" && se.user == "" {
		return smtp.ErrAuthRequired
	}
	se.from = from
	return nil
}

func (se *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	se.s.mu.Lock()
	defer se.s.mu.Unlock()
	if se.s.rejectTo[to] {
		return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "Không có hộp thư này"}
	}
	se.to = append(se.to, to)
	return nil
}

func (se *session) Data(r io.Reader) error {
	data, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	se.s.mu.Lock()
	if len(se.s.failData) > 0 {
		e := se.s.failData[0]
		se.s.failData = se.s.failData[1:]
		se.s.mu.Unlock()
		return e
	}
	_, isTLS := se.c.TLSConnectionState()
	se.s.received = append(se.s.received, received{From: se.from, To: se.to, Data: data, TLS: isTLS, Auth: se.user})
	drop := se.s.dropReply > 0
	if drop {
		se.s.dropReply--
	}
	se.s.mu.Unlock()
	if drop {
		// Accepted, but the reply never reaches the client.
		_ = se.c.Conn().Close()
		return errors.New("dropped")
	}
	return nil
}

func (se *session) Reset() { se.from, se.to = "", nil }

func (se *session) Logout() error { return nil }
