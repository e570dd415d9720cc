package reconcile

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"bankbro/core/civil"
	"bankbro/core/ledger"
	"bankbro/core/money"
)

// Report is the reconciliation report over a period: per bank account with
// reconciliation, the state at the end of the period and a balance per day.
type Report struct {
	From, To civil.Date
	Accounts []AccountReport
}

// AccountReport is one bank account's reconciliation at the end of day Date.
//
// The bank's balance is known from the day before the start date on: the
// ledger stores the bank's lines only from the start date, and onboarding
// records the bank's balance the evening before (ledger
// SetOpeningBankBalance). Open items are those dated from the start date
// through Date that are unmatched, or matched only by an item dated later.
// So Difference = OpeningDifference + OpenLinesSum − OpenPostingsSum. The
// report counts and sums the open items; WriteText and WriteCSV read them.
type AccountReport struct {
	BankAccount ledger.BankAccount
	Date        civil.Date
	// OpeningKnown says the bank's opening balance was recorded; without it
	// the bank balance counts only the stored lines.
	OpeningKnown bool
	// BankOpening is the bank's balance at the end of the day before the start date.
	BankOpening money.Amount
	// BankKnown says Date is late enough for the bank balance to be known.
	BankKnown     bool
	BankBalance   money.Amount
	LedgerBalance money.Amount
	// LedgerOpening is the part of LedgerBalance that reconciliation does not
	// match: postings before the start date and opening-balance vouchers.
	LedgerOpening money.Amount
	// OpenLines and OpenPostings count the open bank lines and postings,
	// OpenLinesSum and OpenPostingsSum sum them.
	OpenLines       int
	OpenLinesSum    money.Amount
	OpenPostings    int
	OpenPostingsSum money.Amount
	// Days is the balance in the bank and in the ledger at the end of each
	// day of the report's period, for the chart.
	Days []Day
}

// Difference is the bank balance less the ledger balance.
func (a AccountReport) Difference() money.Amount { return a.BankBalance - a.LedgerBalance }

// OpeningDifference is the bank's opening balance less the ledger's: a
// difference the open items cannot explain, to be corrected in the books.
func (a AccountReport) OpeningDifference() money.Amount { return a.BankOpening - a.LedgerOpening }

// Day is the balance in the bank and in the ledger at the end of a day.
type Day struct {
	Date civil.Date
	// BankKnown is false before the day before the start date.
	BankKnown bool
	Bank      money.Amount
	Ledger    money.Amount
}

// Difference is the bank balance less the ledger balance on the day.
func (d Day) Difference() money.Amount { return d.Bank - d.Ledger }

// MaxReportDays is the longest period a report covers.
const MaxReportDays = 366 * 20

// NewReport builds the reconciliation report for [from, to]: the state of every
// active bank account with reconciliation at the end of to, and the balances
// per day over the period.
func NewReport(ctx context.Context, l *ledger.Ledger, from, to civil.Date) (Report, error) {
	if from.IsZero() || to.IsZero() {
		return Report{}, fmt.Errorf("the report needs a period with a first and a last day")
	}
	if to.Before(from) {
		return Report{}, fmt.Errorf("the report's period ends (%s) before it begins (%s)", to.Norwegian(), from.Norwegian())
	}
	if to.DaysSince(from) > MaxReportDays {
		return Report{}, fmt.Errorf("the report's period is longer than %d days: choose a shorter one", MaxReportDays)
	}
	accounts, err := accountsFor(ctx, l, nil)
	if err != nil {
		return Report{}, err
	}
	r := Report{From: from, To: to}
	for _, b := range accounts {
		a, err := accountReport(ctx, l, b, from, to)
		if err != nil {
			return Report{}, fmt.Errorf("reconciliation report for %s: %w", b.Formatted(), err)
		}
		r.Accounts = append(r.Accounts, a)
	}
	return r, nil
}

