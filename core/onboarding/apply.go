package onboarding

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"bankbro/core/bank"
	"bankbro/core/civil"
	"bankbro/core/ledger"
	"bankbro/core/money"
	"bankbro/core/norway"
	"bankbro/core/reconcile"
	banksync "bankbro/core/sync"
)

// Bank is what onboarding needs from the bank's API.
type Bank interface {
	Accounts(ctx context.Context) ([]bank.Account, error)
	Archive(ctx context.Context, accountID string, from, to civil.Date) ([]bank.Transaction, error)
	Payments(ctx context.Context, accountID string) ([]bank.Payment, error)
}

// Gather reads what the rules need: the accounts this person may administer
// (their mandate), whether the subscription includes payments, and the
// ledger's chart, company and bank accounts.
func Gather(ctx context.Context, l *ledger.Ledger, b Bank, today civil.Date) (Facts, error) {
	f := Facts{Today: today, PaymentsAllowed: true, Subscription: "Pluss"}
	var err error
	if f.Offered, err = b.Accounts(ctx); err != nil {
		return Facts{}, err
	}
	if len(f.Offered) > 0 {
		if _, err := b.Payments(ctx, f.Offered[0].ID); bank.IsSubscriptionRequired(err) {
			f.PaymentsAllowed, f.Subscription = false, "Basis"
		} else if err != nil {
			return Facts{}, err
		}
	}
	if f.Company, err = l.Company(ctx); err != nil {
		return Facts{}, err
	}
	if f.Chart, err = l.Accounts(ctx); err != nil {
		return Facts{}, err
	}
	if f.Existing, err = l.BankAccounts(ctx); err != nil {
		return Facts{}, err
	}
	return f, nil
}

// History is what was read from the bank for the start date: per account,
// the lines from the start date through yesterday and the bank's balance at
// the start of the start date.
type History struct {
	StartDate civil.Date
	Yesterday civil.Date
	Accounts  map[string]AccountHistory
}

// AccountHistory is one account's history.
type AccountHistory struct {
	Lines          []bank.Transaction
	OpeningBalance money.Amount // the bank's balance at the start of the start date
}

// Progress reports how far reading the history has come.
type Progress struct {
	Account string
	Done    int
	Total   int
}

// ReadHistory reads, for every account with reconciliation, each booked
// transaction from the start date to today, and derives the bank's balance
// at the start of the start date (the booked balance now minus everything
// booked since). Lines through yesterday are kept for storing; today's are
// read again tomorrow morning.
func ReadHistory(ctx context.Context, b Bank, p Plan, f Facts, progress func(Progress)) (History, error) {
	h := History{StartDate: p.StartDate, Yesterday: f.Today.AddDays(-1), Accounts: map[string]AccountHistory{}}
	var todo []AccountChoice
	for _, c := range p.Accounts {
		if c.Reconciliation {
			todo = append(todo, c)
		}
	}
	for i, c := range todo {
		if progress != nil {
			progress(Progress{Account: c.AccountNumber, Done: i, Total: len(todo)})
		}
		a, ok := f.offered(c.AccountNumber)
		if !ok {
			return History{}, fmt.Errorf("account %s: you may not administer it in the bank", norway.FormatAccountNumber(c.AccountNumber))
		}
		lines, err := b.Archive(ctx, a.ID, p.StartDate, f.Today)
		if err != nil {
			return History{}, fmt.Errorf("read the history of %s: %w", norway.FormatAccountNumber(c.AccountNumber), err)
		}
		var since money.Amount
		kept := lines[:0:0]
		for _, t := range lines {
			since += t.Amount
			if !t.AccountingDate.After(h.Yesterday) {
				kept = append(kept, t)
			}
		}
		h.Accounts[c.AccountNumber] = AccountHistory{Lines: kept, OpeningBalance: a.Balance - since}
	}
	if progress != nil {
		progress(Progress{Done: len(todo), Total: len(todo)})
	}
	return h, nil
}

// Difference compares the bank's and the ledger's balance of one account at
// the start of the start date.
type Difference struct {
	AccountNumber string
	Name          string
	GLAccount     int
	Bank          money.Amount
	Ledger        money.Amount
	// OpeningOffered says the difference may be posted as the account's
	// opening balance (AccountChoice.PostOpeningBalance): the start date is
	// the conversion date, the balances differ, and no opening balance
	// stands on the GL account yet. On a later start date a difference
	// means postings are missing, not an opening balance.
	OpeningOffered bool
}

