// Command canbo turns the personnel workbooks that units submit into compliance
// reports for Home Affairs offices. This package holds flags, help text and wiring
// only; the work is done by the packages under pipeline/.
//
// Exit status: 0 success; 1 the work ran but found problems the user must fix;
// 2 bad usage or bad configuration.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
	"time"

	_ "time/tzdata" // Asia/Ho_Chi_Minh must resolve on Windows machines without Go installed

	"canbo/pipeline/report"
)

// now is the clock commands read; tests set it so output does not depend on the day.
var now = time.Now

// Exit codes, as the contract fixes them.
const (
	exitOK       = 0
	exitProblems = 1
	exitUsage    = 2
)

// usageError marks an error caused by how canbo was called or configured (exit 2).
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

// problemsFound marks a run that worked but found problems (exit 1); its message has
// already been printed.
var errProblemsFound = errors.New("có lỗi cần sửa")

// command is one subcommand: its name, help and what it runs.
type command struct {
	name  string
	short string // Vietnamese one-liner
	run   func(ctx context.Context, env *env, args []string) error
}

// env is what every command may use: where to write and which clock to read.
type env struct {
	stdout, stderr io.Writer
	log            *slog.Logger
}

func commands() []command {
	return []command{
		{"run", "lập báo cáo của một kỳ: Excel, PDF, summary.json (make the period's report)", runRun},
		{"check", "kiểm tra các tệp Excel, ghi tệp phản hồi cho từng đơn vị (check workbooks)", runCheck},
		{"serve", "chạy tự động: nhận tệp, lập báo cáo theo lịch, gửi thư (unattended mode)", runServe},
		{"status", "đã nhận gì, đang chờ gì, đã gửi gì (what was received, pending, sent)", runStatus},
		{"web", "trang web: liên kết riêng của đơn vị, mã băm mật khẩu (web page links, password hashes)", runWeb},
		{"send", "gửi lại thư báo cáo một kỳ: canbo send --period YYYY-MM (re-send a report)", runSend},
		{"config", "kiểm tra cấu hình: canbo config check (validate the configuration)", runConfig},
		{"init", "tạo thư mục cấu hình riêng của cơ quan: canbo init THƯ_MỤC (write an office's configuration)", runInit},
		{"version", "in phiên bản (print the version)", runVersion},
	}
}

func main() {
	report.LimitMemory()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run executes one command line and returns the exit status. It is main without the
// process, so tests can drive it.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	e := &env{stdout: stdout, stderr: stderr,
		log: newPersonLogger(stderr)}
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		printUsage(stdout)
		if len(args) == 0 {
			return exitUsage
		}
		return exitOK
	}
	for _, c := range commands() {
		if c.name != args[0] {
			continue
		}
		err := c.run(ctx, e, args[1:])
		var ue usageError
		switch {
		case err == nil:
			return exitOK
		case errors.Is(err, errHelp):
			return exitOK
		case errors.Is(err, errProblemsFound):
			return exitProblems
		case errors.As(err, &ue):
			fmt.Fprintln(stderr, "canbo:", ue.err)
			return exitUsage
		default:
			fmt.Fprintln(stderr, "canbo:", err)
			return exitProblems
		}
	}
	fmt.Fprintf(stderr, "canbo: không có lệnh %q (unknown command). Gõ \"canbo --help\" để xem các lệnh.\n", args[0])
	return exitUsage
}

func printUsage(w io.Writer) {
	fmt.Fprint(w, `canbo — tổng hợp số liệu cán bộ, công chức, viên chức từ các tệp Excel của đơn vị
canbo — compliance reports from the personnel workbooks units submit

Cách dùng (usage):
  canbo <lệnh> [tùy chọn]

Các lệnh (commands):
`)
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-8s %s\n", c.name, c.short)
	}
	fmt.Fprint(w, `
Xem tùy chọn của một lệnh: canbo <lệnh> --help
`)
}
