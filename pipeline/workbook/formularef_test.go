package workbook

import "testing"

func TestParseFormulaRef(t *testing.T) {
	tests := []struct {
		f        string
		sheet    string
		external bool
	}{
		{"'Thông tin HV'!C4", "Thông tin HV", false},
		{"PROPER(TRIM(LEFT(TRIM('Thông tin HV'!C4),LEN(TRIM('Thông tin HV'!C4))-LEN(C10))))", "Thông tin HV", false},
		{"'[1]Thông tin học viên'!A2", "", true},
		{"[1]HOME!C14", "", true},
		{"Sheet2!B7+1", "Sheet2", false},
		{`"Lớp: "&UPPER('KHÓA HỌC'!D5)`, "KHÓA HỌC", false},
		{`"a!b"&C4`, "", false},
		{"(E8+F8)/2", "", false},
		{"'It''s'!A1", "It's", false},
		{"SUM(A1:A9)", "", false},
	}
	for _, tt := range tests {
		got := parseFormulaRef(tt.f)
		if got.sheet != tt.sheet || got.external != tt.external {
			t.Errorf("parseFormulaRef(%q) = %+v, want sheet %q external %v", tt.f, got, tt.sheet, tt.external)
		}
	}
}
