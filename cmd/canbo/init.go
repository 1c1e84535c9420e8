package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"

	"canbo/config"
	"canbo/pipeline/outfile"
	"canbo/pipeline/schema"
)

// initOptions are what an office says of itself when it starts its configuration:
// the document header and signer of its reports.
type initOptions struct {
	parentBody, body, symbol, place string
	authority, title, name          string
}

// runInit writes an office's own configuration folder: the built-in configuration
// with the office's header and signer in report.yaml, and without what belongs to
// the samples (their groups, their resolution's targets, their units). The folder is
// written whole or not at all, and never over an existing configuration.
func runInit(ctx context.Context, e *env, args []string) error {
	var o initOptions
	f := newFlags("init", "canbo init THƯ_MỤC [tùy chọn]", `
Tạo thư mục cấu hình riêng của cơ quan (các tệp YAML có chú thích) từ cấu hình có sẵn, điền
tên cơ quan, ký hiệu, địa danh và người ký của báo cáo. Thư mục phải chưa có hoặc còn trống.
Sau đó sửa các tệp theo chú thích và chạy: canbo config check --config THƯ_MỤC
Write an office's own configuration folder (commented YAML) from the built-in one, with the
office's name, symbol, place and signer; the folder must not exist or be empty.`,
		"  0  đã tạo (written)\n  2  cách gọi sai hoặc thư mục đã có tệp (bad usage, or the folder is not empty)")
	f.string(&o.parentBody, "co-quan-chu-quan", "TÊN", "", "cơ quan chủ quản, dòng trên cùng, ví dụ \"UBND TỈNH LÀO CAI\"", "parent body, the header's first line")
	f.string(&o.body, "co-quan", "TÊN", "SỞ NỘI VỤ", "cơ quan ban hành báo cáo", "issuing body")
	f.string(&o.symbol, "ky-hieu", "KÝ_HIỆU", "BC-SNV", "ký hiệu văn bản: Số: …/KÝ_HIỆU", "document symbol")
	f.string(&o.place, "dia-danh", "TÊN", "", "địa danh ghi trước ngày tháng, ví dụ \"Lào Cai\"", "place written before the date")
	f.string(&o.authority, "tham-quyen", "TQ", "KT. GIÁM ĐỐC", "thẩm quyền ký: KT., TM., TL., Q. … (trống nếu người đứng đầu ký)", "signing authority")
	f.string(&o.title, "chuc-vu", "CHỨC_VỤ", "PHÓ GIÁM ĐỐC", "chức vụ người ký", "signer's title")
	f.string(&o.name, "nguoi-ky", "HỌ_TÊN", "", "họ tên người ký", "signer's name")
	// The folder may come before the options (canbo init THƯ_MỤC --dia-danh …), as
	// the contract writes it, or after them.
	var dirs []string
	for rest := args; ; {
		if err := f.parse(e, rest); err != nil {
			return err
		}
		if f.fs.NArg() == 0 {
			break
		}
		dirs, rest = append(dirs, f.fs.Arg(0)), f.fs.Args()[1:]
	}
	if len(dirs) != 1 {
		return usageError{errors.New("cần đúng một thư mục: canbo init THƯ_MỤC [tùy chọn]")}
	}
	dir := dirs[0]
	if entries, err := os.ReadDir(dir); err == nil && len(entries) > 0 {
		return usageError{fmt.Errorf("thư mục %s đã có %d tệp: canbo init không ghi đè cấu hình; chọn một thư mục mới hoặc còn trống", dir, len(entries))}
	} else if err != nil && !errors.Is(err, os.ErrNotExist) {
		return usageError{fmt.Errorf("không đọc được thư mục %s: %w", dir, err)}
	}
	files, err := initFiles(o)
	if err != nil {
		return err
	}
	folder, err := outfile.NewFolder(dir)
	if err != nil {
		return err
	}
	defer folder.Abort()
	for _, name := range slices.Sorted(maps.Keys(files)) {
		if err := os.WriteFile(filepath.Join(folder.Dir(), name), files[name], 0o644); err != nil {
			return outfile.Explain(fmt.Errorf("ghi %s: %w", name, err))
		}
	}
	// What is written must load: a configuration canbo itself wrote never fails its
	// first check.
	if _, err := schema.Load(os.DirFS(folder.Dir()), dir); err != nil {
		return fmt.Errorf("cấu hình vừa tạo không hợp lệ (lỗi của canbo, xin báo lại): %w", err)
	}
	if err := folder.Publish(); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "Đã tạo thư mục cấu hình %s (%d tệp).\n", dir, len(files))
	var blank []string
	for _, b := range []struct{ value, what string }{{o.place, "địa danh (--dia-danh)"}, {o.name, "họ tên người ký (--nguoi-ky)"}} {
		if strings.TrimSpace(b.value) == "" {
			blank = append(blank, b.what)
		}
	}
	if len(blank) > 0 {
		fmt.Fprintf(e.stdout, "Chưa điền %s: ghi vào mục document của report.yaml trước khi lập báo cáo.\n", strings.Join(blank, ", "))
	}
	fmt.Fprintf(e.stdout, "Việc tiếp theo:\n"+
		"  1. Sửa report.yaml: mục document (người ký, nơi nhận) và groups (tên các nhóm, mỗi thư mục con một nhóm).\n"+
		"  2. Ghi danh sách đơn vị vào units.yaml, chỉ tiêu của địa phương vào targets.yaml (xem chú thích trong tệp).\n"+
		"  3. Kiểm tra: canbo config check --config %s\n"+
		"  4. Lập báo cáo: canbo run --config %s --in THƯ_MỤC_TỆP_ĐƠN_VỊ\n", dir, dir)
	return ctx.Err()
}

