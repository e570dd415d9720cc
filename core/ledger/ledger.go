// Package ledger is a company's books in one SQLite file: the chart of
// accounts, bank accounts and their transactions, vouchers and postings,
// reconciliation matches, payments and an audit log.
//
// Rules that keep the books honest are enforced inside SQLite itself
// (triggers and constraints), so no code path can get around them: bank
// transactions are append-only, a voucher must balance before it is closed,
// and a closed voucher is never changed.
package ledger

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"embed"
	"encoding/binary"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/sync/semaphore"

	"bankbro/core/civil"
	"bankbro/core/norway"

	_ "modernc.org/sqlite" // the pure-Go SQLite driver
)

//go:embed migrations/*.sql
var migrations embed.FS

// Errors callers may test for with errors.Is.
var (
	ErrExists       = errors.New("a ledger file already exists there")
	ErrNotFound     = errors.New("no ledger file there")
	ErrNewerSchema  = errors.New("the ledger was written by a newer version of Bankbro")
	ErrNotALedger   = errors.New("the file is not a Bankbro ledger, or it is damaged")
	ErrNoSuchRecord = errors.New("not found")
	// ErrRestoring is a change that was not saved because Restore was
	// replacing the company file when it was to begin.
	ErrRestoring = errors.New("the company file is being restored from a backup; the change was not saved")
)

// writeGate is the size of Ledger.writes: every write transaction holds
// one of it, Restore all of it.
const writeGate = 1 << 30

// Ledger is an open company ledger.
type Ledger struct {
	db   *sql.DB
	path string
	lock *fileLock
	// writes is held, one unit each, by every write transaction for its
	// whole life. Restore takes all of it: that waits for the running ones
	// and holds back new ones, while reads go on.
	writes *semaphore.Weighted
	// replaced is set when Restore closes this ledger: a writer let in
	// after that fails with ErrRestoring.
	replaced atomic.Bool
	// Now is the clock used for timestamps; tests may replace it.
	Now func() time.Time
	// Actor names who makes changes, for the audit log.
	Actor string
	// checkpoints counts the checkpoints running after large changes
	// (checkpointLater); Close waits for them.
	checkpoints sync.WaitGroup
	// beforeCheckpoint, when set (by tests), runs before such a checkpoint.
	beforeCheckpoint func()
}

// Company is the business whose books the ledger holds.
type Company struct {
	Name      string
	OrgNumber string
	// ConversionDate is the day the books in Bankbro begin; opening balances
	// are posted on it and nothing earlier is read from the bank.
	ConversionDate civil.Date
	// FeeAccount is the GL account bank fees are posted to (0: not chosen).
	FeeAccount int
}

// normalized is c as the ledger stores it, once valid: its name trimmed,
// its organisation number nine digits.
func (c Company) normalized() (Company, error) {
	if err := c.Validate(); err != nil {
		return c, err
	}
	c.Name = strings.TrimSpace(c.Name)
	c.OrgNumber, _ = norway.OrgNumber(c.OrgNumber) // valid: its nine digits
	return c, nil
}

// Validate checks what a person typed when creating a company.
func (c Company) Validate() error {
	if strings.TrimSpace(c.Name) == "" {
		return ErrCompanyName
	}
	if err := norway.ValidOrgNumber(c.OrgNumber); err != nil {
		return err
	}
	if c.ConversionDate.IsZero() {
		return ErrCompanyConversion
	}
	return nil
}

// dsn opens the file with foreign keys on, in WAL mode. temp_store(MEMORY)
// keeps the statement journal of a multi-row INSERT in memory instead of a
// temporary file. Each connection keeps 512 KiB of pages it has read
// (SQLite's default is 2 MiB): the window's pooled readers read a page of
// rows at a time, which the system's file cache serves as fast, and each
// held its 2 MiB (1–1.6 MB of the window's resident memory with a million
// lines). Large work raises its own connection's cache while it runs
// (LargeCache).
func dsn(path string) string {
	return "file:" + path + "?_pragma=foreign_keys(1)&_pragma=journal_mode(WAL)" +
		"&_pragma=busy_timeout(10000)&_pragma=synchronous(NORMAL)&_pragma=temp_store(MEMORY)&_pragma=cache_size(-512)&_txlock=immediate"
}

