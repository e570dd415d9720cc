package ledger

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"bankbro/core/norway"
)

// AccountType says where an account belongs in the accounts.
type AccountType string

// The account types of the chart.
const (
	Asset     AccountType = "asset"
	Liability AccountType = "liability"
	Equity    AccountType = "equity"
	Income    AccountType = "income"
	Expense   AccountType = "expense"
)

// AccountTypes are the account types, in the order a form offers them.
var AccountTypes = []AccountType{Asset, Liability, Equity, Income, Expense}

// Account is one account of the chart of accounts.
type Account struct {
	Number int
	Name   string
	Type   AccountType
	Active bool
}

// Fits says whether a person looking for find finds the account: its
// number begins with it, or its name holds it, in any case. Every account
// fits an empty find.
func (a Account) Fits(find string) bool {
	s := strings.ToLower(strings.TrimSpace(find))
	return s == "" || strings.HasPrefix(strconv.Itoa(a.Number), s) || strings.Contains(strings.ToLower(a.Name), s)
}

// StandardChart is the chart a new company starts with, modelled on NS 4102
// and trimmed to what a small business uses.
var StandardChart = []Account{
	{1200, "Maskiner og anlegg", Asset, true},
	{1230, "Personbiler", Asset, true},
	{1250, "Inventar", Asset, true},
	{1280, "Kontormaskiner", Asset, true},
	{1400, "Varelager", Asset, true},
	{1500, "Kundefordringer", Asset, true},
	{1570, "Andre kortsiktige fordringer", Asset, true},
	{1580, "Avsetning for tap på fordringer", Asset, true},
	{1700, "Forskuddsbetalte kostnader", Asset, true},
	{1749, "Forskuddsbetalt skatt", Asset, true},
	{1800, "Aksjer og andeler", Asset, true},
	{1900, "Kontanter", Asset, true},
	{1920, "Bankinnskudd", Asset, true},
	{1921, "Bankinnskudd 2", Asset, true},
	{1922, "Bankinnskudd 3", Asset, true},
	{1923, "Bankinnskudd 4", Asset, true},
	{1924, "Bankinnskudd 5", Asset, true},
	{1925, "Bankinnskudd 6", Asset, true},
	{1926, "Bankinnskudd 7", Asset, true},
	{1927, "Bankinnskudd 8", Asset, true},
	{1940, "Bankinnskudd, sparekonto", Asset, true},
	{1950, "Bankinnskudd for skattetrekk", Asset, true},
	{2000, "Aksjekapital", Equity, true},
	{2020, "Overkurs", Equity, true},
	{2050, "Annen egenkapital", Equity, true},
	{2080, "Udekket tap", Equity, true},
	{2220, "Gjeld til kredittinstitusjoner", Liability, true},
	{2250, "Gjeld til ansatte og eiere", Liability, true},
	{2400, "Leverandørgjeld", Liability, true},
	{2500, "Betalbar skatt", Liability, true},
	{2600, "Forskuddstrekk", Liability, true},
	{2700, "Utgående merverdiavgift", Liability, true},
	{2710, "Inngående merverdiavgift", Liability, true},
	{2740, "Oppgjørskonto merverdiavgift", Liability, true},
	{2770, "Skyldig arbeidsgiveravgift", Liability, true},
	{2780, "Påløpt arbeidsgiveravgift på ferielønn", Liability, true},
	{2800, "Avsatt utbytte", Liability, true},
	{2900, "Annen kortsiktig gjeld", Liability, true},
	{2930, "Skyldig lønn", Liability, true},
	{2940, "Skyldig feriepenger", Liability, true},
	{2960, "Påløpte kostnader", Liability, true},
	{2990, "Annen kortsiktig gjeld, diverse", Liability, true},
	{3000, "Salgsinntekt, avgiftspliktig", Income, true},
	{3100, "Salgsinntekt, avgiftsfri", Income, true},
	{3200, "Salgsinntekt, utenfor avgiftsområdet", Income, true},
	{3400, "Offentlige tilskudd", Income, true},
	{3600, "Leieinntekt", Income, true},
	{3900, "Annen driftsinntekt", Income, true},
	{4000, "Innkjøp av råvarer og halvfabrikata", Expense, true},
	{4300, "Innkjøp av varer for videresalg", Expense, true},
	{4500, "Fremmedytelse og underentreprise", Expense, true},
	{5000, "Lønn til ansatte", Expense, true},
	{5090, "Påløpte feriepenger", Expense, true},
	{5180, "Endring i påløpte feriepenger", Expense, true},
	{5400, "Arbeidsgiveravgift", Expense, true},
	{5420, "Innberetningspliktig pensjonskostnad", Expense, true},
	{5900, "Annen personalkostnad", Expense, true},
	{6000, "Avskrivning på varige driftsmidler", Expense, true},
	{6100, "Frakt og transport", Expense, true},
	{6300, "Leie lokale", Expense, true},
	{6340, "Lys og varme", Expense, true},
	{6360, "Renhold", Expense, true},
	{6400, "Leie maskiner", Expense, true},
	{6500, "Verktøy og inventar", Expense, true},
	{6540, "Inventar", Expense, true},
	{6600, "Reparasjon og vedlikehold", Expense, true},
	{6700, "Revisjons- og regnskapshonorar", Expense, true},
	{6800, "Kontorrekvisita", Expense, true},
	{6860, "Møter, kurs og oppdatering", Expense, true},
	{6900, "Telefon og internett", Expense, true},
	{6940, "Porto", Expense, true},
	{7000, "Drivstoff", Expense, true},
	{7100, "Bilgodtgjørelse", Expense, true},
	{7140, "Reisekostnad", Expense, true},
	{7320, "Reklamekostnad", Expense, true},
	{7350, "Representasjon", Expense, true},
	{7400, "Kontingenter", Expense, true},
	{7500, "Forsikringspremie", Expense, true},
	{7770, "Bank- og kortgebyrer", Expense, true},
	{7790, "Annen kostnad", Expense, true},
	{7830, "Tap på fordringer", Expense, true},
	{8040, "Renteinntekt", Income, true},
	{8050, "Annen renteinntekt", Income, true},
	{8140, "Rentekostnad", Expense, true},
	{8150, "Annen rentekostnad", Expense, true},
	{8300, "Betalbar skatt", Expense, true},
	{8800, "Årsresultat", Equity, true},
}

