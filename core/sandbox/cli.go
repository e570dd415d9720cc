package sandbox

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"bankbro/core/civil"
)

const usage = `Usage: bankbro sandbox-bank [flags]

Runs the demo bank: the BankID-style login, the bank API and the online bank
(/nettbank) from one origin. The first line of standard output is its base
URL; it runs until interrupted.

Flags:
  --addr ADDR            listen address (default 127.0.0.1:0, a free port)
  --seed N               data seed: the same seed gives the same company and transactions (default 0, the bank the app embeds and init --demo books against)
  --today YYYY-MM-DD     the bank's today (default: the real date in Europe/Oslo)
  --integration STATE    integration agreement at start: none, basis or pluss (default pluss)
  --fail-rate F          share of API calls answered 503 (0–1)
  --latency D            delay added to every API call (e.g. 200ms)
  --rate-limit N         API calls a second before 429 with Retry-After (0 = off)
  --cut-after N          every Nth API response is cut off mid-body (0 = off)

Demo users (one-time code 123456): 15887510188 daily manager,
03899210041 bookkeeper, 22818810001 no mandate.
`

// Main runs `bankbro sandbox-bank` with args (without the subcommand) and
// returns the exit code: 0 when ctx ends, 1 on failure, 2 on bad arguments.
func Main(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("sandbox-bank", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	addr := fs.String("addr", "127.0.0.1:0", "")
	seed := fs.Int64("seed", 0, "")
	today := fs.String("today", "", "")
	integration := fs.String("integration", IntegrationPluss, "")
	failRate := fs.Float64("fail-rate", 0, "")
	latency := fs.Duration("latency", 0, "")
	rateLimit := fs.Int("rate-limit", 0, "")
	cutAfter := fs.Int("cut-after", 0, "")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(stdout, usage)
			return 0
		}
		fmt.Fprintf(stderr, "sandbox-bank: %s (see --help)\n", firstLine(err.Error()))
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "sandbox-bank: unexpected argument %q (see --help)\n", fs.Arg(0))
		return 2
	}
	opts := Options{Seed: *seed, Integration: *integration, FailRate: *failRate, Latency: *latency,
		RateLimit: *rateLimit, CutAfter: *cutAfter}
	if *today != "" {
		d, err := civil.Parse(*today)
		if err != nil || len(*today) != 10 {
			fmt.Fprintf(stderr, "sandbox-bank: --today %q: want YYYY-MM-DD\n", *today)
			return 2
		}
		opts.Today = d
	}
	if !validIntegration(opts.Integration) {
		fmt.Fprintf(stderr, "sandbox-bank: --integration %q: want none, basis or pluss\n", opts.Integration)
		return 2
	}
	if err := validFaults(Faults{opts.FailRate, opts.Latency, opts.RateLimit, opts.CutAfter}); err != nil {
		fmt.Fprintf(stderr, "sandbox-bank: %s\n", strings.Replace(err.Error(), "cut-after", "--cut-after", 1))
		return 2
	}
	s, err := Start(*addr, opts)
	if err != nil {
		fmt.Fprintf(stderr, "sandbox-bank: %v\n", err)
		return 1
	}
	fmt.Fprintln(stdout, s.URL)
	fmt.Fprintf(stderr, "%s for %s: online bank at %s/nettbank; demo users %s (daily manager), %s (bookkeeper), %s (no mandate), one-time code %s\n",
		BankName, CompanyName, s.URL, ManagerID, BookkeeperID, NoMandateID, DemoOTP)
	<-ctx.Done()
	if err := s.Close(); err != nil {
		fmt.Fprintf(stderr, "sandbox-bank: stop: %v\n", err)
		return 1
	}
	return 0
}