func accountReport(ctx context.Context, l *ledger.Ledger, b ledger.BankAccount, from, to civil.Date) (AccountReport, error) {
	a := AccountReport{BankAccount: b, Date: to}
	var err error
	if a.BankOpening, a.OpeningKnown, err = l.OpeningBankBalance(ctx, b.ID); err != nil {
		return a, err
	}
	eve := b.StartDate.AddDays(-1)

	// The bank: the opening balance plus every stored line through each day.
	bank := a.BankOpening
	if from.After(b.StartDate) {
		s, err := l.BankSum(ctx, b.ID, b.StartDate, from.AddDays(-1))
		if err != nil {
			return a, err
		}
		bank += s
	}
	bankDays, err := l.BankDaySums(ctx, b.ID, later(from, b.StartDate), to)
	if err != nil {
		return a, err
	}
	// The ledger: every posting on the GL account through each day.
	ledgerBal, err := l.Balance(ctx, b.GLAccount, from.AddDays(-1))
	if err != nil {
		return a, err
	}
	ledgerDays, err := l.PostingDaySums(ctx, b.GLAccount, from, to, false)
	if err != nil {
		return a, err
	}
	n := to.DaysSince(from) + 1
	a.Days = make([]Day, 0, n)
	bi, li := 0, 0
	for d := from; !d.After(to); d = d.AddDays(1) {
		for bi < len(bankDays) && !bankDays[bi].Date.After(d) {
			bank += bankDays[bi].Sum
			bi++
		}
		for li < len(ledgerDays) && !ledgerDays[li].Date.After(d) {
			ledgerBal += ledgerDays[li].Sum
			li++
		}
		day := Day{Date: d, Ledger: ledgerBal, BankKnown: !d.Before(eve)}
		if day.BankKnown {
			day.Bank = bank
		}
		a.Days = append(a.Days, day)
	}
	last := a.Days[len(a.Days)-1]
	a.BankKnown, a.BankBalance, a.LedgerBalance = last.BankKnown, last.Bank, last.Ledger

	if a.LedgerOpening, err = l.Balance(ctx, b.GLAccount, eve); err != nil {
		return a, err
	}
	if !to.Before(b.StartDate) {
		openings, err := l.PostingDaySums(ctx, b.GLAccount, b.StartDate, to, true)
		if err != nil {
			return a, err
		}
		for _, s := range openings {
			a.LedgerOpening += s.Sum
		}
	}
	open, err := l.OpenTotalsAt(ctx, b.ID, b.GLAccount, b.StartDate, to)
	if err != nil {
		return a, err
	}
	a.OpenLines, a.OpenLinesSum, a.OpenPostings, a.OpenPostingsSum = open.Lines, open.LinesSum, open.Postings, open.PostingsSum
	return a, nil
}

// OpenItems reads the open items of a bank account as they stood at the end
// of a day, bank lines first, handing them over one at a time
// (ledger.Ledger does).
type OpenItems interface {
	EachOpenItemAt(ctx context.Context, bankAccount int64, glAccount int, from, at civil.Date, fn func(ledger.OpenItem) error) error
}

// eachOpenItem hands fn the account's open items from items.
func (a AccountReport) eachOpenItem(ctx context.Context, items OpenItems, fn func(ledger.OpenItem) error) error {
	b := a.BankAccount
	return items.EachOpenItemAt(ctx, b.ID, b.GLAccount, b.StartDate, a.Date, fn)
}

func later(a, b civil.Date) civil.Date {
	if a.After(b) {
		return a
	}
	return b
}

// WriteText writes the report for people (bankbro report --format text):
// per account the balances at the end of the period, the difference and the
// open items, amounts the Norwegian way (1 234,56), dates as 25.11.2026.
// The open items are read from items as they are written.
func (r Report) WriteText(ctx context.Context, items OpenItems, w io.Writer) error {
	ew := &errWriter{w: w}
	ew.printf("Bank reconciliation %s\n", r.To.Norwegian())
	if len(r.Accounts) == 0 {
		ew.printf("\nNo bank account has bank reconciliation.\n")
	}
	for _, a := range r.Accounts {
		b := a.BankAccount
		ew.printf("\n%s %s (GL %d), reconciled from %s\n", b.Formatted(), b.Name, b.GLAccount, b.StartDate.Norwegian())
		if !a.BankKnown {
			ew.printf("  The bank's balance is not known before %s.\n", b.StartDate.AddDays(-1).Norwegian())
		} else {
			ew.row("  Balance in the bank", a.BankBalance)
		}
		ew.row("  Balance in the ledger", a.LedgerBalance)
		if a.BankKnown {
			ew.row("  Difference", a.Difference())
		}
		ew.row(fmt.Sprintf("  Open bank lines (%d)", a.OpenLines), a.OpenLinesSum)
		postings := func() { ew.row(fmt.Sprintf("  Open postings (%d)", a.OpenPostings), a.OpenPostingsSum) }
		headed := false // the postings' heading is written
		err := a.eachOpenItem(ctx, items, func(it ledger.OpenItem) error {
			if it.Posting && !headed {
				postings()
				headed = true
			}
			ew.row(fmt.Sprintf("    %s  %s", it.Date.Norwegian(), clip(it.Text, 30)), it.Amount)
			return ew.err
		})
		if err != nil && ew.err == nil {
			ew.err = fmt.Errorf("read the open items of %s: %w", b.Formatted(), err)
		}
		if !headed {
			postings()
		}
		switch {
		case !a.OpeningKnown:
			ew.printf("  The bank's balance on %s is not recorded: the bank balance counts only the lines read from %s.\n",
				b.StartDate.AddDays(-1).Norwegian(), b.StartDate.Norwegian())
		case a.BankKnown && a.OpeningDifference() != 0:
			ew.row(fmt.Sprintf("  Difference already on %s", b.StartDate.AddDays(-1).Norwegian()), a.OpeningDifference())
		}
	}
	return ew.err
}

// textWidth is where amounts end in the text report.
const textWidth = 64

type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) printf(format string, args ...any) {
	if e.err == nil {
		_, e.err = fmt.Fprintf(e.w, format, args...)
	}
}

