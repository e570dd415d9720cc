package bank_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"sync"
	"testing"
	"time"

	"bankbro/core/bank"
	"bankbro/core/civil"
	"bankbro/core/login"
	"bankbro/core/money"
	"bankbro/core/sandbox"
)

// These tests run the client against the demo bank over real HTTP on
// 127.0.0.1, logged in with the real login code.

var today = civil.MustParse("2026-11-25")

// testRetry is generous in tries and quick in waits: the faults below fail
// about a third of all calls. The bank's Retry-After (1 s) is still honoured.
var testRetry = bank.RetryPolicy{MaxAttempts: 40, BaseDelay: time.Millisecond, MaxDelay: 20 * time.Millisecond, MaxTotal: 2 * time.Minute}

func startBank(t *testing.T, opts sandbox.Options) *sandbox.Server {
	t.Helper()
	opts.Today = today
	srv, err := sandbox.Start("127.0.0.1:0", opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	return srv
}

func connect(t *testing.T, srv *sandbox.Server, who string, opts ...bank.Option) *bank.Client {
	c, _ := connectCounting(t, srv, who, opts...)
	return c
}

// tally counts what came back from the bank: status codes, and -1 for a
// failed round trip or a body cut short.
type tally struct {
	mu     sync.Mutex
	counts map[int]int
	base   http.RoundTripper
}

func (t *tally) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := t.base.RoundTrip(r)
	t.mu.Lock()
	defer t.mu.Unlock()
	if err != nil {
		t.counts[-1]++
		return resp, err
	}
	t.counts[resp.StatusCode]++
	resp.Body = &cutCounter{ReadCloser: resp.Body, t: t}
	return resp, nil
}

type cutCounter struct {
	io.ReadCloser
	t *tally
}

func (c *cutCounter) Read(p []byte) (int, error) {
	n, err := c.ReadCloser.Read(p)
	if err != nil && err != io.EOF {
		c.t.mu.Lock()
		c.t.counts[-1]++
		c.t.mu.Unlock()
	}
	return n, err
}

func (t *tally) reset() map[int]int {
	t.mu.Lock()
	defer t.mu.Unlock()
	c := t.counts
	t.counts = map[int]int{}
	return c
}

