package issue

// Codes for text typed in the legacy Vietnamese encodings TCVN3 (ABC) and VNI, found and
// converted by package vnlegacy while a sheet is read (see docs/reading.md).
const (
	LegacyConverted Code = "legacy-encoding-converted" // columns typed in TCVN3/VNI were converted to Unicode
	LegacyUnsure    Code = "legacy-encoding-unsure"    // a column looks TCVN3/VNI but which is unclear: left as is
)

func init() {
	severities[LegacyConverted] = Warning
	severities[LegacyUnsure] = Warning
}
