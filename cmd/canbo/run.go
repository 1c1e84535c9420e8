package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"canbo/pipeline/aggregate"
	"canbo/pipeline/ingest"
	"canbo/pipeline/normalize"
	"canbo/pipeline/outfile"
	"canbo/pipeline/pdfreport"
	"canbo/pipeline/reporttext"
	"canbo/pipeline/rules"
	"canbo/pipeline/schema"
	"canbo/pipeline/summary"
	"canbo/pipeline/xlsxreport"
	"canbo/templates"
)

func runRun(ctx context.Context, e *env, args []string) error {
	var cfgDir, inDir, outDir, period string
	var noFeedback bool
	f := newFlags("run", "canbo run [--config THƯ_MỤC] [--in THƯ_MỤC] [--out THƯ_MỤC] [--period YYYY-MM]", `
Lập báo cáo của một kỳ: đọc mọi tệp Excel trong thư mục vào, kiểm tra, tính chỉ tiêu,
rồi ghi vào OUT/YYYY-MM/: bao-cao-YYYY-MM.xlsx, bao-cao-YYYY-MM.pdf, summary.json và
phan-hoi/ (bản sao có đánh dấu ô lỗi của từng tệp có lỗi). Tệp gốc không bị sửa.
Make one period's report: read every workbook in the input folder, validate, evaluate the
targets and write the Excel and PDF reports, summary.json and per-file feedback into OUT/YYYY-MM/.`,
		"  0  đã lập báo cáo (the report was written; data problems are listed in it)\n  1  không lập được báo cáo (the report could not be written)\n  2  sai cách gọi hoặc cấu hình lỗi (bad usage or configuration)")
	f.string(&cfgDir, "config", "THƯ_MỤC", defaultConfigDir, "thư mục cấu hình", "configuration folder")
	f.string(&inDir, "in", "THƯ_MỤC", "samples", "thư mục chứa các tệp Excel của đơn vị (đọc cả thư mục con)", "folder with the units' workbooks (sub-folders included)")
	f.string(&outDir, "out", "THƯ_MỤC", "out", "thư mục ghi báo cáo", "output folder")
	f.string(&period, "period", "YYYY-MM", "", "kỳ báo cáo; mặc định là tháng của ngày chốt số liệu mới nhất trong các tệp, nếu không có thì tháng hiện tại",
		"report period; default: the month of the newest as-of date in the inputs, else the current month")
	f.bool(&noFeedback, "no-feedback", false, "không ghi tệp phản hồi", "do not write feedback workbooks")
	if err := f.parse(e, args); err != nil {
		return err
	}
	if f.fs.NArg() > 0 {
		return usageError{fmt.Errorf("lệnh run không nhận tên tệp (%q); dùng --in THƯ_MỤC", f.fs.Arg(0))}
	}
	if period != "" {
		if _, err := time.Parse("2006-01", period); err != nil {
			return usageError{fmt.Errorf("--period %q không đúng dạng YYYY-MM (ví dụ 2023-09)", period)}
		}
	}
	if st, err := os.Stat(inDir); err != nil || !st.IsDir() {
		return usageError{fmt.Errorf("không tìm thấy thư mục đầu vào %q (chỉ định bằng --in THƯ_MỤC)", inDir)}
	}
	cfg, _, err := loadConfig(cfgDir, f.flagSet("config"))
	if err != nil {
		return configError(err)
	}
	set, err := rules.Compile(cfg)
	if err != nil {
		return configError(err)
	}
	cat, err := loadCatalog()
	if err != nil {
		return usageError{err}
	}
	txt, err := reporttext.Load(templates.FS)
	if err != nil {
		return usageError{err}
	}
	start := now()
	batch, err := ingest.NewReader(normalize.New(cfg), ingest.Options{Now: now}).ReadAll(ctx, []string{inDir}, cat)
	if err != nil {
		return fmt.Errorf("đọc thư mục %s: %w", inDir, err)
	}
	p, err := aggregate.PeriodOf(period, batch.AsOf(), start)
	if err != nil {
		return usageError{err}
	}
	s, err := aggregate.Build(cfg, batch, aggregate.Options{Period: p, Now: start, Rules: set})
	if err != nil {
		// The report is still complete: the record the rule failed on does not count.
		e.log.Warn("một quy tắc không tính được cho một số người", "err", err)
	}
	dir := filepath.Join(outDir, p.Month)
	if !noFeedback {
		writeFeedback(ctx, e, batch, filepath.Join(dir, "phan-hoi"))
	}
	written, err := writeReports(ctx, dir, s, cfg, txt, start)
	if err != nil {
		return err
	}
	printRun(e.stdout, s, written)
	return nil
}

// writeReports writes the period's outputs, each atomically, and returns their paths:
// the Excel report, the PDF and summary.json, in the order a person opens them.
func writeReports(ctx context.Context, dir string, s *summary.Summary, cfg *schema.Config, txt *reporttext.Text, now time.Time) ([]string, error) {
	base := filepath.Join(dir, "bao-cao-"+s.Period)
	xlsx, pdf, js := base+".xlsx", base+".pdf", filepath.Join(dir, "summary.json")
	if err := xlsxreport.Write(ctx, xlsx, s, cfg, txt); err != nil {
		return nil, fmt.Errorf("ghi báo cáo Excel %s: %w", xlsx, err)
	}
	if err := pdfreport.Write(ctx, pdf, s, cfg, txt, now); err != nil {
		return nil, fmt.Errorf("ghi báo cáo PDF %s: %w", pdf, err)
	}
	data, err := s.JSON()
	if err != nil {
		return nil, err
	}
	if err := outfile.WriteBytes(js, data, 0o644); err != nil {
		return nil, fmt.Errorf("ghi %s: %w", js, err)
	}
	return []string{xlsx, pdf, js}, ctx.Err()
}

// printRun tells the user what the report found and where it is.
func printRun(w io.Writer, s *summary.Summary, written []string) {
	used, rejected := 0, 0
	for _, f := range s.Files {
		switch f.Status {
		case ingest.Accepted:
			used++
		case ingest.Rejected:
			rejected++
		}
	}
	fmt.Fprintf(w, "Kỳ báo cáo %s (số liệu tính đến %s): %d tệp dùng được, %d tệp không dùng được.\n",
		reporttext.Period(s.Period), reporttext.Date(s.AsOf), used, rejected)
	fmt.Fprintf(w, "%s người ở %d đơn vị; %s lượt đào tạo, bồi dưỡng; %d lỗi, %d cảnh báo trong dữ liệu.\n",
		reporttext.Int(s.Total.Headcount), len(s.Units), reporttext.Int(s.Training.Total), s.Issues.Errors, s.Issues.Warnings)
	var all, met, unitAll, unitMet int
	for _, t := range s.Targets {
		switch {
		case t.Unit == "":
			all++
			if t.Met {
				met++
			}
		default:
			unitAll++
			if t.Met {
				unitMet++
			}
		}
	}
	if all+unitAll > 0 {
		fmt.Fprintf(w, "Chỉ tiêu chung: đạt %d/%d; chỉ tiêu theo từng đơn vị: đạt %d/%d.\n", met, all, unitMet, unitAll)
	}
	if n := len(s.BelowStandard); n > 0 {
		fmt.Fprintf(w, "%s người chưa đạt tiêu chuẩn chức danh (danh sách trong báo cáo).\n", reporttext.Int(n))
	}
	fmt.Fprintln(w, "Đã ghi:")
	for _, p := range written {
		fmt.Fprintf(w, "  %s\n", p)
	}
}
