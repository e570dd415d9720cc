// Package cli is the command line: the headless twins of what the window
// does (cli.md). Each command parses its flags, calls the same core code as
// the window, and reports in words: exit 0 on success, 1 on a failure a
// person can act on, 2 on bad arguments.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"bankbro/core/agreement"
	"bankbro/core/civil"
	"bankbro/core/ledger"
	"bankbro/core/login"
)

// Env is what a command may touch besides its arguments.
type Env struct {
	Stdout io.Writer
	Stderr io.Writer
	// Browser opens the bank's login and signing pages; nil: the system browser.
	Browser login.Browser
}

type command struct {
	summary string
	run     func(ctx context.Context, args []string, env Env) int
}

var commands = map[string]command{}

func register(name, summary string, run func(ctx context.Context, args []string, env Env) int) {
	commands[name] = command{summary, run}
}

// Has reports whether name is a subcommand.
func Has(name string) bool { _, ok := commands[name]; return ok }

// Run runs the subcommand name with its arguments and returns the exit code.
func Run(ctx context.Context, name string, args []string, env Env) int {
	c, ok := commands[name]
	if !ok {
		fmt.Fprintf(env.Stderr, "bankbro: unknown command %q (try bankbro --help)\n", name)
		return 2
	}
	return c.run(ctx, args, env)
}

// Usage writes the list of subcommands.
func Usage(w io.Writer) {
	fmt.Fprintln(w, "Usage: bankbro [--db FILE] [--today YYYY-MM-DD]      opens the window")
	fmt.Fprintln(w, "       bankbro COMMAND [flags]                        COMMAND --help explains it")
	fmt.Fprintln(w, "\nCommands:")
	for _, name := range []string{"init", "company", "accounts", "connect", "sync", "report", "pay", "payments"} {
		if c, ok := commands[name]; ok {
			fmt.Fprintf(w, "  %-13s %s\n", name, c.summary)
		}
	}
	// main runs the demo bank itself (core/sandbox): no command of this
	// package, but one of the binary's.
	fmt.Fprintf(w, "  %-13s %s\n", "sandbox-bank", "run the demo bank on 127.0.0.1; the first line out is its address")
}

// errUsage marks a bad-arguments error (exit 2).
type errUsage struct{ msg string }

func (e errUsage) Error() string { return e.msg }

func usagef(format string, args ...any) error { return errUsage{fmt.Sprintf(format, args...)} }

// flags is a FlagSet that reports problems as one line and exit code 2.
type flags struct {
	*flag.FlagSet
	name, synopsis string
	env            Env
	today          string
}

func newFlags(name, synopsis string, env Env) *flags {
	f := &flags{FlagSet: flag.NewFlagSet(name, flag.ContinueOnError), name: name, synopsis: synopsis, env: env}
	f.SetOutput(io.Discard)
	return f
}

func (f *flags) withToday() {
	f.StringVar(&f.today, "today", "", "what the app takes as today, `YYYY-MM-DD` (default: the real date in Oslo)")
}

// parse parses args; it returns (exit code, false) when the command should stop.
func (f *flags) parse(args []string) (int, bool) {
	err := f.Parse(args)
	if errors.Is(err, flag.ErrHelp) {
		fmt.Fprintf(f.env.Stdout, "Usage: bankbro %s %s\n\n", f.name, f.synopsis)
		f.printFlags()
		return 0, false
	}
	if err != nil {
		fmt.Fprintf(f.env.Stderr, "bankbro %s: %s\n", f.name, firstLine(err.Error()))
		return 2, false
	}
	if f.NArg() > 0 {
		fmt.Fprintf(f.env.Stderr, "bankbro %s: unexpected argument %q\n", f.name, f.Arg(0))
		return 2, false
	}
	return 0, true
}

// printFlags lists the flags as the usage line writes them, --name (Go's
// PrintDefaults writes -name), each with what it takes and its default.
func (f *flags) printFlags() {
	f.VisitAll(func(fl *flag.Flag) {
		arg, usage := flag.UnquoteUsage(fl)
		if arg == "value" || arg == "string" { // a flag whose usage names no `ARG`
			arg = "TEXT"
		}
		line := "  --" + fl.Name
		if arg != "" {
			line += " " + arg
		}
		if fl.DefValue != "" && fl.DefValue != "false" && fl.DefValue != "0" {
			usage += fmt.Sprintf(" (default %s)", fl.DefValue)
		}
		fmt.Fprintf(f.env.Stdout, "%s\n    \t%s\n", line, usage)
	})
}

// Today returns the --today date, or today's date in Oslo.
func (f *flags) Today() (civil.Date, error) {
	if f.today == "" {
		return civil.Today(), nil
	}
	d, err := civil.Parse(f.today)
	if err != nil {
		return civil.Date{}, usagef("--today: %v", err)
	}
	return d, nil
}

// fail reports err and returns its exit code: 2 for usage errors, else 1.
func (f *flags) fail(err error) int {
	var u errUsage
	if errors.As(err, &u) {
		fmt.Fprintf(f.env.Stderr, "bankbro %s: %s\n", f.name, firstLine(u.msg))
		return 2
	}
	fmt.Fprintf(f.env.Stderr, "bankbro %s: %v\n", f.name, err)
	return 1
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}

// required checks that each named flag was given.
func (f *flags) required(names ...string) error {
	set := f.set()
	for _, n := range names {
		if !set[n] {
			return usagef("--%s is required", n)
		}
	}
	return nil
}

// given reports whether any of the named flags was given.
func (f *flags) given(names ...string) bool {
	set := f.set()
	for _, n := range names {
		if set[n] {
			return true
		}
	}
	return false
}

// set is the names of the flags given.
func (f *flags) set() map[string]bool {
	set := map[string]bool{}
	f.Visit(func(fl *flag.Flag) { set[fl.Name] = true })
	return set
}

// table aligns what is written to w in columns, one cell a tab; Flush
// writes it.
func table(w io.Writer) *tabwriter.Writer { return tabwriter.NewWriter(w, 0, 2, 2, ' ', 0) }

// openLedger opens the company file, saying on stderr when it is being
// updated for this version first (seconds with years of books).
func (f *flags) openLedger(ctx context.Context, db string) (*ledger.Ledger, error) {
	if ledger.NeedsUpgrade(db) {
		fmt.Fprintf(f.env.Stderr, "Updating %s for this version of Bankbro…\n", db)
	}
	return ledger.Open(ctx, db)
}

// openBank opens the ledger and its bank integration; done closes both.
func (f *flags) openBank(ctx context.Context, db string, opts agreement.Options) (l *ledger.Ledger, svc *agreement.Service, done func(), err error) {
	l, err = f.openLedger(ctx, db)
	if err != nil {
		return nil, nil, nil, err
	}
	svc, err = agreement.Open(ctx, l, opts)
	if err != nil {
		l.Close()
		return nil, nil, nil, err
	}
	return l, svc, func() { svc.Close(); l.Close() }, nil
}
