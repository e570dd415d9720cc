package sync

import (
	"context"
	"path/filepath"
	"testing"

	"bankbro/core/bank"
	"bankbro/core/civil"
	"bankbro/core/ledger"
	"bankbro/core/login"
	"bankbro/core/sandbox"
)

// demoSeed is the demo bank's seed in every test here.
const demoSeed = 7

// demoBank starts the demo bank at today and logs in as the daily manager
// through the real BankID flow; it returns the server and an API client.
func demoBank(t testing.TB, today civil.Date, opts ...bank.Option) (*sandbox.Server, *bank.Client) {
	t.Helper()
	srv, err := sandbox.Start("", sandbox.Options{Seed: demoSeed, Today: today})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	return srv, demoClient(t, srv.URL, opts...)
}

// demoClient logs in at the demo bank at url.
func demoClient(t testing.TB, url string, opts ...bank.Option) *bank.Client {
	t.Helper()
	ctx := context.Background()
	sess, err := login.Login(ctx, login.Config{AuthURL: url, ClientID: sandbox.ClientID,
		Browser: &sandbox.TestBrowser{NationalID: sandbox.ManagerID, OTP: sandbox.DemoOTP}})
	if err != nil {
		t.Fatalf("log in at the demo bank: %v", err)
	}
	return bank.New(url, sess.Client(ctx), opts...)
}

