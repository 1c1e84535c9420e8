package mail

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/textproto"
	"os"
	"strconv"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"
	"github.com/wneessen/go-mail/smtp"

	"canbo/pipeline/schema"
)

// Security modes of serve.yaml's mail.security.
const (
	SecurityStartTLS = "starttls" // port 587: plain connection, then STARTTLS, which is mandatory
	SecurityTLS      = "tls"      // port 465: TLS from the first byte ("SMTPS")
	SecurityNone     = "none"     // no encryption: only to a mail server on this machine
)

// DefaultTimeout bounds connecting and each SMTP command; sending a message's data
// gets one second more per 32 KiB.
const DefaultTimeout = 30 * time.Second

// Dialer opens SMTP sessions. NewDialer makes the real one; tests may wrap it.
type Dialer interface {
	Dial(ctx context.Context) (Session, error)
}

// Session is one open, authenticated connection to the mail server.
type Session interface {
	// Send delivers one rendered message: MAIL FROM, RCPT TO for each recipient,
	// then beforeData, then DATA with raw exactly as given. It returns the server's
	// reply to the data. When beforeData fails, nothing is sent. Errors are
	// *SendError, which says whether the server may have accepted the message.
	Send(ctx context.Context, env Envelope, raw []byte, beforeData func() error) (reply string, err error)
	// Close says QUIT and closes the connection.
	Close() error
}

// Stages of a delivery, for SendError.
const (
	StageDial  = "dial"  // connecting, TLS, EHLO, AUTH
	StageMail  = "mail"  // MAIL FROM
	StageRcpt  = "rcpt"  // RCPT TO
	StageData  = "data"  // DATA and the message bytes
	StageReply = "reply" // waiting for the server's reply after the final "."
)

// SendError is a failed delivery attempt.
type SendError struct {
	Stage string // one of the Stage constants
	Code  int    // the SMTP reply code (451, 535, 550), 0 when there was no reply
	// Uncertain is true when the whole message was transmitted but no reply came
	// (a timeout, a dropped connection): the server may have accepted it.
	Uncertain bool
	Err       error
}

func (e *SendError) Error() string {
	var what string
	switch e.Stage {
	case StageDial:
		what = "không kết nối, đăng nhập được máy chủ thư"
	case StageMail:
		what = "máy chủ thư không nhận địa chỉ gửi"
	case StageRcpt:
		what = "máy chủ thư không nhận địa chỉ người nhận"
	case StageData:
		what = "lỗi khi truyền nội dung thư"
	case StageReply:
		what = "đã truyền hết thư nhưng không nhận được trả lời của máy chủ (thư có thể đã được nhận)"
	default:
		what = "gửi thư không được"
	}
	if h := e.hint(); h != "" {
		what += " — " + h
	}
	return what + ": " + e.Err.Error()
}

func (e *SendError) Unwrap() error { return e.Err }

// Permanent reports whether retrying the same message cannot help (a 5xx reply:
// wrong password, unknown recipient, message refused) until someone changes something.
func (e *SendError) Permanent() bool { return e.Code >= 500 && e.Code < 600 }

// hint says in Vietnamese what the usual cause is.
func (e *SendError) hint() string {
	msg := e.Err.Error()
	var uerr x509.UnknownAuthorityError
	var herr x509.HostnameError
	var cerr x509.CertificateInvalidError
	switch {
	case e.Code == 535 || strings.Contains(msg, "SMTP AUTH failed") && e.Code >= 500:
		return "sai tên đăng nhập (mail.username) hoặc mật khẩu"
	case strings.Contains(msg, "does not support STARTTLS"):
		return "máy chủ không hỗ trợ STARTTLS; thử security: tls với cổng 465"
	case strings.Contains(msg, "server does not support SMTP AUTH"):
		return "máy chủ không cho đăng nhập trên kết nối này; kiểm tra cổng và security"
	case errors.As(e.Err, &uerr):
		return "chứng chỉ TLS của máy chủ không do nơi nào máy này tin cấp; nếu máy chủ thư dùng chứng chỉ tự cấp " +
			"hoặc của cơ quan, xuất chứng chỉ đó ra tệp .cer và khai báo mail.ca_file trong serve.yaml"
	case errors.As(e.Err, &herr), errors.As(e.Err, &cerr):
		return "chứng chỉ TLS của máy chủ không hợp lệ hoặc không khớp tên máy chủ (mail.host)"
	case e.Code == 0 && e.Stage == StageDial:
		return "kiểm tra mail.host, mail.port, mạng và tường lửa"
	case e.Code >= 400 && e.Code < 500:
		return "máy chủ tạm thời từ chối, sẽ thử lại"
	}
	return ""
}

func smtpCode(err error) int {
	var te *textproto.Error
	if errors.As(err, &te) {
		return te.Code
	}
	return 0
}

