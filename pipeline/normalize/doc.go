// Package normalize turns the cells of one data row into a typed Record, matching
// vocabularies, reading dates and numbers the Vietnamese way, and reporting every bad
// value as an issue without ever dropping the person.
//
//	"Thạc sỹ QLKT"   → trinh_do_chuyen_mon = thac_si      (prefix of an alias)
//	"Đại học (Kế toán)" → dai_hoc
//	"H'Mông"          → dan_toc = mong
//	"5/3/85"          → 1985-03-05 (day first, always)
//	"1979"            → 1979-01-01, with a date-year-only warning
//	6001234567 (number) → "006001234567", with an id-leading-zero warning
//	"Bằng A"          → unset (counts as chua_xac_dinh), with an unknown-value error
//	"-", "—", "/"     → blank: nothing written
//	"Đang học thạc sĩ", "NCS" (Đang đào tạo) → dang_dao_tao = thac_si, tien_si (see field.go)
package normalize
