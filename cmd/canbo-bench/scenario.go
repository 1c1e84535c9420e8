package main

// The scenarios of issue 11's table ("Stream the batch"), each measured in a child
// process and printed as one table row: wall time, CPU time, peak RSS, and what came
// out. Beside them, the floor (excelize's streaming reader on the same files) and
// pandas (read_excel of every file, with the system's python3).

import (
	"bytes"
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
)

// dataSet is a folder of generated workbooks. Under -keep DIR it is written once to
// DIR/<Name>, with DIR/<Name>.json describing it, and reused by later runs.
type dataSet struct {
	Name   string `json:"name"`
	Kind   string `json:"kind"` // rosters, big-sheet or merges
	Files  int    `json:"files"`
	People int    `json:"people,omitempty"`
	Bad    int    `json:"bad"` // percent of people with a bad value
	Seed   uint64 `json:"seed"`
	Rows   int    `json:"rows,omitempty"` // big-sheet: rows of the sheet, header included
	Size   int64  `json:"size,omitempty"` // big-sheet: bytes of the sheet's XML
}

var (
	set100k   = dataSet{Name: "100k", Kind: "rosters", Files: 20, People: 100_000, Seed: 1}
	set1m     = dataSet{Name: "1m", Kind: "rosters", Files: 200, People: 1_000_000, Seed: 1}
	set1mBad  = dataSet{Name: "1m-bad", Kind: "rosters", Files: 200, People: 1_000_000, Bad: 2, Seed: 1}
	setBig    = dataSet{Name: "big-sheet", Kind: "big-sheet", Files: 1, Rows: 1_048_576, Size: 1_000_000_000}
	setMerges = dataSet{Name: "merges", Kind: "merges", Files: 1, People: 50_000, Bad: 2, Seed: 1}
)

func (d dataSet) gen() genOptions {
	return genOptions{files: d.Files, people: d.People, seed: d.Seed, bad: d.Bad}
}

// describe says what the set holds, for the table.
func (d dataSet) describe() string {
	switch d.Kind {
	case "big-sheet":
		return fmt.Sprintf("1 tệp, trang %s, %d dòng giống nhau (1 file, sheet XML, identical rows)", decimalBytes(d.Size), d.Rows)
	case "merges":
		return fmt.Sprintf("1 tệp, %d người, %d vùng gộp, %d%% sai (1 file, people, merged ranges, bad values)", d.People, d.People, d.Bad)
	}
	return fmt.Sprintf("%d người/%d tệp, %d%% sai (people/files, bad values)", d.People, d.Files, d.Bad)
}

// scenario is one row of the table.
type scenario struct {
	Name string
	Kind string // run, rerun, feedback, floor or pandas
	Set  dataSet
}

// scenarios in the order of issue 11's table, then the floor and pandas.
var scenarios = []scenario{
	{"run-1m", "run", set1m},
	{"run-100k", "run", set100k},
	{"rerun", "rerun", set1m},
	{"big-sheet", "run", setBig},
	{"merges", "feedback", setMerges},
	{"bad-2pct", "run", set1mBad},
	{"floor-1m", "floor", set1m},
	{"floor-100k", "floor", set100k},
	{"pandas-1m", "pandas", set1m},
	{"pandas-100k", "pandas", set100k},
}

// scenarioGroups are names that stand for several scenarios.
var scenarioGroups = map[string][]string{
	"floor-excelize": {"floor-1m", "floor-100k"},
	"pandas":         {"pandas-1m", "pandas-100k"},
}

func scenarioNames() string {
	var names []string
	for _, s := range scenarios {
		names = append(names, s.Name)
	}
	return strings.Join(names, ", ") + ", floor-excelize, pandas, all"
}

