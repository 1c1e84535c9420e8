package schema

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// The YAML library says "yaml: line N: problem". N is not where the mistake is: it
// is where the enclosing block starts (a whole list of fields, dozens of lines up),
// counted from 0 for parser errors and from 1 for scanner errors, and there is no
// column. The functions here find the line and column a clerk has to fix and say in
// Vietnamese what to do.

var yamlLine = regexp.MustCompile(`^line (\d+): (.*)$`)

// syntaxProblem is a YAML syntax error at the line and column of the mistake.
func syntaxProblem(file string, data []byte, err error) Problem {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	reported := 0
	if sm := yamlLine.FindStringSubmatch(msg); sm != nil {
		reported, _ = strconv.Atoi(sm[1])
		msg = sm[2]
	}
	lines := splitLines(data)
	n, quoted := mistakeLine(lines, reported, err.Error())
	kind := msg // what went wrong, in the library's words
	if quoted {
		kind = msgUnclosedQuote
	}
	if n == 0 {
		if reported == 0 {
			return Problem{Pos: Pos{File: file}, Msg: explainSyntax(kind, "") + " (" + msg + ")"}
		}
		n = min(reported, len(lines))
	}
	line := ""
	if n >= 1 && n <= len(lines) {
		line = lines[n-1]
	}
	return Problem{Pos: Pos{File: file, Line: n, Col: mistakeColumn(line, kind)}, Msg: explainSyntax(kind, line) + " (" + msg + ")"}
}

// msgUnclosedQuote is the library's words for a quoted value the file ends in.
const msgUnclosedQuote = "found unexpected end of stream"

// splitLines cuts the text into lines, each keeping its end, so that joining a
// prefix of them gives a prefix of the text.
func splitLines(data []byte) []string {
	s := string(data)
	var lines []string
	for s != "" {
		i := strings.IndexByte(s, '\n')
		if i < 0 {
			lines = append(lines, s)
			break
		}
		lines = append(lines, s[:i+1])
		s = s[i+1:]
	}
	return lines
}

// mistakeLine is the first line whose text, with every line before it, makes the
// parser fail exactly as the whole file did: the mistake is on it, since the lines
// before parse (or fail otherwise, only for being cut short). The search starts at
// the line the library named, which is never after the mistake. 0: not found.
//
// A quote left open makes the value run on to the next quote, lines below, and the
// parser fails only there. So when the lines before the one found end inside a
// quoted value, the mistake is the line where that value starts, and quoted is true.
func mistakeLine(lines []string, reported int, whole string) (n int, quoted bool) {
	var b strings.Builder
	quoteAt := 0
	for i, l := range lines {
		b.WriteString(l)
		if i+1 < reported {
			continue
		}
		var node yaml.Node
		err := yaml.Unmarshal([]byte(b.String()), &node)
		switch {
		case err == nil:
			quoteAt = 0
		case err.Error() == whole:
			if quoteAt > 0 && quoteAt <= i {
				return quoteAt, true
			}
			return i + 1, false
		default:
			quoteAt = 0
			if sm := yamlLine.FindStringSubmatch(strings.TrimPrefix(err.Error(), "yaml: ")); sm != nil && sm[2] == msgUnclosedQuote {
				quoteAt, _ = strconv.Atoi(sm[1])
			}
		}
	}
	return 0, false
}

// mistakeColumn is the 1-based column (in characters, as the library counts them) of
// the mistake on the line: a tab used for indenting, a second "key: " on a line that
// may have only one, or else the first character of the line.
func mistakeColumn(line, msg string) int {
	indent := len(line) - len(strings.TrimLeft(line, " \t"))
	if i := strings.IndexByte(line[:indent], '\t'); i >= 0 {
		return i + 1
	}
	at := -1
	switch {
	case strings.Contains(msg, "mapping values are not allowed"):
		at = secondColon(line)
	case msg == msgUnclosedQuote:
		at = openQuote(line)
	case strings.Contains(msg, "expected ',' or ']'"):
		at = strings.LastIndexByte(line, '[')
	case strings.Contains(msg, "expected ',' or '}'"):
		at = strings.LastIndexByte(line, '{')
	}
	if at >= 0 {
		return utf8.RuneCountInString(line[:at]) + 1
	}
	if strings.TrimSpace(line) == "" {
		return 1
	}
	return utf8.RuneCountInString(line[:indent]) + 1
}