func connectCounting(t *testing.T, srv *sandbox.Server, who string, opts ...bank.Option) (*bank.Client, *tally) {
	t.Helper()
	s, err := login.Login(context.Background(), login.Config{AuthURL: srv.URL, ClientID: sandbox.ClientID, Browser: &sandbox.TestBrowser{NationalID: who}, Timeout: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	tl := &tally{counts: map[int]int{}, base: s.Client(context.Background()).Transport}
	return bank.New(srv.URL, &http.Client{Transport: tl}, append([]bank.Option{bank.WithRetry(testRetry)}, opts...)...), tl
}

func TestSandboxAccounts(t *testing.T) {
	srv := startBank(t, sandbox.Options{Seed: 7})
	ctx := context.Background()
	tests := []struct {
		who  string
		want int
	}{{sandbox.ManagerID, -4}, {sandbox.BookkeeperID, 2}, {sandbox.NoMandateID, 0}}
	for _, tt := range tests {
		t.Run(tt.who, func(t *testing.T) {
			c := connect(t, srv, tt.who)
			got, err := c.Accounts(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if (tt.want < 0 && len(got) < -tt.want) || (tt.want >= 0 && len(got) != tt.want) {
				t.Errorf("%d accounts, want %d (negative: at least)", len(got), tt.want)
			}
			if got == nil {
				t.Errorf("Accounts() = nil, want an empty list, not nil")
			}
			for _, a := range got {
				one, err := c.Account(ctx, a.ID)
				if err != nil || one.Number != a.Number || one.Balance != a.Balance {
					t.Errorf("Account(%s) = %+v, %v; want %+v", a.ID, one, err, a)
				}
				if len(a.Number) != 11 || a.Name == "" {
					t.Errorf("account %+v: want an 11-digit number and a name", a)
				}
			}
		})
	}
}

// TestSandboxArchiveWithFaults reads a year of one account through failures,
// rate limits and cut connections and compares it with the bank's own
// records: every transaction exactly once, in the bank's order, equal in
// every field.
func TestSandboxArchiveWithFaults(t *testing.T) {
	if testing.Short() {
		t.Skip("reads a year of transactions through injected faults")
	}
	tests := []struct {
		name     string
		faults   sandbox.Faults
		from     civil.Date
		pageSize int
		// which answers must have been seen (-1: a cut connection); small
		// pages make enough requests for every fault to show
		wantSeen []int
	}{
		{"no faults, 500 days", sandbox.Faults{}, today.AddDays(-500), 1000, nil},
		{"fail rate 0.3", sandbox.Faults{FailRate: 0.3}, today.AddDays(-365), 100, []int{503}},
		{"cut connections", sandbox.Faults{CutAfter: 3}, today.AddDays(-365), 100, []int{-1}},
		// Each 429 costs the 1 s the bank asks for, so these make few requests.
		{"rate limit", sandbox.Faults{RateLimit: 3}, today.AddDays(-90), 100, []int{429}},
		{"all at once", sandbox.Faults{FailRate: 0.3, CutAfter: 4, RateLimit: 5}, today.AddDays(-365), 300, []int{-1, 429, 503}},
		{"all at once, pages of 1000", sandbox.Faults{FailRate: 0.3, CutAfter: 4, RateLimit: 5}, today.AddDays(-365), 1000, nil},
	}
	srv := startBank(t, sandbox.Options{Seed: 3})
	c := connect(t, srv, sandbox.ManagerID)
	accounts, err := c.Accounts(context.Background())
	if err != nil || len(accounts) == 0 {
		t.Fatalf("Accounts() = %v, %v", accounts, err)
	}
	acct := accounts[0]
	to := today.AddDays(-1)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want, err := srv.Bank.ArchiveFor(acct.Number, tt.from, to)
			if err != nil {
				t.Fatal(err)
			}
			c, tl := connectCounting(t, srv, sandbox.ManagerID, bank.WithPageSize(tt.pageSize))
			srv.Bank.SetFaults(tt.faults)
			defer srv.Bank.SetFaults(sandbox.Faults{})
			tl.reset()
			got, err := c.Archive(context.Background(), acct.ID, tt.from, to)
			seen := tl.reset()
			t.Logf("answers: %v (-1: cut)", seen)
			if err != nil {
				t.Fatalf("Archive() through %s: %v", tt.name, err)
			}
			for _, s := range tt.wantSeen {
				if seen[s] == 0 {
					t.Errorf("no %d among the answers %v: the fault was not exercised", s, seen)
				}
			}
			if len(got) != len(want) || len(want) < 2*tt.pageSize {
				t.Fatalf("got %d transactions, the bank has %d (want at least two pages)", len(got), len(want))
			}
			ids := map[string]bool{}
			for i := range got {
				g, w := got[i], want[i]
				if ids[g.ID] {
					t.Fatalf("transaction %s fetched twice", g.ID)
				}
				ids[g.ID] = true
				if g.ID != w.TransactionID || g.Amount != w.Amount || g.AccountingDate != w.AccountingDate || g.InterestDate != w.InterestDate ||
					g.Text != w.Text || g.TypeCode != w.TransactionTypeCode || g.KID != w.KID || g.OtherAccountNumber != w.OtherAccountNumber ||
					g.Reference != w.Reference || g.NumericReference != w.NumericReference || g.IsReservation {
					t.Fatalf("transaction %d:\n got %+v\nwant %+v", i, g, w)
				}
			}
		})
	}
}

