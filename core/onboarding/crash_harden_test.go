//go:build unix

package onboarding_test

import (
	"bufio"
	"context"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"bankbro/core/agreement"
	"bankbro/core/demo"
	"bankbro/core/ledger"
	"bankbro/core/login"
	"bankbro/core/onboarding"
	"bankbro/core/sandbox"
)

// The environment that turns TestHelperApplyChild into an onboarding process.
const (
	envApplyChild = "BANKBRO_APPLY_CHILD"
	envApplyBank  = "BANKBRO_APPLY_BANK"
	envApplyDB    = "BANKBRO_APPLY_DB"
)

// TestHelperApplyChild is not a test: run by TestApplyKilled as a child
// process, it logs in, reads the history and applies the suggested plan,
// as `bankbro connect` would, announcing each step, until it is killed.
func TestHelperApplyChild(t *testing.T) {
	if os.Getenv(envApplyChild) != "1" {
		t.Skip("only runs as the child process of TestApplyKilled")
	}
	ctx := context.Background()
	l, err := ledger.Open(ctx, os.Getenv(envApplyDB))
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	svc, err := agreement.Open(ctx, l, agreement.Options{BankURL: os.Getenv(envApplyBank),
		Store:   login.NewFileStore(os.Getenv(envApplyDB) + ".login"),
		Browser: &sandbox.TestBrowser{NationalID: sandbox.ManagerID, OTP: sandbox.DemoOTP}})
	if err != nil {
		t.Fatal(err)
	}
	if err := svc.Login(ctx); err != nil {
		t.Fatal(err)
	}
	c, err := svc.Client(ctx)
	if err != nil {
		t.Fatal(err)
	}
	f, err := onboarding.Gather(ctx, l, c, today)
	if err != nil {
		t.Fatal(err)
	}
	p := onboarding.Suggest(f)
	h, err := onboarding.ReadHistory(ctx, c, p, f, nil)
	if err != nil {
		t.Fatal(err)
	}
	os.Stdout.WriteString("applying\n")
	if _, err := onboarding.Apply(ctx, l, svc, p, f, h); err != nil {
		t.Fatal(err)
	}
	os.Stdout.WriteString("applied\n")
}

// applyState says whether the onboarding is in the ledger at path, and
// checks that it is wholly there or not at all: no bank account without
// its history, no line twice.
func applyState(t *testing.T, srv *sandbox.Server, path string) bool {
	t.Helper()
	ctx := context.Background()
	l, err := ledger.Open(ctx, path)
	if err != nil {
		t.Fatalf("the ledger does not open after the kill: %v", err)
	}
	defer l.Close()
	accts, err := l.BankAccounts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if n, err := l.DuplicateBankTransactions(ctx); err != nil || n != 0 {
		t.Errorf("DuplicateBankTransactions = %d, %v", n, err)
	}
	applied := false
	for _, a := range accts {
		if !a.Active || !a.Reconciliation {
			continue
		}
		applied = true
		want, _ := srv.Bank.ArchiveFor(a.Number, a.StartDate, today.AddDays(-1))
		n, _ := l.CountBankTransactions(ctx, a.ID)
		if n != len(want) || a.ReadThrough != today.AddDays(-1) {
			t.Errorf("%s: %d lines stored, read through %s; the bank has %d through %s: the apply is half written",
				a.Number, n, a.ReadThrough, len(want), today.AddDays(-1))
		}
		if twice, _ := l.LinesPostedTwice(ctx, a.ID); len(twice) > 0 {
			t.Errorf("%s: %d lines posted twice", a.Number, len(twice))
		}
	}
	if !applied && len(accts) > 0 {
		t.Errorf("%d bank accounts are stored without the onboarding that made them", len(accts))
	}
	return applied
}

// TestApplyKilled kills `connect` (login, read history, apply) with
// SIGKILL 4 times (2 under the race detector) at random moments after the history is read, while the
// apply writes. After each kill the ledger holds the whole onboarding or
// none of it; a last apply in this process completes it, and every line of
// the bank's archive is stored once, every bank account once.
func TestApplyKilled(t *testing.T) {
	if testing.Short() {
		t.Skip("starts 4 processes")
	}
	ctx := context.Background()
	srv, err := sandbox.Start("", sandbox.Options{Today: today})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	path := filepath.Join(t.TempDir(), "demo.bankbro")
	l, err := demo.Create(ctx, path, today)
	if err != nil {
		t.Fatal(err)
	}
	l.Close()

	seed := uint64(time.Now().UnixNano())
	rnd := rand.New(rand.NewPCG(seed, 3))
	t.Logf("random seed %d", seed)
	killed, applied := 0, 0
	attempts := 4
	if raceEnabled {
		attempts = 2
	}
	for i := range attempts {
		cmd := exec.Command(os.Args[0], "-test.run=^TestHelperApplyChild$", "-test.count=1")
		cmd.Env = append(os.Environ(), envApplyChild+"=1", envApplyBank+"="+srv.URL, envApplyDB+"="+path)
		cmd.Stderr = os.Stderr
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(out)
		for sc.Scan() && sc.Text() != "applying" {
		}
		// The first kills come at once, inside the apply's transaction;
		// the later ones at any moment, before or after it commits.
		wait := 20000
		if i >= attempts/2 {
			wait = 1500000
		}
		time.Sleep(time.Duration(rnd.IntN(wait)) * time.Microsecond)
		cmd.Process.Signal(syscall.SIGKILL)
		for sc.Scan() {
		}
		cmd.Wait()
		if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			killed++
		} else if !cmd.ProcessState.Success() {
			t.Fatalf("attempt %d: the child failed: %v", i, cmd.ProcessState)
		}
		if applyState(t, srv, path) {
			applied++
		}
		if t.Failed() {
			t.FailNow()
		}
	}
	t.Logf("%d children killed; the onboarding was in the ledger after %d of %d attempts", killed, applied, attempts)
	if killed == 0 {
		t.Logf("no child was killed while applying this time; the kills prove nothing")
	}

	l, err = ledger.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	e := &env{srv: srv, l: l}
	e.login(t, sandbox.ManagerID)
	f := e.facts(t)
	res, _ := e.apply(t, onboarding.Suggest(f))
	t.Logf("the last apply: %+v", res)
	numbers := map[string]bool{}
	accts, _ := l.BankAccounts(ctx)
	for _, a := range accts {
		if numbers[a.Number] {
			t.Errorf("bank account %s stored twice", a.Number)
		}
		numbers[a.Number] = true
	}
	l.Close()
	if !applyState(t, srv, path) {
		t.Errorf("the onboarding is not in the ledger after the last apply")
	}
}
