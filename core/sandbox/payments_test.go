package sandbox

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"bankbro/core/civil"
	"bankbro/core/money"
)

type paymentOut struct {
	PaymentID              string  `json:"paymentId"`
	AccountID              string  `json:"accountId"`
	RecipientAccountNumber string  `json:"recipientAccountNumber"`
	BeneficiaryName        string  `json:"beneficiaryName"`
	Amount                 string  `json:"-"`
	DueDate                string  `json:"dueDate"`
	KID                    *string `json:"kid"`
	Text                   *string `json:"text"`
	Reference              string  `json:"reference"`
	Status                 string  `json:"status"`
	StatusDetails          string  `json:"statusDetails"`
}

// paymentBody is a valid payment request as raw JSON; the amount stays text.
func paymentBody(acct, amount, due, kid, text, ref string) string {
	q := func(s string) string {
		if s == "null" {
			return s
		}
		return fmt.Sprintf("%q", s)
	}
	return fmt.Sprintf(`{"accountId":%q,"recipientAccountNumber":"15032080119","beneficiaryName":"Gårdeier AS","amount":%s,"dueDate":%q,"kid":%s,"text":%s,"reference":%q}`,
		acct, amount, due, q(kid), q(text), ref)
}

func createPayment(t *testing.T, s *Server, tok, body string) (int, paymentOut, []byte) {
	t.Helper()
	st, _, b := call(t, "POST", s.URL+"/api/v2/Payments", tok, body)
	var p paymentOut
	if st == http.StatusCreated {
		decodeJSON(t, b, &p)
	}
	return st, p, b
}

func getPayment(t *testing.T, s *Server, tok, acct, id string) paymentOut {
	t.Helper()
	st, _, b := call(t, "GET", s.URL+"/api/v2/Payments/"+acct+"/"+id, tok, nil)
	if st != http.StatusOK {
		t.Fatalf("get payment: %d %s", st, b)
	}
	var p paymentOut
	decodeJSON(t, b, &p)
	return p
}

func approve(t *testing.T, s *Server, nationalID string, ids ...string) error {
	t.Helper()
	return (&TestBrowser{NationalID: nationalID}).Open(s.URL + "/payments/approve?paymentIds=" + url.QueryEscape(strings.Join(ids, ",")))
}

func TestPaymentValidation(t *testing.T) {
	s := startBank(t, Options{})
	tok := login(t, s, ManagerID).AccessToken
	acct := s.Bank.AccountsFor(ManagerID)[0].AccountID
	tests := []struct {
		name, body string
		field      string // "" = accepted
	}{
		{"kid mod10", paymentBody(acct, "1250.00", "2026-11-30", "0000123456782", "null", "V-1"), ""},
		{"kid mod11", paymentBody(acct, "1250.5", "2026-11-30", "12345678903", "null", "V-2"), ""},
		{"text", paymentBody(acct, "1", "2026-11-25", "null", "Faktura 17", "V-3"), ""},
		{"account control digit", strings.Replace(paymentBody(acct, "1", "2026-11-30", "null", "x", "V-4"), "15032080119", "15032080118", 1), "recipientAccountNumber"},
		{"account formatted", strings.Replace(paymentBody(acct, "1", "2026-11-30", "null", "x", "V-5"), "15032080119", "1503.20.80119", 1), "recipientAccountNumber"},
		{"kid bad", paymentBody(acct, "1", "2026-11-30", "0000123456781", "null", "V-6"), "kid"},
		{"kid and text", paymentBody(acct, "1", "2026-11-30", "0000123456782", "x", "V-7"), "kid"},
		{"neither", paymentBody(acct, "1", "2026-11-30", "null", "null", "V-8"), "kid"},
		{"text too long", paymentBody(acct, "1", "2026-11-30", "null", strings.Repeat("å", 141), "V-9"), "text"},
		{"three decimals", paymentBody(acct, "1.005", "2026-11-30", "null", "x", "V-10"), "amount"},
		{"zero", paymentBody(acct, "0", "2026-11-30", "null", "x", "V-11"), "amount"},
		{"negative", paymentBody(acct, "-5", "2026-11-30", "null", "x", "V-12"), "amount"},
		{"string amount", paymentBody(acct, `"5"`, "2026-11-30", "null", "x", "V-13"), "amount"},
		{"due yesterday", paymentBody(acct, "1", "2026-11-24", "null", "x", "V-14"), "dueDate"},
		{"due bad", paymentBody(acct, "1", "30.11.2026", "null", "x", "V-15"), "dueDate"},
		{"no reference", paymentBody(acct, "1", "2026-11-30", "null", "x", ""), "reference"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st, h, b := call(t, "POST", s.URL+"/api/v2/Payments", tok, tt.body)
			if tt.field == "" {
				if st != http.StatusCreated {
					t.Fatalf("got %d %s, want 201", st, b)
				}
				var p paymentOut
				decodeJSON(t, b, &p)
				if p.Status != StatusPendingApproval || p.PaymentID == "" {
					t.Errorf("payment %+v, want PendingApproval with an id", p)
				}
				return
			}
			if st != http.StatusBadRequest {
				t.Fatalf("got %d %s, want 400", st, b)
			}
			if p := decodeProblem(t, h, b); len(p.Errors[tt.field]) == 0 {
				t.Errorf("errors %v, want one for %s", p.Errors, tt.field)
			}
		})
	}
	// Not the person's account.
	st, _, _ := call(t, "POST", s.URL+"/api/v2/Payments", login(t, s, BookkeeperID).AccessToken,
		paymentBody(s.Bank.AccountsFor(ManagerID)[3].AccountID, "1", "2026-11-30", "null", "x", "V-99"))
	if st != http.StatusNotFound {
		t.Errorf("payment from an account outside the mandate: %d, want 404", st)
	}
}

