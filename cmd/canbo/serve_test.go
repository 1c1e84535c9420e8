package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"canbo/pipeline/schema"
)

// TestServiceLogTimeZone: serve's console and log file show times in the office's
// zone (time_zone), as its file names do, whatever zone the machine runs in.
func TestServiceLogTimeZone(t *testing.T) {
	for _, c := range []struct{ zone, want string }{{"", "+07:00"}, {"Asia/Ho_Chi_Minh", "+07:00"}, {"Asia/Tokyo", "+09:00"}} {
		state := t.TempDir()
		var stderr bytes.Buffer
		log, closeLog, err := serviceLog(schema.Serve{State: state, TimeZone: c.zone}, &stderr, false)
		if err != nil {
			t.Fatal(err)
		}
		log.Info("canbo serve đã chạy")
		closeLog()
		file, err := os.ReadFile(filepath.Join(state, "canbo.log"))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(stderr.String(), c.want+" level=INFO") || !strings.Contains(string(file), c.want+`","level":"INFO"`) {
			t.Errorf("zone %q: console %q, file %q; want times at %s", c.zone, stderr.String(), file, c.want)
		}
	}
}
