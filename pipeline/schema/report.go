package schema

// Report is report.yaml: what the compliance report counts and who issues it.
type Report struct {
	// Breakdowns lists the roster dimensions (enum, ordinal, bool or derived fields)
	// counted per unit and overall, in report order.
	Breakdowns []string `yaml:"breakdowns"`
	// TrainingBreakdowns lists the training-register dimensions counted (loai_dao_tao,
	// kinh_phi).
	TrainingBreakdowns []string `yaml:"training_breakdowns"`
	Document           Document `yaml:"document"`
	// CodeLabels names the categories every dimension shares: "chua_xac_dinh" and,
	// for yes/no dimensions without a vocabulary, "true" and "false".
	CodeLabels map[string]string `yaml:"code_labels"`
	Pos        Pos               `yaml:"-"`
}

// DefaultBelowStandardRows is Document.BelowStandardRows when report.yaml sets none:
// about ten pages per standard.
const DefaultBelowStandardRows = 300

// BelowStandardLimit is how many people below each standard the PDF lists.
func (d Document) BelowStandardLimit() int {
	if d.BelowStandardRows > 0 {
		return d.BelowStandardRows
	}
	return DefaultBelowStandardRows
}

// Document is the administrative frame of the PDF report (NĐ 30/2020/NĐ-CP, Phụ lục I).
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
	// lists; it then says how many more there are and points to the Excel report,
	// which lists everyone (as summary.json does). 0 = DefaultBelowStandardRows. A
	// national roster has a hundred thousand such people: four thousand pages that
	// nobody reads, and a PDF of a gigabyte in memory.
	BelowStandardRows int `yaml:"below_standard_rows"`
}

// Signer is the signature block.
type Signer struct {
	Authority string `yaml:"authority"` // quyền hạn: "KT. GIÁM ĐỐC", "TM. ỦY BAN NHÂN DÂN"
	Title     string `yaml:"title"`     // chức vụ: "PHÓ GIÁM ĐỐC"
	Name      string `yaml:"name"`
}