func TestPaymentLifecycle(t *testing.T) {
	s := startBank(t, Options{})
	tok := login(t, s, ManagerID).AccessToken
	op := s.Bank.AccountsFor(ManagerID)[0]
	due := civil.MustParse("2026-11-27")

	body := paymentBody(op.AccountID, "1250.00", due.String(), "0000123456782", "null", "BB-000042")
	st, p, b := createPayment(t, s, tok, body)
	if st != http.StatusCreated || p.Status != StatusPendingApproval {
		t.Fatalf("create = %d %s", st, b)
	}
	if want := "Venter på signering med BankID i banken"; p.StatusDetails != want {
		t.Errorf("statusDetails %q, want %q", p.StatusDetails, want)
	}
	// Idempotent on reference: the same reference is the same payment.
	st, again, _ := createPayment(t, s, tok, body)
	if st != http.StatusCreated || again.PaymentID != p.PaymentID {
		t.Errorf("second create = %d %s, want the same payment %s", st, again.PaymentID, p.PaymentID)
	}
	_, _, lb := call(t, "GET", s.URL+"/api/v2/Payments/"+op.AccountID, tok, nil)
	if n := strings.Count(string(lb), `"reference":"BB-000042"`); n != 1 {
		t.Errorf("payment list holds the reference %d times, want 1", n)
	}
	if !strings.Contains(string(lb), `"amount":1250.00`) {
		t.Errorf("payment list: amount not written exactly: %s", lb)
	}

	// The person without mandate cannot sign it; the manager can.
	if err := approve(t, s, NoMandateID, p.PaymentID); err == nil {
		t.Errorf("no-mandate user signed a payment")
	}
	if err := approve(t, s, ManagerID, p.PaymentID); err != nil {
		t.Fatalf("approve: %v", err)
	}
	if got := getPayment(t, s, tok, op.AccountID, p.PaymentID); got.Status != StatusScheduled || got.StatusDetails != "Signert med BankID; forfaller 27.11.2026" {
		t.Fatalf("after signing: %s %q, want Scheduled, signed and due 27.11.2026", got.Status, got.StatusDetails)
	}
	s.Bank.SetToday(due.AddDays(-1))
	if got := getPayment(t, s, tok, op.AccountID, p.PaymentID); got.Status != StatusScheduled {
		t.Fatalf("the day before: %s, want Scheduled", got.Status)
	}
	// The clock reaches the due date through the admin endpoint.
	st, _, cb := call(t, "POST", s.URL+"/sandbox/clock", "", `{"today":"`+due.String()+`"}`)
	if st != http.StatusOK || !strings.Contains(string(cb), due.String()) {
		t.Fatalf("clock: %d %s", st, cb)
	}
	if got := getPayment(t, s, tok, op.AccountID, p.PaymentID); got.Status != StatusProcessed || got.StatusDetails != "Betalt 27.11.2026" {
		t.Fatalf("on the due date: %s (%s), want Processed, paid 27.11.2026", got.Status, got.StatusDetails)
	}
	lines, _ := fetchAll(t, s, tok, "archive/", op.AccountID, due, due, 1000)
	found := 0
	for _, l := range lines {
		if l.Reference != nil && *l.Reference == "BB-000042" {
			found++
			if l.Amount.String() != "-1250.00" || !strings.Contains(l.Text, "Gårdeier AS") || l.TransactionID == nil {
				t.Errorf("payment line %+v", l)
			}
		}
	}
	if found != 1 {
		t.Errorf("archive holds the payment %d times, want 1", found)
	}
	// Today's own card lines are still reservations, so the payment is the day's only booked line.
	before, _ := s.Bank.BalanceAt(op.AccountNumber, due.AddDays(-1))
	after, _ := s.Bank.BalanceAt(op.AccountNumber, due)
	if before-after != money.Kroner(1250) {
		t.Errorf("balance fell by %s, want 1 250,00", before-after)
	}
	// Moving on does not pay it twice.
	s.Bank.SetToday(due.AddDays(5))
	lines, _ = fetchAll(t, s, tok, "archive/", op.AccountID, due, due.AddDays(4), 1000)
	found = 0
	for _, l := range lines {
		if l.Reference != nil && *l.Reference == "BB-000042" {
			found++
		}
	}
	if found != 1 {
		t.Errorf("after a week the archive holds the payment %d times, want 1", found)
	}
}

