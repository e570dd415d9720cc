package ledger

import (
	"context"
	"errors"
	"testing"
)

// The standard chart's accounts have the type their number gives them in
// NS 4102, which a new account is offered; so do the ends of each class.
func TestTypeOfNumber(t *testing.T) {
	for _, a := range StandardChart {
		if got := TypeOfNumber(a.Number); got != a.Type {
			t.Errorf("TypeOfNumber(%d) = %s, the standard chart says %s (%s)", a.Number, got, a.Type, a.Name)
		}
	}
	for _, c := range []struct {
		n    int
		want AccountType
	}{
		{1000, Asset}, {1999, Asset}, {2000, Equity}, {2099, Equity}, {2100, Liability}, {2999, Liability},
		{3000, Income}, {3999, Income}, {4000, Expense}, {7999, Expense}, {8000, Income}, {8099, Income},
		{8100, Expense}, {8799, Expense}, {8800, Equity}, {8999, Equity}, {9000, ""}, {9999, ""},
	} {
		if got := TypeOfNumber(c.n); got != c.want {
			t.Errorf("TypeOfNumber(%d) = %q, want %q", c.n, got, c.want)
		}
	}
}

// SaveAccount adds and changes accounts, refuses what is no account, and
// keeps in use the accounts the bank integration posts to.
func TestSaveAccount(t *testing.T) {
	ctx := context.Background()
	l := newLedger(t)
	addBank(t, l) // 1920 is its GL account
	save := func(a Account) error { return l.Update(ctx, func(tx *Tx) error { return tx.SaveAccount(a) }) }
	if err := save(Account{Number: 6540, Name: " Inventar, småanskaffelser ", Type: Expense, Active: true}); err != nil {
		t.Fatal(err)
	}
	if a, err := l.Account(ctx, 6540); err != nil || a != (Account{6540, "Inventar, småanskaffelser", Expense, true}) {
		t.Errorf("added: %+v, %v", a, err)
	}
	if err := save(Account{Number: 6540, Name: "Småanskaffelser", Type: Expense, Active: false}); err != nil {
		t.Fatal(err)
	}
	if a, _ := l.Account(ctx, 6540); a != (Account{6540, "Småanskaffelser", Expense, false}) {
		t.Errorf("changed: %+v", a)
	}
	for _, c := range []struct {
		a    Account
		want error
	}{
		{Account{Number: 999, Name: "x", Type: Expense, Active: true}, ErrAccountNumber},
		{Account{Number: 10000, Name: "x", Type: Expense, Active: true}, ErrAccountNumber},
		{Account{Number: 6550, Name: "  ", Type: Expense, Active: true}, ErrAccountName},
		{Account{Number: 6550, Name: "x", Type: "cost", Active: true}, ErrAccountType},
	} {
		if err := save(c.a); !errors.Is(err, c.want) {
			t.Errorf("SaveAccount(%+v) = %v, want %v", c.a, err, c.want)
		}
	}
	if _, err := l.Account(ctx, 6550); !errors.Is(err, ErrNoSuchRecord) {
		t.Errorf("a refused account was stored: %v", err)
	}
	// In use by the bank integration: renamed, yes; taken out of use, no.
	if err := l.Update(ctx, func(tx *Tx) error {
		_, err := tx.SaveRule(Rule{Kind: RulePostAndMatch, TextContains: "Renter", Direction: DirectionIn, Account: 8040, Active: true})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		a    Account
		want AccountInUseError
	}{
		{Account{1920, "Bankinnskudd", Asset, false}, AccountInUseError{Number: 1920, Use: UsedByBankAccount, BankAccount: "1503.20.80119"}},
		{Account{7770, "Bank- og kortgebyrer", Expense, false}, AccountInUseError{Number: 7770, Use: UsedForFees}},
		{Account{8040, "Renteinntekt", Income, false}, AccountInUseError{Number: 8040, Use: UsedByRule}},
	} {
		var inUse *AccountInUseError
		if err := save(c.a); !errors.As(err, &inUse) || *inUse != c.want {
			t.Errorf("taking %d out of use: %v, want %+v", c.a.Number, err, c.want)
		}
		if a, _ := l.Account(ctx, c.a.Number); !a.Active {
			t.Errorf("%d was taken out of use", c.a.Number)
		}
		c.a.Active, c.a.Name = true, c.a.Name+" (renamed)"
		if err := save(c.a); err != nil {
			t.Errorf("renaming %d: %v", c.a.Number, err)
		}
	}
	// An account in use, or with postings, keeps its type: retyped, its
	// postings would move between the balance sheet and the income
	// statement.
	if err := l.Update(ctx, func(tx *Tx) error {
		_, err := tx.AddVoucher(Voucher{Date: testCompany.ConversionDate, Description: "Kontorrekvisita", Postings: []Posting{
			{Account: 6800, Amount: 10000}, {Account: 1900, Amount: -10000}}})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		a    Account
		want AccountUse
	}{
		{Account{Number: 1920, Name: "Bankinnskudd (renamed)", Type: Income, Active: true}, UsedByBankAccount},
		{Account{Number: 7770, Name: "Bank- og kortgebyrer (renamed)", Type: Asset, Active: true}, UsedForFees},
		{Account{Number: 8040, Name: "Renteinntekt (renamed)", Type: Expense, Active: true}, UsedByRule},
		{Account{Number: 6800, Name: "Kontorrekvisita", Type: Asset, Active: true}, UsedByPostings},
	} {
		var inUse *AccountInUseError
		if err := save(c.a); !errors.As(err, &inUse) || inUse.Use != c.want {
			t.Errorf("retyping %d: %v, want it refused as in use (%d)", c.a.Number, err, c.want)
		}
	}
	// An account not in use takes no rule and is no fee account.
	err := l.Update(ctx, func(tx *Tx) error {
		_, err := tx.SaveRule(Rule{Kind: RulePostAndMatch, TextContains: "Verktøy", Direction: DirectionOut, Account: 6540, Active: true})
		return err
	})
	var accErr *AccountError
	if !errors.As(err, &accErr) || accErr.Problem != AccountInactive {
		t.Errorf("a rule posting to 6540, not in use: %v", err)
	}
	if err := l.Update(ctx, func(tx *Tx) error { return tx.SetFeeAccount(6540) }); !errors.As(err, &accErr) || accErr.Problem != AccountInactive {
		t.Errorf("fees to 6540, not in use: %v", err)
	}
	var audit int
	if err := l.db.QueryRow(`SELECT count(*) FROM audit_log WHERE action = 'account.save'`).Scan(&audit); err != nil || audit != 5 {
		t.Errorf("%d account changes in the audit log (%v), want 5", audit, err)
	}
}

// An account is found by the beginning of its number or by part of its
// name, in any case; not by the middle of its number.
func TestAccountFits(t *testing.T) {
	a := Account{Number: 7770, Name: "Bank- og kortgebyrer", Type: Expense, Active: true}
	for find, want := range map[string]bool{
		"": true, "  ": true, "7": true, "777": true, " 7770 ": true, "77701": false, "770": false,
		"kort": true, "KORT": true, "bank- og": true, "gebyr": true, "renter": false,
	} {
		if got := a.Fits(find); got != want {
			t.Errorf("Fits(%q) = %v, want %v", find, got, want)
		}
	}
}
