package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"canbo/pipeline/schema"
)

// TestInit: canbo init writes a configuration folder that passes its own check,
// with the office's header and signer in report.yaml, and none of the samples'
// groups, targets or units, but every explanation; it never writes over a folder
// that has files, and takes the folder before or after the options.
func TestInit(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "cau-hinh")
	var out, errb bytes.Buffer
	code := run(context.Background(), []string{"init", dir, "--co-quan-chu-quan", "UBND tỉnh Lào Cai",
		"--dia-danh", "Lào Cai", "--nguoi-ky", "Trần Thị Bình"}, &out, &errb)
	if code != exitOK {
		t.Fatalf("exit %d: %s%s", code, out.String(), errb.String())
	}
	cfg, err := schema.Load(os.DirFS(dir), dir)
	if err != nil {
		t.Fatalf("the written folder does not load: %v", err)
	}
	d := cfg.Report.Document
	if d.ParentBody != "UBND TỈNH LÀO CAI" || d.Place != "Lào Cai" || d.Signer.Name != "Trần Thị Bình" || d.Body != "SỞ NỘI VỤ" {
		t.Errorf("document %+v: want the office's header and signer", d)
	}
	if len(cfg.Report.Groups) != 0 || len(cfg.Units.Units) != 0 || len(cfg.Targets.RuleSets) != 0 {
		t.Errorf("the samples' groups %v, units %d or rule sets %d were kept", cfg.Report.Groups, len(cfg.Units.Units), len(cfg.Targets.RuleSets))
	}
	if len(cfg.Units.Levels) == 0 {
		t.Error("units.yaml lost its levels")
	}
	for name, want := range map[string]string{schema.FileTargets: "# Mỗi chỉ tiêu (trong targets) có các khóa:",
		schema.FileUnits: "# units: các đơn vị", schema.FileReport: "# groups: tên hiển thị"} {
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(data), want) {
			t.Errorf("%s lost its explanation %q", name, want)
		}
		if strings.Contains(string(data), "samples/") {
			t.Errorf("%s still speaks of the samples", name)
		}
	}
	out.Reset()
	if code := run(context.Background(), []string{"config", "check", "--config", dir}, &out, &errb); code != exitOK {
		t.Errorf("config check of the written folder: exit %d\n%s", code, out.String())
	}
	if strings.Contains(out.String(), "Lưu ý") {
		t.Errorf("config check warns of the sample's letterhead in an office's folder:\n%s", out.String())
	}
	// The shipped sample configuration passes, with a warning that its letterhead
	// and signer are the sample's.
	out.Reset()
	if code := run(context.Background(), []string{"config", "check", "--config", "../../config"}, &out, &errb); code != exitOK ||
		!strings.Contains(out.String(), `Lưu ý: report.yaml (mục document) vẫn ghi cơ quan chủ quản "UBND TỈNH SÓC TRĂNG", địa danh "Sóc Trăng", người ký "Nguyễn Văn An" của bộ mẫu`) {
		t.Errorf("config check of the samples' configuration: exit %d\n%s", code, out.String())
	}

	// Again into the same folder: refused, nothing touched.
	before, _ := os.ReadFile(filepath.Join(dir, schema.FileReport))
	errb.Reset()
	if code := run(context.Background(), []string{"init", "--dia-danh", "Hà Giang", dir}, &out, &errb); code != exitUsage {
		t.Errorf("init over a configuration: exit %d, want %d", code, exitUsage)
	}
	if after, _ := os.ReadFile(filepath.Join(dir, schema.FileReport)); !bytes.Equal(before, after) {
		t.Error("init over a configuration changed report.yaml")
	}
	if !strings.Contains(errb.String(), "không ghi đè") {
		t.Errorf("refusal says %q", errb.String())
	}

	// Options first, folder last.
	dir2 := filepath.Join(t.TempDir(), "khac")
	if code := run(context.Background(), []string{"init", "--dia-danh", "Hà Giang", dir2}, &out, &errb); code != exitOK {
		t.Fatalf("options before the folder: exit %d: %s", code, errb.String())
	}
	if cfg, err := schema.Load(os.DirFS(dir2), dir2); err != nil || cfg.Report.Document.Place != "Hà Giang" {
		t.Errorf("options before the folder: %v, place %q", err, cfg.Report.Document.Place)
	}
}
