package history

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	_ "modernc.org/sqlite" // the pure-Go SQLite driver, registered as "sqlite"
)

// FileName is the database's name in serve.yaml's state folder.
const FileName = "canbo.db"

// BusyTimeout is how long a statement waits for another connection (or another
// process) holding the write lock before it fails with "database is locked".
const BusyTimeout = 30 * time.Second

// DB is the history database. It is safe for concurrent use.
type DB struct {
	sql  *sql.DB
	path string
	now  func() time.Time

	// hook, when set (by tests), is called inside FinishRun's transaction after each
	// table is written, with the table's name.
	hook func(table string)
}

// Option changes how Open sets up the database.
type Option func(*DB)

// WithClock sets the clock used for started_at, finished_at and received_at when
// the caller leaves them zero. Default time.Now.
func WithClock(now func() time.Time) Option {
	return func(db *DB) { db.now = now }
}

// Open opens the database at path, creating it and its folder if needed, and
// brings its schema up to date. A database written by a newer canbo (with
// migrations this one does not know) is refused rather than misread.
func Open(path string, opts ...Option) (*DB, error) {
	if path == "" {
		return nil, errors.New("lịch sử: chưa có đường dẫn tệp cơ sở dữ liệu")
	}
	if strings.ContainsAny(path, "?#") || strings.HasPrefix(path, "file:") || path == ":memory:" {
		// The driver would read what follows '?' as its options.
		return nil, fmt.Errorf("lịch sử: đường dẫn %q không được chứa ? hoặc #, hoặc bắt đầu bằng file:", path)
	}
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, fmt.Errorf("lịch sử: tạo thư mục %s: %w", dir, err)
		}
	}
	// Every connection of the pool gets the same settings. _txlock=immediate makes
	// a write transaction take the write lock at BEGIN, so two writers queue under
	// busy_timeout instead of one failing on a lock upgrade; read-only transactions
	// stay deferred.
	dsn := path + "?" + strings.Join([]string{
		fmt.Sprintf("_pragma=busy_timeout(%d)", BusyTimeout.Milliseconds()),
		"_pragma=foreign_keys(1)",
		"_pragma=journal_mode(WAL)",
		"_pragma=synchronous(FULL)",
		"_txlock=immediate",
	}, "&")
	sdb, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("lịch sử: mở %s: %w", path, err)
	}
	sdb.SetMaxOpenConns(8)
	sdb.SetMaxIdleConns(4)
	db := &DB{sql: sdb, path: path, now: time.Now}
	for _, o := range opts {
		o(db)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*BusyTimeout)
	defer cancel()
	if err := db.checkSettings(ctx); err != nil {
		sdb.Close()
		return nil, err
	}
	if err := migrate(ctx, sdb, component, migrations); err != nil {
		sdb.Close()
		return nil, fmt.Errorf("lịch sử: %s: %w", path, err)
	}
	return db, nil
}

// checkSettings makes sure the connection settings took effect: WAL cannot be
// turned on for some file systems (network shares), and foreign keys are what keep
// a run's rows together.
func (db *DB) checkSettings(ctx context.Context) error {
	var mode string
	if err := db.sql.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&mode); err != nil {
		return fmt.Errorf("lịch sử: mở %s: %w", db.path, err)
	}
	if !strings.EqualFold(mode, "wal") {
		return fmt.Errorf("lịch sử: %s: không bật được chế độ WAL (đang là %q); hãy đặt thư mục state trên ổ đĩa của máy, không trên thư mục chia sẻ", db.path, mode)
	}
	var fk int
	if err := db.sql.QueryRowContext(ctx, "PRAGMA foreign_keys").Scan(&fk); err != nil || fk != 1 {
		return fmt.Errorf("lịch sử: %s: không bật được foreign_keys (%v)", db.path, err)
	}
	return nil
}

// Close closes the database. A FinishRun still in progress is rolled back.
func (db *DB) Close() error {
	return db.sql.Close()
}

// Path is the database file.
func (db *DB) Path() string { return db.path }

// timeLayout stores instants as fixed-width UTC text, so that they sort as text,
// read well in the sqlite3 shell and round-trip to the nanosecond.
const timeLayout = "2006-01-02T15:04:05.000000000Z"

func formatTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(timeLayout)
}

func parseTime(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(timeLayout, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("lịch sử: thời điểm %q không đọc được: %w", s, err)
	}
	return t, nil
}

// checkPeriod accepts YYYY-MM.
func checkPeriod(p string) error {
	if len(p) != 7 {
		return fmt.Errorf("kỳ %q không đúng dạng YYYY-MM", p)
	}
	if _, err := time.Parse("2006-01", p); err != nil {
		return fmt.Errorf("kỳ %q không đúng dạng YYYY-MM", p)
	}
	return nil
}

// rollback ends a transaction that did not commit; its error is not interesting
// (the transaction may already be gone with its connection).
func rollback(tx *sql.Tx) { _ = tx.Rollback() }

// BackupTo writes a consistent copy of the database to path (which must not exist
// yet) while it stays in use: SQLite's VACUUM INTO. The copy is a complete
// database on its own, with no -wal file.
func (db *DB) BackupTo(ctx context.Context, path string) error {
	if _, err := os.Stat(path); err == nil {
		return fmt.Errorf("lịch sử: sao lưu: %s đã có", path)
	}
	if _, err := db.sql.ExecContext(ctx, `VACUUM INTO ?`, path); err != nil {
		return fmt.Errorf("lịch sử: sao lưu vào %s: %w", path, err)
	}
	return nil
}