// parseScenarios reads -scenario: names separated by commas, groups expanded, each
// scenario once, in the order given.
func parseScenarios(list string) ([]scenario, error) {
	byName := map[string]scenario{}
	for _, s := range scenarios {
		byName[s.Name] = s
	}
	var out []scenario
	seen := map[string]bool{}
	add := func(name string) {
		if !seen[name] {
			seen[name] = true
			out = append(out, byName[name])
		}
	}
	for _, name := range strings.Split(list, ",") {
		name = strings.TrimSpace(name)
		switch {
		case name == "":
		case name == "all":
			for _, s := range scenarios {
				add(s.Name)
			}
		case scenarioGroups[name] != nil:
			for _, n := range scenarioGroups[name] {
				add(n)
			}
		case byName[name].Name != "":
			add(name)
		default:
			return nil, fmt.Errorf("không có kịch bản %q (no such scenario); có (known): %s", name, scenarioNames())
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("-scenario trống (empty); có (known): %s", scenarioNames())
	}
	return out, nil
}

// bench runs scenarios and prints their rows.
type bench struct {
	root   string // -keep: where data sets are kept; "" = a temporary folder
	in     string // -in: measure this folder instead of the scenario's data set
	python string
	maxRSS uint64 // bytes; 0 = no limit
	stdout io.Writer
	stderr io.Writer
}

// row is one line of the table.
type row struct {
	Name    string
	St      stats
	Data    string // what was measured
	Result  string // what came out
	Skipped string // why it was not measured; St is then empty
}

func (b *bench) run(ctx context.Context, list []scenario) int {
	if b.in != "" {
		if len(list) != 1 || list[0].Kind == "rerun" || list[0].Set.Kind != "rosters" {
			fmt.Fprintln(b.stderr, "canbo-bench: -in chỉ dùng với một kịch bản run-1m, run-100k, bad-2pct, floor-… hoặc pandas-… (-in takes one scenario that reads rosters)")
			return 2
		}
	}
	if b.root == "" && b.in == "" {
		tmp, err := os.MkdirTemp("", "canbo-bench-data-")
		if err != nil {
			fmt.Fprintln(b.stderr, "canbo-bench:", err)
			return 1
		}
		defer os.RemoveAll(tmp)
		b.root = tmp
		fmt.Fprintf(b.stderr, "Dữ liệu sinh vào %s và xóa khi xong; giữ lại bằng -keep THƯ_MỤC (data is generated into a temporary folder; keep it with -keep DIR)\n", tmp)
	}
	fmt.Fprint(b.stdout, tableHeader())
	code := 0
	for _, sc := range list {
		if ctx.Err() != nil {
			return 1
		}
		rows, err := b.measure(ctx, sc)
		if err != nil {
			fmt.Fprintf(b.stderr, "canbo-bench: %s: %v\n", sc.Name, err)
			code = 1
			continue
		}
		for _, r := range rows {
			fmt.Fprint(b.stdout, r.format())
		}
	}
	fmt.Fprintf(b.stdout, "máy (machine): %s\n", machine())
	return code
}

// measure runs one scenario: its data set first (generated or reused), then the
// measured step in a child process.
func (b *bench) measure(ctx context.Context, sc scenario) ([]row, error) {
	dir, data := b.in, "thư mục (folder) "+b.in
	if dir == "" {
		var err error
		if dir, err = b.ensure(ctx, sc.Set); err != nil {
			return nil, err
		}
		data = sc.Set.describe()
		if sc.Set.Kind == "big-sheet" {
			if paths, err := workbooks(dir); err == nil && len(paths) == 1 {
				if fi, err := os.Stat(paths[0]); err == nil {
					data = fmt.Sprintf("tệp %s, ", decimalBytes(fi.Size())) + strings.TrimPrefix(data, "1 tệp, ")
				}
			}
		}
	}
	switch sc.Kind {
	case "run":
		st, err := b.child(ctx, "-child", "run", "-in", dir)
		if err != nil {
			return nil, err
		}
		return []row{{Name: sc.Name, St: st, Data: data, Result: runResult(st)}}, nil
	case "rerun":
		return b.rerun(ctx, sc, dir, data)
	case "feedback":
		st, err := b.child(ctx, "-child", "feedback", "-in", dir)
		if err != nil {
			return nil, err
		}
		res := fmt.Sprintf("%d tệp phản hồi, %d vấn đề đánh dấu (feedback files, problems marked)", st.Files, st.Rows)
		if st.Err != "" {
			res = "lỗi (error): " + st.Err
		}
		return []row{{Name: sc.Name, St: st, Data: data, Result: res}}, nil
	case "floor":
		st, err := b.child(ctx, "-child", "floor", "-in", dir)
		if err != nil {
			return nil, err
		}
		res := fmt.Sprintf("excelize Rows: %d tệp, %d dòng, %d ô có giá trị (files, rows, non-empty cells)", st.Files, st.Rows, st.Cells)
		if st.Err != "" {
			res = "lỗi (error): " + st.Err
		}
		return []row{{Name: sc.Name, St: st, Data: data, Result: res}}, nil
	case "pandas":
		r := b.pandas(ctx, dir)
		r.Name, r.Data = sc.Name, data
		return []row{r}, nil
	}
	return nil, fmt.Errorf("kịch bản không rõ (unknown kind) %q", sc.Kind)
}

// runResult says what a `canbo run` produced.
func runResult(st stats) string {
	res := fmt.Sprintf("%d/%d tệp dùng được, %d người, %d lỗi, %d cảnh báo (files accepted, people, errors, warnings)",
		st.Accepted, st.Files, st.Rows, st.Errors, st.Warnings)
	if st.Err != "" {
		if st.Files == 0 {
			return "lỗi (error): " + st.Err
		}
		res += "; lỗi (error): " + st.Err
	}
	return res
}

// rerun runs `canbo run` on a copy of the set into an OUT folder, regenerates one of
// its files with another seed (same unit, same number of people, other people), and
// runs again into the same OUT: the second run is the scenario's figure.
func (b *bench) rerun(ctx context.Context, sc scenario, src, data string) ([]row, error) {
	work, err := os.MkdirTemp(b.root, "rerun-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(work)
	in, out := filepath.Join(work, "in"), filepath.Join(work, "out")
	if err := copyDir(src, in); err != nil {
		return nil, err
	}
	first, err := b.child(ctx, "-child", "run", "-in", in, "-out", out)
	if err != nil {
		return nil, err
	}
	changed := fileName(0)
	if err := os.Remove(filepath.Join(in, changed)); err != nil {
		return nil, err
	}
	if err := generateFile(in, 0, sc.Set.gen(), sc.Set.Seed+1000); err != nil {
		return nil, err
	}
	second, err := b.child(ctx, "-child", "run", "-in", in, "-out", out)
	if err != nil {
		return nil, err
	}
	return []row{
		{Name: sc.Name + " (1)", St: first, Data: data, Result: "lần đầu, vào OUT trống (first run, into an empty OUT): " + runResult(first)},
		{Name: sc.Name, St: second, Data: data, Result: fmt.Sprintf("chạy lại sau khi đổi %q (run again into the same OUT after one file changed): %s", changed, runResult(second))},
	}, nil
}

// ensure returns the folder of data set d under b.root, generating it if it is not
// there. A folder of that name that was not made for d is refused, never overwritten.
func (b *bench) ensure(ctx context.Context, d dataSet) (string, error) {
	dir := filepath.Join(b.root, d.Name)
	manifest := dir + ".json"
	want, err := json.Marshal(d)
	if err != nil {
		return "", err
	}
	if have, err := os.ReadFile(manifest); err == nil {
		if !bytes.Equal(bytes.TrimSpace(have), want) {
			return "", fmt.Errorf("%s mô tả một bộ dữ liệu khác (describes another data set): %s; xóa %s và %s hoặc dùng -keep khác (remove both or use another -keep)", manifest, have, dir, manifest)
		}
		fmt.Fprintf(b.stderr, "Dùng lại (reusing) %s: %s\n", dir, d.describe())
		return dir, nil
	}
	if _, err := os.Stat(dir); err == nil {
		return "", fmt.Errorf("%s đã có nhưng không có %s: không phải bộ dữ liệu do canbo-bench sinh trọn (exists without its description: not a complete generated set); xóa nó hoặc dùng -keep khác", dir, filepath.Base(manifest))
	}
	fmt.Fprintf(b.stderr, "Đang sinh (generating) %s: %s…\n", dir, d.describe())
	start := time.Now()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	switch d.Kind {
	case "rosters":
		err = generate(ctx, dir, d.gen())
	case "big-sheet":
		err = bigSheet(filepath.Join(dir, "UBND xã Nghĩa Tá 1GB.xlsx"), d.Rows, d.Size)
	case "merges":
		err = mergedRoster(filepath.Join(dir, "UBND xã Bằng Phúc gộp ô.xlsx"), d.People, d.Seed)
	default:
		err = fmt.Errorf("loại dữ liệu không rõ (unknown kind) %q", d.Kind)
	}
	if err != nil {
		return "", fmt.Errorf("sinh (generating) %s: %w", dir, err)
	}
	if err := os.WriteFile(manifest, append(want, '\n'), 0o644); err != nil {
		return "", err
	}
	fmt.Fprintf(b.stderr, "Đã sinh (generated) %s trong %s\n", dir, time.Since(start).Round(time.Millisecond))
	return dir, nil
}

// child runs this program again on one step (measureChild) and returns its stats, so
// that the peak RSS belongs to that step. With b.maxRSS set (Linux), a child whose
// RSS passes it is stopped, and the row says so.
func (b *bench) child(ctx context.Context, args ...string) (stats, error) {
	exe, err := os.Executable()
	if err != nil {
		return stats{}, err
	}
	cmd := exec.CommandContext(ctx, exe, args...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, b.stderr
	busy0, start := machineBusy(), time.Now()
	if err := cmd.Start(); err != nil {
		return stats{}, err
	}
	var over uint64
	done := make(chan struct{})
	var wg sync.WaitGroup
	if b.maxRSS > 0 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			status := fmt.Sprintf("/proc/%d/status", cmd.Process.Pid)
			t := time.NewTicker(50 * time.Millisecond)
			defer t.Stop()
			for {
				select {
				case <-done:
					return
				case <-t.C:
					if v, ok := procStatus(status, "VmRSS:"); ok && v > b.maxRSS {
						over = v
						cmd.Process.Kill()
						return
					}
				}
			}
		}()
	}
	err = cmd.Wait()
	busy := machineBusy()
	close(done)
	wg.Wait()
	var own time.Duration
	if ps := cmd.ProcessState; ps != nil {
		own = ps.UserTime() + ps.SystemTime()
	}
	if over > 0 {
		st := stats{Wall: time.Since(start), PeakRSS: over, RSSSource: "VmRSS, /proc/PID/status",
			Err: fmt.Sprintf("dừng sau %s vì RSS vượt -max-rss %s (stopped: RSS over the limit)", seconds(time.Since(start)), binaryBytes(b.maxRSS))}
		st.CPU, st.OtherCPU = own, otherCPU(busy0, busy, own)
		return st, nil
	}
	var st stats
	lines := bytes.Split(bytes.TrimSpace(out.Bytes()), []byte("\n"))
	if jerr := json.Unmarshal(lines[len(lines)-1], &st); jerr != nil {
		if err != nil {
			return stats{}, fmt.Errorf("đo (measuring) %s: %w", strings.Join(args, " "), err)
		}
		return stats{}, fmt.Errorf("đo (measuring) %s: kết quả không đọc được (unreadable result): %v", strings.Join(args, " "), jerr)
	}
	st.OtherCPU = otherCPU(busy0, busy, own)
	return st, nil
}

// measureChild is the child's side of bench.child: measure one step on in and print
// its stats as one JSON line. A step that ran and failed (a run that ends with a
// message) is a result, printed like any other; only a step that could not be set up
// exits 1.
func measureChild(ctx context.Context, kind, in, out string, stdout, stderr io.Writer) int {
	if in == "" {
		fmt.Fprintln(stderr, "canbo-bench: -child cần -in (needs -in)")
		return 2
	}
	var st stats
	var err error
	switch kind {
	case "run", "read":
		st, err = measure(ctx, in, kind, out)
	case "floor":
		st, err = measureFloor(ctx, in)
	case "feedback":
		st, err = measureFeedback(ctx, in)
	default:
		fmt.Fprintf(stderr, "canbo-bench: -child %q: run, read, floor hoặc feedback\n", kind)
		return 2
	}
	if err != nil && st.Err == "" {
		fmt.Fprintln(stderr, "canbo-bench:", err)
		return 1
	}
	if err := json.NewEncoder(stdout).Encode(st); err != nil {
		fmt.Fprintln(stderr, "canbo-bench:", err)
		return 1
	}
	return 0
}

//go:embed pandas_read.py
var pandasScript string

// pandasResult is what pandas_read.py prints.
type pandasResult struct {
	Skipped  string  `json:"skipped"`
	Wall     float64 `json:"wall_s"`
	CPU      float64 `json:"cpu_s"`
	PeakRSS  uint64  `json:"peak_rss"`
	BaseRSS  uint64  `json:"base_rss"`
	Source   string  `json:"rss_source"`
	Files    int     `json:"files"`
	Rows     int     `json:"rows"`
	Pandas   string  `json:"pandas"`
	Openpyxl string  `json:"openpyxl"`
}

// pandas reads every workbook in dir with pandas.read_excel (pandas_read.py), or
// says why it could not: no python3, or no pandas in it.
func (b *bench) pandas(ctx context.Context, dir string) row {
	py := b.python
	if py == "" {
		if _, err := os.Stat("/usr/bin/python3"); err == nil {
			py = "/usr/bin/python3"
		} else if p, err := exec.LookPath("python3"); err == nil {
			py = p
		} else {
			return row{Skipped: "không có python3 (no python3); chỉ định bằng -python"}
		}
	}
	cmd := exec.CommandContext(ctx, py, "-c", pandasScript, dir)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	busy0 := machineBusy()
	err := cmd.Run()
	busy := machineBusy()
	var r pandasResult
	lines := bytes.Split(bytes.TrimSpace(out.Bytes()), []byte("\n"))
	if jerr := json.Unmarshal(lines[len(lines)-1], &r); jerr != nil {
		msg := strings.TrimSpace(errb.String())
		if i := strings.LastIndex(msg, "\n"); i >= 0 {
			msg = msg[i+1:]
		}
		if err == nil {
			err = jerr
		}
		return row{Skipped: strings.TrimSpace(fmt.Sprintf("%s không chạy được (failed): %v %s", py, err, msg))}
	}
	if r.Skipped != "" {
		return row{Skipped: fmt.Sprintf("%s không có pandas (no pandas): %s", py, r.Skipped)}
	}
	st := stats{Stage: "pandas", Files: r.Files, Rows: r.Rows, Wall: time.Duration(r.Wall * float64(time.Second)),
		CPU: time.Duration(r.CPU * float64(time.Second)), PeakRSS: r.PeakRSS, RSSSource: r.Source}
	if ps := cmd.ProcessState; ps != nil {
		st.OtherCPU = otherCPU(busy0, busy, ps.UserTime()+ps.SystemTime())
	}
	return row{St: st, Result: fmt.Sprintf("pandas %s + openpyxl %s, 1 luồng (one thread): %d tệp, %d dòng (files, rows); RSS trước khi đọc (before reading) %s",
		r.Pandas, r.Openpyxl, r.Files, r.Rows, binaryBytes(r.BaseRSS))}
}

// machineBusy is the CPU time all processes of the machine have used since boot
// (Linux, /proc/stat), or -1. Taken before and after a child, less the child's own
// CPU time, it says how much other work shared the machine while it was measured:
// wall times are only as good as the machine was otherwise idle.
func machineBusy() time.Duration {
	data, err := os.ReadFile("/proc/stat")
	if err != nil {
		return -1
	}
	line, _, _ := strings.Cut(string(data), "\n")
	f := strings.Fields(line)
	if len(f) < 8 || f[0] != "cpu" {
		return -1
	}
	var ticks int64
	for i, v := range f[1:8] { // user nice system idle iowait irq softirq
		if i == 3 || i == 4 {
			continue // idle, iowait
		}
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return -1
		}
		ticks += n
	}
	if len(f) > 8 { // steal: another guest had the CPU
		if n, err := strconv.ParseInt(f[8], 10, 64); err == nil {
			ticks += n
		}
	}
	return time.Duration(ticks) * (time.Second / 100) // USER_HZ is 100 on Linux
}

