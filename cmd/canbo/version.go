package main

import (
	"context"
	"fmt"
	"runtime/debug"
)

// Set at build time: go build -ldflags "-X main.version=1.0.0 -X main.commit=… -X main.date=…"
var (
	version = "dev"
	commit  = ""
	date    = ""
)

func runVersion(_ context.Context, e *env, args []string) error {
	f := newFlags("version", "canbo version", "In phiên bản, mã commit và ngày build.\nPrint the version, commit and build date.", "")
	if err := f.parse(e, args); err != nil {
		return err
	}
	c, d := commit, date
	if info, ok := debug.ReadBuildInfo(); ok && c == "" {
		for _, s := range info.Settings {
			switch s.Key {
			case "vcs.revision":
				c = s.Value
			case "vcs.time":
				d = s.Value
			}
		}
	}
	if c == "" {
		c = "không rõ"
	}
	if d == "" {
		d = "không rõ"
	}
	fmt.Fprintf(e.stdout, "canbo %s (commit %s, build %s)\n", version, c, d)
	return nil
}
