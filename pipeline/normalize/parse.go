package normalize

import (
	"errors"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"

	"canbo/pipeline/textfold"
)

// Date parsing results besides a plain success.
var (
	errNoDate     = errors.New("not a date")
	errImpossible = errors.New("impossible date") // 31/02/1980
)

// DateQuality says how much of a date the cell gave.
type DateQuality int

const (
	FullDate DateQuality = iota
	YearOnly             // "1975", "00/00/1975": read as 01/01 and flagged (NĐ 135/2020 Art. 3)
)

var (
	// d/m/y with /, ., - or spaces between; never read as m/d.
	dmyRE = regexp.MustCompile(`^(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{2}|\d{4})$`)
	// yyyy-mm-dd as machines write it.
	isoRE = regexp.MustCompile(`^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T].*)?$`)
	// a year alone, or with unknown day and month: "1975", "00/00/1975", "…/…/1975", "../../1975"
	yearRE = regexp.MustCompile(`^(?:(?:0{1,2}|\.+|…+|x+|-+)\s*[/.\-]\s*(?:0{1,2}|\.+|…+|x+|-+)\s*[/.\-]\s*)?(\d{4})$`)
	// month and year: "03/1975"
	myRE = regexp.MustCompile(`^(\d{1,2})\s*[/.\-]\s*(\d{4})$`)
	// "ngày 05 tháng 3 năm 1985" written out
	wordsRE = regexp.MustCompile(`^(?:ngay\s+)?(\d{1,2})\s+thang\s+(\d{1,2})\s+nam\s+(\d{4})$`)
)

// ParseDateText reads a date typed as text. pivot decides two-digit years: yy becomes
// 20yy unless that is after pivot's year, then 19yy ("5/3/85" → 1985).
func ParseDateText(s string, pivot time.Time) (time.Time, DateQuality, error) {
	s = strings.TrimSpace(textfold.Clean(s))
	s = strings.Trim(s, "'\"")
	if s == "" {
		return time.Time{}, 0, errNoDate
	}
	if d, mo, y, ok := plainDMY(s); ok {
		t, err := civil(y, mo, d)
		return t, FullDate, err
	}
	return parseDatePatterns(s, pivot)
}

// parseDatePatterns reads a trimmed date text by the patterns, in their order.
func parseDatePatterns(s string, pivot time.Time) (time.Time, DateQuality, error) {
	if m := yearRE.FindStringSubmatch(s); m != nil {
		y, _ := strconv.Atoi(m[1])
		t, err := civil(y, 1, 1)
		return t, YearOnly, err
	}
	if m := dmyRE.FindStringSubmatch(s); m != nil {
		d, _ := strconv.Atoi(m[1])
		mo, _ := strconv.Atoi(m[2])
		y, _ := strconv.Atoi(m[3])
		if len(m[3]) == 2 {
			y += 2000
			if y > pivot.Year() {
				y -= 100
			}
		}
		t, err := civil(y, mo, d)
		return t, FullDate, err
	}
	if m := isoRE.FindStringSubmatch(s); m != nil {
		y, _ := strconv.Atoi(m[1])
		mo, _ := strconv.Atoi(m[2])
		d, _ := strconv.Atoi(m[3])
		t, err := civil(y, mo, d)
		return t, FullDate, err
	}
	if m := myRE.FindStringSubmatch(s); m != nil {
		mo, _ := strconv.Atoi(m[1])
		y, _ := strconv.Atoi(m[2])
		t, err := civil(y, mo, 1)
		return t, YearOnly, err
	}
	if m := wordsRE.FindStringSubmatch(textfold.Key(s)); m != nil {
		d, _ := strconv.Atoi(m[1])
		mo, _ := strconv.Atoi(m[2])
		y, _ := strconv.Atoi(m[3])
		t, err := civil(y, mo, d)
		return t, FullDate, err
	}
	return time.Time{}, 0, errNoDate
}

// plainDMY reads the way nearly every date is typed, "05/04/1961" (one or two digits
// for the day and the month, four for the year, "/", "." or "-" between), without the
// patterns below, which cost more than the rest of a date cell's reading. It gives what
// dmyRE gives, and leaves to the patterns a day and month of zeros ("00/00/1975", a
// year alone) and every other shape.
func plainDMY(s string) (d, m, y int, ok bool) {
	d, s, ok = digits(s, 1, 2)
	if !ok || len(s) == 0 || !isDateSep(s[0]) {
		return 0, 0, 0, false
	}
	m, s, ok = digits(s[1:], 1, 2)
	if !ok || len(s) == 0 || !isDateSep(s[0]) {
		return 0, 0, 0, false
	}
	y, s, ok = digits(s[1:], 4, 4)
	if !ok || s != "" || d == 0 && m == 0 {
		return 0, 0, 0, false
	}
	return d, m, y, true
}

