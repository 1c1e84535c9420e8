package serve

// The files docs/deploy/ hands to an office are checked as canbo would check them:
// a serve.yaml that `canbo config check` would refuse, or a task that Task Scheduler
// would stop after 72 hours, must not reach anyone.

import (
	"encoding/xml"
	"io/fs"
	"os"
	"reflect"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"canbo/config"
	"canbo/pipeline/mail"
	"canbo/pipeline/schedule"
	"canbo/pipeline/schema"
)

const deployDir = "../../docs/deploy/"

// TestDeployServeYAML: the example serve.yaml loads with the real configuration and
// passes what `canbo config check` checks; every key of serve.yaml is in it and is
// explained in docs/serve.md.
func TestDeployServeYAML(t *testing.T) {
	example, err := os.ReadFile(deployDir + "serve.yaml")
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := withShippedConfig(t, example)
	if err != nil {
		t.Fatalf("docs/deploy/serve.yaml: %v", err)
	}
	sv := cfg.Serve
	if err := Check(sv); err != nil {
		t.Error(err)
	}
	if err := mail.CheckConfig(sv.Mail); err != nil {
		t.Error(err)
	}
	if _, err := schedule.Parse(sv.Schedule); err != nil {
		t.Error(err)
	}
	if _, err := time.LoadLocation(sv.TimeZone); err != nil {
		t.Error(err)
	}
	if sv.Inbox != `\\may-chu\nop-bao-cao` || sv.StableFor != 30*time.Second || sv.Mail.RetryMax != time.Hour || len(sv.Units) != 2 || !sv.ComparesPrevious() {
		t.Errorf("read as %+v", sv)
	}

	doc, err := os.ReadFile("../../docs/serve.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, key := range yamlKeys(reflect.TypeFor[schema.Serve](), "") {
		short := key[strings.LastIndex(key, ".")+1:]
		if !strings.Contains(string(example), short+":") {
			t.Errorf("docs/deploy/serve.yaml does not show %s", key)
		}
		if !strings.Contains(string(doc), "`"+key+"`") && !strings.Contains(string(doc), "`"+short+"`") {
			t.Errorf("docs/serve.md does not explain %s", key)
		}
	}
}

// yamlKeys lists the yaml keys of a struct, nested ones as "mail.host", "units.unit".
func yamlKeys(t reflect.Type, prefix string) []string {
	var out []string
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		if name == "" || name == "-" {
			continue
		}
		out = append(out, prefix+name)
		ft := f.Type
		if ft.Kind() == reflect.Slice {
			ft = ft.Elem()
		}
		if ft.Kind() == reflect.Struct && ft != reflect.TypeFor[time.Time]() {
			out = append(out, yamlKeys(ft, prefix+name+".")...)
		}
	}
	return out
}

// TestDeployTask: the Task Scheduler definition is well-formed plain ASCII, runs
// canbo serve with no time limit, one instance at a time, and comes back after a stop.
func TestDeployTask(t *testing.T) {
	data, err := os.ReadFile(deployDir + "canbo-task.xml")
	if err != nil {
		t.Fatal(err)
	}
	for i, b := range data {
		if b >= 0x80 {
			t.Fatalf("byte %d is not ASCII", i)
		}
	}
	var task struct {
		Triggers struct {
			Boot     *struct{ Enabled bool } `xml:"BootTrigger"`
			Calendar *struct {
				Repetition struct {
					Interval          string
					StopAtDurationEnd bool
				}
			} `xml:"CalendarTrigger"`
		}
		Settings struct {
			MultipleInstancesPolicy string
			ExecutionTimeLimit      string
			StopIfGoingOnBatteries  bool
		}
		Exec struct {
			Command, Arguments string
		} `xml:"Actions>Exec"`
	}
	if err := xml.Unmarshal(data, &task); err != nil {
		t.Fatal(err)
	}
	s := task.Settings
	switch {
	case task.Triggers.Boot == nil || !task.Triggers.Boot.Enabled:
		t.Error("not started at boot")
	case task.Triggers.Calendar == nil || task.Triggers.Calendar.Repetition.Interval == "" || task.Triggers.Calendar.Repetition.StopAtDurationEnd:
		t.Error("not looked at again after a stop, or stopped at the end of the repetition")
	case s.MultipleInstancesPolicy != "IgnoreNew" || s.ExecutionTimeLimit != "PT0S" || s.StopIfGoingOnBatteries:
		t.Errorf("settings %+v", s)
	case !strings.HasSuffix(task.Exec.Command, `\canbo.exe`) || !strings.HasPrefix(task.Exec.Arguments, "serve --config "):
		t.Errorf("runs %q %q", task.Exec.Command, task.Exec.Arguments)
	}
}

