package schema

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"canbo/pipeline/textfold"
)

var codeRE = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)

var fieldTypes = map[string]bool{TypeText: true, TypeID: true, TypeDate: true, TypeBool: true,
	TypeEnum: true, TypeOrdinal: true, TypeNumber: true}

// check verifies references and uniqueness across files once every file decoded.
func (l *loader) check(c *Config) {
	l.checkVocab(c)
	l.checkFields(c)
	l.checkDerived(c)
	l.checkDatasets(c)
	l.checkTraining(c)
	l.checkReport(c)
	l.checkPins(c)
	l.checkAbbreviations(c)
	l.checkUnits(c)
	l.checkForms(c)
}

// checkAbbreviations verifies that an abbreviation is one word and is not written in
// both lists with two meanings.
func (l *loader) checkAbbreviations(c *Config) {
	pos := Pos{File: l.path(FileSchema)}
	seen := map[string]string{}
	for _, m := range []map[string]string{c.Schema.ValueAbbreviations, c.Schema.Abbreviations} {
		for k, v := range m {
			key := textfold.Key(k)
			if key == "" || strings.Contains(key, " ") {
				l.add(pos, "chữ viết tắt %q phải là một từ", k)
				continue
			}
			if prev, ok := seen[key]; ok && textfold.Key(prev) != textfold.Key(v) {
				l.add(pos, "chữ viết tắt %q có hai nghĩa: %q và %q", k, prev, v)
			}
			seen[key] = v
		}
	}
}

// checkReport verifies that every dimension the report counts is a field with
// categories: an enum, ordinal or bool, input or derived.
func (l *loader) checkReport(c *Config) {
	r := &c.Report
	var names []string
	for _, f := range c.Schema.Fields {
		names = append(names, f.Code)
	}
	for _, d := range c.Schema.Derived {
		names = append(names, d.Code)
	}
	dims := func(key string, list []string) {
		for _, code := range list {
			typ := ""
			if f := c.Field(code); f != nil {
				typ = f.Type
			} else if d := derivedByCode(c, code); d != nil {
				typ = d.Type
			}
			switch typ {
			case TypeEnum, TypeOrdinal, TypeBool:
			case "":
				msg := fmt.Sprintf("%s: trường %q chưa khai báo trong schema.yaml", key, code)
				if s := textfold.Closest(code, names); s != "" {
					msg += fmt.Sprintf(" (có phải %q?)", s)
				}
				l.add(r.Pos, "%s", msg)
			default:
				l.add(r.Pos, "%s: trường %q kiểu %s không chia nhóm được; chỉ dùng trường enum, ordinal hoặc bool", key, code, typ)
			}
		}
	}
	dims("breakdowns", r.Breakdowns)
	dims("training_breakdowns", r.TrainingBreakdowns)
	dims("trainee_breakdowns", r.TraineeBreakdowns)
	l.checkTrainee(c)
	if n := r.Document.BelowStandardRows; n < 0 {
		l.add(r.Pos, "document.below_standard_rows = %d: phải là số người (ví dụ 300), hoặc 0 hay bỏ trống để phụ lục chỉ có bảng số người theo đơn vị", n)
	}
	for _, a := range r.Document.Appendices {
		if !slices.Contains(AppendixKeys, a) {
			msg := fmt.Sprintf("document.appendices: không có phụ lục %q; chọn trong: %s", a, strings.Join(AppendixKeys, ", "))
			if s := textfold.Closest(a, AppendixKeys); s != "" {
				msg = fmt.Sprintf("document.appendices: không có phụ lục %q (có phải %q?); chọn trong: %s", a, s, strings.Join(AppendixKeys, ", "))
			}
			l.add(r.Pos, "%s", msg)
		}
	}
	l.checkGroups(r)
	l.checkRecommendations(r)
}

