// Command canbo-bench measures how fast canbo reads unit workbooks and how much
// memory it needs. It generates a folder of realistic rosters (title block, merged
// two-row header, Vietnamese names, dates as text and as serials, about 2% bad
// values), then times `canbo run` on them (or reading only, -stage read).
//
//	go run ./cmd/canbo-bench                          # 200 workbooks, 100,000 people
//	go run ./cmd/canbo-bench -files 20 -people 5000   # a quick run
//	go run ./cmd/canbo-bench -keep /tmp/bench-in      # keep the generated workbooks
//	go run ./cmd/canbo-bench -in /tmp/bench-in        # measure an existing folder
//	go run ./cmd/canbo-bench -cpuprofile cpu.prof     # then: go tool pprof cpu.prof
//
// With -scenario it measures the rows of issue 11's table instead (scenario.go), one
// table row each (wall, CPU, peak RSS), beside the excelize floor and pandas:
//
//	go run ./cmd/canbo-bench -scenario run-100k,merges,big-sheet
//	go run ./cmd/canbo-bench -scenario all -keep /tmp/bench-data   # data generated once, reused
//
// The measured step is measure (measure.go). After generating, the program runs
// itself again with -in (or -child) so that the peak RSS it reports belongs to the
// measured step only, not to excelize writing the inputs.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"runtime"
	"runtime/pprof"
	"strings"
	"time"

	"canbo/pipeline/report"
)

func main() {
	report.LimitMemory() // as canbo itself runs
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("canbo-bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	files := fs.Int("files", 200, "số tệp sinh ra (number of workbooks to generate)")
	people := fs.Int("people", 100_000, "tổng số người trong các tệp (people in all workbooks together)")
	keep := fs.String("keep", "", "ghi các tệp sinh ra vào THƯ_MỤC và giữ lại; với -scenario: mỗi bộ dữ liệu một thư mục con, sinh một lần rồi dùng lại (write the workbooks to DIR and keep them; with -scenario: one sub-folder per data set, generated once and reused)")
	in := fs.String("in", "", "không sinh tệp, đo THƯ_MỤC có sẵn (measure an existing folder instead of generating)")
	cpuprofile := fs.String("cpuprofile", "", "ghi hồ sơ CPU của bước đo vào TỆP (write a CPU profile of the measured step)")
	seed := fs.Uint64("seed", 1, "hạt giống sinh dữ liệu (generator seed)")
	stage := fs.String("stage", "run", "bước đo: run (cả canbo run: đọc, tính, ghi Excel, PDF, summary.json) hoặc read (chỉ đọc) (what to measure: the whole run, or reading only)")
	inproc := fs.Bool("inproc", false, "đo ngay trong tiến trình này sau khi sinh tệp; RSS đỉnh khi đó gồm cả bước sinh (measure in this process; peak RSS then includes generation)")
	bad := fs.Int("bad", 2, "phần trăm số người có một giá trị sai; 0: không có vấn đề nào; các kịch bản tự chọn (percent of people with a bad value; 0: no problem at all; scenarios set their own)")
	scenario := fs.String("scenario", "", "đo các kịch bản của issue 11, cách nhau bởi dấu phẩy, hoặc all (measure issue 11's scenarios, comma-separated, or all): "+scenarioNames())
	python := fs.String("python", "", "python3 có pandas cho kịch bản pandas; mặc định /usr/bin/python3, rồi python3 trong PATH (python with pandas for the pandas scenarios)")
	maxRSS := fs.Float64("max-rss", 0, "dừng một phép đo khi RSS vượt số GiB này, 0: không giới hạn; chỉ trên Linux (stop a measurement above this many GiB of RSS; Linux only)")
	child := fs.String("child", "", "dùng nội bộ: đo run, floor hoặc feedback trên -in, in JSON (internal: measure one step on -in and print JSON)")
	out := fs.String("out", "", "dùng nội bộ với -child run: thư mục báo cáo, giữ lại (internal, with -child run: the report folder, kept)")
	if err := fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			return 0
		}
		return 2
	}
	if *stage != "run" && *stage != "read" {
		fmt.Fprintf(stderr, "canbo-bench: -stage phải là run hoặc read (got %q)\n", *stage)
		return 2
	}
	if *child != "" {
		return measureChild(ctx, *child, *in, *out, stdout, stderr)
	}
	if *scenario != "" {
		list, err := parseScenarios(*scenario)
		if err != nil {
			fmt.Fprintln(stderr, "canbo-bench:", err)
			return 2
		}
		b := &bench{root: *keep, in: *in, python: *python, maxRSS: uint64(*maxRSS * (1 << 30)), stdout: stdout, stderr: stderr}
		return b.run(ctx, list)
	}
	if *in != "" {
		return measureAndPrint(ctx, *in, *stage, *cpuprofile, stdout, stderr)
	}

	dir := *keep
	if dir == "" {
		tmp, err := os.MkdirTemp("", "canbo-bench-")
		if err != nil {
			fmt.Fprintln(stderr, "canbo-bench:", err)
			return 1
		}
		defer os.RemoveAll(tmp)
		dir = tmp
	}
	start := time.Now()
	if err := generate(ctx, dir, genOptions{files: *files, people: *people, seed: *seed, bad: *bad}); err != nil {
		fmt.Fprintln(stderr, "canbo-bench: sinh tệp (generating):", err)
		return 1
	}
	fmt.Fprintf(stdout, "Đã sinh (generated) %d tệp, %d người vào %s trong %s\n", *files, *people, dir,
		time.Since(start).Round(time.Millisecond))
	if *inproc {
		return measureAndPrint(ctx, dir, *stage, *cpuprofile, stdout, stderr)
	}
	exe, err := os.Executable()
	if err != nil {
		fmt.Fprintln(stderr, "canbo-bench:", err)
		return 1
	}
	childArgs := []string{"-in", dir, "-stage", *stage}
	if *cpuprofile != "" {
		childArgs = append(childArgs, "-cpuprofile", *cpuprofile)
	}
	cmd := exec.CommandContext(ctx, exe, childArgs...)
	cmd.Stdout, cmd.Stderr = stdout, stderr
	if err := cmd.Run(); err != nil {
		fmt.Fprintln(stderr, "canbo-bench: đo (measuring):", err)
		return 1
	}
	return 0
}

