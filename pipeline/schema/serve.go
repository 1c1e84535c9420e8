package schema

import (
	"errors"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// Serve is serve.yaml: how `canbo serve` lives in an office. It is optional: `run`,
// `check` and `config check` work without it.
type Serve struct {
	Inbox      string        `yaml:"inbox"`      // where units' files are dropped (often a Windows share)
	Archive    string        `yaml:"archive"`    // accepted inputs, by period and unit: ARCHIVE/YYYY-MM/<unit>/
	Quarantine string        `yaml:"quarantine"` // rejected inputs, each with a .txt saying why
	Out        string        `yaml:"out"`        // reports: OUT/YYYY-MM/
	State      string        `yaml:"state"`      // canbo.db (history, deliveries) and the outbox
	LogFile    string        `yaml:"log_file"`   // structured log, in addition to stderr; empty = STATE/canbo.log
	StableFor  time.Duration `yaml:"stable_for"` // a file is taken once its size and time are unchanged this long
	Rescan     time.Duration `yaml:"rescan"`     // full rescan of the inbox, because change events are unreliable on shares
	Schedule   string        `yaml:"schedule"`   // cron: minute hour day month weekday, e.g. "0 7 1 * *"
	TimeZone   string        `yaml:"time_zone"`  // the office's zone, for the schedule, periods and every time shown; default Asia/Ho_Chi_Minh
	Period     string        `yaml:"period"`     // which month a scheduled run reports: previous (default) or current
	Mail       Mail          `yaml:"mail"`       // delivery
	Units      []UnitContact `yaml:"units"`      // units' contact addresses, for feedback by mail
	Web        Web           `yaml:"web"`        // the web page on the office network (docs/web.md); none when web.listen is empty
	// SpanReports are the reports over a span of months (a year, a term) made on
	// schedules of their own, besides the monthly report (span.go).
	SpanReports []SpanReport `yaml:"span_reports"`
	// ComparePrevious says whether each month's report compares its rosters with the
	// previous month's archived ones (summary.json roster_changes): nil, the default,
	// is true. Reading last month's files again costs CPU on big batches (a cached
	// re-run of a million people: 1.5 → 10.8 CPU-seconds), so an office that does
	// not read the comparison can turn it off. See ComparesPrevious.
	ComparePrevious *bool `yaml:"compare_previous"`
	Pos             Pos   `yaml:"-"`

	keys map[string]Pos // where each value is written, by dotted key: see At
}

// ComparesPrevious is compare_previous, true when not written.
func (s Serve) ComparesPrevious() bool { return s.ComparePrevious == nil || *s.ComparePrevious }

// DefaultTimeZone is the office's time zone when serve.yaml names none.
const DefaultTimeZone = "Asia/Ho_Chi_Minh"

// Location is the office's time zone (time_zone): the one every time canbo shows or
// files under, and every "this month" it works out, is taken in, whatever zone the
// machine is set to (a server often runs in UTC). A name that does not load falls
// back to Việt Nam's UTC+7; `canbo config check` reports the name.
func (s Serve) Location() *time.Location {
	name := strings.TrimSpace(s.TimeZone)
	if name == "" {
		name = DefaultTimeZone
	}
	if loc, err := time.LoadLocation(name); err == nil {
		return loc
	}
	return time.FixedZone("ICT", 7*3600)
}

// Mail is the SMTP account reports are sent from. The password is never in YAML:
// it comes from the environment variable PasswordEnv or the file PasswordFile.
type Mail struct {
	Host         string `yaml:"host"`
	Port         int    `yaml:"port"`     // 587 with starttls, 465 with tls
	Security     string `yaml:"security"` // starttls (default) | tls | none (loopback only)
	Username     string `yaml:"username"`
	PasswordEnv  string `yaml:"password_env"`  // e.g. CANBO_SMTP_PASSWORD
	PasswordFile string `yaml:"password_file"` // a file holding only the password
	// CAFile is a certificate to trust for the mail server besides the system's: the
	// office's own certificate authority, or the server's self-signed certificate
	// (PEM or DER, .pem/.crt/.cer), for servers a default Windows install does not trust.
	CAFile     string        `yaml:"ca_file"`
	From       string        `yaml:"from"` // "Sở Nội vụ <baocao@snv.soctrang.gov.vn>"
	To         []string      `yaml:"to"`   // leadership: who receives the monthly report
	Cc         []string      `yaml:"cc"`
	Attempts   int           `yaml:"attempts"`    // tries before giving up until the next start; default 8
	RetryAfter time.Duration `yaml:"retry_after"` // first wait, doubled each try up to RetryMax; default 1m
	RetryMax   time.Duration `yaml:"retry_max"`   // default 1h
	Feedback   bool          `yaml:"feedback"`    // mail each unit its feedback workbook when it has an address
	// KeepSentDays is how many days a sent message's bytes (attachments included) stay
	// in canbo.db, for re-reading; nil means the default (mail.DefaultKeepSentDays), 0
	// keeps them for ever. The message's row stays regardless.
	KeepSentDays *int `yaml:"keep_sent_days"`
}

// UnitContact is a unit's address for feedback mail.
type UnitContact struct {
	Unit  string `yaml:"unit"` // as the report names it: "UBND xã Nghĩa Tá"
	Email string `yaml:"email"`
}

// KeyError is a mistake in the value of one key of serve.yaml, named dotted
// ("schedule", "mail.security", "mail.to.1" for the second address), so that
// `config check` shows it where that value is written rather than at the top of the
// file.
type KeyError struct {
	Key string
	Msg string
}

func (e *KeyError) Error() string { return e.Msg }

// At is where the value of a dotted key is written, or the nearest enclosing key's
// ("mail" for a mail.to that is not written); the file alone when none is.
func (s Serve) At(key string) Pos {
	for key != "" {
		if p, ok := s.keys[key]; ok {
			p.File = s.Pos.File
			return p
		}
		i := strings.LastIndexByte(key, '.')
		if i < 0 {
			break
		}
		key = key[:i]
	}
	return Pos{File: s.Pos.File}
}

// Problems places each error in err (joined errors one by one) at its key, so that a
// checker written for serve.yaml's values need not know about positions.
func (s Serve) Problems(err error) Problems {
	if err == nil {
		return nil
	}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		var ps Problems
		for _, e := range j.Unwrap() {
			ps = append(ps, s.Problems(e)...)
		}
		return ps
	}
	var ke *KeyError
	if errors.As(err, &ke) {
		return Problems{{Pos: s.At(ke.Key), Msg: err.Error()}}
	}
	return Problems{{Pos: Pos{File: s.Pos.File}, Msg: err.Error()}}
}

// keyPositions records where the value of every key under n is written, by dotted
// key; items of a list are numbered from 0.
func keyPositions(n *yaml.Node, prefix string, out map[string]Pos) {
	join := func(k string) string {
		if prefix == "" {
			return k
		}
		return prefix + "." + k
	}
	switch n.Kind {
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			key, v := join(n.Content[i].Value), n.Content[i+1]
			out[key] = Pos{Line: v.Line, Col: v.Column}
			keyPositions(v, key, out)
		}
	case yaml.SequenceNode:
		for i, c := range n.Content {
			key := join(strconv.Itoa(i))
			out[key] = Pos{Line: c.Line, Col: c.Column}
			keyPositions(c, key, out)
		}
	}
}

// DefaultLocation is the office's time zone when no serve.yaml is at hand: Việt Nam's.
func DefaultLocation() *time.Location { return Serve{}.Location() }
