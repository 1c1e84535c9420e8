// Package xlsxreport writes the monthly compliance report workbook,
// bao-cao-YYYY-MM.xlsx, from a summary.Summary. It only presents figures: every count
// and share comes from the summary, every word from the report labels
// (templates/report.yaml and templates/report-xlsx.yaml) or the configuration.
//
//	err := xlsxreport.Write(ctx, "out/2023-09/bao-cao-2023-09.xlsx", s, cfg, txt)
//
// The workbook has these sheets, named by the xlsx_sheet_* labels:
//
//	Tổng quan       title, period, as-of date, the narrative paragraphs, the key figures
//	                and every input file with its status
//	Chỉ tiêu        one row per target result (overall ones first), coloured green when
//	                met and red when not (conditional formatting), and a bar chart of the
//	                share reached against the threshold of each overall target
//	Xu hướng        only when some overall target has a trend (Target.Trend, two periods
//	                or more): one row per overall target and one column per period with
//	                the share reached, the thresholds in force per period below, and a
//	                line chart of each overall target's share with its threshold dashed
//	Cơ cấu          the structure table in the shape of forms BM01/BNV and BM02/BNV: one
//	                row per unit (under a subtotal row per group when the inputs came in
//	                sub-folders) and a grand total row; per breakdown dimension a merged
//	                two-row header with its categories, "Chưa xác định" included, so the
//	                categories of a dimension add up to the unit's Tổng số
//	Tỉ lệ           the same table as shares of each unit's headcount (format 0.00%)
//	Đào tạo         attendances (lượt người, never persons) by unit × training type and
//	                funding, with a total row
//	Chưa đạt chuẩn  every person below a position standard and what they lack: the
//	                training plan, one sortable row per person and standard
//	Lỗi dữ liệu     every data problem, located to the cell
//	BM01-BNV …      one sheet per official form of forms.yaml (forms.go), laid out as the
//	                printed form so the office sends it as it is: mark and basis, title
//	                with the period's year, "Đơn vị tính", the merged headings and their
//	                numbering row, a row per unit of the form (Unit.Form) with its
//	                Unit.FormCounts, totals, a note naming each column left empty and
//	                why, the date line and signature blocks; no autofilter
//
// When the summary compares with a previous period (Summary.Previous), the overview
// says the headcount's change ("So với kỳ trước (08/2023): 380 → 388 người (+8)") and
// the targets sheet gains, after the share, the previous share, the change in
// percentage points (a number shown +1,55) and, after the result, "Mới đạt" or
// "Không còn đạt". Without a previous period and trends the workbook is as it was
// before there was a history.
//
// Numbers are stored as numbers with number formats ("#,##0" for counts, "0.00%" for
// shares, dd/mm/yyyy for dates), so that a Vietnamese Excel shows 80,67% and sorting
// and sums work. Every table has bold, bordered, wrapped header rows that stay frozen
// on screen and repeat on each printed page (_xlnm.Print_Titles), an autofilter, and
// every sheet prints on A4 landscape, one page wide, with "Trang &P/&N" in the footer.
//
// Every sheet but the targets sheet is written with excelize's StreamWriter, so memory
// stays bounded however long the lists of below-standard persons and problems are
// (100.000 problems are a few seconds); sheet-level settings (column widths fitted to
// a first pass over the rows, filter, print setup, conditional formats) are made on
// the empty sheet before streaming starts. The targets sheet, which carries a chart,
// is written with the ordinary cell API. A list longer than Excel's row limit ends
// with a row saying how many rows were left out.
package xlsxreport
