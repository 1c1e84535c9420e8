package schema

import (
	"strings"
	"time"
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
	Pos        Pos           `yaml:"-"`
}

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
}

// UnitContact is a unit's address for feedback mail.
type UnitContact struct {
	Unit  string `yaml:"unit"` // as the report names it: "UBND xã Nghĩa Tá"
	Email string `yaml:"email"`
}
