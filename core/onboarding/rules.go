package onboarding

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"bankbro/core/bank"
	"bankbro/core/civil"
	"bankbro/core/ledger"
	"bankbro/core/norway"
)

// Facts are what the rules are checked against: what the bank offers this
// person, and what the ledger holds.
type Facts struct {
	// Offered are the accounts the logged-in person may administer.
	Offered []bank.Account
	Company ledger.Company
	Chart   []ledger.Account
	// Existing are the bank accounts the ledger has from earlier onboardings.
	Existing []ledger.BankAccount
	Today    civil.Date
	// PaymentsAllowed is false when the bank's subscription has no payments (Basis).
	PaymentsAllowed bool
	// Subscription names the bank's subscription, for messages.
	Subscription string
}

func (f Facts) offered(number string) (bank.Account, bool) {
	for _, a := range f.Offered {
		if a.Number == number {
			return a, true
		}
	}
	return bank.Account{}, false
}

func (f Facts) account(n int) (ledger.Account, bool) {
	for _, a := range f.Chart {
		if a.Number == n {
			return a, true
		}
	}
	return ledger.Account{}, false
}

func problem(step Step, rule, account string, tmpl string, data map[string]any) Problem {
	if data == nil {
		data = map[string]any{}
	}
	if account != "" {
		data["Account"] = norway.FormatAccountNumber(account)
	}
	return Problem{Step: step, Rule: rule, Account: account, Template: tmpl, Data: data}
}

func warning(step Step, rule, account string, tmpl string, data map[string]any) Problem {
	p := problem(step, rule, account, tmpl, data)
	p.Warning = true
	return p
}

// Check applies every rule of the wizard to the plan.
func Check(p Plan, f Facts) Problems {
	var ps Problems
	ps = append(ps, checkAccounts(p, f)...)
	ps = append(ps, checkServices(p, f)...)
	ps = append(ps, checkFeeAccount(p, f)...)
	ps = append(ps, checkStartDate(p, f)...)
	ps = append(ps, checkRoles(p, f)...)
	return ps
}

// CheckStep applies the rules of the pages up to and including step.
func CheckStep(p Plan, f Facts, step Step) Problems {
	var out Problems
	for _, pr := range Check(p, f) {
		if pr.Step <= step {
			out = append(out, pr)
		}
	}
	return out
}

func checkAccounts(p Plan, f Facts) Problems {
	var ps Problems
	if len(p.Accounts) == 0 {
		ps = append(ps, problem(StepAccounts, "no-accounts", "", "Choose at least one bank account to activate.", nil))
	}
	byGL := map[int][]string{}
	seen := map[string]bool{}
	for _, a := range p.Accounts {
		if seen[a.AccountNumber] {
			ps = append(ps, problem(StepAccounts, "account-twice", a.AccountNumber, "Account {{.Account}} is in the plan twice.", nil))
			continue
		}
		seen[a.AccountNumber] = true
		if _, ok := f.offered(a.AccountNumber); !ok {
			ps = append(ps, problem(StepAccounts, "mandate", a.AccountNumber,
				"You may not administer account {{.Account}} in the bank, so it cannot be connected. Log in as a person with a mandate for it.", nil))
		}
		if a.GLAccount == 0 {
			ps = append(ps, problem(StepAccounts, "gl-missing", a.AccountNumber, "Choose a GL account for bank account {{.Account}}.", nil))
			continue
		}
		if _, ok := f.account(a.GLAccount); !ok {
			ps = append(ps, problem(StepAccounts, "gl-unknown", a.AccountNumber,
				"GL account {{.GL}} for bank account {{.Account}} is not in the chart of accounts.", map[string]any{"GL": a.GLAccount}))
			continue
		}
		byGL[a.GLAccount] = append(byGL[a.GLAccount], a.AccountNumber)
		for _, e := range f.Existing {
			if e.GLAccount == a.GLAccount && e.Number != a.AccountNumber && p.hasNot(e.Number) {
				ps = append(ps, problem(StepAccounts, "gl-taken", a.AccountNumber,
					"GL account {{.GL}} already belongs to bank account {{.Other}} ({{.OtherName}}). One GL account per bank account: choose another for {{.Account}}.",
					map[string]any{"GL": a.GLAccount, "Other": e.Formatted(), "OtherName": e.Name}))
			}
		}
	}
	gls := make([]int, 0, len(byGL))
	for gl := range byGL {
		gls = append(gls, gl)
	}
	sort.Ints(gls)
	for _, gl := range gls {
		numbers := byGL[gl]
		if len(numbers) < 2 {
			continue
		}
		for i, n := range numbers {
			others := make([]string, 0, len(numbers)-1)
			for j, o := range numbers {
				if j != i {
					others = append(others, norway.FormatAccountNumber(o))
				}
			}
			ps = append(ps, problem(StepAccounts, "gl-duplicate", n,
				"GL account {{.GL}} is chosen for {{.Account}} and for {{.Others}}. Each bank account needs its own GL account: two would mix the accounts in the books and break the reconciliation.",
				map[string]any{"GL": gl, "Others": strings.Join(others, ", ")}))
		}
	}
	return ps
}

