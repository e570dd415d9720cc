// Package demo fills a ledger with the books of the demo bank's company, so
// that a new user can try the whole flow (onboarding, the morning,
// reconciliation) against the embedded demo bank, and see it match.
package demo

import (
	"context"
	"fmt"
	"time"

	"bankbro/core/civil"
	"bankbro/core/ledger"
	"bankbro/core/money"
	"bankbro/core/sandbox"
	"bankbro/core/sync"
)

// OrgNumber is the demo company's (synthetic) organisation number.
const OrgNumber = "921573405"

// GLFor is the GL account the demo books use for each of the demo bank's
// accounts, by account name; the wizard suggests the same.
var GLFor = map[string]int{
	"Driftskonto":       1920,
	"Lønnskonto":        1921,
	"Skattetrekkskonto": 1950,
	"Sparekonto":        1940,
}

// Create makes a demo company's ledger at path: the demo bank's company,
// converted on 1 January of today's year, filled by Fill.
func Create(ctx context.Context, path string, today civil.Date) (*ledger.Ledger, error) {
	l, err := ledger.Create(ctx, path, ledger.Company{
		Name:           sandbox.CompanyName,
		OrgNumber:      OrgNumber,
		ConversionDate: civil.New(today.Year, time.January, 1),
	})
	if err != nil {
		return nil, err
	}
	if err := Fill(ctx, l, today); err != nil {
		l.Close()
		return nil, err
	}
	return l, nil
}

// Fill posts, as of the company's conversion date, the opening balances of
// the demo bank's accounts (all but one, so that onboarding has a difference
// to show), and vouchers for the bank's lines up to the morning's days, as
// a bookkeeper would have entered them from invoices and receipts: the
// reconciliation then matches them, and the morning's lines are left for
// the owner.
func Fill(ctx context.Context, l *ledger.Ledger, today civil.Date) error {
	c, err := l.Company(ctx)
	if err != nil {
		return err
	}
	bank, err := sandbox.New(sandbox.Options{Today: today})
	if err != nil {
		return err
	}
	conv := c.ConversionDate
	yesterday := today.AddDays(-1)
	return l.Update(ctx, func(tx *ledger.Tx) error {
		opening := ledger.Voucher{Date: conv, Description: "Inngående balanse", Source: ledger.SourceOpening}
		var equity money.Amount
		type account struct {
			number string
			gl     int
		}
		var accounts []account
		for _, a := range bank.AccountsFor(sandbox.ManagerID) {
			gl, ok := GLFor[a.Name]
			if !ok {
				continue // left out on purpose: the wizard shows its balance difference
			}
			bal, err := bank.BalanceAt(a.AccountNumber, conv.AddDays(-1))
			if err != nil {
				return err
			}
			opening.Postings = append(opening.Postings, ledger.Posting{Account: gl, Amount: bal, Text: "Inngående balanse " + a.Name})
			equity -= bal
			accounts = append(accounts, account{a.AccountNumber, gl})
		}
		opening.Postings = append(opening.Postings, ledger.Posting{Account: 2050, Amount: equity, Text: "Inngående balanse"})
		if _, err := tx.AddVoucher(opening); err != nil {
			return fmt.Errorf("opening balances: %w", err)
		}
		if yesterday.Before(conv) {
			return nil
		}
		glOf := map[string]int{}
		for _, p := range accounts {
			glOf[p.number] = p.gl
		}
		// The bookkeeper has entered the bank's lines up to the days the
		// morning screen shows (sync.MorningDays: yesterday, from Friday on
		// a Monday), as years of books do (plan), a voucher per line or per
		// day and kind; those days wait for the owner's morning, and bank
		// fees for the import, which posts them.
		openFrom, _ := sync.MorningDays(today)
		var vouchers []ledger.Voucher
		for _, p := range accounts {
			lines, err := bank.ArchiveFor(p.number, conv, yesterday)
			if err != nil {
				return err
			}
			group := map[string]int{} // "date|group" -> index in vouchers
			for _, t := range lines {
				if !t.AccountingDate.Before(openFrom) {
					continue
				}
				bank := ledger.Posting{Account: p.gl, Amount: t.Amount, Text: t.Text, KID: t.KID}
				if other, own := glOf[t.OtherAccountNumber]; own && t.TransactionTypeCode == transferCode {
					// A transfer between two of the company's accounts is one
					// voucher, entered once, from the side the money came in.
					if t.Amount > 0 {
						vouchers = append(vouchers, ledger.Voucher{Date: t.AccountingDate, Description: t.Text, Source: "demo",
							Postings: []ledger.Posting{bank, {Account: other, Amount: -t.Amount, Text: t.Text}}})
					}
					continue
				}
				pl, ok := plan(t, 0, nil)
				if !ok || pl.fee {
					continue
				}
				if pl.group == "" {
					vouchers = append(vouchers, ledger.Voucher{Date: t.AccountingDate, Description: pl.description, Source: "demo",
						Postings: []ledger.Posting{bank, {Account: pl.counter, Amount: -t.Amount, Text: t.Text, KID: t.KID}}})
					continue
				}
				key := t.AccountingDate.String() + "|" + pl.group
				v, ok := group[key]
				if !ok {
					v = len(vouchers)
					group[key] = v
					vouchers = append(vouchers, ledger.Voucher{Date: t.AccountingDate, Description: pl.description, Source: "demo"})
				}
				vouchers[v].Postings = addCounter(append(vouchers[v].Postings, bank), pl.counter, -t.Amount)
			}
		}
		if _, err := tx.AddVouchers(vouchers); err != nil {
			return err
		}
		return tx.Audit("demo.fill", fmt.Sprintf("demo books from %s to %s", conv, yesterday))
	})
}

// transferCode is the bank's transaction type of a transfer between accounts.
const transferCode = 200

// addCounter adds amount to the voucher's counter posting on account (one
// without text: the day's total), or a new one.
func addCounter(ps []ledger.Posting, account int, amount money.Amount) []ledger.Posting {
	for i := range ps {
		if ps[i].Account == account && ps[i].Text == "" {
			ps[i].Amount += amount
			return ps
		}
	}
	return append(ps, ledger.Posting{Account: account, Amount: amount})
}