// otherCPU is the CPU time the rest of the machine used between two machineBusy
// readings, apart from a measured child's own, or -1 when unknown.
func otherCPU(before, after, own time.Duration) time.Duration {
	if before < 0 || after < 0 {
		return -1
	}
	return max(after-before-own, 0)
}

// copyDir copies the regular files under src into dst.
func copyDir(src, dst string) error {
	return filepath.WalkDir(src, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, p)
		if err != nil {
			return err
		}
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		if !d.Type().IsRegular() {
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(target, data, 0o644)
	})
}

// Table columns: scenario, wall, CPU, peak RSS, then what was measured and what came out.
const (
	colName = 12
	colNum  = 10
)

func tableHeader() string {
	return padRight("kịch bản", colName) + padLeft("thời gian", colNum) + padLeft("CPU", colNum) + padLeft("RSS đỉnh", colNum+1) + "  dữ liệu → kết quả\n" +
		padRight("(scenario)", colName) + padLeft("(wall)", colNum) + padLeft("(CPU)", colNum) + padLeft("(peak RSS)", colNum+1) + "  (data → result)\n"
}

// format is the row as the table prints it; a skipped row has dashes for figures.
func (r row) format() string {
	wall, cpu, rss := "—", "—", "—"
	result := r.Result
	if r.Skipped != "" {
		result = "bỏ qua (skipped): " + r.Skipped
	} else {
		wall, rss = seconds(r.St.Wall), binaryBytes(r.St.PeakRSS)
		if r.St.CPU > 0 {
			cpu = seconds(r.St.CPU)
		}
	}
	if r.Skipped == "" && r.St.OtherCPU >= 0 {
		// The other processes' CPU time while this was measured: a busy machine
		// stretches the wall time (the CPU time much less).
		result += fmt.Sprintf(" [tiến trình khác dùng (other processes used) %s CPU]", seconds(r.St.OtherCPU))
	}
	return padRight(r.Name, colName) + padLeft(wall, colNum) + padLeft(cpu, colNum) + padLeft(rss, colNum+1) +
		"  " + r.Data + " → " + result + "\n"
}

