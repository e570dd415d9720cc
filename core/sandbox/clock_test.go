package sandbox

import (
	"net/http"
	"testing"
	"time"

	"bankbro/core/civil"
)

func TestWallClock(t *testing.T) {
	// 23:40 in Oslo on 26 November 2026 (UTC+1).
	clock := &fakeClock{t: time.Date(2026, 11, 26, 22, 40, 0, 0, time.UTC)}
	s, err := Start("", Options{Now: clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if got, want := s.Bank.Today(), civil.MustParse("2026-11-26"); got != want {
		t.Fatalf("Today = %s, want %s", got, want)
	}
	tok := login(t, s, ManagerID).AccessToken
	op := s.Bank.AccountsFor(ManagerID)[0]
	_, p, b := createPayment(t, s, tok, paymentBody(op.AccountID, "10.00", "2026-11-27", "null", "Kaffe", "WALL-1"))
	if p.PaymentID == "" {
		t.Fatalf("create: %s", b)
	}
	if err := approve(t, s, ManagerID, p.PaymentID); err != nil {
		t.Fatal(err)
	}
	clock.Add(30 * time.Minute) // past midnight in Oslo
	if got, want := s.Bank.Today(), civil.MustParse("2026-11-27"); got != want {
		t.Fatalf("after midnight Today = %s, want %s", got, want)
	}
	if got := getPayment(t, s, tok, op.AccountID, p.PaymentID); got.Status != StatusProcessed {
		t.Errorf("after midnight the payment is %s, want Processed", got.Status)
	}
	// Pinning the date and letting go again.
	s.Bank.SetToday(civil.MustParse("2026-12-01"))
	if got := s.Bank.Today(); got != civil.MustParse("2026-12-01") {
		t.Errorf("SetToday: %s", got)
	}
	s.Bank.SetToday(civil.Date{})
	if got := s.Bank.Today(); got != civil.MustParse("2026-11-27") {
		t.Errorf("back to the wall clock: %s", got)
	}
	if st, _, _ := call(t, "GET", s.URL+"/api/v2/Accounts", tok, nil); st != http.StatusOK {
		t.Errorf("accounts: %d", st)
	}
}
