package ledger

import (
	"context"
	"errors"
	"regexp"
	"testing"
	"time"

	"bankbro/core/civil"
	"bankbro/core/money"
)

// paymentLedger is a ledger with one bank account, and that account's id.
func paymentLedger(t *testing.T) (*Ledger, int64) {
	t.Helper()
	l := newLedger(t)
	var id int64
	err := l.Update(context.Background(), func(tx *Tx) error {
		var err error
		id, err = tx.SaveBankAccount(BankAccount{BankID: "ACC1", Number: "97104133219", Name: "Drift",
			GLAccount: 1920, Remittance: true, Active: true})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return l, id
}

func addPayment(t *testing.T, l *Ledger, p Payment) Payment {
	t.Helper()
	var got Payment
	err := l.Update(context.Background(), func(tx *Tx) error {
		var err error
		got, err = tx.AddPayment(p)
		return err
	})
	if err != nil {
		t.Fatalf("AddPayment(%+v): %v", p, err)
	}
	return got
}

func TestAddPaymentAndRead(t *testing.T) {
	ctx := context.Background()
	l, acct := paymentLedger(t)
	at := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	l.Now = func() time.Time { return at }
	want := Payment{BankAccount: acct, RecipientAccount: "15032080119", RecipientName: "Gårdeier AS",
		Amount: money.Kroner(1250), DueDate: civil.MustParse("2026-11-30"), KID: "0000123456782",
		DebitAccount: 2400, Status: "draft"}
	p1 := addPayment(t, l, want)
	p2 := addPayment(t, l, want)

	refPattern := regexp.MustCompile(`^BB-\d{6}-[2-9A-HJ-NP-Z]{4}$`)
	for _, p := range []Payment{p1, p2} {
		if !refPattern.MatchString(p.Reference) {
			t.Errorf("reference = %q, want it to match %s", p.Reference, refPattern)
		}
	}
	if p1.Reference == p2.Reference {
		t.Errorf("two payments got the same reference %q", p1.Reference)
	}
	got, err := l.PaymentByReference(ctx, p1.Reference)
	if err != nil {
		t.Fatal(err)
	}
	if got.FromNumber != "97104133219" || got.FromBankID != "ACC1" || got.FromGLAccount != 1920 ||
		got.Amount != want.Amount || got.DueDate != want.DueDate || got.KID != want.KID ||
		got.DebitAccount != 2400 || got.Status != "draft" || !got.CreatedAt.Equal(at) {
		t.Errorf("PaymentByReference = %+v, want the stored fields of %+v", got, want)
	}
	if _, err := l.Payment(ctx, 999); !errors.Is(err, ErrNoSuchRecord) {
		t.Errorf("Payment(999): err = %v, want ErrNoSuchRecord", err)
	}

	// A reference is unique in the ledger.
	dup := want
	dup.Reference = p1.Reference
	err = l.Update(ctx, func(tx *Tx) error { _, err := tx.AddPayment(dup); return err })
	if err == nil {
		t.Errorf("a second payment with reference %s was stored", p1.Reference)
	}
}

func TestPaymentStatusHistory(t *testing.T) {
	ctx := context.Background()
	l, acct := paymentLedger(t)
	clock := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	l.Now = func() time.Time { clock = clock.Add(time.Minute); return clock }
	p := addPayment(t, l, Payment{BankAccount: acct, RecipientAccount: "15032080119", RecipientName: "X",
		Amount: 100, DueDate: civil.MustParse("2026-11-30"), Message: "hei", Status: "draft"})

	steps := []struct {
		status, details string
		wantChanged     bool
	}{
		{"approved", "", true},
		{"approved", "", false},
		{"PendingApproval", "", true},
		{"Waiting", "insufficient funds", true},
		{"Waiting", "insufficient funds", false},
		{"Cancelled", "", true},
	}
	for _, s := range steps {
		var changed bool
		err := l.Update(ctx, func(tx *Tx) error {
			var err error
			changed, err = tx.SetPaymentStatus(p.ID, s.status, s.details)
			return err
		})
		if err != nil || changed != s.wantChanged {
			t.Errorf("SetPaymentStatus(%s, %q) = %v, %v; want %v, nil", s.status, s.details, changed, err, s.wantChanged)
		}
	}
	hist, err := l.PaymentHistory(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	wantStatuses := []string{"draft", "approved", "PendingApproval", "Waiting", "Cancelled"}
	if len(hist) != len(wantStatuses) {
		t.Fatalf("history = %+v, want statuses %v", hist, wantStatuses)
	}
	for i, h := range hist {
		if h.Status != wantStatuses[i] {
			t.Errorf("history[%d].Status = %s, want %s", i, h.Status, wantStatuses[i])
		}
		if i > 0 && !h.At.After(hist[i-1].At) {
			t.Errorf("history[%d].At = %v, not after %v", i, h.At, hist[i-1].At)
		}
	}
	if hist[3].Details != "insufficient funds" {
		t.Errorf("history[3].Details = %q, want %q", hist[3].Details, "insufficient funds")
	}
	err = l.Update(ctx, func(tx *Tx) error { _, err := tx.SetPaymentStatus(999, "approved", ""); return err })
	if !errors.Is(err, ErrNoSuchRecord) {
		t.Errorf("SetPaymentStatus on a missing payment: err = %v, want ErrNoSuchRecord", err)
	}
}

func TestPaymentVoucherAndReversalOnce(t *testing.T) {
	ctx := context.Background()
	l, acct := paymentLedger(t)
	p := addPayment(t, l, Payment{BankAccount: acct, RecipientAccount: "15032080119", RecipientName: "X",
		Amount: 100, DueDate: civil.MustParse("2026-11-30"), Message: "hei", Status: "PendingApproval"})
	var v Voucher
	err := l.Update(ctx, func(tx *Tx) error {
		var err error
		v, err = tx.AddVoucher(Voucher{Date: p.DueDate, Description: "pay", Source: "payment", Postings: []Posting{
			{Account: 2400, Amount: 100}, {Account: 1920, Amount: -100, Reference: p.Reference}}})
		if err != nil {
			return err
		}
		if err := tx.SetPaymentBankID(p.ID, "PAY1"); err != nil {
			return err
		}
		return tx.SetPaymentVoucher(p.ID, v.ID)
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := l.Update(ctx, func(tx *Tx) error { return tx.SetPaymentVoucher(p.ID, v.ID) }); err == nil {
		t.Error("a payment was posted twice")
	}
	if err := l.Update(ctx, func(tx *Tx) error { return tx.SetPaymentReversal(p.ID, v.ID) }); err != nil {
		t.Fatal(err)
	}
	if err := l.Update(ctx, func(tx *Tx) error { return tx.SetPaymentReversal(p.ID, v.ID) }); err == nil {
		t.Error("a payment was reversed twice")
	}
	got, _ := l.Payment(ctx, p.ID)
	if got.BankPaymentID != "PAY1" || got.Voucher != v.ID || got.Reversal != v.ID {
		t.Errorf("payment = %+v, want bank id PAY1, voucher and reversal %d", got, v.ID)
	}
}

func TestPaymentsFilter(t *testing.T) {
	ctx := context.Background()
	l, acct := paymentLedger(t)
	var other int64
	l.Update(ctx, func(tx *Tx) error {
		var err error
		other, err = tx.SaveBankAccount(BankAccount{BankID: "ACC2", Number: "15032080119", Name: "Skatt",
			GLAccount: 1950, Remittance: true, Active: true})
		return err
	})
	mk := func(acct int64, due, status string) Payment {
		return addPayment(t, l, Payment{BankAccount: acct, RecipientAccount: "97104133219", RecipientName: "X",
			Amount: 100, DueDate: civil.MustParse(due), Message: "m", Status: status})
	}
	a := mk(acct, "2026-11-01", "draft")
	b := mk(acct, "2026-11-10", "Waiting")
	c := mk(other, "2026-11-20", "PendingApproval")
	d := mk(other, "2026-12-01", "Processed")

	tests := []struct {
		name   string
		filter PaymentFilter
		want   []int64
	}{
		{"all, latest due first", PaymentFilter{}, []int64{d.ID, c.ID, b.ID, a.ID}},
		{"statuses", PaymentFilter{Statuses: []string{"Waiting", "PendingApproval"}}, []int64{c.ID, b.ID}},
		{"bank account", PaymentFilter{BankAccount: acct}, []int64{b.ID, a.ID}},
		{"due range", PaymentFilter{DueFrom: civil.MustParse("2026-11-10"), DueTo: civil.MustParse("2026-11-20")}, []int64{c.ID, b.ID}},
		{"nothing", PaymentFilter{Statuses: []string{"Rejected"}}, nil},
		{"first page", PaymentFilter{Limit: 3}, []int64{d.ID, c.ID, b.ID}},
		{"second page", PaymentFilter{Offset: 3, Limit: 3}, []int64{a.ID}},
		{"page of a filter", PaymentFilter{BankAccount: other, Offset: 1, Limit: 1}, []int64{c.ID}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ps, err := l.Payments(ctx, tt.filter)
			if err != nil {
				t.Fatal(err)
			}
			var got []int64
			for _, p := range ps {
				got = append(got, p.ID)
			}
			if len(got) != len(tt.want) {
				t.Fatalf("got ids %v, want %v", got, tt.want)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Fatalf("got ids %v, want %v", got, tt.want)
				}
			}
		})
	}
}
