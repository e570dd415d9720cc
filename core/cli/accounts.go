package cli

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"bankbro/core/ledger"
)

func init() {
	register("accounts", "the chart of accounts: list it, or add or change one account", runAccounts)
}

func runAccounts(ctx context.Context, args []string, env Env) int {
	f := newFlags("accounts", "--db FILE [--find TEXT]\n       bankbro accounts --db FILE --save NUMBER [--name NAME] [--type TYPE] [--inactive]", env)
	db := f.String("db", "", "the ledger `FILE`")
	find := f.String("find", "", "list only the accounts whose number begins with `TEXT` or whose name holds it")
	save := f.String("save", "", "add the account with this `NUMBER` (1000 to 9999), or change it if the chart has it")
	name := f.String("name", "", "with --save: the account's `NAME`")
	kind := f.String("type", "", "with --save: the account's `TYPE`, asset, liability, equity, income or expense (default: a new account's type in NS 4102, an existing account's own)")
	inactive := f.Bool("inactive", false, "with --save: take the account out of use (no new postings on it); --inactive=false puts it back in use; without it, a new account is in use and an existing one stays as it is")
	if code, ok := f.parse(args); !ok {
		return code
	}
	if err := f.required("db"); err != nil {
		return f.fail(err)
	}
	if !f.given("save") {
		if f.given("name", "type", "inactive") {
			return f.fail(usagef("--name, --type and --inactive go with --save NUMBER"))
		}
		return listAccounts(ctx, f, *db, *find)
	}
	if f.given("find") {
		return f.fail(usagef("--find lists accounts, --save changes one: one at a time"))
	}
	n, err := strconv.Atoi(strings.TrimSpace(*save))
	if err != nil {
		return f.fail(usagef("--save %q: want the account's number, such as 6540", *save))
	}
	a := ledger.Account{Number: n, Name: *name, Type: ledger.AccountType(strings.ToLower(strings.TrimSpace(*kind))), Active: !*inactive}
	return saveAccount(ctx, f, *db, a)
}

func listAccounts(ctx context.Context, f *flags, db, find string) int {
	l, err := f.openLedger(ctx, db)
	if err != nil {
		return f.fail(err)
	}
	defer l.Close()
	chart, err := l.Accounts(ctx)
	if err != nil {
		return f.fail(err)
	}
	var shown []ledger.Account
	for _, a := range chart {
		if a.Fits(find) {
			shown = append(shown, a)
		}
	}
	if len(shown) == 0 {
		fmt.Fprintf(f.env.Stderr, "No account has %q in its number or name.\n", find)
		return 0
	}
	tw := table(f.env.Stdout)
	fmt.Fprintln(tw, "ACCOUNT\tNAME\tTYPE\tIN USE")
	for _, a := range shown {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\n", a.Number, a.Name, a.Type, yesNo(a.Active))
	}
	return boolCode(tw.Flush() == nil)
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// saveAccount adds or changes account a as the window's form does: a new
// account without a type gets its type in NS 4102, an existing one keeps
// its own.
func saveAccount(ctx context.Context, f *flags, db string, a ledger.Account) int {
	l, err := f.openLedger(ctx, db)
	if err != nil {
		return f.fail(err)
	}
	defer l.Close()
	was, err := l.Account(ctx, a.Number)
	if err != nil && !errors.Is(err, ledger.ErrNoSuchRecord) {
		return f.fail(err)
	}
	known := err == nil
	if err := ledger.CheckAccountNumber(a.Number); err != nil { // before the name it would ask for
		return f.fail(accountRefusal(err, a, false))
	}
	switch {
	case !known && !f.given("name"):
		return f.fail(usagef("account %d is new: give it a name with --name NAME", a.Number))
	case known && !f.given("name"):
		a.Name = was.Name // taken out of use or retyped, it keeps its name
	}
	if known && !f.given("inactive") {
		a.Active = was.Active // a rename does not put an account back in use
	}
	chosen := a.Type != ""
	switch {
	case chosen:
	case known:
		a.Type = was.Type
	default:
		a.Type = ledger.TypeOfNumber(a.Number)
	}
	err = l.Update(ctx, func(tx *ledger.Tx) error { return tx.SaveAccount(a) })
	if err != nil {
		return f.fail(accountRefusal(err, a, chosen))
	}
	verb := "added"
	if known {
		verb = "saved"
	}
	state := "in use"
	if !a.Active {
		state = "not in use"
	}
	fmt.Fprintf(f.env.Stdout, "Account %d %s is %s: %s, %s.\n", a.Number, strings.TrimSpace(a.Name), verb, a.Type, state)
	// As the window notes it: allowed, the owner may know better.
	if standard := ledger.TypeOfNumber(a.Number); chosen && standard != "" && standard != a.Type {
		fmt.Fprintf(f.env.Stderr, "warning: NS 4102 gives accounts %d… the type %s, not %s: check the number.\n", a.Number/100, standard, a.Type)
	}
	return 0
}

// accountRefusal words SaveAccount's refusal of account a for the command
// line: the ledger's reason, and what the person can do about it. A type
// the ledger does not know is a bad argument (exit 2).
func accountRefusal(err error, a ledger.Account, chosen bool) error {
	var inUse *ledger.AccountInUseError
	switch {
	case errors.Is(err, ledger.ErrAccountType) && chosen:
		return usagef("--type %q: %v", a.Type, ledger.ErrAccountType)
	case errors.Is(err, ledger.ErrAccountType):
		return usagef("account %d has no type in NS 4102: choose one with --type (%v)", a.Number, ledger.ErrAccountType)
	// A name or number the ledger refuses is a bad argument (exit 2), as
	// init's are; what the books' state refuses is a failure (exit 1).
	case errors.Is(err, ledger.ErrAccountName):
		return usagef("%v: give it one with --name", err)
	case errors.Is(err, ledger.ErrAccountNumber):
		return usagef("%v", err)
	case !errors.As(err, &inUse):
		return err
	case inUse.Use == ledger.UsedByPostings:
		return fmt.Errorf("%w: it keeps its type; make a new account for the other type", err)
	case inUse.Use == ledger.UsedByRule:
		return fmt.Errorf("%w: it stays in use and keeps its type; change the rule first (in the window: Settings → Rules)", err)
	}
	return fmt.Errorf("%w: it stays in use and keeps its type", err)
}
