// Command bankbro is a bookkeeping companion for Norwegian small businesses
// with a direct bank integration. Without a command it opens the window;
// with one it runs that command headless (bankbro --help lists them).
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"fyne.io/fyne/v2/app"

	"bankbro/assets"
	"bankbro/core/civil"
	"bankbro/core/cli"
	"bankbro/core/sandbox"
	"bankbro/gui"
)

func main() { os.Exit(run(os.Args[1:])) }

func run(args []string) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	env := cli.Env{Stdout: os.Stdout, Stderr: os.Stderr}
	if len(args) > 0 {
		switch name := args[0]; {
		case name == "sandbox-bank":
			return sandbox.Main(ctx, args[1:], os.Stdout, os.Stderr)
		case cli.Has(name):
			return cli.Run(ctx, name, args[1:], env)
		}
	}
	return window(args, env)
}

// window parses the window's flags and opens it.
func window(args []string, env cli.Env) int {
	f := flag.NewFlagSet("bankbro", flag.ContinueOnError)
	f.SetOutput(io.Discard)
	db := f.String("db", "", "the ledger `FILE` to open (default: the one in the app's data folder)")
	today := f.String("today", "", "what the app takes as today, `YYYY-MM-DD`")
	if err := f.Parse(args); err != nil {
		if err == flag.ErrHelp {
			cli.Usage(env.Stdout)
			return 0
		}
		fmt.Fprintf(env.Stderr, "bankbro: %v (try bankbro --help)\n", err)
		return 2
	}
	if f.NArg() > 0 {
		fmt.Fprintf(env.Stderr, "bankbro: unknown command %q (try bankbro --help)\n", f.Arg(0))
		return 2
	}
	opts := gui.Options{LedgerPath: *db}
	if *today != "" {
		d, err := civil.Parse(*today)
		if err != nil {
			fmt.Fprintf(env.Stderr, "bankbro: --today: %v\n", err)
			return 2
		}
		opts.Today = d
	}
	a := app.NewWithID("no.bankbro.app")
	if gui.ForwardToRunning(a, opts, env.Stderr) {
		return 0
	}
	a.SetIcon(assets.Icon)
	gui.LeanWhenIdle()
	gui.Start(a, opts)
	a.Run()
	return 0
}