func TestPaymentWaitingThenCancelled(t *testing.T) {
	s := startBank(t, Options{})
	tok := login(t, s, ManagerID).AccessToken
	op := s.Bank.AccountsFor(ManagerID)[0]
	// Friday 27 November 2026; business days after: Mon 30, Tue 1, Wed 2.
	due := civil.MustParse("2026-11-27")
	_, big, b := createPayment(t, s, tok, paymentBody(op.AccountID, "50000000.00", due.String(), "null", "Maskinkjøp", "BB-BIG"))
	_, small, _ := createPayment(t, s, tok, paymentBody(op.AccountID, "100.00", due.String(), "null", "Småtteri", "BB-SMALL"))
	if big.PaymentID == "" {
		t.Fatalf("create: %s", b)
	}
	if err := approve(t, s, ManagerID, big.PaymentID, small.PaymentID); err != nil {
		t.Fatal(err)
	}
	const waiting = "Manglende dekning 27.11.2026; prøves igjen i 3 virkedager"
	tests := []struct {
		day     string
		want    string
		details string
	}{
		{"2026-11-27", StatusWaiting, waiting},
		{"2026-11-28", StatusWaiting, waiting}, // Saturday: no retry
		{"2026-11-30", StatusWaiting, waiting},
		{"2026-12-01", StatusWaiting, waiting},
		{"2026-12-02", StatusCancelled, "Manglende dekning i 3 virkedager; kansellert 02.12.2026"},
	}
	for _, tt := range tests {
		s.Bank.SetToday(civil.MustParse(tt.day))
		if got := getPayment(t, s, tok, op.AccountID, big.PaymentID); got.Status != tt.want || got.StatusDetails != tt.details {
			t.Errorf("%s: %s (%s), want %s (%s)", tt.day, got.Status, got.StatusDetails, tt.want, tt.details)
		}
	}
	if got := getPayment(t, s, tok, op.AccountID, small.PaymentID); got.Status != StatusProcessed {
		t.Errorf("small payment: %s, want Processed", got.Status)
	}
	lines, _ := s.Bank.ArchiveFor(op.AccountNumber, due, civil.MustParse("2026-12-02"))
	for _, l := range lines {
		if l.Reference == "BB-BIG" {
			t.Errorf("the cancelled payment was booked: %+v", l)
		}
	}
}

func TestPaymentDueTodayPaidOnSigning(t *testing.T) {
	s := startBank(t, Options{})
	tok := login(t, s, BookkeeperID).AccessToken
	op := s.Bank.AccountsFor(BookkeeperID)[0]
	_, p, _ := createPayment(t, s, tok, paymentBody(op.AccountID, "99.90", testToday.String(), "null", "Kontorrekvisita", "BB-TODAY"))
	if err := approve(t, s, BookkeeperID, p.PaymentID); err != nil {
		t.Fatal(err)
	}
	if got := getPayment(t, s, tok, op.AccountID, p.PaymentID); got.Status != StatusProcessed {
		t.Fatalf("status %s, want Processed", got.Status)
	}
	lines, _ := s.Bank.ArchiveFor(op.AccountNumber, testToday, testToday)
	if len(lines) != 1 || lines[0].Reference != "BB-TODAY" || lines[0].Amount != -9990 {
		t.Errorf("today's archive = %+v, want the payment only", lines)
	}
}