func (tx *Tx) insertChart(chart []Account) error {
	for _, a := range chart {
		if _, err := tx.exec(`INSERT INTO accounts (number, name, type, active) VALUES (?, ?, ?, ?)`,
			a.Number, a.Name, string(a.Type), a.Active); err != nil {
			return fmt.Errorf("account %d: %w", a.Number, err)
		}
	}
	return nil
}

// Accounts returns the chart of accounts in number order.
func (l *Ledger) Accounts(ctx context.Context) ([]Account, error) {
	rows, err := l.db.QueryContext(ctx, `SELECT number, name, type, active FROM accounts ORDER BY number`)
	if err != nil {
		return nil, fmt.Errorf("read the chart of accounts: %w", err)
	}
	defer rows.Close()
	var out []Account
	for rows.Next() {
		var a Account
		if err := rows.Scan(&a.Number, &a.Name, &a.Type, &a.Active); err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// Account returns one account of the chart, or ErrNoSuchRecord.
func (l *Ledger) Account(ctx context.Context, number int) (Account, error) {
	a := Account{Number: number}
	err := l.db.QueryRowContext(ctx, `SELECT name, type, active FROM accounts WHERE number = ?`, number).
		Scan(&a.Name, &a.Type, &a.Active)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return Account{}, fmt.Errorf("account %d: %w", number, ErrNoSuchRecord)
	case err != nil:
		return Account{}, fmt.Errorf("read account %d: %w", number, err)
	}
	return a, nil
}

// CheckAccountNumber says whether n can number an account of the chart:
// four digits, 1000 to 9999 (ErrAccountNumber). SaveAccount checks it; the
// forms check it as the number is typed.
func CheckAccountNumber(n int) error {
	if n < 1000 || n > 9999 {
		return fmt.Errorf("account %d: %w", n, ErrAccountNumber)
	}
	return nil
}

// TypeOfNumber is the type an account of number n has in NS 4102: what a
// new account is offered. Class 9 (internal and cost accounting) has none:
// "" there, for the owner to choose.
func TypeOfNumber(n int) AccountType {
	switch {
	case n < 2000:
		return Asset
	case n < 2100:
		return Equity
	case n < 3000:
		return Liability
	case n < 4000:
		return Income
	case n < 8000:
		return Expense
	case n < 8100:
		return Income // financial income
	case n < 8800:
		return Expense // financial costs and tax
	case n < 9000:
		return Equity // the year's result and its disposal
	}
	return ""
}

// Errors of SaveAccount that callers may test for with errors.Is.
var (
	ErrAccountNumber = errors.New("an account number has four digits, 1000 to 9999")
	ErrAccountName   = errors.New("an account needs a name")
	ErrAccountType   = errors.New("an account is an asset, liability, equity, income or expense account")
)

// AccountInUseError is an account that cannot be taken out of use: the
// bank integration posts to it.
type AccountInUseError struct {
	Number int
	Use    AccountUse
	// BankAccount is the bank account whose GL account it is (UsedByBankAccount).
	BankAccount string
}

// AccountUse is what an account in use is used for.
type AccountUse int

const (
	UsedByBankAccount AccountUse = iota + 1 // a bank account's GL account
	UsedForFees                             // the account bank fees are posted to
	UsedByRule                              // an active post-and-match rule posts to it
	UsedByPostings                          // postings stand on it (its type stays)
)

func (e *AccountInUseError) Error() string {
	switch e.Use {
	case UsedByBankAccount:
		return fmt.Sprintf("account %d is the GL account of bank account %s", e.Number, e.BankAccount)
	case UsedForFees:
		return fmt.Sprintf("account %d is where bank fees are posted", e.Number)
	case UsedByPostings:
		return fmt.Sprintf("account %d has postings", e.Number)
	}
	return fmt.Sprintf("account %d is posted to by an active rule", e.Number)
}

// SaveAccount adds an account to the chart, or renames, retypes, or takes
// it in or out of use. An account the bank integration posts to stays in
// use and keeps its type, as does an account with postings: retyped, it
// would move them between the balance sheet and the income statement
// (*AccountInUseError).
func (tx *Tx) SaveAccount(a Account) error {
	a.Name = strings.TrimSpace(a.Name)
	if err := CheckAccountNumber(a.Number); err != nil {
		return err
	}
	switch {
	case a.Name == "":
		return fmt.Errorf("account %d: %w", a.Number, ErrAccountName)
	case !slices.Contains(AccountTypes, a.Type):
		return fmt.Errorf("account %d: %w", a.Number, ErrAccountType)
	}
	var was Account
	err := tx.tx.QueryRowContext(tx.ctx, `SELECT type, active FROM accounts WHERE number = ?`, a.Number).Scan(&was.Type, &was.Active)
	known := err == nil
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("read account %d: %w", a.Number, err)
	}
	if known && (!a.Active && was.Active || a.Type != was.Type) {
		if err := tx.accountInUse(a.Number); err != nil {
			return err
		}
	}
	if known && a.Type != was.Type {
		var posted bool
		if err := tx.tx.QueryRowContext(tx.ctx, `SELECT EXISTS (SELECT 1 FROM postings WHERE account = ?)`, a.Number).Scan(&posted); err != nil {
			return fmt.Errorf("read account %d: %w", a.Number, err)
		}
		if posted {
			return &AccountInUseError{Number: a.Number, Use: UsedByPostings}
		}
	}
	_, err = tx.exec(`INSERT INTO accounts (number, name, type, active) VALUES (?, ?, ?, ?)
		ON CONFLICT (number) DO UPDATE SET name = excluded.name, type = excluded.type, active = excluded.active`,
		a.Number, a.Name, string(a.Type), a.Active)
	if err != nil {
		return fmt.Errorf("save account %d: %w", a.Number, err)
	}
	state := "in use"
	if !a.Active {
		state = "not in use"
	}
	return tx.Audit("account.save", fmt.Sprintf("%d %s (%s, %s)", a.Number, a.Name, a.Type, state))
}