// row writes a label and an amount ending at textWidth.
func (e *errWriter) row(label string, a money.Amount) {
	s := a.String()
	pad := textWidth - utf8.RuneCountInString(label) - utf8.RuneCountInString(s)
	e.printf("%s%s%s\n", label, strings.Repeat(" ", max(pad, 1)), s)
}

func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}

// csvAmount writes an amount as Norwegian Excel reads a number: decimal
// comma, no thousands separator (-1250,50).
func csvAmount(a money.Amount) string { return strings.Replace(a.JSON(), ".", ",", 1) }

// WriteCSV writes the report as CSV for spreadsheets (bankbro report
// --format csv): separated by semicolons and with decimal commas, which is
// what a spreadsheet set up for Norway opens without asking; dates are
// YYYY-MM-DD; UTF-8 without a byte-order mark. It has up to three tables,
// each with a header row, separated by an empty line:
//
//  1. one row per account: account;name;gl_account;date;bank_balance;
//     ledger_balance;difference;open_bank_lines;open_bank_lines_sum;
//     open_postings;open_postings_sum;opening_difference (balances left empty
//     where the bank's balance is not known);
//  2. the open items: account;side;id;date;amount;text, side "bank" or "ledger";
//  3. when the period has more than one day, the balances per day:
//     account;date;bank_balance;ledger_balance;difference.
//
// The open items are read from items as they are written.
func (r Report) WriteCSV(ctx context.Context, items OpenItems, w io.Writer) error {
	return r.WriteCSVNamed(ctx, items, w, nil)
}

// WriteCSVNamed is WriteCSV with the header names and the sides ("bank",
// "ledger") put through name, for a spreadsheet in the reader's language
// (nil: as WriteCSV writes them).
func (r Report) WriteCSVNamed(ctx context.Context, items OpenItems, w io.Writer, name func(string) string) error {
	if name == nil {
		name = func(s string) string { return s }
	}
	cw := csv.NewWriter(w)
	cw.Comma = ';'
	var err error
	write := func(rec ...string) error {
		if err == nil {
			err = cw.Write(rec)
		}
		return err
	}
	header := func(names ...string) {
		for i, n := range names {
			names[i] = name(n)
		}
		write(names...)
	}
	header("account", "name", "gl_account", "date", "bank_balance", "ledger_balance", "difference",
		"open_bank_lines", "open_bank_lines_sum", "open_postings", "open_postings_sum", "opening_difference")
	for _, a := range r.Accounts {
		bank, diff, opening := "", "", ""
		if a.BankKnown {
			bank, diff = csvAmount(a.BankBalance), csvAmount(a.Difference())
			if a.OpeningKnown {
				opening = csvAmount(a.OpeningDifference())
			}
		}
		write(a.BankAccount.Number, a.BankAccount.Name, strconv.Itoa(a.BankAccount.GLAccount), a.Date.String(),
			bank, csvAmount(a.LedgerBalance), diff,
			strconv.Itoa(a.OpenLines), csvAmount(a.OpenLinesSum),
			strconv.Itoa(a.OpenPostings), csvAmount(a.OpenPostingsSum), opening)
	}
	write()
	header("account", "side", "id", "date", "amount", "text")
	for _, a := range r.Accounts {
		rerr := a.eachOpenItem(ctx, items, func(it ledger.OpenItem) error {
			side := name("bank")
			if it.Posting {
				side = name("ledger")
			}
			return write(a.BankAccount.Number, side, strconv.FormatInt(it.ID, 10), it.Date.String(), csvAmount(it.Amount), it.Text)
		})
		if rerr != nil && err == nil {
			return fmt.Errorf("read the open items of %s: %w", a.BankAccount.Formatted(), rerr)
		}
	}
	if r.To.After(r.From) {
		write()
		header("account", "date", "bank_balance", "ledger_balance", "difference")
		for _, a := range r.Accounts {
			for _, d := range a.Days {
				bank, diff := "", ""
				if d.BankKnown {
					bank, diff = csvAmount(d.Bank), csvAmount(d.Difference())
				}
				write(a.BankAccount.Number, d.Date.String(), bank, csvAmount(d.Ledger), diff)
			}
		}
	}
	cw.Flush()
	if err == nil {
		err = cw.Error()
	}
	if err != nil {
		return fmt.Errorf("write the report as CSV: %w", err)
	}
	return nil
}

// DifferenceSince is the first day of the run of days, ending on the last
// day of the report, on which bank and books have differed at all: where
// the difference shown began, the day to look at first. open says the run
// reaches the first day of the period and that day is after the account's
// start date, so it may have begun before (a longer period would show).
// ok is false when the last day shows no difference, or the bank's balance
// is not known.
func (a AccountReport) DifferenceSince() (since civil.Date, open, ok bool) {
	n := len(a.Days)
	if n == 0 || !a.Days[n-1].BankKnown || a.Days[n-1].Difference() == 0 {
		return civil.Date{}, false, false
	}
	i := n - 1
	for i > 0 && a.Days[i-1].BankKnown && a.Days[i-1].Difference() != 0 {
		i--
	}
	return a.Days[i].Date, i == 0 && a.Days[0].Date.After(a.BankAccount.StartDate), true
}
