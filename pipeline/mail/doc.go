// Package mail composes the e-mails canbo sends, keeps them in an outbox (tables of the
// history database, STATE/canbo.db) and delivers them over SMTP (github.com/wneessen/go-mail), so that a restart neither
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
// OpenOutbox opens the outbox kept in the history database (package history, tables
// outbox_messages, outbox_bodies and outbox_claim), the one crash-safe store of canbo
// serve. Enqueue stores the complete message — its bytes as a BLOB, and its state
// (kind, period, recipients, attempts, last error, next attempt, created…; see Entry)
// — in one transaction. Deliver makes one pass over what is due; Run repeats passes
// until its context ends. A delivered message's state is rewritten as "sent" with the
// server's reply and time. Every state change is one transaction: there is no
// half-written message or half-moved file to repair. Why the bytes are in the
// database and not in .eml files beside it: a message then exists together with its
// state or not at all (a file and a row cannot be committed together), one backup
// (canbo.db) holds everything, and reading one message back is one query; a report
// mail is a few MB, which SQLite stores as overflow pages without trouble.
//
// Sent mail does not pile up: Run prunes (Prune) at its start and daily, deleting in
// one transaction the bytes of messages sent longer ago than KeepSent (serve.yaml's
// mail.keep_sent_days, 400 days unless written) and stamping their rows, which stay:
// the row is the record that the period was sent. Nothing reads a sent message's bytes
// but EML, which then says so (ErrPruned); `canbo send` composes a new message.
//
// An outbox folder of an older canbo (STATE/outbox/, pending/ and sent/ with .eml and
// .json files) is imported at first use, in one transaction, then renamed
// STATE/outbox.imported-YYYYMMDD (legacy.go). The import is idempotent by message id,
// so a crash between the commit and the rename only makes the next start rename it.
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
// the 250 arrives, before the next message. A message found in "sending" by the next
// pass to claim the outbox (at start-up: the process that recorded it is gone)
// — or whose reply never came — may have been delivered; canbo sends it again, marked
// "uncertain" in its status, with the same Message-ID, so that mail clients that
// de-duplicate by Message-ID (Outlook, Gmail, Thunderbird with the option on) show it
// once. A report that arrives twice is judged better than one that never arrives.
// Every other crash point leaves the database as the last committed transaction left
// it.
//
// One delivery pass at a time runs per outbox, across processes too: a pass claims the
// outbox (the row outbox_claim, taken in the IMMEDIATE transaction that reads what is
// due, renewed while it works and in each "sending" transaction, given up at its end).
// Deliver returns ErrBusy when another canbo process holds the claim. A claim whose
// process is gone from this machine is taken over at once (claim.go), one that is not
// renewed lapses after a minute. Enqueue and Resend do not wait for a pass: a pass
// checks, in the transaction that records "sending", that it still holds the claim and
// that its message was not replaced meanwhile. Keep STATE on a local disk: SQLite's
// locks on network shares are not reliable.
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