// demoLedger creates a ledger at path with the first n accounts the bank
// lists (GL 1920, 1921, …), reconciled from startDate.
func demoLedger(t testing.TB, path string, c *bank.Client, n int, startDate civil.Date) (*ledger.Ledger, []ledger.BankAccount) {
	t.Helper()
	ctx := context.Background()
	accts, err := c.Accounts(ctx)
	if err != nil {
		t.Fatalf("list the demo bank's accounts: %v", err)
	}
	if len(accts) < n {
		t.Fatalf("the demo bank lists %d accounts, want at least %d", len(accts), n)
	}
	l, err := ledger.Create(ctx, path, ledger.Company{Name: sandbox.CompanyName, OrgNumber: "974760673",
		ConversionDate: startDate.AddDays(-400)})
	if err != nil {
		t.Fatal(err)
	}
	err = l.Update(ctx, func(tx *ledger.Tx) error {
		for i, a := range accts[:n] {
			if _, err := tx.SaveBankAccount(ledger.BankAccount{BankID: a.ID, Number: a.Number, Name: a.Name,
				GLAccount: 1920 + i, Reconciliation: true, Active: true, StartDate: startDate}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		l.Close()
		t.Fatal(err)
	}
	bas, err := l.BankAccounts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return l, bas
}

// checkEqualsBank compares every stored line of every account in
// [from, through] with the bank's archive: the same ids, dates and
// amounts in the same order, and no line twice. It also checks that every
// fee line is posted once.
func checkEqualsBank(t testing.TB, l *ledger.Ledger, srv *sandbox.Server, from, through civil.Date) int {
	t.Helper()
	ctx := context.Background()
	accts, err := l.BankAccounts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	total := 0
	for _, a := range accts {
		want, err := srv.Bank.ArchiveFor(a.Number, from, through)
		if err != nil {
			t.Fatal(err)
		}
		got, err := l.BankLines(ctx, a.ID, from, through.AddDays(400))
		if err != nil {
			t.Fatal(err)
		}
		if a.ReadThrough != through {
			t.Errorf("%s: read through %s, want %s", a.Number, a.ReadThrough, through)
		}
		if len(got) != len(want) {
			t.Errorf("%s %s..%s: ledger holds %d lines, the bank %d", a.Number, from, through, len(got), len(want))
		}
		// The ledger orders by date then id (storage order); the bank by
		// date then transactionId. Compare as sets per id, then counts.
		byID := map[string]ledger.BankLine{}
		for _, g := range got {
			if _, dup := byID[g.TransactionID]; dup {
				t.Errorf("%s: transaction %s stored twice", a.Number, g.TransactionID)
			}
			byID[g.TransactionID] = g
		}
		for _, w := range want {
			g, ok := byID[w.TransactionID]
			switch {
			case !ok:
				t.Errorf("%s: bank line %s (%s, %s) is not in the ledger", a.Number, w.TransactionID, w.AccountingDate, w.Amount)
			case g.Amount != w.Amount || g.AccountingDate != w.AccountingDate || g.KID != w.KID || g.TypeCode != w.TransactionTypeCode:
				t.Errorf("%s: line %s stored as %s %s kid %q type %d; the bank has %s %s kid %q type %d", a.Number, w.TransactionID,
					g.AccountingDate, g.Amount, g.KID, g.TypeCode, w.AccountingDate, w.Amount, w.KID, w.TransactionTypeCode)
			}
			if ok && isFee(g.TypeCode) && g.Amount != 0 && g.Voucher == 0 {
				t.Errorf("%s: fee line %s is stored without its fee voucher", a.Number, g.TransactionID)
			}
		}
		if twice, err := l.LinesPostedTwice(ctx, a.ID); err != nil || len(twice) > 0 {
			t.Errorf("%s: lines posted twice: %v %v", a.Number, twice, err)
		}
		total += len(got)
	}
	if n, err := l.DuplicateBankTransactions(ctx); err != nil || n != 0 {
		t.Errorf("DuplicateBankTransactions = %d, %v", n, err)
	}
	return total
}

// TestRunDayByDay moves the demo bank's clock across a month and a half,
// running the morning import most mornings, and compares the ledger with
// the bank's archive after every run.
func TestRunDayByDay(t *testing.T) {
	ctx := context.Background()
	startDate := civil.MustParse("2026-02-02") // a Monday
	srv, c := demoBank(t, startDate)
	l, accts := demoLedger(t, filepath.Join(t.TempDir(), "company.bankbro"), c, 4, startDate)
	defer l.Close()

	missed := map[int]bool{}
	for d := 10; d < 17; d++ { // a missed week (the app was not opened)
		missed[d] = true
	}
	runs, emptyDays, overlaps := 0, 0, 0
	for d := 1; d <= 45; d++ {
		today := startDate.AddDays(d)
		srv.Bank.SetToday(today)
		if missed[d] {
			continue
		}
		before := map[int64]civil.Date{}
		for _, a := range accts {
			fresh, _ := l.BankAccount(ctx, a.ID)
			before[a.ID] = fresh.ReadThrough
		}
		res, err := Run(ctx, l, c, Options{Today: today})
		if err != nil {
			t.Fatalf("run on %s: %v", today, err)
		}
		runs++
		for i, ar := range res.Accounts {
			if ar.Through != today.AddDays(-1) {
				t.Errorf("run on %s, %s: through %s, want %s", today, ar.AccountNumber, ar.Through, today.AddDays(-1))
			}
			wantFrom := before[accts[i].ID].AddDays(1)
			if before[accts[i].ID].IsZero() {
				wantFrom = startDate
			}
			if ar.From != wantFrom {
				t.Errorf("run on %s, %s: read from %s, want %s", today, ar.AccountNumber, ar.From, wantFrom)
			}
			if ar.Fetched == 0 {
				emptyDays++
			}
		}
		checkEqualsBank(t, l, srv, startDate, today.AddDays(-1))
		if t.Failed() {
			t.FailNow()
		}
		// Now and then the import runs twice in a morning ("Fetch now"),
		// and once an account is read again from a week back.
		if d%9 == 0 {
			if err := l.Update(ctx, func(tx *ledger.Tx) error {
				return tx.ResetReadThrough(accts[0].ID, today.AddDays(-8))
			}); err != nil {
				t.Fatal(err)
			}
			res, err := Run(ctx, l, c, Options{Today: today})
			if err != nil {
				t.Fatal(err)
			}
			if a := res.Accounts[0]; a.New != 0 || a.Skipped != a.Fetched {
				t.Errorf("rereading a week on %s: new=%d skipped=%d fetched=%d, want nothing new", today, a.New, a.Skipped, a.Fetched)
			}
			overlaps++
			checkEqualsBank(t, l, srv, startDate, today.AddDays(-1))
		}
	}
	total := checkEqualsBank(t, l, srv, startDate, startDate.AddDays(44))
	if emptyDays == 0 {
		t.Errorf("no run found a day without lines (weekends); the test does not cover it")
	}
	t.Logf("%d runs, %d overlaps, %d account-runs without lines, %d lines", runs, overlaps, emptyDays, total)

	// The Yesterday view of the last morning agrees with the bank.
	day := startDate.AddDays(44)
	days, err := Yesterday(ctx, l, day, day)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range days {
		want, _ := srv.Bank.ArchiveFor(d.Account.Number, day, day)
		if len(d.Lines) != len(want) || !d.Read {
			t.Errorf("Yesterday %s: %d lines, read %v; the bank has %d", d.Account.Number, len(d.Lines), d.Read, len(want))
		}
		for i := 1; i < len(d.Lines); i++ {
			if !d.Lines[i-1].NeedsAttention() && d.Lines[i].NeedsAttention() {
				t.Errorf("Yesterday %s: a line needing attention comes after one that does not", d.Account.Number)
			}
		}
	}
}

// TestPendingFromDemoBank shows today's reservations and stores none.
func TestPendingFromDemoBank(t *testing.T) {
	ctx := context.Background()
	today := civil.MustParse("2026-03-04") // a Wednesday
	srv, c := demoBank(t, today)
	accts := srv.Bank.AccountsFor(sandbox.ManagerID)
	total := 0
	for _, a := range accts {
		p, err := Pending(ctx, c, a.AccountID, today)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range p {
			if !r.IsReservation || r.ID != "" {
				t.Errorf("Pending returned %+v, want only reservations", r)
			}
		}
		total += len(p)
	}
	if total == 0 {
		t.Errorf("no reservations on a Wednesday at the demo bank")
	}
}