// Create makes a new ledger file for the company with the standard chart of
// accounts. It refuses to touch an existing file.
func Create(ctx context.Context, path string, c Company) (*Ledger, error) {
	c, err := c.normalized()
	if err != nil {
		return nil, err
	}
	if _, err := os.Stat(path); err == nil {
		return nil, fmt.Errorf("%s: %w", path, ErrExists)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("create the ledger's folder: %w", err)
	}
	// The books are the company's business: only its owner may read the
	// file. It is made empty with that mode before SQLite opens it, which
	// gives its write-ahead log and index the same (made first by SQLite,
	// they would be readable by all for the whole first session).
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if errors.Is(err, os.ErrExist) { // made since the look above
		return nil, fmt.Errorf("%s: %w", path, ErrExists)
	}
	if err != nil {
		return nil, fmt.Errorf("create the ledger file: %w", err)
	}
	f.Close()
	l, err := open(ctx, path)
	if err != nil {
		Remove(path)
		return nil, err
	}
	err = l.Update(ctx, func(tx *Tx) error {
		if err := tx.insertChart(StandardChart); err != nil {
			return err
		}
		if c.FeeAccount == 0 {
			c.FeeAccount = 7770
		}
		_, err := tx.tx.ExecContext(ctx, `INSERT INTO company (id, name, org_number, conversion_date, fee_account, created_at)
			VALUES (1, ?, ?, ?, ?, ?)`, c.Name, c.OrgNumber, c.ConversionDate.String(), c.FeeAccount, tx.now())
		if err != nil {
			return fmt.Errorf("store the company: %w", err)
		}
		return tx.Audit("company.create", fmt.Sprintf("%s (%s), conversion date %s", c.Name, c.OrgNumber, c.ConversionDate))
	})
	if err != nil {
		l.Close()
		Remove(path)
		return nil, err
	}
	return l, nil
}

// Remove deletes a closed ledger file with its write-ahead log, shared
// memory and lock files: what a ledger that could not be made or filled
// leaves behind.
func Remove(path string) {
	for _, p := range []string{path, path + "-wal", path + "-shm", LockPath(path)} {
		os.Remove(p)
	}
}

// Open opens an existing ledger and brings its schema up to date.
func Open(ctx context.Context, path string) (*Ledger, error) {
	if _, err := os.Stat(path); err != nil {
		return nil, fmt.Errorf("%s: %w", path, ErrNotFound)
	}
	if err := checkHeader(path); err != nil {
		return nil, err
	}
	l, err := open(ctx, path)
	if err != nil {
		return nil, err
	}
	if _, err := l.Company(ctx); err != nil {
		l.Close()
		return nil, fmt.Errorf("%s: %w", path, ErrNotALedger)
	}
	return l, nil
}

