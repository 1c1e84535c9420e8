// Package feedback builds the workbook that goes back to a commune unit: a copy of
// the roster it submitted, with every problem cell coloured and annotated, and a
// first sheet listing all problems with links to the cells.
//
// The clerk who receives it should be able to fix the file in place and send it
// back, so the copy changes as little as possible: values are untouched, a marked
// cell keeps its borders, font, alignment and number format (only the fill changes),
// and the original file on disk is never written to. Every word the workbook shows
// comes from Labels, which the caller loads from templates/.
//
// An .xlsx or .xlsm is copied by patching its zip package (patch.go): parts the marks
// do not touch, macros included, are copied as stored, and only the marked
// worksheets, styles, comments, workbook list and the new problems sheet are
// written, worksheets as streams. A workbook the patcher does not understand is
// rebuilt with excelize instead, as is the list made for an Excel 97-2003 .xls
// (which cannot be copied cell for cell).
//
// Example:
//
//	lab := feedback.DefaultLabels()
//	lab.Title = strings.ReplaceAll(lab.Title, "{file}", "xa-an-binh.xlsx")
//	err := feedback.Write(ctx, "inbox/xa-an-binh.xlsx", "out/phan-hoi/xa-an-binh.xlsx", issues, lab)
package feedback
