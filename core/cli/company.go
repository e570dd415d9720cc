package cli

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"bankbro/core/ledger"
	"bankbro/core/norway"
)

func init() {
	register("company", "the company's name, organisation number and conversion date; correct the first two", runCompany)
}

// runCompany is Settings → Company. The conversion date is shown only: the
// opening balances and every reconciliation start date rest on it.
func runCompany(ctx context.Context, args []string, env Env) int {
	f := newFlags("company", "--db FILE [--name NAME] [--orgnr NNNNNNNNN]", env)
	db := f.String("db", "", "the ledger `FILE`")
	name := f.String("name", "", "correct the company's `NAME`")
	orgnr := f.String("orgnr", "", "correct the organisation number, `NNNNNNNNN` (spaces between the digits are fine)")
	if code, ok := f.parse(args); !ok {
		return code
	}
	if err := f.required("db"); err != nil {
		return f.fail(err)
	}
	l, err := f.openLedger(ctx, *db)
	if err != nil {
		return f.fail(err)
	}
	defer l.Close()
	c, err := l.Company(ctx)
	if err != nil {
		return f.fail(err)
	}
	if f.given("name", "orgnr") {
		newName, newOrg := c.Name, c.OrgNumber
		if f.given("name") {
			newName = *name
		}
		if f.given("orgnr") {
			newOrg = *orgnr
		}
		// As the window's Save: what is as stored already is no change.
		if digits, _ := norway.OrgNumber(newOrg); strings.TrimSpace(newName) == c.Name && digits == c.OrgNumber {
			fmt.Fprintln(env.Stdout, "Nothing changed: the company's details are these already.")
		} else {
			if err := l.Update(ctx, func(tx *ledger.Tx) error { return tx.SetCompany(newName, newOrg) }); err != nil {
				return f.fail(companyRefusal(err))
			}
			if c, err = l.Company(ctx); err != nil {
				return f.fail(err)
			}
			fmt.Fprintln(env.Stdout, "The company's details are saved.")
		}
	}
	tw := table(env.Stdout)
	fmt.Fprintf(tw, "Company name\t%s\n", c.Name)
	fmt.Fprintf(tw, "Organisation number\t%s\n", norway.FormatOrgNumber(c.OrgNumber))
	fmt.Fprintf(tw, "Conversion date\t%s\n", c.ConversionDate.Norwegian())
	return boolCode(tw.Flush() == nil)
}

// companyRefusal words a refusal of the company's name or organisation
// number (SetCompany, Company.Validate) as a bad argument (exit 2, as
// init's are): the ledger's reason, and what to do about it. Other errors
// are returned as they are.
func companyRefusal(err error) error {
	switch {
	case errors.Is(err, ledger.ErrCompanyName):
		return usagef("%v: give it one with --name", err)
	case errors.Is(err, norway.ErrLength), errors.Is(err, norway.ErrDigits):
		return usagef("%v: an organisation number has nine digits, such as 921 573 405", err)
	case errors.Is(err, norway.ErrChecksum):
		return usagef("%v: check the number against the Brønnøysund Register Centre", err)
	}
	return err
}