func open(ctx context.Context, path string) (*Ledger, error) {
	lock, err := lockLedger(path)
	if err != nil {
		return nil, err
	}
	db, err := sql.Open("sqlite", dsn(path))
	if err != nil {
		lock.release()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	l := &Ledger{db: db, path: path, lock: lock, writes: semaphore.NewWeighted(writeGate), Now: time.Now, Actor: currentUser()}
	if err := l.migrate(ctx); err != nil {
		l.Close()
		return nil, err
	}
	return l, nil
}

func currentUser() string {
	if u, err := user.Current(); err == nil && u.Username != "" {
		return u.Username
	}
	return "unknown"
}

// SchemaVersion is the schema version this build writes.
func SchemaVersion() int {
	names, _ := migrationNames()
	return len(names)
}

// NeedsUpgrade says whether the file at path was written by an older
// Bankbro: Open updates it first (the migrations), which with years of
// books takes seconds. It reads the schema version from the file's header
// only, without opening or locking it, and says false when it cannot. (A
// version still in the write-ahead log of a process that was killed is
// not in the header: the answer is then true for a file Open finds
// current, which costs nothing.)
func NeedsUpgrade(path string) bool {
	h, _, err := readHeader(path)
	if err != nil {
		return false
	}
	v := int(binary.BigEndian.Uint32(h[60:64])) // user_version
	return v > 0 && v < SchemaVersion()
}

// migrationNumber is the number a migration's file name begins with.
func migrationNumber(name string) int {
	n, _ := strconv.Atoi(strings.SplitN(filepath.Base(name), "_", 2)[0])
	return n
}

func migrationNames() ([]string, error) {
	names, err := fs.Glob(migrations, "migrations/*.sql")
	sort.Strings(names)
	return names, err
}

// migrate runs every embedded migration newer than the file's user_version,
// each in its own transaction, so a crash leaves a consistent version.
func (l *Ledger) migrate(ctx context.Context) error {
	var have int
	if err := l.db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&have); err != nil {
		return fmt.Errorf("%s: %w (%v)", l.path, ErrNotALedger, err)
	}
	names, err := migrationNames()
	if err != nil {
		return err
	}
	if have > len(names) {
		return fmt.Errorf("%s has schema version %d, this Bankbro knows %d: %w", l.path, have, len(names), ErrNewerSchema)
	}
	for i := have; i < len(names); i++ {
		body, err := migrations.ReadFile(names[i])
		if err != nil {
			return err
		}
		n := migrationNumber(names[i])
		if n != i+1 {
			return fmt.Errorf("migration %s is out of order (want number %d)", names[i], i+1)
		}
		tx, err := l.db.BeginTx(ctx, nil)
		if err != nil {
			return fmt.Errorf("%s: %w (%v)", l.path, ErrNotALedger, err)
		}
		if _, err := tx.ExecContext(ctx, string(body)); err != nil {
			tx.Rollback()
			return fmt.Errorf("migrate %s to version %d: %w", l.path, i+1, err)
		}
		if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", i+1)); err != nil {
			tx.Rollback()
			return err
		}
		if err := tx.Commit(); err != nil {
			return fmt.Errorf("migrate %s to version %d: %w", l.path, i+1, err)
		}
	}
	return nil
}

// Close closes the file and gives up its lock, after any checkpoint still
// running.
func (l *Ledger) Close() error {
	l.checkpoints.Wait()
	err := l.db.Close()
	if lerr := l.lock.release(); err == nil {
		err = lerr
	}
	return err
}

// Path is the ledger file's path.
func (l *Ledger) Path() string { return l.path }

// Company returns the company's details.
func (l *Ledger) Company(ctx context.Context) (Company, error) {
	var c Company
	var conv string
	var fee sql.NullInt64
	err := l.db.QueryRowContext(ctx, `SELECT name, org_number, conversion_date, fee_account FROM company WHERE id = 1`).
		Scan(&c.Name, &c.OrgNumber, &conv, &fee)
	if err != nil {
		return Company{}, fmt.Errorf("read the company: %w", err)
	}
	c.ConversionDate, _ = civil.Parse(conv)
	c.FeeAccount = int(fee.Int64)
	return c, nil
}

// Tx is one write transaction on the ledger: everything done through it is
// stored together or not at all.
type Tx struct {
	tx  *sql.Tx
	l   *Ledger
	ctx context.Context
	// stmts are the statements prepared in this transaction, by query (stmt.go).
	stmts map[string]*sql.Stmt
	// changes is SQLite's total_changes() when the transaction began.
	changes int64
	// cacheWas is the page cache size LargeCache raised (0: not raised),
	// autoCheckpointWas the WAL size at which the connection checkpointed
	// before LargeCache turned that off (Update checkpoints later).
	cacheWas, autoCheckpointWas int64
	// feedReady says the connection has the virtual table of feeds (feed.go).
	feedReady bool
}