// SMTPDialer connects to the configured server with go-mail.
type SMTPDialer struct {
	host      string
	port      int
	security  string
	username  string
	password  string
	timeout   time.Duration
	tlsConfig *tls.Config
}

// DialerOption adjusts NewDialer.
type DialerOption func(*SMTPDialer)

// WithTLSConfig uses c for TLS (e.g. a private CA in RootCAs, as tests do). Its
// ServerName defaults to mail.host.
func WithTLSConfig(c *tls.Config) DialerOption {
	return func(d *SMTPDialer) { d.tlsConfig = c.Clone() }
}

// WithTimeout replaces DefaultTimeout.
func WithTimeout(t time.Duration) DialerOption {
	return func(d *SMTPDialer) {
		if t > 0 {
			d.timeout = t
		}
	}
}

// NewDialer checks the mail settings and reads the password, so that a mistake is
// reported at start-up rather than at the first delivery. The password is read once:
// restart after changing it.
func NewDialer(m schema.Mail, opts ...DialerOption) (*SMTPDialer, error) {
	if err := checkTransport(m); err != nil {
		return nil, err
	}
	pw, err := Password(m)
	if err != nil {
		return nil, err
	}
	sec := security(m)
	d := &SMTPDialer{host: strings.TrimSpace(m.Host), port: port(m), security: sec,
		username: m.Username, password: pw, timeout: DefaultTimeout}
	for _, o := range opts {
		o(d)
	}
	if d.tlsConfig == nil {
		d.tlsConfig = &tls.Config{}
	}
	if m.CAFile != "" && d.tlsConfig.RootCAs == nil {
		roots, err := trustedRoots(m.CAFile)
		if err != nil {
			return nil, err
		}
		d.tlsConfig.RootCAs = roots
	}
	if d.tlsConfig.ServerName == "" {
		d.tlsConfig.ServerName = d.host
	}
	if d.tlsConfig.MinVersion == 0 {
		d.tlsConfig.MinVersion = tls.VersionTLS12
	}
	return d, nil
}

// trustedRoots is the system's certificate store plus the certificates in file
// (mail.ca_file): PEM, one or more, as Linux tools write them, or a single DER
// certificate as Windows' "Export… DER encoded binary X.509 (.CER)" writes it.
func trustedRoots(file string) (*x509.CertPool, error) {
	data, err := os.ReadFile(file)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil, fmt.Errorf("không có tệp chứng chỉ %s (mail.ca_file): hãy kiểm tra đường dẫn, hoặc bỏ dòng ca_file nếu máy chủ thư có chứng chỉ được công nhận", file)
	case errors.Is(err, fs.ErrPermission):
		return nil, fmt.Errorf("tài khoản chạy canbo không có quyền đọc tệp chứng chỉ %s (mail.ca_file)", file)
	case err != nil:
		return nil, fmt.Errorf("không đọc được tệp chứng chỉ %s (mail.ca_file): %w", file, err)
	}
	pool, err := x509.SystemCertPool()
	if err != nil || pool == nil {
		pool = x509.NewCertPool()
	}
	if pool.AppendCertsFromPEM(data) {
		return pool, nil
	}
	if cert, err := x509.ParseCertificate(data); err == nil {
		pool.AddCert(cert)
		return pool, nil
	}
	return nil, fmt.Errorf("tệp %s (mail.ca_file) không chứa chứng chỉ nào đọc được: hãy xuất chứng chỉ của máy chủ thư "+
		"(hoặc của nơi cấp chứng chỉ) ra tệp .cer dạng DER hoặc Base-64 (PEM, bắt đầu bằng -----BEGIN CERTIFICATE-----)", file)
}

// Addr is host:port.
func (d *SMTPDialer) Addr() string { return net.JoinHostPort(d.host, strconv.Itoa(d.port)) }

// Dial connects, secures the connection (STARTTLS or TLS) and authenticates.
func (d *SMTPDialer) Dial(ctx context.Context) (Session, error) {
	opts := []gomail.Option{gomail.WithPort(d.port), gomail.WithTimeout(d.timeout), gomail.WithTLSConfig(d.tlsConfig)}
	switch d.security {
	case SecurityTLS:
		opts = append(opts, gomail.WithSSL())
	case SecurityNone:
		opts = append(opts, gomail.WithTLSPolicy(gomail.NoTLS))
	default:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
	}
	if d.username != "" {
		opts = append(opts, gomail.WithUsername(d.username), gomail.WithPassword(d.password))
		if d.security == SecurityNone {
			// Loopback only (checked): a local relay may take PLAIN without TLS.
			opts = append(opts, gomail.WithOpportunisticSMTPAuth(gomail.SMTPAuthPlainNoEnc, gomail.SMTPAuthLoginNoEnc))
		} else {
			// PLAIN or LOGIN over TLS is what government servers (Zimbra, Exchange,
			// Postfix) offer; otherwise go-mail picks the best the server names.
			opts = append(opts, gomail.WithOpportunisticSMTPAuth(gomail.SMTPAuthPlain, gomail.SMTPAuthLogin))
		}
	}
	c, err := gomail.NewClient(d.host, opts...)
	if err != nil {
		return nil, &SendError{Stage: StageDial, Err: err}
	}
	sc, err := c.DialToSMTPClientWithContext(ctx)
	if err != nil {
		return nil, &SendError{Stage: StageDial, Code: smtpCode(err), Err: fmt.Errorf("%s: %w", d.Addr(), err)}
	}
	return &smtpSession{sc: sc, timeout: d.timeout}, nil
}

