// Package rules compiles and evaluates the targets (chỉ tiêu, targets.yaml) and the
// position standards (tiêu chuẩn chức danh, standards.yaml) of a configuration.
//
// Compile type-checks every expression against the schema once, at start-up, and
// returns every mistake together as schema.Problems with file:line:column, so that
// `canbo config check` shows a clerk all of them at once. Evaluation then runs the
// compiled programs over normalised records, one at a time (Evaluator.Count into
// additive Counts); it knows nothing of units or reports: the facts package keeps one
// Counts per unit as the records stream past and sums them.
//
// # Expressions
//
// Expressions are github.com/expr-lang/expr with one variable per field code (input
// and derived fields of schema.yaml):
//
//	text, id        string ("" when missing)
//	date            string "YYYY-MM-DD"; ngay_sinh < "1990-01-01" compares dates
//	number          float64; tuoi < 35
//	bool            bool; dang_vien, not dan_toc_thieu_so (missing reads as false)
//	enum            string code; gioi_tinh == "nu", dien_quan_ly in ["bch_tinh", "bch_huyen"]
//	ordinal         string code, ordered by its vocabulary: trinh_do_chuyen_mon >= "dai_hoc"
//
// An ordinal compared with <, <=, > or >= compares ranks in vocabularies.yaml order,
// not spelling: trinh_do_chuyen_mon >= "dai_hoc" holds for dai_hoc, thac_si and
// tien_si. This is done by AST patching, not operator overloading: before expr
// type-checks, each such comparison is rewritten to compare hidden integer rank
// variables, -1 when unknown (trinh_do_chuyen_mon <= "dai_hoc" becomes
// __rank_trinh_do_chuyen_mon >= 0 && __rank_trinh_do_chuyen_mon <= 4). Patching
// keeps values plain strings, so ==, != and in work on ordinals exactly as on enums,
// and evaluation stays on expr's integer comparisons with no function calls.
//
// Unknown values (chua_xac_dinh, a blank or unrecognised cell) are unknown, never
// "lowest": any comparison that involves an unknown ordinal (ordering only), number
// or date is false. So with an unknown level both trinh_do_chuyen_mon >= "dai_hoc"
// and trinh_do_chuyen_mon < "dai_hoc" are false, and tuoi < 35 is false for a person
// with no birth date. == and != on enums and ordinals compare codes, so
// trinh_do_chuyen_mon == "chua_xac_dinh" finds the unknown ones and
// gioi_tinh != "nu" includes them.
//
// Compile also checks what expr alone cannot: that a quoted code belongs to the
// field's vocabulary ("thac_sy" → did you mean "thac_si"?), that ordinals are compared
// only with their own codes, that date literals are real dates, and that the result is
// true/false. "let" is refused: a variable would hide a field from the unknown-value
// guards.
package rules
