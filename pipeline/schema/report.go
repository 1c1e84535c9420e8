package schema

import (
	"slices"
	"strings"
)

// Report is report.yaml: what the compliance report counts and who issues it.
type Report struct {
	// Breakdowns lists the roster dimensions (enum, ordinal, bool or derived fields)
	// counted per unit and overall, in report order.
	Breakdowns []string `yaml:"breakdowns"`
	// TrainingBreakdowns lists the training-register dimensions counted (loai_dao_tao,
	// kinh_phi).
	TrainingBreakdowns []string `yaml:"training_breakdowns"`
	// TraineeBreakdowns lists roster dimensions (dan_toc_thieu_so, gioi_tinh …) the
	// training figures are also split by: a training register does not say who the
	// trainee is beyond name, ID and birth date, so these come from the roster row
	// that lists the same person (facts/trainees.go).
	TraineeBreakdowns []string `yaml:"trainee_breakdowns"`
	Document          Document `yaml:"document"`
	// CodeLabels names the categories every dimension shares: "chua_xac_dinh" and,
	// for yes/no dimensions without a vocabulary, "true" and "false".
	CodeLabels map[string]string `yaml:"code_labels"`
	// Groups names the input sub-folders for the report: folder (as summary.json's
	// groups[].group, "kon-tum/dai-hoc") → the name a leader reads ("Lớp đại học
	// tại Kon Tum"). A folder name is a clerk's filing, never shown in the report; a
	// group without a name here is called by its units instead, and `canbo run`
	// says which groups lack one.
	Groups map[string]string `yaml:"groups"`
	Pos    Pos               `yaml:"-"`
}

// GroupName is the display name report.yaml gives a group (input sub-folder), ""
// when none. Folders are matched with either slash, as Windows clerks write them.
func (r Report) GroupName(group string) string {
	if n := r.Groups[group]; n != "" {
		return strings.TrimSpace(n)
	}
	for k, n := range r.Groups {
		if folderKey(k) == group {
			return strings.TrimSpace(n)
		}
	}
	return ""
}

// folderKey is a group folder as configuration writes it ("kon-tum\dai-hoc/") the
// way reading names it: "/"-separated, no slash around.
func folderKey(k string) string {
	return strings.Trim(strings.ReplaceAll(strings.TrimSpace(k), `\`, "/"), "/")
}

// GroupFolders are the group folders the configuration names, "/"-separated: the
// keys of report.yaml's groups and the groups of units.yaml's units. Reading knows a
// group folder by them when the input is that folder itself (ingest.Options.Folders).
func (c *Config) GroupFolders() map[string]bool {
	out := map[string]bool{}
	add := func(k string) {
		if k = folderKey(k); k != "" {
			out[k] = true
		}
	}
	for k := range c.Report.Groups {
		add(k)
	}
	for _, u := range c.Units.Units {
		add(u.Group.Value)
	}
	return out
}

// BelowStandardLimit is how many people below each standard the PDF and Word
// appendix name: report.yaml's below_standard_rows, 0 (the default) for none, the
// counts by unit only.
func (d Document) BelowStandardLimit() int {
	return max(d.BelowStandardRows, 0)
}

// Document is the administrative frame and words of the report document, the PDF
// and the Word file alike (NĐ 30/2020/NĐ-CP, Phụ lục I).
type Document struct {
	ParentBody string   `yaml:"parent_body"` // cơ quan chủ quản: "UBND TỈNH SÓC TRĂNG"
	Body       string   `yaml:"body"`        // cơ quan ban hành: "SỞ NỘI VỤ"
	Symbol     string   `yaml:"symbol"`      // ký hiệu: "BC-SNV" → "Số:      /BC-SNV"
	Place      string   `yaml:"place"`       // địa danh: "Sóc Trăng"
	Signer     Signer   `yaml:"signer"`
	Recipients []string `yaml:"recipients"` // nơi nhận, one line each
	Font       string   `yaml:"font"`       // optional path to a .ttf (e.g. C:\Windows\Fonts\times.ttf); default Liberation Serif
	FontBold   string   `yaml:"font_bold"`
	// BelowStandardRows is how many people below each standard the PDF's appendix
	// names after the counts by unit; it then says how many more there are and points
	// to the Excel report, which lists everyone (as summary.json does). 0, the
	// default, names nobody: the appendix is the counts a leader reads, and points to
	// the Excel list. A national roster has a hundred thousand such people: four
	// thousand pages that nobody reads, and a PDF of a gigabyte in memory.
	BelowStandardRows int `yaml:"below_standard_rows"`
	// Recommendations are the sentences of the body's last section (Phương hướng,
	// kiến nghị), in order, with {placeholders} filled from the period's figures
	// (RecommendationPlaceholders). A sentence whose placeholder has nothing to say
	// (no target missed, no data error) is left out, so that the section only asks
	// for what the data shows; the office rewrites them in the Word file.
	Recommendations []string `yaml:"recommendations"`
	// Appendices chooses the appendices of the PDF and Word report, among
	// AppendixKeys; empty = all of them. A leader's report may carry only the
	// structure table, the rest staying in the Excel report. The per-unit targets
	// appendix of a long table is not among them: it is the body's own table.
	Appendices []string `yaml:"appendices"`
}

// AppendixKeys are the appendices document.appendices may name, in the order the
// report puts them.
var AppendixKeys = []string{"structure", "training", "standards", "problems"}

// WantsAppendix reports whether the report carries appendix key (AppendixKeys).
func (d Document) WantsAppendix(key string) bool {
	return len(d.Appendices) == 0 || slices.Contains(d.Appendices, key)
}

// RecommendationPlaceholders are the {placeholders} a recommendation may use, with
// what each is; pipeline/reporttext fills them.
var RecommendationPlaceholders = []struct{ Key, Meaning string }{
	{"{ky}", "kỳ báo cáo, ví dụ 09/2023"},
	{"{ky_sau}", "kỳ báo cáo sau, ví dụ 10/2023"},
	{"{chi_tieu_chua_dat}", "tên các chỉ tiêu chung chưa đạt"},
	{"{so_chi_tieu_chua_dat}", "số chỉ tiêu chung chưa đạt"},
	{"{con_thieu}", "tổng số người còn thiếu để đạt các chỉ tiêu chung"},
	{"{thoi_han}", "thời hạn sớm nhất của các chỉ tiêu chưa đạt"},
	{"{don_vi_con_xa}", "các đơn vị còn xa chỉ tiêu hoặc tiêu chuẩn nhất"},
	{"{so_nguoi_chua_dat_chuan}", "số người chưa đạt tiêu chuẩn chức danh"},
	{"{so_loi}", "số lỗi dữ liệu cần đơn vị sửa"},
	{"{so_tep_khong_dung_duoc}", "số tệp không đọc được"},
}

// Signer is the signature block.
type Signer struct {
	Authority string `yaml:"authority"` // quyền hạn: "KT. GIÁM ĐỐC", "TM. ỦY BAN NHÂN DÂN"
	Title     string `yaml:"title"`     // chức vụ: "PHÓ GIÁM ĐỐC"
	Name      string `yaml:"name"`
}