// hasNot reports whether the plan leaves out the account (so its GL account
// stays taken by it).
func (p Plan) hasNot(number string) bool {
	_, ok := p.Choice(number)
	return !ok
}

func checkServices(p Plan, f Facts) Problems {
	var ps Problems
	for _, a := range p.Accounts {
		if !a.Remittance && !a.Reconciliation {
			ps = append(ps, problem(StepServices, "no-service", a.AccountNumber,
				"Choose payments, bank reconciliation or both for account {{.Account}}.", nil))
		}
		if a.Remittance && !f.PaymentsAllowed {
			ps = append(ps, problem(StepServices, "subscription", a.AccountNumber,
				"Payments from {{.Account}} need a subscription with payments, but the bank's agreement is {{.Subscription}}. Change the subscription in the online bank, or turn payments off.",
				map[string]any{"Subscription": f.Subscription}))
		}
	}
	return ps
}

func checkFeeAccount(p Plan, f Facts) Problems {
	if p.FeeAccount == 0 {
		return Problems{problem(StepFeeAccount, "fee-missing", "", "Choose the GL account bank fees are posted to.", nil)}
	}
	fee, ok := f.account(p.FeeAccount)
	if !ok {
		return Problems{problem(StepFeeAccount, "fee-unknown", "", "The fee account {{.GL}} is not in the chart of accounts.", map[string]any{"GL": p.FeeAccount})}
	}
	if !fee.Active {
		return Problems{problem(StepFeeAccount, "fee-inactive", "", "The fee account {{.GL}} is not in use: take it into use under Settings → Chart of accounts, or choose another.", map[string]any{"GL": p.FeeAccount})}
	}
	for _, a := range p.Accounts {
		if a.GLAccount == p.FeeAccount {
			return Problems{problem(StepFeeAccount, "fee-is-bank", a.AccountNumber,
				"The fee account {{.GL}} is the GL account of bank account {{.Account}}; choose an expense account such as 7770.", map[string]any{"GL": p.FeeAccount})}
		}
	}
	return nil
}

func checkStartDate(p Plan, f Facts) Problems {
	if !p.AnyReconciliation() {
		return nil
	}
	data := map[string]any{"Date": p.StartDate.Norwegian(), "Conversion": f.Company.ConversionDate.Norwegian(), "Today": f.Today.Norwegian()}
	switch {
	case p.StartDate.IsZero():
		return Problems{problem(StepStartDate, "start-missing", "", "Choose the date bank reconciliation starts.", data)}
	case p.StartDate.Before(f.Company.ConversionDate):
		return Problems{problem(StepStartDate, "start-before-conversion", "",
			"The start date {{.Date}} is before the company's conversion date {{.Conversion}}. Bank reconciliation cannot start before the books in Bankbro begin.", data)}
	case p.StartDate.After(f.Today):
		return Problems{problem(StepStartDate, "start-after-today", "", "The start date {{.Date}} is after today ({{.Today}}).", data)}
	}
	var ps Problems
	for _, a := range p.Accounts {
		if a.PostsOpeningBalance() && p.StartDate != f.Company.ConversionDate {
			ps = append(ps, problem(StepStartDate, "opening-not-conversion", a.AccountNumber,
				"An opening balance for {{.Account}} is posted on the conversion date {{.Conversion}}, so the start date must be {{.Conversion}}, not {{.Date}}. A difference on a later date means postings are missing: post them instead.",
				map[string]any{"Date": p.StartDate.Norwegian(), "Conversion": f.Company.ConversionDate.Norwegian()}))
		}
	}
	return ps
}