func TestSandboxTransactionsWithReservations(t *testing.T) {
	srv := startBank(t, sandbox.Options{Seed: 3})
	c := connect(t, srv, sandbox.ManagerID)
	accounts, err := c.Accounts(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	reservations := 0
	for _, a := range accounts {
		got, err := c.Transactions(context.Background(), a.ID, today.AddDays(-3), today)
		if err != nil {
			t.Fatalf("Transactions(%s): %v", a.Number, err)
		}
		for _, tx := range got {
			if tx.IsReservation {
				reservations++
			}
			if tx.IsReservation != (tx.ID == "") {
				t.Errorf("account %s: %+v: a reservation must have no id, a booked line one", a.Number, tx)
			}
		}
	}
	t.Logf("%d reservations over %d accounts", reservations, len(accounts))
}

func TestSandboxProblems(t *testing.T) {
	srv := startBank(t, sandbox.Options{Seed: 3})
	ctx := context.Background()
	c := connect(t, srv, sandbox.ManagerID)
	accounts, err := c.Accounts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	pay := bank.PaymentRequest{AccountID: accounts[0].ID, RecipientAccountNumber: "15032080119", BeneficiaryName: "Gårdeier AS",
		Amount: money.Kroner(1250), DueDate: today.AddDays(5), Text: "Husleie", Reference: "BB-T-1"}

	srv.Bank.SetIntegration(sandbox.IntegrationNone)
	_, err = c.Accounts(ctx)
	if !bank.IsIntegrationNotActivated(err) {
		t.Errorf("integration none: error = %v, want integration-not-activated", err)
	}
	srv.Bank.SetIntegration(sandbox.IntegrationBasis)
	if _, err := c.Accounts(ctx); err != nil {
		t.Errorf("integration basis: Accounts() = %v, want it to work", err)
	}
	_, err = c.CreatePayment(ctx, pay)
	if !bank.IsSubscriptionRequired(err) {
		t.Errorf("integration basis: CreatePayment error = %v, want subscription-required", err)
	}
	srv.Bank.SetIntegration(sandbox.IntegrationPluss)

	anon := bank.New(srv.URL, http.DefaultClient)
	if _, err := anon.Accounts(ctx); !bank.IsUnauthorized(err) {
		t.Errorf("no token: error = %v, want unauthorized", err)
	}
	if _, err := c.Account(ctx, "no-such-account"); !bank.IsNotFound(err) && err == nil {
		t.Errorf("unknown account: error = %v, want one", err)
	}
	if _, err := c.Archive(ctx, accounts[0].ID, today.AddDays(10), today.AddDays(20)); err == nil {
		t.Errorf("archive in the future: error = nil, want the bank's refusal")
	} else {
		t.Logf("archive in the future: %v", err)
	}
}

func TestSandboxPayments(t *testing.T) {
	srv := startBank(t, sandbox.Options{Seed: 3})
	ctx := context.Background()
	c := connect(t, srv, sandbox.ManagerID)
	accounts, err := c.Accounts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	from := accounts[0].ID
	req := bank.PaymentRequest{AccountID: from, RecipientAccountNumber: "15032080119", BeneficiaryName: "Gårdeier AS",
		Amount: 125050, DueDate: today.AddDays(5), KID: "0000123456782", Reference: "BB-000042"}
	srv.Bank.SetFaults(sandbox.Faults{FailRate: 0.3, CutAfter: 2})
	var ids []string
	for i := range 3 { // sending the same reference again must not make a second payment
		p, err := c.CreatePayment(ctx, req)
		if err != nil {
			t.Fatalf("CreatePayment try %d: %v", i+1, err)
		}
		if p.Amount != req.Amount || p.Reference != req.Reference || p.DueDate != req.DueDate || p.KID != req.KID || p.Status != bank.StatusPendingApproval {
			t.Errorf("CreatePayment() = %+v, want the request back awaiting approval", p)
		}
		ids = append(ids, p.ID)
	}
	srv.Bank.SetFaults(sandbox.Faults{})
	if ids[0] != ids[1] || ids[1] != ids[2] {
		t.Errorf("payment ids %v, want one payment", ids)
	}
	list, err := c.Payments(ctx, from)
	if err != nil || len(list) != 1 || list[0].ID != ids[0] {
		t.Errorf("Payments() = %+v, %v; want the one payment", list, err)
	}
	one, err := c.Payment(ctx, from, ids[0])
	if err != nil || one.ID != ids[0] {
		t.Errorf("Payment() = %+v, %v", one, err)
	}
}

// TestSandboxExpiredLogin: a login older than 30 days fails at once with
// login.ErrLoginRequired, without retries and without reaching the API.
func TestSandboxExpiredLogin(t *testing.T) {
	srv := startBank(t, sandbox.Options{Seed: 3})
	var mu sync.Mutex
	now := time.Now()
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	s, err := login.Login(context.Background(), login.Config{AuthURL: srv.URL, ClientID: sandbox.ClientID, Browser: &sandbox.TestBrowser{}, Now: clock})
	if err != nil {
		t.Fatal(err)
	}
	var calls int
	c := bank.New(srv.URL, s.Client(context.Background()), bank.WithRetry(testRetry),
		bank.WithSleep(func(ctx context.Context, d time.Duration) error { calls++; return nil }))
	if _, err := c.Accounts(context.Background()); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	now = now.Add(31 * 24 * time.Hour)
	mu.Unlock()
	_, err = c.Accounts(context.Background())
	if !errors.Is(err, login.ErrLoginRequired) {
		t.Errorf("Accounts() 31 days after the login: error = %v, want login.ErrLoginRequired", err)
	}
	if calls != 0 {
		t.Errorf("%d retries of an expired login, want 0", calls)
	}
}