// secondColon is the byte offset of a ": " after the line's first one, outside
// quotes, or -1: "label: Chức vụ: trưởng phòng" has a value that must be quoted.
func secondColon(line string) int {
	seen := false
	var quote byte
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '#' && (i == 0 || line[i-1] == ' '):
			return -1
		case c == ':' && (i+1 == len(line) || line[i+1] == ' ' || line[i+1] == '\n' || line[i+1] == '\r'):
			if seen {
				return i
			}
			seen = true
		}
	}
	return -1
}

// openQuote is the byte offset of a quote the line opens and does not close, or -1.
func openQuote(line string) int {
	at := -1
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch {
		case at >= 0:
			if c == line[at] {
				at = -1
			} else if c == '\\' && line[at] == '"' {
				i++ // an escaped character, \" among them
			}
		case c == '"' || c == '\'':
			at = i
		case c == '#' && (i == 0 || line[i-1] == ' '):
			return -1
		}
	}
	return at
}

// explainSyntax says in Vietnamese what is wrong and what to do; callers keep the
// library's words after it, in brackets, for whoever helps the clerk.
func explainSyntax(msg, line string) string {
	indent := line[:len(line)-len(strings.TrimLeft(line, " \t"))]
	var vi string
	switch {
	case strings.Contains(indent, "\t"), strings.Contains(msg, "tab character"):
		vi = "không được dùng phím Tab để thụt lề; hãy xóa Tab và thụt lề bằng dấu cách"
	case strings.Contains(msg, "mapping values are not allowed") && secondColon(line) >= 0:
		vi = "giá trị có dấu hai chấm: hãy đặt cả giá trị trong ngoặc kép, ví dụ label: \"Chức vụ: trưởng phòng\""
	case strings.Contains(msg, "did not find expected key"), strings.Contains(msg, "did not find expected '-' indicator"),
		strings.Contains(msg, "mapping values are not allowed"), strings.Contains(msg, "block sequence entries are not allowed"):
		vi = "thụt lề không khớp với các dòng trên: các khóa cùng cấp phải thẳng cột với nhau, mục danh sách \"- \" thẳng cột với mục trước; hãy sửa số dấu cách đầu dòng này"
	case strings.Contains(msg, "could not find expected ':'"):
		vi = "thiếu dấu hai chấm sau tên khóa (ví dụ label: Tôn giáo), hoặc dòng này thụt lề sai"
	case strings.Contains(msg, "did not find expected ',' or ']'"):
		vi = "danh sách mở bằng [ chưa đóng bằng ] (hoặc thiếu dấu phẩy giữa hai mục)"
	case strings.Contains(msg, "did not find expected ',' or '}'"):
		vi = "nhóm mở bằng { chưa đóng bằng } (hoặc thiếu dấu phẩy giữa hai mục)"
	case msg == msgUnclosedQuote:
		vi = "ngoặc kép (hoặc ngoặc đơn) mở ở đây chưa đóng: hãy thêm dấu đóng ngoặc ở cuối giá trị"
	case strings.Contains(msg, "found unknown escape character"), strings.Contains(msg, "escape code"):
		vi = "trong ngoặc kép, dấu \\ phải gấp đôi (\"D:\\\\canbo\"); hoặc dùng ngoặc đơn ('D:\\canbo') hay bỏ ngoặc"
	case strings.Contains(msg, "did not find expected node content"):
		vi = "thiếu giá trị ở đây, hoặc giá trị bắt đầu bằng ký tự đặc biệt: hãy đặt giá trị trong ngoặc kép"
	case strings.Contains(msg, "found character that cannot start any token"), strings.Contains(msg, "did not find expected alphabetic or numeric character"),
		strings.Contains(msg, "unknown anchor"), strings.Contains(msg, "found undefined tag handle"):
		vi = "giá trị bắt đầu bằng ký tự đặc biệt (@ ` * & ! % |): hãy đặt cả giá trị trong ngoặc kép"
	case strings.Contains(msg, "found unexpected document indicator"):
		vi = "dòng bắt đầu bằng --- hoặc ... tách tệp làm hai: hãy xóa dòng này hoặc đặt giá trị trong ngoặc kép"
	default:
		vi = "lỗi cú pháp YAML: kiểm tra thụt lề (chỉ dùng dấu cách), dấu hai chấm sau tên khóa và ngoặc kép"
	}
	return vi
}

