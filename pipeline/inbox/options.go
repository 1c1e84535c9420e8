package inbox

import (
	"log/slog"
	"time"

	"canbo/pipeline/issue"
	"canbo/pipeline/schema"
)

// Defaults of the durations in Options.
const (
	DefaultStableFor = 30 * time.Second
	DefaultRescan    = time.Minute
)

// Options configure the watcher and the taker. Watch needs Inbox; Open needs Inbox,
// Archive, Quarantine, Config and Catalog.
type Options struct {
	Inbox      string   // where units drop their files
	Archive    string   // accepted files: ARCHIVE/YYYY-MM/<unit>/
	Quarantine string   // rejected files, each with a .txt saying why
	Out        string   // reports; feedback workbooks go to OUT/YYYY-MM/phan-hoi/ ("" = none)
	Skip       []string // more folders inside the inbox never to look into (state, logs)

	StableFor time.Duration // a file is taken once size and time are unchanged this long; default 30s
	Rescan    time.Duration // full rescan of the inbox; default 1m

	Config  *schema.Config // how workbooks are read
	Catalog *issue.Catalog // Vietnamese messages

	Clock    Clock          // default: the system clock
	Location *time.Location // for periods and time stamps; default Asia/Ho_Chi_Minh
	Log      *slog.Logger   // default slog.Default()

	// step, when set, is called after each step of a take ("copied", "renamed",
	// "synced", "recorded", "marked", "removed"); an error stops the take right there,
	// with no clean-up, as a crash would. Tests use it.
	step func(name string) error
}

// FromServe fills the folders and durations from serve.yaml. Config, Catalog, Clock
// and Log are left for the caller.
func FromServe(s schema.Serve) Options {
	opt := Options{
		Inbox: s.Inbox, Archive: s.Archive, Quarantine: s.Quarantine, Out: s.Out,
		StableFor: s.StableFor, Rescan: s.Rescan,
	}
	if s.State != "" {
		opt.Skip = append(opt.Skip, s.State)
	}
	return opt
}

func (o Options) withDefaults() Options {
	if o.StableFor <= 0 {
		o.StableFor = DefaultStableFor
	}
	if o.Rescan <= 0 {
		o.Rescan = DefaultRescan
	}
	if o.Clock == nil {
		o.Clock = systemClock{}
	}
	if o.Location == nil {
		o.Location = schema.DefaultLocation()
	}
	if o.Log == nil {
		o.Log = slog.Default()
	}
	return o
}

func (o Options) at(step string) error {
	if o.step == nil {
		return nil
	}
	return o.step(step)
}

// Clock is the time source; tests pass a fake one.
type Clock interface {
	Now() time.Time
	// After returns a channel that receives once d has passed.
	After(d time.Duration) <-chan time.Time
}

type systemClock struct{}

func (systemClock) Now() time.Time                         { return time.Now() }
func (systemClock) After(d time.Duration) <-chan time.Time { return time.After(d) }
