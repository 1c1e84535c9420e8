// Package history is canbo's memory across runs: an embedded SQLite database
// (canbo.db, in serve.yaml's state folder) that records every run, the files it
// read, each period's figures per unit and target, and what the inbox received. It
// is what lets a report say how a figure changed since last month, draw a target's
// trend across periods, and let `canbo serve` catch up a scheduled run missed while
// the machine was off.
//
// The database holds figures only, never people: no names, birth dates or IDs (the
// below-standard list and the cell-level problems stay in the reports). Deleting it
// loses the comparisons and the trend, never a report: every report folder is
// complete on its own.
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
//	changes := history.Compare(prev, cur)      // headcount and share changes
//	trends, err := db.Trends(ctx, cur, 12)     // each target's share, last 12 periods
//
// Only successful runs ("ok") count for Previous, Trend and MissedRun; the latest
// successful run of a period stands for that period. Units are matched across
// periods by their folded name (textfold.UnitKey), so "UBND xã Nghĩa Tá" last month
// and "Ủy ban nhân dân xã Nghĩa Tá" this month are the same unit.
//
// The schema is created and migrated by Open (versioned migrations recorded in the
// schema_migrations table). The database uses WAL journaling with synchronous=FULL,
// so it must live on a local disk, not a network share. One *DB is safe for
// concurrent use by several goroutines; a second process (a `canbo run` by hand
// next to `canbo serve`) may open the same file and waits its turn to write.
package history