type smtpSession struct {
	sc      *smtp.Client
	timeout time.Duration
}

func (s *smtpSession) Send(ctx context.Context, env Envelope, raw []byte, beforeData func() error) (string, error) {
	fail := func(stage string, err error) (string, error) {
		if stage != StageReply {
			_ = s.sc.Reset() // abandon the transaction; the connection may still serve the next message
		}
		return "", &SendError{Stage: stage, Code: smtpCode(err), Uncertain: stage == StageReply && smtpCode(err) == 0, Err: err}
	}
	if err := s.sc.UpdateDeadline(s.timeout + time.Duration(len(raw)/(32<<10))*time.Second); err != nil {
		return fail(StageMail, err)
	}
	if err := s.sc.Mail(env.From); err != nil {
		return fail(StageMail, err)
	}
	for _, to := range env.To {
		if err := s.sc.Rcpt(to); err != nil {
			return fail(StageRcpt, fmt.Errorf("%s: %w", to, err))
		}
	}
	// Last chance to give up cleanly: after DATA starts, the message is sent whole.
	if err := ctx.Err(); err != nil {
		return fail(StageData, err)
	}
	if beforeData != nil {
		if err := beforeData(); err != nil {
			return fail(StageData, err)
		}
	}
	w, err := s.sc.Data()
	if err != nil {
		return fail(StageData, err)
	}
	if _, err := io.Copy(w, bytes.NewReader(raw)); err != nil {
		// The final "." was never sent: the server cannot have accepted the message.
		return "", &SendError{Stage: StageData, Err: err}
	}
	if err := w.Close(); err != nil {
		// A reply code means the server refused it; no reply means it may have
		// accepted it.
		return fail(StageReply, err)
	}
	reply := "250"
	if dc, ok := w.(*smtp.DataCloser); ok && dc.ServerResponse() != "" {
		reply += " " + dc.ServerResponse()
	}
	return reply, nil
}

func (s *smtpSession) Close() error {
	if err := s.sc.Quit(); err != nil {
		_ = s.sc.Close()
		return err
	}
	return nil
}

// Password returns the SMTP password for m.Username: from the environment variable
// m.PasswordEnv when it is set and not empty, else from the file m.PasswordFile (its
// first line, without the line end or a UTF-8 byte order mark left by Notepad). It is
// "" when no username is configured. It is never read from the YAML.
func Password(m schema.Mail) (string, error) {
	if strings.TrimSpace(m.Username) == "" {
		return "", nil
	}
	if m.PasswordEnv != "" {
		if v := os.Getenv(m.PasswordEnv); v != "" {
			return v, nil
		}
	}
	if m.PasswordFile != "" {
		data, err := os.ReadFile(m.PasswordFile)
		if err != nil {
			return "", fmt.Errorf("không đọc được tệp mật khẩu thư %s (mail.password_file): %w", m.PasswordFile, err)
		}
		s := strings.TrimPrefix(string(data), "\ufeff")
		if i := strings.IndexAny(s, "\r\n"); i >= 0 {
			s = s[:i]
		}
		if s == "" {
			return "", fmt.Errorf("tệp mật khẩu thư %s (mail.password_file) trống: ghi mật khẩu của tài khoản %s vào dòng đầu", m.PasswordFile, m.Username)
		}
		return s, nil
	}
	if m.PasswordEnv != "" {
		return "", fmt.Errorf("chưa có mật khẩu thư của tài khoản %s: hãy đặt biến môi trường %s "+
			"(Windows: setx %s \"mật khẩu\" rồi mở lại cửa sổ lệnh hoặc khởi động lại dịch vụ; "+
			"Linux/systemd: thêm dòng %s=mật khẩu vào tệp EnvironmentFile của dịch vụ)",
			m.Username, m.PasswordEnv, m.PasswordEnv, m.PasswordEnv)
	}
	return "", fmt.Errorf("chưa có mật khẩu thư của tài khoản %s: khai báo mail.password_env (ví dụ CANBO_SMTP_PASSWORD) "+
		"rồi đặt biến môi trường CANBO_SMTP_PASSWORD, hoặc mail.password_file (tệp chỉ chứa mật khẩu) trong serve.yaml; "+
		"mật khẩu không ghi trong tệp YAML", m.Username)
}

