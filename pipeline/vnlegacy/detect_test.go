package vnlegacy

import "testing"

func TestFontEncoding(t *testing.T) {
	for _, tc := range []struct {
		font string
		enc  Encoding
		caps bool
	}{
		{".VnTime", TCVN3, false}, {".VnTimeH", TCVN3, true}, {".vntimeh", TCVN3, true}, {".VNTIMEH", TCVN3, true},
		{".VnArial", TCVN3, false}, {".VnArialH", TCVN3, true}, {".VnArial NarrowH", TCVN3, true},
		{".VnCentury Schoolbook", TCVN3, false}, {"VnTime", TCVN3, false}, {"VNtime", TCVN3, false},
		{"VNtimes new roman", TCVN3, false}, {" .VnTime ", TCVN3, false},
		{"VNI-Times", VNI, false}, {"vni-helve", VNI, false}, {"VNI-Helve-Condense", VNI, false}, {"VNI Times", VNI, false},
		{"Times New Roman", Unicode, false}, {"Calibri", Unicode, false}, {"Arial", Unicode, false}, {"", Unicode, false},
		{"Verdana", Unicode, false}, {"VNPT Sans", Unicode, false}, {"Vni", VNI, false},
	} {
		enc, caps := FontEncoding(tc.font)
		if enc != tc.enc || caps != tc.caps {
			t.Errorf("FontEncoding(%q) = %s, %v; want %s, %v", tc.font, enc, caps, tc.enc, tc.caps)
		}
	}
}

func TestHasUnicodeVietnamese(t *testing.T) {
	for s, want := range map[string]bool{
		"Hà Nội": true, "Người": true, "ạ": true, "Đinh": true, "Nguye\u0302\u0303n": true, "Thái": false,
		"Hµ Néi": false, "Nguyeãn": false, "ƒ": false, "": false, "Tr\u00adêng": false,
	} {
		if got := HasUnicodeVietnamese(s); got != want {
			t.Errorf("HasUnicodeVietnamese(%q) = %v", s, got)
		}
	}
}

func column(font string, texts ...string) Encoding {
	var d Detector
	for _, s := range texts {
		d.Add(s, font)
	}
	return d.Verdict()
}

func TestVerdict(t *testing.T) {
	names := []string{"Nguyễn Thị Hương", "Trần Văn Lực", "A Thút", "Y Bích", "Lê Thị Ánh", "Phạm Quốc Việt", "Hoàng Ngọc Thái"}
	tc3 := func(ss []string) []string {
		out := make([]string, len(ss))
		for i, s := range ss {
			out[i] = EncodeTCVN3(s, false)
		}
		return out
	}
	vni := func(ss []string) []string {
		out := make([]string, len(ss))
		for i, s := range ss {
			out[i] = EncodeVNI(s)
		}
		return out
	}
	for _, tc := range []struct {
		name  string
		font  string
		texts []string
		want  Encoding
	}{
		{"unicode", "Times New Roman", names, Unicode},
		{"unicode in a .VnTime font (converted file)", ".VnTime", names, Unicode},
		{"latin-1-only unicode", "Times New Roman", []string{"Thái", "Tày", "Công an", "Kinh", "Nùng"}, Unicode},
		{"latin-1-only unicode, old font", ".VnTime", []string{"Thái", "Tày", "Công an", "Nùng", "Mèo Vạc"}, Unicode},
		{"ascii", "Times New Roman", []string{"Nam", "x", "12/5/1980"}, Unknown},
		{"tcvn3 by font", ".VnTime", tc3(names), TCVN3},
		{"tcvn3 by text", "Times New Roman", tc3(names), TCVN3},
		{"vni by font", "VNI-Times", vni(names), VNI},
		{"vni by text", "Calibri", vni(names), VNI},
		{"vni text in a tcvn3 font", ".VnTime", vni(names), Unsure},
		{"one short tcvn3 cell", "", []string{"N÷"}, TCVN3},
		{"foreign words", "Arial", []string{"Müller", "José María"}, Unicode},
		{"one vni cell", "Arial", []string{"Nguyeãn"}, VNI},
		{"neither reading works", "Arial", []string{"Tr¶ Ñöôøng"}, Unsure},
		{"mixed, mostly tcvn3", ".VnTime", append(tc3(names), "Nguyễn Văn An"), TCVN3},
		{"mixed, mostly unicode", "Arial", append(names, EncodeTCVN3("Lò Văn Páo", false)), Unicode},
	} {
		if got := column(tc.font, tc.texts...); got != tc.want {
			var d Detector
			for _, s := range tc.texts {
				d.Add(s, tc.font)
			}
			t.Errorf("%s: %s, want %s (%+v)", tc.name, got, tc.want, d)
		}
	}
}

