package schema

import "time"

// Web is serve.yaml's web block: the page units send their files through and the
// office watches the period on (package web, docs/web.md).
type Web struct {
	// Listen is the address:port the page is served on, an address of the office
	// network ("192.168.1.10:8080"); empty, no page. Plain HTTP only on a loopback or
	// private (LAN) address; any other needs CertFile and KeyFile.
	Listen string `yaml:"listen"`
	// URL is how the units reach the page, what their links start with
	// ("http://192.168.1.10:8080", "https://canbo.snv.local"); default the scheme and
	// Listen.
	URL      string `yaml:"url"`
	CertFile string `yaml:"cert_file"` // the office's certificate (PEM), for HTTPS
	KeyFile  string `yaml:"key_file"`  // its private key (PEM)
	// MaxUploadMB is the largest workbook accepted, in megabytes; default 20.
	MaxUploadMB int `yaml:"max_upload_mb"`
	// UploadsPer10Minutes is how many files one unit's link may send in ten minutes;
	// default 10. UploadMBPerHour is how many megabytes it may send in an hour;
	// default ten times MaxUploadMB. A clerk re-sending a fixed file never comes near
	// either; a leaked link or a runaway script is stopped before it fills the disk.
	UploadsPer10Minutes int `yaml:"uploads_per_10_minutes"`
	UploadMBPerHour     int `yaml:"upload_mb_per_hour"`
	// Session is how long an office login lasts; default 8h.
	Session time.Duration `yaml:"session"`
	// RemindDaysBefore: this many days before the deadline (the next scheduled report),
	// canbo reminds by mail, once a day, the units that must send and have not; 0, never
	// by itself (office staff still can, with one click).
	RemindDaysBefore int `yaml:"remind_days_before"`
	// Users are the office's accounts.
	Users []WebUser `yaml:"users"`
}

// WebUser is one office account. The password is kept only as its argon2id hash,
// made by `canbo web password`.
type WebUser struct {
	Name         string `yaml:"name"`
	Role         string `yaml:"role"` // staff (default): everything; leader: reads only
	PasswordHash string `yaml:"password_hash"`
}