// TestDeployWinSW: the WinSW definition runs canbo serve, gives it time to stop on
// Ctrl+C and restarts it after a failure.
func TestDeployWinSW(t *testing.T) {
	data, err := os.ReadFile(deployDir + "canbo-winsw.xml")
	if err != nil {
		t.Fatal(err)
	}
	var svc struct {
		Executable  string `xml:"executable"`
		Arguments   string `xml:"arguments"`
		StopTimeout string `xml:"stoptimeout"`
		OnFailure   struct {
			Action string `xml:"action,attr"`
		} `xml:"onfailure"`
	}
	if err := xml.Unmarshal(data, &svc); err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(svc.Executable, `\canbo.exe`) || !strings.HasPrefix(svc.Arguments, "serve --config ") ||
		svc.OnFailure.Action != "restart" || svc.StopTimeout == "" {
		t.Errorf("read as %+v", svc)
	}
}

// TestDeploySystemd: the unit runs canbo serve as its own user, with the password
// from an environment file, restarted after a failure but not after a configuration
// error, and given time to stop cleanly.
func TestDeploySystemd(t *testing.T) {
	data, err := os.ReadFile(deployDir + "canbo.service")
	if err != nil {
		t.Fatal(err)
	}
	set := map[string]string{}
	for _, line := range strings.Split(string(data), "\n") {
		if k, v, ok := strings.Cut(strings.TrimSpace(line), "="); ok && !strings.HasPrefix(k, "#") {
			set[k] = v
		}
	}
	want := map[string]string{"User": "canbo", "Restart": "on-failure", "RestartPreventExitStatus": "2",
		"KillSignal": "SIGTERM", "EnvironmentFile": "/etc/canbo/smtp.env", "WantedBy": "multi-user.target"}
	for k, v := range want {
		if set[k] != v {
			t.Errorf("%s=%q, want %q", k, set[k], v)
		}
	}
	if !strings.Contains(set["ExecStart"], "canbo serve --config ") {
		t.Errorf("ExecStart=%s", set["ExecStart"])
	}
}

// TestCheck: what `canbo config check` says of a wrong serve.yaml.
func TestCheck(t *testing.T) {
	ok := schema.Serve{Inbox: "in", Archive: "a", Quarantine: "q", Out: "o", State: "s"}
	if err := Check(ok); err != nil {
		t.Errorf("a complete serve.yaml: %v", err)
	}
	tests := []struct {
		change func(*schema.Serve)
		want   string
	}{
		{func(s *schema.Serve) { s.Inbox, s.State = "", " " }, "chưa khai báo: inbox, state"},
		{func(s *schema.Serve) { s.TimeZone = "Asia/Ha_Noi" }, `time_zone "Asia/Ha_Noi"`},
		{func(s *schema.Serve) { s.Period = "last" }, `không phải "last"`},
		{func(s *schema.Serve) { s.StableFor = -time.Second }, "không được âm"},
	}
	for _, tt := range tests {
		s := ok
		tt.change(&s)
		if err := Check(s); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("got %v, want %q", err, tt.want)
		}
	}
}

// TestDeployServeYAMLWeb: the sample's web block, commented out, is right once an
// office takes the "# " away: it loads, and the one thing left to do is the password
// hash, which config check asks for rather than letting a sample password in.
func TestDeployServeYAMLWeb(t *testing.T) {
	example, err := os.ReadFile(deployDir + "serve.yaml")
	if err != nil {
		t.Fatal(err)
	}
	text := string(example)
	i := strings.Index(text, "\n# web:")
	if i < 0 {
		t.Fatal("docs/deploy/serve.yaml has no commented web block")
	}
	var lines []string
	for _, l := range strings.Split(text[i+1:], "\n") {
		lines = append(lines, strings.TrimPrefix(l, "# "))
	}
	cfg, err := withShippedConfig(t, []byte(text[:i+1]+strings.Join(lines, "\n")))
	if err != nil {
		t.Fatalf("the uncommented web block: %v", err)
	}
	w := cfg.Serve.Web
	if w.Listen != "192.168.1.10:8080" || w.RemindDaysBefore != 3 || len(w.Users) != 1 || w.Users[0].Role != "staff" {
		t.Errorf("read as %+v", w)
	}
	ps := cfg.Serve.Problems(Check(cfg.Serve))
	if len(ps) != 1 || !strings.Contains(ps[0].Msg, "password_hash") {
		t.Errorf("config check says %v; want only the password hash to fill in", ps)
	}
}

// withShippedConfig loads the shipped configuration with serveYAML as its serve.yaml.
func withShippedConfig(t *testing.T, serveYAML []byte) (*schema.Config, error) {
	t.Helper()
	fsys := fstest.MapFS{schema.FileServe: {Data: serveYAML}}
	err := fs.WalkDir(config.FS, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(config.FS, p)
		fsys[p] = &fstest.MapFile{Data: data}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return schema.Load(fsys, "config")
}
