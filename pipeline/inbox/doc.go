// Package inbox takes the workbooks units drop into the office's inbox folder (often a
// Windows share) and files them safely: `canbo serve` watches the folder with Watch and
// hands each stable file to Inbox.Take.
//
// A file is a Candidate once its size and modification time have stayed the same for
// Options.StableFor. Change events (fsnotify) only make the watcher look sooner; a full
// rescan every Options.Rescan finds what events miss, as they do on network shares.
// Office lock files (~$…), hidden and temporary files, files that are not spreadsheets
// and the archive, quarantine and output folders are never taken.
//
// Take checks the file with package ingest, then:
//
//   - accepted: copies it to ARCHIVE/YYYY-MM/<unit>/<YYYYMMDD-HHMMSS>-<sha8>-<name>
//     with a <same>.json sidecar (Sidecar), writes its feedback workbook into
//     OUT/YYYY-MM/phan-hoi/ when it has problems, marks older files of the same unit,
//     period and dataset superseded, then removes it from the inbox;
//   - rejected: copies it to QUARANTINE/<YYYYMMDD-HHMMSS>-<name> with a <same>.txt
//     saying, in Vietnamese, why and what to do, then removes it from the inbox;
//   - already archived or quarantined (same sha256): removes it from the inbox as a
//     duplicate.
//
// Every copy is written to a temporary name in the destination folder, fsynced,
// renamed into place and the folder fsynced; the sidecar (the commit record) is
// written atomically after that, and the original is removed last. So a crash at any
// point leaves the original in the inbox, and the next Take either adopts the
// complete copy already made or recognises the file as taken. The sidecars are the
// only record of what was taken: the index of known sha256 sums is rebuilt from them
// by Open, and Current reads them to say which files a period's report uses.
package inbox
