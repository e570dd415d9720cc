// Package onboarding is the model of the onboarding wizard and of
// `bankbro connect`: the choices (a Plan), the rules they must follow, the
// comparison of bank and ledger balances on the start date, and applying it
// all to the ledger in one transaction.
package onboarding

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"text/template"

	"bankbro/core/civil"
	"bankbro/core/norway"
)

// Plan is the owner's choices: the wizard's pages, or `connect --plan`.
type Plan struct {
	Accounts                      []AccountChoice `json:"accounts"`
	FeeAccount                    int             `json:"feeAccount"`
	StartDate                     civil.Date      `json:"startDate"`
	ExcludeAccountsWithDifference bool            `json:"excludeAccountsWithDifference"`
	Roles                         Roles           `json:"roles"`
}

// AccountChoice is one bank account to activate. Accounts the bank lists
// but the plan leaves out are not activated.
type AccountChoice struct {
	AccountNumber  string `json:"accountNumber"`
	GLAccount      int    `json:"glAccount"`
	Remittance     bool   `json:"remittance"`
	Reconciliation bool   `json:"reconciliation"`
	// PostOpeningBalance posts the bank's balance at the start of the start
	// date as the account's opening balance, against OpeningCounterAccount,
	// where the books differ from the bank. Only on the conversion date, and
	// only where no opening balance stands on the GL account yet (Apply).
	PostOpeningBalance bool `json:"postOpeningBalance,omitempty"`
}

// PostsOpeningBalance says the account gets its opening balance posted: it
// is asked for, and only an account that is reconciled has one to post.
func (c AccountChoice) PostsOpeningBalance() bool { return c.PostOpeningBalance && c.Reconciliation }

// Roles names, by account number, which account holds each role ("" for none).
type Roles struct {
	Salary         string `json:"salary"`
	Operating      string `json:"operating"`
	TaxWithholding string `json:"taxWithholding"`
}

// ReadPlan reads a plan file; unknown fields are errors, so a typo is not
// silently ignored.
func ReadPlan(r io.Reader) (Plan, error) {
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	var p Plan
	if err := dec.Decode(&p); err != nil {
		return Plan{}, fmt.Errorf("the plan file is not valid: %w", err)
	}
	for i, a := range p.Accounts {
		n, err := norway.ParseAccountNumber(a.AccountNumber)
		if err != nil {
			return Plan{}, fmt.Errorf("the plan file's account %d: %w", i+1, err)
		}
		p.Accounts[i].AccountNumber = string(n)
	}
	for _, r := range []*string{&p.Roles.Salary, &p.Roles.Operating, &p.Roles.TaxWithholding} {
		if *r == "" {
			continue
		}
		n, err := norway.ParseAccountNumber(*r)
		if err != nil {
			return Plan{}, fmt.Errorf("the plan file's roles: %w", err)
		}
		*r = string(n)
	}
	return p, nil
}

// Choice returns the plan's choice for an account number.
func (p Plan) Choice(number string) (AccountChoice, bool) {
	for _, a := range p.Accounts {
		if a.AccountNumber == number {
			return a, true
		}
	}
	return AccountChoice{}, false
}

// AnyReconciliation reports whether some chosen account has reconciliation.
func (p Plan) AnyReconciliation() bool {
	for _, a := range p.Accounts {
		if a.Reconciliation {
			return true
		}
	}
	return false
}

// Step numbers the wizard's pages, so a problem can say where it belongs.
type Step int

// The wizard's pages.
const (
	StepLogin Step = iota + 1
	StepAccounts
	StepServices
	StepFeeAccount
	StepStartDate
	StepRoles
	StepSummary
)

// Problem is a broken rule (or, with Warning, something to look at that
// does not stop the onboarding). Rule is a stable name; Template is the
// English sentence with {{.Field}} placeholders filled from Data, which the
// window translates under the key "problem."+Rule.
type Problem struct {
	Step     Step
	Rule     string
	Account  string // the account number the problem is about, if any
	Warning  bool
	Template string
	Data     map[string]any
}

// Message renders the problem in English.
func (p Problem) Message() string {
	t, err := template.New(p.Rule).Parse(p.Template)
	if err != nil {
		return p.Template
	}
	var b bytes.Buffer
	if err := t.Execute(&b, p.Data); err != nil {
		return p.Template
	}
	return b.String()
}

func (p Problem) Error() string { return p.Message() }

// Problems is a list of problems; as an error it reads as its first errors.
type Problems []Problem

// Errors returns the problems that stop the onboarding.
func (ps Problems) Errors() Problems {
	var out Problems
	for _, p := range ps {
		if !p.Warning {
			out = append(out, p)
		}
	}
	return out
}

// Warnings returns the problems that do not stop the onboarding.
func (ps Problems) Warnings() Problems {
	var out Problems
	for _, p := range ps {
		if p.Warning {
			out = append(out, p)
		}
	}
	return out
}

// At returns the problems of one step.
func (ps Problems) At(s Step) Problems {
	var out Problems
	for _, p := range ps {
		if p.Step == s {
			out = append(out, p)
		}
	}
	return out
}

func (ps Problems) Error() string {
	errs := ps.Errors()
	switch len(errs) {
	case 0:
		return "no problems"
	case 1:
		return errs[0].Message()
	}
	return fmt.Sprintf("%s (and %d more)", errs[0].Message(), len(errs)-1)
}
