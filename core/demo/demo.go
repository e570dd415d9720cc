// Package demo fills a ledger with the books of the demo bank's company, so
// that a new user can try the whole flow (onboarding, the morning,
// reconciliation) against the embedded demo bank, and see it match.
package demo

import (
	"context"
	"fmt"
	"strings"
	"time"

	"bankbro/core/civil"
	"bankbro/core/ledger"
	"bankbro/core/money"
	"bankbro/core/sandbox"
)

// OrgNumber is the demo company's (synthetic) organisation number.
const OrgNumber = "921573405"

// GLFor is the GL account the demo books use for each of the demo bank's
// accounts, by account name; the wizard suggests the same.
var GLFor = map[string]int{
	"Driftskonto":       1920,
	"Lønnskonto":        1921,
	"Skattetrekkskonto": 1950,
	"Sparekonto":        1922,
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
// to show), and vouchers for rent, customer payments with KID and salaries
// up to yesterday, as a bookkeeper would have entered them from invoices:
// the reconciliation then has something to match.
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
		type plan struct {
			number string
			gl     int
		}
		var accounts []plan
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
			accounts = append(accounts, plan{a.AccountNumber, gl})
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
		for _, p := range accounts {
			lines, err := bank.ArchiveFor(p.number, conv, yesterday)
			if err != nil {
				return err
			}
			for _, t := range lines {
				counter, ok := counterAccount(t)
				if other, own := glOf[t.OtherAccountNumber]; own && t.TransactionTypeCode == transferCode {
					// A transfer between two of the company's accounts is one
					// voucher, entered once, from the side the money came in.
					counter, ok = other, t.Amount > 0
				}
				if !ok {
					continue
				}
				v := ledger.Voucher{Date: t.AccountingDate, Description: t.Text, Source: "demo", Postings: []ledger.Posting{
					{Account: p.gl, Amount: t.Amount, Text: t.Text, KID: t.KID},
					{Account: counter, Amount: -t.Amount, Text: t.Text, KID: t.KID},
				}}
				if _, err := tx.AddVoucher(v); err != nil {
					return err
				}
			}
		}
		return tx.Audit("demo.fill", fmt.Sprintf("demo books from %s to %s", conv, yesterday))
	})
}

// transferCode is the bank's transaction type of a transfer between accounts.
const transferCode = 200

// counterAccount says which bank lines the demo bookkeeper entered by hand,
// and against what. The rest is left to the morning import and the matcher.
func counterAccount(t sandbox.Transaction) (int, bool) {
	switch {
	case t.TransactionTypeCode == 161 && t.Amount < 0: // rent and other giros with KID
		if strings.Contains(strings.ToLower(t.Text), "husleie") {
			return 6300, true
		}
		return 2400, true
	case t.KID != "" && t.Amount > 0: // customer payments with KID
		return 1500, true
	case t.TransactionTypeCode == 13: // salaries
		return 2930, true
	}
	return 0, false
}