func checkRoles(p Plan, f Facts) Problems {
	var ps Problems
	roles := []struct {
		name, number string
	}{{"salary", p.Roles.Salary}, {"operating", p.Roles.Operating}, {"tax withholding", p.Roles.TaxWithholding}}
	for _, r := range roles {
		if r.number == "" {
			continue
		}
		if _, ok := p.Choice(r.number); !ok {
			ps = append(ps, problem(StepRoles, "role-inactive", r.number,
				"The {{.Role}} account {{.Account}} is not among the accounts you activate.", map[string]any{"Role": r.name}))
		}
	}
	if p.Roles.TaxWithholding != "" && p.Roles.TaxWithholding == p.Roles.Operating {
		ps = append(ps, warning(StepRoles, "tax-is-operating", p.Roles.TaxWithholding,
			"The tax-withholding account {{.Account}} is also the operating account. By law, withheld tax must stand on its own account unless the company has a bank guarantee for it.", nil))
	}
	if p.Roles.TaxWithholding != "" && p.Roles.TaxWithholding == p.Roles.Salary {
		ps = append(ps, warning(StepRoles, "tax-is-salary", p.Roles.TaxWithholding,
			"The tax-withholding account {{.Account}} is also the salary account. By law, withheld tax must stand on its own account unless the company has a bank guarantee for it.", nil))
	}
	return ps
}

// Suggest fills in a plan for the accounts the bank offers: today's choices
// for accounts already connected, else every account activated with both
// services, GL accounts 1920, 1921, … (1950 for a tax-withholding account,
// 1940 for a savings account),
// the fee account 7770 and the start date at the conversion date.
func Suggest(f Facts) Plan {
	p := Plan{FeeAccount: f.Company.FeeAccount, StartDate: f.Company.ConversionDate}
	if p.FeeAccount == 0 {
		p.FeeAccount = 7770
	}
	existing := map[string]ledger.BankAccount{}
	connected, startFromExisting := false, false
	for _, e := range f.Existing {
		existing[e.Number] = e
		if e.Active {
			connected = true
			if !e.StartDate.IsZero() && (!startFromExisting || e.StartDate.Before(p.StartDate)) {
				p.StartDate, startFromExisting = e.StartDate, true // the earliest start already chosen
			}
			for _, r := range e.Roles {
				switch r {
				case ledger.RoleSalary:
					p.Roles.Salary = e.Number
				case ledger.RoleOperating:
					p.Roles.Operating = e.Number
				case ledger.RoleTaxWithholding:
					p.Roles.TaxWithholding = e.Number
				}
			}
		}
	}
	used := map[int]bool{}
	for _, e := range f.Existing {
		used[e.GLAccount] = true
	}
	next := 1920
	nextGL := func() int {
		for used[next] {
			next++
		}
		used[next] = true
		return next
	}
	for _, a := range f.Offered {
		if e, ok := existing[a.Number]; ok {
			if e.Active || !connected {
				p.Accounts = append(p.Accounts, AccountChoice{AccountNumber: a.Number, GLAccount: e.GLAccount, Remittance: e.Remittance && f.PaymentsAllowed, Reconciliation: e.Reconciliation})
			}
			continue
		}
		if connected {
			continue // a new account in the bank: offered unticked when the integration is already set up
		}
		gl := preferredGL(a)
		if gl == 0 || used[gl] {
			gl = nextGL()
		}
		used[gl] = true
		p.Accounts = append(p.Accounts, AccountChoice{AccountNumber: a.Number, GLAccount: gl, Remittance: f.PaymentsAllowed, Reconciliation: true})
		switch name := strings.ToLower(a.Name); {
		case IsTaxWithholding(a) && p.Roles.TaxWithholding == "":
			p.Roles.TaxWithholding = a.Number
		case strings.Contains(name, "lønn") && p.Roles.Salary == "":
			p.Roles.Salary = a.Number
		case strings.Contains(name, "drift") && p.Roles.Operating == "":
			p.Roles.Operating = a.Number
		}
	}
	return p
}