func TestConvertCell(t *testing.T) {
	for _, tc := range []struct {
		col, sheet Encoding
		byFont     bool
		text, font string
		want       string
		from       Encoding
	}{
		{TCVN3, Unknown, false, "Hµ Néi", ".VnTime", "Hà Nội", TCVN3},
		{TCVN3, Unknown, false, "Hµ Néi", "Arial", "Hà Nội", TCVN3},
		{TCVN3, Unknown, false, "Hà Nội", ".VnTime", "Hà Nội", Unicode},      // already Unicode
		{TCVN3, Unknown, false, "Tày", ".VnTime", "Tày", Unicode},            // reads better as it is
		{TCVN3, Unknown, false, "Nguyeãn", "VNI-Times", "Nguyễn", VNI},       // the cell's own font wins
		{TCVN3, Unknown, false, "danh s¸ch", ".VnTimeH", "DANH SÁCH", TCVN3}, // capital font
		{Unicode, Unknown, false, "DANH S¸CH", ".VnTimeH", "DANH SÁCH", TCVN3},
		{Unicode, Unknown, false, "Thái", ".VnTime", "Thái", Unicode},   // tie: a Unicode column stays
		{Unicode, Unknown, false, "Hµ Néi", "Arial", "Hµ Néi", Unicode}, // no font: the column decides
		{Unknown, TCVN3, false, "Hµ Néi", "Arial", "Hà Nội", TCVN3},
		{Unknown, TCVN3, false, "Thái", "Arial", "Thái", Unicode},
		{Unknown, Unknown, false, "Hµ Néi", "Arial", "Hµ Néi", Unicode},
		{Unknown, Unknown, false, "Hµ Néi", ".VnTime", "Hà Nội", TCVN3},
		{Unsure, TCVN3, false, "Hµ Néi", ".VnTime", "Hµ Néi", Unicode},
		{VNI, Unknown, false, "Nam", "VNI-Times", "Nam", Unicode},
		{TCVN3, Unknown, true, "Thái", "Times New Roman", "Thái", Unicode}, // font-backed column: another font must read better
		{TCVN3, Unknown, true, "Hµ Néi", "Times New Roman", "Hà Nội", TCVN3},
		{TCVN3, Unknown, false, "Thái", "Times New Roman", "Thỏi", TCVN3}, // text-decided column: TCVN3 for "Thỏi"
	} {
		got, from := ConvertCell(Column{Enc: tc.col, ByFont: tc.byFont}, tc.sheet, tc.text, tc.font)
		if got != tc.want || from != tc.from {
			t.Errorf("ConvertCell(%s, %s, %q, %q) = %q, %s; want %q, %s", tc.col, tc.sheet, tc.text, tc.font, got, from, tc.want, tc.from)
		}
	}
}

func TestSymbolsAreNotEvidence(t *testing.T) {
	for _, s := range []string{"×", "·", "½", "°", "x ×"} {
		if v := column("Arial", s, s, s, s); v != Unicode && v != Unknown {
			t.Errorf("a column of %q: %s", s, v)
		}
	}
}
