package sync

import (
	"context"
	"fmt"
	"slices"

	"bankbro/core/civil"
	"bankbro/core/ledger"
	"bankbro/core/money"
	"bankbro/core/norway"
)

// Line is one bank line as the Yesterday screen shows it.
type Line struct {
	// ID is the ledger's id of the line (for Post and SuggestAccount).
	ID           int64
	Date         civil.Date
	Text         string
	Counterparty string
	Amount       money.Amount
	KID          string
	TypeCode     int
	// Voucher is the live voucher posting the line, or 0.
	Voucher int64
	// Matched says the line is reconciled against postings.
	Matched bool
	// MatchedVouchers are the numbers of the vouchers whose postings the
	// line is matched against (none when it is open, or matched against
	// other bank lines only).
	MatchedVouchers []int64
}

// NeedsAttention says the owner has something to do with the line: it is
// neither posted nor matched.
func (l Line) NeedsAttention() bool { return l.Voucher == 0 && !l.Matched }

// AccountDay is one bank account's morning: the lines of the days since
// the last banking day, and where it stands at the end of them.
type AccountDay struct {
	Account ledger.BankAccount
	// From and Day are the first and the last day shown (MorningDays).
	From, Day civil.Date
	// Lines of the days: those needing attention first, then by id.
	Lines []Line
	// In and Out are the sums of the days' money in (positive) and money
	// out (negative).
	In, Out money.Amount
	// GLBalance is the balance of the bank account's GL account at the end
	// of Day: what the books say is on the account.
	GLBalance money.Amount
	// LinesThrough is the sum of every stored bank line up to and including
	// Day. It is the movement since the start date, not the bank's balance:
	// the bank balance on the start date is not a stored line.
	LinesThrough money.Amount
	// Opening is the bank's balance at the start of the start date, the
	// balance the stored lines continue from: as the bank gave it at
	// onboarding, or else the books' opening balance on that day.
	Opening money.Amount
	// Read says every line of Day has been read from the bank; when false
	// the day's lines may still be coming.
	Read bool
	// Earlier counts the lines from the start date to before From that are
	// neither posted nor matched, and EarlierSum sums them: left from
	// mornings before, which the screen does not show, and the difference
	// between the books and the bank they make.
	Earlier    int
	EarlierSum money.Amount
}

// ExpectedBankBalance is the bank's balance at the end of Day as the
// ledger can work it out: the opening balance plus every bank line read
// since. It equals the bank's balance when Read is true.
func (d AccountDay) ExpectedBankBalance() money.Amount { return d.Opening + d.LinesThrough }

// Attention counts the day's lines that need the owner.
func (d AccountDay) Attention() int {
	n := 0
	for _, l := range d.Lines {
		if l.NeedsAttention() {
			n++
		}
	}
	return n
}

// MorningDays are the days the morning screen shows on today: yesterday,
// and back to the last banking day when yesterday was none. Banks book on
// banking days only, so on a Monday the screen shows Friday to Sunday: what
// came in since the last morning a bank line could have been booked for,
// not an empty Sunday.
func MorningDays(today civil.Date) (from, to civil.Date) {
	to = today.AddDays(-1)
	return norway.LastBankingDay(to), to
}

// Yesterday returns, for every active bank account with reconciliation,
// the lines dated from from to day and its balances at the end of day:
// what the morning screen shows (MorningDays).
func Yesterday(ctx context.Context, l *ledger.Ledger, from, day civil.Date) ([]AccountDay, error) {
	accounts, err := l.BankAccounts(ctx)
	if err != nil {
		return nil, fmt.Errorf("read the bank accounts: %w", err)
	}
	var out []AccountDay
	for _, a := range accounts {
		if !a.Active || !a.Reconciliation {
			continue
		}
		d, err := accountDay(ctx, l, a, from, day)
		if err != nil {
			return nil, fmt.Errorf("read %s for %s: %w", a.Formatted(), day.Norwegian(), err)
		}
		out = append(out, d)
	}
	return out, nil
}

func accountDay(ctx context.Context, l *ledger.Ledger, a ledger.BankAccount, from, day civil.Date) (AccountDay, error) {
	d := AccountDay{Account: a, From: from, Day: day, Read: !a.ReadThrough.IsZero() && !a.ReadThrough.Before(day)}
	lines, err := l.BankLines(ctx, a.ID, from, day)
	if err != nil {
		return d, err
	}
	var matched []int64
	for _, b := range lines {
		if b.Matched {
			matched = append(matched, b.ID)
		}
	}
	against, err := l.MatchedVouchers(ctx, matched)
	if err != nil {
		return d, err
	}
	for _, b := range lines {
		d.Lines = append(d.Lines, Line{ID: b.ID, Date: b.AccountingDate, Text: b.Text, Counterparty: b.Counterparty,
			Amount: b.Amount, KID: b.KID, TypeCode: b.TypeCode, Voucher: b.Voucher, Matched: b.Matched,
			MatchedVouchers: against[b.ID]})
	}
	slices.SortStableFunc(d.Lines, func(x, y Line) int {
		if x.NeedsAttention() != y.NeedsAttention() {
			if x.NeedsAttention() {
				return -1
			}
			return 1
		}
		return 0
	})
	if d.LinesThrough, d.In, d.Out, err = l.BankLinesSum(ctx, a.ID, from, day); err != nil {
		return d, err
	}
	if d.GLBalance, err = l.Balance(ctx, a.GLAccount, day); err != nil {
		return d, err
	}
	if d.Earlier, d.EarlierSum, err = l.UnpostedLines(ctx, a.ID, a.StartDate, from); err != nil {
		return d, err
	}
	opening, recorded, err := l.OpeningBankBalance(ctx, a.ID)
	switch {
	case err != nil:
		return d, err
	case recorded:
		d.Opening = opening
	case !a.StartDate.IsZero():
		if d.Opening, err = l.BalanceAtStart(ctx, a.GLAccount, a.StartDate); err != nil {
			return d, err
		}
	}
	return d, nil
}