// Diff is the bank's balance minus the ledger's.
func (d Difference) Diff() money.Amount { return d.Bank - d.Ledger }

// OpeningByDefault says whether the wizard ticks posting the opening
// balance before the owner chooses: where it is offered and the books hold
// nothing for the account yet, the bank's balance is the only opening
// balance there can be.
func (d Difference) OpeningByDefault() bool { return d.OpeningOffered && d.Ledger == 0 }

// OpeningCounterAccount is the GL account (Annen egenkapital) an opening
// balance posted at onboarding is set against, as in the demo books.
const OpeningCounterAccount = 2050

// PostsOpening reports whether applying the plan posts the difference as
// the account's opening balance, so that it is no difference to warn about
// or leave the account out for.
func (p Plan) PostsOpening(d Difference) bool {
	c, ok := p.Choice(d.AccountNumber)
	return ok && c.PostsOpeningBalance() && d.OpeningOffered
}

// Compare returns the balances on the start date of every account with
// reconciliation, in plan order.
func Compare(ctx context.Context, l *ledger.Ledger, p Plan, f Facts, h History) ([]Difference, error) {
	var out []Difference
	for _, c := range p.Accounts {
		ah, ok := h.Accounts[c.AccountNumber]
		if !c.Reconciliation || !ok {
			continue
		}
		bal, err := l.BalanceAtStart(ctx, c.GLAccount, p.StartDate)
		if err != nil {
			return nil, err
		}
		a, _ := f.offered(c.AccountNumber)
		d := Difference{AccountNumber: c.AccountNumber, Name: a.Name, GLAccount: c.GLAccount, Bank: ah.OpeningBalance, Ledger: bal}
		if d.Diff() != 0 && p.StartDate == f.Company.ConversionDate {
			posted, err := l.HasOpeningBalance(ctx, c.GLAccount)
			if err != nil {
				return nil, err
			}
			d.OpeningOffered = !posted
		}
		out = append(out, d)
	}
	return out, nil
}

// DifferenceWarnings words the differences as warnings (account, both
// balances, the difference).
func DifferenceWarnings(diffs []Difference, start civil.Date) Problems {
	var ps Problems
	for _, d := range diffs {
		if d.Diff() == 0 {
			continue
		}
		ps = append(ps, warning(StepStartDate, "balance-difference", d.AccountNumber,
			"On {{.Date}} account {{.Account}} ({{.Name}}) has {{.Bank}} in the bank and {{.Ledger}} on GL account {{.GL}} in the books: a difference of {{.Diff}}. Correct the opening balance right away, or leave the account out.",
			map[string]any{"Date": start.Norwegian(), "Name": d.Name, "Bank": d.Bank.Kr(), "Ledger": d.Ledger.Kr(), "Diff": d.Diff().Kr(), "GL": d.GLAccount}))
	}
	return ps
}

// Unsettled returns the differences the plan leaves standing: those it
// does not post as an opening balance.
func (p Plan) Unsettled(diffs []Difference) []Difference {
	var out []Difference
	for _, d := range diffs {
		if d.Diff() != 0 && !p.PostsOpening(d) {
			out = append(out, d)
		}
	}
	return out
}

// Exclude returns the plan without the accounts that have a difference, and
// the accounts it left out. An account whose difference the plan posts as
// its opening balance stays.
func Exclude(p Plan, diffs []Difference) (Plan, []Difference) {
	out := p.Unsettled(diffs)
	drop := map[string]bool{}
	for _, d := range out {
		drop[d.AccountNumber] = true
	}
	q := p
	q.Accounts = nil
	for _, c := range p.Accounts {
		if !drop[c.AccountNumber] {
			q.Accounts = append(q.Accounts, c)
		}
	}
	for _, r := range []*string{&q.Roles.Salary, &q.Roles.Operating, &q.Roles.TaxWithholding} {
		if drop[*r] {
			*r = ""
		}
	}
	return q, out
}

// Recorder notes the bank integration in the ledger as part of the apply.
type Recorder interface {
	Record(tx *ledger.Tx, today civil.Date, subscription string) error
}

// Result says what an apply changed.
type Result struct {
	Created, Updated, Deactivated, Unchanged int
	LinesAdded, LinesSkipped                 int
	// Matched is how many matches the matcher made over the stored history,
	// and Open how many bank lines it left open: the owner's to post or
	// match.
	Matched, Open int
	// Backup is the backup taken of the books once the history is stored
	// and matched (core/sync.Backup), or BackupErr why there is none; the
	// onboarding stands either way.
	Backup    string
	BackupErr error
	// Openings are the opening balances posted.
	Openings []Opening
}