// checkGroups verifies that every group has a name to show and that two folders are
// not shown under one name, which would read as one group twice.
func (l *loader) checkGroups(r *Report) {
	keys := make([]string, 0, len(r.Groups))
	for k := range r.Groups {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	shownBy, folders := map[string]string{}, map[string]string{}
	for _, k := range keys {
		name := strings.TrimSpace(r.Groups[k])
		folder := groupKey(k)
		if folder == "" {
			l.add(r.Pos, "groups: tên thư mục trống (viết tên thư mục con của thư mục đầu vào, ví dụ cho-don)")
			continue
		}
		if prev, dup := folders[folder]; dup {
			l.add(r.Pos, "groups: %q và %q là cùng một thư mục; chỉ viết một lần", prev, k)
		}
		folders[folder] = k
		if name == "" {
			l.add(r.Pos, "groups: thư mục %q chưa có tên hiển thị (ví dụ %s: Huyện Chợ Đồn)", k, k)
			continue
		}
		if prev, dup := shownBy[textfold.Key(name)]; dup {
			l.add(r.Pos, "groups: thư mục %q và %q cùng tên hiển thị %q; mỗi nhóm cần một tên riêng", prev, k, name)
		}
		shownBy[textfold.Key(name)] = k
	}
}

// checkRecommendations verifies that each recommendation uses only placeholders the
// report fills, so that a typo is not printed to the leader as "{con_thieux}".
func (l *loader) checkRecommendations(r *Report) {
	var known []string
	for _, p := range RecommendationPlaceholders {
		known = append(known, p.Key)
	}
	for i, s := range r.Document.Recommendations {
		if strings.TrimSpace(s) == "" {
			l.add(r.Pos, "document.recommendations, câu %d: câu trống", i+1)
		}
		for _, ph := range Placeholders(s) {
			if slices.Contains(known, ph) {
				continue
			}
			msg := fmt.Sprintf("document.recommendations, câu %d: chỗ %s không có số liệu để điền", i+1, ph)
			if c := textfold.Closest(ph, known); c != "" {
				msg += fmt.Sprintf(" (có phải %s?)", c)
			} else {
				msg += "; dùng được: " + strings.Join(known, " ")
			}
			l.add(r.Pos, "%s", msg)
		}
	}
}

// placeholderRE finds the {placeholders} of a sentence from the configuration.
var placeholderRE = regexp.MustCompile(`\{[^{}\s]*\}`)

// Placeholders lists the {placeholders} of a sentence from the configuration, as
// config check and the report that fills them read them.
func Placeholders(s string) []string { return placeholderRE.FindAllString(s, -1) }

func (l *loader) code(pos Pos, what, code string) bool {
	switch {
	case code == "":
		l.add(pos, "%s thiếu \"code\"", what)
	case !codeRE.MatchString(code):
		l.add(pos, "mã %q của %s chỉ được có chữ thường không dấu, số và dấu gạch dưới (ví dụ trinh_do_chuyen_mon)", code, what)
	case code == Unknown:
		l.add(pos, "mã %q dành cho giá trị chưa xác định, không khai báo được", code)
	default:
		return true
	}
	return false
}

func (l *loader) checkVocab(c *Config) {
	for name, v := range c.Vocab {
		if !codeRE.MatchString(name) {
			l.add(v.Pos, "tên bộ giá trị %q chỉ được có chữ thường không dấu, số và dấu gạch dưới", name)
		}
		if len(v.Values) == 0 {
			l.add(v.Pos, "bộ giá trị %q chưa có giá trị nào (values)", name)
		}
		codes := map[string]bool{}
		aliasOwner := map[string]string{}
		for _, val := range v.Values {
			if !l.code(val.Pos, "giá trị trong "+name, val.Code) {
				continue
			}
			if codes[val.Code] {
				l.add(val.Pos, "mã %q lặp lại trong bộ giá trị %q", val.Code, name)
			}
			codes[val.Code] = true
			if val.Label == "" {
				l.add(val.Pos, "giá trị %q thiếu \"label\" (tên hiển thị)", val.Code)
			}
			for _, a := range append([]string{val.Label}, val.Aliases...) {
				k := textfold.Key(a)
				if k == "" {
					continue
				}
				if other, ok := aliasOwner[k]; ok && other != val.Code {
					l.add(val.Pos, "cách viết %q vừa là %q vừa là %q trong bộ giá trị %q", a, other, val.Code, name)
				}
				aliasOwner[k] = val.Code
			}
		}
	}
}

func (l *loader) checkFields(c *Config) {
	seen := map[string]bool{}
	headerOwner := map[string]string{}
	for _, f := range c.Schema.Fields {
		if !l.code(f.Pos, "trường", f.Code) {
			continue
		}
		if seen[f.Code] {
			l.add(f.Pos, "trường %q khai báo hai lần", f.Code)
		}
		seen[f.Code] = true
		if f.Label == "" {
			l.add(f.Pos, "trường %q thiếu \"label\" (tên tiếng Việt)", f.Code)
		}
		if !fieldTypes[f.Type] {
			l.add(f.Pos, "trường %q có kiểu %q không hợp lệ; dùng một trong: text, id, date, bool, enum, ordinal, number", f.Code, f.Type)
		}
		switch f.Type {
		case TypeEnum, TypeOrdinal:
			v := c.Vocab[f.Vocabulary]
			switch {
			case f.Vocabulary == "":
				l.add(f.Pos, "trường %q kiểu %s cần \"vocabulary\"", f.Code, f.Type)
			case v == nil:
				l.add(f.Pos, "trường %q dùng bộ giá trị %q chưa có trong %s", f.Code, f.Vocabulary, FileVocab)
			case f.Type == TypeOrdinal && !v.Ordered:
				l.add(f.Pos, "trường %q kiểu ordinal cần bộ giá trị có thứ bậc (ordered: true trong %q)", f.Code, f.Vocabulary)
			}
		case TypeBool:
			if f.Vocabulary != "" {
				v := c.Vocab[f.Vocabulary]
				if v == nil {
					l.add(f.Pos, "trường %q dùng bộ giá trị %q chưa có trong %s", f.Code, f.Vocabulary, FileVocab)
				} else if _, ok := v.Rank("true"); !ok {
					l.add(f.Pos, "bộ giá trị %q của trường có/không %q phải có mã true và false", f.Vocabulary, f.Code)
				}
			}
		}
		if f.Unmarked != "" {
			if v := c.VocabOf(f); v == nil {
				l.add(f.Pos, "\"unmarked\" chỉ dùng cho trường có bộ giá trị")
			} else if _, ok := v.Rank(f.Unmarked); !ok {
				l.add(f.Pos, "\"unmarked\" = %q không có trong bộ giá trị %q", f.Unmarked, f.Vocabulary)
			}
		}
		for _, h := range append(append([]string{}, f.Headers...), f.YearHeaders...) {
			k := textfold.Key(h)
			// One header may name fields of different datasets ("Hình thức": form of study in
			// a training register, kind of move in a movements register): the sheet's other
			// columns choose the dataset, then the field. Within one dataset it is ambiguous.
			if other, ok := headerOwner[k]; ok && other != f.Code && datasetOf(c, other, f.Code) {
				l.add(f.Pos, "tiêu đề cột %q khai báo cho cả %q và %q (cùng một loại bảng)", h, other, f.Code)
			}
			headerOwner[k] = f.Code
		}
		if f.Period != nil {
			to := c.Field(f.Period.To)
			switch {
			case f.Type != TypeDate:
				l.add(f.Pos, "\"period\" chỉ dùng cho trường ngày tháng (type: date)")
			case to == nil || to.Type != TypeDate || to == f:
				l.add(f.Pos, "\"period\" của trường %q: \"to\" = %q phải là một trường ngày tháng khác", f.Code, f.Period.To)
			case len(f.Period.Headers) == 0:
				l.add(f.Pos, "\"period\" của trường %q cần \"headers\"", f.Code)
			}
		}
		if len(f.YearHeaders) > 0 && f.Type != TypeDate {
			l.add(f.Pos, "\"year_headers\" chỉ dùng cho trường ngày tháng (type: date)")
		}
		l.checkParts(f)
	}
}

// checkParts verifies a field's parts: a date has exactly day, month and year; a text
// field has at least two named parts; no other type is written in parts.
func (l *loader) checkParts(f *Field) {
	if len(f.Parts) == 0 {
		return
	}
	seen := map[string]bool{}
	for _, p := range f.Parts {
		if p.Part == "" || len(p.Headers) == 0 {
			l.add(p.Pos, "mỗi phần của trường %q cần \"part\" (tên phần) và \"headers\"", f.Code)
		}
		if seen[p.Part] {
			l.add(p.Pos, "phần %q của trường %q khai báo hai lần", p.Part, f.Code)
		}
		seen[p.Part] = true
	}
	switch f.Type {
	case TypeDate:
		for _, p := range f.Parts {
			if p.Part != PartDay && p.Part != PartMonth && p.Part != PartYear {
				l.add(p.Pos, "phần của trường ngày tháng %q phải là day, month hoặc year, không phải %q", f.Code, p.Part)
			}
		}
		if len(seen) != 3 {
			l.add(f.Pos, "trường ngày tháng %q cần đủ ba phần day, month, year", f.Code)
		}
	case TypeText:
		if len(seen) < 2 {
			l.add(f.Pos, "trường %q cần ít nhất hai phần", f.Code)
		}
	default:
		l.add(f.Pos, "\"parts\" chỉ dùng cho trường chữ (text) hoặc ngày tháng (date), không dùng cho kiểu %s", f.Type)
	}
}

func (l *loader) checkDerived(c *Config) {
	for _, d := range c.Schema.Derived {
		if !l.code(d.Pos, "trường tính toán", d.Code) {
			continue
		}
		if c.Field(d.Code) != nil {
			l.add(d.Pos, "trường tính toán %q trùng mã với một trường đã có", d.Code)
		}
		if d.Label == "" {
			l.add(d.Pos, "trường tính toán %q thiếu \"label\"", d.Code)
		}
		kinds := 0
		for _, set := range []bool{len(d.TrueUnless) > 0, d.Age, d.Below != nil, len(d.Bands) > 0} {
			if set {
				kinds++
			}
		}
		if kinds != 1 {
			l.add(d.Pos, "trường tính toán %q cần đúng một cách tính: true_unless, age, below hoặc bands", d.Code)
		}
		if d.From == "" {
			l.add(d.Pos, "trường tính toán %q thiếu \"from\"", d.Code)
		} else if c.Field(d.From) == nil && derivedByCode(c, d.From) == nil {
			l.add(d.Pos, "trường tính toán %q tính từ %q, chưa khai báo", d.Code, d.From)
		}
		prev := -1
		for i, b := range d.Bands {
			if b.Code == "" || b.Label == "" {
				l.add(d.Pos, "nhóm thứ %d của %q cần \"code\" và \"label\"", i+1, d.Code)
			}
			if b.Max == nil && i != len(d.Bands)-1 {
				l.add(d.Pos, "chỉ nhóm cuối của %q được bỏ trống \"max\"", d.Code)
			}
			if b.Max != nil {
				if *b.Max <= prev {
					l.add(d.Pos, "các nhóm của %q phải có \"max\" tăng dần", d.Code)
				}
				prev = *b.Max
			}
		}
	}
}

func derivedByCode(c *Config, code string) *Derived {
	for _, d := range c.Schema.Derived {
		if d.Code == code {
			return d
		}
	}
	return nil
}

func (l *loader) checkDatasets(c *Config) {
	if len(c.Schema.Datasets) == 0 {
		l.add(Pos{File: l.path(FileSchema)}, "chưa khai báo bảng dữ liệu nào (datasets)")
	}
	seen := map[string]bool{}
	for _, d := range c.Schema.Datasets {
		if !l.code(d.Pos, "bảng dữ liệu", d.Code) {
			continue
		}
		if seen[d.Code] {
			l.add(d.Pos, "bảng dữ liệu %q khai báo hai lần", d.Code)
		}
		seen[d.Code] = true
		in := map[string]bool{}
		for _, f := range d.Fields {
			if c.Field(f) == nil {
				l.add(d.Pos, "bảng %q: trường %q chưa khai báo trong fields", d.Code, f)
			}
			in[f] = true
		}
		for _, list := range [][]string{d.Required, d.IdentifyAll, d.IdentifyAny} {
			for _, f := range list {
				if !in[f] {
					l.add(d.Pos, "bảng %q: trường %q phải có trong danh sách fields của bảng", d.Code, f)
				}
			}
		}
		if len(d.IdentifyAll)+len(d.IdentifyAny) == 0 {
			l.add(d.Pos, "bảng %q cần identify_all hoặc identify_any để nhận ra trang tính", d.Code)
		}
	}
}

func (l *loader) checkTraining(c *Config) {
	t := c.Training
	pos := Pos{File: l.path(FileTraining)}
	f := c.Field(t.Field)
	if f == nil {
		l.add(pos, "\"field\" = %q chưa khai báo trong %s", t.Field, FileSchema)
		return
	}
	if c.Field(t.From) == nil {
		l.add(pos, "\"from\" = %q chưa khai báo trong %s", t.From, FileSchema)
	}
	v := c.VocabOf(f)
	if v == nil {
		l.add(pos, "trường %q cần một bộ giá trị để phân loại", t.Field)
		return
	}
	for _, r := range t.Rules {
		if _, ok := v.Rank(r.Code); !ok {
			l.add(r.Pos, "loại %q không có trong bộ giá trị %q", r.Code, v.Code)
		}
		if len(r.Words) == 0 {
			l.add(r.Pos, "quy tắc %q chưa có từ khóa (words)", r.Code)
		}
	}
	if _, ok := v.Rank(t.Otherwise); !ok {
		l.add(pos, "\"otherwise\" = %q không có trong bộ giá trị %q", t.Otherwise, v.Code)
	}
	l.checkFromName(c)
}

// checkFromName verifies each field read off a course name: a field of the training
// register with a vocabulary to look for, whose skipped spellings are its own.
func (l *loader) checkFromName(c *Config) {
	for _, nf := range c.Training.FromName {
		f := c.Field(nf.Field)
		if f == nil {
			l.add(nf.Pos, "\"field\" = %q chưa khai báo trong %s", nf.Field, FileSchema)
			continue
		}
		if f.Code == c.Training.Field {
			l.add(nf.Pos, "trường %q đã được phân loại theo \"rules\", không đọc thêm theo bộ giá trị", f.Code)
		}
		v := c.VocabOf(f)
		if v == nil {
			l.add(nf.Pos, "trường %q cần một bộ giá trị để tìm trong tên lớp", f.Code)
			continue
		}
		if c.Field(c.Training.From) != nil && !datasetOf(c, f.Code, c.Training.From) {
			l.add(nf.Pos, "trường %q không cùng một bảng với %q", f.Code, c.Training.From)
		}
		spell := map[string]bool{}
		for _, val := range v.Values {
			for _, a := range append([]string{val.Label}, val.Aliases...) {
				spell[textfold.Key(a)] = true
			}
		}
		for _, s := range nf.Skip {
			if !spell[textfold.Key(s)] {
				l.add(nf.Pos, "\"skip\": %q không phải cách viết nào của bộ giá trị %q", s, v.Code)
			}
		}
	}
}

// datasetOf reports whether some dataset lists both fields.
func datasetOf(c *Config, a, b string) bool {
	for _, d := range c.Schema.Datasets {
		if slices.Contains(d.Fields, a) && slices.Contains(d.Fields, b) {
			return true
		}
	}
	return false
}

// checkTrainee verifies that each trainee dimension is something a roster row says
// (a roster field or a derived one): the trainee's attributes are taken from the
// roster, so a training-register field there would always be "chưa xác định".
func (l *loader) checkTrainee(c *Config) {
	roster := c.Dataset("roster")
	for _, code := range c.Report.TraineeBreakdowns {
		if derivedByCode(c, code) != nil || c.Field(code) == nil || roster == nil {
			continue // derived from roster fields, or already reported as undeclared
		}
		if !slices.Contains(roster.Fields, code) {
			l.add(c.Report.Pos, "trainee_breakdowns: trường %q không có trong danh sách cán bộ (datasets: roster) nên không lấy được cho người học; chỉ dùng trường của danh sách hoặc trường tính ra (dan_toc_thieu_so, nhom_tuoi …)", code)
		}
	}
}
