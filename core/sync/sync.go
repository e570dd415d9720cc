// Package sync is the morning import: for each bank account with
// reconciliation it reads every booked transaction from the day after the
// last day read through yesterday (Oslo), stores the new ones, and posts bank
// fees to the fee account, all of one account in one ledger transaction.
//
// Running it twice, over an overlap, or again after a crash never stores a
// line twice nor skips one: lines are unique on (bank account, transactionId)
// and the last day read moves forward in the same transaction that stores
// the lines.
package sync

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	gosync "sync"
	"time"

	"bankbro/core/bank"
	"bankbro/core/civil"
	"bankbro/core/ledger"
	"bankbro/core/norway"
)

// Bank is what the import needs of the bank: its archive of booked
// transactions. *bank.Client implements it.
type Bank interface {
	// Archive returns every booked transaction of the account with an
	// accounting date in [from, to], both included.
	Archive(ctx context.Context, accountID string, from, to civil.Date) ([]bank.Transaction, error)
}

// FeeTypeCodes are the transaction type codes of bank fees (Pris, Gebyr),
// posted to the fee account on import.
var FeeTypeCodes = []int{53, 312}

// chunkDays is how many days one request to the bank covers: a long
// catch-up is read in steps, so progress moves and a cancel is heard.
const chunkDays = 31

// Options tunes a run.
type Options struct {
	// Today is what the run takes as today; lines are read through the day
	// before. Zero: the real date in Oslo.
	Today civil.Date
	// Progress, if set, is called as accounts and days are read.
	Progress func(Progress)
	// BackupDir, if set, receives a backup of the ledger before anything is
	// imported (only when some account has days to read). The newest
	// BackupKeep are kept.
	BackupDir string
	// BackupKeep is how many backups to keep; 0 means DefaultKeep.
	BackupKeep int
	// Now is the clock for run records; nil means time.Now.
	Now func() time.Time
}

// Progress reports how far a run has come.
type Progress struct {
	// AccountNumber is the account being read (11 digits).
	AccountNumber string
	// Account is its position (1-based) among Accounts accounts.
	Account, Accounts int
	// DaysDone of Days are read for this account.
	DaysDone, Days int
	// Lines is how many lines the bank has sent for this account so far.
	Lines int
	// Stored is true once the account's lines are saved in the ledger.
	Stored bool
}

// AccountResult is what a run did for one bank account.
type AccountResult struct {
	AccountNumber string
	// From and To are the days asked for (zero when nothing was due).
	From, To civil.Date
	// Fetched is how many lines the bank sent; New were stored, Skipped
	// were stored already.
	Fetched, New, Skipped int
	// Fees is how many fee lines were posted to the fee account.
	Fees int
	// Through is the last day whose lines are all stored, after the run.
	Through civil.Date
	// Err is why this account's import failed; nothing of it was stored then.
	Err error
}

// Result has one entry per account with reconciliation, in the ledger's order.
type Result struct {
	Accounts []AccountResult
}

// Lines formats the result as `bankbro sync` prints it (cli.md): one line
// per account, `ACCOUNTNUMBER new=N skipped=N through=YYYY-MM-DD`, and for
// a failed account `ACCOUNTNUMBER error: what went wrong`.
func (r Result) Lines() []string {
	out := make([]string, 0, len(r.Accounts))
	for _, a := range r.Accounts {
		if a.Err != nil {
			out = append(out, fmt.Sprintf("%s error: %v", a.AccountNumber, a.Err))
			continue
		}
		through := "none"
		if !a.Through.IsZero() {
			through = a.Through.String()
		}
		out = append(out, fmt.Sprintf("%s new=%d skipped=%d through=%s", a.AccountNumber, a.New, a.Skipped, through))
	}
	return out
}

// New is the number of lines stored by the run, over all accounts.
func (r Result) New() int {
	n := 0
	for _, a := range r.Accounts {
		n += a.New
	}
	return n
}

// AccountError is why one account's import failed.
type AccountError struct {
	AccountNumber string
	Err           error
}

func (e *AccountError) Error() string {
	return fmt.Sprintf("account %s: %v", norway.FormatAccountNumber(e.AccountNumber), e.Err)
}

func (e *AccountError) Unwrap() error { return e.Err }

// Err joins the errors of the accounts that failed (nil: none did).
func (r Result) Err() error {
	var errs []error
	for _, a := range r.Accounts {
		if a.Err != nil {
			errs = append(errs, &AccountError{AccountNumber: a.AccountNumber, Err: a.Err})
		}
	}
	return errors.Join(errs...)
}