// Opening is an opening balance Apply posted.
type Opening struct {
	AccountNumber string
	GLAccount     int
	Amount        money.Amount // on the GL account (negative: credited), the opposite on OpeningCounterAccount
	Voucher       ledger.Voucher
}

// Changed reports whether the apply changed anything.
func (r Result) Changed() bool {
	return r.Created+r.Updated+r.Deactivated+r.LinesAdded+len(r.Openings) > 0
}

// ErrRulesBroken is wrapped by Apply's error when the plan breaks a rule.
var ErrRulesBroken = errors.New("the plan breaks the onboarding's rules")

// Apply writes the plan to the ledger in one transaction: bank accounts
// created or updated (left-out ones deactivated, keeping their lines), roles,
// the fee account, the start date, the history from the start date to
// yesterday, each line stored once, and the opening balances the plan asks
// for (postOpening). The rules are checked again first, against the mandate
// as the bank gave it now.
func Apply(ctx context.Context, l *ledger.Ledger, rec Recorder, p Plan, f Facts, h History) (Result, error) {
	if errs := Check(p, f).Errors(); len(errs) > 0 {
		return Result{}, fmt.Errorf("%w: %v", ErrRulesBroken, errs)
	}
	var res Result
	err := l.Update(ctx, func(tx *ledger.Tx) error {
		existing := map[string]ledger.BankAccount{}
		for _, e := range f.Existing {
			existing[e.Number] = e
		}
		ids := map[string]int64{}
		var changes []string
		// Deactivate left-out accounts first; they keep their GL accounts.
		for _, e := range f.Existing {
			if _, kept := p.Choice(e.Number); !kept && e.Active {
				e.Active = false
				if _, err := tx.SaveBankAccount(e); err != nil {
					return err
				}
				res.Deactivated++
				changes = append(changes, "deactivated "+e.Formatted())
			}
		}
		// Connected accounts that change GL account move together, so two may swap.
		moves := map[int64]int{}
		for _, c := range p.Accounts {
			if e, ok := existing[c.AccountNumber]; ok && e.GLAccount != c.GLAccount {
				moves[e.ID] = c.GLAccount
			}
		}
		if err := tx.ReassignGLAccounts(moves); err != nil {
			return err
		}
		// Opening balances first, so that they come first in the voucher
		// numbers too, before the fees the history posts.
		for _, c := range p.Accounts {
			ah, ok := h.Accounts[c.AccountNumber]
			if !c.PostsOpeningBalance() || !ok {
				continue
			}
			a, _ := f.offered(c.AccountNumber)
			o, err := postOpening(tx, c, a.Name, f.Company.ConversionDate, h.StartDate, ah.OpeningBalance)
			if err != nil {
				return err
			}
			if o.Amount != 0 {
				res.Openings = append(res.Openings, o)
				changes = append(changes, fmt.Sprintf("opening balance of %s posted", norway.FormatAccountNumber(c.AccountNumber)))
			}
		}
		for _, c := range p.Accounts {
			a, _ := f.offered(c.AccountNumber)
			want := ledger.BankAccount{
				BankID: a.ID, Number: c.AccountNumber, Name: a.Name, GLAccount: c.GLAccount,
				Remittance: c.Remittance, Reconciliation: c.Reconciliation, Active: true,
			}
			if c.Reconciliation {
				want.StartDate = p.StartDate
			}
			e, had := existing[c.AccountNumber]
			if had && !e.StartDate.IsZero() && c.Reconciliation && e.StartDate.Before(p.StartDate) {
				want.StartDate = e.StartDate // a later start date never hides lines already stored
			}
			id, err := tx.SaveBankAccount(want)
			if err != nil {
				return err
			}
			ids[c.AccountNumber] = id
			switch {
			case !had:
				res.Created++
				changes = append(changes, "created "+norway.FormatAccountNumber(c.AccountNumber))
			case e.Active == want.Active && e.GLAccount == want.GLAccount && e.Remittance == want.Remittance &&
				e.Reconciliation == want.Reconciliation && e.StartDate == want.StartDate && e.Name == want.Name:
				res.Unchanged++
			default:
				res.Updated++
				changes = append(changes, "updated "+norway.FormatAccountNumber(c.AccountNumber))
			}
			ah, ok := h.Accounts[c.AccountNumber]
			if !c.Reconciliation || !ok {
				continue
			}
			want.ID = id
			company := f.Company
			company.FeeAccount = p.FeeAccount
			added, skipped, err := banksync.StoreHistory(tx, company, want, ah.Lines, h.StartDate, h.Yesterday)
			if err != nil {
				return err
			}
			res.LinesAdded += added
			res.LinesSkipped += skipped
			if !had || e.StartDate.IsZero() || p.StartDate.Before(e.StartDate) {
				if err := tx.SetOpeningBankBalance(id, ah.OpeningBalance); err != nil {
					return err
				}
			}
		}
		role := map[ledger.Role]string{ledger.RoleSalary: p.Roles.Salary, ledger.RoleOperating: p.Roles.Operating, ledger.RoleTaxWithholding: p.Roles.TaxWithholding}
		for _, r := range ledger.Roles {
			if err := tx.SetRole(r, ids[role[r]]); err != nil {
				return err
			}
		}
		if p.FeeAccount != f.Company.FeeAccount {
			if err := tx.SetFeeAccount(p.FeeAccount); err != nil {
				return err
			}
			changes = append(changes, fmt.Sprintf("fee account %d", p.FeeAccount))
		}
		if rec != nil {
			sub := "pluss"
			if !f.PaymentsAllowed {
				sub = "basis"
			}
			if err := rec.Record(tx, f.Today, sub); err != nil {
				return err
			}
		}
		if len(changes) > 0 || res.LinesAdded > 0 {
			return tx.Audit("onboarding.apply", fmt.Sprintf("%s; %d lines stored", strings.Join(changes, ", "), res.LinesAdded))
		}
		return nil
	})
	if err != nil {
		return Result{}, err
	}
	// The history is stored; matching it is a run of its own that can be
	// repeated, so its failure does not undo the onboarding.
	matched, err := reconcile.Run(ctx, l, reconcile.Options{})
	if err != nil {
		return res, fmt.Errorf("the bank is connected, but matching its transactions failed (they are matched at the next import): %w", err)
	}
	res.Matched, res.Open = matched.Matched(), matched.OpenLines()
	// The first import is the most the books take in at once: they are
	// backed up as they now stand, as the morning backs them up before
	// each import of its own.
	if res.LinesAdded > 0 {
		res.Backup, res.BackupErr = banksync.Backup(ctx, l, banksync.BackupDir(l), 0)
	}
	return res, nil
}

