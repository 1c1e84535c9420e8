// Package outfile writes output files atomically, so that a clerk opening a report,
// a feedback workbook or summary.json while canbo is still running never sees half a
// file, and a crash, a full disk or a failing encoder never destroys the previous
// good copy.
//
// The content is written to a temporary file in the destination's own directory
// (a rename is only atomic within one file system), flushed to disk, and renamed over
// the destination; on POSIX systems the directory is then synced so that the rename
// itself survives a power cut.
//
// Example:
//
//	err := outfile.Write("out/summary.json", 0o644, func(w io.Writer) error {
//		return json.NewEncoder(w).Encode(summary)
//	})
//	if err != nil {
//		return err // out/summary.json still holds the previous run's summary, if any
//	}
package outfile