// CheckConfig checks serve.yaml's mail settings without connecting or reading the
// password: server, security, port, addresses, retry durations, how long sent mail
// is kept (keep_sent_days from 0 to MaxKeepSentDays), and that a password
// source is named when there is a username. Every problem is reported, one a line,
// each a *schema.KeyError naming the key, so that `canbo config check` shows it at
// the value's line.
func CheckConfig(m schema.Mail) error {
	var problems []error
	if err := checkTransport(m); err != nil {
		problems = append(problems, err)
	}
	problems = append(problems, checkAddresses(m)...)
	if strings.TrimSpace(m.Username) != "" && m.PasswordEnv == "" && m.PasswordFile == "" {
		problems = append(problems, keyError("mail.username", "có mail.username nhưng chưa nói lấy mật khẩu ở đâu: khai báo mail.password_env (ví dụ CANBO_SMTP_PASSWORD) hoặc mail.password_file"))
	}
	if m.CAFile != "" {
		if _, err := trustedRoots(m.CAFile); err != nil {
			problems = append(problems, keyError("mail.ca_file", err.Error()))
		}
	}
	for _, d := range []struct {
		key string
		neg bool
	}{{"mail.attempts", m.Attempts < 0}, {"mail.retry_after", m.RetryAfter < 0}, {"mail.retry_max", m.RetryMax < 0}} {
		if d.neg {
			problems = append(problems, keyError(d.key, "mail.attempts, mail.retry_after và mail.retry_max không được âm"))
			break
		}
	}
	switch {
	case m.KeepSentDays == nil:
	case *m.KeepSentDays < 0:
		problems = append(problems, keyError("mail.keep_sent_days", fmt.Sprintf("mail.keep_sent_days (%d) không được âm: ghi số ngày giữ nội dung thư đã gửi, hoặc 0 để giữ mãi", *m.KeepSentDays)))
	case *m.KeepSentDays > MaxKeepSentDays:
		problems = append(problems, keyError("mail.keep_sent_days", fmt.Sprintf("mail.keep_sent_days (%d) quá lớn: ghi tối đa %d ngày (100 năm), hoặc 0 để giữ mãi", *m.KeepSentDays, MaxKeepSentDays)))
	}
	if m.RetryAfter > 0 && m.RetryMax > 0 && m.RetryMax < m.RetryAfter {
		problems = append(problems, keyError("mail.retry_max", fmt.Sprintf("mail.retry_max (%s) nhỏ hơn mail.retry_after (%s)", m.RetryMax, m.RetryAfter)))
	}
	return errors.Join(problems...)
}

// keyError is a mistake in the value of a serve.yaml key.
func keyError(key, msg string) error {
	return &schema.KeyError{Key: key, Msg: msg}
}

func security(m schema.Mail) string {
	s := strings.ToLower(strings.TrimSpace(m.Security))
	if s == "" {
		return SecurityStartTLS
	}
	return s
}

func port(m schema.Mail) int {
	if m.Port > 0 {
		return m.Port
	}
	switch security(m) {
	case SecurityTLS:
		return 465
	case SecurityNone:
		return 25
	}
	return 587
}

// checkTransport checks host, port and security; "none" only for this machine.
func checkTransport(m schema.Mail) error {
	host := strings.TrimSpace(m.Host)
	if host == "" {
		return keyError("mail", "chưa khai báo máy chủ thư: thêm mail.host vào serve.yaml (ví dụ mail.soctrang.gov.vn)")
	}
	if m.Port < 0 || m.Port > 65535 {
		return keyError("mail.port", fmt.Sprintf("mail.port %d không hợp lệ: thường là 587 (starttls) hoặc 465 (tls)", m.Port))
	}
	switch sec := security(m); sec {
	case SecurityStartTLS, SecurityTLS:
	case SecurityNone:
		if !isLoopback(host) {
			return keyError("mail.security", fmt.Sprintf("mail.security: none (không mã hóa) chỉ được dùng khi máy chủ thư ở ngay máy này "+
				"(127.0.0.1 hoặc localhost); với máy chủ %s hãy dùng security: starttls (cổng 587) hoặc tls (cổng 465)", host))
		}
	default:
		return keyError("mail.security", fmt.Sprintf("mail.security %q không hợp lệ: dùng starttls (cổng 587), tls (cổng 465) hoặc none (chỉ với máy chủ thư trên chính máy này)", m.Security))
	}
	return nil
}

func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(strings.Trim(host, "[]"))
	return ip != nil && ip.IsLoopback()
}