// seconds is a duration as the table shows it: "0.84 s", "57.3 s", "110 s".
func seconds(d time.Duration) string {
	s := d.Seconds()
	switch {
	case s < 10:
		return fmt.Sprintf("%.2f s", s)
	case s < 100:
		return fmt.Sprintf("%.1f s", s)
	}
	return fmt.Sprintf("%.0f s", s)
}

// binaryBytes is a memory size: "42 MiB", "6.91 GiB".
func binaryBytes(n uint64) string {
	if n >= 1<<30 {
		return fmt.Sprintf("%.2f GiB", float64(n)/(1<<30))
	}
	return fmt.Sprintf("%.0f MiB", float64(n)/(1<<20))
}

// decimalBytes is a file size: "4.9 MB", "1.0 GB".
func decimalBytes(n int64) string {
	switch {
	case n >= 1e9:
		return fmt.Sprintf("%.1f GB", float64(n)/1e9)
	case n >= 1e6:
		return fmt.Sprintf("%.1f MB", float64(n)/1e6)
	}
	return fmt.Sprintf("%.0f kB", float64(n)/1e3)
}

// padRight and padLeft pad to a width in characters, not bytes: Vietnamese letters
// take two or three bytes each.
func padRight(s string, w int) string {
	return s + strings.Repeat(" ", max(w-utf8.RuneCountInString(s), 1))
}

func padLeft(s string, w int) string {
	return strings.Repeat(" ", max(w-utf8.RuneCountInString(s), 1)) + s
}
