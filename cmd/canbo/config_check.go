package main

import (
	"canbo/config"
	"context"
	"errors"
	"fmt"
	"strings"

	"canbo/pipeline/mail"
	"canbo/pipeline/reporttext"
	"canbo/pipeline/rules"
	"canbo/pipeline/schedule"
	"canbo/pipeline/schema"
	"canbo/pipeline/serve"
	"canbo/templates"
)

func runConfig(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 || args[0] != "check" {
		if len(args) > 0 && (args[0] == "--help" || args[0] == "-h") {
			fmt.Fprintln(e.stdout, "Cách dùng (usage): canbo config check [--config THƯ_MỤC]")
			return errHelp
		}
		return usageError{errors.New("cách dùng: canbo config check [--config THƯ_MỤC]")}
	}
	var dir string
	f := newFlags("config check", "canbo config check [--config THƯ_MỤC]", `
Đọc và kiểm tra toàn bộ cấu hình; in mọi lỗi cùng lúc, mỗi lỗi kèm tệp:dòng:cột.
Load and validate the whole configuration; print every problem with file:line:column.`,
		"  0  cấu hình hợp lệ (the configuration is valid)\n  2  cấu hình có lỗi (the configuration has problems)")
	f.string(&dir, "config", "THƯ_MỤC", defaultConfigDir, "thư mục cấu hình", "configuration folder")
	if err := f.parse(e, args[1:]); err != nil {
		return err
	}
	cfg, where, err := loadConfig(dir, f.flagSet("config"))
	var ps schema.Problems
	if err != nil && !errors.As(err, &ps) {
		return err
	}
	var set *rules.Set
	if cfg != nil {
		// The rules are checked even when an optional file has problems, so that
		// every problem is printed at once.
		var rps schema.Problems
		set, err = rules.Compile(cfg)
		if errors.As(err, &rps) {
			ps = append(ps, rps...)
		} else if err != nil {
			return usageError{err}
		}
		if e := checkServe(cfg); e != nil {
			ps = append(ps, e...)
		}
	}
	if len(ps) > 0 {
		ps.Sort()
		for _, p := range ps {
			fmt.Fprintln(e.stdout, p)
		}
		return usageError{fmt.Errorf("cấu hình có %d lỗi", len(ps))}
	}
	if _, err := loadCatalog(); err != nil {
		return usageError{err}
	}
	if _, err := reporttext.Load(templates.FS); err != nil {
		return usageError{err}
	}
	tm, err := mail.LoadTemplates(templates.FS)
	if err != nil {
		return usageError{err}
	}
	targets := 0
	for _, rs := range set.RuleSets() {
		targets += len(rs.Targets)
	}
	fmt.Fprintf(e.stdout, "Cấu hình hợp lệ (%s): %d trường, %d bộ giá trị, %d loại bảng, %d quy tắc phân loại đào tạo, %d chỉ tiêu, %d tiêu chuẩn chức danh.\n",
		strings.Trim(where, "()"), len(cfg.Schema.Fields), len(cfg.Vocab), len(cfg.Schema.Datasets), len(cfg.Training.Rules), targets, len(set.AllStandards()))
	for _, n := range tm.Notes() {
		fmt.Fprintf(e.stdout, "Lưu ý: %s.\n", n)
	}
	if same := sampleLetterhead(cfg); len(same) > 0 {
		fmt.Fprintf(e.stdout, "Lưu ý: report.yaml (mục document) vẫn ghi %s của bộ mẫu: báo cáo sẽ mang tên đó. Hãy sửa mục document, hoặc tạo cấu hình riêng: canbo init THƯ_MỤC.\n",
			strings.Join(same, ", "))
	}
	return nil
}

// sampleLetterhead lists what of cfg's letterhead and signer is still the shipped
// sample's (the Sóc Trăng office and its signer): a configuration that checks
// cleanly would otherwise send reports under another office's name.
func sampleLetterhead(cfg *schema.Config) []string {
	sample, err := schema.Load(config.FS, "(cấu hình có sẵn)")
	if err != nil {
		return nil
	}
	d, s := cfg.Report.Document, sample.Report.Document
	var same []string
	for _, f := range []struct{ got, sample, what string }{
		{d.ParentBody, s.ParentBody, "cơ quan chủ quản"},
		{d.Place, s.Place, "địa danh"},
		{d.Signer.Name, s.Signer.Name, "người ký"},
	} {
		if f.sample != "" && f.got == f.sample {
			same = append(same, fmt.Sprintf("%s %q", f.what, f.got))
		}
	}
	return same
}

// checkServe checks serve.yaml, when there is one: its folders, schedule and mail
// settings (without connecting), so that `canbo serve` does not fail at night. Each
// problem is shown where the value is written.
func checkServe(cfg *schema.Config) schema.Problems {
	sv := cfg.Serve
	if sv.Pos.Line == 0 {
		return nil // no serve.yaml: run, check and config check need none
	}
	ps := sv.Problems(serve.Check(sv))
	if sv.Schedule != "" {
		if _, err := schedule.Parse(sv.Schedule); err != nil {
			ps = append(ps, sv.Problems(&schema.KeyError{Key: "schedule", Msg: err.Error()})...)
		}
	}
	if sv.Mail.Host != "" {
		ps = append(ps, sv.Problems(mail.CheckConfig(sv.Mail))...)
	}
	return ps
}
