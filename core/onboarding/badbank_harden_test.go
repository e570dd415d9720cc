package onboarding_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"bankbro/core/agreement"
	"bankbro/core/demo"
	"bankbro/core/ledger"
	"bankbro/core/login"
	"bankbro/core/money"
	"bankbro/core/onboarding"
	"bankbro/core/sandbox"
)

// TestReapplyWithChangedHistory applies the onboarding, then applies it
// again while the bank sends one stored line of the first account with
// another amount. The second apply must fail, naming the line and both
// amounts, and leave every stored line and bank account as it was.
func TestReapplyWithChangedHistory(t *testing.T) {
	ctx := context.Background()
	b, err := sandbox.New(sandbox.Options{Today: today})
	if err != nil {
		t.Fatal(err)
	}
	var tamper atomic.Value // the accountId whose first archive line changes amount
	tamper.Store("")
	inner := b.Handler()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		acct := tamper.Load().(string)
		if acct == "" || !strings.HasPrefix(r.URL.Path, "/api/v2/Transactions/archive/"+acct) {
			inner.ServeHTTP(w, r)
			return
		}
		rec := httptest.NewRecorder()
		inner.ServeHTTP(rec, r)
		dec := json.NewDecoder(bytes.NewReader(rec.Body.Bytes()))
		dec.UseNumber()
		var page struct {
			AvailableItems int              `json:"availableItems"`
			Items          []map[string]any `json:"items"`
		}
		if err := dec.Decode(&page); err != nil || len(page.Items) == 0 {
			t.Errorf("the archive page does not decode or is empty: %v", err)
			inner.ServeHTTP(w, r)
			return
		}
		page.Items[0]["amount"] = json.Number("4242.42")
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(page)
	}))
	defer srv.Close()

	l, err := demo.Create(ctx, filepath.Join(t.TempDir(), "demo.bankbro"), today)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	svc, err := agreement.Open(ctx, l, agreement.Options{BankURL: srv.URL, Store: login.NewFileStore(filepath.Join(t.TempDir(), "login")),
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
	apply := func() (onboarding.Result, error) {
		f, err := onboarding.Gather(ctx, l, c, today)
		if err != nil {
			t.Fatal(err)
		}
		p := onboarding.Suggest(f)
		h, err := onboarding.ReadHistory(ctx, c, p, f, nil)
		if err != nil {
			t.Fatal(err)
		}
		return onboarding.Apply(ctx, l, svc, p, f, h)
	}
	if _, err := apply(); err != nil {
		t.Fatalf("the first apply: %v", err)
	}
	accts, _ := l.BankAccounts(ctx)
	before := snapshot(t, l, accts)
	tamper.Store(accts[0].BankID)
	_, err = apply()
	if err == nil {
		t.Fatal("the apply took a history in which a stored line has another amount")
	}
	t.Logf("the apply says: %v", err)
	if !strings.Contains(err.Error(), money.Amount(424242).Kr()) || !strings.Contains(err.Error(), accts[0].Formatted()) {
		t.Errorf("the error %q does not name the account and the new amount", err)
	}
	if after := snapshot(t, l, accts); after != before {
		t.Errorf("the stored lines changed:\nbefore %s\nafter  %s", before, after)
	}
}

// snapshot is every stored line of the accounts (id, date, amount) and
// each account's last day read, as one string.
func snapshot(t *testing.T, l *ledger.Ledger, accts []ledger.BankAccount) string {
	t.Helper()
	var sb strings.Builder
	for _, a := range accts {
		fresh, err := l.BankAccount(context.Background(), a.ID)
		if err != nil {
			t.Fatal(err)
		}
		sb.WriteString(a.Number + " " + fresh.ReadThrough.String() + ":")
		lines, err := l.BankTransactions(context.Background(), a.ID, fresh.StartDate, today)
		if err != nil {
			t.Fatal(err)
		}
		for _, x := range lines {
			sb.WriteString(" " + x.TransactionID + "/" + x.AccountingDate.String() + "/" + x.Amount.JSON())
		}
		sb.WriteString("\n")
	}
	return sb.String()
}