// digits reads min to max ASCII digits at the start of s, which must not go on with a
// further digit, and returns their value and the rest of s.
func digits(s string, min, max int) (int, string, bool) {
	v, i := 0, 0
	for ; i < len(s) && i < max && s[i] >= '0' && s[i] <= '9'; i++ {
		v = v*10 + int(s[i]-'0')
	}
	if i < min || i < len(s) && s[i] >= '0' && s[i] <= '9' {
		return 0, s, false
	}
	return v, s[i:], true
}

func isDateSep(c byte) bool { return c == '/' || c == '.' || c == '-' }

// civil builds a date and refuses ones the calendar does not have.
func civil(y, m, d int) (time.Time, error) {
	if y < 1800 || y > 2200 || m < 1 || m > 12 || d < 1 || d > 31 {
		return time.Time{}, errImpossible
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if t.Day() != d {
		return time.Time{}, errImpossible
	}
	return t, nil
}

// SerialDate converts an Excel serial day number to a date, in the 1900 system (with
// Excel's fictitious 29/02/1900) or the 1904 system.
func SerialDate(serial float64, date1904 bool) (time.Time, bool) {
	if math.IsNaN(serial) || serial < 1 || serial > 2958465 {
		return time.Time{}, false
	}
	days := int(math.Floor(serial))
	var base time.Time
	switch {
	case date1904:
		base = time.Date(1904, 1, 1, 0, 0, 0, 0, time.UTC)
	case days >= 61:
		base = time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)
	case days == 60:
		return time.Time{}, false // 29/02/1900 never existed
	default:
		base = time.Date(1899, 12, 31, 0, 0, 0, 0, time.UTC)
	}
	return base.AddDate(0, 0, days), true
}

// ParseNumber reads a number written the Vietnamese way (decimal comma, thousands dot)
// or the English way, with an optional percent sign: "80,67%" → 0.8067, "212.600" →
// 212600, "1.234,5" → 1234.5, "12.5" → 12.5.
func ParseNumber(s string) (float64, bool) {
	s = strings.ReplaceAll(textfold.Clean(s), " ", "")
	if s == "" {
		return 0, false
	}
	pct := strings.HasSuffix(s, "%")
	s = strings.TrimSuffix(s, "%")
	comma, dot := strings.LastIndex(s, ","), strings.LastIndex(s, ".")
	switch {
	case comma >= 0 && dot >= 0 && dot > comma: // 1,234.5
		s = strings.ReplaceAll(s, ",", "")
	case comma >= 0 && dot >= 0: // 1.234,5
		s = strings.ReplaceAll(s, ".", "")
		s = strings.Replace(s, ",", ".", 1)
	case comma >= 0: // 80,67 (decimal comma)
		if strings.Count(s, ",") > 1 {
			s = strings.ReplaceAll(s, ",", "")
		} else {
			s = strings.Replace(s, ",", ".", 1)
		}
	case dot >= 0 && (strings.Count(s, ".") > 1 || len(s)-dot-1 == 3): // 212.600, 1.234.567
		s = strings.ReplaceAll(s, ".", "")
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsInf(v, 0) || math.IsNaN(v) {
		return 0, false
	}
	if pct {
		v /= 100
	}
	return v, true
}

// IDResult is a citizen ID read from a cell.
type IDResult struct {
	Digits    string
	ZerosLost bool // the cell held a number, so leading zeros had to be restored
	Valid     bool // 9 digits (old CMND) or 12 digits (CCCD)
}

// ParseID reads a citizen ID. Text keeps its digits (spaces, dots and dashes dropped);
// a number cell is printed without exponent and padded back to 12 (or 9) digits,
// because Excel drops the leading zero of every CCCD issued in provinces 001–099.
func ParseID(text string, isNumber bool, num float64) IDResult {
	var digits string
	if isNumber {
		if num < 0 || num != math.Trunc(num) || num >= 1e15 {
			return IDResult{Digits: text}
		}
		digits = strconv.FormatFloat(num, 'f', 0, 64)
	} else {
		var b strings.Builder
		for _, r := range textfold.Clean(text) {
			switch {
			case r >= '0' && r <= '9':
				b.WriteRune(r)
			case r == ' ' || r == '.' || r == '-' || r == '\'':
			default:
				return IDResult{Digits: textfold.Clean(text)}
			}
		}
		digits = b.String()
	}
	r := IDResult{Digits: digits}
	if isNumber {
		switch n := len(digits); {
		case n >= 10 && n < 12:
			r.Digits = strings.Repeat("0", 12-n) + digits
			r.ZerosLost = true
		case n >= 7 && n < 9:
			r.Digits = strings.Repeat("0", 9-n) + digits
			r.ZerosLost = true
		}
	}
	r.Valid = len(r.Digits) == 12 || len(r.Digits) == 9
	return r
}

// FormatNumber prints a float without a spurious exponent or trailing zeros.
func FormatNumber(v float64) string {
	return strconv.FormatFloat(v, 'f', -1, 64)
}
