// Package workbook reads .xlsx and .xlsm workbooks, and Excel 97–2003 .xls (BIFF8)
// workbooks, safely and as a stream.
//
// The files come from hundreds of offices, are often produced by third-party tools and
// are sometimes damaged, encrypted or not workbooks at all. The reader therefore treats
// hostile input as normal input: the format is recognised from the content, not the file
// name; every size it trusts is bounded by [Limits]; zip bombs are refused before anything
// is decompressed; DTDs are rejected; and any failure comes back as an [*Error] whose
// Code (from package issue) tells the clerk what to do, never as a panic.
//
// A worksheet is decoded element by element and yielded one [Row] at a time, so memory
// is bounded by the shared-string table, the merged ranges and a single row, whatever
// the size of the sheet, plus the worksheet's XML while it is read when that is at
// most 8 MiB unzipped: such a sheet is inflated once rather than twice (merges.go). Values are returned as Excel stored them (the text is not
// cleaned); dates are recognised from the cell's number format and converted with the
// workbook's 1900 or 1904 date system, and merged areas are filled with copies of their
// top-left value so later stages see what the clerk sees on screen.
//
// An .xls is an OLE compound file whose Workbook stream (read once, bounded by the file
// size and MaxPartSize) holds BIFF8 records; xls.go, xlsstr.go and xlssheet.go decode the
// subset canbo needs into the same Book, Rows, Row and Cell values, so the rest of canbo
// does not know which format it read ([Book.Format] says). Encrypted .xls (FILEPASS)
// and Excel 5.0/95 (BIFF5/7) files are refused with issue.Encrypted and
// issue.LegacyFormat (format "xls5"). See docs/reading.md.
//
// Typical use:
//
//	book, err := workbook.Open(ctx, "bao-cao.xlsx", workbook.Limits{})
//	if err != nil {
//		var we *workbook.Error
//		errors.As(err, &we) // we.Code is issue.Encrypted, issue.LegacyFormat, …
//		return err
//	}
//	defer book.Close()
//	for _, sh := range book.Sheets() {
//		rows, err := book.Rows(ctx, sh.Index)
//		if err != nil {
//			return err
//		}
//		for rows.Next() {
//			row := rows.Row()
//			_ = row.Cell(3).Text // column C
//		}
//		if err := rows.Err(); err != nil {
//			return err
//		}
//		_ = rows.Notes() // rows, columns or merges cut at a limit
//		rows.Close()
//	}
package workbook
