package workbook

import (
	"math"
	"strings"
	"time"
)

var (
	// Excel's 1900 system counts 1900-01-01 as day 1 and, copying Lotus 1-2-3, has a
	// day 60 for the non-existent 29 February 1900. Serials below 61 therefore count
	// from 1899-12-31 and serials from 61 on from 1899-12-30; serial 60 lands on
	// 1 March 1900, like serial 61.
	epoch1900Early = time.Date(1899, 12, 31, 0, 0, 0, 0, time.UTC)
	epoch1900      = time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)
	// The 1904 system (old Mac Excel, workbookPr date1904) counts from 1904-01-01.
	epoch1904 = time.Date(1904, 1, 1, 0, 0, 0, 0, time.UTC)
	lastDate  = time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)
)

// serialToTime converts an Excel date serial to a UTC time; the fraction is the time of
// day, rounded to the millisecond (Excel stores 12:00 as 0.5000000001 as often as
// not). Negative serials and years past 9999 are not dates (Excel shows #####), and
// report false.
func serialToTime(v float64, date1904 bool) (time.Time, bool) {
	if math.IsNaN(v) || v < 0 || v > 3e6 {
		return time.Time{}, false
	}
	days := math.Floor(v)
	ms := math.Round((v - days) * 86_400_000)
	base := epoch1900
	switch {
	case date1904:
		base = epoch1904
	case v < 61:
		base = epoch1900Early
	}
	t := base.AddDate(0, 0, int(days)).Add(time.Duration(ms) * time.Millisecond)
	if !t.Before(lastDate) {
		return time.Time{}, false
	}
	return t, true
}

// timeToSerial is the inverse, used for ISO 8601 cells (t="d") so Num is filled too.
func timeToSerial(t time.Time, date1904 bool) float64 {
	base := epoch1900
	switch {
	case date1904:
		base = epoch1904
	case t.Before(time.Date(1900, 3, 1, 0, 0, 0, 0, time.UTC)):
		base = epoch1900Early
	}
	return t.Sub(base).Hours() / 24
}

// parseISODate reads the ISO 8601 text of a t="d" cell (written by Strict OOXML tools
// and some converters). The wall-clock time is kept: Excel times have no zone.
func parseISODate(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999", "2006-01-02T15:04", "2006-01-02", "15:04:05.999999999"} {
		if t, err := time.Parse(layout, s); err == nil {
			if layout == "15:04:05.999999999" {
				t = t.AddDate(1899, 11, 30) // time only: day 0 of the 1900 system
			}
			y, m, d := t.Date()
			return time.Date(y, m, d, t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), time.UTC), true
		}
	}
	return time.Time{}, false
}
