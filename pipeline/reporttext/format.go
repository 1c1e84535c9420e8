package reporttext

import (
	"math"
	"strconv"
	"strings"
	"time"
)

// Percent shows a fraction the Vietnamese way, to two decimals: 0.80670 → "80,67%".
// Trailing zeros are kept ("70,00%") so that columns line up, as clerks' reports do.
func Percent(share float64) string {
	return Decimal(share*100, 2) + "%"
}

// PercentShort drops needless decimals for thresholds: 0.7 → "70%", 0.705 → "70,5%".
func PercentShort(share float64) string {
	s := Decimal(share*100, 2)
	if strings.Contains(s, ",") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ",")
	}
	return s + "%"
}

// Decimal formats x with places decimals, a decimal comma and dots between
// thousands: 1234.5 → "1.234,50".
func Decimal(x float64, places int) string {
	p := math.Pow(10, float64(places))
	x = math.Round(x*p) / p
	s := strconv.FormatFloat(math.Abs(x), 'f', places, 64)
	intPart, frac, _ := strings.Cut(s, ".")
	out := Int(0)
	if n, err := strconv.ParseInt(intPart, 10, 64); err == nil {
		out = Int(int(n))
	}
	if x < 0 {
		out = "-" + out
	}
	if frac != "" {
		out += "," + frac
	}
	return out
}

// Int formats a count with dots between thousands: 100000 → "100.000".
func Int(n int) string {
	s := strconv.Itoa(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte('.')
		}
		b.WriteRune(r)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// Date shows "2023-09-30" as "30/09/2023"; other text is returned unchanged.
func Date(iso string) string {
	t, err := time.Parse("2006-01-02", iso)
	if err != nil {
		return iso
	}
	return t.Format("02/01/2006")
}

// Period shows "2023-09" as "09/2023".
func Period(p string) string {
	t, err := time.Parse("2006-01", p)
	if err != nil {
		return p
	}
	return t.Format("01/2006")
}

// Signed shows a change with its sign, two decimals: 1.55 → "+1,55", -0.5 → "-0,50".
func Signed(x float64) string {
	if x > 0 {
		return "+" + Decimal(x, 2)
	}
	return Decimal(x, 2)
}