// UsableAccount is nil when account n is in the chart and in use, and an
// *AccountError saying why not otherwise: what a posting to it needs.
func (l *Ledger) UsableAccount(ctx context.Context, n int) error {
	return usableAccount(ctx, l.db, n)
}

func (tx *Tx) usableAccount(n int) error { return usableAccount(tx.ctx, tx.tx, n) }

func usableAccount(ctx context.Context, q querier, n int) error {
	var name string
	var active bool
	err := q.QueryRowContext(ctx, `SELECT name, active FROM accounts WHERE number = ?`, n).Scan(&name, &active)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return &AccountError{Number: n, Problem: AccountMissing}
	case err != nil:
		return fmt.Errorf("read account %d: %w", n, err)
	case !active:
		return &AccountError{Number: n, Name: name, Problem: AccountInactive}
	}
	return nil
}

// accountInUse says what the bank integration uses account n for, if
// anything.
func (tx *Tx) accountInUse(n int) error {
	var number string
	err := tx.tx.QueryRowContext(tx.ctx, `SELECT number FROM bank_accounts WHERE gl_account = ? ORDER BY id LIMIT 1`, n).Scan(&number)
	if err == nil {
		return &AccountInUseError{Number: n, Use: UsedByBankAccount, BankAccount: norway.FormatAccountNumber(number)}
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	var uses int
	if err := tx.tx.QueryRowContext(tx.ctx, `SELECT count(*) FROM company WHERE fee_account = ?`, n).Scan(&uses); err != nil {
		return err
	}
	if uses > 0 {
		return &AccountInUseError{Number: n, Use: UsedForFees}
	}
	if err := tx.tx.QueryRowContext(tx.ctx, `SELECT count(*) FROM rules WHERE account = ? AND active = 1 AND kind = 'post_and_match'`, n).Scan(&uses); err != nil {
		return err
	}
	if uses > 0 {
		return &AccountInUseError{Number: n, Use: UsedByRule}
	}
	return nil
}

// AccountError is a GL account that cannot take a posting: what it is
// and why, for the window to say in the owner's language.
type AccountError struct {
	Number  int
	Name    string // when known
	Problem AccountProblem
}

// AccountProblem is why an account cannot take a posting.
type AccountProblem int

const (
	AccountMissing  AccountProblem = iota + 1 // not in the chart of accounts
	AccountInactive                           // in the chart, not in use
	AccountIsBank                             // a bank account's own GL account
)

func (e *AccountError) Error() string {
	switch e.Problem {
	case AccountMissing:
		return fmt.Sprintf("account %d is not in the chart of accounts", e.Number)
	case AccountInactive:
		return fmt.Sprintf("account %d %s is not in use", e.Number, e.Name)
	default:
		return fmt.Sprintf("account %d is a bank account's GL account: post bank lines to where the money went, not to a bank account", e.Number)
	}
}
