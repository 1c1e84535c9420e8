// Package mail composes the e-mails canbo sends, keeps them in an outbox on disk and
// delivers them over SMTP (github.com/wneessen/go-mail), so that a restart neither
// loses nor duplicates a message.
//
// # Composing
//
// ReportMessage makes the monthly report e-mail for leadership: subject and body from
// templates/mail.yaml (LoadTemplates) with the period's key figures — headcount,
// targets met, the largest shortfalls, files received and rejected — and the .xlsx,
// .pdf and (when the period has one) .docx attached. FeedbackMessage sends a unit the feedback workbook of a file it sent.
// No Vietnamese wording is in Go code. A Message renders (EML) as UTF-8 text/plain in
// quoted-printable, RFC 2047 subject and names, attachments in base64 with correct
// MIME types and their (Vietnamese) names in RFC 2231 and RFC 2047 forms.
// Message.WriteEML and WriteEML write .eml files instead of sending (--dry-run).
//
//	tm, _ := mail.LoadTemplates(templates.FS)
//	msg, err := mail.ReportMessage(s, cfg, txt, tm, mail.ReportFiles("out/2023-09", "2023-09")...)
//	// msg.Subject == "Báo cáo đội ngũ CBCCVC tháng 09/2023 — 388 người, đạt 2/4 chỉ tiêu"
//
// # Identity
//
// A message's Key is kind/period[/unit[/ref]] ("report/2023-09"; a feedback message
// adds the unit and the input file's sha256). Its ID adds a hash of everything the
// recipients get (addresses, subject, body, attachments; not the Date):
// "report-2023-09-5c1e0a9b3f7d2e41". The Message-ID header is the ID at the sender's
// domain, so every delivery of one queued message carries the same Message-ID.
//
// # The outbox
//
// OpenOutbox opens STATE/outbox/. Enqueue writes the complete message to
// pending/<id>.eml (atomically: temporary file, fsync, rename) and then its status to
// pending/<id>.json (kind, period, recipients, attempts, last error, next attempt,
// created…; see Entry). Deliver makes one pass over what is due; Run repeats passes
// until its context ends. A delivered message's status is rewritten as "sent" with the
// server's reply and time, then the .eml and the status are renamed into sent/.
//
// Enqueue sends one message per key:
//
//   - the same content again (a re-run after a crash) → nothing new (dup);
//   - new content while the old is still pending and never reached DATA → the new one
//     replaces it;
//   - new content after the key was sent (or may have been: it reached DATA) → nothing
//     new. Changed figures for a period already sent are not re-sent by themselves;
//     Resend (`canbo send --period YYYY-MM`) does it on purpose, as a new message with
//     a new Message-ID.
//
// Failures are retried with exponential backoff: RetryAfter, doubled after each
// failure, at most RetryMax, for Attempts tries per process start; then the message
// is held (state "held") until the next start or a Resend. A permanent refusal (5xx:
// wrong password, unknown recipient) is held at once.
//
// # Exactly once, as far as SMTP allows
//
// SMTP has no way to ask a server whether it already has a message, so one window
// remains where a message can be delivered twice: the server has accepted the data
// (or is about to reply 250) and canbo dies, or the connection drops, before the
// acceptance is recorded. It is kept small: the status "sending" is written just
// before DATA (after MAIL FROM and RCPT TO were accepted, so failures to connect, log
// in or reach a recipient never leave it), and the acceptance is written as soon as
// the 250 arrives, before the next message. A message found in "sending" at start-up
// — or whose reply never came — may have been delivered; canbo sends it again, marked
// "uncertain" in its status, with the same Message-ID, so that mail clients that
// de-duplicate by Message-ID (Outlook, Gmail, Thunderbird with the option on) show it
// once. A report that arrives twice is judged better than one that never arrives.
// Every other crash point is repaired without sending twice: a status written as
// "sent" whose files were not yet moved is moved on; an .eml without status is
// re-described from its X-Canbo-* headers; temporary files are removed.
//
// One delivery pass at a time runs per outbox, across processes too (a lock file:
// flock on Unix, an unshared handle on Windows): Deliver returns ErrBusy when another
// canbo process is delivering, and Enqueue waits for the pass to end. Keep STATE on a
// local disk; file locks on network shares are not reliable.
//
// # SMTP
//
// NewDialer checks serve.yaml's mail settings and reads the password: security
// starttls (default, port 587, STARTTLS mandatory), tls (port 465, TLS from the first
// byte) or none (only to a server on this machine: 127.0.0.1, ::1, localhost). The
// password comes from the environment variable password_env, else from the file
// password_file, never from the YAML. CheckConfig checks the settings without
// connecting, for `canbo config check`.
package mail
