package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"canbo/config"
	"canbo/pipeline/issue"
	"canbo/pipeline/schema"
	"canbo/templates"
)

// errHelp means --help was asked for and printed.
var errHelp = errors.New("help")

// flags is a flag set whose help shows each flag in Vietnamese with an English line
// under it, as the contract asks.
type flags struct {
	fs    *flag.FlagSet
	usage string // "canbo check [tùy chọn] TỆP|THƯ_MỤC ..."
	about string // what the command does, Vietnamese then English
	exit  string // the exit-status section
	help  []flagHelp
}

type flagHelp struct{ name, arg, vi, en, def string }

func newFlags(name, usage, about, exit string) *flags {
	f := &flags{fs: flag.NewFlagSet(name, flag.ContinueOnError), usage: usage, about: about, exit: exit}
	f.fs.SetOutput(io.Discard)
	return f
}

func (f *flags) string(p *string, name, arg, def, vi, en string) {
	f.fs.StringVar(p, name, def, vi)
	f.help = append(f.help, flagHelp{name, arg, vi, en, def})
}

func (f *flags) int(p *int, name, arg string, def int, vi, en string) {
	f.fs.IntVar(p, name, def, vi)
	f.help = append(f.help, flagHelp{name, arg, vi, en, strconv.Itoa(def)})
}

func (f *flags) bool(p *bool, name string, def bool, vi, en string) {
	f.fs.BoolVar(p, name, def, vi)
	d := ""
	if def {
		d = "true"
	}
	f.help = append(f.help, flagHelp{name, "", vi, en, d})
}

func (f *flags) print(w io.Writer) {
	fmt.Fprintf(w, "Cách dùng (usage): %s\n\n%s\n", f.usage, strings.TrimSpace(f.about))
	if len(f.help) > 0 {
		fmt.Fprint(w, "\nTùy chọn (options):\n")
		for _, h := range f.help {
			left := "--" + h.name
			if h.arg != "" {
				left += " " + h.arg
			}
			fmt.Fprintf(w, "  %s\n      %s", left, h.vi)
			if h.def != "" {
				fmt.Fprintf(w, " (mặc định: %s)", h.def)
			}
			fmt.Fprintf(w, "\n      %s\n", h.en)
		}
	}
	if f.exit != "" {
		fmt.Fprintf(w, "\nMã thoát (exit status):\n%s\n", strings.TrimRight(f.exit, "\n"))
	}
}

// parse parses args, printing help for --help and a usage error otherwise.
func (f *flags) parse(e *env, args []string) error {
	err := f.fs.Parse(args)
	switch {
	case errors.Is(err, flag.ErrHelp):
		f.print(e.stdout)
		return errHelp
	case err != nil:
		return usageError{fmt.Errorf("%v\nGõ \"%s --help\" để xem cách dùng", translateFlagError(err), "canbo "+f.fs.Name())}
	}
	return nil
}

func translateFlagError(err error) string {
	m := err.Error()
	switch {
	case strings.HasPrefix(m, "flag provided but not defined: "):
		return "không có tùy chọn " + strings.TrimPrefix(m, "flag provided but not defined: ")
	case strings.HasPrefix(m, "flag needs an argument: "):
		return "tùy chọn cần giá trị: " + strings.TrimPrefix(m, "flag needs an argument: ")
	}
	return m
}

const defaultConfigDir = "config"

// loadConfig reads the configuration from dir. The default folder falls back to the
// configuration built into the binary when it does not exist, so canbo runs anywhere;
// a folder named explicitly must exist.
func loadConfig(dir string, explicit bool) (*schema.Config, string, error) {
	info, err := os.Stat(dir)
	if err != nil || !info.IsDir() {
		if explicit || dir != defaultConfigDir {
			return nil, "", usageError{fmt.Errorf("không tìm thấy thư mục cấu hình %q", dir)}
		}
		cfg, err := schema.Load(config.FS, "(cấu hình có sẵn)")
		return cfg, "(cấu hình có sẵn)", err
	}
	cfg, err := schema.Load(os.DirFS(dir), dir)
	return cfg, dir, err
}

// loadCatalog reads the message templates built into the binary.
func loadCatalog() (*issue.Catalog, error) {
	return issue.LoadCatalog(templates.FS)
}

// flagSet reports whether a flag was given on the command line.
func (f *flags) flagSet(name string) bool {
	set := false
	f.fs.Visit(func(fl *flag.Flag) { set = set || fl.Name == name })
	return set
}