// Update runs fn in one write transaction, committed when fn returns nil.
// While Restore replaces the file it waits, and then fails with
// ErrRestoring.
func (l *Ledger) Update(ctx context.Context, fn func(tx *Tx) error) error {
	if err := l.writes.Acquire(ctx, 1); err != nil {
		return fmt.Errorf("begin a change to the ledger: %w", err)
	}
	defer l.writes.Release(1)
	if l.replaced.Load() {
		return ErrRestoring
	}
	// A connection of its own, so that what LargeCache changed can be put
	// back on it after the transaction, whichever way it ended (a
	// cancelled context rolls back and leaves the transaction unusable).
	conn, err := l.db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("begin a change to the ledger: %w", err)
	}
	defer conn.Close()
	sqlTx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin a change to the ledger: %w", err)
	}
	tx := &Tx{tx: sqlTx, l: l, ctx: ctx}
	defer tx.smallCache(conn)
	if err := sqlTx.QueryRowContext(ctx, `SELECT total_changes()`).Scan(&tx.changes); err != nil {
		sqlTx.Rollback()
		return fmt.Errorf("begin a change to the ledger: %w", err)
	}
	err = fn(tx)
	if err == nil {
		err = tx.indexSearch()
	}
	tx.closeStmts()
	if err != nil {
		sqlTx.Rollback()
		return err
	}
	if err := sqlTx.Commit(); err != nil {
		return fmt.Errorf("save the change to the ledger: %w", err)
	}
	if tx.cacheWas != 0 {
		l.checkpointLater()
	}
	return nil
}

// checkpointLater copies the pages a large change wrote to the WAL into
// the ledger file, in the background: the change is saved once it is in
// the WAL, and the copy (SQLite's checkpoint, which the committing
// connection would otherwise run before the commit returns: 150 ms after
// matching 100,000 items) need not keep the caller waiting. A passive
// checkpoint lets readers and writers go on meanwhile. It holds a share of
// the write gate, so Restore waits for it; once Restore holds the gate,
// there is nothing to do (closing the file checkpoints it).
func (l *Ledger) checkpointLater() {
	if !l.writes.TryAcquire(1) {
		return
	}
	l.checkpoints.Add(1)
	go func() {
		defer l.checkpoints.Done()
		defer l.writes.Release(1)
		if l.beforeCheckpoint != nil {
			l.beforeCheckpoint()
		}
		// A checkpoint that fails leaves the pages in the WAL, where they
		// are as safe; the next one copies them.
		l.db.ExecContext(context.Background(), `PRAGMA wal_checkpoint(PASSIVE)`)
	}()
}

// LargeCache lets the transaction's connection keep up to 32 MiB of pages
// instead of 512 KiB (dsn) while the transaction runs, and leaves the
// checkpoint of what it writes to Update, which runs it after the commit
// (checkpointLater); Update puts both settings back when the transaction
// has ended, which frees the pages beyond the small cache. For work over
// 100,000 items: a matcher run over a year of a busy account rewrites more
// pages than a small cache holds, and SQLite would write them out and read
// them back mid-way (BenchmarkMatch100k: 10–20 % faster, its raw floor
// about twice as fast). Only this connection grows, and only while the
// work runs: the window's pooled readers keep the small cache.
func (tx *Tx) LargeCache() error {
	if tx.cacheWas != 0 {
		return nil
	}
	var cache, checkpoint int64
	if err := tx.tx.QueryRowContext(tx.ctx, `PRAGMA cache_size`).Scan(&cache); err != nil {
		return fmt.Errorf("read the page cache size: %w", err)
	}
	if err := tx.tx.QueryRowContext(tx.ctx, `PRAGMA wal_autocheckpoint`).Scan(&checkpoint); err != nil {
		return fmt.Errorf("read the checkpoint size: %w", err)
	}
	// Known before either changes, so that smallCache puts back both
	// whichever of the two below fails.
	tx.cacheWas, tx.autoCheckpointWas = cache, checkpoint
	if _, err := tx.exec(`PRAGMA cache_size = -32768; PRAGMA wal_autocheckpoint = 0`); err != nil {
		return fmt.Errorf("set the page cache and checkpoint sizes: %w", err)
	}
	return nil
}

// smallCache puts back the page cache size LargeCache raised, on the
// transaction's connection once the transaction has ended; a connection it
// cannot put back is closed rather than returned to the pool.
func (tx *Tx) smallCache(conn *sql.Conn) {
	if tx.cacheWas == 0 {
		return
	}
	if _, err := conn.ExecContext(context.Background(), fmt.Sprintf(`PRAGMA cache_size = %d; PRAGMA wal_autocheckpoint = %d`, tx.cacheWas, tx.autoCheckpointWas)); err != nil {
		conn.Raw(func(any) error { return driver.ErrBadConn })
	}
}

