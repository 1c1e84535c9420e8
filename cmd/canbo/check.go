package main

import (
	"context"
	"fmt"
	"path/filepath"
	"time"

	"canbo/pipeline/checktext"
	"canbo/pipeline/facts"
	"canbo/pipeline/feedback"
	"canbo/pipeline/ingest"
	"canbo/pipeline/normalize"
)

func runCheck(ctx context.Context, e *env, args []string) error {
	var cfgDir, outDir string
	var noFeedback bool
	f := newFlags("check", "canbo check [tùy chọn] TỆP|THƯ_MỤC ...", `
Kiểm tra các tệp Excel của đơn vị: tìm bảng, đọc từng người, báo từng ô cần sửa.
Với mỗi tệp có lỗi, ghi một bản sao có đánh dấu ô lỗi vào OUT/YYYY-MM/phan-hoi/.
Tệp gốc không bao giờ bị sửa.
Check unit workbooks: find the table, read every person, report each cell to fix, and
write a marked-up copy per file with problems into OUT/YYYY-MM/phan-hoi/.`,
		"  0  không có lỗi (no errors; warnings may remain)\n  1  có tệp có lỗi cần sửa, hoặc không có tệp Excel nào (some file has errors, or there was none)\n  2  sai cách gọi hoặc cấu hình lỗi (bad usage or configuration)")
	f.string(&cfgDir, "config", "THƯ_MỤC", defaultConfigDir, "thư mục cấu hình", "configuration folder")
	f.string(&outDir, "out", "THƯ_MỤC", "out", "thư mục ghi tệp phản hồi", "output folder for feedback workbooks")
	f.bool(&noFeedback, "no-feedback", false, "không ghi tệp phản hồi", "do not write feedback workbooks")
	if err := f.parse(e, args); err != nil {
		return err
	}
	inputs := f.fs.Args()
	if len(inputs) == 0 {
		return usageError{fmt.Errorf("cần ít nhất một tệp hoặc thư mục, ví dụ: canbo check samples")}
	}
	cfg, _, err := loadConfig(cfgDir, f.flagSet("config"))
	if err != nil {
		return configError(err)
	}
	cat, err := loadCatalog()
	if err != nil {
		return usageError{err}
	}
	loc := cfg.Serve.Location()
	clock := func() time.Time { return now().In(loc) }
	r := ingest.NewReader(normalize.New(cfg), ingest.Options{Now: clock})
	batch, err := r.ReadAll(ctx, inputs, cat)
	if err != nil {
		return usageError{fmt.Errorf("đọc đầu vào: %w", err)}
	}
	p, err := facts.PeriodOf("", batch.AsOf(), clock())
	if err != nil {
		return err
	}
	period := p.Month
	written := map[string]string{}
	if !noFeedback {
		written = feedback.WriteAll(ctx, e.log, batch.Files, filepath.Join(outDir, period, "phan-hoi"), nil, nil, cat)
	}
	checktext.Batch(e.stdout, batch, written, cat)
	if len(batch.Files) == 0 {
		// Nothing to check is not "no problems": the clerk pointed at the wrong place.
		fmt.Fprintln(e.stdout, "Không có tệp Excel nào (.xlsx, .xlsm, .xls) để kiểm tra: hãy kiểm tra lại tên thư mục.")
		return errProblemsFound
	}
	if batch.Counts().Errors > 0 || anyRejected(batch) {
		return errProblemsFound
	}
	return nil
}

func anyRejected(b *ingest.Batch) bool {
	for _, f := range b.Files {
		if f.Status == ingest.Rejected {
			return true
		}
	}
	return false
}

func configError(err error) error {
	return usageError{fmt.Errorf("cấu hình có lỗi (chạy \"canbo config check\" để xem đủ):\n%w", err)}
}