// Resuggest is the plan for a new login (another person, or the same
// with other mandates) that keeps what the owner chose in old, made for
// the accounts in offeredBefore: an account offered both times keeps its
// choice, ticked or left out; one offered only now gets Suggest's, on a
// GL account no other has (SuggestGL); one no longer offered leaves the
// plan. A role stays on its account while that is offered; a role that
// had none, or whose account is gone, takes Suggest's if that is an
// account new to the owner. The fee account and the start date stay.
func Resuggest(old Plan, offeredBefore []bank.Account, f Facts) Plan {
	s := Suggest(f)
	before := map[string]bool{}
	for _, a := range offeredBefore {
		before[a.Number] = true
	}
	p := s
	p.Accounts = nil
	for _, a := range f.Offered { // what the owner chose first: it keeps its GL account
		if c, ok := old.Choice(a.Number); ok && before[a.Number] {
			p.Accounts = append(p.Accounts, c)
		}
	}
	for _, a := range f.Offered {
		if c, ok := s.Choice(a.Number); ok && !before[a.Number] {
			c.GLAccount = SuggestGL(a, p, f.Existing)
			p.Accounts = append(p.Accounts, c)
		}
	}
	order := map[string]int{}
	for i, a := range f.Offered {
		order[a.Number] = i
	}
	slices.SortFunc(p.Accounts, func(a, b AccountChoice) int { return order[a.AccountNumber] - order[b.AccountNumber] })
	p.FeeAccount, p.StartDate, p.ExcludeAccountsWithDifference = old.FeeAccount, old.StartDate, old.ExcludeAccountsWithDifference
	for _, r := range []struct{ old, now *string }{
		{&old.Roles.Salary, &p.Roles.Salary},
		{&old.Roles.Operating, &p.Roles.Operating},
		{&old.Roles.TaxWithholding, &p.Roles.TaxWithholding},
	} {
		_, offered := f.offered(*r.old)
		switch {
		case *r.old != "" && offered:
			*r.now = *r.old
		case *r.now != "" && before[*r.now]:
			*r.now = "" // an account the owner had and gave no such role
		}
	}
	return p
}

// SuggestGL returns the GL account to offer for an account newly ticked in
// the wizard: 1950 for tax withholding and 1940 for savings when free, else
// the first free of 1920, 1921, ….
func SuggestGL(a bank.Account, p Plan, existing []ledger.BankAccount) int {
	used := map[int]bool{}
	for _, c := range p.Accounts {
		used[c.GLAccount] = true
	}
	for _, e := range existing {
		if e.Number != a.Number {
			used[e.GLAccount] = true
		}
	}
	if gl := preferredGL(a); gl != 0 && !used[gl] {
		return gl
	}
	for gl := 1920; ; gl++ {
		if !used[gl] {
			return gl
		}
	}
}

// preferredGL is the GL account the standard chart names for an account of
// a's kind: 1950 for tax withholding, 1940 for savings; 0 for the rest,
// which take 1920, 1921, ….
func preferredGL(a bank.Account) int {
	switch {
	case IsTaxWithholding(a):
		return 1950
	case IsSavings(a):
		return 1940
	}
	return 0
}

// IsTaxWithholding guesses from the bank's name and type whether the account
// holds withheld tax.
func IsTaxWithholding(a bank.Account) bool {
	s := strings.ToLower(a.Name + " " + a.Type)
	return strings.Contains(s, "skattetrekk") || strings.Contains(s, "tax")
}

// IsSavings guesses from the bank's name and type whether the account is a
// savings account, which the standard chart gives 1940 Bankinnskudd,
// sparekonto.
func IsSavings(a bank.Account) bool {
	s := strings.ToLower(a.Name + " " + a.Type)
	return strings.Contains(s, "spare") || strings.Contains(s, "saving")
}

// String describes a choice for the summary.
func (c AccountChoice) String() string {
	return fmt.Sprintf("%s → %d", norway.FormatAccountNumber(c.AccountNumber), c.GLAccount)
}
