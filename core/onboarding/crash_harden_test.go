//go:build unix

package onboarding_test

import (
	"context"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"bankbro/core/agreement"
	"bankbro/core/civil"
	"bankbro/core/demo"
	"bankbro/core/internal/childtest"
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
	// envApplyHold makes the child stop at the last step of the apply's
	// transaction, after saying "recorded", until it is killed.
	envApplyHold = "BANKBRO_APPLY_HOLD"
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
	if _, err := onboarding.Apply(ctx, l, announcer{svc}, p, f, h); err != nil {
		t.Fatal(err)
	}
	os.Stdout.WriteString("applied\n")
}

// announcer says "recorded" when the apply records the subscription, the
// last step of its transaction before the audit entry and the commit.
type announcer struct{ onboarding.Recorder }

func (a announcer) Record(tx *ledger.Tx, day civil.Date, sub string) error {
	os.Stdout.WriteString("recorded\n")
	if os.Getenv(envApplyHold) == "1" {
		time.Sleep(time.Minute) // killed here, inside the transaction
	}
	return a.Recorder.Record(tx, day, sub)
}

// startApplyChild starts `connect` on the ledger at path and returns once
// it says it is applying, with the rest of its output to read.
func startApplyChild(t *testing.T, srv *sandbox.Server, path string, hold bool) *childtest.Child {
	t.Helper()
	env := []string{envApplyChild + "=1", envApplyBank + "=" + srv.URL, envApplyDB + "=" + path}
	if hold {
		env = append(env, envApplyHold+"=1")
	}
	c := childtest.Start(t, "TestHelperApplyChild", env...)
	c.WaitFor("applying")
	return c
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
	if applied {
		checkApplyWhole(t, l, accts)
	}
	return applied
}

// checkApplyWhole checks the rest of what the apply writes in the same
// transaction as the bank accounts and their lines: every account it
// created, their opening balances, the roles, and the audit entry that
// ends it. Without it a kill between two of the apply's commits (were it
// split) could leave the lines stored and the rest missing unseen.
func checkApplyWhole(t *testing.T, l *ledger.Ledger, accts []ledger.BankAccount) {
	t.Helper()
	ctx := context.Background()
	roles := map[ledger.Role]bool{}
	for _, a := range accts {
		for _, r := range a.Roles {
			roles[r] = true
		}
		if !a.Active || !a.Reconciliation {
			continue
		}
		if _, ok, err := l.OpeningBankBalance(ctx, a.ID); err != nil || !ok {
			t.Errorf("%s: stored without its opening balance (%v): the apply is half written", a.Number, err)
		}
	}
	for _, r := range ledger.Roles {
		if !roles[r] {
			t.Errorf("role %s is on no bank account: the apply is half written", r)
		}
	}
	log, err := l.AuditLog(ctx, 1000)
	if err != nil {
		t.Fatal(err)
	}
	created := -1
	for _, e := range log { // newest first: the first apply is the last one seen
		if e.Action == "onboarding.apply" {
			created = strings.Count(e.Details, "created ")
		}
	}
	switch {
	case created < 0:
		t.Errorf("bank accounts and lines are stored, but not the onboarding's audit entry: the apply is half written")
	case created != len(accts):
		t.Errorf("%d bank accounts stored; the onboarding that created them created %d: the apply is half written", len(accts), created)
	}
}

// TestApplyKilled kills `connect` (login, read history, apply) with
// SIGKILL 6 times (3 under the race detector) after the history is read:
// first while it holds at the last step of the apply's transaction, then at
// random moments within the time the apply took to get there, the others
// later too. After each kill the ledger holds the whole onboarding or
// none of it; a last apply in this process completes it, and every line of
// the bank's archive is stored once, every bank account once.
func TestApplyKilled(t *testing.T) {
	if testing.Short() {
		t.Skip("starts 6 processes")
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
	attempts := 6
	if raceEnabled {
		attempts = 3
	}
	var inside time.Duration // how long the apply's transaction lasts here
	for i := range attempts {
		// The first kills come at a random moment inside the apply's
		// transaction, each on a ledger that has had no apply yet, so
		// that a transaction split in two is caught between its commits;
		// the later ones, on one ledger, at any moment, before or after
		// it commits.
		// The very first is killed while it holds at the last step of the
		// transaction: whatever was written before it was committed in a
		// transaction of its own is then found in the ledger.
		db, wait := path, int64(1500000)
		if i < attempts/2 {
			// Half the time measured: a later process, its files cached, is quicker.
			db, wait = filepath.Join(t.TempDir(), "first.bankbro"), inside.Microseconds()/2+1
			if l, err := demo.Create(ctx, db, today); err != nil {
				t.Fatal(err)
			} else {
				l.Close()
			}
		}
		hold := i == 0
		child := startApplyChild(t, srv, db, hold)
		if hold {
			began := time.Now()
			child.WaitFor("recorded")
			inside = time.Since(began)
			t.Logf("the apply's transaction lasts about %v", inside)
		} else {
			time.Sleep(time.Duration(rnd.Int64N(wait)) * time.Microsecond)
		}
		if end := child.Kill(); end.Killed {
			killed++
		} else if end.Err != nil {
			t.Fatalf("attempt %d: the child failed: %v", i, child.Cmd.ProcessState)
		}
		if applyState(t, srv, db) {
			applied++
			if hold {
				t.Errorf("killed inside the apply's transaction, the onboarding is in the ledger: the apply commits before its end")
			}
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
