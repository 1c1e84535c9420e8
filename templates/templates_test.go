package templates_test

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"canbo/pipeline/issue"
	"canbo/pipeline/mail"
	"canbo/pipeline/reporttext"
	"canbo/templates"
)

// loaders are the readers of the template files, by file: each checks its file's
// keys, so a file none of them reads would be unchecked text.
var loaders = map[string]func(fs.FS) error{
	issue.MessagesFile: func(f fs.FS) error { _, err := issue.LoadCatalog(f); return err },
	issue.LabelsFile:   func(f fs.FS) error { _, err := issue.LoadCatalog(f); return err },
	mail.TemplateFile:  func(f fs.FS) error { _, err := mail.LoadTemplates(f); return err },
}

func init() {
	for _, name := range reporttext.Files {
		loaders[name] = func(f fs.FS) error { _, err := reporttext.Load(f); return err }
	}
}

// TestShippedTemplatesLoad: every template file shipped parses with no unknown key
// and no template mistake, and is read by a loader.
func TestShippedTemplatesLoad(t *testing.T) {
	names, err := fs.Glob(templates.FS, "*.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range names {
		load, ok := loaders[name]
		if !ok {
			t.Errorf("%s is read by no loader", name)
			continue
		}
		if err := load(templates.FS); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// TestTemplateMistakesAtTheirLine: a template file is checked like a configuration
// file: each defect, written into a copy of the shipped templates, is reported at
// its line and column, in Vietnamese, an unknown key with the nearest known one.
// Before, the YAML library's English came out with at most the line of the
// enclosing block, and a misspelt template name with no line at all.
func TestTemplateMistakesAtTheirLine(t *testing.T) {
	tests := []struct {
		name, file string
		at         string // the shipped line the defect replaces
		defect     string
		line, col  int // the mistake, relative to the replaced line
		want       string
	}{
		{"unknown key", mail.TemplateFile, "  subject: >-", "  subjet: >-", 0, 3, `khóa "subjet" không dùng được trong report (có phải "subject"?)`},
		{"tab for indenting", mail.TemplateFile, "    Báo cáo đội ngũ CBCCVC tháng {{period .Period}} — {{num .Headcount}} người",
			"\tBáo cáo đội ngũ CBCCVC tháng {{period .Period}} — {{num .Headcount}} người", 0, 1, "không được dùng phím Tab để thụt lề"},
		{"misspelt name in a template", mail.TemplateFile, "    Báo cáo đội ngũ CBCCVC tháng {{period .Period}} — {{num .Headcount}} người",
			"    Báo cáo đội ngũ CBCCVC tháng {{period .Period}} — {{num .Headcout}} người", -1, 12, "dữ liệu của mẫu này không có .Headcout"},
		{"misspelt name in span_report", mail.TemplateFile, "    {{.Name}}: Báo cáo đội ngũ CBCCVC từ tháng {{.From}} đến tháng {{.To}} — {{num .Headcount}} người",
			"    {{.Name}}: Báo cáo đội ngũ CBCCVC từ tháng {{.Form}} đến tháng {{.To}} — {{num .Headcount}} người", -1, 12, "dữ liệu của mẫu này không có .Form"},
		{"unknown issue code", issue.MessagesFile, "file-encrypted: >-", "file-encryptd: >-", 0, 1, `mã "file-encryptd" không tồn tại (có phải "file-encrypted"?)`},
		{"message not indented", issue.MessagesFile,
			"  Tệp có đặt mật khẩu nên không đọc được. Hãy mở tệp, bỏ mật khẩu (Tệp › Thông tin › Bảo vệ sổ làm việc › Mã hóa bằng mật khẩu, xóa mật khẩu), lưu lại rồi gửi lại.",
			"Tệp có đặt mật khẩu nên không đọc được.", 0, 1, "thiếu dấu hai chấm"},
		{"unknown sentence", "report.yaml", "  intro: >-", "  intor: >-", 0, 10, `câu narrative "intor" không được dùng (có phải "intro"?)`},
		{"unknown function", "report.yaml", "    là {{num .Headcount}} người{{if ge .WomenShare 0.0}}, trong đó nữ {{num .Women}} người ({{pct .WomenShare}}){{end}}",
			"    là {{nmu .Headcount}} người", -2, 10, "không có hàm nmu"},
		{"label indented too far", "report-xlsx.yaml", "  xlsx_sheet_trend: Xu hướng # chỉ có khi lịch sử có từ hai kỳ trở lên",
			"   xlsx_sheet_trend: Xu hướng", 0, 4, "thụt lề không khớp với các dòng trên"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir, line := templatesWith(t, tc.file, tc.at, tc.defect)
			err := loaders[tc.file](os.DirFS(dir))
			if err == nil {
				t.Fatal("no error")
			}
			at := fmt.Sprintf("templates/%s:%d:%d: ", tc.file, line+tc.line, tc.col)
			for _, l := range strings.Split(err.Error(), "\n") {
				if strings.HasPrefix(l, at) && strings.Contains(l, tc.want) {
					return
				}
			}
			t.Errorf("error:\n%v\nwant a line at %s saying %q", err, at, tc.want)
		})
	}
}

// templatesWith writes the shipped templates into a folder with the first line of
// file that is exactly at replaced by defect, and returns the folder and that line's
// number.
func templatesWith(t *testing.T, file, at, defect string) (string, int) {
	t.Helper()
	dir := t.TempDir()
	names, err := fs.Glob(templates.FS, "*.yaml")
	if err != nil {
		t.Fatal(err)
	}
	line := 0
	for _, name := range names {
		data, err := templates.FS.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		if name == file {
			lines := strings.Split(string(data), "\n")
			for i, l := range lines {
				if l == at {
					lines[i], line = defect, i+1
					break
				}
			}
			data = []byte(strings.Join(lines, "\n"))
		}
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if line == 0 {
		t.Fatalf("%s has no line %q", file, at)
	}
	return dir, line
}