// postOpening posts the difference between the bank's balance at the start
// of the conversion date and the books' as the account's opening balance,
// dated the conversion date, against OpeningCounterAccount. Where an opening
// balance already stands on the GL account, or nothing differs, it posts
// nothing (a zero Opening), so running onboarding again never posts twice.
func postOpening(tx *ledger.Tx, c AccountChoice, name string, conversion, start civil.Date, bankBalance money.Amount) (Opening, error) {
	if start != conversion {
		return Opening{}, fmt.Errorf("the opening balance of %s is posted on the conversion date %s, but the balances were read for %s",
			norway.FormatAccountNumber(c.AccountNumber), conversion.Norwegian(), start.Norwegian())
	}
	posted, err := tx.HasOpeningBalance(c.GLAccount)
	if err != nil || posted {
		return Opening{}, err
	}
	books, err := tx.BalanceAtStart(c.GLAccount, conversion)
	if err != nil {
		return Opening{}, err
	}
	diff := bankBalance - books
	if diff == 0 {
		return Opening{}, nil
	}
	text := "Inngående balanse " + name
	v, err := tx.AddVoucher(ledger.Voucher{Date: conversion, Description: text, Source: ledger.SourceOpening, Postings: []ledger.Posting{
		{Account: c.GLAccount, Amount: diff, Text: text},
		{Account: OpeningCounterAccount, Amount: -diff, Text: text},
	}})
	if err != nil {
		return Opening{}, fmt.Errorf("post the opening balance of %s: %w", norway.FormatAccountNumber(c.AccountNumber), err)
	}
	err = tx.Audit("onboarding.opening_balance", fmt.Sprintf("voucher %d on %s: %s on %d against %d, the bank's balance of %s",
		v.Number, conversion, diff, c.GLAccount, OpeningCounterAccount, norway.FormatAccountNumber(c.AccountNumber)))
	return Opening{AccountNumber: c.AccountNumber, GLAccount: c.GLAccount, Amount: diff, Voucher: v}, err
}
