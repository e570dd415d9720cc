package payments

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"bankbro/core/bank"
	"bankbro/core/civil"
	"bankbro/core/ledger"
	"bankbro/core/login"
	"bankbro/core/money"
	"bankbro/core/reconcile"
	"bankbro/core/sandbox"
	banksync "bankbro/core/sync"
)

// demoToday is a Monday with no holiday near it, so business days are plain.
var demoToday = civil.MustParse("2026-11-16")

// demo is a demo bank over real HTTP, logged in as the daily manager through
// BankID, and a ledger with the bank's first account (remittance and
// reconciliation on, GL 1920).
type demo struct {
	srv    *sandbox.Server
	client *bank.Client
	l      *ledger.Ledger
	acct   ledger.BankAccount
	// balance is the account's booked balance at the bank at the start.
	balance money.Amount
	// posts records every payment request the app sent over the wire.
	posts *postRecorder
}

// connect gives the demo bank's client, as CancelUnsent asks for it.
func (d *demo) connect(context.Context) (Bank, error) { return d.client, nil }

// noWait keeps the bank client's backoff from sleeping in tests.
func noWait(ctx context.Context, _ time.Duration) error { return ctx.Err() }

func newDemo(t *testing.T) *demo {
	t.Helper()
	ctx := context.Background()
	srv, err := sandbox.Start("", sandbox.Options{Seed: 11, Today: demoToday})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	sess, err := login.Login(ctx, login.Config{AuthURL: srv.URL, ClientID: sandbox.ClientID,
		Browser: &sandbox.TestBrowser{NationalID: sandbox.ManagerID, OTP: sandbox.DemoOTP}})
	if err != nil {
		t.Fatalf("log in at the demo bank: %v", err)
	}
	hc := sess.Client(ctx)
	rec := &postRecorder{base: hc.Transport}
	hc.Transport = rec
	c := bank.New(srv.URL, hc, bank.WithSleep(noWait))
	accts, err := c.Accounts(ctx)
	if err != nil || len(accts) == 0 {
		t.Fatalf("the demo bank's accounts: %v, %v", accts, err)
	}
	a := accts[0]
	for _, b := range accts {
		if b.Balance > a.Balance {
			a = b
		}
	}
	l, err := ledger.Create(ctx, filepath.Join(t.TempDir(), "company.bankbro"), ledger.Company{
		Name: sandbox.CompanyName, OrgNumber: "974760673", ConversionDate: demoToday.AddDays(-30)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	err = l.Update(ctx, func(tx *ledger.Tx) error {
		_, err := tx.SaveBankAccount(ledger.BankAccount{BankID: a.ID, Number: a.Number, Name: a.Name, GLAccount: 1920,
			Remittance: true, Reconciliation: true, StartDate: demoToday, Active: true})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	acct, err := l.BankAccountByNumber(ctx, a.Number)
	if err != nil {
		t.Fatal(err)
	}
	return &demo{srv: srv, client: c, l: l, acct: acct, balance: a.Balance, posts: rec}
}

// postRecorder passes requests on and remembers the reference of every
// payment POST; dropFirst makes the first POST's answer get lost after the
// bank has handled it, as a timeout on the way back would.
type postRecorder struct {
	base http.RoundTripper

	mu        sync.Mutex
	refs      []string
	dropFirst bool
	// afterFirst, if set, is called once the bank has answered the first
	// POST (it cancels the request's context); the answer is then lost.
	afterFirst func()
}

type droppedAnswer struct{}

func (droppedAnswer) Error() string {
	return "read tcp: i/o timeout (the test dropped the bank's answer)"
}
func (droppedAnswer) Timeout() bool   { return true }
func (droppedAnswer) Temporary() bool { return true }

func (p *postRecorder) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Method != http.MethodPost || !strings.HasSuffix(r.URL.Path, "/api/v2/Payments") {
		return p.base.RoundTrip(r)
	}
	body, err := io.ReadAll(r.Body)
	r.Body.Close()
	if err != nil {
		return nil, err
	}
	var req struct{ Reference string }
	json.Unmarshal(body, &req)
	r = r.Clone(r.Context())
	r.Body = io.NopCloser(bytes.NewReader(body))
	resp, err := p.base.RoundTrip(r)

	p.mu.Lock()
	p.refs = append(p.refs, req.Reference)
	first := len(p.refs) == 1
	drop, after := first && p.dropFirst, p.afterFirst
	p.mu.Unlock()
	if err != nil || !first {
		return resp, err
	}
	if after != nil {
		after()
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return nil, r.Context().Err()
	}
	if drop {
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return nil, droppedAnswer{}
	}
	return resp, nil
}

func (p *postRecorder) references() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.refs...)
}

// draft is a valid payment from the demo account.
func (d *demo) draft(amount money.Amount, due civil.Date) Draft {
	return Draft{FromAccount: d.acct.Number, To: "15032080119", Name: "Gårdeier AS", Amount: amount,
		Due: due, KID: "0000123456782"}
}

// createAndApprove stores and approves a draft.
func (d *demo) createAndApprove(t *testing.T, dr Draft) Payment {
	t.Helper()
	ctx := context.Background()
	p, err := Create(ctx, d.l, dr, demoToday)
	if err != nil {
		t.Fatalf("Create: %v", err)
	}
	if p, err = Approve(ctx, d.l, p.ID); err != nil {
		t.Fatalf("Approve: %v", err)
	}
	return p
}

// refresh runs Refresh and returns the statuses it moved payment id to.
func (d *demo) refresh(t *testing.T, id int64) []Status {
	t.Helper()
	changes, err := Refresh(context.Background(), d.l, d.client)
	if err != nil {
		t.Fatalf("Refresh: %v", err)
	}
	var got []Status
	for _, c := range changes {
		if c.Payment.ID == id {
			got = append(got, c.To)
		}
	}
	return got
}

// bankCount is how many payments with the reference the bank holds.
func (d *demo) bankCount(t *testing.T, reference string) int {
	t.Helper()
	ps, err := d.client.Payments(context.Background(), d.acct.BankID)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, p := range ps {
		if p.Reference == reference {
			n++
		}
	}
	return n
}

// checkPosted checks the payment's voucher: the bank's GL account credited
// with the reference, the debit account debited, on the due date.
func (d *demo) checkPosted(t *testing.T, p Payment) {
	t.Helper()
	if p.Voucher == 0 {
		t.Fatalf("payment %s is not posted", p.Reference)
	}
	v, err := d.l.Voucher(context.Background(), p.Voucher)
	if err != nil {
		t.Fatal(err)
	}
	if v.Source != "payment" || v.Date != p.Due || len(v.Postings) != 2 {
		t.Fatalf("voucher = %+v, want a payment voucher on %s with two postings", v, p.Due)
	}
	got := map[int]ledger.Posting{}
	for _, x := range v.Postings {
		got[x.Account] = x
	}
	if c := got[1920]; c.Amount != -p.Amount || c.Reference != p.Reference {
		t.Errorf("posting on 1920 = %s ref %q, want %s ref %q", c.Amount, c.Reference, -p.Amount, p.Reference)
	}
	if db := got[p.DebitAccount]; db.Amount != p.Amount {
		t.Errorf("posting on %d = %s, want %s", p.DebitAccount, db.Amount, p.Amount)
	}
	// The ledger's own texts are Norwegian, whatever language the window speaks.
	if want := "Betaling " + p.Reference + " til " + p.Name; !strings.HasPrefix(v.Description, want) {
		t.Errorf("voucher text = %q, want it to begin %q", v.Description, want)
	}
	for _, x := range v.Postings {
		if want := "Betaling til " + p.Name; !strings.HasPrefix(x.Text, want) {
			t.Errorf("posting text on %d = %q, want it to begin %q", x.Account, x.Text, want)
		}
	}
}

func statusesOf(t *testing.T, l *ledger.Ledger, id int64) []Status {
	t.Helper()
	hist, err := History(context.Background(), l, id)
	if err != nil {
		t.Fatal(err)
	}
	var out []Status
	for i, h := range hist {
		if h.At.IsZero() {
			t.Errorf("history[%d] (%s) has no time", i, h.Status)
		}
		out = append(out, h.Status)
	}
	return out
}

func equalStatuses(a, b []Status) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestPaidThroughTheDemoBank: draft → send → sign in the bank's approval
// page → the bank's clock reaches the due date → paid; the archive holds
// the line with the reference, and the morning import brings it into the
// ledger where it meets the posting by that reference.
func TestPaidThroughTheDemoBank(t *testing.T) {
	ctx := context.Background()
	d := newDemo(t)
	due := demoToday.AddDays(2)
	amount := money.Kroner(1250)
	p := d.createAndApprove(t, d.draft(amount, due))

	p, err := Send(ctx, d.l, d.client, p.ID)
	if err != nil {
		t.Fatalf("Send: %v", err)
	}
	if p.Status != StatusPendingApproval || p.BankPaymentID == "" {
		t.Fatalf("after Send: status %s, bank id %q; want %s and an id", p.Status, p.BankPaymentID, StatusPendingApproval)
	}
	d.checkPosted(t, p)
	if again, err := Send(ctx, d.l, d.client, p.ID); err != nil || again.Voucher != p.Voucher {
		t.Errorf("Send again = %+v, %v; want the same payment, not posted twice", again, err)
	}
	if w, err := Waiting(ctx, d.l); err != nil || len(w) != 1 || w[0].ID != p.ID {
		t.Errorf("Waiting = %v, %v; want the payment awaiting signing", w, err)
	}
	if got := d.refresh(t, p.ID); len(got) != 0 {
		t.Errorf("Refresh before signing changed the status to %v", got)
	}

	// The owner signs in the bank: the test is the browser.
	u := ApproveURL(d.srv.URL, p.BankPaymentID)
	if err := (&sandbox.TestBrowser{NationalID: sandbox.ManagerID, OTP: sandbox.DemoOTP}).Open(u); err != nil {
		t.Fatalf("sign at %s: %v", u, err)
	}
	if got := d.refresh(t, p.ID); !equalStatuses(got, []Status{StatusScheduled}) {
		t.Errorf("Refresh after signing: changes %v, want [%s]", got, StatusScheduled)
	}
	if w, _ := Waiting(ctx, d.l); len(w) != 0 {
		t.Errorf("Waiting after signing = %v, want none", w)
	}

	d.srv.Bank.SetToday(due)
	if got := d.refresh(t, p.ID); !equalStatuses(got, []Status{StatusProcessed}) {
		t.Errorf("Refresh on the due date: changes %v, want [%s]", got, StatusProcessed)
	}
	p, _ = Get(ctx, d.l, p.ID)
	if p.Status != StatusProcessed || p.StatusText() != "paid" || p.Reversal != 0 {
		t.Errorf("payment = %s (%s), reversal %d; want paid, not reversed", p.Status, p.StatusText(), p.Reversal)
	}
	want := []Status{StatusDraft, StatusApproved, StatusPendingApproval, StatusScheduled, StatusProcessed}
	if got := statusesOf(t, d.l, p.ID); !equalStatuses(got, want) {
		t.Errorf("history %v, want %v", got, want)
	}
	if got := d.refresh(t, p.ID); len(got) != 0 {
		t.Errorf("Refresh of a paid payment changed it to %v", got)
	}

	lines, err := d.srv.Bank.ArchiveFor(d.acct.Number, due, due)
	if err != nil {
		t.Fatal(err)
	}
	var paid []sandbox.Transaction
	for _, x := range lines {
		if x.Reference == p.Reference {
			paid = append(paid, x)
		}
	}
	if len(paid) != 1 || paid[0].Amount != -amount {
		t.Fatalf("the archive on %s has %d lines with reference %s (%+v), want one of %s", due, len(paid), p.Reference, paid, -amount)
	}

	// The morning after: the import stores the line with its reference.
	d.srv.Bank.SetToday(due.AddDays(1))
	if _, err := banksync.Run(ctx, d.l, d.client, banksync.Options{Today: due.AddDays(1)}); err != nil {
		t.Fatalf("morning import: %v", err)
	}
	stored, err := d.l.BankTransactions(ctx, d.acct.ID, due, due)
	if err != nil {
		t.Fatal(err)
	}
	var found []ledger.BankTransaction
	for _, x := range stored {
		if x.Reference == p.Reference {
			found = append(found, x)
		}
	}
	if len(found) != 1 || found[0].Amount != -amount {
		t.Fatalf("the ledger holds %d lines with reference %s, want one of %s", len(found), p.Reference, -amount)
	}
	postings, err := d.l.Postings(ctx, 1920, due, due)
	if err != nil {
		t.Fatal(err)
	}
	var credit ledger.Posting
	for _, x := range postings {
		if x.Reference == p.Reference {
			credit = x
		}
	}
	if credit.ID == 0 || credit.Amount != found[0].Amount {
		t.Fatalf("no posting on 1920 carries reference %s with %s (postings %+v)", p.Reference, found[0].Amount, postings)
	}

	// The matcher pairs the line and the posting by the reference (rule 1).
	if _, err := reconcile.Run(ctx, d.l, reconcile.Options{BankAccounts: []int64{d.acct.ID}}); err != nil {
		t.Fatalf("reconcile: %v", err)
	}
	mid, err := d.l.MatchOfBankLine(ctx, found[0].ID)
	if err != nil || mid == 0 {
		t.Fatalf("the paid line is not matched: %d, %v", mid, err)
	}
	m, err := d.l.Match(ctx, mid)
	if err != nil {
		t.Fatal(err)
	}
	if m.Rule != reconcile.RuleReference || len(m.Postings) != 1 || m.Postings[0] != credit.ID {
		t.Errorf("match = %+v, want rule %s with posting %d", m, reconcile.RuleReference, credit.ID)
	}
}

// TestInsufficientFundsCancelledAndReversedOnce: a payment larger than the
// balance waits for funds for 3 business days, is cancelled, and its
// posting is reversed exactly once.
func TestInsufficientFundsCancelledAndReversedOnce(t *testing.T) {
	ctx := context.Background()
	d := newDemo(t)
	amount := d.balance + money.Kroner(10_000_000)
	p := d.createAndApprove(t, d.draft(amount, demoToday))
	p, err := Send(ctx, d.l, d.client, p.ID)
	if err != nil {
		t.Fatalf("Send: %v", err)
	}
	if err := (&sandbox.TestBrowser{}).Open(ApproveURL(d.srv.URL, p.BankPaymentID)); err != nil {
		t.Fatalf("sign: %v", err)
	}
	if got := d.refresh(t, p.ID); !equalStatuses(got, []Status{StatusWaiting}) {
		t.Fatalf("Refresh after signing a payment larger than the balance: changes %v, want [%s]", got, StatusWaiting)
	}
	if w, _ := Waiting(ctx, d.l); len(w) != 1 || w[0].Status != StatusWaiting || w[0].StatusText() != "waiting for funds" {
		t.Errorf("Waiting = %+v, want the payment waiting for funds", w)
	}

	// The bank tries again on each of the next business days.
	days := []struct {
		day  civil.Date
		want Status
	}{
		{demoToday.AddDays(1), StatusWaiting},
		{demoToday.AddDays(2), StatusWaiting},
		{demoToday.AddDays(3), StatusCancelled},
		{demoToday.AddDays(4), StatusCancelled},
	}
	for _, step := range days {
		d.srv.Bank.SetToday(step.day)
		d.refresh(t, p.ID)
		p, _ = Get(ctx, d.l, p.ID)
		if p.Status != step.want {
			t.Fatalf("on %s: status %s, want %s", step.day, p.Status, step.want)
		}
	}
	if p.Reversal == 0 {
		t.Fatal("the cancelled payment's posting is not reversed")
	}
	d.refresh(t, p.ID)
	rev, err := d.l.ReversedBy(ctx, p.Voucher)
	if err != nil || rev != p.Reversal {
		t.Errorf("ReversedBy(voucher %d) = %d, %v; want %d", p.Voucher, rev, err, p.Reversal)
	}
	if v, err := d.l.Voucher(ctx, p.Reversal); err != nil || v.Description != "Reversering: betaling "+p.Reference+" til "+p.Name+" ble kansellert av banken" {
		t.Errorf("reversal voucher text = %q, %v; want it to say in Norwegian that the bank cancelled the payment", v.Description, err)
	}
	// The posting and its reversal cancel out and are matched at once, not
	// left open until the next run of the matcher.
	for _, id := range []int64{p.Voucher, p.Reversal} {
		v, err := d.l.Voucher(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		for _, x := range v.Postings {
			if x.Account != 1920 {
				continue
			}
			if m, err := d.l.MatchOfPosting(ctx, x.ID); err != nil || m == 0 {
				t.Errorf("voucher %d's posting on 1920 is not matched (%v): the cancelled payment stands open", v.Number, err)
			}
		}
	}
	bal, err := d.l.Balance(ctx, 1920, demoToday.AddDays(30))
	if err != nil || bal != 0 {
		t.Errorf("balance of 1920 after the reversal = %s, %v; want 0", bal, err)
	}
	reversals := 0
	for _, e := range mustAudit(t, d.l) {
		if e.Action == "voucher.reverse" {
			reversals++
		}
	}
	if reversals != 1 {
		t.Errorf("%d reversals in the audit log, want 1", reversals)
	}
	want := []Status{StatusDraft, StatusApproved, StatusPendingApproval, StatusWaiting, StatusCancelled}
	if got := statusesOf(t, d.l, p.ID); !equalStatuses(got, want) {
		t.Errorf("history %v, want %v", got, want)
	}
	if w, _ := Waiting(ctx, d.l); len(w) != 0 {
		t.Errorf("Waiting after the cancellation = %v, want none", w)
	}
}

func mustAudit(t *testing.T, l *ledger.Ledger) []ledger.AuditEntry {
	t.Helper()
	es, err := l.AuditLog(context.Background(), 1000)
	if err != nil {
		t.Fatal(err)
	}
	return es
}

// TestSendRetriedAfterLostAnswer: the bank gets the payment but its answer
// is lost; whether the bank client retries at once, the owner sends again
// later, or a refresh finds it, the bank ends up with one payment, and the
// ledger posts it once.
func TestSendRetriedAfterLostAnswer(t *testing.T) {
	ctx := context.Background()
	due := demoToday.AddDays(5)

	t.Run("client retries the same request", func(t *testing.T) {
		d := newDemo(t)
		d.posts.dropFirst = true
		p := d.createAndApprove(t, d.draft(money.Kroner(100), due))
		p, err := Send(ctx, d.l, d.client, p.ID)
		if err != nil {
			t.Fatalf("Send: %v", err)
		}
		refs := d.posts.references()
		if len(refs) != 2 || refs[0] != p.Reference || refs[1] != p.Reference {
			t.Errorf("references sent = %v, want %s twice", refs, p.Reference)
		}
		if n := d.bankCount(t, p.Reference); n != 1 {
			t.Errorf("the bank holds %d payments with reference %s, want 1", n, p.Reference)
		}
		d.checkPosted(t, p)
	})

	for _, recover := range []string{"Send", "Refresh"} {
		t.Run("context ends, then "+recover, func(t *testing.T) {
			d := newDemo(t)
			p := d.createAndApprove(t, d.draft(money.Kroner(100), due))
			sendCtx, cancel := context.WithCancel(ctx)
			defer cancel()
			d.posts.afterFirst = cancel // the bank has it; the app gives up waiting
			_, err := Send(sendCtx, d.l, d.client, p.ID)
			if !errors.Is(err, context.Canceled) {
				t.Fatalf("Send with the answer lost: err = %v, want context.Canceled", err)
			}
			if p, _ = Get(ctx, d.l, p.ID); p.Status != StatusApproved || p.Voucher != 0 {
				t.Fatalf("after the lost answer: %s, voucher %d; want approved and not posted", p.Status, p.Voucher)
			}
			switch recover {
			case "Send":
				if p, err = Send(ctx, d.l, d.client, p.ID); err != nil {
					t.Fatalf("Send again: %v", err)
				}
			case "Refresh":
				if got := d.refresh(t, p.ID); !equalStatuses(got, []Status{StatusPendingApproval}) {
					t.Fatalf("Refresh: changes %v, want [%s]", got, StatusPendingApproval)
				}
				p, _ = Get(ctx, d.l, p.ID)
			}
			if p.Status != StatusPendingApproval || p.BankPaymentID == "" {
				t.Errorf("payment = %s, bank id %q; want %s with an id", p.Status, p.BankPaymentID, StatusPendingApproval)
			}
			if n := d.bankCount(t, p.Reference); n != 1 {
				t.Errorf("the bank holds %d payments with reference %s, want 1", n, p.Reference)
			}
			for _, r := range d.posts.references() {
				if r != p.Reference {
					t.Errorf("a request went out with reference %q, want only %s", r, p.Reference)
				}
			}
			d.checkPosted(t, p)
		})
	}
}

// foreignBank answers a send with another payment under the same reference,
// as a bank would if an older ledger file had used it.
type foreignBank struct{ Bank }

func (f foreignBank) CreatePayment(ctx context.Context, req bank.PaymentRequest) (bank.Payment, error) {
	return bank.Payment{ID: "OTHER", AccountID: req.AccountID, RecipientAccountNumber: "12345678903",
		Amount: req.Amount + 1, DueDate: req.DueDate, Reference: req.Reference, Status: bank.StatusScheduled}, nil
}

func TestSendRefusesSomeoneElsesPayment(t *testing.T) {
	ctx := context.Background()
	l := validationLedger(t)
	p, err := Create(ctx, l, validDraft(), testToday)
	if err != nil {
		t.Fatal(err)
	}
	Approve(ctx, l, p.ID)
	_, err = Send(ctx, l, foreignBank{}, p.ID)
	if err == nil || !strings.Contains(err.Error(), "different payment under this reference") {
		t.Fatalf("Send = %v, want the clash of references named", err)
	}
	if p, _ = Get(ctx, l, p.ID); p.Status != StatusApproved || p.Voucher != 0 || p.BankPaymentID != "" {
		t.Errorf("after the clash: %+v, want it approved, unsent and not posted", p)
	}
}

// A payment whose send failed stays approved, and "Refresh statuses" sends
// it; one the bank refuses by then (its due date has passed) is cancelled
// in the open instead of waiting forever. Neither is sent twice.
func TestRefreshSendsWhatFailedToSend(t *testing.T) {
	d := newDemo(t)
	ctx := context.Background()
	if err := d.srv.Bank.SetIntegration(sandbox.IntegrationBasis); err != nil {
		t.Fatal(err)
	}
	soon := d.createAndApprove(t, d.draft(money.Kroner(120), demoToday.AddDays(3)))
	today := d.createAndApprove(t, d.draft(money.Kroner(130), demoToday))
	for _, p := range []Payment{soon, today} {
		if _, err := Send(ctx, d.l, d.client, p.ID); err == nil {
			t.Fatalf("payment %s was sent without a subscription for payments", p.Reference)
		}
	}
	if err := d.srv.Bank.SetIntegration(sandbox.IntegrationPluss); err != nil {
		t.Fatal(err)
	}
	d.srv.Bank.SetToday(demoToday.AddDays(1)) // today's payment is now past due
	changes, err := Refresh(ctx, d.l, d.client)
	if err != nil {
		t.Fatalf("Refresh: %v", err)
	}
	got := map[int64]Status{}
	for _, c := range changes {
		got[c.Payment.ID] = c.To
	}
	if got[soon.ID] != StatusPendingApproval || d.bankCount(t, soon.Reference) != 1 {
		t.Errorf("the payment due in three days: %s, %d at the bank; want sent once, awaiting signing", got[soon.ID], d.bankCount(t, soon.Reference))
	}
	if got[today.ID] != StatusCancelled || d.bankCount(t, today.Reference) != 0 {
		t.Errorf("the payment past due: %s, %d at the bank; want cancelled, never at the bank", got[today.ID], d.bankCount(t, today.Reference))
	}
	p, _ := Get(ctx, d.l, soon.ID)
	d.checkPosted(t, p)
	if p, _ := Get(ctx, d.l, today.ID); p.Voucher != 0 || p.StatusDetails == "" || strings.Contains(p.StatusDetails, "again is safe") {
		t.Errorf("the cancelled payment: voucher %d, details %q; want not posted, and the bank's reason alone", p.Voucher, p.StatusDetails)
	}
	// Again: nothing more to do, nothing sent twice.
	if changes, err := Refresh(ctx, d.l, d.client); err != nil || len(changes) != 0 || d.bankCount(t, soon.Reference) != 1 {
		t.Errorf("a second refresh: %v changes, %v; %d at the bank", changes, err, d.bankCount(t, soon.Reference))
	}
}

// A payment whose send failed can be cancelled, so that no refresh sends
// it; but one whose answer was lost on the way back is at the bank, and is
// recorded as sent, not called cancelled (ErrAtBank). Sent or not, nothing
// goes to the bank twice.
func TestCancelUnsent(t *testing.T) {
	ctx := context.Background()
	due := demoToday.AddDays(5)
	d := newDemo(t)

	// The bank refuses it (no subscription for payments): it never got it.
	if err := d.srv.Bank.SetIntegration(sandbox.IntegrationBasis); err != nil {
		t.Fatal(err)
	}
	refused := d.createAndApprove(t, d.draft(money.Kroner(140), due))
	if _, err := Send(ctx, d.l, d.client, refused.ID); err == nil {
		t.Fatal("sent without a subscription for payments")
	}
	if err := d.srv.Bank.SetIntegration(sandbox.IntegrationPluss); err != nil {
		t.Fatal(err)
	}
	p, err := CancelUnsent(ctx, d.l, d.connect, refused.ID)
	if err != nil || p.Status != StatusCancelled {
		t.Fatalf("CancelUnsent of a payment the bank never got = %s, %v; want cancelled", p.Status, err)
	}
	if got := d.refresh(t, refused.ID); len(got) != 0 {
		t.Errorf("a refresh after the cancel changed %v; want nothing sent", got)
	}
	if n := d.bankCount(t, refused.Reference); n != 0 {
		t.Errorf("the bank holds %d payments with the cancelled reference", n)
	}

	// The bank got it, and the answer was lost (a bank of its own: the
	// recorder loses the first payment's answer).
	d = newDemo(t)
	lost := d.createAndApprove(t, d.draft(money.Kroner(150), due))
	sendCtx, cancel := context.WithCancel(ctx)
	d.posts.afterFirst = cancel
	if _, err := Send(sendCtx, d.l, d.client, lost.ID); !errors.Is(err, context.Canceled) {
		t.Fatalf("Send with the answer lost: %v", err)
	}
	cancel()
	p, err = CancelUnsent(ctx, d.l, d.connect, lost.ID)
	if !errors.Is(err, ErrAtBank) || p.Status != StatusPendingApproval || p.BankPaymentID == "" {
		t.Fatalf("CancelUnsent of a payment the bank has = %s (bank id %q), %v; want it recorded as awaiting signing and ErrAtBank", p.Status, p.BankPaymentID, err)
	}
	if n := d.bankCount(t, lost.Reference); n != 1 {
		t.Errorf("the bank holds %d payments with reference %s, want 1", n, lost.Reference)
	}
	d.checkPosted(t, p)

	// One at the bank is not cancelled in the app.
	if _, err := CancelUnsent(ctx, d.l, d.connect, lost.ID); !errors.Is(err, ErrWrongStatus) {
		t.Errorf("CancelUnsent of a sent payment: %v, want ErrWrongStatus", err)
	}
}

// A payment the bank refuses (here: due yesterday by the bank's clock) is
// cancelled at once, with the bank's reason, and never sent by a refresh.
func TestSendCancelsWhatTheBankRefuses(t *testing.T) {
	ctx := context.Background()
	d := newDemo(t)
	p := d.createAndApprove(t, d.draft(money.Kroner(160), demoToday))
	d.srv.Bank.SetToday(demoToday.AddDays(1))
	out, err := Send(ctx, d.l, d.client, p.ID)
	if !errors.Is(err, ErrRefused) || out.Status != StatusCancelled || out.StatusDetails == "" || out.Voucher != 0 {
		t.Fatalf("Send of a payment the bank refuses = %s (%q, voucher %d), %v; want cancelled with the bank's reason, ErrRefused",
			out.Status, out.StatusDetails, out.Voucher, err)
	}
	if got := d.refresh(t, p.ID); len(got) != 0 || d.bankCount(t, p.Reference) != 0 {
		t.Errorf("a refresh after the refusal changed %v, %d at the bank; want nothing", got, d.bankCount(t, p.Reference))
	}
}
