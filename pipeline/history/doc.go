// Package history is canbo's memory across runs: an embedded SQLite database
// (canbo.db, in serve.yaml's state folder) that records every run, the files it
// read, each period's figures per unit and target, and what the inbox received. It
// is what lets a report say how a figure changed since last month, draw a target's
// trend across periods, and let `canbo serve` catch up a scheduled run missed while
// the machine was off.
//
// The database holds figures only, never people: no names, birth dates or IDs (the
// below-standard list and the cell-level problems stay in the reports). It is also
// canbo serve's one store with transactions for the rest of its state: the web page's
// links and sessions (web.go) and the mail outbox (outbox.go: package mail's messages,
// their bytes and their delivery state; this package stores, mail decides). Deleting
// it loses the comparisons and the trend, mail not yet sent and the record of what
// was, never a report: every report folder is complete on its own.
//
// A run is recorded in two steps, so that a crash leaves a run that is visibly not
// finished rather than half a run marked good:
//
//	db, err := history.Open(filepath.Join(state, "canbo.db"))
//	...
//	id, err := db.StartRun(ctx, "2023-09", history.TriggerSchedule)
//	res, runErr := report.Run(ctx, tools, opts)
//	err = db.FinishRun(ctx, id, res.Summary, res.Dir, runErr) // one transaction
//
// and read back for the next report:
//
//	prev, err := db.Previous(ctx, "2023-10")   // the latest good run of 2023-09 (or earlier)
//	changes := history.Compare(prev, cur, reg) // headcount and share changes; reg: units.yaml's registry
//	trends, err := db.Trends(ctx, cur, 12, reg) // each target's share, last 12 periods
//
// Only successful runs ("ok") count for Previous, Trend and MissedRun; the latest
// successful run of a period stands for that period. Units are matched across
// periods as counting tells them apart (units.Identities), under the units registry
// of the report being made (Compare and Trends take it): a registered unit whatever
// name a period stored it by (an alias, a variant, its name before a rename), any
// other unit by its folded name and obvious variants, so "UBND xã Nghĩa Tá" last
// month and "Ủy ban nhân dân xã Nghĩa Tá" this month are the same unit. A period
// stored with one unit under two names (before they were merged) adds them up. The
// database keeps the names as the reports showed them: which unit a name is, is
// worked out when periods are read, so a database of any age needs no migration and
// a change of units.yaml applies to every period at once.
//
// The schema is created and migrated by Open (versioned migrations recorded in the
// schema_migrations table). The database uses WAL journaling with synchronous=FULL,
// so it must live on a local disk, not a network share. One *DB is safe for
// concurrent use by several goroutines; a second process (a `canbo run` by hand
// next to `canbo serve`) may open the same file and waits its turn to write.
package history