// Run imports, for every active bank account with reconciliation, the
// booked lines from the day after the last day read (or from the start
// date) through yesterday. Each account is stored in one ledger
// transaction: its lines, its fee postings, its new last day read and the
// record of the run. An account whose bank answer is wrong or missing is
// left as it was, with its error in its run record and in the Result; the
// others go on.
//
// The Result is valid even when err is not nil. err is not nil when an
// account failed (Result.Err), when ctx ended, or when the ledger could not
// be read or backed up.
func Run(ctx context.Context, l *ledger.Ledger, b Bank, opts Options) (Result, error) {
	if opts.Today.IsZero() {
		opts.Today = civil.Today()
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	yesterday := opts.Today.AddDays(-1)
	all, err := l.BankAccounts(ctx)
	if err != nil {
		return Result{}, fmt.Errorf("read the bank accounts to import: %w", err)
	}
	company, err := l.Company(ctx)
	if err != nil {
		return Result{}, err
	}
	var accounts []ledger.BankAccount
	due := false
	for _, a := range all {
		if a.Active && a.Reconciliation {
			accounts = append(accounts, a)
			if from := firstDue(a); !from.IsZero() && !from.After(yesterday) {
				due = true
			}
		}
	}
	if due && opts.BackupDir != "" {
		if _, err := Backup(ctx, l, opts.BackupDir, opts.BackupKeep); err != nil {
			return Result{}, fmt.Errorf("nothing was imported, because the backup before the import failed: %w", err)
		}
	}

	// While one account's lines are being stored, the next account's are
	// read: the bank and the ledger work at the same time, one request in
	// flight as before. Progress stays in account order: an account does not
	// report that it is stored once the next has reported reading.
	var (
		mu       gosync.Mutex
		reported int // the highest account position that has reported
	)
	report := func(i int, a ledger.BankAccount, p Progress) {
		if opts.Progress == nil {
			return
		}
		mu.Lock()
		defer mu.Unlock()
		if i+1 < reported {
			return
		}
		reported = i + 1
		p.AccountNumber, p.Account, p.Accounts = a.Number, i+1, len(accounts)
		opts.Progress(p)
	}
	reads := make([]chan accountRead, len(accounts))
	read := func(i int) {
		if i >= len(accounts) || reads[i] != nil {
			return
		}
		reads[i] = make(chan accountRead, 1)
		a := accounts[i]
		go func() {
			reads[i] <- readAccount(ctx, b, a, yesterday, opts.Now, func(p Progress) { report(i, a, p) })
		}()
	}
	// A run that ends early still waits for the read it started, so no
	// progress is reported after it returned.
	defer func() {
		for _, r := range reads {
			if r != nil {
				<-r
			}
		}
	}()

	var res Result
	for i, a := range accounts {
		if err := ctx.Err(); err != nil {
			return res, fmt.Errorf("the import was stopped before account %s: %w", a.Formatted(), err)
		}
		read(i)
		r := <-reads[i]
		reads[i] = nil
		read(i + 1)
		ar := storeAccount(ctx, l, company, a, r, opts, func(p Progress) { report(i, a, p) })
		res.Accounts = append(res.Accounts, ar)
	}
	if err := ctx.Err(); err != nil {
		return res, fmt.Errorf("the import was stopped: %w", err)
	}
	return res, res.Err()
}

// firstDue is the first day not read yet (zero when the account has no
// start date and nothing read).
func firstDue(a ledger.BankAccount) civil.Date {
	if !a.ReadThrough.IsZero() {
		return a.ReadThrough.AddDays(1)
	}
	return a.StartDate
}

// accountRead is what the bank sent for one account: the lines of the days
// [from, to] (none due when from is after to), or why they could not be read.
type accountRead struct {
	from, to civil.Date
	started  time.Time
	lines    []ledger.BankTransaction
	err      error
}

// readAccount reads from the bank the lines of a that are due through to
// (now is the clock for the run record). It writes nothing.
func readAccount(ctx context.Context, b Bank, a ledger.BankAccount, to civil.Date, now func() time.Time,
	progress func(Progress)) accountRead {
	r := accountRead{from: firstDue(a), to: to, started: now()}
	if r.from.IsZero() {
		r.err = errors.New("the account has no start date for bank reconciliation; set one in the bank settings")
		return r
	}
	if r.from.After(to) {
		return r
	}
	from := r.from
	days := to.DaysSince(from) + 1
	seen := map[string]bool{}
	progress(Progress{Days: days})
	for start := from; !start.After(to); start = start.AddDays(chunkDays) {
		if err := ctx.Err(); err != nil {
			r.err = fmt.Errorf("the import was stopped: %w", err)
			return r
		}
		end := start.AddDays(chunkDays - 1)
		if end.After(to) {
			end = to
		}
		txs, err := b.Archive(ctx, a.BankID, start, end)
		if err != nil {
			r.err = fmt.Errorf("read the lines from %s to %s: %w", start, end, err)
			return r
		}
		got, err := convertAll(txs, start, end, seen)
		if err != nil {
			r.err = fmt.Errorf("the bank's answer for %s to %s cannot be imported: %w", start, end, err)
			return r
		}
		r.lines = append(r.lines, got...)
		progress(Progress{DaysDone: end.DaysSince(from) + 1, Days: days, Lines: len(r.lines)})
	}
	return r
}

// storeAccount stores what readAccount read for a, in one ledger
// transaction with its fee postings, its new last day read and the record
// of the run; or records why nothing was stored.
func storeAccount(ctx context.Context, l *ledger.Ledger, company ledger.Company, a ledger.BankAccount,
	r accountRead, opts Options, progress func(Progress)) AccountResult {
	ar := AccountResult{AccountNumber: a.Number, Fetched: len(r.lines)}
	from, to := r.from, r.to
	if !from.IsZero() {
		// Nothing before the start date is needed, so a new account has
		// read "through" the day before it.
		ar.Through = from.AddDays(-1)
	}
	if from.IsZero() {
		ar.Err = r.err
		return ar
	}
	if from.After(to) {
		progress(Progress{Stored: true})
		return ar
	}
	ar.From, ar.To = from, to
	started := r.started
	fail := func(err error) AccountResult {
		ar.Err = err
		// The run record is written even when ctx has ended, so the failure
		// is on file; it is the only thing written for this account.
		_ = l.Update(context.WithoutCancel(ctx), func(tx *ledger.Tx) error {
			run, err2 := tx.StartSyncRun(a.ID, from, to, started)
			if err2 != nil {
				return err2
			}
			return tx.FinishSyncRun(run, ar.Fetched, 0, 0, err.Error())
		})
		return ar
	}
	if r.err != nil {
		return fail(r.err)
	}
	lines := r.lines
	days := to.DaysSince(from) + 1

	known, err := checkStored(ctx, l, a, from, to, lines)
	if err != nil {
		return fail(err)
	}
	err = l.Update(ctx, func(tx *ledger.Tx) error {
		run, err := tx.StartSyncRun(a.ID, from, to, started)
		if err != nil {
			return err
		}
		ar.New, ar.Skipped, err = tx.InsertBankTransactions(a.ID, run, lines)
		if err != nil {
			return err
		}
		if ar.Skipped != known {
			// A line skipped as stored that was not stored on these days
			// is stored under another date: the bank moved a booked line.
			return fmt.Errorf("the bank now dates %d of its booked lines from %s to %s differently from when they were stored; "+
				"the stored lines were kept as they are, ask the bank why", ar.Skipped-known, from, to)
		}
		if ar.Fees, err = postFees(tx, company, a, run, from, to); err != nil {
			return err
		}
		if err := tx.SetReadThrough(a.ID, to); err != nil {
			return fmt.Errorf("record the last day read: %w", err)
		}
		if err := tx.FinishSyncRun(run, ar.Fetched, ar.New, ar.Skipped, ""); err != nil {
			return err
		}
		return tx.Audit("sync.import", fmt.Sprintf("%s %s–%s: %d new, %d already stored, %d fees posted",
			a.Formatted(), from, to, ar.New, ar.Skipped, ar.Fees))
	})
	if err != nil {
		ar.New, ar.Skipped, ar.Fees = 0, 0, 0
		return fail(fmt.Errorf("store the lines from %s to %s: %w", from, to, err))
	}
	ar.Through = to
	progress(Progress{DaysDone: days, Days: days, Lines: len(lines), Stored: true})
	return ar
}

// maxDifferences is how many differences checkStored names before it counts the rest.
const maxDifferences = 5

// checkStored compares the lines read for [from, to] with the lines already
// stored for those days, and returns how many of the read lines are among
// them. Booked lines never change, so a stored line that the bank no longer
// sends, or sends with another amount or date, means the bank's answer
// cannot be trusted: the account's import stops, naming the differences,
// and the ledger keeps what it stored (booked lines are never changed).
func checkStored(ctx context.Context, l *ledger.Ledger, a ledger.BankAccount, from, to civil.Date, lines []ledger.BankTransaction) (int, error) {
	stored, err := l.BankTransactions(ctx, a.ID, from, to)
	if err != nil {
		return 0, fmt.Errorf("read the lines already stored from %s to %s: %w", from, to, err)
	}
	return compareStored(stored, lines, from, to)
}

// compareStored is checkStored on the lines already stored for [from, to].
func compareStored(stored, lines []ledger.BankTransaction, from, to civil.Date) (int, error) {
	if len(stored) == 0 {
		return 0, nil
	}
	read := make(map[string]ledger.BankTransaction, len(lines))
	for _, t := range lines {
		read[t.TransactionID] = t
	}
	known := 0
	var diffs []string
	for _, s := range stored {
		t, ok := read[s.TransactionID]
		switch {
		case !ok:
			diffs = append(diffs, fmt.Sprintf("transaction %s (%s, %s, %q) is stored but the bank no longer sends it",
				s.TransactionID, s.AccountingDate, s.Amount.Kr(), s.Text))
			continue
		case t.Amount != s.Amount || t.AccountingDate != s.AccountingDate:
			diffs = append(diffs, fmt.Sprintf("transaction %s was stored as %s on %s, the bank now sends %s on %s",
				s.TransactionID, s.Amount.Kr(), s.AccountingDate, t.Amount.Kr(), t.AccountingDate))
		}
		known++
	}
	if len(diffs) == 0 {
		return known, nil
	}
	if len(diffs) > maxDifferences {
		diffs = append(diffs[:maxDifferences], fmt.Sprintf("and %d more", len(diffs)-maxDifferences))
	}
	return 0, fmt.Errorf("the bank's booked lines from %s to %s differ from those already stored, so nothing was imported for this account "+
		"and the stored lines were kept as they are; ask the bank why: %s", from, to, strings.Join(diffs, "; "))
}

// convert checks a line from the bank's archive and turns it into a ledger
// line. A reservation, a line without an id or one dated outside the range
// asked for means the answer is not what the archive promises.
func convert(t bank.Transaction, from, to civil.Date) (ledger.BankTransaction, error) {
	id := strings.TrimSpace(t.ID)
	switch {
	case t.IsReservation:
		return ledger.BankTransaction{}, fmt.Errorf("the archive sent a reservation (%q)", t.Text)
	case id == "":
		return ledger.BankTransaction{}, fmt.Errorf("a booked line has no transactionId (%s, %q)", t.AccountingDate, t.Text)
	case t.AccountingDate.IsZero():
		return ledger.BankTransaction{}, fmt.Errorf("transaction %s has no accounting date", id)
	case t.AccountingDate.Before(from) || t.AccountingDate.After(to):
		return ledger.BankTransaction{}, fmt.Errorf("transaction %s is dated %s, outside the days asked for", id, t.AccountingDate)
	}
	return ledger.BankTransaction{
		TransactionID:  id,
		AccountingDate: t.AccountingDate,
		InterestDate:   t.InterestDate,
		Amount:         t.Amount,
		Text:           strings.TrimSpace(t.Text),
		TypeCode:       t.TypeCode,
		TypeText:       t.TypeText,
		OtherAccount:   t.OtherAccountNumber,
		KID:            t.KID,
		Counterparty:   counterparty(t),
		Reference:      t.Reference,
	}, nil
}

// convertAll converts the lines of one answer for [from, to], refusing the
// whole answer when a line is not what the archive promises or repeats a
// transaction already in seen (which it then records).
func convertAll(txs []bank.Transaction, from, to civil.Date, seen map[string]bool) ([]ledger.BankTransaction, error) {
	out := make([]ledger.BankTransaction, 0, len(txs))
	for _, t := range txs {
		bt, err := convert(t, from, to)
		if err != nil {
			return nil, err
		}
		if seen[bt.TransactionID] {
			return nil, fmt.Errorf("it holds transaction %s twice", bt.TransactionID)
		}
		seen[bt.TransactionID] = true
		out = append(out, bt)
	}
	return out, nil
}

// counterparty is who the money went to (money out) or came from (money in).
func counterparty(t bank.Transaction) string {
	first, second := t.PayerName, t.ReceiverName
	if t.Amount < 0 {
		first, second = second, first
	}
	if s := strings.TrimSpace(first); s != "" {
		return s
	}
	return strings.TrimSpace(second)
}

// isFee says whether a line is a bank fee by its type code.
func isFee(code int) bool { return slices.Contains(FeeTypeCodes, code) }
