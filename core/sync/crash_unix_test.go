//go:build unix

package sync

import (
	"context"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"bankbro/core/civil"
	"bankbro/core/internal/childtest"
	"bankbro/core/ledger"
	"bankbro/core/sandbox"
)

// The environment that turns TestHelperSyncChild into a sync process.
const (
	envChild = "BANKBRO_SYNC_CHILD"
	envBank  = "BANKBRO_SYNC_BANK"
	envDB    = "BANKBRO_SYNC_DB"
	envToday = "BANKBRO_SYNC_TODAY"
)

// TestHelperSyncChild is not a test: run by TestSyncCrash as a child
// process, it logs in at the demo bank and imports into the ledger, as
// `bankbro sync` would, until it is killed.
func TestHelperSyncChild(t *testing.T) {
	if os.Getenv(envChild) != "1" {
		t.Skip("only runs as the child process of TestSyncCrash")
	}
	ctx := context.Background()
	c := demoClient(t, os.Getenv(envBank))
	l, err := ledger.Open(ctx, os.Getenv(envDB))
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	today, err := civil.Parse(os.Getenv(envToday))
	if err != nil {
		t.Fatal(err)
	}
	os.Stdout.WriteString("ready\n")
	// Each step is announced, so the parent can kill at a point in the run
	// whatever the speed of this machine.
	res, err := Run(ctx, l, c, Options{Today: today, Progress: func(Progress) { os.Stdout.WriteString("progress\n") }})
	if err != nil {
		t.Fatal(err)
	}
	os.Stdout.WriteString("done " + strings.Join(res.Lines(), "; ") + "\n")
}

// TestSyncCrash kills a sync process with SIGKILL at random moments, 20
// times, then runs the import to the end: the ledger must equal the bank's
// archive, with no line twice and no fee posted twice.
func TestSyncCrash(t *testing.T) {
	if testing.Short() {
		t.Skip("starts 20 processes")
	}
	ctx := context.Background()
	startDate := civil.MustParse("2026-01-05")
	today := startDate.AddDays(150)
	srv, c := demoBank(t, today)
	// A little latency stretches each request, so kills land while asking
	// the bank as well as while storing and between accounts.
	srv.Bank.SetFaults(sandbox.Faults{Latency: 2 * time.Millisecond})
	path := filepath.Join(t.TempDir(), "company.bankbro")
	l, _ := demoLedger(t, path, c, 4, startDate)
	l.Close()

	seed := uint64(time.Now().UnixNano())
	rnd := rand.New(rand.NewPCG(seed, 1))
	t.Logf("random seed %d", seed)
	killed, finished := 0, 0
	for i := range 20 {
		if i > 0 {
			// The clock moves on 1–2 days between attempts, so later kills
			// hit small mornings as well as the long first catch-up.
			today = today.AddDays(1 + rnd.IntN(2))
			srv.Bank.SetToday(today)
		}
		child := childtest.Start(t, "TestHelperSyncChild", envChild+"=1", envBank+"="+srv.URL, envDB+"="+path,
			envToday+"="+today.String())
		if !child.WaitFor("ready") {
			child.Cmd.Wait()
			t.Fatalf("attempt %d: the child stopped before it was ready", i)
		}
		// Kill after a random number of steps (a request answered, an
		// account stored) and a random moment more.
		for steps := rnd.IntN(24); steps > 0 && child.WaitFor("progress"); steps-- {
		}
		time.Sleep(time.Duration(rnd.IntN(5000)) * time.Microsecond)
		switch end := child.Kill(); {
		case end.Killed:
			killed++
		case end.Err != nil:
			t.Fatalf("attempt %d: the child failed: %v\n%s", i, end.Err, end.Rest)
		default:
			finished++
		}
	}
	t.Logf("%d children killed, %d finished before the kill", killed, finished)
	if killed == 0 {
		t.Errorf("no child was killed while running; the test proves nothing")
	}

	l, err := ledger.Open(ctx, path)
	if err != nil {
		t.Fatalf("the ledger does not open after the kills: %v", err)
	}
	defer l.Close()
	stored, runs := 0, 0
	accts, _ := l.BankAccounts(ctx)
	for _, a := range accts {
		n, _ := l.CountBankTransactions(ctx, a.ID)
		r, _ := l.SyncRuns(ctx, a.ID, 1000)
		stored, runs = stored+n, runs+len(r)
	}
	t.Logf("before the last run the children had stored %d lines in %d account runs", stored, runs)
	if _, err := Run(ctx, l, c, Options{Today: today}); err != nil {
		t.Fatalf("the run to the end: %v", err)
	}
	n := checkEqualsBank(t, l, srv, startDate, today.AddDays(-1))
	t.Logf("%d lines in the ledger, equal to the bank's archive %s..%s", n, startDate, today.AddDays(-1))
}
