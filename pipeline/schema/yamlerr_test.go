package schema_test

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"canbo/config"
	"canbo/pipeline/schema"
)

// TestMistakesAtTheirLine: each defect is written into a copy of the shipped
// configuration, deep in a file, and must be reported at the line and column a clerk
// has to fix, in Vietnamese. The YAML library names the start of the enclosing block
// instead (an indentation mistake in the field list came out at the "fields:" line,
// column 0, in English).
func TestMistakesAtTheirLine(t *testing.T) {
	tests := []struct {
		name, file string
		at         string // the shipped line the defect replaces
		defect     string
		col        int    // where on that line the mistake is
		want       string // a Vietnamese phrase the message must have
	}{
		{"list item indented one space too far", schema.FileSchema, "  - code: ton_giao", "   - code: ton_giao", 4,
			"thụt lề không khớp với các dòng trên"},
		{"key indented one space too little", schema.FileSchema, "    label: Tôn giáo", "   label: Tôn giáo", 4,
			"thụt lề không khớp với các dòng trên"},
		{"key indented one space too far", schema.FileSchema, "    label: Tôn giáo", "     label: Tôn giáo", 6,
			"thụt lề không khớp với các dòng trên"},
		{"tab for indenting", schema.FileSchema, "    headers: [ngày sinh, ngày tháng năm sinh, sinh ngày]",
			"\t    headers: [ngày sinh, ngày tháng năm sinh, sinh ngày]", 1, "không được dùng phím Tab để thụt lề"},
		{"tab amid spaces", schema.FileSchema, "    year_headers: [năm sinh, sinh năm]",
			"  \t  year_headers: [năm sinh, sinh năm]", 3, "không được dùng phím Tab để thụt lề"},
		{"colon in a value", schema.FileSchema, "    label: Tôn giáo", "    label: Tôn giáo: có", 20,
			"hãy đặt cả giá trị trong ngoặc kép"},
		{"colon missing after a key", schema.FileSchema, "    label: Tôn giáo", "    label Tôn giáo", 5,
			"thiếu dấu hai chấm"},
		{"quote left open", schema.FileSchema, "    label: Tôn giáo", `    label: "Tôn giáo`, 12,
			"chưa đóng"},
		{"bracket left open", schema.FileSchema, "    headers: [tôn giáo]", "    headers: [tôn giáo", 14,
			"chưa đóng bằng ]"},
		{"unknown key", schema.FileSchema, "    label: Tôn giáo", "    lable: Tôn giáo", 5,
			`có phải "label"?`},
		{"key written twice", schema.FileSchema, "    type: text", "    type: text\n    type: text", 5,
			"lặp lại"},
		{"a word for a number", schema.FileLayout, "max_age: 80                # tuổi lớn nhất hợp lý",
			"max_age: tám mươi", 10, "cần một số nguyên"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir, line := configWith(t, tc.file, tc.at, tc.defect)
			if strings.Contains(tc.defect, "\n") {
				line++ // the second of the two lines written
			}
			_, err := schema.Load(os.DirFS(dir), "config")
			var ps schema.Problems
			if !errors.As(err, &ps) {
				t.Fatalf("err = %v, want Problems", err)
			}
			at := fmt.Sprintf("config/%s:%d:%d: ", tc.file, line, tc.col)
			if len(ps) != 1 || !strings.HasPrefix(ps[0].String(), at) || !strings.Contains(ps[0].Msg, tc.want) {
				t.Errorf("problems:\n%s\nwant one, at %s, saying %q", ps, at, tc.want)
			}
		})
	}
}

// configWith writes the shipped configuration into a folder with the first line
// that is exactly at replaced by defect, and returns the folder and that line's
// number.
func configWith(t *testing.T, file, at, defect string) (string, int) {
	t.Helper()
	dir := t.TempDir()
	for _, f := range schema.Files {
		data, err := config.FS.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, f), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	data, err := os.ReadFile(filepath.Join(dir, file))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(data), "\n")
	for i, l := range lines {
		if l == at {
			lines[i] = defect
			if err := os.WriteFile(filepath.Join(dir, file), []byte(strings.Join(lines, "\n")), 0o644); err != nil {
				t.Fatal(err)
			}
			return dir, i + 1
		}
	}
	t.Fatalf("%s has no line %q", file, at)
	return "", 0
}