// decodeProblems turns the errors of decoding a parsed file into Go values into
// Problems at the value's line and column.
func decodeProblems(file string, data []byte, err error) Problems {
	var te *yaml.TypeError
	if !errors.As(err, &te) {
		return Problems{syntaxProblem(file, data, err)}
	}
	lines := splitLines(data)
	var ps Problems
	for _, m := range te.Errors {
		sm := yamlLine.FindStringSubmatch(m)
		if sm == nil {
			ps = append(ps, Problem{Pos: Pos{File: file}, Msg: explainType(m)})
			continue
		}
		n, _ := strconv.Atoi(sm[1])
		pos := Pos{File: file, Line: n, Col: 1}
		if n >= 1 && n <= len(lines) {
			pos.Col = valueColumn(lines[n-1], sm[2])
		}
		ps = append(ps, Problem{Pos: pos, Msg: explainType(sm[2])})
	}
	return ps
}

var quotedValue = regexp.MustCompile("`([^`]*)`")

// valueColumn is the column of the value a decoding error quotes ("cannot unmarshal
// !!str `abc` into int"), found on its line; else the line's first character.
func valueColumn(line, msg string) int {
	if sm := quotedValue.FindStringSubmatch(msg); sm != nil && sm[1] != "" {
		if i := strings.Index(line, strings.TrimSuffix(sm[1], "...")); i >= 0 {
			if i > 0 && (line[i-1] == '"' || line[i-1] == '\'') {
				i--
			}
			return utf8.RuneCountInString(line[:i]) + 1
		}
	}
	return utf8.RuneCountInString(line[:len(line)-len(strings.TrimLeft(line, " \t"))]) + 1
}

var alreadyDefined = regexp.MustCompile(`^mapping key "(.*)" already defined at line (\d+)$`)

// explainType says in Vietnamese what kind of value a key needs.
func explainType(m string) string {
	var vi string
	switch {
	case alreadyDefined.MatchString(m):
		sm := alreadyDefined.FindStringSubmatch(m)
		return fmt.Sprintf("khóa %q lặp lại (đã có ở dòng %s): hãy xóa một trong hai", sm[1], sm[2])
	case strings.Contains(m, "into time.Duration"):
		vi = "cần một khoảng thời gian: số kèm đơn vị s (giây), m (phút) hoặc h (giờ), ví dụ 30s, 5m, 1h"
	case strings.Contains(m, "into int"), strings.Contains(m, "into uint"):
		vi = "cần một số nguyên ở đây"
	case strings.Contains(m, "into float"):
		vi = "cần một số ở đây"
	case strings.Contains(m, "into bool"):
		vi = "cần true hoặc false ở đây"
	case strings.Contains(m, "cannot unmarshal !!map into []"), strings.Contains(m, "cannot unmarshal !!str into []"),
		strings.Contains(m, "into []"):
		vi = "cần một danh sách (mỗi mục bắt đầu bằng \"- \", hoặc [a, b]) ở đây"
	case strings.Contains(m, "cannot unmarshal !!seq"):
		vi = "không cần danh sách ở đây"
	case strings.Contains(m, "cannot unmarshal !!map"):
		vi = "cần một giá trị ở đây, không phải các khóa con"
	case strings.Contains(m, "cannot unmarshal !!str") && strings.Contains(m, "into map"):
		vi = "cần các khóa con (mỗi dòng \"khóa: giá trị\", thụt lề dưới khóa này) ở đây"
	default:
		vi = "giá trị không đúng kiểu"
	}
	return vi + " (" + m + ")"
}
