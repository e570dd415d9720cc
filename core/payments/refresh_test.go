package payments

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	"bankbro/core/bank"
	"bankbro/core/ledger"
)

// fakeBank keeps payments by reference like the bank does, and lets a test
// set their status or make an account's list fail.
type fakeBank struct {
	mu      sync.Mutex
	byRef   map[string]*bank.Payment
	failing map[string]bool // accountId -> listing fails
}

func newFakeBank() *fakeBank {
	return &fakeBank{byRef: map[string]*bank.Payment{}, failing: map[string]bool{}}
}

func (f *fakeBank) CreatePayment(_ context.Context, r bank.PaymentRequest) (bank.Payment, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if p := f.byRef[r.Reference]; p != nil {
		return *p, nil
	}
	p := &bank.Payment{ID: fmt.Sprintf("P%d", len(f.byRef)+1), AccountID: r.AccountID,
		RecipientAccountNumber: r.RecipientAccountNumber, BeneficiaryName: r.BeneficiaryName, Amount: r.Amount,
		DueDate: r.DueDate, KID: r.KID, Text: r.Text, Reference: r.Reference, Status: bank.StatusPendingApproval}
	f.byRef[r.Reference] = p
	return *p, nil
}

func (f *fakeBank) Payments(_ context.Context, accountID string) ([]bank.Payment, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.failing[accountID] {
		return nil, errors.New("the bank did not answer properly after 6 tries; try again later")
	}
	var out []bank.Payment
	for _, p := range f.byRef {
		if p.AccountID == accountID {
			out = append(out, *p)
		}
	}
	return out, nil
}

func (f *fakeBank) Payment(_ context.Context, accountID, id string) (bank.Payment, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, p := range f.byRef {
		if p.ID == id && p.AccountID == accountID {
			return *p, nil
		}
	}
	return bank.Payment{}, fmt.Errorf("payment %s: not found", id)
}

func (f *fakeBank) set(reference string, s bank.PaymentStatus, details string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.byRef[reference].Status, f.byRef[reference].StatusDetails = s, details
}

// TestRefreshRejectedAndFailingAccount: a payment the bank rejects is
// reversed once, however often Refresh runs; an account whose list fails
// is named in the error and the other accounts are still refreshed.
func TestRefreshRejectedAndFailingAccount(t *testing.T) {
	ctx := context.Background()
	l := validationLedger(t)
	const other = "12345678946"
	err := l.Update(ctx, func(tx *ledger.Tx) error {
		_, err := tx.SaveBankAccount(ledger.BankAccount{BankID: "D", Number: other, Name: "Prosjekt",
			GLAccount: 1923, Remittance: true, Active: true})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	fb := newFakeBank()
	send := func(from string) Payment {
		d := validDraft()
		d.FromAccount = from
		p, err := Create(ctx, l, d, testToday)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := Approve(ctx, l, p.ID); err != nil {
			t.Fatal(err)
		}
		if p, err = Send(ctx, l, fb, p.ID); err != nil {
			t.Fatal(err)
		}
		return p
	}
	rejected := send(acctRemit)
	stuck := send(other)

	fb.set(rejected.Reference, bank.StatusRejected, "The recipient's account is closed")
	fb.set(stuck.Reference, bank.StatusScheduled, "")
	fb.failing["D"] = true

	changes, err := Refresh(ctx, l, fb)
	if err == nil || !strings.Contains(err.Error(), "1234.56.78946") {
		t.Errorf("Refresh error = %v, want it to name account 1234.56.78946", err)
	}
	if len(changes) != 1 || changes[0].Payment.ID != rejected.ID || changes[0].From != StatusPendingApproval ||
		changes[0].To != StatusRejected {
		t.Fatalf("changes = %+v, want %s PendingApproval → Rejected", changes, rejected.Reference)
	}
	got, _ := Get(ctx, l, rejected.ID)
	if got.Reversal == 0 || got.StatusDetails != "The recipient's account is closed" {
		t.Errorf("rejected payment = %+v, want it reversed with the bank's details", got)
	}
	if got, _ := Get(ctx, l, stuck.ID); got.Status != StatusPendingApproval {
		t.Errorf("payment on the failing account = %s, want it left %s", got.Status, StatusPendingApproval)
	}

	fb.failing["D"] = false
	changes, err = Refresh(ctx, l, fb)
	if err != nil || len(changes) != 1 || changes[0].Payment.ID != stuck.ID || changes[0].To != StatusScheduled {
		t.Errorf("second Refresh = %+v, %v; want only %s → Scheduled", changes, err, stuck.Reference)
	}
	again, _ := Get(ctx, l, rejected.ID)
	if again.Reversal != got.Reversal {
		t.Errorf("reversal changed from %d to %d", got.Reversal, again.Reversal)
	}
	if bal, _ := l.Balance(ctx, 1920, testToday.AddDays(10)); bal != 0 {
		t.Errorf("balance of 1920 after the rejected payment = %s, want 0", bal)
	}
	if bal, _ := l.Balance(ctx, 1923, testToday.AddDays(10)); bal != -stuck.Amount {
		t.Errorf("balance of 1923 = %s, want %s", bal, -stuck.Amount)
	}
}