// measureAndPrint measures dir and prints the numbers.
func measureAndPrint(ctx context.Context, dir, stage, cpuprofile string, stdout, stderr io.Writer) int {
	if cpuprofile != "" {
		f, err := os.Create(cpuprofile)
		if err != nil {
			fmt.Fprintln(stderr, "canbo-bench:", err)
			return 1
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			fmt.Fprintln(stderr, "canbo-bench:", err)
			return 1
		}
	}
	st, err := measure(ctx, dir, stage, "")
	if cpuprofile != "" {
		pprof.StopCPUProfile()
	}
	if err != nil {
		fmt.Fprintln(stderr, "canbo-bench:", err)
		return 1
	}
	st.print(stdout, dir)
	return 0
}

func (s stats) print(w io.Writer, dir string) {
	mib := func(b uint64) string { return fmt.Sprintf("%.1f MiB", float64(b)/(1<<20)) }
	fmt.Fprintf(w, "%s %s\n", map[string]string{"read": "Đọc (read)", "run": "canbo run (read, count, write reports)"}[s.Stage], dir)
	fmt.Fprintf(w, "  tệp (files):              %d (%d dùng được/accepted, %d không dùng được/rejected, %d bỏ qua/ignored)\n",
		s.Files, s.Accepted, s.Rejected, s.Ignored)
	fmt.Fprintf(w, "  dòng (rows read):         %d (%d lỗi/errors, %d cảnh báo/warnings)\n", s.Rows, s.Errors, s.Warnings)
	fmt.Fprintf(w, "  thời gian (wall):         %s\n", s.Wall.Round(time.Millisecond))
	fmt.Fprintf(w, "  tốc độ (rows/s):          %.0f\n", s.RowsPerSec())
	if s.CPU > 0 {
		fmt.Fprintf(w, "  thời gian CPU (CPU time): %s (%.0f dòng/giây CPU, rows per CPU-second)\n",
			s.CPU.Round(time.Millisecond), float64(s.Rows)/s.CPU.Seconds())
	}
	fmt.Fprintf(w, "  RSS đỉnh (peak RSS):      %s (%s)\n", mib(s.PeakRSS), s.RSSSource)
	fmt.Fprintf(w, "  heap Go đỉnh (Go heap):   %s (bộ nhớ Go tối đa/Go runtime total %s)\n", mib(s.HeapPeak), mib(s.GoTotalPeak))
	fmt.Fprintf(w, "  giữ lại sau khi đọc (retained): %s (heap sống sau GC, kết quả còn giữ; live heap after GC with the batch held)\n", mib(s.Retained))
	fmt.Fprintf(w, "  máy (machine):            %s\n", machine())
}

// machine describes where the numbers were taken.
func machine() string {
	s := fmt.Sprintf("%s/%s, %d CPU, GOMAXPROCS=%d, %s", runtime.GOOS, runtime.GOARCH, runtime.NumCPU(),
		runtime.GOMAXPROCS(0), runtime.Version())
	if data, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, line := range strings.Split(string(data), "\n") {
			if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
				s += ", " + strings.TrimSpace(v)
				break
			}
		}
	}
	return s
}