// initFiles is the configuration folder for o: the built-in files, with report.yaml's
// header and signer set and its groups emptied, targets.yaml's and units.yaml's
// explanations kept and the samples' entries left out.
func initFiles(o initOptions) (map[string][]byte, error) {
	files := map[string][]byte{}
	for _, name := range append(slices.Clone(schema.Files), schema.OptionalFiles...) {
		data, err := config.FS.ReadFile(name)
		if errors.Is(err, os.ErrNotExist) {
			continue
		} else if err != nil {
			return nil, err
		}
		files[name] = data
	}
	report, err := officeReport(files[schema.FileReport], o)
	if err != nil {
		return nil, fmt.Errorf("report.yaml: %w", err)
	}
	files[schema.FileReport] = report
	files[schema.FileTargets] = explanationsOnly(files[schema.FileTargets], "rule_sets:", "rule_sets: []\n")
	files[schema.FileUnits] = explanationsOnly(files[schema.FileUnits], "units:", "units: []\n")
	return files, nil
}

// officeReport sets the document header and signer of report.yaml to o and empties
// its groups (the samples' folders), keeping every comment.
func officeReport(data []byte, o initOptions) ([]byte, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, err
	}
	if len(doc.Content) == 0 {
		return nil, errors.New("tệp trống")
	}
	root := doc.Content[0]
	set := func(m *yaml.Node, key, value string) {
		if v := mapValue(m, key); v != nil {
			v.Kind, v.Tag, v.Value, v.Style, v.Content = yaml.ScalarNode, "!!str", value, 0, nil
		}
	}
	if d := mapValue(root, "document"); d != nil {
		set(d, "parent_body", strings.ToUpper(o.parentBody))
		set(d, "body", strings.ToUpper(o.body))
		set(d, "symbol", o.symbol)
		set(d, "place", o.place)
		if s := mapValue(d, "signer"); s != nil {
			set(s, "authority", o.authority)
			set(s, "title", strings.ToUpper(o.title))
			set(s, "name", o.name)
		}
	}
	if g := mapValue(root, "groups"); g != nil {
		g.Content, g.Style = nil, yaml.FlowStyle
	}
	var out bytes.Buffer
	enc := yaml.NewEncoder(&out)
	enc.SetIndent(2)
	if err := enc.Encode(&doc); err != nil {
		return nil, err
	}
	return out.Bytes(), enc.Close()
}

// mapValue is the value of key in mapping m, nil when absent.
func mapValue(m *yaml.Node, key string) *yaml.Node {
	if m == nil || m.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1]
		}
	}
	return nil
}

// explanationsOnly keeps a file's text up to the line that starts its list (the
// comments explaining every key, with examples), and ends it with empty: the office
// writes its own entries, not the samples'. A file without that line is kept whole.
func explanationsOnly(data []byte, listLine, empty string) []byte {
	lines := strings.SplitAfter(string(data), "\n")
	var b strings.Builder
	for _, l := range lines {
		if strings.HasPrefix(l, listLine) {
			b.WriteString(empty)
			return []byte(b.String())
		}
		// The samples' note ("danh sách MẪU cho các tệp trong samples/") is not the office's.
		if strings.Contains(l, "samples/") || strings.Contains(l, "văn phòng thay bằng danh sách") {
			continue
		}
		b.WriteString(l)
	}
	return data
}