func (tx *Tx) now() string { return tx.l.Now().UTC().Format(time.RFC3339Nano) }

// exec runs a statement in the transaction.
func (tx *Tx) exec(query string, args ...any) (sql.Result, error) {
	return tx.tx.ExecContext(tx.ctx, query, args...)
}

// Audit records who did what.
func (tx *Tx) Audit(action, details string) error {
	_, err := tx.exec(`INSERT INTO audit_log (at, actor, action, details) VALUES (?, ?, ?, ?)`,
		tx.now(), tx.l.Actor, action, details)
	if err != nil {
		return fmt.Errorf("write the audit log: %w", err)
	}
	return nil
}

// Errors of Company.Validate beside norway's, for callers to word.
var (
	ErrCompanyName       = errors.New("the company needs a name")
	ErrCompanyConversion = errors.New("the company needs a conversion date")
)

// SetCompany corrects the company's name and organisation number. The
// conversion date stays: the opening balances and every reconciliation
// start date rest on it.
func (tx *Tx) SetCompany(name, orgNumber string) error {
	var conv, wasName, wasOrg string
	if err := tx.tx.QueryRowContext(tx.ctx, `SELECT conversion_date, name, org_number FROM company WHERE id = 1`).Scan(&conv, &wasName, &wasOrg); err != nil {
		return fmt.Errorf("read the company: %w", err)
	}
	date, err := civil.Parse(conv)
	if err != nil {
		return fmt.Errorf("the company's conversion date: %w", err)
	}
	c, err := Company{Name: name, OrgNumber: orgNumber, ConversionDate: date}.normalized()
	if err != nil {
		return err
	}
	if _, err := tx.exec(`UPDATE company SET name = ?, org_number = ? WHERE id = 1`, c.Name, c.OrgNumber); err != nil {
		return fmt.Errorf("store the company: %w", err)
	}
	return tx.Audit("company.save", fmt.Sprintf("%s (%s) → %s (%s)", wasName, wasOrg, c.Name, c.OrgNumber))
}

// SetFeeAccount sets the GL account bank fees are posted to.
func (tx *Tx) SetFeeAccount(account int) error {
	if err := tx.usableAccount(account); err != nil {
		return fmt.Errorf("set the fee account: %w", err)
	}
	if _, err := tx.exec(`UPDATE company SET fee_account = ? WHERE id = 1`, account); err != nil {
		return fmt.Errorf("set the fee account to %d: %w", account, err)
	}
	return nil
}

// SetSetting stores a non-secret setting of this company file.
func (tx *Tx) SetSetting(key, value string) error {
	_, err := tx.exec(`INSERT INTO settings (key, value) VALUES (?, ?)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value`, key, value)
	return err
}

// Setting reads a setting; missing settings are "".
func (l *Ledger) Setting(ctx context.Context, key string) (string, error) {
	return setting(ctx, l.db, key)
}

// Setting reads a setting as this transaction sees it.
func (tx *Tx) Setting(key string) (string, error) {
	return setting(tx.ctx, tx.tx, key)
}

func setting(ctx context.Context, q querier, key string) (string, error) {
	var v string
	err := q.QueryRowContext(ctx, `SELECT value FROM settings WHERE key = ?`, key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return v, err
}

// AuditEntry is one line of the audit log.
type AuditEntry struct {
	At      time.Time
	Actor   string
	Action  string
	Details string
}

// AuditLog returns the newest entries first, at most limit.
func (l *Ledger) AuditLog(ctx context.Context, limit int) ([]AuditEntry, error) {
	rows, err := l.db.QueryContext(ctx, `SELECT at, actor, action, details FROM audit_log ORDER BY id DESC LIMIT ?`, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []AuditEntry
	for rows.Next() {
		var e AuditEntry
		var at string
		if err := rows.Scan(&at, &e.Actor, &e.Action, &e.Details); err != nil {
			return nil, err
		}
		e.At, _ = time.Parse(time.RFC3339Nano, at)
		out = append(out, e)
	}
	return out, rows.Err()
}
